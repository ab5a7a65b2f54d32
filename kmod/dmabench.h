/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dmabench internal types: the device registry, the test table and the
 * per-thread state a test works on.  Adding a test: one new file with a
 * struct dmabench_test and one line in dmabench_tests.c.
 */
#ifndef DMABENCH_H
#define DMABENCH_H

#include <linux/completion.h>
#include <linux/device.h>
#include <linux/dma-direction.h>
#include <linux/list.h>
#include <linux/types.h>

#include "dmabench_abi.h"

/* One device bound to the dmabench PCI or platform driver. */
struct dmabench_dev {
	struct list_head list;		/* on dmabench_devices */
	struct device *dev;
	void __iomem *bar;		/* edu BAR0, else NULL */
	u64 probe_mask;			/* DMA masks found at probe */
	u64 probe_coherent_mask;
	bool pci;
	bool edu;
	/* protected by dmabench_lock */
	bool busy;			/* a run or verify owns it */
	bool gone;			/* removed while busy */
	bool stop;			/* ask the run threads to stop */
	struct completion idle;		/* completed when !busy */
};

/* Parameters a test reads, from struct dmabench_run. */
struct dmabench_params {
	struct device *dev;
	enum dma_data_direction dir;
	size_t size;
	u32 dma_trans_ns;
	int node;			/* NUMA_NO_NODE for any */
};

struct dmabench_pstat {
	u64 ops;
	u64 sum;
	u64 min;
	u64 max;
};

struct dmabench_ctx;

/* State of one benchmark thread: only this thread writes it. */
struct dmabench_thread {
	struct dmabench_ctx *ctx;	/* the run, private to dmabench_run.c */
	const struct dmabench_params *p;
	unsigned int id;
	void *priv;			/* the test's per-thread state */
	u64 now;			/* last clock read by iterate() */
	u64 ops;			/* successful iterations */
	u64 errors;			/* failed iterations */
	u64 end_ns;
	int err;			/* setup() result */
	u64 *hist;			/* nphases x DMABENCH_HIST_BUCKETS */
	struct dmabench_pstat ps[DMABENCH_MAX_PHASES];
};

struct dmabench_test {
	const char *name;
	unsigned int nphases;
	const char *phases[DMABENCH_MAX_PHASES];
	/*
	 * Optional, with the device acquired and its run mask set, before
	 * allocating anything: -errno and one pr_err line.
	 */
	int (*check)(const struct dmabench_params *p);
	/* In the thread, before the start barrier: allocate (undo on error). */
	int (*setup)(struct dmabench_thread *t);
	/*
	 * One operation: record each phase with dmabench_record() and leave
	 * the last clock read in t->now.  Return 0, or -errno for a failed
	 * operation (counted in errors, not timed).
	 */
	int (*iterate)(struct dmabench_thread *t);
	/* In the thread, after the last iteration: free. */
	void (*teardown)(struct dmabench_thread *t);
};

static inline void dmabench_record(struct dmabench_thread *t,
				   unsigned int phase, u64 ns)
{
	struct dmabench_pstat *ps = &t->ps[phase];

	ps->ops++;
	ps->sum += ns;
	if (ns < ps->min)
		ps->min = ns;
	if (ns > ps->max)
		ps->max = ns;
	t->hist[phase * DMABENCH_HIST_BUCKETS + dmabench_hist_bucket(ns)]++;
}

/* dmabench_tests.c */
extern const struct dmabench_test *const dmabench_tests[];
const struct dmabench_test *dmabench_find_test(const char *name);

/* test_*.c */
extern const struct dmabench_test dmabench_test_map_single;

/* dmabench_main.c */
int dmabench_check_hdr(const struct dmabench_hdr *h, u32 size,
		       const char *what);
int dmabench_check_name(const char *name, size_t len, const char *what);
struct dmabench_dev *dmabench_acquire(const char *name, int *err);
void dmabench_release(struct dmabench_dev *d, bool *gone);
void dmabench_restore_masks(struct device *dev, u64 mask, u64 coherent);
const char *dmabench_dma_ops_name(struct device *dev);
bool dmabench_dma_reachable(struct device *dev, phys_addr_t phys, size_t size);

/* dmabench_run.c */
long dmabench_ioc_run(struct dmabench_run __user *uarg);

/* dmabench_edu.c */
long dmabench_ioc_verify(struct dmabench_verify __user *uarg);

#endif /* DMABENCH_H */
