#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# The dmabench binary from the outside: bad arguments exit 2 with a one-line
# message naming the argument; list, bind and unbind against a fake sysfs
# tree ($DMABENCH_SYSROOT) do the right writes, keep the state file, and
# explain their failures.
set -u

DMABENCH=${DMABENCH:-$(dirname "$0")/../bench/dmabench}
pass=0
fail=0
TMP=$(mktemp -d /tmp/dmabench-test-cli.XXXXXX) || exit 99
trap 'rm -rf "$TMP"' EXIT

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); printf 'FAIL: %s\n' "$*" >&2; }

# expect CODE PATTERN ARGS...: exit code CODE and PATTERN (fixed string) in
# stdout+stderr; usage errors must also be exactly one line on stderr.
expect() {
	code=$1 pattern=$2
	shift 2
	"$DMABENCH" "$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	if [ "$rc" -ne "$code" ]; then
		bad "dmabench $*: exit $rc, want $code ($(cat "$TMP/err"))"
		return
	fi
	if ! cat "$TMP/out" "$TMP/err" | grep -qF -- "$pattern"; then
		bad "dmabench $*: no '$pattern' in: $(cat "$TMP/out" "$TMP/err")"
		return
	fi
	if [ "$code" -eq 2 ] && [ "$(wc -l <"$TMP/err")" -ne 1 ]; then
		bad "dmabench $*: usage error is not one line: $(cat "$TMP/err")"
		return
	fi
	ok
}

[ -x "$DMABENCH" ] || { echo "no dmabench binary at $DMABENCH" >&2; exit 99; }

# ---- usage errors: exit 2, the bad argument named, --help pointed at ----
expect 2 "missing command (see dmabench --help)"
expect 2 "unknown command 'frob' (see dmabench --help)" frob
expect 2 "bad --size '4X': unknown unit" run -t map_single --size 4X
expect 2 "(see dmabench run --help)" run -t map_single --size 4X
expect 2 "bad --size '0': must be greater than zero" run -t map_single -s 0
expect 2 "bad --size '': empty value" run -t map_single -s ''
expect 2 "bad --size '128M': must be at most 64M" run -t map_single -s 4K,128M
expect 2 "bad --size '99999999999999999999': too large" run -t x -s 99999999999999999999
expect 2 "bad --threads '0': must be 1..1024" run -t x --threads 0
expect 2 "bad --threads '2000'" run -t x --threads 1,2000
expect 2 "bad --threads '': empty value" run -t x --threads 1,,2
expect 2 "bad --dir 'sideways'" run -t x --dir sideways
expect 2 "bad --format 'xml'" run -t x --format xml
expect 2 "bad --seconds '0'" run -t x --seconds 0
expect 2 "bad --seconds 'abc'" run -t x --seconds abc
expect 2 "bad --iterations '0'" run -t x --iterations 0
expect 2 "bad --dma-mask-bits '65'" run -t x --dma-mask-bits 65
expect 2 "bad --dma-trans-ns '-1'" run -t x --dma-trans-ns -1
expect 2 "bad --cpus 'abc'" run -t x --cpus abc
expect 2 "bad --cpus '99999'" run -t x --cpus 99999
expect 2 "bad --node '999'" run -t x --node 999
expect 2 "bad --node 'x'" run -t x --node x
expect 2 "--cpus and --node exclude each other" run -t x --cpus 0 --node 0
expect 2 "--seconds and --iterations exclude each other" run -t x -S 1 -i 1
expect 2 "unknown option '--frob'" run -t x --frob
expect 2 "unknown option '-z'" run -t x -z
expect 2 "option '--test' needs a value" run --test
expect 2 "missing --test NAME" run
expect 2 "unexpected argument 'extra'" run -t x extra
expect 2 "bad --test" run -t 0123456789012345678901234567890123456789
expect 2 "missing device name (see dmabench bind --help)" bind
expect 2 "unexpected argument 'b'" bind a b
expect 2 "bad device name '../x'" bind ../x
expect 2 "unknown option '--frob' (see dmabench unbind --help)" unbind --frob
expect 2 "bad --len 'abc'" verify --len abc
expect 2 "bad --len '4K': must be at most 4095" verify --len 4K
expect 2 "unexpected argument 'x'" verify x
expect 2 "bad --what 'foo': 'foo' is not map_single, map_sg, alloc, iova_link or map_phys" verify --what foo
expect 2 "'map_sg' named twice" verify --what map_sg,map_sg
expect 2 "bad --nents '0': must be 1..1024" verify --what map_sg --nents 0
expect 2 "--nents applies to --what map_sg and iova_link only" verify --nents 4
expect 2 "--domain needs one --device" verify --domain dma
expect 2 "bad --domain 'bogus'" verify --device x --domain bogus
expect 2 "--scope takes neither --what nor --domain" verify --scope per-device --what alloc
expect 2 "option '--bounce' takes no value" run --bounce=yes
expect 2 "unknown option '--frob=1'" run --frob=1
expect 2 "unexpected argument 'x' (see dmabench list --help)" list x

