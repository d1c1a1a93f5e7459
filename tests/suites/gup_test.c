/*
 * tests/suites/gup_test.c - pinning user pages for DMA (mm/gup.h), host
 * and kernel on a private arena: a pin is a reference and a pincount,
 * migration refuses a pinned page and names the pin, unpinning lets it
 * move; a page in a CMA pageblock is moved out before it is pinned; a
 * range with a hole pins nothing.
 */
#include "tests/suites/test_arena.h"
#include "kernel/lib/string.h"
#include "mm/gup.h"
#include "mm/internal.h"	/* move_freepages_block: a CMA block */
#include "mm/kmalloc.h"
#include "mm/lru.h"
#include "mm/migrate.h"
#include "mm/mm.h"

#define A	0x40000000UL
#define RW	(PROT_READ | PROT_WRITE)
#define PRIV	(MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED)

static struct test_arena arena;
static struct kmalloc_set ks;

static int gup_init(struct kunit *test)
{
	if (!test_arena_make(test, &arena, 0))
		return -1;
	return kmalloc_set_init(&ks, &arena.pgdat, "tgup", 0);
}

static void gup_exit(struct kunit *test)
{
	kmalloc_set_destroy(&ks);
	test_arena_done(test, &arena);
}

static uint64_t peek(struct mm_struct *mm, unsigned long va)
{
	uint64_t x = 0;

	access_remote_vm(mm, va, &x, sizeof(x), false);
	return x;
}

static void poke(struct mm_struct *mm, unsigned long va, uint64_t x)
{
	access_remote_vm(mm, va, &x, sizeof(x), true);
}

static struct page *mapped(struct mm_struct *mm, unsigned long va)
{
	uint64_t pte = 0;
	phys_addr_t pa = pgtable_translate(&mm->arch.pgt, va, &pte, NULL);

	return mm->arch.pgt.fmt->is_present(pte) ? pfn_to_page(PHYS_PFN(pa))
						 : NULL;
}

static struct page *arena_page(struct page *old, unsigned long private)
{
	(void)old;
	(void)private;
	return alloc_pages_node(&arena.pgdat, GFP_HIGHUSER_MOVABLE, 0);
}

/* Move page; the result and the failure record. */
static unsigned long move(struct page *page, struct migrate_failure *f)
{
	struct list_head list = LIST_HEAD_INIT(list);
	unsigned long left;

	memset(f, 0, sizeof(*f));
	lru_add_drain_all();
	if (!isolate_movable_page(page))
		return 1;
	list_add(&page->lru, &list);
	left = migrate_pages(&list, arena_page, NULL, 0, MIGRATE_SYNC,
			     MR_SYSCALL, f);
	putback_movable_pages(&list);
	return left;
}

static struct mm_struct *mm_with(struct kunit *test, unsigned int n)
{
	struct mm_struct *mm = mm_alloc_node(&arena.pgdat, &ks);

	if (!mm || do_mmap(mm, A, n * PAGE_SIZE, RW, PRIV, 0) != (long)A) {
		KUNIT_FAIL(test, "no mm with %u pages", n);
		if (mm)
			mmput(mm);
		return NULL;
	}
	for (unsigned int i = 0; i < n; i++)
		poke(mm, A + i * PAGE_SIZE, 0x9100 + i);
	return mm;
}

static void pin_holds_the_page_in_place(struct kunit *test)
{
	struct mm_struct *mm = mm_with(test, 2);
	struct migrate_failure f;
	struct page *pages[2];
	char who[96];

	KUNIT_ASSERT_NOT_NULL(test, mm);
	KUNIT_ASSERT_EQ(test, pin_user_pages(mm, A, 2, true, pages,
					     "test dma"), 2L);
	KUNIT_EXPECT_PTR_EQ(test, pages[0], mapped(mm, A));
	KUNIT_EXPECT_PTR_EQ(test, pages[1], mapped(mm, A + PAGE_SIZE));
	KUNIT_EXPECT_EQ(test, page_pincount(pages[1]), 1);
	lru_add_drain_all();		/* the add batch's reference */
	KUNIT_EXPECT_EQ(test, page_count(pages[1]), 2);	/* PTE + pin */
	KUNIT_EXPECT_TRUE(test, page_pin_describe(pages[1], who, sizeof(who)));
	KUNIT_EXPECT_TRUE(test, strstr(who, "test dma") != NULL);

	KUNIT_EXPECT_EQ(test, move(pages[1], &f), 1UL);
	KUNIT_EXPECT_EQ(test, f.err, -EBUSY);
	KUNIT_EXPECT_STREQ(test, f.why, "pinned (pin_user_pages)");
	KUNIT_EXPECT_TRUE(test, strstr(f.pin, "test dma") != NULL);
	KUNIT_EXPECT_PTR_EQ(test, mapped(mm, A + PAGE_SIZE), pages[1]);
	KUNIT_EXPECT_EQ(test, peek(mm, A + PAGE_SIZE), 0x9101ULL);

	unpin_user_pages(pages, 2, true);
	KUNIT_EXPECT_EQ(test, page_pincount(pages[1]), 0);
	KUNIT_EXPECT_EQ(test, page_count(pages[1]), 1);
	KUNIT_EXPECT_FALSE(test, page_pin_describe(pages[1], who, sizeof(who)));
	KUNIT_EXPECT_STREQ(test, who, "not pinned");
	KUNIT_EXPECT_EQ(test, move(pages[1], &f), 0UL);
	KUNIT_EXPECT_PTR_NE(test, mapped(mm, A + PAGE_SIZE), pages[1]);
	KUNIT_EXPECT_EQ(test, peek(mm, A + PAGE_SIZE), 0x9101ULL);
	mmput(mm);
}

