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
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "builtin.h"
#include "util/engine.h"
#include "util/cli.h"
#include "util/ctl.h"
#include "util/domain.h"
#include "util/iommuopt.h"
#include "util/ktap.h"
#include "util/parse-options.h"
#include "util/parse.h"

/* the edu device's buffer is 4 KiB; the module takes up to 4095 bytes */
#define EDU_MAX_LEN	4095

static const char *const verify_what_names[] = {
	[DMABENCH_VERIFY_MAP_SINGLE]	= "map_single",
	[DMABENCH_VERIFY_MAP_SG]	= "map_sg",
	[DMABENCH_VERIFY_ALLOC]		= "alloc",
	[DMABENCH_VERIFY_IOVA_LINK]	= "iova_link",
	[DMABENCH_VERIFY_MAP_PHYS]	= "map_phys",
};
#define VERIFY_NWHAT	(sizeof(verify_what_names) / sizeof(verify_what_names[0]))

/* the checks that take --nents: pages in a list */
static int verify_takes_nents(uint32_t what)
{
	return what == DMABENCH_VERIFY_MAP_SG ||
	       what == DMABENCH_VERIFY_IOVA_LINK;
}

/*
 * What verify found, as lines "LABEL: PASS|FAIL|ERROR (detail)" and notes
 * (text), or with --format ktap kept until the end and printed as one KTAP
 * document (the plan needs the count): every check a test, the notes and
 * details diagnostics.  A check the device or kernel cannot do (EOPNOTSUPP,
 * EXDEV) is an ERROR line in text and a SKIP in KTAP.
 */
enum vkind { V_NOTE, V_PASS, V_FAIL, V_ERROR, V_SKIP };

struct vline {
	enum vkind kind;
	char label[160];
	char text[400];
};

static struct {
	int ktap;
	struct vline *v;
	size_t n, cap;
	const char *skip_all;	/* no check could run: why */
} vlog;

static void vlog_add(enum vkind kind, const char *label, const char *fmt,
		     va_list ap)
{
	struct vline *l;

	if (!vlog.ktap) {
		static const char *const word[] = {
			[V_PASS] = "PASS", [V_FAIL] = "FAIL",
			[V_ERROR] = "ERROR", [V_SKIP] = "ERROR",
		};

		if (kind != V_NOTE)
			printf("%s: %s ", label, word[kind]);
		vprintf(fmt, ap);
		putchar('\n');
		return;
	}
	if (vlog.n == vlog.cap) {
		size_t cap = vlog.cap ? 2 * vlog.cap : 16;
		struct vline *v = realloc(vlog.v, cap * sizeof(*v));

		if (!v)
			return;		/* the plan still matches the lines */
		vlog.v = v;
		vlog.cap = cap;
	}
	l = &vlog.v[vlog.n++];
	l->kind = kind;
	snprintf(l->label, sizeof(l->label), "%s", label ? label : "");
	vsnprintf(l->text, sizeof(l->text), fmt, ap);
	ktap_clean(l->label);
	ktap_clean(l->text);
}

