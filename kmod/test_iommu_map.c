// SPDX-License-Identifier: GPL-2.0
/*
 * iommu_map: the IOMMU API without the DMA API on top, in per-device or
 * per-instance domains (dmabench_iommu.c sets them up).  Each operation
 * allocates an IOVA (alloc_iova_fast, per-CPU rcaches up to 128 KiB) and
 * maps the thread's buffer there (iommu_map); once the thread holds @live
 * mappings, a random one of them is unmapped first (iommu_unmap_fast into a
 * gather).  The TLB invalidation follows the flush policy: strict syncs
 * every buffer (what iommu_unmap() does), batch syncs every flush_n
 * buffers, all flushes the whole IOTLB every flush_n buffers.  IOVAs go
 * back (free_iova_fast) only after their invalidation.
 *
 * What batch can separate: drivers that gather with
 * iommu_iotlb_gather_add_page() (SMMUv2/v3, VT-d, AMD) sync the IOTLB
 * inside iommu_unmap_fast() when the page is disjoint from the gathered
 * range, which with live > 1 and random order is most unmaps; that time
 * lands in "unmap", not "invalidate".  Such syncs are counted (the gather
 * then holds only the new page) and reported per thread.  all marks the
 * gather queued, as iommu-dma's lazy mode does, so the drivers add nothing
 * to it and the flush-all is the only invalidation.
 *
 * Timing (run.batch, the engine's t->nslots).  batch 1 times every call
 * on its own, in the order above (peak live set: live).  batch N > 1
 * works in rounds: allocate N IOVAs (one timed block), map them (one
 * block), then unmap the round's victims: each new mapping takes the place
 * of a random one of the live set as in batch 1 (the same ones for a seed),
 * only their unmaps wait for the round's maps (peak: live + N).  A timed
 * block never holds an invalidation: unmap and iova_free run in blocks
 * of gcd(N, flush_n) ops (N and flush_n: a multiple of one another makes
 * that the smaller), so that every flush, which falls due after every
 * flush_n unmaps, falls between two blocks; strict (flush_n 1) times
 * them one by one.  invalidate is always one sample per flush.
 * Each block goes into the histogram as its per-op mean, once per op.
 * batch 0: the engine's calibration picks N (dmabench_run.c), and
 * im_batch_fit() moves it to a multiple or divisor of flush_n.  Under
 * batch N > 1 a slow allocation is a block whose per-op mean is above
 * slow_ns (or 8 x the fastest block mean so far), counted as its N ops:
 * one rcache miss among N fast allocations may not lift the mean that
 * far, so batch 1 counts them one by one.  In-unmap syncs are counted per
 * unmap inside the block (two compares of the gather per op).  The default
 * is batch 0, as for every other test: iova_alloc from the rcaches and
 * map cost a few clock reads on hardware, so per-op timing would report
 * mostly the clock; the tail of single allocations (rcache misses) and
 * their one-by-one count are what --batch 1 is for.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/gcd.h>
#include <linux/gfp.h>
#include <linux/iommu.h>
#include <linux/iova.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "compat.h"
#include "dmabench.h"

/*
 * The whole test needs the DMA ownership API (5.19), and with it the gather's
 * queued flag and iommu_iotlb_gather_add_range() (5.15): older kernels get
 * empty ops, so the module leaves iommu_map out of its tests file.
 */
#ifdef HAVE_IOMMU_CLAIM_DMA_OWNER

enum { IM_ALLOC, IM_MAP, IM_UNMAP, IM_INVAL, IM_FREE };

/*
 * IOVA_RANGE_CACHE_MAX_SIZE of drivers/iommu/iova.c: the rcaches hold
 * sizes up to 2^(6 - 1) granules, and iommu-dma rounds smaller sizes up to
 * a power of two so they hit them; so does this test.
 */
#define IM_RCACHE_ORDERS	6
#define IM_DEFAULT_FLUSH_N	32
#define IM_SLOW_FACTOR		8	/* slow_ns 0: 8 x the fastest so far */

