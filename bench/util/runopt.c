// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The run options as one table, and what derives from it: see runopt.h. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/cli.h"
#include "util/ctl.h"
#include "util/domain.h"
#include "util/parse.h"
#include "util/runopt.h"

#define DEFAULT_SECONDS	5
#define DEFAULT_SIZE	4096
/* untimed ops per thread before the timed ones (--warmup) */
#define DEFAULT_WARMUP	100

static const struct opt_name dir_names[] = {
	{ "bidir", DMABENCH_DIR_BIDIR, 0 },
	{ "to", DMABENCH_DIR_TO_DEVICE, 0 },
	{ "from", DMABENCH_DIR_FROM_DEVICE, 0 },
	{ "to-device", DMABENCH_DIR_TO_DEVICE, 1 },
	{ "from-device", DMABENCH_DIR_FROM_DEVICE, 1 },
	{ NULL, 0, 0 },
};

const struct opt_name run_format_names[] = {
	{ "text", OUTPUT_TEXT, 0 },
	{ "csv", OUTPUT_CSV, 0 },
	{ "json", OUTPUT_JSON, 0 },
	{ NULL, 0, 0 },
};

const struct opt_name result_format_names[] = {
	{ "text", OUTPUT_TEXT, 0 },
	{ "csv", OUTPUT_CSV, 0 },
	{ "json", OUTPUT_JSON, 0 },
	{ "ktap", OUTPUT_KTAP, 0 },
	{ NULL, 0, 0 },
};

static const struct opt_name layout_names[] = {
	{ "contiguous", DMABENCH_SG_CONTIGUOUS, 0 },
	{ "scattered", DMABENCH_SG_SCATTERED, 0 },
	{ NULL, 0, 0 },
};

static const struct opt_name coherency_names[] = {
	{ "device", DMABENCH_COHERENCY_DEVICE, 0 },
	{ "coherent", DMABENCH_COHERENCY_COHERENT, 0 },
	{ "noncoherent", DMABENCH_COHERENCY_NONCOHERENT, 0 },
	{ "non-coherent", DMABENCH_COHERENCY_NONCOHERENT, 1 },
	{ NULL, 0, 0 },
};

static const struct opt_name clock_names[] = {
	{ "auto", DMABENCH_CLOCK_AUTO, 0 },
	{ "ktime", DMABENCH_CLOCK_KTIME, 0 },
	{ "raw", DMABENCH_CLOCK_RAW, 0 },
	{ NULL, 0, 0 },
};

static const struct opt_name cache_names[] = {
	{ "hot", DMABENCH_CACHE_HOT, 0 },
	{ "cold", DMABENCH_CACHE_COLD, 0 },
	{ NULL, 0, 0 },
};

static const struct opt_name order_names[] = {
	{ "fifo", DMABENCH_ORDER_FIFO, 0 },
	{ "random", DMABENCH_ORDER_RANDOM, 0 },
	{ NULL, 0, 0 },
};

static const struct opt_name hold_names[] = {
	{ "fixed", DMABENCH_HOLD_FIXED, 0 },
	{ "uniform", DMABENCH_HOLD_UNIFORM, 0 },
	{ "exp", DMABENCH_HOLD_EXPONENTIAL, 0 },
	{ "exponential", DMABENCH_HOLD_EXPONENTIAL, 1 },
	{ NULL, 0, 0 },
};

static const struct opt_name attr_names[] = {
	{ "WRITE_COMBINE", DMABENCH_ATTR_WRITE_COMBINE, 0 },
	{ "NO_KERNEL_MAPPING", DMABENCH_ATTR_NO_KERNEL_MAPPING, 0 },
	{ "FORCE_CONTIGUOUS", DMABENCH_ATTR_FORCE_CONTIGUOUS, 0 },
	{ "ALLOC_SINGLE_PAGES", DMABENCH_ATTR_ALLOC_SINGLE_PAGES, 0 },
	{ NULL, 0, 0 },
};

const char *run_dir_name(unsigned dir)
{
	return opt_name_of(dir_names, dir);
}

const char *run_layout_name(uint32_t layout)
{
	return opt_name_of(layout_names, layout);
}

const char *run_coherency_name(uint32_t coherency)
{
	return opt_name_of(coherency_names, coherency);
}

const char *run_order_name(uint32_t order)
{
	return opt_name_of(order_names, order);
}

const char *run_hold_name(uint32_t hold, uint32_t hold_ns, char *buf,
			  size_t len)
{
	char d[32];

	if (!hold_ns) {
		buf[0] = '\0';
		return buf;
	}
	snprintf(buf, len, "%s:%s", opt_name_of(hold_names, hold),
		 format_duration(hold_ns, d, sizeof(d)));
	return buf;
}

const char *run_size_mix_name(uint32_t n, const __u64 *sizes,
			      const uint32_t *weights, char *buf, size_t len)
{
	size_t l = 0;
	char s[32];

	buf[0] = '\0';
	for (uint32_t i = 0; i < n && l < len; i++) {
		snprintf(buf + l, len - l, "%s%s:%u", i ? "," : "",
			 format_size(sizes[i], s, sizeof(s)), weights[i]);
		l = strlen(buf);
	}
	return buf;
}

const char *run_attrs_name(uint32_t attrs, char *buf, size_t len)
{
	size_t l = 0;

	buf[0] = '\0';
	for (const struct opt_name *n = attr_names; n->name; n++)
		if ((attrs & n->value) && l < len) {
			snprintf(buf + l, len - l, "%s%s", l ? "|" : "",
				 n->name);
			l = strlen(buf);
		}
	return buf;
}

/* ---- callbacks: the options that are no plain value ---- */

static int cb_device(const struct parse_opt *opt, const char *arg,
		     void *base, char *why, size_t len)
{
	struct run_opts *o = base;

	(void)opt;
	(void)why;
	(void)len;
	o->device = arg;
	o->device_given = 1;
	return 0;
}

/* --test LIST: tests[] into a copy of @arg. */
static int cb_tests(const struct parse_opt *opt, const char *arg,
		    void *base, char *why, size_t len)
{
	struct run_opts *o = base;
	char *save = NULL, *t;
	size_t cap = 1;

	(void)opt;
	free(o->tests);
	free(o->tests_buf);
	o->tests = NULL;
	o->ntests = 0;
	for (const char *q = arg; *q; q++)
		cap += *q == ',';
	o->tests_buf = strdup(arg);
	o->tests = calloc(cap, sizeof(*o->tests));
	if (!o->tests_buf || !o->tests)
		return snprintf(why, len, "out of memory"), -1;
	if (!*arg || arg[0] == ',' || strstr(arg, ",,") ||
	    arg[strlen(arg) - 1] == ',')
		return snprintf(why, len, "bad --test '%s'%s", arg,
				*arg ? ": an empty name" : ""), -1;
	for (t = strtok_r(o->tests_buf, ",", &save); t;
	     t = strtok_r(NULL, ",", &save)) {
		if (strlen(t) >= DMABENCH_TEST_LEN)
			return snprintf(why, len, "bad --test '%s'", t), -1;
		for (size_t i = 0; i < o->ntests; i++)
			if (!strcmp(o->tests[i], t))
				return snprintf(why, len, "--test names %s "
						"twice", t), -1;
		o->tests[o->ntests++] = t;
	}
	o->test = o->tests[0];
	return 0;
}

