/*
 * tests/suites/lru_test.c - the LRU lists' moves, one by one, on a
 * private node (host and every kernel configuration). The randomised
 * model test is tests/host/lru_model_test.c; this suite walks the table
 * of docs/mm/reclaim.md ("The lists") once, checking the list, the
 * flags, the event counts and lruvec_check() after each move.
 */
#include "tests/suites/test_arena.h"
#include "mm/lru_internal.h"
#include "mm/vmstat.h"

static struct test_arena arena;

/* Is page on list lru of the arena, at the head (newest) or the tail? */
static bool at_head(struct page *page, enum lru_list lru)
{
	struct list_head *l = &node_lruvec(&arena.pgdat)->lists[lru];

	return !list_empty(l) && l->next == &page->lru;
}

static bool at_tail(struct page *page, enum lru_list lru)
{
	struct list_head *l = &node_lruvec(&arena.pgdat)->lists[lru];

	return !list_empty(l) && l->prev == &page->lru;
}

static void lru_moves(struct kunit *test)
{
	struct lruvec *lruvec;
	struct page *a, *b;
	struct list_head batch = LIST_HEAD_INIT(batch);
	unsigned long act0 = global_vm_event(PGACTIVATE);
	unsigned long deact0 = global_vm_event(PGDEACTIVATE);
	unsigned long rot0 = global_vm_event(PGROTATED);
	unsigned long scanned;

	KUNIT_ASSERT_TRUE(test, test_arena_make(test, &arena, 0));
	lruvec = node_lruvec(&arena.pgdat);
	a = alloc_pages_node(&arena.pgdat, GFP_HIGHUSER_MOVABLE, 0);
	b = alloc_pages_node(&arena.pgdat, GFP_HIGHUSER_MOVABLE, 0);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);

	/* A new page waits in this CPU's add batch, holding a reference,
	 * until the batch is drained (or fills: lru_add_batch_fills). */
	lru_cache_add(a);
	lru_cache_add(b);
	KUNIT_EXPECT_FALSE(test, PageLRU(a));
	KUNIT_EXPECT_EQ(test, page_count(a), 2);
	KUNIT_EXPECT_EQ(test, lruvec_lru_size(lruvec, LRU_INACTIVE_FILE), 0UL);
	lru_add_drain_all();
	KUNIT_EXPECT_TRUE(test, PageLRU(a));
	KUNIT_EXPECT_EQ(test, page_count(a), 1);
	/* A new file page enters the inactive head. */
	KUNIT_EXPECT_TRUE(test, at_head(b, LRU_INACTIVE_FILE));
	KUNIT_EXPECT_TRUE(test, at_tail(a, LRU_INACTIVE_FILE));
	KUNIT_EXPECT_EQ(test, lruvec_lru_size(lruvec, LRU_INACTIVE_FILE), 2UL);

	/* First access: referenced; second: active head, PGACTIVATE. */
	SetPageIdle(a);
	mark_page_accessed(a);
	KUNIT_EXPECT_TRUE(test, PageReferenced(a));
	KUNIT_EXPECT_FALSE(test, PageIdle(a));
	KUNIT_EXPECT_FALSE(test, PageActive(a));
	mark_page_accessed(a);
	KUNIT_EXPECT_TRUE(test, PageActive(a));
	KUNIT_EXPECT_FALSE(test, PageReferenced(a));
	KUNIT_EXPECT_TRUE(test, at_head(a, LRU_ACTIVE_FILE));
	KUNIT_EXPECT_EQ(test, global_vm_event(PGACTIVATE) - act0, 1UL);
	KUNIT_EXPECT_EQ(test, node_page_state_snapshot(&arena.pgdat,
						       NR_ACTIVE_FILE), 1UL);
	KUNIT_EXPECT_EQ(test, lruvec_check(lruvec), 0);

	/* MADV_COLD: back to the inactive head, PGDEACTIVATE. */
	deactivate_page(a);
	KUNIT_EXPECT_FALSE(test, PageActive(a));
	KUNIT_EXPECT_TRUE(test, at_head(a, LRU_INACTIVE_FILE));
	KUNIT_EXPECT_EQ(test, global_vm_event(PGDEACTIVATE) - deact0, 1UL);

	/* Writeback of a PG_reclaim page ended: to the tail, PGROTATED. */
	rotate_reclaimable_page(a);
	KUNIT_EXPECT_TRUE(test, at_tail(a, LRU_INACTIVE_FILE));
	KUNIT_EXPECT_EQ(test, global_vm_event(PGROTATED) - rot0, 1UL);

	/* Isolated: off the list, counted, no second isolation. */
	KUNIT_EXPECT_TRUE(test, isolate_lru_page(b));
	KUNIT_EXPECT_FALSE(test, PageLRU(b));
	KUNIT_EXPECT_FALSE(test, isolate_lru_page(b));
	KUNIT_EXPECT_EQ(test, node_page_state_snapshot(&arena.pgdat,
						       NR_ISOLATED_FILE), 1UL);
	putback_lru_page(b);
	KUNIT_EXPECT_TRUE(test, at_head(b, LRU_INACTIVE_FILE));
	KUNIT_EXPECT_EQ(test, node_page_state_snapshot(&arena.pgdat,
						       NR_ISOLATED_FILE), 0UL);

	/* Reclaim's batch: from the tail (a first), with its own reference;
	 * the owner's put while isolated does not free a, putback does. */
	KUNIT_EXPECT_EQ(test, isolate_lru_pages(lruvec, LRU_INACTIVE_FILE, 1,
						&batch, &scanned), 1UL);
	KUNIT_EXPECT_EQ(test, scanned, 1UL);
	KUNIT_EXPECT_PTR_EQ(test, list_first_entry(&batch, struct page, lru), a);
	KUNIT_EXPECT_EQ(test, page_count(a), 2);
	put_page(a);
	KUNIT_EXPECT_EQ(test, page_count(a), 1);
	putback_lru_pages(lruvec, &batch);
	KUNIT_EXPECT_EQ(test, lruvec_lru_size(lruvec, LRU_INACTIVE_FILE), 1UL);
	KUNIT_EXPECT_EQ(test, node_page_state_snapshot(&arena.pgdat,
						       NR_ISOLATED_FILE), 0UL);

	/* The last put takes b off its list and frees it, owner state gone. */
	SetPageDirty(b);
	ClearPageDirty(b);
	b->index = 3;
	put_page(b);
	KUNIT_EXPECT_EQ(test, lruvec_lru_size(lruvec, LRU_INACTIVE_FILE), 0UL);
	KUNIT_EXPECT_EQ(test, sum_zone_node_page_state(&arena.pgdat,
						       NR_ZONE_INACTIVE_FILE), 0UL);
	KUNIT_EXPECT_EQ(test, lruvec_check(lruvec), 0);
	test_arena_done(test, &arena);
}

