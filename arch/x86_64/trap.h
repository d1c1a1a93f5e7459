/*
 * arch/x86_64/trap.h - the register frame the interrupt stubs build
 * (entry.asm), lowest address first.
 */
#ifndef ARCH_X86_64_TRAP_H
#define ARCH_X86_64_TRAP_H

#include "kernel/types.h"
#include <arch/user.h>

/* The frame: struct pt_regs, <arch/user.h>. */

#define IRQ_TIMER_VECTOR	0x20
#define IRQ_SPURIOUS_VECTOR	0xff

void x86_trap_init(void);
void x86_trap_init_cpu(unsigned int cpu);
void x86_set_irq_handler(unsigned int vector, void (*fn)(struct pt_regs *));

#endif