/* One set: NAME[+NAME...] ('|' too, DMA_ATTR_ prefix allowed), "none". */
static int one_attrs(const char *s, size_t n, uint32_t *v, char *why,
		     size_t wl, const void *ctx)
{
	(void)ctx;
	*v = 0;
	if (n == 4 && !strncasecmp(s, "none", 4))
		return 0;
	while (n) {
		size_t l = strcspn(s, "+|"), skip = 0;
		const struct opt_name *a;

		if (l > n)
			l = n;
		if (l > 9 && !strncasecmp(s, "DMA_ATTR_", 9))
			skip = 9;
		for (a = attr_names; a->name; a++)
			if (strlen(a->name) == l - skip &&
			    !strncasecmp(s + skip, a->name, l - skip))
				break;
		if (!l || !a->name)
			return snprintf(why, wl, "unknown attribute '%.*s' "
					"(use WRITE_COMBINE, NO_KERNEL_MAPPING, "
					"FORCE_CONTIGUOUS, ALLOC_SINGLE_PAGES "
					"joined by '+')", (int)l, s), -1;
		*v |= a->value;
		if (l == n)
			break;
		s += l + 1;
		n -= l + 1;
		if (!n)
			return snprintf(why, wl, "a '+' or '|' with nothing "
					"after it"), -1;
	}
	if ((*v & DMABENCH_ATTR_FORCE_CONTIGUOUS) &&
	    (*v & DMABENCH_ATTR_ALLOC_SINGLE_PAGES))
		return snprintf(why, wl, "FORCE_CONTIGUOUS and "
				"ALLOC_SINGLE_PAGES exclude each other"), -1;
	return 0;
}

static int cb_attrs(const struct parse_opt *opt, const char *arg,
		    void *base, char *why, size_t len)
{
	struct run_opts *o = base;

	return parse_opt_items(opt, arg, one_attrs, NULL, &o->attrs,
			       &o->nattrs, why, len);
}

static int cb_flush(const struct parse_opt *opt, const char *arg,
		    void *base, char *why, size_t len)
{
	struct run_opts *o = base;
	char sub[200];

	free(o->flushes);
	if (!parse_flush_list(arg, &o->flushes, &o->nflushes, sub,
			      sizeof(sub)))
		return 0;
	snprintf(why, len, "bad --%s %s", opt->long_name, sub);
	return -1;
}

/* --hold DIST: fixed|uniform|exp ':' a mean duration (bare number: ns). */
static int cb_hold(const struct parse_opt *opt, const char *arg,
		   void *base, char *why, size_t len)
{
	struct run_opts *o = base;
	const char *colon = strchr(arg, ':');
	enum parse_result pr;
	uint64_t ns;
	uint32_t kind;

	if (!colon || opt_name_value(hold_names, arg, (size_t)(colon - arg),
				     &kind))
		return snprintf(why, len, "bad --%s '%s': want fixed:T, "
				"uniform:T (0..2T) or exp:T (mean T), e.g. "
				"exp:5us", opt->long_name, arg), -1;
	pr = parse_duration(colon + 1, 1, &ns);
	if (!pr && ns > 1000000000ULL)
		pr = PARSE_RANGE;
	if (pr)
		return snprintf(why, len, "bad --%s '%s': %s", opt->long_name,
				arg, pr == PARSE_RANGE ? "the mean must be "
				"1ns..1s" : parse_strerror(pr)), -1;
	o->hold = kind;
	o->hold_ns = (uint32_t)ns;
	return 0;
}

/* --pairs P:C: P mapper threads hand their mappings to C unmappers. */
static int cb_pairs(const struct parse_opt *opt, const char *arg,
		    void *base, char *why, size_t len)
{
	struct run_opts *o = base;
	const char *colon = strchr(arg, ':');
	uint64_t p = 0, c = 0;
	char pbuf[24];

	if (colon && (size_t)(colon - arg) < sizeof(pbuf)) {
		memcpy(pbuf, arg, (size_t)(colon - arg));
		pbuf[colon - arg] = '\0';
	}
	if (!colon || (size_t)(colon - arg) >= sizeof(pbuf) ||
	    parse_u64(pbuf, &p) || parse_u64(colon + 1, &c) || !p || !c ||
	    p + c > DMABENCH_MAX_THREADS)
		return snprintf(why, len, "bad --%s '%s': want MAPPERS:"
				"UNMAPPERS, each at least 1, together at most "
				"%u threads, e.g. 2:2", opt->long_name, arg,
				DMABENCH_MAX_THREADS), -1;
	o->map_threads = (uint32_t)p;
	o->unmap_threads = (uint32_t)c;
	return 0;
}

/* --size-mix SIZE:WEIGHT,...: at most DMABENCH_MAX_SIZES classes. */
static int cb_size_mix(const struct parse_opt *opt, const char *arg,
		       void *base, char *why, size_t len)
{
	struct run_opts *o = base;
	char *copy = strdup(arg), *save = NULL, *item;
	struct run_size_mix m = { .n = 0 };
	int r = 0;

	if (!copy)
		return snprintf(why, len, "out of memory"), -1;
	if (!*arg || arg[0] == ',' || strstr(arg, ",,") ||
	    arg[strlen(arg) - 1] == ',')
		r = snprintf(why, len, "bad --%s '%s': want SIZE:WEIGHT,... "
			     "e.g. 4K:70,64K:25,1M:5", opt->long_name, arg);
	for (item = r ? NULL : strtok_r(copy, ",", &save); item && !r;
	     item = strtok_r(NULL, ",", &save)) {
		char *colon = strchr(item, ':');
		uint64_t size, w;
		enum parse_result pr;

		if (m.n == DMABENCH_MAX_SIZES) {
			r = snprintf(why, len, "bad --%s '%s': at most %u "
				     "size classes", opt->long_name, arg,
				     DMABENCH_MAX_SIZES);
			break;
		}
		if (!colon) {
			r = snprintf(why, len, "bad --%s '%s': '%s' has no "
				     ":WEIGHT (e.g. 4K:70)", opt->long_name,
				     arg, item);
			break;
		}
		*colon = '\0';
		pr = parse_size(item, &size);
		if (!pr && size > DMABENCH_MAX_SIZE)
			pr = PARSE_RANGE;
		if (pr) {
			r = snprintf(why, len, "bad --%s '%s': size '%s': %s",
				     opt->long_name, arg, item,
				     pr == PARSE_RANGE ? "above 64M" :
				     parse_strerror(pr));
			break;
		}
		if (parse_u64(colon + 1, &w) || !w || w > UINT32_MAX) {
			r = snprintf(why, len, "bad --%s '%s': weight '%s' of "
				     "%s: a whole number 1..%u",
				     opt->long_name, arg, colon + 1, item,
				     UINT32_MAX);
			break;
		}
		for (uint32_t i = 0; i < m.n; i++)
			if (m.sizes[i] == size)
				r = snprintf(why, len, "bad --%s '%s': size %s "
					     "given twice", opt->long_name,
					     arg, item);
		m.sizes[m.n] = size;
		m.weights[m.n++] = (uint32_t)w;
	}
	free(copy);
	if (r)
		return -1;
	o->mix = m;
	return 0;
}

