dnl #
dnl # 5.17 API change: struct iommu_iotlb_gather keeps freed page-table pages
dnl # in a list_head freelist until iommu_iotlb_sync() releases them; before,
dnl # the drivers freed them themselves.
dnl #
AC_DEFUN([DMABENCH_AC_KERNEL_SRC_IOMMU_GATHER_FREELIST], [
	DMABENCH_LINUX_TEST_SRC([iommu_gather_freelist], [
		#include <linux/iommu.h>
	], [
		struct iommu_iotlb_gather g;

		INIT_LIST_HEAD(&g.freelist);
	])
])

AC_DEFUN([DMABENCH_AC_KERNEL_IOMMU_GATHER_FREELIST], [
	AC_MSG_CHECKING([whether iommu_iotlb_gather.freelist is a list_head])
	DMABENCH_LINUX_TEST_RESULT([iommu_gather_freelist], [
		AC_MSG_RESULT(yes)
		AC_DEFINE(HAVE_IOMMU_GATHER_FREELIST, 1,
		    [struct iommu_iotlb_gather has a list_head freelist (5.17+)])
	], [
		AC_MSG_RESULT(no)
	])
])
