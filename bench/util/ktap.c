// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Result rows as KTAP: see ktap.h. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/ktap.h"
#include "util/output.h"
#include "util/parse.h"

void ktap_clean(char *s)
{
	for (; *s; s++)
		if (*s == '#' || *s == '\n')
			*s = '_';
}

const char *ktap_row_name(const struct result_row *r, char *buf, size_t len)
{
	char size[32], variant[160];
	size_t l;

	l = (size_t)snprintf(buf, len, "%s device=%s size=%s threads=%u "
			     "dir=%s", r->test, r->device,
			     format_size(r->size, size, sizeof(size)),
			     r->threads, r->dir);
	if (l < len && r->domain_type[0])
		l += (size_t)snprintf(buf + l, len - l, " domain=%s",
				      r->domain_type);
	if (l < len && r->sg)
		l += (size_t)snprintf(buf + l, len - l, " nents=%u", r->nents);
	row_variant(r, variant, sizeof(variant));
	if (l < len && variant[0])
		l += (size_t)snprintf(buf + l, len - l, " (%s)", variant);
	if (l < len && r->job[0])
		snprintf(buf + l, len - l, " job=%s rep=%u", r->job, r->rep);
	ktap_clean(buf);
	return buf;
}

static int phase_ok(const struct result_row *r)
{
	return !r->errors && !strcmp(r->status, "done");
}

/* The config numbers of a configuration's rows: [first, end). */
struct span {
	unsigned first, end;
};

static struct span span_of(const struct ktap_config *c)
{
	struct span s = { (unsigned)c->config, (unsigned)c->config + 1 };

	if (c->config_end > c->config)
		s.end = (unsigned)c->config_end;
	return s;
}

static int in_span(const struct result_row *r, struct span s)
{
	return r->config >= s.first && r->config < s.end;
}

/*
 * "# map: ops=... mean_ns=...": the columns outside the key; a sweep's
 * repetition ("map rep 2") and an --interval run ("map interval 3") say
 * which they are.
 */
static void phase_diag(FILE *f, const char *ind, const struct result_row *r)
{
	char buf[COL_TEXT_LEN];
	char cls[32] = "";

	/* a size mix: one line per class (and "all") */
	if (r->size_class[0])
		snprintf(cls, sizeof(cls), " class %s", r->size_class);
	fprintf(f, "%s# %s%s", ind, r->phase, cls);
	if (r->job[0])
		fprintf(f, " rep %u", r->rep);
	if (r->aging)
		fprintf(f, " interval %u", r->interval);
	fputc(':', f);
	for (size_t i = 0; i < NCOLS; i++) {
		const struct column *c = &result_columns[i];
		const char *v;

		if (!(c->files & FILES_R) || c->role != ROLE_NONE ||
		    c->shown == SHOWN_SWEEP || i == COL_DEVICE ||
		    !col_has_value(c, r))
			continue;	/* the key, the device: in the name */
		v = col_format(c, r, buf);
		if (*v && strcspn(v, "#\n") == strlen(v))
			fprintf(f, " %s=%s", c->name, v);
	}
	fputc('\n', f);
}

/* Is row @i the first of its phase in the configuration's rows? */
static int first_of_phase(const struct result_row *rows, size_t i,
			  struct span s)
{
	for (size_t j = 0; j < i; j++)
		if (in_span(&rows[j], s) &&
		    !strcmp(rows[j].phase, rows[i].phase))
			return 0;
	return 1;
}

/*
 * The phases of the configuration whose rows are in @s, at indentation
 * @ind, one test each (a sweep's repetitions and the intervals of an
 * --interval run are diagnostic lines of it); all ok?
 */
