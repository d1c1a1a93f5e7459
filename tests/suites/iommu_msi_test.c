/*
 * tests/suites/iommu_msi_test.c - iommu_dma_prepare_msi (mm/dma-iommu.h):
 * the address a device writes to raise an MSI. Over the software IOMMU
 * (drivers/iommu/test_iommu.c, which translates MSI writes as an SMMU does) and a
 * private page arena; an arena page plays the doorbell. Checked: a device
 * without a domain, or in a domain whose IOMMU does not translate MSIs
 * (VT-d), gets the physical doorbell; otherwise the doorbell's page is
 * mapped once per domain, write-only, at an IOVA inside the domain below
 * 4 GiB that dma_map_*() never hands out, and a second doorbell page gets
 * its own IOVA up to IOMMU_MAX_MSI_PAGES. Host and kernel.
 */
#include "kernel/kunit.h"
#include "kernel/lib/string.h"
#include "mm/dma-mapping.h"
#include "mm/page_alloc.h"
#include "drivers/iommu/test_iommu.h"
#include "tests/suites/test_arena.h"

static struct {
	struct test_arena arena;
	struct device dev, dev2;
	struct iommu_domain *d;
	char *bell;			/* the fake doorbell page */
} m;

static int msi_case_init(struct kunit *test)
{
	struct page *pg;

	memset(&m, 0, sizeof(m));
	if (!test_arena_make(test, &m.arena, 0))
		return -1;
	dma_device_init(&m.dev, "msidev");
	dma_device_init(&m.dev2, "msidev2");
	m.dev.node = m.dev2.node = &m.arena.pgdat;
	pg = alloc_pages_node(&m.arena.pgdat, GFP_KERNEL | __GFP_ZERO, 0);
	if (!pg)
		return -1;
	m.bell = page_address(pg);
	return 0;
}

static void msi_case_exit(struct kunit *test)
{
	if (m.d) {
		iommu_detach_device(m.d, &m.dev);
		iommu_detach_device(m.d, &m.dev2);
		test_iommu_domain_free(m.d);	/* unmaps the doorbells */
	}
	if (m.bell)
		free_page((unsigned long)m.bell);
	test_arena_done(test, &m.arena);	/* every page back */
}

/* A software-IOMMU domain over 48-bit IOVAs with both devices in it,
 * or NULL. */
static struct iommu_domain *make_domain(void)
{
	m.d = test_iommu_domain_alloc(&m.arena.pgdat, 48);
	if (!m.d || iommu_attach_device(m.d, &m.dev) ||
	    iommu_attach_device(m.d, &m.dev2))
		return NULL;
	dma_set_mask_and_coherent(&m.dev, DMA_BIT_MASK(32));
	return m.d;
}

static void no_domain_gets_the_physical_doorbell(struct kunit *test)
{
	phys_addr_t bell = virt_to_phys(m.bell) + 0x40;
	uint64_t addr = 0;

	KUNIT_EXPECT_EQ(test, iommu_dma_prepare_msi(&m.dev, bell, &addr), 0);
	KUNIT_EXPECT_EQ(test, addr, (uint64_t)bell);
}

/* VT-d's case: MSIs are interrupt requests, the IOMMU does not translate
 * them, so nothing is mapped and the device writes the doorbell itself. */
static void untranslated_msis_get_the_physical_doorbell(struct kunit *test)
{
	static struct iommu_domain_ops vtd_like;
	struct iommu_domain *d = make_domain();
	const struct iommu_domain_ops *ops;
	phys_addr_t bell = virt_to_phys(m.bell) + 0x40;
	uint64_t addr = 0;

	KUNIT_ASSERT_NOT_NULL(test, d);
	ops = d->ops;
	vtd_like = *ops;
	vtd_like.msi_translated = false;
	d->ops = &vtd_like;
	KUNIT_EXPECT_EQ(test, iommu_dma_prepare_msi(&m.dev, bell, &addr), 0);
	KUNIT_EXPECT_EQ(test, addr, (uint64_t)bell);
	KUNIT_EXPECT_EQ(test, d->nr_msi_pages, 0U);
	d->ops = ops;
}

static void doorbell_mapped_once_write_only(struct kunit *test)
{
	struct iommu_domain *d = make_domain();
	phys_addr_t page = virt_to_phys(m.bell);
	uint64_t a1 = 0, a2 = 0;
	uint32_t v = 0x2a, got;

	KUNIT_ASSERT_NOT_NULL(test, d);
	KUNIT_ASSERT_EQ(test, iommu_dma_prepare_msi(&m.dev, page + 0x40, &a1), 0);
	KUNIT_ASSERT_EQ(test, iommu_dma_prepare_msi(&m.dev2, page + 0x48, &a2), 0);
	/* One page for the domain, both devices, two vectors. */
	KUNIT_EXPECT_EQ(test, d->nr_msi_pages, 1U);
	KUNIT_EXPECT_EQ(test, d->msi_pages[0].users, 2U);
	KUNIT_EXPECT_EQ(test, a1 & (PAGE_SIZE - 1), 0x40ULL);
	KUNIT_EXPECT_EQ(test, a2, a1 + 8);
	KUNIT_EXPECT_NE(test, a1, (uint64_t)(page + 0x40));
	/* Inside the domain, below 4 GiB, held in its IOVA tree. */
	KUNIT_EXPECT_GE(test, a1, (uint64_t)d->aperture_start);
	KUNIT_EXPECT_LT(test, a1, 1ULL << 32);
	KUNIT_EXPECT_NOT_NULL(test, find_iova(&d->iovad, iova_pfn(&d->iovad, a1)));
	KUNIT_EXPECT_EQ(test, d->ops->iova_to_phys(d, (unsigned long)a1),
			(phys_addr_t)(page + 0x40));
	/* The device may ring it, and nothing else: no read, no neighbour. */
	KUNIT_EXPECT_EQ(test, test_iommu_dma_write(d, &m.dev, a1, &v, 4), 0);
	KUNIT_EXPECT_EQ(test, *(volatile uint32_t *)(m.bell + 0x40), 0x2aU);
	KUNIT_EXPECT_EQ(test, test_iommu_dma_read(d, &m.dev, a1, &got, 4), -EFAULT);
	KUNIT_EXPECT_EQ(test, test_iommu_dma_write(d, &m.dev, a1 + PAGE_SIZE, &v, 4),
			-EFAULT);
	KUNIT_EXPECT_EQ(test, test_iommu_dma_write(d, &m.dev, a1 - PAGE_SIZE, &v, 4),
			-EFAULT);
}

