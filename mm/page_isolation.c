/*
 * mm/page_isolation.c - taking a range of page frames back from the page
 * allocator (contracts in mm/page_isolation.h, the story in
 * docs/mm/cma.md):
 *
 *   start_isolate_page_range    pageblocks -> MIGRATE_ISOLATE, free pages
 *                               to the isolate lists (move_freepages_block)
 *   alloc_contig_range          isolate, migrate what is in use, take the
 *                               free pages, undo the isolation
 *   init_cma_*_pageblock        CMA's pageblocks: made and freed
 *
 * One of the page allocator's files (mm/internal.h): it changes free
 * lists only through the allocator's helpers.
 */
#include "mm/page_isolation.h"
#include "mm/gup.h"
#include "mm/internal.h"
#include "mm/lru.h"
#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "kernel/wait.h"

/* ================================================================ ranges */

/*
 * The memmap range holding all of [start_pfn, end_pfn), or NULL (empty,
 * a hole, or two ranges: a zone edge).
 */
static struct memmap_range *contig_range_of(unsigned long start_pfn,
					    unsigned long end_pfn)
{
	struct page *first, *last;

	if (start_pfn >= end_pfn)
		return NULL;
	first = pfn_to_page(start_pfn);
	last = pfn_to_page(end_pfn - 1);
	if (!first || !last || first->range_id != last->range_id)
		return NULL;
	return page_range(first);
}

static inline struct page *range_page(const struct memmap_range *r,
				      unsigned long pfn)
{
	return r->memmap + (pfn - r->start_pfn);
}

/* The first pfn of the pageblock-rounded range inside r, and its end. */
static void block_bounds(const struct memmap_range *r, unsigned long start_pfn,
			 unsigned long end_pfn, unsigned long *first,
			 unsigned long *last)
{
	*first = max(ALIGN_DOWN(start_pfn, pageblock_nr_pages), r->start_pfn);
	*last = min(ALIGN_UP(end_pfn, pageblock_nr_pages), r->end_pfn);
}

/*
 * The free block holding pfn: its head's pfn, or ~0UL if pfn is not in
 * a free block. Free blocks are aligned to their size, so the head is
 * pfn with its low bits cleared, for some order. zone->lock held.
 */
static unsigned long free_block_head(const struct memmap_range *r,
				     unsigned long pfn)
{
	for (unsigned int o = 0; o < NR_PAGE_ORDERS; o++) {
		unsigned long head = pfn & ~((1UL << o) - 1);
		struct page *page;

		if (head < r->start_pfn)
			break;
		page = range_page(r, head);
		if (PageBuddy(page) && page->order >= o)
			return head + (1UL << page->order) > pfn ? head : ~0UL;
	}
	return ~0UL;
}

/* ================================================================ isolation */

/*
 * The first page of a pageblock that could not leave it, or ~0UL. In a
 * CMA block being isolated for CMA everything in use is movable by
 * construction (only movable allocations borrow CMA pages), so there is
 * nothing to check: a pin is found, and named, by the migration step.
 * Elsewhere a page in use must have been allocated movable. A cheap
 * look without the lock: a page allocated meanwhile is caught later,
 * when it does not move.
 */
static unsigned long unmovable_page_in_block(const struct memmap_range *r,
					     unsigned long block_pfn,
					     int migratetype)
{
	unsigned long end = min(block_pfn + pageblock_nr_pages, r->end_pfn);

	if (migratetype == MIGRATE_CMA)
		return ~0UL;
	for (unsigned long pfn = block_pfn; pfn < end; pfn++) {
		struct page *page = range_page(r, pfn);
		unsigned int mt;

		if (PageBuddy(page)) {
			pfn += (1UL << page->order) - 1;
			continue;
		}
		if (PageReserved(page))
			return pfn;
		/* Free on a per-CPU list, or a tail of a block: its head
		 * (or the drain) decides. */
		if (page_count(page) == 0)
			continue;
		mt = (unsigned int)((page->flags & PG_mt_mask) >> PG_mt_shift);
		if (mt != MIGRATE_MOVABLE && !PageLRU(page))
			return pfn;
		pfn += (1UL << page->order) - 1;
	}
	return ~0UL;
}

