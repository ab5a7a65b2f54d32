# written by dmabench plot: gnuplot this file to redraw
tpl = '/work/wt-shapes-arm64/scripts/gnuplot'
data = 'bars-map_sg-map.dat'
plot_title = 'map_sg map p50 latency by domain type / run, 1 thread'
setup = 'Linux 7.3.4+deb13-arm64, linux,dummy-virt, IOMMU arm-smmu-v3, qemu-tcg'
emulated = 1
N = 5
array titles[5]
titles[1] = 'scattered, 1 entry'
titles[2] = 'scattered, 4 entries'
titles[3] = 'scattered, 16 entries'
titles[4] = 'scattered, 64 entries'
titles[5] = 'scattered, 256 entries'
set terminal pngcairo size 800,600 font 'DejaVu Sans,10' noenhanced
set output 'bars-map_sg-map.png'
load tpl.'/common.gp'
load tpl.'/bars.gp'
set terminal svg size 800,600 dynamic font 'DejaVu Sans,10' noenhanced
set output 'bars-map_sg-map.svg'
replot
set output
