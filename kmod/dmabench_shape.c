// SPDX-License-Identifier: GPL-2.0
/*
 * The traffic shape of a DMA-API run (run.shape_ptr, struct
 * dmabench_shape): copied in and checked with the run (one line per bad
 * value), and the footprint: untimed mappings that stay in place while
 * the timed ops run, so that those meet realistic IOVA-tree and
 * page-table sizes.  The footprint maps one buffer again and again (each
 * mapping its own IOVA range) and is unmapped on every path.
 *
 * A fixed hold is the tests' simulated transfer (dma_trans_ns).  depth,
 * order, hold distributions, pairs and the size mix need the engine's
 * phase callbacks (per-slot make/release): until the engine runs them, a
 * run that asks for them is refused with EOPNOTSUPP and says so.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/dma-mapping.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "compat.h"
#include "dmabench.h"

#define SHAPE_MAX_HOLD_NS	NSEC_PER_SEC

static int shape_check_mix(const struct dmabench_shape *s)
{
	unsigned int i;

	if (s->nsizes > DMABENCH_MAX_SIZES) {
		pr_err_ratelimited("run: shape nsizes %u is above %u: use at most %u size classes\n",
				   s->nsizes, DMABENCH_MAX_SIZES,
				   DMABENCH_MAX_SIZES);
		return -EINVAL;
	}
	for (i = 0; i < DMABENCH_MAX_SIZES; i++) {
		if (i >= s->nsizes) {
			if (s->sizes[i] || s->weights[i]) {
				pr_err_ratelimited("run: shape sizes[%u]/weights[%u] set beyond nsizes %u: clear them or raise nsizes\n",
						   i, i, s->nsizes);
				return -EINVAL;
			}
			continue;
		}
		if (!s->sizes[i] || s->sizes[i] > DMABENCH_MAX_SIZE) {
			pr_err_ratelimited("run: shape sizes[%u] %llu out of range: use 1 .. %llu bytes\n",
					   i, s->sizes[i], DMABENCH_MAX_SIZE);
			return -EINVAL;
		}
		if (!s->weights[i]) {
			pr_err_ratelimited("run: shape weights[%u] is 0: every size class needs a weight above 0 (or leave it out)\n",
					   i);
			return -EINVAL;
		}
	}
	if (!s->class_hist_ptr != !s->class_hist_bytes) {
		pr_err_ratelimited("run: shape class_hist_ptr and class_hist_bytes go together: set both or neither\n");
		return -EINVAL;
	}
	if (s->class_hist_ptr && !s->nsizes) {
		pr_err_ratelimited("run: shape class_hist_ptr without a size mix (nsizes 0): leave it 0\n");
		return -EINVAL;
	}
	return 0;
}

static int shape_check_flow(const struct dmabench_shape *s,
			    const struct dmabench_run *r)
{
	if (s->depth > DMABENCH_MAX_DEPTH) {
		pr_err_ratelimited("run: shape depth %u is above %u: use 0 (one mapping) .. %u\n",
				   s->depth, DMABENCH_MAX_DEPTH,
				   DMABENCH_MAX_DEPTH);
		return -EINVAL;
	}
	if (s->order > DMABENCH_ORDER_RANDOM) {
		pr_err_ratelimited("run: unknown shape order %u: use 0 fifo or 1 random\n",
				   s->order);
		return -EINVAL;
	}
	if (s->order == DMABENCH_ORDER_RANDOM && s->depth <= 1) {
		pr_err_ratelimited("run: shape order random with depth %u: a random unmap order needs depth 2 or more\n",
				   s->depth);
		return -EINVAL;
	}
	if (s->hold > DMABENCH_HOLD_EXPONENTIAL) {
		pr_err_ratelimited("run: unknown shape hold %u: use 0 fixed, 1 uniform or 2 exponential\n",
				   s->hold);
		return -EINVAL;
	}
	if (s->hold_ns > SHAPE_MAX_HOLD_NS) {
		pr_err_ratelimited("run: shape hold_ns %u is above 1 s: use a shorter hold\n",
				   s->hold_ns);
		return -EINVAL;
	}
	if (s->hold != DMABENCH_HOLD_FIXED && !s->hold_ns) {
		pr_err_ratelimited("run: shape hold %s needs a mean: set hold_ns\n",
				   s->hold == DMABENCH_HOLD_UNIFORM ? "uniform" :
				   "exponential");
		return -EINVAL;
	}
	if (s->hold_ns && r->dma_trans_ns) {
		pr_err_ratelimited("run: shape hold_ns and dma_trans_ns both set: the hold replaces dma_trans_ns, set one\n");
		return -EINVAL;
	}
	if (!s->map_threads != !s->unmap_threads) {
		pr_err_ratelimited("run: shape map_threads %u and unmap_threads %u: pairs need both above 0 (or both 0)\n",
				   s->map_threads, s->unmap_threads);
		return -EINVAL;
	}
	if (s->map_threads &&
	    (u64)s->map_threads + s->unmap_threads != r->threads) {
		pr_err_ratelimited("run: shape map_threads %u + unmap_threads %u is not threads %u: make them add up\n",
				   s->map_threads, s->unmap_threads,
				   r->threads);
		return -EINVAL;
	}
	if (s->footprint > DMABENCH_MAX_FOOTPRINT) {
		pr_err_ratelimited("run: shape footprint %llu is above %llu bytes: use a smaller footprint\n",
				   s->footprint, DMABENCH_MAX_FOOTPRINT);
		return -EINVAL;
	}
	return 0;
}

/*
 * What this module runs of @s (checked): the footprint and a fixed hold.
 * The rest needs the engine's per-slot phases.
 */
