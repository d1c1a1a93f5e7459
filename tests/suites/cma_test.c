/*
 * tests/suites/cma_test.c - pageblock isolation, alloc_contig_range and
 * CMA regions (mm/page_isolation.h, mm/cma.h) on a private arena: one
 * 4 MiB chunk, two pageblocks, the first holding the arena's memmap, the
 * second wholly free (the region or the range under test). Runs on the
 * host and in the kernel. Every case ends with every page back
 * (test_arena_done) and the free lists consistent (buddy_check).
 *
 * The cases that lend the region to an address space's anonymous pages
 * take it back with page migration (mm/migrate.c); pin_user_pages
 * (mm/gup.c) moves what it pins out of the region first.
 */
#include "tests/suites/test_arena.h"
#include "kernel/errno.h"
#include "mm/cma.h"
#include "mm/dma-mapping.h"
#include "kernel/device.h"
#include "drivers/iommu/test_iommu.h"
#include "drivers/iommu/iommu.h"
#include "mm/filemap.h"
#include "mm/gup.h"
#include "mm/internal.h"
#include "mm/kmalloc.h"
#include "mm/mm.h"
#include "mm/page_isolation.h"
#include "mm/vmstat.h"
#include "tests/suites/memstore.h"

static struct test_arena arena;

/* The arena's second pageblock: wholly free after test_arena_make. */
static unsigned long block1(void)
{
	return PHYS_PFN(virt_to_phys(arena.chunk)) + pageblock_nr_pages;
}

static struct zone *arena_zone(void)
{
	return page_zone(pfn_to_page(block1()));
}

struct free_snapshot {
	unsigned long mt[MIGRATE_TYPES];
	unsigned long order[NR_PAGE_ORDERS];
};

static void snapshot(struct free_snapshot *s)
{
	struct zone *zone = arena_zone();

	for (int mt = 0; mt < MIGRATE_TYPES; mt++)
		s->mt[mt] = zone->nr_free_mt[mt];
	for (unsigned int o = 0; o < NR_PAGE_ORDERS; o++)
		s->order[o] = zone->free_area[o].nr_free;
}

static void expect_snapshot(struct kunit *test, const struct free_snapshot *s)
{
	struct free_snapshot now;

	snapshot(&now);
	for (int mt = 0; mt < MIGRATE_TYPES; mt++)
		KUNIT_EXPECT_EQ(test, now.mt[mt], s->mt[mt]);
	for (unsigned int o = 0; o < NR_PAGE_ORDERS; o++)
		KUNIT_EXPECT_EQ(test, now.order[o], s->order[o]);
}

static void set_page_mt(struct page *page, int mt)
{
	page->flags = (page->flags & ~PG_mt_mask) |
		      ((unsigned long)mt << PG_mt_shift);
}

static int iso_init(struct kunit *test)
{
	return test_arena_make(test, &arena, 0) ? 0 : -1;
}

static void iso_exit(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, buddy_check(&arena.pgdat));
	test_arena_done(test, &arena);
}

/* ================================================================ isolation */

static void isolate_and_undo_restore_free_counts(struct kunit *test)
{
	unsigned long b = block1(), bad = 0;
	struct free_snapshot before;
	struct page *p;

	snapshot(&before);
	KUNIT_ASSERT_EQ(test, start_isolate_page_range(b, b + pageblock_nr_pages,
						       MIGRATE_MOVABLE), 0);
	KUNIT_EXPECT_EQ(test, get_pageblock_migratetype(pfn_to_page(b)),
			MIGRATE_ISOLATE);
	KUNIT_EXPECT_EQ(test, arena_zone()->nr_free_mt[MIGRATE_ISOLATE],
			pageblock_nr_pages);
	KUNIT_EXPECT_EQ(test, arena_zone()->nr_free_mt[MIGRATE_MOVABLE],
			before.mt[MIGRATE_MOVABLE] - pageblock_nr_pages);
	KUNIT_EXPECT_EQ(test, test_pages_isolated(b, b + pageblock_nr_pages, &bad), 0);
	KUNIT_EXPECT_TRUE(test, buddy_check(&arena.pgdat));

	/* Nobody allocates from an isolated block. */
	p = alloc_pages_node(&arena.pgdat, GFP_HIGHUSER_MOVABLE, 0);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_TRUE(test, page_to_pfn(p) < b || page_to_pfn(p) >= b + pageblock_nr_pages);
	__free_page(p);
	KUNIT_EXPECT_NULL(test, alloc_pages_node(&arena.pgdat,
				GFP_HIGHUSER_MOVABLE | __GFP_NOWARN, pageblock_order));

	/* Isolating it again fails: someone else holds it. */
	KUNIT_EXPECT_EQ(test, start_isolate_page_range(b, b + 1, MIGRATE_MOVABLE),
			-EBUSY);
	undo_isolate_page_range(b, b + pageblock_nr_pages, MIGRATE_MOVABLE);
	KUNIT_EXPECT_EQ(test, get_pageblock_migratetype(pfn_to_page(b)),
			MIGRATE_MOVABLE);
	expect_snapshot(test, &before);
	KUNIT_EXPECT_EQ(test, start_isolate_page_range(b, b, MIGRATE_MOVABLE),
			-EINVAL);
}

