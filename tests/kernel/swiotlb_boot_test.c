/*
 * tests/kernel/swiotlb_boot_test.c - where the booted kernel put its
 * global bounce pool (mm/swiotlb.h, dma_reserve_early): set aside before
 * the page allocator took memory, below 4 GiB and below the device tree's
 * narrowest dma-ranges, so every device reaches it (a Raspberry Pi 4 with
 * more than 1 GiB: its card's bus sees only the first GiB).
 */
#include "kernel/kunit.h"
#include "mm/swiotlb.h"
#include <arch/page.h>

static void bounce_pool_is_where_every_device_reaches(struct kunit *test)
{
	const struct io_tlb_pool *p = io_tlb_default_pool;
	phys_addr_t limit = swiotlb_early_limit();

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_NE(test, limit, 0ULL);
	KUNIT_EXPECT_LE(test, limit, ARCH_DMA32_LIMIT);
	KUNIT_EXPECT_LE(test, p->end, limit);
	KUNIT_EXPECT_EQ(test, p->end - p->start, (phys_addr_t)IO_TLB_DEFAULT_SIZE);
	kunit_info(test, "pool %#llx-%#llx, below %#llx",
		   (unsigned long long)p->start, (unsigned long long)p->end,
		   (unsigned long long)limit);
}

static struct kunit_case swiotlb_boot_cases[] = {
	KUNIT_CASE(bounce_pool_is_where_every_device_reaches),
	{}
};

static struct kunit_suite swiotlb_boot_suite = {
	.name = "swiotlb_boot",
	.test_cases = swiotlb_boot_cases,
};
kunit_test_suite(swiotlb_boot_suite);
