// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * `dmabench sweep` without a kernel: linked with -Wl,--wrap=ioctl so the
 * runs land in a fake module that models map/unmap latencies (size,
 * threads, strict or lazy invalidation, a little noise per repetition),
 * against a fake debugfs/proc tree ($DMABENCH_SYSROOT).
 *
 * `test_sweep --fixture DIR` writes the two results directories committed
 * under tests/fixtures/ (DIR/strict and DIR/lazy) that the compare, report
 * and plot tests read.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "builtin.h"
#include "testutil.h"
#include "dmabench_abi.h"
#include "fakemod.h"
#include "util/resdir.h"

static unsigned fake_runs;
static int fake_fail_at;		/* RUN call (1-based) failing ... */
static int fake_fail_errno = EBUSY;	/* ... with this */
static uint64_t fake_seed = 42;
static const char *fake_domain = "DMA";	/* the fake device's domain */

/* Put @n samples around @v ns: a narrow body and a 1 % tail at 3x. */
static void fill(uint64_t *h, struct dmabench_phase *ph, double v,
		 uint64_t n)
{
	uint64_t tail = n / 100, body = n - tail;

	ph->min_ns = UINT64_MAX;
	for (uint64_t i = 0; i < body + tail; i++) {
		double x = i < body ? v * (0.92 + 0.16 * (double)i /
					    (double)body) :
			   v * 3.0 * (1.0 + 0.1 * (double)(i - body) /
				      (double)(tail ? tail : 1));
		uint64_t ns = (uint64_t)x;

		h[dmabench_hist_bucket(ns)]++;
		ph->sum_ns += ns;
		if (ns < ph->min_ns)
			ph->min_ns = ns;
		if (ns > ph->max_ns)
			ph->max_ns = ns;
	}
	ph->ops = n;
}

static int fake_run(struct dmabench_run *r)
{
	uint64_t *hist = (uint64_t *)(uintptr_t)r->hist_ptr;
	double pages = (double)((r->buf_size + 4095) / 4096);
	double contention = 1.0 + 0.35 * (r->threads - 1);
	double noise = 1.0 + 0.04 * (test_rand01(&fake_seed) - 0.5);
	int lazy = !strcmp(fake_domain, "DMA-FQ");
	uint64_t n = 2000 * r->threads;
	double map, unmap;

	int err = fake_check_run(r, 0);

	if (err)
		return err;
	fake_runs++;
	if (fake_fail_at && fake_runs == (unsigned)fake_fail_at)
		return fake_fail_errno;
	map = (700.0 + 35.0 * pages) * contention * noise;
	unmap = (lazy ? 350.0 + 6.0 * pages : 1400.0 + 30.0 * pages) *
		contention * noise;
	r->nphases = 2;
	strcpy(r->phase[0].name, "map");
	strcpy(r->phase[1].name, "unmap");
	fill(hist, &r->phase[0], map, n);
	fill(hist + DMABENCH_HIST_BUCKETS, &r->phase[1], unmap, n);
	if (r->shape_ptr) {
		/* a size mix: class k costs what its size would alone */
		struct dmabench_shape *s = (void *)(uintptr_t)r->shape_ptr;
		uint64_t *ch = (uint64_t *)(uintptr_t)s->class_hist_ptr;
		struct dmabench_phase dummy;

		for (uint32_t k = 0; ch && k < s->nsizes; k++) {
			double kp = (double)((s->sizes[k] + 4095) / 4096);

			memset(&dummy, 0, sizeof(dummy));
			fill(ch + (size_t)k * 2 * DMABENCH_HIST_BUCKETS,
			     &dummy, map * (700.0 + 35.0 * kp) /
			     (700.0 + 35.0 * pages), n / 2);
			memset(&dummy, 0, sizeof(dummy));
			fill(ch + ((size_t)k * 2 + 1) * DMABENCH_HIST_BUCKETS,
			     &dummy, unmap, n / 2);
		}
	}
	r->elapsed_ns = (uint64_t)((map + unmap) * (double)n /
				   r->threads);
	r->timer_overhead_ps = 25000;
	r->status = DMABENCH_STATUS_DONE;
	return 0;
}

/*
 * iommu_map: five phases; a shared (per-instance) domain contends as
 * threads grow, strict invalidation syncs per buffer, batch:N once per N.
 */
