/*
 * tests/host/filemap_test.c - a randomised model test of the page cache.
 * Thousands of reads, writes, truncates, background write-backs, fsyncs,
 * cache drops and I/O completions on one file over an in-memory store
 * (tests/suites/memstore.h) whose I/O completes later (queued, finished
 * by the host's idle work while someone waits, or by a random step),
 * checked against a byte array of what the file holds:
 *  - every read returns exactly the model's bytes (and stops at its size,
 *    or where its "user" buffer stops being writable: tests/host/host.h);
 *  - after each step the counts agree with the pages: nrpages, and the
 *    node's NR_FILE_PAGES, NR_FILE_DIRTY, NR_WRITEBACK equal the pages
 *    found in the index with PG_dirty / PG_writeback; the dirty and
 *    writeback marks match the flags; every cached page is on an LRU
 *    list; the index's and the LRU lists' own invariants hold;
 *  - after filemap_write_and_wait the store equals the model;
 *  - at the end, everything truncated: no page, count or node left, every
 *    arena page back.
 * Host only (long); replay: build/host/unit filemap_model --seed N.
 */
#include "tests/host/host.h"
#include "kernel/kunit.h"
#include "kernel/lib/random.h"
#include "kernel/lib/string.h"
#include "mm/filemap.h"
#include "mm/lru.h"
#include "mm/page_alloc.h"
#include "mm/vmstat.h"
#include "tests/suites/memstore.h"
#include "tests/suites/test_arena.h"

#define FILE_MAX	(48 * 4096)		/* the model file's limit */

static struct test_arena arena;
#define node arena.pgdat
static struct memstore ms;
static struct file f;
static unsigned char store[FILE_MAX], model[FILE_MAX], buf[FILE_MAX];
static loff_t model_size;

static bool ms_idle(void)
{
	return memstore_complete(&ms);
}

static unsigned long nstat(enum node_stat_item item)
{
	return node_page_state_snapshot(&node, item);
}

/* A page is locked only while its read is queued, under writeback only
 * while its write is. */
static bool queued_as(const struct page *page, bool write)
{
	for (unsigned int i = 0; i < ms.nq; i++)
		if (ms.q[i].page == page && ms.q[i].write == write)
			return true;
	return false;
}
static bool read_queued(const struct page *page) { return queued_as(page, false); }
static bool write_queued(const struct page *page) { return queued_as(page, true); }

/* Counts and marks agree with the pages in the index. */
static void check_state(struct kunit *test, unsigned long step)
{
	struct address_space *m = &ms.mapping;
	unsigned long index, pages = 0, dirty = 0, wb = 0, shadows = 0;
	void *entry;

	KUNIT_ASSERT_EQ(test, xa_check(&m->i_pages), 0);
	KUNIT_ASSERT_EQ(test, lruvec_check(node_lruvec(&node)), 0);
	xa_for_each_range(&m->i_pages, index, entry, 0, ~0UL) {
		struct page *page = entry;

		if (xa_is_value(entry)) {
			shadows++;
			continue;
		}
		pages++;
		if (page->mapping != m || page->index != index)
			KUNIT_FAIL(test, "step %lu: page at %lu says mapping %p "
				   "index %lu", step, index, page->mapping,
				   page->index);
		if (PageDirty(page))
			dirty++;
		if (PageWriteback(page))
			wb++;
		if (PageDirty(page) !=
		    xa_get_mark(&m->i_pages, index, PAGECACHE_TAG_DIRTY))
			KUNIT_FAIL(test, "step %lu: page %lu dirty %d, mark %d",
				   step, index, PageDirty(page),
				   xa_get_mark(&m->i_pages, index,
					       PAGECACHE_TAG_DIRTY));
		if (PageWriteback(page) !=
		    xa_get_mark(&m->i_pages, index, PAGECACHE_TAG_WRITEBACK))
			KUNIT_FAIL(test, "step %lu: page %lu writeback %d, "
				   "mark %d", step, index, PageWriteback(page),
				   xa_get_mark(&m->i_pages, index,
					       PAGECACHE_TAG_WRITEBACK));
		if (!PageLRU(page))
			KUNIT_FAIL(test, "step %lu: page %lu is not on an LRU "
				   "list", step, index);
		if (PageLocked(page) && !read_queued(page))
			KUNIT_FAIL(test, "step %lu: page %lu left locked",
				   step, index);
		if (PageWriteback(page) && !write_queued(page))
			KUNIT_FAIL(test, "step %lu: page %lu under writeback "
				   "with no write queued", step, index);
	}
	KUNIT_EXPECT_EQ(test, m->nrpages, pages);
	KUNIT_EXPECT_EQ(test, m->nrshadows, shadows);
	KUNIT_EXPECT_EQ(test, nstat(NR_FILE_PAGES), pages);
	KUNIT_EXPECT_EQ(test, nstat(NR_FILE_DIRTY), dirty);
	KUNIT_EXPECT_EQ(test, nstat(NR_WRITEBACK), wb);
}

