# written by dmabench plot: gnuplot this file to redraw
tpl = '/work/wt-shapes-x86/scripts/gnuplot'
data = 'drift-map_single-unmap.dat'
plot_title = 'map_single unmap latency over time, one point per interval, 2 threads'
setup = 'Linux ?, ?, IOMMU none, qemu-tcg'
emulated = 1
N = 1
array titles[1]
titles[1] = 'aging.csv (DMA-FQ, lazy) 4K'
set terminal pngcairo size 800,600 font 'DejaVu Sans,10' noenhanced
set output 'drift-map_single-unmap.png'
load tpl.'/common.gp'
load tpl.'/drift.gp'
set terminal svg size 800,600 dynamic font 'DejaVu Sans,10' noenhanced
set output 'drift-map_single-unmap.svg'
replot
set output
