/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The man pages and the bash completion, generated from the tables --help
 * prints (no second list to keep in step): each subcommand's parse-options
 * table with its usage text, the run options of util/runopt.c (also the
 * job-file keys) and the result columns of util/columns.h.  The build runs
 * the hidden
 *
 *   dmabench --man PAGE [PROSE]   PAGE: dmabench, jobfile or a command
 *   dmabench --completion         the bash completion script
 *
 * PROSE is the hand-written part of every page in one file (man/prose.man):
 * the lines after `.\" ==== PAGE` go after the page's DESCRIPTION, those
 * after `.\" ==== PAGE/tail` before its SEE ALSO; the next `.\" ====` ends
 * a part.
 */
#ifndef DMABENCH_UTIL_HELPGEN_H
#define DMABENCH_UTIL_HELPGEN_H

#include <stdio.h>

/* struct cmd_struct.doc */
/* its page lists the result columns */
#define CMD_DOC_COLUMNS	(1U << 0)

/* A subcommand as `dmabench --help` lists it. */
struct cmd_struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
	unsigned doc;			/* CMD_DOC_* */
};

/*
 * `dmabench --man ...` or `dmabench --completion` (@argv[0] is the
 * option) on @f, for the commands @cmds.  Returns the exit code.
 */
int helpgen_main(FILE *f, const struct cmd_struct *cmds, size_t ncmds,
		 int argc, char **argv);

#endif /* DMABENCH_UTIL_HELPGEN_H */
