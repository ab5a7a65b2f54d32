// SPDX-License-Identifier: GPL-2.0
/*
 * map_single: dma_map_single() + dma_unmap_single() of one physically
 * contiguous buffer per thread, timed separately, like
 * kernel/dma/map_benchmark.c.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/string.h>
#include <linux/timekeeping.h>

#include "compat.h"
#include "dmabench.h"

/* Called with the device acquired and its run DMA mask set. */
static int map_single_check(const struct dmabench_params *p)
{
	size_t max = dma_max_mapping_size(p->dev);

	if (get_order(p->size) > DMABENCH_MAX_ORDER) {
		pr_err_ratelimited("map_single: buf_size %zu is above the largest physically contiguous buffer (%lu bytes): use a smaller size\n",
				   p->size, PAGE_SIZE << DMABENCH_MAX_ORDER);
		return -ENOMEM;
	}
	if (p->size > max) {
		dev_err_ratelimited(p->dev, "map_single: buf_size %zu is above what the device maps at once (%zu bytes, swiotlb?): use a smaller size\n",
				    p->size, max);
		return -EINVAL;
	}
	return 0;
}

/*
 * dma-direct WARNs when it cannot reach a buffer and has no swiotlb to
 * bounce it (a mask below the memory, e.g. edu's 28 bits without an IOMMU).
 * Mappings through an IOMMU or dma_map_ops, or with an offset map, are
 * left to the DMA API.
 */
static bool map_single_reachable(struct device *dev, struct page *page,
				 size_t size)
{
	u64 limit = min_not_zero(*dev->dma_mask, dev->bus_dma_limit);

	if (strcmp(dmabench_dma_ops_name(dev), "direct") ||
	    dev->dma_range_map || page_to_phys(page) + size - 1 <= limit)
		return true;
	/* a limited mapping size: dma-direct bounces through swiotlb */
	return dma_max_mapping_size(dev) != SIZE_MAX;
}

static struct page *map_single_alloc(const struct dmabench_params *p,
				     gfp_t gfp)
{
	return alloc_pages_node(p->node, gfp | __GFP_NOWARN,
				get_order(p->size));
}

static int map_single_setup(struct dmabench_thread *t)
{
	const struct dmabench_params *p = t->p;
	gfp_t zone = *p->dev->dma_mask >= DMA_BIT_MASK(32) ? GFP_DMA32 : GFP_DMA;
	struct page *page;

	page = map_single_alloc(p, GFP_KERNEL);
	if (page && !map_single_reachable(p->dev, page, p->size)) {
		/* retry in the zone dma-direct itself would use */
		__free_pages(page, get_order(p->size));
		page = map_single_alloc(p, GFP_KERNEL | zone);
		if (page && !map_single_reachable(p->dev, page, p->size)) {
			__free_pages(page, get_order(p->size));
			return -EIO;
		}
	}
	if (!page)
		return -ENOMEM;
	t->priv = page_address(page);
	return 0;
}

/* ndelay() overflows for long delays on some architectures: chunk it. */
static void map_single_delay(u32 ns)
{
	while (ns >= NSEC_PER_MSEC) {
		mdelay(1);
		ns -= NSEC_PER_MSEC;
	}
	if (ns)
		ndelay(ns);
}

static int map_single_iterate(struct dmabench_thread *t)
{
	const struct dmabench_params *p = t->p;
	dma_addr_t addr;
	u64 t0, t1;

	/*
	 * Dirty the buffer in the cache so that a non-coherent device pays
	 * for the cache maintenance, as map_benchmark does; not timed.
	 */
	if (p->dir != DMA_FROM_DEVICE)
		memset(t->priv, 0x66, p->size);

	t0 = ktime_get_ns();
	addr = dma_map_single(p->dev, t->priv, p->size, p->dir);
	t1 = ktime_get_ns();
	if (unlikely(dma_mapping_error(p->dev, addr)))
		return -ENOMEM;
	dmabench_record(t, 0, t1 - t0);

	if (p->dma_trans_ns)
		map_single_delay(p->dma_trans_ns);

	t0 = ktime_get_ns();
	dma_unmap_single(p->dev, addr, p->size, p->dir);
	t1 = ktime_get_ns();
	dmabench_record(t, 1, t1 - t0);
	t->now = t1;
	return 0;
}

static void map_single_teardown(struct dmabench_thread *t)
{
	free_pages((unsigned long)t->priv, get_order(t->p->size));
}

const struct dmabench_test dmabench_test_map_single = {
	.name		= "map_single",
	.nphases	= 2,
	.phases		= { "map", "unmap" },
	.check		= map_single_check,
	.setup		= map_single_setup,
	.iterate	= map_single_iterate,
	.teardown	= map_single_teardown,
};
