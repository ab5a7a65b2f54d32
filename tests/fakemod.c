// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Fake sysroot, captured builtins and a fake dmabench.ko: see fakemod.h. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dmabench_abi.h"
#include "dmabench_fields.h"
#include "fakemod.h"

char tmpdir[80];
char out_text[65536], err_text[65536];
int fake_info_errno;
int (*fake_ioctl)(unsigned long req, void *arg);
struct dmabench_run fake_last_run;

#define DMABENCH_TEST(_name, _fields, ...)				\
	{ #_name, _fields, DMABENCH_NPHASES(__VA_ARGS__), { __VA_ARGS__ } },
static const struct fake_test fake_tests[] = {
#include "dmabench_tests.h"
};
#undef DMABENCH_TEST

#define NFAKE_TESTS	(sizeof(fake_tests) / sizeof(fake_tests[0]))

struct dmabench_shape fake_last_shape;

/*
 * The tests that take traffic shapes (issue 12), as the kernel side
 * publishes them (include/dmabench_abi.h), each bit until
 * dmabench_tests.h carries it: then that list is the truth.
 */
static unsigned int fake_fields(const struct fake_test *t)
{
	static const struct {
		const char *name;
		unsigned int fields;
	} shaped[] = {
		{ "map_single", FAKE_SHAPE_FIELDS },
		{ "map_sg", DMABENCH_FIELD_SHAPE },
		{ "alloc", FAKE_SHAPE_FIELDS },
		{ "iova_link", DMABENCH_FIELD_SHAPE },
		{ "map_phys", FAKE_SHAPE_FIELDS },
	};

	unsigned int listed = 0;

	/* a bit some test of the list carries: the list has it right */
	for (size_t i = 0; i < NFAKE_TESTS; i++)
		listed |= fake_tests[i].fields;
	for (size_t i = 0; i < sizeof(shaped) / sizeof(shaped[0]); i++)
		if (!strcmp(t->name, shaped[i].name))
			return t->fields | (shaped[i].fields & ~listed);
	return t->fields;
}

const struct fake_test *fake_find_test(const char *name)
{
	for (size_t i = 0; i < NFAKE_TESTS; i++)
		if (!strcmp(fake_tests[i].name, name))
			return &fake_tests[i];
	return NULL;
}

void fake_write_tests(const char *const *names)
{
	char text[4096];
	size_t pos = 0;

	text[0] = '\0';
	for (size_t i = 0; i < NFAKE_TESTS; i++) {
		const struct fake_test *t = &fake_tests[i];
		int want = !names;

		for (size_t n = 0; names && names[n]; n++)
			want |= !strcmp(names[n], t->name);
		if (!want)
			continue;
		pos += (size_t)snprintf(text + pos, sizeof(text) - pos, "%s",
					t->name);
		for (unsigned int p = 0; p < t->nphases; p++)
			pos += (size_t)snprintf(text + pos, sizeof(text) - pos,
						" %s", t->phases[p]);
		pos += (size_t)snprintf(text + pos, sizeof(text) - pos,
					" fields=0x%x\n", fake_fields(t));
	}
	write_file("sys/kernel/debug/dmabench/tests", text);
}

static int all_zero(const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++)
		if (b[i])
			return 0;
	return 1;
}

static int hdr_ok(const struct dmabench_hdr *h, size_t size)
{
	return h->version == DMABENCH_ABI_VERSION && h->size == size;
}

static int terminated(const char *s, size_t len)
{
	return memchr(s, '\0', len) != NULL;
}

#define FAKE_PAGE_SIZE	4096U

/* The fields of map_sg, alloc, coherency, align, bounce (dmabench_run.c). */
static int fake_check_dma(const struct dmabench_run *r)
{
	const uint32_t nents = r->nents ? r->nents : 1;

	if (r->nents > DMABENCH_MAX_NENTS || r->sg_layout > 1 ||
	    r->seg_size > DMABENCH_MAX_SIZE / nents ||
	    (!r->seg_size && r->buf_size < nents) ||
	    r->align >= FAKE_PAGE_SIZE || (r->attrs & ~DMABENCH_ATTRS_ALL) ||
	    ((r->attrs & DMABENCH_ATTR_FORCE_CONTIGUOUS) &&
	     (r->attrs & DMABENCH_ATTR_ALLOC_SINGLE_PAGES)) ||
	    r->coherency > DMABENCH_COHERENCY_NONCOHERENT)
		return EINVAL;
	return 0;
}

