/*
 * tests/suites/memblock_test.c - mm/memblock on private instances: every
 * operation, its error paths, and the hostile firmware maps memblock must
 * survive. Runs on the host and in the kernel; the addresses are made up
 * (never touched) except in the zeroing test, which uses a static buffer.
 */
#include "kernel/kunit.h"
#include "kernel/lib/string.h"
#include "mm/memblock.h"
#include <arch/page.h>

#define MB_CAP	16
#define K	0x400ULL
#define M	0x100000ULL
#define G	0x40000000ULL

struct mb_fixture {
	struct memblock mb;
	struct memblock_region mem[MB_CAP];
	struct memblock_region rsv[MB_CAP];
};

static int mb_init(struct kunit *test)
{
	static struct mb_fixture fx;	/* kernel stacks are small */

	memblock_init(&fx.mb, fx.mem, MB_CAP, fx.rsv, MB_CAP);
	test->priv = &fx;
	return 0;
}

#define MB(test)	(&((struct mb_fixture *)(test)->priv)->mb)

struct range { phys_addr_t base, size; };

/* Expect type to hold exactly these ranges (and to pass the self-check). */
static void expect_list(struct kunit *test, const struct memblock *mb,
			const struct memblock_type *t,
			const struct range *want, unsigned long n)
{
	KUNIT_EXPECT_EQ(test, memblock_check_in(mb), 0);
	KUNIT_EXPECT_EQ(test, t->cnt, n);
	for (unsigned long i = 0; i < n && i < t->cnt; i++) {
		KUNIT_EXPECT_EQ(test, t->regions[i].base, want[i].base);
		KUNIT_EXPECT_EQ(test, t->regions[i].size, want[i].size);
	}
}

#define EXPECT_MEM(test, mb, ...) do { \
	const struct range _w[] = { __VA_ARGS__ }; \
	expect_list(test, mb, &(mb)->memory, _w, ARRAY_SIZE(_w)); \
} while (0)
#define EXPECT_RSV(test, mb, ...) do { \
	const struct range _w[] = { __VA_ARGS__ }; \
	expect_list(test, mb, &(mb)->reserved, _w, ARRAY_SIZE(_w)); \
} while (0)

static void add_sorts_unsorted_input(struct kunit *test)
{
	struct memblock *mb = MB(test);

	KUNIT_EXPECT_EQ(test, memblock_add_in(mb, 5 * M, M), 0);
	KUNIT_EXPECT_EQ(test, memblock_add_in(mb, 1 * M, M), 0);
	KUNIT_EXPECT_EQ(test, memblock_add_in(mb, 3 * M, M), 0);
	EXPECT_MEM(test, mb, { 1 * M, M }, { 3 * M, M }, { 5 * M, M });
	KUNIT_EXPECT_EQ(test, memblock_phys_mem_size_in(mb), 3 * M);
	KUNIT_EXPECT_EQ(test, memblock_start_of_DRAM_in(mb), 1 * M);
	KUNIT_EXPECT_EQ(test, memblock_end_of_DRAM_in(mb), 6 * M);
}

static void add_merges_overlap_and_adjacent(struct kunit *test)
{
	struct memblock *mb = MB(test);

	memblock_add_in(mb, 1 * M, M);
	memblock_add_in(mb, 3 * M, M);
	memblock_add_in(mb, 2 * M, M);		/* touches both: one region */
	EXPECT_MEM(test, mb, { 1 * M, 3 * M });
	memblock_add_in(mb, 3 * M, 2 * M);	/* overlaps the end */
	memblock_add_in(mb, M / 2, M);		/* overlaps the start */
	memblock_add_in(mb, 2 * M, K);		/* inside: no change */
	EXPECT_MEM(test, mb, { M / 2, 5 * M - M / 2 });
	memblock_add_in(mb, 8 * M, M);
	memblock_add_in(mb, 0, 16 * M);		/* swallows everything */
	EXPECT_MEM(test, mb, { 0, 16 * M });
	KUNIT_EXPECT_EQ(test, memblock_phys_mem_size_in(mb), 16 * M);
}

