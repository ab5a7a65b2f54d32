/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Reading results back: a sweep's results directory (results.csv,
 * metadata.json, hist.csv) or a single CSV file written by `run --format
 * csv`, for compare, report and plot.
 */
#ifndef DMABENCH_UTIL_RESDIR_H
#define DMABENCH_UTIL_RESDIR_H

#include <stddef.h>
#include <stdint.h>

struct rrow {
	char test[32], device[64], dma_ops[16], domain[16], dir[8];
	char phase[16], job[32], platform[32];
	uint64_t size;
	unsigned nents, threads, rep;
	double mean, p50, p90, p99, p999, max, ops_per_sec;
	/* IOMMU API tests (iommu_map); "" and 0 for the others */
	char scope[16], flush[16];
	unsigned iova_bits, live, ndevices;
	double inval_per_buf;
	/* DMA-API settings (map_sg, alloc, ...); "" and 0 where n/a */
	uint64_t seg_size;
	char layout[12], attrs[80], coherency[12];
	int bounce;
};

struct rdir {
	char path[512];
	char label[128];		/* metadata label, else the basename */
	struct rrow *rows;
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

/* One line of hist.csv. */
struct hrow {
	char job[32], test[32], domain[16], dir[8], phase[16];
	char scope[16], flush[16];	/* iommu_map; "" otherwise */
	uint64_t size, lower, count;
	unsigned nents, threads, iova_bits, live;
	uint64_t seg_size;		/* DMA-API settings, as in rrow */
	char layout[12], attrs[80], coherency[12];
	int bounce;
};

/* Is @h a line of the configuration of @r (phase included)? */
int hrow_matches(const struct hrow *h, const struct rrow *r);

/* Read @dir/hist.csv.  Returns the number of lines (*rows malloc'ed), -1. */
long rdir_load_hist(const char *dir, struct hrow **rows);

/*
 * Split one CSV line (RFC 4180 quotes, no embedded newlines) in place:
 * up to @max fields.  Returns the number of fields.
 */
int csv_split(char *line, char **fields, int max);

/* Strictness a domain type implies: "strict", "lazy", "passthrough"... */
const char *domain_strictness(const char *domain);

#endif /* DMABENCH_UTIL_RESDIR_H */

/*
 * Rows of one configuration and phase: its repetitions.  Two rows belong
 * to the same configuration when test, job, size, nents, threads, dir,
 * phase and the IOMMU API settings (scope, flush, iova_bits, live) match
 * (and domain type and dma ops with @with_domain).
 */
struct rgroup {
	const struct rrow *row;		/* the first repetition */
	double *p50, *p90, *p99, *mean, *ops;	/* one per repetition */
	double *inval;			/* inval_per_buf_ns, ditto */
	size_t n;
};

int rrow_same_config(const struct rrow *a, const struct rrow *b,
		     int with_domain);

/*
 * Same IOMMU API settings (scope, flush, iova_bits, live) and DMA-API
 * settings (nents, layout, attrs, coherency, bounce).
 */
int rrow_same_variant(const struct rrow *a, const struct rrow *b);
/* Order by those settings: <0, 0, >0. */
int rrow_cmp_variant(const struct rrow *a, const struct rrow *b);
/*
 * The order of rows within a test (report and compare tables): domain,
 * dir, the variant, threads, size.
 */
int rrow_cmp_setup(const struct rrow *a, const struct rrow *b);

/*
 * The IOMMU API settings of @r as a short label, "" for other tests:
 * "per-device, strict" plus ", iova 32 bits" / ", live 64" when not the
 * defaults (48 bits, 1); DMA-API settings that are not the defaults:
 * "scattered, 4K entries", "WRITE_COMBINE", "noncoherent", "bounce".
 */
const char *rrow_variant(const struct rrow *r, char *buf, size_t len);

/* Group @d's rows, in first-seen order.  Returns the count or -1. */
long rdir_group(const struct rdir *d, int with_domain, struct rgroup **out);
void rgroups_free(struct rgroup *g, long n);

/* Does some configuration of @d appear with more than one domain type? */
int rdir_mixed_domains(const struct rdir *d);
