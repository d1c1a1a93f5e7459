/*
 * mm/page_alloc.h - the physical page allocator (the buddy allocator).
 *
 * Hands out blocks of 2^order contiguous page frames, order 0..10, as
 * Linux's alloc_pages() does. A block is named by the struct page of its
 * first frame. See docs/mm/page_alloc.md for the design.
 *
 *	struct page *p = alloc_pages(GFP_KERNEL, 2);	// 4 pages, 16 KiB
 *	if (!p)
 *		return -ENOMEM;				// reported already
 *	memset(page_address(p), 0, 4 * PAGE_SIZE);
 *	__free_pages(p, 2);
 *
 * Every allocation function works on the global node (memory the boot
 * handed over in mm_core_init()) or, in its _node form, on a private
 * arena made with page_arena_init(). Freeing needs no node: a page knows
 * where it belongs.
 *
 * Context: callable with interrupts on or off, from any CPU. Nothing here
 * sleeps: allocations without __GFP_DIRECT_RECLAIM never call reclaim.
 */
#ifndef MM_PAGE_ALLOC_H
#define MM_PAGE_ALLOC_H

#include "kernel/types.h"
#include "mm/gfp.h"
#include "mm/mm_types.h"
#include "mm/mmzone.h"
#include <arch/page.h>

/* ---------------------------------------------------------------- sizes */

/*
 * The order of the smallest block of pages that holds size bytes:
 * get_order(1) = get_order(PAGE_SIZE) = 0, get_order(PAGE_SIZE + 1) = 1,
 * get_order(4 MiB) = 10. Linux's name and result. Where Linux leaves
 * get_order(0) undefined, here it is 0 (one page). Sizes beyond
 * MAX_PAGE_ORDER give orders beyond it, which alloc_pages() refuses.
 * A compile-time constant when size is.
 */
static inline unsigned int get_order(size_t size)
{
	if (size <= PAGE_SIZE)
		return 0;
	return (unsigned int)(8 * sizeof(unsigned long) -
			      __builtin_clzl((unsigned long)(size - 1) >> PAGE_SHIFT));
}

/* ---------------------------------------------------------------- pfns */

#define PFN_PHYS(pfn)	((phys_addr_t)(pfn) << PAGE_SHIFT)
#define PHYS_PFN(pa)	((unsigned long)((pa) >> PAGE_SHIFT))

/* The memmap range holding page (for the inline conversions below). */
static inline struct memmap_range *page_range(const struct page *page)
{
	return &memmap_ranges[page->range_id];
}

static inline unsigned long page_to_pfn(const struct page *page)
{
	const struct memmap_range *r = page_range(page);

	return r->start_pfn + (unsigned long)(page - r->memmap);
}

/*
 * The struct page of pfn, or NULL if pfn has none (a hole). Inline: the
 * main range first (the largest range with no nested range inside it,
 * which mm/memmap.c copies here, beside the table's sequence count, each
 * time the table changes), else the whole search, O(log ranges). A
 * lookup only reads, so every CPU keeps this line in its cache.
 */
struct memmap_main {
	unsigned int seq;		/* the table's; odd while it changes */
	unsigned long start_pfn;
	unsigned long nr_pages;		/* 0: no main range */
	struct page *memmap;
} __attribute__((aligned(64)));	/* a line of its own: nothing written
				 * often shares it with every lookup */
extern struct memmap_main memmap_main;
struct page *pfn_to_page_slow(unsigned long pfn);

/* The inline half: pfn's struct page if pfn lies in the main range,
 * else NULL (which says nothing about other ranges). */
static inline struct page *pfn_to_page_main(unsigned long pfn)
{
	unsigned int seq = __atomic_load_n(&memmap_main.seq, __ATOMIC_ACQUIRE);
	unsigned long i = pfn - __atomic_load_n(&memmap_main.start_pfn,
						__ATOMIC_RELAXED);
	struct page *page;

	if ((seq & 1) ||
	    i >= __atomic_load_n(&memmap_main.nr_pages, __ATOMIC_RELAXED))
		return NULL;
	page = __atomic_load_n(&memmap_main.memmap, __ATOMIC_RELAXED) + i;
	/* The table did not change while we read it (a seqcount read). */
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	if (__atomic_load_n(&memmap_main.seq, __ATOMIC_RELAXED) != seq)
		return NULL;
	return page;
}

static inline struct page *pfn_to_page(unsigned long pfn)
{
	struct page *page = pfn_to_page_main(pfn);

	return page ? page : pfn_to_page_slow(pfn);
}

static inline bool pfn_valid(unsigned long pfn)
{
	return pfn_to_page(pfn) != NULL;
}

