# written by dmabench plot: gnuplot this file to redraw
tpl = '/work/main/scripts/gnuplot'
data = 'inval-iommu_map.dat'
plot_title = 'iommu_map IOTLB invalidation cost per buffer by flush policy and scope, 4K (median of repetitions)'
setup = 'Linux 6.1.0-57-arm64, QEMU Virtual Machine, IOMMU arm-smmu-v3, qemu-tcg'
emulated = 1
N = 2
array titles[2]
titles[1] = 'per-device'
titles[2] = 'per-instance'
set terminal pngcairo size 800,600 font 'DejaVu Sans,10' noenhanced
set output 'inval-iommu_map.png'
load tpl.'/common.gp'
load tpl.'/inval.gp'
set terminal svg size 800,600 dynamic font 'DejaVu Sans,10' noenhanced
set output 'inval-iommu_map.svg'
replot
set output