static void zero_length_is_ignored(struct kunit *test)
{
	struct memblock *mb = MB(test);

	KUNIT_EXPECT_EQ(test, memblock_add_in(mb, 4 * M, 0), 0);
	KUNIT_EXPECT_EQ(test, memblock_reserve_in(mb, 4 * M, 0), 0);
	KUNIT_EXPECT_EQ(test, memblock_remove_in(mb, 4 * M, 0), 0);
	KUNIT_EXPECT_EQ(test, memblock_phys_free_in(mb, 4 * M, 0), 0);
	KUNIT_EXPECT_EQ(test, mb->memory.cnt, 0UL);
	KUNIT_EXPECT_EQ(test, mb->reserved.cnt, 0UL);
	KUNIT_EXPECT_FALSE(test, memblock_is_region_reserved_in(mb, 4 * M, 0));
	KUNIT_EXPECT_EQ(test, memblock_start_of_DRAM_in(mb), 0ULL);
	KUNIT_EXPECT_EQ(test, memblock_end_of_DRAM_in(mb), 0ULL);
}

static void wrapping_range_is_clamped(struct kunit *test)
{
	struct memblock *mb = MB(test);
	phys_addr_t top = PHYS_ADDR_MAX - 0xfff;	/* last page's base */

	/* base + size wraps past 2^64: kept up to PHYS_ADDR_MAX. */
	KUNIT_EXPECT_EQ(test, memblock_add_in(mb, top, 0x10000), 0);
	EXPECT_MEM(test, mb, { top, PHYS_ADDR_MAX - top });
	KUNIT_EXPECT_EQ(test, memblock_add_in(mb, 0x1000, PHYS_ADDR_MAX), 0);
	EXPECT_MEM(test, mb, { 0x1000, PHYS_ADDR_MAX - 0x1000 });
	/* "from here to the top" works for remove and reserve too. */
	KUNIT_EXPECT_EQ(test, memblock_reserve_in(mb, 4 * G, PHYS_ADDR_MAX), 0);
	EXPECT_RSV(test, mb, { 4 * G, PHYS_ADDR_MAX - 4 * G });
	KUNIT_EXPECT_EQ(test, memblock_remove_in(mb, 2 * G, PHYS_ADDR_MAX), 0);
	EXPECT_MEM(test, mb, { 0x1000, 2 * G - 0x1000 });
	KUNIT_EXPECT_TRUE(test, memblock_is_region_reserved_in(mb, 8 * G,
							       PHYS_ADDR_MAX));
}

static void remove_trims_and_splits(struct kunit *test)
{
	struct memblock *mb = MB(test);

	memblock_add_in(mb, 0, 16 * M);
	KUNIT_EXPECT_EQ(test, memblock_remove_in(mb, 4 * M, M), 0);	/* split */
	EXPECT_MEM(test, mb, { 0, 4 * M }, { 5 * M, 11 * M });
	KUNIT_EXPECT_EQ(test, memblock_remove_in(mb, 3 * M, 3 * M), 0);
	EXPECT_MEM(test, mb, { 0, 3 * M }, { 6 * M, 10 * M });
	KUNIT_EXPECT_EQ(test, memblock_remove_in(mb, 0, M), 0);	/* head */
	KUNIT_EXPECT_EQ(test, memblock_remove_in(mb, 15 * M, 4 * M), 0);
	EXPECT_MEM(test, mb, { M, 2 * M }, { 6 * M, 9 * M });
	/* Removing what is not there is fine and changes nothing. */
	KUNIT_EXPECT_EQ(test, memblock_remove_in(mb, 3 * M, 3 * M), 0);
	KUNIT_EXPECT_EQ(test, memblock_remove_in(mb, 64 * M, M), 0);
	EXPECT_MEM(test, mb, { M, 2 * M }, { 6 * M, 9 * M });
	KUNIT_EXPECT_EQ(test, memblock_remove_in(mb, 0, 32 * M), 0);
	KUNIT_EXPECT_EQ(test, mb->memory.cnt, 0UL);
	KUNIT_EXPECT_EQ(test, memblock_phys_mem_size_in(mb), 0ULL);
}

