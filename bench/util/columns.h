/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The result columns as data: one descriptor per column of results.csv
 * (and of the JSON rows and hist.csv) says its name, type, where it lives
 * in struct result_row, when it has a value, which files carry it and
 * what part of the configuration key it is.  The writers (util/output.c),
 * the readers (util/resdir.c) and every key comparison of compare, report
 * and plot walk this one table; perf's util/sort.c is the model.
 */
#ifndef DMABENCH_UTIL_COLUMNS_H
#define DMABENCH_UTIL_COLUMNS_H

#include <stddef.h>
#include <stdint.h>

#include "dmabench_abi.h"
#include "util/stats.h"

/* Extra columns after the table's (--perf: rates per operation). */
#define OUTPUT_MAX_EXTRA 16

/*
 * One row: a (configuration, phase) pair as the engine measured it, as
 * results.csv holds it, or (with hist_lower/hist_count) one hist.csv line.
 */
struct result_row {
	unsigned config;		/* rows of one ioctl share this */
	char test[DMABENCH_TEST_LEN];
	char device[DMABENCH_NAME_LEN];
	char dma_ops[16];		/* devices file, "?" if unknown */
	char domain_type[16];
	uint64_t size;
	uint32_t nents;
	uint32_t threads;
	char dir[8];			/* bidir | to | from */
	char phase[DMABENCH_PHASE_LEN];
	uint64_t hist_lower, hist_count;	/* hist.csv: one bucket */
	struct phase_stats st;
	uint64_t errors;
	char status[16];		/* done | interrupted | device-gone */
	uint64_t elapsed_ns;
	double timer_overhead_ns;
	char platform[32];
	/* IOMMU tests (iommu set): the columns scope .. inval_per_buf_ns */
	int iommu;
	char scope[16];			/* per-device | per-instance */
	char flush[16];			/* strict | batch:N | all:N */
	uint32_t ndevices, ndomains, ninstances;
	uint32_t iova_bits;		/* IOVA limit used (bits) */
	uint32_t live;
	uint64_t slow_allocs;		/* iova_alloc above the slow threshold */
	double inval_per_buf_ns;	/* invalidate sum / buffers unmapped */
	/* DMA-API tests: seg_size .. thread_ops_per_sec_max ("" = n/a) */
	int sg;				/* map_sg: seg_size .. dma_segs_max */
	uint64_t seg_size;
	char layout[12];		/* contiguous | scattered */
	uint32_t dma_segs_min, dma_segs_max;
	char attrs[80];			/* WRITE_COMBINE|... ; "" */
	char coherency[12];		/* requested: device | coherent | ... */
	char coherent[4];		/* yes | no as reported; "" */
	int has_bounced;		/* --bounce */
	uint64_t bounced;
	/*
	 * per-thread ops / elapsed; nthread_rates 0: not reported.  CSV
	 * keeps min and max only: rows read back have thread_rate[] zero.
	 */
	uint32_t nthread_rates;
	double thread_rate_min, thread_rate_max;
	double thread_rate[DMABENCH_MAX_THREADS];
	uint32_t align;			/* buffer offset within a page */
	/*
	 * Traffic shapes (shape set: depth .. footprint_mapped): the
	 * settings as sent, size_class "all" for the totals of a size mix
	 * (size 0) or a class ("4K", size its bytes)
	 */
	int shape;
	uint32_t depth;
	char order[8];			/* fifo | random */
	char hold[24];			/* exp:5us; "" none */
	char pairs[16];			/* 2:2; "" none */
	uint64_t footprint, footprint_mapped;
	char size_mix[96];		/* 4K:70,64K:25,1M:5; "" none */
	char size_class[16];
	/* --pairs (has_queue): how long a handle waited in the ring */
	int has_queue;
	uint64_t queue_min_ns, queue_max_ns;
	double queue_mean_ns;
	/* --interval (aging): start of this run, s after the first's */
	int aging;
	double time_s;
	unsigned interval;		/* its number (text output; no column) */
	/*
	 * timing: "batch:N" or "op" (every op timed), the clock (tsc,
	 * cntvct, ktime), its cost in % of one timed unit (a batch: mean x
	 * N), warm-up ops, the second half's p50 against the first's
	 */
	char timing[20];
	char clock[8];
	double clock_res_ns;		/* one tick, or the smallest step seen */
	double clock_share;
	uint64_t warmup_ops;
	double drift_pct;
	int drifted;			/* beyond the run's own noise */
	/* sweep: the job file section and the repetition */
	char job[32];
	uint32_t rep;
	/* extra columns (output_set_extra), preformatted: --perf */
	char extra[OUTPUT_MAX_EXTRA][32];
};

