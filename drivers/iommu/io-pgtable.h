/*
 * drivers/iommu/io-pgtable.h - an IOMMU's page table: the one walker
 * (mm/pgtable.h) over an IOMMU entry format whose tables look like x86's
 * and AArch64's own with a 4 KiB granule: 512 entries of 8 bytes a level,
 * 9 IOVA bits per level, 3 levels for a 39-bit IOVA space or 4 for 48
 * bits, 2 MiB blocks one level above the pages. Linux's io-pgtable has
 * the same split: the walk in one place, the bit layout of an entry in a
 * small struct pgtable_fmt beside each driver (VT-d second level:
 * intel-pgtable.c; Arm stage 1: arm-smmu-v3-pgtable.c).
 *
 * This layer only adds what the drivers share: the IOVA space is
 * [0, 2^ias_bits), leaves are pages or (when pt->blocks) 2 MiB blocks,
 * and the counts their reports print.
 */
#ifndef DRIVERS_IOMMU_IO_PGTABLE_H
#define DRIVERS_IOMMU_IO_PGTABLE_H

#include "kernel/types.h"
#include "mm/pgtable.h"

#define IO_PGTABLE_ENTRIES	PGTABLE_ENTRIES
#define IO_PGTABLE_BLOCK_SIZE	PGTABLE_LEVEL_SIZE(2)	/* a level-2 leaf */

struct io_pgtable {
	struct pgtable pgt;	/* the walker's table */
	bool blocks;		/* 2 MiB blocks allowed where aligned */
	unsigned int ias_bits;	/* 12 + 9 * levels */
	/* For the drivers' reports and tests, as of the last call: */
	unsigned int levels;	/* 3 (39-bit IOVA) or 4 (48-bit) */
	uint64_t *root;		/* top-level table (a page) */
	unsigned long nr_tables;	/* pages of tables now, root included */
	unsigned long nr_pages, nr_blocks;	/* leaf entries now */
	unsigned long nr_splits;	/* blocks split by a partial unmap */
};

/*
 * Locking: calls on one table must not overlap (the drivers hold their
 * domain's lock around each; then map and unmap of disjoint ranges from
 * any CPU are safe). The table itself is written so the IOMMU may walk
 * it at any moment: a new table is filled before the entry pointing at
 * it is written.
 *
 * An empty table (the root only) of format fmt, table pages from node
 * (NULL: any). 0, -EINVAL (levels not 3 or 4), -ENOMEM.
 */
int io_pgtable_init(struct io_pgtable *pt, const struct pgtable_fmt *fmt,
		    unsigned int levels, bool blocks, pg_data_t *node);
/*
 * Map [iova, iova + size) to paddr with prot (IOMMU_READ/WRITE): 4 KiB
 * multiples; a 2 MiB block wherever pt->blocks, iova and paddr are 2 MiB
 * aligned, 2 MiB remain and no table is there already. Tables are
 * allocated GFP_ATOMIC. 0; -EINVAL (unaligned, empty, beyond ias_bits, a
 * prot the format refuses, a page mapped already, or a page inside an
 * existing block); -ENOMEM. On failure nothing of the range is left
 * mapped.
 */
int io_pgtable_map(struct io_pgtable *pt, unsigned long iova,
		   phys_addr_t paddr, size_t size, int prot);
/*
 * Clear the range's leaves, splitting a block it covers only partly into
 * pages (if no page is left for that, the whole block goes: the device
 * loses more than asked, never keeps more). Returns the bytes of the
 * range that were mapped. Tables stay.
 */
size_t io_pgtable_unmap(struct io_pgtable *pt, unsigned long iova,
			size_t size);
/* The translation of iova (0 if none); *pte gets the leaf if not NULL. */
phys_addr_t io_pgtable_iova_to_phys(struct io_pgtable *pt, unsigned long iova,
				    uint64_t *pte);
/* Free every table page and zero the counts; returns the pages freed. */
unsigned long io_pgtable_free(struct io_pgtable *pt);

#endif
