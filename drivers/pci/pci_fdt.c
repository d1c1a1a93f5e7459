/*
 * drivers/pci/pci_fdt.c - the ECAM host from the device tree
 * ("pci-host-ecam-generic", QEMU arm64 virt). docs/drivers/pci.md.
 *
 * QEMU virt booted with -kernel has no firmware: no bus is numbered, no
 * BAR or bridge window assigned. So the host is scanned with assign_all,
 * BARs placed in the windows `ranges` describes, and wired interrupts
 * (INTx) found through `interrupt-map`. MSI device IDs come from
 * `msi-map` (the GICv3 ITS needs them). Where the architecture gives no
 * MSI doorbell for the host's devices (no ITS or v2m frame), MSI-X is
 * hidden from drivers of devices with a routed INTx line, and they take
 * the wired interrupt instead. Behind an IOMMU (`iommu-map`) MSI-X is
 * kept: pci_msix_vector maps the doorbell in the device's domain.
 */
#include "boot/boot_info.h"
#include "drivers/fdt/fdt.h"
#include "drivers/pci/pci.h"
#include "drivers/pci/pci_fdt.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vsprintf.h"
#include "kernel/printk.h"
#include <arch/irq.h>
#include <arch/mmio.h>

int pci_fdt_probe(const struct boot_info *bi);

/* phys.hi of a 3-cell PCI address (IEEE 1275 PCI binding). */
#define PCI_ADDR_SPACE(hi)	(((hi) >> 24) & 3)
#define PCI_SPACE_IO		1
#define PCI_SPACE_MEM32		2
#define PCI_SPACE_MEM64		3
#define PCI_ADDR_PREFETCH	(1U << 30)

#define GIC_SPI			0
#define GIC_SPI_BASE		32

static int fail(char *err, size_t errlen, int ret, const char *msg,
		const struct fdt *f, int node)
{
	if (err && errlen)
		ksnprintf(err, errlen, "%s: %s", fdt_node_name(f, node), msg);
	return ret;
}

/* A cell count the property-reading code below can take (0..3). */
static int cells_prop(const struct fdt *f, int node, const char *name,
		      uint32_t dflt, uint32_t *out)
{
	int ret = fdt_getprop_u32(f, node, name, out);

	if (ret == -FDT_ERR_NOTFOUND) {
		*out = dflt;
		return 0;
	}
	if (ret < 0 || *out > 3)
		return -FDT_ERR_BADCELLS;
	return 0;
}

static bool is_gic(const struct fdt *f, int node)
{
	static const char *const compat[] = {
		"arm,gic-v3", "arm,gic-400", "arm,cortex-a15-gic",
		"arm,cortex-a9-gic", "arm,cortex-a7-gic",
	};

	for (size_t i = 0; i < ARRAY_SIZE(compat); i++)
		if (fdt_node_is_compatible(f, node, compat[i]))
			return true;
	return false;
}

