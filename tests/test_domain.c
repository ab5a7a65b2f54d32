// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * --domain against a fake sysfs tree: util/domain.c's switch and restore
 * (the unbind / type / bind writes in their order), the refusals, a
 * failure halfway, and `dmabench run` and `sweep --domain` end to end with
 * the fake module.  Linked with -Wl,--wrap=ioctl (fakemod.c) and
 * -Wl,--wrap=write: every write into the fake /sys is logged, and one can
 * be made to fail with a chosen errno, as the kernel would.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "builtin.h"
#include "dmabench_abi.h"
#include "fakemod.h"
#include "testutil.h"
#include "util/domain.h"

#define DEV "0000:00:03.0"
#define GROUP "sys/kernel/iommu_groups/3"

/* ---- write(2) into the fake tree: log, inject ---- */

static char wlog[4096];
static const char *fail_suffix;	/* a write to a path ending so fails */
static int fail_errno, fail_count;
/* what the file held: open(O_TRUNC) emptied it, the kernel would not */
static char fail_keep[64];

ssize_t __real_write(int fd, const void *buf, size_t n);
ssize_t __wrap_write(int fd, const void *buf, size_t n);
ssize_t __wrap_write(int fd, const void *buf, size_t n)
{
	char link[64], path[512];
	const char *rel, *name;
	ssize_t l;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	l = readlink(link, path, sizeof(path) - 1);
	if (l <= 0)
		return __real_write(fd, buf, n);
	path[l] = '\0';
	rel = strstr(path, "/sys/");
	if (strncmp(path, tmpdir, strlen(tmpdir)) || !rel)
		return __real_write(fd, buf, n);
	name = strrchr(path, '/') + 1;
	if (fail_suffix && fail_count > 0 &&
	    strlen(path) >= strlen(fail_suffix) &&
	    !strcmp(path + strlen(path) - strlen(fail_suffix), fail_suffix)) {
		fail_count--;
		snprintf(wlog + strlen(wlog), sizeof(wlog) - strlen(wlog),
			 "%s!%.*s;", name, (int)n, (const char *)buf);
		if (!strcmp(name, "type") &&
		    __real_write(fd, fail_keep, strlen(fail_keep)) < 0)
			perror("fail_keep");
		errno = fail_errno;
		return -1;
	}
	snprintf(wlog + strlen(wlog), sizeof(wlog) - strlen(wlog), "%s=%.*s;",
		 name, (int)n, (const char *)buf);
	return __real_write(fd, buf, n);
}

static void inject(const char *suffix, int err, int count)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/" GROUP "/type", tmpdir);
	slurp(path, fail_keep, sizeof(fail_keep));
	fail_suffix = suffix;
	fail_errno = err;
	fail_count = count;
}

static void type_is(const char *want, const char *what)
{
	char path[512], buf[64];

	snprintf(path, sizeof(path), "%s/" GROUP "/type", tmpdir);
	slurp(path, buf, sizeof(buf));
	buf[strcspn(buf, "\n")] = '\0';
	CHECK(!strcmp(buf, want), "%s: type '%s', want '%s'", what, buf, want);
}

/* The device in group 3 (alone), bound to dmabench, type @type. */
static void fake_tree(const char *type)
{
	char t[512], l[512];

	make_dirs("sys/bus/pci/devices/" DEV);
	make_dirs("sys/bus/pci/drivers/dmabench");
	make_dirs(GROUP "/devices");
	write_file("sys/bus/pci/drivers/dmabench/bind", "");
	write_file("sys/bus/pci/drivers/dmabench/unbind", "");
	write_file(GROUP "/devices/" DEV, "");
	write_file(GROUP "/type", type);
	snprintf(l, sizeof(l), "%s/sys/bus/pci/devices/" DEV "/iommu_group",
		 tmpdir);
	snprintf(t, sizeof(t), "../../../../kernel/iommu_groups/3");
	unlink(l);
	CHECK(!symlink(t, l), "symlink %s", l);
	snprintf(l, sizeof(l), "%s/sys/bus/pci/devices/" DEV "/driver",
		 tmpdir);
	unlink(l);
	CHECK(!symlink("../../../../bus/pci/drivers/dmabench", l),
	      "symlink %s", l);
	/* a device sharing group 4 with another; one without a group */
	make_dirs("sys/bus/pci/devices/0000:00:04.0");
	make_dirs("sys/kernel/iommu_groups/4/devices");
	write_file("sys/kernel/iommu_groups/4/type", "DMA\n");
	write_file("sys/kernel/iommu_groups/4/devices/0000:00:04.0", "");
	write_file("sys/kernel/iommu_groups/4/devices/0000:00:05.0", "");
	snprintf(l, sizeof(l), "%s/sys/bus/pci/devices/0000:00:04.0/"
		 "iommu_group", tmpdir);
	unlink(l);
	CHECK(!symlink("../../../../kernel/iommu_groups/4", l), "symlink");
	make_dirs("sys/bus/platform/devices/dmabench.0");
	wlog[0] = '\0';
	inject(NULL, 0, 0);
}

