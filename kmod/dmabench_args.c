// SPDX-License-Identifier: GPL-2.0
/*
 * The argument checks every layer shares: the header of an ioctl argument
 * (the ioctl front, and IOMMU_RUN's nested run), the names in it and the
 * user buffers it points to.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mm.h>
#include <linux/printk.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "dmabench.h"

int dmabench_check_hdr(const struct dmabench_hdr *h, u32 size,
		       const char *what)
{
	if (h->version != DMABENCH_ABI_VERSION) {
		pr_err_ratelimited("%s: ABI version %u, module has %u: use the dmabench tool built with this module\n",
				   what, h->version, DMABENCH_ABI_VERSION);
		return -EINVAL;
	}
	if (h->size != size) {
		pr_err_ratelimited("%s: hdr.size is %u, expected %u: set it to sizeof the structure\n",
				   what, h->size, size);
		return -EINVAL;
	}
	return 0;
}

int dmabench_check_name(const char *name, size_t len, const char *what)
{
	size_t i;

	if (!memchr(name, '\0', len)) {
		pr_err_ratelimited("%s is not NUL-terminated within %zu bytes\n",
				   what, len);
		return -EINVAL;
	}
	/* names reach the kernel log: no control bytes, no forged lines */
	for (i = 0; name[i]; i++) {
		if (name[i] < 0x20 || name[i] > 0x7e) {
			pr_err_ratelimited("%s has the non-printable byte 0x%02x at offset %zu: use a name as the devices or tests file shows it\n",
					   what, (u8)name[i], i);
			return -EINVAL;
		}
	}
	return 0;
}

/* PAGE_MASK is an unsigned long: widen it before it meets a u64 */
#define DMABENCH_PAGE_MASK64	(~(u64)(PAGE_SIZE - 1))

/*
 * Is [@uptr, @uptr + @len) writable user memory?  Reads one byte of every
 * page and writes the same byte back, so a bad output buffer fails the call
 * before it starts (not after a long run with half the results copied out),
 * and a failed call leaves the caller's buffers as they were.
 */
int dmabench_check_user_buf(u64 uptr, u64 len)
{
	u64 last = uptr + len - 1;
	u8 c;

	if (!len)
		return 0;
	if (!uptr || last < uptr || !access_ok(u64_to_user_ptr(uptr), len))
		return -EFAULT;
	for (;;) {
		u8 __user *p = u64_to_user_ptr(uptr);

		if (get_user(c, p) || put_user(c, p))
			return -EFAULT;
		if ((uptr & DMABENCH_PAGE_MASK64) == (last & DMABENCH_PAGE_MASK64))
			return 0;
		uptr = (uptr & DMABENCH_PAGE_MASK64) + PAGE_SIZE;
	}
}
