/*
 * tests/kernel/cma_user_test.c - CMA end to end (issue 17): a region set
 * aside at boot (cma=16M) is lent to running programs - their anonymous
 * memory, their page cache on an ext2 disk, the pages forked children
 * share, pages swapped out and back - and taken back whole, again and
 * again, while they run; every program's data verifies afterwards.
 *
 * The machine (tools/e2e.sh, swap_setup: the swap configurations) has
 * 128 MiB, a swap disk, an ext2 disk and the region. The harness
 * promises (kunit.expect=, so a missing region fails, not skips):
 *   cma.size:16M   the boot region (cma=16M)
 *   cma.fs:vdb     an empty ext2 disk for the page-cache load
 *   swap.hogs:N    memhogs to run at once (1 on -smp 2, 4 on -smp 4)
 *   swap.size:192M memory all of them touch together (1.5x RAM)
 * Without cma.size the suite skips: other configurations run it too.
 */
#include "tests/kernel/e2e_user.h"
#include "kernel/errno.h"
#include "kernel/smp.h"
#include "kernel/time.h"
#include "kernel/wait.h"
#include "mm/cma.h"
#include "mm/mmzone.h"
#include "mm/page_alloc.h"
#include "mm/vmstat.h"

#define MAX_PROGS	8
/* The loops of the last case (the figure). */
#define LOOPS		1000

static uint64_t promised_mib(struct kunit *test, const char *key)
{
	const char *s = promised(test, key);
	char buf[24];
	size_t n = strlen(s);
	uint64_t v = 0;

	strlcpy(buf, s, sizeof(buf));
	if (n && buf[n - 1] == 'M')
		buf[n - 1] = '\0';
	if (!parse_u64(buf, &v, false))
		KUNIT_FAIL(test, "%s:%s is not a size in MiB", key, s);
	return v;
}

static struct cma *region(struct kunit *test)
{
	uint64_t mib = promised_mib(test, "cma.size");
	struct cma *cma = cma_default();

	if (!cma) {
		KUNIT_FAIL(test, "cma=%lluM was promised, but there is no "
			   "region", (unsigned long long)mib);
		kunit_end_case(test);
	}
	KUNIT_EXPECT_EQ(test, cma->count, (unsigned long)(mib << 20) / PAGE_SIZE);
	return cma;
}

/* Have all of these exited? Reaps those that did, keeping the status. */
static bool all_exited(int *pids, int *status, unsigned int n)
{
	bool all = true;

	for (unsigned int i = 0; i < n; i++) {
		int s;

		if (!pids[i])
			continue;
		s = process_wait_nohang(pids[i]);
		if (s == -EAGAIN) {
			all = false;
			continue;
		}
		status[i] = s;
		pids[i] = 0;
	}
	return all;
}

/*
 * Take the whole region (or count pages of it) and give it back: true if
 * taken. The pages come back as ours: each is written and read back, so
 * a page still in use by a program would be caught (its data changes).
 */
struct take_stats {
	unsigned int tries, taken;
	unsigned long lent_max;		/* pages lent at a take, the most */
	uint64_t ns_full;		/* time of the takes with >= 90% lent */
	unsigned int full;		/* how many */
};

static bool take(struct kunit *test, struct cma *cma, unsigned long count,
		 unsigned int align, struct take_stats *st)
{
	unsigned long lent = cma_lent_pages(cma);
	uint64_t t0 = clock_ns(), t;
	struct page *p = cma_alloc(cma, count, align);

	t = clock_ns() - t0;
	st->tries++;
	if (!p) {
		KUNIT_FAIL(test, "cma_alloc of %lu pages failed (%lu lent): "
			   "%s", count, lent, cma->last_failure.why ?
			   cma->last_failure.why : "no reason");
		return false;
	}
	st->taken++;
	if (lent > st->lent_max)
		st->lent_max = lent;
	if (count == cma->count && lent >= cma->count * 9 / 10) {
		st->full++;
		st->ns_full += t;
	}
	for (unsigned long i = 0; i < count; i += 37) {
		uint64_t *w = page_address(p + i);

		KUNIT_EXPECT_EQ(test, page_count(p + i), 1);
		w[i % 512] = 0xc3a0000000000000ULL | i;
	}
	for (unsigned long i = 0; i < count; i += 37)
		KUNIT_EXPECT_EQ(test, ((uint64_t *)page_address(p + i))[i % 512],
				0xc3a0000000000000ULL | i);
	KUNIT_EXPECT_TRUE(test, cma_release(cma, p, count));
	return true;
}

static void report(struct kunit *test, const char *what, struct cma *cma,
		   const struct take_stats *st)
{
	unsigned long mib = cma->count * PAGE_SIZE >> 20;

	kunit_info(test, "%s: %u of %u takes succeeded; up to %lu of %lu "
		   "pages lent at a take; %u whole-region takes at >= 90%% "
		   "lent, %llu us per MiB", what, st->taken, st->tries,
		   st->lent_max, cma->count, st->full,
		   st->full ? (unsigned long long)(st->ns_full / 1000 /
						   st->full / mib) : 0ULL);
}

