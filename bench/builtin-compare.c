// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * dmabench compare A B [C...]: match the configurations of results
 * directories (or run CSV files) and say, for each, whether B (C, ...) is
 * faster or slower than A, by how much, how sure we are, with the method
 * stated.  Text fits 72 columns for email; csv and json for scripts.
 *
 * Per configuration and phase, the samples are the repetitions' p50
 * latencies (--stat: p90, p99, mean too; --ignore pairs configurations
 * that differ only in the columns named).  Medians of A and B, delta =
 * (med B - med A) / med A, its 95 % CI from the Hodges-Lehmann interval
 * of log B - log A (a ratio interval, so it never claims a change below
 * -100 %), and the two-sided Mann-Whitney U test (exact without ties,
 * else normal with tie correction).  Significant: Benjamini-Hochberg
 * q < alpha (0.05) over the rows of each candidate, so that 20 rows at
 * p < 0.05 do not flag one by chance (--correction none: p < alpha per row).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <limits.h>
#include <math.h>
#include <stdbool.h>
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

#define MAX_DIRS 16

static const char compare_usage[] =
	"usage: dmabench compare A B [C...] [options]\n\n"
	"A, B, ...: results directories of `dmabench sweep` (or CSV files of\n"
	"`dmabench run --format csv`).  B, C, ... are compared with A.\n\n";

struct cmp_line {
	const struct result_row *row;	/* A's */
	const struct result_row *rowb;	/* the candidate's (differs from row
					   only in --ignore's columns) */
	int cand;			/* index of B, C, ... */
	int stat;			/* enum cmp_stat */
	size_t na, nb;
	double ma, mb, delta, lo, hi, p;	/* delta/lo/hi in % */
	double q;			/* p after the correction (BH) */
	int have_ci, have_p, sig;
};