/*
 * Pages freed into an isolated block go to the isolate lists, never to a
 * per-CPU list (from where they could be allocated again).
 */
static void freed_page_stays_isolated(struct kunit *test)
{
	unsigned long b = block1(), bad = 0;
	struct page *pages[600];
	unsigned int n = 0, in_block = 0;
	struct free_snapshot before;

	zone_set_pcp(arena_zone(), 64, 8);
	snapshot(&before);
	/* Movable order-0 pages until some come from the free block. */
	while (n < ARRAY_SIZE(pages) && in_block < 8) {
		struct page *p = alloc_pages_node(&arena.pgdat,
						  GFP_HIGHUSER_MOVABLE, 0);

		KUNIT_ASSERT_NOT_NULL(test, p);
		pages[n++] = p;
		if (page_to_pfn(p) >= b && page_to_pfn(p) < b + pageblock_nr_pages)
			in_block++;
	}
	KUNIT_ASSERT_EQ(test, in_block, 8U);
	KUNIT_ASSERT_EQ(test, start_isolate_page_range(b, b + pageblock_nr_pages,
						       MIGRATE_MOVABLE), 0);
	KUNIT_EXPECT_EQ(test, test_pages_isolated(b, b + pageblock_nr_pages, &bad),
			-EBUSY);
	KUNIT_EXPECT_TRUE(test, bad >= b && bad < b + pageblock_nr_pages);
	for (unsigned int i = 0; i < n; i++)
		__free_page(pages[i]);
	/* Before any drain: the block's pages all reached the isolate lists. */
	KUNIT_EXPECT_EQ(test, arena_zone()->nr_free_mt[MIGRATE_ISOLATE],
			pageblock_nr_pages);
	KUNIT_EXPECT_EQ(test, test_pages_isolated(b, b + pageblock_nr_pages, NULL), 0);
	KUNIT_EXPECT_TRUE(test, buddy_check(&arena.pgdat));
	undo_isolate_page_range(b, b + pageblock_nr_pages, MIGRATE_MOVABLE);
	drain_all_pages(arena_zone());
	zone_set_pcp(arena_zone(), 0, 1);
	expect_snapshot(test, &before);
}

/* A block with a page that cannot move is refused, and nothing changes. */
static void unmovable_page_refuses_isolation(struct kunit *test)
{
	unsigned long b = block1(), bad = 0;
	struct free_snapshot before;
	struct page *p;

	p = alloc_pages_node(&arena.pgdat, GFP_HIGHUSER_MOVABLE, pageblock_order);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_EQ(test, page_to_pfn(p), b);
	/* A movable block holding a movable page: fine. */
	KUNIT_EXPECT_EQ(test, start_isolate_page_range(b, b + 1, MIGRATE_MOVABLE), 0);
	undo_isolate_page_range(b, b + 1, MIGRATE_MOVABLE);
	/* As if it had been allocated without __GFP_MOVABLE. */
	set_page_mt(p, MIGRATE_UNMOVABLE);
	snapshot(&before);
	KUNIT_EXPECT_EQ(test, __start_isolate_page_range(b, b + pageblock_nr_pages,
							 MIGRATE_MOVABLE, &bad),
			-EBUSY);
	KUNIT_EXPECT_EQ(test, bad, b);
	KUNIT_EXPECT_EQ(test, get_pageblock_migratetype(p), MIGRATE_MOVABLE);
	expect_snapshot(test, &before);
	/* The block with the arena's memmap (reserved pages) too. */
	KUNIT_EXPECT_EQ(test, start_isolate_page_range(b - pageblock_nr_pages, b,
						       MIGRATE_MOVABLE), -EBUSY);
	expect_snapshot(test, &before);
	set_page_mt(p, MIGRATE_MOVABLE);
	__free_pages(p, pageblock_order);
}

