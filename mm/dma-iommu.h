/*
 * mm/dma-iommu.h - DMA through an IOMMU: the contract between the DMA API
 * and an IOMMU driver (Intel VT-d, Arm SMMUv3, or the software test IOMMU
 * in mm/test_iommu.c).
 *
 * A driver describes each translation context it creates as a struct
 * iommu_domain (embedded in its own structure) with iommu_domain_ops, and
 * calls iommu_domain_init(). Devices are put in a domain with
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
 * Faults: the driver's fault handler calls report_iommu_fault(), which
 * counts and reports them (rate-limited) with the device and address.
 */
#ifndef MM_DMA_IOMMU_H
#define MM_DMA_IOMMU_H

#include "kernel/types.h"
#include "kernel/printk.h"
#include "mm/dma-mapping.h"
#include "mm/iova.h"
#include "mm/list.h"

#define IOMMU_READ	(1 << 0)	/* device may read memory (DMA_TO_DEVICE) */
#define IOMMU_WRITE	(1 << 1)	/* device may write memory (DMA_FROM_DEVICE) */

#define IOMMU_FAULT_READ	0x0
#define IOMMU_FAULT_WRITE	0x1

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
};

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
	/* Counters for the `iommu` command. */
	unsigned long nr_maps, nr_unmaps, nr_map_errors;
	unsigned long mapped_bytes;	/* now */
	unsigned long nr_sync, nr_flush_all, nr_faults;
	struct ratelimit fault_rs;
};

/* Policy for new domains: true = strict (`iommu.strict=1`). */
extern bool iommu_dma_strict;

/*
 * Set up d (ops and name filled by the caller's arguments) and add it to
 * the domain list. IOVAs come from pages of node (NULL: global) and start
 * at aperture_start (at least one page: a DMA address is never 0).
 * Returns 0 or -EINVAL.
 */
int iommu_domain_init(struct iommu_domain *d, const struct iommu_domain_ops *ops,
		      const char *driver, const char *name,
		      unsigned long pgsize_bitmap, dma_addr_t aperture_start,
		      dma_addr_t aperture_end, pg_data_t *node);
/* Flush, free every IOVA, remove from the list. Devices must be detached. */
void iommu_domain_exit(struct iommu_domain *d);
/* Strict or lazy from now on (the flush queue is drained when leaving lazy). */
void iommu_set_dma_strict(struct iommu_domain *d, bool strict);

/* Route dev's DMA through d / back to direct. 0 or -EBUSY. */
int iommu_attach_device(struct iommu_domain *d, struct device *dev);
void iommu_detach_device(struct iommu_domain *d, struct device *dev);

/* For drivers' fault handlers: count, report (rate-limited); returns -ENOSYS-like 0. */
int report_iommu_fault(struct iommu_domain *d, struct device *dev,
		       unsigned long iova, int flags);

/* Apply every lazy domain's flush-queue time bound now (for a timer). */
void iommu_dma_flush_queue_tick_all(void);
/* Kernel only (kernel/dma_flush.c): call the above every 10 ms from a
 * workqueue, so a quiet device's unmapped IOVAs are still flushed. */
void dma_flush_queue_timer_init(void);

/* The backend dma-mapping uses for attached devices. */
extern const struct dma_map_ops iommu_dma_ops;

/* Walk the domain list (the `iommu` command). */
void iommu_for_each_domain(void (*fn)(struct iommu_domain *d, void *arg),
			   void *arg);

#endif
