/*
 * kernel/smp.h - more than one CPU: starting them, running a function on
 * other CPUs, and TLB shootdown.
 *
 * smp_init() starts every CPU the firmware lists (arch_smp_early_init),
 * one at a time, and logs which came up and which did not and why.
 *
 * smp_call_function_single(cpu, fn, arg) runs fn(arg) on `cpu` in
 * interrupt context (interrupts off; fn must be short and not sleep) and
 * waits until it has run. _many() does the same on every CPU in a mask,
 * on_each_cpu() on every online CPU, this one included. The caller must
 * have interrupts on (a CPU waiting with them off could never answer
 * another CPU's request: deadlock) and may be preempted only around the
 * call, not during it.
 *
 * flush_tlb_kernel_range() makes a change to kernel page tables visible
 * everywhere: every online CPU drops its cached translations of the range
 * before it returns. Call it after changing or removing mappings.
 */
#ifndef KERNEL_SMP_H
#define KERNEL_SMP_H

#include "kernel/types.h"
#include <arch/thread.h>

typedef void (*smp_call_func_t)(void *arg);

/* Find the CPUs, reserve what starting them needs (before mm_core_init). */
void smp_early_init(void);
/* Start the other CPUs (kernel_main, after sched_init). */
void smp_init(void);
/* The number of CPUs online. */
unsigned int num_online_cpus(void);
/* expect_cpus=N from the command line (the harness's promise), else 0. */
unsigned int smp_expected_cpus(void);

int smp_call_function_single(unsigned int cpu, smp_call_func_t fn, void *arg);
void smp_call_function_many(unsigned long mask, smp_call_func_t fn, void *arg);
void on_each_cpu(smp_call_func_t fn, void *arg);

void flush_tlb_kernel_range(unsigned long start, unsigned long end);
void flush_tlb_all(void);

/* Counters, per CPU: IPIs received by kind, TLB flushes done for others. */
uint64_t smp_ipi_count(unsigned int cpu, enum ipi_kind kind);
uint64_t smp_tlb_flush_count(unsigned int cpu);

/* Arch callbacks (arch/thread.h). */
__noreturn void smp_secondary_entry(unsigned int cpu);
void smp_ipi_handler(enum ipi_kind kind);

#endif
