/*
 * drivers/iommu/intel-pci.c - where VT-d meets PCI: the hook the PCI
 * layer calls for every device it finds (drivers/pci/pci.h), before any
 * driver binds, gives the device its own domain, so from its first DMA
 * API call on it goes through the IOMMU.
 */
#include "drivers/iommu/intel-iommu.h"
#include "drivers/pci/pci.h"
#include "kernel/printk.h"

static int vtd_pci_hook(struct pci_dev *pdev)
{
	if (pdev->segment != 0 || !intel_iommu_unit_for(pdev->bus, pdev->devfn))
		return 0;		/* not behind a unit: direct DMA */
	if (!intel_iommu_attach_pci(&pdev->dev, pdev->bus, pdev->devfn)) {
		pr_err("vtd: %s: no domain (out of memory or bindings)\n",
		       pdev->name);
		return -1;		/* the PCI layer keeps drivers off it */
	}
	return 0;
}

int intel_iommu_pci_init(const struct boot_info *bi)
{
	int n = intel_iommu_init(bi);

	if (n > 0 && pci_register_iommu_hook(vtd_pci_hook))
		pr_err("vtd: another IOMMU hook is registered; PCI devices are not attached\n");
	return n;
}
