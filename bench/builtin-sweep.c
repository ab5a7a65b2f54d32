// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * dmabench sweep: run every configuration of a job file (util/jobfile.h)
 * through the same code as `run`, each one --repeat times with fresh
 * kthreads, and write one results directory:
 *
 *   results.csv    every phase of every repetition: the run CSV columns
 *                  plus job, rep (and the --perf rates)
 *   hist.csv       the latency histograms merged over the repetitions,
 *                  one line per non-empty bucket (with the settings that
 *                  tell configurations apart)
 *   metadata.json  machine, kernel, platform, sweep settings
 *   kmsg.txt       the kernel log written during the sweep
 *   JOBFILE        a copy of the job file
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "builtin.h"
#include "util/abstats.h"
#include "util/cli.h"
#include "util/domain.h"
#include "util/engine.h"
#include "util/jobfile.h"
#include "util/kmsg.h"
#include "util/ktap.h"
#include "util/meta.h"
#include "util/parse-options.h"
#include "util/parse.h"
#include "util/runopt.h"
#include "util/sysfs.h"


#define DEFAULT_REPEAT	5
#define CI_MIN_REPS	6	/* fewer cannot give a 95 % CI of a median */
#define CI_MAX_REPS	SWEEP_MAX_REPEAT
#define CI_DEFAULT_MAX_SECONDS 60.0

/* One configuration ready to run. */
struct sweep_cfg {
	const struct job_config *jc;
	struct run_opts o;
	char **argv;			/* what run_parse_options saw */
	int argc;
	const struct ctl_device *dev;
	unsigned repeat;
	double min_s, max_s, ci;	/* 0: not set */
};

