# written by dmabench plot: gnuplot this file to redraw
tpl = '/work/main/scripts/gnuplot'
data = 'compare-map_single-map.dat'
plot_title = 'map_single map: change in p50 latency vs arm64-strict, 1 thread; whiskers: 95% CI (Hodges-Lehmann, log ratio)'
setup = 'arm64-strict: Linux 6.1.0-56-arm64, linux,dummy-virt, IOMMU arm-smmu-v3, qemu-tcg'
emulated = 1
N = 1
array titles[1]
titles[1] = 'arm64-lazy vs arm64-strict'
set terminal pngcairo size 800,600 font 'DejaVu Sans,10' noenhanced
set output 'compare-map_single-map.png'
load tpl.'/common.gp'
load tpl.'/compare.gp'
set terminal svg size 800,600 dynamic font 'DejaVu Sans,10' noenhanced
set output 'compare-map_single-map.svg'
replot
set output
