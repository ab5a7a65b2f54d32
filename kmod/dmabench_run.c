// SPDX-License-Identifier: GPL-2.0
/*
 * DMABENCH_IOC_RUN: validate, create the threads, release them together,
 * wait (interruptibly), merge the per-thread histograms, copy them out.
 *
 * Each thread owns its statistics: nothing shared is written inside the
 * timed loop.  The loop calls cond_resched() every iteration, so threads
 * = 2 x CPUs cannot lock up a non-preemptible kernel.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/cpumask.h>
#include <linux/dma-mapping.h>
#include <linux/kthread.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/nodemask.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/swiotlb.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>
#include <linux/wait.h>

#include "compat.h"
#include "dmabench.h"

#define DMABENCH_MAX_DURATION_NS	(3600ULL * NSEC_PER_SEC)
#define DMABENCH_TIMER_READS		10000
#define DMABENCH_TIMER_BLOCKS		9
/*
 * batch 0: the clock at most 2 % of a batch, from DMABENCH_CALIBRATE_OPS
 * ops: aim at 0.5 % (per mille) so that the calibration's noise keeps
 * it under 2 % (aiming at 1 %, an x86_64 5.10 TCG run saw 2.25 %)
 */
#define DMABENCH_CLOCK_SHARE_PERMILLE	5
#define DMABENCH_CALIBRATE_OPS		64
#define DMABENCH_CALIBRATE_BLOCK	16	/* ops per timed calibration block */
#define DMABENCH_CALIBRATE_ROUNDS	8	/* blocks at least */
/* batch 0: buffers (iommu_map: IOVA mapped) per thread at most (4 KiB: 4096) */
#define DMABENCH_AUTO_BATCH_BYTES	(16U << 20)
#define DMABENCH_MAX_WARMUP		10000000U

struct dmabench_ctx {
	const struct dmabench_test *test;
	struct dmabench_dev *const *devs;	/* the run's devices */
	unsigned int ndevs;
	struct dmabench_params p;
	u64 iterations;
	u64 duration_ns;
	u64 duration_ticks;		/* duration_ns in clock ticks */
	struct dmabench_clk clk;
	unsigned int batch;		/* ops per timed batch, slots per thread */
	u64 warmup;			/* untimed ops per thread first */
	bool hist2;			/* second-half histograms asked for */
	bool go;
	bool interrupted;
	atomic_t ready;			/* threads still in setup() */
	atomic_t active;		/* threads not finished */
	atomic_t failed;		/* first thread whose setup failed */
	wait_queue_head_t wq;		/* the ioctl waits here */
	wait_queue_head_t go_wq;	/* the threads wait here */
	unsigned int nthreads;
	struct dmabench_thread *th;
	struct task_struct **tsk;
};

static const enum dma_data_direction dmabench_dirs[] = {
	[DMABENCH_DIR_BIDIR]		= DMA_BIDIRECTIONAL,
	[DMABENCH_DIR_TO_DEVICE]	= DMA_TO_DEVICE,
	[DMABENCH_DIR_FROM_DEVICE]	= DMA_FROM_DEVICE,
};

/* dmabench_run.attrs -> DMA_ATTR_* */
static const unsigned long dmabench_attrs[] = {
	DMA_ATTR_WRITE_COMBINE,
	DMA_ATTR_NO_KERNEL_MAPPING,
	DMA_ATTR_FORCE_CONTIGUOUS,
	DMA_ATTR_ALLOC_SINGLE_PAGES,
};

static bool dmabench_cpu_bit(const u64 *cpus, unsigned int b)
{
	return (cpus[b / 64] >> (b % 64)) & 1;
}

static unsigned int dmabench_ncpus(const u64 *cpus)
{
	unsigned int i, n = 0;

	for (i = 0; i < DMABENCH_MAX_CPUS / 64; i++)
		n += hweight64(cpus[i]);
	return n;
}

/* The @n-th set bit of @cpus (counting from 0); @n < dmabench_ncpus(). */
static unsigned int dmabench_nth_cpu(const u64 *cpus, unsigned int n)
{
	unsigned int b;

	for (b = 0; b < DMABENCH_MAX_CPUS; b++)
		if (dmabench_cpu_bit(cpus, b) && n-- == 0)
			return b;
	return 0;
}

/*
 * Every field @r sets must be one @test takes (fields= in the tests file);
 * @iommu_run: the request came with struct dmabench_iommu_run.
 */
static int dmabench_run_check_fields(const struct dmabench_run *r,
				     const struct dmabench_test *test,
				     bool iommu_run)
{
	u32 extra = dmabench_run_fields(r) |
		    (iommu_run ? DMABENCH_FIELD_IOMMU : 0);

	extra &= ~test->fields;
	if (!extra)
		return 0;
	pr_err_ratelimited("run: test %s does not take %s (fields=0x%x in the tests file): leave it unset, or pick a test that takes it\n",
			   test->name, dmabench_field_name(extra & -extra),
			   test->fields);
	return -EINVAL;
}

/* The values of map_sg, alloc, coherency and align; one line per failure. */
static int dmabench_run_check_dma(const struct dmabench_run *r)
{
	const u32 nents = r->nents ? r->nents : 1;

	if (r->nents > DMABENCH_MAX_NENTS) {
		pr_err_ratelimited("run: nents %u is above %u: use 0 (one entry) .. %u\n",
				   r->nents, DMABENCH_MAX_NENTS,
				   DMABENCH_MAX_NENTS);
		return -EINVAL;
	}
	if (r->sg_layout > DMABENCH_SG_SCATTERED) {
		pr_err_ratelimited("run: unknown sg_layout %u: use 0 contiguous or 1 scattered\n",
				   r->sg_layout);
		return -EINVAL;
	}
	if (r->seg_size > DMABENCH_MAX_SIZE / nents) {
		pr_err_ratelimited("run: nents %u x seg_size %llu is above %llu bytes: use fewer or smaller entries\n",
				   nents, r->seg_size, DMABENCH_MAX_SIZE);
		return -EINVAL;
	}
	if (!r->seg_size && r->buf_size < nents) {
		pr_err_ratelimited("run: buf_size %llu / nents %u leaves 0 bytes per entry: use a buf_size of at least nents bytes, or set seg_size\n",
				   r->buf_size, nents);
		return -EINVAL;
	}
	if (r->align >= PAGE_SIZE) {
		pr_err_ratelimited("run: align %u is not an offset within a page: use 0 .. %lu\n",
				   r->align, PAGE_SIZE - 1);
		return -EINVAL;
	}
	if (r->attrs & ~DMABENCH_ATTRS_ALL) {
		pr_err_ratelimited("run: unknown attrs 0x%x: use WRITE_COMBINE 0x1, NO_KERNEL_MAPPING 0x2, FORCE_CONTIGUOUS 0x4, ALLOC_SINGLE_PAGES 0x8\n",
				   r->attrs);
		return -EINVAL;
	}
	if ((r->attrs & DMABENCH_ATTR_FORCE_CONTIGUOUS) &&
	    (r->attrs & DMABENCH_ATTR_ALLOC_SINGLE_PAGES)) {
		pr_err_ratelimited("run: attrs FORCE_CONTIGUOUS and ALLOC_SINGLE_PAGES contradict each other: pick one\n");
		return -EINVAL;
	}
	if (r->coherency > DMABENCH_COHERENCY_NONCOHERENT) {
		pr_err_ratelimited("run: unknown coherency %u: use 0 device, 1 coherent or 2 noncoherent\n",
				   r->coherency);
		return -EINVAL;
	}
	if (r->coherency != DMABENCH_COHERENCY_DEVICE &&
	    !dmabench_coherency_settable()) {
		pr_err_ratelimited("run: coherency cannot be forced on this architecture: %s: use 0 (device)\n",
				   IS_ENABLED(CONFIG_X86) ?
				   "x86 DMA is always cache-coherent" :
				   "its DMA coherency is not per device");
		return -EOPNOTSUPP;
	}
	return 0;
}

