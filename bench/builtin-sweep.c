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
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "builtin.h"
#include "run.h"
#include "util/abstats.h"
#include "util/cli.h"
#include "util/domain.h"
#include "util/jobfile.h"
#include "util/kmsg.h"
#include "util/meta.h"
#include "util/parse.h"
#include "util/sysfs.h"

#define DEFAULT_REPEAT	5
#define CI_MIN_REPS	6	/* fewer cannot give a 95 % CI of a median */
#define CI_MAX_REPS	1000
#define CI_DEFAULT_MAX_SECONDS 60.0

static const char sweep_usage[] =
	"usage: dmabench sweep JOBFILE [options]\n\n"
	"  -l, --label L          name of the results directory (default:\n"
	"                         kernel release and date)\n"
	"  -r, --repeat N         run every configuration N times (default:\n"
	"                         the job file's repeat, else 5)\n"
	"  -R, --results-dir DIR  where results/<label>/ goes (default results)\n"
	"      --ci P%            repeat a configuration until the 95 % CI of\n"
	"                         its median p50 is narrower than P % (>= 6 reps)\n"
	"      --min-seconds S    repeat every configuration at least S seconds\n"
	"      --max-seconds S    stop repeating a configuration after S seconds\n"
	"                         (default 60 with --ci)\n"
	"      --perf             count CPU and IOMMU PMU events (see run)\n"
	"  -D, --define NAME=VAL  set ${NAME} for the job file (as the\n"
	"                         environment would)\n"
	"  -n, --dry-run          list the configurations, run nothing\n\n"
	"The job file is INI like fio's: [global] and one [section] per job;\n"
	"keys are the long options of `dmabench run` plus repeat, ci,\n"
	"min-seconds, max-seconds.  Comma lists expand into every combination;\n"
	"size = 4K..4M and threads = 1..ncpus double from low to high.\n"
	"Keys that do not apply to a job's test (nents, seg-size, layout for\n"
	"all but map_sg; attrs for all but alloc; ...) are left out for it,\n"
	"with a note, and configurations that become equal run once.\n"
	"domain = identity,dma,dma-fq: the configurations run grouped by\n"
	"domain type (one switch each); the types are restored at the end.\n"
	"Ctrl-C stops after the current run; what was measured is kept.\n";

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
	unsigned repeat;		/* 0: not given */
	double min_s, max_s, ci;
	int perf, dry_run;
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int parse_percent(const char *s, double *out)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s || (*end && strcmp(end, "%")) || !(v > 0) || v >= 100)
		return -1;
	*out = v;
	return 0;
}

static int parse_secs(const char *s, double *out)
{
	uint64_t ns;

	if (parse_seconds(s, &ns))
		return -1;
	*out = (double)ns / 1e9;
	return 0;
}

enum { OPT_CI = 256, OPT_MIN_S, OPT_MAX_S, OPT_PERF };

