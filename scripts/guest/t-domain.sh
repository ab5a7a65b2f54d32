# shellcheck shell=sh
# t-domain.sh: suite "domain": the edu's IOMMU group switched by hand
# (identity, DMA, DMA-FQ) with verify --what under each, run --domain
# sweeps (+ Ctrl-C in the middle: type and driver come back), --domain
# refusals; at the end every device as found.  Second boot: the last check.

domain_needs_edu=1

domain_cases() {
	if [ "$SUITE" = full ]; then
		for ty in identity DMA DMA-FQ; do
			echo "domain_switch_by_hand_$ty"
			verify_what_cases "$ty"
		done
		echo domain_switch_by_hand_restored
		echo domain_sweep domain_sweep_restored domain_alloc_wc
		echo domain_sigint_restored domain_after_map_single
		echo badarg_domain_direct_device badarg_domain_unknown
		echo badarg_domain_iommu_test domain_refusals_leave_device
	fi
	echo dmaapi_devices_as_found
}

domain_run() {
	if [ "$SUITE" = full ] && ! kver_ge 5 15; then
		# shellcheck disable=SC2046
		ktap_skip_cases "Linux $(uname -r) cannot switch a group's domain type in sysfs (5.11) or to DMA-FQ (5.15)" $(domain_cases | grep -v dmaapi_devices_as_found)
	elif [ "$SUITE" = full ]; then
		t_domain_manual
		t_domain
	fi
	t_dmaapi_after
}

# t_domain_manual: switch the edu's group by hand (unbind, write, bind) to
# identity, DMA, DMA-FQ and verify map_single, map_sg and alloc under each;
# then restore.  Proves the kernel side of --domain.
t_domain_manual() {
	g=$(group_of "$EDU1")
	t0=$(gtype "$EDU1")
	for ty in identity DMA DMA-FQ; do
		why=
		if [ "$(drv "$EDU1")" = dmabench ]; then
			dmabench unbind "$EDU1" > /tmp/t/du.out 2>&1 || why="unbind: $(oneline /tmp/t/du.out)"
		fi
		[ -n "$why" ] || { printf '%s' $ty | dd of="/sys/kernel/iommu_groups/$g/type" 2> /tmp/t/dd.err >/dev/null; } ||
			why="writing $ty: $(grep -v records /tmp/t/dd.err | head -n 1)"
		[ -n "$why" ] || dmabench bind "$EDU1" > /tmp/t/db.out 2>&1 || why="bind after $ty: $(oneline /tmp/t/db.out) $(dmesg | grep dmabench | tail -n 1 | cut -c 1-160)"
		[ -n "$why" ] || grep -q "^$EDU1 pci [a-z]* $ty " "$DEV" || why="devices file: $(grep "^$EDU1 " "$DEV")"
		check "domain_switch_by_hand_$ty" "$why"
		if [ -z "$why" ]; then
			t_verify_what "$ty"
		else
			# shellcheck disable=SC2046
			ktap_skip_cases "the switch to $ty failed" $(verify_what_cases "$ty")
		fi
	done
	[ "$(drv "$EDU1")" = dmabench ] && dmabench unbind "$EDU1" > /dev/null 2>&1
	printf '%s' "$t0" | dd of="/sys/kernel/iommu_groups/$g/type" 2>/dev/null
	dmabench bind "$EDU1" > /dev/null 2>&1
	check domain_switch_by_hand_restored "$([ "$(gtype "$EDU1")" = "$t0" ] && [ "$(drv "$EDU1")" = dmabench ] ||
		echo "type $(gtype "$EDU1") driver $(drv "$EDU1"), expected $t0 dmabench")"
}

