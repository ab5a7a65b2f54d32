// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's dma_map_benchmark interface for kernels built without
 * CONFIG_DMA_MAP_BENCHMARK (Debian's, for one), so that the kernel's own
 * tools/dma/dma_map_benchmark and its documented steps work unchanged:
 * a PCI and a platform driver named "dma_map_benchmark" (devices are bound
 * with driver_override), the file /sys/kernel/debug/dma_map_benchmark and
 * its DMA_MAP_BENCHMARK ioctl, with kernel/dma/map_benchmark.c's limits,
 * errno values and results.
 *
 * The map/unmap work is dmabench's own map_single and map_sg tests; the
 * statistics are the kernel's: every map and unmap time truncated to 100 ns,
 * then the mean and the standard deviation of those over all threads.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/fs.h>
#include <linux/kthread.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/nodemask.h>
#include <linux/pci.h>
#include <linux/platform_device.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "compat.h"
#include "dmabench.h"

#define MAPBENCH_NAME			"dma_map_benchmark"
#define MAPBENCH_MAX_THREADS		1024
#define MAPBENCH_MAX_SECONDS		300
#define MAPBENCH_MAX_TRANS_DELAY	(10 * NSEC_PER_MSEC)
#define MAPBENCH_MAX_GRANULE		1024

/* struct map_benchmark.dma_dir */
#define MAPBENCH_BIDIRECTIONAL		0
#define MAPBENCH_TO_DEVICE		1
#define MAPBENCH_FROM_DEVICE		2

/* struct map_benchmark.map_mode */
#define MAPBENCH_SINGLE_MODE		0
#define MAPBENCH_SG_MODE		1
#define MAPBENCH_MODE_MAX		2

/*
 * The kernel's struct map_benchmark (include/uapi/linux/map_benchmark.h),
 * 136 bytes: the layout of 5.11 .. 5.19 and of every kernel with the 2025
 * padding fix (23ee8a2563a0, also in the stable series).
 */
struct mapbench_args {
	__u64 avg_map_100ns;
	__u64 map_stddev;
	__u64 avg_unmap_100ns;
	__u64 unmap_stddev;
	__u32 threads;
	__u32 seconds;
	__s32 node;
	__u32 dma_bits;
	__u32 dma_dir;
	__u32 dma_trans_ns;
	__u32 granule;
	__u8 map_mode;
	__u8 expansion[75];
};

/*
 * The header move of 2022 (8ddde07a3d28, 6.0) dropped expansion[] until
 * the 2025 fix: those kernels' struct is 64 bytes, without map_mode.  The
 * ioctl number encodes the size, so both are served.
 */
#define MAPBENCH_SHORT_SIZE		64

#define MAPBENCH_IOC		_IOWR('d', 1, struct mapbench_args)
#define MAPBENCH_IOC_SHORT	_IOC(_IOC_READ | _IOC_WRITE, 'd', 1, \
				     MAPBENCH_SHORT_SIZE)

/* The device bound to the "dma_map_benchmark" driver. */
struct mapbench_dev {
	struct device *dev;
	struct dentry *file;
	struct mutex lock;		/* one run at a time */
};

struct mapbench_thread {
	struct dmabench_thread t;	/* what the dmabench test works on */
	const struct dmabench_test *test;
	/* 100 ns units, as map_benchmark.c: [0] map, [1] unmap */
	u64 sum[2];
	u64 sum_sq[2];
	u64 loops;
};

static bool mapbench_registered;

static int mapbench_thread_fn(void *data)
{
	struct mapbench_thread *mt = data;
	struct dmabench_thread *t = &mt->t;
	int ret, i;

	ret = dmabench_thread_init(t);
	if (ret)
		return -ENOMEM;		/* map_benchmark.c's errno */

	while (!kthread_should_stop()) {
		u64 before[2] = { t->ps[0].sum, t->ps[1].sum };

		if (dmabench_thread_round(t, 1)) {
			dev_err_ratelimited(t->p->dev, "%s failed\n",
					    mt->test->name);
			ret = -ENOMEM;
			break;
		}
		/* the kernel truncates each sample to 100 ns first */
		for (i = 0; i < 2; i++) {
			u64 v = div_u64(t->ps[i].sum - before[i], 100);

			mt->sum[i] += v;
			mt->sum_sq[i] += v * v;
		}
		mt->loops++;
		/* threads >= CPUs must not lock up a non-preemptible kernel */
		cond_resched();
	}
	dmabench_thread_exit(t);
	return ret;
}

