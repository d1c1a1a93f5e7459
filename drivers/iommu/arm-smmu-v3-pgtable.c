/*
 * drivers/iommu/arm-smmu-v3-pgtable.c - stage-1 page tables for the SMMU
 * in the AArch64 VMSAv8-64 long-descriptor format, 4 KiB granule (Arm ARM
 * D8.3; the CPU's own format): 512 entries of 8 bytes a level, 9 input
 * bits per level. 3 levels (starting at level 1) translate a 39-bit input
 * address, 4 levels (starting at level 0) 48 bits.
 *
 *   table descriptor (levels 0-2): next table | 0b11
 *   page descriptor  (level 3):    page | AF | SH=inner | AP | nG | XN | AttrIndx 0 | 0b11
 *   block descriptor (level 2):    2 MiB | the same attributes | 0b01
 * AP[2] (bit 7) makes a page read-only; AP[1] (bit 6) "unprivileged" is
 * set as Linux does for device streams. AF is set so the walk never takes
 * an access-flag fault (the SMMU does not update it: no HTTU). With
 * pt->blocks, 2 MiB blocks are used where iova and paddr are 2 MiB aligned
 * and 2 MiB remain; unmapping part of a block splits it into pages.
 */
#include "drivers/iommu/arm-smmu-v3.h"
#include "kernel/lib/string.h"
#include "mm/page_alloc.h"

#define ENTRIES		512

/* The index at table depth d (0 = the root) of a pt->levels-level table. */
static unsigned int index_at(const struct smmu_pgtable *pt, unsigned long iova,
			     unsigned int d)
{
	unsigned int shift = 12 + 9 * (pt->levels - 1 - d);

	return (unsigned int)(iova >> shift) & (ENTRIES - 1);
}

static uint64_t *table_alloc(struct smmu_pgtable *pt)
{
	gfp_t gfp = GFP_ATOMIC | __GFP_ZERO | __GFP_NOWARN;
	struct page *pg = pt->node ? alloc_pages_node(pt->node, gfp, 0)
				   : alloc_pages(gfp, 0);

	if (!pg)
		return NULL;
	pt->nr_tables++;
	return page_address(pg);
}

static uint64_t *next_table(uint64_t e)
{
	return phys_to_virt(e & S1_PTE_ADDR);
}

int smmu_pgtable_init(struct smmu_pgtable *pt, unsigned int levels,
		      pg_data_t *node)
{
	memset(pt, 0, sizeof(*pt));
	if (levels != 3 && levels != 4)
		return -EINVAL;
	pt->levels = levels;
	pt->ias_bits = 12 + 9 * levels;
	pt->node = node;
	pt->root = table_alloc(pt);
	return pt->root ? 0 : -ENOMEM;
}

/*
 * The entry for iova at depth want (levels - 1: a 4 KiB page, levels - 2:
 * a 2 MiB block), making tables on the way if alloc. If a block sits
 * above want, that block's entry is returned and *blk set. NULL if a
 * table is missing (or could not be made).
 */
static uint64_t *walk(struct smmu_pgtable *pt, unsigned long iova,
		      unsigned int want, bool alloc, bool *blk)
{
	uint64_t *t = pt->root;

	if (blk)
		*blk = false;
	for (unsigned int d = 0; d < want; d++) {
		uint64_t *e = &t[index_at(pt, iova, d)];

		if (!(*e & S1_PTE_VALID)) {
			uint64_t *n;

			if (!alloc || !(n = table_alloc(pt)))
				return NULL;
			/* the table is zeroed before it is made reachable */
			__atomic_thread_fence(__ATOMIC_RELEASE);
			*e = virt_to_phys(n) | S1_PTE_TABLE | S1_PTE_VALID;
		} else if (!(*e & S1_PTE_TABLE)) {
			if (blk)
				*blk = true;
			return e;
		}
		t = next_table(*e);
	}
	return &t[index_at(pt, iova, want)];
}

static unsigned int page_depth(const struct smmu_pgtable *pt) { return pt->levels - 1; }
static unsigned int block_depth(const struct smmu_pgtable *pt) { return pt->levels - 2; }

