// SPDX-License-Identifier: GPL-2.0
/*
 * The traffic shape of a DMA-API run (run.shape_ptr, struct
 * dmabench_shape): copied in and checked with the run (one line per bad
 * value), and the footprint: untimed mappings that stay in place while
 * the timed ops run, so that those meet realistic IOVA-tree and
 * page-table sizes.  The footprint maps one buffer again and again (each
 * mapping its own IOVA range) and is unmapped on every path.
 *
 * A fixed hold alone is the tests' simulated transfer (dma_trans_ns).
 * depth, order, hold laws, pairs and size mixes run in the shaped loop
 * below instead of the engine's rounds, on the engine's slots and the
 * tests' phase callbacks, every op timed on its own:
 *   ring:  each thread keeps up to depth mappings: it makes one in a free
 *          slot, and with none free releases the oldest (fifo) or a
 *          random one, not before its hold (drawn per mapping) is over;
 *   pairs: map threads make into their slots and hand them over a
 *          ptr_ring to the unmap threads, which release them (the queue
 *          delay measured) and give the slots back on the mapper's own
 *          ptr_ring;
 *   mix:   each make draws its size class by weight (slots hold the
 *          largest); samples go to the class's histograms too.
 * The draws come from a per-thread prandom state seeded from the shape's
 * seed.  At the end every mapping is released (untimed), on every path.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/dma-mapping.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/prandom.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "compat.h"
#include "dmabench.h"

static int shape_check_mix(const struct dmabench_shape *s)
{
	unsigned int i;

	if (s->nsizes > DMABENCH_MAX_SIZES) {
		pr_err_ratelimited("run: shape nsizes %u is above %u: use at most %u size classes\n",
				   s->nsizes, DMABENCH_MAX_SIZES,
				   DMABENCH_MAX_SIZES);
		return -EINVAL;
	}
	for (i = 0; i < DMABENCH_MAX_SIZES; i++) {
		if (i >= s->nsizes) {
			if (s->sizes[i] || s->weights[i]) {
				pr_err_ratelimited("run: shape sizes[%u]/weights[%u] set beyond nsizes %u: clear them or raise nsizes\n",
						   i, i, s->nsizes);
				return -EINVAL;
			}
			continue;
		}
		if (!s->sizes[i] || s->sizes[i] > DMABENCH_MAX_SIZE) {
			pr_err_ratelimited("run: shape sizes[%u] %llu out of range: use 1 .. %llu bytes\n",
					   i, s->sizes[i], DMABENCH_MAX_SIZE);
			return -EINVAL;
		}
		if (!s->weights[i]) {
			pr_err_ratelimited("run: shape weights[%u] is 0: every size class needs a weight above 0 (or leave it out)\n",
					   i);
			return -EINVAL;
		}
	}
	if (!s->class_hist_ptr != !s->class_hist_bytes) {
		pr_err_ratelimited("run: shape class_hist_ptr and class_hist_bytes go together: set both or neither\n");
		return -EINVAL;
	}
	if (s->class_hist_ptr && !s->nsizes) {
		pr_err_ratelimited("run: shape class_hist_ptr without a size mix (nsizes 0): leave it 0\n");
		return -EINVAL;
	}
	return 0;
}

static int shape_check_flow(const struct dmabench_shape *s,
			    const struct dmabench_run *r)
{
	if (s->depth > DMABENCH_MAX_DEPTH) {
		pr_err_ratelimited("run: shape depth %u is above %u: use 0 (one mapping) .. %u\n",
				   s->depth, DMABENCH_MAX_DEPTH,
				   DMABENCH_MAX_DEPTH);
		return -EINVAL;
	}
	if (s->order > DMABENCH_ORDER_RANDOM) {
		pr_err_ratelimited("run: unknown shape order %u: use 0 fifo or 1 random\n",
				   s->order);
		return -EINVAL;
	}
	if (s->order == DMABENCH_ORDER_RANDOM && s->depth <= 1) {
		pr_err_ratelimited("run: shape order random with depth %u: a random unmap order needs depth 2 or more\n",
				   s->depth);
		return -EINVAL;
	}
	if (s->hold > DMABENCH_HOLD_EXPONENTIAL) {
		pr_err_ratelimited("run: unknown shape hold %u: use 0 fixed, 1 uniform or 2 exponential\n",
				   s->hold);
		return -EINVAL;
	}
	if (s->hold_ns > DMABENCH_MAX_TRANS_NS) {
		pr_err_ratelimited("run: shape hold_ns %u is above 1 s: use a shorter hold\n",
				   s->hold_ns);
		return -EINVAL;
	}
	if (s->hold != DMABENCH_HOLD_FIXED && !s->hold_ns) {
		pr_err_ratelimited("run: shape hold %s needs a mean: set hold_ns\n",
				   s->hold == DMABENCH_HOLD_UNIFORM ? "uniform" :
				   "exponential");
		return -EINVAL;
	}
	if (s->hold_ns && r->dma_trans_ns) {
		pr_err_ratelimited("run: shape hold_ns and dma_trans_ns both set: the hold replaces dma_trans_ns, set one\n");
		return -EINVAL;
	}
	if (!s->map_threads != !s->unmap_threads) {
		pr_err_ratelimited("run: shape map_threads %u and unmap_threads %u: pairs need both above 0 (or both 0)\n",
				   s->map_threads, s->unmap_threads);
		return -EINVAL;
	}
	if (s->map_threads &&
	    (u64)s->map_threads + s->unmap_threads != r->threads) {
		pr_err_ratelimited("run: shape map_threads %u + unmap_threads %u is not threads %u: make them add up\n",
				   s->map_threads, s->unmap_threads,
				   r->threads);
		return -EINVAL;
	}
	if (s->footprint > DMABENCH_MAX_FOOTPRINT) {
		pr_err_ratelimited("run: shape footprint %llu is above %llu bytes: use a smaller footprint\n",
				   s->footprint, DMABENCH_MAX_FOOTPRINT);
		return -EINVAL;
	}
	return 0;
}

/*
 * Copy run.shape_ptr into @s and check it for @test (whose fields took
 * shape_ptr); one pr_err line per bad value.  No shape_ptr: @s all zero
 * (today's shape).  The output fields are zeroed, as the ioctl front
 * does for the run's.
 */
