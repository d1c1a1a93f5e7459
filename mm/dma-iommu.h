/*
 * mm/dma-iommu.h - DMA through an IOMMU: the contract between the DMA API
 * and an IOMMU driver (Intel VT-d, Arm SMMUv3, or the software test IOMMU),
 * and the DMA layer's side of a domain.
 *
 * The DMA API is mm's; the drivers are above it (drivers/iommu/). So the
 * contract a driver implements is declared here, below both: struct
 * iommu_domain_ops and struct iommu_domain, which the map path reads on
 * every call. What only drivers share (creating a domain, attaching
 * devices, fault reports, requester-ID tables) is the IOMMU core,
 * drivers/iommu/iommu.h. docs/mm/dma.md, "Where the code lives".
 *
 * A driver describes each translation context it creates as a struct
 * iommu_domain (embedded in its own structure) with iommu_domain_ops, and
 * calls iommu_domain_init() (drivers/iommu/iommu.h), which ends in
 * iommu_dma_init_domain() here. Devices are put in a domain with
 * iommu_attach_device(): from then on their DMA API calls go through
 * iommu_dma_ops, which
 *   - allocates an IOVA range below the device's mask (mm/iova.h),
 *   - asks the driver to map it (ops->map) with the direction's rights,
 *   - on unmap, asks the driver to unmap (ops->unmap) and then either
 *     invalidates that range at once and frees the IOVA (strict), or
 *     queues the IOVA on the per-CPU flush queue, which later invalidates
 *     the whole IOTLB (ops->flush_iotlb_all) and frees a batch (lazy).
 * The policy is `iommu.strict=1|0` (default 1, strict) for new domains.
 *
 * The ops contract (what a hardware driver must do):
 *   map(d, iova, paddr, size, prot): make [iova, iova + size) translate to
 *	[paddr, ...) with prot (IOMMU_READ: the device may read memory,
 *	IOMMU_WRITE: it may write). iova, paddr and size are multiples of the
 *	domain's smallest page (lowest bit of pgsize_bitmap); the driver may
 *	use larger pages where alignment allows. The range is unmapped before.
 *	May be called with interrupts off: allocate with GFP_ATOMIC. 0 or
 *	-ENOMEM (then nothing is left mapped).
 *   unmap(d, iova, size): remove translations of a range that map() made
 *	(maybe several map() calls' worth); returns the bytes unmapped. It
 *	need NOT invalidate the IOTLB: stale entries may be used by the
 *	device until the next flush.
 *   iotlb_sync(d, iova, size): invalidate the IOTLB (and any walk caches)
 *	for that range and wait until the hardware confirms (strict mode).
 *   flush_iotlb_all(d): invalidate everything of the domain and wait (the
 *	flush queue's batch). Must not sleep.
 *   iova_to_phys(d, iova): the current page-table translation, 0 if none.
 *   msi_translated (a flag, not a function): true if the IOMMU translates
 *	a device's MSI writes like any other DMA write (Arm SMMU), so an MSI
 *	doorbell must be mapped in the device's domain for its MSIs to arrive;
 *	false if the IOMMU recognises MSIs and passes them on untranslated
 *	(Intel VT-d: a write to 0xFEEx_xxxx is an interrupt request, not DMA).
 * Faults: the driver's fault handler calls report_iommu_fault()
 * (drivers/iommu/iommu.h).
 */
#ifndef MM_DMA_IOMMU_H
#define MM_DMA_IOMMU_H

#include "kernel/types.h"
#include "kernel/printk.h"
#include "mm/dma-mapping.h"
#include "mm/iova.h"
#include "kernel/lib/list.h"

#define IOMMU_READ	(1 << 0)	/* device may read memory (DMA_TO_DEVICE) */
#define IOMMU_WRITE	(1 << 1)	/* device may write memory (DMA_FROM_DEVICE) */
#define IOMMU_MMIO	(1 << 2)	/* device registers (an MSI doorbell), not RAM:
					 * drivers whose tables carry memory types
					 * map it uncached */

struct iommu_domain;

struct iommu_domain_ops {
	int (*map)(struct iommu_domain *d, unsigned long iova,
		   phys_addr_t paddr, size_t size, int prot);
	size_t (*unmap)(struct iommu_domain *d, unsigned long iova, size_t size);
	void (*iotlb_sync)(struct iommu_domain *d, unsigned long iova,
			   size_t size);
	void (*flush_iotlb_all)(struct iommu_domain *d);
	phys_addr_t (*iova_to_phys)(struct iommu_domain *d, unsigned long iova);
	/* optional: extra lines for the `iommu` command */
	void (*show)(struct iommu_domain *d);
	/* MSI writes go through the tables (see the contract above). */
	bool msi_translated;
};

/* MSI doorbell pages one domain can map: the GICv3 ITS's GITS_TRANSLATER
 * page, a GICv2m frame, ... (a machine has one or two). */
#define IOMMU_MAX_MSI_PAGES	2

/* One doorbell page mapped in a domain, for the domain's life. */
struct iommu_msi_page {
	phys_addr_t phys;		/* the doorbell's page */
	dma_addr_t iova;		/* where the domain's devices write it */
	unsigned int users;		/* vectors that were given it */
};

/*
 * The DMA layer's counters for one domain on one CPU. Each CPU writes only
 * its own, with interrupts off and with plain stores: no locked operation
 * and no cache line shared between CPUs on the map/unmap path. Readers
 * add them up (iommu_dma_get_stats).
 */
