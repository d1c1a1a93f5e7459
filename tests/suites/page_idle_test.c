/*
 * tests/suites/page_idle_test.c - idle page tracking (mm/page_idle.h) on
 * address spaces built on a private arena: after mm_idle_mark(), exactly
 * the pages whose accessed bit was set since (as the MMU sets it on an
 * access) or that mark_page_accessed() saw are counted accessed, the rest
 * idle; an access through another mm sharing the page (fork) counts (the
 * harvest goes through rmap); a page faulted in during the interval is
 * accessed; harvested pages carry PG_young for reclaim. Host and kernel.
 */
#include "tests/suites/test_arena.h"
#include "mm/kmalloc.h"
#include "mm/lru.h"
#include "mm/mm.h"
#include "mm/page_idle.h"
#include "mm/pgtable.h"

static struct test_arena arena;
static struct kmalloc_set ks;

static int idle_init(struct kunit *test)
{
	if (!test_arena_make(test, &arena, 0))
		return -1;
	return kmalloc_set_init(&ks, &arena.pgdat, "tidle", 0);
}

static void idle_exit(struct kunit *test)
{
	kmalloc_set_destroy(&ks);
	test_arena_done(test, &arena);
}

#define A	0x40000000UL
#define NPAGES	16
#define PRIV	(MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED)
#define RW	(PROT_READ | PROT_WRITE)

static void poke(struct mm_struct *mm, unsigned long va, uint64_t x)
{
	access_remote_vm(mm, va, &x, sizeof(x), true);
}

static int set_young_one(unsigned long va, uint64_t *entry, unsigned int level,
			 void *arg)
{
	const struct pgtable_fmt *fmt = arg;

	(void)va;
	if (level == 1 && fmt->is_present(*entry))
		*entry |= fmt->young_bit;
	return 0;
}

/* What the MMU does when a program touches va: set the accessed bit. */
static void touch(struct mm_struct *mm, unsigned long va)
{
	pgtable_walk(&mm->arch.pgt, va, PAGE_SIZE, set_young_one,
		     (void *)mm->arch.pgt.fmt);
}

static struct page *page_at(struct mm_struct *mm, unsigned long va)
{
	uint64_t pte = 0;
	phys_addr_t pa = pgtable_translate(&mm->arch.pgt, va, &pte, NULL);

	if (!mm->arch.pgt.fmt->is_present(pte))
		return NULL;
	return pfn_to_page(PHYS_PFN(pa));
}

static struct mm_struct *populated_mm(struct kunit *test)
{
	struct mm_struct *mm = mm_alloc_node(&arena.pgdat, &ks);

	if (!mm)
		return NULL;
	KUNIT_EXPECT_EQ(test, do_mmap(mm, A, NPAGES * PAGE_SIZE, RW, PRIV, 0),
			(long)A);
	for (unsigned long i = 0; i < NPAGES; i++)
		poke(mm, A + i * PAGE_SIZE, i);
	/* Fresh PTEs may be young; every page starts out "used". */
	for (unsigned long i = 0; i < NPAGES; i++)
		touch(mm, A + i * PAGE_SIZE);
	return mm;
}

/* Half the pages touched during the interval: the other half is idle,
 * exactly those. */
