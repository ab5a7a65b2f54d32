# written by dmabench plot: gnuplot this file to redraw
tpl = '/work/wt-shapes-arm64/scripts/gnuplot'
data = 'lat_size-iova_link-unlink.dat'
plot_title = 'iova_link unlink latency vs buffer size, 1 thread (median of repetitions)'
setup = 'Linux 7.3.4+deb13-arm64, linux,dummy-virt, IOMMU arm-smmu-v3, qemu-tcg'
emulated = 1
N = 1
array titles[1]
titles[1] = 'scattered, 4K segments'
set terminal pngcairo size 800,600 font 'DejaVu Sans,10' noenhanced
set output 'lat_size-iova_link-unlink.png'
load tpl.'/common.gp'
load tpl.'/lat_size.gp'
set terminal svg size 800,600 dynamic font 'DejaVu Sans,10' noenhanced
set output 'lat_size-iova_link-unlink.svg'
replot
set output
