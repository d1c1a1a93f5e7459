/*
 * tests/suites/slab_test.c - kmem_cache_* on a private arena: layout,
 * alignment, constructors, per-CPU paths, partial lists, shrinking,
 * reclaimable pages, leak reports. Every case ends with every arena page
 * back in the buddy lists. Runs on the host and in the kernel.
 */
#include "tests/suites/test_arena.h"
#include "kernel/lib/vsprintf.h"
#include "kernel/printk.h"
#include "mm/slab_internal.h"

static struct test_arena arena;

static int slab_case_init(struct kunit *test)
{
	return test_arena_make(test, &arena, 0) ? 0 : -1;
}

static void slab_case_exit(struct kunit *test)
{
	test_arena_done(test, &arena);
}

static struct kmem_cache *make(const char *name, unsigned int size,
			       unsigned int align, slab_flags_t flags,
			       void (*ctor)(void *))
{
	return kmem_cache_create_node(&arena.pgdat, name, size, align, flags,
				      ctor);
}

#define N_OBJS	600

static void *objs[N_OBJS];
static void *again[N_OBJS];

static void alloc_free_destroy(struct kunit *test)
{
	struct kmem_cache *s = make("t64", 64, 0, 0, NULL);
	unsigned long before;

	KUNIT_ASSERT_NOT_NULL(test, s);
	before = node_free_pages(&arena.pgdat);
	for (int i = 0; i < N_OBJS; i++) {
		objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, objs[i]);
		KUNIT_EXPECT_PTR_EQ(test, virt_to_cache(objs[i]), s);
		memset(objs[i], i & 0xff, 64);
	}
	KUNIT_EXPECT_EQ(test, kmem_cache_objects_in_use(s), (unsigned long)N_OBJS);
	KUNIT_EXPECT_LT(test, node_free_pages(&arena.pgdat), before);
	for (int i = 0; i < N_OBJS; i++) {
		const uint8_t *b = objs[i];

		for (int j = 0; j < 64; j++)
			if (b[j] != (i & 0xff)) {
				KUNIT_FAIL(test, "object %d byte %d overwritten", i, j);
				break;
			}
	}
	for (int i = 0; i < N_OBJS; i++)
		kmem_cache_free(s, objs[i]);
	KUNIT_EXPECT_EQ(test, kmem_cache_objects_in_use(s), 0UL);
	kmem_cache_destroy(s);
}

/* Objects are aligned as asked and never overlap. */
static void sizes_and_alignment(struct kunit *test)
{
	static const struct { unsigned int size, align; slab_flags_t f; } c[] = {
		{ 1, 0, 0 }, { 7, 0, 0 }, { 24, 0, 0 }, { 100, 0, 0 },
		{ 100, 0, SLAB_HWCACHE_ALIGN }, { 200, 128, 0 },
		{ 1000, 0, 0 }, { 3000, 64, 0 }, { 4096, 4096, 0 },
		{ 10000, 0, 0 },
	};

	for (unsigned int k = 0; k < ARRAY_SIZE(c); k++) {
		struct kmem_cache *s = make("tsize", c[k].size, c[k].align,
					    c[k].f, NULL);
		unsigned int align = c[k].align ? c[k].align : 8;
		int n = 40;

		if (c[k].f & SLAB_HWCACHE_ALIGN)
			align = 64;
		KUNIT_ASSERT_NOT_NULL(test, s);
		for (int i = 0; i < n; i++) {
			objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
			KUNIT_ASSERT_NOT_NULL(test, objs[i]);
			KUNIT_EXPECT_EQ(test, (uintptr_t)objs[i] % align, 0UL);
			memset(objs[i], 0x5a, c[k].size);
		}
		for (int i = 0; i < n; i++)
			for (int j = i + 1; j < n; j++) {
				uintptr_t a = (uintptr_t)objs[i], b = (uintptr_t)objs[j];

				if ((a < b ? b - a : a - b) < c[k].size)
					KUNIT_FAIL(test, "size %u: objects %d and %d overlap",
						   c[k].size, i, j);
			}
		for (int i = 0; i < n; i++)
			kmem_cache_free(s, objs[i]);
		kmem_cache_destroy(s);
	}
}

static unsigned int ctor_calls;

static void ctor(void *obj)
{
	ctor_calls++;
	*(uint32_t *)obj = 0xc0ffee;
}

