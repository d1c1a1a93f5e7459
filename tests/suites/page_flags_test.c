/*
 * tests/suites/page_flags_test.c - struct page for owners: the flag
 * helpers, ->mapping and _mapcount, the owner fields allocation hands
 * out clear, and the state checks page_alloc.debug=on makes at free and
 * at allocation (Linux's PAGE_FLAGS_CHECK_AT_FREE). Runs on the host and
 * in the kernel, on a private arena made from page_alloc_test_chunk().
 */
#include "kernel/kunit.h"
#include "kernel/lib/string.h"
#include "mm/internal.h"

#define CHUNK_SIZE	(4UL << 20)

void *page_alloc_test_chunk(void);
void page_alloc_test_chunk_free(void *chunk);

static struct {
	pg_data_t pgdat;
	void *chunk;
} arena;

/*
 * One chunk, one ZONE_NORMAL, no watermarks; per-CPU lists on (LIFO) so a
 * page freed is the next one allocated.
 */
static int pf_init(struct kunit *test)
{
	struct mem_range r;
	struct zone *zone;

	arena.chunk = page_alloc_test_chunk();
	if (!arena.chunk) {
		kunit_info(test, "no memory for the arena");
		return -1;
	}
	r.start = virt_to_phys(arena.chunk);
	r.end = r.start + CHUNK_SIZE;
	if (page_arena_init(&arena.pgdat, &r, 1, 0) < 0)
		return -1;
	page_arena_set_debug(&arena.pgdat, true);	/* poison, check */
	for_each_populated_zone_in(zone, &arena.pgdat) {
		zone_set_watermarks(zone, 0);
		zone_set_pcp(zone, 16, 4);
	}
	return 0;
}

/* Every case ends here: lists consistent, nothing leaked. */
static void pf_exit(struct kunit *test)
{
	if (arena.pgdat.nr_ranges) {
		KUNIT_EXPECT_TRUE(test, buddy_check(&arena.pgdat));
		KUNIT_EXPECT_EQ(test, page_arena_destroy(&arena.pgdat), 0UL);
	}
	if (arena.chunk)
		page_alloc_test_chunk_free(arena.chunk);
	arena.chunk = NULL;
	memset(&arena.pgdat, 0, sizeof(arena.pgdat));
}

static struct page *get(unsigned int order)
{
	return alloc_pages_node(&arena.pgdat, GFP_KERNEL, order);
}

/* Owner flags and allocator flags never overlap; the word is a long. */
static void layout(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, sizeof(struct page), 64UL);
	KUNIT_EXPECT_EQ(test, sizeof(((struct page *)0)->flags),
			sizeof(unsigned long));
	KUNIT_EXPECT_TRUE(test, NR_PAGEFLAGS <= 8 * (int)sizeof(unsigned long));
	KUNIT_EXPECT_EQ(test, PAGE_FLAGS_OWNER & PG_mt_mask, 0UL);
	KUNIT_EXPECT_EQ(test, PAGE_FLAGS_OWNER & (1UL << PG_reserved), 0UL);
	KUNIT_EXPECT_EQ(test, PAGE_FLAGS_CHECK_AT_FREE & PG_mt_mask, 0UL);
}

