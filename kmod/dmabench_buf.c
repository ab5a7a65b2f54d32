// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers the DMA-API tests share: a buffer the device can reach, and the
 * simulated transfer between map and unmap.
 */
#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/gfp.h>
#include <linux/mm.h>

#include "dmabench.h"

/*
 * 2^@order pages on p->node that dma_map_*() can map for p->dev (@size
 * bytes of them are mapped): first anywhere, then in the zone dma-direct
 * would use for the mask.  With p->bounce anywhere: the point is a buffer
 * above the mask.  NULL when out of memory, ERR_PTR(-EIO) when the device
 * cannot reach either.
 */
struct page *dmabench_alloc_reachable(const struct dmabench_params *p,
				      unsigned int order, size_t size)
{
	const gfp_t gfp = GFP_KERNEL | __GFP_NOWARN;
	const gfp_t zone = *p->dev->dma_mask >= DMA_BIT_MASK(32) ?
			   GFP_DMA32 : GFP_DMA;
	struct page *page;

	page = alloc_pages_node(p->node, gfp, order);
	if (!page || p->bounce ||
	    dmabench_dma_reachable(p->dev, page_to_phys(page), size))
		return page;
	__free_pages(page, order);
	page = alloc_pages_node(p->node, gfp | zone, order);
	if (!page || dmabench_dma_reachable(p->dev, page_to_phys(page), size))
		return page;
	__free_pages(page, order);
	return ERR_PTR(-EIO);
}

/* The simulated DMA transfer; ndelay() overflows for long delays: chunk. */
void dmabench_delay_ns(u32 ns)
{
	while (ns >= NSEC_PER_MSEC) {
		mdelay(1);
		ns -= NSEC_PER_MSEC;
	}
	if (ns)
		ndelay(ns);
}