/* A constructor runs once per object; the state survives free + alloc. */
static void constructor_state_survives(struct kunit *test)
{
	struct kmem_cache *s = make("tctor", 32, 0, 0, ctor);
	uint32_t *o;

	KUNIT_ASSERT_NOT_NULL(test, s);
	ctor_calls = 0;
	o = kmem_cache_alloc(s, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, o);
	KUNIT_EXPECT_EQ(test, ctor_calls, s->objects);
	KUNIT_EXPECT_EQ(test, *o, 0xc0ffeeu);
	kmem_cache_free(s, o);
	o = kmem_cache_alloc(s, GFP_KERNEL);
	KUNIT_EXPECT_EQ(test, *o, 0xc0ffeeu);
	KUNIT_EXPECT_EQ(test, ctor_calls, s->objects);
	kmem_cache_free(s, o);
	kmem_cache_destroy(s);
}

static void gfp_zero_zeroes(struct kunit *test)
{
	struct kmem_cache *s = make("tzero", 200, 0, 0, NULL);
	uint8_t *o;

	KUNIT_ASSERT_NOT_NULL(test, s);
	o = kmem_cache_alloc(s, GFP_KERNEL);
	memset(o, 0xff, 200);
	kmem_cache_free(s, o);
	o = kmem_cache_alloc(s, GFP_KERNEL | __GFP_ZERO);
	for (int i = 0; i < 200; i++)
		if (o[i]) {
			KUNIT_FAIL(test, "byte %d is %#x", i, o[i]);
			break;
		}
	kmem_cache_free(s, o);
	kmem_cache_destroy(s);
}

static int page_mt(const void *obj)
{
	struct page *page = virt_to_page(obj);

	return (page->flags & PG_mt_mask) >> PG_mt_shift;
}

/* SLAB_RECLAIM_ACCOUNT slabs are allocated as MIGRATE_RECLAIMABLE. */
static void reclaimable_cache_pages(struct kunit *test)
{
	struct kmem_cache *r = make("treclaim", 128, 0, SLAB_RECLAIM_ACCOUNT, NULL);
	struct kmem_cache *u = make("tunmov", 128, 0, 0, NULL);
	void *a, *b;

	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_ASSERT_NOT_NULL(test, u);
	a = kmem_cache_alloc(r, GFP_KERNEL);
	b = kmem_cache_alloc(u, GFP_KERNEL);
	KUNIT_EXPECT_EQ(test, page_mt(a), MIGRATE_RECLAIMABLE);
	KUNIT_EXPECT_EQ(test, page_mt(b), MIGRATE_UNMOVABLE);
	KUNIT_EXPECT_TRUE(test, PageSlab(virt_to_page(a)));
	kmem_cache_free(r, a);
	kmem_cache_free(u, b);
	kmem_cache_destroy(r);
	kmem_cache_destroy(u);
}

/*
 * White box: give s small sheaves and a barn of `barn` sheaves before its
 * first use, so a few hundred objects are enough to send some home.
 */
static void small_sheaves(struct kmem_cache *s, unsigned int capacity,
			  unsigned int barn)
{
	s->sheaf_capacity = capacity;
	s->barn_max = barn;
}

/*
 * Frees in an order unrelated to allocation go home through full sheaves
 * (no barn), fill partial slabs and empty them; shrink returns every page.
 */
static void partial_lists_and_shrink(struct kunit *test)
{
	struct kmem_cache *s = make("tpartial", 256, 0, 0, NULL);
	unsigned long before = node_free_pages(&arena.pgdat);

	KUNIT_ASSERT_NOT_NULL(test, s);
	small_sheaves(s, 8, 0);
	for (int i = 0; i < N_OBJS; i++)
		KUNIT_ASSERT_NOT_NULL(test, objs[i] = kmem_cache_alloc(s, GFP_KERNEL));
	KUNIT_EXPECT_GE(test, s->nr_slabs, (unsigned long)(N_OBJS / s->objects));
	/* Every third, then the rest backwards: slabs become partial. */
	for (int i = 0; i < N_OBJS; i += 3)
		kmem_cache_free(s, objs[i]);
	KUNIT_EXPECT_GT(test, s->nr_partial, 0UL);
	for (int i = 0; i < N_OBJS; i += 3)
		KUNIT_ASSERT_NOT_NULL(test, objs[i] = kmem_cache_alloc(s, GFP_KERNEL));
	for (int i = N_OBJS - 1; i >= 0; i--)
		kmem_cache_free(s, objs[i]);
	KUNIT_EXPECT_EQ(test, kmem_cache_objects_in_use(s), 0UL);
	/* Left: min_partial empty slabs and those the sheaves pin. */
	KUNIT_EXPECT_LT(test, s->nr_slabs, (unsigned long)(N_OBJS / s->objects));
	kmem_cache_shrink(s);
	KUNIT_EXPECT_EQ(test, s->nr_slabs, 0UL);
	KUNIT_EXPECT_EQ(test, node_free_pages(&arena.pgdat), before);
	kmem_cache_destroy(s);
}

