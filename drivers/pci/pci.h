/*
 * drivers/pci/pci.h - PCI Express: configuration space through ECAM,
 * enumeration of every bus behind every bridge, BARs, capabilities,
 * MSI-X, and drivers that bind to devices. docs/drivers/pci.md.
 *
 * A host bridge (struct pci_host) is one ECAM area (ACPI MCFG entry on
 * x86_64, a "pci-host-ecam-generic" node on arm64 virt): bus b, device d,
 * function f has its 4 KiB of configuration space at
 * ecam + (b << 20 | d << 15 | f << 12). Configuration accesses go through
 * host->ops, so host tests can put a fake configuration space behind it.
 *
 * Every device found becomes a struct pci_dev. Its DMA identity is the
 * struct device embedded in it (pdev->dev: what a driver passes to the
 * DMA API) and its requester ID (segment, bus, devfn: pci_source_id()),
 * which is what an IOMMU's context tables are indexed by.
 *
 * The IOMMU hook: an IOMMU driver calls pci_register_iommu_hook(fn)
 * BEFORE pci_init() (or at least before any driver binds). fn(pdev) is
 * then called once for every device found, before any driver is probed
 * on it: it may attach &pdev->dev to a domain (iommu_attach_device) and
 * keep its own state in pdev->iommu_priv. A non-zero return is reported
 * and the device is left without a driver (its DMA would be unsafe).
 * Registering after devices were found calls fn for those devices at
 * once; devices that already have a driver are reported and skipped.
 */
#ifndef DRIVERS_PCI_PCI_H
#define DRIVERS_PCI_PCI_H

#include "kernel/types.h"
#include "mm/dma-mapping.h"
#include "kernel/lib/list.h"

/* Configuration space registers (PCI Local Bus 3.0, PCIe 6.0 ch. 7). */
#define PCI_VENDOR_ID		0x00
#define PCI_DEVICE_ID		0x02
#define PCI_COMMAND		0x04
#define  PCI_COMMAND_IO		0x1
#define  PCI_COMMAND_MEMORY	0x2
#define  PCI_COMMAND_MASTER	0x4
#define  PCI_COMMAND_INTX_DISABLE 0x400
#define PCI_STATUS		0x06
#define  PCI_STATUS_CAP_LIST	0x10
#define PCI_CLASS_REVISION	0x08	/* class << 8 | revision */
#define PCI_HEADER_TYPE		0x0e
#define PCI_BAR0		0x10
#define PCI_PRIMARY_BUS		0x18	/* type 1: primary, secondary, subordinate */
#define PCI_SECONDARY_BUS	0x19
#define PCI_SUBORDINATE_BUS	0x1a
#define PCI_MEMORY_BASE		0x20	/* type 1: 16-bit base, limit */
#define PCI_PREF_MEMORY_BASE	0x24
#define PCI_PREF_BASE_UPPER32	0x28
#define PCI_PREF_LIMIT_UPPER32	0x2c
#define PCI_IO_BASE		0x1c
#define PCI_CAPABILITY_LIST	0x34
#define PCI_INTERRUPT_LINE	0x3c
#define PCI_INTERRUPT_PIN	0x3d
#define PCI_BRIDGE_CONTROL	0x3e

#define PCI_CAP_ID_MSI		0x05
#define PCI_CAP_ID_VNDR		0x09
#define PCI_CAP_ID_EXP		0x10
#define PCI_CAP_ID_MSIX		0x11

#define PCI_MSIX_FLAGS		2	/* from the capability */
#define  PCI_MSIX_FLAGS_QSIZE	0x07ff
#define  PCI_MSIX_FLAGS_MASKALL	0x4000
#define  PCI_MSIX_FLAGS_ENABLE	0x8000
#define PCI_MSIX_TABLE		4	/* BIR in bits 2:0, offset above */
#define PCI_MSIX_PBA		8

#define PCI_NUM_BARS		6
#define PCI_BAR_IO		0x1
#define PCI_BAR_MEM64		0x4
#define PCI_BAR_PREFETCH	0x8

struct pci_host;

/* Configuration access of one host (size 1, 2 or 4; off < 4096). */
struct pci_cfg_ops {
	uint32_t (*read)(struct pci_host *h, unsigned int bus,
			 unsigned int devfn, unsigned int off, int size);
	void (*write)(struct pci_host *h, unsigned int bus, unsigned int devfn,
		      unsigned int off, int size, uint32_t val);
};

