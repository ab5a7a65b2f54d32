# shellcheck shell=sh
# t-mapbench.sh: suite "mapbench": the kernel's dma_map_benchmark interface
# that dmabench.ko serves (kmod/dmabench_mapbench.c), driven by the kernel's
# own tool built unchanged (scripts/fetch-mapbench-tool puts
# dma_map_benchmark-6.1, -6.1-64 and -7.2 into the initramfs) and by
# mapbench_check (errno of every bad input).  A tool missing from the
# initramfs skips its cases with the reason.
#
# The device is bound word for word as the kernel's documentation says
# (driver_override, then bind); afterwards it goes back to dmabench.
# The averages of the tool and of `dmabench run` on the same device with
# the same settings are compared: TCG timings, so only against the noise
# of repeated runs (printed as diagnostic lines).  dmabench runs as the tool
# times: every op on its own (--batch 1) with ktime (--clock ktime), no
# warm-up: the same clock and the same bias (its default, batched, is lower
# by about one clock read: see results/accuracy-vm/README).

MB_FILE=/sys/kernel/debug/dma_map_benchmark
MB_DRV=dma_map_benchmark
MB_REPS=3
MB_TOOLS="6.1 6.1-64 7.2"

mapbench_needs_edu=2

mapbench_cases() {
	echo mapbench_drivers mapbench_bind mapbench_second_device_refused
	echo mapbench_errno
	for v in $MB_TOOLS; do echo "mapbench_tool_$v"; done
	echo mapbench_tool_7.2_sg
	echo mapbench_vs_run_single_map mapbench_vs_run_single_unmap
	echo mapbench_vs_run_sg_map mapbench_vs_run_sg_unmap
	echo mapbench_unbind
}

# mb_bind DEV DRIVER: unbind DEV from its driver, bind it to DRIVER the
# kernel's way (driver_override + bind); 0 when DEV ends up on DRIVER.
mb_bind() {
	_p=/sys/bus/pci/devices/$1
	[ -e "$_p/driver" ] && echo "$1" > "$_p/driver/unbind"
	echo "$2" > "$_p/driver_override"
	echo "$1" > "/sys/bus/pci/drivers/$2/bind" 2>/dev/null
	[ "$(drv "$1")" = "$2" ]
}

# mb_avg FILE map|unmap: the tool's average in us
mb_avg() {
	sed -n "s/^average $2 latency(us):\([0-9.]*\) .*/\1/p" "$1" | head -n 1
}

# mb_has_tool BIN: the tool is in the initramfs
mb_has_tool() { [ -x "/usr/bin/$1" ]; }

# mb_tool OUT BIN ARGS...: run the kernel's tool (output in
# /results/OUT.txt); sets MB_MAP, MB_UNMAP (us), or MB_WHY when it failed
mb_tool() {
	_n=$1 _bn=$2 _b=/usr/bin/$2
	shift 2
	MB_MAP='' MB_UNMAP='' MB_WHY=''
	guard 120 "$_b" "$@" > "/results/$_n.txt" 2>&1
	_rc=$?
	if [ $_rc -ne 0 ]; then
		MB_WHY="$_bn $* exited $_rc: $(oneline "/results/$_n.txt")"
		return 1
	fi
	MB_MAP=$(mb_avg "/results/$_n.txt" map)
	MB_UNMAP=$(mb_avg "/results/$_n.txt" unmap)
	if [ -z "$MB_MAP" ] || [ -z "$MB_UNMAP" ]; then
		MB_WHY="$_bn: no average map/unmap latency line: $(oneline "/results/$_n.txt")"
		return 1
	fi
	return 0
}

# mb_dmabench OUT ARGS...: dmabench run on EDU2; sets DB_MAP, DB_UNMAP (us),
# or MB_WHY
mb_dmabench() {
	_n=$1
	shift
	DB_MAP='' DB_UNMAP='' MB_WHY=''
	guard 120 dmabench run --format csv --device "$EDU2" --batch 1 \
		--clock ktime --warmup 0 "$@" \
		> "/results/$_n.csv" 2> "/tmp/t/$_n.err" ||
		{ MB_WHY="dmabench run $*: $(oneline "/tmp/t/$_n.err")"; return 1; }
	DB_MAP=$(csvq "/results/$_n.csv" 'if (v("phase") == "map") printf "%.3f\n", v("mean_ns") / 1000' | head -n 1)
	DB_UNMAP=$(csvq "/results/$_n.csv" 'if (v("phase") == "unmap") printf "%.3f\n", v("mean_ns") / 1000' | head -n 1)
	case "$DB_MAP$DB_UNMAP" in
	''|*[!0-9.]*) MB_WHY="dmabench run $*: no map/unmap mean_ns in the CSV"; return 1 ;;
	esac
	return 0
}

