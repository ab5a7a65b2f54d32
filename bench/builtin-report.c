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
	rdir_meta(d, "platform", plat, sizeof(plat));
	for (long i = 0; i < ng; i++) {
		const struct rrow *r = g[i].row;
		char one[64];

		snprintf(one, sizeof(one), "%s (%s)", r->domain,
			 domain_strictness(r->domain));
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
	snprintf(line, sizeof(line), "Setup: Linux %s %s, board %s, IOMMU "
		 "%s, domain %s%s%s, platform %s.", k, arch, board, iommu,
		 doms, strict[0] ? ", " : "", strict, plat);
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

static void fmt_ns(double ns, char *buf, size_t len)
{
	if (ns >= 9999999.5)
		snprintf(buf, len, "%.0fms", ns / 1e6);
	else
		snprintf(buf, len, "%.0f", ns);
}

static int same_table(const struct rrow *a, const struct rrow *b)
{
	return !strcmp(a->test, b->test) && !strcmp(a->job, b->job) &&
	       !strcmp(a->dir, b->dir) && !strcmp(a->domain, b->domain) &&
	       rrow_same_variant(a, b);
}

/*
 * The tables of the groups sharing test, job, dir, domain with @first:
 * one per MAX_PH phases (a test with many phases gets several).
 */
static void table(const struct rgroup *g, long ng, long first, char *done)
{
	const struct rrow *f = g[first].row;
	char phases[DMABENCH_PHASES][16];
	unsigned nph = 0, reps = 0;
	char hdr[400], size[32], var[64];

	for (long i = first; i < ng; i++) {
		const struct rrow *r = g[i].row;
		unsigned p;

		if (!same_table(r, f))
			continue;
		for (p = 0; p < nph; p++)
			if (!strcmp(phases[p], r->phase))
				break;
		if (p == nph && nph < DMABENCH_PHASES)
			str_copy(phases[nph++], sizeof(phases[0]), r->phase);
		if (g[i].n > reps)
			reps = (unsigned)g[i].n;
	}
	rrow_variant(f, var, sizeof(var));
	if (f->scope[0])	/* iommu_map: several devices, no DMA ops */
		snprintf(hdr, sizeof(hdr), "%s%s%s%s on %s (%u device%s), %s: "
			 "median of %u repetition%s, latency in ns", f->test,
			 f->job[0] && strcmp(f->job, f->test) ? " [" : "",
			 f->job[0] && strcmp(f->job, f->test) ? f->job : "",
			 f->job[0] && strcmp(f->job, f->test) ? "]" : "",
			 f->device, f->ndevices, f->ndevices == 1 ? "" : "s",
			 var, reps, reps == 1 ? "" : "s");
	else
		snprintf(hdr, sizeof(hdr), "%s%s%s%s on %s (%s, %s), dir %s%s%s: "
			 "median of %u repetition%s, latency in ns", f->test,
			 f->job[0] && strcmp(f->job, f->test) ? " [" : "",
			 f->job[0] && strcmp(f->job, f->test) ? f->job : "",
			 f->job[0] && strcmp(f->job, f->test) ? "]" : "",
			 f->device, f->dma_ops, f->domain, f->dir,
			 var[0] ? ", " : "", var, reps, reps == 1 ? "" : "s");
	putchar('\n');
	wrap(hdr, "  ");
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
			const struct rrow *r = g[i].row;
			double ops = 0;

			if (!same_table(r, f) || strcmp(r->phase, phases[0]))
				continue;
			printf("%6s %3u", format_size(r->size, size,
						      sizeof(size)),
			       r->threads);
			ops = med(g[i].ops, g[i].n);
			for (unsigned p = p0; p < p1; p++) {
				long k;

				for (k = first; k < ng; k++) {
					const struct rrow *q = g[k].row;

					if (same_table(q, f) &&
					    !strcmp(q->phase, phases[p]) &&
					    q->size == r->size &&
					    q->threads == r->threads &&
					    q->nents == r->nents)
						break;
				}
				if (k < ng) {
					char a[16], b[16];

					fmt_ns(med(g[k].p50, g[k].n), a,
					       sizeof(a));
					fmt_ns(med(g[k].p99, g[k].n), b,
					       sizeof(b));
					printf(" %7s %7s", a, b);
				} else {
					printf(" %7s %7s", "-", "-");
				}
			}
			printf(" %10.0f\n", ops);
		}
	}
	for (long i = first; i < ng; i++)
		if (same_table(g[i].row, f))
			done[i] = 1;
}

