/*
 * tests/suites/vmscan_test.c - reclaim (mm/vmscan.c, mm/workingset.c) on a
 * private node, with a fake file whose store counts the writes asked of
 * it. Pages of the fake file are clean, dirty, under writeback or mapped
 * (a _mapcount no PTE backs, so rmap finds nothing to unmap); reclaim must
 * free exactly the clean unmapped inactive ones, leave a shadow in each
 * slot, never ask the store to write, and mark what it skipped
 * PG_reclaim. Refaults: a page read back within the refault distance goes
 * straight to the active list, one read back from further away does not.
 * Direct reclaim with nothing but dirty pages gives up (returns 0) after
 * waking the flushers, without a write. The fake store writes to a null
 * disk through the block layer, so that DIRECT_RECLAIM_WRITE would see a
 * write reclaim caused; and the counter is shown to count a write issued
 * while the thread is marked as in direct reclaim, and only then.
 */
#include "tests/suites/test_arena.h"
#include "tests/suites/null_blk.h"
#include "kernel/panic.h"
#include "kernel/thread.h"
#include "mm/backing-dev.h"
#include "mm/filemap.h"
#include "mm/lru.h"
#include "mm/slab.h"
#include "mm/vmscan.h"
#include "mm/vmstat.h"
#include "mm/workingset.h"

static struct test_arena arena;
static struct address_space fake;
static unsigned long fake_writes, flusher_wakeups;
static struct kmem_cache *fake_xa_cache;

static int fake_read_folio(struct file *file, struct page *page)
{
	memset(page_address(page), 0x5a, PAGE_SIZE);
	SetPageUptodate(page);
	unlock_page_wake(page);
	return 0;
}

/* The store: a write goes to the null disk through the block layer
 * (which counts it as DIRECT_RECLAIM_WRITE if it came from direct
 * reclaim), completes at once, and is counted. */
static int fake_writepage(struct page *page, struct writeback_control *wbc)
{
	(void)wbc;
	fake_writes++;
	null_blk_write_page(page, 0);
	set_page_writeback(page);
	unlock_page_wake(page);
	end_page_writeback(page);
	return 0;
}

static const struct address_space_operations fake_aops = {
	.read_folio = fake_read_folio,
	.writepage = fake_writepage,
};

static void count_flusher_wakeup(struct bdi_writeback *wb, unsigned int work)
{
	(void)wb;
	(void)work;
	flusher_wakeups++;
}

static bool fake_make(struct kunit *test)
{
	if (!test_arena_make(test, &arena, 0))
		return false;
	address_space_init(&fake, &fake_aops, NULL);
	fake.node = &arena.pgdat;
	/* The index's nodes from the arena too, so all is counted there. */
	fake_xa_cache = xa_node_cache_create(&arena.pgdat);
	if (!fake_xa_cache)
		return false;
	fake.i_pages.node_cache = fake_xa_cache;
	fake.name = "fake:1";
	fake.size = 1L << 30;
	fake_writes = 0;
	return true;
}

/* Pages the node counts as taken off the LRU: 0 once reclaim is done. */
static unsigned long nr_isolated(void)
{
	return node_page_state_snapshot(&arena.pgdat, NR_ISOLATED_FILE) +
	       node_page_state_snapshot(&arena.pgdat, NR_ISOLATED_ANON);
}

static void fake_done(struct kunit *test)
{
	struct lruvec *lruvec = node_lruvec(&arena.pgdat);

	truncate_inode_pages(&fake, 0);
	mapping_forget_dirty(&fake);
	KUNIT_EXPECT_EQ(test, fake.nrpages, 0UL);
	xa_destroy(&fake.i_pages);
	kmem_cache_destroy(fake_xa_cache);
	KUNIT_EXPECT_EQ(test, lruvec_check(lruvec), 0);
	KUNIT_EXPECT_EQ(test, nr_isolated(), 0UL);
	for (int l = 0; l < NR_LRU_LISTS; l++)
		KUNIT_EXPECT_EQ(test, lruvec_lru_size(lruvec, l), 0UL);
	test_arena_done(test, &arena);
}