static void reserve_and_free(struct kunit *test)
{
	struct memblock *mb = MB(test);

	memblock_add_in(mb, 0, 16 * M);
	KUNIT_EXPECT_EQ(test, memblock_reserve_in(mb, 2 * M, M), 0);
	KUNIT_EXPECT_EQ(test, memblock_reserve_in(mb, 3 * M, M), 0);	/* merges */
	KUNIT_EXPECT_EQ(test, memblock_reserve_in(mb, 8 * M, M), 0);
	EXPECT_RSV(test, mb, { 2 * M, 2 * M }, { 8 * M, M });
	KUNIT_EXPECT_EQ(test, memblock_reserved_size_in(mb), 3 * M);
	KUNIT_EXPECT_TRUE(test, memblock_is_region_reserved_in(mb, 0, 2 * M + 1));
	KUNIT_EXPECT_FALSE(test, memblock_is_region_reserved_in(mb, 0, 2 * M));
	KUNIT_EXPECT_FALSE(test, memblock_is_region_reserved_in(mb, 4 * M, 4 * M));
	KUNIT_EXPECT_TRUE(test, memblock_is_region_reserved_in(mb, 8 * M + K, K));

	/* Free the middle of a merged reservation: it splits. */
	KUNIT_EXPECT_EQ(test, memblock_phys_free_in(mb, 3 * M - K, 2 * K), 0);
	EXPECT_RSV(test, mb, { 2 * M, M - K }, { 3 * M + K, M - K }, { 8 * M, M });
	/* Freeing what was never reserved: error, nothing changes. */
	KUNIT_EXPECT_EQ(test, memblock_phys_free_in(mb, 12 * M, M), -1);
	KUNIT_EXPECT_EQ(test, memblock_phys_free_in(mb, 3 * M - K, 4 * K), -1);
	KUNIT_EXPECT_EQ(test, memblock_phys_free_in(mb, 8 * M, 2 * M), -1);
	EXPECT_RSV(test, mb, { 2 * M, M - K }, { 3 * M + K, M - K }, { 8 * M, M });
	/* Free everything back: nothing leaked. */
	KUNIT_EXPECT_EQ(test, memblock_phys_free_in(mb, 2 * M, M - K), 0);
	KUNIT_EXPECT_EQ(test, memblock_phys_free_in(mb, 3 * M + K, M - K), 0);
	KUNIT_EXPECT_EQ(test, memblock_phys_free_in(mb, 8 * M, M), 0);
	KUNIT_EXPECT_EQ(test, memblock_reserved_size_in(mb), 0ULL);
	KUNIT_EXPECT_EQ(test, memblock_phys_mem_size_in(mb), 16 * M);
}

static void reserve_outside_memory_is_kept(struct kunit *test)
{
	struct memblock *mb = MB(test);
	phys_addr_t s, e;
	unsigned int n = 0;
	u64 i;

	/* Reserved before the RAM is known, and partly outside it. */
	KUNIT_EXPECT_EQ(test, memblock_reserve_in(mb, 15 * M, 2 * M), 0);
	KUNIT_EXPECT_EQ(test, memblock_reserve_in(mb, 64 * M, M), 0);
	memblock_add_in(mb, 0, 16 * M);
	KUNIT_EXPECT_EQ(test, memblock_reserved_size_in(mb), 3 * M);
	for_each_free_mem_range_in(mb, i, &s, &e) {
		KUNIT_EXPECT_EQ(test, s, 0ULL);
		KUNIT_EXPECT_EQ(test, e, 15 * M);
		n++;
	}
	KUNIT_EXPECT_EQ(test, n, 1U);
	KUNIT_EXPECT_EQ(test, memblock_phys_alloc_in(mb, M, M), 14 * M);
}

static void free_ranges_iterate_both_ways(struct kunit *test)
{
	struct memblock *mb = MB(test);
	static const struct range want[] = {
		{ 0, M }, { 2 * M, 2 * M }, { 5 * M, M }, { 10 * M, M },
		{ 12 * M, 2 * M },
	};
	phys_addr_t s, e;
	unsigned int n = 0, total = 0;
	u64 i;

	memblock_add_in(mb, 0, 6 * M);
	memblock_add_in(mb, 10 * M, 6 * M);
	memblock_reserve_in(mb, M, M);
	memblock_reserve_in(mb, 4 * M, M);
	memblock_reserve_in(mb, 11 * M, M);
	memblock_reserve_in(mb, 14 * M, 4 * M);	/* past the end of RAM */
	for_each_free_mem_range_in(mb, i, &s, &e) {
		if (n < ARRAY_SIZE(want)) {
			KUNIT_EXPECT_EQ(test, s, want[n].base);
			KUNIT_EXPECT_EQ(test, e, want[n].base + want[n].size);
		}
		n++;
	}
	KUNIT_EXPECT_EQ(test, n, (unsigned)ARRAY_SIZE(want));
	for_each_free_mem_range_reverse_in(mb, i, &s, &e) {
		n--;
		if (n < ARRAY_SIZE(want)) {
			KUNIT_EXPECT_EQ(test, s, want[n].base);
			KUNIT_EXPECT_EQ(test, e, want[n].base + want[n].size);
		}
	}
	KUNIT_EXPECT_EQ(test, n, 0U);
	for_each_mem_range_in(mb, i, &s, NULL)
		total++;
	KUNIT_EXPECT_EQ(test, total, 2U);
	/* Nothing reserved: free ranges are the memory itself. */
	memblock_init(mb, mb->memory.regions, MB_CAP, mb->reserved.regions,
		      MB_CAP);
	memblock_add_in(mb, 4 * M, M);
	n = 0;
	for_each_free_mem_range_in(mb, i, &s, &e) {
		KUNIT_EXPECT_EQ(test, s, 4 * M);
		KUNIT_EXPECT_EQ(test, e, 5 * M);
		n++;
	}
	KUNIT_EXPECT_EQ(test, n, 1U);
}

