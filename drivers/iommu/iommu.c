/*
 * drivers/iommu/iommu.c - the IOMMU core: domains, attach and detach,
 * fault reports, requester-ID bindings. See drivers/iommu/iommu.h.
 */
#include "drivers/iommu/iommu.h"
#include "kernel/lib/string.h"
#include "kernel/printk.h"

int iommu_domain_init(struct iommu_domain *d, const struct iommu_domain_ops *ops,
		      const char *driver, const char *name,
		      unsigned long pgsize_bitmap, dma_addr_t aperture_start,
		      dma_addr_t aperture_end, pg_data_t *node)
{
	if (!ops || !pgsize_bitmap || aperture_end <= aperture_start)
		return -EINVAL;
	memset(d, 0, sizeof(*d));
	d->ops = ops;
	d->driver = driver;
	d->name = name;
	d->pgsize_bitmap = pgsize_bitmap;
	d->aperture_start = aperture_start;
	d->aperture_end = aperture_end;
	d->fault_rs = (struct ratelimit)RATELIMIT_INIT(1000000000ULL);
	INIT_LIST_HEAD(&d->devices);
	iommu_dma_init_domain(d, node);
	return 0;
}

void iommu_domain_exit(struct iommu_domain *d)
{
	iommu_dma_exit_domain(d);
}

int iommu_attach_device(struct iommu_domain *d, struct device *dev)
{
	if (dev->domain)
		return -EBUSY;
	if (!dev->iommu_node.next)
		INIT_LIST_HEAD(&dev->iommu_node);
	dev->domain = d;
	dev->dma_ops = &iommu_dma_ops;
	list_add_tail(&dev->iommu_node, &d->devices);
	d->nr_devices++;
	return 0;
}

void iommu_detach_device(struct iommu_domain *d, struct device *dev)
{
	if (dev->domain != d)
		return;
	list_del_init(&dev->iommu_node);
	d->nr_devices--;
	dev->domain = NULL;
	dev->dma_ops = NULL;
}

int report_iommu_fault(struct iommu_domain *d, struct device *dev,
		       unsigned long iova, int flags)
{
	__atomic_fetch_add(&d->nr_faults, 1, __ATOMIC_RELAXED);
	if (__ratelimit(&d->fault_rs))
		pr_err("iommu: %s: %s fault at IOVA %#lx in domain %s: not mapped or not allowed\n",
		       dev ? dev->name : "?", (flags & IOMMU_FAULT_WRITE) ? "write" : "read",
		       iova, d->name);
	return 0;
}

struct iommu_binding *iommu_binding_find(struct iommu_bindings *t, uint32_t sid)
{
	for (int i = 0; i < IOMMU_MAX_BINDINGS; i++)
		if (t->b[i].dom && t->b[i].sid == sid)
			return &t->b[i];
	return NULL;
}

struct iommu_binding *iommu_binding_add(struct iommu_bindings *t, uint32_t sid,
					struct iommu_domain *dom,
					struct device *dev)
{
	if (iommu_binding_find(t, sid))
		return NULL;
	for (int i = 0; i < IOMMU_MAX_BINDINGS; i++) {
		struct iommu_binding *b = &t->b[i];

		if (b->dom)
			continue;
		b->sid = sid;
		b->dev = dev;
		__atomic_store_n(&b->dom, dom, __ATOMIC_RELEASE);	/* publishes it */
		return b;
	}
	return NULL;
}
