/*
 * arch/arm64/gic_v3.c - the Arm GICv3 (QEMU virt's default). Arm IHI 0069:
 * the distributor (GICD_*) handles shared interrupts (SPIs), one
 * redistributor per CPU (GICR_*, two 64 KiB frames: RD and SGI) handles
 * that CPU's SGIs and PPIs (the timers), and the CPU interface is a set of
 * system registers (ICC_*_EL1) instead of memory. INTIDs from 8192 are
 * LPIs, which the ITS (gic_v3_its.c) raises for MSIs.
 */
#include "arch/arm64/irq.h"
#include "arch/arm64/trap.h"
#include "kernel/percpu.h"
#include "kernel/printk.h"
#include <arch/cpu.h>
#include <arch/thread.h>
#include <arch/mmio.h>

#define GICD_CTLR		0x0000
#define GICD_TYPER		0x0004
#define GICD_ICENABLER(n)	(0x0180 + 4 * ((n) / 32))
#define GICD_IGROUPR(n)		(0x0080 + 4 * ((n) / 32))
#define GICD_IPRIORITYR(n)	(0x0400 + (n))
#define GICD_ISENABLER(n)	(0x0100 + 4 * ((n) / 32))
#define GICD_IROUTER(n)		(0x6000 + 8 * (n))
#define GICD_ICFGR(n)		(0x0c00 + 4 * ((n) / 16))
#define GICD_CTLR_RWP		(1U << 31)
#define GICD_CTLR_ENABLE	0x13	/* ARE_NS | EnableGrp1A | EnableGrp1 */

#define GICR_TYPER		0x0008
#define GICR_WAKER		0x0014
#define GICR_STRIDE		0x20000	/* RD + SGI frames */
#define GICR_SGI		0x10000
#define GICR_IGROUPR0		(GICR_SGI + 0x0080)
#define GICR_ISENABLER0		(GICR_SGI + 0x0100)
#define GICR_IPRIORITYR(n)	(GICR_SGI + 0x0400 + (n))
#define WAKER_PROCESSOR_SLEEP	(1U << 1)
#define WAKER_CHILDREN_ASLEEP	(1U << 2)
#define TYPER_LAST		(1U << 4)
#define TYPER_VLPIS		(1U << 1)

#define IRQ_PRIORITY		0xa0
#define INTID_SPURIOUS		1020
#define MAX_REDIST_MAP		(16 * GICR_STRIDE)

#define write_icc(reg, v) __asm__ __volatile__("msr " reg ", %0" : : "r"((uint64_t)(v)) : "memory")
#define read_icc(reg) ({ uint64_t _v; __asm__ __volatile__("mrs %0, " reg : "=r"(_v) :: "memory"); _v; })
#define ICC_IAR1_EL1	"S3_0_C12_C12_0"
#define ICC_EOIR1_EL1	"S3_0_C12_C12_1"
#define ICC_BPR1_EL1	"S3_0_C12_C12_3"
#define ICC_CTLR_EL1	"S3_0_C12_C12_4"
#define ICC_SRE_EL1	"S3_0_C12_C12_5"
#define ICC_IGRPEN1_EL1	"S3_0_C12_C12_7"
#define ICC_PMR_EL1	"S3_0_C4_C6_0"
#define ICC_SGI1R_EL1	"S3_0_C12_C11_5"

static volatile char *dist, *rbase;
static uint64_t rsize, rbase_phys;
static volatile char *rdists[NR_CPUS];	/* each CPU's RD frame */

static void gic_v3_handle(struct pt_regs *regs)
{
	(void)regs;
	for (;;) {
		unsigned int id = read_icc(ICC_IAR1_EL1) & 0xffffff;

		if (id >= INTID_SPURIOUS && id < 8192)
			return;
		if (id >= 8192)
			gic_v3_its_handle(id);	/* an LPI: an ITS MSI */
		else
			irq_dispatch(id);
		write_icc(ICC_EOIR1_EL1, id);
	}
}

static void gic_v3_enable(unsigned int id)
{
	volatile char *rdist = rdists[arch_cpu_id()];

	if (id < 32) {
		writeb(IRQ_PRIORITY, rdist + GICR_IPRIORITYR(id));
		writel(1U << id, rdist + GICR_ISENABLER0);
	} else {
		writeb(IRQ_PRIORITY, dist + GICD_IPRIORITYR(id));
		writel(readl(dist + GICD_IGROUPR(id)) | (1U << (id % 32)),
		       dist + GICD_IGROUPR(id));
		writeq(0, dist + GICD_IROUTER(id));	/* affinity 0.0.0.0 */
		writel(1U << (id % 32), dist + GICD_ISENABLER(id));
	}
}

/* This CPU's redistributor: the one whose GICR_TYPER affinity matches. */
static volatile char *find_redist(volatile char *base, uint64_t size)
{
	uint64_t mpidr;
	uint32_t aff;

	__asm__ __volatile__("mrs %0, mpidr_el1" : "=r"(mpidr));
	aff = (uint32_t)(((mpidr >> 32) & 0xff) << 24 | (mpidr & 0xffffff));
	for (uint64_t off = 0; off + GICR_STRIDE <= size; ) {
		uint64_t typer = readq(base + off + GICR_TYPER);

		if ((uint32_t)(typer >> 32) == aff)
			return base + off;
		if (typer & TYPER_LAST)
			break;
		off += (typer & TYPER_VLPIS) ? 2 * GICR_STRIDE : GICR_STRIDE;
	}
	return NULL;
}

