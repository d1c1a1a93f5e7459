/*
 * tests/kernel/filemap_kernel_test.c - the page cache with real threads:
 *  - lock_page under contention: three threads (bound to CPUs 0, 1, 0)
 *    take one page's lock ROUNDS times each and do a non-atomic increment
 *    inside, yielding while they hold it so the others must sleep in
 *    lock_page; the count must be exact (mutual exclusion), someone must
 *    have slept (contention happened), and all must finish (no lost
 *    wake-up: unlock_page_wake reaches the sleepers of the hashed queue);
 *  - wait_on_page_writeback sleeps until another thread ends writeback;
 *  - the flusher thread: wakeup_flusher_threads() gets every dirty page
 *    written soon, and its periodic pass writes pages once they are
 *    older than dirty_expire_ms, within dirty_writeback_ms of that.
 * Kernel only (threads). The store is tests/suites/memstore.h, pages
 * from a private arena.
 */
#include "kernel/kthread.h"
#include "kernel/kunit.h"
#include "kernel/lib/string.h"
#include "kernel/sched.h"
#include "kernel/smp.h"
#include "kernel/time.h"
#include "kernel/wait.h"
#include "mm/backing-dev.h"
#include "mm/filemap.h"
#include "mm/lru.h"
#include "mm/vmstat.h"
#include "tests/suites/memstore.h"
#include "tests/suites/test_arena.h"

#define ROUNDS		300
#define NR_LOCKERS	3

static struct test_arena arena;
static struct memstore ms;
static unsigned char store[16 * 4096];
static struct page *shared_page;
static unsigned int nr_done, nr_slept, nr_arrived;

static bool fk_setup(struct kunit *test)
{
	if (!test_arena_make(test, &arena, 0))
		return false;
	lruvec_init(node_lruvec(&arena.pgdat));
	memstore_init(&ms, store, sizeof(store), &arena.pgdat, false);
	return true;
}

static void fk_teardown(struct kunit *test)
{
	filemap_write_and_wait(&ms.mapping);
	truncate_pagecache(&ms.mapping, 0);
	KUNIT_EXPECT_EQ(test, ms.mapping.nrpages, 0UL);
	memstore_destroy(&ms);
	test_arena_done(test, &arena);
}

static int locker(void *arg)
{
	volatile unsigned long *count = page_address(shared_page);

	(void)arg;
	/* Nobody starts until every locker is here: on a busy host a locker
	 * could otherwise do all its rounds before the one sharing its CPU
	 * was running (seen beside another machine: "0 of 900 lock_page
	 * calls found the page locked"), and the case would test nothing. */
	__atomic_fetch_add(&nr_arrived, 1, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&nr_arrived, __ATOMIC_SEQ_CST) < NR_LOCKERS)
		yield();
	for (int i = 0; i < ROUNDS; i++) {
		unsigned long v;

		if (!trylock_page(shared_page)) {
			__atomic_fetch_add(&nr_slept, 1, __ATOMIC_RELAXED);
			lock_page(shared_page);
		}
		v = *count;
		if (i % 8 == 0)
			yield();	/* hold it while others want it */
		*count = v + 1;
		unlock_page_wake(shared_page);
	}
	__atomic_fetch_add(&nr_done, 1, __ATOMIC_RELAXED);
	return 0;
}

