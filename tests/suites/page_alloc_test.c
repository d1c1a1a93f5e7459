/*
 * tests/suites/page_alloc_test.c - the buddy allocator on private arenas:
 * every operation and error path, quick enough for TCG. Runs on the host
 * and in the kernel. Memory comes from page_alloc_test_chunk(), which the
 * host runner (tests/host/page_alloc_model_test.c) and the kernel runner
 * (tests/kernel/page_alloc_kernel_test.c) each provide.
 */
#include "kernel/kunit.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vsprintf.h"
#include "mm/internal.h"

#define CHUNK_SIZE	(4UL << 20)	/* one order-10 block */

/* A CHUNK_SIZE block aligned to CHUNK_SIZE, or NULL. */
void *page_alloc_test_chunk(void);
void page_alloc_test_chunk_free(void *chunk);

static struct {
	pg_data_t pgdat;
	void *chunks[3];
	unsigned int nr;
} arena;

/*
 * Build the arena over nr chunks. dma32 != 0: the first chunk is
 * ZONE_DMA32, the rest ZONE_NORMAL. hole: leave chunk 1 out (a hole).
 * Watermarks 0 and per-CPU lists off, for exact counting; tests that want
 * them set them.
 */
static bool arena_make(struct kunit *test, unsigned int nr, bool dma32,
		       bool hole)
{
	struct mem_range r[3];
	unsigned int n = 0;
	struct zone *zone;

	arena.nr = 0;
	for (unsigned int i = 0; i < nr; i++) {
		arena.chunks[i] = page_alloc_test_chunk();
		if (!arena.chunks[i]) {
			kunit_info(test, "no memory for the arena");
			return false;
		}
		arena.nr++;
	}
	for (unsigned int i = 0; i < nr; i++) {
		if (hole && i == 1)
			continue;
		r[n].start = virt_to_phys(arena.chunks[i]);
		r[n].end = r[n].start + CHUNK_SIZE;
		n++;
	}
	/* Chunks come in any address order; the arena wants them ascending. */
	for (unsigned int i = 1; i < n; i++)
		for (unsigned int j = i; j > 0 && r[j].start < r[j - 1].start; j--) {
			struct mem_range t = r[j];

			r[j] = r[j - 1];
			r[j - 1] = t;
		}
	if (page_arena_init(&arena.pgdat, r, n, dma32 ? r[0].end : 0) < 0)
		return false;
	page_arena_set_debug(&arena.pgdat, true);	/* poison, check */
	for_each_populated_zone_in(zone, &arena.pgdat) {
		zone_set_watermarks(zone, 0);
		zone_set_pcp(zone, 0, 1);
		for (int z = 0; z < MAX_NR_ZONES; z++)
			zone->lowmem_reserve[z] = 0;
	}
	return buddy_check(&arena.pgdat);
}

/* Every case ends here: nothing leaked, lists consistent, memory back. */
static void pa_exit(struct kunit *test)
{
	if (arena.pgdat.nr_ranges) {
		KUNIT_EXPECT_TRUE(test, buddy_check(&arena.pgdat));
		KUNIT_EXPECT_EQ(test, page_arena_destroy(&arena.pgdat), 0UL);
	}
	for (unsigned int i = 0; i < arena.nr; i++)
		page_alloc_test_chunk_free(arena.chunks[i]);
	arena.nr = 0;
	memset(&arena.pgdat, 0, sizeof(arena.pgdat));
}

static pg_data_t *A(void)
{
	return &arena.pgdat;
}

static struct zone *normal(void)
{
	return &arena.pgdat.node_zones[ZONE_NORMAL];
}

static void snapshot(struct zone *zone, unsigned long *nr)
{
	for (unsigned int o = 0; o < NR_PAGE_ORDERS; o++)
		nr[o] = zone->free_area[o].nr_free;
}

static void alloc_free_roundtrip(struct kunit *test)
{
	struct page *page;
	unsigned long before;

	KUNIT_ASSERT_TRUE(test, arena_make(test, 1, false, false));
	before = node_free_pages(A());
	page = alloc_pages_node(A(), GFP_KERNEL, 0);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_EQ(test, page_count(page), 1);
	KUNIT_EXPECT_PTR_EQ(test, pfn_to_page(page_to_pfn(page)), page);
	KUNIT_EXPECT_PTR_EQ(test, virt_to_page(page_address(page)), page);
	KUNIT_EXPECT_PTR_EQ(test, virt_to_page((char *)page_address(page) + 100), page);
	KUNIT_EXPECT_PTR_EQ(test, page_zone(page), normal());
	KUNIT_EXPECT_EQ(test, node_free_pages(A()), before - 1);
	/* The memmap is carved from the arena: it is reserved, not free. */
	KUNIT_EXPECT_LT(test, node_managed_pages(A()), CHUNK_SIZE / PAGE_SIZE);
	__free_pages(page, 0);
	KUNIT_EXPECT_EQ(test, node_free_pages(A()), before);
}

