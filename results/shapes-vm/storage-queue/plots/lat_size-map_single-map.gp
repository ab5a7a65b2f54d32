# written by dmabench plot: gnuplot this file to redraw
tpl = '/work/wt-shapes-x86/scripts/gnuplot'
data = 'lat_size-map_single-map.dat'
plot_title = 'map_single map latency vs buffer size, 1 thread (median of repetitions)'
setup = 'lazy.csv: Linux ?, ?, IOMMU none, qemu-tcg'
emulated = 1
N = 2
array titles[2]
titles[1] = 'lazy.csv: depth 32, random order, mix 64K:50,128K:25,256K:15'
titles[2] = 'strict.csv: depth 32, random order, mix 64K:50,128K:25,256K:15'
set terminal pngcairo size 800,600 font 'DejaVu Sans,10' noenhanced
set output 'lat_size-map_single-map.png'
load tpl.'/common.gp'
load tpl.'/lat_size.gp'
set terminal svg size 800,600 dynamic font 'DejaVu Sans,10' noenhanced
set output 'lat_size-map_single-map.svg'
replot
set output
