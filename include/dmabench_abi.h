/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * dmabench ABI: the one contract between kmod/dmabench.ko and bench/dmabench.
 *
 * The module exposes /sys/kernel/debug/dmabench/control (mode 0600).  Every
 * ioctl argument starts with a struct dmabench_hdr: the caller sets
 * hdr.version = DMABENCH_ABI_VERSION and hdr.size = sizeof(the struct).  The
 * module rejects another version or size, unknown flags and non-zero
 * reserved fields with -EINVAL, so fields can be added later by bumping the
 * version and spending reserved space.  All fields are fixed width with
 * explicit padding; structures have the same layout on 32- and 64-bit.
 * Version 1 grew compatibly: IOMMU_RUN, EXHAUST and ISOLATE (ioctls 3-5)
 * are new; INFO, RUN and VERIFY kept their structures.  A tool can tell a
 * module without them by ENOTTY, or by "iommu_map" missing from the tests
 * file.
 * Version 2 (accuracy and traffic shapes) grew struct dmabench_run: the
 * timing fields (batch, clock, warmup, cache, hist2_ptr), shape_ptr (struct
 * dmabench_shape) and their results; the ioctl numbers encode the new size,
 * so a version-1 tool gets ENOTTY.
 *
 * Text files beside control (read them with cat):
 *   devices  one line per device the module drives (see DMABENCH_DEVICES_*)
 *   tests    one line per test: its name, then its phase names, then
 *            "fields=0xHEX": the DMABENCH_FIELD_* bits of the run fields
 *            it takes (a word with "=" is an attribute, never a phase;
 *            readers skip attributes they do not know)
 */
#ifndef DMABENCH_ABI_H
#define DMABENCH_ABI_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/ioctl.h>
#else
#include <linux/types.h>
#include <sys/ioctl.h>
#endif

#define DMABENCH_ABI_VERSION	2

#define DMABENCH_DEBUGFS_DIR	"dmabench"
#define DMABENCH_CONTROL	"control"

#define DMABENCH_NAME_LEN	64	/* device names: PCI BDF or platform name */
#define DMABENCH_TEST_LEN	32
#define DMABENCH_PHASE_LEN	16
#define DMABENCH_MAX_PHASES	8
#define DMABENCH_MAX_CPUS	1024	/* bits in dmabench_run.cpus */
#define DMABENCH_MAX_THREADS	1024
#define DMABENCH_MAX_SIZE	(64ULL << 20)	/* largest buffer per thread */
#define DMABENCH_MAX_BATCH	4096	/* ops per timed batch (run.batch) */

/*
 * Latency histogram, log-linear: values below 2^SUB_BITS ns have a bucket
 * each; above, every power of two is split into 2^SUB_BITS equal buckets, so
 * a bucket is at most 1/64 = 1.6 % of its lower bound wide.  The last bucket
 * ends above 10 s (2^34 ns); longer samples are clamped into it.
 */
#define DMABENCH_HIST_SUB_BITS	6
#define DMABENCH_HIST_SUB	(1U << DMABENCH_HIST_SUB_BITS)
#define DMABENCH_HIST_MAX_EXP	33	/* highest power of two covered */
#define DMABENCH_HIST_BUCKETS	\
	(DMABENCH_HIST_SUB * (DMABENCH_HIST_MAX_EXP - DMABENCH_HIST_SUB_BITS + 2))

static inline __u32 dmabench_hist_bucket(__u64 ns)
{
	__u32 e;

	if (ns < DMABENCH_HIST_SUB)
		return (__u32)ns;
	e = 63 - (__u32)__builtin_clzll(ns);
	if (e > DMABENCH_HIST_MAX_EXP)
		return DMABENCH_HIST_BUCKETS - 1;
	return DMABENCH_HIST_SUB * (e - DMABENCH_HIST_SUB_BITS + 1) +
	       (__u32)((ns >> (e - DMABENCH_HIST_SUB_BITS)) &
		       (DMABENCH_HIST_SUB - 1));
}

/* Smallest value that falls into bucket @b. */
static inline __u64 dmabench_hist_lower(__u32 b)
{
	__u32 e;

	if (b < DMABENCH_HIST_SUB)
		return b;
	e = b / DMABENCH_HIST_SUB + DMABENCH_HIST_SUB_BITS - 1;
	return (1ULL << e) +
	       ((__u64)(b % DMABENCH_HIST_SUB) << (e - DMABENCH_HIST_SUB_BITS));
}

struct dmabench_hdr {
	__u32 version;		/* DMABENCH_ABI_VERSION */
	__u32 size;		/* sizeof the whole argument structure */
};

/* dmabench_run.dir: the DMA direction of the mapping */
enum dmabench_dir {
	DMABENCH_DIR_BIDIR = 0,
	DMABENCH_DIR_TO_DEVICE = 1,
	DMABENCH_DIR_FROM_DEVICE = 2,
};

