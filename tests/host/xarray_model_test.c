/*
 * tests/host/xarray_model_test.c - mm/xarray against a reference model: a
 * sorted array of (index, entry, marks). Thousands of random operations
 * go to both: stores of pointers and value entries, erases, loads, mark
 * set/clear/get, xa_find/xa_find_after with every filter and random
 * bounds, xa_next_hole, preload (xa_reserve, then a store that must not
 * allocate), reserves with no store (the stash stays bounded), and
 * stores made to fail at their 1st, 2nd or 3rd node
 * allocation (the array, compared in full, must be unchanged). After every
 * operation xa_check() must pass and the counts must be the model's; every
 * few operations, and at each scenario's end, the whole array is compared
 * by iteration.
 *
 * Scenarios (each on a fresh array): a dense run of small indices; sparse
 * indices anywhere in 64 bits; indices near ULONG_MAX; index 0 alone and
 * with a few neighbours (the head entry growing into a tree and back); a
 * mix of all. At the end of each, xa_destroy() must give every node back
 * (xa_nodes_in_use() as before), and at the end the arena every page.
 *
 * Replay: build/host/unit xarray_model --seed N, or XA_SEED=N.
 */
#include "tests/host/host.h"
#include "tests/suites/test_arena.h"
#include "kernel/lib/random.h"
#include "mm/slab.h"
#include "mm/xarray_internal.h"

#include <stdlib.h>

#define MAX_ENTRIES	700
#define STEPS		6000

struct ment {
	unsigned long index;
	void *entry;
	unsigned int marks;
};

static struct {
	struct xarray xa;
	struct ment m[MAX_ENTRIES];
	unsigned long nr;
	unsigned long step;
	unsigned int scenario;
	unsigned long cap;		/* entries this scenario aims at */
	uintptr_t next_ptr;
	/* What the run did, to check it went where it should. */
	unsigned long stores, erases, finds_hit, finds_miss, nomem, preloads;
	unsigned long reserves;
} M;

#define CHECK(test, cond, fmt, ...) ({ \
	bool _ok = (cond); \
	if (!_ok) \
		KUNIT_FAIL(test, "scenario %u step %lu: " fmt, M.scenario, \
			   M.step, ##__VA_ARGS__); \
	_ok; \
})

