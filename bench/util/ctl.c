// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The debugfs control interface of dmabench.ko and its error messages. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "dmabench_fields.h"
#include "util/ctl.h"
#include "util/parse.h"
#include "util/sysfs.h"

int ctl_parse_devices(const char *text, struct ctl_device **devs)
{
	struct ctl_device *v = NULL, *nv, d;
	int n = 0, cap = 0;
	const char *line = text;

	*devs = NULL;
	while (*line) {
		size_t len = strcspn(line, "\n");
		char buf[512], edu[8], running[8];

		if (len < sizeof(buf)) {
			memcpy(buf, line, len);
			buf[len] = '\0';
			memset(&d, 0, sizeof(d));
			if (sscanf(buf, "%63s %15s %15s %15s %7s %u %7s %7s",
				   d.name, d.bus, d.dma_ops, d.domain,
				   d.coherent, &d.mask_bits, edu,
				   running) == 8) {
				d.edu = !strcmp(edu, "yes");
				d.running = !strcmp(running, "yes");
				if (n == cap) {
					cap = cap ? cap * 2 : 8;
					nv = realloc(v, (size_t)cap * sizeof(*v));
					if (!nv) {
						free(v);
						return -ENOMEM;
					}
					v = nv;
				}
				v[n++] = d;
			}
		}
		line += len;
		if (*line)
			line++;
	}
	*devs = v;
	return n;
}

int ctl_read_devices(struct ctl_device **devs)
{
	char *text = sysfile_read_all(NULL, CTL_DEVICES);
	int n;

	*devs = NULL;
	if (!text)
		return -errno;
	n = ctl_parse_devices(text, devs);
	free(text);
	return n;
}

const struct ctl_device *ctl_find_device(const struct ctl_device *devs,
					 int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(devs[i].name, name))
			return &devs[i];
	return NULL;
}

/*
 * The tests this dmabench knows and the fields they take (the list the
 * module is built from, include/dmabench_tests.h): only used when the
 * module cannot say (no tests file: nothing can run, but `sweep --dry-run`
 * and the usage checks still need to know), or a line lacks fields= (a
 * module older than fields=; it refuses what it does not take).  A module
 * with fields= is always believed, and a test missing here works when the
 * module lists it.
 */
static const struct ctl_test fallback_tests[] = {
#define DMABENCH_TEST(name, fields, ...) { #name, fields, true },
#include "dmabench_tests.h"
#undef DMABENCH_TEST
};
#define NFALLBACK	(sizeof(fallback_tests) / sizeof(fallback_tests[0]))

/* One line: "name phase... [fields=0xHEX] [other=attr]". */
static void parse_test_line(char *line, struct ctl_test *t)
{
	char *save = NULL, *w;

	memset(t, 0, sizeof(*t));
	w = strtok_r(line, " \t", &save);
	str_copy(t->name, sizeof(t->name), w);
	while ((w = strtok_r(NULL, " \t", &save))) {
		char *end;
		unsigned long v;

		if (strncmp(w, "fields=", 7))
			continue;	/* a phase, or an attribute we skip */
		v = strtoul(w + 7, &end, 16);
		if (end != w + 7 && !*end && v <= UINT32_MAX) {
			t->fields = (uint32_t)v;
			t->has_fields = true;
		}
	}
}

int ctl_parse_tests(const char *text, struct ctl_tests *t)
{
	char *copy = strdup(text), *line, *save = NULL;
	size_t cap = 1;

	memset(t, 0, sizeof(*t));
	for (const char *p = text; *p; p++)
		cap += *p == '\n';
	t->v = calloc(cap, sizeof(*t->v));
	if (!copy || !t->v) {
		free(copy);
		ctl_tests_free(t);
		return -ENOMEM;
	}
	t->from_module = true;
	for (line = strtok_r(copy, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		if (line[strspn(line, " \t")])
			parse_test_line(line + strspn(line, " \t"),
					&t->v[t->n++]);
	free(copy);
	return 0;
}

int ctl_read_tests(struct ctl_tests *t)
{
	char *text = sysfile_read_all(NULL, CTL_TESTS);
	int r;

	if (text) {
		r = ctl_parse_tests(text, t);
		free(text);
		return r;
	}
	memset(t, 0, sizeof(*t));
	t->v = malloc(sizeof(fallback_tests));
	if (!t->v)
		return -ENOMEM;
	memcpy(t->v, fallback_tests, sizeof(fallback_tests));
	t->n = NFALLBACK;
	return 0;
}

void ctl_tests_free(struct ctl_tests *t)
{
	free(t->v);
	memset(t, 0, sizeof(*t));
}

static const struct ctl_test *find_in(const struct ctl_test *v, size_t n,
				      const char *test)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i].name, test))
			return &v[i];
	return NULL;
}

