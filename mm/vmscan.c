/*
 * mm/vmscan.c - reclaim: taking pages back from a node's LRU lists and
 * from the shrinkers. Contracts: mm/vmscan.h; the picture and the
 * reasons: docs/mm/reclaim.md.
 *
 *   shrink_node                 one pass over a node (kswapd and direct)
 *     shrink_active_list        active -> inactive, keeping the ratio
 *     shrink_inactive_list      isolate a batch from the tail, and per page
 *       page_check_references   activate, keep, or reclaim it
 *       shrink_page_list        free the clean ones, rotate the rest
 *     shrink_slab               the caches, in proportion (priority)
 *   try_to_free_pages           direct reclaim (the allocator's hook)
 *   balance_pgdat               kswapd's work (its thread: vmscan_kthread.c)
 *
 * Nothing here writes a file page: there is no call of ->writepage, no
 * writeback_control and no do_writepages in this file. A dirty file page
 * is the flushers' (wakeup_flusher_threads); reclaim marks it PG_reclaim
 * so that end_page_writeback rotates it to the inactive tail, where the
 * next pass frees it. That is measured, not only promised: the thread
 * carries PF_MEMALLOC while in try_to_free_pages, and the block layer
 * counts every write submitted under it (DIRECT_RECLAIM_WRITE) but swap's
 * (REQ_SWAP). Anonymous pages have no flusher: reclaim gives each a swap
 * slot and writes it (pageout_anon, mm/swap.h), as Linux does from kswapd
 * and direct reclaim alike.
 *
 * Lock order: page lock > mapping->i_pages_lock > lru_lock. Pages are
 * isolated under lru_lock, then locked with trylock_page with no other
 * lock held; nothing here waits for a page lock.
 */
#include "mm/vmscan.h"
#include "mm/filemap.h"
#include "mm/internal.h"
#include "mm/lru_internal.h"
#include "mm/mm.h"
#include "mm/page_alloc.h"
#include "mm/rmap.h"
#include "mm/shared_anon.h"
#include "mm/shrinker.h"
#include "mm/swap.h"
#include "mm/vmstat.h"
#include "mm/workingset.h"
#include "kernel/preempt.h"
#include "kernel/sysctl.h"
#include "kernel/thread.h"
#include "kernel/time.h"

/* Linux's: failed kswapd runs before it stops trying; throttled waits of
 * a direct reclaimer before it reports no progress. */
#define MAX_RECLAIM_RETRIES	16

bool (*reclaim_throttle_hook)(pg_data_t *pgdat);
void (*reclaim_wake_throttled_hook)(pg_data_t *pgdat);
void (*reclaim_pfmemalloc_throttle_hook)(pg_data_t *pgdat);
void (*reclaim_pfmemalloc_wake_hook)(pg_data_t *pgdat);

static inline bool page_is_file_lru(const struct page *page)
{
	return !PageSwapBacked(page);
}

/* ------------------------------------------------------ list balance */

/* Integer square root (for the inactive ratio). */
static unsigned long int_sqrt(unsigned long x)
{
	unsigned long r = 0;

	while ((r + 1) * (r + 1) <= x)
		r++;
	return r;
}

/*
 * Is the inactive list of this type too small (Linux's inactive_is_low)?
 * The inactive:active target is 1:1 below 1 GiB of the type, then
 * 1:sqrt(10 * GiB): 1:3 at 1 GiB, 1:10 at 10 GiB. A big active list
 * protects the working set; the inactive list must stay long enough
 * that a page on it gets a fair chance of a second access.
 */
static bool inactive_is_low(struct lruvec *lruvec, enum lru_list inactive_lru)
{
	unsigned long inactive = lruvec_lru_size(lruvec, inactive_lru);
	unsigned long active = lruvec_lru_size(lruvec, inactive_lru + 1);
	unsigned long gb = (inactive + active) >> (30 - PAGE_SHIFT);
	unsigned long ratio = gb ? int_sqrt(10 * gb) : 1;

	return inactive * ratio < active;
}

/* ------------------------------------------------------ active list */

/*
 * Move up to nr_to_scan pages from the tail of the active list lru to the
 * inactive list (PGDEACTIVATE), marking them PG_workingset: they were in
 * the working set, and a refault after their eviction says so. A mapped
 * executable file page whose PTEs were referenced stays active (Linux's
 * protection of program text; PGREFILL counts every page looked at).
 */
