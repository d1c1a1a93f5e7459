/*
 * tests/suites/swap_alloc_test.c - one swap area's slot allocator
 * (mm/swap_alloc.c), case by case: each CPU's sequential run in its own
 * cluster, the allocation order (current, nonfull, free, another CPU's),
 * full areas, clusters going back to the free list and being reused, the
 * header and bad slots never handed out, the swap_map counts (dup, put,
 * the cache bit, overflow, slots turning bad), swapoff's walk, and a
 * 1 GiB area. Each case builds its allocator over a private page arena,
 * checks the invariants (swap_alloc_check) and that every page came
 * back. Host and kernel; the randomised model test is host-only
 * (tests/host/swap_alloc_model_test.c).
 */
#include "kernel/kunit.h"
#include "kernel/errno.h"
#include "mm/swap_alloc.h"
#include "tests/suites/test_arena.h"

static struct {
	struct test_arena arena;
	struct swap_alloc sa;
} t;

static int swap_alloc_case_init(struct kunit *test)
{
	memset(&t, 0, sizeof(t));
	return test_arena_make(test, &t.arena, 0) ? 0 : -1;
}

static void expect_consistent(struct kunit *test)
{
	char why[160];

	if (!swap_alloc_check(&t.sa, why, sizeof(why)))
		KUNIT_FAIL(test, "swap_alloc_check: %s", why);
}

static void swap_alloc_case_exit(struct kunit *test)
{
	if (t.sa.swap_map) {
		expect_consistent(test);
		swap_alloc_destroy(&t.sa);
	}
	test_arena_done(test, &t.arena);
}

static void make(struct kunit *test, unsigned long last_page,
		 const uint32_t *bad, unsigned int nr_bad, unsigned int nr_cpus)
{
	KUNIT_ASSERT_EQ(test, swap_alloc_init_node(&t.sa, last_page, bad, nr_bad,
						   nr_cpus, &t.arena.pgdat), 0);
}

/* Free a slot fresh from swap_alloc_slot (cache bit only). */
static void release(struct kunit *test, unsigned long off)
{
	KUNIT_EXPECT_EQ(test, swap_slot_clear_cache(&t.sa, off), 0u);
}

static void one_cpu_gets_sequential_offsets(struct kunit *test)
{
	make(test, 3 * SWAPFILE_CLUSTER - 1, NULL, 0, 1);
	KUNIT_EXPECT_EQ(test, t.sa.nr_slots_usable, 767UL);
	/* 1..767: the header is slot 0, then one run through the clusters. */
	for (unsigned long want = 1; want < 3 * SWAPFILE_CLUSTER; want++) {
		unsigned long off = swap_alloc_slot(&t.sa, 0);

		if (off != want) {
			KUNIT_FAIL(test, "allocation %lu gave slot %lu", want, off);
			break;
		}
	}
	KUNIT_EXPECT_EQ(test, t.sa.inuse, 767UL);
	KUNIT_EXPECT_EQ(test, swap_slot_map(&t.sa, 5), (unsigned int)SWAP_HAS_CACHE);
	for (unsigned long off = 1; off < 3 * SWAPFILE_CLUSTER; off++)
		release(test, off);
	KUNIT_EXPECT_EQ(test, t.sa.inuse, 0UL);
}

/* Two CPUs swapping out at once write two runs, in two clusters. */
static void two_cpus_get_different_clusters(struct kunit *test)
{
	unsigned long a[4], b[4];

	make(test, 4 * SWAPFILE_CLUSTER - 1, NULL, 0, 2);
	for (int i = 0; i < 4; i++) {
		a[i] = swap_alloc_slot(&t.sa, 0);
		b[i] = swap_alloc_slot(&t.sa, 1);
	}
	for (int i = 0; i < 4; i++) {
		KUNIT_EXPECT_EQ(test, a[i], 1UL + i);			/* cluster 0 */
		KUNIT_EXPECT_EQ(test, b[i], SWAPFILE_CLUSTER + (unsigned long)i);	/* 1 */
	}
	/* CPU 0 took cluster 0 (nonfull: the header is in it), CPU 1 a free
	 * one; the rest came from their current clusters. */
	KUNIT_EXPECT_EQ(test, t.sa.nr_alloc_nonfull, 1UL);
	KUNIT_EXPECT_EQ(test, t.sa.nr_alloc_free, 1UL);
	KUNIT_EXPECT_EQ(test, t.sa.nr_alloc_current, 6UL);
	expect_consistent(test);
	for (int i = 0; i < 4; i++) {
		release(test, a[i]);
		release(test, b[i]);
	}
}

