# written by dmabench plot: gnuplot this file to redraw
tpl = '/work/main/scripts/gnuplot'
data = 'tput_threads-map_single.dat'
plot_title = 'map_single throughput vs threads (median of repetitions)'
setup = 'x86_64-strict: Linux 6.1.0-56-amd64, QEMU Standard PC (Q35 + ICH9, 2009), IOMMU dmar, qemu-tcg'
emulated = 1
N = 4
array titles[4]
titles[1] = 'x86_64-strict (DMA, strict) 4K'
titles[2] = 'x86_64-strict (DMA, strict) 1M'
titles[3] = 'x86_64-lazy (DMA-FQ, lazy) 4K'
titles[4] = 'x86_64-lazy (DMA-FQ, lazy) 1M'
set terminal pngcairo size 800,600 font 'DejaVu Sans,10' noenhanced
set output 'tput_threads-map_single.png'
load tpl.'/common.gp'
load tpl.'/tput_threads.gp'
set terminal svg size 800,600 dynamic font 'DejaVu Sans,10' noenhanced
set output 'tput_threads-map_single.svg'
replot
set output
