dnl #
dnl # Per-device DMA coherency, settable only where the architecture has
dnl # non-coherent DMA (ARCH_HAS_SYNC_DMA_FOR_DEVICE/CPU(_ALL): arm64 yes,
dnl # x86 no; elsewhere every device is coherent).  Two forms:
dnl #  - struct device member dma_coherent (4.19 .. 7.0), present only on
dnl #    such architectures;
dnl #  - 7.x: a DEV_FLAG_DMA_COHERENT bit with accessors (dev_dma_coherent(),
dnl #    dev_assign_dma_coherent()), present everywhere, so the test asks
dnl #    for the architecture too.
dnl # Either form answers yes: a "no" for a kernel that has it in the other
dnl # form would refuse --coherency without reason.
dnl #
AC_DEFUN([DMABENCH_AC_KERNEL_SRC_DEV_DMA_COHERENT], [
	DMABENCH_LINUX_TEST_SRC([dev_dma_coherent], [
		#include <linux/device.h>
	], [
		struct device dev __attribute__((unused)) = {
			.dma_coherent = true,
		};
	])
	DMABENCH_LINUX_TEST_SRC([dev_dma_coherent_flag], [
		#include <linux/device.h>
		#if !defined(CONFIG_ARCH_HAS_SYNC_DMA_FOR_DEVICE) && \
		    !defined(CONFIG_ARCH_HAS_SYNC_DMA_FOR_CPU) && \
		    !defined(CONFIG_ARCH_HAS_SYNC_DMA_FOR_CPU_ALL)
		#error every device is DMA-coherent on this architecture
		#endif
	], [
		dev_assign_dma_coherent((struct device *)NULL,
					!dev_dma_coherent((struct device *)NULL));
	])
])

AC_DEFUN([DMABENCH_AC_KERNEL_DEV_DMA_COHERENT], [
	AC_MSG_CHECKING([whether a device's DMA coherency can be set])
	DMABENCH_LINUX_TEST_RESULT_FORMS([dev_dma_coherent], [
		AC_MSG_RESULT([yes, struct device member dma_coherent])
		AC_DEFINE(HAVE_DEV_DMA_COHERENT, 1,
		    [struct device has dma_coherent (per-device DMA coherency)])
	], [dev_dma_coherent_flag], [
		AC_MSG_RESULT([yes, dev_assign_dma_coherent()])
		AC_DEFINE(HAVE_DEV_DMA_COHERENT_FLAG, 1,
		    [dev_assign_dma_coherent() sets per-device DMA coherency (7.x)])
	], [
		AC_MSG_RESULT(no)
	])
])
