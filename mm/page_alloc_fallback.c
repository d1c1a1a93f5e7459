/*
 * mm/page_alloc_fallback.c - when a migratetype's own free lists are
 * empty: taking a block from another type's lists ("fallback"), claiming
 * its pageblock for the new type ("stealing"), and moving a pageblock's
 * free pages to another type (move_freepages_block, for CMA and isolation).
 *
 * Grouping pages by mobility keeps unmovable allocations out of most
 * pageblocks, so that compaction and CMA find whole movable blocks later.
 * Only __rmqueue() calls in here, and only once its own lists failed; the
 * buddy list primitives are static inlines in mm/internal.h.
 */
#include "mm/internal.h"

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
struct page *__rmqueue_fallback(struct zone *zone, unsigned int order,
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
		if (migratetype == MIGRATE_ISOLATE)
			WRITE_ONCE(zone->nr_isolate_pageblock,
				   zone->nr_isolate_pageblock + 1);
		else if (old == MIGRATE_ISOLATE)
			WRITE_ONCE(zone->nr_isolate_pageblock,
				   zone->nr_isolate_pageblock - 1);
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

