/*
 * tests/suites/compaction_test.c - memory compaction (mm/compaction.h),
 * host and kernel on a private arena: a process's pages are freed every
 * other one so free memory is in single pages; a whole-zone run joins
 * them into large blocks without losing a byte or a page; direct
 * compaction lets an order-4 allocation succeed that fails without it
 * (and counts compact_stall/compact_success); compaction_suitable says
 * no when a block is free or memory is short.
 */
#include "tests/suites/test_arena.h"
#include "kernel/lib/string.h"
#include "mm/compaction.h"
#include "mm/internal.h"
#include "mm/kmalloc.h"
#include "mm/lru.h"
#include "mm/mm.h"
#include "mm/vmstat.h"

#define A	0x40000000UL
#define RW	(PROT_READ | PROT_WRITE)
#define PRIV	(MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED)

static struct test_arena arena;
static struct kmalloc_set ks;
static struct mm_struct *cur_mm;	/* the case's, put at its end */

static int compaction_test_init(struct kunit *test)
{
	if (!test_arena_make(test, &arena, 0))
		return -1;
	return kmalloc_set_init(&ks, &arena.pgdat, "tcompact", 0);
}

static void compaction_test_exit(struct kunit *test)
{
	if (cur_mm)
		mmput(cur_mm);
	cur_mm = NULL;
	kmalloc_set_destroy(&ks);
	test_arena_done(test, &arena);
}

static uint64_t val(unsigned long i)
{
	return 0xc0a7ac7000000000ULL + i;
}

/* Free pages in blocks of order >= order, over the arena's zones. */
static unsigned long free_in_blocks(unsigned int order)
{
	struct zone *zone;
	unsigned long n = 0;

	drain_node_pages(&arena.pgdat);
	for_each_populated_zone_in(zone, &arena.pgdat)
		for (unsigned int o = order; o <= MAX_PAGE_ORDER; o++)
			n += zone->free_area[o].nr_free << o;
	return n;
}

/*
 * An mm whose pages fill the arena but for a few free pages, every other
 * one unmapped again: the free memory is single pages between pages in
 * use. *nr gets how many pages were touched. The case's mm (cur_mm).
 */
static struct mm_struct *fragment(struct kunit *test, unsigned long *nr)
{
	struct mm_struct *mm = mm_alloc_node(&arena.pgdat, &ks);
	unsigned long n = node_free_pages(&arena.pgdat);

	cur_mm = mm;
	if (!mm || do_mmap(mm, A, n * PAGE_SIZE, RW, PRIV, 0) != (long)A) {
		KUNIT_FAIL(test, "no mm of %lu pages", n);
		return NULL;
	}
	for (unsigned long i = 0; i < n; i++) {
		uint64_t v = val(i);

		/* Leave a few pages for page tables: fewer than an order-4
		 * block. */
		if (node_free_pages(&arena.pgdat) <= 8 ||
		    access_remote_vm(mm, A + i * PAGE_SIZE, &v, 8, true) != 8) {
			n = i;
			break;
		}
	}
	for (unsigned long i = 1; i < n; i += 2)
		do_madvise(mm, A + i * PAGE_SIZE, PAGE_SIZE, MADV_DONTNEED);
	lru_add_drain_all();
	*nr = n;
	return mm;
}

static bool intact(struct mm_struct *mm, unsigned long n)
{
	for (unsigned long i = 0; i < n; i += 2) {
		uint64_t v = 0;

		access_remote_vm(mm, A + i * PAGE_SIZE, &v, 8, false);
		if (v != val(i))
			return false;
	}
	return true;
}

/* A whole-zone run (the console's `compact`) turns the single free pages
 * into large blocks; the free count, the process's bytes and its rss
 * are unchanged. */
