// SPDX-License-Identifier: GPL-2.0
/*
 * The IOMMU-API side of dmabench: a set of devices taken from the DMA API
 * (iommu_group_claim_dma_owner, as VFIO does; the drivers declare
 * driver_managed_dma), put into unmanaged paging domains, per device
 * (IOMMU group) or per IOMMU instance, each with its own IOVA allocator
 * (init_iova_domain + rcaches).  dmabench_ioset_put() undoes everything:
 * detach, back to the default domain, free.
 *
 * DMABENCH_IOC_EXHAUST lives here too.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/dma-map-ops.h>
#include <linux/dma-mapping.h>
#include <linux/iommu.h>
#include <linux/iova.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>

#include "compat.h"
#include "dmabench.h"

#define DMABENCH_DEFAULT_IOVA_BITS	48
#define DMABENCH_MAX_FLUSH_N		65536
#define EXHAUST_MAX_BUF			(4UL << 20)
#define EXHAUST_DEFAULT_DOMAINS		4096
/*
 * What one detached domain may pin (driver state, first page-table page),
 * generously: exhaust domains stops at half the memory available when it
 * starts, since drivers that free the hardware context on detach (VT-d
 * frees the domain ID) would otherwise run out of memory, not contexts.
 */
#define EXHAUST_DOMAIN_COST		(16UL << 10)

int dmabench_check_iommu_params(const struct dmabench_iommu_params *iop,
				const char *what)
{
	if (iop->scope > DMABENCH_SCOPE_INSTANCE) {
		pr_err_ratelimited("%s: unknown scope %u: use 0 per-device or 1 per-instance\n",
				   what, iop->scope);
		return -EINVAL;
	}
	if (iop->flush > DMABENCH_FLUSH_ALL) {
		pr_err_ratelimited("%s: unknown flush %u: use 0 strict, 1 batch, 2 all\n",
				   what, iop->flush);
		return -EINVAL;
	}
	if (iop->flush_n > DMABENCH_MAX_FLUSH_N ||
	    (iop->flush == DMABENCH_FLUSH_STRICT && iop->flush_n > 1)) {
		pr_err_ratelimited("%s: flush_n %u out of range: strict takes 0 or 1, batch and all 1 .. %u\n",
				   what, iop->flush_n, DMABENCH_MAX_FLUSH_N);
		return -EINVAL;
	}
	if (iop->iova_bits && (iop->iova_bits < 32 || iop->iova_bits > 64)) {
		pr_err_ratelimited("%s: iova_bits %u out of range: use 0 (48) or 32 .. 64\n",
				   what, iop->iova_bits);
		return -EINVAL;
	}
	if (iop->live > DMABENCH_MAX_LIVE) {
		pr_err_ratelimited("%s: live %u is above %u: use fewer live mappings\n",
				   what, iop->live, DMABENCH_MAX_LIVE);
		return -EINVAL;
	}
	return 0;
}

/* Copy and check a user list of device names. */
static int dmabench_copy_names(char (*names)[DMABENCH_NAME_LEN],
			       u64 ptr, u32 n, const char *what)
{
	unsigned int i, j;

	if (copy_from_user(names, u64_to_user_ptr(ptr),
			   (size_t)n * DMABENCH_NAME_LEN)) {
		pr_err_ratelimited("%s: devices_ptr 0x%llx is not a readable array of %u names\n",
				   what, ptr, n);
		return -EFAULT;
	}
	for (i = 0; i < n; i++) {
		if (dmabench_check_name(names[i], DMABENCH_NAME_LEN, what))
			return -EINVAL;
		for (j = 0; j < i; j++) {
			if (!strcmp(names[i], names[j])) {
				pr_err_ratelimited("%s: device %s is named twice: name each device once\n",
						   what, names[i]);
				return -EINVAL;
			}
		}
	}
	return 0;
}