/* Page index of the fake file, uptodate, on the LRU, unlocked; the
 * reference find_or_create_page gave is dropped (the cache keeps one). */
static struct page *fake_page(struct kunit *test, pgoff_t index)
{
	struct page *page = find_or_create_page(&fake, index, GFP_KERNEL);

	if (!page) {
		KUNIT_FAIL(test, "no page for index %lu", index);
		panic("vmscan_test: arena too small");
	}
	if (!PageUptodate(page))
		SetPageUptodate(page);
	unlock_page_wake(page);
	put_page(page);
	/* On its list now, not in the add batch: these cases are about
	 * the lists (lru_test covers the batch). */
	lru_add_drain_all();
	return page;
}

static struct scan_control full_scan(void)
{
	return (struct scan_control){
		.nr_to_reclaim = ~0UL,
		.gfp_mask = GFP_KERNEL,
		.priority = 0,
		.may_unmap = false,
	};
}

enum kind { CLEAN, DIRTY, WRITEBACK, MAPPED, NR_KINDS };
#define PER_KIND	16

/* Clean unmapped inactive pages go, with shadows; nothing else; no write. */
static void vmscan_frees_clean_only(struct kunit *test)
{
	unsigned long steal0 = global_vm_event(PGSTEAL_FILE);
	unsigned long write0 = global_vm_event(DIRECT_RECLAIM_WRITE);
	struct lruvec *lruvec;
	struct scan_control sc = full_scan();
	struct page *pages[NR_KINDS * PER_KIND];
	unsigned long got;

	KUNIT_ASSERT_TRUE(test, fake_make(test));
	lruvec = node_lruvec(&arena.pgdat);
	for (unsigned int i = 0; i < ARRAY_SIZE(pages); i++) {
		struct page *page = fake_page(test, i);

		pages[i] = page;
		switch (i % NR_KINDS) {
		case DIRTY:
			lock_page(page);
			set_page_dirty(page);
			unlock_page_wake(page);
			break;
		case WRITEBACK:
			set_page_writeback(page);
			break;
		case MAPPED:	/* as if a PTE mapped it */
			__atomic_fetch_add(&page->_mapcount, 1, __ATOMIC_RELAXED);
			break;
		}
	}
	KUNIT_EXPECT_EQ(test, lruvec_lru_size(lruvec, LRU_INACTIVE_FILE),
			(unsigned long)ARRAY_SIZE(pages));

	got = shrink_node(&arena.pgdat, &sc);
	KUNIT_EXPECT_EQ(test, got, (unsigned long)PER_KIND);
	KUNIT_EXPECT_EQ(test, nr_isolated(), 0UL);
	KUNIT_EXPECT_EQ(test, sc.nr_dirty, (unsigned long)PER_KIND);
	KUNIT_EXPECT_EQ(test, sc.nr_writeback, (unsigned long)PER_KIND);
	KUNIT_EXPECT_EQ(test, global_vm_event(PGSTEAL_FILE) - steal0,
			(unsigned long)PER_KIND);
	KUNIT_EXPECT_EQ(test, fake_writes, 0UL);
	KUNIT_EXPECT_EQ(test, global_vm_event(DIRECT_RECLAIM_WRITE), write0);
	KUNIT_EXPECT_EQ(test, fake.nrpages,
			(unsigned long)(NR_KINDS - 1) * PER_KIND);
	KUNIT_EXPECT_EQ(test, fake.nrshadows, (unsigned long)PER_KIND);
	for (unsigned int i = 0; i < ARRAY_SIZE(pages); i++) {
		void *entry = xa_load(&fake.i_pages, i);

		if (i % NR_KINDS == CLEAN) {
			KUNIT_EXPECT_TRUE(test, entry && xa_is_value(entry));
			continue;
		}
		KUNIT_EXPECT_PTR_EQ(test, entry, (void *)pages[i]);
		KUNIT_EXPECT_TRUE(test, PageLRU(pages[i]));
		if (i % NR_KINDS != MAPPED)
			KUNIT_EXPECT_TRUE(test, PageReclaim(pages[i]));
	}
	KUNIT_EXPECT_EQ(test, lruvec_check(lruvec), 0);

	/* Undo the fake states so the file can be truncated. */
	for (unsigned int i = 0; i < ARRAY_SIZE(pages); i++) {
		if (i % NR_KINDS == WRITEBACK)
			end_page_writeback(pages[i]);
		if (i % NR_KINDS == MAPPED)
			page_mapcount_reset(pages[i]);
	}
	fake_done(test);
}

