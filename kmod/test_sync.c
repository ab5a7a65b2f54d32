// SPDX-License-Identifier: GPL-2.0
/*
 * sync: dma_sync_single_for_device() + dma_sync_single_for_cpu() of one
 * buffer per slot that stays mapped (dma_map_single() when the slot is
 * made), timed separately: the cost of handing a streaming buffer back and
 * forth, cache maintenance on a non-coherent device, copies when swiotlb
 * bounces.  for_device makes the slot live (the device owns the buffer),
 * for_cpu releases it.
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
static int sync_check(const struct dmabench_params *p)
{
	return dmabench_check_mappable(p, "sync");
}

static int sync_slot_init(struct dmabench_thread *t, struct dmabench_slot *s)
{
	const struct dmabench_params *p = t->p;
	struct page *page;

	page = dmabench_alloc_reachable(p, get_order(s->size), s->size);
	if (IS_ERR_OR_NULL(page))
		return page ? PTR_ERR(page) : -ENOMEM;
	s->page = page;
	s->cpu = page_address(page);
	s->dma = dma_map_single(p->dev, s->cpu, s->size, p->dir);
	if (dma_mapping_error(p->dev, s->dma)) {
		__free_pages(page, get_order(s->size));
		return -ENOMEM;
	}
	if (p->bounce && s->dma != phys_to_dma(p->dev, virt_to_phys(s->cpu)))
		t->bounced++;
	return 0;
}

static void sync_slot_exit(struct dmabench_thread *t, struct dmabench_slot *s)
{
	dma_unmap_single(t->p->dev, s->dma, s->size, t->p->dir);
	__free_pages(s->page, get_order(s->size));
}

/*
 * Dirty the buffer in the cache as the CPU would before handing it to the
 * device, so that a non-coherent device pays for the cache maintenance;
 * not timed.
 */
static void sync_dirty(struct dmabench_thread *t, struct dmabench_slot *s)
{
	if (t->p->dir != DMA_FROM_DEVICE)
		memset(s->cpu, 0x66, s->size);
}

static int sync_for_device(struct dmabench_thread *t, struct dmabench_slot *s)
{
	dma_sync_single_for_device(t->p->dev, s->dma, s->size, t->p->dir);
	return 0;
}

static int sync_for_cpu(struct dmabench_thread *t, struct dmabench_slot *s)
{
	dma_sync_single_for_cpu(t->p->dev, s->dma, s->size, t->p->dir);
	return 0;
}

const struct dmabench_test_ops dmabench_ops_sync = {
	.check		= sync_check,
	.slot_init	= sync_slot_init,
	.slot_exit	= sync_slot_exit,
	.nmake		= 1,
	.phase = {
		{ sync_dirty, sync_for_device, NULL },
		{ NULL, sync_for_cpu, NULL },
	},
};