struct sweep_opts {
	const char *jobfile;
	const char *label;
	const char *results_dir;
	struct sweep_settings set;	/* beat the job file's */
	int perf, dry_run;
	uint32_t format;		/* SWEEP_TEXT | SWEEP_KTAP */
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cb_label(const struct parse_opt *opt, const char *arg,
		    void *base, char *why, size_t len)
{
	struct sweep_opts *o = base;

	(void)opt;
	if (!*arg || strchr(arg, '/') || arg[0] == '.')
		return snprintf(why, len, "bad --label '%s': a plain name, no "
				"'/'", arg), -1;
	o->label = arg;
	return 0;
}

/* --define NAME=VAL: ${NAME} in the job file, as the environment would. */
static int cb_define(const struct parse_opt *opt, const char *arg,
		     void *base, char *why, size_t len)
{
	const char *eq = strchr(arg, '=');
	char *name;

	(void)opt;
	(void)base;
	if (!eq || eq == arg)
		return snprintf(why, len, "bad --define '%s': want NAME=VALUE",
				arg), -1;
	name = strndup(arg, (size_t)(eq - arg));
	if (!name)
		return snprintf(why, len, "out of memory"), -1;
	setenv(name, eq + 1, 1);
	free(name);
	return 0;
}

enum { SWEEP_TEXT, SWEEP_KTAP };

static const struct opt_name sweep_format_names[] = {
	{ "text", SWEEP_TEXT, 0 },
	{ "ktap", SWEEP_KTAP, 0 },
	{ NULL, 0, 0 },
};

#define SO(f)	OPT__FIELD(struct sweep_opts, f)

static const struct parse_opt sweep_options[] = {
	{ OPTION_CALLBACK, 'l', "label", SO(label), .callback = cb_label,
	  .argh = "L", .help = "name of the results directory (default:\n"
	  "kernel release and date)" },
	SWEEP_SETTING_OPTIONS(struct sweep_opts, set.),
	{ OPTION_STRING, 'R', "results-dir", SO(results_dir), .argh = "DIR",
	  .help = "where results/<label>/ goes (default results)" },
	{ OPTION_FLAG, 0, "perf", SO(perf),
	  .help = "count CPU and IOMMU PMU events (see run)" },
	{ OPTION_CALLBACK, 'D', "define", .callback = cb_define,
	  .argh = "NAME=VAL", .help = "set ${NAME} for the job file (as the\n"
	  "environment would)" },
	{ OPTION_FLAG, 'n', "dry-run", SO(dry_run),
	  .help = "list the configurations, run nothing" },
	{ OPTION_ENUM, 'f', "format", SO(format), .names = sweep_format_names,
	  .argh = "FMT", .help = "text | ktap: KTAP version 1 on stdout as it\n"
	  "goes, one test per configuration, its phases\nnested, each "
	  "repetition a diagnostic line\n(default text: progress on stderr)" },
	OPT_TEXT("\nThe job file is INI like fio's: [global] and one [section] "
		 "per job;\nkeys are the long options of `dmabench run` plus "
		 "repeat, ci,\nmin-seconds, max-seconds.  Comma lists expand "
		 "into every combination;\nsize = 4K..4M and threads = "
		 "1..ncpus double from low to high.\nKeys that do not apply to "
		 "a job's test (the module's tests file says\nwhich options "
		 "each test takes: nents, seg-size, layout only map_sg;\nattrs "
		 "only alloc; ...) are left out for it, with a note, and\n"
		 "configurations that become equal run once.\ndomain = "
		 "identity,dma,dma-fq: the configurations run grouped by\n"
		 "domain type (one switch each); the types are restored at "
		 "the end.\nCtrl-C stops after the current run; what was "
		 "measured is kept.\n"),
	OPT_END(),
};

static int parse_sweep_options(int argc, char **argv, struct sweep_opts *o)
{
	struct parse_ctx ctx = {
		.cmd = "sweep", .max_args = 1,
		.usage = "usage: dmabench sweep JOBFILE [options]\n\n",
	};
	int r = parse_options(&ctx, argc, argv, sweep_options, o);

	if (r)
		return r;
	if (!ctx.nargs)
		return usage_error("sweep", "missing JOBFILE (e.g. "
				   "scripts/jobs/quick)");
	o->jobfile = ctx.args[0];
	if (o->set.min_ns && o->set.max_ns && o->set.min_ns > o->set.max_ns)
		return usage_error("sweep", "--min-seconds is above "
				   "--max-seconds");
	return 0;
}

static void note_once(const char *job, const char *key, const char *test)
{
	static char seen[64][96];
	static unsigned nseen;
	char id[96];

	snprintf(id, sizeof(id), "%s/%s/%s", job, key, test);
	for (unsigned i = 0; i < nseen; i++)
		if (!strcmp(seen[i], id))
			return;
	if (nseen < 64)
		str_copy(seen[nseen++], sizeof(seen[0]), id);
	fprintf(stderr, "note: job [%s]: %s does not apply to %s: left out "
		"there\n", job, key, test);
}

/*
 * Build "sweep --key value ..." for run_parse_options, leaving out the
 * keys that do not apply to the configuration's test.
 */
static int cfg_argv(struct sweep_cfg *c, int perf,
		    const struct ctl_tests *ct)
{
	const struct job_config *jc = c->jc;
	const char *test = job_config_get(jc, "test");
	char **argv = calloc(2 * jc->nkv + 3, sizeof(*argv));
	int n = 0;

	if (!argv)
		return -1;
	argv[n++] = strdup("sweep");
	for (size_t k = 0; k < jc->nkv; k++) {
		size_t len = strlen(jc->key[k]) + 3;

		if (jobfile_is_sweep_key(jc->key[k]))
			continue;
		if (test && !runopt_applies(runopt_job_key(jc->key[k]),
					    ctl_test_fields(ct, test))) {
			note_once(jc->job, jc->key[k], test);
			continue;
		}
		argv[n] = malloc(len);
		if (argv[n])
			snprintf(argv[n], len, "--%s", jc->key[k]);
		n++;
		if (!jobfile_is_flag_key(jc->key[k]))
			argv[n++] = strdup(jc->val[k]);
	}
	if (perf && !job_config_get(jc, "perf"))
		argv[n++] = strdup("--perf");
	c->argv = argv;
	c->argc = n;
	for (int i = 0; i < n; i++)
		if (!argv[i])
			return -1;
	return 0;
}

/* Does cfg[@i] run exactly what an earlier one of its job runs? */
static int cfg_duplicate(const struct sweep_cfg *cfg, unsigned i)
{
	for (unsigned k = i; k-- > 0;) {
		int same;

		if (strcmp(cfg[k].jc->job, cfg[i].jc->job))
			break;
		same = cfg[k].argc == cfg[i].argc;
		for (int a = 1; same && a < cfg[i].argc; a++)
			same = !strcmp(cfg[k].argv[a], cfg[i].argv[a]);
		if (same)
			return 1;
	}
	return 0;
}


/*
 * The sweep settings of one configuration: the job's keys (the same
 * table as the command line's options), overridden by the command line.
 */
static int cfg_settings(struct sweep_cfg *c, const struct sweep_opts *so)
{
	struct sweep_settings set = { 0 };

	for (const struct parse_opt *opt = sweep_setting_options;
	     opt->type != OPTION_END; opt++) {
		const char *v = job_config_get(c->jc, opt->long_name);

		if (v && parse_option_value("sweep", opt, v, &set))
			return EXIT_USAGE;
	}
	if (so->set.repeat)
		set.repeat = so->set.repeat;
	if (so->set.ci)
		set.ci = so->set.ci;
	if (so->set.min_ns)
		set.min_ns = so->set.min_ns;
	if (so->set.max_ns)
		set.max_ns = so->set.max_ns;
	c->repeat = set.repeat ? (unsigned)set.repeat : DEFAULT_REPEAT;
	c->ci = set.ci;
	c->min_s = (double)set.min_ns / 1e9;
	c->max_s = (double)set.max_ns / 1e9;
	if (c->ci && !c->max_s)
		c->max_s = CI_DEFAULT_MAX_SECONDS;
	return 0;
}

static void cfg_free(struct sweep_cfg *c)
{
	for (int a = 0; a < c->argc; a++)
		free(c->argv[a]);
	free(c->argv);
	run_opts_free(&c->o);
	memset(c, 0, sizeof(*c));
}
static const char *cfg_desc(const struct sweep_cfg *c, char *buf, size_t len)
{
	char size[32];

	snprintf(buf, len, "[%s] %s %s x%llu %s", c->jc->job, c->o.test,
		 c->o.mix.n ? "mix" :
		 format_size(c->o.sizes[0], size, sizeof(size)),
		 (unsigned long long)c->o.threads[0], c->o.device);
	return buf;
}

/* ---- results directory ---- */

static FILE *open_in(const char *dir, const char *name)
{
	char path[2048];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return fopen(path, "w");
}

static int copy_file(const char *text, const char *dir, const char *name)
{
	FILE *f = open_in(dir, name);

	if (!f)
		return -1;
	fputs(text, f);
	return fclose(f);
}

static int make_results_dir(const char *parent, const char *label,
			    char *dir, size_t len)
{
	if (mkdir(parent, 0755) && errno != EEXIST)
		return fail("cannot create %s: %s", parent, strerror(errno));
	snprintf(dir, len, "%s/%s", parent, label);
	if (mkdir(dir, 0755)) {
		if (errno == EEXIST)
			return fail("%s already exists: choose another "
				    "--label or remove it", dir);
		return fail("cannot create %s: %s", dir, strerror(errno));
	}
	return 0;
}

static void kmsg_line(unsigned long long usec, const char *text, void *arg)
{
	fprintf(arg, "[%5llu.%06llu] %s\n", usec / 1000000, usec % 1000000,
		text);
}

/* The kernel log since the sweep began (kmsg_mark), or why it is not. */
static void kmsg_write(int fd, const char *dir)
{
	FILE *f = open_in(dir, "kmsg.txt");

	if (!f)
		return;
	if (fd < 0)
		fprintf(f, "(kernel log not captured: /dev/kmsg: %s)\n",
			strerror(-fd));
	else
		kmsg_read(fd, kmsg_line, f);
	fclose(f);
}

static void json_kv(FILE *f, const char *key, const char *val)
{
	fprintf(f, "    \"%s\": ", key);
	output_json_string(f, val);
	fputs(",\n", f);
}

static void write_metadata(const char *dir, const struct run_meta *m,
			   const char *label, const char *jobname,
			   unsigned nconfigs, unsigned ndone,
			   const char *status, const char *start,
			   double seconds, const struct sweep_cfg *cfg)
{
	FILE *f = open_in(dir, "metadata.json");
	char gov[64], end[32];
	time_t t = time(NULL);
	struct tm tm;

	if (!f) {
		fail("cannot write %s/metadata.json: %s", dir,
		     strerror(errno));
		return;
	}
	end[0] = '\0';
	if (gmtime_r(&t, &tm))
		strftime(end, sizeof(end), "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (sysfile_read(gov, sizeof(gov), "/sys/devices/system/cpu/cpu0/"
			 "cpufreq/scaling_governor"))
		str_copy(gov, sizeof(gov), "unknown");
	fputs("{\n  \"metadata\": {\n", f);
	json_kv(f, "label", label);
	json_kv(f, "jobfile", jobname);
	json_kv(f, "sweep_status", status);
	fprintf(f, "    \"configurations\": %u,\n", nconfigs);
	fprintf(f, "    \"configurations_done\": %u,\n", ndone);
	fprintf(f, "    \"repeat\": %u,\n", cfg ? cfg->repeat : 0);
	if (cfg && cfg->ci)
		fprintf(f, "    \"ci_target_percent\": %g,\n", cfg->ci);
	json_kv(f, "start", start);
	json_kv(f, "end", end);
	fprintf(f, "    \"seconds\": %.1f,\n", seconds);
	json_kv(f, "cpufreq_governor", gov);
	output_json_meta_fields(f, m, 1);
	fputs("  }\n}\n", f);
	if (fclose(f))
		fail("writing %s/metadata.json failed", dir);
}

