/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dmabench internal types and the functions of each file, in layers: a
 * file calls only the files of the layers below it (never up, no circle).
 *   dmabench_main.c   module init, debugfs files, the ioctl table
 *   dmabench_run.c    DMABENCH_IOC_RUN, IOMMU_RUN: the run engine
 *   dmabench_shape.c  the traffic shape of a run, its footprint
 *   dmabench_edu.c    VERIFY, ISOLATE: real DMA by QEMU edu devices
 *   dmabench_iommu.c  device sets in unmanaged domains; EXHAUST
 *   test_*.c          the tests (called through struct dmabench_test_ops)
 *   dmabench_buf.c    buffers and delays the DMA-API tests share
 *   dmabench_tests.c  the test table (from include/dmabench_tests.h)
 *   dmabench_dev.c    the drivers and the registry of bound devices
 *   dmabench_args.c   header and name checks
 * Adding a test: kmod/test_NAME.c with its dmabench_ops_NAME, one line in
 * include/dmabench_tests.h, one Kbuild line.
 *
 * The test API.  A test describes one operation as phases (the phase
 * names of its dmabench_tests.h line, in order) working on a slot, one
 * buffer or mapping (struct dmabench_slot); the engine (dmabench_run.c)
 * owns the clock, the slots and the loop.  With batch 1 every phase of
 * every op is timed on its own (two clock reads around one call, as the
 * kernel's dma_map_benchmark does); with batch N the engine runs a phase
 * on N slots between two clock reads and records the per-op mean.  The
 * first nmake phases make a slot live (map, alloc, sync for the device),
 * the rest release it (unmap, free): the engine may hold slots live
 * between the two (the simulated transfer, rings of outstanding slots,
 * slots handed to another thread), so a phase must work on its slot
 * alone, never on the thread's "current" buffer.  Tests that cannot be
 * cut this way give iterate() instead and time themselves with
 * dmabench_clock_read() and dmabench_record_ticks(), honouring the batch
 * as they can (iommu_map: its live set and flush policy are its own).
 */
#ifndef DMABENCH_H
#define DMABENCH_H

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/device.h>
#include <linux/dma-direction.h>
#include <linux/iommu.h>
#include <linux/iova.h>
#include <linux/list.h>
#include <linux/ptr_ring.h>
#include <linux/spinlock.h>
#include <linux/math64.h>
#include <linux/ktime.h>
#include <linux/types.h>

#if defined(CONFIG_X86)
#include <asm/tsc.h>
#elif defined(CONFIG_ARM64)
#include <clocksource/arm_arch_timer.h>
#endif

#include "dmabench_abi.h"
#include "dmabench_fields.h"

/* longest simulated transfer (dma_trans_ns) or hold between map and unmap */
#define DMABENCH_MAX_TRANS_NS	NSEC_PER_SEC

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
	bool dma_hung;			/* an edu transfer never finished */
	bool held;			/* busy: its group is claimed for another */
	/* what the devices file shows while busy (domains come and go then) */
	const char *shown_ops;
	const char *shown_domain;
	struct completion idle;		/* completed when !busy */
};

struct dmabench_ioset;

/* IOMMU-API test parameters (struct dmabench_iommu_run, or defaults). */
struct dmabench_iommu_params {
	u32 scope;			/* enum dmabench_scope */
	u32 flush;			/* enum dmabench_flush */
	u32 flush_n;
	u32 iova_bits;
	u32 live;
	u32 slow_ns;
	u64 seed;
};

struct dmabench_shape_run;

