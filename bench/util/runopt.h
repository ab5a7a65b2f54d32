/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The run options of `run` and `sweep`, as data: ONE table (runopt.c)
 * with one line per option gives its names, kind, limits, help line,
 * where it lands in struct run_opts and in the request
 * (struct dmabench_iommu_run, whose .run is the plain request), the
 * DMABENCH_FIELD_* bit of the tests that take it (0: every test) and its
 * rank among the sweep axes.  Everything else comes from that table: the
 * command line and `run --help` (util/parse-options), the job-file keys
 * (util/jobfile), "does this option apply to this test" (the test's
 * fields from the module's tests file, util/ctl), filling the request,
 * the cross product of the axes and freeing.
 *
 * Adding an option: one table line (plus its field in struct run_opts
 * and what is really new, e.g. a result column).
 */
#ifndef DMABENCH_UTIL_RUNOPT_H
#define DMABENCH_UTIL_RUNOPT_H

#include <stddef.h>
#include <stdint.h>

#include "dmabench_abi.h"
#include "util/iommuopt.h"
#include "util/output.h"
#include "util/parse-options.h"
#include "util/placement.h"

/*
 * struct parse_opt.field of an option that applies to every test without
 * DMABENCH_FIELD_IOMMU (the DMA-API tests) but has no request field of
 * its own (--domain: bench switches the device's domain).
 */
#define RUNOPT_FIELD_DMA_API	(1U << 31)

struct run_opts {
	const char *device;
	int device_given;		/* --device on the command line */
	/*
	 * --test LIST: tests[] points into tests_buf, fields[] are their
	 * DMABENCH_FIELD_* sets; test and test_fields are the one
	 * run_one runs (the first, or each in turn)
	 */
	const char *test;
	uint32_t test_fields;
	char **tests;
	size_t ntests;
	char *tests_buf;
	uint32_t *fields;
	size_t nfields;
	uint64_t *sizes;
	size_t nsizes;
	uint64_t *threads;
	size_t nthreads;
	uint32_t dir;
	const char *cpus;		/* --cpus, resolved into place */
	const char *node;		/* --node, resolved into place */
	struct placement place;
	uint64_t duration_ns;
	uint64_t iterations;
	uint32_t dma_trans_ns;
	uint32_t dma_mask_bits;
	uint32_t format;		/* enum output_format */
	const char *output;
	int perf;			/* --perf: count CPU/IOMMU events */
	/*
	 * Lists sweep like sizes/threads; NULL = not given (run_one uses
	 * the first element, or the module's default).  Each applies to
	 * the tests whose fields have its bit (the table in runopt.c); in
	 * a --test list each test runs over the lists that apply to it.
	 */
	int iommu;			/* its tests take FIELD_IOMMU */
	devname_t *devs;		/* --device A,B; NULL: one/all */
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
	uint64_t *aligns;		/* map_single, map_sg: page offset */
	size_t naligns;
	/* timing: ops per timed batch (0 auto), clock, untimed ops first */
	uint32_t batch;
	uint32_t clock;			/* enum dmabench_clock */
	uint32_t warmup;
	uint32_t cache;			/* enum dmabench_cache */
	/*
	 * Traffic shapes (struct dmabench_shape) of the tests whose fields
	 * have DMABENCH_FIELD_SHAPE (the size mix: DMABENCH_FIELD_SIZE_MIX);
	 * all unset: no shape is sent (one mapping per thread, as before).
	 */
	uint64_t *depths;		/* mappings outstanding per thread */
	size_t ndepths;
	uint32_t order;			/* enum dmabench_order */
	uint32_t hold, hold_ns;		/* enum dmabench_hold, mean; 0: none */
	uint32_t map_threads, unmap_threads;	/* --pairs P:C */
	const char *map_cpus, *unmap_cpus;	/* resolved into place */
	uint64_t *footprints;		/* bytes kept mapped while timing */
	size_t nfootprints;
	struct run_size_mix {
		uint32_t n;		/* classes; 0: no mix */
		__u64 sizes[DMABENCH_MAX_SIZES];	/* as in the ABI */
		uint32_t weights[DMABENCH_MAX_SIZES];
	} mix;
	/* --interval: consecutive runs this long (aging); 0: one run */
	uint64_t interval_ns;
};

/* text, csv, json: --format of exhaust and compare */
extern const struct opt_name run_format_names[];
/* text, csv, json, ktap: --format of run (util/ktap.h) */
extern const struct opt_name result_format_names[];

/* The table (OPT_END() terminated). */
extern const struct parse_opt run_options[];

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

/* Does @opt apply to a test with the DMABENCH_FIELD_* set @fields? */
int runopt_applies(const struct parse_opt *opt, uint32_t fields);

/*
 * Job files: the option of key @key ('-' spelling), NULL if @key is no
 * run option a job may set.
 */
const struct parse_opt *runopt_job_key(const char *key);

/*
 * Fill the request of @o's test (o->test, o->test_fields: one
 * configuration, each list's first element) with @size and @threads.
 * The plain request is im->run; im's own fields matter for IOMMU tests.
 */
void runopt_fill_request(struct dmabench_iommu_run *im,
			 const struct run_opts *o, uint64_t size,
			 uint64_t threads);

/*
 * The cross product of the sweep axes (run: every list of the command
 * line; sweep: the lists of one job configuration).
 */
#define RUN_MAX_AXES	32
struct run_axes {
	size_t n;			/* axes */
	const struct parse_opt *opt[RUN_MAX_AXES];
	size_t count[RUN_MAX_AXES];
	size_t idx[RUN_MAX_AXES];	/* of the configuration picked last */
	size_t total;			/* configurations, skipped ones too */
};
void runopt_axes(const struct run_opts *o, struct run_axes *ax);

/*
 * Configuration @k of @ax: @oc is @o with every list down to the one
 * element of @k and test/test_fields set.  Returns 0 when @k is to be
 * skipped (an axis that does not apply to its test at any but its first
 * value; the size axis of map_sg with --seg-size).
 */
int runopt_pick(const struct run_opts *o, struct run_axes *ax, size_t k,
		struct run_opts *oc);

/* The picked configuration's value on the axis of @long_name (0: none). */
size_t runopt_axis_index(const struct run_axes *ax, const char *long_name);

/* "WRITE_COMBINE|NO_KERNEL_MAPPING"; "" for none. */
const char *run_attrs_name(uint32_t attrs, char *buf, size_t len);
/* "bidir" | "to" | "from" */
const char *run_dir_name(unsigned dir);
/* "contiguous" | "scattered" */
const char *run_layout_name(uint32_t layout);
/* "device" | "coherent" | "noncoherent" */
const char *run_coherency_name(uint32_t coherency);
/* "fifo" | "random" */
const char *run_order_name(uint32_t order);
/* "exp:5us" of a hold distribution and mean; "" for none. */
const char *run_hold_name(uint32_t hold, uint32_t hold_ns, char *buf,
			  size_t len);
/* "4K:70,64K:25,1M:5" of a size mix; "" for none. */
const char *run_size_mix_name(uint32_t n, const __u64 *sizes,
			      const uint32_t *weights, char *buf, size_t len);

/*
 * The traffic shape of @o's test (o->test_fields; each list's first
 * element) into @sh.  Returns 1 when the test takes a shape and a shape
 * option was given: the request must carry it (run.shape_ptr); else 0.
 */
int runopt_fill_shape(struct dmabench_shape *sh, const struct run_opts *o);

/*
 * The sweep settings a job may set as keys and `sweep` takes as options
 * (repeat, ci, min-seconds, max-seconds): one definition for both, the
 * entries of SWEEP_SETTING_OPTIONS(the struct, the path to its struct
 * sweep_settings) in a parse-options table.
 */
struct sweep_settings {
	uint64_t repeat;		/* 0: not given */
	double ci;			/* percent; 0: not given */
	uint64_t min_ns, max_ns;	/* 0: not given */
};
#define SWEEP_MAX_REPEAT	1000
#define SWEEP_SETTING_OPTIONS(st, pre)					\
	{ OPTION_UINT, 'r', "repeat", OPT__FIELD(st, pre repeat),	\
	  .min = 1, .max = SWEEP_MAX_REPEAT, .argh = "N",		\
	  .help = "run every configuration N times (default:\n"	\
	  "the job file's repeat, else 5)" },				\
	{ OPTION_CALLBACK, 0, "ci", OPT__FIELD(st, pre ci),		\
	  .callback = runopt_cb_percent, .argh = "P%",			\
	  .help = "repeat a configuration until the 95 % CI of\n"	\
	  "its median p50 is narrower than P % (>= 6 reps)" },		\
	{ OPTION_SECONDS, 0, "min-seconds", OPT__FIELD(st, pre min_ns),	\
	  .argh = "S",							\
	  .help = "repeat every configuration at least S seconds" },	\
	{ OPTION_SECONDS, 0, "max-seconds", OPT__FIELD(st, pre max_ns),	\
	  .argh = "S",							\
	  .help = "stop repeating a configuration after S seconds\n"	\
	  "(default 60 with --ci)" }
/* The same as a table of its own: the job-file keys. */
extern const struct parse_opt sweep_setting_options[];

/* CALLBACK of a percentage 0 < P < 100 ("1" or "1%") into a double. */
int runopt_cb_percent(const struct parse_opt *opt, const char *arg,
		      void *base, char *why, size_t len);

#endif /* DMABENCH_UTIL_RUNOPT_H */
