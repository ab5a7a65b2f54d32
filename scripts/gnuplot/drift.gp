# Latency percentiles over an aging run (run --interval): the p50 line and
# the p99 line of every series, each point one interval.  data: one block
# per series (index i-1):  time_s p50_ns p90_ns p99_ns
set xlabel 'time since the start of the run (s)'
set ylabel 'latency of the interval (log scale)'
set logscale y 10
@lat_fmt_y
set key top left
plot for [i=1:N] data index (i-1) using 1:($2 * ns_to_s) with linespoints \
	lt i title titles[i].' p50', \
     for [i=1:N] data index (i-1) using 1:($4 * ns_to_s) with lines \
	lt i lw 1 title titles[i].' p99'
