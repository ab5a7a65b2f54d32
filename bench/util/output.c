// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Render result rows as an 80-column text table, CSV or JSON. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <string.h>

#include "util/output.h"
#include "util/parse.h"

int output_parse_format(const char *s, enum output_format *fmt)
{
	if (!strcmp(s, "text"))
		*fmt = OUTPUT_TEXT;
	else if (!strcmp(s, "csv"))
		*fmt = OUTPUT_CSV;
	else if (!strcmp(s, "json"))
		*fmt = OUTPUT_JSON;
	else
		return -1;
	return 0;
}

const char *output_status_name(uint32_t status)
{
	switch (status) {
	case DMABENCH_STATUS_DONE:		return "done";
	case DMABENCH_STATUS_INTERRUPTED:	return "interrupted";
	case DMABENCH_STATUS_DEVICE_GONE:	return "device-gone";
	}
	return "unknown";
}

const char *const output_csv_columns[] = {
	"test", "device", "dma_ops", "domain_type", "size", "nents",
	"threads", "dir", "phase", "ops", "mean_ns", "stddev_ns", "p50_ns",
	"p90_ns", "p99_ns", "p999_ns", "max_ns", "ops_per_sec",
	/* extra columns: append only, scripts index the ones above */
	"min_ns", "errors", "status", "elapsed_ns", "timer_overhead_ns",
	"platform",
	/* IOMMU tests; empty for the others */
	"scope", "flush", "devices", "domains", "instances", "iova_bits",
	"live", "slow_allocs", "inval_per_buf_ns",
	/* DMA-API tests; empty where they do not apply */
	"seg_size", "layout", "dma_segs_min", "dma_segs_max", "attrs",
	"coherency", "coherent", "bounced", "thread_ops_per_sec_min",
	"thread_ops_per_sec_max",
	NULL
};

#define NFIXED \
	(sizeof(output_csv_columns) / sizeof(output_csv_columns[0]) - 1)
#define NIOMMU 9	/* scope .. inval_per_buf_ns */
#define NCOLUMNS (NFIXED + OUTPUT_MAX_EXTRA)
#define FIELD_LEN 96

static unsigned n_extra;
static const char *const *extra_names;
static int extra_is_str[OUTPUT_MAX_EXTRA];

void output_set_extra(unsigned n, const char *const *names,
		      const int *is_str)
{
	if (n > OUTPUT_MAX_EXTRA)
		n = OUTPUT_MAX_EXTRA;
	n_extra = n;
	extra_names = names;
	for (unsigned i = 0; i < n; i++)
		extra_is_str[i] = is_str ? is_str[i] : 0;
}

static unsigned ncolumns(void)
{
	return (unsigned)NFIXED + n_extra;
}

static const char *column_name(unsigned i)
{
	return i < NFIXED ? output_csv_columns[i] : extra_names[i - NFIXED];
}

/*
 * Format every column of @row as text, in output_csv_columns order; CSV
 * and JSON both use this so they can never disagree.  is_str[i] tells
 * JSON which values need quotes.
 */
static void row_fields(const struct result_row *r, char val[][FIELD_LEN],
		       int *is_str)
{
	unsigned i = 0;

#define STR(v) do {						\
		str_copy(val[i], FIELD_LEN, v);				\
		is_str[i++] = 1;					\
	} while (0)
#define U64(v) do {						\
		snprintf(val[i], FIELD_LEN, "%llu",			\
			 (unsigned long long)(v));			\
		is_str[i++] = 0;					\
	} while (0)
