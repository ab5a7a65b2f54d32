// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The run engine (see engine.h): sessions, one run into result rows,
 * --perf, domain switching.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "util/cli.h"
#include "util/engine.h"
#include "util/iommuopt.h"
#include "util/parse.h"
#include "util/stats.h"

volatile sig_atomic_t run_interrupted;

static void on_interrupt(int sig)
{
	(void)sig;
	run_interrupted = 1;
}

/*
 * No SA_RESTART: the signal must interrupt the module's wait so that it
 * stops the threads and returns the partial results.
 */
void run_install_interrupt_handler(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_interrupt;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

struct result_row *row_new(struct row_list *l)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		struct result_row *v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			return NULL;
		l->v = v;
		l->cap = cap;
	}
	memset(&l->v[l->n], 0, sizeof(l->v[0]));
	return &l->v[l->n++];
}

/* The IOMMU columns of a row of an IOMMU_RUN result. */
static void iommu_row(struct result_row *row,
		      const struct dmabench_iommu_run *im)
{
	const struct dmabench_run *run = &im->run;
	struct flush_spec fs = { .kind = im->flush, .n = im->flush_n };

	row->iommu = 1;
	str_copy(row->scope, sizeof(row->scope), scope_name(im->scope));
	format_flush(&fs, row->flush, sizeof(row->flush));
	row->ndevices = im->ndevs_used;
	row->ndomains = im->ndomains;
	row->ninstances = im->ninstances;
	row->iova_bits = iova_limit_bits(im->aperture_end);
	row->live = im->live ? im->live : 1;
	row->slow_allocs = im->slow_allocs;
	/* invalidate.sum_ns / unmap.ops (header: cost per buffer) */
	if (run->nphases >= 4 && run->phase[2].ops)
		row->inval_per_buf_ns = (double)run->phase[3].sum_ns /
					(double)run->phase[2].ops;
}

/* The DMA-API columns (seg_size .. thread_ops_per_sec_max) of a row. */
static void dma_row(struct result_row *row, const struct dmabench_run *run,
		    uint32_t fields)
{
	if (fields & DMABENCH_FIELD_NENTS) {
		row->sg = 1;
		row->nents = run->nents ? run->nents : 1;
		row->seg_size = run->seg_size;
		str_copy(row->layout, sizeof(row->layout),
			 run_layout_name(run->sg_layout));
		row->dma_segs_min = run->dma_segs_min;
		row->dma_segs_max = run->dma_segs_max;
	}
	row->align = run->align;
	run_attrs_name(run->attrs, row->attrs, sizeof(row->attrs));
	str_copy(row->coherency, sizeof(row->coherency),
		 run_coherency_name(run->coherency));
	str_copy(row->coherent, sizeof(row->coherent),
		 run->coherent ? "yes" : "no");
	if (run->flags & DMABENCH_RUN_BOUNCE) {
		row->has_bounced = 1;
		row->bounced = run->bounced;
	}
}

/* The shape columns of a row of a run that carried @sh. */
static void shape_row(struct result_row *row, const struct dmabench_shape *sh,
		      const struct dmabench_run *run, uint32_t p)
{
	uint64_t ops = run->phase[p].ops;

	row->shape = 1;
	row->depth = sh->depth ? sh->depth : 1;
	str_copy(row->order, sizeof(row->order), run_order_name(sh->order));
	run_hold_name(sh->hold, sh->hold_ns, row->hold, sizeof(row->hold));
	if (sh->map_threads)
		snprintf(row->pairs, sizeof(row->pairs), "%u:%u",
			 sh->map_threads, sh->unmap_threads);
	row->footprint = sh->footprint;
	row->footprint_mapped = sh->footprint_mapped;
	run_size_mix_name(sh->nsizes, sh->sizes, sh->weights, row->size_mix,
			  sizeof(row->size_mix));
	if (sh->nsizes) {
		row->size = 0;	/* the totals of all classes */
		str_copy(row->size_class, sizeof(row->size_class), "all");
	}
	if (!sh->map_threads)
		return;
	row->has_queue = 1;
	row->queue_min_ns = sh->handed_over ? sh->queue_min_ns : 0;
	row->queue_max_ns = sh->queue_max_ns;
	row->queue_mean_ns = sh->handed_over ? (double)sh->queue_sum_ns /
			     (double)sh->handed_over : 0;
	/* per side: the mappers do the first phase, the unmappers the last */
	if (p == 0 && sh->map_elapsed_ns)
		row->st.ops_per_sec = (double)ops * 1e9 /
				      (double)sh->map_elapsed_ns;
	else if (p + 1 == run->nphases && sh->unmap_elapsed_ns)
		row->st.ops_per_sec = (double)ops * 1e9 /
				      (double)sh->unmap_elapsed_ns;
}

