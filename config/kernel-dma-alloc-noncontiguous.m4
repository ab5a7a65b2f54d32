dnl #
dnl # 5.13 API change: dma_alloc_noncontiguous()/dma_free_noncontiguous()
dnl # allocate non-coherent memory that is DMA-contiguous only (an IOMMU
dnl # joins the pages) as a struct sg_table.
dnl #
AC_DEFUN([DMABENCH_AC_KERNEL_SRC_DMA_ALLOC_NONCONTIGUOUS], [
	DMABENCH_LINUX_TEST_SRC([dma_alloc_noncontiguous], [
		#include <linux/dma-mapping.h>
	], [
		struct sg_table *sgt =
			dma_alloc_noncontiguous((struct device *)NULL, 4096,
						DMA_BIDIRECTIONAL, GFP_KERNEL,
						0);

		dma_free_noncontiguous((struct device *)NULL, 4096, sgt,
				       DMA_BIDIRECTIONAL);
	])
])

AC_DEFUN([DMABENCH_AC_KERNEL_DMA_ALLOC_NONCONTIGUOUS], [
	AC_MSG_CHECKING([whether dma_alloc_noncontiguous() exists])
	DMABENCH_LINUX_TEST_RESULT([dma_alloc_noncontiguous], [
		AC_MSG_RESULT(yes)
		AC_DEFINE(HAVE_DMA_ALLOC_NONCONTIGUOUS, 1,
		    [dma_alloc_noncontiguous() and dma_free_noncontiguous() exist])
	], [
		AC_MSG_RESULT(no)
	])
])