/* Twice-accessed pages are active; used-once pages are reclaimed; the
 * active list is demoted (PG_workingset) when the inactive one is low. */
static void vmscan_activates_and_ages(struct kunit *test)
{
	struct lruvec *lruvec;
	struct scan_control sc = full_scan();
	struct page *hot[8];

	KUNIT_ASSERT_TRUE(test, fake_make(test));
	lruvec = node_lruvec(&arena.pgdat);
	for (unsigned int i = 0; i < 8; i++) {
		hot[i] = fake_page(test, i);
		mark_page_accessed(hot[i]);
		mark_page_accessed(hot[i]);
		KUNIT_EXPECT_TRUE(test, PageActive(hot[i]));
	}
	for (unsigned int i = 8; i < 40; i++)	/* read once each */
		mark_page_accessed(fake_page(test, i));
	KUNIT_EXPECT_EQ(test, lruvec_lru_size(lruvec, LRU_ACTIVE_FILE), 8UL);
	KUNIT_EXPECT_EQ(test, lruvec_lru_size(lruvec, LRU_INACTIVE_FILE), 32UL);

	/* Enough to free the used-once pages, not the active ones. */
	sc.nr_to_reclaim = 32;
	sc.priority = 0;
	KUNIT_EXPECT_EQ(test, shrink_node(&arena.pgdat, &sc), 32UL);
	for (unsigned int i = 0; i < 8; i++)
		KUNIT_EXPECT_PTR_EQ(test, xa_load(&fake.i_pages, i),
				    (void *)hot[i]);
	KUNIT_EXPECT_EQ(test, lruvec_check(lruvec), 0);

	/* Now the inactive list is empty and low: the next pass demotes the
	 * active pages (as working set) before it can free them. */
	sc = full_scan();
	shrink_node(&arena.pgdat, &sc);
	KUNIT_EXPECT_EQ(test, lruvec_lru_size(lruvec, LRU_ACTIVE_FILE), 0UL);
	KUNIT_EXPECT_EQ(test, fake.nrpages, 0UL);
	/* Their shadows remember they were in the working set. */
	KUNIT_EXPECT_EQ(test, xa_to_value(xa_load(&fake.i_pages, 0)) & 1, 1UL);
	KUNIT_EXPECT_EQ(test, xa_to_value(xa_load(&fake.i_pages, 8)) & 1, 0UL);
	fake_done(test);
}

/* Evict one page by a full pass over a file with no active pages. */
static void evict_all(void)
{
	struct scan_control sc = full_scan();

	shrink_node(&arena.pgdat, &sc);
}

