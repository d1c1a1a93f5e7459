/*
 * drivers/iommu/io-pgtable.c - the radix walk shared by the IOMMU page
 * table formats (contract: io-pgtable.h).
 *
 * The walk. An IOVA is cut into 9-bit indices above a 12-bit page offset:
 *
 *   levels = 4:  [47:39] level 4 | [38:30] level 3 | [29:21] level 2 |
 *                [20:12] level 1 | [11:0] offset in the 4 KiB page
 *   levels = 3:  the same without level 4 (a 39-bit IOVA space)
 *
 * The root is one page of 512 entries at level pt->levels. An entry above
 * level 1 is either empty, a pointer to the next level's table, or (at
 * level 2 only, when pt->blocks) a leaf for a whole 2 MiB block: the walk
 * stops there and IOVA bits [20:0] are the offset in the block. A level-1
 * entry is empty or a 4 KiB page. Tables are made on the way down as a
 * map needs them and stay until io_pgtable_free(), so an unmap never
 * frees memory - except that unmapping part of a block first replaces it
 * by a table of the 512 pages it stood for (a split), then clears those.
 *
 * What an entry's bits mean is the format's business (pt->fmt): this
 * file only asks it to make a table pointer or a leaf, and whether an
 * entry is present and whether it is a block.
 *
 * The fast path. A DMA mapping is usually one page, and consecutive ones
 * land in the same 2 MiB of IOVA (the IOVA caches hand the same ranges
 * back), so most maps and unmaps need the same level-1 table as the one
 * before. pt->hint_table remembers it; since a level-1 table is never
 * freed or replaced before io_pgtable_free, the hint is always right for
 * its 2 MiB, and a hit costs one compare instead of a walk from the root
 * (under emulation each level is several indirect calls into the format).
 * Leaves are written without calling the format per page either: a page
 * entry is (paddr & addr_mask) | the bits of mk_leaf(0, ...), made once
 * per map, and an empty entry is 0 (tables start zeroed and unmap writes
 * 0), so "was it mapped" is a test against 0.
 */
#include "drivers/iommu/io-pgtable.h"
#include "mm/dma-iommu.h"
#include "kernel/lib/string.h"

#define BLOCK_SIZE	IO_PGTABLE_BLOCK_SIZE
#define BLOCK_SHIFT	21		/* the IOVA a level-1 table covers */
#define NO_HINT		(~0UL)

/* The index of iova in a table at level (1: the pages). */
static unsigned int index_at(unsigned long iova, unsigned int level)
{
	return (unsigned int)(iova >> (12 + 9 * (level - 1))) &
	       (IO_PGTABLE_ENTRIES - 1);
}

/* A zeroed (all entries empty) table page, counted; NULL if no memory. */
static uint64_t *table_alloc(struct io_pgtable *pt)
{
	gfp_t gfp = GFP_ATOMIC | __GFP_ZERO | __GFP_NOWARN;
	struct page *pg = pt->node ? alloc_pages_node(pt->node, gfp, 0)
				   : alloc_pages(gfp, 0);

	if (!pg)
		return NULL;
	pt->nr_tables++;
	return page_address(pg);
}

static uint64_t *next_table(const struct io_pgtable *pt, uint64_t e)
{
	return phys_to_virt(e & pt->fmt->addr_mask);
}

/* Make the table t reachable from *e (t's contents first: the IOMMU may
 * walk the moment the entry changes). */
static void install_table(struct io_pgtable *pt, uint64_t *e, uint64_t *t)
{
	__atomic_thread_fence(__ATOMIC_RELEASE);
	*e = pt->fmt->mk_table(virt_to_phys(t));
}

int io_pgtable_init(struct io_pgtable *pt, const struct io_pgtable_fmt *fmt,
		    unsigned int levels, bool blocks, pg_data_t *node)
{
	memset(pt, 0, sizeof(*pt));
	if (levels != 3 && levels != 4)
		return -EINVAL;
	pt->fmt = fmt;
	pt->levels = levels;
	pt->ias_bits = 12 + 9 * levels;
	pt->blocks = blocks;
	pt->node = node;
	pt->hint_region = NO_HINT;
	pt->root = table_alloc(pt);
	return pt->root ? 0 : -ENOMEM;
}

/*
 * The entry for iova at level want (1: a page, 2: a block), making the
 * missing tables on the way if alloc. If a block sits above want, the
 * block's entry is returned and *blk set. NULL if a table is missing (or
 * could not be made).
 */
static uint64_t *walk(struct io_pgtable *pt, unsigned long iova,
		      unsigned int want, bool alloc, bool *blk)
{
	const struct io_pgtable_fmt *fmt = pt->fmt;
	uint64_t *t = pt->root;

	*blk = false;
	for (unsigned int level = pt->levels; level > want; level--) {
		uint64_t *e = &t[index_at(iova, level)];

		if (!fmt->is_present(*e)) {
			uint64_t *n;

			if (!alloc || !(n = table_alloc(pt)))
				return NULL;
			install_table(pt, e, n);
		} else if (fmt->is_block(*e)) {
			*blk = true;
			return e;
		}
		t = next_table(pt, *e);
	}
	return &t[index_at(iova, want)];
}

/*
 * The level-1 entry for iova, as walk(pt, iova, 1, alloc, blk) finds it,
 * but without the walk when iova is in the 2 MiB of the last one.
 */
