/*
 * tests/host/slab_model_test.c - a randomised model test of the slab
 * allocator on a private arena: caches of random sizes, alignments and
 * flags are created and destroyed while objects are allocated and freed
 * at random. Every live object is filled with a pattern naming it, and
 * all of them are checked after every step batch, so an object handed out
 * twice or overwritten by the allocator shows; an object is also checked
 * just before it is freed. At each destroy and at the end the arena must
 * have every page back. An allocation may fail only when the model says
 * it can: the cache's slabs have no free object (the model counts the
 * live objects of each cache) and the arena has no free block of the
 * cache's slab order (the page allocator's own state: it is tested
 * elsewhere); for kmalloc beyond the caches, no block of the needed order.
 *
 * Replay a failing seed: build/host/unit slab_model --seed N
 */
#include "tests/suites/test_arena.h"
#include "kernel/lib/random.h"
#include "mm/kmalloc.h"
#include "mm/slab_internal.h"

#define MAX_CACHES	6
#define MAX_LIVE	2000
#define STEPS		200000

struct mcache {
	struct kmem_cache *s;
	unsigned int size;
	unsigned int live;
};

struct mobj {
	uint8_t *p;
	unsigned int cache;	/* index, or MAX_CACHES for kmalloc */
	unsigned int size;
	uint32_t tag;
};

static struct mcache caches[MAX_CACHES];
static struct mobj live[MAX_LIVE];
static unsigned int nr_live;
static struct test_arena arena;
static struct kmalloc_set ks;

static void fill(struct mobj *o)
{
	for (unsigned int i = 0; i < o->size; i++)
		o->p[i] = (uint8_t)(o->tag * 31 + i);
}

static bool intact(const struct mobj *o)
{
	for (unsigned int i = 0; i < o->size; i++)
		if (o->p[i] != (uint8_t)(o->tag * 31 + i))
			return false;
	return true;
}

static bool intact(const struct mobj *o);

/* Free live object i after checking its pattern; false if it was not intact. */
static bool free_obj(struct kunit *test, unsigned int i)
{
	struct mobj *o = &live[i];
	bool ok = intact(o);

	if (!ok)
		KUNIT_FAIL(test, "object %u (%p, %u bytes, cache %u) corrupted when freed",
			   o->tag, o->p, o->size, o->cache);

	if (o->cache == MAX_CACHES) {
		kfree(o->p);
	} else {
		kmem_cache_free(caches[o->cache].s, o->p);
		caches[o->cache].live--;
	}
	live[i] = live[--nr_live];
	return ok;
}

/* Does the arena have a free block of at least 2^order pages? */
static bool arena_has_block(unsigned int order)
{
	struct zone *zone;

	for_each_populated_zone_in(zone, &arena.pgdat)
		for (unsigned int o = order; o < NR_PAGE_ORDERS; o++)
			if (zone->free_area[o].nr_free)
				return true;
	return false;
}

static unsigned int pages_order(size_t size)
{
	return get_order(size);
}

/* The kmalloc_set cache that serves size. */
static struct kmem_cache *kmalloc_cache_of(size_t size)
{
	for (unsigned int i = 0; i < KMALLOC_NR_CLASSES; i++)
		if (ks.caches[i]->object_size == kmalloc_size_class(size))
			return ks.caches[i];
	return NULL;
}

/* Live objects the model has in cache s (kmalloc objects by class). */
static unsigned long model_in_use(struct kmem_cache *s)
{
	unsigned long n = 0;

	for (unsigned int i = 0; i < nr_live; i++) {
		const struct mobj *o = &live[i];

		if (o->cache < MAX_CACHES ? caches[o->cache].s == s :
		    (o->size <= KMALLOC_MAX_CACHE_SIZE &&
		     kmalloc_cache_of(o->size) == s))
			n++;
	}
	return n;
}

