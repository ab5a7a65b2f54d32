// SPDX-License-Identifier: GPL-2.0
/*
 * The devices dmabench drives: the PCI and platform drivers, the virtual
 * device dmabench.0 and the registry of bound devices (acquire/release for
 * the ioctl handlers).  The bottom layer: it calls nothing else of dmabench.
 *
 * Devices are handed to the drivers with driver_override + bind, like
 * kernel/dma/map_benchmark.c; the virtual platform device dmabench.0
 * (64-bit DMA mask, no IOMMU) binds by name.  Unbinding a device during a
 * run stops the run (status DEVICE_GONE) and waits for it; an IOMMU test
 * returns the device's group to its default domain first.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/dma-map-ops.h>
#include <linux/dma-mapping.h>
#include <linux/iommu.h>
#include <linux/kstrtox.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/platform_device.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/swiotlb.h>
#include <linux/sysfs.h>

#include "compat.h"
#include "dmabench.h"

#define EDU_VENDOR	0x1234
#define EDU_DEVICE	0x11e8

/*
 * edu_dma_bits: the DMA mask the edu devices get.  QEMU's edu clamps DMA
 * addresses to its dma_mask property, 28 bits unless the machine was
 * started with -device edu,dma_mask=...; a wider mask lets an edu verify
 * in an identity domain where no memory lies below 256 MiB (arm64 virt).
 */
static unsigned int edu_dma_bits = 28;
module_param(edu_dma_bits, uint, 0444);
MODULE_PARM_DESC(edu_dma_bits,
		 "DMA mask bits of the edu devices, 28 (QEMU's default) .. 64; match QEMU's -device edu,dma_mask=");

/*
 * virt_coherent: the DMA coherency dmabench.0 is created with.  Unset, it
 * stays as the platform makes a device without firmware description
 * (arm64: non-coherent, x86: coherent).  Only where the architecture has
 * per-device coherency (arm64); x86 is always coherent and ignores N.
 */
static int dmabench_virt_coherent = -1;	/* -1 unset, 0 N, 1 Y */

static int virt_coherent_set(const char *val, const struct kernel_param *kp)
{
	bool v;
	int ret = kstrtobool(val, &v);

	if (ret)
		return ret;
	*(int *)kp->arg = v;
	return 0;
}

static int virt_coherent_get(char *buf, const struct kernel_param *kp)
{
	int v = *(int *)kp->arg;

	return sysfs_emit(buf, "%s\n", v < 0 ? "platform" : v ? "Y" : "N");
}

static const struct kernel_param_ops virt_coherent_ops = {
	.set	= virt_coherent_set,
	.get	= virt_coherent_get,
};
module_param_cb(virt_coherent, &virt_coherent_ops, &dmabench_virt_coherent,
		0444);
MODULE_PARM_DESC(virt_coherent,
		 "DMA coherency of the virtual device dmabench.0: Y or N (arm64; x86 is always coherent), default: as the platform makes it");

static LIST_HEAD(dmabench_devices);
static DEFINE_MUTEX(dmabench_lock);	/* dmabench_devices, busy, gone */
static struct platform_device *dmabench_vdev;

/* Find a device by name and mark it busy; *err = -ENODEV or -EBUSY. */
struct dmabench_dev *dmabench_acquire(const char *name, int *err)
{
	struct dmabench_dev *d;

	mutex_lock(&dmabench_lock);
	list_for_each_entry(d, &dmabench_devices, list) {
		if (strcmp(dev_name(d->dev), name))
			continue;
		if (d->busy) {
			mutex_unlock(&dmabench_lock);
			pr_err_ratelimited("device %s is busy with another run or verify: wait for it to end\n",
					   name);
			*err = -EBUSY;
			return NULL;
		}
		d->busy = true;
		d->stop = false;
		reinit_completion(&d->idle);
		mutex_unlock(&dmabench_lock);
		return d;
	}
	mutex_unlock(&dmabench_lock);
	pr_err_ratelimited("device %s is not bound to dmabench: bind it first (see the devices file)\n",
			   name);
	*err = -ENODEV;
	return NULL;
}

