/*
 * arch/cpu.h (arm64) - the CPU operations portable code may use.
 *
 * Interrupt masking is PSTATE.DAIF: the I bit masks IRQs (F would mask
 * FIQs, which this kernel never enables).
 */
#ifndef ARCH_CPU_H
#define ARCH_CPU_H

#include "kernel/types.h"

#define ARM64_DAIF_I	(1UL << 7)

static inline unsigned long arch_irq_save(void)
{
	unsigned long flags;

	__asm__ __volatile__("mrs %0, daif\n\tmsr daifset, #2"
			     : "=r"(flags) :: "memory");
	return flags;
}

/*
 * Interrupts back on if they were on at the arch_irq_save that gave
 * flags; otherwise nothing (they are still off: the section between
 * masked only I). The same contract as x86_64's. Why not write DAIF back
 * every time: under TCG every write of DAIF ends the translated block
 * and goes back to QEMU's main loop, and most saves are nested in an
 * outer one (a DMA map takes three), so the inner restores would each
 * pay that for nothing.
 */
static inline void arch_irq_restore(unsigned long flags)
{
	if (!(flags & ARM64_DAIF_I))
		__asm__ __volatile__("msr daifclr, #2" ::: "memory");
}

static inline void arch_irq_enable(void)  { __asm__ __volatile__("msr daifclr, #2" ::: "memory"); }
static inline void arch_irq_disable(void) { __asm__ __volatile__("msr daifset, #2" ::: "memory"); }

static inline bool arch_irqs_enabled(void)
{
	unsigned long flags;

	__asm__ __volatile__("mrs %0, daif" : "=r"(flags));
	return !(flags & ARM64_DAIF_I);
}

/*
 * Sleep until the next interrupt, then return with interrupts enabled.
 * WFI wakes on a pending interrupt even while it is masked, so masking
 * first closes the window where one could arrive between the caller's
 * check and the WFI; it is taken as soon as the mask is lifted.
 */
static inline void arch_wait_for_interrupt(void)
{
	__asm__ __volatile__("msr daifset, #2\n\twfi\n\tmsr daifclr, #2" ::: "memory");
}

static inline void arch_cpu_relax(void) { __asm__ __volatile__("yield" ::: "memory"); }

/*
 * Each CPU's own small block, found through TPIDR_EL1 (head.S sets it
 * before any C code runs on the CPU). One load gives the CPU number or the
 * running thread without knowing which CPU we are on.
 */
struct thread;
struct arm64_cpu_local {
	unsigned int cpu;		/* logical number, 0 = boot CPU */
	unsigned int hwid;		/* MPIDR_EL1 affinity bits */
	struct thread *current;		/* the thread running here */
};
extern struct arm64_cpu_local arm64_cpu_locals[];

/* Logical CPU number. Only stable while the caller cannot migrate. */
static inline unsigned int arch_cpu_id(void)
{
	struct arm64_cpu_local *l;

	__asm__ __volatile__("mrs %0, tpidr_el1" : "=r"(l));
	return l->cpu;
}

/*
 * A free-running counter, for benchmarks: the generic timer's virtual
 * count (CNTVCT_EL0, CNTFRQ_EL0 ticks a second; the cycle counter needs
 * the PMU, which QEMU's TCG does not count faithfully anyway).
 */
static inline uint64_t arch_cycles(void)
{
	uint64_t v;

	__asm__ __volatile__("isb\n\tmrs %0, cntvct_el0" : "=r"(v) :: "memory");
	return v;
}

#endif
