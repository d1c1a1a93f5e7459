/*
 * mm/page_alloc.c - the buddy allocator: free lists, per-CPU lists,
 * fallback between migratetypes, watermarks and the public API.
 *
 * A free block of 2^order pages starts at a pfn aligned to 2^order. Its
 * "buddy" is the block of the same order it was split from, at
 * pfn ^ (1 << order). Freeing merges a block with its buddy while the buddy
 * is free and whole; allocating splits the smallest big-enough block and
 * puts the unused halves back ("expand"). Free blocks sit on
 * zone->free_area[order].free_list[migratetype], where the migratetype is
 * always that of the block's pageblock(s).
 *
 * Layers, top down (each function's comment says which lock it needs):
 *
 *   alloc_pages_node / __free_pages      API, gfp -> zones, watermarks
 *   rmqueue_pcplist / free_unref_page    this CPU's lists (pcp->lock)
 *   __rmqueue / __free_one_page          buddy lists (zone->lock)
 */
#include "mm/internal.h"
#include "kernel/lib/string.h"
#include "kernel/panic.h"

pg_data_t contig_page_data;

const char *const migratetype_names[MIGRATE_TYPES] = {
	"Unmovable", "Movable", "Reclaimable", "CMA", "Isolate",
};

void (*page_alloc_wakeup_kswapd)(struct zone *zone, gfp_t gfp,
				 unsigned int order);
unsigned long (*page_alloc_try_to_free_pages)(pg_data_t *pgdat, gfp_t gfp,
					      unsigned int order);

/* ================================================================ buddy */

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
static void change_pageblock_range(struct page *page, unsigned long pfn,
				   unsigned int order, int mt)
{
	struct memmap_range *r = page_range(page);
	unsigned long n = order > pageblock_order ?
			  1UL << (order - pageblock_order) : 1;

	for (unsigned long i = 0; i < n; i++)
		r->pageblock_mt[pageblock_index(r, pfn) + i] = (uint8_t)mt;
}

/* CMA and isolated blocks never merge with blocks of another type. */
static inline bool migratetype_is_mergeable(int mt)
{
	return mt < MIGRATE_PCPTYPES;
}

/*
 * Free a block of 2^order pages at pfn, of pageblock type mt, merging it
 * with its buddy as long as the buddy is free and the same size.
 * zone->lock held.
 */
static void __free_one_page(struct page *page, unsigned long pfn,
			    struct zone *zone, unsigned int order, int mt)
{
	const struct memmap_range *r = page_range(page);

	/* Merging moves no free pages, so count ours once, here. */
	account_freepages(zone, 1L << order, mt);
	while (order < MAX_PAGE_ORDER) {
		unsigned long buddy_pfn = pfn ^ (1UL << order);
		struct page *buddy;
		int buddy_mt = mt;

		if (buddy_pfn < r->start_pfn || buddy_pfn >= r->end_pfn)
			break;		/* the buddy is a hole or another zone */
		/* In the same memmap array, as far from page as its pfn. */
		buddy = page + ((long)buddy_pfn - (long)pfn);
		if (!PageBuddy(buddy) || buddy->order != order)
			break;		/* in use, or split into smaller blocks */
		if (order >= pageblock_order) {
			buddy_mt = get_pfnblock_migratetype(buddy, buddy_pfn);
			if (buddy_mt != mt &&
			    (!migratetype_is_mergeable(mt) ||
			     !migratetype_is_mergeable(buddy_mt)))
				break;
		}
		__del_page_from_free_list(buddy, zone, order);
		if (buddy_mt != mt) {	/* the merged block takes our type */
			account_freepages(zone, -(1L << order), buddy_mt);
			account_freepages(zone, 1L << order, mt);
			change_pageblock_range(buddy, buddy_pfn, order, mt);
		}
		/* The lower starts the pair; min(), as an if mispredicts. */
		page = min(page, buddy);
		pfn &= buddy_pfn;
		order++;
	}
	__add_to_free_list(page, zone, order, mt);
}

/*
 * Split a free block of 2^high pages until its first 2^low pages are left,
 * returning each unused upper half to the free lists. zone->lock held.
 */
static inline void expand(struct zone *zone, struct page *page,
			  unsigned int low, unsigned int high, int mt)
{
	unsigned long size = 1UL << high;

	account_freepages(zone, (1L << high) - (1L << low), mt);
	while (high > low) {
		high--;
		size >>= 1;
		__add_to_free_list(&page[size], zone, high, mt);
	}
}

/* Take the smallest free block of type mt that fits. zone->lock held. */
static struct page *__rmqueue_smallest(struct zone *zone, unsigned int order,
				       int mt)
{
	for (unsigned int o = order; o < NR_PAGE_ORDERS; o++) {
		struct page *page = list_first_entry_or_null(
			&zone->free_area[o].free_list[mt], struct page, lru);

		if (!page)
			continue;
		del_page_from_free_list(page, zone, o, mt);
		expand(zone, page, order, o, mt);
		return page;
	}
	return NULL;
}

