// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Error message helpers shared by the builtins. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/cli.h"

int usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "dmabench %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see dmabench %s --help)\n", cmd);
	return EXIT_USAGE;
}

int fail(const char *fmt, ...)
{
	va_list ap;

	fputs("dmabench: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return EXIT_FAIL;
}

int usage_bad_option(const char *cmd, int c, char **argv)
{
	const char *opt = argv[optind - 1];

	if (c == ':')
		return usage_error(cmd, "option '%s' needs a value", opt);
	/* glibc: a known long option given a value it does not take */
	if (optopt && !strncmp(opt, "--", 2) && strchr(opt, '='))
		return usage_error(cmd, "option '%.*s' takes no value",
				   (int)(strchr(opt, '=') - opt), opt);
	if (optopt && optopt != '?')
		return usage_error(cmd, "unknown option '-%c'", optopt);
	return usage_error(cmd, "unknown option '%s'", opt);
}