struct im_thread {
	struct dmabench_iodom *d;
	struct page *page;
	unsigned int order;
	size_t len;			/* bytes mapped per buffer */
	unsigned long npfn;		/* IOVA granules per buffer */
	int prot;
	u32 live;
	u32 flush_n;
	u32 slow_ns;
	u32 batch;			/* ops per round (t->nslots) */
	u32 blk;			/* unmap, iova_free block: gcd(batch, flush_n) */
	unsigned int nlive;
	unsigned int npend;
	unsigned long *slot;		/* live mappings (IOVA pfns) */
	unsigned long *pend;		/* unmapped, not invalidated yet */
	unsigned long *fresh;		/* batch > 1: a round's new IOVAs, victims */
	struct iommu_iotlb_gather gather;
	u64 rnd;
	u64 slow;
	u64 unmaps;
	u64 inline_syncs;		/* synced inside iommu_unmap_fast */
};

/* buffers per invalidation (strict: 1) */
static u32 im_flush_n(const struct dmabench_params *p)
{
	if (p->iop.flush == DMABENCH_FLUSH_STRICT)
		return 1;
	return p->iop.flush_n ? p->iop.flush_n : IM_DEFAULT_FLUSH_N;
}

static int im_check(const struct dmabench_params *p)
{
	/* one buffer per thread, whatever the batch: every IOVA maps it */
	struct dmabench_params one = *p;

	if (get_order(p->size) > DMABENCH_MAX_ORDER) {
		pr_err_ratelimited("iommu_map: buf_size %zu is above the largest physically contiguous buffer (%lu bytes): use a smaller size\n",
				   p->size, PAGE_SIZE << DMABENCH_MAX_ORDER);
		return -ENOMEM;
	}
	one.nslots = 1;
	return dmabench_check_memory(&one, PAGE_SIZE << get_order(p->size),
				     "iommu_map");
}

/*
 * batch 0: @n from the calibration, moved to a multiple of flush_n (down)
 * or a divisor of it (up), so that unmap and iova_free blocks are whole
 * batches or whole flushes; @n where flush_n has no divisor that fits.
 */
static unsigned int im_batch_fit(const struct dmabench_params *p,
				 unsigned int n)
{
	u32 f = im_flush_n(p);
	unsigned int d;

	if (n >= f)
		return rounddown(n, f);
	d = n;
	while (f % d)
		d++;
	return d <= DMABENCH_MAX_BATCH ? d : n;
}

static u32 im_rand(struct im_thread *m)
{
	/* xorshift64*: reproducible for a seed, cheap, not timed */
	m->rnd ^= m->rnd >> 12;
	m->rnd ^= m->rnd << 25;
	m->rnd ^= m->rnd >> 27;
	return (u32)((m->rnd * 0x2545f4914f6cdd1dULL) >> 32);
}

/* A random live mapping leaves the live set: its IOVA pfn. */
static unsigned long im_take_victim(struct im_thread *m)
{
	unsigned int j = m->nlive == 1 ? 0 : im_rand(m) % m->nlive;
	unsigned long pfn = m->slot[j];

	m->slot[j] = m->slot[--m->nlive];
	return pfn;
}

static void im_free(struct im_thread *m)
{
	kvfree(m->slot);
	kvfree(m->pend);
	kvfree(m->fresh);
	if (m->page)
		__free_pages(m->page, m->order);
	kfree(m);
}

/* flush all: queued, the drivers leave the range to the flush-all */
static void im_gather_init(struct dmabench_thread *t, struct im_thread *m)
{
	iommu_iotlb_gather_init(&m->gather);
	m->gather.queued = t->p->iop.flush == DMABENCH_FLUSH_ALL;
}

/* Gather the pending IOVAs by hand (unmapped while the gather was queued) */
static void im_gather_pending(struct im_thread *m)
{
	unsigned int i;

	for (i = 0; i < m->npend; i++)
		iommu_iotlb_gather_add_range(&m->gather,
					     m->pend[i] << m->d->shift,
					     m->len);
}

