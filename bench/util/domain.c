// SPDX-License-Identifier: GPL-2.0 OR MIT
/* --domain: switch an IOMMU group's default domain type and restore it. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "util/domain.h"
#include "util/parse-options.h"
#include "util/parse.h"
#include "util/sysfs.h"

#define GROUPS "/sys/kernel/iommu_groups"

const struct opt_name domain_names[] = {
	{ "current", DOMAIN_CURRENT, 0 },
	{ "identity", DOMAIN_IDENTITY, 0 },
	{ "dma", DOMAIN_DMA, 0 },
	{ "dma-fq", DOMAIN_DMA_FQ, 0 },
	{ "dma_fq", DOMAIN_DMA_FQ, 1 },	/* the kernel's spellings: any case */
	{ NULL, 0, 0 },
};
static const char *const sysfs_names[DOMAIN_NWANT] = {
	NULL, "identity", "DMA", "DMA-FQ",
};

const char *domain_want_name(unsigned d)
{
	return opt_name_of(domain_names, d);
}

const char *domain_sysfs_name(unsigned d)
{
	return d < DOMAIN_NWANT ? sysfs_names[d] : NULL;
}

int domain_parse_list(const char *arg, uint32_t **v, size_t *n, char *why,
		      size_t len)
{
	*v = NULL;
	return opt_enum_list(domain_names, arg, v, n, why, len);
}

/* The device's driver, "" when none. */
static void cur_driver(const struct domain_state *st, char *buf, size_t len)
{
	if (sysfile_link_name(buf, len, "/sys/bus/%s/devices/%s/driver",
			      st->bus, st->device))
		buf[0] = '\0';
}

static int count_group_devices(const char *group, char *names, size_t len)
{
	DIR *d = sysfile_opendir(GROUPS "/%s/devices", group);
	struct dirent *e;
	int n = 0;

	names[0] = '\0';
	if (!d)
		return -1;
	while ((e = readdir(d))) {
		size_t l = strlen(names);

		if (e->d_name[0] == '.')
			continue;
		if (n < 4 && l + strlen(e->d_name) + 3 < len)
			snprintf(names + l, len - l, "%s%s", n ? ", " : "",
				 e->d_name);
		n++;
	}
	closedir(d);
	return n;
}

int domain_open(struct domain_state *st, const char *device, char *why,
		size_t len)
{
	char names[160], path[SYSFS_PATH_MAX];
	struct stat sb;
	int n;

	memset(st, 0, sizeof(*st));
	if (!*device || strchr(device, '/') || !strcmp(device, ".") ||
	    !strcmp(device, "..") || strlen(device) >= sizeof(st->device)) {
		snprintf(why, len, "--domain: bad device name '%s'", device);
		return -1;
	}
	str_copy(st->device, sizeof(st->device), device);
	if (sysfile_exists("/sys/bus/pci/devices/%s", device)) {
		str_copy(st->bus, sizeof(st->bus), "pci");
	} else if (sysfile_exists("/sys/bus/platform/devices/%s", device)) {
		str_copy(st->bus, sizeof(st->bus), "platform");
	} else {
		snprintf(why, len, "--domain: no device %s in /sys/bus/pci or "
			 "/sys/bus/platform", device);
		return -1;
	}
	if (sysfile_link_name(st->group, sizeof(st->group),
			      "/sys/bus/%s/devices/%s/iommu_group", st->bus,
			      device)) {
		snprintf(why, len, "--domain: %s has no IOMMU group (%s): "
			 "there is no domain to switch; use a device behind "
			 "an IOMMU, or --domain current", device,
			 !strcmp(device, "dmabench.0") ?
			 "the module's own dma-direct device" :
			 "no IOMMU, or the IOMMU is off");
		return -1;
	}
	n = count_group_devices(st->group, names, sizeof(names));
	if (n > 1) {
		snprintf(why, len, "--domain: IOMMU group %s of %s has %d "
			 "devices (%s%s): the kernel switches the type of a "
			 "group only while none of its devices has a driver; "
			 "use a device alone in its group", st->group, device,
			 n, names, n > 4 ? ", ..." : "");
		return -1;
	}
	if (sysfile_read(st->orig_type, sizeof(st->orig_type),
			 GROUPS "/%s/type", st->group)) {
		snprintf(why, len, "--domain: this kernel has no %s/%s/type "
			 "(Linux 5.11 or later switches domain types): use "
			 "--domain current, or boot with iommu.passthrough= / "
			 "iommu.strict= instead", GROUPS, st->group);
		return -1;
	}
	if (strcmp(st->orig_type, "identity") && strcmp(st->orig_type, "DMA") &&
	    strcmp(st->orig_type, "DMA-FQ")) {
		snprintf(why, len, "--domain: IOMMU group %s of %s has a %s "
			 "default domain, not identity, DMA or DMA-FQ: it is "
			 "not switchable (in use by VFIO or an IOMMU test?)",
			 st->group, device, st->orig_type);
		return -1;
	}
	if (!sysfile_path(path, sizeof(path), GROUPS "/%s/type", st->group) &&
	    !stat(path, &sb) && !(sb.st_mode & 0222)) {
		snprintf(why, len, "--domain: " GROUPS "/%s/type is "
			 "read-only on this kernel (Linux 5.11 or later "
			 "switches domain types): use --domain current",
			 st->group);
		return -1;
	}
	cur_driver(st, st->orig_driver, sizeof(st->orig_driver));
	str_copy(st->cur_type, sizeof(st->cur_type), st->orig_type);
	return 0;
}

