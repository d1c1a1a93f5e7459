/*
 * tests/suites/gaptree_test.c - kernel/lib/gaptree's operations, case by
 * case: fits (lowest, highest, aligned, bounded), inserts at a fit and
 * anywhere, removal merging gaps, find, in-order iteration, and balance
 * under sequential inserts. Runs on the host and in the kernel; the long
 * randomised run against a model is tests/host/gaptree_model_test.c.
 */
#include "kernel/kunit.h"
#include "kernel/lib/gaptree.h"

#define NR	512

static struct gap_tree t;
static struct gap_node nodes[NR];

/* Insert node i at the lowest (or highest) fit; returns its start or ~0. */
static unsigned long put(struct kunit *test, int i, bool highest,
			 unsigned long size, unsigned long align,
			 unsigned long lo, unsigned long hi)
{
	struct gap_fit fit;
	bool ok = highest ? gap_tree_fit_highest(&t, size, align, lo, hi, &fit)
			  : gap_tree_fit_lowest(&t, size, align, lo, hi, &fit);

	if (!ok)
		return ~0UL;
	gap_tree_insert_fit(&t, &nodes[i], &fit, size);
	KUNIT_EXPECT_TRUE(test, gap_tree_check(&t, "gaptree_test"));
	return fit.start;
}

static void empty_tree(struct kunit *test)
{
	struct gap_fit fit;

	gap_tree_init(&t, 0x100, 0x1ff);
	KUNIT_EXPECT_TRUE(test, gap_tree_check(&t, "gaptree_test"));
	KUNIT_EXPECT_NULL(test, gap_tree_first(&t));
	KUNIT_EXPECT_NULL(test, gap_tree_find(&t, 0x100));
	KUNIT_EXPECT_NULL(test, gap_tree_find(&t, 0x200));	/* the anchor */
	KUNIT_ASSERT_TRUE(test, gap_tree_fit_lowest(&t, 0x100, 1, 0, ~0UL, &fit));
	KUNIT_EXPECT_EQ(test, fit.start, 0x100UL);		/* all of it */
	KUNIT_EXPECT_FALSE(test, gap_tree_fit_lowest(&t, 0x101, 1, 0, ~0UL, &fit));
	KUNIT_ASSERT_TRUE(test, gap_tree_fit_highest(&t, 3, 4, 0, ~0UL, &fit));
	KUNIT_EXPECT_EQ(test, fit.start, 0x1fcUL);		/* aligned down */
	KUNIT_EXPECT_FALSE(test, gap_tree_fit_lowest(&t, 0, 1, 0, ~0UL, &fit));
	KUNIT_EXPECT_FALSE(test, gap_tree_fit_lowest(&t, 1, 1, 0x50, 0x60, &fit));
}

static void fits_lowest_and_highest(struct kunit *test)
{
	gap_tree_init(&t, 0, 999);
	KUNIT_EXPECT_EQ(test, put(test, 0, false, 10, 1, 0, 999), 0UL);
	KUNIT_EXPECT_EQ(test, put(test, 1, false, 5, 8, 0, 999), 16UL);	/* 10 rounds up */
	KUNIT_EXPECT_EQ(test, put(test, 2, false, 6, 1, 0, 999), 10UL);	/* the hole below */
	KUNIT_EXPECT_EQ(test, put(test, 3, true, 10, 1, 0, 999), 990UL);
	KUNIT_EXPECT_EQ(test, put(test, 4, true, 3, 16, 0, 999), 976UL);	/* 987 down to 976 */
	KUNIT_EXPECT_EQ(test, put(test, 5, true, 4, 1, 0, 999), 986UL);	/* 979..989 */
	/* Bounds: only [lo, hi] counts, whatever is free outside. */
	KUNIT_EXPECT_EQ(test, put(test, 6, false, 4, 1, 500, 999), 500UL);
	KUNIT_EXPECT_EQ(test, put(test, 7, true, 4, 1, 0, 503), 496UL);
	KUNIT_EXPECT_EQ(test, put(test, 8, false, 4, 1, 498, 505), ~0UL);	/* no room */
	KUNIT_EXPECT_EQ(test, put(test, 8, true, 2, 1, 0, 1), ~0UL);		/* used */
	KUNIT_EXPECT_EQ(test, t.nr, 8UL);
}

static void insert_anywhere(struct kunit *test)
{
	gap_tree_init(&t, 100, 199);
	KUNIT_EXPECT_EQ(test, gap_tree_insert(&t, &nodes[0], 120, 129), 0);
	KUNIT_EXPECT_EQ(test, gap_tree_insert(&t, &nodes[1], 125, 135), -1);	/* overlaps */
	KUNIT_EXPECT_EQ(test, gap_tree_insert(&t, &nodes[1], 110, 120), -1);
	KUNIT_EXPECT_EQ(test, gap_tree_insert(&t, &nodes[1], 99, 100), -1);	/* below */
	KUNIT_EXPECT_EQ(test, gap_tree_insert(&t, &nodes[1], 199, 200), -1);	/* above */
	KUNIT_EXPECT_EQ(test, gap_tree_insert(&t, &nodes[1], 130, 129), -1);	/* empty */
	KUNIT_EXPECT_EQ(test, gap_tree_insert(&t, &nodes[1], 130, 130), 0);	/* touching */
	KUNIT_EXPECT_EQ(test, gap_tree_insert(&t, &nodes[2], 100, 119), 0);
	KUNIT_EXPECT_EQ(test, gap_tree_insert(&t, &nodes[3], 199, 199), 0);
	KUNIT_EXPECT_TRUE(test, gap_tree_check(&t, "gaptree_test"));
	KUNIT_EXPECT_EQ(test, t.nr, 4UL);
	KUNIT_EXPECT_EQ(test, t.root->max_gap, 68UL);		/* 131..198 */
}

