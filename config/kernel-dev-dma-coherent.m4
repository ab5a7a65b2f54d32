dnl #
dnl # struct device has dma_coherent only where the architecture selects
dnl # ARCH_HAS_SYNC_DMA_FOR_DEVICE/CPU(_ALL): per-device DMA coherency
dnl # (arm64 yes, x86 no).  Without it every device is coherent.
dnl #
AC_DEFUN([DMABENCH_AC_KERNEL_SRC_DEV_DMA_COHERENT], [
	DMABENCH_LINUX_TEST_SRC([dev_dma_coherent], [
		#include <linux/device.h>
	], [
		struct device dev __attribute__((unused)) = {
			.dma_coherent = true,
		};
	])
])

AC_DEFUN([DMABENCH_AC_KERNEL_DEV_DMA_COHERENT], [
	AC_MSG_CHECKING([whether struct device has dma_coherent])
	DMABENCH_LINUX_TEST_RESULT([dev_dma_coherent], [
		AC_MSG_RESULT(yes)
		AC_DEFINE(HAVE_DEV_DMA_COHERENT, 1,
		    [struct device has dma_coherent (per-device DMA coherency)])
	], [
		AC_MSG_RESULT(no)
	])
])
