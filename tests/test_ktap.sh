#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# The guest's KTAP helpers (scripts/guest/ktap.sh) and the host's KTAP
# reader (scripts/lib/ktap.awk) together: streams written by the helpers
# read back to the right results and totals; a case that reports nothing,
# a report of an undeclared case, a cut-short stream, a wrong plan, wrong
# numbers or totals, a missing totals line and "Bail out!" are all caught.
set -u

SRC=${SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
KTAP_SH=$SRC/scripts/guest/ktap.sh
KTAP_AWK=$SRC/scripts/lib/ktap.awk
pass=0
fail=0
TMP=$(mktemp -d /tmp/dmabench-test-ktap.XXXXXX) || exit 99
trap 'rm -rf "$TMP"' EXIT

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); printf 'FAIL: %s\n' "$*" >&2; }

# gen FILE: runs the shell code on stdin with ktap.sh sourced (KTAP_LOG is
# FILE) and the stdout discarded
gen() {
	: > "$1"
	{ echo "KTAP_LOG=$1; . '$KTAP_SH'"; cat; } > "$TMP/gen.sh"
	sh "$TMP/gen.sh" > /dev/null
}

# suite NAME CASES... (stdin: the body): one suite document at level 1 and
# its parent line; for use inside gen
SUITE_FN='
suite() {
	_n=$1
	shift
	(
		KTAP_INDENT="  "
		ktap_begin "$_n" "$@"
		. "$BODY"
		ktap_finished
		_rc=$?
		echo "$KTAP_CNT_PASS $KTAP_CNT_FAIL $KTAP_CNT_XFAIL $KTAP_CNT_SKIP $KTAP_CNT_ERROR" > "$COUNTS"
		exit $_rc
	)
	_rc=$?
	set -- $(cat "$COUNTS")
	TP=$((TP + $1)) TF=$((TF + $2)) TX=$((TX + $3)) TS=$((TS + $4)) TE=$((TE + $5))
	SN=$((SN + 1))
	if [ $_rc -eq 0 ]; then ktap_print "ok $SN $_n"; else ktap_diag "$_n: failed"; ktap_print "not ok $SN $_n"; fi
}
TP=0 TF=0 TX=0 TS=0 TE=0 SN=0
totals() {
	KTAP_CNT_PASS=$TP KTAP_CNT_FAIL=$TF KTAP_CNT_XFAIL=$TX KTAP_CNT_SKIP=$TS KTAP_CNT_ERROR=$TE
	ktap_print_totals
}
'

# expect NAME FILE WANT: ktap.awk's output for FILE, without the NOTE
# lines, must be WANT (lines); a NOTE must come with a FAIL ktap_stream
expect() {
	awk -f "$KTAP_AWK" "$2" > "$TMP/all" 2>&1
	grep -v '^NOTE ' "$TMP/all" > "$TMP/got"
	printf '%s\n' "$3" > "$TMP/want"
	if ! cmp -s "$TMP/got" "$TMP/want"; then
		bad "$1: got:"
		sed 's/^/    /' "$TMP/got" >&2
		echo "  want:" >&2
		sed 's/^/    /' "$TMP/want" >&2
	elif grep -q '^NOTE ' "$TMP/all" && ! grep -q '^FAIL ktap_stream' "$TMP/got"; then
		bad "$1: problems noted, but the stream passed"
	else
		ok
	fi
}


# kcheck NAME FILE RC: tests/guest/ktap_check (the strict C checker) exits
# RC for FILE (0: valid KTAP, 1: not); skipped without $KTAP_CHECK
kcheck() {
	[ -n "${KTAP_CHECK:-}" ] || return 0
	"$KTAP_CHECK" "$2" > "$TMP/kc" 2>&1
	rc=$?
	if [ "$rc" -eq "$3" ]; then
		ok
	else
		bad "$1: ktap_check exit $rc, want $3: $(cat "$TMP/kc")"
	fi
}

