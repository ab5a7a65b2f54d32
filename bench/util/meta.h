/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Run metadata: what machine, kernel and platform produced the numbers, so
 * a results file can be understood (and emulation numbers recognised)
 * without the shell history that made it.
 */
#ifndef DMABENCH_UTIL_META_H
#define DMABENCH_UTIL_META_H

#include <stddef.h>

#define META_MAX_IOMMUS	8

struct run_meta {
	char version[32];		/* dmabench's own */
	char module_version[32];	/* from DMABENCH_IOC_INFO, or "" */
	char kernel_release[128];
	char *cmdline;			/* /proc/cmdline, malloc'ed */
	char arch[32];
	char cpu_model[128];
	char board[128];
	char iommu_drivers[META_MAX_IOMMUS][32];
	unsigned n_iommu_drivers;
	double timer_overhead_ns;
	char date[32];			/* ISO 8601 UTC */
	char placement[160];
	unsigned online_cpus;		/* sysconf(_SC_NPROCESSORS_ONLN) */
	char platform[32];		/* "native" or e.g. "qemu-emulated" */
	char *command;			/* argv joined by spaces, malloc'ed */
};

/* dmabench's version string: PACKAGE_VERSION when configured, else "0.1" */
const char *meta_dmabench_version(void);

/*
 * "qemu-emulated" under QEMU (DMI vendor/product, or the arm64 virt
 * board's device tree), $DMABENCH_PLATFORM when set, else "native".
 */
void meta_platform(char *buf, size_t len);

/*
 * Fill everything that can be learned from the system; never fails.
 * @argv is the subcommand's ("run", ...): "dmabench" is put in front.
 */
void meta_collect(struct run_meta *m, int argc, char **argv);
void meta_free(struct run_meta *m);

#endif /* DMABENCH_UTIL_META_H */
