# written by dmabench plot: gnuplot this file to redraw
tpl = '/work/wt/kernelsvm/scripts/gnuplot'
data = 'bars-iommu_map-map.dat'
plot_title = 'iommu_map map p50 latency by domain type / run, 1 thread'
setup = 'iommu-map-phases-x86_64-amd-6.12-strict: Linux 6.12.117+deb12-amd64, QEMU Standard PC (Q35 + ICH9, 2009), IOMMU ivhd, qemu-tcg'
emulated = 1
N = 2
array titles[2]
titles[1] = 'iommu-map-phases-x86_64-amd-6.12-strict: per-device, strict'
titles[2] = 'iommu-map-phases-x86_64-amd-latest-strict: per-device, strict'
set terminal pngcairo size 800,600 font 'DejaVu Sans,10' noenhanced
set output 'bars-iommu_map-map.png'
load tpl.'/common.gp'
load tpl.'/bars.gp'
set terminal svg size 800,600 dynamic font 'DejaVu Sans,10' noenhanced
set output 'bars-iommu_map-map.svg'
replot
set output
