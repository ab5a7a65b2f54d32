// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Command-line options as data: see parse-options.h. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/cli.h"
#include "util/parse-options.h"
#include "util/parse.h"

#define HELP_COLUMN	26	/* where the help text of an option starts */

size_t parse_options_count(const struct parse_opt *opts)
{
	size_t n = 0;

	while (opts[n].type != OPTION_END)
		n++;
	return n;
}

int parse_option_has_arg(const struct parse_opt *opt)
{
	return opt->type != OPTION_FLAG && opt->type != OPTION_TEXT &&
	       opt->type != OPTION_END;
}

static int is_list(const struct parse_opt *opt)
{
	return opt->count_offset != 0;
}

static void *at(void *base, size_t off)
{
	return (char *)base + off;
}

static const void *cat(const void *base, size_t off)
{
	return (const char *)base + off;
}

const struct parse_opt *parse_options_find(const struct parse_opt *opts,
					const char *long_name)
{
	for (; opts->type != OPTION_END; opts++)
		if (opts->long_name && !strcmp(opts->long_name, long_name))
			return opts;
	return NULL;
}

int parse_option_is_set(const struct parse_opt *opt, const void *base)
{
	const unsigned char *p = cat(base, opt->offset);

	if (is_list(opt))
		return *(void *const *)p != NULL;
	for (size_t i = 0; i < opt->width; i++)
		if (p[i])
			return 1;
	return 0;
}

void parse_options_free(const struct parse_opt *opts, void *base)
{
	for (; opts->type != OPTION_END; opts++) {
		void **p;

		if (!is_list(opts))
			continue;
		p = at(base, opts->offset);
		free(*p);
		*p = NULL;
		*(size_t *)at(base, opts->count_offset) = 0;
	}
}

const char *opt_name_of(const struct opt_name *names, uint32_t value)
{
	for (; names->name; names++)
		if (!names->alias && names->value == value)
			return names->name;
	return "?";
}

int opt_name_value(const struct opt_name *names, const char *s, size_t n,
		   uint32_t *v)
{
	for (; names->name; names++)
		if (strlen(names->name) == n &&
		    !strncasecmp(s, names->name, n)) {
			*v = names->value;
			return 0;
		}
	return -1;
}

/* "use a, b or c" from the names that are no alias */
static void names_hint(const struct opt_name *names, char *buf, size_t len)
{
	size_t total = 0, i = 0, l;

	for (const struct opt_name *n = names; n->name; n++)
		total += !n->alias;
	l = (size_t)snprintf(buf, len, "use");
	for (const struct opt_name *n = names; n->name && l < len; n++) {
		if (n->alias)
			continue;
		i++;
		l += (size_t)snprintf(buf + l, len - l, "%s%s",
				      i == 1 ? " " : i == total ? " or " :
				      ", ", n->name);
	}
}

void opt_store_uint(void *p, size_t width, uint64_t v)
{
	switch (width) {
	case 1: *(uint8_t *)p = (uint8_t)v; break;
	case 2: *(uint16_t *)p = (uint16_t)v; break;
	case 4: *(uint32_t *)p = (uint32_t)v; break;
	default: *(uint64_t *)p = v; break;
	}
}

uint64_t opt_load_uint(const void *p, size_t width)
{
	switch (width) {
	case 1: return *(const uint8_t *)p;
	case 2: return *(const uint16_t *)p;
	case 4: return *(const uint32_t *)p;
	default: return *(const uint64_t *)p;
	}
}

static int range_error(const char *cmd, const struct parse_opt *opt,
		       const char *bad, int badlen, int size)
{
	char lim[32];

	if (size)
		return usage_error(cmd, "bad --%s '%.*s': must be at most %s",
				   opt->long_name, badlen, bad,
				   format_size(opt->max, lim, sizeof(lim)));
	return usage_error(cmd, "bad --%s '%.*s': must be %llu..%llu",
			   opt->long_name, badlen, bad,
			   (unsigned long long)opt->min,
			   (unsigned long long)opt->max);
}

static int scalar_value(const char *cmd, const struct parse_opt *opt,
			const char *arg, void *p)
{
	int size = opt->type == OPTION_SIZE;
	enum parse_result r;
	uint64_t v;

	r = size ? parse_size(arg, &v) : parse_u64(arg, &v);
	if (r)
		return usage_error(cmd, "bad --%s '%s': %s", opt->long_name,
				   arg, parse_strerror(r));
	if (v < opt->min || v > opt->max)
		return range_error(cmd, opt, arg, (int)strlen(arg), size);
	opt_store_uint(p, opt->width, v);
	return 0;
}

