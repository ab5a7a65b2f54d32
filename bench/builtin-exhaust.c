// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * dmabench exhaust: find a capacity with DMABENCH_IOC_EXHAUST and leave
 * the system as found.
 *   domains  allocate + attach one domain after another until the IOMMU
 *            (or the modelled --max-contexts cap) refuses; how many devices
 *            a per-device vs a per-instance policy can serve with that;
 *   iova     map through the DMA API (or the IOMMU API) until mapping
 *            fails; --repeat 2 checks that the capacity comes back (leaks).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "builtin.h"
#include "util/cli.h"
#include "util/ctl.h"
#include "util/domain.h"
#include "util/iommuopt.h"
#include "util/kmsg.h"
#include "util/output.h"
#include "util/parse-options.h"
#include "util/parse.h"
#include "util/runopt.h"

static const char exhaust_usage[] =
	"usage: dmabench exhaust domains [--device LIST|all] [--max-contexts N]\n"
	"                                [--scope per-device|per-instance]\n"
	"       dmabench exhaust iova --device DEV [--size S] [--mask-bits B]\n"
	"                             [--api dma|iommu] [--repeat N]\n\n";

struct exhaust_opts {
	uint32_t what;
	const char *device;
	devname_t *devs;
	size_t ndevs;
	uint64_t max_contexts, size, mask_bits, max_count, repeat;
	int scope;			/* -1 both */
	uint32_t api;			/* DMABENCH_EXHAUST_IOVA_*, 0: not given */
	uint32_t format;		/* enum output_format */
};

/* One result with its cost percentiles. */
struct exhaust_res {
	struct dmabench_exhaust e;
	uint64_t p50_ns;
	unsigned nkmsg;		/* kernel log lines during the run */
	char kmsg[256];		/* the last of them: the refusal, often */
	int renewed;		/* 1: DMA domain renewed after a refusal; -1: failed */
};

static void keep_last_line(unsigned long long usec, const char *text,
			   void *arg)
{
	struct exhaust_res *r = arg;

	(void)usec;
	r->nkmsg++;
	str_copy(r->kmsg, sizeof(r->kmsg), text);
}

static const char *errno_name(int err)
{
	switch (err) {
	case 0:		 return "0";
	case ENOSPC:	 return "ENOSPC";
	case ENOMEM:	 return "ENOMEM";
	case EBUSY:	 return "EBUSY";
	case ENODEV:	 return "ENODEV";
	case EINVAL:	 return "EINVAL";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case ERANGE:	 return "ERANGE";
	case EFAULT:	 return "EFAULT";
	case EIO:	 return "EIO";
	case E2BIG:	 return "E2BIG";
	}
	return "?";
}