/* ================================================================ contig */

static void contig_range_taken_and_freed(struct kunit *test)
{
	unsigned long b = block1(), start = b + 3, end = b + 300;
	unsigned long free = node_free_pages(&arena.pgdat);
	struct migrate_failure why;
	struct free_snapshot before;

	snapshot(&before);
	KUNIT_ASSERT_EQ(test, alloc_contig_range(start, end, MIGRATE_MOVABLE, &why), 0);
	KUNIT_EXPECT_EQ(test, why.pfn, 0UL);
	KUNIT_EXPECT_EQ(test, node_free_pages(&arena.pgdat), free - (end - start));
	for (unsigned long pfn = start; pfn < end; pfn++) {
		struct page *p = pfn_to_page(pfn);

		KUNIT_EXPECT_EQ(test, page_count(p), 1);
		KUNIT_EXPECT_FALSE(test, PageBuddy(p));
		KUNIT_EXPECT_EQ(test, (unsigned int)p->order, 0U);
	}
	/* The neighbours stay free; nothing is left isolated. */
	KUNIT_EXPECT_EQ(test, get_pageblock_migratetype(pfn_to_page(b)),
			MIGRATE_MOVABLE);
	KUNIT_EXPECT_EQ(test, arena_zone()->nr_free_mt[MIGRATE_ISOLATE], 0UL);
	KUNIT_EXPECT_TRUE(test, buddy_check(&arena.pgdat));
	memset(page_address(pfn_to_page(start)), 0x5a, PAGE_SIZE);
	free_contig_range(start, end - start);
	expect_snapshot(test, &before);
}

static void contig_range_with_unmovable_page_fails_cleanly(struct kunit *test)
{
	unsigned long b = block1();
	struct migrate_failure why;
	struct free_snapshot before;

	/* One page in the middle, made "unmovable". */
	KUNIT_ASSERT_EQ(test, alloc_contig_range(b + 100, b + 101, MIGRATE_MOVABLE,
						 NULL), 0);
	set_page_mt(pfn_to_page(b + 100), MIGRATE_UNMOVABLE);
	snapshot(&before);
	KUNIT_EXPECT_EQ(test, alloc_contig_range(b, b + 200, MIGRATE_MOVABLE, &why),
			-EBUSY);
	KUNIT_EXPECT_EQ(test, why.pfn, b + 100);
	KUNIT_EXPECT_EQ(test, why.err, -EBUSY);
	KUNIT_EXPECT_NOT_NULL(test, why.why);
	expect_snapshot(test, &before);
	set_page_mt(pfn_to_page(b + 100), MIGRATE_MOVABLE);
	free_contig_range(b + 100, 1);
}

static struct kunit_case isolation_cases[] = {
	KUNIT_CASE(isolate_and_undo_restore_free_counts),
	KUNIT_CASE(freed_page_stays_isolated),
	KUNIT_CASE(unmovable_page_refuses_isolation),
	KUNIT_CASE(contig_range_taken_and_freed),
	KUNIT_CASE(contig_range_with_unmovable_page_fails_cleanly),
	{}
};

static struct kunit_suite isolation_suite = {
	.name = "page_isolation",
	.init = iso_init,
	.exit = iso_exit,
	.test_cases = isolation_cases,
};
kunit_test_suite(isolation_suite);

/* ================================================================ cma */

static struct cma cma;
static unsigned long cma_bitmap[pageblock_nr_pages / (8 * sizeof(long))];

static int cma_test_init(struct kunit *test)
{
	if (iso_init(test))
		return -1;
	return cma_init_arena_region(&cma, "test", block1(), pageblock_nr_pages,
				     0, cma_bitmap);
}

