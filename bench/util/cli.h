/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Exit codes and the one-line error conventions shared by the builtins. */
#ifndef DMABENCH_UTIL_CLI_H
#define DMABENCH_UTIL_CLI_H

enum {
	EXIT_OK = 0,
	EXIT_FAIL = 1,		/* the command ran and failed */
	EXIT_USAGE = 2,		/* bad command line */
};

/*
 * "dmabench CMD: <message> (see dmabench CMD --help)" on stderr.
 * Returns EXIT_USAGE so callers can `return usage_error(...)`.
 */
int usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* "dmabench: <message>" on stderr; returns EXIT_FAIL. */
int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Turn getopt_long's '?' / ':' (optstring must start with ':') into a
 * usage error naming the bad option.
 */
int usage_bad_option(const char *cmd, int c, char **argv);

#endif /* DMABENCH_UTIL_CLI_H */
