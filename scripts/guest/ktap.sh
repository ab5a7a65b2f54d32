# shellcheck shell=sh
# ktap.sh: KTAP output (Documentation/dev-tools/ktap.rst, version 1) for the
# guest suites, modelled on the kernel's
# tools/testing/selftests/kselftest/ktap_helpers.sh.  Sourced by tests.sh
# (busybox sh); nothing here runs on its own.
#
# The guest's output is one KTAP document: a plan of suites (the t-*.sh
# files), each suite a subtest with its own plan of cases, cases with results
# of their own (abi_check, iommu_check) one level deeper.  The host
# (scripts/vm-test, scripts/lib/ktap.awk) rejects a stream whose counts do not
# add up, so every plan here comes from a declared list, never a hand count.
#
# ADD A CASE to an existing suite scripts/guest/t-AREA.sh:
#   1. add its name to AREA_cases, at the place where it runs (the names of
#      this boot, in order: they are the suite's plan);
#   2. in AREA_run, report it exactly once:
#        check NAME "$why"          pass when $why is empty, else fail
#        ktap_pass NAME | ktap_fail NAME WHY
#        ktap_skip NAME REASON      a device or feature this kernel or IOMMU
#                                   lacks (never a FAIL)
#        ktap_xfail NAME REASON     a known failure that is expected
#        ktap_subtests NAME FILE    a case with results of its own (FILE:
#                                   lines "PASS n", "FAIL n: why", "SKIP n:
#                                   reason", "NOTE text")
#      ktap_skip_cases REASON NAME... skips several declared cases at once.
#   (t-bad-input.sh derives its list from its t_bad/t_bad2 lines: a new
#   bad-argument case there is one line.)  Helpers for dmabench runs and
#   CSV checks (guard, run_csv, dmarun, csvq, t_bad...) are in lib.sh.
#   A declared case that reports nothing becomes "not ok ... # ERROR", a
#   report of an undeclared name or one reported twice fails the suite: a
#   wrong list shows up in the first run, and the plan is always right.
# ADD A SUITE: scripts/guest/t-AREA.sh defining AREA_cases, AREA_run and
#   AREA_needs_edu=N (edu devices it needs; with fewer, every case is
#   skipped), then add AREA to SUITES_full (and SUITES_mode if it runs in the
#   second boot) in tests.sh.  scripts/lib/vm.sh copies scripts/guest/*
#   into the initramfs.

# Every line goes to the console and to $KTAP_LOG (it comes back to the
# host with /results).
KTAP_LOG=${KTAP_LOG:-}
KTAP_INDENT=
KTAP_NUM=0
KTAP_TODO=
KTAP_CNT_PASS=0
KTAP_CNT_FAIL=0
KTAP_CNT_XFAIL=0
KTAP_CNT_SKIP=0
KTAP_CNT_ERROR=0
# reports that match no declared case (a bug in the suite)
KTAP_BUGS=0

ktap_print() {
	printf '%s%s\n' "$KTAP_INDENT" "$*"
	[ -z "$KTAP_LOG" ] || printf '%s%s\n' "$KTAP_INDENT" "$*" >> "$KTAP_LOG"
}
ktap_header() { ktap_print "KTAP version 1"; }
ktap_plan() { ktap_print "1..$1"; }
# ktap_diag TEXT: a diagnostic line
ktap_diag() { ktap_print "# $*"; }
# ktap_diag_file FILE: every line of FILE as a diagnostic line
ktap_diag_file() {
	while IFS= read -r _kl; do ktap_diag "  $_kl"; done < "$1"
}
# ktap_name TEXT: TEXT as a result description (KTAP forbids "#")
ktap_name() { printf '%s' "$1" | tr '#' '_'; }

# ktap_begin SUITE CASE...: starts the document of SUITE with these cases as
# its plan
ktap_begin() {
	ktap_header
	ktap_diag "Subtest: $1"
	shift
	KTAP_TODO=" $* "
	KTAP_NUM=0
	ktap_plan $#
}

# __ktap_line RESULT NAME [DIRECTIVE]: the numbered result line
__ktap_line() {
	KTAP_NUM=$((KTAP_NUM + 1))
	ktap_print "$1 $KTAP_NUM $(ktap_name "$2")${3:+ # $3}"
}

