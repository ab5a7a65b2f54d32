// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * End-to-end tests of `dmabench run` and `dmabench verify` without a
 * kernel: linked with -Wl,--wrap=ioctl, so the ioctls land in a fake module
 * below, and run against a fake debugfs tree via $DMABENCH_SYSROOT.  The
 * fake checks the requests the way dmabench.ko does (header, sizes,
 * reserved fields) and returns known histograms.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "builtin.h"
#include "testutil.h"
#include "dmabench_abi.h"
#include "dmabench_fields.h"
#include "fakemod.h"

/* The end of a CSV row without shape, pairs or --interval columns. */
#define NO_SHAPE ",,,,,,,,,,,," NO_TIMING "\n"

/* ---- the fake module ---- */

static int fake_run_errno, fake_verify_errno;
static unsigned fake_errno_call;	/* 1-based RUN call to fail; 0: all */
static unsigned fake_status_call;	/* 1-based RUN call to stop on */
static uint32_t fake_status;
static int fake_raise_sigint;		/* send ourselves SIGINT in RUN */
static int fake_sigint_restarts;	/* SA_RESTART seen on SIGINT */
static unsigned fake_runs;
static struct dmabench_run fake_req[16];
/* > 0: answer as a version-2 module with this batch_used (and drift) */
static uint32_t fake_batch_used;

/*
 * A version-2 module's timing: batch_used, ktime at 1 ns, the warm-up;
 * hist2: map's upper half (1500..1999: it drifted), unmap's half (not).
 */
static void fake_timing(struct dmabench_run *r, const uint64_t *hist)
{
	uint64_t *hist2 = (uint64_t *)(uintptr_t)r->hist2_ptr;

	r->batch_used = fake_batch_used;
	r->clock_used = DMABENCH_CLOCK_KTIME;
	r->clock_res_ps = 1000;
	r->warmup_ops = (uint64_t)r->warmup * r->threads;
	if (!hist2)
		return;
	for (uint64_t v = 1500; v < 2000; v++)
		hist2[dmabench_hist_bucket(v)] += r->threads;
	hist2[DMABENCH_HIST_BUCKETS + dmabench_hist_bucket(50)] =
		hist[DMABENCH_HIST_BUCKETS + dmabench_hist_bucket(50)] / 2;
}

/* phase "map": one sample each of 1000..1999 ns per thread; "unmap": 50 */
static void fake_results(struct dmabench_run *r)
{
	uint64_t *hist = (uint64_t *)(uintptr_t)r->hist_ptr;
	uint64_t per_thread = 1000;

	r->nphases = 2;
	strcpy(r->phase[0].name, "map");
	strcpy(r->phase[1].name, "unmap");
	for (uint64_t v = 1000; v < 2000; v++)
		hist[dmabench_hist_bucket(v)] += r->threads;
	hist[DMABENCH_HIST_BUCKETS + dmabench_hist_bucket(50)] +=
		per_thread * r->threads;
	r->phase[0].ops = per_thread * r->threads;
	r->phase[0].sum_ns = 1499500ULL * r->threads;
	r->phase[0].min_ns = 1000;
	r->phase[0].max_ns = 1999;
	r->phase[1].ops = per_thread * r->threads;
	r->phase[1].sum_ns = 50 * per_thread * r->threads;
	r->phase[1].min_ns = 50;
	r->phase[1].max_ns = 50;
	r->elapsed_ns = 1000000000ULL;
	r->timer_overhead_ps = 20500;
	r->status = DMABENCH_STATUS_DONE;
	if (fake_batch_used)
		fake_timing(r, hist);
}

static int fake_run(struct dmabench_run *r)
{
	const struct fake_test *t = fake_find_test(r->test);
	int err = fake_check_run(r, 0);
	struct sigaction sa;
	int sg;

	if (err)
		return err;
	/* what bench must send: map_sg spelled out, per-thread ops wanted */
	sg = (t->fields & DMABENCH_FIELD_NENTS) != 0;
	if ((sg && (!r->nents || r->nents * r->seg_size != r->buf_size)) ||
	    !r->thread_ops_ptr)
		return EINVAL;
	if (fake_runs < 16)
		fake_req[fake_runs] = *r;
	fake_runs++;
	sigaction(SIGINT, NULL, &sa);
	if (sa.sa_flags & SA_RESTART || sa.sa_handler == SIG_DFL)
		fake_sigint_restarts = 1;
	if (fake_run_errno && (!fake_errno_call || fake_errno_call == fake_runs))
		return fake_run_errno;
	fake_results(r);
	fake_run_outputs(r);
	if (fake_status_call == fake_runs) {
		r->status = fake_status;
		if (fake_raise_sigint)
			kill(getpid(), SIGINT);
	}
	return 0;
}

static int fake_verify(struct dmabench_verify *v)
{
	int err = fake_check_verify(v);

	if (err)
		return err;
	if (fake_verify_errno)
		return fake_verify_errno;
	v->dma_addr_to_dev = 0x1000;
	v->dma_addr_from_dev = 0x2000;
	v->passed = strcmp(v->device, "0000:00:04.0") != 0;
	v->mismatch_offset = v->passed ? 0 : 17;
	return 0;
}

static int fake_dispatch(unsigned long req, void *arg)
{
	if (req == DMABENCH_IOC_RUN)
		return fake_run(arg);
	if (req == DMABENCH_IOC_VERIFY)
		return fake_verify(arg);
	return ENOTTY;
}

static void fake_reset(void)
{
	fake_info_errno = fake_run_errno = fake_verify_errno = 0;
	fake_status_call = fake_errno_call = 0;
	fake_raise_sigint = 0;
	fake_sigint_restarts = 0;
	fake_runs = 0;
	memset(fake_req, 0, sizeof(fake_req));
	fake_batch_used = 0;
}

static char outfile[512];

static void read_outfile(void)
{
	slurp(outfile, out_text, sizeof(out_text));
}

/* ---- the tests ---- */

static void test_cross_product(void)
{
	int r;

	fake_reset();
	r = call(cmd_run, "run", "--test", "map_single", "--size", "4K,64K",
		 "--threads", "1,2", "--iterations", "1000", "--format", "csv",
		 "--output", outfile, (char *)NULL);
	read_outfile();
	CHECK(r == 0, "exit %d, stderr: %s", r, err_text);
	CHECK(fake_runs == 4, "%u runs", fake_runs);
	CHECK(fake_req[0].buf_size == 4096 && fake_req[0].threads == 1 &&
	      fake_req[1].buf_size == 4096 && fake_req[1].threads == 2 &&
	      fake_req[2].buf_size == 65536 && fake_req[2].threads == 1 &&
	      fake_req[3].buf_size == 65536 && fake_req[3].threads == 2,
	      "configuration order");
	CHECK(fake_req[0].iterations == 1000 && fake_req[0].duration_ns == 0,
	      "iterations %llu duration %llu",
	      (unsigned long long)fake_req[0].iterations,
	      (unsigned long long)fake_req[0].duration_ns);
	CHECK(!strcmp(fake_req[0].device, "dmabench.0") &&
	      !strcmp(fake_req[0].test, "map_single") && fake_req[0].node == -1
	      && fake_req[0].cpus[0] == 0 && fake_req[0].dir == 0,
	      "defaults: %s %s", fake_req[0].device, fake_req[0].test);
	CHECK(count_lines(out_text) == 9, "%d lines:\n%s",
	      count_lines(out_text), out_text);
	/*
	 * 1000..1999 once each: p50 rank 500 = 1499, bucket [1488,1503] ->
	 * 1495; p90 1899 -> [1888,1903] -> 1895; p99 1989 and p99.9 1998 ->
	 * [1984,1999] -> 1991; exact stddev 288.7
	 */
	CHECK(strstr(out_text, "map_single,dmabench.0,direct,none,4096,1,1,"
		     "bidir,map,1000,1499.5,") != NULL, "map row:\n%s",
	      out_text);
	CHECK(strstr(out_text, ",288.6,1495,1895,1991,1991,1999,1000.0,1000,0,done,"
		     "1000000000,20.500,") != NULL, "map stats:\n%s", out_text);
	CHECK(strstr(out_text, "map_single,dmabench.0,direct,none,65536,1,2,"
		     "bidir,unmap,2000,50.0,0.0,50,50,50,50,50,2000.0,50,0,"
		     "done,") != NULL, "unmap row:\n%s", out_text);
}

