/*
 * tests/host/lru_model_test.c - a randomised model test of the LRU lists
 * (mm/lru.c) on a private node: pages are allocated (anonymous, file,
 * some unevictable, some entering active), added, accessed, deactivated,
 * rotated, isolated, put back, referenced and put, at random. A model
 * keeps, for each list, the pages in order (head = newest), and for each
 * page its references, PG_referenced, PG_active and whether it is
 * isolated. After every step lruvec_check() must pass (flags match the
 * list, the three counts agree); every few steps each list is walked and
 * compared with the model in order, every page's flags with the model's,
 * the isolated counters and the PGACTIVATE / PGDEACTIVATE / PGROTATED
 * events with the model's counts. At the end every page is put and the
 * arena must have all its pages back.
 *
 * Replay a failing seed: build/host/unit lru_model --seed N
 */
#include "tests/suites/test_arena.h"
#include "kernel/lib/random.h"
#include "kernel/panic.h"
#include "mm/lru_internal.h"
#include "mm/vmstat.h"

#define NPAGES	192
#define STEPS	200000

struct mpage {
	struct page *page;	/* NULL: not held */
	int refs;
	bool on_lru, isolated, added, batched;
	bool referenced, active, anon, unevictable;
};

static struct mpage mp[NPAGES];
/* The model's lists: page indices, [0] = head (newest). */
static int mlist[NR_LRU_LISTS][NPAGES];
static int mlen[NR_LRU_LISTS];
static unsigned long m_activate, m_deactivate, m_rotated;
static struct test_arena arena;
/* One batch isolated by isolate_lru_pages at a time: its pages, oldest
 * first, and the real list it is on. */
static int batch[NPAGES], nr_batch;
static struct list_head batch_list;

static enum lru_list mlru(const struct mpage *p)
{
	if (p->unevictable)
		return LRU_UNEVICTABLE;
	return (p->anon ? LRU_INACTIVE_ANON : LRU_INACTIVE_FILE) +
	       (p->active ? 1 : 0);
}

static void mlist_del(int i)
{
	enum lru_list l = mlru(&mp[i]);

	for (int k = 0; k < mlen[l]; k++)
		if (mlist[l][k] == i) {
			memmove(&mlist[l][k], &mlist[l][k + 1],
				(size_t)(mlen[l] - k - 1) * sizeof(int));
			mlen[l]--;
			return;
		}
	BUG_ON(1);	/* the model lost a page: a bug in the test */
}

static void mlist_add(int i, bool tail)
{
	enum lru_list l = mlru(&mp[i]);

	if (tail) {
		mlist[l][mlen[l]++] = i;
		return;
	}
	memmove(&mlist[l][1], &mlist[l][0], (size_t)mlen[l] * sizeof(int));
	mlist[l][0] = i;
	mlen[l]++;
}

static int index_of(struct page *page)
{
	for (int i = 0; i < NPAGES; i++)
		if (mp[i].page == page)
			return i;
	return -1;
}

