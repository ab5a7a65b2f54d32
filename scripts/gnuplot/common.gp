# dmabench plot: style shared by every template (loaded first).
# Variables set by the driver script: plot_title, setup, emulated, N,
# titles[1..N], data.  Series differ by dash type and point type, never
# only by colour, so the plots survive grey-scale printing and archives.
set termoption noenhanced
set encoding utf8
set grid xtics ytics mxtics mytics lc rgb '#d0d0d0' lw 1
set key top left box opaque samplen 4 spacing 1.2
set border lw 1.2
pts = '6 4 8 12 10 14 2 1'
# fill patterns of bars: diagonal one way, empty, the other way, ...
pats = '4 0 5 2 6 1 7 3'
do for [i=1:8] {
	set linetype i dashtype i pointtype (word(pts, i) + 0) linewidth 2 pointsize 1.3
}
set title sprintf("%s\n%s", plot_title, setup) noenhanced
set bmargin 5
if (emulated) {
	set label 99 'EMULATION FIGURES (QEMU TCG): compare ratios, not absolute times' \
		at screen 0.5, screen 0.02 center front font ',9'
}
# Latencies: the data are ns; templates plot them times ns_to_s and label
# the axis in human units (100 ns, 1 us, 10 us, 1 ms) with @lat_fmt_y /
# @lat_fmt_x on log axes, @lat_fmt_y_lin on linear ones.
ns_to_s = 1e-9
lat_fmt_y = "set format y '%.0s %cs'"
lat_fmt_x = "set format x '%.0s %cs'"
lat_fmt_y_lin = "set format y '%.1s %cs'"
