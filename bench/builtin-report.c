// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * dmabench report DIR: a plain-text summary of a results directory for a
 * cover letter or a mailing-list post, under 72 columns: the setup (kernel,
 * board, IOMMU, domain type, strictness, platform), then one table per
 * test with the median over the repetitions of p50, p99 and throughput.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"
#include "util/abstats.h"
#include "util/cli.h"
#include "util/output.h"
#include "util/parse-options.h"
#include "util/parse.h"
#include "util/resdir.h"

#define MAX_PH 3	/* phase columns that fit in 72 columns */
#define DMABENCH_PHASES 8

static const char report_usage[] =
	"usage: dmabench report DIR\n\n"
	"Summarise a results directory of `dmabench sweep` (or a CSV file of\n"
	"`dmabench run --format csv`) in plain text under 72 columns: the\n"
	"setup, then per test the median over the repetitions of p50 and p99\n"
	"latency and of the throughput.\n";

/* Word-wrap @s at 72 columns; continuation lines start with @indent. */
static void wrap(const char *s, const char *indent)
{
	size_t col = 0;

	while (*s) {
		size_t w = strcspn(s, " ");

		if (col && col + 1 + w > 72) {
			printf("\n%s", indent);
			col = strlen(indent);
		} else if (col) {
			putchar(' ');
			col++;
		}
		printf("%.*s", (int)w, s);
		col += w;
		s += w;
		while (*s == ' ')
			s++;
	}
	putchar('\n');
}

static void setup_line(const struct rdir *d, const struct rgroup *g, long ng)
{
	char k[128], arch[32], board[128], iommu[128], cmd[1024], plat[64];
	char mplat[64];
	char doms[128] = "", line[1400], strict[256] = "";
	size_t pos = 0;

	if (rdir_meta(d, "kernel_release", k, sizeof(k)))
		str_copy(k, sizeof(k), "?");
	rdir_meta(d, "arch", arch, sizeof(arch));
	if (rdir_meta(d, "board", board, sizeof(board)) || !board[0])
		str_copy(board, sizeof(board), "unknown");
	if (rdir_meta(d, "iommu_drivers", iommu, sizeof(iommu)) || !iommu[0])
		str_copy(iommu, sizeof(iommu), "none found");
	str_copy(plat, sizeof(plat), d->rows[0].platform[0] ?
		 d->rows[0].platform : "?");
	/* a bare CSV has no metadata: its rows still say the platform */
	if (!rdir_meta(d, "platform", mplat, sizeof(mplat)) && mplat[0])
		str_copy(plat, sizeof(plat), mplat);
	for (long i = 0; i < ng; i++) {
		const struct result_row *r = g[i].row;
		char one[64];

		snprintf(one, sizeof(one), "%s (%s)", r->domain_type,
			 domain_strictness(r->domain_type));
		if (!strstr(doms, one) && pos + strlen(one) + 3 < sizeof(doms))
			pos += (size_t)snprintf(doms + pos, sizeof(doms) - pos,
						"%s%s", pos ? ", " : "", one);
	}
	if (!rdir_meta(d, "kernel_cmdline", cmd, sizeof(cmd))) {
		char *w, *save = NULL;
		size_t sp = 0;

		for (w = strtok_r(cmd, " ", &save); w;
		     w = strtok_r(NULL, " ", &save))
			if (strstr(w, "iommu") && sp + strlen(w) + 2 <
			    sizeof(strict))
				sp += (size_t)snprintf(strict + sp,
						       sizeof(strict) - sp,
						       "%s%s", sp ? " " : "",
						       w);
	}
	snprintf(line, sizeof(line), "Setup: Linux %s%s%s, board %s, IOMMU "
		 "%s, domain %s%s%s, platform %s.", k, arch[0] ? " " : "",
		 arch, board, iommu, doms, strict[0] ? ", " : "", strict, plat);
	wrap(line, "  ");
	if (strcmp(plat, PLATFORM_NATIVE) && strcmp(plat, "?"))
		wrap("NOTE: emulation figures (QEMU TCG): they compare "
		     "configurations measured together, they are not hardware "
		     "timings.", "  ");
}

static double med(const double *v, size_t n)
{
	return n ? ab_median(v, n) : 0.0;
}