/* A refault within the distance goes active; one beyond it does not. */
static void vmscan_refault_distance(struct kunit *test)
{
	unsigned long refault0 = global_vm_event(WORKINGSET_REFAULT_FILE);
	unsigned long activate0 = global_vm_event(WORKINGSET_ACTIVATE_FILE);
	struct lruvec *lruvec;
	struct page *page;

	KUNIT_ASSERT_TRUE(test, fake_make(test));
	lruvec = node_lruvec(&arena.pgdat);
	/* Page 1000 is evicted alone: its shadow records the clock. */
	fake_page(test, 1000);
	evict_all();
	KUNIT_ASSERT_TRUE(test, xa_is_value(xa_load(&fake.i_pages, 1000)));
	/* An active list of 8 pages: a distance of up to 8 would have fit. */
	for (unsigned int i = 0; i < 8; i++) {
		page = fake_page(test, i);
		mark_page_accessed(page);
		mark_page_accessed(page);
	}
	/* The clock moved 8 (the activations): within the distance. */
	page = fake_page(test, 1000);
	KUNIT_EXPECT_TRUE(test, PageActive(page));
	KUNIT_EXPECT_TRUE(test, PageWorkingset(page));
	KUNIT_EXPECT_EQ(test, global_vm_event(WORKINGSET_REFAULT_FILE) - refault0, 1UL);
	KUNIT_EXPECT_EQ(test, global_vm_event(WORKINGSET_ACTIVATE_FILE) - activate0, 1UL);
	KUNIT_EXPECT_EQ(test, lruvec_lru_size(lruvec, LRU_ACTIVE_FILE), 9UL);

	/* Page 2000 is evicted first of a batch of 32: by its refault the
	 * clock has moved 31 more, beyond the 9 active pages' reach. The
	 * inactive list (41 pages) is not low, so the active list stays. */
	fake_page(test, 2000);
	for (unsigned int i = 3000; i < 3040; i++)
		fake_page(test, i);
	{
		struct scan_control sc = full_scan();

		sc.nr_to_reclaim = 1;	/* one batch of SWAP_CLUSTER_MAX */
		KUNIT_EXPECT_EQ(test, shrink_node(&arena.pgdat, &sc),
				SWAP_CLUSTER_MAX);
	}
	KUNIT_ASSERT_TRUE(test, xa_is_value(xa_load(&fake.i_pages, 2000)));
	KUNIT_EXPECT_EQ(test, lruvec_lru_size(lruvec, LRU_ACTIVE_FILE), 9UL);
	page = fake_page(test, 2000);
	KUNIT_EXPECT_FALSE(test, PageActive(page));
	KUNIT_EXPECT_EQ(test, global_vm_event(WORKINGSET_REFAULT_FILE) - refault0, 2UL);
	KUNIT_EXPECT_EQ(test, global_vm_event(WORKINGSET_ACTIVATE_FILE) - activate0, 1UL);
	fake_done(test);
}

/* Reading a file many times the node's size leaves at most twice the
 * node's pages in shadows: the stale ones are erased, the recent kept. */
static void vmscan_shadows_bounded(struct kunit *test)
{
	unsigned long pruned0 = global_vm_event(WORKINGSET_NODERECLAIM);
	unsigned long managed, index = 0, max_seen = 0;

	KUNIT_ASSERT_TRUE(test, fake_make(test));
	managed = node_managed_pages(&arena.pgdat);
	while (index < 5 * managed) {
		for (unsigned int i = 0; i < 64; i++)
			fake_page(test, index++);
		evict_all();
		if (fake.nrshadows > max_seen)
			max_seen = fake.nrshadows;
	}
	kunit_info(test, "%lu pages read, node of %lu pages, at most %lu "
		   "shadows, %lu pruned", index, managed, max_seen,
		   global_vm_event(WORKINGSET_NODERECLAIM) - pruned0);
	KUNIT_EXPECT_LE(test, max_seen, 2 * managed);
	KUNIT_EXPECT_GE(test, global_vm_event(WORKINGSET_NODERECLAIM) - pruned0,
			index - 2 * managed);
	/* The index agrees with the count, and the newest shadow is kept. */
	{
		unsigned long i = 0, n = 0;
		void *e;

		while ((e = xa_find(&fake.i_pages, &i, ~0UL, XA_PRESENT))) {
			n += xa_is_value(e);
			i++;
		}
		KUNIT_EXPECT_EQ(test, n, fake.nrshadows);
	}
	KUNIT_EXPECT_TRUE(test, xa_is_value(xa_load(&fake.i_pages, index - 1)));
	fake_done(test);
}