t_domain() {
	t0=$(gtype "$EDU1")
	d0=$(drv "$EDU1")
	dmarun domain_sweep 300 --device "$EDU1" --test map_single,map_sg --size 4K,64K \
		--domain identity,dma,dma-fq --iterations 100
	if [ $RC -ne 0 ]; then ktap_fail domain_sweep "exit $RC: $ERR"
	else check domain_sweep "$(csvq /results/domain_sweep.csv "$PHASE_CHECK
		d = v(\"domain_type\"); dt[d] = 1; k[v(\"test\") \" \" v(\"size\") \" \" d] = 1
		if (d == \"identity\" && v(\"dma_ops\") != \"direct\") bad(w \": identity with dma_ops \" v(\"dma_ops\"))
		if ((d == \"DMA\" || d == \"DMA-FQ\") && v(\"dma_ops\") != \"iommu\") bad(w \": \" d \" with dma_ops \" v(\"dma_ops\"))" \
		"if (!dt[\"identity\"] || !dt[\"DMA\"] || !dt[\"DMA-FQ\"]) bad(\"domain_type values seen: \" (dt[\"identity\"] ? \"identity \" : \"\") (dt[\"DMA\"] ? \"DMA \" : \"\") (dt[\"DMA-FQ\"] ? \"DMA-FQ\" : \"\") \"; expected all three\")
		for (x in k) nk++
		if (nk != 12) bad(nk \" test x size x domain combinations, expected 12\")")"
	fi
	check domain_sweep_restored "$([ "$(gtype "$EDU1")" = "$t0" ] && [ "$(drv "$EDU1")" = "$d0" ] ||
		echo "group type $(gtype "$EDU1"), driver $(drv "$EDU1"); expected $t0, $d0")"
	# alloc under each domain too
	dmarun domain_alloc 300 --device "$EDU1" --test alloc --attrs WRITE_COMBINE --size 4K,64K \
		--domain identity,dma,dma-fq --iterations 50
	if [ $RC -ne 0 ]; then ktap_fail domain_alloc_wc "exit $RC: $ERR"
	else check domain_alloc_wc "$(csvq /results/domain_alloc.csv "$PHASE_CHECK
		dt[v(\"domain_type\")] = 1; if (v(\"attrs\") != \"WRITE_COMBINE\") bad(w \": attrs \" v(\"attrs\"))" \
		"if (!dt[\"identity\"] || !dt[\"DMA\"] || !dt[\"DMA-FQ\"]) bad(\"not all three domain types\")")"
	fi

	# Ctrl-C in the middle of a domain sweep: type and driver come back
	dmabench run --device "$EDU1" --test map_single --domain dma-fq,identity,dma --seconds 20 \
		--format csv > /results/domain_sigint.csv 2> /tmp/t/dsi.err &
	pid=$!
	sleep 4
	kill -INT $pid
	why=
	if ! wait_gone $pid 30; then
		why="still running 30 s after SIGINT"
		kill -KILL $pid; wait $pid
	elif [ "$WRC" -gt 2 ] && [ "$WRC" -ne 130 ]; then why="exit $WRC: $(oneline /tmp/t/dsi.err)"
	fi
	[ -n "$why" ] || [ "$(gtype "$EDU1")" = "$t0" ] || why="group type $(gtype "$EDU1") after SIGINT, expected $t0"
	[ -n "$why" ] || [ "$(drv "$EDU1")" = "$d0" ] || why="driver $(drv "$EDU1") after SIGINT, expected $d0"
	[ -n "$why" ] || grep -q interrupted /results/domain_sigint.csv || why="no interrupted row: $(oneline /tmp/t/dsi.err)"
	check domain_sigint_restored "$why"
	# and the device works after all that
	run_csv domain_after_map_single 60 iommu "$domain" "1" \
		--device "$EDU1" --test map_single --size 4K --iterations 200

	t_bad domain_direct_device "dmabench.0" run --device dmabench.0 --test map_single --iterations 10 --domain dma
	t_bad2 domain_unknown passthrough run --device "$EDU1" --test map_single --iterations 10 --domain passthrough
	t_bad domain_iommu_test domain run --device all --test iommu_map --iterations 10 --domain dma
	[ "$(gtype "$EDU1")" = "$t0" ] && [ "$(drv "$EDU1")" = "$d0" ]
	check domain_refusals_leave_device "$([ $? -eq 0 ] || echo "type $(gtype "$EDU1") driver $(drv "$EDU1")")"
}

t_dmaapi_after() {
	why=
	for e in $EDUS; do
		[ "$(drv "$e")" = dmabench ] || why="$e: driver $(drv "$e")"
		[ -n "$domain" ] && [ "$(gtype "$e")" != "$domain" ] && why="$e: group type $(gtype "$e"), expected $domain"
	done
	guard 60 dmabench verify --device all > /tmp/t/v3.out 2>&1 ||
		why=${why:-"verify: $(grep -iE 'fail|error' /tmp/t/v3.out | head -n 1 | cut -c 1-200)"}
	check dmaapi_devices_as_found "$why"
}

