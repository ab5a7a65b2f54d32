# shellcheck shell=sh
# t-lifecycle.sh: suite "lifecycle": a run cancelled with SIGINT, a second
# run on a busy device refused, unbind during a run and bind again, more
# threads than CPUs; at the end unbind every device, rmmod, and the guest's
# kernel log clean.  Second boot: the unbind/rmmod/log part.  Runs last: it
# unloads the module.

lifecycle_needs_edu=1

lifecycle_cases() {
	if [ "$SUITE" = full ]; then
		echo cancel_sigint busy unbind_during_run rebind threads_2x_cpus
	fi
	echo unbind_all rmmod guest_dmesg_clean dma_api_debug_clean kmemleak_clean
}

lifecycle_run() {
	if [ "$SUITE" = full ]; then
		t_cancel
		t_busy
		t_unbind_running
		t_threads_many
	fi
	t_unload
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
		[ -n "$why" ] || ktap_diag "cancel: exit $WRC, ${dt}s after SIGINT"
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
			ktap_diag "unbind during run: run exit $WRC, ${dt}s after unbind"
			grep -q device-gone /results/unbind_running.csv ||
				ktap_diag "note: no device-gone row: $(oneline /tmp/t/ub.err)"
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
	t_debug_reports
}


# The kernel's own debug reports, where its config has them (Debian's
# kernels build neither CONFIG_DMA_API_DEBUG nor CONFIG_DEBUG_KMEMLEAK:
# with them these skip; an own kernel, vm-test --kernel-image, runs them):
# dma-debug's error count after every run, and a kmemleak scan after rmmod.
t_debug_reports() {
	d=/sys/kernel/debug/dma-api
	if [ ! -r $d/error_count ]; then
		ktap_skip dma_api_debug_clean "Linux $(uname -r) has no DMA-API debugging (CONFIG_DMA_API_DEBUG)"
	elif [ "$(cat $d/disabled 2>/dev/null)" = 1 ]; then
		ktap_skip dma_api_debug_clean "DMA-API debugging is disabled (dma_debug=off, or it ran out of entries)"
	else
		check dma_api_debug_clean "$([ "$(cat $d/error_count)" = 0 ] ||
			echo "dma-debug counted $(cat $d/error_count) errors: $(dmesg | grep 'DMA-API' | head -n 1 | cut -c 1-160)")"
	fi
	k=/sys/kernel/debug/kmemleak
	if [ ! -w $k ]; then
		ktap_skip kmemleak_clean "Linux $(uname -r) has no kmemleak (CONFIG_DEBUG_KMEMLEAK), or it is off"
	else
		echo scan > $k 2> /dev/null
		sleep 5
		echo scan > $k 2> /dev/null
		cat $k > /tmp/t/kmemleak.out 2> /dev/null
		check kmemleak_clean "$(grep -q 'unreferenced object' /tmp/t/kmemleak.out &&
			echo "$(grep -c 'unreferenced object' /tmp/t/kmemleak.out) suspected leaks; first: $(grep -A 12 'unreferenced object' /tmp/t/kmemleak.out | grep -m 1 -E 'dmabench|\[<' | cut -c 1-120)")"
	fi
}
