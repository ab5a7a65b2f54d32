#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# compare and report on the fixture results directories (tests/fixtures:
# strict and lazy invalidation, written by test_sweep --fixture): tables
# under 72 columns, warnings about the setups, csv/json, and --fail-above
# exiting 1 on a regression and 0 on identical runs; the shipped job files
# (scripts/jobs) expand.
set -u

DMABENCH=${DMABENCH:-$(dirname "$0")/../bench/dmabench}
FIX=${srcdir:-$(dirname "$0")}/fixtures
pass=0
fail=0
TMP=$(mktemp -d /tmp/dmabench-test-compare.XXXXXX) || exit 99
trap 'rm -rf "$TMP"' EXIT

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); printf 'FAIL: %s\n' "$*" >&2; }
# run CODE ARGS...: exit code CODE, output in $TMP/out and $TMP/err
run() {
	code=$1
	shift
	"$DMABENCH" "$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	if [ "$rc" -ne "$code" ]; then
		bad "dmabench $*: exit $rc, want $code: $(cat "$TMP/err")"
		return 1
	fi
	ok
}
has() { if grep -qF -- "$1" "$TMP/out"; then ok; else bad "no '$1' in output of $2"; fi; }
narrow() {
	w=$(awk '{ if (length > m) m = length } END { print m + 0 }' "$TMP/out")
	if [ "$w" -le 72 ]; then ok; else bad "$1: $w columns wide"; fi
}

# Benjamini-Hochberg: 2 of 44 rows 10 % slower in all 5 repetitions (Mann-
# Whitney p 0.011, 0.012) are significant per row, not after the correction
# over the 44 rows (q = 0.0117 x 44 / 2 = 0.26); the summary, --fail-above
# and the method line follow the correction.
cp -r "$FIX/strict" "$TMP/one"
awk -F, -v OFS=, 'NR > 1 && $1 == "map_single" && $5 == 4096 && $9 == "map" { $13 = int($13 * 1.1) } { print }' \
	"$FIX/strict/results.csv" > "$TMP/one/results.csv"
run 0 compare "$FIX/strict" "$TMP/one" --fail-above 5% &&
	has "strict vs strict: 44 configurations, 0 faster, 0 slower" "bh" &&
	has "(significant: q < 0.05, Benjamini-Hochberg)" "bh"
run 1 compare "$FIX/strict" "$TMP/one" --fail-above 5% --correction none &&
	has "strict vs strict: 44 configurations, 0 faster, 2 slower" "none" &&
	has "(significant: p < 0.05, per row)" "none"
run 0 compare "$FIX/strict" "$TMP/one" --format json &&
	has '"alpha": 0.05, "correction": "benjamini-hochberg"' "json method" &&
	has '"p_value": 0.011' "json p" && has '"q_value": 0.256681' "json q"
run 1 compare "$FIX/strict" "$TMP/one" --fail-above 5% --alpha 0.4 &&
	has "(significant: q < 0.4, Benjamini-Hochberg)" "alpha"
for a in 0 0.6 x; do
	run 2 compare "$FIX/strict" "$TMP/one" --alpha "$a" &&
		grep -q "bad --alpha '$a'" "$TMP/err" && ok || bad "--alpha $a"
done
run 2 compare "$FIX/strict" "$TMP/one" --correction bonferroni && ok
# different timing modes and clocks: both named in a warning
awk -F, -v OFS=, 'NR == 1 { print $0 ",timing,clock"; next } { print $0 ",batch:64,tsc" }' \
	"$FIX/strict/results.csv" > "$TMP/one/results.csv"
run 0 compare "$FIX/strict" "$TMP/one" &&
	has "WARNING: timing differs: strict unrecorded, strict batch" "timing" &&
	has "WARNING: clock differs: strict unrecorded, strict tsc" "clock"

# identical runs: nothing significant, --fail-above passes
run 0 compare "$FIX/strict" "$FIX/strict" --fail-above 1% &&
	has "strict vs strict: 44 configurations, 0 faster, 0 slower" "identical"
narrow "compare identical"