/*
 * The columns in CSV order.  C(id, name, type, field, shown, files, role,
 * default):
 *   type   STR, U64, U32, DBL1 / DBL3 (decimals), FLAG (int, "yes" or "")
 *   shown  when the row has a value (else the field is empty, JSON null):
 *          ALWAYS; IOMMU, SG, BOUNCED, RATES, SHAPE, PAIRS, AGING: when
 *          that part of the row is set; SWEEP: written by sweep only
 *          (output_set_sweep); TIMING: rows of a version-2 module (timing
 *          set)
 *   files  R: results.csv and JSON rows, H: hist.csv (job comes first
 *          there), RH: both
 *   role   its part of the configuration key (enum col_role), or NONE
 *   default a string value that means the same as empty, or NULL
 * A new column is one line here plus its field in struct result_row:
 * add it before job and rep, never reorder (scripts index the first 18
 * columns; readers find the others by name).
 */
#define RESULT_COLUMNS(C)						\
	C(TEST, "test", STR, test, ALWAYS, RH, TEST, NULL)		\
	C(DEVICE, "device", STR, device, ALWAYS, RH, NONE, NULL)	\
	C(DMA_OPS, "dma_ops", STR, dma_ops, ALWAYS, R, OPS, NULL)	\
	C(DOMAIN_TYPE, "domain_type", STR, domain_type, ALWAYS, RH,	\
	  DOMAIN, NULL)							\
	C(SIZE, "size", U64, size, ALWAYS, RH, SIZE, NULL)		\
	C(NENTS, "nents", U32, nents, ALWAYS, RH, VARIANT, NULL)	\
	C(THREADS, "threads", U32, threads, ALWAYS, RH, THREADS, NULL)	\
	C(DIR, "dir", STR, dir, ALWAYS, RH, DIR, NULL)			\
	C(PHASE, "phase", STR, phase, ALWAYS, RH, PHASE, NULL)		\
	C(LOWER_NS, "lower_ns", U64, hist_lower, ALWAYS, H, NONE, NULL)	\
	C(COUNT, "count", U64, hist_count, ALWAYS, H, NONE, NULL)	\
	C(OPS, "ops", U64, st.ops, ALWAYS, R, NONE, NULL)		\
	C(MEAN_NS, "mean_ns", DBL1, st.mean_ns, ALWAYS, R, NONE, NULL)	\
	C(STDDEV_NS, "stddev_ns", DBL1, st.stddev_ns, ALWAYS, R, NONE,	\
	  NULL)								\
	C(P50_NS, "p50_ns", U64, st.p50_ns, ALWAYS, R, NONE, NULL)	\
	C(P90_NS, "p90_ns", U64, st.p90_ns, ALWAYS, R, NONE, NULL)	\
	C(P99_NS, "p99_ns", U64, st.p99_ns, ALWAYS, R, NONE, NULL)	\
	C(P999_NS, "p999_ns", U64, st.p999_ns, ALWAYS, R, NONE, NULL)	\
	C(MAX_NS, "max_ns", U64, st.max_ns, ALWAYS, R, NONE, NULL)	\
	C(OPS_PER_SEC, "ops_per_sec", DBL1, st.ops_per_sec, ALWAYS, R,	\
	  NONE, NULL)							\
	C(MIN_NS, "min_ns", U64, st.min_ns, ALWAYS, R, NONE, NULL)	\
	C(ERRORS, "errors", U64, errors, ALWAYS, R, NONE, NULL)	\
	C(STATUS, "status", STR, status, ALWAYS, R, NONE, NULL)	\
	C(ELAPSED_NS, "elapsed_ns", U64, elapsed_ns, ALWAYS, R, NONE,	\
	  NULL)								\
	C(TIMER_OVERHEAD_NS, "timer_overhead_ns", DBL3,		\
	  timer_overhead_ns, ALWAYS, R, NONE, NULL)			\
	C(PLATFORM, "platform", STR, platform, ALWAYS, R, NONE, NULL)	\
	C(SCOPE, "scope", STR, scope, IOMMU, RH, VARIANT, NULL)	\
	C(FLUSH, "flush", STR, flush, IOMMU, RH, VARIANT, NULL)	\
	C(DEVICES, "devices", U32, ndevices, IOMMU, R, NONE, NULL)	\
	C(DOMAINS, "domains", U32, ndomains, IOMMU, R, NONE, NULL)	\
	C(INSTANCES, "instances", U32, ninstances, IOMMU, R, NONE, NULL) \
	C(IOVA_BITS, "iova_bits", U32, iova_bits, IOMMU, RH, VARIANT,	\
	  NULL)								\
	C(LIVE, "live", U32, live, IOMMU, RH, VARIANT, NULL)		\
	C(SLOW_ALLOCS, "slow_allocs", U64, slow_allocs, IOMMU, R, NONE,	\
	  NULL)								\
	C(INVAL_PER_BUF_NS, "inval_per_buf_ns", DBL1, inval_per_buf_ns, \
	  IOMMU, R, NONE, NULL)						\
	C(SEG_SIZE, "seg_size", U64, seg_size, SG, RH, SIZE, NULL)	\
	C(LAYOUT, "layout", STR, layout, SG, RH, VARIANT, NULL)	\
	C(DMA_SEGS_MIN, "dma_segs_min", U32, dma_segs_min, SG, R, NONE,	\
	  NULL)								\
	C(DMA_SEGS_MAX, "dma_segs_max", U32, dma_segs_max, SG, R, NONE,	\
	  NULL)								\
	C(ATTRS, "attrs", STR, attrs, ALWAYS, RH, VARIANT, NULL)	\
	C(COHERENCY, "coherency", STR, coherency, ALWAYS, RH, VARIANT,	\
	  "device")							\
	C(COHERENT, "coherent", STR, coherent, ALWAYS, R, NONE, NULL)	\
	C(BOUNCED, "bounced", U64, bounced, BOUNCED, R, NONE, NULL)	\
	C(BOUNCE, "bounce", FLAG, has_bounced, ALWAYS, H, VARIANT, NULL) \
	C(THREAD_OPS_PER_SEC_MIN, "thread_ops_per_sec_min", DBL1,	\
	  thread_rate_min, RATES, R, NONE, NULL)			\
	C(THREAD_OPS_PER_SEC_MAX, "thread_ops_per_sec_max", DBL1,	\
	  thread_rate_max, RATES, R, NONE, NULL)			\
	C(ALIGN, "align", U32, align, ALWAYS, RH, VARIANT, NULL)	\
	C(DEPTH, "depth", U32, depth, SHAPE, RH, VARIANT, NULL)	\
	C(ORDER, "order", STR, order, SHAPE, RH, VARIANT, "fifo")	\
	C(HOLD, "hold", STR, hold, SHAPE, RH, VARIANT, NULL)		\
	C(PAIRS, "pairs", STR, pairs, SHAPE, RH, VARIANT, NULL)	\
	C(FOOTPRINT, "footprint", U64, footprint, SHAPE, RH, VARIANT,	\
	  NULL)								\
	C(SIZE_MIX, "size_mix", STR, size_mix, SHAPE, RH, VARIANT, NULL) \
	C(SIZE_CLASS, "size_class", STR, size_class, SHAPE, RH, SIZE,	\
	  NULL)								\
	C(FOOTPRINT_MAPPED, "footprint_mapped", U64, footprint_mapped,	\
	  SHAPE, R, NONE, NULL)						\
	C(QUEUE_MIN_NS, "queue_min_ns", U64, queue_min_ns, PAIRS, R,	\
	  NONE, NULL)							\
	C(QUEUE_MEAN_NS, "queue_mean_ns", DBL1, queue_mean_ns, PAIRS, R, \
	  NONE, NULL)							\
	C(QUEUE_MAX_NS, "queue_max_ns", U64, queue_max_ns, PAIRS, R,	\
	  NONE, NULL)							\
	C(TIME_S, "time_s", DBL3, time_s, AGING, R, NONE, NULL)	\
	C(TIMING, "timing", STR, timing, TIMING, R, NONE, NULL)	\
	C(CLOCK, "clock", STR, clock, TIMING, R, NONE, NULL)		\
	C(CLOCK_RES_NS, "clock_res_ns", DBL3, clock_res_ns, TIMING, R, NONE, \
	  NULL)								\
	C(CLOCK_SHARE, "clock_share", DBL3, clock_share, TIMING, R, NONE, \
	  NULL)								\
	C(WARMUP_OPS, "warmup_ops", U64, warmup_ops, TIMING, R, NONE,	\
	  NULL)								\
	C(DRIFT_PCT, "drift_pct", DBL1, drift_pct, TIMING, R, NONE, NULL) \
	C(DRIFT, "drift", FLAG, drifted, TIMING, R, NONE, NULL)	\
	C(JOB, "job", STR, job, SWEEP, RH, JOB, NULL)			\
	C(REP, "rep", U32, rep, SWEEP, R, NONE, NULL)