/*
 * Slabs that get empty while many others are partial (frees in an order
 * unrelated to allocation) are kept on s->empty, up to min_partial, and
 * the next refills reuse them without new pages; shrink frees them.
 */
static void empty_slabs_kept_and_reused(struct kunit *test)
{
	struct kmem_cache *s = make("tempty", 256, 0, 0, NULL);
	unsigned long before = node_free_pages(&arena.pgdat), pages;
	int n = 0;

	KUNIT_ASSERT_NOT_NULL(test, s);
	small_sheaves(s, 8, 0);
	for (int i = 0; i < N_OBJS; i++)
		KUNIT_ASSERT_NOT_NULL(test, objs[i] = kmem_cache_alloc(s, GFP_KERNEL));
	/* Odd ones first: every slab is partial when the first gets empty. */
	for (int i = 1; i < N_OBJS; i += 2)
		kmem_cache_free(s, objs[i]);
	for (int i = 0; i < N_OBJS; i += 2)
		kmem_cache_free(s, objs[i]);
	KUNIT_EXPECT_EQ(test, s->nr_empty, (unsigned long)s->min_partial);
	/* Partial: only slabs pinned by the two sheaves, whose objects were
	 * every other one of 4 x 8 consecutive slots. */
	KUNIT_EXPECT_LE(test, s->nr_partial, (unsigned long)(4 * 8 / s->objects + 2));
	/* Refill until the kept slabs are used: no page is taken. */
	pages = node_free_pages(&arena.pgdat);
	while (s->nr_empty && n < N_OBJS)
		KUNIT_ASSERT_NOT_NULL(test, objs[n++] = kmem_cache_alloc(s, GFP_KERNEL));
	KUNIT_EXPECT_EQ(test, s->nr_empty, 0UL);
	KUNIT_EXPECT_EQ(test, node_free_pages(&arena.pgdat), pages);
	while (n > 0)
		kmem_cache_free(s, objs[--n]);
	kmem_cache_shrink(s);
	KUNIT_EXPECT_EQ(test, s->nr_empty, 0UL);
	KUNIT_EXPECT_EQ(test, s->nr_slabs, 0UL);
	KUNIT_EXPECT_EQ(test, node_free_pages(&arena.pgdat), before);
	kmem_cache_destroy(s);
}

/* Is p one of objs[0..n)? */
static bool among(void *p, int n)
{
	for (int i = 0; i < n; i++)
		if (objs[i] == p)
			return true;
	return false;
}

/*
 * A burst of frees fills this CPU's two sheaves and leaves the rest in
 * the barn a full sheaf at a time; no object goes home. The next burst of
 * allocations takes them back (most recently freed first), the barn's
 * full sheaves traded for the emptied ones, without a new slab.
 */
