/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Minimal unit-test support: CHECK() counts, test_report() prints
 * "N passed, N failed" and gives the exit status automake's TESTS expect.
 */
#ifndef DMABENCH_TESTUTIL_H
#define DMABENCH_TESTUTIL_H

#include <stdint.h>
#include <stdio.h>

static int tests_passed, tests_failed;

/*
 * The timing columns after align, empty in rows of a module that does not
 * report its timing (the fake leaves batch_used 0), and their header.
 */
#define NO_TIMING	",,,,,,,"
#define TIMING_HEADER	",timing,clock,clock_res_ns,clock_share,warmup_ops," \
			"drift_pct,drift"

#define CHECK(cond, ...)						\
	do {								\
		if (cond) {						\
			tests_passed++;					\
		} else {						\
			tests_failed++;					\
			fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__,	\
				__LINE__, #cond);			\
			fprintf(stderr, __VA_ARGS__);			\
			fputc('\n', stderr);				\
		}							\
	} while (0)

static inline int test_report(void)
{
	printf("%d passed, %d failed\n", tests_passed, tests_failed);
	return tests_failed ? 1 : 0;
}

/* xorshift64*: deterministic, so a failure reproduces */
static inline uint64_t test_rand(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * 0x2545F4914F6CDD1DULL;
}

/* uniform in [0, 1) */
static inline double test_rand01(uint64_t *state)
{
	return (double)(test_rand(state) >> 11) / (double)(1ULL << 53);
}

#endif /* DMABENCH_TESTUTIL_H */
