/*
 * tests/host/replacement_test.c - the replacement policy judged by hit
 * rate and refaults (docs/labs/03-replacement.md). A fake file is read
 * page by page through the page cache of a private node, as read() would
 * (find the page: a hit, mark it accessed; or add it: a miss, maybe a
 * refault); the cache holds at most CACHE_PAGES file pages, and when it
 * goes over, shrink_node takes it back down by a batch, as kswapd would.
 * Three access patterns, each printed as hits, misses and refaults:
 *
 *   fits       a loop over 0.8 x the cache, 8 times: all hits after the
 *              first pass, whatever the policy;
 *   too_big    a loop over 1.2 x the cache, 8 times: plain LRU evicts
 *              each page just before its next use (0 hits); the two lists
 *              plus refault detection keep part of it;
 *   scan       a hot set (0.4 x the cache) read over and over while a
 *              scan reads 4 x the cache once: the hot set must survive
 *              (scan resistance).
 *
 * The cases assert what any sane policy must give (fits: >= 85% hits;
 * scan: the hot set keeps >= 80% hits) and print the rest for comparing
 * policies. build/host/unit replacement
 */
#include "tests/suites/test_arena.h"
#include "kernel/panic.h"
#include "mm/filemap.h"
#include "mm/lru.h"
#include "mm/slab.h"
#include "mm/vmscan.h"
#include "mm/vmstat.h"

#define CACHE_PAGES	256UL

static struct test_arena arena;
static struct address_space file;
static struct kmem_cache *xa_cache;

struct result {
	unsigned long hits, misses, refaults;
};

static int file_read_folio(struct file *f, struct page *page)
{
	SetPageUptodate(page);
	unlock_page_wake(page);
	return 0;
}

static const struct address_space_operations file_aops = {
	.read_folio = file_read_folio,
};

static bool file_make(struct kunit *test)
{
	if (!test_arena_make(test, &arena, 0))
		return false;
	address_space_init(&file, &file_aops, NULL);
	file.node = &arena.pgdat;
	file.name = "lab:1";
	file.size = 1L << 30;
	xa_cache = xa_node_cache_create(&arena.pgdat);
	if (!xa_cache)
		return false;
	file.i_pages.node_cache = xa_cache;
	return true;
}

static void file_done(struct kunit *test)
{
	truncate_inode_pages(&file, 0);
	xa_destroy(&file.i_pages);
	kmem_cache_destroy(xa_cache);
	KUNIT_EXPECT_EQ(test, lruvec_check(node_lruvec(&arena.pgdat)), 0);
	test_arena_done(test, &arena);
}

/* The cache over its size: reclaim a batch, as kswapd would. */
static void keep_cache_bounded(void)
{
	if (file.nrpages <= CACHE_PAGES)
		return;
	for (int prio = DEF_PRIORITY; prio >= 0 &&
	     file.nrpages > CACHE_PAGES - SWAP_CLUSTER_MAX; prio--) {
		struct scan_control sc = {
			.nr_to_reclaim = file.nrpages -
					 (CACHE_PAGES - SWAP_CLUSTER_MAX),
			.gfp_mask = GFP_KERNEL,
			.priority = prio,
			.may_unmap = true,
			.is_kswapd = true,
		};

		shrink_node(&arena.pgdat, &sc);
	}
}

/* read() of one page of the file. */
static void read_page(struct kunit *test, pgoff_t index, struct result *r)
{
	struct page *page = find_get_page(&file, index);
	unsigned long refaults = global_vm_event(WORKINGSET_REFAULT_FILE);

	if (page) {
		r->hits++;
	} else {
		r->misses++;
		page = find_or_create_page(&file, index, GFP_KERNEL);
		if (!page)
			panic("replacement_test: no page for %lu", index);
		SetPageUptodate(page);
		unlock_page_wake(page);
		r->refaults += global_vm_event(WORKINGSET_REFAULT_FILE) -
			       refaults;
	}
	mark_page_accessed(page);
	put_page(page);
	keep_cache_bounded();
}

static unsigned long percent(unsigned long part, unsigned long all)
{
	return all ? part * 100 / all : 0;
}

static void report(struct kunit *test, const char *name,
		   const struct result *r)
{
	kunit_info(test, "%s: %lu hits, %lu misses (%lu%% hits), %lu refaults",
		   name, r->hits, r->misses,
		   percent(r->hits, r->hits + r->misses), r->refaults);
}

static void replacement_loop_fits(struct kunit *test)
{
	struct result r = { 0 };

	KUNIT_ASSERT_TRUE(test, file_make(test));
	for (int pass = 0; pass < 8; pass++)
		for (pgoff_t i = 0; i < CACHE_PAGES * 8 / 10; i++)
			read_page(test, i, &r);
	report(test, "fits (loop of 0.8 x cache, 8 passes)", &r);
	KUNIT_EXPECT_GE(test, percent(r.hits, r.hits + r.misses), 85UL);
	file_done(test);
}

static void replacement_loop_too_big(struct kunit *test)
{
	struct result r = { 0 };

	KUNIT_ASSERT_TRUE(test, file_make(test));
	for (int pass = 0; pass < 8; pass++)
		for (pgoff_t i = 0; i < CACHE_PAGES * 12 / 10; i++)
			read_page(test, i, &r);
	report(test, "too_big (loop of 1.2 x cache, 8 passes)", &r);
	file_done(test);
}

static void replacement_scan_resistance(struct kunit *test)
{
	struct result hot = { 0 }, scan = { 0 };
	pgoff_t hot_pages = CACHE_PAGES * 4 / 10;
	pgoff_t next_scan = 1000000;

	KUNIT_ASSERT_TRUE(test, file_make(test));
	/* Warm the hot set up: read twice, so it is active. */
	for (int pass = 0; pass < 2; pass++)
		for (pgoff_t i = 0; i < hot_pages; i++)
			read_page(test, i, &scan);
	scan = (struct result){ 0 };
	/* Then one scan page per hot page read, 4 x the cache in all. */
	for (pgoff_t s = 0; s < CACHE_PAGES * 4; s++) {
		read_page(test, s % hot_pages, &hot);
		read_page(test, next_scan++, &scan);
	}
	report(test, "scan: the hot set (0.4 x cache)", &hot);
	report(test, "scan: the scan (4 x cache, once)", &scan);
	KUNIT_EXPECT_GE(test, percent(hot.hits, hot.hits + hot.misses), 80UL);
	file_done(test);
}

static struct kunit_case replacement_cases[] = {
	KUNIT_CASE(replacement_loop_fits),
	KUNIT_CASE(replacement_loop_too_big),
	KUNIT_CASE(replacement_scan_resistance),
	{}
};

static struct kunit_suite replacement_suite = {
	.name = "replacement",
	.test_cases = replacement_cases,
};
kunit_test_suite(replacement_suite);
