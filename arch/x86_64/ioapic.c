/*
 * arch/x86_64/ioapic.c - wired interrupts through the I/O APICs
 * (contracts: arch/irq.h, arch/x86_64/ioapic.h). Intel 82093AA
 * datasheet, 3.0: two registers, IOREGSEL (base + 0x00) selects an
 * internal register, IOWIN (base + 0x10) reads or writes it. Register
 * 0x01 (IOAPICVER) holds the version (bits 7:0) and the highest
 * redirection entry (bits 23:16); entry n is registers 0x10 + 2n (low
 * dword) and 0x11 + 2n (high): vector 7:0, delivery mode 10:8 (0 fixed),
 * destination mode 11 (0 physical), polarity 13 (1 low), trigger 15
 * (1 level), mask 16, destination APIC ID 63:56.
 *
 * A request takes a vector from the pool MSIs use (irq_vector.h) and
 * aims the GSI's entry at the boot CPU. The trigger mode and polarity
 * are the firmware's: an ISA override in the MADT, else what the _PRT
 * reader noted (acpi_gsi_mode), else ISA's edge/high below GSI 16 and
 * level/high above (QEMU's q35 links say level, high).
 */
#include "arch/x86_64/apic.h"
#include "arch/x86_64/io.h"
#include "arch/x86_64/ioapic.h"
#include "arch/x86_64/irq_vector.h"
#include "drivers/acpi/acpi_prt.h"
#include "kernel/printk.h"
#include "kernel/spinlock.h"
#include <arch/cpu.h>
#include <arch/irq.h>
#include <arch/mmio.h>

#define IOREGSEL	0x00
#define IOWIN		0x10
#define IOAPICVER	0x01
#define IOREDTBL(n)	(0x10 + 2 * (n))

#define MAX_GSI		256		/* this driver's table, not a limit of the chip */

static struct {
	void *regs;
	uint32_t gsi_base;
	unsigned int nr;		/* inputs */
} ioapics[ACPI_MAX_IOAPICS];
static unsigned int nr_ioapics;
static struct acpi_iso isos[ACPI_MAX_ISOS];
static unsigned int nr_isos;

static struct gsi_line {
	void (*fn)(void *arg);
	void *arg;
	int vector;			/* 0: not requested */
	bool edge;			/* arch_irq_set_edge was called */
	unsigned long count;
} lines[MAX_GSI];

static DEFINE_SPINLOCK(ioapic_lock);	/* IOREGSEL/IOWIN pairs, lines[] */

static uint32_t io_read(void *regs, unsigned int reg)
{
	writel(reg, (char *)regs + IOREGSEL);
	return readl((char *)regs + IOWIN);
}

static void io_write(void *regs, unsigned int reg, uint32_t v)
{
	writel(reg, (char *)regs + IOREGSEL);
	writel(v, (char *)regs + IOWIN);
}

/* The I/O APIC and input of gsi; -1 if none has it. */
static int find(unsigned int gsi, unsigned int *pin)
{
	for (unsigned int i = 0; i < nr_ioapics; i++) {
		if (gsi >= ioapics[i].gsi_base &&
		    gsi - ioapics[i].gsi_base < ioapics[i].nr) {
			*pin = gsi - ioapics[i].gsi_base;
			return (int)i;
		}
	}
	return -1;
}

/* Called with ioapic_lock held. */
static void write_rte(unsigned int gsi, uint64_t rte)
{
	unsigned int pin;
	int i = find(gsi, &pin);

	if (i < 0)
		return;
	/* Mask first, so the entry is never live half-written. */
	io_write(ioapics[i].regs, IOREDTBL(pin), (uint32_t)IOAPIC_RTE_MASKED);
	io_write(ioapics[i].regs, IOREDTBL(pin) + 1, (uint32_t)(rte >> 32));
	io_write(ioapics[i].regs, IOREDTBL(pin), (uint32_t)rte);
}

int ioapic_read_rte(unsigned int gsi, uint64_t *rte)
{
	unsigned long flags;
	unsigned int pin;
	int i;

	spin_lock_irqsave(&ioapic_lock, flags);
	i = find(gsi, &pin);
	if (i >= 0)
		*rte = io_read(ioapics[i].regs, IOREDTBL(pin)) |
		       (uint64_t)io_read(ioapics[i].regs, IOREDTBL(pin) + 1) << 32;
	spin_unlock_irqrestore(&ioapic_lock, flags);
	return i < 0 ? -1 : 0;
}

