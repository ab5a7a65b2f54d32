/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Result rows and their text, CSV and JSON renderings. */
#ifndef DMABENCH_UTIL_OUTPUT_H
#define DMABENCH_UTIL_OUTPUT_H

#include <stdio.h>
#include <stdint.h>

#include "dmabench_abi.h"
#include "util/meta.h"
#include "util/columns.h"
#include "util/stats.h"

enum output_format {
	OUTPUT_TEXT,
	OUTPUT_CSV,
	OUTPUT_JSON,
	OUTPUT_KTAP,		/* util/ktap.h */
};

/* "text" | "csv" | "json" | "ktap"; returns 0 or -1 for anything else. */
int output_parse_format(const char *s, enum output_format *fmt);

/*
 * Extra columns after the table's (util/columns.h) (--perf: rates per
 * operation).  The names stay referenced, not copied; n = 0 turns them
 * off.  Values come from result_row.extra; is_str says whether JSON
 * quotes them.
 */
void output_set_extra(unsigned n, const char *const *names,
		      const int *is_str);

/* Sweep: write the job and rep columns (result_row.job, .rep) too. */
void output_set_sweep(int on);

/* "done", "interrupted", "device-gone" or "unknown" */
const char *output_status_name(uint32_t status);

/* Platform strings other than this are emulation numbers. */
#define PLATFORM_NATIVE "native"
/* text output warns when the clock is above this % of a timed unit */
#define OUTPUT_CLOCK_SHARE_WARN	5.0

void output_json_string(FILE *f, const char *s);
/* The metadata as "    \"key\": value,\n" lines; no comma after the last if . */
void output_json_meta_fields(FILE *f, const struct run_meta *m, int last);
/* One CSV field, quoted (RFC 4180) when it holds a comma, quote or newline. */
void output_csv_field(FILE *f, const char *s);
/*
 * A latency for a text table column of @width characters: "1234" in ns,
 * "35ms" once the ns no longer fit.
 */
void output_ns_cell(double ns, unsigned width, char *buf, size_t len);
void output_csv_header(FILE *f);
void output_csv_row(FILE *f, const struct result_row *row);
/* hist.csv: the header, and one line: @row with hist_lower, hist_count. */
void output_hist_header(FILE *f);
void output_hist_row(FILE *f, const struct result_row *row);
void output_json(FILE *f, const struct run_meta *meta,
		 const struct result_row *rows, size_t n);
void output_text(FILE *f, const struct run_meta *meta,
		 const struct result_row *rows, size_t n);

/* Dispatch on @fmt.  Returns 0, or -1 if writing failed (errno set). */
int output_write(FILE *f, enum output_format fmt, const struct run_meta *meta,
		 const struct result_row *rows, size_t n);

#endif /* DMABENCH_UTIL_OUTPUT_H */
