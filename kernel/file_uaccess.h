/*
 * kernel/file_uaccess.h - user memory access for the file layer.
 *
 * STOPGAP: kernel/uaccess.h needs the architecture's <arch/uaccess.h>
 * (copies with exception-table entries), which the arch parts of issue 13
 * add. Until a tree has it, this falls back to plain copies after
 * access_ok(): correct for kernel-thread tests and for user pages that are
 * mapped, but a bad user pointer would fault the kernel. Once every tree
 * has <arch/uaccess.h>, delete this file and include kernel/uaccess.h.
 */
#ifndef KERNEL_FILE_UACCESS_H
#define KERNEL_FILE_UACCESS_H

#if __has_include(<arch/uaccess.h>)
#include "kernel/uaccess.h"
#else
#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "kernel/types.h"
#include <arch/mmu.h>

static inline bool access_ok(const void *addr, size_t size)
{
	unsigned long a = (unsigned long)addr;

	return a <= TASK_SIZE && size <= TASK_SIZE - a;
}

static inline size_t copy_from_user(void *to, const void *from, size_t n)
{
	if (!access_ok(from, n))
		return n;
	memcpy(to, from, n);
	return 0;
}

static inline size_t copy_to_user(void *to, const void *from, size_t n)
{
	if (!access_ok(to, n))
		return n;
	memcpy(to, from, n);
	return 0;
}

static inline long strncpy_from_user(char *dst, const char *src, long n)
{
	long i;

	for (i = 0; i < n; i++) {
		if (!access_ok(src + i, 1))
			return -EFAULT;
		dst[i] = src[i];
		if (!dst[i])
			return i;
	}
	return n;
}
#endif

#endif
