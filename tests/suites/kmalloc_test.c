/*
 * tests/suites/kmalloc_test.c - kmalloc size classes, ksize, krealloc,
 * large allocations and kfree, on a kmalloc set over a private arena
 * (kmalloc_from); every page is back at the end. Host and kernel.
 */
#include "tests/suites/test_arena.h"
#include "mm/kmalloc.h"

static struct test_arena arena;
static struct kmalloc_set ks;

static int km_init(struct kunit *test)
{
	if (!test_arena_make(test, &arena, 0))
		return -1;
	return kmalloc_set_init(&ks, &arena.pgdat, "tkm", 0);
}

static void km_exit(struct kunit *test)
{
	kmalloc_set_destroy(&ks);
	test_arena_done(test, &arena);
}

/* Every size maps to the smallest class that holds it, 96 and 192 too. */
static void size_classes(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, kmalloc_size_class(1), 8UL);
	KUNIT_EXPECT_EQ(test, kmalloc_size_class(8), 8UL);
	KUNIT_EXPECT_EQ(test, kmalloc_size_class(9), 16UL);
	KUNIT_EXPECT_EQ(test, kmalloc_size_class(65), 96UL);
	KUNIT_EXPECT_EQ(test, kmalloc_size_class(96), 96UL);
	KUNIT_EXPECT_EQ(test, kmalloc_size_class(97), 128UL);
	KUNIT_EXPECT_EQ(test, kmalloc_size_class(129), 192UL);
	KUNIT_EXPECT_EQ(test, kmalloc_size_class(193), 256UL);
	KUNIT_EXPECT_EQ(test, kmalloc_size_class(257), 512UL);
	KUNIT_EXPECT_EQ(test, kmalloc_size_class(4097), 8192UL);
	KUNIT_EXPECT_EQ(test, kmalloc_size_class(8193), 0UL);
	KUNIT_EXPECT_EQ(test, kmalloc_size_class(0), 0UL);
	/* Every size against the model: the smallest class >= size. */
	for (size_t size = 1, want = 0; size <= KMALLOC_MAX_CACHE_SIZE; size++) {
		static const size_t classes[] = { 8, 16, 32, 64, 96, 128, 192,
			256, 512, 1024, 2048, 4096, 8192 };

		while (classes[want] < size)
			want++;
		if (kmalloc_size_class(size) != classes[want]) {
			KUNIT_FAIL(test, "kmalloc_size_class(%zu) = %zu; the smallest class that holds it is %zu",
				   size, kmalloc_size_class(size), classes[want]);
			break;
		}
	}
	for (size_t size = 1; size <= KMALLOC_MAX_CACHE_SIZE; size += 7) {
		void *p = kmalloc_from(&ks, size, GFP_KERNEL);

		KUNIT_ASSERT_NOT_NULL(test, p);
		KUNIT_EXPECT_EQ(test, ksize(p), kmalloc_size_class(size));
		KUNIT_EXPECT_GE(test, ksize(p), size);
		memset(p, 0xab, ksize(p));
		kfree(p);
	}
}

/* Power-of-two sizes are naturally aligned (up to a page). */
static void power_of_two_alignment(struct kunit *test)
{
	for (size_t size = 8; size <= KMALLOC_MAX_CACHE_SIZE; size *= 2) {
		void *p[3];

		for (int i = 0; i < 3; i++) {
			p[i] = kmalloc_from(&ks, size, GFP_KERNEL);
			KUNIT_ASSERT_NOT_NULL(test, p[i]);
			KUNIT_EXPECT_EQ(test, (uintptr_t)p[i] % min(size, PAGE_SIZE), 0UL);
		}
		for (int i = 0; i < 3; i++)
			kfree(p[i]);
	}
}

/* Above the caches: whole pages, freed by kfree, sized by ksize. */
static void large_sizes_use_pages(struct kunit *test)
{
	unsigned long before = node_free_pages(&arena.pgdat);
	void *p = kmalloc_from(&ks, 3 * PAGE_SIZE, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_FALSE(test, PageSlab(virt_to_page(p)));
	KUNIT_EXPECT_EQ(test, ksize(p), 4 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, node_free_pages(&arena.pgdat), before - 4);
	memset(p, 1, 3 * PAGE_SIZE);
	kfree(p);
	KUNIT_EXPECT_EQ(test, node_free_pages(&arena.pgdat), before);
	KUNIT_EXPECT_NULL(test, kmalloc_from(&ks, 64UL << 20, GFP_KERNEL | __GFP_NOWARN));
}

static void zero_and_null(struct kunit *test)
{
	KUNIT_EXPECT_PTR_EQ(test, kmalloc_from(&ks, 0, GFP_KERNEL), ZERO_SIZE_PTR);
	kfree(NULL);
	kfree(ZERO_SIZE_PTR);
	KUNIT_EXPECT_EQ(test, ksize(NULL), 0UL);
	KUNIT_EXPECT_EQ(test, ksize(ZERO_SIZE_PTR), 0UL);
}

/* The first n bytes of p hold the pattern fill_pattern() wrote. */
static void fill_pattern(char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (char)(i * 7 + 3);
}

static bool has_pattern(struct kunit *test, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != (char)(i * 7 + 3)) {
			KUNIT_FAIL(test, "byte %zu of %zu lost: %#x", i, n,
				   (unsigned int)(unsigned char)p[i]);
			return false;
		}
	return true;
}

