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
#include <strings.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "builtin.h"
#include "run.h"
#include "util/cli.h"
#include "util/ctl.h"
#include "util/domain.h"
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
	"DMA-API tests (map_single, map_sg, sync, alloc, alloc_noncoherent,\n"
	"alloc_pages, alloc_noncontiguous; the module's tests file lists what\n"
	"this kernel has).  --test takes a list too, e.g. map_single,map_sg:\n"
	"  -t, --test LIST         e.g. --test map_single,map_sg\n"
	"      --nents LIST        map_sg: scatterlist entries, 1..1024 (default\n"
	"                          1); --size is the total, split into nents\n"
	"                          entries: --test map_sg --nents 16 --size 64K\n"
	"      --seg-size LIST     map_sg: bytes per entry instead (total = nents\n"
	"                          x seg-size): --nents 8 --seg-size 4K\n"
	"      --layout LIST       map_sg: contiguous (one buffer cut up) |\n"
	"                          scattered (pages apart): --layout scattered\n"
	"      --attrs LIST        alloc: DMA attributes WRITE_COMBINE,\n"
	"                          NO_KERNEL_MAPPING, FORCE_CONTIGUOUS,\n"
	"                          ALLOC_SINGLE_PAGES (any case), joined by '+'\n"
	"                          or '|'; a comma list sweeps over sets:\n"
	"                          --attrs WRITE_COMBINE,WRITE_COMBINE+NO_KERNEL_MAPPING\n"
	"      --coherency LIST    device (as set up) | coherent | noncoherent:\n"
	"                          force the device's DMA coherency for the run\n"
	"                          (arm64; x86 refuses): --coherency noncoherent\n"
	"      --bounce            map_single, map_sg, sync on dmabench.0 with a\n"
	"                          small DMA mask so swiotlb bounces every mapping\n"
	"                          (implies --device dmabench.0): --bounce\n"
	"      --domain LIST       current | identity | dma | dma-fq: switch the\n"
	"                          device's IOMMU group default domain for the\n"
	"                          run (unbind, write, rebind) and restore it\n"
	"                          after: --domain identity,dma,dma-fq\n"
	"In a --test list each test runs over the lists that apply to it (e.g.\n"
	"--nents only for map_sg); an option that applies to none of the tests\n"
	"is an error.  --domain is the outermost loop: the group is switched\n"
	"once per domain type and put back at the end (also on error or\n"
	"Ctrl-C).\n\n"
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
	"Comma lists (--test, --size, --threads, --nents, --seg-size, --layout,\n"
	"--attrs, --coherency, --domain, --scope, --flush, --iova-limit,\n"
	"--live) run every combination, all rows in one output.\n"
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

/* ---- DMA-API test options ---- */

static const char *const attr_names[] = {
	"WRITE_COMBINE", "NO_KERNEL_MAPPING", "FORCE_CONTIGUOUS",
	"ALLOC_SINGLE_PAGES",
};
#define NATTRS (sizeof(attr_names) / sizeof(attr_names[0]))

const char *run_attrs_name(uint32_t attrs, char *buf, size_t len)
{
	size_t l = 0;

	buf[0] = '\0';
	for (unsigned b = 0; b < NATTRS; b++)
		if (attrs & (1U << b) && l < len) {
			snprintf(buf + l, len - l, "%s%s", l ? "|" : "",
				 attr_names[b]);
			l = strlen(buf);
		}
	return buf;
}

static const char *const layout_names[] = { "contiguous", "scattered" };
static const char *const coherency_names[] = {
	"device", "coherent", "noncoherent",
};

