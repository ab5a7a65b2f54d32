// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench: module init/exit and the debugfs front: the devices and tests
 * files and the control file with the one ioctl table.  The top layer: it
 * calls the handlers (dmabench_run.c, dmabench_iommu.c, dmabench_edu.c)
 * and the registry (dmabench_dev.c); nothing calls back into it.
 *
 * The control file holds a reference on the module while it is open
 * (fops.owner), so rmmod is refused during a run.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/stddef.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "dmabench.h"

#ifndef DMABENCH_VERSION
#ifdef PACKAGE_VERSION
#define DMABENCH_VERSION PACKAGE_VERSION
#else
#define DMABENCH_VERSION "0.1"
#endif
#endif

static struct dentry *dmabench_dir;

DEFINE_SHOW_ATTRIBUTE(dmabench_devices);

static int dmabench_tests_show(struct seq_file *m, void *v)
{
	const struct dmabench_test *t;
	unsigned int i;

	for (t = dmabench_tests; t < dmabench_tests + dmabench_ntests; t++) {
		if (!dmabench_test_present(t))
			continue;
		seq_puts(m, t->name);
		for (i = 0; i < t->nphases; i++)
			seq_printf(m, " %s", t->phases[i]);
		seq_printf(m, " fields=0x%x\n", t->fields);
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(dmabench_tests);

static long dmabench_ioc_info(union dmabench_ioc_arg *arg)
{
	struct dmabench_info *info = &arg->info;

	if (memchr_inv(info->reserved, 0, sizeof(info->reserved))) {
		pr_err_ratelimited("info: reserved fields must be 0: clear the structure first\n");
		return -EINVAL;
	}
	strscpy(info->module_version, DMABENCH_VERSION,
		sizeof(info->module_version));
	info->hist_buckets = DMABENCH_HIST_BUCKETS;
	info->max_phases = DMABENCH_MAX_PHASES;
	return 0;
}

/*
 * One entry per ioctl, at its number: the size of its argument and where
 * its out fields lie ([out, out_end), zeroed before the handler runs).
 * dmabench_ioctl() copies the argument in and checks hdr; the handler works
 * on the kernel copy (it copies only secondary buffers such as hist_ptr);
 * the whole argument goes back when the handler returns 0.
 */
struct dmabench_ioctl_op {
	unsigned int cmd;
	unsigned int size;
	unsigned int out;
	unsigned int out_end;
	const char *name;
	long (*handler)(union dmabench_ioc_arg *arg);
};

#define DMABENCH_IOCTL_OP(_cmd, _name, _handler, _struct, _first, _last) \
	[_IOC_NR(_cmd)] = {						\
		.cmd		= _cmd,					\
		.size		= sizeof(struct _struct),		\
		.out		= offsetof(struct _struct, _first),	\
		.out_end	= offsetofend(struct _struct, _last),	\
		.name		= _name,				\
		.handler	= _handler,				\
	}

static const struct dmabench_ioctl_op dmabench_ioctl_ops[] = {
	DMABENCH_IOCTL_OP(DMABENCH_IOC_INFO, "info", dmabench_ioc_info,
			  dmabench_info, module_version, max_phases),
	DMABENCH_IOCTL_OP(DMABENCH_IOC_RUN, "run", dmabench_ioc_run,
			  dmabench_run, status, reserved_out),
	DMABENCH_IOCTL_OP(DMABENCH_IOC_VERIFY, "verify", dmabench_ioc_verify,
			  dmabench_verify, passed, reserved_out),
	DMABENCH_IOCTL_OP(DMABENCH_IOC_IOMMU_RUN, "iommu_run",
			  dmabench_ioc_iommu_run, dmabench_iommu_run,
			  ndevs_used, reserved_out),
	DMABENCH_IOCTL_OP(DMABENCH_IOC_EXHAUST, "exhaust",
			  dmabench_ioc_exhaust, dmabench_exhaust, count,
			  reserved_out),
	DMABENCH_IOCTL_OP(DMABENCH_IOC_ISOLATE, "isolate",
			  dmabench_ioc_isolate, dmabench_isolate, ndevs_used,
			  reserved_out),
};

static long dmabench_ioctl(struct file *file, unsigned int cmd,
			   unsigned long arg)
{
	void __user *uarg = (void __user *)arg;
	const struct dmabench_ioctl_op *op;
	union dmabench_ioc_arg *buf;
	unsigned int nr = _IOC_NR(cmd);
	long ret;

	if (nr >= ARRAY_SIZE(dmabench_ioctl_ops) ||
	    dmabench_ioctl_ops[nr].cmd != cmd) {
		pr_err_ratelimited("unknown ioctl 0x%x: use the dmabench tool built with this module\n",
				   cmd);
		return -ENOTTY;
	}
	op = &dmabench_ioctl_ops[nr];
	buf = kmalloc(sizeof(*buf), GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	if (copy_from_user(buf, uarg, op->size)) {
		ret = -EFAULT;
		goto out;
	}
	ret = dmabench_check_hdr(&buf->hdr, op->size, op->name);
	if (ret)
		goto out;
	memset((char *)buf + op->out, 0, op->out_end - op->out);
	ret = op->handler(buf);
	if (!ret && copy_to_user(uarg, buf, op->size))
		ret = -EFAULT;
out:
	kfree(buf);
	return ret;
}

/*
 * The ioctls reprogram IOMMU domains and make devices DMA: the debugfs
 * mode alone is not enough (a chmod, or a root without capabilities).
 */
static int dmabench_control_open(struct inode *inode, struct file *file)
{
	if (!capable(CAP_SYS_RAWIO) && !capable(CAP_SYS_ADMIN)) {
		pr_err_ratelimited("control: needs CAP_SYS_RAWIO or CAP_SYS_ADMIN (it reprograms IOMMU domains and starts device DMA): run dmabench as root\n");
		return -EPERM;
	}
	return nonseekable_open(inode, file);
}

static const struct file_operations dmabench_control_fops = {
	.owner		= THIS_MODULE,
	.open		= dmabench_control_open,
	.unlocked_ioctl	= dmabench_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
};

static int __init dmabench_init(void)
{
	int ret;

	/* drivers first: no opener can reach a module whose init fails */
	ret = dmabench_dev_init();
	if (ret)
		return ret;
	ret = dmabench_mapbench_init();
	if (ret)
		goto err_dev;
	dmabench_dir = debugfs_create_dir(DMABENCH_DEBUGFS_DIR, NULL);
	if (IS_ERR(dmabench_dir)) {
		pr_err("cannot create the debugfs directory: enable CONFIG_DEBUG_FS and mount debugfs\n");
		ret = PTR_ERR(dmabench_dir);
		goto err_mapbench;
	}
	/* _unsafe: no proxy, so compat_ioctl works; fops.owner pins us */
	debugfs_create_file_unsafe(DMABENCH_CONTROL, 0600, dmabench_dir, NULL,
				   &dmabench_control_fops);
	debugfs_create_file("devices", 0400, dmabench_dir, NULL,
			    &dmabench_devices_fops);
	debugfs_create_file("tests", 0400, dmabench_dir, NULL,
			    &dmabench_tests_fops);

	return 0;

err_mapbench:
	dmabench_mapbench_exit();
err_dev:
	dmabench_dev_exit();
	return ret;
}

static void __exit dmabench_exit(void)
{
	dmabench_mapbench_exit();
	debugfs_remove_recursive(dmabench_dir);
	dmabench_dev_exit();
}

module_init(dmabench_init);
module_exit(dmabench_exit);

MODULE_DESCRIPTION("Benchmark and stress test for IOMMU-backed DMA mapping");
MODULE_LICENSE("GPL");
MODULE_VERSION(DMABENCH_VERSION);
