dnl Kernel side of configure, after OpenZFS's config/kernel.m4:
dnl  - find the kernel build tree (--with-linux) and target ARCH/CROSS_COMPILE;
dnl  - compile one small test module per kernel API difference, all in one
dnl    Kbuild pass, and turn each result into a HAVE_* macro in config.h,
dnl    which Kbuild force-includes (kmod/compat.h holds the helpers).
dnl Without a kernel tree configure still succeeds and builds user space only.

dnl Each API check lives in config/kernel-*.m4 as a pair of macros:
dnl DMABENCH_AC_KERNEL_SRC_<X> registers the test source, DMABENCH_AC_KERNEL_<X>
dnl reads its result.  Add both names to the two lists below.
AC_DEFUN([DMABENCH_AC_KERNEL_TEST_SRC], [
	DMABENCH_LINUX_TEST_SRC([sanity], [], [])
	DMABENCH_AC_KERNEL_SRC_PLATFORM_REMOVE_VOID
	DMABENCH_AC_KERNEL_SRC_MAX_PAGE_ORDER
	DMABENCH_AC_KERNEL_SRC_IOMMU_PAGING_DOMAIN_ALLOC
	DMABENCH_AC_KERNEL_SRC_IOMMU_MAP_GFP
	DMABENCH_AC_KERNEL_SRC_DEV_DMA_COHERENT
	DMABENCH_AC_KERNEL_SRC_DEV_DMA_SKIP_SYNC
	DMABENCH_AC_KERNEL_SRC_DMA_MAP_SGTABLE
	DMABENCH_AC_KERNEL_SRC_DMA_ALLOC_PAGES
	DMABENCH_AC_KERNEL_SRC_DMA_ALLOC_NONCONTIGUOUS
	DMABENCH_AC_KERNEL_SRC_IOMMU_CLAIM_DMA_OWNER
	DMABENCH_AC_KERNEL_SRC_IOVA_INIT_RCACHES
	DMABENCH_AC_KERNEL_SRC_IOMMU_DOMAIN_DMA_FQ
	DMABENCH_AC_KERNEL_SRC_SWIOTLB_FORCE_BOUNCE
	DMABENCH_AC_KERNEL_SRC_DEV_DMA_IO_TLB_MEM
	DMABENCH_AC_KERNEL_SRC_IOMMU_GATHER_FREELIST
	DMABENCH_AC_KERNEL_SRC_IOMMU_PAGES_LIST
	DMABENCH_AC_KERNEL_SRC_DMA_IOVA_LINK
	DMABENCH_AC_KERNEL_SRC_DMA_MAP_PHYS
])
AC_DEFUN([DMABENCH_AC_KERNEL_TEST_RESULT], [
	DMABENCH_AC_KERNEL_PLATFORM_REMOVE_VOID
	DMABENCH_AC_KERNEL_MAX_PAGE_ORDER
	DMABENCH_AC_KERNEL_IOMMU_PAGING_DOMAIN_ALLOC
	DMABENCH_AC_KERNEL_IOMMU_MAP_GFP
	DMABENCH_AC_KERNEL_DEV_DMA_COHERENT
	DMABENCH_AC_KERNEL_DEV_DMA_SKIP_SYNC
	DMABENCH_AC_KERNEL_DMA_MAP_SGTABLE
	DMABENCH_AC_KERNEL_DMA_ALLOC_PAGES
	DMABENCH_AC_KERNEL_DMA_ALLOC_NONCONTIGUOUS
	DMABENCH_AC_KERNEL_IOMMU_CLAIM_DMA_OWNER
	DMABENCH_AC_KERNEL_IOVA_INIT_RCACHES
	DMABENCH_AC_KERNEL_IOMMU_DOMAIN_DMA_FQ
	DMABENCH_AC_KERNEL_SWIOTLB_FORCE_BOUNCE
	DMABENCH_AC_KERNEL_DEV_DMA_IO_TLB_MEM
	DMABENCH_AC_KERNEL_IOMMU_GATHER_FREELIST
	DMABENCH_AC_KERNEL_IOMMU_PAGES_LIST
	DMABENCH_AC_KERNEL_DMA_IOVA_LINK
	DMABENCH_AC_KERNEL_DMA_MAP_PHYS
])

