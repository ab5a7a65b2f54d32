#!/bin/sh
# batch-sweep.sh STEPS...: guest script (scripts/vm-run --script) for
# results/accuracy-vm: the synthetic op of STEPS steps timed with
# --batch 1 .. 4096, 1 s each: how the batched p50 moves with the length
# of a batch (TCG emulation figures); CSVs and batchsweep.txt in /results.
for steps in "$@"; do
	for b in 1 8 32 128 512 2048 4096; do
		dmesg -c > /dev/null
		dmabench run --test synthetic --size "$steps" --batch "$b" --seconds 1 --format csv > "/results/b_${steps}_$b.csv" 2> /dev/null
		known=$(dmesg | sed -n 's/.*synthetic: [0-9]* steps: known cost \([0-9.]*\) ns.*/\1/p' | tail -n 1)
		awk -F, -v s="$steps" -v b="$b" -v k="$known" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
			{ printf "steps %s batch %s known %s p50 %s min %s mean %s err %+.1f %%\n", s, b, k, $c["p50_ns"], $c["min_ns"], $c["mean_ns"], ($c["p50_ns"] - k) * 100 / k }' "/results/b_${steps}_$b.csv"
	done
done | tee /results/batchsweep.txt
