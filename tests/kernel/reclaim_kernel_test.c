/*
 * tests/kernel/reclaim_kernel_test.c - kswapd and direct reclaim on the
 * kernel's own node, with real threads and time. Kernel only.
 *
 * Both cases first take the node's free memory away in large blocks
 * (held, unreclaimable, as a memory hog would), so that a few thousand
 * page-cache pages are enough to reach the watermarks whatever the
 * machine's size; the blocks are given back at the end. They are taken
 * zone by zone, so that each zone ends just above its own mark (plus the
 * reserve it keeps from NORMAL allocations): on the two-zone 6 GiB
 * machine a node-wide hold drained NORMAL to min, left DMA32 at its
 * reserve, and then neither could kswapd balance the node nor could the
 * loaders get a first page.
 *
 * kswapd_wakes_below_low_sleeps_above_high: free memory is held down to
 * a little above the high watermark; clean pages of a fake file are then
 * added until an allocation falls below low and wakes kswapd. kswapd must
 * run (pgscan_kswapd and pgsteal_kswapd move) and stop with every zone
 * above its high watermark, with no direct reclaim needed by the test's
 * own few allocations while it did.
 *
 * direct_reclaim_never_writes_under_dirtying_load: free memory is held
 * down to the min watermark, so every allocation must reclaim. Two
 * threads dirty pages of a fake file (the flusher writes them back;
 * they keep dirty pages under half the file pages, as dirty throttling
 * will), one reads clean pages of another, all allocating with
 * GFP_KERNEL.
 * Every allocation must succeed (no OOM), direct reclaim must have run
 * (allocstall, pgscan_direct move), and no write may have been issued
 * from it (direct_reclaim_write stays 0: the fake store issues each write
 * through the block layer, which counts those submitted by a thread in
 * direct reclaim; and the store counts writes issued with
 * wbc.for_reclaim).
 */
#include "kernel/kthread.h"
#include "kernel/kunit.h"
#include "kernel/sched.h"
#include "kernel/time.h"
#include "kernel/lib/string.h"
#include "tests/suites/null_blk.h"
#include "mm/filemap.h"
#include "mm/internal.h"
#include "mm/kmalloc.h"
#include "mm/lru.h"
#include "mm/page_alloc.h"
#include "mm/vmalloc.h"
#include "mm/vmscan.h"
#include "mm/vmstat.h"

#define HOLD_ORDER	4		/* 64 KiB blocks: fine-grained enough */
#define MAX_HELD	(1UL << 17)	/* 8 GiB of blocks */

static struct page **held;
static unsigned long nr_held;

static unsigned long node_free(void)
{
	unsigned long n = 0;
	struct zone *zone;

	for_each_populated_zone_in(zone, &contig_page_data)
		n += READ_ONCE(zone->free_pages);
	return n;
}

static unsigned long node_wmark(enum zone_watermarks w)
{
	unsigned long n = 0;
	struct zone *zone;

	for_each_populated_zone_in(zone, &contig_page_data)
		n += zone->_watermark[w];
	return n;
}

/*
 * Hold free memory until each zone has at most `leave` pages above what a
 * GFP_KERNEL allocation may not take from it: the mark plus the zone's
 * lowmem_reserve against NORMAL allocations (0 for the highest zone; on
 * the 6 GiB machine DMA32 keeps about 4000 pages from them). Zone by
 * zone, lowest first, with a gfp whose highest zone is that zone and no
 * reclaim flags (nothing reclaims or wakes kswapd), so that every zone
 * ends just above its own mark: a node held as a whole would drain the
 * highest zone to its min (allocations try it first) and leave the lower
 * one full, and no reclaim could then make the node balanced.
 */
static gfp_t zone_gfp(enum zone_type idx)
{
	return idx == ZONE_DMA32 ? GFP_DMA32 : 0;
}

static bool hold_memory_down_to(enum zone_watermarks w, unsigned long leave)
{
	held = vmalloc(MAX_HELD * sizeof(*held));
	if (!held)
		return false;
	nr_held = 0;
	drain_all_pages(NULL);
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		struct zone *zone = &contig_page_data.node_zones[z];
		unsigned long floor;

		if (!populated_zone(zone))
			continue;
		floor = zone->_watermark[w] + zone->lowmem_reserve[ZONE_NORMAL] +
			leave + (1UL << HOLD_ORDER);
		while (nr_held < MAX_HELD && READ_ONCE(zone->free_pages) > floor) {
			struct page *p = alloc_pages(__GFP_NOWARN | zone_gfp(z),
						     HOLD_ORDER);

			if (!p)
				break;
			if (page_zone(p) != zone) {	/* this zone said no */
				__free_pages(p, HOLD_ORDER);
				break;
			}
			held[nr_held++] = p;
		}
	}
	return true;
}

static void release_memory(void)
{
	while (nr_held)
		__free_pages(held[--nr_held], HOLD_ORDER);
	vfree(held);
	held = NULL;
}

/* ------------------------------------------------------------ a fake file */

struct fake_file {
	struct address_space mapping;
	unsigned long writes, reclaim_writes;
};

