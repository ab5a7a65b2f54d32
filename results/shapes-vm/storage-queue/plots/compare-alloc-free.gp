# written by dmabench plot: gnuplot this file to redraw
tpl = '/work/wt-shapes-x86/scripts/gnuplot'
data = 'compare-alloc-free.dat'
plot_title = 'alloc free (depth 32, random order, mix 64K:50,128K:25,256K:15,1M:10): change in p50 latency vs'."\n".'lazy.csv, 1 thread; whiskers: 95% CI (Hodges-Lehmann, log ratio)'
setup = 'lazy.csv: Linux ?, ?, IOMMU none, qemu-tcg'
emulated = 1
N = 1
array titles[1]
titles[1] = 'strict.csv vs lazy.csv'
set terminal pngcairo size 800,600 font 'DejaVu Sans,10' noenhanced
set output 'compare-alloc-free.png'
load tpl.'/common.gp'
load tpl.'/compare.gp'
set terminal svg size 800,600 dynamic font 'DejaVu Sans,10' noenhanced
set output 'compare-alloc-free.svg'
replot
set output
