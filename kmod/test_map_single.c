// SPDX-License-Identifier: GPL-2.0
/*
 * map_single: dma_map_single() + dma_unmap_single() of one physically
 * contiguous buffer per thread, timed separately, like
 * kernel/dma/map_benchmark.c.  The buffer starts align bytes into its
 * first page.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/dma-direct.h>
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
	return dmabench_check_mappable(p, "map_single");
}

int map_single_setup(struct dmabench_thread *t)
{
	const struct dmabench_params *p = t->p;
	struct page *page;

	/* one page more where the offset makes the buffer cross into it */
	page = dmabench_alloc_reachable(p, get_order(p->size + p->align),
					p->size + p->align);
	if (!page)
		return -ENOMEM;
	if (IS_ERR(page))
		return PTR_ERR(page);
	t->priv = page_address(page) + p->align;
	return 0;
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
	/* dma-direct gives the buffer's own bus address unless it bounced */
	if (p->bounce && addr != phys_to_dma(p->dev, virt_to_phys(t->priv)))
		t->bounced++;

	if (p->dma_trans_ns)
		dmabench_delay_ns(p->dma_trans_ns);

	t0 = ktime_get_ns();
	dma_unmap_single(p->dev, addr, p->size, p->dir);
	t1 = ktime_get_ns();
	dmabench_record(t, 1, t1 - t0);
	t->now = t1;
	return 0;
}

void map_single_teardown(struct dmabench_thread *t)
{
	const struct dmabench_params *p = t->p;

	free_pages((unsigned long)t->priv - p->align,
		   get_order(p->size + p->align));
}

const struct dmabench_test_ops dmabench_ops_map_single = {
	.check		= map_single_check,
	.setup		= map_single_setup,
	.iterate	= map_single_iterate,
	.teardown	= map_single_teardown,
};