static void find_and_iterate(struct kunit *test)
{
	struct gap_node *n;
	unsigned long prev = 0;
	int count = 0;

	gap_tree_init(&t, 0, 0xffff);
	for (int i = 0; i < 64; i++)	/* out of order: 0, 37, 10, ... */
		KUNIT_ASSERT_EQ(test, gap_tree_insert(&t, &nodes[i],
			(unsigned long)(i * 37 % 64) * 0x100,
			(unsigned long)(i * 37 % 64) * 0x100 + 0x7f), 0);
	gap_tree_for_each(n, &t) {
		KUNIT_EXPECT_TRUE(test, count == 0 || n->start > prev);
		prev = n->start;
		count++;
	}
	KUNIT_EXPECT_EQ(test, count, 64);
	KUNIT_EXPECT_PTR_EQ(test, gap_tree_find(&t, 0x2540), &nodes[1]);	/* 37 * 0x100 */
	KUNIT_EXPECT_PTR_EQ(test, gap_tree_find(&t, 0x257f), &nodes[1]);
	KUNIT_EXPECT_NULL(test, gap_tree_find(&t, 0x2580));	/* a gap */
	KUNIT_EXPECT_NULL(test, gap_tree_find(&t, 0x10000));	/* the anchor */
	KUNIT_EXPECT_PTR_EQ(test, gap_tree_first(&t), &nodes[0]);
}

static void remove_merges_gaps(struct kunit *test)
{
	struct gap_fit fit;

	gap_tree_init(&t, 0, 99);
	for (int i = 0; i < 10; i++)
		KUNIT_ASSERT_EQ(test, put(test, i, false, 10, 1, 0, 99), (unsigned long)i * 10);
	KUNIT_EXPECT_FALSE(test, gap_tree_fit_lowest(&t, 1, 1, 0, 99, &fit));
	gap_tree_remove(&t, &nodes[3]);
	gap_tree_remove(&t, &nodes[5]);
	KUNIT_EXPECT_TRUE(test, gap_tree_check(&t, "gaptree_test"));
	KUNIT_EXPECT_EQ(test, t.root->max_gap, 10UL);
	KUNIT_EXPECT_FALSE(test, gap_tree_fit_lowest(&t, 11, 1, 0, 99, &fit));
	gap_tree_remove(&t, &nodes[4]);				/* 30..59 free */
	KUNIT_EXPECT_TRUE(test, gap_tree_check(&t, "gaptree_test"));
	KUNIT_ASSERT_TRUE(test, gap_tree_fit_lowest(&t, 30, 1, 0, 99, &fit));
	KUNIT_EXPECT_EQ(test, fit.start, 30UL);
	KUNIT_EXPECT_NULL(test, gap_tree_find(&t, 45));
	for (int i = 0; i < 10; i++)
		if (i < 3 || i > 5)
			gap_tree_remove(&t, &nodes[i]);
	KUNIT_EXPECT_TRUE(test, gap_tree_check(&t, "gaptree_test"));
	KUNIT_EXPECT_EQ(test, t.nr, 0UL);
	KUNIT_EXPECT_EQ(test, t.root->max_gap, 100UL);
}

/* Ascending inserts would make a plain search tree a list. */
static void stays_balanced(struct kunit *test)
{
	gap_tree_init(&t, 0, 4 * NR - 1);
	for (int i = 0; i < NR; i++)
		put(test, i, false, 3, 1, 0, ~0UL);
	KUNIT_EXPECT_EQ(test, t.nr, (unsigned long)NR);
	/* AVL: height < 1.45 log2(n + 2); n = 513 nodes with the anchor. */
	KUNIT_EXPECT_LE(test, t.root->height, 13);
	KUNIT_EXPECT_EQ(test, t.root->max_gap, (unsigned long)(4 * NR - 3 * NR));
	for (int i = 0; i < NR; i += 2)
		gap_tree_remove(&t, &nodes[i]);
	KUNIT_EXPECT_TRUE(test, gap_tree_check(&t, "gaptree_test"));
	KUNIT_EXPECT_LE(test, t.root->height, 12);
}

static struct kunit_case gaptree_cases[] = {
	KUNIT_CASE(empty_tree),
	KUNIT_CASE(fits_lowest_and_highest),
	KUNIT_CASE(insert_anywhere),
	KUNIT_CASE(find_and_iterate),
	KUNIT_CASE(remove_merges_gaps),
	KUNIT_CASE(stays_balanced),
	{}
};

static struct kunit_suite gaptree_suite = {
	.name = "gaptree",
	.test_cases = gaptree_cases,
};
kunit_test_suite(gaptree_suite);
