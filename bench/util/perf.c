// SPDX-License-Identifier: GPL-2.0 OR MIT
/* CPU and IOMMU PMU counters around a run, with perf_event_open(2). */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <dirent.h>
#include <errno.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "util/parse.h"
#include "util/perf.h"
#include "util/sysfs.h"

#define PMU_DIR "/sys/bus/event_source/devices"

static int perf_event_open(struct perf_event_attr *attr, int cpu)
{
	return (int)syscall(SYS_perf_event_open, attr, -1, cpu, -1,
			    PERF_FLAG_FD_CLOEXEC);
}

static int add_fd(struct perf_counters *p, int fd, unsigned ev)
{
	int *fds = realloc(p->fds, (p->nfds + 1) * sizeof(*fds));
	unsigned *evs;

	if (!fds)
		return -1;
	p->fds = fds;
	evs = realloc(p->fd_event, (p->nfds + 1) * sizeof(*evs));
	if (!evs)
		return -1;
	p->fd_event = evs;
	p->fds[p->nfds] = fd;
	p->fd_event[p->nfds++] = ev;
	return 0;
}

static void note(struct perf_counters *p, const char *what, int err)
{
	size_t l = strlen(p->note);

	snprintf(p->note + l, sizeof(p->note) - l, "%s%s: %s",
		 l ? "; " : "", what,
		 err == EACCES || err == EPERM ?
		 "not permitted (root or perf_event_paranoid <= 0)" :
		 err == ENOENT || err == ENODEV || err == EOPNOTSUPP ?
		 "no such counter here" : strerror(err));
}

/* Open one event on each CPU; the event counts only if all CPUs opened. */
static void open_event(struct perf_counters *p, const char *name,
		       struct perf_event_attr *attr, const int *cpus,
		       unsigned ncpus)
{
	unsigned first = p->nfds, ev = p->nev;

	if (p->nev >= PERF_MAX_EVENTS)
		return;
	for (unsigned i = 0; i < ncpus; i++) {
		int fd = perf_event_open(attr, cpus[i]);

		if (fd < 0 || add_fd(p, fd, ev)) {
			int err = fd < 0 ? errno : ENOMEM;

			if (fd >= 0)
				close(fd);
			while (p->nfds > first)
				close(p->fds[--p->nfds]);
			note(p, name, err);
			return;
		}
	}
	str_copy(p->names[p->nev++], sizeof(p->names[0]), name);
}

/* "config:0-15" or "config1:3" -> word and bit range */
static int parse_format(const char *fmt, unsigned *word, unsigned *lo,
			unsigned *hi)
{
	const char *colon = strchr(fmt, ':');

	if (!colon)
		return -1;
	if (!strncmp(fmt, "config:", 7))
		*word = 0;
	else if (!strncmp(fmt, "config1:", 8))
		*word = 1;
	else if (!strncmp(fmt, "config2:", 8))
		*word = 2;
	else
		return -1;
	if (sscanf(colon + 1, "%u-%u", lo, hi) != 2) {
		if (sscanf(colon + 1, "%u", lo) != 1)
			return -1;
		*hi = *lo;
	}
	return *lo <= *hi && *hi < 64 ? 0 : -1;
}

int perf_parse_event(const char *pmu_dir, const char *spec,
		     uint64_t config[3])
{
	char buf[256], *term, *save = NULL;

	config[0] = config[1] = config[2] = 0;
	str_copy(buf, sizeof(buf), spec);
	for (term = strtok_r(buf, ",\n", &save); term;
	     term = strtok_r(NULL, ",\n", &save)) {
		char *eq = strchr(term, '='), fmt[64];
		unsigned word, lo, hi;
		unsigned long long v = 1;
		uint64_t mask;

		if (eq) {
			*eq = '\0';
			v = strtoull(eq + 1, NULL, 0);
		}
		if (sysfile_read(fmt, sizeof(fmt), "%s/format/%s", pmu_dir,
				 term) ||
		    parse_format(fmt, &word, &lo, &hi))
			return -1;
		mask = hi - lo == 63 ? ~0ULL : ((1ULL << (hi - lo + 1)) - 1);
		config[word] |= ((uint64_t)v & mask) << lo;
	}
	return 0;
}