# strict against lazy: unmap much faster, warnings name what differs
run 0 compare "$FIX/strict" "$FIX/lazy" --fail-above 5%
narrow "compare strict lazy"
has "lazy vs strict: 44 configurations, 22 faster, 0 slower" "strict lazy"
has "WARNING: domain type differs: strict DMA (strict), lazy DMA-FQ" "strict lazy"
has "WARNING: IOMMU kernel parameters differ" "strict lazy"
has "NOTE: qemu-emulated" "strict lazy"
has "Mann-Whitney U" "strict lazy"
grep -E "^ +4K +1 +5/5 +1447 +353 +-75.6% .* \*$" "$TMP/out" >/dev/null && ok || bad "4K unmap line"

# the other way round it is a regression: exit 1, and says so
run 1 compare "$FIX/lazy" "$FIX/strict" --fail-above 5% &&
	if grep -q "22 configurations slower than lazy by more than 5%" "$TMP/err"; then ok; else bad "regression message: $(cat "$TMP/err")"; fi
# ... but not above 500 %
run 0 compare "$FIX/lazy" "$FIX/strict" --fail-above 500%

run 0 compare "$FIX/strict" "$FIX/lazy" --format csv &&
	has "strict,lazy,map_single,map_single,4096,1,1,bidir,unmap,5,5,1447.0,353.0,-75.605," "csv"
[ "$(wc -l <"$TMP/out")" -eq 45 ] && ok || bad "csv: $(wc -l <"$TMP/out") lines"
# the settings of the key after live, so no two lines look the same
head -1 "$TMP/out" | grep -q ",scope,flush,iova_bits,live,seg_size,layout,attrs,coherency,bounce,align,depth,order,hold,pairs,footprint,size_mix,size_class$" &&
	ok || bad "csv header: $(head -1 "$TMP/out")"
run 0 compare "$FIX/strict" "$FIX/lazy" --format json &&
	has '"test": "Mann-Whitney U, two-sided"' "json"
has '"regressions": 0' "json"
has '"significant": true' "json"

run 2 compare "$FIX/strict"
run 2 compare "$FIX/strict" "$FIX/lazy" --fail-above x
run 1 compare "$FIX/strict" "$TMP/nonexistent"
# a damaged results.csv: the line and the column, exit 1
mkdir -p "$TMP/bad" && sed "3s/^map_single,0000:00:03.0,iommu,DMA,4096,/map_single,0000:00:03.0,iommu,DMA,4K,/" \
	"$FIX/strict/results.csv" >"$TMP/bad/results.csv"
run 1 compare "$FIX/strict" "$TMP/bad" &&
	if grep -q "bad/results.csv:3: column 'size': '4K' is not a valid value" "$TMP/err"; then ok; else bad "bad size: $(cat "$TMP/err")"; fi
head -1 "$FIX/strict/results.csv" | sed "s/,p50_ns,/,p50,/" >"$TMP/bad/results.csv"
run 1 report "$TMP/bad" &&
	if grep -q "no column 'p50_ns': not a dmabench CSV" "$TMP/err"; then ok; else bad "no p50_ns: $(cat "$TMP/err")"; fi

# --ignore: two sweeps of one job section that differ only in the
# footprint (3 repetitions each; map p50 1000/1010/1020 against
# 1500/1510/1520, unmap 500 more) pair only when the footprint is ignored
fp_dir() { # DIR FOOTPRINT BASE_NS
	mkdir -p "$1"
	{
		echo "test,device,dma_ops,domain_type,size,nents,threads,dir,phase,ops,mean_ns,stddev_ns,p50_ns,p90_ns,p99_ns,p999_ns,max_ns,ops_per_sec,min_ns,errors,status,elapsed_ns,timer_overhead_ns,platform,depth,order,footprint,footprint_mapped,job,rep"
		for rep in 0 1 2; do
			for ph in map unmap; do
				p=$(($3 + rep * 10))
				[ $ph = map ] || p=$((p + 500))
				echo "map_single,0000:00:03.0,iommu,DMA,4096,1,1,bidir,$ph,1000,$p.0,1.0,$p,$p,$((p * 3)),$((p * 4)),$((p * 5)),1000.0,$p,0,done,2000000000,10.000,qemu-tcg,1,fifo,$2,$2,map_single-4K,$rep"
			done
		done
	} >"$1/results.csv"
}
fp_dir "$TMP/footprint-0" 0 1000
fp_dir "$TMP/footprint-1G" 1073741824 1500
run 0 compare "$TMP/footprint-0" "$TMP/footprint-1G" &&
	has "0 configurations" "no --ignore" && grep -q -- "--ignore COLUMN" "$TMP/err" && ok ||
	bad "footprint 0 vs 1G without --ignore: paired or no hint: $(cat "$TMP/err")"