/* Direct reclaim facing only dirty pages: wakes the flushers, writes
 * nothing, and reports no progress (the allocator may OOM). */
static void vmscan_direct_never_writes(struct kunit *test)
{
	unsigned long write0 = global_vm_event(DIRECT_RECLAIM_WRITE);
	unsigned long stall0 = global_vm_event(ALLOCSTALL);
	void (*old_hook)(struct bdi_writeback *wb, unsigned int work) =
		wb_wakeup_hook;

	KUNIT_ASSERT_TRUE(test, fake_make(test));
	for (unsigned int i = 0; i < 64; i++) {
		struct page *page = fake_page(test, i);

		lock_page(page);
		set_page_dirty(page);
		unlock_page_wake(page);
	}
	flusher_wakeups = 0;
	wb_wakeup_hook = count_flusher_wakeup;
	KUNIT_EXPECT_EQ(test, try_to_free_pages(&arena.pgdat, GFP_KERNEL, 0),
			0UL);
	wb_wakeup_hook = old_hook;
	KUNIT_EXPECT_GT(test, flusher_wakeups, 0UL);
	KUNIT_EXPECT_EQ(test, fake_writes, 0UL);
	KUNIT_EXPECT_EQ(test, global_vm_event(DIRECT_RECLAIM_WRITE), write0);
	KUNIT_EXPECT_EQ(test, global_vm_event(ALLOCSTALL) - stall0, 1UL);
	KUNIT_EXPECT_EQ(test, fake.nrpages, 64UL);

	/* Once the flusher has written them, direct reclaim frees them. */
	writeback_dirty_mappings(0, WB_SYNC_ALL);
	KUNIT_EXPECT_EQ(test, fake_writes, 64UL);
	KUNIT_EXPECT_EQ(test, try_to_free_pages(&arena.pgdat, GFP_KERNEL, 0),
			SWAP_CLUSTER_MAX);
	fake_done(test);
}

/*
 * Direct reclaim facing only pages under writeback: it cannot free any,
 * and scanning harder would only look at the same pages again. Each round
 * stops at the first priority whose pass found them in other hands
 * (reclaim_blocked) and waits, so the whole call looks at each page about
 * once; escalating to priority 0 every round looked at each ~36 times.
 */
static void vmscan_direct_waits_instead_of_rescanning(struct kunit *test)
{
	unsigned long scan0 = global_vm_event(PGSCAN_DIRECT);
	struct page *pages[512];
	unsigned long scanned;

	KUNIT_ASSERT_TRUE(test, fake_make(test));
	for (unsigned int i = 0; i < ARRAY_SIZE(pages); i++) {
		pages[i] = fake_page(test, i);
		set_page_writeback(pages[i]);
	}
	KUNIT_EXPECT_EQ(test, try_to_free_pages(&arena.pgdat, GFP_KERNEL, 0),
			0UL);
	scanned = global_vm_event(PGSCAN_DIRECT) - scan0;
	kunit_info(test, "%lu pages looked at for %zu under writeback",
		   scanned, ARRAY_SIZE(pages));
	KUNIT_EXPECT_GT(test, scanned, 0UL);
	KUNIT_EXPECT_LE(test, scanned, 2 * ARRAY_SIZE(pages));
	for (unsigned int i = 0; i < ARRAY_SIZE(pages); i++)
		end_page_writeback(pages[i]);
	fake_done(test);
}

