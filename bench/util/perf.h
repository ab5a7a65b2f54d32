/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * --perf: count cycles, instructions, cache misses and IOMMU PMU events
 * (Arm SMMUv3 PMCG, Intel dmar perfmon) with perf_event_open(2) on the
 * CPUs the benchmark threads run on, only around the run ioctl.  When a
 * counter cannot be opened (absent or not permitted) it is left out and
 * one note says why; the run goes on without it.
 */
#ifndef DMABENCH_UTIL_PERF_H
#define DMABENCH_UTIL_PERF_H

#include <stdint.h>

#define PERF_MAX_EVENTS	8

struct perf_counters {
	unsigned nev;			/* events that opened */
	char names[PERF_MAX_EVENTS][40];	/* CSV column stems */
	int *fds;			/* nfds file descriptors */
	unsigned *fd_event;		/* event index of each fd */
	unsigned nfds;
	uint64_t value[PERF_MAX_EVENTS];	/* summed over CPUs, last run */
	char note[256];			/* why some or all are missing */
};

/*
 * Open the counters for the CPUs set in @cpus (@words 64-bit words; all
 * zero = every online CPU) plus the IOMMU PMUs found in sysfs.  Returns
 * the number of events opened (0: see p->note).
 */
unsigned perf_open(struct perf_counters *p, const uint64_t *cpus,
		   unsigned words);

/* Reset and enable / disable and read every counter. */
void perf_start(struct perf_counters *p);
void perf_stop(struct perf_counters *p);

void perf_close(struct perf_counters *p);

/*
 * Parse a PMU event spec ("event=0x02,filter_enable=1") with the PMU's
 * format files ("config:0-15") into perf_event_attr config words.
 * @pmu_dir is a /sys/bus/event_source/devices/NAME directory.  0 or -1.
 */
int perf_parse_event(const char *pmu_dir, const char *spec,
		     uint64_t config[3]);

#endif /* DMABENCH_UTIL_PERF_H */
