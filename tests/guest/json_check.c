// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * json_check: a strict JSON validator for the test guest, which has only
 * busybox.  Reads one JSON text (RFC 8259) from stdin; exits 0 when it is
 * valid, else prints one line saying what is wrong and where (line, column)
 * and exits 1 (2: bad usage, 3: cannot read stdin).
 *
 * Strict means: the RFC 8259 grammar exactly (no comments, no trailing
 * commas, no leading zeros, no NaN, no single quotes, no control character
 * in a string), UTF-8 input without a byte order mark (8.1), and no
 * \u escape of a lone UTF-16 surrogate (8.2: its meaning is undefined).
 * Nesting deeper than 1000 is refused (an implementation limit, 9).
 *
 * Usage: json_check [-u] [-m NAME]... < FILE
 *   -u       member names must be unique within each object (8259 says
 *            SHOULD; a writer that repeats a name has a bug)
 *   -m NAME  the text must be an object with a member NAME (repeatable)
 *
 * Build: gcc -std=c11 -static -Wall -Wextra -o json_check json_check.c
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH	1000
#define MAX_REQUIRED	16

struct parser {
	const unsigned char *p;		/* next byte */
	const unsigned char *start;
	const unsigned char *end;
	int depth;
	bool unique;			/* -u */
	char err[200];
	const unsigned char *err_at;
	/* the member names of the top-level object, for -m */
	const char *required[MAX_REQUIRED];
	bool found[MAX_REQUIRED];
	int nrequired;
	bool top_is_object;
};

/* A decoded string (names are compared after decoding escapes). */
struct str {
	char *s;
	size_t len, cap;
};

/* The names seen in one object, for -u. */
struct names {
	struct str *v;
	size_t n, cap;
};

static bool fail(struct parser *ps, const unsigned char *at, const char *msg)
{
	if (!ps->err[0]) {
		snprintf(ps->err, sizeof(ps->err), "%s", msg);
		ps->err_at = at;
	}
	return false;
}

static bool str_put(struct str *s, const char *b, size_t n)
{
	if (s->len + n + 1 > s->cap) {
		size_t cap = s->cap ? s->cap : 32;
		char *ns;

		while (cap < s->len + n + 1)
			cap *= 2;
		ns = realloc(s->s, cap);
		if (!ns)
			return false;
		s->s = ns;
		s->cap = cap;
	}
	memcpy(s->s + s->len, b, n);
	s->len += n;
	s->s[s->len] = '\0';
	return true;
}

static void skip_ws(struct parser *ps)
{
	while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' ||
				   *ps->p == '\n' || *ps->p == '\r'))
		ps->p++;
}

/*
 * One UTF-8 sequence at ps->p (RFC 3629: no overlong form, no surrogate,
 * nothing above U+10FFFF); advances past it and returns its length, or 0.
 */
static int utf8_seq(struct parser *ps)
{
	const unsigned char *p = ps->p;
	size_t left = (size_t)(ps->end - p);
	unsigned int c = p[0], lo = 0x80, hi = 0xbf;
	int n;

	if (c < 0x80)
		n = 1;
	else if (c >= 0xc2 && c <= 0xdf)
		n = 2;
	else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		if (c == 0xe0)
			lo = 0xa0;	/* overlong below U+0800 */
		else if (c == 0xed)
			hi = 0x9f;	/* U+D800..DFFF: surrogates */
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		if (c == 0xf0)
			lo = 0x90;	/* overlong below U+10000 */
		else if (c == 0xf4)
			hi = 0x8f;	/* above U+10FFFF */
	} else
		return 0;
	if ((size_t)n > left)
		return 0;
	for (int i = 1; i < n; i++) {
		unsigned int b = p[i];

		if (b < (i == 1 ? lo : 0x80) || b > (i == 1 ? hi : 0xbf))
			return 0;
	}
	ps->p += n;
	return n;
}

static int hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* \uXXXX after the backslash and 'u' at ps->p; -1 when malformed */
static long hex4(struct parser *ps)
{
	long v = 0;

	if (ps->end - ps->p < 4)
		return -1;
	for (int i = 0; i < 4; i++) {
		int h = hexval(ps->p[i]);

		if (h < 0)
			return -1;
		v = v * 16 + h;
	}
	ps->p += 4;
	return v;
}

