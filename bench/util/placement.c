// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Resolve --cpus / --node with libnuma into the ABI cpus[] bitmap. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <numa.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/parse.h"
#include "util/placement.h"
#include "util/sysfs.h"

/*
 * libnuma prints its parse warnings on stderr; it documents numa_warn() as
 * replaceable.  Keep the text so our one-line error can include it.
 */
static char numa_last_warning[160];

void numa_warn(int num, char *fmt, ...)
{
	va_list ap;

	(void)num;
	va_start(ap, fmt);
	vsnprintf(numa_last_warning, sizeof(numa_last_warning), fmt, ap);
	va_end(ap);
	numa_last_warning[strcspn(numa_last_warning, "\n")] = '\0';
}

void placement_any(struct placement *p)
{
	memset(p, 0, sizeof(*p));
	p->node = -1;
	snprintf(p->desc, sizeof(p->desc), "any");
}

/* Copy a libnuma CPU mask into the ABI bitmap; -1 if a CPU is too high. */
static int mask_to_bits(struct placement *p, struct bitmask *mask)
{
	unsigned long nbits = mask->size;

	memset(p->cpus, 0, sizeof(p->cpus));
	p->ncpus = 0;
	for (unsigned long i = 0; i < nbits; i++) {
		if (!numa_bitmask_isbitset(mask, (unsigned int)i))
			continue;
		if (i >= DMABENCH_MAX_CPUS)
			return -1;
		p->cpus[i / 64] |= 1ULL << (i % 64);
		p->ncpus++;
	}
	return 0;
}

/* CPUs in @want that are not online; 0 if we cannot tell. */
static int first_offline_cpu(struct bitmask *want)
{
	char online[1024];
	struct bitmask *on;
	int bad = -1;

	if (sysfile_read(online, sizeof(online), "/sys/devices/system/cpu/online"))
		return -1;
	on = numa_parse_cpustring_all(online);
	if (!on)
		return -1;
	for (unsigned long i = 0; i < want->size && bad < 0; i++)
		if (numa_bitmask_isbitset(want, (unsigned int)i) &&
		    (i >= on->size || !numa_bitmask_isbitset(on, (unsigned int)i)))
			bad = (int)i;
	numa_bitmask_free(on);
	return bad;
}

int placement_from_cpus(struct placement *p, const char *list,
			char *err, size_t errlen)
{
	struct bitmask *mask;
	char cpus[128];
	int off;

	placement_any(p);
	if (!*list) {
		snprintf(err, errlen, "empty CPU list");
		return -1;
	}
	numa_last_warning[0] = '\0';
	mask = numa_parse_cpustring_all(list);
	if (!mask) {
		snprintf(err, errlen, "not a valid CPU list%s%s",
			 numa_last_warning[0] ? ": " : "", numa_last_warning);
		return -1;
	}
	if (numa_bitmask_weight(mask) == 0) {
		snprintf(err, errlen, "no CPU in the list");
		numa_bitmask_free(mask);
		return -1;
	}
	off = first_offline_cpu(mask);
	if (off >= 0) {
		snprintf(err, errlen, "CPU %d is offline", off);
		numa_bitmask_free(mask);
		return -1;
	}
	if (mask_to_bits(p, mask)) {
		snprintf(err, errlen, "CPU numbers above %d are not supported",
			 DMABENCH_MAX_CPUS - 1);
		numa_bitmask_free(mask);
		return -1;
	}
	numa_bitmask_free(mask);
	snprintf(p->desc, sizeof(p->desc), "cpus %s",
		 format_cpulist(p->cpus, PLACEMENT_WORDS, cpus, sizeof(cpus)));
	return 0;
}

int placement_from_node(struct placement *p, const char *node,
			char *err, size_t errlen)
{
	struct bitmask *mask;
	char cpus[128];
	uint64_t n;
	int max;

	placement_any(p);
	if (numa_available() < 0) {
		snprintf(err, errlen, "NUMA is not available on this system");
		return -1;
	}
	if (parse_u64(node, &n)) {
		snprintf(err, errlen, "not a node number");
		return -1;
	}
	max = numa_max_node();
	if (n > (uint64_t)max ||
	    !numa_bitmask_isbitset(numa_nodes_ptr, (unsigned int)n)) {
		snprintf(err, errlen, "no such NUMA node (nodes: 0-%d)", max);
		return -1;
	}
	mask = numa_allocate_cpumask();
	if (!mask || numa_node_to_cpus((int)n, mask) < 0) {
		snprintf(err, errlen, "cannot read the CPUs of node %llu",
			 (unsigned long long)n);
		numa_free_cpumask(mask);
		return -1;
	}
	if (mask_to_bits(p, mask)) {
		snprintf(err, errlen, "node has CPUs above %d",
			 DMABENCH_MAX_CPUS - 1);
		numa_free_cpumask(mask);
		return -1;
	}
	numa_free_cpumask(mask);
	p->node = (int)n;
	/* a memory-only node leaves cpus[] empty: threads float */
	snprintf(p->desc, sizeof(p->desc), "node %d (cpus %s)", p->node,
		 p->ncpus ? format_cpulist(p->cpus, PLACEMENT_WORDS, cpus,
					   sizeof(cpus)) : "any");
	return 0;
}