/* A footprint: a size, or 0 (none: the baseline of a sweep). */
static enum parse_result parse_footprint(const char *s, uint64_t *out)
{
	if (!strcmp(s, "0")) {
		*out = 0;
		return PARSE_OK;
	}
	return parse_size(s, out);
}

/* --footprint LIST: sizes up to DMABENCH_MAX_FOOTPRINT, 0 allowed. */
static int cb_footprints(const struct parse_opt *opt, const char *arg,
			 void *base, char *why, size_t len)
{
	struct run_opts *o = base;
	enum parse_result pr;
	const char *bad;
	size_t badlen;

	free(o->footprints);
	o->footprints = NULL;
	pr = parse_list(arg, parse_footprint, 0, DMABENCH_MAX_FOOTPRINT,
			&o->footprints, &o->nfootprints, &bad, &badlen);
	if (!pr)
		return 0;
	return snprintf(why, len, "bad --%s '%.*s': %s", opt->long_name,
			(int)badlen, bad, pr == PARSE_RANGE ?
			"must be 0..4G" : parse_strerror(pr)), -1;
}

/* --interval T: aging slices (bare number: seconds). */
static int cb_interval(const struct parse_opt *opt, const char *arg,
		       void *base, char *why, size_t len)
{
	struct run_opts *o = base;
	enum parse_result pr = parse_duration(arg, 1000000000ULL,
					      &o->interval_ns);

	if (!pr && o->interval_ns < 100000000ULL)
		pr = PARSE_RANGE;
	if (pr)
		return snprintf(why, len, "bad --%s '%s': %s", opt->long_name,
				arg, pr == PARSE_RANGE ? "at least 0.1s" :
				parse_strerror(pr)), -1;
	return 0;
}

/* ---- the table ---- */

#define RO(f)		OPT__FIELD(struct run_opts, f)
#define ROL(f, n)	OPT__LIST(struct run_opts, f, n)
/* where the value (a list: its element of the configuration) goes */
#define REQ(f)		.dest = offsetof(struct dmabench_iommu_run, f), \
			.dest_width = sizeof(((struct dmabench_iommu_run *)0) \
					     ->f)
#define FIELD(x)	.field = DMABENCH_FIELD_##x
#define U32MAX		UINT32_MAX

/*
 * Help order.  .axis: rank in the cross product, outermost first (the
 * domain switches least often, threads vary fastest).
 */
