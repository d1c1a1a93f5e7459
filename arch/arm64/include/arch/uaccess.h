/*
 * arch/uaccess.h (arm64) - the user-memory accessors under
 * kernel/uaccess.h, which checks the range first (access_ok) and states
 * the contract. Written in assembly (arch/arm64/uaccess.S) with
 * LDTR/STTR, the unprivileged loads and stores: from EL1 they access
 * memory with EL0's permissions, so they work with PAN on, cannot touch a
 * kernel page (EL0 has no access there) and fault on a read-only user
 * page like a user store would (copy-on-write then applies). Each such
 * instruction has an exception-table entry (kernel/extable.h): a fault mm
 * cannot resolve resumes at its fixup.
 */
#ifndef ARCH_UACCESS_H
#define ARCH_UACCESS_H

#include "kernel/types.h"

/* Copy n bytes; return the number NOT copied (0: all). */
size_t arch_copy_from_user(void *to, const void *from, size_t n);
size_t arch_copy_to_user(void *to, const void *from, size_t n);
/* Zero n bytes of user memory; return the number NOT zeroed. */
size_t arch_clear_user(void *to, size_t n);

#endif
