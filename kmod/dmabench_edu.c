// SPDX-License-Identifier: GPL-2.0
/*
 * DMABENCH_IOC_VERIFY: prove that dma_map_single() gives addresses a real
 * DMA master can use, with QEMU's edu device (PCI 1234:11e8): copy a
 * pattern RAM -> device buffer -> RAM through the mappings and compare.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/io.h>
#include <linux/jiffies.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

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

/* One edu DMA transfer between @addr and the device buffer; polls. */
static int edu_dma(struct dmabench_dev *d, dma_addr_t addr, u32 len,
		   bool to_ram)
{
	unsigned long timeout = jiffies + msecs_to_jiffies(EDU_TIMEOUT_MS);

	writeq(to_ram ? EDU_BUF_ADDR : addr, d->bar + EDU_DMA_SRC);
	writeq(to_ram ? addr : EDU_BUF_ADDR, d->bar + EDU_DMA_DST);
	writeq(len, d->bar + EDU_DMA_CNT);
	writeq(EDU_CMD_START | (to_ram ? EDU_CMD_TO_RAM : 0),
	       d->bar + EDU_DMA_CMD);
	while (readq(d->bar + EDU_DMA_CMD) & EDU_CMD_START) {
		if (time_after(jiffies, timeout)) {
			dev_err(d->dev, "verify: edu DMA did not finish within %d ms: check the device\n",
				EDU_TIMEOUT_MS);
			return -ETIMEDOUT;
		}
		msleep(20);
	}
	return 0;
}

/* Map @buf in @dir, run one transfer, unmap; *addr gets the DMA address. */
static int edu_map_dma(struct dmabench_dev *d, void *buf, u32 len,
		       enum dma_data_direction dir, u64 *addr)
{
	dma_addr_t a;
	int ret;

	a = dma_map_single(d->dev, buf, len, dir);
	if (dma_mapping_error(d->dev, a)) {
		dev_err(d->dev, "verify: dma_map_single of %u bytes failed\n",
			len);
		return -ENOMEM;
	}
	*addr = a;
	ret = edu_dma(d, a, len, dir == DMA_FROM_DEVICE);
	dma_unmap_single(d->dev, a, len, dir);
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
	u8 *out, *in = NULL;
	u32 i;
	int ret;

	out = edu_alloc(d->dev, v->len);
	if (!IS_ERR_OR_NULL(out))
		in = edu_alloc(d->dev, v->len);
	if (IS_ERR_OR_NULL(out) || IS_ERR_OR_NULL(in)) {
		ret = IS_ERR(out) || IS_ERR(in) ? -EIO : -ENOMEM;
		if (ret == -EIO)
			dev_err(d->dev, "verify: the edu cannot reach memory (no IOMMU, no swiotlb): enable the IOMMU\n");
		else
			dev_err(d->dev, "verify: out of memory\n");
		goto out;
	}
	for (i = 0; i < v->len; i++)
		out[i] = (u8)(i * 7 + 0x5a);

	ret = edu_map_dma(d, out, v->len, DMA_TO_DEVICE, &v->dma_addr_to_dev);
	if (ret)
		goto out;
	ret = edu_map_dma(d, in, v->len, DMA_FROM_DEVICE,
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
out:
	if (!IS_ERR(in))
		kfree(in);
	if (!IS_ERR(out))
		kfree(out);
	return ret;
}

long dmabench_ioc_verify(struct dmabench_verify __user *uarg)
{
	struct dmabench_verify v;
	struct dmabench_dev *d;
	int ret;

	if (copy_from_user(&v, uarg, sizeof(v)))
		return -EFAULT;
	ret = dmabench_check_hdr(&v.hdr, sizeof(v), "verify");
	if (ret)
		return ret;
	if (v.flags) {
		pr_err_ratelimited("verify: unknown flags 0x%x: none are defined, pass 0\n",
				   v.flags);
		return -EINVAL;
	}
	if (memchr_inv(v.reserved_in, 0, sizeof(v.reserved_in))) {
		pr_err_ratelimited("verify: reserved_in must be 0: clear the structure first\n");
		return -EINVAL;
	}
	if (v.len > EDU_MAX_LEN) {
		pr_err_ratelimited("verify: len %u is above the edu buffer: use 1 .. %u\n",
				   v.len, EDU_MAX_LEN);
		return -EINVAL;
	}
	if (!v.len)
		v.len = EDU_DEFAULT_LEN;
	if (dmabench_check_name(v.device, sizeof(v.device), "verify: device"))
		return -EINVAL;

	d = dmabench_acquire(v.device, &ret);
	if (!d)
		return ret;
	if (!d->edu) {
		dev_err(d->dev, "verify: needs QEMU's edu device (1234:11e8): bind one and verify it\n");
		ret = -EOPNOTSUPP;
	} else {
		ret = edu_verify(d, &v);
	}
	dmabench_release(d, NULL);
	if (!ret && copy_to_user(uarg, &v, sizeof(v)))
		ret = -EFAULT;
	return ret;
}