static void shrink_active_list(unsigned long nr_to_scan, struct lruvec *lruvec,
			       struct scan_control *sc, enum lru_list lru)
{
	struct list_head l_hold = LIST_HEAD_INIT(l_hold);
	struct list_head l_back = LIST_HEAD_INIT(l_back);
	unsigned long nr_scanned, nr_deactivate = 0, nr_rotated = 0;
	int file = (lru == LRU_ACTIVE_FILE);

	isolate_lru_pages(lruvec, lru, nr_to_scan, &l_hold, &nr_scanned);
	count_vm_events(PGREFILL, nr_scanned);
	lruvec->recent_scanned[file] += nr_scanned;
	while (!list_empty(&l_hold)) {
		struct page *page = list_first_entry(&l_hold, struct page, lru);
		unsigned long vm_flags = 0;

		list_del(&page->lru);
		/* LAB: which active pages deserve another round. */
		if (page_mapped(page) && trylock_page(page)) {
			int referenced = page_referenced(page, &vm_flags);

			unlock_page_wake(page);
			if (referenced && (vm_flags & VM_EXEC) && file) {
				nr_rotated++;
				list_add_tail(&page->lru, &l_back);
				continue;
			}
		}
		ClearPageActive(page);
		SetPageWorkingset(page);
		nr_deactivate++;
		list_add_tail(&page->lru, &l_back);
	}
	lruvec->recent_rotated[file] += nr_rotated;
	sc->nr_rotated += nr_rotated;
	count_vm_events(PGDEACTIVATE, nr_deactivate);
	putback_lru_pages(lruvec, &l_back);
}

/* ---------------------------------------------------- inactive list */

enum page_references {
	PAGEREF_RECLAIM,	/* nobody used it: free it if clean */
	PAGEREF_KEEP,		/* used once, through a mapping: one more round */
	PAGEREF_ACTIVATE,	/* used again: to the active list */
};

/*
 * Linux's page_check_references, with page locked. docs/mm/reclaim.md
 * has the table:
 *
 *   PTEs referenced | PG_referenced | result
 *   ----------------+---------------+-----------------------------------
 *   VM_LOCKED       |  any          | ACTIVATE (mlocked: keep it)
 *   -1 (mm busy)    |  kept as is   | KEEP (not known: look again)
 *   >= 2, or 1      |  set          | ACTIVATE (used twice)
 *   1, VM_EXEC file |  clear        | ACTIVATE (program text)
 *   1               |  clear        | KEEP, PG_referenced set
 *   0               |  set, file    | RECLAIM (one read() was all)
 *   0               |  clear        | RECLAIM
 *
 * PG_referenced is cleared by the look (TestClear): a page needs a new
 * access between two passes to be kept again.
 */
static enum page_references page_check_references(struct page *page,
						  struct scan_control *sc)
{
	unsigned long vm_flags = 0;
	int referenced_ptes = 0;
	bool referenced_page;

	if (page_mapped(page))
		referenced_ptes = page_referenced(page, &vm_flags);

	/* LAB: the replacement decision for an inactive page. */
	if (vm_flags & VM_LOCKED)
		return PAGEREF_ACTIVATE;
	/* A mapper was busy (in a page fault, holding its mmap_lock) and
	 * nothing else showed a use: look again next round, neither
	 * promoted nor taken (Linux 6.1: "rmap lock contention: rotate").
	 * Counting it as used sent every page of a process that faults
	 * most of the time (memhog on a full machine) to the active list
	 * and back, 30 times each. */
	if (referenced_ptes < 0) {
		sc->nr_congested++;	/* someone is working on it */
		return PAGEREF_KEEP;
	}
	referenced_page = TestClearPageReferenced(page);
	if (referenced_ptes) {
		/* Mapped and used: one more trip round the inactive list,
		 * promoted if it is used again by then. */
		SetPageReferenced(page);
		if (referenced_page || referenced_ptes > 1)
			return PAGEREF_ACTIVATE;
		if ((vm_flags & VM_EXEC) && page_is_file_lru(page))
			return PAGEREF_ACTIVATE;
		return PAGEREF_KEEP;
	}
	return PAGEREF_RECLAIM;
}

/*
 * Can a page be taken out of its mapping now? Clean, not under
 * writeback, unmapped, and nobody but the cache and reclaim holding it
 * (a reader that has just found it keeps it).
 */
static bool page_freeable(struct page *page)
{
	return !PageDirty(page) && !PageWriteback(page) &&
	       !page_mapped(page) && page_count(page) == 2;
}

/*
 * Dirty or under writeback: not ours to write. Mark it so the end of its
 * write rotates it to the inactive tail, count it, and leave it on the
 * inactive list. Here is where Linux before 3.2 (direct reclaim) and
 * before 4.x (kswapd) called pageout(): the would-be write is counted in
 * sc->nr_dirty, never issued.
 */
