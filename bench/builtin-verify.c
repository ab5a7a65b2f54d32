// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * dmabench verify: have QEMU's edu device copy a buffer through a fresh
 * mapping in both directions (DMABENCH_IOC_VERIFY), proving that the IOVA
 * the DMA API returned really reaches the memory behind it.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "builtin.h"
#include "util/cli.h"
#include "util/ctl.h"
#include "util/iommuopt.h"
#include "util/parse.h"

/* the edu device's buffer is 4 KiB; the module takes up to 4095 bytes */
#define EDU_MAX_LEN	4095

static const char verify_usage[] =
	"usage: dmabench verify [--device DEV|all] [--len BYTES]\n"
	"       dmabench verify --scope per-device|per-instance [--device LIST|all]\n\n"
	"  -d, --device DEV   an edu device bound to dmabench, or 'all' (the\n"
	"                     default: every edu device the module drives)\n"
	"  -l, --len BYTES    bytes per transfer, 1..4095 (default: the "
	"module's)\n"
	"      --scope SCOPE  prove domain isolation with edu DMA (2+ edu devices\n"
	"                     behind one IOMMU; LIST: names separated by ','):\n"
	"                     per-device: DMA to an IOVA mapped only in another\n"
	"                     device's domain is blocked, the target unchanged;\n"
	"                     per-instance: every device DMAs through the shared\n"
	"                     domain\n\n"
	"Prints one PASS/FAIL line per device (per check with --scope); exits 0\n"
	"only if all pass.\n";

/* --scope: DMABENCH_IOC_ISOLATE; 0 pass, 1 fail or error. */
static int verify_scope(int fd, const char *device, uint32_t scope,
			uint32_t len)
{
	struct dmabench_isolate v;
	struct ctl_error_ctx ctx = {
		.device = device, .iommu = 1, .isolate = 1
	};
	devname_t *devs = NULL;
	size_t ndevs = 0;
	char why[256];
	int bad;

	memset(&v, 0, sizeof(v));
	v.hdr.version = DMABENCH_ABI_VERSION;
	v.hdr.size = sizeof(v);
	if (parse_device_list(device, &devs, &ndevs, why, sizeof(why)))
		return fail("bad --device '%s': %s", device, why);
	str_copy(v.device, sizeof(v.device), device);
	v.scope = scope;
	v.len = len;
	v.ndevices = (uint32_t)ndevs;
	v.devices_ptr = (uint64_t)(uintptr_t)devs;
	if (ioctl(fd, DMABENCH_IOC_ISOLATE, &v) < 0) {
		printf("%s %s: ERROR %s\n", scope_name(scope), device,
		       ctl_ioctl_reason(errno, &ctx, why, sizeof(why)));
		free(devs);
		return 1;
	}
	free(devs);
	bad = !v.passed;
	if (scope == DMABENCH_SCOPE_DEVICE) {
		printf("per-device: %u devices in %u domains\n", v.ndevs_used,
		       v.ndomains);
		printf("per-device: own-domain DMA arrived: %s (%u of 1)\n",
		       v.transfers_ok == 1 ? "PASS" : "FAIL", v.transfers_ok);
		printf("per-device: cross-domain DMA blocked, target unchanged: "
		       "%s (%u of %u)\n",
		       v.transfers_blocked + 1 == v.ndevs_used && !v.transfers_bad ?
		       "PASS" : "FAIL", v.transfers_blocked,
		       v.ndevs_used ? v.ndevs_used - 1 : 0);
	} else {
		printf("per-instance: %u devices in %u shared domain%s\n",
		       v.ndevs_used, v.ndomains, v.ndomains == 1 ? "" : "s");
		printf("per-instance: every device DMAs through the shared "
		       "domain: %s (%u of %u arrived)\n",
		       v.transfers_ok == v.ndevs_used && !v.transfers_bad ?
		       "PASS" : "FAIL", v.transfers_ok, v.ndevs_used);
	}
	if (v.faults)
		printf("%s: %llu IOMMU faults reported to the fault handler\n",
		       scope_name(scope), (unsigned long long)v.faults);
	printf("%s: %s\n", scope_name(scope), bad ? "FAIL" : "PASS");
	return bad;
}

