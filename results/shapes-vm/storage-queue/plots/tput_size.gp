# written by dmabench plot: gnuplot this file to redraw
tpl = '/work/wt-shapes-x86/scripts/gnuplot'
data = 'tput_size.dat'
plot_title = 'whole-op throughput vs buffer size, tests side by side, 1 thread (median of repetitions)'
setup = 'lazy.csv: Linux ?, ?, IOMMU none, qemu-tcg'
emulated = 1
N = 4
array titles[4]
titles[1] = 'map_single: lazy.csv: depth 32, random order, mix 64K:50,128K:25,256K:15'
titles[2] = 'map_single: strict.csv: depth 32, random order, mix 64K:50,128K:25,256K:15'
titles[3] = 'alloc: lazy.csv: depth 32, random order, mix 64K:50,128K:25,256K:15'
titles[4] = 'alloc: strict.csv: depth 32, random order, mix 64K:50,128K:25,256K:15'
set terminal pngcairo size 800,600 font 'DejaVu Sans,10' noenhanced
set output 'tput_size.png'
load tpl.'/common.gp'
load tpl.'/tput_size.gp'
set terminal svg size 800,600 dynamic font 'DejaVu Sans,10' noenhanced
set output 'tput_size.svg'
replot
set output