# ---- help and version ----
expect 0 "usage: dmabench [--help" --help
expect 0 "dmabench " --version
for cmd in list bind unbind run verify; do
	expect 0 "usage: dmabench $cmd" "$cmd" --help
	expect 0 "usage: dmabench $cmd" help "$cmd"
done

# ---- a fake sysfs tree ----
R=$TMP/root
export DMABENCH_SYSROOT="$R" DMABENCH_STATE_DIR="$TMP/state/sub"
DEV=0000:00:03.0
mkdir -p "$R/sys/kernel/debug/dmabench" "$R/sys/kernel/iommu_groups/3" \
	"$R/sys/bus/pci/devices/$DEV" "$R/sys/bus/pci/devices/0000:00:00.0" \
	"$R/sys/bus/pci/drivers/olddrv" "$R/sys/bus/pci/drivers/dmabench" \
	"$R/sys/bus/platform/devices/dmabench.0" \
	"$R/sys/bus/platform/devices/9000000.pl011" \
	"$R/sys/bus/platform/devices/9050000.smmuv3" \
	"$R/sys/bus/platform/drivers/dmabench"
echo 0x00ff00 >"$R/sys/bus/pci/devices/$DEV/class"
echo 0x060000 >"$R/sys/bus/pci/devices/0000:00:00.0/class"
echo DMA-FQ >"$R/sys/kernel/iommu_groups/3/type"
ln -s ../../../../kernel/iommu_groups/3 "$R/sys/bus/pci/devices/$DEV/iommu_group"
ln -s ../../../../kernel/iommu_groups/3 "$R/sys/bus/platform/devices/9000000.pl011/iommu_group"
ln -s ../../drivers/olddrv "$R/sys/bus/pci/devices/$DEV/driver"
ln -s ../../drivers/dmabench "$R/sys/bus/platform/devices/dmabench.0/driver"
: >"$R/sys/kernel/debug/dmabench/control"
printf 'dmabench.0 platform direct none yes 64 no no\n' \
	>"$R/sys/kernel/debug/dmabench/devices"

reset_attrs() {
	for f in devices/$DEV/driver_override drivers/olddrv/bind \
		drivers/olddrv/unbind drivers/dmabench/bind \
		drivers/dmabench/unbind drivers_probe; do
		: >"$R/sys/bus/pci/$f"
	done
}
# check FILE CONTENT: what dmabench wrote into a fake attribute
check() {
	if [ "$(cat "$1")" = "$2" ]; then ok; else
		bad "$1 holds '$(cat "$1")', want '$2'"
	fi
}

# list: bridge and IOMMU-less platform devices left out, dmabench.0 in
expect 0 "DEVICE" list
if grep -q '^0000:00:00.0' "$TMP/out"; then bad "bridge listed"; else ok; fi
if grep -q 'smmuv3' "$TMP/out"; then bad "no-group platform listed"; else ok; fi
expect 0 "dmabench.0" list
grep -Eq '^0000:00:03.0 +olddrv +3 DMA-FQ +iommu +(yes|\?) +\?$' "$TMP/out" \
	&& ok || bad "list line for $DEV: $(grep "^$DEV" "$TMP/out")"
