// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * dmabench list: the devices dmabench.ko drives (its devices file) and the
 * devices it could be bound to (non-bridge PCI devices, platform devices in
 * an IOMMU group), with what decides their DMA path: IOMMU group, default
 * domain type, DMA ops, coherency and DMA mask.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <dirent.h>
#include <stdint.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "builtin.h"
#include "util/cli.h"
#include "util/ctl.h"
#include "util/parse-options.h"
#include "util/parse.h"
#include "util/sysfs.h"

struct list_entry {
	char name[DMABENCH_NAME_LEN];
	char bus[16];
	char driver[32];
	char group[16];
	char domain[16];
	char dma_ops[16];
	char coherent[8];
	char mask[8];
};

struct list_table {
	struct list_entry *v;
	size_t n, cap;
};

static const char list_usage[] =
	"usage: dmabench list\n\n"
	"Show every device dmabench.ko drives and every device it could be\n"
	"bound to (PCI devices that are not bridges, platform devices in an\n"
	"IOMMU group).  Columns: name, current driver, IOMMU group, default\n"
	"domain type, DMA ops (direct/iommu), coherent, DMA mask bits.\n"
	"Without the module loaded only the sysfs part is shown.\n";

static struct list_entry *table_add(struct list_table *t, const char *name,
				    const char *bus)
{
	struct list_entry *e;

	for (size_t i = 0; i < t->n; i++)
		if (!strcmp(t->v[i].name, name))
			return &t->v[i];
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 32;
		struct list_entry *v = realloc(t->v, cap * sizeof(*v));

		if (!v)
			return NULL;
		t->v = v;
		t->cap = cap;
	}
	e = &t->v[t->n++];
	memset(e, 0, sizeof(*e));
	str_copy(e->name, sizeof(e->name), name);
	str_copy(e->bus, sizeof(e->bus), bus);
	return e;
}

/* Class 0x06xxxx is a bridge: never something to benchmark. */
static int pci_is_bridge(const char *dev)
{
	char cls[32];

	if (sysfile_read(cls, sizeof(cls), "/sys/bus/pci/devices/%s/class", dev))
		return 0;
	return (strtoul(cls, NULL, 16) >> 16) == 0x06;
}

static int scan_bus(struct list_table *t, const char *bus,
		    const struct ctl_device *devs, int ndevs)
{
	struct dirent *de;
	DIR *d = sysfile_opendir("/sys/bus/%s/devices", bus);

	if (!d)
		return 0;	/* no such bus on this machine */
	while ((de = readdir(d))) {
		const char *name = de->d_name;

		if (name[0] == '.')
			continue;
		if (!ctl_find_device(devs, ndevs, name)) {
			if (!strcmp(bus, "pci") && pci_is_bridge(name))
				continue;
			if (!strcmp(bus, "platform") &&
			    !sysfile_exists("/sys/bus/platform/devices/%s/iommu_group",
					  name))
				continue;
		}
		if (!table_add(t, name, bus)) {
			closedir(d);
			return -1;
		}
	}
	closedir(d);
	return 0;
}

static int is_x86(void)
{
	struct utsname u;

	return uname(&u) == 0 &&
	       (!strcmp(u.machine, "x86_64") ||
		(u.machine[0] == 'i' && !strcmp(u.machine + 2, "86")));
}

