/*
 * arch/x86_64/apic.h - the local APIC (Intel SDM vol. 3, ch. 11), for
 * x86_64's own code: the timer (time.c), IPIs and CPU start (smp.c).
 * xAPIC mode: registers are memory-mapped at x86_lapic (ioremap'd).
 */
#ifndef ARCH_X86_64_APIC_H
#define ARCH_X86_64_APIC_H

#include "kernel/types.h"
#include <arch/mmio.h>

#define APIC_ID		0x020
#define APIC_EOI	0x0b0
#define APIC_SVR	0x0f0
#define APIC_ICR_LOW	0x300
#define APIC_ICR_HIGH	0x310
#define APIC_ICR_BUSY	(1U << 12)	/* delivery status: send pending */

#define IPI_RESCHEDULE_VECTOR	0xf0
#define IPI_CALL_FUNC_VECTOR	0xf1

extern void *x86_lapic;

static inline uint32_t lapic_read(unsigned int reg)
{
	return readl((char *)x86_lapic + reg);
}

static inline void lapic_write(unsigned int reg, uint32_t v)
{
	writel(v, (char *)x86_lapic + reg);
}

static inline unsigned int lapic_id(void)
{
	return lapic_read(APIC_ID) >> 24;
}

/* On a secondary CPU: enable its local APIC and start its tick. */
void x86_lapic_init_secondary(void);

#endif