/* Split a comma list; every item through @one.  0 or a usage error. */
static int enum_list(const char *opt, const char *arg,
		     int (*one)(const char *s, size_t n, uint32_t *v,
				char *why, size_t wl),
		     uint32_t **vals, size_t *n)
{
	size_t cap = 1;
	const char *p = arg;
	char why[200];

	free(*vals);
	*n = 0;
	for (const char *q = arg; *q; q++)
		cap += *q == ',';
	*vals = calloc(cap, sizeof(**vals));
	if (!*vals)
		return usage_error(opt_cmd, "out of memory");
	for (;;) {
		size_t l = strcspn(p, ",");

		why[0] = '\0';
		if (!l || one(p, l, &(*vals)[*n], why, sizeof(why)))
			return usage_error(opt_cmd, "bad %s '%.*s'%s%s", opt,
					   (int)l, p, why[0] ? ": " : "", why);
		(*n)++;
		if (!p[l])
			return 0;
		p += l + 1;
	}
}

static int name_index(const char *s, size_t n, const char *const *names,
		      unsigned count, uint32_t *v)
{
	for (unsigned i = 0; i < count; i++)
		if (strlen(names[i]) == n && !strncasecmp(s, names[i], n)) {
			*v = i;
			return 0;
		}
	return -1;
}

static int one_layout(const char *s, size_t n, uint32_t *v, char *why,
		      size_t wl)
{
	if (!name_index(s, n, layout_names, 2, v))
		return 0;
	snprintf(why, wl, "use contiguous or scattered");
	return -1;
}

static int one_coherency(const char *s, size_t n, uint32_t *v, char *why,
			 size_t wl)
{
	if (!name_index(s, n, coherency_names, 3, v))
		return 0;
	if (n == 12 && !strncasecmp(s, "non-coherent", n)) {
		*v = DMABENCH_COHERENCY_NONCOHERENT;
		return 0;
	}
	snprintf(why, wl, "use device, coherent or noncoherent");
	return -1;
}

/* One set: NAME[+NAME...] ('|' too), or "none". */
static int one_attrs(const char *s, size_t n, uint32_t *v, char *why,
		     size_t wl)
{
	*v = 0;
	if (n == 4 && !strncasecmp(s, "none", 4))
		return 0;
	while (n) {
		size_t l = 0, skip = 0;
		uint32_t b;

		while (l < n && s[l] != '+' && s[l] != '|')
			l++;
		if (l > 9 && !strncasecmp(s, "DMA_ATTR_", 9))
			skip = 9;
		if (!l || name_index(s + skip, l - skip, attr_names, NATTRS,
				     &b)) {
			snprintf(why, wl, "unknown attribute '%.*s' (use "
				 "WRITE_COMBINE, NO_KERNEL_MAPPING, "
				 "FORCE_CONTIGUOUS, ALLOC_SINGLE_PAGES joined "
				 "by '+')", (int)l, s);
			return -1;
		}
		*v |= 1U << b;
		if (l == n)
			break;
		s += l + 1;
		n -= l + 1;
		if (!n) {
			snprintf(why, wl, "a '+' or '|' with nothing after "
				 "it");
			return -1;
		}
	}
	if ((*v & DMABENCH_ATTR_FORCE_CONTIGUOUS) &&
	    (*v & DMABENCH_ATTR_ALLOC_SINGLE_PAGES)) {
		snprintf(why, wl, "FORCE_CONTIGUOUS and ALLOC_SINGLE_PAGES "
			 "exclude each other");
		return -1;
	}
	return 0;
}

static int is_test(const char *test, const char *name)
{
	return !strcmp(test, name);
}

int run_option_applies(const char *test, const char *opt)
{
	static const char *const dma_opts[] = {
		"nents", "seg-size", "layout", "attrs", "bounce", "coherency",
		"domain", NULL,
	};
	int known = 0;

	for (const char *const *k = dma_opts; *k; k++)
		known |= !strcmp(*k, opt);
	if (!known)
		return 1;
	if (iommu_test(test))
		return 0;
	if (!strcmp(opt, "nents") || !strcmp(opt, "seg-size") ||
	    !strcmp(opt, "layout"))
		return is_test(test, "map_sg");
	if (!strcmp(opt, "attrs"))
		return is_test(test, "alloc");
	if (!strcmp(opt, "bounce"))
		return is_test(test, "map_single") ||
		       is_test(test, "map_sg") || is_test(test, "sync");
	/* coherency, domain: every DMA-API test */
	return 1;
}