run 0 compare "$TMP/footprint-0" "$TMP/footprint-1G" --ignore footprint &&
	has "footprint-1G vs footprint-0: 2 configurations" "--ignore" &&
	has "Paired ignoring footprint" "--ignore" && narrow "compare --ignore"
[ "$(grep -c "^ignored: footprint A 0, B 1G$" "$TMP/out")" -eq 2 ] && ok ||
	bad "--ignore: no 'ignored: footprint A 0, B 1G' over both tables"
grep -E "^ +4K +1 +3/3 +1010 +1510 +\+49\.5%" "$TMP/out" >/dev/null && ok || bad "--ignore: map line"
grep -E "^ +4K +1 +3/3 +1510 +2010 +\+33\.1%" "$TMP/out" >/dev/null && ok || bad "--ignore: unmap line"
# the headings keep the settings both share, not A's footprint
fp_dir "$TMP/fp-2M" 2097152 1000
run 0 compare "$TMP/fp-2M" "$TMP/footprint-1G" --ignore footprint &&
	has "map_single map, dir bidir [map_single-4K]" "--ignore heading" &&
	has "ignored: footprint A 2M, B 1G" "--ignore heading"
run 0 compare -f csv "$TMP/footprint-0" "$TMP/footprint-1G" --ignore footprint &&
	head -1 "$TMP/out" | grep -q ",size_class,ignored,footprint_a,footprint_b$" && ok ||
	bad "--ignore csv header: $(head -1 "$TMP/out")"
has ",1,1,bidir,map,3,3,1010.0,1510.0,49.505," "--ignore csv"
[ "$(grep -c ",footprint,0,1073741824$" "$TMP/out")" -eq 2 ] && ok || bad "--ignore csv: both values"
run 0 compare -f json "$TMP/footprint-0" "$TMP/footprint-1G" --ignore footprint,job &&
	has '"ignored": ["footprint", "job"],' "--ignore json" &&
	has '"ignored": {"footprint": {"a": 0, "b": 1073741824}, "job": {"a": "map_single-4K", "b": "map_single-4K"}}}' "--ignore json"
if [ -n "${JSON_CHECK:-}" ] && [ -x "$JSON_CHECK" ]; then
	"$JSON_CHECK" <"$TMP/out" >/dev/null 2>&1 && ok || bad "--ignore json: not valid JSON"
fi
# --stat p50,p99: both in one compare (p99 = 3 x p50 in these rows)
run 0 compare "$TMP/footprint-0" "$TMP/footprint-1G" --ignore footprint --stat p50,p99 &&
	has "B vs A (footprint-1G vs footprint-0): median p99 latency in ns" "--stat" &&
	has "footprint-1G vs footprint-0: 2 configurations x 2 statistics:" "--stat" && narrow "compare --stat"
grep -E "^ +4K +1 +3/3 +3030 +4530 +\+49\.5%" "$TMP/out" >/dev/null && ok || bad "--stat: p99 map line"
grep -E "^ +4K +1 +3/3 +4530 +6030 +\+33\.1%" "$TMP/out" >/dev/null && ok || bad "--stat: p99 unmap line"
[ "$(grep -c "^ignored: footprint A 0, B 1G$" "$TMP/out")" -eq 4 ] && ok || bad "--stat: four tables"
run 0 compare -f csv "$TMP/footprint-0" "$TMP/footprint-1G" --ignore footprint --stat p99,p50 &&
	head -1 "$TMP/out" | grep -q ",size_class,stat,ignored,footprint_a,footprint_b$" && ok ||
	bad "--stat csv header: $(head -1 "$TMP/out")"