/* Walk every list against the model; flags and counters too. */
static bool compare(struct kunit *test, unsigned long ev0[3],
		    unsigned long iso0[2])
{
	struct lruvec *lruvec = node_lruvec(&arena.pgdat);
	unsigned long iso[2] = { 0, 0 };

	for (int l = 0; l < NR_LRU_LISTS; l++) {
		struct page *page;
		int k = 0;

		list_for_each_entry(page, &lruvec->lists[l], lru) {
			int i = index_of(page);

			if (k >= mlen[l] || i != mlist[l][k]) {
				KUNIT_FAIL(test, "%s position %d: page %d, model "
					   "says %d", lru_list_name(l), k, i,
					   k < mlen[l] ? mlist[l][k] : -1);
				return false;
			}
			k++;
		}
		if (k != mlen[l] || lruvec_lru_size(lruvec, l) != (unsigned long)k) {
			KUNIT_FAIL(test, "%s: %d pages, model %d, size %lu",
				   lru_list_name(l), k, mlen[l],
				   lruvec_lru_size(lruvec, l));
			return false;
		}
	}
	for (int i = 0; i < NPAGES; i++) {
		struct page *page = mp[i].page;

		if (!page)
			continue;
		if (PageReferenced(page) != mp[i].referenced ||
		    PageActive(page) != mp[i].active ||
		    PageLRU(page) != mp[i].on_lru ||
		    page_count(page) != mp[i].refs) {
			KUNIT_FAIL(test, "page %d: ref %d active %d lru %d count "
				   "%d; model %d %d %d %d", i,
				   PageReferenced(page), PageActive(page),
				   PageLRU(page), page_count(page),
				   mp[i].referenced, mp[i].active,
				   mp[i].on_lru, mp[i].refs);
			return false;
		}
		if (mp[i].isolated || mp[i].batched)
			iso[mp[i].anon ? 0 : 1]++;
	}
	KUNIT_EXPECT_EQ(test, node_page_state_snapshot(&arena.pgdat,
						       NR_ISOLATED_ANON) - iso0[0],
			iso[0]);
	KUNIT_EXPECT_EQ(test, node_page_state_snapshot(&arena.pgdat,
						       NR_ISOLATED_FILE) - iso0[1],
			iso[1]);
	KUNIT_EXPECT_EQ(test, global_vm_event(PGACTIVATE) - ev0[0], m_activate);
	KUNIT_EXPECT_EQ(test, global_vm_event(PGDEACTIVATE) - ev0[1],
			m_deactivate);
	KUNIT_EXPECT_EQ(test, global_vm_event(PGROTATED) - ev0[2], m_rotated);
	return !test->failed;
}

/* Drop one reference, as the model says put_page does. */
static void do_put(int i)
{
	struct mpage *p = &mp[i];

	if (--p->refs == 0) {
		if (p->on_lru)
			mlist_del(i);
		memset(p, 0, sizeof(*p));
	}
	/* Before the model forgets the page: put_page frees it. */
}

