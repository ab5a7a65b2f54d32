// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The A/B statistics against known values: medians, the binomial CI of a
 * median, the Mann-Whitney U null distribution (against brute-force
 * enumeration and textbook table values), p-values (R's wilcox.test on
 * Hollander & Wolfe's example) and Hodges-Lehmann intervals worked by hand.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <string.h>

#include "testutil.h"
#include "util/abstats.h"

#define NEAR(x, y, eps) (fabs((x) - (y)) <= (eps))

static void test_median(void)
{
	double odd[] = { 3, 1, 2 }, even[] = { 4, 1, 3, 2 }, one[] = { 7 };
	double ten[] = { 10, 9, 8, 7, 6, 5, 4, 3, 2, 1 }, lo, hi;

	CHECK(ab_median(odd, 3) == 2, "%g", ab_median(odd, 3));
	CHECK(ab_median(even, 4) == 2.5, "%g", ab_median(even, 4));
	CHECK(ab_median(one, 1) == 7, "single");
	CHECK(isnan(ab_median(one, 0)), "empty");
	CHECK(odd[0] == 3 && even[0] == 4, "input not modified");
	/* n = 10: P(B <= 1) = 11/1024 <= 0.025 < P(B <= 2): [x(2), x(9)] */
	CHECK(ab_median_ci(ten, 10, 0.95, &lo, &hi) == 0 && lo == 2 &&
	      hi == 9, "ci10 [%g, %g]", lo, hi);
	/* n = 6: P(B = 0) = 1/64 = 0.0156: [x(1), x(6)] */
	CHECK(ab_median_ci(ten, 6, 0.95, &lo, &hi) == 0 && lo == 5 &&
	      hi == 10, "ci6 [%g, %g]", lo, hi);
	/* n = 5: 1/32 = 0.031 > 0.025: no 95 % interval */
	CHECK(ab_median_ci(ten, 5, 0.95, &lo, &hi) == -1, "ci5");
}

/* Brute force: P(U <= u) over all C(m+n, m) choices of A's ranks. */
static double brute_cdf(unsigned m, unsigned n, unsigned u)
{
	unsigned N = m + n, count = 0, total = 0;

	for (unsigned mask = 0; mask < (1U << N); mask++) {
		unsigned U = 0, bs = 0;

		if ((unsigned)__builtin_popcount(mask) != m)
			continue;
		/* walk ranks upwards: an A element beats every B below */
		for (unsigned r = 0; r < N; r++) {
			if (mask >> r & 1)
				U += bs;
			else
				bs++;
		}
		total++;
		count += U <= u;
	}
	return (double)count / total;
}

static void test_mwu_distribution(void)
{
	int bad = 0;

	/* textbook tables: m = n = 4: P(U=0) = 1/70; m = n = 5 */
	CHECK(NEAR(ab_mwu_cdf(4, 4, 0), 1.0 / 70, 1e-12), "4,4,0");
	CHECK(NEAR(ab_mwu_cdf(5, 5, 2), 4.0 / 252, 1e-12), "5,5,2 %g",
	      ab_mwu_cdf(5, 5, 2));
	CHECK(NEAR(ab_mwu_cdf(5, 5, 3), 7.0 / 252, 1e-12), "5,5,3");
	CHECK(ab_mwu_cdf(5, 5, 25) == 1.0 && ab_mwu_cdf(5, 5, -1) == 0.0,
	      "ends");
	for (unsigned m = 1; m <= 6; m++)
		for (unsigned n = 1; n <= 7; n++)
			for (unsigned u = 0; u <= m * n; u++)
				if (!NEAR(ab_mwu_cdf(m, n, u),
					  brute_cdf(m, n, u), 1e-12))
					bad++;
	CHECK(bad == 0, "%d cdf values differ from enumeration", bad);
}

static void test_mwu_pvalues(void)
{
	/* R: wilcox.test(x, y): W = 35, p-value = 0.2544 (two-sided) */
	double x[] = { 0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64,
		       0.73, 1.46 };
	double y[] = { 1.15, 0.88, 0.90, 0.74, 1.21 };
	double a[] = { 1, 2, 3, 4, 5 }, b[] = { 11, 12, 13, 14, 15 };
	double t1[] = { 1, 1, 2, 2 }, t2[] = { 2, 2, 3, 3 };
	double same[] = { 5, 5, 5 };
	struct mwu_result r;

	CHECK(ab_mann_whitney(x, 10, y, 5, &r) == 0 && r.exact &&
	      r.u == 35 && NEAR(r.p, 0.2544, 5e-5), "H&W: U %g p %g", r.u,
	      r.p);
	/* completely separated 5 vs 5: 2/252 */
	CHECK(ab_mann_whitney(a, 5, b, 5, &r) == 0 && r.u == 0 &&
	      NEAR(r.p, 2.0 / 252, 1e-12), "separated: U %g p %g", r.u, r.p);
	CHECK(ab_mann_whitney(b, 5, a, 5, &r) == 0 && r.u == 25 &&
	      NEAR(r.p, 2.0 / 252, 1e-12), "reversed: U %g p %g", r.u, r.p);
	/*
	 * Ties: normal approximation with tie and continuity correction.
	 * U = 2, mu = 8, var = 16/12 (9 - 72/56) = 10.2857,
	 * z = 5.5 / 3.2071 = 1.7150, p = 0.08635 (R, exact = FALSE).
	 */
	CHECK(ab_mann_whitney(t1, 4, t2, 4, &r) == 0 && !r.exact &&
	      r.u == 2 && NEAR(r.p, 0.08635, 2e-4) && r.z < 0,
	      "ties: U %g z %g p %g", r.u, r.z, r.p);
	CHECK(ab_mann_whitney(same, 3, same, 3, &r) == 0 && r.p == 1.0,
	      "all equal: p %g", r.p);
	CHECK(ab_mann_whitney(a, 0, b, 5, &r) == -1, "empty");
}

static void test_hodges_lehmann(void)
{
	double a[] = { 1, 2, 3, 4, 5 }, b[] = { 11, 12, 13, 14, 15 };
	double c[] = { 10, 10, 10 }, d[] = { 12, 12, 12 };
	double est, lo, hi, ach;

	/*
	 * Differences b - a = 10 + (j - i): 6 x1, 7 x2, 8 x3, 9 x4, 10 x5,
	 * 11 x4, 12 x3, 13 x2, 14 x1.  m = n = 5: P(U <= 2) = 4/252 <=
	 * 0.025 < 7/252, so cut 3 from each end: [D(4), D(22)] = [8, 12],
	 * coverage 1 - 8/252 = 0.9683.
	 */
	CHECK(ab_hodges_lehmann(a, 5, b, 5, 0.95, &est, &lo, &hi, &ach) == 0
	      && est == 10 && lo == 8 && hi == 12 &&
	      NEAR(ach, 1 - 8.0 / 252, 1e-12), "est %g [%g, %g] %g", est,
	      lo, hi, ach);
	/* 3 vs 3: P(U = 0) = 1/20 > 0.025: no 95 % interval */
	CHECK(ab_hodges_lehmann(c, 3, d, 3, 0.95, &est, &lo, &hi, &ach) == 1
	      && est == 2 && lo == 2 && hi == 2, "small: %g [%g, %g]", est,
	      lo, hi);
	/* large samples (normal approximation): a shift of 100 */
	{
		double big_a[60], big_b[60];

		for (int i = 0; i < 60; i++) {
			big_a[i] = 1000 + i;
			big_b[i] = 1100 + i;
		}
		CHECK(ab_hodges_lehmann(big_a, 60, big_b, 60, 0.95, &est, &lo,
					&hi, &ach) == 0 && est == 100 &&
		      lo < 100 && hi > 100 && lo > 80 && hi < 120 &&
		      ach >= 0.95 && ach < 0.96, "big: %g [%g, %g] %g", est,
		      lo, hi, ach);
	}
	CHECK(NEAR(ab_norm_quantile(0.025), 1.959964, 1e-5), "z %g",
	      ab_norm_quantile(0.025));
}

/* The log-ratio interval: exact on a pure scale change, never below -100 %. */
static void test_ratio_ci(void)
{
	const double a[] = { 100, 200, 400, 800, 1600, 3200, 6400 };
	const double half[] = { 50, 100, 200, 400, 800, 1600, 3200 };
	const double wide[] = { 1, 1e6, 2, 5e5, 3, 7e5, 4 };
	const double zero[] = { 0, 1, 2, 3, 4, 5, 6 };
	double lo, hi;

	CHECK(ab_ratio_ci(a, 7, a, 7, 0.95, &lo, &hi) == 0 &&
	      NEAR(lo, -100.0 * (1 - 1.0 / 8), 1e-9) && NEAR(hi, 700, 1e-9),
	      "same samples: [%g, %g]", lo, hi);
	CHECK(ab_ratio_ci(half, 7, half, 7, 0.95, &lo, &hi) == 0 &&
	      lo < 0 && hi > 0, "no change contains 0: [%g, %g]", lo, hi);
	CHECK(ab_ratio_ci(a, 7, wide, 7, 0.95, &lo, &hi) == 0 && lo > -100 &&
	      lo <= hi, "noisy data stays above -100 %%: [%g, %g]", lo, hi);
	CHECK(ab_ratio_ci(zero, 7, a, 7, 0.95, &lo, &hi) == -1,
	      "non-positive sample refused");
	CHECK(ab_ratio_ci(a, 2, half, 2, 0.95, &lo, &hi) == -1,
	      "too few samples refused");
}

int main(void)
{
	test_median();
	test_mwu_distribution();
	test_mwu_pvalues();
	test_hodges_lehmann();
	test_ratio_ci();
	return test_report();
}