int __start_isolate_page_range(unsigned long start_pfn, unsigned long end_pfn,
			       int migratetype, unsigned long *bad_pfn)
{
	struct memmap_range *r = contig_range_of(start_pfn, end_pfn);
	unsigned long first, last, pfn;

	if (!r)
		return -EINVAL;
	block_bounds(r, start_pfn, end_pfn, &first, &last);
	for (pfn = first; pfn < last;
	     pfn = ALIGN_DOWN(pfn, pageblock_nr_pages) + pageblock_nr_pages) {
		struct page *page = range_page(r, pfn);
		unsigned long bad = pfn;

		if (get_pfnblock_migratetype(page, pfn) != migratetype ||
		    (bad = unmovable_page_in_block(r, pfn, migratetype)) != ~0UL) {
			if (bad_pfn)
				*bad_pfn = bad;
			undo_isolate_page_range(first, pfn, migratetype);
			return -EBUSY;
		}
		move_freepages_block(page, MIGRATE_ISOLATE);
	}
	/* Pages freed onto a per-CPU list before the block changed type go
	 * to the lists of the type their block has when they are drained:
	 * now, isolate. */
	drain_all_pages(r->zone);
	return 0;
}

int start_isolate_page_range(unsigned long start_pfn, unsigned long end_pfn,
			     int migratetype)
{
	return __start_isolate_page_range(start_pfn, end_pfn, migratetype, NULL);
}

void undo_isolate_page_range(unsigned long start_pfn, unsigned long end_pfn,
			     int migratetype)
{
	struct memmap_range *r = contig_range_of(start_pfn, end_pfn);
	unsigned long first, last;

	if (!r)
		return;
	block_bounds(r, start_pfn, end_pfn, &first, &last);
	for (unsigned long pfn = first; pfn < last;
	     pfn = ALIGN_DOWN(pfn, pageblock_nr_pages) + pageblock_nr_pages) {
		struct page *page = range_page(r, pfn);

		if (get_pfnblock_migratetype(page, pfn) == MIGRATE_ISOLATE)
			move_freepages_block(page, migratetype);
	}
}

/* test_pages_isolated with zone->lock held. */
static int __test_pages_isolated(const struct memmap_range *r,
				 unsigned long start_pfn, unsigned long end_pfn,
				 unsigned long *bad_pfn)
{
	for (unsigned long pfn = start_pfn; pfn < end_pfn;) {
		unsigned long head = free_block_head(r, pfn);

		if (head == ~0UL ||
		    get_pfnblock_migratetype(range_page(r, pfn), pfn) !=
		    MIGRATE_ISOLATE) {
			if (bad_pfn)
				*bad_pfn = pfn;
			return -EBUSY;
		}
		pfn = head + (1UL << range_page(r, head)->order);
	}
	return 0;
}

int test_pages_isolated(unsigned long start_pfn, unsigned long end_pfn,
			unsigned long *bad_pfn)
{
	struct memmap_range *r = contig_range_of(start_pfn, end_pfn);
	unsigned long flags;
	int ret;

	if (!r)
		return -EINVAL;
	spin_lock_irqsave(&r->zone->lock, flags);
	ret = __test_pages_isolated(r, start_pfn, end_pfn, bad_pfn);
	spin_unlock_irqrestore(&r->zone->lock, flags);
	return ret;
}

/* ================================================================ taking */

/*
 * Out of a free block of 2^order pages at pfn (off the lists already),
 * hand out the pages inside [start, end) as order-0 pages and put the
 * rest back on the isolate lists, halving the block until each half is
 * wholly in or wholly out (as expand() halves for one allocation).
 * zone->lock held.
 */
