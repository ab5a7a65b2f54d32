# Grouped bars: IOTLB invalidation cost per buffer unmapped, one cluster
# per flush policy and thread count, one bar per scope (fill pattern).
# data: header line, then  flush/threads v1 v2 ... vN
set style data histogram
set style histogram clustered gap 1
set style fill pattern 1 border -1
set yrange [0:*]
@lat_fmt_y_lin
set xlabel 'flush policy / threads'
set ylabel 'invalidation cost per buffer'
set key top right
plot for [i=1:N] data using (column(i+1) * ns_to_s):xtic(1) fs pattern (word(pats, i) + 0) \
	lt -1 title titles[i]
