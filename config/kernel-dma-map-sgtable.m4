dnl #
dnl # 5.8 API change: dma_map_sgtable() maps a whole struct sg_table and
dnl # returns 0 or -errno (dma_map_sg() returns the segment count, 0 on error).
dnl #
AC_DEFUN([DMABENCH_AC_KERNEL_SRC_DMA_MAP_SGTABLE], [
	DMABENCH_LINUX_TEST_SRC([dma_map_sgtable], [
		#include <linux/dma-mapping.h>
	], [
		int r __attribute__((unused)) =
			dma_map_sgtable((struct device *)NULL,
					(struct sg_table *)NULL,
					DMA_TO_DEVICE, 0);
	])
])

AC_DEFUN([DMABENCH_AC_KERNEL_DMA_MAP_SGTABLE], [
	AC_MSG_CHECKING([whether dma_map_sgtable() exists])
	DMABENCH_LINUX_TEST_RESULT([dma_map_sgtable], [
		AC_MSG_RESULT(yes)
		AC_DEFINE(HAVE_DMA_MAP_SGTABLE, 1,
		    [dma_map_sgtable() exists])
	], [
		AC_MSG_RESULT(no)
	])
])