static void take_from_block(struct zone *zone, struct page *page,
			    unsigned long pfn, unsigned int order,
			    unsigned long start, unsigned long end,
			    int migratetype)
{
	unsigned long n = 1UL << order;

	if (pfn >= end || pfn + n <= start) {
		add_to_free_list(page, zone, order, MIGRATE_ISOLATE);
		return;
	}
	if (pfn >= start && pfn + n <= end) {
		for (unsigned long i = 0; i < n; i++)
			prep_new_page(page + i, 0, 0, migratetype);
		return;
	}
	n >>= 1;
	take_from_block(zone, page, pfn, order - 1, start, end, migratetype);
	take_from_block(zone, page + n, pfn + n, order - 1, start, end,
			migratetype);
}

/*
 * Every page of [start, end) is free in an isolated block (checked under
 * the same lock hold): take them all. -EBUSY (nothing taken) if one is
 * not. zone->lock taken.
 */
static int take_isolated_range(struct memmap_range *r, unsigned long start,
			       unsigned long end, int migratetype,
			       unsigned long *bad_pfn)
{
	struct zone *zone = r->zone;
	unsigned long flags;
	int ret;

	spin_lock_irqsave(&zone->lock, flags);
	ret = __test_pages_isolated(r, start, end, bad_pfn);
	for (unsigned long pfn = start; !ret && pfn < end;) {
		unsigned long head = free_block_head(r, pfn);
		struct page *page = range_page(r, head);
		unsigned int order = page->order;

		del_page_from_free_list(page, zone, order, MIGRATE_ISOLATE);
		take_from_block(zone, page, head, order, start, end,
				migratetype);
		pfn = head + (1UL << order);
	}
	spin_unlock_irqrestore(&zone->lock, flags);
	return ret;
}

/* ================================================================ migration */

/* Where a page leaving the range goes: anywhere else on its node. */
static struct page *contig_new_page(struct page *old, unsigned long private)
{
	(void)private;
	return alloc_pages_node(page_pgdat(old),
				GFP_HIGHUSER_MOVABLE | __GFP_NOWARN, 0);
}

/* Fill *why for a page that failed before or outside migrate_pages. */
static void contig_failure(struct migrate_failure *why, unsigned long pfn,
			   int err, const char *reason)
{
	struct page *page = pfn_to_page(pfn);

	if (!why)
		return;
	*why = (struct migrate_failure){
		.pfn = pfn, .err = err, .why = reason,
		.refcount = page ? page_count(page) : 0,
		.expected = 0,
		.pincount = page ? page_pincount(page) : 0,
		.flags = page ? page->flags : 0,
		.anon = page && PageAnon(page),
	};
	if (why->pincount)	/* who pinned it, as migration says it */
		page_pin_describe(page, why->pin, sizeof(why->pin));
}

/*
 * One pass over the range: isolate every LRU page in use and migrate the
 * lot. Returns 0 when nothing was left in use, -EAGAIN when something
 * was busy (why names it: try again), -EBUSY or -ENOMEM when trying
 * again will not help (why names the page).
 */
static int migrate_range_once(const struct memmap_range *r,
			      unsigned long start, unsigned long end,
			      struct migrate_failure *why)
{
	struct migrate_failure mf = { 0 };
	unsigned long busy_pfn = ~0UL;
	struct list_head list = LIST_HEAD_INIT(list);
	int ret = 0;

	for (unsigned long pfn = start; pfn < end; pfn++) {
		struct page *page = range_page(r, pfn);

		if (PageBuddy(page)) {
			pfn = ALIGN_DOWN(pfn, 1UL << page->order) +
			      (1UL << page->order) - 1;
			continue;
		}
		/* Free (a tail of a free block) or being freed. */
		if (page_count(page) == 0)
			continue;
		if (page_maybe_dma_pinned(page)) {
			contig_failure(why, pfn, -EBUSY, "pinned");
			ret = -EBUSY;
			goto out;
		}
		if (isolate_movable_page(page)) {
			list_add_tail(&page->lru, &list);
			continue;
		}
		if (busy_pfn == ~0UL)
			busy_pfn = pfn;
	}
	if (!list_empty(&list) &&
	    migrate_pages(&list, contig_new_page, NULL, 0, MIGRATE_SYNC,
			  MR_CONTIG_RANGE, &mf)) {
		if (why)
			*why = mf;
		ret = mf.err == -EBUSY || mf.err == -ENOMEM ? mf.err : -EAGAIN;
		goto out;
	}
	if (busy_pfn != ~0UL) {
		contig_failure(why, busy_pfn, -EBUSY,
			       "in use and not on an LRU list (a kernel page, or held longer than the retries)");
		ret = -EAGAIN;
	}
out:
	if (!list_empty(&list))
		putback_movable_pages(&list);
	return ret;
}

