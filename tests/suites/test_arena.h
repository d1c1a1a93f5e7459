/*
 * tests/suites/test_arena.h - a private page arena for allocator suites
 * (slab, kmalloc, shrinker, IOVA, DMA), so their page counts are exact and
 * nothing they do touches the global node. Memory comes from
 * page_alloc_test_chunk() (the host and kernel runners each provide it);
 * a suite may keep the first `skip` bytes of the chunk for itself (the DMA
 * suites put a bounce pool there).
 */
#ifndef TESTS_SUITES_TEST_ARENA_H
#define TESTS_SUITES_TEST_ARENA_H

#include "kernel/kunit.h"
#include "kernel/lib/string.h"
#include "mm/page_alloc.h"
#include "mm/lru.h"

#define TEST_ARENA_CHUNK	(4UL << 20)

void *page_alloc_test_chunk(void);
void page_alloc_test_chunk_free(void *chunk);

struct test_arena {
	pg_data_t pgdat;
	void *chunk;
	unsigned long free_at_start;
};

/* Build an arena over a 4 MiB chunk less its first `skip` bytes
 * (page aligned): watermarks 0, no per-CPU lists. */
static inline bool test_arena_make(struct kunit *test, struct test_arena *a,
				   size_t skip)
{
	struct mem_range r;
	struct zone *zone;

	memset(a, 0, sizeof(*a));
	a->chunk = page_alloc_test_chunk();
	if (!a->chunk) {
		kunit_info(test, "no memory for the arena");
		return false;
	}
	r.start = virt_to_phys(a->chunk) + skip;
	r.end = virt_to_phys(a->chunk) + TEST_ARENA_CHUNK;
	if (page_arena_init(&a->pgdat, &r, 1, 0) < 0)
		return false;
	for_each_populated_zone_in(zone, &a->pgdat) {
		zone_set_watermarks(zone, 0);
		zone_set_pcp(zone, 0, 1);
		for (int z = 0; z < MAX_NR_ZONES; z++)
			zone->lowmem_reserve[z] = 0;
	}
	a->free_at_start = node_free_pages(&a->pgdat);
	return true;
}

/* Take order-0 pages from a's node with gfp (no reclaim: gfp without
 * it) until one fails, chained through page->private onto *head; how
 * many. The watermarks decide where it stops: a case that wants its
 * zone at min sets them first. */
static inline unsigned long test_arena_take_all(struct test_arena *a,
						gfp_t gfp, struct page **head)
{
	struct page *page;
	unsigned long n = 0;

	while ((page = alloc_pages_node(&a->pgdat, gfp | __GFP_NOWARN, 0))) {
		page->private = (unsigned long)*head;
		*head = page;
		n++;
	}
	return n;
}

/* Free the pages chained from *head (test_arena_take_all's). */
static inline void test_arena_give_back(struct page **head)
{
	while (*head) {
		struct page *next = (struct page *)(*head)->private;

		__free_pages(*head, 0);
		*head = next;
	}
}

/* Check every page came back, then give the memory back. */
static inline void test_arena_done(struct kunit *test, struct test_arena *a)
{
	if (a->pgdat.nr_ranges) {
		/* Pages freed but still waiting in an LRU add batch (which
		 * holds a reference until it drains) come back here. */
		lru_add_drain_all();
		KUNIT_EXPECT_EQ(test, node_free_pages(&a->pgdat), a->free_at_start);
		KUNIT_EXPECT_EQ(test, page_arena_destroy(&a->pgdat), 0UL);
	}
	if (a->chunk)
		page_alloc_test_chunk_free(a->chunk);
	memset(a, 0, sizeof(*a));
}

#endif
