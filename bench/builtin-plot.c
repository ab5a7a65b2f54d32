// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * dmabench plot DIR... --out OUT: data files and gnuplot driver scripts
 * for the plots a reviewer wants, rendered to PNG (800x600) and SVG with
 * the templates in scripts/gnuplot/:
 *   lat_size-TEST-PHASE       latency vs size, p50 line over p90..p99 band
 *   tput_threads-TEST         throughput vs threads
 *   tput_size                 whole-op throughput vs size, the tests side
 *                             by side (two or more tests, two or more sizes)
 *   cdf-TEST-PHASE            latency CDF from hist.csv
 *   bars-TEST-PHASE           p50 per size, one bar per dir/domain type
 *   compare-TEST-PHASE        change vs the first DIR with 95 % CI whiskers
 *   scopes-TEST-SIZE          IOMMU API tests: p50 per phase, one bar per
 *                             scope x flush policy
 *   inval-TEST                IOMMU API tests: invalidation cost per
 *                             buffer by flush policy / threads and scope
 *   drift-TEST-PHASE          aging runs (run --interval): p50 and p99
 *                             of every interval over time
 * gnuplot is needed only to render: without it the .dat and .gp files are
 * still written and one line says what to install.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "builtin.h"
#include "util/abstats.h"
#include "util/cli.h"
#include "util/output.h"
#include "util/parse-options.h"
#include "util/parse.h"
#include "util/resdir.h"
#include "util/sysfs.h"

#define MAX_DIRS	8
#define MAX_SERIES	8
#define MAX_NAMES	32

#ifndef DMABENCH_GNUPLOT_INSTALLED
#define DMABENCH_GNUPLOT_INSTALLED "/usr/local/share/dmabench/gnuplot"
#endif

static const char plot_usage[] =
	"usage: dmabench plot DIR... --out OUT [options]\n\n";

struct pdir {
	struct rdir d;
	struct rgroup *g;
	long ng;
	struct hist_cfg *h;
	long nh;
};

struct plot_ctx {
	struct pdir dirs[MAX_DIRS];
	int nd;
	const char *out;
	char tpl[1024];
	char setup[512];
	int emulated;
	unsigned threads;
	int rendered, failed, no_gnuplot;
};

/* gnuplot single-quoted string: ' doubled */
static void gp_str(FILE *f, const char *s)
{
	fputc('\'', f);
	for (; *s; s++) {
		if (*s == '\'')
			fputc('\'', f);
		if (*s != '\n')
			fputc(*s, f);
	}
	fputc('\'', f);
}

/*
 * @s as a gnuplot string expression broken into lines of at most @width
 * characters at spaces ('a'."\n".'b'): a plot title wider than the 800
 * pixels is cut at both ends.
 */
static void gp_str_wrapped(FILE *f, const char *s, size_t width)
{
	char part[512];

	while (strlen(s) > width) {
		size_t cut = width;

		while (cut && s[cut] != ' ')
			cut--;
		if (!cut || cut >= sizeof(part))
			break;
		snprintf(part, sizeof(part), "%.*s", (int)cut, s);
		gp_str(f, part);
		fputs(".\"\\n\".", f);
		s += cut + 1;
	}
	gp_str(f, s);
}

static FILE *open_out(const struct plot_ctx *c, const char *name,
		      const char *ext)
{
	char path[1400];

	snprintf(path, sizeof(path), "%s/%s.%s", c->out, name, ext);
	return fopen(path, "w");
}

/* Names of distinct strings, in first-seen order. */
struct names {
	char v[MAX_NAMES][32];
	unsigned n;
};

static void names_add(struct names *n, const char *s)
{
	for (unsigned i = 0; i < n->n; i++)
		if (!strcmp(n->v[i], s))
			return;
	if (n->n < MAX_NAMES)
		str_copy(n->v[n->n++], sizeof(n->v[0]), s);
}

static int cmp_u64(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;

	return (a > b) - (a < b);
}

/*
 * Sorted distinct sizes (or thread counts) of @test over all dirs; not the
 * size 0 of a size mix's totals (its classes have theirs).
 */
static size_t values(const struct plot_ctx *c, const char *test,
		     int threads, uint64_t *out, size_t max)
{
	size_t n = 0;

	for (int d = 0; d < c->nd; d++)
		for (long i = 0; i < c->dirs[d].ng; i++) {
			const struct result_row *r = c->dirs[d].g[i].row;
			uint64_t v = threads ? r->threads : r->size;
			size_t k;

			if (strcmp(r->test, test) || (!threads && !v))
				continue;
			for (k = 0; k < n && out[k] != v; k++)
				;
			if (k == n && n < max)
				out[n++] = v;
		}
	qsort(out, n, sizeof(*out), cmp_u64);
	return n;
}