/* The rows of one table: test, job, dir, domain type and settings. */
static colset table_key(void)
{
	return col_roles(ROLE_JOB | ROLE_TEST | ROLE_DIR | ROLE_DOMAIN |
			 ROLE_VARIANT);
}

/* The phases of the table of @first (first seen first), and the reps. */
static unsigned table_phases(const struct rgroup *g, long ng, long first,
			     char phases[][16], unsigned *reps)
{
	const struct result_row *f = g[first].row;
	unsigned nph = 0;

	*reps = 0;
	for (long i = first; i < ng; i++) {
		const struct result_row *r = g[i].row;
		unsigned p;

		if (!row_same(r, f, table_key()))
			continue;
		for (p = 0; p < nph; p++)
			if (!strcmp(phases[p], r->phase))
				break;
		if (p == nph && nph < DMABENCH_PHASES)
			str_copy(phases[nph++], sizeof(phases[0]), r->phase);
		if (g[i].n > *reps)
			*reps = (unsigned)g[i].n;
	}
	return nph;
}

static void table_heading(const struct result_row *f, unsigned reps)
{
	char hdr[400], var[64];
	int job = f->job[0] && strcmp(f->job, f->test);

	row_variant(f, var, sizeof(var));
	if (f->scope[0])	/* iommu_map: several devices, no DMA ops */
		snprintf(hdr, sizeof(hdr), "%s%s%s%s on %s (%u device%s), %s: "
			 "median of %u repetition%s, latency in ns", f->test,
			 job ? " [" : "", job ? f->job : "", job ? "]" : "",
			 f->device, f->ndevices, f->ndevices == 1 ? "" : "s",
			 var, reps, reps == 1 ? "" : "s");
	else
		snprintf(hdr, sizeof(hdr), "%s%s%s%s on %s (%s, %s), dir %s%s%s: "
			 "median of %u repetition%s, latency in ns", f->test,
			 job ? " [" : "", job ? f->job : "", job ? "]" : "",
			 f->device, f->dma_ops, f->domain_type, f->dir,
			 var[0] ? ", " : "", var, reps, reps == 1 ? "" : "s");
	putchar('\n');
	wrap(hdr, "  ");
}

/* " p50 p99" of @phase in the configuration of @r, " - -" without. */
static void table_cell(const struct rgroup *g, long ng, long first,
		       const struct result_row *r, const char *phase)
{
	colset key = colset_or(table_key(),
			       col_roles(ROLE_SIZE | ROLE_THREADS));
	char a[16], b[16];

	for (long k = first; k < ng; k++) {
		if (!row_same(g[k].row, r, key) ||
		    strcmp(g[k].row->phase, phase))
			continue;
		output_ns_cell(med(g[k].p50, g[k].n), 7, a, sizeof(a));
		output_ns_cell(med(g[k].p99, g[k].n), 7, b, sizeof(b));
		printf(" %7s %7s", a, b);
		return;
	}
	printf(" %7s %7s", "-", "-");
}

/* a queue delay in ms, us or ns with 3 significant digits */
static void fmt_delay(double ns, char *buf, size_t len)
{
	if (ns >= 1e6)
		snprintf(buf, len, "%.3g ms", ns / 1e6);
	else if (ns >= 1e3)
		snprintf(buf, len, "%.3g us", ns / 1e3);
	else
		snprintf(buf, len, "%.0f ns", ns);
}

/*
 * --pairs: the first phase's ops/s are the mappers', the last phase's the
 * unmappers'; one line per configuration with both and the queue delay
 * (only the mix's "all" rows carry the queue, its class rows do not).
 */
static void pairs_lines(const struct rgroup *g, long ng, long first,
			const char *last_phase)
{
	const struct result_row *f = g[first].row;
	colset key = colset_or(table_key(),
			       col_roles(ROLE_SIZE | ROLE_THREADS));
	char line[300], size[32], mean[16], max[16];

	for (long i = first; i < ng; i++) {
		const struct result_row *r = g[i].row;
		const struct rgroup *u = NULL;

		if (!row_same(r, f, table_key()) || !r->has_queue ||
		    strcmp(r->phase, f->phase))
			continue;
		for (long k = first; k < ng && !u; k++)
			if (row_same(g[k].row, r, key) &&
			    !strcmp(g[k].row->phase, last_phase))
				u = &g[k];
		if (!u)
			continue;
		fmt_delay(med(g[i].qmean, g[i].n), mean, sizeof(mean));
		fmt_delay(med(g[i].qmax, g[i].n), max, sizeof(max));
		snprintf(line, sizeof(line), "pairs %s, %s x%u (medians): "
			 "mappers %.0f ops/s, unmappers %.0f ops/s, queue "
			 "delay mean %s, max %s", r->pairs,
			 row_size_label(r, size, sizeof(size)), r->threads,
			 med(g[i].ops, g[i].n), med(u->ops, u->n), mean, max);
		wrap(line, "  ");
	}
}

