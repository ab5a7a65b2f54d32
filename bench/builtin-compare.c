// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * dmabench compare A B [C...]: match the configurations of results
 * directories (or run CSV files) and say, for each, whether B (C, ...) is
 * faster or slower than A, by how much, how sure we are, with the method
 * stated.  Text fits 72 columns for email; csv and json for scripts.
 *
 * Per configuration and phase, the samples are the repetitions' p50
 * latencies.  Medians of A and B, delta = (med B - med A) / med A, its
 * 95 % CI from the Hodges-Lehmann interval of log B - log A (a ratio
 * interval, so it never claims a change below -100 %), and
 * the two-sided Mann-Whitney U test (exact without ties, else normal with
 * tie correction).  Significant: p < 0.05.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"
#include "util/abstats.h"
#include "util/cli.h"
#include "util/output.h"
#include "util/parse-options.h"
#include "util/parse.h"
#include "util/runopt.h"
#include "util/resdir.h"

#define ALPHA 0.05
#define MAX_DIRS 16

static const char compare_usage[] =
	"usage: dmabench compare A B [C...] [options]\n\n"
	"A, B, ...: results directories of `dmabench sweep` (or CSV files of\n"
	"`dmabench run --format csv`).  B, C, ... are compared with A.\n\n";

struct cmp_line {
	const struct rrow *row;		/* A's */
	int cand;			/* index of B, C, ... */
	size_t na, nb;
	double ma, mb, delta, lo, hi, p;	/* delta/lo/hi in % */
	int have_ci, have_p, sig;
};

static int parse_pct(const char *s, double *out)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s || (*end && strcmp(end, "%")) || v < 0 || !isfinite(v))
		return -1;
	*out = v;
	return 0;
}

/* Metadata that must match for a fair comparison. */
static const struct {
	const char *key, *what;
	int fatal;			/* invalidates (else: a note) */
} meta_keys[] = {
	{ "board", "board", 1 },
	{ "cpu_model", "CPU model", 1 },
	{ "arch", "architecture", 1 },
	{ "platform", "platform", 1 },
	{ "cpufreq_governor", "CPU frequency governor", 1 },
	{ "placement", "thread placement", 1 },
	{ "kernel_release", "kernel", 0 },
	{ "module_version", "module version", 0 },
};

/* The IOMMU words of a kernel command line: iommu.strict=1 ... */
static void iommu_params(const char *cmdline, char *buf, size_t len)
{
	char copy[1024], *w, *save = NULL;
	size_t pos = 0;

	buf[0] = '\0';
	str_copy(copy, sizeof(copy), cmdline);
	for (w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save))
		if (!strncmp(w, "iommu", 5) || !strncmp(w, "intel_iommu", 11) ||
		    !strncmp(w, "amd_iommu", 9) ||
		    !strncmp(w, "arm-smmu", 8)) {
			int n = snprintf(buf + pos, len - pos, "%s%s",
					 pos ? " " : "", w);

			if (n < 0 || (size_t)n >= len - pos)
				break;
			pos += (size_t)n;
		}
	if (!buf[0])
		str_copy(buf, len, "(none)");
}

/* Domain types of a directory, "DMA" or "DMA, DMA-FQ". */
static void domains(const struct rdir *d, char *buf, size_t len)
{
	buf[0] = '\0';
	for (size_t i = 0; i < d->n; i++) {
		const char *dom = d->rows[i].domain;
		size_t l = strlen(dom), pos = strlen(buf);
		const char *p = buf;
		int seen = 0;

		while ((p = strstr(p, dom))) {
			if ((p == buf || p[-1] == ' ') &&
			    (p[l] == ',' || !p[l]))
				seen = 1;
			p += l;
		}
		if (!seen)
			snprintf(buf + pos, len - pos, "%s%s", pos ? ", " : "",
				 dom);
	}
}

/* Print  word-wrapped at 72 columns, continuation lines indented. */
static void wrap(FILE *f, const char *msg)
{
	size_t col = 0;

	while (*msg) {
		size_t w = strcspn(msg, " ");

		if (col && col + 1 + w > 72) {
			fputs("\n ", f);
			col = 1;
		}
		if (col)
			fputc(' ', f);
		fprintf(f, "%.*s", (int)w, msg);
		col += w + (col ? 1 : 0);
		msg += w;
		while (*msg == ' ')
			msg++;
	}
	fputc('\n', f);
}

