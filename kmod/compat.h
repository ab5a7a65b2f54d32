/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every kernel-version dependent helper of dmabench, in one place.  The
 * HAVE_* macros come from dmabench_kconfig.h, which configure generates by
 * compile tests against the target kernel (config/kernel-*.m4) and the
 * build force-includes.
 */
#ifndef DMABENCH_COMPAT_H
#define DMABENCH_COMPAT_H

#include <linux/err.h>
#include <linux/iommu.h>
#include <linux/mmzone.h>
#include <linux/platform_device.h>

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

#endif /* DMABENCH_COMPAT_H */
