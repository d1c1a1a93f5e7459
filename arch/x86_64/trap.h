/*
 * arch/x86_64/trap.h - the register frame the interrupt stubs build
 * (entry.asm), lowest address first.
 */
#ifndef ARCH_X86_64_TRAP_H
#define ARCH_X86_64_TRAP_H

#include "kernel/types.h"

struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss;	/* pushed by the CPU */
};

#define IRQ_TIMER_VECTOR	0x20
#define IRQ_SPURIOUS_VECTOR	0xff

void x86_trap_init(void);
void x86_trap_init_cpu(unsigned int cpu);
void x86_set_irq_handler(unsigned int vector, void (*fn)(struct trap_frame *));

#endif
