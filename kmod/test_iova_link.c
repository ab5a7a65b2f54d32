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
#include <linux/string.h>
#include <linux/timekeeping.h>

#include "compat.h"
#include "dmabench.h"

#ifdef HAVE_DMA_IOVA_LINK
enum { IOVA_ALLOC, IOVA_LINK, IOVA_SYNC, IOVA_UNLINK, IOVA_FREE };

/* Called with the device acquired and its run DMA mask set. */
static int iova_link_check(const struct dmabench_params *p)
{
	/*
	 * dma_iova_link() wants every entry but the first on an IOMMU
	 * granule (at most a page; dma-direct has none: a page too)
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

static int iova_link_iterate(struct dmabench_thread *t)
{
	const struct dmabench_params *p = t->p;
	struct sg_table *sgt = map_sg_table(t);
	struct dma_iova_state state;
	struct scatterlist *sg;
	unsigned int i;
	size_t linked = 0;
	u64 t0, t1;
	bool ok;
	int ret = 0;

	/* dirty the entries in the cache, as map_sg does; not timed */
	if (p->dir != DMA_FROM_DEVICE)
		for_each_sgtable_sg(sgt, sg, i)
			memset(sg_virt(sg), 0x66, sg->length);

	/* the first entry's offset in its page decides the IOVA's */
	t0 = ktime_get_ns();
	ok = dma_iova_try_alloc(p->dev, &state, sg_phys(sgt->sgl), p->size);
	t1 = ktime_get_ns();
	if (unlikely(!ok))
		return -ENOMEM;
	dmabench_record(t, IOVA_ALLOC, t1 - t0);

	t0 = ktime_get_ns();
	for_each_sgtable_sg(sgt, sg, i) {
		ret = dma_iova_link(p->dev, &state, sg_phys(sg), linked,
				    sg->length, p->dir, 0);
		if (unlikely(ret))
			break;
		linked += sg->length;
	}
	t1 = ktime_get_ns();
	if (unlikely(ret))
		goto err_destroy;
	dmabench_record(t, IOVA_LINK, t1 - t0);

	t0 = ktime_get_ns();
	ret = dma_iova_sync(p->dev, &state, 0, linked);
	t1 = ktime_get_ns();
	if (unlikely(ret))
		goto err_destroy;
	dmabench_record(t, IOVA_SYNC, t1 - t0);

	if (p->dma_trans_ns)
		dmabench_delay_ns(p->dma_trans_ns);

	t0 = ktime_get_ns();
	dma_iova_unlink(p->dev, &state, 0, linked, p->dir, 0);
	t1 = ktime_get_ns();
	dmabench_record(t, IOVA_UNLINK, t1 - t0);

	t0 = ktime_get_ns();
	dma_iova_free(p->dev, &state);
	t1 = ktime_get_ns();
	dmabench_record(t, IOVA_FREE, t1 - t0);
	t->now = t1;
	return 0;

err_destroy:
	/* a failed operation is counted, not timed; nothing stays mapped */
	dma_iova_destroy(p->dev, &state, linked, p->dir, 0);
	return ret;
}

const struct dmabench_test_ops dmabench_ops_iova_link = {
	.check		= iova_link_check,
	.setup		= map_sg_setup,
	.iterate	= iova_link_iterate,
	.teardown	= map_sg_teardown,
};
#else
/* no two-step DMA API before 6.16: no iterate, the module leaves it out */
const struct dmabench_test_ops dmabench_ops_iova_link;
#endif /* HAVE_DMA_IOVA_LINK */