/* Anonymous pages are aged, never freed (no swap). */
static void vmscan_anon_only_aged(struct kunit *test)
{
	struct page *pages[32];
	struct lruvec *lruvec;
	struct scan_control sc = full_scan();

	KUNIT_ASSERT_TRUE(test, test_arena_make(test, &arena, 0));
	lruvec = node_lruvec(&arena.pgdat);
	for (unsigned int i = 0; i < 32; i++) {
		pages[i] = alloc_pages_node(&arena.pgdat, GFP_HIGHUSER_MOVABLE, 0);
		KUNIT_ASSERT_TRUE(test, pages[i] != NULL);
		SetPageSwapBacked(pages[i]);
		SetPageActive(pages[i]);
		lru_cache_add(pages[i]);
	}
	KUNIT_EXPECT_EQ(test, shrink_node(&arena.pgdat, &sc), 0UL);
	KUNIT_EXPECT_GT(test, lruvec_lru_size(lruvec, LRU_INACTIVE_ANON), 0UL);
	KUNIT_EXPECT_EQ(test, lruvec_lru_size(lruvec, LRU_INACTIVE_ANON) +
			lruvec_lru_size(lruvec, LRU_ACTIVE_ANON), 32UL);
	KUNIT_EXPECT_EQ(test, try_to_free_pages(&arena.pgdat, GFP_KERNEL, 0),
			0UL);
	KUNIT_EXPECT_EQ(test, lruvec_check(lruvec), 0);
	for (unsigned int i = 0; i < 32; i++)
		put_page(pages[i]);
	test_arena_done(test, &arena);
}

/*
 * The measure itself: a write submitted while the thread is in direct
 * reclaim (PF_MEMALLOC, as try_to_free_pages marks it) is counted, once
 * per request, by the block layer; not before or after the section, not
 * for kswapd (PF_KSWAPD), not for swap (REQ_SWAP), and a nested section
 * keeps the mark until the outer one ends.
 */
static void vmscan_direct_reclaim_write_is_counted(struct kunit *test)
{
	unsigned long w0 = global_vm_event(DIRECT_RECLAIM_WRITE);
	unsigned int saved = arch_current()->flags, outer, inner;
	struct page *page0 = NULL;

	KUNIT_ASSERT_TRUE(test, fake_make(test));
	for (unsigned int i = 0; i < 8; i++) {
		struct page *page = fake_page(test, i);

		page0 = page0 ? page0 : page;
		lock_page(page);
		set_page_dirty(page);
		unlock_page_wake(page);
	}
	KUNIT_EXPECT_FALSE(test, current_in_direct_reclaim());
	/* The page cache's writeback path, from inside a section. */
	outer = memalloc_noreclaim_save();
	inner = memalloc_noreclaim_save();
	memalloc_noreclaim_restore(inner);
	KUNIT_EXPECT_TRUE(test, current_in_direct_reclaim());
	KUNIT_EXPECT_EQ(test, filemap_write_and_wait(&fake), 0);
	/* Swap's writes are reclaim's own business: not counted. */
	KUNIT_EXPECT_EQ(test, null_blk_write_page(page0, REQ_SWAP), 0);
	memalloc_noreclaim_restore(outer);
	KUNIT_EXPECT_FALSE(test, current_in_direct_reclaim());
	KUNIT_EXPECT_EQ(test, fake_writes, 8UL);
	KUNIT_EXPECT_EQ(test, global_vm_event(DIRECT_RECLAIM_WRITE) - w0, 8UL);

	/* Outside a section, and as kswapd: not counted. */
	KUNIT_EXPECT_EQ(test, null_blk_write_page(page0, 0), 0);
	arch_current()->flags |= PF_MEMALLOC | PF_KSWAPD;
	KUNIT_EXPECT_FALSE(test, current_in_direct_reclaim());
	KUNIT_EXPECT_EQ(test, null_blk_write_page(page0, 0), 0);
	arch_current()->flags = saved;
	KUNIT_EXPECT_EQ(test, global_vm_event(DIRECT_RECLAIM_WRITE) - w0, 8UL);
	fake_done(test);
}

static unsigned int pfmemalloc_throttled;

