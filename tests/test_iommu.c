// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The IOMMU-API side of the CLI without a kernel: the option parsers of
 * util/iommuopt.c, and `run --test iommu_map`, `exhaust` and `verify
 * --scope` against a fake module (-Wl,--wrap=ioctl) and a fake debugfs
 * tree ($DMABENCH_SYSROOT), like test_run.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "builtin.h"
#include "testutil.h"
#include "dmabench_abi.h"
#include "fakemod.h"
#include "util/iommuopt.h"

/* ---- the parsers ---- */

static void test_parsers(void)
{
	struct flush_spec f, *fl;
	uint32_t sc, *scl;
	devname_t *dl;
	size_t n;
	char why[160], buf[32];

	CHECK(!parse_scope("per-device", &sc) && sc == DMABENCH_SCOPE_DEVICE,
	      "per-device");
	CHECK(!parse_scope("per-instance", &sc) &&
	      sc == DMABENCH_SCOPE_INSTANCE, "per-instance");
	CHECK(parse_scope("per-group", &sc) == -1, "per-group accepted");
	CHECK(!strcmp(scope_name(DMABENCH_SCOPE_INSTANCE), "per-instance"),
	      "scope name");

	CHECK(!parse_flush("strict", &f, why, sizeof(why)) &&
	      f.kind == DMABENCH_FLUSH_STRICT && f.n == 1, "strict");
	CHECK(!parse_flush("batch:8", &f, why, sizeof(why)) &&
	      f.kind == DMABENCH_FLUSH_BATCH && f.n == 8, "batch:8");
	CHECK(!parse_flush("batch", &f, why, sizeof(why)) && f.n == 32,
	      "batch default 32");
	CHECK(!parse_flush("all", &f, why, sizeof(why)) &&
	      f.kind == DMABENCH_FLUSH_ALL && f.n == 32, "all");
	CHECK(!parse_flush("all:65536", &f, why, sizeof(why)) &&
	      f.n == 65536, "all:65536");
	CHECK(!strcmp(format_flush(&f, buf, sizeof(buf)), "all:65536"),
	      "format %s", buf);
	CHECK(parse_flush("batch:0", &f, why, sizeof(why)) == -1 &&
	      strstr(why, "1..65536"), "batch:0: %s", why);
	CHECK(parse_flush("all:65537", &f, why, sizeof(why)) == -1, "65537");
	CHECK(parse_flush("batch:x", &f, why, sizeof(why)) == -1, "batch:x");
	CHECK(parse_flush("batch:", &f, why, sizeof(why)) == -1, "batch:");
	CHECK(parse_flush("strict:2", &f, why, sizeof(why)) == -1, "strict:2");
	CHECK(parse_flush("lazy", &f, why, sizeof(why)) == -1, "lazy");
	CHECK(parse_flush("batchy:3", &f, why, sizeof(why)) == -1, "batchy");

	CHECK(!parse_flush_list("strict,batch:32,all:4", &fl, &n, why,
				sizeof(why)) && n == 3 &&
	      fl[1].kind == DMABENCH_FLUSH_BATCH && fl[2].n == 4,
	      "flush list");
	free(fl);
	CHECK(parse_flush_list("strict,,all", &fl, &n, why, sizeof(why)) ==
	      -1 && !fl, "empty item");
	CHECK(parse_flush_list("strict,foo", &fl, &n, why, sizeof(why)) ==
	      -1 && strstr(why, "'foo'"), "names the bad item: %s", why);
	CHECK(!parse_scope_list("per-device,per-instance", &scl, &n, why,
				sizeof(why)) && n == 2 &&
	      scl[1] == DMABENCH_SCOPE_INSTANCE, "scope list");
	free(scl);
	CHECK(parse_scope_list("", &scl, &n, why, sizeof(why)) == -1, "empty");

	CHECK(!parse_device_list("all", &dl, &n, why, sizeof(why)) && !n &&
	      !dl, "all");
	CHECK(!parse_device_list("0000:00:03.0,0000:00:04.0+0000:00:05.0",
				 &dl, &n, why, sizeof(why)) && n == 3 &&
	      !strcmp(dl[2], "0000:00:05.0"), "list of 3");
	free(dl);
	CHECK(parse_device_list("a,b,a", &dl, &n, why, sizeof(why)) == -1 &&
	      strstr(why, "twice"), "duplicate: %s", why);
	CHECK(parse_device_list("a,all", &dl, &n, why, sizeof(why)) == -1,
	      "all in a list");
	CHECK(parse_device_list("a,", &dl, &n, why, sizeof(why)) == -1,
	      "trailing comma");

	CHECK(iova_limit_bits(0xffffffffULL) == 32 &&
	      iova_limit_bits(0xffffffffffffULL) == 48 &&
	      iova_limit_bits(~0ULL) == 64 && iova_limit_bits(0) == 0,
	      "iova bits");
}

