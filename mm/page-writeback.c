/*
 * mm/page-writeback.c - dirty pages and their way back to the store:
 * set_page_dirty and the accounting per node and per device
 * (mm/backing-dev.h), the writeback state of a page, do_writepages,
 * fsync's write-and-wait, each device's list of dirty mappings that its
 * flusher (mm/writeback_kthread.c) works through, the dirty limits, and
 * balance_dirty_pages: the loop a writer runs after dirtying, which only
 * ever sleeps (the control law is mm/backing-dev.c).
 * docs/mm/writeback.md.
 */
#include "kernel/lib/list.h"
#include "kernel/printk.h"
#include "kernel/sysctl.h"
#include "kernel/thread.h"
#include "kernel/time.h"
#include "kernel/wait.h"
#include "mm/backing-dev.h"
#include "mm/filemap.h"
#include "mm/lru.h"
#include "mm/page_alloc.h"
#include "mm/rmap.h"
#include "mm/vmscan.h"
#include "mm/vmstat.h"

/* Linux's dirty_writeback_centisecs and dirty_expire_centisecs, in ms. */
unsigned int dirty_writeback_ms = 5000;
unsigned int dirty_expire_ms = 30000;

/*
 * Each device's mappings with dirty pages, oldest first, on its wb's
 * b_dirty under wb->list_lock. A mapping joins at its first dirty page
 * (dirtied_when = then) and leaves when a writeback pass finds it
 * clean, or when its inode goes. A pass writes a mapping without the
 * lock held, counting itself in mapping->wb_passes (the flusher and a
 * sync may both be at work): mapping_forget_dirty waits for that to
 * drop to 0, so the mapping outlives every pass using it.
 */
static DECLARE_WAIT_QUEUE_HEAD(wb_idle);

void (*wb_wakeup_hook)(struct bdi_writeback *wb, unsigned int work);

static unsigned long now_ms(void)
{
	return (unsigned long)(clock_ns() / 1000000);
}

int filemap_check_errors(struct address_space *mapping)
{
	unsigned long old = __atomic_fetch_and(&mapping->flags,
			~((1UL << AS_EIO) | (1UL << AS_ENOSPC)), __ATOMIC_RELAXED);

	if (old & (1UL << AS_ENOSPC))
		return -ENOSPC;
	if (old & (1UL << AS_EIO))
		return -EIO;
	return 0;
}

/* ---------------------------------------------------------- page state */

static void mapping_mark_dirty(struct address_space *mapping)
{
	struct bdi_writeback *wb = mapping->wb;
	unsigned long flags;
	bool was_idle = false;

	spin_lock_irqsave(&wb->list_lock, flags);
	if (list_empty(&mapping->dirty_link)) {
		mapping->dirtied_when = now_ms();
		was_idle = list_empty(&wb->b_dirty);
		list_add_tail(&mapping->dirty_link, &wb->b_dirty);
	}
	spin_unlock_irqrestore(&wb->list_lock, flags);
	if (was_idle)
		wb_bandwidth_estimate_start(wb, now_ms());
}

/*
 * A page of mapping became dirty: the node's and the device's counts,
 * and the dirtier's (balance_dirty_pages reads how many it dirtied).
 */
static void account_page_dirtied(struct page *page,
				 struct address_space *mapping)
{
	struct dirty_throttle_task *t = &arch_current()->dirty;

	mod_node_page_state(page_pgdat(page), NR_FILE_DIRTY, 1);
	mod_node_page_state(page_pgdat(page), NR_DIRTIED, 1);
	wb_stat_mod(mapping->wb, WB_RECLAIMABLE, 1);
	wb_stat_mod(mapping->wb, WB_DIRTIED, 1);
	t->nr_dirtied++;
	t->total_dirtied++;
}

static void account_page_cleaned(struct page *page,
				 struct address_space *mapping)
{
	mod_node_page_state(page_pgdat(page), NR_FILE_DIRTY, -1);
	wb_stat_mod(mapping->wb, WB_RECLAIMABLE, -1);
}

bool set_page_dirty(struct page *page)
{
	struct address_space *mapping = page_mapping(page);
	unsigned long flags;

	if (TestSetPageDirty(page))
		return false;
	/* Anonymous, no longer in a file, or shared anonymous memory (the
	 * flag alone: swap-out always writes, Linux's noop_dirty_folio). */
	if (!mapping || PageSwapBacked(page))
		return true;
	spin_lock_irqsave(&mapping->i_pages_lock, flags);
	if (page->mapping == mapping) {
		xa_set_mark(&mapping->i_pages, page->index, PAGECACHE_TAG_DIRTY);
		account_page_dirtied(page, mapping);
	}
	spin_unlock_irqrestore(&mapping->i_pages_lock, flags);
	mapping_mark_dirty(mapping);
	return true;
}

/* Cancel page's dirty state without writing it (truncate): the page is
 * locked and about to leave the cache. */
