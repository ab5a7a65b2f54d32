dnl #
dnl # 6.11 API change: struct device has dma_skip_sync (under
dnl # CONFIG_DMA_NEED_SYNC); dma_sync_*() do nothing while it is set, which
dnl # dma_set_mask() sets for a coherent device.
dnl #
AC_DEFUN([DMABENCH_AC_KERNEL_SRC_DEV_DMA_SKIP_SYNC], [
	DMABENCH_LINUX_TEST_SRC([dev_dma_skip_sync], [
		#include <linux/device.h>
	], [
		struct device dev __attribute__((unused)) = {
			.dma_skip_sync = true,
		};
	])
])

AC_DEFUN([DMABENCH_AC_KERNEL_DEV_DMA_SKIP_SYNC], [
	AC_MSG_CHECKING([whether struct device has dma_skip_sync])
	DMABENCH_LINUX_TEST_RESULT([dev_dma_skip_sync], [
		AC_MSG_RESULT(yes)
		AC_DEFINE(HAVE_DEV_DMA_SKIP_SYNC, 1,
		    [struct device has dma_skip_sync (6.11+, DMA_NEED_SYNC)])
	], [
		AC_MSG_RESULT(no)
	])
])