/* ---- the fake module ---- */

static unsigned fake_runs, fake_exhausts, fake_isolates;
static struct dmabench_iommu_run fake_im[16];
static struct dmabench_exhaust fake_ex[4];
static int fake_errno;
static uint64_t fake_iova_counts[4];	/* count of each exhaust iova run */
static uint32_t fake_ndevs = 4;

static int fake_iommu_run(struct dmabench_iommu_run *x)
{
	struct dmabench_run *r = &x->run;
	uint64_t *hist = (uint64_t *)(uintptr_t)r->hist_ptr;
	static const char *const ph[] = {
		"iova_alloc", "map", "unmap", "invalidate", "iova_free"
	};

	int err = fake_check_iommu_run(x);

	if (err)
		return err;
	if (fake_runs < 16)
		fake_im[fake_runs] = *x;
	fake_runs++;
	if (fake_errno)
		return fake_errno;
	r->nphases = 5;
	for (unsigned p = 0; p < 5; p++) {
		strcpy(r->phase[p].name, ph[p]);
		r->phase[p].ops = 100;
		r->phase[p].sum_ns = 100 * (p + 1) * 100;
		r->phase[p].min_ns = r->phase[p].max_ns = (p + 1) * 100;
		hist[p * DMABENCH_HIST_BUCKETS +
		     dmabench_hist_bucket((p + 1) * 100)] = 100;
	}
	/* invalidate: 25 syncs costing 400 ns each over 100 buffers */
	r->phase[3].ops = 25;
	r->phase[3].sum_ns = 25 * 400;
	r->elapsed_ns = 1000000;
	r->status = DMABENCH_STATUS_DONE;
	x->ndevs_used = x->ndevices ? x->ndevices : fake_ndevs;
	x->ndomains = x->scope == DMABENCH_SCOPE_DEVICE ? x->ndevs_used : 1;
	x->ninstances = 1;
	x->slow_allocs = 3;
	if (r->batch) {
		/* a version-2 module timing in batches of run.batch */
		r->batch_used = r->batch;
		r->clock_used = DMABENCH_CLOCK_KTIME;
		r->clock_res_ps = 1000;
		r->timer_overhead_ps = 20000;
	}
	x->aperture_end = x->iova_bits ? (x->iova_bits == 64 ? ~0ULL :
					  (1ULL << x->iova_bits) - 1) :
			  (1ULL << 48) - 1;
	return 0;
}

static int fake_exhaust(struct dmabench_exhaust *e)
{
	uint64_t *costs = (uint64_t *)(uintptr_t)e->costs_ptr;

	int err = fake_check_exhaust(e);

	if (err)
		return err;
	if (fake_exhausts < 4)
		fake_ex[fake_exhausts] = *e;
	if (fake_errno)
		return fake_errno;
	e->ndevs_used = e->what ? 1 : fake_ndevs;
	e->ninstances = 1;
	if (e->what == DMABENCH_EXHAUST_DOMAINS) {
		e->count = e->max_contexts ? e->max_contexts : 300;
		e->error = -ENOSPC;
		e->result = DMABENCH_EXHAUST_REFUSED |
			    (e->max_contexts ? DMABENCH_EXHAUST_MODELLED : 0);
	} else {
		e->count = fake_iova_counts[fake_exhausts % 4];
		e->bytes = e->count * 4096;
		e->error = -ENOMEM;
		e->result = DMABENCH_EXHAUST_REFUSED;
	}
	for (uint64_t i = 0; i < e->count && i < e->costs_len; i++)
		costs[i] = 1000 + i;	/* p50 of 1000..1000+n-1 */
	e->cost_min_ns = 1000;
	e->cost_max_ns = 1000 + e->count - 1;
	e->cost_sum_ns = e->count * 1000 + e->count * (e->count - 1) / 2;
	fake_exhausts++;
	return 0;
}

