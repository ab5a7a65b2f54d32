// SPDX-License-Identifier: GPL-2.0
/*
 * map_phys: dma_map_phys() + dma_unmap_phys() (6.18) of map_single's
 * buffer, by its physical address, timed separately: the primitive that
 * dma_map_page() and dma_map_single() became wrappers of, so the
 * difference to map_single is their cost.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/dma-direct.h>
#include <linux/dma-mapping.h>
#include <linux/io.h>

#include "compat.h"
#include "dmabench.h"

#ifdef HAVE_DMA_MAP_PHYS
/* Called with the device acquired and its run DMA mask set. */
static int map_phys_check(const struct dmabench_params *p)
{
	return dmabench_check_mappable(p, "map_phys");
}

static int map_phys_map(struct dmabench_thread *t, struct dmabench_slot *s)
{
	const struct dmabench_params *p = t->p;

	s->dma = dma_map_phys(p->dev, virt_to_phys(s->cpu), s->size, p->dir,
			      0);
	if (unlikely(dma_mapping_error(p->dev, s->dma)))
		return -ENOMEM;
	return 0;
}

/* dma-direct gives the buffer's own bus address unless it bounced */
static void map_phys_mapped(struct dmabench_thread *t,
			    struct dmabench_slot *s)
{
	const struct dmabench_params *p = t->p;

	if (p->bounce && s->dma != phys_to_dma(p->dev, virt_to_phys(s->cpu)))
		t->bounced++;
}

static int map_phys_unmap(struct dmabench_thread *t, struct dmabench_slot *s)
{
	dma_unmap_phys(t->p->dev, s->dma, s->size, t->p->dir, 0);
	return 0;
}

const struct dmabench_test_ops dmabench_ops_map_phys = {
	.check		= map_phys_check,
	.slot_init	= map_single_slot_init,
	.slot_exit	= map_single_slot_exit,
	.nmake		= 1,
	.phase = {
		{ map_single_dirty, map_phys_map, map_phys_mapped },
		{ NULL, map_phys_unmap, NULL },
	},
};
#else
/* no dma_map_phys() before 6.18: no phases, the module leaves it out */
const struct dmabench_test_ops dmabench_ops_map_phys;
#endif /* HAVE_DMA_MAP_PHYS */
