#!/bin/sh
# dmabench.sh: the board side of lava/dmabench.yaml (busybox sh is enough).
# Usage: dmabench.sh [-j JOB] [-i apt|none] [-d DEVICES] [-r REPEAT]
# Reports through lava-test-case when it runs under LAVA, else prints
# "RESULT name result [measurement units]" lines (to try it by hand).
# Test cases:
#   install            dmabench and its module are there
#   bind-DEVICE        each device bound to dmabench
#   sweep              `dmabench sweep JOB` finished
#   JOB-TEST-...-PHASE one per configuration and phase of the job file:
#                      pass when every repetition ended "done" without
#                      errors; measurement = the median over the
#                      repetitions of p50_ns, in ns
set -u
JOB=quick INSTALL=none DEVICES=edu REPEAT=
while getopts "j:i:d:r:" o; do
	case "$o" in
	j) JOB=$OPTARG ;;
	i) INSTALL=$OPTARG ;;
	d) DEVICES=$OPTARG ;;
	r) REPEAT=$OPTARG ;;
	*) echo "usage: $0 [-j JOB] [-i apt|none] [-d DEVICES] [-r REPEAT]" >&2; exit 2 ;;
	esac
done
OUT=${DMABENCH_LAVA_OUT:-/tmp/dmabench-lava}

# report NAME pass|fail|skip [MEASUREMENT UNITS]
report() {
	if command -v lava-test-case >/dev/null 2>&1; then
		if [ $# -ge 4 ]; then
			lava-test-case "$1" --result "$2" --measurement "$3" --units "$4"
		else
			lava-test-case "$1" --result "$2"
		fi
	else
		echo "RESULT $*"
	fi
}

case "$INSTALL" in
apt)
	DEBIAN_FRONTEND=noninteractive apt-get update -q &&
		DEBIAN_FRONTEND=noninteractive apt-get install -q -y dmabench dmabench-dkms &&
		modprobe dmabench
	;;
none) ;;
*) echo "dmabench.sh: -i must be apt or none, not '$INSTALL'" >&2; exit 2 ;;
esac
mountpoint -q /sys/kernel/debug 2>/dev/null || mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
if ! [ -e /sys/kernel/debug/dmabench ]; then
	modprobe dmabench 2>/dev/null || insmod /lib/dmabench/dmabench.ko 2>/dev/null
fi
if command -v dmabench >/dev/null 2>&1 && [ -e /sys/kernel/debug/dmabench ]; then
	report install pass
else
	echo "dmabench.sh: no dmabench command or no dmabench.ko loaded (INSTALL=$INSTALL)" >&2
	report install fail
	exit 0
fi

if [ "$DEVICES" = edu ]; then
	DEVICES=
	for d in /sys/bus/pci/devices/*; do
		[ "$(cat "$d/vendor" 2>/dev/null)" = 0x1234 ] &&
			[ "$(cat "$d/device" 2>/dev/null)" = 0x11e8 ] && DEVICES="$DEVICES ${d##*/}"
	done
fi
first=
for d in $DEVICES; do
	drv=$(readlink "/sys/bus/pci/devices/$d/driver" 2>/dev/null || readlink "/sys/bus/platform/devices/$d/driver" 2>/dev/null)
	if [ "${drv##*/}" = dmabench ] || dmabench bind "$d"; then
		report "bind-$d" pass
		[ -n "$first" ] || first=$d
	else
		report "bind-$d" fail
	fi
done

job=$JOB
for dir in /usr/share/dmabench/jobs /usr/local/share/dmabench/jobs /etc/dmabench/jobs; do
	case "$JOB" in */*) break ;; esac
	[ -f "$dir/$JOB" ] && { job=$dir/$JOB; break; }
done
if ! [ -f "$job" ]; then
	echo "dmabench.sh: no job file '$JOB'" >&2
	report sweep fail
	exit 0
fi
rm -rf "$OUT"
set -- sweep "$job" -R "$OUT" -l lava
[ -n "$REPEAT" ] && set -- "$@" -r "$REPEAT"
echo "dmabench.sh: DEVICE=${first:-dmabench.0} dmabench $*"
if DEVICE=${first:-dmabench.0} dmabench "$@" && [ -s "$OUT/lava/results.csv" ]; then
	report sweep pass
else
	report sweep fail
	exit 0
fi

# one line per configuration and phase: NAME RESULT P50_MEDIAN
awk -F, '
function v(n) { return (n in col) ? $col[n] : "" }
NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
{
	gsub(/"/, "")
	# the job file section, then the test when the section has another name
	name = (v("job") == v("test")) ? v("test") : (v("job") "-" v("test"))
	name = name "-" v("size")
	if (v("nents") != "" && v("nents") != "1" && v("nents") != "0") name = name "-n" v("nents")
	if (v("layout") != "") name = name "-" v("layout")
	if (v("scope") != "") name = name "-" v("scope")
	if (v("flush") != "") name = name "-" v("flush")
	name = name "-t" v("threads") "-" v("dir") "-" v("phase")
	gsub(/[^A-Za-z0-9_.-]/, "_", name)
	if (!(name in n)) order[++norder] = name
	vals[name, ++n[name]] = v("p50_ns") + 0
	if (v("status") != "done" || v("errors") + 0 != 0) bad[name] = 1
}
END {
	for (k = 1; k <= norder; k++) {
		name = order[k]; m = n[name]
		for (i = 1; i <= m; i++) a[i] = vals[name, i]
		for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++)
			if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
		med = m % 2 ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2
		print name, (name in bad) ? "fail" : "pass", med
	}
}' "$OUT/lava/results.csv" > "$OUT/cases.txt"
while read -r name result p50; do
	report "$name" "$result" "$p50" ns
done < "$OUT/cases.txt"
exit 0
