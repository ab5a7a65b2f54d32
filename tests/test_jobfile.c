// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Job files: syntax, errors with line numbers, cross-product expansion. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "util/jobfile.h"

static char err[256];

static struct jobfile jf;

/* configs point into the jobfile: done() frees both */
static int expand(const char *text, unsigned ncpus, struct job_list *l)
{
	err[0] = '\0';
	memset(l, 0, sizeof(*l));
	if (jobfile_parse(text, &jf, err, sizeof(err)))
		return -1;
	return jobfile_expand(&jf, ncpus, l, err, sizeof(err));
}

static void done(struct job_list *l)
{
	job_list_free(l);
	jobfile_free(&jf);
}

static void test_expand(void)
{
	struct job_list l;

	CHECK(expand("# a sweep\n[global]\nseconds = 1 ; short\n"
		     "test=map_single\n\n[a]\nsize = 4K,64K\n"
		     "threads = 1..ncpus\n[b]\nseconds=2\nsize=8K..64K\n"
		     "cpus = 0-1,3\n", 4, &l) == 0, "parse: %s", err);
	/* a: 2 sizes x threads 1,2,4 = 6; b: 8K,16K,32K,64K = 4 */
	CHECK(l.n == 10, "%zu configs", l.n);
	if (l.n == 10) {
		CHECK(!strcmp(l.v[0].job, "a") &&
		      !strcmp(job_config_get(&l.v[0], "size"), "4K") &&
		      !strcmp(job_config_get(&l.v[0], "threads"), "1") &&
		      !strcmp(job_config_get(&l.v[2], "threads"), "4") &&
		      !strcmp(job_config_get(&l.v[3], "size"), "64K") &&
		      !strcmp(job_config_get(&l.v[0], "seconds"), "1") &&
		      !strcmp(job_config_get(&l.v[0], "test"), "map_single"),
		      "order of a");
		CHECK(!strcmp(l.v[6].job, "b") &&
		      !strcmp(job_config_get(&l.v[6], "seconds"), "2") &&
		      !strcmp(job_config_get(&l.v[6], "cpus"), "0-1,3") &&
		      !strcmp(job_config_get(&l.v[9], "size"), "64K"),
		      "b overrides seconds, cpus unsplit");
		/* global order kept: seconds, test, then the job's keys */
		CHECK(!strcmp(l.v[6].key[0], "seconds") &&
		      l.v[6].line[0] == 10, "key order/line %s %d",
		      l.v[6].key[0], l.v[6].line[0]);
	}
	done(&l);

	/* 3 CPUs: 1..ncpus = 1,2,3; duplicates dropped; 4K..4M = 11 */
	CHECK(expand("[x]\ntest=t\nthreads=1..ncpus,ncpus,2\nsize=4K..4M\n",
		     3, &l) == 0 && l.n == 33, "%zu: %s", l.n, err);
	if (l.n == 33)
		CHECK(!strcmp(job_config_get(&l.v[32], "size"), "4M") &&
		      !strcmp(job_config_get(&l.v[32], "threads"), "3"),
		      "last %s", job_config_get(&l.v[32], "size"));
	done(&l);

	/* the IOMMU keys: scope x flush x iova-limit, device lists with + */
	CHECK(expand("[x]\ntest=iommu_map\ndevice=a+b\n"
		     "scope=per-device,per-instance\nflush=strict,batch:32\n"
		     "iova_limit=32,48\nlive=16\nslow_ns=900\nseed=3\n", 1,
		     &l) == 0 && l.n == 8, "%zu: %s", l.n, err);
	if (l.n == 8)
		CHECK(!strcmp(job_config_get(&l.v[0], "device"), "a+b") &&
		      !strcmp(job_config_get(&l.v[0], "scope"), "per-device") &&
		      !strcmp(job_config_get(&l.v[7], "scope"),
			      "per-instance") &&
		      !strcmp(job_config_get(&l.v[7], "flush"), "batch:32") &&
		      !strcmp(job_config_get(&l.v[7], "iova-limit"), "48") &&
		      !strcmp(job_config_get(&l.v[7], "live"), "16"),
		      "iommu keys");
	done(&l);

	/* underscores are dashes; perf is a flag */
	CHECK(expand("[x]\ntest=t\ndma_trans_ns=100\nperf\n", 1, &l) == 0 &&
	      l.n == 1 && job_config_get(&l.v[0], "dma-trans-ns") &&
	      job_config_get(&l.v[0], "perf"), "%s", err);
	done(&l);
}