static inline struct zone *page_zone(const struct page *page)
{
	return page_range(page)->zone;
}

static inline pg_data_t *page_pgdat(const struct page *page)
{
	return page_zone(page)->zone_pgdat;
}

/* The direct-mapped address of the page's memory. */
static inline void *page_address(const struct page *page)
{
	return phys_to_virt(PFN_PHYS(page_to_pfn(page)));
}

/* The page holding a direct-mapped address (NULL if none). */
static inline struct page *virt_to_page(const void *addr)
{
	return pfn_to_page(PHYS_PFN(virt_to_phys(addr)));
}

/* Pageblock migratetype of the block holding page. */
int get_pageblock_migratetype(const struct page *page);

/* ---------------------------------------------------------------- alloc */

/*
 * Allocate 2^order contiguous pages, honouring gfp (zone, mobility,
 * watermarks, __GFP_ZERO). The head page has refcount 1 and every owner
 * field clear (mm/mm_types.h). On failure returns NULL and, unless
 * __GFP_NOWARN, prints one rate-limited report.
 */
struct page *alloc_pages(gfp_t gfp, unsigned int order);
struct page *alloc_pages_node(pg_data_t *pgdat, gfp_t gfp, unsigned int order);
#define alloc_page(gfp)			alloc_pages(gfp, 0)

/*
 * Drop a reference to a block from alloc_pages() with the same order;
 * the last reference frees it, and its owner must have cleared the owner
 * state first. Freeing a free page or with the wrong order (and, under
 * page_alloc.debug, a page with owner state left) is reported (pfn and
 * state) and the pages are leaked, not freed.
 */
void __free_pages(struct page *page, unsigned int order);
#define __free_page(page)		__free_pages(page, 0)

/* The same API on direct-mapped addresses (0 on failure). */
unsigned long __get_free_pages(gfp_t gfp, unsigned int order);
unsigned long get_zeroed_page(gfp_t gfp);
void free_pages(unsigned long addr, unsigned int order);
#define __get_free_page(gfp)		__get_free_pages(gfp, 0)
#define free_page(addr)			free_pages(addr, 0)

/* Free pages of the global node (buddy lists plus per-CPU lists). */
unsigned long nr_free_pages(void);
/* Pages the global node manages (all RAM given to the allocator). */
unsigned long totalram_pages(void);
/* The same for any node. */
unsigned long node_free_pages(pg_data_t *pgdat);
unsigned long node_managed_pages(pg_data_t *pgdat);

/*
 * Return every CPU's per-CPU pages of zone (NULL: every zone of the global
 * node) to the buddy lists. drain_node_pages() does a whole node. Each CPU
 * drains its own lists (a cross-CPU call) and the caller waits for all:
 * call with interrupts on and no spinlock held.
 */
void drain_all_pages(struct zone *zone);
void drain_node_pages(pg_data_t *pgdat);

/* ---------------------------------------------------------------- arenas */

struct mem_range {
	phys_addr_t start, end;		/* [start, end), page-aligned */
};

/*
 * Build a private node over the caller's memory: ranges ascending and
 * disjoint (gaps are holes), pages below dma32_limit go to ZONE_DMA32.
 * The memmap is carved from the start of the first range that can hold it;
 * everything else is freed into the buddy lists. Returns 0, or -1 (printed)
 * when the ranges are unusable or the range table is full.
 */
int page_arena_init(pg_data_t *pgdat, const struct mem_range *ranges,
		    unsigned int nr, phys_addr_t dma32_limit);
/* Forget the node; returns how many of its pages were still allocated. */
unsigned long page_arena_destroy(pg_data_t *pgdat);

/* Boot: build the global node from memblock and free memblock's free
 * ranges into it (mm/mm_init.c). */
void mm_core_init(void);

/* ---------------------------------------------------------------- tuning */

/* For private arenas (tests, benchmarks, labs); the boot sizes its own. */

/* Set one zone's watermarks directly: low = min + min/4, high = min + min/2. */
void zone_set_watermarks(struct zone *zone, unsigned long min_pages);
/* Set the per-CPU list size of a zone (high 0: bypass the lists). */
void zone_set_pcp(struct zone *zone, int high, int batch);

/*
 * Mobility grouping on/off for a node (off: every block counts as one
 * type, as Linux does when memory is small). Used to measure its effect.
 */
void set_mobility_grouping(pg_data_t *pgdat, bool enabled);

/* ---------------------------------------------------------------- reclaim */

/*
 * Where reclaim plugs in (mm/vmscan.c, later). Both are NULL until then.
 * wakeup_kswapd: called when an allocation fell below the low watermark
 * and may wake kswapd (__GFP_KSWAPD_RECLAIM). try_to_free_pages: called
 * when a blocking allocation (__GFP_DIRECT_RECLAIM) failed at min; returns
 * pages freed, and the allocation is retried while it makes progress.
 */