/*
 * Acquire every device that is behind an IOMMU (has an IOMMU group), in
 * bind order: -ENODEV if there is none, -EBUSY (nothing acquired) if one
 * is busy or there are more than @max.
 */
int dmabench_acquire_iommu_all(struct dmabench_dev **devs, unsigned int max,
			       unsigned int *n)
{
	struct iommu_group *grp;
	struct dmabench_dev *d;
	unsigned int i = 0;
	int ret = 0;

	mutex_lock(&dmabench_lock);
	list_for_each_entry(d, &dmabench_devices, list) {
		grp = iommu_group_get(d->dev);
		if (!grp)
			continue;
		iommu_group_put(grp);
		if (d->busy || i == max) {
			pr_err_ratelimited("device %s is busy or there are more than %u devices: wait, or name the devices\n",
					   dev_name(d->dev), max);
			ret = -EBUSY;
			break;
		}
		devs[i++] = d;
	}
	if (!ret && !i) {
		pr_err_ratelimited("no device behind an IOMMU is bound to dmabench: bind some (see the devices file)\n");
		ret = -ENODEV;
	}
	*n = ret ? 0 : i;
	while (i--) {
		d = devs[i];
		if (ret)
			continue;
		d->busy = true;
		d->stop = false;
		reinit_completion(&d->idle);
	}
	mutex_unlock(&dmabench_lock);
	return ret;
}

/* End a run or verify; *gone tells whether remove() is waiting for it. */
void dmabench_release(struct dmabench_dev *d, bool *gone)
{
	mutex_lock(&dmabench_lock);
	if (gone)
		*gone = d->gone;
	d->busy = false;
	complete_all(&d->idle);
	mutex_unlock(&dmabench_lock);
}

/* Put back DMA masks saved earlier; falls back to plain stores. */
void dmabench_restore_masks(struct device *dev, u64 mask, u64 coherent)
{
	if (dev->dma_mask && dma_set_mask(dev, mask))
		*dev->dma_mask = mask;
	if (dma_set_coherent_mask(dev, coherent))
		dev->coherent_dma_mask = coherent;
}

static struct dmabench_dev *dmabench_alloc(struct device *dev, bool pci)
{
	struct dmabench_dev *d = kzalloc(sizeof(*d), GFP_KERNEL);

	if (!d)
		return NULL;
	d->dev = dev;
	d->pci = pci;
	d->probe_mask = dev->dma_mask ? *dev->dma_mask : 0;
	d->probe_coherent_mask = dev->coherent_dma_mask;
	init_completion(&d->idle);
	return d;
}

static void dmabench_publish(struct dmabench_dev *d)
{
	dev_set_drvdata(d->dev, d);
	mutex_lock(&dmabench_lock);
	list_add_tail(&d->list, &dmabench_devices);
	mutex_unlock(&dmabench_lock);
	dev_info(d->dev, "bound to dmabench%s\n", d->edu ? " (edu: verify)" : "");
}

/* remove(): stop a run on the device, wait for it, restore the masks. */
static void dmabench_unpublish(struct device *dev)
{
	struct dmabench_dev *d = dev_get_drvdata(dev);
	bool busy;

	if (!d)
		return;
	mutex_lock(&dmabench_lock);
	list_del(&d->list);
	busy = d->busy;
	if (busy) {
		d->gone = true;
		WRITE_ONCE(d->stop, true);
	}
	mutex_unlock(&dmabench_lock);
	if (busy) {
		dev_info(dev, "unbinding: stopping the running benchmark\n");
		wait_for_completion(&d->idle);
	}
	dmabench_restore_masks(dev, d->probe_mask, d->probe_coherent_mask);
	dev_set_drvdata(dev, NULL);
	kfree(d);
}