static void mapbench_result(struct mapbench_args *a,
			    const struct mapbench_thread *th,
			    unsigned int n)
{
	u64 sum[2] = { 0 }, sum_sq[2] = { 0 }, loops = 0, avg[2], var;
	unsigned int i, j;

	for (i = 0; i < n; i++) {
		for (j = 0; j < 2; j++) {
			sum[j] += th[i].sum[j];
			sum_sq[j] += th[i].sum_sq[j];
		}
		loops += th[i].loops;
	}
	if (!loops)
		return;
	for (j = 0; j < 2; j++) {
		avg[j] = div64_u64(sum[j], loops);
		/* E[x^2] >= E[x]^2 >= avg^2: no underflow */
		var = div64_u64(sum_sq[j], loops) - avg[j] * avg[j];
		if (j == 0) {
			a->avg_map_100ns = avg[0];
			a->map_stddev = int_sqrt64(var);
		} else {
			a->avg_unmap_100ns = avg[1];
			a->unmap_stddev = int_sqrt64(var);
		}
	}
}

static int mapbench_threads(struct mapbench_args *a,
			    const struct dmabench_test *test,
			    const struct dmabench_params *p)
{
	const size_t hbytes = (size_t)test->nphases * DMABENCH_HIST_BUCKETS *
			      sizeof(u64);
	struct mapbench_thread *th;
	struct task_struct **tsk;
	unsigned int n = a->threads, i, j;
	int ret = -ENOMEM, r;

	th = kvcalloc(n, sizeof(*th), GFP_KERNEL);
	tsk = kvcalloc(n, sizeof(*tsk), GFP_KERNEL);
	if (!th || !tsk)
		goto out;
	for (i = 0; i < n; i++) {
		th[i].test = test;
		th[i].t.p = p;
		th[i].t.id = i;
		th[i].t.test = test;
		/* the kernel's clock and per-op timing */
		th[i].t.clk.id = DMABENCH_CLOCK_KTIME;
		th[i].t.nslots = 1;
		th[i].t.timed = true;
		th[i].t.segs_min = U32_MAX;
		for (j = 0; j < test->nphases; j++)
			th[i].t.ps[j].min = U64_MAX;
		th[i].t.hist = kvzalloc(hbytes, GFP_KERNEL);
		if (!th[i].t.hist)
			goto out;
	}

	ret = 0;
	for (i = 0; i < n; i++) {
		tsk[i] = kthread_create_on_node(mapbench_thread_fn, &th[i],
						p->node, "dma-map-benchmark/%u",
						i);
		if (IS_ERR(tsk[i])) {
			ret = PTR_ERR(tsk[i]);
			pr_err("%s: cannot create thread %u (%d): use fewer threads\n",
			       MAPBENCH_NAME, i, ret);
			while (i--) {
				kthread_stop(tsk[i]);
				put_task_struct(tsk[i]);
			}
			goto out;
		}
		get_task_struct(tsk[i]);
		if (p->node != NUMA_NO_NODE)
			set_cpus_allowed_ptr(tsk[i], cpumask_of_node(p->node));
	}
	for (i = 0; i < n; i++)
		wake_up_process(tsk[i]);

	/* a signal ends the run early, as in map_benchmark.c */
	msleep_interruptible(a->seconds * 1000);

	for (i = 0; i < n; i++) {
		r = kthread_stop(tsk[i]);
		put_task_struct(tsk[i]);
		if (r)
			ret = r;
	}
	if (!ret)
		mapbench_result(a, th, n);
out:
	for (i = 0; th && i < n; i++)
		kvfree(th[i].t.hist);
	kvfree(tsk);
	kvfree(th);
	return ret;
}

