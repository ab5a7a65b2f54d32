// SPDX-License-Identifier: GPL-2.0
/*
 * map_single: dma_map_single() + dma_unmap_single() of one physically
 * contiguous buffer per slot, timed separately, like
 * kernel/dma/map_benchmark.c.  The buffer starts align bytes into its
 * first page.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/dma-direct.h>
#include <linux/dma-mapping.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/string.h>

#include "compat.h"
#include "dmabench.h"

/* Called with the device acquired and its run DMA mask set. */
static int map_single_check(const struct dmabench_params *p)
{
	return dmabench_check_mappable(p, "map_single");
}

int map_single_slot_init(struct dmabench_thread *t, struct dmabench_slot *s)
{
	const struct dmabench_params *p = t->p;
	struct page *page;

	/* one page more where the offset makes the buffer cross into it */
	page = dmabench_alloc_reachable(p, get_order(s->size + p->align),
					s->size + p->align);
	if (!page)
		return -ENOMEM;
	if (IS_ERR(page))
		return PTR_ERR(page);
	s->page = page;
	s->cpu = page_address(page) + p->align;
	return 0;
}

void map_single_slot_exit(struct dmabench_thread *t, struct dmabench_slot *s)
{
	__free_pages(s->page, get_order(s->size + t->p->align));
}

/*
 * Dirty the buffer in the cache so that a non-coherent device pays for the
 * cache maintenance, as map_benchmark does; not timed.
 */
void map_single_dirty(struct dmabench_thread *t, struct dmabench_slot *s)
{
	if (t->p->dir != DMA_FROM_DEVICE)
		memset(s->cpu, 0x66, s->size);
}

static int map_single_map(struct dmabench_thread *t, struct dmabench_slot *s)
{
	const struct dmabench_params *p = t->p;

	s->dma = dma_map_single(p->dev, s->cpu, s->size, p->dir);
	if (unlikely(dma_mapping_error(p->dev, s->dma)))
		return -ENOMEM;
	return 0;
}

/* dma-direct gives the buffer's own bus address unless it bounced */
static void map_single_mapped(struct dmabench_thread *t,
			      struct dmabench_slot *s)
{
	const struct dmabench_params *p = t->p;

	if (p->bounce && s->dma != phys_to_dma(p->dev, virt_to_phys(s->cpu)))
		t->bounced++;
}

static int map_single_unmap(struct dmabench_thread *t, struct dmabench_slot *s)
{
	dma_unmap_single(t->p->dev, s->dma, s->size, t->p->dir);
	return 0;
}

const struct dmabench_test_ops dmabench_ops_map_single = {
	.check		= map_single_check,
	.slot_init	= map_single_slot_init,
	.slot_exit	= map_single_slot_exit,
	.nmake		= 1,
	.phase = {
		{ map_single_dirty, map_single_map, map_single_mapped },
		{ NULL, map_single_unmap, NULL },
	},
};
