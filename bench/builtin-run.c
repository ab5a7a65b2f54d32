// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * dmabench run: one DMABENCH_IOC_RUN per configuration of the command
 * line's lists (util/runopt: their cross product), statistics from the
 * returned histograms, all rows in one text, CSV or JSON output.  The
 * engine (util/engine) does the runs.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"
#include "util/cli.h"
#include "util/ctl.h"
#include "util/domain.h"
#include "util/engine.h"
#include "util/ktap.h"
#include "util/meta.h"
#include "util/output.h"
#include "util/parse.h"
#include "util/runopt.h"

/* One `dmabench run`. */
struct run_cmd {
	struct run_opts o;
	struct run_axes ax;
	struct run_session s;
	struct row_list rows;
	struct run_meta meta;
	int have_meta;
	struct dmabench_run run;	/* the last request and its result */
	const struct ctl_device *dev;
	struct domain_set doms;		/* --domain other than current */
	FILE *out;
	char perf_names[PERF_MAX_EVENTS][48];
	const char *perf_cols[PERF_MAX_EVENTS];
	unsigned measured, nconfigs;
	uint32_t stop_status;		/* DMABENCH_STATUS_* */
	int ioctl_err, sw_err;
	int renew;			/* the DMA domain keeps refusals */
	/* --format ktap: every configuration planned; the module's tests */
	struct ktap_config *kc;
	size_t nkc;
	struct ctl_tests tests;
	int have_tests;
};

static int is_ktap(const struct run_cmd *c)
{
	return c->o.format == OUTPUT_KTAP;
}

/* A test the loaded module leaves out because this kernel lacks its API. */
static int kernel_lacks(const struct run_cmd *c, const char *test)
{
	return c->have_tests && c->tests.from_module &&
	       !ctl_find_test(&c->tests, test) && ctl_fallback_test(test);
}

/* KTAP: a test this kernel lacks is a SKIP; are all missing ones so? */
static int only_lacking(struct run_cmd *c)
{
	if (!is_ktap(c) || ctl_read_tests(&c->tests))
		return 0;
	c->have_tests = 1;
	for (size_t t = 0; t < c->o.ntests; t++)
		if (c->tests.from_module &&
		    !ctl_find_test(&c->tests, c->o.tests[t]) &&
		    !kernel_lacks(c, c->o.tests[t]))
			return 0;
	return 1;
}