void cancel_dirty_page(struct page *page)
{
	struct address_space *mapping = page->mapping;
	unsigned long flags;

	if (!TestClearPageDirty(page))
		return;
	spin_lock_irqsave(&mapping->i_pages_lock, flags);
	xa_clear_mark(&mapping->i_pages, page->index, PAGECACHE_TAG_DIRTY);
	xa_clear_mark(&mapping->i_pages, page->index, PAGECACHE_TAG_TOWRITE);
	account_page_cleaned(page, mapping);
	spin_unlock_irqrestore(&mapping->i_pages_lock, flags);
}

bool clear_page_dirty_for_io(struct page *page)
{
	struct address_space *mapping = page->mapping;
	unsigned long flags;

	/* An anonymous page going to swap: its PTEs are gone already
	 * (try_to_unmap), and nothing counts it as dirty. */
	if (PageSwapBacked(page) && !page_mapping(page))
		return TestClearPageDirty(page);

	/*
	 * Write-protect the shared mappings first: a store after this
	 * faults, and page_mkwrite dirties the page again, so data written
	 * during the I/O is never lost. A PTE found dirty moves its bit to
	 * the page.
	 */
	if (page_mapped(page) && page_mkclean(page))
		set_page_dirty(page);
	if (!TestClearPageDirty(page))
		return false;
	/*
	 * The mark goes only if the page is still clean, looked at under
	 * the lock: set_page_dirty() on another CPU (a store through
	 * access_remote_vm, a write fault) may have set PG_dirty again since
	 * the line above, and its mark, set under this lock, may already be
	 * in place. Clearing it regardless left a dirty page without its
	 * mark, which no sync looks for: a store lost
	 * (vm_smp.set_dirty_beside_clear_keeps_the_mark). Linux clears the
	 * mark under the same check, in __folio_start_writeback().
	 */
	spin_lock_irqsave(&mapping->i_pages_lock, flags);
	if (!PageDirty(page))
		xa_clear_mark(&mapping->i_pages, page->index, PAGECACHE_TAG_DIRTY);
	account_page_cleaned(page, mapping);
	spin_unlock_irqrestore(&mapping->i_pages_lock, flags);
	return true;
}

void set_page_writeback(struct page *page)
{
	/* NULL for a swap cache page (anonymous): no index to tag, no
	 * device writeback state; NR_WRITEBACK counts it all the same. */
	struct address_space *mapping = page_mapping(page);
	unsigned long flags;

	if (TestSetPageWriteback(page)) {
		pr_warn("filemap: page %lu of %s already under writeback\n",
			page->index, mapping && mapping->name ? mapping->name :
			"?");
		return;
	}
	mod_node_page_state(page_pgdat(page), NR_WRITEBACK, 1);
	count_vm_events(PGPGOUT, PAGE_SIZE / 1024);
	if (!mapping)
		return;
	spin_lock_irqsave(&mapping->i_pages_lock, flags);
	xa_set_mark(&mapping->i_pages, page->index, PAGECACHE_TAG_WRITEBACK);
	xa_clear_mark(&mapping->i_pages, page->index, PAGECACHE_TAG_TOWRITE);
	spin_unlock_irqrestore(&mapping->i_pages_lock, flags);
	/* The first page in flight on an idle device: the stall clock
	 * (wb_stalled) starts now, not at its last completion long ago. */
	if (!__atomic_fetch_add(&mapping->wb->stat[WB_WRITEBACK], 1,
				__ATOMIC_RELAXED))
		WRITE_ONCE(mapping->wb->last_completion, now_ms());
}

/*
 * Runs in the I/O completion (an interrupt): takes only spinlocks with
 * interrupts off, never sleeps. Everything that touches the page is
 * done while PG_writeback is still set, because a truncate waiting for
 * it may free the page the moment the bit clears.
 */
void end_page_writeback(struct page *page)
{
	struct address_space *mapping = page_mapping(page);
	pg_data_t *pgdat = page_pgdat(page);
	void (*wake)(pg_data_t *pgdat);
	unsigned long flags;

	if (!PageWriteback(page)) {
		pr_warn("filemap: end_page_writeback on a page not under "
			"writeback\n");
		return;
	}
	/* PG_reclaim: reclaim met the page under writeback and wants it
	 * freed soon: to the inactive list's tail, where it looks next. */
	if (TestClearPageReclaim(page))
		rotate_reclaimable_page(page);
	if (mapping) {
		spin_lock_irqsave(&mapping->i_pages_lock, flags);
		xa_clear_mark(&mapping->i_pages, page->index,
			      PAGECACHE_TAG_WRITEBACK);
		spin_unlock_irqrestore(&mapping->i_pages_lock, flags);
	}
	mod_node_page_state(pgdat, NR_WRITEBACK, -1);
	mod_node_page_state(pgdat, NR_WRITTEN, 1);
	if (mapping) {
		/* The device's bandwidth and share of the limit grow. */
		wb_stat_mod(mapping->wb, WB_WRITEBACK, -1);
		wb_stat_mod(mapping->wb, WB_WRITTEN, 1);
		wb_writeout_inc(mapping->wb, now_ms());
	}
	ClearPageWriteback(page);
	wake_up_page(page, PG_writeback);	/* hashes the address only */
	/* Direct reclaimers throttled on writeback may go on (vmscan). */
	wake = READ_ONCE(reclaim_wake_throttled_hook);
	if (wake)
		wake(pgdat);
}

