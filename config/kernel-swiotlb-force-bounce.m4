dnl #
dnl # 5.16 API change: is_swiotlb_force_bounce(dev) says whether swiotlb=force
dnl # bounces every mapping of @dev; before, the global swiotlb_force did.
dnl #
AC_DEFUN([DMABENCH_AC_KERNEL_SRC_SWIOTLB_FORCE_BOUNCE], [
	DMABENCH_LINUX_TEST_SRC([is_swiotlb_force_bounce], [
		#include <linux/swiotlb.h>
	], [
		bool b __attribute__((unused)) =
			is_swiotlb_force_bounce((struct device *)NULL);
	])
])

AC_DEFUN([DMABENCH_AC_KERNEL_SWIOTLB_FORCE_BOUNCE], [
	AC_MSG_CHECKING([whether is_swiotlb_force_bounce() exists])
	DMABENCH_LINUX_TEST_RESULT([is_swiotlb_force_bounce], [
		AC_MSG_RESULT(yes)
		AC_DEFINE(HAVE_IS_SWIOTLB_FORCE_BOUNCE, 1,
		    [is_swiotlb_force_bounce(dev) exists (5.16+)])
	], [
		AC_MSG_RESULT(no)
	])
])
