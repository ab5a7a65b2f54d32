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
run 0 compare "$FIX/strict" "$FIX/lazy" --format json &&
	has '"test": "Mann-Whitney U, two-sided"' "json"
has '"regressions": 0' "json"
has '"significant": true' "json"

run 2 compare "$FIX/strict"
run 2 compare "$FIX/strict" "$FIX/lazy" --fail-above x
run 1 compare "$FIX/strict" "$TMP/nonexistent"

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

# the shipped job files expand (dry run: no module needed)
for j in quick standard strict-vs-lazy direct-vs-iommu; do
	run 0 sweep --dry-run "${srcdir:-$(dirname "$0")}/../scripts/jobs/$j"
done
run 0 sweep -n "${srcdir:-$(dirname "$0")}/../scripts/jobs/standard" &&
	has "map_single 4M x1" "standard"
run 2 sweep
run 2 sweep --repeat 0 x

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