/* ================================================================ fallback */

/* Which types an allocation may take from when its own lists are empty. */
static const int fallbacks[MIGRATE_PCPTYPES][MIGRATE_PCPTYPES - 1] = {
	[MIGRATE_UNMOVABLE]   = { MIGRATE_RECLAIMABLE, MIGRATE_MOVABLE },
	[MIGRATE_MOVABLE]     = { MIGRATE_RECLAIMABLE, MIGRATE_UNMOVABLE },
	[MIGRATE_RECLAIMABLE] = { MIGRATE_UNMOVABLE,   MIGRATE_MOVABLE },
};

/*
 * May an allocation of start_mt that found a fallback block of 2^order
 * claim the block's whole pageblock? Big blocks yes; unmovable and
 * reclaimable always try, so they pollute as few pageblocks as possible.
 */
static bool can_steal_fallback(const struct zone *zone, unsigned int order,
			       int start_mt)
{
	return order >= pageblock_order / 2 ||
	       start_mt == MIGRATE_UNMOVABLE ||
	       start_mt == MIGRATE_RECLAIMABLE ||
	       zone->zone_pgdat->mobility_grouping_disabled;
}

/* First fallback type with a free block of this order, or -1. */
static int find_suitable_fallback(struct zone *zone, unsigned int order,
				  int start_mt, bool *can_steal)
{
	struct free_area *area = &zone->free_area[order];

	if (!area->nr_free)
		return -1;
	for (int i = 0; i < MIGRATE_PCPTYPES - 1; i++) {
		int mt = fallbacks[start_mt][i];

		if (!list_empty(&area->free_list[mt])) {
			*can_steal = can_steal_fallback(zone, order, start_mt);
			return mt;
		}
	}
	return -1;
}

/*
 * Count the pageblock at start_pfn: free pages, and allocated pages that
 * were allocated movable. False if the block is not wholly in one range.
 * zone->lock held.
 */
static bool scan_pageblock(struct page *page, unsigned long start_pfn,
			   unsigned long *free, unsigned long *movable)
{
	const struct memmap_range *r = page_range(page);
	unsigned long end_pfn = start_pfn + pageblock_nr_pages;

	if (start_pfn < r->start_pfn || end_pfn > r->end_pfn)
		return false;
	*free = *movable = 0;
	for (unsigned long pfn = start_pfn; pfn < end_pfn;) {
		struct page *p = r->memmap + (pfn - r->start_pfn);
		unsigned long n = 1;

		if (PageBuddy(p)) {
			n = 1UL << p->order;
			*free += n;
		} else if (page_count(p) > 0 && !PageReserved(p)) {
			n = 1UL << p->order;
			if ((p->flags & PG_mt_mask) >> PG_mt_shift ==
			    MIGRATE_MOVABLE)
				*movable += n;
		}
		pfn += n;
	}
	return true;
}

/* Move the free blocks in [start, start + pageblock) to new_mt's lists. */
static unsigned long move_freepages(struct zone *zone, struct page *page,
				    unsigned long start_pfn, int old_mt,
				    int new_mt)
{
	const struct memmap_range *r = page_range(page);
	unsigned long end_pfn = min(ALIGN_DOWN(start_pfn, pageblock_nr_pages) +
				    pageblock_nr_pages, r->end_pfn);
	unsigned long moved = 0;

	for (unsigned long pfn = start_pfn; pfn < end_pfn;) {
		struct page *p = r->memmap + (pfn - r->start_pfn);

		if (!PageBuddy(p)) {
			pfn++;
			continue;
		}
		move_to_free_list(p, zone, p->order, old_mt, new_mt);
		moved += 1UL << p->order;
		pfn += 1UL << p->order;
	}
	return moved;
}

/*
 * Allocate 2^order pages for start_mt out of page, a free block of
 * 2^cur_order pages of another type, claiming its pageblock when that
 * keeps types apart: a block of a pageblock or more changes type
 * outright; a smaller one converts its pageblock when at least half of
 * the pageblock is free or already used alike; otherwise the allocation
 * just borrows the pages. zone->lock held.
 */