static int fake_isolate(struct dmabench_isolate *v)
{
	int err = fake_check_isolate(v);

	if (err)
		return err;
	fake_isolates++;
	if (fake_errno)
		return fake_errno;
	v->ndevs_used = fake_ndevs;
	if (v->scope == DMABENCH_SCOPE_DEVICE) {
		v->ndomains = fake_ndevs;
		v->transfers_ok = 1;
		v->transfers_blocked = fake_ndevs - 1;
	} else {
		v->ndomains = 1;
		v->transfers_ok = fake_ndevs;
	}
	v->passed = 1;
	return 0;
}

/* RUN must not be used for iommu_map: ENOTTY */
static int fake_dispatch(unsigned long req, void *arg)
{
	if (req == DMABENCH_IOC_IOMMU_RUN)
		return fake_iommu_run(arg);
	if (req == DMABENCH_IOC_EXHAUST)
		return fake_exhaust(arg);
	if (req == DMABENCH_IOC_ISOLATE)
		return fake_isolate(arg);
	return ENOTTY;
}

static void fake_reset(void)
{
	fake_runs = fake_exhausts = fake_isolates = 0;
	fake_errno = 0;
	memset(fake_im, 0, sizeof(fake_im));
	memset(fake_ex, 0, sizeof(fake_ex));
}

/* ---- run --test iommu_map ---- */

