// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Read results directories and CSV files back for compare/report/plot. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/parse.h"
#include "util/resdir.h"

#define MAX_FIELDS 128

int csv_split(char *line, char **fields, int max)
{
	int n = 0;
	char *p = line;

	line[strcspn(line, "\r\n")] = '\0';
	while (n < max) {
		char *w;

		fields[n++] = p;
		if (*p == '"') {
			/* quoted: unescape "" in place */
			fields[n - 1] = w = ++p;
			while (*p) {
				if (*p == '"' && p[1] == '"') {
					*w++ = '"';
					p += 2;
				} else if (*p == '"') {
					p++;
					break;
				} else {
					*w++ = *p++;
				}
			}
			p += strcspn(p, ",");
			if (!*p) {
				*w = '\0';
				break;
			}
			*w = '\0';
			p++;
			continue;
		}
		p += strcspn(p, ",");
		if (!*p)
			break;
		*p++ = '\0';
	}
	return n;
}

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	size_t cap = 65536, len = 0, n;
	char *buf;

	if (!f)
		return NULL;
	buf = malloc(cap);
	while (buf && (n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
		len += n;
		if (len + 1 == cap) {
			char *b = realloc(buf, cap *= 2);

			if (!b)
				free(buf);
			buf = b;
		}
	}
	fclose(f);
	if (buf)
		buf[len] = '\0';
	else
		errno = ENOMEM;
	return buf;
}

/* A CSV file being read: its text, header and the table's columns in it. */
struct csv_in {
	const char *path;
	char *text, *save;
	int idx[NCOLS];			/* field of each column, or -1 */
	int nh;				/* fields in the header */
	unsigned line;
};

/*
 * Open @path and map the header onto the column table; every column of
 * @need must be there.  0, or -1 with a reason in @err.
 */
static int csv_open(struct csv_in *in, const char *path, colset need,
		    char *err, size_t errlen)
{
	char *hdr[MAX_FIELDS], *line;

	memset(in, 0, sizeof(*in));
	in->path = path;
	in->text = read_file(path);
	if (!in->text) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	line = strtok_r(in->text, "\n", &in->save);
	in->nh = line ? csv_split(line, hdr, MAX_FIELDS) : 0;
	in->line = 1;
	for (unsigned c = 0; c < NCOLS; c++) {
		in->idx[c] = -1;
		for (int i = 0; i < in->nh; i++)
			if (!strcmp(hdr[i], result_columns[c].name))
				in->idx[c] = i;
		if (in->idx[c] < 0 && colset_has(need, c)) {
			snprintf(err, errlen, "%s: no column '%s': not a "
				 "dmabench CSV", path, result_columns[c].name);
			free(in->text);
			in->text = NULL;
			return -1;
		}
	}
	return 0;
}

/*
 * The next line into @row (zeroed first; columns the file lacks stay
 * empty).  1, 0 at the end, -1 with a reason in @err.  A line shorter than
 * the header (the last one of an interrupted sweep) is skipped.
 */
static int csv_next(struct csv_in *in, struct result_row *row, char *err,
		    size_t errlen)
{
	char *line, *f[MAX_FIELDS];
	int nf;

	do {
		line = strtok_r(NULL, "\n", &in->save);
		if (!line)
			return 0;
		in->line++;
		nf = csv_split(line, f, MAX_FIELDS);
	} while (nf < in->nh);
	memset(row, 0, sizeof(*row));
	for (unsigned c = 0; c < NCOLS; c++) {
		const char *v = in->idx[c] >= 0 ? f[in->idx[c]] : "";

		if (col_parse(&result_columns[c], row, v)) {
			snprintf(err, errlen, "%s:%u: column '%s': '%.40s' is "
				 "not a valid value", in->path, in->line,
				 result_columns[c].name, v);
			errno = EINVAL;
			return -1;
		}
	}
	return 1;
}

static void csv_close(struct csv_in *in)
{
	free(in->text);
	in->text = NULL;
}

/* The label: the metadata's, else the last part of @path. */
static void rdir_label(struct rdir *d, const char *path)
{
	char tmp[512], lab[128];
	const char *base;
	size_t l;

	str_copy(tmp, sizeof(tmp), path);
	l = strlen(tmp);
	while (l > 1 && tmp[l - 1] == '/')
		tmp[--l] = '\0';
	base = strrchr(tmp, '/');
	str_copy(d->label, sizeof(d->label), base ? base + 1 : tmp);
	if (!rdir_meta(d, "label", lab, sizeof(lab)) && lab[0])
		str_copy(d->label, sizeof(d->label), lab);
}

