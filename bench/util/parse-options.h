/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Command-line options as data (git's parse-options.h is the model).
 *
 * A subcommand describes its options in one table of struct parse_opt, ended
 * by OPT_END(); each entry says its names, kind, limits and help line and
 * where its value lands: a byte offset into the struct the caller passes
 * as @base (so one static table serves any number of option structs, e.g.
 * one per sweep configuration).  From the table come the getopt_long table
 * and optstring (parse_options), the --help text (parse_options_usage)
 * and the value parser of a single option (parse_option_value, for values
 * that come from elsewhere, e.g. job files).
 *
 *   struct foo_opts { const char *out; uint64_t *sizes; size_t nsizes; };
 *   static const struct parse_opt foo_options[] = {
 *	OPT_STRING('o', "output", struct foo_opts, out, "FILE",
 *		   "write the results to FILE"),
 *	OPT_SIZE_LIST('s', "size", struct foo_opts, sizes, nsizes, 1, 64 << 20,
 *		      "LIST", "buffer sizes, K/M/G suffixes"),
 *	OPT_END(),
 *   };
 *
 * Kinds: FLAG (int set to 1), UINT (an unsigned in [min, max], stored in a
 * field of 1, 2, 4 or 8 bytes), SIZE (a byte count, K/M/G suffixes),
 * SECONDS (decimal seconds into a u64 of ns), STRING (the argument
 * itself), ENUM (one name of a struct opt_name table -> its value, a u32)
 * and the LIST variants of UINT, SIZE and ENUM (a comma list into a
 * malloc'ed array plus a size_t count; given twice, the last one wins).
 * CALLBACK covers the odd ones.  TEXT is a paragraph of the help, printed
 * where it stands in the table.
 *
 * Errors are one line through usage_error(): "bad --size '4X': unknown
 * unit (see dmabench CMD --help)".  -h/--help is always there.
 *
 * Each entry also carries words for the table's owner, which this layer
 * never looks at: @field (util/runopt.c: the DMABENCH_FIELD_* bit of the
 * tests that take it), @axis (its rank among the sweep axes) and @dest
 * (where its value goes in the request).
 */
#ifndef DMABENCH_UTIL_PARSE_OPTIONS_H
#define DMABENCH_UTIL_PARSE_OPTIONS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum parse_opt_type {
	OPTION_END = 0,
	OPTION_TEXT,
	OPTION_FLAG,
	OPTION_UINT,
	OPTION_SIZE,
	OPTION_SECONDS,
	OPTION_STRING,
	OPTION_ENUM,
	OPTION_UINT_LIST,
	OPTION_SIZE_LIST,
	OPTION_ENUM_LIST,
	OPTION_CALLBACK,
};

/* One accepted name of an enum option; an alias is not shown in help. */
struct opt_name {
	const char *name;
	uint32_t value;
	int alias;
};

/* struct parse_opt.flags */
#define PARSE_OPT_NOJOB		(1U << 0)	/* no job-file key (runopt) */
#define PARSE_OPT_OUTPUT	(1U << 1)	/* refused with ctx.no_output */
#define PARSE_OPT_SWEEP		(1U << 2)	/* sweep-only key (runopt) */
/* one value with commas in it, never a list to sweep (job files) */
#define PARSE_OPT_ONE_VALUE	(1U << 3)

struct parse_opt;

/*
 * CALLBACK: parse @arg into the struct at @base.  0, or -1 with the whole
 * message after "dmabench CMD: " in @why (e.g. "bad --flush 'x': ...").
 */
typedef int (*parse_opt_cb)(const struct parse_opt *opt, const char *arg,
			    void *base, char *why, size_t len);

struct parse_opt {
	enum parse_opt_type type;
	int short_name;			/* 0: none */
	const char *long_name;		/* NULL only for TEXT and END */
	size_t offset;			/* the value in the caller's struct */
	size_t width;			/* sizeof that value (list: element) */
	size_t count_offset;		/* LIST: the size_t count */
	uint64_t min, max;		/* UINT, SIZE and their lists */
	const struct opt_name *names;	/* ENUM: NULL-name terminated */
	parse_opt_cb callback;
	const char *argh;		/* "LIST" of "--size LIST", or NULL */
	const char *help;		/* '\n' starts a continuation line */
	unsigned flags;			/* PARSE_OPT_* */
	/* for the table's owner (util/runopt.c), never read here: */
	uint32_t field;			/* the tests that take it */
	unsigned axis;			/* rank among the sweep axes; 0: none */
	size_t dest, dest_width;	/* where it goes next (the request) */
};

#define OPT__FIELD(st, f)	.offset = offsetof(st, f), \
				.width = sizeof(((st *)0)->f)
#define OPT__LIST(st, f, n)	.offset = offsetof(st, f), \
				.width = sizeof(*((st *)0)->f), \
				.count_offset = offsetof(st, n)

#define OPT_END()		{ .type = OPTION_END }
#define OPT_TEXT(t)		{ .type = OPTION_TEXT, .help = (t) }
#define OPT_FLAG(s, l, st, f, h) \
	{ .type = OPTION_FLAG, .short_name = (s), .long_name = (l), \
	  OPT__FIELD(st, f), .help = (h) }
#define OPT_UINT(s, l, st, f, lo, hi, a, h) \
	{ .type = OPTION_UINT, .short_name = (s), .long_name = (l), \
	  OPT__FIELD(st, f), .min = (lo), .max = (hi), .argh = (a), \
	  .help = (h) }
#define OPT_SIZE(s, l, st, f, lo, hi, a, h) \
	{ .type = OPTION_SIZE, .short_name = (s), .long_name = (l), \
	  OPT__FIELD(st, f), .min = (lo), .max = (hi), .argh = (a), \
	  .help = (h) }
#define OPT_SECONDS(s, l, st, f, a, h) \
	{ .type = OPTION_SECONDS, .short_name = (s), .long_name = (l), \
	  OPT__FIELD(st, f), .argh = (a), .help = (h) }
#define OPT_STRING(s, l, st, f, a, h) \
	{ .type = OPTION_STRING, .short_name = (s), .long_name = (l), \
	  OPT__FIELD(st, f), .argh = (a), .help = (h) }
#define OPT_ENUM(s, l, st, f, n, a, h) \
	{ .type = OPTION_ENUM, .short_name = (s), .long_name = (l), \
	  OPT__FIELD(st, f), .names = (n), .argh = (a), .help = (h) }
#define OPT_UINT_LIST(s, l, st, f, n, lo, hi, a, h) \
	{ .type = OPTION_UINT_LIST, .short_name = (s), .long_name = (l), \
	  OPT__LIST(st, f, n), .min = (lo), .max = (hi), .argh = (a), \
	  .help = (h) }
#define OPT_SIZE_LIST(s, l, st, f, n, lo, hi, a, h) \
	{ .type = OPTION_SIZE_LIST, .short_name = (s), .long_name = (l), \
	  OPT__LIST(st, f, n), .min = (lo), .max = (hi), .argh = (a), \
	  .help = (h) }
#define OPT_ENUM_LIST(s, l, st, f, n, nm, a, h) \
	{ .type = OPTION_ENUM_LIST, .short_name = (s), .long_name = (l), \
	  OPT__LIST(st, f, n), .names = (nm), .argh = (a), .help = (h) }
/* @f: the field the callback fills (for freeing and the sweep axes) */
#define OPT_CALLBACK(s, l, st, f, cb, a, h) \
	{ .type = OPTION_CALLBACK, .short_name = (s), .long_name = (l), \
	  OPT__FIELD(st, f), .callback = (cb), .argh = (a), .help = (h) }
/* CALLBACK filling a malloc'ed array @f of @n elements */
#define OPT_CALLBACK_LIST(s, l, st, f, n, cb, a, h) \
	{ .type = OPTION_CALLBACK, .short_name = (s), .long_name = (l), \
	  OPT__LIST(st, f, n), .callback = (cb), .argh = (a), .help = (h) }

/* The state of one parse_options() call. */
struct parse_ctx {
	const char *cmd;		/* "run": names it in error messages */
	const char *usage;		/* printed before the option lines */
	int max_args;			/* positional arguments allowed */
	int no_output;			/* refuse PARSE_OPT_OUTPUT options */
	/* out */
	int nargs;			/* the positional arguments ... */
	char **args;			/* ... (point into argv) */
	/* given[i]: table entry i was on the command line; may be NULL */
	unsigned char *given;
	size_t ngiven;			/* entries of given[] */
	/* --help: printed after the option lines (generated text); or NULL */
	void (*help_tail)(FILE *f);
};

/*
 * Parse @argv (argv[0] is the command) against @opts into @base.
 * Returns 0, -1 after --help (printed), or EXIT_USAGE with the one-line
 * error printed.  More positional arguments than ctx->max_args is an
 * error ("unexpected argument 'x'").
 */
int parse_options(struct parse_ctx *ctx, int argc, char **argv,
		  const struct parse_opt *opts, void *base);

/*
 * Parse one option's value @arg (NULL for a FLAG) into @base, as the
 * command line would.  0, or EXIT_USAGE with the error printed for @cmd.
 */
int parse_option_value(const char *cmd, const struct parse_opt *opt,
		       const char *arg, void *base);

/*
 * ctx->usage, then -h, --help, one line per option and every TEXT,
 * on @f.
 */
void parse_options_usage(FILE *f, const char *usage,
			 const struct parse_opt *opts);

/*
 * --help renders the table through @fn instead of the text (util/helpgen:
 * the man page and the shell completion words come from the very tables
 * --help prints); NULL: the text again.
 */
/* -h, --help: in every table (not written there), first in the help */
extern const struct parse_opt parse_opt_help;

typedef void (*parse_help_fn)(FILE *f, const struct parse_ctx *ctx,
			      const struct parse_opt *opts);
void parse_options_set_help(parse_help_fn fn);

/* The entry named @long_name, or NULL. */
const struct parse_opt *parse_options_find(const struct parse_opt *opts,
					const char *long_name);

/* Number of entries before OPT_END(). */
size_t parse_options_count(const struct parse_opt *opts);

/* Does the option take a value (not a FLAG or TEXT)? */
int parse_option_has_arg(const struct parse_opt *opt);

/* Was the option at @base given a value (flag set, list non-empty)? */
int parse_option_is_set(const struct parse_opt *opt, const void *base);

/* An unsigned field of @width (1, 2, 4 or 8) bytes at @p. */
void opt_store_uint(void *p, size_t width, uint64_t v);
uint64_t opt_load_uint(const void *p, size_t width);

/* Free every LIST (and CALLBACK list) array of @opts in @base. */
void parse_options_free(const struct parse_opt *opts, void *base);

/* The value of the name @s (@n bytes, any case) in @names: 0, or -1. */
int opt_name_value(const struct opt_name *names, const char *s, size_t n,
		   uint32_t *v);

/* The name of @value in @names (the first that is no alias), or "?". */
const char *opt_name_of(const struct opt_name *names, uint32_t value);

/*
 * One item of a comma list (@n bytes at @s) into *@v: 0, or -1 with the
 * reason in @why.  @ctx: the caller's.
 */
typedef int (*opt_item_fn)(const char *s, size_t n, uint32_t *v, char *why,
			   size_t wl, const void *ctx);

/*
 * For callbacks: split @arg at ',' and turn every item into a u32 with
 * @one.  @vals is malloc'ed (NULL after an error).  0, or -1 with
 * "bad --OPT 'ITEM': reason" in @why.
 */
int parse_opt_items(const struct parse_opt *opt, const char *arg,
		    opt_item_fn one, const void *ctx, uint32_t **vals,
		    size_t *n, char *why, size_t len);

/*
 * A comma list of names of @names (any case) into *@vals (malloc'ed).  0,
 * or -1 with "'ITEM': use a, b or c" in @why and *@vals NULL.
 */
int opt_enum_list(const struct opt_name *names, const char *arg,
		  uint32_t **vals, size_t *n, char *why, size_t len);

#endif /* DMABENCH_UTIL_PARSE_OPTIONS_H */
