/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * --format ktap: result rows as KTAP version 1 (the kernel's
 * Documentation/dev-tools/ktap.rst), for kselftest-style runners and
 * LAVA.  One test per configuration, its phases as numbered subtests
 * (a single configuration is not nested), the numbers of a phase (of each
 * sweep repetition, each --interval run) as one diagnostic line "# map:
 * ops=... p50_ns=..." of every result column that is no part of the
 * configuration key (util/columns.h: a new column shows
 * up by itself).  A phase fails with errors or a status other than done.
 */
#ifndef DMABENCH_UTIL_KTAP_H
#define DMABENCH_UTIL_KTAP_H

#include <stdio.h>

#include "util/columns.h"
#include "util/meta.h"

/* A configuration the command planned, measured or not. */
struct ktap_config {
	char name[200];			/* the test's description */
	int config;			/* its rows' first config number; -1: none */
	int config_end;			/* one past their last (--interval); 0: config + 1 */
	const char *directive;		/* NULL, "SKIP" or "ERROR" */
	char reason[400];		/* of the directive or the failure */
};

/*
 * The document of @rows on @f.  @cfgs: the configurations in plan order
 * (@ncfgs of them); NULL: one per config number of @rows, named from its
 * first row.  @what heads it ("dmabench run").
 */
void output_ktap(FILE *f, const char *what, const struct run_meta *meta,
		 const struct result_row *rows, size_t n,
		 const struct ktap_config *cfgs, size_t ncfgs);

/*
 * Streaming, one configuration at a time (sweep): the version line, "#
 * @what" and the plan of @ntests; test @num: configuration @c of @rows
 * (its phases nested; not measured: its directive or failure alone);
 * the closing diagnostics (dmabench, kernel, platform; emulation noted).
 */
void ktap_begin(FILE *f, const char *what, size_t ntests);
void ktap_config(FILE *f, size_t num, const struct ktap_config *c,
		 const struct result_row *rows, size_t n);
void ktap_end(FILE *f, const struct run_meta *meta);

/* "map_single device=dmabench.0 size=4K threads=1 dir=bidir ..." */
const char *ktap_row_name(const struct result_row *r, char *buf,
			  size_t len);

/* @s with every '#' (KTAP forbids it in a description) made '_'. */
void ktap_clean(char *s);

#endif /* DMABENCH_UTIL_KTAP_H */
