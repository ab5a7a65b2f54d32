// SPDX-License-Identifier: GPL-2.0
/*
 * sync: dma_sync_single_for_device() + dma_sync_single_for_cpu() of one
 * buffer per thread that stays mapped (dma_map_single() in setup), timed
 * separately: the cost of handing a streaming buffer back and forth, cache
 * maintenance on a non-coherent device, copies when swiotlb bounces.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/dma-direct.h>
#include <linux/dma-mapping.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timekeeping.h>

#include "compat.h"
#include "dmabench.h"

struct sync_state {
	void *buf;
	dma_addr_t addr;
};

/* Called with the device acquired and its run DMA mask set. */
static int sync_check(const struct dmabench_params *p)
{
	return dmabench_check_mappable(p, "sync");
}

static int sync_setup(struct dmabench_thread *t)
{
	const struct dmabench_params *p = t->p;
	struct sync_state *s;
	struct page *page;
	int ret;

	s = kzalloc_node(sizeof(*s), GFP_KERNEL, p->node);
	if (!s)
		return -ENOMEM;
	page = dmabench_alloc_reachable(p, get_order(p->size), p->size);
	if (IS_ERR_OR_NULL(page)) {
		ret = page ? PTR_ERR(page) : -ENOMEM;
		goto err_free;
	}
	s->buf = page_address(page);
	s->addr = dma_map_single(p->dev, s->buf, p->size, p->dir);
	if (dma_mapping_error(p->dev, s->addr)) {
		ret = -ENOMEM;
		goto err_pages;
	}
	if (p->bounce && s->addr != phys_to_dma(p->dev, virt_to_phys(s->buf)))
		t->bounced++;
	t->priv = s;
	return 0;

err_pages:
	free_pages((unsigned long)s->buf, get_order(p->size));
err_free:
	kfree(s);
	return ret;
}

static int sync_iterate(struct dmabench_thread *t)
{
	const struct dmabench_params *p = t->p;
	struct sync_state *s = t->priv;
	u64 t0, t1;

	/*
	 * Dirty the buffer in the cache as the CPU would before handing it
	 * to the device, so that a non-coherent device pays for the cache
	 * maintenance; not timed.
	 */
	if (p->dir != DMA_FROM_DEVICE)
		memset(s->buf, 0x66, p->size);

	t0 = ktime_get_ns();
	dma_sync_single_for_device(p->dev, s->addr, p->size, p->dir);
	t1 = ktime_get_ns();
	dmabench_record(t, 0, t1 - t0);

	t0 = ktime_get_ns();
	dma_sync_single_for_cpu(p->dev, s->addr, p->size, p->dir);
	t1 = ktime_get_ns();
	dmabench_record(t, 1, t1 - t0);
	t->now = t1;
	return 0;
}

static void sync_teardown(struct dmabench_thread *t)
{
	const struct dmabench_params *p = t->p;
	struct sync_state *s = t->priv;

	dma_unmap_single(p->dev, s->addr, p->size, p->dir);
	free_pages((unsigned long)s->buf, get_order(p->size));
	kfree(s);
}

const struct dmabench_test_ops dmabench_ops_sync = {
	.check		= sync_check,
	.setup		= sync_setup,
	.iterate	= sync_iterate,
	.teardown	= sync_teardown,
};
