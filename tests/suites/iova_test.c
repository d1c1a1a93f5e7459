/*
 * tests/suites/iova_test.c - the IOVA allocator, case by case: top-down
 * allocation below a limit, size alignment, 32-bit and 64-bit limits,
 * find/free/reserve, the per-CPU magazines and the depot (never returning
 * a range above the caller's limit), and the flush queue's count and time
 * bounds with an injected clock. Each case runs over a private page arena
 * and checks every page came back. Host and kernel.
 */
#include "kernel/kunit.h"
#include "kernel/lib/string.h"
#include "mm/iova.h"
#include "mm/page_alloc.h"
#include "tests/suites/test_arena.h"

#define PFN32		(0xffffffffUL >> 12)		/* 32-bit mask, 4 KiB granule */
#define PFN64		((~0UL) >> 12)

static struct {
	struct test_arena arena;
	struct iova_domain iovad;
} t;

static int iova_case_init(struct kunit *test)
{
	memset(&t, 0, sizeof(t));
	if (!test_arena_make(test, &t.arena, 0))
		return -1;
	init_iova_domain_node(&t.iovad, 4096, 1, &t.arena.pgdat);
	return 0;
}

static void iova_case_exit(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, iova_check(&t.iovad));
	put_iova_domain(&t.iovad);
	test_arena_done(test, &t.arena);
}

static void alloc_is_top_down_below_limit(struct kunit *test)
{
	struct iova *a = alloc_iova(&t.iovad, 1, PFN32, true);
	struct iova *b = alloc_iova(&t.iovad, 4, PFN32, true);
	struct iova *c = alloc_iova(&t.iovad, 1, PFN32, true);

	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_EXPECT_EQ(test, a->pfn_lo, PFN32);
	KUNIT_EXPECT_EQ(test, b->pfn_lo, PFN32 - 7);	/* 4-aligned, below a */
	KUNIT_EXPECT_EQ(test, b->pfn_hi, PFN32 - 4);
	KUNIT_EXPECT_EQ(test, c->pfn_lo, PFN32 - 1);	/* fills the hole */
	KUNIT_EXPECT_EQ(test, t.iovad.nr_ranges, 3UL);
	__free_iova(&t.iovad, b);
	free_iova(&t.iovad, PFN32);
	free_iova(&t.iovad, PFN32 - 1);
	KUNIT_EXPECT_EQ(test, t.iovad.nr_ranges, 0UL);
}

static void size_alignment_is_next_power_of_two(struct kunit *test)
{
	struct iova *a = alloc_iova(&t.iovad, 3, 1000, true);
	struct iova *b = alloc_iova(&t.iovad, 5, 1000, true);
	struct iova *c = alloc_iova(&t.iovad, 5, 1000, false);

	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_EXPECT_EQ(test, a->pfn_lo % 4, 0UL);
	KUNIT_EXPECT_EQ(test, iova_size(a), 3UL);
	KUNIT_EXPECT_EQ(test, b->pfn_lo % 8, 0UL);
	KUNIT_EXPECT_LE(test, a->pfn_hi, 1000UL);
	/* Unaligned: the highest hole that fits, between b and a. */
	KUNIT_EXPECT_EQ(test, c->pfn_hi + 1, a->pfn_lo);
	KUNIT_EXPECT_GT(test, c->pfn_lo, b->pfn_hi);
	__free_iova(&t.iovad, a);
	__free_iova(&t.iovad, b);
	__free_iova(&t.iovad, c);
}