const struct ctl_test *ctl_find_test(const struct ctl_tests *t,
				     const char *test)
{
	return find_in(t->v, t->n, test);
}

const struct ctl_test *ctl_fallback_test(const char *test)
{
	return find_in(fallback_tests, NFALLBACK, test);
}

/* include/dmabench_needs.h: the Linux version a test's API came with */
static const struct ctl_need {
	const char *test;
	const char *version;
	const char *api;
} ctl_needs[] = {
#define DMABENCH_NEEDS(name, version, api) { #name, version, api },
#include "dmabench_needs.h"
#undef DMABENCH_NEEDS
};

const char *ctl_lacks_note(const char *test, char *buf, size_t len)
{
	struct utsname u;

	for (size_t i = 0; i < sizeof(ctl_needs) / sizeof(ctl_needs[0]); i++)
		if (!strcmp(ctl_needs[i].test, test)) {
			snprintf(buf, len, ": it needs Linux %s (%s), this "
				 "kernel (%s) lacks it", ctl_needs[i].version,
				 ctl_needs[i].api,
				 uname(&u) ? "?" : u.release);
			return buf;
		}
	snprintf(buf, len, "%s", ctl_fallback_test(test) ?
		 ": this kernel lacks the API" : "");
	return buf;
}

uint32_t ctl_test_fields(const struct ctl_tests *t, const char *test)
{
	const struct ctl_test *c = ctl_find_test(t, test);

	if (c && c->has_fields)
		return c->fields;
	c = ctl_fallback_test(test);
	if (c)
		return c->fields;
	return DMABENCH_FIELDS_ALL & ~DMABENCH_FIELD_IOMMU;
}

static const char *join_names(const struct ctl_tests *t, uint32_t field,
			      bool none, bool all, char *buf, size_t len)
{
	size_t total = 0, k = 0, l = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < t->n; i++) {
		bool has = ctl_test_fields(t, t->v[i].name) & field;

		total += all || has != none;
	}
	for (size_t i = 0; i < t->n && l < len; i++) {
		bool has = ctl_test_fields(t, t->v[i].name) & field;

		if (!all && has == none)
			continue;
		k++;
		l += (size_t)snprintf(buf + l, len - l, "%s%s",
				      k == 1 ? "" : k == total && !all ?
				      " or " : ", ", t->v[i].name);
	}
	return buf;
}

const char *ctl_tests_taking(const struct ctl_tests *t, uint32_t field,
			     bool none, char *buf, size_t len)
{
	return join_names(t, field, none, false, buf, len);
}

const char *ctl_test_names(const struct ctl_tests *t, char *buf, size_t len)
{
	return join_names(t, 0, false, true, buf, len);
}

/* An unmounted mount point is an empty directory. */
static bool debugfs_mounted(void)
{
	DIR *d = sysfile_opendir(DEBUGFS_MOUNT);
	struct dirent *de;
	bool any = false;

	if (!d)
		return errno == EACCES;	/* exists but root-only: mounted */
	while (!any && (de = readdir(d)))
		any = strcmp(de->d_name, ".") && strcmp(de->d_name, "..");
	closedir(d);
	return any;
}

const char *ctl_unreachable_reason(int err, char *buf, size_t len)
{
	if (err == EACCES || err == EPERM)
		snprintf(buf, len, "must run as root (%s is root-only)",
			 CTL_DIR);
	else if (err == ENOENT && !debugfs_mounted())
		snprintf(buf, len, "debugfs is not mounted: "
			 "mount -t debugfs none %s", DEBUGFS_MOUNT);
	else if (err == ENOENT)
		snprintf(buf, len, "module not loaded (no %s): "
			 "insmod dmabench.ko", CTL_DIR);
	else
		snprintf(buf, len, "cannot open %s: %s", CTL_CONTROL,
			 strerror(err));
	return buf;
}

