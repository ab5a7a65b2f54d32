# shellcheck shell=sh
# lib.sh: what the guest suites (t-*.sh) share: running dmabench with a
# time limit, the edu devices, CSV checks by column name, bad-argument
# cases.  Sourced by tests.sh after ktap.sh (busybox sh).

case "$(uname -m)" in aarch64) ARCH=arm64 ;; *) ARCH=x86_64 ;; esac
DEV=/sys/kernel/debug/dmabench/devices
TESTS=/sys/kernel/debug/dmabench/tests
mkdir -p /results /tmp/t

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
NEDU=$(echo "$EDUS" | wc -w)
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
		ktap_fail "$_n" "exit $_rc: $(oneline "/tmp/t/$_n.err")"
		return
	fi
	check "$_n" "$(csv_check "/results/$_n.csv" "$_o" "$_d" "$_th" "done")"
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

# Kernel log lines that must never appear: the host's list too
# (scripts/lib/vm.sh VM_BAD_RE), SLUB's slub_debug reports included.
BAD_RE=$(cat "${GUEST_DIR:-/guest}/kernel-log-bad.ere")

# has_test NAME: the module (this kernel) has test NAME
has_test() { grep -qw "$1" "$TESTS" 2>/dev/null; }
# kver_ge MAJOR MINOR: the guest kernel is at least MAJOR.MINOR (for what a
# kernel cannot do: SKIP, naming the version that can)
kver_ge() {
	_r=$(uname -r); _M=${_r%%.*}; _m=${_r#*.}; _m=${_m%%[!0-9]*}
	[ "$_M" -gt "$1" ] || { [ "$_M" -eq "$1" ] && [ "$_m" -ge "$2" ]; }
}
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


# iova_cap DEV BITS: the capacity dmabench exhaust iova finds at BITS (CSV
# column count), or nothing; why in /tmp/t/capBITS.err
iova_cap() {
	guard 120 dmabench exhaust iova --device "$1" --mask-bits "$2" \
		--format csv 2> "/tmp/t/cap$2.err" |
		awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
			 { print $c["count"]; exit }'
}