/*
 * The frequency of the raw counter if it is usable as a clock: constant
 * rate, counting in every state, trusted by the kernel; 0 if not.
 */
static u64 dmabench_raw_hz(void)
{
#if defined(CONFIG_X86)
	if (!boot_cpu_has(X86_FEATURE_CONSTANT_TSC) ||
	    !boot_cpu_has(X86_FEATURE_NONSTOP_TSC) || check_tsc_unstable())
		return 0;
	return (u64)tsc_khz * 1000;
#elif DMABENCH_HAVE_RAW_CLOCK
	return arch_timer_get_cntfrq();
#else
	return 0;
#endif
}

/* What the raw clock lacks here, for the one pr_err line. */
static const char *dmabench_raw_why(void)
{
	if (IS_ENABLED(CONFIG_X86))
		return "the TSC is not constant_tsc + nonstop_tsc, or the kernel marked it unstable";
	if (DMABENCH_HAVE_RAW_CLOCK)
		return "the arch timer reports no frequency (CNTFRQ 0)";
	return "this architecture has no raw counter dmabench reads";
}

/* batch, clock, warm-up, cache and hist2_ptr; one line per failure. */
static int dmabench_run_check_timing(const struct dmabench_run *r)
{
	if (r->batch > DMABENCH_MAX_BATCH) {
		pr_err_ratelimited("run: batch %u is above %u: use 0 (auto), 1 (every op timed) .. %u\n",
				   r->batch, DMABENCH_MAX_BATCH,
				   DMABENCH_MAX_BATCH);
		return -EINVAL;
	}
	if (r->clock > DMABENCH_CLOCK_RAW) {
		pr_err_ratelimited("run: unknown clock %u: use 0 auto, 1 ktime or 2 raw\n",
				   r->clock);
		return -EINVAL;
	}
	if (r->clock == DMABENCH_CLOCK_RAW && !dmabench_raw_hz()) {
		pr_err_ratelimited("run: no raw clock here: %s: use clock 0 (auto) or 1 (ktime)\n",
				   dmabench_raw_why());
		return -EOPNOTSUPP;
	}
	if (r->warmup > DMABENCH_MAX_WARMUP) {
		pr_err_ratelimited("run: warmup %u is above %u ops: use fewer\n",
				   r->warmup, DMABENCH_MAX_WARMUP);
		return -EINVAL;
	}
	if (r->cache > DMABENCH_CACHE_COLD) {
		pr_err_ratelimited("run: unknown cache %u: use 0 hot or 1 cold\n",
				   r->cache);
		return -EINVAL;
	}
	if (r->cache == DMABENCH_CACHE_COLD && !DMABENCH_HAVE_EVICT) {
		pr_err_ratelimited("run: cache cold: dmabench cannot evict a buffer from the CPU caches on this architecture: use 0 (hot)\n");
		return -EOPNOTSUPP;
	}
	return 0;
}

/*
 * Every check that needs no allocation; one pr_err line per failure.  The
 * ioctl front has checked hdr (IOMMU_RUN: the handler, of the nested run).
 */