int smmu_pgtable_map(struct smmu_pgtable *pt, unsigned long iova,
		     phys_addr_t paddr, size_t size, int prot)
{
	uint64_t attrs = S1_PTE_VALID | S1_PTE_AF | S1_PTE_SH_ISH |
			 S1_PTE_ATTRIDX(0) | S1_PTE_NG | S1_PTE_AP_UNPRIV |
			 S1_PTE_XN;

	if ((iova | paddr | size) & (PAGE_SIZE - 1) || !size ||
	    (iova + size - 1) >> pt->ias_bits || iova + size < iova)
		return -EINVAL;
	if (!(prot & IOMMU_WRITE))
		attrs |= S1_PTE_AP_RDONLY;
	for (size_t done = 0; done < size;) {
		unsigned long va = iova + done;
		phys_addr_t pa = paddr + done;
		uint64_t *e;
		bool blk;

		if (pt->blocks && !((va | pa) & (SMMU_BLOCK_SIZE - 1)) &&
		    size - done >= SMMU_BLOCK_SIZE) {
			e = walk(pt, va, block_depth(pt), true, &blk);
			if (e && !(*e & S1_PTE_VALID)) {
				/* block: bits 1:0 = 0b01 */
				*e = (pa & S1_PTE_ADDR) | attrs;
				pt->nr_blocks++;
				done += SMMU_BLOCK_SIZE;
				continue;
			}
			/* a table is already there: 4 KiB pages below */
		}
		e = walk(pt, va, page_depth(pt), true, &blk);
		if (!e || blk) {
			smmu_pgtable_unmap(pt, iova, done);
			return e ? -EINVAL : -ENOMEM;
		}
		if (!(*e & S1_PTE_VALID))
			pt->nr_pages++;
		*e = (pa & S1_PTE_ADDR) | attrs | S1_PTE_TABLE;	/* page: 0b11 */
		done += PAGE_SIZE;
	}
	return 0;
}

/* Replace the block at *e by a table of 512 pages with its attributes. */
static bool split_block(struct smmu_pgtable *pt, uint64_t *e)
{
	uint64_t *t = table_alloc(pt);
	uint64_t base = *e & S1_PTE_ADDR, attrs = *e & ~S1_PTE_ADDR;

	if (!t)
		return false;
	for (unsigned int i = 0; i < ENTRIES; i++)
		t[i] = (base + (uint64_t)i * PAGE_SIZE) | attrs | S1_PTE_TABLE;
	__atomic_thread_fence(__ATOMIC_RELEASE);
	*e = virt_to_phys(t) | S1_PTE_TABLE | S1_PTE_VALID;
	pt->nr_blocks--;
	pt->nr_pages += ENTRIES;
	pt->nr_splits++;
	return true;
}

size_t smmu_pgtable_unmap(struct smmu_pgtable *pt, unsigned long iova,
			  size_t size)
{
	size_t unmapped = 0;

	for (size_t off = 0; off < size;) {
		unsigned long va = iova + off;
		bool blk;
		uint64_t *e = walk(pt, va, page_depth(pt), false, &blk);

		if (e && blk) {
			unsigned long base = va & ~(SMMU_BLOCK_SIZE - 1);

			if (base == va && size - off >= SMMU_BLOCK_SIZE) {
				*e = 0;
				pt->nr_blocks--;
				unmapped += SMMU_BLOCK_SIZE;
				off += SMMU_BLOCK_SIZE;
				continue;
			}
			if (split_block(pt, e))
				continue;	/* now pages: this va again */
			/* No page for the split: drop the whole block (the
			 * device loses more than asked, never keeps more). */
			*e = 0;
			pt->nr_blocks--;
			unmapped += min((size_t)(base + SMMU_BLOCK_SIZE - va),
					size - off);
			off += min((size_t)(base + SMMU_BLOCK_SIZE - va), size - off);
			continue;
		}
		if (e && (*e & S1_PTE_VALID)) {
			*e = 0;
			pt->nr_pages--;
			unmapped += PAGE_SIZE;
		}
		off += PAGE_SIZE;
	}
	return unmapped;
}

phys_addr_t smmu_pgtable_iova_to_phys(struct smmu_pgtable *pt,
				      unsigned long iova, uint64_t *pte)
{
	uint64_t *e;
	bool blk;

	if (iova >> pt->ias_bits)
		return 0;
	e = walk(pt, iova, page_depth(pt), false, &blk);
	if (!e || !(*e & S1_PTE_VALID))
		return 0;
	if (pte)
		*pte = *e;
	if (blk)
		return (*e & S1_PTE_ADDR & ~(uint64_t)(SMMU_BLOCK_SIZE - 1)) |
		       (iova & (SMMU_BLOCK_SIZE - 1));
	return (*e & S1_PTE_ADDR) | (iova & (PAGE_SIZE - 1));
}

static unsigned long free_level(struct smmu_pgtable *pt, uint64_t *t,
				unsigned int d)
{
	unsigned long n = 1;

	if (d + 1 < pt->levels)
		for (unsigned int i = 0; i < ENTRIES; i++)
			if ((t[i] & S1_PTE_VALID) && (t[i] & S1_PTE_TABLE))
				n += free_level(pt, next_table(t[i]), d + 1);
	__free_page(virt_to_page(t));
	return n;
}

unsigned long smmu_pgtable_free(struct smmu_pgtable *pt)
{
	unsigned long n = 0;

	if (pt->root)
		n = free_level(pt, pt->root, 0);
	pt->root = NULL;
	pt->nr_tables = 0;
	pt->nr_pages = 0;
	pt->nr_blocks = 0;
	return n;
}
