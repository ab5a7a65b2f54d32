/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Job files for `dmabench sweep`, fio-like INI:
 *
 *   # comment (also ';')
 *   [global]
 *   seconds = 1
 *   [small]
 *   test = map_single
 *   size = 4K..64K        # doubling: 4K,8K,16K,32K,64K
 *   threads = 1,ncpus     # ncpus: the online CPUs
 *
 * Every key is a `run` option (long name, '_' = '-'), plus the sweep keys
 * repeat, min-seconds, max-seconds and ci.  [global] applies to every job;
 * a job's own keys override it.  A value with commas is a list; the lists
 * of one job expand into their cross product (the first key varies
 * slowest).  "A..B" in size and threads doubles from A up to B (B is
 * always included).  The options whose one value has commas (cpus,
 * map-cpus, unmap-cpus: the kernel's CPU list syntax "0-3,8"; size-mix)
 * are never split (PARSE_OPT_ONE_VALUE in util/runopt.c).  ${NAME} and
 * ${NAME:-default} in a value come from the environment
 * (DEVICE=0000:00:03.0 dmabench sweep job).
 */
#ifndef DMABENCH_UTIL_JOBFILE_H
#define DMABENCH_UTIL_JOBFILE_H

#include <stddef.h>

struct job_kv {
	char *key;			/* normalised: '-' not '_' */
	char *val;
	int line;
};

struct job_section {
	char *name;
	int line;
	struct job_kv *kv;
	size_t nkv;
};

struct jobfile {
	struct job_section global;	/* empty if there was none */
	struct job_section *jobs;
	size_t njobs;
};

/* One expanded configuration: single values only. */
struct job_config {
	const char *job;		/* section name (points into jobfile) */
	size_t nkv;
	char **key;			/* point into the jobfile */
	char **val;			/* malloc'ed */
	int *line;
};

struct job_list {
	struct job_config *v;
	size_t n;
};

/*
 * Parse @text.  Returns 0, or -1 with "LINE: reason" in @err.  Checks the
 * syntax and that every key is known (run options and sweep keys).
 */
int jobfile_parse(const char *text, struct jobfile *jf, char *err,
		  size_t errlen);
void jobfile_free(struct jobfile *jf);

/*
 * Expand every job into its configurations.  @ncpus replaces "ncpus".
 * Returns 0, or -1 with "LINE: reason" in @err.
 */
int jobfile_expand(const struct jobfile *jf, unsigned ncpus,
		   struct job_list *out, char *err, size_t errlen);
void job_list_free(struct job_list *l);

/* The value of @key in @c, or NULL. */
const char *job_config_get(const struct job_config *c, const char *key);

/* Is @key a flag (perf, bounce: no value)? */
int jobfile_is_flag_key(const char *key);

/* Is @key a sweep key (not passed to run)? */
int jobfile_is_sweep_key(const char *key);

#endif /* DMABENCH_UTIL_JOBFILE_H */