/* Does @opt apply to one of @o's tests at least? */
static int applies_to_some(const struct run_opts *o, const char *opt)
{
	for (size_t t = 0; t < o->ntests; t++)
		if (run_option_applies(o->tests[t], opt))
			return 1;
	return 0;
}

static int split_tests(struct run_opts *o)
{
	size_t cap = 1;
	char *save = NULL, *t;

	free(o->tests);
	free(o->tests_buf);
	o->tests = NULL;
	o->ntests = 0;
	for (const char *q = o->test; *q; q++)
		cap += *q == ',';
	o->tests_buf = strdup(o->test);
	o->tests = calloc(cap, sizeof(*o->tests));
	if (!o->tests_buf || !o->tests)
		return usage_error(opt_cmd, "out of memory");
	if (o->test[0] == ',' || strstr(o->test, ",,") ||
	    o->test[strlen(o->test) - 1] == ',')
		return usage_error(opt_cmd, "bad --test '%s': an empty name",
				   o->test);
	for (t = strtok_r(o->tests_buf, ",", &save); t;
	     t = strtok_r(NULL, ",", &save)) {
		if (strlen(t) >= DMABENCH_TEST_LEN)
			return usage_error(opt_cmd, "bad --test '%s'", t);
		for (size_t i = 0; i < o->ntests; i++)
			if (!strcmp(o->tests[i], t))
				return usage_error(opt_cmd, "--test names %s "
						   "twice", t);
		o->tests[o->ntests++] = t;
	}
	o->test = o->tests[0];
	return 0;
}