/* Nearly full: a CPU takes slots from another CPU's current cluster;
 * full: 0, and nothing changes. */
static void full_area_gives_zero(struct kunit *test)
{
	unsigned long n = 0, off;

	make(test, 2 * SWAPFILE_CLUSTER - 1, NULL, 0, 2);
	KUNIT_EXPECT_EQ(test, swap_alloc_slot(&t.sa, 0), 1UL);	/* cluster 0 is CPU 0's */
	while ((off = swap_alloc_slot(&t.sa, 1)))
		n++;
	KUNIT_EXPECT_EQ(test, n, 510UL);	/* all of cluster 1, then 2..255 */
	KUNIT_EXPECT_EQ(test, t.sa.nr_alloc_other_cpu, 254UL);
	KUNIT_EXPECT_EQ(test, t.sa.inuse, t.sa.nr_slots_usable);
	KUNIT_EXPECT_EQ(test, swap_alloc_slot(&t.sa, 0), 0UL);
	KUNIT_EXPECT_EQ(test, swap_alloc_slot(&t.sa, 1), 0UL);
	expect_consistent(test);
	for (off = 1; off < 2 * SWAPFILE_CLUSTER; off++)
		release(test, off);
}

/* A cluster emptied completely goes back to the free list and is taken
 * whole again; a single freed slot is found through the nonfull list. */
static void freed_cluster_is_reused(struct kunit *test)
{
	const unsigned long c1 = SWAPFILE_CLUSTER;

	make(test, 3 * SWAPFILE_CLUSTER - 1, NULL, 0, 1);
	while (swap_alloc_slot(&t.sa, 0))
		;
	KUNIT_EXPECT_TRUE(test, t.sa.clusters[1].state == SWAP_CLUSTER_FULL);
	for (unsigned long off = c1; off < 2 * c1; off++)
		release(test, off);
	KUNIT_EXPECT_TRUE(test, t.sa.clusters[1].state == SWAP_CLUSTER_FREE);
	KUNIT_EXPECT_EQ(test, t.sa.clusters[1].count, 0u);
	expect_consistent(test);
	for (unsigned long i = 0; i < c1; i++)
		KUNIT_EXPECT_EQ(test, swap_alloc_slot(&t.sa, 0), c1 + i);
	KUNIT_EXPECT_EQ(test, t.sa.nr_alloc_free, 3UL);	/* clusters 1, 2, 1 again */

	release(test, 100);
	KUNIT_EXPECT_TRUE(test, t.sa.clusters[0].state == SWAP_CLUSTER_NONFULL);
	KUNIT_EXPECT_EQ(test, swap_alloc_slot(&t.sa, 0), 100UL);
	KUNIT_EXPECT_EQ(test, swap_alloc_slot(&t.sa, 0), 0UL);
	for (unsigned long off = 1; off < 3 * c1; off++)
		release(test, off);
	KUNIT_EXPECT_EQ(test, t.sa.inuse, 0UL);
}

