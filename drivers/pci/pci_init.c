/*
 * drivers/pci/pci_init.c - where the ECAM hosts come from: the ACPI MCFG
 * on x86_64 (one host per entry), the device tree on arm64 virt
 * (pci_fdt.c). Firmware-assigned BARs and bus numbers are kept on ACPI
 * machines; with a device tree and no firmware everything is assigned.
 */
#include "boot/boot_info.h"
#include "drivers/acpi/acpi.h"
#include "drivers/pci/pci.h"
#include "kernel/printk.h"
#include <arch/mmio.h>

void pci_bind_drivers(void);
int pci_fdt_probe(const struct boot_info *bi);

static const void *acpi_map(uint64_t phys, uint64_t len)
{
	return ioremap(phys, len);
}

static int pci_acpi_probe(const struct boot_info *bi)
{
	static struct acpi_mcfg_info mcfg;
	char err[160];
	uint64_t rsdp = bi->acpi_rsdp;
	int hosts = 0;

	if (!rsdp)
		rsdp = acpi_find_rsdp(acpi_map);
	if (!rsdp) {
		pr_info("pci: no ACPI RSDP, no PCI\n");
		return 0;
	}
	if (acpi_parse_mcfg(rsdp, acpi_map, &mcfg, err, sizeof(err))) {
		pr_info("pci: %s: no PCIe ECAM\n", err);
		return 0;
	}
	for (unsigned int i = 0; i < mcfg.nr; i++) {
		const struct acpi_mcfg_entry *e = &mcfg.entries[i];
		struct pci_host tmpl = {
			.segment = e->segment, .bus_start = e->bus_start,
			.bus_end = e->bus_end, .ecam_phys = e->base,
		};
		struct pci_host *h = pci_host_add(&tmpl);

		if (!h)
			break;
		int n = pci_scan_host(h);

		pr_info("pci: segment %04x buses %02x-%02x, ECAM at 0x%llx "
			"(ACPI MCFG): %d devices\n", e->segment, e->bus_start,
			e->bus_end, (unsigned long long)e->base, n);
		hosts++;
	}
	return hosts;
}

void pci_init(const struct boot_info *bi)
{
	if (bi->dtb)
		pci_fdt_probe(bi);
	else
		pci_acpi_probe(bi);
	pci_bind_drivers();
}