/* Each helper touches its own bit only, and Test* return the old value. */
static void flag_helpers(struct kunit *test)
{
	struct page *page = get(0);
	unsigned long before;

	KUNIT_ASSERT_NOT_NULL(test, page);
	before = page->flags;
	KUNIT_EXPECT_EQ(test, before & PAGE_FLAGS_OWNER, 0UL);

	KUNIT_EXPECT_FALSE(test, PageDirty(page));
	KUNIT_EXPECT_FALSE(test, TestSetPageDirty(page));
	KUNIT_EXPECT_TRUE(test, PageDirty(page));
	KUNIT_EXPECT_TRUE(test, TestSetPageDirty(page));
	KUNIT_EXPECT_EQ(test, page->flags, before | (1UL << PG_dirty));
	KUNIT_EXPECT_TRUE(test, TestClearPageDirty(page));
	KUNIT_EXPECT_FALSE(test, TestClearPageDirty(page));
	SetPageDirty(page);
	ClearPageDirty(page);
	KUNIT_EXPECT_EQ(test, page->flags, before);

	SetPageWriteback(page);
	SetPageLRU(page);
	SetPageActive(page);
	SetPageReferenced(page);
	SetPageSwapBacked(page);
	SetPageSwapCache(page);
	SetPageUnevictable(page);
	KUNIT_EXPECT_EQ(test, page->flags,
			before | (1UL << PG_writeback) | (1UL << PG_lru) |
			(1UL << PG_active) | (1UL << PG_referenced) |
			(1UL << PG_swapbacked) | (1UL << PG_swapcache) |
			(1UL << PG_unevictable));
	KUNIT_EXPECT_TRUE(test, PageWriteback(page) && PageLRU(page) &&
			  PageActive(page) && PageReferenced(page) &&
			  PageSwapBacked(page) && PageSwapCache(page) &&
			  PageUnevictable(page));
	KUNIT_EXPECT_FALSE(test, PageDirty(page) || PageLocked(page) ||
			   PageUptodate(page));
	ClearPageWriteback(page);
	ClearPageLRU(page);
	ClearPageActive(page);
	ClearPageUnevictable(page);
	KUNIT_EXPECT_FALSE(test, PageWriteback(page) || PageLRU(page) ||
			   PageActive(page) || PageUnevictable(page));

	KUNIT_EXPECT_TRUE(test, trylock_page(page));
	KUNIT_EXPECT_TRUE(test, PageLocked(page));
	KUNIT_EXPECT_FALSE(test, trylock_page(page));	/* held */
	unlock_page(page);
	KUNIT_EXPECT_FALSE(test, PageLocked(page));
	__SetPageLocked(page);
	KUNIT_EXPECT_TRUE(test, PageLocked(page));
	__ClearPageLocked(page);

	SetPageUptodate(page);
	KUNIT_EXPECT_TRUE(test, PageUptodate(page));
	ClearPageUptodate(page);
	KUNIT_EXPECT_FALSE(test, PageUptodate(page));
	/* referenced, swapbacked, swapcache may stay: allocation clears them */
	__free_pages(page, 0);
}

/* ->mapping says file, anonymous or neither; _mapcount -1 is unmapped. */
static void mapping_and_mapcount(struct kunit *test)
{
	static long file_mapping, anon_vma;	/* stand-ins, 8-byte aligned */
	struct page *page = get(0);

	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_NULL(test, page->mapping);
	KUNIT_EXPECT_FALSE(test, PageAnon(page));
	KUNIT_EXPECT_NULL(test, page_mapping(page));
	KUNIT_EXPECT_EQ(test, page->_mapcount, -1);
	KUNIT_EXPECT_EQ(test, page_mapcount(page), 0);
	KUNIT_EXPECT_FALSE(test, page_mapped(page));

	page->mapping = (struct address_space *)&file_mapping;
	page->index = 7;
	KUNIT_EXPECT_FALSE(test, PageAnon(page));
	KUNIT_EXPECT_PTR_EQ(test, (void *)page_mapping(page),
			    (void *)&file_mapping);
	KUNIT_EXPECT_PTR_EQ(test, page_rmapping(page), (void *)&file_mapping);

	page->mapping = (struct address_space *)
			((unsigned long)&anon_vma | PAGE_MAPPING_ANON);
	KUNIT_EXPECT_TRUE(test, PageAnon(page));
	KUNIT_EXPECT_NULL(test, page_mapping(page));
	KUNIT_EXPECT_PTR_EQ(test, page_rmapping(page), (void *)&anon_vma);

	page->_mapcount++;			/* mapped once */
	KUNIT_EXPECT_EQ(test, page_mapcount(page), 1);
	KUNIT_EXPECT_TRUE(test, page_mapped(page));
	page->_mapcount++;			/* and shared */
	KUNIT_EXPECT_EQ(test, page_mapcount(page), 2);
	page_mapcount_reset(page);
	KUNIT_EXPECT_FALSE(test, page_mapped(page));

	page->mapping = NULL;
	__free_pages(page, 0);
}

/*
 * Owner state the free checks allow (referenced, uptodate, swapbacked,
 * swapcache, index, private) is gone when the page is allocated again.
 */
