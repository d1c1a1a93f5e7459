/*
 * tests/kernel/iommu_case.h - the setup the IOMMU hardware suites
 * (intel_iommu_test.c, arm_smmu_v3_test.c) share for cases that drive a
 * domain directly: a fresh domain of the unit under test, one device
 * attached to it and one page to map. No context or stream table entry
 * points at the domain, so no real device can reach it, but the DMA API
 * and the unit's invalidations run for real.
 *
 *	// static: a case that ends early (ASSERT) leaves the device on the
 *	// domain's list, so it must outlive the case's stack frame
 *	static struct iommu_case c;
 *
 *	if (!iommu_case_begin(test, &c, "vtd-test",
 *			      intel_iommu_domain_alloc(u), intel_iommu_domain_free))
 *		return;
 *	... c.d, &c.dev, c.buf ...
 *	iommu_case_end(&c);
 */
#ifndef TESTS_KERNEL_IOMMU_CASE_H
#define TESTS_KERNEL_IOMMU_CASE_H

#include "kernel/kunit.h"
#include "mm/dma-iommu.h"

struct page;

struct iommu_case {
	struct device dev;
	struct iommu_domain *d;
	void (*domain_free)(struct iommu_domain *d);
	struct page *pg;
	void *buf;			/* page_address(pg) */
};

/*
 * Name and initialise c->dev, attach it to d (which the driver just
 * allocated; NULL fails the case) and allocate c->pg. A failure is
 * reported as an assertion, undoes what was done (d included) and ends
 * the case; where the case cannot be ended (kernel/kunit.h) it returns
 * false and the caller returns. domain_free is the driver's, called by
 * iommu_case_end().
 */
bool iommu_case_begin(struct kunit *test, struct iommu_case *c,
		      const char *name, struct iommu_domain *d,
		      void (*domain_free)(struct iommu_domain *d));

/* Free the page, detach the device and free the domain. c->dev.domain is
 * then NULL again, for the case to check. */
void iommu_case_end(struct iommu_case *c);

#endif