static void model_truncate(loff_t size)
{
	if (size < model_size)
		memset(model + size, 0, (size_t)(model_size - size));
	model_size = size;
}

static void filemap_random_ops_match_model(struct kunit *test)
{
	unsigned long steps = 20000, reads = 0, eofs = 0, faults = 0, kills = 0;
	struct prng rng;

	KUNIT_ASSERT_TRUE(test, test_arena_make(test, &arena, 0));
	lruvec_init(node_lruvec(&node));
	prng_seed(&rng, test->seed);
	memstore_init(&ms, store, FILE_MAX, &node, prng_below(&rng, 2));
	ms.queued = true;
	memstore_file(&ms, &f);
	memset(model, 0, sizeof(model));
	model_size = 0;
	host_set_idle_work(ms_idle);

	for (unsigned long step = 0; step < steps && !test->failed; step++) {
		unsigned long op = prng_below(&rng, 100);
		loff_t pos = (loff_t)prng_below(&rng, FILE_MAX);
		size_t len = 1 + prng_below(&rng, prng_below(&rng, 4) ?
						  3 * 4096 : 64);

		if (pos + (loff_t)len > FILE_MAX)
			len = (size_t)(FILE_MAX - pos);
		if (prng_below(&rng, 2))	/* streams as well as jumps */
			pos = f.f_pos;
		if (pos + (loff_t)len > FILE_MAX)
			pos = 0;
		if (op < 35) {				/* read */
			loff_t p = pos;
			ssize_t want = pos >= model_size ? 0 :
				(ssize_t)(model_size - pos < (loff_t)len ?
					  model_size - pos : (loff_t)len);
			ssize_t n;

			if (!prng_below(&rng, 8)) {
				/* Killed: the read looks before each page
				 * (its first piece, then whole pages) and
				 * stops at the k-th look; -EINTR if that
				 * was the first. */
				unsigned long k = 1 + prng_below(&rng, 4);
				size_t first = 4096 - (size_t)(pos % 4096);
				size_t upto = k == 1 ? 0 : first +
					(k - 2) * (size_t)4096;

				host_kill_after_checks(k);
				n = filemap_read(&f, (char *)buf, len, &p);
				host_kill_after_checks(0);
				if (want > 0 && (size_t)want > upto)
					want = upto ? (ssize_t)upto : -EINTR;
				kills++;
			} else if (prng_below(&rng, 4)) {
				n = filemap_read(&f, (char *)buf, len, &p);
			} else {
				/* Into "user" memory whose bytes from a
				 * random offset on fault: the read stops
				 * there, exactly (-EFAULT if at once). */
				struct iov_iter to;
				size_t room = prng_below(&rng, 3) ? len :
					prng_below(&rng, len + 1);

				iov_iter_ubuf(&to, (char *)buf, len);
				host_user_fault_at = (char *)buf + room;
				n = filemap_read_iter(&f, &to, &p);
				host_user_fault_at = NULL;
				if ((ssize_t)room < want)
					want = room ? (ssize_t)room : -EFAULT;
				faults += room < len;
			}
			reads++;
			eofs += want < (ssize_t)len;
			KUNIT_EXPECT_EQ(test, n, want);
			KUNIT_EXPECT_EQ(test, p, pos + (n > 0 ? n : 0));
			if (n > 0 && memcmp(buf, model + pos, (size_t)n))
				KUNIT_FAIL(test, "step %lu: read %zu at %lld "
					   "differs from the model", step, len,
					   (long long)pos);
			f.f_pos = p;
		} else if (op < 70) {			/* write */
			loff_t p = pos;
			ssize_t n;

			for (size_t i = 0; i < len; i++)
				buf[i] = (unsigned char)prng_below(&rng, 256);
			n = generic_perform_write(&f, (char *)buf, len, &p);
			KUNIT_EXPECT_EQ(test, n, (ssize_t)len);
			memcpy(model + pos, buf, len);
			if (pos + (loff_t)len > model_size)
				model_size = pos + (loff_t)len;
			f.f_pos = p;
		} else if (op < 76) {			/* truncate */
			loff_t size = (loff_t)prng_below(&rng, FILE_MAX);

			truncate_pagecache(&ms.mapping, size);
			memstore_truncate(&ms, size);
			model_truncate(size);
		} else if (op < 84) {			/* flusher pass */
			writeback_dirty_mappings(1 + prng_below(&rng, 8),
						 WB_SYNC_NONE);
		} else if (op < 88) {			/* fsync */
			KUNIT_EXPECT_EQ(test,
					filemap_write_and_wait(&ms.mapping), 0);
			for (unsigned int i = 0; i < ms.nq; i++)
				if (ms.q[i].write)
					KUNIT_FAIL(test, "step %lu: fsync "
						   "returned with a write queued",
						   step);
			if (memcmp(store, model, (size_t)model_size))
				KUNIT_FAIL(test, "step %lu: after fsync the "
					   "store differs from the model", step);
		} else if (op < 91) {			/* drop_caches */
			invalidate_mapping_pages(&ms.mapping, 0, ~0UL);
		} else {				/* I/O completes */
			memstore_complete(&ms);
		}
		check_state(test, step);
	}
	kunit_info(test, "%lu reads (%lu at the end, %lu into a buffer "
		   "that faults, %lu killed partway), %lu pages read, %lu "
		   "written", reads, eofs, faults, kills, ms.reads, ms.writes);

	KUNIT_EXPECT_EQ(test, filemap_write_and_wait(&ms.mapping), 0);
	KUNIT_EXPECT_EQ(test, memcmp(store, model, (size_t)model_size), 0);
	KUNIT_EXPECT_EQ(test, nstat(NR_FILE_DIRTY), 0UL);
	KUNIT_EXPECT_EQ(test, nstat(NR_WRITEBACK), 0UL);
	truncate_pagecache(&ms.mapping, 0);
	check_state(test, steps);
	KUNIT_EXPECT_EQ(test, ms.mapping.nrpages, 0UL);
	memstore_destroy(&ms);
	host_set_idle_work(NULL);
	test_arena_done(test, &arena);
}

