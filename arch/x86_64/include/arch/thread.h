/*
 * arch/thread.h (x86_64) - what the portable scheduler, SMP and TLB code
 * need from the CPU. docs/arch-boundary.md lists the same contract for
 * every architecture. Portable code only ever calls these; the arch calls
 * back the portable functions named at the end.
 */
#ifndef ARCH_THREAD_H
#define ARCH_THREAD_H

#include "kernel/ipi.h"
#include "kernel/types.h"
#include <arch/cpu.h>

/* ---------------------------------------------------------------- threads */

/*
 * A switched-out thread's callee-saved registers live on its own stack;
 * sp finds them. The rest is per-thread CPU state that does not fit
 * there: where the stack ends (TSS.rsp0 and the SYSCALL entry's stack,
 * with one struct pt_regs just below it, <arch/user.h>), and for a
 * thread that runs in user mode its FS base (TLS) and FPU/SSE
 * registers, which the kernel itself never uses (-mgeneral-regs-only).
 */
struct arch_context {
	unsigned long sp;
	unsigned long stack_top;	/* the stack's end, exclusive */
	unsigned long fs_base;		/* user TLS (arch_prctl ARCH_SET_FS) */
	bool user;			/* has user state: switch fs/FPU */
	uint8_t fxsave[512] __aligned(16);	/* FXSAVE image (SDM vol. 1,
						 * 10.5.1); x87 and SSE only */
};

/*
 * The thread running on this CPU. One gs-relative load, so it is right
 * even if the thread migrates around the call. Valid from the first C
 * code: the arch sets it to &boot_thread before kernel_main().
 */
static inline struct thread *arch_current(void)
{
	struct thread *t;

	__asm__ __volatile__("movq %%gs:%c1, %0" : "=r"(t)
		: "i"(offsetof(struct x86_cpu_local, curr_thread)));
	return t;
}

/* Make t this CPU's running thread (the scheduler, interrupts off). */
static inline void arch_set_current(struct thread *t)
{
	__asm__ __volatile__("movq %0, %%gs:%c1" : : "r"(t),
			     "i"(offsetof(struct x86_cpu_local, curr_thread)) : "memory");
}

/*
 * Prepare ctx so that the first arch_context_switch() to it runs
 * entry(arg) on the stack that ends (exclusive) at stack_top, with
 * interrupts still off. entry must never return.
 */
void arch_thread_init(struct arch_context *ctx, void *stack_top,
		      void (*entry)(void *), void *arg);

/*
 * Save the callee-saved registers and stack pointer of the running thread
 * in prev and resume the thread saved in next. Called with interrupts off;
 * returns (on whatever CPU) when another switch resumes prev.
 */
void arch_context_switch(struct arch_context *prev, struct arch_context *next);

/* ---------------------------------------------------------------- SMP */

/*
 * Find the CPUs (x86_64: the ACPI MADT) and reserve what starting them
 * needs (the real-mode start page below 1 MiB). Called once by
 * kernel_main() while memblock still allocates, before mm_core_init().
 * Prints what it found; returns how many CPUs may be started, counting
 * the boot CPU (at most NR_CPUS; 1 when nothing else is known).
 */
unsigned int arch_smp_early_init(void);

/*
 * Start CPU `cpu` (1 .. arch_smp_early_init()-1) with `idle` as its current
 * thread, running on the stack ending at stack_top: after its own set-up
 * (descriptor tables, interrupt controller, timer tick) it calls
 * smp_secondary_entry(cpu) with interrupts off. Returns 0 once the CPU has
 * got that far, or -1 after printing why it did not (e.g. no answer to
 * INIT-SIPI-SIPI within the timeout). Called from the boot CPU, one CPU at
 * a time, with interrupts on.
 */
int arch_cpu_start(unsigned int cpu, struct thread *idle, void *stack_top);

/* The firmware's number for a CPU (x86_64: the local APIC ID), for logs. */
unsigned int arch_cpu_hwid(unsigned int cpu);

/*
 * Interrupt CPU `cpu` (online, possibly this one); on that CPU the arch
 * calls smp_ipi_handler(kind) in interrupt context. Any context.
 */
void arch_send_ipi(unsigned int cpu, enum ipi_kind kind);

/* ---------------------------------------------------------------- TLB */

/* Drop this CPU's cached translations of [va, va + size) (kernel range). */
void arch_flush_tlb_local_range(unsigned long va, size_t size);
/* Drop all of this CPU's cached translations, global ones included. */
void arch_flush_tlb_local_all(void);

/* ---------------------------------------------------------------- callbacks
 * Portable functions the arch calls (kernel/sched.h, kernel/smp.h):
 *   smp_secondary_entry(cpu)   first portable code on a new CPU
 *   smp_ipi_handler(kind)      an IPI arrived, interrupt context
 *   timer_tick()               every tick on every CPU, interrupt context
 *   sched_preempt_irq()        at the end of every device interrupt and
 *                              IPI, interrupts off: may switch threads
 */

#endif
