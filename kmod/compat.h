/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every kernel-version dependent helper of dmabench, in one place.  The
 * HAVE_* macros come from dmabench_kconfig.h, which configure generates by
 * compile tests against the target kernel (config/kernel-*.m4) and the
 * build force-includes.
 */
#ifndef DMABENCH_COMPAT_H
#define DMABENCH_COMPAT_H

#include <linux/device.h>
#include <linux/dma-map-ops.h>
#include <linux/err.h>
#include <linux/iommu.h>
#include <linux/iova.h>
#include <linux/mmzone.h>
#include <linux/platform_device.h>
#include <linux/swiotlb.h>

/*
 * Highest page order alloc_pages() accepts.  Before 6.4 MAX_ORDER was
 * exclusive (11 on x86); 6.8 renamed the inclusive limit MAX_PAGE_ORDER.
 * On 6.4..6.7 this is one order too low, which is only conservative.
 * MAX_PAGE_ORDER is a macro, so the #ifdef works even without configure.
 */
#if defined(HAVE_MAX_PAGE_ORDER) || defined(MAX_PAGE_ORDER)
#define DMABENCH_MAX_ORDER	MAX_PAGE_ORDER
#else
#define DMABENCH_MAX_ORDER	(MAX_ORDER - 1)
#endif

/*
 * platform_driver.remove returns void since 6.11, int before.
 * DMABENCH_PLATFORM_REMOVE(fn) defines fn##_compat with the right type
 * around void fn(struct platform_device *).
 */
#ifdef HAVE_PLATFORM_REMOVE_VOID
#define DMABENCH_PLATFORM_REMOVE(fn)					\
static void fn##_compat(struct platform_device *pdev)			\
{									\
	fn(pdev);							\
}
#else
#define DMABENCH_PLATFORM_REMOVE(fn)					\
static int fn##_compat(struct platform_device *pdev)			\
{									\
	fn(pdev);							\
	return 0;							\
}
#endif

/*
 * An unmanaged paging domain for the IOMMU instance of @dev, or an ERR_PTR.
 * 6.11 added iommu_paging_domain_alloc(dev); before, iommu_domain_alloc()
 * took the bus (one IOMMU driver per bus) and returned NULL on failure.
 */
static inline struct iommu_domain *dmabench_domain_alloc(struct device *dev)
{
#ifdef HAVE_IOMMU_PAGING_DOMAIN_ALLOC
	return iommu_paging_domain_alloc(dev);
#else
	struct iommu_domain *dom = iommu_domain_alloc(dev->bus);

	return dom ? dom : ERR_PTR(-ENOMEM);
#endif
}

/* iommu_map() takes a gfp_t since 6.3. */
static inline int dmabench_iommu_map(struct iommu_domain *dom,
				     unsigned long iova, phys_addr_t paddr,
				     size_t size, int prot)
{
#ifdef HAVE_IOMMU_MAP_GFP
	return iommu_map(dom, iova, paddr, size, prot, GFP_KERNEL);
#else
	return iommu_map(dom, iova, paddr, size, prot);
#endif
}

/*
 * Per-device DMA coherency.  struct device has dma_coherent (7.x: the
 * DEV_FLAG_DMA_COHERENT bit and its accessors) only where the
 * architecture has non-coherent DMA (ARCH_HAS_SYNC_DMA_FOR_DEVICE/CPU:
 * arm64 yes, x86 no); elsewhere every device is coherent and cannot be made
 * otherwise.  Since 6.11 (CONFIG_DMA_NEED_SYNC) dma_set_mask() sets
 * dev->dma_skip_sync for a coherent device and dma_sync_*() then return at
 * once; forcing clears it so the syncs really run.
 */
static inline bool dmabench_coherency_settable(void)
{
#if defined(HAVE_DEV_DMA_COHERENT) || defined(HAVE_DEV_DMA_COHERENT_FLAG)
	return true;
#else
	return false;
#endif
}

static inline bool dmabench_dev_coherent(struct device *dev)
{
	return dev_is_dma_coherent(dev);
}

struct dmabench_coherency_save {
	bool coherent;
	bool skip_sync;
};

/*
 * Make @dev coherent or not (only where dmabench_coherency_settable(); else
 * the coherency stays) and clear dma_skip_sync, saving both in @save.  Call
 * with no DMA mapping or allocation of @dev alive, and undo with
 * dmabench_coherency_restore() once all of them are gone again.
 */
