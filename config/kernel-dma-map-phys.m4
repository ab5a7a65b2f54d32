dnl #
dnl # 6.18 API change: dma_map_phys()/dma_unmap_phys() map a physical
dnl # address range (no struct page needed); dma_map_page() became a
dnl # wrapper around it.
dnl #
AC_DEFUN([DMABENCH_AC_KERNEL_SRC_DMA_MAP_PHYS], [
	DMABENCH_LINUX_TEST_SRC([dma_map_phys], [
		#include <linux/dma-mapping.h>
	], [
		dma_addr_t addr = dma_map_phys((struct device *)NULL,
					       (phys_addr_t)0, (size_t)4096,
					       DMA_BIDIRECTIONAL, 0UL);

		dma_unmap_phys((struct device *)NULL, addr, (size_t)4096,
			       DMA_BIDIRECTIONAL, 0UL);
	])
])

AC_DEFUN([DMABENCH_AC_KERNEL_DMA_MAP_PHYS], [
	AC_MSG_CHECKING([whether dma_map_phys() exists])
	DMABENCH_LINUX_TEST_RESULT([dma_map_phys], [
		AC_MSG_RESULT(yes)
		AC_DEFINE(HAVE_DMA_MAP_PHYS, 1,
		    [dma_map_phys() and dma_unmap_phys() exist (6.18+)])
	], [
		AC_MSG_RESULT(no)
	])
])