/* One warning: a JSON array element or a wrapped text line. */
static void emit_warning(FILE *f, const char *msg, int json, int *first)
{
	if (json) {
		fputs(*first ? "\n    " : ",\n    ", f);
		output_json_string(f, msg);
		*first = 0;
	} else {
		wrap(f, msg);
	}
}

/* Print (and count) the warnings about @b's setup against @a's. */
static int setup_warnings(FILE *f, const struct rdir *a, const struct rdir *b,
			  int with_domain, int json, int *first)
{
	char va[1024], vb[1024], msg[3000];
	int n = 0;

	for (size_t k = 0; k < sizeof(meta_keys) / sizeof(meta_keys[0]);
	     k++) {
		if (rdir_meta(a, meta_keys[k].key, va, sizeof(va)) ||
		    rdir_meta(b, meta_keys[k].key, vb, sizeof(vb)) ||
		    !strcmp(va, vb))
			continue;
		snprintf(msg, sizeof(msg), "%s %s differs: %s '%s', %s '%s'",
			 meta_keys[k].fatal ? "WARNING:" : "note:",
			 meta_keys[k].what, a->label, va, b->label, vb);
		n += meta_keys[k].fatal;
		emit_warning(f, msg, json, first);
	}
	if (!rdir_meta(a, "kernel_cmdline", va, sizeof(va)) &&
	    !rdir_meta(b, "kernel_cmdline", vb, sizeof(vb))) {
		char pa[512], pb[512];

		iommu_params(va, pa, sizeof(pa));
		iommu_params(vb, pb, sizeof(pb));
		if (strcmp(pa, pb)) {
			snprintf(msg, sizeof(msg), "WARNING: IOMMU kernel "
				 "parameters differ: %s '%s', %s '%s'",
				 a->label, pa, b->label, pb);
			n++;
			emit_warning(f, msg, json, first);
		}
	}
	if (!with_domain) {
		domains(a, va, sizeof(va));
		domains(b, vb, sizeof(vb));
		if (strcmp(va, vb)) {
			snprintf(msg, sizeof(msg), "WARNING: domain type "
				 "differs: %s %s (%s), %s %s (%s); fine if "
				 "that is what is compared", a->label,
				 va, domain_strictness(va), b->label, vb,
				 domain_strictness(vb));
			n++;
			emit_warning(f, msg, json, first);
		}
	}
	return n;
}

static void compare_group(const struct rgroup *ga, const struct rgroup *gb,
			  struct cmp_line *l)
{
	struct mwu_result mw;
	double lo, hi;

	memset(l, 0, sizeof(*l));
	l->row = ga->row;
	l->na = ga->n;
	l->nb = gb->n;
	l->ma = ab_median(ga->p50, ga->n);
	l->mb = ab_median(gb->p50, gb->n);
	l->delta = l->ma > 0 ? (l->mb - l->ma) / l->ma * 100.0 : 0.0;
	if (ga->n >= 2 && gb->n >= 2 &&
	    !ab_mann_whitney(ga->p50, ga->n, gb->p50, gb->n, &mw)) {
		l->have_p = 1;
		l->p = mw.p;
		l->sig = mw.p < ALPHA;
	}
	if (ab_ratio_ci(ga->p50, ga->n, gb->p50, gb->n, 0.95, &lo, &hi) == 0) {
		l->have_ci = 1;
		l->lo = lo;
		l->hi = hi;
	}
}

static int cmp_lines(const void *x, const void *y)
{
	const struct cmp_line *a = x, *b = y;
	const struct rrow *p = a->row, *q = b->row;
	int c;

	if (a->cand != b->cand)
		return a->cand - b->cand;
	if ((c = strcmp(p->job, q->job)) || (c = strcmp(p->test, q->test)) ||
	    (c = strcmp(p->phase, q->phase)))
		return c;
	return rrow_cmp_setup(p, q);
}

static const char *size_str(uint64_t s, char *buf, size_t len)
{
	return format_size(s, buf, len);
}