static int fake_iommu_run(struct dmabench_iommu_run *x)
{
	static const char *const ph[5] = {
		"iova_alloc", "map", "unmap", "invalidate", "iova_free"
	};
	struct dmabench_run *r = &x->run;
	uint64_t *hist = (uint64_t *)(uintptr_t)r->hist_ptr;
	double pages = (double)((r->buf_size + 4095) / 4096);
	double noise = 1.0 + 0.04 * (test_rand01(&fake_seed) - 0.5);
	int shared = x->scope == DMABENCH_SCOPE_INSTANCE;
	double cont = 1.0 + (shared ? 0.45 : 0.1) * (r->threads - 1);
	unsigned batch = x->flush == DMABENCH_FLUSH_STRICT ? 1 :
			 x->flush_n ? x->flush_n : 32;
	uint64_t n = 2000 * r->threads, syncs = (n + batch - 1) / batch;
	double v[5], total = 0;

	int err = fake_check_iommu_run(x);

	if (err)
		return err;
	fake_runs++;
	v[0] = 180.0 * cont * noise;
	v[1] = (400.0 + 40.0 * pages) * cont * noise;
	v[2] = (300.0 + 25.0 * pages) * cont * noise;
	v[3] = (900.0 + 60.0 * pages) * (shared ? cont : 1.0) * noise;
	v[4] = 150.0 * cont * noise;
	r->nphases = 5;
	for (unsigned p = 0; p < 5; p++) {
		strcpy(r->phase[p].name, ph[p]);
		fill(hist + p * DMABENCH_HIST_BUCKETS, &r->phase[p], v[p],
		     p == 3 ? syncs : n);
		total += v[p] * (double)(p == 3 ? syncs : n);
	}
	r->elapsed_ns = (uint64_t)(total / r->threads);
	r->timer_overhead_ps = 25000;
	r->status = DMABENCH_STATUS_DONE;
	x->ndevs_used = 4;
	x->ndomains = shared ? 1 : 4;
	x->ninstances = 1;
	x->slow_allocs = shared ? 3 * r->threads : 1;
	x->aperture_end = (1ULL << 48) - 1;
	return 0;
}

static int fake_dispatch(unsigned long req, void *arg)
{
	if (req == DMABENCH_IOC_RUN)
		return fake_run(arg);
	if (req == DMABENCH_IOC_IOMMU_RUN)
		return fake_iommu_run(arg);
	return ENOTTY;
}

/* the fake machine: an IOMMU-backed PCI device with domain @domain */
static void fake_tree(const char *domain, const char *cmdline)
{
	char devs[256];

	fake_domain = domain;
	snprintf(devs, sizeof(devs),
		 "dmabench.0 platform direct none yes 64 no no\n"
		 "0000:00:03.0 pci iommu %s yes 28 yes no\n", domain);
	write_file("sys/kernel/debug/dmabench/devices", devs);
	write_file("proc/cmdline", cmdline);
}

static void read_result(const char *label, const char *file, char *buf,
			size_t len)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/results/%s/%s", tmpdir, label,
		 file);
	slurp(path, buf, len);
}

static char jobpath[512];