static int fake_read_folio(struct file *file, struct page *page)
{
	memset(page_address(page), 0, PAGE_SIZE);
	SetPageUptodate(page);
	unlock_page_wake(page);
	return 0;
}

/* A store that writes to the null disk through the block layer (where a
 * write from direct reclaim is counted: DIRECT_RECLAIM_WRITE), completes
 * each write at once, and counts it. */
static int fake_writepage(struct page *page, struct writeback_control *wbc)
{
	struct fake_file *f = container_of(page->mapping, struct fake_file,
					   mapping);

	__atomic_fetch_add(&f->writes, 1, __ATOMIC_RELAXED);
	null_blk_write_page(page, 0);
	if (wbc->for_reclaim)
		__atomic_fetch_add(&f->reclaim_writes, 1, __ATOMIC_RELAXED);
	set_page_writeback(page);
	unlock_page_wake(page);
	end_page_writeback(page);
	return 0;
}

static const struct address_space_operations fake_aops = {
	.read_folio = fake_read_folio,
	.writepage = fake_writepage,
};

static void fake_init(struct fake_file *f, const char *name)
{
	memset(f, 0, sizeof(*f));
	address_space_init(&f->mapping, &fake_aops, NULL);
	f->mapping.name = name;
	f->mapping.size = 1L << 40;
}

static void fake_destroy(struct fake_file *f)
{
	filemap_write_and_wait(&f->mapping);
	truncate_inode_pages(&f->mapping, 0);
	mapping_forget_dirty(&f->mapping);
	xa_destroy(&f->mapping.i_pages);
}

/* Add page index of f (uptodate, maybe dirty): false if no memory. */
static bool fake_add(struct fake_file *f, pgoff_t index, bool dirty)
{
	struct page *page = find_or_create_page(&f->mapping, index, GFP_KERNEL);

	if (!page)
		return false;
	if (!PageUptodate(page))
		SetPageUptodate(page);
	if (dirty)
		set_page_dirty(page);
	unlock_page_wake(page);
	put_page(page);
	return true;
}

/* ------------------------------------------------------------- kswapd */

static void kswapd_wakes_below_low_sleeps_above_high(struct kunit *test)
{
	unsigned long scan0 = global_vm_event(PGSCAN_KSWAPD);
	unsigned long steal0 = global_vm_event(PGSTEAL_KSWAPD);
	struct fake_file *f = kmalloc(sizeof(*f), GFP_KERNEL);
	uint64_t deadline;
	unsigned long added = 0;
	bool woke = false, balanced = false;

	KUNIT_ASSERT_NOT_NULL(test, f);
	KUNIT_ASSERT_NOT_NULL(test, contig_page_data.reclaim.kswapd);
	fake_init(f, "fake:kswapd");
	/*
	 * An earlier suite may have filled memory with what reclaim cannot
	 * free (anonymous pages, no swap): after 16 failed runs kswapd
	 * leaves the node to direct reclaim until one succeeds. Make one
	 * succeed, as the rule says, and check it revives kswapd.
	 */
	kunit_info(test, "kswapd_failures %d at the start",
		   READ_ONCE(contig_page_data.reclaim.kswapd_failures));
	if (READ_ONCE(contig_page_data.reclaim.kswapd_failures)) {
		for (pgoff_t i = 0; i < 2 * SWAP_CLUSTER_MAX; i++)
			KUNIT_ASSERT_TRUE(test, fake_add(f, 1000000 + i, false));
		KUNIT_EXPECT_GT(test, try_to_free_pages(&contig_page_data,
							GFP_KERNEL, 0), 0UL);
		KUNIT_EXPECT_EQ(test, READ_ONCE(contig_page_data.reclaim.kswapd_failures), 0);
	}
	/* kswapd naps 100 ms after its last run (at boot too): let it be
	 * asleep, so that only wakeup_kswapd can start it. */
	sleep_ms(300);
	KUNIT_ASSERT_FALSE(test, READ_ONCE(contig_page_data.reclaim.kswapd_running));
	KUNIT_ASSERT_TRUE(test, hold_memory_down_to(WMARK_HIGH, 256));
	/* Cross the low watermark with page-cache pages, and stop once
	 * kswapd has started (or halfway from low to min: the test's own
	 * allocations must not need direct reclaim). */
	while (!woke && node_free() > (node_wmark(WMARK_LOW) +
				       node_wmark(WMARK_MIN)) / 2 &&
	       added < 100000) {
		if (!fake_add(f, added, false))
			break;
		added++;
		if (global_vm_event(PGSCAN_KSWAPD) != scan0)
			woke = true;
	}
	kunit_info(test, "%lu page-cache pages added; free %lu, low %lu, high %lu",
		   added, node_free(), node_wmark(WMARK_LOW),
		   node_wmark(WMARK_HIGH));
	/* kswapd runs and stops when every zone is above high. */
	deadline = clock_ns() + 5000000000ULL;
	while (clock_ns() < deadline) {
		if (global_vm_event(PGSCAN_KSWAPD) != scan0)
			woke = true;
		if (woke && pgdat_balanced(&contig_page_data, 0) &&
		    !READ_ONCE(contig_page_data.reclaim.kswapd_running)) {
			balanced = true;
			break;
		}
		sleep_ms(10);
	}
	KUNIT_EXPECT_TRUE(test, woke);
	KUNIT_EXPECT_TRUE(test, balanced);
	KUNIT_EXPECT_GT(test, global_vm_event(PGSTEAL_KSWAPD) - steal0, 0UL);
	KUNIT_EXPECT_GE(test, node_free(), node_wmark(WMARK_HIGH));
	kunit_info(test, "pgscan_kswapd +%lu, pgsteal_kswapd +%lu, free %lu",
		   global_vm_event(PGSCAN_KSWAPD) - scan0,
		   global_vm_event(PGSTEAL_KSWAPD) - steal0, node_free());
	release_memory();
	fake_destroy(f);
	kfree(f);
}