static void whole_zone_joins_free_pages(struct kunit *test)
{
	unsigned long n = 0, free0, big0, moved = 0;
	struct mm_struct *mm = fragment(test, &n);
	struct zone *zone;
	long rss0;

	KUNIT_ASSERT_NOT_NULL(test, mm);
	KUNIT_ASSERT_GT(test, n, 256UL);
	free0 = node_free_pages(&arena.pgdat);
	big0 = free_in_blocks(6);
	rss0 = mm->rss[MM_ANONPAGES];
	for_each_populated_zone_in(zone, &arena.pgdat) {
		struct compact_control cc = {
			.zone = zone, .order = -1, .mode = MIGRATE_SYNC,
		};

		KUNIT_EXPECT_EQ(test, (int)compact_zone(&cc),
				(int)COMPACT_COMPLETE);
		KUNIT_EXPECT_EQ(test, cc.nr_migrate_failed, 0UL);
		if (cc.nr_migrate_failed)
			kunit_info(test, "pfn %#lx did not move: %s (%d; count "
				   "%d, expected %d)", cc.fail.pfn,
				   cc.fail.why ? cc.fail.why : "?", cc.fail.err,
				   cc.fail.refcount, cc.fail.expected);
		moved += cc.nr_migrated;
	}
	kunit_info(test, "%lu pages in use, %lu moved; free in blocks of "
		   "order >= 6: %lu -> %lu of %lu", n / 2, moved, big0,
		   free_in_blocks(6), free0);
	KUNIT_EXPECT_GT(test, moved, 0UL);
	KUNIT_EXPECT_EQ(test, node_free_pages(&arena.pgdat), free0);
	/* At least half of the single pages between used ones now make
	 * blocks of 64 pages or more. */
	KUNIT_EXPECT_GE(test, free_in_blocks(6), big0 + n / 4 / 2);
	KUNIT_EXPECT_TRUE(test, intact(mm, n));
	KUNIT_EXPECT_EQ(test, mm->rss[MM_ANONPAGES], rss0);
}

/* No order-4 block is free (an allocation that may not reclaim fails);
 * an order-4 allocation that may reclaim succeeds by direct compaction,
 * which runs before reclaim, and the events count it. */
static void direct_compaction_serves_order_4(struct kunit *test)
{
	bool (*saved)(pg_data_t *, enum zone_type, unsigned int,
		      unsigned int) =
		page_alloc_try_compaction;
	unsigned long n = 0, stall0, ok0;
	struct mm_struct *mm = fragment(test, &n);
	struct page *page;

	KUNIT_ASSERT_NOT_NULL(test, mm);
	/* No free block of order 4 is left to take. */
	KUNIT_EXPECT_EQ(test, free_in_blocks(4), 0UL);
	/* Without compaction and without reclaim (with swap on, reclaim
	 * would make room by swapping the arena out): no block. */
	page_alloc_try_compaction = NULL;
	page = alloc_pages_node(&arena.pgdat, __GFP_NOWARN, 4);
	KUNIT_EXPECT_NULL(test, page);
	if (page)
		__free_pages(page, 4);

	stall0 = global_vm_event(COMPACTSTALL);
	ok0 = global_vm_event(COMPACTSUCCESS);
	page_alloc_try_compaction = try_to_compact_pages;
	page = alloc_pages_node(&arena.pgdat, GFP_KERNEL | __GFP_NORETRY |
				__GFP_NOWARN, 4);
	page_alloc_try_compaction = saved;
	KUNIT_EXPECT_NOT_NULL(test, page);
	KUNIT_EXPECT_GE(test, global_vm_event(COMPACTSTALL) - stall0, 1UL);
	KUNIT_EXPECT_GE(test, global_vm_event(COMPACTSUCCESS) - ok0, 1UL);
	if (page)
		__free_pages(page, 4);
	KUNIT_EXPECT_TRUE(test, intact(mm, n));
}

/* compaction_suitable: a free block already -> no need; fragmented ->
 * worth it; too little free memory -> reclaim first. */
static void suitable_says_when(struct kunit *test)
{
	unsigned long n = 0;
	struct mm_struct *mm;
	struct zone *zone = NULL, *z;

	for_each_populated_zone_in(z, &arena.pgdat)
		if (!zone || z->managed_pages > zone->managed_pages)
			zone = z;
	KUNIT_ASSERT_NOT_NULL(test, zone);
	KUNIT_EXPECT_EQ(test, (int)compaction_suitable(zone, 4, 0),
			(int)COMPACT_SUCCESS);
	mm = fragment(test, &n);
	KUNIT_ASSERT_NOT_NULL(test, mm);
	KUNIT_EXPECT_EQ(test, (int)compaction_suitable(zone, 4, 0),
			(int)COMPACT_CONTINUE);
	/* An order bigger than twice the free memory: nothing to join. */
	KUNIT_EXPECT_EQ(test, (int)compaction_suitable(zone, MAX_PAGE_ORDER, 0),
			(int)COMPACT_SKIPPED);
}

static struct kunit_case compaction_cases[] = {
	KUNIT_CASE(whole_zone_joins_free_pages),
	KUNIT_CASE(direct_compaction_serves_order_4),
	KUNIT_CASE(suitable_says_when),
	{}
};

static struct kunit_suite compaction_suite = {
	.name = "compaction",
	.init = compaction_test_init,
	.exit = compaction_test_exit,
	.test_cases = compaction_cases,
};
kunit_test_suite(compaction_suite);
