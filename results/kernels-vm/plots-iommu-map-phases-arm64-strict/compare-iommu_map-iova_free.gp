# written by dmabench plot: gnuplot this file to redraw
tpl = '/work/wt/kernelsvm/scripts/gnuplot'
data = 'compare-iommu_map-iova_free.dat'
plot_title = 'iommu_map iova_free (per-device, strict): change in p50 latency vs iommu-map-phases-arm64-6.1-strict, 1 thread; whiskers: 95% CI (Hodges-Lehmann, log ratio)'
setup = 'iommu-map-phases-arm64-6.1-strict: Linux 6.1.0-57-arm64, linux,dummy-virt, IOMMU arm-smmu-v3, qemu-tcg'
emulated = 1
N = 2
array titles[2]
titles[1] = 'iommu-map-phases-arm64-6.12-strict vs iommu-map-phases-arm64-6.1-strict'
titles[2] = 'iommu-map-phases-arm64-latest-strict vs iommu-map-phases-arm64-6.1-strict'
set terminal pngcairo size 800,600 font 'DejaVu Sans,10' noenhanced
set output 'compare-iommu_map-iova_free.png'
load tpl.'/common.gp'
load tpl.'/compare.gp'
set terminal svg size 800,600 dynamic font 'DejaVu Sans,10' noenhanced
set output 'compare-iommu_map-iova_free.svg'
replot
set output
