/*
 * arch/arm64/trap.h - the register frame the exception entry builds
 * (entry.S), lowest address first, and the hooks other arch code uses.
 */
#ifndef ARCH_ARM64_TRAP_H
#define ARCH_ARM64_TRAP_H

#include "kernel/types.h"
#include <arch/user.h>

/* The frame: struct pt_regs, <arch/user.h>. */

/* The interrupt controller's handler for IRQs (gic.c, bcm2836_intc.c). */
extern void (*arm64_irq_handler)(struct pt_regs *regs);

/* The exception class of an ESR, in words ("Data abort from EL1"...). */
const char *arm64_esr_class_name(uint64_t esr);
/* Decode an ESR into words: the cause, the fault status, read/write. */
void arm64_esr_words(char *buf, size_t size, uint64_t esr);

/* User mode (process.c): set up EL0's controls, FP/SIMD access and PAN
 * on this CPU (every CPU, before it runs user code); say what was found
 * (boot CPU, once); whether PAN is on; the SPSR a return to EL0 may use
 * (EL0t, AArch64, DAIF clear, only the user's NZCV kept). */
void arm64_user_cpu_init(void);
void arm64_user_report(void);
bool arm64_cpu_has_pan(void);
uint64_t arm64_user_spsr(uint64_t spsr);

/* Set while arch_test_exit() tries semihosting: an undefined-instruction
 * trap on its HLT then means "no semihosting here" (a real board). */
extern volatile bool arm64_semihosting_probe;
extern volatile bool arm64_semihosting_absent;

#endif
