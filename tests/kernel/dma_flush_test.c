/*
 * tests/kernel/dma_flush_test.c - the lazy flush queue's time bound when
 * the device goes quiet: nothing maps or unmaps after the last unmap, yet
 * within a few ticks the stale translation is gone (mm/dma_flush_kthread.c).
 * Uses the software test IOMMU over the kernel's own memory, real clock.
 */
#include "kernel/kunit.h"
#include "kernel/sched.h"
#include "mm/dma-iommu.h"
#include "mm/dma-mapping.h"
#include "mm/iova.h"
#include "mm/page_alloc.h"
#include "drivers/iommu/test_iommu.h"

static void quiet_lazy_domain_is_flushed_by_the_timer(struct kunit *test)
{
	struct device dev;
	struct iommu_domain *d;
	unsigned long buf;
	dma_addr_t h;

	dma_device_init(&dev, "fq-timer-test");
	d = test_iommu_domain_alloc(&contig_page_data, 48);
	KUNIT_ASSERT_NOT_NULL(test, d);
	iommu_set_dma_strict(d, false);
	KUNIT_ASSERT_EQ(test, iommu_attach_device(d, &dev), 0);
	dma_set_mask_and_coherent(&dev, DMA_BIT_MASK(64));
	buf = get_zeroed_page(GFP_KERNEL);
	KUNIT_ASSERT_NE(test, buf, 0UL);

	h = dma_map_single(&dev, (void *)buf, PAGE_SIZE, DMA_FROM_DEVICE);
	KUNIT_ASSERT_EQ(test, dma_mapping_error(&dev, h), 0);
	KUNIT_EXPECT_EQ(test, test_iommu_dma_write(d, &dev, h, "ok", 2), 0);
	dma_unmap_single(&dev, h, PAGE_SIZE, DMA_FROM_DEVICE);
	KUNIT_EXPECT_EQ(test, iova_fq_pending(&d->iovad), 1UL);
	KUNIT_EXPECT_EQ(test, d->nr_flush_all, 0UL);

	/* No more DMA API calls: only the 10 ms work item can flush now. It
	 * runs 10 ms later on a quiet machine; wait up to 10 s (a hang check,
	 * not a latency bound: a busy host may not run the worker's CPU). */
	for (int i = 0; i < 1000 && iova_fq_pending(&d->iovad); i++)
		sleep_ms(10);
	KUNIT_EXPECT_EQ(test, iova_fq_pending(&d->iovad), 0UL);
	KUNIT_EXPECT_GE(test, d->nr_flush_all, 1UL);
	KUNIT_EXPECT_EQ(test, test_iommu_dma_write(d, &dev, h + 8, "late", 4), -EFAULT);
	KUNIT_EXPECT_EQ(test, ((char *)buf)[8], '\0');

	iommu_detach_device(d, &dev);
	test_iommu_domain_free(d);
	free_page(buf);
	KUNIT_EXPECT_EQ(test, dma_debug_device_detach(&dev), 0UL);
}

static struct kunit_case dma_flush_cases[] = {
	KUNIT_CASE(quiet_lazy_domain_is_flushed_by_the_timer),
	{}
};

static struct kunit_suite dma_flush_suite = {
	.name = "dma_flush_timer",
	.test_cases = dma_flush_cases,
};
kunit_test_suite(dma_flush_suite);
