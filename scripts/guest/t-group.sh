# shellcheck shell=sh
# t-group.sh: suite "group": issue 14, defect 3: two edu devices in one
# IOMMU group.  Only in vm-test's "group" boot (vm-run --shared-group: two
# edu behind a PCI bridge; on arm64 also two functions of one slot, see
# scripts/lib/vm.sh).  Sourced by tests.sh (ktap.sh's check, lib.sh's
# guard, group_of, EDUS).

group_needs_edu=2
group_cases() {
	echo bridge_pair_one_group one_group_dma_api_vs_claim
}

# The two edu behind the PCI bridge (not on bus 00) alias one requester ID:
# one IOMMU group.  arm-smmu-v3 refuses the second device of one stream ID
# ("stream N already in tree") and leaves them without a group: a SKIP
# that names them.
tg_bridge_pair() {
	_bp='' _nog='' _g=''
	for _e in $EDUS; do
		case "$_e" in *:00:*) continue ;; esac
		_bp="$_bp $_e"
		if [ -z "$(group_of "$_e")" ]; then _nog="$_nog $_e"
		elif [ -z "$_g" ]; then _g=$(group_of "$_e")
		elif [ "$(group_of "$_e")" != "$_g" ]; then _g=differ
		fi
	done
	if [ "$(echo $_bp | wc -w)" -ne 2 ]; then
		check bridge_pair_one_group "not two edu behind the bridge, but:${_bp:- none}"
	elif [ -n "$_nog" ]; then
		ktap_skip bridge_pair_one_group "the IOMMU driver gave no IOMMU group to$_nog behind the PCI bridge (arm-smmu-v3: one stream ID for both)"
	else
		check bridge_pair_one_group "$([ "$_g" != differ ] || echo "$_bp are in different IOMMU groups")"
	fi
}

# While one device of the group is in a DMA-API run, an IOMMU test on the
# other must not claim the group (its detach would pull the domain from
# under the run), and while the other's IOMMU test holds the group, verify
# on the first is refused.  EBUSY and a line both ways.
tg_dma_api_vs_claim() {
	ga='' gb=''
	for a in $EDUS; do
		[ -n "$(group_of "$a")" ] || continue
		for b in $EDUS; do
			[ "$a" != "$b" ] && [ "$(group_of "$a")" = "$(group_of "$b")" ] &&
				{ ga=$a; gb=$b; break 2; }
		done
	done
	if [ -z "$ga" ]; then
		ktap_fail one_group_dma_api_vs_claim "no two edu devices share an IOMMU group (the host attached two behind a bridge${ARCH:+ on $ARCH})"
		return
	fi
	ktap_diag "$ga and $gb in IOMMU group $(group_of "$ga")"
	why=
	m=$(dmesg | wc -l)
	dmabench run --device "$ga" --test map_single --seconds 15 --format csv \
		> /results/shared_a.csv 2> /tmp/t/sa.err &
	pa=$!
	sleep 2
	guard 60 dmabench run --device "$gb" --test iommu_map --iterations 200 \
		> /tmp/t/sb.out 2>&1 && why="iommu_map on $gb claimed the group while $ga ran map_single"
	[ -z "$why" ] && ! dmesg | tail -n +$((m + 1)) | grep -q "of IOMMU group .* is busy" &&
		why="refused without its line: $(oneline /tmp/t/sb.out)"
	wait $pa
	[ -z "$why" ] && ! awk -F, '!h && /^test,device,/ { for (i = 1; i <= NF; i++) c[$i] = i; h = 1; next }
		h && $c["errors"] != 0 { e = 1 } END { exit e || !h }' /results/shared_a.csv &&
		why="the map_single run on $ga: errors or no rows"
	if [ -z "$why" ]; then
		dmabench run --device "$gb" --test iommu_map --seconds 10 > /dev/null 2>&1 &
		pb=$!
		sleep 2
		guard 60 dmabench verify --device "$ga" > /tmp/t/sc.out 2>&1 &&
			why="verify on $ga ran while $gb's IOMMU test held the group"
		[ -z "$why" ] && ! dmesg | tail -n +$((m + 1)) | grep -q "shares its IOMMU group with a device" &&
			why="verify refused without its line: $(oneline /tmp/t/sc.out)"
		wait $pb
	fi
	check one_group_dma_api_vs_claim "$why"
}

group_run() {
	tg_bridge_pair
	if has_test iommu_map; then tg_dma_api_vs_claim
	else ktap_skip one_group_dma_api_vs_claim "Linux $(uname -r) has no IOMMU-API tests (they need 5.19: iommu_group_claim_dma_owner)"
	fi
}
