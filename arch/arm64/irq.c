/*
 * arch/arm64/irq.c - the interrupt handler table and controller choice.
 */
#include "arch/arm64/irq.h"
#include "kernel/printk.h"

static void (*handlers[NR_IRQS])(unsigned int irq);
const struct irqchip *irqchip;
unsigned long irq_spurious_count;

int irq_init(const struct board_config *cfg)
{
	switch (cfg->intc) {
	case INTC_GICV2:	return gic_v2_init(cfg);
	case INTC_GICV3:	return gic_v3_init(cfg);
	case INTC_BCM2836:	return bcm2836_intc_init(cfg);
	case INTC_NONE:		break;
	}
	pr_err("irq: no interrupt controller\n");
	return -1;
}

void irq_request(unsigned int irq, void (*fn)(unsigned int irq))
{
	if (irq >= NR_IRQS)
		return;
	handlers[irq] = fn;
	if (irqchip)
		irqchip->enable(irq);
}

void irq_cpu_init(void)
{
	if (!irqchip)
		return;
	irqchip->cpu_init();
	for (unsigned int irq = 0; irq < IRQ_PER_CPU_LIMIT; irq++)
		if (handlers[irq])
			irqchip->enable(irq);
}

void irq_send_ipi(unsigned int cpu, unsigned int kind)
{
	if (irqchip && irqchip->send_ipi)
		irqchip->send_ipi(cpu, kind);
}

void irq_dispatch(unsigned int irq)
{
	if (irq < NR_IRQS && handlers[irq])
		handlers[irq](irq);
	else
		irq_spurious_count++;
}
