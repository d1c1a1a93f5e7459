/*
 * kernel/uaccess.h - reading and writing user memory from the kernel.
 *
 * A system call's pointer arguments are user addresses: the kernel never
 * dereferences them directly. These functions check that the range lies in
 * the user half (access_ok) and then copy with instructions that have an
 * entry in the exception table (kernel/extable.h): if the user page is
 * missing, the fault handler first tries to fault it in (handle_mm_fault,
 * as for a user access); if that fails, the copy stops and the function
 * returns what it could not copy, instead of the kernel crashing. On
 * CPUs with SMAP (x86_64) or PAN (arm64) the kernel cannot touch user
 * memory at all outside these functions.
 *
 *	if (copy_from_user(&ts, uptr, sizeof(ts)))
 *		return -EFAULT;
 *
 * Contract (each may sleep later, when faults can wait for I/O):
 *   copy_from_user(to, from, n), copy_to_user(to, from, n): return the
 *     number of bytes NOT copied (0: all).
 *   strncpy_from_user(dst, src, n): copies up to n bytes of a NUL-ended
 *     string; returns its length (without the NUL) if it fitted, n if it
 *     did not (dst is then not terminated), -EFAULT on a bad address.
 *   clear_user(to, n): zeroes user memory; returns bytes not cleared.
 */
#ifndef KERNEL_UACCESS_H
#define KERNEL_UACCESS_H

#include "kernel/types.h"
#include <arch/mmu.h>

/*
 * The arch primitives under the functions below (arch/x86_64/uaccess.asm,
 * arch/arm64/uaccess.S; each arch's way is in docs/arch-boundary.md).
 * They do not check the range (access_ok does, here); each instruction of
 * theirs that touches user memory has an exception-table entry. Copy or
 * zero n bytes and return the number NOT done (0: all of them).
 */
size_t arch_copy_from_user(void *to, const void *from, size_t n);
size_t arch_copy_to_user(void *to, const void *from, size_t n);
size_t arch_clear_user(void *to, size_t n);

/* The whole range [addr, addr + size) is in the user half. */
static inline bool access_ok(const void *addr, size_t size)
{
	unsigned long a = (unsigned long)addr;

	return a <= TASK_SIZE && size <= TASK_SIZE - a;
}

static inline size_t copy_from_user(void *to, const void *from, size_t n)
{
	if (!access_ok(from, n))
		return n;
	return arch_copy_from_user(to, from, n);
}

static inline size_t copy_to_user(void *to, const void *from, size_t n)
{
	if (!access_ok(to, n))
		return n;
	return arch_copy_to_user(to, from, n);
}

static inline size_t clear_user(void *to, size_t n)
{
	if (!access_ok(to, n))
		return n;
	return arch_clear_user(to, n);
}

long strncpy_from_user(char *dst, const char *src, long n);

#endif