#define COL_ENUM_(id, ...) COL_##id,
enum col_id { RESULT_COLUMNS(COL_ENUM_) NCOLS };
#undef COL_ENUM_

enum col_type { CT_STR, CT_U64, CT_U32, CT_DBL1, CT_DBL3, CT_FLAG };
enum col_shown {
	SHOWN_ALWAYS, SHOWN_IOMMU, SHOWN_SG, SHOWN_BOUNCED, SHOWN_RATES,
	SHOWN_SWEEP, SHOWN_SHAPE, SHOWN_PAIRS, SHOWN_AGING, SHOWN_TIMING,
};
enum col_files { FILES_R = 1, FILES_H = 2, FILES_RH = 3 };

/*
 * Parts of the configuration key, in the order rows sort by them.  Rows
 * of one configuration agree on all of them but DOMAIN and OPS (which
 * compare adds when a directory mixes domain types); VARIANT is what
 * splits a test's tables and plot series (scope, flush, layout, ...);
 * THREADS and SIZE are the lines of a table and the axes of a plot
 * (seg_size goes with size: map_sg's total is nents x seg_size).
 */
enum col_role {
	ROLE_NONE = 0,
	ROLE_JOB = 1u << 0,
	ROLE_TEST = 1u << 1,
	ROLE_PHASE = 1u << 2,
	ROLE_DOMAIN = 1u << 3,
	ROLE_OPS = 1u << 4,
	ROLE_DIR = 1u << 5,
	ROLE_VARIANT = 1u << 6,
	ROLE_THREADS = 1u << 7,
	ROLE_SIZE = 1u << 8,
};
#define ROLE_ALL 0x1ffu
/* one configuration and phase (hist.csv has no dma_ops) */
#define ROLES_CONFIG (ROLE_ALL & ~(ROLE_DOMAIN | ROLE_OPS))
/* the order of rows within a test: domain, dir, variant, threads, size */
#define ROLES_SETUP \
	(ROLE_DOMAIN | ROLE_DIR | ROLE_VARIANT | ROLE_THREADS | ROLE_SIZE)

