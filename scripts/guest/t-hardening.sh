# shellcheck shell=sh
# t-hardening.sh: suite "hardening": issue 14's cases (leave every device
# as found, late DMA, unbind during a long verify, OOM-sized runs refused,
# unprivileged open refused, exhaust domains capped by memory, concurrent
# stress, slub_debug on, in-unmap IOTLB syncs counted; two edu in one IOMMU
# group: t-group.sh).  Sourced by tests.sh (ktap.sh's check, lib.sh's
# guard, group_of, gtype, drv, EDU1, EDU2, EDUS).
#
# Timings here are TCG emulation numbers: only ratios within one boot are
# compared.

hardening_needs_edu=2
TH_STRESS_S=${TH_STRESS_S:-20}
hardening_cases() {
	echo slub_debug_active
	echo exhaust_narrow_leaves_domain_as_found unbind_during_long_verify
	echo late_dma_leaks_buffers oom_sized_run_refused unprivileged_open_refused
	echo exhaust_domains_memory_capped batch_counts_in_unmap_syncs
	echo concurrent_stress
}

# th_settype DEV TYPE: unbind, write the group type, bind; prints why not
th_settype() {
	[ "$(drv "$1")" = dmabench ] && { dmabench unbind "$1" > /dev/null 2>&1 || { echo "unbind $1 failed"; return; }; }
	printf '%s' "$2" | dd of="/sys/kernel/iommu_groups/$(group_of "$1")/type" 2>/dev/null ||
		echo "writing $2 to the type of $1's group failed"
	dmabench bind "$1" > /dev/null 2>&1 || echo "bind $1 after $2 failed"
}

