# written by dmabench plot: gnuplot this file to redraw
tpl = '/work/wt-shapes-arm64/scripts/gnuplot'
data = 'cdf-iova_link-free.dat'
plot_title = 'iova_link free latency distribution, 4K, 1 thread (all repetitions)'
setup = 'Linux 7.3.4+deb13-arm64, linux,dummy-virt, IOMMU arm-smmu-v3, qemu-tcg'
emulated = 1
N = 1
array titles[1]
titles[1] = 'scattered, 4K segments'
set terminal pngcairo size 800,600 font 'DejaVu Sans,10' noenhanced
set output 'cdf-iova_link-free.png'
load tpl.'/common.gp'
load tpl.'/cdf.gp'
set terminal svg size 800,600 dynamic font 'DejaVu Sans,10' noenhanced
set output 'cdf-iova_link-free.svg'
replot
set output
