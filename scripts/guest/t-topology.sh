# shellcheck shell=sh
# t-topology.sh: suite "topology": several IOMMU instances (vm-test
# --smmu-instances N, 2 edu devices behind each).  Does the module see the
# instances the machine has, does per-instance give one domain per instance
# and per-device one per device, do exhaust (a modelled context cap) and
# verify --scope keep the instances apart (EXDEV across them).
# /etc/dmabench/config says SMMU_INSTANCES (the machine's count).  Only in
# the boot of SUITE topology.

topology_needs_edu=4
TOPO_NINST=$(sed -n 's/^SMMU_INSTANCES=//p' /etc/dmabench/config 2>/dev/null)
TOPO_NINST=${TOPO_NINST:-1}

# iommu_of DEV: the IOMMU instance a PCI device is behind (its sysfs name)
iommu_of() { _i=$(readlink "/sys/bus/pci/devices/$1/iommu" 2>/dev/null); echo "${_i##*/}"; }

# edus_of INSTANCE: the edu devices behind INSTANCE, comma-separated
edus_of() {
	_l=
	for _e in $EDUS; do
		[ "$(iommu_of "$_e")" = "$1" ] && _l="$_l,$_e"
	done
	echo "${_l#,}"
}

# the modelled context caps: 1, one per instance, one per device
topo_caps() { printf '%s\n' 1 "$TOPO_NINST" "$NEDU" | awk '!seen[$0]++'; }

topology_cases() {
	[ "$SUITE" = topology ] || return
	echo topo_instances_seen topo_iommu_map_scopes topo_iommu_map_one_instance
	for cap in $(topo_caps); do echo "topo_exhaust_domains_cap_$cap"; done
	echo topo_verify_per_instance_across_exdev
	k=1
	while [ "$k" -le "$TOPO_NINST" ]; do
		echo "topo_verify_per-instance_instance$k topo_verify_per-device_instance$k"
		k=$((k + 1))
	done
}

