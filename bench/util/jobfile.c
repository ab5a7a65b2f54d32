// SPDX-License-Identifier: GPL-2.0 OR MIT
/* fio-like job files for dmabench sweep: parse and expand. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/jobfile.h"
#include "util/parse.h"
#include "util/runopt.h"

/*
 * The keys are the run options a job may set (util/runopt.c: every one
 * but format and output, sweep writes its own) and the sweep settings.
 */
int jobfile_is_flag_key(const char *key)
{
	const struct parse_opt *opt = runopt_job_key(key);

	return opt && !parse_option_has_arg(opt);
}

int jobfile_is_sweep_key(const char *key)
{
	return parse_options_find(sweep_setting_options, key) != NULL;
}

static int known_key(const char *key)
{
	return runopt_job_key(key) || jobfile_is_sweep_key(key);
}

static int errf(char *err, size_t len, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int errf(char *err, size_t len, int line, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(err, len, "line %d: ", line);

	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < len)
		vsnprintf(err + n, len - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static int add_kv(struct job_section *s, const char *key, const char *val,
		  int line)
{
	struct job_kv *kv;

	/* a repeated key replaces the earlier one */
	for (size_t i = 0; i < s->nkv; i++)
		if (!strcmp(s->kv[i].key, key)) {
			char *v = strdup(val);

			if (!v)
				return -1;
			free(s->kv[i].val);
			s->kv[i].val = v;
			s->kv[i].line = line;
			return 0;
		}
	kv = realloc(s->kv, (s->nkv + 1) * sizeof(*kv));
	if (!kv)
		return -1;
	s->kv = kv;
	kv = &s->kv[s->nkv];
	kv->key = strdup(key);
	kv->val = strdup(val);
	kv->line = line;
	if (!kv->key || !kv->val) {
		free(kv->key);
		free(kv->val);
		return -1;
	}
	s->nkv++;
	return 0;
}

static void section_free(struct job_section *s)
{
	for (size_t i = 0; i < s->nkv; i++) {
		free(s->kv[i].key);
		free(s->kv[i].val);
	}
	free(s->kv);
	free(s->name);
	memset(s, 0, sizeof(*s));
}

void jobfile_free(struct jobfile *jf)
{
	section_free(&jf->global);
	for (size_t i = 0; i < jf->njobs; i++)
		section_free(&jf->jobs[i]);
	free(jf->jobs);
	memset(jf, 0, sizeof(*jf));
}

/*
 * ${NAME} and ${NAME:-default} from the environment, as in fio job files.
 * Returns a malloc'ed string, or NULL with @err set.
 */
static char *expand_env(const char *val, int line, char *err, size_t errlen)
{
	size_t cap = strlen(val) + 1, len = 0;
	char *out = malloc(cap);

	if (!out) {
		errf(err, errlen, line, "out of memory");
		return NULL;
	}
	while (*val) {
		const char *add = val, *end;
		size_t alen = 1;
		char name[64], *def;

		if (val[0] == '$' && val[1] == '{') {
			end = strchr(val, '}');
			if (!end || (size_t)(end - val - 2) >= sizeof(name)) {
				free(out);
				errf(err, errlen, line, "unterminated or too "
				     "long ${...} in '%s'", val);
				return NULL;
			}
			snprintf(name, sizeof(name), "%.*s",
				 (int)(end - val - 2), val + 2);
			def = strstr(name, ":-");
			if (def) {
				*def = '\0';
				def += 2;
			}
			add = getenv(name);
			if (!add || !*add)
				add = def;
			if (!add) {
				free(out);
				errf(err, errlen, line, "${%s} is not set in "
				     "the environment (or give a default: "
				     "${%s:-VALUE})", name, name);
				return NULL;
			}
			alen = strlen(add);
			val = end + 1;
		} else {
			val++;
		}
		if (len + alen + 1 > cap) {
			char *n = realloc(out, cap = (len + alen + 1) * 2);

			if (!n) {
				free(out);
				errf(err, errlen, line, "out of memory");
				return NULL;
			}
			out = n;
		}
		memcpy(out + len, add, alen);
		len += alen;
	}
	out[len] = '\0';
	return out;
}

/* "[name]" (in @s): the section that follows; 0 or -1 with @err set. */
static int parse_section(struct jobfile *jf, char *s, int line,
			 struct job_section **cur, char *err, size_t errlen)
{
	char *end = strchr(s, ']');
	struct job_section *j;

	if (!end || end[1] || end == s + 1)
		return errf(err, errlen, line, "bad section header '%s' (want "
			    "[name])", s);
	*end = '\0';
	if (!strcmp(s + 1, "global")) {
		if (jf->global.name)
			return errf(err, errlen, line, "second [global] "
				    "section");
		*cur = &jf->global;
	} else {
		for (size_t i = 0; i < jf->njobs; i++)
			if (!strcmp(jf->jobs[i].name, s + 1))
				return errf(err, errlen, line, "job [%s] "
					    "defined twice", s + 1);
		j = realloc(jf->jobs, (jf->njobs + 1) * sizeof(*j));
		if (!j)
			return errf(err, errlen, line, "out of memory");
		jf->jobs = j;
		*cur = &jf->jobs[jf->njobs++];
		memset(*cur, 0, sizeof(**cur));
	}
	(*cur)->name = strdup(s + 1);
	(*cur)->line = line;
	if (!(*cur)->name)
		return errf(err, errlen, line, "out of memory");
	return 0;
}

/* "key = value" (in @s) into @cur; 0 or -1 with @err set. */
static int parse_kv(struct job_section *cur, char *s, int line, char *err,
		    size_t errlen)
{
	char *eq = strchr(s, '='), *key, *val = "";
	int r;

	if (eq) {
		*eq = '\0';
		val = trim(eq + 1);
	}
	key = trim(s);
	for (char *k = key; *k; k++)
		if (*k == '_')
			*k = '-';
	if (!known_key(key)) {
		if (parse_options_find(run_options, key))
			return errf(err, errlen, line, "'%s' does not apply: "
				    "sweep writes its results directory", key);
		return errf(err, errlen, line, "unknown key '%s' (keys: the "
			    "long options of dmabench run and repeat, "
			    "min-seconds, max-seconds, ci)", key);
	}
	if (jobfile_is_flag_key(key) ? *val != '\0' : !*val)
		return errf(err, errlen, line, jobfile_is_flag_key(key) ?
			    "'%s' takes no value" :
			    "'%s' needs a value (%s = VALUE)", key, key);
	val = expand_env(val, line, err, errlen);
	if (!val)
		return -1;
	r = add_kv(cur, key, val, line);
	free(val);
	if (r)
		return errf(err, errlen, line, "out of memory");
	return 0;
}

int jobfile_parse(const char *text, struct jobfile *jf, char *err,
		  size_t errlen)
{
	struct job_section *cur = NULL;
	char *copy = strdup(text), *p, *next, *s;
	int line = 0, ret = -1;

	memset(jf, 0, sizeof(*jf));
	if (!copy)
		return errf(err, errlen, 0, "out of memory");
	for (p = copy; p; p = next) {
		line++;
		next = strchr(p, '\n');
		if (next)
			*next++ = '\0';
		/* comments: whole lines, or after whitespace */
		for (s = p; *s; s++)
			if ((*s == '#' || *s == ';') &&
			    (s == p || isspace((unsigned char)s[-1]))) {
				*s = '\0';
				break;
			}
		s = trim(p);
		if (!*s)
			continue;
		if (*s == '[' ? parse_section(jf, s, line, &cur, err, errlen) :
		    !cur ? errf(err, errlen, line, "'%s' before the first "
				"[section]", s) :
		    parse_kv(cur, s, line, err, errlen))
			goto out;
	}
	if (!jf->njobs) {
		errf(err, errlen, line, "no job section: add one, e.g. "
		     "[map_single] with test = map_single");
		goto out;
	}
	ret = 0;
out:
	free(copy);
	if (ret)
		jobfile_free(jf);
	return ret;
}

/* A growing list of strings. */
struct strv {
	char **v;
	size_t n;
};

static int strv_add(struct strv *l, const char *s)
{
	char **v = realloc(l->v, (l->n + 1) * sizeof(*v));

	if (!v)
		return -1;
	l->v = v;
	l->v[l->n] = strdup(s);
	if (!l->v[l->n])
		return -1;
	l->n++;
	return 0;
}

static void strv_free(struct strv *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* One list item of @key: "ncpus", "A..B" doubling, or kept as it is. */
static int expand_item(const char *key, const char *item, unsigned ncpus,
		       struct strv *out, int line, char *err, size_t errlen)
{
	int is_size = !strcmp(key, "size"), is_thr = !strcmp(key, "threads");
	const char *dots = strstr(item, "..");
	char buf[64];

	if (is_thr && !strcmp(item, "ncpus")) {
		snprintf(buf, sizeof(buf), "%u", ncpus);
		return strv_add(out, buf);
	}
	if (dots && (is_size || is_thr)) {
		char lo_s[64], hi_s[64];
		uint64_t lo, hi;
		enum parse_result r1, r2;

		snprintf(lo_s, sizeof(lo_s), "%.*s", (int)(dots - item), item);
		str_copy(hi_s, sizeof(hi_s), dots + 2);
		if (is_thr && !strcmp(hi_s, "ncpus"))
			snprintf(hi_s, sizeof(hi_s), "%u", ncpus);
		r1 = is_size ? parse_size(lo_s, &lo) : parse_u64(lo_s, &lo);
		r2 = is_size ? parse_size(hi_s, &hi) : parse_u64(hi_s, &hi);
		if (r1 || r2 || !lo || lo > hi)
			return errf(err, errlen, line, "bad range '%s' for "
				    "%s (want LOW..HIGH, LOW <= HIGH, e.g. "
				    "%s)", item, key,
				    is_size ? "4K..4M" : "1..ncpus");
		for (uint64_t v = lo; v <= hi; v *= 2) {
			if (is_size)
				format_size(v, buf, sizeof(buf));
			else
				snprintf(buf, sizeof(buf), "%llu",
					 (unsigned long long)v);
			if (strv_add(out, buf))
				return -1;
			if (v == hi || v > hi / 2) {
				if (v != hi) {
					if (is_size)
						format_size(hi, buf,
							    sizeof(buf));
					else
						snprintf(buf, sizeof(buf),
							 "%llu",
							 (unsigned long long)hi);
					if (strv_add(out, buf))
						return -1;
				}
				break;
			}
		}
		return 0;
	}
	return strv_add(out, item);
}

static int expand_value(const char *key, const char *val, unsigned ncpus,
			struct strv *out, int line, char *err, size_t errlen)
{
	const struct parse_opt *opt = runopt_job_key(key);
	char *copy, *item, *save = NULL;
	int r = 0;

	if ((opt && (opt->flags & PARSE_OPT_ONE_VALUE)) || !*val)
		return strv_add(out, val);
	copy = strdup(val);
	if (!copy)
		return -1;
	if (val[strlen(val) - 1] == ',' || val[0] == ',' ||
	    strstr(val, ",,")) {
		free(copy);
		return errf(err, errlen, line, "empty item in '%s' list "
			    "'%s'", key, val);
	}
	for (item = strtok_r(copy, ",", &save); item && !r;
	     item = strtok_r(NULL, ",", &save))
		r = expand_item(key, trim(item), ncpus, out, line, err,
				errlen);
	free(copy);
	/* drop duplicates ("1,2,ncpus" on a 2-CPU machine) */
	for (size_t i = 1; !r && i < out->n; i++)
		for (size_t j = 0; j < i; j++)
			if (!strcmp(out->v[i], out->v[j])) {
				free(out->v[i]);
				memmove(&out->v[i], &out->v[i + 1],
					(out->n - i - 1) * sizeof(char *));
				out->n--;
				i--;
				break;
			}
	return r;
}

static int add_config(struct job_list *l, const struct job_section *job,
		      struct job_kv **kvs, size_t nkv, struct strv *vals,
		      const size_t *idx)
{
	struct job_config *v = realloc(l->v, (l->n + 1) * sizeof(*v)), *c;

	if (!v)
		return -1;
	l->v = v;
	c = &l->v[l->n];
	memset(c, 0, sizeof(*c));
	c->job = job->name;
	c->key = calloc(nkv + 1, sizeof(*c->key));
	c->val = calloc(nkv + 1, sizeof(*c->val));
	c->line = calloc(nkv + 1, sizeof(*c->line));
	l->n++;
	if (!c->key || !c->val || !c->line)
		return -1;
	for (size_t k = 0; k < nkv; k++) {
		c->key[k] = kvs[k]->key;
		c->val[k] = strdup(vals[k].v[idx[k]]);
		c->line[k] = kvs[k]->line;
		c->nkv = k + 1;
		if (!c->val[k])
			return -1;
	}
	return 0;
}

int jobfile_expand(const struct jobfile *jf, unsigned ncpus,
		   struct job_list *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	for (size_t j = 0; j < jf->njobs; j++) {
		const struct job_section *job = &jf->jobs[j];
		size_t max = jf->global.nkv + job->nkv, nkv = 0;
		struct job_kv **kvs = calloc(max + 1, sizeof(*kvs));
		struct strv *vals = calloc(max + 1, sizeof(*vals));
		size_t *idx = calloc(max + 1, sizeof(*idx));
		int r = 0;

		if (!kvs || !vals || !idx) {
			r = errf(err, errlen, job->line, "out of memory");
			goto next;
		}
		/* global keys in their order, overridden by the job's */
		for (size_t i = 0; i < jf->global.nkv; i++)
			kvs[nkv++] = &jf->global.kv[i];
		for (size_t i = 0; i < job->nkv; i++) {
			size_t k;

			for (k = 0; k < nkv; k++)
				if (!strcmp(kvs[k]->key, job->kv[i].key))
					break;
			kvs[k] = &job->kv[i];
			if (k == nkv)
				nkv++;
		}
		for (size_t k = 0; k < nkv && !r; k++)
			if (expand_value(kvs[k]->key, kvs[k]->val, ncpus,
					 &vals[k], kvs[k]->line, err, errlen))
				r = -1;
		/* odometer over the value lists, last key fastest */
		while (!r) {
			size_t k;

			if (add_config(out, job, kvs, nkv, vals, idx)) {
				r = errf(err, errlen, job->line,
					 "out of memory");
				break;
			}
			for (k = nkv; k-- > 0;) {
				if (++idx[k] < vals[k].n)
					break;
				idx[k] = 0;
			}
			if (k == (size_t)-1)
				break;
		}
next:
		for (size_t k = 0; vals && k < max; k++)
			strv_free(&vals[k]);
		free(vals);
		free(kvs);
		free(idx);
		if (r) {
			job_list_free(out);
			return -1;
		}
	}
	return 0;
}

void job_list_free(struct job_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		for (size_t k = 0; k < l->v[i].nkv; k++)
			free(l->v[i].val[k]);
		free(l->v[i].key);
		free(l->v[i].val);
		free(l->v[i].line);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}

const char *job_config_get(const struct job_config *c, const char *key)
{
	for (size_t k = 0; k < c->nkv; k++)
		if (!strcmp(c->key[k], key))
			return c->val[k];
	return NULL;
}
