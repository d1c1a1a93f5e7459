/*
 * drivers/pci/pci_fdt.c - the ECAM host from the device tree
 * ("pci-host-ecam-generic", QEMU arm64 virt). Not done yet: arm64 finds
 * no PCI (docs/drivers/pci.md).
 */
#include "boot/boot_info.h"
#include "drivers/pci/pci.h"
#include "kernel/printk.h"

int pci_fdt_probe(const struct boot_info *bi);

int pci_fdt_probe(const struct boot_info *bi)
{
	(void)bi;
	pr_info("pci: device-tree ECAM hosts are not supported yet\n");
	return 0;
}
