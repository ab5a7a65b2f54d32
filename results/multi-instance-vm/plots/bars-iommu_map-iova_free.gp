# written by dmabench plot: gnuplot this file to redraw
tpl = '/work/main/scripts/gnuplot'
data = 'bars-iommu_map-iova_free.dat'
plot_title = 'iommu_map iova_free p50 latency by domain type / run, 1 thread'
setup = 'Linux 6.1.0-57-arm64, QEMU Virtual Machine, IOMMU arm-smmu-v3, qemu-tcg'
emulated = 1
N = 4
array titles[4]
titles[1] = 'per-device, strict'
titles[2] = 'per-device, batch:32'
titles[3] = 'per-instance, strict'
titles[4] = 'per-instance, batch:32'
set terminal pngcairo size 800,600 font 'DejaVu Sans,10' noenhanced
set output 'bars-iommu_map-iova_free.png'
load tpl.'/common.gp'
load tpl.'/bars.gp'
set terminal svg size 800,600 dynamic font 'DejaVu Sans,10' noenhanced
set output 'bars-iommu_map-iova_free.svg'
replot
set output
