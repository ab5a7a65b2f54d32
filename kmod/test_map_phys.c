// SPDX-License-Identifier: GPL-2.0
/*
 * map_phys: dma_map_phys() + dma_unmap_phys() (6.18) of the buffer
 * map_single maps, by its physical address, timed separately: the
 * primitive dma_map_page() and dma_map_single() became wrappers of, so
 * the difference to map_single is their cost.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/dma-direct.h>
#include <linux/dma-mapping.h>
#include <linux/io.h>
#include <linux/string.h>
#include <linux/timekeeping.h>

#include "compat.h"
#include "dmabench.h"

#ifdef HAVE_DMA_MAP_PHYS
/* Called with the device acquired and its run DMA mask set. */
static int map_phys_check(const struct dmabench_params *p)
{
	return dmabench_check_mappable(p, "map_phys");
}

static int map_phys_iterate(struct dmabench_thread *t)
{
	const struct dmabench_params *p = t->p;
	phys_addr_t phys = virt_to_phys(t->priv);
	dma_addr_t addr;
	u64 t0, t1;

	/* dirty the buffer in the cache, as map_single does; not timed */
	if (p->dir != DMA_FROM_DEVICE)
		memset(t->priv, 0x66, p->size);

	t0 = ktime_get_ns();
	addr = dma_map_phys(p->dev, phys, p->size, p->dir, 0);
	t1 = ktime_get_ns();
	if (unlikely(dma_mapping_error(p->dev, addr)))
		return -ENOMEM;
	dmabench_record(t, 0, t1 - t0);
	if (p->bounce && addr != phys_to_dma(p->dev, phys))
		t->bounced++;

	if (p->dma_trans_ns)
		dmabench_delay_ns(p->dma_trans_ns);

	t0 = ktime_get_ns();
	dma_unmap_phys(p->dev, addr, p->size, p->dir, 0);
	t1 = ktime_get_ns();
	dmabench_record(t, 1, t1 - t0);
	t->now = t1;
	return 0;
}

const struct dmabench_test_ops dmabench_ops_map_phys = {
	.check		= map_phys_check,
	.setup		= map_single_setup,
	.iterate	= map_phys_iterate,
	.teardown	= map_single_teardown,
};
#else
/* no dma_map_phys() before 6.18: no iterate, the module leaves it out */
const struct dmabench_test_ops dmabench_ops_map_phys;
#endif /* HAVE_DMA_MAP_PHYS */