static int phases(FILE *f, const char *ind, const struct result_row *rows,
		  size_t n, struct span s)
{
	size_t np = 0, k = 0;
	int all = 1;

	for (size_t i = 0; i < n; i++)
		np += in_span(&rows[i], s) && first_of_phase(rows, i, s);
	fprintf(f, "%s1..%zu\n", ind, np);
	for (size_t i = 0; i < n; i++) {
		char phase[sizeof(rows[i].phase)];
		int ok = 1;

		if (!in_span(&rows[i], s) || !first_of_phase(rows, i, s))
			continue;
		for (size_t j = i; j < n; j++) {
			const struct result_row *r = &rows[j];

			if (!in_span(r, s) || strcmp(r->phase, rows[i].phase))
				continue;
			phase_diag(f, ind, r);
			if (r->errors)
				fprintf(f, "%s# %s: %llu operations failed\n",
					ind, r->phase,
					(unsigned long long)r->errors);
			if (strcmp(r->status, "done"))
				fprintf(f, "%s# %s: the run ended %s\n", ind,
					r->phase, r->status);
			ok &= phase_ok(r);
		}
		snprintf(phase, sizeof(phase), "%s", rows[i].phase);
		ktap_clean(phase);
		fprintf(f, "%s%s %zu %s\n", ind, ok ? "ok" : "not ok", ++k,
			phase);
		all &= ok;
	}
	return all;
}

void ktap_config(FILE *f, size_t num, const struct ktap_config *c,
			const struct result_row *rows, size_t n)
{
	int ok = 0;

	if (c->config >= 0) {
		fprintf(f, "  KTAP version 1\n  # Subtest: %s\n", c->name);
		ok = phases(f, "  ", rows, n, span_of(c));
	}
	if (c->reason[0] && !c->directive)
		fprintf(f, "# %s: %s\n", c->name, c->reason);
	if (c->directive && !strcmp(c->directive, "SKIP"))
		ok = 1;
	fprintf(f, "%s %zu %s", ok && !(c->reason[0] && !c->directive) ?
		"ok" : "not ok", num, c->name);
	if (c->directive)
		fprintf(f, " # %s %s", c->directive, c->reason);
	fputc('\n', f);
}

/* One configuration per config number of @rows, in their order. */
static struct ktap_config *configs_of(const struct result_row *rows,
				      size_t n, size_t *ncfgs)
{
	struct ktap_config *v = calloc(n ? n : 1, sizeof(*v));

	*ncfgs = 0;
	if (!v)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		size_t k;

		for (k = 0; k < *ncfgs; k++)
			if (v[k].config == (int)rows[i].config)
				break;
		if (k < *ncfgs)
			continue;
		v[k].config = (int)rows[i].config;
		ktap_row_name(&rows[i], v[k].name, sizeof(v[k].name));
		(*ncfgs)++;
	}
	return v;
}

void output_ktap(FILE *f, const char *what, const struct run_meta *meta,
		 const struct result_row *rows, size_t n,
		 const struct ktap_config *cfgs, size_t ncfgs)
{
	struct ktap_config *own = NULL;

	if (!cfgs) {
		own = configs_of(rows, n, &ncfgs);
		cfgs = own;
		if (!own)
			ncfgs = 0;
	}
	fputs("KTAP version 1\n", f);
	if (ncfgs == 1 && cfgs[0].config >= 0 && !cfgs[0].reason[0]) {
		/* one configuration: its phases are the tests */
		fprintf(f, "# %s: %s\n", what, cfgs[0].name);
		phases(f, "", rows, n, span_of(&cfgs[0]));
	} else {
		fprintf(f, "1..%zu\n", ncfgs);
		for (size_t i = 0; i < ncfgs; i++)
			ktap_config(f, i + 1, &cfgs[i], rows, n);
	}
	ktap_end(f, meta);
	free(own);
}

void ktap_begin(FILE *f, const char *what, size_t ntests)
{
	fprintf(f, "KTAP version 1\n# %s\n1..%zu\n", what, ntests);
}

void ktap_end(FILE *f, const struct run_meta *meta)
{
	if (meta)
		fprintf(f, "# dmabench %s, kernel %s, %s, platform %s\n",
			meta->version, meta->kernel_release, meta->arch,
			meta->platform);
	if (meta && strcmp(meta->platform, PLATFORM_NATIVE))
		fprintf(f, "# the timings are emulation numbers (%s): compare "
			"configurations, not hardware\n", meta->platform);
}
