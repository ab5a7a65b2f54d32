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

if "$DMABENCH" plot "$FIX/strict" "$FIX/lazy" --out "$TMP/p" \
	--templates "$SRC/../scripts/gnuplot" 2>"$TMP/err"; then ok; else bad "plot: $(cat "$TMP/err")"; fi
grep -q "plot: 9 plots (PNG and SVG)" "$TMP/err" && ok || bad "summary: $(cat "$TMP/err")"

for name in lat_size-map_single-map lat_size-map_single-unmap \
	cdf-map_single-map cdf-map_single-unmap bars-map_single-map \
	bars-map_single-unmap compare-map_single-map \
	compare-map_single-unmap tput_threads-map_single; do
	png=$TMP/p/$name.png svg=$TMP/p/$name.svg
	# PNG: the 8-byte signature, an IHDR of 800x600, more than a header
	if [ -f "$png" ] &&
	   [ "$(od -An -tx1 -N8 "$png" | tr -d ' \n')" = 89504e470d0a1a0a ] &&
	   [ "$(od -An -tx1 -j16 -N8 "$png" | tr -d ' \n')" = 0000032000000258 ] &&
	   [ "$(wc -c <"$png")" -gt 5000 ]; then ok; else bad "$name.png not a valid 800x600 PNG"; fi
	if [ -f "$svg" ] && [ "$(wc -c <"$svg")" -gt 2000 ] &&
	   head -c 200 "$svg" | grep -q -e '<?xml' -e '<svg' &&
	   tail -c 100 "$svg" | grep -q '</svg>'; then ok; else bad "$name.svg not a valid SVG"; fi
done
grep -q "EMULATION FIGURES" "$TMP/p/lat_size-map_single-map.svg" && ok || bad "no emulation label"

# one directory: no compare or bars plots, still renders
if "$DMABENCH" plot "$FIX/strict" --out "$TMP/q" --templates "$SRC/../scripts/gnuplot" 2>"$TMP/err" &&
   [ -f "$TMP/q/lat_size-map_single-map.png" ] && [ ! -f "$TMP/q/compare-map_single-map.png" ]; then ok; else bad "one dir: $(cat "$TMP/err")"; fi

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