static void test_run_iommu(void)
{
	int r;

	fake_reset();
	r = call(cmd_run, "run", "--test", "iommu_map", "--device", "all",
		 "--scope", "per-device,per-instance", "--threads", "1,2",
		 "--flush", "strict,batch:32", "--iterations", "100",
		 "--format", "csv", (char *)NULL);
	CHECK(r == 0, "exit %d: %s", r, err_text);
	CHECK(fake_runs == 8, "%u runs", fake_runs);
	/* header + 8 configurations x 5 phases */
	CHECK(count_lines(out_text) == 41, "%d lines", count_lines(out_text));
	/* order: scope, flush, threads (fastest) */
	CHECK(fake_im[0].scope == 0 && fake_im[0].flush == 0 &&
	      fake_im[0].run.threads == 1 && fake_im[1].run.threads == 2 &&
	      fake_im[2].flush == DMABENCH_FLUSH_BATCH &&
	      fake_im[2].flush_n == 32 && fake_im[4].scope == 1 &&
	      fake_im[7].scope == 1 && fake_im[7].flush == 1 &&
	      fake_im[7].run.threads == 2, "configuration order");
	CHECK(!strcmp(fake_im[0].run.device, "all") && !fake_im[0].ndevices &&
	      fake_im[0].flush_n == 1 && !fake_im[0].iova_bits &&
	      !fake_im[0].live && !strcmp(fake_im[0].run.test, "iommu_map"),
	      "request defaults");
	CHECK(strstr(out_text, "iommu_map,all,iommu-api,unmanaged,4096,1,1,"
		     "bidir,iova_alloc,100,100.0,") != NULL, "row:\n%s",
	      out_text);
	CHECK(strstr(out_text, ",per-device,strict,4,4,1,48,1,3,100.0,,,,,,,,,,,0,,,,,,,,,,,," NO_TIMING "\n"),
	      "per-device columns (inval 25 x 400 / 100 unmaps):\n%s",
	      out_text);
	CHECK(strstr(out_text, ",per-instance,batch:32,4,1,1,48,1,3,100.0,,,,,,,,,,,0,,,,,,,,,,,," NO_TIMING "\n"),
	      "per-instance columns:\n%s", out_text);
	CHECK(strstr(out_text, ",invalidate,25,400.0,"), "invalidate row");

	/*
	 * --batch: iova_alloc and map in blocks of 16, invalidate one flush
	 * per sample, unmap and iova_free gcd(16, flush_n): 16 under
	 * batch:32, 1 under strict; clock_share = 20 ns / (mean x block)
	 */
	fake_reset();
	r = call(cmd_run, "run", "--test", "iommu_map", "--device", "all",
		 "--flush", "batch:32,strict", "--batch", "16",
		 "--iterations", "100", "--format", "csv", (char *)NULL);
	CHECK(r == 0 && fake_runs == 2 && fake_im[0].run.batch == 16,
	      "--batch 16: exit %d, %u runs, batch %u: %s", r, fake_runs,
	      fake_im[0].run.batch, err_text);
	CHECK(strstr(out_text, ",iova_alloc,100,100.0,") &&
	      strstr(out_text, ",per-device,batch:32,4,4,1,48,1,3,100.0,") &&
	      strstr(out_text, ",batch:16,ktime,1.000,1.250,0,0.0,\n"),
	      "iova_alloc batch:16, 20 ns of 16 x 100:\n%s", out_text);
	CHECK(strstr(out_text, "batch:16,ktime,1.000,0.625,") &&
	      strstr(out_text, "batch:16,ktime,1.000,0.417,") &&
	      strstr(out_text, ",op,ktime,1.000,5.000,") &&
	      strstr(out_text, "batch:16,ktime,1.000,0.250,"),
	      "batch:32: map, unmap, free in 16s, invalidate op:\n%s",
	      out_text);
	CHECK(strstr(out_text, ",op,ktime,1.000,6.667,") &&
	      strstr(out_text, ",op,ktime,1.000,4.000,"),
	      "strict: unmap and iova_free op:\n%s", out_text);
	CHECK(iommu_map_phase_batch(DMABENCH_FLUSH_BATCH, 0, 2, 48) == 16 &&
	      iommu_map_phase_batch(DMABENCH_FLUSH_ALL, 8, 4, 64) == 8 &&
	      iommu_map_phase_batch(DMABENCH_FLUSH_BATCH, 32, 0, 48) == 48 &&
	      iommu_map_phase_batch(DMABENCH_FLUSH_STRICT, 1, 4, 48) == 1 &&
	      iommu_map_phase_batch(DMABENCH_FLUSH_BATCH, 32, 3, 48) == 1 &&
	      iommu_map_phase_batch(DMABENCH_FLUSH_BATCH, 32, 2, 1) == 1,
	      "iommu_map_phase_batch");
	/* strict's unmap (6.7 %) is op-timed: the remedy is the flush */
	fake_reset();
	r = call(cmd_run, "run", "--test", "iommu_map", "--device", "all",
		 "--batch", "16", "--iterations", "100", (char *)NULL);
	CHECK(r == 0 && strstr(out_text, "warning: the clock is 6.7 % of a "
			       "timed unmap (op): drop --batch 1 and flush "
			       "several buffers at once (--flush batch:N or "
			       "all:N)") &&
	      !strstr(out_text, "of a timed invalidate"),
	      "text, strict: exit %d:\n%s", r, out_text);

	/* a device list goes through devices_ptr; iova limit and live */
	fake_reset();
	r = call(cmd_run, "run", "-t", "iommu_map", "-d",
		 "0000:00:03.0,0000:00:04.0", "--iova-limit", "32,64",
		 "--live", "16", "-i", "10", "--seed", "5", "--slow-ns", "900",
		 "--format", "csv", (char *)NULL);
	CHECK(r == 0 && fake_runs == 2, "list: %d %u %s", r, fake_runs,
	      err_text);
	CHECK(fake_im[0].ndevices == 2 && fake_im[0].iova_bits == 32 &&
	      fake_im[1].iova_bits == 64 && fake_im[0].live == 16 &&
	      fake_im[0].seed == 5 && fake_im[0].slow_ns == 900,
	      "list request");
	CHECK(strstr(out_text, "iommu_map,0000:00:03.0+0000:00:04.0,") &&
	      strstr(out_text, ",per-device,strict,2,2,1,32,16,3,") &&
	      strstr(out_text, ",per-device,strict,2,2,1,64,16,3,"),
	      "list rows:\n%s", out_text);

	/* text: long phase names aligned, scope in the config line */
	fake_reset();
	r = call(cmd_run, "run", "-t", "iommu_map", "-d", "all", "-i", "10",
		 "--scope", "per-instance", (char *)NULL);
	CHECK(r == 0 && strstr(out_text, "per-instance, flush strict") &&
	      strstr(out_text, "\ninvalidate ") &&
	      strstr(out_text, "\nmap        "), "text:\n%s", out_text);

	/* kernel errnos become one-line messages */
	fake_reset();
	fake_errno = EXDEV;
	r = call(cmd_run, "run", "-t", "iommu_map", "-d", "all", "-i", "10",
		 (char *)NULL);
	CHECK(r == 1 && strstr(err_text, "different IOMMU instances"),
	      "EXDEV: %d %s", r, err_text);
	fake_errno = ENODEV;
	r = call(cmd_run, "run", "-t", "iommu_map", "-d", "all", "-i", "10",
		 (char *)NULL);
	CHECK(r == 1 && strstr(err_text, "no device behind an IOMMU"),
	      "ENODEV all: %s", err_text);
	fake_errno = EOPNOTSUPP;
	r = call(cmd_run, "run", "-t", "iommu_map", "-d", "dmabench.0", "-i",
		 "10", (char *)NULL);
	CHECK(r == 1 && strstr(err_text, "not behind an IOMMU"),
	      "EOPNOTSUPP: %s", err_text);
	/* --clock raw refused (x86 TCG): the clock first, not the IOMMU */
	r = call(cmd_run, "run", "-t", "iommu_map", "-d", "0000:00:03.0",
		 "-i", "10", "--clock", "raw", (char *)NULL);
	CHECK(r == 1 && strstr(err_text, "--clock raw: the CPU's counter") &&
	      strstr(err_text, "or test iommu_map does not apply to "
		     "0000:00:03.0") && count_lines(err_text) == 1,
	      "EOPNOTSUPP --clock raw: %s", err_text);
}

