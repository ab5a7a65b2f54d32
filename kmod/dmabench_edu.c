// SPDX-License-Identifier: GPL-2.0
/*
 * DMABENCH_IOC_VERIFY: prove that the DMA API gives addresses a real DMA
 * master can use, with QEMU's edu device (PCI 1234:11e8): copy a pattern
 * RAM -> device buffer -> RAM through dma_map_single() mappings, through
 * every DMA segment of a dma_map_sgtable() mapping, or within a
 * dma_alloc_coherent() buffer, and compare with the CPU.
 *
 * DMABENCH_IOC_ISOLATE: the same device DMA through IOVAs of unmanaged
 * domains (dmabench_iommu.c), to prove that per-device domains isolate
 * and a per-instance domain is shared.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/io.h>
#include <linux/iommu.h>
#include <linux/iova.h>
#include <linux/jiffies.h>
#include <linux/kmemleak.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/sched/signal.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "compat.h"
#include "dmabench.h"

#define EDU_DMA_SRC		0x80
#define EDU_DMA_DST		0x88
#define EDU_DMA_CNT		0x90
#define EDU_DMA_CMD		0x98
#define EDU_CMD_START		BIT(0)	/* also: busy while set */
#define EDU_CMD_TO_RAM		BIT(1)	/* device buffer -> RAM */
#define EDU_BUF_ADDR		0x40000
#define EDU_DEFAULT_LEN		2048	/* 4096 aborts QEMU 7.2 */
#define EDU_MAX_LEN		4095
#define EDU_TIMEOUT_MS		3000

/*
 * A transfer that outlives the wait stays armed in the device (QEMU's edu
 * ignores register writes while one runs): its buffer and mapping are then
 * leaked on purpose, never freed under a device that may still write them.
 * Lowering this (test bed: 1 ms, below the edu's 100 ms) exercises that.
 */
static unsigned int edu_timeout_ms = EDU_TIMEOUT_MS;
module_param(edu_timeout_ms, uint, 0644);
MODULE_PARM_DESC(edu_timeout_ms, "wait for one edu DMA transfer (ms, default 3000)");

/* One edu DMA transfer between @addr and the device buffer; polls. */
static int edu_dma(struct dmabench_dev *d, dma_addr_t addr, u32 len,
		   bool to_ram)
{
	unsigned int ms = READ_ONCE(edu_timeout_ms);
	unsigned long timeout = jiffies + msecs_to_jiffies(ms);

	writeq(to_ram ? EDU_BUF_ADDR : addr, d->bar + EDU_DMA_SRC);
	writeq(to_ram ? addr : EDU_BUF_ADDR, d->bar + EDU_DMA_DST);
	writeq(len, d->bar + EDU_DMA_CNT);
	writeq(EDU_CMD_START | (to_ram ? EDU_CMD_TO_RAM : 0),
	       d->bar + EDU_DMA_CMD);
	while (readq(d->bar + EDU_DMA_CMD) & EDU_CMD_START) {
		if (time_after(jiffies, timeout)) {
			WRITE_ONCE(d->dma_hung, true);
			dev_err(d->dev, "edu DMA at %pad (%u bytes) did not finish within %u ms: leaking its buffer and mapping (the device may still write them); no more DMA on this device until it is bound again\n",
				&addr, len, ms);
			return -ETIMEDOUT;
		}
		msleep(min(20U, ms));
	}
	return 0;
}

/* dma_map_single(), or dma_map_phys() (6.18) of the buffer's address */
static dma_addr_t edu_map(struct device *dev, void *buf, u32 len,
			  enum dma_data_direction dir, bool phys)
{
#ifdef HAVE_DMA_MAP_PHYS
	if (phys)
		return dma_map_phys(dev, virt_to_phys(buf), len, dir, 0);
#endif
	return dma_map_single(dev, buf, len, dir);
}

static void edu_unmap(struct device *dev, dma_addr_t a, u32 len,
		      enum dma_data_direction dir, bool phys)
{
#ifdef HAVE_DMA_MAP_PHYS
	if (phys) {
		dma_unmap_phys(dev, a, len, dir, 0);
		return;
	}
#endif
	dma_unmap_single(dev, a, len, dir);
}

/*
 * Map @buf in @dir (dma_map_single(), or dma_map_phys() of its physical
 * address with @phys), run one transfer, unmap; *addr gets the DMA address.
 */
static int edu_map_dma(struct dmabench_dev *d, void *buf, u32 len,
		       enum dma_data_direction dir, bool phys, u64 *addr)
{
	dma_addr_t a;
	int ret;

