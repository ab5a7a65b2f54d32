# written by dmabench plot: gnuplot this file to redraw
tpl = '/work/wt-shapes-x86/scripts/gnuplot'
data = 'lat_size-alloc-alloc.dat'
plot_title = 'alloc alloc latency vs buffer size, 1 thread (median of repetitions)'
setup = 'Linux ?, ?, IOMMU none, qemu-tcg'
emulated = 1
N = 1
array titles[1]
titles[1] = 'depth 32, random order, mix 64K:50,128K:25,256K:15'
set terminal pngcairo size 800,600 font 'DejaVu Sans,10' noenhanced
set output 'lat_size-alloc-alloc.png'
load tpl.'/common.gp'
load tpl.'/lat_size.gp'
set terminal svg size 800,600 dynamic font 'DejaVu Sans,10' noenhanced
set output 'lat_size-alloc-alloc.svg'
replot
set output
