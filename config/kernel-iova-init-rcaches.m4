dnl #
dnl # 6.0 API change: iova_domain_init_rcaches() sets up the per-CPU IOVA
dnl # caches of an iova_domain; before, init_iova_domain() did it itself.
dnl #
AC_DEFUN([DMABENCH_AC_KERNEL_SRC_IOVA_INIT_RCACHES], [
	DMABENCH_LINUX_TEST_SRC([iova_domain_init_rcaches], [
		#include <linux/iova.h>
	], [
		int ret __attribute__((unused)) =
			iova_domain_init_rcaches((struct iova_domain *)NULL);
	])
])

AC_DEFUN([DMABENCH_AC_KERNEL_IOVA_INIT_RCACHES], [
	AC_MSG_CHECKING([whether iova_domain_init_rcaches() exists])
	DMABENCH_LINUX_TEST_RESULT([iova_domain_init_rcaches], [
		AC_MSG_RESULT(yes)
		AC_DEFINE(HAVE_IOVA_DOMAIN_INIT_RCACHES, 1,
		    [iova_domain_init_rcaches() exists (6.0+; before, init_iova_domain() set up the rcaches)])
	], [
		AC_MSG_RESULT(no)
	])
])