/* dmabench_run.flags */
/*
 * Bounce buffering: the module's virtual device (dmabench.0) only.  The run
 * sets its DMA mask to dma_mask_bits (0 = 32) and allocates the buffers
 * without regard to it, so every mapping of a buffer above the mask goes
 * through swiotlb; EOPNOTSUPP when swiotlb is not active.
 * run.bounced counts the mappings that did bounce.
 */
#define DMABENCH_RUN_BOUNCE		(1U << 0)
#define DMABENCH_RUN_FLAGS		DMABENCH_RUN_BOUNCE

/* dmabench_run.sg_layout: the pages behind a map_sg scatterlist */
enum dmabench_sg_layout {
	/* one physically contiguous buffer cut into nents entries */
	DMABENCH_SG_CONTIGUOUS = 0,
	/* every entry in its own allocation, none adjacent to the next */
	DMABENCH_SG_SCATTERED = 1,
};

#define DMABENCH_MAX_NENTS	1024

/*
 * Run fields beyond the common ones (device, test, dir, buf_size, threads,
 * node, cpus, duration_ns, iterations, dma_mask_bits, hist/thread_ops
 * pointers), one bit each.  Every test publishes the set it takes in the
 * tests file ("fields=0x..."); a request that sets a field outside its
 * test's set is refused with EINVAL.  bench decides which options apply to
 * which test from these bits, never from test names.
 */
#define DMABENCH_FIELD_NENTS		(1U << 0)	/* nents */
#define DMABENCH_FIELD_SEG_SIZE		(1U << 1)	/* seg_size */
#define DMABENCH_FIELD_SG_LAYOUT	(1U << 2)	/* sg_layout */
#define DMABENCH_FIELD_ATTRS		(1U << 3)	/* attrs */
#define DMABENCH_FIELD_COHERENCY	(1U << 4)	/* coherency */
#define DMABENCH_FIELD_BOUNCE		(1U << 5)	/* flags BOUNCE */
#define DMABENCH_FIELD_DMA_TRANS	(1U << 6)	/* dma_trans_ns */
#define DMABENCH_FIELD_ALIGN		(1U << 7)	/* align */
/* struct dmabench_iommu_run: scope, flush, iova_bits, live, devices... */
#define DMABENCH_FIELD_IOMMU		(1U << 8)
/* version 2: batch (timed batches of several ops), DMA-API tests and iommu_map */
#define DMABENCH_FIELD_BATCH		(1U << 9)
/* cache (cold: evict the buffer before each timed op) */
#define DMABENCH_FIELD_CACHE		(1U << 10)
/* shape_ptr: depth, order, hold, pairs, footprint (struct dmabench_shape) */
#define DMABENCH_FIELD_SHAPE		(1U << 11)
/* shape_ptr: nsizes, sizes, weights (a size mix) */
#define DMABENCH_FIELD_SIZE_MIX		(1U << 12)
#define DMABENCH_FIELDS_ALL		0x1fffU

/* dmabench_run.attrs: DMA_ATTR_* for the alloc test */
#define DMABENCH_ATTR_WRITE_COMBINE	(1U << 0)
#define DMABENCH_ATTR_NO_KERNEL_MAPPING	(1U << 1)
#define DMABENCH_ATTR_FORCE_CONTIGUOUS	(1U << 2)
#define DMABENCH_ATTR_ALLOC_SINGLE_PAGES	(1U << 3)
#define DMABENCH_ATTRS_ALL		0xfU

/* dmabench_run.coherency: the device's DMA coherency during the run */
enum dmabench_coherency {
	DMABENCH_COHERENCY_DEVICE = 0,	/* leave it as the firmware set it */
	DMABENCH_COHERENCY_COHERENT = 1,	/* force coherent, restore after */
	DMABENCH_COHERENCY_NONCOHERENT = 2,	/* force non-coherent, restore */
};

/* dmabench_run.status, filled by the module */
#define DMABENCH_STATUS_DONE		0	/* ran to its end */
#define DMABENCH_STATUS_INTERRUPTED	1	/* a signal stopped it early */
#define DMABENCH_STATUS_DEVICE_GONE	2	/* device unbound during run */

struct dmabench_phase {
	char name[DMABENCH_PHASE_LEN];	/* "map", "unmap", ... */
	__u64 ops;			/* samples in the histogram */
	__u64 sum_ns;			/* exact sum, for the mean */
	__u64 min_ns;
	__u64 max_ns;
};