const struct parse_opt run_options[] = {
	{ OPTION_CALLBACK, 'd', "device", RO(device), .callback = cb_device,
	  .argh = "DEV", .help = "device bound to dmabench (default "
	  CTL_DEFAULT_DEVICE ",\nthe module's own dma-direct device); "
	  "IOMMU API tests:\n'all' (every device bound to dmabench behind "
	  "an\nIOMMU) or names separated by ',' or '+'" },
	{ OPTION_CALLBACK, 't', "test", ROL(tests, ntests), .axis = 2,
	  .callback = cb_tests, .argh = "LIST", .help = "tests to run, e.g. "
	  "map_single or map_single,map_sg" },
	{ OPTION_SIZE_LIST, 's', "size", ROL(sizes, nsizes), .axis = 3,
	  .min = 1, .max = DMABENCH_MAX_SIZE, .argh = "LIST",
	  .help = "buffer sizes, K/M/G suffixes (default 4K)" },
	{ OPTION_ENUM, 0, "dir", RO(dir), .names = dir_names, REQ(run.dir),
	  .argh = "DIR", .help = "bidir | to | from (default bidir)" },
	{ OPTION_UINT_LIST, 'T', "threads", ROL(threads, nthreads),
	  .axis = 99, .min = 1, .max = DMABENCH_MAX_THREADS, .argh = "LIST",
	  .help = "thread counts (default 1)" },
	{ OPTION_STRING, 'c', "cpus", RO(cpus), .argh = "LIST",
	  .flags = PARSE_OPT_ONE_VALUE,
	  .help = "run threads on these CPUs, e.g. 0-3,8" },
	{ OPTION_STRING, 'n', "node", RO(node), .argh = "N",
	  .help = "run threads and buffers on NUMA node N" },
	{ OPTION_SECONDS, 'S', "seconds", RO(duration_ns), REQ(run.duration_ns),
	  .argh = "S", .help = "run time per configuration (default 5)" },
	{ OPTION_UINT, 'i', "iterations", RO(iterations), .min = 1,
	  .max = UINT64_MAX, REQ(run.iterations), .argh = "N",
	  .help = "... or this many operations per thread" },
	{ OPTION_UINT, 0, "dma-trans-ns", RO(dma_trans_ns), .max = U32MAX,
	  REQ(run.dma_trans_ns), FIELD(DMA_TRANS), .argh = "NS",
	  .help = "simulated transfer time between map/unmap" },
	{ OPTION_UINT, 0, "dma-mask-bits", RO(dma_mask_bits), .min = 1,
	  .max = 64, REQ(run.dma_mask_bits), .argh = "B",
	  .help = "set the device's DMA mask for the run" },
	{ OPTION_UINT, 0, "batch", RO(batch), .min = 1,
	  .max = DMABENCH_MAX_BATCH, REQ(run.batch), FIELD(BATCH),
	  .argh = "N", .help = "time N ops of a phase between two clock "
	  "reads\n(1: every op on its own, as dma_map_benchmark;\ndefault: "
	  "the fewest that keep the clock under\n2 % of a batch)" },
	{ OPTION_ENUM, 0, "clock", RO(clock), .names = clock_names,
	  REQ(run.clock), .argh = "CLK", .help = "auto | ktime | raw (TSC, "
	  "arm64 arch counter);\ndefault auto: raw where constant, else "
	  "ktime" },
	{ OPTION_UINT, 0, "warmup", RO(warmup), .max = 10000000,
	  REQ(run.warmup), .argh = "N", .help = "untimed ops per thread "
	  "before the timed ones\n(default 100)" },
	{ OPTION_ENUM, 0, "cache", RO(cache), .names = cache_names,
	  REQ(run.cache), FIELD(CACHE), .argh = "STATE", .help = "hot | "
	  "cold: cold evicts the buffers from the\nCPU caches before each "
	  "timed phase, untimed\n(never the IOMMU page tables; default hot)" },
	{ OPTION_ENUM, 'f', "format", RO(format), .names = result_format_names,
	  .flags = PARSE_OPT_NOJOB | PARSE_OPT_OUTPUT, .argh = "FMT",
	  .help = "text | csv | json | ktap (default text)" },
	{ OPTION_STRING, 'o', "output", RO(output),
	  .flags = PARSE_OPT_NOJOB | PARSE_OPT_OUTPUT, .argh = "FILE",
	  .help = "write the results to FILE" },
	{ OPTION_FLAG, 0, "perf", RO(perf), .help = "count cycles, "
	  "instructions, cache misses and\nIOMMU PMU events per operation "
	  "(perf_event_open)" },
	OPT_TEXT("\nDMA-API tests (map_single, map_sg, sync, alloc, "
		 "alloc_noncoherent,\nalloc_pages, alloc_noncontiguous; the "
		 "module's tests file lists what\nthis kernel has and which "
		 "options each test takes):\n"),
	{ OPTION_UINT_LIST, 0, "nents", ROL(nents, nnents), .axis = 4,
	  .min = 1, .max = DMABENCH_MAX_NENTS, FIELD(NENTS), .argh = "LIST",
	  .help = "map_sg: scatterlist entries, 1..1024 (default\n1); --size "
	  "is the total, split into nents\nentries: --test map_sg --nents 16 "
	  "--size 64K" },
	{ OPTION_SIZE_LIST, 0, "seg-size", ROL(seg_sizes, nseg_sizes),
	  .axis = 5, .min = 1, .max = DMABENCH_MAX_SIZE, FIELD(SEG_SIZE),
	  .argh = "LIST", .help = "map_sg: bytes per entry instead (total = "
	  "nents\nx seg-size): --nents 8 --seg-size 4K" },
	{ OPTION_ENUM_LIST, 0, "layout", ROL(layouts, nlayouts), .axis = 6,
	  .names = layout_names, REQ(run.sg_layout), FIELD(SG_LAYOUT),
	  .argh = "LIST", .help = "map_sg: contiguous (one buffer cut up) |\n"
	  "scattered (pages apart): --layout scattered" },
	{ OPTION_CALLBACK, 0, "attrs", ROL(attrs, nattrs), .axis = 7,
	  .callback = cb_attrs, REQ(run.attrs), FIELD(ATTRS), .argh = "LIST",
	  .help = "alloc: DMA attributes WRITE_COMBINE,\nNO_KERNEL_MAPPING, "
	  "FORCE_CONTIGUOUS,\nALLOC_SINGLE_PAGES (any case), joined by '+'\n"
	  "or '|'; a comma list sweeps over sets:\n--attrs WRITE_COMBINE,"
	  "WRITE_COMBINE+NO_KERNEL_MAPPING" },
	{ OPTION_ENUM_LIST, 0, "coherency", ROL(coherencies, ncoherencies),
	  .axis = 8, .names = coherency_names, REQ(run.coherency),
	  FIELD(COHERENCY), .argh = "LIST", .help = "device (as set up) | "
	  "coherent | noncoherent:\nforce the device's DMA coherency for the "
	  "run\n(arm64; x86 refuses): --coherency noncoherent" },
	{ OPTION_UINT_LIST, 0, "align", ROL(aligns, naligns), .axis = 9,
	  .max = 4095, REQ(run.align), FIELD(ALIGN), .argh = "LIST",
	  .help = "map_single, map_sg: byte offset of the buffer\n(of every "
	  "entry) in its page, 0..4095 (below\nthe page size): the IOMMU maps "
	  "one page more\nwhen it crosses one: --align 0,2048" },
	{ OPTION_FLAG, 0, "bounce", RO(bounce), FIELD(BOUNCE),
	  .help = "map_single, map_sg, sync on dmabench.0 with a\nsmall DMA "
	  "mask so swiotlb bounces every mapping\n(implies --device "
	  "dmabench.0): --bounce" },
	{ OPTION_ENUM_LIST, 0, "domain", ROL(domains, ndomains), .axis = 1,
	  .names = domain_names, .field = RUNOPT_FIELD_DMA_API,
	  .argh = "LIST", .help = "current | identity | dma | dma-fq: switch "
	  "the\ndevice's IOMMU group default domain for the\nrun (unbind, "
	  "write, rebind) and restore it\nafter: --domain identity,dma,dma-fq" },
	OPT_TEXT("\nTraffic shapes (DMA-API tests whose fields= in the tests "
		 "file take\nthem; none given: one mapping per thread, mapped "
		 "and unmapped in turn):\n"),
	{ OPTION_UINT_LIST, 0, "depth", ROL(depths, ndepths), .axis = 15,
	  .min = 1, .max = DMABENCH_MAX_DEPTH, FIELD(SHAPE), .argh = "LIST",
	  .help = "mappings outstanding per thread (a ring),\n1..4096: "
	  "--depth 1,32,256" },
	{ OPTION_ENUM, 0, "order", RO(order), .names = order_names,
	  FIELD(SHAPE), .argh = "ORDER", .help = "the outstanding mapping "
	  "unmapped next: fifo\n(the oldest, default) | random" },
	{ OPTION_CALLBACK, 0, "hold", RO(hold), .callback = cb_hold,
	  FIELD(SHAPE), .argh = "DIST", .help = "time between map and unmap: "
	  "fixed:T |\nuniform:T (0..2T) | exp:T (mean T); T 1ns..1s\nin "
	  "ns/us/ms/s: --hold exp:5us" },
	{ OPTION_CALLBACK, 0, "pairs", RO(map_threads), .callback = cb_pairs,
	  FIELD(SHAPE), .argh = "P:C", .help = "P mapper threads hand their "
	  "mappings over a\nring to C unmapper threads (threads = P + C;\n"
	  "with --cpus the mappers take the first CPUs)" },
	{ OPTION_STRING, 0, "map-cpus", RO(map_cpus), FIELD(SHAPE),
	  .flags = PARSE_OPT_ONE_VALUE, .argh = "LIST",
	  .help = "--pairs: the P mappers' CPUs, one each" },
	{ OPTION_STRING, 0, "unmap-cpus", RO(unmap_cpus), FIELD(SHAPE),
	  .flags = PARSE_OPT_ONE_VALUE, .argh = "LIST",
	  .help = "--pairs: the C unmappers' CPUs, one each, all\n"
	  "above the mappers' (threads take CPUs in order)" },
	{ OPTION_CALLBACK, 0, "footprint", ROL(footprints, nfootprints),
	  .axis = 14, .callback = cb_footprints, FIELD(SHAPE), .argh = "LIST",
	  .help = "bytes kept mapped (untimed) while the timed ops\nrun, "
	  "0..4G: --footprint 0,1G" },
	{ OPTION_CALLBACK, 0, "size-mix", RO(mix), .callback = cb_size_mix,
	  FIELD(SIZE_MIX), .flags = PARSE_OPT_ONE_VALUE,
	  .argh = "MIX", .help = "draw each op's size by "
	  "weight, at most 8\nclasses; rows per class and in total (instead\n"
	  "of --size): --size-mix 4K:70,64K:25,1M:5" },
	{ OPTION_CALLBACK, 0, "interval", RO(interval_ns),
	  .callback = cb_interval, .argh = "T", .help = "aging: --seconds as "
	  "consecutive runs of T\n(bare: s; ns/us/ms/s/m/h), one row set "
	  "each:\n--seconds 3600 --interval 10s" },
	OPT_TEXT("\nIn a --test list each test runs over the lists that apply "
		 "to it (e.g.\n--nents only for map_sg); an option that applies "
		 "to none of the tests\nis an error.  --domain is the outermost "
		 "loop: the group is switched\nonce per domain type and put "
		 "back at the end (also on error or\nCtrl-C).\n\n"
		 "IOMMU API tests (--test iommu_map; phases iova_alloc, map, "
		 "unmap,\ninvalidate, iova_free):\n"),
	{ OPTION_ENUM_LIST, 0, "scope", ROL(scopes, nscopes), .axis = 10,
	  .names = iommu_scope_names, REQ(scope), FIELD(IOMMU), .argh = "LIST",
	  .help = "per-device (a domain + IOVA allocator each) |\nper-instance "
	  "(one shared per IOMMU instance)" },
	{ OPTION_CALLBACK, 0, "flush", ROL(flushes, nflushes), .axis = 11,
	  .callback = cb_flush, FIELD(IOMMU), .argh = "LIST",
	  .help = "strict (invalidate every buffer) | batch:N (one\niotlb sync "
	  "per N) | all[:N] (flush the whole\nIOTLB per N buffers; N 1..65536, "
	  "default 32)" },
	{ OPTION_UINT_LIST, 0, "iova-limit", ROL(iova_bits, niova_bits),
	  .axis = 12, .min = 32, .max = 64, REQ(iova_bits), FIELD(IOMMU),
	  .argh = "LIST", .help = "IOVA space bits, 32..64 (default 48)" },
	{ OPTION_UINT_LIST, 0, "live", ROL(lives, nlives), .axis = 13,
	  .min = 1, .max = DMABENCH_MAX_LIVE, REQ(live), FIELD(IOMMU),
	  .argh = "LIST", .help = "mappings held per thread, freed in random\n"
	  "order (1..65536, default 1)" },
	{ OPTION_UINT, 0, "slow-ns", RO(slow_ns), .min = 1, .max = U32MAX,
	  REQ(slow_ns), FIELD(IOMMU), .argh = "NS", .help = "iova_alloc slower "
	  "than NS counts as slow (rcache\nmiss indicator; default: 8 x the "
	  "fastest)" },
	{ OPTION_UINT, 0, "seed", RO(seed), .max = UINT64_MAX, REQ(seed),
	  .field = DMABENCH_FIELD_IOMMU | DMABENCH_FIELD_SHAPE, .argh = "N",
	  .help = "seed of the random free order (iommu_map) and\n"
	  "of the shapes' order, hold and size draws\n(default fixed)" },
	OPT_END(),
};

