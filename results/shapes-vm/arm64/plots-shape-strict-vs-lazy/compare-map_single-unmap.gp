# written by dmabench plot: gnuplot this file to redraw
tpl = '/work/wt-shapes-arm64/scripts/gnuplot'
data = 'compare-map_single-unmap.dat'
plot_title = 'map_single unmap (depth 256, pairs 2:2, mix 4K:70,64K:25,1M:5): change in p50 latency vs strict.csv,'."\n".'4 threads; whiskers: 95% CI (Hodges-Lehmann, log ratio)'
setup = 'strict.csv: Linux ?, ?, IOMMU none, qemu-tcg'
emulated = 1
N = 1
array titles[1]
titles[1] = 'lazy.csv vs strict.csv'
set terminal pngcairo size 800,600 font 'DejaVu Sans,10' noenhanced
set output 'compare-map_single-unmap.png'
load tpl.'/common.gp'
load tpl.'/compare.gp'
set terminal svg size 800,600 dynamic font 'DejaVu Sans,10' noenhanced
set output 'compare-map_single-unmap.svg'
replot
set output
