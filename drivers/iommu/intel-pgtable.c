/*
 * drivers/iommu/intel-pgtable.c - VT-d second-level page tables (VT-d
 * 3.6 and 9.8; contract: intel-iommu.h). The shape of x86's own tables:
 * 512 entries of 8 bytes a level, 9 IOVA bits per level over 4 KiB pages,
 * 3 levels for a 39-bit IOVA space, 4 for 48 bits.
 *
 *   non-leaf entry:  next table's address | W | R (both set: the rights
 *                    that count are the leaf's)
 *   leaf (level 1):  page address | W? | R?
 *   leaf (level 2):  2 MiB page address | PS | W? | R?
 * An entry with neither R nor W is not present. Bit 11 (SNP) and the
 * memory-type bits stay 0: QEMU treats SNP as reserved unless the unit
 * has snoop control.
 */
#include "drivers/iommu/intel-iommu.h"
#include "kernel/lib/string.h"
#include "mm/page_alloc.h"

#define ENTRIES		512
#define PRESENT		(VTD_PTE_R | VTD_PTE_W)
#define SZ_2M		(2UL << 20)

static unsigned int index_at(unsigned long iova, unsigned int level)
{
	return (unsigned int)(iova >> (12 + 9 * (level - 1))) & (ENTRIES - 1);
}

static uint64_t *table_alloc(struct vtd_pgtable *pt)
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
	return phys_to_virt(e & VTD_PTE_ADDR);
}

int vtd_pgtable_init(struct vtd_pgtable *pt, unsigned int levels,
		     bool superpages, pg_data_t *node)
{
	memset(pt, 0, sizeof(*pt));
	pt->levels = levels;
	pt->superpages = superpages;
	pt->node = node;
	pt->root = table_alloc(pt);
	return pt->root ? 0 : -ENOMEM;
}

/*
 * The entry for iova at level `want` (1: 4 KiB leaf, 2: 2 MiB), making
 * tables on the way if alloc. NULL if a table is missing (or could not be
 * made), or a superpage sits above the wanted level (*big gets it then).
 */
static uint64_t *walk(struct vtd_pgtable *pt, unsigned long iova,
		      unsigned int want, bool alloc, uint64_t **big)
{
	uint64_t *table = pt->root;

	if (big)
		*big = NULL;
	for (unsigned int level = pt->levels; level > want; level--) {
		uint64_t *e = &table[index_at(iova, level)];

		if (*e & PRESENT && *e & VTD_PTE_PS) {
			if (big)
				*big = e;
			return NULL;
		}
		if (!(*e & PRESENT)) {
			uint64_t *next;

			if (!alloc || !(next = table_alloc(pt)))
				return NULL;
			*e = virt_to_phys(next) | PRESENT;
		}
		table = next_table(*e);
	}
	return &table[index_at(iova, want)];
}

int vtd_pgtable_map(struct vtd_pgtable *pt, unsigned long iova,
		    phys_addr_t paddr, size_t size, int prot)
{
	uint64_t bits = ((prot & IOMMU_READ) ? VTD_PTE_R : 0) |
			((prot & IOMMU_WRITE) ? VTD_PTE_W : 0);
	size_t done = 0;

	if ((iova | paddr | size) & (PAGE_SIZE - 1) || !bits ||
	    (pt->levels < 4 && ((iova + size - 1) >> 39)) ||
	    ((iova + size - 1) >> 48) || iova + size < iova)
		return -EINVAL;
	while (done < size) {
		unsigned long va = iova + done;
		phys_addr_t pa = paddr + done;
		bool huge = pt->superpages && !(va & (SZ_2M - 1)) &&
			    !(pa & (SZ_2M - 1)) && size - done >= SZ_2M;
		uint64_t *e = walk(pt, va, huge ? 2 : 1, true, NULL);

		if (!e)
			break;
		if (huge) {
			*e = pa | bits | VTD_PTE_PS;
			pt->nr_2m++;
			done += SZ_2M;
		} else {
			*e = pa | bits;
			pt->nr_4k++;
			done += PAGE_SIZE;
		}
	}
	if (done < size) {
		vtd_pgtable_unmap(pt, iova, done);	/* nothing left mapped */
		return -ENOMEM;
	}
	return 0;
}

