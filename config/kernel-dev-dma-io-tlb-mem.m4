dnl #
dnl # 5.15 API change: struct device points at its swiotlb pool
dnl # (dma_io_tlb_mem); before, one global pool (is_swiotlb_active(void)).
dnl #
AC_DEFUN([DMABENCH_AC_KERNEL_SRC_DEV_DMA_IO_TLB_MEM], [
	DMABENCH_LINUX_TEST_SRC([dev_dma_io_tlb_mem], [
		#include <linux/device.h>
		#include <linux/swiotlb.h>
	], [
		struct device *dev = NULL;
		unsigned long n __attribute__((unused)) =
			dev->dma_io_tlb_mem->nslabs;
	])
])

AC_DEFUN([DMABENCH_AC_KERNEL_DEV_DMA_IO_TLB_MEM], [
	AC_MSG_CHECKING([whether struct device has dma_io_tlb_mem])
	DMABENCH_LINUX_TEST_RESULT([dev_dma_io_tlb_mem], [
		AC_MSG_RESULT(yes)
		AC_DEFINE(HAVE_DEV_DMA_IO_TLB_MEM, 1,
		    [struct device has dma_io_tlb_mem (5.15+)])
	], [
		AC_MSG_RESULT(no)
	])
])