	a = edu_map(d->dev, buf, len, dir, phys);
	if (dma_mapping_error(d->dev, a)) {
		dev_err(d->dev, "verify: %s of %u bytes failed\n",
			phys ? "dma_map_phys" : "dma_map_single", len);
		return -ENOMEM;
	}
	*addr = a;
	ret = edu_dma(d, a, len, dir == DMA_FROM_DEVICE);
	if (ret != -ETIMEDOUT)	/* else leaked: the device may still use it */
		edu_unmap(d->dev, a, len, dir, phys);
	return ret;
}

/* A buffer the edu can reach: from ZONE_DMA if need be (no IOMMU). */
static void *edu_alloc(struct device *dev, u32 len)
{
	void *buf = kzalloc(len, GFP_KERNEL);

	if (!buf || dmabench_dma_reachable(dev, virt_to_phys(buf), len))
		return buf;
	kfree(buf);
	buf = kzalloc(len, GFP_KERNEL | GFP_DMA);
	if (!buf || dmabench_dma_reachable(dev, virt_to_phys(buf), len))
		return buf;
	kfree(buf);
	return ERR_PTR(-EIO);
}

static int edu_verify(struct dmabench_dev *d, struct dmabench_verify *v)
{
	const bool phys = v->what == DMABENCH_VERIFY_MAP_PHYS;
	u8 *out, *in = NULL;
	u32 i;
	int ret;

	out = edu_alloc(d->dev, v->len);
	if (!IS_ERR_OR_NULL(out))
		in = edu_alloc(d->dev, v->len);
	if (IS_ERR_OR_NULL(out) || IS_ERR_OR_NULL(in)) {
		ret = IS_ERR(out) || IS_ERR(in) ? -EIO : -ENOMEM;
		if (ret == -EIO)
			dev_err(d->dev, "verify: the edu's DMA mask (edu_dma_bits) reaches neither this memory nor swiotlb's buffer: put it in an IOMMU DMA domain\n");
		else
			dev_err(d->dev, "verify: out of memory\n");
		goto out;
	}
	for (i = 0; i < v->len; i++)
		out[i] = (u8)(i * 7 + 0x5a);

	ret = edu_map_dma(d, out, v->len, DMA_TO_DEVICE, phys,
			  &v->dma_addr_to_dev);
	if (ret)
		goto out;
	ret = edu_map_dma(d, in, v->len, DMA_FROM_DEVICE, phys,
			  &v->dma_addr_from_dev);
	if (ret)
		goto out;

	v->passed = 1;
	v->mismatch_offset = 0;
	for (i = 0; i < v->len; i++) {
		if (in[i] != out[i]) {
			v->passed = 0;
			v->mismatch_offset = i;
			dev_warn(d->dev, "verify: data differs at byte %u\n", i);
			break;
		}
	}
	if (v->passed)
		v->transfers = 2;
out:
	if (ret == -ETIMEDOUT) {
		/* leaked: the device may still write them */
		kmemleak_not_leak(in);
		kmemleak_not_leak(out);
		return ret;
	}
	if (!IS_ERR(in))
		kfree(in);
	if (!IS_ERR(out))
		kfree(out);
	return ret;
}

/* ---- VERIFY what = MAP_SG: scattered pages, every DMA segment ---- */

#define EDU_SG_DEFAULT_NENTS	8

/* nents single pages, each the first half of an order-1 allocation */
struct edu_sg {
	struct sg_table sgt;
	struct page **pages;
	unsigned int nents;
};

/* The CPU address of byte @off of the scatterlist's data. */
static u8 *edu_sg_byte(struct edu_sg *s, u64 off)
{
	return (u8 *)page_address(s->pages[off >> PAGE_SHIFT]) +
	       (off & ~PAGE_MASK);
}

/* The pattern segment @seg moves, byte @i; differs per segment. */
static u8 edu_sg_pattern(unsigned int seg, u32 i)
{
	return (u8)(i * 7 + 0x5a + seg * 29);
}

/*
 * An order-1 allocation the edu can reach (ZONE_DMA if need be, as
 * edu_alloc()): using only its first page, no two entries are physically
 * adjacent, so dma-direct cannot merge them; an IOMMU can.
 */
static struct page *edu_sg_page(struct device *dev)
{
	struct page *pg = alloc_pages(GFP_KERNEL | __GFP_NOWARN, 1);

	if (!pg || dmabench_dma_reachable(dev, page_to_phys(pg), PAGE_SIZE))
		return pg;
	__free_pages(pg, 1);
	pg = alloc_pages(GFP_KERNEL | GFP_DMA | __GFP_NOWARN, 1);
	if (!pg || dmabench_dma_reachable(dev, page_to_phys(pg), PAGE_SIZE))
		return pg;
	__free_pages(pg, 1);
	return ERR_PTR(-EIO);
}