static void test_env(void)
{
	struct job_list l;

	setenv("DMABENCH_TEST_DEV", "0000:00:02.0", 1);
	unsetenv("DMABENCH_TEST_UNSET");
	CHECK(expand("[x]\ntest=t\ndevice=${DMABENCH_TEST_DEV:-dmabench.0}\n"
		     "size=${DMABENCH_TEST_UNSET:-4K},8K\n", 1, &l) == 0 &&
	      l.n == 2 && !strcmp(job_config_get(&l.v[0], "device"),
				  "0000:00:02.0") &&
	      !strcmp(job_config_get(&l.v[0], "size"), "4K"), "env: %s", err);
	done(&l);
	CHECK(expand("[x]\ntest=${DMABENCH_TEST_UNSET}\n", 1, &l) == -1 &&
	      strstr(err, "line 2: ${DMABENCH_TEST_UNSET} is not set"),
	      "unset: %s", err);
	done(&l);
	CHECK(expand("[x]\ntest=${OOPS\n", 1, &l) == -1 &&
	      strstr(err, "unterminated"), "unterminated: %s", err);
	done(&l);
}

static void expect_err(const char *text, const char *want)
{
	struct job_list l = { 0 };

	CHECK(expand(text, 2, &l) == -1 && strstr(err, want), "'%s': got "
	      "'%s', want '%s'", text, err, want);
	done(&l);
}

static void test_errors(void)
{
	expect_err("test=x\n", "line 1: 'test=x' before the first [section]");
	expect_err("[a\n", "line 1: bad section header");
	expect_err("[a]\n[a]\n", "line 2: job [a] defined twice");
	expect_err("[a]\nfrobnicate = 4\n", "line 2: unknown key 'frobnicate'");
	expect_err("[a]\nbounce = yes\n", "line 2: 'bounce' takes no value");
	expect_err("[a]\nformat = csv\n", "'format' does not apply");
	expect_err("[a]\nsize =\n", "'size' needs a value");
	expect_err("[a]\nperf = 1\n", "'perf' takes no value");
	expect_err("[global]\nseconds=1\n", "no job section");
	expect_err("[a]\nsize=4K,,8K\n", "line 2: empty item");
	expect_err("[a]\nsize=64K..4K\n", "line 2: bad range '64K..4K'");
	expect_err("[a]\nthreads=x..4\n", "bad range");
}

/* The keys come from the run option and sweep setting tables. */
static void test_keys(void)
{
	struct job_list l;

	CHECK(jobfile_is_sweep_key("repeat") && jobfile_is_sweep_key("ci") &&
	      jobfile_is_sweep_key("max-seconds") &&
	      !jobfile_is_sweep_key("size"), "sweep keys");
	CHECK(jobfile_is_flag_key("bounce") && jobfile_is_flag_key("perf") &&
	      !jobfile_is_flag_key("align") && !jobfile_is_flag_key("repeat"),
	      "flag keys");
	CHECK(expand("[a]\ntest = map_single\nalign = 0,64\nseg_size = 4K\n"
		     "slow-ns = 9\nrepeat = 2\n", 1, &l) == 0 && l.n == 2 &&
	      !strcmp(job_config_get(&l.v[1], "align"), "64") &&
	      !strcmp(job_config_get(&l.v[1], "seg-size"), "4K"),
	      "align: %s, %zu configs", err, l.n);
	done(&l);
	expect_err("[a]\noutput = x\n", "'output' does not apply");
}

int main(void)
{
	test_expand();
	test_keys();
	test_errors();
	test_env();
	return test_report();
}
