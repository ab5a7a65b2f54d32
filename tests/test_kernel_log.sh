#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# The test bed's kernel log checks (scripts/guest/kernel-log-bad.ere, read
# by the host's vm_check_log in scripts/lib/vm.sh and the guest's BAD_RE in
# scripts/guest/lib.sh): a guest log with a SLUB report (vm-test boots
# with slub_debug=FZPU), a warning, an oops or a lockup fails, even when
# only the report's own lines made it (no stack dump); a clean log, lines
# without a printk time stamp and the module's own words do not.
set -u

SRC=${srcdir:-$(dirname "$0")}
SRC=$(cd "$SRC/.." && pwd)
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); printf 'FAIL: %s\n' "$*" >&2; }
TMP=$(mktemp -d /tmp/dmabench-test-klog.XXXXXX) || exit 99
trap 'rm -rf "$TMP"' EXIT

VM_PROG=test_kernel_log
# shellcheck source=../scripts/lib/vm.sh
. "$SRC/scripts/lib/vm.sh"

CLEAN='[    0.000000] Linux version 6.1.0-57-amd64
[    3.006399] iommu: Default domain type: Translated
[    4.100000] dmabench: run: unknown test "no_such_test": see the tests file
[    5.000000] dmabench 0000:00:03.0: verify: DEBUG-free, BUGS none
[    6.000000] pci 0000:01:01.0: Adding to iommu group 5'

# expect NAME WANT(0 clean, 1 bad) LINES: vm_check_log and the guest's
# grep on a guest-dmesg.log of LINES
expect() {
	local name=$1 want=$2 got ggot
	mkdir -p "$TMP/$name"
	printf '%s\n' "$CLEAN" "$3" > "$TMP/$name/guest-dmesg.log"
	if vm_check_log "$TMP/$name" 2> "$TMP/$name.err"; then got=0; else got=1; fi
	if grep -qE "$(cat "$SRC/scripts/guest/kernel-log-bad.ere")" "$TMP/$name/guest-dmesg.log"; then
		ggot=1
	else
		ggot=0
	fi
	[ "$got" = "$want" ] && ok || bad "$name: host check says $got, want $want ($(head -n 3 "$TMP/$name.err" | tr '\n' ' '))"
	# the guest's check reads every line (it has no console text)
	[ "$ggot" = "$want" ] && ok || bad "$name: guest BAD_RE says $ggot, want $want"
}

expect clean 0 '[    7.000000] dmabench: exhaust: stopped at 1024 domains'
expect slub_poison 1 '[   12.345679] =============================================================================
[   12.345680] BUG kmalloc-64 (Not tainted): Poison overwritten
[   12.345681] -----------------------------------------------------------------------------'
expect slub_redzone_tainted 1 '[   12.345680] BUG dma-kmalloc-128 (Tainted: G           O      ): Redzone overwritten'
expect slub_padding 1 '[   12.345680] BUG kmalloc-rnd-05-256 (Tainted: G    B      O ): Object padding overwritten'
expect slub_freepointer 1 '[   12.345680] Freepointer corrupt'
expect slub_padding_slab 1 '[   12.345680] Padding overwritten. 0xffff8880045b7f40-0xffff8880045b7fff @offset=8000'
expect warning 1 '[   20.000000] WARNING: CPU: 1 PID: 90 at drivers/iommu/iommu.c:2000 iommu_detach+0x10/0x20'
expect oops 1 '[   20.000000] Oops: general protection fault, probably for non-canonical address'
expect lockup 1 '[   20.000000] watchdog: BUG: soft lockup - CPU#0 stuck for 22s!'
expect hung 1 '[  240.000000] INFO: task dmabench:99 blocked for more than 120 seconds.'
expect kmemleak_init 0 '[    0.500000] kmemleak: Kernel memory leak detector initialized (mem pool available: 15874)'
expect kmemleak_leaks 1 '[  600.000000] kmemleak: 3 new suspected memory leaks (see /sys/kernel/debug/kmemleak)'

# The host reads only printk lines: the bench's own output on the console
# (no time stamp) never trips it.
mkdir -p "$TMP/console"
printf '%s\n' "$CLEAN" 'BUG kmalloc-64 (Not tainted): Poison overwritten (a quoted report)' > "$TMP/console/guest-dmesg.log"
vm_check_log "$TMP/console" 2> /dev/null && ok || bad "a line without a time stamp failed the host check"

echo "test_kernel_log: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
