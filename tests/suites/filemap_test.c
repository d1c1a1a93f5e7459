/*
 * tests/suites/filemap_test.c - the page cache (mm/filemap.c,
 * page-writeback.c, truncate.c, readahead.c) over an in-memory store
 * (memstore.h), on a private page arena so every page is accounted for:
 * each case ends with all pages back (test_arena_done). Runs on the host
 * and in the kernel; the long randomised model is tests/host/filemap_test.c.
 */
#include "kernel/cmdline.h"
#include "kernel/kunit.h"
#include "kernel/printk.h"
#include "kernel/lib/string.h"
#include "mm/filemap.h"
#include "mm/lru.h"
#include "mm/vmscan.h"
#include "mm/vmstat.h"
#include "mm/workingset.h"
#include "tests/suites/memstore.h"
#include "tests/suites/test_arena.h"

#define STORE_BYTES	(64 * 4096)

static unsigned char store_bytes[STORE_BYTES];
static unsigned char buf[STORE_BYTES], buf2[STORE_BYTES];

struct fm_env {
	struct test_arena arena;
	struct memstore ms;
	struct file f;
};
static struct fm_env env;

static bool fm_setup(struct kunit *test, bool queued, bool with_ra)
{
	if (!test_arena_make(test, &env.arena, 0))
		return false;
	lruvec_init(node_lruvec(&env.arena.pgdat));
	memstore_init(&env.ms, store_bytes, STORE_BYTES, &env.arena.pgdat,
		      with_ra);
	env.ms.queued = queued;
	memstore_file(&env.ms, &env.f);
	return true;
}

static unsigned long fm_stat(enum node_stat_item item)
{
	return node_page_state_snapshot(&env.arena.pgdat, item);
}

/* Everything out of the cache; no page, count or index node left. */
static void fm_teardown(struct kunit *test)
{
	struct address_space *m = &env.ms.mapping;

	truncate_pagecache(m, 0);
	memstore_complete(&env.ms);
	KUNIT_EXPECT_EQ(test, m->nrpages, 0UL);
	KUNIT_EXPECT_EQ(test, m->nrshadows, 0UL);
	KUNIT_EXPECT_EQ(test, fm_stat(NR_FILE_PAGES), 0UL);
	KUNIT_EXPECT_EQ(test, fm_stat(NR_FILE_DIRTY), 0UL);
	KUNIT_EXPECT_EQ(test, fm_stat(NR_WRITEBACK), 0UL);
	memstore_destroy(&env.ms);
	test_arena_done(test, &env.arena);
}

static void fill(unsigned char *p, size_t n, unsigned int seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(seed + i * 7 + (i >> 12));
}

static ssize_t fm_write(loff_t pos, const void *p, size_t n)
{
	return generic_perform_write(&env.f, p, n, &pos);
}

static ssize_t fm_read(loff_t pos, void *p, size_t n)
{
	return filemap_read(&env.f, p, n, &pos);
}

/* Bytes written through the cache read back, across page boundaries and
 * up to the size; reads at or past the end return 0. */
static void filemap_write_then_read_back(struct kunit *test)
{
	if (!fm_setup(test, false, false))
		return;
	fill(buf, 3 * 4096 + 100, 1);
	KUNIT_EXPECT_EQ(test, fm_write(0, buf, 3 * 4096 + 100), 3 * 4096 + 100);
	KUNIT_EXPECT_EQ(test, env.ms.mapping.size, 3 * 4096 + 100);
	KUNIT_EXPECT_EQ(test, env.ms.mapping.nrpages, 4UL);
	KUNIT_EXPECT_EQ(test, fm_stat(NR_FILE_PAGES), 4UL);
	KUNIT_EXPECT_EQ(test, fm_stat(NR_FILE_DIRTY), 4UL);
	memset(buf2, 0, sizeof(buf2));
	KUNIT_EXPECT_EQ(test, fm_read(4000, buf2, 20000), 3 * 4096 + 100 - 4000);
	KUNIT_EXPECT_EQ(test, memcmp(buf2, buf + 4000, 3 * 4096 + 100 - 4000), 0);
	KUNIT_EXPECT_EQ(test, fm_read(3 * 4096 + 100, buf2, 10), 0);
	KUNIT_EXPECT_EQ(test, fm_read(1 << 20, buf2, 10), 0);
	/* A huge count stops at the end of the file; a negative position
	 * is refused. */
	KUNIT_EXPECT_EQ(test, fm_read(100, buf2, ~(size_t)0 >> 1), 3 * 4096);
	KUNIT_EXPECT_EQ(test, fm_read(-1, buf2, 10), -EINVAL);
	KUNIT_EXPECT_EQ(test, fm_write(-4096, buf, 10), -EINVAL);
	KUNIT_EXPECT_EQ(test, fm_write((loff_t)1 << 43, buf, 10), -EFBIG);
	/* Nothing was read from the store: the pages were written whole or
	 * lay beyond the old end. */
	KUNIT_EXPECT_EQ(test, env.ms.reads, 0UL);
	fm_teardown(test);
}

