/*
 * drivers/pci/pci_init.c - where the ECAM hosts come from: the ACPI MCFG
 * on x86_64 (one host per entry), the device tree on arm64 virt
 * (pci_fdt.c). Firmware-assigned BARs and bus numbers are kept on ACPI
 * machines; with a device tree and no firmware everything is assigned.
 * On ACPI machines each device's INTx GSI comes from the host bridge's
 * _PRT in the DSDT (drivers/acpi/acpi_prt.h): directly for bus 0, through
 * the standard swizzle at each bridge for devices behind bridges.
 */
#include "boot/boot_info.h"
#include "drivers/acpi/acpi.h"
#include "drivers/acpi/acpi_prt.h"
#include "drivers/pci/pci.h"
#include "kernel/printk.h"
#include <arch/mmio.h>

void pci_bind_drivers(void);
int pci_fdt_probe(const struct boot_info *bi);

static const void *acpi_map(uint64_t phys, uint64_t len)
{
	return ioremap(phys, len);
}

struct intx_ctx {
	struct pci_host *h;
	const struct acpi_prt *prt;
	unsigned int routed, unrouted;
};

/*
 * pdev's GSI: walk up to the root bus, swizzling the pin at each bridge
 * (PCI-to-PCI Bridge Architecture 1.2, 9.1), then look slot and pin up
 * in the _PRT. The _PRT describes the host bridge's bus bus_start only.
 */
static void route_intx(struct pci_dev *pdev, void *arg)
{
	struct intx_ctx *c = arg;
	unsigned int bus = pdev->bus, slot = PCI_SLOT(pdev->devfn);
	unsigned int pin = pdev->irq_pin;
	const struct acpi_prt_entry *e;

	if (pdev->host != c->h || pin < 1 || pin > 4)
		return;
	for (int hops = 0; bus != c->h->bus_start; hops++) {
		struct pci_dev *br = pci_bridge_of_bus(c->h, bus);

		if (!br || hops > 255) {
			c->unrouted++;
			return;
		}
		pin = pci_swizzle_pin(slot, pin);
		slot = PCI_SLOT(br->devfn);
		bus = br->bus;
	}
	e = acpi_prt_find(c->prt, slot, pin);
	if (!e || !e->gsi) {
		c->unrouted++;
		return;
	}
	pdev->irq = e->gsi;
	acpi_gsi_note(e->gsi, e->level, e->active_low);
	c->routed++;
}

/* Give the devices of host h (segment 0, from bus 0) their INTx GSIs. */
static void acpi_route_intx(uint64_t rsdp, struct pci_host *h)
{
	static struct acpi_prt prt;
	struct intx_ctx c = { h, &prt, 0, 0 };
	const void *dsdt;
	uint32_t len = 0;
	char err[160];

	dsdt = acpi_find_dsdt(rsdp, acpi_map, &len, NULL, err, sizeof(err));
	if (!dsdt || acpi_prt_parse(dsdt, len, &prt, err, sizeof(err))) {
		pr_warn("pci: %s; INTx not routed: devices without MSI-X "
			"will be polled\n", err);
		return;
	}
	pci_for_each_dev(route_intx, &c);
	pr_info("pci: INTx from the DSDT: %s %s, %u entries; %u devices "
		"routed, %u not\n", prt.bridge, prt.table, prt.nr, c.routed,
		c.unrouted);
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
		if (e->segment == 0 && e->bus_start == 0)
			acpi_route_intx(rsdp, h);
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
