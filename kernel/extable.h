/*
 * kernel/extable.h - the exception table: instructions that may fault on
 * purpose (the user-memory accessors of kernel/uaccess.h) and where to go
 * when they do. Each entry is made beside its instruction by the arch's
 * assembly (an _ASM_EXTABLE-like macro) into the linker section
 * `__ex_table` (linker.ld: __start___ex_table .. __stop___ex_table).
 *
 * A kernel-mode fault first asks search_exception_tables(pc); on a hit the
 * arch sets the saved pc to the fixup and returns from the exception (the
 * accessor then reports the bytes it did not copy). Only on a miss does
 * the crash report follow.
 */
#ifndef KERNEL_EXTABLE_H
#define KERNEL_EXTABLE_H

#include "kernel/types.h"

struct exception_table_entry {
	unsigned long insn;	/* address of the instruction that may fault */
	unsigned long fixup;	/* where to resume if it does */
};

/* The fixup for a faulting pc, or 0 if pc has no entry. */
unsigned long search_exception_tables(unsigned long pc);

#endif
