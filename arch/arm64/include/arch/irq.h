/*
 * arch/irq.h (arm64) - device interrupts for portable drivers.
 *
 * arch_msi_alloc(fn, arg, &addr, &data): take a free interrupt vector,
 *	make it run fn(arg) (interrupts off, on the CPU that receives it)
 *	and give the address/data pair a device writes to raise it: the
 *	GICv2m frame's MSI_SETSPI_NS and an SPI number (edge-triggered),
 *	when the device tree has an arm,gic-v2m-frame and the GIC is a v2.
 *	Otherwise -1 (a GICv3's ITS must know the writer's device ID: use
 *	arch_msi_alloc_dev), and drivers use the wired interrupt.
 * arch_msi_alloc_dev(devid, fn, arg, &addr, &data, flags): the same for
 *	an MSI written by the device whose bus-level device ID is devid
 *	(PCI: the requester ID through the host's msi-map). On a GICv3 with
 *	an ITS: an LPI aimed at the online CPU with the fewest (fn runs
 *	there; with MSI_RARE in flags, a vector that seldom fires, such as
 *	a device's configuration change, goes to CPU 0 and is not counted,
 *	so that it does not push the next device's queue onto the CPU the
 *	last one's queue is on),
 *	address = GITS_TRANSLATER, data = the event ID (never 0);
 *	otherwise as arch_msi_alloc (devid unused). The address is the
 *	doorbell's physical address: behind an IOMMU that translates MSIs
 *	the device must be given iommu_dma_prepare_msi()'s address instead
 *	(mm/dma-iommu.h; pci_msix_vector does).
 * arch_msi_free(data): give the vector back (the device must no longer
 *	send it). Either allocator's data.
 * arch_irq_request(irq, fn, arg): route GIC interrupt ID irq (an SPI is
 *	32 + the device tree's number) to fn(arg) and enable it; level or
 *	edge as the GIC was set up. Returns 0, or -1 if irq is out of range.
 * arch_irq_set_edge(irq): make the wired interrupt irq edge-triggered
 *	(call before arch_irq_request) for a device that pulses its line, as
 *	the device tree's trigger type says. 0, or -1 if it cannot.
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