/* The checks and errno of map_benchmark_ioctl(), one line each. */
static int mapbench_check(const struct mapbench_args *a, u8 mode)
{
	if (mode >= MAPBENCH_MODE_MAX) {
		pr_err("%s: invalid map mode %u: use 0 single or 1 sg\n",
		       MAPBENCH_NAME, mode);
		return -EINVAL;
	}
	if (a->threads == 0 || a->threads > MAPBENCH_MAX_THREADS) {
		pr_err("%s: invalid thread number %u: use 1..%u\n",
		       MAPBENCH_NAME, a->threads, MAPBENCH_MAX_THREADS);
		return -EINVAL;
	}
	if (a->seconds == 0 || a->seconds > MAPBENCH_MAX_SECONDS) {
		pr_err("%s: invalid duration seconds %u: use 1..%u\n",
		       MAPBENCH_NAME, a->seconds, MAPBENCH_MAX_SECONDS);
		return -EINVAL;
	}
	if (a->dma_trans_ns > MAPBENCH_MAX_TRANS_DELAY) {
		pr_err("%s: invalid transmission delay %u ns: use 0..%lu\n",
		       MAPBENCH_NAME, a->dma_trans_ns, MAPBENCH_MAX_TRANS_DELAY);
		return -EINVAL;
	}
	if (a->node != NUMA_NO_NODE &&
	    (a->node < 0 || a->node >= MAX_NUMNODES ||
	     !node_possible(a->node))) {
		pr_err("%s: invalid numa node %d: use -1 or a possible node\n",
		       MAPBENCH_NAME, a->node);
		return -EINVAL;
	}
	if (a->granule < 1 || a->granule > MAPBENCH_MAX_GRANULE) {
		pr_err("%s: invalid granule size %u: use 1..%u pages\n",
		       MAPBENCH_NAME, a->granule, MAPBENCH_MAX_GRANULE);
		return -EINVAL;
	}
	if (a->dma_dir != MAPBENCH_BIDIRECTIONAL &&
	    a->dma_dir != MAPBENCH_TO_DEVICE &&
	    a->dma_dir != MAPBENCH_FROM_DEVICE) {
		pr_err("%s: invalid DMA direction %u: use 0 bidirectional, 1 to device, 2 from device\n",
		       MAPBENCH_NAME, a->dma_dir);
		return -EINVAL;
	}
	return 0;
}

static int mapbench_run(struct mapbench_dev *md, struct mapbench_args *a,
			u8 mode)
{
	static const enum dma_data_direction dirs[] = {
		[MAPBENCH_BIDIRECTIONAL]	= DMA_BIDIRECTIONAL,
		[MAPBENCH_TO_DEVICE]		= DMA_TO_DEVICE,
		[MAPBENCH_FROM_DEVICE]		= DMA_FROM_DEVICE,
	};
	struct dmabench_params p = {
		.dev		= md->dev,
		.dir		= dirs[a->dma_dir],
		.size		= (size_t)a->granule * PAGE_SIZE,
		.dma_trans_ns	= a->dma_trans_ns,
		.node		= a->node,
	};
	const struct dmabench_test *test;
	u64 old_mask;
	int ret;

	if (mode == MAPBENCH_SG_MODE) {
		/* granule entries of one page each, separate pages */
		p.nents = a->granule;
		p.seg_size = PAGE_SIZE;
		p.sg_layout = DMABENCH_SG_SCATTERED;
	}
	test = dmabench_find_test(mode == MAPBENCH_SG_MODE ? "map_sg" :
				 "map_single");
	if (!test) {
		pr_err("%s: this build has no %s test\n", MAPBENCH_NAME,
		       mode == MAPBENCH_SG_MODE ? "map_sg" : "map_single");
		return -EINVAL;
	}

	old_mask = dma_get_mask(md->dev);
	if (dma_set_mask(md->dev, DMA_BIT_MASK(a->dma_bits))) {
		dev_err(md->dev, "%s: cannot set a %u-bit DMA mask: use the device's width (20..64)\n",
			MAPBENCH_NAME, a->dma_bits);
		return -EINVAL;
	}
	get_device(md->dev);
	ret = test->ops->check ? test->ops->check(&p) : 0;
	if (ret)
		ret = -ENOMEM;		/* the kernel fails the mapping so */
	else
		ret = mapbench_threads(a, test, &p);
	put_device(md->dev);
	/* the device's own driver must find its mask unchanged */
	dma_set_mask(md->dev, old_mask);
	return ret;
}