static int dmabench_run_check(struct dmabench_run *r, bool iommu_run,
			      const struct dmabench_test **testp)
{
	const struct dmabench_test *test;
	u64 hist_need;
	unsigned int b;
	int ret;

	if (r->flags & ~DMABENCH_RUN_FLAGS) {
		pr_err_ratelimited("run: unknown flags 0x%x: only 0x%x (bounce) is defined\n",
				   r->flags, DMABENCH_RUN_FLAGS);
		return -EINVAL;
	}
	if (r->pad_in || memchr_inv(r->reserved_in, 0, sizeof(r->reserved_in))) {
		pr_err_ratelimited("run: pad_in and reserved_in must be 0: clear the structure first\n");
		return -EINVAL;
	}
	if (dmabench_check_name(r->device, sizeof(r->device), "run: device") ||
	    dmabench_check_name(r->test, sizeof(r->test), "run: test"))
		return -EINVAL;
	test = dmabench_find_test(r->test);
	if (!test) {
		if (!dmabench_test_lacking(r->test, "run: test"))
			pr_err_ratelimited("run: unknown test \"%s\": see the tests file\n",
					   r->test);
		return -ENOENT;
	}
	ret = dmabench_run_check_fields(r, test, iommu_run);
	if (ret)
		return ret;
	if (!r->buf_size || r->buf_size > DMABENCH_MAX_SIZE) {
		pr_err_ratelimited("run: buf_size %llu out of range: use 1 .. %llu bytes\n",
				   r->buf_size, DMABENCH_MAX_SIZE);
		return -EINVAL;
	}
	ret = dmabench_run_check_dma(r);
	if (ret)
		return ret;
	ret = dmabench_run_check_timing(r);
	if (ret)
		return ret;
	if (!r->threads || r->threads > DMABENCH_MAX_THREADS) {
		pr_err_ratelimited("run: threads %u out of range: use 1 .. %u\n",
				   r->threads, DMABENCH_MAX_THREADS);
		return -EINVAL;
	}
	if (r->dir >= ARRAY_SIZE(dmabench_dirs)) {
		pr_err_ratelimited("run: unknown dir %u: use 0 bidir, 1 to-device, 2 from-device\n",
				   r->dir);
		return -EINVAL;
	}
	if (r->node != NUMA_NO_NODE &&
	    (r->node < 0 || r->node >= MAX_NUMNODES || !node_online(r->node))) {
		pr_err_ratelimited("run: NUMA node %d is not online: use -1 or an online node\n",
				   r->node);
		return -EINVAL;
	}
	for (b = 0; b < DMABENCH_MAX_CPUS; b++) {
		if (!dmabench_cpu_bit(r->cpus, b))
			continue;
		if (b >= nr_cpu_ids || !cpu_online(b)) {
			pr_err_ratelimited("run: CPU %u is not online: bind to online CPUs only\n",
					   b);
			return -EINVAL;
		}
	}
	if (!r->duration_ns == !r->iterations) {
		pr_err_ratelimited("run: set exactly one of duration_ns and iterations\n");
		return -EINVAL;
	}
	if (r->duration_ns > DMABENCH_MAX_DURATION_NS) {
		pr_err_ratelimited("run: duration_ns %llu is above 1 hour: run shorter\n",
				   r->duration_ns);
		return -EINVAL;
	}
	if (r->dma_trans_ns > DMABENCH_MAX_TRANS_NS) {
		pr_err_ratelimited("run: dma_trans_ns %u is above 1 s: use a shorter delay\n",
				   r->dma_trans_ns);
		return -EINVAL;
	}
	if (r->dma_mask_bits > 64) {
		pr_err_ratelimited("run: dma_mask_bits %u is above 64: use 0 (keep) or 1 .. 64\n",
				   r->dma_mask_bits);
		return -EINVAL;
	}
	hist_need = (u64)test->nphases * DMABENCH_HIST_BUCKETS * sizeof(u64);
	if (r->hist_bytes < hist_need) {
		pr_err_ratelimited("run: hist_bytes %llu is too small: test %s needs %llu\n",
				   r->hist_bytes, test->name, hist_need);
		return -EINVAL;
	}
	/*
	 * Fail bad output buffers now, not after a long run whose results
	 * would be half copied out: a failed call changes nothing.
	 */
	if (dmabench_check_user_buf(r->hist_ptr, hist_need)) {
		pr_err_ratelimited("run: hist_ptr 0x%llx is not a writable buffer of %llu bytes\n",
				   r->hist_ptr, hist_need);
		return -EFAULT;
	}
	if (r->hist2_ptr &&
	    !access_ok(u64_to_user_ptr(r->hist2_ptr), hist_need)) {
		pr_err_ratelimited("run: hist2_ptr 0x%llx is not a writable buffer of %llu bytes (hist_bytes): use 0 or one as large as hist_ptr's\n",
				   r->hist2_ptr, hist_need);
		return -EFAULT;
	}
	if (r->thread_ops_ptr &&
	    dmabench_check_user_buf(r->thread_ops_ptr,
				    (u64)r->threads * sizeof(u64))) {
		pr_err_ratelimited("run: thread_ops_ptr 0x%llx is not a writable buffer of threads x 8 bytes\n",
				   r->thread_ops_ptr);
		return -EFAULT;
	}
	*testp = test;
	return 0;
}

/* Has remove() or the ioctl asked the threads to stop? */
static bool dmabench_stopping(const struct dmabench_ctx *c)
{
	unsigned int i;

	for (i = 0; i < c->ndevs; i++)
		if (READ_ONCE(c->devs[i]->stop))
			return true;
	return false;
}

/* For the shaped loop (dmabench_shape.c): has the run been asked to stop? */
bool dmabench_thread_stopping(const struct dmabench_thread *t)
{
	return dmabench_stopping(t->ctx);
}

/* Thread @id of @t's run (pairs hand slots between threads). */
struct dmabench_thread *dmabench_thread_of(const struct dmabench_thread *t,
					   unsigned int id)
{
	return &t->ctx->th[id];
}

static void dmabench_stop_all(struct dmabench_ctx *c)
{
	unsigned int i;

	for (i = 0; i < c->ndevs; i++)
		WRITE_ONCE(c->devs[i]->stop, true);
}

/*
 * The thread's state and its slots: setup(), then slot_init() on each slot
 * (phase tests), undone in reverse on error.
 */
int dmabench_thread_init(struct dmabench_thread *t)
{
	const struct dmabench_test_ops *ops = t->test->ops;
	unsigned int i;
	int ret;

	ret = ops->setup ? ops->setup(t) : 0;
	if (ret || ops->iterate)
		return ret;
	t->slots = kvcalloc(t->nslots, sizeof(*t->slots), GFP_KERNEL);
	if (!t->slots) {
		ret = -ENOMEM;
		goto err_teardown;
	}
	for (i = 0; i < t->nslots; i++) {
		t->slots[i].size = t->p->size;
		ret = ops->slot_init ? ops->slot_init(t, &t->slots[i]) : 0;
		if (ret)
			goto err_slots;
	}
	return 0;

err_slots:
	while (i--)
		if (ops->slot_exit)
			ops->slot_exit(t, &t->slots[i]);
	kvfree(t->slots);
	t->slots = NULL;
err_teardown:
	if (ops->teardown)
		ops->teardown(t);
	return ret;
}

void dmabench_thread_exit(struct dmabench_thread *t)
{
	const struct dmabench_test_ops *ops = t->test->ops;
	unsigned int i;

	if (t->slots) {
		for (i = 0; i < t->nslots; i++)
			if (ops->slot_exit)
				ops->slot_exit(t, &t->slots[i]);
		kvfree(t->slots);
		t->slots = NULL;
	}
	if (ops->teardown)
		ops->teardown(t);
}

/*
 * One op on each of the first @n slots: every phase over all @n between
 * two clock reads (batch 1: exactly the kernel's per-op bracket), the
 * simulated transfer once between the make and the release phases.
 */
