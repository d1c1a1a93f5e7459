/*
 * arch/uaccess.h (x86_64) - the user-memory copy primitives behind
 * kernel/uaccess.h (which checks the range first: these do not).
 *
 * Each is a `rep movsb` / `rep stosb` between STAC and CLAC (when the CPU
 * has SMAP, kernel access to user pages is allowed only in between), with
 * an exception-table entry on the one instruction that may fault: a
 * fault there that mm cannot resolve resumes at the fixup, which returns
 * the count the CPU had left (rcx). arch/x86_64/uaccess.asm.
 */
#ifndef ARCH_UACCESS_H
#define ARCH_UACCESS_H

#include "kernel/types.h"

/* Copy n bytes; return how many were NOT copied (0: all of them). */
size_t arch_copy_from_user(void *to, const void *from, size_t n);
size_t arch_copy_to_user(void *to, const void *from, size_t n);
/* Zero n bytes of user memory; return how many were NOT zeroed. */
size_t arch_clear_user(void *to, size_t n);

#endif
