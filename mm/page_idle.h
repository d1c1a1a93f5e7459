/*
 * mm/page_idle.h - idle page tracking (Linux: mm/page_idle.c, and
 * Documentation/admin-guide/mm/idle_page_tracking.rst): which of a set of
 * pages has nobody touched since a moment? docs/mm/page_idle.md.
 *
 * Mark the pages idle (PG_idle), let the workload run, then read which
 * are still idle. An access shows two ways:
 *  - the accessed ("young") bit of a page-table entry mapping the page,
 *    set by the MMU. Marking and reading both harvest these bits through
 *    rmap (every mm mapping the page, not just one): a set bit is cleared
 *    and the page loses PG_idle;
 *  - mark_page_accessed() (read(), write() and the page cache's own
 *    accesses, mm/lru.c) clears PG_idle.
 * Reclaim reads the same young bits (page_referenced). So that idle
 * tracking never hides an access from it, a harvest that finds a bit set
 * sets PG_young on the page, and page_referenced() counts a page whose
 * PG_young it clears as referenced (Linux's folio_test_clear_young).
 *
 * Tracked pages are user pages: anonymous and page-cache pages (rmap finds
 * every mapping of those) and shared anonymous pages (only the mapping
 * being walked is seen). Blocks (huge leaves) are not tracked.
 */
#ifndef MM_PAGE_IDLE_H
#define MM_PAGE_IDLE_H

#include "kernel/types.h"
#include "mm/mm.h"

/*
 * One page mapped at va of mm, whose lock (mmap_read_lock) the caller
 * holds: mark it idle, its accessed bits cleared first (Linux's write of
 * a 1 to the page's bit in /sys/kernel/mm/page_idle/bitmap); or tell
 * whether it stayed idle, harvesting the bits first (a read). The TLB
 * entries of other mms are flushed here; mm's own are the caller's
 * (flush_tlb_mm once after a batch: arch_flush_tlb_mm).
 */
void page_idle_mark(struct page *page, struct mm_struct *mm, unsigned long va);
bool page_idle_test(struct page *page, struct mm_struct *mm, unsigned long va);

/* What `idle PID` reports: pages mm maps, and of them those still idle. */
struct idle_count {
	unsigned long anon, anon_idle;	/* anonymous (and shared anonymous) */
	unsigned long file, file_idle;	/* page cache */
	unsigned long untracked;	/* huge leaves, pages with no struct page */
};

/*
 * Mark every page mm maps idle (mm_idle_mark) and, after the interval,
 * count which stayed idle (mm_idle_count). Each takes mm's lock (may
 * sleep) and flushes mm's TLB. mm_idle_mark returns the pages marked.
 * A page mapped twice in mm counts twice, as in its RSS.
 */
unsigned long mm_idle_mark(struct mm_struct *mm);
void mm_idle_count(struct mm_struct *mm, struct idle_count *c);

#endif
