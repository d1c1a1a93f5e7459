/*
 * kernel/percpu.h - per-CPU data, the simple way: an array indexed by CPU.
 *
 *	static DEFINE_PER_CPU(struct pcp_lists, pcp);
 *	struct pcp_lists *mine = this_cpu_ptr(pcp);
 *	struct pcp_lists *cpu3 = per_cpu_ptr(pcp, 3);
 *
 * Each CPU's slot is padded to a cache line so CPUs do not share lines.
 * arch_cpu_id() is one load from the CPU's own register (x86_64: %gs,
 * arm64: TPIDR_EL1), so this_cpu_ptr() costs a load and an index.
 * It is only stable while the caller cannot migrate to another CPU:
 * interrupts off, a spinlock held, or preempt_disable() (kernel/preempt.h).
 */
#ifndef KERNEL_PERCPU_H
#define KERNEL_PERCPU_H

#include "kernel/types.h"
#include <arch/cpu.h>

#define NR_CPUS		8
#define CACHE_LINE	64

#define DEFINE_PER_CPU(type, name) \
	struct { type v; } __aligned(CACHE_LINE) name[NR_CPUS]

#define per_cpu_ptr(name, cpu)	(&(name)[cpu].v)
#define this_cpu_ptr(name)	per_cpu_ptr(name, arch_cpu_id())

/* CPUs that are running (bit n = CPU n); CPU 0 until SMP starts others. */
extern unsigned long cpu_online_mask;
#define for_each_online_cpu(cpu) \
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++) \
		if (cpu_online_mask & (1UL << cpu))

#endif