/* This CPU's redistributor and CPU interface. 0, or -1 (printed). */
static int gic_v3_cpu_setup(void)
{
	volatile char *rdist = find_redist(rbase, rsize);

	if (!rdist) {
		pr_err("gic-v3: no redistributor for CPU %u in the first %llu KiB\n",
		       arch_cpu_id(), (unsigned long long)(rsize >> 10));
		return -1;
	}
	rdists[arch_cpu_id()] = rdist;
	/* Redistributor: wake it, SGIs/PPIs in group 1 (non-secure IRQs). */
	writel(readl(rdist + GICR_WAKER) & ~WAKER_PROCESSOR_SLEEP, rdist + GICR_WAKER);
	while (readl(rdist + GICR_WAKER) & WAKER_CHILDREN_ASLEEP)
		;
	writel(0xffffffff, rdist + GICR_IGROUPR0);

	/* CPU interface: system registers on, all priorities, group 1 on. */
	write_icc(ICC_SRE_EL1, read_icc(ICC_SRE_EL1) | 1);
	__asm__ __volatile__("isb");
	write_icc(ICC_PMR_EL1, 0xff);
	write_icc(ICC_BPR1_EL1, 0);
	write_icc(ICC_CTLR_EL1, 0);		/* EOI drops priority and deactivates */
	write_icc(ICC_IGRPEN1_EL1, 1);
	__asm__ __volatile__("isb");
	return 0;
}

static void gic_v3_cpu_init(void)
{
	gic_v3_cpu_setup();
}

/* SGI `kind` to one CPU, named by its affinity (ICC_SGI1R_EL1). */
static void gic_v3_send_ipi(unsigned int target, unsigned int kind)
{
	uint64_t hwid = arch_cpu_hwid(target);
	uint64_t v = ((hwid >> 16) & 0xff) << 32 | (uint64_t)kind << 24 |
		     ((hwid >> 8) & 0xff) << 16 | (1UL << (hwid & 0xf));

	__asm__ __volatile__("dsb ishst" ::: "memory");	/* its data first */
	write_icc(ICC_SGI1R_EL1, v);
	__asm__ __volatile__("isb");
}

int gic_v3_rdist(unsigned int cpu, volatile char **va, uint64_t *pa)
{
	if (cpu >= NR_CPUS || !rdists[cpu])
		return -1;
	*va = rdists[cpu];
	*pa = rbase_phys + (uint64_t)(rdists[cpu] - rbase);
	return 0;
}

uint32_t gic_v3_dist_typer(void)
{
	return dist ? readl(dist + GICD_TYPER) : 0;
}

unsigned int gic_v3_dist_id_bits(void)
{
	return ((gic_v3_dist_typer() >> 19) & 0x1f) + 1;
}

/* SPI `id` edge-triggered: the ICFGR layout is GICv2's (bit 1 of 2). */
static void gic_v3_set_edge(unsigned int id)
{
	if (id < 32 || !dist)
		return;
	writel(readl(dist + GICD_ICFGR(id)) | 2U << (2 * (id % 16)),
	       dist + GICD_ICFGR(id));
}

static const struct irqchip gic_v3_chip = {
	.enable = gic_v3_enable,
	.cpu_init = gic_v3_cpu_init,
	.send_ipi = gic_v3_send_ipi,
	.set_edge = gic_v3_set_edge,
};

int gic_v3_init(const struct board_config *cfg)
{
	unsigned int lines;

	rsize = cfg->intc_size[1] ? cfg->intc_size[1] : GICR_STRIDE;
	if (rsize > MAX_REDIST_MAP)
		rsize = MAX_REDIST_MAP;
	dist = ioremap(cfg->intc_base[0], 0x10000);
	rbase = ioremap(cfg->intc_base[1], rsize);
	rbase_phys = cfg->intc_base[1];
	if (!dist || !rbase) {
		pr_err("gic-v3: cannot map the registers\n");
		return -1;
	}

	/* Distributor: off, SPIs disabled, then on with affinity routing. */
	lines = 32 * ((readl(dist + GICD_TYPER) & 0x1f) + 1);
	writel(0, dist + GICD_CTLR);
	while (readl(dist + GICD_CTLR) & GICD_CTLR_RWP)
		;
	for (unsigned int n = 32; n < lines; n += 32)
		writel(0xffffffff, dist + GICD_ICENABLER(n));
	writel(GICD_CTLR_ENABLE, dist + GICD_CTLR);
	while (readl(dist + GICD_CTLR) & GICD_CTLR_RWP)
		;
	if (gic_v3_cpu_setup() < 0)
		return -1;

	irqchip = &gic_v3_chip;
	arm64_irq_handler = gic_v3_handle;
	pr_info("irq: GICv3 distributor at 0x%llx, redistributor at 0x%llx, %u lines\n",
		(unsigned long long)cfg->intc_base[0],
		(unsigned long long)cfg->intc_base[1] + (uint64_t)(rdists[0] - rbase), lines);
	return 0;
}
