/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Options of the IOMMU-API tests and commands (run --test iommu_map,
 * exhaust, verify --scope): scopes, flush policies, device lists.
 */
#ifndef DMABENCH_UTIL_IOMMUOPT_H
#define DMABENCH_UTIL_IOMMUOPT_H

#include <stddef.h>
#include <stdint.h>

#include "dmabench_abi.h"
#include "util/parse-options.h"

/* A flush policy: DMABENCH_FLUSH_* and buffers per invalidation. */
struct flush_spec {
	uint32_t kind;
	uint32_t n;			/* strict: 1; batch/all: 1..65536 */
};

#define FLUSH_DEFAULT_N	32
#define FLUSH_MAX_N	65536

/* The scope names, for parse-options ENUM options. */
extern const struct opt_name iommu_scope_names[];

/* "per-device" | "per-instance" (also "device", "instance"): 0 or -1. */
int parse_scope(const char *s, uint32_t *scope);
const char *scope_name(uint32_t scope);

/*
 * "strict" | "batch[:N]" | "all[:N]" (N 1..65536, default 32).  Returns 0,
 * or -1 with the reason in @why.
 */
int parse_flush(const char *s, struct flush_spec *f, char *why, size_t len);
/* "strict", "batch:32", "all:8" */
const char *format_flush(const struct flush_spec *f, char *buf, size_t len);

/*
 * The ops in one timed block of phase @phase (index in the tests file's
 * list) of an iommu_map run timed in batches of @batch
 * (kmod/test_iommu_map.c): iova_alloc and map the batch, invalidate one
 * flush, unmap and iova_free gcd(batch, buffers per invalidation), so
 * that no block holds an invalidation (strict: 1).
 */
uint32_t iommu_map_phase_batch(uint32_t flush, uint32_t flush_n,
			       uint32_t phase, uint32_t batch);

/*
 * Comma lists of scopes / flush policies.  On success *v is malloc'ed.
 * On failure -1 and the reason (naming the bad item) in @why.
 */
int parse_scope_list(const char *s, uint32_t **v, size_t *n, char *why,
		     size_t len);
int parse_flush_list(const char *s, struct flush_spec **v, size_t *n,
		     char *why, size_t len);

/*
 * A device list: "all", one name, or names separated by ',' or '+' (in a
 * job file ',' makes separate jobs; '+' keeps one list).  "all" yields
 * *n = 0.  Names are checked for length and duplicates, at most
 * DMABENCH_MAX_DEVICES.  *names is malloc'ed (NULL when *n is 0).
 */
typedef char devname_t[DMABENCH_NAME_LEN];
int parse_device_list(const char *s, devname_t **names, size_t *n,
		      char *why, size_t len);

/* Bits of an inclusive IOVA limit: 0xffffffff -> 32; 0 -> 0. */
unsigned iova_limit_bits(uint64_t aperture_end);

/* strerror-like meaning of an errno the IOMMU refused with, for exhaust. */
const char *exhaust_errno_meaning(int err);

#endif /* DMABENCH_UTIL_IOMMUOPT_H */
