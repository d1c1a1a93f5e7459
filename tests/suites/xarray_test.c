/*
 * tests/suites/xarray_test.c - mm/xarray case by case: the shape (index 0
 * with no node, growing and shrinking with the indices stored), value
 * entries, marks and their summaries, finding by mark, holes, preload,
 * and nodes given back. Runs on the host and in the kernel, each case on
 * its own node cache over a private arena, so node counts are exact; the
 * long randomised run against a model is tests/host/xarray_model_test.c.
 */
#include "tests/suites/test_arena.h"
#include "mm/slab.h"
#include "mm/xarray_internal.h"

static struct test_arena arena;
static struct kmem_cache *cache;
static struct xarray xa;

/* Fake page pointers: aligned, never dereferenced. */
#define P(n)	((void *)(0x100000UL + 8UL * (n)))

static int xarray_init_case(struct kunit *test)
{
	if (!test_arena_make(test, &arena, 0))
		return -1;
	cache = xa_node_cache_create(&arena.pgdat);
	if (!cache)
		return -1;
	xa_init(&xa);
	xa.node_cache = cache;
	return 0;
}

static void xarray_exit_case(struct kunit *test)
{
	xa_destroy(&xa);
	KUNIT_EXPECT_EQ(test, kmem_cache_objects_in_use(cache), 0UL);
	kmem_cache_destroy(cache);
	test_arena_done(test, &arena);
}

static unsigned long nodes(void)
{
	return kmem_cache_objects_in_use(cache);
}

static void empty_array(struct kunit *test)
{
	unsigned long index = 0;

	KUNIT_EXPECT_TRUE(test, xa_empty(&xa));
	KUNIT_EXPECT_NULL(test, xa_load(&xa, 0));
	KUNIT_EXPECT_NULL(test, xa_load(&xa, ~0UL));
	KUNIT_EXPECT_NULL(test, xa_find(&xa, &index, ~0UL, XA_PRESENT));
	KUNIT_EXPECT_NULL(test, xa_erase(&xa, 5));
	KUNIT_EXPECT_EQ(test, xa_next_hole(&xa, 0, 10), 0UL);
	KUNIT_EXPECT_FALSE(test, xa_marked(&xa, XA_MARK_0));
	KUNIT_EXPECT_EQ(test, xa_check(&xa), 0);
}

/* Index 0 alone needs no node; anything else grows the tree one level
 * per 6 bits of index, and erasing shrinks it back. */
static void grows_and_shrinks(struct kunit *test)
{
	KUNIT_EXPECT_NULL(test, xa_store(&xa, 0, P(0), GFP_KERNEL));
	KUNIT_EXPECT_EQ(test, nodes(), 0UL);
	KUNIT_EXPECT_EQ(test, xa.height, 0U);
	KUNIT_EXPECT_PTR_EQ(test, xa_load(&xa, 0), P(0));

	KUNIT_EXPECT_NULL(test, xa_store(&xa, 63, P(63), GFP_KERNEL));
	KUNIT_EXPECT_EQ(test, xa.height, 1U);	/* one leaf: 0..63 */
	KUNIT_EXPECT_EQ(test, nodes(), 1UL);
	KUNIT_EXPECT_NULL(test, xa_store(&xa, 64, P(64), GFP_KERNEL));
	KUNIT_EXPECT_EQ(test, xa.height, 2U);	/* a top over two leaves */
	KUNIT_EXPECT_EQ(test, nodes(), 3UL);
	KUNIT_EXPECT_NULL(test, xa_store(&xa, 4096, P(4096), GFP_KERNEL));
	KUNIT_EXPECT_EQ(test, xa.height, 3U);
	KUNIT_EXPECT_EQ(test, nodes(), 6UL);	/* + a top, + 2 for 4096 */
	KUNIT_EXPECT_EQ(test, xa.nr_entries, 4UL);
	KUNIT_EXPECT_EQ(test, xa_check(&xa), 0);
	KUNIT_EXPECT_PTR_EQ(test, xa_load(&xa, 64), P(64));
	KUNIT_EXPECT_NULL(test, xa_load(&xa, 65));
	KUNIT_EXPECT_NULL(test, xa_load(&xa, 1UL << 40));

	KUNIT_EXPECT_PTR_EQ(test, xa_erase(&xa, 4096), P(4096));
	KUNIT_EXPECT_EQ(test, xa.height, 2U);
	KUNIT_EXPECT_EQ(test, nodes(), 3UL);
	KUNIT_EXPECT_PTR_EQ(test, xa_erase(&xa, 64), P(64));
	KUNIT_EXPECT_EQ(test, xa.height, 1U);
	KUNIT_EXPECT_PTR_EQ(test, xa_erase(&xa, 63), P(63));
	KUNIT_EXPECT_EQ(test, xa.height, 0U);	/* 0 back in the head */
	KUNIT_EXPECT_EQ(test, nodes(), 0UL);
	KUNIT_EXPECT_PTR_EQ(test, xa_load(&xa, 0), P(0));
	KUNIT_EXPECT_EQ(test, xa_check(&xa), 0);

	/* The largest index: 11 levels. */
	KUNIT_EXPECT_NULL(test, xa_store(&xa, ~0UL, P(1), GFP_KERNEL));
	KUNIT_EXPECT_EQ(test, xa.height, 11U);
	KUNIT_EXPECT_EQ(test, nodes(), 21UL);	/* 0's chain and ~0's */
	KUNIT_EXPECT_PTR_EQ(test, xa_load(&xa, ~0UL), P(1));
	KUNIT_EXPECT_NULL(test, xa_load(&xa, ~0UL - 1));
	KUNIT_EXPECT_PTR_EQ(test, xa_erase(&xa, 0), P(0));
	KUNIT_EXPECT_EQ(test, nodes(), 11UL);
	KUNIT_EXPECT_EQ(test, xa_check(&xa), 0);
	KUNIT_EXPECT_PTR_EQ(test, xa_erase(&xa, ~0UL), P(1));
	KUNIT_EXPECT_EQ(test, nodes(), 0UL);
	KUNIT_EXPECT_TRUE(test, xa_empty(&xa));
}

