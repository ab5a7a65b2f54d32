dnl libnuma resolves and validates NUMA nodes and CPU lists for bench/.
AC_DEFUN([DMABENCH_AC_NUMA], [
	AC_CHECK_HEADER([numa.h], [], [AC_MSG_ERROR([
	*** libnuma headers (numa.h) not found: bench/ needs libnuma.
	*** Debian/Ubuntu: apt-get install libnuma-dev
	*** Fedora/RHEL:   dnf install numactl-devel])])
	saved_LIBS=$LIBS
	AC_CHECK_LIB([numa], [numa_parse_cpustring_all], [NUMA_LIBS=-lnuma],
		[AC_MSG_ERROR([
	*** libnuma (-lnuma, 2.0.8 or newer) not found or not linkable.
	*** Debian/Ubuntu: apt-get install libnuma-dev
	*** For a static or cross build point LDFLAGS at libnuma.a])])
	LIBS=$saved_LIBS
	AC_COMPUTE_INT([numa_api], [LIBNUMA_API_VERSION], [#include <numa.h>], [numa_api=unknown])
	NUMA_VERSION="API $numa_api"
	AC_SUBST([NUMA_LIBS])
])
