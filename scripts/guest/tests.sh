#!/bin/sh
# tests.sh: dmabench's integration suites, run inside the test guest
# (busybox sh) by scripts/vm-test through /init, after insmod and "dmabench
# bind" of every edu device.  Prints one KTAP document (ktap.sh says how to
# add a case or a suite): a plan of suites (the t-*.sh files), each a
# subtest with a plan of cases, ending with "# Totals: ...".  The same lines
# go to /results/ktap.txt.  Exit status 0 when nothing failed, else 1.
#
# Usage: tests.sh SUITE DOMAIN [FORCED [EXPECT_EDU]]
#   SUITE  full: every case;  mode: the domain type and one run of each
#          area (for the second boot with the other iommu.strict setting)
#          NAME: that one suite of full alone, e.g. accuracy (vm-test --suite)
#          topology: several IOMMU instances (basic, topology, lifecycle)
#          group: two edu devices in one IOMMU group (t-group.sh)
#   DOMAIN the default domain type the edu devices must show: DMA | DMA-FQ
#   FORCED 1 when the kernel was booted with swiotlb=force (mode suite:
#          --bounce must bounce every mapping)
#   EXPECT_EDU the number of edu devices the host attached (edu_devices);
#          a suite that needs more edu devices than the guest has is skipped
SUITE=${1:-full}
domain=${2:-}
forced=${3:-0}
EXPECT_EDU=${4:-}
GUEST_DIR=$(cd "$(dirname "$0")" && pwd)

# The suites of each boot, in order (lifecycle last: it unloads the module).
SUITES_full="basic iommu dma_api domain bad_input mapbench accuracy hardening lifecycle"
SUITES_mode="basic dma_api domain lifecycle"
# several IOMMU instances (vm-test --smmu-instances N): t-topology.sh
SUITES_topology="basic topology lifecycle"
# two edu devices in one IOMMU group (vm-test's "group" boot, --shared-group)
SUITES_group="group"

KTAP_LOG=/results/ktap.txt
. "$GUEST_DIR/ktap.sh"
. "$GUEST_DIR/lib.sh"
for f in "$GUEST_DIR"/t-*.sh; do
	. "$f"
done
: > "$KTAP_LOG"

case "$SUITE" in
full) suites=$SUITES_full ;;
mode) suites=$SUITES_mode ;;
topology) suites=$SUITES_topology ;;
group) suites=$SUITES_group ;;
*)
	case " $SUITES_full " in
	# one suite alone: its cases are those of the full run
	*" $SUITE "*) suites=$SUITE only=$SUITE SUITE=full ;;
	*) echo "tests.sh: unknown suite '$SUITE' (full, mode, topology, group or one of: $SUITES_full)" >&2; exit 2 ;;
	esac ;;
esac

ktap_header
# scripts/vm-test waits for this line to know the guest has booted.
ktap_diag "dmabench guest tests: suite ${only:-$SUITE}, domain ${domain:-any}, edu devices: ${EDUS:-none}, $NCPU CPUs"
[ -e "$DEV" ] || ktap_bail_out "$DEV does not exist (dmabench.ko not loaded?)"
# shellcheck disable=SC2086
set -- $suites
ktap_plan $#

# Each suite runs in a subshell (one cannot end or change another); it
# leaves its counts in /tmp/ktap.counts for the totals.
n=0 tpass=0 tfail=0 txfail=0 tskip=0 terror=0 nbad=0
for s in $suites; do
	n=$((n + 1))
	(
		KTAP_INDENT="  "
		# shellcheck disable=SC2046
		ktap_begin "$s" $("${s}_cases")
		need=$(eval echo "\${${s}_needs_edu:-0}")
		if [ "$NEDU" -lt "$need" ]; then
			ktap_skip_rest "needs $need edu devices (PCI 1234:11e8), the guest has $NEDU"
			echo skip > /tmp/ktap.suite
		else
			"${s}_run"
			echo ran > /tmp/ktap.suite
		fi
		ktap_finished
		rc=$?
		echo "$KTAP_CNT_PASS $KTAP_CNT_FAIL $KTAP_CNT_XFAIL $KTAP_CNT_SKIP $KTAP_CNT_ERROR $KTAP_BUGS" > /tmp/ktap.counts
		exit $rc
	)
	rc=$?
	# shellcheck disable=SC2046
	set -- $(cat /tmp/ktap.counts 2>/dev/null || echo 0 0 0 0 1 0)
	rm -f /tmp/ktap.counts
	tpass=$((tpass + $1)) tfail=$((tfail + $2)) txfail=$((txfail + $3))
	tskip=$((tskip + $4)) terror=$((terror + $5))
	if [ $rc -ne 0 ]; then
		nbad=$((nbad + 1))
		ktap_diag "$s: $2 failed, $5 without a result, $6 undeclared"
		ktap_print "not ok $n $s"
	elif [ "$(cat /tmp/ktap.suite 2>/dev/null)" = skip ]; then
		ktap_print "ok $n $s # SKIP too few edu devices"
	else
		ktap_print "ok $n $s"
	fi
done
KTAP_CNT_PASS=$tpass KTAP_CNT_FAIL=$tfail KTAP_CNT_XFAIL=$txfail
KTAP_CNT_SKIP=$tskip KTAP_CNT_ERROR=$terror
ktap_print_totals
[ "$nbad" -eq 0 ]