static void test_json_defaults(void)
{
	int r;

	fake_reset();
	setenv("DMABENCH_PLATFORM", "qemu-emulated", 1);
	r = call(cmd_run, "run", "-t", "map_single", "--cpus", "0", "--dir",
		 "from", "--format", "json", "-o", outfile, (char *)NULL);
	read_outfile();
	CHECK(r == 0, "exit %d: %s", r, err_text);
	CHECK(fake_runs == 1 && fake_req[0].duration_ns == 5000000000ULL &&
	      fake_req[0].iterations == 0 && fake_req[0].buf_size == 4096 &&
	      fake_req[0].threads == 1, "default 5 s, 4K, 1 thread");
	CHECK(fake_req[0].cpus[0] == 1 && fake_req[0].dir == 2,
	      "cpus %llx dir %u", (unsigned long long)fake_req[0].cpus[0],
	      fake_req[0].dir);
	CHECK(strstr(out_text, "\"module_version\": \"fake-1\"") &&
	      strstr(out_text, "\"placement\": \"cpus 0\"") &&
	      strstr(out_text, "\"platform\": \"qemu-emulated\"") &&
	      strstr(out_text, "\"command\": \"dmabench run -t map_single"),
	      "metadata:\n%s", out_text);
	CHECK(strstr(out_text, "\"phase\": \"unmap\"") &&
	      strstr(out_text, "\"dir\": \"from\""), "rows:\n%s", out_text);

	/* text to stdout: emulation NOTE */
	fake_reset();
	r = call(cmd_run, "run", "-t", "map_single", "-i", "5", (char *)NULL);
	CHECK(r == 0 && !strncmp(out_text, "NOTE: qemu-emulated", 19) &&
	      strstr(out_text, "\nmap "), "text:\n%s", out_text);
	unsetenv("DMABENCH_PLATFORM");
}

static void test_stops(void)
{
	int r;

	/* Ctrl-C during the second of four runs */
	fake_reset();
	fake_status_call = 2;
	fake_status = DMABENCH_STATUS_INTERRUPTED;
	fake_raise_sigint = 1;
	r = call(cmd_run, "run", "-t", "map_single", "-s", "4K,8K", "-T",
		 "1,2", "-i", "10", "-f", "csv", "-o", outfile, (char *)NULL);
	read_outfile();
	CHECK(r == 1, "interrupted: exit %d", r);
	CHECK(fake_runs == 2, "ran on after interrupt: %u", fake_runs);
	CHECK(!fake_sigint_restarts, "SIGINT handler missing or SA_RESTART");
	CHECK(count_lines(out_text) == 5 && strstr(out_text, ",interrupted,"),
	      "partial rows:\n%s", out_text);
	CHECK(strstr(err_text, "interrupted") &&
	      strstr(err_text, "2 of 4"), "note: %s", err_text);

	fake_reset();
	fake_status_call = 1;
	fake_status = DMABENCH_STATUS_DEVICE_GONE;
	r = call(cmd_run, "run", "-t", "map_single", "-s", "4K,8K", "-i", "10",
		 "-f", "csv", "-o", outfile, (char *)NULL);
	read_outfile();
	CHECK(r == 1 && fake_runs == 1 && count_lines(out_text) == 3 &&
	      strstr(out_text, ",device-gone,"), "device gone: exit %d\n%s",
	      r, out_text);
	CHECK(strstr(err_text, "dmabench.0 was unbound"), "note: %s",
	      err_text);
}

static void expect_error(int err, const char *msg, const char *extra1,
			 const char *extra2)
{
	int r;

	fake_reset();
	fake_run_errno = err;
	r = call(cmd_run, "run", "-t", "map_single", "-i", "1", extra1 ? extra1 :
		 "-i", extra2 ? extra2 : "1", (char *)NULL);
	CHECK(r == 1, "errno %d: exit %d", err, r);
	CHECK(strstr(err_text, msg) && count_lines(err_text) == 1,
	      "errno %d: stderr '%s', want '%s'", err, err_text, msg);
	CHECK(out_text[0] == '\0', "errno %d: output '%s'", err, out_text);
}

static void test_errors(void)
{
	int r;

	expect_error(EBUSY, "a run is already in progress on dmabench.0",
		     NULL, NULL);
	expect_error(ENOENT, "unknown test 'map_single' (available: "
		     "map_single, map_sg, sync, alloc, alloc_noncoherent)", NULL,
		     NULL);
	expect_error(EIO, "refused the 20-bit DMA mask", "--dma-mask-bits",
		     "20");
	expect_error(EINVAL, "the module rejected the arguments (see dmesg)",
		     NULL, NULL);
	expect_error(ENODEV, "device dmabench.0 is not bound to dmabench: "
		     "dmabench bind dmabench.0", NULL, NULL);
	expect_error(EPERM, "must run as root", NULL, NULL);

#define XSTR(x) #x
#define STR(x) XSTR(x)
	fake_reset();
	fake_info_errno = EINVAL;
	r = call(cmd_run, "run", "-t", "map_single", (char *)NULL);
	CHECK(r == 1 && strstr(err_text, "does not speak ABI version " STR(DMABENCH_ABI_VERSION)) &&
	      fake_runs == 0, "ABI mismatch: %d %s", r, err_text);

	fake_reset();
	r = call(cmd_run, "run", "-t", "map_single", "-d", "0000:00:09.0",
		 (char *)NULL);
	CHECK(r == 1 && fake_runs == 0 &&
	      strstr(err_text, "device 0000:00:09.0 is not bound to dmabench: "
		     "dmabench bind 0000:00:09.0"), "unbound device: %s",
	      err_text);

	/* usage errors never reach the module */
	fake_reset();
	r = call(cmd_run, "run", "-t", "map_single", "--threads", "0",
		 (char *)NULL);
	CHECK(r == 2 && fake_runs == 0 && strstr(err_text, "--threads '0'"),
	      "threads 0: %d %s", r, err_text);
	r = call(cmd_run, "run", "-t", "map_single", "--seconds", "1", "-i",
		 "5", (char *)NULL);
	CHECK(r == 2 && strstr(err_text, "exclude"), "seconds+iterations");
}

static void test_verify(void)
{
	int r;

	fake_reset();
	r = call(cmd_verify, "verify", (char *)NULL);
	CHECK(r == 1, "one edu fails: exit %d", r);
	CHECK(!strcmp(out_text,
		      "0000:00:03.0: PASS (iova to-dev 0x1000, from-dev 0x2000)\n"
		      "0000:00:04.0: FAIL (mismatch at offset 17; iova to-dev "
		      "0x1000, from-dev 0x2000)\n"), "verify all:\n%s",
	      out_text);

	r = call(cmd_verify, "verify", "--device", "0000:00:03.0",
		 (char *)NULL);
	CHECK(r == 0 && count_lines(out_text) == 1 &&
	      strstr(out_text, "0000:00:03.0: PASS"), "one device: %d %s", r,
	      out_text);

	r = call(cmd_verify, "verify", "-d", "dmabench.0", (char *)NULL);
	CHECK(r == 1 && strstr(err_text, "not a QEMU edu device"),
	      "non-edu: %s", err_text);

	fake_verify_errno = EBUSY;
	r = call(cmd_verify, "verify", "-d", "0000:00:03.0", (char *)NULL);
	CHECK(r == 1 && strstr(out_text, "0000:00:03.0: ERROR a run or verify "
			       "is already in progress on 0000:00:03.0"),
	      "verify busy: %s", out_text);

	fake_verify_errno = EIO;
	r = call(cmd_verify, "verify", "-d", "0000:00:03.0", (char *)NULL);
	CHECK(r == 1 && strstr(out_text, "0000:00:03.0: ERROR"),
	      "verify error: %s", out_text);
}

/*
 * A usage error: exit 2, one line containing @want, nothing run.  At most
 * 22 arguments after "run"; all of them reach cmd_run.
 */
static void expect_usage(const char *want, ...)
{
	char *argv[24] = { 0 };
	va_list ap;
	int n = 0, r;

	va_start(ap, want);
	argv[n++] = "run";
	while (n < 23 && (argv[n] = va_arg(ap, char *)))
		n++;
	if (n == 23 && va_arg(ap, char *))	/* more than fit */
		n = -1;
	va_end(ap);
	if (n < 0) {
		CHECK(0, "expect_usage('%s'): too many arguments", want);
		return;
	}
	fake_reset();
	/* argv[n..23] are NULL: call() stops at the first */
	r = call(cmd_run, argv[0], argv[1], argv[2], argv[3], argv[4], argv[5],
		 argv[6], argv[7], argv[8], argv[9], argv[10], argv[11],
		 argv[12], argv[13], argv[14], argv[15], argv[16], argv[17],
		 argv[18], argv[19], argv[20], argv[21], argv[22], argv[23]);
	CHECK(r == 2 && fake_runs == 0 && strstr(err_text, want) &&
	      count_lines(err_text) == 1, "want '%s': exit %d, %u runs, "
	      "stderr: %s", want, r, fake_runs, err_text);
}