static void test_sweep(void)
{
	static char buf[1 << 20];
	char rdir[512];
	int r;

	snprintf(rdir, sizeof(rdir), "%s/results", tmpdir);
	write_file("job", "# test job\n[global]\ndevice = 0000:00:03.0\n"
		   "iterations = 100\n[small]\ntest = map_single\n"
		   "size = 4K,8K\nthreads = 1,2\n[big]\ntest = map_single\n"
		   "size = 1M\nrepeat = 2\n");
	fake_tree("DMA", "root=/dev/vda iommu.strict=1\n");
	fake_runs = 0;
	r = call(cmd_sweep, "sweep", jobpath, "--label", "one", "--repeat",
		 "3", "--results-dir", rdir, (char *)NULL);
	CHECK(r == 0, "exit %d: %s", r, err_text);
	/* 4 configurations x 3 reps + 1 x 3 (--repeat beats the file) */
	CHECK(fake_runs == 15, "%u runs", fake_runs);
	read_result("one", "results.csv", buf, sizeof(buf));
	CHECK(count_lines(buf) == 1 + 15 * 2, "%d lines", count_lines(buf));
	CHECK(strstr(buf, ",inval_per_buf_ns,seg_size,layout,dma_segs_min,"
		     "dma_segs_max,attrs,coherency,coherent,bounced,"
		     "thread_ops_per_sec_min,thread_ops_per_sec_max,align,depth,"
		     "order,hold,pairs,footprint,size_mix,size_class,"
		     "footprint_mapped,queue_min_ns,queue_mean_ns,queue_max_ns,"
		     "time_s" TIMING_HEADER ",job,rep\n") != NULL, "header: %.300s",
	      buf);
	CHECK(strstr(buf, "map_single,0000:00:03.0,iommu,DMA,8192,1,2,bidir,"
		     "unmap,") != NULL, "row: %.400s", buf);
	CHECK(strstr(buf, ",small,2\n") && strstr(buf, ",big,2\n") &&
	      !strstr(buf, ",big,3\n"), "job/rep columns");
	read_result("one", "hist.csv", buf, sizeof(buf));
	CHECK(!strncmp(buf, "job,test,device,domain_type,size,nents,threads,"
		       "dir,phase,lower_ns,count\n", 70) &&
	      strstr(buf, "\nbig,map_single,0000:00:03.0,DMA,1048576,1,1,"
		     "bidir,unmap,"), "hist: %.300s", buf);
	{
		/* merged over 3 reps: 3 x 2000 samples per phase */
		unsigned long long total = 0, lower, cnt;
		char *p = buf;

		while ((p = strstr(p, "\nsmall,map_single,0000:00:03.0,DMA,"
				   "4096,1,1,bidir,map,"))) {
			p += 1;
			if (sscanf(strstr(p, "map,") + 4, "%llu,%llu", &lower,
				   &cnt) == 2)
				total += cnt;
		}
		CHECK(total == 6000, "merged count %llu", total);
	}
	read_result("one", "metadata.json", buf, sizeof(buf));
	CHECK(strstr(buf, "\"label\": \"one\"") &&
	      strstr(buf, "\"sweep_status\": \"complete\"") &&
	      strstr(buf, "\"configurations\": 5") &&
	      strstr(buf, "\"kernel_cmdline\": \"root=/dev/vda iommu.strict=1"
		     "\"") && strstr(buf, "\"module_version\": \"fake-1\""),
	      "metadata: %s", buf);
	read_result("one", "job", buf, sizeof(buf));
	CHECK(!strncmp(buf, "# test job\n", 11), "job copy");
	read_result("one", "kmsg.txt", buf, sizeof(buf));
	CHECK(strstr(buf, "not captured") != NULL, "kmsg note: %s", buf);

	/* the same label again: refused, nothing run */
	fake_runs = 0;
	r = call(cmd_sweep, "sweep", jobpath, "--label", "one",
		 "--results-dir", rdir, (char *)NULL);
	CHECK(r == 1 && fake_runs == 0 && strstr(err_text, "already exists"),
	      "label reuse: %d %s", r, err_text);

	/* a failing run: the error, the rows before it kept */
	fake_runs = 0;
	fake_fail_at = 4;
	r = call(cmd_sweep, "sweep", jobpath, "-l", "two", "-r", "2", "-R",
		 rdir, (char *)NULL);
	fake_fail_at = 0;
	CHECK(r == 1 && strstr(err_text, "job [small]: a run is already in "
			       "progress"), "failure: %d %s", r, err_text);
	read_result("two", "results.csv", buf, sizeof(buf));
	CHECK(count_lines(buf) == 1 + 3 * 2, "kept rows: %d",
	      count_lines(buf));
	read_result("two", "metadata.json", buf, sizeof(buf));
	CHECK(strstr(buf, "\"sweep_status\": \"failed\"") != NULL,
	      "failed status");

	/* --perf: counters where the machine has them, else one note */
	fake_runs = 0;
	r = call(cmd_sweep, "sweep", jobpath, "-l", "perf", "-R", rdir, "-r",
		 "1", "--perf", (char *)NULL);
	read_result("perf", "results.csv", buf, sizeof(buf));
	CHECK(r == 0 && fake_runs == 5 &&
	      (strstr(err_text, "note: --perf: ") ||
	       strstr(buf, ",cycles_per_op")), "perf: %d %s", r, err_text);

	/* --ci: repeats until the CI of the median is narrow enough */
	fake_runs = 0;
	r = call(cmd_sweep, "sweep", jobpath, "-l", "ci", "-R", rdir, "--ci",
		 "50%", (char *)NULL);
	CHECK(r == 0 && fake_runs == 5 * 6, "--ci 50%%: %d runs %u %s", r,
	      fake_runs, err_text);
}

