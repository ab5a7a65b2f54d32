// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * dmabench run: one DMABENCH_IOC_RUN per (size, threads) configuration,
 * statistics from the returned histograms, all rows in one text, CSV or
 * JSON output.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "builtin.h"
#include "run.h"
#include "util/cli.h"
#include "util/ctl.h"
#include "util/meta.h"
#include "util/output.h"
#include "util/parse.h"
#include "util/placement.h"
#include "util/stats.h"

#define DEFAULT_SECONDS	5

static const char run_usage[] =
	"usage: dmabench run --test NAME [options]\n\n"
	"  -d, --device DEV        device bound to dmabench (default "
	CTL_DEFAULT_DEVICE ",\n"
	"                          the module's own dma-direct device)\n"
	"  -t, --test NAME         test to run, e.g. map_single\n"
	"  -s, --size LIST         buffer sizes, K/M/G suffixes (default 4K)\n"
	"      --dir DIR           bidir | to | from (default bidir)\n"
	"  -T, --threads LIST      thread counts (default 1)\n"
	"  -c, --cpus LIST         run threads on these CPUs, e.g. 0-3,8\n"
	"  -n, --node N            run threads and buffers on NUMA node N\n"
	"  -S, --seconds S         run time per configuration (default 5)\n"
	"  -i, --iterations N      ... or this many operations per thread\n"
	"      --dma-trans-ns NS   simulated transfer time between map/unmap\n"
	"      --dma-mask-bits B   set the device's DMA mask for the run\n"
	"  -f, --format FMT        text | csv | json (default text)\n"
	"  -o, --output FILE       write the results to FILE\n"
	"      --perf              count cycles, instructions, cache misses and\n"
	"                          IOMMU PMU events per operation (perf_event_open)\n\n"
	"IOMMU API tests (--test iommu_map; phases iova_alloc, map, unmap,\n"
	"invalidate, iova_free):\n"
	"  -d, --device LIST       'all' (every device bound to dmabench behind an\n"
	"                          IOMMU) or names separated by ',' or '+'\n"
	"      --scope LIST        per-device (a domain + IOVA allocator each) |\n"
	"                          per-instance (one shared per IOMMU instance)\n"
	"      --flush LIST        strict (invalidate every buffer) | batch:N (one\n"
	"                          iotlb sync per N) | all[:N] (flush the whole\n"
	"                          IOTLB per N buffers; N 1..65536, default 32)\n"
	"      --iova-limit LIST   IOVA space bits, 32..64 (default 48)\n"
	"      --live LIST         mappings held per thread, freed in random\n"
	"                          order (1..65536, default 1)\n"
	"      --slow-ns NS        iova_alloc slower than NS counts as slow (rcache\n"
	"                          miss indicator; default: 8 x the fastest)\n"
	"      --seed N            random free order seed (default fixed)\n\n"
	"Comma lists (--size 4K,64K --threads 1,2, --scope, --flush,\n"
	"--iova-limit, --live) run every combination.\n"
	"Ctrl-C stops the run; the results so far are printed.\n";

static const char *const dir_names[] = {
	[DMABENCH_DIR_BIDIR] = "bidir",
	[DMABENCH_DIR_TO_DEVICE] = "to",
	[DMABENCH_DIR_FROM_DEVICE] = "from",
};

static int parse_dir(const char *s, unsigned *dir)
{
	for (unsigned i = 0; i < 3; i++)
		if (!strcmp(s, dir_names[i])) {
			*dir = i;
			return 0;
		}
	if (!strcmp(s, "to-device"))
		*dir = DMABENCH_DIR_TO_DEVICE;
	else if (!strcmp(s, "from-device"))
		*dir = DMABENCH_DIR_FROM_DEVICE;
	else
		return -1;
	return 0;
}

const char *run_dir_name(unsigned dir)
{
	return dir < 3 ? dir_names[dir] : "?";
}

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

static const char *opt_cmd = "run";