/* Errors in the middle of traffic: a failing page read gives -EIO to
 * the reads that need it and nothing else; a failing write-back is
 * reported to one fsync, and the page's data is still in the cache. */
static void filemap_errors_under_queued_io(struct kunit *test)
{
	loff_t p;

	KUNIT_ASSERT_TRUE(test, test_arena_make(test, &arena, 0));
	lruvec_init(node_lruvec(&node));
	memstore_init(&ms, store, FILE_MAX, &node, true);
	ms.queued = true;
	memstore_file(&ms, &f);
	host_set_idle_work(ms_idle);
	for (size_t i = 0; i < 16 * 4096; i++)
		store[i] = (unsigned char)(i * 13);
	ms.mapping.size = 16 * 4096;

	ms.fail_read_index = 5;
	p = 0;	/* readahead brings page 5 in with the others: it fails */
	KUNIT_EXPECT_EQ(test, filemap_read(&f, (char *)buf, 16 * 4096, &p),
			5 * 4096);
	KUNIT_EXPECT_EQ(test, memcmp(buf, store, 5 * 4096), 0);
	KUNIT_EXPECT_EQ(test, filemap_read(&f, (char *)buf, 100, &p), -EIO);
	ms.fail_read_index = -1;
	KUNIT_EXPECT_EQ(test, filemap_read(&f, (char *)buf, 11 * 4096, &p),
			11 * 4096);
	KUNIT_EXPECT_EQ(test, memcmp(buf, store + 5 * 4096, 11 * 4096), 0);

	memset(buf, 0x5a, 4096);
	p = 3 * 4096;
	generic_perform_write(&f, (char *)buf, 4096, &p);
	ms.fail_write_index = 3;
	KUNIT_EXPECT_EQ(test, filemap_write_and_wait(&ms.mapping), -EIO);
	KUNIT_EXPECT_EQ(test, filemap_write_and_wait(&ms.mapping), 0);
	p = 3 * 4096;
	KUNIT_EXPECT_EQ(test, filemap_read(&f, (char *)buf + 4096, 4096, &p),
			4096);
	KUNIT_EXPECT_EQ(test, memcmp(buf, buf + 4096, 4096), 0);
	ms.fail_write_index = -1;

	truncate_pagecache(&ms.mapping, 0);
	KUNIT_EXPECT_EQ(test, nstat(NR_FILE_PAGES), 0UL);
	memstore_destroy(&ms);
	host_set_idle_work(NULL);
	test_arena_done(test, &arena);
}

static struct kunit_case filemap_model_cases[] = {
	KUNIT_CASE(filemap_random_ops_match_model),
	KUNIT_CASE(filemap_errors_under_queued_io),
	{}
};

static struct kunit_suite filemap_model_suite = {
	.name = "filemap_model",
	.test_cases = filemap_model_cases,
};
kunit_test_suite(filemap_model_suite);