static void vnote(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void vnote(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog_add(V_NOTE, NULL, fmt, ap);
	va_end(ap);
}

static void vresult(enum vkind kind, const char *label, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void vresult(enum vkind kind, const char *label, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog_add(kind, label, fmt, ap);
	va_end(ap);
}

/* A refusal of what this device or kernel cannot do: SKIP in KTAP. */
static enum vkind verror_kind(int err)
{
	return err == EOPNOTSUPP || err == EXDEV ? V_SKIP : V_ERROR;
}

/* --format ktap: the document of everything logged; 0, or -1. */
static int vlog_ktap(void)
{
	size_t tests = 0, num = 0;

	for (size_t i = 0; i < vlog.n; i++)
		tests += vlog.v[i].kind != V_NOTE;
	if (!tests && vlog.skip_all) {
		printf("KTAP version 1\n# dmabench verify\n1..0 # SKIP %s\n",
		       vlog.skip_all);
		return fflush(stdout) || ferror(stdout) ? -1 : 0;
	}
	printf("KTAP version 1\n# dmabench verify\n1..%zu\n", tests);
	for (size_t i = 0; i < vlog.n; i++) {
		const struct vline *l = &vlog.v[i];

		if (l->kind == V_NOTE) {
			printf("# %s\n", l->text);
			continue;
		}
		if (l->kind != V_SKIP && l->text[0])
			printf("# %s: %s\n", l->label, l->text);
		printf("%s %zu %s%s%s\n", l->kind == V_PASS ||
		       l->kind == V_SKIP ? "ok" : "not ok", ++num, l->label,
		       l->kind == V_SKIP ? " # SKIP " : "",
		       l->kind == V_SKIP ? l->text : "");
	}
	return fflush(stdout) || ferror(stdout) ? -1 : 0;
}

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
		int err = errno;
		char label[DMABENCH_NAME_LEN + 32];

		snprintf(label, sizeof(label), "%s %s", scope_name(scope),
			 device);
		vresult(verror_kind(err), label, "%s",
			ctl_ioctl_reason(err, &ctx, why, sizeof(why)));
		free(devs);
		return !vlog.ktap || verror_kind(err) != V_SKIP;
	}
	free(devs);
	bad = !v.passed;
	if (scope == DMABENCH_SCOPE_DEVICE) {
		vnote("per-device: %u devices in %u domains", v.ndevs_used,
		      v.ndomains);
		vresult(v.transfers_ok == 1 ? V_PASS : V_FAIL,
			"per-device: own-domain DMA arrived", "(%u of 1)",
			v.transfers_ok);
		vresult(v.transfers_blocked + 1 == v.ndevs_used &&
			!v.transfers_bad ? V_PASS : V_FAIL,
			"per-device: cross-domain DMA blocked, target "
			"unchanged",
			"(%u of %u)", v.transfers_blocked,
			v.ndevs_used ? v.ndevs_used - 1 : 0);
	} else {
		vnote("per-instance: %u devices in %u shared domain%s",
		      v.ndevs_used, v.ndomains, v.ndomains == 1 ? "" : "s");
		vresult(v.transfers_ok == v.ndevs_used && !v.transfers_bad ?
			V_PASS : V_FAIL, "per-instance: every device DMAs "
			"through the shared domain", "(%u of %u arrived)",
			v.transfers_ok, v.ndevs_used);
	}
	if (v.faults)
		vnote("%s: %llu IOMMU faults reported to the fault handler",
		      scope_name(scope), (unsigned long long)v.faults);
	if (!vlog.ktap)	/* KTAP: the checks above are the result */
		printf("%s: %s\n", scope_name(scope), bad ? "FAIL" : "PASS");
	return bad;
}

/*
 * One device, one check: 0 pass, 1 fail or error (line printed either
 * way).  @label prefixes the line: the device, plus the check and domain
 * when more than one is asked for.
 */
static int verify_one(int fd, const char *name, const char *label,
		      uint32_t what, uint32_t nents, uint32_t len)
{
	struct dmabench_verify v;
	struct ctl_error_ctx ctx = { .device = name };
	char why[256];

	memset(&v, 0, sizeof(v));
	v.hdr.version = DMABENCH_ABI_VERSION;
	v.hdr.size = sizeof(v);
	str_copy(v.device, sizeof(v.device), name);
	v.len = len;
	v.what = what;
	v.nents = verify_takes_nents(what) ? nents : 0;
	if (ioctl(fd, DMABENCH_IOC_VERIFY, &v) < 0) {
		int err = errno;

		/* iova_link where dma_iova_try_alloc refuses: not a failure */
		if (err == EOPNOTSUPP && what == DMABENCH_VERIFY_IOVA_LINK) {
			static const char na[] = "not applicable "
				"(dma_iova_try_alloc refuses a device the "
				"IOMMU does not translate: dma-direct or "
				"identity domain)";

			if (vlog.ktap)
				vresult(V_SKIP, label, "%s", na);
			else
				vnote("%s: %s", label, na);
			return 0;
		}
		/* a check of an API this kernel lacks: name the version */
		if (err == ENOENT) {
			vresult(V_SKIP, label, "%s%s", verify_what_names[what],
				ctl_lacks_note(verify_what_names[what], why,
					       sizeof(why)));
			return !vlog.ktap;
		}
		vresult(verror_kind(err), label, "%s",
			ctl_ioctl_reason(err, &ctx, why, sizeof(why)));
		return !vlog.ktap || verror_kind(err) != V_SKIP;
	}
	if (v.passed && what == DMABENCH_VERIFY_IOVA_LINK) {
		vresult(V_PASS, label, "(one IOVA range at 0x%llx, %u transfers "
			"matched)", (unsigned long long)v.dma_addr_from_dev,
			v.transfers);
		return 0;
	}
	if (v.passed && what == DMABENCH_VERIFY_MAP_SG) {
		vresult(V_PASS, label, "(%u DMA segments, %u transfers "
			"matched; first iova 0x%llx)", v.segments, v.transfers,
			(unsigned long long)v.dma_addr_to_dev);
		return 0;
	}
	if (v.passed) {
		vresult(V_PASS, label, "(iova to-dev 0x%llx, from-dev 0x%llx)",
			(unsigned long long)v.dma_addr_to_dev,
			(unsigned long long)v.dma_addr_from_dev);
		return 0;
	}
	vresult(V_FAIL, label, "(mismatch at offset %u; iova to-dev 0x%llx, "
		"from-dev 0x%llx)", v.mismatch_offset,
		(unsigned long long)v.dma_addr_to_dev,
		(unsigned long long)v.dma_addr_from_dev);
	return 1;
}

