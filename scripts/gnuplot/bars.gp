# Grouped bars: median p50 latency per buffer size, one bar per variant
# (results directory / domain type), told apart by fill pattern.
# data: header line, then  size_label v1 v2 ... vN
set style data histogram
set style histogram clustered gap 1
set style fill pattern 1 border -1
set logscale y 10
set yrange [*:*]
@lat_fmt_y
set xlabel 'buffer size'
set ylabel 'p50 latency (log scale)'
set key top left
plot for [i=1:N] data using (column(i+1) * ns_to_s):xtic(1) fs pattern (word(pats, i) + 0) \
	lt -1 title titles[i]