static int csv_has(const char *needle)
{
	return strstr(out_text, needle) != NULL;
}

static void test_map_sg(void)
{
	int r;

	fake_reset();
	r = call(cmd_run, "run", "-t", "map_sg", "--nents", "4,16",
		 "--seg-size", "4K", "--layout", "contiguous,Scattered", "-i",
		 "10", "-f", "csv", "-o", outfile, (char *)NULL);
	read_outfile();
	CHECK(r == 0 && fake_runs == 4, "exit %d, %u runs: %s", r, fake_runs,
	      err_text);
	CHECK(fake_req[0].nents == 4 && fake_req[0].seg_size == 4096 &&
	      fake_req[0].buf_size == 16384 &&
	      fake_req[0].sg_layout == DMABENCH_SG_CONTIGUOUS &&
	      fake_req[1].sg_layout == DMABENCH_SG_SCATTERED &&
	      fake_req[2].nents == 16 && fake_req[3].buf_size == 65536 &&
	      fake_req[3].sg_layout == DMABENCH_SG_SCATTERED,
	      "requests: %u %llu %llu %u", fake_req[0].nents,
	      (unsigned long long)fake_req[0].seg_size,
	      (unsigned long long)fake_req[0].buf_size, fake_req[1].sg_layout);
	CHECK(csv_has("map_sg,dmabench.0,direct,none,16384,4,1,bidir,map,") &&
	      csv_has(",4096,contiguous,1,4,,device,yes,,100.0,100.0,0" NO_SHAPE) &&
	      csv_has(",4096,scattered,1,16,,device,yes,,100.0,100.0,0" NO_SHAPE),
	      "map_sg rows:\n%s", out_text);

	/* --size is the total: 64K in 8 entries of 8K */
	fake_reset();
	r = call(cmd_run, "run", "-t", "map_sg", "--nents", "8", "-s", "64K",
		 "-i", "10", (char *)NULL);
	CHECK(r == 0 && fake_req[0].nents == 8 &&
	      fake_req[0].seg_size == 8192 && fake_req[0].buf_size == 65536,
	      "size total: %d %s", r, err_text);
	CHECK(strstr(out_text, "  8 x 8K contiguous, DMA segments: 1..8\n"),
	      "text:\n%s", out_text);

	/* a test list: --nents applies to map_sg only */
	fake_reset();
	r = call(cmd_run, "run", "-t", "map_single,map_sg", "--nents", "1,8",
		 "-s", "64K", "-i", "10", "-f", "csv", "-o", outfile,
		 (char *)NULL);
	read_outfile();
	CHECK(r == 0 && fake_runs == 3 && !strcmp(fake_req[0].test,
						   "map_single") &&
	      fake_req[0].nents == 0 && fake_req[1].nents == 1 &&
	      fake_req[2].nents == 8, "list: %d %u runs %s", r, fake_runs,
	      err_text);
	CHECK(count_lines(out_text) == 7, "rows:\n%s", out_text);

	expect_usage("bad --nents '0'", "-t", "map_sg", "--nents", "0", NULL);
	expect_usage("bad --nents '1025': must be 1..1024", "-t", "map_sg",
		     "--nents", "1025", NULL);
	expect_usage("bad --seg-size 'x'", "-t", "map_sg", "--seg-size", "x",
		     NULL);
	expect_usage("bad --layout 'diagonal': use contiguous or scattered",
		     "-t", "map_sg", "--layout", "diagonal", NULL);
	expect_usage("--nents applies only to --test map_sg", "-t",
		     "map_single", "--nents", "4", NULL);
	expect_usage("--layout applies only to --test map_sg", "-t",
		     "alloc", "--layout", "scattered", NULL);
	expect_usage("not both", "-t", "map_sg", "-s", "4K", "--seg-size",
		     "4K", NULL);
	expect_usage("map_sg: 1024 x --seg-size 128K is above 64M", "-t",
		     "map_sg", "--nents", "1024", "--seg-size", "128K", NULL);
	expect_usage("map_sg: --size 8 is less than --nents 16", "-t",
		     "map_sg", "--nents", "16", "-s", "8", NULL);
}

static void test_alloc_attrs(void)
{
	int r;

	fake_reset();
	r = call(cmd_run, "run", "-t", "alloc", "--attrs",
		 "write_combine,WRITE_COMBINE+no_kernel_mapping,"
		 "force_contiguous|DMA_ATTR_NO_KERNEL_MAPPING,none", "-i", "10",
		 "-f", "csv", "-o", outfile, (char *)NULL);
	read_outfile();
	CHECK(r == 0 && fake_runs == 4 && fake_req[3].attrs == 0 &&
	      fake_req[0].attrs == DMABENCH_ATTR_WRITE_COMBINE &&
	      fake_req[1].attrs == (DMABENCH_ATTR_WRITE_COMBINE |
				    DMABENCH_ATTR_NO_KERNEL_MAPPING) &&
	      fake_req[2].attrs == (DMABENCH_ATTR_FORCE_CONTIGUOUS |
				    DMABENCH_ATTR_NO_KERNEL_MAPPING),
	      "attrs: %d %u %s", r, fake_runs, err_text);
	CHECK(csv_has(",,,,,WRITE_COMBINE,device,yes,,") &&
	      csv_has(",,,,,WRITE_COMBINE|NO_KERNEL_MAPPING,device,yes,,") &&
	      csv_has(",NO_KERNEL_MAPPING|FORCE_CONTIGUOUS,"),
	      "attrs rows:\n%s", out_text);

	expect_usage("bad --attrs 'WRITE_COMBINE+FOO': unknown attribute "
		     "'FOO'", "-t", "alloc", "--attrs", "WRITE_COMBINE+FOO",
		     NULL);
	expect_usage("FORCE_CONTIGUOUS and ALLOC_SINGLE_PAGES exclude each "
		     "other", "-t", "alloc", "--attrs",
		     "FORCE_CONTIGUOUS+ALLOC_SINGLE_PAGES", NULL);
	expect_usage("--attrs applies only to --test alloc", "-t",
		     "map_single", "--attrs", "WRITE_COMBINE", NULL);
	expect_usage("bad --attrs 'WRITE_COMBINE+'", "-t", "alloc", "--attrs",
		     "WRITE_COMBINE+", NULL);
}

static void test_coherency_bounce(void)
{
	int r;

	fake_reset();
	r = call(cmd_run, "run", "-t", "map_single,sync", "--coherency",
		 "noncoherent,DEVICE", "-i", "10", "-f", "csv", "-o", outfile,
		 (char *)NULL);
	read_outfile();
	CHECK(r == 0 && fake_runs == 4 &&
	      fake_req[0].coherency == DMABENCH_COHERENCY_NONCOHERENT &&
	      fake_req[1].coherency == DMABENCH_COHERENCY_DEVICE &&
	      !strcmp(fake_req[2].test, "sync"), "coherency: %d %u %s", r,
	      fake_runs, err_text);
	CHECK(csv_has(",noncoherent,no,,") && csv_has(",device,yes,,"),
	      "coherency rows:\n%s", out_text);
	expect_usage("bad --coherency 'sometimes': use device, coherent or "
		     "noncoherent", "-t", "map_single", "--coherency",
		     "sometimes", NULL);

	/* the module refuses: x86 */
	fake_reset();
	fake_run_errno = EOPNOTSUPP;
	r = call(cmd_run, "run", "-t", "map_single", "--coherency",
		 "noncoherent", "-i", "1", (char *)NULL);
	CHECK(r == 1 && strstr(err_text, "cannot be forced on this "
			       "architecture") && count_lines(err_text) == 1,
	      "coherency refused: %s", err_text);

	fake_reset();
	r = call(cmd_run, "run", "-t", "map_single", "--bounce", "-i", "10",
		 (char *)NULL);
	CHECK(r == 0 && fake_req[0].flags == DMABENCH_RUN_BOUNCE &&
	      !strcmp(fake_req[0].device, "dmabench.0"), "bounce: %d %s", r,
	      err_text);
	CHECK(strstr(out_text, "  bounced 500 of 1000 mappings\n"),
	      "bounce text:\n%s", out_text);
	fake_reset();
	fake_run_errno = EOPNOTSUPP;
	r = call(cmd_run, "run", "-t", "map_sg", "--bounce", "-i", "1",
		 (char *)NULL);
	CHECK(r == 1 && strstr(err_text, "swiotlb is not active") &&
	      strstr(err_text, "swiotlb=force"), "no swiotlb: %s", err_text);
	expect_usage("--bounce runs on the module's own device dmabench.0",
		     "-t", "map_single", "--bounce", "-d", "0000:00:03.0",
		     NULL);
	expect_usage("--bounce applies only to --test map_single, map_sg or "
		     "sync", "-t",
		     "alloc", "--bounce", NULL);
	expect_usage("--domain needs a device behind an IOMMU", "-t",
		     "map_single", "--bounce", "--domain", "dma", NULL);
	expect_usage("bad --domain 'strict': use current, identity, dma or "
		     "dma-fq", "-t", "map_single", "--domain", "strict", NULL);
	expect_usage("--coherency does not apply to IOMMU API tests", "-t",
		     "iommu_map", "--coherency", "coherent", NULL);
	expect_usage("cannot share one --test list", "-t",
		     "map_single,iommu_map", NULL);
	expect_usage("--test names map_sg twice", "-t", "map_sg,map_sg", NULL);
}