# mb_agree NAME "TOOL VALUES" "DMABENCH VALUES": the medians differ by at
# most the noise: the larger of the two spreads (max - min of the repeats),
# half the larger median, and 0.2 us (the tool truncates each sample to
# 100 ns and prints 0.1 us).
mb_agree() {
	_why=$(echo "$2 | $3" | awk '
	function med(s,   a, n, i, j, t) {
		n = split(s, a, " ")
		for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++)
			if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
		lo = a[1] + 0; hi = a[n] + 0
		return a[int((n + 1) / 2)] + 0
	}
	{
		split($0, h, "|")
		mt = med(h[1]); st = hi - lo
		md = med(h[2]); sd = hi - lo
		if (mt <= 0 || md <= 0) { print "no value: tool " h[1] ", dmabench " h[2]; exit }
		tol = st > sd ? st : sd
		m = mt > md ? mt : md
		# TCG: three repeats under a loaded host miss outliers that move a
		# mean 2x (5.10 saw 3.9 vs 7.7 us): a floor of half the median still
		# catches what this guards (units, 100 ns steps, the wrong thing timed)
		if (tol < 0.5 * m) tol = 0.5 * m
		if (tol < 0.2) tol = 0.2
		d = mt - md; if (d < 0) d = -d
		printf "median tool %.2f us, dmabench %.2f us, |diff| %.2f, allowed %.2f (TCG)\n", mt, md, d, tol > "/dev/stderr"
		if (d > tol) printf "tool %.2f us vs dmabench %.2f us: differ by %.2f, more than the noise %.2f (TCG)", mt, md, d, tol
	}' 2>"/tmp/t/$1.info")
	ktap_diag "$1: $(cat "/tmp/t/$1.info")"
	check "$1" "$_why"
}

# mb_compare NAME TOOLBIN "TOOL ARGS" "DMABENCH ARGS": cases NAME_map and
# NAME_unmap.  The two take turns (tool, dmabench, tool, ...), so a slow
# spell of the emulating host hits both rather than one.
mb_compare() {
	if ! mb_has_tool "$2"; then
		ktap_skip_cases "/usr/bin/$2 is not in the initramfs (scripts/fetch-mapbench-tool)" "$1_map" "$1_unmap"
		return
	fi
	_tm='' _tu='' _dm='' _du='' _i=1 MB_WHY=''
	while [ $_i -le $MB_REPS ]; do
		mb_bind "$EDU2" "$MB_DRV" || { MB_WHY="cannot bind $EDU2 to $MB_DRV"; break; }
		# shellcheck disable=SC2086  # word splitting of the argument lists
		mb_tool "$1_tool_$_i" "$2" $3 || break
		_tm="$_tm $MB_MAP" _tu="$_tu $MB_UNMAP"
		mb_bind "$EDU2" dmabench || { MB_WHY="cannot bind $EDU2 back to dmabench"; break; }
		# shellcheck disable=SC2086
		mb_dmabench "$1_dmabench_$_i" $4 || break
		_dm="$_dm $DB_MAP" _du="$_du $DB_UNMAP"
		_i=$((_i + 1))
	done
	if [ -n "$MB_WHY" ]; then
		ktap_fail "$1_map" "$MB_WHY"
		ktap_fail "$1_unmap" "$MB_WHY"
		return
	fi
	ktap_diag "$1: map us: tool$_tm, dmabench$_dm; unmap us: tool$_tu, dmabench$_du (TCG)"
	mb_agree "$1_map" "$_tm" "$_dm"
	mb_agree "$1_unmap" "$_tu" "$_du"
}

