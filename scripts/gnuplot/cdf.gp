# Latency distribution (CDF) from the merged histograms.  data: one block
# per series:  latency_ns cumulative_fraction
set logscale x 10
set xlabel 'latency (log scale; bucket lower bounds)'
@lat_fmt_x
set ylabel 'fraction of operations at or below'
set yrange [0:1.02]
set ytics 0.1
set key bottom right
plot for [i=1:N] data index (i-1) using ($1 * ns_to_s):2 with steps lt i lw 2 \
	title titles[i]