static void lru_model_random(struct kunit *test)
{
	unsigned long ev0[3] = { global_vm_event(PGACTIVATE),
				 global_vm_event(PGDEACTIVATE),
				 global_vm_event(PGROTATED) };
	unsigned long iso0[2];
	struct lruvec *lruvec;
	unsigned long counts[14] = { 0 }, allocs = 0;
	struct prng r;

	prng_seed(&r, test->seed);
	KUNIT_ASSERT_TRUE(test, test_arena_make(test, &arena, 0));
	lruvec = node_lruvec(&arena.pgdat);
	iso0[0] = node_page_state_snapshot(&arena.pgdat, NR_ISOLATED_ANON);
	iso0[1] = node_page_state_snapshot(&arena.pgdat, NR_ISOLATED_FILE);
	memset(mp, 0, sizeof(mp));
	memset(mlen, 0, sizeof(mlen));
	nr_batch = 0;
	m_activate = m_deactivate = m_rotated = 0;

	for (int step = 0; step < STEPS; step++) {
		int i = (int)prng_below(&r, NPAGES);
		struct mpage *p = &mp[i];
		unsigned int op = (unsigned int)prng_below(&r, 14);

		if (!p->page) {
			/* An empty slot: allocate a page for it. */
			struct page *page = alloc_pages_node(&arena.pgdat,
					GFP_HIGHUSER_MOVABLE | __GFP_NOWARN, 0);

			KUNIT_ASSERT_TRUE(test, page != NULL);
			p->page = page;
			p->refs = 1;
			p->anon = prng_below(&r, 2);
			p->unevictable = prng_below(&r, 10) == 0;
			p->active = prng_below(&r, 8) == 0;	/* a refault */
			if (p->anon)
				SetPageSwapBacked(page);
			if (p->unevictable)
				SetPageUnevictable(page);
			if (p->active)
				SetPageActive(page);
			allocs++;
			continue;
		}
		counts[op]++;
		switch (op) {
		case 0: case 1:		/* add (once per page life) */
			if (p->added)
				break;
			lru_cache_add(p->page);
			p->added = p->on_lru = true;
			mlist_add(i, false);
			break;
		case 2: case 3:		/* mark_page_accessed */
			mark_page_accessed(p->page);
			if (!p->referenced) {
				p->referenced = true;
			} else if (!p->active && !p->unevictable && p->on_lru) {
				mlist_del(i);
				p->active = true;
				p->referenced = false;
				mlist_add(i, false);
				m_activate++;
			}
			break;
		case 4:			/* MADV_COLD */
			deactivate_page(p->page);
			if (p->on_lru && p->active && !p->unevictable) {
				mlist_del(i);
				p->active = false;
				p->referenced = false;
				mlist_add(i, false);
				m_deactivate++;
			}
			break;
		case 5:			/* writeback ended with PG_reclaim */
			rotate_reclaimable_page(p->page);
			if (p->on_lru && !p->active && !p->unevictable) {
				mlist_del(i);
				mlist_add(i, true);
				m_rotated++;
			}
			break;
		case 6: {		/* isolate */
			bool taken = isolate_lru_page(p->page);

			KUNIT_ASSERT_EQ(test, taken, p->on_lru);
			if (taken) {
				mlist_del(i);
				p->on_lru = false;
				p->isolated = true;
			}
			break;
		}
		case 7:			/* put back */
			if (!p->isolated)
				break;
			putback_lru_page(p->page);
			p->isolated = false;
			p->on_lru = true;
			mlist_add(i, false);
			break;
		case 8:			/* another reference */
			get_page(p->page);
			p->refs++;
			break;
		case 12: {		/* reclaim: isolate a batch from a tail */
			enum lru_list l = (enum lru_list)prng_below(&r, NR_LRU_LISTS);
			unsigned long n = prng_below(&r, 9), scanned, taken;

			if (nr_batch)
				break;
			INIT_LIST_HEAD(&batch_list);
			taken = isolate_lru_pages(lruvec, l, n, &batch_list,
						  &scanned);
			KUNIT_ASSERT_EQ(test, scanned,
					min(n, (unsigned long)mlen[l]));
			KUNIT_ASSERT_EQ(test, taken, scanned);
			while (nr_batch < (int)taken) {
				int j = mlist[l][mlen[l] - 1];

				mlist_del(j);
				mp[j].on_lru = false;
				mp[j].batched = true;
				mp[j].refs++;		/* reclaim's reference */
				batch[nr_batch++] = j;
			}
			{	/* dst holds them oldest first */
				struct page *page;
				int k = 0;

				list_for_each_entry(page, &batch_list, lru)
					KUNIT_ASSERT_EQ(test, index_of(page),
							batch[k++]);
			}
			break;
		}
		case 13:		/* reclaim: put the batch back */
			if (!nr_batch)
				break;
			putback_lru_pages(lruvec, &batch_list);
			KUNIT_ASSERT_TRUE(test, list_empty(&batch_list));
			for (int k = 0; k < nr_batch; k++) {
				int j = batch[k];

				mp[j].batched = false;
				mp[j].on_lru = true;
				mlist_add(j, false);
				do_put(j);	/* reclaim's; may be the last */
			}
			nr_batch = 0;
			break;
		case 9: case 10: case 11:	/* put_page */
			/* The isolator (or reclaim's batch) holds a reference:
			 * never put that one here. */
			if ((p->isolated || p->batched) && p->refs == 1)
				break;
			put_page(p->page);
			do_put(i);
			break;
		}
		if (lruvec_check(lruvec)) {
			KUNIT_FAIL(test, "lruvec_check failed at step %d", step);
			return;
		}
		if (step % 97 == 0 && !compare(test, ev0, iso0)) {
			kunit_info(test, "at step %d", step);
			return;
		}
	}
	KUNIT_ASSERT_TRUE(test, compare(test, ev0, iso0));
	kunit_info(test, "allocs %lu, adds %lu, accesses %lu, deactivates %lu, rotates %lu, "
		   "isolates %lu, batches %lu; activated %lu, deactivated %lu, rotated %lu",
		   allocs, counts[0] + counts[1], counts[2] + counts[3], counts[4],
		   counts[5], counts[6], counts[12], m_activate, m_deactivate, m_rotated);
	/* Everything back: each page's last put frees it. */
	if (nr_batch) {
		putback_lru_pages(lruvec, &batch_list);
		for (int k = 0; k < nr_batch; k++) {
			mp[batch[k]].batched = false;
			mp[batch[k]].on_lru = true;
			mlist_add(batch[k], false);
			do_put(batch[k]);
		}
		nr_batch = 0;
	}
	for (int i = 0; i < NPAGES; i++) {
		if (!mp[i].page)
			continue;
		if (mp[i].isolated) {
			putback_lru_page(mp[i].page);
			mp[i].isolated = false;
			mp[i].on_lru = true;
			mlist_add(i, false);
		}
		while (mp[i].page) {
			struct page *page = mp[i].page;

			put_page(page);
			do_put(i);
		}
	}
	for (int l = 0; l < NR_LRU_LISTS; l++)
		KUNIT_EXPECT_EQ(test, lruvec_lru_size(lruvec, l), 0UL);
	KUNIT_EXPECT_EQ(test, lruvec_check(lruvec), 0);
	test_arena_done(test, &arena);
}