int dmabench_shape_get(const struct dmabench_run *r,
		       const struct dmabench_test *test, struct dmabench_shape *s)
{
	int ret;

	memset(s, 0, sizeof(*s));
	if (!r->shape_ptr)
		return 0;
	if (copy_from_user(s, u64_to_user_ptr(r->shape_ptr), sizeof(*s))) {
		pr_err_ratelimited("run: shape_ptr 0x%llx is not a readable struct dmabench_shape\n",
				   r->shape_ptr);
		return -EFAULT;
	}
	ret = dmabench_check_hdr(&s->hdr, sizeof(*s), "run: shape");
	if (ret)
		return ret;
	if (s->pad || memchr_inv(s->reserved_in, 0, sizeof(s->reserved_in))) {
		pr_err_ratelimited("run: shape pad and reserved_in must be 0: clear the structure first\n");
		return -EINVAL;
	}
	memset((char *)s + offsetof(struct dmabench_shape, class_ops), 0,
	       sizeof(*s) - offsetof(struct dmabench_shape, class_ops));
	ret = shape_check_flow(s, r);
	if (!ret)
		ret = shape_check_mix(s);
	if (ret)
		return ret;
	if (s->nsizes && !(test->fields & DMABENCH_FIELD_SIZE_MIX)) {
		pr_err_ratelimited("run: test %s does not take a size mix (fields=0x%x in the tests file): leave nsizes 0\n",
				   test->name, test->fields);
		return -EINVAL;
	}
	if (s->hold_ns && !(test->fields & DMABENCH_FIELD_DMA_TRANS)) {
		pr_err_ratelimited("run: test %s holds no mapping between two phases: leave hold_ns 0\n",
				   test->name);
		return -EINVAL;
	}
	if (s->class_hist_ptr) {
		u64 need = (u64)s->nsizes * test->nphases *
			   DMABENCH_HIST_BUCKETS * sizeof(u64);

		if (s->class_hist_bytes < need) {
			pr_err_ratelimited("run: shape class_hist_bytes %llu is too small: %u size classes of test %s need %llu\n",
					   s->class_hist_bytes, s->nsizes,
					   test->name, need);
			return -EINVAL;
		}
		if (!access_ok(u64_to_user_ptr(s->class_hist_ptr), need)) {
			pr_err_ratelimited("run: shape class_hist_ptr 0x%llx is not a writable buffer of %llu bytes\n",
					   s->class_hist_ptr, need);
			return -EFAULT;
		}
	}
	if (dmabench_shape_shaped(s) && r->batch > 1) {
		pr_err_ratelimited("run: batch %u with a shape (depth, pairs, size mix, hold law): a shaped run times every op on its own, use batch 0 or 1\n",
				   r->batch);
		return -EINVAL;
	}
	return 0;
}