/*
 * Size class @k of phase @p: the histogram the module kept for it
 * (class_hist: nsizes x nphases x BUCKETS).  Its count, extremes and
 * mean come from the buckets (within a bucket's 1.6 %).
 */
static void class_row(struct result_row *row, const struct dmabench_shape *sh,
		      const struct dmabench_run *run, const uint64_t *hist,
		      uint32_t k)
{
	struct dmabench_phase ph = { .ops = 0 };
	uint32_t first = DMABENCH_HIST_BUCKETS, last = 0;

	for (uint32_t b = 0; b < DMABENCH_HIST_BUCKETS; b++)
		if (hist[b]) {
			if (first == DMABENCH_HIST_BUCKETS)
				first = b;
			last = b;
			ph.ops += hist[b];
		}
	if (ph.ops) {
		ph.min_ns = dmabench_hist_lower(first);
		ph.max_ns = last + 1 < DMABENCH_HIST_BUCKETS ?
			    dmabench_hist_lower(last + 1) - 1 :
			    dmabench_hist_lower(last);
		for (uint32_t b = first; b <= last; b++)
			ph.sum_ns += hist[b] * hist_bucket_value(b, ph.min_ns,
								 ph.max_ns);
	}
	phase_stats_compute(&row->st, &ph, hist, run->elapsed_ns);
	row->size = sh->sizes[k];
	format_size(sh->sizes[k], row->size_class, sizeof(row->size_class));
	row->nthread_rates = 0;	/* measured per thread, not per class */
	row->has_queue = 0;
}

/* ops / elapsed of every thread; nothing when the module left them 0. */
static void thread_rates(struct result_row *row,
			 const struct dmabench_run *run,
			 const uint64_t *thread_ops)
{
	uint32_t n = run->threads, any = 0;

	if (!thread_ops || !run->elapsed_ns || n > DMABENCH_MAX_THREADS)
		return;
	for (uint32_t t = 0; t < n; t++)
		any |= thread_ops[t] != 0;
	if (!any)
		return;
	row->nthread_rates = n;
	for (uint32_t t = 0; t < n; t++) {
		double v = (double)thread_ops[t] * 1e9 /
			   (double)run->elapsed_ns;

		row->thread_rate[t] = v;
		if (!t || v < row->thread_rate_min)
			row->thread_rate_min = v;
		if (!t || v > row->thread_rate_max)
			row->thread_rate_max = v;
	}
}

/* What a row says besides the result: where and what it ran. */
struct row_ctx {
	const struct ctl_device *dev;
	const char *platform;
	unsigned config;
	uint32_t fields;		/* the test's DMABENCH_FIELD_* */
	const struct dmabench_iommu_run *im;	/* IOMMU tests */
	const char *devname;		/* IOMMU tests: the device list */
	const uint64_t *thread_ops;
	const char *domain_type;
	/* the shape sent (NULL: none) and its per-class histograms */
	const struct dmabench_shape *shape;
	const uint64_t *class_hist;
};

/* The name of the clock the module used (enum dmabench_clock). */
static const char *clock_name(uint32_t clock)
{
	if (clock != DMABENCH_CLOCK_RAW)
		return "ktime";
#if defined(__x86_64__) || defined(__i386__)
	return "tsc";
#elif defined(__aarch64__)
	return "cntvct";
#else
	return "raw";
#endif
}

