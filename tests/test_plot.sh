#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# dmabench plot renders every plot of the fixture results directories
# (strict vs lazy) as a valid PNG and SVG.  Skipped (77) without gnuplot.
set -u

DMABENCH=${DMABENCH:-$(dirname "$0")/../bench/dmabench}
SRC=${srcdir:-$(dirname "$0")}
FIX=$SRC/fixtures
pass=0
fail=0

if ! command -v gnuplot >/dev/null 2>&1; then
	echo "SKIP: gnuplot not installed (Debian: apt-get install gnuplot-nox)"
	exit 77
fi
TMP=$(mktemp -d /tmp/dmabench-test-plot.XXXXXX) || exit 99
trap 'rm -rf "$TMP"' EXIT
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); printf 'FAIL: %s\n' "$*" >&2; }
# images DIR NAME: DIR/NAME.png and DIR/NAME.svg are valid and not empty
images() {
	png=$1/$2.png svg=$1/$2.svg
	# PNG: the 8-byte signature, an IHDR of 800x600, more than a header
	if [ -f "$png" ] &&
	   [ "$(od -An -tx1 -N8 "$png" | tr -d ' \n')" = 89504e470d0a1a0a ] &&
	   [ "$(od -An -tx1 -j16 -N8 "$png" | tr -d ' \n')" = 0000032000000258 ] &&
	   [ "$(wc -c <"$png")" -gt 5000 ]; then ok; else bad "$2.png not a valid 800x600 PNG"; fi
	if [ -f "$svg" ] && [ "$(wc -c <"$svg")" -gt 2000 ] &&
	   head -c 200 "$svg" | grep -q -e '<?xml' -e '<svg' &&
	   tail -c 100 "$svg" | grep -q '</svg>'; then ok; else bad "$2.svg not a valid SVG"; fi
}

if "$DMABENCH" plot "$FIX/strict" "$FIX/lazy" --out "$TMP/p" \
	--templates "$SRC/../scripts/gnuplot" 2>"$TMP/err"; then ok; else bad "plot: $(cat "$TMP/err")"; fi
grep -q "plot: 9 plots (PNG and SVG)" "$TMP/err" && ok || bad "summary: $(cat "$TMP/err")"

for name in lat_size-map_single-map lat_size-map_single-unmap \
	cdf-map_single-map cdf-map_single-unmap bars-map_single-map \
	bars-map_single-unmap compare-map_single-map \
	compare-map_single-unmap tput_threads-map_single; do
	images "$TMP/p" "$name"
done
grep -q "EMULATION FIGURES" "$TMP/p/lat_size-map_single-map.svg" && ok || bad "no emulation label"