static int im_setup(struct dmabench_thread *t)
{
	const struct dmabench_params *p = t->p;
	struct dmabench_ioset *io = p->io;
	struct dmabench_iodom *d;
	struct im_thread *m;

	m = kzalloc_node(sizeof(*m), GFP_KERNEL, p->node);
	if (!m)
		return -ENOMEM;
	d = io->grps[io->dev_grp[t->id % io->ndevs]].dom;
	m->d = d;
	m->order = get_order(p->size);
	m->len = ALIGN(p->size, 1UL << d->shift);
	m->npfn = m->len >> d->shift;
	if (m->npfn < (1UL << (IM_RCACHE_ORDERS - 1)))
		m->npfn = roundup_pow_of_two(m->npfn);
	m->live = p->iop.live ? p->iop.live : 1;
	m->flush_n = im_flush_n(p);
	m->batch = max(t->nslots, 1U);
	m->blk = gcd(m->batch, m->flush_n);
	m->slow_ns = p->iop.slow_ns;
	m->prot = d->prot_cache;
	if (p->dir != DMA_FROM_DEVICE)
		m->prot |= IOMMU_READ;
	if (p->dir != DMA_TO_DEVICE)
		m->prot |= IOMMU_WRITE;
	m->rnd = (p->iop.seed ? p->iop.seed : 0x9e3779b97f4a7c15ULL) ^
		 ((u64)(t->id + 1) * 0xbf58476d1ce4e5b9ULL);
	if (!m->rnd)
		m->rnd = 1;
	im_gather_init(t, m);
	m->slot = kvcalloc(m->live, sizeof(*m->slot), GFP_KERNEL);
	m->pend = kvcalloc(m->flush_n, sizeof(*m->pend), GFP_KERNEL);
	if (m->batch > 1)
		m->fresh = kvcalloc(m->batch, sizeof(*m->fresh), GFP_KERNEL);
	m->page = alloc_pages_node(p->node, DMABENCH_GFP,
				   m->order);
	if (!m->slot || !m->pend || (m->batch > 1 && !m->fresh) || !m->page) {
		im_free(m);
		return -ENOMEM;
	}
	t->priv = m;
	return 0;
}

/* Invalidate what is in the gather, then give those IOVAs back. */
static void im_flush(struct dmabench_thread *t, struct im_thread *m)
{
	struct iommu_domain *dom = m->d->dom;
	unsigned int i, j, n;
	u64 t0, t1;

	t0 = dmabench_clock_read(t);
	if (t->p->iop.flush == DMABENCH_FLUSH_ALL) {
		iommu_flush_iotlb_all(dom);
		t1 = dmabench_clock_read(t);
		/*
		 * VT-d keeps freed page-table pages in the gather until a
		 * sync releases them: sync then (not timed), else reset it.
		 */
		if (dmabench_gather_has_pages(&m->gather)) {
			im_gather_pending(m);
			iommu_iotlb_sync(dom, &m->gather);
		}
		im_gather_init(t, m);
	} else {
		iommu_iotlb_sync(dom, &m->gather);
		t1 = dmabench_clock_read(t);
	}
	dmabench_record_ticks(t, IM_INVAL, t1 - t0, 1);
	/* batch 1: every free on its own; batch N: blocks of m->blk */
	for (i = 0; i < m->npend; i += n) {
		n = min(m->blk, m->npend - i);
		t0 = dmabench_clock_read(t);
		for (j = i; j < i + n; j++)
			free_iova_fast(&m->d->iovad, m->pend[j], m->npfn);
		t1 = dmabench_clock_read(t);
		dmabench_record_ticks(t, IM_FREE, t1 - t0, n);
	}
	m->npend = 0;
	t->now = t1;
}

/* @n unmapped IOVAs wait for the invalidation: flush once flush_n wait */
static void im_pend(struct dmabench_thread *t, struct im_thread *m,
		    const unsigned long *pfns, unsigned int n)
{
	memcpy(m->pend + m->npend, pfns, n * sizeof(*m->pend));
	m->npend += n;
	if (m->npend == m->flush_n)
		im_flush(t, m);
}

/*
 * Just after unmapping @iova: the gather holds it alone though it held a
 * range before (@gathered): the driver synced the IOTLB inside the unmap.
 */
static bool im_synced_inline(const struct im_thread *m, unsigned long iova,
			     bool gathered)
{
	return gathered && m->gather.start == iova &&
	       m->gather.end == iova + m->len - 1;
}

/* iova_alloc of @n ops took @ticks: slow as one op, or (batch) as a block */
static void im_count_slow(struct dmabench_thread *t, struct im_thread *m,
			  u64 ticks, unsigned int n)
{
	u64 mean = div_u64(dmabench_ticks_ns(&t->clk, ticks), n);

	if (t->timed && mean > (m->slow_ns ? m->slow_ns :
				IM_SLOW_FACTOR * t->ps[IM_ALLOC].min))
		m->slow += n;
}

