#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# scripts/probe-table --check: the README's table of configure probes
# against configure summaries (fake build directories in a scratch cache):
# a matching table passes, a wrong cell, a probe the table lacks, an
# arch-only cell on the wrong arch and "nothing to check" fail; a summary
# older than the tree's config/*.m4 is skipped; the real
# README's table is found and read.
set -u

SRC=${srcdir:-$(dirname "$0")}
PT=$SRC/../scripts/probe-table
pass=0
fail=0
TMP=$(mktemp -d /tmp/dmabench-test-probe-table.XXXXXX) || exit 99
trap 'rm -rf "$TMP"' EXIT
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); printf 'FAIL: %s\n' "$*" >&2; }

mkdir -p "$TMP/tree" "$TMP/cache"
hash=$(printf %s "$(cd "$TMP/tree" && pwd)" | md5sum | cut -c1-8)
# summary ARCH KERNEL "probe: answer" ...: a configure log as vm_build keeps it
summary() {
	d=$TMP/cache/build-$1-$2-$hash
	mkdir -p "$d"
	shift 2
	{
		echo "dmabench 0.1.0 configured"
		echo "  kernel API probes (compile tests against this kernel):"
		for l in "$@"; do echo "    $l"; done
	} > "$d/.vm-configure.log"
}
readme() {
	{
		echo "Supported kernels"
		echo
		echo "  probe                      5.10  6.1  6.12  latest(7.3)"
		for l in "$@"; do echo "  $l"; done
		echo "(a note that is not a row)"
		echo
		echo "  other_text  yes yes yes yes"
	} > "$TMP/README"
}
check() { DMABENCH_CACHE=$TMP/cache sh "$PT" --check "$TMP/README" --tree "$TMP/tree" > "$TMP/out" 2> "$TMP/err"; }

# nothing to check: no build of the tree at all
readme "a_probe  yes yes yes yes"
if check; then bad "no summaries: passed"; else ok; fi
grep -q "^FAIL probe_table: nothing checked" "$TMP/out" && ok || bad "no summaries: $(cat "$TMP/out")"
grep -q "no configure summary for x86_64 6.1" "$TMP/err" && ok || bad "no summaries, stderr: $(cat "$TMP/err")"

summary x86_64 6.1 "a_probe: yes" "coh: no" "late: no"
summary arm64 6.1 "a_probe: yes(a_form)" "coh: yes(coh_member)" "late: no"
summary x86_64 latest "a_probe: yes" "coh: no" "late: yes"
readme "a_probe  yes   yes  yes   yes" "coh      arm64 arm64 arm64 arm64  note" \
	"late     no    no   no    yes  (7.0)"
if check; then ok; else bad "matching table failed: $(cat "$TMP/out")"; fi
grep -q "^9 passed, 0 failed, 5 skipped$" "$TMP/out" && ok || bad "matching table: $(tail -n 1 "$TMP/out")"
grep -q "^SKIP 6.12/x86_64: " "$TMP/out" && ok || bad "no SKIP for 6.12: $(cat "$TMP/out")"

# a wrong cell
readme "a_probe  yes yes yes yes" "coh  arm64 arm64 arm64 arm64" "late  no no no no"
if check; then bad "wrong cell passed"; else ok; fi
grep -q "^FAIL late/latest/x86_64: README says no, configure answered yes$" "$TMP/out" && ok ||
	bad "wrong cell: $(cat "$TMP/out")"
# an arch-only cell that holds on the other arch
readme "a_probe  yes yes yes yes" "coh  x86_64 x86_64 x86_64 x86_64" "late  no no no yes"
if check; then bad "wrong arch passed"; else ok; fi
grep -q "^FAIL coh/6.1/arm64: README says x86_64, configure answered yes$" "$TMP/out" && ok ||
	bad "wrong arch: $(cat "$TMP/out")"
# a probe the table lacks, and a row configure does not know
readme "a_probe  yes yes yes yes" "gone  no no no no" "late  no no no yes"
if check; then bad "missing row passed"; else ok; fi
grep -q "^FAIL coh: configure prints this probe" "$TMP/out" && ok || bad "missing row: $(cat "$TMP/out")"
grep -q "^FAIL gone/6.1/x86_64: in the README, but configure has no such probe$" "$TMP/out" && ok ||
	bad "unknown row: $(cat "$TMP/out")"

# a summary older than the tree's probes (config/*.m4) is not used
readme "a_probe  yes yes yes yes" "coh  arm64 arm64 arm64 arm64" "late  no no no yes"
mkdir -p "$TMP/tree/config"
touch -d '2010-01-01' "$TMP/tree/config/kernel-new.m4"
touch -d '2000-01-01' "$TMP/cache/build-x86_64-latest-$hash/.vm-configure.log"
if check; then ok; else bad "stale summary: $(cat "$TMP/out")"; fi
grep -q "^SKIP latest/x86_64: " "$TMP/out" && ok || bad "stale summary not skipped: $(cat "$TMP/out")"
grep -q "summary for x86_64 latest is older than" "$TMP/err" && ok || bad "stale summary, stderr: $(cat "$TMP/err")"
rm -r "$TMP/tree/config"

# usage errors
DMABENCH_CACHE=$TMP/cache sh "$PT" --frobnicate > /dev/null 2>&1
[ $? -eq 2 ] && ok || bad "unknown option: not exit 2"
DMABENCH_CACHE=$TMP/cache sh "$PT" --check "$TMP/nosuch" > /dev/null 2>"$TMP/err"
[ $? -eq 2 ] && grep -q "cannot read" "$TMP/err" && ok || bad "missing README: $(cat "$TMP/err")"

# the real README's table is found: every row shows up in print mode
rows=$(awk '/^  probe +5\.10 +6\.1 +6\.12 +latest/ { on = 1; next }
	on && /^[ \t]*$/ { exit } on && /^  [a-z0-9_]+ +/ { n++ } END { print n + 0 }' "$SRC/../README")
[ "$rows" -ge 10 ] && ok || bad "README: $rows probe rows found"
summary x86_64 6.12 "iommu_map_gfp: yes"
DMABENCH_CACHE=$TMP/cache sh "$PT" --tree "$TMP/tree" > "$TMP/out" 2>/dev/null
grep -q "^  iommu_map_gfp  *[a-z?]*  *[a-z?]*  *yes? .*(6.3)" "$TMP/out" && ok || bad "print: $(cat "$TMP/out")"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