/* Copy the shape's results to the caller's struct. */
int dmabench_shape_put(const struct dmabench_run *r,
		       const struct dmabench_shape *s)
{
	const size_t off = offsetof(struct dmabench_shape, class_ops);

	if (!r->shape_ptr)
		return 0;
	if (copy_to_user((char __user *)u64_to_user_ptr(r->shape_ptr) + off,
			 (const char *)s + off, sizeof(*s) - off))
		return -EFAULT;
	return 0;
}

/*
 * Map @bytes in mappings of the run's size (p->size, whole pages) of one
 * buffer, untimed, before the threads start.  Stops early (and keeps what
 * it has: footprint_mapped says so) when a mapping fails, on a signal or
 * when the device is being unbound; only out of memory for the handles
 * is an error.
 */
int dmabench_footprint_map(struct dmabench_footprint *fp,
			   const struct dmabench_params *p, u64 bytes,
			   const bool *stop)
{
	const unsigned long attrs = DMA_ATTR_SKIP_CPU_SYNC | DMA_ATTR_NO_WARN;
	unsigned long i;
	dma_addr_t a;

	memset(fp, 0, sizeof(*fp));
	if (!bytes)
		return 0;
	fp->len = PAGE_ALIGN(min_t(u64, p->size, bytes));
	fp->order = get_order(fp->len);
	fp->n = div64_u64(bytes + fp->len - 1, fp->len);
	fp->addr = kvmalloc_array(fp->n, sizeof(*fp->addr), GFP_KERNEL);
	if (!fp->addr) {
		pr_err("run: no memory for the %lu handles of the footprint: use a smaller footprint or larger buffers\n",
		       fp->n);
		return -ENOMEM;
	}
	fp->page = dmabench_alloc_reachable(p, fp->order, fp->len);
	if (IS_ERR_OR_NULL(fp->page)) {
		int ret = fp->page ? PTR_ERR(fp->page) : -ENOMEM;

		fp->page = NULL;
		kvfree(fp->addr);
		fp->addr = NULL;
		pr_err("run: no buffer of %zu bytes for the footprint the device can reach: %pe\n",
		       fp->len, ERR_PTR(ret));
		return ret;
	}
	for (i = 0; i < fp->n; i++) {
		if (READ_ONCE(*stop) || signal_pending(current))
			break;
		a = dma_map_page_attrs(p->dev, fp->page, 0, fp->len, p->dir,
				       attrs);
		if (dma_mapping_error(p->dev, a)) {
			dev_info_ratelimited(p->dev, "run: footprint: mapping %lu of %lu failed (IOVA space or swiotlb full): holding %llu bytes\n",
					     i + 1, fp->n, (u64)i * fp->len);
			break;
		}
		fp->addr[fp->mapped++] = a;
		cond_resched();
	}
	return 0;
}

/* Unmap and free everything dmabench_footprint_map() made. */
void dmabench_footprint_unmap(struct dmabench_footprint *fp,
			      const struct dmabench_params *p)
{
	unsigned long i;

	for (i = 0; i < fp->mapped; i++) {
		dma_unmap_page_attrs(p->dev, fp->addr[i], fp->len, p->dir,
				     DMA_ATTR_SKIP_CPU_SYNC);
		cond_resched();
	}
	fp->mapped = 0;
	if (fp->page)
		__free_pages(fp->page, fp->order);
	fp->page = NULL;
	kvfree(fp->addr);
	fp->addr = NULL;
}