topology_run() {
	[ "$SUITE" = topology ] || return
	insts=$(for e in $EDUS; do iommu_of "$e"; done | sort -u)
	ngot=$(echo "$insts" | grep -c .)
	why=
	for e in $EDUS; do
		[ -n "$(iommu_of "$e")" ] || why="$e has no iommu link in sysfs"
	done
	ngrp=$(for e in $EDUS; do group_of "$e"; done | sort -u | grep -c .)
	[ -n "$why" ] || [ "$ngot" = "$TOPO_NINST" ] ||
		why="edu devices behind $ngot IOMMU instances, the machine has $TOPO_NINST"
	[ -n "$why" ] || [ "$ngrp" = "$NEDU" ] || why="$NEDU edu devices in $ngrp IOMMU groups, expected one each"
	for i in $insts; do
		n=$(edus_of "$i" | tr , '\n' | grep -c .)
		[ -n "$why" ] || [ "$n" -ge 2 ] || why="$i has $n edu device(s), expected 2 or more"
		ktap_diag "instance $i: $(edus_of "$i")"
	done
	check topo_instances_seen "$why"
	if [ -n "$why" ]; then
		ktap_skip_rest "the machine's IOMMU instances are not as expected"
		return
	fi

	# per-device vs per-instance over every device of every instance
	dmarun topo_iommu_map 300 --test iommu_map --device all --scope per-device,per-instance \
		--flush strict,batch:32 --iterations 256
	if [ $RC -ne 0 ]; then ktap_fail topo_iommu_map_scopes "exit $RC: $ERR"
	else check topo_iommu_map_scopes "$(csvq /results/topo_iommu_map.csv "$PHASE_CHECK
		sc = v(\"scope\"); s[sc]++
		if (v(\"devices\") != $NEDU) bad(w \": devices \" v(\"devices\") \", expected $NEDU\")
		if (v(\"instances\") != $TOPO_NINST) bad(w \": \" sc \" with instances \" v(\"instances\") \", expected $TOPO_NINST\")
		if (sc == \"per-instance\" && v(\"domains\") != $TOPO_NINST) bad(w \": per-instance with \" v(\"domains\") \" domains, expected $TOPO_NINST (one per instance)\")
		if (sc == \"per-device\" && v(\"domains\") != $NEDU) bad(w \": per-device with \" v(\"domains\") \" domains, expected $NEDU (one per device)\")" \
		"$(need iommu_map iova_alloc map unmap invalidate iova_free)
		if (!s[\"per-device\"] || !s[\"per-instance\"]) bad(\"no rows of both scopes\")")"
	fi
	awk -F, '/^test,/ { for (i = 1; i <= NF; i++) c[$i] = i; next }
		$c["phase"] == "iova_alloc" || $c["phase"] == "invalidate" {
			printf "%s %s %s: %s domains / %s instances, mean %s ns, inval/buf %s ns (TCG)\n",
				$c["scope"], $c["flush"], $c["phase"], $c["domains"], $c["instances"],
				$c["mean_ns"], $c["inval_per_buf_ns"] }' /results/topo_iommu_map.csv > /tmp/t/topo_im.txt
	ktap_diag_file /tmp/t/topo_im.txt

	# one instance's devices alone: one shared domain
	i1=$(echo "$insts" | head -n 1)
	dmarun topo_iommu_map_one 120 --test iommu_map --device "$(edus_of "$i1")" --scope per-instance \
		--iterations 128
	if [ $RC -ne 0 ]; then ktap_fail topo_iommu_map_one_instance "exit $RC: $ERR"
	else check topo_iommu_map_one_instance "$(csvq /results/topo_iommu_map_one.csv "$PHASE_CHECK
		if (v(\"instances\") != 1 || v(\"domains\") != 1) bad(w \": \" v(\"domains\") \" domains, \" v(\"instances\") \" instances, expected 1 and 1\")")"
	fi

	# exhaust domains with a modelled cap of contexts (a total over the
	# set): per-device serves as many devices as contexts, per-instance
	# needs one context per instance
	for cap in $(topo_caps); do
		guard 120 dmabench exhaust domains --max-contexts "$cap" --format csv \
			> "/results/topo_exhaust_$cap.csv" 2> /tmp/t/tex.err
		rc=$?
		why=
		[ $rc -eq 0 ] || why="exit $rc: $(oneline /tmp/t/tex.err)"
		pd=$((cap < NEDU ? cap : NEDU))
		pi=$([ "$cap" -ge "$TOPO_NINST" ] && echo "$NEDU" || echo 0)
		[ -n "$why" ] || why=$(awk -F, -v cap="$cap" -v pd="$pd" -v pi="$pi" -v ni="$TOPO_NINST" -v nd="$NEDU" '
			NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
			{ n++
			  if ($c["modelled"] != 1) print "not flagged modelled"
			  else if ($c["instances"] != ni) print "instances " $c["instances"] ", expected " ni
			  else if ($c["devices"] != nd) print "devices " $c["devices"] ", expected " nd
			  else if ($c["count"] != cap) print "count " $c["count"] ", expected " cap
			  else if ($c["errno"] != "ENOSPC") print "errno " $c["errno"] ", expected ENOSPC"
			  else if ($c["per_device_served"] != pd) print "per-device serves " $c["per_device_served"] ", expected " pd
			  else if ($c["per_instance_served"] != pi) print "per-instance serves " $c["per_instance_served"] ", expected " pi }
			END { if (n != 1) print n " rows" }' "/results/topo_exhaust_$cap.csv" | head -n 1)
		check "topo_exhaust_domains_cap_$cap" "$why"
	done

	# verify --scope: one domain per instance; across instances refused
	guard 120 dmabench verify --scope per-instance --device all > /results/topo_verify_across.txt 2>&1
	rc=$?
	why=
	if [ $rc -eq 0 ]; then why="verify --scope per-instance across $TOPO_NINST instances passed: expected a refusal"
	elif ! grep -q 'different IOMMU instances' /results/topo_verify_across.txt; then
		why="exit $rc without the EXDEV reason: $(oneline /results/topo_verify_across.txt)"
	elif ! dmesg | grep -q 'behind another IOMMU instance'; then
		why="no 'behind another IOMMU instance' line from the module"
	fi
	check topo_verify_per_instance_across_exdev "$why"
	ktap_diag_file /results/topo_verify_across.txt
	k=0
	for i in $insts; do
		k=$((k + 1))
		n=$(edus_of "$i" | tr , '\n' | grep -c .)
		for sc in per-instance per-device; do
			guard 120 dmabench verify --scope $sc --device "$(edus_of "$i")" \
				> "/results/topo_verify_${sc}_$k.txt" 2>&1
			rc=$?
			why=
			want=$([ $sc = per-instance ] && echo 1 || echo "$n")
			if [ $rc -ne 0 ]; then why="exit $rc: $(grep -E 'FAIL|ERROR' "/results/topo_verify_${sc}_$k.txt" | head -n 1 | cut -c 1-200)"
			elif ! grep -q "^$sc: PASS" "/results/topo_verify_${sc}_$k.txt"; then why="no '$sc: PASS' line"
			elif ! grep -Eq "^$sc: $n devices in $want (shared )?domains?" "/results/topo_verify_${sc}_$k.txt"; then
				why="not $n devices in $want domain(s): $(oneline "/results/topo_verify_${sc}_$k.txt")"
			fi
			check "topo_verify_${sc}_instance$k" "$why"
		done
	done
}