static int number_list(const char *cmd, const struct parse_opt *opt,
		       const char *arg, void *base)
{
	int size = opt->type == OPTION_SIZE_LIST;
	uint64_t **vals = at(base, opt->offset);
	size_t *n = at(base, opt->count_offset);
	enum parse_result r;
	const char *bad;
	size_t badlen;

	free(*vals);
	*vals = NULL;
	r = parse_list(arg, size ? parse_size : parse_u64, opt->min, opt->max,
		       vals, n, &bad, &badlen);
	if (!r)
		return 0;
	if (r == PARSE_RANGE)
		return range_error(cmd, opt, bad, (int)badlen, size);
	return usage_error(cmd, "bad --%s '%.*s': %s", opt->long_name,
			   (int)badlen, bad, parse_strerror(r));
}

/* Split @arg at ',' into *vals with @one; 0, or -1: "'ITEM': reason". */
static int split_items(const char *arg, opt_item_fn one, const void *ctx,
		       uint32_t **vals, size_t *n, char *why, size_t len)
{
	size_t cap = 1;
	const char *p = arg;
	char item_why[200];

	free(*vals);
	*n = 0;
	for (const char *q = arg; *q; q++)
		cap += *q == ',';
	*vals = calloc(cap, sizeof(**vals));
	if (!*vals)
		return snprintf(why, len, "out of memory"), -1;
	for (;;) {
		size_t l = strcspn(p, ",");

		str_copy(item_why, sizeof(item_why), l ? "" : "empty item");
		if (!l || one(p, l, &(*vals)[*n], item_why, sizeof(item_why),
			      ctx)) {
			snprintf(why, len, "'%.*s'%s%s", (int)l, p,
				 item_why[0] ? ": " : "", item_why);
			free(*vals);
			*vals = NULL;
			*n = 0;
			return -1;
		}
		(*n)++;
		if (!p[l])
			return 0;
		p += l + 1;
	}
}

int parse_opt_items(const struct parse_opt *opt, const char *arg,
		    opt_item_fn one, const void *ctx, uint32_t **vals,
		    size_t *n, char *why, size_t len)
{
	char sub[400];

	if (!split_items(arg, one, ctx, vals, n, sub, sizeof(sub)))
		return 0;
	snprintf(why, len, "bad --%s %s", opt->long_name, sub);
	return -1;
}

static int one_enum(const char *s, size_t n, uint32_t *v, char *why,
		    size_t wl, const void *names)
{
	if (!opt_name_value(names, s, n, v))
		return 0;
	names_hint(names, why, wl);
	return -1;
}

int opt_enum_list(const struct opt_name *names, const char *arg,
		  uint32_t **vals, size_t *n, char *why, size_t len)
{
	return split_items(arg, one_enum, names, vals, n, why, len);
}

static int enum_value(const char *cmd, const struct parse_opt *opt,
		      const char *arg, void *base)
{
	char why[400];
	uint32_t *single = NULL, **vals = &single;
	size_t n = 0;
	int r = 0;

	if (is_list(opt))
		vals = at(base, opt->offset);
	if (opt_enum_list(opt->names, arg, vals, &n, why, sizeof(why))) {
		r = usage_error(cmd, "bad --%s %s", opt->long_name, why);
	} else if (is_list(opt)) {
		*(size_t *)at(base, opt->count_offset) = n;
	} else if (n != 1) {
		names_hint(opt->names, why, sizeof(why));
		r = usage_error(cmd, "bad --%s '%s': one name; %s",
				opt->long_name, arg, why);
	} else {
		*(uint32_t *)at(base, opt->offset) = single[0];
	}
	free(single);
	return r;
}

int parse_option_value(const char *cmd, const struct parse_opt *opt,
		       const char *arg, void *base)
{
	void *p = at(base, opt->offset);
	enum parse_result pr;
	char why[600];

	switch (opt->type) {
	case OPTION_FLAG:
		*(int *)p = 1;
		return 0;
	case OPTION_UINT:
	case OPTION_SIZE:
		return scalar_value(cmd, opt, arg, p);
	case OPTION_SECONDS:
		pr = parse_seconds(arg, p);
		if (pr)
			return usage_error(cmd, "bad --%s '%s': %s",
					   opt->long_name, arg,
					   parse_strerror(pr));
		return 0;
	case OPTION_STRING:
		*(const char **)p = arg;
		return 0;
	case OPTION_UINT_LIST:
	case OPTION_SIZE_LIST:
		return number_list(cmd, opt, arg, base);
	case OPTION_ENUM:
	case OPTION_ENUM_LIST:
		return enum_value(cmd, opt, arg, base);
	case OPTION_CALLBACK:
		why[0] = '\0';
		if (opt->callback(opt, arg, base, why, sizeof(why)))
			return usage_error(cmd, "%s", why[0] ? why :
					   "bad value");
		return 0;
	case OPTION_TEXT:
	case OPTION_END:
		break;
	}
	return usage_error(cmd, "internal error: option --%s",
			   opt->long_name ? opt->long_name : "?");
}


#define OPT_VAL_BASE	256	/* getopt_long's val of entry i: 256 + i */