static void edu_sg_free(struct edu_sg *s)
{
	unsigned int i;

	for (i = 0; s->pages && i < s->nents; i++)
		if (!IS_ERR_OR_NULL(s->pages[i]))
			__free_pages(s->pages[i], 1);
	kvfree(s->pages);
	sg_free_table(&s->sgt);
}

static int edu_sg_alloc(struct dmabench_dev *d, struct edu_sg *s)
{
	struct scatterlist *sg;
	unsigned int i;

	s->pages = kvcalloc(s->nents, sizeof(*s->pages), GFP_KERNEL);
	if (!s->pages || sg_alloc_table(&s->sgt, s->nents, GFP_KERNEL))
		goto err_nomem;
	for_each_sgtable_sg(&s->sgt, sg, i) {
		s->pages[i] = edu_sg_page(d->dev);
		if (IS_ERR(s->pages[i])) {
			dev_err(d->dev, "verify: the edu's DMA mask (edu_dma_bits) reaches neither this memory nor swiotlb's buffer: put it in an IOMMU DMA domain\n");
			return -EIO;
		}
		if (!s->pages[i])
			goto err_nomem;
		sg_set_page(sg, s->pages[i], PAGE_SIZE, 0);
	}
	return 0;

err_nomem:
	dev_err(d->dev, "verify: out of memory for %u pages: use fewer nents\n",
		s->nents);
	return -ENOMEM;
}

/*
 * One DMA segment, @off bytes into the data: the CPU writes the pattern at
 * its end, the edu reads it from there into its buffer and writes it to
 * the segment's start, the CPU compares.  Two transfers, both directions.
 */
static int edu_sg_segment(struct dmabench_dev *d, struct edu_sg *s,
			  struct dmabench_verify *v, unsigned int seg,
			  dma_addr_t addr, u32 seg_len, u64 off)
{
	const u32 w = min_t(u32, v->len, seg_len / 2);
	const u64 src = off + seg_len - w;
	u32 i;
	int ret;

	for (i = 0; i < w; i++) {
		*edu_sg_byte(s, src + i) = edu_sg_pattern(seg, i);
		*edu_sg_byte(s, off + i) = ~edu_sg_pattern(seg, i);
	}
	if (!seg) {
		v->dma_addr_to_dev = addr + seg_len - w;
		v->dma_addr_from_dev = addr;
	}
	dma_sync_sgtable_for_device(d->dev, &s->sgt, DMA_BIDIRECTIONAL);
	ret = edu_dma(d, addr + seg_len - w, w, false);
	if (!ret)
		ret = edu_dma(d, addr, w, true);
	dma_sync_sgtable_for_cpu(d->dev, &s->sgt, DMA_BIDIRECTIONAL);
	if (ret)
		return ret;
	for (i = 0; i < w; i++) {
		if (*edu_sg_byte(s, off + i) != edu_sg_pattern(seg, i)) {
			if (v->passed) {
				v->passed = 0;
				v->mismatch_offset = off + i;
			}
			dev_warn(d->dev, "verify: DMA segment %u (%pad, %u bytes): data differs at byte %u\n",
				 seg, &addr, seg_len, i);
			return 0;
		}
	}
	v->transfers += 2;
	return 0;
}

/*
 * Map @nents scattered pages with dma_map_sgtable() and prove every DMA
 * segment it returns in both directions.  Each edu transfer takes about
 * 100 ms (QEMU's timer): 0.2 s per segment, e.g. 8 entries through
 * dma-direct 1.6 s, 1024 about 3.5 min; an IOMMU merges them into a few
 * segments.  A signal stops it (-EINTR).
 */