/* "iommu", "ops" or "direct": who translates this device's DMA mappings */
const char *dmabench_dma_ops_name(struct device *dev)
{
	struct iommu_domain *dom = iommu_get_domain_for_dev(dev);

	if (dom && (dom->type & __IOMMU_DOMAIN_DMA_API))
		return "iommu";
	return get_dma_ops(dev) ? "ops" : "direct";
}

/*
 * Can dma_map_single() map [phys, phys + size) without a WARN?  dma-direct
 * WARNs when the range is above the device's mask and there is no swiotlb
 * to bounce it (e.g. edu's 28 bits without an IOMMU), and swiotlb WARNs
 * when its own buffer is above the mask: it lies below 4 GiB (x86, arm64),
 * so only a mask of 32 bits or more is sure to reach it.  Mappings through
 * an IOMMU or dma_map_ops, or with an offset map, are left to the DMA API.
 */
bool dmabench_dma_reachable(struct device *dev, phys_addr_t phys, size_t size)
{
	u64 limit = min_not_zero(*dev->dma_mask, dev->bus_dma_limit);
	/* a limited mapping size: dma-direct bounces through swiotlb */
	bool swiotlb = dma_max_mapping_size(dev) != SIZE_MAX &&
		       limit >= DMA_BIT_MASK(32);

	if (strcmp(dmabench_dma_ops_name(dev), "direct") || dev->dma_range_map)
		return true;
	/* swiotlb=force: every mapping bounces, reachable or not */
	if (is_swiotlb_force_bounce(dev))
		return swiotlb;
	return phys + size - 1 <= limit || swiotlb;
}

static const char *dmabench_domain_name(struct iommu_domain *dom)
{
	if (!dom)
		return "none";
	switch (dom->type) {
	case IOMMU_DOMAIN_IDENTITY:
		return "identity";
	case IOMMU_DOMAIN_DMA:
		return "DMA";
	case IOMMU_DOMAIN_DMA_FQ:
		return "DMA-FQ";
	case IOMMU_DOMAIN_UNMANAGED:
		return "unmanaged";
	case IOMMU_DOMAIN_BLOCKED:
		return "blocked";
	default:
		return "other";
	}
}

/* The devices file: one line per device, see dmabench_abi.h. */
int dmabench_devices_show(struct seq_file *m, void *v)
{
	struct dmabench_dev *d;

	mutex_lock(&dmabench_lock);
	list_for_each_entry(d, &dmabench_devices, list) {
		struct device *dev = d->dev;
		struct iommu_domain *dom = iommu_get_domain_for_dev(dev);

		seq_printf(m, "%s %s %s %s %s %d %s %s\n", dev_name(dev),
			   d->pci ? "pci" : "platform",
			   dmabench_dma_ops_name(dev),
			   dmabench_domain_name(dom),
			   dmabench_dev_coherent(dev) ? "yes" : "no",
			   dev->dma_mask ? fls64(*dev->dma_mask) : 0,
			   d->edu ? "yes" : "no", d->busy ? "yes" : "no");
	}
	mutex_unlock(&dmabench_lock);
	return 0;
}

static int dmabench_pci_probe(struct pci_dev *pdev,
			      const struct pci_device_id *id)
{
	struct dmabench_dev *d = dmabench_alloc(&pdev->dev, true);
	int ret;

	if (!d)
		return -ENOMEM;
	d->edu = pdev->vendor == EDU_VENDOR && pdev->device == EDU_DEVICE;
	if (d->edu) {
		ret = pcim_enable_device(pdev);
		if (ret)
			goto err;
		d->bar = pcim_iomap(pdev, 0, 0);
		if (!d->bar) {
			dev_err(&pdev->dev, "cannot map edu BAR0\n");
			ret = -ENOMEM;
			goto err;
		}
		pci_set_master(pdev);
		/*
		 * QEMU's edu clamps DMA addresses to edu_dma_bits.  dma-direct
		 * refuses a narrow mask where no memory lies below it (arm64
		 * virt, identity domain, 28 bits): bind for benchmarks with the
		 * default mask then, but never let this edu DMA (no verify).
		 */
		if (dma_set_mask_and_coherent(&pdev->dev,
					      DMA_BIT_MASK(edu_dma_bits))) {
			dev_warn(&pdev->dev, "the edu's %u-bit DMA mask is refused here (no IOMMU translation, no memory below it): bound for benchmarks with its default mask, without verify; start QEMU with -device edu,dma_mask= and load with edu_dma_bits=\n",
				 edu_dma_bits);
			d->edu = false;
		}
	}
	dmabench_publish(d);
	return 0;
err:
	kfree(d);
	return ret;
}

