# shellcheck shell=sh
# t-accuracy.sh: suite "accuracy" (issue 15): how much of a measurement is
# the clock.  The synthetic test (kmod/test_synthetic.c: a chain of N
# multiply-adds, its known cost the fastest of 31 windows the module
# times itself) at costs from ~10x below to ~100x above one clock read: the
# default batched timing must find the known cost within 2 % (an expected
# failure, XFAIL, in TCG: see results/accuracy-vm/README), --batch 1
# shows the clock's bias (p50 of the samples: TCG's outliers, a host that
# deschedules the vCPU, move means, not medians; the table goes to
# /results/accuracy_synthetic.txt);
# map_single 4K on dmabench.0 (dma-direct) and on an edu device with an
# identity domain: clock_share <= 2 % by default, today's share with
# --batch 1; warm-up, drift and timing columns; --cache cold; the raw clock
# used or refused with its reason.  TCG timings: emulation numbers.

accuracy_needs_edu=0

ACC_COSTS="0.1 1 10 100"

accuracy_cases() {
	echo synthetic_clock
	for f in $ACC_COSTS; do echo "synthetic_${f}x"; done
	echo map_single_direct_share map_single_identity_share
	echo timing_columns cache_cold raw_clock
}

# acc_known STEPS: the module's known cost (ns) of the last synthetic setup
# of STEPS steps, from the kernel log
acc_known() {
	dmesg | awk -v s="$1" '$0 ~ "synthetic: " s " steps: known cost" {
		for (i = 1; i <= NF; i++) if ($i == "cost") v = $(i + 1) } END { print v }'
}

# acc_col FILE COLUMN: COLUMN of the first row of FILE
acc_col() {
	csvq "$1" "if (rows == 1) printf \"%s\\n\", v(\"$2\")" | head -n 1
}

accuracy_run() {
	# the cost of one clock read and of one step of the synthetic op
	dmarun acc_clock 120 --test synthetic --size 1048576 --batch 1 \
		--iterations 20
	ACC_CLOCK=$(acc_col /results/acc_clock.csv timer_overhead_ns)
	ACC_BIG=$(acc_known 1048576)
	why=
	if [ "$RC" -ne 0 ]; then why="exit $RC: $ERR"
	elif [ -z "$ACC_CLOCK" ] || [ -z "$ACC_BIG" ]; then
		why="no clock cost ('$ACC_CLOCK') or no known cost in the kernel log ('$ACC_BIG')"
	fi
	check synthetic_clock "$why"
	if [ -n "$why" ]; then
		# shellcheck disable=SC2046  # the case names, one word each
		ktap_skip_cases "no clock cost" $(for f in $ACC_COSTS; do echo "synthetic_${f}x"; done)
	else
		ktap_diag "clock $(acc_col /results/acc_clock.csv clock): $ACC_CLOCK ns a read; synthetic: $ACC_BIG ns per 2^20 steps (TCG)"
		echo "cost/clock steps known_ns batched_p50_ns batched_err_pct timing per_op_p50_ns per_op_err_pct (TCG emulation)" \
			> /results/accuracy_synthetic.txt
		for f in $ACC_COSTS; do acc_synthetic "$f"; done
	fi
	acc_share direct dmabench.0
	if [ -z "$EDU1" ]; then
		ktap_skip map_single_identity_share "no edu device"
	elif ! kver_ge 5 11; then
		ktap_skip map_single_identity_share "Linux $(uname -r) cannot switch a group's domain type in sysfs (5.11)"
	else
		acc_share identity "$EDU1" --domain identity
	fi
	acc_columns
	dmarun acc_cold 120 --test map_single --size 4K --cache cold --iterations 500
	check cache_cold "$([ "$RC" -eq 0 ] || echo "exit $RC: $ERR")$(
		[ "$RC" -eq 0 ] && csvq /results/acc_cold.csv "$PHASE_CHECK")"
	acc_raw
}

