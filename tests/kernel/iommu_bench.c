/*
 * tests/kernel/iommu_bench.c - a dma_map_single + dma_unmap_single pair
 * through an IOMMU, and its pieces timed one by one (iommu_bench.h).
 *
 * Each piece is the mean of a loop of the same call, so a piece costs
 * what it costs when its data is hot in the cache, as in the real pair.
 * The pieces do not add up exactly to the pair (the pair also has the
 * DMA API's dispatch and the dma-debug check), but they show where the
 * time goes.
 */
#include "tests/kernel/iommu_bench.h"
#include "kernel/spinlock.h"
#include "kernel/time.h"
#include "mm/page_alloc.h"

static uint64_t per_round(uint64_t t0, int rounds)
{
	return (clock_ns() - t0) / (uint64_t)rounds;
}

uint64_t iommu_bench_pair(struct iommu_domain *d, struct device *dev,
			  void *buf, int rounds)
{
	uint64_t t0 = clock_ns();

	for (int i = 0; i < rounds; i++) {
		dma_addr_t h = dma_map_single(dev, buf, PAGE_SIZE,
					      DMA_BIDIRECTIONAL);

		if (dma_mapping_error(dev, h))
			break;
		dma_unmap_single(dev, h, PAGE_SIZE, DMA_BIDIRECTIONAL);
	}
	iova_flush_queue_flush(&d->iovad);
	return per_round(t0, rounds);
}

/* What the DMA layer's bookkeeping costs apart from the IOMMU. */
static void bench_primitives(struct kunit *test, const char *label, int rounds)
{
	static unsigned long counters[4] __aligned(CACHE_LINE);
	spinlock_t lock;
	unsigned long flags;
	uint64_t t0, sum = 0;

	t0 = clock_ns();
	for (int i = 0; i < rounds; i++)
		sum += clock_ns();
	kunit_info(test, "bench: %s piece: clock_ns(): %llu ns", label,
		   (unsigned long long)per_round(t0, rounds));

	t0 = clock_ns();
	for (int i = 0; i < rounds; i++)
		for (int c = 0; c < 4; c++)
			__atomic_fetch_add(&counters[c], 1, __ATOMIC_RELAXED);
	kunit_info(test, "bench: %s piece: 4 atomic adds (one line): %llu ns",
		   label, (unsigned long long)per_round(t0, rounds));

	spin_lock_init(&lock, "bench");
	t0 = clock_ns();
	for (int i = 0; i < rounds; i++) {
		spin_lock_irqsave(&lock, flags);
		spin_unlock_irqrestore(&lock, flags);
	}
	kunit_info(test, "bench: %s piece: spin_lock_irqsave+unlock: %llu ns",
		   label, (unsigned long long)per_round(t0, rounds));
	(void)sum;
}

void iommu_bench_pieces(struct kunit *test, const char *label,
			struct iommu_domain *d, struct device *dev, void *buf,
			int rounds)
{
	struct iova_domain *iovad = &d->iovad;
	unsigned long shift = iova_shift(iovad);
	unsigned long limit = (unsigned long)(dev->dma_mask >> shift);
	phys_addr_t phys = virt_to_phys(buf);
	bool strict = d->strict;
	unsigned long pfn, iova;
	uint64_t t0;

	/* 1. The IOVA: a magazine hit to allocate, a push to free. */
	t0 = clock_ns();
	for (int i = 0; i < rounds; i++)
		free_iova_fast(iovad, alloc_iova_fast(iovad, 1, limit, true), 1);
	kunit_info(test, "bench: %s piece: IOVA alloc+free (magazine): %llu ns",
		   label, (unsigned long long)per_round(t0, rounds));

	/* 2. The page table: write one PTE, clear it (ops->map, ops->unmap). */
	pfn = alloc_iova_fast(iovad, 1, limit, true);
	KUNIT_ASSERT_NE(test, pfn, 0UL);
	iova = pfn << shift;
	t0 = clock_ns();
	for (int i = 0; i < rounds; i++) {
		d->ops->map(d, iova, phys, PAGE_SIZE, IOMMU_READ | IOMMU_WRITE);
		d->ops->unmap(d, iova, PAGE_SIZE);
	}
	kunit_info(test, "bench: %s piece: page table map+unmap (one page): %llu ns",
		   label, (unsigned long long)per_round(t0, rounds));

	/* 3. Strict: invalidate that page and wait for the IOMMU. */
	t0 = clock_ns();
	for (int i = 0; i < rounds; i++)
		d->ops->iotlb_sync(d, iova, PAGE_SIZE);
	kunit_info(test, "bench: %s piece: strict invalidation of one page (iotlb_sync): %llu ns",
		   label, (unsigned long long)per_round(t0, rounds));
	free_iova_fast(iovad, pfn, 1);

	/* 4. Lazy: the domain-wide flush a batch costs, once. */
	t0 = clock_ns();
	for (int i = 0; i < rounds / 16; i++)
		d->ops->flush_iotlb_all(d);
	kunit_info(test, "bench: %s piece: domain-wide invalidation (flush_iotlb_all): %llu ns",
		   label, (unsigned long long)per_round(t0, rounds / 16));

	/* 5. Lazy: the flush queue's share of a pair - the time bound checked
	 * on map, the IOVA parked on unmap, a flush every IOVA_FQ_SIZE. */
	iommu_set_dma_strict(d, false);
	t0 = clock_ns();
	for (int i = 0; i < rounds; i++)
		iova_flush_queue_tick(iovad);
	kunit_info(test, "bench: %s piece: lazy time-bound check on map (nothing due): %llu ns",
		   label, (unsigned long long)per_round(t0, rounds));
	t0 = clock_ns();
	for (int i = 0; i < rounds; i++)
		queue_iova(iovad, alloc_iova_fast(iovad, 1, limit, true), 1);
	iova_flush_queue_flush(iovad);
	kunit_info(test, "bench: %s piece: IOVA alloc+queue_iova (flush every %u included): %llu ns",
		   label, IOVA_FQ_SIZE, (unsigned long long)per_round(t0, rounds));
	iommu_set_dma_strict(d, strict);

	bench_primitives(test, label, rounds);
}