static unsigned int throttle_wakes;
static pg_data_t *throttle_woken_node;

static void count_throttle_wake(pg_data_t *pgdat)
{
	throttle_wakes++;
	throttle_woken_node = pgdat;
}

/* fsync writes every dirty page and waits: the store holds the bytes,
 * the dirty and writeback counts are back to 0. (Queued I/O: the host
 * model test, tests/host/filemap_test.c.) */
static void filemap_fsync_writes_the_store(struct kunit *test)
{
	{
		void (*saved)(pg_data_t *) = reclaim_wake_throttled_hook;

		if (!fm_setup(test, false, false))
			return;
		fill(buf, 5 * 4096, 3);
		KUNIT_EXPECT_EQ(test, fm_write(0, buf, 5 * 4096), 5 * 4096);
		/* Each ended write-back wakes throttled reclaimers. */
		throttle_wakes = 0;
		reclaim_wake_throttled_hook = count_throttle_wake;
		KUNIT_EXPECT_EQ(test, filemap_write_and_wait(&env.ms.mapping), 0);
		reclaim_wake_throttled_hook = saved;
		KUNIT_EXPECT_EQ(test, throttle_wakes, 5U);
		KUNIT_EXPECT_PTR_EQ(test, throttle_woken_node, &env.arena.pgdat);
		KUNIT_EXPECT_EQ(test, memcmp(store_bytes, buf, 5 * 4096), 0);
		KUNIT_EXPECT_EQ(test, env.ms.writes, 5UL);
		KUNIT_EXPECT_EQ(test, fm_stat(NR_FILE_DIRTY), 0UL);
		KUNIT_EXPECT_EQ(test, fm_stat(NR_WRITEBACK), 0UL);
		KUNIT_EXPECT_FALSE(test, xa_marked(&env.ms.mapping.i_pages,
						   PAGECACHE_TAG_DIRTY));
		/* Clean now: a second fsync writes nothing. */
		KUNIT_EXPECT_EQ(test, filemap_write_and_wait(&env.ms.mapping), 0);
		KUNIT_EXPECT_EQ(test, env.ms.writes, 5UL);
		fm_teardown(test);
	}
}

/* A read error reaches the reader as -EIO; the page is read again (and
 * succeeds) once the store is healthy. */
static void filemap_read_error_is_eio(struct kunit *test)
{
	if (!fm_setup(test, false, false))
		return;
	fill(store_bytes, 3 * 4096, 9);
	env.ms.mapping.size = 3 * 4096;
	env.f.f_ra.ra_pages = 0;		/* one page at a time */
	env.ms.fail_read_index = 1;
	KUNIT_EXPECT_EQ(test, fm_read(4096, buf2, 100), -EIO);
	/* What came before the bad page is still returned. */
	KUNIT_EXPECT_EQ(test, fm_read(4000, buf2, 200), 96);
	env.ms.fail_read_index = -1;
	KUNIT_EXPECT_EQ(test, fm_read(4096, buf2, 100), 100);
	KUNIT_EXPECT_EQ(test, memcmp(buf2, store_bytes + 4096, 100), 0);
	fm_teardown(test);
}

