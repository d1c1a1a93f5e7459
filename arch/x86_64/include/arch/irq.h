/*
 * arch/irq.h (x86_64) - device interrupts for portable drivers.
 *
 * arch_msi_alloc(fn, arg, &addr, &data): take a free interrupt vector,
 *	make it run fn(arg) (interrupts off, on the CPU that receives it)
 *	and give the address/data pair a device writes to raise it: here
 *	address 0xfee00000 | boot CPU's APIC ID << 12, data = the vector
 *	(edge, fixed delivery). Returns 0, or -1 when no vector is left.
 *	The handler need not acknowledge the local APIC: the arch does.
 * arch_msi_alloc_dev(devid, fn, arg, &addr, &data): the same; the
 *	writer's device ID (arm64's ITS needs it) is not used here.
 * arch_msi_free(data): give the vector back (the device must no longer
 *	send it).
 * arch_irq_request(irq, fn, arg): a wired line (PCI INTx through the I/O
 *	APIC). Not implemented on x86_64 yet (no I/O APIC driver): -1, and
 *	drivers fall back to polling.
 * arch_irq_set_edge(irq): make a wired line edge-triggered; -1 here, as
 *	there are no wired lines yet.
 */
#ifndef ARCH_IRQ_H
#define ARCH_IRQ_H

#include "kernel/types.h"

int arch_msi_alloc(void (*fn)(void *arg), void *arg, uint64_t *addr,
		   uint32_t *data);
int arch_msi_alloc_dev(uint32_t devid, void (*fn)(void *arg), void *arg,
		       uint64_t *addr, uint32_t *data);
void arch_msi_free(uint32_t data);
int arch_irq_request(unsigned int irq, void (*fn)(void *arg), void *arg);
int arch_irq_set_edge(unsigned int irq);

#endif
