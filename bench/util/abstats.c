// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Medians, their confidence intervals, Mann-Whitney U, Hodges-Lehmann. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/abstats.h"

#define EXACT_MAX 50	/* exact U distribution up to this sample size */

static int cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return (a > b) - (a < b);
}

static double *sorted_copy(const double *v, size_t n)
{
	double *s = malloc((n ? n : 1) * sizeof(*s));

	if (!s)
		return NULL;
	memcpy(s, v, n * sizeof(*s));
	qsort(s, n, sizeof(*s), cmp_double);
	return s;
}

double ab_median(const double *v, size_t n)
{
	double *s, m;

	if (!n)
		return NAN;
	s = sorted_copy(v, n);
	if (!s)
		return NAN;
	m = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2.0;
	free(s);
	return m;
}

/* P(Binomial(n, 1/2) <= k) */
static double binom_half_cdf(size_t n, size_t k)
{
	double sum = 0.0, c = 1.0;	/* C(n, i) */

	for (size_t i = 0; i <= k && i <= n; i++) {
		sum += c;
		c = c * (double)(n - i) / (double)(i + 1);
	}
	return sum / pow(2.0, (double)n);
}

int ab_median_ci(const double *v, size_t n, double conf, double *lo,
		 double *hi)
{
	double alpha2 = (1.0 - conf) / 2.0, *s;
	size_t k = 0;

	/* largest k with P(B <= k - 1) <= alpha/2 */
	while (k + 1 <= n / 2 && binom_half_cdf(n, k) <= alpha2)
		k++;
	if (k == 0)
		return -1;
	s = sorted_copy(v, n);
	if (!s)
		return -1;
	*lo = s[k - 1];
	*hi = s[n - k];
	free(s);
	return 0;
}

/*
 * Null distribution of U for sizes m, n: cnt[u] = number of orderings with
 * U = u, out of C(m+n, m).  f(i, j, u) = f(i-1, j, u-j) + f(i, j-1, u):
 * the largest value is from A (beats all j of B) or from B.
 * Returns a malloc'ed array of m*n+1 probabilities, or NULL.
 */
static double *mwu_dist(size_t m, size_t n)
{
	size_t umax = m * n, w = umax + 1;
	double *f = calloc((m + 1) * w, sizeof(*f)), *p, total = 0.0;

	if (!f)
		return NULL;
	for (size_t i = 0; i <= m; i++)
		f[i * w] = 1.0;			/* j = 0: U = 0 only */
	for (size_t j = 1; j <= n; j++)
		for (size_t i = 1; i <= m; i++)
			for (size_t u = umax + 1; u-- > j;)
				f[i * w + u] += f[(i - 1) * w + u - j];
	/*
	 * In-place order: row i (for this j) adds row i-1 (already for this
	 * j) to its own old value (for j-1).  Walking u downwards is not
	 * needed for that (different rows), it is just harmless.
	 */
	p = malloc(w * sizeof(*p));
	if (p) {
		for (size_t u = 0; u < w; u++)
			total += f[m * w + u];
		for (size_t u = 0; u < w; u++)
			p[u] = f[m * w + u] / total;
	}
	free(f);
	return p;
}

double ab_mwu_cdf(size_t m, size_t n, double u)
{
	double *p, c = 0.0;

	if (u < 0)
		return 0.0;
	if (u >= (double)(m * n))
		return 1.0;
	p = mwu_dist(m, n);
	if (!p)
		return NAN;
	for (size_t i = 0; (double)i <= u + 1e-9; i++)
		c += p[i];
	free(p);
	return c > 1.0 ? 1.0 : c;
}

static double norm_cdf(double z)
{
	return 0.5 * erfc(-z / sqrt(2.0));
}

double ab_norm_quantile(double p)
{
	/* bisection on the upper tail: plenty for our few calls */
	double lo = -40.0, hi = 40.0;

	for (int i = 0; i < 200; i++) {
		double mid = (lo + hi) / 2.0;

		if (1.0 - norm_cdf(mid) > p)
			lo = mid;
		else
			hi = mid;
	}
	return (lo + hi) / 2.0;
}

struct ranked {
	double v;
	int from_a;
};

static int cmp_ranked(const void *x, const void *y)
{
	return cmp_double(&((const struct ranked *)x)->v,
			  &((const struct ranked *)y)->v);
}

int ab_mann_whitney(const double *a, size_t m, const double *b, size_t n,
		    struct mwu_result *r)
{
	size_t N = m + n;
	struct ranked *all;
	double ra = 0.0, ties = 0.0, mu, var;
	int tied = 0;

