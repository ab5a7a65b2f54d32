/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The one code path that runs a configuration: `run` and `sweep` both parse
 * run options with run_parse_options() and measure with run_one(), so a
 * sweep's numbers are exactly what `run` would have printed.
 */
#ifndef DMABENCH_RUN_H
#define DMABENCH_RUN_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "dmabench_abi.h"
#include "util/ctl.h"
#include "util/iommuopt.h"
#include "util/output.h"
#include "util/perf.h"
#include "util/placement.h"

struct run_opts {
	const char *device;
	int device_given;		/* --device on the command line */
	/*
	 * --test LIST: tests[] points into tests_buf; test is the first (the
	 * one run_one runs; cmd_run points it at each in turn)
	 */
	const char *test;
	char **tests;
	size_t ntests;
	char *tests_buf;
	uint64_t *sizes;
	size_t nsizes;
	uint64_t *threads;
	size_t nthreads;
	unsigned dir;
	struct placement place;
	uint64_t duration_ns;
	uint64_t iterations;
	uint32_t dma_trans_ns;
	uint32_t dma_mask_bits;
	enum output_format format;
	const char *output;
	int perf;			/* --perf: count CPU/IOMMU events */
	/*
	 * IOMMU tests (iommu_map): DMABENCH_IOC_IOMMU_RUN.  Lists sweep like
	 * sizes/threads; NULL = the default (per-device, strict, 48, 1).
	 * run_one uses the first element of each list.
	 */
	int iommu;
	devname_t *devs;		/* --device A,B: the list; NULL: one/all */
	size_t ndevs;
	uint32_t *scopes;
	size_t nscopes;
	struct flush_spec *flushes;
	size_t nflushes;
	uint64_t *iova_bits;
	size_t niova_bits;
	uint64_t *lives;
	size_t nlives;
	uint32_t slow_ns;
	uint64_t seed;
	/*
	 * DMA-API tests (issue 3).  Lists sweep like sizes; NULL = not given
	 * (run_one uses the first element, or the default).  They apply to
	 * some tests only (run_option_applies); in a --test list each test
	 * runs over the lists that apply to it.
	 */
	uint64_t *nents;		/* map_sg: entries, 1..1024 (1) */
	size_t nnents;
	uint64_t *seg_sizes;		/* map_sg: bytes per entry */
	size_t nseg_sizes;
	uint32_t *layouts;		/* map_sg: enum dmabench_sg_layout */
	size_t nlayouts;
	uint32_t *attrs;		/* alloc: DMABENCH_ATTR_* sets */
	size_t nattrs;
	uint32_t *coherencies;		/* enum dmabench_coherency */
	size_t ncoherencies;
	uint32_t *domains;		/* enum domain_want (util/domain.h) */
	size_t ndomains;
	int bounce;			/* --bounce: DMABENCH_RUN_BOUNCE */
};

/*
 * Does run option @opt (its long name: "nents", "seg-size", "layout",
 * "attrs", "bounce", "coherency", "domain") apply to @test?  Every other
 * option applies to every test (the IOMMU ones are checked apart).
 */
int run_option_applies(const char *test, const char *opt);

/* "WRITE_COMBINE|NO_KERNEL_MAPPING"; "" for none. */
const char *run_attrs_name(uint32_t attrs, char *buf, size_t len);

/* Defaults: dmabench.0, bidir, text, no placement. */
void run_opts_init(struct run_opts *o);
void run_opts_free(struct run_opts *o);

/*
 * Parse `run` options (argv[0] is the command name).  @cmd names the
 * command in error messages.  @allow_output: accept --format/--output.
 * Returns 0, -1 after --help, or EXIT_USAGE with the error printed.
 * Leaves sizes/threads NULL when not given (run_one callers default them).
 */
int run_parse_options(const char *cmd, int argc, char **argv,
		      struct run_opts *o, int allow_output);

/* "bidir" | "to" | "from" */
const char *run_dir_name(unsigned dir);

/* Growing array of output rows. */
struct row_list {
	struct result_row *v;
	size_t n, cap;
};

struct result_row *row_new(struct row_list *l);

/* An open control file plus what one run needs. */
struct run_session {
	int fd;
	struct dmabench_info info;
	struct ctl_device *devs;
	int ndevs;			/* -errno if the devices file failed */
	uint64_t *hist;			/* MAX_PHASES x BUCKETS, last run's */
	size_t hist_bytes;
	struct perf_counters perf;
	unsigned perf_col;		/* first extra column of the rates */
	uint64_t *thread_ops;		/* DMABENCH_MAX_THREADS, last run's */
	/* --domain: the type read back after a switch; "" = devices file */
	char domain_type[16];
};

/* Open the module; prints one line and returns -1 on failure. */
int run_session_open(struct run_session *s);
void run_session_close(struct run_session *s);

/*
 * The device @name as the devices file shows it, NULL if it is not bound
 * (prints the "dmabench bind" hint).  When the devices file is unreadable
 * *ok is still set and NULL returned.
 */
const struct ctl_device *run_session_device(struct run_session *s,
					    const char *name, int *ok);

/*
 * Read the devices file again (after --domain rebound a device): every
 * ctl_device pointer from before is stale.  0, or -1 (printed).
 */
int run_session_refresh(struct run_session *s);

/*
 * The device(s) of @o: run_session_device for DMA-API tests; for IOMMU
 * tests every named device is checked (NULL returned, *ok set).
 */
const struct ctl_device *run_session_lookup(struct run_session *s,
					    const struct run_opts *o, int *ok);

/*
 * Run @o's test once with one size and thread count: one ioctl.  Appends
 * one row per phase to @rows (config number @config) and leaves the
 * histograms in s->hist.  Returns 0 or an errno (rows untouched on error);
 * the module's status is in run->status.
 */
int run_one(struct run_session *s, const struct run_opts *o, uint64_t size,
	    uint64_t threads, const struct ctl_device *dev,
	    const char *platform, unsigned config, struct row_list *rows,
	    struct dmabench_run *run);

/*
 * --perf: open the counters (one note on stderr if some are missing) and
 * name their columns "cycles_per_op", ... in @names; run_one then fills
 * the rows' extra columns from @col on.  Returns the number of events.
 */
unsigned run_perf_setup(struct run_session *s, const struct run_opts *o,
			unsigned col, char names[][48]);

/* SIGINT/SIGTERM set run_interrupted and interrupt the module's wait. */
extern volatile sig_atomic_t run_interrupted;
void run_install_interrupt_handler(void);

#endif /* DMABENCH_RUN_H */