struct iommu_dma_stats {
	unsigned long maps, unmaps, map_errors;
	unsigned long bytes_mapped, bytes_unmapped;	/* mapped now: the difference */
	unsigned long syncs;		/* strict range invalidations */
} __aligned(CACHE_LINE);

/*
 * One translation context. The IOMMU core (drivers/iommu/iommu.c) fills
 * ops, names, page sizes and aperture, and keeps the devices and fault
 * counts; the DMA layer (mm/dma-iommu.c) keeps the rest.
 */
struct iommu_domain {
	const struct iommu_domain_ops *ops;
	const char *name;		/* "vtd0:dom3", "test0", ... */
	const char *driver;		/* "intel-vtd", "arm-smmu-v3", "test" */
	unsigned long pgsize_bitmap;	/* page sizes the tables support */
	dma_addr_t aperture_start, aperture_end;	/* IOVAs it translates */
	bool strict;			/* invalidate on each unmap */
	struct iova_domain iovad;
	struct list_head list;		/* all domains */
	struct list_head devices;	/* attached devices */
	unsigned int nr_devices;
	/* Counters for the `iommu` command: per CPU on the hot path (read
	 * them with iommu_dma_get_stats), shared for the rare events. */
	struct iommu_dma_stats stats[NR_CPUS];
	unsigned long nr_flush_all, nr_faults;
	struct ratelimit fault_rs;
	/* MSI doorbells mapped in this domain (iommu_dma_prepare_msi). */
	spinlock_t msi_lock;
	unsigned int nr_msi_pages;
	struct iommu_msi_page msi_pages[IOMMU_MAX_MSI_PAGES];
};

/* Policy for new domains: true = strict (`iommu.strict=1`). */
extern bool iommu_dma_strict;

/*
 * The DMA layer's side of a new domain (iommu_domain_init calls it, with
 * ops, names, page sizes and aperture filled in): its IOVA space, from
 * pages of node (NULL: global), starting at aperture_start (at least one
 * page: a DMA address is never 0); the current strict/lazy policy; the
 * domain list (the flush-queue tick and the `iommu` command walk it).
 */
void iommu_dma_init_domain(struct iommu_domain *d, pg_data_t *node);
/* Flush, unmap the MSI doorbells, free every IOVA, leave the list.
 * Devices must be detached (iommu_domain_exit calls it). */
void iommu_dma_exit_domain(struct iommu_domain *d);
/* Strict or lazy from now on (the flush queue is drained when leaving lazy). */
void iommu_set_dma_strict(struct iommu_domain *d, bool strict);

/* The sum of every CPU's counters of d (a snapshot: CPUs keep counting). */
void iommu_dma_get_stats(struct iommu_domain *d, struct iommu_dma_stats *sum);

/*
 * The address dev must write to ring the MSI doorbell at physical address
 * doorbell (the GICv3 ITS's GITS_TRANSLATER, a GICv2m frame's
 * MSI_SETSPI_NS, x86's local APIC window), in *msi_addr:
 *  - doorbell itself when dev is in no IOMMU domain, or when its IOMMU
 *    does not translate MSI writes (ops->msi_translated false);
 *  - otherwise an IOVA in dev's domain + the doorbell's offset in its
 *    page. The page is mapped the first time any device of the domain
 *    asks (then shared, and kept until iommu_domain_exit): write-only, as
 *    device memory (IOMMU_WRITE | IOMMU_MMIO), at one granule taken from
 *    the domain's IOVA tree below 4 GiB (so a device that can only send
 *    32-bit MSI addresses reaches it), which the DMA API therefore never
 *    hands out. The device gains the right to write that one page: what
 *    an MSI is.
 * Returns 0, -ENOSPC (no IOVA left, or IOMMU_MAX_MSI_PAGES other doorbell
 * pages already mapped) or -ENOMEM (the driver's tables). May be called
 * with interrupts off; nothing sleeps.
 */
int iommu_dma_prepare_msi(struct device *dev, phys_addr_t doorbell,
			  uint64_t *msi_addr);

/* Apply every lazy domain's flush-queue time bound now (for a timer). */
void iommu_dma_flush_queue_tick_all(void);
/* Kernel only (mm/dma_flush_kthread.c): call the above every 10 ms from a
 * workqueue, so a quiet device's unmapped IOVAs are still flushed, and
 * install iommu_dma_fq_kick. */
void dma_flush_queue_timer_init(void);
/*
 * Set by the above: make iommu_dma_flush_queue_tick_all() run soon in
 * thread context. An unmap calls it when a lazy domain's time bound falls
 * due (at most once until that tick runs); it may run with interrupts off
 * and must not sleep. NULL (the host, early boot): the unmap applies the
 * bound itself.
 */
extern void (*iommu_dma_fq_kick)(void);

/* The backend dma-mapping uses for attached devices. */
extern const struct dma_map_ops iommu_dma_ops;

/* Walk the domain list (the `iommu` command). */
void iommu_for_each_domain(void (*fn)(struct iommu_domain *d, void *arg),
			   void *arg);

/*
 * A hardware IOMMU driver's own lines in the `iommu` command (its units:
 * translation state, invalidations, faults, requester bindings), printed
 * before the domains in the order drivers registered. The driver
 * registers once at init (again is a no-op); r lives for the kernel's
 * life. The DMA layer shows what drivers give it and never names one.
 */
struct iommu_report {
	const char *name;		/* the driver: "intel-vtd", ... */
	void (*show)(void);		/* prints nothing if it has no unit */
	struct iommu_report *next;	/* the DMA layer's */
};
void iommu_register_report(struct iommu_report *r);

#endif
