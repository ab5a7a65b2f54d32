# written by dmabench plot: gnuplot this file to redraw
tpl = '/work/wt/kernelsvm/scripts/gnuplot'
data = 'lat_size-iommu_map-iova_alloc.dat'
plot_title = 'iommu_map iova_alloc latency vs buffer size, 1 thread (median of repetitions)'
setup = 'iommu-map-phases-x86_64-amd-6.12-strict: Linux 6.12.117+deb12-amd64, QEMU Standard PC (Q35 + ICH9, 2009), IOMMU ivhd, qemu-tcg'
emulated = 1
N = 2
array titles[2]
titles[1] = 'iommu-map-phases-x86_64-amd-6.12-strict: per-device, strict'
titles[2] = 'iommu-map-phases-x86_64-amd-latest-strict: per-device, strict'
set terminal pngcairo size 800,600 font 'DejaVu Sans,10' noenhanced
set output 'lat_size-iommu_map-iova_alloc.png'
load tpl.'/common.gp'
load tpl.'/lat_size.gp'
set terminal svg size 800,600 dynamic font 'DejaVu Sans,10' noenhanced
set output 'lat_size-iommu_map-iova_alloc.svg'
replot
set output