static void alloc_is_top_down(struct kunit *test)
{
	struct memblock *mb = MB(test);
	phys_addr_t a, b, c;

	memblock_add_in(mb, 0, 16 * M);
	memblock_reserve_in(mb, 15 * M, M);
	a = memblock_phys_alloc_in(mb, 0x3000, 0x1000);
	KUNIT_EXPECT_EQ(test, a, 15 * M - 0x3000);
	b = memblock_phys_alloc_in(mb, 100, 8);
	KUNIT_EXPECT_EQ(test, b, a - 104);		/* 100 rounded to 8 */
	c = memblock_phys_alloc_in(mb, M, 2 * M);	/* alignment honoured */
	KUNIT_EXPECT_EQ(test, c, 12 * M);
	KUNIT_EXPECT_TRUE(test, memblock_is_region_reserved_in(mb, a, 1));
	KUNIT_EXPECT_EQ(test, memblock_reserved_size_in(mb),
			M + 0x3000 + 100 + M);
	/* Within an explicit range. */
	KUNIT_EXPECT_EQ(test, memblock_phys_alloc_range_in(mb, M, M, 2 * M,
							    5 * M), 4 * M);
	KUNIT_EXPECT_EQ(test, memblock_phys_alloc_range_in(mb, M, M, 2 * M,
							    5 * M), 3 * M);
	KUNIT_EXPECT_EQ(test, memblock_phys_alloc_range_in(mb, 2 * M, M, 2 * M,
							    5 * M), 0ULL);
	KUNIT_EXPECT_EQ(test, memblock_check_in(mb), 0);
}

static void alloc_respects_limit_and_never_returns_zero(struct kunit *test)
{
	struct memblock *mb = MB(test);

	memblock_add_in(mb, 0, 16 * M);
	memblock_set_current_limit_in(mb, 4 * M);
	KUNIT_EXPECT_EQ(test, memblock_phys_alloc_in(mb, M, 0x1000), 3 * M);
	/* An explicit end is not clamped by the limit; ANYWHERE lifts it. */
	KUNIT_EXPECT_EQ(test, memblock_phys_alloc_range_in(mb, M, 0x1000, 0,
					MEMBLOCK_ALLOC_ANYWHERE), 15 * M);
	KUNIT_EXPECT_EQ(test, memblock_phys_alloc_range_in(mb, M, 0x1000, 0,
					8 * M), 7 * M);
	/* Only [0, 2M) is left below the limit; page 0 is never handed out. */
	memblock_reserve_in(mb, 0x2000, 3 * M - 0x2000);
	KUNIT_EXPECT_EQ(test, memblock_phys_alloc_in(mb, 0x1000, 0x1000),
			0x1000ULL);
	KUNIT_EXPECT_EQ(test, memblock_phys_alloc_in(mb, 0x1000, 0x1000), 0ULL);
	KUNIT_EXPECT_FALSE(test, memblock_is_region_reserved_in(mb, 0, 0x1000));
	memblock_set_current_limit_in(mb, 0);	/* start >= end */
	KUNIT_EXPECT_EQ(test, memblock_phys_alloc_range_in(mb, 0x1000, 0x1000, 0,
					MEMBLOCK_ALLOC_ACCESSIBLE), 0ULL);
}

static void alloc_rejects_bad_arguments(struct kunit *test)
{
	struct memblock *mb = MB(test);

	memblock_add_in(mb, 0, 16 * M);
	KUNIT_EXPECT_EQ(test, memblock_phys_alloc_in(mb, 0x1000, 0), 0ULL);
	KUNIT_EXPECT_EQ(test, memblock_phys_alloc_in(mb, 0x1000, 3), 0ULL);
	KUNIT_EXPECT_EQ(test, memblock_phys_alloc_in(mb, 0x1000, 0x1800), 0ULL);
	KUNIT_EXPECT_EQ(test, memblock_phys_alloc_in(mb, 0, 0x1000), 0ULL);
	KUNIT_EXPECT_EQ(test, memblock_phys_alloc_in(mb, 17 * M, 0x1000), 0ULL);
	KUNIT_EXPECT_EQ(test, memblock_phys_alloc_in(mb, PHYS_ADDR_MAX, 1), 0ULL);
	KUNIT_EXPECT_EQ(test, memblock_phys_alloc_in(mb, 0x1000,
						     1ULL << 63), 0ULL);
	KUNIT_EXPECT_NULL(test, memblock_alloc_in(mb, 0x1000, 5));
	KUNIT_EXPECT_EQ(test, memblock_reserved_size_in(mb), 0ULL);
}