/* ---------------------------------------------------------------- cases */

/* The region is on, as the console says. */
static void region_is_on(struct kunit *test)
{
	struct cma *cma = region(test);

	capture(test);
	KUNIT_EXPECT_EQ(test, console("cma"), 0);
	KUNIT_EXPECT_STR_CONTAINS(test, out, cma->name);
	KUNIT_EXPECT_TRUE(test, cma->active);
	KUNIT_EXPECT_EQ(test, cma->allocated, 0UL);
}

/*
 * memhogs whose memory outgrows RAM (swap on) borrow the region; while
 * they write and verify, the whole region is taken and given back again
 * and again: every take succeeds, and each memhog still reports 0
 * mismatches. The takes at >= 90% lent give the ms per MiB.
 */
static void region_taken_from_memhogs(struct kunit *test)
{
	struct cma *cma = region(test);
	uint64_t hogs, total = promised_mib(test, "swap.size");
	struct take_stats st = { 0 };
	int pids[MAX_PROGS] = { 0 }, status[MAX_PROGS] = { 0 };
	char size[16];

	KUNIT_ASSERT_TRUE(test, parse_u64(promised(test, "swap.hogs"), &hogs,
					  false));
	KUNIT_ASSERT_TRUE(test, hogs >= 1 && hogs <= 4);
	ksnprintf(size, sizeof(size), "%lluM",
		  (unsigned long long)(total / hogs));
	capture(test);
	for (uint64_t i = 0; i < hogs; i++) {
		const char *const argv[] = { "memhog", size, NULL };

		pids[i] = start(test, argv);
	}
	while (!all_exited(pids, status, (unsigned int)hogs)) {
		if (cma_lent_pages(cma) >= cma->count * 9 / 10 ||
		    st.tries < 2)
			take(test, cma, cma->count, 0, &st);
		sleep_ms(20);
	}
	for (uint64_t i = 0; i < hogs; i++)
		KUNIT_EXPECT_EQ(test, status[i], EXITED(0));
	KUNIT_EXPECT_EQ(test, count_lines(" 0 mismatches"), (unsigned int)hogs);
	KUNIT_EXPECT_STR_NOT_CONTAINS(test, out, "Out of memory");
	KUNIT_EXPECT_EQ(test, st.taken, st.tries);
	KUNIT_EXPECT_GT(test, st.full, 0U);
	report(test, "memhogs", cma, &st);
}

/*
 * forked children share their parent's pages (forktest), beside a memhog
 * that fills memory: pages mapped by several processes are in the region
 * when it is taken.
 */
static void region_taken_from_forked_processes(struct kunit *test)
{
	struct cma *cma = region(test);
	uint64_t total = promised_mib(test, "swap.size");
	struct take_stats st = { 0 };
	int pids[2] = { 0 }, status[2] = { 0 };
	char size[16];

	ksnprintf(size, sizeof(size), "%lluM", (unsigned long long)(total / 2));
	capture(test);
	{
		const char *const hog[] = { "memhog", size, NULL };
		const char *const fk[] = { "forktest", NULL };

		pids[0] = start(test, hog);
		pids[1] = start(test, fk);
	}
	while (!all_exited(pids, status, 2)) {
		take(test, cma, cma->count, 0, &st);
		sleep_ms(10);
	}
	KUNIT_EXPECT_EQ(test, status[0], EXITED(0));
	KUNIT_EXPECT_EQ(test, status[1], EXITED(0));
	KUNIT_EXPECT_EQ(test, count_lines(" 0 mismatches"), 1U);
	KUNIT_EXPECT_STR_CONTAINS(test, out, "every copy private, all exited 0");
	KUNIT_EXPECT_EQ(test, st.taken, st.tries);
	report(test, "forktest beside a memhog", cma, &st);
}

/*
 * Page cache: a file written through write() (dirty pages, then
 * writeback) and another through a shared mapping, on ext2, while the
 * region is taken over and over; then both files read back from the disk
 * (the cache dropped) hold exactly the pattern.
 */
