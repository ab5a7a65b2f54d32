# Latency against buffer size, log-log: the p50 line of every series over
# its p90..p99 band (hatched, a different hatch per series).  data: one
# block per series (index i-1):
#   size_bytes p50_ns p90_ns p99_ns size_label
set logscale x 2
set offsets graph 0.04, graph 0.04
set logscale y 10
set xlabel 'buffer size (bytes, log scale)'
set ylabel 'latency (log scale)'
@lat_fmt_y
bands = '4 5 6 7 4 5 6 7'
plot for [i=1:N] data index (i-1) using 1:($3 * ns_to_s):($4 * ns_to_s) with filledcurves \
	fs transparent pattern (word(bands, i) + 0) border lt i lw 0.5 \
	lt i title titles[i].' p90..p99', \
     for [i=1:N] data index (i-1) using 1:($2 * ns_to_s):xtic(5) with linespoints \
	lt i title titles[i].' p50'
