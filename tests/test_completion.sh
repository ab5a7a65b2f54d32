#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# The generated bash completion (dmabench --completion) in a real bash: the
# commands of `dmabench --help`, every option of each `CMD --help` (and no
# other), enum values, comma lists, the test names of the module's tests
# file (a fake one under $DMABENCH_SYSROOT) or, without the module, the ones
# dmabench knows, and the literal words of a synopsis (exhaust domains).
set -u

DMABENCH=${DMABENCH:-$(dirname "$0")/../bench/dmabench}
COMPLETION=${COMPLETION:-$(dirname "$DMABENCH")/completion/dmabench}
pass=0
fail=0
TMP=$(mktemp -d /tmp/dmabench-test-completion.XXXXXX) || exit 99
trap 'rm -rf "$TMP"' EXIT

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); printf 'FAIL: %s\n' "$*" >&2; }

command -v bash > /dev/null || { echo "no bash: skipped"; exit 77; }
[ -s "$COMPLETION" ] || { echo "no completion at $COMPLETION" >&2; exit 99; }

# complete WORDS...: what bash offers for the last word, sorted, one a line
complete_words() {
	bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		_dmabench; printf "%s\n" "${COMPREPLY[@]}"' sh "$COMPLETION" "$@" |
		sed '/^$/d' | sort
}

# expect WANT WORDS...: the offer is exactly WANT (space separated)
expect() {
	want=$(printf '%s\n' $1 | sort)
	shift
	got=$(complete_words "$@")
	if [ "$got" = "$want" ]; then
		ok
	else
		bad "complete '$*': got '$(echo $got)', want '$(echo $want)'"
	fi
}

bash -n "$COMPLETION" && ok || bad "$COMPLETION: bash syntax error"

# ---- commands and each command's options, from the binary's --help ----
cmds=$("$DMABENCH" --help | awk '/^Commands:/ { on = 1; next }
	on && NF { print $1 } on && !NF { exit }')
expect "help $cmds" dmabench ''
expect "run" dmabench ru
for cmd in $cmds; do
	opts=$("$DMABENCH" "$cmd" --help | sed -n \
		's/^  \(-[A-Za-z0-9]\), \(--[a-z0-9-]*\)\( [A-Z].*\|  .*\)\{0,1\}$/\1 \2/p
		s/^      \(--[a-z0-9-]*\)\( [A-Z].*\|  .*\)\{0,1\}$/\1/p')
	[ -n "$opts" ] || bad "$cmd --help shows no option"
	expect "$opts" dmabench "$cmd" -
done
expect "--seconds --seed --seg-size" dmabench run --se

# ---- values ----
expect "bidir from to" dmabench run --dir ''
expect "contiguous,contiguous contiguous,scattered" dmabench run --layout contiguous,
expect "per-device per-instance" dmabench verify --scope per
expect "p50,p50 p50,p90 p50,p99 p50,mean" dmabench compare --stat p50,
expect "domains" dmabench exhaust ''
expect "" dmabench run --size ''
for f in text csv json; do
	complete_words dmabench run --format '' | grep -qx "$f" && ok || \
		bad "run --format offers no $f"
done

# --test: the module's tests file, else the tests dmabench knows
expect "map_sg map_single" dmabench run --test map_s
mkdir -p "$TMP/root/sys/kernel/debug/dmabench"
printf 'fake_one map unmap fields=0x1\nfake_two alloc free\n' \
	> "$TMP/root/sys/kernel/debug/dmabench/tests"
DMABENCH_SYSROOT=$TMP/root; export DMABENCH_SYSROOT
expect "fake_one fake_two" dmabench run --test ''
expect "fake_one,fake_two" dmabench run -t fake_one,fake_t
unset DMABENCH_SYSROOT

echo "test_completion: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
