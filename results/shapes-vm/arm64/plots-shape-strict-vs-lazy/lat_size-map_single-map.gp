# written by dmabench plot: gnuplot this file to redraw
tpl = '/work/wt-shapes-arm64/scripts/gnuplot'
data = 'lat_size-map_single-map.dat'
plot_title = 'map_single map latency vs buffer size, 4 threads (median of repetitions)'
setup = 'strict.csv: Linux ?, ?, IOMMU none, qemu-tcg'
emulated = 1
N = 2
array titles[2]
titles[1] = 'strict.csv: depth 256, pairs 2:2, mix 4K:70,64K:25,1M:5'
titles[2] = 'lazy.csv: depth 256, pairs 2:2, mix 4K:70,64K:25,1M:5'
set terminal pngcairo size 800,600 font 'DejaVu Sans,10' noenhanced
set output 'lat_size-map_single-map.png'
load tpl.'/common.gp'
load tpl.'/lat_size.gp'
set terminal svg size 800,600 dynamic font 'DejaVu Sans,10' noenhanced
set output 'lat_size-map_single-map.svg'
replot
set output
