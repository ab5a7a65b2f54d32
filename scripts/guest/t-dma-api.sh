# shellcheck shell=sh
# t-dma-api.sh: suite "dma_api": the DMA-API paths (issue 3) on an edu
# (through the IOMMU) and on dmabench.0 (dma-direct): map_sg contiguous and
# scattered with segment counts, sync, alloc with every attribute,
# alloc_noncoherent, alloc_pages, alloc_noncontiguous, 64 B..4 MiB and a
# too-big alloc, one CSV for several tests, --coherency, --bounce.  Second
# boot: map_sg, verify --what under its domain type, --bounce with every
# mapping bounced (swiotlb=force).

dma_api_needs_edu=1

dma_api_cases() {
	echo map_sg_edu map_sg_direct map_sg_iommu_merges_scattered
	echo map_sg_direct_nents_segments map_sg_size_is_total
	if [ "$SUITE" = mode ]; then
		verify_what_cases "$domain"
		bounce_cases
		return
	fi
	echo sync_edu sync_direct sync_dir_to sync_dir_from
	echo alloc_attrs_edu alloc_attrs_direct alloc_64_and_4M
	echo badarg_alloc_force_contig_single_pages alloc_too_big_counted
	echo alloc_too_big_kernel_log_clean
	for tst in alloc_noncoherent alloc_pages alloc_noncontiguous; do
		echo "${tst}_edu ${tst}_direct"
	done
	echo test_list_one_csv
	iova_phys_cases
	if [ "$ARCH" = arm64 ]; then
		echo coherency_noncoherent coherency_noncoherent_domains
		echo coherency_restored coherency_noncoherent_direct
	else
		echo badarg_coherency_refused_x86 coherency_refusal_leaves_device
	fi
	echo badarg_coherency_unknown
	bounce_cases
}

dma_api_run() {
	t_map_sg
	if [ "$SUITE" = mode ]; then
		t_verify_what "$domain"
		t_bounce "$forced"
		return
	fi
	t_sync
	t_alloc
	t_alloc_more
	t_iova_phys
	t_shape_leaks
	t_coherency
	t_bounce "$forced"
}

# verify_what_cases WHERE: the cases of t_verify_what WHERE
verify_what_cases() {
	for w in map_single map_sg alloc iova_link map_phys; do echo "verify_${w}_$1"; done
}

# iova_phys_cases: the cases of t_iova_phys
iova_phys_cases() {
	echo iova_link_vs_map_sg iova_link_direct_not_applicable
	echo badarg_iova_link_align map_phys_edu map_phys_direct
	echo iova_link_absent_names_version map_phys_absent_names_version
	echo shapes_leave_iova_capacity
}

# bounce_case: the name of t_bounce's first case, after what the kernel
# has: every mapping bounces (swiotlb=force), a pool without force, or
# no pool (--bounce refused)
bounce_case() {
	if [ "$forced" = 1 ]; then echo bounce_every_mapping
	elif swiotlb_on; then echo bounce_runs
	else echo badarg_bounce_no_swiotlb
	fi
}
bounce_cases() {
	echo "$(bounce_case) badarg_bounce_on_edu badarg_bounce_alloc"
}