static const char run_usage[] =
	"usage: dmabench run --test NAME [options]\n\n";

/* After the options: which of them are lists that sweep (the axes). */
static void run_help_tail(FILE *f)
{
	char text[1024];
	size_t l = 0, col = 0;

	l += (size_t)snprintf(text, sizeof(text), "Comma lists (");
	for (const struct parse_opt *opt = run_options;
	     opt->type != OPTION_END && l < sizeof(text); opt++)
		if (opt->axis)
			l += (size_t)snprintf(text + l, sizeof(text) - l,
					      "%s--%s", l > 13 ? ", " : "",
					      opt->long_name);
	if (l < sizeof(text))
		snprintf(text + l, sizeof(text) - l, ") run every combination, "
			 "all rows in one output.  Ctrl-C stops the run; the "
			 "results so far are printed.");
	fputc('\n', f);
	for (const char *p = text; *p;) {	/* words, 72 columns */
		size_t w = strcspn(p, " ");

		if (col && col + 1 + w > 72) {
			fputc('\n', f);
			col = 0;
		} else if (col) {
			fputc(' ', f);
			col++;
		}
		col += (size_t)fprintf(f, "%.*s", (int)w, p);
		p += w + (p[w] == ' ');
	}
	fputc('\n', f);
}

/* ---- derived: applies, job keys ---- */

int runopt_applies(const struct parse_opt *opt, uint32_t fields)
{
	if (!opt->field)
		return 1;
	if (opt->field == RUNOPT_FIELD_DMA_API)
		return !(fields & DMABENCH_FIELD_IOMMU);
	return !!(fields & opt->field);
}

const struct parse_opt *runopt_job_key(const char *key)
{
	const struct parse_opt *opt = parse_options_find(run_options, key);

	return opt && !(opt->flags & PARSE_OPT_NOJOB) ? opt : NULL;
}

void run_opts_init(struct run_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->device = CTL_DEFAULT_DEVICE;
	o->dir = DMABENCH_DIR_BIDIR;
	o->format = OUTPUT_TEXT;
	o->warmup = DEFAULT_WARMUP;
	placement_any(&o->place);
}

void run_opts_free(struct run_opts *o)
{
	parse_options_free(run_options, o);
	free(o->tests_buf);
	free(o->fields);
	free(o->devs);
	o->tests_buf = NULL;
	o->fields = NULL;
	o->devs = NULL;
}

/* ---- run_parse_options: the table, then the checks across options ---- */

#define NRUNOPT	64	/* > entries of run_options */
_Static_assert(sizeof(run_options) / sizeof(run_options[0]) <= NRUNOPT,
	       "run_options outgrew given[]: raise NRUNOPT");

/* The fields of every --test from the module's tests file. */
static int tests_fields(const char *cmd, struct run_opts *o,
			const struct ctl_tests *ct)
{
	free(o->fields);
	o->fields = calloc(o->ntests, sizeof(*o->fields));
	if (!o->fields)
		return usage_error(cmd, "out of memory");
	o->nfields = o->ntests;
	for (size_t t = 0; t < o->ntests; t++)
		o->fields[t] = ctl_test_fields(ct, o->tests[t]);
	o->test_fields = o->fields[0];
	o->iommu = !!(o->test_fields & DMABENCH_FIELD_IOMMU);
	for (size_t t = 1; t < o->ntests; t++)
		if (!!(o->fields[t] & DMABENCH_FIELD_IOMMU) != o->iommu)
			return usage_error(cmd, "IOMMU API tests (%s) and "
					   "DMA-API tests cannot share one "
					   "--test list: run them separately",
					   o->iommu ? o->test : o->tests[t]);
	return 0;
}