/* The checks of the DMA-API options once every option is known. */
static int check_dma_options(struct run_opts *o, const char *given[],
			     size_t ngiven)
{
	int sg = applies_to_some(o, "nents"), only_sg = 1;
	char a[32], b[32];

	for (size_t t = 0; t < o->ntests; t++)
		if (!is_test(o->tests[t], "map_sg"))
			only_sg = 0;
	for (size_t g = 0; g < ngiven; g++) {
		const char *opt = given[g];

		if (applies_to_some(o, opt))
			continue;
		if (!strcmp(opt, "nents") || !strcmp(opt, "seg-size") ||
		    !strcmp(opt, "layout"))
			return usage_error(opt_cmd, "--%s applies only to "
					   "--test map_sg", opt);
		if (!strcmp(opt, "attrs"))
			return usage_error(opt_cmd, "--attrs applies only to "
					   "--test alloc (dma_alloc_attrs)");
		if (!strcmp(opt, "bounce"))
			return usage_error(opt_cmd, "--bounce applies only to "
					   "the streaming tests map_single, "
					   "map_sg and sync");
		return usage_error(opt_cmd, "--%s does not apply to IOMMU "
				   "API tests (%s)", opt, o->test);
	}
	if (o->bounce) {
		if (o->device_given && strcmp(o->device, CTL_DEFAULT_DEVICE))
			return usage_error(opt_cmd, "--bounce runs on the "
					   "module's own device "
					   CTL_DEFAULT_DEVICE " (it lowers its "
					   "DMA mask), not on %s: drop --device",
					   o->device);
		for (size_t d = 0; d < o->ndomains; d++)
			if (o->domains[d] != DOMAIN_CURRENT)
				return usage_error(opt_cmd, "--domain needs a "
						   "device behind an IOMMU; "
						   "--bounce runs on "
						   CTL_DEFAULT_DEVICE
						   " (no IOMMU)");
	}
	if (!sg)
		return 0;
	if (only_sg && o->seg_sizes && o->sizes)
		return usage_error(opt_cmd, "map_sg: give --size (the total) "
				   "or --seg-size (per entry), not both");
	for (size_t n = 0; n < (o->nents ? o->nnents : 1); n++) {
		uint64_t ne = o->nents ? o->nents[n] : 1;

		for (size_t k = 0; o->seg_sizes && k < o->nseg_sizes; k++)
			if (o->seg_sizes[k] > DMABENCH_MAX_SIZE / ne)
				return usage_error(opt_cmd, "map_sg: %llu x "
						   "--seg-size %s is above %s",
						   (unsigned long long)ne,
						   format_size(o->seg_sizes[k],
							       a, sizeof(a)),
						   format_size(DMABENCH_MAX_SIZE,
							       b, sizeof(b)));
		for (size_t k = 0; !o->seg_sizes && o->sizes &&
		     k < o->nsizes; k++)
			if (o->sizes[k] < ne)
				return usage_error(opt_cmd, "map_sg: --size %s "
						   "is less than --nents %llu "
						   "bytes (the size is the "
						   "total of all entries)",
						   format_size(o->sizes[k], a,
							       sizeof(a)),
						   (unsigned long long)ne);
	}
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
	OPT_NENTS,
	OPT_SEG_SIZE,
	OPT_LAYOUT,
	OPT_ATTRS,
	OPT_COHERENCY,
	OPT_BOUNCE,
	OPT_DOMAIN,
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
		{ "nents",	   required_argument, NULL, OPT_NENTS },
		{ "seg-size",	   required_argument, NULL, OPT_SEG_SIZE },
		{ "layout",	   required_argument, NULL, OPT_LAYOUT },
		{ "attrs",	   required_argument, NULL, OPT_ATTRS },
		{ "coherency",	   required_argument, NULL, OPT_COHERENCY },
		{ "bounce",	   no_argument,	      NULL, OPT_BOUNCE },
		{ "domain",	   required_argument, NULL, OPT_DOMAIN },
		{ "help",	   no_argument,	      NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *cpus = NULL, *node = NULL, *seconds = NULL;
	const char *iommu_opt = NULL;
	const char *given[8];
	size_t ngiven = 0;
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
			o->device_given = 1;
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
		case OPT_NENTS:
			r = list_option("--nents", optarg, parse_u64, 1,
					DMABENCH_MAX_NENTS, &o->nents,
					&o->nnents);
			break;
		case OPT_SEG_SIZE:
			r = list_option("--seg-size", optarg, parse_size, 1,
					DMABENCH_MAX_SIZE, &o->seg_sizes,
					&o->nseg_sizes);
			break;
		case OPT_LAYOUT:
			r = enum_list("--layout", optarg, one_layout,
				      &o->layouts, &o->nlayouts);
			break;
		case OPT_ATTRS:
			r = enum_list("--attrs", optarg, one_attrs, &o->attrs,
				      &o->nattrs);
			break;
		case OPT_COHERENCY:
			r = enum_list("--coherency", optarg, one_coherency,
				      &o->coherencies, &o->ncoherencies);
			break;
		case OPT_BOUNCE:
			o->bounce = 1;
			break;
		case OPT_DOMAIN:
			free(o->domains);
			if (domain_parse_list(optarg, &o->domains,
					      &o->ndomains, why, sizeof(why)))
				r = usage_error(opt_cmd, "bad --domain %s", why);
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
	if (!*o->test)
		return usage_error(opt_cmd, "bad --test '%s'", o->test);
	r = split_tests(o);
	if (r)
		return r;
	o->iommu = iommu_test(o->test);
	for (size_t t = 1; t < o->ntests; t++)
		if (iommu_test(o->tests[t]) != o->iommu)
			return usage_error(opt_cmd, "IOMMU API tests (%s) and "
					   "DMA-API tests cannot share one "
					   "--test list: run them separately",
					   o->iommu ? o->test : o->tests[t]);
#define GIVEN(field, name) do {						\
		if (o->field)						\
			given[ngiven++] = name;				\
	} while (0)
	GIVEN(nents, "nents");
	GIVEN(seg_sizes, "seg-size");
	GIVEN(layouts, "layout");
	GIVEN(attrs, "attrs");
	GIVEN(coherencies, "coherency");
	GIVEN(bounce, "bounce");
	GIVEN(domains, "domain");
#undef GIVEN
	r = check_dma_options(o, given, ngiven);
	if (r)
		return r;
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
	free(o->tests);
	free(o->tests_buf);
	free(o->nents);
	free(o->seg_sizes);
	free(o->layouts);
	free(o->attrs);
	free(o->coherencies);
	free(o->domains);
	o->tests = NULL;
	o->tests_buf = NULL;
	o->nents = o->seg_sizes = NULL;
	o->layouts = o->attrs = o->coherencies = o->domains = NULL;
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
/* The DMA-API columns (seg_size .. thread_ops_per_sec_max) of a row. */
static void dma_row(struct result_row *row, const struct dmabench_run *run)
{
	int sg = is_test(run->test, "map_sg");

	if (sg) {
		row->sg = 1;
		row->nents = run->nents ? run->nents : 1;
		row->seg_size = run->seg_size;
		str_copy(row->layout, sizeof(row->layout),
			 run->sg_layout < 2 ? layout_names[run->sg_layout] :
			 "?");
		row->dma_segs_min = run->dma_segs_min;
		row->dma_segs_max = run->dma_segs_max;
	}
	run_attrs_name(run->attrs, row->attrs, sizeof(row->attrs));
	str_copy(row->coherency, sizeof(row->coherency),
		 run->coherency < 3 ? coherency_names[run->coherency] : "?");
	str_copy(row->coherent, sizeof(row->coherent),
		 run->coherent ? "yes" : "no");
	if (run->flags & DMABENCH_RUN_BOUNCE) {
		row->has_bounced = 1;
		row->bounced = run->bounced;
	}
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

static int add_rows(struct row_list *rows, const struct dmabench_run *run,
		    const uint64_t *hist, const struct ctl_device *dev,
		    const char *platform, unsigned config,
		    const struct dmabench_iommu_run *im, const char *devname,
		    const uint64_t *thread_ops, const char *domain_type)
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
			 im ? "unmanaged" : domain_type && domain_type[0] ?
			 domain_type : dev ? dev->domain : "?");
		row->size = run->buf_size;
		row->nents = 1;		/* map_sg: dma_row sets it */
		if (im)
			iommu_row(row, im);
		else
			dma_row(row, run);
		thread_rates(row, run, thread_ops);
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
			 size_t hist_bytes, uint64_t *thread_ops)
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
	if (thread_ops) {
		memset(thread_ops, 0, DMABENCH_MAX_THREADS * sizeof(uint64_t));
		run->thread_ops_ptr = (uint64_t)(uintptr_t)thread_ops;
	}
	if (run_option_applies(o->test, "nents")) {
		uint64_t n = o->nents ? o->nents[0] : 1;
		uint64_t seg = o->seg_sizes ? o->seg_sizes[0] : size / n;

		run->nents = (uint32_t)n;
		run->seg_size = seg ? seg : 1;
		run->buf_size = run->seg_size * n;
		run->sg_layout = o->layouts ? o->layouts[0] :
				 DMABENCH_SG_CONTIGUOUS;
	}
	if (o->attrs && run_option_applies(o->test, "attrs"))
		run->attrs = o->attrs[0];
	if (o->coherencies && run_option_applies(o->test, "coherency"))
		run->coherency = o->coherencies[0];
	if (o->bounce && run_option_applies(o->test, "bounce"))
		run->flags |= DMABENCH_RUN_BOUNCE;
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
	s->thread_ops = calloc(DMABENCH_MAX_THREADS, sizeof(uint64_t));
	if (!s->hist || !s->thread_ops) {
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
	free(s->thread_ops);
	s->devs = NULL;
	s->hist = NULL;
	s->thread_ops = NULL;
	perf_close(&s->perf);
}