static void test_run_bad(void)
{
	static const char *const bad[][3] = {
		{ "--scope", "per-group", "bad --scope 'per-group'" },
		{ "--flush", "batch:0", "bad --flush 'batch:0'" },
		{ "--flush", "lazy", "bad --flush 'lazy'" },
		{ "--iova-limit", "31", "bad --iova-limit '31'" },
		{ "--iova-limit", "65", "bad --iova-limit '65'" },
		{ "--live", "0", "bad --live '0'" },
		{ "--live", "65537", "bad --live '65537'" },
		{ "--device", "a,,b", "bad --device 'a,,b'" },
		{ "--device", "a,a", "named twice" },
		{ "--slow-ns", "x", "bad --slow-ns 'x'" },
		{ "--dma-mask-bits", "32", "does not apply" },
	};
	int r;

	fake_reset();
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		r = call(cmd_run, "run", "-t", "iommu_map", bad[i][0],
			 bad[i][1], (char *)NULL);
		CHECK(r == 2 && strstr(err_text, bad[i][2]),
		      "%s %s: exit %d, %s", bad[i][0], bad[i][1], r, err_text);
	}
	r = call(cmd_run, "run", "-t", "map_single", "--scope", "per-device",
		 (char *)NULL);
	CHECK(r == 2 && strstr(err_text, "applies only to IOMMU API tests"),
	      "scope on map_single: %s", err_text);
	r = call(cmd_run, "run", "-t", "map_single", "-d", "a,b",
		 (char *)NULL);
	CHECK(r == 2 && strstr(err_text, "one device"), "list on map_single");
	r = call(cmd_run, "run", "-t", "iommu_map", "-d", "0000:00:09.0",
		 (char *)NULL);
	CHECK(r == 1 && strstr(err_text, "not bound to dmabench"),
	      "unbound: %s", err_text);
	CHECK(fake_runs == 0, "usage errors reached the module");
}

/* ---- sweep: the same keys in a job file ---- */