/* ---- the shaped loop: depth, order, hold, pairs, size mix ---- */

struct dmabench_shape_thread;
static void shape_thread_merge(struct dmabench_thread *t,
			       struct dmabench_shape_thread *st);

/* What one slot of a shaped thread carries besides the test's slot. */
struct shape_slot {
	u64 made_ns;			/* make phases done */
	u64 due_ns;			/* release not before (the hold) */
	size_t alloc_size;		/* slot->size at slot_init */
	unsigned int cls;		/* size class of this op */
	unsigned int owner;		/* pairs: the mapper thread */
};

/* One thread's shaped state; the engine's thread points to it. */
struct dmabench_shape_thread {
	struct rnd_state rnd;
	struct shape_slot *ss;		/* one per slot */
	unsigned int *live;		/* ring of live slot indices, made order */
	unsigned int head, count;
	unsigned int *free;		/* stack of free slot indices */
	unsigned int nfree;
	/* pairs mapper: its slots given back (the run owns the ring) */
	struct ptr_ring *back;
	u64 *class_hist;		/* nsizes x nphases x BUCKETS, or NULL */
	u64 class_ops[DMABENCH_MAX_SIZES];
	u64 handed, q_min, q_sum, q_max;
	u64 side_start, side_end;	/* first op to last, this thread */
};

bool dmabench_shape_shaped(const struct dmabench_shape *s)
{
	return s->depth > 1 || s->map_threads || s->nsizes ||
	       s->hold != DMABENCH_HOLD_FIXED;
}

/*
 * -ln(x / 2^32) in 16.16 fixed point, for x in 1 .. 2^32 - 1: the
 * exponential draw without floating point (log2 by repeated squaring).
 */
static u64 shape_neg_ln_fp16(u32 x)
{
	unsigned int ip = ilog2(x), i;
	u64 y = ((u64)x << 31) >> ip;	/* the mantissa, 1.31 */
	u64 l2 = (u64)ip << 16;		/* log2(x), 16.16 */

	for (i = 0; i < 16; i++) {
		y = (y * y) >> 31;
		if (y >= (2ULL << 31)) {
			y >>= 1;
			l2 |= 1ULL << (15 - i);
		}
	}
	/* (32 - log2 x) x ln 2; ln 2 = 45426 / 2^16 */
	return (((32ULL << 16) - l2) * 45426) >> 16;
}

/* The hold of one mapping, ns: drawn around @mean_ns by the shape's law. */
static u64 shape_hold_ns(struct dmabench_shape_thread *st, u32 hold,
			 u32 mean_ns)
{
	u32 x;

	if (!mean_ns || hold == DMABENCH_HOLD_FIXED)
		return mean_ns;
	x = prandom_u32_state(&st->rnd);
	if (hold == DMABENCH_HOLD_UNIFORM)
		return div_u64((u64)x * 2 * mean_ns, U32_MAX);
	return (shape_neg_ln_fp16(x | 1) * mean_ns) >> 16;
}

/* The size class of one op, by weight. */
static unsigned int shape_draw_class(struct dmabench_shape_thread *st,
				     const struct dmabench_shape *s)
{
	u64 total = 0, pick;
	unsigned int i;

	for (i = 0; i < s->nsizes; i++)
		total += s->weights[i];
	/* total x (x / 2^32), without overflow: 0 .. total - 1 */
	pick = mul_u64_u32_shr(total, prandom_u32_state(&st->rnd), 32);
	for (i = 0; i + 1 < s->nsizes; i++) {
		if (pick < s->weights[i])
			return i;
		pick -= s->weights[i];
	}
	return i;
}

/* Wait until @due_ns (ktime), a millisecond at a time, unless stopping. */
static void shape_wait_until(struct dmabench_thread *t, u64 due_ns)
{
	u64 now;

	while ((now = ktime_get_ns()) < due_ns &&
	       !dmabench_thread_stopping(t)) {
		dmabench_delay_ns(min_t(u64, due_ns - now, NSEC_PER_MSEC));
		cond_resched();
	}
}