int dmabench_thread_round(struct dmabench_thread *t, unsigned int n)
{
	const struct dmabench_test *test = t->test;
	const struct dmabench_test_ops *ops = test->ops;
	struct dmabench_slot *s, *end = t->slots + n;
	unsigned int ph, ok;
	u64 t0, t1 = 0;
	int err = 0, ret;

	for (s = t->slots; s < end; s++)
		s->failed = false;
	for (ph = 0; ph < test->nphases; ph++) {
		const struct dmabench_phase_ops *po = &ops->phase[ph];

		if (ph == ops->nmake && t->p->dma_trans_ns)
			dmabench_delay_ns(t->p->dma_trans_ns);
		if (po->before)
			for (s = t->slots; s < end; s++)
				if (!s->failed)
					po->before(t, s);
		if (t->cold)
			for (s = t->slots; s < end; s++)
				if (!s->failed)
					dmabench_evict_slot(s);
		ok = 0;
		t0 = dmabench_clock_read(t);
		for (s = t->slots; s < end; s++) {
			if (unlikely(s->failed))
				continue;
			ret = po->op(t, s);
			if (unlikely(ret)) {
				s->failed = true;
				err = ret;
			} else {
				ok++;
			}
		}
		t1 = dmabench_clock_read(t);
		if (ok)
			dmabench_record_ticks(t, ph, t1 - t0, ok);
		if (po->after)
			for (s = t->slots; s < end; s++)
				if (!s->failed)
					po->after(t, s);
	}
	t->now = t1;
	for (s = t->slots; s < end; s++) {
		if (s->failed)
			t->errors++;
		else
			t->ops++;
	}
	return err;
}

/*
 * One round of min(nslots, ops still to do) ops: the engine's, or the
 * test's own iterate() (which counts its ops and errors).
 */
static void dmabench_thread_step(struct dmabench_thread *t, u64 iterations)
{
	unsigned int n = t->nslots;

	if (iterations && iterations - t->ops < n)
		n = iterations - t->ops;
	if (t->test->ops->iterate) {
		if (t->test->ops->iterate(t, n))
			t->now = dmabench_clock_read(t);
		return;
	}
	dmabench_thread_round(t, n);
}

/*
 * Warm-up: c->warmup ops (or failures) untimed, counted apart, forgotten
 * by the statistics.
 */
static void dmabench_thread_warmup(struct dmabench_thread *t)
{
	struct dmabench_ctx *c = t->ctx;

	if (!c->warmup)
		return;
	t->timed = false;
	while (t->ops + t->errors < c->warmup && !dmabench_stopping(c)) {
		dmabench_thread_step(t, c->warmup - t->errors);
		cond_resched();
	}
	t->warmup_ops = t->ops + t->errors;
	t->ops = 0;
	t->errors = 0;
	t->bounced = 0;
	t->timed = true;
}

static int dmabench_thread_fn(void *data)
{
	struct dmabench_thread *t = data;
	struct dmabench_ctx *c = t->ctx;
	u64 deadline, half;

	t->err = dmabench_thread_init(t);
	if (!t->err && t->p->srun) {
		t->err = dmabench_shape_thread_init(t);
		if (t->err)
			dmabench_thread_exit(t);
	}
	if (t->err)
		atomic_cmpxchg(&c->failed, -1, t->id);
	if (atomic_dec_and_test(&c->ready))
		wake_up(&c->wq);
	/* pairs with smp_store_release() of go in dmabench_run_threads() */
	wait_event(c->go_wq, smp_load_acquire(&c->go));
	/* a shaped run times every op, its ring has no warm-up of its own */
	if (!t->err && !t->p->srun)
		dmabench_thread_warmup(t);

	/* from this thread's own start: its wake-up latency is not timed */
	t->start_ns = ktime_get_ns();
	t->now = dmabench_clock_read(t);
	deadline = t->now + c->duration_ticks;
	half = t->now + c->duration_ticks / 2;
	/* a shaped run (depth, pairs, size mix, hold law): its own loop */
	if (t->p->srun)
		dmabench_shape_loop(t, c->iterations, deadline);
	while (!t->p->srun && !t->err && !dmabench_stopping(c)) {
		/* drift: the second half of the ops (or of the time) */
		if (t->hist2 && !t->second_half)
			t->second_half = c->iterations ?
					 t->ops >= c->iterations / 2 :
					 t->now >= half;
		dmabench_thread_step(t, c->iterations);
		/*
		 * iterations counts samples, not attempts; as many failures
		 * end it too (a device that fails every op).
		 */
		if (c->iterations && (t->ops >= c->iterations ||
				      t->errors >= c->iterations))
			break;
		if (c->duration_ns && t->now >= deadline)
			break;
		cond_resched();
	}
	t->end_ns = ktime_get_ns();
	if (!t->err) {
		if (t->p->srun)
			dmabench_shape_thread_exit(t);
		dmabench_thread_exit(t);
	}
	if (atomic_dec_and_test(&c->active))
		wake_up(&c->wq);
	return 0;
}

/*
 * The run's clock: RAW where asked or (AUTO) where usable, converted to ns
 * by one multiply and shift fixed for the run.
 */
static void dmabench_clock_setup(u32 want, struct dmabench_clk *clk)
{
	u64 hz = want == DMABENCH_CLOCK_KTIME ? 0 : dmabench_raw_hz();
	u32 shift = 32;
	u64 mult;

	clk->id = DMABENCH_CLOCK_KTIME;
	if (!hz)
		return;
	/* the largest shift whose mult fits 32 bits: the finest conversion */
	do {
		shift--;
		mult = div64_u64(NSEC_PER_SEC << shift, hz);
	} while (mult > U32_MAX && shift);
	if (!mult || mult > U32_MAX)
		return;
	clk->id = DMABENCH_CLOCK_RAW;
	clk->mult = mult;
	clk->shift = shift;
	clk->res_ps = div64_u64(1000ULL * NSEC_PER_SEC, hz);
}

/*
 * Cost of one clock read (ps): the median of DMABENCH_TIMER_BLOCKS blocks
 * of reads (a block the host or an interrupt stretched is an outlier the
 * median ignores); for ktime also the smallest step between two reads
 * seen (an upper bound of its resolution: the raw counter's is known).
 */
static u64 dmabench_timer_overhead_ps(struct dmabench_thread *t)
{
	u64 cost[DMABENCH_TIMER_BLOCKS], start, prev, now, step = U64_MAX;
	unsigned int b, i, j;

	for (b = 0; b < DMABENCH_TIMER_BLOCKS; b++) {
		start = dmabench_clock_read(t);
		prev = start;
		now = start;
		for (i = 0; i < DMABENCH_TIMER_READS / DMABENCH_TIMER_BLOCKS;
		     i++) {
			now = dmabench_clock_read(t);
			if (now > prev && now - prev < step)
				step = now - prev;
			prev = now;
		}
		cost[b] = div_u64(dmabench_ticks_ns(&t->clk, now - start) *
				  1000, DMABENCH_TIMER_READS /
				  DMABENCH_TIMER_BLOCKS);
		for (j = b; j && cost[j - 1] > cost[j]; j--)
			swap(cost[j - 1], cost[j]);
	}
	if (t->clk.id == DMABENCH_CLOCK_KTIME)
		t->clk.res_ps = step == U64_MAX ? 0 : step * 1000;
	return cost[DMABENCH_TIMER_BLOCKS / 2];
}