/* Merged histograms of one configuration. */
struct cfg_hist {
	uint64_t *h;			/* MAX_PHASES x BUCKETS */
	char phase[DMABENCH_MAX_PHASES][DMABENCH_PHASE_LEN];
	unsigned nphases;
};

static void hist_write(FILE *f, const struct cfg_hist *ch,
		       const struct result_row *proto)
{
	static struct result_row copy;	/* large: not on the stack */
	struct result_row *line = &copy;

	*line = *proto;
	for (unsigned p = 0; p < ch->nphases; p++) {
		const uint64_t *h = ch->h + (size_t)p * DMABENCH_HIST_BUCKETS;

		str_copy(line->phase, sizeof(line->phase), ch->phase[p]);
		for (uint32_t b = 0; b < DMABENCH_HIST_BUCKETS; b++)
			if (h[b]) {
				line->hist_lower = dmabench_hist_lower(b);
				line->hist_count = h[b];
				output_hist_row(f, line);
			}
	}
}

/* Is the 95 % CI of every phase's median p50 narrower than @pct? */
static int ci_reached(const struct row_list *rows, size_t first,
		      size_t nreps, unsigned nphases, double pct)
{
	/* a repetition: its totals first (then size classes, intervals) */
	size_t stride = (rows->n - first) / (nreps ? nreps : 1);
	double *v = malloc((nreps ? nreps : 1) * sizeof(*v));
	int ok = nreps >= CI_MIN_REPS;

	if (!v)
		return 1;
	for (unsigned p = 0; ok && p < nphases; p++) {
		double lo, hi, med;

		for (size_t r = 0; r < nreps; r++)
			v[r] = (double)rows->v[first + r * stride + p]
				.st.p50_ns;
		med = ab_median(v, nreps);
		if (ab_median_ci(v, nreps, 0.95, &lo, &hi) ||
		    (med > 0 && (hi - lo) / med * 100.0 > pct))
			ok = 0;
	}
	free(v);
	return ok;
}