mapbench_run() {
	why=
	[ -d "/sys/bus/pci/drivers/$MB_DRV" ] || why="no PCI driver $MB_DRV"
	[ -n "$why" ] || [ -d "/sys/bus/platform/drivers/$MB_DRV" ] || why="no platform driver $MB_DRV"
	[ -n "$why" ] || [ ! -e "$MB_FILE" ] || why="$MB_FILE exists before a device is bound"
	check mapbench_drivers "$why"

	# the kernel's documented steps, word for word
	why=
	guard 30 dmabench unbind "$EDU2" > /tmp/t/mb.out 2>&1 || why="dmabench unbind $EDU2: $(oneline /tmp/t/mb.out)"
	if [ -z "$why" ]; then
		echo "$MB_DRV" > "/sys/bus/pci/devices/$EDU2/driver_override"
		echo "$EDU2" > "/sys/bus/pci/drivers/$MB_DRV/bind" || why="bind to $MB_DRV failed"
	fi
	[ -n "$why" ] || [ -e "$MB_FILE" ] || why="no $MB_FILE after binding $EDU2"
	check mapbench_bind "$why"
	if [ -n "$why" ]; then
		mb_bind "$EDU2" dmabench >/dev/null 2>&1
		ktap_skip_rest "$EDU2 could not be bound to $MB_DRV"
		return
	fi

	# a second device: the file exists once, the probe fails cleanly
	why=
	mb_bind "$EDU1" "$MB_DRV" && why="$EDU1 bound as well: two devices, one file"
	[ "$(drv "$EDU1")" = "" ] || [ -n "$why" ] || why="$EDU1 on $(drv "$EDU1")"
	mb_bind "$EDU1" dmabench || why="${why:-cannot bind $EDU1 back to dmabench}"
	check mapbench_second_device_refused "$why"

	# mapbench_check's "PASS name" / "FAIL name: why" lines are subtests
	if mb_has_tool mapbench_check; then
		guard 120 mapbench_check > /results/mapbench_check.txt 2>&1
		rc=$?
		sed 's/^INFO /NOTE /' /results/mapbench_check.txt > /tmp/t/mbc.txt
		if [ $rc -ne 0 ] && ! grep -q '^FAIL ' /tmp/t/mbc.txt; then
			echo "FAIL mapbench_check_exit: exit $rc: $(grep -v '^PASS\|^NOTE' /tmp/t/mbc.txt | head -n 1 | cut -c 1-200)" >> /tmp/t/mbc.txt
		fi
		grep -qE '^(PASS|FAIL) ' /tmp/t/mbc.txt ||
			echo "FAIL mapbench_check_output: no result line (exit $rc)" >> /tmp/t/mbc.txt
		ktap_subtests mapbench_errno /tmp/t/mbc.txt
	else
		ktap_skip mapbench_errno "/usr/bin/mapbench_check is not in the initramfs"
	fi

	# the tool, unchanged, each build; the 6.1 one with the 64-byte header
	for mb_v in $MB_TOOLS; do
		if ! mb_has_tool "dma_map_benchmark-$mb_v"; then
			ktap_skip "mapbench_tool_$mb_v" "/usr/bin/dma_map_benchmark-$mb_v is not in the initramfs (scripts/fetch-mapbench-tool)"
			continue
		fi
		mb_tool "mapbench_tool_$mb_v" "dma_map_benchmark-$mb_v" -s 1 -t 2 -g 2
		check "mapbench_tool_$mb_v" "$MB_WHY"
	done
	if ! mb_has_tool dma_map_benchmark-7.2; then
		ktap_skip mapbench_tool_7.2_sg "/usr/bin/dma_map_benchmark-7.2 is not in the initramfs (scripts/fetch-mapbench-tool)"
	elif mb_tool mapbench_tool_7.2_sg dma_map_benchmark-7.2 -m 1 -g 8 -s 1; then
		why=
		grep -q 'SG_MODE' /results/mapbench_tool_7.2_sg.txt ||
			why="the tool did not report SG mode: $(oneline /results/mapbench_tool_7.2_sg.txt)"
		check mapbench_tool_7.2_sg "$why"
	else
		ktap_fail mapbench_tool_7.2_sg "$MB_WHY"
	fi

	# the same numbers as dmabench's own, on the same device and settings
	mb_compare mapbench_vs_run_single dma_map_benchmark-6.1 "-s 2 -t 1 -g 1 -b 32 -d 0" \
		"--test map_single --size 4K --threads 1 --seconds 2 --dma-mask-bits 32 --dir bidir"
	mb_compare mapbench_vs_run_sg dma_map_benchmark-7.2 "-m 1 -g 8 -s 2 -t 1 -b 32 -d 0" \
		"--test map_sg --nents 8 --seg-size 4K --layout scattered --threads 1 --seconds 2 --dma-mask-bits 32 --dir bidir"

	# back to dmabench as the other suites expect; the file goes with the
	# device
	mb_bind "$EDU2" dmabench >/dev/null 2>&1
	why=
	[ "$(drv "$EDU2")" = dmabench ] || why="$EDU2 is on '$(drv "$EDU2")', not dmabench"
	[ -n "$why" ] || [ ! -e "$MB_FILE" ] || why="$MB_FILE left after the unbind"
	check mapbench_unbind "$why"
}