/*
 * The tables of the groups sharing test, job, dir, domain with @first:
 * one per MAX_PH phases (a test with many phases gets several).
 */
static void table(const struct rgroup *g, long ng, long first, char *done)
{
	const struct result_row *f = g[first].row;
	char phases[DMABENCH_PHASES][16], size[32];
	unsigned reps, nph = table_phases(g, ng, first, phases, &reps);

	table_heading(f, reps);
	for (unsigned p0 = 0; p0 < nph; p0 += MAX_PH) {
		unsigned p1 = p0 + MAX_PH < nph ? p0 + MAX_PH : nph;

		if (p0)
			putchar('\n');
		printf("%6s %3s", "size", "thr");
		for (unsigned p = p0; p < p1; p++)
			printf(" %7.7s %7s", phases[p], "");
		printf(" %10s\n%10s", "ops/s", "");
		for (unsigned p = p0; p < p1; p++)
			printf(" %7s %7s", "p50", "p99");
		putchar('\n');
		/* one line per configuration: its first phase's group */
		for (long i = first; i < ng; i++) {
			const struct result_row *r = g[i].row;

			if (!row_same(r, f, table_key()) ||
			    strcmp(r->phase, phases[0]))
				continue;
			printf("%6s %3u", row_size_label(r, size, sizeof(size)),
			       r->threads);
			for (unsigned p = p0; p < p1; p++)
				table_cell(g, ng, first, r, phases[p]);
			printf(" %10.0f\n", med(g[i].ops, g[i].n));
		}
	}
	if (f->has_queue && nph > 1)
		pairs_lines(g, ng, first, phases[nph - 1]);
	for (long i = first; i < ng; i++)
		if (row_same(g[i].row, f, table_key()))
			done[i] = 1;
}

static const char *const scope_phases[5] = {
	"iova_alloc", "map", "unmap", "invalidate", "iova_free"
};
static const char *const scope_names[2] = { "per-device", "per-instance" };

/*
 * Is @q of the per-device vs per-instance table of @f (same test, job and
 * settings but the scope), in @scope and @phase?
 */
static int scope_row(const struct result_row *q, const struct result_row *f,
		     const char *scope, const char *phase)
{
	colset key = colset_minus(col_roles(ROLE_JOB | ROLE_TEST |
					      ROLE_VARIANT), COLBIT(SCOPE));

	return row_same(q, f, key) && !strcmp(q->scope, scope) &&
	       !strcmp(q->phase, phase);
}

/* The group of @phase in the iommu_map configuration like @r in @scope. */
static const struct rgroup *scope_group(const struct rgroup *g, long ng,
					const struct result_row *r,
					const char *scope, const char *phase)
{
	for (long i = 0; i < ng; i++)
		if (scope_row(g[i].row, r, scope, phase) &&
		    row_same(g[i].row, r,
			     col_roles(ROLE_SIZE | ROLE_THREADS)))
			return &g[i];
	return NULL;
}

/* The two lines (dev, inst) of the configuration of @r. */
static void scope_lines(const struct rgroup *g, long ng,
			const struct result_row *r)
{
	char size[32], a[16];

	for (int s = 0; s < 2; s++) {
		const struct rgroup *first =
			scope_group(g, ng, r, scope_names[s], scope_phases[0]);

		if (!first)
			continue;
		printf("%6s %3u %-4s", s ? "" :
		       row_size_label(r, size, sizeof(size)), r->threads,
		       s ? "inst" : "dev");
		for (int p = 0; p < 5; p++) {
			const struct rgroup *q = scope_group(g, ng, r,
					scope_names[s], scope_phases[p]);

			if (q)
				output_ns_cell(med(q->p50, q->n), 7, a,
					       sizeof(a));
			printf(" %6s", q ? a : "-");
		}
		printf(" %9.0f %6.0f\n", med(first->ops, first->n),
		       med(first->inval, first->n));
	}
}

