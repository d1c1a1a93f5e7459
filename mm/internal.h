/*
 * mm/internal.h - what the page allocator's files share and nothing else
 * should use (mm/page_alloc.c, memmap.c, mm_init.c, page_alloc_debug.c,
 * show_mem.c).
 */
#ifndef MM_INTERNAL_H
#define MM_INTERNAL_H

#include "mm/page_alloc.h"

/* ---- memmap.c ---- */

/* Index of pfn's pageblock in r->pageblock_mt. */
static inline unsigned long pageblock_index(const struct memmap_range *r,
					    unsigned long pfn)
{
	return (pfn >> pageblock_order) - (r->start_pfn >> pageblock_order);
}

/* Pageblock migratetype when the caller already knows pfn. */
static inline int get_pfnblock_migratetype(const struct page *page,
					   unsigned long pfn)
{
	const struct memmap_range *r = page_range(page);

	return r->pageblock_mt[pageblock_index(r, pfn)];
}

/* Bytes of pageblock_mt a range of pfns needs. */
static inline unsigned long pageblock_bytes(unsigned long start_pfn,
					    unsigned long end_pfn)
{
	return ((end_pfn - 1) >> pageblock_order) -
	       (start_pfn >> pageblock_order) + 1;
}

/*
 * Enter a range in the table; its memmap and pageblock_mt must already be
 * filled in. Returns its id, or -1 (printed) if the table is full or the
 * range overlaps one already there.
 */
int memmap_range_add(const struct memmap_range *r);
void memmap_range_remove(unsigned int id);
/* Call fn for every range in the table (any node), ascending pfn. */
void memmap_for_each_range(void (*fn)(struct memmap_range *r, void *arg),
			   void *arg);

/* ---- page_alloc.c ---- */

void zone_init_free_lists(struct zone *zone);
/* Give [start_pfn, end_pfn) to the buddy lists (boot / arena creation). */
void free_pfn_range(unsigned long start_pfn, unsigned long end_pfn);
/*
 * Return CPU cpu's per-CPU pages of zone (drain_pages: of every zone of
 * the global node) to the buddy lists, from any CPU: pcp->lock keeps the
 * owner out meanwhile, so no IPI is needed. Linux's names; tests use them
 * to drain one chosen CPU, drain_all_pages() does every CPU.
 */
void drain_pages_zone(unsigned int cpu, struct zone *zone);
void drain_pages(unsigned int cpu);
/* Batch and high for a zone's per-CPU lists from its size. */
void zone_pcp_update(struct zone *zone);
/* Free blocks of the zone, under zone->lock, ascending pfn: fn per block. */
void zone_for_each_free_block(struct zone *zone,
			      void (*fn)(struct page *page, unsigned int order,
					 void *arg),
			      void *arg);

/* ---- page_alloc_debug.c ---- */

/*
 * Report a page in a bad state (pfn, flags, refcount, order, reason) once
 * per call; counts it in the node's nr_bad_pages. The caller leaves the
 * page alone afterwards (it is leaked rather than corrupting the lists).
 */
void bad_page(struct page *page, const char *reason);
extern bool page_alloc_panic_on_bad_page;
/* Fill 2^order pages with PAGE_POISON; check they still hold it. */
void kernel_poison_pages(struct page *page, unsigned int order);
void check_poison_pages(struct page *page, unsigned int order);

/* ---- show_mem.c ---- */

/* The allocation failure report (rate-limited per node). */
void warn_alloc(pg_data_t *pgdat, gfp_t gfp, unsigned int order);

#endif