static void test_thread_rates(void)
{
	int r;

	fake_reset();
	r = call(cmd_run, "run", "-t", "map_single", "-T", "2", "-i", "10",
		 "-f", "csv", "-o", outfile, (char *)NULL);
	read_outfile();
	/* 100 and 200 ops in the fake's 1 s */
	CHECK(r == 0 && csv_has(",device,yes,,100.0,200.0,0" NO_SHAPE), "csv:\n%s",
	      out_text);
	r = call(cmd_run, "run", "-t", "map_single", "-T", "2", "-i", "10",
		 "-f", "json", "-o", outfile, (char *)NULL);
	read_outfile();
	CHECK(r == 0 && csv_has("\"thread_ops_per_sec\": [100.0, 200.0]}"),
	      "json:\n%s", out_text);
	r = call(cmd_run, "run", "-t", "map_single", "-T", "1,2", "-i", "10",
		 (char *)NULL);
	CHECK(r == 0 && strstr(out_text, "  per thread: 100 .. 200 ops/s (2 "
			       "threads)\n") && !strstr(out_text, "(1 "
							  "threads)"),
	      "text:\n%s", out_text);
}

static void test_missing_test(void)
{
	int r;

	fake_reset();
	r = call(cmd_run, "run", "-t", "map_single,alloc_noncontiguous",
		 (char *)NULL);
	CHECK(r == 1 && fake_runs == 0 && count_lines(err_text) == 1 &&
	      strstr(err_text, "test 'alloc_noncontiguous' is not in the "
		     "loaded dmabench.ko: it needs Linux 5.13 "
		     "(dma_alloc_noncontiguous), this kernel ("),
	      "missing test: %d %s", r, err_text);
	/* the version each test of include/dmabench_needs.h needs */
	r = call(cmd_run, "run", "-t", "iova_link", (char *)NULL);
	CHECK(r == 1 && fake_runs == 0 && count_lines(err_text) == 1 &&
	      strstr(err_text, "test 'iova_link' is not in the loaded "
		     "dmabench.ko: it needs Linux 6.16 (dma_iova_try_alloc), "
		     "this kernel ("),
	      "missing iova_link: %d %s", r, err_text);
	/* a test of bench's list that every kernel has, if the module lacks it */
	r = call(cmd_run, "run", "-t", "alloc_pages", (char *)NULL);
	CHECK(r == 1 && fake_runs == 0 && count_lines(err_text) == 1 &&
	      strstr(err_text, "test 'alloc_pages' is not in the loaded "
		     "dmabench.ko: this kernel lacks the API (it has: "),
	      "missing alloc_pages: %d %s", r, err_text);

	/* --domain on the module's own device: no IOMMU group */
	make_dirs("sys/bus/platform/devices/dmabench.0");
	fake_reset();
	r = call(cmd_run, "run", "-t", "map_single", "--domain", "identity",
		 (char *)NULL);
	CHECK(r == 1 && fake_runs == 0 && count_lines(err_text) == 1 &&
	      strstr(err_text, "dmabench.0 has no IOMMU group (the module's "
		     "own dma-direct device)"), "no group: %d %s", r,
	      err_text);
}

/* debugfs mounted (the directory is not empty) but no dmabench in it */
static void test_unreachable(void)
{
	char on[512], off[512];
	int r;

	snprintf(on, sizeof(on), "%s/sys/kernel/debug/dmabench", tmpdir);
	snprintf(off, sizeof(off), "%s/sys/kernel/debug/dmabench.off", tmpdir);
	if (rename(on, off)) {
		CHECK(0, "rename %s: %s", on, strerror(errno));
		return;
	}
	r = call(cmd_run, "run", "-t", "map_single", (char *)NULL);
	CHECK(r == 1 && strstr(err_text, "module not loaded") &&
	      strstr(err_text, "insmod dmabench.ko"), "not loaded: %s",
	      err_text);
	r = call(cmd_list, "list", (char *)NULL);
	CHECK(r == 0 && strstr(err_text, "module not loaded") &&
	      strstr(out_text, "DEVICE"), "list without module: %s", err_text);
	rename(off, on);
}


/* Is there a CSV line starting with @head and ending with @tail? */
static int csv_line_has(const char *head, const char *tail)
{
	size_t hl = strlen(head), tl = strlen(tail);

	for (const char *l = out_text; *l;) {
		const char *e = strchr(l, '\n');
		size_t n = e ? (size_t)(e - l) + 1 : strlen(l);

		if (n >= hl + tl && !strncmp(l, head, hl) &&
		    !strncmp(l + n - tl, tail, tl))
			return 1;
		l += n;
	}
	return 0;
}

/* --align: map_single and map_sg only, a sweep axis, into run.align. */
static void test_align(void)
{
	int r;

	fake_reset();
	r = call(cmd_run, "run", "-t", "map_single,map_sg,sync", "--align",
		 "0,2048", "-i", "10", "-f", "csv", "-o", outfile, (char *)NULL);
	read_outfile();
	/* sync does not take it: it runs once, with align 0 */
	CHECK(r == 0 && fake_runs == 5, "exit %d, %u runs: %s", r, fake_runs,
	      err_text);
	CHECK(!strcmp(fake_req[0].test, "map_single") &&
	      fake_req[0].align == 0 && fake_req[1].align == 2048 &&
	      !strcmp(fake_req[2].test, "map_sg") && fake_req[2].align == 0 &&
	      fake_req[3].align == 2048 && !strcmp(fake_req[4].test, "sync") &&
	      fake_req[4].align == 0,
	      "requests: %s %u, %s %u, %s %u", fake_req[1].test,
	      fake_req[1].align, fake_req[3].test, fake_req[3].align,
	      fake_req[4].test, fake_req[4].align);
	/* the align column: the last of a run's rows */
	CHECK(strstr(out_text, ",align,depth,") &&
	      csv_line_has("map_single,", ",2048" NO_SHAPE) &&
	      csv_line_has("map_sg,", ",2048" NO_SHAPE) &&
	      csv_line_has("sync,", ",0" NO_SHAPE) &&
	      !csv_line_has("sync,", ",2048" NO_SHAPE),
	      "align column:\n%s", out_text);
	expect_usage("bad --align '4096': must be 0..4095", "-t",
		     "map_single", "--align", "64,4096", NULL);
	expect_usage("--align applies only to --test map_single or map_sg",
		     "-t", "sync,alloc", "--align", "64", NULL);
	/* every argument reaches run: the error is in the 13th */
	expect_usage("--cpus and --node exclude each other", "-t",
		     "map_single", "-s", "4K", "-T", "1", "-S", "1", "--dir",
		     "to", "--node", "0", "--cpus", "0", NULL);
}

/* Which options a test takes comes from fields=, not from its name. */
static void test_fields_from_module(void)
{
	int r;

	/* a module whose map_single takes no align (fields= without 0x80) */
	write_file("sys/kernel/debug/dmabench/tests",
		   "map_single map unmap fields=0x70\n"
		   "map_sg map unmap fields=0xf7\n"
		   "newtest map fields=0x80\n");
	expect_usage("--align applies only to --test map_sg or newtest", "-t",
		     "map_single", "--align", "64", NULL);
	/*
	 * a test bench has never heard of is sent what the module says it
	 * takes: map_single runs without --align, newtest is sent (and the
	 * shared fake, built from the module's own list, has no newtest:
	 * ENOENT, as the module answers for a test it lacks)
	 */
	fake_reset();
	r = call(cmd_run, "run", "-t", "map_single,newtest", "--align", "8",
		 "-i", "10", (char *)NULL);
	CHECK(r == 1 && fake_runs == 1 && fake_req[0].align == 0 &&
	      !strcmp(fake_req[0].test, "map_single") &&
	      strstr(err_text, "unknown test 'newtest'"),
	      "newtest: exit %d, %u runs: %s", r, fake_runs, err_text);
	/* a module older than fields=: bench's list of version 1 */
	write_file("sys/kernel/debug/dmabench/tests", "map_single map unmap\n"
		   "map_sg map unmap\n");
	expect_usage("--nents applies only to --test map_sg", "-t",
		     "map_single", "--nents", "4", NULL);
	fake_write_tests((const char *const[]){ "map_single", "map_sg", "sync",
					      "alloc", "alloc_noncoherent",
					      NULL });
}