/* An order-0 allocation splits the one big block; freeing merges it back. */
static void split_then_merge(struct kunit *test)
{
	unsigned long before[NR_PAGE_ORDERS], after[NR_PAGE_ORDERS];
	struct page *page;

	KUNIT_ASSERT_TRUE(test, arena_make(test, 2, false, false));
	snapshot(normal(), before);
	KUNIT_ASSERT_GE(test, before[MAX_PAGE_ORDER], 1UL);
	page = alloc_pages_node(A(), GFP_KERNEL, 0);
	KUNIT_ASSERT_NOT_NULL(test, page);
	snapshot(normal(), after);
	if (before[0] == 0 && before[1] == 0) {
		/* Came from the smallest block, split all the way down. */
		KUNIT_EXPECT_EQ(test, after[0], 1UL);
	}
	KUNIT_EXPECT_TRUE(test, buddy_check(A()));
	__free_pages(page, 0);
	snapshot(normal(), after);
	for (unsigned int o = 0; o < NR_PAGE_ORDERS; o++)
		KUNIT_EXPECT_EQ(test, after[o], before[o]);
}

static void every_order_is_aligned(struct kunit *test)
{
	KUNIT_ASSERT_TRUE(test, arena_make(test, 2, false, false));
	for (unsigned int order = 0; order <= MAX_PAGE_ORDER; order++) {
		struct page *page = alloc_pages_node(A(), GFP_KERNEL, order);

		KUNIT_ASSERT_NOT_NULL(test, page);
		KUNIT_EXPECT_EQ(test, page_to_pfn(page) & ((1UL << order) - 1), 0UL);
		KUNIT_EXPECT_EQ(test, (unsigned int)page->order, order);
		memset(page_address(page), 0x5a, PAGE_SIZE << order);
		__free_pages(page, order);
	}
	KUNIT_EXPECT_NULL(test, alloc_pages_node(A(), GFP_KERNEL | __GFP_NOWARN,
						 MAX_PAGE_ORDER + 1));
}

/* Allocate every page, check none is handed out twice, free in reverse. */
static void exhaust_and_return_everything(struct kunit *test)
{
	unsigned long before[NR_PAGE_ORDERS], after[NR_PAGE_ORDERS];
	struct page *head = NULL, *page;
	unsigned long total, n = 0;

	KUNIT_ASSERT_TRUE(test, arena_make(test, 1, false, false));
	total = node_free_pages(A());
	snapshot(normal(), before);
	while ((page = alloc_pages_node(A(), GFP_KERNEL | __GFP_NOWARN, 0))) {
		unsigned long *mem = page_address(page);

		mem[0] = page_to_pfn(page);	/* a page's own pfn, checked below */
		page->private = (unsigned long)head;
		head = page;
		n++;
	}
	KUNIT_EXPECT_EQ(test, n, total);
	KUNIT_EXPECT_EQ(test, node_free_pages(A()), 0UL);
	KUNIT_EXPECT_TRUE(test, buddy_check(A()));
	while (head) {
		struct page *next = (struct page *)head->private;

		KUNIT_EXPECT_EQ(test, *(unsigned long *)page_address(head),
				page_to_pfn(head));
		__free_pages(head, 0);
		head = next;
	}
	snapshot(normal(), after);
	for (unsigned int o = 0; o < NR_PAGE_ORDERS; o++)
		KUNIT_EXPECT_EQ(test, after[o], before[o]);
}

static void gfp_zero_zeroes(struct kunit *test)
{
	struct page *page;
	const unsigned char *mem;
	bool zero = true;

	KUNIT_ASSERT_TRUE(test, arena_make(test, 1, false, false));
	page = alloc_pages_node(A(), GFP_KERNEL, 1);
	KUNIT_ASSERT_NOT_NULL(test, page);
	memset(page_address(page), 0x77, 2 * PAGE_SIZE);
	__free_pages(page, 1);
	page = alloc_pages_node(A(), GFP_KERNEL | __GFP_ZERO, 1);
	KUNIT_ASSERT_NOT_NULL(test, page);
	mem = page_address(page);
	for (unsigned long i = 0; i < 2 * PAGE_SIZE; i++)
		zero &= mem[i] == 0;
	KUNIT_EXPECT_TRUE(test, zero);
	free_pages((unsigned long)page_address(page), 1);
}

/* NORMAL falls back to DMA32; GFP_DMA32 never uses NORMAL. */
static void zone_fallback(struct kunit *test)
{
	struct zone *dma32 = &arena.pgdat.node_zones[ZONE_DMA32];
	struct page *page, *head = NULL;
	unsigned long n_dma32 = 0, n_normal = 0;

	KUNIT_ASSERT_TRUE(test, arena_make(test, 2, true, false));
	KUNIT_ASSERT_TRUE(test, populated_zone(dma32));
	KUNIT_ASSERT_TRUE(test, populated_zone(normal()));
	page = alloc_pages_node(A(), GFP_KERNEL, 0);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_PTR_EQ(test, page_zone(page), normal());
	__free_pages(page, 0);
	page = alloc_pages_node(A(), GFP_DMA32, 0);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_PTR_EQ(test, page_zone(page), dma32);
	__free_pages(page, 0);

	/* Use up DMA32 with GFP_DMA32: the next one fails though NORMAL is free. */
	while ((page = alloc_pages_node(A(), GFP_DMA32 | __GFP_NOWARN, 3))) {
		KUNIT_EXPECT_PTR_EQ(test, page_zone(page), dma32);
		page->private = (unsigned long)head;
		head = page;
		n_dma32++;
	}
	KUNIT_EXPECT_GT(test, normal()->free_pages, 0UL);
	KUNIT_EXPECT_LT(test, dma32->free_pages, 8UL);	/* no order-3 block left */
	while (head) {
		page = (struct page *)head->private;
		__free_pages(head, 3);
		head = page;
	}
	/* Use up NORMAL with GFP_KERNEL: then it falls back to DMA32. */
	while ((page = alloc_pages_node(A(), GFP_KERNEL | __GFP_NOWARN, 0))) {
		if (page_zone(page) == normal())
			n_normal++;
		else
			KUNIT_EXPECT_EQ(test, normal()->free_pages, 0UL);
		page->private = (unsigned long)head;
		head = page;
	}
	KUNIT_EXPECT_GT(test, n_normal, 0UL);
	KUNIT_EXPECT_EQ(test, node_free_pages(A()), 0UL);
	while (head) {
		page = (struct page *)head->private;
		__free_pages(head, 0);
		head = page;
	}
}