static void alloc_until_full_then_free_all(struct kunit *test)
{
	struct memblock *mb = MB(test);
	phys_addr_t got[16], pa;
	unsigned int n = 0;

	memblock_add_in(mb, 0x10000, 0x8000);
	memblock_add_in(mb, 0x40000, 0x8000);
	memblock_reserve_in(mb, 0x42000, 0x1000);
	while ((pa = memblock_phys_alloc_in(mb, 0x1000, 0x1000)) != 0) {
		KUNIT_ASSERT_LT(test, n, (unsigned)ARRAY_SIZE(got));
		if (n)	/* strictly descending */
			KUNIT_EXPECT_LT(test, pa, got[n - 1]);
		got[n++] = pa;
	}
	KUNIT_EXPECT_EQ(test, n, 15U);
	KUNIT_EXPECT_EQ(test, memblock_reserved_size_in(mb), 0x10000ULL);
	for (unsigned int i = 0; i < n; i++)
		KUNIT_EXPECT_EQ(test, memblock_phys_free_in(mb, got[i], 0x1000), 0);
	EXPECT_RSV(test, mb, { 0x42000, 0x1000 });	/* nothing leaked */
}

static void memblock_alloc_returns_zeroed_memory(struct kunit *test)
{
	static unsigned char arena[4 * 4096] __aligned(4096);
	struct memblock *mb = MB(test);
	phys_addr_t base = virt_to_phys(arena);
	unsigned char *p;

	memset(arena, 0xa5, sizeof(arena));
	memblock_add_in(mb, base, sizeof(arena));
	p = memblock_alloc_in(mb, 100, 64);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, virt_to_phys(p), base + sizeof(arena) - 128);
	for (int i = 0; i < 100; i++)
		KUNIT_ASSERT_EQ(test, p[i], 0);
	KUNIT_EXPECT_EQ(test, p[100], 0xa5);	/* no more than asked */
	KUNIT_EXPECT_EQ(test, memblock_phys_free_in(mb, virt_to_phys(p), 100), 0);
	KUNIT_EXPECT_EQ(test, memblock_reserved_size_in(mb), 0ULL);
}

static void is_memory_edges(struct kunit *test)
{
	struct memblock *mb = MB(test);

	memblock_add_in(mb, M, M);
	memblock_add_in(mb, 4 * M, M);
	KUNIT_EXPECT_FALSE(test, memblock_is_memory_in(mb, M - 1));
	KUNIT_EXPECT_TRUE(test, memblock_is_memory_in(mb, M));
	KUNIT_EXPECT_TRUE(test, memblock_is_memory_in(mb, 2 * M - 1));
	KUNIT_EXPECT_FALSE(test, memblock_is_memory_in(mb, 2 * M));
	KUNIT_EXPECT_FALSE(test, memblock_is_memory_in(mb, 3 * M));
	KUNIT_EXPECT_TRUE(test, memblock_is_memory_in(mb, 4 * M));
	KUNIT_EXPECT_FALSE(test, memblock_is_memory_in(mb, PHYS_ADDR_MAX));
}