static void progress(unsigned i, unsigned n, const struct sweep_cfg *c,
		     unsigned rep, double t0, double done_frac)
{
	double el = now_s() - t0, left;
	char desc[160];

	if (!isatty(2))
		return;
	left = done_frac > 0 ? el / done_frac - el : 0;
	fprintf(stderr, "\r\033[Kjob %u of %u %s rep %u  elapsed %d:%02d  "
		"left ~%d:%02d", i + 1, n, cfg_desc(c, desc, sizeof(desc)),
		rep + 1, (int)el / 60, (int)el % 60, (int)left / 60,
		(int)left % 60);
}

/* ---- --domain ---- */

static unsigned cfg_domain(const struct sweep_cfg *c)
{
	return c->o.domains ? c->o.domains[0] : DOMAIN_CURRENT;
}

/*
 * Stable sort: configurations of one domain type together, the types in
 * the order they first appear, so each is switched to once.
 */
static void sort_by_domain(struct sweep_cfg *cfg, unsigned n)
{
	unsigned rank[DOMAIN_NWANT], next = 0;

	for (unsigned d = 0; d < DOMAIN_NWANT; d++)
		rank[d] = DOMAIN_NWANT;
	for (unsigned i = 0; i < n; i++)
		if (rank[cfg_domain(&cfg[i])] == DOMAIN_NWANT)
			rank[cfg_domain(&cfg[i])] = next++;
	for (unsigned i = 1; i < n; i++) {
		struct sweep_cfg t = cfg[i];
		unsigned j = i;

		while (j > 0 && rank[cfg_domain(&cfg[j - 1])] >
		       rank[cfg_domain(&t)]) {
			cfg[j] = cfg[j - 1];
			j--;
		}
		cfg[j] = t;
	}
}



/* One `dmabench sweep`: its plan, then its results directory. */
struct sweep {
	struct sweep_opts so;
	char *text;			/* the job file */
	struct jobfile jf;
	struct job_list jobs;
	struct sweep_cfg *cfg;
	unsigned ncfg;
	double planned;			/* runs (repetitions) planned */
	struct run_session s;
	struct row_list rows;
	struct cfg_hist ch;
	struct domain_set doms;
	struct run_meta meta;
	int have_meta;
	struct dmabench_run run;	/* the last request and its result */
	char dir[1024], label[160], start[32];
	const char *jobbase, *status;
	char perf_names[PERF_MAX_EVENTS][48];
	const char *cols[PERF_MAX_EVENTS];
	FILE *csv, *hcsv;
	unsigned ndone;
	int kfd, ioctl_err;
	double t0;
};

/* ---- plan: the job file into checked configurations ---- */

static char *read_text(const char *path)
{
	FILE *f = fopen(path, "r");
	size_t cap = 4096, len = 0, n;
	char *text;

	if (!f)
		return NULL;
	text = malloc(cap);
	while (text && (n = fread(text + len, 1, cap - len - 1, f))) {
		len += n;
		if (len + 1 == cap) {
			char *t = realloc(text, cap *= 2);

			if (!t)
				free(text);
			text = t;
		}
	}
	fclose(f);
	if (text)
		text[len] = '\0';
	else
		errno = ENOMEM;
	return text;
}

