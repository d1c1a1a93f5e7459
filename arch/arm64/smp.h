/*
 * arch/arm64/smp.h - what start.c tells smp.c about the CPUs.
 */
#ifndef ARCH_ARM64_SMP_H
#define ARCH_ARM64_SMP_H

#include "kernel/types.h"

enum arm64_enable_method {
	CPU_ENABLE_NONE,
	CPU_ENABLE_PSCI,		/* PSCI CPU_ON (QEMU virt) */
	CPU_ENABLE_SPIN_TABLE,		/* write the entry to release_addr (Pi) */
};

struct arm64_cpu_info {
	uint64_t hwid;			/* MPIDR affinity */
	enum arm64_enable_method method;
	uint64_t release_addr;
};

/* Record the CPUs (from the device tree, or the board's defaults) before
 * arch_mm_init(): the tree is not mapped after it. */
void arm64_smp_record_cpus(void);

/* Route the IPIs (once the interrupt controller is up, boot CPU). */
void arm64_smp_irq_init(void);

/* This CPU's own timer tick (time.c). */
void arm64_timer_cpu_init(void);

#endif
