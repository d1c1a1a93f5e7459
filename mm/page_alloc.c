/*
 * mm/page_alloc.c - the buddy allocator's hot path: merging and splitting
 * blocks, the per-CPU lists, the watermark check, alloc_pages() and
 * __free_pages().
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
 *   rmqueue_pcplist / free_unref_page    this CPU's lists (interrupts off)
 *   rmqueue_above                        the watermark again (zone->lock)
 *   __rmqueue / __free_one_page          buddy lists (zone->lock)
 *
 * The allocator's other files (docs/mm/page_alloc.md, "Files"):
 *   page_alloc_fallback.c  taking from another migratetype's lists, and
 *                          changing a pageblock's type
 *   page_alloc_zone.c      per-zone settings: pcp sizing and draining,
 *                          watermark setup, counters
 *   mm_init.c, memmap.c    building a node; pfn <-> struct page
 *   page_alloc_debug.c     bad_page(), poisoning, buddy_check()
 * Everything an allocation or a free runs through on its fast path stays
 * in this file or in static inlines in mm/internal.h, so the compiler can
 * inline it as before the split; the other files run when a list is empty
 * of the wanted type, or at setup.
 */
#include "mm/internal.h"
#include "kernel/lib/string.h"
#include "kernel/panic.h"
#include "kernel/wait.h"

pg_data_t contig_page_data;

const char *const migratetype_names[MIGRATE_TYPES] = {
	"Unmovable", "Movable", "Reclaimable", "CMA", "Isolate",
};

void (*page_alloc_wakeup_kswapd)(struct zone *zone, gfp_t gfp,
				 unsigned int order);
bool (*page_alloc_try_compaction)(pg_data_t *pgdat, enum zone_type highest,
				  unsigned int order, unsigned int alloc_flags);
unsigned long (*page_alloc_try_to_free_pages)(pg_data_t *pgdat, gfp_t gfp,
					      unsigned int order);