has ",map,3,3,3030.0,4530.0,49.505," "--stat csv"
[ "$(grep -c ",p99,footprint,0,1073741824$" "$TMP/out")" -eq 2 ] && ok || bad "--stat csv: p99 lines"
run 0 compare -f json "$TMP/footprint-0" "$TMP/footprint-1G" --ignore footprint --stat mean &&
	has '"statistic": "median of the repetitions'"'"' mean latency (ns)"' "--stat json" &&
	has '"phase": "unmap", "stat": "mean", "n_a": 3, "n_b": 3, "median_a_ns": 1510.0' "--stat json"
# a latency too wide for its column (p99 120 ms) in ms, the table aligned
fp_dir "$TMP/fp-slow" 0 40000000
run 0 compare "$TMP/footprint-0" "$TMP/fp-slow" --stat p99 &&
	grep -E "^    4K   1   3/3 +3030    120ms +\+[0-9]+\.[0-9]%" "$TMP/out" >/dev/null && ok ||
	bad "--stat p99 in ms: $(grep "3/3" "$TMP/out")"
for s in p51 "" "," "p50," ",p50" "p50,,p99"; do
	run 2 compare "$TMP/footprint-0" "$TMP/footprint-1G" --stat "$s" &&
		if [ "$(wc -l <"$TMP/err")" -eq 1 ] && grep -q "bad --stat '$s': a list of p50, p90, p99 and mean" "$TMP/err"; then ok; else bad "--stat '$s': $(cat "$TMP/err")"; fi
done
# one side holding both footprints: ambiguous, refused naming the rows
{ cat "$TMP/footprint-0/results.csv"; sed 1d "$TMP/footprint-1G/results.csv"; } >"$TMP/both.csv"
run 2 compare "$TMP/both.csv" "$TMP/footprint-1G" --ignore footprint &&
	if grep -q "both.csv alike (map_single map 4K x1, footprint 0 and 1G): do not ignore footprint" "$TMP/err" &&
	   [ "$(wc -l <"$TMP/err")" -eq 1 ] && [ ! -s "$TMP/out" ]; then ok; else bad "ambiguous --ignore: $(cat "$TMP/err")"; fi
run 2 compare "$TMP/footprint-0" "$TMP/both.csv" --ignore footprint
# not a key column, no such column, an empty name: one line each
for c in p50_ns nosuch "footprint," ",footprint" "footprint,,job" ""; do
	run 2 compare "$TMP/footprint-0" "$TMP/footprint-1G" --ignore "$c" &&
		if [ "$(wc -l <"$TMP/err")" -eq 1 ] && grep -q "bad --ignore '" "$TMP/err"; then ok; else bad "--ignore '$c': $(cat "$TMP/err")"; fi
done
run 2 compare "$TMP/footprint-0" "$TMP/footprint-1G" --ignore p50_ns &&
	grep -q "'p50_ns': a measured value, not a key column; the key columns are test, .*, footprint, " "$TMP/err" && ok || bad "--ignore p50_ns: $(cat "$TMP/err")"
run 2 compare "$TMP/footprint-0" "$TMP/footprint-1G" --ignore nosuch &&
	grep -q "bad --ignore 'nosuch': no such column; the key columns are" "$TMP/err" && ok || bad "--ignore nosuch: $(cat "$TMP/err")"

# report: setup line, emulation note, one table, 72 columns
run 0 report "$FIX/lazy"
narrow "report"
has "Setup: Linux" "report"
has "domain DMA-FQ (lazy), iommu.strict=0, platform" "report"
has "NOTE: emulation figures" "report"
has "map_single on 0000:00:03.0 (iommu, DMA-FQ), dir bidir" "report"
has "    4K   1     731" "report"
run 2 report
run 1 report "$TMP/nonexistent"
# a bare CSV (run -o x.csv: no metadata.json): the platform from its rows
cp "$FIX/lazy/results.csv" "$TMP/bare.csv"
run 0 report "$TMP/bare.csv" &&
	has "Setup: Linux ?, board unknown, IOMMU none found, domain DMA-FQ (lazy)," "report bare" &&
	has "platform qemu-emulated." "report bare" && has "NOTE: emulation figures" "report bare"