/* Traffic shapes: every bad value is one line and nothing runs. */
static void test_shape_usage(void)
{
	expect_usage("--batch 8: a depth, random order, hold law, --pairs or "
		     "--size-mix times every op on its own: drop --batch", "-t",
		     "map_single", "--batch", "8", "--depth", "1,4", NULL);
	expect_usage("--batch 4: a depth, random order, hold law, --pairs or "
		     "--size-mix times every op on its own: drop --batch", "-t",
		     "map_single", "--batch", "4", "--size-mix", "4K:1,8K:1",
		     NULL);
	expect_usage("bad --depth '0': must be 1..4096", "-t", "map_single",
		     "--depth", "0", NULL);
	expect_usage("bad --depth '5000': must be 1..4096", "-t",
		     "map_single", "--depth", "1,5000", NULL);
	expect_usage("bad --order 'lifo': use fifo or random", "-t",
		     "map_single", "--order", "lifo", NULL);
	expect_usage("--order random needs --depth 2 or more", "-t",
		     "map_single", "--order", "random", NULL);
	expect_usage("--order random needs --depth 2 or more", "-t",
		     "map_single", "--order", "random", "--depth", "8,1", NULL);
	expect_usage("bad --hold 'exp': want fixed:T, uniform:T (0..2T) or "
		     "exp:T (mean T)", "-t", "map_single", "--hold", "exp",
		     NULL);
	expect_usage("bad --hold 'gauss:5us': want fixed:T", "-t",
		     "map_single", "--hold", "gauss:5us", NULL);
	expect_usage("bad --hold 'exp:5xs': unknown unit (use ns, us, ms, s, "
		     "m or h)", "-t", "map_single", "--hold", "exp:5xs", NULL);
	expect_usage("bad --hold 'fixed:2s': the mean must be 1ns..1s", "-t",
		     "map_single", "--hold", "fixed:2s", NULL);
	expect_usage("bad --hold 'uniform:': empty value", "-t", "map_single",
		     "--hold", "uniform:", NULL);
	expect_usage("--hold applies only to tests that hold a mapping "
		     "between map and unmap", "-t", "alloc", "--hold", "fixed:1us",
		     NULL);
	expect_usage("--hold and --dma-trans-ns exclude each other", "-t",
		     "map_single", "--hold", "fixed:5us", "--dma-trans-ns",
		     "5000", NULL);
	expect_usage("bad --pairs '2': want MAPPERS:UNMAPPERS", "-t",
		     "map_single", "--pairs", "2", NULL);
	expect_usage("bad --pairs '0:2': want MAPPERS:UNMAPPERS, each at "
		     "least 1", "-t", "map_single", "--pairs", "0:2", NULL);
	expect_usage("bad --pairs '1000:100'", "-t", "map_single", "--pairs",
		     "1000:100", NULL);
	expect_usage("--pairs 2:2 sets the threads (4): drop --threads", "-t",
		     "map_single", "--pairs", "2:2", "-T", "4", NULL);
	expect_usage("--map-cpus and --unmap-cpus need --pairs P:C", "-t",
		     "map_single", "--map-cpus", "0", "--unmap-cpus", "1",
		     NULL);
	expect_usage("give both --map-cpus and --unmap-cpus", "-t",
		     "map_single", "--pairs", "1:1", "--map-cpus", "0", NULL);
	expect_usage("--pairs 2:2 wants 2 --map-cpus and 2 --unmap-cpus (one "
		     "per thread), not 1 and 1", "-t", "map_single", "--pairs",
		     "2:2", "--map-cpus", "0", "--unmap-cpus", "1", NULL);
	expect_usage("--map-cpus must all be below --unmap-cpus", "-t",
		     "map_single", "--pairs", "1:1", "--map-cpus", "1",
		     "--unmap-cpus", "0", NULL);
	expect_usage("--map-cpus/--unmap-cpus exclude --cpus and --node",
		     "-t", "map_single", "--pairs", "1:1", "--map-cpus", "0",
		     "--unmap-cpus", "1", "--cpus", "0-1", NULL);
	expect_usage("bad --map-cpus 'x'", "-t", "map_single", "--pairs",
		     "1:1", "--map-cpus", "x", "--unmap-cpus", "1", NULL);
	expect_usage("bad --footprint '5G': must be 0..4G", "-t",
		     "map_single", "--footprint", "0,5G", NULL);
	expect_usage("bad --footprint 'lots': not a number", "-t",
		     "map_single", "--footprint", "lots", NULL);
	expect_usage("bad --size-mix '4K': '4K' has no :WEIGHT", "-t",
		     "map_single", "--size-mix", "4K", NULL);
	expect_usage("bad --size-mix '4K:0': weight '0' of 4K: a whole "
		     "number", "-t", "map_single", "--size-mix", "4K:0", NULL);
	expect_usage("bad --size-mix '128M:1': size '128M': above 64M", "-t",
		     "map_single", "--size-mix", "128M:1", NULL);
	expect_usage("bad --size-mix '4X:1': size '4X': unknown unit", "-t",
		     "map_single", "--size-mix", "4X:1", NULL);
	expect_usage("size 4K given twice", "-t", "map_single", "--size-mix",
		     "4K:1,4K:2", NULL);
	expect_usage("bad --size-mix '4K:1,': want SIZE:WEIGHT,...", "-t",
		     "map_single", "--size-mix", "4K:1,", NULL);
	expect_usage("at most 8 size classes", "-t", "map_single",
		     "--size-mix", "1K:1,2K:1,3K:1,4K:1,5K:1,6K:1,7K:1,8K:1,"
		     "9K:1", NULL);
	expect_usage("--size-mix sets the sizes: drop --size", "-t",
		     "map_single", "--size-mix", "4K:1", "-s", "4K", NULL);
	expect_usage("--depth applies only to --test map_single, map_sg or "
		     "alloc", "-t", "sync", "--depth", "4", NULL);
	expect_usage("--size-mix applies only to --test map_single or alloc",
		     "-t", "sync,map_sg", "--size-mix", "4K:1", NULL);
	expect_usage("--pairs does not apply to IOMMU API tests", "-t",
		     "iommu_map", "--pairs", "1:1", NULL);
	expect_usage("bad --interval '0.01': at least 0.1s", "-t",
		     "map_single", "--interval", "0.01", NULL);
	expect_usage("bad --interval '10y': unknown unit", "-t", "map_single",
		     "--interval", "10y", NULL);
	expect_usage("--interval 10s is longer than --seconds 5s", "-t",
		     "map_single", "--seconds", "5", "--interval", "10s",
		     NULL);
	expect_usage("--interval slices --seconds: it excludes --iterations",
		     "-t", "map_single", "-i", "5", "--interval", "1", NULL);
	expect_usage("--seconds above 3600 needs --interval", "-t",
		     "map_single", "--seconds", "7200", NULL);
}

/* A line of out_text (with its newline) that starts with @head, has @part. */
static int csv_row_has(const char *head, const char *part)
{
	for (const char *l = out_text; *l;) {
		const char *e = strchr(l, '\n');
		size_t n = e ? (size_t)(e - l) + 1 : strlen(l);
		char line[2048];

		snprintf(line, sizeof(line), "%.*s", (int)n, l);
		if (!strncmp(line, head, strlen(head)) && strstr(line, part))
			return 1;
		l += n;
	}
	return 0;
}