/* Every check in @whats on @name; the number that failed. */
static int verify_device(int fd, const char *name, const char *domain,
			 const uint32_t *whats, size_t nwhats, uint32_t nents,
			 uint32_t len)
{
	char label[DMABENCH_NAME_LEN + 64];
	int failed = 0;

	for (size_t i = 0; i < nwhats && !run_interrupted; i++) {
		if (nwhats == 1 && !domain)
			str_copy(label, sizeof(label), name);
		else
			snprintf(label, sizeof(label), "%s %s%s%s", name,
				 verify_what_names[whats[i]],
				 domain ? " " : "", domain ? domain : "");
		failed += verify_one(fd, name, label, whats[i], nents, len);
	}
	return failed;
}

/* --what: a comma list of verify_what_names; 0 or -1 (bad item in why) */
static int parse_what_list(const char *arg, uint32_t *whats, size_t *n,
			   char *why, size_t len)
{
	const char *p = arg;

	*n = 0;
	while (*p) {
		size_t l = strcspn(p, ",");
		uint32_t w;

		for (w = 0; w < VERIFY_NWHAT; w++)
			if (strlen(verify_what_names[w]) == l &&
			    !strncmp(p, verify_what_names[w], l))
				break;
		if (w == VERIFY_NWHAT) {
			snprintf(why, len, "'%.*s' is not map_single, map_sg, "
				 "alloc, iova_link or map_phys", (int)l, p);
			return -1;
		}
		for (size_t i = 0; i < *n; i++)
			if (whats[i] == w) {
				snprintf(why, len, "'%.*s' named twice",
					 (int)l, p);
				return -1;
			}
		whats[(*n)++] = w;	/* at most VERIFY_NWHAT: no twice */
		p += l;
		if (*p == ',' && *++p == '\0')
			break;
	}
	if (!*n || p[-1] == ',') {
		snprintf(why, len, "empty item");
		return -1;
	}
	return 0;
}

/*
 * --domain: verify @device under each type in @doms, switching its IOMMU
 * group as run --domain does; restored at the end, also after Ctrl-C.
 */
static int verify_domains(int fd, const char *device, const uint32_t *doms,
			  size_t ndoms, const uint32_t *whats, size_t nwhats,
			  uint32_t nents, uint32_t len)
{
	struct domain_state ds;
	char why[600];
	int failed = 0;

	if (domain_open(&ds, device, why, sizeof(why)))
		return fail("%s", why);
	run_install_interrupt_handler();
	for (size_t i = 0; i < ndoms && !run_interrupted; i++) {
		if (domain_switch(&ds, doms[i], why, sizeof(why))) {
			fail("%s", why);
			failed++;
			break;
		}
		failed += verify_device(fd, device, ds.cur_type, whats, nwhats,
					nents, len);
	}
	if (domain_restore(&ds, why, sizeof(why))) {
		fail("%s", why);
		failed++;
	}
	if (run_interrupted) {
		fprintf(stderr, "verify: interrupted\n");
		failed++;
	}
	return failed;
}

struct verify_opts {
	const char *device;
	uint64_t len;
	uint32_t whats[VERIFY_NWHAT];
	size_t nwhats;
	uint64_t nents;
	uint32_t *doms;
	size_t ndoms;
	uint32_t scope;
	uint32_t format;		/* enum verify_format */
};

enum verify_format { VERIFY_TEXT, VERIFY_KTAP };

static const struct opt_name verify_format_names[] = {
	{ "text", VERIFY_TEXT, 0 },
	{ "ktap", VERIFY_KTAP, 0 },
	{ NULL, 0, 0 },
};

