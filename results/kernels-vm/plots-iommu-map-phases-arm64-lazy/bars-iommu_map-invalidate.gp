# written by dmabench plot: gnuplot this file to redraw
tpl = '/work/wt/kernelsvm/scripts/gnuplot'
data = 'bars-iommu_map-invalidate.dat'
plot_title = 'iommu_map invalidate p50 latency by domain type / run, 1 thread'
setup = 'iommu-map-phases-arm64-6.1-lazy: Linux 6.1.0-57-arm64, linux,dummy-virt, IOMMU arm-smmu-v3, qemu-tcg'
emulated = 1
N = 3
array titles[3]
titles[1] = 'iommu-map-phases-arm64-6.1-lazy: per-device, strict'
titles[2] = 'iommu-map-phases-arm64-6.12-lazy: per-device, strict'
titles[3] = 'iommu-map-phases-arm64-latest-lazy: per-device, strict'
set terminal pngcairo size 800,600 font 'DejaVu Sans,10' noenhanced
set output 'bars-iommu_map-invalidate.png'
load tpl.'/common.gp'
load tpl.'/bars.gp'
set terminal svg size 800,600 dynamic font 'DejaVu Sans,10' noenhanced
set output 'bars-iommu_map-invalidate.svg'
replot
set output
