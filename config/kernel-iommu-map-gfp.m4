dnl #
dnl # 6.3 API change: iommu_map() takes a gfp_t for its page-table
dnl # allocations (iommu_map_atomic() went away).
dnl #
AC_DEFUN([DMABENCH_AC_KERNEL_SRC_IOMMU_MAP_GFP], [
	DMABENCH_LINUX_TEST_SRC([iommu_map_gfp], [
		#include <linux/iommu.h>
	], [
		int r __attribute__((unused)) =
			iommu_map((struct iommu_domain *)NULL, 0, 0, 4096,
				  IOMMU_READ, GFP_KERNEL);
	])
])

AC_DEFUN([DMABENCH_AC_KERNEL_IOMMU_MAP_GFP], [
	AC_MSG_CHECKING([whether iommu_map() takes a gfp_t])
	DMABENCH_LINUX_TEST_RESULT([iommu_map_gfp], [
		AC_MSG_RESULT(yes)
		AC_DEFINE(HAVE_IOMMU_MAP_GFP, 1,
		    [iommu_map() takes a gfp_t argument])
	], [
		AC_MSG_RESULT(no)
	])
])
