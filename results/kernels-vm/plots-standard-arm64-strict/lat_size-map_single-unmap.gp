# written by dmabench plot: gnuplot this file to redraw
tpl = '/work/wt/kernelsvm/scripts/gnuplot'
data = 'lat_size-map_single-unmap.dat'
plot_title = 'map_single unmap latency vs buffer size, 1 thread (median of repetitions)'
setup = 'standard-arm64-6.1-strict: Linux 6.1.0-57-arm64, linux,dummy-virt, IOMMU arm-smmu-v3, qemu-tcg'
emulated = 1
N = 3
array titles[3]
titles[1] = 'standard-arm64-6.1-strict (DMA, strict)'
titles[2] = 'standard-arm64-6.12-strict (DMA, strict)'
titles[3] = 'standard-arm64-latest-strict (DMA, strict)'
set terminal pngcairo size 800,600 font 'DejaVu Sans,10' noenhanced
set output 'lat_size-map_single-unmap.png'
load tpl.'/common.gp'
load tpl.'/lat_size.gp'
set terminal svg size 800,600 dynamic font 'DejaVu Sans,10' noenhanced
set output 'lat_size-map_single-unmap.svg'
replot
set output