/* IOMMU PMUs count on the one CPU named in their cpumask file. */
static void open_iommu_pmus(struct perf_counters *p)
{
	static const char *const wanted[] = {
		/* SMMUv3 PMCG */
		"transaction", "tlb_miss", "config_cache_miss",
		/* Intel VT-d perfmon */
		"iommu_requests", "iotlb_lookup", "iotlb_hit",
	};
	DIR *d = sysfile_opendir(PMU_DIR);
	struct dirent *de;

	if (!d)
		return;
	while ((de = readdir(d))) {
		char dir[SYSFS_PATH_MAX], spec[128], cpumask[32], name[40];
		struct perf_event_attr attr;
		unsigned type;
		int cpu;

		if (strncmp(de->d_name, "smmuv3_pmcg_", 12) &&
		    strncmp(de->d_name, "dmar", 4))
			continue;
		snprintf(dir, sizeof(dir), PMU_DIR "/%s", de->d_name);
		if (sysfile_read(spec, sizeof(spec), "%s/type", dir) ||
		    sscanf(spec, "%u", &type) != 1)
			continue;
		cpu = 0;
		if (!sysfile_read(cpumask, sizeof(cpumask), "%s/cpumask",
				  dir))
			cpu = atoi(cpumask);
		for (size_t w = 0; w < sizeof(wanted) / sizeof(wanted[0]);
		     w++) {
			uint64_t config[3];

			if (sysfile_read(spec, sizeof(spec), "%s/events/%s",
					 dir, wanted[w]) ||
			    perf_parse_event(dir, spec, config))
				continue;
			memset(&attr, 0, sizeof(attr));
			attr.size = sizeof(attr);
			attr.type = type;
			attr.config = config[0];
			attr.config1 = config[1];
			attr.config2 = config[2];
			attr.disabled = 1;
			snprintf(name, sizeof(name), "%.24s_%s", de->d_name,
				 wanted[w]);
			open_event(p, name, &attr, &cpu, 1);
		}
	}
	closedir(d);
}

unsigned perf_open(struct perf_counters *p, const uint64_t *cpus,
		   unsigned words)
{
	static const struct { const char *name; uint64_t config; } hw[] = {
		{ "cycles", PERF_COUNT_HW_CPU_CYCLES },
		{ "instructions", PERF_COUNT_HW_INSTRUCTIONS },
		{ "cache_misses", PERF_COUNT_HW_CACHE_MISSES },
	};
	long online = sysconf(_SC_NPROCESSORS_CONF);
	int *list;
	unsigned n = 0;
	int any = 0;

	memset(p, 0, sizeof(*p));
	if (online < 1)
		online = 1;
	for (unsigned w = 0; w < words; w++)
		any |= cpus[w] != 0;
	list = calloc((size_t)(any ? words * 64 : (unsigned)online),
		      sizeof(*list));
	if (!list) {
		snprintf(p->note, sizeof(p->note), "out of memory");
		return 0;
	}
	if (any) {
		for (unsigned c = 0; c < words * 64; c++)
			if (cpus[c / 64] >> (c % 64) & 1)
				list[n++] = (int)c;
	} else {
		/* unbound threads: every CPU that is online now */
		for (int c = 0; c < online; c++) {
			char s[8];

			if (c && !sysfile_read(s, sizeof(s),
				"/sys/devices/system/cpu/cpu%d/online", c) &&
			    s[0] == '0')
				continue;
			list[n++] = c;
		}
	}
	for (size_t i = 0; i < sizeof(hw) / sizeof(hw[0]); i++) {
		struct perf_event_attr attr;

		memset(&attr, 0, sizeof(attr));
		attr.size = sizeof(attr);
		attr.type = PERF_TYPE_HARDWARE;
		attr.config = hw[i].config;
		attr.disabled = 1;
		open_event(p, hw[i].name, &attr, list, n);
	}
	free(list);
	open_iommu_pmus(p);
	return p->nev;
}

void perf_start(struct perf_counters *p)
{
	for (unsigned i = 0; i < p->nfds; i++) {
		ioctl(p->fds[i], PERF_EVENT_IOC_RESET, 0);
		ioctl(p->fds[i], PERF_EVENT_IOC_ENABLE, 0);
	}
}

void perf_stop(struct perf_counters *p)
{
	memset(p->value, 0, sizeof(p->value));
	for (unsigned i = 0; i < p->nfds; i++)
		ioctl(p->fds[i], PERF_EVENT_IOC_DISABLE, 0);
	for (unsigned i = 0; i < p->nfds; i++) {
		uint64_t v;

		if (read(p->fds[i], &v, sizeof(v)) == (ssize_t)sizeof(v))
			p->value[p->fd_event[i]] += v;
	}
}

void perf_close(struct perf_counters *p)
{
	for (unsigned i = 0; i < p->nfds; i++)
		close(p->fds[i]);
	free(p->fds);
	free(p->fd_event);
	p->fds = NULL;
	p->fd_event = NULL;
	p->nfds = 0;
	p->nev = 0;
}
