// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Render result rows as an 80-column text table, CSV or JSON. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <string.h>

#include "util/ktap.h"
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
	else if (!strcmp(s, "ktap"))
		*fmt = OUTPUT_KTAP;
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

static unsigned n_extra;
static const char *const *extra_names;
static int extra_is_str[OUTPUT_MAX_EXTRA];
static int sweep_columns;

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

void output_set_sweep(int on)
{
	sweep_columns = on;
}

/* Is column @c in the results.csv / JSON rows written now? */
static int result_column(const struct column *c)
{
	return (c->files & FILES_R) &&
	       (c->shown != SHOWN_SWEEP || sweep_columns);
}

/* Up to @width digits in ns, wider in ms (a 7-digit cell: 9999999 ns). */
void output_ns_cell(double ns, unsigned width, char *buf, size_t len)
{
	double fits = 1.0;

	while (width--)
		fits *= 10.0;
	if (ns >= fits - 0.5)
		snprintf(buf, len, "%.0fms", ns / 1e6);
	else
		snprintf(buf, len, "%.0f", ns);
}

/* RFC 4180: quote a field holding a comma, quote or line break. */
void output_csv_field(FILE *f, const char *s)
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

/* @row's value in @c for CSV: "" where the row has none. */
static const char *csv_value(const struct column *c,
			     const struct result_row *row, char *buf)
{
	if (!col_has_value(c, row)) {
		buf[0] = '\0';
		return buf;
	}
	return col_format(c, row, buf);
}

void output_csv_header(FILE *f)
{
	const char *sep = "";

	for (unsigned i = 0; i < NCOLS; i++)
		if (result_column(&result_columns[i])) {
			fprintf(f, "%s%s", sep, result_columns[i].name);
			sep = ",";
		}
	for (unsigned e = 0; e < n_extra; e++)
		fprintf(f, ",%s", extra_names[e]);
	fputc('\n', f);
}

void output_csv_row(FILE *f, const struct result_row *row)
{
	char buf[COL_TEXT_LEN];
	int first = 1;

	for (unsigned i = 0; i < NCOLS; i++) {
		const struct column *c = &result_columns[i];

		if (!result_column(c))
			continue;
		if (!first)
			fputc(',', f);
		first = 0;
		output_csv_field(f, csv_value(c, row, buf));
	}
	for (unsigned e = 0; e < n_extra; e++) {
		fputc(',', f);
		output_csv_field(f, row->extra[e]);
	}
	fputc('\n', f);
}

/*
 * hist.csv: job, then the other columns it carries in table order; the
 * row's hist_lower and hist_count are the bucket.
 */
static void hist_line(FILE *f, const struct result_row *row, int header)
{
	const struct column *job = &result_columns[COL_JOB];
	char buf[COL_TEXT_LEN];

	output_csv_field(f, header ? job->name : col_format(job, row, buf));
	for (unsigned i = 0; i < NCOLS; i++) {
		const struct column *c = &result_columns[i];

		if (!(c->files & FILES_H) || c == job)
			continue;
		fputc(',', f);
		output_csv_field(f, header ? c->name : csv_value(c, row, buf));
	}
	fputc('\n', f);
}

void output_hist_header(FILE *f)
{
	hist_line(f, NULL, 1);
}

void output_hist_row(FILE *f, const struct result_row *row)
{
	hist_line(f, row, 0);
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
	fprintf(f, "    \"online_cpus\": %u,\n", m->online_cpus);
	json_key_str(f, "platform", m->platform, 0);
	json_key_str(f, "command", m->command ? m->command : "", last);
}