static void allocation_hands_out_clear_fields(struct kunit *test)
{
	struct page *page = get(0), *again;
	int mt;

	KUNIT_ASSERT_NOT_NULL(test, page);
	mt = (int)((page->flags & PG_mt_mask) >> PG_mt_shift);
	SetPageReferenced(page);
	SetPageUptodate(page);
	SetPageSwapBacked(page);
	SetPageSwapCache(page);
	page->index = 42;
	page->private = 0x1234;
	__free_pages(page, 0);

	again = get(0);
	KUNIT_ASSERT_PTR_EQ(test, again, page);	/* per-CPU lists are LIFO */
	KUNIT_EXPECT_EQ(test, page->flags & ~PG_mt_mask, 0UL);
	KUNIT_EXPECT_EQ(test, (int)((page->flags & PG_mt_mask) >> PG_mt_shift),
			mt);
	KUNIT_EXPECT_NULL(test, page->mapping);
	KUNIT_EXPECT_EQ(test, page->index, 0UL);
	KUNIT_EXPECT_EQ(test, page->private, 0UL);
	KUNIT_EXPECT_EQ(test, page->_mapcount, -1);
	KUNIT_EXPECT_EQ(test, page_count(page), 1);
	__free_pages(page, 0);
}

enum state { S_LOCKED, S_DIRTY, S_WRITEBACK, S_LRU, S_ACTIVE, S_UNEVICTABLE,
	     S_SLAB, S_MAPPED, S_FILE, S_ANON, NR_STATES };

static const char *const state_reason[NR_STATES] = {
	[S_LOCKED] = "page still locked (PG_locked)",
	[S_DIRTY] = "page still dirty (PG_dirty)",
	[S_WRITEBACK] = "page still under writeback (PG_writeback)",
	[S_LRU] = "page still on an LRU list (PG_lru)",
	[S_ACTIVE] = "page still marked active (PG_active)",
	[S_UNEVICTABLE] = "page still marked unevictable (PG_unevictable)",
	[S_SLAB] = "page still owned by slab (PG_slab)",
	[S_MAPPED] = "nonzero mapcount",
	[S_FILE] = "non-NULL mapping",
	[S_ANON] = "non-NULL mapping",
};

static long stand_in;	/* a mapping or anon_vma that is never used */

/* Give page the owner state s; undo() takes it away again. */
static void set_state(struct page *page, enum state s, bool undo)
{
	switch (s) {
	case S_LOCKED:
		if (undo)
			unlock_page(page);
		else
			__SetPageLocked(page);
		break;
	case S_DIRTY:
		undo ? ClearPageDirty(page) : SetPageDirty(page);
		break;
	case S_WRITEBACK:
		undo ? ClearPageWriteback(page) : SetPageWriteback(page);
		break;
	case S_LRU:
		undo ? ClearPageLRU(page) : SetPageLRU(page);
		break;
	case S_ACTIVE:
		undo ? ClearPageActive(page) : SetPageActive(page);
		break;
	case S_UNEVICTABLE:
		undo ? ClearPageUnevictable(page) : SetPageUnevictable(page);
		break;
	case S_SLAB:
		undo ? __ClearPageSlab(page) : __SetPageSlab(page);
		break;
	case S_MAPPED:
		if (undo)
			page_mapcount_reset(page);
		else
			page->_mapcount = 0;	/* mapped once */
		break;
	case S_FILE:
		page->mapping = undo ? NULL : (struct address_space *)&stand_in;
		break;
	case S_ANON:
		page->mapping = undo ? NULL : (struct address_space *)
			((unsigned long)&stand_in | PAGE_MAPPING_ANON);
		break;
	default:
		break;
	}
}

/*
 * Freeing a page that still has owner state is a bad page report naming
 * the state; the page is left allocated (refcount 1), and freeing it
 * once the state is gone works.
 */