int ctl_open(struct dmabench_info *info)
{
	struct dmabench_info local;
	char why[256];
	int fd, err;

	fd = sysfile_open(O_RDWR, CTL_CONTROL);
	if (fd < 0) {
		fprintf(stderr, "dmabench: %s\n",
			ctl_unreachable_reason(errno, why, sizeof(why)));
		return -1;
	}
	if (!info)
		info = &local;
	memset(info, 0, sizeof(*info));
	info->hdr.version = DMABENCH_ABI_VERSION;
	info->hdr.size = sizeof(*info);
	if (ioctl(fd, DMABENCH_IOC_INFO, info) < 0) {
		err = errno;
		if (err == EINVAL)
			fprintf(stderr, "dmabench: the module does not speak "
				"ABI version %d (build dmabench and "
				"dmabench.ko from the same tree)\n",
				DMABENCH_ABI_VERSION);
		else if (err == ENOTTY)
			fprintf(stderr, "dmabench: %s is not a dmabench "
				"control file (ioctl not supported)\n",
				CTL_CONTROL);
		else
			fprintf(stderr, "dmabench: DMABENCH_IOC_INFO failed: "
				"%s\n", strerror(err));
		close(fd);
		return -1;
	}
	info->module_version[sizeof(info->module_version) - 1] = '\0';
	if (info->hist_buckets != DMABENCH_HIST_BUCKETS ||
	    info->max_phases > DMABENCH_MAX_PHASES) {
		fprintf(stderr, "dmabench: module %s has %u histogram buckets "
			"and %u phases, dmabench expects %u and <= %u: "
			"rebuild both from one tree\n", info->module_version,
			info->hist_buckets, info->max_phases,
			DMABENCH_HIST_BUCKETS, (unsigned int)DMABENCH_MAX_PHASES);
		close(fd);
		return -1;
	}
	return fd;
}

/* The errnos the IOMMU-API ioctls add (dmabench_abi.h); 0 if not one. */
static int iommu_reason(int err, const struct ctl_error_ctx *ctx, char *buf,
			size_t len)
{
	const char *dev = ctx->device;
	int all = !strcmp(dev, DMABENCH_ALL_DEVICES);

	switch (err) {
	case ENODEV:
		if (all)
			snprintf(buf, len, "no device behind an IOMMU is bound "
				 "to dmabench: dmabench bind DEV first");
		else
			snprintf(buf, len, "a device of %s is not bound to "
				 "dmabench: dmabench bind DEV", dev);
		return 1;
	case EOPNOTSUPP:
		snprintf(buf, len, "a device of %s is not behind an IOMMU (no "
			 "IOMMU group, e.g. dmabench.0), not in an IOMMU DMA "
			 "domain, or (verify --scope) not a QEMU edu", dev);
		return 1;
	case EBUSY:
		snprintf(buf, len, "the IOMMU group of a device of %s is in use "
			 "(another device of the group is bound to another "
			 "driver, or a run is in progress)", dev);
		return 1;
	case EXDEV:
		snprintf(buf, len, "the devices of %s are behind different "
			 "IOMMU instances: name devices of one instance", dev);
		return 1;
	case EINVAL:
		snprintf(buf, len, "the module rejected the arguments (see "
			 "dmesg%s)", ctx->isolate ? "; verify --scope needs at "
			 "least 2 edu devices" : "");
		return 1;
	case ENOMEM:
		snprintf(buf, len, "the module ran out of memory (use a "
			 "smaller --size, --live or fewer --threads)");
		return 1;
	}
	return 0;
}

/*
 * EOPNOTSUPP of a run with an option only some CPUs have (--clock raw,
 * --cache cold): the module checks those before it looks at the device,
 * but the device may refuse too; 0 if neither option was asked for.
 */