static int edu_verify_sg(struct dmabench_dev *d, struct dmabench_verify *v)
{
	struct edu_sg s = { .nents = v->nents ? v->nents :
					  EDU_SG_DEFAULT_NENTS };
	struct scatterlist *sg;
	unsigned int i;
	u64 off = 0;
	int ret;

	ret = edu_sg_alloc(d, &s);
	if (ret)
		goto out;
	ret = dma_map_sgtable(d->dev, &s.sgt, DMA_BIDIRECTIONAL, 0);
	if (ret) {
		dev_err(d->dev, "verify: dma_map_sgtable of %u pages failed: %pe\n",
			s.nents, ERR_PTR(ret));
		goto out;
	}
	dma_sync_sgtable_for_cpu(d->dev, &s.sgt, DMA_BIDIRECTIONAL);
	v->passed = 1;
	for_each_sgtable_dma_sg(&s.sgt, sg, i) {
		if (READ_ONCE(d->stop)) {
			dev_info(d->dev, "verify: stopped after %u of %u DMA segments: the device is being unbound\n",
				 i, s.sgt.nents);
			ret = -ENODEV;
			break;
		}
		if (signal_pending(current)) {
			dev_err(d->dev, "verify: interrupted after %u of %u DMA segments\n",
				i, s.sgt.nents);
			ret = -EINTR;
			break;
		}
		ret = edu_sg_segment(d, &s, v, i, sg_dma_address(sg),
				     sg_dma_len(sg), off);
		if (ret)
			break;
		v->segments++;
		off += sg_dma_len(sg);
	}
	if (!ret && off != (u64)s.nents * PAGE_SIZE) {
		dev_err(d->dev, "verify: the DMA segments cover %llu bytes, the pages %lu\n",
			off, s.nents * PAGE_SIZE);
		v->passed = 0;
	}
	if (v->passed)
		dev_info(d->dev, "verify: map_sg of %u pages: %u DMA segments, each checked both ways\n",
			 s.nents, v->segments);
	if (ret == -ETIMEDOUT) {
		/* leaked: the device may still write them */
		kmemleak_not_leak(s.pages);
		kmemleak_not_leak(s.sgt.sgl);
		return ret;
	}
	dma_unmap_sgtable(d->dev, &s.sgt, DMA_BIDIRECTIONAL, 0);
out:
	edu_sg_free(&s);
	return ret;
}

#ifdef HAVE_DMA_IOVA_LINK
/*
 * VERIFY what = IOVA_LINK: @nents scattered pages (as for MAP_SG) linked
 * into one IOVA range with the two-step API (6.16).  The CPU writes a
 * pattern at the end of every page before dma_iova_link() hands the pages
 * to the device; the edu copies each page's pattern through the range to
 * the page's start; after dma_iova_unlink() hands them back, the CPU
 * compares.  One DMA range, every page checked both ways through it.
 */
static int edu_verify_iova(struct dmabench_dev *d, struct dmabench_verify *v)
{
	struct edu_sg s = { .nents = v->nents ? v->nents :
					  EDU_SG_DEFAULT_NENTS };
	const u32 w = min_t(u32, v->len, PAGE_SIZE / 2);
	struct dma_iova_state state;
	size_t linked = 0;
	unsigned int i;
	u64 pg;
	u32 j;
	int ret;

	ret = edu_sg_alloc(d, &s);
	if (ret)
		goto out;
	for (i = 0; i < s.nents; i++) {
		pg = (u64)i << PAGE_SHIFT;
		for (j = 0; j < w; j++) {
			*edu_sg_byte(&s, pg + PAGE_SIZE - w + j) =
				edu_sg_pattern(i, j);
			*edu_sg_byte(&s, pg + j) = ~edu_sg_pattern(i, j);
		}
	}
	if (!dma_iova_try_alloc(d->dev, &state, 0,
				(size_t)s.nents << PAGE_SHIFT)) {
		dev_err(d->dev, "verify: iova_link: not applicable: dma_iova_try_alloc() refuses a device the IOMMU does not translate (DMA ops %s): verify it in a DMA or DMA-FQ domain\n",
			dmabench_dma_ops_name(d->dev));
		ret = -EOPNOTSUPP;
		goto out;
	}
	for (i = 0; i < s.nents && !ret; i++) {
		ret = dma_iova_link(d->dev, &state, page_to_phys(s.pages[i]),
				    linked, PAGE_SIZE, DMA_BIDIRECTIONAL, 0);
		if (!ret)
			linked += PAGE_SIZE;
	}
	if (!ret)
		ret = dma_iova_sync(d->dev, &state, 0, linked);
	if (ret) {
		dev_err(d->dev, "verify: iova_link: linking %u pages failed after %zu bytes: %pe\n",
			s.nents, linked, ERR_PTR(ret));
		dma_iova_destroy(d->dev, &state, linked, DMA_BIDIRECTIONAL, 0);
		goto out;
	}
	v->dma_addr_to_dev = state.addr + PAGE_SIZE - w;
	v->dma_addr_from_dev = state.addr;
	for (i = 0; i < s.nents && !ret; i++) {
		dma_addr_t a = state.addr + ((dma_addr_t)i << PAGE_SHIFT);

		if (READ_ONCE(d->stop)) {
			dev_info(d->dev, "verify: stopped after %u of %u pages: the device is being unbound\n",
				 i, s.nents);
			ret = -ENODEV;
		} else if (signal_pending(current)) {
			dev_err(d->dev, "verify: interrupted after %u of %u pages\n",
				i, s.nents);
			ret = -EINTR;
		} else {
			ret = edu_dma(d, a + PAGE_SIZE - w, w, false);
			if (!ret)
				ret = edu_dma(d, a, w, true);
		}
	}
	if (ret == -ETIMEDOUT) {
		/* leaked: the device may still write them */
		kmemleak_not_leak(s.pages);
		kmemleak_not_leak(s.sgt.sgl);
		return ret;
	}
	dma_iova_unlink(d->dev, &state, 0, linked, DMA_BIDIRECTIONAL, 0);
	dma_iova_free(d->dev, &state);
	if (ret)
		goto out;
	v->passed = 1;
	v->segments = 1;
	for (i = 0; i < s.nents && v->passed; i++) {
		pg = (u64)i << PAGE_SHIFT;
		for (j = 0; j < w; j++) {
			if (*edu_sg_byte(&s, pg + j) == edu_sg_pattern(i, j))
				continue;
			v->passed = 0;
			v->mismatch_offset = pg + j;
			dev_warn(d->dev, "verify: iova_link: page %u (IOVA %pad + %llu): data differs at byte %u\n",
				 i, &state.addr, pg, j);
			break;
		}
		if (v->passed)
			v->transfers += 2;
	}
	if (v->passed)
		dev_info(d->dev, "verify: iova_link of %u pages: one IOVA range at %pad, every page copied both ways through it\n",
			 s.nents, &state.addr);
out:
	edu_sg_free(&s);
	return ret;
}
#else
/* never called: the verify ioctl answers ENOENT before (no 6.16 API) */
static int edu_verify_iova(struct dmabench_dev *d, struct dmabench_verify *v)
{
	return -ENOENT;
}
#endif /* HAVE_DMA_IOVA_LINK */

