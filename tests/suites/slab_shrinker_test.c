/*
 * tests/suites/slab_shrinker_test.c - the shrinker API and shrink_slab():
 * how much is scanned at each priority, batches, seeks, deferred work,
 * SHRINK_STOP, unregistering; and a test shrinker over a cache of
 * reclaimable objects (SLAB_RECLAIM_ACCOUNT) whose freed slabs go back to
 * the buddy allocator. Host and kernel, on a private arena.
 */
#include "tests/suites/test_arena.h"
#include "mm/shrinker.h"
#include "mm/slab_internal.h"

/* ---- a counting shrinker: pretends to own `objects` objects ---- */

struct fake {
	unsigned long objects;
	unsigned long calls, scanned;
	unsigned long max_batch;
	bool stop;
};

static unsigned long fake_count(struct shrinker *s, struct shrink_control *sc)
{
	struct fake *f = s->private_data;

	return f->objects ? f->objects : SHRINK_EMPTY;
}

static unsigned long fake_scan(struct shrinker *s, struct shrink_control *sc)
{
	struct fake *f = s->private_data;
	unsigned long n = min(sc->nr_to_scan, f->objects);

	if (f->stop)
		return SHRINK_STOP;
	f->calls++;
	f->scanned += sc->nr_to_scan;
	f->max_batch = max(f->max_batch, sc->nr_to_scan);
	f->objects -= n;
	return n;
}

static struct shrinker *fake_shrinker(struct fake *f, int seeks, long batch)
{
	struct shrinker *s = shrinker_alloc(0, "fake-%d", seeks);

	if (!s)
		return NULL;
	s->count_objects = fake_count;
	s->scan_objects = fake_scan;
	s->seeks = seeks;
	s->batch = batch;
	s->private_data = f;
	shrinker_register(s);
	return s;
}

/* Priority 12 of 10000 objects, seeks 2: (10000 >> 12) * 4 / 2 = 4, less
 * than a batch: deferred; priority 0 frees everything in batches. */
static void scan_share_follows_priority(struct kunit *test)
{
	struct fake f = { .objects = 10000 };
	struct shrinker *s = fake_shrinker(&f, DEFAULT_SEEKS, 100);

	KUNIT_ASSERT_NOT_NULL(test, s);
	shrink_slab(GFP_KERNEL, DEF_PRIORITY);
	KUNIT_EXPECT_EQ(test, f.calls, 0UL);
	KUNIT_EXPECT_EQ(test, s->nr_deferred, 4UL);
	/* Priority 6: (10000 >> 6) * 2 = 312 (+ 4 >> 6): three batches.
	 * (The return value sums every registered shrinker: in the kernel
	 * the slab barns' and the inode cache's too.) */
	KUNIT_EXPECT_GE(test, shrink_slab(GFP_KERNEL, 6), 300UL);
	KUNIT_EXPECT_EQ(test, f.calls, 3UL);
	KUNIT_EXPECT_EQ(test, f.max_batch, 100UL);
	KUNIT_EXPECT_EQ(test, f.objects, 9700UL);
	/* Priority 0 asks for 2x what is there: all of it. */
	shrink_slab(GFP_KERNEL, 0);
	KUNIT_EXPECT_EQ(test, f.objects, 0UL);
	shrinker_free(s);
}

/* seeks 0: half of count at any priority; SHRINK_STOP defers. */
static void seeks_zero_and_stop(struct kunit *test)
{
	struct fake f = { .objects = 1000 };
	struct shrinker *s = fake_shrinker(&f, 0, 0);

	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_EXPECT_GE(test, shrink_slab(GFP_KERNEL, DEF_PRIORITY), 384UL);
	KUNIT_EXPECT_EQ(test, f.objects, 1000UL - 384);	/* 3 x 128 */
	f.stop = true;
	shrink_slab(GFP_KERNEL, DEF_PRIORITY);
	KUNIT_EXPECT_EQ(test, f.objects, 1000UL - 384);
	KUNIT_EXPECT_GT(test, s->nr_deferred, 0UL);
	shrinker_free(s);
}

/* After shrinker_free it is never called again. */
static void freed_shrinker_not_called(struct kunit *test)
{
	struct fake f = { .objects = 1000 };
	struct shrinker *s = fake_shrinker(&f, 0, 0);

	KUNIT_ASSERT_NOT_NULL(test, s);
	shrinker_free(s);
	shrink_slab(GFP_KERNEL, 0);
	KUNIT_EXPECT_EQ(test, f.calls, 0UL);
	KUNIT_EXPECT_EQ(test, f.objects, 1000UL);
	shrinker_free(NULL);
}

/* ---- a real one: reclaimable objects in a slab cache ---- */

#define NR_ITEMS	3000