static struct page *steal_suitable_fallback(struct zone *zone,
					    struct page *page,
					    unsigned int cur_order,
					    unsigned int order, int start_mt,
					    bool whole_block)
{
	unsigned long pfn = page_to_pfn(page);
	int block_mt = get_pfnblock_migratetype(page, pfn);
	unsigned long block_pfn = ALIGN_DOWN(pfn, pageblock_nr_pages);
	unsigned long free, movable, alike;

	if (cur_order >= pageblock_order) {
		del_page_from_free_list(page, zone, cur_order, block_mt);
		change_pageblock_range(page, pfn, cur_order, start_mt);
		expand(zone, page, order, cur_order, start_mt);
		zone->events[ZE_STEAL_BLOCK] += 1UL << (cur_order - pageblock_order);
		return page;
	}
	if (whole_block && scan_pageblock(page, block_pfn, &free, &movable)) {
		if (start_mt == MIGRATE_MOVABLE)
			alike = movable;
		else if (block_mt == MIGRATE_MOVABLE)
			alike = pageblock_nr_pages - (free + movable);
		else
			alike = 0;
		if (free + alike >= pageblock_nr_pages / 2 ||
		    zone->zone_pgdat->mobility_grouping_disabled) {
			move_freepages(zone, page, block_pfn, block_mt,
				       start_mt);
			change_pageblock_range(page, block_pfn,
					       pageblock_order, start_mt);
			zone->events[ZE_STEAL_BLOCK]++;
			return __rmqueue_smallest(zone, order, start_mt);
		}
	}
	del_page_from_free_list(page, zone, cur_order, block_mt);
	expand(zone, page, order, cur_order, block_mt);
	zone->events[ZE_STEAL_PAGE]++;
	return page;
}

/*
 * Allocate from another type's lists. Take the largest fallback block, so
 * that the pageblock claimed is a fresh one and types stay clustered;
 * but a movable allocation that may not claim the block takes the
 * smallest, so it breaks up as little as possible. zone->lock held.
 */
static struct page *__rmqueue_fallback(struct zone *zone, unsigned int order,
				       int start_mt)
{
	bool can_steal = false;
	int fallback_mt = -1;
	int o;

	for (o = MAX_PAGE_ORDER; o >= (int)order; o--) {
		fallback_mt = find_suitable_fallback(zone, o, start_mt,
						     &can_steal);
		if (fallback_mt >= 0)
			break;
	}
	if (fallback_mt < 0)
		return NULL;
	if (!can_steal && start_mt == MIGRATE_MOVABLE && o > (int)order) {
		for (o = order; o <= MAX_PAGE_ORDER; o++) {
			fallback_mt = find_suitable_fallback(zone, o, start_mt,
							     &can_steal);
			if (fallback_mt >= 0)
				break;
		}
	}
	return steal_suitable_fallback(zone,
		list_first_entry(&zone->free_area[o].free_list[fallback_mt],
				 struct page, lru),
		o, order, start_mt, can_steal);
}

/*
 * Take a block of 2^order pages for migratetype mt: its own lists, then
 * CMA (movable only), then another type's. zone->lock held.
 */
static struct page *__rmqueue(struct zone *zone, unsigned int order, int mt,
			      unsigned int alloc_flags)
{
	struct page *page;

	/* Keep CMA in use, so movable pages there can be moved out later. */
	if ((alloc_flags & ALLOC_CMA) &&
	    zone->nr_free_mt[MIGRATE_CMA] > zone->free_pages / 2) {
		page = __rmqueue_smallest(zone, order, MIGRATE_CMA);
		if (page)
			return page;
	}
	page = __rmqueue_smallest(zone, order, mt);
	if (unlikely(!page) && (alloc_flags & ALLOC_CMA))
		page = __rmqueue_smallest(zone, order, MIGRATE_CMA);
	if (unlikely(!page))
		page = __rmqueue_fallback(zone, order, mt);
	return page;
}

/* ================================================================ per-CPU */

static inline unsigned int pcp_index(unsigned int order, int mt)
{
	return order * MIGRATE_PCPTYPES + (unsigned int)mt;
}

/*
 * Return count pages from pcp to the zone, coldest first, taking lists in
 * turn. pcp->lock held; takes zone->lock.
 */
static void free_pcppages_bulk(struct zone *zone, int count,
			       struct per_cpu_pages *pcp)
{
	spin_lock(&zone->lock);
	while (count > 0 && pcp->count > 0) {
		struct list_head *list;
		struct page *page;
		unsigned long pfn;

		do {
			pcp->free_rotor = (pcp->free_rotor + 1) % NR_PCP_LISTS;
			list = &pcp->lists[pcp->free_rotor];
		} while (list_empty(list));
		page = list_last_entry(list, struct page, lru);
		list_del(&page->lru);
		__ClearPagePcp(page);
		pcp->count -= 1 << page->order;
		count -= 1 << page->order;
		pfn = page_to_pfn(page);
		/* The pageblock may have changed type since the page came. */
		__free_one_page(page, pfn, zone, page->order,
				get_pfnblock_migratetype(page, pfn));
	}
	zone->events[ZE_PCP_SPILL]++;
	spin_unlock(&zone->lock);
}

/* Blocks moved per refill: a batch of pages, but at least 2 blocks. */
static inline int pcp_refill_batch(const struct per_cpu_pages *pcp,
				   unsigned int order)
{
	return order ? max(pcp->batch >> order, 2) : pcp->batch;
}

/*
 * Move up to count blocks of 2^order pages from the buddy lists to list.
 * Returns how many. pcp->lock held; takes zone->lock.
 */