static void test_sweep_iommu(void)
{
	char job[512], res[512], csv[600];
	int r;

	snprintf(job, sizeof(job), "%s/job", tmpdir);
	snprintf(res, sizeof(res), "%s/results", tmpdir);
	write_file("job", "[scopes]\ntest = iommu_map\ndevice = all\n"
		   "iterations = 10\nscope = per-device,per-instance\n"
		   "flush = batch:8\nlive = 4\n");
	fake_reset();
	r = call(cmd_sweep, "sweep", job, "--label", "im", "--repeat", "1",
		 "--results-dir", res, (char *)NULL);
	CHECK(r == 0 && fake_runs == 2, "sweep: exit %d, %u runs: %s", r,
	      fake_runs, err_text);
	CHECK(fake_im[0].scope == 0 && fake_im[1].scope == 1 &&
	      fake_im[1].flush == DMABENCH_FLUSH_BATCH &&
	      fake_im[1].flush_n == 8 && fake_im[1].live == 4,
	      "sweep requests");
	snprintf(csv, sizeof(csv), "%s/im/results.csv", res);
	slurp(csv, out_text, sizeof(out_text));
	CHECK(strstr(out_text, ",per-instance,batch:8,4,1,1,48,4,3,100.0,"
		     ",,,,,,,,,,0,,,,,,,,,,,," NO_TIMING ",scopes,0\n") != NULL, "results.csv:\n%.2000s", out_text);
	write_file("job", "[bad]\ntest = iommu_map\nflush = sometimes\n");
	r = call(cmd_sweep, "sweep", job, "--label", "bad", "--results-dir",
		 res, (char *)NULL);
	CHECK(r == 2 && strstr(err_text, "bad --flush 'sometimes'"),
	      "bad job: %d %s", r, err_text);
}

/* ---- exhaust ---- */