/* The first group of @p like @like on @key, of @phase (NULL: any) and size. */
static const struct rgroup *find_by(const struct pdir *p,
				    const struct result_row *like, colset key,
				    const char *phase, uint64_t size,
				    unsigned threads)
{
	for (long i = 0; i < p->ng; i++) {
		const struct result_row *r = p->g[i].row;

		if ((!phase || !strcmp(r->phase, phase)) && r->size == size &&
		    r->threads == threads && row_same(r, like, key))
			return &p->g[i];
	}
	return NULL;
}

/*
 * The settings that make a series (domain type, IOMMU API settings,
 * layout, shape) without nents: on a size axis the size says it (map_sg
 * and iova_link map nents x seg_size), so one line runs over every nents.
 */
static colset series_key(void)
{
	return colset_minus(col_roles(ROLE_DOMAIN | ROLE_VARIANT),
			    COLBIT(NENTS));
}

/* row_variant() of @r with "LAYOUT, SEG segments" for its nents */
static void series_variant(const struct result_row *r, char *buf,
			   size_t len)
{
	struct result_row t = *r;
	char v[96], seg[32];

	t.layout[0] = '\0';
	row_variant(&t, v, sizeof(v));
	if (!r->layout[0])
		str_copy(buf, len, v);
	else
		snprintf(buf, len, "%.12s, %.8s segments%s%.60s", r->layout,
			 format_size(r->seg_size, seg, sizeof(seg)),
			 v[0] ? ", " : "", v);
}

/*
 * The group of @test/@phase at @size x @threads in @p whose domain type
 * (unless @any_domain) and settings (scope, flush, layout, ...) are @like's.
 */
static const struct rgroup *find(const struct pdir *p, const char *test,
				 const char *phase,
				 const struct result_row *like,
				 int any_domain, uint64_t size,
				 unsigned threads)
{
	colset key = any_domain ? colset_minus(series_key(),
					       col_roles(ROLE_DOMAIN)) :
				  series_key();

	return strcmp(like->test, test) ? NULL :
	       find_by(p, like, colset_or(key, COLBIT(TEST)), phase, size,
		       threads);
}

/* A series: one dir, one of its domain types and IOMMU API settings. */
struct series {
	int dir;
	const struct result_row *like;
	char title[96];
};

static unsigned all_series(const struct plot_ctx *c, const char *test,
			   struct series *s)
{
	unsigned n = 0;

	for (int d = 0; d < c->nd; d++) {
		unsigned first = n;

		for (long i = 0; i < c->dirs[d].ng && n < MAX_SERIES; i++) {
			const struct result_row *r = c->dirs[d].g[i].row;
			char var[96];
			unsigned k;

			if (strcmp(r->test, test))
				continue;
			for (k = first; k < n; k++)
				if (row_same(s[k].like, r, series_key()))
					break;
			if (k < n)
				continue;
			s[n].dir = d;
			s[n].like = r;
			series_variant(r, var, sizeof(var));
			if (var[0])
				snprintf(s[n].title, sizeof(s[n].title),
					 "%s%s%.50s", c->nd > 1 ?
					 c->dirs[d].d.label : "",
					 c->nd > 1 ? ": " : "", var);
			else
				snprintf(s[n].title, sizeof(s[n].title),
					 "%.40s (%s, %s)", c->dirs[d].d.label,
					 r->domain_type,
					 domain_strictness(r->domain_type));
			n++;
		}
	}
	return n;
}

/* Write NAME.gp and run gnuplot on it in the output directory. */
static void render(struct plot_ctx *c, const char *name, const char *tpl,
		   const char *title, char titles[][96], unsigned n)
{
	FILE *f = open_out(c, name, "gp");
	pid_t pid;
	int st;

	if (!f) {
		c->failed++;
		fail("plot: cannot write %s/%s.gp: %s", c->out, name,
		     strerror(errno));
		return;
	}
	fputs("# written by dmabench plot: gnuplot this file to redraw\n", f);
	fputs("tpl = ", f);
	gp_str(f, c->tpl);
	fputs("\ndata = ", f);
	{
		char dn[300];

		snprintf(dn, sizeof(dn), "%s.dat", name);
		gp_str(f, dn);
	}
	fputs("\nplot_title = ", f);
	gp_str_wrapped(f, title, 100);
	fputs("\nsetup = ", f);
	gp_str(f, c->setup);
	fprintf(f, "\nemulated = %d\nN = %u\narray titles[%u]\n", c->emulated,
		n, n ? n : 1);
	for (unsigned i = 0; i < n; i++) {
		fprintf(f, "titles[%u] = ", i + 1);
		gp_str(f, titles[i]);
		fputc('\n', f);
	}
	fprintf(f, "set terminal pngcairo size 800,600 font 'DejaVu Sans,10'"
		" noenhanced\nset output '%s.png'\nload tpl.'/common.gp'\n"
		"load tpl.'/%s.gp'\nset terminal svg size 800,600 dynamic "
		"font 'DejaVu Sans,10' noenhanced\nset output '%s.svg'\n"
		"replot\nset output\n", name, tpl, name);
	if (fclose(f)) {
		c->failed++;
		return;
	}
	if (c->no_gnuplot)
		return;
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid == 0) {
		char gp[300];

		snprintf(gp, sizeof(gp), "%s.gp", name);
		if (chdir(c->out))
			_exit(126);
		execlp("gnuplot", "gnuplot", gp, (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &st, 0) < 0) {
		c->failed++;
		return;
	}
	if (WIFEXITED(st) && WEXITSTATUS(st) == 127) {
		c->no_gnuplot = 1;
		fprintf(stderr, "dmabench plot: gnuplot not found: install it "
			"(Debian/Ubuntu: apt-get install gnuplot-nox); the "
			".dat and .gp files are in %s\n", c->out);
		return;
	}
	if (!WIFEXITED(st) || WEXITSTATUS(st)) {
		c->failed++;
		fprintf(stderr, "dmabench plot: gnuplot failed on %s/%s.gp\n",
			c->out, name);
		return;
	}
	c->rendered++;
}

