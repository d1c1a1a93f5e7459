/*
 * arch/x86_64/ioapic.h - the I/O APICs (Intel 82093AA datasheet), for
 * x86_64's own code and tests. Portable drivers use arch/irq.h
 * (arch_irq_request with a GSI, arch_irq_set_edge).
 *
 * x86_ioapic_init(madt): map every I/O APIC the MADT lists, read how
 *	many inputs each has, mask them all, keep the interrupt source
 *	overrides; the 8259 PICs stay masked (time.c masked them). Called
 *	once by smp.c after it parsed the MADT, before any request.
 * ioapic_read_rte(gsi, &rte): the GSI's 64-bit redirection entry; -1 if
 *	no I/O APIC has that input.
 * ioapic_free(gsi): mask the line and give its vector back.
 * ioapic_irq_count(gsi): interrupts delivered on gsi since requested.
 * ioapic_isa_gsi(isa_irq): the GSI an ISA IRQ (0-15) arrives on: its MADT
 *	interrupt source override, else the same number (ACPI 6.5, 5.2.12.5);
 *	-1 if no I/O APIC has that input (no MADT yet, or no I/O APIC).
 */
#ifndef ARCH_X86_64_IOAPIC_H
#define ARCH_X86_64_IOAPIC_H

#include "drivers/acpi/acpi.h"
#include "kernel/types.h"

#define IOAPIC_RTE_VECTOR	0xffULL
#define IOAPIC_RTE_ACTIVE_LOW	(1ULL << 13)
#define IOAPIC_RTE_REMOTE_IRR	(1ULL << 14)
#define IOAPIC_RTE_LEVEL	(1ULL << 15)
#define IOAPIC_RTE_MASKED	(1ULL << 16)
#define IOAPIC_RTE_DEST_SHIFT	56		/* physical APIC ID */

void x86_ioapic_init(const struct acpi_madt_info *madt);
int ioapic_read_rte(unsigned int gsi, uint64_t *rte);
void ioapic_free(unsigned int gsi);
unsigned long ioapic_irq_count(unsigned int gsi);
int ioapic_isa_gsi(unsigned int isa_irq);

#endif