static unsigned int kswapd_wakeups;
static struct page *reclaimable_page;

static void count_kswapd(struct zone *zone, gfp_t gfp, unsigned int order)
{
	kswapd_wakeups++;
}

/* A stand-in for reclaim: frees the one page it was given. */
static unsigned long free_held_page(pg_data_t *pgdat, gfp_t gfp,
				    unsigned int order)
{
	if (!reclaimable_page)
		return 0;
	__free_pages(reclaimable_page, 0);
	reclaimable_page = NULL;
	return 1;
}

/* Take order-0 pages with gfp until one fails; returns how many. */
static unsigned long take_until_fail(struct page **head, gfp_t gfp)
{
	struct page *page;
	unsigned long n = 0;

	while ((page = alloc_pages_node(A(), gfp | __GFP_NOWARN, 0))) {
		page->private = (unsigned long)*head;
		*head = page;
		n++;
	}
	return n;
}

static void watermarks_and_reserves(struct kunit *test)
{
	const unsigned long min = 64;
	struct page *head = NULL, *page;

	/* The kernel's own hooks (mm/vmscan.c) are put back at the end. */
	void (*saved_wakeup)(struct zone *, gfp_t, unsigned int) =
		page_alloc_wakeup_kswapd;
	unsigned long (*saved_reclaim)(pg_data_t *, gfp_t, unsigned int) =
		page_alloc_try_to_free_pages;

	KUNIT_ASSERT_TRUE(test, arena_make(test, 1, false, false));
	zone_set_watermarks(normal(), min);
	kswapd_wakeups = 0;
	page_alloc_wakeup_kswapd = count_kswapd;

	take_until_fail(&head, GFP_KERNEL);
	KUNIT_EXPECT_EQ(test, normal()->free_pages, min);	/* stops at min */
	KUNIT_EXPECT_GT(test, kswapd_wakeups, 0u);		/* once below low */
	take_until_fail(&head, GFP_KERNEL | __GFP_HIGH);
	KUNIT_EXPECT_EQ(test, normal()->free_pages, min / 2);
	take_until_fail(&head, GFP_ATOMIC);
	KUNIT_EXPECT_EQ(test, normal()->free_pages, min / 2 - min / 8);
	take_until_fail(&head, __GFP_MEMALLOC);
	KUNIT_EXPECT_EQ(test, normal()->free_pages, 0UL);
	page_alloc_wakeup_kswapd = saved_wakeup;

	/* Direct reclaim: the hook frees a page and the allocation retries. */
	reclaimable_page = head;
	head = (struct page *)head->private;
	page_alloc_try_to_free_pages = free_held_page;
	zone_set_watermarks(normal(), 0);
	page = alloc_pages_node(A(), GFP_KERNEL, 0);
	page_alloc_try_to_free_pages = saved_reclaim;
	KUNIT_EXPECT_NOT_NULL(test, page);
	KUNIT_EXPECT_NULL(test, reclaimable_page);
	if (page)
		__free_pages(page, 0);
	while (head) {
		page = (struct page *)head->private;
		__free_pages(head, 0);
		head = page;
	}
}

/*
 * The same floors with per-CPU lists in the way: a refill takes a batch
 * after looking for one page, so only the check made again under
 * zone->lock (rmqueue_above) keeps each kind of allocation at its floor
 * exactly. Below min the reserves go a page at a time to the allocation
 * they are for, never a batch onto a list any allocation could take
 * from; each page taken below min is counted in ZE_RESERVE.
 */
static void pcp_refills_stop_at_the_watermark(struct kunit *test)
{
	const unsigned long min = 64;
	struct page *head = NULL, *page;
	struct per_cpu_pages *pcp;
	unsigned long reserve;
	void (*saved_wakeup)(struct zone *, gfp_t, unsigned int) =
		page_alloc_wakeup_kswapd;

	KUNIT_ASSERT_TRUE(test, arena_make(test, 1, false, false));
	zone_set_watermarks(normal(), min);
	zone_set_pcp(normal(), 32, 8);
	pcp = this_cpu_ptr(normal()->pcp);
	page_alloc_wakeup_kswapd = count_kswapd;
	reserve = normal()->events[ZE_RESERVE];

	take_until_fail(&head, GFP_KERNEL);
	KUNIT_EXPECT_EQ(test, normal()->free_pages, min);
	KUNIT_EXPECT_EQ(test, normal()->events[ZE_RESERVE], reserve);
	take_until_fail(&head, GFP_KERNEL | __GFP_HIGH);
	KUNIT_EXPECT_EQ(test, normal()->free_pages, min / 2);
	KUNIT_EXPECT_EQ(test, pcp->count, 0);
	KUNIT_EXPECT_EQ(test, normal()->events[ZE_RESERVE] - reserve, min / 2);
	take_until_fail(&head, GFP_ATOMIC);
	KUNIT_EXPECT_EQ(test, normal()->free_pages, min / 2 - min / 8);
	KUNIT_EXPECT_EQ(test, pcp->count, 0);
	take_until_fail(&head, __GFP_MEMALLOC);
	KUNIT_EXPECT_EQ(test, normal()->free_pages, 0UL);
	KUNIT_EXPECT_EQ(test, normal()->events[ZE_RESERVE] - reserve, min);
	page_alloc_wakeup_kswapd = saved_wakeup;

	while (head) {
		page = (struct page *)head->private;
		__free_pages(head, 0);
		head = page;
	}
	drain_node_pages(A());
}

