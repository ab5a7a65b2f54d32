// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Collect the run metadata: kernel, CPU, board, IOMMU drivers, platform. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "util/meta.h"
#include "util/parse.h"
#include "util/sysfs.h"

const char *meta_dmabench_version(void)
{
#ifdef PACKAGE_VERSION
	return PACKAGE_VERSION;
#else
	return "0.1";
#endif
}

static void copy_str(char *dst, size_t len, const char *src)
{
	str_copy(dst, len, src);
}

void meta_platform(char *buf, size_t len)
{
	const char *env = getenv("DMABENCH_PLATFORM");
	char s[256];
	size_t n = 0;
	char *dt;

	if (env && *env) {
		copy_str(buf, len, env);
		return;
	}
	if ((!sysfile_read(s, sizeof(s), "/sys/class/dmi/id/sys_vendor") &&
	     strstr(s, "QEMU")) ||
	    (!sysfile_read(s, sizeof(s), "/sys/class/dmi/id/product_name") &&
	     strstr(s, "QEMU"))) {
		copy_str(buf, len, "qemu-emulated");
		return;
	}
	/* compatible is a list of NUL-separated strings */
	dt = sysfile_read_all(&n, "/proc/device-tree/compatible");
	if (dt) {
		const char *want = "linux,dummy-virt";
		int found = 0;

		for (size_t i = 0; i < n; i += strlen(dt + i) + 1)
			if (!strcmp(dt + i, want))
				found = 1;
		free(dt);
		if (found) {
			copy_str(buf, len, "qemu-emulated");
			return;
		}
	}
	copy_str(buf, len, "native");
}

static void read_cpu_model(char *buf, size_t len)
{
	char implementer[32] = "", part[32] = "";
	char *info = sysfile_read_all(NULL, "/proc/cpuinfo");
	char *line, *save = NULL;

	copy_str(buf, len, "unknown");
	if (!info)
		return;
	for (line = strtok_r(info, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *colon = strchr(line, ':'), *val;
		size_t klen;

		if (!colon)
			continue;
		val = colon + 1;
		while (*val == ' ')
			val++;
		klen = (size_t)(colon - line);
		while (klen && isspace((unsigned char)line[klen - 1]))
			klen--;
		if (klen == 10 && !strncmp(line, "model name", 10)) {
			copy_str(buf, len, val);
			free(info);
			return;
		}
		/* arm64 has no model name: report the MIDR fields */
		if (klen == 15 && !strncmp(line, "CPU implementer", 15) &&
		    !implementer[0])
			copy_str(implementer, sizeof(implementer), val);
		if (klen == 8 && !strncmp(line, "CPU part", 8) && !part[0])
			copy_str(part, sizeof(part), val);
	}
	free(info);
	if (implementer[0])
		snprintf(buf, len, "CPU implementer %s part %s", implementer,
			 part[0] ? part : "?");
}

static void read_board(char *buf, size_t len)
{
	char vendor[64], product[64];

	if (!sysfile_read(buf, len, "/proc/device-tree/model") && buf[0])
		return;
	if (!sysfile_read(product, sizeof(product),
			"/sys/class/dmi/id/product_name") && product[0]) {
		if (!sysfile_read(vendor, sizeof(vendor),
				"/sys/class/dmi/id/sys_vendor") && vendor[0] &&
		    strncmp(product, vendor, strlen(vendor)))
			snprintf(buf, len, "%s %s", vendor, product);
		else
			copy_str(buf, len, product);
		return;
	}
	copy_str(buf, len, "unknown");
}

/*
 * The driver behind each /sys/class/iommu entry.  Intel's dmarN have no
 * parent device, so fall back to the entry name without its instance
 * suffix ("dmar0" -> "dmar", "smmu3.0x0000000009050000" -> "smmu3").
 */
static void read_iommu_drivers(struct run_meta *m)
{
	DIR *d = sysfile_opendir("/sys/class/iommu");
	struct dirent *de;

	m->n_iommu_drivers = 0;
	if (!d)
		return;
	while ((de = readdir(d)) && m->n_iommu_drivers < META_MAX_IOMMUS) {
		char name[32];
		unsigned i;

		if (de->d_name[0] == '.')
			continue;
		if (sysfile_link_name(name, sizeof(name),
				    "/sys/class/iommu/%s/device/driver",
				    de->d_name)) {
			size_t l;

			copy_str(name, sizeof(name), de->d_name);
			name[strcspn(name, ".")] = '\0';
			l = strlen(name);
			while (l > 1 && isdigit((unsigned char)name[l - 1]))
				name[--l] = '\0';
		}
		for (i = 0; i < m->n_iommu_drivers; i++)
			if (!strcmp(m->iommu_drivers[i], name))
				break;
		if (i == m->n_iommu_drivers)
			copy_str(m->iommu_drivers[m->n_iommu_drivers++],
				 sizeof(m->iommu_drivers[0]), name);
	}
	closedir(d);
}

static char *join_args(int argc, char **argv)
{
	size_t len = sizeof("dmabench");
	char *s;

	for (int i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	s = calloc(1, len);
	if (!s)
		return NULL;
	strcpy(s, "dmabench");
	for (int i = 0; i < argc; i++) {
		strcat(s, " ");
		strcat(s, argv[i]);
	}
	return s;
}

void meta_collect(struct run_meta *m, int argc, char **argv)
{
	struct utsname u;
	time_t now = time(NULL);
	struct tm tm;
	char *cmdline;
	long ncpu;

	memset(m, 0, sizeof(*m));
	copy_str(m->version, sizeof(m->version), meta_dmabench_version());
	if (uname(&u) == 0) {
		copy_str(m->kernel_release, sizeof(m->kernel_release),
			 u.release);
		copy_str(m->arch, sizeof(m->arch), u.machine);
	}
	cmdline = sysfile_read_all(NULL, "/proc/cmdline");
	if (cmdline)
		cmdline[strcspn(cmdline, "\n")] = '\0';
	m->cmdline = cmdline;
	read_cpu_model(m->cpu_model, sizeof(m->cpu_model));
	read_board(m->board, sizeof(m->board));
	read_iommu_drivers(m);
	if (gmtime_r(&now, &tm))
		strftime(m->date, sizeof(m->date), "%Y-%m-%dT%H:%M:%SZ", &tm);
	copy_str(m->placement, sizeof(m->placement), "any");
	ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	m->online_cpus = ncpu > 0 ? (unsigned)ncpu : 0;
	meta_platform(m->platform, sizeof(m->platform));
	m->command = join_args(argc, argv);
}

void meta_free(struct run_meta *m)
{
	free(m->cmdline);
	free(m->command);
	m->cmdline = NULL;
	m->command = NULL;
}
