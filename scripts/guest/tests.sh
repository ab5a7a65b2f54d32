#!/bin/sh
# tests.sh: dmabench's integration cases, run inside the test guest (busybox
# sh) by scripts/vm-test through /init, after insmod and "dmabench bind" of
# every edu device.  Each case prints "PASS name" or "FAIL name: why" (also
# appended to /results/tests.txt); the exit status is the number of failures
# (capped at 100).
#
# Usage: tests.sh SUITE DOMAIN
#   SUITE  full: every case;  mode: the domain type and one run (for the
#          second boot with the other iommu.strict setting)
#   DOMAIN the default domain type the edu devices must show: DMA | DMA-FQ
#   FORCED 1 when the kernel was booted with swiotlb=force (mode suite:
#          --bounce must bounce every mapping)
suite=${1:-full}
domain=${2:-}
forced=${3:-0}
case "$(uname -m)" in aarch64) ARCH=arm64 ;; *) ARCH=x86_64 ;; esac
DEV=/sys/kernel/debug/dmabench/devices
NFAIL=0
NPASS=0
mkdir -p /results /tmp/t

pass() { NPASS=$((NPASS + 1)); echo "PASS $1"; echo "PASS $1" >> /results/tests.txt; }
fail() {
	NFAIL=$((NFAIL + 1))
	echo "FAIL $1: $2"
	echo "FAIL $1: $2" >> /results/tests.txt
}
# check NAME WHY-IF-NOT-EMPTY
check() { if [ -z "$2" ]; then pass "$1"; else fail "$1" "$2"; fi; }
# has_field WORD LINE: LINE has a whitespace-separated field equal to WORD
has_field() { echo "$2" | awk -v w="$1" '{ for (i = 1; i <= NF; i++) if ($i == w) f = 1 } END { exit !f }'; }
# oneline FILE: the first line of FILE, at most 200 characters
oneline() { head -n 1 "$1" | cut -c 1-200; }

# guard SECONDS CMD...: run CMD, killed after SECONDS (a hung case must not
# hang the whole suite).
guard() { t=$1; shift; timeout -s KILL "$t" "$@"; }

alive() {
	[ -e "/proc/$1/stat" ] || return 1
	[ "$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null)" != Z ]
}
# wait_gone PID SECONDS: 0 when PID ended within SECONDS (its status in $WRC)
wait_gone() {
	_i=0
	while alive "$1"; do
		[ $_i -ge $(($2 * 10)) ] && return 1
		sleep 0.1
		_i=$((_i + 1))
	done
	wait "$1"
	WRC=$?
	return 0
}

# The edu devices (PCI 1234:11e8).
EDUS=
for d in /sys/bus/pci/devices/*; do
	[ "$(cat "$d/vendor" 2>/dev/null)" = 0x1234 ] || continue
	[ "$(cat "$d/device" 2>/dev/null)" = 0x11e8 ] || continue
	EDUS="$EDUS ${d##*/}"