static void masks_keep_64bit_above_4g(struct kunit *test)
{
	struct iova *hi = alloc_iova(&t.iovad, 16, PFN64, true);
	struct iova *lo = alloc_iova(&t.iovad, 16, PFN32, true);
	struct iova *tiny = alloc_iova(&t.iovad, 1, 0xfff, true);	/* 24-bit */

	KUNIT_ASSERT_NOT_NULL(test, hi);
	KUNIT_ASSERT_NOT_NULL(test, lo);
	KUNIT_ASSERT_NOT_NULL(test, tiny);
	KUNIT_EXPECT_GT(test, hi->pfn_lo, PFN32);
	KUNIT_EXPECT_LE(test, hi->pfn_hi, PFN64);
	KUNIT_EXPECT_LE(test, lo->pfn_hi, PFN32);
	KUNIT_EXPECT_EQ(test, tiny->pfn_lo, 0xfffUL);
	/* Nothing fits below start_pfn: limit 0 is refused. */
	KUNIT_EXPECT_NULL(test, alloc_iova(&t.iovad, 1, 0, true));
	__free_iova(&t.iovad, hi);
	__free_iova(&t.iovad, lo);
	__free_iova(&t.iovad, tiny);
}

/* Fill a small space, punch holes, and check fits and failures. */
static void fragmented_space_fits_or_fails_exactly(struct kunit *test)
{
	struct iova *r[64];

	for (int i = 0; i < 64; i++) {
		r[i] = alloc_iova(&t.iovad, 1, 64, false);	/* pfns 1..64 */
		KUNIT_ASSERT_NOT_NULL(test, r[i]);
	}
	KUNIT_EXPECT_NULL(test, alloc_iova(&t.iovad, 1, 64, false));
	for (int i = 0; i < 64; i += 2)		/* free every other: holes of 1 */
		__free_iova(&t.iovad, r[i]);
	KUNIT_EXPECT_TRUE(test, iova_check(&t.iovad));
	KUNIT_EXPECT_NULL(test, alloc_iova(&t.iovad, 2, 64, false));
	__free_iova(&t.iovad, r[11]);		/* r[10..12] free: 3 in a row */
	struct iova *two = alloc_iova(&t.iovad, 2, 64, true);

	KUNIT_ASSERT_NOT_NULL(test, two);
	KUNIT_EXPECT_EQ(test, two->pfn_lo % 2, 0UL);
	KUNIT_EXPECT_TRUE(test, iova_check(&t.iovad));
	__free_iova(&t.iovad, two);
	for (int i = 1; i < 64; i += 2)
		if (i != 11)
			__free_iova(&t.iovad, r[i]);
	KUNIT_EXPECT_EQ(test, t.iovad.nr_ranges, 0UL);
}

static void find_and_reserve(struct kunit *test)
{
	struct iova *res = reserve_iova(&t.iovad, 0xfee00, 0xfeeff);	/* MSI */
	struct iova *a;

	KUNIT_ASSERT_NOT_NULL(test, res);
	KUNIT_EXPECT_PTR_EQ(test, find_iova(&t.iovad, 0xfee42), res);
	KUNIT_EXPECT_NULL(test, find_iova(&t.iovad, 0xfef00));
	KUNIT_EXPECT_NULL(test, reserve_iova(&t.iovad, 0xfeef0, 0xfef10));
	/* Allocation below the window's top skips it. */
	a = alloc_iova(&t.iovad, 0x100, 0xfeeff, true);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_EXPECT_EQ(test, a->pfn_hi, 0xfedffUL);
	KUNIT_EXPECT_EQ(test, t.iovad.nr_reserved, 1UL);
	__free_iova(&t.iovad, a);
	__free_iova(&t.iovad, res);
}

static void cache_hit_on_same_cpu(struct kunit *test)
{
	unsigned long p = alloc_iova_fast_cpu(&t.iovad, 0, 3, PFN32, true);
	unsigned long q, r;
	struct iova_stats st;

	KUNIT_ASSERT_NE(test, p, 0UL);
	KUNIT_EXPECT_EQ(test, iova_size(find_iova(&t.iovad, p)), 4UL);	/* rounded */
	free_iova_fast_cpu(&t.iovad, 0, p, 3);
	KUNIT_EXPECT_NOT_NULL(test, find_iova(&t.iovad, p));	/* cached, not freed */
	q = alloc_iova_fast_cpu(&t.iovad, 1, 4, PFN32, true);	/* other CPU: miss */
	r = alloc_iova_fast_cpu(&t.iovad, 0, 4, PFN32, true);	/* hit */
	KUNIT_EXPECT_NE(test, q, p);
	KUNIT_EXPECT_EQ(test, r, p);
	iova_get_stats(&t.iovad, &st);
	KUNIT_EXPECT_EQ(test, st.hits, 1UL);
	free_iova_fast_cpu(&t.iovad, 0, r, 4);
	free_iova_fast_cpu(&t.iovad, 1, q, 4);
	iova_get_stats(&t.iovad, &st);
	KUNIT_EXPECT_EQ(test, st.cached, 2UL);
	free_cpu_cached_iovas(0, &t.iovad);
	free_cpu_cached_iovas(1, &t.iovad);
	KUNIT_EXPECT_EQ(test, t.iovad.nr_ranges, 0UL);
}