/* A page freed by its last put_page leaves no owner state behind. */
static void lru_put_page_clears(struct kunit *test)
{
	struct lruvec *lruvec;
	struct page *page;

	KUNIT_ASSERT_TRUE(test, test_arena_make(test, &arena, 0));
	lruvec = node_lruvec(&arena.pgdat);
	page = alloc_pages_node(&arena.pgdat, GFP_HIGHUSER_MOVABLE, 0);
	KUNIT_ASSERT_TRUE(test, page != NULL);
	page->index = 7;
	SetPageReferenced(page);
	SetPageUptodate(page);
	lru_cache_add(page);
	mark_page_accessed(page);	/* referenced -> active (in the batch) */
	KUNIT_EXPECT_TRUE(test, PageActive(page));
	KUNIT_EXPECT_EQ(test, lruvec_lru_size(lruvec, LRU_ACTIVE_FILE), 0UL);
	lru_add_drain_all();		/* ... onto the active list */
	KUNIT_EXPECT_EQ(test, lruvec_lru_size(lruvec, LRU_ACTIVE_FILE), 1UL);
	KUNIT_EXPECT_EQ(test, node_page_state_snapshot(&arena.pgdat,
						       NR_ACTIVE_FILE), 1UL);
	put_page(page);
	KUNIT_EXPECT_EQ(test, lruvec_lru_size(lruvec, LRU_ACTIVE_FILE), 0UL);
	KUNIT_EXPECT_EQ(test, node_page_state_snapshot(&arena.pgdat,
						       NR_ACTIVE_FILE), 0UL);
	KUNIT_EXPECT_EQ(test, sum_zone_node_page_state(&arena.pgdat,
						       NR_ZONE_ACTIVE_FILE), 0UL);
	/* The page is free again: nothing of its owner is left on it. */
	KUNIT_EXPECT_EQ(test, page->flags & PAGE_FLAGS_OWNER, 0UL);
	KUNIT_EXPECT_EQ(test, page->index, 0UL);
	KUNIT_EXPECT_EQ(test, lruvec_check(lruvec), 0);
	test_arena_done(test, &arena);
}

static struct kunit_case lru_model_cases[] = {
	KUNIT_CASE(lru_model_random),
	KUNIT_CASE(lru_put_page_clears),
	{}
};

static struct kunit_suite lru_model_suite = {
	.name = "lru_model",
	.test_cases = lru_model_cases,
};
kunit_test_suite(lru_model_suite);