static int shape_supported(const struct dmabench_shape *s)
{
	const char *what = NULL;

	if (s->depth > 1)
		what = "depth";
	else if (s->hold != DMABENCH_HOLD_FIXED)
		what = "a hold distribution (uniform, exponential)";
	else if (s->map_threads)
		what = "pairs (map_threads, unmap_threads)";
	else if (s->nsizes)
		what = "a size mix";
	if (!what)
		return 0;
	pr_err_ratelimited("run: shape %s is not run by this module yet (it comes with the engine's per-slot phases): leave it unset; footprint and a fixed hold work\n",
			   what);
	return -EOPNOTSUPP;
}

/*
 * Copy run.shape_ptr into @s and check it for @test (whose fields took
 * shape_ptr); one pr_err line per bad value.  No shape_ptr: @s all zero
 * (today's shape).  The output fields are zeroed, as the ioctl front
 * does for the run's.
 */
int dmabench_shape_get(const struct dmabench_run *r,
		       const struct dmabench_test *test, struct dmabench_shape *s)
{
	int ret;

	memset(s, 0, sizeof(*s));
	if (!r->shape_ptr)
		return 0;
	if (copy_from_user(s, u64_to_user_ptr(r->shape_ptr), sizeof(*s))) {
		pr_err_ratelimited("run: shape_ptr 0x%llx is not a readable struct dmabench_shape\n",
				   r->shape_ptr);
		return -EFAULT;
	}
	ret = dmabench_check_hdr(&s->hdr, sizeof(*s), "run: shape");
	if (ret)
		return ret;
	if (s->pad || memchr_inv(s->reserved_in, 0, sizeof(s->reserved_in))) {
		pr_err_ratelimited("run: shape pad and reserved_in must be 0: clear the structure first\n");
		return -EINVAL;
	}
	memset((char *)s + offsetof(struct dmabench_shape, class_ops), 0,
	       sizeof(*s) - offsetof(struct dmabench_shape, class_ops));
	ret = shape_check_flow(s, r);
	if (!ret)
		ret = shape_check_mix(s);
	if (ret)
		return ret;
	if (s->nsizes && !(test->fields & DMABENCH_FIELD_SIZE_MIX)) {
		pr_err_ratelimited("run: test %s does not take a size mix (fields=0x%x in the tests file): leave nsizes 0\n",
				   test->name, test->fields);
		return -EINVAL;
	}
	if (s->hold_ns && !(test->fields & DMABENCH_FIELD_DMA_TRANS)) {
		pr_err_ratelimited("run: test %s holds no mapping between two phases: leave hold_ns 0\n",
				   test->name);
		return -EINVAL;
	}
	return shape_supported(s);
}

