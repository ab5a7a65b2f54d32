# shellcheck shell=sh
# t-iommu.sh: suite "iommu": the IOMMU-API side (issue 4) with at least 4
# edu devices behind the one IOMMU: iommu_check, run --test iommu_map over
# scope x flush x threads, exhaust, verify --scope, then the DMA API still
# works.  (Its bad arguments are in t-bad-input.sh.)  First boot only.

iommu_needs_edu=4

iommu_cases() {
	[ "$SUITE" = full ] || return
	echo iommu_check iommu_map_scope_flush_threads iommu_map_text
	echo iommu_map_batch16_rows iommu_map_batch1_per_op
	echo iommu_map_default_clock_share iommu_map_batch_no_iova_leak
	echo exhaust_iova_dma_twice_equal exhaust_iova_iommu_twice_equal
	echo exhaust_domains_max_contexts_4 exhaust_domains_max_contexts_2
	echo exhaust_domains_text_says_modelled
	echo verify_scope_per-device verify_scope_per-instance
	echo after_iommu_map_single after_iommu_verify_all
}

iommu_run() {
	[ "$SUITE" = full ] || return
	if ! has_test iommu_map; then
		ktap_skip_rest "Linux $(uname -r) has no IOMMU-API tests (they need 5.19: iommu_group_claim_dma_owner)"
		return
	fi
	t_iommu
}

# iommu_aperture: "BITS WHY" for iommu_check -a: the IOVA width of a
# paging domain of this guest's IOMMU as its hardware or driver states it
# (never dmabench), or "0 WHY" when nothing outside the driver shows it.
iommu_aperture() {
	case "$(sed -n 's/^IOMMU=//p' /etc/dmabench/config 2>/dev/null)" in
	virtio)
		# the driver prints the device's input range
		_b=$(dmesg | sed -n 's/.*virtio_iommu.*input address: \([0-9]*\) bits.*/\1/p' | head -n 1)
		if [ -n "$_b" ]; then echo "$_b virtio-iommu input range"
		else echo "0 no 'input address: N bits' line of virtio_iommu"
		fi ;;
	vtd)
		# second-level tables: min(MGAW, the widest SAGAW up to the
		# driver's 57 bits), from the capability register
		_c=$(cat /sys/class/iommu/dmar*/intel-iommu/cap 2>/dev/null | head -n 1)
		_e=$(cat /sys/class/iommu/dmar*/intel-iommu/ecap 2>/dev/null | head -n 1)
		if [ -z "$_c" ] || [ -z "$_e" ]; then
			echo "0 no /sys/class/iommu/dmar*/intel-iommu/cap"
		elif [ $(((0x$_e >> 43) & 1)) = 1 ]; then
			echo "0 VT-d in scalable mode: first-level tables (one bit less) or second-level, the driver's choice"
		else
			_m=$((((0x$_c >> 16) & 0x3f) + 1)) _w=0
			for _a in 0 1 2 3; do
				[ $(((0x$_c >> (8 + _a)) & 1)) = 1 ] && _w=$((30 + 9 * _a))
			done
			[ "$_w" -le "$_m" ] || _w=$_m
			echo "$_w VT-d cap $_c: MGAW $_m"
		fi ;;
	smmuv3)
		# stage 1: min(48, or 52 with VAX, VA_BITS); QEMU's SMMUv3 has
		# no VAX, Debian's arm64 VA_BITS is 48 or 52
		echo "48 SMMUv3 stage 1 without VAX" ;;
	amd)
		if dmesg | grep -q "V2 page table enabled"; then
			echo "0 AMD-Vi v2 page table: its levels are the driver's choice"
		elif kver_ge 7 0; then
			echo "0 AMD-Vi on the generic page table (IOMMU_PT_AMDV1): its top level is the driver's choice"
		else
			# v1 page table: dma_max_address() is ~0
			echo "64 AMD-Vi v1 page table"
		fi ;;
	*) echo "0 IOMMU model not known to this test" ;;
	esac
}