static int parse_sweep_options(int argc, char **argv, struct sweep_opts *o)
{
	static const struct option opts[] = {
		{ "label",	 required_argument, NULL, 'l' },
		{ "repeat",	 required_argument, NULL, 'r' },
		{ "results-dir", required_argument, NULL, 'R' },
		{ "ci",		 required_argument, NULL, OPT_CI },
		{ "min-seconds", required_argument, NULL, OPT_MIN_S },
		{ "max-seconds", required_argument, NULL, OPT_MAX_S },
		{ "perf",	 no_argument,	    NULL, OPT_PERF },
		{ "dry-run",	 no_argument,	    NULL, 'n' },
		{ "define",	 required_argument, NULL, 'D' },
		{ "help",	 no_argument,	    NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t v;
	int c;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":l:r:R:D:nh", opts, NULL)) != -1) {
		switch (c) {
		case 'h':
			fputs(sweep_usage, stdout);
			return -1;
		case 'l':
			if (!*optarg || strchr(optarg, '/') ||
			    optarg[0] == '.')
				return usage_error("sweep", "bad --label '%s': "
						   "a plain name, no '/'",
						   optarg);
			o->label = optarg;
			break;
		case 'r':
			if (parse_u64(optarg, &v) || v < 1 || v > CI_MAX_REPS)
				return usage_error("sweep", "bad --repeat "
						   "'%s': must be 1..%d",
						   optarg, CI_MAX_REPS);
			o->repeat = (unsigned)v;
			break;
		case 'R':
			o->results_dir = optarg;
			break;
		case OPT_CI:
			if (parse_percent(optarg, &o->ci))
				return usage_error("sweep", "bad --ci '%s': "
						   "a percentage, e.g. 1%%",
						   optarg);
			break;
		case OPT_MIN_S:
			if (parse_secs(optarg, &o->min_s))
				return usage_error("sweep", "bad --min-seconds"
						   " '%s'", optarg);
			break;
		case OPT_MAX_S:
			if (parse_secs(optarg, &o->max_s))
				return usage_error("sweep", "bad --max-seconds"
						   " '%s'", optarg);
			break;
		case OPT_PERF:
			o->perf = 1;
			break;
		case 'n':
			o->dry_run = 1;
			break;
		case 'D': {
			char *eq = strchr(optarg, '=');

			if (!eq || eq == optarg)
				return usage_error("sweep", "bad --define "
						   "'%s': want NAME=VALUE",
						   optarg);
			*eq = '\0';
			setenv(optarg, eq + 1, 1);
			*eq = '=';
			break;
		}
		default:
			return usage_bad_option("sweep", c, argv);
		}
	}
	if (optind >= argc)
		return usage_error("sweep", "missing JOBFILE (e.g. "
				   "scripts/jobs/quick)");
	o->jobfile = argv[optind++];
	if (optind < argc)
		return usage_error("sweep", "unexpected argument '%s'",
				   argv[optind]);
	if (o->min_s && o->max_s && o->min_s > o->max_s)
		return usage_error("sweep", "--min-seconds is above "
				   "--max-seconds");
	return 0;
}

/* A note printed once per job, key and test. */
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
static int cfg_argv(struct sweep_cfg *c, int perf)
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
		if (test && !run_option_applies(test, jc->key[k])) {
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

static int test_known(const char *list, const char *test)
{
	size_t l = strlen(test);

	for (const char *p = list; *p;) {
		size_t n = strcspn(p, ",");

		if (n == l && !strncmp(p, test, l))
			return 1;
		p += n;
		while (*p == ',' || *p == ' ')
			p++;
	}
	return 0;
}

/* Sweep keys of one configuration, overridden by the command line. */
static int cfg_sweep_keys(struct sweep_cfg *c, const struct sweep_opts *so,
			  const char *file)
{
	const char *v;
	uint64_t n;

	c->repeat = DEFAULT_REPEAT;
	v = job_config_get(c->jc, "repeat");
	if (v && (parse_u64(v, &n) || n < 1 || n > CI_MAX_REPS))
		return usage_error("sweep", "%s, job [%s]: bad repeat '%s': "
				   "must be 1..%d", file, c->jc->job, v,
				   CI_MAX_REPS);
	if (v)
		c->repeat = (unsigned)n;
	v = job_config_get(c->jc, "ci");
	if (v && parse_percent(v, &c->ci))
		return usage_error("sweep", "%s, job [%s]: bad ci '%s'", file,
				   c->jc->job, v);
	v = job_config_get(c->jc, "min-seconds");
	if (v && parse_secs(v, &c->min_s))
		return usage_error("sweep", "%s, job [%s]: bad min-seconds "
				   "'%s'", file, c->jc->job, v);
	v = job_config_get(c->jc, "max-seconds");
	if (v && parse_secs(v, &c->max_s))
		return usage_error("sweep", "%s, job [%s]: bad max-seconds "
				   "'%s'", file, c->jc->job, v);
	if (so->repeat)
		c->repeat = so->repeat;
	if (so->ci)
		c->ci = so->ci;
	if (so->min_s)
		c->min_s = so->min_s;
	if (so->max_s)
		c->max_s = so->max_s;
	if (c->ci && !c->max_s)
		c->max_s = CI_DEFAULT_MAX_SECONDS;
	return 0;
}

static const char *cfg_desc(const struct sweep_cfg *c, char *buf, size_t len)
{
	char size[32];

	snprintf(buf, len, "[%s] %s %s x%llu %s", c->jc->job, c->o.test,
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
		      unsigned nphases, double pct)
{
	size_t nreps = (rows->n - first) / (nphases ? nphases : 1);
	double *v = malloc((nreps ? nreps : 1) * sizeof(*v));
	int ok = nreps >= CI_MIN_REPS;

	if (!v)
		return 1;
	for (unsigned p = 0; ok && p < nphases; p++) {
		double lo, hi, med;

		for (size_t r = 0; r < nreps; r++)
			v[r] = (double)rows->v[first + r * nphases + p]
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

/* The devices whose domain type the sweep switches. */
struct dom_list {
	struct domain_state *v;
	size_t n;
};

static struct domain_state *dom_find(struct dom_list *l, const char *dev)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].device, dev))
			return &l->v[i];
	return NULL;
}