void x86_ioapic_init(const struct acpi_madt_info *madt)
{
	/* Whatever firmware did, the 8259s must not deliver (time.c masks
	 * them; again here, as the I/O APIC now owns the lines). */
	outb(0x21, 0xff);
	outb(0xa1, 0xff);
	for (unsigned int i = 0; i < madt->nr_ioapics; i++) {
		const struct acpi_ioapic *a = &madt->ioapics[i];
		void *regs = ioremap(a->address, 0x20);
		uint32_t ver;

		if (!regs) {
			pr_err("ioapic: cannot map I/O APIC %u at 0x%x\n", a->id,
			       a->address);
			continue;
		}
		ver = io_read(regs, IOAPICVER);
		ioapics[nr_ioapics].regs = regs;
		ioapics[nr_ioapics].gsi_base = a->gsi_base;
		ioapics[nr_ioapics].nr = ((ver >> 16) & 0xff) + 1;
		for (unsigned int pin = 0; pin < ioapics[nr_ioapics].nr; pin++) {
			io_write(regs, IOREDTBL(pin), (uint32_t)IOAPIC_RTE_MASKED);
			io_write(regs, IOREDTBL(pin) + 1, 0);
		}
		pr_info("ioapic: I/O APIC %u at 0x%x, version 0x%02x, GSIs %u-%u, "
			"all masked\n", a->id, a->address, ver & 0xff, a->gsi_base,
			a->gsi_base + ioapics[nr_ioapics].nr - 1);
		nr_ioapics++;
	}
	for (unsigned int i = 0; i < madt->nr_isos; i++)
		isos[nr_isos++] = madt->isos[i];
	if (!nr_ioapics)
		pr_info("ioapic: the MADT lists no I/O APIC: no wired interrupts\n");
	else if (madt->ioapics_dropped || madt->isos_dropped)
		pr_warn("ioapic: %u I/O APICs and %u overrides did not fit\n",
			madt->ioapics_dropped, madt->isos_dropped);
}

/* The trigger mode and polarity firmware gave gsi (see the top). */
static void gsi_mode(unsigned int gsi, bool *level, bool *low)
{
	for (unsigned int i = 0; i < nr_isos; i++) {
		if (isos[i].gsi != gsi)
			continue;
		/* 0: "conforms to the bus": ISA, edge and active high. */
		*level = ACPI_MPS_TRIGGER(isos[i].flags) == 3;
		*low = ACPI_MPS_POLARITY(isos[i].flags) == 3;
		return;
	}
	if (acpi_gsi_mode(gsi, level, low) == 0)
		return;
	*level = gsi >= 16;
	*low = false;
}

static void gsi_interrupt(void *arg)
{
	struct gsi_line *l = arg;

	l->count++;
	if (l->fn)
		l->fn(l->arg);
}

/* The entry for a requested line, from its mode; lock held. */
static uint64_t line_rte(unsigned int gsi)
{
	bool level, low;
	uint64_t rte = (uint64_t)lines[gsi].vector;

	gsi_mode(gsi, &level, &low);
	if (level && !lines[gsi].edge)
		rte |= IOAPIC_RTE_LEVEL;
	if (low)
		rte |= IOAPIC_RTE_ACTIVE_LOW;
	return rte | (uint64_t)x86_cpu_locals[0].apic_id << IOAPIC_RTE_DEST_SHIFT;
}

int arch_irq_request(unsigned int irq, void (*fn)(void *arg), void *arg)
{
	unsigned long flags;
	unsigned int pin;
	int v;

	if (irq >= MAX_GSI || find(irq, &pin) < 0 || !fn)
		return -1;
	spin_lock_irqsave(&ioapic_lock, flags);
	if (lines[irq].vector) {		/* shared: one handler only */
		spin_unlock_irqrestore(&ioapic_lock, flags);
		pr_err("ioapic: GSI %u is already in use\n", irq);
		return -1;
	}
	lines[irq].fn = fn;
	lines[irq].arg = arg;
	lines[irq].count = 0;
	spin_unlock_irqrestore(&ioapic_lock, flags);
	v = x86_vector_alloc(gsi_interrupt, &lines[irq]);
	if (v < 0)
		return -1;
	spin_lock_irqsave(&ioapic_lock, flags);
	lines[irq].vector = v;
	write_rte(irq, line_rte(irq));		/* unmasked */
	spin_unlock_irqrestore(&ioapic_lock, flags);
	return 0;
}

int arch_irq_set_edge(unsigned int irq)
{
	unsigned long flags;
	unsigned int pin;

	if (irq >= MAX_GSI || find(irq, &pin) < 0)
		return -1;
	spin_lock_irqsave(&ioapic_lock, flags);
	lines[irq].edge = true;
	if (lines[irq].vector)
		write_rte(irq, line_rte(irq));
	spin_unlock_irqrestore(&ioapic_lock, flags);
	return 0;
}

void ioapic_free(unsigned int gsi)
{
	unsigned long flags;
	int v;

	if (gsi >= MAX_GSI)
		return;
	spin_lock_irqsave(&ioapic_lock, flags);
	v = lines[gsi].vector;
	write_rte(gsi, IOAPIC_RTE_MASKED);
	lines[gsi] = (struct gsi_line){ 0 };
	spin_unlock_irqrestore(&ioapic_lock, flags);
	if (v)
		x86_vector_free((unsigned int)v);
}

unsigned long ioapic_irq_count(unsigned int gsi)
{
	return gsi < MAX_GSI ? READ_ONCE(lines[gsi].count) : 0;
}

int ioapic_isa_gsi(unsigned int isa_irq)
{
	unsigned int gsi = isa_irq, pin;

	for (unsigned int i = 0; i < nr_isos; i++)
		if (isos[i].source == isa_irq)
			gsi = isos[i].gsi;
	return find(gsi, &pin) < 0 ? -1 : (int)gsi;
}
