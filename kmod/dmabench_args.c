// SPDX-License-Identifier: GPL-2.0
/*
 * The argument checks every layer shares: the header of an ioctl argument
 * (the ioctl front, and IOMMU_RUN's nested run) and the names in it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/printk.h>
#include <linux/string.h>

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
	if (!memchr(name, '\0', len)) {
		pr_err_ratelimited("%s is not NUL-terminated within %zu bytes\n",
				   what, len);
		return -EINVAL;
	}
	return 0;
}
