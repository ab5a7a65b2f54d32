dnl #
dnl # 6.16 API change: the two-step DMA API.  dma_iova_try_alloc() reserves
dnl # IOVA space for a whole transfer, dma_iova_link() maps ranges into it,
dnl # dma_iova_sync() flushes the IOTLB once, dma_iova_unlink() and
dnl # dma_iova_free() (or dma_iova_destroy(), both at once) undo it.  The
dnl # header has inline stubs without CONFIG_IOMMU_DMA (try_alloc then
dnl # answers false at run time), so this compiles wherever the API is
dnl # declared.  Every call the module makes is in the test, with its types.
dnl #
AC_DEFUN([DMABENCH_AC_KERNEL_SRC_DMA_IOVA_LINK], [
	DMABENCH_LINUX_TEST_SRC([dma_iova_link], [
		#include <linux/dma-mapping.h>
	], [
		struct device *dev = NULL;
		struct dma_iova_state state;
		bool ok = dma_iova_try_alloc(dev, &state, (phys_addr_t)0,
					     (size_t)4096);
		int link = dma_iova_link(dev, &state, (phys_addr_t)0,
					 (size_t)0, (size_t)4096,
					 DMA_BIDIRECTIONAL, 0UL);
		int sync = dma_iova_sync(dev, &state, (size_t)0,
					 (size_t)4096);
		dma_addr_t addr __attribute__((unused)) = state.addr;
		size_t size __attribute__((unused)) = dma_iova_size(&state);

		if (ok && dma_use_iova(&state) && !link && !sync)
			dma_iova_unlink(dev, &state, (size_t)0, (size_t)4096,
					DMA_BIDIRECTIONAL, 0UL);
		dma_iova_free(dev, &state);
		dma_iova_destroy(dev, &state, (size_t)4096,
				 DMA_BIDIRECTIONAL, 0UL);
	])
])

AC_DEFUN([DMABENCH_AC_KERNEL_DMA_IOVA_LINK], [
	AC_MSG_CHECKING([whether the two-step DMA API (dma_iova_try_alloc) exists])
	DMABENCH_LINUX_TEST_RESULT([dma_iova_link], [
		AC_MSG_RESULT(yes)
		AC_DEFINE(HAVE_DMA_IOVA_LINK, 1,
		    [dma_iova_try_alloc/link/sync/unlink/free/destroy exist (6.16+)])
	], [
		AC_MSG_RESULT(no)
	])
])