/* One device: 0 pass, 1 fail or error (line printed either way). */
static int verify_one(int fd, const char *name, uint32_t len)
{
	struct dmabench_verify v;
	struct ctl_error_ctx ctx = { .device = name };
	char why[256];

	memset(&v, 0, sizeof(v));
	v.hdr.version = DMABENCH_ABI_VERSION;
	v.hdr.size = sizeof(v);
	str_copy(v.device, sizeof(v.device), name);
	v.len = len;
	if (ioctl(fd, DMABENCH_IOC_VERIFY, &v) < 0) {
		printf("%s: ERROR %s\n", name,
		       ctl_ioctl_reason(errno, &ctx, why, sizeof(why)));
		return 1;
	}
	if (v.passed) {
		printf("%s: PASS (iova to-dev 0x%llx, from-dev 0x%llx)\n", name,
		       (unsigned long long)v.dma_addr_to_dev,
		       (unsigned long long)v.dma_addr_from_dev);
		return 0;
	}
	printf("%s: FAIL (mismatch at offset %u; iova to-dev 0x%llx, "
	       "from-dev 0x%llx)\n", name, v.mismatch_offset,
	       (unsigned long long)v.dma_addr_to_dev,
	       (unsigned long long)v.dma_addr_from_dev);
	return 1;
}

int cmd_verify(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "device", required_argument, NULL, 'd' },
		{ "len",    required_argument, NULL, 'l' },
		{ "scope",  required_argument, NULL, 'C' },
		{ "help",   no_argument,       NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *device = "all";
	struct ctl_device *devs = NULL;
	const struct ctl_device *d;
	enum parse_result pr;
	uint64_t len = 0;
	int c, fd, ndevs, failed = 0, tried = 0, ret = EXIT_FAIL;
	int scope = -1;
	uint32_t sc;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":d:l:h", opts, NULL)) != -1) {
		switch (c) {
		case 'h':
			fputs(verify_usage, stdout);
			return EXIT_OK;
		case 'd':
			device = optarg;
			if (!*device || strlen(device) >= DMABENCH_NAME_LEN)
				return usage_error("verify", "bad --device "
						   "'%s'", device);
			break;
		case 'l':
			pr = parse_size(optarg, &len);
			if (!pr && len > EDU_MAX_LEN)
				pr = PARSE_RANGE;
			if (pr)
				return usage_error("verify", "bad --len '%s': "
						   "%s", optarg,
						   parse_strerror(pr));
			break;
		case 'C':
			if (parse_scope(optarg, &sc))
				return usage_error("verify", "bad --scope '%s': "
						   "use per-device or "
						   "per-instance", optarg);
			scope = (int)sc;
			break;
		default:
			return usage_bad_option("verify", c, argv);
		}
	}
	if (optind < argc)
		return usage_error("verify", "unexpected argument '%s'",
				   argv[optind]);

	if (scope >= 0) {
		devname_t *dl;
		size_t nd;
		char why[160];

		if (parse_device_list(device, &dl, &nd, why, sizeof(why)))
			return usage_error("verify", "bad --device '%s': %s",
					   device, why);
		free(dl);
		if (len > 2048)
			return usage_error("verify", "bad --len: --scope "
					   "takes at most 2048 bytes");
		fd = ctl_open(NULL);
		if (fd < 0)
			return EXIT_FAIL;
		ret = verify_scope(fd, device, (uint32_t)scope,
				   (uint32_t)len) ? EXIT_FAIL : EXIT_OK;
		close(fd);
		return ret;
	}
	fd = ctl_open(NULL);
	if (fd < 0)
		return EXIT_FAIL;
	ndevs = ctl_read_devices(&devs);
	if (strcmp(device, "all")) {
		d = ndevs >= 0 ? ctl_find_device(devs, ndevs, device) : NULL;
		if (ndevs >= 0 && !d)
			fail("device %s is not bound to dmabench: dmabench "
			     "bind %s", device, device);
		else if (d && !d->edu)
			fail("%s is not a QEMU edu device: verify needs one",
			     device);
		else
			ret = verify_one(fd, device, (uint32_t)len) ?
			      EXIT_FAIL : EXIT_OK;
		goto out;
	}
	if (ndevs < 0) {
		fail("cannot read %s: %s", CTL_DEVICES, strerror(-ndevs));
		goto out;
	}
	for (int i = 0; i < ndevs; i++) {
		if (!devs[i].edu)
			continue;
		tried++;
		failed += verify_one(fd, devs[i].name, (uint32_t)len);
	}
	if (!tried)
		fail("no edu device is bound to dmabench (find one with "
		     "dmabench list, then dmabench bind DEV)");
	else
		ret = failed ? EXIT_FAIL : EXIT_OK;
out:
	free(devs);
	close(fd);
	return ret;
}