static void burst_goes_through_the_barn(struct kunit *test)
{
	struct kmem_cache *s = make("tbarn", 512, 0, 0, NULL);
	struct kmem_cache_cpu *c;
	const int n = 300;
	unsigned long slabs, held;
	unsigned int left;

	KUNIT_ASSERT_NOT_NULL(test, s);
	if (slab_debug_on(s)) {
		/* By design (as Linux's SLUB debug): every alloc and free of
		 * a debug cache goes to its slab under list_lock, to be
		 * checked there; there are no sheaves. */
		kmem_cache_destroy(s);
		kunit_skip(test, "slab_debug: debug caches have no sheaves");
	}
	small_sheaves(s, 16, 32);
	for (int i = 0; i < n; i++)
		KUNIT_ASSERT_NOT_NULL(test, objs[i] = kmem_cache_alloc(s, GFP_KERNEL));
	slabs = s->nr_slabs;
	/* The last refill left `left` objects in the main sheaf: they are
	 * free too, and come back in the second burst. */
	c = this_cpu_ptr(s->cpu_slab);
	left = c->size;
	KUNIT_ASSERT_LT(test, left, 16u);
	for (unsigned int i = 0; i < left; i++)
		objs[n + i] = c->objects[i];
	for (int i = 0; i < n; i++)
		kmem_cache_free(s, objs[i]);
	KUNIT_EXPECT_EQ(test, c->capacity, 16u);
	KUNIT_EXPECT_EQ(test, c->spare->capacity, 16u);
	KUNIT_EXPECT_EQ(test, c->spare->size, 16u);
	held = c->size + c->spare->size + s->barn.nr_full * 16UL;
	KUNIT_EXPECT_EQ(test, held, (unsigned long)(n + left));
	/* Pushes 17, 33, 49, ... each found both sheaves full. */
	KUNIT_EXPECT_EQ(test, s->barn.nr_full, (n + left - 17) / 16);
	/* Nothing went home: every slab is still full. */
	KUNIT_EXPECT_EQ(test, s->nr_partial + s->nr_empty, 0UL);
	/* The most recently freed object is handed out first. */
	KUNIT_EXPECT_PTR_EQ(test, kmem_cache_alloc(s, GFP_KERNEL), objs[n - 1]);
	kmem_cache_free(s, objs[n - 1]);
	for (int i = 0; i < n; i++) {
		void *p = kmem_cache_alloc(s, GFP_KERNEL);

		KUNIT_ASSERT_NOT_NULL(test, p);
		if (!among(p, n + (int)left))
			KUNIT_FAIL(test, "allocation %d: %p was not freed before", i, p);
		again[i] = p;
	}
	KUNIT_EXPECT_EQ(test, s->nr_slabs, slabs);
	KUNIT_EXPECT_EQ(test, s->barn.nr_full, 0u);
	KUNIT_EXPECT_GT(test, s->barn.nr_empty, 0u);
	KUNIT_EXPECT_EQ(test, kmem_cache_objects_in_use(s), (unsigned long)n);
	for (int i = 0; i < n; i++)
		kmem_cache_free(s, again[i]);
	kmem_cache_destroy(s);
}

/*
 * A barn at its limit sends the next full sheaf's objects home; shrink
 * then empties the sheaves and the barn and every page comes back.
 */
static void full_barn_sends_objects_home(struct kunit *test)
{
	struct kmem_cache *s = make("tbarnfull", 512, 0, 0, NULL);
	unsigned long before = node_free_pages(&arena.pgdat);
	struct kmem_cache_cpu *c;
	const int n = 200;

	KUNIT_ASSERT_NOT_NULL(test, s);
	if (slab_debug_on(s)) {
		kmem_cache_destroy(s);
		kunit_skip(test, "slab_debug: debug caches have no sheaves");
	}
	small_sheaves(s, 16, 2);
	for (int i = 0; i < n; i++)
		KUNIT_ASSERT_NOT_NULL(test, objs[i] = kmem_cache_alloc(s, GFP_KERNEL));
	for (int i = 0; i < n; i++)
		kmem_cache_free(s, objs[i]);
	c = this_cpu_ptr(s->cpu_slab);
	KUNIT_EXPECT_EQ(test, s->barn.nr_full, 2u);
	/* Two sheaves on this CPU and two in the barn; the rest went home. */
	KUNIT_EXPECT_LE(test, c->size + c->spare->size, 32u);
	KUNIT_EXPECT_GT(test, s->nr_partial + s->nr_empty, 0UL);
	KUNIT_EXPECT_EQ(test, kmem_cache_objects_in_use(s), 0UL);
	kmem_cache_shrink(s);
	KUNIT_EXPECT_EQ(test, s->barn.nr_full + s->barn.nr_empty, 0u);
	KUNIT_EXPECT_EQ(test, c->capacity + c->spare->capacity, 0u);
	KUNIT_EXPECT_EQ(test, s->nr_slabs, 0UL);
	KUNIT_EXPECT_EQ(test, node_free_pages(&arena.pgdat), before);
	kmem_cache_destroy(s);
}

/* Running out of pages fails cleanly, and everything comes back. */
static void out_of_memory_fails_cleanly(struct kunit *test)
{
	struct kmem_cache *s = make("toom", 2048, 0, 0, NULL);
	int n = 0;
	void **list = NULL, *o;

	KUNIT_ASSERT_NOT_NULL(test, s);
	while ((o = kmem_cache_alloc(s, GFP_KERNEL | __GFP_NOWARN))) {
		*(void **)o = list;	/* chain them through themselves */
		list = o;
		n++;
	}
	KUNIT_EXPECT_GT(test, n, 1000);
	/* Left: pieces smaller than a slab. */
	KUNIT_EXPECT_LT(test, node_free_pages(&arena.pgdat), 2UL << s->order);
	while (list) {
		void **next = *list;

		kmem_cache_free(s, list);
		list = next;
	}
	kmem_cache_destroy(s);
}

