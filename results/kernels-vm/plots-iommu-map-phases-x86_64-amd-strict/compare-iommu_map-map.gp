# written by dmabench plot: gnuplot this file to redraw
tpl = '/work/wt/kernelsvm/scripts/gnuplot'
data = 'compare-iommu_map-map.dat'
plot_title = 'iommu_map map (per-device, strict): change in p50 latency vs iommu-map-phases-x86_64-amd-6.12-strict, 1 thread; whiskers: 95% CI (Hodges-Lehmann, log ratio)'
setup = 'iommu-map-phases-x86_64-amd-6.12-strict: Linux 6.12.117+deb12-amd64, QEMU Standard PC (Q35 + ICH9, 2009), IOMMU ivhd, qemu-tcg'
emulated = 1
N = 1
array titles[1]
titles[1] = 'iommu-map-phases-x86_64-amd-latest-stric vs iommu-map-phases-x86_64-amd-6.12-strict'
set terminal pngcairo size 800,600 font 'DejaVu Sans,10' noenhanced
set output 'compare-iommu_map-map.png'
load tpl.'/common.gp'
load tpl.'/compare.gp'
set terminal svg size 800,600 dynamic font 'DejaVu Sans,10' noenhanced
set output 'compare-iommu_map-map.svg'
replot
set output