static void test_parse(void)
{
	uint32_t *v = NULL;
	size_t n = 0;
	char why[200];

	CHECK(!domain_parse_list("identity,DMA,dma_fq,Current,dma-fq", &v, &n,
				 why, sizeof(why)) && n == 5 &&
	      v[0] == DOMAIN_IDENTITY && v[1] == DOMAIN_DMA &&
	      v[2] == DOMAIN_DMA_FQ && v[3] == DOMAIN_CURRENT &&
	      v[4] == DOMAIN_DMA_FQ, "list");
	free(v);
	CHECK(domain_parse_list("dma,lazy", &v, &n, why, sizeof(why)) &&
	      !v && strstr(why, "'lazy'"), "bad: %s", why);
	CHECK(domain_parse_list("dma,", &v, &n, why, sizeof(why)) && !v,
	      "empty item");
	CHECK(!strcmp(domain_sysfs_name(DOMAIN_DMA_FQ), "DMA-FQ") &&
	      !domain_sysfs_name(DOMAIN_CURRENT) &&
	      !strcmp(domain_want_name(DOMAIN_IDENTITY), "identity"), "names");
}

static void test_switch_restore(void)
{
	struct domain_state st;
	char why[600];

	fake_tree("DMA-FQ\n");
	CHECK(!domain_open(&st, DEV, why, sizeof(why)), "open: %s", why);
	CHECK(!strcmp(st.group, "3") && !strcmp(st.orig_type, "DMA-FQ") &&
	      !strcmp(st.orig_driver, "dmabench") && !strcmp(st.bus, "pci"),
	      "state: %s %s %s", st.group, st.orig_type, st.orig_driver);
	CHECK(wlog[0] == '\0', "open wrote: %s", wlog);

	CHECK(!domain_switch(&st, DOMAIN_IDENTITY, why, sizeof(why)),
	      "identity: %s", why);
	CHECK(!strcmp(wlog, "unbind=" DEV ";type=identity;bind=" DEV ";"),
	      "switch writes: %s", wlog);
	CHECK(!strcmp(st.cur_type, "identity") && st.changed, "read back %s",
	      st.cur_type);
	wlog[0] = '\0';
	CHECK(!domain_switch(&st, DOMAIN_IDENTITY, why, sizeof(why)) &&
	      !wlog[0], "same type again wrote: %s", wlog);
	CHECK(!domain_switch(&st, DOMAIN_DMA, why, sizeof(why)) &&
	      !strcmp(wlog, "unbind=" DEV ";type=DMA;bind=" DEV ";") &&
	      !strcmp(st.cur_type, "DMA"), "dma: %s", wlog);
	wlog[0] = '\0';
	CHECK(!domain_restore(&st, why, sizeof(why)), "restore: %s", why);
	CHECK(!strcmp(wlog, "unbind=" DEV ";type=DMA-FQ;bind=" DEV ";"),
	      "restore writes: %s", wlog);
	type_is("DMA-FQ", "restored");
	wlog[0] = '\0';
	CHECK(!domain_restore(&st, why, sizeof(why)) && !wlog[0],
	      "second restore wrote: %s", wlog);

	/* current: back to what open found */
	CHECK(!domain_switch(&st, DOMAIN_DMA, why, sizeof(why)), "dma");
	wlog[0] = '\0';
	CHECK(!domain_switch(&st, DOMAIN_CURRENT, why, sizeof(why)) &&
	      !strcmp(wlog, "unbind=" DEV ";type=DMA-FQ;bind=" DEV ";"),
	      "current: %s", wlog);
	CHECK(!domain_restore(&st, why, sizeof(why)), "restore");
}

