dnl #
dnl # 5.19 API change: the DMA ownership API (iommu_group_claim_dma_owner,
dnl # iommu_group_release_dma_owner) and drivers' driver_managed_dma flag,
dnl # which the IOMMU-API tests need to take a group from the DMA API as VFIO
dnl # does.  Without it the IOMMU-API tests are compiled out.
dnl #
AC_DEFUN([DMABENCH_AC_KERNEL_SRC_IOMMU_CLAIM_DMA_OWNER], [
	DMABENCH_LINUX_TEST_SRC([iommu_claim_dma_owner], [
		#include <linux/iommu.h>
		#include <linux/platform_device.h>
		static struct platform_driver drv __attribute__((unused)) = {
			.driver_managed_dma = true,
		};
	], [
		int ret __attribute__((unused)) =
			iommu_group_claim_dma_owner((struct iommu_group *)NULL,
						    NULL);

		iommu_group_release_dma_owner((struct iommu_group *)NULL);
	])
])

AC_DEFUN([DMABENCH_AC_KERNEL_IOMMU_CLAIM_DMA_OWNER], [
	AC_MSG_CHECKING([whether iommu_group_claim_dma_owner() exists])
	DMABENCH_LINUX_TEST_RESULT([iommu_claim_dma_owner], [
		AC_MSG_RESULT(yes)
		AC_DEFINE(HAVE_IOMMU_CLAIM_DMA_OWNER, 1,
		    [iommu_group_claim_dma_owner() and driver_managed_dma exist (5.19+)])
	], [
		AC_MSG_RESULT(no)
	])
])
