/*
 * drivers/pci/pci_fdt.h - reading a "pci-host-ecam-generic" node (QEMU
 * arm64 virt) into a struct pci_host template. docs/drivers/pci.md.
 *
 * Split from the probe so the host tests can run it on a real QEMU
 * device tree (tests/suites/pci_fdt_test.c).
 */
#ifndef DRIVERS_PCI_PCI_FDT_H
#define DRIVERS_PCI_PCI_FDT_H

#include "drivers/fdt/fdt.h"
#include "drivers/pci/pci.h"

/*
 * Fill *tmpl (cleared first) from the host bridge node: ECAM base from
 * `reg` (CPU address, of bus 0), `bus-range` (default 0-255),
 * `linux,pci-domain` as the segment, the I/O, 32-bit and 64-bit memory
 * windows from `ranges` (3-cell PCI addresses; prefetchable memory goes
 * to the window of its width when that is still empty), assign_all set
 * (no firmware), and the INTx routing of pci_fdt_intx(). Returns 0, or a
 * negative FDT error with a message in err.
 */
int pci_fdt_host(const struct fdt *f, int node, struct pci_host *tmpl,
		 char *err, size_t errlen);

/*
 * The host's `interrupt-map` reduced to the standard swizzle: intx[i] is
 * the GIC interrupt ID (32 + SPI) that device slot s, pin p (1..4) raises
 * when (s + p - 1) % 4 == i. Only GIC SPIs of an interrupt parent with 3
 * interrupt cells are understood. Returns 0 (intx filled), or a negative
 * error with a message when there is no map or it is not a plain swizzle
 * (intx all 0: no wired interrupts).
 */
int pci_fdt_intx(const struct fdt *f, int node, uint32_t intx[4],
		 char *err, size_t errlen);

#endif
