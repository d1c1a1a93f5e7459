/*
 * drivers/mmc/sdhci_pci.c - the standard SD host controller on PCI
 * (mmc.h, sdhci_pci_init): class 08h (base system peripheral), subclass
 * 05h (SD host controller), programming interface 0 (standard) or 1
 * (standard with DMA), the registers in BAR 0. QEMU's sdhci-pci is one,
 * on q35 and virt alike; it is where the driver's ADMA2 runs under test,
 * as QEMU's raspi3b Arasan advertises no DMA (docs/drivers/sd.md).
 *
 * The host's DMA goes through the PCI function's own struct device, so
 * an IOMMU domain the PCI layer's hook attached (VT-d, SMMUv3) applies
 * to it exactly as to virtio-pci. Interrupts are not used: the driver
 * polls.
 */
#include "drivers/mmc/mmc.h"
#include "drivers/mmc/sdhci.h"
#include "drivers/pci/pci.h"
#include "kernel/errno.h"
#include "kernel/lib/vsprintf.h"
#include "kernel/printk.h"
#include "mm/kmalloc.h"

#define PCI_CLASS_SDHCI		0x080500	/* base << 16 | sub << 8 | prog-if */

static int sdhci_pci_probe(struct pci_dev *pdev)
{
	struct sdhci *h;
	void *regs;
	char err[128];

	if ((pdev->class & 0xff) > 1) {	/* 2: vendor-specific registers */
		pr_info("mmc: %s: SD host controller with a vendor-specific "
			"interface (prog-if %u): not driven\n", pdev->name,
			pdev->class & 0xff);
		return -ENODEV;
	}
	regs = pci_iomap(pdev, 0, 0, 0x100);
	h = kzalloc(sizeof(*h), GFP_KERNEL);
	if (!regs || !h) {
		pr_err("mmc: %s: %s\n", pdev->name,
		       regs ? "no memory" : "BAR 0 is not assigned");
		kfree(h);
		return -ENOMEM;
	}
	pci_enable_device(pdev);		/* memory decoding, bus master */
	ksnprintf(h->name, sizeof(h->name), "sdhci@%s", pdev->name);
	h->mmc.dma_dev = &pdev->dev;
	if (sdhci_setup(h, regs, pdev->bar[0].addr, 0, err, sizeof(err))) {
		pr_info("mmc: %s: %s\n", h->name, err);
		kfree(h);
		return -ENODEV;
	}
	pdev->driver_data = h;
	if (mmc_add_host(&h->mmc)) {
		pdev->driver_data = NULL;
		kfree(h->adma_table);
		kfree(h);		/* said; the registers stay mapped */
		return -ENODEV;
	}
	return 0;
}

static const struct pci_device_id sdhci_pci_ids[] = {
	{ .vendor = PCI_ANY_ID, .device = PCI_ANY_ID,
	  .class = PCI_CLASS_SDHCI, .class_mask = 0xffff00 },
	{ 0 },
};

static struct pci_driver sdhci_pci_driver = {
	.name = "sdhci-pci",
	.id_table = sdhci_pci_ids,
	.probe = sdhci_pci_probe,
};

void sdhci_pci_init(void)
{
	pci_register_driver(&sdhci_pci_driver);
}