static void plot_lat_size(struct plot_ctx *c, const char *test,
			  const char *phase)
{
	struct series s[MAX_SERIES];
	char titles[MAX_SERIES][96], name[200], title[300], lab[32];
	unsigned ns = all_series(c, test, s), used = 0;
	uint64_t sizes[64];
	size_t nsz = values(c, test, 0, sizes, 64);
	FILE *f;

	snprintf(name, sizeof(name), "lat_size-%s-%s", test, phase);
	f = open_out(c, name, "dat");
	if (!f)
		return;
	for (unsigned i = 0; i < ns; i++) {
		const struct pdir *p = &c->dirs[s[i].dir];
		int any = 0;

		for (size_t k = 0; k < nsz; k++) {
			const struct rgroup *g = find(p, test, phase,
						      s[i].like, 0, sizes[k],
						      c->threads);

			if (!g)
				continue;
			if (!any)
				fprintf(f, "%s# %s\n", used ? "\n\n" : "",
					s[i].title);
			any = 1;
			fprintf(f, "%llu %.1f %.1f %.1f %s\n",
				(unsigned long long)sizes[k],
				ab_median(g->p50, g->n),
				ab_median(g->p90, g->n),
				ab_median(g->p99, g->n),
				format_size(sizes[k], lab, sizeof(lab)));
		}
		if (any)
			str_copy(titles[used++], sizeof(titles[0]),
				 s[i].title);
	}
	fclose(f);
	if (!used)
		return;
	snprintf(title, sizeof(title), "%s %s latency vs buffer size, %u "
		 "thread%s (median of repetitions)", test, phase, c->threads,
		 c->threads == 1 ? "" : "s");
	render(c, name, "lat_size", title, titles, used);
}

static void plot_tput(struct plot_ctx *c, const char *test,
		      const char *phase)
{
	struct series s[MAX_SERIES];
	char titles[MAX_SERIES][96], name[200], title[300], lab[32];
	unsigned ns = all_series(c, test, s), used = 0;
	uint64_t thr[64], sizes[64], pick[2];
	size_t nthr = values(c, test, 1, thr, 64);
	size_t nsz = values(c, test, 0, sizes, 64), npick;
	FILE *f;

	if (nthr < 2 || !nsz)
		return;
	pick[0] = sizes[0];
	pick[1] = sizes[nsz - 1];
	npick = nsz > 1 ? 2 : 1;
	snprintf(name, sizeof(name), "tput_threads-%s", test);
	f = open_out(c, name, "dat");
	if (!f)
		return;
	for (unsigned i = 0; i < ns; i++)
		for (size_t z = 0; z < npick && used < MAX_SERIES; z++) {
			int any = 0;

			for (size_t k = 0; k < nthr; k++) {
				const struct rgroup *g = find(
					&c->dirs[s[i].dir], test, phase,
					s[i].like, 0, pick[z],
					(unsigned)thr[k]);

				if (!g)
					continue;
				if (!any)
					fprintf(f, "%s", used ? "\n\n" : "");
				any = 1;
				fprintf(f, "%llu %.1f\n",
					(unsigned long long)thr[k],
					ab_median(g->ops, g->n));
			}
			if (any)
				snprintf(titles[used++], sizeof(titles[0]),
					 "%.80s %s", s[i].title,
					 format_size(pick[z], lab,
						     sizeof(lab)));
		}
	fclose(f);
	if (!used)
		return;
	snprintf(title, sizeof(title), "%s throughput vs threads (median of "
		 "repetitions)", test);
	render(c, name, "tput_threads", title, titles, used);
}

/*
 * The CDF of the hist.csv configurations of @p that are @want's (all the
 * key but the DMA ops, which hist.csv does not carry).  0 without any.
 */