static void cma_test_exit(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, cma.allocated, 0UL);
	cma_destroy_arena_region(&cma);
	KUNIT_EXPECT_EQ(test, get_pageblock_migratetype(pfn_to_page(block1())),
			MIGRATE_MOVABLE);
	iso_exit(test);
}

static bool in_region(const struct page *p)
{
	unsigned long pfn = page_to_pfn(p);

	return pfn >= cma.base_pfn && pfn < cma.base_pfn + cma.count;
}

static void all_free_region_allocated_and_released(struct kunit *test)
{
	unsigned long free = node_free_pages(&arena.pgdat);
	unsigned long ok = global_vm_event(CMA_ALLOC_SUCCESS);
	unsigned long fail = global_vm_event(CMA_ALLOC_FAIL);
	struct page *p, *q;

	KUNIT_EXPECT_EQ(test, get_pageblock_migratetype(pfn_to_page(cma.base_pfn)),
			MIGRATE_CMA);
	KUNIT_EXPECT_EQ(test, arena_zone()->nr_free_mt[MIGRATE_CMA],
			pageblock_nr_pages);
	KUNIT_EXPECT_EQ(test, cma_lent_pages(&cma), 0UL);
	p = cma_alloc(&cma, cma.count, 0);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, page_to_pfn(p), cma.base_pfn);
	KUNIT_EXPECT_EQ(test, cma.allocated, cma.count);
	KUNIT_EXPECT_EQ(test, node_free_pages(&arena.pgdat), free - cma.count);
	for (unsigned long i = 0; i < cma.count; i++)
		KUNIT_EXPECT_EQ(test, page_count(p + i), 1);
	memset(page_address(p), 0xc3, cma.count * PAGE_SIZE);
	/* Full: the next one fails, and says so. */
	KUNIT_EXPECT_NULL(test, cma_alloc(&cma, 1, 0));
	KUNIT_EXPECT_EQ(test, cma.last_err, -ENOMEM);
	KUNIT_EXPECT_EQ(test, global_vm_event(CMA_ALLOC_SUCCESS), ok + 1);
	KUNIT_EXPECT_EQ(test, global_vm_event(CMA_ALLOC_FAIL), fail + 1);
	/* Releasing what was not allocated, or outside the region: refused. */
	KUNIT_EXPECT_FALSE(test, cma_release(&cma, p, cma.count + 1));
	KUNIT_EXPECT_TRUE(test, cma_release(&cma, p, cma.count));
	KUNIT_EXPECT_FALSE(test, cma_release(&cma, p, 1));
	KUNIT_EXPECT_EQ(test, node_free_pages(&arena.pgdat), free);
	KUNIT_EXPECT_EQ(test, arena_zone()->nr_free_mt[MIGRATE_CMA],
			pageblock_nr_pages);

	/* Aligned runs, first fit. */
	p = cma_alloc(&cma, 3, 0);
	q = cma_alloc(&cma, 64, 6);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_NOT_NULL(test, q);
	KUNIT_EXPECT_EQ(test, page_to_pfn(p), cma.base_pfn);
	KUNIT_EXPECT_EQ(test, page_to_pfn(q), cma.base_pfn + 64);
	KUNIT_EXPECT_TRUE(test, cma_release(&cma, p, 3));
	KUNIT_EXPECT_TRUE(test, cma_release(&cma, q, 64));
	KUNIT_EXPECT_TRUE(test, buddy_check(&arena.pgdat));
}

/*
 * A pinned page in the region: the run holding it fails at once with
 * -EBUSY and the pin named; cma_alloc moves on to the next aligned run;
 * the whole region is had once the pin and the page are gone.
 */