static void half_touched_half_idle(struct kunit *test)
{
	struct mm_struct *mm = populated_mm(test);
	struct idle_count c;

	KUNIT_ASSERT_NOT_NULL(test, mm);
	KUNIT_EXPECT_EQ(test, mm_idle_mark(mm), (unsigned long)NPAGES);
	/* Marking found every page young and left PG_young for reclaim;
	 * say reclaim has looked since (page_referenced clears it). */
	for (unsigned long i = 0; i < NPAGES; i++) {
		KUNIT_EXPECT_TRUE(test, PageYoung(page_at(mm, A + i * PAGE_SIZE)));
		ClearPageYoung(page_at(mm, A + i * PAGE_SIZE));
	}
	for (unsigned long i = 0; i < NPAGES; i += 2)
		touch(mm, A + i * PAGE_SIZE);
	mm_idle_count(mm, &c);
	KUNIT_EXPECT_EQ(test, c.anon, (unsigned long)NPAGES);
	KUNIT_EXPECT_EQ(test, c.anon_idle, (unsigned long)NPAGES / 2);
	KUNIT_EXPECT_EQ(test, c.file, 0UL);
	KUNIT_EXPECT_EQ(test, c.untracked, 0UL);
	for (unsigned long i = 0; i < NPAGES; i++) {
		struct page *page = page_at(mm, A + i * PAGE_SIZE);

		KUNIT_ASSERT_NOT_NULL(test, page);
		KUNIT_EXPECT_EQ(test, PageIdle(page), i % 2 == 1);
		/* The harvest left the access for reclaim to see. */
		KUNIT_EXPECT_EQ(test, PageYoung(page), i % 2 == 0);
	}
	/* A second interval with no access at all: everything idle. */
	KUNIT_EXPECT_EQ(test, mm_idle_mark(mm), (unsigned long)NPAGES);
	mm_idle_count(mm, &c);
	KUNIT_EXPECT_EQ(test, c.anon_idle, (unsigned long)NPAGES);
	mmput(mm);
}

/* A page shared after fork, touched through the child only: the parent's
 * count sees the access (rmap), a page nobody touched stays idle. */
static void access_through_another_mm(struct kunit *test)
{
	struct mm_struct *p = populated_mm(test), *c;
	struct idle_count n;

	KUNIT_ASSERT_NOT_NULL(test, p);
	c = dup_mm(p);
	KUNIT_ASSERT_NOT_NULL(test, c);
	mm_idle_mark(p);
	touch(c, A + 3 * PAGE_SIZE);
	mm_idle_count(p, &n);
	KUNIT_EXPECT_EQ(test, n.anon, (unsigned long)NPAGES);
	KUNIT_EXPECT_EQ(test, n.anon_idle, (unsigned long)NPAGES - 1);
	KUNIT_EXPECT_FALSE(test, PageIdle(page_at(p, A + 3 * PAGE_SIZE)));
	KUNIT_EXPECT_TRUE(test, PageIdle(page_at(p, A + 4 * PAGE_SIZE)));
	mmput(c);
	mmput(p);
}

/* mark_page_accessed (read/write system calls) counts as an access; a
 * page faulted in during the interval was accessed. */
static void other_accesses(struct kunit *test)
{
	struct mm_struct *mm = populated_mm(test);
	struct idle_count c;

	KUNIT_ASSERT_NOT_NULL(test, mm);
	KUNIT_EXPECT_EQ(test, do_mmap(mm, A + NPAGES * PAGE_SIZE, PAGE_SIZE,
				      RW, PRIV, 0),
			(long)(A + NPAGES * PAGE_SIZE));
	mm_idle_mark(mm);
	mark_page_accessed(page_at(mm, A));
	poke(mm, A + NPAGES * PAGE_SIZE, 1);	/* a new page */
	mm_idle_count(mm, &c);
	KUNIT_EXPECT_EQ(test, c.anon, (unsigned long)NPAGES + 1);
	KUNIT_EXPECT_EQ(test, c.anon_idle, (unsigned long)NPAGES - 1);
	KUNIT_EXPECT_FALSE(test, PageIdle(page_at(mm, A)));
	mmput(mm);
}

static struct kunit_case page_idle_cases[] = {
	KUNIT_CASE(half_touched_half_idle),
	KUNIT_CASE(access_through_another_mm),
	KUNIT_CASE(other_accesses),
	{}
};

static struct kunit_suite page_idle_suite = {
	.name = "page_idle",
	.init = idle_init,
	.exit = idle_exit,
	.test_cases = page_idle_cases,
};
kunit_test_suite(page_idle_suite);
