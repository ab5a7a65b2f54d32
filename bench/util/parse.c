// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Parsing of command-line values: sizes, counts, lists, durations. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/parse.h"

const char *parse_strerror(enum parse_result r)
{
	switch (r) {
	case PARSE_OK:		return "ok";
	case PARSE_EMPTY:	return "empty value";
	case PARSE_GARBAGE:	return "not a number";
	case PARSE_SUFFIX:	return "unknown unit (use K, M, G or T)";
	case PARSE_OVERFLOW:	return "too large";
	case PARSE_ZERO:	return "must be greater than zero";
	case PARSE_RANGE:	return "out of range";
	}
	return "invalid";
}

/* Leading decimal digits only: strtoull would accept "-1", " 1", "0x10". */
static enum parse_result parse_digits(const char *s, uint64_t *out,
				      const char **end)
{
	uint64_t v = 0;

	if (!isdigit((unsigned char)*s))
		return *s ? PARSE_GARBAGE : PARSE_EMPTY;
	while (isdigit((unsigned char)*s)) {
		unsigned d = (unsigned)(*s - '0');

		if (v > (UINT64_MAX - d) / 10)
			return PARSE_OVERFLOW;
		v = v * 10 + d;
		s++;
	}
	*out = v;
	*end = s;
	return PARSE_OK;
}

enum parse_result parse_u64(const char *s, uint64_t *out)
{
	enum parse_result r;
	const char *end;
	uint64_t v;

	r = parse_digits(s, &v, &end);
	if (r)
		return r;
	if (*end)
		return PARSE_GARBAGE;
	*out = v;
	return PARSE_OK;
}

enum parse_result parse_size(const char *s, uint64_t *out)
{
	enum parse_result r;
	const char *end;
	unsigned shift;
	uint64_t v;

	r = parse_digits(s, &v, &end);
	if (r)
		return r;
	switch (toupper((unsigned char)*end)) {
	case '\0': shift = 0; break;
	case 'K': shift = 10; break;
	case 'M': shift = 20; break;
	case 'G': shift = 30; break;
	case 'T': shift = 40; break;
	default:
		return isalpha((unsigned char)*end) ? PARSE_SUFFIX :
						      PARSE_GARBAGE;
	}
	if (shift) {
		end++;
		if (*end == 'i' && end[1] == 'B')
			end += 2;
		else if (*end == 'B' || *end == 'b')
			end++;
	}
	if (*end)
		return isalpha((unsigned char)*end) ? PARSE_SUFFIX :
						      PARSE_GARBAGE;
	if (shift && v > (UINT64_MAX >> shift))
		return PARSE_OVERFLOW;
	v <<= shift;
	if (v == 0)
		return PARSE_ZERO;
	*out = v;
	return PARSE_OK;
}

enum parse_result parse_seconds(const char *s, uint64_t *ns)
{
	char *end;
	double d;

	if (!*s)
		return PARSE_EMPTY;
	/* strtod takes "inf", "nan", hex and leading blanks: refuse those */
	if (!isdigit((unsigned char)*s) && *s != '.')
		return PARSE_GARBAGE;
	if (strpbrk(s, "xXnN"))
		return PARSE_GARBAGE;
	d = strtod(s, &end);
	if (end == s || *end)
		return PARSE_GARBAGE;
	if (!isfinite(d) || d * 1e9 >= 18e18)
		return PARSE_OVERFLOW;
	d *= 1e9;
	if (d < 1.0)
		return PARSE_ZERO;
	*ns = (uint64_t)d;
	return PARSE_OK;
}

enum parse_result parse_list(const char *s,
			     enum parse_result (*one)(const char *, uint64_t *),
			     uint64_t min, uint64_t max,
			     uint64_t **vals, size_t *n,
			     const char **bad, size_t *badlen)
{
	size_t count = 1, i = 0;
	enum parse_result r = PARSE_OK;
	const char *p, *item = s;
	uint64_t *v;
	char tmp[64];

	for (p = s; *p; p++)
		count += *p == ',';
	v = calloc(count, sizeof(*v));
	if (!v)
		return PARSE_OVERFLOW;
	for (;;) {
		size_t len = strcspn(item, ",");

		if (len >= sizeof(tmp)) {
			r = PARSE_GARBAGE;
		} else {
			memcpy(tmp, item, len);
			tmp[len] = '\0';
			r = one(tmp, &v[i]);
			if (!r && (v[i] < min || v[i] > max))
				r = PARSE_RANGE;
		}
		if (r) {
			*bad = item;
			*badlen = len;
			free(v);
			return r;
		}
		i++;
		if (!item[len])
			break;
		item += len + 1;
	}
	*vals = v;
	*n = i;
	return PARSE_OK;
}

const char *format_size(uint64_t bytes, char *buf, size_t len)
{
	static const char units[] = "KMGT";
	unsigned u = 0;

	if (bytes == 0) {
		snprintf(buf, len, "0");
		return buf;
	}
	while (u < 4 && (bytes & 1023) == 0) {
		bytes >>= 10;
		u++;
	}
	if (u)
		snprintf(buf, len, "%llu%c", (unsigned long long)bytes,
			 units[u - 1]);
	else
		snprintf(buf, len, "%llu", (unsigned long long)bytes);
	return buf;
}

static int test_bit(const uint64_t *bits, size_t i)
{
	return (bits[i / 64] >> (i % 64)) & 1;
}

const char *format_cpulist(const uint64_t *bits, size_t words,
			   char *buf, size_t len)
{
	size_t i = 0, nbits = words * 64, pos = 0;

	buf[0] = '\0';
	while (i < nbits) {
		size_t start, end;
		int n;

		if (!test_bit(bits, i)) {
			i++;
			continue;
		}
		start = i;
		while (i + 1 < nbits && test_bit(bits, i + 1))
			i++;
		end = i++;
		if (start == end)
			n = snprintf(buf + pos, len - pos, "%s%zu",
				     pos ? "," : "", start);
		else
			n = snprintf(buf + pos, len - pos, "%s%zu-%zu",
				     pos ? "," : "", start, end);
		if (n < 0 || (size_t)n >= len - pos) {
			/* too long: mark it truncated rather than lie */
			if (len > 4)
				strcpy(buf + len - 4, "...");
			break;
		}
		pos += (size_t)n;
	}
	return buf;
}

void str_copy(char *dst, size_t len, const char *src)
{
	size_t n = strlen(src);

	if (!len)
		return;
	if (n >= len)
		n = len - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}