/*
 * The timing columns of a row: mode, clock, the clock's share of one timed
 * unit (a batch costs mean x batch), warm-up and drift.  @batch: the ops
 * per timed block of the row's phase (run.batch_used, or what iommu_map
 * makes of it).
 */
static void timing_row(struct result_row *row, const struct dmabench_run *run,
		       uint32_t batch, const uint64_t *hist,
		       const uint64_t *hist2)
{
	double unit = row->st.mean_ns * batch;

	if (!batch)
		return;	/* a module that does not say how it timed */
	if (batch > 1)
		snprintf(row->timing, sizeof(row->timing), "batch:%u", batch);
	else
		str_copy(row->timing, sizeof(row->timing), "op");
	str_copy(row->clock, sizeof(row->clock), clock_name(run->clock_used));
	row->clock_res_ns = run->clock_res_ps / 1000.0;
	if (unit > 0)
		row->clock_share = row->timer_overhead_ns * 100.0 / unit;
	row->warmup_ops = run->warmup_ops;
	if (row->st.ops)
		hist_drift(hist, hist2, row->st.min_ns, row->st.max_ns,
			   &row->drift_pct, &row->drifted);
}

/*
 * Turn one ioctl result into one row per phase; a size mix adds one row
 * per class and phase after them.
 */
static int add_rows(struct row_list *rows, const struct dmabench_run *run,
		    const uint64_t *hist, const uint64_t *hist2,
		    const struct row_ctx *c)
{
	const struct dmabench_iommu_run *im = c->im;
	const struct ctl_device *dev = c->dev;
	size_t first = rows->n;
	uint32_t n = run->nphases < DMABENCH_MAX_PHASES ? run->nphases :
		     DMABENCH_MAX_PHASES;

	for (uint32_t p = 0; p < n; p++) {
		struct result_row *row = row_new(rows);

		if (!row) {
			rows->n = first;
			return -1;
		}
		row->config = c->config;
		str_copy(row->test, sizeof(row->test), run->test);
		str_copy(row->device, sizeof(row->device),
			 c->devname ? c->devname : run->device);
		str_copy(row->dma_ops, sizeof(row->dma_ops),
			 im ? "iommu-api" : dev ? dev->dma_ops : "?");
		str_copy(row->domain_type, sizeof(row->domain_type),
			 im ? "unmanaged" : c->domain_type[0] ?
			 c->domain_type : dev ? dev->domain : "?");
		row->size = run->buf_size;
		row->nents = 1;		/* map_sg: dma_row sets it */
		if (im)
			iommu_row(row, im);
		else
			dma_row(row, run, c->fields);
		thread_rates(row, run, c->thread_ops);
		row->threads = run->threads;
		str_copy(row->dir, sizeof(row->dir), run_dir_name(run->dir));
		snprintf(row->phase, sizeof(row->phase), "%.*s",
			 DMABENCH_PHASE_LEN - 1, run->phase[p].name);
		phase_stats_compute(&row->st, &run->phase[p],
				    hist + (size_t)p * DMABENCH_HIST_BUCKETS,
				    run->elapsed_ns);
		row->errors = run->errors;
		str_copy(row->status, sizeof(row->status),
			 output_status_name(run->status));
		row->elapsed_ns = run->elapsed_ns;
		row->timer_overhead_ns = run->timer_overhead_ps / 1000.0;
		timing_row(row, run, im && run->batch_used ?
			   iommu_map_phase_batch(im->flush, im->flush_n, p,
						 run->batch_used) :
			   run->batch_used,
			   hist + (size_t)p * DMABENCH_HIST_BUCKETS,
			   hist2 + (size_t)p * DMABENCH_HIST_BUCKETS);
		str_copy(row->platform, sizeof(row->platform), c->platform);
		if (c->shape)
			shape_row(row, c->shape, run, p);
	}
	for (uint32_t k = 0; c->shape && c->class_hist && k < c->shape->nsizes;
	     k++)
		for (uint32_t p = 0; p < n; p++) {
			struct result_row *row = row_new(rows);

			if (!row) {
				rows->n = first;
				return -1;
			}
			*row = rows->v[first + p];
			class_row(row, c->shape, run, c->class_hist +
				  ((size_t)k * run->nphases + p) *
				  DMABENCH_HIST_BUCKETS, k);
		}
	return 0;
}

