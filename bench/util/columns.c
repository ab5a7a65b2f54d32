// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The result column table and the one key comparison built on it. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/columns.h"
#include "util/parse.h"

#define COL_DESC_(id, nm, ty, fld, sh, fi, ro, df)			\
	[COL_##id] = {							\
		.name = nm, .type = CT_##ty,				\
		.offset = offsetof(struct result_row, fld),		\
		.size = sizeof(((struct result_row *)0)->fld),		\
		.shown = SHOWN_##sh, .files = FILES_##fi,		\
		.role = ROLE_##ro, .dflt = df,				\
	},
const struct column result_columns[NCOLS] = {
	RESULT_COLUMNS(COL_DESC_)
};
#undef COL_DESC_

#define FIELD(c, row) ((const char *)(row) + (c)->offset)
#define WFIELD(c, row) ((char *)(row) + (c)->offset)

colset col_roles(unsigned roles)
{
	colset s = { { 0 } };

	for (unsigned i = 0; i < NCOLS; i++)
		if (result_columns[i].role & roles)
			s = colset_add(s, i);
	return s;
}

const struct column *col_by_name(const char *name)
{
	for (unsigned i = 0; i < NCOLS; i++)
		if (!strcmp(result_columns[i].name, name))
			return &result_columns[i];
	return NULL;
}

static const char *str_value(const struct column *c,
			     const struct result_row *row)
{
	const char *s = FIELD(c, row);

	return c->dflt && !strcmp(s, c->dflt) ? "" : s;
}

static uint64_t num_value(const struct column *c, const struct result_row *r)
{
	uint32_t u32;
	uint64_t u64;
	int i;

	switch (c->type) {
	case CT_U32:
		memcpy(&u32, FIELD(c, r), sizeof(u32));
		return u32;
	case CT_U64:
		memcpy(&u64, FIELD(c, r), sizeof(u64));
		return u64;
	case CT_FLAG:
		memcpy(&i, FIELD(c, r), sizeof(i));
		return i != 0;
	default:
		return 0;
	}
}

static double dbl_value(const struct column *c, const struct result_row *r)
{
	double d;

	memcpy(&d, FIELD(c, r), sizeof(d));
	return d;
}

static int col_cmp(const struct column *c, const struct result_row *a,
		   const struct result_row *b)
{
	uint64_t x, y;
	double dx, dy;

	switch (c->type) {
	case CT_STR:
		return strcmp(str_value(c, a), str_value(c, b));
	case CT_DBL1:
	case CT_DBL3:
		dx = dbl_value(c, a);
		dy = dbl_value(c, b);
		return (dx > dy) - (dx < dy);
	default:
		x = num_value(c, a);
		y = num_value(c, b);
		return (x > y) - (x < y);
	}
}

/* Where column @c sorts in the key: by its role's bit, the others last. */
static unsigned key_rank(const struct column *c)
{
	unsigned r = 0;

	if (c->role == ROLE_NONE)
		return 8 * sizeof(c->role);
	while (!(c->role & (1u << r)))
		r++;
	return r;
}

/* The columns in key order (by rank, then table order); built once. */
static const unsigned char *key_order(void)
{
	static unsigned char order[NCOLS];
	static int built;
	unsigned n = 0;

	if (built)
		return order;
	for (unsigned rank = 0; rank <= 8 * sizeof(enum col_role); rank++)
		for (unsigned i = 0; i < NCOLS; i++)
			if (key_rank(&result_columns[i]) == rank)
				order[n++] = (unsigned char)i;
	built = 1;
	return order;
}

int row_cmp(const struct result_row *a, const struct result_row *b,
	    colset cols)
{
	const unsigned char *order = key_order();

	for (unsigned k = 0; k < NCOLS; k++) {
		unsigned i = order[k];
		int r;

		if (!colset_has(cols, i))
			continue;
		r = col_cmp(&result_columns[i], a, b);
		if (r)
			return r;
	}
	return 0;
}

int col_has_value(const struct column *c, const struct result_row *row)
{
	switch (c->shown) {
	case SHOWN_ALWAYS:
	case SHOWN_SWEEP:	return 1;
	case SHOWN_IOMMU:	return row->iommu;
	case SHOWN_SG:		return row->sg;
	case SHOWN_BOUNCED:	return row->has_bounced;
	case SHOWN_RATES:	return row->nthread_rates != 0;
	case SHOWN_SHAPE:	return row->shape;
	case SHOWN_PAIRS:	return row->has_queue;
	case SHOWN_AGING:	return row->aging;
	case SHOWN_TIMING:	return row->timing[0] != '\0';
	}
	return 0;
}