/* ------------------------------------------------------- do_writepages */

/* Mark every dirty page of [start, end] TOWRITE: a WB_SYNC_ALL pass then
 * writes those and only those, so it ends while others keep dirtying. */
static void tag_pages_for_writeback(struct address_space *mapping,
				    pgoff_t start, pgoff_t end)
{
	unsigned long flags, index = start;
	void *entry;

	spin_lock_irqsave(&mapping->i_pages_lock, flags);
	for (entry = xa_find(&mapping->i_pages, &index, end,
			     PAGECACHE_TAG_DIRTY);
	     entry; entry = xa_find_after(&mapping->i_pages, &index, end,
					  PAGECACHE_TAG_DIRTY))
		xa_set_mark(&mapping->i_pages, index, PAGECACHE_TAG_TOWRITE);
	spin_unlock_irqrestore(&mapping->i_pages_lock, flags);
}

/* The next page at index >= *index (<= end) with mark, referenced. */
static struct page *next_marked_page(struct address_space *mapping,
				     pgoff_t *index, pgoff_t end, xa_mark_t mark)
{
	unsigned long flags, i = *index;
	struct page *page;

	spin_lock_irqsave(&mapping->i_pages_lock, flags);
	page = xa_find(&mapping->i_pages, &i, end, mark);
	if (page)
		get_page(page);
	spin_unlock_irqrestore(&mapping->i_pages_lock, flags);
	*index = i;
	return page;
}

static void clear_towrite(struct address_space *mapping, pgoff_t index)
{
	unsigned long flags;

	spin_lock_irqsave(&mapping->i_pages_lock, flags);
	xa_clear_mark(&mapping->i_pages, index, PAGECACHE_TAG_TOWRITE);
	spin_unlock_irqrestore(&mapping->i_pages_lock, flags);
}

/*
 * Write the dirty pages of [start, end]: 0 or the first error. Stops
 * early (WB_SYNC_NONE) when wbc->nr_to_write runs out; *next is the
 * index after the last page looked at.
 */
static int write_cache_range(struct address_space *mapping,
			     struct writeback_control *wbc,
			     pgoff_t start, pgoff_t end, pgoff_t *next,
			     writepage_t fn, void *data)
{
	bool sync = wbc->sync_mode == WB_SYNC_ALL;
	xa_mark_t tag = sync ? PAGECACHE_TAG_TOWRITE : PAGECACHE_TAG_DIRTY;
	pgoff_t index = start;
	int ret = 0;

	if (sync)
		tag_pages_for_writeback(mapping, start, end);
	while (index <= end) {
		struct page *page = next_marked_page(mapping, &index, end, tag);
		int err;

		if (!page)
			break;
		*next = index + 1;
		lock_page(page);
		if (page->mapping != mapping || !PageDirty(page)) {
			/* Truncated, or written by someone else meanwhile. */
			if (page->mapping == mapping)
				clear_towrite(mapping, index);
			goto skip;
		}
		if (PageWriteback(page)) {
			if (!sync) {
				wbc->pages_skipped++;
				goto skip;
			}
			wait_on_page_writeback(page);
		}
		if (!clear_page_dirty_for_io(page)) {
			clear_towrite(mapping, index);
			goto skip;
		}
		err = fn(page, wbc, data);
		if (err) {
			/* Not started: still locked; dirty again, try later. */
			clear_towrite(mapping, index);
			set_page_dirty(page);
			unlock_page_wake(page);
			if (!ret)
				ret = err;
		}
		put_page(page);
		index++;
		if (!err && --wbc->nr_to_write <= 0 && !sync)
			return ret;
		continue;
skip:
		unlock_page_wake(page);
		put_page(page);
		index++;
	}
	*next = index;
	return ret;
}

int write_cache_pages(struct address_space *mapping,
		      struct writeback_control *wbc, writepage_t fn, void *data)
{
	pgoff_t start = (pgoff_t)(wbc->range_start >> PAGE_SHIFT);
	pgoff_t end = (pgoff_t)(wbc->range_end >> PAGE_SHIFT);
	pgoff_t next = start;
	bool cyclic = wbc->sync_mode == WB_SYNC_NONE && wbc->range_start == 0 &&
		      (unsigned long long)wbc->range_end >= (~0ULL >> 1);
	int ret;