/*
 * Phases [@first, @last) of the test on slot @slot alone, each timed on its
 * own (and into the slot's size class); 0 or the failed phase's -errno
 * (a make phase fails leaving nothing mapped, see test_*.c).
 */
static int shape_phases(struct dmabench_thread *t,
			struct dmabench_shape_thread *st,
			struct dmabench_slot *slot, unsigned int cls,
			unsigned int first, unsigned int last)
{
	const struct dmabench_test *test = t->test;
	unsigned int ph;
	u64 t0, t1 = 0;
	int ret;

	for (ph = first; ph < last; ph++) {
		const struct dmabench_phase_ops *po = &test->ops->phase[ph];

		if (po->before)
			po->before(t, slot);
		t0 = dmabench_clock_read(t);
		ret = po->op(t, slot);
		t1 = dmabench_clock_read(t);
		if (unlikely(ret))
			return ret;
		dmabench_record_ticks(t, ph, t1 - t0, 1);
		if (st->class_hist && t->timed)
			st->class_hist[((u64)cls * test->nphases + ph) *
				       DMABENCH_HIST_BUCKETS +
				       dmabench_hist_bucket(dmabench_ticks_ns(&t->clk,
									      t1 - t0))]++;
		if (po->after)
			po->after(t, slot);
	}
	t->now = t1;
	return 0;
}

/* Make a mapping in free slot @i: its size class, the make phases, hold. */
static int shape_make(struct dmabench_thread *t,
		      struct dmabench_shape_thread *st, unsigned int i)
{
	const struct dmabench_shape *s = t->p->shape;
	struct dmabench_slot *slot = &t->slots[i];
	struct shape_slot *ss = &st->ss[i];
	int ret;

	ss->cls = s->nsizes ? shape_draw_class(st, s) : 0;
	slot->size = s->nsizes ? s->sizes[ss->cls] : ss->alloc_size;
	slot->failed = false;
	ret = shape_phases(t, st, slot, ss->cls, 0, t->test->ops->nmake);
	if (ret) {
		t->errors++;
		return ret;
	}
	ss->made_ns = ktime_get_ns();
	ss->due_ns = ss->made_ns + shape_hold_ns(st, s->hold,
						 t->p->dma_trans_ns);
	return 0;
}

/* Release the mapping of slot @slot (made by @owner's slot @i). */
static void shape_release(struct dmabench_thread *t,
			  struct dmabench_shape_thread *st,
			  struct dmabench_thread *owner, unsigned int i)
{
	struct dmabench_shape_thread *ost = owner->shape;
	struct shape_slot *ss = &ost->ss[i];

	shape_wait_until(t, ss->due_ns);
	/* release phases cannot fail (test_*.c) */
	shape_phases(t, st, &owner->slots[i], ss->cls,
		     t->test->ops->nmake, t->test->nphases);
	if (t->timed) {
		t->ops++;
		st->class_ops[ss->cls]++;
	}
}

/* The oldest live slot (fifo) or a random one; taken off the ring. */
static unsigned int shape_victim(struct dmabench_thread *t,
				 struct dmabench_shape_thread *st)
{
	const unsigned int n = t->nslots;
	unsigned int v, k;

	if (t->p->shape->order == DMABENCH_ORDER_RANDOM && st->count > 1) {
		k = (st->head + prandom_u32_state(&st->rnd) % st->count) % n;
		swap(st->live[st->head], st->live[k]);
	}
	v = st->live[st->head];
	st->head = (st->head + 1) % n;
	st->count--;
	return v;
}

/*
 * May @t make another mapping?  Not once @made reached the iterations (or
 * as many failed), the duration is over, or the run is stopping.
 */
static bool shape_may_make(struct dmabench_thread *t, u64 iterations,
			   u64 deadline, u64 made)
{
	t->now = dmabench_clock_read(t);
	if (dmabench_thread_stopping(t))
		return false;
	if (iterations)
		return made < iterations && t->errors < iterations;
	return t->now < deadline;
}

/*
 * A thread that maps and unmaps its own: a ring of depth slots.  Every
 * mapping made is unmapped, timed; after a stop (signal, unbind) the rest
 * untimed and without waiting out their holds.
 */
