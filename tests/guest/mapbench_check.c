// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * mapbench_check: run in a guest with dmabench.ko loaded and one device
 * bound to the "dma_map_benchmark" driver.  The kernel's tool checks its
 * arguments before the ioctl, so the kernel side's own checks are reached
 * only from here: every bad DMA_MAP_BENCHMARK input must give the errno of
 * kernel/dma/map_benchmark.c, and a valid 1-second run in each layout (136
 * and 64 bytes) and mode must return a result.
 *
 * Usage: mapbench_check
 * Prints "PASS name" or "FAIL name: why" per case, then "N passed, N
 * failed"; exits 1 on any failure, 2 if it cannot start.
 *
 * Build: gcc -std=c11 -static -Wall -Wextra -o mapbench_check \
 *            tests/guest/mapbench_check.c
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define MAPBENCH_FILE	"/sys/kernel/debug/dma_map_benchmark"

/* The kernel's struct map_benchmark (include/uapi/linux/map_benchmark.h). */
struct map_benchmark {
	uint64_t avg_map_100ns;
	uint64_t map_stddev;
	uint64_t avg_unmap_100ns;
	uint64_t unmap_stddev;
	uint32_t threads;
	uint32_t seconds;
	int32_t node;
	uint32_t dma_bits;
	uint32_t dma_dir;
	uint32_t dma_trans_ns;
	uint32_t granule;
	uint8_t map_mode;
	uint8_t expansion[75];
};

_Static_assert(sizeof(struct map_benchmark) == 136, "136-byte layout");

#define DMA_MAP_BENCHMARK	_IOWR('d', 1, struct map_benchmark)
/*
 * 6.0 .. the 2025 padding fix: the same fields up to granule, no map_mode,
 * no expansion[]: 64 bytes; the kernel reads and writes only those.
 */
#define MAP_BENCHMARK_64_SIZE	64
#define DMA_MAP_BENCHMARK_64	_IOC(_IOC_READ | _IOC_WRITE, 'd', 1, \
				     MAP_BENCHMARK_64_SIZE)

static int fd = -1;
static unsigned int npass, nfail;

static void good(struct map_benchmark *m)
{
	memset(m, 0, sizeof(*m));
	m->threads = 1;
	m->seconds = 1;
	m->node = -1;
	m->dma_bits = 32;
	m->granule = 1;
}

static void result(const char *name, int ok, const char *why)
{
	if (ok) {
		printf("PASS %s\n", name);
		npass++;
	} else {
		printf("FAIL %s: %s\n", name, why);
		nfail++;
	}
}

/* expect_errno NAME ARG: the ioctl must fail with errno @want */
static void expect(const char *name, unsigned long cmd, void *arg, int want)
{
	char why[128];
	int rc = ioctl(fd, cmd, arg);
	int e = errno;

	snprintf(why, sizeof(why), "got %s, expected %s",
		 rc ? strerror(e) : "success", strerror(want));
	result(name, rc && e == want, why);
}

static void expect_run(const char *name, unsigned long cmd, void *arg,
		       const uint64_t *avg_map)
{
	char why[160];
	int rc = ioctl(fd, cmd, arg);

	snprintf(why, sizeof(why), "%s", rc ? strerror(errno) :
		 "the result has no map average (0)");
	/* TCG maps take microseconds: an average of 0 x 100 ns is no result */
	result(name, !rc && *avg_map > 0, why);
	if (!rc)
		printf("INFO %s: average map %.1f us\n", name, *avg_map / 10.0);
}

int main(void)
{
	struct map_benchmark m;

	fd = open(MAPBENCH_FILE, O_RDWR);
	if (fd < 0) {
		fprintf(stderr, "mapbench_check: cannot open %s: %s (bind a device to dma_map_benchmark first)\n",
			MAPBENCH_FILE, strerror(errno));
		return 2;
	}

	good(&m); m.threads = 0;
	expect("threads_0", DMA_MAP_BENCHMARK, &m, EINVAL);
	good(&m); m.threads = 1025;
	expect("threads_1025", DMA_MAP_BENCHMARK, &m, EINVAL);
	good(&m); m.seconds = 0;
	expect("seconds_0", DMA_MAP_BENCHMARK, &m, EINVAL);
	good(&m); m.seconds = 301;
	expect("seconds_301", DMA_MAP_BENCHMARK, &m, EINVAL);
	good(&m); m.dma_trans_ns = 10000001;
	expect("trans_delay_over_10ms", DMA_MAP_BENCHMARK, &m, EINVAL);
	good(&m); m.node = 4096;
	expect("node_4096", DMA_MAP_BENCHMARK, &m, EINVAL);
	good(&m); m.node = -2;
	expect("node_minus_2", DMA_MAP_BENCHMARK, &m, EINVAL);
	good(&m); m.granule = 0;
	expect("granule_0", DMA_MAP_BENCHMARK, &m, EINVAL);
	good(&m); m.granule = 1025;
	expect("granule_1025", DMA_MAP_BENCHMARK, &m, EINVAL);
	good(&m); m.dma_dir = 3;
	expect("dir_3", DMA_MAP_BENCHMARK, &m, EINVAL);
	good(&m); m.map_mode = 2;
	expect("map_mode_2", DMA_MAP_BENCHMARK, &m, EINVAL);
	expect("bad_pointer", DMA_MAP_BENCHMARK, (void *)16, EFAULT);
	good(&m);
	expect("unknown_cmd", _IOWR('d', 2, struct map_benchmark), &m, EINVAL);
	good(&m); m.threads = 0;
	expect("short_threads_0", DMA_MAP_BENCHMARK_64, &m, EINVAL);

	good(&m);
	expect_run("run_single", DMA_MAP_BENCHMARK, &m, &m.avg_map_100ns);
	good(&m); m.map_mode = 1; m.granule = 4;
	expect_run("run_sg_4", DMA_MAP_BENCHMARK, &m, &m.avg_map_100ns);
	good(&m); m.threads = 2; m.dma_dir = 2; m.dma_trans_ns = 1000;
	expect_run("run_2_threads_from_device", DMA_MAP_BENCHMARK, &m,
		   &m.avg_map_100ns);
	/* the 64-byte layout: single mode whatever follows granule */
	good(&m);
	m.map_mode = 0xff;	/* padding in the 64-byte layout: ignored */
	m.expansion[70] = 0x5a;	/* past the 64 bytes: never written */
	expect_run("run_short_layout", DMA_MAP_BENCHMARK_64, &m,
		   &m.avg_map_100ns);
	result("short_layout_writes_64_bytes",
	       m.map_mode == 0xff && m.expansion[70] == 0x5a,
	       "the 64-byte ioctl changed bytes past granule");

	printf("%u passed, %u failed\n", npass, nfail);
	close(fd);
	return nfail ? 1 : 0;
}