	if (!cyclic)
		return write_cache_range(mapping, wbc, start, end, &next, fn,
					 data);
	/* Cyclic: from where the last pass stopped to the end, then wrap
	 * around, so a small nr_to_write does not write the head only. */
	start = mapping->writeback_index;
	ret = write_cache_range(mapping, wbc, start, ~0UL, &next, fn, data);
	if (wbc->nr_to_write > 0 && start > 0) {
		int err = write_cache_range(mapping, wbc, 0, start - 1, &next,
					    fn, data);

		if (!ret)
			ret = err;
	}
	mapping->writeback_index = wbc->nr_to_write > 0 ? 0 : next;
	return ret;
}

static int call_writepage(struct page *page, struct writeback_control *wbc,
			  void *data)
{
	return ((struct address_space *)data)->a_ops->writepage(page, wbc);
}

int do_writepages(struct address_space *mapping,
		  struct writeback_control *wbc)
{
	if (!mapping->a_ops)
		return 0;
	if (mapping->a_ops->writepages)
		return mapping->a_ops->writepages(mapping, wbc);
	if (!mapping->a_ops->writepage)
		return 0;
	return write_cache_pages(mapping, wbc, call_writepage, mapping);
}

int filemap_fdatawait_range(struct address_space *mapping, loff_t start,
			    loff_t end)
{
	pgoff_t index = (pgoff_t)(start >> PAGE_SHIFT);
	pgoff_t last = (pgoff_t)(end >> PAGE_SHIFT);
	struct page *page;

	while (index <= last &&
	       (page = next_marked_page(mapping, &index, last,
					PAGECACHE_TAG_WRITEBACK))) {
		wait_on_page_writeback(page);
		put_page(page);
		if (index++ == last)
			break;
	}
	return filemap_check_errors(mapping);
}

int filemap_write_and_wait_range(struct address_space *mapping,
				 loff_t start, loff_t end)
{
	struct writeback_control wbc = {
		.nr_to_write = (long)(~0UL >> 1),
		.range_start = start,
		.range_end = end,
		.sync_mode = WB_SYNC_ALL,
	};
	int err = do_writepages(mapping, &wbc);
	int err2 = filemap_fdatawait_range(mapping, start, end);

	return err ? err : err2;
}

/* ------------------------------------------------ the dirty mapping list */

static bool mapping_has_dirty(struct address_space *mapping)
{
	unsigned long flags;
	bool dirty;

	spin_lock_irqsave(&mapping->i_pages_lock, flags);
	dirty = xa_marked(&mapping->i_pages, PAGECACHE_TAG_DIRTY);
	spin_unlock_irqrestore(&mapping->i_pages_lock, flags);
	return dirty;
}

/*
 * How much of one mapping a WB_SYNC_NONE pass writes before moving on to
 * the next: half a second of the device's bandwidth, at least 4 MiB
 * (Linux's writeback_chunk_size and MIN_WRITEBACK_PAGES). Large enough
 * for long sequential runs on the disk, small enough that every dirty
 * file gets its turn often.
 */
#define MIN_WRITEBACK_PAGES	(4096UL * 1024 / PAGE_SIZE)

unsigned long wb_writeback_chunk(const struct bdi_writeback *wb)
{
	unsigned long pages = wb->avg_write_bandwidth / 2;

	if (pages < MIN_WRITEBACK_PAGES)
		return MIN_WRITEBACK_PAGES;
	return pages - pages % MIN_WRITEBACK_PAGES;
}

/*
 * Write back wb's mappings dirtied at or before `older_than` (ms; ~0:
 * all), oldest first, up to nr_pages (0: no limit). WB_SYNC_NONE writes
 * at most a chunk of each mapping, then the next one's (fair between
 * files); a mapping still dirty goes back to the list's tail, keeping its
 * dirtied_when unless it was written clean meanwhile. WB_SYNC_ALL writes
 * and waits for all of each. Pages written.
 */
unsigned long wb_writeback(struct bdi_writeback *wb, unsigned long older_than,
			   unsigned long nr_pages,
			   enum writeback_sync_modes mode)
{
	struct list_head io, *pos, *next;
	unsigned long flags, written = 0;
	unsigned long chunk = wb_writeback_chunk(wb);
	struct address_space *mapping;

