/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The tests (and verify checks) a kernel may lack, one line each:
 *   DMABENCH_NEEDS(name, first Linux version with the API, the API)
 * The module leaves such a test out where configure found no API; a run
 * of it fails with ENOENT, and this table lets the module's log line and
 * bench's error name the version it needs.  No include guard (as
 * dmabench_tests.h): define DMABENCH_NEEDS, include, undefine.
 */
DMABENCH_NEEDS(alloc_noncontiguous, "5.13", "dma_alloc_noncontiguous")
DMABENCH_NEEDS(iommu_map, "5.19", "iommu_group_claim_dma_owner")
DMABENCH_NEEDS(iova_link, "6.16", "dma_iova_try_alloc")
DMABENCH_NEEDS(map_phys, "6.18", "dma_map_phys")