/* Thread @t as before any op: no statistics, no counts. */
static void dmabench_thread_reset(struct dmabench_thread *t)
{
	const size_t hbytes = (size_t)t->test->nphases *
			      DMABENCH_HIST_BUCKETS * sizeof(u64);
	unsigned int j;

	memset(t->ps, 0, sizeof(t->ps));
	for (j = 0; j < t->test->nphases; j++)
		t->ps[j].min = U64_MAX;
	memset(t->hist, 0, hbytes);
	t->ops = 0;
	t->errors = 0;
	t->bounced = 0;
	t->segs_min = U32_MAX;
	t->segs_max = 0;
}

/*
 * batch 0: the fewest ops per batch that keep the clock within
 * DMABENCH_CLOCK_SHARE_PERMILLE per mille of a batch, from @clock_ps (one
 * read) and the cheapest phase of a calibration in the caller's context:
 * slot tests time blocks of up to DMABENCH_CALIBRATE_BLOCK ops, so the
 * clock in the estimate is a fraction of a read (timed one by one, an op
 * costing about one read came out near 0 after taking the read off, and
 * got the largest batch, whose long windows the host then interrupted);
 * iterate tests time single ops (iommu_map's are microseconds).  At most
 * DMABENCH_AUTO_BATCH_BYTES of buffers per thread (iommu_map: of IOVA
 * mapped beyond its live set, which bounds its page tables) and an eighth
 * of RAM over all threads; then the test's batch_fit().  Returns the
 * batch, or -errno.
 */
static int dmabench_auto_batch(struct dmabench_ctx *c, u64 clock_ps)
{
	struct dmabench_thread *t = &c->th[0];
	u64 bytes = PAGE_ALIGN(max_t(u64, c->p.size, 1));
	u64 op_ps = U64_MAX, n, most, in_block;
	unsigned int i, block, rounds;
	int ret;

	most = div64_u64(div_u64((u64)totalram_pages() << PAGE_SHIFT, 8),
			 bytes * c->nthreads);
	most = min(most, (u64)DMABENCH_AUTO_BATCH_BYTES / bytes);
	block = c->test->ops->iterate ? 1 :
		clamp_t(u64, most, 1, DMABENCH_CALIBRATE_BLOCK);
	rounds = max(DMABENCH_CALIBRATE_OPS / block, DMABENCH_CALIBRATE_ROUNDS);
	t->nslots = block;
	ret = dmabench_thread_init(t);
	if (ret)
		return ret;
	t->calibration = true;
	for (i = 0; i < rounds; i++)
		dmabench_thread_step(t, 0);
	dmabench_thread_exit(t);
	t->calibration = false;
	for (i = 0; i < c->test->nphases; i++)
		if (t->ps[i].ops)
			op_ps = min(op_ps, t->ps[i].min * 1000);
	dmabench_thread_reset(t);
	if (op_ps == U64_MAX)
		return 1;	/* every op failed: the run will say so */
	/* a block's mean holds 1/block of a clock read */
	in_block = div_u64(clock_ps, block);
	op_ps = op_ps > in_block ? op_ps - in_block : 1;
	n = div64_u64(clock_ps * 1000 + op_ps * DMABENCH_CLOCK_SHARE_PERMILLE - 1,
		      op_ps * DMABENCH_CLOCK_SHARE_PERMILLE);
	n = clamp_t(u64, min(n, most), 1, DMABENCH_MAX_BATCH);
	return c->test->ops->batch_fit ? c->test->ops->batch_fit(&c->p, n) : n;
}

static void dmabench_stop_threads(struct dmabench_ctx *c, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		kthread_stop(c->tsk[i]);
		put_task_struct(c->tsk[i]);
	}
}

/* What to do about a setup() error, for the one pr_err line. */
static const char *dmabench_setup_hint(int err)
{
	switch (err) {
	case -ENOMEM:
		return "use fewer threads or a smaller buf_size";
	case -EIO:
		return "the device cannot reach the buffer (mask below the memory, no IOMMU or swiotlb): use a wider dma_mask_bits or an IOMMU";
	}
	return "see the kernel log";
}

/*
 * Before the threads: the cost of the run's clock, and for batch 0 the
 * batch (one calibration, the same for every thread).
 */
static int dmabench_timing_setup(struct dmabench_ctx *c,
				 struct dmabench_run *r)
{
	unsigned int i;
	int n;

	r->timer_overhead_ps = dmabench_timer_overhead_ps(&c->th[0]);
	c->clk.res_ps = c->th[0].clk.res_ps;
	if (r->batch || c->p.srun)
		return 0;
	n = dmabench_auto_batch(c, r->timer_overhead_ps);
	if (n < 0) {
		pr_err("run: %s calibration failed: %pe: %s\n", c->test->name,
		       ERR_PTR(n), dmabench_setup_hint(n));
		return n;
	}
	c->batch = n;
	c->p.nslots = n;
	for (i = 0; i < c->nthreads; i++)
		c->th[i].nslots = n;
	return 0;
}

static int dmabench_run_threads(struct dmabench_ctx *c, struct dmabench_run *r)
{
	unsigned int i, ncpus = dmabench_ncpus(r->cpus);
	const struct cpumask *node_mask = NULL;
	struct task_struct *tsk;
	int failed;

	if (c->p.node != NUMA_NO_NODE &&
	    cpumask_intersects(cpumask_of_node(c->p.node), cpu_online_mask))
		node_mask = cpumask_of_node(c->p.node);

	for (i = 0; i < c->nthreads; i++) {
		tsk = kthread_create_on_node(dmabench_thread_fn, &c->th[i],
					     c->p.node, "dmabench/%u", i);
		if (IS_ERR(tsk)) {
			pr_err("run: cannot create thread %u (%ld): use fewer threads\n",
			       i, PTR_ERR(tsk));
			dmabench_stop_threads(c, i);
			return PTR_ERR(tsk);
		}
		get_task_struct(tsk);
		c->tsk[i] = tsk;
		if (ncpus)
			kthread_bind(tsk, dmabench_nth_cpu(r->cpus, i % ncpus));
		else if (node_mask)
			set_cpus_allowed_ptr(tsk, node_mask);
	}

	atomic_set(&c->ready, c->nthreads);
	atomic_set(&c->active, c->nthreads);
	atomic_set(&c->failed, -1);
	for (i = 0; i < c->nthreads; i++)
		wake_up_process(c->tsk[i]);
	wait_event(c->wq, !atomic_read(&c->ready));
	failed = atomic_read(&c->failed);
	if (failed >= 0)
		dmabench_stop_all(c);

	/* the start barrier: all threads are set up, release them */
	smp_store_release(&c->go, true);
	wake_up_all(&c->go_wq);

	if (wait_event_interruptible(c->wq, !atomic_read(&c->active))) {
		c->interrupted = true;
		dmabench_stop_all(c);
		/* every thread stops within one operation */
		wait_event(c->wq, !atomic_read(&c->active));
	}
	dmabench_stop_threads(c, c->nthreads);

	if (failed >= 0) {
		int err = c->th[failed].err;

		pr_err("run: %s setup failed in thread %d: %pe: %s\n",
		       c->test->name, failed, ERR_PTR(err),
		       dmabench_setup_hint(err));
		return err;
	}
	return 0;
}