static int cdf_series(FILE *f, const struct pdir *p,
		      const struct result_row *want, const char *title,
		      int first)
{
	colset key = hist_key();
	uint64_t total = 0, seen = 0;

	for (long k = 0; k < p->nh; k++)
		if (row_same(&p->h[k].row, want, key))
			for (size_t b = 0; b < p->h[k].n; b++)
				total += p->h[k].b[b].count;
	if (!total)
		return 0;
	fprintf(f, "%s# %s\n", first ? "" : "\n\n", title);
	for (long k = 0; k < p->nh; k++) {
		const struct hist_cfg *h = &p->h[k];

		if (!row_same(&h->row, want, key))
			continue;
		for (size_t b = 0; b < h->n; b++) {
			if (!seen)
				fprintf(f, "%llu 0\n",
					(unsigned long long)h->b[b].lower);
			seen += h->b[b].count;
			fprintf(f, "%llu %.6f\n",
				(unsigned long long)h->b[b].lower,
				(double)seen / (double)total);
		}
	}
	return 1;
}

static void plot_cdf(struct plot_ctx *c, const char *test,
		     const char *phase)
{
	struct series s[MAX_SERIES];
	char titles[MAX_SERIES][96], name[200], title[300], lab[32];
	unsigned ns = all_series(c, test, s), used = 0;
	uint64_t sizes[64];
	size_t nsz = values(c, test, 0, sizes, 64);
	static struct result_row want_row;	/* large: not on the stack */
	struct result_row *want = &want_row;
	FILE *f;

	if (!nsz)
		return;
	snprintf(name, sizeof(name), "cdf-%s-%s", test, phase);
	f = open_out(c, name, "dat");
	if (!f)
		return;
	for (unsigned i = 0; i < ns; i++) {
		*want = *s[i].like;
		str_copy(want->phase, sizeof(want->phase), phase);
		want->size = sizes[0];
		want->threads = c->threads;
		if (cdf_series(f, &c->dirs[s[i].dir], want, s[i].title,
			       !used))
			str_copy(titles[used++], sizeof(titles[0]),
				 s[i].title);
	}
	fclose(f);
	if (!used)
		return;
	snprintf(title, sizeof(title), "%s %s latency distribution, %s, %u "
		 "thread%s (all repetitions)", test, phase,
		 format_size(sizes[0], lab, sizeof(lab)), c->threads,
		 c->threads == 1 ? "" : "s");
	render(c, name, "cdf", title, titles, used);
}

static void plot_bars(struct plot_ctx *c, const char *test,
		      const char *phase)
{
	struct series s[MAX_SERIES];
	char titles[MAX_SERIES][96], name[200], title[300], lab[32];
	unsigned ns = all_series(c, test, s);
	uint64_t sizes[64];
	size_t nsz = values(c, test, 0, sizes, 64);
	FILE *f;

	if (ns < 2)
		return;
	snprintf(name, sizeof(name), "bars-%s-%s", test, phase);
	f = open_out(c, name, "dat");
	if (!f)
		return;
	fputs("# size", f);
	for (unsigned i = 0; i < ns; i++) {
		fprintf(f, " s%u", i + 1);
		str_copy(titles[i], sizeof(titles[0]), s[i].title);
	}
	fputc('\n', f);
	for (size_t k = 0; k < nsz; k++) {
		fputs(format_size(sizes[k], lab, sizeof(lab)), f);
		for (unsigned i = 0; i < ns; i++) {
			const struct rgroup *g = find(&c->dirs[s[i].dir], test,
						      phase, s[i].like, 0,
						      sizes[k], c->threads);

			if (g)
				fprintf(f, " %.1f", ab_median(g->p50, g->n));
			else
				fputs(" NaN", f);
		}
		fputc('\n', f);
	}
	fclose(f);
	snprintf(title, sizeof(title), "%s %s p50 latency by domain type / "
		 "run, %u thread%s", test, phase, c->threads,
		 c->threads == 1 ? "" : "s");
	render(c, name, "bars", title, titles, ns);
}