static void full_array_loses_nothing(struct kunit *test)
{
	struct memblock_region mem[4], rsv[2];
	struct memblock mb;

	memblock_init(&mb, mem, ARRAY_SIZE(mem), rsv, ARRAY_SIZE(rsv));
	for (int i = 0; i < 4; i++)
		KUNIT_EXPECT_EQ(test, memblock_add_in(&mb, (2 * i + 1) * M, M), 0);
	/* A fifth separate range does not fit: refused, the four stay. */
	KUNIT_EXPECT_EQ(test, memblock_add_in(&mb, 20 * M, M), -1);
	EXPECT_MEM(test, &mb, { M, M }, { 3 * M, M }, { 5 * M, M }, { 7 * M, M });
	/* A split does not fit either. */
	KUNIT_EXPECT_EQ(test, memblock_remove_in(&mb, 3 * M + K, K), -1);
	EXPECT_MEM(test, &mb, { M, M }, { 3 * M, M }, { 5 * M, M }, { 7 * M, M });
	/* But a range that joins regions needs no slot, even when full. */
	KUNIT_EXPECT_EQ(test, memblock_add_in(&mb, 2 * M, M), 0);
	EXPECT_MEM(test, &mb, { M, 3 * M }, { 5 * M, M }, { 7 * M, M });
	/* Filling several gaps at once counts the joins first. */
	KUNIT_EXPECT_EQ(test, memblock_add_in(&mb, 0, 30 * M), 0);
	EXPECT_MEM(test, &mb, { 0, 30 * M });

	/* The reserved list behaves the same, and so does allocation. */
	KUNIT_EXPECT_EQ(test, memblock_reserve_in(&mb, 2 * M, M), 0);
	KUNIT_EXPECT_EQ(test, memblock_reserve_in(&mb, 8 * M, M), 0);
	KUNIT_EXPECT_EQ(test, memblock_reserve_in(&mb, 5 * M, M), -1);
	KUNIT_EXPECT_EQ(test, memblock_phys_alloc_range_in(&mb, M, M, 4 * M,
							    7 * M), 0ULL);
	KUNIT_EXPECT_EQ(test, memblock_phys_alloc_range_in(&mb, M, M, 4 * M,
							    8 * M), 7 * M);
	EXPECT_RSV(test, &mb, { 2 * M, M }, { 7 * M, 2 * M });
}

static void nomap_is_memory_but_never_free(struct kunit *test)
{
	struct memblock *mb = MB(test);
	phys_addr_t s, e;
	unsigned int n = 0;
	u64 i;

	memblock_add_in(mb, 0, 16 * M);
	KUNIT_EXPECT_EQ(test, memblock_mark_nomap_in(mb, 12 * M, 4 * M), 0);
	KUNIT_EXPECT_EQ(test, memblock_mark_nomap_in(mb, 4 * M, M), 0);
	EXPECT_MEM(test, mb, { 0, 4 * M }, { 4 * M, M }, { 5 * M, 7 * M },
		   { 12 * M, 4 * M });
	KUNIT_EXPECT_TRUE(test, mb->memory.regions[1].flags & MEMBLOCK_NOMAP);
	KUNIT_EXPECT_TRUE(test, memblock_is_memory_in(mb, 13 * M));
	KUNIT_EXPECT_EQ(test, memblock_phys_mem_size_in(mb), 16 * M);
	KUNIT_EXPECT_EQ(test, memblock_phys_alloc_in(mb, M, M), 11 * M);
	for_each_free_mem_range_in(mb, i, &s, &e)
		n++;
	KUNIT_EXPECT_EQ(test, n, 2U);	/* [0,4M) and [5M,11M) */
	/* Adding over NOMAP memory fills gaps only; NOMAP stays. */
	KUNIT_EXPECT_EQ(test, memblock_add_in(mb, 0, 32 * M), 0);
	EXPECT_MEM(test, mb, { 0, 4 * M }, { 4 * M, M }, { 5 * M, 7 * M },
		   { 12 * M, 4 * M }, { 16 * M, 16 * M });
	/* Clearing merges back into one region. */
	KUNIT_EXPECT_EQ(test, memblock_clear_nomap_in(mb, 0, 32 * M), 0);
	EXPECT_MEM(test, mb, { 0, 32 * M });
	KUNIT_EXPECT_EQ(test, memblock_phys_free_in(mb, 11 * M, M), 0);
	KUNIT_EXPECT_EQ(test, memblock_reserved_size_in(mb), 0ULL);
}

/*
 * OVMF's map under GRUB: ACPI NVS at 8 MiB, and a kernel image of more
 * than 7 MiB loaded over it from 1 MiB. The image is RAM (ours, mapped
 * in the direct map like the rest), said once; firmware ranges outside
 * the image stay holes. (x86_64-uefi crashed in the memblock suite when
 * the image first grew past 8 MiB: a static buffer's direct-map address
 * was not mapped.)
 */
