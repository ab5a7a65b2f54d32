// SPDX-License-Identifier: GPL-2.0
/*
 * synthetic: ground truth for the timing engine, no DMA.  Its one phase,
 * "op", runs a chain of buf_size dependent multiply-adds (1 .. 64 Mi
 * steps), so its cost grows with buf_size and does not depend on how it
 * is timed.  Before the run, thread 0 times the op itself: as many calls
 * as fill a window of at least SYNTHETIC_REF_NS between two ktime reads
 * (two clock reads are then a few 1e-3 of it even in TCG), through the
 * same function pointer the engine calls, SYNTHETIC_WINDOWS times, and
 * logs the fastest as the known cost ("synthetic: ...").
 * Batched timing must find it; timing every op on its own shows the
 * clock's bias (the guest suite "accuracy" checks both).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/compiler.h>
#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/ktime.h>

#include "dmabench.h"

#define SYNTHETIC_REF_NS	(200 * NSEC_PER_USEC)
#define SYNTHETIC_WINDOWS	31
#define SYNTHETIC_MAX_CALLS	(1ULL << 32)

/* s->size dependent steps; the last value goes to s->dma, kept live. */
static int synthetic_op(struct dmabench_thread *t, struct dmabench_slot *s)
{
	u64 x = s->size, n = s->size;

	while (n--) {
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		OPTIMIZER_HIDE_VAR(x);
	}
	s->dma = (dma_addr_t)x;
	return 0;
}

/*
 * Thread 0: the known cost of one op, the fastest of SYNTHETIC_WINDOWS
 * windows of at least SYNTHETIC_REF_NS each: interrupts, the scheduler
 * and (in TCG) a host that deschedules the vCPU only ever add time.
 */
static int synthetic_setup(struct dmabench_thread *t)
{
	int (*op)(struct dmabench_thread *t, struct dmabench_slot *s) =
		READ_ONCE(t->test->ops->phase[0].op);
	struct dmabench_slot s = { .size = t->p->size };
	u64 per_op[SYNTHETIC_WINDOWS], calls = 1, i, t0, dt;
	unsigned int w, j;

	if (t->id)
		return 0;
	for (w = 0; w < SYNTHETIC_WINDOWS; w++) {
		for (;;) {
			t0 = ktime_get_ns();
			for (i = 0; i < calls; i++)
				op(t, &s);
			dt = ktime_get_ns() - t0;
			if (dt >= SYNTHETIC_REF_NS ||
			    calls >= SYNTHETIC_MAX_CALLS)
				break;
			calls *= 2;
		}
		/* ps per op, sorted in as it comes */
		per_op[w] = div64_u64(dt * 1000, calls);
		for (j = w; j && per_op[j - 1] > per_op[j]; j--)
			swap(per_op[j - 1], per_op[j]);
	}
	i = per_op[0];
	pr_info("synthetic: %zu steps: known cost %llu.%03llu ns per op (fastest of %u windows of %llu ops)\n",
		s.size, i / 1000, i % 1000, SYNTHETIC_WINDOWS, calls);
	return 0;
}

const struct dmabench_test_ops dmabench_ops_synthetic = {
	.setup		= synthetic_setup,
	.nmake		= 1,
	.phase = {
		{ NULL, synthetic_op, NULL },
	},
};