#define DBL(v, p) do {						\
		snprintf(val[i], FIELD_LEN, "%.*f", p, v);		\
		is_str[i++] = 0;					\
	} while (0)
	STR(r->test);
	STR(r->device);
	STR(r->dma_ops);
	STR(r->domain_type);
	U64(r->size);
	U64(r->nents);
	U64(r->threads);
	STR(r->dir);
	STR(r->phase);
	U64(r->st.ops);
	DBL(r->st.mean_ns, 1);
	DBL(r->st.stddev_ns, 1);
	U64(r->st.p50_ns);
	U64(r->st.p90_ns);
	U64(r->st.p99_ns);
	U64(r->st.p999_ns);
	U64(r->st.max_ns);
	DBL(r->st.ops_per_sec, 1);
	U64(r->st.min_ns);
	U64(r->errors);
	STR(r->status);
	U64(r->elapsed_ns);
	DBL(r->timer_overhead_ns, 3);
	STR(r->platform);
	if (r->iommu) {
		STR(r->scope);
		STR(r->flush);
		U64(r->ndevices);
		U64(r->ndomains);
		U64(r->ninstances);
		U64(r->iova_bits);
		U64(r->live);
		U64(r->slow_allocs);
		DBL(r->inval_per_buf_ns, 1);
	} else {
		for (unsigned k = 0; k < NIOMMU; k++) {
			val[i][0] = '\0';
			is_str[i] = k < 2;
			i++;
		}
	}
#define NONE(str) do {						\
		val[i][0] = '\0';					\
		is_str[i++] = str;					\
	} while (0)
	if (r->sg) {
		U64(r->seg_size);
		STR(r->layout);
		U64(r->dma_segs_min);
		U64(r->dma_segs_max);
	} else {
		NONE(0);
		NONE(1);
		NONE(0);
		NONE(0);
	}
	STR(r->attrs);
	STR(r->coherency);
	STR(r->coherent);
	if (r->has_bounced)
		U64(r->bounced);
	else
		NONE(0);
	if (r->nthread_rates) {
		DBL(r->thread_rate_min, 1);
		DBL(r->thread_rate_max, 1);
	} else {
		NONE(0);
		NONE(0);
	}
#undef NONE
	for (unsigned e = 0; e < n_extra; e++) {
		str_copy(val[i], FIELD_LEN, r->extra[e]);
		is_str[i++] = extra_is_str[e];
	}
#undef STR
#undef U64
#undef DBL
}

/* RFC 4180: quote a field holding a comma, quote or line break. */
static void csv_field(FILE *f, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

void output_csv_header(FILE *f)
{
	for (unsigned i = 0; i < ncolumns(); i++)
		fprintf(f, "%s%s", i ? "," : "", column_name(i));
	fputc('\n', f);
}

void output_csv_row(FILE *f, const struct result_row *row)
{
	char val[NCOLUMNS][FIELD_LEN];
	int is_str[NCOLUMNS];

	row_fields(row, val, is_str);
	for (unsigned i = 0; i < ncolumns(); i++) {
		if (i)
			fputc(',', f);
		csv_field(f, val[i]);
	}
	fputc('\n', f);
}

void output_json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		switch (c) {
		case '"':  fputs("\\\"", f); break;
		case '\\': fputs("\\\\", f); break;
		case '\n': fputs("\\n", f); break;
		case '\r': fputs("\\r", f); break;
		case '\t': fputs("\\t", f); break;
		case '\b': fputs("\\b", f); break;
		case '\f': fputs("\\f", f); break;
		default:
			if (c < 0x20 || c == 0x7f)
				fprintf(f, "\\u%04x", c);
			else
				fputc(c, f);	/* UTF-8 passes through */
		}
	}
	fputc('"', f);
}

static void json_key_str(FILE *f, const char *key, const char *val, int last)
{
	fprintf(f, "    \"%s\": ", key);
	output_json_string(f, val);
	fputs(last ? "\n" : ",\n", f);
}