static int read_jobs(struct sweep *sw)
{
	long nc = sysconf(_SC_NPROCESSORS_ONLN);
	char err[512];

	sw->text = read_text(sw->so.jobfile);
	if (!sw->text)
		return usage_error("sweep", "cannot read '%s': %s",
				   sw->so.jobfile, strerror(errno));
	if (jobfile_parse(sw->text, &sw->jf, err, sizeof(err)) ||
	    jobfile_expand(&sw->jf, nc > 0 ? (unsigned)nc : 1, &sw->jobs, err,
			   sizeof(err)))
		return usage_error("sweep", "%s: %s", sw->so.jobfile, err);
	sw->cfg = calloc(sw->jobs.n ? sw->jobs.n : 1, sizeof(*sw->cfg));
	if (!sw->cfg)
		return fail("out of memory");
	return 0;
}

/* Configuration ncfg from job config @jc; 1 when it duplicates one. */
static int plan_one(struct sweep *sw, const struct job_config *jc,
		    const struct ctl_tests *ct)
{
	struct sweep_cfg *c = &sw->cfg[sw->ncfg];
	char why[600];

	c->jc = jc;
	run_opts_init(&c->o);
	if (cfg_argv(c, sw->so.perf, ct))
		return fail("out of memory");
	if (cfg_duplicate(sw->cfg, sw->ncfg)) {
		cfg_free(c);
		return 1;
	}
	sw->ncfg++;
	if (run_parse_options("sweep", c->argc, c->argv, &c->o, 0) ||
	    cfg_settings(c, &sw->so)) {
		fprintf(stderr, "dmabench sweep: (in %s, job [%s])\n",
			sw->so.jobfile, jc->job);
		return EXIT_USAGE;
	}
	if (run_tests_missing(&c->o, why, sizeof(why)))
		return usage_error("sweep", "%s, job [%s]: %s", sw->so.jobfile,
				   jc->job, why);
	sw->planned += c->repeat;
	return 0;
}

/* Parse, expand and check everything before running anything. */
static int sweep_plan(struct sweep *sw)
{
	struct ctl_tests ct;
	int r = read_jobs(sw);

	if (r)
		return r;
	if (ctl_read_tests(&ct))
		return fail("out of memory");
	for (size_t j = 0; j < sw->jobs.n && r <= 1; j++)
		r = plan_one(sw, &sw->jobs.v[j], &ct);
	ctl_tests_free(&ct);
	if (r > 1)
		return r;
	sort_by_domain(sw->cfg, sw->ncfg);
	return 0;
}

static void sweep_dry_run(const struct sweep *sw)
{
	char desc[160];

	for (unsigned i = 0; i < sw->ncfg; i++) {
		printf("%3u %s, %u reps:", i + 1,
		       cfg_desc(&sw->cfg[i], desc, sizeof(desc)),
		       sw->cfg[i].repeat);
		for (int a = 1; a < sw->cfg[i].argc; a++)
			printf(" %s", sw->cfg[i].argv[a]);
		putchar('\n');
	}
	printf("%u configurations\n", sw->ncfg);
}

/* ---- prepare: the module, the devices, the results directory ---- */

static int check_devices(struct sweep *sw)
{
	char err[600];
	int ok;

	for (unsigned i = 0; i < sw->ncfg; i++) {
		sw->cfg[i].dev = run_session_lookup(&sw->s, &sw->cfg[i].o, &ok);
		if (!ok)
			return -1;
	}
	/* --domain: check every device to switch before running anything */
	for (unsigned i = 0; i < sw->ncfg; i++) {
		snprintf(err, sizeof(err), "job [%s]: ", sw->cfg[i].jc->job);
		if (cfg_domain(&sw->cfg[i]) != DOMAIN_CURRENT &&
		    domain_set_add(&sw->doms, sw->cfg[i].o.device, err))
			return -1;
	}
	return 0;
}

static void default_label(struct sweep *sw)
{
	char d[32];
	time_t t = time(NULL);
	struct tm tm;

	if (sw->so.label) {
		str_copy(sw->label, sizeof(sw->label), sw->so.label);
		return;
	}
	localtime_r(&t, &tm);
	strftime(d, sizeof(d), "%Y%m%d-%H%M%S", &tm);
	snprintf(sw->label, sizeof(sw->label), "%.100s-%s",
		 sw->meta.kernel_release[0] ? sw->meta.kernel_release :
		 "linux", d);
}

/* results.csv, hist.csv and the job file's copy in a new directory. */
static int open_results(struct sweep *sw)
{
	const char *base = strrchr(sw->so.jobfile, '/');

	if (make_results_dir(sw->so.results_dir, sw->label, sw->dir,
			     sizeof(sw->dir)))
		return -1;
	base = base ? base + 1 : sw->so.jobfile;
	if (!strcmp(base, "results.csv") || !strcmp(base, "hist.csv") ||
	    !strcmp(base, "metadata.json") || !strcmp(base, "kmsg.txt"))
		base = "jobfile";
	sw->jobbase = base;
	if (copy_file(sw->text, sw->dir, base))
		return fail("cannot write %s/%s: %s", sw->dir, base,
			    strerror(errno));
	sw->csv = open_in(sw->dir, "results.csv");
	sw->hcsv = open_in(sw->dir, "hist.csv");
	sw->ch.h = malloc(sw->s.hist_bytes);
	if (!sw->csv || !sw->hcsv || !sw->ch.h)
		return fail("cannot write %s: %s", sw->dir, strerror(errno));
	return 0;
}

