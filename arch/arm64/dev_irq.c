/*
 * arch/arm64/dev_irq.c - device interrupts for portable drivers
 * (contract: arch/irq.h): wired GIC interrupts through irq_request();
 * no MSI doorbell (GICv2m/ITS) support yet.
 */
#include "arch/arm64/irq.h"
#include "kernel/spinlock.h"
#include <arch/irq.h>

static struct {
	void (*fn)(void *arg);
	void *arg;
} dev_irqs[NR_IRQS];

static void dev_irq_entry(unsigned int irq)
{
	if (dev_irqs[irq].fn)
		dev_irqs[irq].fn(dev_irqs[irq].arg);
}

int arch_irq_request(unsigned int irq, void (*fn)(void *arg), void *arg)
{
	if (irq < IRQ_PER_CPU_LIMIT || irq >= NR_IRQS)
		return -1;
	dev_irqs[irq].arg = arg;
	dev_irqs[irq].fn = fn;
	irq_request(irq, dev_irq_entry);
	return 0;
}

int arch_msi_alloc(void (*fn)(void *arg), void *arg, uint64_t *addr,
		   uint32_t *data)
{
	(void)fn; (void)arg; (void)addr; (void)data;
	return -1;
}

void arch_msi_free(uint32_t data)
{
	(void)data;
}