static void plot_compare(struct plot_ctx *c, const char *test,
			 const char *phase)
{
	char titles[MAX_SERIES][96], name[200], title[400], lab[32];
	uint64_t sizes[64];
	size_t nsz = values(c, test, 0, sizes, 64);
	unsigned nc = 0;
	int any = 0;
	const struct result_row *like = NULL;
	char var[96];
	FILE *f;

	if (c->nd < 2)
		return;
	/* one variant (IOMMU API settings): the baseline's first */
	for (long i = 0; i < c->dirs[0].ng && !like; i++)
		if (!strcmp(c->dirs[0].g[i].row->test, test) &&
		    !strcmp(c->dirs[0].g[i].row->phase, phase))
			like = c->dirs[0].g[i].row;
	if (!like)
		return;
	series_variant(like, var, sizeof(var));
	snprintf(name, sizeof(name), "compare-%s-%s", test, phase);
	f = open_out(c, name, "dat");
	if (!f)
		return;
	fputs("# size", f);
	for (int d = 1; d < c->nd && nc < MAX_SERIES; d++, nc++) {
		fprintf(f, " d%d lo%d hi%d", d, d, d);
		snprintf(titles[nc], sizeof(titles[0]), "%.40s vs %.40s",
			 c->dirs[d].d.label, c->dirs[0].d.label);
	}
	fputc('\n', f);
	for (size_t k = 0; k < nsz; k++) {
		const struct rgroup *a = find(&c->dirs[0], test, phase, like,
					      1, sizes[k], c->threads);

		if (!a)
			continue;
		fputs(format_size(sizes[k], lab, sizeof(lab)), f);
		for (unsigned d = 1; d <= nc; d++) {
			const struct rgroup *b = find(&c->dirs[d], test, phase,
						      like, 1, sizes[k],
						      c->threads);
			double ma = ab_median(a->p50, a->n), lo, hi;

			if (!b || !(ma > 0)) {
				fputs(" NaN NaN NaN", f);
				continue;
			}
			if (ab_ratio_ci(a->p50, a->n, b->p50, b->n, 0.95,
					&lo, &hi))
				lo = hi = NAN;
			fprintf(f, " %.2f %.2f %.2f",
				(ab_median(b->p50, b->n) - ma) / ma * 100.0,
				lo, hi);
			any = 1;
		}
		fputc('\n', f);
	}
	fclose(f);
	if (!any)
		return;
	snprintf(title, sizeof(title), "%s %s%s%.96s%s: change in p50 latency vs "
		 "%s, %u thread%s; whiskers: 95%% CI (Hodges-Lehmann, log "
		 "ratio)", test, phase, var[0] ? " (" : "", var,
		 var[0] ? ")" : "", c->dirs[0].d.label, c->threads,
		 c->threads == 1 ? "" : "s");
	render(c, name, "compare", title, titles, nc);
}

/* " median" of @g's p50 (or invalidation cost), " NaN" without @g. */
static int put_median(FILE *f, const struct rgroup *g, int inval)
{
	if (!g) {
		fputs(" NaN", f);
		return 0;
	}
	fprintf(f, " %.1f", ab_median(inval ? g->inval : g->p50, g->n));
	return 1;
}

/* Does @test carry IOMMU API settings (scope, flush: iommu_map)? */
static int has_scopes(const struct plot_ctx *c, const char *test)
{
	for (int d = 0; d < c->nd; d++)
		for (long i = 0; i < c->dirs[d].ng; i++)
			if (!strcmp(c->dirs[d].g[i].row->test, test) &&
			    c->dirs[d].g[i].row->scope[0])
				return 1;
	return 0;
}

/*
 * IOMMU API tests: p50 per phase grouped by scope x flush policy, at the
 * smallest and the largest size.
 */
static void plot_scopes(struct plot_ctx *c, const char *test,
			const struct names *phases)
{
	struct series s[MAX_SERIES];
	char titles[MAX_SERIES][96], name[200], title[300], lab[32];
	unsigned ns = all_series(c, test, s);
	uint64_t sizes[64];
	size_t nsz = values(c, test, 0, sizes, 64);

	if (!ns || !nsz || !has_scopes(c, test))
		return;
	for (unsigned i = 0; i < ns; i++)
		str_copy(titles[i], sizeof(titles[0]), s[i].title);
	for (size_t z = 0; z < nsz; z += nsz > 1 ? nsz - 1 : 1) {
		FILE *f;
		int any = 0;

		format_size(sizes[z], lab, sizeof(lab));
		snprintf(name, sizeof(name), "scopes-%s-%s", test, lab);
		f = open_out(c, name, "dat");
		if (!f)
			return;
		fputs("# phase", f);
		for (unsigned i = 0; i < ns; i++)
			fprintf(f, " s%u", i + 1);
		fputc('\n', f);
		for (unsigned p = 0; p < phases->n; p++) {
			fputs(phases->v[p], f);
			for (unsigned i = 0; i < ns; i++) {
				any |= put_median(f, find(
					&c->dirs[s[i].dir], test,
					phases->v[p], s[i].like, 0, sizes[z],
					c->threads), 0);
			}
			fputc('\n', f);
		}
		fclose(f);
		if (!any)
			continue;
		snprintf(title, sizeof(title), "%s p50 latency per phase by "
			 "scope and flush policy, %s, %u thread%s (median of "
			 "repetitions)", test, lab, c->threads,
			 c->threads == 1 ? "" : "s");
		render(c, name, "scopes", title, titles, ns);
	}
}

/* A bar of the invalidation plot: one scope in one results directory. */
struct scope_series {
	int dir;
	const struct result_row *like;
};

/* The scopes of @test per directory, and its flush policies. */
static unsigned inval_series(const struct plot_ctx *c, const char *test,
			     struct scope_series *s, char titles[][96],
			     struct names *flushes)
{
	unsigned ns = 0;