# --- streams written by the helpers ---
cat > "$TMP/body1" <<'EOF'
ktap_pass one
check two ""
check three "it broke: badly"
ktap_skip four "no edu device"
printf 'PASS a/b\nFAIL c d: why: x\nNOTE hello\nSKIP e: no way\n' > "$SUBF"
ktap_subtests five "$SUBF"
ktap_xfail six "known"
EOF
cat > "$TMP/body2" <<'EOF'
ktap_skip_rest "needs 4 edu devices"
EOF
gen "$TMP/s1" <<EOF
BODY=$TMP/body1 SUBF=$TMP/subf COUNTS=$TMP/counts
$SUITE_FN
ktap_header
ktap_plan 2
suite alpha one two three four five six
BODY=$TMP/body2
suite beta x y
totals
EOF
expect helpers_results "$TMP/s1" "PASS alpha/one
PASS alpha/two
FAIL alpha/three: it broke: badly
SKIP alpha/four: no edu device
PASS alpha/five/a/b
FAIL alpha/five/c d: why: x
SKIP alpha/five/e: no way
XFAIL alpha/six: known
SKIP beta/x: needs 4 edu devices
SKIP beta/y: needs 4 edu devices
PASS ktap_stream"
kcheck helpers_results "$TMP/s1" 0
grep -q '^  # Totals: pass:3 fail:2 xfail:1 xpass:0 skip:2 error:0$' "$TMP/s1" &&
	grep -q '^# Totals: pass:3 fail:2 xfail:1 xpass:0 skip:4 error:0$' "$TMP/s1" &&
	grep -q '^    1\.\.3$' "$TMP/s1" && grep -q '^  1\.\.6$' "$TMP/s1" && ok ||
	bad "helpers_totals: $(grep -E 'Totals|1\.\.' "$TMP/s1" | tr '\n' '|')"

# a declared case without a result: "not ok # ERROR", plan still right
cat > "$TMP/body3" <<'EOF'
ktap_pass one
ktap_pass three
EOF
gen "$TMP/s3" <<EOF
BODY=$TMP/body3 COUNTS=$TMP/counts
$SUITE_FN
ktap_header
ktap_plan 1
suite gamma one two three four
totals
EOF
expect missing_result "$TMP/s3" "PASS gamma/one
FAIL gamma/two: ERROR no result reported (the next result was three)
PASS gamma/three
FAIL gamma/four: ERROR no result reported
PASS ktap_stream"
kcheck missing_result "$TMP/s3" 0
grep -q '^# Totals: pass:2 fail:0 xfail:0 xpass:0 skip:0 error:2$' "$TMP/s3" && ok ||
	bad "missing_result totals: $(grep Totals "$TMP/s3" | tr '\n' '|')"

# a result for an undeclared case (or twice): no result line (the plan
# stays right), the suite fails on its own
cat > "$TMP/body4" <<'EOF'
ktap_pass one
ktap_pass one
ktap_pass stray
EOF
gen "$TMP/s4" <<EOF
BODY=$TMP/body4 COUNTS=$TMP/counts
$SUITE_FN
ktap_header
ktap_plan 1
suite delta one
totals
EOF
expect undeclared "$TMP/s4" "PASS delta/one
FAIL delta: failed
PASS ktap_stream"
kcheck undeclared "$TMP/s4" 0
[ "$(grep -c "BUG: result for" "$TMP/s4")" -eq 2 ] && ok || bad "undeclared: no BUG lines"

# --- hand-made streams, good and broken ---
mk() { printf '%s\n' "$@" > "$TMP/h"; }

mk 'KTAP version 1' '1..2' 'ok 1 a' 'not ok 2 b # TIMEOUT 30 s' '# Totals: pass:1 fail:0 xfail:0 xpass:0 skip:0 error:1'
expect flat_timeout "$TMP/h" "PASS a
FAIL b: TIMEOUT 30 s
PASS ktap_stream"
kcheck flat_timeout "$TMP/h" 0