AC_DEFUN([DMABENCH_AC_CONFIG_KERNEL], [
	AC_ARG_WITH([linux],
		AS_HELP_STRING([--with-linux=DIR],
		[kernel build tree to build dmabench.ko against
		 (default: /lib/modules/`uname -r`/build);
		 --without-linux builds user space only]),
		[linux_obj=$withval], [linux_obj=default])
	AC_ARG_VAR([KERNEL_ARCH], [ARCH= for Kbuild (default: from --host)])
	AC_ARG_VAR([KERNEL_CROSS_COMPILE],
		[CROSS_COMPILE= for Kbuild (default: HOST- when cross-compiling)])

	BUILD_KMOD=no
	DMABENCH_NO_KMOD_REASON=
	AS_CASE([$linux_obj],
	[no], [DMABENCH_NO_KMOD_REASON="--without-linux"],
	[default], [
		linux_obj=/lib/modules/$(uname -r)/build
		AS_IF([test -f "$linux_obj/Makefile"], [BUILD_KMOD=yes],
		      [DMABENCH_NO_KMOD_REASON="no kernel tree at $linux_obj; use --with-linux=DIR"])
	], [
		AS_IF([test -f "$linux_obj/Makefile"], [BUILD_KMOD=yes],
		      [AC_MSG_ERROR([--with-linux=$linux_obj: no kernel build tree there (no Makefile)])])
	])

	AS_IF([test "x$BUILD_KMOD" = xyes], [
		linux_obj=$(cd "$linux_obj" && pwd -P)
		AC_MSG_CHECKING([kernel release of $linux_obj])
		LINUX_VERSION=$(sed -n "s/^#define UTS_RELEASE \"\(.*\)\"$/\1/p" \
			"$linux_obj/include/generated/utsrelease.h" 2>/dev/null)
		AS_IF([test -z "$LINUX_VERSION"], [
			AC_MSG_RESULT([unknown])
			AC_MSG_ERROR([$linux_obj is not a configured kernel tree (no include/generated/utsrelease.h); run 'make modules_prepare' there or install the headers package])
		])
		AC_MSG_RESULT([$LINUX_VERSION])

		dnl Kbuild's ARCH from the autoconf host, so --host=aarch64-linux-gnu
		dnl cross-builds the module too.
		AS_IF([test -z "$KERNEL_ARCH"], [
			AS_CASE([$host_cpu],
			[x86_64|i?86], [KERNEL_ARCH=x86],
			[aarch64*], [KERNEL_ARCH=arm64],
			[arm*], [KERNEL_ARCH=arm],
			[riscv*], [KERNEL_ARCH=riscv],
			[powerpc*], [KERNEL_ARCH=powerpc],
			[KERNEL_ARCH=$host_cpu])
		])
		AS_IF([test -z "$KERNEL_CROSS_COMPILE" && test "x$cross_compiling" = xyes],
		      [KERNEL_CROSS_COMPILE=$host_alias-])
		KERNEL_MAKEFLAGS="ARCH=$KERNEL_ARCH"
		AS_IF([test -n "$KERNEL_CROSS_COMPILE"],
		      [KERNEL_MAKEFLAGS="$KERNEL_MAKEFLAGS CROSS_COMPILE=$KERNEL_CROSS_COMPILE"])

		DMABENCH_KERNEL_FOUND=
		rm -rf kconftest
		DMABENCH_AC_KERNEL_TEST_SRC
		DMABENCH_LINUX_TEST_COMPILE_ALL
		DMABENCH_AC_KERNEL_TEST_RESULT
		AS_IF([test -z "$DMABENCH_KERNEL_FOUND"], [DMABENCH_KERNEL_FOUND="(no optional API)"])
	])

	LINUX_OBJ=$linux_obj
	AC_SUBST([LINUX_OBJ])
	AC_SUBST([LINUX_VERSION])
	AC_SUBST([KERNEL_ARCH])
	AC_SUBST([KERNEL_CROSS_COMPILE])
	AC_SUBST([KERNEL_MAKEFLAGS])
	AM_CONDITIONAL([BUILD_KMOD], [test "x$BUILD_KMOD" = xyes])
])

