/*
 * tests/kernel/iommu_case.c - a domain, a device and a page for the IOMMU
 * hardware suites (iommu_case.h).
 */
#include "tests/kernel/iommu_case.h"
#include "kernel/lib/string.h"
#include "drivers/iommu/iommu.h"
#include "mm/page_alloc.h"

bool iommu_case_begin(struct kunit *test, struct iommu_case *c,
		      const char *name, struct iommu_domain *d,
		      void (*domain_free)(struct iommu_domain *d))
{
	int err;

	memset(c, 0, sizeof(*c));
	dma_device_init(&c->dev, name);
	if (!d) {
		kunit_fail_at(test, __FILE__, __LINE__, true,
			      "%s: the driver allocated no domain", name);
		goto fail;
	}
	err = iommu_attach_device(d, &c->dev);
	if (err) {
		domain_free(d);
		kunit_fail_at(test, __FILE__, __LINE__, true,
			      "%s: iommu_attach_device returned %d", name, err);
		goto fail;
	}
	c->d = d;
	c->domain_free = domain_free;
	c->pg = alloc_pages(GFP_KERNEL, 0);
	if (!c->pg) {
		iommu_case_end(c);
		kunit_fail_at(test, __FILE__, __LINE__, true,
			      "%s: no page to map", name);
		goto fail;
	}
	c->buf = page_address(c->pg);
	return true;
fail:
	kunit_end_case(test);
	return false;
}

void iommu_case_end(struct iommu_case *c)
{
	if (c->pg)
		__free_pages(c->pg, 0);
	if (c->d) {
		iommu_detach_device(c->d, &c->dev);
		c->domain_free(c->d);
	}
	c->pg = NULL;
	c->d = NULL;
	c->buf = NULL;
}
