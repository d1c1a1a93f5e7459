/*
 * arch/cpu.h for host builds: one CPU, interrupts are a flag - one per
 * thread, as each CPU has its own (the slab bench runs two threads as two
 * CPUs). local-exec: the flag is in the executable, so an access is one
 * %fs-relative instruction, as cheap as a global's.
 */
#ifndef ARCH_CPU_H
#define ARCH_CPU_H

#include "kernel/types.h"

extern _Thread_local unsigned long host_irq_flags
	__attribute__((tls_model("local-exec")));

/*
 * All four are compiler barriers, as the kernel's are (their asm clobbers
 * memory): without them the compiler may drop a save and restore with
 * nothing it can see between them, and a benchmark would time less than
 * the kernel runs.
 */
static inline unsigned long arch_irq_save(void)
{
	unsigned long f = host_irq_flags;

	host_irq_flags = 0;
	__asm__ __volatile__("" ::: "memory");
	return f;
}
static inline void arch_irq_restore(unsigned long f)
{
	__asm__ __volatile__("" ::: "memory");
	host_irq_flags = f;
}
static inline void arch_irq_enable(void)
{
	__asm__ __volatile__("" ::: "memory");
	host_irq_flags = 1;
}
static inline void arch_irq_disable(void)
{
	host_irq_flags = 0;
	__asm__ __volatile__("" ::: "memory");
}
static inline bool arch_irqs_enabled(void) { return host_irq_flags; }
static inline void arch_wait_for_interrupt(void) { }
/* A test may play the other CPUs between a waiter's turns
 * (tests/host/spinlock_model_test.c); NULL: nothing happens. */
extern void (*host_cpu_relax_hook)(void);
static inline void arch_cpu_relax(void)
{
	if (host_cpu_relax_hook)
		host_cpu_relax_hook();
}
static inline unsigned int arch_cpu_id(void) { return 0; }
static inline uint64_t arch_cycles(void) { return __builtin_ia32_rdtsc(); }

#endif