static void failure_report_once(struct kunit *test)
{
	static char buf[2048];
	struct page *big;

	KUNIT_ASSERT_TRUE(test, arena_make(test, 1, false, false));
	/* A 4 MiB arena minus its memmap has no order-10 block. */
	printk_capture_start(buf, sizeof(buf));
	big = alloc_pages_node(A(), GFP_KERNEL | __GFP_ZERO, MAX_PAGE_ORDER);
	printk_capture_stop();
	KUNIT_EXPECT_NULL(test, big);
	KUNIT_EXPECT_STR_CONTAINS(test, buf, "page allocation failure: order:10");
	KUNIT_EXPECT_STR_CONTAINS(test, buf, "GFP_KERNEL|__GFP_ZERO");
	KUNIT_EXPECT_STR_CONTAINS(test, buf, "Normal: ");
	KUNIT_EXPECT_STR_CONTAINS(test, buf, "*2048kB (M)");
	KUNIT_EXPECT_EQ(test, normal()->events[ZE_ALLOC_FAIL], 1UL);

	printk_capture_start(buf, sizeof(buf));
	big = alloc_pages_node(A(), GFP_KERNEL, MAX_PAGE_ORDER);	/* rate-limited */
	big = alloc_pages_node(A(), GFP_KERNEL | __GFP_NOWARN, MAX_PAGE_ORDER);
	printk_capture_stop();
	KUNIT_EXPECT_NULL(test, big);
	KUNIT_EXPECT_STR_NOT_CONTAINS(test, buf, "page allocation failure");
}

static void double_free_and_bad_order_reported(struct kunit *test)
{
	static char buf[2048];
	struct page *page, *two;
	char pfn[32];

	KUNIT_ASSERT_TRUE(test, arena_make(test, 1, false, false));
	page = alloc_pages_node(A(), GFP_KERNEL, 0);
	two = alloc_pages_node(A(), GFP_KERNEL, 2);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_ASSERT_NOT_NULL(test, two);
	__free_pages(page, 0);

	printk_capture_start(buf, sizeof(buf));
	__free_pages(page, 0);				/* double free */
	printk_capture_stop();
	ksnprintf(pfn, sizeof(pfn), "pfn:%#lx", page_to_pfn(page));
	KUNIT_EXPECT_STR_CONTAINS(test, buf, "Bad page state");
	KUNIT_EXPECT_STR_CONTAINS(test, buf, "double free");
	KUNIT_EXPECT_STR_CONTAINS(test, buf, pfn);
	KUNIT_EXPECT_STR_CONTAINS(test, buf, "state:free");
	kunit_expect_reports(test, DIAG_BAD_PAGE, 1);
	KUNIT_EXPECT_EQ(test, A()->nr_bad_pages, 1UL);

	printk_capture_start(buf, sizeof(buf));
	__free_pages(two, 1);				/* wrong order */
	__free_pages(two + 1, 0);			/* a tail page */
	__free_pages(two, MAX_PAGE_ORDER + 1);		/* impossible order */
	printk_capture_stop();
	KUNIT_EXPECT_STR_CONTAINS(test, buf, "bad order: freed with a different order");
	KUNIT_EXPECT_STR_CONTAINS(test, buf, "not the first page of a block");
	KUNIT_EXPECT_STR_CONTAINS(test, buf, "above MAX_PAGE_ORDER");
	kunit_expect_reports(test, DIAG_BAD_PAGE, 3);	/* 1 declared above */
	KUNIT_EXPECT_EQ(test, A()->nr_bad_pages, 4UL);
	KUNIT_EXPECT_EQ(test, page_count(two), 1);	/* left alone */
	__free_pages(two, 2);
}

static void use_after_free_caught_by_poison(struct kunit *test)
{
	static char buf[2048];
	struct page *page, *again;

	KUNIT_ASSERT_TRUE(test, arena_make(test, 1, false, false));
	zone_set_pcp(normal(), 16, 4);		/* LIFO: we get the page back */
	page = alloc_pages_node(A(), GFP_KERNEL, 0);
	KUNIT_ASSERT_NOT_NULL(test, page);
	__free_pages(page, 0);
	KUNIT_EXPECT_EQ(test, ((unsigned char *)page_address(page))[8], PAGE_POISON);
	((char *)page_address(page))[123] = 1;		/* the bug */
	printk_capture_start(buf, sizeof(buf));
	again = alloc_pages_node(A(), GFP_KERNEL, 0);
	printk_capture_stop();
	KUNIT_EXPECT_PTR_EQ(test, again, page);
	KUNIT_EXPECT_STR_CONTAINS(test, buf, "use after free");
	kunit_expect_reports(test, DIAG_BAD_PAGE, 1);
	KUNIT_EXPECT_EQ(test, A()->nr_bad_pages, 1UL);
	if (again)
		__free_pages(again, 0);
}

