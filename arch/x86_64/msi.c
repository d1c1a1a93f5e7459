/*
 * arch/x86_64/msi.c - message-signalled interrupts for portable drivers
 * (contract: arch/irq.h), and the pool of device vectors they and the
 * I/O APIC's lines (ioapic.c) share (irq_vector.h). Vectors 0x40..0xdf
 * are handed out; each runs its driver's fn(arg) and then acknowledges
 * the local APIC (for a level-triggered vector that EOI is broadcast to
 * the I/O APICs, which clears the line's Remote IRR). Messages
 * are aimed at the boot CPU (MSI address format: Intel SDM vol. 3,
 * 11.11.1: 0xfee00000 | destination APIC ID << 12; data = vector, fixed
 * delivery, edge).
 */
#include "arch/x86_64/apic.h"
#include "arch/x86_64/irq_vector.h"
#include "arch/x86_64/trap.h"
#include "kernel/spinlock.h"
#include <arch/cpu.h>
#include <arch/irq.h>

#define MSI_VECTOR_FIRST	0x40
#define MSI_VECTOR_LAST		0xdf

static struct {
	void (*fn)(void *arg);
	void *arg;
} msi_table[256];
static DEFINE_SPINLOCK(msi_lock);

static void msi_interrupt(struct pt_regs *f)
{
	unsigned int v = f->vector & 0xff;

	if (msi_table[v].fn)
		msi_table[v].fn(msi_table[v].arg);
	lapic_write(APIC_EOI, 0);
}

int x86_vector_alloc(void (*fn)(void *arg), void *arg)
{
	unsigned long flags;
	int ret = -1;

	spin_lock_irqsave(&msi_lock, flags);
	for (unsigned int v = MSI_VECTOR_FIRST; v <= MSI_VECTOR_LAST; v++) {
		if (msi_table[v].fn)
			continue;
		msi_table[v].arg = arg;
		msi_table[v].fn = fn;
		x86_set_irq_handler(v, msi_interrupt);
		ret = (int)v;
		break;
	}
	spin_unlock_irqrestore(&msi_lock, flags);
	return ret;
}

void x86_vector_free(unsigned int v)
{
	unsigned long flags;

	if (v < MSI_VECTOR_FIRST || v > MSI_VECTOR_LAST)
		return;
	spin_lock_irqsave(&msi_lock, flags);
	x86_set_irq_handler(v, NULL);
	msi_table[v].fn = NULL;
	msi_table[v].arg = NULL;
	spin_unlock_irqrestore(&msi_lock, flags);
}

int arch_msi_alloc(void (*fn)(void *arg), void *arg, uint64_t *addr,
		   uint32_t *data)
{
	int v = x86_vector_alloc(fn, arg);

	if (v < 0)
		return -1;
	*addr = 0xfee00000ULL | (uint64_t)x86_cpu_locals[0].apic_id << 12;
	*data = (uint32_t)v;
	return 0;
}

int arch_msi_alloc_dev(uint32_t devid, void (*fn)(void *arg), void *arg,
		       uint64_t *addr, uint32_t *data, unsigned int flags)
{
	(void)devid;		/* the local APIC needs no device ID */
	(void)flags;		/* nothing is spread: all to the boot CPU */
	return arch_msi_alloc(fn, arg, addr, data);
}

void arch_msi_free(uint32_t data)
{
	x86_vector_free(data & 0xff);
}
