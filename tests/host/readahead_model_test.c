/*
 * tests/host/readahead_model_test.c - readahead's behaviour, against
 * what Linux's on-demand readahead does for the same reads:
 *  - a sequential reader of 4 KiB reads: one sync window at the start,
 *    then only async windows, each twice (or four times) the last, up to
 *    ra_pages, so every later read finds its page already cached; no
 *    page is read twice;
 *  - a random reader (one page here and there, never next to the last):
 *    no readahead at all, only the pages asked for are read;
 *  - two sequential streams interleaved through one open file (Linux's
 *    "interleaved reads" case): the PG_readahead marks keep both streams
 *    read ahead, so after the first few windows neither misses;
 *  - readahead off (ra_pages 0): every page is read on demand, one by one.
 * The store completes reads at once, so "cached" is "already read".
 * Host only; random parts replay with --seed N.
 */
#include "tests/host/host.h"
#include "kernel/kunit.h"
#include "kernel/lib/random.h"
#include "kernel/lib/string.h"
#include "mm/filemap.h"
#include "mm/lru.h"
#include "mm/page_alloc.h"
#include "tests/suites/memstore.h"
#include "tests/suites/test_arena.h"

#define FILE_PAGES	1024UL	/* the arena holds 1024 pages: not all */

static struct test_arena arena;
static struct memstore ms;
static struct file f;
static unsigned char store[FILE_PAGES * 4096];

static void ra_setup(struct kunit *test)
{
	KUNIT_ASSERT_TRUE(test, test_arena_make(test, &arena, 0));
	lruvec_init(node_lruvec(&arena.pgdat));
	memstore_init(&ms, store, FILE_PAGES * 4096, &arena.pgdat, true);
	for (unsigned long i = 0; i < FILE_PAGES * 4096; i += 4096)
		store[i] = (unsigned char)(i >> 12);
	ms.mapping.size = FILE_PAGES * 4096;
	memstore_file(&ms, &f);
	f.f_ra.ra_pages = 32;		/* 128 KiB, Linux's default */
}

static void ra_teardown(struct kunit *test)
{
	truncate_pagecache(&ms.mapping, 0);
	memstore_destroy(&ms);
	test_arena_done(test, &arena);
}

static bool cached(pgoff_t index)
{
	struct page *page = find_get_page(&ms.mapping, index);

	if (page)
		put_page(page);
	return page != NULL;
}

/* Read page index (4 KiB at its start); true if it was cached before. */
static bool read_page(struct kunit *test, pgoff_t index)
{
	struct page *cached = find_get_page(&ms.mapping, index);
	loff_t pos = (loff_t)(index << PAGE_SHIFT);
	char b[4096];

	if (cached)
		put_page(cached);
	KUNIT_EXPECT_EQ(test, filemap_read(&f, b, sizeof(b), &pos), 4096);
	KUNIT_EXPECT_EQ(test, (unsigned char)b[0], (unsigned char)index);
	return cached != NULL;
}

static void stats_since(struct readahead_stats *d, const struct readahead_stats *s0)
{
	struct readahead_stats s;

	readahead_get_stats(&s);
	d->sync = s.sync - s0->sync;
	d->async = s.async - s0->async;
	d->pages = s.pages - s0->pages;
	d->hits = s.hits - s0->hits;
}