/*
 * VERIFY what = ALLOC: a dma_alloc_coherent() buffer of 2 x len; the CPU
 * writes the first half, the edu copies it into the second, the CPU reads.
 */
static int edu_verify_alloc(struct dmabench_dev *d, struct dmabench_verify *v)
{
	const u32 len = v->len;
	dma_addr_t h;
	u8 *buf;
	u32 i;
	int ret;

	buf = dma_alloc_coherent(d->dev, 2 * len, &h,
				 GFP_KERNEL | __GFP_NOWARN);
	if (!buf) {
		dev_err(d->dev, "verify: dma_alloc_coherent of %u bytes failed (the edu's narrow DMA mask without an IOMMU?): use an IOMMU DMA domain\n",
			2 * len);
		return -ENOMEM;
	}
	for (i = 0; i < len; i++) {
		buf[i] = (u8)(i * 7 + 0x5a);
		buf[len + i] = ~buf[i];
	}
	v->dma_addr_to_dev = h;
	v->dma_addr_from_dev = h + len;
	ret = edu_dma(d, h, len, false);
	if (!ret)
		ret = edu_dma(d, h + len, len, true);
	if (!ret) {
		v->passed = 1;
		for (i = 0; i < len; i++) {
			if (buf[len + i] != buf[i]) {
				v->passed = 0;
				v->mismatch_offset = i;
				dev_warn(d->dev, "verify: coherent buffer differs at byte %u\n",
					 i);
				break;
			}
		}
		if (v->passed)
			v->transfers = 2;
	}
	if (ret != -ETIMEDOUT)	/* else leaked: the device may still write it */
		dma_free_coherent(d->dev, 2 * len, buf, h);
	return ret;
}

/* enum dmabench_verify_what: the test whose API each check calls */
static const char *const edu_what_names[] = {
	[DMABENCH_VERIFY_MAP_SINGLE]	= "map_single",
	[DMABENCH_VERIFY_MAP_SG]	= "map_sg",
	[DMABENCH_VERIFY_ALLOC]		= "alloc",
	[DMABENCH_VERIFY_IOVA_LINK]	= "iova_link",
	[DMABENCH_VERIFY_MAP_PHYS]	= "map_phys",
};

