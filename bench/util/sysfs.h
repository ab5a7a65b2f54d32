/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Small helpers for sysfs, procfs and debugfs files.
 *
 * Every path goes through sysfile_path(), which prefixes $DMABENCH_SYSROOT when
 * it is set, so the tests can run `dmabench list` and friends against a fake
 * tree of plain files.  Functions take printf-style paths.
 */
#ifndef DMABENCH_UTIL_SYSFS_H
#define DMABENCH_UTIL_SYSFS_H

#include <stdbool.h>
#include <stddef.h>
#include <dirent.h>

#define SYSFS_PATH_MAX	512

/* Format a logical path ("/sys/...") into @buf with the sysroot prefix. */
int sysfile_path(char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

bool sysfile_exists(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Read a small text file into @buf, NUL-terminated, trailing whitespace
 * removed.  Returns 0 or -errno.
 */
int sysfile_read(char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Read a whole file (procfs files report size 0, so read until EOF) into a
 * malloc'ed, NUL-terminated buffer; *lenp gets the byte count.  Returns NULL
 * with errno set on failure.
 */
char *sysfile_read_all(size_t *lenp, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Write @val to an attribute in one write(2).  Returns 0 or -errno. */
int sysfile_write(const char *val, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Basename of a symlink's target (e.g. a device's driver).  0 or -errno. */
int sysfile_link_name(char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

DIR *sysfile_opendir(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

int sysfile_open(int flags, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif /* DMABENCH_UTIL_SYSFS_H */