static void test_sweep_errors(void)
{
	char rdir[512];
	int r;

	snprintf(rdir, sizeof(rdir), "%s/results", tmpdir);
	fake_runs = 0;
	write_file("bad", "[a]\ntest = map_sg\n");
	r = call(cmd_sweep, "sweep", jobpath, "-R", rdir, (char *)NULL);
	CHECK(r == 2 && fake_runs == 0 && strstr(err_text, "test 'map_sg' is "
		     "not in the loaded dmabench.ko") &&
	      strstr(err_text, "(it has: map_single)"),
	      "unknown test: %d %s", r, err_text);
	write_file("bad", "[a]\ntest = map_single\nfrobnicate = 4\n");
	r = call(cmd_sweep, "sweep", jobpath, "-R", rdir, (char *)NULL);
	CHECK(r == 2 && strstr(err_text, "line 3: unknown key 'frobnicate'"),
	      "unknown key: %s", err_text);
	write_file("bad", "[a]\ntest = map_single\nthreads = 0\n");
	r = call(cmd_sweep, "sweep", jobpath, "-R", rdir, (char *)NULL);
	CHECK(r == 2 && strstr(err_text, "bad --threads '0'") &&
	      strstr(err_text, "job [a]"), "bad value: %s", err_text);
	write_file("bad", "[a]\ntest = map_single\ndevice = 0000:00:09.0\n");
	r = call(cmd_sweep, "sweep", jobpath, "-R", rdir, (char *)NULL);
	CHECK(r == 1 && fake_runs == 0 &&
	      strstr(err_text, "0000:00:09.0 is not bound"), "device: %s",
	      err_text);
	r = call(cmd_sweep, "sweep", "/nonexistent/job", (char *)NULL);
	CHECK(r == 2 && strstr(err_text, "cannot read '/nonexistent/job'"),
	      "missing file: %s", err_text);
	r = call(cmd_sweep, "sweep", jobpath, "--ci", "0", (char *)NULL);
	CHECK(r == 2 && strstr(err_text, "bad --ci '0'"), "ci: %s",
	      err_text);
	r = call(cmd_sweep, "sweep", "-n", jobpath, (char *)NULL);
	CHECK(r == 0 && strstr(out_text, "1 configurations"), "dry run: %s",
	      out_text);
}

static const char *const tests_iommu[] = { "map_single", "iommu_map", NULL };
static const char *const tests_single[] = { "map_single", NULL };
static const char iommu_job[] =
	"# tests/fixtures/scopes: written by test_sweep --fixture (fake\n"
	"# module), iommu_map in two scopes and two flush policies\n"
	"[global]\ndevice = all\niterations = 2000\nrepeat = 3\n"
	"[iommu_map]\ntest = iommu_map\nscope = per-device,per-instance\n"
	"flush = strict,batch:32\nsize = 4K,64K\nthreads = 1,2\n";

/*
 * iommu_map in two scopes and two flush policies: one configuration per
 * (scope, flush, size, threads) in results.csv and in hist.csv, none
 * merged with another.
 */