/*
 * The add batch: LRU_ADD_BATCH - 1 new pages wait off the lists, each
 * with the batch's reference; the one that fills the batch puts them
 * all on the inactive list at once, and the references go. A page used
 * twice while it waits goes to the active list instead.
 */
static void lru_add_batch_fills(struct kunit *test)
{
	struct page *p[LRU_ADD_BATCH];
	struct lruvec *lruvec;
	unsigned long flags;

	KUNIT_ASSERT_TRUE(test, test_arena_make(test, &arena, 0));
	lruvec = node_lruvec(&arena.pgdat);
	lru_add_drain_all();
	for (unsigned int i = 0; i < LRU_ADD_BATCH; i++) {
		p[i] = alloc_pages_node(&arena.pgdat, GFP_HIGHUSER_MOVABLE, 0);
		KUNIT_ASSERT_NOT_NULL(test, p[i]);
	}
	flags = arch_irq_save();	/* one CPU's batch throughout */
	for (unsigned int i = 0; i < LRU_ADD_BATCH - 1; i++)
		lru_cache_add(p[i]);
	mark_page_accessed(p[0]);
	mark_page_accessed(p[0]);	/* used twice while waiting */
	for (unsigned int i = 0; i < LRU_ADD_BATCH - 1; i++) {
		KUNIT_EXPECT_FALSE(test, PageLRU(p[i]));
		KUNIT_EXPECT_EQ(test, page_count(p[i]), 2);
	}
	KUNIT_EXPECT_EQ(test, lruvec_lru_size(lruvec, LRU_INACTIVE_FILE), 0UL);
	lru_cache_add(p[LRU_ADD_BATCH - 1]);
	arch_irq_restore(flags);
	for (unsigned int i = 0; i < LRU_ADD_BATCH; i++) {
		KUNIT_EXPECT_TRUE(test, PageLRU(p[i]));
		KUNIT_EXPECT_EQ(test, page_count(p[i]), 1);
	}
	KUNIT_EXPECT_TRUE(test, PageActive(p[0]));
	KUNIT_EXPECT_EQ(test, lruvec_lru_size(lruvec, LRU_ACTIVE_FILE), 1UL);
	KUNIT_EXPECT_EQ(test, lruvec_lru_size(lruvec, LRU_INACTIVE_FILE),
			(unsigned long)LRU_ADD_BATCH - 1);
	KUNIT_EXPECT_EQ(test, lruvec_check(lruvec), 0);
	for (unsigned int i = 0; i < LRU_ADD_BATCH; i++)
		put_page(p[i]);
	KUNIT_EXPECT_EQ(test, lruvec_lru_size(lruvec, LRU_INACTIVE_FILE), 0UL);
	test_arena_done(test, &arena);
}

/* Anonymous pages have their own pair of lists. */
static void lru_anon_lists(struct kunit *test)
{
	struct lruvec *lruvec;
	struct page *p;

	KUNIT_ASSERT_TRUE(test, test_arena_make(test, &arena, 0));
	lruvec = node_lruvec(&arena.pgdat);
	p = alloc_pages_node(&arena.pgdat, GFP_HIGHUSER_MOVABLE, 0);
	KUNIT_ASSERT_NOT_NULL(test, p);
	SetPageSwapBacked(p);
	SetPageActive(p);		/* enters active, as a refault would */
	lru_cache_add(p);
	lru_add_drain_all();
	KUNIT_EXPECT_TRUE(test, at_head(p, LRU_ACTIVE_ANON));
	KUNIT_EXPECT_EQ(test, node_page_state_snapshot(&arena.pgdat,
						       NR_ACTIVE_ANON), 1UL);
	KUNIT_EXPECT_EQ(test, lruvec_lru_size(lruvec, LRU_ACTIVE_FILE), 0UL);
	put_page(p);
	KUNIT_EXPECT_EQ(test, node_page_state_snapshot(&arena.pgdat,
						       NR_ACTIVE_ANON), 0UL);
	KUNIT_EXPECT_EQ(test, lruvec_check(lruvec), 0);
	test_arena_done(test, &arena);
}

static struct kunit_case lru_cases[] = {
	KUNIT_CASE(lru_moves),
	KUNIT_CASE(lru_add_batch_fills),
	KUNIT_CASE(lru_anon_lists),
	{}
};

static struct kunit_suite lru_suite = {
	.name = "lru",
	.test_cases = lru_cases,
};
kunit_test_suite(lru_suite);