	/* This pass's work: what is on the list now (later dirtiers wait
	 * for the next pass, so a busy writer cannot keep us here). */
	INIT_LIST_HEAD(&io);
	spin_lock_irqsave(&wb->list_lock, flags);
	for (pos = wb->b_dirty.next; pos != &wb->b_dirty; pos = next) {
		next = pos->next;
		mapping = list_entry(pos, struct address_space, dirty_link);
		if (mapping->dirtied_when <= older_than)
			list_move_tail(pos, &io);
	}
	while (!list_empty(&io)) {
		long budget = nr_pages ? (long)(nr_pages - written) :
				(long)(~0UL >> 1);
		struct writeback_control wbc = {
			.nr_to_write = mode == WB_SYNC_NONE ?
				       min(budget, (long)chunk) : budget,
			.range_end = (loff_t)(~0ULL >> 1),
			.sync_mode = mode,
			.for_background = mode == WB_SYNC_NONE,
		};
		unsigned long dirtied_when;
		long before = wbc.nr_to_write;

		mapping = list_first_entry(&io, struct address_space,
					   dirty_link);
		list_del_init(&mapping->dirty_link);
		dirtied_when = mapping->dirtied_when;
		mapping->wb_passes++;
		spin_unlock_irqrestore(&wb->list_lock, flags);

		do_writepages(mapping, &wbc);
		if (mode == WB_SYNC_ALL)
			filemap_fdatawait_range(mapping, 0,
						(loff_t)(~0ULL >> 1));
		written += (unsigned long)(before - wbc.nr_to_write);

		spin_lock_irqsave(&wb->list_lock, flags);
		mapping->wb_passes--;
		if (mapping_has_dirty(mapping) &&
		    list_empty(&mapping->dirty_link)) {
			mapping->dirtied_when = dirtied_when;
			list_add_tail(&mapping->dirty_link, &wb->b_dirty);
		}
		wake_up(&wb_idle);
		if (nr_pages && written >= nr_pages)
			break;
	}
	/* Left over (the page budget ran out): back to the head, oldest. */
	while (!list_empty(&io))
		list_move(io.prev, &wb->b_dirty);
	spin_unlock_irqrestore(&wb->list_lock, flags);
	return written;
}

struct wb_all_args {
	unsigned long older_than, nr_pages, written;
	enum writeback_sync_modes mode;
};

static void writeback_one_bdi(struct backing_dev_info *bdi, void *arg)
{
	struct wb_all_args *a = arg;

	if (a->nr_pages && a->written >= a->nr_pages)
		return;
	a->written += wb_writeback(&bdi->wb, a->older_than,
				   a->nr_pages ? a->nr_pages - a->written : 0,
				   a->mode);
}

/* Every device's, one after the other (sync, the tests). */
unsigned long writeback_mappings_older_than(unsigned long older_than,
					    unsigned long nr_pages,
					    enum writeback_sync_modes mode)
{
	struct wb_all_args a = { .older_than = older_than,
				 .nr_pages = nr_pages, .mode = mode };

	bdi_for_each(writeback_one_bdi, &a);
	return a.written;
}

unsigned long writeback_dirty_mappings(unsigned long nr_pages,
				       enum writeback_sync_modes mode)
{
	return writeback_mappings_older_than(~0UL, nr_pages, mode);
}

/* The mappings dirtied more than dirty_expire_ms ago: the periodic pass
 * (Linux's wb_check_old_data_flush). */
unsigned long wb_writeback_expired(struct bdi_writeback *wb)
{
	unsigned long now = now_ms();

	if (now < dirty_expire_ms)
		return 0;
	return wb_writeback(wb, now - dirty_expire_ms, 0, WB_SYNC_NONE);
}

static void expire_one_bdi(struct backing_dev_info *bdi, void *arg)
{
	*(unsigned long *)arg += wb_writeback_expired(&bdi->wb);
}

unsigned long writeback_expired_mappings(void)
{
	unsigned long written = 0;

	bdi_for_each(expire_one_bdi, &written);
	return written;
}

void mapping_forget_dirty(struct address_space *mapping)
{
	struct bdi_writeback *wb = mapping->wb;
	unsigned long flags;

	spin_lock_irqsave(&wb->list_lock, flags);
	list_del_init(&mapping->dirty_link);
	while (mapping->wb_passes) {
		spin_unlock_irqrestore(&wb->list_lock, flags);
		wait_event(wb_idle, !READ_ONCE(mapping->wb_passes));
		spin_lock_irqsave(&wb->list_lock, flags);
		/* The pass may have put it back on the list. */
		list_del_init(&mapping->dirty_link);
	}
	spin_unlock_irqrestore(&wb->list_lock, flags);
}

/* ------------------------------------------------------ the dirty limits */

/*
 * The exact count (the shared counter lags by up to stat_threshold pages
 * a CPU, which is most of a small limit): a look costs a sum over the
 * CPUs, once every nr_dirtied_pause pages.
 */
static unsigned long dirty_pages_now(enum node_stat_item item)
{
	return node_page_state_snapshot(&contig_page_data, item);
}

unsigned int dirty_ratio = 20;
unsigned int dirty_background_ratio = 10;
unsigned long dirty_bytes;		/* 0: dirty_ratio applies */
unsigned long dirty_background_bytes;	/* 0: dirty_background_ratio applies */

unsigned long global_dirtyable_memory(void)
{
	unsigned long free = 0;
	struct zone *zone;

	for_each_populated_zone_in(zone, &contig_page_data) {
		unsigned long f = READ_ONCE(zone->free_pages);
		unsigned long high = high_wmark_pages(zone);

		free += f > high ? f - high : 0;
	}
	return free + global_node_page_state(NR_INACTIVE_FILE) +
	       global_node_page_state(NR_ACTIVE_FILE);
}