grep -Eq '^dmabench.0 +dmabench +- none +direct +yes +64$' "$TMP/out" \
	&& ok || bad "list line for dmabench.0: $(grep '^dmabench.0' "$TMP/out")"
grep -Eq '^9000000.pl011 +- +3 DMA-FQ' "$TMP/out" && ok || bad "platform in a group"
awk 'length > 80 { exit 1 }' "$TMP/out" && ok || bad "list wider than 80 columns"

# bind: remember olddrv, override, unbind olddrv, bind dmabench
reset_attrs
expect 0 "$DEV: bound to dmabench (was: olddrv)" bind $DEV
check "$R/sys/bus/pci/devices/$DEV/driver_override" dmabench
check "$R/sys/bus/pci/drivers/olddrv/unbind" $DEV
check "$R/sys/bus/pci/drivers/dmabench/bind" $DEV
check "$DMABENCH_STATE_DIR/$DEV" "$(printf 'bus=pci\ndriver=olddrv')"

# what the kernel would do: the device is now ours
ln -sfn ../../drivers/dmabench "$R/sys/bus/pci/devices/$DEV/driver"
expect 1 "$DEV is already bound to dmabench" bind $DEV

# unbind: release, clear the override, rebind olddrv, drop the state
reset_attrs
expect 0 "$DEV: unbound from dmabench" unbind $DEV
check "$R/sys/bus/pci/drivers/dmabench/unbind" $DEV
check "$R/sys/bus/pci/devices/$DEV/driver_override" ""
check "$R/sys/bus/pci/drivers/olddrv/bind" $DEV
[ ! -e "$DMABENCH_STATE_DIR/$DEV" ] && ok || bad "state file left behind"

# unbind without a state file: let the bus probe
reset_attrs
expect 0 "no saved driver" unbind $DEV
check "$R/sys/bus/pci/drivers_probe" $DEV

# errors
expect 1 "0000:00:00.0 is not bound to dmabench (driver: none)" unbind 0000:00:00.0
ln -sfn ../../drivers/olddrv "$R/sys/bus/pci/devices/$DEV/driver"
expect 1 "is not bound to dmabench (driver: olddrv)" unbind $DEV
expect 1 "no such device 0000:00:09.0" bind 0000:00:09.0
expect 1 "0000:00:00.0 is a PCI bridge" bind 0000:00:00.0
expect 1 "dmabench.0 is dmabench's own device" bind dmabench.0

# the dmabench bind attribute fails: everything is rolled back
reset_attrs
rm "$R/sys/bus/pci/drivers/dmabench/bind"
mkdir "$R/sys/bus/pci/drivers/dmabench/bind"
expect 1 "writing '$DEV' to /sys/bus/pci/drivers/dmabench/bind failed" bind $DEV
# a plain file keeps the old tail: the override was cleared with "\n"
[ -z "$(head -n 1 "$R/sys/bus/pci/devices/$DEV/driver_override")" ] && ok ||
	bad "driver_override not cleared after failed bind"
check "$R/sys/bus/pci/drivers/olddrv/bind" $DEV
[ ! -e "$DMABENCH_STATE_DIR/$DEV" ] && ok || bad "state file after failed bind"

rm -r "$R/sys/bus/pci/drivers/dmabench"
expect 1 "module not loaded (no /sys/bus/pci/drivers/dmabench): insmod dmabench.ko" bind $DEV

# module reachability
mv "$R/sys/kernel/debug/dmabench" "$R/sys/kernel/debug/x"
expect 1 "module not loaded" run -t map_single
expect 1 "module not loaded" verify
rm -r "$R/sys/kernel/debug/x"
expect 1 "mount -t debugfs none /sys/kernel/debug" run -t map_single
expect 0 "debugfs is not mounted" list

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