/* A range a 64-bit device freed is never handed to a 32-bit one. */
static void cache_never_returns_above_limit(struct kunit *test)
{
	unsigned long hi = alloc_iova_fast_cpu(&t.iovad, 0, 1, PFN64, true);
	unsigned long lo, lo2, small;

	KUNIT_ASSERT_GT(test, hi, PFN32);
	free_iova_fast_cpu(&t.iovad, 0, hi, 1);
	lo = alloc_iova_fast_cpu(&t.iovad, 0, 1, PFN32, true);
	KUNIT_EXPECT_LE(test, lo, PFN32);
	KUNIT_EXPECT_NE(test, lo, hi);
	/* The 32-bit one, freed, may serve a 64-bit device and a tighter mask
	 * only if it fits under it. */
	free_iova_fast_cpu(&t.iovad, 0, lo, 1);
	small = alloc_iova_fast_cpu(&t.iovad, 0, 1, 0xfff, true);
	KUNIT_EXPECT_LE(test, small, 0xfffUL);
	lo2 = alloc_iova_fast_cpu(&t.iovad, 0, 1, PFN64, true);
	KUNIT_EXPECT_TRUE(test, lo2 == lo || lo2 == hi);
	/* An order-5 range (32 granules) must end under the limit, not start. */
	unsigned long big = alloc_iova_fast_cpu(&t.iovad, 0, 32, 0x10000 + 31, true);

	KUNIT_EXPECT_EQ(test, big, 0x10000UL);
	free_iova_fast_cpu(&t.iovad, 0, big, 32);
	KUNIT_EXPECT_NE(test, alloc_iova_fast_cpu(&t.iovad, 0, 32, 0x10000 + 30, true), big);
	free_iova_fast_cpu(&t.iovad, 0, small, 1);
	free_iova_fast_cpu(&t.iovad, 0, lo2, 1);
	free_cpu_cached_iovas(0, &t.iovad);
	free_global_cached_iovas(&t.iovad);
	/* What is left: the order-5 range allocated last. */
	KUNIT_EXPECT_EQ(test, t.iovad.nr_ranges, 1UL);
	free_iova(&t.iovad, 0x10000 - 32);
	KUNIT_EXPECT_EQ(test, t.iovad.nr_ranges, 0UL);
}

/* Full magazines move through the depot to another CPU. */
static void depot_moves_magazines_between_cpus(struct kunit *test)
{
	static unsigned long pfns[3 * IOVA_MAG_SIZE];
	struct iova_stats st;
	unsigned long n = ARRAY_SIZE(pfns), hits;

	for (unsigned long i = 0; i < n; i++) {
		pfns[i] = alloc_iova_fast_cpu(&t.iovad, 0, 1, PFN32, true);
		KUNIT_ASSERT_NE(test, pfns[i], 0UL);
	}
	for (unsigned long i = 0; i < n; i++)
		free_iova_fast_cpu(&t.iovad, 0, pfns[i], 1);
	iova_get_stats(&t.iovad, &st);
	KUNIT_EXPECT_EQ(test, st.depot_mags, 1UL);	/* loaded, prev, 1 in depot */
	KUNIT_EXPECT_EQ(test, st.cached, n);
	hits = st.hits;
	for (unsigned long i = 0; i < IOVA_MAG_SIZE; i++)
		KUNIT_EXPECT_NE(test, alloc_iova_fast_cpu(&t.iovad, 3, 1, PFN32, false), 0UL);
	iova_get_stats(&t.iovad, &st);
	KUNIT_EXPECT_EQ(test, st.hits - hits, (unsigned long)IOVA_MAG_SIZE);
	KUNIT_EXPECT_EQ(test, st.depot_mags, 0UL);
	KUNIT_EXPECT_EQ(test, t.iovad.nr_ranges, n);
	for (unsigned int c = 0; c < NR_CPUS; c++)
		free_cpu_cached_iovas(c, &t.iovad);
	/* CPU 3's ranges are allocated again: free them through the tree. */
	KUNIT_EXPECT_EQ(test, t.iovad.nr_ranges, (unsigned long)IOVA_MAG_SIZE);
}