/* Parameters a test reads, from struct dmabench_run. */
struct dmabench_params {
	struct device *dev;
	enum dma_data_direction dir;
	size_t size;
	u32 dma_trans_ns;
	int node;			/* NUMA_NO_NODE for any */
	unsigned int threads;
	/* map_sg: nents entries of seg_size bytes (size = nents x seg_size) */
	unsigned int nents;
	u32 sg_layout;			/* enum dmabench_sg_layout */
	size_t seg_size;
	/* map_single, map_sg: byte offset of the buffer (entry) in its page */
	unsigned int align;
	unsigned long attrs;		/* DMA_ATTR_*, from run.attrs */
	bool bounce;			/* DMABENCH_RUN_BOUNCE */
	/* IOMMU tests only */
	struct dmabench_ioset *io;	/* devices, groups, domains */
	struct dmabench_iommu_params iop;
	/* slots per thread (batch, or depth): memory checks count them */
	unsigned int nslots;
	/* the run's traffic shape; srun: set when it needs the shaped loop */
	const struct dmabench_shape *shape;
	struct dmabench_shape_run *srun;
};

struct dmabench_pstat {
	u64 ops;
	u64 sum;
	u64 min;
	u64 max;
};

struct dmabench_ctx;
struct dmabench_shape_thread;
struct dmabench_test;
struct dmabench_thread;

/*
 * One buffer or mapping the phases of an op work on.  The engine zeroes it
 * and sets size before slot_init(); the test fills in what it has (slot_init
 * for what lives as long as the slot, the make phases for what lives as long
 * as a mapping) and reads only its own slot.
 */
struct dmabench_slot {
	void *cpu;			/* CPU address of the buffer, or NULL */
	size_t size;			/* bytes mapped or allocated */
	dma_addr_t dma;			/* DMA handle while live */
	struct page *page;		/* alloc_pages, or the buffer's pages */
	struct sg_table *sgt;		/* map_sg, alloc_noncontiguous */
	void *priv;			/* the test's own per-slot state */
	bool failed;			/* engine: a phase of this op failed */
};

/*
 * One phase of a test.  op() is the timed call; before() and after() run
 * outside the timed window, on every slot of the batch, before and after it
 * (dirtying the buffer, checking what the mapping came back with).  op()
 * returns 0 or -errno; only a make phase may fail, and it then leaves the
 * slot as the make phase before it left it (the engine runs no further
 * phase on that slot in this op and counts one error; the time of a failed
 * call stays in its batch, the batch's mean is over the ops that worked).
 * after() runs only on slots whose op() worked.
 */
struct dmabench_phase_ops {
	void (*before)(struct dmabench_thread *t, struct dmabench_slot *s);
	int (*op)(struct dmabench_thread *t, struct dmabench_slot *s);
	void (*after)(struct dmabench_thread *t, struct dmabench_slot *s);
};

/* The clock of a run: ktime_get_ns() or a raw counter, see dmabench_run.c. */
struct dmabench_clk {
	u32 id;				/* enum dmabench_clock, never AUTO */
	u32 mult;			/* raw: ns = ticks * mult >> shift */
	u32 shift;
	u64 res_ps;			/* one tick, or the smallest step seen */
};

/* State of one benchmark thread: only this thread writes it. */
struct dmabench_thread {
	struct dmabench_ctx *ctx;	/* the run, private to dmabench_run.c */
	const struct dmabench_params *p;
	const struct dmabench_test *test;
	struct dmabench_clk clk;
	unsigned int id;
	void *priv;			/* the test's per-thread state */
	u64 now;			/* last clock read, clock ticks */
	u64 ops;			/* successful iterations */
	u64 errors;			/* failed iterations */
	u64 start_ns;			/* released from the start barrier */
	u64 end_ns;
	/* map_sg: DMA segments of the mappings (min starts at U32_MAX) */
	u32 segs_min;
	u32 segs_max;
	u64 bounced;			/* mappings swiotlb bounced */
	int err;			/* setup() result */
	bool timed;			/* record samples (not in warm-up) */
	bool cold;			/* evict the slots before each phase */
	bool calibration;		/* the auto batch's calibration: no results */
	u64 warmup_ops;			/* untimed ops (and failures) first */
	u64 *hist;			/* nphases x DMABENCH_HIST_BUCKETS */
	u64 *hist2;			/* the same, second half only, or NULL */
	bool second_half;		/* samples go to hist2 as well */
	struct dmabench_slot *slots;	/* phase tests: nslots of them */
	unsigned int nslots;
	struct dmabench_shape_thread *shape;	/* a shaped run's, or NULL */
	struct dmabench_pstat ps[DMABENCH_MAX_PHASES];
};