static inline void dmabench_coherency_force(struct device *dev, bool coherent,
					    struct dmabench_coherency_save *save)
{
	save->coherent = dev_is_dma_coherent(dev);
#if defined(HAVE_DEV_DMA_SKIP_SYNC)
	save->skip_sync = dev->dma_skip_sync;
	dev->dma_skip_sync = false;
#elif defined(HAVE_DEV_DMA_SKIP_SYNC_FLAG)
	save->skip_sync = dev_dma_skip_sync(dev);
	dev_clear_dma_skip_sync(dev);
#else
	save->skip_sync = false;
#endif
#if defined(HAVE_DEV_DMA_COHERENT)
	dev->dma_coherent = coherent;
#elif defined(HAVE_DEV_DMA_COHERENT_FLAG)
	dev_assign_dma_coherent(dev, coherent);
#endif
}

static inline void
dmabench_coherency_restore(struct device *dev,
			   const struct dmabench_coherency_save *save)
{
#if defined(HAVE_DEV_DMA_COHERENT)
	dev->dma_coherent = save->coherent;
#elif defined(HAVE_DEV_DMA_COHERENT_FLAG)
	dev_assign_dma_coherent(dev, save->coherent);
#endif
#if defined(HAVE_DEV_DMA_SKIP_SYNC)
	dev->dma_skip_sync = save->skip_sync;
#elif defined(HAVE_DEV_DMA_SKIP_SYNC_FLAG)
	dev_assign_dma_skip_sync(dev, save->skip_sync);
#endif
}

/*
 * is_swiotlb_active(): 6.1 exports it, Debian's 6.12 does not (a link-time
 * difference a compile test cannot see).  This is the kernel's own test in
 * both; dev->dma_io_tlb_mem exists since 5.15.
 */
static inline bool dmabench_swiotlb_active(struct device *dev)
{
#if defined(CONFIG_SWIOTLB) && defined(HAVE_DEV_DMA_IO_TLB_MEM)
	return dev->dma_io_tlb_mem && dev->dma_io_tlb_mem->nslabs;
#elif defined(CONFIG_SWIOTLB)
	/* before 5.15: one global pool; 0 when there is none */
	return swiotlb_max_segment() != 0;
#else
	return false;
#endif
}

/*
 * swiotlb=force: every mapping of @dev bounces.  5.16 made it per device
 * (is_swiotlb_force_bounce); before, the global swiotlb_force said it and
 * is not exported, so older kernels answer "not forced", which only makes
 * the reachability checks stricter and drops a notice.
 */
static inline bool dmabench_swiotlb_force_bounce(struct device *dev)
{
#ifdef HAVE_IS_SWIOTLB_FORCE_BOUNCE
	return is_swiotlb_force_bounce(dev);
#else
	return false;
#endif
}

/*
 * Does the gather hold freed page-table pages that only iommu_iotlb_sync()
 * releases?  5.17 put them in a list_head freelist, 6.15 in a struct
 * iommu_pages_list; before 5.17 the drivers freed them themselves.
 */
static inline bool
dmabench_gather_has_pages(struct iommu_iotlb_gather *gather)
{
#if defined(HAVE_IOMMU_PAGES_LIST)
	return !list_empty(&gather->freelist.pages);
#elif defined(HAVE_IOMMU_GATHER_FREELIST)
	return !list_empty(&gather->freelist);
#else
	return false;
#endif
}

/* 6.0 split the per-CPU IOVA caches off init_iova_domain(). */
static inline int dmabench_iova_init_rcaches(struct iova_domain *iovad)
{
#ifdef HAVE_IOVA_DOMAIN_INIT_RCACHES
	return iova_domain_init_rcaches(iovad);
#else
	return 0;
#endif
}

/*
 * The IOMMU-API tests take a group from the DMA API with the DMA
 * ownership API of 5.19 (as VFIO does); without it (HAVE_IOMMU_CLAIM_DMA_OWNER)
 * they are compiled out and the calls that need a group answer -EOPNOTSUPP
 * with a line naming what they need.
 */
#define DMABENCH_IOMMU_API_NEEDS	"Linux 5.19 (iommu_group_claim_dma_owner)"

#endif /* DMABENCH_COMPAT_H */