/* Must allocating o->size bytes from cache c (MAX_CACHES: kmalloc) succeed? */
static bool model_must_succeed(unsigned int c, unsigned int size)
{
	struct kmem_cache *s;

	if (c == MAX_CACHES && size > KMALLOC_MAX_CACHE_SIZE)
		return arena_has_block(pages_order(size));
	s = c == MAX_CACHES ? kmalloc_cache_of(size) : caches[c].s;
	return s->nr_slabs * s->objects > model_in_use(s) ||
	       arena_has_block(s->order);
}

/* Objects a sheaf holds, each checked to be a slot of a slab of s. */
static unsigned long objects_checked(struct kunit *test, struct kmem_cache *s,
				     void *const *objects, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		struct slab *slab = cache_obj_slab(s, objects[i]);
		uintptr_t off = (uintptr_t)objects[i] - (uintptr_t)slab->s_mem;

		if (slab->cache != s || off % s->size != s->red_left_pad)
			KUNIT_FAIL(test, "%s: sheaf object %p is not a slot of the cache",
				   s->name, objects[i]);
	}
	return n;
}

static unsigned long sheaf_objects(struct kunit *test, struct kmem_cache *s,
				   const struct slab_sheaf *sheaf)
{
	return objects_checked(test, s, sheaf->objects, sheaf->size);
}

/* A CPU's open main sheaf (its count is c->size) and its spare. */
static unsigned long cpu_objects(struct kunit *test, struct kmem_cache *s,
				 unsigned int cpu)
{
	struct kmem_cache_cpu *c = per_cpu_ptr(s->cpu_slab, cpu);

	if (c->objects != c->main->objects || c->capacity != c->main->capacity ||
	    c->size > c->capacity)
		KUNIT_FAIL(test, "%s: CPU %u's open sheaf (objects %p, %u of %u) is not "
			   "its main one (objects %p, room %u)", s->name, cpu,
			   (void *)c->objects, c->size, c->capacity,
			   (void *)c->main->objects, c->main->capacity);
	return objects_checked(test, s, c->objects, c->size) +
	       sheaf_objects(test, s, c->spare);
}

/*
 * Every object a slab counts as in use is allocated or waits in a sheaf
 * (a CPU's, or a full one in the barn); empty sheaves are empty, the
 * barn within its limits.
 */
static bool sheaf_accounting_holds(struct kunit *test, struct kmem_cache *s)
{
	struct list_head *lists[] = { &s->partial, &s->full, &s->empty };
	unsigned long inuse = 0, held = 0;
	struct slab_sheaf *sheaf;
	struct slab *slab;

	for (unsigned int l = 0; l < ARRAY_SIZE(lists); l++)
		list_for_each_entry(slab, lists[l], slab_list)
			inuse += slab->inuse;
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++) {
		held += cpu_objects(test, s, cpu);
	}
	list_for_each_entry(sheaf, &s->barn.full, barn_list)
		held += sheaf_objects(test, s, sheaf);
	list_for_each_entry(sheaf, &s->barn.empty, barn_list)
		KUNIT_EXPECT_EQ(test, sheaf->size, 0u);
	KUNIT_EXPECT_LE(test, s->barn.nr_full, s->barn_max);
	KUNIT_EXPECT_LE(test, s->barn.nr_empty, s->barn_max);
	if (inuse != kmem_cache_objects_in_use(s) + held) {
		KUNIT_FAIL(test, "%s: slabs count %lu in use; allocated %lu + in sheaves %lu",
			   s->name, inuse, kmem_cache_objects_in_use(s), held);
		return false;
	}
	return true;
}

static bool check_all(struct kunit *test)
{
	for (unsigned int i = 0; i < nr_live; i++)
		if (!intact(&live[i])) {
			KUNIT_FAIL(test, "object %u (%p, %u bytes, cache %u) corrupted",
				   live[i].tag, live[i].p, live[i].size, live[i].cache);
			return false;
		}
	return true;
}