static void pinned_page_fails_fast_then_next_run(struct kunit *test)
{
	struct page *pinned, *p;
	unsigned long off;

	pinned = alloc_pages_node(&arena.pgdat, GFP_HIGHUSER_MOVABLE, 0);
	KUNIT_ASSERT_NOT_NULL(test, pinned);
	if (!in_region(pinned)) {
		__free_page(pinned);
		kunit_skip(test, "the movable page did not come from CMA");
	}
	off = page_to_pfn(pinned) - cma.base_pfn;
	__atomic_store_n(&pinned->_pincount, 1, __ATOMIC_RELEASE);
	KUNIT_EXPECT_EQ(test, cma_lent_pages(&cma), 1UL);

	KUNIT_EXPECT_NULL(test, cma_alloc(&cma, cma.count, 0));
	KUNIT_EXPECT_EQ(test, cma.last_err, -EBUSY);
	KUNIT_EXPECT_EQ(test, cma.last_failure.pfn, page_to_pfn(pinned));
	KUNIT_EXPECT_EQ(test, cma.last_failure.pincount, 1);
	KUNIT_EXPECT_STREQ(test, cma.last_failure.why, "pinned");
	KUNIT_EXPECT_EQ(test, cma.allocated, 0UL);

	/* The next 64-aligned run past the pinned page. */
	p = cma_alloc(&cma, 64, 6);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, page_to_pfn(p),
			cma.base_pfn + ALIGN_UP(off + 1, 64UL));
	KUNIT_EXPECT_TRUE(test, cma_release(&cma, p, 64));

	__atomic_store_n(&pinned->_pincount, 0, __ATOMIC_RELEASE);
	__free_page(pinned);
	p = cma_alloc(&cma, cma.count, 0);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_TRUE(test, cma_release(&cma, p, cma.count));
}

/* ---- lent to anonymous pages: needs page migration (mm/migrate.c) ---- */

#define VA	0x40000000UL
#define NPAGES	64

static struct kmalloc_set ks;

static uint64_t pattern(unsigned long i)
{
	return 0x9e3779b97f4a7c15ULL * (i + 1);
}

static struct page *page_at(struct mm_struct *mm, unsigned long va)
{
	uint64_t pte = 0, x;
	phys_addr_t pa;

	access_remote_vm(mm, va, &x, sizeof(x), false);
	pa = pgtable_translate(&mm->arch.pgt, va, &pte, NULL);
	if (!mm->arch.pgt.fmt->is_present(pte))
		return NULL;
	return pfn_to_page(PHYS_PFN(pa));
}

/* An address space on the arena whose NPAGES anonymous pages hold
 * pattern(i); how many of them the region lends. */
static struct mm_struct *lend_to_anon(struct kunit *test, unsigned int *lent)
{
	struct mm_struct *mm;

	*lent = 0;
	if (kmalloc_set_init(&ks, &arena.pgdat, "tcma", 0))
		return NULL;
	mm = mm_alloc_node(&arena.pgdat, &ks);
	if (!mm)
		return NULL;
	if (do_mmap(mm, VA, NPAGES * PAGE_SIZE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, 0) != (long)VA) {
		mmput(mm);
		return NULL;
	}
	for (unsigned long i = 0; i < NPAGES; i++) {
		uint64_t x = pattern(i);
		struct page *p;

		access_remote_vm(mm, VA + i * PAGE_SIZE, &x, sizeof(x), true);
		p = page_at(mm, VA + i * PAGE_SIZE);
		if (p && in_region(p))
			(*lent)++;
	}
	(void)test;
	return mm;
}

/* Every page still holds its pattern, and none is in the region. */
static void expect_patterns_outside(struct kunit *test, struct mm_struct *mm)
{
	for (unsigned long i = 0; i < NPAGES; i++) {
		uint64_t x = 0;
		struct page *p;

		access_remote_vm(mm, VA + i * PAGE_SIZE, &x, sizeof(x), false);
		KUNIT_EXPECT_EQ(test, x, pattern(i));
		p = page_at(mm, VA + i * PAGE_SIZE);
		KUNIT_EXPECT_TRUE(test, p && !in_region(p));
	}
}

static void lent_region_taken_back(struct kunit *test)
{
	unsigned int lent;
	struct mm_struct *mm = lend_to_anon(test, &lent);
	struct page *p;

	KUNIT_ASSERT_NOT_NULL(test, mm);
	KUNIT_EXPECT_GT(test, lent, 0U);
	KUNIT_EXPECT_GT(test, cma_lent_pages(&cma), 0UL);
	p = cma_alloc(&cma, cma.count, 0);
	KUNIT_EXPECT_NOT_NULL(test, p);
	if (p) {
		KUNIT_EXPECT_EQ(test, cma_lent_pages(&cma), 0UL);
		expect_patterns_outside(test, mm);
		KUNIT_EXPECT_TRUE(test, cma_release(&cma, p, cma.count));
	}
	mmput(mm);
	kmalloc_set_destroy(&ks);
}

