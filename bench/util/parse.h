/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Parsing of command-line values: sizes, counts, lists, durations. */
#ifndef DMABENCH_UTIL_PARSE_H
#define DMABENCH_UTIL_PARSE_H

#include <stddef.h>
#include <stdint.h>

enum parse_result {
	PARSE_OK = 0,
	PARSE_EMPTY,		/* "" */
	PARSE_GARBAGE,		/* not a number, or junk after it */
	PARSE_SUFFIX,		/* unknown unit suffix */
	PARSE_OVERFLOW,		/* does not fit in 64 bits */
	PARSE_ZERO,		/* zero where a positive value is needed */
	PARSE_RANGE,		/* outside the allowed range */
	PARSE_UNIT,		/* unknown time unit */
};

/* Human-readable reason for a parse_result, for error messages. */
const char *parse_strerror(enum parse_result r);

/*
 * Parse a byte count: decimal digits with an optional K, M, G or T suffix
 * (powers of 1024, either case, optionally followed by "B" or "iB").
 * Zero is rejected (PARSE_ZERO): no test maps an empty buffer.
 */
enum parse_result parse_size(const char *s, uint64_t *out);

/* Plain decimal unsigned integer, no sign, no suffix. */
enum parse_result parse_u64(const char *s, uint64_t *out);

/* Decimal seconds ("5", "0.25") to nanoseconds; must be > 0. */
enum parse_result parse_seconds(const char *s, uint64_t *ns);

/*
 * A duration: a decimal number with an optional unit ns, us, ms, s, m or
 * h ("5us", "0.5ms", "10s"); a bare number is in units of @unit_ns.
 * Must be at least 1 ns.
 */
enum parse_result parse_duration(const char *s, uint64_t unit_ns,
				 uint64_t *ns);

/* The largest unit that divides @ns exactly: "5us", "10s", "1500ns". */
const char *format_duration(uint64_t ns, char *buf, size_t len);

/*
 * Parse a comma-separated list with @one (e.g. parse_size); every value must
 * lie in [min, max].  On success *vals is malloc'ed (free it) and *n set.
 * On failure *bad points into @s at the start of the offending item (and
 * its length in *badlen) so the caller can name it.
 */
enum parse_result parse_list(const char *s,
			     enum parse_result (*one)(const char *, uint64_t *),
			     uint64_t min, uint64_t max,
			     uint64_t **vals, size_t *n,
			     const char **bad, size_t *badlen);

/* 4096 -> "4K", 1536 -> "1536", 1048576 -> "1M": exact binary units only. */
const char *format_size(uint64_t bytes, char *buf, size_t len);

/*
 * Bitmap of CPU numbers to the kernel's list syntax ("0-3,8,10-11").
 * @words is the number of 64-bit words.  Returns @buf; "" for no bits.
 */
const char *format_cpulist(const uint64_t *bits, size_t words,
			   char *buf, size_t len);

/*
 * Copy a string, truncating to fit  (with NUL) — snprintf("%s") would
 * do, but GCC then warns about every intended truncation.
 */
void str_copy(char *dst, size_t len, const char *src);

#endif /* DMABENCH_UTIL_PARSE_H */
