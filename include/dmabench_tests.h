/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The tests dmabench.ko may have, one line each:
 *   DMABENCH_TEST(name, DMABENCH_FIELD_* bits of the run fields it takes,
 *                 its phase names...)
 * No include guard: define DMABENCH_TEST, include this file, undefine it
 * (as the kernel's bpf_types.h).  kmod/dmabench_tests.c builds the
 * module's test table from it (with each test's code, dmabench_ops_NAME
 * in kmod/test_*.c; a test the running kernel lacks is left out of the
 * tests file); tests/fakemod.c builds the fake module's tests file and
 * field checks from it.  Not the ABI: tools read the module's tests file.
 *
 * Adding a kernel test: kmod/test_NAME.c, one line here, one Kbuild line.
 * At most DMABENCH_MAX_PHASES phases.  DMABENCH_STREAM_FIELDS and the
 * DMABENCH_FIELD_* bits: dmabench_fields.h.
 */
DMABENCH_TEST(map_single, DMABENCH_STREAM_FIELDS | DMABENCH_TIMING_FIELDS |
	      DMABENCH_FIELD_DMA_TRANS | DMABENCH_FIELD_ALIGN | DMABENCH_FIELD_SHAPE |
	      DMABENCH_FIELD_SIZE_MIX, "map", "unmap")
DMABENCH_TEST(iommu_map, DMABENCH_FIELD_IOMMU | DMABENCH_FIELD_DMA_TRANS |
	      DMABENCH_TIMING_FIELDS,
	      "iova_alloc", "map", "unmap", "invalidate", "iova_free")
DMABENCH_TEST(map_sg, DMABENCH_STREAM_FIELDS | DMABENCH_TIMING_FIELDS |
	      DMABENCH_FIELD_DMA_TRANS | DMABENCH_FIELD_ALIGN |
	      DMABENCH_FIELD_NENTS | DMABENCH_FIELD_SEG_SIZE |
	      DMABENCH_FIELD_SG_LAYOUT | DMABENCH_FIELD_SHAPE,
	      "map", "unmap")
DMABENCH_TEST(sync, DMABENCH_STREAM_FIELDS | DMABENCH_TIMING_FIELDS,
	      "for_device", "for_cpu")
DMABENCH_TEST(alloc, DMABENCH_FIELD_COHERENCY | DMABENCH_FIELD_ATTRS |
	      DMABENCH_TIMING_FIELDS | DMABENCH_FIELD_SHAPE |
	      DMABENCH_FIELD_SIZE_MIX, "alloc", "free")
DMABENCH_TEST(alloc_noncoherent,
	      DMABENCH_FIELD_COHERENCY | DMABENCH_TIMING_FIELDS,
	      "alloc", "for_device", "for_cpu", "free")
DMABENCH_TEST(alloc_pages, DMABENCH_FIELD_COHERENCY | DMABENCH_TIMING_FIELDS,
	      "alloc", "free")
DMABENCH_TEST(alloc_noncontiguous,
	      DMABENCH_FIELD_COHERENCY | DMABENCH_TIMING_FIELDS, "alloc", "free")
DMABENCH_TEST(iova_link, DMABENCH_FIELD_COHERENCY | DMABENCH_TIMING_FIELDS |
	      DMABENCH_FIELD_DMA_TRANS | DMABENCH_FIELD_ALIGN |
	      DMABENCH_FIELD_NENTS | DMABENCH_FIELD_SEG_SIZE |
	      DMABENCH_FIELD_SG_LAYOUT | DMABENCH_FIELD_SHAPE,
	      "alloc", "link", "sync", "unlink", "free")
DMABENCH_TEST(map_phys, DMABENCH_STREAM_FIELDS | DMABENCH_TIMING_FIELDS |
	      DMABENCH_FIELD_DMA_TRANS | DMABENCH_FIELD_ALIGN |
	      DMABENCH_FIELD_SHAPE | DMABENCH_FIELD_SIZE_MIX, "map", "unmap")
DMABENCH_TEST(synthetic, DMABENCH_TIMING_FIELDS, "op")