/* Median p50 of @phase in the iommu_map configuration like @r in @scope. */
static const struct rgroup *scope_group(const struct rgroup *g, long ng,
					const struct rrow *r,
					const char *scope, const char *phase)
{
	for (long i = 0; i < ng; i++) {
		const struct rrow *q = g[i].row;

		if (!strcmp(q->test, r->test) && !strcmp(q->job, r->job) &&
		    !strcmp(q->scope, scope) && !strcmp(q->flush, r->flush) &&
		    q->iova_bits == r->iova_bits && q->live == r->live &&
		    q->size == r->size && q->threads == r->threads &&
		    !strcmp(q->phase, phase))
			return &g[i];
	}
	return NULL;
}

/*
 * Per-device vs per-instance: for each iommu_map job and flush policy
 * measured in both scopes, p50 per phase, throughput and invalidation
 * cost per buffer, the two scopes on consecutive lines.
 */
static void scope_tables(const struct rgroup *g, long ng)
{
	static const char *const ph[5] = {
		"iova_alloc", "map", "unmap", "invalidate", "iova_free"
	};
	static const char *const sc[2] = { "per-device", "per-instance" };
	char *seen = calloc((size_t)ng, 1);
	char size[32], var[64], hdr[200];
	unsigned ntab = 0;

	if (!seen)
		return;
	for (long i = 0; i < ng; i++) {
		const struct rrow *f = g[i].row;

		if (seen[i] || strcmp(f->scope, sc[0]) ||
		    strcmp(f->phase, ph[0]))
			continue;
		/* one table per job and flush policy (and iova/live) */
		for (long k = i; k < ng; k++) {
			const struct rrow *q = g[k].row;

			if (!strcmp(q->test, f->test) &&
			    !strcmp(q->job, f->job) &&
			    !strcmp(q->flush, f->flush) &&
			    q->iova_bits == f->iova_bits &&
			    q->live == f->live && !strcmp(q->phase, ph[0]) &&
			    !strcmp(q->scope, sc[0]))
				seen[k] = 1;
		}
		{
			long k;

			for (k = 0; k < ng; k++)
				if (scope_group(g, ng, g[k].row, sc[1],
						ph[0]) &&
				    !strcmp(g[k].row->flush, f->flush) &&
				    !strcmp(g[k].row->job, f->job))
					break;
			if (k == ng)
				continue;	/* one scope only */
		}
		rrow_variant(f, var, sizeof(var));
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
		for (long k = 0; k < ng; k++) {
			const struct rrow *r = g[k].row;

			if (strcmp(r->test, f->test) || strcmp(r->job, f->job) ||
			    strcmp(r->scope, sc[0]) ||
			    strcmp(r->flush, f->flush) ||
			    r->iova_bits != f->iova_bits ||
			    r->live != f->live || strcmp(r->phase, ph[0]))
				continue;
			for (int s = 0; s < 2; s++) {
				const struct rgroup *first =
					scope_group(g, ng, r, sc[s], ph[0]);

				if (!first)
					continue;
				printf("%6s %3u %-4s", s ? "" :
				       format_size(r->size, size, sizeof(size)),
				       r->threads, s ? "inst" : "dev");
				for (int p = 0; p < 5; p++) {
					const struct rgroup *q = scope_group(
						g, ng, r, sc[s], ph[p]);
					char a[16];

					if (q)
						fmt_ns(med(q->p50, q->n), a,
						       sizeof(a));
					printf(" %6s", q ? a : "-");
				}
				printf(" %9.0f %6.0f\n",
				       med(first->ops, first->n),
				       med(first->inval, first->n));
			}
		}
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
	const struct rrow *p = ((const struct rgroup *)x)->row;
	const struct rrow *q = ((const struct rgroup *)y)->row;
	int c;

	if ((c = strcmp(p->job, q->job)) || (c = strcmp(p->test, q->test)))
		return c;
	/*
	 * phases are not ordered: qsort is not stable, so table() looks the
	 * phases up by name
	 */
	return rrow_cmp_setup(p, q);
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