static void shape_ring(struct dmabench_thread *t, u64 iterations,
		       u64 deadline)
{
	struct dmabench_shape_thread *st = t->shape;
	u64 made = 0;
	unsigned int i;

	st->side_start = ktime_get_ns();
	for (;;) {
		if (st->nfree && shape_may_make(t, iterations, deadline, made)) {
			i = st->free[--st->nfree];
			if (shape_make(t, st, i)) {
				st->free[st->nfree++] = i;
			} else {
				st->live[(st->head + st->count) % t->nslots] = i;
				st->count++;
				made++;
			}
		} else if (st->count) {
			/* holds are not waited out then (shape_wait_until) */
			if (dmabench_thread_stopping(t))
				t->timed = false;
			i = shape_victim(t, st);
			shape_release(t, st, t, i);
			st->free[st->nfree++] = i;
		} else {
			break;
		}
		cond_resched();
	}
	st->side_end = ktime_get_ns();
}

/* The mapper threads' slots travel as (thread, slot) in one pointer. */
static void *shape_token(unsigned int owner, unsigned int i)
{
	return (void *)(((unsigned long)owner << 20 | i) + 1);
}

/* pairs, a mapper: make into free slots, hand them over the ring */
static void shape_mapper(struct dmabench_thread *t, u64 iterations,
			 u64 deadline)
{
	struct dmabench_shape_run *sr = t->p->srun;
	struct dmabench_shape_thread *st = t->shape;
	unsigned int i, out = 0;
	void *tok;

	st->side_start = ktime_get_ns();
	while (shape_may_make(t, iterations, deadline, t->ops)) {
		if (!st->nfree) {
			tok = ptr_ring_consume(st->back);
			if (!tok) {
				cond_resched();
				continue;
			}
			st->free[st->nfree++] = ((unsigned long)tok - 1) &
						((1UL << 20) - 1);
			out--;
		}
		i = st->free[--st->nfree];
		if (shape_make(t, st, i)) {
			st->free[st->nfree++] = i;
			cond_resched();
			continue;
		}
		t->ops++;
		out++;
		/*
		 * room for every slot of every mapper, but a consumer
		 * clears taken entries in batches, so the ring can look
		 * full for a moment: yield, the unmapper may share our
		 * CPU (a busy wait there is a soft lockup without
		 * preemption)
		 */
		while (ptr_ring_produce(&sr->ring, shape_token(t->id, i)))
			cond_resched();
		cond_resched();
	}
	st->side_end = ktime_get_ns();
	/* every produce above before the count the unmappers check */
	smp_mb__before_atomic();
	atomic_dec(&sr->mappers_left);
	/* the unmappers release every slot handed over: wait for them all */
	while (out) {
		tok = ptr_ring_consume(st->back);
		if (tok)
			out--;
		else
			cond_resched();
	}
}

/* pairs, an unmapper: take slots off the ring, release, give them back */
static void shape_unmapper(struct dmabench_thread *t)
{
	struct dmabench_shape_run *sr = t->p->srun;
	struct dmabench_shape_thread *st = t->shape;
	struct dmabench_thread *owner;
	unsigned long v;
	unsigned int i;
	u64 q;
	void *tok;

	st->q_min = U64_MAX;
	st->side_start = ktime_get_ns();
	for (;;) {
		tok = ptr_ring_consume(&sr->ring);
		if (!tok) {
			/* pairs with the barrier before atomic_dec() */
			if (!atomic_read_acquire(&sr->mappers_left) &&
			    ptr_ring_empty(&sr->ring))
				break;
			cond_resched();
			continue;
		}
		if (dmabench_thread_stopping(t))
			t->timed = false;
		v = (unsigned long)tok - 1;
		owner = dmabench_thread_of(t, v >> 20);
		i = v & ((1UL << 20) - 1);
		q = ktime_get_ns() - owner->shape->ss[i].made_ns;
		st->handed++;
		st->q_sum += q;
		st->q_min = min(st->q_min, q);
		st->q_max = max(st->q_max, q);
		shape_release(t, st, owner, i);
		/* as the mapper's produce: the owner may share our CPU */
		while (ptr_ring_produce(owner->shape->back, tok))
			cond_resched();
		cond_resched();
	}
	st->side_end = ktime_get_ns();
}