static void slab_model_random(struct kunit *test)
{
	struct prng r;
	uint32_t tag = 0;
	unsigned long created = 0, destroyed = 0, failures = 0;

	prng_seed(&r, test->seed);
	KUNIT_ASSERT_TRUE(test, test_arena_make(test, &arena, 0));
	KUNIT_ASSERT_EQ(test, kmalloc_set_init(&ks, &arena.pgdat, "mkm", 0), 0);
	memset(caches, 0, sizeof(caches));
	nr_live = 0;
	for (int step = 0; step < STEPS; step++) {
		unsigned int op = (unsigned int)prng_below(&r, 100);
		/* One phase in four mostly allocates, and asks kmalloc for
		 * pages: the arena fills up, so failures are tested too. */
		bool pressure = (step / 5000) % 4 == 3;
		unsigned int c = (unsigned int)prng_below(&r, MAX_CACHES + 1);

		if (op < 2 && c < MAX_CACHES && prng_below(&r, 10) == 0) {
			/* Destroy (after freeing its objects) or create. */
			if (caches[c].s) {
				for (unsigned int i = 0; i < nr_live;)
					if (live[i].cache == c) {
						if (!free_obj(test, i))
							return;
					} else {
						i++;
					}
				KUNIT_ASSERT_EQ(test, kmem_cache_objects_in_use(caches[c].s), 0UL);
				kmem_cache_destroy(caches[c].s);
				caches[c].s = NULL;
				destroyed++;
			} else {
				static const unsigned int aligns[] = { 0, 8, 16, 64, 256 };
				unsigned int size = 1 + (unsigned int)prng_below(&r,
					prng_below(&r, 4) ? 300 : 5000);
				slab_flags_t f = prng_below(&r, 4) ? 0 : SLAB_DEBUG_FLAGS;

				if (prng_below(&r, 3) == 0)
					f |= SLAB_RECLAIM_ACCOUNT;
				caches[c].s = kmem_cache_create_node(&arena.pgdat, "model",
					size, aligns[prng_below(&r, ARRAY_SIZE(aligns))], f, NULL);
				/* The cache itself takes pages from the arena. */
				if (!caches[c].s && !arena_has_block(pages_order(sizeof(struct kmem_cache)))) {
					failures++;
					continue;
				}
				KUNIT_ASSERT_NOT_NULL(test, caches[c].s);
				/* Half the caches get tiny sheaves and barns
				 * (white box, before first use): every trade
				 * and flush path runs often. */
				if (prng_below(&r, 2)) {
					caches[c].s->sheaf_capacity =
						1 + (unsigned int)prng_below(&r, 40);
					caches[c].s->barn_max =
						(unsigned int)prng_below(&r, 4);
				}
				caches[c].size = size;
				caches[c].live = 0;
				created++;
			}
		} else if (op < (pressure ? 90u : 55u) && nr_live < MAX_LIVE) {
			struct mobj *o = &live[nr_live];

			if (c < MAX_CACHES && !caches[c].s)
				continue;
			o->cache = c;
			o->tag = ++tag;
			if (c == MAX_CACHES) {
				o->size = pressure ? 4096 + (unsigned int)prng_below(&r, 8000) :
					1 + (unsigned int)prng_below(&r,
					prng_below(&r, 10) ? 512 : 12000);
				o->p = kmalloc_from(&ks, o->size, GFP_KERNEL | __GFP_NOWARN);
			} else {
				o->size = caches[c].size;
				o->p = kmem_cache_alloc(caches[c].s, GFP_KERNEL | __GFP_NOWARN);
			}
			if (!o->p) {
				if (model_must_succeed(c, o->size)) {
					KUNIT_FAIL(test, "step %d: %u bytes from %s failed with room (%u live)",
						   step, o->size, c == MAX_CACHES ?
						   "kmalloc" : "a cache", nr_live);
					return;
				}
				failures++;
				continue;	/* the arena is full: fine */
			}
			if (c < MAX_CACHES)
				caches[c].live++;
			fill(o);
			nr_live++;
		} else if (nr_live) {
			if (!free_obj(test, (unsigned int)prng_below(&r, nr_live)))
				return;
		}
		if (step % 1000 == 0 && !check_all(test))
			return;
		if (step % 5000 == 0) {
			for (unsigned int i = 0; i < MAX_CACHES; i++)
				if (caches[i].s) {
					KUNIT_EXPECT_EQ(test, kmem_cache_validate(caches[i].s), 0UL);
					if (!sheaf_accounting_holds(test, caches[i].s))
						return;
				}
			for (unsigned int i = 0; i < KMALLOC_NR_CLASSES; i++)
				if (!sheaf_accounting_holds(test, ks.caches[i]))
					return;
		}
	}
	KUNIT_EXPECT_TRUE(test, check_all(test));
	while (nr_live)
		free_obj(test, nr_live - 1);
	for (unsigned int i = 0; i < MAX_CACHES; i++)
		if (caches[i].s) {
			KUNIT_EXPECT_EQ(test, kmem_cache_objects_in_use(caches[i].s), 0UL);
			kmem_cache_destroy(caches[i].s);
		}
	kmalloc_set_destroy(&ks);
	kunit_info(test, "%lu caches created, %lu destroyed, %u objects, %lu allowed failures",
		   created, destroyed, tag, failures);
	KUNIT_EXPECT_GT(test, created, 10UL);
	KUNIT_EXPECT_GT(test, destroyed, 5UL);
	KUNIT_EXPECT_GT(test, failures, 0UL);	/* the arena did fill up */
	test_arena_done(test, &arena);	/* every page back */
}

