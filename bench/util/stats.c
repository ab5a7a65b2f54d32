// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Percentiles, mean and deviation from the module's latency histograms. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <string.h>

#include "util/stats.h"

void hist_merge(uint64_t *dst, const uint64_t *src)
{
	for (uint32_t b = 0; b < DMABENCH_HIST_BUCKETS; b++)
		dst[b] += src[b];
}

uint64_t hist_count(const uint64_t *hist)
{
	uint64_t n = 0;

	for (uint32_t b = 0; b < DMABENCH_HIST_BUCKETS; b++)
		n += hist[b];
	return n;
}

uint64_t hist_bucket_value(uint32_t b, uint64_t min, uint64_t max)
{
	/* lower(BUCKETS) is 2^34, so the last bucket works like the others;
	 * longer samples clamped into it are caught by the clamp to max */
	uint64_t lo = dmabench_hist_lower(b);
	uint64_t hi = dmabench_hist_lower(b + 1) - 1;
	uint64_t v;

	v = lo + (hi - lo) / 2;
	if (v < min)
		v = min;
	if (v > max)
		v = max;
	return v;
}

uint64_t percentile_rank(uint64_t n, uint32_t ppm)
{
	/* ceil(n * ppm / 1e6) with n = 1e6 * a + r, so nothing overflows */
	uint64_t a = n / 1000000, r = n % 1000000;
	uint64_t rank = a * ppm + (r * ppm + 999999) / 1000000;

	return rank ? rank : 1;
}

uint64_t hist_percentile(const uint64_t *hist, uint32_t ppm,
			 uint64_t min, uint64_t max)
{
	uint64_t n = hist_count(hist), rank, seen = 0;

	if (n == 0)
		return 0;
	rank = percentile_rank(n, ppm);
	for (uint32_t b = 0; b < DMABENCH_HIST_BUCKETS; b++) {
		seen += hist[b];
		if (seen >= rank)
			return hist_bucket_value(b, min, max);
	}
	return max;	/* not reached: rank <= n */
}

double hist_stddev(const uint64_t *hist, double mean, uint64_t min,
		   uint64_t max)
{
	double sum = 0.0;
	uint64_t n = 0;

	for (uint32_t b = 0; b < DMABENCH_HIST_BUCKETS; b++) {
		double d;

		if (!hist[b])
			continue;
		d = (double)hist_bucket_value(b, min, max) - mean;
		sum += d * d * (double)hist[b];
		n += hist[b];
	}
	return n ? sqrt(sum / (double)n) : 0.0;
}

void phase_stats_compute(struct phase_stats *st,
			 const struct dmabench_phase *phase,
			 const uint64_t *hist, uint64_t elapsed_ns)
{
	memset(st, 0, sizeof(*st));
	st->ops = phase->ops;
	if (!phase->ops)
		return;	/* min_ns may hold the module's "none yet" marker */
	st->min_ns = phase->min_ns;
	st->max_ns = phase->max_ns;
	st->mean_ns = (double)phase->sum_ns / (double)phase->ops;
	st->stddev_ns = hist_stddev(hist, st->mean_ns, st->min_ns, st->max_ns);
	st->p50_ns = hist_percentile(hist, 500000, st->min_ns, st->max_ns);
	st->p90_ns = hist_percentile(hist, 900000, st->min_ns, st->max_ns);
	st->p99_ns = hist_percentile(hist, 990000, st->min_ns, st->max_ns);
	st->p999_ns = hist_percentile(hist, 999000, st->min_ns, st->max_ns);
	if (elapsed_ns)
		st->ops_per_sec = (double)phase->ops * 1e9 / (double)elapsed_ns;
}

int hist_drift(const uint64_t *hist, const uint64_t *hist2, uint64_t min,
	       uint64_t max, double *pct, int *drifted)
{
	uint64_t first[DMABENCH_HIST_BUCKETS];
	uint64_t m1, m2, iqr1, iqr2, d, noise;

	*pct = 0.0;
	*drifted = 0;
	for (uint32_t b = 0; b < DMABENCH_HIST_BUCKETS; b++)
		first[b] = hist[b] >= hist2[b] ? hist[b] - hist2[b] : 0;
	if (hist_count(first) < DRIFT_MIN_SAMPLES ||
	    hist_count(hist2) < DRIFT_MIN_SAMPLES)
		return 0;
	m1 = hist_percentile(first, 500000, min, max);
	m2 = hist_percentile(hist2, 500000, min, max);
	iqr1 = hist_percentile(first, 750000, min, max) -
	       hist_percentile(first, 250000, min, max);
	iqr2 = hist_percentile(hist2, 750000, min, max) -
	       hist_percentile(hist2, 250000, min, max);
	if (!m1)
		return 0;
	*pct = ((double)m2 - (double)m1) * 100.0 / (double)m1;
	d = m2 > m1 ? m2 - m1 : m1 - m2;
	/* half the pooled IQR, and never finer than two buckets (1/64) */
	noise = (iqr1 + iqr2) / 4;
	if (noise < m1 / 32)
		noise = m1 / 32;
	*drifted = d > noise;
	return 1;
}
