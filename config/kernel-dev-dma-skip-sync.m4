dnl #
dnl # 6.11 API change: struct device has dma_skip_sync (under
dnl # CONFIG_DMA_NEED_SYNC); dma_sync_*() do nothing while it is set, which
dnl # dma_set_mask() sets for a coherent device.  7.x made it a
dnl # DEV_FLAG_DMA_SKIP_SYNC bit with accessors (dev_dma_skip_sync(),
dnl # dev_assign_dma_skip_sync()).  Either form answers yes.
dnl #
AC_DEFUN([DMABENCH_AC_KERNEL_SRC_DEV_DMA_SKIP_SYNC], [
	DMABENCH_LINUX_TEST_SRC([dev_dma_skip_sync], [
		#include <linux/device.h>
	], [
		struct device dev __attribute__((unused)) = {
			.dma_skip_sync = true,
		};
	])
	DMABENCH_LINUX_TEST_SRC([dev_dma_skip_sync_flag], [
		#include <linux/device.h>
	], [
		dev_assign_dma_skip_sync((struct device *)NULL,
					 !dev_dma_skip_sync((struct device *)NULL));
	])
])

AC_DEFUN([DMABENCH_AC_KERNEL_DEV_DMA_SKIP_SYNC], [
	AC_MSG_CHECKING([whether devices have a DMA skip-sync flag])
	DMABENCH_LINUX_TEST_RESULT_FORMS([dev_dma_skip_sync], [
		AC_MSG_RESULT([yes, struct device member dma_skip_sync])
		AC_DEFINE(HAVE_DEV_DMA_SKIP_SYNC, 1,
		    [struct device has dma_skip_sync (6.11+, DMA_NEED_SYNC)])
	], [dev_dma_skip_sync_flag], [
		AC_MSG_RESULT([yes, dev_assign_dma_skip_sync()])
		AC_DEFINE(HAVE_DEV_DMA_SKIP_SYNC_FLAG, 1,
		    [dev_dma_skip_sync()/dev_assign_dma_skip_sync() exist (7.x)])
	], [
		AC_MSG_RESULT(no)
	])
])