/*
 * Allocation is top-down below the mask, so without the reservation a
 * 32-bit device's first mapping would take the doorbell's IOVA. Map many
 * pages and check none lands on it; then unmapping leaves the doorbell.
 */
#define NR_MAPS	256
static void dma_map_never_hands_out_the_doorbell(struct kunit *test)
{
	static dma_addr_t h[NR_MAPS];
	struct iommu_domain *d = make_domain();
	phys_addr_t page = virt_to_phys(m.bell);
	uint64_t bell_iova = 0;
	char *buf = m.bell;		/* any memory: the device does no DMA */
	uint32_t v = 7;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, d);
	KUNIT_ASSERT_EQ(test, iommu_dma_prepare_msi(&m.dev, page, &bell_iova), 0);
	for (i = 0; i < NR_MAPS; i++) {
		h[i] = dma_map_single(&m.dev, buf, PAGE_SIZE, DMA_TO_DEVICE);
		KUNIT_ASSERT_NE(test, h[i], DMA_MAPPING_ERROR);
		KUNIT_EXPECT_LT(test, h[i], 1ULL << 32);
		KUNIT_EXPECT_NE(test, h[i] & ~(dma_addr_t)(PAGE_SIZE - 1),
				(dma_addr_t)bell_iova);
	}
	for (i = 0; i < NR_MAPS; i++)
		dma_unmap_single(&m.dev, h[i], PAGE_SIZE, DMA_TO_DEVICE);
	/* Unmapping DMA (strict: invalidated) leaves the doorbell mapped;
	 * a stale DMA address still faults. */
	KUNIT_EXPECT_EQ(test, test_iommu_dma_write(d, &m.dev, bell_iova, &v, 4), 0);
	KUNIT_EXPECT_EQ(test, test_iommu_dma_write(d, &m.dev, h[0], &v, 4), -EFAULT);
	KUNIT_EXPECT_EQ(test, d->nr_msi_pages, 1U);
}

static void second_doorbell_page_and_the_limit(struct kunit *test)
{
	struct iommu_domain *d = make_domain();
	struct page *pg = alloc_pages_node(&m.arena.pgdat, GFP_KERNEL, 1);
	phys_addr_t p0 = virt_to_phys(m.bell), p1, p2;
	uint64_t a0, a1, a2 = 0;

	KUNIT_ASSERT_NOT_NULL(test, d);
	KUNIT_ASSERT_NOT_NULL(test, pg);
	p1 = PFN_PHYS(page_to_pfn(pg));
	p2 = p1 + PAGE_SIZE;
	KUNIT_ASSERT_EQ(test, iommu_dma_prepare_msi(&m.dev, p0 + 4, &a0), 0);
	KUNIT_ASSERT_EQ(test, iommu_dma_prepare_msi(&m.dev, p1 + 8, &a1), 0);
	KUNIT_EXPECT_EQ(test, d->nr_msi_pages, 2U);
	KUNIT_EXPECT_NE(test, a0 >> PAGE_SHIFT, a1 >> PAGE_SHIFT);
	KUNIT_EXPECT_EQ(test, d->ops->iova_to_phys(d, (unsigned long)a1), p1 + 8);
	KUNIT_EXPECT_EQ(test, iommu_dma_prepare_msi(&m.dev, p2, &a2), -ENOSPC);
	KUNIT_EXPECT_EQ(test, d->nr_msi_pages, 2U);
	/* The same pages again cost nothing new. */
	KUNIT_EXPECT_EQ(test, iommu_dma_prepare_msi(&m.dev2, p1, &a2), 0);
	KUNIT_EXPECT_EQ(test, a2, a1 - 8);
	__free_pages(pg, 1);
}

static struct kunit_case iommu_msi_cases[] = {
	KUNIT_CASE(no_domain_gets_the_physical_doorbell),
	KUNIT_CASE(untranslated_msis_get_the_physical_doorbell),
	KUNIT_CASE(doorbell_mapped_once_write_only),
	KUNIT_CASE(dma_map_never_hands_out_the_doorbell),
	KUNIT_CASE(second_doorbell_page_and_the_limit),
	{}
};

static struct kunit_suite iommu_msi_suite = {
	.name = "iommu_msi",
	.init = msi_case_init,
	.exit = msi_case_exit,
	.test_cases = iommu_msi_cases,
};
kunit_test_suite(iommu_msi_suite);
