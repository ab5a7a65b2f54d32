// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Helpers for reading and writing sysfs/procfs/debugfs files. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/sysfs.h"

static int vpath(char *buf, size_t len, const char *fmt, va_list ap)
{
	const char *root = getenv("DMABENCH_SYSROOT");
	size_t rl;
	int n;

	if (!root)
		root = "";
	rl = strlen(root);
	if (rl >= len)
		return -ENAMETOOLONG;
	memcpy(buf, root, rl);
	n = vsnprintf(buf + rl, len - rl, fmt, ap);
	if (n < 0 || (size_t)n >= len - rl)
		return -ENAMETOOLONG;
	return 0;
}

#define WITH_PATH(path, fmt, fail)					\
	char path[SYSFS_PATH_MAX];					\
	do {								\
		va_list ap_;						\
		int r_;							\
		va_start(ap_, fmt);					\
		r_ = vpath(path, sizeof(path), fmt, ap_);		\
		va_end(ap_);						\
		if (r_) {						\
			errno = -r_;					\
			fail;						\
		}							\
	} while (0)

int sysfile_path(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vpath(buf, len, fmt, ap);
	va_end(ap);
	return r;
}

bool sysfile_exists(const char *fmt, ...)
{
	WITH_PATH(path, fmt, return false);
	return access(path, F_OK) == 0;
}

static char *read_fd_all(int fd, size_t *lenp)
{
	size_t cap = 4096, len = 0;
	char *buf = malloc(cap + 1), *nbuf;
	ssize_t n;

	if (!buf)
		return NULL;
	for (;;) {
		if (len == cap) {
			cap *= 2;
			nbuf = realloc(buf, cap + 1);
			if (!nbuf) {
				free(buf);
				errno = ENOMEM;
				return NULL;
			}
			buf = nbuf;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			free(buf);
			return NULL;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	if (lenp)
		*lenp = len;
	return buf;
}

char *sysfile_read_all(size_t *lenp, const char *fmt, ...)
{
	char *buf;
	int fd, err;

	WITH_PATH(path, fmt, return NULL);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	buf = read_fd_all(fd, lenp);
	err = errno;
	close(fd);
	errno = err;
	return buf;
}

int sysfile_read(char *buf, size_t len, const char *fmt, ...)
{
	ssize_t n;
	int fd, err;

	WITH_PATH(path, fmt, return -errno);
	if (len == 0)
		return -EINVAL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	err = errno;
	close(fd);
	if (n < 0)
		return -err;
	buf[n] = '\0';
	/* device-tree strings end in NUL; sysfs ones in a newline */
	n = (ssize_t)strlen(buf);
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' ' ||
			 buf[n - 1] == '\t'))
		buf[--n] = '\0';
	return 0;
}

int sysfile_write(const char *val, const char *fmt, ...)
{
	size_t len = strlen(val);
	ssize_t n;
	int fd, err = 0;

	WITH_PATH(path, fmt, return -errno);
	/* O_TRUNC as a shell's '>': sysfs ignores it, a fake tree needs it */
	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, val, len);
	if (n < 0)
		err = -errno;
	else if ((size_t)n != len)
		err = -EIO;
	if (close(fd) && !err)
		err = -errno;
	return err;
}

int sysfile_link_name(char *buf, size_t len, const char *fmt, ...)
{
	char target[SYSFS_PATH_MAX];
	const char *base;
	ssize_t n;

	WITH_PATH(path, fmt, return -errno);
	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0)
		return -errno;
	target[n] = '\0';
	base = strrchr(target, '/');
	base = base ? base + 1 : target;
	if (strlen(base) >= len)
		return -ENAMETOOLONG;
	strcpy(buf, base);
	return 0;
}

DIR *sysfile_opendir(const char *fmt, ...)
{
	WITH_PATH(path, fmt, return NULL);
	return opendir(path);
}

int sysfile_open(int flags, const char *fmt, ...)
{
	WITH_PATH(path, fmt, return -1);
	return open(path, flags | O_CLOEXEC);
}