static void reclaim_leave_dirty(struct page *page, struct scan_control *sc)
{
	if (PageWriteback(page))
		sc->nr_writeback++;
	else
		sc->nr_dirty++;
	SetPageReclaim(page);
}

/* ------------------------------------------------------- swap-out */

enum pageout_result {
	PAGE_FREED,		/* gone: reclaim's reference dropped, unlocked */
	PAGE_ACTIVATE,		/* no slot for it: back to the active list */
	PAGE_KEEP_LOCKED,	/* not now: back on the list (still locked) */
	PAGE_KEEP,		/* being written (unlocked): back on the list */
	PAGE_WRITTEN,		/* queued in the plug (unlocked): shrink_page_list
				 * looks again once the plug is submitted */
};

/*
 * A locked anonymous (swap-backed) page that nobody used lately: the
 * four steps of mm/swap.h. Each pass takes it as far as it can go:
 * a slot and the swap cache, its PTEs to swap entries, the write (it
 * stays on the inactive list; the write's end rotates it to the tail),
 * and once clean and unmapped, out of the cache and freed.
 */
static enum pageout_result __pageout_anon(struct page *page,
					  struct scan_control *sc,
					  struct swap_plug *plug)
{
	if (!PageSwapCache(page)) {
		if (!sc->may_swap || !(sc->gfp_mask & __GFP_IO))
			return PAGE_KEEP_LOCKED;
		if (!PageAnon(page)) {
			/* Shared anonymous memory (mm/shared_anon.h): its
			 * PTEs go first (dropped: the object keeps the
			 * entry), then the page leaves the object for the
			 * swap cache. Its object may have gone meanwhile
			 * (-EINVAL): the page is freed with our reference. */
			if (page_mapped(page) &&
			    (!sc->may_unmap ||
			     !try_to_unmap_batch(page, &plug->tlb)))
				return PAGE_KEEP_LOCKED;
			switch (shared_anon_writeout(page)) {
			case 0:
				break;
			case -ENOSPC:
				return PAGE_ACTIVATE;	/* swap is full */
			default:
				return PAGE_KEEP_LOCKED;
			}
		} else if (add_to_swap(page)) {
			return PAGE_ACTIVATE;	/* swap is full */
		}
	}
	/* A slot whose write failed holds nothing: keep the page. */
	if (PageError(page))
		return PAGE_ACTIVATE;
	if (page_mapped(page)) {
		/* The flush waits in the plug (mm/rmap.h, tlb_batch). */
		if (!sc->may_unmap || !try_to_unmap_batch(page, &plug->tlb))
			return PAGE_KEEP_LOCKED;
	}
	if (PageDirty(page)) {
		if (!(sc->gfp_mask & __GFP_IO))
			return PAGE_KEEP_LOCKED;
		if (!clear_page_dirty_for_io(page))
			return PAGE_KEEP_LOCKED;
		SetPageReclaim(page);	/* freed soon after the write */
		/* Queued with the pages before it that got the slots before
		 * its own: one request for the batch's run (swap_plug). The
		 * end of the write rotates it to the tail, where the next
		 * pass frees it. */
		if (swap_writepage_plug(page, plug))	/* unlocks it */
			return PAGE_KEEP;
		return PAGE_WRITTEN;
	}
	if (PageWriteback(page) || page_mapped(page) || page_count(page) != 2)
		return PAGE_KEEP_LOCKED;	/* someone else holds it */
	/* Clean and unmapped: the slot has the data. */
	tlb_batch_flush(&plug->tlb);	/* no CPU may still reach it */
	delete_from_swap_cache(page);
	unlock_page_wake(page);
	put_page(page);			/* reclaim's: the last one */
	return PAGE_FREED;
}

/*
 * __pageout_anon, then: a page that leaves reclaim's hands other than
 * queued in the plug (whose submit flushes) must not be reachable through
 * a TLB entry its unmapping left: another reclaimer could write or free
 * it. Such cases are rare (a write refused, a page kept), so the batch
 * is flushed for them at once.
 */
static enum pageout_result pageout_anon(struct page *page,
					struct scan_control *sc,
					struct swap_plug *plug)
{
	enum pageout_result r = __pageout_anon(page, sc, plug);

	if (r != PAGE_WRITTEN)
		tlb_batch_flush(&plug->tlb);
	return r;
}

/*
 * Decide each isolated page of page_list (reclaim holds a reference to
 * each): freed ones leave the list, the rest stay on it for putback.
 * Returns pages freed.
 */