/*
 * The shape at run.shape_ptr (what dmabench.ko checks): copied into
 * fake_last_shape; *@fields gains DMABENCH_FIELD_SIZE_MIX for a mix.
 */
static int fake_check_shape(const struct dmabench_run *r, uint32_t nphases,
			    uint32_t *fields)
{
	const struct dmabench_shape *s =
		(const struct dmabench_shape *)(uintptr_t)r->shape_ptr;
	uint32_t pairs;

	if (!s)
		return 0;
	fake_last_shape = *s;
	if (!hdr_ok(&s->hdr, sizeof(*s)) || s->pad ||
	    !all_zero(s->reserved_in, sizeof(s->reserved_in)))
		return EINVAL;
	if (s->nsizes)
		*fields |= DMABENCH_FIELD_SIZE_MIX;
	/* a hold is the test's simulated transfer: the test must have one */
	if (s->hold_ns)
		*fields |= DMABENCH_FIELD_DMA_TRANS;
	pairs = s->map_threads + s->unmap_threads;
	if (s->order == DMABENCH_ORDER_RANDOM && s->depth < 2)
		return EINVAL;
	if (s->depth > DMABENCH_MAX_DEPTH || s->order > DMABENCH_ORDER_RANDOM ||
	    s->hold > DMABENCH_HOLD_EXPONENTIAL || s->hold_ns > 1000000000U ||
	    (pairs && (!s->map_threads || !s->unmap_threads ||
		       pairs != r->threads)) ||
	    s->footprint > DMABENCH_MAX_FOOTPRINT ||
	    s->nsizes > DMABENCH_MAX_SIZES || (s->hold_ns && r->dma_trans_ns))
		return EINVAL;
	for (uint32_t i = 0; i < s->nsizes; i++)
		if (!s->sizes[i] || s->sizes[i] > DMABENCH_MAX_SIZE ||
		    !s->weights[i])
			return EINVAL;
	if (s->class_hist_ptr &&
	    s->class_hist_bytes < (uint64_t)s->nsizes * nphases *
				  DMABENCH_HIST_BUCKETS * sizeof(uint64_t))
		return EINVAL;
	return 0;
}

int fake_check_run(const struct dmabench_run *r, int iommu_run)
{
	const struct fake_test *t;
	uint32_t fields;
	int err;

	if (!hdr_ok(&r->hdr, sizeof(*r)) || (r->flags & ~DMABENCH_RUN_FLAGS) ||
	    r->pad_in || !all_zero(r->reserved_in, sizeof(r->reserved_in)) ||
	    !terminated(r->device, sizeof(r->device)) ||
	    !terminated(r->test, sizeof(r->test)))
		return EINVAL;
	t = fake_find_test(r->test);
	if (!t)
		return ENOENT;
	fields = dmabench_run_fields(r) |
		 (iommu_run ? DMABENCH_FIELD_IOMMU : 0);
	err = fake_check_shape(r, t->nphases, &fields);
	if (err)
		return err;
	if (fields & ~fake_fields(t))
		return EINVAL;
	if (!r->buf_size || r->buf_size > DMABENCH_MAX_SIZE)
		return EINVAL;
	err = fake_check_dma(r);
	if (err)
		return err;
	if (!r->threads || r->threads > DMABENCH_MAX_THREADS || r->dir > 2 ||
	    r->node < -1 || r->node > 0 || !r->duration_ns == !r->iterations ||
	    r->duration_ns > 3600ULL * 1000000000ULL ||
	    r->dma_trans_ns > 1000000000U || r->dma_mask_bits > 64 ||
	    r->hist_bytes < (uint64_t)t->nphases * DMABENCH_HIST_BUCKETS *
			    sizeof(uint64_t))
		return EINVAL;
	if (!r->hist_ptr)
		return EFAULT;
	if ((r->flags & DMABENCH_RUN_BOUNCE) &&
	    strcmp(r->device, "dmabench.0"))
		return EINVAL;
	if (iommu_run && r->dma_mask_bits)
		return EINVAL;
	return 0;
}

