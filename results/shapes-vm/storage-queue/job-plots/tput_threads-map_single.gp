# written by dmabench plot: gnuplot this file to redraw
tpl = '/work/wt-shapes-x86/scripts/gnuplot'
data = 'tput_threads-map_single.dat'
plot_title = 'map_single throughput vs threads (median of repetitions)'
setup = 'storage-queue: Linux 6.1.0-57-amd64, QEMU Standard PC (Q35 + ICH9, 2009), IOMMU dmar, qemu-tcg'
emulated = 1
N = 4
array titles[4]
titles[1] = 'storage-queue: depth 32, random order, mix 64K:50,128K:25,256K:15 64K'
titles[2] = 'storage-queue: depth 32, random order, mix 64K:50,128K:25,256K:15 1M'
titles[3] = 'storage-queue: depth 32, random order, mix 64K:50,128K:25,256K:15 64K'
titles[4] = 'storage-queue: depth 32, random order, mix 64K:50,128K:25,256K:15 1M'
set terminal pngcairo size 800,600 font 'DejaVu Sans,10' noenhanced
set output 'tput_threads-map_single.png'
load tpl.'/common.gp'
load tpl.'/tput_threads.gp'
set terminal svg size 800,600 dynamic font 'DejaVu Sans,10' noenhanced
set output 'tput_threads-map_single.svg'
replot
set output