static long mapbench_ioctl(struct file *file, unsigned int cmd,
			   unsigned long arg)
{
	struct mapbench_dev *md = file->private_data;
	void __user *uarg = (void __user *)arg;
	struct mapbench_args a = { 0 };
	size_t size;
	u8 mode;
	int ret;

	switch (cmd) {
	case MAPBENCH_IOC:
		size = sizeof(a);
		break;
	case MAPBENCH_IOC_SHORT:
		size = MAPBENCH_SHORT_SIZE;
		break;
	default:
		return -EINVAL;
	}
	if (copy_from_user(&a, uarg, size))
		return -EFAULT;
	/* the 64-byte layout has padding where map_mode is now */
	mode = size == sizeof(a) ? a.map_mode : MAPBENCH_SINGLE_MODE;
	ret = mapbench_check(&a, mode);
	if (ret)
		return ret;

	if (mutex_lock_interruptible(&md->lock))
		return -EINTR;
	ret = mapbench_run(md, &a, mode);
	mutex_unlock(&md->lock);
	if (ret)
		return ret;
	if (copy_to_user(uarg, &a, size))
		return -EFAULT;
	return 0;
}

static const struct file_operations mapbench_fops = {
	.owner		= THIS_MODULE,
	.open		= simple_open,
	.unlocked_ioctl	= mapbench_ioctl,
};

static void mapbench_remove_file(void *data)
{
	struct mapbench_dev *md = data;

	/* waits for a running ioctl: debugfs tracks the file's users */
	debugfs_remove(md->file);
}

static int mapbench_probe(struct device *dev)
{
	struct mapbench_dev *md;
	int ret;

	md = devm_kzalloc(dev, sizeof(*md), GFP_KERNEL);
	if (!md)
		return -ENOMEM;
	md->dev = dev;
	mutex_init(&md->lock);

	/* one device at a time, as upstream: the name exists once */
	md->file = debugfs_create_file(MAPBENCH_NAME, 0600, NULL, md,
				       &mapbench_fops);
	if (IS_ERR(md->file)) {
		dev_err(dev, "cannot create /sys/kernel/debug/%s (%ld): unbind the device bound to %s first\n",
			MAPBENCH_NAME, PTR_ERR(md->file), MAPBENCH_NAME);
		return PTR_ERR(md->file);
	}
	ret = devm_add_action_or_reset(dev, mapbench_remove_file, md);
	if (ret)
		return ret;
	dev_info(dev, "%s: /sys/kernel/debug/%s (dmabench)\n", MAPBENCH_NAME,
		 MAPBENCH_NAME);
	return 0;
}

static int mapbench_pci_probe(struct pci_dev *pdev,
			      const struct pci_device_id *id)
{
	return mapbench_probe(&pdev->dev);
}

static int mapbench_platform_probe(struct platform_device *pdev)
{
	return mapbench_probe(&pdev->dev);
}

/* No id table: devices come with driver_override, as upstream. */
static struct pci_driver mapbench_pci_driver = {
	.name	= MAPBENCH_NAME,
	.probe	= mapbench_pci_probe,
};

static struct platform_driver mapbench_platform_driver = {
	.driver	= {
		.name	= MAPBENCH_NAME,
	},
	.probe	= mapbench_platform_probe,
};

/*
 * Register the two drivers, unless the kernel has its own benchmark (the
 * driver name is taken then): not an error, dmabench's interface stays.
 */
int dmabench_mapbench_init(void)
{
	int ret;

	BUILD_BUG_ON(sizeof(struct mapbench_args) != 136);
	BUILD_BUG_ON(offsetof(struct mapbench_args, map_mode) >
		     MAPBENCH_SHORT_SIZE);
	if (driver_find(MAPBENCH_NAME, &pci_bus_type) ||
	    driver_find(MAPBENCH_NAME, &platform_bus_type)) {
		pr_info("the kernel has its own %s: serving only /sys/kernel/debug/%s\n",
			MAPBENCH_NAME, DMABENCH_DEBUGFS_DIR);
		return 0;
	}
	ret = pci_register_driver(&mapbench_pci_driver);
	if (ret)
		return ret;
	ret = platform_driver_register(&mapbench_platform_driver);
	if (ret) {
		pci_unregister_driver(&mapbench_pci_driver);
		return ret;
	}
	mapbench_registered = true;
	return 0;
}

void dmabench_mapbench_exit(void)
{
	if (!mapbench_registered)
		return;
	platform_driver_unregister(&mapbench_platform_driver);
	pci_unregister_driver(&mapbench_pci_driver);
}