static void test_sweep_iommu(void)
{
	static char buf[1 << 20];
	char rdir[512];
	int r, n;

	snprintf(rdir, sizeof(rdir), "%s/results", tmpdir);
	fake_write_tests(tests_iommu);
	write_file("job", iommu_job);
	fake_tree("DMA", "iommu.strict=1\n");
	fake_runs = 0;
	r = call(cmd_sweep, "sweep", jobpath, "-l", "scopes", "-r", "1",
		 "-R", rdir, (char *)NULL);
	CHECK(r == 0 && fake_runs == 16, "iommu sweep: %d, %u runs: %s", r,
	      fake_runs, err_text);
	read_result("scopes", "hist.csv", buf, sizeof(buf));
	CHECK(strstr(buf, ",lower_ns,count,scope,flush,iova_bits,live,"
		     "seg_size,layout,attrs,coherency,bounce,align,depth,order,hold,"
		     "pairs,footprint,size_mix,size_class\n") &&
	      strstr(buf, ",per-instance,batch:32,48,1,,,,,,0,,,,,,,\n") &&
	      strstr(buf, ",per-device,strict,48,1,,,,,,0,,,,,,,\n"), "hist columns: "
	      "%.300s", buf);
	{
		/* each configuration's invalidate histogram on its own */
		unsigned long long lower, cnt, strict = 0, batch = 0;
		char *p = buf;

		while ((p = strstr(p, "\niommu_map,iommu_map,all,unmanaged,"
				   "4096,1,1,"))) {
			char sc[16], fl[16];

			p++;
			n = sscanf(strstr(p, ",invalidate,") ?
				   strstr(p, ",invalidate,") : "",
				   ",invalidate,%llu,%llu,%15[^,],%15[^,]",
				   &lower, &cnt, sc, fl);
			if (n != 4 || strchr(p, '\n') <
			    strstr(p, ",invalidate,") ||
			    strcmp(sc, "per-device"))
				continue;
			if (!strcmp(fl, "strict"))
				strict += cnt;
			else if (!strcmp(fl, "batch:32"))
				batch += cnt;
		}
		CHECK(strict == 2000 && batch == 63, "invalidate counts: "
		      "strict %llu, batch %llu", strict, batch);
	}
	{
		/* the library reads them back apart */
		struct rdir d;
		struct rgroup *g;
		struct hist_cfg *h;
		char err[256], path[600];
		long ng, nh;

		snprintf(path, sizeof(path), "%s/scopes", rdir);
		CHECK(!rdir_load(path, &d, err, sizeof(err)), "load: %s", err);
		ng = rdir_group(&d, 0, &g);
		/* 2 scopes x 2 flush x 2 sizes x 2 threads x 5 phases */
		CHECK(ng == 80, "%ld groups", ng);
		CHECK(!rdir_mixed_domains(&d), "mixed domains");
		nh = rdir_load_hist(path, &h, err, sizeof(err));
		n = 0;
		for (long i = 0; i < nh; i++)
			for (size_t b = 0; b < h[i].n; b++)
				n += row_same(&h[i].row, g[0].row,
					      hist_key()) ?
				     (int)h[i].b[b].count : 0;
		CHECK(nh > 0 && n == 2000, "hist of group 0: %d", n);
		hist_cfgs_free(h, nh);
		rgroups_free(g, ng);
		rdir_free(&d);
	}
	fake_write_tests(tests_single);
}

/* The fixture: a reviewer's sweep, strict vs lazy, 5 repetitions. */
static int make_fixture(const char *dir)
{
	static const char job[] =
		"# tests/fixtures: written by test_sweep --fixture (fake\n"
		"# module), the input of the compare, report and plot tests\n"
		"[global]\ndevice = 0000:00:03.0\niterations = 2000\n"
		"[map_single]\ntest = map_single\nsize = 4K..4M\n"
		"threads = 1,2\n";
	static const char *const dom[2] = { "DMA", "DMA-FQ" };
	static const char *const label[2] = { "strict", "lazy" };
	static const char *const cmd[2] = {
		"console=ttyAMA0 iommu.strict=1\n",
		"console=ttyAMA0 iommu.strict=0\n",
	};
	int r = 0;

	write_file("job", job);
	write_file("sys/class/dmi/id/product_name", "QEMU Virtual Machine");
	setenv("DMABENCH_PLATFORM", "qemu-emulated", 1);
	for (int i = 0; i < 2 && !r; i++) {
		fake_tree(dom[i], cmd[i]);
		r = call(cmd_sweep, "sweep", jobpath, "-l", label[i], "-R",
			 dir, (char *)NULL);
		fputs(err_text, stderr);
	}
	if (r)
		return r;
	/* per-device vs per-instance, strict vs batch:32 (iommu_map) */
	write_file("job", iommu_job);
	fake_write_tests(tests_iommu);
	fake_tree("DMA", cmd[0]);
	r = call(cmd_sweep, "sweep", jobpath, "-l", "scopes", "-R", dir,
		 (char *)NULL);
	fputs(err_text, stderr);
	return r;
}