# th_p50 DEV TAG: the p50 of map_single's map phase (1 s, one thread); the
# median of three runs, so one slow spell of the emulating host does not
# decide.  Prints the median; the three go to /tmp/t/p50.TAG.
th_p50() {
	: > "/tmp/t/p50.$2"
	for _r in 1 2 3; do
		_p=$(guard 60 dmabench run --device "$1" --test map_single --size 4K \
			--threads 1 --seconds 1 --format csv 2> /tmp/t/p50.err |
			awk -F, '!h && /^test,device,/ { for (i = 1; i <= NF; i++) c[$i] = i; h = 1; next }
				 h && $c["phase"] == "map" { print $c["p50_ns"]; exit }')
		[ -n "$_p" ] || return
		echo "$_p" >> "/tmp/t/p50.$2"
	done
	sort -n "/tmp/t/p50.$2" | sed -n 2p
}

# The headline: one exhaust at a narrow DMA mask must not change what the
# device measures afterwards (the refusal stays in the IOVA allocator of
# the domain it happened in: 32-bit fast-fail; dmabench renews the domain).
th_exhaust_then_same() {
	why=
	t0=$(gtype "$EDU1")
	c1=$(iova_cap "$EDU1" 24)
	p1=$(th_p50 "$EDU1" before)
	c20=$(iova_cap "$EDU1" 20)
	c2=$(iova_cap "$EDU1" 24)
	p2=$(th_p50 "$EDU1" after)
	ktap_diag "exhaust at 24 bits: $c1, at 20: $c20, at 24 again: $c2; map p50 median $p1 ($(xargs < /tmp/t/p50.before)) -> $p2 ($(xargs < /tmp/t/p50.after)) ns, TCG"
	if [ -z "$c1" ] || [ -z "$c2" ] || [ -z "$c20" ]; then
		why="exhaust failed: $(oneline /tmp/t/cap24.err)$(oneline /tmp/t/cap20.err)"
	elif [ "$c20" -ge "$c1" ]; then
		why="the 20-bit exhaust ($c20) was not narrower than the 24-bit one ($c1)"
	elif [ "$c2" != "$c1" ]; then
		why="capacity at 24 bits $c1 before and $c2 after an exhaust at 20 bits"
	elif [ -z "$p1" ] || [ -z "$p2" ]; then
		why="map_single failed: $(oneline /tmp/t/p50.err)"
	elif [ $((p2 * 10)) -gt $((p1 * 14)) ]; then
		why="map_single p50 (median of 3) $p1 ns before, $p2 ns after an exhaust at 20 bits (over 1.4x)"
	elif [ "$(gtype "$EDU1")" != "$t0" ] || [ "$(drv "$EDU1")" != dmabench ]; then
		why="$EDU1 left as type $(gtype "$EDU1") driver $(drv "$EDU1"), found $t0 dmabench"
	fi
	check exhaust_narrow_leaves_domain_as_found "$why"
}

# Unbind while a verify runs through 1024 unmerged segments (identity
# domain: dma-direct, about 200 s of edu DMA): unbind must come back at
# once, not after the verify (a hung-task warning at 120 s).
th_unbind_during_verify() {
	t0=$(gtype "$EDU2")
	why=$(th_settype "$EDU2" identity)
	if [ -n "$why" ]; then
		check unbind_during_long_verify "$why"
		return
	fi
	dmabench verify --device "$EDU2" --what map_sg --nents 1024 \
		> /tmp/t/lv.out 2>&1 &
	pid=$!
	sleep 3
	if ! alive $pid; then
		why="the verify ended within 3 s: $(oneline /tmp/t/lv.out)"
	else
		s0=$(date +%s)
		guard 30 dmabench unbind "$EDU2" > /tmp/t/lvu.out 2>&1 ||
			why="unbind did not return within 30 s (or failed): $(oneline /tmp/t/lvu.out)"
		dt=$(($(date +%s) - s0))
		ktap_diag "unbind during a 1024-segment verify took ${dt}s (TCG)"
		[ -z "$why" ] && [ $dt -gt 5 ] && why="unbind took ${dt}s"
	fi
	_i=0
	while alive $pid && [ $_i -lt 300 ]; do sleep 1; _i=$((_i + 1)); done
	alive $pid && kill -KILL $pid
	wait $pid 2> /dev/null
	[ "$(drv "$EDU2")" = dmabench ] || dmabench bind "$EDU2" > /dev/null 2>&1
	r=$(th_settype "$EDU2" "$t0")
	check unbind_during_long_verify "${why:-$r}"
}

# An edu transfer that outlives the wait (edu_timeout_ms 1, the edu takes
# 100 ms): the verify fails with the one line, the device refuses DMA from
# then on, and the late write lands in memory dmabench leaked on purpose
# (slub_debug=FZPU would show "Poison overwritten" otherwise).
th_late_dma() {
	p=/sys/module/dmabench/parameters/edu_timeout_ms
	why=
	if [ ! -w $p ]; then
		check late_dma_leaks_buffers "no $p"
		return
	fi
	echo 1 > $p
	guard 60 dmabench verify --device "$EDU2" > /tmp/t/ld1.out 2>&1 &&
		why="verify passed with a 1 ms edu timeout"
	echo 3000 > $p
	sleep 1
	[ -z "$why" ] && ! dmesg | grep -q "did not finish within 1 ms: leaking" &&
		why="no 'leaking' line in the kernel log"
	[ -z "$why" ] && guard 60 dmabench verify --device "$EDU2" > /tmp/t/ld2.out 2>&1 &&
		why="a second verify ran DMA on the timed-out device"
	[ -z "$why" ] && ! dmesg | grep -q "never finished: unbind and bind it" &&
		why="the second verify was refused without its line: $(oneline /tmp/t/ld2.out)"
	dmabench unbind "$EDU2" > /dev/null 2>&1
	dmabench bind "$EDU2" > /dev/null 2>&1
	[ -z "$why" ] && ! guard 60 dmabench verify --device "$EDU2" > /tmp/t/ld3.out 2>&1 &&
		why="verify after re-bind: $(oneline /tmp/t/ld3.out)"
	dmesg | grep -qE 'Poison overwritten|BUG kmalloc|Redzone' &&
		why="the late DMA hit freed memory: $(dmesg | grep -E 'Poison|BUG kmalloc' | head -n 1)"
	check late_dma_leaks_buffers "$why"
}

# A run whose buffers would take the guest's whole memory (16 x 64 MiB
# behind an IOMMU: dma_alloc_attrs falls back to single pages) is refused
# up front with EINVAL and its line, never an OOM kill.
th_oom_refused() {
	why=
	m=$(dmesg | wc -l)
	guard 120 dmabench run --device "$EDU1" --test alloc --size 64M \
		--threads 16 --iterations 10 --format csv > /tmp/t/oom.out 2>&1
	rc=$?
	if [ $rc -eq 0 ]; then
		why="a run of 16 x 64 MiB buffers in $(awk '/MemTotal/ { print $2 }' /proc/meminfo) kB of RAM passed"
	elif ! dmesg | tail -n +$((m + 1)) | grep -q "of RAM (.*bytes): use fewer threads, a smaller batch or a smaller size"; then
		why="refused (exit $rc) without the memory line: $(grep -v '^warning' /tmp/t/oom.out | head -n 1 | cut -c 1-160)"
	fi
	dmesg | tail -n +$((m + 1)) | grep -qiE "out of memory|oom-kill|invoked oom-killer" &&
		why="the OOM killer ran: $(dmesg | tail -n +$((m + 1)) | grep -iE 'oom' | head -n 1 | cut -c 1-160)"
	check oom_sized_run_refused "$why"
}

# The control file needs CAP_SYS_RAWIO or CAP_SYS_ADMIN, whatever its mode:
# with the debugfs modes opened up, an unprivileged user still gets EPERM
# at open (before the fix the open worked and only read() failed).
th_unprivileged_open() {
	c=/sys/kernel/debug/dmabench/control
	why=
	m0=$(stat -c %a /) m1=$(stat -c %a /sys/kernel/debug)
	m2=$(stat -c %a "${c%/*}") m3=$(stat -c %a $c)
	# the initramfs root is 0700 (mktemp -d): let uid 65534 reach /bin
	chmod 755 /
	grep -q '^nobody:' /etc/passwd 2> /dev/null ||
		echo 'nobody:x:65534:65534:nobody:/:/bin/sh' >> /etc/passwd
	chmod 755 /sys/kernel/debug "${c%/*}" && chmod 666 $c
	m=$(dmesg | wc -l)
	su nobody -s /bin/sh -c "id -u; cat $c" > /tmp/t/np.out 2>&1
	if [ "$(head -n 1 /tmp/t/np.out)" = 0 ] || ! grep -q '^65534$' /tmp/t/np.out; then
		why="su nobody did not run as uid 65534: $(oneline /tmp/t/np.out)"
	elif ! grep -q "Operation not permitted" /tmp/t/np.out; then
		why="open as uid 65534: $(tail -n 1 /tmp/t/np.out | cut -c 1-160)"
	elif ! dmesg | tail -n +$((m + 1)) | grep -q "needs CAP_SYS_RAWIO or CAP_SYS_ADMIN"; then
		why="refused without its line in the kernel log"
	fi
	chmod "$m0" /; chmod "$m1" /sys/kernel/debug; chmod "$m2" "${c%/*}"; chmod "$m3" $c
	check unprivileged_open_refused "$why"
}

# Several processes issue valid and invalid requests on the control file
# while EDU2 is unbound and bound again, for TH_STRESS_S seconds (20: the
# suite stays fast; a request still running 30 s later hung); then a run,
# a verify, equal exhaust capacities and rmmod (insmod and bind again after).  Any
# WARNING, Oops or BUG in the kernel log fails it.
th_stress() {
	why=
	m=$(dmesg | wc -l)
	end=$(($(date +%s) + TH_STRESS_S))
	(while [ "$(date +%s)" -lt $end ]; do
		dmabench run --device "$EDU1" --test map_single --iterations 200 > /dev/null 2>&1
		dmabench run --device "$EDU2" --test map_sg --size 64K --iterations 50 > /dev/null 2>&1
	done) &
	p1=$!
	(while [ "$(date +%s)" -lt $end ]; do
		dmabench run --device no-such-device --test map_single > /dev/null 2>&1
		dmabench run --device "$EDU2" --test no_such_test > /dev/null 2>&1
		dmabench exhaust iova --device "$EDU2" --mask-bits 12 > /dev/null 2>&1
		dmabench verify --device "$EDU2" --len 5000 > /dev/null 2>&1
		dmabench verify --device "$EDU2" > /dev/null 2>&1
		cat /sys/kernel/debug/dmabench/devices > /dev/null 2>&1
	done) &
	p2=$!
	(while [ "$(date +%s)" -lt $end ]; do
		dmabench exhaust domains --device all --max-count 64 > /dev/null 2>&1
		dmabench run --device "$EDU1,$EDU2" --test iommu_map --iterations 200 > /dev/null 2>&1
		cat /sys/kernel/debug/dmabench/devices > /dev/null 2>&1
	done) &
	p3=$!
	while [ "$(date +%s)" -lt $end ]; do
		dmabench unbind "$EDU2" > /dev/null 2>&1
		sleep 1
		dmabench bind "$EDU2" > /dev/null 2>&1
		sleep 1
	done
	late=$((end + 30))
	for p in $p1 $p2 $p3; do
		while alive "$p" && [ "$(date +%s)" -lt $late ]; do sleep 1; done
		alive "$p" && { why="a request still runs 30 s after the stress ended"; kill -KILL "$p"; }
		wait "$p" 2> /dev/null
	done
	[ "$(drv "$EDU2")" = dmabench ] || dmabench bind "$EDU2" > /dev/null 2>&1
	[ -n "$why" ] || guard 60 dmabench run --device "$EDU2" --test map_single \
		--iterations 500 > /tmp/t/st1.out 2>&1 ||
		why="run after the stress: $(oneline /tmp/t/st1.out)"
	[ -n "$why" ] || guard 60 dmabench verify --device "$EDU2" > /tmp/t/st2.out 2>&1 ||
		why="verify after the stress: $(oneline /tmp/t/st2.out)"
	if [ -z "$why" ]; then
		c1=$(iova_cap "$EDU1" 24) c2=$(iova_cap "$EDU1" 24)
		[ -n "$c1" ] && [ "$c1" = "$c2" ] || why="exhaust capacity $c1 then $c2"
	fi
	if [ -z "$why" ]; then
		for e in $EDUS; do dmabench unbind "$e" > /dev/null 2>&1; done
		rmmod dmabench > /tmp/t/st3.out 2>&1 || why="rmmod: $(oneline /tmp/t/st3.out)"
		insmod /lib/dmabench/dmabench.ko edu_dma_bits=40 > /dev/null 2>&1
		for e in $EDUS; do dmabench bind "$e" > /dev/null 2>&1; done
	fi
	bad=$(dmesg | tail -n +$((m + 1)) | grep -E "$BAD_RE" | head -n 1)
	[ -n "$bad" ] && why="kernel log: $(echo "$bad" | cut -c 1-160)"
	check concurrent_stress "$why"
}

# exhaust domains up to its largest max_count: on VT-d (a domain ID is
# freed on detach) nothing refuses, so it must stop at half the available
# memory with its line, not run the guest out of memory.
th_domains_memcap() {
	why=
	m=$(dmesg | wc -l)
	guard 300 dmabench exhaust domains --device "$EDU1" --max-count 4194304 \
		> /tmp/t/dm.out 2>&1 || why="exit $?: $(grep -v '^ ' /tmp/t/dm.out | head -n 1 | cut -c 1-160)"
	grep -E "domains allocated|refused|not refused" /tmp/t/dm.out > /tmp/t/dm.diag
	ktap_diag_file /tmp/t/dm.diag
	[ -z "$why" ] && ! grep -qE "stopped at half the available memory|refused with" /tmp/t/dm.out &&
		why="neither a refusal nor the memory cap: $(grep 'not refused' /tmp/t/dm.out | cut -c 1-120)"
	dmesg | tail -n +$((m + 1)) | grep -qiE "out of memory|oom-kill" &&
		why="the OOM killer ran"
	check exhaust_domains_memory_capped "$why"
}

# slub_debug=FZPU on the command line (vm-test's strict boot): every kmalloc
# cache checks, redzones, poisons and records its users (each flag given is
# checked in kmalloc-128's sysfs), so a late DMA or a
# use after free shows as a SLUB report, which the guest's and the host's
# kernel log checks catch (BAD_RE, VM_BAD_RE).
th_slub_debug() {
	flags=$(sed -n 's/.*slub_debug=\([A-Za-z]*\).*/\1/p' /proc/cmdline)
	if [ -z "$flags" ]; then
		ktap_skip slub_debug_active "booted without slub_debug= (vm-test --slub-debug off)"
		return
	fi
	why=
	for fa in F:sanity_checks Z:red_zone P:poison U:store_user; do
		case "$flags" in *"${fa%%:*}"*) ;; *) continue ;; esac
		v=$(cat "/sys/kernel/slab/kmalloc-128/${fa#*:}" 2>/dev/null)
		[ "$v" = 1 ] || { why="slub_debug=$flags, but kmalloc-128 ${fa#*:} is '$v', not 1"; break; }
	done
	check slub_debug_active "$why"
}

