// SPDX-License-Identifier: GPL-2.0
/*
 * The table of tests.  Adding a test: write test_<name>.c with a
 * struct dmabench_test, declare it in dmabench.h, add one line here.
 */
#include <linux/string.h>

#include "dmabench.h"

const struct dmabench_test *const dmabench_tests[] = {
	&dmabench_test_map_single,
#ifdef HAVE_IOMMU_CLAIM_DMA_OWNER
	&dmabench_test_iommu_map,
#endif
	&dmabench_test_map_sg,
	&dmabench_test_sync,
	&dmabench_test_alloc,
	&dmabench_test_alloc_noncoherent,
#ifdef HAVE_DMA_ALLOC_PAGES
	&dmabench_test_alloc_pages,
#endif
#ifdef HAVE_DMA_ALLOC_NONCONTIGUOUS
	&dmabench_test_alloc_noncontiguous,
#endif
	NULL
};

const struct dmabench_test *dmabench_find_test(const char *name)
{
	const struct dmabench_test *const *t;

	for (t = dmabench_tests; *t; t++)
		if (!strcmp((*t)->name, name))
			return *t;
	return NULL;
}