static void print_text(FILE *f, struct rdir *d, int nd,
		       const struct cmp_line *l, size_t nl, double fail_above)
{
	char size[32], ci[32], p[16], lab[128];

	for (int c = 1; c < nd; c++) {
		const char *last_test = "", *last_phase = "", *last_dir = "";
		const char *last_job = "";
		const struct rrow *last = NULL;
		unsigned faster = 0, slower = 0, n = 0;
		char bname[2] = { (char)('A' + c), '\0' };

		fprintf(f, "\n%c vs A (%.16s vs %.16s): median p50 latency in ns\n", 'A' + c, d[c].label, d[0].label);
		for (size_t i = 0; i < nl; i++) {
			const struct rrow *r = l[i].row;

			if (l[i].cand != c)
				continue;
			if (strcmp(r->test, last_test) ||
			    strcmp(r->phase, last_phase) ||
			    strcmp(r->dir, last_dir) ||
			    strcmp(r->job, last_job) ||
			    !last || !rrow_same_variant(r, last)) {
				char var[64];

				if (rrow_variant(r, var, sizeof(var))[0])
					snprintf(lab, sizeof(lab), "%s %s, %s",
						 r->test, r->phase, var);
				else
					snprintf(lab, sizeof(lab),
						 "%s %s, dir %s", r->test,
						 r->phase, r->dir);
				last = r;
				fprintf(f, "\n%s%s%s%s\n", lab,
					r->job[0] && strcmp(r->job, r->test) ?
					" [" : "", r->job[0] &&
					strcmp(r->job, r->test) ? r->job : "",
					r->job[0] && strcmp(r->job, r->test) ?
					"]" : "");
				fprintf(f, "%6s %3s %7s %8s %8s %7s %15s %6s\n",
					"size", "thr", "n", "A", bname,
					"delta", "95% CI", "p");
				last_test = r->test;
				last_phase = r->phase;
				last_dir = r->dir;
				last_job = r->job;
			}
			if (l[i].have_ci)
				snprintf(ci, sizeof(ci), "[%+6.1f,%+6.1f]",
					 l[i].lo, l[i].hi);
			else
				snprintf(ci, sizeof(ci), "%15s", "n/a");
			if (l[i].have_p)
				snprintf(p, sizeof(p), "%6.3f", l[i].p);
			else
				snprintf(p, sizeof(p), "%6s", "n/a");
			fprintf(f, "%6s %3u %3zu/%-3zu %8.0f %8.0f %+6.1f%% "
				"%15s %6s%s\n",
				size_str(r->size, size, sizeof(size)),
				r->threads, l[i].na, l[i].nb, l[i].ma, l[i].mb,
				l[i].delta, ci, p, l[i].sig ? " *" : "");
			n++;
			if (l[i].sig && l[i].delta < 0)
				faster++;
			if (l[i].sig && l[i].delta > 0)
				slower++;
		}
		fprintf(f, "\n%s vs %s: %u configurations, %u faster, %u "
			"slower\n(significant at p < 0.05)", d[c].label,
			d[0].label, n, faster, slower);
		if (fail_above >= 0)
			fprintf(f, "; --fail-above %g%%", fail_above);
		fputs(".\n", f);
	}
	fputs("\ndelta = (B - A) / A of the medians; 95% CI: Hodges-Lehmann\n"
	      "interval of log B - log A, as %; p: two-sided Mann-Whitney U over\n"
	      "the repetitions' p50 (exact without ties); * = p < 0.05.\n", f);
}

static void print_csv(FILE *f, struct rdir *d, const struct cmp_line *l,
		      size_t nl)
{
	fputs("baseline,candidate,job,test,size,nents,threads,dir,phase,n_a,"
	      "n_b,median_a_ns,median_b_ns,delta_pct,ci_lo_pct,ci_hi_pct,"
	      "p_value,significant,method,scope,flush,iova_bits,live\n", f);
	for (size_t i = 0; i < nl; i++) {
		const struct rrow *r = l[i].row;

		fprintf(f, "%s,%s,%s,%s,%llu,%u,%u,%s,%s,%zu,%zu,%.1f,%.1f,"
			"%.3f,", d[0].label, d[l[i].cand].label, r->job,
			r->test, (unsigned long long)r->size, r->nents,
			r->threads, r->dir, r->phase, l[i].na, l[i].nb,
			l[i].ma, l[i].mb, l[i].delta);
		if (l[i].have_ci)
			fprintf(f, "%.3f,%.3f,", l[i].lo, l[i].hi);
		else
			fputs(",,", f);
		if (l[i].have_p)
			fprintf(f, "%.6f,", l[i].p);
		else
			fputs(",", f);
		fprintf(f, "%s,mann-whitney-u+hodges-lehmann,",
			l[i].sig ? "yes" : "no");
		if (r->scope[0] || r->flush[0])
			fprintf(f, "%s,%s,%u,%u\n", r->scope, r->flush,
				r->iova_bits, r->live);
		else
			fputs(",,,\n", f);
	}
}

