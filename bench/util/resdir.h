/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Reading results back: a sweep's results directory (results.csv,
 * metadata.json, hist.csv) or a single CSV file written by `run --format
 * csv`, for compare, report and plot.  Columns are found by name in the
 * header (util/columns.h): files written before a column existed load with
 * it empty, columns this version does not know are left alone.
 */
#ifndef DMABENCH_UTIL_RESDIR_H
#define DMABENCH_UTIL_RESDIR_H

#include <stddef.h>
#include <stdint.h>

#include "util/columns.h"

struct rdir {
	char path[512];
	char label[128];		/* metadata label, else the basename */
	struct result_row *rows;
	size_t n;
	char *meta;			/* metadata.json text, or NULL */
};

/* Load @path (directory or CSV file).  0, or -1 with a reason in @err. */
int rdir_load(const char *path, struct rdir *d, char *err, size_t errlen);
void rdir_free(struct rdir *d);

/*
 * A metadata value as text ("" and -1 when absent): strings unquoted and
 * unescaped, numbers as written.
 */
int rdir_meta(const struct rdir *d, const char *key, char *buf, size_t len);

/* The histogram of one configuration and phase in hist.csv. */
struct hist_bucket {
	uint64_t lower, count;
};
struct hist_cfg {
	struct result_row row;		/* its key columns */
	struct hist_bucket *b;		/* in file order */
	size_t n;
};

/*
 * Read @dir/hist.csv: consecutive lines of one configuration make one
 * hist_cfg.  Returns the count (*cfgs malloc'ed, NULL when 0), or -1 with
 * a reason in @err (no hist.csv, a bad line, no memory).
 */
long rdir_load_hist(const char *dir, struct hist_cfg **cfgs, char *err,
		    size_t errlen);
void hist_cfgs_free(struct hist_cfg *h, long n);

/*
 * What a hist.csv configuration and a results row agree on: the whole key
 * but the DMA ops, which hist.csv does not carry.
 */
colset hist_key(void);

/*
 * Split one CSV line (RFC 4180 quotes, no embedded newlines) in place:
 * up to @max fields.  Returns the number of fields.
 */
int csv_split(char *line, char **fields, int max);

/* Strictness a domain type implies: "strict", "lazy", "passthrough"... */
const char *domain_strictness(const char *domain);

/*
 * The columns two rows of one configuration and phase share (the key of
 * util/columns.h); with @with_domain also the domain type and DMA ops.
 */
colset config_key(int with_domain);

/* Rows of one configuration and phase: its repetitions. */
struct rgroup {
	const struct result_row *row;	/* the first repetition */
	double *p50, *p90, *p99, *mean, *ops;	/* one per repetition */
	double *inval;			/* inval_per_buf_ns, ditto */
	double *qmean, *qmax;		/* queue_mean_ns, queue_max_ns (--pairs) */
	size_t n;
};

/* Group @d's rows by config_key(), in first-seen order: count or -1. */
long rdir_group(const struct rdir *d, int with_domain, struct rgroup **out);
void rgroups_free(struct rgroup *g, long n);

/* Does some configuration of @d appear with more than one domain type? */
int rdir_mixed_domains(const struct rdir *d);

#endif /* DMABENCH_UTIL_RESDIR_H */
