# written by dmabench plot: gnuplot this file to redraw
tpl = '/work/wt/kernelsvm/scripts/gnuplot'
data = 'scopes-iommu_map-2M.dat'
plot_title = 'iommu_map p50 latency per phase by scope and flush policy, 2M, 1 thread (median of repetitions)'
setup = 'iommu-map-phases-arm64-6.1-strict: Linux 6.1.0-57-arm64, linux,dummy-virt, IOMMU arm-smmu-v3, qemu-tcg'
emulated = 1
N = 3
array titles[3]
titles[1] = 'iommu-map-phases-arm64-6.1-strict: per-device, strict'
titles[2] = 'iommu-map-phases-arm64-6.12-strict: per-device, strict'
titles[3] = 'iommu-map-phases-arm64-latest-strict: per-device, strict'
set terminal pngcairo size 800,600 font 'DejaVu Sans,10' noenhanced
set output 'scopes-iommu_map-2M.png'
load tpl.'/common.gp'
load tpl.'/scopes.gp'
set terminal svg size 800,600 dynamic font 'DejaVu Sans,10' noenhanced
set output 'scopes-iommu_map-2M.svg'
replot
set output