static int dom_add(struct dom_list *l, const char *dev, char *why,
		   size_t len)
{
	struct domain_state *v = realloc(l->v, (l->n + 1) * sizeof(*v));

	if (!v) {
		snprintf(why, len, "out of memory");
		return -1;
	}
	l->v = v;
	if (domain_open(&v[l->n], dev, why, len))
		return -1;
	l->n++;
	return 0;
}

/*
 * Before configuration @i: bring its device to its domain type ("current"
 * = the type found) and point the session's domain_type at it.  After a
 * switch the devices file is read again and every cfg[].dev looked up.
 * 0, or -1 (printed).
 */
static int dom_switch(struct run_session *s, struct dom_list *l,
		      struct sweep_cfg *cfg, unsigned n, unsigned i)
{
	struct domain_state *st = dom_find(l, cfg[i].o.device);
	unsigned want = cfg_domain(&cfg[i]);
	char why[600], before[16];

	s->domain_type[0] = '\0';
	if (!st)
		return 0;
	str_copy(before, sizeof(before), st->cur_type);
	if (domain_switch(st, want, why, sizeof(why)))
		return fail("job [%s]: %s", cfg[i].jc->job, why);
	str_copy(s->domain_type, sizeof(s->domain_type), st->cur_type);
	if (!strcmp(before, st->cur_type))
		return 0;
	if (run_session_refresh(s))
		return -1;
	for (unsigned k = 0; k < n; k++) {
		int ok;

		cfg[k].dev = run_session_lookup(s, &cfg[k].o, &ok);
		if (!ok)
			return -1;
	}
	if (want != DOMAIN_CURRENT &&
	    strcmp(st->cur_type, domain_sysfs_name(want)))
		fprintf(stderr, "note: domain %s: IOMMU group %s is %s\n",
			domain_want_name(want), st->group, st->cur_type);
	return 0;
}

/* Put every switched device back; 0, or -1 (printed). */
static int dom_restore_all(struct dom_list *l)
{
	char why[600];
	int r = 0;

	for (size_t i = l->n; i-- > 0;)
		if (domain_restore(&l->v[i], why, sizeof(why)))
			r = fail("%s", why);
	return r;
}

