#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# The test bed builds from a clean copy of the source tree
# (scripts/lib/vm.sh vm_export_src), so a tree configured in place
# (./configure && make, the README's "Building by hand") does not break
# scripts/vm-test's out-of-tree build ("source directory already
# configured").  Checks, on a throw-away git tree: configure's outputs
# and results/ stay out of the copy, edits and new files come in, removed
# files leave,
# unchanged files are not copied again; without git a configured tree is
# refused with what to run.  Also vm-run/vm-test --kernel-build: a build
# directory whose .config lacks what the test bed needs is refused with
# the missing CONFIG_ options listed; their kernel options (--arch,
# --kernel, --kernel-image without --kernel-build, ...) refused with exit 2
# and one line.  Skipped (77) without git.
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
mkdir -p "$tree/results/r" && printf 'data\n' > "$tree/results/r/results.csv"
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
[ ! -e "$exp/results" ] && ok || bad "results/ (measurements, not built from) was copied"
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

# --kernel-build: a build directory whose .config lacks what the test bed
# needs is refused with the missing options; a complete one is accepted.
kb=$TMP/kbuild
mkdir -p "$kb/include/config"
touch "$kb/Makefile" "$kb/Module.symvers" "$TMP/bzImage"
echo 9.9.9-test > "$kb/include/config/kernel.release"
for o in MODULES PCI IOMMU_API IOMMU_DMA DEBUG_FS BLK_DEV_INITRD RD_GZIP DEVTMPFS \
	PROC_FS SYSFS INTEL_IOMMU IRQ_REMAP PCI_MSI SERIAL_8250 SERIAL_8250_CONSOLE; do
	echo "CONFIG_$o=y"
done > "$kb/.config"
echo "CONFIG_IOMMU_IOVA=m" >> "$kb/.config"
custom() {
	VM_PROG=test DMABENCH_CACHE=$TMP/cache bash -c \
		'. "$1/vm.sh" && vm_kernel_custom x86_64 "$2" "$3" "$4"' sh "$LIB" "$TMP/bzImage" "$kb" "$TMP/kdir"
}
if out=$(custom 2>&1) && [ "$(cat "$TMP/kdir/release")" = 9.9.9-test ] &&
	[ "$TMP/kdir/vmlinuz" -ef "$TMP/bzImage" ]; then ok; else bad "a complete kernel build was refused: $out"; fi
sed -i '/CONFIG_INTEL_IOMMU=/d; s/CONFIG_DEBUG_FS=y/# CONFIG_DEBUG_FS is not set/' "$kb/.config"
if out=$(custom 2>&1); then
	bad "a kernel without INTEL_IOMMU and DEBUG_FS was accepted"
else
	case "$out" in
	*"CONFIG_INTEL_IOMMU (is: absent)"*"CONFIG_DEBUG_FS"*|*"CONFIG_DEBUG_FS"*"CONFIG_INTEL_IOMMU (is: absent)"*) ok ;;
	*) bad "the refusal does not list CONFIG_INTEL_IOMMU and CONFIG_DEBUG_FS: $out" ;;
	esac
fi

# The kernel options of vm-run and vm-test (vm_kernel_args, one helper for
# both): refused with exit 2 and one line before anything is fetched or built.
# args_refused PROG WANT ARGS...
args_refused() {
	local prog=$1 want=$2 out rc
	shift 2
	out=$(DMABENCH_CACHE=$TMP/cache "$SRC/../scripts/$prog" "$@" 2>&1 < /dev/null)
	rc=$?
	if [ "$rc" -eq 2 ] && [ "$(printf "%s\n" "$out" | wc -l)" -eq 1 ] &&
		case "$out" in "$prog: $want"*) true ;; *) false ;; esac; then ok
	else bad "$prog $*: exit $rc, '$out' (want exit 2 and '$prog: $want...')"; fi
}
for prog in vm-run vm-test; do
	args_refused $prog "--arch x86_64|arm64 is required" --kernel 6.1
	args_refused $prog "--arch must be x86_64 or arm64, not 'sparc'" --arch sparc
	args_refused $prog "--kernel must be 5.10, 6.1, 6.12 or latest, not '7'" --arch arm64 --kernel 7
	args_refused $prog "--kernel-image and --kernel-build go together" --arch x86_64 --kernel-image "$TMP/bzImage"
	args_refused $prog "--kernel-image and --kernel-build go together" --arch x86_64 --kernel-build "$kb"
	args_refused $prog "--kernel-build $TMP/nonexist: no such directory" --arch x86_64 \
		--kernel-image "$TMP/bzImage" --kernel-build "$TMP/nonexist"
done
# vm-test --suite: one suite of tests.sh's full list, in the one-instance boot
args_refused vm-test "--suite takes one of: basic iommu" --arch x86_64 --suite nope
args_refused vm-test "--suite takes one of: " --arch x86_64 --suite "basic iommu"
args_refused vm-test "--suite runs in the one-instance strict boot: drop --smmu-instances" \
	--arch arm64 --suite accuracy --smmu-instances 2

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