/* Every option given applies to one of the tests at least. */
static int check_applies(const char *cmd, const struct run_opts *o,
			 const unsigned char *given,
			 const struct ctl_tests *ct)
{
	char names[256];

	for (size_t i = 0; run_options[i].type != OPTION_END; i++) {
		const struct parse_opt *opt = &run_options[i];
		int some = 0;

		if (!given[i] || !opt->field)
			continue;
		for (size_t t = 0; t < o->ntests && !some; t++)
			some = runopt_applies(opt, o->fields[t]);
		if (some)
			continue;
		if (opt->field == RUNOPT_FIELD_DMA_API ||
		    (opt->field != DMABENCH_FIELD_IOMMU && o->iommu))
			return usage_error(cmd, "--%s does not apply to IOMMU "
					   "API tests (%s)", opt->long_name,
					   o->test);
		ctl_tests_taking(ct, opt->field, false, names, sizeof(names));
		if (opt->field == DMABENCH_FIELD_IOMMU && !names[0])
			return usage_error(cmd, "--%s applies only to IOMMU "
					   "API tests; the loaded dmabench.ko "
					   "has none (see dmabench list)",
					   opt->long_name);
		if (opt->field == DMABENCH_FIELD_IOMMU)
			return usage_error(cmd, "--%s applies only to IOMMU "
					   "API tests (--test %s)",
					   opt->long_name, names);
		if (!names[0])
			return usage_error(cmd, "--%s applies to no test of "
					   "the loaded dmabench.ko",
					   opt->long_name);
		return usage_error(cmd, "--%s applies only to --test %s",
				   opt->long_name, names);
	}
	return 0;
}

static int check_bounce(const char *cmd, const struct run_opts *o)
{
	if (!o->bounce)
		return 0;
	if (o->device_given && strcmp(o->device, CTL_DEFAULT_DEVICE))
		return usage_error(cmd, "--bounce runs on the module's own "
				   "device " CTL_DEFAULT_DEVICE " (it lowers its "
				   "DMA mask), not on %s: drop --device",
				   o->device);
	for (size_t d = 0; d < o->ndomains; d++)
		if (o->domains[d] != DOMAIN_CURRENT)
			return usage_error(cmd, "--domain needs a device behind "
					   "an IOMMU; --bounce runs on "
					   CTL_DEFAULT_DEVICE " (no IOMMU)");
	return 0;
}

/* map_sg: --size is the total of nents entries, --seg-size one entry. */
static int check_sg(const char *cmd, const struct run_opts *o,
		    int sizes_given)
{
	int sg = 0, only_sg = 1;
	char a[32], b[32];

	for (size_t t = 0; t < o->ntests; t++) {
		int takes = !!(o->fields[t] & DMABENCH_FIELD_SEG_SIZE);

		sg |= takes;
		only_sg &= takes;
	}
	if (!sg)
		return 0;
	if (only_sg && o->seg_sizes && sizes_given)
		return usage_error(cmd, "map_sg: give --size (the total) or "
				   "--seg-size (per entry), not both");
	for (size_t n = 0; n < (o->nents ? o->nnents : 1); n++) {
		uint64_t ne = o->nents ? o->nents[n] : 1;

		for (size_t k = 0; o->seg_sizes && k < o->nseg_sizes; k++)
			if (o->seg_sizes[k] > DMABENCH_MAX_SIZE / ne)
				return usage_error(cmd, "map_sg: %llu x "
						   "--seg-size %s is above %s",
						   (unsigned long long)ne,
						   format_size(o->seg_sizes[k],
							       a, sizeof(a)),
						   format_size(DMABENCH_MAX_SIZE,
							       b, sizeof(b)));
		for (size_t k = 0; !o->seg_sizes && sizes_given &&
		     k < o->nsizes; k++)
			if (o->sizes[k] < ne)
				return usage_error(cmd, "map_sg: --size %s is "
						   "less than --nents %llu bytes "
						   "(the size is the total of "
						   "all entries)",
						   format_size(o->sizes[k], a,
							       sizeof(a)),
						   (unsigned long long)ne);
	}
	return 0;
}

static int check_device(const char *cmd, struct run_opts *o)
{
	char why[160];

	if (!o->iommu) {
		if (!*o->device || strlen(o->device) >= DMABENCH_NAME_LEN ||
		    strpbrk(o->device, ",+"))
			return usage_error(cmd, "bad --device '%s'%s",
					   o->device, strpbrk(o->device, ",+") ?
					   ": one device (lists are for "
					   "IOMMU API tests)" : "");
		return 0;
	}
	free(o->devs);
	o->devs = NULL;
	if (parse_device_list(o->device, &o->devs, &o->ndevs, why,
			      sizeof(why)))
		return usage_error(cmd, "bad --device '%s': %s", o->device,
				   why);
	if (o->ndevs == 1) {	/* one name: run.device will do */
		free(o->devs);
		o->devs = NULL;
		o->ndevs = 0;
	}
	if (o->dma_mask_bits)
		return usage_error(cmd, "--dma-mask-bits does not apply to %s "
				   "(use --iova-limit)", o->test);
	return 0;
}

static int check_placement(const char *cmd, struct run_opts *o,
			   int seconds_given)
{
	char why[160];

	if (seconds_given && o->iterations)
		return usage_error(cmd, "--seconds and --iterations exclude "
				   "each other");
	if (o->cpus && o->node)
		return usage_error(cmd, "--cpus and --node exclude each other");
	if (o->cpus && placement_from_cpus(&o->place, o->cpus, why,
					   sizeof(why)))
		return usage_error(cmd, "bad --cpus '%s': %s", o->cpus, why);
	if (o->node && placement_from_node(&o->place, o->node, why,
					   sizeof(why)))
		return usage_error(cmd, "bad --node '%s': %s", o->node, why);
	if (o->iterations)
		o->duration_ns = 0;
	else if (!seconds_given)
		o->duration_ns = DEFAULT_SECONDS * 1000000000ULL;
	return 0;
}

/* --size and --threads default to 4K and 1: one-element lists. */
static int default_lists(const char *cmd, struct run_opts *o)
{
	if (!o->sizes) {
		o->sizes = malloc(sizeof(*o->sizes));
		if (o->sizes)
			o->sizes[0] = DEFAULT_SIZE;
		o->nsizes = 1;
	}
	if (!o->threads) {
		o->threads = malloc(sizeof(*o->threads));
		if (o->threads)
			o->threads[0] = 1;
		o->nthreads = 1;
	}
	if (!o->sizes || !o->threads)
		return usage_error(cmd, "out of memory");
	return 0;
}

static size_t option_index(const char *long_name)
{
	return (size_t)(parse_options_find(run_options, long_name) -
			run_options);
}

/* The CPU of the lowest (@low) or highest set bit of @p. */
static int placement_edge(const struct placement *p, int low)
{
	int found = -1;

	for (int c = 0; c < DMABENCH_MAX_CPUS; c++)
		if ((p->cpus[c / 64] >> (c % 64)) & 1) {
			if (low)
				return c;
			found = c;
		}
	return found;
}

/*
 * --map-cpus/--unmap-cpus into the placement: the module puts thread i
 * on the i-th CPU of the set, so one CPU per thread, mappers' below.
 */