/* An address window of the host bridge that BARs may be assigned from. */
struct pci_window {
	uint64_t cpu_base;	/* where the CPU sees it */
	uint64_t bus_base;	/* where devices see it (BAR values) */
	uint64_t size;
	uint64_t next;		/* bump allocator, bus address */
};

struct pci_host {
	uint16_t segment;
	uint8_t bus_start, bus_end;
	phys_addr_t ecam_phys;		/* of bus 0 (maybe not in range) */
	void *bus_map[256];		/* ioremapped ECAM, a bus at a time */
	const struct pci_cfg_ops *ops;	/* NULL: ECAM through bus_map */
	void *priv;			/* for fake ops */
	/* Windows for BARs firmware left unassigned (size 0: none). */
	struct pci_window mem32, mem64, io;
	bool assign_all;		/* no firmware: assign every BAR */
	unsigned int next_bus;		/* for bridges without a number */
	/* Scanning below this many bridges, and below this many whose
	 * prefetchable window is 32-bit only. */
	unsigned int bridge_depth, narrow_depth;
	/* arm64: wired interrupts (interrupt-map): spi of pin 1..4 for
	 * device slot d = spi_base[(d + pin - 1) % 4]; 0: none. */
	uint32_t intx_spi[4];
	/* arm64: the device tree's msi-map (one entry): requester ID r
	 * (& msi_rid_mask) in msi_rid_base.. +msi_len is MSI device ID
	 * msi_devid_base + (r - msi_rid_base). msi_len 0: the ID is r. */
	uint32_t msi_rid_mask, msi_rid_base, msi_devid_base, msi_len;
	struct list_head list;
};

struct pci_bar {
	uint64_t addr;		/* CPU physical address, 0 if unassigned */
	uint64_t size;		/* 0: no BAR */
	unsigned int flags;	/* PCI_BAR_IO / MEM64 / PREFETCH */
};

struct pci_driver;

struct pci_dev {
	struct device dev;		/* DMA view: &pdev->dev for the DMA API */
	struct pci_host *host;
	uint16_t segment;
	uint8_t bus, devfn;
	uint16_t vendor, device;
	uint32_t class;			/* base << 16 | sub << 8 | prog-if */
	uint8_t revision, hdr_type, irq_pin;
	unsigned int irq;		/* wired interrupt (arch numbering), 0: none */
	struct pci_bar bar[PCI_NUM_BARS];
	uint8_t msix_cap, msi_cap;	/* capability offsets, 0: absent */
	void *msix_table;		/* ioremapped when enabled */
	unsigned int msix_nvec;
	bool msix_enabled;
	char name[16];			/* "0000:00:02.0" */
	const struct pci_driver *driver;
	void *driver_data;
	void *iommu_priv;		/* for the IOMMU driver's hook */
	/* Hot-plug (pciehp.h): its slot lost it; no driver, never again. */
	bool removed;
	struct list_head node;		/* in the global device list */
};

#define PCI_DEVFN(dev, fn)	((((dev) & 0x1f) << 3) | ((fn) & 7))
#define PCI_SLOT(devfn)		(((devfn) >> 3) & 0x1f)
#define PCI_FUNC(devfn)		((devfn) & 7)

static inline struct pci_dev *to_pci_dev(struct device *dev)
{
	return container_of(dev, struct pci_dev, dev);
}

/* The requester ID the IOMMU sees: bus << 8 | devfn (segment separately). */
static inline uint16_t pci_source_id(const struct pci_dev *pdev)
{
	return (uint16_t)(pdev->bus << 8 | pdev->devfn);
}

/* The device ID an MSI controller sees for pdev's writes (the GICv3 ITS:
 * the requester ID through the host's msi-map). */
uint32_t pci_msi_devid(const struct pci_dev *pdev);

/* ---------------------------------------------------------------- access */

uint32_t pci_host_read(struct pci_host *h, unsigned int bus, unsigned int devfn,
		       unsigned int off, int size);
void pci_host_write(struct pci_host *h, unsigned int bus, unsigned int devfn,
		    unsigned int off, int size, uint32_t val);

static inline uint32_t pci_read_config32(struct pci_dev *p, unsigned int off)
{ return pci_host_read(p->host, p->bus, p->devfn, off, 4); }
static inline uint16_t pci_read_config16(struct pci_dev *p, unsigned int off)
{ return (uint16_t)pci_host_read(p->host, p->bus, p->devfn, off, 2); }
static inline uint8_t pci_read_config8(struct pci_dev *p, unsigned int off)
{ return (uint8_t)pci_host_read(p->host, p->bus, p->devfn, off, 1); }
static inline void pci_write_config32(struct pci_dev *p, unsigned int off, uint32_t v)
{ pci_host_write(p->host, p->bus, p->devfn, off, 4, v); }
static inline void pci_write_config16(struct pci_dev *p, unsigned int off, uint16_t v)
{ pci_host_write(p->host, p->bus, p->devfn, off, 2, v); }
static inline void pci_write_config8(struct pci_dev *p, unsigned int off, uint8_t v)
{ pci_host_write(p->host, p->bus, p->devfn, off, 1, v); }