t_map_sg() {
	# contiguous and scattered on the edu (IOMMU) and on dmabench.0 (direct)
	for dev in "$EDU1" dmabench.0; do
		n=map_sg_$( [ "$dev" = dmabench.0 ] && echo direct || echo edu )
		dmarun "$n" 120 --device "$dev" --test map_sg --nents 1,16 --seg-size 4K \
			--layout contiguous,scattered --iterations 200
		if [ $RC -ne 0 ]; then ktap_fail "$n" "exit $RC: $ERR"; continue; fi
		check "$n" "$(csvq "/results/$n.csv" "$PHASE_CHECK
			k = v(\"nents\") \" \" v(\"layout\"); got[k] = 1
			if (v(\"seg_size\") != 4096) bad(w \": seg_size \" v(\"seg_size\"))
			if (v(\"size\") != 4096 * v(\"nents\")) bad(w \": size \" v(\"size\") \" for nents \" v(\"nents\"))
			mn = v(\"dma_segs_min\"); mx = v(\"dma_segs_max\")
			if (mn == \"\" || mx == \"\" || mn < 1 || mn > mx || mx > v(\"nents\"))
				bad(w \": dma_segs \" mn \"..\" mx \" for nents \" v(\"nents\"))" \
			"$(need map_sg map unmap)
			if (!got[\"1 contiguous\"] || !got[\"16 contiguous\"] || !got[\"1 scattered\"] || !got[\"16 scattered\"])
				bad(\"not every nents x layout combination has rows\")")"
	done
	# merging: under the IOMMU 16 scattered pages become fewer segments;
	# dma-direct returns one segment per entry
	# (VT-d before 5.11 has its own DMA ops, which do not merge)
	if [ "$ARCH" = x86_64 ] && ! kver_ge 5 11; then
		ktap_skip map_sg_iommu_merges_scattered "VT-d's own DMA ops in Linux $(uname -r) do not merge segments (dma-iommu since 5.11)"
	else
	check map_sg_iommu_merges_scattered "$(csvq /results/map_sg_edu.csv '
		if (v("nents") == 16 && v("layout") == "scattered" && v("phase") == "map") {
			n++; if (v("dma_segs_max") + 0 >= 16) bad("scattered 16 x 4K through the IOMMU: " v("dma_segs_max") " segments, expected fewer than 16")
			if (v("dma_ops") != "iommu") bad("dma_ops " v("dma_ops")) }' \
		'if (!n) bad("no 16-entry scattered map row")')"
	fi
	check map_sg_direct_nents_segments "$(csvq /results/map_sg_direct.csv '
		if (v("nents") == 16 && v("layout") == "scattered" && v("phase") == "map") {
			n++; if (v("dma_segs_min") != 16 || v("dma_segs_max") != 16) bad("scattered 16 x 4K on dma-direct: segments " v("dma_segs_min") ".." v("dma_segs_max") ", expected 16")
			if (v("dma_ops") != "direct") bad("dma_ops " v("dma_ops")) }' \
		'if (!n) bad("no 16-entry scattered map row")')"
	# --size is the total when --seg-size is not given
	dmarun map_sg_total 60 --device "$EDU1" --test map_sg --nents 8 --size 64K --iterations 100
	if [ $RC -ne 0 ]; then ktap_fail map_sg_size_is_total "exit $RC: $ERR"
	else check map_sg_size_is_total "$(csvq /results/map_sg_total.csv "$PHASE_CHECK
		if (v(\"seg_size\") != 8192) bad(w \": seg_size \" v(\"seg_size\") \", expected 8192\")
		if (v(\"layout\") != \"contiguous\") bad(w \": layout \" v(\"layout\") \", expected contiguous (the default)\")")"
	fi
}

t_sync() {
	for dev in "$EDU1" dmabench.0; do
		n=sync_$( [ "$dev" = dmabench.0 ] && echo direct || echo edu )
		dmarun "$n" 120 --device "$dev" --test sync --size 64,4K,4M --iterations 100
		if [ $RC -ne 0 ]; then ktap_fail "$n" "exit $RC: $ERR"; continue; fi
		check "$n" "$(csvq "/results/$n.csv" "$PHASE_CHECK
			s[v(\"size\")] = 1
			if (v(\"phase\") != \"for_device\" && v(\"phase\") != \"for_cpu\") bad(w \": phase \" v(\"phase\"))" \
			"$(need sync for_device for_cpu)
			if (!s[64] || !s[4096] || !s[4194304]) bad(\"not every size (64, 4K, 4M) has rows\")
			if (rows != 6) bad(rows \" rows, expected 3 sizes x 2 phases\")")"
	done
	for d in to from; do
		dmarun sync_dir_$d 60 --device "$EDU1" --test sync --size 4K --dir $d --iterations 100
		if [ $RC -ne 0 ]; then ktap_fail "sync_dir_$d" "exit $RC: $ERR"; continue; fi
		check "sync_dir_$d" "$(csvq "/results/sync_dir_$d.csv" "$PHASE_CHECK
			if (v(\"dir\") != \"$d\") bad(w \": dir \" v(\"dir\"))" "$(need sync for_device for_cpu)")"
	done
}

t_alloc() {
	for dev in "$EDU1" dmabench.0; do
		n=alloc_attrs_$( [ "$dev" = dmabench.0 ] && echo direct || echo edu )
		dmarun "$n" 180 --device "$dev" --test alloc --size 4K,64K \
			--attrs WRITE_COMBINE,NO_KERNEL_MAPPING,FORCE_CONTIGUOUS,ALLOC_SINGLE_PAGES,write_combine+no_kernel_mapping \
			--iterations 50
		if [ $RC -ne 0 ]; then ktap_fail "$n" "exit $RC: $ERR"; continue; fi
		check "$n" "$(csvq "/results/$n.csv" "$PHASE_CHECK
			a[v(\"attrs\")]++" \
			"$(need alloc alloc free)
			split(\"WRITE_COMBINE NO_KERNEL_MAPPING FORCE_CONTIGUOUS ALLOC_SINGLE_PAGES WRITE_COMBINE|NO_KERNEL_MAPPING\", A, \" \")
			for (i = 1; i <= 5; i++) if (a[A[i]] != 4) bad(\"attrs \" A[i] \": \" a[A[i]] + 0 \" rows, expected 4 (2 sizes x alloc, free)\")
			if (rows != 20) bad(rows \" rows, expected 20\")")"
	done
	# without --attrs: plain dma_alloc_coherent, empty attrs column
	dmarun alloc_plain 60 --device "$EDU1" --test alloc --size 64,4M --iterations 20
	if [ $RC -ne 0 ]; then ktap_fail alloc_64_and_4M "exit $RC: $ERR"
	else check alloc_64_and_4M "$(csvq /results/alloc_plain.csv "$PHASE_CHECK
		s[v(\"size\")] = 1; if (v(\"attrs\") != \"\") bad(w \": attrs '\" v(\"attrs\") \"'\")" \
		"$(need alloc alloc free) if (!s[64] || !s[4194304]) bad(\"no row of 64 B or 4 MiB\")")"
	fi
	t_bad alloc_force_contig_single_pages ALLOC_SINGLE_PAGES run --device "$EDU1" --test alloc \
		--iterations 10 --attrs FORCE_CONTIGUOUS+ALLOC_SINGLE_PAGES

	# too big: 2 threads x 64 MiB from the dma-direct device cannot all
	# succeed (CMA is 64 MiB on arm64, MAX_ORDER is 4 MiB): counted
	# errors or a clear refusal, never a crash (the host checks the log)
	dmarun alloc_too_big 120 --device dmabench.0 --test alloc --size 64M --threads 2 --iterations 2
	why=
	if [ $RC -eq 0 ]; then
		why=$(csvq /results/alloc_too_big.csv 'if (v("phase") == "alloc") { n++; e += v("errors") }' \
			'if (!n) bad("no alloc row"); else if (!e) bad("2 x 64 MiB allocated without an error: expected counted failures")')
		[ -n "$why" ] || ktap_diag "too-big alloc: $(csvq /results/alloc_too_big.csv 'if (v("phase") == "alloc") bad("errors " v("errors") " of " v("ops") + v("errors"))')"
	elif [ $RC -eq 1 ] || [ $RC -eq 2 ]; then
		[ "$(grep -c . /tmp/t/alloc_too_big.err)" -eq 1 ] || why="refused, but not in one line: $ERR"
		[ -n "$why" ] || ktap_diag "too-big alloc refused: $ERR"
	else
		why="exit $RC: $ERR"
	fi
	check alloc_too_big_counted "$why"
	check alloc_too_big_kernel_log_clean "$(dmesg | grep -E "$BAD_RE" | head -n 1 | cut -c 1-200)"
}

t_alloc_more() {
	for tst in alloc_noncoherent alloc_pages alloc_noncontiguous; do
		case $tst in
		alloc_noncoherent) phases="alloc for_device for_cpu free" ;;
		*) phases="alloc free" ;;
		esac
		if ! has_test $tst; then
			# dma_alloc_noncontiguous() came with 5.13: a kernel
			# feature that may be missing; the other two are always there
			if [ $tst = alloc_noncontiguous ]; then
				ktap_skip_cases "$tst is not in $TESTS: this kernel lacks it" \
					"${tst}_edu" "${tst}_direct"
				continue
			fi
			for n in "${tst}_edu" "${tst}_direct"; do
				ktap_fail "$n" "$tst is not in $TESTS: $(tr '\n' ' ' < "$TESTS" | cut -c 1-200)"
			done
			continue
		fi
		for dev in "$EDU1" dmabench.0; do
			n=${tst}_$( [ "$dev" = dmabench.0 ] && echo direct || echo edu )
			dmarun "$n" 120 --device "$dev" --test $tst --size 64,4K,4M --iterations 20
			if [ $RC -ne 0 ]; then ktap_fail "$n" "exit $RC: $ERR"; continue; fi
			# shellcheck disable=SC2086
			check "$n" "$(csvq "/results/$n.csv" "$PHASE_CHECK
				s[v(\"size\")] = 1" "$(need $tst $phases)
				if (!s[64] || !s[4096] || !s[4194304]) bad(\"not every size (64, 4K, 4M) has rows\")")"
		done
	done
	# several tests in one run, one CSV
	dmarun multi_test 120 --device "$EDU1" --test map_single,map_sg,sync,alloc --size 4K --iterations 50
	if [ $RC -ne 0 ]; then ktap_fail test_list_one_csv "exit $RC: $ERR"
	else check test_list_one_csv "$(csvq /results/multi_test.csv "$PHASE_CHECK" \
		"$(need map_single map unmap)$(need map_sg map unmap)$(need sync for_device for_cpu)$(need alloc alloc free)")"
	fi
}

# needs_line TEST: the "needs Linux X.Y (api)" bench prints for TEST
needs_line() {
	case $1 in
	iova_link) echo "needs Linux 6.16 (dma_iova_try_alloc)" ;;
	map_phys) echo "needs Linux 6.18 (dma_map_phys)" ;;
	esac
}

# t_shape_leaks: abi_check --shapes (three runs of an 8 MiB footprint of
# 4K mappings at a 24-bit mask, each must hold all of it, and a pairs
# 2:2 run of depth 256 at that mask) between two exhausts at 24 bits,
# which must find the same capacity: the shapes leave nothing mapped
t_shape_leaks() {
	if [ ! -x /usr/bin/abi_check ]; then
		ktap_fail shapes_leave_iova_capacity "abi_check is not in the initramfs"
		return
	fi
	c1=$(iova_cap "$EDU1" 24)
	guard 300 abi_check --shapes "$EDU1" > /tmp/t/fp.out 2>&1
	rc=$?
	c2=$(iova_cap "$EDU1" 24)
	ktap_diag "exhaust at 24 bits: $c1 before, $c2 after three 8 MiB footprint runs and a pairs run"
	why=
	if [ $rc -ne 0 ]; then why="abi_check --shapes: $(grep FAIL /tmp/t/fp.out | head -n 1 | cut -c 1-200)"
	elif [ -z "$c1" ] || [ -z "$c2" ]; then why="exhaust failed: $(oneline /tmp/t/cap24.err)"
	elif [ "$c1" != "$c2" ]; then why="capacity at 24 bits $c1 before, $c2 after the footprint and pairs runs"
	elif [ "$c1" -lt 2048 ]; then why="capacity $c1 is below the footprint's 2048 mappings: the check proves nothing"
	fi
	check shapes_leave_iova_capacity "$why"
}

# t_iova_phys: the two-step DMA API against map_sg for the same pages,
# dma_map_phys, and on kernels without them one error line naming the
# version they need
t_iova_phys() {
	if has_test iova_link; then
		dmarun iova_sg 180 --device "$EDU1" --test map_sg,iova_link --nents 1,16 \
			--seg-size 4K --layout contiguous,scattered --iterations 200
		if [ $RC -ne 0 ]; then ktap_fail iova_link_vs_map_sg "exit $RC: $ERR"
		else check iova_link_vs_map_sg "$(csvq /results/iova_sg.csv "$PHASE_CHECK
			if (v(\"test\") == \"iova_link\") k[v(\"nents\") \" \" v(\"layout\")] = 1
			if (v(\"size\") != 4096 * v(\"nents\")) bad(w \": size \" v(\"size\"))" \
			"$(need map_sg map unmap)$(need iova_link alloc link sync unlink free)
			for (x in k) nk++; if (nk != 4) bad(nk \" iova_link nents x layout combinations, expected 4\")")"
		fi
		# dmabench.0 is dma-direct: dma_iova_try_alloc refuses it
		guard 60 dmabench run --device dmabench.0 --test iova_link --iterations 10 \
			> /tmp/t/ia.out 2> /tmp/t/ia.err
		rc=$?; why=
		if [ $rc -ne 1 ]; then why="exit $rc (want 1)"
		elif [ "$(grep -c . /tmp/t/ia.err)" -ne 1 ]; then why="not one line: $(oneline /tmp/t/ia.err)"
		elif ! grep -q "not applicable" /tmp/t/ia.err; then why="no 'not applicable': $(oneline /tmp/t/ia.err)"
		elif ! dmesg | grep -q "iova_link: not applicable"; then why="no 'iova_link: not applicable' in the kernel log"
		fi
		check iova_link_direct_not_applicable "$why"
		# entries after the first must start on an IOMMU granule: the
		# module refuses (EINVAL), its log line says why
		guard 30 dmabench run --device "$EDU1" --test iova_link --nents 4 \
			--seg-size 4K --align 512 --iterations 10 > /tmp/t/bad.out 2> /tmp/t/bad.err
		rc=$?; why=
		if [ $rc -ne 1 ]; then why="exit $rc (want 1)"
		elif [ "$(grep -c . /tmp/t/bad.err)" -ne 1 ]; then why="not one line: $(oneline /tmp/t/bad.err)"
		elif ! dmesg | grep -q "iova_link: with 4 entries every entry after the first must start on an IOMMU granule"; then
			why="no granule line in the kernel log: $(oneline /tmp/t/bad.err)"
		fi
		check badarg_iova_link_align "$why"
	else
		ktap_skip_cases "iova_link is not in $TESTS: Linux $(uname -r) lacks the two-step DMA API (6.16)" \
			iova_link_vs_map_sg iova_link_direct_not_applicable badarg_iova_link_align
	fi
	if has_test map_phys; then
		for dev in "$EDU1" dmabench.0; do
			n=map_phys_$( [ "$dev" = dmabench.0 ] && echo direct || echo edu )
			dmarun "$n" 120 --device "$dev" --test map_single,map_phys --size 4K,64K --iterations 200
			if [ $RC -ne 0 ]; then ktap_fail "$n" "exit $RC: $ERR"; continue; fi
			check "$n" "$(csvq "/results/$n.csv" "$PHASE_CHECK
				if (v(\"test\") == \"map_phys\") s[v(\"size\")] = 1" \
				"$(need map_single map unmap)$(need map_phys map unmap)
				if (!s[4096] || !s[65536]) bad(\"no map_phys row of 4K or 64K\")")"
		done
	else
		ktap_skip_cases "map_phys is not in $TESTS: Linux $(uname -r) lacks dma_map_phys (6.18)" \
			map_phys_edu map_phys_direct
	fi
	# without the API: one line that names the version
	for tst in iova_link map_phys; do
		if has_test $tst; then
			ktap_skip "${tst}_absent_names_version" "Linux $(uname -r) has $tst"
			continue
		fi
		guard 30 dmabench run --device "$EDU1" --test $tst --iterations 10 \
			> /tmp/t/abs.out 2> /tmp/t/abs.err
		rc=$?; why=
		if [ $rc -ne 1 ] && [ $rc -ne 2 ]; then why="exit $rc (want 1 or 2)"
		elif [ "$(grep -c . /tmp/t/abs.err)" -ne 1 ]; then why="not one line: $(oneline /tmp/t/abs.err)"
		elif ! grep -qF "$(needs_line $tst)" /tmp/t/abs.err; then why="does not say '$(needs_line $tst)': $(oneline /tmp/t/abs.err)"
		fi
		check "${tst}_absent_names_version" "$why"
	done
}

# t_verify_what WHERE: dmabench verify --what map_single|map_sg|alloc|
# iova_link|map_phys on an edu device; WHERE names the case (the domain
# type).  iova_link and map_phys: SKIP where the kernel lacks them (the
# line must name the version); iova_link is "not applicable" under identity.
t_verify_what() {
	for w in map_single map_sg alloc iova_link map_phys; do
		why=
		if { [ $w = iova_link ] || [ $w = map_phys ]; } && ! has_test $w; then
			guard 60 dmabench verify --device "$EDU1" --what $w > /tmp/t/vw.out 2>&1
			if grep -qF "$(needs_line $w)" /tmp/t/vw.out; then
				ktap_skip "verify_${w}_$1" "Linux $(uname -r) lacks $w: $(needs_line $w)"
			else
				ktap_fail "verify_${w}_$1" "no '$(needs_line $w)': $(oneline /tmp/t/vw.out)"
			fi
			continue
		fi
		if [ $w = iova_link ] && [ "$1" = identity ]; then
			guard 60 dmabench verify --device "$EDU1" --what $w > /tmp/t/vw.out 2>&1
			rc=$?
			[ $rc -eq 0 ] && grep -q "not applicable" /tmp/t/vw.out ||
				why="exit $rc, want 0 and 'not applicable' under identity: $(oneline /tmp/t/vw.out)"
			check "verify_${w}_$1" "$why"
			continue
		fi
		guard 120 dmabench verify --device "$EDU1" --what $w > /tmp/t/vw.out 2>&1
		rc=$?
		if [ $rc -ne 0 ]; then why="exit $rc: $(grep -v '^$' /tmp/t/vw.out | tail -n 1 | cut -c 1-200)"
		elif ! grep -q PASS /tmp/t/vw.out; then why="no PASS: $(oneline /tmp/t/vw.out)"
		fi
		check "verify_${w}_$1" "$why"
	done
}

t_coherency() {
	c0=$(awk -v d="$EDU1" '$1 == d { print $5 }' "$DEV")
	if [ "$ARCH" = arm64 ]; then
		dmarun coherency_nc 120 --device "$EDU1" --test map_single,sync,alloc --size 4K \
			--coherency noncoherent,device --iterations 100
		if [ $RC -ne 0 ]; then ktap_fail coherency_noncoherent "exit $RC: $ERR"
		else check coherency_noncoherent "$(csvq /results/coherency_nc.csv "$PHASE_CHECK
			c = v(\"coherency\"); n[c]++
			if (c == \"noncoherent\" && v(\"coherent\") != \"no\") bad(w \": coherency noncoherent, coherent \" v(\"coherent\"))
			if (c == \"device\" && v(\"coherent\") != \"$c0\") bad(w \": coherency device, coherent \" v(\"coherent\") \", devices file said $c0\")" \
			"if (!n[\"noncoherent\"] || !n[\"device\"]) bad(\"no rows for both coherency values\")")"
		fi
		if ! kver_ge 5 15; then
			ktap_skip coherency_noncoherent_domains "Linux $(uname -r) cannot switch a group's domain type (5.11) or to DMA-FQ (5.15)"
		else
		# the issue's "done when": the domain sweep, non-coherent
		dmarun coherency_nc_domains 300 --device "$EDU1" --test map_single,map_sg --size 4K,64K \
			--domain identity,dma,dma-fq --coherency noncoherent --iterations 50
		if [ $RC -ne 0 ]; then ktap_fail coherency_noncoherent_domains "exit $RC: $ERR"
		else check coherency_noncoherent_domains "$(csvq /results/coherency_nc_domains.csv "$PHASE_CHECK
			dt[v(\"domain_type\")] = 1; k[v(\"test\") \" \" v(\"size\") \" \" v(\"domain_type\")] = 1
			if (v(\"coherent\") != \"no\") bad(w \": coherent \" v(\"coherent\"))" \
			"if (!dt[\"identity\"] || !dt[\"DMA\"] || !dt[\"DMA-FQ\"]) bad(\"not all three domain types\")
			for (x in k) nk++; if (nk != 12) bad(nk \" test x size x domain combinations, expected 12\")")"
		fi
		fi
		c1=$(awk -v d="$EDU1" '$1 == d { print $5 }' "$DEV")
		check coherency_restored "$([ "$c1" = "$c0" ] || echo "devices file coherent $c1, was $c0")"
		dmarun coherency_nc_direct 120 --device dmabench.0 --test map_single,sync --size 4K \
			--coherency noncoherent --iterations 100
		if [ $RC -ne 0 ]; then ktap_fail coherency_noncoherent_direct "exit $RC: $ERR"
		else check coherency_noncoherent_direct "$(csvq /results/coherency_nc_direct.csv "$PHASE_CHECK
			if (v(\"coherent\") != \"no\") bad(w \": coherent \" v(\"coherent\"))")"
		fi
	else
		t_bad coherency_refused_x86 coheren run --device "$EDU1" --test sync --iterations 10 --coherency noncoherent
		c1=$(awk -v d="$EDU1" '$1 == d { print $5 }' "$DEV")
		check coherency_refusal_leaves_device "$([ "$c1" = "$c0" ] || echo "devices file coherent $c1, was $c0")"
	fi
	t_bad2 coherency_unknown sideways run --device "$EDU1" --test sync --iterations 10 --coherency sideways
}

# t_bounce FORCED: --bounce on dmabench.0; FORCED=1 when the kernel was
# booted with swiotlb=force (every mapping bounces)
t_bounce() {
	if [ "$1" = 1 ] || swiotlb_on; then
		dmarun bounce 120 --bounce --test map_single,map_sg,sync --size 4K --iterations 100
		if [ $RC -ne 0 ]; then ktap_fail "$(bounce_case)" "exit $RC: $ERR"
		elif [ "$1" = 1 ]; then
			check bounce_every_mapping "$(csvq /results/bounce.csv "$PHASE_CHECK
				if (v(\"device\") != \"dmabench.0\") bad(w \": device\")
				if (v(\"phase\") == \"map\" && v(\"bounced\") != v(\"ops\")) bad(w \": bounced \" v(\"bounced\") \" of \" v(\"ops\") \" mappings\")" \
				"$(need map_single map unmap)$(need map_sg map unmap)$(need sync for_device for_cpu)")"
		else
			check bounce_runs "$(csvq /results/bounce.csv "$PHASE_CHECK
				if (v(\"bounced\") == \"\") bad(w \": empty bounced column\")")"
		fi
	else
		t_bad bounce_no_swiotlb swiotlb run --bounce --test map_single --iterations 10
	fi
	t_bad bounce_on_edu dmabench.0 run --bounce --device "$EDU1" --test map_single --iterations 10
	t_bad bounce_alloc bounce run --bounce --test alloc --iterations 10
}