# kernel lines interleaved (a console) are ignored
mk '[    1.234] random: crng init done' 'KTAP version 1' '1..1' '[    2.0] edu 0000:00:03.0: enabling' 'ok 1 a' 'guest: something' '# Totals: pass:1 fail:0 xfail:0 xpass:0 skip:0 error:0'
expect console_noise "$TMP/h" "PASS a
PASS ktap_stream"
kcheck console_noise "$TMP/h" 1

mk 'KTAP version 1' '1..3' 'ok 1 a' 'ok 2 b' '# Totals: pass:2 fail:0 xfail:0 xpass:0 skip:0 error:0'
expect plan_too_big "$TMP/h" "PASS a
PASS b
FAIL ktap_stream: plan 1..3 but 2 results"
kcheck plan_too_big "$TMP/h" 1

mk 'KTAP version 1' 'ok 1 a' '# Totals: pass:1 fail:0 xfail:0 xpass:0 skip:0 error:0'
expect no_plan "$TMP/h" "PASS a
FAIL ktap_stream: no top-level plan line"
kcheck no_plan "$TMP/h" 1

mk 'KTAP version 1' '1..2' 'ok 1 a' 'ok 3 b' '# Totals: pass:2 fail:0 xfail:0 xpass:0 skip:0 error:0'
expect numbering "$TMP/h" "PASS a
PASS b
FAIL ktap_stream: result 'b' is number 3, expected 2"
kcheck numbering "$TMP/h" 1

mk 'KTAP version 1' '1..1' 'ok 1 a'
expect no_totals "$TMP/h" "PASS a
FAIL ktap_stream: no top-level \"# Totals:\" line"
kcheck no_totals "$TMP/h" 0

mk 'KTAP version 1' '1..1' 'ok 1 a' '# Totals: pass:2 fail:0 xfail:0 xpass:0 skip:0 error:0'
expect wrong_totals "$TMP/h" "PASS a
FAIL ktap_stream: totals say pass:2 fail:0 xfail:0 xpass:0 skip:0 error:0, the results pass:1 fail:0 xfail:0 xpass:0 skip:0 error:0"
kcheck wrong_totals "$TMP/h" 0

mk 'ok 1 a' '# Totals: pass:1 fail:0 xfail:0 xpass:0 skip:0 error:0'
expect no_version "$TMP/h" "FAIL ktap_stream: no KTAP version line"
kcheck no_version "$TMP/h" 1

: > "$TMP/h"
expect empty "$TMP/h" "FAIL ktap_stream: no KTAP version line"
kcheck empty "$TMP/h" 1

mk 'KTAP version 1' '1..1' 'Bail out! dmabench.ko not loaded' '# Totals: pass:0 fail:0 xfail:0 xpass:0 skip:0 error:0'
expect bail_out "$TMP/h" "FAIL ktap_stream: Bail out! dmabench.ko not loaded (and 1 more problems)"
kcheck bail_out "$TMP/h" 1

# cut short inside a suite (the guest hung): what came is kept
mk 'KTAP version 1' '1..2' '  KTAP version 1' '  # Subtest: basic' '  1..3' '  ok 1 list' '  # devices_file: no line' '  not ok 2 devices_file'
expect cut_short "$TMP/h" "PASS basic/list
FAIL basic/devices_file: no line
FAIL ktap_stream: the stream ends inside the subtests of 'basic' (level 1) (and 3 more problems)"
kcheck cut_short "$TMP/h" 1

# a parent "ok" over a failed subtest
mk 'KTAP version 1' '1..1' '  KTAP version 1' '  1..1' '  not ok 1 x' 'ok 1 p' '# Totals: pass:0 fail:1 xfail:0 xpass:0 skip:0 error:0'
expect parent_ok_child_failed "$TMP/h" "FAIL p/x: not ok
FAIL ktap_stream: 'p' is ok, but 1 of its subtests failed"
kcheck parent_ok_child_failed "$TMP/h" 1