static void pinned_anon_page_then_unpinned(struct kunit *test)
{
	unsigned int lent;
	struct mm_struct *mm = lend_to_anon(test, &lent);
	struct page *pinned = NULL, *p;

	KUNIT_ASSERT_NOT_NULL(test, mm);
	for (unsigned long i = 0; i < NPAGES && !pinned; i++) {
		p = page_at(mm, VA + i * PAGE_SIZE);
		if (p && in_region(p))
			pinned = p;
	}
	if (!pinned) {
		mmput(mm);
		kmalloc_set_destroy(&ks);
		kunit_skip(test, "no anonymous page came from CMA");
	}
	/* A pin is a reference too (pin_user_pages). */
	get_page(pinned);
	__atomic_store_n(&pinned->_pincount, 1, __ATOMIC_RELEASE);
	KUNIT_EXPECT_NULL(test, cma_alloc(&cma, cma.count, 0));
	KUNIT_EXPECT_EQ(test, cma.last_err, -EBUSY);
	KUNIT_EXPECT_EQ(test, cma.last_failure.pfn, page_to_pfn(pinned));
	KUNIT_EXPECT_STREQ(test, cma.last_failure.why, "pinned");
	KUNIT_EXPECT_TRUE(test, cma.last_failure.anon);
	/* Set behind pin_user_pages' back: the report says so. */
	KUNIT_EXPECT_STR_CONTAINS(test, cma.last_failure.pin, "unrecorded");

	__atomic_store_n(&pinned->_pincount, 0, __ATOMIC_RELEASE);
	put_page(pinned);
	p = cma_alloc(&cma, cma.count, 0);
	KUNIT_EXPECT_NOT_NULL(test, p);
	if (p) {
		expect_patterns_outside(test, mm);
		KUNIT_EXPECT_TRUE(test, cma_release(&cma, p, cma.count));
	}
	mmput(mm);
	kmalloc_set_destroy(&ks);
}

/*
 * A real pin (pin_user_pages, Linux's FOLL_LONGTERM rule) never stays in
 * the region: the pinned pages move out first, so the region can be
 * taken while the pin holds; a pin set behind gup's back is named in
 * the report by who pinned it.
 */
static void long_term_pins_leave_the_region(struct kunit *test)
{
	unsigned int lent;
	struct mm_struct *mm = lend_to_anon(test, &lent);
	struct page *pinned[NPAGES], *p;

	KUNIT_ASSERT_NOT_NULL(test, mm);
	KUNIT_EXPECT_GT(test, lent, 0U);
	KUNIT_ASSERT_EQ(test, pin_user_pages(mm, VA, NPAGES, true, pinned,
					     "cma test DMA"), (long)NPAGES);
	for (unsigned long i = 0; i < NPAGES; i++)
		KUNIT_EXPECT_FALSE(test, in_region(pinned[i]));
	p = cma_alloc(&cma, cma.count, 0);
	KUNIT_EXPECT_NOT_NULL(test, p);
	if (p)
		KUNIT_EXPECT_TRUE(test, cma_release(&cma, p, cma.count));
	unpin_user_pages(pinned, NPAGES, true);
	expect_patterns_outside(test, mm);
	mmput(mm);
	kmalloc_set_destroy(&ks);
}

/* ---- lent to the page cache: clean and dirty pages move ---- */

#define FPAGES	32

static struct memstore ms;
static unsigned char store[FPAGES * PAGE_SIZE];
static unsigned char wbuf[FPAGES * PAGE_SIZE], rbuf[FPAGES * PAGE_SIZE];