static const char *what_name(uint32_t what)
{
	switch (what) {
	case DMABENCH_EXHAUST_DOMAINS:		return "domains";
	case DMABENCH_EXHAUST_IOVA_DMA:		return "iova-dma";
	case DMABENCH_EXHAUST_IOVA_IOMMU:	return "iova-iommu";
	}
	return "?";
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* struct parse_opt.field: the exhaust an option belongs to */
#define EX_DOMAINS	1U
#define EX_IOVA		2U

static const struct opt_name api_names[] = {
	{ "dma", DMABENCH_EXHAUST_IOVA_DMA, 0 },
	{ "iommu", DMABENCH_EXHAUST_IOVA_IOMMU, 0 },
	{ NULL, 0, 0 },
};

#define EO(f)	OPT__FIELD(struct exhaust_opts, f)

static const struct parse_opt exhaust_options[] = {
	{ OPTION_STRING, 'd', "device", EO(device), .argh = "LIST",
	  .help = "devices bound to dmabench ('all', or names\nseparated by "
	  "',' or '+'; iova: one device)" },
	{ OPTION_UINT, 0, "max-contexts", EO(max_contexts), .max = UINT32_MAX,
	  .field = EX_DOMAINS, .argh = "N", .help = "domains: model an IOMMU "
	  "with N hardware contexts\n(the module refuses beyond N: the output "
	  "says\nMODELLED); 0 = the real IOMMU's limit" },
	{ OPTION_ENUM, 0, "scope", EO(scope), .names = iommu_scope_names,
	  .field = EX_DOMAINS, .argh = "SCOPE",
	  .help = "domains: report only this policy (default both)" },
	{ OPTION_SIZE, 's', "size", EO(size), .min = 1, .max = 4U << 20,
	  .field = EX_IOVA, .argh = "S",
	  .help = "iova: bytes per mapping (default 4K, max 4M)" },
	{ OPTION_UINT, 0, "mask-bits", EO(mask_bits), .min = 12, .max = 64,
	  .field = EX_IOVA, .argh = "B", .help = "iova: DMA mask / IOVA limit "
	  "bits, 12..64\n(default: the device's mask; iommu: 32)" },
	{ OPTION_ENUM, 0, "api", EO(api), .names = api_names,
	  .field = EX_IOVA, .argh = "API", .help = "iova: dma (dma_map_page, "
	  "default) | iommu\n(alloc_iova_fast + iommu_map)" },
	{ OPTION_UINT, 0, "max-count", EO(max_count), .min = 1,
	  .max = DMABENCH_EXHAUST_MAX_COUNT, .argh = "N",
	  .help = "stop after N (default 4096 domains, 4M maps)" },
	{ OPTION_UINT, 'r', "repeat", EO(repeat), .min = 1, .max = 100,
	  .argh = "N", .help = "run N times; iova: capacities must be equal\n"
	  "(nothing leaked), else exit 1 (default 1)" },
	{ OPTION_ENUM, 'f', "format", EO(format), .names = run_format_names,
	  .argh = "FMT", .help = "text | csv | json (default text)" },
	OPT_TEXT("\nEverything allocated is freed and every device returned "
		 "to its\ndefault domain afterwards; after a refused iova "
		 "--api dma, a new\ndefault domain of the same type (the old "
		 "one keeps the refusal).\n"),
	OPT_END(),
};

static int exhaust_parse(int argc, char **argv, struct exhaust_opts *o)
{
	unsigned char given[16] = { 0 };
	struct parse_ctx ctx = {
		.cmd = "exhaust", .usage = exhaust_usage, .max_args = 1,
		.given = given, .ngiven = sizeof(given),
	};
	char why[160];
	int r;

	memset(o, 0, sizeof(*o));
	o->scope = -1;
	o->repeat = 1;
	o->format = OUTPUT_TEXT;
	r = parse_options(&ctx, argc, argv, exhaust_options, o);
	if (r)
		return r;
	if (!ctx.nargs)
		return usage_error("exhaust", "missing what: domains or iova");
	if (!strcmp(ctx.args[0], "domains"))
		o->what = DMABENCH_EXHAUST_DOMAINS;
	else if (!strcmp(ctx.args[0], "iova"))
		o->what = o->api ? o->api : DMABENCH_EXHAUST_IOVA_DMA;
	else
		return usage_error("exhaust", "unknown '%s': use domains or "
				   "iova", ctx.args[0]);
	for (size_t i = 0; exhaust_options[i].type != OPTION_END; i++) {
		const struct parse_opt *opt = &exhaust_options[i];
		unsigned want = o->what == DMABENCH_EXHAUST_DOMAINS ?
				EX_DOMAINS : EX_IOVA;

		if (given[i] && opt->field && opt->field != want)
			return usage_error("exhaust", "--%s applies to exhaust "
					   "%s only", opt->long_name,
					   opt->field == EX_IOVA ? "iova" :
					   "domains");
	}
	if (!o->device) {
		if (o->what != DMABENCH_EXHAUST_DOMAINS)
			return usage_error("exhaust", "exhaust iova needs "
					   "--device DEV");
		o->device = DMABENCH_ALL_DEVICES;
	}
	if (parse_device_list(o->device, &o->devs, &o->ndevs, why,
			      sizeof(why)))
		return usage_error("exhaust", "bad --device '%s': %s",
				   o->device, why);
	if (o->what != DMABENCH_EXHAUST_DOMAINS && o->ndevs != 1) {
		free(o->devs);
		o->devs = NULL;
		return usage_error("exhaust", "bad --device '%s': exhaust "
				   "iova takes one device", o->device);
	}
	if (o->ndevs == 1) {
		free(o->devs);
		o->devs = NULL;
		o->ndevs = 0;
	}
	return 0;
}

/* Devices a policy serves with @count contexts. */
static uint32_t served(const struct dmabench_exhaust *e, uint32_t scope)
{
	uint64_t n = e->ndevs_used;

	if (scope == DMABENCH_SCOPE_DEVICE)
		return (uint32_t)(e->count < n ? e->count : n);
	return e->ninstances && e->ninstances <= e->count ? (uint32_t)n : 0;
}

static void print_text(const struct exhaust_opts *o,
		       const struct exhaust_res *r, unsigned rep)
{
	const struct dmabench_exhaust *e = &r->e;
	int err = -e->error;
	char sz[32];

	if (o->what == DMABENCH_EXHAUST_DOMAINS) {
		if (!rep)
			printf("exhaust domains on %s (%u device%s, %u IOMMU "
			       "instance%s):\n", o->device, e->ndevs_used,
			       e->ndevs_used == 1 ? "" : "s", e->ninstances,
			       e->ninstances == 1 ? "" : "s");
		if (o->repeat > 1)
			printf("  run %u\n", rep + 1);
		if (o->max_contexts && !rep)
			printf("  MODELLED: cap of %llu contexts enforced by "
			       "dmabench.ko, not by the hardware\n",
			       (unsigned long long)o->max_contexts);
		printf("  %llu domains allocated + attached\n",
		       (unsigned long long)e->count);
	} else {
		char mask[32] = "default";

		if (o->mask_bits)
			snprintf(mask, sizeof(mask), "%llu bits",
				 (unsigned long long)o->mask_bits);
		if (!rep)
			printf("exhaust iova on %s via the %s API, %s per "
			       "mapping, mask %s:\n", o->device,
			       o->what == DMABENCH_EXHAUST_IOVA_DMA ? "DMA" :
			       "IOMMU", format_size(e->size ? e->size : 4096,
						    sz, sizeof(sz)), mask);
		printf("  run %u: %llu mappings, %llu bytes\n", rep + 1,
		       (unsigned long long)e->count,
		       (unsigned long long)e->bytes);
	}
	if (e->result & DMABENCH_EXHAUST_REFUSED)
		printf("  refused with %s (%s)%s\n", errno_name(err),
		       exhaust_errno_meaning(err),
		       e->result & DMABENCH_EXHAUST_MODELLED ?
		       ": MODELLED cap" : "");
	else if (e->result & DMABENCH_EXHAUST_MEMCAP)
		printf("  not refused: stopped at half the available memory "
		       "(the driver frees detached domains' hardware "
		       "contexts, e.g. VT-d domain IDs)\n");
	else if (e->result & DMABENCH_EXHAUST_LIMIT)
		printf("  not refused: stopped at --max-count (raise it)\n");
	if (r->renewed > 0)
		printf("  %s has a new default domain: the old one kept the "
		       "refusal in its IOVA allocator\n", o->device);
	else if (r->renewed < 0)
		printf("  %s keeps its DMA domain: it still holds the refusal "
		       "(see the warning)\n", o->device);
	if ((e->result & DMABENCH_EXHAUST_REFUSED) &&
	    !(e->result & DMABENCH_EXHAUST_MODELLED) && r->nkmsg)
		printf("  kernel log (last of %u lines): %s\n", r->nkmsg,
		       r->kmsg);
	if (e->count)
		printf("  cost per %s: mean %llu ns, p50 %llu ns, min %llu "
		       "ns, max %llu ns\n",
		       o->what == DMABENCH_EXHAUST_DOMAINS ?
		       "allocate+attach" : "map",
		       (unsigned long long)(e->cost_sum_ns / e->count),
		       (unsigned long long)r->p50_ns,
		       (unsigned long long)e->cost_min_ns,
		       (unsigned long long)e->cost_max_ns);
	if (o->what == DMABENCH_EXHAUST_DOMAINS)
		for (uint32_t sc = 0; sc < 2; sc++) {
			if (o->scope >= 0 && (uint32_t)o->scope != sc)
				continue;
			printf("  %s policy: serves %u of %u devices (needs "
			       "%u context%s)%s\n", scope_name(sc),
			       served(e, sc), e->ndevs_used,
			       sc == DMABENCH_SCOPE_DEVICE ? e->ndevs_used :
			       e->ninstances,
			       (sc == DMABENCH_SCOPE_DEVICE ? e->ndevs_used :
				e->ninstances) == 1 ? "" : "s",
			       o->max_contexts ? " [MODELLED]" : "");
		}
}

static const char *const csv_cols[] = {
	"what", "device", "run", "devices", "instances", "size", "mask_bits",
	"max_contexts", "modelled", "refused", "count", "bytes", "errno",
	"errno_meaning", "cost_mean_ns", "cost_p50_ns", "cost_min_ns",
	"cost_max_ns", "per_device_served", "per_instance_served", "kernel_msg",
	NULL
};

/* A CSV field with a comma, quote or newline: quoted, quotes doubled. */
static void csv_quoted(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		if (*s == '"')
			putchar('"');
		putchar(*s == '\n' ? ' ' : *s);
	}
	putchar('"');
}