/*
 * The checks follow the node: with its debug off (and not on for every
 * node) a write to a free page goes unseen; switched on, the node's free
 * pages are poisoned at once and the same write is caught.
 */
static void debug_checks_the_nodes_it_is_on_for(struct kunit *test)
{
	struct page *page, *again;

	KUNIT_ASSERT_TRUE(test, arena_make(test, 1, false, false));
	zone_set_pcp(normal(), 16, 4);		/* LIFO: we get the page back */
	if (!page_alloc_debug_all) {
		page_arena_set_debug(A(), false);
		page = alloc_pages_node(A(), GFP_KERNEL | __GFP_ZERO, 0);
		KUNIT_ASSERT_NOT_NULL(test, page);
		__free_pages(page, 0);
		KUNIT_EXPECT_EQ(test, ((unsigned char *)page_address(page))[8],
				0);	/* not poisoned */
		((char *)page_address(page))[123] = 1;
		again = alloc_pages_node(A(), GFP_KERNEL, 0);
		KUNIT_EXPECT_PTR_EQ(test, again, page);
		KUNIT_EXPECT_EQ(test, A()->nr_bad_pages, 0UL);
		if (again)
			__free_pages(again, 0);
		drain_node_pages(A());
		page_arena_set_debug(A(), true);
	}
	/* Every free page is poisoned now, the one just freed too. */
	page = alloc_pages_node(A(), GFP_KERNEL, 0);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_EQ(test, A()->nr_bad_pages, 0UL);
	__free_pages(page, 0);
	((char *)page_address(page))[123] = 1;		/* the bug */
	again = alloc_pages_node(A(), GFP_KERNEL, 0);
	KUNIT_EXPECT_PTR_EQ(test, again, page);
	kunit_expect_reports(test, DIAG_BAD_PAGE, 1);
	KUNIT_EXPECT_EQ(test, A()->nr_bad_pages, 1UL);
	if (again)
		__free_pages(again, 0);
}

static void pcp_lists_batch_and_drain(struct kunit *test)
{
	struct per_cpu_pages *pcp;
	struct page *pages[40];
	unsigned long free;

	KUNIT_ASSERT_TRUE(test, arena_make(test, 1, false, false));
	free = node_free_pages(A());
	zone_set_pcp(normal(), 32, 8);
	pcp = this_cpu_ptr(normal()->pcp);
	pages[0] = alloc_pages_node(A(), GFP_KERNEL, 0);
	KUNIT_ASSERT_NOT_NULL(test, pages[0]);
	KUNIT_EXPECT_EQ(test, pcp->count, 7);		/* a batch came, one left */
	KUNIT_EXPECT_EQ(test, normal()->free_pages, free - 8);
	for (int i = 1; i < 40; i++) {
		pages[i] = alloc_pages_node(A(), GFP_KERNEL, 0);
		KUNIT_ASSERT_NOT_NULL(test, pages[i]);
	}
	for (int i = 0; i < 40; i++) {
		__free_pages(pages[i], 0);
		KUNIT_EXPECT_LT(test, pcp->count, 32);	/* spilled at high */
	}
	KUNIT_EXPECT_GT(test, pcp->count, 0);
	KUNIT_EXPECT_EQ(test, node_free_pages(A()), free);
	KUNIT_EXPECT_TRUE(test, buddy_check(A()));
	drain_node_pages(A());
	KUNIT_EXPECT_EQ(test, pcp->count, 0);
	KUNIT_EXPECT_EQ(test, normal()->free_pages, free);
	/* Order-3 blocks use the lists too; order 4 does not. */
	pages[0] = alloc_pages_node(A(), GFP_KERNEL, 3);
	KUNIT_EXPECT_GT(test, pcp->count, 0);
	__free_pages(pages[0], 3);
	drain_node_pages(A());
	pages[0] = alloc_pages_node(A(), GFP_KERNEL, 4);
	KUNIT_EXPECT_EQ(test, pcp->count, 0);
	__free_pages(pages[0], 4);
	KUNIT_EXPECT_EQ(test, pcp->count, 0);
}

/* Pageblocks holding unmovable pages stay few when movable ones mix in. */
static void unmovable_allocations_stay_clustered(struct kunit *test)
{
	struct page *head = NULL, *page;
	unsigned long blocks_with_unmovable = 0;
	bool seen[64] = { false };
	unsigned long base;

	KUNIT_ASSERT_TRUE(test, arena_make(test, 2, false, false));
	base = normal()->zone_start_pfn >> pageblock_order;
	for (int i = 0; i < 600; i++) {
		gfp_t gfp = (i % 3) ? GFP_KERNEL : GFP_HIGHUSER_MOVABLE;

		page = alloc_pages_node(A(), gfp, 0);
		KUNIT_ASSERT_NOT_NULL(test, page);
		if (gfp == GFP_KERNEL) {
			unsigned long b = (page_to_pfn(page) >> pageblock_order) - base;

			KUNIT_EXPECT_EQ(test, get_pageblock_migratetype(page),
					MIGRATE_UNMOVABLE);
			if (b < 64 && !seen[b]) {
				seen[b] = true;
				blocks_with_unmovable++;
			}
		}
		page->private = (unsigned long)head;
		head = page;
	}
	/* 400 unmovable pages fit in one pageblock; the steal takes two. */
	KUNIT_EXPECT_LE(test, blocks_with_unmovable, 2UL);
	KUNIT_EXPECT_GT(test, normal()->events[ZE_STEAL_BLOCK], 0UL);
	KUNIT_EXPECT_TRUE(test, buddy_check(A()));
	while (head) {
		page = (struct page *)head->private;
		__free_pages(head, 0);
		head = page;
	}
}