static void bad_arguments_rejected(struct kunit *test)
{
	KUNIT_EXPECT_NULL(test, make("tbad", 0, 0, 0, NULL));
	KUNIT_EXPECT_NULL(test, make("tbad", 64, 3, 0, NULL));
	KUNIT_EXPECT_NULL(test, make("tbad", 1 << 20, 0, 0, NULL));
	KUNIT_EXPECT_NULL(test, make("", 64, 0, 0, NULL));
}

static char capture[4096];

/* Destroying a cache with objects still allocated says so and keeps it. */
static void destroy_with_objects_reports(struct kunit *test)
{
	struct kmem_cache *s = make("tleak", 48, 0, 0, NULL);
	void *o;

	KUNIT_ASSERT_NOT_NULL(test, s);
	o = kmem_cache_alloc(s, GFP_KERNEL);
	printk_capture_start(capture, sizeof(capture));
	kmem_cache_destroy(s);
	printk_capture_stop();
	kunit_expect_reports(test, DIAG_SLAB, 1);
	KUNIT_EXPECT_STR_CONTAINS(test, capture, "kmem_cache_destroy tleak: Slab cache still has objects: 1 in use");
	KUNIT_EXPECT_STR_CONTAINS(test, capture, "still allocated");
	/* The cache still works: free the object and destroy it for real. */
	kmem_cache_free(s, o);
	kmem_cache_destroy(s);
}

/*
 * One allocated object of s, then slabinfo's line for it: Linux's columns,
 * <objsize> being the slot size (s->size: metadata of debug caches
 * included, as Linux prints it).
 */
static void expect_slabinfo_line(struct kunit *test, struct kmem_cache *s,
				 const char *name)
{
	void *o = kmem_cache_alloc(s, GFP_KERNEL);
	char want[80];

	KUNIT_ASSERT_NOT_NULL(test, o);
	printk_capture_start(capture, sizeof(capture));
	show_slabinfo();
	printk_capture_stop();
	KUNIT_EXPECT_STR_CONTAINS(test, capture, "slabinfo - version: 2.1");
	ksnprintf(want, sizeof(want), "%-17s %6lu %6u %6u %4u %4lu : tunables",
		  name, 1UL, s->objects, s->size, s->objects, 1UL << s->order);
	KUNIT_EXPECT_STR_CONTAINS(test, capture, want);
	kmem_cache_free(s, o);
}

/* slabinfo prints one line per cache, Linux's columns. */
static void slabinfo_lists_cache(struct kunit *test)
{
	struct kmem_cache *s = make("tinfo", 100, 0, 0, NULL);
	struct kmem_cache *d = make("tinfo-dbg", 100, 0, SLAB_DEBUG_FLAGS, NULL);

	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_ASSERT_NOT_NULL(test, d);
	/* 100 bytes rounded up to a word, one page per slab; a debug cache
	 * (slab_debug=on makes every cache one) adds red zones and tracks. */
	if (!slab_debug_on(s)) {
		KUNIT_EXPECT_EQ(test, s->size, 104u);
		KUNIT_EXPECT_EQ(test, s->order, 0u);
	}
	KUNIT_EXPECT_GT(test, d->size, 104u);
	expect_slabinfo_line(test, s, "tinfo");
	expect_slabinfo_line(test, d, "tinfo-dbg");
	kmem_cache_destroy(d);
	kmem_cache_destroy(s);
}

static struct kunit_case slab_cases[] = {
	KUNIT_CASE(alloc_free_destroy),
	KUNIT_CASE(sizes_and_alignment),
	KUNIT_CASE(constructor_state_survives),
	KUNIT_CASE(gfp_zero_zeroes),
	KUNIT_CASE(reclaimable_cache_pages),
	KUNIT_CASE(partial_lists_and_shrink),
	KUNIT_CASE(empty_slabs_kept_and_reused),
	KUNIT_CASE(burst_goes_through_the_barn),
	KUNIT_CASE(full_barn_sends_objects_home),
	KUNIT_CASE(out_of_memory_fails_cleanly),
	KUNIT_CASE(bad_arguments_rejected),
	KUNIT_CASE(destroy_with_objects_reports),
	KUNIT_CASE(slabinfo_lists_cache),
	{}
};

static struct kunit_suite slab_suite = {
	.name = "slab",
	.init = slab_case_init,
	.exit = slab_case_exit,
	.test_cases = slab_cases,
};
kunit_test_suite(slab_suite);