/* A test's code; its name, fields and phases: dmabench_tests.h. */
struct dmabench_test_ops {
	/*
	 * Optional, with the device acquired and its run mask set, before
	 * allocating anything: -errno and one pr_err line.
	 */
	int (*check)(const struct dmabench_params *p);
	/*
	 * Optional, in the thread, before the start barrier: allocate the
	 * thread's own state (undo on error).
	 */
	int (*setup)(struct dmabench_thread *t);
	/* Optional, in the thread: what one slot keeps (undo on error). */
	int (*slot_init)(struct dmabench_thread *t, struct dmabench_slot *s);
	void (*slot_exit)(struct dmabench_thread *t, struct dmabench_slot *s);
	/* phases [0, nmake) make a slot live, the others release it */
	unsigned int nmake;
	/* one per phase name; phase[0].op NULL: no phase API, see iterate */
	struct dmabench_phase_ops phase[DMABENCH_MAX_PHASES];
	/*
	 * Instead of phases: up to @n operations (t->nslots, the run's batch,
	 * fewer at the end of an iterations run), timing themselves: record
	 * each timed block with dmabench_record_ticks() and its op count,
	 * leave the last clock read in t->now, add the ops that worked to
	 * t->ops and each failed one to t->errors (not timed).  Return 0, or
	 * the -errno of a failed op.  No phases and no iterate: this kernel
	 * lacks what the test calls, so the module does not offer it.
	 */
	int (*iterate)(struct dmabench_thread *t, unsigned int n);
	/*
	 * Optional, batch 0: the batch the calibration chose (@n, 1 ..
	 * DMABENCH_MAX_BATCH) fitted to the test; returns 1 .. that maximum.
	 */
	unsigned int (*batch_fit)(const struct dmabench_params *p,
				  unsigned int n);
	/* Optional, in the thread, after the last op (slots gone): free. */
	void (*teardown)(struct dmabench_thread *t);
};

/* One line of dmabench_tests.h with its code. */
struct dmabench_test {
	const char *name;
	u32 fields;			/* DMABENCH_FIELD_* it takes */
	unsigned int nphases;
	const char *phases[DMABENCH_MAX_PHASES];
	const struct dmabench_test_ops *ops;
};

/* Drives the IOMMU API (p->io is set): takes the iommu_run parameters. */
static inline bool dmabench_test_iommu(const struct dmabench_test *t)
{
	return t->fields & DMABENCH_FIELD_IOMMU;
}

/*
 * The raw counter of the architecture, where the kernel has one it trusts
 * as constant (dmabench_run.c decides per run): x86 TSC, read in program
 * order; arm64 the arch timer counter through the kernel's accessor (it
 * carries the errata workarounds and orders the read with an isb).
 */
#if defined(CONFIG_X86)
#define DMABENCH_HAVE_RAW_CLOCK	1
static __always_inline u64 dmabench_raw_read(void)
{
	return rdtsc_ordered();
}
#elif defined(CONFIG_ARM64) && defined(CONFIG_ARM_ARCH_TIMER)
#define DMABENCH_HAVE_RAW_CLOCK	1
static __always_inline u64 dmabench_raw_read(void)
{
	return arch_timer_read_counter();
}
#else
#define DMABENCH_HAVE_RAW_CLOCK	0
static __always_inline u64 dmabench_raw_read(void)
{
	return 0;
}
#endif

/* One read of the run's clock, in its ticks (ns for ktime). */
static __always_inline u64 dmabench_clock_read(const struct dmabench_thread *t)
{
	if (DMABENCH_HAVE_RAW_CLOCK && t->clk.id == DMABENCH_CLOCK_RAW)
		return dmabench_raw_read();
	return ktime_get_ns();
}

