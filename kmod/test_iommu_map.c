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
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

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
	unsigned int nlive;
	unsigned int npend;
	unsigned long *slot;		/* live mappings (IOVA pfns) */
	unsigned long *pend;		/* unmapped, not invalidated yet */
	struct iommu_iotlb_gather gather;
	u64 rnd;
	u64 slow;
	u64 unmaps;
	u64 inline_syncs;		/* synced inside iommu_unmap_fast */
};

static int im_check(const struct dmabench_params *p)
{
	if (get_order(p->size) > DMABENCH_MAX_ORDER) {
		pr_err_ratelimited("iommu_map: buf_size %zu is above the largest physically contiguous buffer (%lu bytes): use a smaller size\n",
				   p->size, PAGE_SIZE << DMABENCH_MAX_ORDER);
		return -ENOMEM;
	}
	return dmabench_check_memory(p, PAGE_SIZE << get_order(p->size),
				     "iommu_map");
}

static u32 im_rand(struct im_thread *m)
{
	/* xorshift64*: reproducible for a seed, cheap, not timed */
	m->rnd ^= m->rnd >> 12;
	m->rnd ^= m->rnd << 25;
	m->rnd ^= m->rnd >> 27;
	return (u32)((m->rnd * 0x2545f4914f6cdd1dULL) >> 32);
}

static void im_free(struct im_thread *m)
{
	kvfree(m->slot);
	kvfree(m->pend);
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
	m->flush_n = p->iop.flush_n ? p->iop.flush_n :
		     p->iop.flush == DMABENCH_FLUSH_STRICT ? 1 :
		     IM_DEFAULT_FLUSH_N;
	if (p->iop.flush == DMABENCH_FLUSH_STRICT)
		m->flush_n = 1;
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
	m->page = alloc_pages_node(p->node, DMABENCH_GFP,
				   m->order);
	if (!m->slot || !m->pend || !m->page) {
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
	unsigned int i;
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
	for (i = 0; i < m->npend; i++) {
		t0 = dmabench_clock_read(t);
		free_iova_fast(&m->d->iovad, m->pend[i], m->npfn);
		t1 = dmabench_clock_read(t);
		dmabench_record_ticks(t, IM_FREE, t1 - t0, 1);
	}
	m->npend = 0;
	t->now = t1;
}

static int __maybe_unused im_iterate(struct dmabench_thread *t)
{
	struct im_thread *m = t->priv;
	struct dmabench_iodom *d = m->d;
	unsigned long pfn;
	size_t done;
	bool gathered;
	u64 t0, t1;
	int ret;

	if (m->nlive == m->live) {
		unsigned int j = m->live == 1 ? 0 : im_rand(m) % m->nlive;

		pfn = m->slot[j];
		m->slot[j] = m->slot[--m->nlive];
		gathered = m->gather.end != 0;	/* init: end 0 */
		t0 = dmabench_clock_read(t);
		done = iommu_unmap_fast(d->dom, pfn << d->shift, m->len,
					&m->gather);
		t1 = dmabench_clock_read(t);
		dmabench_record_ticks(t, IM_UNMAP, t1 - t0, 1);
		m->unmaps++;
		if (gathered && m->gather.start == pfn << d->shift &&
		    m->gather.end == (pfn << d->shift) + m->len - 1)
			m->inline_syncs++;
		m->pend[m->npend++] = pfn;
		if (m->npend == m->flush_n)
			im_flush(t, m);
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
	if (dmabench_ticks_ns(&t->clk, t1 - t0) > (m->slow_ns ? m->slow_ns :
		       IM_SLOW_FACTOR * t->ps[IM_ALLOC].min))
		m->slow++;

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
	atomic64_add(m->slow, &t->p->io->slow_allocs);
	if (m->inline_syncs)
		pr_info_ratelimited("iommu_map: thread %u: %llu of %llu unmaps synced the IOTLB inside iommu_unmap_fast (page disjoint from the gathered range): their unmap time holds an invalidation\n",
				    t->id, m->inline_syncs, m->unmaps);
	im_free(m);
	t->priv = NULL;
}

const struct dmabench_test_ops dmabench_ops_iommu_map = {
	.check		= im_check,
	.setup		= im_setup,
	.iterate	= im_iterate,
	.teardown	= im_teardown,
};
#else
const struct dmabench_test_ops dmabench_ops_iommu_map = {};
#endif