/*
 * Ranges up to 256 granules (1 MiB of 4 KiB pages: a large DMA request)
 * are cached too, rounded up to a power of two, and the depot of an
 * order above 5 keeps fewer magazines (4 at order 8), so the cache holds
 * no more of the address space for it than for order 5; the magazines
 * beyond go back to the tree.
 */
static void large_orders_cached_with_a_smaller_depot(struct kunit *test)
{
	enum { ORDER = 8, SIZE = 1 << ORDER, EXTRA = 2 };
	unsigned int depot = IOVA_DEPOT_MAX >> (ORDER - IOVA_DEPOT_FULL_ORDER);
	static unsigned long pfns[(2 + 4 + EXTRA) * IOVA_MAG_SIZE];
	unsigned long n = (2 + depot + EXTRA) * IOVA_MAG_SIZE, p, q;
	struct iova_stats st;

	KUNIT_ASSERT_EQ(test, depot, 4U);
	KUNIT_ASSERT_LE(test, n, (unsigned long)ARRAY_SIZE(pfns));
	p = alloc_iova_fast_cpu(&t.iovad, 0, SIZE - 56, PFN64, true);
	KUNIT_ASSERT_NE(test, p, 0UL);
	KUNIT_EXPECT_EQ(test, iova_size(find_iova(&t.iovad, p)), (unsigned long)SIZE);
	free_iova_fast_cpu(&t.iovad, 0, p, SIZE - 56);
	q = alloc_iova_fast_cpu(&t.iovad, 0, SIZE, PFN64, true);
	KUNIT_EXPECT_EQ(test, q, p);			/* a hit */
	free_iova_fast_cpu(&t.iovad, 0, q, SIZE);
	free_cpu_cached_iovas(0, &t.iovad);
	KUNIT_EXPECT_EQ(test, t.iovad.nr_ranges, 0UL);

	for (unsigned long i = 0; i < n; i++) {
		pfns[i] = alloc_iova_fast_cpu(&t.iovad, 0, SIZE, PFN64, true);
		KUNIT_ASSERT_NE(test, pfns[i], 0UL);
	}
	for (unsigned long i = 0; i < n; i++)
		free_iova_fast_cpu(&t.iovad, 0, pfns[i], SIZE);
	iova_get_stats(&t.iovad, &st);
	KUNIT_EXPECT_EQ(test, st.depot_mags, (unsigned long)depot);
	KUNIT_EXPECT_EQ(test, st.cached, (2 + depot) * (unsigned long)IOVA_MAG_SIZE);
	KUNIT_EXPECT_EQ(test, t.iovad.nr_ranges, st.cached);	/* the rest: freed */
	free_cpu_cached_iovas(0, &t.iovad);
	free_global_cached_iovas(&t.iovad);
	KUNIT_EXPECT_EQ(test, t.iovad.nr_ranges, 0UL);
}

/* ---------------------------------------------------------------- flush queue */

static uint64_t fake_now = 1000;
static unsigned int flushes;

static uint64_t fake_clock(void)
{
	return fake_now;
}

static void count_flush(struct iova_domain *iovad)
{
	flushes++;
}