static void page_cache_lent_and_taken_back(struct kunit *test)
{
	const size_t bytes = sizeof(wbuf);
	unsigned long dirty0, written0, lent = 0;
	bool was_dirty[FPAGES];
	struct file f;
	loff_t pos = 0;
	struct page *p;

	memstore_init(&ms, store, bytes, &arena.pgdat, false);
	/* The store's a_ops migrate (filemap_migrate_folio): movable. */
	mapping_set_gfp_mask(&ms.mapping, GFP_HIGHUSER_MOVABLE);
	memstore_file(&ms, &f);
	for (size_t i = 0; i < bytes; i++)
		wbuf[i] = (unsigned char)(i * 31 + (i >> 12));
	KUNIT_ASSERT_EQ(test, generic_perform_write(&f, (const char *)wbuf,
						    bytes, &pos), (ssize_t)bytes);
	/* The first half written back (clean), the rest left dirty. */
	KUNIT_EXPECT_EQ(test, filemap_write_and_wait_range(&ms.mapping, 0,
							   bytes / 2 - 1), 0);
	for (pgoff_t i = 0; i < FPAGES; i++) {
		struct page *page = find_get_page(&ms.mapping, i);

		KUNIT_ASSERT_NOT_NULL(test, page);
		lent += in_region(page);
		put_page(page);
	}
	KUNIT_EXPECT_GT(test, lent, 0UL);
	/* In the kernel the flusher may write some back meanwhile: a page
	 * dirty before may be clean after only if it was being written (or
	 * was written); the store's contents at the end catch a lost dirty
	 * bit anyway. A clean page never becomes dirty. The written count
	 * is taken before the dirty bits are: a write finishing between the
	 * two made a dirty page clean unseen (failed once on
	 * x86_64-direct-debug, "0 of 32 pages dirty"). */
	written0 = node_page_state_snapshot(&arena.pgdat, NR_WRITTEN);
	for (pgoff_t i = 0; i < FPAGES; i++) {
		struct page *page = find_get_page(&ms.mapping, i);

		was_dirty[i] = page && PageDirty(page);
		if (page)
			put_page(page);
	}
	dirty0 = node_page_state_snapshot(&arena.pgdat, NR_FILE_DIRTY);

	p = cma_alloc(&cma, cma.count, 0);
	KUNIT_EXPECT_NOT_NULL(test, p);
	for (pgoff_t i = 0; i < FPAGES; i++) {
		struct page *page = find_get_page(&ms.mapping, i);
		bool written;

		KUNIT_ASSERT_NOT_NULL(test, page);
		KUNIT_EXPECT_FALSE(test, p && in_region(page));
		written = PageWriteback(page) || PageLocked(page) ||
			  node_page_state_snapshot(&arena.pgdat, NR_WRITTEN) != written0;
		/* Dirty pages move dirty; clean ones stay clean. */
		if (was_dirty[i] && !written)
			KUNIT_EXPECT_TRUE(test, PageDirty(page));
		if (!was_dirty[i])
			KUNIT_EXPECT_FALSE(test, PageDirty(page));
		put_page(page);
	}
	kunit_info(test, "%lu of %d pages dirty when the region was taken",
		   dirty0, FPAGES);
	pos = 0;
	KUNIT_EXPECT_EQ(test, filemap_read(&f, (char *)rbuf, bytes, &pos),
			(ssize_t)bytes);
	KUNIT_EXPECT_EQ(test, memcmp(rbuf, wbuf, bytes), 0);
	if (p)
		KUNIT_EXPECT_TRUE(test, cma_release(&cma, p, cma.count));
	/* Written back whole after the move: the store has every byte. */
	KUNIT_EXPECT_EQ(test, filemap_write_and_wait(&ms.mapping), 0);
	KUNIT_EXPECT_EQ(test, memcmp(store, wbuf, bytes), 0);
	truncate_inode_pages(&ms.mapping, 0);
	memstore_complete(&ms);
	memstore_destroy(&ms);
}

/*
 * dma_alloc_coherent takes large buffers (64 KiB and up) from the
 * device's region (direct DMA here: the device reaches it), zeroed, and
 * gives them back there; a smaller buffer, an atomic caller and a device
 * whose mask stops below the region get the buddy allocator's memory.
 */