int pci_fdt_intx(const struct fdt *f, int node, uint32_t intx[4],
		 char *err, size_t errlen)
{
	uint32_t mask[4] = { ~0u, ~0u, ~0u, ~0u };
	const uint8_t *map, *m;
	uint32_t len, mlen, icells;

	memset(intx, 0, 4 * sizeof(intx[0]));
	map = fdt_getprop(f, node, "interrupt-map", &len);
	if (!map)
		return fail(err, errlen, -FDT_ERR_NOTFOUND,
			    "no interrupt-map", f, node);
	if (fdt_getprop_u32(f, node, "#interrupt-cells", &icells) < 0 ||
	    icells != 1)
		return fail(err, errlen, -FDT_ERR_BADCELLS,
			    "#interrupt-cells is not 1", f, node);
	m = fdt_getprop(f, node, "interrupt-map-mask", &mlen);
	if (m) {
		if (mlen != 16)
			return fail(err, errlen, -FDT_ERR_BADVALUE,
				    "interrupt-map-mask is not 4 cells", f, node);
		for (int i = 0; i < 4; i++)
			mask[i] = fdt_be32(m + 4 * i);
	}

	/* Entries: child address (3), pin (1), parent phandle, parent
	 * address (its #address-cells, default 0), parent specifier. */
	for (uint32_t off = 0; off < len;) {
		uint32_t ph, pa_cells, pi_cells, hi, pin, slot, spec[3];
		int parent;

		if (len - off < 5 * 4)
			goto bad_len;
		hi = fdt_be32(map + off) & mask[0];
		if ((fdt_be32(map + off + 4) & mask[1]) ||
		    (fdt_be32(map + off + 8) & mask[2]) || (hi & 0xff0000))
			return fail(err, errlen, -FDT_ERR_BADVALUE,
				    "interrupt-map entry for a bus other "
				    "than the root", f, node);
		pin = fdt_be32(map + off + 12) & mask[3];
		ph = fdt_be32(map + off + 16);
		off += 5 * 4;
		parent = fdt_node_by_phandle(f, ph);
		if (parent < 0)
			return fail(err, errlen, -FDT_ERR_BADVALUE,
				    "interrupt-map names an unknown phandle",
				    f, node);
		if (cells_prop(f, parent, "#address-cells", 0, &pa_cells) < 0 ||
		    cells_prop(f, parent, "#interrupt-cells", 0, &pi_cells) < 0)
			return fail(err, errlen, -FDT_ERR_BADCELLS,
				    "interrupt parent's cells out of range",
				    f, node);
		if (len - off < (pa_cells + pi_cells) * 4)
			goto bad_len;
		off += pa_cells * 4;
		if (pi_cells != 3 || !is_gic(f, parent))
			return fail(err, errlen, -FDT_ERR_BADVALUE,
				    "interrupt parent is not a GIC", f, node);
		for (int i = 0; i < 3; i++)
			spec[i] = fdt_be32(map + off + 4 * i);
		off += 3 * 4;
		slot = (hi >> 11) & 0x1f;
		if (pin < 1 || pin > 4 || spec[0] != GIC_SPI ||
		    spec[1] > 987)
			return fail(err, errlen, -FDT_ERR_BADVALUE,
				    "interrupt-map entry is not pin 1-4 to a "
				    "GIC SPI", f, node);
		uint32_t idx = (slot + pin - 1) % 4, intid = GIC_SPI_BASE + spec[1];

		if (intx[idx] && intx[idx] != intid) {
			memset(intx, 0, 4 * sizeof(intx[0]));
			return fail(err, errlen, -FDT_ERR_BADVALUE,
				    "interrupt-map is not the standard swizzle",
				    f, node);
		}
		intx[idx] = intid;
	}
	return 0;

bad_len:
	memset(intx, 0, 4 * sizeof(intx[0]));
	return fail(err, errlen, -FDT_ERR_BADVALUE,
		    "interrupt-map is cut short", f, node);
}

