/*
 * tests/host/pcp_drain_test.c - drain_pages_zone(cpu, zone) drains the
 * named CPU's per-CPU lists and nothing else. On the host every caller is
 * CPU 0 (tests/host/include/arch/cpu.h), so the lists filled are CPU 0's;
 * draining CPU 1 must leave them alone, draining CPU 0 must empty them into
 * the buddy lists. The kernel suite mm_smp does the cross-CPU version.
 */
#include "tests/host/host.h"
#include "kernel/kunit.h"
#include "kernel/lib/string.h"
#include "mm/internal.h"

#define CHUNK_SIZE	(4UL << 20)	/* one order-10 block */
#define NR_PAGES	20

void *page_alloc_test_chunk(void);
void page_alloc_test_chunk_free(void *chunk);

static void drain_pages_zone_drains_only_that_cpu(struct kunit *test)
{
	static pg_data_t node;
	struct page *pages[NR_PAGES];
	struct zone *zone = NULL, *z;
	struct mem_range r;
	void *chunk = page_alloc_test_chunk();

	KUNIT_ASSERT_NOT_NULL(test, chunk);
	memset(&node, 0, sizeof(node));
	r.start = virt_to_phys(chunk);
	r.end = r.start + CHUNK_SIZE;
	KUNIT_ASSERT_EQ(test, page_arena_init(&node, &r, 1, 0), 0);
	for_each_populated_zone_in(z, &node) {
		zone_set_watermarks(z, 0);
		zone_set_pcp(z, 64, 8);
		zone = z;
	}
	KUNIT_ASSERT_NOT_NULL(test, zone);

	struct per_cpu_pages *mine = per_cpu_ptr(zone->pcp, 0);
	unsigned long free = node_free_pages(&node);

	for (int i = 0; i < NR_PAGES; i++) {
		pages[i] = alloc_pages_node(&node, GFP_KERNEL, 0);
		KUNIT_ASSERT_NOT_NULL(test, pages[i]);
	}
	for (int i = 0; i < NR_PAGES; i++)
		__free_pages(pages[i], 0);
	int filled = mine->count;
	unsigned long buddy = zone->free_pages;

	KUNIT_EXPECT_GT(test, filled, 0);
	KUNIT_EXPECT_EQ(test, buddy + (unsigned long)filled, free);

	drain_pages_zone(1, zone);		/* another CPU's: not ours */
	KUNIT_EXPECT_EQ(test, mine->count, filled);
	KUNIT_EXPECT_EQ(test, zone->free_pages, buddy);

	drain_pages_zone(0, zone);
	KUNIT_EXPECT_EQ(test, mine->count, 0);
	KUNIT_EXPECT_EQ(test, zone->free_pages, free);
	for (int i = 0; i < NR_PAGES; i++)
		KUNIT_EXPECT_FALSE(test, PagePcp(pages[i]));
	KUNIT_EXPECT_TRUE(test, buddy_check(&node));
	KUNIT_EXPECT_EQ(test, page_arena_destroy(&node), 0UL);
	page_alloc_test_chunk_free(chunk);
}

static struct kunit_case pcp_drain_cases[] = {
	KUNIT_CASE(drain_pages_zone_drains_only_that_cpu),
	{}
};

static struct kunit_suite pcp_drain_suite = {
	.name = "pcp_drain",
	.test_cases = pcp_drain_cases,
};
kunit_test_suite(pcp_drain_suite);