static void dmabench_pci_remove(struct pci_dev *pdev)
{
	dmabench_unpublish(&pdev->dev);
}

/*
 * No id table: devices are bound explicitly with driver_override.
 * driver_managed_dma: binding does not pin the default domain, so the
 * IOMMU tests can claim the group (iommu_group_claim_dma_owner) as VFIO
 * does; until they do, the DMA API works through the default domain.
 */
static struct pci_driver dmabench_pci_driver = {
	.name			= "dmabench",
	.probe			= dmabench_pci_probe,
	.remove			= dmabench_pci_remove,
	.driver_managed_dma	= true,
};

static int dmabench_platform_probe(struct platform_device *pdev)
{
	struct dmabench_dev *d = dmabench_alloc(&pdev->dev, false);

	if (!d)
		return -ENOMEM;
	dmabench_publish(d);
	return 0;
}

static void dmabench_platform_remove(struct platform_device *pdev)
{
	dmabench_unpublish(&pdev->dev);
}
DMABENCH_PLATFORM_REMOVE(dmabench_platform_remove)

static struct platform_driver dmabench_platform_driver = {
	.driver	= {
		.name	= "dmabench",
	},
	.probe	= dmabench_platform_probe,
	.remove	= dmabench_platform_remove_compat,
	.driver_managed_dma = true,
};

/* Apply virt_coherent to dmabench.0, before any run can use it. */
static void __init dmabench_virt_coherency(struct device *dev)
{
	struct dmabench_coherency_save save;

	if (dmabench_virt_coherent < 0 ||
	    dmabench_virt_coherent == dmabench_dev_coherent(dev))
		return;
	if (!dmabench_coherency_settable()) {
		pr_warn("virt_coherent=N ignored: DMA on this architecture is always cache-coherent (x86); use an arm64 system for non-coherent DMA\n");
		return;
	}
	/* for the device's lifetime: nothing to restore */
	dmabench_coherency_force(dev, dmabench_virt_coherent, &save);
	dev_info(dev, "created %scoherent (virt_coherent)\n",
		 dmabench_virt_coherent ? "" : "non-");
}

/* Register the drivers and create dmabench.0. */
int __init dmabench_dev_init(void)
{
	struct platform_device_info info = {
		.name		= "dmabench",
		.id		= 0,
		.dma_mask	= DMA_BIT_MASK(64),
	};
	int ret;

	if (edu_dma_bits < 28 || edu_dma_bits > 64) {
		pr_err("edu_dma_bits=%u out of range: use 28 .. 64\n",
		       edu_dma_bits);
		return -EINVAL;
	}
	ret = pci_register_driver(&dmabench_pci_driver);
	if (ret)
		return ret;
	ret = platform_driver_register(&dmabench_platform_driver);
	if (ret)
		goto err_pci;
	dmabench_vdev = platform_device_register_full(&info);
	if (IS_ERR(dmabench_vdev)) {
		ret = PTR_ERR(dmabench_vdev);
		pr_err("cannot register the virtual device dmabench.0: %d\n",
		       ret);
		goto err_platform;
	}
	dmabench_virt_coherency(&dmabench_vdev->dev);
	return 0;

err_platform:
	platform_driver_unregister(&dmabench_platform_driver);
err_pci:
	pci_unregister_driver(&dmabench_pci_driver);
	return ret;
}

void dmabench_dev_exit(void)
{
	platform_device_unregister(dmabench_vdev);
	platform_driver_unregister(&dmabench_platform_driver);
	pci_unregister_driver(&dmabench_pci_driver);
}