/* The shape reaches the module; its results land in their columns. */
static void test_shapes(void)
{
	const struct dmabench_shape *s = &fake_last_shape;
	int r;

	fake_reset();
	r = call(cmd_run, "run", "-t", "map_single", "--depth", "256",
		 "--order", "random", "--hold", "exp:5us", "--pairs", "1:1",
		 "--map-cpus", "0", "--unmap-cpus", "1", "--footprint", "1G",
		 "--size-mix", "4K:70,64K:25,1M:5", "--seed", "7", "-i", "10",
		 "-f", "csv", "-o", outfile, (char *)NULL);
	read_outfile();
	CHECK(r == 0 && fake_runs == 1, "shape run: %d %s", r, err_text);
	CHECK(fake_req[0].shape_ptr && fake_req[0].threads == 2 &&
	      fake_req[0].buf_size == 1048576 && fake_req[0].cpus[0] == 3 &&
	      s->depth == 256 && s->order == DMABENCH_ORDER_RANDOM &&
	      s->hold == DMABENCH_HOLD_EXPONENTIAL && s->hold_ns == 5000 &&
	      s->map_threads == 1 && s->unmap_threads == 1 &&
	      s->footprint == (1ULL << 30) && s->nsizes == 3 &&
	      s->sizes[1] == 65536 && s->weights[2] == 5 && s->seed == 7 &&
	      s->class_hist_ptr && fake_req[0].dma_trans_ns == 0,
	      "shape sent: threads %u size %llu depth %u hold %u/%u",
	      fake_req[0].threads, (unsigned long long)fake_req[0].buf_size,
	      s->depth, s->hold, s->hold_ns);
	/* 2 phases in total, then 2 per class: 8 rows and the header */
	CHECK(count_lines(out_text) == 9, "rows:\n%s", out_text);
	/* totals: size 0, class all; 2000 ops, mappers 0.5 s, unmappers 0.25 */
	CHECK(csv_row_has("map_single,dmabench.0,direct,none,0,1,2,bidir,map,"
			  "2000,", ",4000.0,") &&
	      csv_row_has("map_single,dmabench.0,direct,none,0,1,2,bidir,"
			  "unmap,2000,", ",8000.0,") &&
	      csv_row_has("map_single,dmabench.0,direct,none,0,1,2,bidir,map,",
			  ",256,random,exp:5us,1:1,1073741824,"
			  "\"4K:70,64K:25,1M:5\",all,1073741824,100,250.0,900," NO_TIMING "\n"),
	      "totals:\n%s", out_text);
	/*
	 * class k: 10 (k + 1) samples of 1000 (k + 1) + phase ns, their
	 * mean and extremes from the buckets (1000..1007: 1003)
	 */
	CHECK(csv_row_has("map_single,dmabench.0,direct,none,4096,1,2,bidir,"
			  "map,10,1003.0,0.0,",
			  ",1003,1003,1003,1003,1007,10.0,1000,") &&
	      csv_row_has("map_single,dmabench.0,direct,none,1048576,1,2,"
			  "bidir,unmap,30,2991.0,", ",1M,1073741824,,,," NO_TIMING "\n") &&
	      csv_row_has("map_single,dmabench.0,direct,none,65536,1,2,bidir,"
			  "map,20,", ",64K,1073741824,,,," NO_TIMING "\n"),
	      "classes:\n%s", out_text);

	/* text: the shape, the queue and one heading per class */
	fake_reset();
	r = call(cmd_run, "run", "-t", "map_single", "--pairs", "2:2",
		 "--size-mix", "4K:1,8K:1", "-i", "10", (char *)NULL);
	CHECK(r == 0 && strstr(out_text, ": size mixed, threads 4,") &&
	      strstr(out_text, "  shape: depth 1 (fifo), pairs 2:2\n") &&
	      strstr(out_text, "  size mix 4K:1,8K:1\n") &&
	      strstr(out_text, "  queue delay (map to unmapper) min 100, mean "
		     "250.0, max 900 ns;") &&
	      strstr(out_text, "  size class all:\n") &&
	      strstr(out_text, "  size class 8K:\n"), "text:\n%s", out_text);

	/* a test without shapes in a list: no shape sent to it */
	fake_reset();
	r = call(cmd_run, "run", "-t", "sync,map_sg", "--depth", "8", "-i",
		 "10", (char *)NULL);
	CHECK(r == 0 && fake_runs == 2 && !fake_req[0].shape_ptr &&
	      fake_req[1].shape_ptr && fake_last_shape.depth == 8,
	      "list: %d %u runs %s", r, fake_runs, err_text);
	/* --hold: to the tests with a simulated transfer only */
	fake_reset();
	r = call(cmd_run, "run", "-t", "alloc,map_single", "--hold",
		 "uniform:2us", "-i", "10", (char *)NULL);
	CHECK(r == 0 && fake_runs == 2 && !fake_req[0].shape_ptr &&
	      fake_req[1].shape_ptr && fake_last_shape.hold_ns == 2000 &&
	      fake_last_shape.hold == DMABENCH_HOLD_UNIFORM,
	      "hold in a list: %d %u runs %s", r, fake_runs, err_text);
	/* a shape the module does not run: one line saying so */
	fake_reset();
	fake_run_errno = EOPNOTSUPP;
	r = call(cmd_run, "run", "-t", "map_single", "--depth", "8", "-i", "10",
		 (char *)NULL);
	CHECK(r == 1 && strstr(err_text, "does not run this traffic shape") &&
	      count_lines(err_text) == 1, "EOPNOTSUPP: %d %s", r, err_text);
	/* no shape option: no shape (today's requests) */
	fake_reset();
	r = call(cmd_run, "run", "-t", "map_single", "--seed", "3", "-i",
		 "10", (char *)NULL);
	CHECK(r == 0 && !fake_req[0].shape_ptr, "no shape: %d", r);

	/* --depth and --footprint sweep */
	fake_reset();
	r = call(cmd_run, "run", "-t", "map_single", "--depth", "1,64",
		 "--footprint", "0,1G", "-i", "10", "-f", "csv", "-o",
		 outfile, (char *)NULL);
	read_outfile();
	CHECK(r == 0 && fake_runs == 4 && csv_row_has("map_single,", ",1,"
						       "fifo,,,0,,,0,,,," NO_TIMING "\n") &&
	      csv_row_has("map_single,", ",64,fifo,,,1073741824,,,"
			  "1073741824,,,," NO_TIMING "\n"), "axes: %d %u\n%s", r, fake_runs,
	      out_text);
}

/* --interval: one run per slice, rows stamped with their start. */
static void test_interval(void)
{
	int r;

	fake_reset();
	r = call(cmd_run, "run", "-t", "map_single", "--seconds", "0.25",
		 "--interval", "100ms", "-f", "csv", "-o", outfile,
		 (char *)NULL);
	read_outfile();
	CHECK(r == 0 && fake_runs == 3 &&
	      fake_req[0].duration_ns == 100000000ULL &&
	      fake_req[1].duration_ns == 100000000ULL &&
	      fake_req[2].duration_ns == 50000000ULL,
	      "slices: %d, %u runs: %s", r, fake_runs, err_text);
	CHECK(count_lines(out_text) == 7 &&
	      csv_row_has("map_single,", ",0.000" NO_TIMING "\n") &&
	      !csv_row_has("map_single,", ",," NO_TIMING "\n"), "time_s:\n%s", out_text);
	/* text: a heading per interval */
	fake_reset();
	r = call(cmd_run, "run", "-t", "map_single", "--seconds", "0.2",
		 "--interval", "0.1", (char *)NULL);
	{
		const char *p = out_text;
		int n = 0;

		while ((p = strstr(p, "\n  interval from ")))
			n++, p++;
		CHECK(r == 0 && n == 2, "text of 2 intervals: %d, %d "
		      "headings:\n%s", r, n, out_text);
	}
	/* KTAP: every interval and size class a diagnostic of its phase */
	fake_reset();
	r = call(cmd_run, "run", "-t", "map_single", "--size-mix", "4K:1,8K:1",
		 "--seconds", "0.2", "--interval", "0.1", "-f", "ktap",
		 (char *)NULL);
	CHECK(r == 0 && fake_runs == 2 &&
	      strstr(out_text, "\n# map class all interval 0: ops=1000 ") &&
	      strstr(out_text, "\n# map class 8K interval 1: ops=20 ") &&
	      strstr(out_text, " time_s=0.") &&
	      strstr(out_text, "\nok 1 map\n") &&
	      strstr(out_text, "\nok 2 unmap\n") &&
	      fake_ktap_check(out_text, 1, 0) == 0,
	      "ktap of intervals and classes: %d %s\n%s", r, err_text,
	      out_text);
	/* an aging run longer than the module's hour */
	fake_reset();
	fake_status_call = 2;
	fake_status = DMABENCH_STATUS_INTERRUPTED;
	r = call(cmd_run, "run", "-t", "map_single", "--seconds", "7200",
		 "--interval", "1h", (char *)NULL);
	CHECK(r == 1 && fake_runs == 2 &&
	      fake_req[0].duration_ns == 3600000000000ULL &&
	      strstr(out_text, "  interval from 0.0 s\n"),
	      "2 h in 1 h slices, stopped in the second: %d %u %s", r,
	      fake_runs, err_text);
}