# --pairs (fixtures/pairs.csv: the rx-ring job, 3 repetitions, x86_64 TCG):
# the mappers' (first phase) and unmappers' (last phase) ops/s and the
# queue delay, medians; none for the job without pairs
run 0 report "$FIX/pairs.csv" && narrow "report pairs" &&
	has "pairs 2:2, 1500 x4 (medians): mappers 6925 ops/s, unmappers 6200 ops/s," "report pairs" &&
	has "  queue delay mean 46.9 ms, max 620 ms" "report pairs" &&
	[ "$(grep -c "^pairs " "$TMP/out")" -eq 1 ] && ok || bad "report pairs: not one pairs line"

# iommu_map in two scopes x two flush policies: never merged or matched
# across scope or flush (2 x 2 x 2 sizes x 2 threads x 5 phases)
run 0 compare "$FIX/scopes" "$FIX/scopes" &&
	has "scopes vs scopes: 80 configurations, 0 faster, 0 slower" "scopes" &&
	has "iommu_map invalidate, per-instance, batch:32" "scopes" && narrow "compare scopes"
run 0 compare -f csv "$FIX/scopes" "$FIX/scopes" &&
	has ",invalidate,3,3,1383.0,1383.0,0.000," "scopes csv" &&
	has ",per-instance,batch:32,48,1" "scopes csv" &&
	[ "$(grep -c ',iommu_map,4096,1,2,bidir,invalidate,' "$TMP/out")" -eq 4 ] && ok ||
	bad "compare csv: 4 invalidate lines at 4K x2 (one per scope x flush)"
run 0 compare -f json "$FIX/scopes" "$FIX/scopes" &&
	has '"scope": "per-device", "flush": "strict", "iova_bits": 48, "live": 1, "seg_size": null, "layout": "", "attrs": "", "coherency": "", "bounce": "", "align": 0, "depth": null, "order": "", "hold": "", "pairs": "", "footprint": null, "size_mix": "", "size_class": ""}' "scopes json"
run 0 report "$FIX/scopes" && narrow "report scopes" &&
	has "iommu_map on all (4 devices), per-instance, batch:32: median of 3" "report scopes" &&
	has "Per-device vs per-instance, iommu_map flush batch:32" "report scopes" &&
	has "    4K   2 dev     198    485    357    963    164   1614010     31" "report scopes" &&
	has "         2 inst    261    635    469   1383    216   1227550     44" "report scopes"
# no per-device vs per-instance table without iommu_map
run 0 report "$FIX/lazy" && ! grep -q "Per-device vs" "$TMP/out" && ok || bad "report lazy: scope table"

# Old results still load: the fixtures were written by dmabench 0.1.0,
# before the IOMMU, DMA-API and align columns (keep them so, do not
# regenerate them); a directory written by today's sweep (test_sweep
# --fixture: the same fake runs) compares against them as the same runs.
head -1 "$FIX/strict/results.csv" | grep -q ",timer_overhead_ns,platform,job,rep$" &&
	head -1 "$FIX/scopes/results.csv" | grep -q ",inval_per_buf_ns,job,rep$" &&
	ok || bad "fixtures/strict and scopes are no longer the old format"
