# Whole-op throughput against buffer size, log-log, one line per test
# (tests side by side).  data: one block per series (index i-1):
#   size_bytes ops_per_second size_label
set logscale x 2
set offsets graph 0.04, graph 0.04
set logscale y 10
set xlabel 'buffer size (bytes, log scale)'
set ylabel 'throughput (whole ops/s, all threads, log scale)'
set format y '%.0s%c'
plot for [i=1:N] data index (i-1) using 1:2:xtic(3) with linespoints \
	lt i title titles[i]
