// SPDX-License-Identifier: GPL-2.0
/*
 * The DMA allocators, each allocation + free timed separately:
 *  alloc:               dma_alloc_attrs() + dma_free_attrs() with the run's
 *                       DMA_ATTR_* (coherent memory);
 *  alloc_noncoherent:   dma_alloc_noncoherent() + the two syncs a driver
 *                       owes such memory + dma_free_noncoherent();
 *  alloc_pages:         dma_alloc_pages() + dma_free_pages();
 *  alloc_noncontiguous: dma_alloc_noncontiguous() + dma_free_noncontiguous()
 *                       (contiguous only in DMA space, through an IOMMU).
 * A failed allocation is a counted error: __GFP_NOWARN and DMA_ATTR_NO_WARN
 * keep a too large request from warning.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/dma-mapping.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/scatterlist.h>
#include <linux/string.h>
#include <linux/timekeeping.h>

#include "compat.h"
#include "dmabench.h"

#define ALLOC_GFP	(GFP_KERNEL | __GFP_NOWARN)

/* Called with the device acquired and its run DMA mask set. */
static int alloc_check(const struct dmabench_params *p)
{
	if (!p->dev->coherent_dma_mask) {
		dev_err_ratelimited(p->dev, "alloc: the device has no coherent DMA mask, it cannot allocate DMA memory: pick another device\n");
		return -EIO;
	}
	return 0;
}

static int alloc_iterate(struct dmabench_thread *t)
{
	const struct dmabench_params *p = t->p;
	const unsigned long attrs = p->attrs | DMA_ATTR_NO_WARN;
	dma_addr_t handle;
	void *cookie;
	u64 t0, t1;

	/* with DMA_ATTR_NO_KERNEL_MAPPING @cookie is opaque: never touch it */
	t0 = ktime_get_ns();
	cookie = dma_alloc_attrs(p->dev, p->size, &handle, ALLOC_GFP, attrs);
	t1 = ktime_get_ns();
	if (!cookie)
		return -ENOMEM;
	dmabench_record(t, 0, t1 - t0);

	t0 = ktime_get_ns();
	dma_free_attrs(p->dev, p->size, cookie, handle, attrs);
	t1 = ktime_get_ns();
	dmabench_record(t, 1, t1 - t0);
	t->now = t1;
	return 0;
}

const struct dmabench_test_ops dmabench_ops_alloc = {
	.check		= alloc_check,
	.iterate	= alloc_iterate,
};

static int alloc_noncoherent_iterate(struct dmabench_thread *t)
{
	const struct dmabench_params *p = t->p;
	dma_addr_t handle;
	void *buf;
	u64 t0, t1;

	t0 = ktime_get_ns();
	buf = dma_alloc_noncoherent(p->dev, p->size, &handle, p->dir,
				    ALLOC_GFP);
	t1 = ktime_get_ns();
	if (!buf)
		return -ENOMEM;
	dmabench_record(t, 0, t1 - t0);

	/* the CPU fills the buffer for the device; not timed */
	if (p->dir != DMA_FROM_DEVICE)
		memset(buf, 0x66, p->size);

	t0 = ktime_get_ns();
	dma_sync_single_for_device(p->dev, handle, p->size, p->dir);
	t1 = ktime_get_ns();
	dmabench_record(t, 1, t1 - t0);

	t0 = ktime_get_ns();
	dma_sync_single_for_cpu(p->dev, handle, p->size, p->dir);
	t1 = ktime_get_ns();
	dmabench_record(t, 2, t1 - t0);

	t0 = ktime_get_ns();
	dma_free_noncoherent(p->dev, p->size, buf, handle, p->dir);
	t1 = ktime_get_ns();
	dmabench_record(t, 3, t1 - t0);
	t->now = t1;
	return 0;
}

const struct dmabench_test_ops dmabench_ops_alloc_noncoherent = {
	.check		= alloc_check,
	.iterate	= alloc_noncoherent_iterate,
};

#ifdef HAVE_DMA_ALLOC_PAGES
static int alloc_pages_iterate(struct dmabench_thread *t)
{
	const struct dmabench_params *p = t->p;
	dma_addr_t handle;
	struct page *page;
	u64 t0, t1;

	t0 = ktime_get_ns();
	page = dma_alloc_pages(p->dev, p->size, &handle, p->dir, ALLOC_GFP);
	t1 = ktime_get_ns();
	if (!page)
		return -ENOMEM;
	dmabench_record(t, 0, t1 - t0);

	t0 = ktime_get_ns();
	dma_free_pages(p->dev, p->size, page, handle, p->dir);
	t1 = ktime_get_ns();
	dmabench_record(t, 1, t1 - t0);
	t->now = t1;
	return 0;
}

const struct dmabench_test_ops dmabench_ops_alloc_pages = {
	.check		= alloc_check,
	.iterate	= alloc_pages_iterate,
};
#else
/* no dma_alloc_pages() before 5.11: no iterate, the module leaves it out */
const struct dmabench_test_ops dmabench_ops_alloc_pages;
#endif /* HAVE_DMA_ALLOC_PAGES */

#ifdef HAVE_DMA_ALLOC_NONCONTIGUOUS
static int alloc_noncontiguous_iterate(struct dmabench_thread *t)
{
	const struct dmabench_params *p = t->p;
	struct sg_table *sgt;
	u64 t0, t1;

	t0 = ktime_get_ns();
	sgt = dma_alloc_noncontiguous(p->dev, p->size, p->dir, ALLOC_GFP, 0);
	t1 = ktime_get_ns();
	if (!sgt)
		return -ENOMEM;
	dmabench_record(t, 0, t1 - t0);

	t0 = ktime_get_ns();
	dma_free_noncontiguous(p->dev, p->size, sgt, p->dir);
	t1 = ktime_get_ns();
	dmabench_record(t, 1, t1 - t0);
	t->now = t1;
	return 0;
}

const struct dmabench_test_ops dmabench_ops_alloc_noncontiguous = {
	.check		= alloc_check,
	.iterate	= alloc_noncontiguous_iterate,
};
#else
/* no dma_alloc_noncontiguous() before 5.13: left out like alloc_pages */
const struct dmabench_test_ops dmabench_ops_alloc_noncontiguous;
#endif /* HAVE_DMA_ALLOC_NONCONTIGUOUS */
