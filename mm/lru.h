/*
 * mm/lru.h - the LRU lists: which user pages (anonymous and page cache)
 * reclaim looks at, in what order. docs/mm/reclaim.md has the picture.
 *
 * One lruvec per node (struct lruvec in mm/mmzone.h), four lists plus
 * unevictable: inactive and active, for anonymous and for file pages
 * (Linux's two-list design since 2.6.28). A page enters on the inactive
 * list (the active one if its refault says it belongs to the working
 * set); a second access while inactive promotes it (mark_page_accessed
 * for read()/write(); accessed bits found through rmap for mapped pages,
 * when reclaim looks); reclaim demotes active pages to keep the inactive
 * list big enough, and frees inactive pages nobody used.
 *
 * A page is on a list iff PG_lru; PG_active says which of the pair. A
 * page just added may wait in a per-CPU batch first (lru_cache_add). The
 * list does not hold a reference: the page leaves its list when its last
 * reference goes (put_page) or when reclaim isolates it (which holds a
 * reference while it works).
 *
 * Locking: lruvec->lru_lock (a spinlock, taken with irqs off: a page is
 * rotated from I/O completion) guards the lists and
 * counts; taken inside the page lock and inside mapping->i_pages_lock,
 * never the other way. Any function here may be called with neither.
 */
#ifndef MM_LRU_H
#define MM_LRU_H

#include "kernel/types.h"
#include "mm/mmzone.h"
#include "mm/mm_types.h"

/* The node's lruvec (Linux: mem_cgroup_lruvec(NULL, pgdat)). */
static inline struct lruvec *node_lruvec(pg_data_t *pgdat)
{
	return &pgdat->__lruvec;
}
struct lruvec *page_lruvec(struct page *page);
/* The list a page belongs on from its flags. */
static inline enum lru_list page_lru(const struct page *page)
{
	bool file = !PageSwapBacked(page);

	if (PageUnevictable(page))
		return LRU_UNEVICTABLE;
	return (file ? LRU_INACTIVE_FILE : LRU_INACTIVE_ANON) +
	       (PageActive(page) ? 1 : 0);
}

/* Empty lists (node init; tests' private nodes). */
void lruvec_init(struct lruvec *lruvec);

/*
 * A new page (anonymous: PG_swapbacked set; page cache: clear) goes on
 * its LRU list: inactive, or active if PG_active/PG_workingset say so.
 * Not at once: it waits in this CPU's add batch (holding a reference,
 * PG_lru clear) until the batch is full or someone drains it, so that
 * lru_lock is taken once for LRU_ADD_BATCH pages (mm/lru.c).
 */
void lru_cache_add(struct page *page);
#define LRU_ADD_BATCH	15	/* pages a batch holds (Linux's PAGEVEC_SIZE) */
/* Every CPU's add batch onto the lists, from any CPU (no IPIs: each
 * batch has its own lock). Reclaim and lruvec_check call it first. */
void lru_add_drain_all(void);
/*
 * An access through read()/write() or a fault (Linux's
 * mark_page_accessed): inactive+unreferenced -> referenced;
 * inactive+referenced -> active (PGACTIVATE); active -> referenced.
 */
void mark_page_accessed(struct page *page);
/* MADV_COLD: move an active page to the inactive list's head. */
void deactivate_page(struct page *page);
/* Take page off its list (reclaim, migration; the page is held): true if
 * it was on one. Counts NR_ISOLATED_*; putback_lru_page undoes it. */
bool isolate_lru_page(struct page *page);
/*
 * The same for a page found by its pfn, of which the caller holds
 * nothing (compaction, CMA): its reference is taken under lru_lock and
 * only while it is on a list, so a page of any other owner (slab, a page
 * table, a block being freed) is never touched. true: held and isolated.
 * A page still waiting in an add batch is not on a list yet: drain
 * (lru_add_drain_all) before a scan.
 */
bool get_and_isolate_lru_page(struct page *page);
void putback_lru_page(struct page *page);
/*
 * Writeback ended on a page reclaim wanted (end_page_writeback, when it
 * clears PG_reclaim; any context): move it to its inactive list's tail,
 * so the next reclaim pass frees it first (PGROTATED). Nothing if it is
 * not on an inactive list.
 */
void rotate_reclaimable_page(struct page *page);

/*
 * Drop a reference to a user page (anonymous or page cache). The last
 * one takes the page off its LRU list, clears what its owner set, and
 * frees it. What every user of LRU pages calls instead of __free_page.
 */
void put_page(struct page *page);

/*
 * put_page() on each of n pages, taking lru_lock once for all the pages
 * whose last reference went rather than once each (Linux's
 * release_pages, what munmap's batched frees use). With many CPUs
 * unmapping at once a lock taken per page makes them queue for it page
 * by page: on the 8-CPU machine, 8 memhogs exiting together took a
 * minute (a ticket lock hands itself to the next waiter even when the
 * host has not scheduled that vCPU).
 */
void release_pages(struct page **pages, unsigned int n);

/* Pages on each list of the node, and in total (meminfo, vmstat). */
unsigned long lruvec_lru_size(struct lruvec *lruvec, enum lru_list lru);

/* "inactive_file" etc. (reports, tests). */
const char *lru_list_name(enum lru_list lru);

/* Check the lists' invariants (flags match the list, counts match):
 * 0 or -EINVAL with a report. Host model tests call it after each step. */
int lruvec_check(struct lruvec *lruvec);

#endif