# an old directory (the fixtures: dmabench 0.1.0, without the newer columns)
# with a new one (today's sweep of the same fake runs): the very same plots
TEST_SWEEP=${TEST_SWEEP:-./test_sweep}
if "$TEST_SWEEP" --fixture "$TMP/new" >"$TMP/err" 2>&1 &&
   "$DMABENCH" plot "$FIX/strict" "$TMP/new/lazy" --out "$TMP/on" \
	--templates "$SRC/../scripts/gnuplot" 2>"$TMP/err"; then
	n=0
	for f in "$TMP"/p/*.dat "$TMP"/p/*.gp; do
		n=$((n + 1))
		cmp -s "$f" "$TMP/on/${f##*/}" || bad "old+new plot: ${f##*/} differs"
	done
	[ "$n" -eq 18 ] && ok || bad "old+new plot: $n files"
else
	bad "old+new plot: $(cat "$TMP/err")"
fi

# iommu_map in two scopes x two flush policies: grouped bars per phase
# (scope x flush) and invalidation cost per buffer (flush x scope)
if "$DMABENCH" plot "$FIX/scopes" --out "$TMP/sc" \
	--templates "$SRC/../scripts/gnuplot" 2>"$TMP/err"; then ok; else bad "plot scopes: $(cat "$TMP/err")"; fi
for name in scopes-iommu_map-4K scopes-iommu_map-64K inval-iommu_map \
	lat_size-iommu_map-invalidate tput_threads-iommu_map; do
	images "$TMP/sc" "$name"
done
# four bars per phase, one per scope x flush, never merged
grep -q "^invalidate 971.0 947.0 947.0 947.0$" "$TMP/sc/scopes-iommu_map-4K.dat" &&
	grep -q "^titles\[4\] = 'per-instance, batch:32'$" "$TMP/sc/scopes-iommu_map-4K.gp" &&
	ok || bad "scopes bars: $(cat "$TMP/sc/scopes-iommu_map-4K.dat")"
grep -q "^strict/2 979.3 1431.5$" "$TMP/sc/inval-iommu_map.dat" &&
	grep -q "^batch:32/1 29.9 29.8$" "$TMP/sc/inval-iommu_map.dat" &&
	ok || bad "inval bars: $(cat "$TMP/sc/inval-iommu_map.dat")"
grep -q "invalidation cost per buffer<" "$TMP/sc/inval-iommu_map.svg" &&
	grep -q ">1.0 us<" "$TMP/sc/inval-iommu_map.svg" &&
	grep -q "EMULATION FIGURES" "$TMP/sc/scopes-iommu_map-4K.svg" && ok ||
	bad "scopes plots: units or emulation label missing"
# no scope plots for tests without scopes
[ ! -e "$TMP/p/inval-map_single.png" ] && ok || bad "inval plot for map_single"

# latency axes in human units: 100 ns, 1 us, 10 us ticks, never raw ns
for name in lat_size-map_single-map cdf-map_single-map bars-map_single-map; do
	grep -q ">1 us<" "$TMP/p/$name.svg" && ! grep -q ">1000<" "$TMP/p/$name.svg" &&
		ok || bad "$name: no human latency ticks"
done

# an aging run (run --interval as CSV): latency percentiles over time
{
	echo "test,device,dma_ops,domain_type,size,nents,threads,dir,phase,mean_ns,p50_ns,p90_ns,p99_ns,p999_ns,max_ns,ops_per_sec,platform,slow_allocs,time_s"
	for i in 0 1 2 3 4 5 6 7 8 9 10 11; do
		echo "map_single,0000:00:03.0,iommu,DMA,4096,1,1,bidir,map,$((900 + i * 10)),$((900 + i * 10)),1200,$((2000 + i * 100)),4000,9000,1000000,qemu-emulated,,$((i * 10)).000"
		echo "map_single,0000:00:03.0,iommu,DMA,4096,1,1,bidir,unmap,400,400,500,900,1000,2000,2000000,qemu-emulated,,$((i * 10)).000"
	done
} >"$TMP/aging.csv"
if "$DMABENCH" plot "$TMP/aging.csv" --out "$TMP/ag" \
	--templates "$SRC/../scripts/gnuplot" 2>"$TMP/err"; then ok; else bad "plot aging: $(cat "$TMP/err")"; fi
images "$TMP/ag" drift-map_single-map
images "$TMP/ag" drift-map_single-unmap
[ "$(grep -c '^[0-9]' "$TMP/ag/drift-map_single-map.dat")" -eq 12 ] &&
	grep -q "^110.000 1010 1200 3100$" "$TMP/ag/drift-map_single-map.dat" &&
	grep -q ">1 us<" "$TMP/ag/drift-map_single-map.svg" &&
	grep -q "EMULATION FIGURES" "$TMP/ag/drift-map_single-map.svg" &&
	ok || bad "drift: $(cat "$TMP/ag/drift-map_single-map.dat")"
# no drift plot without --interval rows
[ ! -e "$TMP/p/drift-map_single-map.png" ] && ok || bad "drift plot of a plain sweep"

# a damaged hist.csv: one line says so, the other plots are still drawn
mkdir -p "$TMP/badh" && cp "$FIX/strict/results.csv" "$FIX/strict/metadata.json" "$TMP/badh/" &&
	sed "2s/,[0-9]*\$/,x/" "$FIX/strict/hist.csv" >"$TMP/badh/hist.csv"
if "$DMABENCH" plot "$TMP/badh" --out "$TMP/bh" --templates "$SRC/../scripts/gnuplot" 2>"$TMP/err" &&
   grep -q "hist.csv:2: column 'count': 'x' is not a valid value: no latency CDF from" "$TMP/err" &&
   [ -f "$TMP/bh/lat_size-map_single-map.png" ] && [ ! -f "$TMP/bh/cdf-map_single-map.png" ]; then ok
else bad "damaged hist.csv: $(cat "$TMP/err")"; fi

# one directory: no compare or bars plots, still renders
if "$DMABENCH" plot "$FIX/strict" --out "$TMP/q" --templates "$SRC/../scripts/gnuplot" 2>"$TMP/err" &&
   [ -f "$TMP/q/lat_size-map_single-map.png" ] && [ ! -f "$TMP/q/compare-map_single-map.png" ]; then ok; else bad "one dir: $(cat "$TMP/err")"; fi

# bare CSVs (run -o x.csv, no metadata.json): "?" for what is unknown;
# a title wider than the picture goes on two lines (a gnuplot expression)
cp "$FIX/strict/results.csv" "$TMP/strict.csv" && cp "$FIX/lazy/results.csv" "$TMP/lazy.csv"
if "$DMABENCH" plot "$TMP/strict.csv" "$TMP/lazy.csv" --out "$TMP/bare" \
	--templates "$SRC/../scripts/gnuplot" 2>"$TMP/err"; then
	gp=$TMP/bare/compare-map_single-map.gp
	grep -qxF "setup = 'strict.csv: Linux ?, ?, IOMMU none, qemu-emulated'" "$gp" && ok ||
		bad "bare CSV setup: $(grep "^setup" "$gp")"
	grep -qxF "plot_title = 'map_single map: change in p50 latency vs strict.csv, 1 thread; whiskers: 95% CI (Hodges-Lehmann, log'.\"\\n\".'ratio)'" "$gp" && ok ||
		bad "long title not on two lines: $(grep "^plot_title" "$gp")"
	images "$TMP/bare" compare-map_single-map
else
	bad "plot bare CSVs: $(cat "$TMP/err")"
fi

# tests side by side (fixtures/iova-vs-sg.csv: map_sg and iova_link at
# nents 1..256 of 4K, x86_64 7.3 TCG): one line per test over every nents
# (tput_size: ops/s per size), and one series per test-phase, not one per
# nents
if "$DMABENCH" plot "$FIX/iova-vs-sg.csv" --out "$TMP/sg" \
	--templates "$SRC/../scripts/gnuplot" 2>"$TMP/err"; then
	images "$TMP/sg" tput_size
	[ "$(grep -c '^# ' "$TMP/sg/tput_size.dat")" -eq 2 ] &&
		grep -qx '# map_sg: scattered, 4K segments' "$TMP/sg/tput_size.dat" &&
		grep -qx '# iova_link: scattered, 4K segments' "$TMP/sg/tput_size.dat" &&
		[ "$(grep -c '^[0-9]' "$TMP/sg/tput_size.dat")" -eq 10 ] &&
		grep -qx '1048576 2090.1 1M' "$TMP/sg/tput_size.dat" && ok ||
		bad "tput_size: $(cat "$TMP/sg/tput_size.dat")"
	[ "$(grep -c '^# ' "$TMP/sg/lat_size-map_sg-map.dat")" -eq 1 ] &&
		[ "$(grep -c '^[0-9]' "$TMP/sg/lat_size-map_sg-map.dat")" -eq 5 ] && ok ||
		bad "lat_size map_sg: one series per nents: $(cat "$TMP/sg/lat_size-map_sg-map.dat")"
else
	bad "plot iova-vs-sg: $(cat "$TMP/err")"
fi
# one test: no tput_size
[ ! -f "$TMP/q/tput_size.dat" ] && ok || bad "tput_size with one test"

# scripts/plot wraps it
if DMABENCH=$DMABENCH sh "$SRC/../scripts/plot" "$FIX/lazy" --out "$TMP/r" 2>"$TMP/err" &&
   [ -f "$TMP/r/cdf-map_single-map.svg" ]; then ok; else bad "scripts/plot: $(cat "$TMP/err")"; fi

# without gnuplot on PATH: one line naming the package
mkdir -p "$TMP/bin"
if PATH=$TMP/bin "$DMABENCH" plot "$FIX/strict" --out "$TMP/s" --templates "$SRC/../scripts/gnuplot" 2>"$TMP/err"; then
	bad "no gnuplot: exit 0"
elif [ "$(grep -c 'gnuplot-nox' "$TMP/err")" -eq 1 ] && [ -f "$TMP/s/lat_size-map_single-map.gp" ]; then ok
else bad "no gnuplot: $(cat "$TMP/err")"; fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