static void dmabench_ioset_release(struct dmabench_ioset *s, bool *gone)
{
	bool g;

	while (s->ndevs) {
		dmabench_release(s->devs[--s->ndevs], &g);
		if (gone && g)
			*gone = true;
	}
	while (s->nheld)
		dmabench_release(s->held[--s->nheld], NULL);
}

/*
 * Acquire the devices (@device is a name or "all"; or @ndevices names at
 * @devices_ptr) and look up their IOMMU groups.  Nothing is changed yet.
 */
int dmabench_ioset_get(struct dmabench_ioset *s, const char *device,
		       u64 devices_ptr, u32 ndevices, const char *what)
{
	char (*names)[DMABENCH_NAME_LEN] = NULL;
	struct iommu_group *grp;
	unsigned int i, g;
	int ret = 0;

	memset(s, 0, sizeof(*s));
	atomic64_set(&s->slow_allocs, 0);
	if (!ndevices && devices_ptr) {
		pr_err_ratelimited("%s: devices_ptr 0x%llx without ndevices: set both or neither\n",
				   what, devices_ptr);
		return -EINVAL;
	}
	if (ndevices > DMABENCH_MAX_DEVICES) {
		pr_err_ratelimited("%s: ndevices %u is above %u: use fewer devices\n",
				   what, ndevices, DMABENCH_MAX_DEVICES);
		return -EINVAL;
	}
	if (ndevices) {
		names = kcalloc(ndevices, DMABENCH_NAME_LEN, GFP_KERNEL);
		if (!names)
			return -ENOMEM;
		ret = dmabench_copy_names(names, devices_ptr, ndevices, what);
		for (i = 0; !ret && i < ndevices; i++) {
			s->devs[i] = dmabench_acquire(names[i], &ret);
			if (s->devs[i])
				s->ndevs++;
		}
		kfree(names);
	} else if (!strcmp(device, DMABENCH_ALL_DEVICES)) {
		ret = dmabench_acquire_iommu_all(s->devs, DMABENCH_MAX_DEVICES,
						 &s->ndevs);
	} else {
		s->devs[0] = dmabench_acquire(device, &ret);
		if (s->devs[0])
			s->ndevs = 1;
	}
	if (ret)
		goto err;

	for (i = 0; i < s->ndevs; i++) {
		struct device *dev = s->devs[i]->dev;

		grp = iommu_group_get(dev);
		if (!grp || !dev->iommu) {
			iommu_group_put(grp);
			dev_err(dev, "%s: the device is not behind an IOMMU (no IOMMU group): boot with the IOMMU on, or pick another device\n",
				what);
			ret = -EOPNOTSUPP;
			goto err;
		}
		for (g = 0; g < s->ngrps; g++)
			if (s->grps[g].group == grp)
				break;
		if (g < s->ngrps)
			iommu_group_put(grp);	/* shares a group: one ref */
		else
			s->grps[s->ngrps++].group = grp;
		s->dev_grp[i] = g;
	}
	return 0;
err:
	dmabench_ioset_put(s, NULL);
	return ret;
}

/* First device of group @g */
static struct device *dmabench_grp_dev(struct dmabench_ioset *s,
				       unsigned int g)
{
	unsigned int i;

	for (i = 0; i < s->ndevs; i++)
		if (s->dev_grp[i] == g)
			return s->devs[i]->dev;
	return NULL;
}

static struct iommu_device *dmabench_instance(struct device *dev)
{
	return dev->iommu ? dev->iommu->iommu_dev : NULL;
}

/* Keep the IOVA allocator off the group's reserved regions (MSI etc.). */
static int dmabench_reserve_regions(struct dmabench_iodom *d,
				    struct iommu_group *grp)
{
	struct iommu_resv_region *r, *tmp;
	LIST_HEAD(list);
	int ret;