static unsigned long shrink_page_list(struct list_head *page_list,
				      struct lruvec *lruvec,
				      struct scan_control *sc)
{
	struct list_head ret = LIST_HEAD_INIT(ret);
	struct list_head written = LIST_HEAD_INIT(written);
	struct swap_plug plug = { .io = NULL };
	unsigned long nr_reclaimed = 0;

	while (!list_empty(page_list)) {
		struct page *page = list_first_entry(page_list, struct page,
						     lru);
		struct address_space *mapping;

		list_del(&page->lru);
		if (!trylock_page(page)) {
			sc->nr_congested++;	/* someone is working on it */
			goto keep;
		}
		mapping = page_mapping(page);

		if (PageWriteback(page)) {
			reclaim_leave_dirty(page, sc);
			goto keep_locked;
		}
		/* A device may be reading or writing it (pin_user_pages):
		 * unmapping it would cut the process off from the data the
		 * device puts there. Kept, as Linux keeps a pinned page. */
		if (page_maybe_dma_pinned(page))
			goto activate_locked;
		switch (sc->ignore_references ? PAGEREF_RECLAIM :
			page_check_references(page, sc)) {
		case PAGEREF_ACTIVATE:
			goto activate_locked;
		case PAGEREF_KEEP:
			goto keep_locked;
		case PAGEREF_RECLAIM:
			break;
		}
		if (!page_is_file_lru(page)) {
			switch (pageout_anon(page, sc, &plug)) {
			case PAGE_FREED:
				nr_reclaimed++;
				continue;
			case PAGE_ACTIVATE:
				goto activate_locked;
			case PAGE_KEEP_LOCKED:
				goto keep_locked;
			case PAGE_KEEP:
				goto keep;
			case PAGE_WRITTEN:
				list_add_tail(&page->lru, &written);
				continue;
			}
		}
		if (!mapping)
			goto keep_locked;
		if (mapping->flags & (1UL << AS_UNEVICTABLE))
			goto keep_locked;
		if (page_mapped(page)) {
			if (!sc->may_unmap || !try_to_unmap(page))
				goto keep_locked;
			/* try_to_unmap moved the PTEs' dirty bits to the page. */
		}
		if (PageDirty(page)) {
			reclaim_leave_dirty(page, sc);
			goto keep_locked;
		}
		if (!page_freeable(page))
			goto keep_locked;
		/* Clean and unmapped: out of the cache, leaving a shadow. */
		__delete_from_page_cache(page, workingset_eviction(page));
		unlock_page_wake(page);
		put_page(page);			/* reclaim's: the last one */
		nr_reclaimed++;
		continue;

activate_locked:
		SetPageActive(page);
		sc->nr_activated++;
		count_vm_event(PGACTIVATE);
keep_locked:
		unlock_page_wake(page);
keep:
		list_add_tail(&page->lru, &ret);
	}
	swap_plug_flush(&plug);
	/* A device that finished at once (a RAM disk; a fast one): free
	 * those pages in this pass, as Linux's shrink_folio_list does. */
	while (!list_empty(&written)) {
		struct page *page = list_first_entry(&written, struct page, lru);

		list_del(&page->lru);
		if (trylock_page(page)) {
			if (!PageWriteback(page) && !PageDirty(page) &&
			    !page_mapped(page) && page_count(page) == 2) {
				ClearPageReclaim(page);
				delete_from_swap_cache(page);
				unlock_page_wake(page);
				put_page(page);	/* reclaim's: the last one */
				nr_reclaimed++;
				continue;
			}
			unlock_page_wake(page);
		}
		list_add_tail(&page->lru, &ret);
	}
	while (!list_empty(&ret))
		list_move_tail(ret.next, page_list);
	return nr_reclaimed;
}

/*
 * Reclaim from the tail of inactive list lru: isolate up to nr_to_scan
 * pages, decide each, put the survivors back. Returns pages freed.
 */
static unsigned long shrink_inactive_list(unsigned long nr_to_scan,
					  struct lruvec *lruvec,
					  struct scan_control *sc,
					  enum lru_list lru)
{
	struct list_head page_list = LIST_HEAD_INIT(page_list);
	unsigned long nr_scanned, nr_taken, nr_reclaimed;
	int file = (lru == LRU_INACTIVE_FILE);