static int rmqueue_bulk(struct zone *zone, unsigned int order, int count,
			struct list_head *list, int mt,
			unsigned int alloc_flags)
{
	int i;

	spin_lock(&zone->lock);
	for (i = 0; i < count; i++) {
		struct page *page = __rmqueue(zone, order, mt, alloc_flags);

		if (!page)
			break;
		page->order = (uint8_t)order;
		__SetPagePcp(page);
		list_add_tail(&page->lru, list);
	}
	zone->events[ZE_PCP_REFILL]++;
	spin_unlock(&zone->lock);
	return i;
}

/*
 * Allocate from this CPU's list for (order, mt), refilling it if empty.
 * Interrupts off keep this CPU's own interrupt handlers out; pcp->lock
 * keeps out drain_all_pages() running on another CPU.
 */
static struct page *rmqueue_pcplist(struct zone *zone, unsigned int order,
				    int mt, unsigned int alloc_flags)
{
	unsigned long flags = arch_irq_save();
	struct per_cpu_pages *pcp = this_cpu_ptr(zone->pcp);
	struct list_head *list = &pcp->lists[pcp_index(order, mt)];
	struct page *page;

	spin_lock(&pcp->lock);
	page = list_first_entry_or_null(list, struct page, lru);
	if (unlikely(!page)) {
		int n = rmqueue_bulk(zone, order, pcp_refill_batch(pcp, order),
				     list, mt, alloc_flags);

		pcp->count += n << order;
		page = list_first_entry_or_null(list, struct page, lru);
	}
	if (likely(page)) {
		list_del(&page->lru);
		__ClearPagePcp(page);
		pcp->count -= 1 << order;
	}
	spin_unlock(&pcp->lock);
	arch_irq_restore(flags);
	return page;
}

/*
 * Put a block on this CPU's list; spill a batch to the zone if the list
 * is full. Locking as for rmqueue_pcplist().
 */
static void free_unref_page(struct zone *zone, struct page *page,
			    unsigned int order, int mt)
{
	unsigned long flags = arch_irq_save();
	struct per_cpu_pages *pcp = this_cpu_ptr(zone->pcp);

	spin_lock(&pcp->lock);
	page->order = (uint8_t)order;
	__SetPagePcp(page);
	list_add(&page->lru, &pcp->lists[pcp_index(order, mt)]);
	pcp->count += 1 << order;
	if (unlikely(pcp->count >= pcp->high))
		free_pcppages_bulk(zone, pcp->count - pcp->high + pcp->batch,
				   pcp);
	spin_unlock(&pcp->lock);
	arch_irq_restore(flags);
}

void drain_pages_zone(unsigned int cpu, struct zone *zone)
{
	struct per_cpu_pages *pcp = per_cpu_ptr(zone->pcp, cpu);
	unsigned long flags;

	spin_lock_irqsave(&pcp->lock, flags);
	if (pcp->count)
		free_pcppages_bulk(zone, pcp->count, pcp);
	spin_unlock_irqrestore(&pcp->lock, flags);
}

void drain_pages(unsigned int cpu)
{
	struct zone *zone;

	for_each_populated_zone_in(zone, &contig_page_data)
		drain_pages_zone(cpu, zone);
}

void drain_all_pages(struct zone *zone)
{
	if (!zone) {
		drain_node_pages(&contig_page_data);
		return;
	}
	for_each_online_cpu(cpu)
		drain_pages_zone(cpu, zone);
}

void drain_node_pages(pg_data_t *pgdat)
{
	struct zone *zone;

	for_each_populated_zone_in(zone, pgdat)
		drain_all_pages(zone);
}

/*
 * Linux's zone_batchsize(): about a quarter of a 1/1024th of the zone, at
 * most 1 MiB, rounded to 2^n - 1 (odd batches spread over cache colours).
 * high: the low watermark shared among the CPUs, at least 4 batches.
 */
void zone_pcp_update(struct zone *zone)
{
	unsigned long batch = min(zone->managed_pages >> 10,
				  (1UL << 20) / PAGE_SIZE) / 4;
	unsigned int ncpus = (unsigned int)__builtin_popcountl(cpu_online_mask);
	unsigned long high;

	if (batch < 1)
		batch = 1;
	batch += batch / 2;
	batch = (1UL << (63 - __builtin_clzl(batch))) - 1;	/* 2^n - 1 */
	if (batch < 1)
		batch = 1;
	high = max(low_wmark_pages(zone) / (ncpus + 1), 4 * batch);
	zone_set_pcp(zone, (int)high, (int)batch);
}

void zone_set_pcp(struct zone *zone, int high, int batch)
{
	if (batch < 1)
		batch = 1;
	if (high && high < batch)
		high = batch;
	zone->pcp_high = high;
	zone->pcp_batch = batch;
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++) {
		struct per_cpu_pages *pcp = per_cpu_ptr(zone->pcp, cpu);
		unsigned long flags;

		spin_lock_irqsave(&pcp->lock, flags);
		pcp->high = high;
		pcp->batch = batch;
		if (pcp->count && pcp->count >= high)
			free_pcppages_bulk(zone, pcp->count, pcp);
		spin_unlock_irqrestore(&pcp->lock, flags);
	}
}

