// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Histogram buckets, merging and statistics against brute force on random
 * data: the exact percentile of the sorted samples must fall in the same
 * bucket as the histogram's answer, and the histogram stddev may differ
 * from the exact one by at most the largest half bucket width involved.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "util/stats.h"

#define NSAMPLES 20000

static uint64_t hist[DMABENCH_HIST_BUCKETS];
static uint64_t parts[4][DMABENCH_HIST_BUCKETS];
static uint64_t samples[NSAMPLES];

static uint64_t bucket_width(uint32_t b)
{
	return dmabench_hist_lower(b + 1) - dmabench_hist_lower(b);
}

static void test_buckets(void)
{
	uint64_t seed = 1;
	int bad = 0;

	CHECK(DMABENCH_HIST_BUCKETS == 1856, "%u", DMABENCH_HIST_BUCKETS);
	CHECK(dmabench_hist_lower(DMABENCH_HIST_BUCKETS) == (1ULL << 34),
	      "top %llu", (unsigned long long)
	      dmabench_hist_lower(DMABENCH_HIST_BUCKETS));
	/* every bucket's bounds map back to it; bounds strictly increase */
	for (uint32_t b = 0; b < DMABENCH_HIST_BUCKETS; b++) {
		uint64_t lo = dmabench_hist_lower(b);
		uint64_t hi = dmabench_hist_lower(b + 1) - 1;

		if (dmabench_hist_bucket(lo) != b || dmabench_hist_bucket(hi) != b ||
		    hi < lo)
			bad++;
		/* width at most 1/64 of the lower bound above 64 ns */
		if (lo >= 64 && bucket_width(b) * 64 > lo)
			bad++;
	}
	CHECK(bad == 0, "%d bucket bound errors", bad);
	for (uint64_t v = 0; v < 64; v++)
		if (dmabench_hist_bucket(v) != v)
			bad++;
	CHECK(bad == 0, "small values are not exact");
	for (int i = 0; i < 100000; i++) {
		uint64_t v = test_rand(&seed) >> (test_rand(&seed) % 64);
		uint32_t b = dmabench_hist_bucket(v);

		if (v >= (1ULL << 34)) {
			if (b != DMABENCH_HIST_BUCKETS - 1)
				bad++;
		} else if (dmabench_hist_lower(b) > v ||
			   dmabench_hist_lower(b + 1) <= v) {
			bad++;
		}
	}
	CHECK(bad == 0, "%d random values in the wrong bucket", bad);
	CHECK(dmabench_hist_bucket(UINT64_MAX) == DMABENCH_HIST_BUCKETS - 1,
	      "clamp");
	/* the bucket value is the midpoint, clamped to [min, max] */
	CHECK(hist_bucket_value(10, 0, 1000) == 10, "exact small bucket");
	CHECK(hist_bucket_value(dmabench_hist_bucket(1000), 0, 5000) ==
	      dmabench_hist_lower(dmabench_hist_bucket(1000)) +
	      (bucket_width(dmabench_hist_bucket(1000)) - 1) / 2, "midpoint");
	CHECK(hist_bucket_value(dmabench_hist_bucket(1000), 1000, 1000) == 1000,
	      "clamp to min/max");
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

enum dist { UNIFORM_SMALL, UNIFORM, EXPONENTIAL, LOGNORMAL, BIMODAL,
	    CONSTANT, HUGE_TAIL, NDIST };
static const char *const dist_names[] = { "uniform-small", "uniform",
	"exponential", "lognormal", "bimodal", "constant", "huge-tail" };

static uint64_t draw(enum dist d, uint64_t *seed)
{
	double u = test_rand01(seed);

	switch (d) {
	case UNIFORM_SMALL:
		return test_rand(seed) % 64;
	case UNIFORM:
		return 100 + test_rand(seed) % 100000;
	case EXPONENTIAL:
		return (uint64_t)(-log(1.0 - u) * 2000.0);
	case LOGNORMAL: {
		/* Box-Muller normal, then exp */
		double z = sqrt(-2.0 * log(1.0 - u)) *
			   cos(2.0 * M_PI * test_rand01(seed));

		return (uint64_t)exp(7.0 + 1.5 * z);
	}
	case BIMODAL:
		return u < 0.9 ? 300 + test_rand(seed) % 20 :
				 50000 + test_rand(seed) % 5000;
	case CONSTANT:
		return 777;
	case HUGE_TAIL:
		/* a few samples beyond the last bucket (> 2^34 ns) */
		return u < 0.995 ? 1000 + test_rand(seed) % 1000 :
				   (1ULL << 35) + test_rand(seed) % 1000;
	default:
		return 0;
	}
}

static void test_distribution(enum dist d, size_t n, uint64_t seed)
{
	static const uint32_t ppms[] = { 1, 500000, 900000, 990000, 999000,
					 1000000 };
	struct dmabench_phase ph = { .name = "map" };
	struct phase_stats st;
	uint64_t sum = 0, maxw = 0;
	double mean, var = 0;
	const char *name = dist_names[d];
	unsigned bad_buckets = 0;

	memset(hist, 0, sizeof(hist));
	memset(parts, 0, sizeof(parts));
	for (size_t i = 0; i < n; i++) {
		uint64_t v = draw(d, &seed);
		uint32_t b = dmabench_hist_bucket(v);

		samples[i] = v;
		parts[i % 4][b]++;	/* four "threads" */
		sum += v;
		if (bucket_width(b) > maxw)
			maxw = bucket_width(b);
	}
	for (int t = 0; t < 4; t++)
		hist_merge(hist, parts[t]);
	/* per bucket: merged minus one thread's counts == the other three */
	for (uint32_t b = 0; b < DMABENCH_HIST_BUCKETS; b++)
		bad_buckets += hist[b] - parts[0][b] !=
			       parts[1][b] + parts[2][b] + parts[3][b];
	CHECK(bad_buckets == 0, "%s: %u buckets where merged minus thread 0 "
	      "is not threads 1..3", name, bad_buckets);
	CHECK(hist_count(hist) == n, "%s: merged count %llu", name,
	      (unsigned long long)hist_count(hist));
	qsort(samples, n, sizeof(samples[0]), cmp_u64);

	for (size_t i = 0; i < sizeof(ppms) / sizeof(ppms[0]); i++) {
		uint64_t rank = percentile_rank(n, ppms[i]);
		uint64_t exact = samples[rank - 1];
		uint64_t got = hist_percentile(hist, ppms[i], samples[0],
					       samples[n - 1]);

		CHECK(dmabench_hist_bucket(got) == dmabench_hist_bucket(exact),
		      "%s n=%zu ppm=%u: histogram %llu, exact %llu", name, n,
		      ppms[i], (unsigned long long)got,
		      (unsigned long long)exact);
		CHECK(got >= samples[0] && got <= samples[n - 1],
		      "%s: percentile %llu outside [min,max]", name,
		      (unsigned long long)got);
	}

	mean = (double)sum / (double)n;
	for (size_t i = 0; i < n; i++)
		var += ((double)samples[i] - mean) * ((double)samples[i] - mean);
	ph.ops = n;
	ph.sum_ns = sum;
	ph.min_ns = samples[0];
	ph.max_ns = samples[n - 1];
	phase_stats_compute(&st, &ph, hist, 2000000000ULL);
	CHECK(st.mean_ns == mean, "%s: mean %f vs %f", name, st.mean_ns, mean);
	/*
	 * Moving each sample by <= maxw changes the RMS by <= maxw.  Not for
	 * samples beyond the last bucket (> 17 s): their size is lost.
	 */
	CHECK(d == HUGE_TAIL ||
	      fabs(st.stddev_ns - sqrt(var / (double)n)) <= (double)maxw,
	      "%s: stddev %f vs exact %f (bucket width %llu)", name,
	      st.stddev_ns, sqrt(var / (double)n), (unsigned long long)maxw);
	CHECK(st.min_ns == samples[0] && st.max_ns == samples[n - 1],
	      "%s: min/max", name);
	CHECK(fabs(st.ops_per_sec - (double)n / 2.0) < 1e-6,
	      "%s: ops/s %f", name, st.ops_per_sec);
	CHECK(st.p50_ns <= st.p90_ns && st.p90_ns <= st.p99_ns &&
	      st.p99_ns <= st.p999_ns && st.p999_ns <= st.max_ns,
	      "%s: percentiles not monotonic", name);
}

static void test_ranks(void)
{
	CHECK(percentile_rank(1, 500000) == 1, "n=1");
	CHECK(percentile_rank(1, 1) == 1, "tiny p");
	CHECK(percentile_rank(10, 500000) == 5, "%llu",
	      (unsigned long long)percentile_rank(10, 500000));
	CHECK(percentile_rank(11, 500000) == 6, "ceil");
	CHECK(percentile_rank(1000, 999000) == 999, "p999 of 1000");
	CHECK(percentile_rank(1001, 999000) == 1000, "p999 of 1001");
	CHECK(percentile_rank(100, 1000000) == 100, "p100");
	/* no overflow near 2^64: ceil(0.99 * (2^64 - 1)) */
	CHECK(percentile_rank(UINT64_MAX, 990000) ==
	      (uint64_t)(((unsigned __int128)UINT64_MAX * 990000 + 999999) /
			 1000000), "huge n");
}

static void test_empty(void)
{
	struct dmabench_phase ph = { .ops = 0, .min_ns = UINT64_MAX };
	struct phase_stats st;

	memset(hist, 0, sizeof(hist));
	phase_stats_compute(&st, &ph, hist, 1000);
	CHECK(st.ops == 0 && st.min_ns == 0 && st.max_ns == 0 &&
	      st.mean_ns == 0 && st.p99_ns == 0 && st.ops_per_sec == 0,
	      "empty phase must be all zero");
	CHECK(hist_percentile(hist, 500000, 0, 0) == 0, "empty percentile");
}

int main(void)
{
	static const size_t sizes[] = { 1, 2, 7, 1000, NSAMPLES };

	test_buckets();
	test_ranks();
	test_empty();
	for (int d = 0; d < NDIST; d++)
		for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
			test_distribution((enum dist)d, sizes[i],
					  0x9E3779B97F4A7C15ULL * (d + 1) + i);
	return test_report();
}
