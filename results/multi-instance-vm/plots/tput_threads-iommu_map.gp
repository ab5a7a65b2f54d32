# written by dmabench plot: gnuplot this file to redraw
tpl = '/work/main/scripts/gnuplot'
data = 'tput_threads-iommu_map.dat'
plot_title = 'iommu_map throughput vs threads (median of repetitions)'
setup = 'Linux 6.1.0-57-arm64, QEMU Virtual Machine, IOMMU arm-smmu-v3, qemu-tcg'
emulated = 1
N = 8
array titles[8]
titles[1] = 'per-device, strict 4K'
titles[2] = 'per-device, strict 1M'
titles[3] = 'per-device, batch:32 4K'
titles[4] = 'per-device, batch:32 1M'
titles[5] = 'per-instance, strict 4K'
titles[6] = 'per-instance, strict 1M'
titles[7] = 'per-instance, batch:32 4K'
titles[8] = 'per-instance, batch:32 1M'
set terminal pngcairo size 800,600 font 'DejaVu Sans,10' noenhanced
set output 'tput_threads-iommu_map.png'
load tpl.'/common.gp'
load tpl.'/tput_threads.gp'
set terminal svg size 800,600 dynamic font 'DejaVu Sans,10' noenhanced
set output 'tput_threads-iommu_map.svg'
replot
set output