	nr_taken = isolate_lru_pages(lruvec, lru, nr_to_scan, &page_list,
				     &nr_scanned);
	sc->nr_scanned += nr_scanned;
	lruvec->recent_scanned[file] += nr_taken;
	count_vm_events(sc->is_kswapd ? PGSCAN_KSWAPD : PGSCAN_DIRECT,
			nr_scanned);
	if (!nr_taken)
		return 0;
	nr_reclaimed = shrink_page_list(&page_list, lruvec, sc);
	/* The freed pages are no longer isolated; putback uncounts the rest. */
	mod_node_page_state(container_of(lruvec, pg_data_t, __lruvec),
			    file ? NR_ISOLATED_FILE : NR_ISOLATED_ANON,
			    -(long)nr_reclaimed);
	putback_lru_pages(lruvec, &page_list);
	count_vm_events(sc->is_kswapd ? PGSTEAL_KSWAPD : PGSTEAL_DIRECT,
			nr_reclaimed);
	count_vm_events(file ? PGSTEAL_FILE : PGSTEAL_ANON, nr_reclaimed);
	return nr_reclaimed;
}

/*
 * Reclaim exactly these pages now, whether or not they were used lately
 * (MADV_PAGEOUT; Linux's reclaim_pages). Each page of list is isolated
 * (isolate_lru_page) with a reference of the caller's, all of one node.
 * Anonymous ones go to swap, clean file ones are dropped; dirty file pages
 * are the flushers' as ever. The rest go back on their lists. Returns the
 * pages freed.
 */
unsigned long reclaim_pages(struct list_head *page_list)
{
	struct scan_control sc = {
		.nr_to_reclaim = ~0UL,
		.gfp_mask = GFP_KERNEL,
		.priority = DEF_PRIORITY,
		.may_unmap = true,
		.may_swap = true,
		.ignore_references = true,
	};
	struct lruvec *lruvec;
	unsigned long nr_reclaimed, nr_anon = 0, nr_file = 0;
	struct page *page;

	if (list_empty(page_list))
		return 0;
	lruvec = page_lruvec(list_first_entry(page_list, struct page, lru));
	list_for_each_entry(page, page_list, lru) {
		if (PageSwapBacked(page))
			nr_anon++;
		else
			nr_file++;
	}
	nr_reclaimed = shrink_page_list(page_list, lruvec, &sc);
	/* The freed pages are no longer isolated; putback uncounts the
	 * rest. Which kind was freed: count what is left of each. */
	list_for_each_entry(page, page_list, lru) {
		if (PageSwapBacked(page))
			nr_anon--;
		else
			nr_file--;
	}
	mod_node_page_state(container_of(lruvec, pg_data_t, __lruvec), NR_ISOLATED_ANON,
			    -(long)nr_anon);
	mod_node_page_state(container_of(lruvec, pg_data_t, __lruvec), NR_ISOLATED_FILE,
			    -(long)nr_file);
	putback_lru_pages(lruvec, page_list);
	return nr_reclaimed;
}

/* --------------------------------------------------------- a node */

/*
 * How much of each list one pass scans (Linux's get_scan_count, without
 * swap): the file lists size >> priority; the anonymous lists are never
 * scanned for freeing, since without swap nothing could be done with
 * them. At priority 0 everything is looked at.
 */
static unsigned long scan_target(struct lruvec *lruvec, enum lru_list lru,
				 int priority)
{
	unsigned long size = lruvec_lru_size(lruvec, lru);
	unsigned long scan = size >> priority;

	/* A small list would never be looked at before priority ~0:
	 * look at a batch of it as soon as pressure has risen a little. */
	if (!scan && size && priority < DEF_PRIORITY)
		scan = min(size, SWAP_CLUSTER_MAX);
	return scan;
}

unsigned int vm_swappiness = 60;

static const struct ctl_table vmscan_sysctls[] = {
	{ .procname = "vm.swappiness",
	  .data = &vm_swappiness, .type = CTL_UINT,
	  .min = 0, .max = 200,
	  .unit = "weight of anonymous pages against file pages in reclaim "
		  "(of 200)" },
};
REGISTER_SYSCTL_TABLE(vmscan_sysctls);

/*
 * A full swap area is not the end of anonymous reclaim while the swap
 * cache holds pages: those have their slots already, and each one is
 * freed once its write ends. Leaving the lists alone then found nothing
 * to wait for, and the OOM killer came with every slot taken by a page
 * still on its way to a slow disk (fs_user_partitions on the Raspberry
 * Pi's SD card, written by PIO: 1091 pages under writeback, 0 kB of
 * swap free, a kill).
 */
static bool anon_reclaimable(pg_data_t *pgdat)
{
	return swap_has_room() || node_page_state(pgdat, NR_SWAPCACHE);
}