t_iommu() {
	nedu=$(echo $EDUS | wc -w)
	if [ ! -x /usr/bin/iommu_check ]; then
		ktap_fail iommu_check "iommu_check is not in the initramfs (tests/guest/iommu_check not built)"
	else
		# its results become the subtests of case iommu_check, plus its
		# exit status
		aper=$(iommu_aperture)
		guard 240 iommu_check -q -a "${aper%% *}" "${aper#* }" > /tmp/t/iommu.out 2>&1
		rc=$?
		while IFS= read -r l; do
			case "$l" in
			"PASS "*) echo "PASS $(echo "${l#PASS }" | sed "s/: /\//g; s/ /_/g")" ;;
			"FAIL "*) l=${l#FAIL }
				echo "FAIL $(echo "${l%%: *}" | sed "s/ /_/g"): ${l#*: }" ;;
			"SKIP "*) l=${l#SKIP }
				echo "SKIP $(echo "${l%%: *}" | sed "s/ /_/g"): ${l#*: }" ;;
			"INFO "*) echo "NOTE $l" ;;
			esac
		done < /tmp/t/iommu.out > /tmp/t/iommu.res
		echo "NOTE iommu_check -a $aper" >> /tmp/t/iommu.res
		if [ $rc -ne 0 ]; then echo "FAIL exit_status: exit $rc: $(grep -v '^PASS\|^INFO' /tmp/t/iommu.out | head -n 1 | cut -c 1-200)"
		else echo "PASS exit_status"
		fi >> /tmp/t/iommu.res
		ktap_subtests iommu_check /tmp/t/iommu.res
	fi

	# scope x flush x threads: every combination has the five phases
	why=
	guard 240 dmabench run --test iommu_map --device all \
		--scope per-device,per-instance --threads 1,2 --flush strict,batch:32 \
		--iterations 256 --format csv > /results/iommu_map.csv 2> /tmp/t/im.err ||
		why="exit $?: $(oneline /tmp/t/im.err)"
	[ -n "$why" ] || why=$(awk -F, -v nedu="$nedu" '
	function bad(m) { if (!err) err = m }
	function v(n) { return $col[n] }
	!hdr && /^test,device,/ { for (i = 1; i <= NF; i++) col[$i] = i; hdr = 1
		split("scope flush devices domains instances iova_bits live slow_allocs inval_per_buf_ns", need, " ")
		for (i in need) if (!col[need[i]]) bad("no column " need[i])
		next }
	!hdr { next }
	{
		key = v("scope") " " v("flush") " " v("threads")
		seen[key " " v("phase")] = 1
		w = key " " v("phase")
		if (v("test") != "iommu_map" || v("status") != "done") bad(w ": " v("test") " " v("status"))
		if (v("devices") != nedu) bad(w ": devices " v("devices") ", expected " nedu)
		if (v("scope") == "per-device" && v("domains") != nedu) bad(w ": per-device with " v("domains") " domains")
		if (v("scope") == "per-instance" && v("domains") != v("instances")) bad(w ": per-instance with " v("domains") " domains, " v("instances") " instances")
		if (v("iova_bits") < 32 || v("iova_bits") > 48) bad(w ": iova_bits " v("iova_bits"))
		if (v("errors") != 0) bad(w ": errors " v("errors"))
		if (v("inval_per_buf_ns") + 0 <= 0) bad(w ": inval_per_buf_ns " v("inval_per_buf_ns"))
		o = v("ops") + 0; p50 = v("p50_ns") + 0; p99 = v("p99_ns") + 0; mx = v("max_ns") + 0
		if (o <= 0) bad(w ": ops " o)
		else if (p50 <= 0 || p50 > p99 || p99 > mx) bad(w ": p50 " p50 " p99 " p99 " max " mx)
		if (v("phase") == "iova_alloc" && o != 256 * v("threads")) bad(w ": iova_alloc ops " o)
		rows++
	}
	END {
		if (!hdr) { print "no CSV header"; exit }
		split("per-device per-instance", S, " "); split("strict batch:32", F, " ")
		split("iova_alloc map unmap invalidate iova_free", P, " ")
		for (a = 1; a <= 2; a++) for (b = 1; b <= 2; b++) for (t = 1; t <= 2; t++) for (p = 1; p <= 5; p++)
			if (!seen[S[a] " " F[b] " " t " " P[p]]) bad("no row " S[a] " " F[b] " threads " t " " P[p])
		if (rows != 40) bad(rows " rows, expected 40")
		if (err) print err
	}' /results/iommu_map.csv)
	check iommu_map_scope_flush_threads "$why"
	# the comparison, for the log (TCG emulation timings)
	awk -F, '/^test,/ { for (i = 1; i <= NF; i++) c[$i] = i; next }
		$c["phase"] == "iova_alloc" || $c["phase"] == "invalidate" {
			printf "(TCG emulation timings) %s %s threads %s %s: mean %s ns, %s ops/s, inval/buf %s ns\n",
				$c["scope"], $c["flush"], $c["threads"], $c["phase"],
				$c["mean_ns"], $c["ops_per_sec"], $c["inval_per_buf_ns"] }' /results/iommu_map.csv > /tmp/t/im.info
	ktap_diag_file /tmp/t/im.info

	# text output works too (long phase names)
	why=
	guard 60 dmabench run --test iommu_map --device all --scope per-instance \
		--flush all:8 --live 16 --iova-limit 32 --iterations 100 \
		> /results/iommu_map.txt 2> /tmp/t/imt.err || why="exit $?: $(oneline /tmp/t/imt.err)"
	[ -n "$why" ] || grep -q '^invalidate ' /results/iommu_map.txt || why="no invalidate line in the text"
	[ -n "$why" ] || grep -q 'per-instance, flush all:8' /results/iommu_map.txt || why="no scope/flush line"
	check iommu_map_text "$why"

	t_iommu_batch

	for api in dma iommu; do
		why=
		guard 120 dmabench exhaust iova --device "$EDU1" --mask-bits 24 --api $api \
			--repeat 2 > /results/exhaust_iova_$api.txt 2> /tmp/t/ex.err ||
			why="exit $?: $(oneline /tmp/t/ex.err) $(grep -i 'capacity' /results/exhaust_iova_$api.txt)"
		[ -n "$why" ] || grep -q '^capacity equal over 2 runs' /results/exhaust_iova_$api.txt ||
			why="no 'capacity equal' line"
		[ -n "$why" ] || grep -q 'run 1: [1-9][0-9]* mappings' /results/exhaust_iova_$api.txt ||
			why="no mappings counted"
		check "exhaust_iova_${api}_twice_equal" "$why"
		ktap_diag_file /results/exhaust_iova_$api.txt
	done

	why=
	guard 120 dmabench exhaust domains --max-contexts 4 --format csv \
		> /results/exhaust_domains.csv 2> /tmp/t/exd.err || why="exit $?: $(oneline /tmp/t/exd.err)"
	[ -n "$why" ] || why=$(awk -F, -v nedu="$nedu" '
		NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		{ n++
		  if ($c["modelled"] != 1) print "not flagged modelled"
		  else if ($c["count"] != 4) print "count " $c["count"] ", expected 4"
		  else if ($c["errno"] != "ENOSPC") print "errno " $c["errno"]
		  else if ($c["per_device_served"] != 4) print "per-device serves " $c["per_device_served"]
		  else if ($c["per_instance_served"] != nedu) print "per-instance serves " $c["per_instance_served"] ", not all " nedu
		  else if ($c["cost_mean_ns"] + 0 <= 0) print "no cost" }
		END { if (n != 1) print n " rows" }' /results/exhaust_domains.csv)
	check exhaust_domains_max_contexts_4 "$why"
	# fewer contexts than devices: per-device serves 2, per-instance all
	why=
	guard 120 dmabench exhaust domains --max-contexts 2 --format csv \
		> /results/exhaust_domains2.csv 2> /tmp/t/exd.err || why="exit $?: $(oneline /tmp/t/exd.err)"
	[ -n "$why" ] || why=$(awk -F, -v nedu="$nedu" '
		NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		{ if ($c["per_device_served"] != 2 || $c["per_instance_served"] != nedu)
			print "served per-device " $c["per_device_served"] ", per-instance " $c["per_instance_served"] }' \
		/results/exhaust_domains2.csv)
	check exhaust_domains_max_contexts_2 "$why"
	guard 120 dmabench exhaust domains --max-contexts 4 > /results/exhaust_domains.txt 2>&1
	ktap_diag_file /results/exhaust_domains.txt
	grep -q MODELLED /results/exhaust_domains.txt
	check exhaust_domains_text_says_modelled "$([ $? -eq 0 ] || echo "no MODELLED in the text")"

	for sc in per-device per-instance; do
		why=
		guard 120 dmabench verify --scope $sc > /results/verify_$sc.txt 2>&1 ||
			why="exit $?: $(grep -E 'FAIL|ERROR' /results/verify_$sc.txt | head -n 1 | cut -c 1-200)"
		[ -n "$why" ] || grep -q "^$sc: PASS" /results/verify_$sc.txt || why="no '$sc: PASS' line"
		check "verify_scope_$sc" "$why"
		ktap_diag_file /results/verify_$sc.txt
	done

	# everything is back: the DMA API works and verify passes
	run_csv after_iommu_map_single 60 iommu "$domain" "1" \
		--device "$EDU1" --test map_single --size 4K --threads 1 --iterations 500
	why=
	guard 60 dmabench verify --device all > /tmp/t/v2.out 2>&1 ||
		why="exit $?: $(grep -iE 'fail|error' /tmp/t/v2.out | head -n 1 | cut -c 1-200)"
	check after_iommu_verify_all "$why"
}

# Issue 15: iommu_map timed in batches.  --batch 16 under batch:32 and
# strict (--warmup 0: exact counts): iova_alloc and map in blocks of 16,
# unmap and iova_free in blocks of gcd(16, flush_n) (16; strict 1: op),
# invalidate one flush per sample; --batch 1 every op on its own with the
# same counts; the default (auto) keeps the clock at <= 2 % of the
# iova_alloc and map blocks; a long batched run of 4 MiB buffers in a
# 32-bit IOVA space (about 1000 of them) gives every IOVA back (a leak of
# one per round runs it out: errors), and the device's DMA domain has the
# same capacity before and after.  TCG timings: emulation numbers.
IM_PHASES="iova_alloc map unmap invalidate iova_free"

# im_rows FILE TIMING_BATCH32 TIMING_STRICT: the rows of a --flush
# batch:32,strict run of 512 ops (live 1, no warm-up): the five phases,
# their timing (a word per phase) and op counts
im_rows() {
	# shellcheck disable=SC2086  # the phase names, one word each
	csvq "$1" "$PHASE_CHECK"'
		s = v("flush") " " ph; n[s] = v("ops") + 0; tm[s] = v("timing")' \
		"$(need iommu_map $IM_PHASES)"'
		split("'"$IM_PHASES"'", P, " ")
		split("'"$2"'", TB, " "); split("'"$3"'", TS, " ")
		# 512 ops, live 1: 511 unmaps; batch:32 syncs 15 times and
		# frees their 480 IOVAs, strict syncs and frees 511
		split("512 512 511 15 480", B, " "); split("512 512 511 511 511", S, " ")
		for (i = 1; i <= 5; i++) {
			b = "batch:32 " P[i]; s = "strict " P[i]
			if (tm[b] != TB[i]) bad(b ": timing " tm[b] ", want " TB[i])
			if (tm[s] != TS[i]) bad(s ": timing " tm[s] ", want " TS[i])
			if (n[b] != B[i]) bad(b ": ops " n[b] ", want " B[i])
			if (n[s] != S[i]) bad(s ": ops " n[s] ", want " S[i])
		}'
}

# im_col FILE FLUSH PHASE COLUMN
im_col() {
	csvq "$1" "if (v(\"flush\") == \"$2\" && v(\"phase\") == \"$3\") printf \"%s\\n\", v(\"$4\")" |
		head -n 1
}

t_iommu_batch() {
	dmarun im_b16 120 --test iommu_map --device "$EDU1" --flush batch:32,strict \
		--batch 16 --warmup 0 --iterations 512
	why="exit $RC: $ERR"
	[ "$RC" -ne 0 ] || why=$(im_rows /results/im_b16.csv \
		"batch:16 batch:16 batch:16 op batch:16" "batch:16 batch:16 op op op")
	check iommu_map_batch16_rows "$why"

	dmarun im_b1 120 --test iommu_map --device "$EDU1" --flush batch:32,strict \
		--batch 1 --warmup 0 --iterations 512
	why="exit $RC: $ERR"
	if [ "$RC" -eq 0 ]; then
		why=$(im_rows /results/im_b1.csv "op op op op op" "op op op op op")
		s1=$(im_col /results/im_b1.csv batch:32 iova_alloc clock_share)
		s16=$(im_col /results/im_b16.csv batch:32 iova_alloc clock_share)
		[ -n "$why" ] || why=$(awk -v a="$s1" -v b="$s16" 'BEGIN {
			if (a + 0 <= 4 * b) printf "iova_alloc clock_share %s %% per op is not 4x the %s %% of --batch 16", a, b }')
	fi
	check iommu_map_batch1_per_op "$why"

	# the default: auto; strict and batch:32, then the same with --batch 1
	dmarun im_auto 180 --test iommu_map --device "$EDU1" --flush strict,batch:32 --seconds 1
	rc1=$RC err1=$ERR
	dmarun im_auto1 180 --test iommu_map --device "$EDU1" --flush strict,batch:32 --seconds 1 --batch 1
	why=
	if [ "$rc1" -ne 0 ] || [ "$RC" -ne 0 ]; then why="exit $rc1/$RC: $err1 $ERR"
	else
		why=$(csvq /results/im_auto.csv "$PHASE_CHECK"'
			if (ph == "iova_alloc" || ph == "map") {
				if (v("timing") !~ /^batch:[0-9]+$/ || v("timing") == "batch:1") bad(w " " v("flush") ": timing " v("timing") " (want batch:N, auto)")
				if (v("clock_share") + 0 > 2) bad(w " " v("flush") ": clock_share " v("clock_share") " % (" v("timing") ") above 2 %")
			}')
		for f in strict batch:32; do
			for file in im_auto im_auto1; do
				csvq "/results/$file.csv" "if (v(\"flush\") == \"$f\") printf \"%s %s p50 %s ns share %s %%; \", v(\"phase\"), v(\"timing\"), v(\"p50_ns\"), v(\"clock_share\")" \
					> /tmp/t/im.share
				ktap_diag "iommu_map 4K --flush $f $( [ $file = im_auto ] && echo default || echo '--batch 1'): $(cat /tmp/t/im.share) (TCG)"
			done
		done
	fi
	check iommu_map_default_clock_share "$why"

	# no IOVA lost: ~1000 buffers of 4 MiB fit a 32-bit space, 16384
	# ops in rounds of 16 (live 64 + 16)
	c1=$(iova_cap "$EDU1" 24)
	dmarun im_leak 300 --test iommu_map --device "$EDU1" --size 4M --iova-limit 32 \
		--flush batch:32 --live 64 --batch 16 --iterations 16384
	rc1=$RC err1=$ERR
	c2=$(iova_cap "$EDU1" 24)
	why=
	if [ "$rc1" -ne 0 ]; then why="exit $rc1: $err1"
	else
		why=$(csvq /results/im_leak.csv "$PHASE_CHECK"'
			if (ph == "iova_alloc" && v("ops") != 16384) bad(w ": ops " v("ops") " of 16384")
			if (v("iova_bits") != 32) bad(w ": iova_bits " v("iova_bits"))')
		ktap_diag "iommu_map 4M, 32-bit IOVA, 16384 ops in batches of 16: $(im_col /results/im_leak.csv batch:32 iova_alloc errors) errors; DMA domain capacity at 24 bits $c1 before, $c2 after"
	fi
	if [ -z "$why" ]; then
		if [ -z "$c1" ] || [ -z "$c2" ]; then why="exhaust failed: $(oneline /tmp/t/cap24.err)"
		elif [ "$c1" != "$c2" ]; then why="DMA domain capacity at 24 bits $c1 before, $c2 after"
		fi
	fi
	check iommu_map_batch_no_iova_leak "$why"
}