int run_session_refresh(struct run_session *s)
{
	free(s->devs);
	s->devs = NULL;
	s->ndevs = ctl_read_devices(&s->devs);
	if (s->ndevs < 0)
		return fail("cannot read %s: %s", CTL_DEVICES,
			    strerror(-s->ndevs));
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

int run_one(struct run_session *s, const struct run_opts *o, uint64_t size,
	    uint64_t threads, const struct ctl_device *dev,
	    const char *platform, unsigned config, struct row_list *rows,
	    struct dmabench_run *run)
{
	size_t first = rows->n;
	struct dmabench_iommu_run im;
	char devname[DMABENCH_NAME_LEN];
	int err = 0;

	fill_request(run, o, size, threads, s->hist, s->hist_bytes,
		     s->thread_ops);
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
		     o->iommu ? &im : NULL, o->iommu ? devname : NULL,
		     s->thread_ops, s->domain_type))
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

/*
 * The axes of the cross product, outermost first: the domain switches
 * least often, threads vary fastest.
 */
enum {
	AX_DOMAIN, AX_TEST, AX_SIZE, AX_NENTS, AX_SEG, AX_LAYOUT, AX_ATTRS,
	AX_COH, AX_SCOPE, AX_FLUSH, AX_IOVA, AX_LIVE, AX_THREADS, AX_N
};