static void fill_entry(struct list_entry *e, const struct ctl_device *mod)
{
	const char *bus = e->bus;

	if (sysfile_link_name(e->driver, sizeof(e->driver),
			    "/sys/bus/%s/devices/%s/driver", bus, e->name))
		snprintf(e->driver, sizeof(e->driver), "-");
	if (sysfile_link_name(e->group, sizeof(e->group),
			    "/sys/bus/%s/devices/%s/iommu_group", bus, e->name))
		snprintf(e->group, sizeof(e->group), "-");
	if (strcmp(e->group, "-") == 0 ||
	    sysfile_read(e->domain, sizeof(e->domain),
		       "/sys/kernel/iommu_groups/%s/type", e->group))
		str_copy(e->domain, sizeof(e->domain),
			 mod ? mod->domain :
			 strcmp(e->group, "-") ? "?" : "none");
	if (mod) {
		str_copy(e->dma_ops, sizeof(e->dma_ops), mod->dma_ops);
		str_copy(e->coherent, sizeof(e->coherent), mod->coherent);
		snprintf(e->mask, sizeof(e->mask), "%u", mod->mask_bits);
		return;
	}
	/* Not ours: infer the DMA path from the default domain type. */
	if (!strcmp(e->domain, "DMA") || !strcmp(e->domain, "DMA-FQ"))
		snprintf(e->dma_ops, sizeof(e->dma_ops), "iommu");
	else if (!strcmp(e->domain, "identity") || !strcmp(e->domain, "none"))
		snprintf(e->dma_ops, sizeof(e->dma_ops), "direct");
	else
		snprintf(e->dma_ops, sizeof(e->dma_ops), "?");
	str_copy(e->coherent, sizeof(e->coherent), is_x86() ? "yes" : "?");
	snprintf(e->mask, sizeof(e->mask), "?");
}

static int entry_cmp(const void *a, const void *b)
{
	const struct list_entry *x = a, *y = b;
	int r = strcmp(x->bus, y->bus);

	return r ? r : strcmp(x->name, y->name);
}

static size_t column_width(const struct list_table *t, size_t off,
			   size_t min, size_t max)
{
	size_t w = min;

	for (size_t i = 0; i < t->n; i++) {
		size_t l = strlen((const char *)&t->v[i] + off);

		if (l > w)
			w = l;
	}
	return w > max ? max : w;
}

int cmd_list(int argc, char **argv)
{
	static const struct parse_opt opts[] = { OPT_END() };
	struct parse_ctx ctx = { .cmd = "list", .usage = list_usage };
	struct ctl_device *devs = NULL;
	struct list_table t = { 0 };
	char why[256] = "";
	size_t namew, drvw;
	int ndevs, ret;

	ret = parse_options(&ctx, argc, argv, opts, NULL);
	if (ret)
		return ret < 0 ? EXIT_OK : ret;

	ndevs = ctl_read_devices(&devs);
	if (ndevs < 0) {
		ctl_unreachable_reason(-ndevs, why, sizeof(why));
		ndevs = 0;
	}
	if (scan_bus(&t, "pci", devs, ndevs) ||
	    scan_bus(&t, "platform", devs, ndevs)) {
		ret = fail("out of memory");
		goto out;
	}
	/* devices the module reports but sysfs does not show (unlikely) */
	for (int i = 0; i < ndevs; i++)
		if (!table_add(&t, devs[i].name, devs[i].bus)) {
			ret = fail("out of memory");
			goto out;
		}
	for (size_t i = 0; i < t.n; i++)
		fill_entry(&t.v[i], ctl_find_device(devs, ndevs, t.v[i].name));
	if (t.n)
		qsort(t.v, t.n, sizeof(*t.v), entry_cmp);

	/* fixed columns take 38; keep the whole line within 79 */
	drvw = column_width(&t, offsetof(struct list_entry, driver), 6, 16);
	namew = column_width(&t, offsetof(struct list_entry, name), 6,
			     79 - 38 - drvw);
	printf("%-*s %-*s %5s %-9s %-7s %-8s %4s\n", (int)namew, "DEVICE",
	       (int)drvw, "DRIVER", "GROUP", "DOMAIN", "DMA-OPS", "COHERENT",
	       "MASK");
	for (size_t i = 0; i < t.n; i++) {
		const struct list_entry *e = &t.v[i];

		printf("%-*s %-*s %5s %-9s %-7s %-8s %4s\n", (int)namew,
		       e->name, (int)drvw, e->driver, e->group, e->domain,
		       e->dma_ops, e->coherent, e->mask);
	}
	if (why[0])
		fprintf(stderr, "note: %s; showing sysfs only\n", why);
out:
	free(t.v);
	free(devs);
	return ret;
}
