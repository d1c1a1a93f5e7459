/*
 * drivers/iommu/test_iommu.h - a software IOMMU: an iommu_domain whose "hardware" is
 * a four-level page table in memory (9 bits per level over 4 KiB pages,
 * 48-bit IOVAs, like VT-d second-level and SMMUv3 stage-1 tables) and a
 * small IOTLB that caches translations until it is invalidated, exactly
 * as a real one does. A "device" reads and writes memory through it with
 * test_iommu_dma_read/write, so the whole IOMMU path of the DMA API is
 * tested without hardware:
 *  - an IOVA that was never mapped, or is unmapped and invalidated, faults
 *    (reported through report_iommu_fault) and memory is untouched;
 *  - in lazy mode an unmapped IOVA still translates through the stale
 *    IOTLB entry until the flush queue invalidates it: the window the
 *    strict policy closes.
 */
#ifndef DRIVERS_IOMMU_TEST_IOMMU_H
#define DRIVERS_IOMMU_TEST_IOMMU_H

#include "drivers/iommu/iommu.h"

#define TEST_IOMMU_IOTLB	64	/* entries, direct-mapped by IOVA pfn */
#define TEST_IOMMU_BITS		48

struct test_iommu_domain {
	struct iommu_domain domain;
	uint64_t *root;			/* level-4 table (a page) */
	pg_data_t *node;		/* table pages come from here */
	spinlock_t lock;		/* tables and IOTLB */
	struct {
		unsigned long pfn;	/* IOVA pfn + 1; 0 = empty */
		uint64_t pte;
	} iotlb[TEST_IOMMU_IOTLB];
	unsigned long nr_tables, nr_walks, nr_iotlb_hits, nr_stale_hits;
	unsigned int order;		/* of this structure's pages */
	char name[24];
};

/*
 * A new test domain over IOVAs [PAGE_SIZE, 2^aperture_bits) with tables
 * from node (NULL: global). NULL if out of memory.
 */
struct iommu_domain *test_iommu_domain_alloc(pg_data_t *node,
					     unsigned int aperture_bits);
/* Tear down (devices detached first); returns table pages still mapped. */
void test_iommu_domain_free(struct iommu_domain *d);

/*
 * The device dev moves len bytes at DMA address addr: reads memory into
 * buf, or writes buf into memory, page by page through the IOTLB and the
 * tables. On a missing translation or permission it stops, reports the
 * fault and returns -EFAULT (pages before the faulting one were done).
 */
int test_iommu_dma_read(struct iommu_domain *d, struct device *dev,
			dma_addr_t addr, void *buf, size_t len);
int test_iommu_dma_write(struct iommu_domain *d, struct device *dev,
			 dma_addr_t addr, const void *buf, size_t len);

/* Pages of translation tables in use (root included). */
unsigned long test_iommu_tables(struct iommu_domain *d);

#endif
