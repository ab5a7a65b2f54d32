dnl #
dnl # 6.11 API change: iommu_paging_domain_alloc(dev) allocates an unmanaged
dnl # paging domain for the IOMMU instance of @dev and returns an ERR_PTR;
dnl # before, iommu_domain_alloc(bus) returned NULL on failure.
dnl #
AC_DEFUN([DMABENCH_AC_KERNEL_SRC_IOMMU_PAGING_DOMAIN_ALLOC], [
	DMABENCH_LINUX_TEST_SRC([iommu_paging_domain_alloc], [
		#include <linux/iommu.h>
	], [
		struct iommu_domain *d __attribute__((unused)) =
			iommu_paging_domain_alloc((struct device *)NULL);
	])
])

AC_DEFUN([DMABENCH_AC_KERNEL_IOMMU_PAGING_DOMAIN_ALLOC], [
	AC_MSG_CHECKING([whether iommu_paging_domain_alloc() exists])
	DMABENCH_LINUX_TEST_RESULT([iommu_paging_domain_alloc], [
		AC_MSG_RESULT(yes)
		AC_DEFINE(HAVE_IOMMU_PAGING_DOMAIN_ALLOC, 1,
		    [iommu_paging_domain_alloc(dev) exists])
	], [
		AC_MSG_RESULT(no)
	])
])
