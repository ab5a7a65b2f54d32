// SPDX-License-Identifier: GPL-2.0
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "util/kmsg.h"
#include "util/sysfs.h"

int kmsg_mark(void)
{
	int fd = sysfile_open(O_RDONLY | O_NONBLOCK, "/dev/kmsg");

	if (fd < 0)
		return -errno;
	lseek(fd, 0, SEEK_END);
	return fd;
}

int kmsg_read(int fd, void (*fn)(unsigned long long usec, const char *text,
				 void *arg), void *arg)
{
	char rec[8192];
	ssize_t n;
	int count = 0;

	/* one record per read: "prio,seq,usec,flags;text\n" */
	while ((n = read(fd, rec, sizeof(rec) - 1)) > 0 ||
	       (n < 0 && errno == EPIPE)) {
		unsigned long long usec = 0;
		char *text;

		if (n < 0)
			continue;	/* overwritten records: skip on */
		rec[n] = '\0';
		text = strchr(rec, ';');
		if (!text)
			continue;
		sscanf(rec, "%*u,%*u,%llu", &usec);
		text++;
		text[strcspn(text, "\n")] = '\0';
		fn(usec, text, arg);
		count++;
	}
	close(fd);
	return count;
}