static int list_option(const char *opt, const char *arg,
		       enum parse_result (*one)(const char *, uint64_t *),
		       uint64_t min, uint64_t max, uint64_t **vals, size_t *n)
{
	enum parse_result r;
	const char *bad;
	size_t badlen;
	char lim[32];

	free(*vals);
	*vals = NULL;
	r = parse_list(arg, one, min, max, vals, n, &bad, &badlen);
	if (!r)
		return 0;
	if (r == PARSE_RANGE && one == parse_size)
		return usage_error(opt_cmd, "bad %s '%.*s': must be at most %s",
				   opt, (int)badlen, bad,
				   format_size(max, lim, sizeof(lim)));
	if (r == PARSE_RANGE)
		return usage_error(opt_cmd, "bad %s '%.*s': must be %llu..%llu",
				   opt, (int)badlen, bad,
				   (unsigned long long)min,
				   (unsigned long long)max);
	return usage_error(opt_cmd, "bad %s '%.*s': %s", opt, (int)badlen, bad,
			   parse_strerror(r));
}

static int u64_option(const char *opt, const char *arg, uint64_t min,
		      uint64_t max, uint64_t *out)
{
	enum parse_result r = parse_u64(arg, out);

	if (r)
		return usage_error(opt_cmd, "bad %s '%s': %s", opt, arg,
				   parse_strerror(r));
	if (*out < min || *out > max)
		return usage_error(opt_cmd, "bad %s '%s': must be %llu..%llu",
				   opt, arg, (unsigned long long)min,
				   (unsigned long long)max);
	return 0;
}

enum {
	OPT_DIR = 256,
	OPT_DMA_TRANS_NS,
	OPT_DMA_MASK_BITS,
	OPT_PERF,
	OPT_SCOPE,
	OPT_FLUSH,
	OPT_IOVA_LIMIT,
	OPT_LIVE,
	OPT_SLOW_NS,
	OPT_SEED,
};

