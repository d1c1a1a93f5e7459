/*
 * mm/internal.h - what the page allocator's files share and nothing else
 * should use: mm/page_alloc.c, page_alloc_fallback.c, page_alloc_zone.c,
 * memmap.c, mm_init.c, page_alloc_debug.c, show_mem.c, page_isolation.c,
 * and the allocator's own tests. Grouped by the file that defines each part.
 * Client code includes mm/page_alloc.h only.
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
/*
 * Set a pageblock's migratetype (the caller moves its free pages: see
 * move_freepages_block()).
 */
void set_pageblock_migratetype(struct page *page, int migratetype);

/*
 * ---- the buddy free lists: static inlines, because both page_alloc.c
 * (the hot path) and page_alloc_fallback.c use them ----
 */

/* Count nr free pages (negative: taken) in zone and in its type mt. */
static inline void account_freepages(struct zone *zone, long nr, int mt)
{
	zone->free_pages += nr;
	zone->nr_free_mt[mt] += nr;
}

/*
 * zone->lock held. The __ forms leave free_pages and nr_free_mt to the
 * caller: a split or merge of many levels counts its pages once, not once
 * per level (each count is a read-modify-write of one shared word).
 */
static inline void __add_to_free_list(struct page *page, struct zone *zone,
				      unsigned int order, int mt)
{
	struct free_area *area = &zone->free_area[order];

	page->order = (uint8_t)order;
	__SetPageBuddy(page);
	list_add(&page->lru, &area->free_list[mt]);
	area->nr_free++;
}

static inline void __del_page_from_free_list(struct page *page,
					     struct zone *zone,
					     unsigned int order)
{
	list_del(&page->lru);
	__ClearPageBuddy(page);
	zone->free_area[order].nr_free--;
}

static inline void add_to_free_list(struct page *page, struct zone *zone,
				    unsigned int order, int mt)
{
	__add_to_free_list(page, zone, order, mt);
	account_freepages(zone, 1L << order, mt);
}

/* mt is the list the page is on. */
static inline void del_page_from_free_list(struct page *page,
					   struct zone *zone,
					   unsigned int order, int mt)
{
	__del_page_from_free_list(page, zone, order);
	account_freepages(zone, -(1L << order), mt);
}

/* zone->lock held. */
static inline void move_to_free_list(struct page *page, struct zone *zone,
				     unsigned int order, int old_mt, int new_mt)
{
	list_move(&page->lru, &zone->free_area[order].free_list[new_mt]);
	account_freepages(zone, -(1L << order), old_mt);
	account_freepages(zone, 1L << order, new_mt);
}

/* Set the type of every pageblock in a block of 2^order pages. */
static inline void change_pageblock_range(struct page *page,
					  unsigned long pfn,
					  unsigned int order, int mt)
{
	struct memmap_range *r = page_range(page);
	unsigned long n = order > pageblock_order ?
			  1UL << (order - pageblock_order) : 1;

	for (unsigned long i = 0; i < n; i++)
		r->pageblock_mt[pageblock_index(r, pfn) + i] = (uint8_t)mt;
}

/*
 * Split a free block of 2^high pages until its first 2^low pages are left,
 * returning each unused upper half to the free lists. zone->lock held.
 * __expand leaves the counts to the caller, as the __ list helpers do.
 */
static inline void __expand(struct zone *zone, struct page *page,
			    unsigned int low, unsigned int high, int mt)
{
	unsigned long size = 1UL << high;

	while (high > low) {
		high--;
		size >>= 1;
		__add_to_free_list(&page[size], zone, high, mt);
	}
}

static inline void expand(struct zone *zone, struct page *page,
			  unsigned int low, unsigned int high, int mt)
{
	account_freepages(zone, (1L << high) - (1L << low), mt);
	__expand(zone, page, low, high, mt);
}

/* ---- page_alloc.c ---- */

/* alloc_flags: which watermark, and which reserves. */
#define ALLOC_WMARK_MIN		WMARK_MIN
#define ALLOC_WMARK_LOW		WMARK_LOW
#define ALLOC_WMARK_HIGH	WMARK_HIGH
#define ALLOC_WMARK_MASK	0x03u
#define ALLOC_NO_WATERMARKS	0x04u	/* __GFP_MEMALLOC: ignore them */
#define ALLOC_MIN_RESERVE	0x08u	/* __GFP_HIGH: min / 2 */
#define ALLOC_NON_BLOCK		0x10u	/* atomic: a further quarter off */
#define ALLOC_CMA		0x20u	/* movable: may use CMA pageblocks */

/*
 * Free a block of 2^order pages at pfn, of pageblock type mt, merging it
 * with its buddy as long as the buddy is free and the same size.
 * zone->lock held.
 */
void __free_one_page(struct page *page, unsigned long pfn, struct zone *zone,
		     unsigned int order, int mt);
/*
 * Hand a block just taken off the free lists to its new owner: refcount
 * 1, owner fields clear, the migratetype mt recorded, zeroed for
 * __GFP_ZERO; checked for poison and stray owner state under debugging.
 */