/*
 * Capabilities: offset of the first capability with id at or after
 * `start` (0: from the list head), 0 if none. The walk is bounded (at
 * most 48 entries, offsets >= 0x40, dword aligned), so a looping or
 * corrupt list ends it.
 */
unsigned int pci_find_next_capability(struct pci_dev *pdev, unsigned int start,
				      unsigned int id);
static inline unsigned int pci_find_capability(struct pci_dev *pdev, unsigned int id)
{ return pci_find_next_capability(pdev, 0, id); }

/* ---------------------------------------------------------------- hosts */

/*
 * Add a host bridge. ECAM: ops NULL, ecam_phys set. Returns the host
 * (allocated; the fields are copied from tmpl) or NULL.
 */
struct pci_host *pci_host_add(const struct pci_host *tmpl);

/*
 * Enumerate everything under h: every bus behind every bridge (numbering
 * bridges firmware left unnumbered), BAR sizes, unassigned BARs placed in
 * the host's windows, capabilities. Each device found is added to the
 * device list (and the IOMMU hook called). Returns the number found.
 */
int pci_scan_host(struct pci_host *h);

/* Find the ECAM hosts (ACPI MCFG or device tree), scan them, bind drivers. */
struct boot_info;
void pci_init(const struct boot_info *bi);

/* Release a host and its devices (host tests). Devices must be unbound. */
void pci_host_remove(struct pci_host *h);

/* ---------------------------------------------------------------- devices */

void pci_for_each_dev(void (*fn)(struct pci_dev *pdev, void *arg), void *arg);
/* The PCI function whose DMA view is dev (e.g. a block device's
 * dma_dev), or NULL if dev is not a PCI function's. */
struct pci_dev *pci_dev_of(const struct device *dev);
struct pci_dev *pci_get_device(uint16_t vendor, uint16_t device,
			       struct pci_dev *from);
/* The type-1 bridge of host h whose secondary bus is bus, or NULL (bus
 * is the host's root bus, or nothing leads to it). */
struct pci_dev *pci_bridge_of_bus(struct pci_host *h, unsigned int bus);

/* The PCI Express capability's slot registers (offsets from the
 * capability; PCIe 6.0 sec. 7.5.3.9-11), for pcie_slot_power_off and
 * hot-plug (pciehp.h). */
#define PCI_EXP_FLAGS		0x02	/* bit 8: a slot is implemented */
#define  PCI_EXP_FLAGS_SLOT	(1u << 8)
#define PCI_EXP_SLTCAP		0x14
#define  PCI_EXP_SLTCAP_ABP	(1u << 0)	/* attention button present */
#define  PCI_EXP_SLTCAP_PCP	(1u << 1)	/* power controller present */
#define  PCI_EXP_SLTCAP_HPC	(1u << 6)	/* hot-plug capable */
#define  PCI_EXP_SLTCAP_PSN_SHIFT 19		/* physical slot number */
#define PCI_EXP_SLTCTL		0x18
#define  PCI_EXP_SLTCTL_PIC	(3u << 8)	/* power indicator: */
#define  PCI_EXP_SLTCTL_PIC_ON	(1u << 8)	/*   on */
#define  PCI_EXP_SLTCTL_PIC_BLINK (2u << 8)	/*   blinking */
#define  PCI_EXP_SLTCTL_PIC_OFF	(3u << 8)	/*   off */
#define  PCI_EXP_SLTCTL_PCC	(1u << 10)	/* power controller: 1 = off */
#define PCI_EXP_SLTSTA		0x1a	/* events are write-1-to-clear */
#define  PCI_EXP_SLTSTA_ABP	(1u << 0)	/* attention button pressed */
#define  PCI_EXP_SLTSTA_PDC	(1u << 3)	/* presence detect changed */
#define  PCI_EXP_SLTSTA_PDS	(1u << 6)	/* presence detect: a card */
#define  PCI_EXP_SLTSTA_DLLSC	(1u << 8)	/* link state changed */