static void kernel_image_over_firmware_ranges_is_memory(struct kunit *test)
{
	static struct boot_info bi;
	struct memblock *mb = MB(test);

	memset(&bi, 0, sizeof(bi));
	bi.mem[0] = (struct boot_mem_range){ 0x100000, 0x706000, BOOT_MEM_USABLE };
	bi.mem[1] = (struct boot_mem_range){ 0x806000, 0x2000, BOOT_MEM_ACPI_NVS };
	bi.mem[2] = (struct boot_mem_range){ 0x808000, 0x8000, BOOT_MEM_USABLE };
	bi.mem[3] = (struct boot_mem_range){ 0x810000, 0xf0000, BOOT_MEM_ACPI_NVS };
	bi.mem[4] = (struct boot_mem_range){ 0x900000, 0x1000000, BOOT_MEM_USABLE };
	bi.mem[5] = (struct boot_mem_range){ 0x1900000, 0x10000, BOOT_MEM_ACPI_NVS };
	bi.mem[6] = (struct boot_mem_range){ 0x1910000, 0x100000, BOOT_MEM_USABLE };
	bi.nr_mem = 7;
	bi.kernel_start = 0x100000;
	bi.kernel_end = 0x99bf00;
	KUNIT_EXPECT_EQ(test, memblock_add_boot_info_in(mb, &bi), 0);
	EXPECT_MEM(test, mb,
		   { 0x100000, 0x1800000 },		/* the image joins them */
		   { 0x1910000, 0x100000 });		/* NVS beyond: a hole */
	EXPECT_RSV(test, mb, { 0x100000, 0x89c000 });
}

/*
 * mem=: the lowest bytes of usable RAM up to the limit, across a hole;
 * never below what the loader put there (here a module at 129 MiB); a
 * limit above the RAM there is changes nothing.
 */
static void mem_limit_keeps_the_lowest_ram(struct kunit *test)
{
	static struct boot_info bi;
	struct memblock *mb = MB(test);

	memset(&bi, 0, sizeof(bi));
	bi.mem[0] = (struct boot_mem_range){ 0x0, 0x4000000, BOOT_MEM_USABLE };
	bi.mem[1] = (struct boot_mem_range){ 0x8000000, 0x8000000, BOOT_MEM_USABLE };
	bi.nr_mem = 2;
	bi.kernel_start = 0x80000;
	bi.kernel_end = 0x200000;
	KUNIT_EXPECT_EQ(test, memblock_add_boot_info_in(mb, &bi), 0);
	KUNIT_EXPECT_EQ(test, memblock_apply_mem_limit_in(mb, &bi, 96ULL << 20), 0);
	EXPECT_MEM(test, mb, { 0x0, 0x4000000 }, { 0x8000000, 0x2000000 });

	memblock_init(mb, mb->memory.regions, MB_CAP, mb->reserved.regions, MB_CAP);
	memset(&bi.modules, 0, sizeof(bi.modules));
	bi.modules[0] = (struct boot_module){ .base = 0x8100000, .size = 0x100000 };
	bi.nr_modules = 1;
	KUNIT_EXPECT_EQ(test, memblock_add_boot_info_in(mb, &bi), 0);
	KUNIT_EXPECT_EQ(test, memblock_apply_mem_limit_in(mb, &bi, 16ULL << 20), 0);
	EXPECT_MEM(test, mb, { 0x0, 0x4000000 }, { 0x8000000, 0x200000 });
	memblock_init(mb, mb->memory.regions, MB_CAP, mb->reserved.regions, MB_CAP);
	KUNIT_EXPECT_EQ(test, memblock_add_boot_info_in(mb, &bi), 0);
	/* more than there is */
	KUNIT_EXPECT_EQ(test, memblock_apply_mem_limit_in(mb, &bi, 1ULL << 30), 0);
	EXPECT_MEM(test, mb, { 0x0, 0x4000000 }, { 0x8000000, 0x8000000 });
}