/* Read `ranges` into the windows of *h. */
static int read_ranges(const struct fdt *f, int node, struct pci_host *h,
		       char *err, size_t errlen)
{
	int parent = fdt_parent(f, node);
	int pac = fdt_address_cells(f, parent);
	int sc = fdt_size_cells(f, node);
	const uint8_t *r;
	uint32_t len, entry;

	if (fdt_address_cells(f, node) != 3 || sc < 1 || sc > 2 ||
	    pac < 1 || pac > 2)
		return fail(err, errlen, -FDT_ERR_BADCELLS,
			    "cells are not (3, parent, 1-2)", f, node);
	r = fdt_getprop(f, node, "ranges", &len);
	if (!r || !len)
		return fail(err, errlen, -FDT_ERR_NOTFOUND,
			    "no ranges: no windows for BARs", f, node);
	entry = (3 + (uint32_t)pac + (uint32_t)sc) * 4;
	if (len % entry)
		return fail(err, errlen, -FDT_ERR_BADVALUE,
			    "ranges length is not a multiple of an entry",
			    f, node);
	for (const uint8_t *e = r; e < r + len; e += entry) {
		uint32_t hi = fdt_be32(e);
		uint64_t bus, cpu, size;
		struct pci_window *w;
		int ret;

		fdt_read_cells(e + 4, 2, &bus);
		fdt_read_cells(e + 12, (unsigned int)pac, &cpu);
		fdt_read_cells(e + 12 + 4 * pac, (unsigned int)sc, &size);
		ret = fdt_translate(f, parent, cpu, size, &cpu, err, errlen);
		if (ret < 0)
			return ret;
		switch (PCI_ADDR_SPACE(hi)) {
		case PCI_SPACE_IO:	w = &h->io; break;
		case PCI_SPACE_MEM32:	w = &h->mem32; break;
		case PCI_SPACE_MEM64:	w = &h->mem64; break;
		default:		continue;	/* configuration space */
		}
		/* One window of each kind; the first non-prefetchable wins. */
		if (w->size && (hi & PCI_ADDR_PREFETCH))
			continue;
		if (!size || bus + size < bus || cpu + size < cpu)
			return fail(err, errlen, -FDT_ERR_BADVALUE,
				    "empty or wrapping range", f, node);
		w->bus_base = bus;
		w->cpu_base = cpu;
		w->size = size;
		w->next = bus;
	}
	/* Bus address 0 reads as "unassigned" to the BAR code: skip it. */
	if (h->io.size && h->io.bus_base == 0)
		h->io.next = 0x1000;
	if (h->mem32.size && h->mem32.bus_base == 0)
		h->mem32.next = 0x100000;
	return 0;
}

/* `msi-map` (<rid-base msi-controller msi-base length>, one entry used)
 * and `msi-map-mask` into *h; absent: device ID = requester ID. */
static int read_msi_map(const struct fdt *f, int node, struct pci_host *h,
			char *err, size_t errlen)
{
	uint32_t len, mask = 0xffff;
	const uint8_t *m = fdt_getprop(f, node, "msi-map", &len);

	if (!m)
		return 0;
	if (len < 16 || len % 16)
		return fail(err, errlen, -FDT_ERR_BADVALUE,
			    "msi-map is not <rid ctrl base len> entries",
			    f, node);
	fdt_getprop_u32(f, node, "msi-map-mask", &mask);
	h->msi_rid_mask = mask;
	h->msi_rid_base = fdt_be32(m);
	h->msi_devid_base = fdt_be32(m + 8);
	h->msi_len = fdt_be32(m + 12);
	return 0;
}

int pci_fdt_host(const struct fdt *f, int node, struct pci_host *tmpl,
		 char *err, size_t errlen)
{
	struct fdt_reg reg;
	const uint8_t *br;
	uint32_t len, dom;
	int ret;

	memset(tmpl, 0, sizeof(*tmpl));
	ret = fdt_get_reg_phys(f, node, 0, &reg, err, errlen);
	if (ret < 0)
		return ret;
	tmpl->bus_start = 0;
	tmpl->bus_end = 255;
	br = fdt_getprop(f, node, "bus-range", &len);
	if (br) {
		uint32_t s, e;

		if (len != 8)
			return fail(err, errlen, -FDT_ERR_BADVALUE,
				    "bus-range is not 2 cells", f, node);
		s = fdt_be32(br);
		e = fdt_be32(br + 4);
		if (s > e || e > 255)
			return fail(err, errlen, -FDT_ERR_BADVALUE,
				    "bus-range out of 0-255", f, node);
		tmpl->bus_start = (uint8_t)s;
		tmpl->bus_end = (uint8_t)e;
	}
	/* reg covers the buses of bus-range, the first at its base. */
	if (reg.size < ((uint64_t)(tmpl->bus_end - tmpl->bus_start) + 1) << 20)
		return fail(err, errlen, -FDT_ERR_BADVALUE,
			    "ECAM reg smaller than bus-range", f, node);
	tmpl->ecam_phys = reg.base - ((uint64_t)tmpl->bus_start << 20);
	if (fdt_getprop_u32(f, node, "linux,pci-domain", &dom) == 0)
		tmpl->segment = (uint16_t)dom;
	ret = read_ranges(f, node, tmpl, err, errlen);
	if (ret < 0)
		return ret;
	ret = read_msi_map(f, node, tmpl, err, errlen);
	if (ret < 0)
		return ret;
	tmpl->assign_all = true;
	tmpl->next_bus = tmpl->bus_start;
	if (pci_fdt_intx(f, node, tmpl->intx_spi, err, errlen) < 0) {
		pr_info("pci: %s: no wired interrupts\n", err ? err : "");
		if (err && errlen)
			err[0] = '\0';
	}
	return 0;
}

