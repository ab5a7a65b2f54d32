/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Statistics over repetitions for sweep and compare: medians, the
 * distribution-free 95 % confidence interval of a median, the
 * Mann-Whitney U test (exact without ties for samples up to 50, normal
 * approximation with tie and continuity correction otherwise) and the
 * Hodges-Lehmann estimate of a shift with its confidence interval (the one
 * that inverts the same U test).  All samples are doubles; nothing is
 * modified in place.
 */
#ifndef DMABENCH_UTIL_ABSTATS_H
#define DMABENCH_UTIL_ABSTATS_H

#include <stddef.h>

/* Median of @n values (mean of the two middle ones when n is even). */
double ab_median(const double *v, size_t n);

/*
 * Distribution-free CI of the median: [x(k), x(n-k+1)] with the largest k
 * such that P(Binomial(n, 1/2) < k) <= (1 - @conf) / 2.  Returns 0, or -1
 * when n is too small for that confidence (n < 6 at 95 %).
 */
int ab_median_ci(const double *v, size_t n, double conf, double *lo,
		 double *hi);

struct mwu_result {
	double u;		/* U of sample A: pairs with a > b, ties 1/2 */
	double z;		/* normal score (0 if exact) */
	double p;		/* two-sided p-value */
	int exact;		/* p from the exact null distribution */
};

/* Two-sided Mann-Whitney U test of A against B.  -1 if m or n is 0. */
int ab_mann_whitney(const double *a, size_t m, const double *b, size_t n,
		    struct mwu_result *r);

/* P(U <= u) under the null for sample sizes m, n (exact, no ties). */
double ab_mwu_cdf(size_t m, size_t n, double u);

/*
 * Hodges-Lehmann shift of B relative to A: the median of all b - a, and
 * the CI [D(k), D(mn+1-k)] of the sorted differences whose coverage is at
 * least @conf by the U distribution.  *achieved gets the real coverage.
 * Returns 0, 1 when the samples are too small for such an interval (the
 * estimate is still set and lo/hi are the extreme differences), -1 on
 * empty input or no memory.
 */
int ab_hodges_lehmann(const double *a, size_t m, const double *b, size_t n,
		      double conf, double *est, double *lo, double *hi,
		      double *achieved);

/*
 * 95 % (or @conf) CI of B/A - 1 in %: the Hodges-Lehmann interval of
 * log b - log a, exponentiated.  Latencies compare as ratios; a shift
 * interval divided by med A can run below -100 % on noisy data, this one
 * cannot.  Returns 0, or -1 when a sample is not positive, the samples are
 * too small for the interval, or memory runs out.
 */
int ab_ratio_ci(const double *a, size_t m, const double *b, size_t n,
		double conf, double *lo, double *hi);

/* Standard normal upper-tail quantile for probability @p (p in (0, 1)). */
double ab_norm_quantile(double p);

#endif /* DMABENCH_UTIL_ABSTATS_H */