static int pair_cpus(const char *cmd, struct run_opts *o)
{
	struct placement m, u;
	char why[160];

	if (!o->map_cpus && !o->unmap_cpus)
		return 0;
	if (!o->map_threads)
		return usage_error(cmd, "--map-cpus and --unmap-cpus need "
				   "--pairs P:C");
	if (!o->map_cpus || !o->unmap_cpus)
		return usage_error(cmd, "give both --map-cpus and --unmap-cpus "
				   "(or --cpus for all threads)");
	if (o->cpus || o->node)
		return usage_error(cmd, "--map-cpus/--unmap-cpus exclude "
				   "--cpus and --node");
	if (placement_from_cpus(&m, o->map_cpus, why, sizeof(why)))
		return usage_error(cmd, "bad --map-cpus '%s': %s", o->map_cpus,
				   why);
	if (placement_from_cpus(&u, o->unmap_cpus, why, sizeof(why)))
		return usage_error(cmd, "bad --unmap-cpus '%s': %s",
				   o->unmap_cpus, why);
	if (m.ncpus != o->map_threads || u.ncpus != o->unmap_threads)
		return usage_error(cmd, "--pairs %u:%u wants %u --map-cpus and "
				   "%u --unmap-cpus (one per thread), not "
				   "%u and %u", o->map_threads,
				   o->unmap_threads, o->map_threads,
				   o->unmap_threads, m.ncpus, u.ncpus);
	if (placement_edge(&m, 0) >= placement_edge(&u, 1))
		return usage_error(cmd, "--map-cpus must all be below "
				   "--unmap-cpus (the module gives threads "
				   "the CPUs in ascending order, mappers "
				   "first)");
	o->place = m;
	for (int w = 0; w < PLACEMENT_WORDS; w++)
		o->place.cpus[w] |= u.cpus[w];
	o->place.ncpus = m.ncpus + u.ncpus;
	snprintf(o->place.desc, sizeof(o->place.desc), "map cpus %.60s, "
		 "unmap cpus %.60s", o->map_cpus, o->unmap_cpus);
	return 0;
}

/* The shapes, aging: what one option cannot check alone. */
static int check_shape(const char *cmd, struct run_opts *o,
		       const unsigned char *given)
{
	char a[32], b[32];
	const uint32_t hold_fields = DMABENCH_FIELD_SHAPE |
				     DMABENCH_FIELD_DMA_TRANS;
	int holds = 0;

	for (size_t t = 0; t < o->ntests; t++)
		holds |= (o->fields[t] & hold_fields) == hold_fields;
	for (size_t d = 0; o->order == DMABENCH_ORDER_RANDOM &&
	     d < (o->depths ? o->ndepths : 1); d++)
		if (!o->depths || o->depths[d] < 2)
			return usage_error(cmd, "--order random needs --depth 2 "
					   "or more (one outstanding mapping "
					   "has no order)");
	if (o->hold_ns && !holds)
		return usage_error(cmd, "--hold applies only to tests that hold "
				   "a mapping between map and unmap (fields= "
				   "with --dma-trans-ns' bit too, e.g. "
				   "map_single)");
	if (o->hold_ns && o->dma_trans_ns)
		return usage_error(cmd, "--hold and --dma-trans-ns exclude each "
				   "other (--hold fixed:NSns is --dma-trans-ns "
				   "NS)");
	if (o->batch > 1) {
		int shaped = o->order == DMABENCH_ORDER_RANDOM ||
			     (o->hold_ns && o->hold != DMABENCH_HOLD_FIXED) ||
			     o->map_threads || o->mix.n;

		for (size_t d = 0; o->depths && d < o->ndepths; d++)
			shaped |= o->depths[d] > 1;
		/* the module times a shaped op on its own (EINVAL) */
		if (shaped)
			return usage_error(cmd, "--batch %u: a depth, random "
					   "order, hold law, --pairs or "
					   "--size-mix times every op on its "
					   "own: drop --batch", o->batch);
	}
	if (o->mix.n && given[option_index("size")])
		return usage_error(cmd, "--size-mix sets the sizes: drop "
				   "--size");
	if (o->map_threads && o->threads)
		return usage_error(cmd, "--pairs %u:%u sets the threads (%u): "
				   "drop --threads", o->map_threads,
				   o->unmap_threads,
				   o->map_threads + o->unmap_threads);
	if (o->map_threads) {
		o->threads = malloc(sizeof(*o->threads));
		if (!o->threads)
			return usage_error(cmd, "out of memory");
		o->threads[0] = o->map_threads + o->unmap_threads;
		o->nthreads = 1;
	}
	if (o->interval_ns && o->iterations)
		return usage_error(cmd, "--interval slices --seconds: it "
				   "excludes --iterations");
	if (o->interval_ns && o->interval_ns > o->duration_ns)
		return usage_error(cmd, "--interval %s is longer than --seconds "
				   "%s", format_duration(o->interval_ns, a,
							 sizeof(a)),
				   format_duration(o->duration_ns, b,
						   sizeof(b)));
	if (!o->interval_ns && o->duration_ns > 3600ULL * 1000000000ULL)
		return usage_error(cmd, "--seconds above 3600 needs --interval "
				   "(the module runs at most an hour at a "
				   "time)");
	return 0;
}

static int check_all(const char *cmd, struct run_opts *o,
		     const unsigned char *given)
{
	struct ctl_tests ct;
	int r;

	if (!o->ntests)
		return usage_error(cmd, "missing --test NAME (e.g. --test "
				   "map_single)");
	if (ctl_read_tests(&ct))
		return usage_error(cmd, "out of memory");
	r = tests_fields(cmd, o, &ct);
	if (!r)
		r = check_applies(cmd, o, given, &ct);
	ctl_tests_free(&ct);
	if (!r)
		r = check_bounce(cmd, o);
	if (!r)
		r = check_sg(cmd, o, given[option_index("size")]);
	if (!r)
		r = check_device(cmd, o);
	if (!r)
		r = check_placement(cmd, o, given[option_index("seconds")]);
	if (!r)
		r = pair_cpus(cmd, o);
	if (!r)
		r = check_shape(cmd, o, given);
	if (!r)
		r = default_lists(cmd, o);
	return r;
}

int run_parse_options(const char *cmd, int argc, char **argv,
		      struct run_opts *o, int allow_output)
{
	unsigned char given[NRUNOPT] = { 0 };
	struct parse_ctx ctx = {
		.cmd = cmd, .usage = run_usage, .no_output = !allow_output,
		.given = given, .ngiven = sizeof(given),
		.help_tail = run_help_tail,
	};
	int r;

	r = parse_options(&ctx, argc, argv, run_options, o);
	if (r)
		return r;
	return check_all(cmd, o, given);
}

/* ---- the request ---- */

/* Every option with a request field that applies: its (first) value. */
static void fill_generic(struct dmabench_iommu_run *im,
			 const struct run_opts *o)
{
	for (const struct parse_opt *opt = run_options;
	     opt->type != OPTION_END; opt++) {
		const char *p = (const char *)o + opt->offset;

		if (!opt->dest_width || !runopt_applies(opt, o->test_fields))
			continue;
		if (opt->count_offset) {
			p = *(const char *const *)p;
			if (!p)
				continue;	/* not given: the default, 0 */
		}
		opt_store_uint((char *)im + opt->dest, opt->dest_width,
			       opt_load_uint(p, opt->width));
	}
}