/* Isolated and CMA pageblocks: who may use them. */
static void isolate_and_cma_blocks(struct kunit *test)
{
	struct page *head = NULL, *page, *blk;
	unsigned long free, moved, n = 0;

	KUNIT_ASSERT_TRUE(test, arena_make(test, 2, false, false));
	free = node_free_pages(A());
	blk = alloc_pages_node(A(), GFP_KERNEL, pageblock_order);
	KUNIT_ASSERT_NOT_NULL(test, blk);
	__free_pages(blk, pageblock_order);
	moved = move_freepages_block(blk, MIGRATE_ISOLATE);
	KUNIT_EXPECT_EQ(test, moved, pageblock_nr_pages);
	KUNIT_EXPECT_EQ(test, normal()->nr_free_mt[MIGRATE_ISOLATE], pageblock_nr_pages);
	KUNIT_EXPECT_TRUE(test, buddy_check(A()));
	n = take_until_fail(&head, GFP_KERNEL);
	KUNIT_EXPECT_EQ(test, n, free - pageblock_nr_pages);
	while (head) {
		page = (struct page *)head->private;
		__free_pages(head, 0);
		head = page;
	}
	/* Now make it CMA: unmovable allocations cannot use it, movable can. */
	move_freepages_block(blk, MIGRATE_CMA);
	KUNIT_EXPECT_EQ(test, normal()->nr_free_mt[MIGRATE_CMA], pageblock_nr_pages);
	n = take_until_fail(&head, GFP_KERNEL);
	KUNIT_EXPECT_EQ(test, n, free - pageblock_nr_pages);
	page = alloc_pages_node(A(), GFP_HIGHUSER_MOVABLE, 0);
	KUNIT_EXPECT_NOT_NULL(test, page);
	if (page)
		KUNIT_EXPECT_EQ(test, get_pageblock_migratetype(page), MIGRATE_CMA);
	if (page)
		__free_pages(page, 0);
	while (head) {
		page = (struct page *)head->private;
		__free_pages(head, 0);
		head = page;
	}
	move_freepages_block(blk, MIGRATE_MOVABLE);
	KUNIT_EXPECT_EQ(test, node_free_pages(A()), free);
}

static void holes_have_no_memmap(struct kunit *test)
{
	unsigned long hole_pfn;

	KUNIT_ASSERT_TRUE(test, arena_make(test, 3, false, true));
	hole_pfn = PHYS_PFN(virt_to_phys(arena.chunks[1]));
	/* In the kernel the hole is global memory: just not the arena's. */
	for (unsigned long pfn = hole_pfn; pfn < hole_pfn + 20; pfn += 17) {
		struct page *page = pfn_to_page(pfn);

		KUNIT_EXPECT_TRUE(test, !page || page_pgdat(page) != A());
	}
	KUNIT_EXPECT_PTR_EQ(test, page_pgdat(virt_to_page(arena.chunks[0])), A());
	KUNIT_EXPECT_EQ(test, normal()->present_pages, 2 * CHUNK_SIZE / PAGE_SIZE);
	KUNIT_EXPECT_LE(test, A()->nr_ranges, 2u);
}

/*
 * pfn_to_page over an arena's range is exact, and once the arena is
 * destroyed its pfns are not its pages any more (nothing may hand back
 * the arena's freed memmap: a lookup cache, say, that outlived it).
 */
static void destroyed_arena_pfns_are_not_its_pages(struct kunit *test)
{
	unsigned long pfn;
	struct page *page;

	KUNIT_ASSERT_TRUE(test, arena_make(test, 1, false, false));
	pfn = PHYS_PFN(virt_to_phys(arena.chunks[0]));
	page = pfn_to_page(pfn);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_PTR_EQ(test, page_pgdat(page), A());
	for (unsigned long i = 1; i < CHUNK_SIZE / PAGE_SIZE; i += 97) {
		KUNIT_EXPECT_PTR_EQ(test, pfn_to_page(pfn + i), page + i);
		KUNIT_EXPECT_EQ(test, page_to_pfn(page + i), pfn + i);
	}
	KUNIT_EXPECT_TRUE(test, buddy_check(&arena.pgdat));
	KUNIT_EXPECT_EQ(test, page_arena_destroy(&arena.pgdat), 0UL);
	memset(&arena.pgdat, 0, sizeof(arena.pgdat));
	page = pfn_to_page(pfn);
	/* On the host nothing else covers the chunk; in the kernel the
	 * global node does (the arena nested in it). */
	KUNIT_EXPECT_TRUE(test, !page || page_pgdat(page) == &contig_page_data);
}

