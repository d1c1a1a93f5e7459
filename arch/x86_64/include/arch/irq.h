/*
 * arch/irq.h (x86_64) - device interrupts for portable drivers.
 *
 * arch_msi_alloc(fn, arg, &addr, &data): take a free interrupt vector,
 *	make it run fn(arg) (interrupts off, on the CPU that receives it)
 *	and give the address/data pair a device writes to raise it: here
 *	address 0xfee00000 | boot CPU's APIC ID << 12, data = the vector
 *	(edge, fixed delivery). Returns 0, or -1 when no vector is left.
 *	The handler need not acknowledge the local APIC: the arch does.
 * arch_msi_alloc_dev(devid, fn, arg, &addr, &data, flags): the same;
 *	the writer's device ID (arm64's ITS needs it) and flags (MSI_RARE:
 *	a vector that seldom fires, left out where vectors are spread over
 *	CPUs) are not used here: every vector goes to the boot CPU.
 * arch_msi_free(data): give the vector back (the device must no longer
 *	send it).
 * arch_irq_request(irq, fn, arg): a wired line; irq is an ACPI global
 *	system interrupt (GSI: I/O APIC input, ioapic.c), e.g. a PCI
 *	device's INTx GSI from the _PRT (pdev->irq). Programs the line's
 *	redirection entry with a vector from the MSI pool, aimed at the
 *	boot CPU, and unmasks it; fn(arg) then runs on each interrupt
 *	(interrupts off) and the arch EOIs the local APIC afterwards, which
 *	for a level-triggered line re-arms it: fn must have made the device
 *	lower the line. Trigger mode and polarity are the firmware's (MADT
 *	override, else _PRT/_CRS, else edge/high below GSI 16 and
 *	level/high above). One handler per GSI (no sharing). Returns 0, or
 *	-1 when no I/O APIC has that input, it is taken, or no vector is
 *	left: drivers then poll.
 * arch_irq_set_edge(irq): make GSI irq edge-triggered, now or when it is
 *	requested. 0, or -1 when no I/O APIC has that input.
 */
#ifndef ARCH_IRQ_H
#define ARCH_IRQ_H

#include "kernel/types.h"

int arch_msi_alloc(void (*fn)(void *arg), void *arg, uint64_t *addr,
		   uint32_t *data);
#define MSI_RARE	1U	/* arch_msi_alloc_dev: seldom fires */
int arch_msi_alloc_dev(uint32_t devid, void (*fn)(void *arg), void *arg,
		       uint64_t *addr, uint32_t *data, unsigned int flags);
void arch_msi_free(uint32_t data);
int arch_irq_request(unsigned int irq, void (*fn)(void *arg), void *arg);
int arch_irq_set_edge(unsigned int irq);

#endif