/* batch 1: one operation, every call timed on its own */
static int im_op(struct dmabench_thread *t, struct im_thread *m)
{
	struct dmabench_iodom *d = m->d;
	unsigned long pfn;
	size_t done;
	bool gathered;
	u64 t0, t1;
	int ret;

	if (m->nlive == m->live) {
		pfn = im_take_victim(m);
		gathered = m->gather.end != 0;	/* init: end 0 */
		t0 = dmabench_clock_read(t);
		done = iommu_unmap_fast(d->dom, pfn << d->shift, m->len,
					&m->gather);
		t1 = dmabench_clock_read(t);
		dmabench_record_ticks(t, IM_UNMAP, t1 - t0, 1);
		m->unmaps++;
		if (im_synced_inline(m, pfn << d->shift, gathered))
			m->inline_syncs++;
		im_pend(t, m, &pfn, 1);
		if (unlikely(done != m->len)) {
			pr_err_ratelimited("iommu_map: iommu_unmap_fast unmapped %zu of %zu bytes\n",
					   done, m->len);
			t->now = dmabench_clock_read(t);
			return -EIO;
		}
	}

	t0 = dmabench_clock_read(t);
	pfn = alloc_iova_fast(&d->iovad, m->npfn, d->limit_pfn, true);
	t1 = dmabench_clock_read(t);
	if (unlikely(!pfn)) {
		t->now = t1;
		return -ENOSPC;
	}
	dmabench_record_ticks(t, IM_ALLOC, t1 - t0, 1);
	im_count_slow(t, m, t1 - t0, 1);

	t0 = dmabench_clock_read(t);
	ret = dmabench_iommu_map(d->dom, pfn << d->shift,
				 page_to_phys(m->page), m->len, m->prot);
	t1 = dmabench_clock_read(t);
	if (unlikely(ret)) {
		free_iova_fast(&d->iovad, pfn, m->npfn);
		t->now = t1;
		return ret;
	}
	dmabench_record_ticks(t, IM_MAP, t1 - t0, 1);
	m->slot[m->nlive++] = pfn;
	t->now = t1;
	if (t->p->dma_trans_ns) {
		dmabench_delay_ns(t->p->dma_trans_ns);
		t->now = dmabench_clock_read(t);
	}
	return 0;
}

/* batch N: a victim whose unmap a failure cut off, untimed, then pending */
static void im_unmap_untimed(struct dmabench_thread *t, struct im_thread *m,
			     unsigned long pfn)
{
	iommu_unmap_fast(m->d->dom, pfn << m->d->shift, m->len, &m->gather);
	im_pend(t, m, &pfn, 1);
}

/*
 * batch N: unmap the round's @nv victims (m->fresh) in blocks of at most
 * m->blk that end where a flush falls due.  0, or -EIO (then the rest are
 * unmapped untimed).
 */
static int im_unmap_victims(struct dmabench_thread *t, struct im_thread *m,
			    unsigned int nv)
{
	struct dmabench_iodom *d = m->d;
	unsigned int v, i, n, inl;
	unsigned long iova;
	size_t done = m->len;
	bool gathered;
	u64 t0, t1;

	for (v = 0; v < nv; v += n) {
		n = min3(m->blk, nv - v, m->flush_n - m->npend);
		inl = 0;
		gathered = m->gather.end != 0;
		t0 = dmabench_clock_read(t);
		for (i = v; i < v + n; i++) {
			iova = m->fresh[i] << d->shift;
			done = iommu_unmap_fast(d->dom, iova, m->len,
						&m->gather);
			if (unlikely(done != m->len))
				break;
			inl += im_synced_inline(m, iova, gathered);
			gathered = m->gather.end != 0;
		}
		t1 = dmabench_clock_read(t);
		t->now = t1;
		if (i > v)
			dmabench_record_ticks(t, IM_UNMAP, t1 - t0, i - v);
		m->unmaps += i - v;
		m->inline_syncs += inl;
		if (unlikely(i < v + n)) {
			/* as batch 1: the failed one is pending too */
			im_pend(t, m, m->fresh + v, i + 1 - v);
			for (i++; i < nv; i++)
				im_unmap_untimed(t, m, m->fresh[i]);
			pr_err_ratelimited("iommu_map: iommu_unmap_fast unmapped %zu of %zu bytes\n",
					   done, m->len);
			return -EIO;
		}
		im_pend(t, m, m->fresh + v, n);
	}
	return 0;
}

/*
 * batch N: one round of up to @n operations: iova_alloc, map (each one
 * timed block), the simulated transfer, then the unmaps.  Each new mapping
 * takes the place of a random victim of the live set as in batch 1 (the
 * same victims for a seed), only the victims are unmapped after the round's
 * maps: live + N mappings at the peak.  The ops that failed count one
 * error each; IOVAs of ops a failure cut off go back untimed.
 */