long dmabench_ioc_verify(union dmabench_ioc_arg *arg)
{
	struct dmabench_verify *v = &arg->verify;
	struct dmabench_dev *d;
	int ret;

	if (v->flags) {
		pr_err_ratelimited("verify: unknown flags 0x%x: none are defined, pass 0\n",
				   v->flags);
		return -EINVAL;
	}
	if (memchr_inv(v->reserved_in, 0, sizeof(v->reserved_in))) {
		pr_err_ratelimited("verify: reserved_in must be 0: clear the structure first\n");
		return -EINVAL;
	}
	if (v->what >= ARRAY_SIZE(edu_what_names)) {
		pr_err_ratelimited("verify: unknown what %u: use 0 map_single, 1 map_sg, 2 alloc, 3 iova_link or 4 map_phys\n",
				   v->what);
		return -EINVAL;
	}
	/* a check calls what its test does: this kernel may lack both */
	if (!dmabench_find_test(edu_what_names[v->what]) &&
	    dmabench_test_lacking(edu_what_names[v->what], "verify:"))
		return -ENOENT;
	if (v->nents && v->what != DMABENCH_VERIFY_MAP_SG &&
	    v->what != DMABENCH_VERIFY_IOVA_LINK) {
		pr_err_ratelimited("verify: nents %u is for map_sg and iova_link only: pass 0\n",
				   v->nents);
		return -EINVAL;
	}
	if (v->nents > DMABENCH_MAX_NENTS) {
		pr_err_ratelimited("verify: nents %u is above %u: use 0 (= %u) .. %u\n",
				   v->nents, DMABENCH_MAX_NENTS,
				   EDU_SG_DEFAULT_NENTS, DMABENCH_MAX_NENTS);
		return -EINVAL;
	}
	if (v->len > EDU_MAX_LEN) {
		pr_err_ratelimited("verify: len %u is above the edu buffer: use 1 .. %u\n",
				   v->len, EDU_MAX_LEN);
		return -EINVAL;
	}
	if (!v->len)
		v->len = EDU_DEFAULT_LEN;
	if (dmabench_check_name(v->device, sizeof(v->device), "verify: device"))
		return -EINVAL;

	d = dmabench_acquire(v->device, &ret);
	if (!d)
		return ret;
	if (READ_ONCE(d->dma_hung)) {
		dev_err(d->dev, "verify: an earlier edu DMA transfer of this device never finished: unbind and bind it, or reboot\n");
		ret = -EIO;
	} else if (!d->edu && d->bar) {
		dev_err(d->dev, "verify: this edu could not get its edu_dma_bits DMA mask in its current domain (see its probe message): verify it in an IOMMU DMA domain\n");
		ret = -EOPNOTSUPP;
	} else if (!d->edu) {
		dev_err(d->dev, "verify: needs QEMU's edu device (1234:11e8): bind one and verify it\n");
		ret = -EOPNOTSUPP;
	} else if (v->what == DMABENCH_VERIFY_MAP_SG) {
		ret = edu_verify_sg(d, v);
	} else if (v->what == DMABENCH_VERIFY_ALLOC) {
		ret = edu_verify_alloc(d, v);
	} else if (v->what == DMABENCH_VERIFY_IOVA_LINK) {
		ret = edu_verify_iova(d, v);
	} else {
		ret = edu_verify(d, v);
	}
	dmabench_release(d, NULL);
	return ret;
}

/* ---- DMABENCH_IOC_ISOLATE ---- */

#define ISO_DEFAULT_LEN		2048
#define ISO_IOVA_BITS		28	/* QEMU's edu clamps DMA addresses */

/* One page mapped at an IOVA of one domain. */
struct iso_buf {
	struct page *page;
	struct dmabench_iodom *d;
	unsigned long pfn;		/* IOVA pfn, 0 if not mapped */
};

static int iso_fault(struct iommu_domain *dom, struct device *dev,
		     unsigned long iova, int flags, void *token)
{
	atomic64_inc(token);
	dev_info(dev, "isolate: IOMMU fault at IOVA %#lx, flags %#x: blocked as expected if this device does not own the IOVA\n",
		 iova, flags);
	return 0;
}

static int iso_map(struct iso_buf *b, struct dmabench_iodom *d, u8 fill)
{
	const unsigned long npfn = PAGE_SIZE >> d->shift;
	int ret;

	b->page = alloc_page(GFP_KERNEL);
	if (!b->page)
		return -ENOMEM;
	memset(page_address(b->page), fill, PAGE_SIZE);
	b->d = d;
	b->pfn = alloc_iova_fast(&d->iovad, npfn, d->limit_pfn, true);
	if (!b->pfn)
		return -ENOSPC;
	ret = dmabench_iommu_map(d->dom, b->pfn << d->shift,
				 page_to_phys(b->page), PAGE_SIZE,
				 IOMMU_READ | IOMMU_WRITE | d->prot_cache);
	if (ret) {
		free_iova_fast(&d->iovad, b->pfn, npfn);
		b->pfn = 0;
	}
	return ret;
}

static void iso_unmap(struct iso_buf *b)
{
	struct dmabench_iodom *d = b->d;

	if (b->pfn) {
		iommu_unmap(d->dom, b->pfn << d->shift, PAGE_SIZE);
		free_iova_fast(&d->iovad, b->pfn, PAGE_SIZE >> d->shift);
	}
	if (b->page)
		__free_page(b->page);
	b->page = NULL;
	b->pfn = 0;
}

static dma_addr_t iso_addr(const struct iso_buf *b)
{
	return (dma_addr_t)b->pfn << b->d->shift;
}

/* Unbinding one of the devices stops the test between two transfers. */
static int iso_stop(struct dmabench_ioset *s)
{
	if (!dmabench_ioset_stopping(s))
		return 0;
	pr_info("isolate: stopped: a device is being unbound\n");
	return -ENODEV;
}

