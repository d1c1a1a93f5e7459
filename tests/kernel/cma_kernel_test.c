/*
 * tests/kernel/cma_kernel_test.c - the boot CMA region (cma= on the
 * command line, or the device tree's pool): reserved, activated as
 * MIGRATE_CMA pageblocks whose pages are free in the buddy allocator,
 * taken and given back whole and in aligned runs. Skips without a region; tools/run-tests boots two
 * configurations with cma=16M where it must run (docs/mm/cma.md).
 */
#include "kernel/kunit.h"
#include "kernel/lib/random.h"
#include "kernel/lib/string.h"
#include "mm/cma.h"
#include "mm/page_isolation.h"
#include "mm/vmstat.h"

/* The boot region, or skip the case. */
#define BOOT_CMA(test) ({						\
	struct cma *__c = cma_default();				\
	if (!__c)							\
		kunit_skip(test, "no CMA region (boot with cma=SIZE)");	\
	__c;								\
})

static unsigned long settled_free_pages(void)
{
	drain_all_pages(NULL);
	return nr_free_pages();
}

static void region_is_lent_cma_pageblocks(struct kunit *test)
{
	struct cma *cma = BOOT_CMA(test);

	KUNIT_EXPECT_TRUE(test, cma->active);
	KUNIT_EXPECT_EQ(test, cma->base_pfn % pageblock_nr_pages, 0UL);
	KUNIT_EXPECT_EQ(test, cma->count % pageblock_nr_pages, 0UL);
	KUNIT_EXPECT_PTR_EQ(test, cma->pgdat, &contig_page_data);
	for (unsigned long pfn = cma->base_pfn; pfn < cma->base_pfn + cma->count;
	     pfn += pageblock_nr_pages) {
		struct page *page = pfn_to_page(pfn);

		KUNIT_ASSERT_NOT_NULL(test, page);
		KUNIT_EXPECT_EQ(test, get_pageblock_migratetype(page), MIGRATE_CMA);
	}
	/* Every page is free, lent out, or (earlier cases) allocated. */
	KUNIT_EXPECT_LE(test, cma->allocated + cma_lent_pages(cma), cma->count);
}

/* The whole region: free pages taken, lent ones moved out (migration). */
static void whole_region_taken_and_given_back(struct kunit *test)
{
	struct cma *cma = BOOT_CMA(test);
	unsigned long free = settled_free_pages();
	unsigned long ok = global_vm_event(CMA_ALLOC_SUCCESS);
	struct page *page;

	page = cma_alloc(cma, cma->count, 0);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_EQ(test, page_to_pfn(page), cma->base_pfn);
	KUNIT_EXPECT_EQ(test, cma_lent_pages(cma), 0UL);
	KUNIT_EXPECT_EQ(test, global_vm_event(CMA_ALLOC_SUCCESS), ok + 1);
	for (unsigned long i = 0; i < cma->count; i++)
		KUNIT_EXPECT_EQ(test, page_count(page + i), 1);
	/* The memory is ours: write it all. */
	memset(page_address(page), 0x6b, cma->count * PAGE_SIZE);
	KUNIT_EXPECT_TRUE(test, cma_release(cma, page, cma->count));
	KUNIT_EXPECT_EQ(test, cma->allocated, 0UL);
	/* What was lent came back as other free pages: the total is kept
	 * only if nothing was lent; at least the region's pages are free. */
	KUNIT_EXPECT_GE(test, settled_free_pages() + 64, free);
}

/* Random aligned runs, each taken and released: in the region, aligned. */
static void aligned_runs_taken_and_released(struct kunit *test)
{
	struct cma *cma = BOOT_CMA(test);
	struct prng rng;

	prng_seed(&rng, test->seed);
	for (int round = 0; round < 64; round++) {
		unsigned long count = 1 + prng_below(&rng, 512);
		unsigned int align = (unsigned int)prng_below(&rng, 10);
		struct page *page = cma_alloc(cma, count, align);

		KUNIT_ASSERT_NOT_NULL(test, page);
		KUNIT_EXPECT_EQ(test, page_to_pfn(page) & ((1UL << align) - 1), 0UL);
		KUNIT_EXPECT_TRUE(test, page_to_pfn(page) >= cma->base_pfn &&
				  page_to_pfn(page) + count <= cma->base_pfn + cma->count);
		*(unsigned long *)page_address(page) = round;
		KUNIT_EXPECT_TRUE(test, cma_release(cma, page, count));
	}
	KUNIT_EXPECT_EQ(test, cma->allocated, 0UL);
}

static struct kunit_case cma_boot_cases[] = {
	KUNIT_CASE(region_is_lent_cma_pageblocks),
	KUNIT_CASE(whole_region_taken_and_given_back),
	KUNIT_CASE(aligned_runs_taken_and_released),
	{}
};

static struct kunit_suite cma_boot_suite = {
	.name = "cma_boot",
	.test_cases = cma_boot_cases,
};
kunit_test_suite(cma_boot_suite);