static void block_signals(sigset_t *old)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, old);
}

static const char *write_reason(int err)
{
	switch (err) {
	case EACCES:
		return "must run as root (CAP_SYS_ADMIN and CAP_SYS_RAWIO)";
	case EPERM:
		return "EPERM: a driver still uses the group (another device "
		       "of it bound, or the group claimed by VFIO or an IOMMU "
		       "test); unbind the group's devices";
	case EBUSY:
		return "EBUSY: the device is still bound or the group is not "
		       "in its default domain; unbind the group's devices";
	case EINVAL:
		return "EINVAL: the group has several devices, or the device "
		       "or IOMMU driver allows only one domain type (see "
		       "dmesg)";
	case ENOMEM:
		return "ENOMEM: the IOMMU driver could not allocate that "
		       "domain type (see dmesg)";
	}
	return NULL;
}

static void describe(int err, char *buf, size_t len)
{
	const char *r = write_reason(err);

	if (r)
		str_copy(buf, len, r);
	else
		snprintf(buf, len, "%s (see dmesg)", strerror(err));
}

static int drv_unbind(const struct domain_state *st, const char *drv)
{
	if (!drv[0])
		return 0;
	return sysfile_write(st->device, "/sys/bus/%s/drivers/%s/unbind",
			     st->bus, drv);
}

static int drv_bind(const struct domain_state *st, const char *drv)
{
	if (!drv[0])
		return 0;
	return sysfile_write(st->device, "/sys/bus/%s/drivers/%s/bind",
			     st->bus, drv);
}

/*
 * Unbind, write @type, bind @drv again.  0 or -errno with @why set; on a
 * refused write the device is bound again with its type unchanged.
 */
static int set_type(struct domain_state *st, const char *type,
		    const char *drv, char *why, size_t len)
{
	char bound[64], r[200];
	int err;

	cur_driver(st, bound, sizeof(bound));
	err = drv_unbind(st, bound);
	if (err) {
		snprintf(why, len, "cannot unbind %s from %s to switch its "
			 "IOMMU domain: %s", st->device, bound, strerror(-err));
		return err;
	}
	err = sysfile_write(type, GROUPS "/%s/type", st->group);
	if (err) {
		describe(-err, r, sizeof(r));
		snprintf(why, len, "the kernel refused to switch IOMMU group "
			 "%s of %s to %s: %s", st->group, st->device, type, r);
		if (drv_bind(st, bound[0] ? bound : drv))
			snprintf(why + strlen(why), len - strlen(why),
				 "; and %s did not bind to %s again: echo %s "
				 "> /sys/bus/%s/drivers/%s/bind", st->device,
				 bound[0] ? bound : drv, st->device, st->bus,
				 bound[0] ? bound : drv);
		return err;
	}
	st->changed = 1;
	err = drv_bind(st, drv);
	if (err) {
		snprintf(why, len, "%s did not bind to %s again after the "
			 "switch to %s: %s (its probe failed, see dmesg%s)",
			 st->device, drv, type, strerror(-err),
			 !strcmp(type, "identity") ? "; without translation "
			 "its DMA mask may not reach memory" : "");
		return err;
	}
	return 0;
}

int domain_switch(struct domain_state *st, unsigned d, char *why,
		  size_t len)
{
	const char *want = d == DOMAIN_CURRENT ? st->orig_type :
			   domain_sysfs_name(d);
	char was[16];
	sigset_t old;
	int err;

	if (!want || !want[0])
		return 0;
	if (sysfile_read(st->cur_type, sizeof(st->cur_type), GROUPS "/%s/type",
			 st->group))
		str_copy(st->cur_type, sizeof(st->cur_type), "?");
	if (!strcmp(st->cur_type, want))
		return 0;
	str_copy(was, sizeof(was), st->cur_type);
	block_signals(&old);
	err = set_type(st, want, st->orig_driver, why, len);
	if (err && st->changed) {
		/* written but not bound again: try the type it had */
		char ign[256];

		if (!set_type(st, was, st->orig_driver, ign, sizeof(ign)))
			snprintf(why + strlen(why), len - strlen(why),
				 "; put back to %s", was);
	}
	if (sysfile_read(st->cur_type, sizeof(st->cur_type), GROUPS "/%s/type",
			 st->group))
		str_copy(st->cur_type, sizeof(st->cur_type), "?");
	sigprocmask(SIG_SETMASK, &old, NULL);
	return err ? -1 : 0;
}