static void axis_counts(const struct run_opts *o, size_t *cnt)
{
#define N(ptr, n) (o->ptr ? o->n : 1)
	cnt[AX_DOMAIN] = N(domains, ndomains);
	cnt[AX_TEST] = o->ntests ? o->ntests : 1;
	cnt[AX_SIZE] = o->nsizes;
	cnt[AX_NENTS] = N(nents, nnents);
	cnt[AX_SEG] = N(seg_sizes, nseg_sizes);
	cnt[AX_LAYOUT] = N(layouts, nlayouts);
	cnt[AX_ATTRS] = N(attrs, nattrs);
	cnt[AX_COH] = N(coherencies, ncoherencies);
	cnt[AX_SCOPE] = N(scopes, nscopes);
	cnt[AX_FLUSH] = N(flushes, nflushes);
	cnt[AX_IOVA] = N(iova_bits, niova_bits);
	cnt[AX_LIVE] = N(lives, nlives);
	cnt[AX_THREADS] = o->nthreads;
#undef N
}

/*
 * Decode configuration @k into @idx and the options @oc of that one
 * configuration.  Returns 0 when it is to be skipped: an axis that does
 * not apply to its test at any but its first value.
 */
static int pick_config(const struct run_opts *o, const size_t *cnt,
		       size_t k, size_t *idx, struct run_opts *oc)
{
	const char *test;

	for (int a = AX_N - 1; a >= 0; a--) {
		idx[a] = k % cnt[a];
		k /= cnt[a];
	}
	*oc = *o;
	test = o->ntests ? o->tests[idx[AX_TEST]] : o->test;
	oc->test = test;
	if ((idx[AX_NENTS] || idx[AX_SEG] || idx[AX_LAYOUT]) &&
	    !run_option_applies(test, "nents"))
		return 0;
	if (idx[AX_ATTRS] && !run_option_applies(test, "attrs"))
		return 0;
	/* map_sg with --seg-size: the size is nents x seg-size */
	if (idx[AX_SIZE] && o->seg_sizes && run_option_applies(test, "nents"))
		return 0;
#define PICK(ptr, n, ax) do {						\
		if (o->ptr) {						\
			oc->ptr = o->ptr + idx[ax];			\
			oc->n = 1;					\
		}							\
	} while (0)
	PICK(domains, ndomains, AX_DOMAIN);
	PICK(nents, nnents, AX_NENTS);
	PICK(seg_sizes, nseg_sizes, AX_SEG);
	PICK(layouts, nlayouts, AX_LAYOUT);
	PICK(attrs, nattrs, AX_ATTRS);
	PICK(coherencies, ncoherencies, AX_COH);
	PICK(scopes, nscopes, AX_SCOPE);
	PICK(flushes, nflushes, AX_FLUSH);
	PICK(iova_bits, niova_bits, AX_IOVA);
	PICK(lives, nlives, AX_LIVE);