	ret = iommu_get_group_resv_regions(grp, &list);
	list_for_each_entry_safe(r, tmp, &list, list) {
		unsigned long lo = r->start >> d->shift;
		unsigned long hi = (r->start + r->length - 1) >> d->shift;

		if (!ret && lo <= d->limit_pfn &&
		    !reserve_iova(&d->iovad, lo, hi))
			ret = -ENOMEM;
		list_del(&r->list);
		kfree(r);
	}
	return ret;
}

/*
 * A new domain for group @g (allocated for its first device), attached to
 * it.  With @iova, an IOVA allocator limited to @iova_bits and the domain's
 * aperture (known after the first attach on some drivers, e.g. SMMUv3).
 */
struct dmabench_iodom *dmabench_iodom_create(struct dmabench_ioset *s,
					     unsigned int g, u32 iova_bits,
					     bool iova, int *err)
{
	struct device *dev = dmabench_grp_dev(s, g);
	struct dmabench_iodom *d;
	struct iommu_domain *dom;
	u64 limit;
	int ret;

	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d) {
		*err = -ENOMEM;
		return NULL;
	}
	dom = dmabench_domain_alloc(dev);
	if (IS_ERR(dom)) {
		*err = PTR_ERR(dom);
		kfree(d);
		return NULL;
	}
	d->dom = dom;
	d->inst = dmabench_instance(dev);
	d->prot_cache = dev_is_dma_coherent(dev) ? IOMMU_CACHE : 0;
	ret = dmabench_iogrp_attach(s, g, d);
	if (ret)
		goto err;
	if (!iova)
		return d;

	d->shift = __ffs(dom->pgsize_bitmap);
	if (d->shift > PAGE_SHIFT) {
		dev_err(dev, "IOMMU pages of %lu bytes are above PAGE_SIZE: not supported\n",
			1UL << d->shift);
		ret = -EOPNOTSUPP;
		goto err;
	}
	limit = DMA_BIT_MASK(iova_bits ? iova_bits : DMABENCH_DEFAULT_IOVA_BITS);
	if (dom->geometry.force_aperture && dom->geometry.aperture_end &&
	    dom->geometry.aperture_end < limit)
		limit = dom->geometry.aperture_end;
	d->limit_pfn = limit >> d->shift;
	init_iova_domain(&d->iovad, 1UL << d->shift,
			 max_t(unsigned long, 1,
			       dom->geometry.aperture_start >> d->shift));
	ret = dmabench_iova_init_rcaches(&d->iovad);
	if (ret) {
		put_iova_domain(&d->iovad);
		goto err;
	}
	d->iovad_ready = true;
	ret = dmabench_reserve_regions(d, s->grps[g].group);
	if (ret)
		goto err;
	return d;
err:
	dmabench_iogrp_detach(s, g);
	dmabench_iodom_destroy(s, d);
	*err = ret;
	return NULL;
}

void dmabench_iodom_destroy(struct dmabench_ioset *s, struct dmabench_iodom *d)
{
	if (d->iovad_ready)
		put_iova_domain(&d->iovad);
	iommu_domain_free(d->dom);
	kfree(d);
}

/* Attach @d to group @g (claimed) */
int dmabench_iogrp_attach(struct dmabench_ioset *s, unsigned int g,
			  struct dmabench_iodom *d)
{
	struct dmabench_iogrp *gr = &s->grps[g];
	int ret = iommu_attach_group(d->dom, gr->group);

	if (!ret)
		gr->dom = d;
	return ret;
}

/* Detach group @g from its domain: it is blocked until released. */
void dmabench_iogrp_detach(struct dmabench_ioset *s, unsigned int g)
{
	struct dmabench_iogrp *gr = &s->grps[g];

	if (gr->dom) {
		iommu_detach_group(gr->dom->dom, gr->group);
		gr->dom = NULL;
	}
}