extern void (*page_alloc_wakeup_kswapd)(struct zone *zone, gfp_t gfp,
					unsigned int order);
extern unsigned long (*page_alloc_try_to_free_pages)(pg_data_t *pgdat,
						     gfp_t gfp,
						     unsigned int order);
/*
 * Where direct compaction plugs in (mm/compaction.c, compaction_init):
 * for an allocation of order > 0 that may reclaim, before reclaim and
 * between its rounds. true if a free block of the order was made in a
 * zone of pgdat at or below highest, one the allocation may take
 * (alloc_flags: mm/internal.h's ALLOC_*; without ALLOC_CMA a free block
 * in a CMA pageblock does not count). NULL until then.
 */
extern bool (*page_alloc_try_compaction)(pg_data_t *pgdat,
					 enum zone_type highest,
					 unsigned int order,
					 unsigned int alloc_flags);

/* ---------------------------------------------------------------- debug */

/*
 * DEBUG_PAGEALLOC-style checks (`page_alloc.debug=on`): fill freed pages
 * with PAGE_POISON and check them on allocation, and check that a page
 * freed carries no owner state (locked, dirty, writeback, LRU, mapped,
 * ->mapping: docs/mm/struct-page.md). The allocator's own state checks
 * (double free, bad order, reserved page) are always on and cheap.
 */
#define PAGE_POISON	0xaa
/* The checks are on for some node (the fast paths' one test) ... */
extern bool page_alloc_debug;
/* ... for every node (page_alloc.debug=on) ... */
extern bool page_alloc_debug_all;
/* Switch the checks for every node; switching on poisons every page free
 * at the time. */
void page_alloc_set_debug(bool on);
/*
 * ... or for one node (pgdat->debug): a test arena gets the checks without
 * the rest of memory paying for them (switching on for all poisons every
 * free page of the machine: seconds for gigabytes under TCG). Switching on
 * poisons the node's free pages. Call while nobody else uses the node;
 * page_arena_destroy() switches it off.
 */
void page_arena_set_debug(pg_data_t *pgdat, bool on);

/*
 * Check every invariant of a node's free lists and counters (see the
 * docs). Prints the first problem and returns false; true if consistent.
 * Every CPU's per-CPU lists are checked too, with the other CPUs stopped
 * meanwhile (kernel/stop_machine.h): the caller must be able to sleep.
 */
bool buddy_check(pg_data_t *pgdat);

/* ---------------------------------------------------------------- reports */

/* Linux's /proc formats; the console commands call these. */
void show_buddyinfo(pg_data_t *pgdat);
void show_pagetypeinfo(pg_data_t *pgdat);

/*
 * How fragmented a zone's free memory is for an order (Linux's
 * mm/vmstat.c, debugfs extfrag/). contig_page_info counts the free
 * blocks: every block, the pages in them, and how many blocks of the
 * order they could give without splitting more.
 *  - unusable_free_index: the share of free pages that cannot serve an
 *    allocation of the order (in thousandths: 0 = all of them can; 1000
 *    with nothing free).
 *  - fragmentation_index: why an allocation of the order would fail.
 *    -1000 if it would not (a block is free); else towards 1000 when
 *    free memory is there but in pieces too small (compaction would
 *    help), towards 0 when there is too little free memory (reclaim
 *    would). 0 when nothing is free at all, and where Linux's formula
 *    goes below 0 (one free block, smaller than the request).
 * show_extfrag() prints both for every zone and order, in Linux's
 * formats (the console's `extfrag`).
 */
struct contig_page_info {
	unsigned long free_pages;
	unsigned long free_blocks_total;
	unsigned long free_blocks_suitable;
};
void fill_contig_page_info(struct zone *zone, unsigned int order,
			   struct contig_page_info *info);
int unusable_free_index(unsigned int order, const struct contig_page_info *info);
int fragmentation_index(unsigned int order, const struct contig_page_info *info);
void show_extfrag(pg_data_t *pgdat);
void show_zoneinfo(pg_data_t *pgdat);
void show_meminfo(pg_data_t *pgdat);
/* Linux's show_mem: the node's page counters (the LRU lists, dirty and
 * under writeback), each zone's free pages, watermarks and free blocks,
 * and swap's totals, through printk. For a report the reader must act
 * on: the OOM killer's, an allocation failure's. */
void show_mem(void);
/* MemAvailable of the kernel's node, in pages (Linux's si_mem_available). */
unsigned long si_mem_available(void);

#endif