/* Sum all threads into thread 0 and fill the output fields of @r. */
static void dmabench_merge(struct dmabench_ctx *c, struct dmabench_run *r)
{
	const unsigned int nb = c->test->nphases * DMABENCH_HIST_BUCKETS;
	struct dmabench_thread *t0 = &c->th[0];
	u32 segs_min = U32_MAX, segs_max = 0;
	unsigned int i, j;
	u64 start = U64_MAX, end = 0;

	r->nphases = c->test->nphases;
	r->errors = 0;
	r->warmup_ops = 0;
	r->bounced = 0;
	memset(r->phase, 0, sizeof(r->phase));
	for (i = 0; i < c->nthreads; i++) {
		struct dmabench_thread *t = &c->th[i];

		r->errors += t->errors;
		r->warmup_ops += t->warmup_ops;
		r->bounced += t->bounced;
		segs_min = min(segs_min, t->segs_min);
		segs_max = max(segs_max, t->segs_max);
		if (t->start_ns && t->start_ns < start)
			start = t->start_ns;
		if (t->end_ns > end)
			end = t->end_ns;
		for (j = 0; j < c->test->nphases; j++) {
			struct dmabench_phase *ph = &r->phase[j];
			struct dmabench_pstat *ps = &t->ps[j];

			if (!ps->ops)
				continue;
			if (!ph->ops || ps->min < ph->min_ns)
				ph->min_ns = ps->min;
			if (ps->max > ph->max_ns)
				ph->max_ns = ps->max;
			ph->ops += ps->ops;
			ph->sum_ns += ps->sum;
		}
		if (i)
			for (j = 0; j < nb; j++)
				t0->hist[j] += t->hist[j];
		if (i && t->hist2)
			for (j = 0; j < nb; j++)
				t0->hist2[j] += t->hist2[j];
	}
	for (j = 0; j < c->test->nphases; j++)
		strscpy(r->phase[j].name, c->test->phases[j],
			sizeof(r->phase[j].name));
	/* first thread running to last thread done */
	r->elapsed_ns = start < end ? end - start : 0;
	/* no map_sg sample: both 0 */
	r->dma_segs_min = segs_min == U32_MAX ? 0 : segs_min;
	r->dma_segs_max = segs_min == U32_MAX ? 0 : segs_max;
	r->clock_used = c->clk.id;
	r->clock_res_ps = c->clk.res_ps;
	/* shaped runs time every op on its own */
	r->batch_used = c->p.srun ? 1 : c->batch;
	if (c->interrupted)
		r->status = DMABENCH_STATUS_INTERRUPTED;
}

/* The histograms and per-thread ops to their user buffers. */
static int dmabench_copy_out(struct dmabench_ctx *c, struct dmabench_run *r)
{
	const size_t hbytes = (size_t)c->test->nphases *
			      DMABENCH_HIST_BUCKETS * sizeof(u64);
	u64 __user *ops = u64_to_user_ptr(r->thread_ops_ptr);
	unsigned int i;

	if (copy_to_user(u64_to_user_ptr(r->hist_ptr), c->th[0].hist, hbytes))
		return -EFAULT;
	if (r->hist2_ptr &&
	    copy_to_user(u64_to_user_ptr(r->hist2_ptr), c->th[0].hist2, hbytes))
		return -EFAULT;
	for (i = 0; ops && i < c->nthreads; i++)
		if (put_user(c->th[i].ops, ops + i))
			return -EFAULT;
	return 0;
}

static struct dmabench_ctx *dmabench_ctx_alloc(struct dmabench_run *r,
					       const struct dmabench_test *test,
					       struct dmabench_dev *const *devs,
					       unsigned int ndevs,
					       const struct dmabench_params *p)
{
	const size_t hbytes = (size_t)test->nphases *
			      DMABENCH_HIST_BUCKETS * sizeof(u64);
	struct dmabench_ctx *c = kzalloc(sizeof(*c), GFP_KERNEL);
	unsigned int i, j;

	if (!c)
		return NULL;
	c->test = test;
	c->devs = devs;
	c->ndevs = ndevs;
	c->nthreads = r->threads;
	c->iterations = r->iterations;
	c->duration_ns = r->duration_ns;
	dmabench_clock_setup(r->clock, &c->clk);
	c->duration_ticks = c->clk.id == DMABENCH_CLOCK_RAW ?
			    div64_u64(r->duration_ns << c->clk.shift,
				      c->clk.mult) : r->duration_ns;
	c->batch = p->nslots;
	c->warmup = r->warmup;
	c->hist2 = !!r->hist2_ptr;
	c->p = *p;
	init_waitqueue_head(&c->wq);
	init_waitqueue_head(&c->go_wq);
	c->th = kvcalloc(c->nthreads, sizeof(*c->th), GFP_KERNEL);
	c->tsk = kvcalloc(c->nthreads, sizeof(*c->tsk), GFP_KERNEL);
	if (!c->th || !c->tsk)
		return c;
	for (i = 0; i < c->nthreads; i++) {
		struct dmabench_thread *t = &c->th[i];

		t->ctx = c;
		t->p = &c->p;
		t->id = i;
		t->test = test;
		t->clk = c->clk;
		t->nslots = c->batch;
		t->timed = true;
		t->cold = r->cache == DMABENCH_CACHE_COLD;
		t->segs_min = U32_MAX;
		for (j = 0; j < test->nphases; j++)
			t->ps[j].min = U64_MAX;
		t->hist = kvzalloc_node(hbytes, GFP_KERNEL, c->p.node);
		if (!t->hist)
			break;
		if (r->hist2_ptr) {
			t->hist2 = kvzalloc_node(hbytes, GFP_KERNEL,
						 c->p.node);
			if (!t->hist2)
				break;
		}
	}
	return c;
}

