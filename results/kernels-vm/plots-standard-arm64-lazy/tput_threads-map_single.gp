# written by dmabench plot: gnuplot this file to redraw
tpl = '/work/wt/kernelsvm/scripts/gnuplot'
data = 'tput_threads-map_single.dat'
plot_title = 'map_single throughput vs threads (median of repetitions)'
setup = 'standard-arm64-6.1-lazy: Linux 6.1.0-57-arm64, linux,dummy-virt, IOMMU arm-smmu-v3, qemu-tcg'
emulated = 1
N = 6
array titles[6]
titles[1] = 'standard-arm64-6.1-lazy (DMA-FQ, lazy) 4K'
titles[2] = 'standard-arm64-6.1-lazy (DMA-FQ, lazy) 4M'
titles[3] = 'standard-arm64-6.12-lazy (DMA-FQ, lazy) 4K'
titles[4] = 'standard-arm64-6.12-lazy (DMA-FQ, lazy) 4M'
titles[5] = 'standard-arm64-latest-lazy (DMA-FQ, lazy) 4K'
titles[6] = 'standard-arm64-latest-lazy (DMA-FQ, lazy) 4M'
set terminal pngcairo size 800,600 font 'DejaVu Sans,10' noenhanced
set output 'tput_threads-map_single.png'
load tpl.'/common.gp'
load tpl.'/tput_threads.gp'
set terminal svg size 800,600 dynamic font 'DejaVu Sans,10' noenhanced
set output 'tput_threads-map_single.svg'
replot
set output