	for (int d = 0; d < c->nd; d++) {
		unsigned first = ns;

		for (long i = 0; i < c->dirs[d].ng; i++) {
			const struct result_row *r = c->dirs[d].g[i].row;
			unsigned k;

			if (strcmp(r->test, test) || !r->scope[0])
				continue;
			names_add(flushes, r->flush);
			for (k = first; k < ns; k++)
				if (row_same(s[k].like, r, COLBIT(SCOPE)))
					break;
			if (k < ns || ns == MAX_SERIES)
				continue;
			s[ns].dir = d;
			s[ns].like = r;
			snprintf(titles[ns], sizeof(titles[0]), "%.40s%s%s",
				 c->nd > 1 ? c->dirs[d].d.label : "",
				 c->nd > 1 ? ": " : "", r->scope);
			ns++;
		}
	}
	return ns;
}

/*
 * IOMMU API tests: invalidation cost per buffer, one cluster per flush
 * policy and thread count, one bar per scope (and results directory), at
 * the smallest size.
 */
static void plot_inval(struct plot_ctx *c, const char *test)
{
	colset key = COLSET(COL_TEST, COL_SCOPE, COL_FLUSH);
	struct scope_series s[MAX_SERIES];
	char titles[MAX_SERIES][96], name[200], title[300], lab[32];
	struct names flushes = { .n = 0 };
	uint64_t sizes[64], thr[64];
	size_t nsz = values(c, test, 0, sizes, 64);
	size_t nthr = values(c, test, 1, thr, 64);
	static struct result_row want_row;	/* large: not on the stack */
	struct result_row *want = &want_row;
	unsigned ns;
	int any = 0;
	FILE *f;

	if (!nsz || !has_scopes(c, test))
		return;
	ns = inval_series(c, test, s, titles, &flushes);
	snprintf(name, sizeof(name), "inval-%s", test);
	f = open_out(c, name, "dat");
	if (!f)
		return;
	fputs("# flush/threads", f);
	for (unsigned i = 0; i < ns; i++)
		fprintf(f, " s%u", i + 1);
	fputc('\n', f);
	for (unsigned fl = 0; fl < flushes.n; fl++)
		for (size_t t = 0; t < nthr; t++) {
			fprintf(f, "%s/%llu", flushes.v[fl],
				(unsigned long long)thr[t]);
			for (unsigned i = 0; i < ns; i++) {
				*want = *s[i].like;
				str_copy(want->flush, sizeof(want->flush),
					 flushes.v[fl]);
				any |= put_median(f, find_by(
					&c->dirs[s[i].dir], want, key, NULL,
					sizes[0], (unsigned)thr[t]), 1);
			}
			fputc('\n', f);
		}
	fclose(f);
	if (!any || !ns)
		return;
	snprintf(title, sizeof(title), "%s IOTLB invalidation cost per "
		 "buffer by flush policy and scope, %s (median of "
		 "repetitions)", test, format_size(sizes[0], lab, sizeof(lab)));
	render(c, name, "inval", title, titles, ns);
}

static void make_setup(struct plot_ctx *c)
{
	const struct rdir *d = &c->dirs[0].d;
	char k[128], board[128], plat[64], iommu[64];

	/* a bare CSV (run -o x.csv) has no metadata: "?", not empty */
	if (rdir_meta(d, "kernel_release", k, sizeof(k)) || !k[0])
		str_copy(k, sizeof(k), "?");
	if (rdir_meta(d, "board", board, sizeof(board)) || !board[0])
		str_copy(board, sizeof(board), "?");
	if (rdir_meta(d, "iommu_drivers", iommu, sizeof(iommu)) || !iommu[0])
		str_copy(iommu, sizeof(iommu), "none");
	str_copy(plat, sizeof(plat), d->rows[0].platform);
	snprintf(c->setup, sizeof(c->setup), "%s%sLinux %.30s, %.40s, IOMMU "
		 "%.20s, %s", c->nd > 1 ? d->label : "", c->nd > 1 ? ": " : "",
		 k, board, iommu, plat);
	for (int i = 0; i < c->nd; i++)
		if (strcmp(c->dirs[i].d.rows[0].platform, PLATFORM_NATIVE))
			c->emulated = 1;
}

static int find_templates(struct plot_ctx *c, const char *opt)
{
	const char *cand[4] = { opt, getenv("DMABENCH_GNUPLOT_DIR"),
				DMABENCH_GNUPLOT_INSTALLED, NULL };
#ifdef DMABENCH_GNUPLOT_SRC
	cand[3] = DMABENCH_GNUPLOT_SRC;
#endif
	for (int i = 0; i < 4; i++) {
		char p[1100];

		if (!cand[i] || !*cand[i])
			continue;
		snprintf(p, sizeof(p), "%s/common.gp", cand[i]);
		if (!access(p, R_OK)) {
			if (!realpath(cand[i], c->tpl))
				str_copy(c->tpl, sizeof(c->tpl), cand[i]);
			return 0;
		}
		if (i < 2)
			return fail("plot: no gnuplot templates in %s "
				    "(common.gp missing)", cand[i]);
	}
	return fail("plot: gnuplot templates not found: use --templates "
		    "DIR (scripts/gnuplot in the source tree)");
}