/* Position of index in the model, or where it would go. */
static unsigned long model_pos(unsigned long index)
{
	unsigned long lo = 0, hi = M.nr;

	while (lo < hi) {
		unsigned long mid = lo + (hi - lo) / 2;

		if (M.m[mid].index < index)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static struct ment *model_find(unsigned long index)
{
	unsigned long p = model_pos(index);

	return p < M.nr && M.m[p].index == index ? &M.m[p] : NULL;
}

static void model_store(unsigned long index, void *entry)
{
	unsigned long p = model_pos(index);

	if (p < M.nr && M.m[p].index == index) {
		M.m[p].entry = entry;
		if (xa_is_value(entry))
			M.m[p].marks = 0;
		return;
	}
	memmove(&M.m[p + 1], &M.m[p], (M.nr - p) * sizeof(M.m[0]));
	M.m[p] = (struct ment){ index, entry, 0 };
	M.nr++;
}

static void model_erase(unsigned long index)
{
	unsigned long p = model_pos(index);

	if (p < M.nr && M.m[p].index == index) {
		memmove(&M.m[p], &M.m[p + 1], (M.nr - p - 1) * sizeof(M.m[0]));
		M.nr--;
	}
}

/* The model's first entry in [index, max] passing filter, or NULL. */
static struct ment *model_first(unsigned long index, unsigned long max,
				xa_mark_t filter)
{
	if (index > max)
		return NULL;
	for (unsigned long p = model_pos(index); p < M.nr; p++) {
		if (M.m[p].index > max)
			return NULL;
		if (filter == XA_PRESENT || (M.m[p].marks & (1U << filter)))
			return &M.m[p];
	}
	return NULL;
}

static unsigned long model_hole(unsigned long start, unsigned long max)
{
	unsigned long i = start, p = model_pos(start);

	if (start > max)
		return max + 1;
	for (; p < M.nr && M.m[p].index == i; p++) {
		if (i == max)
			return max + 1;
		i++;
	}
	return i;
}

/* A fresh pointer entry: aligned to 4, never a node's tag. */
static void *new_pointer(void)
{
	M.next_ptr += 4;
	return (void *)(M.next_ptr | 0x100000);
}

static unsigned long random_index(struct prng *r)
{
	static const unsigned long bases[] = {
		0, 1, 62, 63, 64, 65, 4095, 4096, 262143, 262144,
		1UL << 30, 1UL << 36, 1UL << 48, 1UL << 60, 1UL << 63,
		~0UL - 130, ~0UL - 64, ~0UL,
	};
	unsigned long b;

	/* Half the time an index already there (erase, overwrite, mark). */
	if (M.nr && prng_below(r, 2))
		return M.m[prng_below(r, M.nr)].index;
	switch (M.scenario) {
	case 0:					/* dense */
		return prng_below(r, 2 * M.cap);
	case 1:					/* sparse */
		return prng_below(r, 4) ? prng_next(r) : prng_below(r, 1UL << 20);
	case 2:					/* near the top */
		return ~0UL - prng_below(r, 3 * M.cap);
	case 3:					/* 0 and a few */
		return prng_below(r, 3) ? 0 : bases[prng_below(r, ARRAY_SIZE(bases))];
	default:				/* all of them */
		b = bases[prng_below(r, ARRAY_SIZE(bases))];
		switch (prng_below(r, 4)) {
		case 0: return prng_next(r);
		case 1: return b;
		case 2: return b + prng_below(r, 200);	/* wraps near the top */
		default: return b - prng_below(r, 200);
		}
	}
}

static bool same_as_model(struct kunit *test)
{
	unsigned long index, n = 0;
	void *entry;

	xa_for_each_range(&M.xa, index, entry, 0, ~0UL) {
		struct ment *e = n < M.nr ? &M.m[n] : NULL;

		if (!CHECK(test, e && e->index == index && e->entry == entry,
			   "iteration %lu: array has %#lx=%p, model %#lx=%p", n,
			   index, entry, e ? e->index : 0, e ? e->entry : NULL))
			return false;
		for (xa_mark_t m = 0; m < XA_MAX_MARKS; m++)
			if (!CHECK(test, xa_get_mark(&M.xa, index, m) ==
				   !!(e->marks & (1U << m)),
				   "index %#lx mark %u: array %d, model %d",
				   index, m, xa_get_mark(&M.xa, index, m),
				   !!(e->marks & (1U << m))))
				return false;
		n++;
		if (index == ~0UL)
			break;
	}
	return CHECK(test, n == M.nr, "iteration found %lu entries, model %lu",
		     n, M.nr);
}

static bool check_after(struct kunit *test)
{
	unsigned int marks = 0;
	unsigned long values = 0;

	for (unsigned long p = 0; p < M.nr; p++) {
		marks |= M.m[p].marks;
		values += xa_is_value(M.m[p].entry);
	}
	if (!CHECK(test, xa_check(&M.xa) == 0, "xa_check failed (above)"))
		return false;
	if (!CHECK(test, M.xa.nr_entries == M.nr && M.xa.nr_values == values,
		   "array counts %lu/%lu entries/values, model %lu/%lu",
		   M.xa.nr_entries, M.xa.nr_values, M.nr, values))
		return false;
	for (xa_mark_t m = 0; m < XA_MAX_MARKS; m++)
		if (!CHECK(test, xa_marked(&M.xa, m) == !!(marks & (1U << m)),
			   "xa_marked(%u) %d, model %d", m, xa_marked(&M.xa, m),
			   !!(marks & (1U << m))))
			return false;
	return CHECK(test, xa_empty(&M.xa) == (M.nr == 0),
		     "xa_empty %d with %lu entries", xa_empty(&M.xa), M.nr);
}

/* One random operation; false when a check failed. */
static bool one_step(struct kunit *test, struct prng *r)
{
	unsigned long op = prng_below(r, 100), index, max, got;
	bool full = M.nr >= M.cap;
	struct ment *e;
	void *entry, *old;
	xa_mark_t mark;

	index = random_index(r);
	e = model_find(index);
	if (op < 30 && !(full && !e)) {			/* store */
		entry = prng_below(r, 4) ? new_pointer() :
					   xa_mk_value(prng_below(r, 1UL << 40));
		old = xa_store(&M.xa, index, entry, GFP_KERNEL);
		if (!CHECK(test, old == (e ? e->entry : NULL),
			   "store %#lx returned %p, model %p", index, old,
			   e ? e->entry : NULL))
			return false;
		model_store(index, entry);
		M.stores++;
	} else if (op < 50) {				/* erase */
		old = xa_erase(&M.xa, index);
		if (!CHECK(test, old == (e ? e->entry : NULL),
			   "erase %#lx returned %p, model %p", index, old,
			   e ? e->entry : NULL))
			return false;
		model_erase(index);
		M.erases++;
	} else if (op < 60) {				/* load */
		entry = xa_load(&M.xa, index);
		if (!CHECK(test, entry == (e ? e->entry : NULL),
			   "load %#lx: %p, model %p", index, entry,
			   e ? e->entry : NULL))
			return false;
	} else if (op < 72) {				/* marks */
		mark = (xa_mark_t)prng_below(r, XA_MAX_MARKS);
		if (prng_below(r, 3)) {
			xa_set_mark(&M.xa, index, mark);
			if (e)
				e->marks |= 1U << mark;
		} else {
			xa_clear_mark(&M.xa, index, mark);
			if (e)
				e->marks &= ~(1U << mark);
		}
		if (!CHECK(test, xa_get_mark(&M.xa, index, mark) ==
			   (e && (e->marks & (1U << mark))),
			   "get_mark(%#lx, %u) wrong after a change", index,
			   mark))
			return false;
	} else if (op < 84) {				/* find */
		xa_mark_t filter = prng_below(r, 2) ? XA_PRESENT :
				   (xa_mark_t)prng_below(r, XA_MAX_MARKS);
		bool after = prng_below(r, 2);
		unsigned long at = index;

		max = prng_below(r, 4) ? ~0UL : index + prng_below(r, 300);
		if (max < index)
			max = ~0UL;
		entry = after ? xa_find_after(&M.xa, &at, max, filter)
			      : xa_find(&M.xa, &at, max, filter);
		e = after ? (index == ~0UL ? NULL :
			     model_first(index + 1, max, filter))
			  : model_first(index, max, filter);
		if (!CHECK(test, entry == (e ? e->entry : NULL) &&
			   (!e || at == e->index),
			   "find%s(%#lx, max %#lx, filter %u): %p at %#lx, "
			   "model %p at %#lx", after ? "_after" : "", index,
			   max, filter, entry, at, e ? e->entry : NULL,
			   e ? e->index : 0))
			return false;
		if (e)
			M.finds_hit++;
		else
			M.finds_miss++;
	} else if (op < 90) {				/* next hole */
		max = prng_below(r, 3) ? index + prng_below(r, 200) : ~0UL;
		if (max < index)
			max = ~0UL;
		got = xa_next_hole(&M.xa, index, max);
		if (!CHECK(test, got == model_hole(index, max),
			   "next_hole(%#lx, %#lx): %#lx, model %#lx", index,
			   max, got, model_hole(index, max)))
			return false;
	} else if (op < 95 && !(full && !e)) {		/* preload, then store */
		entry = new_pointer();
		if (!CHECK(test, xa_reserve(&M.xa, index, GFP_KERNEL) == 0,
			   "reserve %#lx failed", index))
			return false;
		xa_fail_alloc_nth = 1;		/* the store must not allocate */
		old = xa_store(&M.xa, index, entry, GFP_NOWAIT);
		xa_fail_alloc_nth = 0;
		if (!CHECK(test, old == (e ? e->entry : NULL),
			   "store %#lx after reserve returned %p, model %p",
			   index, old, e ? e->entry : NULL))
			return false;
		model_store(index, entry);
		M.preloads++;
	} else if (op < 97) {				/* reserve, no store */
		unsigned long before = xa_nodes_in_use();

		if (!CHECK(test, xa_reserve(&M.xa, index, GFP_KERNEL) == 0,
			   "reserve %#lx failed", index))
			return false;
		/* Never more spares than the deepest store could use. */
		if (!CHECK(test, M.xa.nr_stash <= XA_STASH_MAX &&
			   xa_nodes_in_use() - before <= 21,
			   "reserve %#lx: stash %u, %lu new nodes", index,
			   M.xa.nr_stash, xa_nodes_in_use() - before))
			return false;
		M.reserves++;
	} else if (!(full && !e)) {			/* a store that fails */
		unsigned long before = xa_nodes_in_use();

		entry = new_pointer();
		xa_fail_alloc_nth = 1 + (unsigned int)prng_below(r, 3);
		old = xa_store(&M.xa, index, entry, GFP_NOWAIT);
		xa_fail_alloc_nth = 0;
		if (xa_is_err(old)) {
			M.nomem++;
			/* Nothing changed (nodes it got went to the stash). */
			if (!CHECK(test, xa_nodes_in_use() >= before,
				   "a failed store freed nodes"))
				return false;
			return check_after(test) && same_as_model(test);
		}
		if (!CHECK(test, old == (e ? e->entry : NULL),
			   "store %#lx returned %p, model %p", index, old,
			   e ? e->entry : NULL))
			return false;
		model_store(index, entry);
	}
	return check_after(test);
}

static void run_scenario(struct kunit *test, struct prng *r,
			 struct kmem_cache *cache, unsigned int scenario,
			 unsigned long cap)
{
	unsigned long nodes_before = xa_nodes_in_use();

	xa_init(&M.xa);
	M.xa.node_cache = cache;
	M.nr = 0;
	M.scenario = scenario;
	M.cap = cap;
	for (M.step = 0; M.step < STEPS; M.step++) {
		if (!one_step(test, r))
			return;
		if (M.step % 64 == 0 && !same_as_model(test))
			return;
	}
	if (!same_as_model(test))
		return;
	/* Empty it entry by entry: the tree must shrink to nothing. */
	while (M.nr) {
		unsigned long index = M.m[prng_below(r, M.nr)].index;

		xa_erase(&M.xa, index);
		model_erase(index);
		if (!check_after(test))
			return;
	}
	KUNIT_EXPECT_PTR_EQ(test, M.xa.xa_head, NULL);
	KUNIT_EXPECT_EQ(test, M.xa.height, 0U);
	xa_destroy(&M.xa);
	KUNIT_EXPECT_EQ(test, xa_nodes_in_use(), nodes_before);
}

static void xarray_random_ops_match_model(struct kunit *test)
{
	static const unsigned long caps[] = { 600, 120, 300, 12, 250 };
	struct test_arena arena;
	struct kmem_cache *cache;
	uint64_t seed = test->seed;
	const char *env = getenv("XA_SEED");
	struct prng r;

	if (env && !parse_u64(env, &seed, false))
		KUNIT_FAIL(test, "XA_SEED=%s is not a number", env);
	kunit_info(test, "seed %llu (replay: XA_SEED=%llu build/host/unit "
		   "xarray_model)", (unsigned long long)seed,
		   (unsigned long long)seed);
	memset(&M, 0, sizeof(M));
	KUNIT_ASSERT_TRUE(test, test_arena_make(test, &arena, 0));
	cache = xa_node_cache_create(&arena.pgdat);
	KUNIT_ASSERT_NOT_NULL(test, cache);
	prng_seed(&r, seed);
	for (unsigned int s = 0; s < ARRAY_SIZE(caps) && !test->failed; s++)
		run_scenario(test, &r, cache, s, caps[s]);
	if (test->failed) {
		kunit_info(test, "failed with seed %llu", (unsigned long long)seed);
		xa_destroy(&M.xa);
	} else {
		/* The run went where it should. */
		KUNIT_EXPECT_GT(test, M.stores, 5000UL);
		KUNIT_EXPECT_GT(test, M.erases, 4000UL);
		KUNIT_EXPECT_GT(test, M.finds_hit, 1000UL);
		KUNIT_EXPECT_GT(test, M.finds_miss, 100UL);
		KUNIT_EXPECT_GT(test, M.nomem, 30UL);
		KUNIT_EXPECT_GT(test, M.reserves, 300UL);
		KUNIT_EXPECT_GT(test, M.preloads, 500UL);
		kunit_info(test, "%lu stores, %lu erases, %lu finds (%lu none), "
			   "%lu preloads, %lu failed stores", M.stores,
			   M.erases, M.finds_hit + M.finds_miss, M.finds_miss,
			   M.preloads, M.nomem);
	}
	KUNIT_EXPECT_EQ(test, kmem_cache_objects_in_use(cache), 0UL);
	kmem_cache_destroy(cache);
	test_arena_done(test, &arena);
}

/* An allocation failure at each point of a store that needs many nodes
 * (index 0 in the head, then an index near the top: 21 nodes) changes
 * nothing, and the next try succeeds. */
static void xarray_nomem_changes_nothing(struct kunit *test)
{
	struct test_arena arena;
	struct kmem_cache *cache;
	struct xarray xa;
	unsigned long before = xa_nodes_in_use();
	void *old;
	unsigned int n;

	KUNIT_ASSERT_TRUE(test, test_arena_make(test, &arena, 0));
	cache = xa_node_cache_create(&arena.pgdat);
	KUNIT_ASSERT_NOT_NULL(test, cache);
	xa_init(&xa);
	xa.node_cache = cache;
	for (n = 1; n <= 21; n++) {
		xa_destroy(&xa);	/* and the stash: each try from scratch */
		KUNIT_EXPECT_NULL(test, xa_store(&xa, 0, xa_mk_value(7),
						 GFP_KERNEL));
		xa_set_mark(&xa, 0, XA_MARK_1);
		xa_fail_alloc_nth = n;
		old = xa_store(&xa, ~0UL, (void *)0x1000, GFP_KERNEL);
		xa_fail_alloc_nth = 0;
		KUNIT_EXPECT_TRUE(test, xa_is_err(old));
		KUNIT_EXPECT_EQ(test, xa_check(&xa), 0);
		KUNIT_EXPECT_PTR_EQ(test, xa.xa_head, xa_mk_value(7));
		KUNIT_EXPECT_EQ(test, xa.nr_entries, 1UL);
		KUNIT_EXPECT_TRUE(test, xa_get_mark(&xa, 0, XA_MARK_1));
		KUNIT_EXPECT_NULL(test, xa_load(&xa, ~0UL));
		KUNIT_EXPECT_EQ(test, xa.nr_stash, n - 1);
	}
	/* The stash holds the 20 nodes the last try got: one more will do. */
	KUNIT_EXPECT_EQ(test, xa.nr_stash, 20U);
	xa_fail_alloc_nth = 2;
	old = xa_store(&xa, ~0UL, (void *)0x1000, GFP_KERNEL);
	xa_fail_alloc_nth = 0;
	KUNIT_EXPECT_NULL(test, old);
	KUNIT_EXPECT_EQ(test, xa_check(&xa), 0);
	KUNIT_EXPECT_EQ(test, xa.height, 11U);
	KUNIT_EXPECT_EQ(test, xa_nodes_in_use() - before, 21UL);
	KUNIT_EXPECT_TRUE(test, xa_get_mark(&xa, 0, XA_MARK_1));
	KUNIT_EXPECT_PTR_EQ(test, xa_load(&xa, 0), xa_mk_value(7));
	KUNIT_EXPECT_PTR_EQ(test, xa_load(&xa, ~0UL), (void *)0x1000);
	xa_destroy(&xa);
	KUNIT_EXPECT_EQ(test, xa_nodes_in_use(), before);
	kmem_cache_destroy(cache);
	test_arena_done(test, &arena);
}

static struct kunit_case xarray_model_cases[] = {
	KUNIT_CASE(xarray_random_ops_match_model),
	KUNIT_CASE(xarray_nomem_changes_nothing),
	{}
};

static struct kunit_suite xarray_model_suite = {
	.name = "xarray_model",
	.test_cases = xarray_model_cases,
};
kunit_test_suite(xarray_model_suite);
