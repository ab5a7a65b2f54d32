// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * --cpus / --node resolution through libnuma into the ABI cpus[] bitmap,
 * checked against this machine's online CPUs.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <numa.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"
#include "util/parse.h"
#include "util/placement.h"
#include "util/sysfs.h"

static void bad_cpus(const char *list)
{
	struct placement p;
	char err[160] = "";

	CHECK(placement_from_cpus(&p, list, err, sizeof(err)) == -1 && err[0],
	      "'%s' accepted", list);
	CHECK(p.ncpus == 0 && p.node == -1, "'%s': placement not reset", list);
}

static void test_cpus(void)
{
	long online = sysconf(_SC_NPROCESSORS_ONLN);
	char list[1024], err[160], buf[1024];
	struct placement p;
	int r;

	r = placement_from_cpus(&p, "0", err, sizeof(err));
	CHECK(r == 0 && p.ncpus == 1 && p.cpus[0] == 1 && p.node == -1,
	      "cpu 0: %s", r ? err : "");
	CHECK(!strcmp(p.desc, "cpus 0"), "desc '%s'", p.desc);

	/* the kernel's own online list must round-trip exactly */
	if (!sysfile_read(list, sizeof(list), "/sys/devices/system/cpu/online")) {
		r = placement_from_cpus(&p, list, err, sizeof(err));
		CHECK(r == 0 && (long)p.ncpus == online,
		      "online '%s': %s, %u cpus, want %ld", list,
		      r ? err : "ok", p.ncpus, online);
		format_cpulist(p.cpus, PLACEMENT_WORDS, buf, sizeof(buf));
		CHECK(!strcmp(buf, list), "'%s' -> '%s'", list, buf);
	}
	if (online >= 2) {
		r = placement_from_cpus(&p, "1,0", err, sizeof(err));
		CHECK(r == 0 && p.ncpus == 2 && p.cpus[0] == 3, "1,0");
		r = placement_from_cpus(&p, "0-1", err, sizeof(err));
		CHECK(r == 0 && p.ncpus == 2 && p.cpus[0] == 3 &&
		      !strcmp(p.desc, "cpus 0-1"), "0-1: %s", p.desc);
	}

	bad_cpus("");
	bad_cpus("abc");
	bad_cpus("-1");
	bad_cpus("0-");
	bad_cpus(",");
	snprintf(list, sizeof(list), "%d", numa_num_possible_cpus());
	bad_cpus(list);		/* one past the last possible CPU */
	bad_cpus("99999");
	bad_cpus("0,99999");
}

static void test_node(void)
{
	struct placement p;
	char err[160] = "", buf[32];
	int r;

	if (numa_available() < 0) {
		r = placement_from_node(&p, "0", err, sizeof(err));
		CHECK(r == -1 && strstr(err, "NUMA"), "no NUMA: %s", err);
		return;
	}
	r = placement_from_node(&p, "0", err, sizeof(err));
	CHECK(r == 0 && p.node == 0, "node 0: %s", err);
	CHECK(!strncmp(p.desc, "node 0", 6), "desc '%s'", p.desc);
	snprintf(buf, sizeof(buf), "%d", numa_max_node() + 1);
	r = placement_from_node(&p, buf, err, sizeof(err));
	CHECK(r == -1 && strstr(err, "no such NUMA node"), "node %s: %s", buf,
	      err);
	CHECK(p.node == -1, "failed --node must leave node -1");
	CHECK(placement_from_node(&p, "x", err, sizeof(err)) == -1, "x");
	CHECK(placement_from_node(&p, "-1", err, sizeof(err)) == -1, "-1");
	CHECK(placement_from_node(&p, "", err, sizeof(err)) == -1, "empty");
}

int main(void)
{
	test_cpus();
	test_node();
	return test_report();
}
