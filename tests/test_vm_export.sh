#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# The test bed builds from a clean copy of the source tree
# (scripts/lib/vm.sh vm_export_src), so a tree configured in place
# (./configure && make, the README's "Building by hand") does not break
# scripts/vm-test's out-of-tree build ("source directory already
# configured").  Checks, on a throw-away git tree: configure's outputs
# stay out of the copy, edits and new files come in, removed files leave,
# unchanged files are not copied again; without git a configured tree is
# refused with what to run.  Skipped (77) without git.
set -u

SRC=${srcdir:-$(dirname "$0")}
LIB=$(cd "$SRC/../scripts/lib" && pwd)
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); printf 'FAIL: %s\n' "$*" >&2; }

command -v git >/dev/null 2>&1 || { echo "SKIP: git not installed"; exit 77; }
TMP=$(mktemp -d /tmp/dmabench-test-export.XXXXXX) || exit 99
trap 'rm -rf "$TMP"' EXIT

tree=$TMP/tree
mkdir -p "$tree/kmod" "$tree/scripts"
printf 'AC_INIT([t], [1])\n' > "$tree/configure.ac"
printf 'int x;\n' > "$tree/kmod/a.c"
printf '#!/bin/sh\n' > "$tree/scripts/run"
chmod +x "$tree/scripts/run"
printf '/config.status\n/Makefile\n*.o\n' > "$tree/.gitignore"
git -C "$tree" init -q && git -C "$tree" add -A &&
	git -C "$tree" -c user.name=t -c user.email=t@t commit -q -m t || exit 99
# configured in place: outputs that must not reach the copy
printf 'configured\n' > "$tree/config.status"
printf 'all:\n' > "$tree/Makefile"
printf 'obj\n' > "$tree/kmod/a.o"
# an uncommitted new file and an edit must reach it
printf 'int y;\n' > "$tree/kmod/b.c"

# export NAME: runs vm_export_src on $tree, prints the copy's directory
export_tree() {
	VM_PROG=test DMABENCH_CACHE=$TMP/cache bash -c \
		'. "$1/vm.sh" && VM_SRCDIR=$2 && vm_export_src' sh "$LIB" "$tree"
}

exp=$(export_tree) || { bad "vm_export_src failed on a git tree"; exp=/nonexistent; }
[ -f "$exp/configure.ac" ] && [ -f "$exp/kmod/a.c" ] && ok || bad "tracked files missing in the copy"
[ -f "$exp/kmod/b.c" ] && ok || bad "untracked, not ignored kmod/b.c missing in the copy"
[ -x "$exp/scripts/run" ] && ok || bad "scripts/run lost its execute bit"
[ ! -e "$exp/config.status" ] && [ ! -e "$exp/Makefile" ] && [ ! -e "$exp/kmod/a.o" ] &&
	ok || bad "configure's outputs or objects were copied"

# unchanged files stay as they are (make rebuilds only what changed)
touch -d '2000-01-01' "$exp/configure.ac"
printf 'int x2;\n' > "$tree/kmod/a.c"
rm "$tree/kmod/b.c"
exp2=$(export_tree) || bad "second vm_export_src failed"
[ "$exp2" = "$exp" ] && ok || bad "second export went to $exp2, not $exp"
[ "$(cat "$exp/kmod/a.c")" = 'int x2;' ] && ok || bad "an edit did not reach the copy"
[ ! -e "$exp/kmod/b.c" ] && ok || bad "a file removed from the tree stayed in the copy"
[ "$(date -r "$exp/configure.ac" +%Y)" = 2000 ] && ok || bad "an unchanged file was copied again"

# Without git, a tree configured in place is refused with what to run.
rm -rf "$tree/.git"
if err=$(export_tree 2>&1); then
	bad "a configured tree without git was accepted"
else
	case "$err" in
	*"make distclean"*) ok ;;
	*) bad "the refusal does not say to run make distclean: $err" ;;
	esac
fi
rm "$tree/config.status"
out=$(export_tree) && [ "$out" = "$tree" ] && ok ||
	bad "an unconfigured tree without git is not used as it is ($out)"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