void output_json(FILE *f, const struct run_meta *m,
		 const struct result_row *rows, size_t n)
{
	char buf[COL_TEXT_LEN];

	fputs("{\n  \"metadata\": {\n", f);
	output_json_meta_fields(f, m, 1);
	fputs("  },\n  \"rows\": [", f);
	for (size_t r = 0; r < n; r++) {
		const char *sep = "";

		fputs(r ? ",\n    {" : "\n    {", f);
		for (unsigned i = 0; i < NCOLS; i++) {
			const struct column *c = &result_columns[i];
			const char *v = csv_value(c, &rows[r], buf);

			if (!result_column(c))
				continue;
			fprintf(f, "%s\"%s\": ", sep, c->name);
			sep = ", ";
			if (c->type == CT_STR || c->type == CT_FLAG)
				output_json_string(f, v);
			else
				fputs(v[0] ? v : "null", f);
		}
		for (unsigned e = 0; e < n_extra; e++) {
			fprintf(f, ", \"%s\": ", extra_names[e]);
			if (extra_is_str[e])
				output_json_string(f, rows[r].extra[e]);
			else
				fputs(rows[r].extra[e][0] ? rows[r].extra[e] :
				      "null", f);
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
	if (row->align)
		fprintf(f, "  buffer offset %u bytes within its page "
			"(--align)\n", row->align);
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

/* How the run timed its ops; rows without timing (version 1 files): none. */
static void text_timing_line(FILE *f, const struct result_row *row)
{
	if (!row->timing[0])
		return;
	if (strcmp(row->timing, "op"))
		fprintf(f, "  timing=%s: each sample is the mean of a batch of "
			"%s ops timed together\n", row->timing,
			row->timing + 6);
	else
		fputs("  timing=op: every op timed on its own\n", f);
	fprintf(f, "  clock=%s: %.1f ns a read, resolution %.1f ns; "
		"warm-up %llu ops\n", row->clock, row->timer_overhead_ns,
		row->clock_res_ns, (unsigned long long)row->warmup_ops);
}

/*
 * What lowers the clock's share of a row: a larger batch; for iommu_map's
 * invalidate nothing (one sample per IOTLB sync), for its unmap and
 * iova_free also more buffers per flush (their batches never span one).
 */
static const char *timing_remedy(const struct result_row *row)
{
	int op = !strcmp(row->timing, "op");

	if (row->iommu && !strcmp(row->phase, "invalidate"))
		return "every IOTLB sync is timed on its own";
	if (row->iommu && (!strcmp(row->phase, "unmap") ||
			   !strcmp(row->phase, "iova_free")))
		return op ? "drop --batch 1 and flush several buffers at once "
			    "(--flush batch:N or all:N)" :
			    "use a larger --batch and more buffers per flush";
	return op ? "drop --batch 1 or use --batch N" : "use a larger --batch";
}

/* The clock's share above OUTPUT_CLOCK_SHARE_WARN %, and drift. */
static void text_timing_warnings(FILE *f, const struct result_row *row)
{
	if (row->clock_share > OUTPUT_CLOCK_SHARE_WARN)
		fprintf(f, "  warning: the clock is %.1f %% of a timed %s "
			"(%s): %s\n", row->clock_share, row->phase,
			row->timing, timing_remedy(row));
	if (row->drifted)
		fprintf(f, "  warning: %s drifted %+.1f %% from the first half "
			"of the run to the second (beyond its own noise): "
			"warm up longer (--warmup) or look for interference\n",
			row->phase, row->drift_pct);
}

/* The shape of a configuration (depth, hold, pairs, footprint, mix). */
static void text_shape_lines(FILE *f, const struct result_row *row)
{
	char fp[32], held[32];

	if (row->aging)
		fprintf(f, "  interval from %.1f s\n", row->time_s);
	if (!row->shape)
		return;
	fprintf(f, "  shape: depth %u (%s)%s%s%s%s\n", row->depth, row->order,
		row->hold[0] ? ", hold " : "", row->hold,
		row->pairs[0] ? ", pairs " : "", row->pairs);
	if (row->footprint)
		fprintf(f, "  footprint %s kept mapped (%s held)\n",
			format_size(row->footprint, fp, sizeof(fp)),
			format_size(row->footprint_mapped, held,
				    sizeof(held)));
	if (row->size_mix[0])
		fprintf(f, "  size mix %s\n", row->size_mix);
	if (row->has_queue)
		fprintf(f, "  queue delay (map to unmapper) min %llu, mean "
			"%.1f, max %llu ns; ops/s of the first phase are the "
			"mappers', of the last the unmappers'\n",
			(unsigned long long)row->queue_min_ns,
			row->queue_mean_ns,
			(unsigned long long)row->queue_max_ns);
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
	fprintf(f, "dmabench %s, kernel %s %s, placement %s, %u online "
		"CPUs\n", m->version, m->kernel_release, m->arch, m->placement,
		m->online_cpus);
	for (size_t r = 0; r < n; r++) {
		const struct result_row *row = &rows[r];
		const struct phase_stats *st = &row->st;
		/* a configuration, or an --interval of one */
		int head = r == 0 || rows[r - 1].config != row->config ||
			   rows[r - 1].interval != row->interval;

		if (head && row->iommu) {
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
		} else if (head) {
			fprintf(f, "\n%s on %s (%s, %s): size %s, threads %u, "
				"dir %s\n", row->test, row->device,
				row->dma_ops, row->domain_type,
				row->size_mix[0] ? "mixed" :
				format_size(row->size, size, sizeof(size)),
				row->threads, row->dir);
		}
		if (head) {
			fprintf(f, "  %.3f s, status %s, errors %llu, timer "
				"overhead %.1f ns\n", row->elapsed_ns / 1e9,
				row->status, (unsigned long long)row->errors,
				row->timer_overhead_ns);
			text_timing_line(f, row);
			text_dma_lines(f, row);
			text_shape_lines(f, row);
			fprintf(f, "%-*s %*s %*s %7s %7s %7s %7s %*s %*s\n",
				pw, "phase", wo, "ops", wm, "mean", "p50",
				"p90", "p99", "p99.9", wx, "max", wr,
				"ops/s");
		}
		if (row->size_class[0] &&
		    (head ||
		     strcmp(rows[r - 1].size_class, row->size_class)))
			fprintf(f, "  size class %s:\n", row->size_class);
		fprintf(f, "%-*s %*llu %*.1f %7llu %7llu %7llu %7llu %*llu "
			"%*.0f\n", pw, row->phase, wo,
			(unsigned long long)st->ops, wm, st->mean_ns,
			(unsigned long long)st->p50_ns,
			(unsigned long long)st->p90_ns,
			(unsigned long long)st->p99_ns,
			(unsigned long long)st->p999_ns, wx,
			(unsigned long long)st->max_ns, wr, st->ops_per_sec);
		text_timing_warnings(f, row);
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
	case OUTPUT_KTAP:
		output_ktap(f, "dmabench", meta, rows, n, NULL, 0);
		break;
	}
	if (fflush(f) || ferror(f)) {
		if (!errno)
			errno = EIO;
		return -1;
	}
	return 0;
}