static void filemap_lock_page_contention(struct kunit *test)
{
	struct thread *t[NR_LOCKERS];
	uint64_t deadline;

	if (!fk_setup(test))
		return;
	shared_page = find_or_create_page(&ms.mapping, 0, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, shared_page);
	memset(page_address(shared_page), 0, PAGE_SIZE);
	SetPageUptodate(shared_page);
	unlock_page_wake(shared_page);
	nr_done = nr_slept = nr_arrived = 0;
	for (int i = 0; i < NR_LOCKERS; i++) {
		t[i] = kthread_create(locker, NULL, "locker%d", i);
		KUNIT_ASSERT_NOT_NULL(test, t[i]);
		kthread_bind(t[i], (unsigned int)(i % 2) % num_online_cpus());
		wake_up_process(t[i]);
	}
	deadline = clock_ns() + 20000000000ULL;	/* 20 s: a lost wake-up */
	while (__atomic_load_n(&nr_done, __ATOMIC_RELAXED) < NR_LOCKERS &&
	       clock_ns() < deadline)
		sleep_ms(10);
	KUNIT_ASSERT_EQ(test, __atomic_load_n(&nr_done, __ATOMIC_RELAXED),
			(unsigned int)NR_LOCKERS);
	for (int i = 0; i < NR_LOCKERS; i++)
		kthread_stop(t[i]);
	KUNIT_EXPECT_EQ(test, *(unsigned long *)page_address(shared_page),
			(unsigned long)NR_LOCKERS * ROUNDS);
	KUNIT_EXPECT_GT(test, nr_slept, 0U);
	kunit_info(test, "%u of %u lock_page calls found the page locked",
		   nr_slept, NR_LOCKERS * ROUNDS);
	KUNIT_EXPECT_FALSE(test, PageLocked(shared_page));
	put_page(shared_page);
	fk_teardown(test);
}

static bool wb_waiter_done;

static int wb_waiter(void *arg)
{
	(void)arg;
	wait_on_page_writeback(shared_page);
	WRITE_ONCE(wb_waiter_done, true);
	return 0;
}

static void filemap_writeback_wait_sleeps(struct kunit *test)
{
	struct thread *t;

	if (!fk_setup(test))
		return;
	shared_page = find_or_create_page(&ms.mapping, 0, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, shared_page);
	SetPageUptodate(shared_page);
	set_page_writeback(shared_page);
	unlock_page_wake(shared_page);
	wb_waiter_done = false;
	t = kthread_run(wb_waiter, NULL, "wbwait");
	KUNIT_ASSERT_NOT_NULL(test, t);
	sleep_ms(50);
	KUNIT_EXPECT_FALSE(test, READ_ONCE(wb_waiter_done));
	end_page_writeback(shared_page);
	kthread_stop(t);
	KUNIT_EXPECT_TRUE(test, READ_ONCE(wb_waiter_done));
	put_page(shared_page);
	fk_teardown(test);
}

/* Wait up to ms for the store to have seen `writes` write-backs. */
static bool wait_writes(unsigned long writes, unsigned int ms_max)
{
	uint64_t deadline = clock_ns() + (uint64_t)ms_max * 1000000;

	while (READ_ONCE(ms.writes) < writes && clock_ns() < deadline)
		sleep_ms(5);
	return READ_ONCE(ms.writes) >= writes;
}

static void filemap_flusher_writes_dirty_pages(struct kunit *test)
{
	unsigned int saved_period = dirty_writeback_ms;
	unsigned int saved_expire = dirty_expire_ms;
	struct file f;
	loff_t pos = 0;
	uint64_t t0, took_ms;
	char data[3 * 4096];

	if (!wb_wakeup_hook)
		kunit_skip(test, "no flusher thread (writeback_init not run)");
	if (!fk_setup(test))
		return;
	memstore_file(&ms, &f);
	memset(data, 0x3c, sizeof(data));

	/* Asked: written at once. */
	KUNIT_EXPECT_EQ(test, generic_perform_write(&f, data, sizeof(data), &pos),
			(ssize_t)sizeof(data));
	wakeup_flusher_threads();
	KUNIT_EXPECT_TRUE(test, wait_writes(3, 2000));
	KUNIT_EXPECT_EQ(test, memcmp(store, data, sizeof(data)), 0);

	/* Periodic: written once expired, within a period of that. */
	dirty_writeback_ms = 100;
	dirty_expire_ms = 200;
	wakeup_flusher_threads();	/* let it pick up the new period */
	sleep_ms(20);
	pos = 0;
	t0 = clock_ns();
	generic_perform_write(&f, "Z", 1, &pos);
	KUNIT_EXPECT_TRUE(test, wait_writes(4, 3000));
	took_ms = (clock_ns() - t0) / 1000000;
	kunit_info(test, "expired page written after %llu ms (expire 200, "
		   "period 100)", (unsigned long long)took_ms);
	KUNIT_EXPECT_GE(test, took_ms, 190ULL);
	KUNIT_EXPECT_LE(test, took_ms, 200ULL + 100 + 400);	/* TCG slack */
	KUNIT_EXPECT_EQ(test, store[0], 'Z');
	dirty_writeback_ms = saved_period;
	dirty_expire_ms = saved_expire;
	wakeup_flusher_threads();
	fk_teardown(test);
}