int run_parse_options(const char *cmd, int argc, char **argv,
		      struct run_opts *o, int allow_output)
{
	static const struct option opts[] = {
		{ "device",	   required_argument, NULL, 'd' },
		{ "test",	   required_argument, NULL, 't' },
		{ "size",	   required_argument, NULL, 's' },
		{ "dir",	   required_argument, NULL, OPT_DIR },
		{ "threads",	   required_argument, NULL, 'T' },
		{ "cpus",	   required_argument, NULL, 'c' },
		{ "node",	   required_argument, NULL, 'n' },
		{ "seconds",	   required_argument, NULL, 'S' },
		{ "iterations",	   required_argument, NULL, 'i' },
		{ "dma-trans-ns",  required_argument, NULL, OPT_DMA_TRANS_NS },
		{ "dma-mask-bits", required_argument, NULL, OPT_DMA_MASK_BITS },
		{ "format",	   required_argument, NULL, 'f' },
		{ "output",	   required_argument, NULL, 'o' },
		{ "perf",	   no_argument,	      NULL, OPT_PERF },
		{ "scope",	   required_argument, NULL, OPT_SCOPE },
		{ "flush",	   required_argument, NULL, OPT_FLUSH },
		{ "iova-limit",	   required_argument, NULL, OPT_IOVA_LIMIT },
		{ "live",	   required_argument, NULL, OPT_LIVE },
		{ "slow-ns",	   required_argument, NULL, OPT_SLOW_NS },
		{ "seed",	   required_argument, NULL, OPT_SEED },
		{ "help",	   no_argument,	      NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *cpus = NULL, *node = NULL, *seconds = NULL;
	const char *iommu_opt = NULL;
	enum parse_result pr;
	char why[160];
	uint64_t v;
	int c, r;

	optind = 0;
	opterr = 0;
	opt_cmd = cmd;
	while ((c = getopt_long(argc, argv, ":d:t:s:T:c:n:S:i:f:o:h", opts,
				NULL)) != -1) {
		r = 0;
		switch (c) {
		case 'h':
			fputs(run_usage, stdout);
			return -1;
		case 'd':
			o->device = optarg;
			break;
		case 't':
			o->test = optarg;
			break;
		case 's':
			r = list_option("--size", optarg, parse_size, 1,
					DMABENCH_MAX_SIZE, &o->sizes,
					&o->nsizes);
			break;
		case OPT_DIR:
			if (parse_dir(optarg, &o->dir))
				r = usage_error(opt_cmd, "bad --dir '%s': use "
						"bidir, to or from", optarg);
			break;
		case 'T':
			r = list_option("--threads", optarg, parse_u64, 1,
					DMABENCH_MAX_THREADS, &o->threads,
					&o->nthreads);
			break;
		case 'c':
			cpus = optarg;
			break;
		case 'n':
			node = optarg;
			break;
		case 'S':
			seconds = optarg;
			pr = parse_seconds(optarg, &o->duration_ns);
			if (pr)
				r = usage_error(opt_cmd, "bad --seconds '%s': %s",
						optarg, parse_strerror(pr));
			break;
		case 'i':
			r = u64_option("--iterations", optarg, 1, UINT64_MAX,
				       &o->iterations);
			break;
		case OPT_DMA_TRANS_NS:
			r = u64_option("--dma-trans-ns", optarg, 0, UINT32_MAX,
				       &v);
			o->dma_trans_ns = (uint32_t)v;
			break;
		case OPT_DMA_MASK_BITS:
			r = u64_option("--dma-mask-bits", optarg, 1, 64, &v);
			o->dma_mask_bits = (uint32_t)v;
			break;
		case OPT_PERF:
			o->perf = 1;
			break;
		case OPT_SCOPE:
			iommu_opt = "--scope";
			free(o->scopes);
			if (parse_scope_list(optarg, &o->scopes, &o->nscopes,
					     why, sizeof(why)))
				r = usage_error(opt_cmd, "bad --scope %s", why);
			break;
		case OPT_FLUSH:
			iommu_opt = "--flush";
			free(o->flushes);
			if (parse_flush_list(optarg, &o->flushes, &o->nflushes,
					     why, sizeof(why)))
				r = usage_error(opt_cmd, "bad --flush %s", why);
			break;
		case OPT_IOVA_LIMIT:
			iommu_opt = "--iova-limit";
			r = list_option("--iova-limit", optarg, parse_u64, 32,
					64, &o->iova_bits, &o->niova_bits);
			break;
		case OPT_LIVE:
			iommu_opt = "--live";
			r = list_option("--live", optarg, parse_u64, 1,
					DMABENCH_MAX_LIVE, &o->lives,
					&o->nlives);
			break;
		case OPT_SLOW_NS:
			iommu_opt = "--slow-ns";
			r = u64_option("--slow-ns", optarg, 1, UINT32_MAX, &v);
			o->slow_ns = (uint32_t)v;
			break;
		case OPT_SEED:
			iommu_opt = "--seed";
			r = u64_option("--seed", optarg, 0, UINT64_MAX,
				       &o->seed);
			break;
		case 'f':
			if (!allow_output) {
				r = usage_error(opt_cmd, "%s does not "
						"apply here", argv[optind - 1]);
				break;
			}
			if (output_parse_format(optarg, &o->format))
				r = usage_error(opt_cmd, "bad --format '%s': use "
						"text, csv or json", optarg);
			break;
		case 'o':
			if (!allow_output) {
				r = usage_error(opt_cmd, "%s does not "
						"apply here", argv[optind - 1]);
				break;
			}
			o->output = optarg;
			break;
		default:
			r = usage_bad_option(opt_cmd, c, argv);
		}
		if (r)
			return r;
	}
	if (optind < argc)
		return usage_error(opt_cmd, "unexpected argument '%s'",
				   argv[optind]);
	if (!o->test)
		return usage_error(opt_cmd, "missing --test NAME (e.g. --test "
				   "map_single)");
	if (!*o->test || strlen(o->test) >= DMABENCH_TEST_LEN)
		return usage_error(opt_cmd, "bad --test '%s'", o->test);
	o->iommu = iommu_test(o->test);
	if (!o->iommu && iommu_opt)
		return usage_error(opt_cmd, "%s applies only to IOMMU API "
				   "tests (--test iommu_map)", iommu_opt);
	if (o->iommu) {
		free(o->devs);
		if (parse_device_list(o->device, &o->devs, &o->ndevs, why,
				      sizeof(why)))
			return usage_error(opt_cmd, "bad --device '%s': %s",
					   o->device, why);
		if (o->ndevs == 1) {	/* one name: run.device will do */
			free(o->devs);
			o->devs = NULL;
			o->ndevs = 0;
		}
		if (o->dma_mask_bits)
			return usage_error(opt_cmd, "--dma-mask-bits does not "
					   "apply to %s (use --iova-limit)",
					   o->test);
	} else if (!*o->device || strlen(o->device) >= DMABENCH_NAME_LEN ||
		   strpbrk(o->device, ",+")) {
		return usage_error(opt_cmd, "bad --device '%s'%s", o->device,
				   strpbrk(o->device, ",+") ? ": one device "
				   "(lists are for --test iommu_map)" : "");
	}
	if (seconds && o->iterations)
		return usage_error(opt_cmd, "--seconds and --iterations exclude "
				   "each other");
	if (cpus && node)
		return usage_error(opt_cmd, "--cpus and --node exclude each "
				   "other");
	if (cpus && placement_from_cpus(&o->place, cpus, why, sizeof(why)))
		return usage_error(opt_cmd, "bad --cpus '%s': %s", cpus, why);
	if (node && placement_from_node(&o->place, node, why, sizeof(why)))
		return usage_error(opt_cmd, "bad --node '%s': %s", node, why);
	if (o->iterations)
		o->duration_ns = 0;
	else if (!seconds)
		o->duration_ns = DEFAULT_SECONDS * 1000000000ULL;
	return 0;
}

void run_opts_init(struct run_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->device = CTL_DEFAULT_DEVICE;
	o->dir = DMABENCH_DIR_BIDIR;
	o->format = OUTPUT_TEXT;
	placement_any(&o->place);
}

void run_opts_free(struct run_opts *o)
{
	free(o->sizes);
	free(o->threads);
	o->sizes = o->threads = NULL;
	free(o->devs);
	free(o->scopes);
	free(o->flushes);
	free(o->iova_bits);
	free(o->lives);
	o->devs = NULL;
	o->scopes = NULL;
	o->flushes = NULL;
	o->iova_bits = o->lives = NULL;
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

/* Turn one ioctl result into one row per phase. */
static int add_rows(struct row_list *rows, const struct dmabench_run *run,
		    const uint64_t *hist, const struct ctl_device *dev,
		    const char *platform, unsigned config,
		    const struct dmabench_iommu_run *im, const char *devname)
{
	size_t first = rows->n;

	for (uint32_t p = 0; p < run->nphases && p < DMABENCH_MAX_PHASES; p++) {
		struct result_row *row = row_new(rows);

		if (!row) {
			rows->n = first;
			return -1;
		}
		row->config = config;
		str_copy(row->test, sizeof(row->test), run->test);
		str_copy(row->device, sizeof(row->device),
			 devname ? devname : run->device);
		str_copy(row->dma_ops, sizeof(row->dma_ops),
			 im ? "iommu-api" : dev ? dev->dma_ops : "?");
		str_copy(row->domain_type, sizeof(row->domain_type),
			 im ? "unmanaged" : dev ? dev->domain : "?");
		if (im)
			iommu_row(row, im);
		row->size = run->buf_size;
		row->nents = 1;		/* map_single; sg tests will differ */
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
		str_copy(row->platform, sizeof(row->platform), platform);
	}
	return 0;
}

static void fill_request(struct dmabench_run *run, const struct run_opts *o,
			 uint64_t size, uint64_t threads, uint64_t *hist,
			 size_t hist_bytes)
{
	memset(run, 0, sizeof(*run));
	run->hdr.version = DMABENCH_ABI_VERSION;
	run->hdr.size = sizeof(*run);
	str_copy(run->device, sizeof(run->device), o->device);
	str_copy(run->test, sizeof(run->test), o->test);
	run->dir = o->dir;
	run->buf_size = size;
	run->threads = (uint32_t)threads;
	run->node = o->place.node;
	memcpy(run->cpus, o->place.cpus, sizeof(run->cpus));
	run->duration_ns = o->duration_ns;
	run->iterations = o->iterations;
	run->dma_trans_ns = o->dma_trans_ns;
	run->dma_mask_bits = o->dma_mask_bits;
	memset(hist, 0, hist_bytes);
	run->hist_ptr = (uint64_t)(uintptr_t)hist;
	run->hist_bytes = hist_bytes;
}

/* DMABENCH_IOC_IOMMU_RUN around @run with the first of each IOMMU list. */
static void fill_iommu(struct dmabench_iommu_run *im,
		       const struct dmabench_run *run,
		       const struct run_opts *o, char *devname, size_t len)
{
	memset(im, 0, sizeof(*im));
	im->hdr.version = DMABENCH_ABI_VERSION;
	im->hdr.size = sizeof(*im);
	im->run = *run;
	im->scope = o->scopes ? o->scopes[0] : DMABENCH_SCOPE_DEVICE;
	im->flush = o->flushes ? o->flushes[0].kind : DMABENCH_FLUSH_STRICT;
	im->flush_n = o->flushes ? o->flushes[0].n : 1;
	im->iova_bits = o->iova_bits ? (uint32_t)o->iova_bits[0] : 0;
	im->live = o->lives ? (uint32_t)o->lives[0] : 0;
	im->slow_ns = o->slow_ns;
	im->seed = o->seed;
	im->ndevices = (uint32_t)o->ndevs;
	im->devices_ptr = (uint64_t)(uintptr_t)o->devs;
	/* the rows name the list with '+' (a ',' would need CSV quoting) */
	str_copy(devname, len, o->device);
	for (char *p = devname; *p; p++)
		if (*p == ',')
			*p = '+';
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
	if (!s->hist) {
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
	s->devs = NULL;
	s->hist = NULL;
	perf_close(&s->perf);
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

int run_one(struct run_session *s, const struct run_opts *o, uint64_t size,
	    uint64_t threads, const struct ctl_device *dev,
	    const char *platform, unsigned config, struct row_list *rows,
	    struct dmabench_run *run)
{
	size_t first = rows->n;
	struct dmabench_iommu_run im;
	char devname[DMABENCH_NAME_LEN];
	int err = 0;

	fill_request(run, o, size, threads, s->hist, s->hist_bytes);
	if (o->iommu)
		fill_iommu(&im, run, o, devname, sizeof(devname));
	if (s->perf.nev)
		perf_start(&s->perf);
	if (ioctl(s->fd, o->iommu ? DMABENCH_IOC_IOMMU_RUN : DMABENCH_IOC_RUN,
		  o->iommu ? (void *)&im : (void *)run) < 0)
		err = errno;
	if (s->perf.nev)
		perf_stop(&s->perf);
	if (err)
		return err;
	if (o->iommu)
		*run = im.run;
	if (add_rows(rows, run, s->hist, dev, platform, config,
		     o->iommu ? &im : NULL, o->iommu ? devname : NULL))
		return ENOMEM;
	if (s->perf.nev)
		add_perf(rows, first, &s->perf, run, s->perf_col);
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

int cmd_run(int argc, char **argv)
{
	static uint64_t default_size = 4096, default_threads = 1;
	struct run_opts o;
	struct row_list rows = { 0 };
	const struct ctl_device *dev = NULL;
	struct run_session s = { .fd = -1 };
	struct dmabench_run run;
	struct run_meta meta;
	uint32_t stop_status = DMABENCH_STATUS_DONE;
	unsigned config = 0, measured = 0, nconfigs;
	int ret = EXIT_FAIL, ioctl_err = 0, ok;
	char perf_names[PERF_MAX_EVENTS][48];
	const char *perf_cols[PERF_MAX_EVENTS];
	FILE *out = stdout;
	char why[512];

	memset(&run, 0, sizeof(run));
	run_interrupted = 0;
	run_opts_init(&o);
	ret = run_parse_options("run", argc, argv, &o, 1);
	if (ret) {
		ret = ret < 0 ? EXIT_OK : ret;	/* -1: --help */
		goto out_free_opts;
	}
	ret = EXIT_FAIL;
	if (!o.sizes) {
		o.sizes = &default_size;
		o.nsizes = 1;
	}
	if (!o.threads) {
		o.threads = &default_threads;
		o.nthreads = 1;
	}
	nconfigs = (unsigned)(o.nsizes * o.nthreads);
	if (o.iommu)
		nconfigs *= (unsigned)((o.scopes ? o.nscopes : 1) *
				       (o.flushes ? o.nflushes : 1) *
				       (o.iova_bits ? o.niova_bits : 1) *
				       (o.lives ? o.nlives : 1));

	if (run_session_open(&s))
		goto out_free_opts;
	dev = run_session_lookup(&s, &o, &ok);
	if (!ok)
		goto out_close;
	meta_collect(&meta, argc, argv);
	str_copy(meta.module_version, sizeof(meta.module_version),
		 s.info.module_version);
	str_copy(meta.placement, sizeof(meta.placement), o.place.desc);
	if (o.output) {
		out = fopen(o.output, "w");
		if (!out) {
			ret = usage_error("run", "cannot write --output '%s': "
					  "%s", o.output, strerror(errno));
			goto out_meta;
		}
	}
	if (o.perf) {
		unsigned n = run_perf_setup(&s, &o, 0, perf_names);

		for (unsigned e = 0; e < n; e++)
			perf_cols[e] = perf_names[e];
		output_set_extra(n, perf_cols, NULL);
	}

	run_install_interrupt_handler();
	/*
	 * The cross product, threads varying fastest: size, scope, flush,
	 * iova limit, live, threads.  oc points at one element of each list.
	 */
	for (config = 0; config < nconfigs; config++) {
		struct run_opts oc = o;
		unsigned k = config;
		size_t t = k % o.nthreads;

		k /= (unsigned)o.nthreads;
#define PICK(ptr, n) do {						\
			if (o.ptr) {					\
				oc.ptr = o.ptr + (size_t)k % o.n;	\
				oc.n = 1;				\
				k /= (unsigned)o.n;			\
			}						\
		} while (0)
		PICK(lives, nlives);
		PICK(iova_bits, niova_bits);
		PICK(flushes, nflushes);
		PICK(scopes, nscopes);
#undef PICK
		if (run_interrupted) {
			stop_status = DMABENCH_STATUS_INTERRUPTED;
			break;
		}
		ioctl_err = run_one(&s, &oc, o.sizes[k % o.nsizes],
				    o.threads[t], dev, meta.platform, config,
				    &rows, &run);
		if (ioctl_err)
			break;
		measured++;
		meta.timer_overhead_ns = run.timer_overhead_ps / 1000.0;
		if (run.status != DMABENCH_STATUS_DONE) {
			stop_status = run.status;
			break;
		}
	}

	if (rows.n || !ioctl_err) {
		if (output_write(out, o.format, &meta, rows.v, rows.n)) {
			fail("writing the results failed: %s", strerror(errno));
			ioctl_err = ioctl_err ? ioctl_err : EIO;
		}
	}
	output_set_extra(0, NULL, NULL);
	if (ioctl_err == EINTR) {
		stop_status = DMABENCH_STATUS_INTERRUPTED;
		ioctl_err = 0;
	}
	if (ioctl_err) {
		struct ctl_error_ctx ctx = {
			.device = o.device,
			.test = o.test,
			.dma_mask_bits = o.dma_mask_bits,
			.iommu = o.iommu,
		};

		fail("%s", ctl_ioctl_reason(ioctl_err, &ctx, why, sizeof(why)));
	} else if (stop_status == DMABENCH_STATUS_INTERRUPTED) {
		fprintf(stderr, "note: interrupted: the results cover %u of %u "
			"configurations%s\n", measured, nconfigs,
			run.status == DMABENCH_STATUS_INTERRUPTED ?
			", the last one cut short" : "");
	} else if (stop_status == DMABENCH_STATUS_DEVICE_GONE) {
		fprintf(stderr, "note: %s was unbound during the run: the "
			"results cover only what was measured before\n",
			o.device);
	} else if (stop_status != DMABENCH_STATUS_DONE) {
		fprintf(stderr, "note: the module returned unknown status %u\n",
			stop_status);
	} else {
		ret = EXIT_OK;
	}
	if (out != stdout && fclose(out) && ret == EXIT_OK)
		ret = fail("writing %s failed: %s", o.output, strerror(errno));
out_meta:
	meta_free(&meta);
out_close:
	run_session_close(&s);
out_free_opts:
	free(rows.v);
	if (o.sizes == &default_size)
		o.sizes = NULL;
	if (o.threads == &default_threads)
		o.threads = NULL;
	run_opts_free(&o);
	return ret;
}
