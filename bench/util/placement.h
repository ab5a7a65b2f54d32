/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Where the module runs the benchmark threads: --cpus LIST or --node N,
 * resolved and validated with libnuma into the ABI's cpus[] bitmap.
 */
#ifndef DMABENCH_UTIL_PLACEMENT_H
#define DMABENCH_UTIL_PLACEMENT_H

#include <stddef.h>
#include <stdint.h>

#include "dmabench_abi.h"

#define PLACEMENT_WORDS	(DMABENCH_MAX_CPUS / 64)

struct placement {
	int node;			/* -1: any */
	uint64_t cpus[PLACEMENT_WORDS];	/* all zero: no binding */
	unsigned ncpus;
	char desc[160];			/* for the metadata: "cpus 0-3" */
};

/* No binding, any node. */
void placement_any(struct placement *p);

/*
 * --cpus LIST in the kernel's list syntax ("0-3,8").  Every CPU must exist
 * and be online.  Returns 0, or -1 with a one-line reason in @err.
 */
int placement_from_cpus(struct placement *p, const char *list,
			char *err, size_t errlen);

/* --node N: threads on N's CPUs, buffers on N.  0 or -1 with @err. */
int placement_from_node(struct placement *p, const char *node,
			char *err, size_t errlen);

#endif /* DMABENCH_UTIL_PLACEMENT_H */