/*
 * How much of each list this pass scans (Linux's get_scan_count, without
 * its rotation feedback): each list its size >> priority, the anonymous
 * ones weighted by swappiness and the file ones by 200 - swappiness
 * (each pair of weights out of 200). No swap room and nothing in the
 * swap cache: the anonymous lists are only aged. File pages almost gone
 * (fewer than the high watermarks): anonymous ones only. Priority 0:
 * everything, equally.
 */
static void get_scan_count(pg_data_t *pgdat, struct lruvec *lruvec,
			   struct scan_control *sc, unsigned long *nr_anon,
			   unsigned long *nr_file)
{
	unsigned long anon = scan_target(lruvec, LRU_INACTIVE_ANON,
					 sc->priority) +
			     scan_target(lruvec, LRU_ACTIVE_ANON, sc->priority);
	unsigned long file = scan_target(lruvec, LRU_INACTIVE_FILE,
					 sc->priority) +
			     scan_target(lruvec, LRU_ACTIVE_FILE, sc->priority);
	unsigned long high = 0, free, file_pages;
	unsigned int ap = vm_swappiness, fp = 200 - vm_swappiness;
	struct zone *zone;

	if (!sc->may_swap || !anon_reclaimable(pgdat)) {
		*nr_anon = 0;
		*nr_file = file;
		return;
	}
	if (sc->priority == 0) {
		*nr_anon = anon;
		*nr_file = file;
		return;
	}
	for_each_populated_zone_in(zone, pgdat)
		high += high_wmark_pages(zone);
	free = sum_zone_node_page_state(pgdat, NR_FREE_PAGES);
	file_pages = lruvec_lru_size(lruvec, LRU_INACTIVE_FILE) +
		     lruvec_lru_size(lruvec, LRU_ACTIVE_FILE);
	if (file_pages + free <= high) {
		*nr_anon = anon;
		*nr_file = 0;
		return;
	}
	*nr_anon = anon * ap / 200;
	*nr_file = file * fp / 200;
	/* A share rounded to nothing would never be looked at. */
	if (!*nr_anon && anon && ap)
		*nr_anon = min(anon, SWAP_CLUSTER_MAX);
}

/* One batch of a kind (inactive: its inactive list): refill the inactive
 * list from the active one if it is low, then reclaim from its tail. */
static void shrink_batch(struct lruvec *lruvec, struct scan_control *sc,
			 enum lru_list inactive, unsigned long *nr)
{
	unsigned long batch = min(*nr, SWAP_CLUSTER_MAX);

	if (!batch)
		return;
	if (inactive_is_low(lruvec, inactive))
		shrink_active_list(batch, lruvec, sc, inactive + 1);
	sc->nr_reclaimed += shrink_inactive_list(batch, lruvec, sc, inactive);
	*nr -= batch;
}

unsigned long shrink_node(pg_data_t *pgdat, struct scan_control *sc)
{
	struct lruvec *lruvec = node_lruvec(pgdat);
	unsigned long nr_reclaimed = sc->nr_reclaimed;
	uint64_t t0 = clock_ns();
	unsigned long nr_file, nr_anon;

	lru_add_drain_all();		/* pages still in add batches too */
	get_scan_count(pgdat, lruvec, sc, &nr_anon, &nr_file);
	while ((nr_file || nr_anon) && sc->nr_reclaimed < sc->nr_to_reclaim) {
		shrink_batch(lruvec, sc, LRU_INACTIVE_ANON, &nr_anon);
		shrink_batch(lruvec, sc, LRU_INACTIVE_FILE, &nr_file);
	}
	/* Without swap, anonymous pages are only aged: the lists stay
	 * balanced so that the inactive one shows what is really cold. */
	if (!nr_anon && inactive_is_low(lruvec, LRU_INACTIVE_ANON))
		shrink_active_list(SWAP_CLUSTER_MAX, lruvec, sc,
				   LRU_ACTIVE_ANON);
	/* The caches give back in proportion to the same priority. */
	shrink_slab(sc->gfp_mask, sc->priority);

	nr_reclaimed = sc->nr_reclaimed - nr_reclaimed;
	if (nr_reclaimed)
		WRITE_ONCE(pgdat->reclaim.kswapd_failures, 0);
	if (nr_reclaimed && reclaim_wake_throttled_hook)
		reclaim_wake_throttled_hook(pgdat);
	/* The time of reclaim, for make bench's ns per page (vmstat.h). */
	count_vm_events(sc->is_kswapd ? RECLAIM_NS_KSWAPD : RECLAIM_NS_DIRECT,
			(unsigned long)(clock_ns() - t0));
	return nr_reclaimed;
}