/* DMABENCH_IOC_RUN: run one test on one device, wait, return the results */
struct dmabench_run {
	struct dmabench_hdr hdr;
	/* in */
	char device[DMABENCH_NAME_LEN];	/* dev_name(), e.g. "0000:00:03.0" */
	char test[DMABENCH_TEST_LEN];	/* e.g. "map_single" */
	__u32 flags;			/* DMABENCH_RUN_* */
	__u32 dir;			/* enum dmabench_dir */
	__u64 buf_size;			/* bytes, 1 .. DMABENCH_MAX_SIZE */
	__u32 threads;			/* 1 .. DMABENCH_MAX_THREADS */
	__s32 node;			/* NUMA node for threads+buffers, -1 any */
	/* thread i runs on the i-th set CPU (round robin); all 0: unbound */
	__u64 cpus[DMABENCH_MAX_CPUS / 64];
	__u64 duration_ns;		/* stop after this long ... */
	/* ... or this many successful ops per thread (or as many failures) */
	__u64 iterations;
	__u32 dma_trans_ns;		/* simulated transfer between map/unmap */
	__u32 dma_mask_bits;		/* 0 = keep the device's mask */
	__u64 hist_ptr;			/* user buffer: nphases x BUCKETS __u64 */
	__u64 hist_bytes;		/* its size in bytes */
	__u64 thread_ops_ptr;		/* optional: threads x __u64 ops done */
	/* map_sg: entries per scatterlist, 0 = 1, at most DMABENCH_MAX_NENTS */
	__u32 nents;
	__u32 sg_layout;		/* enum dmabench_sg_layout */
	/* map_sg: bytes per entry, 0 = buf_size / nents (buf_size: total) */
	__u64 seg_size;
	__u32 attrs;			/* DMABENCH_ATTR_*, alloc only */
	__u32 coherency;		/* enum dmabench_coherency */
	/*
	 * map_single, map_sg: byte offset of the buffer (of every entry)
	 * within its first page, 0 .. PAGE_SIZE - 1: the IOMMU then maps one
	 * page more whenever offset + length crosses a page boundary (map_sg
	 * contiguous: the buffer starts there, the entries follow it)
	 */
	__u32 align;
	/*
	 * Version 2, timing (see "Timing" below the structure):
	 * ops per timed batch, 0 = auto (the clock costs at most 2 % of a
	 * batch), 1 = every op timed on its own (version 1 behaviour)
	 */
	__u32 batch;
	__u32 clock;			/* enum dmabench_clock */
	/* ops per thread run untimed before the timed ones, 0 = none */
	__u32 warmup;
	__u32 cache;			/* enum dmabench_cache */
	__u32 pad_in;			/* must be 0 */
	/*
	 * optional (0): a second hist_bytes buffer that gets the histograms
	 * of the second half of each thread's timed ops only (drift)
	 */
	__u64 hist2_ptr;
	__u64 shape_ptr;		/* optional (0): struct dmabench_shape */
	__u64 reserved_in[4];		/* must be 0 */
	/* out */
	__u32 status;			/* DMABENCH_STATUS_* */
	__u32 nphases;
	__u64 elapsed_ns;		/* first thread running to last one done */
	__u64 timer_overhead_ps;	/* cost of one clock read, picoseconds */
	__u64 errors;			/* failed mappings (counted, not timed) */
	struct dmabench_phase phase[DMABENCH_MAX_PHASES];
	/* map_sg: DMA segments dma_map_sgtable() returned, fewest and most */
	__u32 dma_segs_min;
	__u32 dma_segs_max;
	/* mappings whose DMA address was not the buffer's own (swiotlb) */
	__u64 bounced;
	__u32 coherent;			/* 1 if the device was coherent */
	__u32 clock_used;		/* enum dmabench_clock, never AUTO */
	__u32 batch_used;		/* ops per timed batch (auto resolved) */
	__u32 out_pad;
	__u64 clock_res_ps;		/* resolution of that clock, picoseconds */
	__u64 warmup_ops;		/* untimed warm-up ops, all threads */
	__u64 reserved_out[5];
};

/*
 * Timing (version 2).  Every timed unit is bracketed by two clock reads.
 * batch N > 1 times N consecutive ops of one phase between two reads and
 * records the per-op mean of the batch, counted once per op of the batch
 * (the histograms count ops, as with batch 1; phases
 * that must alternate work on N buffers: map N, then unmap N); phase.ops
 * still counts ops, phase.sum_ns their exact total.  batch 0 lets the
 * module choose N from the clock cost it measured at start and a short
 * calibration; batch_used says what it chose (iommu_map: N for iova_alloc
 * and map; unmap and iova_free gcd(N, flush_n), invalidate one flush per
 * sample, so that no batch holds an invalidation).  warmup ops run first,
 * untimed.  The histograms in hist2_ptr count the samples of the second
 * half of each thread's timed ops (by op count for iterations runs, by
 * time for duration runs): first half = hist - hist2.
 */
enum dmabench_clock {
	DMABENCH_CLOCK_AUTO = 0,	/* RAW where usable, else KTIME */
	DMABENCH_CLOCK_KTIME = 1,	/* ktime_get_ns() */
	/*
	 * the architecture's constant counter (arm64 CNTVCT, x86 TSC with
	 * constant_tsc and nonstop_tsc), converted once per run;
	 * EOPNOTSUPP where there is none
	 */
	DMABENCH_CLOCK_RAW = 2,
};

