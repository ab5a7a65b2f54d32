/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Talking to dmabench.ko: the debugfs control file, its ioctls, the
 * devices and tests files, and one-line explanations of every failure.
 */
#ifndef DMABENCH_UTIL_CTL_H
#define DMABENCH_UTIL_CTL_H

#include <stdbool.h>
#include <stddef.h>

#include "dmabench_abi.h"

#define DEBUGFS_MOUNT	"/sys/kernel/debug"
#define CTL_DIR		DEBUGFS_MOUNT "/" DMABENCH_DEBUGFS_DIR
#define CTL_CONTROL	CTL_DIR "/" DMABENCH_CONTROL
#define CTL_DEVICES	CTL_DIR "/devices"
#define CTL_TESTS	CTL_DIR "/tests"

/* The module's own virtual dma-direct device; `run` uses it by default. */
#define CTL_DEFAULT_DEVICE	"dmabench.0"

/* One line of the devices file (format in dmabench_abi.h). */
struct ctl_device {
	char name[DMABENCH_NAME_LEN];
	char bus[16];
	char dma_ops[16];
	char domain[16];
	char coherent[8];
	unsigned mask_bits;
	bool edu;
	bool running;
};

/*
 * Parse a devices file's text.  Malformed lines are skipped.  Returns the
 * number of devices, with *devs malloc'ed (free it; NULL when 0), or -errno.
 */
int ctl_parse_devices(const char *text, struct ctl_device **devs);

/* Read and parse the devices file.  Same returns as ctl_parse_devices. */
int ctl_read_devices(struct ctl_device **devs);

const struct ctl_device *ctl_find_device(const struct ctl_device *devs,
					 int n, const char *name);

/* Test names from the tests file, ", "-separated, or "" if unreadable. */
void ctl_test_names(char *buf, size_t len);

/*
 * Why the module's debugfs files cannot be opened (errno @err from the
 * open): "must run as root", "mount -t debugfs ...", "module not loaded".
 */
const char *ctl_unreachable_reason(int err, char *buf, size_t len);

/*
 * Open the control file and check with DMABENCH_IOC_INFO that the module
 * speaks our ABI.  On failure print one line saying why, return -1.
 * @info may be NULL.
 */
int ctl_open(struct dmabench_info *info);

/* What an ioctl's errno means for the user (one line, no newline). */
struct ctl_error_ctx {
	const char *device;
	const char *test;		/* NULL for verify */
	unsigned dma_mask_bits;
	int iommu;			/* IOMMU_RUN, EXHAUST or ISOLATE */
	int isolate;			/* ISOLATE (verify --scope) */
	unsigned coherency;		/* run: enum dmabench_coherency */
	int bounce;			/* run: DMABENCH_RUN_BOUNCE */
};
const char *ctl_ioctl_reason(int err, const struct ctl_error_ctx *ctx,
			     char *buf, size_t len);

#endif /* DMABENCH_UTIL_CTL_H */