static int cb_what(const struct parse_opt *opt, const char *arg, void *base,
		   char *why, size_t len)
{
	struct verify_opts *o = base;
	char sub[200];

	if (!parse_what_list(arg, o->whats, &o->nwhats, sub, sizeof(sub)))
		return 0;
	snprintf(why, len, "bad --%s '%s': %s", opt->long_name, arg, sub);
	return -1;
}

#define VO(f)	OPT__FIELD(struct verify_opts, f)

static const struct parse_opt verify_options[] = {
	{ OPTION_STRING, 'd', "device", VO(device), .argh = "DEV",
	  .help = "an edu device bound to dmabench, or 'all' (the\n"
	  "default: every edu device the module drives)" },
	{ OPTION_CALLBACK, 'w', "what", VO(whats), .callback = cb_what,
	  .argh = "LIST", .help = "what the edu's DMA proves, comma list "
	  "(default\nmap_single):\nmap_single  dma_map_single, copied both "
	  "ways\nmap_sg      dma_map_sgtable of scattered pages,\n            "
	  "DMA through every returned segment\nalloc       "
	  "dma_alloc_coherent, device copies\n            what the CPU "
	  "wrote, CPU reads it\niova_link   two-step API (6.16): pages linked into\n"
	  "            one IOVA range, DMA through every page\nmap_phys    "
	  "dma_map_phys (6.18), copied both ways" },
	{ OPTION_UINT, 0, "nents", VO(nents), .min = 1,
	  .max = DMABENCH_MAX_NENTS, .argh = "N",
	  .help = "map_sg, iova_link: pages in the list, 1..1024\n(default 8)" },
	{ OPTION_SIZE, 'l', "len", VO(len), .min = 1, .max = EDU_MAX_LEN,
	  .argh = "BYTES", .help = "bytes per transfer, 1..4095 (default: the "
	  "module's)" },
	{ OPTION_ENUM_LIST, 0, "domain",
	  OPT__LIST(struct verify_opts, doms, ndoms), .names = domain_names,
	  .argh = "LIST", .help = "verify under each IOMMU default domain "
	  "type:\ncurrent, identity, dma, dma-fq (one --device;\nswitched as "
	  "run --domain does, restored after)" },
	{ OPTION_ENUM, 0, "scope", VO(scope), .names = iommu_scope_names,
	  .argh = "SCOPE", .help = "prove domain isolation with edu DMA (2+ "
	  "edu devices\nbehind one IOMMU; LIST: names separated by ','):\n"
	  "per-device: DMA to an IOVA mapped only in another\ndevice's domain "
	  "is blocked, the target unchanged;\nper-instance: every device DMAs "
	  "through the shared\ndomain" },
	{ OPTION_ENUM, 'f', "format", VO(format), .names = verify_format_names,
	  .argh = "FMT", .help = "text | ktap (default text): KTAP version 1,\n"
	  "one test per device and check, SKIP for what\nthe device "
	  "cannot do" },
	OPT_TEXT("\nPrints one PASS/FAIL line per device and check (per check "
		 "with\n--scope); exits 0 only if all pass.  Example:\n"
		 "  dmabench verify --device 0000:00:02.0 --what map_sg,alloc "
		 "\\\n      --domain identity,dma,dma-fq\n"),
	OPT_END(),
};

static const char verify_usage[] =
	"usage: dmabench verify [--device DEV|all] [--what LIST] [--nents N]\n"
	"                       [--len BYTES] [--domain LIST]\n"
	"       dmabench verify --scope per-device|per-instance [--device "
	"LIST|all]\n\n";

/* The checks across options; 0 or the usage error's exit code. */
static int verify_check(const struct verify_opts *vo, int scope)
{
	devname_t *dl;
	size_t nd;
	char why[256];

	if (!*vo->device || strlen(vo->device) >= DMABENCH_NAME_LEN)
		return usage_error("verify", "bad --device '%s'", vo->device);
	if (vo->nents && !(vo->nwhats > 1 || verify_takes_nents(vo->whats[0])))
		return usage_error("verify", "--nents applies to --what map_sg "
				   "and iova_link only");
	if (scope < 0) {
		if (vo->doms && !strcmp(vo->device, "all"))
			return usage_error("verify", "--domain needs one "
					   "--device: the IOMMU group of that "
					   "device is switched");
		return 0;
	}
	if (vo->doms || vo->nwhats > 1 ||
	    vo->whats[0] != DMABENCH_VERIFY_MAP_SINGLE)
		return usage_error("verify", "--scope takes neither --what nor "
				   "--domain");
	if (parse_device_list(vo->device, &dl, &nd, why, sizeof(why)))
		return usage_error("verify", "bad --device '%s': %s",
				   vo->device, why);
	free(dl);
	if (vo->len > 2048)
		return usage_error("verify", "bad --len: --scope takes at most "
				   "2048 bytes");
	return 0;
}

