/*
 * drivers/iommu/iommu.h - the IOMMU core: what every IOMMU driver shares
 * and the DMA API does not need. A driver makes its domains with
 * iommu_domain_init(), puts devices in them with iommu_attach_device(),
 * reports the faults its hardware records with report_iommu_fault(), and
 * finds the device and domain behind a requester ID in an iommu_bindings
 * table.
 *
 * The domain itself and the ops a driver implements are the DMA layer's
 * contract, mm/dma-iommu.h (included here): mm declares the interface,
 * drivers implement it, so no mm file includes a driver.
 */
#ifndef DRIVERS_IOMMU_IOMMU_H
#define DRIVERS_IOMMU_IOMMU_H

#include "kernel/device.h"
#include "kernel/types.h"
#include "mm/dma-iommu.h"
#include "mm/mmzone.h"

#define IOMMU_FAULT_READ	0x0
#define IOMMU_FAULT_WRITE	0x1

/*
 * Set up d (ops and names from the arguments), then the DMA layer's side
 * (iommu_dma_init_domain: IOVAs from pages of node, NULL: global, from
 * aperture_start, at least one page up; the domain list). Returns 0, or
 * -EINVAL for no ops, no page size or an empty aperture.
 */
int iommu_domain_init(struct iommu_domain *d, const struct iommu_domain_ops *ops,
		      const char *driver, const char *name,
		      unsigned long pgsize_bitmap, dma_addr_t aperture_start,
		      dma_addr_t aperture_end, pg_data_t *node);
/* Flush, free every IOVA, remove from the list. Devices must be detached. */
void iommu_domain_exit(struct iommu_domain *d);

/* Route dev's DMA through d (iommu_dma_ops) / back to direct. 0 or -EBUSY. */
int iommu_attach_device(struct iommu_domain *d, struct device *dev);
void iommu_detach_device(struct iommu_domain *d, struct device *dev);

/*
 * For drivers' fault handlers: count the fault in d and report it
 * (rate-limited) with the device (NULL: unknown) and the IOVA; flags is
 * IOMMU_FAULT_READ or IOMMU_FAULT_WRITE. Returns 0 (Linux's caller would
 * learn whether a handler took it; here nobody does).
 */
int report_iommu_fault(struct iommu_domain *d, struct device *dev,
		       unsigned long iova, int flags);

/*
 * Which requester a unit's tables send to which domain. Each IOMMU driver
 * keeps one table a unit, filled as it attaches devices, to name the
 * device and domain behind a fault by the requester ID the hardware
 * reports (VT-d source-id, SMMU StreamID). Changed under the unit's lock;
 * a fault handler may read it without.
 */
#define IOMMU_MAX_BINDINGS	64

struct iommu_binding {
	uint32_t sid;			/* requester ID */
	struct iommu_domain *dom;	/* NULL: the slot is free */
	struct device *dev;
};

struct iommu_bindings {
	struct iommu_binding b[IOMMU_MAX_BINDINGS];
};

/* The binding of sid, or NULL. */
struct iommu_binding *iommu_binding_find(struct iommu_bindings *t, uint32_t sid);
/* Record sid -> dom, dev. The new binding, or NULL if sid is bound
 * already or every slot is taken. */
struct iommu_binding *iommu_binding_add(struct iommu_bindings *t, uint32_t sid,
					struct iommu_domain *dom,
					struct device *dev);
static inline void iommu_binding_del(struct iommu_binding *b)
{
	b->dom = NULL;
}

#endif