enum dmabench_cache {
	DMABENCH_CACHE_HOT = 0,		/* the buffer as the last op left it */
	/*
	 * evict the buffer from the CPU caches before each timed op (or
	 * batch), outside the timed window; page-table pages of IOMMU runs
	 * are not evicted
	 */
	DMABENCH_CACHE_COLD = 1,
};

/*
 * struct dmabench_shape (version 2, run.shape_ptr): the traffic shape of a
 * DMA-API run.  All zero is today's shape: one mapping per thread, mapped
 * and unmapped in turn, of run.buf_size bytes.  Tests take it where their
 * fields= have DMABENCH_FIELD_SHAPE (map_single, map_sg, alloc, iova_link,
 * map_phys), a size mix where they have DMABENCH_FIELD_SIZE_MIX
 * (map_single, map_phys, alloc; a mix's largest size is the buffer).
 * depth, order, a hold law other than fixed, pairs or a size mix run
 * every op timed on its own (batch 0 or 1; ops count completed
 * map+unmap pairs, pairs: mapper threads count maps, unmapper threads
 * unmaps); footprint and a fixed hold keep the engine's batches.  Every
 * mapping made is unmapped before the ioctl returns, also after a signal
 * or an unbind (then untimed, holds not waited out).
 */
enum dmabench_order {
	DMABENCH_ORDER_FIFO = 0,	/* unmap the oldest outstanding */
	DMABENCH_ORDER_RANDOM = 1,	/* unmap a random outstanding one */
};

enum dmabench_hold {
	DMABENCH_HOLD_FIXED = 0,	/* exactly hold_ns */
	DMABENCH_HOLD_UNIFORM = 1,	/* uniform in 0 .. 2 x hold_ns */
	DMABENCH_HOLD_EXPONENTIAL = 2,	/* exponential, mean hold_ns */
};

#define DMABENCH_MAX_DEPTH	4096	/* outstanding mappings per thread */
#define DMABENCH_MAX_SIZES	8	/* size classes of a mix */
#define DMABENCH_MAX_FOOTPRINT	(4ULL << 30)

struct dmabench_shape {
	struct dmabench_hdr hdr;	/* size = sizeof(dmabench_shape) */
	/* in */
	/* mappings outstanding per thread (a ring), 0 = 1 */
	__u32 depth;
	__u32 order;			/* enum dmabench_order */
	__u32 hold;			/* enum dmabench_hold */
	/* mean time between map and unmap, 0 = none (run.dma_trans_ns 0) */
	__u32 hold_ns;
	/*
	 * producer/consumer pairs: run.threads = map_threads + unmap_threads;
	 * the first map_threads threads only map and hand the handles over
	 * a ring to the others, which only unmap; both 0 = every thread
	 * maps and unmaps its own
	 */
	__u32 map_threads;
	__u32 unmap_threads;
	/* bytes kept mapped (untimed, set up first) while the timed ops run */
	__u64 footprint;
	/* size mix: each op draws a size from sizes[] by weights[]; 0 = none */
	__u32 nsizes;
	__u32 pad;			/* must be 0 */
	__u64 sizes[DMABENCH_MAX_SIZES];	/* bytes, like run.buf_size */
	__u32 weights[DMABENCH_MAX_SIZES];	/* relative, each > 0 */
	__u64 seed;			/* draws of sizes, order, hold; 0 = fixed */
	/* optional (0): nsizes x nphases x BUCKETS __u64, per size class */
	__u64 class_hist_ptr;
	__u64 class_hist_bytes;
	__u64 reserved_in[4];		/* must be 0 */
	/* out */
	__u64 class_ops[DMABENCH_MAX_SIZES];	/* ops per size class */
	__u64 footprint_mapped;		/* bytes the footprint really held */
	/* pairs: first mapper start to last mapper done, the same for unmap */
	__u64 map_elapsed_ns;
	__u64 unmap_elapsed_ns;
	__u64 handed_over;		/* pairs: handles passed over the ring */
	/* pairs: handle waiting in the ring, ns: fewest, total, most */
	__u64 queue_min_ns;
	__u64 queue_sum_ns;
	__u64 queue_max_ns;
	__u64 reserved_out[4];
};

/*
 * DMABENCH_IOC_VERIFY: prove a mapping with real device DMA (QEMU edu).
 * MAP_SINGLE: dma_map_single() one buffer, the device copies a pattern from
 *   it and back into a second one.
 * MAP_SG: dma_map_sgtable() @nents scattered pages; the device writes a
 *   pattern through every returned DMA segment and reads it back.
 * ALLOC: dma_alloc_coherent(); the CPU writes, the device copies it within
 *   the buffer, the CPU reads the copy back.
 * IOVA_LINK: @nents scattered pages linked into one IOVA range with the
 *   two-step API (dma_iova_try_alloc, dma_iova_link, dma_iova_sync); the
 *   device copies a pattern within every page through that range;
 *   segments = 1.  EOPNOTSUPP (not applicable) where dma_iova_try_alloc
 *   refuses the device (dma-direct, identity domain).
 * MAP_PHYS: as MAP_SINGLE with dma_map_phys() of the buffers' addresses.
 * IOVA_LINK and MAP_PHYS need the kernel API of the tests of the same
 * name: ENOENT on kernels without it, as for those tests.
 */