static void count_pfmemalloc_throttle(pg_data_t *pgdat)
{
	(void)pgdat;
	pfmemalloc_throttled++;
}

/*
 * The reserves below min are half used exactly when free pages reach half
 * the sum of the min watermarks: from there, direct reclaim first calls
 * the throttle (kswapd's side waits there in the kernel), and not before.
 */
static void vmscan_direct_reclaim_held_when_reserves_half_used(struct kunit *test)
{
	void (*saved)(pg_data_t *) = reclaim_pfmemalloc_throttle_hook;
	struct list_head taken = LIST_HEAD_INIT(taken);
	unsigned long reserve = 0, free;
	struct zone *zone;
	struct page *page;

	KUNIT_ASSERT_TRUE(test, fake_make(test));
	for_each_populated_zone_in(zone, &arena.pgdat) {
		zone_set_watermarks(zone, 64);	/* the arena has none */
		reserve += min_wmark_pages(zone);
	}
	KUNIT_ASSERT_GT(test, reserve, 1UL);
	reclaim_pfmemalloc_throttle_hook = count_pfmemalloc_throttle;
	pfmemalloc_throttled = 0;
	/* Down to one page above half the reserve: not held. */
	for (;;) {
		free = sum_zone_node_page_state(&arena.pgdat, NR_FREE_PAGES);
		if (free <= reserve / 2 + 1)
			break;
		page = alloc_pages_node(&arena.pgdat, GFP_NOWAIT |
					__GFP_MEMALLOC | __GFP_NOWARN, 0);
		KUNIT_ASSERT_NOT_NULL(test, page);
		list_add(&page->lru, &taken);
	}
	KUNIT_EXPECT_TRUE(test, pfmemalloc_watermark_ok(&arena.pgdat));
	try_to_free_pages(&arena.pgdat, GFP_KERNEL, 0);
	KUNIT_EXPECT_EQ(test, pfmemalloc_throttled, 0u);
	/* One more: half the reserve is gone. */
	page = alloc_pages_node(&arena.pgdat, GFP_NOWAIT | __GFP_MEMALLOC |
				__GFP_NOWARN, 0);
	KUNIT_ASSERT_NOT_NULL(test, page);
	list_add(&page->lru, &taken);
	KUNIT_EXPECT_FALSE(test, pfmemalloc_watermark_ok(&arena.pgdat));
	try_to_free_pages(&arena.pgdat, GFP_KERNEL, 0);
	KUNIT_EXPECT_EQ(test, pfmemalloc_throttled, 1u);
	/* An ordinary allocation cannot get there: only __GFP_MEMALLOC. */
	KUNIT_EXPECT_NULL(test, alloc_pages_node(&arena.pgdat, GFP_NOWAIT |
						 __GFP_NOWARN, 0));
	reclaim_pfmemalloc_throttle_hook = saved;
	while (!list_empty(&taken)) {
		page = list_first_entry(&taken, struct page, lru);
		list_del(&page->lru);
		__free_page(page);
	}
	fake_done(test);
}

static struct kunit_case vmscan_cases[] = {
	KUNIT_CASE(vmscan_shadows_bounded),
	KUNIT_CASE(vmscan_direct_reclaim_held_when_reserves_half_used),
	KUNIT_CASE(vmscan_frees_clean_only),
	KUNIT_CASE(vmscan_activates_and_ages),
	KUNIT_CASE(vmscan_refault_distance),
	KUNIT_CASE(vmscan_direct_never_writes),
	KUNIT_CASE(vmscan_direct_waits_instead_of_rescanning),
	KUNIT_CASE(vmscan_direct_reclaim_write_is_counted),
	KUNIT_CASE(vmscan_anon_only_aged),
	{}
};

static struct kunit_suite vmscan_suite = {
	.name = "vmscan",
	.test_cases = vmscan_cases,
};
kunit_test_suite(vmscan_suite);