int fake_check_iommu_run(const struct dmabench_iommu_run *x)
{
	if (!hdr_ok(&x->hdr, sizeof(*x)) || x->pad ||
	    !all_zero(x->reserved_in, sizeof(x->reserved_in)) ||
	    !hdr_ok(&x->run.hdr, sizeof(x->run)))
		return EINVAL;
	if (x->scope > DMABENCH_SCOPE_INSTANCE || x->flush > DMABENCH_FLUSH_ALL ||
	    x->flush_n > 65536 ||
	    (x->flush == DMABENCH_FLUSH_STRICT && x->flush_n > 1) ||
	    (x->iova_bits && (x->iova_bits < 32 || x->iova_bits > 64)) ||
	    x->live > DMABENCH_MAX_LIVE || x->ndevices > DMABENCH_MAX_DEVICES)
		return EINVAL;
	if (x->ndevices && !x->devices_ptr)
		return EFAULT;
	return fake_check_run(&x->run, 1);
}

int fake_check_verify(const struct dmabench_verify *v)
{
	if (!hdr_ok(&v->hdr, sizeof(*v)) || v->flags ||
	    !all_zero(v->reserved_in, sizeof(v->reserved_in)) ||
	    v->what > DMABENCH_VERIFY_ALLOC || v->nents > DMABENCH_MAX_NENTS ||
	    v->len > 4095 || !terminated(v->device, sizeof(v->device)))
		return EINVAL;
	return 0;
}

int fake_check_exhaust(const struct dmabench_exhaust *e)
{
	if (!hdr_ok(&e->hdr, sizeof(*e)) || e->flags ||
	    !all_zero(e->reserved_in, sizeof(e->reserved_in)) ||
	    !terminated(e->device, sizeof(e->device)) ||
	    e->what > DMABENCH_EXHAUST_IOVA_IOMMU || e->size > (4U << 20) ||
	    (e->mask_bits && (e->mask_bits < 12 || e->mask_bits > 64)) ||
	    e->max_count > DMABENCH_EXHAUST_MAX_COUNT ||
	    (e->costs_len && !e->costs_ptr) ||
	    (e->what != DMABENCH_EXHAUST_DOMAINS &&
	     (e->ndevices > 1 || !strcmp(e->device, DMABENCH_ALL_DEVICES))))
		return EINVAL;
	return 0;
}

int fake_check_isolate(const struct dmabench_isolate *v)
{
	if (!hdr_ok(&v->hdr, sizeof(*v)) || v->flags ||
	    !all_zero(v->reserved_in, sizeof(v->reserved_in)) ||
	    v->scope > DMABENCH_SCOPE_INSTANCE || v->len > 2048 ||
	    !terminated(v->device, sizeof(v->device)))
		return EINVAL;
	return 0;
}

void fake_run_outputs(struct dmabench_run *r)
{
	uint64_t *ops = (uint64_t *)(uintptr_t)r->thread_ops_ptr;

	fake_last_run = *r;
	const struct fake_test *t = fake_find_test(r->test);

	if (t && (t->fields & DMABENCH_FIELD_NENTS)) {
		r->dma_segs_min = 1;
		r->dma_segs_max = r->nents ? r->nents : 1;
	}
	if (r->flags & DMABENCH_RUN_BOUNCE)
		r->bounced = r->phase[0].ops / 2;
	r->coherent = r->coherency != DMABENCH_COHERENCY_NONCOHERENT;
	for (uint32_t t = 0; ops && t < r->threads; t++)
		ops[t] = (t + 1) * 100ULL;
	if (r->shape_ptr) {
		struct dmabench_shape *s =
			(struct dmabench_shape *)(uintptr_t)r->shape_ptr;
		uint64_t *ch = (uint64_t *)(uintptr_t)s->class_hist_ptr;

		s->footprint_mapped = s->footprint;
		for (uint32_t k = 0; k < s->nsizes; k++) {
			s->class_ops[k] = 10 * (k + 1);
			for (uint32_t p = 0; ch && p < r->nphases; p++)
				ch[((size_t)k * r->nphases + p) *
				   DMABENCH_HIST_BUCKETS +
				   dmabench_hist_bucket(1000 * (k + 1) + p)] =
					10 * (k + 1);
		}
		if (s->map_threads) {
			s->map_elapsed_ns = r->elapsed_ns / 2;
			s->unmap_elapsed_ns = r->elapsed_ns / 4;
			s->handed_over = r->phase[0].ops;
			s->queue_min_ns = 100;
			s->queue_sum_ns = 250 * s->handed_over;
			s->queue_max_ns = 900;
		}
	}
}