static int dmabench_ioset_claim(struct dmabench_ioset *s, const char *what)
{
	unsigned int g;
#ifdef HAVE_IOMMU_CLAIM_DMA_OWNER
	unsigned int n;
#endif
	int ret;

	if (!s->iova_cache) {
		ret = iova_cache_get();
		if (ret)
			return ret;
		s->iova_cache = true;
	}
	for (g = 0; g < s->ngrps; g++) {
		if (s->grps[g].claimed)
			continue;
#ifndef HAVE_IOMMU_CLAIM_DMA_OWNER
		dev_err(dmabench_grp_dev(s, g), "%s: the IOMMU-API tests need %s; this kernel has the DMA-API tests only\n",
			what, DMABENCH_IOMMU_API_NEEDS);
		return -EOPNOTSUPP;
#else
		ret = dmabench_hold_group(s->grps[g].group, s->devs, s->ndevs,
					  s->held + s->nheld,
					  DMABENCH_MAX_DEVICES - s->nheld, &n);
		if (ret)
			return ret;
		s->nheld += n;
		ret = iommu_group_claim_dma_owner(s->grps[g].group, s);
		if (ret) {
			dev_err(dmabench_grp_dev(s, g), "%s: cannot take IOMMU group %d from the DMA API (%pe): unbind the other devices of the group from their drivers\n",
				what, iommu_group_id(s->grps[g].group),
				ERR_PTR(ret));
			return ret == -EPERM ? -EBUSY : ret;
		}
		s->grps[g].claimed = true;
#endif
	}
	return 0;
}

/* Count the distinct IOMMU instances of the set's devices. */
static unsigned int dmabench_count_instances(struct dmabench_ioset *s)
{
	unsigned int i, j, n = 0;

	for (i = 0; i < s->ndevs; i++) {
		struct iommu_device *inst = dmabench_instance(s->devs[i]->dev);

		for (j = 0; j < i; j++)
			if (dmabench_instance(s->devs[j]->dev) == inst)
				break;
		if (j == i)
			n++;
	}
	return n;
}

/*
 * Claim the groups and put them into domains: one per group (per-device)
 * or one per IOMMU instance, each with an IOVA allocator.
 */
int dmabench_ioset_build(struct dmabench_ioset *s, u32 scope, u32 iova_bits,
			 const char *what)
{
	unsigned int g, h;
	int ret;

	ret = dmabench_ioset_claim(s, what);
	if (ret)
		return ret;
	s->ninst = dmabench_count_instances(s);
	for (g = 0; g < s->ngrps; g++) {
		struct device *dev = dmabench_grp_dev(s, g);
		struct dmabench_iodom *d = NULL;

		if (scope == DMABENCH_SCOPE_INSTANCE) {
			for (h = 0; h < s->ndoms; h++)
				if (s->doms[h]->inst == dmabench_instance(dev))
					d = s->doms[h];
		}
		if (d) {
			ret = dmabench_iogrp_attach(s, g, d);
			if (!ret)
				ret = dmabench_reserve_regions(d,
							       s->grps[g].group);
		} else {
			d = dmabench_iodom_create(s, g, iova_bits, true, &ret);
			if (d)
				s->doms[s->ndoms++] = d;
		}
		if (ret) {
			dev_err(dev, "%s: cannot put the device into a new unmanaged domain (%pe)\n",
				what, ERR_PTR(ret));
			return ret;
		}
	}
	return 0;
}

/*
 * Undo everything: detach (the groups go to the blocking domain), release
 * the groups (back to their default domains), free the domains, release
 * the devices.  *gone is set if one was unbound meanwhile.
 */
void dmabench_ioset_put(struct dmabench_ioset *s, bool *gone)
{
	unsigned int g;

	if (s->hung) {
		/* an edu transfer may still run: keep groups and domains */
		dmabench_ioset_release(s, gone);
		return;
	}
	for (g = 0; g < s->ngrps; g++) {
		struct dmabench_iogrp *gr = &s->grps[g];

		dmabench_iogrp_detach(s, g);
#ifdef HAVE_IOMMU_CLAIM_DMA_OWNER
		if (gr->claimed)
			iommu_group_release_dma_owner(gr->group);
#endif
		gr->claimed = false;
		iommu_group_put(gr->group);
	}
	s->ngrps = 0;
	while (s->ndoms)
		dmabench_iodom_destroy(s, s->doms[--s->ndoms]);
	if (s->iova_cache)
		iova_cache_put();
	s->iova_cache = false;
	dmabench_ioset_release(s, gone);
}

