/*
 * mm/page_isolation.h - taking a range of page frames back from the page
 * allocator: pageblock isolation (Linux's mm/page_isolation.c) and, built
 * on it, alloc_contig_range() / free_contig_range(). CMA (mm/cma.h) is
 * their user; tests and labs call them directly. docs/mm/cma.md tells
 * the story: lend -> isolate -> migrate -> take -> release.
 *
 * Isolation: a pageblock of type MIGRATE_ISOLATE is out of use. Its free
 * pages sit on the ISOLATE free lists, which no allocation reads and no
 * fallback steals from, and the watermarks do not count them; a page
 * freed into it goes there too (never onto a per-CPU list). Pages in use
 * stay where they are until their owner frees them or migration moves
 * them out. Undoing the isolation gives the block a type again and its
 * free pages move to that type's lists, merged.
 *
 * Linux spreads these over page-isolation.h (isolation), gfp.h
 * (alloc_contig_range) and internal.h (init_cma_reserved_pageblock);
 * here they are one header, the allocator's interface for taking ranges,
 * implemented in mm/page_isolation.c with the allocator's own helpers
 * (move_freepages_block, __free_one_page, prep_new_page).
 *
 * Ranges are pfns [start_pfn, end_pfn) inside one memmap range (so one
 * zone, no hole); isolation works on whole pageblocks, so it covers the
 * range rounded out to pageblocks (clamped to the memmap range).
 *
 * Context: may sleep (alloc_contig_range migrates, which takes mmap
 * locks and waits for writeback); call with no spinlock held. The
 * isolation calls alone take only zone->lock and the per-CPU locks.
 * Callers serialise overlapping ranges (cma.c holds cma_mutex): a block
 * isolated already makes start_isolate_page_range fail with -EBUSY.
 */
#ifndef MM_PAGE_ISOLATION_H
#define MM_PAGE_ISOLATION_H

#include "kernel/types.h"
#include "mm/migrate.h"
#include "mm/page_alloc.h"

/*
 * Make every pageblock of [start_pfn, end_pfn) MIGRATE_ISOLATE, moving its
 * free pages to the isolate lists, then drain every CPU's per-CPU lists
 * so no free page of the range hides there. migratetype is the type the
 * blocks have now (MIGRATE_CMA or MIGRATE_MOVABLE) and will get back.
 * A block of another type (an unmovable or isolated one), or a movable
 * block holding a page that cannot move (reserved, or allocated without
 * __GFP_MOVABLE), fails it: -EBUSY with every block as it was; -EINVAL
 * if the range is empty or not inside one memmap range. 0 on success.
 * *bad_pfn (may be NULL) names the block's offending page on -EBUSY.
 */
int start_isolate_page_range(unsigned long start_pfn, unsigned long end_pfn,
			     int migratetype);
int __start_isolate_page_range(unsigned long start_pfn, unsigned long end_pfn,
			       int migratetype, unsigned long *bad_pfn);

/*
 * Give every isolated pageblock of [start_pfn, end_pfn) (rounded out as
 * above) the type migratetype again; its free pages move to that type's
 * lists and merge. Blocks not isolated are left alone.
 */
void undo_isolate_page_range(unsigned long start_pfn, unsigned long end_pfn,
			     int migratetype);

/*
 * 0 if every page of [start_pfn, end_pfn) is free in an isolated
 * pageblock (on an ISOLATE free list, as part of a free block), -EBUSY
 * if not (and *bad_pfn, if not NULL, is the first page that is not).
 * Takes zone->lock.
 */
int test_pages_isolated(unsigned long start_pfn, unsigned long end_pfn,
			unsigned long *bad_pfn);

/*
 * Allocate exactly the pages [start_pfn, end_pfn), each as an order-0
 * page with refcount 1 (Linux's alloc_contig_range): isolate the blocks,
 * migrate every page in use in the range to a page outside it (on the
 * same node; isolated blocks cannot serve that allocation), take the
 * range off the free lists, undo the isolation. migratetype: the blocks'
 * type (MIGRATE_CMA for CMA). Returns 0, or with everything as it was:
 *   -EBUSY   a page cannot move: pinned (page_maybe_dma_pinned), not
 *            movable (a kernel page), or still busy after the retries
 *            (a reference held for longer than a moment);
 *   -ENOMEM  no page outside the range to move a page to;
 *   -EINVAL  a bad range.
 * Transient business (a page locked, isolated by reclaim, waiting in an
 * LRU add batch, being faulted in or freed) is retried up to
 * CONTIG_RANGE_TRIES passes, 2, 4, 8 and 16 ms apart (each migrate_pages
 * call also retries a busy page 10 times). why (may be NULL) gets the
 * first page that failed: pfn, reason, counts.
 * Sleeps; no spinlock held.
 */
#define CONTIG_RANGE_TRIES	5
int alloc_contig_range(unsigned long start_pfn, unsigned long end_pfn,
		       int migratetype, struct migrate_failure *why);

/* Free nr pages from pfn on, each an order-0 page from alloc_contig_range
 * (refcount 1; another count is reported and that page is left alone). */
void free_contig_range(unsigned long pfn, unsigned long nr_pages);

/*
 * CMA's pageblocks (mm/cma.c). init_cma_reserved_pageblock: at boot, a
 * pageblock memblock kept reserved (its pages PG_reserved, never freed)
 * becomes MIGRATE_CMA and its pages are freed into the buddy lists:
 * movable allocations may borrow them from now on (Linux's name).
 * init_cma_free_pageblock: the same for a pageblock of a running node
 * (a private arena) whose pages are all free now: -EBUSY and nothing
 * changed if one is not.
 */
void init_cma_reserved_pageblock(struct page *page);
int init_cma_free_pageblock(struct page *page);
/* Give a pageblock from init_cma_free_pageblock its movable type back
 * (its pages must be free: region torn down). */
void release_cma_free_pageblock(struct page *page);

#endif