/* Linux's domain_dirty_limits for the global domain, without the boost
 * it gives real-time tasks. */
void dirty_limits_for(unsigned long dirtyable, unsigned long *background,
		      unsigned long *limit)
{
	unsigned long bytes = READ_ONCE(dirty_bytes);
	unsigned long bg_bytes = READ_ONCE(dirty_background_bytes);
	unsigned long thresh, bg;

	if (bytes)
		thresh = DIV_ROUND_UP(bytes, PAGE_SIZE);
	else
		thresh = dirtyable * READ_ONCE(dirty_ratio) / 100;
	if (bg_bytes)
		bg = DIV_ROUND_UP(bg_bytes, PAGE_SIZE);
	else
		bg = dirtyable * READ_ONCE(dirty_background_ratio) / 100;
	/* Background writeback must start before writers are throttled. */
	if (bg >= thresh)
		bg = thresh / 2;
	*background = bg;
	*limit = thresh;
}

void global_dirty_limits(unsigned long *background, unsigned long *limit)
{
	dirty_limits_for(global_dirtyable_memory(), background, limit);
}

/*
 * Does wb's flusher have background work: dirty (not yet under
 * writeback) pages over the background threshold, globally or of this
 * device's share? (Linux's wb_over_bg_thresh.)
 *
 * Our departure: over the global threshold, a device still under its
 * own share of it has work only once it has MIN_WRITEBACK_PAGES (4 MiB)
 * dirty. Linux's flusher writes whatever its device has as soon as the
 * global pool is over, and a fast disk written beside a slow one (whose
 * pages keep the pool over the threshold) had its flusher woken for
 * every few hundred pages: 339 passes for 256 MiB where 4 did alone,
 * each a wake-up and an inode walk (issue 15's fast disk beside the
 * slow one; with this rule, three runs each, the fast dd went from 95,
 * 108, 111 to 131, 141, 161 MiB/s). The pool still comes down: the
 * devices' shares add up to the threshold, so while the pool is over it
 * some device is over its share, and that one is written as before.
 * The writers wake their flusher by the same rule (balance_dirty_pages).
 */
bool bg_writeback_due(unsigned long dirty, unsigned long bg,
		      unsigned long reclaimable, unsigned long wb_bg,
		      unsigned long min_batch)
{
	if (!reclaimable)
		return false;
	if (reclaimable > wb_bg)
		return true;
	return dirty > bg && reclaimable >= min_batch;
}

/* The same with the dirty state measured already (dirty: NR_FILE_DIRTY;
 * bg, thresh: the limits), as the writers' look has it. */
static bool wb_bg_work(struct bdi_writeback *wb, unsigned long dirty,
		       unsigned long bg, unsigned long thresh)
{
	unsigned long reclaimable = wb_stat(wb, WB_RECLAIMABLE);
	unsigned long wb_bg;

	if (!reclaimable)
		return false;
	wb_bg = thresh ? wb_calc_thresh(wb, thresh, now_ms()) * bg / thresh : 0;
	return bg_writeback_due(dirty, bg, reclaimable, wb_bg,
				MIN_WRITEBACK_PAGES);
}

bool wb_over_bg_thresh(struct bdi_writeback *wb)
{
	unsigned long bg, thresh;

	if (!wb_stat(wb, WB_RECLAIMABLE))
		return false;
	global_dirty_limits(&bg, &thresh);
	return wb_bg_work(wb, dirty_pages_now(NR_FILE_DIRTY), bg, thresh);
}

/*
 * Our departure (docs/mm/writeback.md): a device with a chunk of dirty
 * pages and less than half a chunk in flight is written now, below the
 * background threshold too. Linux waits for the threshold (10% of
 * memory: some 50 MB on the benchmark machine, 6 s of an 8 MiB/s disk
 * left idle); a stream that ends with sync then finishes that much
 * later. The price: a file deleted soon after writing is written for
 * nothing, if it was larger than a chunk (4 MiB); smaller ones wait for
 * the threshold as in Linux. A device never measured yet uses the
 * smallest chunk: its 100 MiB/s guess would make the chunk 50 MiB, and
 * the benchmark's 8 MiB/s disk sat idle for the first 0.7 s (the
 * background threshold came first), which the rate including the final
 * sync pays for.
 */
bool wb_keep_busy(struct bdi_writeback *wb)
{
	unsigned long chunk = READ_ONCE(wb->bw_history) ?
			      wb_writeback_chunk(wb) : MIN_WRITEBACK_PAGES;

	return wb_stat(wb, WB_RECLAIMABLE) >= chunk &&
	       wb_stat(wb, WB_WRITEBACK) < chunk / 2;
}

/* ------------------------------------------------- balance_dirty_pages */

bool (*dirty_pause_hook)(struct bdi_writeback *wb, unsigned long ms);