static void print_json_rows(FILE *f, struct rdir *d, const struct cmp_line *l,
			    size_t nl)
{
	for (size_t i = 0; i < nl; i++) {
		const struct rrow *r = l[i].row;

		fputs(i ? ",\n    {" : "\n    {", f);
		fputs("\"baseline\": ", f);
		output_json_string(f, d[0].label);
		fputs(", \"candidate\": ", f);
		output_json_string(f, d[l[i].cand].label);
		fputs(", \"job\": ", f);
		output_json_string(f, r->job);
		fputs(", \"test\": ", f);
		output_json_string(f, r->test);
		fprintf(f, ", \"size\": %llu, \"nents\": %u, \"threads\": %u, "
			"\"dir\": \"%s\", \"phase\": ",
			(unsigned long long)r->size, r->nents, r->threads,
			r->dir);
		output_json_string(f, r->phase);
		fprintf(f, ", \"n_a\": %zu, \"n_b\": %zu, \"median_a_ns\": "
			"%.1f, \"median_b_ns\": %.1f, \"delta_pct\": %.3f",
			l[i].na, l[i].nb, l[i].ma, l[i].mb, l[i].delta);
		if (l[i].have_ci)
			fprintf(f, ", \"ci_lo_pct\": %.3f, \"ci_hi_pct\": %.3f",
				l[i].lo, l[i].hi);
		else
			fputs(", \"ci_lo_pct\": null, \"ci_hi_pct\": null", f);
		if (l[i].have_p)
			fprintf(f, ", \"p_value\": %.6f", l[i].p);
		else
			fputs(", \"p_value\": null", f);
		fprintf(f, ", \"significant\": %s", l[i].sig ? "true" :
			"false");
		if (r->scope[0] || r->flush[0]) {
			fputs(", \"scope\": ", f);
			output_json_string(f, r->scope);
			fputs(", \"flush\": ", f);
			output_json_string(f, r->flush);
			fprintf(f, ", \"iova_bits\": %u, \"live\": %u",
				r->iova_bits, r->live);
		}
		fputc('}', f);
	}
}

struct compare_opts {
	uint32_t format;		/* enum output_format */
	double fail_above;		/* percent; -1: not given */
};

static int cb_fail_above(const struct parse_opt *opt, const char *arg,
			 void *base, char *why, size_t len)
{
	if (!parse_pct(arg, (double *)((char *)base + opt->offset)))
		return 0;
	snprintf(why, len, "bad --%s '%s': a percentage, e.g. 5%%",
		 opt->long_name, arg);
	return -1;
}

static const struct parse_opt compare_options[] = {
	OPT_ENUM('f', "format", struct compare_opts, format, run_format_names,
		 "FMT", "text | csv | json (default text)"),
	OPT_CALLBACK(0, "fail-above", struct compare_opts, fail_above,
		     cb_fail_above, "P%", "exit 1 when a configuration is "
		     "slower than A\nby more than P %, significantly (p < 0.05)"),
	OPT_TEXT("\nPer configuration and phase: median p50 latency over the\n"
		 "repetitions, delta % with its 95 % confidence interval\n"
		 "(Hodges-Lehmann) and the two-sided Mann-Whitney U test.\n"),
	OPT_END(),
};