/* ---- DMABENCH_IOC_EXHAUST ---- */

/* Stop early: a fatal signal, or remove() waits for one of the devices. */
static bool exhaust_stop(struct dmabench_ioset *s)
{
	return fatal_signal_pending(current) || dmabench_ioset_stopping(s);
}

/* remove() waits for one of the devices */
bool dmabench_ioset_stopping(struct dmabench_ioset *s)
{
	unsigned int i;

	for (i = 0; i < s->ndevs; i++)
		if (READ_ONCE(s->devs[i]->stop))
			return true;
	for (i = 0; i < s->nheld; i++)
		if (READ_ONCE(s->held[i]->stop))
			return true;
	return false;
}

static void exhaust_cost(struct dmabench_exhaust *e, u64 __user *costs,
			 u64 ns, bool *fault)
{
	if (!e->count || ns < e->cost_min_ns)
		e->cost_min_ns = ns;
	if (ns > e->cost_max_ns)
		e->cost_max_ns = ns;
	e->cost_sum_ns += ns;
	if (costs && e->count < e->costs_len && !*fault &&
	    put_user(ns, costs + e->count))
		*fault = true;
	e->count++;
}

/*
 * One more domain or mapping was made, in @ns: account it and tell whether
 * to go on (false: a fatal signal, or the device is being unbound).  The
 * caller counts it for its cleanup either way.
 */
static bool exhaust_next(struct dmabench_exhaust *e, struct dmabench_ioset *s,
			 u64 __user *costs, u64 ns, bool *fault)
{
	exhaust_cost(e, costs, ns, fault);
	if (exhaust_stop(s))
		return false;
	cond_resched();
	return true;
}

/*
 * Allocate + attach one new domain after another, round robin over the
 * devices; a device's previous domain is detached but stays allocated
 * (with whatever hardware context it holds) until the end.
 */