static void readahead_sequential_window_grows(struct kunit *test)
{
	struct readahead_stats s0, d;
	unsigned int sizes[16], nsizes = 0, last = 0;
	unsigned long misses = 0;

	ra_setup(test);
	readahead_get_stats(&s0);
	for (pgoff_t i = 0; i < 512; i++) {
		if (!read_page(test, i))
			misses++;
		if (f.f_ra.size != last && nsizes < 16)
			sizes[nsizes++] = last = f.f_ra.size;
	}
	stats_since(&d, &s0);
	/* Linux's sequence for 4 KiB reads and 32 pages: 4, 8, 16, 32. */
	KUNIT_ASSERT_GE(test, nsizes, 4U);
	KUNIT_EXPECT_EQ(test, sizes[0], 4U);
	KUNIT_EXPECT_EQ(test, sizes[1], 8U);
	KUNIT_EXPECT_EQ(test, sizes[2], 16U);
	KUNIT_EXPECT_EQ(test, sizes[3], 32U);
	KUNIT_EXPECT_EQ(test, nsizes, 4U);	/* stays at the limit */
	KUNIT_EXPECT_EQ(test, misses, 1UL);	/* the first read only */
	KUNIT_EXPECT_EQ(test, d.sync, 1UL);
	KUNIT_EXPECT_GE(test, d.async, (512UL - 28) / 32);
	/* Never a page read twice, and no more than a window beyond. */
	KUNIT_EXPECT_EQ(test, ms.reads, ms.mapping.nrpages);
	KUNIT_EXPECT_LE(test, ms.reads, 512UL + 2 * 32);
	KUNIT_EXPECT_GE(test, ms.readahead_calls, d.sync + d.async);
	ra_teardown(test);
}

static void readahead_random_reads_get_none(struct kunit *test)
{
	struct readahead_stats s0, d;
	struct prng rng;
	pgoff_t prev = 0, idx;

	ra_setup(test);
	prng_seed(&rng, test->seed);
	readahead_get_stats(&s0);
	for (int i = 0; i < 300; i++) {
		do
			idx = 1 + prng_below(&rng, FILE_PAGES - 1);
		while (idx == prev || idx == prev + 1 || cached(idx) ||
		       cached(idx - 1));	/* no stream leads here */
		read_page(test, idx);
		prev = idx;
	}
	stats_since(&d, &s0);
	KUNIT_EXPECT_EQ(test, d.sync, 0UL);
	KUNIT_EXPECT_EQ(test, d.async, 0UL);
	KUNIT_EXPECT_EQ(test, d.pages, 0UL);
	KUNIT_EXPECT_EQ(test, ms.reads, 300UL);	/* what was asked, no more */
	ra_teardown(test);
}

static void readahead_interleaved_streams(struct kunit *test)
{
	struct readahead_stats s0, d;
	unsigned long late_misses = 0;

	ra_setup(test);
	readahead_get_stats(&s0);
	for (pgoff_t i = 0; i < 256; i++) {
		bool a = read_page(test, i);
		bool b = read_page(test, 512 + i);

		if (i >= 64)
			late_misses += !a + !b;
	}
	stats_since(&d, &s0);
	/* Both streams are read ahead: no miss once they are going, and
	 * most windows are async (started by a marker), as in Linux. */
	KUNIT_EXPECT_EQ(test, late_misses, 0UL);
	KUNIT_EXPECT_GT(test, d.async, d.sync);
	KUNIT_EXPECT_EQ(test, ms.reads, ms.mapping.nrpages);	/* once */
	ra_teardown(test);
}

static void readahead_off_reads_on_demand(struct kunit *test)
{
	struct readahead_stats s0, d;
	unsigned long misses = 0;

	ra_setup(test);
	f.f_ra.ra_pages = 0;
	readahead_get_stats(&s0);
	for (pgoff_t i = 0; i < 64; i++)
		misses += !read_page(test, i);
	stats_since(&d, &s0);
	KUNIT_EXPECT_EQ(test, misses, 64UL);
	KUNIT_EXPECT_EQ(test, d.pages, 0UL);
	KUNIT_EXPECT_EQ(test, ms.readahead_calls, 0UL);
	ra_teardown(test);
}

static struct kunit_case readahead_model_cases[] = {
	KUNIT_CASE(readahead_sequential_window_grows),
	KUNIT_CASE(readahead_random_reads_get_none),
	KUNIT_CASE(readahead_interleaved_streams),
	KUNIT_CASE(readahead_off_reads_on_demand),
	{}
};

static struct kunit_suite readahead_model_suite = {
	.name = "readahead_model",
	.test_cases = readahead_model_cases,
};
kunit_test_suite(readahead_model_suite);