struct column {
	const char *name;
	enum col_type type;
	size_t offset, size;		/* the field in struct result_row */
	enum col_shown shown;
	enum col_files files;
	enum col_role role;
	const char *dflt;
};

extern const struct column result_columns[NCOLS];

/*
 * A set of columns: bit i is column i (enum col_id).  Two words: the
 * table outgrew one (shapes, timing).  Build sets with COLSET(COL_A,
 * COL_B, ...), col_roles() and colset_or/colset_minus.
 */
#define COLSET_WORDS 2
_Static_assert(NCOLS <= 64 * COLSET_WORDS, "raise COLSET_WORDS");
typedef struct {
	uint64_t w[COLSET_WORDS];
} colset;

static inline int colset_has(colset s, unsigned i)
{
	return (int)((s.w[i / 64] >> (i % 64)) & 1);
}

static inline colset colset_add(colset s, unsigned i)
{
	s.w[i / 64] |= (uint64_t)1 << (i % 64);
	return s;
}

static inline colset colset_or(colset a, colset b)
{
	for (unsigned k = 0; k < COLSET_WORDS; k++)
		a.w[k] |= b.w[k];
	return a;
}

/* @a without the columns of @b */
static inline colset colset_minus(colset a, colset b)
{
	for (unsigned k = 0; k < COLSET_WORDS; k++)
		a.w[k] &= ~b.w[k];
	return a;
}

