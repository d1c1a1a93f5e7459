/*
 * arch/thread.h (arm64) - what the portable scheduler, SMP and TLB code
 * need from the CPU (the same contract as x86_64's; see that header for
 * each function's full statement). Portable code only ever calls these.
 *
 * Per-CPU state: TPIDR_EL1 points at this CPU's struct arm64_cpu_local
 * (head.S sets it before the first C code), so one load gives the CPU
 * number or the running thread.
 *
 * SMP (arch/arm64/smp.c): CPUs come from the device tree (or a Pi's board
 * defaults) and start by PSCI CPU_ON or the firmware's spin table; IPIs
 * are GIC SGIs or BCM2836 mailbox bits. See docs/boot-arm64.md.
 */
#ifndef ARCH_THREAD_H
#define ARCH_THREAD_H

#include "kernel/ipi.h"
#include "kernel/types.h"
#include <arch/cpu.h>

/* ---------------------------------------------------------------- threads */

/*
 * A thread's FP/SIMD registers (user mode's only: the kernel is built
 * with -mgeneral-regs-only and never touches them): q0-q31, FPSR, FPCR.
 */
struct arch_fpsimd_state {
	uint64_t vregs[64];		/* q0-q31, low half first */
	uint32_t fpsr, fpcr;
	uint64_t pad;
};

/*
 * A switched-out thread's general registers live on its own stack (sp
 * finds them). A thread that has run in user mode (`user` set by
 * arch_enter_user / arch_copy_user_state / arch_reset_user_state) also
 * owns the FP/SIMD registers and TPIDR_EL0 (its TLS pointer): while it
 * runs they are live in the CPU, while it is switched out they are here
 * (arch_context_switch saves and loads them). Offsets are used by
 * thread_asm.S.
 */
struct arch_context {
	unsigned long sp;		/* 0 */
	unsigned long tpidr_el0;	/* 8 */
	unsigned long user;		/* 16: nonzero: switch the state below */
	unsigned long pad;
	struct arch_fpsimd_state fpsimd __attribute__((aligned(16)));	/* 32 */
};

static inline struct thread *arch_current(void)
{
	struct arm64_cpu_local *l;

	__asm__ __volatile__("mrs %0, tpidr_el1" : "=r"(l));
	return l->current;
}

/* Make t this CPU's running thread (the scheduler, interrupts off). */
static inline void arch_set_current(struct thread *t)
{
	struct arm64_cpu_local *l;

	__asm__ __volatile__("mrs %0, tpidr_el1" : "=r"(l));
	l->current = t;
}

/* Prepare ctx so the first arch_context_switch() to it runs entry(arg) on
 * the stack ending at stack_top, interrupts still off. entry never returns. */
void arch_thread_init(struct arch_context *ctx, void *stack_top,
		      void (*entry)(void *), void *arg);

/* Save the running thread's callee-saved registers and sp in prev, resume
 * next; for threads with user state also FP/SIMD and TPIDR_EL0. Interrupts
 * off; returns when another switch resumes prev. */
void arch_context_switch(struct arch_context *prev, struct arch_context *next);

/* ---------------------------------------------------------------- SMP */

/* How many CPUs may be started, counting the boot CPU (at most NR_CPUS). */
unsigned int arch_smp_early_init(void);

/*
 * Start CPU `cpu` with `idle` as its current thread on the stack ending at
 * stack_top; it sets up its GIC/local-intc part and its tick, then calls
 * smp_secondary_entry(cpu) with interrupts off. 0 once it was told to
 * start (PSCI said yes / the spin-table slot was written), -1 after
 * printing why not.
 */
int arch_cpu_start(unsigned int cpu, struct thread *idle, void *stack_top);

/* The firmware's number for a CPU (MPIDR affinity), for logs. */
unsigned int arch_cpu_hwid(unsigned int cpu);

/* Interrupt CPU `cpu` (GIC SGI `kind`, or BCM2836 mailbox bit); any context. */
void arch_send_ipi(unsigned int cpu, enum ipi_kind kind);

/* ---------------------------------------------------------------- TLB */

/* Drop this CPU's cached translations of [va, va + size) (kernel range). */
void arch_flush_tlb_local_range(unsigned long va, size_t size);
/* Drop all of this CPU's cached translations. */
void arch_flush_tlb_local_all(void);

#endif