void prep_new_page(struct page *page, unsigned int order, gfp_t gfp, int mt);
/* Take the smallest free block of type mt that fits. zone->lock held. */
struct page *__rmqueue_smallest(struct zone *zone, unsigned int order, int mt);
/*
 * Return count pages from pcp to the zone, coldest first, taking lists in
 * turn. On pcp's own CPU, interrupts off; takes zone->lock.
 */
void free_pcppages_bulk(struct zone *zone, int count,
			struct per_cpu_pages *pcp);
/*
 * Test whether an allocation of 2^order pages with these ALLOC_ flags
 * may proceed in zone against watermark mark (pages).
 */
bool zone_watermark_ok(struct zone *zone, unsigned int order,
		       unsigned long mark, enum zone_type highest_zoneidx,
		       unsigned int alloc_flags);

/* ---- page_alloc_fallback.c ---- */

/*
 * Allocate 2^order pages for start_mt from another type's lists, claiming
 * the pageblock when that keeps types apart. NULL if every list is empty.
 * zone->lock held.
 */
struct page *__rmqueue_fallback(struct zone *zone, unsigned int order,
				int start_mt);
/*
 * Move the free pages of page's pageblock to migratetype's lists and set
 * the block's type. Returns the number of free pages moved. For the CMA
 * and isolation work; takes zone->lock.
 */
unsigned long move_freepages_block(struct page *page, int migratetype);

/* ---- page_alloc_zone.c ---- */

/*
 * Return CPU cpu's per-CPU pages of zone (drain_pages: of every zone of
 * the global node) to the buddy lists. Another CPU's lists are drained by
 * that CPU, through a cross-CPU call this waits for: interrupts on, no
 * spinlock held (as drain_all_pages()). Linux's names; tests use them to
 * drain one chosen CPU, drain_all_pages() does every CPU.
 */
void drain_pages_zone(unsigned int cpu, struct zone *zone);
void drain_pages(unsigned int cpu);
/* This CPU's lists of every zone of pgdat; any context. */
void drain_local_node_pages(pg_data_t *pgdat);
/* Batch and high for a zone's per-CPU lists from its size. */
void zone_pcp_update(struct zone *zone);
/* Recompute min/low/high of every zone from min_free_kbytes rules. */
void setup_per_zone_wmarks(pg_data_t *pgdat);
/* Free blocks of the zone, under zone->lock, ascending pfn: fn per block. */
void zone_for_each_free_block(struct zone *zone,
			      void (*fn)(struct page *page, unsigned int order,
					 void *arg),
			      void *arg);

/* ---- mm_init.c ---- */

void zone_init_free_lists(struct zone *zone);
/* Give [start_pfn, end_pfn) to the buddy lists (boot / arena creation). */
void free_pfn_range(unsigned long start_pfn, unsigned long end_pfn);

/* ---- page_alloc_debug.c ---- */

/* Are the debug checks on for this page (page_alloc_debug already true)? */
static inline bool page_debug_on(const struct page *page)
{
	return page_alloc_debug_all || page_zone(page)->zone_pgdat->debug;
}

/*
 * Report a page in a bad state (pfn, flags, refcount, order, reason) once
 * per call; counts it in the node's nr_bad_pages. The caller leaves the
 * page alone afterwards (it is leaked rather than corrupting the lists).
 */
void bad_page(struct page *page, const char *reason);
extern bool page_alloc_panic_on_bad_page;
/*
 * Linux's PAGE_FLAGS_CHECK_AT_FREE: owner state a page must have dropped
 * before it is freed (unlocked, clean, written back, off the LRU lists,
 * not a slab page). The other owner flags (referenced, uptodate,
 * swapbacked, swapcache) may stay set; allocation clears them.
 */
#define PAGE_FLAGS_CHECK_AT_FREE					\
	((1UL << PG_locked) | (1UL << PG_dirty) | (1UL << PG_writeback) |	\
	 (1UL << PG_lru) | (1UL << PG_active) | (1UL << PG_unevictable) |	\
	 (1UL << PG_slab))
/*
 * Debugging (page_alloc.debug=on) only. free_page_is_bad: does any page of
 * the 2^order block still carry owner state (a PAGE_FLAGS_CHECK_AT_FREE
 * flag, a ->mapping, a _mapcount >= 0)? Reports the first such page with
 * bad_page() and the reason, and returns true. check_new_page_owner_state:
 * the same on allocation, where owner state means a write to a free
 * page's struct page (a use after free).
 */
bool free_page_is_bad(struct page *page, unsigned int order);
void check_new_page_owner_state(struct page *page, unsigned int order);
/* Fill 2^order pages with PAGE_POISON; check they still hold it. */
void kernel_poison_pages(struct page *page, unsigned int order);
void check_poison_pages(struct page *page, unsigned int order);

/* ---- show_mem.c ---- */

/* The allocation-failure report's per-zone part ("DMA32: 3*4kB (U) ..."). */
void show_free_areas(pg_data_t *pgdat);

/* The allocation failure report (rate-limited per node). */
void warn_alloc(pg_data_t *pgdat, gfp_t gfp, unsigned int order);

#endif