/* What results.csv must have: the key and the latencies compare uses. */
#define RESULTS_NEED							\
	COLSET(COL_TEST, COL_DEVICE, COL_DMA_OPS, COL_DOMAIN_TYPE,	\
	       COL_SIZE, COL_NENTS, COL_THREADS, COL_DIR, COL_PHASE,	\
	       COL_MEAN_NS, COL_P50_NS, COL_P90_NS, COL_P99_NS,		\
	       COL_P999_NS, COL_MAX_NS, COL_OPS_PER_SEC)

int rdir_load(const char *path, struct rdir *d, char *err, size_t errlen)
{
	char csvpath[1024];
	struct csv_in in;
	struct stat st;
	size_t cap = 0;
	int r;

	memset(d, 0, sizeof(*d));
	str_copy(d->path, sizeof(d->path), path);
	if (stat(path, &st)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (S_ISDIR(st.st_mode)) {
		snprintf(csvpath, sizeof(csvpath), "%s/metadata.json", path);
		d->meta = read_file(csvpath);
		snprintf(csvpath, sizeof(csvpath), "%s/results.csv", path);
	} else {
		str_copy(csvpath, sizeof(csvpath), path);
	}
	rdir_label(d, path);
	if (csv_open(&in, csvpath, RESULTS_NEED, err, errlen)) {
		rdir_free(d);
		return -1;
	}
	for (;;) {
		if (d->n == cap) {
			struct result_row *v;

			cap = cap ? cap * 2 : 64;
			v = realloc(d->rows, cap * sizeof(*v));
			if (!v) {
				snprintf(err, errlen, "out of memory");
				r = -1;
				break;
			}
			d->rows = v;
		}
		r = csv_next(&in, &d->rows[d->n], err, errlen);
		if (r <= 0)
			break;
		d->n++;
	}
	csv_close(&in);
	if (!r && !d->n) {
		snprintf(err, errlen, "%s: no results in it", csvpath);
		r = -1;
	}
	if (r) {
		rdir_free(d);
		return -1;
	}
	return 0;
}

void rdir_free(struct rdir *d)
{
	free(d->rows);
	free(d->meta);
	d->rows = NULL;
	d->meta = NULL;
	d->n = 0;
}

int rdir_meta(const struct rdir *d, const char *key, char *buf, size_t len)
{
	char pat[80];
	const char *p;
	size_t n = 0;

	buf[0] = '\0';
	if (!d->meta)
		return -1;
	snprintf(pat, sizeof(pat), "\"%s\": ", key);
	p = strstr(d->meta, pat);
	if (!p)
		return -1;
	p += strlen(pat);
	if (*p == '[') {
		for (p++; *p && *p != ']' && n + 1 < len; p++)
			if (*p != '"')
				buf[n++] = *p;
		buf[n] = '\0';
		return 0;
	}
	if (*p != '"') {
		size_t l = strcspn(p, ",\n}");

		snprintf(buf, len, "%.*s", (int)l, p);
		return 0;
	}
	for (p++; *p && *p != '"' && n + 1 < len; p++) {
		if (*p == '\\' && p[1]) {
			p++;
			buf[n++] = *p == 'n' ? ' ' : *p == 't' ? ' ' : *p;
		} else {
			buf[n++] = *p;
		}
	}
	buf[n] = '\0';
	return 0;
}

/* hist.csv: the bucket and the key; the rest is optional (older files) */
#define HIST_NEED							\
	COLSET(COL_JOB, COL_TEST, COL_DOMAIN_TYPE, COL_SIZE, COL_NENTS,	\
	       COL_THREADS, COL_DIR, COL_PHASE, COL_LOWER_NS, COL_COUNT)

/* Append @row's bucket to the last configuration of @v, or start one. */
static int hist_add(struct hist_cfg **v, size_t *n, size_t *cap,
		    const struct result_row *row, colset key)
{
	struct hist_cfg *h = *n ? &(*v)[*n - 1] : NULL;
	struct hist_bucket *b;

	if (!h || !row_same(&h->row, row, key)) {
		if (*n == *cap) {
			struct hist_cfg *nv;

			*cap = *cap ? *cap * 2 : 64;
			nv = realloc(*v, *cap * sizeof(*nv));
			if (!nv)
				return -1;
			*v = nv;
		}
		h = &(*v)[(*n)++];
		h->row = *row;
		h->b = NULL;
		h->n = 0;
	}
	b = realloc(h->b, (h->n + 1) * sizeof(*b));
	if (!b)
		return -1;
	h->b = b;
	b[h->n].lower = row->hist_lower;
	b[h->n].count = row->hist_count;
	h->n++;
	return 0;
}

long rdir_load_hist(const char *dir, struct hist_cfg **cfgs, char *err,
		    size_t errlen)
{
	colset key = { { 0 } };
	char path[1024];
	struct csv_in in;
	struct result_row *row = malloc(sizeof(*row));
	struct hist_cfg *v = NULL;
	size_t n = 0, cap = 0;
	int r = -1;

	*cfgs = NULL;
	for (unsigned c = 0; c < NCOLS; c++)
		if (result_columns[c].files & FILES_H)
			key = colset_add(key, c);
	key = colset_minus(key, COLSET(COL_LOWER_NS, COL_COUNT));
	snprintf(path, sizeof(path), "%s/hist.csv", dir);
	if (!row) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (csv_open(&in, path, HIST_NEED, err, errlen)) {
		free(row);
		return -1;
	}
	while ((r = csv_next(&in, row, err, errlen)) > 0)
		if (hist_add(&v, &n, &cap, row, key)) {
			snprintf(err, errlen, "out of memory");
			errno = ENOMEM;
			r = -1;
			break;
		}
	csv_close(&in);
	free(row);
	if (r) {
		hist_cfgs_free(v, (long)n);
		return -1;
	}
	*cfgs = v;
	return (long)n;
}

void hist_cfgs_free(struct hist_cfg *h, long n)
{
	for (long i = 0; i < n; i++)
		free(h[i].b);
	free(h);
}

const char *domain_strictness(const char *domain)
{
	if (!strcmp(domain, "DMA"))
		return "strict";
	if (!strcmp(domain, "DMA-FQ"))
		return "lazy";
	if (!strcmp(domain, "identity"))
		return "passthrough";
	if (!strcmp(domain, "none"))
		return "no IOMMU";
	if (!strcmp(domain, "unmanaged"))
		return "IOMMU API";
	return "?";
}

colset config_key(int with_domain)
{
	return col_roles(ROLES_CONFIG |
			 (with_domain ? ROLE_DOMAIN | ROLE_OPS : 0));
}

colset hist_key(void)
{
	return col_roles(ROLE_ALL & ~ROLE_OPS);
}

static int push(double **v, size_t n, double x)
{
	double *nv = realloc(*v, (n + 1) * sizeof(**v));

	if (!nv)
		return -1;
	nv[n] = x;
	*v = nv;
	return 0;
}

long rdir_group(const struct rdir *d, int with_domain, struct rgroup **out)
{
	colset key = config_key(with_domain);
	struct rgroup *g = NULL;
	long ng = 0;

	*out = NULL;
	for (size_t i = 0; i < d->n; i++) {
		const struct result_row *r = &d->rows[i];
		long k;

		for (k = 0; k < ng; k++)
			if (row_same(g[k].row, r, key))
				break;
		if (k == ng) {
			struct rgroup *ngp = realloc(g, (size_t)(ng + 1) *
						     sizeof(*g));

			if (!ngp) {
				rgroups_free(g, ng);
				return -1;
			}
			g = ngp;
			memset(&g[ng], 0, sizeof(g[0]));
			g[ng++].row = r;
		}
		if (push(&g[k].p50, g[k].n, (double)r->st.p50_ns) ||
		    push(&g[k].p90, g[k].n, (double)r->st.p90_ns) ||
		    push(&g[k].p99, g[k].n, (double)r->st.p99_ns) ||
		    push(&g[k].mean, g[k].n, r->st.mean_ns) ||
		    push(&g[k].ops, g[k].n, r->st.ops_per_sec) ||
		    push(&g[k].inval, g[k].n, r->inval_per_buf_ns) ||
		    push(&g[k].qmean, g[k].n, r->queue_mean_ns) ||
		    push(&g[k].qmax, g[k].n, (double)r->queue_max_ns)) {
			rgroups_free(g, ng);
			return -1;
		}
		g[k].n++;
	}
	*out = g;
	return ng;
}

void rgroups_free(struct rgroup *g, long n)
{
	for (long i = 0; i < n; i++) {
		free(g[i].p50);
		free(g[i].p90);
		free(g[i].p99);
		free(g[i].mean);
		free(g[i].ops);
		free(g[i].inval);
		free(g[i].qmean);
		free(g[i].qmax);
	}
	free(g);
}

int rdir_mixed_domains(const struct rdir *d)
{
	colset key = config_key(0);

	for (size_t i = 0; i < d->n; i++)
		for (size_t j = i + 1; j < d->n; j++)
			if (row_same(&d->rows[i], &d->rows[j], key) &&
			    strcmp(d->rows[i].domain_type,
				   d->rows[j].domain_type))
				return 1;
	return 0;
}