int cmd_sweep(int argc, char **argv)
{
	struct sweep_opts so = { .results_dir = "results" };
	struct sweep_cfg *cfg = NULL;
	struct jobfile jf = { 0 };
	struct job_list jobs = { 0 };
	struct run_session s = { .fd = -1 };
	struct row_list rows = { 0 };
	struct cfg_hist ch = { 0 };
	struct dom_list doms = { 0 };
	struct run_meta meta;
	struct dmabench_run run;
	char err[512], dir[1024], label[160], start[32], tests[512];
	char perf_names[PERF_MAX_EVENTS][48];
	const char *cols[PERF_MAX_EVENTS];
	const char *jobbase, *status = "complete";
	char *text = NULL;
	FILE *csv = NULL, *hcsv = NULL;
	unsigned ncfg = 0, ndone = 0, ncols = 0;
	int ret, kfd = -1, have_meta = 0, ioctl_err = 0;
	double t0, planned = 0, done_units = 0;

	memset(&run, 0, sizeof(run));
	run_interrupted = 0;
	ret = parse_sweep_options(argc, argv, &so);
	if (ret)
		return ret < 0 ? EXIT_OK : ret;
	ret = EXIT_USAGE;
	{
		FILE *jfp = fopen(so.jobfile, "r");
		size_t cap = 4096, len = 0, n;

		if (!jfp)
			return usage_error("sweep", "cannot read '%s': %s",
					   so.jobfile, strerror(errno));
		text = malloc(cap);
		while (text && (n = fread(text + len, 1, cap - len - 1, jfp))) {
			len += n;
			if (len + 1 == cap) {
				char *t = realloc(text, cap *= 2);

				if (!t) {
					free(text);
					text = NULL;
				}
				text = t;
			}
		}
		fclose(jfp);
		if (!text)
			return fail("out of memory");
		text[len] = '\0';
	}
	if (jobfile_parse(text, &jf, err, sizeof(err))) {
		ret = usage_error("sweep", "%s: %s", so.jobfile, err);
		goto out;
	}
	{
		long nc = sysconf(_SC_NPROCESSORS_ONLN);

		if (jobfile_expand(&jf, nc > 0 ? (unsigned)nc : 1, &jobs, err,
				   sizeof(err))) {
			ret = usage_error("sweep", "%s: %s", so.jobfile, err);
			goto out;
		}
	}
	cfg = calloc(jobs.n, sizeof(*cfg));
	if (!cfg) {
		ret = fail("out of memory");
		goto out;
	}
	/* check everything before running anything */
	ctl_test_names(tests, sizeof(tests));
	for (size_t j = 0; j < jobs.n; j++, ncfg++) {
		struct sweep_cfg *c = &cfg[ncfg];
		static uint64_t one_size = 4096, one_thread = 1;

		c->jc = &jobs.v[j];
		run_opts_init(&c->o);
		if (cfg_argv(c, so.perf)) {
			ret = fail("out of memory");
			ncfg++;
			goto out;
		}
		if (cfg_duplicate(cfg, ncfg)) {
			for (int a = 0; a < c->argc; a++)
				free(c->argv[a]);
			free(c->argv);
			memset(c, 0, sizeof(*c));
			ncfg--;
			continue;
		}
		ret = run_parse_options("sweep", c->argc, c->argv, &c->o, 0);
		if (ret) {
			fprintf(stderr, "dmabench sweep: (in %s, job [%s])\n",
				so.jobfile, c->jc->job);
			ret = EXIT_USAGE;
			ncfg++;
			goto out;
		}
		if (!c->o.sizes) {
			c->o.sizes = malloc(sizeof(uint64_t));
			if (c->o.sizes)
				c->o.sizes[0] = one_size;
			c->o.nsizes = 1;
		}
		if (!c->o.threads) {
			c->o.threads = malloc(sizeof(uint64_t));
			if (c->o.threads)
				c->o.threads[0] = one_thread;
			c->o.nthreads = 1;
		}
		if (!c->o.sizes || !c->o.threads) {
			ret = fail("out of memory");
			ncfg++;
			goto out;
		}
		if (cfg_sweep_keys(c, &so, so.jobfile)) {
			ret = EXIT_USAGE;
			ncfg++;
			goto out;
		}
		if (tests[0] && !test_known(tests, c->o.test)) {
			ret = usage_error("sweep", "%s, job [%s]: test '%s' is "
					  "not in the loaded dmabench.ko (it "
					  "has: %s)", so.jobfile, c->jc->job,
					  c->o.test, tests);
			ncfg++;
			goto out;
		}
		planned += c->repeat;
	}
	sort_by_domain(cfg, ncfg);
	if (so.dry_run) {
		char desc[160];

		for (unsigned i = 0; i < ncfg; i++) {
			printf("%3u %s, %u reps:", i + 1,
			       cfg_desc(&cfg[i], desc, sizeof(desc)),
			       cfg[i].repeat);
			for (int a = 1; a < cfg[i].argc; a++)
				printf(" %s", cfg[i].argv[a]);
			putchar('\n');
		}
		printf("%u configurations\n", ncfg);
		ret = EXIT_OK;
		goto out;
	}

	ret = EXIT_FAIL;
	if (run_session_open(&s))
		goto out;
	for (unsigned i = 0; i < ncfg; i++) {
		int ok;

		cfg[i].dev = run_session_lookup(&s, &cfg[i].o, &ok);
		if (!ok)
			goto out;
	}
	/* --domain: check every device to switch before running anything */
	for (unsigned i = 0; i < ncfg; i++) {
		if (cfg_domain(&cfg[i]) == DOMAIN_CURRENT ||
		    dom_find(&doms, cfg[i].o.device))
			continue;
		if (dom_add(&doms, cfg[i].o.device, err, sizeof(err))) {
			fail("job [%s]: %s", cfg[i].jc->job, err);
			goto out;
		}
	}
	meta_collect(&meta, argc, argv);
	have_meta = 1;
	str_copy(meta.module_version, sizeof(meta.module_version),
		 s.info.module_version);
	str_copy(meta.placement, sizeof(meta.placement), cfg[0].o.place.desc);
	str_copy(start, sizeof(start), meta.date);
	if (so.label) {
		str_copy(label, sizeof(label), so.label);
	} else {
		char d[32];
		time_t t = time(NULL);
		struct tm tm;

		localtime_r(&t, &tm);
		strftime(d, sizeof(d), "%Y%m%d-%H%M%S", &tm);
		snprintf(label, sizeof(label), "%.100s-%s",
			 meta.kernel_release[0] ? meta.kernel_release :
			 "linux", d);
	}
	if (make_results_dir(so.results_dir, label, dir, sizeof(dir)))
		goto out;
	jobbase = strrchr(so.jobfile, '/');
	jobbase = jobbase ? jobbase + 1 : so.jobfile;
	if (!strcmp(jobbase, "results.csv") || !strcmp(jobbase, "hist.csv") ||
	    !strcmp(jobbase, "metadata.json") || !strcmp(jobbase, "kmsg.txt"))
		jobbase = "jobfile";
	if (copy_file(text, dir, jobbase)) {
		fail("cannot write %s/%s: %s", dir, jobbase, strerror(errno));
		goto out;
	}
	csv = open_in(dir, "results.csv");
	hcsv = open_in(dir, "hist.csv");
	ch.h = malloc(s.hist_bytes);
	if (!csv || !hcsv || !ch.h) {
		fail("cannot write %s: %s", dir, strerror(errno));
		goto out;
	}
	if (so.perf || job_config_get(cfg[0].jc, "perf")) {
		unsigned n = run_perf_setup(&s, &cfg[0].o, 0, perf_names);

		for (unsigned e = 0; e < n; e++)
			cols[ncols++] = perf_names[e];
	}
	output_set_extra(ncols, cols, NULL);
	output_set_sweep(1);
	output_csv_header(csv);
	output_hist_header(hcsv);
	kfd = kmsg_mark();

	fprintf(stderr, "sweep: %u configurations from %s into %s\n", ncfg,
		so.jobfile, dir);
	run_install_interrupt_handler();
	t0 = now_s();
	for (unsigned i = 0; i < ncfg && !ioctl_err; i++) {
		struct sweep_cfg *c = &cfg[i];
		double c0 = now_s();
		size_t first = rows.n;
		unsigned rep;

		memset(ch.h, 0, s.hist_bytes);
		ch.nphases = 0;
		for (rep = 0;; rep++) {
			double el;
			size_t before = rows.n;
			int done;

			if (run_interrupted) {
				ioctl_err = EINTR;
				break;
			}
			progress(i, ncfg, c, rep, t0, done_units / planned);
			if (rep == 0 && dom_switch(&s, &doms, cfg, ncfg, i)) {
				ioctl_err = -1;
				break;
			}
			if (run_interrupted) {	/* held back during a switch */
				ioctl_err = EINTR;
				break;
			}
			ioctl_err = run_one(&s, &c->o, c->o.sizes[0],
					    c->o.threads[0], c->dev,
					    meta.platform, i, &rows, &run);
			if (ioctl_err)
				break;
			meta.timer_overhead_ns = run.timer_overhead_ps / 1000.0;
			for (size_t r = before; r < rows.n; r++) {
				str_copy(rows.v[r].job, sizeof(rows.v[r].job),
					 c->jc->job);
				rows.v[r].rep = rep;
				output_csv_row(csv, &rows.v[r]);
			}
			fflush(csv);
			ch.nphases = run.nphases < DMABENCH_MAX_PHASES ?
				     run.nphases : DMABENCH_MAX_PHASES;
			for (unsigned p = 0; p < ch.nphases; p++) {
				str_copy(ch.phase[p], sizeof(ch.phase[p]),
					 run.phase[p].name);
				hist_merge(ch.h + (size_t)p *
					   DMABENCH_HIST_BUCKETS,
					   s.hist + (size_t)p *
					   DMABENCH_HIST_BUCKETS);
			}
			if (run.status != DMABENCH_STATUS_DONE) {
				ioctl_err = run.status ==
					DMABENCH_STATUS_INTERRUPTED ? EINTR :
					ENODEV;
				break;
			}
			if (done_units + 1 <= planned)
				done_units += 1;
			el = now_s() - c0;
			done = c->ci ? ci_reached(&rows, first, ch.nphases,
						  c->ci) :
			       rep + 1 >= c->repeat;
			if (c->min_s && el < c->min_s)
				done = 0;
			if ((c->max_s && el >= c->max_s) ||
			    rep + 1 >= CI_MAX_REPS)
				done = 1;
			if (done)
				break;
		}
		if (rows.n > first) {
			hist_write(hcsv, &ch, &rows.v[first]);
			fflush(hcsv);
		}
		if (!ioctl_err || rows.n > first)
			ndone++;
		/* only the current configuration's rows are needed */
		if (!ioctl_err)
			rows.n = 0;
		done_units = 0;
		for (unsigned k = 0; k <= i && k < ncfg; k++)
			done_units += cfg[k].repeat;
	}
	if (isatty(2))
		fputs("\r\033[K", stderr);
	output_set_extra(0, NULL, NULL);
	output_set_sweep(0);
	ret = EXIT_OK;
	if (dom_restore_all(&doms)) {
		ret = EXIT_FAIL;
		status = "failed";
	}
	if (ioctl_err == -1) {
		status = "failed";	/* the switch said why */
		ret = EXIT_FAIL;
	} else if (ioctl_err == EINTR) {
		status = "interrupted";
		fprintf(stderr, "note: interrupted: %s holds %u of %u "
			"configurations\n", dir, ndone, ncfg);
		ret = EXIT_FAIL;
	} else if (ioctl_err == ENODEV && run.status ==
		   DMABENCH_STATUS_DEVICE_GONE) {
		status = "device-gone";
		fprintf(stderr, "note: the device was unbound: %s holds %u "
			"of %u configurations\n", dir, ndone, ncfg);
		ret = EXIT_FAIL;
	} else if (ioctl_err) {
		struct ctl_error_ctx ctx = { 0 };
		unsigned i = ndone < ncfg ? ndone : ncfg - 1;

		ctx.device = cfg[i].o.device;
		ctx.test = cfg[i].o.test;
		ctx.dma_mask_bits = cfg[i].o.dma_mask_bits;
		ctx.iommu = cfg[i].o.iommu;
		ctx.coherency = run.coherency;
		ctx.bounce = !!(run.flags & DMABENCH_RUN_BOUNCE);
		status = "failed";
		fail("job [%s]: %s", cfg[i].jc->job,
		     ctl_ioctl_reason(ioctl_err, &ctx, err, sizeof(err)));
		ret = EXIT_FAIL;
	}
	write_metadata(dir, &meta, label, jobbase, ncfg, ndone, status, start,
		       now_s() - t0, &cfg[0]);
	kmsg_write(kfd, dir);
	kfd = -1;	/* kmsg_read closed it */
	if (ret == EXIT_OK)
		fprintf(stderr, "sweep: done in %.0f s: %s\n", now_s() - t0,
			dir);
out:
	if (dom_restore_all(&doms) && ret == EXIT_OK)
		ret = EXIT_FAIL;
	free(doms.v);
	output_set_extra(0, NULL, NULL);
	output_set_sweep(0);
	if (csv && fclose(csv) && ret == EXIT_OK)
		ret = fail("writing %s/results.csv failed", dir);
	if (hcsv && fclose(hcsv) && ret == EXIT_OK)
		ret = fail("writing %s/hist.csv failed", dir);
	if (kfd >= 0)
		close(kfd);
	if (have_meta)
		meta_free(&meta);
	run_session_close(&s);
	free(ch.h);
	free(rows.v);
	for (unsigned i = 0; cfg && i < ncfg; i++) {
		for (int a = 0; a < cfg[i].argc; a++)
			free(cfg[i].argv[a]);
		free(cfg[i].argv);
		run_opts_free(&cfg[i].o);
	}
	free(cfg);
	job_list_free(&jobs);
	jobfile_free(&jf);
	free(text);
	return ret;
}
