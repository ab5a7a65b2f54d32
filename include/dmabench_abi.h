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
 *
 * Text files beside control (read them with cat):
 *   devices  one line per device the module drives (see DMABENCH_DEVICES_*)
 *   tests    one line per test: name and its phase names
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

#define DMABENCH_ABI_VERSION	1

#define DMABENCH_DEBUGFS_DIR	"dmabench"
#define DMABENCH_CONTROL	"control"

#define DMABENCH_NAME_LEN	64	/* device names: PCI BDF or platform name */
#define DMABENCH_TEST_LEN	32
#define DMABENCH_PHASE_LEN	16
#define DMABENCH_MAX_PHASES	8
#define DMABENCH_MAX_CPUS	1024	/* bits in dmabench_run.cpus */
#define DMABENCH_MAX_THREADS	1024
#define DMABENCH_MAX_SIZE	(64ULL << 20)	/* largest buffer per thread */

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
	__u32 flags;			/* none defined yet: must be 0 */
	__u32 dir;			/* enum dmabench_dir */
	__u64 buf_size;			/* bytes, 1 .. DMABENCH_MAX_SIZE */
	__u32 threads;			/* 1 .. DMABENCH_MAX_THREADS */
	__s32 node;			/* NUMA node for threads+buffers, -1 any */
	__u64 cpus[DMABENCH_MAX_CPUS / 64];	/* thread i runs on the i-th
						 * set CPU (round robin); all
						 * zero = no binding */
	__u64 duration_ns;		/* stop after this long ... */
	__u64 iterations;		/* ... or this many ops per thread */
	__u32 dma_trans_ns;		/* simulated transfer between map/unmap */
	__u32 dma_mask_bits;		/* 0 = keep the device's mask */
	__u64 hist_ptr;			/* user buffer: nphases x BUCKETS __u64 */
	__u64 hist_bytes;		/* its size in bytes */
	__u64 thread_ops_ptr;		/* optional: threads x __u64 ops done */
	__u64 reserved_in[8];		/* must be 0 */
	/* out */
	__u32 status;			/* DMABENCH_STATUS_* */
	__u32 nphases;
	__u64 elapsed_ns;		/* wall time from start barrier to end */
	__u64 timer_overhead_ps;	/* cost of one clock read, picoseconds */
	__u64 errors;			/* failed mappings (counted, not timed) */
	struct dmabench_phase phase[DMABENCH_MAX_PHASES];
	__u64 reserved_out[8];
};

/* DMABENCH_IOC_VERIFY: prove a mapping with real device DMA (QEMU edu) */
struct dmabench_verify {
	struct dmabench_hdr hdr;
	/* in */
	char device[DMABENCH_NAME_LEN];
	__u32 flags;			/* must be 0 */
	__u32 len;			/* bytes per transfer, 0 = default */
	__u64 reserved_in[4];
	/* out */
	__u32 passed;			/* 1 if both directions matched */
	__u32 mismatch_offset;		/* first differing byte if not */
	__u64 dma_addr_to_dev;		/* the addresses the device used */
	__u64 dma_addr_from_dev;
	__u64 reserved_out[4];
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
 * A run stopped by a signal or by unbinding the device still returns 0 and
 * its results, with status INTERRUPTED or DEVICE_GONE.
 */
#define DMABENCH_IOC_MAGIC	0xDB
#define DMABENCH_IOC_INFO	_IOWR(DMABENCH_IOC_MAGIC, 0, struct dmabench_info)
#define DMABENCH_IOC_RUN	_IOWR(DMABENCH_IOC_MAGIC, 1, struct dmabench_run)
#define DMABENCH_IOC_VERIFY	_IOWR(DMABENCH_IOC_MAGIC, 2, struct dmabench_verify)

/*
 * The "devices" file: one line per device the module drives, fields
 * separated by single spaces:
 *   NAME BUS DMA_OPS DOMAIN COHERENT DMA_MASK_BITS EDU RUNNING
 * BUS is pci|platform, DMA_OPS direct|iommu|ops, DOMAIN
 * none|identity|DMA|DMA-FQ|unmanaged|blocked|other, COHERENT yes|no,
 * EDU yes|no (can verify), RUNNING yes|no.
 */

#endif /* DMABENCH_ABI_H */