static void refused(int err, const char *want)
{
	struct domain_state st;
	char why[600];

	fake_tree("DMA\n");
	CHECK(!domain_open(&st, DEV, why, sizeof(why)), "open: %s", why);
	inject("/type", err, 1);
	CHECK(domain_switch(&st, DOMAIN_IDENTITY, why, sizeof(why)) == -1,
	      "errno %d accepted", err);
	CHECK(strstr(why, "the kernel refused to switch IOMMU group 3 of "
		     DEV " to identity") && strstr(why, want) &&
	      !strchr(why, '\n'), "errno %d: %s", err, why);
	/* left as found: bound again, type unchanged, nothing to restore */
	CHECK(!strcmp(wlog, "unbind=" DEV ";type!identity;bind=" DEV ";"),
	      "errno %d writes: %s", err, wlog);
	type_is("DMA", "refused");
	CHECK(!st.changed && !strcmp(st.cur_type, "DMA"), "changed %d %s",
	      st.changed, st.cur_type);
	wlog[0] = '\0';
	CHECK(!domain_restore(&st, why, sizeof(why)) && !wlog[0],
	      "restore after refusal wrote: %s", wlog);
}

static void test_refusals(void)
{
	struct domain_state st;
	char why[600];

	refused(EPERM, "EPERM: a driver still uses the group");
	refused(EBUSY, "EBUSY: the device is still bound");
	refused(EINVAL, "EINVAL: the group has several devices");
	refused(EACCES, "must run as root");

	fake_tree("DMA\n");
	CHECK(domain_open(&st, "0000:00:04.0", why, sizeof(why)) &&
	      strstr(why, "IOMMU group 4 of 0000:00:04.0 has 2 devices") &&
	      strstr(why, "alone in its group"), "multi: %s", why);
	CHECK(domain_open(&st, "dmabench.0", why, sizeof(why)) &&
	      strstr(why, "dmabench.0 has no IOMMU group (the module's own "
		     "dma-direct device)"), "no group: %s", why);
	CHECK(domain_open(&st, "0000:00:99.0", why, sizeof(why)) &&
	      strstr(why, "no device 0000:00:99.0"), "no device: %s", why);
	write_file(GROUP "/type", "unmanaged\n");
	wlog[0] = '\0';
	CHECK(domain_open(&st, DEV, why, sizeof(why)) &&
	      strstr(why, "has a unmanaged default domain") &&
	      strstr(why, "not switchable"), "unmanaged: %s", why);
	{
		char p[512];

		snprintf(p, sizeof(p), "%s/" GROUP "/type", tmpdir);
		unlink(p);
		CHECK(domain_open(&st, DEV, why, sizeof(why)) &&
		      strstr(why, "Linux 5.11 or later"), "no type: %s", why);
	}
	CHECK(wlog[0] == '\0', "refusals wrote: %s", wlog);
}

/*
 * A new default domain of the found type: the kernel makes one only on a
 * change of type (DMA -> DMA-FQ converts in place), so DMA goes through
 * DMA-FQ, DMA-FQ through DMA; identity falls back; identity is left alone.
 */
