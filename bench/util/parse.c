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
	case PARSE_UNIT:	return "unknown unit (use ns, us, ms, s, m or h)";
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

enum parse_result parse_duration(const char *s, uint64_t unit_ns,
				 uint64_t *ns)
{
	static const struct { const char *name; double ns; } units[] = {
		{ "ns", 1 }, { "us", 1e3 }, { "ms", 1e6 }, { "s", 1e9 },
		{ "m", 60e9 }, { "h", 3600e9 },
	};
	const char *u = s;
	char num[32];
	double d, mult = (double)unit_ns;
	char *end;

	if (!*s)
		return PARSE_EMPTY;
	while (isdigit((unsigned char)*u) || *u == '.')
		u++;
	if (u == s || (size_t)(u - s) >= sizeof(num))
		return u == s ? PARSE_GARBAGE : PARSE_OVERFLOW;
	memcpy(num, s, (size_t)(u - s));
	num[u - s] = '\0';
	d = strtod(num, &end);
	if (*end)
		return PARSE_GARBAGE;
	if (*u) {
		size_t i;

		for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
			if (!strcmp(u, units[i].name))
				break;
		if (i == sizeof(units) / sizeof(units[0]))
			return PARSE_UNIT;
		mult = units[i].ns;
	}
	d *= mult;
	if (!isfinite(d) || d >= 18e18)
		return PARSE_OVERFLOW;
	if (d < 1.0)
		return PARSE_ZERO;
	*ns = (uint64_t)(d + 0.5);
	return PARSE_OK;
}

const char *format_duration(uint64_t ns, char *buf, size_t len)
{
	static const struct { const char *name; uint64_t ns; } units[] = {
		{ "h", 3600000000000ULL }, { "m", 60000000000ULL },
		{ "s", 1000000000ULL }, { "ms", 1000000ULL }, { "us", 1000ULL },
	};

	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (ns && ns % units[i].ns == 0) {
			snprintf(buf, len, "%llu%s",
				 (unsigned long long)(ns / units[i].ns),
				 units[i].name);
			return buf;
		}
	snprintf(buf, len, "%lluns", (unsigned long long)ns);
	return buf;
}