enum dmabench_verify_what {
	DMABENCH_VERIFY_MAP_SINGLE = 0,
	DMABENCH_VERIFY_MAP_SG = 1,
	DMABENCH_VERIFY_ALLOC = 2,
	DMABENCH_VERIFY_IOVA_LINK = 3,
	DMABENCH_VERIFY_MAP_PHYS = 4,
};

struct dmabench_verify {
	struct dmabench_hdr hdr;
	/* in */
	char device[DMABENCH_NAME_LEN];
	__u32 flags;			/* must be 0 */
	__u32 len;			/* bytes per transfer, 0 = default */
	__u32 what;			/* enum dmabench_verify_what */
	/* map_sg, iova_link: scattered entries of one page each, 0 = 8 */
	__u32 nents;
	__u64 reserved_in[3];
	/* out */
	__u32 passed;			/* 1 if both directions matched */
	__u32 mismatch_offset;		/* first differing byte if not */
	__u64 dma_addr_to_dev;		/* the addresses the device used */
	__u64 dma_addr_from_dev;
	__u32 segments;			/* map_sg: DMA segments, each checked */
	__u32 transfers;		/* edu DMA transfers that matched */
	__u64 reserved_out[3];
};

/* DMABENCH_IOC_INFO: what the module is */
struct dmabench_info {
	struct dmabench_hdr hdr;
	char module_version[32];
	__u32 hist_buckets;		/* DMABENCH_HIST_BUCKETS */
	__u32 max_phases;
	__u64 reserved[8];
};

/*
 * DMABENCH_IOC_IOMMU_RUN: run a test that drives the IOMMU API directly
 * (see the tests file: "iommu_map") on several devices at once, with the
 * parameters below.  DMABENCH_IOC_RUN runs the same test on run.device
 * with the defaults (per-device, strict, 48 bits, live 1).
 *
 * The module claims the devices' IOMMU groups (the driver declares
 * driver_managed_dma), allocates unmanaged paging domains, attaches the
 * groups and manages IOVA with the kernel's IOVA allocator (alloc_iova_fast
 * / free_iova_fast and their per-CPU rcaches).  Thread i works on device
 * i % ndevices.  Every device goes back to its default domain at the end.
 * Phases: iova_alloc, map (page-table write), unmap (page-table clear, no
 * invalidation), invalidate (one sample per TLB invalidation: the cost per
 * sync; per buffer = invalidate.sum_ns / unmap.ops), iova_free.
 */
enum dmabench_scope {
	/* one domain + IOVA allocator per device (IOMMU group) */
	DMABENCH_SCOPE_DEVICE = 0,
	/* one shared by all devices behind the same IOMMU instance */
	DMABENCH_SCOPE_INSTANCE = 1,
};

enum dmabench_flush {
	/* unmap + iotlb_sync per buffer (what iommu_unmap() does) */
	DMABENCH_FLUSH_STRICT = 0,
	/* iommu_unmap_fast into a gather, one iommu_iotlb_sync per flush_n */
	DMABENCH_FLUSH_BATCH = 1,
	DMABENCH_FLUSH_ALL = 2,		/* iommu_flush_iotlb_all per flush_n */
};

#define DMABENCH_MAX_DEVICES	64	/* devices in one run */
#define DMABENCH_MAX_LIVE	65536	/* live mappings per thread */
/* device name: every device bound to dmabench behind an IOMMU */
#define DMABENCH_ALL_DEVICES	"all"

struct dmabench_iommu_run {
	struct dmabench_hdr hdr;	/* size = sizeof(dmabench_iommu_run) */
	/*
	 * exactly as for DMABENCH_IOC_RUN (its own hdr too); run.device is
	 * ignored when ndevices > 0, may be "all"; run.dma_mask_bits must be 0
	 */
	struct dmabench_run run;
	/* in */
	__u32 scope;			/* enum dmabench_scope */
	__u32 flush;			/* enum dmabench_flush */
	/* buffers per invalidation: batch and all, 0 = 32; strict: 0 or 1 */
	__u32 flush_n;
	/* IOVA limit, 32 .. 64, 0 = 48; clamped to the domain aperture */
	__u32 iova_bits;
	/* live mappings per thread, freed in random order; 0 = 1 */
	__u32 live;
	/*
	 * iova_alloc slower than this counts as slow (rcache miss indicator); 0
	 * = 8 x the thread's fastest iova_alloc so far (adapts to emulation)
	 */
	__u32 slow_ns;
	__u32 ndevices;			/* 0: use run.device */
	__u32 pad;			/* must be 0 */
	__u64 devices_ptr;		/* ndevices x char[DMABENCH_NAME_LEN] */
	__u64 seed;			/* random free order, 0 = fixed */
	__u64 reserved_in[4];		/* must be 0 */
	/* out */
	__u32 ndevs_used;		/* devices in the run */
	__u32 ndomains;			/* domains = IOVA allocators used */
	__u32 ninstances;		/* IOMMU instances behind them */
	__u32 out_pad;
	__u64 slow_allocs;		/* iova_alloc samples above slow_ns */
	__u64 aperture_end;		/* last IOVA used (limit, inclusive) */
	__u64 reserved_out[8];
};

