// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * --perf helpers: PMU event specs against format files (a fake sysfs PMU
 * via $DMABENCH_SYSROOT), and perf_open() never failing the run: it
 * either opens counters or says in its note why not.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fakemod.h"
#include "testutil.h"
#include "util/perf.h"

#define FORMAT "sys/bus/event_source/devices/smmuv3_pmcg_0/format"

int main(void)
{
	const char *pmu = "/sys/bus/event_source/devices/smmuv3_pmcg_0";
	uint64_t cfg[3];
	struct perf_counters p;
	uint64_t cpus[16] = { 1 };
	unsigned n;

	if (fake_mkdtemp("perf"))
		return 99;
	make_dirs(FORMAT);
	write_file(FORMAT "/event", "config:0-15\n");
	write_file(FORMAT "/filter_enable", "config1:33\n");
	write_file(FORMAT "/filter_span", "config1:32\n");
	write_file(FORMAT "/event_group", "config:16-19\n");

	CHECK(perf_parse_event(pmu, "event=0x02", cfg) == 0 && cfg[0] == 2 &&
	      cfg[1] == 0, "event=0x02: %llx", (unsigned long long)cfg[0]);
	CHECK(perf_parse_event(pmu, "event=0x1,filter_enable=1,filter_span",
			       cfg) == 0 && cfg[0] == 1 &&
	      cfg[1] == (3ULL << 32), "filters: %llx %llx",
	      (unsigned long long)cfg[0], (unsigned long long)cfg[1]);
	CHECK(perf_parse_event(pmu, "event_group=0x3,event=0x10001", cfg) ==
	      0 && cfg[0] == (0x30000 | 0x0001), "masking: %llx",
	      (unsigned long long)cfg[0]);
	CHECK(perf_parse_event(pmu, "nosuch=1", cfg) == -1, "unknown term");

	/* the real machine: counters or a note, never a failure */
	unsetenv("DMABENCH_SYSROOT");
	n = perf_open(&p, cpus, 16);
	CHECK(n > 0 || p.note[0], "no counters and no note");
	perf_start(&p);
	perf_stop(&p);
	perf_close(&p);
	CHECK(p.nfds == 0 && !p.fds, "closed");

	fake_rmtree();
	return test_report();
}