/* A hole shorter than a pageblock is joined: its pages are reserved. */
static void small_hole_joined_and_reserved(struct kunit *test)
{
	struct mem_range r[2];
	phys_addr_t base;
	struct page *page, *head = NULL;

	arena.chunks[0] = page_alloc_test_chunk();
	KUNIT_ASSERT_NOT_NULL(test, arena.chunks[0]);
	arena.nr = 1;
	base = virt_to_phys(arena.chunks[0]);
	r[0] = (struct mem_range){ base, base + CHUNK_SIZE / 2 };
	r[1] = (struct mem_range){ base + CHUNK_SIZE / 2 + 3 * PAGE_SIZE,
				   base + CHUNK_SIZE };
	KUNIT_ASSERT_EQ(test, page_arena_init(&arena.pgdat, r, 2, 0), 0);
	page_arena_set_debug(&arena.pgdat, true);
	zone_set_watermarks(normal(), 0);
	KUNIT_EXPECT_EQ(test, A()->nr_ranges, 1u);
	page = pfn_to_page(PHYS_PFN(r[0].end) + 1);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_TRUE(test, PageReserved(page));
	take_until_fail(&head, GFP_KERNEL);
	KUNIT_EXPECT_TRUE(test, PageReserved(page));
	while (head) {
		page = (struct page *)head->private;
		__free_pages(head, 0);
		head = page;
	}
}

static void buddy_check_finds_corruption(struct kunit *test)
{
	static char buf[512];
	bool ok;

	KUNIT_ASSERT_TRUE(test, arena_make(test, 1, false, false));
	normal()->free_area[3].nr_free++;
	printk_capture_start(buf, sizeof(buf));
	ok = buddy_check(A());
	printk_capture_stop();
	normal()->free_area[3].nr_free--;
	KUNIT_EXPECT_FALSE(test, ok);
	KUNIT_EXPECT_STR_CONTAINS(test, buf, "order 3");
}

static void proc_format_reports(struct kunit *test)
{
	static char buf[4096];
	char want[160];
	int len;

	KUNIT_ASSERT_TRUE(test, arena_make(test, 1, false, false));
	printk_capture_start(buf, sizeof(buf));
	show_buddyinfo(A());
	printk_capture_stop();
	len = ksnprintf(want, sizeof(want), "Node 0, zone   Normal ");
	for (unsigned int o = 0; o < NR_PAGE_ORDERS; o++)
		len += ksnprintf(want + len, sizeof(want) - len, "%6lu ",
				 normal()->free_area[o].nr_free);
	KUNIT_EXPECT_STR_CONTAINS(test, buf, want);

	printk_capture_start(buf, sizeof(buf));
	show_meminfo(A());
	printk_capture_stop();
	ksnprintf(want, sizeof(want), "MemTotal:       %8lu kB",
		  node_managed_pages(A()) * (PAGE_SIZE / 1024));
	KUNIT_EXPECT_STR_CONTAINS(test, buf, want);
	ksnprintf(want, sizeof(want), "MemFree:        %8lu kB",
		  node_free_pages(A()) * (PAGE_SIZE / 1024));
	KUNIT_EXPECT_STR_CONTAINS(test, buf, want);
	KUNIT_EXPECT_STR_CONTAINS(test, buf, "MemAvailable:");

	printk_capture_start(buf, sizeof(buf));
	show_pagetypeinfo(A());
	printk_capture_stop();
	KUNIT_EXPECT_STR_CONTAINS(test, buf, "Page block order: 9");
	KUNIT_EXPECT_STR_CONTAINS(test, buf, "Node    0, zone   Normal, type    Unmovable");
	KUNIT_EXPECT_STR_CONTAINS(test, buf, "Number of blocks type     Unmovable      Movable");

	/* Order 0 never fails while a page is free: -1.000 first. */
	printk_capture_start(buf, sizeof(buf));
	show_extfrag(A());
	printk_capture_stop();
	KUNIT_EXPECT_STR_CONTAINS(test, buf, "unusable_index");
	KUNIT_EXPECT_STR_CONTAINS(test, buf, "Node 0, zone   Normal 0.000 ");
	KUNIT_EXPECT_STR_CONTAINS(test, buf, "Node 0, zone   Normal -1.000 ");

	printk_capture_start(buf, sizeof(buf));
	show_zoneinfo(A());
	printk_capture_stop();
	ksnprintf(want, sizeof(want), "  pages free     %lu", normal()->free_pages);
	KUNIT_EXPECT_STR_CONTAINS(test, buf, want);
	KUNIT_EXPECT_STR_CONTAINS(test, buf, "        protection: (0, 0)");
	KUNIT_EXPECT_STR_CONTAINS(test, buf, "    cpu: 0");
}

/* The fragmentation indices (Linux's debugfs extfrag/) against values
 * worked out by hand from the formulas in mm/page_alloc.h. */
static void fragmentation_indices_by_hand(struct kunit *test)
{
	static const struct {
		unsigned long nr_free[4];	/* blocks of order 0-3 */
		unsigned int order;
		int unusable, extfrag;
	} t[] = {
		{ { 0, 0, 0, 0 }, 0, 1000, 0 },		/* nothing free */
		{ { 100, 0, 0, 0 }, 0, 0, -1000 },	/* a page is free */
		/* 100 pages, none in pairs: 1 - (1 + 100/2)/100 */
		{ { 100, 0, 0, 0 }, 1, 1000, 490 },
		/* 4 pages + one block of 8: order 2 fits twice (8 of 12) */
		{ { 4, 0, 0, 1 }, 2, 333, -1000 },
		/* order 4 fits nowhere: 1 - (1 + 12/16)/5 */
		{ { 4, 0, 0, 1 }, 4, 1000, 650 },
		/* one page for an order-9 request: -1 by the formula, 0 */
		{ { 1, 0, 0, 0 }, 9, 1000, 0 },
		/* one block of 4 for an order-3 request: -500, 0 */
		{ { 0, 0, 1, 0 }, 3, 1000, 0 },
	};
	static struct zone z;

	for (unsigned int i = 0; i < ARRAY_SIZE(t); i++) {
		struct contig_page_info info;

		memset(&z, 0, sizeof(z));
		for (unsigned int o = 0; o < 4; o++)
			z.free_area[o].nr_free = t[i].nr_free[o];
		fill_contig_page_info(&z, t[i].order, &info);
		if (unusable_free_index(t[i].order, &info) != t[i].unusable ||
		    fragmentation_index(t[i].order, &info) != t[i].extfrag)
			KUNIT_FAIL(test, "row %u: unusable %d (want %d), extfrag %d (want %d)",
				   i, unusable_free_index(t[i].order, &info),
				   t[i].unusable,
				   fragmentation_index(t[i].order, &info),
				   t[i].extfrag);
	}
}