static bool put_utf8(struct str *out, unsigned long cp)
{
	char b[4];
	size_t n;

	if (cp < 0x80) {
		b[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (char)(0xc0 | (cp >> 6));
		b[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = (char)(0xe0 | (cp >> 12));
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		b[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		b[0] = (char)(0xf0 | (cp >> 18));
		b[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		b[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		b[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	return str_put(out, b, n);
}

/* A string at ps->p (on its opening quote); decoded into out when not NULL. */
static bool parse_string(struct parser *ps, struct str *out)
{
	const unsigned char *open = ps->p;

	ps->p++;
	for (;;) {
		const unsigned char *at = ps->p;
		unsigned char c;

		if (ps->p >= ps->end)
			return fail(ps, open, "string not closed");
		c = *ps->p;
		if (c == '"') {
			ps->p++;
			return true;
		}
		if (c < 0x20)
			return fail(ps, at, "control character in a string (escape it)");
		if (c == '\\') {
			long cp;
			char e;

			if (++ps->p >= ps->end)
				return fail(ps, open, "string not closed");
			e = (char)*ps->p++;
			switch (e) {
			case '"': case '\\': case '/':
				break;
			case 'b': e = '\b'; break;
			case 'f': e = '\f'; break;
			case 'n': e = '\n'; break;
			case 'r': e = '\r'; break;
			case 't': e = '\t'; break;
			case 'u':
				cp = hex4(ps);
				if (cp < 0)
					return fail(ps, at, "\\u needs four hex digits");
				if (cp >= 0xdc00 && cp <= 0xdfff)
					return fail(ps, at, "\\u escape of a lone low surrogate");
				if (cp >= 0xd800 && cp <= 0xdbff) {
					long lo;

					if (ps->end - ps->p < 2 || ps->p[0] != '\\' || ps->p[1] != 'u')
						return fail(ps, at, "\\u escape of a high surrogate without its low surrogate");
					ps->p += 2;
					lo = hex4(ps);
					if (lo < 0xdc00 || lo > 0xdfff)
						return fail(ps, at, "\\u escape of a high surrogate without its low surrogate");
					cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				}
				if (out && !put_utf8(out, (unsigned long)cp))
					return fail(ps, at, "out of memory");
				continue;
			default:
				return fail(ps, at, "unknown escape in a string");
			}
			if (out && !str_put(out, &e, 1))
				return fail(ps, at, "out of memory");
			continue;
		}
		if (!utf8_seq(ps))
			return fail(ps, at, "invalid UTF-8 in a string");
		if (out && !str_put(out, (const char *)at, (size_t)(ps->p - at)))
			return fail(ps, at, "out of memory");
	}
}

static bool digits(struct parser *ps)
{
	const unsigned char *s = ps->p;

	while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9')
		ps->p++;
	return ps->p > s;
}

static bool parse_number(struct parser *ps)
{
	const unsigned char *s = ps->p;

	if (*ps->p == '-')
		ps->p++;
	if (ps->p < ps->end && *ps->p == '0') {
		ps->p++;
		if (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9')
			return fail(ps, s, "number with a leading zero");
	} else if (!digits(ps)) {
		return fail(ps, s, "number without digits");
	}
	if (ps->p < ps->end && *ps->p == '.') {
		ps->p++;
		if (!digits(ps))
			return fail(ps, s, "number without digits after the '.'");
	}
	if (ps->p < ps->end && (*ps->p == 'e' || *ps->p == 'E')) {
		ps->p++;
		if (ps->p < ps->end && (*ps->p == '+' || *ps->p == '-'))
			ps->p++;
		if (!digits(ps))
			return fail(ps, s, "number without digits in the exponent");
	}
	return true;
}

static bool parse_value(struct parser *ps);

static void names_free(struct names *nm)
{
	for (size_t i = 0; i < nm->n; i++)
		free(nm->v[i].s);
	free(nm->v);
}

/* adds name to nm; false (and the error) when it is there already */
static bool names_add(struct parser *ps, struct names *nm, struct str *name,
		      const unsigned char *at)
{
	for (size_t i = 0; i < nm->n; i++) {
		if (nm->v[i].len == name->len &&
		    !memcmp(nm->v[i].s, name->s ? name->s : "", name->len)) {
			char msg[120];

			snprintf(msg, sizeof(msg), "member name \"%.60s\" repeated in one object",
				 name->s ? name->s : "");
			return fail(ps, at, msg);
		}
	}
	if (nm->n == nm->cap) {
		size_t cap = nm->cap ? nm->cap * 2 : 16;
		struct str *nv = realloc(nm->v, cap * sizeof(*nv));

		if (!nv)
			return fail(ps, at, "out of memory");
		nm->v = nv;
		nm->cap = cap;
	}
	nm->v[nm->n++] = *name;
	memset(name, 0, sizeof(*name));
	return true;
}

/*
 * Steps past the opening bracket at ps->p; true when close follows (an
 * empty object or array, then consumed too).
 */
static bool open_empty(struct parser *ps, unsigned char close)
{
	ps->p++;
	skip_ws(ps);
	if (ps->p < ps->end && *ps->p == close) {
		ps->p++;
		return true;
	}
	return false;
}

/*
 * After a member or element of the object or array opened at open: 1 on
 * ',' (another one follows), 0 on close (the end), -1 (and the error)
 * otherwise.
 */
static int next_item(struct parser *ps, const unsigned char *open,
		     unsigned char close, const char *kind, const char *expected)
{
	char msg[80];

	skip_ws(ps);
	if (ps->p < ps->end && *ps->p == ',') {
		ps->p++;
		return 1;
	}
	if (ps->p < ps->end && *ps->p == close) {
		ps->p++;
		return 0;
	}
	if (ps->p >= ps->end) {
		snprintf(msg, sizeof(msg), "%s not closed", kind);
		fail(ps, open, msg);
	} else {
		fail(ps, ps->p, expected);
	}
	return -1;
}

static bool parse_object(struct parser *ps)
{
	const unsigned char *open = ps->p;
	bool top = ps->depth == 1;
	struct names nm = { 0 };
	int more = 1;

	if (open_empty(ps, '}'))
		return true;
	while (more > 0) {
		struct str name = { 0 };
		const unsigned char *at;

		more = -1;
		skip_ws(ps);
		at = ps->p;
		if (ps->p >= ps->end || *ps->p != '"') {
			fail(ps, ps->p >= ps->end ? open : ps->p,
			     ps->p >= ps->end ? "object not closed" : "expected a member name (a string)");
			break;
		}
		if (!parse_string(ps, top || ps->unique ? &name : NULL)) {
			free(name.s);
			break;
		}
		for (int i = 0; top && i < ps->nrequired; i++)
			if (strlen(ps->required[i]) == name.len &&
			    !memcmp(ps->required[i], name.s ? name.s : "", name.len))
				ps->found[i] = true;
		if (ps->unique && !names_add(ps, &nm, &name, at)) {
			free(name.s);
			break;
		}
		free(name.s);
		skip_ws(ps);
		if (ps->p >= ps->end || *ps->p != ':') {
			fail(ps, ps->p >= ps->end ? open : ps->p, ps->p >= ps->end ?
			     "object not closed" : "expected ':' after a member name");
			break;
		}
		ps->p++;
		if (!parse_value(ps))
			break;
		more = next_item(ps, open, '}', "object",
				 "expected ',' or '}' after an object member");
	}
	names_free(&nm);
	return more == 0;
}

static bool parse_array(struct parser *ps)
{
	const unsigned char *open = ps->p;
	int more = 1;

	if (open_empty(ps, ']'))
		return true;
	while (more > 0) {
		if (!parse_value(ps))
			return false;
		more = next_item(ps, open, ']', "array",
				 "expected ',' or ']' after an array element");
	}
	return more == 0;
}

static bool literal(struct parser *ps, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, word, n))
		return fail(ps, ps->p, "expected a value");
	ps->p += n;
	return true;
}

static bool parse_value(struct parser *ps)
{
	bool ok;

	skip_ws(ps);
	if (ps->p >= ps->end)
		return fail(ps, ps->p, "expected a value, found the end of the input");
	switch (*ps->p) {
	case '{':
		if (++ps->depth > MAX_DEPTH)
			return fail(ps, ps->p, "nested deeper than 1000");
		if (ps->depth == 1)
			ps->top_is_object = true;
		ok = parse_object(ps);
		ps->depth--;
		return ok;
	case '[':
		if (++ps->depth > MAX_DEPTH)
			return fail(ps, ps->p, "nested deeper than 1000");
		ok = parse_array(ps);
		ps->depth--;
		return ok;
	case '"':
		return parse_string(ps, NULL);
	case 't':
		return literal(ps, "true");
	case 'f':
		return literal(ps, "false");
	case 'n':
		return literal(ps, "null");
	default:
		if (*ps->p == '-' || (*ps->p >= '0' && *ps->p <= '9'))
			return parse_number(ps);
		return fail(ps, ps->p, "expected a value");
	}
}

/* line and column (1-based, in bytes) of at */
static void where(const struct parser *ps, const unsigned char *at,
		  unsigned long *line, unsigned long *col)
{
	*line = 1;
	*col = 1;
	for (const unsigned char *q = ps->start; q < at && q < ps->end; q++) {
		if (*q == '\n') {
			(*line)++;
			*col = 1;
		} else {
			(*col)++;
		}
	}
}

/* check(ps): the whole buffer is one JSON text */
static bool check(struct parser *ps)
{
	if (ps->end - ps->p >= 3 && !memcmp(ps->p, "\xef\xbb\xbf", 3))
		return fail(ps, ps->p, "byte order mark (RFC 8259 8.1)");
	skip_ws(ps);
	if (ps->p >= ps->end)
		return fail(ps, ps->p, "empty input: no JSON value");
	if (!parse_value(ps))
		return false;
	skip_ws(ps);
	if (ps->p < ps->end)
		return fail(ps, ps->p, "text after the JSON value");
	for (int i = 0; i < ps->nrequired; i++) {
		if (!ps->top_is_object)
			return fail(ps, ps->start, "not an object (-m asks for members)");
		if (!ps->found[i]) {
			snprintf(ps->err, sizeof(ps->err),
				 "the top-level object has no member \"%.60s\"",
				 ps->required[i]);
			ps->err_at = NULL;
			return false;
		}
	}
	return true;
}

static void usage(void)
{
	fputs("usage: json_check [-u] [-m NAME]... < FILE\n", stderr);
}

int main(int argc, char **argv)
{
	struct parser ps = { 0 };
	unsigned char *buf = NULL;
	size_t len = 0, cap = 0, n;
	int rc;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-u")) {
			ps.unique = true;
		} else if (!strcmp(argv[i], "-m") && i + 1 < argc) {
			if (ps.nrequired == MAX_REQUIRED) {
				fprintf(stderr, "json_check: at most %d -m options\n", MAX_REQUIRED);
				return 2;
			}
			ps.required[ps.nrequired++] = argv[++i];
		} else {
			fprintf(stderr, "json_check: unknown argument '%s'\n", argv[i]);
			usage();
			return 2;
		}
	}
	do {
		if (len == cap) {
			unsigned char *nb;

			cap = cap ? cap * 2 : 65536;
			nb = realloc(buf, cap);
			if (!nb) {
				fputs("json_check: out of memory reading stdin\n", stderr);
				free(buf);
				return 3;
			}
			buf = nb;
		}
		n = fread(buf + len, 1, cap - len, stdin);
		len += n;
	} while (n > 0);
	if (ferror(stdin)) {
		perror("json_check: reading stdin");
		free(buf);
		return 3;
	}
	ps.p = ps.start = buf;
	ps.end = buf + len;
	if (check(&ps)) {
		rc = 0;
	} else if (ps.err_at) {
		unsigned long line, col;

		where(&ps, ps.err_at, &line, &col);
		printf("json_check: line %lu, column %lu: %s\n", line, col, ps.err);
		rc = 1;
	} else {
		printf("json_check: %s\n", ps.err);
		rc = 1;
	}
	free(buf);
	return rc;
}