int runopt_fill_shape(struct dmabench_shape *sh, const struct run_opts *o)
{
	uint32_t f = o->test_fields;

	memset(sh, 0, sizeof(*sh));
	sh->hdr.version = DMABENCH_ABI_VERSION;
	sh->hdr.size = sizeof(*sh);
	if (!(f & DMABENCH_FIELD_SHAPE))
		return 0;
	sh->depth = o->depths ? (uint32_t)o->depths[0] : 0;
	sh->order = o->order;
	/* the hold replaces the simulated transfer of the tests with one */
	if (f & DMABENCH_FIELD_DMA_TRANS) {
		sh->hold = o->hold;
		sh->hold_ns = o->hold_ns;
	}
	sh->map_threads = o->map_threads;
	sh->unmap_threads = o->unmap_threads;
	sh->footprint = o->footprints ? o->footprints[0] : 0;
	if (f & DMABENCH_FIELD_SIZE_MIX) {
		sh->nsizes = o->mix.n;
		memcpy(sh->sizes, o->mix.sizes, sizeof(sh->sizes));
		memcpy(sh->weights, o->mix.weights, sizeof(sh->weights));
	}
	if (!o->depths && !o->order && !sh->hold_ns && !o->map_threads &&
	    !o->footprints && !sh->nsizes)
		return 0;	/* no shape option: today's shape */
	sh->seed = o->seed;
	return 1;
}

/* The largest class of @o's size mix, when its test takes one; else 0. */
static uint64_t mix_max(const struct run_opts *o)
{
	uint64_t m = 0;

	if (!(o->test_fields & DMABENCH_FIELD_SIZE_MIX) ||
	    !(o->test_fields & DMABENCH_FIELD_SHAPE))
		return 0;
	for (uint32_t i = 0; i < o->mix.n; i++)
		if (o->mix.sizes[i] > m)
			m = o->mix.sizes[i];
	return m;
}

void runopt_fill_request(struct dmabench_iommu_run *im,
			 const struct run_opts *o, uint64_t size,
			 uint64_t threads)
{
	struct dmabench_run *run = &im->run;

	/* a size mix: buffers for the largest class */
	if (mix_max(o))
		size = mix_max(o);
	memset(im, 0, sizeof(*im));
	im->hdr.version = DMABENCH_ABI_VERSION;
	im->hdr.size = sizeof(*im);
	run->hdr.version = DMABENCH_ABI_VERSION;
	run->hdr.size = sizeof(*run);
	str_copy(run->device, sizeof(run->device), o->device);
	str_copy(run->test, sizeof(run->test), o->test);
	run->buf_size = size;
	run->threads = (uint32_t)threads;
	run->node = o->place.node;
	memcpy(run->cpus, o->place.cpus, sizeof(run->cpus));
	fill_generic(im, o);
	/* map_sg: size is the total of nents entries, or nents x seg-size */
	if (o->test_fields & DMABENCH_FIELD_NENTS) {
		uint64_t n = o->nents ? o->nents[0] : 1;
		uint64_t seg = o->seg_sizes ? o->seg_sizes[0] : size / n;

		run->nents = (uint32_t)n;
		run->seg_size = seg ? seg : 1;
		run->buf_size = run->seg_size * n;
	}
	if (o->bounce && (o->test_fields & DMABENCH_FIELD_BOUNCE))
		run->flags |= DMABENCH_RUN_BOUNCE;
	if (o->iommu) {
		im->flush = o->flushes ? o->flushes[0].kind :
			    DMABENCH_FLUSH_STRICT;
		im->flush_n = o->flushes ? o->flushes[0].n : 1;
		im->ndevices = (uint32_t)o->ndevs;
		im->devices_ptr = (uint64_t)(uintptr_t)o->devs;
	}
}

/* ---- the cross product of the sweep axes ---- */

void runopt_axes(const struct run_opts *o, struct run_axes *ax)
{
	memset(ax, 0, sizeof(*ax));
	/* by rank: a few entries, insertion is enough */
	for (const struct parse_opt *opt = run_options;
	     opt->type != OPTION_END; opt++) {
		size_t i;

		if (!opt->axis || ax->n == RUN_MAX_AXES)
			continue;
		for (i = ax->n; i > 0 && ax->opt[i - 1]->axis > opt->axis; i--)
			ax->opt[i] = ax->opt[i - 1];
		ax->opt[i] = opt;
		ax->n++;
	}
	ax->total = 1;
	for (size_t a = 0; a < ax->n; a++) {
		const char *p = (const char *)o + ax->opt[a]->offset;
		size_t n = *(const size_t *)((const char *)o +
					     ax->opt[a]->count_offset);

		ax->count[a] = *(void *const *)p && n ? n : 1;
		ax->total *= ax->count[a];
	}
}

int runopt_pick(const struct run_opts *o, struct run_axes *ax, size_t k,
		struct run_opts *oc)
{
	size_t size_idx = 0;

	for (size_t a = ax->n; a-- > 0;) {
		ax->idx[a] = k % ax->count[a];
		k /= ax->count[a];
	}
	*oc = *o;
	for (size_t a = 0; a < ax->n; a++) {
		const struct parse_opt *opt = ax->opt[a];
		char **p = (char **)((char *)oc + opt->offset);

		if (!*p)
			continue;
		*p += ax->idx[a] * opt->width;
		*(size_t *)((char *)oc + opt->count_offset) = 1;
		if (!strcmp(opt->long_name, "size"))
			size_idx = ax->idx[a];
	}
	oc->test = oc->tests[0];
	oc->test_fields = o->fields[oc->tests - o->tests];
	for (size_t a = 0; a < ax->n; a++)
		if (ax->idx[a] && !runopt_applies(ax->opt[a], oc->test_fields))
			return 0;
	/* map_sg with --seg-size: the size is nents x seg-size */
	if (size_idx && o->seg_sizes &&
	    (oc->test_fields & DMABENCH_FIELD_SEG_SIZE))
		return 0;
	return 1;
}

size_t runopt_axis_index(const struct run_axes *ax, const char *long_name)
{
	for (size_t a = 0; a < ax->n; a++)
		if (!strcmp(ax->opt[a]->long_name, long_name))
			return ax->idx[a];
	return 0;
}

/* ---- the sweep settings: sweep options and job-file keys alike ---- */

int runopt_cb_percent(const struct parse_opt *opt, const char *arg,
		      void *base, char *why, size_t len)
{
	double *out = (double *)((char *)base + opt->offset);
	char *end;
	double v = strtod(arg, &end);

	if (end == arg || (*end && strcmp(end, "%")) || !(v > 0) || v >= 100)
		return snprintf(why, len, "bad --%s '%s': a percentage, e.g. "
				"1%%", opt->long_name, arg), -1;
	*out = v;
	return 0;
}

const struct parse_opt sweep_setting_options[] = {
	SWEEP_SETTING_OPTIONS(struct sweep_settings, ),
	OPT_END(),
};
