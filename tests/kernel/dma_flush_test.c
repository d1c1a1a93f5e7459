/*
 * tests/kernel/dma_flush_test.c - the lazy flush queue's time bound when
 * the device goes quiet: nothing maps or unmaps after the last unmap, yet
 * within a few ticks the stale translation is gone (mm/dma_flush_kthread.c).
 * Uses the software test IOMMU over the kernel's own memory, real clock.
 */
#include "kernel/kunit.h"
#include "kernel/sched.h"
#include "kernel/time.h"
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

/*
 * A busy device: the unmap that finds the time bound due hands the flush
 * to the work item (iommu_dma_fq_kick) and returns without it. The flush
 * callback is wrapped to note which thread ran it: never the unmapping
 * one. The domain's bound is cut to 1 ms so that a 2 ms wait makes it
 * due; the 10 ms tick may still come first (then nothing is due at the
 * second unmap), so the pair is tried up to 20 times.
 */
static struct iommu_domain_ops fq_ops;
static const struct iommu_domain_ops *fq_real_ops;
static struct thread *fq_flusher;

static void fq_noting_flush(struct iommu_domain *d)
{
	WRITE_ONCE(fq_flusher, current);
	fq_real_ops->flush_iotlb_all(d);
}

static void busy_lazy_domain_hands_the_flush_to_the_worker(struct kunit *test)
{
	struct device dev;
	struct iommu_domain *d;
	unsigned long buf, kicks = 0;
	dma_addr_t h;

	dma_device_init(&dev, "fq-kick-test");
	d = test_iommu_domain_alloc(&contig_page_data, 48);
	KUNIT_ASSERT_NOT_NULL(test, d);
	fq_real_ops = d->ops;
	fq_ops = *d->ops;
	fq_ops.flush_iotlb_all = fq_noting_flush;
	d->ops = &fq_ops;
	iommu_set_dma_strict(d, false);
	d->iovad.fq_timeout_ns = 1000000;
	KUNIT_ASSERT_EQ(test, iommu_attach_device(d, &dev), 0);
	dma_set_mask_and_coherent(&dev, DMA_BIT_MASK(64));
	buf = get_zeroed_page(GFP_KERNEL);
	KUNIT_ASSERT_NE(test, buf, 0UL);

	for (int i = 0; i < 20 && !kicks; i++) {
		h = dma_map_single(&dev, (void *)buf, PAGE_SIZE, DMA_FROM_DEVICE);
		KUNIT_ASSERT_EQ(test, dma_mapping_error(&dev, h), 0);
		dma_unmap_single(&dev, h, PAGE_SIZE, DMA_FROM_DEVICE);
		udelay(2000);
		h = dma_map_single(&dev, (void *)buf, PAGE_SIZE, DMA_FROM_DEVICE);
		KUNIT_ASSERT_EQ(test, dma_mapping_error(&dev, h), 0);
		WRITE_ONCE(fq_flusher, NULL);
		dma_unmap_single(&dev, h, PAGE_SIZE, DMA_FROM_DEVICE);
		kicks = READ_ONCE(d->iovad.fq_kicks);
		if (kicks)	/* that unmap found it due: it did not flush */
			KUNIT_EXPECT_TRUE(test, READ_ONCE(fq_flusher) != current);
	}
	KUNIT_EXPECT_GE(test, kicks, 1UL);
	/* The worker flushes soon: wait up to 10 s (a hang check). */
	for (int i = 0; i < 1000 && iova_fq_pending(&d->iovad); i++)
		sleep_ms(10);
	KUNIT_EXPECT_EQ(test, iova_fq_pending(&d->iovad), 0UL);
	KUNIT_EXPECT_GE(test, d->iovad.fq_flushes[IOVA_FQ_TIMEOUT], 1UL);
	KUNIT_EXPECT_TRUE(test, fq_flusher != NULL && fq_flusher != current);
	kunit_info(test, "%lu kick(s), %lu flushes for time, the last by %s",
		   kicks, d->iovad.fq_flushes[IOVA_FQ_TIMEOUT],
		   fq_flusher ? fq_flusher->name : "nobody");

	iommu_detach_device(d, &dev);
	d->ops = fq_real_ops;
	test_iommu_domain_free(d);
	free_page(buf);
	KUNIT_EXPECT_EQ(test, dma_debug_device_detach(&dev), 0UL);
}

static struct kunit_case dma_flush_cases[] = {
	KUNIT_CASE(quiet_lazy_domain_is_flushed_by_the_timer),
	KUNIT_CASE(busy_lazy_domain_hands_the_flush_to_the_worker),
	{}
};

static struct kunit_suite dma_flush_suite = {
	.name = "dma_flush_timer",
	.test_cases = dma_flush_cases,
};
kunit_test_suite(dma_flush_suite);