/* A value read back: mark that part of the row as set. */
static void set_has_value(const struct column *c, struct result_row *row)
{
	switch (c->shown) {
	case SHOWN_IOMMU:
		row->iommu = 1;
		break;
	case SHOWN_SG:
		row->sg = 1;
		break;
	case SHOWN_BOUNCED:
		row->has_bounced = 1;
		break;
	case SHOWN_SHAPE:
		row->shape = 1;
		break;
	case SHOWN_PAIRS:
		row->has_queue = 1;
		break;
	case SHOWN_AGING:
		row->aging = 1;
		break;
	case SHOWN_RATES:
		/* the rates were measured per thread; CSV keeps min, max */
		row->nthread_rates = row->threads ? row->threads : 1;
		break;
	default:
		break;
	}
}

const char *col_format(const struct column *c, const struct result_row *row,
		       char *buf)
{
	switch (c->type) {
	case CT_STR:
		str_copy(buf, COL_TEXT_LEN, FIELD(c, row));
		break;
	case CT_FLAG:
		str_copy(buf, COL_TEXT_LEN, num_value(c, row) ? "yes" : "");
		break;
	case CT_DBL1:
	case CT_DBL3:
		snprintf(buf, COL_TEXT_LEN, "%.*f", c->type == CT_DBL1 ? 1 : 3,
			 dbl_value(c, row));
		break;
	default:
		snprintf(buf, COL_TEXT_LEN, "%llu",
			 (unsigned long long)num_value(c, row));
		break;
	}
	return buf;
}

int col_parse(const struct column *c, struct result_row *row,
	      const char *text)
{
	char *end;
	uint64_t u;
	uint32_t u32;
	double d;
	int flag;

	if (!text[0])
		return 0;
	errno = 0;
	switch (c->type) {
	case CT_STR:
		str_copy(WFIELD(c, row), c->size, text);
		break;
	case CT_FLAG:
		flag = 1;	/* "yes": any value */
		memcpy(WFIELD(c, row), &flag, sizeof(flag));
		break;
	case CT_DBL1:
	case CT_DBL3:
		d = strtod(text, &end);
		if (*end || errno)
			return -1;
		memcpy(WFIELD(c, row), &d, sizeof(d));
		break;
	default:
		if (text[0] == '-')
			return -1;
		u = strtoull(text, &end, 10);
		if (*end || errno || (c->type == CT_U32 && u > UINT32_MAX))
			return -1;
		if (c->type == CT_U32) {
			u32 = (uint32_t)u;
			memcpy(WFIELD(c, row), &u32, sizeof(u32));
		} else {
			memcpy(WFIELD(c, row), &u, sizeof(u));
		}
		break;
	}
	set_has_value(c, row);
	return 0;
}

const char *row_variant(const struct result_row *r, char *buf, size_t len)
{
	const char *coh = str_value(&result_columns[COL_COHERENCY], r);
	char fp[32];
	int n = 0;

	buf[0] = '\0';
#define ADD(...) do {							\
		if (n >= 0 && (size_t)n < len)				\
			n += snprintf(buf + n, len - (size_t)n,		\
				      __VA_ARGS__);			\
	} while (0)
	if (r->scope[0] || r->flush[0]) {
		ADD("%s, %s", r->scope, r->flush);
		if (r->iova_bits && r->iova_bits != 48)
			ADD(", iova %u bits", r->iova_bits);
		if (r->live > 1)
			ADD(", live %u", r->live);
	}
	if (r->layout[0])
		ADD("%s%s, %u entr%s", n ? ", " : "", r->layout, r->nents,
		    r->nents == 1 ? "y" : "ies");
	if (r->attrs[0])
		ADD("%s%s", n ? ", " : "", r->attrs);
	if (coh[0])
		ADD("%s%s", n ? ", " : "", coh);
	if (r->has_bounced)
		ADD("%sbounce", n ? ", " : "");
	if (r->align)
		ADD("%salign %u", n ? ", " : "", r->align);
	if (r->depth > 1)
		ADD("%sdepth %u", n ? ", " : "", r->depth);
	if (!strcmp(r->order, "random"))
		ADD("%srandom order", n ? ", " : "");
	if (r->hold[0])
		ADD("%shold %s", n ? ", " : "", r->hold);
	if (r->pairs[0])
		ADD("%spairs %s", n ? ", " : "", r->pairs);
	if (r->footprint)
		ADD("%sfootprint %s", n ? ", " : "",
		    format_size(r->footprint, fp, sizeof(fp)));
	if (r->size_mix[0])
		ADD("%smix %s", n ? ", " : "", r->size_mix);
#undef ADD
	return buf;
}

const char *row_size_label(const struct result_row *r, char *buf,
			   size_t len)
{
	if (r->size_class[0])
		str_copy(buf, len, r->size_class);
	else
		format_size(r->size, buf, len);
	return buf;
}