/* Is the configuration set of @f measured in both scopes? */
static int both_scopes(const struct rgroup *g, long ng,
		       const struct result_row *f)
{
	for (long k = 0; k < ng; k++)
		if (scope_row(g[k].row, f, scope_names[1], scope_phases[0]))
			return 1;
	return 0;
}

/*
 * Per-device vs per-instance: for each iommu_map job and flush policy
 * measured in both scopes, p50 per phase, throughput and invalidation
 * cost per buffer, the two scopes on consecutive lines.
 */
static void scope_tables(const struct rgroup *g, long ng)
{
	const char *sc = scope_names[0], *ph = scope_phases[0];
	char *seen = calloc((size_t)ng, 1);
	char var[64], hdr[200];
	unsigned ntab = 0;

	if (!seen)
		return;
	for (long i = 0; i < ng; i++) {
		const struct result_row *f = g[i].row;

		if (seen[i] || strcmp(f->scope, sc) || strcmp(f->phase, ph))
			continue;
		/* one table per job and flush policy (and iova/live) */
		for (long k = i; k < ng; k++)
			if (scope_row(g[k].row, f, sc, ph))
				seen[k] = 1;
		if (!both_scopes(g, ng, f))
			continue;
		row_variant(f, var, sizeof(var));
		/* "per-device, strict, ...": the part after the scope */
		snprintf(hdr, sizeof(hdr), "Per-device vs per-instance, %s "
			 "flush %s: median p50 latency in ns, ops/s, "
			 "invalidation ns per buffer", f->test,
			 strchr(var, ',') ? strchr(var, ',') + 2 : var);
		ntab++;
		putchar('\n');
		wrap(hdr, "  ");
		printf("%6s %3s %-4s %6s %6s %6s %6s %6s %9s %6s\n", "size",
		       "thr", "dom", "iova_a", "map", "unmap", "inval",
		       "iova_f", "ops/s", "inv/b");
		for (long k = 0; k < ng; k++)
			if (scope_row(g[k].row, f, sc, ph))
				scope_lines(g, ng, g[k].row);
	}
	if (ntab)
		fputs("\ndom: dev = per-device (a domain and IOVA allocator "
		      "each), inst =\nper-instance (one shared by the "
		      "devices of an IOMMU instance);\ninv/b: median "
		      "invalidation cost per buffer (ns).\n", stdout);
	free(seen);
}

static int cmp_groups(const void *x, const void *y)
{
	/*
	 * phases are not ordered: qsort is not stable, so table() looks the
	 * phases up by name
	 */
	return row_cmp(((const struct rgroup *)x)->row,
		       ((const struct rgroup *)y)->row,
		       col_roles(ROLE_JOB | ROLE_TEST | ROLES_SETUP));
}

int cmd_report(int argc, char **argv)
{
	struct rdir d;
	struct rgroup *g = NULL;
	char err[1200], *done;
	long ng;
	static const struct parse_opt opts[] = { OPT_END() };
	struct parse_ctx ctx = {
		.cmd = "report", .usage = report_usage, .max_args = 1,
	};
	int r = parse_options(&ctx, argc, argv, opts, NULL);

	if (r)
		return r < 0 ? EXIT_OK : r;
	if (!ctx.nargs)
		return usage_error("report", "missing DIR");
	if (rdir_load(ctx.args[0], &d, err, sizeof(err)))
		return fail("report: %s", err);
	ng = rdir_group(&d, 1, &g);
	done = ng > 0 ? calloc((size_t)ng, 1) : NULL;
	if (ng < 0 || !done) {
		rdir_free(&d);
		rgroups_free(g, ng > 0 ? ng : 0);
		return fail("out of memory");
	}
	qsort(g, (size_t)ng, sizeof(*g), cmp_groups);
	printf("dmabench report: %s\n", d.label);
	setup_line(&d, g, ng);
	for (long i = 0; i < ng; i++)
		if (!done[i])
			table(g, ng, i, done);
	scope_tables(g, ng);
	rgroups_free(g, ng);
	free(done);
	rdir_free(&d);
	return EXIT_OK;
}