/* ---------------------------------------------------------------- probe */

static void msi_probe_fn(void *arg)
{
	(void)arg;
}

struct hide_msix {
	struct pci_host *host;
	unsigned int n;
};

static void hide_msix(struct pci_dev *pdev, void *arg)
{
	struct hide_msix *hm = arg;

	if (pdev->host == hm->host && pdev->msix_cap && pdev->irq) {
		pdev->msix_cap = 0;
		hm->n++;
	}
}

/* True if the architecture can give the devices of host h an MSI
 * doorbell (tried for the requester ID of the host's first bus, 00.0). */
static bool arch_has_msi(const struct pci_host *h)
{
	struct pci_dev probe = { .host = (struct pci_host *)h,
				 .bus = h->bus_start };
	uint64_t addr;
	uint32_t data;

	if (arch_msi_alloc_dev(pci_msi_devid(&probe), msi_probe_fn, NULL,
			       &addr, &data, 0))
		return false;
	arch_msi_free(data);
	return true;
}

int pci_fdt_probe(const struct boot_info *bi)
{
	const struct fdt *fdt = fdt_boot_tree(bi);
	char err[160];
	int hosts = 0;

	if (!fdt)
		return 0;		/* no tree, or said why */
	for (int node = fdt_node_by_compatible(fdt, -1, "pci-host-ecam-generic");
	     node >= 0;
	     node = fdt_node_by_compatible(fdt, node, "pci-host-ecam-generic")) {
		struct pci_host tmpl;
		struct pci_host *h;
		int n;

		if (!fdt_node_is_enabled(fdt, node))
			continue;
		err[0] = '\0';
		if (pci_fdt_host(fdt, node, &tmpl, err, sizeof(err)) < 0) {
			pr_err("pci: %s\n", err);
			continue;
		}
		h = pci_host_add(&tmpl);
		if (!h)
			break;
		n = pci_scan_host(h);
		pr_info("pci: segment %04x buses %02x-%02x, ECAM at 0x%llx "
			"(device tree %s): %d devices\n", h->segment,
			h->bus_start, h->bus_end,
			(unsigned long long)(h->ecam_phys +
					     ((uint64_t)h->bus_start << 20)),
			fdt_node_name(fdt, node), n);
		pr_info("pci: windows: mem32 0x%llx+0x%llx mem64 0x%llx+0x%llx "
			"io 0x%llx+0x%llx; INTx GIC %u %u %u %u\n",
			(unsigned long long)h->mem32.cpu_base,
			(unsigned long long)h->mem32.size,
			(unsigned long long)h->mem64.cpu_base,
			(unsigned long long)h->mem64.size,
			(unsigned long long)h->io.cpu_base,
			(unsigned long long)h->io.size,
			h->intx_spi[0], h->intx_spi[1], h->intx_spi[2],
			h->intx_spi[3]);
		if (!arch_has_msi(h)) {
			struct hide_msix hm = { h, 0 };

			pci_for_each_dev(hide_msix, &hm);
			if (hm.n)
				pr_info("pci: no MSI doorbell: %u devices use "
					"their wired interrupt instead of "
					"MSI-X\n", hm.n);
		}
		hosts++;
	}
	return hosts;
}
