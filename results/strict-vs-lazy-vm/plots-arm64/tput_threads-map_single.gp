# written by dmabench plot: gnuplot this file to redraw
tpl = '/work/main/scripts/gnuplot'
data = 'tput_threads-map_single.dat'
plot_title = 'map_single throughput vs threads (median of repetitions)'
setup = 'arm64-strict: Linux 6.1.0-56-arm64, linux,dummy-virt, IOMMU arm-smmu-v3, qemu-tcg'
emulated = 1
N = 4
array titles[4]
titles[1] = 'arm64-strict (DMA, strict) 4K'
titles[2] = 'arm64-strict (DMA, strict) 1M'
titles[3] = 'arm64-lazy (DMA-FQ, lazy) 4K'
titles[4] = 'arm64-lazy (DMA-FQ, lazy) 1M'
set terminal pngcairo size 800,600 font 'DejaVu Sans,10' noenhanced
set output 'tput_threads-map_single.png'
load tpl.'/common.gp'
load tpl.'/tput_threads.gp'
set terminal svg size 800,600 dynamic font 'DejaVu Sans,10' noenhanced
set output 'tput_threads-map_single.svg'
replot
set output
