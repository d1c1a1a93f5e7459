/*
 * arch/cpu.h (x86_64) - the CPU operations portable code may use.
 */
#ifndef ARCH_CPU_H
#define ARCH_CPU_H

#include "kernel/types.h"

#define X86_RFLAGS_IF	(1UL << 9)

static inline unsigned long arch_irq_save(void)
{
	unsigned long flags;

	__asm__ __volatile__("pushfq; popq %0; cli" : "=r"(flags) :: "memory");
	return flags;
}

static inline void arch_irq_restore(unsigned long flags)
{
	if (flags & X86_RFLAGS_IF)
		__asm__ __volatile__("sti" ::: "memory");
}

static inline void arch_irq_enable(void)  { __asm__ __volatile__("sti" ::: "memory"); }
static inline void arch_irq_disable(void) { __asm__ __volatile__("cli" ::: "memory"); }

static inline bool arch_irqs_enabled(void)
{
	unsigned long flags;

	__asm__ __volatile__("pushfq; popq %0" : "=r"(flags));
	return flags & X86_RFLAGS_IF;
}

/* Sleep until the next interrupt. Enables interrupts (sti; hlt is atomic). */
static inline void arch_wait_for_interrupt(void)
{
	__asm__ __volatile__("sti; hlt" ::: "memory");
}

static inline void arch_cpu_relax(void) { __asm__ __volatile__("pause" ::: "memory"); }

/*
 * Each CPU's own small block, found through the GS base register (set
 * before any C code that could ask runs on that CPU: x86_64_start() on the
 * boot CPU, x86_ap_main() on the others). One gs-relative load gives the
 * CPU number or the running thread, without knowing which CPU we are on,
 * so the read cannot be torn by a migration.
 */
struct thread;
struct x86_cpu_local {
	struct x86_cpu_local *self;	/* linear address of this block */
	unsigned int cpu;		/* logical number, 0 = boot CPU */
	unsigned int apic_id;
	struct thread *curr_thread;	/* the thread running here */
	/* For the SYSCALL entry (entry.asm reads them by offset): */
	unsigned long kernel_stack;	/* the running thread's stack top */
	unsigned long user_rsp;		/* scratch: user rsp at entry */
};
extern struct x86_cpu_local x86_cpu_locals[];

/* Logical CPU number. Only stable while the caller cannot migrate. */
static inline unsigned int arch_cpu_id(void)
{
	unsigned int id;

	__asm__ __volatile__("movl %%gs:%c1, %0" : "=r"(id)
			     : "i"(offsetof(struct x86_cpu_local, cpu)));
	return id;
}

/* A free-running cycle counter, for benchmarks. */
static inline uint64_t arch_cycles(void)
{
	uint32_t lo, hi;

	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

#endif