void run_session_meta(const struct run_session *s, const struct run_opts *o,
		      struct run_meta *m, int argc, char **argv)
{
	meta_collect(m, argc, argv);
	str_copy(m->module_version, sizeof(m->module_version),
		 s->info.module_version);
	str_copy(m->placement, sizeof(m->placement), o->place.desc);
}

int run_session_open(struct run_session *s)
{
	memset(s, 0, sizeof(*s));
	s->fd = ctl_open(&s->info);
	if (s->fd < 0)
		return -1;
	s->ndevs = ctl_read_devices(&s->devs);
	s->hist_bytes = sizeof(uint64_t) * DMABENCH_MAX_PHASES *
			DMABENCH_HIST_BUCKETS;
	s->hist = malloc(s->hist_bytes);
	s->hist2 = malloc(s->hist_bytes);
	s->thread_ops = calloc(DMABENCH_MAX_THREADS, sizeof(uint64_t));
	s->class_hist_bytes = s->hist_bytes * DMABENCH_MAX_SIZES;
	s->class_hist = malloc(s->class_hist_bytes);
	if (!s->hist || !s->hist2 || !s->thread_ops || !s->class_hist) {
		fail("out of memory");
		run_session_close(s);
		return -1;
	}
	return 0;
}

void run_session_close(struct run_session *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
	free(s->devs);
	free(s->hist);
	free(s->hist2);
	free(s->thread_ops);
	free(s->class_hist);
	s->class_hist = NULL;
	s->devs = NULL;
	s->hist = NULL;
	s->hist2 = NULL;
	s->thread_ops = NULL;
	perf_close(&s->perf);
}

int run_session_refresh(struct run_session *s)
{
	free(s->devs);
	s->devs = NULL;
	s->ndevs = ctl_read_devices(&s->devs);
	if (s->ndevs < 0) {
		fail("cannot read %s: %s", CTL_DEVICES, strerror(-s->ndevs));
		return -1;
	}
	return 0;
}

const struct ctl_device *run_session_device(struct run_session *s,
					    const char *name, int *ok)
{
	const struct ctl_device *dev;

	*ok = 1;
	if (s->ndevs < 0)
		return NULL;
	dev = ctl_find_device(s->devs, s->ndevs, name);
	if (!dev) {
		*ok = 0;
		fail("device %s is not bound to dmabench: dmabench bind %s",
		     name, name);
	}
	return dev;
}

const struct ctl_device *run_session_lookup(struct run_session *s,
					    const struct run_opts *o, int *ok)
{
	*ok = 1;
	if (!o->iommu)
		return run_session_device(s, o->device, ok);
	if (s->ndevs < 0 || !strcmp(o->device, DMABENCH_ALL_DEVICES))
		return NULL;
	if (!o->ndevs)
		return run_session_device(s, o->device, ok);
	for (size_t i = 0; i < o->ndevs && *ok; i++)
		run_session_device(s, o->devs[i], ok);
	return NULL;
}

/* Per-operation rates into the rows' extra columns (from @col on). */
static void add_perf(struct row_list *rows, size_t first,
		     const struct perf_counters *p, const struct dmabench_run *r,
		     unsigned col)
{
	uint64_t ops = r->nphases ? r->phase[0].ops : 0;

	for (size_t i = first; i < rows->n; i++)
		for (unsigned e = 0; e < p->nev &&
		     col + e < OUTPUT_MAX_EXTRA; e++)
			if (ops)
				snprintf(rows->v[i].extra[col + e],
					 sizeof(rows->v[i].extra[0]), "%.2f",
					 (double)p->value[e] / (double)ops);
}