#undef PICK
	return 1;
}

static int any_switch(const struct run_opts *o)
{
	for (size_t d = 0; o->domains && d < o->ndomains; d++)
		if (o->domains[d] != DOMAIN_CURRENT)
			return 1;
	return 0;
}

/* Every test of @o in the module's tests file?  Prints the one missing. */
static int tests_present(const struct run_opts *o)
{
	char tests[512];

	ctl_test_names(tests, sizeof(tests));
	if (!tests[0])
		return 1;	/* unreadable: the ioctl will tell */
	for (size_t t = 0; t < o->ntests; t++) {
		const char *name = o->tests[t];
		size_t l = strlen(name);
		int found = 0;

		for (const char *p = tests; *p && !found;) {
			size_t n = strcspn(p, ",");

			found = n == l && !strncmp(p, name, l);
			p += n;
			while (*p == ',' || *p == ' ')
				p++;
		}
		if (!found) {
			fail("test '%s' is not in the loaded dmabench.ko%s (it "
			     "has: %s)", name,
			     !strcmp(name, "alloc_noncontiguous") ||
			     !strcmp(name, "alloc_pages") ?
			     ": this kernel lacks the API" : "", tests);
			return 0;
		}
	}
	return 1;
}

/*
 * --domain: switch @ds to @want, re-read the devices file (the device was
 * rebound) and point s->domain_type at what the kernel shows.  0 or -1
 * (printed).
 */