static int exhaust_domains(struct dmabench_exhaust *e, struct dmabench_ioset *s)
{
	u64 __user *costs = u64_to_user_ptr(e->costs_ptr);
	struct dmabench_iodom **all;
	bool fault = false, stopped = false;
	u64 i, t0, t1;
	unsigned long avail0;
	u64 memcap;
	int ret;

	ret = dmabench_ioset_claim(s, "exhaust");
	if (ret)
		return ret;
	s->ninst = dmabench_count_instances(s);
	avail0 = si_mem_available();
	memcap = ((u64)avail0 << PAGE_SHIFT) / 2 / EXHAUST_DOMAIN_COST;
	all = kvcalloc(min(e->max_count, memcap + 1), sizeof(*all),
		       GFP_KERNEL | __GFP_NOWARN);
	if (!all)
		return -ENOMEM;
	for (i = 0; i < e->max_count; i++) {
		unsigned int g = s->dev_grp[i % s->ndevs];

		if (e->max_contexts && i >= e->max_contexts) {
			e->error = -ENOSPC;
			e->result |= DMABENCH_EXHAUST_REFUSED |
				     DMABENCH_EXHAUST_MODELLED;
			break;
		}
		if (i >= memcap ||
		    (!(i & 255) && si_mem_available() < avail0 / 2)) {
			e->result |= DMABENCH_EXHAUST_MEMCAP;
			pr_info("exhaust: stopped at %llu domains, half the memory available at the start: the IOMMU driver refused none (VT-d frees a domain ID on detach), so that is all it can tell\n",
				i);
			break;
		}
		dmabench_iogrp_detach(s, g);
		t0 = ktime_get_ns();
		all[i] = dmabench_iodom_create(s, g, 0, false, &ret);
		t1 = ktime_get_ns();
		if (!all[i]) {
			e->error = ret;
			e->result |= DMABENCH_EXHAUST_REFUSED;
			pr_info("exhaust: domain %llu refused on %s: %pe\n", i,
				dev_name(dmabench_grp_dev(s, g)), ERR_PTR(ret));
			break;
		}
		if (!exhaust_next(e, s, costs, t1 - t0, &fault)) {
			stopped = true;
			i++;		/* all[i] is made: free it below */
			break;
		}
	}
	if (!stopped && i == e->max_count)
		e->result |= DMABENCH_EXHAUST_LIMIT;
	if (e->result & DMABENCH_EXHAUST_MODELLED)
		pr_info("exhaust: %llu domains; refusing more is MODELLED (max_contexts %u), not the hardware\n",
			e->count, e->max_contexts);
	while (i--) {
		if (!(i & 255))
			cond_resched();
		if (!all[i])
			continue;
		if (s->grps[s->dev_grp[i % s->ndevs]].dom == all[i])
			dmabench_iogrp_detach(s, s->dev_grp[i % s->ndevs]);
		dmabench_iodom_destroy(s, all[i]);
	}
	kvfree(all);
	if (fault) {
		pr_err_ratelimited("exhaust: costs_ptr 0x%llx is not writable for %u entries\n",
				   e->costs_ptr, e->costs_len);
		return -EFAULT;
	}
	return 0;
}

/* dma_map_page() until it fails; then unmap all. */
static int exhaust_iova_dma(struct dmabench_exhaust *e,
			    struct dmabench_ioset *s, struct page *page)
{
	struct dmabench_dev *bd = s->devs[0];
	u64 __user *costs = u64_to_user_ptr(e->costs_ptr);
	struct device *dev = bd->dev;
	u64 mask = *dev->dma_mask, cmask = dev->coherent_dma_mask;
	struct iommu_domain *dom = iommu_get_domain_for_dev(dev);
	bool fault = false, stopped = false;
	dma_addr_t *addr;
	u64 i, t0, t1;
	int ret = 0;

	if (!dom || !(dom->type & __IOMMU_DOMAIN_DMA_API)) {
		dev_err(dev, "exhaust: the device is not in an IOMMU DMA domain (see the devices file): pick a device behind an IOMMU\n");
		return -EOPNOTSUPP;
	}
	if (e->mask_bits && dma_set_mask_and_coherent(dev,
						      DMA_BIT_MASK(e->mask_bits))) {
		dev_err(dev, "exhaust: the device refuses a %u-bit DMA mask: use more bits\n",
			e->mask_bits);
		ret = -EIO;
		goto out;
	}
	addr = kvcalloc(e->max_count, sizeof(*addr), GFP_KERNEL);
	if (!addr) {
		ret = -ENOMEM;
		goto out;
	}
	for (i = 0; i < e->max_count; i++) {
		t0 = ktime_get_ns();
		addr[i] = dma_map_page(dev, page, 0, e->size,
				       DMA_BIDIRECTIONAL);
		t1 = ktime_get_ns();
		if (dma_mapping_error(dev, addr[i])) {
			e->error = -ENOMEM;
			e->result |= DMABENCH_EXHAUST_REFUSED;
			break;
		}
		if (!exhaust_next(e, s, costs, t1 - t0, &fault)) {
			stopped = true;
			break;
		}
	}
	if (!stopped && i == e->max_count)
		e->result |= DMABENCH_EXHAUST_LIMIT;
	e->bytes = e->count * e->size;
	for (i = 0; i < e->count; i++) {
		dma_unmap_page(dev, addr[i], e->size, DMA_BIDIRECTIONAL);
		if (!(i & 255))
			cond_resched();
	}
	kvfree(addr);
	/*
	 * A lazy (DMA-FQ) domain hands IOVAs back from its flush queue after
	 * a 10 ms timer: wait for that, so a second call finds them free.
	 */
#ifdef HAVE_IOMMU_DOMAIN_DMA_FQ
	if (dom->type == IOMMU_DOMAIN_DMA_FQ)
		msleep(100);
#endif
	if (fault)
		ret = -EFAULT;
out:
	dmabench_restore_masks(dev, mask, cmask);
	return ret;
}