/*
 * DMABENCH_IOC_EXHAUST: find a capacity, then leave everything as found.
 *
 * DOMAINS: on the devices (device name, "all" or devices_ptr list) allocate
 *   an unmanaged domain and attach it, one after another (device i %
 *   ndevices, the previous domain of that device is detached but kept
 *   allocated, so it holds its hardware context), until the IOMMU refuses
 *   or max_count is reached; then free all, restore default domains.
 *   max_contexts > 0 models a smaller IOMMU: the module refuses the
 *   allocation beyond max_contexts with ENOSPC (result flag MODELLED).
 *   costs_ptr gets the ns of each allocate+attach (costs_len entries).
 * IOVA_DMA: dma_map_page() of one buffer of @size through the DMA API of
 *   one device (in an IOMMU DMA domain), mask_bits as its DMA mask (0 =
 *   keep), until mapping fails; then unmap all.
 *   The refusal stays in the domain's IOVA allocator (its 32-bit
 *   fast-fail, max32_alloc_size, cleared only when an IOVA below 4 GiB
 *   leaves the per-CPU caches): later mappings at that limit fail at once
 *   and the rest are slower.  The module cannot make a new default domain;
 *   the caller must (dmabench exhaust does: unbind, write another type to
 *   the group's type file and the old one back, bind).
 * IOVA_IOMMU: the same with alloc_iova_fast + iommu_map into a new
 *   unmanaged domain, mask_bits as the IOVA limit (0 = 32).
 */
enum dmabench_exhaust_what {
	DMABENCH_EXHAUST_DOMAINS = 0,
	DMABENCH_EXHAUST_IOVA_DMA = 1,
	DMABENCH_EXHAUST_IOVA_IOMMU = 2,
};

/* the IOMMU (or the model) refused */
#define DMABENCH_EXHAUST_REFUSED	(1U << 0)
/* refused by the max_contexts model, not by hardware */
#define DMABENCH_EXHAUST_MODELLED	(1U << 1)
#define DMABENCH_EXHAUST_LIMIT		(1U << 2)	/* max_count reached */
/*
 * domains: stopped at half the memory available at the start, nothing
 * refused (drivers that free a hardware context on detach, e.g. VT-d)
 */
#define DMABENCH_EXHAUST_MEMCAP		(1U << 3)
#define DMABENCH_EXHAUST_MAX_COUNT	(1ULL << 22)

struct dmabench_exhaust {
	struct dmabench_hdr hdr;
	/* in */
	char device[DMABENCH_NAME_LEN];	/* a name, or "all" (domains) */
	__u32 what;			/* enum dmabench_exhaust_what */
	__u32 flags;			/* must be 0 */
	__u32 max_contexts;		/* domains: 0 = no model */
	__u32 mask_bits;		/* iova: 0 = default, else 12 .. 64 */
	/* iova: bytes per mapping, 0 = 4096, at most 4 MiB */
	__u64 size;
	/*
	 * stop after this many, 0 = 4096 (domains) or 2^22 (iova), at most
	 * DMABENCH_EXHAUST_MAX_COUNT
	 */
	__u64 max_count;
	__u32 ndevices;			/* domains: 0 = use device */
	__u32 costs_len;		/* entries at costs_ptr */
	__u64 devices_ptr;		/* ndevices x char[DMABENCH_NAME_LEN] */
	/* optional __u64 ns per allocate+attach (domains) or per map (iova) */
	__u64 costs_ptr;
	__u64 reserved_in[4];		/* must be 0 */
	/* out */
	__u64 count;			/* domains attached / mappings made */
	__u64 bytes;			/* iova: count x size */
	__s32 error;			/* the refusal: -errno, 0 if none */
	__u32 result;			/* DMABENCH_EXHAUST_* flags */
	__u32 ndevs_used;
	__u32 ninstances;		/* IOMMU instances of those devices */
	__u64 cost_min_ns;		/* per allocate+attach or map */
	__u64 cost_sum_ns;
	__u64 cost_max_ns;
	__u64 reserved_out[8];
};

