# written by dmabench plot: gnuplot this file to redraw
tpl = '/work/wt/kernelsvm/scripts/gnuplot'
data = 'tput_threads-map_single.dat'
plot_title = 'map_single throughput vs threads (median of repetitions)'
setup = 'standard-x86_64-6.1-strict: Linux 6.1.0-57-amd64, QEMU Standard PC (Q35 + ICH9, 2009), IOMMU dmar, qemu-tcg'
emulated = 1
N = 6
array titles[6]
titles[1] = 'standard-x86_64-6.1-strict (DMA, strict) 4K'
titles[2] = 'standard-x86_64-6.1-strict (DMA, strict) 4M'
titles[3] = 'standard-x86_64-6.12-strict (DMA, strict) 4K'
titles[4] = 'standard-x86_64-6.12-strict (DMA, strict) 4M'
titles[5] = 'standard-x86_64-latest-strict (DMA, strict) 4K'
titles[6] = 'standard-x86_64-latest-strict (DMA, strict) 4M'
set terminal pngcairo size 800,600 font 'DejaVu Sans,10' noenhanced
set output 'tput_threads-map_single.png'
load tpl.'/common.gp'
load tpl.'/tput_threads.gp'
set terminal svg size 800,600 dynamic font 'DejaVu Sans,10' noenhanced
set output 'tput_threads-map_single.svg'
replot
set output