TEST_SWEEP=${TEST_SWEEP:-./test_sweep}
if "$TEST_SWEEP" --fixture "$TMP/new" >"$TMP/err" 2>&1 &&
   head -1 "$TMP/new/lazy/results.csv" | grep -q ",time_s,timing,clock,clock_res_ns,clock_share,warmup_ops,drift_pct,drift,job,rep$"; then
	ok
	run 0 compare "$FIX/strict" "$TMP/new/lazy" --fail-above 5% &&
		has "lazy vs strict: 44 configurations, 22 faster, 0 slower" "old vs new"
	grep -E "^ +4K +1 +5/5 +1447 +353 +-75.6% .* \*$" "$TMP/out" >/dev/null && ok || bad "old vs new: 4K line"
	run 0 compare "$TMP/new/strict" "$FIX/strict" --fail-above 1% &&
		has "strict vs strict: 44 configurations, 0 faster, 0 slower" "new vs old"
	run 0 compare -f csv "$FIX/scopes" "$TMP/new/scopes" &&
		[ "$(grep -c ",0.000,.*,no,mann-whitney" "$TMP/out")" -eq 80 ] && ok ||
		bad "old vs new scopes: 80 identical lines: $(head -3 "$TMP/out")"
	# the same tables from the old and the new directory
	for d in lazy scopes; do
		run 0 report "$FIX/$d" && sed "1,/^$/d" "$TMP/out" >"$TMP/old.txt"
		run 0 report "$TMP/new/$d" && sed "1,/^$/d" "$TMP/out" >"$TMP/new.txt"
		if [ -s "$TMP/old.txt" ] && cmp -s "$TMP/old.txt" "$TMP/new.txt"; then ok; else bad "report $d: old and new differ"; fi
	done
else
	bad "$TEST_SWEEP --fixture: $(cat "$TMP/err")"
fi

# the shipped job files expand (dry run: no module needed)
for j in quick standard strict-vs-lazy direct-vs-iommu \
	per-device-vs-per-instance iommu-map-phases; do
	run 0 sweep --dry-run "${srcdir:-$(dirname "$0")}/../scripts/jobs/$j"
done
run 0 sweep -n "${srcdir:-$(dirname "$0")}/../scripts/jobs/standard" &&
	has "map_single 4M x1" "standard"
run 0 sweep -n "${srcdir:-$(dirname "$0")}/../scripts/jobs/per-device-vs-per-instance" &&
	has "36 configurations" "per-device-vs-per-instance" &&
	has "--device all --seconds 1 --scope per-instance --flush batch:32 --threads 4 --size 1M" "per-device-vs-per-instance"
# the traffic-shape job files, against a module whose tests file lists
# the shapes (fields= with DMABENCH_FIELD_SHAPE 0x800 and SIZE_MIX 0x1000)
mkdir -p "$TMP/root/sys/kernel/debug/dmabench"
printf '%s\n' "map_single map unmap fields=0x18f0" \
	"map_sg map unmap fields=0x18f7" \
	"iova_link alloc link sync unlink free fields=0x1807" \
	"alloc alloc free fields=0x1818" >"$TMP/root/sys/kernel/debug/dmabench/tests"
DMABENCH_SYSROOT=$TMP/root
export DMABENCH_SYSROOT
for j in rx-ring storage-queue iova-vs-sg aging aging-ci; do
	run 0 sweep --dry-run \
		"${srcdir:-$(dirname "$0")}/../scripts/jobs/$j"
done
run 0 sweep -n "${srcdir:-$(dirname "$0")}/../scripts/jobs/rx-ring" &&
	has "--dir from --size 1500 --depth 256 --pairs 2:2" "rx-ring"
run 0 sweep -n "${srcdir:-$(dirname "$0")}/../scripts/jobs/storage-queue" &&
	has "--size-mix 64K:50,128K:25,256K:15,1M:10 --depth 32" "storage-queue"
run 0 sweep -n "${srcdir:-$(dirname "$0")}/../scripts/jobs/iova-vs-sg" &&
	has "10 configurations" "iova-vs-sg"
run 0 sweep -n "${srcdir:-$(dirname "$0")}/../scripts/jobs/aging" &&
	has "--seconds 3600 --interval 10 " "aging" && has "1 configurations" "aging"
unset DMABENCH_SYSROOT
run 0 sweep -n "${srcdir:-$(dirname "$0")}/../scripts/jobs/iommu-map-phases" &&
	has "3 configurations" "iommu-map-phases"
run 2 sweep
run 2 sweep --repeat 0 x

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