void wb_start_background_writeback(struct bdi_writeback *wb)
{
	void (*hook)(struct bdi_writeback *wb, unsigned int work);

	if (__atomic_load_n(&wb->work, __ATOMIC_RELAXED) &
	    (1UL << WB_WORK_BACKGROUND))
		return;		/* asked already */
	hook = READ_ONCE(wb_wakeup_hook);
	if (hook)
		hook(wb, WB_WORK_BACKGROUND);
}

/*
 * The writer's loop (IO-less): take a look at the dirty state, let the
 * control law (balance_dirty_pages_step, mm/backing-dev.c) decide a
 * pause, sleep it. It loops only while the law says the device is at
 * its hard limit (task_ratelimit 0); a fatal signal ends it at once:
 * -EINTR, so the write(2) under it stops too (0 otherwise).
 */
static int balance_dirty_pages(struct bdi_writeback *wb,
			       struct dirty_throttle_task *t)
{
	struct thread *me = arch_current();

	for (;;) {
		struct dirty_throttle_control dtc = { 0 };
		struct bdp_decision d;
		unsigned long nr_reclaimable;
		bool (*pause)(struct bdi_writeback *wb, unsigned long ms);

		uint64_t now = now_ms();
		unsigned long stalled = wb_stalled(wb, now) ? 0 :
					dirty_stalled_elsewhere(wb, now);

		nr_reclaimable = dirty_pages_now(NR_FILE_DIRTY);
		dtc.avail = global_dirtyable_memory();
		dtc.dirty = nr_reclaimable + dirty_pages_now(NR_WRITEBACK);
		/* Another device that stopped completing writes is left out
		 * (mm/backing-dev.h, WB_STALL_MS): its pages cannot move, so
		 * they count neither as dirty nor as dirtyable here. */
		dtc.avail -= min(stalled, dtc.avail);
		dtc.dirty -= min(stalled, dtc.dirty);
		dirty_limits_for(dtc.avail, &dtc.bg_thresh, &dtc.thresh);
		if (wb_bg_work(wb, nr_reclaimable, dtc.bg_thresh, dtc.thresh) ||
		    wb_keep_busy(wb))
			wb_start_background_writeback(wb);
		__atomic_fetch_add(&wb->nr_looks, 1, __ATOMIC_RELAXED);
		balance_dirty_pages_step(wb, t, &dtc, now, me->id, &d);
		if (d.throttled)
			wb_start_background_writeback(wb);
		pause = READ_ONCE(dirty_pause_hook);
		if (d.pause_ms <= 0 || !pause)
			return 0;	/* no sleep, or nothing to sleep with
					 * (the host build) */
		if (!pause(wb, (unsigned long)d.pause_ms))
			return -EINTR;	/* a fatal signal */
		if (!d.again)
			return 0;
	}
}

/*
 * The tunables at the console, /proc/sys/vm's names (kernel/sysctl.h).
 * A ratio and its _bytes exclude each other, as in Linux: writing one sets
 * the other to 0, and 0 bytes means "use the ratio". The handlers write
 * the new value's partner after it is stored, so a reader never finds
 * both 0. Linux's dirty_ratio_handler and dirty_bytes_handler only do so
 * when the value changed; the background ones always; so here.
 */
static void dirty_ratio_handler(const struct ctl_table *t, unsigned long old)
{
	if (READ_ONCE(dirty_ratio) != old)
		WRITE_ONCE(dirty_bytes, 0);
	writeback_set_ratelimit();
}

static void dirty_bytes_handler(const struct ctl_table *t, unsigned long old)
{
	if (READ_ONCE(dirty_bytes) != old)
		WRITE_ONCE(dirty_ratio, 0);
	writeback_set_ratelimit();
}

static void dirty_background_ratio_handler(const struct ctl_table *t,
					   unsigned long old)
{
	WRITE_ONCE(dirty_background_bytes, 0);
	writeback_set_ratelimit();
}

static void dirty_background_bytes_handler(const struct ctl_table *t,
					   unsigned long old)
{
	WRITE_ONCE(dirty_background_ratio, 0);
	writeback_set_ratelimit();
}

/* Linux's ranges, but vm.dirty_writeback_centisecs: Linux takes 0 as "no
 * periodic writeback"; our flusher (mm/writeback_kthread.c) would wake
 * without pause, so 0 is refused. The centisecs are kept in ms. */
