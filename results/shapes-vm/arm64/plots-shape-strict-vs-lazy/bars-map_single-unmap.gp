# written by dmabench plot: gnuplot this file to redraw
tpl = '/work/wt-shapes-arm64/scripts/gnuplot'
data = 'bars-map_single-unmap.dat'
plot_title = 'map_single unmap p50 latency by domain type / run, 4 threads'
setup = 'strict.csv: Linux ?, ?, IOMMU none, qemu-tcg'
emulated = 1
N = 2
array titles[2]
titles[1] = 'strict.csv: depth 256, pairs 2:2, mix 4K:70,64K:25,1M:5'
titles[2] = 'lazy.csv: depth 256, pairs 2:2, mix 4K:70,64K:25,1M:5'
set terminal pngcairo size 800,600 font 'DejaVu Sans,10' noenhanced
set output 'bars-map_single-unmap.png'
load tpl.'/common.gp'
load tpl.'/bars.gp'
set terminal svg size 800,600 dynamic font 'DejaVu Sans,10' noenhanced
set output 'bars-map_single-unmap.svg'
replot
set output