/* ================================================================ watermarks */

bool zone_watermark_ok(struct zone *zone, unsigned int order,
		       unsigned long mark, enum zone_type highest_zoneidx,
		       unsigned int alloc_flags)
{
	long free = (long)READ_ONCE(zone->free_pages);
	long min = (long)mark;

	free -= (1L << order) - 1;
	free -= (long)READ_ONCE(zone->nr_free_mt[MIGRATE_ISOLATE]);
	if (!(alloc_flags & ALLOC_CMA))
		free -= (long)READ_ONCE(zone->nr_free_mt[MIGRATE_CMA]);
	if (alloc_flags & ALLOC_MIN_RESERVE) {
		min -= min / 2;			/* __GFP_HIGH */
		if (alloc_flags & ALLOC_NON_BLOCK)
			min -= min / 4;		/* and cannot wait: atomic */
	}
	if (free <= min + (long)zone->lowmem_reserve[highest_zoneidx])
		return false;
	if (!order)
		return true;
	/* Enough pages; is there a block big enough among the usable ones? */
	for (unsigned int o = order; o < NR_PAGE_ORDERS; o++) {
		struct free_area *area = &zone->free_area[o];

		if (!READ_ONCE(area->nr_free))
			continue;
		for (int mt = 0; mt < MIGRATE_PCPTYPES; mt++)
			if (!list_empty(&area->free_list[mt]))
				return true;
		if ((alloc_flags & ALLOC_CMA) &&
		    !list_empty(&area->free_list[MIGRATE_CMA]))
			return true;
	}
	return false;
}

/* The common case in two compares; the full check otherwise. */
static inline bool zone_watermark_fast(struct zone *zone, unsigned int order,
				       unsigned long mark,
				       enum zone_type highest_zoneidx,
				       unsigned int alloc_flags)
{
	if (!order && !zone->nr_free_mt[MIGRATE_CMA] &&
	    !zone->nr_free_mt[MIGRATE_ISOLATE] &&
	    READ_ONCE(zone->free_pages) >
	    mark + zone->lowmem_reserve[highest_zoneidx])
		return true;
	return zone_watermark_ok(zone, order, mark, highest_zoneidx,
				 alloc_flags);
}

static unsigned long int_sqrt(unsigned long x)
{
	unsigned long r = 0;

	while ((r + 1) * (r + 1) <= x)
		r++;
	return r;
}

/*
 * Linux's rules: min_free_kbytes = sqrt(16 * lowmem kB), clamped to
 * [128 kB, 256 MiB], shared among zones by size; low and high sit a
 * quarter of min (or 0.1% of the zone) and twice that above min. A zone
 * also keeps lowmem_reserve pages from allocations that could have used a
 * higher zone (1/256 of the higher zones' size, for DMA32).
 */
void setup_per_zone_wmarks(pg_data_t *pgdat)
{
	unsigned long total = node_managed_pages(pgdat);
	unsigned long kbytes = total << (PAGE_SHIFT - 10);
	unsigned long min_kb = int_sqrt(kbytes * 16);
	struct zone *zone;

	min_kb = min(max(min_kb, 128UL), 262144UL);
	for_each_populated_zone_in(zone, pgdat) {
		unsigned long min_pages = total ? (min_kb >> (PAGE_SHIFT - 10)) *
					  zone->managed_pages / total : 0;
		unsigned long gap = max(min_pages / 4,
					zone->managed_pages * 10 / 10000);

		zone->_watermark[WMARK_MIN] = min_pages;
		zone->_watermark[WMARK_LOW] = min_pages + gap;
		zone->_watermark[WMARK_HIGH] = min_pages + 2 * gap;
		for (int z = 0; z < MAX_NR_ZONES; z++)
			zone->lowmem_reserve[z] = 0;
	}
	pgdat->node_zones[ZONE_DMA32].lowmem_reserve[ZONE_NORMAL] =
		pgdat->node_zones[ZONE_NORMAL].managed_pages / 256;
}

void zone_set_watermarks(struct zone *zone, unsigned long min_pages)
{
	zone->_watermark[WMARK_MIN] = min_pages;
	zone->_watermark[WMARK_LOW] = min_pages + min_pages / 4;
	zone->_watermark[WMARK_HIGH] = min_pages + min_pages / 2;
}

/* ================================================================ alloc */

static inline enum zone_type gfp_zone(gfp_t gfp)
{
	return (gfp & __GFP_DMA32) ? ZONE_DMA32 : ZONE_NORMAL;
}