static void fq_time_bound(struct kunit *test)
{
	unsigned long p[4];

	flushes = 0;
	fake_now = 1000;
	iova_domain_init_flush_queue(&t.iovad, count_flush, NULL, NULL, fake_clock);
	for (int i = 0; i < 4; i++) {
		p[i] = alloc_iova_fast(&t.iovad, 1, PFN32, true);
		queue_iova(&t.iovad, p[i], 1);
	}
	KUNIT_EXPECT_EQ(test, flushes, 0U);
	KUNIT_EXPECT_EQ(test, iova_fq_pending(&t.iovad), 4UL);
	/* Not freed: a new allocation must not get any of them. */
	unsigned long n = alloc_iova_fast(&t.iovad, 1, PFN32, true);

	for (int i = 0; i < 4; i++)
		KUNIT_EXPECT_NE(test, n, p[i]);
	fake_now += IOVA_FQ_TIMEOUT_NS - 1;
	iova_flush_queue_tick(&t.iovad);
	KUNIT_EXPECT_EQ(test, flushes, 0U);
	fake_now += 1;
	iova_flush_queue_tick(&t.iovad);
	KUNIT_EXPECT_EQ(test, flushes, 1U);
	KUNIT_EXPECT_EQ(test, iova_fq_pending(&t.iovad), 0UL);
	KUNIT_EXPECT_EQ(test, t.iovad.fq_flushes[IOVA_FQ_TIMEOUT], 1UL);
	/* Freed into the cache now: the next allocation reuses one. */
	unsigned long again = alloc_iova_fast(&t.iovad, 1, PFN32, true);

	KUNIT_EXPECT_TRUE(test, again == p[0] || again == p[1] ||
			  again == p[2] || again == p[3]);
	/* A tick with nothing queued flushes nothing. */
	fake_now += 10 * IOVA_FQ_TIMEOUT_NS;
	iova_flush_queue_tick(&t.iovad);
	KUNIT_EXPECT_EQ(test, flushes, 1U);
	/* The bound is also checked on queue_iova itself. */
	queue_iova(&t.iovad, again, 1);
	fake_now += IOVA_FQ_TIMEOUT_NS;
	queue_iova(&t.iovad, n, 1);
	KUNIT_EXPECT_EQ(test, flushes, 2U);
	KUNIT_EXPECT_EQ(test, iova_fq_pending(&t.iovad), 0UL);
}

static unsigned int kicks;

static void count_kick(struct iova_domain *iovad)
{
	kicks++;
}

/*
 * With a kick callback the unmap that finds the bound due does not flush:
 * it kicks, once until the owner's tick, and the tick flushes. A ring
 * that fills is still flushed by queue_iova itself.
 */
static void fq_time_bound_kicks_the_owner(struct kunit *test)
{
	unsigned long p[4];

	flushes = kicks = 0;
	fake_now = 1000;
	iova_domain_init_flush_queue(&t.iovad, count_flush, count_kick, NULL, fake_clock);
	for (int i = 0; i < 4; i++)
		p[i] = alloc_iova_fast(&t.iovad, 1, PFN32, true);
	queue_iova(&t.iovad, p[0], 1);
	fake_now += IOVA_FQ_TIMEOUT_NS - 1;
	queue_iova(&t.iovad, p[1], 1);
	KUNIT_EXPECT_EQ(test, kicks, 0U);		/* not due yet */
	fake_now += 1;
	queue_iova(&t.iovad, p[2], 1);
	KUNIT_EXPECT_EQ(test, kicks, 1U);		/* due: the owner is told */
	KUNIT_EXPECT_EQ(test, flushes, 0U);		/* and nothing flushed here */
	KUNIT_EXPECT_EQ(test, iova_fq_pending(&t.iovad), 3UL);
	queue_iova(&t.iovad, p[3], 1);
	KUNIT_EXPECT_EQ(test, kicks, 1U);		/* once until the tick */
	KUNIT_EXPECT_EQ(test, t.iovad.fq_kicks, 1UL);
	iova_flush_queue_tick(&t.iovad);		/* the owner's thread */
	KUNIT_EXPECT_EQ(test, flushes, 1U);
	KUNIT_EXPECT_EQ(test, t.iovad.fq_flushes[IOVA_FQ_TIMEOUT], 1UL);
	KUNIT_EXPECT_EQ(test, iova_fq_pending(&t.iovad), 0UL);
	/* The next time it falls due the owner is told again. */
	queue_iova(&t.iovad, alloc_iova_fast(&t.iovad, 1, PFN32, true), 1);
	fake_now += IOVA_FQ_TIMEOUT_NS;
	queue_iova(&t.iovad, alloc_iova_fast(&t.iovad, 1, PFN32, true), 1);
	KUNIT_EXPECT_EQ(test, kicks, 2U);
	KUNIT_EXPECT_EQ(test, flushes, 1U);
	/* A full ring does not wait for anyone. */
	t.iovad.fq_max = 3;
	queue_iova(&t.iovad, alloc_iova_fast(&t.iovad, 1, PFN32, true), 1);
	queue_iova(&t.iovad, alloc_iova_fast(&t.iovad, 1, PFN32, true), 1);
	KUNIT_EXPECT_EQ(test, flushes, 2U);
	KUNIT_EXPECT_EQ(test, t.iovad.fq_flushes[IOVA_FQ_FULL], 1UL);
	iova_flush_queue_flush(&t.iovad);
	KUNIT_EXPECT_EQ(test, iova_fq_pending(&t.iovad), 0UL);
}