/* How often one balance_pgdat may wait for writes before it escalates
 * anyway: 50 x 100 ms. */
#define KSWAPD_WRITEBACK_WAITS	50

bool reclaim_throttle(pg_data_t *pgdat)
{
	return reclaim_throttle_hook && reclaim_throttle_hook(pgdat);
}

/* ---------------------------------------------------- direct reclaim */

bool pfmemalloc_watermark_ok(pg_data_t *pgdat)
{
	unsigned long reserve = 0, free;
	struct zone *zone;

	for_each_populated_zone_in(zone, pgdat)
		reserve += min_wmark_pages(zone);
	if (!reserve)
		return true;
	free = sum_zone_node_page_state(pgdat, NR_FREE_PAGES);
	return free > reserve / 2;
}

/*
 * Did the pass that started at (scanned, waiting) find mostly pages that
 * are in someone else's hands: on their way to the disk (nr_writeback),
 * or locked, or mapped by a process in a page fault (nr_congested)? Then
 * scanning harder (a lower priority) would only look at the same pages
 * again, an rmap walk each, while the disk or the fault has them: the
 * reclaimer waits for progress instead (Linux throttles the same way,
 * VMSCAN_THROTTLE_WRITEBACK). Measured without it: swap-out of memhog
 * 192M on 128 MiB scanned 130 to 500 pages for each one it freed, and
 * runs took 10x longer on a loaded host.
 */
static unsigned long pages_waiting(const struct scan_control *sc)
{
	return sc->nr_writeback + sc->nr_congested;
}

static bool reclaim_blocked(const struct scan_control *sc,
			    unsigned long scanned, unsigned long waiting)
{
	unsigned long nr_scanned = sc->nr_scanned - scanned;
	unsigned long nr_waiting = pages_waiting(sc) - waiting;

	return nr_waiting && nr_waiting * 2 >= nr_scanned;
}

/* One round of priorities, DEF_PRIORITY down to 0, until enough, or until
 * the pages in the way are in other hands (the caller waits). */
static void do_try_to_free_pages(pg_data_t *pgdat, struct scan_control *sc)
{
	for (int prio = DEF_PRIORITY; prio >= 0; prio--) {
		unsigned long scanned = sc->nr_scanned;
		unsigned long waiting = pages_waiting(sc);

		sc->priority = prio;
		shrink_node(pgdat, sc);
		if (sc->nr_reclaimed >= sc->nr_to_reclaim)
			break;
		if (reclaim_blocked(sc, scanned, waiting))
			break;
	}
}

unsigned long try_to_free_pages(pg_data_t *pgdat, gfp_t gfp,
				unsigned int order)
{
	struct scan_control sc = {
		.nr_to_reclaim = SWAP_CLUSTER_MAX,
		.gfp_mask = gfp,
		.order = order,
		.priority = DEF_PRIORITY,
		.may_writepage = false,		/* never, by construction */
		.may_unmap = true,
		.may_swap = true,
		.is_kswapd = false,
	};

	unsigned int noreclaim;

	/* The reserves are half gone: let kswapd catch up first (the
	 * hook decides whether current may be held, and counts it). */
	if (reclaim_pfmemalloc_throttle_hook && !pfmemalloc_watermark_ok(pgdat))
		reclaim_pfmemalloc_throttle_hook(pgdat);
	count_vm_event(ALLOCSTALL);
	/*
	 * The thread is in direct reclaim until it returns (PF_MEMALLOC, as
	 * Linux's __perform_reclaim sets it): a write the block layer is
	 * asked for meanwhile is counted as DIRECT_RECLAIM_WRITE, and this
	 * function must never cause one.
	 */
	noreclaim = memalloc_noreclaim_save();
	/* retries: waits in which nothing happened; waits: all of them;
	 * isolated_rounds: those for other reclaimers' isolated pages. */
	for (int retries = 0, waits = 0, isolated_rounds = 0;; waits++) {
		sc.nr_dirty = sc.nr_writeback = sc.nr_congested = 0;
		do_try_to_free_pages(pgdat, &sc);
		if (sc.nr_reclaimed)
			break;
		/*
		 * Nothing freed. If only dirty or writeback pages stood in
		 * the way, memory will come back once they are written:
		 * ask the flushers and wait (throttled), never write here.
		 * Pages other reclaimers hold (isolated, or locked) come back
		 * soon too. If nothing at all could be had, say so (the OOM
		 * killer).
		 */
		if (!sc.nr_dirty && !sc.nr_writeback && !sc.nr_congested) {
			/* Only pages another reclaimer isolated stand in the
			 * way: they come back at the end of its batch, freed
			 * or not. Twice at most: when nothing can be freed
			 * at all (every anonymous page kept because the swap
			 * device is dead), kswapd finds nothing either, and
			 * each of these rounds rescans every list; sixteen
			 * of them held the OOM killer off for 6 s after an
			 * NBD swap server went for good (848k pages scanned
			 * in one call, swap_nbd). */
			if ((!node_page_state(pgdat, NR_ISOLATED_FILE) &&
			     !node_page_state(pgdat, NR_ISOLATED_ANON)) ||
			    isolated_rounds++ >= 2)
				break;
		}
		if (retries >= MAX_RECLAIM_RETRIES ||
		    waits >= 16 * MAX_RECLAIM_RETRIES)
			break;
		if (sc.nr_dirty)
			wakeup_flusher_threads();
		/*
		 * Woken by progress (kswapd freed pages, a writeback ended)
		 * does not count against us: another task may have taken
		 * what was freed, and the dirty pages are still on their way
		 * to the disk. Only waits in which nothing at all happened
		 * bring the OOM killer nearer - and not while a swap device
		 * holds its writes to get itself back (an NBD server
		 * restarting: seconds). Those pages come back when it does,
		 * or fail when its driver gives up on it (nbd.timeout),
		 * which is progress too; the bound on all waits (25.6 s)
		 * ends the rest. Once reclaim could unmap a faulting
		 * process's pages, memhog over NBD had nearly all its memory
		 * under writeback when the server restarted, and was killed
		 * 3.5 s into the outage.
		 */
		if (!reclaim_throttle(pgdat) &&
		    !(sc.nr_writeback && swap_writes_stalled()))
			retries++;
	}
	memalloc_noreclaim_restore(noreclaim);
	return sc.nr_reclaimed;
}