/* ================================================================ buddy */

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
void __free_one_page(struct page *page, unsigned long pfn, struct zone *zone,
		     unsigned int order, int mt)
{
	const struct memmap_range *r = page_range(page);
	/* In locals: the list stores below could alias r's fields for all
	 * the compiler knows, and it would load them again every level. */
	const unsigned long start_pfn = r->start_pfn, end_pfn = r->end_pfn;

	/* Merging moves no free pages, so count ours once, here. */
	account_freepages(zone, 1L << order, mt);
	while (order < MAX_PAGE_ORDER) {
		unsigned long buddy_pfn = pfn ^ (1UL << order);
		struct page *buddy;
		int buddy_mt = mt;

		if (buddy_pfn < start_pfn || buddy_pfn >= end_pfn)
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

/* Take the smallest free block of type mt that fits. zone->lock held. */
struct page *__rmqueue_smallest(struct zone *zone, unsigned int order, int mt)
{
	for (unsigned int o = order; o < NR_PAGE_ORDERS; o++) {
		struct page *page = list_first_entry_or_null(
			&zone->free_area[o].free_list[mt], struct page, lru);

		if (!page)
			continue;
		__del_page_from_free_list(page, zone, o);
		__expand(zone, page, order, o, mt);
		/* Counted once: 2^order pages leave mt's lists. */
		account_freepages(zone, -(1L << order), mt);
		return page;
	}
	return NULL;
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

/* ================================================================ watermarks */

/*
 * The free pages of zone an allocation with alloc_flags may use: not the
 * isolated ones (being taken away), not CMA's unless it may go there.
 */
static inline long usable_free(const struct zone *zone,
			       unsigned int alloc_flags)
{
	long free = (long)READ_ONCE(zone->free_pages);

	free -= (long)READ_ONCE(zone->nr_free_mt[MIGRATE_ISOLATE]);
	if (!(alloc_flags & ALLOC_CMA))
		free -= (long)READ_ONCE(zone->nr_free_mt[MIGRATE_CMA]);
	return free;
}

/*
 * The fewest usable free pages an allocation with alloc_flags may leave
 * in zone, checked against watermark mark: mark, less the reserves
 * __GFP_HIGH (half) and an atomic one (a further quarter) may use, plus
 * what the zone keeps back for allocations that could use a higher zone
 * (lowmem_reserve). __GFP_MEMALLOC: no floor.
 */
static inline long watermark_floor(const struct zone *zone,
				   unsigned long mark,
				   enum zone_type highest_zoneidx,
				   unsigned int alloc_flags)
{
	long min = (long)mark;

	if (alloc_flags & ALLOC_NO_WATERMARKS)
		return -__LONG_MAX__ - 1;	/* the least long there is */
	if (alloc_flags & ALLOC_MIN_RESERVE) {
		min -= min / 2;			/* __GFP_HIGH */
		if (alloc_flags & ALLOC_NON_BLOCK)
			min -= min / 4;		/* and cannot wait: atomic */
	}
	return min + (long)zone->lowmem_reserve[highest_zoneidx];
}

/* The floor of an allocation against the watermark its flags name. */
static inline long alloc_floor(const struct zone *zone,
			       enum zone_type highest_zoneidx,
			       unsigned int alloc_flags)
{
	return watermark_floor(zone,
			       zone->_watermark[alloc_flags & ALLOC_WMARK_MASK],
			       highest_zoneidx, alloc_flags);
}

bool zone_watermark_ok(struct zone *zone, unsigned int order,
		       unsigned long mark, enum zone_type highest_zoneidx,
		       unsigned int alloc_flags)
{
	if (usable_free(zone, alloc_flags) - (1L << order) <
	    watermark_floor(zone, mark, highest_zoneidx, alloc_flags))
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

/*
 * The first look, without the lock, made by every allocation (Linux's
 * check): an order-0 one inline (zone_watermark_ok's first test, which is
 * all of it at order 0), the full check otherwise. It
 * also guards the pages on the per-CPU lists, which NR_FREE_PAGES does
 * not count: below the watermark no allocation without the right may take
 * one, or the reserve pages an entitled allocation freed onto a list
 * would go to the next ordinary one (net.memalloc_socket_talks_at_the_
 * min_watermark saw its reserves eaten that way when only the buddy was
 * checked).
 */
static inline bool zone_watermark_fast(struct zone *zone, unsigned int order,
				       unsigned long mark,
				       enum zone_type highest_zoneidx,
				       unsigned int alloc_flags)
{
	if (!order)
		return usable_free(zone, alloc_flags) - 1 >=
		       watermark_floor(zone, mark, highest_zoneidx, alloc_flags);
	return zone_watermark_ok(zone, order, mark, highest_zoneidx,
				 alloc_flags);
}

/*
 * Take a block of 2^order pages (__rmqueue) if that leaves at least floor
 * usable free pages (watermark_floor): the check made again, exactly,
 * under zone->lock where the count cannot change. The first look
 * (zone_watermark_fast) alone lets CPUs that passed it together all take,
 * and a per-CPU refill take a batch after looking for one page, each
 * pushing the zone below a watermark no allocation had the right to
 * pass. A block taken from below the min watermark (by an allocation the
 * reserves are for) is counted in ZE_RESERVE.
 */
static inline struct page *rmqueue_above(struct zone *zone,
					 unsigned int order, int mt,
					 unsigned int alloc_flags, long floor)
{
	long left = usable_free(zone, alloc_flags) - (1L << order);
	struct page *page;

	if (left < floor)
		return NULL;
	page = __rmqueue(zone, order, mt, alloc_flags);
	/* (Only these flags lower the floor below min: the test folds away
	 * on the fast path, whose flags are constants.) */
	if ((alloc_flags & (ALLOC_MIN_RESERVE | ALLOC_NO_WATERMARKS)) &&
	    left < (long)min_wmark_pages(zone) && page)
		zone->events[ZE_RESERVE]++;
	return page;
}

/* ================================================================ per-CPU */

static inline unsigned int pcp_index(unsigned int order, int mt)
{
	return order * MIGRATE_PCPTYPES + (unsigned int)mt;
}

/*
 * Return count pages from pcp to the zone, coldest first, taking lists in
 * turn. On pcp's own CPU with interrupts off; takes zone->lock.
 */
void free_pcppages_bulk(struct zone *zone, int count,
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
	int batch = READ_ONCE(pcp->batch);	/* zone_set_pcp() may write it */

	return order ? max(batch >> order, 2) : batch;
}

/*
 * Move up to count blocks of 2^order pages from the buddy lists to list,
 * as far as the watermark allows: the first down to floor, the rest only
 * while the zone stays at or above its min watermark (the reserves are
 * handed out a block at a time, to the allocation they are for, not
 * parked on a per-CPU list where the first look cannot see them: it
 * counts only the buddy's free pages). Returns how many.
 * Interrupts off; takes zone->lock.
 */
static int rmqueue_bulk(struct zone *zone, unsigned int order, int count,
			struct list_head *list, int mt,
			unsigned int alloc_flags, long floor)
{
	int i;

	spin_lock(&zone->lock);
	for (i = 0; i < count; i++) {
		struct page *page;

		if (i == 1)
			floor = max(floor, (long)min_wmark_pages(zone));
		page = rmqueue_above(zone, order, mt, alloc_flags, floor);
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

/* The list was empty: a batch from the buddy, as the watermark allows;
 * its first page (still on the list), or NULL. Out of line: the fast
 * path's hit keeps only the call. */
static __attribute__((noinline, cold)) struct page *
pcp_refill(struct zone *zone, struct per_cpu_pages *pcp,
	   struct list_head *list, unsigned int order, int mt,
	   unsigned int alloc_flags, enum zone_type highest)
{
	int n = rmqueue_bulk(zone, order, pcp_refill_batch(pcp, order), list,
			     mt, alloc_flags,
			     alloc_floor(zone, highest, alloc_flags));

	pcp->count += n << order;
	return list_first_entry_or_null(list, struct page, lru);
}

/*
 * Allocate from this CPU's list for (order, mt), refilling it if empty
 * (without refill: NULL). A per-CPU list is only ever touched by its own
 * CPU, so interrupts off (which keeps this CPU's interrupt handlers out,
 * and the thread on this CPU) is all the locking it needs. Another CPU
 * that wants the pages back asks this one to drain them, by a cross-CPU
 * call (an interrupt, which waits for interrupts to be on again:
 * drain_all_pages()).
 */
static inline __attribute__((always_inline)) struct page *
rmqueue_pcplist(struct zone *zone, unsigned int order, int mt,
		unsigned int alloc_flags, enum zone_type highest, bool refill)
{
	unsigned long flags = arch_irq_save();
	struct per_cpu_pages *pcp = this_cpu_ptr(zone->pcp);
	struct list_head *list = &pcp->lists[pcp_index(order, mt)];
	struct page *page;

	page = list_first_entry_or_null(list, struct page, lru);
	if (unlikely(!page) && refill)
		page = pcp_refill(zone, pcp, list, order, mt, alloc_flags,
				  highest);
	if (likely(page)) {
		list_del(&page->lru);
		__ClearPagePcp(page);
		pcp->count -= 1 << order;
	}
	arch_irq_restore(flags);
	return page;
}

/* Put a block on pcp's list for (order, mt); interrupts off. */
static inline __attribute__((always_inline)) void
pcp_list_add(struct per_cpu_pages *pcp, struct page *page,
	     unsigned int order, int mt)
{
	page->order = (uint8_t)order;
	__SetPagePcp(page);
	list_add(&page->lru, &pcp->lists[pcp_index(order, mt)]);
	pcp->count += 1 << order;
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

	pcp_list_add(pcp, page, order, mt);
	int high = READ_ONCE(pcp->high);	/* zone_set_pcp() may write it */

	if (unlikely(pcp->count >= high))
		free_pcppages_bulk(zone, pcp->count - high + READ_ONCE(pcp->batch),
				   pcp);
	arch_irq_restore(flags);
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

/*
 * Set up a block just taken off a list for its new owner: every owner
 * field of the head page clear (flags but the migratetype, mapping,
 * index, private; _mapcount -1). Tail pages are as their last owner
 * left them, which the free checks (debug) require to be clear.
 * alloc_contig_range (mm/page_isolation.c) preps each page it takes.
 */
static inline __attribute__((always_inline)) void
init_new_page(struct page *page, unsigned int order, int mt)
{
	set_page_count(page, 1);
	page->order = (uint8_t)order;
	page->flags = (unsigned long)mt << PG_mt_shift;
	page->mapping = NULL;
	page->index = 0;
	page->private = 0;
	page->_mapcount = -1;
}

/* The same, with the debug checks (page_alloc.debug) and __GFP_ZERO. */
static inline __attribute__((always_inline)) void
__prep_new_page(struct page *page, unsigned int order, gfp_t gfp, int mt)
{
	if (unlikely(page_alloc_debug) && page_debug_on(page)) {
		if (page_count(page) || PageReserved(page) || PageBuddy(page))
			bad_page(page, "allocating a page that is not free");
		else
			check_new_page_owner_state(page, order);
		check_poison_pages(page, order);
	}
	init_new_page(page, order, mt);
	if (gfp & __GFP_ZERO)
		memset(page_address(page), 0, PAGE_SIZE << order);
}

void prep_new_page(struct page *page, unsigned int order, gfp_t gfp, int mt)
{
	__prep_new_page(page, order, gfp, mt);
}

/* Allocate from the buddy lists under zone->lock, as far as the
 * watermark allows (rmqueue_above). */
static inline __attribute__((always_inline)) struct page *
rmqueue_buddy(struct zone *zone, unsigned int order, int mt,
	      unsigned int alloc_flags, enum zone_type highest)
{
	long floor = alloc_floor(zone, highest, alloc_flags);
	struct page *page;
	unsigned long flags;

	spin_lock_irqsave(&zone->lock, flags);
	page = rmqueue_above(zone, order, mt, alloc_flags, floor);
	spin_unlock_irqrestore(&zone->lock, flags);
	return page;
}

/*
 * Take a block from zone, as far as the watermark alloc_flags names
 * allows: this CPU's list for small orders (after the first look, which
 * guards the list's pages), else the buddy. What leaves the buddy (a
 * block, or a refill of the list) is held to the watermark exactly, under
 * zone->lock; straight from the buddy that is the only check needed.
 */
static inline __attribute__((always_inline)) struct page *
rmqueue(struct zone *zone, unsigned int order, int mt,
	unsigned int alloc_flags, enum zone_type highest)
{
	struct page *page;

	if (order <= PAGE_ALLOC_COSTLY_ORDER && zone->pcp_high) {
		if (!(alloc_flags & ALLOC_NO_WATERMARKS) &&
		    !zone_watermark_fast(zone, order,
					 zone->_watermark[alloc_flags &
							  ALLOC_WMARK_MASK],
					 highest, alloc_flags))
			return NULL;
		page = rmqueue_pcplist(zone, order, mt, alloc_flags, highest,
				       true);
		if (likely(page))
			return page;
	}
	return rmqueue_buddy(zone, order, mt, alloc_flags, highest);
}

/*
 * Try each zone the allocation may use, highest first (NORMAL, then
 * DMA32: the zonelist), against the watermark alloc_flags names.
 */
static inline __attribute__((always_inline)) struct page *
__get_page_from_freelist(pg_data_t *pgdat, gfp_t gfp, unsigned int order,
			 unsigned int alloc_flags, int mt)
{
	enum zone_type highest = gfp_zone(gfp);

	for (int z = (int)highest; z >= 0; z--) {
		struct zone *zone = &pgdat->node_zones[z];
		struct page *page;

		if (!populated_zone(zone))
			continue;
		page = rmqueue(zone, order, mt, alloc_flags, highest);
		if (page) {
			__prep_new_page(page, order, gfp, mt);
			return page;
		}
	}
	return NULL;
}

/* The same, out of line, for the slow path's many retries. */
static __attribute__((noinline)) struct page *
get_page_from_freelist(pg_data_t *pgdat, gfp_t gfp, unsigned int order,
		       unsigned int alloc_flags, int mt)
{
	return __get_page_from_freelist(pgdat, gfp, order, alloc_flags, mt);
}

/*
 * May this allocation compact? It must be allowed to reclaim, and to do
 * I/O and file-system work (__GFP_IO | __GFP_FS): the migrator may drop
 * the last reference to a process that exited meanwhile, whose teardown
 * closes files (Linux's direct compaction refuses GFP_NOIO too).
 */
static bool compaction_allowed(gfp_t gfp)
{
	const gfp_t need = __GFP_DIRECT_RECLAIM | __GFP_IO | __GFP_FS;

	return page_alloc_try_compaction && (gfp & need) == need;
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

	/* Free pages may wait on per-CPU lists, where the watermarks do not
	 * see them. Other CPUs give theirs back through a cross-CPU call the
	 * caller waits for: only one that can wait (no spinlock, interrupts
	 * on) asks them; any caller takes back its own CPU's. */
	if (can_sleep())
		drain_node_pages(pgdat);
	else
		drain_local_node_pages(pgdat);
	page = get_page_from_freelist(pgdat, gfp, order, alloc_flags, mt);
	if (page)
		return page;

	/* Free memory in pieces too small: move pages to join them, before
	 * reclaiming more (Linux's first, asynchronous, direct compaction). */
	if (order && compaction_allowed(gfp) &&
	    page_alloc_try_compaction(pgdat, gfp_zone(gfp), order,
				      alloc_flags)) {
		page = get_page_from_freelist(pgdat, gfp, order, alloc_flags,
					      mt);
		if (page)
			return page;
	}

	/* HOOK: direct reclaim (mm/vmscan.c) plugs in here. */
	if ((gfp & __GFP_DIRECT_RECLAIM) && page_alloc_try_to_free_pages) {
		/* As Linux's should_reclaim_retry: while reclaim makes
		 * progress, try again (what it freed may have gone to
		 * another task first); give up when it makes none, or after
		 * a bound that stops a livelock. */
		for (int tries = 0; tries < 256; tries++) {
			unsigned long progress =
				page_alloc_try_to_free_pages(pgdat, gfp, order);

			drain_node_pages(pgdat);
			page = get_page_from_freelist(pgdat, gfp, order,
						      alloc_flags, mt);
			if (page)
				return page;
			/* What reclaim freed may be in pieces: join them. */
			if (order && tries < 16 && compaction_allowed(gfp) &&
			    page_alloc_try_compaction(pgdat, gfp_zone(gfp),
						      order, alloc_flags)) {
				page = get_page_from_freelist(pgdat, gfp, order,
							      alloc_flags, mt);
				if (page)
					return page;
			}
			if (!progress || (gfp & __GFP_NORETRY))
				break;
		}
	}

	zone = &pgdat->node_zones[gfp_zone(gfp)];
	zone->events[ZE_ALLOC_FAIL]++;
	warn_alloc(pgdat, gfp, order);
	return NULL;
}

/*
 * The fast path: an order-0 page straight off this CPU's list in the
 * first zone the allocation may use, when that zone is above its low
 * watermark and the list holds one - get_page_from_freelist's first try,
 * without the rest: no refill, no other zone, no debug checks, no
 * zeroing. NULL sends the allocation down the general path
 * (alloc_pages_general), which starts again from the top. Apart and
 * with no call in it, so the common case saves and restores no
 * registers the general path's state would need.
 */
static inline __attribute__((always_inline)) struct page *
pcp_alloc_fast(pg_data_t *pgdat, gfp_t gfp, unsigned int order)
{
	enum zone_type highest = gfp_zone(gfp);
	struct zone *zone = &pgdat->node_zones[highest];
	unsigned int alloc_flags = ALLOC_WMARK_LOW |
				   ((gfp & __GFP_MOVABLE) ? ALLOC_CMA : 0);
	int mt;
	struct page *page;

	if (order || (gfp & __GFP_ZERO) || unlikely(page_alloc_debug))
		return NULL;
	while (!populated_zone(zone)) {
		if (zone == pgdat->node_zones)
			return NULL;
		zone--;
	}
	if (!zone->pcp_high ||
	    !zone_watermark_fast(zone, 0, low_wmark_pages(zone), highest,
				 alloc_flags))
		return NULL;
	mt = pgdat->mobility_grouping_disabled ? MIGRATE_UNMOVABLE :
	     gfp_migratetype(gfp);
	page = rmqueue_pcplist(zone, 0, mt, alloc_flags, highest, false);
	if (likely(page))
		init_new_page(page, 0, mt);
	return page;
}

/* Everything the fast path leaves: any order, zone, gfp; the slow path. */
static __attribute__((noinline)) struct page *
alloc_pages_general(pg_data_t *pgdat, gfp_t gfp, unsigned int order)
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
	page = __get_page_from_freelist(pgdat, gfp, order, alloc_flags, mt);
	if (likely(page))
		return page;
	return __alloc_pages_slowpath(pgdat, gfp, order, mt);
}

struct page *alloc_pages_node(pg_data_t *pgdat, gfp_t gfp, unsigned int order)
{
	struct page *page = pcp_alloc_fast(pgdat, gfp, order);

	if (likely(page))
		return page;
	return alloc_pages_general(pgdat, gfp, order);
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
			  unsigned long pfn, unsigned int order)
{
	unsigned long flags;

	spin_lock_irqsave(&zone->lock, flags);
	/* The type under the lock: the block may have been isolated since
	 * the caller looked (CMA taking it, mm/page_isolation.c), and a
	 * page on the wrong list there could be allocated again. */
	__free_one_page(page, pfn, zone, order,
			get_pfnblock_migratetype(page, pfn));
	spin_unlock_irqrestore(&zone->lock, flags);
}

/*
 * The last reference is gone: give the block back. Under debugging, a
 * block whose owner left state behind (free_page_is_bad) is reported and
 * leaked with refcount 1 instead.
 */
static void free_the_page(struct page *page, unsigned int order)
{
	struct zone *zone = page_zone(page);
	int mt;

	if (unlikely(page_alloc_debug) && page_debug_on(page)) {
		/* Report and leak it as it was while held: refcount 1. */
		set_page_count(page, 1);
		if (free_page_is_bad(page, order))
			return;
		set_page_count(page, 0);
		kernel_poison_pages(page, order);
	}
	if (order <= PAGE_ALLOC_COSTLY_ORDER && zone->pcp_high) {
		/*
		 * Which per-CPU list: the type the page was allocated as, in
		 * its own flags. Looking up its pageblock's type walks the
		 * memmap range (three dependent loads, a fifth of a pair's
		 * time); the drain files every page under its block's type
		 * anyway. Only while the zone has isolated pageblocks does the
		 * block matter here: their pages must not come back through a
		 * list (isolation drains every CPU after it counts the block,
		 * so a free that read 0 before is drained after).
		 */
		mt = (int)((page->flags & PG_mt_mask) >> PG_mt_shift);
		if (unlikely(READ_ONCE(zone->nr_isolate_pageblock)))
			mt = get_pfnblock_migratetype(page, page_to_pfn(page));
		if (likely(mt != MIGRATE_ISOLATE)) {
			/* CMA pages share the movable list. */
			free_unref_page(zone, page, order,
					mt < MIGRATE_PCPTYPES ? mt : MIGRATE_MOVABLE);
			return;
		}
	}
	free_one_page(zone, page, page_to_pfn(page), order);
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

/*
 * The fast path: the sole holder gives back an order-0 page that is what
 * it should be (allocated as order 0, not reserved), onto this CPU's list
 * in its zone while the list has room - free_the_page's common case
 * without its checks under debugging, isolation or a spill. false: the
 * general path (free_pages_general) does it all, from the start.
 */
static inline __attribute__((always_inline)) bool
free_pcp_fast(struct page *page, unsigned int order)
{
	unsigned long pflags = READ_ONCE(page->flags), flags;
	struct per_cpu_pages *pcp;
	struct zone *zone;
	int mt;

	if (order || page_count(page) != 1 || page->order ||
	    (pflags & (1UL << PG_reserved)) || unlikely(page_alloc_debug))
		return false;
	zone = page_zone(page);
	mt = (int)((pflags & PG_mt_mask) >> PG_mt_shift);
	if (!zone->pcp_high || READ_ONCE(zone->nr_isolate_pageblock) ||
	    mt == MIGRATE_ISOLATE)
		return false;
	flags = arch_irq_save();
	pcp = this_cpu_ptr(zone->pcp);
	if (unlikely(pcp->count + 1 >= READ_ONCE(pcp->high))) {
		arch_irq_restore(flags);
		return false;		/* a spill: the general path's */
	}
	set_page_count(page, 0);
	/* CMA pages share the movable list (as free_the_page files them). */
	pcp_list_add(pcp, page, 0, mt < MIGRATE_PCPTYPES ? mt : MIGRATE_MOVABLE);
	arch_irq_restore(flags);
	return true;
}

static __attribute__((noinline)) void
free_pages_general(struct page *page, unsigned int order)
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

void __free_pages(struct page *page, unsigned int order)
{
	if (likely(free_pcp_fast(page, order)))
		return;
	free_pages_general(page, order);
}

void free_pages(unsigned long addr, unsigned int order)
{
	if (addr)
		__free_pages(virt_to_page((void *)addr), order);
}