/*
 * The loop of a shaped run's thread, instead of the engine's rounds
 * (every op timed on its own).  Called also when the thread's setup
 * failed (t->err): a mapper still has to say it is done.
 */
void dmabench_shape_loop(struct dmabench_thread *t, u64 iterations,
			 u64 deadline)
{
	const struct dmabench_shape *s = t->p->shape;
	bool mapper = s->map_threads && t->id < s->map_threads;

	if (t->err) {
		if (mapper)
			atomic_dec(&t->p->srun->mappers_left);
		return;
	}
	if (!s->map_threads)
		shape_ring(t, iterations, deadline);
	else if (mapper)
		shape_mapper(t, iterations, deadline);
	else
		shape_unmapper(t);
}

/*
 * A shaped thread's own state, after its slots are set up (slot_init saw
 * the largest size of a mix); undone by dmabench_shape_thread_exit().
 */
int dmabench_shape_thread_init(struct dmabench_thread *t)
{
	const struct dmabench_shape *s = t->p->shape;
	struct dmabench_shape_thread *st;
	unsigned int i;

	st = kvzalloc(sizeof(*st), GFP_KERNEL);
	if (!st)
		return -ENOMEM;
	t->shape = st;
	prandom_seed_state(&st->rnd, (s->seed ? s->seed : 0x5eedULL) +
			   t->id * 0x9e3779b97f4a7c15ULL);
	st->ss = kvcalloc(t->nslots + 1, sizeof(*st->ss), GFP_KERNEL);
	st->live = kvcalloc(t->nslots + 1, sizeof(*st->live), GFP_KERNEL);
	st->free = kvcalloc(t->nslots + 1, sizeof(*st->free), GFP_KERNEL);
	if (!st->ss || !st->live || !st->free)
		goto err;
	if (s->nsizes && s->class_hist_ptr) {
		st->class_hist = kvzalloc(array3_size(s->nsizes,
						      t->test->nphases,
						      DMABENCH_HIST_BUCKETS *
						      sizeof(u64)),
					  GFP_KERNEL);
		if (!st->class_hist)
			goto err;
	}
	for (i = 0; i < t->nslots; i++) {
		st->ss[i].alloc_size = t->slots[i].size;
		st->free[st->nfree++] = t->nslots - 1 - i;
	}
	if (s->map_threads && t->id < s->map_threads)
		st->back = &t->p->srun->back[t->id];
	return 0;

err:
	dmabench_shape_thread_exit(t);
	return -ENOMEM;
}

/* Before the slots go: their sizes as slot_init left them. */
void dmabench_shape_thread_exit(struct dmabench_thread *t)
{
	struct dmabench_shape_thread *st = t->shape;
	unsigned int i;

	if (!st)
		return;
	shape_thread_merge(t, st);
	for (i = 0; st->ss && t->slots && i < t->nslots; i++)
		t->slots[i].size = st->ss[i].alloc_size;
	kvfree(st->class_hist);
	kvfree(st->free);
	kvfree(st->live);
	kvfree(st->ss);
	kvfree(st);
	t->shape = NULL;
}

