/*
 * drivers/iommu/io-pgtable.c - IOMMU page tables on the one walker
 * (contract: io-pgtable.h). The walk, the splits, and the level-1 hint
 * that keeps the one-page DMA map and unmap off the walk from the root
 * are mm/pgtable.c's; this file fixes the IOVA space and the largest leaf
 * and keeps the counts the drivers print.
 */
#include "drivers/iommu/io-pgtable.h"
#include "kernel/lib/string.h"

/* The counts the drivers read, from the walker's. */
static void update_counts(struct io_pgtable *pt)
{
	pt->root = pt->pgt.root;
	pt->nr_tables = pt->pgt.nr_tables;
	pt->nr_pages = pt->pgt.nr_leaves[1];
	pt->nr_blocks = pt->pgt.nr_leaves[2];
	pt->nr_splits = pt->pgt.nr_splits;
}

int io_pgtable_init(struct io_pgtable *pt, const struct pgtable_fmt *fmt,
		    unsigned int levels, bool blocks, pg_data_t *node)
{
	int ret;

	memset(pt, 0, sizeof(*pt));
	if (levels != 3 && levels != 4)
		return -EINVAL;
	pt->ias_bits = 12 + 9 * levels;
	pt->levels = levels;
	pt->blocks = blocks;
	ret = pgtable_init(&pt->pgt, fmt, levels, 0,
			   (1UL << pt->ias_bits) - 1, node);
	update_counts(pt);
	return ret;
}

int io_pgtable_map(struct io_pgtable *pt, unsigned long iova,
		   phys_addr_t paddr, size_t size, int prot)
{
	int ret = pgtable_map(&pt->pgt, iova, paddr, size, (unsigned int)prot,
			      pt->blocks ? IO_PGTABLE_BLOCK_SIZE : PAGE_SIZE);

	update_counts(pt);
	return ret;
}

size_t io_pgtable_unmap(struct io_pgtable *pt, unsigned long iova, size_t size)
{
	size_t done = pgtable_unmap(&pt->pgt, iova, size);

	update_counts(pt);
	return done;
}

phys_addr_t io_pgtable_iova_to_phys(struct io_pgtable *pt, unsigned long iova,
				    uint64_t *pte)
{
	return pgtable_translate(&pt->pgt, iova, pte, NULL);
}

unsigned long io_pgtable_free(struct io_pgtable *pt)
{
	unsigned long n = pgtable_free(&pt->pgt);

	update_counts(pt);
	return n;
}
