# written by dmabench plot: gnuplot this file to redraw
tpl = '/work/wt/kernelsvm/scripts/gnuplot'
data = 'inval-iommu_map.dat'
plot_title = 'iommu_map IOTLB invalidation cost per buffer by flush policy and scope, 4K (median of repetitions)'
setup = 'iommu-map-phases-arm64-6.1-lazy: Linux 6.1.0-57-arm64, linux,dummy-virt, IOMMU arm-smmu-v3, qemu-tcg'
emulated = 1
N = 3
array titles[3]
titles[1] = 'iommu-map-phases-arm64-6.1-lazy: per-device'
titles[2] = 'iommu-map-phases-arm64-6.12-lazy: per-device'
titles[3] = 'iommu-map-phases-arm64-latest-lazy: per-device'
set terminal pngcairo size 800,600 font 'DejaVu Sans,10' noenhanced
set output 'inval-iommu_map.png'
load tpl.'/common.gp'
load tpl.'/inval.gp'
set terminal svg size 800,600 dynamic font 'DejaVu Sans,10' noenhanced
set output 'inval-iommu_map.svg'
replot
set output