/*
 * DMABENCH_IOC_ISOLATE: prove domain isolation with real DMA by QEMU edu
 * devices (at least 2, all behind one IOMMU instance).  The module claims
 * them, puts them into domains of @scope, and:
 *   DEVICE:   maps a buffer at one IOVA in device 0's domain only; device
 *             0 writes a pattern there (must arrive), every other device
 *             writes to the same IOVA (must be blocked: the IOMMU faults
 *             and the buffer stays unchanged).
 *   INSTANCE: maps one buffer per device in the shared domain; every
 *             device copies its pattern through its own mapping and back
 *             (must arrive intact).
 * Fault messages are the IOMMU driver's (DMAR fault / SMMU event lines).
 */
struct dmabench_isolate {
	struct dmabench_hdr hdr;
	/* in */
	char device[DMABENCH_NAME_LEN];	/* "all", or ignored if ndevices */
	__u32 scope;			/* enum dmabench_scope */
	__u32 flags;			/* must be 0 */
	__u32 ndevices;
	__u32 len;			/* bytes per transfer, 0 = 2048 */
	__u64 devices_ptr;		/* ndevices x char[DMABENCH_NAME_LEN] */
	__u64 reserved_in[4];
	/* out */
	__u32 ndevs_used;
	__u32 ndomains;
	__u32 passed;			/* 1 if every check below held */
	__u32 transfers_ok;		/* transfers that had to arrive, did */
	/* transfers that had to be blocked, were (target memory unchanged) */
	__u32 transfers_blocked;
	__u32 transfers_bad;		/* either expectation failed */
	/*
	 * IOMMU faults reported to the domain fault handler (0 where the driver
	 * only logs them)
	 */
	__u64 faults;
	__u64 reserved_out[4];
};

/*
 * Errors (ioctl returns -1 with errno; the module also logs one line saying
 * what was wrong and what to do).  Inputs are checked before anything is
 * allocated and a failed call changes nothing (the device's DMA masks are
 * restored on every path):
 *   ENOTTY      unknown ioctl number, or one encoding another struct size
 *   EFAULT      the argument, hist_ptr (also NULL) or thread_ops_ptr is not
 *               writable user memory
 *   EINVAL      hdr.version != DMABENCH_ABI_VERSION, hdr.size != sizeof,
 *               unknown flags, non-zero reserved_in/reserved, device or test
 *               name not NUL-terminated; run: buf_size 0 or above
 *               DMABENCH_MAX_SIZE, threads 0 or above DMABENCH_MAX_THREADS,
 *               unknown dir, node not -1 and not online, a cpus bit >=
 *               nr_cpu_ids or offline, duration_ns and iterations both 0 or
 *               both set, duration_ns above 1 h, dma_trans_ns above 1 s,
 *               hist_bytes < nphases x BUCKETS x 8, dma_mask_bits above 64,
 *               buf_size above what the device maps at once
 *               (dma_max_mapping_size, e.g. 256 KiB through swiotlb);
 *               verify: len above 4095
 *   ENOENT      run: unknown test name (see the tests file)
 *   ENOMEM      run: buf_size above the largest physically contiguous
 *               allocation (4 MiB on x86_64/arm64 4K pages), or out of memory
 *   ENODEV      no device of that name is bound to dmabench
 *   EBUSY       a run or verify is already going on that device
 *   EIO         the device has no DMA mask, refuses dma_mask_bits, or
 *               cannot reach the buffer (mask below the memory, no IOMMU
 *               and no swiotlb to bounce)
 *   EOPNOTSUPP  verify on a device that is not QEMU's edu (1234:11e8)
 *   ETIMEDOUT   verify: the edu DMA did not finish within 3 s
 * The DMA-API tests (map_sg, sync, alloc*) and their run fields add:
 *   EINVAL      a field set that the test does not take (not in its
 *               fields= in the tests file: nents, seg_size and sg_layout are
 *               map_sg's, attrs alloc's, align map_single's and map_sg's,
 *               coherency no IOMMU test's...); unknown flags, sg_layout or
 *               coherency; nents above DMABENCH_MAX_NENTS; align above
 *               PAGE_SIZE - 1; nents x seg_size above
 *               DMABENCH_MAX_SIZE, or buf_size / nents 0; attrs with unknown
 *               bits, or FORCE_CONTIGUOUS
 *               with ALLOC_SINGLE_PAGES; BOUNCE on a device other than the
 *               module's virtual one; verify: unknown what, nents above
 *               DMABENCH_MAX_NENTS
 *   EIO         BOUNCE with dma_mask_bits 1 .. 31: swiotlb's buffer lies
 *               below 4 GiB, not necessarily below a narrower mask
 *   EINTR       verify MAP_SG stopped by a signal (about 0.2 s of edu DMA
 *               per segment in QEMU TCG)
 *   EOPNOTSUPP  coherency forced on an architecture without per-device DMA
 *               coherency (x86: always coherent);
 *               BOUNCE when swiotlb is not active (boot with swiotlb=force)
 *   ENOENT      a test this kernel lacks (alloc_noncontiguous before 5.13,
 *               iova_link before 6.16, map_phys before 6.18...; verify
 *               what IOVA_LINK, MAP_PHYS too): it is missing from the tests
 *               file; include/dmabench_needs.h names the version it needs
 *   EOPNOTSUPP  iova_link (run and verify) on a device whose DMA the IOMMU
 *               does not translate (dma_iova_try_alloc refuses it:
 *               dma-direct, identity domain): not applicable
 * run.shape_ptr (struct dmabench_shape) adds:
 *   EFAULT      shape_ptr not readable, class_hist_ptr not writable
 *   EINVAL      its hdr, pad or reserved_in; depth above
 *               DMABENCH_MAX_DEPTH; unknown order or hold; order random
 *               with depth below 2; hold_ns above 1 s, or 0 with a hold
 *               law, or set with run.dma_trans_ns; map_threads without
 *               unmap_threads (or the reverse), or their sum not threads;
 *               footprint above DMABENCH_MAX_FOOTPRINT; nsizes above
 *               DMABENCH_MAX_SIZES, a size 0 or above DMABENCH_MAX_SIZE,
 *               a weight 0, sizes or weights set beyond nsizes;
 *               class_hist_ptr and class_hist_bytes not both set, without
 *               a mix, or class_hist_bytes below nsizes x nphases x BUCKETS
 *               x 8; a size mix for a test without DMABENCH_FIELD_SIZE_MIX;
 *               hold_ns for a test without DMABENCH_FIELD_DMA_TRANS; batch
 *               above 1 with depth, order, a hold law, pairs or a mix
 * A footprint that does not fit (IOVA space, swiotlb) is a result:
 * footprint_mapped says what it held.
 * A failed allocation inside a run is counted in errors, not an ioctl error.
 * IOMMU_RUN (and RUN of an IOMMU test), EXHAUST, ISOLATE add:
 *   EINVAL      IOMMU_RUN of a test that does not take its parameters
 *               (fields= without DMABENCH_FIELD_IOMMU); scope,
 *               flush or what unknown; flush_n above 65536 or (strict) above
 *               1; iova_bits not 0 or 32 .. 64; live above
 *               DMABENCH_MAX_LIVE; ndevices above DMABENCH_MAX_DEVICES; a
 *               device named twice; pad/reserved not 0; run.dma_mask_bits
 *               set; exhaust: size above 4 MiB, mask_bits not 0 or 12 .. 64,
 *               max_count above DMABENCH_EXHAUST_MAX_COUNT, costs_len set
 *               without costs_ptr; isolate: fewer than 2 edu devices, len
 *               above 2048
 *   EFAULT      devices_ptr or costs_ptr not readable/writable
 *   ENODEV      "all" and no device behind an IOMMU is bound to dmabench
 *   EOPNOTSUPP  a device is not behind an IOMMU (no IOMMU group, e.g.
 *               dmabench.0), or (IOVA_DMA) not in an IOMMU DMA domain;
 *               isolate: a device is not an edu
 *   EBUSY       the device's IOMMU group is in use by another driver
 *               (another device of the group is bound elsewhere)
 *   EXDEV       isolate: the devices are behind different IOMMU instances
 * A refusal found by EXHAUST is a result (error, result flags), not an
 * ioctl error.
 * A run stopped by a signal or by unbinding the device still returns 0 and
 * its results, with status INTERRUPTED or DEVICE_GONE (IOMMU_RUN: any of
 * its devices).
 */
