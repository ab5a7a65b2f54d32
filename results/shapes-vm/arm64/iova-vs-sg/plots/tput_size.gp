# written by dmabench plot: gnuplot this file to redraw
tpl = '/work/wt-shapes-arm64/scripts/gnuplot'
data = 'tput_size.dat'
plot_title = 'whole-op throughput vs buffer size, tests side by side, 1 thread (median of repetitions)'
setup = 'Linux 7.3.4+deb13-arm64, linux,dummy-virt, IOMMU arm-smmu-v3, qemu-tcg'
emulated = 1
N = 2
array titles[2]
titles[1] = 'map_sg: scattered, 4K segments'
titles[2] = 'iova_link: scattered, 4K segments'
set terminal pngcairo size 800,600 font 'DejaVu Sans,10' noenhanced
set output 'tput_size.png'
load tpl.'/common.gp'
load tpl.'/tput_size.gp'
set terminal svg size 800,600 dynamic font 'DejaVu Sans,10' noenhanced
set output 'tput_size.svg'
replot
set output