/*
 * A transfer timed out and may still write: keep every buffer, mapping,
 * domain and group claim (dmabench_ioset_put leaves a hung set alone), so
 * neither freed pages nor, after a restored identity domain, whatever
 * memory the IOVA names as a physical address can be hit.
 */
static bool iso_hung(struct dmabench_ioset *s, int ret)
{
	if (ret != -ETIMEDOUT)
		return false;
	s->hung = true;
	return true;
}

static struct dmabench_iodom *iso_dom(struct dmabench_ioset *s,
				      unsigned int i)
{
	return s->grps[s->dev_grp[i]].dom;
}

/* Did @len bytes at @b arrive as @fill?  Then count it as ok, else bad. */
static void iso_expect(struct dmabench_isolate *v, struct iso_buf *b,
		       u8 fill, bool arrive, struct device *dev)
{
	const u8 *p = page_address(b->page);
	bool same = !memchr_inv(p, fill, v->len);
	dma_addr_t a = iso_addr(b);

	if (same && arrive)
		v->transfers_ok++;
	else if (same)
		v->transfers_blocked++;
	else {
		v->transfers_bad++;
		dev_err(dev, "isolate: DMA to IOVA %pad %s\n", &a,
			arrive ? "did not arrive" : "was not blocked");
	}
}

/*
 * Per-device: a target page mapped at IOVA I in device 0's domain only;
 * every other device (I reserved, unmapped in its domain) writes to I and
 * must be blocked; then device 0 writes to I and must get through.
 */
static int iso_device(struct dmabench_ioset *s, struct dmabench_isolate *v)
{
	struct iso_buf target = {}, *src;
	unsigned int i;
	int ret;

	src = kcalloc(s->ndevs, sizeof(*src), GFP_KERNEL);
	if (!src)
		return -ENOMEM;
	ret = iso_map(&target, iso_dom(s, 0), 0xaa);
	for (i = 0; !ret && i < s->ndevs; i++) {
		struct dmabench_iodom *d = iso_dom(s, i);

		if (i && !reserve_iova(&d->iovad, target.pfn, target.pfn +
				       (PAGE_SIZE >> d->shift) - 1))
			ret = -ENOMEM;
		if (!ret)
			ret = iso_map(&src[i], d, 0x10 + i);
	}
	for (i = 1; !ret && i < s->ndevs; i++) {
		struct dmabench_dev *bd = s->devs[i];

		ret = iso_stop(s);
		if (ret)
			break;

		ret = edu_dma(bd, iso_addr(&src[i]), v->len, false);
		if (!ret)
			ret = edu_dma(bd, iso_addr(&target), v->len, true);
		if (!ret)
			iso_expect(v, &target, 0xaa, false, bd->dev);
	}
	if (!ret)
		ret = iso_stop(s);
	if (!ret)
		ret = edu_dma(s->devs[0], iso_addr(&src[0]), v->len, false);
	if (!ret)
		ret = edu_dma(s->devs[0], iso_addr(&target), v->len, true);
	if (!ret)
		iso_expect(v, &target, 0x10, true, s->devs[0]->dev);
	if (iso_hung(s, ret)) {
		kmemleak_not_leak(src);
		return ret;
	}
	for (i = 0; i < s->ndevs; i++)
		iso_unmap(&src[i]);
	iso_unmap(&target);
	kfree(src);
	return ret;
}

/*
 * Per-instance: one buffer per device in the shared domain; device i
 * copies device i+1's buffer through the edu into its own result page.
 */
static int iso_instance(struct dmabench_ioset *s, struct dmabench_isolate *v)
{
	struct iso_buf *src, *dst;
	unsigned int i, n = s->ndevs;
	int ret = 0;

	src = kcalloc(n, sizeof(*src), GFP_KERNEL);
	dst = kcalloc(n, sizeof(*dst), GFP_KERNEL);
	if (!src || !dst) {
		ret = -ENOMEM;
		goto out;
	}
	for (i = 0; !ret && i < n; i++) {
		ret = iso_map(&src[i], iso_dom(s, i), 0x10 + i);
		if (!ret)
			ret = iso_map(&dst[i], iso_dom(s, i), 0);
	}
	for (i = 0; !ret && i < n; i++) {
		struct dmabench_dev *bd = s->devs[i];

		ret = iso_stop(s);
		if (ret)
			break;

		ret = edu_dma(bd, iso_addr(&src[(i + 1) % n]), v->len, false);
		if (!ret)
			ret = edu_dma(bd, iso_addr(&dst[i]), v->len, true);
		if (!ret)
			iso_expect(v, &dst[i], 0x10 + (i + 1) % n, true,
				   bd->dev);
	}
	if (iso_hung(s, ret)) {
		kmemleak_not_leak(src);
		kmemleak_not_leak(dst);
		return ret;
	}
	for (i = 0; i < n; i++) {
		iso_unmap(&src[i]);
		iso_unmap(&dst[i]);
	}
out:
	kfree(src);
	kfree(dst);
	return ret;
}