/* Which watermark and reserves an allocation may use once it is short. */
static unsigned int gfp_to_alloc_flags(gfp_t gfp)
{
	unsigned int alloc_flags = ALLOC_WMARK_MIN;

	if (gfp & __GFP_HIGH) {
		alloc_flags |= ALLOC_MIN_RESERVE;
		if (!(gfp & __GFP_DIRECT_RECLAIM))
			alloc_flags |= ALLOC_NON_BLOCK;
	}
	if ((gfp & __GFP_MEMALLOC) && !(gfp & __GFP_NOMEMALLOC))
		alloc_flags |= ALLOC_NO_WATERMARKS;
	if (gfp & __GFP_MOVABLE)
		alloc_flags |= ALLOC_CMA;
	return alloc_flags;
}

/* Set up a block just taken off a list for its new owner. */
static void prep_new_page(struct page *page, unsigned int order, gfp_t gfp,
			  int mt)
{
	if (unlikely(page_alloc_debug)) {
		if (page_count(page) || PageReserved(page) || PageBuddy(page))
			bad_page(page, "allocating a page that is not free");
		check_poison_pages(page, order);
	}
	set_page_count(page, 1);
	page->order = (uint8_t)order;
	page->flags = (uint16_t)((page->flags & ~PG_mt_mask) |
				 ((unsigned int)mt << PG_mt_shift));
	page->private = 0;
	if (gfp & __GFP_ZERO)
		memset(page_address(page), 0, PAGE_SIZE << order);
}

/* Allocate from the buddy lists under zone->lock. */
static struct page *rmqueue_buddy(struct zone *zone, unsigned int order,
				  int mt, unsigned int alloc_flags)
{
	struct page *page;
	unsigned long flags;

	spin_lock_irqsave(&zone->lock, flags);
	page = __rmqueue(zone, order, mt, alloc_flags);
	spin_unlock_irqrestore(&zone->lock, flags);
	return page;
}

/* Take a block from zone: this CPU's list for small orders, else the buddy. */
static inline struct page *rmqueue(struct zone *zone, unsigned int order,
				   int mt, unsigned int alloc_flags)
{
	struct page *page;

	if (order <= PAGE_ALLOC_COSTLY_ORDER && zone->pcp_high) {
		page = rmqueue_pcplist(zone, order, mt, alloc_flags);
		if (likely(page))
			return page;
	}
	return rmqueue_buddy(zone, order, mt, alloc_flags);
}

/*
 * Try each zone the allocation may use, highest first (NORMAL, then
 * DMA32: the zonelist), against the watermark alloc_flags names.
 */
static struct page *get_page_from_freelist(pg_data_t *pgdat, gfp_t gfp,
					   unsigned int order,
					   unsigned int alloc_flags, int mt)
{
	enum zone_type highest = gfp_zone(gfp);

	for (int z = (int)highest; z >= 0; z--) {
		struct zone *zone = &pgdat->node_zones[z];
		struct page *page;

		if (!populated_zone(zone))
			continue;
		if (!(alloc_flags & ALLOC_NO_WATERMARKS) &&
		    !zone_watermark_fast(zone, order,
					 zone->_watermark[alloc_flags &
							  ALLOC_WMARK_MASK],
					 highest, alloc_flags))
			continue;
		page = rmqueue(zone, order, mt, alloc_flags);
		if (page) {
			prep_new_page(page, order, gfp, mt);
			return page;
		}
	}
	return NULL;
}

/*
 * Below the low watermark: wake kswapd, retry at min (with the reserves
 * gfp allows), pull pages back from the per-CPU lists, reclaim if allowed.
 */
static struct page *__alloc_pages_slowpath(pg_data_t *pgdat, gfp_t gfp,
					   unsigned int order, int mt)
{
	unsigned int alloc_flags = gfp_to_alloc_flags(gfp);
	struct page *page;
	struct zone *zone;

	if ((gfp & __GFP_KSWAPD_RECLAIM) && page_alloc_wakeup_kswapd)
		for_each_populated_zone_in(zone, pgdat)
			page_alloc_wakeup_kswapd(zone, gfp, order);

	page = get_page_from_freelist(pgdat, gfp, order, alloc_flags, mt);
	if (page)
		return page;

	drain_node_pages(pgdat);
	page = get_page_from_freelist(pgdat, gfp, order, alloc_flags, mt);
	if (page)
		return page;

	/* HOOK: direct reclaim (mm/vmscan.c) plugs in here. */
	if ((gfp & __GFP_DIRECT_RECLAIM) && page_alloc_try_to_free_pages) {
		for (int tries = 0; tries < 16; tries++) {
			unsigned long progress =
				page_alloc_try_to_free_pages(pgdat, gfp, order);

			drain_node_pages(pgdat);
			page = get_page_from_freelist(pgdat, gfp, order,
						      alloc_flags, mt);
			if (page)
				return page;
			if (!progress || (gfp & __GFP_NORETRY))
				break;
		}
	}

	zone = &pgdat->node_zones[gfp_zone(gfp)];
	zone->events[ZE_ALLOC_FAIL]++;
	warn_alloc(pgdat, gfp, order);
	return NULL;
}