static void test_ktap(void)
{
	int r;

	/* one configuration: its phases are the tests, not nested */
	fake_reset();
	r = call(cmd_run, "run", "-t", "map_single", "-i", "10", "-f", "ktap",
		 "-o", outfile, (char *)NULL);
	read_outfile();
	CHECK(r == 0 && !strncmp(out_text, "KTAP version 1\n# dmabench run: "
				 "map_single device=dmabench.0 size=4K "
				 "threads=1 dir=bidir", 77) &&
	      strstr(out_text, "\n1..2\n# map: ops=1000 mean_ns=") &&
	      strstr(out_text, " p50_ns=") && strstr(out_text, " errors=0 ") &&
	      strstr(out_text, "\nok 1 map\n# unmap: ops=1000 ") &&
	      strstr(out_text, "\nok 2 unmap\n") && !strstr(out_text, "  KTAP"),
	      "ktap, one configuration: %d %s\n%s", r, err_text, out_text);
	CHECK(fake_ktap_check(out_text, 1, 0) == 0, "ktap_check:\n%s", out_text);

	/* several: one test each, the phases nested */
	fake_reset();
	r = call(cmd_run, "run", "-t", "map_single", "-s", "4K,64K", "-T",
		 "1,2", "-i", "10", "-f", "ktap", (char *)NULL);
	CHECK(r == 0 && fake_runs == 4 &&
	      !strncmp(out_text, "KTAP version 1\n1..4\n  KTAP version 1\n"
		       "  # Subtest: map_single device=dmabench.0 size=4K "
		       "threads=1 dir=bidir\n  1..2\n  # map: ops=1000 ", 123) &&
	      strstr(out_text, "\n  ok 2 unmap\nok 1 map_single device="
		     "dmabench.0 size=4K threads=1 dir=bidir\n") &&
	      strstr(out_text, "\nok 4 map_single device=dmabench.0 size=64K "
		     "threads=2 dir=bidir\n"), "ktap, nested: %d %s\n%s", r,
	      err_text, out_text);
	CHECK(fake_ktap_check(out_text, 1, 0) == 0, "ktap_check:\n%s", out_text);

	/* what the kernel cannot do is a SKIP, and the run goes on */
	fake_reset();
	fake_run_errno = EOPNOTSUPP;
	fake_errno_call = 1;
	r = call(cmd_run, "run", "-t", "map_single", "--coherency",
		 "noncoherent,device", "-i", "1", "-f", "ktap", (char *)NULL);
	CHECK(r == 0 && fake_runs == 2 && strstr(out_text, "\n1..2\n") &&
	      strstr(out_text, "\nok 1 map_single device=dmabench.0 size=4K "
		     "threads=1 dir=bidir coherency=noncoherent # SKIP ") &&
	      strstr(out_text, "cannot be forced on this architecture") &&
	      strstr(out_text, "\nok 2 map_single device=dmabench.0 size=4K "
		     "threads=1 dir=bidir coherency=device\n"),
	      "ktap, refused: %d %s\n%s", r, err_text, out_text);
	CHECK(fake_ktap_check(out_text, 1, 0) == 0, "ktap_check:\n%s", out_text);

	/* so is a test this kernel lacks (not in the tests file) */
	fake_reset();
	r = call(cmd_run, "run", "-t", "map_single,alloc_noncontiguous", "-i",
		 "1", "-f", "ktap", (char *)NULL);
	CHECK(r == 0 && fake_runs == 1 &&
	      strstr(out_text, "\nok 2 alloc_noncontiguous device=dmabench.0 "
		     "size=4K threads=1 dir=bidir # SKIP this kernel lacks "
		     "the API of alloc_noncontiguous"),
	      "ktap, test missing: %d %s\n%s", r, err_text, out_text);
	CHECK(fake_ktap_check(out_text, 1, 0) == 0, "ktap_check:\n%s", out_text);
	/* ... but a name no kernel has is still an error */
	r = call(cmd_run, "run", "-t", "map_single,nosuch", "-i", "1", "-f",
		 "ktap", (char *)NULL);
	CHECK(r == 1 && strstr(err_text, "test 'nosuch' is not in the loaded "
			       "dmabench.ko") && !out_text[0],
	      "ktap, unknown test: %d %s", r, err_text);

	/* a failure: that configuration fails, the rest are not run */
	fake_reset();
	fake_run_errno = EIO;
	fake_errno_call = 2;
	r = call(cmd_run, "run", "-t", "map_single", "-s", "4K,8K,16K", "-i",
		 "1", "-f", "ktap", (char *)NULL);
	CHECK(r == 1 && count_lines(err_text) == 1 &&
	      strstr(out_text, "\nok 1 map_single device=dmabench.0 size=4K ") &&
	      strstr(out_text, "\n# map_single device=dmabench.0 size=8K "
		     "threads=1 dir=bidir: ") &&
	      strstr(out_text, "\nnot ok 2 map_single device=dmabench.0 "
		     "size=8K threads=1 dir=bidir\n") &&
	      strstr(out_text, "\nnot ok 3 map_single device=dmabench.0 "
		     "size=16K threads=1 dir=bidir # ERROR not run: the run "
		     "stopped at the failure before\n"),
	      "ktap, failure: %d %s\n%s", r, err_text, out_text);
	CHECK(fake_ktap_check(out_text, 0, 0) == 0 &&
	      fake_ktap_check(out_text, 1, 1) == 1,
	      "ktap_check:\n%s", out_text);

	/* interrupted in the first configuration */
	fake_reset();
	fake_status_call = 1;
	fake_status = DMABENCH_STATUS_INTERRUPTED;
	r = call(cmd_run, "run", "-t", "map_single", "-s", "4K,8K", "-i", "1",
		 "-f", "ktap", (char *)NULL);
	CHECK(r == 1 && strstr(out_text, "\n  # map: the run ended "
			       "interrupted\n  not ok 1 map\n") &&
	      strstr(out_text, "\nnot ok 1 map_single ") &&
	      strstr(out_text, "\nnot ok 2 map_single device=dmabench.0 "
		     "size=8K threads=1 dir=bidir # ERROR not run: "
		     "interrupted\n"), "ktap, interrupted: %d %s\n%s", r,
	      err_text, out_text);
	CHECK(fake_ktap_check(out_text, 0, 0) == 0, "ktap_check:\n%s", out_text);

	/* --interval: one test, every interval a diagnostic line of it */
	fake_reset();
	r = call(cmd_run, "run", "-t", "map_single", "-s", "4K,8K", "--seconds",
		 "0.25", "--interval", "100ms", "-f", "ktap", (char *)NULL);
	CHECK(r == 0 && fake_runs == 6 && strstr(out_text, "\n1..2\n") &&
	      strstr(out_text, "\n  1..2\n  # map interval 0: ops=") &&
	      strstr(out_text, "\n  # map interval 2: ops=") &&
	      strstr(out_text, "\n  ok 1 map\n  # unmap interval 0: ") &&
	      strstr(out_text, "\nok 2 map_single device=dmabench.0 size=8K "),
	      "ktap, --interval: %d %u %s\n%s", r, fake_runs, err_text,
	      out_text);
	CHECK(fake_ktap_check(out_text, 1, 0) == 0, "ktap_check:\n%s",
	      out_text);
	expect_usage("bad --format 'tap': use text, csv, json or ktap", "-t",
		     "map_single", "--format", "tap", NULL);
}

