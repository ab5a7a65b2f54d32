/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel log written during an operation: mark /dev/kmsg's end before,
 * read what follows after.  Used by sweep (kmsg.txt) and exhaust (the
 * kernel's words on a refusal).
 */
#ifndef DMABENCH_UTIL_KMSG_H
#define DMABENCH_UTIL_KMSG_H

/* Opens /dev/kmsg positioned at its end: fd, or -errno. */
int kmsg_mark(void);

/*
 * Calls @fn for each record logged since kmsg_mark() (text without the
 * trailing newline, usec since boot); closes @fd.  Returns the count.
 */
int kmsg_read(int fd, void (*fn)(unsigned long long usec, const char *text,
				 void *arg), void *arg);

#endif