/*
 * A sweep of traffic shapes with --interval: rows per interval, size
 * class and depth; report and compare keep the shapes apart and pool
 * the intervals and repetitions of one configuration.
 */
static void test_sweep_shapes(void)
{
	static char buf[1 << 20];
	char rdir[512], dir[600];
	int r;

	snprintf(rdir, sizeof(rdir), "%s/results", tmpdir);
	snprintf(dir, sizeof(dir), "%s/mix", rdir);
	write_file("job", "[global]\ndevice = 0000:00:03.0\nseconds = 0.3\n"
		   "interval = 0.1\nrepeat = 2\ntest = map_single\n"
		   "[mix]\nsize-mix = 4K:70,64K:30\ndepth = 1,64\n");
	fake_tree("DMA", "root=/dev/vda\n");
	fake_runs = 0;
	r = call(cmd_sweep, "sweep", jobpath, "-l", "mix", "-R", rdir,
		 (char *)NULL);
	/* 2 depths x 2 repetitions x 3 intervals */
	CHECK(r == 0 && fake_runs == 12, "shape sweep: %d, %u runs: %s", r,
	      fake_runs, err_text);
	read_result("mix", "results.csv", buf, sizeof(buf));
	/* each run: 2 phases in total and 2 per class */
	CHECK(count_lines(buf) == 1 + 12 * 6, "%d lines", count_lines(buf));
	CHECK(strstr(buf, ",64,fifo,,,0,\"4K:70,64K:30\",64K,0,,,,0.") &&
	      strstr(buf, ",1,fifo,,,0,\"4K:70,64K:30\",all,0,,,,0.000"
		     NO_TIMING ",mix,"
		     "1\n"), "shape columns: %.600s", buf);
	read_result("mix", "hist.csv", buf, sizeof(buf));
	CHECK(strstr(buf, ",64,fifo,,,0,\"4K:70,64K:30\",all\n") &&
	      !strstr(buf, ",64K\n"), "hist.csv: the totals: %.300s", buf);
	r = call(cmd_compare, "compare", dir, dir, (char *)NULL);
	/* depth 1, 64 x classes all, 4K, 64K x map, unmap */
	CHECK(r == 0 && strstr(out_text, "mix vs mix: 12 configurations, 0 "
			       "faster, 0 slower"), "compare: %d %s %s", r,
	      out_text, err_text);
	r = call(cmd_report, "report", dir, (char *)NULL);
	CHECK(r == 0 && strstr(out_text, "dir bidir, depth 64, mix\n") &&
	      strstr(out_text, "median of 6") &&
	      strstr(out_text, "\n   all   1 ") &&
	      strstr(out_text, "\n   64K   1 "), "report: %d\n%s%s", r,
	      out_text, err_text);
}

