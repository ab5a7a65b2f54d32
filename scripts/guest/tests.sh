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
suite=${1:-full}
domain=${2:-}
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
	t_iommu
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
	t_unload
	;;
*)
	fail suite "unknown suite '$suite'"
	;;
esac
echo "guest tests done: $NPASS PASS, $NFAIL FAIL"
[ $NFAIL -gt 100 ] && NFAIL=100
exit $NFAIL