/*
 * Two writeback passes at once (the flusher's and a sync's), each on its
 * own mapping, with slow write-backs: X's pass ends first, and
 * mapping_forget_dirty(Y) must still wait for Y's pass (an inode
 * eviction frees the mapping right after it).
 */
static struct memstore ms_y;
static unsigned char store_y[4 * 4096];
static struct address_space_operations slow_aops;
static bool pass_x_done, pass_y_done, x_started, y_started;

static int slow_writepage(struct page *page, struct writeback_control *wbc)
{
	bool x = page->mapping == &ms.mapping;

	WRITE_ONCE(*(x ? &x_started : &y_started), true);
	sleep_ms(x ? 30 : 100);
	return memstore_writepage(page, wbc);
}

static int pass_x(void *arg)
{
	(void)arg;
	writeback_mappings_older_than(1, 0, WB_SYNC_NONE);	/* X only */
	WRITE_ONCE(pass_x_done, true);
	return 0;
}

static int pass_y(void *arg)
{
	(void)arg;
	writeback_dirty_mappings(0, WB_SYNC_ALL);		/* Y */
	WRITE_ONCE(pass_y_done, true);
	return 0;
}

static void filemap_forget_waits_for_every_pass(struct kunit *test)
{
	struct thread *tx, *ty;
	struct file fx, fy;
	char data[3 * 4096];
	loff_t pos;

	if (!fk_setup(test))
		return;
	memstore_init(&ms_y, store_y, sizeof(store_y), &arena.pgdat, false);
	slow_aops = *ms.mapping.a_ops;
	slow_aops.writepage = slow_writepage;
	ms.mapping.a_ops = &slow_aops;
	ms_y.mapping.a_ops = &slow_aops;
	memstore_file(&ms, &fx);
	memstore_file(&ms_y, &fy);
	memset(data, 0x11, sizeof(data));
	pos = 0;
	generic_perform_write(&fx, data, sizeof(data), &pos);
	pos = 0;
	generic_perform_write(&fy, data, sizeof(data), &pos);
	ms.mapping.dirtied_when = 0;	/* X is old, Y is new */
	pass_x_done = pass_y_done = x_started = y_started = false;
	tx = kthread_run(pass_x, NULL, "passx");
	KUNIT_ASSERT_NOT_NULL(test, tx);
	while (!READ_ONCE(x_started))	/* X's pass is writing X */
		sleep_ms(1);
	ty = kthread_run(pass_y, NULL, "passy");
	KUNIT_ASSERT_NOT_NULL(test, ty);
	while (!READ_ONCE(y_started))	/* Y's pass is writing Y */
		sleep_ms(1);
	while (!READ_ONCE(pass_x_done))
		sleep_ms(5);
	/* Y is being written (by pass Y or by the flusher, whichever took
	 * it first) and X's pass is over. */
	KUNIT_EXPECT_LT(test, READ_ONCE(ms_y.writes), 3UL);
	mapping_forget_dirty(&ms_y.mapping);
	/* It returned only once Y's pass was done with Y. */
	KUNIT_EXPECT_EQ(test, READ_ONCE(ms_y.writes), 3UL);
	kthread_stop(tx);
	kthread_stop(ty);
	KUNIT_EXPECT_TRUE(test, READ_ONCE(pass_y_done));
	truncate_pagecache(&ms_y.mapping, 0);
	memstore_destroy(&ms_y);
	fk_teardown(test);
}

static struct kunit_case filemap_kernel_cases[] = {
	KUNIT_CASE(filemap_lock_page_contention),
	KUNIT_CASE(filemap_writeback_wait_sleeps),
	KUNIT_CASE(filemap_flusher_writes_dirty_pages),
	KUNIT_CASE(filemap_forget_waits_for_every_pass),
	{}
};

static struct kunit_suite filemap_kernel_suite = {
	.name = "filemap_kernel",
	.test_cases = filemap_kernel_cases,
};
kunit_test_suite(filemap_kernel_suite);
