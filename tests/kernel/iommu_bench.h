/*
 * tests/kernel/iommu_bench.h - what one dma_map_single + dma_unmap_single
 * through an IOMMU domain is made of, piece by piece (docs/benchmarks.md,
 * "DMA mapping in the kernel, per policy"). The IOMMU suites' benchmark
 * cases call it on a domain of the real unit (VT-d, SMMUv3) and on the
 * software test IOMMU, so the pieces of every driver print side by side.
 */
#ifndef TESTS_KERNEL_IOMMU_BENCH_H
#define TESTS_KERNEL_IOMMU_BENCH_H

#include "kernel/kunit.h"
#include "mm/dma-iommu.h"

/* Each figure is the best of this many timed runs (after a warm-up). */
#define IOMMU_BENCH_RUNS	3

/*
 * ns per dma_map_single + dma_unmap_single of buf (one page) for dev,
 * the mean over rounds pairs, in d's current policy (the flush queue is
 * drained inside the timing).
 */
uint64_t iommu_bench_pair(struct iommu_domain *d, struct device *dev,
			  void *buf, int rounds);

/*
 * One "bench: LABEL piece: WHAT: N ns" line per piece of such a pair,
 * each the mean over rounds calls. dev is attached to d; buf is one page.
 * d is left in the policy it had.
 */
void iommu_bench_pieces(struct kunit *test, const char *label,
			struct iommu_domain *d, struct device *dev, void *buf,
			int rounds);

#endif