/* The sweep columns job and rep, the --perf rates, the headers. */
static void setup_columns(struct sweep *sw)
{
	unsigned ncols = 0;

	if (sw->so.perf || job_config_get(sw->cfg[0].jc, "perf")) {
		unsigned n = run_perf_setup(&sw->s, &sw->cfg[0].o, 0,
					    sw->perf_names);

		for (unsigned e = 0; e < n; e++)
			sw->cols[ncols++] = sw->perf_names[e];
	}
	output_set_extra(ncols, sw->cols, NULL);
	output_set_sweep(1);
	output_csv_header(sw->csv);
	output_hist_header(sw->hcsv);
}

static int sweep_prepare(struct sweep *sw, int argc, char **argv)
{
	if (run_session_open(&sw->s) || check_devices(sw))
		return EXIT_FAIL;
	run_session_meta(&sw->s, &sw->cfg[0].o, &sw->meta, argc, argv);
	sw->have_meta = 1;
	str_copy(sw->start, sizeof(sw->start), sw->meta.date);
	default_label(sw);
	if (open_results(sw))
		return EXIT_FAIL;
	setup_columns(sw);
	sw->kfd = kmsg_mark();
	return 0;
}

/* ---- execute: every configuration, --repeat times or to the CI ---- */

/* Repetition @rep of configuration @i (one run, or one per --interval). */
struct sweep_rep_ctx {
	struct sweep *sw;
	unsigned i, rep;
};

/* After each run: write its rows, merge its histograms. */
static int sweep_rows(void *ctx, size_t first)
{
	struct sweep_rep_ctx *rc = ctx;
	struct sweep *sw = rc->sw;
	const struct dmabench_run *run = &sw->run;

	sw->meta.timer_overhead_ns = run->timer_overhead_ps / 1000.0;
	for (size_t r = first; r < sw->rows.n; r++) {
		str_copy(sw->rows.v[r].job, sizeof(sw->rows.v[r].job),
			 sw->cfg[rc->i].jc->job);
		sw->rows.v[r].rep = rc->rep;
		output_csv_row(sw->csv, &sw->rows.v[r]);
	}
	fflush(sw->csv);
	sw->ch.nphases = run->nphases < DMABENCH_MAX_PHASES ?
			 run->nphases : DMABENCH_MAX_PHASES;
	for (unsigned p = 0; p < sw->ch.nphases; p++) {
		str_copy(sw->ch.phase[p], sizeof(sw->ch.phase[p]),
			 run->phase[p].name);
		hist_merge(sw->ch.h + (size_t)p * DMABENCH_HIST_BUCKETS,
			   sw->s.hist + (size_t)p * DMABENCH_HIST_BUCKETS);
	}
	return 0;
}

/* Repetition @rep of configuration @i: its rows and histograms. */
static int sweep_rep(struct sweep *sw, unsigned i, unsigned rep)
{
	struct sweep_cfg *c = &sw->cfg[i];
	struct sweep_rep_ctx rc = { .sw = sw, .i = i, .rep = rep };
	struct dmabench_run *run = &sw->run;
	unsigned config = i;
	int err;

	err = run_config(&sw->s, &c->o, c->o.sizes[0], c->o.threads[0],
			 c->dev, sw->meta.platform, &config, &sw->rows, run,
			 sweep_rows, &rc);
	if (err)
		return err;
	if (run->status != DMABENCH_STATUS_DONE)
		return run->status == DMABENCH_STATUS_INTERRUPTED ? EINTR :
		       ENODEV;
	return 0;
}

/*
 * Before configuration @i: its device's domain type; after a switch every
 * configuration's device is looked up again.  0, or -1 (printed).
 */
static int sweep_switch(struct sweep *sw, unsigned i)
{
	char where[64];
	int r, ok = 1;

	snprintf(where, sizeof(where), "job [%s]: ", sw->cfg[i].jc->job);
	r = run_switch_domain(&sw->s, &sw->doms, sw->cfg[i].o.device,
			      cfg_domain(&sw->cfg[i]), where);
	for (unsigned k = 0; r == 1 && ok && k < sw->ncfg; k++)
		sw->cfg[k].dev = run_session_lookup(&sw->s, &sw->cfg[k].o, &ok);
	return r < 0 || !ok ? -1 : 0;
}