# a subtest plan that does not match
mk 'KTAP version 1' '1..1' '  KTAP version 1' '  1..2' '  ok 1 x' 'ok 1 p' '# Totals: pass:1 fail:0 xfail:0 xpass:0 skip:0 error:0'
expect subtest_plan "$TMP/h" "PASS p/x
FAIL ktap_stream: subtests of 'p': plan 1..2 but 1 results"
kcheck subtest_plan "$TMP/h" 1

# a parent that failed on its own, and "1..0 # SKIP" of a whole document
mk 'KTAP version 1' '1..2' '  KTAP version 1' '  1..1' '  ok 1 x' '# p: exit 3' 'not ok 1 p' '  KTAP version 1' '  1..0 # SKIP nothing here' 'ok 2 q # SKIP nothing here' '# Totals: pass:1 fail:0 xfail:0 xpass:0 skip:0 error:0'
expect parent_own_failure "$TMP/h" "PASS p/x
FAIL p: exit 3
PASS ktap_stream"
kcheck parent_own_failure "$TMP/h" 0


# --- what only the strict checker (tests/guest/ktap_check) looks at ---
mk 'KTAP version 1' '1..2' 'not ok 1 a # SKIP no device' 'ok 2 b'
kcheck skip_on_not_ok "$TMP/h" 1
mk 'KTAP version 1' '1..1' 'ok 1 a # FROB x'
kcheck unknown_directive "$TMP/h" 1
mk 'KTAP version 1' '1..1' 'ok 1 a#b'
kcheck hash_in_description "$TMP/h" 1
mk 'KTAP version 1' '1..1' '   KTAP version 1' '   1..1' '   ok 1 x' 'ok 1 p'
kcheck three_space_indent "$TMP/h" 1
mk 'KTAP version 1' '1..1' '  KTAP version 1' '  # Subtest: p' '  1..1' '  ok 1 x' 'ok 1 q'
kcheck subtest_name "$TMP/h" 1
mk 'KTAP version 1' '1..1' '1..1' 'ok 1 a'
kcheck second_plan "$TMP/h" 1
mk 'KTAP version 1' '1..2' 'ok 1 a' 'ok 2 b' 'ok 3 c'
kcheck plan_too_small "$TMP/h" 1
mk 'KTAP version 1' '1..1' 'ok 1 a' 'trailing junk'
kcheck junk_after_end "$TMP/h" 1
mk 'KTAP version 1' '1..1' '  KTAP version 1' '  1..1' '      KTAP version 1' '      1..1' '      ok 1 y' '  ok 1 x' 'ok 1 p'
kcheck deeper_by_two_steps "$TMP/h" 1
mk 'KTAP version 1' '1..1' '    KTAP version 1' '    # Subtest: p' '    1..2' '    ok 1 x # XFAIL known' '    not ok 2 y # TODO later' 'ok 1 p'
kcheck four_space_todo_xfail "$TMP/h" 0
mk 'KTAP version 1' '# before the plan' '1..1' '# Subtest: not a subtest at the top' 'ok 1 a # SKIP' '# after the end'
kcheck diagnostics_anywhere "$TMP/h" 0
mk 'KTAP version 1' '1..1' 'ok 1 a'
if [ -n "${KTAP_CHECK:-}" ]; then
	"$KTAP_CHECK" -a "$TMP/h" > /dev/null && ok || bad "ktap_check -a: a passing stream fails"
	mk 'KTAP version 1' '1..2' 'ok 1 a' 'not ok 2 b'
	"$KTAP_CHECK" -a "$TMP/h" > "$TMP/kc" && bad "ktap_check -a: a failure passes" || ok
	"$KTAP_CHECK" < "$TMP/h" | grep -qx 'ktap_check: 2 tests: 1 ok, 1 not ok, 0 skipped' && ok ||
		bad "ktap_check summary: $("$KTAP_CHECK" < "$TMP/h")"
	"$KTAP_CHECK" -x > /dev/null 2>&1; [ $? -eq 2 ] && ok || bad "ktap_check -x: not a usage error"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