/* alloc_iova_fast + iommu_map into a new domain until it fails. */
static int exhaust_iova_iommu(struct dmabench_exhaust *e,
			      struct dmabench_ioset *s, struct page *page)
{
	u64 __user *costs = u64_to_user_ptr(e->costs_ptr);
	struct iommu_iotlb_gather gather;
	struct dmabench_iodom *d;
	unsigned long *pfn, npfn;
	bool fault = false, stopped = false;
	u64 i, t0, t1;
	size_t len;
	int ret;

	ret = dmabench_ioset_claim(s, "exhaust");
	if (ret)
		return ret;
	d = dmabench_iodom_create(s, 0, e->mask_bits ? e->mask_bits : 32,
				  true, &ret);
	if (!d) {
		dev_err(dmabench_grp_dev(s, 0), "exhaust: cannot put the device into a new unmanaged domain (%pe)\n",
			ERR_PTR(ret));
		return ret;
	}
	s->doms[s->ndoms++] = d;
	len = ALIGN(e->size, 1UL << d->shift);
	npfn = len >> d->shift;
	pfn = kvcalloc(e->max_count, sizeof(*pfn), GFP_KERNEL);
	if (!pfn)
		return -ENOMEM;
	for (i = 0; i < e->max_count; i++) {
		t0 = ktime_get_ns();
		pfn[i] = alloc_iova_fast(&d->iovad, npfn, d->limit_pfn, true);
		if (!pfn[i]) {
			e->error = -ENOSPC;
			e->result |= DMABENCH_EXHAUST_REFUSED;
			break;
		}
		ret = dmabench_iommu_map(d->dom, pfn[i] << d->shift,
					 page_to_phys(page), len,
					 IOMMU_READ | IOMMU_WRITE |
					 d->prot_cache);
		t1 = ktime_get_ns();
		if (ret) {
			free_iova_fast(&d->iovad, pfn[i], npfn);
			e->error = ret;
			e->result |= DMABENCH_EXHAUST_REFUSED;
			ret = 0;
			break;
		}
		if (!exhaust_next(e, s, costs, t1 - t0, &fault)) {
			stopped = true;
			break;
		}
	}
	if (!stopped && i == e->max_count)
		e->result |= DMABENCH_EXHAUST_LIMIT;
	e->bytes = e->count * e->size;
	/* unmap all, one invalidation, then give the IOVAs back */
	iommu_iotlb_gather_init(&gather);
	for (i = 0; i < e->count; i++) {
		iommu_unmap_fast(d->dom, pfn[i] << d->shift, len, &gather);
		if (!(i & 255))
			cond_resched();
	}
	if (e->count)
		iommu_iotlb_sync(d->dom, &gather);
	for (i = 0; i < e->count; i++) {
		free_iova_fast(&d->iovad, pfn[i], npfn);
		if (!(i & 255))
			cond_resched();
	}
	kvfree(pfn);
	return fault ? -EFAULT : 0;
}

