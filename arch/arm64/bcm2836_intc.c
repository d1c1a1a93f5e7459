/*
 * arch/arm64/bcm2836_intc.c - the Raspberry Pi 2/3 "ARM local" interrupt
 * controller (BCM2836 ARM-local peripherals, QA7 rev 3.4, section 4). Each
 * core has its own registers: which of its four generic-timer interrupts
 * may raise an IRQ (4.6), and which sources are pending (4.10). The GPU's
 * interrupts reach the cores through it too (source 8); this kernel only
 * takes the timers.
 */
#include "arch/arm64/irq.h"
#include "arch/arm64/trap.h"
#include "kernel/printk.h"
#include <arch/cpu.h>
#include <arch/mmio.h>

#define LOCAL_TIMER_INT_CTL(core)	(0x40 + 4 * (core))
#define LOCAL_MBOX_INT_CTL(core)	(0x50 + 4 * (core))
#define LOCAL_IRQ_PENDING(core)		(0x60 + 4 * (core))
#define LOCAL_MBOX0_SET(core)		(0x80 + 16 * (core))
#define LOCAL_MBOX0_CLR(core)		(0xc0 + 16 * (core))
#define NR_LOCAL_SOURCES		12
#define SOURCE_MBOX0			4
/* IPIs: bit k of mailbox 0 is kind k, dispatched as interrupt IPI_IRQ + k. */
#define IPI_IRQ				16

static volatile char *local;

static void bcm2836_handle(struct arm64_regs *regs)
{
	uint32_t pending = readl(local + LOCAL_IRQ_PENDING(arch_cpu_id()));

	(void)regs;
	if (pending & (1U << SOURCE_MBOX0)) {
		unsigned int core = arch_cpu_id();
		uint32_t mbox = readl(local + LOCAL_MBOX0_CLR(core));

		writel(mbox, local + LOCAL_MBOX0_CLR(core));	/* write 1 to clear */
		for (unsigned int k = 0; k < 16; k++)
			if (mbox & (1U << k))
				irq_dispatch(IPI_IRQ + k);
		pending &= ~(1U << SOURCE_MBOX0);
	}
	for (unsigned int src = 0; src < NR_LOCAL_SOURCES; src++)
		if (pending & (1U << src))
			irq_dispatch(src);
}

/* Sources 0-3 are the timers (CNTPS, CNTPNS, CNTHP, CNTV). */
static void bcm2836_enable(unsigned int src)
{
	unsigned int core = arch_cpu_id();

	if (src < 4)
		writel(readl(local + LOCAL_TIMER_INT_CTL(core)) | (1U << src),
		       local + LOCAL_TIMER_INT_CTL(core));
	else if (src >= IPI_IRQ && src < IPI_IRQ + 16)
		writel(1, local + LOCAL_MBOX_INT_CTL(core));	/* mailbox 0 -> IRQ */
}

static void bcm2836_cpu_init(void)
{
}

/* IPI: set bit `kind` in the target core's mailbox 0. */
static void bcm2836_send_ipi(unsigned int target, unsigned int kind)
{
	__asm__ __volatile__("dsb ishst" ::: "memory");
	writel(1U << kind, local + LOCAL_MBOX0_SET(target));
}

static const struct irqchip bcm2836_chip = {
	.enable = bcm2836_enable,
	.cpu_init = bcm2836_cpu_init,
	.send_ipi = bcm2836_send_ipi,
};

unsigned int irq_ipi_base(void)
{
	return irqchip == &bcm2836_chip ? IPI_IRQ : 0;
}

int bcm2836_intc_init(const struct board_config *cfg)
{
	local = ioremap(cfg->intc_base[0], 0x100);
	if (!local) {
		pr_err("bcm2836-intc: cannot map the registers\n");
		return -1;
	}
	irqchip = &bcm2836_chip;
	arm64_irq_handler = bcm2836_handle;
	pr_info("irq: BCM2836 local interrupt controller at 0x%llx\n",
		(unsigned long long)cfg->intc_base[0]);
	return 0;
}