# acc_synthetic F: a synthetic op of about F clock reads, batched (default)
# and --batch 1, against its known cost
acc_synthetic() {
	steps=$(awk -v f="$1" -v c="$ACC_CLOCK" -v b="$ACC_BIG" \
		'BEGIN { s = int(f * c / (b / 1048576) + 0.5); print s < 1 ? 1 : s }')
	dmarun "acc_syn_$1" 120 --test synthetic --size "$steps" --seconds 1
	rc1=$RC err1=$ERR known=$(acc_known "$steps")
	dmarun "acc_syn1_$1" 120 --test synthetic --size "$steps" --batch 1 --seconds 1
	known1=$(acc_known "$steps")
	why=
	if [ "$rc1" -ne 0 ] || [ "$RC" -ne 0 ]; then why="exit $rc1/$RC: $err1 $ERR"
	elif [ -z "$known" ]; then why="no known cost of $steps steps in the kernel log"
	else
		b=$(acc_col "/results/acc_syn_$1.csv" p50_ns)
		n=$(acc_col "/results/acc_syn_$1.csv" timing)
		p=$(acc_col "/results/acc_syn1_$1.csv" p50_ns)
		line=$(awk -v f="$1" -v s="$steps" -v k="$known" -v k1="$known1" -v b="$b" -v n="$n" -v p="$p" 'BEGIN {
			printf "%sx %d %.1f %.1f %+.2f %s %.1f %+.1f\n", f, s, k, b,
				(b - k) * 100 / k, n, p, (p - k1) * 100 / k1 }')
		echo "$line" >> /results/accuracy_synthetic.txt
		ktap_diag "synthetic ${1}x clock: $line (TCG)"
		why=$(awk -v b="$b" -v k="$known" -v f="$1" 'BEGIN {
			e = (b - k) * 100 / k; if (e < 0) e = -e
			if (e > 2) printf "batched p50 %.1f ns is %.2f %% off the known %.1f ns (want <= 2 %%)", b, e, k }')
	fi
	# TCG: the host deschedules the vCPU at will; 2 % is a hardware claim
	if [ -n "$why" ] && [ -z "${why%%batched p50*}" ] &&
	   [ "$DMABENCH_PLATFORM" = qemu-tcg ]; then
		ktap_xfail "synthetic_${1}x" "TCG emulation: $why"
	else
		check "synthetic_${1}x" "$why"
	fi
}

# acc_share NAME DEVICE [ARGS]: map_single 4K, default then --batch 1: the
# default's clock_share <= 2 %, --batch 1's above it
acc_share() {
	sh_name=$1 sh_dev=$2
	shift 2
	dmarun "acc_${sh_name}" 180 --test map_single --device "$sh_dev" --size 4K --seconds 1 "$@"
	rc1=$RC err1=$ERR
	dmarun "acc_${sh_name}_b1" 180 --test map_single --device "$sh_dev" --size 4K --seconds 1 --batch 1 "$@"
	why=
	if [ "$rc1" -ne 0 ] || [ "$RC" -ne 0 ]; then why="exit $rc1/$RC: $err1 $ERR"
	else
		why=$(csvq "/results/acc_${sh_name}.csv" 'if (v("clock_share") + 0 > 2) bad(w ": clock_share " v("clock_share") " % (" v("timing") ") above 2 %")')
		s=$(csvq "/results/acc_${sh_name}.csv" 'printf "%s %s %s %s; ", v("phase"), v("timing"), v("mean_ns"), v("clock_share")')
		s1=$(csvq "/results/acc_${sh_name}_b1.csv" 'printf "%s %s %s %s; ", v("phase"), v("timing"), v("mean_ns"), v("clock_share")')
		ktap_diag "map_single 4K $sh_name: phase timing mean_ns clock_share%: default $s --batch 1 $s1 (TCG)"
	fi
	check "map_single_${sh_name}_share" "$why"
}

# the timing columns of a default run: timing, clock, warm-up 100 x threads
acc_columns() {
	dmarun acc_cols 120 --test map_single --size 4K --threads 2 --iterations 400
	why=
	if [ "$RC" -ne 0 ]; then why="exit $RC: $ERR"
	else
		why=$(csvq /results/acc_cols.csv '
			if (v("timing") !~ /^(op|batch:[0-9]+)$/) bad(w ": timing " v("timing"))
			if (v("clock") !~ /^(ktime|tsc|cntvct)$/) bad(w ": clock " v("clock"))
			if (v("warmup_ops") != 200) bad(w ": warmup_ops " v("warmup_ops") " (want 2 threads x 100)")
			if (v("drift_pct") == "") bad(w ": no drift_pct")
			if (v("ops") != 800) bad(w ": ops " v("ops") " (want 2 x 400)")')
	fi
	check timing_columns "$why"
}

# --clock raw: used where the counter is constant, else refused (EOPNOTSUPP,
# the kernel log saying why, dmabench naming the option)
acc_raw() {
	dmarun acc_raw 120 --test map_single --size 4K --clock raw --iterations 200
	why=
	if [ "$RC" -eq 0 ]; then
		c=$(acc_col /results/acc_raw.csv clock)
		case "$c" in tsc|cntvct) ktap_diag "raw clock: $c, $(acc_col /results/acc_raw.csv timer_overhead_ns) ns a read, resolution $(acc_col /results/acc_raw.csv clock_res_ns) ns (TCG)" ;;
		*) why="--clock raw ran with clock '$c'" ;;
		esac
	elif ! dmesg | tail -n 20 | grep -q "run: no raw clock here: .*: use clock 0 (auto) or 1 (ktime)"; then
		why="refused (exit $RC) without the kernel's reason: $ERR"
	elif [ -n "${ERR##*--clock raw: *}" ]; then
		why="refused (exit $RC), but dmabench did not name --clock raw: $ERR"
	else
		ktap_diag "raw clock refused: $(dmesg | grep 'no raw clock here' | tail -n 1 | cut -c 1-160)"
	fi
	check raw_clock "$why"
}
