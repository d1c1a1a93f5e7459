/*
 * arch/machine.h (x86_64) - the machine as a whole: clock, leaving, stopping.
 */
#ifndef ARCH_MACHINE_H
#define ARCH_MACHINE_H

#include "kernel/types.h"

/* Nanoseconds since boot; monotonic; 0 until the clock is calibrated. */
uint64_t arch_clock_ns(void);

/* Turn the machine off (ACPI S5 under QEMU); never returns. */
__noreturn void arch_poweroff(void);

/* Leave QEMU with a status the test harness checks (isa-debug-exit). */
__noreturn void arch_test_exit(bool passed);

/* Stop this CPU for good, interrupts off. */
__noreturn void arch_halt(void);

/* Name of the machine for the boot log ("QEMU q35", ...). */
const char *arch_machine_name(void);

/* true if the CPUs are threads of a host (a hypervisor or an emulator such
 * as QEMU), which may stop any of them at any instruction: CPUID leaf 1,
 * ECX bit 31 (the "hypervisor" bit, SDM vol. 2A, CPUID; reserved as 0 on
 * hardware). Chooses how spinlocks wait (kernel/spinlock.h). */
bool arch_cpu_virtualized(void);

/* Raise the trap that reports a panic (kernel/panic.c): an invalid opcode
 * the trap handler recognises while panic_message is set. */
static inline void arch_panic_trap(void)
{
	__asm__ __volatile__("ud2" ::: "memory");
}

/* Initialise the machine's devices: interrupt controller, timer. */
void arch_time_init(void);

/* Replace the boot page tables with ones built from memblock's map. */
void arch_mm_init(void);

#endif