static uint64_t *leaf_entry(struct io_pgtable *pt, unsigned long iova,
			    bool alloc, bool *blk)
{
	unsigned long region = iova >> BLOCK_SHIFT;
	uint64_t *e;

	if (region == pt->hint_region) {
		pt->nr_hint_hits++;
		*blk = false;
		return &pt->hint_table[index_at(iova, 1)];
	}
	pt->nr_walks++;
	e = walk(pt, iova, 1, alloc, blk);
	if (e && !*blk) {
		pt->hint_region = region;
		pt->hint_table = e - index_at(iova, 1);
	}
	return e;
}

int io_pgtable_map(struct io_pgtable *pt, unsigned long iova,
		   phys_addr_t paddr, size_t size, int prot)
{
	const struct io_pgtable_fmt *fmt = pt->fmt;
	uint64_t attrs = fmt->prot_to_attrs(prot);
	uint64_t page_bits = fmt->mk_leaf(0, attrs, false);

	if (!attrs || !size || (iova | paddr | size) & (PAGE_SIZE - 1) ||
	    iova + size < iova || (iova + size - 1) >> pt->ias_bits)
		return -EINVAL;
	for (size_t done = 0; done < size;) {
		unsigned long va = iova + done;
		phys_addr_t pa = paddr + done;
		uint64_t *e;
		bool blk;

		if (pt->blocks && !((va | pa) & (BLOCK_SIZE - 1)) &&
		    size - done >= BLOCK_SIZE) {
			e = walk(pt, va, 2, true, &blk);
			if (e && !fmt->is_present(*e)) {
				*e = fmt->mk_leaf(pa, attrs, true);
				pt->nr_blocks++;
				done += BLOCK_SIZE;
				continue;
			}
			/* a table (or block) is there already: pages below */
		}
		e = leaf_entry(pt, va, true, &blk);
		if (!e || blk) {
			io_pgtable_unmap(pt, iova, done);
			return e ? -EINVAL : -ENOMEM;
		}
		if (!*e)
			pt->nr_pages++;
		*e = (pa & fmt->addr_mask) | page_bits;
		done += PAGE_SIZE;
	}
	return 0;
}

/* Replace the block at *e by a table of the 512 pages it maps, with its
 * attributes; false if no page for the table. */
static bool split_block(struct io_pgtable *pt, uint64_t *e)
{
	const struct io_pgtable_fmt *fmt = pt->fmt;
	uint64_t *t = table_alloc(pt);
	uint64_t base = *e & fmt->addr_mask & ~(uint64_t)(BLOCK_SIZE - 1);
	uint64_t attrs = fmt->leaf_attrs(*e);

	if (!t)
		return false;
	for (unsigned int i = 0; i < IO_PGTABLE_ENTRIES; i++)
		t[i] = fmt->mk_leaf(base + (uint64_t)i * PAGE_SIZE, attrs, false);
	install_table(pt, e, t);
	pt->nr_blocks--;
	pt->nr_pages += IO_PGTABLE_ENTRIES;
	pt->nr_splits++;
	return true;
}

size_t io_pgtable_unmap(struct io_pgtable *pt, unsigned long iova, size_t size)
{
	size_t unmapped = 0;

	for (size_t off = 0; off < size;) {
		unsigned long va = iova + off;
		bool blk;
		uint64_t *e = leaf_entry(pt, va, false, &blk);

		if (e && blk) {
			unsigned long base = va & ~(BLOCK_SIZE - 1);
			size_t rest = min((size_t)(base + BLOCK_SIZE - va),
					  size - off);

			if (base == va && size - off >= BLOCK_SIZE) {
				*e = 0;
				pt->nr_blocks--;
				unmapped += BLOCK_SIZE;
				off += BLOCK_SIZE;
				continue;
			}
			if (split_block(pt, e))
				continue;	/* now pages: this va again */
			*e = 0;			/* no page for the split */
			pt->nr_blocks--;
			unmapped += rest;
			off += rest;
			continue;
		}
		if (e && *e) {
			*e = 0;
			pt->nr_pages--;
			unmapped += PAGE_SIZE;
		}
		off += PAGE_SIZE;
	}
	return unmapped;
}

phys_addr_t io_pgtable_iova_to_phys(struct io_pgtable *pt, unsigned long iova,
				    uint64_t *pte)
{
	uint64_t *e, mask = pt->fmt->addr_mask;
	bool blk;

	if (pte)
		*pte = 0;
	if (iova >> pt->ias_bits)
		return 0;
	e = walk(pt, iova, 1, false, &blk);
	if (!e || !pt->fmt->is_present(*e))
		return 0;
	if (pte)
		*pte = *e;
	if (blk)
		return (*e & mask & ~(uint64_t)(BLOCK_SIZE - 1)) |
		       (iova & (BLOCK_SIZE - 1));
	return (*e & mask) | (iova & (PAGE_SIZE - 1));
}

/* Free the table t at level and every table below it; the count. */
static unsigned long free_level(struct io_pgtable *pt, uint64_t *t,
				unsigned int level)
{
	unsigned long n = 1;

	if (level > 1)
		for (unsigned int i = 0; i < IO_PGTABLE_ENTRIES; i++)
			if (pt->fmt->is_present(t[i]) &&
			    !pt->fmt->is_block(t[i]))
				n += free_level(pt, next_table(pt, t[i]),
						level - 1);
	__free_page(virt_to_page(t));
	return n;
}

unsigned long io_pgtable_free(struct io_pgtable *pt)
{
	unsigned long n = pt->root ? free_level(pt, pt->root, pt->levels) : 0;

	pt->root = NULL;
	pt->hint_region = NO_HINT;
	pt->hint_table = NULL;
	pt->nr_tables = 0;
	pt->nr_pages = 0;
	pt->nr_blocks = 0;
	return n;
}