# Defect 6: with live mappings freed in random order, a driver that gathers
# with iommu_iotlb_gather_add_page() (VT-d, SMMUv3) syncs the IOTLB inside
# iommu_unmap_fast() for most unmaps under batch: the module counts them and
# says so (that unmap time holds an invalidation).  Under all the gather is
# queued, as iommu-dma's lazy mode does: the flush-all is the only
# invalidation, nothing syncs inside unmap.
th_in_unmap_syncs() {
	why=
	model=$(sed -n 's/^IOMMU=//p' /etc/dmabench/config 2>/dev/null)
	for fl in batch:16 all:16; do
		m=$(dmesg | wc -l)
		guard 120 dmabench run --device "$EDU1" --test iommu_map --live 64 \
			--seed 7 --flush $fl --iterations 2000 > /tmp/t/ius.out 2>&1 ||
			{ why="run --flush $fl: $(oneline /tmp/t/ius.out)"; break; }
		n=$(dmesg | tail -n +$((m + 1)) | grep "synced the IOTLB inside iommu_unmap_fast" |
			sed -n 's/.*: \([0-9]*\) of \([0-9]*\) unmaps synced.*/\1 of \2/p' | head -n 1)
		ktap_diag "--flush $fl, live 64, random frees on $model: ${n:-no} unmaps synced inside iommu_unmap_fast"
		# VT-d on the generic page table (7.x, CONFIG_IOMMU_PT_VTDSS in
		# Debian) gathers the disjoint frees without syncing: not asserted
		vtd_pt=
		[ "$model" = vtd ] && kver_ge 7 0 && vtd_pt=1
		case "$fl:$model${vtd_pt:+:pt}" in
		batch*:vtd:pt) ;;
		batch*:vtd|batch*:smmuv3)
			[ -n "$n" ] || why="no in-unmap sync counted under $fl on $model (its driver gathers with iommu_iotlb_gather_add_page)" ;;
		all*) [ -z "$n" ] || why="$n unmaps synced inside iommu_unmap_fast under $fl (the gather should be queued)" ;;
		esac
		[ -z "$why" ] || break
	done
	check batch_counts_in_unmap_syncs "$why"
}

th_all() {
	th_slub_debug
	# a new default domain (the fix) and identity for a long verify both
	# need sysfs domain type switching: DMA <-> DMA-FQ since 5.15
	if kver_ge 5 15; then
		th_exhaust_then_same
		th_unbind_during_verify
	else
		ktap_skip_cases "Linux $(uname -r) cannot switch a group's domain type in sysfs (5.11) or to DMA-FQ (5.15)" \
			exhaust_narrow_leaves_domain_as_found unbind_during_long_verify
	fi
	th_late_dma
	th_oom_refused
	th_unprivileged_open
	if has_test iommu_map; then
		th_domains_memcap
		th_in_unmap_syncs
	else
		ktap_skip_cases "Linux $(uname -r) has no IOMMU-API tests (they need 5.19: iommu_group_claim_dma_owner)" \
			exhaust_domains_memory_capped batch_counts_in_unmap_syncs
	fi
	th_stress
}

hardening_run() { th_all; }