static DECLARE_WAIT_QUEUE_HEAD(contig_backoff);

int alloc_contig_range(unsigned long start_pfn, unsigned long end_pfn,
		       int migratetype, struct migrate_failure *why)
{
	struct memmap_range *r = contig_range_of(start_pfn, end_pfn);
	unsigned long bad = 0;
	int ret;

	if (why)
		memset(why, 0, sizeof(*why));
	if (!r)
		return -EINVAL;
	ret = __start_isolate_page_range(start_pfn, end_pfn, migratetype, &bad);
	if (ret) {
		contig_failure(why, bad, ret,
			       "the pageblock holds a page that cannot move (kernel or reserved)");
		return ret;
	}
	for (int tries = 0; tries < CONTIG_RANGE_TRIES; tries++) {
		if (tries)	/* let a busy moment pass: 2, 4, 8 ... ms */
			wait_event_timeout(contig_backoff, false, 1U << tries);
		/* Pages in LRU add batches are not on a list yet. */
		lru_add_drain_all();
		ret = migrate_range_once(r, start_pfn, end_pfn, why);
		if (ret == -EAGAIN)
			continue;
		if (ret)
			break;
		/* Freed pages may wait on per-CPU lists. */
		drain_all_pages(r->zone);
		ret = take_isolated_range(r, start_pfn, end_pfn, migratetype,
					  &bad);
		if (!ret)
			break;
		/*
		 * A page still held: by a reference let go a moment later
		 * (a swap-cache page on its way out, an add batch), or
		 * never; or a page in flight: taken off a per-CPU list just
		 * before the drain and handed to a new owner, refcount 0
		 * and on no list while the range was walked, in use now.
		 * Another pass tells (and moves it).
		 */
		contig_failure(why, bad, ret,
			       "not free after migration (a reference that never goes)");
		ret = -EAGAIN;
	}
	if (ret == -EAGAIN)
		ret = -EBUSY;
	undo_isolate_page_range(start_pfn, end_pfn, migratetype);
	if (!ret && why)
		memset(why, 0, sizeof(*why));
	return ret;
}

void free_contig_range(unsigned long pfn, unsigned long nr_pages)
{
	for (unsigned long i = 0; i < nr_pages; i++) {
		struct page *page = pfn_to_page(pfn + i);

		if (!page || page_count(page) != 1) {
			pr_err("free_contig_range: pfn %#lx has refcount %d, not 1; left alone\n",
			       pfn + i, page ? page_count(page) : -1);
			continue;
		}
		__free_page(page);
	}
}

/* ================================================================ CMA blocks */

void init_cma_reserved_pageblock(struct page *page)
{
	unsigned long pfn = ALIGN_DOWN(page_to_pfn(page), pageblock_nr_pages);

	/* The type first: free_pfn_range frees each page as its block's. */
	set_pageblock_migratetype(page, MIGRATE_CMA);
	free_pfn_range(pfn, pfn + pageblock_nr_pages);
}

int init_cma_free_pageblock(struct page *page)
{
	int old = get_pageblock_migratetype(page);

	if (old == MIGRATE_CMA || old == MIGRATE_ISOLATE)
		return -EBUSY;
	drain_all_pages(page_zone(page));
	if (move_freepages_block(page, MIGRATE_CMA) != pageblock_nr_pages) {
		move_freepages_block(page, old);
		return -EBUSY;
	}
	return 0;
}

void release_cma_free_pageblock(struct page *page)
{
	if (get_pageblock_migratetype(page) == MIGRATE_CMA)
		move_freepages_block(page, MIGRATE_MOVABLE);
}