/* getopt_long's table (plus --help) and optstring from @opts. */
static int build_getopt(const struct parse_opt *opts, struct option **lo,
			char **shorts)
{
	size_t n = parse_options_count(opts), k = 0, s = 0;

	*lo = calloc(n + 2, sizeof(**lo));
	*shorts = malloc(2 * n + 4);
	if (!*lo || !*shorts)
		return -1;
	(*shorts)[s++] = ':';
	for (size_t i = 0; i < n; i++) {
		const struct parse_opt *o = &opts[i];

		if (o->type == OPTION_TEXT)
			continue;
		(*lo)[k].name = o->long_name;
		(*lo)[k].has_arg = parse_option_has_arg(o) ?
				   required_argument : no_argument;
		(*lo)[k].val = OPT_VAL_BASE + (int)i;
		k++;
		if (o->short_name) {
			(*shorts)[s++] = (char)o->short_name;
			if (parse_option_has_arg(o))
				(*shorts)[s++] = ':';
		}
	}
	(*lo)[k].name = "help";
	(*lo)[k].val = 'h';
	(*shorts)[s++] = 'h';
	(*shorts)[s] = '\0';
	return 0;
}

/* The table index of getopt_long's @c, or -1. */
static int opt_index(const struct parse_opt *opts, size_t n, int c)
{
	if (c >= OPT_VAL_BASE && (size_t)(c - OPT_VAL_BASE) < n)
		return c - OPT_VAL_BASE;
	for (size_t i = 0; i < n; i++)
		if (opts[i].short_name && opts[i].short_name == c &&
		    opts[i].type != OPTION_TEXT)
			return (int)i;
	return -1;
}

static parse_help_fn help_renderer;

void parse_options_set_help(parse_help_fn fn)
{
	help_renderer = fn;
}

static int parse_loop(struct parse_ctx *ctx, int argc, char **argv,
		      const struct parse_opt *opts, void *base,
		      const struct option *lo, const char *shorts)
{
	size_t n = parse_options_count(opts);
	int c, i, r;

	while ((c = getopt_long(argc, argv, shorts, lo, NULL)) != -1) {
		if (c == 'h' && help_renderer) {
			help_renderer(stdout, ctx, opts);
			return -1;
		}
		if (c == 'h') {
			parse_options_usage(stdout, ctx->usage, opts);
			if (ctx->help_tail)
				ctx->help_tail(stdout);
			return -1;
		}
		i = opt_index(opts, n, c);
		if (i < 0)
			return usage_bad_option(ctx->cmd, c, argv);
		if (ctx->no_output && (opts[i].flags & PARSE_OPT_OUTPUT))
			return usage_error(ctx->cmd, "%s does not apply here",
					   argv[optind - 1]);
		r = parse_option_value(ctx->cmd, &opts[i], optarg, base);
		if (r)
			return r;
		if (ctx->given && (size_t)i < ctx->ngiven)
			ctx->given[i] = 1;
	}
	ctx->nargs = argc - optind;
	ctx->args = argv + optind;
	if (ctx->nargs > ctx->max_args)
		return usage_error(ctx->cmd, "unexpected argument '%s'",
				   argv[optind + ctx->max_args]);
	return 0;
}

int parse_options(struct parse_ctx *ctx, int argc, char **argv,
		  const struct parse_opt *opts, void *base)
{
	struct option *lo = NULL;
	char *shorts = NULL;
	int r;

	if (build_getopt(opts, &lo, &shorts)) {
		r = usage_error(ctx->cmd, "out of memory");
	} else {
		optind = 0;
		opterr = 0;
		r = parse_loop(ctx, argc, argv, opts, base, lo, shorts);
	}
	free(lo);
	free(shorts);
	return r;
}

/* "  -s, --size LIST" padded to HELP_COLUMN, then the help lines. */
static void usage_line(FILE *f, const struct parse_opt *o)
{
	const char *h = o->help ? o->help : "";
	int w;

	if (o->short_name)
		w = fprintf(f, "  -%c, --%s", o->short_name, o->long_name);
	else
		w = fprintf(f, "      --%s", o->long_name);
	if (o->argh)
		w += fprintf(f, " %s", o->argh);
	for (;;) {
		size_t l = strcspn(h, "\n");

		if (w >= HELP_COLUMN - 1) {
			fputc('\n', f);
			w = 0;
		}
		fprintf(f, "%*s%.*s\n", HELP_COLUMN - w, "", (int)l, h);
		w = 0;
		if (!h[l])
			break;
		h += l + 1;
	}
}

/* Every table has it (build_getopt): the help lists it first. */
const struct parse_opt parse_opt_help = {
	.type = OPTION_FLAG, .short_name = 'h', .long_name = "help",
	.help = "show this help and exit",
};

void parse_options_usage(FILE *f, const char *usage,
			 const struct parse_opt *opts)
{
	if (usage)
		fputs(usage, f);
	usage_line(f, &parse_opt_help);
	for (; opts->type != OPTION_END; opts++) {
		if (opts->type == OPTION_TEXT)
			fputs(opts->help, f);
		else
			usage_line(f, opts);
	}
}