struct plot_opts {
	const char *out;
	const char *templates;
	uint32_t threads;
};

#define PO(f)	OPT__FIELD(struct plot_opts, f)

static const struct parse_opt plot_options[] = {
	{ OPTION_STRING, 'o', "out", PO(out), .argh = "OUT",
	  .help = "directory for the .dat, .gp, .png and .svg" },
	{ OPTION_STRING, 0, "templates", PO(templates), .argh = "DIR",
	  .help = "gnuplot templates (default: installed ones,\n"
	  "$DMABENCH_GNUPLOT_DIR, or scripts/gnuplot)" },
	{ OPTION_UINT, 'T', "threads", PO(threads), .min = 1, .max = 1024,
	  .argh = "N", .help = "thread count of the per-size plots (default:\n"
	  "the smallest measured)" },
	OPT_TEXT("\nDIR: results directories of `dmabench sweep`; with two or "
		 "more, the\nfirst is the baseline of the compare plots.  "
		 "Needs gnuplot (Debian:\ngnuplot-nox) to render.\n"),
	OPT_END(),
};

/* Has @test rows of an aging run (time_s) in some directory? */
static int has_aging(const struct plot_ctx *c, const char *test)
{
	for (int d = 0; d < c->nd; d++)
		for (size_t i = 0; i < c->dirs[d].d.n; i++)
			if (c->dirs[d].d.rows[i].aging &&
			    !strcmp(c->dirs[d].d.rows[i].test, test))
				return 1;
	return 0;
}

/*
 * Aging runs: p50 and p99 of every interval against its start, one
 * series per directory and settings (at the plot's thread count and the
 * series' first size; a size mix: its totals).
 */
static void plot_drift(struct plot_ctx *c, const char *test,
		       const char *phase)
{
	struct series s[MAX_SERIES];
	char titles[MAX_SERIES][96], name[200], title[300], lab[32];
	unsigned ns = all_series(c, test, s), used = 0;
	colset key = colset_or(col_roles(ROLE_DOMAIN | ROLE_VARIANT),
			       COLBIT(TEST));
	FILE *f;

	if (!has_aging(c, test))
		return;
	snprintf(name, sizeof(name), "drift-%s-%s", test, phase);
	f = open_out(c, name, "dat");
	if (!f)
		return;
	for (unsigned i = 0; i < ns; i++) {
		const struct rdir *d = &c->dirs[s[i].dir].d;
		const struct result_row *first = NULL;

		for (size_t k = 0; k < d->n; k++) {
			const struct result_row *r = &d->rows[k];

			if (!r->aging || strcmp(r->phase, phase) ||
			    r->threads != c->threads ||
			    !row_same(r, s[i].like, key) ||
			    (first && r->size != first->size))
				continue;
			if (!first)
				fprintf(f, "%s# %s\n", used ? "\n\n" : "",
					s[i].title);
			first = first ? first : r;
			fprintf(f, "%.3f %llu %llu %llu\n", r->time_s,
				(unsigned long long)r->st.p50_ns,
				(unsigned long long)r->st.p90_ns,
				(unsigned long long)r->st.p99_ns);
		}
		if (first)
			snprintf(titles[used++], sizeof(titles[0]), "%.80s%s%s",
				 s[i].title, first->size ? " " : "",
				 first->size ? format_size(first->size, lab,
							   sizeof(lab)) : "");
	}
	fclose(f);
	if (!used)
		return;
	snprintf(title, sizeof(title), "%s %s latency over time, one point per "
		 "interval, %u thread%s", test, phase, c->threads,
		 c->threads == 1 ? "" : "s");
	render(c, name, "drift", title, titles, used);
}

/*
 * Tests side by side: whole-op throughput (ops/s, every phase of an op)
 * against buffer size, one line per test and series, for runs that
 * measured two or more tests at two or more sizes (map_sg against
 * iova_link per nents, map_single against map_phys).
 */
static void plot_tests_size(struct plot_ctx *c, const struct names *tests)
{
	char titles[MAX_SERIES][96], name[] = "tput_size", title[300];
	char lab[32];
	unsigned used = 0, ntests = 0;
	FILE *f;

	for (unsigned t = 0; t < tests->n; t++) {
		uint64_t sizes[64];

		if (values(c, tests->v[t], 0, sizes, 64) >= 2)
			ntests++;
	}
	if (ntests < 2)
		return;
	f = open_out(c, name, "dat");
	if (!f)
		return;
	for (unsigned t = 0; t < tests->n && used < MAX_SERIES; t++) {
		struct series s[MAX_SERIES];
		uint64_t sizes[64];
		const char *test = tests->v[t];
		size_t nsz = values(c, test, 0, sizes, 64);
		unsigned ns = nsz >= 2 ? all_series(c, test, s) : 0;

		for (unsigned i = 0; i < ns && used < MAX_SERIES; i++) {
			int any = 0;

			for (size_t k = 0; k < nsz; k++) {
				const struct rgroup *g = find(
					&c->dirs[s[i].dir], test, NULL,
					s[i].like, 0, sizes[k], c->threads);

				if (!g)
					continue;
				if (!any)
					fprintf(f, "%s# %s: %s\n",
						used ? "\n\n" : "", test,
						s[i].title);
				any = 1;
				fprintf(f, "%llu %.1f %s\n",
					(unsigned long long)sizes[k],
					ab_median(g->ops, g->n),
					format_size(sizes[k], lab,
						    sizeof(lab)));
			}
			if (any)
				snprintf(titles[used++], sizeof(titles[0]),
					 "%s: %.80s", test, s[i].title);
		}
	}
	fclose(f);
	if (!used)
		return;
	snprintf(title, sizeof(title), "whole-op throughput vs buffer size, "
		 "tests side by side, %u thread%s (median of repetitions)",
		 c->threads, c->threads == 1 ? "" : "s");
	render(c, name, "tput_size", title, titles, used);
}