int domain_restore(struct domain_state *st, char *why, size_t len)
{
	char bound[64];
	sigset_t old;
	int err = 0;

	if (!st->changed)
		return 0;
	block_signals(&old);
	if (sysfile_read(st->cur_type, sizeof(st->cur_type), GROUPS "/%s/type",
			 st->group))
		st->cur_type[0] = '\0';
	cur_driver(st, bound, sizeof(bound));
	if (strcmp(st->cur_type, st->orig_type))
		err = set_type(st, st->orig_type, st->orig_driver, why, len);
	else if (strcmp(bound, st->orig_driver)) {
		err = drv_bind(st, st->orig_driver);
		if (err)
			snprintf(why, len, "%s did not bind to %s again: %s",
				 st->device, st->orig_driver, strerror(-err));
	}
	if (err) {
		size_t l = strlen(why);

		snprintf(why + l, len - l, "; restore by hand: unbind %s, "
			 "echo %s > " GROUPS "/%s/type, echo %s > "
			 "/sys/bus/%s/drivers/%s/bind", st->device,
			 st->orig_type, st->group, st->device, st->bus,
			 st->orig_driver[0] ? st->orig_driver : "DRIVER");
	} else {
		st->changed = 0;
		str_copy(st->cur_type, sizeof(st->cur_type), st->orig_type);
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	return err ? -1 : 0;
}

/*
 * The kernel makes a new default domain only when the type changes (the
 * same type written again is a no-op), and DMA -> DMA-FQ converts the
 * domain in place: so DMA goes through DMA-FQ and back (the way back
 * allocates), DMA-FQ through DMA (new) and back (in place on the new one).
 * identity is the detour when the IOMMU driver has no flush queue.
 */
int domain_recreate(struct domain_state *st, char *why, size_t len)
{
	const char *via[2] = { NULL, "identity" };
	char bound[64], r[200];
	const char *was = st->orig_type;
	sigset_t old;
	int err;

	if (!strcmp(was, "DMA"))
		via[0] = "DMA-FQ";
	else if (!strcmp(was, "DMA-FQ"))
		via[0] = "DMA";
	else
		return 0;	/* identity: no IOVA allocator to renew */
	block_signals(&old);
	cur_driver(st, bound, sizeof(bound));
	err = drv_unbind(st, bound);
	if (err) {
		snprintf(why, len, "cannot unbind %s from %s to renew its DMA "
			 "domain: %s", st->device, bound, strerror(-err));
		goto out;
	}
	for (unsigned i = 0; i < 2; i++) {
		err = sysfile_write(via[i], GROUPS "/%s/type", st->group);
		if (!err)
			break;
	}
	if (!err)
		err = sysfile_write(was, GROUPS "/%s/type", st->group);
	if (err) {
		describe(-err, r, sizeof(r));
		snprintf(why, len, "the kernel refused to renew the %s domain "
			 "of IOMMU group %s (%s): %s", was, st->group,
			 st->device, r);
	}
	if (sysfile_read(st->cur_type, sizeof(st->cur_type), GROUPS "/%s/type",
			 st->group))
		str_copy(st->cur_type, sizeof(st->cur_type), "?");
	if (strcmp(st->cur_type, was) && !err) {
		snprintf(why, len, "IOMMU group %s of %s shows %s after its "
			 "%s domain was renewed", st->group, st->device,
			 st->cur_type, was);
		err = -EIO;
	}
	if (drv_bind(st, bound)) {
		size_t l = strlen(why);

		if (!err)
			l = 0;
		snprintf(why + l, len - l, "%s%s did not bind to %s again: "
			 "echo %s > /sys/bus/%s/drivers/%s/bind", err ? "; " :
			 "", st->device, bound, st->device, st->bus, bound);
		err = -EIO;
	}
out:
	sigprocmask(SIG_SETMASK, &old, NULL);
	return err ? -1 : 0;
}

int domain_renew(const char *device, char *why, size_t len)
{
	struct domain_state st;

	if (domain_open(&st, device, why, len))
		return -1;
	return domain_recreate(&st, why, len);
}
