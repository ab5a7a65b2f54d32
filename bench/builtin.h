/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The dmabench subcommands.  Each takes the arguments from its own name on
 * (argv[0] is "run", ...) and returns the process exit code.
 */
#ifndef DMABENCH_BUILTIN_H
#define DMABENCH_BUILTIN_H

int cmd_list(int argc, char **argv);
int cmd_bind(int argc, char **argv);
int cmd_unbind(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_exhaust(int argc, char **argv);
int cmd_sweep(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_plot(int argc, char **argv);

#endif /* DMABENCH_BUILTIN_H */