/* Replace the 2 MiB entry *e by a table of 512 4 KiB entries; false if no memory. */
static bool split(struct vtd_pgtable *pt, uint64_t *e)
{
	uint64_t *t = table_alloc(pt), v = *e;

	if (!t)
		return false;
	for (int i = 0; i < ENTRIES; i++)
		t[i] = ((v & VTD_PTE_ADDR) + (uint64_t)i * PAGE_SIZE) | (v & PRESENT);
	*e = virt_to_phys(t) | PRESENT;
	pt->nr_2m--;
	pt->nr_4k += ENTRIES;
	pt->nr_splits++;
	return true;
}

size_t vtd_pgtable_unmap(struct vtd_pgtable *pt, unsigned long iova, size_t size)
{
	size_t off = 0, done = 0;

	while (off < size) {
		unsigned long va = iova + off;
		uint64_t *big, *e = walk(pt, va, 1, false, &big);

		if (big) {
			if (!(va & (SZ_2M - 1)) && size - off >= SZ_2M) {
				*big = 0;
				pt->nr_2m--;
				off += SZ_2M;
				done += SZ_2M;
				continue;
			}
			if (!split(pt, big)) {	/* cannot: drop it all */
				*big = 0;
				pt->nr_2m--;
				off += SZ_2M - (va & (SZ_2M - 1));
				continue;
			}
			e = walk(pt, va, 1, false, NULL);
		}
		if (e && (*e & PRESENT)) {
			*e = 0;
			pt->nr_4k--;
			done += PAGE_SIZE;
		}
		off += PAGE_SIZE;
	}
	return done;
}

phys_addr_t vtd_pgtable_iova_to_phys(struct vtd_pgtable *pt, unsigned long iova,
				     uint64_t *ptep)
{
	uint64_t *big, *e = walk(pt, iova, 1, false, &big);

	if (ptep)
		*ptep = 0;
	if (big) {
		if (ptep)
			*ptep = *big;
		return (*big & VTD_PTE_ADDR) + (iova & (SZ_2M - 1));
	}
	if (!e || !(*e & PRESENT))
		return 0;
	if (ptep)
		*ptep = *e;
	return (*e & VTD_PTE_ADDR) | (iova & (PAGE_SIZE - 1));
}

static unsigned long free_level(uint64_t *table, unsigned int level)
{
	unsigned long n = 1;

	if (level > 1)
		for (int i = 0; i < ENTRIES; i++)
			if ((table[i] & PRESENT) && !(table[i] & VTD_PTE_PS))
				n += free_level(next_table(table[i]), level - 1);
	free_page((unsigned long)table);
	return n;
}

unsigned long vtd_pgtable_free(struct vtd_pgtable *pt)
{
	unsigned long n = pt->root ? free_level(pt->root, pt->levels) : 0;

	pt->root = NULL;
	pt->nr_tables -= n;
	return n;
}

/* ------------------------------------------------------------ fault words */

static const char *const fault_reasons[] = {
	[0x0] = "reserved (advanced fault logging)",
	[0x1] = "root entry not present: no context table for the bus",
	[0x2] = "context entry not present: the device was never attached to a domain",
	[0x3] = "invalid context entry programming",
	[0x4] = "address beyond the domain's address width",
	[0x5] = "write to a page not mapped writable (or not mapped at all)",
	[0x6] = "read from a page not mapped readable (or not mapped at all)",
	[0x7] = "a page-table entry could not be read",
	[0x8] = "the root table could not be read",
	[0x9] = "a context table could not be read",
	[0xa] = "reserved bits set in a root entry",
	[0xb] = "reserved bits set in a context entry",
	[0xc] = "reserved bits set in a page-table entry",
	[0xd] = "translation type blocked by the context entry",
};

const char *vtd_fault_reason_str(unsigned int reason)
{
	if (reason < ARRAY_SIZE(fault_reasons) && fault_reasons[reason])
		return fault_reasons[reason];
	if (reason >= 0x20 && reason <= 0x26)
		return "interrupt remapping fault";
	return "unknown fault reason";
}

void vtd_format_sid(uint16_t sid, char *buf, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	char s[8];

	s[0] = hex[(sid >> 12) & 0xf];
	s[1] = hex[(sid >> 8) & 0xf];
	s[2] = ':';
	s[3] = hex[(sid >> 7) & 1];
	s[4] = hex[(sid >> 3) & 0xf];
	s[5] = '.';
	s[6] = (char)('0' + (sid & 7));
	s[7] = 0;
	strlcpy(buf, s, len);
}