/*
 * krealloc keeps the contents: in place while the block has room, and
 * through each move (slab class to a bigger class, to pages); the old
 * memory is freed by the move; a failed move leaves p as it was.
 */
static void krealloc_keeps_contents(struct kunit *test)
{
	unsigned long pages;
	char *p = kmalloc_from(&ks, 40, GFP_KERNEL), *q;
	struct kmem_cache *c64;

	KUNIT_ASSERT_NOT_NULL(test, p);
	c64 = virt_to_page(p)->slab_cache;
	KUNIT_EXPECT_EQ(test, kmem_cache_objects_in_use(c64), 1UL);
	fill_pattern(p, 40);
	q = krealloc_from(&ks, p, 60, GFP_KERNEL);	/* 64-byte class: in place */
	KUNIT_EXPECT_PTR_EQ(test, q, p);
	KUNIT_EXPECT_TRUE(test, has_pattern(test, q, 40));
	fill_pattern(q, 64);

	/* Past the class: a new object of the 128 class, the old one freed. */
	p = krealloc_from(&ks, q, 100, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_PTR_NE(test, p, q);
	KUNIT_EXPECT_EQ(test, ksize(p), 128UL);
	KUNIT_EXPECT_EQ(test, kmem_cache_objects_in_use(c64), 0UL);
	KUNIT_EXPECT_TRUE(test, has_pattern(test, p, 64));
	fill_pattern(p, 128);

	/* Past the caches: whole pages, all 128 bytes carried over. */
	q = krealloc_from(&ks, p, 3 * PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, q);
	KUNIT_EXPECT_FALSE(test, PageSlab(virt_to_page(q)));
	KUNIT_EXPECT_EQ(test, ksize(q), 4 * PAGE_SIZE);
	KUNIT_EXPECT_TRUE(test, has_pattern(test, q, 128));
	fill_pattern(q, 4 * PAGE_SIZE);
	pages = node_free_pages(&arena.pgdat);

	/* Pages to more pages: every byte of the old block moves, and the
	 * old 4 pages go back. */
	p = krealloc_from(&ks, q, 5 * PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_PTR_NE(test, p, q);
	KUNIT_EXPECT_EQ(test, ksize(p), 8 * PAGE_SIZE);
	KUNIT_EXPECT_TRUE(test, has_pattern(test, p, 4 * PAGE_SIZE));
	KUNIT_EXPECT_EQ(test, node_free_pages(&arena.pgdat), pages + 4 - 8);

	/* Shrinking stays in place; a move that cannot be done returns NULL
	 * and leaves the block and its contents alone. */
	KUNIT_EXPECT_PTR_EQ(test, krealloc_from(&ks, p, 100, GFP_KERNEL), p);
	KUNIT_EXPECT_NULL(test, krealloc_from(&ks, p, 64UL << 20,
					      GFP_KERNEL | __GFP_NOWARN));
	KUNIT_EXPECT_TRUE(test, has_pattern(test, p, 4 * PAGE_SIZE));
	KUNIT_EXPECT_EQ(test, node_free_pages(&arena.pgdat), pages + 4 - 8);

	/* NULL allocates; size 0 frees. */
	q = krealloc_from(&ks, NULL, 24, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, q);
	KUNIT_EXPECT_EQ(test, ksize(q), 32UL);
	KUNIT_EXPECT_PTR_EQ(test, krealloc_from(&ks, q, 0, GFP_KERNEL), ZERO_SIZE_PTR);
	KUNIT_EXPECT_PTR_EQ(test, krealloc_from(&ks, p, 0, GFP_KERNEL), ZERO_SIZE_PTR);
	/* km_exit checks every page of the arena came back. */
}

static struct kunit_case kmalloc_cases[] = {
	KUNIT_CASE(size_classes),
	KUNIT_CASE(power_of_two_alignment),
	KUNIT_CASE(large_sizes_use_pages),
	KUNIT_CASE(zero_and_null),
	KUNIT_CASE(krealloc_keeps_contents),
	{}
};

static struct kunit_suite kmalloc_suite = {
	.name = "kmalloc",
	.init = km_init,
	.exit = km_exit,
	.test_cases = kmalloc_cases,
};
kunit_test_suite(kmalloc_suite);