/* The directories compared, their groups and the matched lines. */
struct cmp_run {
	struct rdir d[MAX_DIRS];
	struct rgroup *g[MAX_DIRS];
	long ng[MAX_DIRS];
	int nd, with_domain;
	struct cmp_line *lines;
	size_t nl;
	double fail_above;		/* < 0: not asked */
	double alpha;			/* significance level (--alpha) */
	int bh;				/* Benjamini-Hochberg, else none */
	colset ignore;			/* --ignore: key columns left out */
	unsigned stats;			/* --stat: 1 << enum cmp_stat each */
	unsigned regressions;
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

/* Is @word an element of the list @buf ("a, b, c")? */
static int list_has(const char *buf, const char *word)
{
	size_t l = strlen(word);
	const char *p = buf;

	while ((p = strstr(p, word))) {
		if ((p == buf || p[-1] == ' ') && (p[l] == ',' || !p[l]))
			return 1;
		p += l;
	}
	return 0;
}

/* Domain types of a directory, "DMA" or "DMA, DMA-FQ". */
static void domains(const struct rdir *d, char *buf, size_t len)
{
	buf[0] = '\0';
	for (size_t i = 0; i < d->n; i++) {
		const char *dom = d->rows[i].domain_type;
		size_t pos = strlen(buf);

		if (!list_has(buf, dom))
			snprintf(buf + pos, len - pos, "%s%s", pos ? ", " : "",
				 dom);
	}
}

/*
 * The timing modes (op, batch; "unrecorded" for rows of a module before
 * version 2) and clocks of a directory, "op" or "batch, op".
 */
static void timings(const struct rdir *d, int clocks, char *buf, size_t len)
{
	buf[0] = '\0';
	for (size_t i = 0; i < d->n; i++) {
		const struct result_row *r = &d->rows[i];
		const char *v = clocks ? r->clock :
				!strncmp(r->timing, "batch", 5) ? "batch" :
				r->timing;
		size_t pos = strlen(buf);

		if (!v[0])
			v = "unrecorded";
		if (!list_has(buf, v))
			snprintf(buf + pos, len - pos, "%s%s", pos ? ", " : "",
				 v);
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
	for (int clocks = 0; clocks <= 1; clocks++) {
		timings(a, clocks, va, sizeof(va));
		timings(b, clocks, vb, sizeof(vb));
		if (!strcmp(va, vb))
			continue;
		snprintf(msg, sizeof(msg), clocks ?
			 "WARNING: clock differs: %s %s, %s %s: each has its "
			 "own cost in the numbers; run both with the same "
			 "--clock" :
			 "WARNING: timing differs: %s %s, %s %s: timing=op "
			 "holds about one clock read per op, timing=batch "
			 "almost none; run both with the same --batch",
			 a->label, va, b->label, vb);
		n++;
		emit_warning(f, msg, json, first);
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

/* What compare takes of each repetition (--stat), in output order. */
enum cmp_stat { STAT_P50, STAT_P90, STAT_P99, STAT_MEAN, NSTATS };
/* indexed by enum cmp_stat; also --stat's words for the completion */
static const struct opt_name stat_names[NSTATS + 1] = {
	{ "p50", STAT_P50, 0 }, { "p90", STAT_P90, 0 }, { "p99", STAT_P99, 0 },
	{ "mean", STAT_MEAN, 0 }, { NULL, 0, 0 },
};
#define STATS_DEFAULT (1u << STAT_P50)

static const double *stat_values(const struct rgroup *g, int stat)
{
	switch (stat) {
	case STAT_P90:
		return g->p90;
	case STAT_P99:
		return g->p99;
	case STAT_MEAN:
		return g->mean;
	default:
		return g->p50;
	}
}

/* Appends @sep (not first) and @name to @buf at *@pos; false when full. */
static bool list_append(char *buf, size_t len, size_t *pos, const char *sep,
			const char *name)
{
	int n = snprintf(buf + *pos, len - *pos, "%s%s", *pos ? sep : "", name);

	if (n < 0 || (size_t)n >= len - *pos)
		return false;
	*pos += (size_t)n;
	return true;
}

/* "p50, p99": the statistics of @stats, separated by @sep. */
static const char *stat_list(unsigned stats, const char *sep, char *buf,
			     size_t len)
{
	size_t pos = 0;

	buf[0] = '\0';
	for (int s = 0; s < NSTATS; s++)
		if ((stats & (1u << s)) &&
		    !list_append(buf, len, &pos, sep, stat_names[s].name))
			break;
	return buf;
}

static void compare_group(const struct rgroup *ga, const struct rgroup *gb,
			  int stat, struct cmp_line *l)
{
	const double *va = stat_values(ga, stat), *vb = stat_values(gb, stat);
	struct mwu_result mw;
	double lo, hi;

	memset(l, 0, sizeof(*l));
	l->row = ga->row;
	l->stat = stat;
	l->na = ga->n;
	l->nb = gb->n;
	l->ma = ab_median(va, ga->n);
	l->mb = ab_median(vb, gb->n);
	l->delta = l->ma > 0 ? (l->mb - l->ma) / l->ma * 100.0 : 0.0;
	if (ga->n >= 2 && gb->n >= 2 &&
	    !ab_mann_whitney(va, ga->n, vb, gb->n, &mw)) {
		l->have_p = 1;
		l->p = mw.p;
	}
	if (ab_ratio_ci(va, ga->n, vb, gb->n, 0.95, &lo, &hi) == 0) {
		l->have_ci = 1;
		l->lo = lo;
		l->hi = hi;
	}
}

static int cmp_lines(const void *x, const void *y)
{
	const struct cmp_line *a = x, *b = y;
	if (a->cand != b->cand)
		return a->cand - b->cand;
	if (a->stat != b->stat)
		return a->stat - b->stat;
	return row_cmp(a->row, b->row, col_roles(ROLE_JOB | ROLE_TEST |
						 ROLE_PHASE | ROLES_SETUP));
}

/* The names of the columns in @s, separated by @sep. */
static void colset_names(colset s, const char *sep, char *buf, size_t len)
{
	size_t pos = 0;

	buf[0] = '\0';
	for (unsigned i = 0; i < NCOLS; i++)
		if (colset_has(s, i) &&
		    !list_append(buf, len, &pos, sep, result_columns[i].name))
			break;
}

/*
 * @row's value in the ignored column @c, for people: the byte counts
 * (size, seg_size, footprint: the U64 key columns) as 4K or 1G, "none"
 * for an empty one.  @buf: COL_TEXT_LEN.
 */
static const char *ignored_value(const struct column *c,
				 const struct result_row *row, char *buf)
{
	const char *s;

	if (!col_has_value(c, row))
		return "none";
	s = col_format(c, row, buf);
	if (!s[0])
		return "none";
	if (c->type == CT_U64)
		return format_size(strtoull(s, NULL, 10), buf, COL_TEXT_LEN);
	return s;
}

/* "footprint A 0, B 1G": the ignored columns of @a and @b. */
static void ignored_pair(colset ignore, const struct result_row *a,
			 const struct result_row *b, char bname, char *buf,
			 size_t len)
{
	char va[COL_TEXT_LEN], vb[COL_TEXT_LEN], one[3 * COL_TEXT_LEN];
	size_t pos = 0;

	buf[0] = '\0';
	for (unsigned i = 0; i < NCOLS; i++) {
		const struct column *c = &result_columns[i];

		if (!colset_has(ignore, i))
			continue;
		snprintf(one, sizeof(one), "%s A %s, %c %s", c->name,
			 ignored_value(c, a, va), bname,
			 ignored_value(c, b, vb));
		if (!list_append(buf, len, &pos, "; ", one))
			break;
	}
}

/*
 * The table heading of @l's test, phase, dir, job and settings; with
 * --ignore the settings they share, then each side's ignored values.
 */
static void text_heading(FILE *f, const struct cmp_line *l, char bname,
			 colset ignore)
{
	const struct result_row *r = l->row;
	struct result_row shared;
	char var[64], lab[128], ign[256];
	int job = r->job[0] && strcmp(r->job, r->test) &&
		  !colset_has(ignore, COL_JOB);

	shared = *r;
	for (unsigned i = 0; i < NCOLS; i++)
		if (colset_has(ignore, i))
			memset((char *)&shared + result_columns[i].offset, 0,
			       result_columns[i].size);
	if (row_variant(&shared, var, sizeof(var))[0])
		snprintf(lab, sizeof(lab), "%s %s, %s", r->test, r->phase, var);
	else
		snprintf(lab, sizeof(lab), "%s %s, dir %s", r->test, r->phase,
			 r->dir);
	fprintf(f, "\n%s%s%s%s\n", lab, job ? " [" : "", job ? r->job : "",
		job ? "]" : "");
	if (!colset_empty(ignore)) {
		char msg[300];

		ignored_pair(ignore, r, l->rowb, bname, ign, sizeof(ign));
		snprintf(msg, sizeof(msg), "ignored: %s", ign);
		wrap(f, msg);
	}
	fprintf(f, "%6s %3s %7s %8s %8c %7s %15s %6s\n", "size", "thr", "n",
		"A", bname, "delta", "95% CI", "p");
}

static void text_line(FILE *f, const struct cmp_line *l)
{
	char size[32], ci[32], p[16], ma[24], mb[24];

	if (l->have_ci)
		snprintf(ci, sizeof(ci), "[%+6.1f,%+6.1f]", l->lo, l->hi);
	else
		snprintf(ci, sizeof(ci), "%15s", "n/a");
	if (l->have_p)
		snprintf(p, sizeof(p), "%6.3f", l->p);
	else
		snprintf(p, sizeof(p), "%6s", "n/a");
	output_ns_cell(l->ma, 8, ma, sizeof(ma));
	output_ns_cell(l->mb, 8, mb, sizeof(mb));
	fprintf(f, "%6s %3u %3zu/%-3zu %8s %8s %+6.1f%% %15s %6s%s\n",
		row_size_label(l->row, size, sizeof(size)), l->row->threads,
		l->na, l->nb, ma, mb, l->delta, ci, p,
		l->sig ? " *" : "");
}

static void print_text(FILE *f, const struct cmp_run *r)
{
	/* one table per test, phase, dir, job and settings */
	colset table = col_roles(ROLE_JOB | ROLE_TEST | ROLE_PHASE |
				 ROLE_DIR | ROLE_VARIANT);
	const struct cmp_line *l = r->lines;
	unsigned nstats = 0;
	char list[64];

	for (int s = 0; s < NSTATS; s++)
		nstats += !!(r->stats & (1u << s));
	for (int c = 1; c < r->nd; c++) {
		const struct cmp_line *last = NULL;
		unsigned faster = 0, slower = 0, n = 0;

		for (size_t i = 0; i < r->nl; i++) {
			if (l[i].cand != c)
				continue;
			if (!last || last->stat != l[i].stat) {
				fprintf(f, "\n%c vs A (%.16s vs %.16s): median "
					"%s latency in ns\n", 'A' + c,
					r->d[c].label, r->d[0].label,
					stat_names[l[i].stat].name);
				last = NULL;
			}
			if (!last || !row_same(l[i].row, last->row, table) ||
			    !row_same(l[i].row, last->row, r->ignore) ||
			    !row_same(l[i].rowb, last->rowb, r->ignore))
				text_heading(f, &l[i], (char)('A' + c),
					     r->ignore);
			last = &l[i];
			text_line(f, &l[i]);
			n++;
			if (l[i].sig && l[i].delta < 0)
				faster++;
			if (l[i].sig && l[i].delta > 0)
				slower++;
		}
		fprintf(f, "\n%s vs %s: %u configurations", r->d[c].label,
			r->d[0].label, nstats ? n / nstats : n);
		if (nstats > 1)
			fprintf(f, " x %u statistics:\n", nstats);
		fprintf(f, "%s%u faster, %u slower\n(significant: %s < %g%s)",
			nstats > 1 ? "" : ", ",
			faster, slower, r->bh ? "q" : "p", r->alpha,
			r->bh ? ", Benjamini-Hochberg" : ", per row");
		if (r->fail_above >= 0)
			fprintf(f, "; --fail-above %g%%", r->fail_above);
		fputs(".\n", f);
	}
	fprintf(f, "\ndelta = (B - A) / A of the medians; 95%% CI: "
		"Hodges-Lehmann\ninterval of log B - log A, as %%; p: "
		"two-sided Mann-Whitney U over\n"
		"the repetitions' %s (exact without ties); * = significant:\n",
		nstats > 1 ? "values" : stat_list(r->stats, ", ", list,
						  sizeof(list)));
	if (r->bh)
		fprintf(f, "Benjamini-Hochberg q < %g over the rows of each "
			"comparison (false\ndiscovery rate; --correction none: "
			"p per row).\n", r->alpha);
	else
		fprintf(f, "p < %g per row, not corrected for the number of "
			"rows.\n", r->alpha);
}

/* @r's value in column @c: a CSV field, or a JSON value (null: none). */
static void value_out(FILE *f, const struct column *c,
		      const struct result_row *r, int json)
{
	char buf[COL_TEXT_LEN];
	const char *v = col_has_value(c, r) ? col_format(c, r, buf) : "";

	if (!json)
		output_csv_field(f, v);
	else if (c->type == CT_STR || c->type == CT_FLAG)
		output_json_string(f, v);
	else
		fputs(v[0] ? v : "null", f);
}

/*
 * The settings of the key (util/columns.h) that the columns above do not
 * show: seg_size, layout, attrs, coherency, bounce, align, ... as ",name"
 * (@r NULL), ",value" or JSON ", \"name\": value" (null: no value).
 */
static void settings(FILE *f, const struct result_row *r, int json)
{
	colset shown = COLSET(COL_SIZE, COL_NENTS, COL_SCOPE, COL_FLUSH,
			      COL_IOVA_BITS, COL_LIVE);
	colset more = colset_minus(col_roles(ROLE_VARIANT | ROLE_SIZE), shown);

	for (unsigned i = 0; i < NCOLS; i++) {
		const struct column *c = &result_columns[i];

		if (!colset_has(more, i))
			continue;
		if (!r)
			fprintf(f, ",%s", c->name);
		else if (!json)
			fputc(',', f);
		else
			fprintf(f, ", \"%s\": ", c->name);
		if (r)
			value_out(f, c, r, json);
	}
}

/*
 * --ignore's columns: CSV ",ignored,NAME_a,NAME_b..." (@l NULL: the
 * header) or ",footprint,0,1073741824"; JSON ", \"ignored\": {\"NAME\":
 * {\"a\": A's, \"b\": B's}}".  Nothing without --ignore.
 */
static void ignored_out(FILE *f, const struct cmp_line *l, colset ignore,
			int json)
{
	char names[256];
	int first = 1;

	if (colset_empty(ignore))
		return;
	colset_names(ignore, " ", names, sizeof(names));
	if (!json) {
		fputc(',', f);
		fputs(l ? names : "ignored", f);
	} else {
		fputs(", \"ignored\": {", f);
	}
	for (unsigned i = 0; i < NCOLS; i++) {
		const struct column *c = &result_columns[i];

		if (!colset_has(ignore, i))
			continue;
		if (!l) {
			fprintf(f, ",%s_a,%s_b", c->name, c->name);
			continue;
		}
		if (json)
			fprintf(f, "%s\"%s\": {\"a\": ", first ? "" : ", ",
				c->name);
		else
			fputc(',', f);
		value_out(f, c, l->row, json);
		fputs(json ? ", \"b\": " : ",", f);
		value_out(f, c, l->rowb, json);
		if (json)
			fputc('}', f);
		first = 0;
	}
	if (json)
		fputc('}', f);
}

/*
 * CSV: one line per configuration and statistic; a stat column when
 * --stat asks for more than p50, --ignore's columns last.
 */
static void print_csv(FILE *f, const struct cmp_run *run)
{
	const struct cmp_line *l = run->lines;
	const struct rdir *d = run->d;
	int with_stat = run->stats != STATS_DEFAULT;

	fputs("baseline,candidate,job,test,size,nents,threads,dir,phase,n_a,"
	      "n_b,median_a_ns,median_b_ns,delta_pct,ci_lo_pct,ci_hi_pct,"
	      "p_value,significant,method,scope,flush,iova_bits,live", f);
	settings(f, NULL, 0);
	if (with_stat)
		fputs(",stat", f);
	ignored_out(f, NULL, run->ignore, 0);
	fputc('\n', f);
	for (size_t i = 0; i < run->nl; i++) {
		const struct result_row *r = l[i].row;

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
			fprintf(f, "%s,%s,%u,%u", r->scope, r->flush,
				r->iova_bits, r->live);
		else
			fputs(",,,", f);
		settings(f, r, 0);
		if (with_stat)
			fprintf(f, ",%s", stat_names[l[i].stat].name);
		ignored_out(f, &l[i], run->ignore, 0);
		fputc('\n', f);
	}
}

static void print_json_rows(FILE *f, const struct rdir *d,
			    const struct cmp_line *l, size_t nl, colset ignore)
{
	for (size_t i = 0; i < nl; i++) {
		const struct result_row *r = l[i].row;

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
		fprintf(f, ", \"stat\": \"%s\"", stat_names[l[i].stat].name);
		fprintf(f, ", \"n_a\": %zu, \"n_b\": %zu, \"median_a_ns\": "
			"%.1f, \"median_b_ns\": %.1f, \"delta_pct\": %.3f",
			l[i].na, l[i].nb, l[i].ma, l[i].mb, l[i].delta);
		if (l[i].have_ci)
			fprintf(f, ", \"ci_lo_pct\": %.3f, \"ci_hi_pct\": %.3f",
				l[i].lo, l[i].hi);
		else
			fputs(", \"ci_lo_pct\": null, \"ci_hi_pct\": null", f);
		if (l[i].have_p)
			fprintf(f, ", \"p_value\": %.6f, \"q_value\": %.6f",
				l[i].p, l[i].q);
		else
			fputs(", \"p_value\": null, \"q_value\": null", f);
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
		settings(f, r, 1);
		ignored_out(f, &l[i], ignore, 1);
		fputc('}', f);
	}
}

/* Load and group @paths.  0, or -1 (said why). */
static int cmp_load(struct cmp_run *r, char **paths, int n)
{
	char err[1200];

	for (int i = 0; i < n; i++, r->nd++)
		if (rdir_load(paths[i], &r->d[r->nd], err, sizeof(err)))
			return fail("compare: %s", err);
	for (int i = 0; i < r->nd; i++)
		r->with_domain |= rdir_mixed_domains(&r->d[i]);
	for (int i = 0; i < r->nd; i++) {
		r->ng[i] = rdir_group(&r->d[i], r->with_domain, &r->g[i]);
		if (r->ng[i] < 0)
			return fail("out of memory");
	}
	return 0;
}

static int cmp_p(const void *x, const void *y)
{
	const struct cmp_line *a = *(const struct cmp_line *const *)x;
	const struct cmp_line *b = *(const struct cmp_line *const *)y;

	return (a->p > b->p) - (a->p < b->p);
}

/*
 * Which lines are significant: Benjamini-Hochberg over the lines of each
 * candidate (q = the smallest p_j x m / j over the ranks j >= the line's,
 * m lines with a p), q < alpha; or (--correction none) p < alpha.  Then
 * the regressions for --fail-above, among the significant lines only.
 */
static int cmp_significance(struct cmp_run *r)
{
	struct cmp_line **by_p = calloc(r->nl + 1, sizeof(*by_p));

	if (!by_p)
		return fail("out of memory");
	for (int cand = 1; cand < r->nd; cand++) {
		size_t m = 0;
		double q = 1.0;

		for (size_t i = 0; i < r->nl; i++)
			if (r->lines[i].cand == cand && r->lines[i].have_p)
				by_p[m++] = &r->lines[i];
		qsort(by_p, m, sizeof(*by_p), cmp_p);
		for (size_t j = m; j-- > 0;) {
			double v = by_p[j]->p * (double)m / (double)(j + 1);

			if (v < q)
				q = v;
			by_p[j]->q = r->bh ? q : by_p[j]->p;
			by_p[j]->sig = by_p[j]->q < r->alpha;
		}
	}
	free(by_p);
	for (size_t i = 0; i < r->nl; i++)
		if (r->fail_above >= 0 && r->lines[i].sig &&
		    r->lines[i].delta > r->fail_above)
			r->regressions++;
	return 0;
}

/* What pairs a configuration of A with one of B: the key but --ignore's. */
static colset match_key(const struct cmp_run *r)
{
	return colset_minus(config_key(r->with_domain), r->ignore);
}

/*
 * The ignored columns in which @x and @y differ: "footprint 0 and 1G" in
 * @what, "footprint" in @names (comma-separated, as --ignore takes them).
 */
static void ignored_diff(colset ignore, const struct result_row *x,
			 const struct result_row *y, char *what, size_t wlen,
			 char *names, size_t nlen)
{
	char va[COL_TEXT_LEN], vb[COL_TEXT_LEN], one[3 * COL_TEXT_LEN];
	size_t wpos = 0, npos = 0;

	what[0] = names[0] = '\0';
	for (unsigned i = 0; i < NCOLS; i++) {
		const struct column *c = &result_columns[i];
		colset only = { { 0 } };

		if (!colset_has(ignore, i) ||
		    row_same(x, y, colset_add(only, i)))
			continue;
		snprintf(one, sizeof(one), "%s %s and %s", c->name,
			 ignored_value(c, x, va), ignored_value(c, y, vb));
		if (!list_append(what, wlen, &wpos, ", ", one) ||
		    !list_append(names, nlen, &npos, ",", c->name))
			break;
	}
}

/*
 * Two configurations of one directory that only --ignore's columns tell
 * apart would both pair with one of the other side: refuse and name them
 * (the usage error returned), else 0.
 */
static int cmp_ambiguous(const struct cmp_run *r)
{
	colset key = match_key(r);
	char what[256], names[128], size[32];

	for (int s = 0; s < r->nd; s++)
		for (long a = 0; a < r->ng[s]; a++)
			for (long b = a + 1; b < r->ng[s]; b++) {
				const struct result_row *x = r->g[s][a].row;
				const struct result_row *y = r->g[s][b].row;

				if (!row_same(x, y, key))
					continue;
				ignored_diff(r->ignore, x, y, what,
					     sizeof(what), names,
					     sizeof(names));
				return usage_error("compare", "--ignore leaves "
					"two configurations of %s alike (%s "
					"%s %s x%u, %s): do not ignore %s",
					r->d[s].label, x->test, x->phase,
					row_size_label(x, size, sizeof(size)),
					x->threads, what, names);
			}
	return 0;
}

/* The lines of group @a of A against group @b of candidate @cand. */
static void cmp_pair(struct cmp_run *r, int cand, long a, long b)
{
	for (int s = 0; s < NSTATS; s++) {
		struct cmp_line *l;

		if (!(r->stats & (1u << s)))
			continue;
		l = &r->lines[r->nl++];
		compare_group(&r->g[0][a], &r->g[cand][b], s, l);
		l->rowb = r->g[cand][b].row;
		l->cand = cand;
	}
}

/* Lines (one per --stat) per configuration of A found in B, C, ...  0, or -1. */
static int cmp_match(struct cmp_run *r)
{
	colset key = match_key(r);

	r->lines = calloc((size_t)r->ng[0] * (size_t)(r->nd - 1) * NSTATS + 1,
			  sizeof(*r->lines));
	if (!r->lines)
		return fail("out of memory");
	for (int cand = 1; cand < r->nd; cand++)
		for (long a = 0; a < r->ng[0]; a++)
			for (long b = 0; b < r->ng[cand]; b++)
				if (row_same(r->g[0][a].row, r->g[cand][b].row,
					     key)) {
					cmp_pair(r, cand, a, b);
					break;
				}
	qsort(r->lines, r->nl, sizeof(*r->lines), cmp_lines);
	return 0;
}

static void print_json(const struct cmp_run *r)
{
	char list[64];
	int first = 1;

	printf("{\n  \"method\": {\"statistic\": \"median of the "
	       "repetitions' %s latency (ns)\", \"ci\": "
	       "\"Hodges-Lehmann 95%%\", \"test\": \"Mann-Whitney U, "
	       "two-sided\", \"alpha\": %g, \"correction\": \"%s\"},\n"
	       "  \"ignored\": [", stat_list(r->stats, ", ", list, sizeof(list)),
	       r->alpha,
	       r->bh ? "benjamini-hochberg" : "none");
	for (unsigned i = 0; i < NCOLS; i++)
		if (colset_has(r->ignore, i)) {
			fputs(first ? "" : ", ", stdout);
			output_json_string(stdout, result_columns[i].name);
			first = 0;
		}
	first = 1;
	fputs("],\n  \"warnings\": [", stdout);
	for (int i = 1; i < r->nd; i++)
		setup_warnings(stdout, &r->d[0], &r->d[i], r->with_domain, 1,
			       &first);
	fputs(first ? "],\n  \"rows\": [" : "\n  ],\n  \"rows\": [", stdout);
	print_json_rows(stdout, r->d, r->lines, r->nl, r->ignore);
	printf("%s],\n  \"regressions\": %u\n}\n", r->nl ? "\n  " : "",
	       r->regressions);
}

/* Text: which directory is which, the emulation note, the warnings. */
static void print_text_setup(const struct cmp_run *r)
{
	int first = 1;

	printf("dmabench compare, baseline %s\n", r->d[0].label);
	for (int i = 0; i < r->nd; i++) {
		char k[128], dom[128];

		if (rdir_meta(&r->d[i], "kernel_release", k, sizeof(k)))
			str_copy(k, sizeof(k), "?");
		domains(&r->d[i], dom, sizeof(dom));
		printf("  %c = %-14.14s kernel %.20s, %s (%s)\n", 'A' + i,
		       r->d[i].label, k, dom, domain_strictness(dom));
		printf("      in %.62s\n", r->d[i].path);
	}
	for (int i = 0; i < r->nd; i++) {
		const char *plat = r->d[i].n ? r->d[i].rows[0].platform : "";

		if (plat[0] && strcmp(plat, PLATFORM_NATIVE)) {
			printf("NOTE: %.63s: emulation timings, the ratios "
			       "are what counts.\n", plat);
			break;
		}
	}
	if (!colset_empty(r->ignore)) {
		char names[256], msg[400];

		colset_names(r->ignore, ", ", names, sizeof(names));
		snprintf(msg, sizeof(msg), "Paired ignoring %s: each table "
			 "names both sides' values.", names);
		wrap(stdout, msg);
	}
	for (int i = 1; i < r->nd; i++)
		setup_warnings(stdout, &r->d[0], &r->d[i], r->with_domain, 0,
			       &first);
}

/* Compare the directories @paths[0] (A) .. [@n - 1]; the exit status. */
static int compare_dirs(char **paths, int n, enum output_format fmt,
			double fail_above, double alpha, int bh, colset ignore,
			unsigned stats)
{
	static struct cmp_run run;
	struct cmp_run *r = &run;
	int ret = EXIT_FAIL, first = 1;

	memset(r, 0, sizeof(*r));
	r->fail_above = fail_above;
	r->alpha = alpha;
	r->bh = bh;
	r->ignore = ignore;
	r->stats = stats;
	if (cmp_load(r, paths, n))
		goto out;
	if (!colset_empty(r->ignore) && cmp_ambiguous(r)) {
		ret = EXIT_USAGE;
		goto out;
	}
	if (cmp_match(r) || cmp_significance(r))
		goto out;
	if (fmt == OUTPUT_JSON) {
		print_json(r);
	} else if (fmt == OUTPUT_CSV) {
		for (int i = 1; i < r->nd; i++)
			setup_warnings(stderr, &r->d[0], &r->d[i],
				       r->with_domain, 0, &first);
		print_csv(stdout, r);
	} else {
		print_text_setup(r);
		print_text(stdout, r);
	}
	if (!r->nl)
		fprintf(stderr, "dmabench compare: no configuration of %s is "
			"in the others (same job file? same tests? runs that "
			"differ in one setting: --ignore COLUMN)\n",
			r->d[0].label);
	ret = EXIT_OK;
	if (r->regressions) {
		fprintf(stderr, "dmabench compare: %u configuration%s slower "
			"than %s by more than %g%% (%s < %g)\n",
			r->regressions, r->regressions == 1 ? "" : "s",
			r->d[0].label, fail_above, r->bh ? "BH q" : "p",
			r->alpha);
		ret = EXIT_FAIL;
	}
out:
	free(r->lines);
	for (int i = 0; i < r->nd; i++) {
		rgroups_free(r->g[i], r->ng[i] > 0 ? r->ng[i] : 0);
		rdir_free(&r->d[i]);
	}
	return ret;
}

struct compare_opts {
	uint32_t format;		/* enum output_format */
	colset ignore;			/* --ignore: key columns left out */
	double fail_above;		/* percent; -1: not given */
	double alpha;
	uint32_t correction;		/* enum correction */
	unsigned stats;			/* --stat: 1 << enum cmp_stat each */
};

enum correction { CORRECTION_BH, CORRECTION_NONE };

static const struct opt_name correction_names[] = {
	{ "bh", CORRECTION_BH, 0 },
	{ "benjamini-hochberg", CORRECTION_BH, 1 },
	{ "none", CORRECTION_NONE, 0 },
	{ NULL, 0, 0 },
};

/* --alpha: a level in (0, 0.5] */
static int cb_alpha(const struct parse_opt *opt, const char *arg,
		    void *base, char *why, size_t len)
{
	char *end;
	double v = strtod(arg, &end);

	if (end != arg && !*end && v > 0 && v <= 0.5) {
		*(double *)((char *)base + opt->offset) = v;
		return 0;
	}
	snprintf(why, len, "bad --%s '%s': a significance level above 0 "
		 "and at most 0.5, e.g. 0.05", opt->long_name, arg);
	return -1;
}

static int cb_fail_above(const struct parse_opt *opt, const char *arg,
			 void *base, char *why, size_t len)
{
	if (!parse_pct(arg, (double *)((char *)base + opt->offset)))
		return 0;
	snprintf(why, len, "bad --%s '%s': a percentage, e.g. 5%%",
		 opt->long_name, arg);
	return -1;
}

/* --ignore COLUMN[,COLUMN...]: key columns, added to those given before */
static int cb_ignore(const struct parse_opt *opt, const char *arg,
		     void *base, char *why, size_t len)
{
	colset *ignore = (colset *)((char *)base + opt->offset);
	char copy[256], keys[320], *w, *save = NULL;

	colset_names(col_roles(ROLE_ALL), ", ", keys, sizeof(keys));
	if (strlen(arg) >= sizeof(copy)) {
		snprintf(why, len, "bad --%s: too long", opt->long_name);
		return -1;
	}
	str_copy(copy, sizeof(copy), arg);
	if (!copy[0] || copy[0] == ',' || copy[strlen(copy) - 1] == ',' ||
	    strstr(copy, ",,")) {
		snprintf(why, len, "bad --%s '%s': key column names separated "
			 "by commas, e.g. footprint or footprint,job",
			 opt->long_name, arg);
		return -1;
	}
	for (w = strtok_r(copy, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
		const struct column *c = col_by_name(w);

		if (!c || c->role == ROLE_NONE) {
			snprintf(why, len, "bad --%s '%s': %s; the key columns "
				 "are %s", opt->long_name, w, c ?
				 "a measured value, not a key column" :
				 "no such column", keys);
			return -1;
		}
		*ignore = colset_add(*ignore, (unsigned)(c - result_columns));
	}
	return 0;
}

/* --stat p50,p99: what to compare of each repetition (replaces p50) */
static int cb_stat(const struct parse_opt *opt, const char *arg,
		   void *base, char *why, size_t len)
{
	unsigned *stats = (unsigned *)((char *)base + opt->offset);
	const char *p = arg;

	*stats = 0;
	for (;;) {
		size_t n = strcspn(p, ",");
		int s = 0;

		while (s < NSTATS && (strlen(stat_names[s].name) != n ||
				      strncmp(p, stat_names[s].name, n)))
			s++;
		if (s == NSTATS)
			break;		/* also "", ",x", "x,,y", "x," */
		*stats |= 1u << s;
		if (!p[n])
			return 0;
		p += n + 1;
	}
	snprintf(why, len, "bad --%s '%s': a list of p50, p90, p99 and mean, "
		 "e.g. p50,p99", opt->long_name, arg);
	return -1;
}

static const struct parse_opt compare_options[] = {
	OPT_ENUM('f', "format", struct compare_opts, format, run_format_names,
		 "FMT", "text | csv | json (default text)"),
	OPT_CALLBACK(0, "fail-above", struct compare_opts, fail_above,
		     cb_fail_above, "P%", "exit 1 when a configuration is "
		     "slower than A\nby more than P %, significantly\n(after the correction)"),
	OPT_CALLBACK(0, "alpha", struct compare_opts, alpha, cb_alpha, "A",
		     "significance level (default 0.05)"),
	OPT_ENUM(0, "correction", struct compare_opts, correction,
		 correction_names, "METHOD", "bh (Benjamini-Hochberg false "
		 "discovery rate\nacross the rows of one comparison, default) |\n"
		 "none (p < alpha per row)"),
	OPT_CALLBACK(0, "ignore", struct compare_opts, ignore, cb_ignore,
		     "COLUMN[,...]", "pair configurations that differ only in "
		     "these\nkey columns (e.g. footprint: A footprint 0\n"
		     "against B footprint 1G); both values shown"),
	{ OPTION_CALLBACK, 0, "stat", OPT__FIELD(struct compare_opts, stats),
	  .callback = cb_stat, .names = stat_names, .argh = "LIST",
	  .help = "what to compare of each repetition: p50,\np90, p99, mean "
	  "(default p50), e.g. p50,p99" },
	OPT_TEXT("\nPer configuration and phase: median p50 latency over the\n"
		 "repetitions, delta % with its 95 % confidence interval\n"
		 "(Hodges-Lehmann) and the two-sided Mann-Whitney U test.\n"),
	OPT_END(),
};

int cmd_compare(int argc, char **argv)
{
	struct compare_opts co = {
		.format = OUTPUT_TEXT, .fail_above = -1, .alpha = 0.05,
		.correction = CORRECTION_BH,
		.stats = STATS_DEFAULT,
	};
	struct parse_ctx ctx = {
		.cmd = "compare", .usage = compare_usage, .max_args = INT_MAX,
	};
	int c = parse_options(&ctx, argc, argv, compare_options, &co);

	if (c)
		return c < 0 ? EXIT_OK : c;
	if (ctx.nargs < 2)
		return usage_error("compare", "need at least two results "
				   "directories (A B)");
	if (ctx.nargs > MAX_DIRS)
		return usage_error("compare", "at most %d results directories",
				   MAX_DIRS);
	return compare_dirs(ctx.args, ctx.nargs, co.format, co.fail_above,
			    co.alpha, co.correction == CORRECTION_BH, co.ignore,
			    co.stats);
}