# __ktap_take NAME: 0 when NAME is a declared case not reported yet; cases
# declared before it that reported nothing become errors first.
__ktap_take() {
	case "$KTAP_TODO" in
	*" $1 "*) ;;
	*)
		KTAP_BUGS=$((KTAP_BUGS + 1))
		ktap_diag "BUG: result for '$1', which is not a declared case of this suite (or reported twice)"
		return 1 ;;
	esac
	while :; do
		_kn=${KTAP_TODO# }
		_kn=${_kn%% *}
		[ "$_kn" != "$1" ] || break
		KTAP_TODO=${KTAP_TODO#" $_kn"}
		KTAP_CNT_ERROR=$((KTAP_CNT_ERROR + 1))
		__ktap_line "not ok" "$_kn" "ERROR no result reported (the next result was $1)"
	done
	KTAP_TODO=${KTAP_TODO#" $1"}
	return 0
}

ktap_pass() {
	__ktap_take "$1" || { ktap_diag "  (it passed)"; return; }
	KTAP_CNT_PASS=$((KTAP_CNT_PASS + 1))
	__ktap_line ok "$1"
}
# ktap_fail NAME WHY: the why as a diagnostic line right before the result
ktap_fail() {
	__ktap_take "$1" || { ktap_diag "  (it failed: $2)"; return; }
	KTAP_CNT_FAIL=$((KTAP_CNT_FAIL + 1))
	ktap_diag "$1: $2"
	__ktap_line "not ok" "$1"
}
ktap_skip() {
	__ktap_take "$1" || return
	KTAP_CNT_SKIP=$((KTAP_CNT_SKIP + 1))
	__ktap_line ok "$1" "SKIP $(ktap_name "$2")"
}
ktap_xfail() {
	__ktap_take "$1" || return
	KTAP_CNT_XFAIL=$((KTAP_CNT_XFAIL + 1))
	__ktap_line ok "$1" "XFAIL $(ktap_name "$2")"
}
# check NAME WHY: pass when WHY is empty, else fail with WHY
check() { if [ -z "$2" ]; then ktap_pass "$1"; else ktap_fail "$1" "$2"; fi; }
# ktap_skip_cases REASON NAME...
ktap_skip_cases() {
	_kr=$1
	shift
	for _kn in "$@"; do ktap_skip "$_kn" "$_kr"; done
}
# ktap_skip_rest REASON: skips every declared case not reported yet
ktap_skip_rest() {
	# shellcheck disable=SC2086
	ktap_skip_cases "$1" $KTAP_TODO
}

# ktap_subtests NAME FILE: case NAME with the results in FILE as its
# subtests (one level deeper); NAME passes when none of them failed.  The
# subtests are counted in the totals, NAME itself is not.
ktap_subtests() {
	__ktap_take "$1" || return
	_kn=$1 _kf=$2 _kfails=0 _ki=0
	_kout=$KTAP_INDENT
	KTAP_INDENT="$KTAP_INDENT  "
	ktap_header
	ktap_diag "Subtest: $_kn"
	ktap_plan "$(grep -cE '^(PASS|FAIL|SKIP) ' "$_kf")"
	while IFS= read -r _kl; do
		case "$_kl" in
		"PASS "*)
			_ki=$((_ki + 1)) KTAP_CNT_PASS=$((KTAP_CNT_PASS + 1))
			ktap_print "ok $_ki $(ktap_name "${_kl#PASS }")" ;;
		"FAIL "*)
			_kl=${_kl#FAIL }
			_ki=$((_ki + 1)) KTAP_CNT_FAIL=$((KTAP_CNT_FAIL + 1)) _kfails=$((_kfails + 1))
			ktap_diag "$_kl"
			ktap_print "not ok $_ki $(ktap_name "${_kl%%: *}")" ;;
		"SKIP "*)
			_kl=${_kl#SKIP }
			_ki=$((_ki + 1)) KTAP_CNT_SKIP=$((KTAP_CNT_SKIP + 1))
			ktap_print "ok $_ki $(ktap_name "${_kl%%: *}") # SKIP $(ktap_name "${_kl#*: }")" ;;
		"NOTE "*) ktap_diag "${_kl#NOTE }" ;;
		esac
	done < "$_kf"
	KTAP_INDENT=$_kout
	KTAP_NUM=$((KTAP_NUM + 1))
	if [ "$_kfails" -eq 0 ]; then
		ktap_print "ok $KTAP_NUM $(ktap_name "$_kn")"
	else
		ktap_diag "$_kn: $_kfails of $_ki subtests failed"
		ktap_print "not ok $KTAP_NUM $(ktap_name "$_kn")"
	fi
}

ktap_print_totals() {
	ktap_print "# Totals: pass:$KTAP_CNT_PASS fail:$KTAP_CNT_FAIL xfail:$KTAP_CNT_XFAIL xpass:0 skip:$KTAP_CNT_SKIP error:$KTAP_CNT_ERROR"
}

# ktap_finished: ends a suite: declared cases that reported nothing become
# errors, then the totals; returns 0 when nothing failed.
ktap_finished() {
	for _kn in $KTAP_TODO; do
		KTAP_CNT_ERROR=$((KTAP_CNT_ERROR + 1))
		__ktap_line "not ok" "$_kn" "ERROR no result reported"
	done
	KTAP_TODO=
	[ "$KTAP_BUGS" -eq 0 ] || ktap_diag "BUG: $KTAP_BUGS result(s) of cases that are not declared"
	ktap_print_totals
	[ $((KTAP_CNT_FAIL + KTAP_CNT_ERROR + KTAP_BUGS)) -eq 0 ]
}

# ktap_bail_out WHY: the run cannot go on
ktap_bail_out() {
	ktap_print "Bail out! $*"
	ktap_print_totals
	exit 1
}