static int exhaust_check(struct dmabench_exhaust *e)
{
	if (e->flags || memchr_inv(e->reserved_in, 0, sizeof(e->reserved_in))) {
		pr_err_ratelimited("exhaust: flags and reserved_in must be 0: clear the structure first\n");
		return -EINVAL;
	}
	if (dmabench_check_name(e->device, sizeof(e->device), "exhaust: device"))
		return -EINVAL;
	if (e->what > DMABENCH_EXHAUST_IOVA_IOMMU) {
		pr_err_ratelimited("exhaust: unknown what %u: use 0 domains, 1 iova (DMA API), 2 iova (IOMMU API)\n",
				   e->what);
		return -EINVAL;
	}
	if (e->size > EXHAUST_MAX_BUF) {
		pr_err_ratelimited("exhaust: size %llu is above 4 MiB: use a smaller size\n",
				   e->size);
		return -EINVAL;
	}
	if (e->mask_bits && (e->mask_bits < 12 || e->mask_bits > 64)) {
		pr_err_ratelimited("exhaust: mask_bits %u out of range: use 0 or 12 .. 64\n",
				   e->mask_bits);
		return -EINVAL;
	}
	if (e->max_count > DMABENCH_EXHAUST_MAX_COUNT) {
		pr_err_ratelimited("exhaust: max_count %llu is above %llu: use a smaller limit\n",
				   e->max_count, DMABENCH_EXHAUST_MAX_COUNT);
		return -EINVAL;
	}
	if (e->costs_len && !e->costs_ptr) {
		pr_err_ratelimited("exhaust: costs_len %u without costs_ptr: set both or neither\n",
				   e->costs_len);
		return -EINVAL;
	}
	/* before the exhaust, not after half its costs went out */
	if (e->costs_len &&
	    dmabench_check_user_buf(e->costs_ptr,
				    (u64)e->costs_len * sizeof(u64))) {
		pr_err_ratelimited("exhaust: costs_ptr 0x%llx is not a writable buffer of %u entries\n",
				   e->costs_ptr, e->costs_len);
		return -EFAULT;
	}
	if (e->what != DMABENCH_EXHAUST_DOMAINS &&
	    (e->ndevices || e->devices_ptr ||
	     !strcmp(e->device, DMABENCH_ALL_DEVICES))) {
		pr_err_ratelimited("exhaust: iova works on one device: name it in device, leave ndevices and devices_ptr 0\n");
		return -EINVAL;
	}
	if (!e->size)
		e->size = PAGE_SIZE;
	if (!e->max_count)
		e->max_count = e->what == DMABENCH_EXHAUST_DOMAINS ?
			       EXHAUST_DEFAULT_DOMAINS :
			       DMABENCH_EXHAUST_MAX_COUNT;
	return 0;
}

long dmabench_ioc_exhaust(union dmabench_ioc_arg *arg)
{
	struct dmabench_exhaust *e = &arg->exhaust;
	struct page *page = NULL;
	struct dmabench_ioset *s;
	int ret;

	s = kzalloc(sizeof(*s), GFP_KERNEL);
	ret = s ? exhaust_check(e) : -ENOMEM;
	if (ret)
		goto out_free;
	ret = dmabench_ioset_get(s, e->device, e->devices_ptr,
				 e->what == DMABENCH_EXHAUST_DOMAINS ?
				 e->ndevices : 0, "exhaust");
	if (ret)
		goto out_free;
	e->ndevs_used = s->ndevs;
	if (e->what != DMABENCH_EXHAUST_DOMAINS) {
		page = alloc_pages(GFP_KERNEL | __GFP_NOWARN,
				   get_order(e->size));
		if (!page) {
			ret = -ENOMEM;
			goto out_put;
		}
	}
	switch (e->what) {
	case DMABENCH_EXHAUST_DOMAINS:
		ret = exhaust_domains(e, s);
		break;
	case DMABENCH_EXHAUST_IOVA_DMA:
		ret = exhaust_iova_dma(e, s, page);
		break;
	default:
		ret = exhaust_iova_iommu(e, s, page);
		break;
	}
	e->ninstances = dmabench_count_instances(s);
out_put:
	dmabench_ioset_put(s, NULL);
	if (page)
		__free_pages(page, get_order(e->size));
out_free:
	kfree(s);
	return ret;
}
