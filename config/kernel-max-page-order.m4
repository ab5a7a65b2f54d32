dnl #
dnl # 6.8 API change: MAX_ORDER (exclusive before 6.4) became the inclusive
dnl # MAX_PAGE_ORDER, the highest order alloc_pages() accepts.
dnl #
AC_DEFUN([DMABENCH_AC_KERNEL_SRC_MAX_PAGE_ORDER], [
	DMABENCH_LINUX_TEST_SRC([max_page_order], [
		#include <linux/mmzone.h>
	], [
		unsigned int order __attribute__((unused)) = MAX_PAGE_ORDER;
	])
])

AC_DEFUN([DMABENCH_AC_KERNEL_MAX_PAGE_ORDER], [
	AC_MSG_CHECKING([whether MAX_PAGE_ORDER is defined])
	DMABENCH_LINUX_TEST_RESULT([max_page_order], [
		AC_MSG_RESULT(yes)
		AC_DEFINE(HAVE_MAX_PAGE_ORDER, 1,
		    [MAX_PAGE_ORDER is the highest page allocation order])
	], [
		AC_MSG_RESULT(no)
	])
])
