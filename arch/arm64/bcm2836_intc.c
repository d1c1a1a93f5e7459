/*
 * arch/arm64/bcm2836_intc.c - the Raspberry Pi 2/3 "ARM local" interrupt
 * controller (BCM2836 ARM-local peripherals, QA7 rev 3.4, section 4). Each
 * core has its own registers: which of its four generic-timer interrupts
 * may raise an IRQ (4.6), and which sources are pending (4.10). The GPU's
 * interrupts reach the cores through it too (source 8, routed to core 0):
 * behind it the BCM2835 interrupt controller ("BCM2835 ARM Peripherals",
 * 7.5, at peripherals + 0xB200) says which of GPU interrupts 0-63 are
 * pending and which are enabled. This kernel takes the timers, the IPI
 * mailboxes and the GPU interrupts drivers request (the UARTs), numbered
 * BCM2835_GPU_IRQ(n) (board.h).
 */
#include "arch/arm64/irq.h"
#include "arch/arm64/trap.h"
#include "kernel/printk.h"
#include <arch/cpu.h>
#include <arch/mmio.h>

#define LOCAL_GPU_INT_ROUTING		0x0c
#define LOCAL_TIMER_INT_CTL(core)	(0x40 + 4 * (core))
#define LOCAL_MBOX_INT_CTL(core)	(0x50 + 4 * (core))
#define LOCAL_IRQ_PENDING(core)		(0x60 + 4 * (core))
#define LOCAL_MBOX0_SET(core)		(0x80 + 16 * (core))
#define LOCAL_MBOX0_CLR(core)		(0xc0 + 16 * (core))
#define NR_LOCAL_SOURCES		12
#define SOURCE_MBOX0			4
#define SOURCE_GPU			8
/* The BCM2835 controller: pending and enable-set words for GPU 0-31, 32-63. */
#define ARMCTRL_OFFSET			0xb200
#define ARMCTRL_PENDING(bank)		(0x04 + 4 * (bank))
#define ARMCTRL_ENABLE(bank)		(0x10 + 4 * (bank))
/* IPIs: bit k of mailbox 0 is kind k, dispatched as interrupt IPI_IRQ + k. */
#define IPI_IRQ				16

static volatile char *local;
static volatile char *armctrl;		/* NULL: GPU interrupts not routed */
static uint32_t gpu_enabled[2];		/* what we enabled, per bank */

/* GPU interrupts: dispatch each pending one we enabled. */
static void bcm2835_gpu_handle(void)
{
	for (unsigned int bank = 0; bank < 2; bank++) {
		uint32_t p = readl(armctrl + ARMCTRL_PENDING(bank)) & gpu_enabled[bank];

		for (unsigned int n = 0; n < 32; n++)
			if (p & (1U << n))
				irq_dispatch(BCM2835_GPU_IRQ(32 * bank + n));
	}
}

static void bcm2836_handle(struct pt_regs *regs)
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
	if ((pending & (1U << SOURCE_GPU)) && armctrl) {
		bcm2835_gpu_handle();
		pending &= ~(1U << SOURCE_GPU);
	}
	for (unsigned int src = 0; src < NR_LOCAL_SOURCES; src++)
		if (pending & (1U << src))
			irq_dispatch(src);
}

/* Sources 0-3 are the timers (CNTPS, CNTPNS, CNTHP, CNTV); mailbox IPIs;
 * GPU interrupts (enabled once, for whichever core takes them: core 0). */
static void bcm2836_enable(unsigned int src)
{
	unsigned int core = arch_cpu_id();

	if (src >= BCM2835_GPU_IRQ(0) && src < BCM2835_GPU_IRQ(64)) {
		unsigned int n = src - BCM2835_GPU_IRQ(0);

		if (!armctrl)
			return;
		gpu_enabled[n / 32] |= 1U << (n % 32);
		writel(1U << (n % 32), armctrl + ARMCTRL_ENABLE(n / 32));	/* set */
	} else if (src < 4)
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
	if (cfg->board && cfg->board->periph_base) {
		armctrl = ioremap(cfg->board->periph_base + ARMCTRL_OFFSET, 0x100);
		writel(0, local + LOCAL_GPU_INT_ROUTING);	/* GPU IRQ -> core 0 IRQ */
	}
	irqchip = &bcm2836_chip;
	arm64_irq_handler = bcm2836_handle;
	pr_info("irq: BCM2836 local interrupt controller at 0x%llx%s\n",
		(unsigned long long)cfg->intc_base[0],
		armctrl ? ", GPU interrupts through the BCM2835 controller" : "");
	return 0;
}
