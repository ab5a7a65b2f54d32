/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * What the module and the unit-test fake share about run fields and the
 * test list (dmabench_tests.h): which DMABENCH_FIELD_* bits a request
 * sets (DMABENCH_FIELD_SIZE_MIX is in the shape: the module
 * adds it after copying that in), their names, the phase count of a DMABENCH_TEST() line.
 */
#ifndef DMABENCH_FIELDS_H
#define DMABENCH_FIELDS_H

#include "dmabench_abi.h"

/* The fields of every test that stream-maps kernel buffers (cache: it has one). */
#define DMABENCH_STREAM_FIELDS	\
	(DMABENCH_FIELD_BOUNCE | DMABENCH_FIELD_COHERENCY | DMABENCH_FIELD_CACHE)

/* The timing fields of every test timed in batches (the phase tests, iommu_map). */
#define DMABENCH_TIMING_FIELDS	DMABENCH_FIELD_BATCH

/* The number of phase names in a DMABENCH_TEST() line's tail. */
#define DMABENCH_NPHASES(...)						\
	(sizeof((const char *[]){ __VA_ARGS__ }) / sizeof(const char *))

/*
 * The DMABENCH_FIELD_* bits of the run fields @r sets.  DMABENCH_FIELD_IOMMU
 * is the caller's: set for DMABENCH_IOC_IOMMU_RUN.
 */
static inline __u32 dmabench_run_fields(const struct dmabench_run *r)
{
	return (r->nents ? DMABENCH_FIELD_NENTS : 0) |
	       (r->seg_size ? DMABENCH_FIELD_SEG_SIZE : 0) |
	       (r->sg_layout ? DMABENCH_FIELD_SG_LAYOUT : 0) |
	       (r->attrs ? DMABENCH_FIELD_ATTRS : 0) |
	       (r->coherency ? DMABENCH_FIELD_COHERENCY : 0) |
	       (r->flags & DMABENCH_RUN_BOUNCE ? DMABENCH_FIELD_BOUNCE : 0) |
	       (r->dma_trans_ns ? DMABENCH_FIELD_DMA_TRANS : 0) |
	       (r->align ? DMABENCH_FIELD_ALIGN : 0) |
	       (r->batch > 1 ? DMABENCH_FIELD_BATCH : 0) |
	       (r->cache ? DMABENCH_FIELD_CACHE : 0) |
	       (r->shape_ptr ? DMABENCH_FIELD_SHAPE : 0);
}

/* The name of the lowest DMABENCH_FIELD_* bit in @bits. */
static inline const char *dmabench_field_name(__u32 bits)
{
	/* in bit order */
	static const char *const names[] = {
		"nents", "seg_size", "sg_layout", "attrs", "coherency",
		"bounce", "dma_trans_ns", "align", "IOMMU_RUN parameters",
		"batch", "cache", "shape", "size mix",
		NULL
	};
	unsigned int i;

	for (i = 0; names[i]; i++)
		if (bits & (1U << i))
			return names[i];
	return "a field";
}

#endif /* DMABENCH_FIELDS_H */