/* The device list of an IOMMU run, as the rows name it ('+', not ','). */
static void iommu_devname(const struct run_opts *o, char *buf, size_t len)
{
	str_copy(buf, len, o->device);
	for (char *p = buf; *p; p++)
		if (*p == ',')
			*p = '+';
}

int run_one(struct run_session *s, const struct run_opts *o, uint64_t size,
	    uint64_t threads, const struct ctl_device *dev,
	    const char *platform, unsigned config, struct row_list *rows,
	    struct dmabench_run *run)
{
	size_t first = rows->n;
	struct dmabench_iommu_run im;
	struct dmabench_shape shape;
	char devname[DMABENCH_NAME_LEN];
	struct row_ctx c = {
		.dev = dev, .platform = platform, .config = config,
		.fields = o->test_fields, .thread_ops = s->thread_ops,
		.domain_type = s->domain_type,
	};
	int err = 0;

	runopt_fill_request(&im, o, size, threads);
	if (!o->iommu && runopt_fill_shape(&shape, o)) {
		c.shape = &shape;
		im.run.shape_ptr = (uint64_t)(uintptr_t)&shape;
		if (shape.nsizes) {
			memset(s->class_hist, 0, s->class_hist_bytes);
			shape.class_hist_ptr =
				(uint64_t)(uintptr_t)s->class_hist;
			shape.class_hist_bytes = s->class_hist_bytes;
			c.class_hist = s->class_hist;
		}
	}
	memset(s->hist, 0, s->hist_bytes);
	im.run.hist_ptr = (uint64_t)(uintptr_t)s->hist;
	memset(s->hist2, 0, s->hist_bytes);
	im.run.hist2_ptr = (uint64_t)(uintptr_t)s->hist2;
	im.run.hist_bytes = s->hist_bytes;
	memset(s->thread_ops, 0, DMABENCH_MAX_THREADS * sizeof(uint64_t));
	im.run.thread_ops_ptr = (uint64_t)(uintptr_t)s->thread_ops;
	if (o->iommu) {
		iommu_devname(o, devname, sizeof(devname));
		c.im = &im;
		c.devname = devname;
	}
	if (s->perf.nev)
		perf_start(&s->perf);
	if (ioctl(s->fd, o->iommu ? DMABENCH_IOC_IOMMU_RUN : DMABENCH_IOC_RUN,
		  o->iommu ? (void *)&im : (void *)&im.run) < 0)
		err = errno;
	if (s->perf.nev)
		perf_stop(&s->perf);
	*run = im.run;
	if (err)
		return err;
	if (add_rows(rows, run, s->hist, s->hist2, &c))
		return ENOMEM;
	if (s->perf.nev)
		add_perf(rows, first, &s->perf, run, s->perf_col);
	return 0;
}

static double monotonic_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int run_config(struct run_session *s, const struct run_opts *o,
	       uint64_t size, uint64_t threads, const struct ctl_device *dev,
	       const char *platform, unsigned *config, struct row_list *rows,
	       struct dmabench_run *run, run_rows_fn each, void *ctx)
{
	struct run_opts slice = *o;
	uint64_t done = 0;
	unsigned k = 0;
	double t0 = monotonic_s();
	int err;

	do {
		size_t first = rows->n;
		double start = monotonic_s() - t0;

		if (o->interval_ns)
			slice.duration_ns = o->duration_ns - done <
					    o->interval_ns ?
					    o->duration_ns - done :
					    o->interval_ns;
		err = run_one(s, &slice, size, threads, dev, platform,
			      *config, rows, run);
		if (err)
			return err;
		for (size_t r = first; o->interval_ns && r < rows->n; r++) {
			rows->v[r].aging = 1;
			rows->v[r].time_s = start;
			rows->v[r].interval = k;
		}
		if (each) {
			err = each(ctx, first);
			if (err)
				return err;
		}
		done += slice.duration_ns;
		k++;
	} while (o->interval_ns && done < o->duration_ns &&
		 run->status == DMABENCH_STATUS_DONE && !run_interrupted);
	(*config)++;
	return 0;
}