/* FOLL_LONGTERM's rule: a page in a CMA pageblock is moved out before it
 * is pinned, so CMA never waits for a pin. */
static void pin_moves_a_page_out_of_cma(struct kunit *test)
{
	struct mm_struct *mm = mm_with(test, 1);
	struct page *old, *pages[1];
	int mt;

	KUNIT_ASSERT_NOT_NULL(test, mm);
	old = mapped(mm, A);
	KUNIT_ASSERT_NOT_NULL(test, old);
	mt = get_pageblock_migratetype(old);
	move_freepages_block(old, MIGRATE_CMA);
	KUNIT_ASSERT_EQ(test, get_pageblock_migratetype(old), (int)MIGRATE_CMA);
	KUNIT_ASSERT_EQ(test, pin_user_pages(mm, A, 1, false, pages, "cma"), 1L);
	KUNIT_EXPECT_PTR_NE(test, pages[0], old);
	KUNIT_EXPECT_PTR_EQ(test, mapped(mm, A), pages[0]);
	KUNIT_EXPECT_NE(test, get_pageblock_migratetype(pages[0]),
			(int)MIGRATE_CMA);
	KUNIT_EXPECT_EQ(test, peek(mm, A), 0x9100ULL);
	unpin_user_pages(pages, 1, false);
	move_freepages_block(old, mt);
	mmput(mm);
}

/* A range with an unmapped page pins nothing: the pages before it are
 * let go. */
static void hole_pins_nothing(struct kunit *test)
{
	struct mm_struct *mm = mm_with(test, 1);
	struct page *pages[2], *first;

	KUNIT_ASSERT_NOT_NULL(test, mm);
	first = mapped(mm, A);
	KUNIT_EXPECT_EQ(test, pin_user_pages(mm, A, 2, false, pages, "hole"),
			(long)-EFAULT);
	KUNIT_EXPECT_EQ(test, page_pincount(first), 0);
	lru_add_drain_all();
	KUNIT_EXPECT_EQ(test, page_count(first), 1);
	KUNIT_EXPECT_EQ(test, pin_user_pages(mm, A + 1, 1, false, pages, "x"),
			(long)-EINVAL);
	mmput(mm);
}

/* fork does not share a pinned anonymous page copy-on-write: the child
 * gets a copy at once, and the parent keeps the pinned page, writable,
 * so its stores (and the device's) stay in the same frame. */
static void fork_copies_a_pinned_page(struct kunit *test)
{
	struct mm_struct *mm = mm_with(test, 2), *child;
	struct page *pages[1];

	KUNIT_ASSERT_NOT_NULL(test, mm);
	KUNIT_ASSERT_EQ(test, pin_user_pages(mm, A, 1, true, pages, "fork"), 1L);
	child = dup_mm(mm);
	KUNIT_ASSERT_NOT_NULL(test, child);
	KUNIT_EXPECT_PTR_EQ(test, mapped(mm, A), pages[0]);
	KUNIT_EXPECT_PTR_NE(test, mapped(child, A), pages[0]);
	KUNIT_EXPECT_EQ(test, peek(child, A), 0x9100ULL);
	KUNIT_EXPECT_EQ(test, page_mapcount(pages[0]), 1);
	/* The unpinned page is shared as usual. */
	KUNIT_EXPECT_PTR_EQ(test, mapped(child, A + PAGE_SIZE),
			    mapped(mm, A + PAGE_SIZE));
	poke(mm, A, 0x77);
	KUNIT_EXPECT_PTR_EQ(test, mapped(mm, A), pages[0]);
	KUNIT_EXPECT_EQ(test, *(uint64_t *)page_address(pages[0]), 0x77ULL);
	KUNIT_EXPECT_EQ(test, peek(child, A), 0x9100ULL);
	unpin_user_pages(pages, 1, true);
	mmput(child);
	mmput(mm);
}

static struct kunit_case gup_cases[] = {
	KUNIT_CASE(fork_copies_a_pinned_page),
	KUNIT_CASE(pin_holds_the_page_in_place),
	KUNIT_CASE(pin_moves_a_page_out_of_cma),
	KUNIT_CASE(hole_pins_nothing),
	{}
};

static struct kunit_suite gup_suite = {
	.name = "gup",
	.init = gup_init,
	.exit = gup_exit,
	.test_cases = gup_cases,
};
kunit_test_suite(gup_suite);
