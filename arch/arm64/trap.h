/*
 * arch/arm64/trap.h - the register frame the exception entry builds
 * (entry.S), lowest address first, and the hooks other arch code uses.
 */
#ifndef ARCH_ARM64_TRAP_H
#define ARCH_ARM64_TRAP_H

#include "kernel/types.h"

struct arm64_regs {
	uint64_t x[31];		/* x0-x30; x29 is fp, x30 is lr */
	uint64_t sp;		/* the stack pointer before the exception */
	uint64_t elr;		/* where it happened (or where to resume) */
	uint64_t spsr;		/* PSTATE at the time */
	uint64_t esr;		/* syndrome: exception class + details */
	uint64_t far;		/* faulting address, for aborts */
	uint64_t kind;		/* vector table entry, 0-15 */
	uint64_t pad;
};
_Static_assert(sizeof(struct arm64_regs) == 304, "entry.S REGS_SIZE");

/* The interrupt controller's handler for IRQs (gic.c, bcm2836_intc.c). */
extern void (*arm64_irq_handler)(struct arm64_regs *regs);

/* The exception class of an ESR, in words ("Data abort from EL1"...). */
const char *arm64_esr_class_name(uint64_t esr);
/* Decode an ESR into words: the cause, the fault status, read/write. */
void arm64_esr_words(char *buf, size_t size, uint64_t esr);

/* Set while arch_test_exit() tries semihosting: an undefined-instruction
 * trap on its HLT then means "no semihosting here" (a real board). */
extern volatile bool arm64_semihosting_probe;
extern volatile bool arm64_semihosting_absent;

#endif