static void value_entries(struct kunit *test)
{
	void *v = xa_mk_value(12345);

	KUNIT_EXPECT_TRUE(test, xa_is_value(v));
	KUNIT_EXPECT_EQ(test, xa_to_value(v), 12345UL);
	KUNIT_EXPECT_FALSE(test, xa_is_value(P(1)));
	xa_store(&xa, 7, v, GFP_KERNEL);
	xa_store(&xa, 8, P(8), GFP_KERNEL);
	KUNIT_EXPECT_EQ(test, xa.nr_entries, 2UL);
	KUNIT_EXPECT_EQ(test, xa.nr_values, 1UL);
	/* A page replacing a shadow, as a refault does. */
	KUNIT_EXPECT_PTR_EQ(test, xa_store(&xa, 7, P(7), GFP_KERNEL), v);
	KUNIT_EXPECT_EQ(test, xa.nr_values, 0UL);
	KUNIT_EXPECT_EQ(test, xa.nr_entries, 2UL);
	KUNIT_EXPECT_EQ(test, xa_check(&xa), 0);
}

/* Marks: summarised upwards, found by a walk, gone with the entry. */
static void marks(struct kunit *test)
{
	unsigned long index;
	void *e;

	for (unsigned long i = 0; i < 300; i++)
		xa_store(&xa, i * 37, P(i), GFP_KERNEL);
	xa_set_mark(&xa, 37 * 5, XA_MARK_0);
	xa_set_mark(&xa, 37 * 250, XA_MARK_0);
	xa_set_mark(&xa, 37 * 250, XA_MARK_2);
	xa_set_mark(&xa, 3, XA_MARK_0);		/* absent: nothing */
	KUNIT_EXPECT_FALSE(test, xa_get_mark(&xa, 3, XA_MARK_0));
	KUNIT_EXPECT_TRUE(test, xa_marked(&xa, XA_MARK_0));
	KUNIT_EXPECT_FALSE(test, xa_marked(&xa, XA_MARK_1));
	KUNIT_EXPECT_TRUE(test, xa_marked(&xa, XA_MARK_2));
	KUNIT_EXPECT_EQ(test, xa_check(&xa), 0);

	index = 0;
	e = xa_find(&xa, &index, ~0UL, XA_MARK_0);
	KUNIT_EXPECT_PTR_EQ(test, e, P(5));
	KUNIT_EXPECT_EQ(test, index, 37UL * 5);
	e = xa_find_after(&xa, &index, ~0UL, XA_MARK_0);
	KUNIT_EXPECT_PTR_EQ(test, e, P(250));
	KUNIT_EXPECT_EQ(test, index, 37UL * 250);
	KUNIT_EXPECT_NULL(test, xa_find_after(&xa, &index, ~0UL, XA_MARK_0));
	index = 0;
	KUNIT_EXPECT_NULL(test, xa_find(&xa, &index, 37 * 250 - 1, XA_MARK_2));

	/* Storing a page over a marked page keeps the marks; a value or an
	 * erase drops them. */
	xa_store(&xa, 37 * 5, P(1000), GFP_KERNEL);
	KUNIT_EXPECT_TRUE(test, xa_get_mark(&xa, 37 * 5, XA_MARK_0));
	xa_store(&xa, 37 * 5, xa_mk_value(1), GFP_KERNEL);
	KUNIT_EXPECT_FALSE(test, xa_get_mark(&xa, 37 * 5, XA_MARK_0));
	xa_erase(&xa, 37 * 250);
	KUNIT_EXPECT_FALSE(test, xa_marked(&xa, XA_MARK_0));
	KUNIT_EXPECT_FALSE(test, xa_marked(&xa, XA_MARK_2));
	KUNIT_EXPECT_EQ(test, xa_check(&xa), 0);
}

