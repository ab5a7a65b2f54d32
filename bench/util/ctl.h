/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Talking to dmabench.ko: the debugfs control file, its ioctls, the
 * devices and tests files, and one-line explanations of every failure.
 */
#ifndef DMABENCH_UTIL_CTL_H
#define DMABENCH_UTIL_CTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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

/*
 * One line of the tests file: the test's name and the DMABENCH_FIELD_*
 * bits of the run fields it takes ("fields=0xHEX").
 */
struct ctl_test {
	char name[DMABENCH_TEST_LEN];
	uint32_t fields;
	bool has_fields;		/* the line had fields= */
};

/* All tests: the module's, or (file unreadable) bench's fallback list. */
struct ctl_tests {
	struct ctl_test *v;
	size_t n;
	bool from_module;		/* the tests file could be read */
};

/*
 * Parse a tests file's text into @t (t->v malloc'ed).  Words with '='
 * are attributes; only fields= is known.  0, or -ENOMEM.
 */
int ctl_parse_tests(const char *text, struct ctl_tests *t);

/*
 * Read the tests file into @t.  When it cannot be read (no module: `sweep
 * --dry-run`, usage errors) @t holds bench's fallback list, the tests of
 * ABI version 1 and their fields, with from_module false.  0 or -ENOMEM.
 */
int ctl_read_tests(struct ctl_tests *t);
void ctl_tests_free(struct ctl_tests *t);

/*
 * The DMABENCH_FIELD_* set of @test: the module's fields= if its line has
 * one; else (a module older than fields=, or no module) the fallback
 * list's; else (a test bench does not know) every field but
 * DMABENCH_FIELD_IOMMU, leaving the verdict to the module.
 */
uint32_t ctl_test_fields(const struct ctl_tests *t, const char *test);

/* @test in bench's fallback list (the tests of ABI version 1), or NULL. */
const struct ctl_test *ctl_fallback_test(const char *test);
/*
 * Why the loaded module lacks @test, as a tail for an error line, in @buf:
 * ": it needs Linux X.Y (api), this kernel (release) lacks it" for a test
 * of include/dmabench_needs.h, ": this kernel lacks the API" for another
 * test of bench's list, else "".
 */
const char *ctl_lacks_note(const char *test, char *buf, size_t len);

/* Is @test in @t? */
const struct ctl_test *ctl_find_test(const struct ctl_tests *t,
				     const char *test);

/*
 * "a, b or c": the tests of @t whose fields have a bit of @field (with
 * @none set: the tests with none of them).  "" when there are none.
 */
const char *ctl_tests_taking(const struct ctl_tests *t, uint32_t field,
			     bool none, char *buf, size_t len);

/* "a, b, c": the names of @t. */
const char *ctl_test_names(const struct ctl_tests *t, char *buf, size_t len);

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
	int shape;			/* run: a traffic shape (shape_ptr) */
	int clock_raw;			/* run: --clock raw (DMABENCH_CLOCK_RAW) */
	int cache_cold;			/* run: --cache cold (DMABENCH_CACHE_COLD) */
};
const char *ctl_ioctl_reason(int err, const struct ctl_error_ctx *ctx,
			     char *buf, size_t len);

#endif /* DMABENCH_UTIL_CTL_H */