/* A failed write-back is reported by the next fsync, once. */
static void filemap_write_error_reported_once(struct kunit *test)
{
	if (!fm_setup(test, false, false))
		return;
	fill(buf, 2 * 4096, 5);
	fm_write(0, buf, 2 * 4096);
	env.ms.fail_write_index = 1;
	KUNIT_EXPECT_EQ(test, filemap_write_and_wait(&env.ms.mapping), -EIO);
	KUNIT_EXPECT_EQ(test, filemap_write_and_wait(&env.ms.mapping), 0);
	KUNIT_EXPECT_EQ(test, fm_stat(NR_WRITEBACK), 0UL);
	env.ms.fail_write_index = -1;
	fm_teardown(test);
}

/*
 * Write-back errors with errseq semantics (docs/mm/filemap.md, "Write-back
 * errors"): each file open when a write-back failed hears of it once from
 * fsync, whoever asked first (a sync-style filemap_write_and_wait, which
 * takes the old flag, included); a file opened after it was reported does
 * not. The page whose write failed stays in the cache, clean, uptodate,
 * PG_error, with the data written: a read still returns it, and nothing
 * writes it again on its own.
 */
static void filemap_write_error_reported_to_each_file(struct kunit *test)
{
	struct file f2, f3;
	struct page *page;

	if (!fm_setup(test, false, false))
		return;
	memstore_file(&env.ms, &f2);
	fill(buf, 2 * 4096, 6);
	fm_write(0, buf, 2 * 4096);
	env.ms.fail_write_index = 1;
	/* sync(2)'s kind of caller takes the flag first: no file loses it. */
	KUNIT_EXPECT_EQ(test, filemap_write_and_wait(&env.ms.mapping), -EIO);
	KUNIT_EXPECT_EQ(test, file_write_and_wait_range(&env.f, 0, 8191), -EIO);
	KUNIT_EXPECT_EQ(test, file_write_and_wait_range(&env.f, 0, 8191), 0);
	KUNIT_EXPECT_EQ(test, file_check_and_advance_wb_err(&f2), -EIO);
	KUNIT_EXPECT_EQ(test, file_check_and_advance_wb_err(&f2), 0);
	memstore_file(&env.ms, &f3);	/* opened after: nothing to tell */
	KUNIT_EXPECT_EQ(test, file_write_and_wait_range(&f3, 0, 8191), 0);
	/* The failed page: in the cache, clean, not under writeback,
	 * uptodate, PG_error; the store has the old bytes, a read the new. */
	page = find_get_page(&env.ms.mapping, 1);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_FALSE(test, PageDirty(page));
	KUNIT_EXPECT_FALSE(test, PageWriteback(page));
	KUNIT_EXPECT_TRUE(test, PageUptodate(page));
	KUNIT_EXPECT_TRUE(test, PageError(page));
	put_page(page);
	KUNIT_EXPECT_NE(test, memcmp(store_bytes + 4096, buf + 4096, 4096), 0);
	KUNIT_EXPECT_EQ(test, fm_read(4096, buf2, 4096), 4096);
	KUNIT_EXPECT_EQ(test, memcmp(buf2, buf + 4096, 4096), 0);
	KUNIT_EXPECT_EQ(test, fm_stat(NR_FILE_DIRTY), 0UL);
	/* A second failure: every file hears of it, f3 too. */
	env.ms.fail_write_index = 0;
	fm_write(0, buf, 100);
	KUNIT_EXPECT_EQ(test, file_write_and_wait_range(&f3, 0, 8191), -EIO);
	KUNIT_EXPECT_EQ(test, file_check_and_advance_wb_err(&env.f), -EIO);
	KUNIT_EXPECT_EQ(test, file_check_and_advance_wb_err(&f2), -EIO);
	KUNIT_EXPECT_EQ(test, file_check_and_advance_wb_err(&f3), 0);
	/* Written again and it succeeds: nothing more to report. */
	env.ms.fail_write_index = -1;
	fm_write(4096, buf + 4096, 4096);
	KUNIT_EXPECT_EQ(test, file_write_and_wait_range(&env.f, 0, 8191), 0);
	KUNIT_EXPECT_EQ(test, memcmp(store_bytes, buf, 2 * 4096), 0);
	fm_teardown(test);
}

/* Truncation drops the pages beyond the end, zeroes the partial page's
 * tail, and a file grown again reads zeros there. */