static inline u64 dmabench_ticks_ns(const struct dmabench_clk *clk, u64 ticks)
{
	if (clk->id != DMABENCH_CLOCK_RAW)
		return ticks;
	return mul_u64_u32_shr(ticks, clk->mult, clk->shift);
}

/*
 * @n ops of @phase took @ticks of the run's clock together: their mean goes
 * into the histogram once per op (it counts ops, as with batch 1; n 1: the
 * op itself).  Nothing during warm-up.
 */
static inline void dmabench_record_ticks(struct dmabench_thread *t,
					 unsigned int phase, u64 ticks,
					 unsigned int n)
{
	struct dmabench_pstat *ps = &t->ps[phase];
	u64 ns = dmabench_ticks_ns(&t->clk, ticks);
	u64 mean = n == 1 ? ns : div_u64(ns + n / 2, n);
	unsigned int b = phase * DMABENCH_HIST_BUCKETS +
			 dmabench_hist_bucket(mean);

	if (!t->timed)
		return;
	ps->ops += n;
	ps->sum += ns;
	if (mean < ps->min)
		ps->min = mean;
	if (mean > ps->max)
		ps->max = mean;
	t->hist[b] += n;
	if (t->second_half)
		t->hist2[b] += n;
}

/* dmabench_args.c */
int dmabench_check_hdr(const struct dmabench_hdr *h, u32 size,
		       const char *what);
int dmabench_check_name(const char *name, size_t len, const char *what);
int dmabench_check_user_buf(u64 uptr, u64 len);

/* dmabench_dev.c */
struct seq_file;
int dmabench_dev_init(void);
void dmabench_dev_exit(void);
int dmabench_devices_show(struct seq_file *m, void *v);
struct dmabench_dev *dmabench_acquire(const char *name, int *err);
int dmabench_acquire_iommu_all(struct dmabench_dev **devs, unsigned int max,
			       unsigned int *n);
void dmabench_release(struct dmabench_dev *d, bool *gone);
int dmabench_hold_group(struct iommu_group *grp,
			struct dmabench_dev *const *mine, unsigned int nmine,
			struct dmabench_dev **held, unsigned int max,
			unsigned int *n);
void dmabench_restore_masks(struct device *dev, u64 mask, u64 coherent);
const char *dmabench_dma_ops_name(struct device *dev);
bool dmabench_dma_reachable(struct device *dev, phys_addr_t phys, size_t size);

/* dmabench_tests.c */
extern const struct dmabench_test dmabench_tests[];
extern const unsigned int dmabench_ntests;
bool dmabench_test_present(const struct dmabench_test *t);
const struct dmabench_test *dmabench_find_test(const char *name);
bool dmabench_test_lacking(const char *name, const char *what);

/*
 * test_*.c: dmabench_ops_NAME for every test in dmabench_tests.h, as one
 * declaration (the list needs an end: dmabench_ops_end, never defined).
 */
#define DMABENCH_TEST(_name, ...)	dmabench_ops_##_name,
extern const struct dmabench_test_ops
#include "dmabench_tests.h"
	dmabench_ops_end;
#undef DMABENCH_TEST

/*
 * test_map_single.c and test_map_sg.c: their slots' buffers, which
 * map_phys and iova_link map another way (the same pages, compared in
 * one run).  map_sg's slot: slot->sgt, its own state in slot->priv.
 */
int map_single_slot_init(struct dmabench_thread *t, struct dmabench_slot *s);
void map_single_slot_exit(struct dmabench_thread *t, struct dmabench_slot *s);
void map_single_dirty(struct dmabench_thread *t, struct dmabench_slot *s);
int dmabench_sg_check(const struct dmabench_params *p, const char *test);
int map_sg_slot_init(struct dmabench_thread *t, struct dmabench_slot *slot);
void map_sg_slot_exit(struct dmabench_thread *t, struct dmabench_slot *slot);

