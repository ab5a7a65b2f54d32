// SPDX-License-Identifier: GPL-2.0
/*
 * map_sg: dma_map_sgtable() + dma_unmap_sgtable() of a scatterlist of nents
 * entries of seg_size bytes per slot, timed separately.  The entries are
 * one physically contiguous buffer cut into pieces (contiguous layout) or
 * separate allocations, none physically adjacent to the one before
 * (scattered layout).  align: the contiguous buffer starts that many bytes
 * into its first page, each scattered entry into its own (the IOMMU then
 * maps a page more wherever an entry crosses a page end).  t->segs_min/max
 * collect how many DMA segments the mapping came back with (an IOMMU
 * merges entries, dma-direct does not).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/dma-direct.h>
#include <linux/dma-mapping.h>
#include <linux/gfp.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "compat.h"
#include "dmabench.h"

/* Tries to find an entry that is not adjacent to the one before it. */
#define MAP_SG_ADJ_TRIES	16

struct map_sg_state {
	struct sg_table sgt;
	void *buf;			/* contiguous: the one allocation */
	unsigned int order;		/* of buf, or of each entry */
	unsigned int nents;
	size_t seg;
};

/* Until the run engine fills them: nents 0 is 1, seg_size 0 is size/nents. */
static unsigned int map_sg_nents(const struct dmabench_params *p)
{
	return p->nents ? p->nents : 1;
}

static size_t map_sg_seg(const struct dmabench_params *p)
{
	return p->seg_size ? p->seg_size : p->size / map_sg_nents(p);
}

/*
 * The checks of map_sg and of the tests that map its scatterlist another
 * way (iova_link); @test names the test in the log lines.  Called with
 * the device acquired and its run DMA mask set.
 */
int dmabench_sg_check(const struct dmabench_params *p, const char *test)
{
	unsigned int nents = map_sg_nents(p);
	size_t seg = map_sg_seg(p);
	size_t max = dma_max_mapping_size(p->dev);
	unsigned int max_seg = dma_get_max_seg_size(p->dev);
	u64 total = (u64)nents * seg;
	size_t alloc;

	if (nents > DMABENCH_MAX_NENTS) {
		pr_err_ratelimited("%s: nents %u is above %u: use fewer entries\n",
				   test, nents, DMABENCH_MAX_NENTS);
		return -EINVAL;
	}
	if (!seg) {
		pr_err_ratelimited("%s: buf_size %zu is less than one byte per entry of %u: use a larger size or fewer entries\n",
				   test, p->size, nents);
		return -EINVAL;
	}
	if (total > DMABENCH_MAX_SIZE) {
		pr_err_ratelimited("%s: nents %u x seg_size %zu is above %llu bytes: use fewer or smaller entries\n",
				   test, nents, seg, DMABENCH_MAX_SIZE);
		return -EINVAL;
	}
	if (p->sg_layout != DMABENCH_SG_CONTIGUOUS &&
	    p->sg_layout != DMABENCH_SG_SCATTERED) {
		pr_err_ratelimited("%s: unknown sg_layout %u: use 0 contiguous or 1 scattered\n",
				   test, p->sg_layout);
		return -EINVAL;
	}
	alloc = p->align +
		(p->sg_layout == DMABENCH_SG_CONTIGUOUS ? total : seg);
	if (get_order(alloc) > DMABENCH_MAX_ORDER) {
		pr_err_ratelimited("%s: %s %zu bytes is above the largest physically contiguous buffer (%lu bytes): use %s\n",
				   test, p->sg_layout == DMABENCH_SG_CONTIGUOUS ?
				   "the contiguous buffer of" : "seg_size",
				   alloc, PAGE_SIZE << DMABENCH_MAX_ORDER,
				   p->sg_layout == DMABENCH_SG_CONTIGUOUS ?
				   "the scattered layout or a smaller size" :
				   "smaller entries");
		return -ENOMEM;
	}
	if (seg > max) {
		dev_err_ratelimited(p->dev, "%s: seg_size %zu is above what the device maps at once (%zu bytes, swiotlb?): use smaller entries\n",
				    test, seg, max);
		return -EINVAL;
	}
	if (seg > max_seg)
		dev_info_ratelimited(p->dev, "%s: seg_size %zu is above the device's largest DMA segment (%u bytes); mapped anyway, a real driver splits such entries\n",
				     test, seg, max_seg);
	return dmabench_check_memory(p, p->sg_layout == DMABENCH_SG_CONTIGUOUS ?
				     PAGE_SIZE << get_order(alloc) :
				     (u64)nents << (PAGE_SHIFT +
						    get_order(alloc)),
				     test);
}

static int map_sg_check(const struct dmabench_params *p)
{
	return dmabench_sg_check(p, "map_sg");
}

static bool map_sg_adjacent(struct page *a, struct page *b, size_t len)
{
	phys_addr_t pa = page_to_phys(a), pb = page_to_phys(b);

	return pa + len == pb || pb + len == pa;
}

static void map_sg_free(struct map_sg_state *s)
{
	struct scatterlist *sg;
	unsigned int i;

	if (s->buf) {
		free_pages((unsigned long)s->buf, s->order);
	} else {
		for_each_sgtable_sg(&s->sgt, sg, i)
			if (sg_page(sg))
				__free_pages(sg_page(sg), s->order);
	}
	sg_free_table(&s->sgt);
	kfree(s);
}