static void filemap_truncate_zeroes_the_tail(struct kunit *test)
{
	if (!fm_setup(test, false, false))
		return;
	fill(buf, 4 * 4096, 11);
	fm_write(0, buf, 4 * 4096);
	filemap_write_and_wait(&env.ms.mapping);
	truncate_pagecache(&env.ms.mapping, 5000);
	memstore_truncate(&env.ms, 5000);
	KUNIT_EXPECT_EQ(test, env.ms.mapping.size, 5000);
	KUNIT_EXPECT_EQ(test, env.ms.mapping.nrpages, 2UL);
	KUNIT_EXPECT_EQ(test, fm_stat(NR_FILE_PAGES), 2UL);
	truncate_pagecache(&env.ms.mapping, 4 * 4096);
	memset(buf2, 0xee, sizeof(buf2));
	KUNIT_EXPECT_EQ(test, fm_read(0, buf2, 4 * 4096), 4 * 4096);
	KUNIT_EXPECT_EQ(test, memcmp(buf2, buf, 5000), 0);
	memset(buf, 0, 4 * 4096);
	KUNIT_EXPECT_EQ(test, memcmp(buf2 + 5000, buf, 4 * 4096 - 5000), 0);
	fm_teardown(test);
}

/* drop_caches' part: clean unused pages go, dirty ones stay. */
static void filemap_invalidate_keeps_dirty_pages(struct kunit *test)
{
	if (!fm_setup(test, false, false))
		return;
	fill(buf, 4 * 4096, 13);
	fm_write(0, buf, 4 * 4096);
	filemap_write_and_wait(&env.ms.mapping);
	fm_write(4096, buf, 10);		/* page 1 dirty again */
	KUNIT_EXPECT_EQ(test, invalidate_mapping_pages(&env.ms.mapping, 0, ~0UL),
			3UL);
	KUNIT_EXPECT_EQ(test, env.ms.mapping.nrpages, 1UL);
	env.f.f_ra.ra_pages = 0;		/* page 0 alone */
	KUNIT_EXPECT_EQ(test, fm_read(0, buf2, 4096), 4096);	/* read again */
	KUNIT_EXPECT_EQ(test, memcmp(buf2, buf, 4096), 0);
	KUNIT_EXPECT_EQ(test, env.ms.reads, 1UL);
	fm_teardown(test);
}

/*
 * A WB_SYNC_ALL pass writes the pages dirty when it started and ends,
 * even while every write-back dirties a new page (TOWRITE tagging): 8
 * pages dirty at the start, 8 written, the 8 dirtied meanwhile left.
 */
static unsigned int chain_left;
static struct address_space_operations chain_aops;

static int chain_writepage(struct page *page, struct writeback_control *wbc)
{
	if (chain_left) {
		chain_left--;
		/* A writer dirties the page 8 further on meanwhile. */
		fm_write((loff_t)(page->index + 8) << PAGE_SHIFT, "x", 1);
	}
	return memstore_writepage(page, wbc);
}

static void filemap_sync_pass_ends_while_dirtying(struct kunit *test)
{
	if (!fm_setup(test, false, false))
		return;
	chain_aops = *env.ms.mapping.a_ops;
	chain_aops.writepage = chain_writepage;
	fill(buf, 8 * 4096, 17);
	fm_write(0, buf, 8 * 4096);
	env.ms.mapping.a_ops = &chain_aops;
	chain_left = 40;
	KUNIT_EXPECT_EQ(test, filemap_write_and_wait(&env.ms.mapping), 0);
	KUNIT_EXPECT_EQ(test, env.ms.writes, 8UL);
	KUNIT_EXPECT_EQ(test, fm_stat(NR_FILE_DIRTY), 8UL);
	chain_left = 0;
	KUNIT_EXPECT_EQ(test, filemap_write_and_wait(&env.ms.mapping), 0);
	KUNIT_EXPECT_EQ(test, env.ms.writes, 16UL);
	KUNIT_EXPECT_EQ(test, fm_stat(NR_FILE_DIRTY), 0UL);
	fm_teardown(test);
}

/* The flusher's periodic pass writes mappings dirty longer than
 * dirty_expire_ms, not younger ones; its wake-up pass writes all. */