static const struct ctl_table vm_page_writeback_sysctls[] = {
	{ .procname = "vm.dirty_background_ratio",
	  .data = &dirty_background_ratio, .type = CTL_UINT,
	  .min = 0, .max = 100,
	  .unit = "% of dirtyable memory where the flusher starts",
	  .handler = dirty_background_ratio_handler },
	{ .procname = "vm.dirty_background_bytes",
	  .data = &dirty_background_bytes, .type = CTL_ULONG,
	  .min = 1, .max = ~0UL,
	  .unit = "bytes, instead of vm.dirty_background_ratio",
	  .handler = dirty_background_bytes_handler },
	{ .procname = "vm.dirty_ratio",
	  .data = &dirty_ratio, .type = CTL_UINT,
	  .min = 0, .max = 100,
	  .unit = "% of dirtyable memory where writers wait",
	  .handler = dirty_ratio_handler },
	{ .procname = "vm.dirty_bytes",
	  .data = &dirty_bytes, .type = CTL_ULONG,
	  .min = 2 * PAGE_SIZE, .max = ~0UL,
	  .unit = "bytes, instead of vm.dirty_ratio",
	  .handler = dirty_bytes_handler },
	{ .procname = "vm.dirty_writeback_centisecs",
	  .data = &dirty_writeback_ms, .type = CTL_UINT, .scale = 10,
	  .min = 1, .max = ~0U / 10,
	  .unit = "1/100 s between the flusher's periodic passes" },
	{ .procname = "vm.dirty_expire_centisecs",
	  .data = &dirty_expire_ms, .type = CTL_UINT, .scale = 10,
	  .min = 0, .max = ~0U / 10,
	  .unit = "1/100 s dirty before the periodic pass writes it" },
	/* Ours, not Linux's (docs/mm/writeback.md, "Departures"). */
	{ .procname = "vm.dirty_pos_linear",
	  .data = &dirty_pos_linear, .type = CTL_UINT,
	  .min = 0, .max = 100,
	  .unit = "% of the position curve that is linear (0: Linux's cube)" },
};
REGISTER_SYSCTL_TABLE(vm_page_writeback_sysctls);

/*
 * The most pages any writer dirties between two looks (Linux's
 * ratelimit_pages): 1/64 of the threshold, at least 16. A writer's own
 * nr_dirtied_pause was sized for the limits of its last look; when the
 * limits fall (a sysctl), this makes it look again soon. Kept by
 * writeback_set_ratelimit(), which the tunables' handlers call.
 */
static int ratelimit_pages = 1024;

void writeback_set_ratelimit(void)
{
	unsigned long bg, thresh;

	global_dirty_limits(&bg, &thresh);
	WRITE_ONCE(ratelimit_pages, (int)max(min(thresh / 64, 1UL << 20), 16UL));
}

int balance_dirty_pages_ratelimited(struct address_space *mapping)
{
	struct dirty_throttle_task *t = &arch_current()->dirty;
	struct bdi_writeback *wb = mapping->wb;
	int ratelimit = t->nr_dirtied_pause ? t->nr_dirtied_pause :
			DIRTY_POLL_THRESH;

	ratelimit = min(ratelimit, READ_ONCE(ratelimit_pages));
	/* Over its limit: look every 32 KiB, so no writer overshoots. */
	if (wb->dirty_exceeded)
		ratelimit = min(ratelimit, 8);
	if (t->nr_dirtied >= ratelimit)
		return balance_dirty_pages(wb, t);
	return 0;
}

static void wake_one_flusher(struct backing_dev_info *bdi, void *arg)
{
	void (*hook)(struct bdi_writeback *wb, unsigned int work);

	(void)arg;
	hook = READ_ONCE(wb_wakeup_hook);
	if (hook)
		hook(&bdi->wb, WB_WORK_ALL);
}

void wakeup_flusher_threads(void)
{
	bdi_for_each(wake_one_flusher, NULL);
}

/*
 * One round of a flusher's work (the thread, mm/writeback_kthread.c,
 * calls it when woken or every dirty_writeback_ms): what was asked
 * (everything: sync, reclaim), background writeback in chunks while
 * dirty memory is over the background threshold (the bandwidth
 * estimate is updated between chunks), then the periodic pass of what
 * expired. Pages written.
 */
unsigned long wb_do_writeback(struct bdi_writeback *wb)
{
	unsigned long work = __atomic_exchange_n(&wb->work, 0,
						 __ATOMIC_ACQ_REL);
	unsigned long written = 0, n;
	uint64_t now;

	WRITE_ONCE(wb->flushing, true);
	if (work & (1UL << WB_WORK_ALL))
		written += wb_writeback(wb, ~0UL, 0, WB_SYNC_NONE);
	if ((work & (1UL << WB_WORK_BACKGROUND)) || wb_over_bg_thresh(wb) ||
	    wb_keep_busy(wb)) {
		wb->nr_background++;
		while (wb_over_bg_thresh(wb) || wb_keep_busy(wb)) {
			/* Oldest first, a chunk at a time, only what was
			 * dirty when the pass began (no livelock). */
			n = wb_writeback(wb, now_ms(), wb_writeback_chunk(wb),
					 WB_SYNC_NONE);
			wb_update_bandwidth(wb, NULL, now_ms(), false);
			written += n;
			if (!n)
				break;
		}
	}
	WRITE_ONCE(wb->flushing, false);
	now = now_ms();
	if (now >= wb->last_old_flush + dirty_writeback_ms) {
		wb->last_old_flush = now;
		wb->nr_periodic++;
		written += wb_writeback_expired(wb);
	}
	wb_update_bandwidth(wb, NULL, now_ms(), false);
	return written;
}
