dnl 6.11 turned platform_driver.remove into a void function (it was int).
AC_DEFUN([DMABENCH_AC_KERNEL_SRC_PLATFORM_REMOVE_VOID], [
	DMABENCH_LINUX_TEST_SRC([platform_remove_void], [
		#include <linux/platform_device.h>
		static void conftest_remove(struct platform_device *pdev) { }
		static struct platform_driver conftest_driver __attribute__((unused)) = {
			.remove = conftest_remove,
		};
	], [])
])
AC_DEFUN([DMABENCH_AC_KERNEL_PLATFORM_REMOVE_VOID], [
	AC_MSG_CHECKING([whether platform_driver.remove returns void])
	DMABENCH_LINUX_TEST_RESULT([platform_remove_void], [
		AC_MSG_RESULT([yes])
		AC_DEFINE([HAVE_PLATFORM_REMOVE_VOID], [1],
			[platform_driver.remove returns void])
	], [AC_MSG_RESULT([no])])
])