static void test_exhaust(void)
{
	int r;

	fake_reset();
	r = call(cmd_exhaust, "exhaust", "domains", "--max-contexts", "4",
		 (char *)NULL);
	CHECK(r == 0 && fake_ex[0].max_contexts == 4 &&
	      !strcmp(fake_ex[0].device, "all") && fake_ex[0].costs_len,
	      "domains: %d %s", r, err_text);
	CHECK(strstr(out_text, "MODELLED: cap of 4 contexts") &&
	      strstr(out_text, "4 domains allocated + attached") &&
	      strstr(out_text, "refused with ENOSPC") &&
	      strstr(out_text, "per-device policy: serves 4 of 4 devices") &&
	      strstr(out_text, "per-instance policy: serves 4 of 4 devices") &&
	      strstr(out_text, "mean 1001 ns, p50 1001 ns, min 1000 ns, max "
		     "1003 ns"), "domains text:\n%s", out_text);

	fake_ndevs = 6;
	r = call(cmd_exhaust, "exhaust", "domains", "--max-contexts", "4",
		 "--scope", "per-device", "--format", "csv", (char *)NULL);
	CHECK(r == 0 && count_lines(out_text) == 2 &&
	      strstr(out_text, "domains,all,1,6,1,0,0,4,1,1,4,0,ENOSPC,") &&
	      strstr(out_text, ",4,6,\n"), "domains csv:\n%s", out_text);
	r = call(cmd_exhaust, "exhaust", "domains", "--format", "json",
		 (char *)NULL);
	CHECK(r == 0 && strstr(out_text, "\"modelled\": false") &&
	      strstr(out_text, "\"count\": 300"), "json:\n%s", out_text);
	fake_ndevs = 4;

	fake_reset();
	fake_iova_counts[0] = fake_iova_counts[1] = 4096;
	r = call(cmd_exhaust, "exhaust", "iova", "-d", "0000:00:03.0",
		 "--mask-bits", "24", "--repeat", "2", (char *)NULL);
	CHECK(r == 0 && fake_exhausts == 2 &&
	      fake_ex[0].what == DMABENCH_EXHAUST_IOVA_DMA &&
	      fake_ex[0].mask_bits == 24 &&
	      strstr(out_text, "run 2: 4096 mappings, 16777216 bytes") &&
	      strstr(out_text, "capacity equal over 2 runs"),
	      "iova equal: %d\n%s", r, out_text);

	fake_reset();
	fake_iova_counts[1] = 4095;
	r = call(cmd_exhaust, "exhaust", "iova", "-d", "0000:00:03.0",
		 "--api", "iommu", "--repeat", "2", (char *)NULL);
	CHECK(r == 1 && fake_ex[0].what == DMABENCH_EXHAUST_IOVA_IOMMU &&
	      strstr(out_text, "capacity NOT equal"), "iova leak: %d\n%s", r,
	      out_text);
	fake_iova_counts[1] = 4096;

	fake_reset();
	fake_errno = EOPNOTSUPP;
	r = call(cmd_exhaust, "exhaust", "iova", "-d", "dmabench.0",
		 (char *)NULL);
	CHECK(r == 1 && strstr(err_text, "not behind an IOMMU"), "errno: %s",
	      err_text);

	/* usage errors */
	r = call(cmd_exhaust, "exhaust", "iova", (char *)NULL);
	CHECK(r == 2 && strstr(err_text, "needs --device"), "iova no dev");
	r = call(cmd_exhaust, "exhaust", "iova", "-d", "a", "--api", "x",
		 (char *)NULL);
	CHECK(r == 2 && strstr(err_text, "bad --api 'x'"), "api");
	r = call(cmd_exhaust, "exhaust", "iova", "-d", "a", "--mask-bits",
		 "11", (char *)NULL);
	CHECK(r == 2 && strstr(err_text, "must be 12..64"), "mask");
	r = call(cmd_exhaust, "exhaust", "iova", "-d", "a", "--size", "8M",
		 (char *)NULL);
	CHECK(r == 2 && strstr(err_text, "at most 4M"), "size");
	r = call(cmd_exhaust, "exhaust", "domains", "--mask-bits", "24",
		 (char *)NULL);
	CHECK(r == 2 && strstr(err_text, "applies to exhaust iova only"),
	      "iova option on domains");
	r = call(cmd_exhaust, "exhaust", "iova", "-d", "a", "--max-contexts",
		 "4", (char *)NULL);
	CHECK(r == 2, "domains option on iova");
	r = call(cmd_exhaust, "exhaust", "domains", "--scope", "x",
		 (char *)NULL);
	CHECK(r == 2 && strstr(err_text, "bad --scope"), "scope");
	r = call(cmd_exhaust, "exhaust", "pages", (char *)NULL);
	CHECK(r == 2 && strstr(err_text, "use domains or iova"), "what");
	r = call(cmd_exhaust, "exhaust", (char *)NULL);
	CHECK(r == 2, "nothing");
	r = call(cmd_exhaust, "exhaust", "iova", "-d", "a", "--repeat", "0",
		 (char *)NULL);
	CHECK(r == 2, "repeat 0");
}

/* ---- verify --scope ---- */

static void test_verify_scope(void)
{
	int r;

	fake_reset();
	r = call(cmd_verify, "verify", "--scope", "per-device", (char *)NULL);
	CHECK(r == 0 && fake_isolates == 1 &&
	      strstr(out_text, "cross-domain DMA blocked, target unchanged: "
		     "PASS (3 of 3)") &&
	      strstr(out_text, "per-device: PASS"), "per-device: %d\n%s", r,
	      out_text);
	r = call(cmd_verify, "verify", "--scope", "per-instance", "-d",
		 "0000:00:03.0,0000:00:04.0", (char *)NULL);
	CHECK(r == 0 && strstr(out_text, "shared domain: PASS (4 of 4 "
			       "arrived)"), "per-instance:\n%s", out_text);
	fake_errno = EINVAL;
	r = call(cmd_verify, "verify", "--scope", "per-instance",
		 (char *)NULL);
	CHECK(r == 1 && strstr(out_text, "ERROR") &&
	      strstr(out_text, "at least 2 edu"), "error: %s", out_text);
	r = call(cmd_verify, "verify", "--scope", "both", (char *)NULL);
	CHECK(r == 2 && strstr(err_text, "bad --scope 'both'"), "bad scope");
}

/* ---- the shared fake's checks: the module's, from dmabench_tests.h ---- */