/* Copy the shape's results to the caller's struct. */
int dmabench_shape_put(const struct dmabench_run *r,
		       const struct dmabench_shape *s)
{
	const size_t off = offsetof(struct dmabench_shape, class_ops);

	if (!r->shape_ptr)
		return 0;
	if (copy_to_user((char __user *)u64_to_user_ptr(r->shape_ptr) + off,
			 (const char *)s + off, sizeof(*s) - off))
		return -EFAULT;
	return 0;
}

/*
 * Map @bytes in mappings of the run's size (p->size, whole pages) of one
 * buffer, untimed, before the threads start.  Stops early (and keeps what
 * it has: footprint_mapped says so) when a mapping fails, on a signal or
 * when the device is being unbound; only out of memory for the handles
 * is an error.
 */
int dmabench_footprint_map(struct dmabench_footprint *fp,
			   const struct dmabench_params *p, u64 bytes,
			   const bool *stop)
{
	const unsigned long attrs = DMA_ATTR_SKIP_CPU_SYNC | DMA_ATTR_NO_WARN;
	unsigned long i;
	dma_addr_t a;

	memset(fp, 0, sizeof(*fp));
	if (!bytes)
		return 0;
	fp->len = PAGE_ALIGN(min_t(u64, p->size, bytes));
	fp->order = get_order(fp->len);
	fp->n = div64_u64(bytes + fp->len - 1, fp->len);
	fp->addr = kvmalloc_array(fp->n, sizeof(*fp->addr), GFP_KERNEL);
	if (!fp->addr) {
		pr_err("run: no memory for the %lu handles of the footprint: use a smaller footprint or larger buffers\n",
		       fp->n);
		return -ENOMEM;
	}
	fp->page = dmabench_alloc_reachable(p, fp->order, fp->len);
	if (IS_ERR_OR_NULL(fp->page)) {
		int ret = fp->page ? PTR_ERR(fp->page) : -ENOMEM;

		fp->page = NULL;
		kvfree(fp->addr);
		fp->addr = NULL;
		pr_err("run: no buffer of %zu bytes for the footprint the device can reach: %pe\n",
		       fp->len, ERR_PTR(ret));
		return ret;
	}
	for (i = 0; i < fp->n; i++) {
		if (READ_ONCE(*stop) || signal_pending(current))
			break;
		a = dma_map_page_attrs(p->dev, fp->page, 0, fp->len, p->dir,
				       attrs);
		if (dma_mapping_error(p->dev, a)) {
			dev_info_ratelimited(p->dev, "run: footprint: mapping %lu of %lu failed (IOVA space or swiotlb full): holding %llu bytes\n",
					     i + 1, fp->n, (u64)i * fp->len);
			break;
		}
		fp->addr[fp->mapped++] = a;
		cond_resched();
	}
	return 0;
}

/* Unmap and free everything dmabench_footprint_map() made. */
void dmabench_footprint_unmap(struct dmabench_footprint *fp,
			      const struct dmabench_params *p)
{
	unsigned long i;

	for (i = 0; i < fp->mapped; i++) {
		dma_unmap_page_attrs(p->dev, fp->addr[i], fp->len, p->dir,
				     DMA_ATTR_SKIP_CPU_SYNC);
		cond_resched();
	}
	fp->mapped = 0;
	if (fp->page)
		__free_pages(fp->page, fp->order);
	fp->page = NULL;
	kvfree(fp->addr);
	fp->addr = NULL;
}