/*
 * kmem_objects_in_use_total() sees an object whatever cache it is in, and
 * whether it sits in a CPU's slab or not: the leak checks of the kernel
 * suites (tests/kernel/mem_check.c) rely on it.
 */
static void slab_objects_in_use_total(struct kunit *test)
{
	struct kmem_cache *a, *b;
	unsigned long before;
	void *obj[5];

	KUNIT_ASSERT_TRUE(test, test_arena_make(test, &arena, 0));
	a = kmem_cache_create_node(&arena.pgdat, "total_a", 40, 0, 0, NULL);
	b = kmem_cache_create_node(&arena.pgdat, "total_b", 700, 0,
				   SLAB_DEBUG_FLAGS, NULL);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	before = kmem_objects_in_use_total();
	for (unsigned int i = 0; i < ARRAY_SIZE(obj); i++) {
		obj[i] = kmem_cache_alloc(i % 2 ? b : a, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, obj[i]);
		KUNIT_EXPECT_EQ(test, kmem_objects_in_use_total(), before + i + 1);
	}
	kmem_cache_free(b, obj[1]);
	kmem_cache_free(a, obj[0]);
	KUNIT_EXPECT_EQ(test, kmem_objects_in_use_total(), before + 3);
	/* Emptied slabs go back, objects counted stay counted. */
	kmem_cache_shrink(a);
	kmem_cache_shrink(b);
	KUNIT_EXPECT_EQ(test, kmem_objects_in_use_total(), before + 3);
	kmem_cache_free(a, obj[2]);
	kmem_cache_free(b, obj[3]);
	kmem_cache_free(a, obj[4]);
	KUNIT_EXPECT_EQ(test, kmem_objects_in_use_total(), before);
	kmem_cache_destroy(a);
	kmem_cache_destroy(b);
	KUNIT_EXPECT_EQ(test, kmem_objects_in_use_total(), before);
	test_arena_done(test, &arena);
}

static struct kunit_case slab_model_cases[] = {
	KUNIT_CASE(slab_model_random),
	KUNIT_CASE(slab_objects_in_use_total),
	{}
};

static struct kunit_suite slab_model_suite = {
	.name = "slab_model",
	.test_cases = slab_model_cases,
};
kunit_test_suite(slab_model_suite);
