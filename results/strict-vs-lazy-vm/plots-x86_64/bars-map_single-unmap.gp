# written by dmabench plot: gnuplot this file to redraw
tpl = '/work/main/scripts/gnuplot'
data = 'bars-map_single-unmap.dat'
plot_title = 'map_single unmap p50 latency by domain type / run, 1 thread'
setup = 'x86_64-strict: Linux 6.1.0-56-amd64, QEMU Standard PC (Q35 + ICH9, 2009), IOMMU dmar, qemu-tcg'
emulated = 1
N = 2
array titles[2]
titles[1] = 'x86_64-strict (DMA, strict)'
titles[2] = 'x86_64-lazy (DMA-FQ, lazy)'
set terminal pngcairo size 800,600 font 'DejaVu Sans,10' noenhanced
set output 'bars-map_single-unmap.png'
load tpl.'/common.gp'
load tpl.'/bars.gp'
set terminal svg size 800,600 dynamic font 'DejaVu Sans,10' noenhanced
set output 'bars-map_single-unmap.svg'
replot
set output
