// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * dmabench: drive dmabench.ko to measure and stress DMA mapping through the
 * IOMMU.  This file only dispatches to the builtin-*.c subcommands.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdio.h>
#include <string.h>

#include "builtin.h"
#include "dmabench_abi.h"
#include "util/cli.h"
#include "util/helpgen.h"
#include "util/meta.h"

/* .doc: what the man page adds to the option table (util/helpgen.h) */
static const struct cmd_struct commands[] = {
	{ "list",   cmd_list,   "show devices dmabench drives or could drive",
	  0 },
	{ "bind",   cmd_bind,   "hand a device over to dmabench", 0 },
	{ "unbind", cmd_unbind, "give a device back to its previous driver", 0 },
	{ "run",    cmd_run,    "run a DMA mapping benchmark",
	  CMD_DOC_COLUMNS },
	{ "verify", cmd_verify, "prove mappings with real device DMA (edu)", 0 },
	{ "exhaust", cmd_exhaust, "find domain / IOVA capacity (leak check)",
	  0 },
	{ "sweep",  cmd_sweep,  "run a job file, keep every repetition",
	  CMD_DOC_COLUMNS },
	{ "compare", cmd_compare, "A/B statistics of results directories", 0 },
	{ "report", cmd_report, "plain-text summary of a results directory", 0 },
	{ "plot",   cmd_plot,   "gnuplot PNG/SVG plots of results directories",
	  0 },
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void print_usage(FILE *f)
{
	fprintf(f, "usage: dmabench [--help | --version] COMMAND [ARGS]\n\n"
		"Commands:\n");
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].help);
	fprintf(f, "\n'dmabench COMMAND --help' describes one command.\n"
		"Needs root and dmabench.ko loaded (list works without).\n");
}

int main(int argc, char **argv)
{
	const char *cmd;

	if (argc < 2) {
		fprintf(stderr, "dmabench: missing command (see dmabench "
			"--help)\n");
		return EXIT_USAGE;
	}
	cmd = argv[1];
	if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h")) {
		print_usage(stdout);
		return EXIT_OK;
	}
	/* hidden: the build generates the man pages and completion */
	if (!strcmp(cmd, "--man") || !strcmp(cmd, "--completion"))
		return helpgen_main(stdout, commands, NCOMMANDS, argc - 1,
				    argv + 1);
	if (!strcmp(cmd, "--version") || !strcmp(cmd, "-V")) {
		printf("dmabench %s (ABI %d)\n", meta_dmabench_version(),
		       DMABENCH_ABI_VERSION);
		return EXIT_OK;
	}
	/* "dmabench help run" == "dmabench run --help" */
	if (!strcmp(cmd, "help")) {
		char help[] = "--help";
		char *hargv[] = { argv[2], help, NULL };

		if (argc < 3) {
			print_usage(stdout);
			return EXIT_OK;
		}
		for (size_t i = 0; i < NCOMMANDS; i++)
			if (!strcmp(argv[2], commands[i].name))
				return commands[i].fn(2, hargv);
		cmd = argv[2];
	} else {
		for (size_t i = 0; i < NCOMMANDS; i++)
			if (!strcmp(cmd, commands[i].name))
				return commands[i].fn(argc - 1, argv + 1);
	}
	fprintf(stderr, "dmabench: unknown command '%s' (see dmabench --help)\n",
		cmd);
	return EXIT_USAGE;
}