/* One allocation per entry, none adjacent to the one before it. */
static int map_sg_scatter(const struct dmabench_params *p,
			  struct map_sg_state *s)
{
	const size_t len = PAGE_SIZE << s->order;
	struct page *page, *prev = NULL, *tmp;
	struct scatterlist *sg;
	LIST_HEAD(spares);
	unsigned int i, tries;
	int ret = 0;

	for_each_sgtable_sg(&s->sgt, sg, i) {
		for (tries = 0; ; tries++) {
			page = dmabench_alloc_reachable(p, s->order,
							s->seg + p->align);
			if (IS_ERR_OR_NULL(page)) {
				ret = page ? PTR_ERR(page) : -ENOMEM;
				goto out;
			}
			if (!prev || !map_sg_adjacent(prev, page, len))
				break;
			/* keep it so that the next try gets other pages */
			list_add(&page->lru, &spares);
			if (tries == MAP_SG_ADJ_TRIES) {
				ret = -ENOMEM;
				goto out;
			}
		}
		sg_set_page(sg, page, s->seg, p->align);
		prev = page;
	}
out:
	list_for_each_entry_safe(page, tmp, &spares, lru) {
		list_del(&page->lru);
		__free_pages(page, s->order);
	}
	return ret;
}

int map_sg_slot_init(struct dmabench_thread *t, struct dmabench_slot *slot)
{
	const struct dmabench_params *p = t->p;
	struct map_sg_state *s;
	struct scatterlist *sg;
	struct page *page;
	unsigned int i;
	int ret;

	s = kzalloc_node(sizeof(*s), GFP_KERNEL, p->node);
	if (!s)
		return -ENOMEM;
	s->nents = map_sg_nents(p);
	s->seg = map_sg_seg(p);
	ret = sg_alloc_table(&s->sgt, s->nents, GFP_KERNEL);
	if (ret) {
		kfree(s);
		return ret;
	}
	if (p->sg_layout == DMABENCH_SG_SCATTERED) {
		s->order = get_order(s->seg + p->align);
		ret = map_sg_scatter(p, s);
	} else {
		s->order = get_order(p->align + s->nents * s->seg);
		page = dmabench_alloc_reachable(p, s->order,
						p->align + s->nents * s->seg);
		if (IS_ERR_OR_NULL(page)) {
			ret = page ? PTR_ERR(page) : -ENOMEM;
		} else {
			s->buf = page_address(page);
			for_each_sgtable_sg(&s->sgt, sg, i)
				sg_set_buf(sg, s->buf + p->align + i * s->seg,
					   s->seg);
		}
	}
	if (ret) {
		map_sg_free(s);
		return ret;
	}
	slot->priv = s;
	slot->sgt = &s->sgt;
	return 0;
}

void map_sg_slot_exit(struct dmabench_thread *t, struct dmabench_slot *slot)
{
	map_sg_free(slot->priv);
}

/* Did swiotlb bounce an entry?  dma-direct maps entry i to DMA segment i. */
static bool map_sg_bounced(struct device *dev, struct sg_table *sgt)
{
	struct scatterlist *sg;
	unsigned int i;

	for_each_sgtable_dma_sg(sgt, sg, i)
		if (sg_dma_address(sg) != phys_to_dma(dev, sg_phys(sg)))
			return true;
	return false;
}

/*
 * Dirty the buffers in the cache so that a non-coherent device pays for the
 * cache maintenance, as map_single does; not timed.
 */
static void map_sg_dirty(struct dmabench_thread *t, struct dmabench_slot *slot)
{
	struct map_sg_state *s = slot->priv;
	struct scatterlist *sg;
	unsigned int i;

	if (t->p->dir == DMA_FROM_DEVICE)
		return;
	if (s->buf)
		memset(s->buf + t->p->align, 0x66, s->nents * s->seg);
	else
		for_each_sgtable_sg(&s->sgt, sg, i)
			memset(sg_virt(sg), 0x66, s->seg);
}

static int map_sg_map(struct dmabench_thread *t, struct dmabench_slot *slot)
{
	const struct dmabench_params *p = t->p;
	struct sg_table *sgt = slot->sgt;

#ifdef HAVE_DMA_MAP_SGTABLE
	return dma_map_sgtable(p->dev, sgt, p->dir, 0);
#else
	sgt->nents = dma_map_sg(p->dev, sgt->sgl, sgt->orig_nents, p->dir);
	return sgt->nents ? 0 : -ENOMEM;
#endif
}

static void map_sg_mapped(struct dmabench_thread *t,
			  struct dmabench_slot *slot)
{
	struct sg_table *sgt = slot->sgt;

	t->segs_min = min(t->segs_min, sgt->nents);
	t->segs_max = max(t->segs_max, sgt->nents);
	if (t->p->bounce && map_sg_bounced(t->p->dev, sgt))
		t->bounced++;
}

static int map_sg_unmap(struct dmabench_thread *t, struct dmabench_slot *slot)
{
	const struct dmabench_params *p = t->p;

#ifdef HAVE_DMA_MAP_SGTABLE
	dma_unmap_sgtable(p->dev, slot->sgt, p->dir, 0);
#else
	dma_unmap_sg(p->dev, slot->sgt->sgl, slot->sgt->orig_nents, p->dir);
#endif
	return 0;
}

const struct dmabench_test_ops dmabench_ops_map_sg = {
	.check		= map_sg_check,
	.slot_init	= map_sg_slot_init,
	.slot_exit	= map_sg_slot_exit,
	.nmake		= 1,
	.phase = {
		{ map_sg_dirty, map_sg_map, map_sg_mapped },
		{ NULL, map_sg_unmap, NULL },
	},
};
