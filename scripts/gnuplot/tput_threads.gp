# Throughput against thread count.  data: one block per series:
#   threads ops_per_second
set xlabel 'threads'
set ylabel 'throughput (map+unmap operations/s, all threads, log scale)'
set xtics 1
set logscale y 10
set format y '%.0s%c'
plot for [i=1:N] data index (i-1) using 1:2 with linespoints lt i \
	title titles[i]