/* Every plot of @test. */
static void plot_test(struct plot_ctx *c, const char *test)
{
	struct names phases = { .n = 0 };

	for (int d = 0; d < c->nd; d++)
		for (long k = 0; k < c->dirs[d].ng; k++)
			if (!strcmp(c->dirs[d].g[k].row->test, test))
				names_add(&phases, c->dirs[d].g[k].row->phase);
	for (unsigned p = 0; p < phases.n; p++) {
		plot_lat_size(c, test, phases.v[p]);
		plot_cdf(c, test, phases.v[p]);
		plot_bars(c, test, phases.v[p]);
		plot_compare(c, test, phases.v[p]);
		plot_drift(c, test, phases.v[p]);
	}
	if (phases.n)
		plot_tput(c, test, phases.v[0]);
	plot_scopes(c, test, &phases);
	plot_inval(c, test);
}

int cmd_plot(int argc, char **argv)
{
	struct plot_opts po = { 0 };
	struct parse_ctx pc = {
		.cmd = "plot", .usage = plot_usage, .max_args = INT_MAX,
	};
	static struct plot_ctx ctx;
	struct plot_ctx *c = &ctx;
	struct names tests = { .n = 0 };
	char err[1200];
	int o, ret = EXIT_FAIL;

	memset(c, 0, sizeof(*c));
	o = parse_options(&pc, argc, argv, plot_options, &po);
	if (o)
		return o < 0 ? EXIT_OK : o;
	c->out = po.out;
	c->threads = po.threads;
	if (!c->out)
		return usage_error("plot", "missing --out DIR");
	if (!pc.nargs)
		return usage_error("plot", "missing results DIR");
	if (pc.nargs > MAX_DIRS)
		return usage_error("plot", "at most %d results directories",
				   MAX_DIRS);
	if (find_templates(c, po.templates))
		return EXIT_FAIL;
	for (int i = 0; i < pc.nargs; i++, c->nd++) {
		struct pdir *p = &c->dirs[c->nd];

		if (rdir_load(pc.args[i], &p->d, err, sizeof(err))) {
			fail("plot: %s", err);
			goto out;
		}
		p->ng = rdir_group(&p->d, 1, &p->g);
		p->nh = rdir_load_hist(pc.args[i], &p->h, err, sizeof(err));
		if (p->nh < 0 && errno != ENOENT && errno != ENOTDIR)
			fprintf(stderr, "dmabench plot: %s: no latency CDF "
				"from %s\n", err, pc.args[i]);
		if (p->ng < 0) {
			fail("out of memory");
			goto out;
		}
		for (long k = 0; k < p->ng; k++)
			names_add(&tests, p->g[k].row->test);
	}
	if (!c->threads) {
		uint64_t t[64];

		c->threads = values(c, tests.v[0], 1, t, 64) ? (unsigned)t[0]
							     : 1;
	}
	if (mkdir(c->out, 0755) && errno != EEXIST) {
		fail("plot: cannot create %s: %s", c->out, strerror(errno));
		goto out;
	}
	make_setup(c);
	for (unsigned t = 0; t < tests.n; t++)
		plot_test(c, tests.v[t]);
	plot_tests_size(c, &tests);
	if (c->no_gnuplot) {
		ret = EXIT_FAIL;
	} else if (c->failed) {
		fail("plot: %d plot%s failed", c->failed,
		     c->failed == 1 ? "" : "s");
	} else {
		fprintf(stderr, "plot: %d plots (PNG and SVG) in %s\n",
			c->rendered, c->out);
		ret = EXIT_OK;
	}
out:
	for (int i = 0; i < c->nd + (c->nd < MAX_DIRS ? 1 : 0); i++) {
		rgroups_free(c->dirs[i].g, c->dirs[i].ng > 0 ?
			     c->dirs[i].ng : 0);
		hist_cfgs_free(c->dirs[i].h, c->dirs[i].nh > 0 ?
			       c->dirs[i].nh : 0);
		rdir_free(&c->dirs[i].d);
	}
	return ret;
}