/* dmabench_buf.c */
/*
 * What the tests allocate with: fail rather than wake the OOM killer, and
 * quietly (a failed allocation is a counted error).
 */
#define DMABENCH_GFP		(GFP_KERNEL | __GFP_RETRY_MAYFAIL | __GFP_NOWARN)
#define DMABENCH_MEM_PERCENT	50	/* a run's buffers: at most this of RAM */
int dmabench_check_memory(const struct dmabench_params *p, u64 per_thread,
			  const char *test);
int dmabench_check_mappable(const struct dmabench_params *p, const char *test);
struct page *dmabench_alloc_reachable(const struct dmabench_params *p,
				      unsigned int order, size_t size);
void dmabench_delay_ns(u32 ns);
/* cache cold: where dmabench can evict a buffer from the CPU caches */
#define DMABENCH_HAVE_EVICT	(IS_ENABLED(CONFIG_X86) || IS_ENABLED(CONFIG_ARM64))
void dmabench_evict_slot(const struct dmabench_slot *s);

/*
 * The ioctl handlers: dmabench_main.c has copied the argument in, checked
 * hdr and zeroed the out fields; it copies the argument out on 0.
 */
union dmabench_ioc_arg {
	struct dmabench_hdr hdr;
	struct dmabench_info info;
	struct dmabench_run run;
	struct dmabench_verify verify;
	struct dmabench_iommu_run iommu_run;
	struct dmabench_exhaust exhaust;
	struct dmabench_isolate isolate;
};

/* dmabench_shape.c: the run's traffic shape and its footprint */
struct dmabench_footprint {
	struct page *page;		/* the one buffer, mapped n times */
	unsigned int order;
	size_t len;			/* bytes per mapping */
	dma_addr_t *addr;		/* the mappings, mapped of n */
	unsigned long n;
	unsigned long mapped;
};

/* A shaped run's shared state (dmabench_shape.c), params.srun. */
struct dmabench_shape_run {
	spinlock_t lock;		/* the results below, as threads end */
	struct ptr_ring ring;		/* pairs: made slots, to the unmappers */
	bool ring_ready;
	struct ptr_ring *back;		/* pairs: per mapper, its slots given back */
	unsigned int nback;		/* of them set up */
	atomic_t mappers_left;		/* pairs: mappers still making */
	unsigned int nphases;
	unsigned int nsizes;
	u64 *class_hist;		/* nsizes x nphases x BUCKETS, or NULL */
	u64 class_ops[DMABENCH_MAX_SIZES];
	u64 handed, q_min, q_sum, q_max;
	u64 map_start, map_end, unmap_start, unmap_end;
};

int dmabench_shape_get(const struct dmabench_run *r,
		       const struct dmabench_test *test, struct dmabench_shape *s);
bool dmabench_shape_shaped(const struct dmabench_shape *s);
struct dmabench_shape_run *dmabench_shape_run_alloc(const struct dmabench_shape *s,
						    const struct dmabench_test *test,
						    unsigned int nslots, int *err);
void dmabench_shape_run_free(struct dmabench_shape_run *sr);
int dmabench_shape_run_put(struct dmabench_shape_run *sr,
			   struct dmabench_shape *s);
int dmabench_shape_thread_init(struct dmabench_thread *t);
void dmabench_shape_loop(struct dmabench_thread *t, u64 iterations,
			 u64 deadline);
void dmabench_shape_thread_exit(struct dmabench_thread *t);
int dmabench_shape_put(const struct dmabench_run *r,
		       const struct dmabench_shape *s);
int dmabench_footprint_map(struct dmabench_footprint *fp,
			   const struct dmabench_params *p, u64 bytes,
			   const bool *stop);
void dmabench_footprint_unmap(struct dmabench_footprint *fp,
			      const struct dmabench_params *p);