static int run_switch_domain(struct run_session *s, struct domain_state *ds,
			     unsigned want, const char *device,
			     const struct ctl_device **dev)
{
	char why[600];
	int ok;

	if (domain_switch(ds, want, why, sizeof(why)))
		return fail("%s", why);
	if (run_session_refresh(s))
		return -1;
	*dev = run_session_device(s, device, &ok);
	if (!ok)
		return -1;
	str_copy(s->domain_type, sizeof(s->domain_type), ds->cur_type);
	if (want != DOMAIN_CURRENT &&
	    strcmp(ds->cur_type, domain_sysfs_name(want)))
		fprintf(stderr, "note: --domain %s: IOMMU group %s is %s\n",
			domain_want_name(want), ds->group, ds->cur_type);
	return 0;
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
	struct domain_state ds;
	uint32_t stop_status = DMABENCH_STATUS_DONE;
	unsigned config = 0, measured = 0, nconfigs = 0;
	size_t cnt[AX_N], idx[AX_N], total, k;
	int ret = EXIT_FAIL, ioctl_err = 0, ok, switching = 0, sw_err = 0;
	int renew = 0;
	unsigned cur_domain = DOMAIN_CURRENT;
	char perf_names[PERF_MAX_EVENTS][48];
	const char *perf_cols[PERF_MAX_EVENTS];
	FILE *out = stdout;
	char why[600];

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
	axis_counts(&o, cnt);
	total = 1;
	for (int a = 0; a < AX_N; a++)
		total *= cnt[a];
	for (k = 0; k < total; k++) {
		struct run_opts oc;

		nconfigs += (unsigned)pick_config(&o, cnt, k, idx, &oc);
	}

	if (run_session_open(&s))
		goto out_free_opts;
	if (!tests_present(&o))
		goto out_close;
	dev = run_session_lookup(&s, &o, &ok);
	if (!ok)
		goto out_close;
	meta_collect(&meta, argc, argv);
	str_copy(meta.module_version, sizeof(meta.module_version),
		 s.info.module_version);
	str_copy(meta.placement, sizeof(meta.placement), o.place.desc);
	for (size_t i = 0; i < o.nthreads; i++)
		if (meta.online_cpus && o.threads[i] > meta.online_cpus) {
			fprintf(stderr, "note: %llu threads on %u online CPUs: "
				"the threads beyond the CPUs wait for one, so "
				"the tail percentiles include scheduler "
				"latency\n", (unsigned long long)o.threads[i],
				meta.online_cpus);
			break;
		}
	if (o.output) {
		out = fopen(o.output, "w");
		if (!out) {
			ret = usage_error("run", "cannot write --output '%s': "
					  "%s", o.output, strerror(errno));
			goto out_meta;
		}
	}
	if (any_switch(&o)) {
		if (domain_open(&ds, o.device, why, sizeof(why))) {
			fail("%s", why);
			goto out_file;
		}
		switching = 1;
	}
	if (o.perf) {
		unsigned n = run_perf_setup(&s, &o, 0, perf_names);

		for (unsigned e = 0; e < n; e++)
			perf_cols[e] = perf_names[e];
		output_set_extra(n, perf_cols, NULL);
	}

	run_install_interrupt_handler();
	for (k = 0; k < total; k++) {
		struct run_opts oc;

		if (!pick_config(&o, cnt, k, idx, &oc))
			continue;
		if (run_interrupted) {
			stop_status = DMABENCH_STATUS_INTERRUPTED;
			break;
		}
		if (switching && o.domains[idx[AX_DOMAIN]] != cur_domain) {
			cur_domain = o.domains[idx[AX_DOMAIN]];
			if (run_switch_domain(&s, &ds, cur_domain, o.device,
					      &dev)) {
				sw_err = 1;
				break;
			}
			/* a Ctrl-C held back during the switch */
			if (run_interrupted) {
				stop_status = DMABENCH_STATUS_INTERRUPTED;
				break;
			}
		}
		ioctl_err = run_one(&s, &oc, o.sizes[idx[AX_SIZE]],
				    o.threads[idx[AX_THREADS]], dev,
				    meta.platform, config, &rows, &run);
		if (ioctl_err)
			break;
		config++;
		/*
		 * Refused mappings under a narrowed mask stay cached in the
		 * device's DMA domain (see domain_recreate): renew it after.
		 */
		if (oc.dma_mask_bits && run.errors && !oc.iommu && dev &&
		    (!strcmp(dev->domain, "DMA") ||
		     !strcmp(dev->domain, "DMA-FQ")))
			renew = 1;
		measured++;
		meta.timer_overhead_ns = run.timer_overhead_ps / 1000.0;
		if ((run.flags & DMABENCH_RUN_BOUNCE) && !run.bounced &&
		    run.nphases && run.phase[0].ops &&
		    o.format != OUTPUT_TEXT)
			fprintf(stderr, "warning: %s: no mapping bounced: the "
				"buffers lie below the DMA mask; boot with "
				"swiotlb=force\n", oc.test);
		if (run.status != DMABENCH_STATUS_DONE) {
			stop_status = run.status;
			break;
		}
	}
	if (switching && domain_restore(&ds, why, sizeof(why))) {
		fail("%s", why);
		sw_err = 1;
	}
	if (renew && domain_renew(o.device, why, sizeof(why)))
		fprintf(stderr, "warning: %s: %s; until its default domain "
			"is recreated, mappings of %s under a narrow mask fail "
			"at once and the others are slower\n", o.device, why,
			o.device);

	if (rows.n || (!ioctl_err && !sw_err)) {
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
			.test = run.test[0] ? run.test : o.test,
			.dma_mask_bits = o.dma_mask_bits,
			.iommu = o.iommu,
			.coherency = run.coherency,
			.bounce = !!(run.flags & DMABENCH_RUN_BOUNCE),
		};

		fail("%s", ctl_ioctl_reason(ioctl_err, &ctx, why, sizeof(why)));
	} else if (sw_err) {
		/* printed */
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
out_file:
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