static void header_and_bad_slots_never_handed_out(struct kunit *test)
{
	static const uint32_t bad[] = { 5, 300, 600, 300 };	/* 300 twice */
	unsigned long n = 0, off;

	make(test, 600, bad, ARRAY_SIZE(bad), 1);
	KUNIT_EXPECT_EQ(test, t.sa.nr_slots_usable, 597UL);
	KUNIT_EXPECT_EQ(test, t.sa.clusters[0].count, 2u);	/* header, 5 */
	KUNIT_EXPECT_EQ(test, t.sa.clusters[2].count, 256u - 88u);	/* 600, 601.. */
	while ((off = swap_alloc_slot(&t.sa, 0))) {
		if (off == 5 || off == 300 || off > 599)
			KUNIT_FAIL(test, "slot %lu handed out", off);
		n++;
	}
	KUNIT_EXPECT_EQ(test, n, 597UL);
	KUNIT_EXPECT_EQ(test, swap_slot_map(&t.sa, 300), (unsigned int)SWAP_MAP_BAD);
	KUNIT_EXPECT_EQ(test, swap_slot_dup(&t.sa, 300), -EINVAL);
	KUNIT_EXPECT_EQ(test, swap_slot_set_cache(&t.sa, 5), -ENOENT);
	for (off = 1; off < 600; off++)
		if (off != 5 && off != 300)
			release(test, off);
}