void output_json_meta_fields(FILE *f, const struct run_meta *m, int last)
{
	json_key_str(f, "dmabench_version", m->version, 0);
	json_key_str(f, "module_version", m->module_version, 0);
	json_key_str(f, "kernel_release", m->kernel_release, 0);
	json_key_str(f, "kernel_version", m->kernel_version, 0);
	json_key_str(f, "kernel_cmdline", m->cmdline ? m->cmdline : "", 0);
	json_key_str(f, "arch", m->arch, 0);
	json_key_str(f, "cpu_model", m->cpu_model, 0);
	json_key_str(f, "board", m->board, 0);
	fputs("    \"iommu_drivers\": [", f);
	for (unsigned i = 0; i < m->n_iommu_drivers; i++) {
		if (i)
			fputs(", ", f);
		output_json_string(f, m->iommu_drivers[i]);
	}
	fputs("],\n", f);
	fprintf(f, "    \"timer_overhead_ns\": %.3f,\n", m->timer_overhead_ns);
	json_key_str(f, "date", m->date, 0);
	json_key_str(f, "placement", m->placement, 0);
	json_key_str(f, "platform", m->platform, 0);
	json_key_str(f, "command", m->command ? m->command : "", last);
}

void output_json(FILE *f, const struct run_meta *m,
		 const struct result_row *rows, size_t n)
{
	char val[NCOLUMNS][FIELD_LEN];
	int is_str[NCOLUMNS];

	fputs("{\n  \"metadata\": {\n", f);
	output_json_meta_fields(f, m, 1);
	fputs("  },\n  \"rows\": [", f);
	for (size_t r = 0; r < n; r++) {
		row_fields(&rows[r], val, is_str);
		fputs(r ? ",\n    {" : "\n    {", f);
		for (unsigned i = 0; i < ncolumns(); i++) {
			fprintf(f, "%s\"%s\": ", i ? ", " : "",
				column_name(i));
			if (is_str[i])
				output_json_string(f, val[i]);
			else
				fputs(val[i][0] ? val[i] : "null", f);
		}
		fputs(", \"thread_ops_per_sec\": [", f);
		for (uint32_t t = 0; t < rows[r].nthread_rates; t++)
			fprintf(f, "%s%.1f", t ? ", " : "",
				rows[r].thread_rate[t]);
		fputs("]}", f);
	}
	fputs(n ? "\n  ]\n}\n" : "]\n}\n", f);
}

/* The DMA-API settings and results of a configuration, when they apply. */
static void text_dma_lines(FILE *f, const struct result_row *row)
{
	char seg[32];

	if (row->sg)
		fprintf(f, "  %u x %s %s, DMA segments: %u..%u\n", row->nents,
			format_size(row->seg_size, seg, sizeof(seg)),
			row->layout, row->dma_segs_min, row->dma_segs_max);
	if (row->attrs[0])
		fprintf(f, "  attrs %s\n", row->attrs);
	if (row->coherency[0] && strcmp(row->coherency, "device"))
		fprintf(f, "  coherency %s (device coherent during the run: "
			"%s)\n", row->coherency,
			row->coherent[0] ? row->coherent : "?");
	if (row->has_bounced) {
		fprintf(f, "  bounced %llu of %llu mappings\n",
			(unsigned long long)row->bounced,
			(unsigned long long)row->st.ops);
		if (!row->bounced && row->st.ops)
			fputs("  warning: no mapping bounced: the buffers lie "
			      "below the DMA mask; boot with swiotlb=force\n",
			      f);
	}
	if (row->nthread_rates > 1)
		fprintf(f, "  per thread: %.0f .. %.0f ops/s (%u threads)\n",
			row->thread_rate_min, row->thread_rate_max,
			row->nthread_rates);
}

/*
 * Text: one line per configuration, then one line per phase.  The phase
 * lines are 79 columns wide with typical numbers (latencies < 10 ms); the
 * long phase names of the IOMMU tests (iova_alloc, invalidate) take their
 * room from the ops, mean, max and ops/s columns.
 */