int cmd_compare(int argc, char **argv)
{
	struct compare_opts co = { .format = OUTPUT_TEXT, .fail_above = -1 };
	struct parse_ctx ctx = {
		.cmd = "compare", .usage = compare_usage, .max_args = INT_MAX,
	};
	enum output_format fmt;
	struct rdir d[MAX_DIRS];
	struct rgroup *g[MAX_DIRS] = { 0 };
	long ng[MAX_DIRS] = { 0 };
	struct cmp_line *lines = NULL;
	size_t nl = 0;
	double fail_above;
	int nd = 0, c, with_domain = 0, ret = EXIT_FAIL, nwarn = 0, first = 1;
	unsigned regressions = 0;
	char err[1200];

	c = parse_options(&ctx, argc, argv, compare_options, &co);
	if (c)
		return c < 0 ? EXIT_OK : c;
	fmt = co.format;
	fail_above = co.fail_above;
	if (ctx.nargs < 2)
		return usage_error("compare", "need at least two results "
				   "directories (A B)");
	if (ctx.nargs > MAX_DIRS)
		return usage_error("compare", "at most %d results directories",
				   MAX_DIRS);
	for (int i = 0; i < ctx.nargs; i++, nd++)
		if (rdir_load(ctx.args[i], &d[nd], err, sizeof(err))) {
			fail("compare: %s", err);
			goto out;
		}
	for (int i = 0; i < nd; i++)
		with_domain |= rdir_mixed_domains(&d[i]);
	for (int i = 0; i < nd; i++) {
		ng[i] = rdir_group(&d[i], with_domain, &g[i]);
		if (ng[i] < 0) {
			fail("out of memory");
			goto out;
		}
	}
	lines = calloc((size_t)ng[0] * (size_t)(nd - 1) + 1, sizeof(*lines));
	if (!lines) {
		fail("out of memory");
		goto out;
	}
	for (int cand = 1; cand < nd; cand++)
		for (long a = 0; a < ng[0]; a++)
			for (long b = 0; b < ng[cand]; b++) {
				if (!rrow_same_config(g[0][a].row,
						      g[cand][b].row,
						      with_domain))
					continue;
				compare_group(&g[0][a], &g[cand][b],
					      &lines[nl]);
				lines[nl].cand = cand;
				if (fail_above >= 0 && lines[nl].sig &&
				    lines[nl].delta > fail_above)
					regressions++;
				nl++;
				break;
			}

	qsort(lines, nl, sizeof(*lines), cmp_lines);
	if (fmt == OUTPUT_JSON) {
		fputs("{\n  \"method\": {\"statistic\": \"median of the "
		      "repetitions' p50 latency (ns)\", \"ci\": "
		      "\"Hodges-Lehmann 95%\", \"test\": \"Mann-Whitney U, "
		      "two-sided\", \"alpha\": 0.05},\n  \"warnings\": [", stdout);
		for (int i = 1; i < nd; i++)
			nwarn += setup_warnings(stdout, &d[0], &d[i],
						with_domain, 1, &first);
		fputs(first ? "],\n  \"rows\": [" : "\n  ],\n  \"rows\": [",
		      stdout);
		print_json_rows(stdout, d, lines, nl);
		printf("%s],\n  \"regressions\": %u\n}\n", nl ? "\n  " : "",
		       regressions);
	} else if (fmt == OUTPUT_CSV) {
		for (int i = 1; i < nd; i++)
			nwarn += setup_warnings(stderr, &d[0], &d[i],
						with_domain, 0, &first);
		print_csv(stdout, d, lines, nl);
	} else {
		char plat[64];

		printf("dmabench compare, baseline %s\n", d[0].label);
		for (int i = 0; i < nd; i++) {
			char k[128], dom[128];

			if (rdir_meta(&d[i], "kernel_release", k, sizeof(k)))
				str_copy(k, sizeof(k), "?");
			domains(&d[i], dom, sizeof(dom));
			printf("  %c = %-14.14s kernel %.20s, %s (%s)\n",
			       'A' + i, d[i].label, k, dom,
			       domain_strictness(dom));
			printf("      in %.62s\n", d[i].path);
		}
		for (int i = 0; i < nd; i++) {
			str_copy(plat, sizeof(plat), d[i].n ?
				 d[i].rows[0].platform : "");
			if (plat[0] && strcmp(plat, PLATFORM_NATIVE)) {
				printf("NOTE: %s: emulation timings, the ratios "
				       "are what counts.\n", plat);
				break;
			}
		}
		for (int i = 1; i < nd; i++)
			nwarn += setup_warnings(stdout, &d[0], &d[i],
						with_domain, 0, &first);
		print_text(stdout, d, nd, lines, nl, fail_above);
	}
	if (!nl)
		fprintf(stderr, "dmabench compare: no configuration of %s is "
			"in the others (same job file? same tests?)\n",
			d[0].label);
	ret = EXIT_OK;
	if (regressions) {
		fprintf(stderr, "dmabench compare: %u configuration%s slower "
			"than %s by more than %g%% (p < 0.05)\n", regressions,
			regressions == 1 ? "" : "s", d[0].label, fail_above);
		ret = EXIT_FAIL;
	}
	(void)nwarn;
out:
	free(lines);
	for (int i = 0; i < nd; i++) {
		rgroups_free(g[i], ng[i]);
		rdir_free(&d[i]);
	}
	return ret;
}