static void dma_coherent_buffers_from_the_region(struct kunit *test)
{
	struct device dev;
	dma_addr_t h, h1;
	uint8_t *va, *one;
	bool zero = true;

	dma_device_init(&dev, "cmadev");
	dev.dma_mask = dev.coherent_dma_mask = DMA_BIT_MASK(64);
	dev.node = &arena.pgdat;
	dev.cma_area = &cma;
	va = dma_alloc_coherent(&dev, 64 * 1024, &h, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, va);
	KUNIT_EXPECT_TRUE(test, in_region(virt_to_page(va)));
	KUNIT_EXPECT_EQ(test, (unsigned long long)h,
			(unsigned long long)virt_to_phys(va));
	KUNIT_EXPECT_EQ(test, h & (64 * 1024 - 1), 0ULL);	/* aligned */
	KUNIT_EXPECT_EQ(test, cma.allocated, 16UL);
	for (int i = 0; i < 64 * 1024; i++)
		zero &= va[i] == 0;
	KUNIT_EXPECT_TRUE(test, zero);
	one = dma_alloc_coherent(&dev, 32 * 1024, &h1, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, one);
	KUNIT_EXPECT_FALSE(test, in_region(virt_to_page(one)));
	dma_free_coherent(&dev, 32 * 1024, one, h1);
	dma_free_coherent(&dev, 64 * 1024, va, h);
	KUNIT_EXPECT_EQ(test, cma.allocated, 0UL);

	/* May not sleep: no migration, the buddy allocator. */
	va = dma_alloc_coherent(&dev, 64 * 1024, &h, GFP_ATOMIC);
	KUNIT_ASSERT_NOT_NULL(test, va);
	KUNIT_EXPECT_FALSE(test, in_region(virt_to_page(va)));
	dma_free_coherent(&dev, 64 * 1024, va, h);
	/* A device that cannot reach the region's end. */
	dev.coherent_dma_mask = PFN_PHYS(cma.base_pfn + cma.count) - 2;
	va = dma_alloc_coherent(&dev, 64 * 1024, &h, GFP_KERNEL);
	if (va) {
		KUNIT_EXPECT_FALSE(test, in_region(virt_to_page(va)));
		dma_free_coherent(&dev, 64 * 1024, va, h);
	}
	KUNIT_EXPECT_EQ(test, cma.allocated, 0UL);
}

/* Behind an IOMMU (the test unit, drivers/iommu/test_iommu.h): the
 * buffer comes from the region too, the device sees an IOVA that the
 * unit translates to it, and it goes back at the free. */
static void dma_coherent_behind_an_iommu(struct kunit *test)
{
	struct iommu_domain *d = test_iommu_domain_alloc(&arena.pgdat, 48);
	struct device dev;
	dma_addr_t h;
	uint8_t *va;
	char got[4];

	KUNIT_ASSERT_NOT_NULL(test, d);
	dma_device_init(&dev, "cmaiommu");
	dev.node = &arena.pgdat;
	dev.cma_area = &cma;
	KUNIT_ASSERT_EQ(test, iommu_attach_device(d, &dev), 0);
	dma_set_mask_and_coherent(&dev, DMA_BIT_MASK(64));
	va = dma_alloc_coherent(&dev, 128 * 1024, &h, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, va);
	KUNIT_EXPECT_TRUE(test, in_region(virt_to_page(va)));
	KUNIT_EXPECT_EQ(test, cma.allocated, 32UL);
	KUNIT_EXPECT_EQ(test, d->ops->iova_to_phys(d, (unsigned long)h + 4096),
			(phys_addr_t)virt_to_phys(va + 4096));
	memcpy(va + 4096, "cma", 4);
	KUNIT_EXPECT_EQ(test, test_iommu_dma_read(d, &dev, h + 4096, got, 4), 0);
	KUNIT_EXPECT_EQ(test, memcmp(got, "cma", 4), 0);
	dma_free_coherent(&dev, 128 * 1024, va, h);
	KUNIT_EXPECT_EQ(test, cma.allocated, 0UL);
	iommu_detach_device(d, &dev);
	test_iommu_domain_free(d);
}

static struct kunit_case cma_cases[] = {
	KUNIT_CASE(dma_coherent_buffers_from_the_region),
	KUNIT_CASE(dma_coherent_behind_an_iommu),
	KUNIT_CASE(all_free_region_allocated_and_released),
	KUNIT_CASE(pinned_page_fails_fast_then_next_run),
	KUNIT_CASE(lent_region_taken_back),
	KUNIT_CASE(pinned_anon_page_then_unpinned),
	KUNIT_CASE(long_term_pins_leave_the_region),
	KUNIT_CASE(page_cache_lent_and_taken_back),
	{}
};

static struct kunit_suite cma_suite = {
	.name = "cma",
	.init = cma_test_init,
	.exit = cma_test_exit,
	.test_cases = cma_cases,
};
kunit_test_suite(cma_suite);
