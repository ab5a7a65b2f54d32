/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every kernel-version dependent helper of dmabench, in one place.  The
 * HAVE_* macros come from dmabench_kconfig.h, which configure generates by
 * compile tests against the target kernel (config/kernel-*.m4) and the
 * build force-includes.
 */
#ifndef DMABENCH_COMPAT_H
#define DMABENCH_COMPAT_H

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

#endif /* DMABENCH_COMPAT_H */
