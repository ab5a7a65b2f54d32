// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers the DMA-API tests share: the size check of one contiguous
 * mapping, a buffer the device can reach, the simulated transfer, the
 * eviction of a buffer (cache cold).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/printk.h>
#include <linux/scatterlist.h>

#if defined(CONFIG_X86)
#include <asm/cacheflush.h>
#elif defined(CONFIG_ARM64)
#include <asm/barrier.h>
#include <asm/cputype.h>
#endif

#include "compat.h"
#include "dmabench.h"

/*
 * Can @test map one physically contiguous buffer of p->size at once, at
 * p->align bytes into its first page?
 * -ENOMEM above the largest allocation, -EINVAL above what the device maps
 * at once (swiotlb's segment limit), with one line each.
 */
int dmabench_check_mappable(const struct dmabench_params *p, const char *test)
{
	size_t max = dma_max_mapping_size(p->dev);

	if (get_order(p->size + p->align) > DMABENCH_MAX_ORDER) {
		pr_err_ratelimited("%s: buf_size %zu + align %u is above the largest physically contiguous buffer (%lu bytes): use a smaller size\n",
				   test, p->size, p->align,
				   PAGE_SIZE << DMABENCH_MAX_ORDER);
		return -ENOMEM;
	}
	if (p->size > max) {
		dev_err_ratelimited(p->dev, "%s: buf_size %zu is above what the device maps at once (%zu bytes, swiotlb?): use a smaller size\n",
				    test, p->size, max);
		return -EINVAL;
	}
	return dmabench_check_memory(p, PAGE_SIZE << get_order(p->size), test);
}

/*
 * Refuse a run whose buffers,  bytes for each of p->threads,
 * would take more than DMABENCH_MEM_PERCENT of RAM: EINVAL and one line,
 * rather than an OOM kill (order-0 allocations, e.g. dma_alloc_attrs()
 * behind an IOMMU, retry hard).
 */
int dmabench_check_memory(const struct dmabench_params *p, u64 per_thread,
			  const char *test)
{
	u64 ram = (u64)totalram_pages() << PAGE_SHIFT;
	u64 limit = div_u64(ram, 100) * DMABENCH_MEM_PERCENT;
	u64 total = per_thread * p->threads * max(p->nslots, 1U);

	if (total <= limit)
		return 0;
	pr_err_ratelimited("%s: %u threads x %u slots x %llu bytes of buffers is %llu bytes, above %d%% of RAM (%llu bytes): use fewer threads, a smaller batch or a smaller size\n",
			   test, p->threads, max(p->nslots, 1U), per_thread, total,
			   DMABENCH_MEM_PERCENT, limit);
	return -EINVAL;
}

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
	const gfp_t gfp = DMABENCH_GFP;
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

#if defined(CONFIG_ARM64)
/* CTR_EL0.DminLine, bits 19:16: log2 of the smallest D-cache line in words */
#define DMABENCH_CTR_DMINLINE_SHIFT	16

static void dmabench_evict_range(void *addr, size_t len)
{
	const unsigned long line = 4UL << ((read_cpuid_cachetype() >>
					    DMABENCH_CTR_DMINLINE_SHIFT) & 0xf);
	unsigned long p = (unsigned long)addr & ~(line - 1);
	const unsigned long end = (unsigned long)addr + len;

	/* clean and invalidate to the point of coherency, line by line */
	for (; p < end; p += line)
		asm volatile("dc civac, %0" : : "r" (p) : "memory");
	dsb(sy);
}
#elif defined(CONFIG_X86)
static void dmabench_evict_range(void *addr, size_t len)
{
	clflush_cache_range(addr, len);
}
#else
static void dmabench_evict_range(void *addr, size_t len)
{
}
#endif

/*
 * cache cold: write back and drop the slot's buffer from every CPU cache
 * level, outside the timed window.  The IOMMU's page tables and IOTLB are
 * not touched: they are not the run's to evict.
 */
void dmabench_evict_slot(const struct dmabench_slot *s)
{
	struct scatterlist *sg;
	unsigned int i;

	if (s->cpu) {
		dmabench_evict_range(s->cpu, s->size);
		return;
	}
	if (s->sgt)
		for_each_sgtable_sg(s->sgt, sg, i)
			dmabench_evict_range(sg_virt(sg), sg->length);
}
