// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * dmabench bind DEV / dmabench unbind DEV: hand a device to dmabench.ko and
 * back.  dmabench has no ID table (like the kernel's map_benchmark), so the
 * device is moved with driver_override; the driver it had is remembered in
 * a state file so unbind can give it back.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "builtin.h"
#include "util/cli.h"
#include "util/parse-options.h"
#include "util/ctl.h"
#include "util/parse.h"
#include "util/sysfs.h"

#define DRIVER_NAME		"dmabench"
#define DEFAULT_STATE_DIR	"/run/dmabench"

static const char bind_usage[] =
	"usage: dmabench bind DEV\n\n"
	"Bind DEV (a PCI address such as 0000:00:03.0, or a platform device\n"
	"name) to dmabench.ko.  Its current driver is unbound and remembered\n"
	"in $DMABENCH_STATE_DIR (default " DEFAULT_STATE_DIR ") so that\n"
	"'dmabench unbind DEV' can restore it.  Needs root.\n";

static const char unbind_usage[] =
	"usage: dmabench unbind DEV\n\n"
	"Unbind DEV from dmabench.ko, clear its driver_override and give it\n"
	"back to the driver it had before 'dmabench bind' (or let the kernel\n"
	"probe for one).  Needs root.\n";

static const char *state_dir(void)
{
	const char *d = getenv("DMABENCH_STATE_DIR");

	return d && *d ? d : DEFAULT_STATE_DIR;
}

/* mkdir -p for the state directory */
static int make_dirs(const char *path)
{
	char tmp[SYSFS_PATH_MAX];

	if (snprintf(tmp, sizeof(tmp), "%s", path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0755) && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(tmp, 0755) && errno != EEXIST)
		return -errno;
	return 0;
}

static int state_path(char *buf, size_t len, const char *dev)
{
	int n = snprintf(buf, len, "%s/%s", state_dir(), dev);

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

static int state_save(const char *dev, const char *bus, const char *driver)
{
	char path[SYSFS_PATH_MAX];
	FILE *f;
	int err;

	err = make_dirs(state_dir());
	if (!err)
		err = state_path(path, sizeof(path), dev);
	if (err)
		return fail("cannot create state directory %s: %s",
			    state_dir(), strerror(-err));
	f = fopen(path, "w");
	if (!f)
		return fail("cannot write %s: %s", path, strerror(errno));
	fprintf(f, "bus=%s\ndriver=%s\n", bus, driver);
	if (fclose(f))
		return fail("cannot write %s: %s", path, strerror(errno));
	return 0;
}

/* The remembered driver, "" for none; -1 if there is no state file. */
static int state_load(const char *dev, char *driver, size_t len)
{
	char path[SYSFS_PATH_MAX], line[128];
	FILE *f;

	driver[0] = '\0';
	if (state_path(path, sizeof(path), dev))
		return -1;
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (!strncmp(line, "driver=", 7))
			str_copy(driver, len, line + 7);
	}
	fclose(f);
	return 0;
}

static void state_remove(const char *dev)
{
	char path[SYSFS_PATH_MAX];

	if (!state_path(path, sizeof(path), dev))
		unlink(path);
}

/* A device name becomes part of sysfs paths: no '/', no "..". */
static int valid_device_name(const char *dev)
{
	return *dev && strlen(dev) < DMABENCH_NAME_LEN && !strchr(dev, '/') &&
	       strcmp(dev, ".") && strcmp(dev, "..");
}

static int find_bus(const char *dev, const char **bus)
{
	if (sysfile_exists("/sys/bus/pci/devices/%s", dev))
		*bus = "pci";
	else if (sysfile_exists("/sys/bus/platform/devices/%s", dev))
		*bus = "platform";
	else
		return fail("no such device %s (not in /sys/bus/pci/devices "
			    "or /sys/bus/platform/devices; see dmabench list)",
			    dev);
	return 0;
}

/*
 * Write @val to the sysfs attribute at logical path @path (printf-style),
 * printing the one-line explanation on failure.
 */
static __attribute__((format(printf, 2, 3)))
int attr_write(const char *val, const char *fmt, ...)
{
	char path[SYSFS_PATH_MAX];
	va_list ap;
	int err;

	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	err = sysfile_write(val, "%s", path);
	if (!err)
		return 0;
	if (err == -EACCES || err == -EPERM)
		fail("must run as root");
	else
		fail("writing '%s' to %s failed: %s%s",
		     strcmp(val, "\n") ? val : "\\n", path, strerror(-err),
		     err == -ENODEV || err == -EINVAL || err == -ENXIO ?
		     " (see dmesg)" : "");
	return -1;
}

/* Give @dev back to @driver if it has one, else let the bus probe. */
static int rebind(const char *bus, const char *dev, const char *driver)
{
	if (driver[0] &&
	    !sysfile_write(dev, "/sys/bus/%s/drivers/%s/bind", bus, driver))
		return 0;
	return sysfile_write(dev, "/sys/bus/%s/drivers_probe", bus);
}

#define PROCEED (-1)

/*
 * Option parsing and the checks bind and unbind share.  Returns PROCEED,
 * or the exit code to stop with.
 */
static int common_checks(const char *cmd, int argc, char **argv,
			 const char *usage, const char **dev, const char **bus)
{
	static const struct parse_opt opts[] = { OPT_END() };
	struct parse_ctx ctx = { .cmd = cmd, .usage = usage, .max_args = 1 };
	int r = parse_options(&ctx, argc, argv, opts, NULL);

	if (r)
		return r < 0 ? EXIT_OK : r;
	if (!ctx.nargs)
		return usage_error(cmd, "missing device name");
	*dev = ctx.args[0];
	if (!valid_device_name(*dev))
		return usage_error(cmd, "bad device name '%s'", *dev);
	/* the tests drive a fake sysfs tree as any user */
	if (geteuid() != 0 && !getenv("DMABENCH_SYSROOT"))
		return fail("must run as root");
	if (find_bus(*dev, bus))
		return EXIT_FAIL;
	if (!strcmp(*dev, CTL_DEFAULT_DEVICE))
		return fail("%s is dmabench's own device: it is always bound",
			     *dev);
	if (!sysfile_exists("/sys/bus/%s/drivers/" DRIVER_NAME, *bus))
		return fail("module not loaded (no /sys/bus/%s/drivers/"
			     DRIVER_NAME "): insmod dmabench.ko", *bus);
	return PROCEED;
}

int cmd_bind(int argc, char **argv)
{
	char cur[64] = "";
	const char *dev, *bus;
	int r;

	r = common_checks("bind", argc, argv, bind_usage, &dev, &bus);
	if (r != PROCEED)
		return r;
	if (sysfile_link_name(cur, sizeof(cur), "/sys/bus/%s/devices/%s/driver",
			    bus, dev))
		cur[0] = '\0';
	if (!strcmp(cur, DRIVER_NAME))
		return fail("%s is already bound to dmabench", dev);
	if (!strcmp(bus, "pci")) {
		char cls[32];

		if (!sysfile_read(cls, sizeof(cls), "/sys/bus/pci/devices/%s/class",
				dev) && (strtoul(cls, NULL, 16) >> 16) == 0x06)
			return fail("%s is a PCI bridge, not a DMA master", dev);
	}
	/* remember first: whatever fails below, unbind can restore */
	if (state_save(dev, bus, cur))
		return EXIT_FAIL;
	if (attr_write(DRIVER_NAME, "/sys/bus/%s/devices/%s/driver_override",
		       bus, dev))
		goto undo_state;
	if (cur[0] &&
	    attr_write(dev, "/sys/bus/%s/drivers/%s/unbind", bus, cur))
		goto undo_override;
	if (attr_write(dev, "/sys/bus/%s/drivers/" DRIVER_NAME "/bind", bus)) {
		if (cur[0] && rebind(bus, dev, cur))
			fprintf(stderr, "dmabench: could not give %s back to "
				"%s either\n", dev, cur);
		goto undo_override;
	}
	printf("%s: bound to dmabench (was: %s)\n", dev,
	       cur[0] ? cur : "no driver");
	return EXIT_OK;

undo_override:
	sysfile_write("\n", "/sys/bus/%s/devices/%s/driver_override", bus, dev);
undo_state:
	state_remove(dev);
	return EXIT_FAIL;
}

int cmd_unbind(int argc, char **argv)
{
	char cur[64] = "", prev[64] = "";
	const char *dev, *bus;
	int r, have_state;

	r = common_checks("unbind", argc, argv, unbind_usage, &dev, &bus);
	if (r != PROCEED)
		return r;
	if (sysfile_link_name(cur, sizeof(cur), "/sys/bus/%s/devices/%s/driver",
			    bus, dev) || strcmp(cur, DRIVER_NAME))
		return fail("%s is not bound to dmabench (driver: %s)", dev,
			    cur[0] ? cur : "none");
	have_state = state_load(dev, prev, sizeof(prev)) == 0;
	if (attr_write(dev, "/sys/bus/%s/drivers/" DRIVER_NAME "/unbind", bus))
		return EXIT_FAIL;
	if (attr_write("\n", "/sys/bus/%s/devices/%s/driver_override", bus,
		       dev))
		return EXIT_FAIL;
	r = rebind(bus, dev, prev);
	state_remove(dev);
	if (r)
		fprintf(stderr, "dmabench: %s: reprobing drivers failed: %s\n",
			dev, strerror(-r));
	if (sysfile_link_name(cur, sizeof(cur), "/sys/bus/%s/devices/%s/driver",
			    bus, dev))
		cur[0] = '\0';
	printf("%s: unbound from dmabench, now %s%s%s\n", dev,
	       cur[0] ? "driven by " : "without a driver", cur,
	       have_state ? "" : " (no saved driver: probed)");
	return r ? EXIT_FAIL : EXIT_OK;
}
