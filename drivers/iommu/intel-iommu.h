/*
 * drivers/iommu/intel-iommu.h - the Intel VT-d DMA remapping driver (legacy
 * mode: root table -> context tables -> second-level page tables), for
 * QEMU q35 `-device intel-iommu` and real hardware of the same kind.
 * Intel VT-d specification rev. 3.x/4.x; docs/drivers/intel-vtd.md.
 *
 * Three layers, each usable alone:
 *  - DMAR parsing (intel-dmar.c): the ACPI DMAR table (found with
 *    drivers/acpi's acpi_find_table) -> remapping units
 *    (DRHD: register base, PCI segment, device scope), reserved memory
 *    regions (RMRR). Pure: it reads memory through a boot_map_fn, so the
 *    host tests hand it fake tables.
 *  - second-level page tables (intel-pgtable.c: the entry format; the
 *    walk is the shared io-pgtable.c): 3 or 4 levels of 512 entries over
 *    4 KiB pages, 2 MiB superpages where allowed. Pure: table pages come
 *    from a pg_data_t (the global node, or a test arena).
 *  - the hardware (intel-iommu.c): registers, root/context tables,
 *    invalidation (register-based, or the queued invalidation interface
 *    with wait descriptors), fault recording and the fault event
 *    interrupt, and the iommu_domain ops of mm/dma-iommu.h.
 *
 * A device's DMA is put behind the IOMMU with intel_iommu_attach_pci():
 * one domain (DID + page tables) per device, so devices are isolated from
 * each other as well as from memory nobody mapped for them. Until then a
 * device has no context entry: with translation on, its DMA is blocked
 * (and reported as fault reason 2). This is "default deny", not Linux's
 * default of identity-mapping unattached devices.
 */
#ifndef DRIVERS_IOMMU_INTEL_IOMMU_H
#define DRIVERS_IOMMU_INTEL_IOMMU_H

#include "kernel/types.h"
#include "kernel/spinlock.h"
#include "boot/boot_info.h"	/* boot_map_fn */
#include "drivers/iommu/io-pgtable.h"
#include "drivers/iommu/iommu.h"
#include "mm/mmzone.h"

/* ------------------------------------------------------------ DMAR table */

#define DMAR_MAX_UNITS		4
#define DMAR_MAX_RMRR		8
#define DMAR_MAX_SCOPES		64
#define DMAR_MAX_PATH		4

/* Device scope types (VT-d 8.3.1). */
#define DMAR_SCOPE_ENDPOINT	1	/* a PCI endpoint */
#define DMAR_SCOPE_BRIDGE	2	/* a bridge and everything below it */
#define DMAR_SCOPE_IOAPIC	3
#define DMAR_SCOPE_HPET		4
#define DMAR_SCOPE_NAMESPACE	5

struct dmar_scope {
	uint8_t type;		/* DMAR_SCOPE_* */
	uint8_t enum_id;	/* IOAPIC/HPET id */
	uint8_t start_bus;
	uint8_t path_len;	/* (device, function) hops from start_bus */
	uint8_t path[DMAR_MAX_PATH][2];
};

struct dmar_drhd {		/* a DMA remapping hardware unit */
	uint64_t reg_base;	/* physical address of its registers */
	unsigned int reg_size;	/* bytes (from the size field; 4 KiB min) */
	uint16_t segment;	/* PCI segment */
	bool include_all;	/* covers every device of the segment not
				 * listed under another unit */
	struct dmar_scope scopes[DMAR_MAX_SCOPES];
	unsigned int nr_scopes, scopes_dropped;
};

struct dmar_rmrr {		/* memory a device uses behind the OS's back */
	uint16_t segment;
	uint64_t base, limit;	/* limit is the last byte */
	struct dmar_scope scopes[DMAR_MAX_SCOPES];
	unsigned int nr_scopes, scopes_dropped;
};

struct dmar_info {
	uint8_t haw;		/* host address width (bits) */
	uint8_t flags;		/* bit 0 INTR_REMAP, bit 1 X2APIC_OPT_OUT */
	struct dmar_drhd drhd[DMAR_MAX_UNITS];
	unsigned int nr_drhd, drhd_dropped;
	struct dmar_rmrr rmrr[DMAR_MAX_RMRR];
	unsigned int nr_rmrr, rmrr_dropped;
	unsigned int nr_skipped;	/* ATSR, RHSA, ANDD, SATC, unknown */
};

/*
 * Parse a DMAR table of len bytes whose ACPI checksum was checked. 0, or
 * -1 with the reason in err (bad lengths, a structure or device scope
 * running past its container). Unknown structure types are skipped.
 */
int dmar_parse(const uint8_t *table, uint32_t len, struct dmar_info *out,
	       char *err, size_t errlen);

/* Does the scope name the device bus:devfn (single-hop paths only)? */
bool dmar_scope_matches(const struct dmar_scope *s, uint8_t bus, uint8_t devfn);

/* ------------------------------------------------------------ page tables */

/* Second-level entry bits (VT-d 9.8). */
#define VTD_PTE_R	(1ULL << 0)
#define VTD_PTE_W	(1ULL << 1)
#define VTD_PTE_PS	(1ULL << 7)	/* a superpage (2 MiB at level 2) */
#define VTD_PTE_ADDR	0x000ffffffffff000ULL

/*
 * The tables themselves are the shared radix table of io-pgtable.h; this
 * format (intel-pgtable.c) says what the bits of an entry mean;
 * vtd_pgtable_init makes a table of this format.
 */
extern const struct pgtable_fmt vtd_sl_fmt;