/*
 * dmabench_run.c.  The engine of one thread, for the phase tests (also
 * what dmabench_mapbench.c runs): set t->p, t->test, t->clk, t->nslots,
 * t->hist and t->ps[].min = U64_MAX first.  round() runs one op on each of
 * the first @n slots, every phase timed as one batch of @n: 0, or the
 * -errno of a failed op (the others went on).
 */
int dmabench_thread_init(struct dmabench_thread *t);
bool dmabench_thread_stopping(const struct dmabench_thread *t);
struct dmabench_thread *dmabench_thread_of(const struct dmabench_thread *t,
					   unsigned int id);
int dmabench_thread_round(struct dmabench_thread *t, unsigned int n);
void dmabench_thread_exit(struct dmabench_thread *t);
long dmabench_ioc_run(union dmabench_ioc_arg *arg);
long dmabench_ioc_iommu_run(union dmabench_ioc_arg *arg);

/*
 * dmabench_iommu.c: a set of devices claimed from the DMA API, in
 * unmanaged domains with IOVA allocators.  Only the run's threads use it.
 */
struct dmabench_iodom {
	struct iommu_domain *dom;
	struct iova_domain iovad;
	bool iovad_ready;
	struct iommu_device *inst;	/* the IOMMU instance */
	unsigned int shift;		/* log2 of the IOVA granule */
	unsigned long limit_pfn;	/* highest IOVA pfn to allocate */
	int prot_cache;			/* IOMMU_CACHE if coherent, else 0 */
};

struct dmabench_iogrp {
	struct iommu_group *group;
	struct dmabench_iodom *dom;	/* attached, or NULL */
	bool claimed;
};

struct dmabench_ioset {
	unsigned int ndevs;
	unsigned int ngrps;
	unsigned int ndoms;
	unsigned int ninst;
	struct dmabench_dev *devs[DMABENCH_MAX_DEVICES];
	unsigned int dev_grp[DMABENCH_MAX_DEVICES];	/* index in grps */
	struct dmabench_iogrp grps[DMABENCH_MAX_DEVICES];
	struct dmabench_iodom *doms[DMABENCH_MAX_DEVICES];
	/* the other dmabench devices of the claimed groups, marked busy */
	struct dmabench_dev *held[DMABENCH_MAX_DEVICES];
	unsigned int nheld;
	atomic64_t slow_allocs;
	bool iova_cache;
	bool hung;			/* edu DMA may still run: leak all */
};

int dmabench_check_iommu_params(const struct dmabench_iommu_params *iop,
				const char *what);
int dmabench_ioset_get(struct dmabench_ioset *s, const char *device,
		       u64 devices_ptr, u32 ndevices, const char *what);
int dmabench_ioset_build(struct dmabench_ioset *s, u32 scope, u32 iova_bits,
			 const char *what);
void dmabench_ioset_put(struct dmabench_ioset *s, bool *gone);
bool dmabench_ioset_stopping(struct dmabench_ioset *s);
struct dmabench_iodom *dmabench_iodom_create(struct dmabench_ioset *s,
					     unsigned int g, u32 iova_bits,
					     bool iova, int *err);
void dmabench_iodom_destroy(struct dmabench_ioset *s,
			    struct dmabench_iodom *d);
void dmabench_iogrp_detach(struct dmabench_ioset *s, unsigned int g);
int dmabench_iogrp_attach(struct dmabench_ioset *s, unsigned int g,
			  struct dmabench_iodom *d);
long dmabench_ioc_exhaust(union dmabench_ioc_arg *arg);

/* dmabench_edu.c */
long dmabench_ioc_verify(union dmabench_ioc_arg *arg);
long dmabench_ioc_isolate(union dmabench_ioc_arg *arg);

/* dmabench_mapbench.c: the kernel's dma_map_benchmark interface */
int dmabench_mapbench_init(void);
void dmabench_mapbench_exit(void);

#endif /* DMABENCH_H */