static bool dmabench_ctx_complete(struct dmabench_ctx *c)
{
	struct dmabench_thread *last;

	if (!c->th || !c->tsk)
		return false;
	last = &c->th[c->nthreads - 1];
	return last->hist && (!c->hist2 || last->hist2);
}

static void dmabench_ctx_free(struct dmabench_ctx *c)
{
	unsigned int i;

	if (c->th)
		for (i = 0; i < c->nthreads; i++) {
			kvfree(c->th[i].hist);
			kvfree(c->th[i].hist2);
		}
	kvfree(c->th);
	kvfree(c->tsk);
	kfree(c);
}

/* What a DMA-API run changed on its device, to put back on every path. */
struct dmabench_dma_state {
	struct dmabench_dev *d;
	u64 old_mask;
	u64 old_cmask;
	bool masks_set;
	bool coh_forced;
	struct dmabench_coherency_save coh;
};

/* After the threads are gone: coherency, then the masks, then the device. */
static void dmabench_dma_restore(struct dmabench_dma_state *st, bool *gone)
{
	struct device *dev = st->d->dev;

	if (st->coh_forced)
		dmabench_coherency_restore(dev, &st->coh);
	if (st->masks_set)
		dmabench_restore_masks(dev, st->old_mask, st->old_cmask);
	dmabench_release(st->d, gone);
}

/*
 * BOUNCE: only on the module's virtual device (dma-direct, no IOMMU),
 * only with swiotlb; *bits gets the run's mask width (0 = 32).
 */
static int dmabench_bounce_check(struct dmabench_dev *d, u32 *bits)
{
	struct device *dev = d->dev;
	struct iommu_group *grp = iommu_group_get(dev);

	if (grp)
		iommu_group_put(grp);
	if (d->pci || grp || strcmp(dev_name(dev), "dmabench.0") ||
	    strcmp(dmabench_dma_ops_name(dev), "direct")) {
		dev_err_ratelimited(dev, "run: bounce works on the module's virtual device dmabench.0 only (dma-direct, no IOMMU): run it there\n");
		return -EINVAL;
	}
	if (!dmabench_swiotlb_active(dev)) {
		dev_err_ratelimited(dev, "run: swiotlb is not active: boot with swiotlb=force (or more memory than the DMA zone) to bounce\n");
		return -EOPNOTSUPP;
	}
	/*
	 * swiotlb's buffer lies below 4 GiB but not below a narrower mask: a
	 * mapping bounced there would fail with a kernel warning
	 */
	if (*bits && *bits < 32) {
		dev_err_ratelimited(dev, "run: bounce with a %u-bit DMA mask: swiotlb's buffer (below 4 GiB) may lie above it: use dma_mask_bits 0 (32) or 32 .. 64\n",
				    *bits);
		return -EIO;
	}
	if (!*bits)
		*bits = 32;
	return 0;
}

/*
 * Acquire @r's device, set its run DMA mask and coherency and check the
 * test: what a DMA-API test needs before its threads start.
 */
static int dmabench_dma_prepare(struct dmabench_run *r,
				const struct dmabench_test *test,
				struct dmabench_params *p,
				struct dmabench_dma_state *st)
{
	u32 bits = r->dma_mask_bits;
	struct device *dev;
	int ret;

	st->d = dmabench_acquire(r->device, &ret);
	if (!st->d)
		return ret;
	dev = st->d->dev;
	if (!dev->dma_mask) {
		dev_err(dev, "run: the device has no DMA mask, it cannot do DMA: pick another device\n");
		ret = -EIO;
		goto err_restore;
	}
	if (p->bounce) {
		ret = dmabench_bounce_check(st->d, &bits);
		if (ret)
			goto err_restore;
	}
	st->old_mask = *dev->dma_mask;
	st->old_cmask = dev->coherent_dma_mask;
	if (bits) {
		st->masks_set = true;
		if (dma_set_mask_and_coherent(dev, DMA_BIT_MASK(bits))) {
			dev_err(dev, "run: the device refuses a %u-bit DMA mask: use more bits, or 0 to keep its mask\n",
				bits);
			ret = -EIO;
			goto err_restore;
		}
	}
	if (p->bounce && !dmabench_swiotlb_force_bounce(dev) &&
	    !dma_addressing_limited(dev))
		dev_notice_ratelimited(dev, "run: bounce: all memory lies within the %u-bit DMA mask and swiotlb=force is off, so nothing bounces: see bounced\n",
				       bits);
	/* no mapping or allocation of the device is alive: it is ours */
	if (r->coherency != DMABENCH_COHERENCY_DEVICE) {
		dmabench_coherency_force(dev, r->coherency ==
					 DMABENCH_COHERENCY_COHERENT,
					 &st->coh);
		st->coh_forced = true;
	}
	p->dev = dev;
	if (test->ops->check) {
		ret = test->ops->check(p);
		if (ret)
			goto err_restore;
	}
	return 0;

err_restore:
	dmabench_dma_restore(st, NULL);
	st->d = NULL;
	return ret;
}

/* An IOMMU test: take the devices from the DMA API into new domains. */
static int dmabench_iommu_prepare(struct dmabench_run *r,
				  const struct dmabench_test *test,
				  struct dmabench_params *p,
				  const struct dmabench_iommu_run *x)
{
	int ret;

	if (r->dma_mask_bits) {
		pr_err_ratelimited("run: %s does not use the DMA mask: leave dma_mask_bits 0 and set iova_bits\n",
				   test->name);
		return -EINVAL;
	}
	p->io = kzalloc(sizeof(*p->io), GFP_KERNEL);
	if (!p->io)
		return -ENOMEM;
	ret = dmabench_ioset_get(p->io, r->device, x ? x->devices_ptr : 0,
				 x ? x->ndevices : 0, "run");
	if (ret)
		goto err_free;
	p->dev = p->io->devs[0]->dev;
	if (test->ops->check) {
		ret = test->ops->check(p);
		if (ret)
			goto err_put;
	}
	ret = dmabench_ioset_build(p->io, p->iop.scope, p->iop.iova_bits,
				   "run");
	if (ret)
		goto err_put;
	return 0;

err_put:
	dmabench_ioset_put(p->io, NULL);
err_free:
	kfree(p->io);
	p->io = NULL;
	return ret;
}