struct page *alloc_pages_node(pg_data_t *pgdat, gfp_t gfp, unsigned int order)
{
	int mt = pgdat->mobility_grouping_disabled ? MIGRATE_UNMOVABLE :
		 gfp_migratetype(gfp);
	unsigned int alloc_flags = ALLOC_WMARK_LOW;
	struct page *page;

	if (unlikely(order > MAX_PAGE_ORDER)) {
		if (!(gfp & __GFP_NOWARN))
			pr_warn("page_alloc: order %u > MAX_PAGE_ORDER (%d) refused\n",
				order, MAX_PAGE_ORDER);
		return NULL;
	}
	if (gfp & __GFP_MOVABLE)
		alloc_flags |= ALLOC_CMA;
	page = get_page_from_freelist(pgdat, gfp, order, alloc_flags, mt);
	if (likely(page))
		return page;
	return __alloc_pages_slowpath(pgdat, gfp, order, mt);
}

struct page *alloc_pages(gfp_t gfp, unsigned int order)
{
	return alloc_pages_node(&contig_page_data, gfp, order);
}

unsigned long __get_free_pages(gfp_t gfp, unsigned int order)
{
	struct page *page = alloc_pages(gfp, order);

	return page ? (unsigned long)page_address(page) : 0;
}

unsigned long get_zeroed_page(gfp_t gfp)
{
	return __get_free_pages(gfp | __GFP_ZERO, 0);
}

/* ================================================================ free */

static void free_one_page(struct zone *zone, struct page *page,
			  unsigned long pfn, unsigned int order, int mt)
{
	unsigned long flags;

	spin_lock_irqsave(&zone->lock, flags);
	__free_one_page(page, pfn, zone, order, mt);
	spin_unlock_irqrestore(&zone->lock, flags);
}

/* The last reference is gone: give the block back. */
static void free_the_page(struct page *page, unsigned int order)
{
	struct zone *zone = page_zone(page);
	unsigned long pfn = page_to_pfn(page);
	int mt;

	if (unlikely(page_alloc_debug))
		kernel_poison_pages(page, order);
	mt = get_pfnblock_migratetype(page, pfn);
	if (order <= PAGE_ALLOC_COSTLY_ORDER && zone->pcp_high &&
	    mt != MIGRATE_ISOLATE) {
		/* CMA pages share the movable list; the drain sorts them. */
		free_unref_page(zone, page, order,
				mt < MIGRATE_PCPTYPES ? mt : MIGRATE_MOVABLE);
		return;
	}
	free_one_page(zone, page, pfn, order, mt);
}

/*
 * Is this a sane free of an allocated block whose refcount is count?
 * Reports and says no if not.
 */
static bool free_pages_check(struct page *page, int count, unsigned int order)
{
	if (unlikely(order > MAX_PAGE_ORDER)) {
		bad_page(page, "bad order: above MAX_PAGE_ORDER");
		return false;
	}
	if (unlikely(count <= 0)) {
		bad_page(page, PageBuddy(page) ? "double free: page is free in the buddy lists" :
			 PagePcp(page) ? "double free: page is free on a per-CPU list" :
			 PageReserved(page) ? "freeing a reserved page" :
			 "freeing a page that was not allocated (double free, or not the first page of a block)");
		return false;
	}
	if (unlikely(PageReserved(page))) {
		bad_page(page, "freeing a reserved page");
		return false;
	}
	if (unlikely(page->order != order)) {
		bad_page(page, "bad order: freed with a different order than it was allocated with");
		return false;
	}
	return true;
}

void __free_pages(struct page *page, unsigned int order)
{
	int count = page_count(page);	/* read once: it is an atomic load */

	if (!free_pages_check(page, count, order))
		return;
	/* The sole holder needs no atomic: nobody else can hold a reference. */
	if (likely(count == 1))
		set_page_count(page, 0);
	else if (!put_page_testzero(page))
		return;
	free_the_page(page, order);
}

void free_pages(unsigned long addr, unsigned int order)
{
	if (addr)
		__free_pages(virt_to_page((void *)addr), order);
}

/* ================================================================ misc */

unsigned long node_free_pages(pg_data_t *pgdat)
{
	unsigned long n = 0;
	struct zone *zone;

	for_each_populated_zone_in(zone, pgdat) {
		n += READ_ONCE(zone->free_pages);
		for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
			n += (unsigned long)READ_ONCE(per_cpu_ptr(zone->pcp, cpu)->count);
	}
	return n;
}

unsigned long node_managed_pages(pg_data_t *pgdat)
{
	unsigned long n = 0;
	struct zone *zone;

	for_each_populated_zone_in(zone, pgdat)
		n += zone->managed_pages;
	return n;
}

unsigned long nr_free_pages(void)
{
	return node_free_pages(&contig_page_data);
}

unsigned long totalram_pages(void)
{
	return node_managed_pages(&contig_page_data);
}

void set_mobility_grouping(pg_data_t *pgdat, bool enabled)
{
	pgdat->mobility_grouping_disabled = !enabled;
}

