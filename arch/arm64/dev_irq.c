/*
 * arch/arm64/dev_irq.c - device interrupts for portable drivers
 * (contract: arch/irq.h): wired GIC interrupts through irq_request(), and
 * MSIs through a GICv2m frame when the machine has one (QEMU virt with
 * gic-version=2) or through the GICv3 ITS (gic_v3_its.c; QEMU virt with
 * gic-version=3), which needs the requester's device ID: only
 * arch_msi_alloc_dev gives one.
 *
 * GICv2m (Arm's "GICv2m" extension, as in Linux's irq-gic-v2m.c): a 4 KiB
 * frame whose MSI_TYPER gives a block of SPIs (first INTID, count); a
 * device raises SPI n by writing n to MSI_SETSPI_NS. Each MSI is one of
 * those SPIs, made edge-triggered.
 */
#include "arch/arm64/irq.h"
#include "drivers/fdt/fdt.h"
#include "kernel/printk.h"
#include "kernel/spinlock.h"
#include <arch/irq.h>
#include <arch/mmio.h>
#include <arch/page.h>

#define V2M_MSI_TYPER		0x008
#define V2M_MSI_SETSPI_NS	0x040
#define V2M_MAX_SPIS		64

extern struct fdt arm64_boot_fdt;		/* start.c */

static struct {
	void (*fn)(void *arg);
	void *arg;
} dev_irqs[NR_IRQS];

static struct {
	bool probed;
	uint64_t doorbell;		/* 0: no frame */
	unsigned int first, nr;		/* INTIDs first .. first + nr - 1 */
	uint64_t used;			/* bit i: first + i taken */
} v2m;
static DEFINE_SPINLOCK(v2m_lock);

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

int arch_irq_set_edge(unsigned int irq)
{
	if (irq < IRQ_PER_CPU_LIMIT || irq >= NR_IRQS || !irqchip->set_edge)
		return -1;
	irqchip->set_edge(irq);
	return 0;
}

/* The boot device tree, opened once; NULL if there is none. start.c's
 * handle reads the blob through the early map; the final direct map does
 * not cover it, so map it again. */
static const struct fdt *boot_fdt(void)
{
	static struct fdt fdt;
	static bool tried, ok;
	const void *blob;
	char err[96];

	if (!tried) {
		tried = true;
		if (!arm64_boot_fdt.blob)
			return NULL;
		blob = ioremap(virt_to_phys(arm64_boot_fdt.blob),
			       arm64_boot_fdt.totalsize);
		ok = blob && fdt_open(&fdt, blob, arm64_boot_fdt.totalsize,
				      err, sizeof(err)) == 0;
	}
	return ok ? &fdt : NULL;
}

/* The first enabled arm,gic-v2m-frame of the boot device tree (GICv2). */
static void v2m_probe(void)
{
	const struct fdt *f;
	struct fdt_reg reg;
	void *frame;
	uint32_t typer, first, nr;
	int node;

	v2m.probed = true;
	if (board_cfg.intc != INTC_GICV2 || !(f = boot_fdt()))
		return;
	node = fdt_node_by_compatible(f, -1, "arm,gic-v2m-frame");
	if (node < 0 || !fdt_node_is_enabled(f, node) ||
	    fdt_get_reg_phys(f, node, 0, &reg, NULL, 0) < 0)
		return;
	frame = ioremap(reg.base, 0x1000);
	if (!frame)
		return;
	typer = readl((char *)frame + V2M_MSI_TYPER);
	first = (typer >> 16) & 0x3ff;
	nr = typer & 0x3ff;
	/* The binding lets the tree override a frame that misreports. */
	fdt_getprop_u32(f, node, "arm,msi-base-spi", &first);
	fdt_getprop_u32(f, node, "arm,msi-num-spis", &nr);
	if (first < 32 || nr == 0 || first + nr > NR_IRQS) {
		pr_err("gicv2m: frame at 0x%llx gives SPIs %u+%u: not used\n",
		       (unsigned long long)reg.base, first, nr);
		return;
	}
	v2m.first = first;
	v2m.nr = nr < V2M_MAX_SPIS ? nr : V2M_MAX_SPIS;
	v2m.doorbell = reg.base + V2M_MSI_SETSPI_NS;
	pr_info("gicv2m: MSI frame at 0x%llx, SPIs %u-%u (using %u)\n",
		(unsigned long long)reg.base, first, first + nr - 1, v2m.nr);
}

/* Find the MSI controller once: a v2m frame on a GICv2, the ITS on a
 * GICv3. Called with v2m_lock held. */
static void msi_probe(void)
{
	const struct fdt *f;

	if (v2m.probed)
		return;
	v2m_probe();
	if (board_cfg.intc == INTC_GICV3 && (f = boot_fdt()))
		gic_v3_its_init(f);
}

int arch_msi_alloc_dev(uint32_t devid, void (*fn)(void *arg), void *arg,
		       uint64_t *addr, uint32_t *data, unsigned int msi_flags)
{
	unsigned long flags;

	spin_lock_irqsave(&v2m_lock, flags);
	msi_probe();
	spin_unlock_irqrestore(&v2m_lock, flags);
	if (gic_v3_its_up())
		return gic_v3_its_msi_alloc(devid, fn, arg, addr, data,
					    msi_flags & MSI_RARE);
	return arch_msi_alloc(fn, arg, addr, data);
}

int arch_msi_alloc(void (*fn)(void *arg), void *arg, uint64_t *addr,
		   uint32_t *data)
{
	unsigned long flags;
	unsigned int i;

	spin_lock_irqsave(&v2m_lock, flags);
	msi_probe();
	for (i = 0; i < v2m.nr; i++)
		if (!(v2m.used & (1ULL << i)))
			break;
	if (!v2m.doorbell || i == v2m.nr) {
		spin_unlock_irqrestore(&v2m_lock, flags);
		return -1;
	}
	v2m.used |= 1ULL << i;
	spin_unlock_irqrestore(&v2m_lock, flags);
	irqchip->set_edge(v2m.first + i);
	arch_irq_request(v2m.first + i, fn, arg);
	*addr = v2m.doorbell;
	*data = v2m.first + i;
	return 0;
}

void arch_msi_free(uint32_t data)
{
	unsigned long flags;

	if (gic_v3_its_msi_free(data))
		return;
	if (!v2m.doorbell || data < v2m.first || data >= v2m.first + v2m.nr)
		return;
	dev_irqs[data].fn = NULL;	/* stays enabled; strays are ignored */
	spin_lock_irqsave(&v2m_lock, flags);
	v2m.used &= ~(1ULL << (data - v2m.first));
	spin_unlock_irqrestore(&v2m_lock, flags);
}