/* Run @test as @r says (and @x, for an IOMMU test, or NULL for defaults). */
static long dmabench_do_run(struct dmabench_run *r,
			    const struct dmabench_test *test,
			    struct dmabench_iommu_run *x)
{
	struct dmabench_dma_state st = {};
	struct dmabench_footprint fp = {};
	struct dmabench_shape shape;
	struct dmabench_ctx *c = NULL;
	struct dmabench_dev *const *devs;
	struct dmabench_params p = {};
	unsigned int ndevs, i;
	bool gone = false;
	int ret;

	ret = dmabench_shape_get(r, test, &shape);
	if (ret)
		return ret;
	p.dir = dmabench_dirs[r->dir];
	/* a fixed hold is the simulated transfer */
	p.dma_trans_ns = shape.hold_ns ? shape.hold_ns : r->dma_trans_ns;
	p.node = r->node;
	p.threads = r->threads;
	/* a test without nents: one entry of buf_size */
	p.nents = r->nents ? r->nents : 1;
	p.sg_layout = r->sg_layout;
	p.seg_size = r->seg_size ? r->seg_size : div_u64(r->buf_size, p.nents);
	p.size = p.nents * p.seg_size;
	p.align = r->align;
	for (i = 0; i < ARRAY_SIZE(dmabench_attrs); i++)
		if (r->attrs & BIT(i))
			p.attrs |= dmabench_attrs[i];
	p.bounce = r->flags & DMABENCH_RUN_BOUNCE;
	p.nslots = r->batch ? r->batch : 1;
	p.shape = &shape;
	if (dmabench_shape_shaped(&shape)) {
		/* a ring of depth slots per thread, each holding the largest size */
		p.nslots = max(shape.depth, 1U);
		for (i = 0; i < shape.nsizes; i++)
			p.size = i ? max_t(size_t, p.size, shape.sizes[i]) :
				 shape.sizes[0];
		p.srun = dmabench_shape_run_alloc(&shape, test, p.nslots, &ret);
		if (!p.srun)
			return ret;
	}
	if (dmabench_test_iommu(test)) {
		if (x) {
			p.iop.scope = x->scope;
			p.iop.flush = x->flush;
			p.iop.flush_n = x->flush_n;
			p.iop.iova_bits = x->iova_bits;
			p.iop.live = x->live;
			p.iop.slow_ns = x->slow_ns;
			p.iop.seed = x->seed;
		}
		ret = dmabench_iommu_prepare(r, test, &p, x);
		if (ret)
			return ret;
		devs = p.io->devs;
		ndevs = p.io->ndevs;
	} else {
		ret = dmabench_dma_prepare(r, test, &p, &st);
		if (ret) {
			dmabench_shape_run_free(p.srun);
			return ret;
		}
		devs = &st.d;
		ndevs = 1;
		/* untimed, before the threads: what the timed ops meet */
		ret = dmabench_footprint_map(&fp, &p, shape.footprint,
					     &st.d->stop);
		if (ret)
			goto out_release;
		shape.footprint_mapped = (u64)fp.mapped * fp.len;
	}
	r->coherent = dmabench_dev_coherent(p.dev);

	c = dmabench_ctx_alloc(r, test, devs, ndevs, &p);
	if (!c || !dmabench_ctx_complete(c)) {
		pr_err("run: out of memory for %u threads: use fewer threads\n",
		       r->threads);
		ret = -ENOMEM;
		goto out_release;
	}
	ret = dmabench_timing_setup(c, r);
	if (ret)
		goto out_release;
	/* pairs: the unmap threads release the mappers' slots, own none */
	for (i = shape.map_threads; shape.map_threads && i < c->nthreads; i++)
		c->th[i].nslots = 0;
	r->status = DMABENCH_STATUS_DONE;
	ret = dmabench_run_threads(c, r);

out_release:
	dmabench_footprint_unmap(&fp, &p);
	if (p.io) {
		if (x) {
			x->ndevs_used = p.io->ndevs;
			x->ndomains = p.io->ndoms;
			x->ninstances = p.io->ninst;
			x->slow_allocs = atomic64_read(&p.io->slow_allocs);
			/* the last byte: (limit + 1) << shift wraps at 64 bits */
			if (p.io->ndoms) {
				const struct dmabench_iodom *d = p.io->doms[0];

				x->aperture_end = ((u64)d->limit_pfn << d->shift) |
						  ((1ULL << d->shift) - 1);
			}
		}
		dmabench_ioset_put(p.io, &gone);
		kfree(p.io);
	} else {
		dmabench_dma_restore(&st, &gone);
	}
	if (!ret) {
		dmabench_merge(c, r);
		if (gone)
			r->status = DMABENCH_STATUS_DEVICE_GONE;
		ret = dmabench_copy_out(c, r);
		if (!ret && p.srun)
			ret = dmabench_shape_run_put(p.srun, &shape);
		if (!ret)
			ret = dmabench_shape_put(r, &shape);
	}
	if (c)
		dmabench_ctx_free(c);
	dmabench_shape_run_free(p.srun);
	return ret;
}

long dmabench_ioc_run(union dmabench_ioc_arg *arg)
{
	const struct dmabench_test *test = NULL;
	struct dmabench_run *r = &arg->run;
	int ret;

	ret = dmabench_run_check(r, false, &test);
	if (ret)
		return ret;
	return dmabench_do_run(r, test, NULL);
}

long dmabench_ioc_iommu_run(union dmabench_ioc_arg *arg)
{
	struct dmabench_iommu_run *x = &arg->iommu_run;
	const struct dmabench_test *test = NULL;
	struct dmabench_iommu_params iop = {};
	int ret;

	if (x->pad || memchr_inv(x->reserved_in, 0, sizeof(x->reserved_in))) {
		pr_err_ratelimited("iommu_run: pad and reserved_in must be 0: clear the structure first\n");
		return -EINVAL;
	}
	/* the nested run: its own hdr, its out fields zeroed as for RUN */
	ret = dmabench_check_hdr(&x->run.hdr, sizeof(x->run), "iommu_run: run");
	if (ret)
		return ret;
	memset((char *)&x->run + offsetof(struct dmabench_run, status), 0,
	       sizeof(x->run) - offsetof(struct dmabench_run, status));
	ret = dmabench_run_check(&x->run, true, &test);
	if (ret)
		return ret;
	iop.scope = x->scope;
	iop.flush = x->flush;
	iop.flush_n = x->flush_n;
	iop.iova_bits = x->iova_bits;
	iop.live = x->live;
	ret = dmabench_check_iommu_params(&iop, "iommu_run");
	if (ret)
		return ret;
	return dmabench_do_run(&x->run, test, x);
}