static void region_taken_from_page_cache(struct kunit *test)
{
	struct cma *cma = region(test);
	const char *dev = promised(test, "cma.fs");
	struct take_stats st = { 0 };
	int pids[2] = { 0 }, status[2] = { 0 };
	char line[96];

	ksnprintf(line, sizeof(line), "mount %s /mnt", dev);
	KUNIT_ASSERT_EQ(test, console(line), 0);
	capture(test);
	{
		const char *const w[] = { "sh", "-c", "pattern 17 40M | "
			"dd of=/mnt/w bs=64k status=none && sync", NULL };
		const char *const m[] = { "sh", "-c", "dd if=/dev/zero "
			"of=/mnt/m bs=1M count=24 status=none && "
			"mapfile 18 /mnt/m 0 25165824", NULL };

		pids[0] = start(test, w);
		pids[1] = start(test, m);
	}
	while (!all_exited(pids, status, 2)) {
		take(test, cma, cma->count, 0, &st);
		sleep_ms(10);
	}
	KUNIT_EXPECT_EQ(test, status[0], EXITED(0));
	KUNIT_EXPECT_EQ(test, status[1], EXITED(0));
	KUNIT_EXPECT_STR_CONTAINS(test, out, "msync 0");
	KUNIT_EXPECT_EQ(test, st.taken, st.tries);
	report(test, "page cache (write and a shared mapping)", cma, &st);

	/* From the disk: drop the cache, then check both files. */
	KUNIT_EXPECT_EQ(test, console("sync"), 0);
	KUNIT_EXPECT_EQ(test, console("drop_caches 3"), 0);
	capture(test);
	{
		const char *const c1[] = { "pattern", "-c", "17", "40M",
					   "/mnt/w", NULL };
		const char *const c2[] = { "pattern", "-c", "18", "24M",
					   "/mnt/m", NULL };
		int a = start(test, c1), b;

		KUNIT_EXPECT_EQ(test, process_wait(a), EXITED(0));
		b = start(test, c2);
		KUNIT_EXPECT_EQ(test, process_wait(b), EXITED(0));
	}
	KUNIT_EXPECT_EQ(test, count_lines(" 0 bad blocks"), 2U);
	KUNIT_EXPECT_EQ(test, console("umount /mnt"), 0);
}

/*
 * The loop: at least 1000 allocations of 1 MiB (aligned to 1 MiB)
 * and releases, going on for as long as memhogs churn anonymous memory
 * on every CPU (swap on) and a writer dirties a file on ext2: every one
 * succeeds, every memhog pass verifies, and the file reads back whole.
 */
static void thousand_takes_under_load(struct kunit *test)
{
	struct cma *cma = region(test);
	const char *dev = promised(test, "cma.fs");
	/* As much anonymous memory as RAM: swapping, with the region and
	 * the file beside it. */
	uint64_t total = promised_mib(test, "swap.size") * 2 / 3;
	unsigned int ncpu = num_online_cpus(), n = 0;
	struct take_stats st = { 0 };
	int pids[MAX_PROGS] = { 0 }, status[MAX_PROGS] = { 0 };
	unsigned long fails0 = global_vm_event(CMA_ALLOC_FAIL);
	char size[16], line[96];
	uint64_t t0;

	ksnprintf(line, sizeof(line), "mount %s /mnt", dev);
	KUNIT_ASSERT_EQ(test, console(line), 0);
	if (ncpu > MAX_PROGS - 1)
		ncpu = MAX_PROGS - 1;
	ksnprintf(size, sizeof(size), "%lluM",
		  (unsigned long long)(total / ncpu));
	capture(test);
	for (unsigned int i = 0; i < ncpu; i++) {
		const char *const argv[] = { "memhog", size, NULL };

		pids[n++] = start(test, argv);
	}
	{
		const char *const w[] = { "sh", "-c", "pattern 5 24M | dd "
			"of=/mnt/l bs=64k status=none", NULL };

		pids[n++] = start(test, w);
	}
	t0 = clock_ns();
	while (st.tries < LOOPS || !all_exited(pids, status, n))
		take(test, cma, 256, 8, &st);
	kunit_info(test, "%u takes of 1 MiB in %llu ms", st.tries,
		   (unsigned long long)((clock_ns() - t0) / 1000000));
	for (unsigned int i = 0; i < n; i++)
		KUNIT_EXPECT_EQ(test, status[i], EXITED(0));
	KUNIT_EXPECT_EQ(test, count_lines(" 0 mismatches"), ncpu);
	KUNIT_EXPECT_EQ(test, st.taken, st.tries);
	KUNIT_EXPECT_GE(test, st.taken, (unsigned int)LOOPS);
	KUNIT_EXPECT_EQ(test, global_vm_event(CMA_ALLOC_FAIL) - fails0, 0UL);
	report(test, "1 MiB takes under load", cma, &st);
	{
		const char *const c[] = { "pattern", "-c", "5", "24M",
					  "/mnt/l", NULL };

		KUNIT_EXPECT_EQ(test, process_wait(start(test, c)), EXITED(0));
	}
	KUNIT_EXPECT_STR_CONTAINS(test, out, "/mnt/l: 25165824 bytes read, "
				  "0 bad blocks");
	KUNIT_EXPECT_EQ(test, console("umount /mnt"), 0);
}

static struct kunit_case cma_user_cases[] = {
	KUNIT_CASE(region_is_on),
	KUNIT_CASE(region_taken_from_memhogs),
	KUNIT_CASE(region_taken_from_forked_processes),
	KUNIT_CASE(region_taken_from_page_cache),
	KUNIT_CASE(thousand_takes_under_load),
	{}
};

static struct kunit_suite cma_user_suite = {
	.name = "cma_user",
	.test_cases = cma_user_cases,
};
kunit_test_suite(cma_user_suite);
