# written by dmabench plot: gnuplot this file to redraw
tpl = '/work/wt/kernelsvm/scripts/gnuplot'
data = 'lat_size-iommu_map-map.dat'
plot_title = 'iommu_map map latency vs buffer size, 1 thread (median of repetitions)'
setup = 'iommu-map-phases-arm64-6.1-lazy: Linux 6.1.0-57-arm64, linux,dummy-virt, IOMMU arm-smmu-v3, qemu-tcg'
emulated = 1
N = 3
array titles[3]
titles[1] = 'iommu-map-phases-arm64-6.1-lazy: per-device, strict'
titles[2] = 'iommu-map-phases-arm64-6.12-lazy: per-device, strict'
titles[3] = 'iommu-map-phases-arm64-latest-lazy: per-device, strict'
set terminal pngcairo size 800,600 font 'DejaVu Sans,10' noenhanced
set output 'lat_size-iommu_map-map.png'
load tpl.'/common.gp'
load tpl.'/lat_size.gp'
set terminal svg size 800,600 dynamic font 'DejaVu Sans,10' noenhanced
set output 'lat_size-iommu_map-map.svg'
replot
set output
