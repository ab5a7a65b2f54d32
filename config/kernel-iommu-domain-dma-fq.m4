dnl #
dnl # 5.15 API change: IOMMU_DOMAIN_DMA_FQ, the lazy (flush queue) DMA domain
dnl # type; before, a lazy DMA domain was IOMMU_DOMAIN_DMA with a flush queue
dnl # inside.
dnl #
AC_DEFUN([DMABENCH_AC_KERNEL_SRC_IOMMU_DOMAIN_DMA_FQ], [
	DMABENCH_LINUX_TEST_SRC([iommu_domain_dma_fq], [
		#include <linux/iommu.h>
	], [
		unsigned int t __attribute__((unused)) = IOMMU_DOMAIN_DMA_FQ;
	])
])

AC_DEFUN([DMABENCH_AC_KERNEL_IOMMU_DOMAIN_DMA_FQ], [
	AC_MSG_CHECKING([whether IOMMU_DOMAIN_DMA_FQ exists])
	DMABENCH_LINUX_TEST_RESULT([iommu_domain_dma_fq], [
		AC_MSG_RESULT(yes)
		AC_DEFINE(HAVE_IOMMU_DOMAIN_DMA_FQ, 1,
		    [IOMMU_DOMAIN_DMA_FQ (lazy DMA domain type, 5.15+) exists])
	], [
		AC_MSG_RESULT(no)
	])
])