/* One named device: its checks (under each --domain); the exit code. */
static int verify_named(int fd, const struct verify_opts *vo,
			const struct ctl_device *devs, int ndevs)
{
	const struct ctl_device *d;
	int failed;

	d = ndevs >= 0 ? ctl_find_device(devs, ndevs, vo->device) : NULL;
	if (ndevs >= 0 && !d)
		return fail("device %s is not bound to dmabench: dmabench "
			    "bind %s", vo->device, vo->device);
	if (d && !d->edu)
		return fail("%s is not a QEMU edu device: verify needs one",
			    vo->device);
	if (vo->doms)
		failed = verify_domains(fd, vo->device, vo->doms, vo->ndoms,
					vo->whats, vo->nwhats,
					(uint32_t)vo->nents,
					(uint32_t)vo->len);
	else
		failed = verify_device(fd, vo->device, NULL, vo->whats,
				       vo->nwhats, (uint32_t)vo->nents,
				       (uint32_t)vo->len);
	return failed ? EXIT_FAIL : EXIT_OK;
}

/* --device all: every edu device the module drives; the exit code. */
static int verify_all(int fd, const struct verify_opts *vo,
		      const struct ctl_device *devs, int ndevs)
{
	int failed = 0, tried = 0;

	if (ndevs < 0)
		return fail("cannot read %s: %s", CTL_DEVICES,
			    strerror(-ndevs));
	for (int i = 0; i < ndevs; i++) {
		if (!devs[i].edu)
			continue;
		tried++;
		failed += verify_device(fd, devs[i].name, NULL, vo->whats,
					vo->nwhats, (uint32_t)vo->nents,
					(uint32_t)vo->len);
	}
	if (!tried)
		vlog.skip_all = "no edu device is bound to dmabench";
	if (!tried && vlog.ktap)
		return EXIT_OK;
	if (!tried)
		return fail("no edu device is bound to dmabench (find one with "
			    "dmabench list, then dmabench bind DEV)");
	return failed ? EXIT_FAIL : EXIT_OK;
}

int cmd_verify(int argc, char **argv)
{
	struct verify_opts vo = {
		.device = "all", .whats = { DMABENCH_VERIFY_MAP_SINGLE },
		.nwhats = 1,
	};
	unsigned char given[16] = { 0 };
	struct parse_ctx ctx = {
		.cmd = "verify", .usage = verify_usage, .given = given,
		.ngiven = sizeof(given),
	};
	struct ctl_device *devs = NULL;
	int fd, ndevs, ret, scope = -1;

	ret = parse_options(&ctx, argc, argv, verify_options, &vo);
	if (given[parse_options_find(verify_options, "scope") -
		  verify_options])
		scope = (int)vo.scope;
	if (!ret)
		ret = verify_check(&vo, scope);
	if (ret) {
		free(vo.doms);
		return ret < 0 ? EXIT_OK : ret;
	}
	memset(&vlog, 0, sizeof(vlog));
	vlog.ktap = vo.format == VERIFY_KTAP;
	ret = EXIT_FAIL;
	fd = ctl_open(NULL);
	if (fd >= 0 && scope >= 0) {
		ret = verify_scope(fd, vo.device, (uint32_t)scope,
				   (uint32_t)vo.len) ? EXIT_FAIL : EXIT_OK;
	} else if (fd >= 0) {
		ndevs = ctl_read_devices(&devs);
		ret = strcmp(vo.device, "all") ?
		      verify_named(fd, &vo, devs, ndevs) :
		      verify_all(fd, &vo, devs, ndevs);
		free(devs);
	}
	if (vlog.ktap && (vlog.n || vlog.skip_all) && vlog_ktap())
		ret = fail("writing the results failed: %s", strerror(errno));
	free(vlog.v);
	vlog.v = NULL;
	if (fd >= 0)
		close(fd);
	free(vo.doms);
	return ret;
}
