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
#define LOCAL_IRQ_PENDING(core)		(0x60 + 4 * (core))
#define NR_LOCAL_SOURCES		12

static volatile char *local;

static void bcm2836_handle(struct arm64_regs *regs)
{
	uint32_t pending = readl(local + LOCAL_IRQ_PENDING(arch_cpu_id()));

	(void)regs;
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
}

int bcm2836_intc_init(const struct board_config *cfg)
{
	local = ioremap(cfg->intc_base[0], 0x100);
	if (!local) {
		pr_err("bcm2836-intc: cannot map the registers\n");
		return -1;
	}
	irqchip_enable = bcm2836_enable;
	arm64_irq_handler = bcm2836_handle;
	pr_info("irq: BCM2836 local interrupt controller at 0x%llx\n",
		(unsigned long long)cfg->intc_base[0]);
	return 0;
}
