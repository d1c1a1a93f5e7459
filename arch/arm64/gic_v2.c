/*
 * arch/arm64/gic_v2.c - the Arm GICv2 (GIC-400 on the Raspberry Pi 4; QEMU
 * virt with gic-version=2). Arm IHI 0048B: a distributor (GICD_*, shared)
 * routes interrupts to a CPU interface (GICC_*, per CPU, memory-mapped)
 * where the CPU acknowledges (IAR) and completes (EOIR) them.
 * INTIDs: 0-15 SGIs, 16-31 PPIs (per CPU: the timers), 32+ SPIs.
 */
#include "arch/arm64/irq.h"
#include "arch/arm64/trap.h"
#include "kernel/percpu.h"
#include "kernel/printk.h"
#include <arch/cpu.h>
#include <arch/mmio.h>

#define GICD_CTLR		0x000
#define GICD_TYPER		0x004
#define GICD_IGROUPR(n)		(0x080 + 4 * ((n) / 32))
#define GICD_ISENABLER(n)	(0x100 + 4 * ((n) / 32))
#define GICD_ICENABLER(n)	(0x180 + 4 * ((n) / 32))
#define GICD_IPRIORITYR(n)	(0x400 + (n))
#define GICD_ITARGETSR(n)	(0x800 + (n))
#define GICD_ICFGR(n)		(0xc00 + 4 * ((n) / 16))

#define GICD_SGIR		0xf00

#define GICC_CTLR		0x00
#define GICC_PMR		0x04
#define GICC_BPR		0x08
#define GICC_IAR		0x0c
#define GICC_EOIR		0x10

#define IRQ_PRIORITY		0xa0
#define INTID_SPURIOUS		1020	/* 1020-1023: nothing to handle */

static volatile char *dist, *cpu;
static uint8_t cpu_mask[NR_CPUS];	/* GICD_SGIR target bit of each CPU */

static void gic_v2_handle(struct pt_regs *regs)
{
	(void)regs;
	for (;;) {
		uint32_t iar = readl(cpu + GICC_IAR);
		unsigned int id = iar & 0x3ff;

		if (id >= INTID_SPURIOUS)
			return;
		irq_dispatch(id);
		writel(iar, cpu + GICC_EOIR);
	}
}

static void gic_v2_enable(unsigned int id)
{
	writeb(IRQ_PRIORITY, dist + GICD_IPRIORITYR(id));
	if (id >= 32)
		writeb(1, dist + GICD_ITARGETSR(id));	/* to CPU 0 */
	writel(1U << (id % 32), dist + GICD_ISENABLER(id));
}

/*
 * Make SPI `id` edge-triggered (SPIs reset level-triggered): for sources
 * that pulse the line, such as GICv2m MSIs, which a level-triggered SPI
 * would lose.
 */
static void gic_v2_set_edge(unsigned int id)
{
	uint32_t v;

	if (id < 32 || !dist)
		return;
	v = readl(dist + GICD_ICFGR(id));
	writel(v | 2U << (2 * (id % 16)), dist + GICD_ICFGR(id));
}

/* This CPU's interface (banked per CPU): on, all priorities through. */
static void gic_v2_cpu_init(void)
{
	/* ITARGETSR0-7 read back the bit of the CPU reading them. */
	cpu_mask[arch_cpu_id()] = readb(dist + GICD_ITARGETSR(0));
	writel(0xf0, cpu + GICC_PMR);
	writel(0, cpu + GICC_BPR);
	writel(1, cpu + GICC_CTLR);
}

/* An SGI numbered `kind` to one CPU. */
static void gic_v2_send_ipi(unsigned int target, unsigned int kind)
{
	__asm__ __volatile__("dsb ishst" ::: "memory");	/* its data first */
	writel(((uint32_t)cpu_mask[target] << 16) | kind, dist + GICD_SGIR);
}

static const struct irqchip gic_v2_chip = {
	.enable = gic_v2_enable,
	.cpu_init = gic_v2_cpu_init,
	.send_ipi = gic_v2_send_ipi,
	.set_edge = gic_v2_set_edge,
};

int gic_v2_init(const struct board_config *cfg)
{
	unsigned int lines;

	dist = ioremap(cfg->intc_base[0], 0x1000);
	cpu = ioremap(cfg->intc_base[1], 0x2000);
	if (!dist || !cpu) {
		pr_err("gic-v2: cannot map the registers\n");
		return -1;
	}
	lines = 32 * ((readl(dist + GICD_TYPER) & 0x1f) + 1);
	writel(0, dist + GICD_CTLR);
	for (unsigned int n = 32; n < lines; n += 32)	/* all SPIs off */
		writel(0xffffffff, dist + GICD_ICENABLER(n));
	writel(1, dist + GICD_CTLR);		/* forward interrupts */
	gic_v2_cpu_init();			/* and signal them to this CPU */
	irqchip = &gic_v2_chip;
	arm64_irq_handler = gic_v2_handle;
	pr_info("irq: GICv2 distributor at 0x%llx, CPU interface at 0x%llx, %u lines\n",
		(unsigned long long)cfg->intc_base[0],
		(unsigned long long)cfg->intc_base[1], lines);
	return 0;
}