static void run_req(struct dmabench_run *r, const char *test)
{
	static uint64_t hist[5 * DMABENCH_HIST_BUCKETS];

	memset(r, 0, sizeof(*r));
	r->hdr.version = DMABENCH_ABI_VERSION;
	r->hdr.size = sizeof(*r);
	strcpy(r->device, "dmabench.0");
	snprintf(r->test, sizeof(r->test), "%s", test);
	r->buf_size = 4096;
	r->threads = 1;
	r->node = -1;
	r->iterations = 10;
	r->hist_ptr = (uintptr_t)hist;
	r->hist_bytes = sizeof(hist);
}

static void test_fake_checks(void)
{
	struct dmabench_run r;
	char text[1024], path[512];

	run_req(&r, "map_single");
	CHECK(!fake_check_run(&r, 0), "valid map_single refused");
	r.align = 4095;
	CHECK(!fake_check_run(&r, 0), "align 4095 on map_single refused");
	r.align = 4096;
	CHECK(fake_check_run(&r, 0) == EINVAL, "align 4096 accepted");
	run_req(&r, "sync");
	r.align = 64;
	CHECK(fake_check_run(&r, 0) == EINVAL, "align on sync accepted");
	run_req(&r, "map_single");
	r.nents = 2;
	CHECK(fake_check_run(&r, 0) == EINVAL, "nents on map_single accepted");
	run_req(&r, "map_sg");
	r.nents = 2;
	r.align = 100;
	CHECK(!fake_check_run(&r, 0), "nents and align on map_sg refused");
	run_req(&r, "alloc");
	r.dma_trans_ns = 10;
	CHECK(fake_check_run(&r, 0) == EINVAL, "dma_trans_ns on alloc accepted");
	run_req(&r, "map_single");
	CHECK(fake_check_run(&r, 1) == EINVAL, "IOMMU_RUN of map_single");
	run_req(&r, "iommu_map");
	CHECK(!fake_check_run(&r, 1), "IOMMU_RUN of iommu_map refused");
	r.batch = 16;
	CHECK(!fake_check_run(&r, 1), "batch on iommu_map refused");
	r.batch = 0;
	r.coherency = DMABENCH_COHERENCY_COHERENT;
	CHECK(fake_check_run(&r, 1) == EINVAL, "coherency on iommu_map");
	run_req(&r, "no_such_test");
	CHECK(fake_check_run(&r, 0) == ENOENT, "unknown test");

	fake_write_tests(NULL);
	snprintf(path, sizeof(path), "%s/sys/kernel/debug/dmabench/tests",
		 tmpdir);
	slurp(path, text, sizeof(text));
	CHECK(count_lines(text) == 11 &&
	      strstr(text, "map_single map unmap fields=0x1ef0\n") &&
	      strstr(text, "map_sg map unmap fields=0xef7\n") &&
	      strstr(text, "\nsync for_device for_cpu fields=0x630\n") &&
	      strstr(text, "iommu_map iova_alloc map unmap invalidate "
			   "iova_free fields=0x340\n"),
	      "tests file: %s", text);
}

int main(void)
{
	char path[512];

	test_parsers();
	if (fake_mkdtemp("iommu"))
		return 99;
	fake_ioctl = fake_dispatch;
	snprintf(path, sizeof(path), "%s/sys", tmpdir);
	mkdir(path, 0755);
	strcat(path, "/kernel");
	mkdir(path, 0755);
	strcat(path, "/debug");
	mkdir(path, 0755);
	strcat(path, "/dmabench");
	mkdir(path, 0755);
	write_file("sys/kernel/debug/dmabench/control", "");
	write_file("sys/kernel/debug/dmabench/devices",
		   "dmabench.0 platform direct none yes 64 no no\n"
		   "0000:00:03.0 pci iommu DMA yes 28 yes no\n"
		   "0000:00:04.0 pci iommu DMA yes 28 yes no\n");
	fake_write_tests((const char *const[]){ "map_single", "iommu_map",
					      NULL });

	test_fake_checks();
	fake_write_tests((const char *const[]){ "map_single", "iommu_map",
					      NULL });
	test_run_iommu();
	test_run_bad();
	test_sweep_iommu();
	test_exhaust();
	test_verify_scope();
	if (!tests_failed)
		fake_rmtree();
	return test_report();
}