done
EDUS=${EDUS# }
EDU1=${EDUS%% *}
EDU2=${EDUS##* }
NCPU=$(nproc)

# csv_check FILE OPS DOMAIN THREADS STATUS: checks dmabench's CSV (the
# header line is found anywhere in FILE) by column name; prints nothing
# when it is sane, else the first problem.
#   OPS     expected dma_ops column (iommu | direct | "" = any)
#   DOMAIN  expected domain_type ("" = any)
#   THREADS space-separated thread counts that must all appear ("" = any)
#   STATUS  expected status of every row (done | interrupted | ... | "" = any)
csv_check() {
	[ -s "$1" ] || { echo "no CSV output"; return; }
	awk -F, -v ops="$2" -v dom="$3" -v thr="$4" -v st="$5" -v plat="$DMABENCH_PLATFORM" '
	function bad(msg) { if (!err) err = msg }
	function v(name) { return col[name] ? $col[name] : "" }
	!hdr && /^test,device,/ {
		gsub(/\r/, "")
		for (i = 1; i <= NF; i++) col[$i] = i
		split("test device dma_ops domain_type size threads dir phase ops p50_ns p99_ns max_ns status platform", need, " ")
		for (i in need) if (!col[need[i]]) bad("no column " need[i])
		hdr = 1
		next
	}
	!hdr || NF < 10 { next }
	{
		gsub(/\r/, ""); gsub(/"/, "")
		rows++
		ph = v("phase")
		seen_ph[ph] = 1
		seen_thr[v("threads")] = 1
		where = v("device") " " ph " threads=" v("threads")
		if (ops != "" && v("dma_ops") != ops) bad(where ": dma_ops " v("dma_ops") ", expected " ops)
		if (dom != "" && v("domain_type") != dom) bad(where ": domain_type " v("domain_type") ", expected " dom)
		if (st != "" && v("status") != st) bad(where ": status " v("status") ", expected " st)
		if (plat != "" && v("platform") != plat) bad(where ": platform " v("platform") ", expected " plat)
		if (ph == "map" || ph == "unmap") {
			o = v("ops") + 0; p50 = v("p50_ns") + 0; p99 = v("p99_ns") + 0; mx = v("max_ns") + 0
			if (o <= 0) bad(where ": ops " v("ops"))
			else if (p50 <= 0) bad(where ": p50_ns " v("p50_ns"))
			else if (p50 > p99 || p99 > mx) bad(where ": p50 " p50 " p99 " p99 " max " mx " out of order")
		}
	}
	END {
		if (!hdr) { print "no CSV header in the output"; exit }
		if (!rows) bad("no result rows")
		if (st != "interrupted" && st != "device-gone") {
			if (!seen_ph["map"]) bad("no map phase row")
			if (!seen_ph["unmap"]) bad("no unmap phase row")
		}
		n = split(thr, t, " ")
		for (i = 1; i <= n; i++) if (!seen_thr[t[i]]) bad("no row with threads=" t[i])
		if (err) print err
	}' "$1"
}

# run_csv NAME TIMEOUT OPS DOMAIN THREADS ARGS...: a dmabench run with CSV
# output on stdout, then csv_check with status done.
run_csv() {
	_n=$1 _t=$2 _o=$3 _d=$4 _th=$5
	shift 5
	guard "$_t" dmabench run --format csv "$@" > "/results/$_n.csv" 2> "/tmp/t/$_n.err"
	_rc=$?
	if [ $_rc -ne 0 ]; then
		fail "$_n" "exit $_rc: $(oneline "/tmp/t/$_n.err")"
		return
	fi
	check "$_n" "$(csv_check "/results/$_n.csv" "$_o" "$_d" "$_th" "done")"
}

t_list() {
	dmabench list > /tmp/t/list.out 2>&1
	rc=$?
	why=
	[ $rc -eq 0 ] || why="exit $rc: $(oneline /tmp/t/list.out)"
	for e in $EDUS; do
		[ -n "$why" ] && break
		line=$(grep -F "$e" /tmp/t/list.out | head -n 1)
		grp=$(readlink "/sys/bus/pci/devices/$e/iommu_group" 2>/dev/null)
		grp=${grp##*/}
		if [ -z "$line" ]; then why="$e not listed"
		elif ! has_field iommu "$line"; then why="$e not shown with dma_ops iommu: $line"
		elif [ -z "$grp" ]; then why="$e has no iommu_group in sysfs"
		elif ! has_field "$grp" "$line"; then why="$e: group $grp not shown: $line"
		elif ! has_field DMA "$line" && ! has_field DMA-FQ "$line"; then why="$e: no domain type shown: $line"
		elif [ -n "$domain" ] && ! has_field "$domain" "$line"; then
			why="$e: domain type $domain not shown: $line"
		fi
	done
	if [ -z "$why" ]; then
		line=$(grep -F dmabench.0 /tmp/t/list.out | head -n 1)
		if [ -z "$line" ]; then why="dmabench.0 not listed"
		elif ! has_field direct "$line"; then why="dmabench.0 not shown as direct: $line"
		fi
	fi
	check list "$why"

	# The module's own devices file: NAME BUS DMA_OPS DOMAIN COHERENT BITS EDU RUNNING
	why=
	for e in $EDUS; do
		# shellcheck disable=SC2046
		set -- $(grep "^$e " "$DEV")
		if [ $# -lt 8 ]; then why="$e: no 8-field line in $DEV"; break; fi
		[ "$2" = pci ] || why="$e: bus $2"
		[ "$3" = iommu ] || why="$e: dma_ops $3"
		[ -z "$domain" ] || [ "$4" = "$domain" ] || why="$e: domain $4, expected $domain"
		[ "$7" = yes ] || why="$e: edu $7"
		[ "$8" = no ] || why="$e: running $8"
		[ -n "$why" ] && break
	done
	# shellcheck disable=SC2046
	set -- $(grep "^dmabench.0 " "$DEV")
	if [ -z "$why" ]; then
		if [ $# -lt 8 ]; then why="dmabench.0: no 8-field line in $DEV"
		elif [ "$2" != platform ] || [ "$3" != direct ] || [ "$4" != none ]; then
			why="dmabench.0: $*"
		fi
	fi
	check devices_file "$why"
}

t_verify() {
	guard 60 dmabench verify --device all > /tmp/t/verify.out 2>&1
	rc=$?
	why=
	if [ $rc -ne 0 ]; then
		why="exit $rc: $(grep -iE 'fail|error|mismatch' /tmp/t/verify.out | head -n 1 | cut -c 1-200)"
	else
		for e in $EDUS; do
			grep -qF "$e" /tmp/t/verify.out || why="$e not in the output"
		done
	fi
	check verify "$why"
}

t_map() {
	run_csv map_single_edu 60 iommu "$domain" "1 2" \
		--device "$EDU1" --test map_single --size 4K --threads 1,2 --seconds 1
	run_csv map_single_direct 60 direct none "1 2" \
		--device dmabench.0 --test map_single --size 4K --threads 1,2 --seconds 1
}

t_formats() {
	why=
	guard 60 dmabench run --device "$EDU1" --test map_single --iterations 500 \
		--format json --output /results/map.json > /tmp/t/json.out 2>&1 ||
		why="json run failed: $(oneline /tmp/t/json.out)"
	if [ -z "$why" ]; then
		if [ "$(tr -d ' \n\t' < /results/map.json | cut -c 1)" != "{" ]; then why="map.json does not start with {"
		elif ! grep -q '"metadata"' /results/map.json; then why="map.json has no \"metadata\""
		elif ! grep -q '"rows"' /results/map.json; then why="map.json has no \"rows\""
		elif [ "$(tr -cd '{' < /results/map.json | wc -c)" != "$(tr -cd '}' < /results/map.json | wc -c)" ]; then
			why="map.json: unbalanced braces"
		fi
	fi
	check format_json "$why"
	why=
	guard 60 dmabench run --device "$EDU1" --test map_single --iterations 500 \
		--format text --output /results/map.txt > /tmp/t/text.out 2>&1 ||
		why="text run failed: $(oneline /tmp/t/text.out)"
	if [ -z "$why" ]; then
		if [ ! -s /results/map.txt ]; then why="map.txt is empty"
		elif ! grep -q map /results/map.txt || ! grep -q unmap /results/map.txt; then
			why="map.txt names no map/unmap phase"
		fi
	fi
	check format_text "$why"
	why=
	guard 60 dmabench run --device "$EDU1" --test map_single --iterations 500 \
		--format csv --output /results/map_out.csv > /tmp/t/csv.out 2>&1 ||
		why="csv run failed: $(oneline /tmp/t/csv.out)"
	[ -n "$why" ] || why=$(csv_check /results/map_out.csv iommu "$domain" 1 "done")
	check format_csv "$why"
}

# t_bad NAME TOKEN ARGS...: dmabench ARGS must exit 1 or 2 with a one-line
# message on stderr that names TOKEN.
t_bad() {
	_n=$1 _tok=$2
	shift 2
	guard 30 dmabench "$@" > /tmp/t/bad.out 2> /tmp/t/bad.err
	rc=$?
	lines=$(grep -c . /tmp/t/bad.err)
	why=
	if [ $rc -ne 1 ] && [ $rc -ne 2 ]; then why="exit $rc (want 1 or 2) for: dmabench $*"
	elif [ "$lines" -ne 1 ]; then why="$lines lines on stderr (want 1): $(oneline /tmp/t/bad.err)"
	elif ! grep -qiF -- "$_tok" /tmp/t/bad.err; then why="message does not name '$_tok': $(oneline /tmp/t/bad.err)"
	fi
	check "badarg_$_n" "$why"
}

t_badargs() {
	d=dmabench.0
	t_bad unknown_option --bogus run --device $d --test map_single --iterations 10 --bogus
	t_bad size_zero 0 run --device $d --test map_single --iterations 10 --size 0
	t_bad size_suffix 12Q run --device $d --test map_single --iterations 10 --size 12Q
	t_bad threads_zero threads run --device $d --test map_single --iterations 10 --threads 0
	t_bad dir sideways run --device $d --test map_single --iterations 10 --dir sideways
	t_bad node 99 run --device $d --test map_single --iterations 10 --node 99
	t_bad cpus 999 run --device $d --test map_single --iterations 10 --cpus 999
	t_bad test no_such_test run --device $d --iterations 10 --test no_such_test
	t_bad device 0000:7f:1f.7 run --device 0000:7f:1f.7 --test map_single --iterations 10
	t_bad subcommand frobnicate frobnicate
}

t_abi() {
	if [ ! -x /usr/bin/abi_check ]; then
		fail abi_check "abi_check is not in the initramfs (tests/guest/abi_check not built)"
		return
	fi
	guard 60 abi_check > /tmp/t/abi.out 2>&1
	rc=$?
	while IFS= read -r l; do
		case "$l" in
		# names may contain ": " (e.g. "run: bad version"): shown as "/"
		"PASS "*) n=${l#PASS }; pass "abi.$(echo "$n" | sed "s/: /\//g")" ;;
		"FAIL "*) l=${l#FAIL }; n=${l%: *}
			fail "abi.$(echo "$n" | sed "s/: /\//g")" "${l##*: }" ;;
		esac
	done < /tmp/t/abi.out
	if [ $rc -ne 0 ]; then fail abi_check "exit $rc"
	elif ! grep -q '^PASS ' /tmp/t/abi.out; then fail abi_check "printed no PASS line"
	else pass abi_check
	fi
}

# t_bad2 NAME TOKEN ARGS...: like t_bad, but the exit status must be 2.
t_bad2() {
	_n=$1 _tok=$2
	shift 2
	guard 30 dmabench "$@" > /tmp/t/bad.out 2> /tmp/t/bad.err
	rc=$?
	why=
	if [ $rc -ne 2 ]; then why="exit $rc (want 2) for: dmabench $*"
	elif [ "$(grep -c . /tmp/t/bad.err)" -ne 1 ]; then why="not one line on stderr: $(oneline /tmp/t/bad.err)"
	elif ! grep -qiF -- "$_tok" /tmp/t/bad.err; then why="message does not name '$_tok': $(oneline /tmp/t/bad.err)"
	fi
	check "badarg_$_n" "$why"
}

# The IOMMU-API side (issue 4): iommu_check, run --test iommu_map over
# scope x flush x threads, exhaust, verify --scope, then the DMA API still
# works.  Needs at least 4 edu devices behind the one IOMMU.
t_iommu() {
	nedu=$(echo $EDUS | wc -w)
	if [ ! -x /usr/bin/iommu_check ]; then
		fail iommu_check "iommu_check is not in the initramfs (tests/guest/iommu_check not built)"
	else
		guard 240 iommu_check -q > /tmp/t/iommu.out 2>&1
		rc=$?
		while IFS= read -r l; do
			case "$l" in
			"PASS "*) n=${l#PASS }; pass "iommu.$(echo "$n" | sed "s/: /\//g; s/ /_/g")" ;;
			"FAIL "*) l=${l#FAIL }; n=${l%%: *}
				fail "iommu.$(echo "$n" | sed "s/ /_/g")" "${l#*: }" ;;
			"INFO "*) echo "  ($l)" ;;
			esac
		done < /tmp/t/iommu.out
		if [ $rc -ne 0 ]; then fail iommu_check "exit $rc: $(grep -v '^PASS\|^INFO' /tmp/t/iommu.out | head -n 1 | cut -c 1-200)"
		else pass iommu_check
		fi
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
			printf "  (%s %s threads %s %s: mean %s ns, %s ops/s, inval/buf %s ns)\n",
				$c["scope"], $c["flush"], $c["threads"], $c["phase"],
				$c["mean_ns"], $c["ops_per_sec"], $c["inval_per_buf_ns"] }' /results/iommu_map.csv

	# text output works too (long phase names)
	why=
	guard 60 dmabench run --test iommu_map --device all --scope per-instance \
		--flush all:8 --live 16 --iova-limit 32 --iterations 100 \
		> /results/iommu_map.txt 2> /tmp/t/imt.err || why="exit $?: $(oneline /tmp/t/imt.err)"
	[ -n "$why" ] || grep -q '^invalidate ' /results/iommu_map.txt || why="no invalidate line in the text"
	[ -n "$why" ] || grep -q 'per-instance, flush all:8' /results/iommu_map.txt || why="no scope/flush line"
	check iommu_map_text "$why"

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
		sed 's/^/  /' /results/exhaust_iova_$api.txt
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
	sed 's/^/  /' /results/exhaust_domains.txt
	grep -q MODELLED /results/exhaust_domains.txt
	check exhaust_domains_text_says_modelled "$([ $? -eq 0 ] || echo "no MODELLED in the text")"

	for sc in per-device per-instance; do
		why=
		guard 120 dmabench verify --scope $sc > /results/verify_$sc.txt 2>&1 ||
			why="exit $?: $(grep -E 'FAIL|ERROR' /results/verify_$sc.txt | head -n 1 | cut -c 1-200)"
		[ -n "$why" ] || grep -q "^$sc: PASS" /results/verify_$sc.txt || why="no '$sc: PASS' line"
		check "verify_scope_$sc" "$why"
		sed 's/^/  /' /results/verify_$sc.txt
	done

	# everything is back: the DMA API works and verify passes
	run_csv after_iommu_map_single 60 iommu "$domain" "1" \
		--device "$EDU1" --test map_single --size 4K --threads 1 --iterations 500
	why=
	guard 60 dmabench verify --device all > /tmp/t/v2.out 2>&1 ||
		why="exit $?: $(grep -iE 'fail|error' /tmp/t/v2.out | head -n 1 | cut -c 1-200)"
	check after_iommu_verify_all "$why"

	t_bad2 scope per-group run --test iommu_map --device all --iterations 10 --scope per-group
	t_bad2 flush batch:0 run --test iommu_map --device all --iterations 10 --flush batch:0
	t_bad2 flush_name lazy run --test iommu_map --device all --iterations 10 --flush lazy
	t_bad2 iova_limit 31 run --test iommu_map --device all --iterations 10 --iova-limit 31
	t_bad2 live 0 run --test iommu_map --device all --iterations 10 --live 0
	t_bad2 device_twice twice run --test iommu_map --device "$EDU1,$EDU1" --iterations 10
	t_bad2 scope_non_iommu iommu_map run --test map_single --device "$EDU1" --iterations 10 --scope per-device
	t_bad2 exhaust_what pages exhaust pages
	t_bad2 exhaust_max_contexts max-contexts exhaust domains --max-contexts x
	t_bad2 exhaust_mask mask-bits exhaust iova --device "$EDU1" --mask-bits 8
	t_bad2 exhaust_api api exhaust iova --device "$EDU1" --api vfio
	t_bad2 exhaust_iova_device device exhaust iova
	t_bad2 verify_scope scope verify --scope both
}

t_cancel() {
	dmabench run --device "$EDU1" --test map_single --seconds 60 --format csv \
		> /results/cancel.csv 2> /tmp/t/cancel.err &
	pid=$!
	sleep 2
	t0=$(date +%s)
	kill -INT $pid
	why=
	if ! wait_gone $pid 10; then
		why="still running 10 s after SIGINT"
		kill -KILL $pid
		wait $pid
	else
		dt=$(($(date +%s) - t0))
		if [ "$WRC" -gt 2 ] && [ "$WRC" -ne 130 ]; then why="exit $WRC: $(oneline /tmp/t/cancel.err)"
		else why=$(csv_check /results/cancel.csv iommu "" "" interrupted)
		fi
		[ -n "$why" ] || echo "  (cancel: exit $WRC, ${dt}s after SIGINT)"
	fi
	check cancel_sigint "$why"
}

t_busy() {
	dmabench run --device "$EDU1" --test map_single --seconds 30 --format csv \
		> /tmp/t/busy1.csv 2> /tmp/t/busy1.err &
	pid=$!
	sleep 2
	why=
	if ! alive $pid; then
		why="the first run ended early: $(oneline /tmp/t/busy1.err)"
	else
		guard 30 dmabench run --device "$EDU1" --test map_single --iterations 10 \
			> /tmp/t/busy2.out 2> /tmp/t/busy2.err
		rc=$?
		if [ $rc -eq 0 ]; then why="a second run on a busy device succeeded"
		elif ! grep -qiE "busy|in progress" /tmp/t/busy2.err; then why="exit $rc without a busy message: $(oneline /tmp/t/busy2.err)"
		fi
	fi
	kill -INT $pid 2>/dev/null
	wait_gone $pid 10 || { kill -KILL $pid; wait $pid; why=${why:-"first run did not stop on SIGINT"}; }
	check busy "$why"
}

t_unbind_running() {
	dmabench run --device "$EDU2" --test map_single --seconds 60 --format csv \
		> /results/unbind_running.csv 2> /tmp/t/ub.err &
	pid=$!
	sleep 2
	why=
	if ! alive $pid; then
		why="the run ended early: $(oneline /tmp/t/ub.err)"
	else
		t0=$(date +%s)
		guard 30 dmabench unbind "$EDU2" > /tmp/t/ub2.out 2>&1
		rc=$?
		if [ $rc -ne 0 ]; then why="dmabench unbind $EDU2 exit $rc: $(oneline /tmp/t/ub2.out)"
		elif ! wait_gone $pid 10; then why="the run still goes 10 s after unbind"
		else
			dt=$(($(date +%s) - t0))
			echo "  (unbind during run: run exit $WRC, ${dt}s after unbind)"
			grep -q device-gone /results/unbind_running.csv ||
				echo "  (note: no device-gone row: $(oneline /tmp/t/ub.err))"
		fi
	fi
	alive $pid && { kill -KILL $pid; wait $pid; }
	check unbind_during_run "$why"

	why=
	guard 30 dmabench bind "$EDU2" > /tmp/t/rebind.out 2>&1 ||
		why="dmabench bind $EDU2 failed: $(oneline /tmp/t/rebind.out)"
	[ -n "$why" ] || grep -q "^$EDU2 " "$DEV" || why="$EDU2 not in $DEV after bind"
	if [ -z "$why" ]; then
		guard 60 dmabench run --device "$EDU2" --test map_single --iterations 200 \
			--format csv > /results/rebind.csv 2> /tmp/t/rebind.err ||
			why="run after re-bind failed: $(oneline /tmp/t/rebind.err)"
		[ -n "$why" ] || why=$(csv_check /results/rebind.csv iommu "$domain" 1 "done")
	fi
	check rebind "$why"
}

t_threads_many() {
	n=$((NCPU * 2))
	run_csv threads_2x_cpus 120 iommu "$domain" "$n" \
		--device "$EDU1" --test map_single --size 4K --threads $n --seconds 2
}

# Kernel log lines that must never appear (checked by the host as well).
BAD_RE='Kernel panic|Oops|BUG:|WARNING:|soft lockup|hard LOCKUP|rcu.*(stall|detected stalls)|blocked for more than|KASAN|UBSAN|Call Trace|Call trace:|Unable to handle kernel'

t_unload() {
	why=
	for e in $EDUS; do
		guard 30 dmabench unbind "$e" > /tmp/t/unbind.out 2>&1 ||
			{ why="dmabench unbind $e failed: $(oneline /tmp/t/unbind.out)"; break; }
		drv=$(readlink "/sys/bus/pci/devices/$e/driver" 2>/dev/null)
		if [ "${drv##*/}" = dmabench ]; then why="$e still bound to dmabench"; break; fi
		ov=$(cat "/sys/bus/pci/devices/$e/driver_override" 2>/dev/null)
		if [ -n "$ov" ] && [ "$ov" != "(null)" ]; then why="$e: driver_override left as '$ov'"; break; fi
	done
	check unbind_all "$why"
	why=
	rmmod dmabench > /tmp/t/rmmod.out 2>&1 || why="rmmod failed: $(oneline /tmp/t/rmmod.out)"
	[ -n "$why" ] || [ ! -e /sys/module/dmabench ] || why="/sys/module/dmabench still there"
	[ -n "$why" ] || [ ! -e /sys/kernel/debug/dmabench ] || why="debugfs dir left behind"
	check rmmod "$why"
	why=$(dmesg | grep -E "$BAD_RE" | head -n 1 | cut -c 1-200)
	check guest_dmesg_clean "$why"
}

# ---- issue 3: the DMA-API paths (map_sg, sync, alloc*, --domain,
# ---- --coherency, --bounce) ----

TESTS=/sys/kernel/debug/dmabench/tests
# has_test NAME: the module (this kernel) has test NAME
has_test() { grep -qw "$1" "$TESTS" 2>/dev/null; }
# kver_ge MAJOR MINOR: the guest kernel is at least MAJOR.MINOR
kver_ge() {
	_r=$(uname -r); _M=${_r%%.*}; _m=${_r#*.}; _m=${_m%%[!0-9]*}
	[ "$_M" -gt "$1" ] || { [ "$_M" -eq "$1" ] && [ "$_m" -ge "$2" ]; }
}
# skip NAME WHY: a case this kernel cannot run (not counted as PASS or FAIL)
skip() { echo "SKIP $1: $2"; echo "SKIP $1: $2" >> /results/tests.txt; }
# swiotlb_on: the kernel set up a software IO TLB (dmesg says so)
# (the debugfs directory exists either way; its pool has slabs only when on)
swiotlb_on() { [ "$(cat /sys/kernel/debug/swiotlb/io_tlb_nslabs 2>/dev/null || echo 0)" -gt 0 ]; }
# group_of DEV, gtype DEV, drv DEV
group_of() { _g=$(readlink "/sys/bus/pci/devices/$1/iommu_group" 2>/dev/null); echo "${_g##*/}"; }
gtype() { cat "/sys/kernel/iommu_groups/$(group_of "$1")/type" 2>/dev/null; }
drv() { _d=$(readlink "/sys/bus/pci/devices/$1/driver" 2>/dev/null); echo "${_d##*/}"; }

# csvq FILE ROWCODE [ENDCODE]: awk over dmabench's CSV with the columns by
# name: v("name") is a field of the row, bad("why") records the first
# problem, rows counts the rows; prints the first problem (nothing when
# all is well).  ROWCODE runs for every row, ENDCODE at the end.
csvq() {
	[ -s "$1" ] || { echo "no CSV output"; return; }
	awk -F, "
	function bad(m) { if (!err) err = m }
	function v(n) { if (!(n in col)) bad(\"no column \" n); return \$col[n] }
	!hdr && /^test,device,/ { gsub(/\\r/, \"\"); for (i = 1; i <= NF; i++) col[\$i] = i; hdr = 1; next }
	!hdr || NF < 10 { next }
	{ gsub(/\\r/, \"\"); gsub(/\"/, \"\"); rows++; w = v(\"test\") \" \" v(\"device\") \" \" v(\"phase\") \" size=\" v(\"size\") }
	{ $2 }
	END { if (!hdr) { print \"no CSV header\"; exit } if (!rows) bad(\"no rows\"); $3
	      if (err) print err }" "$1"
}

# dmarun NAME TIMEOUT ARGS...: dmabench run --format csv ARGS into
# /results/NAME.csv; sets RC and ERR (first stderr line)
dmarun() {
	_n=$1 _t=$2
	shift 2
	guard "$_t" dmabench run --format csv "$@" > "/results/$_n.csv" 2> "/tmp/t/$_n.err"
	RC=$?
	ERR=$(grep -v '^warning:' "/tmp/t/$_n.err" | head -n 1 | cut -c 1-200)
}

# the phases every row set of a test must have, and sane numbers
PHASE_CHECK='
	t = v("test"); ph = v("phase"); seen[t " " ph] = 1
	if (v("status") != "done") bad(w ": status " v("status"))
	if (v("errors") != 0) bad(w ": errors " v("errors"))
	o = v("ops") + 0; p50 = v("p50_ns") + 0; p99 = v("p99_ns") + 0; mx = v("max_ns") + 0
	if (o <= 0) bad(w ": ops " o)
	else if (p50 <= 0 || p50 > p99 || p99 > mx) bad(w ": p50 " p50 " p99 " p99 " max " mx)'
# need TEST PHASE...: END code that asks for rows of these phases
need() {
	_t=$1; shift
	for _p in "$@"; do printf 'if (!seen["%s %s"]) bad("no %s %s row");' "$_t" "$_p" "$_t" "$_p"; done
}

t_map_sg() {
	# contiguous and scattered on the edu (IOMMU) and on dmabench.0 (direct)
	for dev in "$EDU1" dmabench.0; do
		n=map_sg_$( [ "$dev" = dmabench.0 ] && echo direct || echo edu )
		dmarun "$n" 120 --device "$dev" --test map_sg --nents 1,16 --seg-size 4K \
			--layout contiguous,scattered --iterations 200
		if [ $RC -ne 0 ]; then fail "$n" "exit $RC: $ERR"; continue; fi
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
		skip map_sg_iommu_merges_scattered "VT-d's own DMA ops in Linux $(uname -r) do not merge segments (dma-iommu since 5.11)"
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
	if [ $RC -ne 0 ]; then fail map_sg_size_is_total "exit $RC: $ERR"
	else check map_sg_size_is_total "$(csvq /results/map_sg_total.csv "$PHASE_CHECK
		if (v(\"seg_size\") != 8192) bad(w \": seg_size \" v(\"seg_size\") \", expected 8192\")
		if (v(\"layout\") != \"contiguous\") bad(w \": layout \" v(\"layout\") \", expected contiguous (the default)\")")"
	fi
}

t_sync() {
	for dev in "$EDU1" dmabench.0; do
		n=sync_$( [ "$dev" = dmabench.0 ] && echo direct || echo edu )
		dmarun "$n" 120 --device "$dev" --test sync --size 64,4K,4M --iterations 100
		if [ $RC -ne 0 ]; then fail "$n" "exit $RC: $ERR"; continue; fi
		check "$n" "$(csvq "/results/$n.csv" "$PHASE_CHECK
			s[v(\"size\")] = 1
			if (v(\"phase\") != \"for_device\" && v(\"phase\") != \"for_cpu\") bad(w \": phase \" v(\"phase\"))" \
			"$(need sync for_device for_cpu)
			if (!s[64] || !s[4096] || !s[4194304]) bad(\"not every size (64, 4K, 4M) has rows\")
			if (rows != 6) bad(rows \" rows, expected 3 sizes x 2 phases\")")"
	done
	for d in to from; do
		dmarun sync_dir_$d 60 --device "$EDU1" --test sync --size 4K --dir $d --iterations 100
		if [ $RC -ne 0 ]; then fail "sync_dir_$d" "exit $RC: $ERR"; continue; fi
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
		if [ $RC -ne 0 ]; then fail "$n" "exit $RC: $ERR"; continue; fi
		check "$n" "$(csvq "/results/$n.csv" "$PHASE_CHECK
			a[v(\"attrs\")]++" \
			"$(need alloc alloc free)
			split(\"WRITE_COMBINE NO_KERNEL_MAPPING FORCE_CONTIGUOUS ALLOC_SINGLE_PAGES WRITE_COMBINE|NO_KERNEL_MAPPING\", A, \" \")
			for (i = 1; i <= 5; i++) if (a[A[i]] != 4) bad(\"attrs \" A[i] \": \" a[A[i]] + 0 \" rows, expected 4 (2 sizes x alloc, free)\")
			if (rows != 20) bad(rows \" rows, expected 20\")")"
	done
	# without --attrs: plain dma_alloc_coherent, empty attrs column
	dmarun alloc_plain 60 --device "$EDU1" --test alloc --size 64,4M --iterations 20
	if [ $RC -ne 0 ]; then fail alloc_64_and_4M "exit $RC: $ERR"
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
		[ -n "$why" ] || echo "  (too-big alloc: $(csvq /results/alloc_too_big.csv 'if (v("phase") == "alloc") bad("errors " v("errors") " of " v("ops") + v("errors"))'))"
	elif [ $RC -eq 1 ] || [ $RC -eq 2 ]; then
		[ "$(grep -c . /tmp/t/alloc_too_big.err)" -eq 1 ] || why="refused, but not in one line: $ERR"
		[ -n "$why" ] || echo "  (too-big alloc refused: $ERR)"
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
			if [ $tst = alloc_noncontiguous ]; then
				echo "  ($tst is not in $TESTS: this kernel lacks it)"
				continue
			fi
			fail "$tst" "not in $TESTS: $(tr '\n' ' ' < "$TESTS" | cut -c 1-200)"
			continue
		fi
		for dev in "$EDU1" dmabench.0; do
			n=${tst}_$( [ "$dev" = dmabench.0 ] && echo direct || echo edu )
			dmarun "$n" 120 --device "$dev" --test $tst --size 64,4K,4M --iterations 20
			if [ $RC -ne 0 ]; then fail "$n" "exit $RC: $ERR"; continue; fi
			# shellcheck disable=SC2086
			check "$n" "$(csvq "/results/$n.csv" "$PHASE_CHECK
				s[v(\"size\")] = 1" "$(need $tst $phases)
				if (!s[64] || !s[4096] || !s[4194304]) bad(\"not every size (64, 4K, 4M) has rows\")")"
		done
	done
	# several tests in one run, one CSV
	dmarun multi_test 120 --device "$EDU1" --test map_single,map_sg,sync,alloc --size 4K --iterations 50
	if [ $RC -ne 0 ]; then fail test_list_one_csv "exit $RC: $ERR"
	else check test_list_one_csv "$(csvq /results/multi_test.csv "$PHASE_CHECK" \
		"$(need map_single map unmap)$(need map_sg map unmap)$(need sync for_device for_cpu)$(need alloc alloc free)")"
	fi
}

# t_verify_what WHERE: dmabench verify --what map_single|map_sg|alloc on
# every edu device; WHERE names the case (the domain type)
t_verify_what() {
	for w in map_single map_sg alloc; do
		why=
		guard 120 dmabench verify --device "$EDU1" --what $w > /tmp/t/vw.out 2>&1
		rc=$?
		if [ $rc -ne 0 ]; then why="exit $rc: $(grep -v '^$' /tmp/t/vw.out | tail -n 1 | cut -c 1-200)"
		elif ! grep -q PASS /tmp/t/vw.out; then why="no PASS: $(oneline /tmp/t/vw.out)"
		fi
		check "verify_${w}_$1" "$why"
	done
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
		[ -n "$why" ] || t_verify_what "$ty"
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
	if [ $RC -ne 0 ]; then fail domain_sweep "exit $RC: $ERR"
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
	if [ $RC -ne 0 ]; then fail domain_alloc_wc "exit $RC: $ERR"
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

t_coherency() {
	c0=$(awk -v d="$EDU1" '$1 == d { print $5 }' "$DEV")
	if [ "$ARCH" = arm64 ]; then
		dmarun coherency_nc 120 --device "$EDU1" --test map_single,sync,alloc --size 4K \
			--coherency noncoherent,device --iterations 100
		if [ $RC -ne 0 ]; then fail coherency_noncoherent "exit $RC: $ERR"
		else check coherency_noncoherent "$(csvq /results/coherency_nc.csv "$PHASE_CHECK
			c = v(\"coherency\"); n[c]++
			if (c == \"noncoherent\" && v(\"coherent\") != \"no\") bad(w \": coherency noncoherent, coherent \" v(\"coherent\"))
			if (c == \"device\" && v(\"coherent\") != \"$c0\") bad(w \": coherency device, coherent \" v(\"coherent\") \", devices file said $c0\")" \
			"if (!n[\"noncoherent\"] || !n[\"device\"]) bad(\"no rows for both coherency values\")")"
		fi
		if ! kver_ge 5 15; then
			skip coherency_noncoherent_domains "Linux $(uname -r) cannot switch a group's domain type (5.11) or to DMA-FQ (5.15)"
		else
		# the issue's "done when": the domain sweep, non-coherent
		dmarun coherency_nc_domains 300 --device "$EDU1" --test map_single,map_sg --size 4K,64K \
			--domain identity,dma,dma-fq --coherency noncoherent --iterations 50
		if [ $RC -ne 0 ]; then fail coherency_noncoherent_domains "exit $RC: $ERR"
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
		if [ $RC -ne 0 ]; then fail coherency_noncoherent_direct "exit $RC: $ERR"
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
		if [ $RC -ne 0 ]; then fail bounce "exit $RC: $ERR"
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

t_dmaapi_badargs() {
	e=$EDU1
	t_bad2 nents_zero nents run --device $e --test map_sg --iterations 10 --nents 0
	t_bad2 nents_too_many nents run --device $e --test map_sg --iterations 10 --nents 1025
	t_bad2 nents_word many run --device $e --test map_sg --iterations 10 --nents many
	t_bad2 nents_not_map_sg nents run --device $e --test map_single --iterations 10 --nents 4
	t_bad2 seg_size_zero seg-size run --device $e --test map_sg --iterations 10 --nents 4 --seg-size 0
	t_bad2 seg_size_total seg-size run --device $e --test map_sg --iterations 10 --nents 1024 --seg-size 1M
	t_bad2 size_below_nents nents run --device $e --test map_sg --iterations 10 --nents 128 --size 64
	t_bad2 layout diagonal run --device $e --test map_sg --iterations 10 --layout diagonal
	t_bad2 attrs_unknown NON_CACHED run --device $e --test alloc --iterations 10 --attrs NON_CACHED
	t_bad2 attrs_not_alloc attrs run --device $e --test map_single --iterations 10 --attrs WRITE_COMBINE
	t_bad2 attrs_empty attrs run --device $e --test alloc --iterations 10 --attrs ''
	t_bad2 domain_empty domain run --device $e --test map_single --iterations 10 --domain ''
	t_bad2 bounce_value bounce run --device dmabench.0 --test map_single --iterations 10 --bounce=yes
	t_bad alloc_size_zero 0 run --device $e --test alloc --iterations 10 --size 0
}

# everything put back: group types, drivers, and no stray mapping
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

echo "tests: suite $suite, domain ${domain:-any}, edu devices: ${EDUS:-none}, $NCPU CPUs"
if [ -z "$EDUS" ]; then
	fail edu_present "no edu device (PCI 1234:11e8) in the guest"
fi
if [ ! -e "$DEV" ]; then
	fail module_loaded "$DEV does not exist (dmabench.ko not loaded?)"
	exit 1
fi
case "$suite" in
full)
	t_list
	t_verify
	t_map
	t_formats
	t_abi
	if has_test iommu_map; then t_iommu
	else skip iommu "Linux $(uname -r) has no IOMMU-API tests (they need 5.19: iommu_group_claim_dma_owner)"
	fi
	t_map_sg
	t_sync
	t_alloc
	t_alloc_more
	t_coherency
	t_bounce "$forced"
	t_dmaapi_badargs
	if kver_ge 5 15; then t_domain_manual; t_domain
	else skip domain "Linux $(uname -r) cannot switch a group's domain type in sysfs (5.11) or to DMA-FQ (5.15)"
	fi
	t_dmaapi_after
	t_badargs
	t_cancel
	t_busy
	t_unbind_running
	t_threads_many
	t_unload
	;;
mode)
	t_list
	run_csv "map_single_$domain" 60 iommu "$domain" "1" \
		--device "$EDU1" --test map_single --size 4K --threads 1 --iterations 2000
	t_map_sg
	t_verify_what "$domain"
	t_bounce "$forced"
	t_dmaapi_after
	t_unload
	;;
*)
	fail suite "unknown suite '$suite'"
	;;
esac
echo "guest tests done: $NPASS PASS, $NFAIL FAIL"
[ $NFAIL -gt 100 ] && NFAIL=100
exit $NFAIL
