/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * --domain: switch a device's IOMMU group default domain type through
 * /sys/kernel/iommu_groups/N/type for a run, and put it back afterwards.
 *
 * The kernel changes the type of a group only while no driver uses it
 * (6.1: the device must be unbound, except DMA -> DMA-FQ; 6.12: EPERM while
 * group->owner_cnt), and only for a group of one device (6.1: EINVAL
 * otherwise; 6.12: every device of the group unbound).  So a switch is:
 * unbind the device from its driver, write the type, bind it again, read
 * the type back.  DMA-FQ -> DMA is allowed in both while unbound, so the
 * restore (always unbind, write, bind) works from any type.
 *
 * Switch and restore block SIGINT and SIGTERM while they run: a Ctrl-C
 * arrives after the device is bound again.  Every path goes through
 * util/sysfs ($DMABENCH_SYSROOT for the tests).
 */
#ifndef DMABENCH_UTIL_DOMAIN_H
#define DMABENCH_UTIL_DOMAIN_H

#include <stddef.h>
#include <stdint.h>

#include "util/parse-options.h"

enum domain_want {
	DOMAIN_CURRENT = 0,		/* leave the type as it is */
	DOMAIN_IDENTITY = 1,
	DOMAIN_DMA = 2,			/* strict invalidation */
	DOMAIN_DMA_FQ = 3,		/* lazy: flush queue */
};
#define DOMAIN_NWANT 4

/* "current" | "identity" | "dma" | "dma-fq" */
const char *domain_want_name(unsigned d);
/* What the kernel's type file takes and shows: NULL, identity, DMA, DMA-FQ */
const char *domain_sysfs_name(unsigned d);

/*
 * Parse a comma list of the names above (case-insensitive; the kernel's
 * spellings DMA, DMA-FQ and dma_fq too).  0, or -1 with the bad item in
 * @why.  *v is malloc'ed.
 */
int domain_parse_list(const char *arg, uint32_t **v, size_t *n, char *why,
		      size_t len);

/* The names above, for parse-options ENUM_LIST options (run, verify). */
extern const struct opt_name domain_names[];

struct domain_state {
	char device[64];
	char bus[16];			/* pci | platform */
	char group[16];			/* the IOMMU group number */
	char orig_type[16];		/* as found */
	char orig_driver[64];		/* as found; "" when none */
	char cur_type[16];		/* read back after the last switch */
	int changed;			/* the type file was written */
};

/*
 * Look @device up: bus, IOMMU group (alone in it), type, driver.  Nothing
 * is changed.  0, or -1 with one line saying why and what to do in @why.
 */
int domain_open(struct domain_state *st, const char *device, char *why,
		size_t len);

/*
 * Switch the group to @d (DOMAIN_CURRENT: the type domain_open found):
 * when it is not that already, unbind the device,
 * write the type, bind it to its driver again, read the type back into
 * st->cur_type.  Returns 0, or -1 with @why set and the device bound and
 * in the type it had before the call (as far as the kernel lets us).
 */
int domain_switch(struct domain_state *st, unsigned d, char *why,
		  size_t len);

/*
 * Put back the type and the driver domain_open found (nothing if the type
 * was never written).  0, or -1 with what failed and how to repair it by
 * hand in @why.
 */
int domain_restore(struct domain_state *st, char *why, size_t len);

/*
 * Give the group a new default domain of the type domain_open found (DMA
 * or DMA-FQ; nothing for identity): unbind the device, write another type
 * and the found one again, bind it to its driver again.  A refused IOVA
 * allocation stays cached in the old domain's allocator (6.1, 6.12: its
 * 32-bit fast-fail, max32_alloc_size, is reset only when an IOVA below
 * 4 GiB goes back to the rbtree, and unmaps go to the per-CPU caches), so
 * every later mapping at that limit fails at once and the rest are slower.
 * 0, or -1 with what failed and how to repair it by hand in @why.
 */
int domain_recreate(struct domain_state *st, char *why, size_t len);

/* domain_open + domain_recreate of @device */
int domain_renew(const char *device, char *why, size_t len);

#endif /* DMABENCH_UTIL_DOMAIN_H */