/* ------------------------------------------------------- direct reclaim */

#define LOAD_PAGES	6000

struct loader {
	struct fake_file *f;
	bool dirty;
	unsigned long failed;
	struct thread *t;
};

/*
 * Dirty pages may be at most half the file pages, as balance_dirty_pages
 * (the next issue) will enforce: a dirtier over the limit wakes the
 * flusher and waits a little. Without any limit every reclaimable page
 * can be dirty at once, and then only the flusher's speed decides.
 */
static void dirty_throttle(void)
{
	while (global_node_page_state(NR_FILE_DIRTY) * 2 >
	       global_node_page_state(NR_INACTIVE_FILE) +
	       global_node_page_state(NR_ACTIVE_FILE) + 64) {
		wakeup_flusher_threads();
		sleep_ms(10);
	}
}

static int loader_fn(void *arg)
{
	struct loader *l = arg;

	for (pgoff_t i = 0; i < LOAD_PAGES; i++) {
		if (l->dirty)
			dirty_throttle();
		if (!fake_add(l->f, i, l->dirty))
			l->failed++;
	}
	return 0;
}

static void direct_reclaim_never_writes_under_dirtying_load(struct kunit *test)
{
	unsigned long stall0 = global_vm_event(ALLOCSTALL);
	unsigned long scan0 = global_vm_event(PGSCAN_DIRECT);
	unsigned long write0 = global_vm_event(DIRECT_RECLAIM_WRITE);
	struct fake_file *f = kmalloc(3 * sizeof(*f), GFP_KERNEL);
	struct loader l[3];

	KUNIT_ASSERT_NOT_NULL(test, f);
	fake_init(&f[0], "fake:dirty0");
	fake_init(&f[1], "fake:dirty1");
	fake_init(&f[2], "fake:clean");
	/* Threads (their stacks) first: nothing can be reclaimed yet. */
	for (int i = 0; i < 3; i++) {
		l[i] = (struct loader){ .f = &f[i], .dirty = i < 2 };
		l[i].t = kthread_create(loader_fn, &l[i], "reclaim_load%d", i);
		KUNIT_ASSERT_NOT_NULL(test, l[i].t);
	}
	/* A little above min: the first pages come free, then every
	 * allocation has to reclaim what the loaders added. */
	KUNIT_ASSERT_TRUE(test, hold_memory_down_to(WMARK_MIN, 256));
	for (int i = 0; i < 3; i++)
		wake_up_process(l[i].t);
	for (int i = 0; i < 3; i++)
		kthread_stop(l[i].t);
	for (int i = 0; i < 3; i++)
		KUNIT_EXPECT_EQ(test, l[i].failed, 0UL);
	kunit_info(test, "allocstall +%lu, pgscan_direct +%lu, writes %lu + %lu "
		   "(from reclaim: %lu)",
		   global_vm_event(ALLOCSTALL) - stall0,
		   global_vm_event(PGSCAN_DIRECT) - scan0,
		   f[0].writes, f[1].writes,
		   f[0].reclaim_writes + f[1].reclaim_writes);
	KUNIT_EXPECT_GT(test, global_vm_event(ALLOCSTALL) - stall0, 0UL);
	KUNIT_EXPECT_GT(test, global_vm_event(PGSCAN_DIRECT) - scan0, 0UL);
	KUNIT_EXPECT_EQ(test, global_vm_event(DIRECT_RECLAIM_WRITE), write0);
	KUNIT_EXPECT_EQ(test, f[0].reclaim_writes + f[1].reclaim_writes, 0UL);
	release_memory();
	for (int i = 0; i < 3; i++)
		fake_destroy(&f[i]);
	kfree(f);
}

static struct kunit_case reclaim_kernel_cases[] = {
	KUNIT_CASE(kswapd_wakes_below_low_sleeps_above_high),
	KUNIT_CASE_SLOW(direct_reclaim_never_writes_under_dirtying_load),
	{}
};

static struct kunit_suite reclaim_kernel_suite = {
	.name = "reclaim_kernel",
	.test_cases = reclaim_kernel_cases,
};
kunit_test_suite(reclaim_kernel_suite);
