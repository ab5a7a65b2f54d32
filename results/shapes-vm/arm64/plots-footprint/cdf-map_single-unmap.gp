# written by dmabench plot: gnuplot this file to redraw
tpl = '/work/wt-shapes-arm64/scripts/gnuplot'
data = 'cdf-map_single-unmap.dat'
plot_title = 'map_single unmap latency distribution, 4K, 1 thread (all repetitions)'
setup = 'footprint-0: Linux 6.1.0-57-arm64, linux,dummy-virt, IOMMU arm-smmu-v3, qemu-tcg'
emulated = 1
N = 2
array titles[2]
titles[1] = 'footprint-0 (DMA, strict)'
titles[2] = 'footprint-1G: footprint 1G'
set terminal pngcairo size 800,600 font 'DejaVu Sans,10' noenhanced
set output 'cdf-map_single-unmap.png'
load tpl.'/common.gp'
load tpl.'/cdf.gp'
set terminal svg size 800,600 dynamic font 'DejaVu Sans,10' noenhanced
set output 'cdf-map_single-unmap.svg'
replot
set output