/*
 * Power off the PCI Express slot pdev sits in, as a hot-plug controller
 * does before its card is pulled (PCIe 6.0 sec. 7.5.3.10, Slot Control:
 * Power Controller Control off, Power Indicator off). The driver is not
 * asked first: on QEMU the device is gone at once (its registers read
 * 0), which is how the tests pull a disk from under its driver (behind
 * a hot-plug slot the slot's presence detect then tells the driver,
 * pciehp.h; behind any other, the driver finds out for itself).
 * 0, or -ENODEV if pdev's bridge has no slot with a power controller.
 */
int pcie_slot_power_off(struct pci_dev *pdev);
/* Slot Control of bridge br (its PCI Express capability at cap): the
 * power indicator set to pic (PCI_EXP_SLTCTL_PIC_*), the bits of set
 * (PCI_EXP_SLTCTL_PCC: power off) added, the rest kept. */
void pcie_slot_set_control(struct pci_dev *br, unsigned int cap, uint16_t pic,
			   uint16_t set);

/*
 * Enumeration and hot-plug removal exclude each other (Linux's
 * pci_lock_rescan_remove): pci_scan_host, pci_host_remove and
 * pciehp_poll take it. A mutex: a driver's remove sleeps under it.
 */
void pci_lock_rescan_remove(void);
void pci_unlock_rescan_remove(void);

/* Turn on memory decoding (+ I/O) and bus mastering. */
void pci_enable_device(struct pci_dev *pdev);

/* The CPU physical address of a BAR + offset, ioremapped; NULL if none. */
void *pci_iomap(struct pci_dev *pdev, unsigned int bar, uint64_t off,
		uint64_t len);

/* ---------------------------------------------------------------- MSI-X */

/*
 * Enable MSI-X with nvec vectors (all masked): returns nvec, or a
 * negative number if the device has no MSI-X, fewer entries, or the
 * table cannot be mapped. Then pci_msix_vector() per vector.
 */
int pci_msix_enable(struct pci_dev *pdev, unsigned int nvec);
/* Aim vector idx at a new arch interrupt running fn(arg), unmask it.
 * flags: MSI_RARE (<arch/irq.h>) for a vector that seldom fires. */
int pci_msix_vector(struct pci_dev *pdev, unsigned int idx,
		    void (*fn)(void *arg), void *arg, unsigned int flags);
void pci_msix_disable(struct pci_dev *pdev);

/*
 * The wired interrupt (INTx) fallback: route pdev->irq to fn(arg) through
 * arch_irq_request. 0, or -1 if the device has no routed line or the
 * platform cannot take it: the driver then polls.
 *
 * INTx lines are shared (q35 and virt wire four lines, or eight, to all
 * slots), so several devices may request the same pdev->irq: every
 * interrupt on the line calls every sharer's fn, in the order they came.
 * fn must therefore check its own device (virtio: the ISR status) and
 * return quietly when it was not the one interrupting. At most
 * PCI_INTX_SHARERS devices a line; the next gets -1.
 */
#define PCI_INTX_SHARERS	8
int pci_request_intx(struct pci_dev *pdev, void (*fn)(void *arg), void *arg);
/* How many devices share wired line irq (0: nobody requested it). */
unsigned int pci_intx_sharers(unsigned int irq);

/* ---------------------------------------------------------------- drivers */

/* A device a driver takes: vendor and device (PCI_ANY_ID: any), and the
 * class bits class_mask selects (0: any class), as Linux's. */
#define PCI_ANY_ID	0xffff
struct pci_device_id {
	uint16_t vendor, device;	/* vendor 0: end of table */
	uint32_t class, class_mask;	/* base << 16 | sub << 8 | prog-if */
};

struct pci_driver {
	const char *name;
	const struct pci_device_id *id_table;
	int (*probe)(struct pci_dev *pdev);	/* 0: bound */
	/*
	 * The device is leaving its slot (pciehp.h). surprise false: it
	 * still works, and goes when this returns; let go in order (stop
	 * its DMA, have its users finish with it). surprise true: it is gone
	 * already; fail what it held. Either way the driver never touches
	 * it again. May sleep. NULL: the device goes without its driver
	 * being told (said in the log).
	 */
	void (*remove)(struct pci_dev *pdev, bool surprise);
	struct list_head node;
};

/* Bind drv to every matching device now and to those found later. */
void pci_register_driver(struct pci_driver *drv);

/* ---------------------------------------------------------------- IOMMU */

typedef int (*pci_iommu_hook_t)(struct pci_dev *pdev);
/* See the top of this file. Only one hook; returns -1 if one is set. */
int pci_register_iommu_hook(pci_iommu_hook_t fn);

#endif