dnl DMABENCH_LINUX_TEST_SRC(name, file-scope code, function body)
dnl Writes kconftest/NAME/NAME.c and adds it to the one Kbuild pass.
AC_DEFUN([DMABENCH_LINUX_TEST_SRC], [
	AS_MKDIR_P([kconftest/$1])
	cat >kconftest/$1/$1.c <<'_DMABENCH_EOF'
#include <linux/module.h>
$2
static void __attribute__((unused)) dmabench_conftest_$1(void)
{
$3
}
MODULE_LICENSE("GPL");
_DMABENCH_EOF
	echo "obj-m := $1.o" >kconftest/$1/Kbuild
	echo "ccflags-y := -Werror" >>kconftest/$1/Kbuild
	echo "obj-m += $1/" >>kconftest/Kbuild
])

dnl Build every registered test at once (-k: a test that does not compile is
dnl a result; an object file means the API is there).
AC_DEFUN([DMABENCH_LINUX_TEST_COMPILE_ALL], [
	AC_MSG_CHECKING([kernel API tests (one Kbuild pass)])
	touch kconftest/Kbuild
	AS_IF([${MAKE-make} -C "$linux_obj" M="$PWD/kconftest" $KERNEL_MAKEFLAGS -k modules \
		>kconftest/build.log 2>&1], [AC_MSG_RESULT([all built])],
		[AC_MSG_RESULT([some did not build: see kconftest/build.log])])
	dnl A tree that cannot build even a trivial module is an error, not a result.
	AS_IF([test ! -f kconftest/sanity/sanity.o], [
		tail -n 20 kconftest/build.log >&AS_MESSAGE_LOG_FD
		AC_MSG_ERROR([cannot build even an empty module against $linux_obj; see kconftest/build.log (compiler? KERNEL_ARCH=$KERNEL_ARCH KERNEL_CROSS_COMPILE=$KERNEL_CROSS_COMPILE)])
	])
])

dnl DMABENCH_LINUX_TEST_RESULT(name, if-built, if-not-built)
dnl Every probe and its answer go to DMABENCH_KERNEL_PROBES for the summary.
AC_DEFUN([DMABENCH_LINUX_TEST_RESULT], [
	AS_IF([test -f kconftest/$1/$1.o], [
		DMABENCH_KERNEL_FOUND="$DMABENCH_KERNEL_FOUND $1"
		DMABENCH_KERNEL_PROBES="$DMABENCH_KERNEL_PROBES $1=yes"
		$2
	], [
		DMABENCH_KERNEL_PROBES="$DMABENCH_KERNEL_PROBES $1=no"
		$3
	])
])

dnl DMABENCH_LINUX_TEST_RESULT_FORMS(name, if-built, name2, if-name2-built,
dnl     if-neither): one feature the kernel offers in one of two forms (two
dnl     tests); the summary shows it once, as name=yes(name) /
dnl     yes(name2) / no.
AC_DEFUN([DMABENCH_LINUX_TEST_RESULT_FORMS], [
	AS_IF([test -f kconftest/$1/$1.o], [
		DMABENCH_KERNEL_FOUND="$DMABENCH_KERNEL_FOUND $1"
		DMABENCH_KERNEL_PROBES="$DMABENCH_KERNEL_PROBES $1=yes($1)"
		$2
	], [test -f kconftest/$3/$3.o], [
		DMABENCH_KERNEL_FOUND="$DMABENCH_KERNEL_FOUND $3"
		DMABENCH_KERNEL_PROBES="$DMABENCH_KERNEL_PROBES $1=yes($3)"
		$4
	], [
		DMABENCH_KERNEL_PROBES="$DMABENCH_KERNEL_PROBES $1=no"
		$5
	])
])