struct item {
	struct item *next;
	char payload[120];
};

static struct {
	struct kmem_cache *cache;
	struct item *lru;		/* unused items, freeable */
	unsigned long nr;
} icache;

static unsigned long item_count(struct shrinker *s, struct shrink_control *sc)
{
	return icache.nr;
}

static unsigned long item_scan(struct shrinker *s, struct shrink_control *sc)
{
	unsigned long freed = 0;

	while (freed < sc->nr_to_scan && icache.lru) {
		struct item *it = icache.lru;

		icache.lru = it->next;
		kmem_cache_free(icache.cache, it);
		icache.nr--;
		freed++;
	}
	return freed;
}

static void shrinker_returns_pages(struct kunit *test)
{
	struct test_arena arena;
	struct shrinker *s, *barns;
	unsigned long before, full, freed;

	KUNIT_ASSERT_TRUE(test, test_arena_make(test, &arena, 0));
	icache.cache = kmem_cache_create_node(&arena.pgdat, "test_items",
					      sizeof(struct item), 0,
					      SLAB_RECLAIM_ACCOUNT, NULL);
	KUNIT_ASSERT_NOT_NULL(test, icache.cache);
	before = node_free_pages(&arena.pgdat);
	for (int i = 0; i < NR_ITEMS; i++) {
		struct item *it = kmem_cache_alloc(icache.cache, GFP_KERNEL);

		KUNIT_ASSERT_NOT_NULL(test, it);
		it->next = icache.lru;
		icache.lru = it;
		icache.nr++;
	}
	full = node_free_pages(&arena.pgdat);
	KUNIT_EXPECT_GE(test, before - full, (unsigned long)(NR_ITEMS / icache.cache->objects));

	s = shrinker_alloc(0, "test_items");
	KUNIT_ASSERT_NOT_NULL(test, s);
	s->count_objects = item_count;
	s->scan_objects = item_scan;
	s->seeks = DEFAULT_SEEKS;
	shrinker_register(s);

	/* Gentle first: a small share; then everything. (shrink_slab's
	 * return value sums every registered shrinker: in the kernel the
	 * slab barns' and the inode cache's too; icache.nr is ours.) */
	shrink_slab(GFP_KERNEL, 8);
	KUNIT_EXPECT_EQ(test, icache.nr, (unsigned long)NR_ITEMS);	/* (3000 >> 8) * 2 = 22 < batch */
	freed = shrink_slab(GFP_KERNEL, 3);
	KUNIT_EXPECT_GE(test, freed, 640UL);	/* (3000 >> 3) * 2 = 750: 5 batches */
	KUNIT_EXPECT_EQ(test, icache.nr, (unsigned long)NR_ITEMS - 640);
	while (icache.nr)
		shrink_slab(GFP_KERNEL, 0);
	KUNIT_EXPECT_EQ(test, kmem_cache_objects_in_use(icache.cache), 0UL);
	if (!slab_debug_on(icache.cache)) {
		/* The items freed last wait in this CPU's sheaves and the
		 * cache's barn, their slabs with them, until the barns'
		 * shrinker runs (in the kernel one is registered at boot;
		 * it ran before ours in that last call). */
		KUNIT_EXPECT_GT(test, icache.cache->barn.nr_full, 0u);
		KUNIT_EXPECT_LT(test, node_free_pages(&arena.pgdat),
				full + (before - full) / 2);
		barns = slab_barn_shrinker_register();
		KUNIT_ASSERT_NOT_NULL(test, barns);
		KUNIT_EXPECT_GT(test, shrink_slab(GFP_KERNEL, 0), 0UL);
		KUNIT_EXPECT_EQ(test, icache.cache->barn.nr_full +
				icache.cache->barn.nr_empty, 0u);
		shrinker_free(barns);
	}
	/* Pages went back as slabs emptied (min_partial and the CPU's
	 * sheaves may hold a few until the cache is shrunk). */
	KUNIT_EXPECT_GT(test, node_free_pages(&arena.pgdat),
			full + (before - full) / 2);
	kmem_cache_shrink(icache.cache);
	KUNIT_EXPECT_EQ(test, node_free_pages(&arena.pgdat), before);

	shrinker_free(s);
	kmem_cache_destroy(icache.cache);
	icache.cache = NULL;
	test_arena_done(test, &arena);
}

static struct kunit_case shrinker_cases[] = {
	KUNIT_CASE(scan_share_follows_priority),
	KUNIT_CASE(seeks_zero_and_stop),
	KUNIT_CASE(freed_shrinker_not_called),
	KUNIT_CASE(shrinker_returns_pages),
	{}
};

static struct kunit_suite shrinker_suite = {
	.name = "slab_shrinker",
	.test_cases = shrinker_cases,
};
kunit_test_suite(shrinker_suite);
