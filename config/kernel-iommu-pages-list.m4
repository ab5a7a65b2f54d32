dnl #
dnl # 6.15 API change: the gather freelist became a struct iommu_pages_list
dnl # (the pages in its .pages list_head).
dnl #
AC_DEFUN([DMABENCH_AC_KERNEL_SRC_IOMMU_PAGES_LIST], [
	DMABENCH_LINUX_TEST_SRC([iommu_pages_list], [
		#include <linux/iommu.h>
	], [
		struct iommu_iotlb_gather g;

		INIT_LIST_HEAD(&g.freelist.pages);
	])
])

AC_DEFUN([DMABENCH_AC_KERNEL_IOMMU_PAGES_LIST], [
	AC_MSG_CHECKING([whether iommu_iotlb_gather.freelist is a struct iommu_pages_list])
	DMABENCH_LINUX_TEST_RESULT([iommu_pages_list], [
		AC_MSG_RESULT(yes)
		AC_DEFINE(HAVE_IOMMU_PAGES_LIST, 1,
		    [struct iommu_iotlb_gather freelist is a struct iommu_pages_list (6.15+)])
	], [
		AC_MSG_RESULT(no)
	])
])
