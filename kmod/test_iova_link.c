// SPDX-License-Identifier: GPL-2.0
/*
 * iova_link: the two-step DMA API (6.16) on map_sg's scatterlist (the same
 * nents entries of seg_size, contiguous or scattered), so that one run
 * compares it with dma_map_sgtable() for the same pages.  Per operation,
 * each a phase: dma_iova_try_alloc() of IOVA space for the whole list,
 * dma_iova_link() of every entry, one dma_iova_sync() (the IOTLB), then
 * dma_iova_unlink() of everything and dma_iova_free() of the space.
 * dma_iova_try_alloc() refuses a device whose DMA the IOMMU does not
 * translate (dma-direct, identity domain): such a run is refused with
 * EOPNOTSUPP as not applicable rather than measured.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/dma-mapping.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "compat.h"
#include "dmabench.h"

#ifdef HAVE_DMA_IOVA_LINK
/* A slot of iova_link: map_sg's (slot->sgt) and the IOVA range it gets. */
struct iova_link_slot {
	void *sg_priv;			/* map_sg's slot->priv */
	struct dma_iova_state state;
	size_t linked;			/* bytes linked into state */
};

/* Called with the device acquired and its run DMA mask set. */
static int iova_link_check(const struct dmabench_params *p)
{
	/*
	 * dma_iova_link() wants every entry but the first on an IOMMU
	 * granule (never above a page; dma-direct has none): a page here
	 */
	unsigned long granule = max_t(unsigned long, PAGE_SIZE,
				      dma_get_merge_boundary(p->dev) + 1);
	struct dma_iova_state state;
	int ret;

	ret = dmabench_sg_check(p, "iova_link");
	if (ret)
		return ret;
	if (p->nents > 1 && (p->align || p->seg_size % granule)) {
		pr_err_ratelimited("iova_link: with %u entries every entry after the first must start on an IOMMU granule (%lu bytes) for dma_iova_link(): use align 0 and a seg_size that is a multiple of %lu\n",
				   p->nents, granule, granule);
		return -EINVAL;
	}
	if (!dma_iova_try_alloc(p->dev, &state, 0, p->size)) {
		if (strcmp(dmabench_dma_ops_name(p->dev), "iommu")) {
			dev_err_ratelimited(p->dev, "iova_link: not applicable: dma_iova_try_alloc() refuses a device the IOMMU does not translate (DMA ops %s): run it on a device in a DMA or DMA-FQ domain\n",
					    dmabench_dma_ops_name(p->dev));
			return -EOPNOTSUPP;
		}
		dev_err_ratelimited(p->dev, "iova_link: dma_iova_try_alloc() of %zu bytes failed in the device's IOMMU DMA domain (IOVA space exhausted?): use a smaller size or rebind the device\n",
				    p->size);
		return -ENOMEM;
	}
	dma_iova_free(p->dev, &state);
	return 0;
}

static int iova_link_slot_init(struct dmabench_thread *t,
			       struct dmabench_slot *slot)
{
	struct iova_link_slot *ls;
	int ret;

	ls = kzalloc_node(sizeof(*ls), GFP_KERNEL, t->p->node);
	if (!ls)
		return -ENOMEM;
	ret = map_sg_slot_init(t, slot);
	if (ret) {
		kfree(ls);
		return ret;
	}
	ls->sg_priv = slot->priv;
	slot->priv = ls;
	return 0;
}

static void iova_link_slot_exit(struct dmabench_thread *t,
				struct dmabench_slot *slot)
{
	struct iova_link_slot *ls = slot->priv;

	slot->priv = ls->sg_priv;
	kfree(ls);
	map_sg_slot_exit(t, slot);
}

/* Dirty the entries in the cache, as map_sg does; not timed. */
static void iova_link_dirty(struct dmabench_thread *t,
			    struct dmabench_slot *slot)
{
	struct scatterlist *sg;
	unsigned int i;

	if (t->p->dir != DMA_FROM_DEVICE)
		for_each_sgtable_sg(slot->sgt, sg, i)
			memset(sg_virt(sg), 0x66, sg->length);
}

/* The first entry's offset in its page decides the IOVA's. */
static int iova_link_alloc(struct dmabench_thread *t,
			   struct dmabench_slot *slot)
{
	struct iova_link_slot *ls = slot->priv;

	ls->linked = 0;
	if (unlikely(!dma_iova_try_alloc(t->p->dev, &ls->state,
					 sg_phys(slot->sgt->sgl), t->p->size)))
		return -ENOMEM;
	return 0;
}

/*
 * A failed link or sync undoes the whole op (dma_iova_destroy): the
 * engine runs no release phase on a slot whose op failed.
 */
static int iova_link_link(struct dmabench_thread *t,
			  struct dmabench_slot *slot)
{
	const struct dmabench_params *p = t->p;
	struct iova_link_slot *ls = slot->priv;
	struct scatterlist *sg;
	unsigned int i;
	int ret;

	for_each_sgtable_sg(slot->sgt, sg, i) {
		ret = dma_iova_link(p->dev, &ls->state, sg_phys(sg),
				    ls->linked, sg->length, p->dir, 0);
		if (unlikely(ret)) {
			dma_iova_destroy(p->dev, &ls->state, ls->linked,
					 p->dir, 0);
			return ret;
		}
		ls->linked += sg->length;
	}
	return 0;
}

static int iova_link_sync(struct dmabench_thread *t,
			  struct dmabench_slot *slot)
{
	struct iova_link_slot *ls = slot->priv;
	int ret;

	ret = dma_iova_sync(t->p->dev, &ls->state, 0, ls->linked);
	if (unlikely(ret))
		dma_iova_destroy(t->p->dev, &ls->state, ls->linked,
				 t->p->dir, 0);
	return ret;
}

static int iova_link_unlink(struct dmabench_thread *t,
			    struct dmabench_slot *slot)
{
	struct iova_link_slot *ls = slot->priv;

	dma_iova_unlink(t->p->dev, &ls->state, 0, ls->linked, t->p->dir, 0);
	return 0;
}

static int iova_link_free(struct dmabench_thread *t,
			  struct dmabench_slot *slot)
{
	struct iova_link_slot *ls = slot->priv;

	dma_iova_free(t->p->dev, &ls->state);
	return 0;
}

const struct dmabench_test_ops dmabench_ops_iova_link = {
	.check		= iova_link_check,
	.slot_init	= iova_link_slot_init,
	.slot_exit	= iova_link_slot_exit,
	.nmake		= 3,
	.phase = {
		{ iova_link_dirty, iova_link_alloc, NULL },
		{ NULL, iova_link_link, NULL },
		{ NULL, iova_link_sync, NULL },
		{ NULL, iova_link_unlink, NULL },
		{ NULL, iova_link_free, NULL },
	},
};
#else
/* no two-step DMA API before 6.16: no phases, the module leaves it out */
const struct dmabench_test_ops dmabench_ops_iova_link;
#endif /* HAVE_DMA_IOVA_LINK */