static void test_recreate(void)
{
	struct domain_state st;
	char why[600];

	fake_tree("DMA\n");
	CHECK(!domain_open(&st, DEV, why, sizeof(why)), "open: %s", why);
	CHECK(!domain_recreate(&st, why, sizeof(why)), "DMA: %s", why);
	CHECK(!strcmp(wlog, "unbind=" DEV ";type=DMA-FQ;type=DMA;bind=" DEV
		      ";"), "DMA writes: %s", wlog);
	type_is("DMA", "DMA renewed");

	fake_tree("DMA-FQ\n");
	CHECK(!domain_open(&st, DEV, why, sizeof(why)), "open");
	CHECK(!domain_recreate(&st, why, sizeof(why)), "DMA-FQ: %s", why);
	CHECK(!strcmp(wlog, "unbind=" DEV ";type=DMA;type=DMA-FQ;bind=" DEV
		      ";"), "DMA-FQ writes: %s", wlog);
	type_is("DMA-FQ", "DMA-FQ renewed");

	/* no flush queue in the IOMMU driver: through identity */
	fake_tree("DMA\n");
	CHECK(!domain_open(&st, DEV, why, sizeof(why)), "open");
	inject("/type", EINVAL, 1);
	CHECK(!domain_recreate(&st, why, sizeof(why)), "fallback: %s", why);
	CHECK(!strcmp(wlog, "unbind=" DEV ";type!DMA-FQ;type=identity;"
		      "type=DMA;bind=" DEV ";"), "fallback writes: %s", wlog);

	/* refused for good: bound again, the reason in one line */
	fake_tree("DMA\n");
	CHECK(!domain_open(&st, DEV, why, sizeof(why)), "open");
	inject("/type", EPERM, 2);
	CHECK(domain_recreate(&st, why, sizeof(why)) == -1 &&
	      strstr(why, "refused to renew the DMA domain of IOMMU group 3") &&
	      strstr(why, "EPERM") && !strchr(why, '\n'), "refused: %s", why);
	CHECK(strstr(wlog, "bind=" DEV ";") != NULL, "not bound again: %s",
	      wlog);

	fake_tree("identity\n");
	CHECK(!domain_open(&st, DEV, why, sizeof(why)), "open");
	CHECK(!domain_recreate(&st, why, sizeof(why)) && !wlog[0],
	      "identity wrote: %s", wlog);
}

/* The type written, but the device does not bind again: put it back. */
static void test_bind_fails(void)
{
	struct domain_state st;
	char why[600];

	fake_tree("DMA-FQ\n");
	CHECK(!domain_open(&st, DEV, why, sizeof(why)), "open");
	inject("/bind", ENODEV, 1);
	CHECK(domain_switch(&st, DOMAIN_IDENTITY, why, sizeof(why)) == -1,
	      "bind failure accepted");
	CHECK(strstr(why, DEV " did not bind to dmabench again after the "
		     "switch to identity") && strstr(why, "put back to DMA-FQ"),
	      "why: %s", why);
	CHECK(!strcmp(wlog, "unbind=" DEV ";type=identity;bind!" DEV ";"
		      "unbind=" DEV ";type=DMA-FQ;bind=" DEV ";"),
	      "writes: %s", wlog);
	type_is("DMA-FQ", "after bind failure");
	CHECK(!domain_restore(&st, why, sizeof(why)), "restore: %s", why);
	type_is("DMA-FQ", "restore after bind failure");

	/* restore refused: the way back by hand in the message */
	fake_tree("DMA\n");
	CHECK(!domain_open(&st, DEV, why, sizeof(why)), "open");
	CHECK(!domain_switch(&st, DOMAIN_IDENTITY, why, sizeof(why)), "sw");
	inject("/type", EBUSY, 1);
	CHECK(domain_restore(&st, why, sizeof(why)) == -1 &&
	      strstr(why, "restore by hand") &&
	      strstr(why, "echo DMA > /sys/kernel/iommu_groups/3/type"),
	      "restore refused: %s", why);
	inject(NULL, 0, 0);
	CHECK(!domain_restore(&st, why, sizeof(why)), "retry: %s", why);
	type_is("DMA", "restore retried");
}

/* ---- dmabench run --domain with the fake module ---- */

static unsigned runs, stop_on;
static int run_errno_on;
static char types_seen[16][16];

