/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Result rows and their text, CSV and JSON renderings. */
#ifndef DMABENCH_UTIL_OUTPUT_H
#define DMABENCH_UTIL_OUTPUT_H

#include <stdio.h>
#include <stdint.h>

#include "dmabench_abi.h"
#include "util/meta.h"
#include "util/stats.h"

enum output_format {
	OUTPUT_TEXT,
	OUTPUT_CSV,
	OUTPUT_JSON,
};

/* "text" | "csv" | "json"; returns 0 or -1 for anything else. */
int output_parse_format(const char *s, enum output_format *fmt);

/*
 * Extra columns after the fixed ones (sweep: job, rep; --perf: rates per
 * operation).  The names stay referenced, not copied; n = 0 turns them off.
 * Values come from result_row.extra; is_str says whether JSON quotes them.
 */
#define OUTPUT_MAX_EXTRA 16
void output_set_extra(unsigned n, const char *const *names,
		      const int *is_str);

/* One (configuration, phase) pair: a CSV line or a JSON "rows" entry. */
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
	/* per-thread ops / elapsed; nthread_rates 0: not reported */
	uint32_t nthread_rates;
	double thread_rate_min, thread_rate_max;
	double thread_rate[DMABENCH_MAX_THREADS];
	/* extra columns (output_set_extra), preformatted: sweep, --perf */
	char extra[OUTPUT_MAX_EXTRA][32];
};

/* The CSV columns in order; the first 18 are a fixed contract. */
extern const char *const output_csv_columns[];

/* "done", "interrupted", "device-gone" or "unknown" */
const char *output_status_name(uint32_t status);

/* Platform strings other than this are emulation numbers. */
#define PLATFORM_NATIVE "native"

void output_json_string(FILE *f, const char *s);
/* The metadata as "    \"key\": value,\n" lines; no comma after the last if . */
void output_json_meta_fields(FILE *f, const struct run_meta *m, int last);
void output_csv_header(FILE *f);
void output_csv_row(FILE *f, const struct result_row *row);
void output_json(FILE *f, const struct run_meta *meta,
		 const struct result_row *rows, size_t n);
void output_text(FILE *f, const struct run_meta *meta,
		 const struct result_row *rows, size_t n);

/* Dispatch on @fmt.  Returns 0, or -1 if writing failed (errno set). */
int output_write(FILE *f, enum output_format fmt, const struct run_meta *meta,
		 const struct result_row *rows, size_t n);

#endif /* DMABENCH_UTIL_OUTPUT_H */