void zone_init_free_lists(struct zone *zone)
{
	spin_lock_init(&zone->lock, "zone->lock");
	for (unsigned int o = 0; o < NR_PAGE_ORDERS; o++) {
		for (int mt = 0; mt < MIGRATE_TYPES; mt++)
			INIT_LIST_HEAD(&zone->free_area[o].free_list[mt]);
		zone->free_area[o].nr_free = 0;
	}
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++) {
		struct per_cpu_pages *pcp = per_cpu_ptr(zone->pcp, cpu);

		spin_lock_init(&pcp->lock, "pcp->lock");
		for (int i = 0; i < NR_PCP_LISTS; i++)
			INIT_LIST_HEAD(&pcp->lists[i]);
	}
}

/* Largest order a block at pfn may have and still end by end_pfn. */
static unsigned int max_block_order(unsigned long pfn, unsigned long end_pfn)
{
	unsigned int order = MAX_PAGE_ORDER;

	while (order && ((pfn & ((1UL << order) - 1)) ||
			 pfn + (1UL << order) > end_pfn))
		order--;
	return order;
}

void free_pfn_range(unsigned long start_pfn, unsigned long end_pfn)
{
	unsigned long pfn = start_pfn;

	while (pfn < end_pfn) {
		struct page *page = pfn_to_page(pfn);
		const struct memmap_range *r;
		unsigned long stop, flags;

		if (!page) {	/* a hole: skip to the next range, if any */
			pfn++;
			continue;
		}
		r = page_range(page);
		stop = min(end_pfn, r->end_pfn);
		while (pfn < stop) {
			unsigned int order = max_block_order(pfn, stop);
			struct zone *zone = r->zone;

			page = r->memmap + (pfn - r->start_pfn);
			for (unsigned long i = 0; i < (1UL << order); i++) {
				__ClearPageReserved(&page[i]);
				set_page_count(&page[i], 0);
			}
			if (page_alloc_debug)
				kernel_poison_pages(page, order);
			spin_lock_irqsave(&zone->lock, flags);
			zone->managed_pages += 1UL << order;
			__free_one_page(page, pfn, zone, order,
					get_pfnblock_migratetype(page, pfn));
			spin_unlock_irqrestore(&zone->lock, flags);
			pfn += 1UL << order;
		}
	}
}

void zone_for_each_free_block(struct zone *zone,
			      void (*fn)(struct page *page, unsigned int order,
					 void *arg),
			      void *arg)
{
	for (unsigned int o = 0; o < NR_PAGE_ORDERS; o++)
		for (int mt = 0; mt < MIGRATE_TYPES; mt++) {
			struct page *page;

			list_for_each_entry(page,
					    &zone->free_area[o].free_list[mt],
					    lru)
				fn(page, o, arg);
		}
}

/*
 * If page's pageblock lies inside a larger free block, split that block
 * into pageblocks so the one pageblock can change type. zone->lock held.
 */
static void split_large_buddy(struct zone *zone, struct page *page,
			      unsigned long pfn)
{
	const struct memmap_range *r = page_range(page);

	for (unsigned int o = pageblock_order + 1; o <= MAX_PAGE_ORDER; o++) {
		unsigned long head_pfn = pfn & ~((1UL << o) - 1);
		struct page *head;
		int mt;

		if (head_pfn < r->start_pfn)
			return;
		head = r->memmap + (head_pfn - r->start_pfn);
		if (!PageBuddy(head) || head->order != o)
			continue;
		mt = get_pfnblock_migratetype(head, head_pfn);
		del_page_from_free_list(head, zone, o, mt);
		for (unsigned long i = 0; i < (1UL << o); i += pageblock_nr_pages)
			add_to_free_list(head + i, zone, pageblock_order, mt);
		return;
	}
}

unsigned long move_freepages_block(struct page *page, int migratetype)
{
	struct zone *zone = page_zone(page);
	unsigned long pfn = page_to_pfn(page);
	unsigned long block_pfn = ALIGN_DOWN(pfn, pageblock_nr_pages);
	unsigned long flags, moved = 0;
	int old;

	spin_lock_irqsave(&zone->lock, flags);
	old = get_pfnblock_migratetype(page, pfn);
	if (old != migratetype) {
		const struct memmap_range *r = page_range(page);
		unsigned long first = max(block_pfn, r->start_pfn);

		struct page *head = r->memmap + (first - r->start_pfn);

		split_large_buddy(zone, page, pfn);
		moved = move_freepages(zone, head, first, old, migratetype);
		change_pageblock_range(page, pfn, 0, migratetype);
		/* A wholly free block may now merge with its neighbours. */
		if (PageBuddy(head) && head->order >= pageblock_order) {
			del_page_from_free_list(head, zone, head->order,
						migratetype);
			__free_one_page(head, first, zone, pageblock_order,
					migratetype);
		}
	}
	spin_unlock_irqrestore(&zone->lock, flags);
	return moved;
}