/* Has @s no column? */
static inline int colset_empty(colset s)
{
	for (unsigned k = 0; k < COLSET_WORDS; k++)
		if (s.w[k])
			return 0;
	return 1;
}

static inline colset colset_of(const enum col_id *ids, size_t n)
{
	colset s = { { 0 } };

	for (size_t i = 0; i < n; i++)
		s = colset_add(s, ids[i]);
	return s;
}
#define COLSET(...)							\
	colset_of((const enum col_id[]){ __VA_ARGS__ },			\
		  sizeof((const enum col_id[]){ __VA_ARGS__ }) /	\
		  sizeof(enum col_id))
#define COLBIT(id) COLSET(COL_##id)

/* The columns that play one of @roles in the key. */
colset col_roles(unsigned roles);

/*
 * Compare @a and @b on the columns of @cols, in key order (enum col_role,
 * then table order): <0, 0, >0.  A string equal to the column's default
 * counts as empty, so files that left the column out and files that
 * wrote the default agree.
 */
int row_cmp(const struct result_row *a, const struct result_row *b,
	    colset cols);

static inline int row_same(const struct result_row *a,
			   const struct result_row *b, colset cols)
{
	return !row_cmp(a, b, cols);
}

/*
 * Has @row a value in column @c (else the field is written empty)?  The
 * SWEEP columns always have one: the writer decides whether to write them.
 */
int col_has_value(const struct column *c, const struct result_row *row);

/* @row's value in column @c as text ("" when it has none); @buf's length. */
#define COL_TEXT_LEN 96
const char *col_format(const struct column *c, const struct result_row *row,
		       char *buf);

/* Set column @c of @row from @text ("" leaves it zero).  0, or -1. */
int col_parse(const struct column *c, struct result_row *row,
	      const char *text);

/* Column @name, or NULL. */
const struct column *col_by_name(const char *name);

/*
 * The configuration in a few words, "" for a test's default settings:
 * "per-device, strict" plus ", iova 32 bits" / ", live 64" when not the
 * defaults (48 bits, 1); "scattered, 4 entries", "WRITE_COMBINE",
 * "noncoherent", "bounce", "align 64"; the shape: "depth 256, random
 * order, hold exp:5us, pairs 2:2, footprint 1G, mix 4K:70,64K:30" (the
 * size class goes with the size: row_size_label).
 */
const char *row_variant(const struct result_row *r, char *buf, size_t len);

/* The size of a table line: "4K", or a size mix's class ("all", "64K"). */
const char *row_size_label(const struct result_row *r, char *buf,
			   size_t len);

#endif /* DMABENCH_UTIL_COLUMNS_H */