/* -------------------------------------------------------------- kswapd */

bool pgdat_balanced(pg_data_t *pgdat, unsigned int order)
{
	struct zone *zone;

	(void)order;	/* no compaction: kswapd balances order-0 pages */
	for_each_populated_zone_in(zone, pgdat)
		if (!zone_watermark_ok(zone, 0, high_wmark_pages(zone),
				       zone->idx, 0))
			return false;
	return true;
}

unsigned long balance_pgdat(pg_data_t *pgdat, unsigned int order)
{
	struct scan_control sc = {
		.gfp_mask = GFP_KERNEL,
		.order = order,
		.may_writepage = false,
		.may_unmap = true,
		.may_swap = true,
		.is_kswapd = true,
	};
	unsigned long reclaimed = 0;
	unsigned int waits = 0;

	for (int prio = DEF_PRIORITY; prio >= 0; prio--) {
		unsigned long got, scanned = sc.nr_scanned;
		unsigned long waiting = pages_waiting(&sc);

		if (pgdat_balanced(pgdat, order))
			break;
		sc.priority = prio;
		sc.nr_reclaimed = 0;
		/* As Linux: aim at the high watermark's worth at once. */
		sc.nr_to_reclaim = SWAP_CLUSTER_MAX;
		got = shrink_node(pgdat, &sc);
		reclaimed += got;
		if (reclaim_pfmemalloc_wake_hook)
			reclaim_pfmemalloc_wake_hook(pgdat);
		/* Nothing freed because what it found is being written or
		 * worked on: wait for progress (a bounded number of times a
		 * run: a disk that never answers must not stop kswapd for
		 * good), then look again at the same priority. */
		if (!got && reclaim_blocked(&sc, scanned, waiting) &&
		    waits < KSWAPD_WRITEBACK_WAITS) {
			waits++;
			reclaim_throttle(pgdat);
			prio++;
			continue;
		}
		/* What it freed may wait on the per-CPU lists, where the
		 * watermarks do not see it: give it to the zones. Only this
		 * CPU's lists, where kswapd's frees went: draining every
		 * CPU's took each CPU's list lock against the writers
		 * allocating there, ~1000 times a second under a fast
		 * writer (issue 15's fast disk beside the slow one: the
		 * fast dd 111 -> 146 MB/s on x86_64). */
		if (got) {
			preempt_disable();
			drain_pages(arch_cpu_id());
			preempt_enable();
		}
		/* Progress at this priority: stay gentle, try again. */
		if (got >= sc.nr_to_reclaim)
			prio++;
	}
	if (!reclaimed)
		pgdat->reclaim.kswapd_failures++;
	return reclaimed;
}