static int fake_run(struct dmabench_run *r)
{
	uint64_t *hist = (uint64_t *)(uintptr_t)r->hist_ptr;
	char path[512];
	int err = fake_check_run(r, 0);

	if (err)
		return err;

	/* the type the group is in while the module runs */
	snprintf(path, sizeof(path), "%s/" GROUP "/type", tmpdir);
	if (runs < 16) {
		slurp(path, types_seen[runs], sizeof(types_seen[0]));
		types_seen[runs][strcspn(types_seen[runs], "\n")] = '\0';
	}
	runs++;
	if (run_errno_on == (int)runs)
		return EINVAL;
	r->nphases = 1;
	strcpy(r->phase[0].name, "map");
	hist[dmabench_hist_bucket(100)] = 10;
	r->phase[0].ops = 10;
	r->phase[0].sum_ns = 1000;
	r->phase[0].min_ns = r->phase[0].max_ns = 100;
	r->elapsed_ns = 1000000;
	fake_run_outputs(r);
	if (stop_on == runs) {
		r->status = DMABENCH_STATUS_INTERRUPTED;
		kill(getpid(), SIGINT);
	}
	return 0;
}

static int dispatch(unsigned long req, void *arg)
{
	return req == DMABENCH_IOC_RUN ? fake_run(arg) : ENOTTY;
}

static char outfile[512];

static void reset_run(const char *type)
{
	fake_tree(type);
	runs = stop_on = 0;
	run_errno_on = 0;
	memset(types_seen, 0, sizeof(types_seen));
}