static void test_sweep_ktap(void)
{
	char rdir[512];
	int r;

	snprintf(rdir, sizeof(rdir), "%s/results", tmpdir);
	write_file("job", "[global]\ndevice = 0000:00:03.0\niterations = 100\n"
		   "[small]\ntest = map_single\nsize = 4K,8K\n[big]\n"
		   "test = map_single\nsize = 1M\n");
	fake_tree("DMA", "root=/dev/vda iommu.strict=1\n");
	fake_runs = 0;
	r = call(cmd_sweep, "sweep", jobpath, "-l", "ktap", "-r", "2", "-R",
		 rdir, "-f", "ktap", (char *)NULL);
	CHECK(r == 0 && fake_runs == 6 &&
	      !strncmp(out_text, "KTAP version 1\n# dmabench sweep ", 32) &&
	      strstr(out_text, "\n1..3\n  KTAP version 1\n  # Subtest: "
		     "job=small device=0000:00:03.0 iterations=100 "
		     "test=map_single size=4K\n  1..2\n  # map rep 0: ops=") &&
	      strstr(out_text, "\n  # map rep 1: ops=") &&
	      strstr(out_text, "\n  ok 1 map\n  # unmap rep 0: ") &&
	      strstr(out_text, "\nok 3 job=big device=0000:00:03.0 "
		     "iterations=100 test=map_single size=1M\n"),
	      "sweep ktap: %d %s\n%s", r, err_text, out_text);
	CHECK(fake_ktap_check(out_text, 1, 0) == 0, "ktap_check:\n%s",
	      out_text);

	/* what the kernel cannot do: SKIP, and the sweep goes on */
	fake_runs = 0;
	fake_fail_at = 3;
	fake_fail_errno = EOPNOTSUPP;
	r = call(cmd_sweep, "sweep", jobpath, "-l", "ktap2", "-r", "2", "-R",
		 rdir, "-f", "ktap", (char *)NULL);
	CHECK(r == 0 && strstr(out_text, "\nok 2 job=small device=0000:00:03.0 "
			       "iterations=100 test=map_single size=8K "
			       "# SKIP ") &&
	      strstr(out_text, "\nok 3 job=big "), "sweep ktap skip: %d %s\n%s",
	      r, err_text, out_text);
	CHECK(fake_ktap_check(out_text, 1, 0) == 0, "ktap_check:\n%s",
	      out_text);

	/* a failure: that configuration fails, the rest are not run */
	fake_runs = 0;
	fake_fail_errno = EBUSY;
	r = call(cmd_sweep, "sweep", jobpath, "-l", "ktap3", "-r", "2", "-R",
		 rdir, "-f", "ktap", (char *)NULL);
	CHECK(r == 1 && strstr(out_text, "\nnot ok 2 job=small ") &&
	      strstr(out_text, "\nnot ok 3 job=big device=0000:00:03.0 "
		     "iterations=100 test=map_single size=1M # ERROR not run: "
		     "the sweep stopped at configuration 2\n"),
	      "sweep ktap failure: %d %s\n%s", r, err_text, out_text);
	CHECK(fake_ktap_check(out_text, 0, 0) == 0 &&
	      fake_ktap_check(out_text, 1, 1) == 1, "ktap_check:\n%s",
	      out_text);
	fake_fail_at = 0;
	/* --interval: every repetition's intervals are lines of one test */
	write_file("job", "[global]\ndevice = 0000:00:03.0\nseconds = 0.25\n"
		   "interval = 100ms\n[aging]\ntest = map_single\n");
	fake_runs = 0;
	r = call(cmd_sweep, "sweep", jobpath, "-l", "ktap4", "-r", "2", "-R",
		 rdir, "-f", "ktap", (char *)NULL);
	CHECK(r == 0 && fake_runs == 6 && strstr(out_text, "\n1..1\n") &&
	      strstr(out_text, "\n  # map rep 0 interval 0: ops=") &&
	      strstr(out_text, "\n  # map rep 1 interval 2: ops=") &&
	      strstr(out_text, "\nok 1 job=aging "),
	      "sweep ktap, --interval: %d %u %s\n%s", r, fake_runs, err_text,
	      out_text);
	CHECK(fake_ktap_check(out_text, 1, 0) == 0, "ktap_check:\n%s",
	      out_text);
	r = call(cmd_sweep, "sweep", jobpath, "-f", "csv", (char *)NULL);
	CHECK(r == 2 && strstr(err_text, "bad --format 'csv': use text or "
			       "ktap"), "sweep -f csv: %d %s", r, err_text);
}

int main(int argc, char **argv)
{
	int fixture = argc == 3 && !strcmp(argv[1], "--fixture");

	if (fake_mkdtemp("sweep"))
		return 99;
	fake_ioctl = fake_dispatch;
	make_dirs("sys/kernel/debug/dmabench");
	make_dirs("sys/class/dmi/id");
	make_dirs("proc");
	write_file("sys/kernel/debug/dmabench/control", "");
	fake_write_tests(tests_single);
	write_file("proc/cpuinfo", "model name\t: Fake CPU @ 2.0GHz\n");
	snprintf(jobpath, sizeof(jobpath), "%s/job", tmpdir);
	if (fixture) {
		int r = make_fixture(argv[2]);

		fake_rmtree();
		return r;
	}
	test_sweep();
	test_sweep_iommu();
	test_sweep_shapes();
	test_sweep_ktap();
	snprintf(jobpath, sizeof(jobpath), "%s/bad", tmpdir);
	test_sweep_errors();
	if (!tests_failed)
		fake_rmtree();
	return test_report();
}