#define DMABENCH_IOC_MAGIC	0xDB
#define DMABENCH_IOC_INFO	_IOWR(DMABENCH_IOC_MAGIC, 0, struct dmabench_info)
#define DMABENCH_IOC_RUN	_IOWR(DMABENCH_IOC_MAGIC, 1, struct dmabench_run)
#define DMABENCH_IOC_VERIFY	_IOWR(DMABENCH_IOC_MAGIC, 2, struct dmabench_verify)
#define DMABENCH_IOC_IOMMU_RUN	_IOWR(DMABENCH_IOC_MAGIC, 3, struct dmabench_iommu_run)
#define DMABENCH_IOC_EXHAUST	_IOWR(DMABENCH_IOC_MAGIC, 4, struct dmabench_exhaust)
#define DMABENCH_IOC_ISOLATE	_IOWR(DMABENCH_IOC_MAGIC, 5, struct dmabench_isolate)

/*
 * The "devices" file: one line per device the module drives, fields
 * separated by single spaces:
 *   NAME BUS DMA_OPS DOMAIN COHERENT DMA_MASK_BITS EDU RUNNING
 * BUS is pci|platform, DMA_OPS direct|iommu|ops, DOMAIN
 * none|identity|DMA|DMA-FQ|unmanaged|blocked|other, COHERENT yes|no,
 * EDU yes|no (can verify), RUNNING yes|no.  While an IOMMU test, EXHAUST or
 * ISOLATE holds a device, DOMAIN shows unmanaged (or blocked between two
 * domains); afterwards the device is back in its default domain.
 */

#endif /* DMABENCH_ABI_H */
