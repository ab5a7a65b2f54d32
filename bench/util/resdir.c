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

#define MAX_FIELDS 64

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

static int col(char **hdr, int nh, const char *name)
{
	for (int i = 0; i < nh; i++)
		if (!strcmp(hdr[i], name))
			return i;
	return -1;
}

int rdir_load(const char *path, struct rdir *d, char *err, size_t errlen)
{
	static const char *const need[] = {
		"test", "device", "dma_ops", "domain_type", "size", "nents",
		"threads", "dir", "phase", "mean_ns", "p50_ns", "p90_ns",
		"p99_ns", "p999_ns", "max_ns", "ops_per_sec",
	};
	enum { NNEED = sizeof(need) / sizeof(need[0]) };
	char csvpath[1024], *text, *line, *save = NULL, *hdr[MAX_FIELDS];
	char *f[MAX_FIELDS];
	int idx[NNEED], ijob, irep, iplat, nh, isc, ifl, ibits, ilive, inval;
	int idevs, iseg, ilay, iattrs, icoh, ibounced;
	struct stat st;
	size_t cap = 0;
	const char *base;

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
	{
		char tmp[512], lab[128];
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
	text = read_file(csvpath);
	if (!text) {
		snprintf(err, errlen, "%s: %s", csvpath, strerror(errno));
		rdir_free(d);
		return -1;
	}
	line = strtok_r(text, "\n", &save);
	nh = line ? csv_split(line, hdr, MAX_FIELDS) : 0;
	for (int i = 0; i < NNEED; i++) {
		idx[i] = col(hdr, nh, need[i]);
		if (idx[i] < 0) {
			snprintf(err, errlen, "%s: no column '%s': not a "
				 "dmabench CSV", csvpath, need[i]);
			free(text);
			rdir_free(d);
			return -1;
		}
	}
	ijob = col(hdr, nh, "job");
	irep = col(hdr, nh, "rep");
	iplat = col(hdr, nh, "platform");
	isc = col(hdr, nh, "scope");
	ifl = col(hdr, nh, "flush");
	ibits = col(hdr, nh, "iova_bits");
	ilive = col(hdr, nh, "live");
	inval = col(hdr, nh, "inval_per_buf_ns");
	idevs = col(hdr, nh, "devices");
	/* DMA-API columns: absent in older files */
	iseg = col(hdr, nh, "seg_size");
	ilay = col(hdr, nh, "layout");
	iattrs = col(hdr, nh, "attrs");
	icoh = col(hdr, nh, "coherency");
	ibounced = col(hdr, nh, "bounced");
	while ((line = strtok_r(NULL, "\n", &save))) {
		struct rrow *r;
		int nf = csv_split(line, f, MAX_FIELDS);

		if (nf < nh)
			continue;
		if (d->n == cap) {
			struct rrow *v;

			cap = cap ? cap * 2 : 256;
			v = realloc(d->rows, cap * sizeof(*v));
			if (!v) {
				snprintf(err, errlen, "out of memory");
				free(text);
				rdir_free(d);
				return -1;
			}
			d->rows = v;
		}
		r = &d->rows[d->n++];
		memset(r, 0, sizeof(*r));
		str_copy(r->test, sizeof(r->test), f[idx[0]]);
		str_copy(r->device, sizeof(r->device), f[idx[1]]);
		str_copy(r->dma_ops, sizeof(r->dma_ops), f[idx[2]]);
		str_copy(r->domain, sizeof(r->domain), f[idx[3]]);
		r->size = strtoull(f[idx[4]], NULL, 10);
		r->nents = (unsigned)strtoul(f[idx[5]], NULL, 10);
		r->threads = (unsigned)strtoul(f[idx[6]], NULL, 10);
		str_copy(r->dir, sizeof(r->dir), f[idx[7]]);
		str_copy(r->phase, sizeof(r->phase), f[idx[8]]);
		r->mean = strtod(f[idx[9]], NULL);
		r->p50 = strtod(f[idx[10]], NULL);
		r->p90 = strtod(f[idx[11]], NULL);
		r->p99 = strtod(f[idx[12]], NULL);
		r->p999 = strtod(f[idx[13]], NULL);
		r->max = strtod(f[idx[14]], NULL);
		r->ops_per_sec = strtod(f[idx[15]], NULL);
		if (ijob >= 0)
			str_copy(r->job, sizeof(r->job), f[ijob]);
		if (irep >= 0)
			r->rep = (unsigned)strtoul(f[irep], NULL, 10);
		if (iplat >= 0)
			str_copy(r->platform, sizeof(r->platform), f[iplat]);
		if (isc >= 0)
			str_copy(r->scope, sizeof(r->scope), f[isc]);
		if (ifl >= 0)
			str_copy(r->flush, sizeof(r->flush), f[ifl]);
		if (ibits >= 0)
			r->iova_bits = (unsigned)strtoul(f[ibits], NULL, 10);
		if (ilive >= 0)
			r->live = (unsigned)strtoul(f[ilive], NULL, 10);
		if (idevs >= 0)
			r->ndevices = (unsigned)strtoul(f[idevs], NULL, 10);
		if (inval >= 0)
			r->inval_per_buf = strtod(f[inval], NULL);
		if (iseg >= 0)
			r->seg_size = strtoull(f[iseg], NULL, 10);
		if (ilay >= 0)
			str_copy(r->layout, sizeof(r->layout), f[ilay]);
		if (iattrs >= 0)
			str_copy(r->attrs, sizeof(r->attrs), f[iattrs]);
		/* "device" is the default: the same as not given */
		if (icoh >= 0 && strcmp(f[icoh], "device"))
			str_copy(r->coherency, sizeof(r->coherency), f[icoh]);
		if (ibounced >= 0)
			r->bounce = f[ibounced][0] != '\0';
	}
	free(text);
	if (!d->n) {
		snprintf(err, errlen, "%s: no results in it", csvpath);
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

long rdir_load_hist(const char *dir, struct hrow **rows)
{
	char path[1024], *text, *line, *save = NULL, *f[24], *hdr[24];
	size_t n = 0, cap = 0;
	struct hrow *v = NULL;
	int nh, isc, ifl, ibits, ilive, iseg, ilay, iattrs, icoh, ibounce;

	*rows = NULL;
	snprintf(path, sizeof(path), "%s/hist.csv", dir);
	text = read_file(path);
	if (!text)
		return -1;
	line = strtok_r(text, "\n", &save);	/* header */
	nh = line ? csv_split(line, hdr, 24) : 0;
	/* appended columns (iommu_map): absent in older directories */
	isc = col(hdr, nh, "scope");
	ifl = col(hdr, nh, "flush");
	ibits = col(hdr, nh, "iova_bits");
	ilive = col(hdr, nh, "live");
	iseg = col(hdr, nh, "seg_size");
	ilay = col(hdr, nh, "layout");
	iattrs = col(hdr, nh, "attrs");
	icoh = col(hdr, nh, "coherency");
	ibounce = col(hdr, nh, "bounce");
	while (line && (line = strtok_r(NULL, "\n", &save))) {
		struct hrow *h;
		int nf = csv_split(line, f, 24);

		if (nf < 11 || nf < nh)
			continue;
		if (n == cap) {
			struct hrow *nv;

			cap = cap ? cap * 2 : 1024;
			nv = realloc(v, cap * sizeof(*v));
			if (!nv) {
				free(v);
				free(text);
				return -1;
			}
			v = nv;
		}
		h = &v[n++];
		memset(h, 0, sizeof(*h));
		str_copy(h->job, sizeof(h->job), f[0]);
		str_copy(h->test, sizeof(h->test), f[1]);
		str_copy(h->domain, sizeof(h->domain), f[3]);
		h->size = strtoull(f[4], NULL, 10);
		h->nents = (unsigned)strtoul(f[5], NULL, 10);
		h->threads = (unsigned)strtoul(f[6], NULL, 10);
		str_copy(h->dir, sizeof(h->dir), f[7]);
		str_copy(h->phase, sizeof(h->phase), f[8]);
		h->lower = strtoull(f[9], NULL, 10);
		h->count = strtoull(f[10], NULL, 10);
		if (isc >= 0)
			str_copy(h->scope, sizeof(h->scope), f[isc]);
		if (ifl >= 0)
			str_copy(h->flush, sizeof(h->flush), f[ifl]);
		if (ibits >= 0)
			h->iova_bits = (unsigned)strtoul(f[ibits], NULL, 10);
		if (ilive >= 0)
			h->live = (unsigned)strtoul(f[ilive], NULL, 10);
		if (iseg >= 0)
			h->seg_size = strtoull(f[iseg], NULL, 10);
		if (ilay >= 0)
			str_copy(h->layout, sizeof(h->layout), f[ilay]);
		if (iattrs >= 0)
			str_copy(h->attrs, sizeof(h->attrs), f[iattrs]);
		if (icoh >= 0 && strcmp(f[icoh], "device"))
			str_copy(h->coherency, sizeof(h->coherency), f[icoh]);
		if (ibounce >= 0)
			h->bounce = f[ibounce][0] != '\0';
	}
	free(text);
	*rows = v;
	return (long)n;
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

int rrow_same_variant(const struct rrow *a, const struct rrow *b)
{
	return !strcmp(a->scope, b->scope) && !strcmp(a->flush, b->flush) &&
	       a->iova_bits == b->iova_bits && a->live == b->live &&
	       a->nents == b->nents && !strcmp(a->layout, b->layout) &&
	       !strcmp(a->attrs, b->attrs) &&
	       !strcmp(a->coherency, b->coherency) && a->bounce == b->bounce;
}

int rrow_cmp_variant(const struct rrow *a, const struct rrow *b)
{
	int c;

	if ((c = strcmp(a->scope, b->scope)) ||
	    (c = strcmp(a->flush, b->flush)))
		return c;
	if (a->iova_bits != b->iova_bits)
		return a->iova_bits < b->iova_bits ? -1 : 1;
	if (a->live != b->live)
		return a->live < b->live ? -1 : 1;
	/* map_sg: size is the total, so nents (not seg_size) tells apart */
	if (a->nents != b->nents)
		return a->nents < b->nents ? -1 : 1;
	if ((c = strcmp(a->layout, b->layout)) ||
	    (c = strcmp(a->attrs, b->attrs)) ||
	    (c = strcmp(a->coherency, b->coherency)))
		return c;
	return a->bounce - b->bounce;
}

int rrow_cmp_setup(const struct rrow *a, const struct rrow *b)
{
	int c;

	if ((c = strcmp(a->domain, b->domain)) || (c = strcmp(a->dir, b->dir)) ||
	    (c = rrow_cmp_variant(a, b)))
		return c;
	if (a->threads != b->threads)
		return a->threads < b->threads ? -1 : 1;
	if (a->size != b->size)
		return a->size < b->size ? -1 : 1;
	return 0;
}

const char *rrow_variant(const struct rrow *r, char *buf, size_t len)
{
	int n;

	buf[0] = '\0';
	n = 0;
	if (r->scope[0] || r->flush[0]) {
		n = snprintf(buf, len, "%s, %s", r->scope, r->flush);
		if (n >= 0 && (size_t)n < len && r->iova_bits &&
		    r->iova_bits != 48)
			n += snprintf(buf + n, len - (size_t)n,
				      ", iova %u bits", r->iova_bits);
		if (n >= 0 && (size_t)n < len && r->live > 1)
			n += snprintf(buf + n, len - (size_t)n, ", live %u",
				      r->live);
	}
#define ADD(...) do {							\
		if (n >= 0 && (size_t)n < len)				\
			n += snprintf(buf + n, len - (size_t)n,		\
				      __VA_ARGS__);			\
	} while (0)
	if (r->layout[0])
		ADD("%s%s, %u entr%s", n ? ", " : "", r->layout, r->nents,
		    r->nents == 1 ? "y" : "ies");
	if (r->attrs[0])
		ADD("%s%s", n ? ", " : "", r->attrs);
	if (r->coherency[0])
		ADD("%s%s", n ? ", " : "", r->coherency);
	if (r->bounce)
		ADD("%sbounce", n ? ", " : "");
#undef ADD
	return buf;
}

int hrow_matches(const struct hrow *h, const struct rrow *r)
{
	return !strcmp(h->test, r->test) && !strcmp(h->phase, r->phase) &&
	       !strcmp(h->domain, r->domain) && !strcmp(h->dir, r->dir) &&
	       (!r->job[0] || !strcmp(h->job, r->job)) &&
	       h->size == r->size && h->nents == r->nents &&
	       h->threads == r->threads && !strcmp(h->scope, r->scope) &&
	       h->seg_size == r->seg_size && !strcmp(h->layout, r->layout) &&
	       !strcmp(h->attrs, r->attrs) &&
	       !strcmp(h->coherency, r->coherency) &&
	       h->bounce == r->bounce &&
	       !strcmp(h->flush, r->flush) && h->iova_bits == r->iova_bits &&
	       h->live == r->live;
}

int rrow_same_config(const struct rrow *a, const struct rrow *b,
		     int with_domain)
{
	return !strcmp(a->test, b->test) && !strcmp(a->job, b->job) &&
	       a->size == b->size && a->nents == b->nents &&
	       a->threads == b->threads && !strcmp(a->dir, b->dir) &&
	       !strcmp(a->phase, b->phase) && rrow_same_variant(a, b) &&
	       (!with_domain || (!strcmp(a->domain, b->domain) &&
				 !strcmp(a->dma_ops, b->dma_ops)));
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
	struct rgroup *g = NULL;
	long ng = 0;

	*out = NULL;
	for (size_t i = 0; i < d->n; i++) {
		const struct rrow *r = &d->rows[i];
		long k;

		for (k = 0; k < ng; k++)
			if (rrow_same_config(g[k].row, r, with_domain))
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
		if (push(&g[k].p50, g[k].n, r->p50) ||
		    push(&g[k].p90, g[k].n, r->p90) ||
		    push(&g[k].p99, g[k].n, r->p99) ||
		    push(&g[k].mean, g[k].n, r->mean) ||
		    push(&g[k].ops, g[k].n, r->ops_per_sec) ||
		    push(&g[k].inval, g[k].n, r->inval_per_buf)) {
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
	}
	free(g);
}

int rdir_mixed_domains(const struct rdir *d)
{
	for (size_t i = 0; i < d->n; i++)
		for (size_t j = i + 1; j < d->n; j++)
			if (rrow_same_config(&d->rows[i], &d->rows[j], 0) &&
			    strcmp(d->rows[i].domain, d->rows[j].domain))
				return 1;
	return 0;
}