static void gfp_flags_in_words(struct kunit *test)
{
	char buf[128];

	KUNIT_EXPECT_STREQ(test, gfp_flags_str(GFP_KERNEL, buf, sizeof(buf)), "GFP_KERNEL");
	KUNIT_EXPECT_STREQ(test, gfp_flags_str(GFP_ATOMIC | __GFP_NOWARN, buf, sizeof(buf)),
			   "GFP_ATOMIC|__GFP_NOWARN");
	KUNIT_EXPECT_STREQ(test, gfp_flags_str(GFP_DMA32 | GFP_KERNEL | __GFP_ZERO, buf, sizeof(buf)),
			   "GFP_KERNEL|GFP_DMA32|__GFP_ZERO");
	KUNIT_EXPECT_STREQ(test, gfp_flags_str(0, buf, sizeof(buf)), "0");
	KUNIT_EXPECT_STREQ(test, gfp_flags_str(1u << 20, buf, sizeof(buf)), "0x100000");
}

/* The order of the smallest block holding size bytes, at the edges. */
static void get_order_edges(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, get_order(0), 0u);	/* ours; Linux: undefined */
	KUNIT_EXPECT_EQ(test, get_order(1), 0u);
	KUNIT_EXPECT_EQ(test, get_order(PAGE_SIZE - 1), 0u);
	KUNIT_EXPECT_EQ(test, get_order(PAGE_SIZE), 0u);
	KUNIT_EXPECT_EQ(test, get_order(PAGE_SIZE + 1), 1u);
	KUNIT_EXPECT_EQ(test, get_order(2 * PAGE_SIZE), 1u);
	KUNIT_EXPECT_EQ(test, get_order(2 * PAGE_SIZE + 1), 2u);
	KUNIT_EXPECT_EQ(test, get_order(4UL << 20), (unsigned int)MAX_PAGE_ORDER);
	KUNIT_EXPECT_EQ(test, get_order((4UL << 20) + 1),
			(unsigned int)MAX_PAGE_ORDER + 1);	/* above the largest */
	KUNIT_EXPECT_EQ(test, get_order(1UL << 30), 30u - PAGE_SHIFT);
	KUNIT_EXPECT_EQ(test, get_order((1UL << 40) + 1), 41u - PAGE_SHIFT);
	/* Against the definition, around every power of two up to 2^40. */
	for (unsigned int bit = 0; bit <= 40; bit++) {
		for (long d = -1; d <= 1; d++) {
			size_t size = (size_t)((1L << bit) + d);
			unsigned int order = 0;

			if (!size)
				continue;
			while ((PAGE_SIZE << order) < size)
				order++;
			if (get_order(size) != order)
				kunit_info(test, "size %#zx", size);
			KUNIT_EXPECT_EQ(test, get_order(size), order);
		}
	}
}

static struct kunit_case page_alloc_cases[] = {
	KUNIT_CASE(alloc_free_roundtrip),
	KUNIT_CASE(split_then_merge),
	KUNIT_CASE(every_order_is_aligned),
	KUNIT_CASE(exhaust_and_return_everything),
	KUNIT_CASE(gfp_zero_zeroes),
	KUNIT_CASE(zone_fallback),
	KUNIT_CASE(watermarks_and_reserves),
	KUNIT_CASE(pcp_refills_stop_at_the_watermark),
	KUNIT_CASE(failure_report_once),
	KUNIT_CASE(double_free_and_bad_order_reported),
	KUNIT_CASE(use_after_free_caught_by_poison),
	KUNIT_CASE(debug_checks_the_nodes_it_is_on_for),
	KUNIT_CASE(pcp_lists_batch_and_drain),
	KUNIT_CASE(unmovable_allocations_stay_clustered),
	KUNIT_CASE(isolate_and_cma_blocks),
	KUNIT_CASE(holes_have_no_memmap),
	KUNIT_CASE(destroyed_arena_pfns_are_not_its_pages),
	KUNIT_CASE(small_hole_joined_and_reserved),
	KUNIT_CASE(buddy_check_finds_corruption),
	KUNIT_CASE(proc_format_reports),
	KUNIT_CASE(fragmentation_indices_by_hand),
	KUNIT_CASE(gfp_flags_in_words),
	KUNIT_CASE(get_order_edges),
	{}
};

static struct kunit_suite page_alloc_suite = {
	.name = "page_alloc",
	.exit = pa_exit,
	.test_cases = page_alloc_cases,
};
kunit_test_suite(page_alloc_suite);