	memset(r, 0, sizeof(*r));
	r->p = 1.0;
	if (!m || !n)
		return -1;
	all = malloc(N * sizeof(*all));
	if (!all)
		return -1;
	for (size_t i = 0; i < m; i++)
		all[i] = (struct ranked){ a[i], 1 };
	for (size_t j = 0; j < n; j++)
		all[m + j] = (struct ranked){ b[j], 0 };
	qsort(all, N, sizeof(*all), cmp_ranked);
	for (size_t i = 0; i < N;) {
		size_t j = i;
		double rank, t;

		while (j + 1 < N && all[j + 1].v == all[i].v)
			j++;
		rank = (double)(i + j + 2) / 2.0;	/* 1-based average */
		t = (double)(j - i + 1);
		if (t > 1) {
			tied = 1;
			ties += t * t * t - t;
		}
		for (size_t k = i; k <= j; k++)
			if (all[k].from_a)
				ra += rank;
		i = j + 1;
	}
	free(all);
	r->u = ra - (double)m * (double)(m + 1) / 2.0;
	mu = (double)m * (double)n / 2.0;
	if (!tied && m <= EXACT_MAX && n <= EXACT_MAX) {
		double lo = ab_mwu_cdf(m, n, r->u);
		double hi = 1.0 - ab_mwu_cdf(m, n, r->u - 1.0);

		r->exact = 1;
		r->p = 2.0 * (lo < hi ? lo : hi);
		if (r->p > 1.0)
			r->p = 1.0;
		return 0;
	}
	var = (double)m * (double)n / 12.0 *
	      ((double)(N + 1) - ties / ((double)N * (double)(N - 1)));
	if (var <= 0.0) {		/* every value equal */
		r->p = 1.0;
		return 0;
	}
	r->z = (fabs(r->u - mu) - 0.5) / sqrt(var);
	if (r->z < 0)
		r->z = 0;
	r->p = 2.0 * (1.0 - norm_cdf(r->z));
	if (r->p > 1.0)
		r->p = 1.0;
	if (r->u < mu)
		r->z = -r->z;
	return 0;
}

int ab_hodges_lehmann(const double *a, size_t m, const double *b, size_t n,
		      double conf, double *est, double *lo, double *hi,
		      double *achieved)
{
	size_t mn = m * n, c;
	double alpha2 = (1.0 - conf) / 2.0, *d, *p = NULL;
	int ret = 0;

	*achieved = 0.0;
	if (!m || !n)
		return -1;
	d = malloc(mn * sizeof(*d));
	if (!d)
		return -1;
	for (size_t i = 0; i < m; i++)
		for (size_t j = 0; j < n; j++)
			d[i * n + j] = b[j] - a[i];
	qsort(d, mn, sizeof(*d), cmp_double);
	*est = mn % 2 ? d[mn / 2] : (d[mn / 2 - 1] + d[mn / 2]) / 2.0;
	/* c = how many differences to cut from each end */
	if (m <= EXACT_MAX && n <= EXACT_MAX) {
		double cum = 0.0;

		p = mwu_dist(m, n);
		if (!p) {
			free(d);
			return -1;
		}
		c = 0;
		while (c < mn / 2 && cum + p[c] <= alpha2 + 1e-12)
			cum += p[c++];
		*achieved = 1.0 - 2.0 * cum;
	} else {
		double sd = sqrt((double)mn * (double)(m + n + 1) / 12.0);
		double z = ab_norm_quantile(alpha2);
		double cc = floor((double)mn / 2.0 - z * sd + 0.5);

		c = cc < 0 ? 0 : (size_t)cc;
		*achieved = 1.0 - 2.0 * norm_cdf(((double)c - 0.5 -
						  (double)mn / 2.0) / sd);
	}
	free(p);
	if (c == 0) {
		*lo = d[0];
		*hi = d[mn - 1];
		ret = 1;
	} else {
		*lo = d[c];		/* D(c+1), 0-based c */
		*hi = d[mn - 1 - c];	/* D(mn-c) */
	}
	free(d);
	return ret;
}

int ab_ratio_ci(const double *a, size_t m, const double *b, size_t n,
		double conf, double *lo, double *hi)
{
	double *la, *lb, est, ach;
	size_t i;
	int ret = -1;

	la = calloc(m ? m : 1, sizeof(*la));
	lb = calloc(n ? n : 1, sizeof(*lb));
	if (!la || !lb)
		goto out;
	for (i = 0; i < m; i++) {
		if (!(a[i] > 0))
			goto out;
		la[i] = log(a[i]);
	}
	for (i = 0; i < n; i++) {
		if (!(b[i] > 0))
			goto out;
		lb[i] = log(b[i]);
	}
	if (ab_hodges_lehmann(la, m, lb, n, conf, &est, lo, hi, &ach) != 0)
		goto out;
	*lo = (exp(*lo) - 1.0) * 100.0;
	*hi = (exp(*hi) - 1.0) * 100.0;
	ret = 0;
out:
	free(la);
	free(lb);
	return ret;
}
