/*
 * tests/bench/iova.c - what an IOVA and a DMA mapping cost on the host:
 * ns per IOVA alloc+free through the per-CPU magazines and through the
 * range tree alone (with 1000 and 50000 other ranges in the tree), and ns
 * per dma_map_single+dma_unmap_single through the direct backend and the
 * software test IOMMU, strict and lazy. DMA debugging and lock debugging
 * are off (they would be measured too; the magazine hit takes no spinlock
 * now, so lock debugging no longer touches it). The magazine case calls
 * alloc_iova_fast/free_iova_fast exactly as a driver's map/unmap does (this
 * CPU, a 32-bit limit, flush_rcache on). The goals and the last figures
 * are in docs/benchmarks.md ("IOVA allocator and DMA mapping").
 *
 *   make O=build bench   (or build/host/bench-iova after a build)
 */
#include "tests/host/host.h"
#include "kernel/lib/random.h"
#include "kernel/spinlock.h"
#include "mm/dma-mapping.h"
#include "mm/iova.h"
#include "mm/page_alloc.h"
#include "drivers/iommu/test_iommu.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define ARENA_SIZE	(64UL << 20)
#define PFN32		(0xffffffffUL >> 12)

static pg_data_t node;

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static double best_of(double (*fn)(long), long iters)
{
	double best = 1e30;

	for (int r = 0; r < 5; r++) {
		double t = fn(iters);

		if (t < best)
			best = t;
	}
	return best;
}

static struct iova_domain iovad;

static double bench_fast(long iters)
{
	double t0 = now_ns();

	for (long i = 0; i < iters; i++) {
		unsigned long pfn = alloc_iova_fast(&iovad, 1, PFN32, true);

		free_iova_fast(&iovad, pfn, 1);
	}
	return (now_ns() - t0) / iters;
}

static double bench_tree(long iters)
{
	double t0 = now_ns();

	for (long i = 0; i < iters; i++) {
		struct iova *v = alloc_iova(&iovad, 1, PFN32, true);

		__free_iova(&iovad, v);
	}
	return (now_ns() - t0) / iters;
}

/* Fill the tree with n ranges with holes between them (fragmented). */
static void populate(unsigned long n, struct prng *rng)
{
	for (unsigned long i = 0; i < n; i++) {
		struct iova *v = alloc_iova(&iovad, 1 + prng_below(rng, 8), PFN32, true);

		if (v && prng_below(rng, 2))
			__free_iova(&iovad, v);
	}
}

static struct device dev;
static char *buf;

static double bench_map(long iters)
{
	double t0 = now_ns();

	for (long i = 0; i < iters; i++) {
		dma_addr_t h = dma_map_single(&dev, buf, 1500, DMA_TO_DEVICE);

		if (dma_mapping_error(&dev, h))
			abort();
		dma_unmap_single(&dev, h, 1500, DMA_TO_DEVICE);
	}
	return (now_ns() - t0) / iters;
}

int main(void)
{
	void *mem = aligned_alloc(ARENA_SIZE, ARENA_SIZE);
	struct mem_range r = { virt_to_phys(mem), virt_to_phys(mem) + ARENA_SIZE };
	struct iommu_dma_stats st;
	struct iommu_domain *d;
	struct prng rng;
	double fast, tree0, tree1k, tree50k, direct, strict, lazy;

	host_console_init();
	lock_debug = false;
	dma_debug_enabled = false;
	if (!mem || page_arena_init(&node, &r, 1, 0))
		return 1;
	prng_seed(&rng, 1);

	init_iova_domain_node(&iovad, 4096, 1, &node);
	fast = best_of(bench_fast, 2000000);
	tree0 = best_of(bench_tree, 1000000);
	populate(2000, &rng);
	tree1k = best_of(bench_tree, 1000000);
	populate(100000, &rng);
	tree50k = best_of(bench_tree, 1000000);
	printf("iova: %lu ranges in the tree at the end\n", iovad.nr_ranges);
	put_iova_domain(&iovad);

	dma_device_init(&dev, "bench");
	dev.dma_mask = dev.coherent_dma_mask = DMA_BIT_MASK(64);
	buf = page_address(alloc_pages_node(&node, GFP_KERNEL, 0));
	direct = best_of(bench_map, 2000000);
	d = test_iommu_domain_alloc(&node, 48);
	if (!d || iommu_attach_device(d, &dev))
		return 1;
	iommu_set_dma_strict(d, true);
	strict = best_of(bench_map, 500000);
	iommu_set_dma_strict(d, false);
	lazy = best_of(bench_map, 500000);
	iommu_dma_get_stats(d, &st);
	printf("test IOMMU, lazy: %lu full flushes (%lu by count, %lu by time) for %lu unmaps\n",
	       d->nr_flush_all, d->iovad.fq_flushes[IOVA_FQ_FULL],
	       d->iovad.fq_flushes[IOVA_FQ_TIMEOUT], st.unmaps);
	iommu_detach_device(d, &dev);
	test_iommu_domain_free(d);

	printf("\nIOVA alloc+free, 1 page below 4 GiB (ns per pair, best of 5):\n");
	printf("  magazines (alloc_iova_fast/free_iova_fast)   %7.1f   goal <= 15\n", fast);
	printf("  tree only (alloc_iova/__free_iova), empty     %7.1f   goal <= 150\n", tree0);
	printf("  tree only, ~1000 ranges, fragmented           %7.1f\n", tree1k);
	printf("  tree only, ~50000 ranges, fragmented          %7.1f\n", tree50k);
	printf("\ndma_map_single+dma_unmap_single, 1500 bytes (ns per pair):\n");
	printf("  direct (64-bit device, no bounce)             %7.1f\n", direct);
	printf("  test IOMMU, strict (range sync per unmap)     %7.1f\n", strict);
	printf("  test IOMMU, lazy (flush queue)                %7.1f\n", lazy);
	printf("(the test IOMMU's tables and IOTLB are software: hardware costs differ)\n");
	return 0;
}
