dnl #
dnl # 5.10 API change: dma_alloc_pages()/dma_free_pages() allocate
dnl # non-coherent memory as struct pages.
dnl #
AC_DEFUN([DMABENCH_AC_KERNEL_SRC_DMA_ALLOC_PAGES], [
	DMABENCH_LINUX_TEST_SRC([dma_alloc_pages], [
		#include <linux/dma-mapping.h>
	], [
		dma_addr_t handle;
		struct page *page = dma_alloc_pages((struct device *)NULL,
						    4096, &handle,
						    DMA_BIDIRECTIONAL,
						    GFP_KERNEL);

		dma_free_pages((struct device *)NULL, 4096, page, handle,
			       DMA_BIDIRECTIONAL);
	])
])

AC_DEFUN([DMABENCH_AC_KERNEL_DMA_ALLOC_PAGES], [
	AC_MSG_CHECKING([whether dma_alloc_pages() exists])
	DMABENCH_LINUX_TEST_RESULT([dma_alloc_pages], [
		AC_MSG_RESULT(yes)
		AC_DEFINE(HAVE_DMA_ALLOC_PAGES, 1,
		    [dma_alloc_pages() and dma_free_pages() exist])
	], [
		AC_MSG_RESULT(no)
	])
])