void output_text(FILE *f, const struct run_meta *m,
		 const struct result_row *rows, size_t n)
{
	char size[32];
	int pw = 6;		/* phase column: the longest name */
	int wo, wm, wx, wr;	/* ops, mean, max, ops/s columns */

	for (size_t r = 0; r < n; r++) {
		int l = (int)strnlen(rows[r].phase, sizeof(rows[r].phase));

		if (l > pw)
			pw = l;
	}
	wo = pw > 6 ? 8 : 9;
	wm = pw > 7 ? 7 : 8;
	wx = pw > 8 ? 7 : 8;
	wr = pw > 9 ? 9 : 10;
	if (strcmp(m->platform, PLATFORM_NATIVE))
		fprintf(f, "NOTE: %s platform: these are emulation timings;\n"
			"NOTE: compare configurations within one run, not as "
			"hardware numbers.\n", m->platform);
	fprintf(f, "dmabench %s, kernel %s %s, placement %s\n", m->version,
		m->kernel_release, m->arch, m->placement);
	for (size_t r = 0; r < n; r++) {
		const struct result_row *row = &rows[r];
		const struct phase_stats *st = &row->st;

		if ((r == 0 || rows[r - 1].config != row->config) &&
		    row->iommu) {
			fprintf(f, "\n%s on %s (%u device%s, %u domain%s, %u "
				"IOMMU instance%s):\n  %s, flush %s, "
				"size %s, threads %u, iova %u bits, "
				"live %u\n", row->test, row->device,
				row->ndevices, row->ndevices == 1 ? "" : "s",
				row->ndomains, row->ndomains == 1 ? "" : "s",
				row->ninstances,
				row->ninstances == 1 ? "" : "s", row->scope,
				row->flush,
				format_size(row->size, size, sizeof(size)),
				row->threads, row->iova_bits, row->live);
			fprintf(f, "  invalidation %.1f ns per buffer, %llu "
				"slow iova_alloc (rcache misses)\n",
				row->inval_per_buf_ns,
				(unsigned long long)row->slow_allocs);
		} else if (r == 0 || rows[r - 1].config != row->config) {
			fprintf(f, "\n%s on %s (%s, %s): size %s, threads %u, "
				"dir %s\n", row->test, row->device,
				row->dma_ops, row->domain_type,
				format_size(row->size, size, sizeof(size)),
				row->threads, row->dir);
		}
		if (r == 0 || rows[r - 1].config != row->config) {
			fprintf(f, "  %.3f s, status %s, errors %llu, timer "
				"overhead %.1f ns\n", row->elapsed_ns / 1e9,
				row->status, (unsigned long long)row->errors,
				row->timer_overhead_ns);
			text_dma_lines(f, row);
			fprintf(f, "%-*s %*s %*s %7s %7s %7s %7s %*s %*s\n",
				pw, "phase", wo, "ops", wm, "mean", "p50",
				"p90", "p99", "p99.9", wx, "max", wr,
				"ops/s");
		}
		fprintf(f, "%-*s %*llu %*.1f %7llu %7llu %7llu %7llu %*llu "
			"%*.0f\n", pw, row->phase, wo,
			(unsigned long long)st->ops, wm, st->mean_ns,
			(unsigned long long)st->p50_ns,
			(unsigned long long)st->p90_ns,
			(unsigned long long)st->p99_ns,
			(unsigned long long)st->p999_ns, wx,
			(unsigned long long)st->max_ns, wr, st->ops_per_sec);
	}
	if (n)
		fputs("(latencies in ns)\n", f);
}

int output_write(FILE *f, enum output_format fmt, const struct run_meta *meta,
		 const struct result_row *rows, size_t n)
{
	switch (fmt) {
	case OUTPUT_TEXT:
		output_text(f, meta, rows, n);
		break;
	case OUTPUT_CSV:
		output_csv_header(f);
		for (size_t i = 0; i < n; i++)
			output_csv_row(f, &rows[i]);
		break;
	case OUTPUT_JSON:
		output_json(f, meta, rows, n);
		break;
	}
	if (fflush(f) || ferror(f)) {
		if (!errno)
			errno = EIO;
		return -1;
	}
	return 0;
}
