/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The run engine: the one code path that runs a configuration.  `run`,
 * `sweep` and `verify` are front ends over it: they parse with
 * util/runopt and measure with run_one(), so a sweep's numbers are
 * exactly what `run` would have printed.
 */
#ifndef DMABENCH_UTIL_ENGINE_H
#define DMABENCH_UTIL_ENGINE_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "dmabench_abi.h"
#include "util/ctl.h"
#include "util/domain.h"
#include "util/output.h"
#include "util/perf.h"
#include "util/runopt.h"

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
	uint64_t *hist2;		/* the same, second halves (drift) */
	size_t hist_bytes;
	struct perf_counters perf;
	unsigned perf_col;		/* first extra column of the rates */
	uint64_t *thread_ops;		/* DMABENCH_MAX_THREADS, last run's */
	/* size mixes: MAX_SIZES x MAX_PHASES x BUCKETS, last run's */
	uint64_t *class_hist;
	size_t class_hist_bytes;
	/* --domain: the type read back after a switch; "" = devices file */
	char domain_type[16];
};

/* Open the module; prints one line and returns -1 on failure. */
int run_session_open(struct run_session *s);
/*
 * The run's metadata: the command line and machine (meta_collect), the
 * module's version from the open session and the placement of .
 */
void run_session_meta(const struct run_session *s, const struct run_opts *o,
		      struct run_meta *m, int argc, char **argv);
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
 * Is a test of @o missing from the loaded module?  Then 1 with "test 'x'
 * is not in the loaded dmabench.ko ... (it has: ...)" in @why.  0 when all
 * are there or the tests file is unreadable (the ioctl will tell).
 */
int run_tests_missing(const struct run_opts *o, char *why, size_t len);

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

/* After each run of run_config: its rows begin at @first.  0 or an errno. */
typedef int (*run_rows_fn)(void *ctx, size_t first);

/*
 * One configuration of @o: run_one, or with --interval (aging) one run
 * of interval length after the other on the same device until --seconds
 * are up (the device's DMA domain with its IOVA allocator and caches
 * lives on between them; an IOMMU API test gets a new domain each time),
 * their rows marked with the time they began (time_s, s after the
 * first).  All rows take config number *@config, advanced by one at the
 * end; @each (may be NULL) sees the rows of every run.  Stops after a status other than done or
 * a Ctrl-C.  0 or the errno of the failed run (or of @each).
 */
int run_config(struct run_session *s, const struct run_opts *o,
	       uint64_t size, uint64_t threads, const struct ctl_device *dev,
	       const char *platform, unsigned *config, struct row_list *rows,
	       struct dmabench_run *run, run_rows_fn each, void *ctx);

/*
 * --perf: open the counters (one note on stderr if some are missing) and
 * name their columns "cycles_per_op", ... in @names; run_one then fills
 * the rows' extra columns from @col on.  Returns the number of events.
 */
unsigned run_perf_setup(struct run_session *s, const struct run_opts *o,
			unsigned col, char names[][48]);

/* The devices whose IOMMU group default domain type a run switches. */
struct domain_set {
	struct domain_state *v;
	size_t n;
};

/* Add @device (once; domain_open).  0, or -1 (printed after @where). */
int domain_set_add(struct domain_set *l, const char *device,
		   const char *where);

/*
 * Before a configuration on @device: bring its group (when @device is in
 * @l) to @want (DOMAIN_CURRENT: the type found) and point
 * s->domain_type at the type the kernel shows ("" when not in @l; a note
 * when another than asked).  Returns 1 when the type changed and the
 * devices file was read again (every ctl_device pointer is stale), 0, or
 * -1 (printed after @where).
 */
int run_switch_domain(struct run_session *s, struct domain_set *l,
		      const char *device, unsigned want, const char *where);

/* Every device back to its type and driver, last first; 0 or -1 (printed). */
int domain_set_restore(struct domain_set *l);
void domain_set_free(struct domain_set *l);

/* The ctl_error_ctx of a failed run of @o (@run: the request sent). */
void run_error_ctx(struct ctl_error_ctx *ctx, const struct run_opts *o,
		   const struct dmabench_run *run);

/* SIGINT/SIGTERM set run_interrupted and interrupt the module's wait. */
extern volatile sig_atomic_t run_interrupted;
void run_install_interrupt_handler(void);

#endif /* DMABENCH_UTIL_ENGINE_H */