static void ktap_set(struct ktap_config *kc, const char *directive,
		     const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void ktap_set(struct ktap_config *kc, const char *directive,
		     const char *fmt, ...)
{
	va_list ap;

	kc->directive = directive;
	va_start(ap, fmt);
	vsnprintf(kc->reason, sizeof(kc->reason), fmt, ap);
	va_end(ap);
	ktap_clean(kc->reason);
}

/*
 * KTAP: the module refused the configuration @oc with c->ioctl_err.  What
 * this kernel or device cannot do (EOPNOTSUPP: no per-device coherency,
 * no swiotlb, no IOMMU) is a SKIP and the run goes on (returns 1); any
 * other error fails the configuration and stops the run (0).
 */
static int ktap_refused(struct run_cmd *c, struct ktap_config *kc,
			const struct run_opts *oc)
{
	struct ctl_error_ctx ctx;
	char why[400];

	run_error_ctx(&ctx, oc, &c->run);
	ctl_ioctl_reason(c->ioctl_err, &ctx, why, sizeof(why));
	if (c->ioctl_err != EOPNOTSUPP) {
		ktap_set(kc, NULL, "%s", why);
		return 0;
	}
	ktap_set(kc, "SKIP", "%s", why);
	c->ioctl_err = 0;
	return 1;
}

/* The value of axis @opt in the configuration @oc (lists cut to one). */
static const char *axis_value(const struct parse_opt *opt,
			      const struct run_opts *oc, char *buf, size_t len)
{
	const void *p = *(void *const *)((const char *)oc + opt->offset);

	if (!p)
		return "default";
	switch (opt->type) {
	case OPTION_ENUM_LIST:
		return opt_name_of(opt->names, *(const uint32_t *)p);
	case OPTION_SIZE_LIST:
		return format_size(opt_load_uint(p, opt->width), buf, len);
	case OPTION_UINT_LIST:
		snprintf(buf, len, "%llu",
			 (unsigned long long)opt_load_uint(p, opt->width));
		return buf;
	default:
		break;
	}
	if (!strcmp(opt->long_name, "flush"))
		return format_flush(p, buf, len);
	if (!strcmp(opt->long_name, "attrs"))
		return run_attrs_name(*(const uint32_t *)p, buf, len)[0] ?
		       buf : "none";
	return "?";
}

/*
 * KTAP: the name of every configuration, in the order run_execute runs
 * them: test, device, size, threads, dir, then every other list given
 * with more than one value.
 */
static int ktap_plan(struct run_cmd *c)
{
	size_t k, n = 0;

	c->kc = calloc(c->nconfigs ? c->nconfigs : 1, sizeof(*c->kc));
	if (!c->kc)
		return fail("out of memory");
	for (k = 0; k < c->ax.total; k++) {
		struct run_opts oc;
		struct ktap_config *kc = &c->kc[n];
		char size[32], val[96];
		size_t l;

		if (!runopt_pick(&c->o, &c->ax, k, &oc))
			continue;
		kc->config = -1;
		l = (size_t)snprintf(kc->name, sizeof(kc->name), "%s device=%s "
				     "size=%s threads=%llu dir=%s", oc.test,
				     oc.device, format_size(oc.sizes[0], size,
							    sizeof(size)),
				     (unsigned long long)oc.threads[0],
				     run_dir_name(oc.dir));
		for (size_t a = 0; a < c->ax.n && l < sizeof(kc->name); a++) {
			const struct parse_opt *opt = c->ax.opt[a];

			if (c->ax.count[a] < 2 ||
			    !strcmp(opt->long_name, "test") ||
			    !strcmp(opt->long_name, "size") ||
			    !strcmp(opt->long_name, "threads"))
				continue;
			l += (size_t)snprintf(kc->name + l,
					      sizeof(kc->name) - l, " %s=%s",
					      opt->long_name,
					      axis_value(opt, &oc, val,
							 sizeof(val)));
		}
		ktap_clean(kc->name);
		n++;
	}
	c->nkc = n;
	return 0;
}

static int any_switch(const struct run_opts *o)
{
	for (size_t d = 0; o->domains && d < o->ndomains; d++)
		if (o->domains[d] != DOMAIN_CURRENT)
			return 1;
	return 0;
}

/* Open the module, the output and the domain; 0 or EXIT_*. */
static int run_prepare(struct run_cmd *c, int argc, char **argv)
{
	char why[600];
	int ok;

	if (run_session_open(&c->s))
		return EXIT_FAIL;
	if (run_tests_missing(&c->o, why, sizeof(why)) && !only_lacking(c))
		return fail("%s", why);
	c->dev = run_session_lookup(&c->s, &c->o, &ok);
	if (!ok)
		return EXIT_FAIL;
	run_session_meta(&c->s, &c->o, &c->meta, argc, argv);
	c->have_meta = 1;
	for (size_t i = 0; i < c->o.nthreads; i++)
		if (c->meta.online_cpus && c->o.threads[i] > c->meta.online_cpus) {
			fprintf(stderr, "note: %llu threads on %u online CPUs: "
				"the threads beyond the CPUs wait for one, so "
				"the tail percentiles include scheduler "
				"latency\n", (unsigned long long)c->o.threads[i],
				c->meta.online_cpus);
			break;
		}
	if (c->o.output) {
		c->out = fopen(c->o.output, "w");
		if (!c->out)
			return usage_error("run", "cannot write --output '%s': "
					   "%s", c->o.output, strerror(errno));
	}
	if (any_switch(&c->o) && domain_set_add(&c->doms, c->o.device, ""))
		return EXIT_FAIL;
	if (c->o.perf) {
		unsigned n = run_perf_setup(&c->s, &c->o, 0, c->perf_names);

		for (unsigned e = 0; e < n; e++)
			c->perf_cols[e] = c->perf_names[e];
		output_set_extra(n, c->perf_cols, NULL);
	}
	return 0;
}

/* Before the picked configuration: its domain type.  0, or -1 to stop. */
static int run_domain_step(struct run_cmd *c, unsigned *cur)
{
	unsigned want;
	int r, ok = 1;

	if (!c->doms.n)
		return 0;
	want = c->o.domains[runopt_axis_index(&c->ax, "domain")];
	if (want == *cur)
		return 0;
	*cur = want;
	r = run_switch_domain(&c->s, &c->doms, c->o.device, want, "");
	if (r == 1)	/* the device was rebound: look it up again */
		c->dev = run_session_device(&c->s, c->o.device, &ok);
	if (r < 0 || !ok) {
		c->sw_err = 1;
		return -1;
	}
	return 0;
}

/* Every configuration, until one fails or Ctrl-C. */
static void run_execute(struct run_cmd *c)
{
	unsigned cur_domain = DOMAIN_CURRENT, config = 0, first_config;
	struct ktap_config *kc = NULL;
	size_t planned = 0;

	run_install_interrupt_handler();
	for (size_t k = 0; k < c->ax.total; k++) {
		struct run_opts oc;
		struct dmabench_run *run = &c->run;

		if (!runopt_pick(&c->o, &c->ax, k, &oc))
			continue;
		if (c->kc)
			kc = &c->kc[planned++];
		if (run_interrupted || run_domain_step(c, &cur_domain) ||
		    run_interrupted) {	/* a Ctrl-C held back by a switch */
			if (run_interrupted)
				c->stop_status = DMABENCH_STATUS_INTERRUPTED;
			break;
		}
		if (kc && kernel_lacks(c, oc.test)) {
			ktap_set(kc, "SKIP", "this kernel lacks the API of %s "
				 "(the module's tests file leaves it out)",
				 oc.test);
			continue;
		}
		first_config = config;
		c->ioctl_err = run_config(&c->s, &oc, oc.sizes[0],
					  oc.threads[0], c->dev,
					  c->meta.platform, &config, &c->rows,
					  run, NULL, NULL);
		if (c->ioctl_err && kc && ktap_refused(c, kc, &oc))
			continue;
		if (c->ioctl_err)
			break;
		/* KTAP: the rows of every interval of an --interval run */
		if (kc) {
			kc->config = (int)first_config;
			kc->config_end = (int)config;
		}
		/*
		 * Refused mappings under a narrowed mask stay cached in the
		 * device's DMA domain (see domain_recreate): renew it after.
		 */
		if (oc.dma_mask_bits && run->errors && !oc.iommu && c->dev &&
		    (!strcmp(c->dev->domain, "DMA") ||
		     !strcmp(c->dev->domain, "DMA-FQ")))
			c->renew = 1;
		c->measured++;
		c->meta.timer_overhead_ns = run->timer_overhead_ps / 1000.0;
		if ((run->flags & DMABENCH_RUN_BOUNCE) && !run->bounced &&
		    run->nphases && run->phase[0].ops &&
		    c->o.format != OUTPUT_TEXT)
			fprintf(stderr, "warning: %s: no mapping bounced: the "
				"buffers lie below the DMA mask; boot with "
				"swiotlb=force\n", oc.test);
		if (run->status != DMABENCH_STATUS_DONE) {
			c->stop_status = run->status;
			break;
		}
	}
}

/*
 * The rows in --format; KTAP: every configuration planned, those the run
 * did not reach as ERROR.  0, or -1 (errno set).
 */
static int write_results(struct run_cmd *c)
{
	FILE *f = c->out ? c->out : stdout;
	const char *why = c->stop_status == DMABENCH_STATUS_INTERRUPTED ||
			  c->ioctl_err == EINTR ? "interrupted" :
			  c->sw_err ? "the domain switch failed" :
			  "the run stopped at the failure before";

	if (!is_ktap(c))
		return output_write(f, c->o.format, &c->meta, c->rows.v,
				    c->rows.n);
	for (size_t i = 0; i < c->nkc; i++)
		if (c->kc[i].config < 0 && !c->kc[i].directive &&
		    !c->kc[i].reason[0])
			ktap_set(&c->kc[i], "ERROR", "not run: %s", why);
	output_ktap(f, "dmabench run", &c->meta, c->rows.v, c->rows.n, c->kc,
		    c->nkc);
	if (fflush(f) || ferror(f)) {
		errno = errno ? errno : EIO;
		return -1;
	}
	return 0;
}

/* Restore the domain, write the rows, say how it ended: the exit code. */
static int run_finish(struct run_cmd *c)
{
	char why[600];

	if (domain_set_restore(&c->doms))
		c->sw_err = 1;
	if (c->renew && domain_renew(c->o.device, why, sizeof(why)))
		fprintf(stderr, "warning: %s: %s; until its default domain "
			"is recreated, mappings of %s under a narrow mask fail "
			"at once and the others are slower\n", c->o.device, why,
			c->o.device);
	if ((c->rows.n || is_ktap(c) || (!c->ioctl_err && !c->sw_err)) &&
	    write_results(c)) {
		fail("writing the results failed: %s", strerror(errno));
		c->ioctl_err = c->ioctl_err ? c->ioctl_err : EIO;
	}
	output_set_extra(0, NULL, NULL);
	if (c->ioctl_err == EINTR) {
		c->stop_status = DMABENCH_STATUS_INTERRUPTED;
		c->ioctl_err = 0;
	}
	if (c->ioctl_err) {
		struct ctl_error_ctx ctx;

		run_error_ctx(&ctx, &c->o, &c->run);
		return fail("%s", ctl_ioctl_reason(c->ioctl_err, &ctx, why,
						   sizeof(why)));
	}
	if (c->sw_err)
		return EXIT_FAIL;	/* printed */
	if (c->stop_status == DMABENCH_STATUS_INTERRUPTED) {
		fprintf(stderr, "note: interrupted: the results cover %u of %u "
			"configurations%s\n", c->measured, c->nconfigs,
			c->run.status == DMABENCH_STATUS_INTERRUPTED ?
			", the last one cut short" : "");
		return EXIT_FAIL;
	}
	if (c->stop_status == DMABENCH_STATUS_DEVICE_GONE) {
		fprintf(stderr, "note: %s was unbound during the run: the "
			"results cover only what was measured before\n",
			c->o.device);
		return EXIT_FAIL;
	}
	if (c->stop_status != DMABENCH_STATUS_DONE) {
		fprintf(stderr, "note: the module returned unknown status %u\n",
			c->stop_status);
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

int cmd_run(int argc, char **argv)
{
	struct run_cmd *c = calloc(1, sizeof(*c));
	int ret;

	if (!c)
		return fail("out of memory");
	c->s.fd = -1;
	run_interrupted = 0;
	run_opts_init(&c->o);
	ret = run_parse_options("run", argc, argv, &c->o, 1);
	if (ret) {
		ret = ret < 0 ? EXIT_OK : ret;	/* -1: --help */
		goto out;
	}
	runopt_axes(&c->o, &c->ax);
	for (size_t k = 0; k < c->ax.total; k++) {
		struct run_opts oc;

		c->nconfigs += (unsigned)runopt_pick(&c->o, &c->ax, k, &oc);
	}
	ret = is_ktap(c) ? ktap_plan(c) : 0;
	if (!ret)
		ret = run_prepare(c, argc, argv);
	if (!ret) {
		run_execute(c);
		ret = run_finish(c);
	}
	if (c->out && fclose(c->out) && ret == EXIT_OK)
		ret = fail("writing %s failed: %s", c->o.output,
			   strerror(errno));
out:
	if (c->have_meta)
		meta_free(&c->meta);
	domain_set_free(&c->doms);
	run_session_close(&c->s);
	if (c->have_tests)
		ctl_tests_free(&c->tests);
	free(c->kc);
	free(c->rows.v);
	run_opts_free(&c->o);
	free(c);
	return ret;
}