/* The shared state of a shaped run, or NULL (-errno in *err) */
struct dmabench_shape_run *dmabench_shape_run_alloc(const struct dmabench_shape *s,
						    const struct dmabench_test *test,
						    unsigned int nslots, int *err)
{
	struct dmabench_shape_run *sr = kzalloc(sizeof(*sr), GFP_KERNEL);

	*err = -ENOMEM;
	if (!sr)
		return NULL;
	spin_lock_init(&sr->lock);
	sr->nphases = test->nphases;
	sr->nsizes = s->nsizes;
	sr->q_min = U64_MAX;
	sr->map_start = U64_MAX;
	sr->unmap_start = U64_MAX;
	atomic_set(&sr->mappers_left, s->map_threads);
	if (s->nsizes && s->class_hist_ptr) {
		sr->class_hist = kvzalloc(array3_size(s->nsizes, test->nphases,
						      DMABENCH_HIST_BUCKETS *
						      sizeof(u64)), GFP_KERNEL);
		if (!sr->class_hist)
			goto err;
	}
	if (s->map_threads) {
		/* room for every slot of every mapper */
		if (ptr_ring_init(&sr->ring, s->map_threads * nslots + 1,
				  GFP_KERNEL))
			goto err;
		sr->ring_ready = true;
		/*
		 * one ring per mapper for its slots given back; the run's,
		 * so that an unmapper's last produce never meets a mapper
		 * that has already gone
		 */
		sr->back = kcalloc(s->map_threads, sizeof(*sr->back),
				   GFP_KERNEL);
		if (!sr->back)
			goto err;
		for (; sr->nback < s->map_threads; sr->nback++)
			if (ptr_ring_init(&sr->back[sr->nback], nslots + 1,
					  GFP_KERNEL))
				goto err;
	}
	*err = 0;
	return sr;

err:
	pr_err("run: out of memory for the shape's state: use fewer threads or a smaller depth\n");
	dmabench_shape_run_free(sr);
	return NULL;
}

void dmabench_shape_run_free(struct dmabench_shape_run *sr)
{
	if (!sr)
		return;
	if (sr->ring_ready)
		ptr_ring_cleanup(&sr->ring, NULL);
	while (sr->nback)
		ptr_ring_cleanup(&sr->back[--sr->nback], NULL);
	kfree(sr->back);
	kvfree(sr->class_hist);
	kfree(sr);
}

/* A shaped thread's results into the run's, as it ends. */
static void shape_thread_merge(struct dmabench_thread *t,
			       struct dmabench_shape_thread *st)
{
	struct dmabench_shape_run *sr = t->p->srun;
	const struct dmabench_shape *s = t->p->shape;
	bool unmapper = s->map_threads && t->id >= s->map_threads;
	size_t i, n;

	spin_lock(&sr->lock);
	for (i = 0; i < DMABENCH_MAX_SIZES; i++)
		sr->class_ops[i] += st->class_ops[i];
	if (st->class_hist && sr->class_hist) {
		n = (size_t)s->nsizes * t->test->nphases *
		    DMABENCH_HIST_BUCKETS;
		for (i = 0; i < n; i++)
			sr->class_hist[i] += st->class_hist[i];
	}
	sr->handed += st->handed;
	sr->q_sum += st->q_sum;
	if (st->handed) {
		sr->q_min = min(sr->q_min, st->q_min);
		sr->q_max = max(sr->q_max, st->q_max);
	}
	if (st->side_start && unmapper) {
		sr->unmap_start = min(sr->unmap_start, st->side_start);
		sr->unmap_end = max(sr->unmap_end, st->side_end);
	} else if (st->side_start) {
		sr->map_start = min(sr->map_start, st->side_start);
		sr->map_end = max(sr->map_end, st->side_end);
	}
	spin_unlock(&sr->lock);
}

/*
 * The run's shape results into @s and the size classes' histograms to
 * class_hist_ptr (after the threads are gone).
 */
int dmabench_shape_run_put(struct dmabench_shape_run *sr,
			   struct dmabench_shape *s)
{
	memcpy(s->class_ops, sr->class_ops, sizeof(s->class_ops));
	s->handed_over = sr->handed;
	s->queue_sum_ns = sr->q_sum;
	s->queue_min_ns = sr->handed ? sr->q_min : 0;
	s->queue_max_ns = sr->q_max;
	if (s->map_threads) {
		s->map_elapsed_ns = sr->map_start < sr->map_end ?
				    sr->map_end - sr->map_start : 0;
		s->unmap_elapsed_ns = sr->unmap_start < sr->unmap_end ?
				      sr->unmap_end - sr->unmap_start : 0;
	}
	if (sr->class_hist &&
	    copy_to_user(u64_to_user_ptr(s->class_hist_ptr), sr->class_hist,
			 (size_t)s->nsizes * sr->nphases *
			 DMABENCH_HIST_BUCKETS * sizeof(u64)))
		return -EFAULT;
	return 0;
}