static void filemap_flusher_writes_expired_mappings(struct kunit *test)
{
	unsigned int saved = dirty_expire_ms;

	if (!fm_setup(test, false, false))
		return;
	fill(buf, 3 * 4096, 19);
	fm_write(0, buf, 3 * 4096);
	dirty_expire_ms = 1000000;	/* nothing is that old */
	KUNIT_EXPECT_EQ(test, writeback_expired_mappings(), 0UL);
	KUNIT_EXPECT_EQ(test, env.ms.writes, 0UL);
	dirty_expire_ms = 0;		/* everything is */
	KUNIT_EXPECT_EQ(test, writeback_expired_mappings(), 3UL);
	KUNIT_EXPECT_EQ(test, env.ms.writes, 3UL);
	dirty_expire_ms = saved;
	fm_write(100, buf, 10);
	KUNIT_EXPECT_EQ(test, writeback_dirty_mappings(0, WB_SYNC_NONE), 1UL);
	KUNIT_EXPECT_EQ(test, memcmp(store_bytes, buf, 100), 0);
	KUNIT_EXPECT_EQ(test, memcmp(store_bytes + 100, buf, 10), 0);
	fm_teardown(test);
}

/* A fault reads the page (major), a second one finds it (minor); beyond
 * the end is SIGBUS; page_mkwrite dirties the page. */
static void filemap_fault_and_mkwrite(struct kunit *test)
{
	struct vm_area_struct vma;
	struct vm_fault vmf;
	vm_fault_t ret;

	if (!fm_setup(test, false, false))
		return;
	fill(store_bytes, 2 * 4096 + 10, 23);
	env.ms.mapping.size = 2 * 4096 + 10;
	memset(&vma, 0, sizeof(vma));
	vma.vm_file = &env.f;
	memset(&vmf, 0, sizeof(vmf));
	vmf.vma = &vma;
	vmf.pgoff = 1;
	ret = filemap_fault(&vmf);
	KUNIT_EXPECT_EQ(test, ret & ~(vm_fault_t)VM_FAULT_MAJOR,
			(vm_fault_t)VM_FAULT_LOCKED);
	KUNIT_EXPECT_TRUE(test, ret & VM_FAULT_MAJOR);
	KUNIT_ASSERT_NOT_NULL(test, vmf.page);
	KUNIT_EXPECT_TRUE(test, PageUptodate(vmf.page));
	KUNIT_EXPECT_EQ(test, memcmp(page_address(vmf.page), store_bytes + 4096,
				     4096), 0);
	unlock_page_wake(vmf.page);
	put_page(vmf.page);
	ret = filemap_fault(&vmf);
	KUNIT_EXPECT_EQ(test, ret, (vm_fault_t)VM_FAULT_LOCKED);
	unlock_page_wake(vmf.page);
	KUNIT_EXPECT_EQ(test, filemap_page_mkwrite(&vmf),
			(vm_fault_t)VM_FAULT_LOCKED);
	KUNIT_EXPECT_TRUE(test, PageDirty(vmf.page));
	KUNIT_EXPECT_EQ(test, fm_stat(NR_FILE_DIRTY), 1UL);
	unlock_page_wake(vmf.page);
	put_page(vmf.page);
	vmf.pgoff = 3;
	KUNIT_EXPECT_EQ(test, filemap_fault(&vmf), (vm_fault_t)VM_FAULT_SIGBUS);
	fm_teardown(test);
}

/* lock_page and the writeback bit with one thread: a held lock refuses
 * trylock, unlock_page_wake gives it back; waiting on a page under
 * queued writeback completes the I/O (the host's idle work). */
static void filemap_page_lock_bits(struct kunit *test)
{
	struct page *page;

	if (!fm_setup(test, false, false))
		return;
	page = find_or_create_page(&env.ms.mapping, 0, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, page);
	lru_add_drain_all();	/* the LRU add batch's reference goes */
	KUNIT_EXPECT_FALSE(test, trylock_page(page));
	unlock_page_wake(page);
	lock_page(page);
	KUNIT_EXPECT_TRUE(test, PageLocked(page));
	KUNIT_EXPECT_PTR_EQ(test, find_get_page(&env.ms.mapping, 0), page);
	put_page(page);
	unlock_page_wake(page);
	KUNIT_EXPECT_EQ(test, page_count(page), 2);
	put_page(page);
	fm_teardown(test);
}

/* Reclaim's way out: the page leaves a shadow in its slot; reading it
 * again replaces the shadow and counts a refault; truncation drops
 * shadows with the pages. */