static void boot_info_import(struct kunit *test)
{
	static struct boot_info bi;	/* big: not on a kernel stack */
	struct memblock *mb = MB(test);

	memset(&bi, 0, sizeof(bi));
	/* Unsorted, unaligned, overlapping, zero-length and wrapping. */
	bi.mem[0] = (struct boot_mem_range){ 0x100000, 0x7f00000, BOOT_MEM_USABLE };
	bi.mem[1] = (struct boot_mem_range){ 0x800, 0x9f000 - 0x800, BOOT_MEM_USABLE };
	bi.mem[2] = (struct boot_mem_range){ 0x9fc00, 0x400, BOOT_MEM_RESERVED };
	bi.mem[3] = (struct boot_mem_range){ 0x7fe0000, 0x20000, BOOT_MEM_ACPI_NVS };
	bi.mem[4] = (struct boot_mem_range){ 0x200000, 0, BOOT_MEM_USABLE };
	bi.mem[5] = (struct boot_mem_range){ 0x100000000ULL + 0x10, 0x10000000,
					      BOOT_MEM_USABLE };
	bi.mem[6] = (struct boot_mem_range){ PHYS_ADDR_MAX - 0x2fff, 0x10000,
					      BOOT_MEM_USABLE };
	bi.mem[7] = (struct boot_mem_range){ 0x4000000, 0x1000, 99 };	/* unknown */
	bi.mem[8] = (struct boot_mem_range){ 0x300000, 0x10, BOOT_MEM_USABLE };
	bi.nr_mem = 9;
	bi.kernel_start = 0x200000;
	bi.kernel_end = 0x400000;
	bi.info_start = 0x9000;
	bi.info_end = 0x9100;
	bi.modules[0].base = 0x1000800;
	bi.modules[0].size = 0x1000;
	bi.nr_modules = 1;
	bi.dtb = 0x5000000;
	bi.dtb_size = 0x2345;

	KUNIT_EXPECT_EQ(test, memblock_add_boot_info_in(mb, &bi), 0);
	EXPECT_MEM(test, mb,
		   { 0x1000, 0x9e000 },			/* trimmed inward */
		   { 0x100000, 0x4000000 - 0x100000 },	/* hole: type 99 */
		   { 0x4001000, 0x7fe0000 - 0x4001000 },	/* minus ACPI NVS */
		   { 0x100001000ULL, 0xffff000 },
		   { PHYS_ADDR_MAX - 0x2fff, 0x2000 });	/* clamped, trimmed */
	EXPECT_RSV(test, mb,
		   { 0x9000, 0x1000 },
		   { 0x200000, 0x200000 },
		   { 0x1000000, 0x2000 },		/* module, whole pages */
		   { 0x5000000, 0x3000 });
	/* A backwards kernel range is an error, reported. */
	bi.kernel_start = 0x400000;
	bi.kernel_end = 0x200000;
	KUNIT_EXPECT_EQ(test, memblock_add_boot_info_in(mb, &bi), -1);
}

/* The global instance, read only (it may describe the running machine). */
static void global_instance_is_consistent(struct kunit *test)
{
	phys_addr_t s, e, sum = 0, prev_end = 0;
	u64 i;

	KUNIT_EXPECT_EQ(test, memblock_check(), 0);
	for_each_mem_range(i, &s, &e) {
		KUNIT_EXPECT_GE(test, s, prev_end);
		sum += e - s;
		prev_end = e;
	}
	KUNIT_EXPECT_EQ(test, sum, memblock_phys_mem_size());
	KUNIT_EXPECT_EQ(test, prev_end, memblock_end_of_DRAM());
	prev_end = 0;
	for_each_free_mem_range(i, &s, &e) {
		KUNIT_EXPECT_LT(test, s, e);
		KUNIT_EXPECT_GE(test, s, prev_end);
		KUNIT_EXPECT_TRUE(test, memblock_is_memory(s));
		KUNIT_EXPECT_FALSE(test, memblock_is_region_reserved(s, e - s));
		prev_end = e;
	}
}

static struct kunit_case memblock_cases[] = {
	KUNIT_CASE(add_sorts_unsorted_input),
	KUNIT_CASE(add_merges_overlap_and_adjacent),
	KUNIT_CASE(zero_length_is_ignored),
	KUNIT_CASE(wrapping_range_is_clamped),
	KUNIT_CASE(remove_trims_and_splits),
	KUNIT_CASE(reserve_and_free),
	KUNIT_CASE(reserve_outside_memory_is_kept),
	KUNIT_CASE(free_ranges_iterate_both_ways),
	KUNIT_CASE(alloc_is_top_down),
	KUNIT_CASE(alloc_respects_limit_and_never_returns_zero),
	KUNIT_CASE(alloc_rejects_bad_arguments),
	KUNIT_CASE(alloc_until_full_then_free_all),
	KUNIT_CASE(memblock_alloc_returns_zeroed_memory),
	KUNIT_CASE(is_memory_edges),
	KUNIT_CASE(full_array_loses_nothing),
	KUNIT_CASE(nomap_is_memory_but_never_free),
	KUNIT_CASE(boot_info_import),
	KUNIT_CASE(mem_limit_keeps_the_lowest_ram),
	KUNIT_CASE(kernel_image_over_firmware_ranges_is_memory),
	KUNIT_CASE(global_instance_is_consistent),
	{}
};

static struct kunit_suite memblock_suite = {
	.name = "memblock",
	.init = mb_init,
	.test_cases = memblock_cases,
};
kunit_test_suite(memblock_suite);