static int timing_reason(int err, const struct ctl_error_ctx *ctx,
			 char *buf, size_t len)
{
	if (err != EOPNOTSUPP || (!ctx->clock_raw && !ctx->cache_cold))
		return 0;
	snprintf(buf, len, "%s, or test %s does not apply to %s: the kernel "
		 "log says which (dmesg | grep dmabench)",
		 ctx->clock_raw ? "--clock raw: the CPU's counter is not a "
		 "constant clock here (x86 needs constant_tsc + nonstop_tsc, "
		 "which QEMU TCG guests lack: use --clock auto or ktime)" :
		 "--cache cold: dmabench.ko cannot evict a buffer from the "
		 "CPU caches on this architecture (use --cache hot)",
		 ctx->test ? ctx->test : "?", ctx->device);
	return 1;
}

const char *ctl_ioctl_reason(int err, const struct ctl_error_ctx *ctx,
			     char *buf, size_t len)
{
	const char *dev = ctx->device;
	char tests[256];

	if (timing_reason(err, ctx, buf, len))
		return buf;
	if (ctx->iommu && iommu_reason(err, ctx, buf, len))
		return buf;
	switch (err) {
	case EACCES:
	case EPERM:
		snprintf(buf, len, "must run as root");
		break;
	case ENODEV:
		snprintf(buf, len, "device %s is not bound to dmabench: "
			 "dmabench bind %s", dev, dev);
		break;
	case EBUSY:
		snprintf(buf, len, "a run %sis already in progress on %s",
			 ctx->test ? "" : "or verify ", dev);
		break;
	case ENOENT: {
		struct ctl_tests ct = { 0 };
		char lacks[160] = "";
		bool missing;

		tests[0] = '\0';
		if (!ctl_read_tests(&ct) && ct.from_module)
			ctl_test_names(&ct, tests, sizeof(tests));
		/* the module leaves out the tests the kernel has no API for */
		missing = ct.from_module && ctx->test &&
			  !ctl_find_test(&ct, ctx->test);
		ctl_tests_free(&ct);
		if (missing)
			ctl_lacks_note(ctx->test, lacks, sizeof(lacks));
		snprintf(buf, len, "unknown test '%s'%s (available: %s)",
			 ctx->test ? ctx->test : "?", lacks,
			 tests[0] ? tests : "see " CTL_TESTS);
		break;
	}
	case EIO:
		if (ctx->dma_mask_bits)
			snprintf(buf, len, "device %s refused the %u-bit DMA "
				 "mask", dev, ctx->dma_mask_bits);
		else
			snprintf(buf, len, "device %s refused the DMA mask "
				 "or failed a transfer (see dmesg)", dev);
		break;
	case EINVAL:
		snprintf(buf, len, "the module rejected the arguments "
			 "(see dmesg)");
		break;
	case ENOMEM:
		snprintf(buf, len, "the module could not allocate the "
			 "buffers (above 4M they are rarely physically "
			 "contiguous): use a smaller --size or fewer --threads");
		break;
	case EOPNOTSUPP:
		if (ctx->bounce)
			snprintf(buf, len, "--bounce: swiotlb is not active on "
				 "this kernel: boot with swiotlb=force");
		else if (ctx->coherency)
			snprintf(buf, len, "--coherency: the DMA coherency of "
				 "%s cannot be forced on this architecture (x86 "
				 "is always coherent): use --coherency device",
				 dev);
		else if (ctx->shape)
			snprintf(buf, len, "the loaded dmabench.ko does not "
				 "run this traffic shape (the kernel log names "
				 "the part: dmesg | grep dmabench); drop that "
				 "option");
		else if (ctx->test)
			snprintf(buf, len, "test %s is not applicable to "
				 "device %s (see dmesg: e.g. iova_link needs "
				 "a device the IOMMU translates)", ctx->test,
				 dev);
		else
			snprintf(buf, len, "device %s cannot do this (verify "
				 "needs a QEMU edu device)", dev);
		break;
	case ENOTTY:
		snprintf(buf, len, "the module does not know this ioctl "
			 "(build dmabench and dmabench.ko from one tree)");
		break;
	case ETIMEDOUT:
		snprintf(buf, len, "device %s did not finish its DMA transfer "
			 "in time (see dmesg)", dev);
		break;
	case EFAULT:
		snprintf(buf, len, "the module could not access dmabench's "
			 "buffers (EFAULT): please report this bug");
		break;
	case EINTR:
		snprintf(buf, len, "interrupted before any result");
		break;
	default:
		snprintf(buf, len, "%s: %s", dev, strerror(err));
	}
	return buf;
}
