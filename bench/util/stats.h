/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Statistics from the module's latency histograms (bucket functions in
 * dmabench_abi.h).  A histogram is an array of DMABENCH_HIST_BUCKETS
 * uint64_t sample counts.
 */
#ifndef DMABENCH_UTIL_STATS_H
#define DMABENCH_UTIL_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "dmabench_abi.h"

struct phase_stats {
	uint64_t ops;		/* samples (exact, from the module) */
	uint64_t min_ns;
	uint64_t max_ns;
	double mean_ns;		/* exact: sum / ops */
	double stddev_ns;	/* from the histogram bucket values */
	uint64_t p50_ns, p90_ns, p99_ns, p999_ns;
	double ops_per_sec;	/* ops / elapsed wall time */
};

/* dst[b] += src[b] for every bucket: combine threads or repeated runs. */
void hist_merge(uint64_t *dst, const uint64_t *src);

/* Number of samples in a histogram. */
uint64_t hist_count(const uint64_t *hist);

/*
 * The value that stands for bucket @b: the midpoint of the integers in
 * [lower(b), lower(b+1)), clamped to [min, max] (the exact extremes are
 * known, and a bucket cannot hold values outside them).
 */
uint64_t hist_bucket_value(uint32_t b, uint64_t min, uint64_t max);

/*
 * Nearest-rank percentile: the value of the bucket holding the sample of
 * rank ceil(n * ppm / 1e6) (ppm = parts per million, 990000 = p99).
 * The true percentile lies in the same bucket.  0 for an empty histogram.
 */
uint64_t hist_percentile(const uint64_t *hist, uint32_t ppm,
			 uint64_t min, uint64_t max);

/* Nearest rank for @n samples at @ppm, computed without overflow. */
uint64_t percentile_rank(uint64_t n, uint32_t ppm);

/* Population standard deviation around @mean using bucket values. */
double hist_stddev(const uint64_t *hist, double mean, uint64_t min,
		   uint64_t max);

/*
 * Drift within a run: the p50 of the second half of the samples (@hist2,
 * the module's hist2) against the first half (@hist - @hist2), in % of
 * the first (*pct), and *drifted when it moved beyond the run's own noise:
 * more than half the mean interquartile range of the two halves, and more
 * than two histogram buckets (1/32 of the median).  Returns 0 (and both 0)
 * when a half has fewer than DRIFT_MIN_SAMPLES samples.
 */
#define DRIFT_MIN_SAMPLES	20
int hist_drift(const uint64_t *hist, const uint64_t *hist2, uint64_t min,
	       uint64_t max, double *pct, int *drifted);

/* Everything the outputs print for one phase of one run. */
void phase_stats_compute(struct phase_stats *st,
			 const struct dmabench_phase *phase,
			 const uint64_t *hist, uint64_t elapsed_ns);

#endif /* DMABENCH_UTIL_STATS_H */