static void filemap_shadow_then_refault(struct kunit *test)
{
	unsigned long refaults;
	struct page *page;

	if (!fm_setup(test, false, false))
		return;
	env.f.f_ra.ra_pages = 0;
	fill(buf, 3 * 4096, 29);
	fm_write(0, buf, 3 * 4096);
	KUNIT_EXPECT_EQ(test, filemap_write_and_wait(&env.ms.mapping), 0);
	for (pgoff_t i = 0; i < 2; i++) {
		page = find_lock_page(&env.ms.mapping, i);
		KUNIT_ASSERT_NOT_NULL(test, page);
		__delete_from_page_cache(page, workingset_eviction(page));
		unlock_page_wake(page);
		put_page(page);
	}
	KUNIT_EXPECT_EQ(test, env.ms.mapping.nrpages, 1UL);
	KUNIT_EXPECT_EQ(test, env.ms.mapping.nrshadows, 2UL);
	KUNIT_EXPECT_EQ(test, fm_stat(NR_FILE_PAGES), 1UL);
	KUNIT_EXPECT_NULL(test, find_get_page(&env.ms.mapping, 0));
	refaults = global_vm_event(WORKINGSET_REFAULT_FILE);
	KUNIT_EXPECT_EQ(test, fm_read(0, buf2, 4096), 4096);
	KUNIT_EXPECT_EQ(test, memcmp(buf2, buf, 4096), 0);
	KUNIT_EXPECT_EQ(test, global_vm_event(WORKINGSET_REFAULT_FILE),
			refaults + 1);
	KUNIT_EXPECT_EQ(test, env.ms.mapping.nrshadows, 1UL);
	KUNIT_EXPECT_EQ(test, env.ms.mapping.nrpages, 2UL);
	fm_teardown(test);	/* checks the other shadow went too */
}

/* readahead=KB sets the window limit new opens get; 0 turns it off; a
 * missing or bad value is refused and changes nothing. */
static void filemap_readahead_boot_option(struct kunit *test)
{
	unsigned int saved = readahead_max_pages;
	struct file_ra_state ra;
	static char log[2048];

	KUNIT_EXPECT_EQ(test, cmdline_parse("readahead=64"), 0);
	KUNIT_EXPECT_EQ(test, readahead_max_pages, 16U);
	file_ra_state_init(&ra);
	KUNIT_EXPECT_EQ(test, ra.ra_pages, 16U);
	KUNIT_EXPECT_EQ(test, cmdline_parse("readahead=0"), 0);
	KUNIT_EXPECT_EQ(test, readahead_max_pages, 0U);
	printk_capture_start(log, sizeof(log));
	KUNIT_EXPECT_EQ(test, cmdline_parse("readahead"), 1);
	KUNIT_EXPECT_EQ(test, cmdline_parse("readahead=lots"), 1);
	KUNIT_EXPECT_EQ(test, cmdline_parse("readahead=1000000"), 1);
	printk_capture_stop();
	KUNIT_EXPECT_STR_CONTAINS(test, log, "readahead=lots: want KB");
	KUNIT_EXPECT_EQ(test, readahead_max_pages, 0U);
	readahead_max_pages = saved;
}

static struct kunit_case filemap_cases[] = {
	KUNIT_CASE(filemap_write_then_read_back),
	KUNIT_CASE(filemap_fsync_writes_the_store),
	KUNIT_CASE(filemap_read_error_is_eio),
	KUNIT_CASE(filemap_write_error_reported_once),
	KUNIT_CASE(filemap_write_error_reported_to_each_file),
	KUNIT_CASE(filemap_truncate_zeroes_the_tail),
	KUNIT_CASE(filemap_invalidate_keeps_dirty_pages),
	KUNIT_CASE(filemap_sync_pass_ends_while_dirtying),
	KUNIT_CASE(filemap_flusher_writes_expired_mappings),
	KUNIT_CASE(filemap_fault_and_mkwrite),
	KUNIT_CASE(filemap_page_lock_bits),
	KUNIT_CASE(filemap_shadow_then_refault),
	KUNIT_CASE(filemap_readahead_boot_option),
	{}
};

static struct kunit_suite filemap_suite = {
	.name = "filemap",
	.test_cases = filemap_cases,
};
kunit_test_suite(filemap_suite);