/*
 * --perf: open the counters and name their CSV/JSON columns
 * ("cycles_per_op", ...) from extra column @col on.  Column names live in
 * @names (PERF_MAX_EVENTS x 48).
 */
unsigned run_perf_setup(struct run_session *s, const struct run_opts *o,
			unsigned col, char names[][48])
{
	unsigned n = perf_open(&s->perf, o->place.cpus, PLACEMENT_WORDS);

	s->perf_col = col;
	if (s->perf.note[0])
		fprintf(stderr, "note: --perf: %s%s\n", s->perf.note,
			n ? "" : "; running without counters");
	for (unsigned e = 0; e < n; e++)
		snprintf(names[e], 48, "%s_per_op", s->perf.names[e]);
	return n;
}

int run_tests_missing(const struct run_opts *o, char *why, size_t len)
{
	struct ctl_tests ct;
	char names[512], lacks[160];

	if (ctl_read_tests(&ct))
		return 0;	/* out of memory: the ioctl will tell */
	for (size_t t = 0; ct.from_module && t < o->ntests; t++) {
		if (ctl_find_test(&ct, o->tests[t]))
			continue;
		ctl_test_names(&ct, names, sizeof(names));
		ctl_tests_free(&ct);
		/* the module leaves out the tests the kernel has no API for */
		snprintf(why, len, "test '%s' is not in the loaded dmabench.ko%s "
			 "(it has: %s)", o->tests[t],
			 ctl_lacks_note(o->tests[t], lacks, sizeof(lacks)),
			 names);
		return 1;
	}
	ctl_tests_free(&ct);
	return 0;
}

int domain_set_add(struct domain_set *l, const char *device,
		   const char *where)
{
	struct domain_state *v;
	char why[600];

	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].device, device))
			return 0;
	v = realloc(l->v, (l->n + 1) * sizeof(*v));
	if (!v) {
		fail("out of memory");
		return -1;
	}
	l->v = v;
	if (domain_open(&v[l->n], device, why, sizeof(why))) {
		fail("%s%s", where, why);
		return -1;
	}
	l->n++;
	return 0;
}

int run_switch_domain(struct run_session *s, struct domain_set *l,
		      const char *device, unsigned want, const char *where)
{
	struct domain_state *st = NULL;
	char why[600], before[16];

	s->domain_type[0] = '\0';
	for (size_t i = 0; i < l->n && !st; i++)
		if (!strcmp(l->v[i].device, device))
			st = &l->v[i];
	if (!st)
		return 0;
	str_copy(before, sizeof(before), st->cur_type);
	if (domain_switch(st, want, why, sizeof(why))) {
		fail("%s%s", where, why);
		return -1;
	}
	str_copy(s->domain_type, sizeof(s->domain_type), st->cur_type);
	if (!strcmp(before, st->cur_type))
		return 0;
	if (want != DOMAIN_CURRENT &&
	    strcmp(st->cur_type, domain_sysfs_name(want)))
		fprintf(stderr, "note: domain %s: IOMMU group %s is %s\n",
			domain_want_name(want), st->group, st->cur_type);
	return run_session_refresh(s) ? -1 : 1;
}

int domain_set_restore(struct domain_set *l)
{
	char why[600];
	int r = 0;

	for (size_t i = l->n; i-- > 0;)
		if (domain_restore(&l->v[i], why, sizeof(why)))
			r = fail("%s", why);
	return r;
}

void domain_set_free(struct domain_set *l)
{
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

void run_error_ctx(struct ctl_error_ctx *ctx, const struct run_opts *o,
		   const struct dmabench_run *run)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->device = o->device;
	ctx->test = run->test[0] ? run->test : o->test;
	ctx->dma_mask_bits = o->dma_mask_bits;
	ctx->iommu = o->iommu;
	ctx->coherency = run->coherency;
	ctx->bounce = !!(run->flags & DMABENCH_RUN_BOUNCE);
	ctx->shape = run->shape_ptr != 0;
	ctx->clock_raw = run->clock == DMABENCH_CLOCK_RAW;
	ctx->cache_cold = run->cache == DMABENCH_CACHE_COLD;
}
