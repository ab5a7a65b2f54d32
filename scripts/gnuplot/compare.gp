# Change against the baseline with 95 % confidence intervals: one bar per
# buffer size and candidate, whiskers from the Hodges-Lehmann interval.
# data: header line, then  size_label d1 lo1 hi1 d2 lo2 hi2 ...
set style data histogram
set style histogram errorbars gap 1 lw 1.5
set style fill pattern 1 border -1
set xlabel 'buffer size'
set ylabel 'change in p50 latency (%), negative = faster'
set xzeroaxis lt -1 lw 1.5
set yrange [*<0:0<*]
set key outside top center horizontal box
plot for [i=1:N] data using (column(3*i-1)):(column(3*i)):(column(3*i+1)):xtic(1) \
	fs pattern (word(pats, i) + 0) lt -1 title titles[i]