/* Is configuration @c done after @rep + 1 repetitions since @c0? */
static int cfg_done(const struct sweep *sw, const struct sweep_cfg *c,
		    size_t first, unsigned rep, double c0)
{
	double el = now_s() - c0;
	int done = c->ci ? ci_reached(&sw->rows, first, rep + 1,
				      sw->ch.nphases, c->ci) :
		   rep + 1 >= c->repeat;

	if (c->min_s && el < c->min_s)
		done = 0;
	if ((c->max_s && el >= c->max_s) || rep + 1 >= CI_MAX_REPS)
		done = 1;
	return done;
}

/* Configuration @i: 0, an errno, or -1 (a domain switch failed). */
static int sweep_cfg_run(struct sweep *sw, unsigned i, double *done_units)
{
	struct sweep_cfg *c = &sw->cfg[i];
	double c0 = now_s();
	size_t first = sw->rows.n;
	int err = 0;

	memset(sw->ch.h, 0, sw->s.hist_bytes);
	sw->ch.nphases = 0;
	for (unsigned rep = 0;; rep++) {
		if (run_interrupted) {
			err = EINTR;
			break;
		}
		progress(i, sw->ncfg, c, rep, sw->t0, *done_units / sw->planned);
		if (rep == 0 && sweep_switch(sw, i))
			return -1;
		/* a Ctrl-C held back during the switch */
		err = run_interrupted ? EINTR : sweep_rep(sw, i, rep);
		if (err)
			break;
		if (*done_units + 1 <= sw->planned)
			*done_units += 1;
		if (cfg_done(sw, c, first, rep, c0))
			break;
	}
	if (sw->rows.n > first) {
		hist_write(sw->hcsv, &sw->ch, &sw->rows.v[first]);
		fflush(sw->hcsv);
	}
	return err;
}

/* --format ktap: "job=JOB test=map_single size=4K ..." of configuration @c */
static void cfg_ktap_name(const struct sweep_cfg *c, char *buf, size_t len)
{
	size_t l = (size_t)snprintf(buf, len, "job=%s", c->jc->job);

	/* argv: "sweep --key value ..." (a flag has no value) */
	for (int a = 1; a < c->argc && l < len; a++)
		l += (size_t)snprintf(buf + l, len - l, "%s%s",
				      c->argv[a][0] == '-' ? " " : "=",
				      c->argv[a] + 2 * (c->argv[a][0] == '-'));
	ktap_clean(buf);
}

/*
 * --format ktap: configuration @i as test @i + 1, after it ran with @err
 * (its rows are sw->rows).  What the kernel or device cannot do
 * (EOPNOTSUPP) is a SKIP and the sweep goes on: 0; else @err.
 */
static int sweep_ktap_cfg(struct sweep *sw, unsigned i, int err)
{
	struct ktap_config kc = { .config = sw->rows.n ? (int)i : -1 };
	struct ctl_error_ctx ctx;

	/* --interval: the rows of one repetition count up from i */
	for (size_t r = 0; r < sw->rows.n; r++)
		if ((int)sw->rows.v[r].config >= kc.config_end)
			kc.config_end = (int)sw->rows.v[r].config + 1;
	cfg_ktap_name(&sw->cfg[i], kc.name, sizeof(kc.name));
	if (err && err != -1 && err != EINTR) {
		run_error_ctx(&ctx, &sw->cfg[i].o, &sw->run);
		ctl_ioctl_reason(err, &ctx, kc.reason, sizeof(kc.reason));
	}
	if (err == EOPNOTSUPP) {
		kc.directive = "SKIP";
		err = 0;
	} else if (err == EINTR || err == -1) {
		snprintf(kc.reason, sizeof(kc.reason), "%s", err == EINTR ?
			 "interrupted" : "the domain switch failed");
	}
	ktap_clean(kc.reason);
	ktap_config(stdout, i + 1, &kc, sw->rows.v, sw->rows.n);
	fflush(stdout);
	return err;
}

/* --format ktap: the configurations after @from were not run. */
static void sweep_ktap_rest(struct sweep *sw, unsigned from)
{
	for (unsigned k = from; k < sw->ncfg; k++) {
		struct ktap_config kc = { .config = -1, .directive = "ERROR" };

		cfg_ktap_name(&sw->cfg[k], kc.name, sizeof(kc.name));
		snprintf(kc.reason, sizeof(kc.reason), "not run: the sweep "
			 "stopped at configuration %u", from);
		ktap_config(stdout, k + 1, &kc, NULL, 0);
	}
	ktap_end(stdout, &sw->meta);
	fflush(stdout);
}