static void fq_count_bound_per_cpu(struct kunit *test)
{
	struct iova_stats st;

	flushes = 0;
	iova_domain_init_flush_queue(&t.iovad, count_flush, NULL, NULL, fake_clock);
	t.iovad.fq_max = 4;
	for (int i = 0; i < 4; i++)
		queue_iova_cpu(&t.iovad, 2, alloc_iova_fast(&t.iovad, 1, PFN32, true), 1);
	queue_iova_cpu(&t.iovad, 5, alloc_iova_fast(&t.iovad, 1, PFN32, true), 1);
	KUNIT_EXPECT_EQ(test, flushes, 0U);		/* per-CPU rings */
	queue_iova_cpu(&t.iovad, 2, alloc_iova_fast(&t.iovad, 1, PFN32, true), 1);
	KUNIT_EXPECT_EQ(test, flushes, 1U);		/* CPU 2's ring was full */
	KUNIT_EXPECT_EQ(test, t.iovad.fq_flushes[IOVA_FQ_FULL], 1UL);
	/* CPU 2 freed its 4; CPU 5's entry waits for its ring to be visited. */
	KUNIT_EXPECT_EQ(test, iova_fq_pending(&t.iovad), 2UL);
	iova_flush_queue_tick(&t.iovad);
	KUNIT_EXPECT_EQ(test, iova_fq_pending(&t.iovad), 1UL);	/* the newest */
	iova_flush_queue_flush(&t.iovad);
	KUNIT_EXPECT_EQ(test, iova_fq_pending(&t.iovad), 0UL);
	KUNIT_EXPECT_EQ(test, flushes, 2U);
	iova_get_stats(&t.iovad, &st);
	KUNIT_EXPECT_EQ(test, st.fq_queued, 6UL);
	KUNIT_EXPECT_EQ(test, st.fq_freed, 6UL);
}

static struct kunit_case iova_cases[] = {
	KUNIT_CASE(alloc_is_top_down_below_limit),
	KUNIT_CASE(size_alignment_is_next_power_of_two),
	KUNIT_CASE(masks_keep_64bit_above_4g),
	KUNIT_CASE(fragmented_space_fits_or_fails_exactly),
	KUNIT_CASE(find_and_reserve),
	KUNIT_CASE(cache_hit_on_same_cpu),
	KUNIT_CASE(cache_never_returns_above_limit),
	KUNIT_CASE(depot_moves_magazines_between_cpus),
	KUNIT_CASE(large_orders_cached_with_a_smaller_depot),
	KUNIT_CASE(fq_time_bound),
	KUNIT_CASE(fq_time_bound_kicks_the_owner),
	KUNIT_CASE(fq_count_bound_per_cpu),
	{}
};

static struct kunit_suite iova_suite = {
	.name = "iova",
	.init = iova_case_init,
	.exit = iova_case_exit,
	.test_cases = iova_cases,
};
kunit_test_suite(iova_suite);