static int im_round(struct dmabench_thread *t, struct im_thread *m,
		    unsigned int n)
{
	struct dmabench_iodom *d = m->d;
	unsigned int k, i, nv;
	unsigned long pfn;
	u64 t0, t1;
	int ret = 0, err;

	t0 = dmabench_clock_read(t);
	for (k = 0; k < n; k++) {
		m->fresh[k] = alloc_iova_fast(&d->iovad, m->npfn,
					      d->limit_pfn, true);
		if (unlikely(!m->fresh[k]))
			break;
	}
	t1 = dmabench_clock_read(t);
	t->now = t1;
	if (k) {
		dmabench_record_ticks(t, IM_ALLOC, t1 - t0, k);
		im_count_slow(t, m, t1 - t0, k);
	}
	if (unlikely(k < n)) {
		t->errors++;
		ret = -ENOSPC;
	}

	err = 0;
	t0 = dmabench_clock_read(t);
	for (i = 0; i < k; i++) {
		err = dmabench_iommu_map(d->dom, m->fresh[i] << d->shift,
					 page_to_phys(m->page), m->len,
					 m->prot);
		if (unlikely(err))
			break;
	}
	t1 = dmabench_clock_read(t);
	t->now = t1;
	if (i)
		dmabench_record_ticks(t, IM_MAP, t1 - t0, i);
	if (unlikely(i < k)) {
		t->errors++;
		ret = err;
		while (k > i)
			free_iova_fast(&d->iovad, m->fresh[--k], m->npfn);
	}
	t->ops += i;
	if (i && t->p->dma_trans_ns) {
		dmabench_delay_ns(t->p->dma_trans_ns);
		t->now = dmabench_clock_read(t);
	}
	/* fresh[] becomes the victims: victim nv is written after read i */
	for (k = 0, nv = 0; k < i; k++) {
		pfn = m->fresh[k];
		if (m->nlive == m->live)
			m->fresh[nv++] = im_take_victim(m);
		m->slot[m->nlive++] = pfn;
	}
	err = im_unmap_victims(t, m, nv);
	if (unlikely(err)) {
		t->errors++;
		ret = err;
	}
	return ret;
}

static int __maybe_unused im_iterate(struct dmabench_thread *t, unsigned int n)
{
	struct im_thread *m = t->priv;
	int ret;

	if (m->batch > 1)
		return im_round(t, m, n);
	ret = im_op(t, m);
	if (ret)
		t->errors++;
	else
		t->ops++;
	return ret;
}

/* Unmap what is live, one invalidation, give every IOVA back; not timed. */
static void im_teardown(struct dmabench_thread *t)
{
	struct im_thread *m = t->priv;
	struct dmabench_iodom *d = m->d;
	unsigned int i;

	if (m->gather.queued) {
		/* unmapped while queued: the drivers gathered nothing */
		m->gather.queued = false;
		im_gather_pending(m);
	}
	for (i = 0; i < m->nlive; i++)
		iommu_unmap_fast(d->dom, m->slot[i] << d->shift, m->len,
				 &m->gather);
	if (m->nlive || m->npend)
		iommu_iotlb_sync(d->dom, &m->gather);
	for (i = 0; i < m->nlive; i++)
		free_iova_fast(&d->iovad, m->slot[i], m->npfn);
	for (i = 0; i < m->npend; i++)
		free_iova_fast(&d->iovad, m->pend[i], m->npfn);
	/* the auto batch's calibration counts for nothing */
	if (!t->calibration) {
		atomic64_add(m->slow, &t->p->io->slow_allocs);
		if (m->inline_syncs)
			pr_info_ratelimited("iommu_map: thread %u: %llu of %llu unmaps synced the IOTLB inside iommu_unmap_fast (page disjoint from the gathered range): their unmap time holds an invalidation\n",
					    t->id, m->inline_syncs, m->unmaps);
	}
	im_free(m);
	t->priv = NULL;
}

const struct dmabench_test_ops dmabench_ops_iommu_map = {
	.check		= im_check,
	.setup		= im_setup,
	.iterate	= im_iterate,
	.batch_fit	= im_batch_fit,
	.teardown	= im_teardown,
};
#else
const struct dmabench_test_ops dmabench_ops_iommu_map = {};
#endif