static int iso_check(struct dmabench_isolate *v)
{
	if (v->flags || memchr_inv(v->reserved_in, 0, sizeof(v->reserved_in))) {
		pr_err_ratelimited("isolate: flags and reserved_in must be 0: clear the structure first\n");
		return -EINVAL;
	}
	if (v->scope > DMABENCH_SCOPE_INSTANCE) {
		pr_err_ratelimited("isolate: unknown scope %u: use 0 per-device or 1 per-instance\n",
				   v->scope);
		return -EINVAL;
	}
	if (v->len > ISO_DEFAULT_LEN) {
		pr_err_ratelimited("isolate: len %u is above %u (edu): use less\n",
				   v->len, ISO_DEFAULT_LEN);
		return -EINVAL;
	}
	if (!v->len)
		v->len = ISO_DEFAULT_LEN;
	if (dmabench_check_name(v->device, sizeof(v->device),
				"isolate: device"))
		return -EINVAL;
	return 0;
}

/* The set must be >= 2 edu devices behind one IOMMU, own groups if DEVICE */
static int iso_check_set(struct dmabench_ioset *s, u32 scope)
{
	unsigned int i;

	if (s->ndevs < 2) {
		pr_err_ratelimited("isolate: needs at least 2 edu devices: bind more\n");
		return -EINVAL;
	}
	for (i = 0; i < s->ndevs; i++) {
		if (READ_ONCE(s->devs[i]->dma_hung)) {
			dev_err(s->devs[i]->dev, "isolate: an earlier edu DMA transfer of this device never finished: unbind and bind it, or reboot\n");
			return -EIO;
		}
		if (!s->devs[i]->edu) {
			dev_err(s->devs[i]->dev, "isolate: needs QEMU's edu device (1234:11e8): name only edu devices\n");
			return -EOPNOTSUPP;
		}
		if (s->devs[i]->dev->iommu->iommu_dev !=
		    s->devs[0]->dev->iommu->iommu_dev) {
			dev_err(s->devs[i]->dev, "isolate: behind another IOMMU instance than %s: name devices of one IOMMU\n",
				dev_name(s->devs[0]->dev));
			return -EXDEV;
		}
	}
	if (scope == DMABENCH_SCOPE_DEVICE && s->ngrps < s->ndevs) {
		pr_err_ratelimited("isolate: some devices share an IOMMU group, so they cannot be isolated: name devices of distinct groups\n");
		return -EINVAL;
	}
	return 0;
}

long dmabench_ioc_isolate(union dmabench_ioc_arg *arg)
{
	struct dmabench_isolate *v = &arg->isolate;
	struct dmabench_ioset *s;
	atomic64_t faults;
	unsigned int i;
	int ret;

	s = kzalloc(sizeof(*s), GFP_KERNEL);
	ret = s ? iso_check(v) : -ENOMEM;
	if (ret)
		goto out_free;
	ret = dmabench_ioset_get(s, v->device, v->devices_ptr, v->ndevices,
				 "isolate");
	if (ret)
		goto out_free;
	ret = iso_check_set(s, v->scope);
	if (!ret)
		ret = dmabench_ioset_build(s, v->scope, ISO_IOVA_BITS,
					   "isolate");
	if (ret)
		goto out_put;
	atomic64_set(&faults, 0);
	for (i = 0; i < s->ndoms; i++)
		iommu_set_fault_handler(s->doms[i]->dom, iso_fault, &faults);
	v->ndevs_used = s->ndevs;
	v->ndomains = s->ndoms;
	if (v->scope == DMABENCH_SCOPE_DEVICE)
		ret = iso_device(s, v);
	else
		ret = iso_instance(s, v);
	v->faults = atomic64_read(&faults);
	v->passed = !ret && !v->transfers_bad &&
		    v->transfers_ok + v->transfers_blocked == s->ndevs;
	pr_info("isolate: %s scope, %u devices, %u domains: %u arrived, %u blocked, %u wrong: %s\n",
		v->scope == DMABENCH_SCOPE_DEVICE ? "per-device" :
		"per-instance", s->ndevs, s->ndoms, v->transfers_ok,
		v->transfers_blocked, v->transfers_bad,
		v->passed ? "pass" : "fail");
out_put:
	dmabench_ioset_put(s, NULL);
out_free:
	if (s && s->hung)
		kmemleak_not_leak(s);	/* holds what the device may write */
	else
		kfree(s);
	return ret;
}