/* Iteration over a sparse set, up to the very last index. */
static void iterate_sparse(struct kunit *test)
{
	static const unsigned long want[] = {
		0, 1, 64, 1UL << 20, 1UL << 40, ~0UL - 64, ~0UL
	};
	unsigned long index, n = 0;
	void *e;

	for (unsigned int i = ARRAY_SIZE(want); i-- > 0;)
		xa_store(&xa, want[i], P(i), GFP_KERNEL);
	xa_for_each_range(&xa, index, e, 0, ~0UL) {
		KUNIT_ASSERT_LT(test, n, (unsigned long)ARRAY_SIZE(want));
		KUNIT_EXPECT_EQ(test, index, want[n]);
		KUNIT_EXPECT_PTR_EQ(test, e, P(n));
		n++;
	}
	KUNIT_EXPECT_EQ(test, n, (unsigned long)ARRAY_SIZE(want));
	n = 0;
	xa_for_each_range(&xa, index, e, 2, 1UL << 40)
		n++;
	KUNIT_EXPECT_EQ(test, n, 3UL);		/* 64, 2^20, 2^40 */
	KUNIT_EXPECT_EQ(test, xa_check(&xa), 0);
}

/* Where a cached run ends (readahead's question). */
static void next_hole(struct kunit *test)
{
	for (unsigned long i = 10; i < 200; i++)
		xa_store(&xa, i, P(i), GFP_KERNEL);
	KUNIT_EXPECT_EQ(test, xa_next_hole(&xa, 0, 100), 0UL);
	KUNIT_EXPECT_EQ(test, xa_next_hole(&xa, 10, 1000), 200UL);
	KUNIT_EXPECT_EQ(test, xa_next_hole(&xa, 50, 120), 121UL);	/* full */
	xa_erase(&xa, 130);
	KUNIT_EXPECT_EQ(test, xa_next_hole(&xa, 10, 1000), 130UL);
	xa_store(&xa, ~0UL, P(1), GFP_KERNEL);
	KUNIT_EXPECT_EQ(test, xa_next_hole(&xa, ~0UL - 1, ~0UL), ~0UL - 1);
	KUNIT_EXPECT_EQ(test, xa_next_hole(&xa, ~0UL, ~0UL), 0UL); /* max+1 */
}

/* Preload: after xa_reserve(), a store needs no allocation. */
static void reserve_then_store(struct kunit *test)
{
	unsigned long before;

	xa_store(&xa, 0, P(0), GFP_KERNEL);
	KUNIT_EXPECT_EQ(test, xa_reserve(&xa, 5000, GFP_KERNEL), 0);
	before = nodes();
	KUNIT_EXPECT_GE(test, before, 4UL);	/* at most what a store needs */
	KUNIT_EXPECT_NULL(test, xa_store(&xa, 5000, P(5000), GFP_NOWAIT));
	KUNIT_EXPECT_EQ(test, nodes(), before);	/* none allocated */
	KUNIT_EXPECT_EQ(test, xa.height, 3U);
	KUNIT_EXPECT_EQ(test, xa_check(&xa), 0);
	/* Where the path exists, the store allocates nothing either... */
	KUNIT_EXPECT_EQ(test, xa_reserve(&xa, 5001, GFP_KERNEL), 0);
	before = nodes();
	KUNIT_EXPECT_NULL(test, xa_store(&xa, 5001, P(5001), GFP_NOWAIT));
	KUNIT_EXPECT_EQ(test, nodes(), before);
	/* ...and xa_destroy() frees the stash with the tree. */
	xa_destroy(&xa);
	KUNIT_EXPECT_EQ(test, nodes(), 0UL);
	KUNIT_EXPECT_TRUE(test, xa_empty(&xa));
	KUNIT_EXPECT_PTR_EQ(test, xa.node_cache, cache);
}

/* A dense run of page-cache-like indices, then everything freed. */
static void dense_and_destroy(struct kunit *test)
{
	for (unsigned long i = 0; i < 5000; i++)
		KUNIT_ASSERT_NULL(test, xa_store(&xa, i, P(i), GFP_KERNEL));
	KUNIT_EXPECT_EQ(test, xa.height, 3U);
	/* 79 leaves, 2 nodes above them, 1 top. */
	KUNIT_EXPECT_EQ(test, nodes(), 79UL + 2 + 1);
	KUNIT_EXPECT_EQ(test, xa_check(&xa), 0);
	xa_destroy(&xa);
	KUNIT_EXPECT_EQ(test, nodes(), 0UL);
	KUNIT_EXPECT_NULL(test, xa_load(&xa, 7));
}

static struct kunit_case xarray_cases[] = {
	KUNIT_CASE(empty_array),
	KUNIT_CASE(grows_and_shrinks),
	KUNIT_CASE(value_entries),
	KUNIT_CASE(marks),
	KUNIT_CASE(iterate_sparse),
	KUNIT_CASE(next_hole),
	KUNIT_CASE(reserve_then_store),
	KUNIT_CASE(dense_and_destroy),
	{}
};

static struct kunit_suite xarray_suite = {
	.name = "xarray",
	.init = xarray_init_case,
	.exit = xarray_exit_case,
	.test_cases = xarray_cases,
};
kunit_test_suite(xarray_suite);