static int count(const char *hay, const char *needle)
{
	int n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

static void test_run_domain(void)
{
	int r;

	reset_run("DMA\n");
	r = call(cmd_run, "run", "-d", DEV, "-t", "map_single,map_sg", "-s",
		 "4K,64K", "--domain", "identity,dma,dma-fq", "-i", "10", "-f",
		 "csv", "-o", outfile, (char *)NULL);
	slurp(outfile, out_text, sizeof(out_text));
	CHECK(r == 0 && runs == 12, "exit %d, %u runs: %s", r, runs, err_text);
	CHECK(!strcmp(types_seen[0], "identity") &&
	      !strcmp(types_seen[3], "identity") &&
	      !strcmp(types_seen[4], "DMA") &&
	      !strcmp(types_seen[8], "DMA-FQ") &&
	      !strcmp(types_seen[11], "DMA-FQ"), "types during runs: %s %s %s",
	      types_seen[0], types_seen[4], types_seen[8]);
	/* one switch per type, then the restore */
	CHECK(!strcmp(wlog, "unbind=" DEV ";type=identity;bind=" DEV ";"
		      "unbind=" DEV ";type=DMA;bind=" DEV ";"
		      "unbind=" DEV ";type=DMA-FQ;bind=" DEV ";"
		      "unbind=" DEV ";type=DMA;bind=" DEV ";"), "writes: %s",
	      wlog);
	type_is("DMA", "after run");
	CHECK(count(out_text, "," DEV ",iommu,identity,") == 4 &&
	      count(out_text, "," DEV ",iommu,DMA,") == 4 &&
	      count(out_text, "," DEV ",iommu,DMA-FQ,") == 4,
	      "domain_type column:\n%s", out_text);

	/* Ctrl-C in the second run: partial results, restored */
	reset_run("DMA-FQ\n");
	stop_on = 2;
	r = call(cmd_run, "run", "-d", DEV, "-t", "map_single", "--domain",
		 "identity,dma", "-s", "4K,8K", "-i", "10", "-f", "csv", "-o",
		 outfile, (char *)NULL);
	slurp(outfile, out_text, sizeof(out_text));
	CHECK(r == 1 && runs == 2 && count_lines(out_text) == 3 &&
	      strstr(err_text, "interrupted"), "interrupted: %d %u %s", r,
	      runs, err_text);
	type_is("DMA-FQ", "after Ctrl-C");
	CHECK(strstr(wlog, "type=DMA-FQ;bind=" DEV ";") &&
	      !strstr(wlog, "type=DMA;"), "writes: %s", wlog);

	/* the module fails the third run: restored, the error said */
	reset_run("identity\n");
	run_errno_on = 3;
	r = call(cmd_run, "run", "-d", DEV, "-t", "map_single", "--domain",
		 "dma,dma-fq", "-s", "4K,8K", "-i", "10", (char *)NULL);
	CHECK(r == 1 && runs == 3 && strstr(err_text, "rejected"),
	      "error: %d %u %s", r, runs, err_text);
	type_is("identity", "after an error");

	/* the kernel refuses the switch: nothing runs, one line */
	reset_run("DMA\n");
	inject("/type", EPERM, 1);
	r = call(cmd_run, "run", "-d", DEV, "-t", "map_single", "--domain",
		 "identity", "-i", "10", (char *)NULL);
	CHECK(r == 1 && runs == 0 && count_lines(err_text) == 1 &&
	      strstr(err_text, "EPERM"), "refused: %d %u %s", r, runs,
	      err_text);
	type_is("DMA", "after a refusal");

	/* a multi-device group: refused before anything is touched */
	reset_run("DMA\n");
	r = call(cmd_run, "run", "-d", "0000:00:04.0", "-t", "map_single",
		 "--domain", "identity", "-i", "10", (char *)NULL);
	CHECK(r == 1 && runs == 0 && !wlog[0] && count_lines(err_text) == 1 &&
	      strstr(err_text, "has 2 devices"), "multi: %d %s", r, err_text);

	/* current only: no switch at all */
	reset_run("DMA\n");
	r = call(cmd_run, "run", "-d", DEV, "-t", "map_single", "--domain",
		 "current", "-i", "10", (char *)NULL);
	CHECK(r == 0 && runs == 1 && !wlog[0], "current: %d %s %s", r, wlog,
	      err_text);
}

static void test_sweep_domain(void)
{
	char job[512], res[512];
	int r;

	reset_run("DMA-FQ\n");
	snprintf(job, sizeof(job), "%s/job", tmpdir);
	snprintf(res, sizeof(res), "%s/res", tmpdir);
	write_file("job", "[global]\niterations = 10\ndevice = " DEV "\n"
		   "nents = 4\n"
		   "[a]\ntest = map_single\ndomain = dma,identity\n"
		   "size = 4K,8K\n"
		   "[b]\ntest = map_sg\ndomain = identity\n");
	r = call(cmd_sweep, "sweep", job, "-r", "1", "-l", "d", "-R", res,
		 (char *)NULL);
	CHECK(r == 0 && runs == 5, "sweep: %d, %u runs: %s", r, runs,
	      err_text);
	/* grouped: dma (2), identity (2 of a, then b) */
	CHECK(!strcmp(types_seen[0], "DMA") && !strcmp(types_seen[1], "DMA") &&
	      !strcmp(types_seen[2], "identity") &&
	      !strcmp(types_seen[4], "identity"), "order: %s %s %s %s %s",
	      types_seen[0], types_seen[1], types_seen[2], types_seen[3],
	      types_seen[4]);
	CHECK(!strcmp(wlog, "unbind=" DEV ";type=DMA;bind=" DEV ";"
		      "unbind=" DEV ";type=identity;bind=" DEV ";"
		      "unbind=" DEV ";type=DMA-FQ;bind=" DEV ";"), "writes: %s",
	      wlog);
	CHECK(strstr(err_text, "note: job [a]: nents does not apply to "
		     "map_single"), "note: %s", err_text);
	type_is("DMA-FQ", "after the sweep");
}

int main(void)
{
	if (fake_mkdtemp("domain"))
		return 99;
	fake_ioctl = dispatch;
	make_dirs("sys/kernel/debug/dmabench");
	write_file("sys/kernel/debug/dmabench/control", "");
	write_file("sys/kernel/debug/dmabench/devices",
		   "dmabench.0 platform direct none yes 64 no no\n"
		   DEV " pci iommu DMA yes 28 yes no\n"
		   "0000:00:04.0 pci iommu DMA yes 28 yes no\n");
	fake_write_tests((const char *const[]){ "map_single", "map_sg", NULL });
	snprintf(outfile, sizeof(outfile), "%s/out", tmpdir);
	setenv("DMABENCH_STATE_DIR", tmpdir, 1);

	test_parse();
	test_switch_restore();
	test_refusals();
	test_bind_fails();
	test_recreate();
	test_run_domain();
	test_sweep_domain();
	if (!tests_failed)
		fake_rmtree();
	return test_report();
}
