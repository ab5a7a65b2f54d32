// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * ktap_check: a strict checker of KTAP version 1 (the kernel's
 * Documentation/dev-tools/ktap.rst), for `dmabench run --format ktap` and
 * the guest suites' output (scripts/guest/ktap.sh).  It runs on the host
 * (make check) and in the guest (busybox only: no library but libc).
 *
 *   ktap_check [-a] [FILE]      (stdin without FILE)
 *
 * Checks: the document starts with "KTAP version 1"; every (sub)document
 * has one plan "1..N" before its first result and exactly N results,
 * numbered 1..N in order; results are "ok|not ok NUM [DESCRIPTION]
 * [# DIRECTIVE [REASON]]" with no '#' in the description and a directive
 * of SKIP, TODO, XFAIL, TIMEOUT or ERROR (SKIP only on "ok"); a subtest is
 * a nested document indented one step (2 or 4 spaces, the same step
 * throughout) deeper, ended by its result line at the parent's
 * indentation, whose description is the subtest's "# Subtest: NAME" when
 * it has one; diagnostic lines start with '#'; nothing else, no
 * "Bail out!", nothing after the last result.  -a: also fail unless every
 * test passed or was skipped (no "not ok" without TODO or XFAIL).
 *
 * Prints "ktap_check: N tests: P ok, F not ok, S skipped" (top level), or
 * "ktap_check: line L: what is wrong" and exits 1.  Exit 2: usage.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH	16
#define MAX_LINE	4096

struct doc {
	long plan;		/* -1 until the plan line */
	long results;		/* result lines so far */
	int failed;		/* a "not ok" without TODO or XFAIL */
	char subtest[256];	/* "# Subtest: NAME" seen; "" if none */
};

struct checker {
	struct doc doc[MAX_DEPTH];
	int depth;		/* documents open: doc[0 .. depth - 1] */
	int step;		/* spaces per level; 0 before a subtest */
	long line;
	long ok, not_ok, skipped, failed_hard;
	int ended;		/* the top level has all its results */
};

static int bad(const struct checker *c, const char *what, const char *text)
{
	printf("ktap_check: line %ld: %s%s%s%s\n", c->line, what,
	       text ? " ('" : "", text ? text : "", text ? "')" : "");
	return -1;
}

static const char *const directives[] = {
	"SKIP", "TODO", "XFAIL", "TIMEOUT", "ERROR",
};

/* "DIRECTIVE [reason]" after " # ": the index of the directive, or -1. */
static int directive_of(const char *s)
{
	for (size_t i = 0; i < sizeof(directives) / sizeof(directives[0]);
	     i++) {
		size_t n = strlen(directives[i]);

		if (!strncmp(s, directives[i], n) && (!s[n] || s[n] == ' '))
			return (int)i;
	}
	return -1;
}

/* "1..N" or "1..0 # SKIP why": N, or -1 if @s is no plan line. */
static long plan_of(const char *s)
{
	char *end;
	long n;

	if (strncmp(s, "1..", 3) || !isdigit((unsigned char)s[3]))
		return -1;
	n = strtol(s + 3, &end, 10);
	if (!*end)
		return n;
	return !n && !strncmp(end, " # SKIP", 7) ? 0 : -1;
}

/* A result line at level @lvl (0: the document's own results). */
static int result(struct checker *c, int lvl, const char *s)
{
	struct doc *d = &c->doc[lvl];
	int not_ok = !strncmp(s, "not ok ", 7);
	const char *p = s + (not_ok ? 7 : 3), *desc, *hash;
	char *end;
	long num;
	int dir = -1;

	if (!isdigit((unsigned char)*p))
		return bad(c, "no test number after ok / not ok", s);
	num = strtol(p, &end, 10);
	if (*end && *end != ' ')
		return bad(c, "bad test number", s);
	if (d->plan < 0)
		return bad(c, "a result before the plan line", s);
	if (num != d->results + 1)
		return bad(c, "test numbers out of order (want the next one)",
			   s);
	if (++d->results > d->plan)
		return bad(c, "more results than the plan says", s);
	desc = *end ? end + 1 : end;
	hash = strchr(desc, '#');
	if (hash) {
		if (hash == desc ? 0 : hash[-1] != ' ')
			return bad(c, "'#' in a description", s);
		if (hash[1] != ' ' || (dir = directive_of(hash + 2)) < 0)
			return bad(c, "unknown directive (want # SKIP, TODO, "
				   "XFAIL, TIMEOUT or ERROR)", s);
		if (dir == 0 && not_ok)
			return bad(c, "SKIP on a 'not ok' result", s);
	}
	if (not_ok && dir != 1 && dir != 2)
		d->failed = 1;
	if (lvl == 0) {
		if (dir == 0)
			c->skipped++;
		else if (not_ok)
			c->not_ok++;
		else
			c->ok++;
		if (not_ok && dir != 1 && dir != 2)
			c->failed_hard++;
	}
	return 0;
}

/* The subtest doc[lvl + 1] is over: its result at @lvl must fit it. */
static int close_subtest(struct checker *c, int lvl, const char *s)
{
	struct doc *sub = &c->doc[lvl + 1];
	const char *desc;
	size_t n;

	if (sub->plan < 0)
		return bad(c, "a subtest without a plan line", s);
	if (sub->results != sub->plan) {
		char msg[96];

		snprintf(msg, sizeof(msg), "the subtest has %ld results, its "
			 "plan says %ld", sub->results, sub->plan);
		return bad(c, msg, s);
	}
	if (sub->failed && strncmp(s, "not ok ", 7))
		return bad(c, "'ok' over a subtest that failed", s);
	if (sub->subtest[0]) {
		desc = strchr(s + (strncmp(s, "not ok ", 7) ? 3 : 7), ' ');
		desc = desc ? desc + 1 : "";
		n = strcspn(desc, "#");
		while (n && desc[n - 1] == ' ')
			n--;
		if (n != strlen(sub->subtest) || strncmp(desc, sub->subtest, n))
			return bad(c, "the result's description is not the "
				   "subtest's name", s);
	}
	c->depth = lvl + 1;
	return 0;
}

static int is_result(const char *s)
{
	return !strncmp(s, "ok ", 3) || !strcmp(s, "ok") ||
	       !strncmp(s, "not ok ", 7);
}

static int check_line(struct checker *c, char *s)
{
	size_t sp = strspn(s, " "), len = strlen(s);
	int lvl;
	char *t = s + sp;

	while (len && (s[len - 1] == '\r' || s[len - 1] == '\n'))
		s[--len] = '\0';
	if (c->line == 1) {
		if (strcmp(s, "KTAP version 1"))
			return bad(c, "the first line is not 'KTAP version 1'",
				   s);
		c->depth = 1;
		c->doc[0].plan = -1;
		return 0;
	}
	if (c->ended && !sp && *t == '#')
		return 0;	/* e.g. the totals */
	if (c->ended)
		return bad(c, "text after the last result of the plan", s);
	if (sp && !c->step && !strcmp(t, "KTAP version 1") &&
	    (sp == 2 || sp == 4))
		c->step = (int)sp;
	if (sp && (!c->step || sp % (size_t)c->step))
		return bad(c, "indented by neither one step nor a whole "
			   "number of them", s);
	lvl = sp ? (int)sp / c->step : 0;
	if (!strncmp(t, "Bail out!", 9))
		return bad(c, "Bail out!", s);
	if (!strcmp(t, "KTAP version 1")) {	/* a subtest starts */
		if (lvl != c->depth || lvl >= MAX_DEPTH)
			return bad(c, "a subtest at the wrong indentation", s);
		memset(&c->doc[lvl], 0, sizeof(c->doc[lvl]));
		c->doc[lvl].plan = -1;
		c->depth = lvl + 1;
		return 0;
	}
	if (lvl >= c->depth)
		return bad(c, "indented deeper than the open document", s);
	if (*t == '#') {
		if (!strncmp(t, "# Subtest: ", 11) && lvl == c->depth - 1 &&
		    c->doc[lvl].plan < 0 && lvl > 0)
			snprintf(c->doc[lvl].subtest,
				 sizeof(c->doc[lvl].subtest), "%s", t + 11);
		return 0;
	}
	if (plan_of(t) >= 0) {
		if (lvl != c->depth - 1)
			return bad(c, "a plan line at the wrong indentation",
				   s);
		if (c->doc[lvl].plan >= 0)
			return bad(c, "a second plan line", s);
		if (c->doc[lvl].results)
			return bad(c, "the plan line after results", s);
		c->doc[lvl].plan = plan_of(t);
		return 0;
	}
	if (!is_result(t))
		return bad(c, "not KTAP (no version, plan, result or "
			   "diagnostic line)", s);
	if (lvl < c->depth - 1) {
		if (lvl != c->depth - 2)
			return bad(c, "a result closing more than one subtest",
				   s);
		if (close_subtest(c, lvl, t))
			return -1;
	}
	if (result(c, lvl, t))
		return -1;
	c->depth = lvl + 1;
	if (lvl == 0 && c->doc[0].results == c->doc[0].plan)
		c->ended = 1;
	return 0;
}

int main(int argc, char **argv)
{
	struct checker c;
	char buf[MAX_LINE];
	int all_pass = 0, argi = 1;
	FILE *in = stdin;

	if (argi < argc && !strcmp(argv[argi], "-a")) {
		all_pass = 1;
		argi++;
	}
	if (argc - argi > 1 || (argi < argc && argv[argi][0] == '-' &&
				argv[argi][1])) {
		fprintf(stderr, "usage: ktap_check [-a] [FILE]\n");
		return 2;
	}
	if (argi < argc && strcmp(argv[argi], "-")) {
		in = fopen(argv[argi], "r");
		if (!in) {
			perror(argv[argi]);
			return 2;
		}
	}
	memset(&c, 0, sizeof(c));
	while (fgets(buf, sizeof(buf), in)) {
		c.line++;
		if (!strchr(buf, '\n') && !feof(in)) {
			bad(&c, "a line longer than 4095 bytes", NULL);
			return 1;
		}
		if (check_line(&c, buf))
			return 1;
	}
	if (in != stdin)
		fclose(in);
	c.line++;
	if (c.line == 1)
		return bad(&c, "empty: no 'KTAP version 1'", NULL), 1;
	if (c.doc[0].plan < 0)
		return bad(&c, "no plan line", NULL), 1;
	if (c.depth > 1)
		return bad(&c, "the stream ends inside a subtest", NULL), 1;
	if (c.doc[0].results != c.doc[0].plan) {
		snprintf(buf, sizeof(buf), "%ld results, the plan says %ld",
			 c.doc[0].results, c.doc[0].plan);
		return bad(&c, buf, NULL), 1;
	}
	printf("ktap_check: %ld tests: %ld ok, %ld not ok, %ld skipped\n",
	       c.doc[0].plan, c.ok, c.not_ok, c.skipped);
	if (all_pass && c.failed_hard) {
		printf("ktap_check: %ld tests failed (-a)\n", c.failed_hard);
		return 1;
	}
	return 0;
}
