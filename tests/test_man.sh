#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# The generated man pages against the binary they came from: every command
# of `dmabench --help` has its page, every option of `dmabench CMD --help`
# is in dmabench-CMD(1) and every option there is in --help; the job-file
# keys of dmabench-jobfile(5) are run or sweep options; every page renders
# without a groff warning (groff -ww, and man -l when man-db is there).  A
# page with an option taken out or one added must fail the comparison.
set -u

DMABENCH=${DMABENCH:-$(dirname "$0")/../bench/dmabench}
MANDIR=${MANDIR:-$(dirname "$DMABENCH")}
pass=0
fail=0
TMP=$(mktemp -d /tmp/dmabench-test-man.XXXXXX) || exit 99
trap 'rm -rf "$TMP"' EXIT

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); printf 'FAIL: %s\n' "$*" >&2; }

[ -x "$DMABENCH" ] || { echo "no dmabench binary at $DMABENCH" >&2; exit 99; }

# help_options: the options of a --help text on stdin, one a line
# ("-s" and "--size" of "  -s, --size LIST   ...")
help_options() {
	sed -n 's/^  \(-[A-Za-z0-9]\), \(--[a-z0-9-]*\)\( [A-Z].*\|  .*\)\{0,1\}$/\1\n\2/p
		s/^      \(--[a-z0-9-]*\)\( [A-Z].*\|  .*\)\{0,1\}$/\1/p' | sort
}

# man_options: the options of the OPTIONS section of a page on stdin
man_options() {
	awk '/^\.SH / { on = ($2 == "OPTIONS") } on && tp { print; tp = 0 }
	     on && /^\.TP/ { tp = 1 }' |
	sed 's/\\-/-/g; s/\\f[BIR]//g; s/ [A-Z].*//; s/, /\n/' | sort
}

# same WHAT A B: the lists in files A and B are equal
same() {
	if cmp -s "$2" "$3"; then
		ok
	else
		bad "$1: --help and the man page disagree:" \
			"$(diff "$2" "$3" | sed -n 's/^[<>]/&/p' | tr '\n' ' ')"
	fi
}

# render PAGE: groff and man render it without a warning
render() {
	if command -v groff > /dev/null; then
		groff -ww -man -z "$1" > "$TMP/groff" 2>&1
		if [ -s "$TMP/groff" ]; then
			bad "groff -ww $1: $(head -3 "$TMP/groff")"
		else
			ok
		fi
	fi
	if command -v man > /dev/null; then
		MANWIDTH=80 MAN_KEEP_FORMATTING= man --warnings -l "$1" \
			> "$TMP/man.out" 2> "$TMP/man.err"
		if [ -s "$TMP/man.err" ] || [ ! -s "$TMP/man.out" ]; then
			bad "man -l $1: $(head -3 "$TMP/man.err")"
		else
			ok
		fi
	fi
}

# ---- the commands: dmabench(1) and one page each ----
"$DMABENCH" --help | awk '/^Commands:/ { on = 1; next } on && NF { print $1 }
	on && !NF { exit }' > "$TMP/cmds"
[ "$(wc -l < "$TMP/cmds")" -ge 10 ] || bad "dmabench --help lists $(wc -l < "$TMP/cmds") commands"
awk '/^\.SH / { on = ($2 == "COMMANDS") } on && tp { print; tp = 0 }
	on && /^\.TP/ { tp = 1 }' "$MANDIR/dmabench.1" | sed 's/\\f[BR]//g' \
	> "$TMP/man-cmds"
same "dmabench(1) COMMANDS" "$TMP/cmds" "$TMP/man-cmds"
render "$MANDIR/dmabench.1"

while read -r cmd; do
	page=$MANDIR/dmabench-$cmd.1
	if [ ! -s "$page" ]; then
		bad "no man page $page for the command $cmd (add it to man1_MANS in bench/Makefile.am)"
		continue
	fi
	"$DMABENCH" "$cmd" --help | help_options > "$TMP/help"
	man_options < "$page" > "$TMP/man"
	[ -s "$TMP/help" ] || bad "$cmd --help shows no option"
	same "dmabench-$cmd(1)" "$TMP/help" "$TMP/man"
	grep -q "^dmabench\\\\-$cmd \\\\- " "$page" || bad "$page: no NAME line"
	render "$page"
done < "$TMP/cmds"

# the run page describes the output columns of results.csv
for col in test size threads phase p50_ns ops_per_sec platform; do
	grep -q "^\\\\fB$col\\\\fR\$" "$MANDIR/dmabench-run.1" || \
		bad "dmabench-run(1) lacks the output column $col"
done

# ---- dmabench-jobfile(5): its keys are run or sweep options ----
page=$MANDIR/dmabench-jobfile.5
awk '/^\.SH / { on = ($2 == "KEYS") } on && tp { print; tp = 0 }
	on && /^\.TP/ { tp = 1 }' "$page" | sed 's/\\-/-/g; s/\\f[BIR]//g
	s/ = .*//' | sort > "$TMP/keys"
{ "$DMABENCH" run --help; "$DMABENCH" sweep --help; } | help_options \
	> "$TMP/options"
[ "$(wc -l < "$TMP/keys")" -ge 20 ] || bad "dmabench-jobfile(5) lists only $(wc -l < "$TMP/keys") keys"
while read -r key; do
	grep -qx -- "--$key" "$TMP/options" || bad "dmabench-jobfile(5): key $key is no run or sweep option"
done < "$TMP/keys"
for key in test size threads seconds repeat ci; do
	grep -qx "$key" "$TMP/keys" || bad "dmabench-jobfile(5) lacks the key $key"
done
grep -qx "format" "$TMP/keys" && bad "dmabench-jobfile(5) lists format, which no job may set"
render "$page"

# ---- the comparison itself fails on a page out of step ----
"$DMABENCH" run --help | help_options > "$TMP/help"
grep -v 'fB\\-\\-seed\\fR' "$MANDIR/dmabench-run.1" | man_options > "$TMP/man"
cmp -s "$TMP/help" "$TMP/man" && bad "a page without --seed still matches run --help"
sed 's/^\\fB\\-\\-seed\\fR/\\fB\\-\\-seeds\\fR/' "$MANDIR/dmabench-run.1" | \
	man_options > "$TMP/man"
cmp -s "$TMP/help" "$TMP/man" && bad "a page with --seeds for --seed still matches run --help"
ok

# ---- the hidden generator refuses what it does not know ----
"$DMABENCH" --man frob > /dev/null 2> "$TMP/err"
rc=$?
[ $rc -eq 2 ] && grep -q "no page 'frob'" "$TMP/err" && ok || bad "--man frob: exit $rc, $(cat "$TMP/err")"
"$DMABENCH" --man > /dev/null 2> "$TMP/err"
rc=$?
[ $rc -eq 2 ] && [ "$(wc -l < "$TMP/err")" -eq 1 ] && ok || bad "--man without a page: exit $rc, $(cat "$TMP/err")"

echo "test_man: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