static void free_with_owner_state_reported(struct kunit *test)
{
	static char buf[2048];

	for (int s = 0; s < NR_STATES; s++) {
		struct page *page = get(0);
		unsigned long bad = arena.pgdat.nr_bad_pages;

		KUNIT_ASSERT_NOT_NULL(test, page);
		set_state(page, (enum state)s, false);
		printk_capture_start(buf, sizeof(buf));
		__free_pages(page, 0);
		printk_capture_stop();
		KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "Bad page state"));
		KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "freeing a page with owner state"));
		if (!strstr(buf, state_reason[s]))
			kunit_info(test, "state %d: no \"%s\" in the report",
				   s, state_reason[s]);
		KUNIT_EXPECT_NOT_NULL(test, strstr(buf, state_reason[s]));
		KUNIT_EXPECT_EQ(test, arena.pgdat.nr_bad_pages, bad + 1);
		KUNIT_EXPECT_EQ(test, page_count(page), 1);	/* left alone */
		set_state(page, (enum state)s, true);
		__free_pages(page, 0);				/* now fine */
		KUNIT_EXPECT_EQ(test, arena.pgdat.nr_bad_pages, bad + 1);
	}
	kunit_expect_reports(test, DIAG_BAD_PAGE, NR_STATES);
}

/* Tail pages are checked too; a shared page only on its last put. */
static void tail_pages_and_last_reference(struct kunit *test)
{
	static char buf[2048];
	struct page *block = get(2), *page = get(0);

	KUNIT_ASSERT_NOT_NULL(test, block);
	KUNIT_ASSERT_NOT_NULL(test, page);
	SetPageDirty(&block[3]);
	printk_capture_start(buf, sizeof(buf));
	__free_pages(block, 2);
	printk_capture_stop();
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "a tail page of the block"));
	KUNIT_EXPECT_EQ(test, page_count(block), 1);
	ClearPageDirty(&block[3]);
	__free_pages(block, 2);

	get_page(page);				/* a second holder */
	SetPageLRU(page);
	__free_pages(page, 0);			/* not the last: no check */
	KUNIT_EXPECT_EQ(test, arena.pgdat.nr_bad_pages, 1UL);
	printk_capture_start(buf, sizeof(buf));
	__free_pages(page, 0);			/* the last */
	printk_capture_stop();
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "page still on an LRU list"));
	KUNIT_EXPECT_EQ(test, arena.pgdat.nr_bad_pages, 2UL);
	KUNIT_EXPECT_EQ(test, page_count(page), 1);
	ClearPageLRU(page);
	__free_pages(page, 0);
	kunit_expect_reports(test, DIAG_BAD_PAGE, 2);
}

/*
 * Owner state that appears on a free page (a write through a stale
 * pointer) is reported when the page is allocated, and the page is still
 * handed out clear.
 */
static void owner_state_on_free_page_reported_at_alloc(struct kunit *test)
{
	static char buf[2048];
	struct page *page = get(0), *again;

	KUNIT_ASSERT_NOT_NULL(test, page);
	__free_pages(page, 0);
	SetPageDirty(page);			/* the bug: page is free */
	page->mapping = (struct address_space *)&stand_in;
	page->index = 3;
	page->_mapcount = 0;
	printk_capture_start(buf, sizeof(buf));
	again = get(0);
	printk_capture_stop();
	KUNIT_ASSERT_PTR_EQ(test, again, page);
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "allocating a page with owner state"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "PG_dirty"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "flags:"));
	KUNIT_EXPECT_FALSE(test, PageDirty(page));	/* handed out clear */
	KUNIT_EXPECT_NULL(test, page->mapping);
	KUNIT_EXPECT_EQ(test, page->index, 0UL);
	KUNIT_EXPECT_EQ(test, page->_mapcount, -1);
	KUNIT_EXPECT_EQ(test, arena.pgdat.nr_bad_pages, 1UL);	/* one report */
	kunit_expect_reports(test, DIAG_BAD_PAGE, 1);
	__free_pages(page, 0);
}

static struct kunit_case page_flags_cases[] = {
	KUNIT_CASE(layout),
	KUNIT_CASE(flag_helpers),
	KUNIT_CASE(mapping_and_mapcount),
	KUNIT_CASE(allocation_hands_out_clear_fields),
	KUNIT_CASE(free_with_owner_state_reported),
	KUNIT_CASE(tail_pages_and_last_reference),
	KUNIT_CASE(owner_state_on_free_page_reported_at_alloc),
	{}
};

static struct kunit_suite page_flags_suite = {
	.name = "page_flags",
	.init = pf_init,
	.exit = pf_exit,
	.test_cases = page_flags_cases,
};
kunit_test_suite(page_flags_suite);
