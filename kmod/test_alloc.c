// SPDX-License-Identifier: GPL-2.0
/*
 * The DMA allocators, each allocation + free timed separately (one
 * allocation per slot):
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

#include "compat.h"
#include "dmabench.h"

#define ALLOC_GFP	DMABENCH_GFP

/* Called with the device acquired and its run DMA mask set. */
static int alloc_check(const struct dmabench_params *p)
{
	if (!p->dev->coherent_dma_mask) {
		dev_err_ratelimited(p->dev, "alloc: the device has no coherent DMA mask, it cannot allocate DMA memory: pick another device\n");
		return -EIO;
	}
	return dmabench_check_memory(p, PAGE_ALIGN(p->size), "alloc");
}

/* with DMA_ATTR_NO_KERNEL_MAPPING s->cpu is opaque: never touch it */
static int alloc_alloc(struct dmabench_thread *t, struct dmabench_slot *s)
{
	const struct dmabench_params *p = t->p;

	s->cpu = dma_alloc_attrs(p->dev, s->size, &s->dma, ALLOC_GFP,
				 p->attrs | DMA_ATTR_NO_WARN);
	return s->cpu ? 0 : -ENOMEM;
}

static int alloc_free(struct dmabench_thread *t, struct dmabench_slot *s)
{
	const struct dmabench_params *p = t->p;

	dma_free_attrs(p->dev, s->size, s->cpu, s->dma,
		       p->attrs | DMA_ATTR_NO_WARN);
	return 0;
}

const struct dmabench_test_ops dmabench_ops_alloc = {
	.check		= alloc_check,
	.nmake		= 1,
	.phase = {
		{ NULL, alloc_alloc, NULL },
		{ NULL, alloc_free, NULL },
	},
};

static int alloc_nc_alloc(struct dmabench_thread *t, struct dmabench_slot *s)
{
	const struct dmabench_params *p = t->p;

	s->cpu = dma_alloc_noncoherent(p->dev, s->size, &s->dma, p->dir,
				       ALLOC_GFP);
	return s->cpu ? 0 : -ENOMEM;
}

/* the CPU fills the buffer for the device; not timed */
static void alloc_nc_fill(struct dmabench_thread *t, struct dmabench_slot *s)
{
	if (t->p->dir != DMA_FROM_DEVICE)
		memset(s->cpu, 0x66, s->size);
}

static int alloc_nc_for_device(struct dmabench_thread *t,
			       struct dmabench_slot *s)
{
	dma_sync_single_for_device(t->p->dev, s->dma, s->size, t->p->dir);
	return 0;
}

static int alloc_nc_for_cpu(struct dmabench_thread *t,
			    struct dmabench_slot *s)
{
	dma_sync_single_for_cpu(t->p->dev, s->dma, s->size, t->p->dir);
	return 0;
}

static int alloc_nc_free(struct dmabench_thread *t, struct dmabench_slot *s)
{
	dma_free_noncoherent(t->p->dev, s->size, s->cpu, s->dma, t->p->dir);
	return 0;
}

const struct dmabench_test_ops dmabench_ops_alloc_noncoherent = {
	.check		= alloc_check,
	.nmake		= 2,
	.phase = {
		{ NULL, alloc_nc_alloc, NULL },
		{ alloc_nc_fill, alloc_nc_for_device, NULL },
		{ NULL, alloc_nc_for_cpu, NULL },
		{ NULL, alloc_nc_free, NULL },
	},
};

#ifdef HAVE_DMA_ALLOC_PAGES
static int alloc_pages_alloc(struct dmabench_thread *t,
			     struct dmabench_slot *s)
{
	const struct dmabench_params *p = t->p;

	s->page = dma_alloc_pages(p->dev, s->size, &s->dma, p->dir, ALLOC_GFP);
	return s->page ? 0 : -ENOMEM;
}

static int alloc_pages_free(struct dmabench_thread *t,
			    struct dmabench_slot *s)
{
	dma_free_pages(t->p->dev, s->size, s->page, s->dma, t->p->dir);
	return 0;
}

const struct dmabench_test_ops dmabench_ops_alloc_pages = {
	.check		= alloc_check,
	.nmake		= 1,
	.phase = {
		{ NULL, alloc_pages_alloc, NULL },
		{ NULL, alloc_pages_free, NULL },
	},
};
#else
/* no dma_alloc_pages() before 5.11: no phases, the module leaves it out */
const struct dmabench_test_ops dmabench_ops_alloc_pages;
#endif /* HAVE_DMA_ALLOC_PAGES */

#ifdef HAVE_DMA_ALLOC_NONCONTIGUOUS
static int alloc_noncontig_alloc(struct dmabench_thread *t,
				 struct dmabench_slot *s)
{
	const struct dmabench_params *p = t->p;

	s->sgt = dma_alloc_noncontiguous(p->dev, s->size, p->dir, ALLOC_GFP,
					 0);
	return s->sgt ? 0 : -ENOMEM;
}

static int alloc_noncontig_free(struct dmabench_thread *t,
				struct dmabench_slot *s)
{
	dma_free_noncontiguous(t->p->dev, s->size, s->sgt, t->p->dir);
	return 0;
}

const struct dmabench_test_ops dmabench_ops_alloc_noncontiguous = {
	.check		= alloc_check,
	.nmake		= 1,
	.phase = {
		{ NULL, alloc_noncontig_alloc, NULL },
		{ NULL, alloc_noncontig_free, NULL },
	},
};
#else
/* no dma_alloc_noncontiguous() before 5.13: left out like alloc_pages */
const struct dmabench_test_ops dmabench_ops_alloc_noncontiguous;
#endif /* HAVE_DMA_ALLOC_NONCONTIGUOUS */