static void sweep_execute(struct sweep *sw)
{
	double done_units = 0;
	int ktap = sw->so.format == SWEEP_KTAP;
	unsigned i;
	char what[1100];

	fprintf(stderr, "sweep: %u configurations from %s into %s\n",
		sw->ncfg, sw->so.jobfile, sw->dir);
	run_install_interrupt_handler();
	snprintf(what, sizeof(what), "dmabench sweep %s", sw->so.jobfile);
	if (ktap)
		ktap_begin(stdout, what, sw->ncfg);
	sw->t0 = now_s();
	for (i = 0; i < sw->ncfg && !sw->ioctl_err; i++) {
		size_t first = sw->rows.n;

		sw->ioctl_err = sweep_cfg_run(sw, i, &done_units);
		if (!sw->ioctl_err || sw->rows.n > first)
			sw->ndone++;
		if (ktap)
			sw->ioctl_err = sweep_ktap_cfg(sw, i, sw->ioctl_err);
		/* only the current configuration's rows are needed */
		if (!sw->ioctl_err)
			sw->rows.n = 0;
		done_units = 0;
		for (unsigned k = 0; k <= i; k++)
			done_units += sw->cfg[k].repeat;
	}
	if (ktap)
		sweep_ktap_rest(sw, i);
	if (isatty(2))
		fputs("\r\033[K", stderr);
	output_set_extra(0, NULL, NULL);
	output_set_sweep(0);
}

/* ---- finish: restore, say how it ended, metadata and kernel log ---- */

static int sweep_finish(struct sweep *sw)
{
	int ret = EXIT_OK, err = sw->ioctl_err;
	char why[600];

	sw->status = "complete";
	if (domain_set_restore(&sw->doms)) {
		ret = EXIT_FAIL;
		sw->status = "failed";
	}
	if (err == -1) {
		sw->status = "failed";	/* the switch said why */
	} else if (err == EINTR) {
		sw->status = "interrupted";
		fprintf(stderr, "note: interrupted: %s holds %u of %u "
			"configurations\n", sw->dir, sw->ndone, sw->ncfg);
	} else if (err == ENODEV &&
		   sw->run.status == DMABENCH_STATUS_DEVICE_GONE) {
		sw->status = "device-gone";
		fprintf(stderr, "note: the device was unbound: %s holds %u "
			"of %u configurations\n", sw->dir, sw->ndone, sw->ncfg);
	} else if (err) {
		struct ctl_error_ctx ctx;
		unsigned i = sw->ndone < sw->ncfg ? sw->ndone : sw->ncfg - 1;

		run_error_ctx(&ctx, &sw->cfg[i].o, &sw->run);
		sw->status = "failed";
		fail("job [%s]: %s", sw->cfg[i].jc->job,
		     ctl_ioctl_reason(err, &ctx, why, sizeof(why)));
	}
	if (err)
		ret = EXIT_FAIL;
	write_metadata(sw->dir, &sw->meta, sw->label, sw->jobbase, sw->ncfg,
		       sw->ndone, sw->status, sw->start, now_s() - sw->t0,
		       &sw->cfg[0]);
	kmsg_write(sw->kfd, sw->dir);
	sw->kfd = -1;	/* kmsg_read closed it */
	if (ret == EXIT_OK)
		fprintf(stderr, "sweep: done in %.0f s: %s\n",
			now_s() - sw->t0, sw->dir);
	return ret;
}

static int sweep_free(struct sweep *sw, int ret)
{
	if (domain_set_restore(&sw->doms) && ret == EXIT_OK)
		ret = EXIT_FAIL;
	domain_set_free(&sw->doms);
	output_set_extra(0, NULL, NULL);
	output_set_sweep(0);
	if (sw->csv && fclose(sw->csv) && ret == EXIT_OK)
		ret = fail("writing %s/results.csv failed", sw->dir);
	if (sw->hcsv && fclose(sw->hcsv) && ret == EXIT_OK)
		ret = fail("writing %s/hist.csv failed", sw->dir);
	if (sw->kfd >= 0)
		close(sw->kfd);
	if (sw->have_meta)
		meta_free(&sw->meta);
	run_session_close(&sw->s);
	free(sw->ch.h);
	free(sw->rows.v);
	for (unsigned i = 0; sw->cfg && i <= sw->ncfg && i < sw->jobs.n; i++)
		cfg_free(&sw->cfg[i]);
	free(sw->cfg);
	job_list_free(&sw->jobs);
	jobfile_free(&sw->jf);
	free(sw->text);
	free(sw);
	return ret;
}

int cmd_sweep(int argc, char **argv)
{
	struct sweep *sw = calloc(1, sizeof(*sw));
	int ret;

	if (!sw)
		return fail("out of memory");
	sw->so.results_dir = "results";
	sw->s.fd = -1;
	sw->kfd = -1;
	run_interrupted = 0;
	ret = parse_sweep_options(argc, argv, &sw->so);
	if (ret)
		return sweep_free(sw, ret < 0 ? EXIT_OK : ret);
	ret = sweep_plan(sw);
	if (ret || sw->so.dry_run) {
		if (!ret)
			sweep_dry_run(sw);
		return sweep_free(sw, ret);
	}
	ret = sweep_prepare(sw, argc, argv);
	if (!ret) {
		sweep_execute(sw);
		ret = sweep_finish(sw);
	}
	return sweep_free(sw, ret);
}
