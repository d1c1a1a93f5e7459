/*
 * arch/arm64/uaccess.c - strncpy_from_user (kernel/uaccess.h) on top of
 * arch_strncpy_from_user (uaccess.S: one LDTRB per byte, so it stops at
 * the NUL and never reads past it into a page that may not exist).
 * x86_64 has the same function over its copy primitive; once both arches
 * agree on one primitive it can move to a portable kernel/uaccess.c.
 */
#include "kernel/errno.h"
#include "kernel/uaccess.h"
#include <arch/mmu.h>

long strncpy_from_user(char *dst, const char *src, long n)
{
	unsigned long a = (unsigned long)src;
	long max = n, r;

	if (n <= 0)
		return 0;
	if (a >= TASK_SIZE)
		return -EFAULT;
	if (TASK_SIZE - a < (unsigned long)n)
		max = (long)(TASK_SIZE - a);
	r = arch_strncpy_from_user(dst, src, max);
	if (r == max && max < n)
		return -EFAULT;		/* no NUL before the end of user space */
	return r;
}
