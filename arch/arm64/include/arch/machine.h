/*
 * arch/machine.h (arm64) - the machine as a whole: clock, leaving, stopping.
 */
#ifndef ARCH_MACHINE_H
#define ARCH_MACHINE_H

#include "kernel/types.h"

/* Nanoseconds since kernel entry; monotonic (the generic timer). */
uint64_t arch_clock_ns(void);

/* Turn the machine off (PSCI SYSTEM_OFF through the device tree's
 * conduit); on a board without PSCI, say so and halt. Never returns. */
__noreturn void arch_poweroff(void);

/* Leave QEMU with a status the test harness checks (semihosting
 * SYS_EXIT_EXTENDED: 0 passed, 1 failed). Not under QEMU: say so, halt. */
__noreturn void arch_test_exit(bool passed);

/* Stop this CPU for good, interrupts off. */
__noreturn void arch_halt(void);

/* Name of the machine for the boot log ("QEMU virt", "Raspberry Pi 4"...). */
const char *arch_machine_name(void);

/* true if the CPUs are threads of a host, which may stop any of them at
 * any instruction. The architecture has no such bit (x86's CPUID has):
 * it is the board's word. QEMU's `virt` exists only as a virtual machine;
 * a Raspberry Pi is hardware (even when QEMU's raspi3b plays one). Chooses
 * how spinlocks wait (kernel/spinlock.h). */
bool arch_cpu_virtualized(void);

/* Raise the trap that reports a panic (kernel/panic.c): a BRK with the
 * immediate 0x800 (Linux's BUG_BRK_IMM), recognised by the trap handler. */
#define ARM64_PANIC_BRK_IMM	0x800
static inline void arch_panic_trap(void)
{
	__asm__ __volatile__("brk #0x800" ::: "memory");
}

/* Initialise the machine's devices: interrupt controller, timer. */
void arch_time_init(void);

/* Replace the boot page tables with ones built from memblock's map. */
void arch_mm_init(void);

#endif