/* 0, -EINVAL (levels not 3 or 4) or -ENOMEM. superpages: CAP.SLLPS bit 0. */
static inline int vtd_pgtable_init(struct io_pgtable *pt, unsigned int levels,
				   bool superpages, pg_data_t *node)
{
	return io_pgtable_init(pt, &vtd_sl_fmt, levels, superpages, node);
}
/* Then io_pgtable_map/unmap/iova_to_phys/free (io-pgtable.h) on it: 2 MiB
 * superpages wherever iova and paddr are 2 MiB aligned and 2 MiB remain. */

/* ------------------------------------------------------------ faults */

/* The fault reason code in words ("reserved" for codes it does not know). */
const char *vtd_fault_reason_str(unsigned int reason);

/* Source-id (bus << 8 | dev << 3 | fn) as "bb:dd.f" into buf (8 bytes). */
void vtd_format_sid(uint16_t sid, char *buf, size_t len);

/* ------------------------------------------------------------ hardware */


struct vtd_domain;

struct vtd_unit {
	unsigned int index;		/* vtd0, vtd1, ... */
	const struct dmar_drhd *drhd;
	void *regs;			/* ioremap'd registers */
	uint32_t ver;
	uint64_t cap, ecap;
	unsigned int levels;		/* page-table levels domains use */
	unsigned int agaw_bits;		/* 39 or 48 */
	bool qi;			/* queued invalidation in use */
	bool caching_mode;		/* CAP.CM: not-present entries cached */
	bool enabled;			/* translation on (GSTS.TES) */
	unsigned int fault_irq;		/* vector, 0: faults polled only */
	spinlock_t lock;		/* registers, queue, context tables */
	uint64_t *root;			/* root table: 256 x 16 bytes */
	uint64_t *ctx[256];		/* context table per bus, or NULL */
	uint64_t *iq;			/* invalidation queue (one page) */
	unsigned int iq_tail;		/* next descriptor slot */
	volatile uint32_t *iq_status;	/* wait descriptors write here */
	uint32_t iq_seq;
	uint16_t next_did;
	struct iommu_bindings bind;	/* source-id -> domain, device */
	/* counters for `iommu` and the tests */
	unsigned long nr_ctx_inv, nr_iotlb_psi, nr_iotlb_dsi, nr_iotlb_global;
	unsigned long nr_waits, nr_map_flushes, nr_faults, nr_fault_irqs;
	unsigned long nr_fault_overflows;
	/* the last fault recorded, for tests and `iommu` */
	uint16_t last_fault_sid;
	uint8_t last_fault_reason;
	bool last_fault_write;
	uint64_t last_fault_addr;
};

struct vtd_domain {
	struct iommu_domain domain;
	struct vtd_unit *unit;
	struct io_pgtable pt;
	spinlock_t lock;		/* the page tables */
	uint16_t did;			/* domain id */
	char name[24];
};

/*
 * Find the DMAR table (RSDP from boot info, else the BIOS areas), bring
 * up every unit: tables, invalidation, fault interrupt, translation on.
 * Returns the number of units enabled (0 without VT-d).
 */
int intel_iommu_init(const struct boot_info *bi);

/*
 * intel_iommu_init, then (if a unit is up) register with the PCI layer so
 * every device it finds gets its own domain: call before pci_init().
 */
int intel_iommu_pci_init(const struct boot_info *bi);

/* Units enabled, and unit i (NULL past the end). */
unsigned int intel_iommu_nr_units(void);
struct vtd_unit *intel_iommu_unit(unsigned int i);
/*
 * The unit whose scope names bus:devfn on segment 0 (or that includes all
 * PCI devices), or NULL. Devices behind a bridge are covered by the unit
 * whose sub-hierarchy scope names the bridge: intel_iommu_unit_for_bridge
 * (the caller knows the bridges' bus ranges: intel-pci.c).
 */
struct vtd_unit *intel_iommu_unit_for(uint8_t bus, uint8_t devfn);
struct vtd_unit *intel_iommu_unit_for_bridge(uint8_t bus, uint8_t devfn);

/*
 * A domain of unit u with its own DID and tables, attached to nothing
 * (intel_iommu_attach_pci uses it; tests use it alone). NULL if out of
 * memory or IDs. Free it (devices detached) with intel_iommu_domain_free.
 */
struct iommu_domain *intel_iommu_domain_alloc(struct vtd_unit *u);
void intel_iommu_domain_free(struct iommu_domain *d);

/*
 * Give the PCI device bus:devfn (segment 0) its own domain, point its
 * context entry at it and route dev's DMA API through it
 * (iommu_attach_device). Returns the domain, or NULL (no unit covers the
 * device, out of memory, already attached).
 */
struct iommu_domain *intel_iommu_attach_pci(struct device *dev, uint8_t bus,
					    uint8_t devfn);
/* The same with the unit given (devices found behind a bridge). */
struct iommu_domain *intel_iommu_attach(struct vtd_unit *u, struct device *dev,
					uint8_t bus, uint8_t devfn);
/* Undo it: context entry cleared and invalidated, domain freed. */
void intel_iommu_detach_pci(struct device *dev);

/* Read and clear the fault recording registers now (the interrupt's work;
 * tests call it to not depend on interrupt timing). Returns faults seen. */
unsigned int intel_iommu_process_faults(struct vtd_unit *u);

/* ACPI and ECAM access for the kernel test (the same mapping the driver
 * uses: ioremap). */
uint64_t intel_iommu_rsdp(void);
const void *vtd_map_phys(uint64_t phys, uint64_t len);

#endif