static void print_row(const struct exhaust_opts *o,
		      const struct exhaust_res *r, unsigned rep, int json)
{
	const struct dmabench_exhaust *e = &r->e;
	int err = -e->error, dom = o->what == DMABENCH_EXHAUST_DOMAINS;
	char v[21][256];
	int str[21] = { [0] = 1, [1] = 1, [12] = 1, [13] = 1, [20] = 1 };
	unsigned i = 0;

#define U(x) snprintf(v[i++], sizeof(v[0]), "%llu", (unsigned long long)(x))
	snprintf(v[i++], sizeof(v[0]), "%s", what_name(o->what));
	snprintf(v[i++], sizeof(v[0]), "%s", o->device);
	U(rep + 1);
	U(e->ndevs_used);
	U(e->ninstances);
	U(dom ? 0 : (e->size ? e->size : 4096));
	U(o->mask_bits);
	U(o->max_contexts);
	U(!!(e->result & DMABENCH_EXHAUST_MODELLED));
	U(!!(e->result & DMABENCH_EXHAUST_REFUSED));
	U(e->count);
	U(e->bytes);
	snprintf(v[i++], sizeof(v[0]), "%s", errno_name(err));
	snprintf(v[i++], sizeof(v[0]), "%s", exhaust_errno_meaning(err));
	U(e->count ? e->cost_sum_ns / e->count : 0);
	U(r->p50_ns);
	U(e->cost_min_ns);
	U(e->cost_max_ns);
	U(dom ? served(e, DMABENCH_SCOPE_DEVICE) : 0);
	U(dom ? served(e, DMABENCH_SCOPE_INSTANCE) : 0);
#undef U
	snprintf(v[i++], sizeof(v[0]), "%s", r->kmsg);
	for (i = 0; csv_cols[i]; i++) {
		if (json) {
			printf("%s\"%s\": ", i ? ", " : "{", csv_cols[i]);
			if (str[i])
				output_json_string(stdout, v[i]);
			else
				fputs(v[i], stdout);
		} else {
			printf("%s", i ? "," : "");
			if (str[i] && strpbrk(v[i], ",\"\n"))
				csv_quoted(v[i]);
			else
				fputs(v[i], stdout);
		}
	}
	fputs(json ? "}" : "\n", stdout);
}

