// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Parsing and naming of the IOMMU-API options (see iommuopt.h). */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/iommuopt.h"
#include "util/parse-options.h"
#include "util/parse.h"

const struct opt_name iommu_scope_names[] = {
	{ "per-device", DMABENCH_SCOPE_DEVICE, 0 },
	{ "per-instance", DMABENCH_SCOPE_INSTANCE, 0 },
	{ "device", DMABENCH_SCOPE_DEVICE, 1 },
	{ "instance", DMABENCH_SCOPE_INSTANCE, 1 },
	{ NULL, 0, 0 },
};

int parse_scope(const char *s, uint32_t *scope)
{
	return opt_name_value(iommu_scope_names, s, strlen(s), scope);
}

const char *scope_name(uint32_t scope)
{
	return opt_name_of(iommu_scope_names, scope);
}

int parse_flush(const char *s, struct flush_spec *f, char *why, size_t len)
{
	const char *colon = strchr(s, ':');
	size_t kl = colon ? (size_t)(colon - s) : strlen(s);
	uint64_t n = FLUSH_DEFAULT_N;
	enum parse_result r;

	if (kl == 6 && !strncmp(s, "strict", 6)) {
		f->kind = DMABENCH_FLUSH_STRICT;
		f->n = 1;
		if (colon) {
			snprintf(why, len, "strict invalidates every buffer: "
				 "no :N (use batch:N)");
			return -1;
		}
		return 0;
	}
	if (kl == 5 && !strncmp(s, "batch", 5)) {
		f->kind = DMABENCH_FLUSH_BATCH;
	} else if (kl == 3 && !strncmp(s, "all", 3)) {
		f->kind = DMABENCH_FLUSH_ALL;
	} else {
		snprintf(why, len, "use strict, batch:N or all[:N]");
		return -1;
	}
	if (colon) {
		r = parse_u64(colon + 1, &n);
		if (r) {
			snprintf(why, len, "N: %s", parse_strerror(r));
			return -1;
		}
		if (n < 1 || n > FLUSH_MAX_N) {
			snprintf(why, len, "N must be 1..%u", FLUSH_MAX_N);
			return -1;
		}
	}
	f->n = (uint32_t)n;
	return 0;
}

const char *format_flush(const struct flush_spec *f, char *buf, size_t len)
{
	switch (f->kind) {
	case DMABENCH_FLUSH_STRICT:
		snprintf(buf, len, "strict");
		break;
	case DMABENCH_FLUSH_BATCH:
		snprintf(buf, len, "batch:%u", f->n);
		break;
	case DMABENCH_FLUSH_ALL:
		snprintf(buf, len, "all:%u", f->n);
		break;
	default:
		snprintf(buf, len, "?");
	}
	return buf;
}

/* Split @s at commas; call @one on every item (copied, NUL-terminated). */
static int each_item(const char *s, int (*one)(const char *, void *, char *,
					       size_t),
		     void *ctx, char *why, size_t len)
{
	char item[64], sub[128];

	if (!*s) {
		snprintf(why, len, "empty");
		return -1;
	}
	for (;;) {
		size_t l = strcspn(s, ",");

		if (!l || l >= sizeof(item)) {
			snprintf(why, len, "'%.*s': %s", (int)l, s,
				 l ? "too long" : "empty item");
			return -1;
		}
		memcpy(item, s, l);
		item[l] = '\0';
		if (one(item, ctx, sub, sizeof(sub))) {
			snprintf(why, len, "'%s': %s", item, sub);
			return -1;
		}
		s += l;
		if (!*s)
			return 0;
		s++;
	}
}

#define MAX_LIST_ITEMS	64

int parse_scope_list(const char *s, uint32_t **v, size_t *n, char *why,
		     size_t len)
{
	*v = NULL;
	return opt_enum_list(iommu_scope_names, s, v, n, why, len);
}

struct flush_ctx {
	struct flush_spec *v;
	size_t n;
};

static int flush_one(const char *item, void *p, char *why, size_t len)
{
	struct flush_ctx *c = p;

	if (c->n >= MAX_LIST_ITEMS) {
		snprintf(why, len, "too many items");
		return -1;
	}
	return parse_flush(item, &c->v[c->n++], why, len);
}

int parse_flush_list(const char *s, struct flush_spec **v, size_t *n,
		     char *why, size_t len)
{
	struct flush_ctx c = { .v = malloc(MAX_LIST_ITEMS * sizeof(**v)) };

	*v = NULL;
	*n = 0;
	if (!c.v) {
		snprintf(why, len, "out of memory");
		return -1;
	}
	if (each_item(s, flush_one, &c, why, len)) {
		free(c.v);
		return -1;
	}
	*v = c.v;
	*n = c.n;
	return 0;
}

int parse_device_list(const char *s, devname_t **names, size_t *n,
		      char *why, size_t len)
{
	devname_t *v;
	size_t k = 0;

	*names = NULL;
	*n = 0;
	if (!strcmp(s, DMABENCH_ALL_DEVICES))
		return 0;
	v = calloc(DMABENCH_MAX_DEVICES, sizeof(*v));
	if (!v) {
		snprintf(why, len, "out of memory");
		return -1;
	}
	for (;;) {
		size_t l = strcspn(s, ",+");

		if (!l || l >= DMABENCH_NAME_LEN) {
			snprintf(why, len, "%s device name '%.*s'",
				 l ? "too long a" : "empty", (int)l, s);
			goto bad;
		}
		if (k == DMABENCH_MAX_DEVICES) {
			snprintf(why, len, "more than %d devices",
				 DMABENCH_MAX_DEVICES);
			goto bad;
		}
		memcpy(v[k], s, l);
		v[k][l] = '\0';
		if (!strcmp(v[k], DMABENCH_ALL_DEVICES)) {
			snprintf(why, len, "'all' cannot be part of a list");
			goto bad;
		}
		for (size_t j = 0; j < k; j++)
			if (!strcmp(v[j], v[k])) {
				snprintf(why, len, "device %s named twice",
					 v[k]);
				goto bad;
			}
		k++;
		s += l;
		if (!*s)
			break;
		s++;
	}
	*names = v;
	*n = k;
	return 0;
bad:
	free(v);
	return -1;
}

unsigned iova_limit_bits(uint64_t end)
{
	unsigned b = 0;

	while (end) {
		b++;
		end >>= 1;
	}
	return b;
}

const char *exhaust_errno_meaning(int err)
{
	switch (err) {
	case 0:
		return "no refusal";
	case ENOSPC:
		return "no free hardware context / address space left";
	case ENOMEM:
		return "out of memory (IOVA space or page tables exhausted)";
	case EBUSY:
		return "the IOMMU or the device is busy";
	case ENODEV:
		return "the IOMMU refused the device";
	case EINVAL:
		return "the IOMMU driver rejected the domain for this device";
	case EOPNOTSUPP:
		return "the IOMMU does not support this";
	}
	return strerror(err);
}

uint32_t iommu_map_phase_batch(uint32_t flush, uint32_t flush_n,
			       uint32_t phase, uint32_t batch)
{
	uint32_t a = batch, b;

	if (phase < 2)
		return batch;	/* iova_alloc, map */
	if (phase == 3 || batch <= 1)
		return 1;	/* invalidate: every flush on its own */
	b = flush == DMABENCH_FLUSH_STRICT ? 1 :
	    flush_n ? flush_n : FLUSH_DEFAULT_N;
	while (b) {		/* gcd(batch, flush_n) */
		uint32_t r = a % b;

		a = b;
		b = r;
	}
	return a;
}