static void test_verify_ktap(void)
{
	int r;

	fake_reset();
	r = call(cmd_verify, "verify", "--format", "ktap", (char *)NULL);
	CHECK(r == 1 && !strcmp(out_text,
		      "KTAP version 1\n# dmabench verify\n1..2\n"
		      "# 0000:00:03.0: (iova to-dev 0x1000, from-dev 0x2000)\n"
		      "ok 1 0000:00:03.0\n"
		      "# 0000:00:04.0: (mismatch at offset 17; iova to-dev "
		      "0x1000, from-dev 0x2000)\nnot ok 2 0000:00:04.0\n"),
	      "verify ktap:\n%s", out_text);
	CHECK(fake_ktap_check(out_text, 0, 0) == 0 &&
	      fake_ktap_check(out_text, 1, 1) == 1,
	      "ktap_check:\n%s", out_text);

	/* what the device cannot do: SKIP, exit 0 */
	fake_verify_errno = EOPNOTSUPP;
	r = call(cmd_verify, "verify", "-d", "0000:00:03.0", "-w",
		 "map_single,map_sg", "-f", "ktap", (char *)NULL);
	CHECK(r == 0 && strstr(out_text, "\n1..2\nok 1 0000:00:03.0 map_single "
			       "# SKIP ") &&
	      strstr(out_text, "\nok 2 0000:00:03.0 map_sg # SKIP "),
	      "verify ktap skip: %d\n%s", r, out_text);
	CHECK(fake_ktap_check(out_text, 1, 0) == 0, "ktap_check:\n%s", out_text);
	/* ... and in text the same refusal is still an ERROR line */
	r = call(cmd_verify, "verify", "-d", "0000:00:03.0", (char *)NULL);
	CHECK(r == 1 && strstr(out_text, "0000:00:03.0: ERROR "),
	      "verify text refusal: %d %s", r, out_text);
	fake_verify_errno = EIO;
	r = call(cmd_verify, "verify", "-d", "0000:00:03.0", "-f", "ktap",
		 (char *)NULL);
	CHECK(r == 1 && strstr(out_text, "\n1..1\n# 0000:00:03.0: ") &&
	      strstr(out_text, "\nnot ok 1 0000:00:03.0\n"),
	      "verify ktap error: %d\n%s", r, out_text);
	fake_verify_errno = 0;

	/* no edu device at all: the whole document is skipped */
	write_file("sys/kernel/debug/dmabench/devices",
		   "dmabench.0 platform direct none yes 64 no no\n");
	r = call(cmd_verify, "verify", "-f", "ktap", (char *)NULL);
	CHECK(r == 0 && !strcmp(out_text, "KTAP version 1\n# dmabench verify\n"
				"1..0 # SKIP no edu device is bound to "
				"dmabench\n"), "verify ktap, no edu: %d\n%s",
	      r, out_text);
	CHECK(fake_ktap_check(out_text, 1, 0) == 0, "ktap_check:\n%s", out_text);
	r = call(cmd_verify, "verify", (char *)NULL);
	CHECK(r == 1 && strstr(err_text, "no edu device is bound"),
	      "verify text, no edu: %d %s", r, err_text);
	write_file("sys/kernel/debug/dmabench/devices",
		   "dmabench.0 platform direct none yes 64 no no\n"
		   "0000:00:03.0 pci iommu DMA yes 28 yes no\n"
		   "0000:00:04.0 pci iommu DMA-FQ yes 28 yes no\n");
	r = call(cmd_verify, "verify", "-f", "csv", (char *)NULL);
	CHECK(r == 2 && strstr(err_text, "bad --format 'csv': use text or ktap") &&
	      count_lines(err_text) == 1, "verify -f csv: %d %s", r, err_text);
}

/* The timing options reach the request; the timing columns and warnings. */
static void test_timing(void)
{
	int r;

	fake_reset();
	r = call(cmd_run, "run", "--test", "map_single", "--iterations", "10",
		 "--batch", "8", "--clock", "raw", "--warmup", "5", "--cache",
		 "cold", "--format", "csv", (char *)NULL);
	CHECK(r == 0 && fake_runs == 1 && fake_req[0].batch == 8 &&
	      fake_req[0].clock == DMABENCH_CLOCK_RAW &&
	      fake_req[0].warmup == 5 &&
	      fake_req[0].cache == DMABENCH_CACHE_COLD &&
	      fake_req[0].hist2_ptr, "request: exit %d, batch %u clock %u "
	      "warmup %u cache %u: %s", r, fake_req[0].batch,
	      fake_req[0].clock, fake_req[0].warmup, fake_req[0].cache,
	      err_text);

	/*
	 * The module refuses --clock raw (x86 without an invariant TSC, as
	 * in QEMU TCG) or --cache cold: one line naming the option and then
	 * the device (test_iommu.c: the IOMMU tests)
	 */
	fake_reset();
	fake_run_errno = EOPNOTSUPP;
	r = call(cmd_run, "run", "--test", "map_single", "--iterations", "10",
		 "--clock", "raw", (char *)NULL);
	CHECK(r == 1 && strstr(err_text, "--clock raw: the CPU's counter is "
			       "not a constant clock here") &&
	      strstr(err_text, "use --clock auto or ktime") &&
	      strstr(err_text, "or test map_single does not apply to "
		     "dmabench.0") && count_lines(err_text) == 1,
	      "clock raw refused: %d %s", r, err_text);
	fake_reset();
	fake_run_errno = EOPNOTSUPP;
	r = call(cmd_run, "run", "--test", "sync", "--iterations", "10",
		 "--cache", "cold", (char *)NULL);
	CHECK(r == 1 && strstr(err_text, "--cache cold: dmabench.ko cannot "
			       "evict") && strstr(err_text, "use --cache hot") &&
	      count_lines(err_text) == 1, "cache cold refused: %d %s", r,
	      err_text);
	/* without them, EOPNOTSUPP is still the device's */
	fake_reset();
	fake_run_errno = EOPNOTSUPP;
	r = call(cmd_run, "run", "--test", "map_single", "--iterations", "10",
		 "--clock", "ktime", (char *)NULL);
	CHECK(r == 1 && strstr(err_text, "is not applicable to device") &&
	      !strstr(err_text, "--clock"), "not applicable: %d %s", r,
	      err_text);

	/* defaults: batch auto (0), clock auto, 100 warm-up ops, hot */
	fake_reset();
	r = call(cmd_run, "run", "--test", "sync", "--iterations", "10",
		 (char *)NULL);
	CHECK(r == 0 && !fake_req[0].batch && !fake_req[0].clock &&
	      fake_req[0].warmup == 100 && !fake_req[0].cache,
	      "defaults: batch %u clock %u warmup %u cache %u",
	      fake_req[0].batch, fake_req[0].clock, fake_req[0].warmup,
	      fake_req[0].cache);

	/* batch 1: unmap (50 ns) holds the 20.5 ns clock: 41 %, warned */
	fake_reset();
	fake_batch_used = 1;
	r = call(cmd_run, "run", "--test", "map_single", "--iterations", "10",
		 "--threads", "2", (char *)NULL);
	CHECK(r == 0 && strstr(out_text, "timing=op: every op timed") &&
	      strstr(out_text, "clock=ktime: 20.5 ns a read, resolution 1.0 "
		     "ns; warm-up 200 ops") &&
	      strstr(out_text, "warning: the clock is 41.0 % of a timed unmap "
		     "(op): drop --batch 1 or use --batch N") &&
	      !strstr(out_text, "of a timed map") &&
	      strstr(out_text, "warning: map drifted +") &&
	      !strstr(out_text, "unmap drifted"), "text:\n%s", out_text);
	fake_reset();
	fake_batch_used = 1;
	r = call(cmd_run, "run", "--test", "map_single", "--iterations", "10",
		 "--format", "csv", (char *)NULL);
	CHECK(r == 0 && csv_has(",op,ktime,1.000,1.367,100,") &&
	      csv_has(",op,ktime,1.000,41.000,100,0.0,\n") &&
	      strstr(out_text, ",yes\n"), "csv:\n%s", out_text);

	/* batch 64: the clock is 20.5 / (50 x 64) = 0.64 % of a batch */
	fake_reset();
	fake_batch_used = 64;
	r = call(cmd_run, "run", "--test", "map_single", "--iterations", "10",
		 "--format", "csv", (char *)NULL);
	CHECK(r == 0 && csv_has(",batch:64,ktime,1.000,0.641,100,0.0,\n"),
	      "csv batch:64:\n%s", out_text);
	fake_reset();
	fake_batch_used = 64;
	r = call(cmd_run, "run", "--test", "map_single", "--iterations", "10",
		 (char *)NULL);
	CHECK(r == 0 && strstr(out_text, "timing=batch:64: each sample is "
			       "the mean of a batch of 64 ops") &&
	      !strstr(out_text, "warning: the clock"), "text batch:\n%s",
	      out_text);
}

int main(void)
{
	if (fake_mkdtemp("run"))
		return 99;
	fake_ioctl = fake_dispatch;
	make_dirs("sys/kernel/debug/dmabench");
	write_file("sys/kernel/debug/dmabench/control", "");
	write_file("sys/kernel/debug/dmabench/devices",
		   "dmabench.0 platform direct none yes 64 no no\n"
		   "0000:00:03.0 pci iommu DMA yes 28 yes no\n"
		   "0000:00:04.0 pci iommu DMA-FQ yes 28 yes no\n");
	fake_write_tests((const char *const[]){ "map_single", "map_sg", "sync",
					      "alloc", "alloc_noncoherent",
					      NULL });
	snprintf(outfile, sizeof(outfile), "%s/out", tmpdir);

	test_cross_product();
	test_json_defaults();
	test_stops();
	test_errors();
	test_verify();
	test_map_sg();
	test_alloc_attrs();
	test_coherency_bounce();
	test_thread_rates();
	test_missing_test();
	test_unreachable();
	test_align();
	test_fields_from_module();
	test_shape_usage();
	test_shapes();
	test_interval();
	test_ktap();
	test_verify_ktap();
	test_timing();
	if (!tests_failed)
		fake_rmtree();
	return test_report();
}
