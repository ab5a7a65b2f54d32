/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * canary.h: for the guest checks of "a failed call changes nothing"
 * (include/dmabench_abi.h): what a refused ioctl could write (its argument,
 * hist, thread_ops and costs buffers) is filled with a canary first and
 * compared afterwards.  Included by abi_check.c and iommu_check.c.
 */
#ifndef DMABENCH_GUEST_CANARY_H
#define DMABENCH_GUEST_CANARY_H

#include <stddef.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define CANARY_BYTE	0xa5

/* Every byte of [@p, @p + @len) still the canary? */
static inline int canary_intact(const void *p, size_t len)
{
	const unsigned char *b = p;
	size_t i;

	for (i = 0; i < len; i++)
		if (b[i] != CANARY_BYTE)
			return 0;
	return 1;
}

/*
 * @len bytes of canary that end where an unmapped page begins: a buffer
 * that starts here and is longer than @len runs into the hole, so a module
 * that copied out before finding the fault has written the first @len
 * bytes.  NULL if mmap fails.
 */
static inline unsigned char *canary_before_hole(size_t len)
{
	size_t pg = (size_t)sysconf(_SC_PAGESIZE);
	size_t maplen = (len + pg - 1) / pg * pg;
	unsigned char *m = mmap(NULL, maplen + pg, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (m == MAP_FAILED)
		return NULL;
	munmap(m + maplen, pg);
	memset(m, CANARY_BYTE, maplen);
	return m + maplen - len;
}

/* @len bytes of canary in pages mapped read-only; NULL if mmap fails */
static inline unsigned char *canary_readonly(size_t len)
{
	unsigned char *m = mmap(NULL, len, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (m == MAP_FAILED)
		return NULL;
	memset(m, CANARY_BYTE, len);
	mprotect(m, len, PROT_READ);
	return m;
}

#endif /* DMABENCH_GUEST_CANARY_H */