int cmd_exhaust(int argc, char **argv)
{
	struct exhaust_opts o;
	struct exhaust_res *res = NULL;
	uint64_t *costs = NULL, ncosts;
	struct ctl_error_ctx ctx = { .iommu = 1 };
	char why[512];
	int fd, kfd, ret = EXIT_FAIL, equal = 1;

	ret = exhaust_parse(argc, argv, &o);
	if (ret)
		return ret < 0 ? EXIT_OK : ret;
	ret = EXIT_FAIL;
	ctx.device = o.device;
	ncosts = o.max_count ? o.max_count :
		 o.what == DMABENCH_EXHAUST_DOMAINS ? 4096 :
		 DMABENCH_EXHAUST_MAX_COUNT;
	costs = malloc(ncosts * sizeof(*costs));
	res = calloc(o.repeat, sizeof(*res));
	if (!costs || !res) {
		fail("out of memory");
		goto out_free;
	}
	fd = ctl_open(NULL);
	if (fd < 0)
		goto out_free;
	for (unsigned rep = 0; rep < o.repeat; rep++) {
		struct dmabench_exhaust *e = &res[rep].e;
		uint64_t n;

		memset(e, 0, sizeof(*e));
		e->hdr.version = DMABENCH_ABI_VERSION;
		e->hdr.size = sizeof(*e);
		str_copy(e->device, sizeof(e->device), o.device);
		e->what = o.what;
		e->max_contexts = (uint32_t)o.max_contexts;
		e->mask_bits = (uint32_t)o.mask_bits;
		e->size = o.size;
		e->max_count = o.max_count;
		e->ndevices = (uint32_t)o.ndevs;
		e->devices_ptr = (uint64_t)(uintptr_t)o.devs;
		e->costs_ptr = (uint64_t)(uintptr_t)costs;
		e->costs_len = (uint32_t)ncosts;
		kfd = kmsg_mark();
		if (ioctl(fd, DMABENCH_IOC_EXHAUST, e) < 0) {
			if (kfd >= 0)
				close(kfd);
			fail("%s", ctl_ioctl_reason(errno, &ctx, why,
						    sizeof(why)));
			close(fd);
			goto out_free;
		}
		if (kfd >= 0)
			kmsg_read(kfd, keep_last_line, &res[rep]);
		if (o.what == DMABENCH_EXHAUST_IOVA_DMA &&
		    (e->result & DMABENCH_EXHAUST_REFUSED)) {
			/* the refusal would stay in the domain's allocator */
			char rwhy[512];

			res[rep].renewed = 1;
			if (domain_renew(o.device, rwhy, sizeof(rwhy))) {
				res[rep].renewed = -1;
				fprintf(stderr, "warning: %s: %s; until its "
					"default domain is recreated, mappings "
					"of %s at this limit fail at once and "
					"the others are slower\n", o.device,
					rwhy, o.device);
			}
		}
		n = e->count < ncosts ? e->count : ncosts;
		if (n) {
			qsort(costs, n, sizeof(*costs), cmp_u64);
			res[rep].p50_ns = costs[(n - 1) / 2];
		}
		if (rep && (e->count != res[0].e.count ||
			    e->bytes != res[0].e.bytes))
			equal = 0;
	}
	close(fd);

	if (o.format == OUTPUT_CSV)
		for (unsigned i = 0; csv_cols[i]; i++)
			printf("%s%s", i ? "," : "", csv_cols[i]);
	if (o.format == OUTPUT_CSV)
		putchar('\n');
	if (o.format == OUTPUT_JSON)
		printf("{\n  \"modelled\": %s,\n  \"equal\": %s,\n  \"runs\": [\n",
		       o.max_contexts ? "true" : "false",
		       equal ? "true" : "false");
	for (unsigned rep = 0; rep < o.repeat; rep++) {
		if (o.format == OUTPUT_TEXT) {
			print_text(&o, &res[rep], rep);
			continue;
		}
		if (o.format == OUTPUT_JSON)
			fputs(rep ? ",\n    " : "    ", stdout);
		print_row(&o, &res[rep], rep, o.format == OUTPUT_JSON);
	}
	if (o.format == OUTPUT_JSON)
		puts("\n  ]\n}");
	if (o.repeat > 1) {
		if (o.format == OUTPUT_TEXT)
			printf("capacity %s over %llu runs: %s\n",
			       equal ? "equal" : "NOT equal",
			       (unsigned long long)o.repeat,
			       equal ? "nothing leaked" :
			       "something leaked or the space is shared");
		else if (!equal)
			fprintf(stderr, "dmabench exhaust: capacity not equal "
				"over %llu runs (leak?)\n",
				(unsigned long long)o.repeat);
	}
	ret = equal ? EXIT_OK : EXIT_FAIL;
out_free:
	free(costs);
	free(res);
	free(o.devs);
	return ret;
}