int fake_mkdtemp(const char *name)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/dmabench-test-%s.XXXXXX",
		 name);
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return -1;
	}
	setenv("DMABENCH_SYSROOT", tmpdir, 1);
	unsetenv("DMABENCH_PLATFORM");
	return 0;
}

void fake_rmtree(void)
{
	char cmd[600];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd))
		fprintf(stderr, "could not remove %s\n", tmpdir);
}

void slurp(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n = fd < 0 ? 0 : read(fd, buf, len - 1);

	buf[n > 0 ? n : 0] = '\0';
	if (fd >= 0)
		close(fd);
}

int call(int (*fn)(int, char **), ...)
{
	char *argv[40], out[256], err[256];
	int argc = 0, ret, save1, save2, fd1, fd2;
	va_list ap;

	va_start(ap, fn);
	while (argc < 39 && (argv[argc] = va_arg(ap, char *)))
		argc++;
	va_end(ap);
	argv[argc] = NULL;
	snprintf(out, sizeof(out), "%s/stdout", tmpdir);
	snprintf(err, sizeof(err), "%s/stderr", tmpdir);
	fflush(stdout);
	fflush(stderr);
	save1 = dup(1);
	save2 = dup(2);
	fd1 = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	fd2 = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	dup2(fd1, 1);
	dup2(fd2, 2);
	ret = fn(argc, argv);
	fflush(stdout);
	fflush(stderr);
	dup2(save1, 1);
	dup2(save2, 2);
	close(save1);
	close(save2);
	close(fd1);
	close(fd2);
	slurp(out, out_text, sizeof(out_text));
	slurp(err, err_text, sizeof(err_text));
	return ret;
}

void write_file(const char *rel, const char *text)
{
	char path[512];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, rel);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text)) {
		perror(path);
		exit(99);
	}
	close(fd);
}

void make_dirs(const char *rel)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", tmpdir, rel);
	for (char *p = path + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			mkdir(path, 0755);
			*p = '/';
		}
	mkdir(path, 0755);
}

int count_lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

int __wrap_ioctl(int fd, unsigned long req, ...);
int __wrap_ioctl(int fd, unsigned long req, ...)
{
	va_list ap;
	void *arg;
	int err;

	(void)fd;
	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (req == DMABENCH_IOC_INFO) {
		struct dmabench_info *i = arg;

		err = fake_info_errno;
		if (!err && (i->hdr.version != DMABENCH_ABI_VERSION ||
			     i->hdr.size != sizeof(*i)))
			err = EINVAL;
		if (!err) {
			strcpy(i->module_version, "fake-1");
			i->hist_buckets = DMABENCH_HIST_BUCKETS;
			i->max_phases = DMABENCH_MAX_PHASES;
		}
	} else {
		err = fake_ioctl ? fake_ioctl(req, arg) : ENOTTY;
	}
	if (err) {
		errno = err;
		return -1;
	}
	return 0;
}

int fake_ktap_check(const char *text, int all, int want)
{
	const char *chk = getenv("KTAP_CHECK");
	char path[600], cmd[1400];
	FILE *f;
	int st;

	if (!chk) {
		fprintf(stderr, "note: KTAP_CHECK not set: KTAP not checked\n");
		return want;
	}
	snprintf(path, sizeof(path), "%s/ktap.txt", tmpdir);
	f = fopen(path, "w");
	if (!f)
		return -1;
	fputs(text, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "'%s' %s '%s' >&2", chk, all ? "-a" : "",
		 path);
	st = system(cmd);
	return st < 0 || !WIFEXITED(st) ? -1 : WEXITSTATUS(st);
}
