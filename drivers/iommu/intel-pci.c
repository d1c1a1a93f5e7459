/*
 * drivers/iommu/intel-pci.c - where VT-d meets PCI: the hook the PCI
 * layer calls for every device it finds (drivers/pci/pci.h), before any
 * driver binds, gives the device its own domain, so from its first DMA
 * API call on it goes through the IOMMU.
 */
#include "drivers/iommu/intel-iommu.h"
#include "drivers/pci/pci.h"
#include "kernel/printk.h"

struct bridge_search {
	uint8_t bus;
	struct vtd_unit *unit;
};

/* A bridge whose bus range holds the device's bus, named by a unit's
 * sub-hierarchy scope (QEMU lists a PCIe root port that way). */
static void find_bridge(struct pci_dev *p, void *arg)
{
	struct bridge_search *b = arg;

	if (b->unit || p->segment != 0 || p->hdr_type != 1)
		return;
	if (b->bus < pci_read_config8(p, PCI_SECONDARY_BUS) ||
	    b->bus > pci_read_config8(p, PCI_SUBORDINATE_BUS))
		return;
	b->unit = intel_iommu_unit_for_bridge(p->bus, p->devfn);
}

static int vtd_pci_hook(struct pci_dev *pdev)
{
	struct vtd_unit *u = NULL;

	if (pdev->segment == 0)
		u = intel_iommu_unit_for(pdev->bus, pdev->devfn);
	if (!u && pdev->segment == 0 && pdev->bus != 0) {
		struct bridge_search b = { .bus = pdev->bus };

		pci_for_each_dev(find_bridge, &b);
		u = b.unit;
	}
	if (!u)
		return 0;		/* not behind a unit: direct DMA */
	if (!intel_iommu_attach(u, &pdev->dev, pdev->bus, pdev->devfn)) {
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
