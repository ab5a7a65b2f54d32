/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Scaffolding shared by the tests that run dmabench without a kernel: a
 * fake sysroot ($DMABENCH_SYSROOT: debugfs, proc, sysfs files written by
 * the test), builtins run with stdout/stderr captured, and a fake
 * dmabench.ko behind ioctl() for the tests linked with -Wl,--wrap=ioctl.
 */
#ifndef DMABENCH_TESTS_FAKEMOD_H
#define DMABENCH_TESTS_FAKEMOD_H

#include <stddef.h>

/* The fake sysroot: /tmp/dmabench-test-NAME.XXXXXX after fake_mkdtemp. */
extern char tmpdir[80];
/* What the last call() printed. */
extern char out_text[65536], err_text[65536];

/*
 * Create tmpdir for test NAME and point $DMABENCH_SYSROOT at it
 * ($DMABENCH_PLATFORM unset).  0, or -1 (perror'ed).
 */
int fake_mkdtemp(const char *name);
/* rm -rf tmpdir (a note on stderr if that fails). */
void fake_rmtree(void);

/* Read @path into @buf ("" when missing). */
void slurp(const char *path, char *buf, size_t len);
/* Write @text to tmpdir/@rel; exit 99 on failure. */
void write_file(const char *rel, const char *text);
/* mkdir -p tmpdir/@rel */
void make_dirs(const char *rel);
int count_lines(const char *s);

/*
 * @text through tests/guest/ktap_check (-a: every test must pass or be
 * skipped): its exit code; @want when $KTAP_CHECK is not set (a run by
 * hand), with a note.
 */
int fake_ktap_check(const char *text, int all, int want);

/*
 * Run builtin @fn with the NULL-terminated arguments (argv[0] first, at
 * most 39): its stdout and stderr land in out_text and err_text.
 */
int call(int (*fn)(int, char **), ...);

/*
 * The fake module (tests linked with -Wl,--wrap=ioctl): __wrap_ioctl
 * answers DMABENCH_IOC_INFO itself (checking the header, failing with
 * fake_info_errno when set) and hands every other request to
 * fake_ioctl(), which returns 0 or an errno (ENOTTY when unknown).
 */
extern int fake_info_errno;
extern int (*fake_ioctl)(unsigned long req, void *arg);

struct dmabench_run;
/*
 * What dmabench.ko reports besides the histograms, made up from the
 * request so the tests can check where each value lands: map_sg
 * dma_segs_min 1 and dma_segs_max nents; bounced = phase[0].ops / 2 with
 * DMABENCH_RUN_BOUNCE; coherent = 0 for COHERENCY_NONCOHERENT, else 1;
 * thread i did (i + 1) x 100 ops (when thread_ops_ptr is set).  Also
 * copies the request into fake_last_run (before the outputs).
 */
void fake_run_outputs(struct dmabench_run *r);
extern struct dmabench_run fake_last_run;

/*
 * Traffic shapes (struct dmabench_shape at run.shape_ptr): the fake
 * checks them as dmabench.ko does and keeps the last one sent in
 * fake_last_shape.  map_single, alloc and map_phys take them with size
 * mixes (FAKE_SHAPE_FIELDS), map_sg and iova_link without, as the
 * kernel side publishes them (added to their fields= until
 * dmabench_tests.h carries the bits).  fake_run_outputs makes up: footprint_mapped = footprint;
 * size class k: class_ops 10 (k + 1), and in every phase p its
 * histogram 10 (k + 1) samples of 1000 (k + 1) + p ns; pairs:
 * map_elapsed_ns elapsed / 2, unmap_elapsed_ns elapsed / 4, handed_over
 * phase[0].ops, queue min 100, mean 250, max 900 ns.
 */
#define FAKE_SHAPE_FIELDS	(DMABENCH_FIELD_SHAPE | DMABENCH_FIELD_SIZE_MIX)
struct dmabench_shape;
extern struct dmabench_shape fake_last_shape;

/*
 * The tests the fake module knows: include/dmabench_tests.h, the list
 * dmabench.ko builds its own table from.
 */
struct fake_test {
	const char *name;
	unsigned int fields;		/* DMABENCH_FIELD_* */
	unsigned int nphases;
	const char *phases[8];		/* DMABENCH_MAX_PHASES */
};
const struct fake_test *fake_find_test(const char *name);
/*
 * Write the fake tests file as the module prints it (NAME PHASE...
 * fields=0xHEX) with the tests in @names (NULL-terminated; NULL: all).
 */
void fake_write_tests(const char *const *names);

struct dmabench_iommu_run;
struct dmabench_verify;
struct dmabench_exhaust;
struct dmabench_isolate;
/*
 * The module's argument checks (include/dmabench_abi.h, Errors): 0 or the
 * errno dmabench.ko gives for a request it refuses before touching a
 * device.  @iommu_run: @r is the run inside DMABENCH_IOC_IOMMU_RUN.
 */
int fake_check_run(const struct dmabench_run *r, int iommu_run);
int fake_check_iommu_run(const struct dmabench_iommu_run *x);
int fake_check_verify(const struct dmabench_verify *v);
int fake_check_exhaust(const struct dmabench_exhaust *e);
int fake_check_isolate(const struct dmabench_isolate *v);

#endif /* DMABENCH_TESTS_FAKEMOD_H */
