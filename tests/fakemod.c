// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Fake sysroot, captured builtins and a fake dmabench.ko: see fakemod.h. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dmabench_abi.h"
#include "fakemod.h"

char tmpdir[80];
char out_text[65536], err_text[65536];
int fake_info_errno;
int (*fake_ioctl)(unsigned long req, void *arg);
struct dmabench_run fake_last_run;

void fake_run_outputs(struct dmabench_run *r)
{
	uint64_t *ops = (uint64_t *)(uintptr_t)r->thread_ops_ptr;

	fake_last_run = *r;
	if (!strcmp(r->test, "map_sg")) {
		r->dma_segs_min = 1;
		r->dma_segs_max = r->nents ? r->nents : 1;
	}
	if (r->flags & DMABENCH_RUN_BOUNCE)
		r->bounced = r->phase[0].ops / 2;
	r->coherent = r->coherency != DMABENCH_COHERENCY_NONCOHERENT;
	for (uint32_t t = 0; ops && t < r->threads; t++)
		ops[t] = (t + 1) * 100ULL;
}

int fake_mkdtemp(const char *name)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/dmabench-test-%s.XXXXXX",
		 name);
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return -1;
	}
	setenv("DMABENCH_SYSROOT", tmpdir, 1);
	unsetenv("DMABENCH_PLATFORM");
	return 0;
}

void fake_rmtree(void)
{
	char cmd[600];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd))
		fprintf(stderr, "could not remove %s\n", tmpdir);
}

void slurp(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n = fd < 0 ? 0 : read(fd, buf, len - 1);

	buf[n > 0 ? n : 0] = '\0';
	if (fd >= 0)
		close(fd);
}

int call(int (*fn)(int, char **), ...)
{
	char *argv[40], out[256], err[256];
	int argc = 0, ret, save1, save2, fd1, fd2;
	va_list ap;

	va_start(ap, fn);
	while (argc < 39 && (argv[argc] = va_arg(ap, char *)))
		argc++;
	va_end(ap);
	argv[argc] = NULL;
	snprintf(out, sizeof(out), "%s/stdout", tmpdir);
	snprintf(err, sizeof(err), "%s/stderr", tmpdir);
	fflush(stdout);
	fflush(stderr);
	save1 = dup(1);
	save2 = dup(2);
	fd1 = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	fd2 = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	dup2(fd1, 1);
	dup2(fd2, 2);
	ret = fn(argc, argv);
	fflush(stdout);
	fflush(stderr);
	dup2(save1, 1);
	dup2(save2, 2);
	close(save1);
	close(save2);
	close(fd1);
	close(fd2);
	slurp(out, out_text, sizeof(out_text));
	slurp(err, err_text, sizeof(err_text));
	return ret;
}

void write_file(const char *rel, const char *text)
{
	char path[512];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, rel);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text)) {
		perror(path);
		exit(99);
	}
	close(fd);
}

void make_dirs(const char *rel)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", tmpdir, rel);
	for (char *p = path + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			mkdir(path, 0755);
			*p = '/';
		}
	mkdir(path, 0755);
}

int count_lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

int __wrap_ioctl(int fd, unsigned long req, ...);
int __wrap_ioctl(int fd, unsigned long req, ...)
{
	va_list ap;
	void *arg;
	int err;

	(void)fd;
	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (req == DMABENCH_IOC_INFO) {
		struct dmabench_info *i = arg;

		err = fake_info_errno;
		if (!err && (i->hdr.version != DMABENCH_ABI_VERSION ||
			     i->hdr.size != sizeof(*i)))
			err = EINVAL;
		if (!err) {
			strcpy(i->module_version, "fake-1");
			i->hist_buckets = DMABENCH_HIST_BUCKETS;
			i->max_phases = DMABENCH_MAX_PHASES;
		}
	} else {
		err = fake_ioctl ? fake_ioctl(req, arg) : ENOTTY;
	}
	if (err) {
		errno = err;
		return -1;
	}
	return 0;
}
