/*
 * drivers/iommu/io-pgtable.h - one radix IOMMU page table for every
 * format whose tables look like x86's and AArch64's own with a 4 KiB
 * granule: 512 entries of 8 bytes a level, 9 IOVA bits per level, 3
 * levels for a 39-bit IOVA space or 4 for 48 bits, 2 MiB blocks one level
 * above the pages. Linux's io-pgtable has the same split: the walk here,
 * the bit layout of an entry in a small format descriptor beside each
 * driver (VT-d second level: intel-pgtable.c; Arm stage 1:
 * arm-smmu-v3-pgtable.c).
 */
#ifndef DRIVERS_IOMMU_IO_PGTABLE_H
#define DRIVERS_IOMMU_IO_PGTABLE_H

#include "kernel/types.h"
#include "mm/page_alloc.h"

#define IO_PGTABLE_ENTRIES	512
#define IO_PGTABLE_BLOCK_SIZE	(2UL << 20)	/* a level-2 leaf */

/*
 * An entry format. "attrs" are the format's permission and attribute
 * bits of a leaf, made once per map from IOMMU_READ/WRITE and copied to
 * each page when a block is split. Every function is pure.
 */
struct io_pgtable_fmt {
	const char *name;
	uint64_t addr_mask;		/* the output address bits of an entry */
	/* The attrs for prot; 0 if the format cannot map prot (-EINVAL). */
	uint64_t (*prot_to_attrs)(int prot);
	/* An entry pointing at the next level's table at phys. */
	uint64_t (*mk_table)(phys_addr_t phys);
	/* A leaf for paddr: a 2 MiB block (level 2) or a 4 KiB page (1).
	 * Must be (paddr & addr_mask) | bits that do not depend on paddr:
	 * the walk makes a run of pages from one mk_leaf(0, ...). */
	uint64_t (*mk_leaf)(phys_addr_t paddr, uint64_t attrs, bool block);
	/* The attrs of leaf e, as mk_leaf takes them. */
	uint64_t (*leaf_attrs)(uint64_t e);
	/* Does e translate anything (a table or a leaf)? */
	bool (*is_present)(uint64_t e);
	/* Is the present entry e, found above the page level, a block? */
	bool (*is_block)(uint64_t e);
};

struct io_pgtable {
	const struct io_pgtable_fmt *fmt;
	uint64_t *root;		/* top-level table (a page) */
	unsigned int levels;	/* 3 (39-bit IOVA) or 4 (48-bit) */
	unsigned int ias_bits;	/* 12 + 9 * levels */
	bool blocks;		/* 2 MiB blocks allowed where aligned */
	pg_data_t *node;	/* table pages from here; NULL: global */
	unsigned long nr_tables;	/* pages of tables now, root included */
	unsigned long nr_pages, nr_blocks;	/* leaf entries now */
	unsigned long nr_splits;	/* blocks split by a partial unmap */
	/*
	 * The last page table (level 1) the walk reached, and which 2 MiB of
	 * IOVA it covers (iova >> 21; ~0UL: none). A level-1 table, once
	 * made, stays where it is until io_pgtable_free, so this never goes
	 * stale: the next map or unmap in the same 2 MiB skips the walk.
	 */
	unsigned long hint_region;
	uint64_t *hint_table;
	unsigned long nr_hint_hits, nr_walks;
};

/*
 * Locking: calls on one table must not overlap (the drivers hold their
 * domain's lock around each; then map and unmap of disjoint ranges from
 * any CPU are safe). The table itself is written so the IOMMU may walk
 * it at any moment: a new table is filled before the entry pointing at
 * it is written.
 *
 * An empty table (the root only). 0, -EINVAL (levels not 3 or 4), -ENOMEM.
 */
int io_pgtable_init(struct io_pgtable *pt, const struct io_pgtable_fmt *fmt,
		    unsigned int levels, bool blocks, pg_data_t *node);
/*
 * Map [iova, iova + size) to paddr with prot (IOMMU_READ/WRITE): 4 KiB
 * multiples; a 2 MiB block wherever pt->blocks, iova and paddr are 2 MiB
 * aligned, 2 MiB remain and no table is there already. Tables are
 * allocated GFP_ATOMIC. 0; -EINVAL (unaligned, empty, beyond ias_bits, a
 * prot the format refuses, or a page inside an existing block); -ENOMEM.
 * On failure nothing of the range is left mapped.
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