static void counts_and_cache_bit(struct kunit *test)
{
	unsigned long off;

	make(test, 1000, NULL, 0, 1);
	off = swap_alloc_slot(&t.sa, 0);
	KUNIT_ASSERT_NE(test, off, 0UL);
	KUNIT_EXPECT_EQ(test, swap_slot_count(&t.sa, off), 0u);
	/* try_to_unmap makes two swap PTEs; the page is written and freed. */
	KUNIT_EXPECT_EQ(test, swap_slot_dup(&t.sa, off), 0);
	KUNIT_EXPECT_EQ(test, swap_slot_dup(&t.sa, off), 0);
	KUNIT_EXPECT_EQ(test, swap_slot_count(&t.sa, off), 2u);
	KUNIT_EXPECT_EQ(test, swap_slot_clear_cache(&t.sa, off), 2u);
	/* Swap-in: one thread takes the cache bit, a second one sees it. */
	KUNIT_EXPECT_EQ(test, swap_slot_set_cache(&t.sa, off), 0);
	KUNIT_EXPECT_EQ(test, swap_slot_set_cache(&t.sa, off), -EEXIST);
	KUNIT_EXPECT_EQ(test, swap_slot_map(&t.sa, off), SWAP_HAS_CACHE | 2u);
	KUNIT_EXPECT_EQ(test, swap_slot_put(&t.sa, off), SWAP_HAS_CACHE | 1u);
	KUNIT_EXPECT_EQ(test, swap_slot_clear_cache(&t.sa, off), 1u);
	KUNIT_EXPECT_EQ(test, t.sa.inuse, 1UL);
	KUNIT_EXPECT_EQ(test, swap_slot_put(&t.sa, off), 0u);	/* free now */
	KUNIT_EXPECT_EQ(test, t.sa.inuse, 0UL);
	/* A stale entry: the slot is free. */
	KUNIT_EXPECT_EQ(test, swap_slot_set_cache(&t.sa, off), -ENOENT);
	KUNIT_EXPECT_EQ(test, swap_slot_dup(&t.sa, off), -EINVAL);
	/* Not slots at all. */
	KUNIT_EXPECT_EQ(test, swap_slot_dup(&t.sa, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, swap_slot_dup(&t.sa, 1001), -EINVAL);
	KUNIT_EXPECT_EQ(test, swap_slot_set_cache(&t.sa, 1001), -EINVAL);
	KUNIT_EXPECT_EQ(test, swap_slot_count(&t.sa, 1001), 0u);
}

static void dup_overflows_at_max(struct kunit *test)
{
	unsigned long off;
	unsigned int i;

	make(test, 100, NULL, 0, 1);
	off = swap_alloc_slot(&t.sa, 0);
	for (i = 0; i < SWAP_MAP_MAX; i++)
		if (swap_slot_dup(&t.sa, off) != 0)
			break;
	KUNIT_EXPECT_EQ(test, i, (unsigned int)SWAP_MAP_MAX);
	KUNIT_EXPECT_EQ(test, swap_slot_dup(&t.sa, off), -EOVERFLOW);
	KUNIT_EXPECT_EQ(test, swap_slot_count(&t.sa, off), (unsigned int)SWAP_MAP_MAX);
	KUNIT_EXPECT_EQ(test, swap_slot_map(&t.sa, off) & SWAP_MAP_BAD, 0u);
	for (i = 0; i < SWAP_MAP_MAX; i++)
		swap_slot_put(&t.sa, off);
	release(test, off);
}

/* A write error: a free slot is out at once; a used one keeps its
 * references until they are dropped, then stays bad. */
static void slot_marked_bad_is_never_reused(struct kunit *test)
{
	unsigned long off, n = 0;

	make(test, SWAPFILE_CLUSTER - 1, NULL, 0, 1);	/* one cluster */
	swap_slot_mark_bad(&t.sa, 200);			/* free */
	off = swap_alloc_slot(&t.sa, 0);		/* 1 */
	KUNIT_EXPECT_EQ(test, swap_slot_dup(&t.sa, off), 0);
	swap_slot_mark_bad(&t.sa, off);			/* used */
	swap_slot_mark_bad(&t.sa, off);			/* again: nothing */
	KUNIT_EXPECT_EQ(test, t.sa.nr_slots_usable, 253UL);
	KUNIT_EXPECT_EQ(test, t.sa.inuse, 0UL);
	KUNIT_EXPECT_EQ(test, swap_slot_map(&t.sa, off),
			SWAP_MAP_BAD | SWAP_HAS_CACHE | 1u);
	KUNIT_EXPECT_EQ(test, swap_alloc_next_used(&t.sa, 1), off);
	expect_consistent(test);
	KUNIT_EXPECT_EQ(test, swap_slot_clear_cache(&t.sa, off), 1u);
	KUNIT_EXPECT_EQ(test, swap_slot_put(&t.sa, off), 0u);
	KUNIT_EXPECT_EQ(test, swap_slot_map(&t.sa, off), (unsigned int)SWAP_MAP_BAD);
	KUNIT_EXPECT_EQ(test, swap_alloc_next_used(&t.sa, 1), 0UL);
	while ((off = swap_alloc_slot(&t.sa, 0))) {
		if (off == 1 || off == 200)
			KUNIT_FAIL(test, "bad slot %lu handed out", off);
		n++;
	}
	KUNIT_EXPECT_EQ(test, n, 253UL);
	for (off = 2; off < SWAPFILE_CLUSTER; off++)
		if (off != 200)
			release(test, off);
}

static void next_used_walks_for_swapoff(struct kunit *test)
{
	unsigned long a, b, c;

	make(test, 2000, NULL, 0, 2);
	a = swap_alloc_slot(&t.sa, 0);
	b = swap_alloc_slot(&t.sa, 1);
	c = swap_alloc_slot(&t.sa, 1);
	KUNIT_EXPECT_EQ(test, swap_slot_dup(&t.sa, b), 0);
	release(test, c);
	KUNIT_EXPECT_EQ(test, swap_alloc_next_used(&t.sa, 0), a);
	KUNIT_EXPECT_EQ(test, swap_alloc_next_used(&t.sa, a + 1), b);
	KUNIT_EXPECT_EQ(test, swap_alloc_next_used(&t.sa, b + 1), 0UL);
	KUNIT_EXPECT_EQ(test, swap_alloc_next_used(&t.sa, 5000), 0UL);
	release(test, a);
	KUNIT_EXPECT_EQ(test, swap_slot_clear_cache(&t.sa, b), 1u);
	KUNIT_EXPECT_EQ(test, swap_slot_put(&t.sa, b), 0u);
}

/* 1 GiB: 262144 pages, a 512 KiB swap_map from the arena. */
static void one_gib_area(struct kunit *test)
{
	make(test, (1UL << 30) / PAGE_SIZE - 1, NULL, 0, 2);
	KUNIT_EXPECT_EQ(test, t.sa.nr_slots, 262144UL);
	KUNIT_EXPECT_EQ(test, t.sa.nr_clusters, 1024UL);
	KUNIT_EXPECT_EQ(test, t.sa.nr_slots_usable, 262143UL);
	KUNIT_EXPECT_EQ(test, swap_alloc_slot(&t.sa, 1), 1UL);
	KUNIT_EXPECT_EQ(test, swap_alloc_slot(&t.sa, 0), 256UL);
	release(test, 1);
	release(test, 256);
}

static void init_refuses(struct kunit *test)
{
	static const uint32_t bad0[] = { 0 }, bad_far[] = { 101 };
	pg_data_t *node = &t.arena.pgdat;
	struct swap_alloc *sa = &t.sa;

	KUNIT_EXPECT_EQ(test, swap_alloc_init_node(sa, 0, NULL, 0, 1, node), -EINVAL);
	KUNIT_EXPECT_EQ(test, swap_alloc_init_node(sa, 100, NULL, 0, 0, node), -EINVAL);
	KUNIT_EXPECT_EQ(test, swap_alloc_init_node(sa, 100, bad0, 1, 1, node), -EINVAL);
	KUNIT_EXPECT_EQ(test, swap_alloc_init_node(sa, 100, bad_far, 1, 1, node), -EINVAL);
	KUNIT_EXPECT_EQ(test, swap_alloc_init_node(sa, SWAP_ALLOC_MAX_SLOTS, NULL, 0, 1, node),
			-EINVAL);
	/* The largest area's 4 MiB map does not fit a 4 MiB arena. */
	KUNIT_EXPECT_EQ(test, swap_alloc_init_node(sa, SWAP_ALLOC_MAX_SLOTS - 1, NULL, 0, 1, node),
			-ENOMEM);
	KUNIT_EXPECT_NULL(test, t.sa.swap_map);
}

/* Dropping what a slot does not hold is a bug the allocator reports. */
static void misuse_warns(struct kunit *test)
{
	char out[512];
	unsigned long off;

	make(test, 100, NULL, 0, 1);
	off = swap_alloc_slot(&t.sa, 0);
	kunit_capture_start(test, out, sizeof(out));
	KUNIT_EXPECT_EQ(test, swap_slot_put(&t.sa, off), (unsigned int)SWAP_HAS_CACHE);
	KUNIT_EXPECT_EQ(test, swap_slot_clear_cache(&t.sa, off), 0u);
	KUNIT_EXPECT_EQ(test, swap_slot_clear_cache(&t.sa, off), 0u);
	KUNIT_EXPECT_CAPTURED_REPORTS(test, DIAG_WARN, 2);
	KUNIT_EXPECT_EQ(test, t.sa.inuse, 0UL);
}

static struct kunit_case swap_alloc_cases[] = {
	KUNIT_CASE(one_cpu_gets_sequential_offsets),
	KUNIT_CASE(two_cpus_get_different_clusters),
	KUNIT_CASE(full_area_gives_zero),
	KUNIT_CASE(freed_cluster_is_reused),
	KUNIT_CASE(header_and_bad_slots_never_handed_out),
	KUNIT_CASE(counts_and_cache_bit),
	KUNIT_CASE(dup_overflows_at_max),
	KUNIT_CASE(slot_marked_bad_is_never_reused),
	KUNIT_CASE(next_used_walks_for_swapoff),
	KUNIT_CASE(one_gib_area),
	KUNIT_CASE(init_refuses),
	KUNIT_CASE(misuse_warns),
	{}
};

static struct kunit_suite swap_alloc_suite = {
	.name = "swap_alloc",
	.init = swap_alloc_case_init,
	.exit = swap_alloc_case_exit,
	.test_cases = swap_alloc_cases,
};
kunit_test_suite(swap_alloc_suite);
