/*
 * tests/suites/rmap_test.c - the reverse map of anonymous pages
 * (mm/rmap.h): rmap_walk visits exactly the (mm, address) pairs whose
 * PTE maps the page, through a fork tree, after COW breaks, after munmap
 * of parts and VMA splits; busy mms (a writer at work) are reported
 * (-EAGAIN), a mapper holding its lock as a reader (a fault) is not busy,
 * a caller's own locked mm is visited, a non-zero rmap_one stops the walk;
 * shared anonymous pages are found through their object. Host and
 * kernel, on a private arena.
 */
#include "tests/suites/test_arena.h"
#include "tests/suites/vfs_testfs.h"
#include "mm/shared_anon.h"
#include "mm/filemap.h"
#include "mm/kmalloc.h"
#include "mm/mm.h"
#include "mm/rmap.h"

static struct test_arena arena;
static struct kmalloc_set ks;

static int rmap_init(struct kunit *test)
{
	/* Shared anonymous objects index their pages in an xarray whose
	 * nodes are the kernel's slab: on the host, made here. */
	if (!vfs_test_ensure_mm())
		return -1;
	if (!test_arena_make(test, &arena, 0))
		return -1;
	return kmalloc_set_init(&ks, &arena.pgdat, "trmap", 0);
}

static void rmap_exit(struct kunit *test)
{
	kmalloc_set_destroy(&ks);
	test_arena_done(test, &arena);
}

#define A	0x40000000UL
#define PRIV	(MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED)
#define RW	(PROT_READ | PROT_WRITE)

struct visits {
	int n;
	struct mm_struct *mm[8];
	unsigned long addr[8];
	int stop_at;		/* return 1 at this visit (0: never) */
};

static int record(struct page *page, struct vm_area_struct *vma,
		  unsigned long address, void *arg)
{
	struct visits *v = arg;

	(void)page;
	if (v->n < 8) {
		v->mm[v->n] = vma->vm_mm;
		v->addr[v->n] = address;
	}
	v->n++;
	return v->n == v->stop_at;
}

/* The page mapped at va of mm (after faulting it in for reading). */
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

static int walk(struct page *page, struct visits *v, struct mm_struct *locked)
{
	struct rmap_walk_control rwc = { .rmap_one = record, .arg = v,
					 .locked_mm = locked };

	v->n = 0;
	return rmap_walk(page, &rwc);
}

static bool visited(struct visits *v, struct mm_struct *mm, unsigned long addr)
{
	for (int i = 0; i < v->n && i < 8; i++)
		if (v->mm[i] == mm && v->addr[i] == addr)
			return true;
	return false;
}

static void poke(struct mm_struct *mm, unsigned long va, uint64_t x)
{
	access_remote_vm(mm, va, &x, sizeof(x), true);
}

static void peek(struct mm_struct *mm, unsigned long va)
{
	uint64_t x;

	access_remote_vm(mm, va, &x, sizeof(x), false);
}

static void fork_tree_and_cow_breaks(struct kunit *test)
{
	struct mm_struct *p = mm_alloc_node(&arena.pgdat, &ks), *c1, *c2, *g;
	unsigned long va = A + PAGE_SIZE;
	struct page *page, *copy;
	struct visits v = { 0 };

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_EQ(test, do_mmap(p, A, 4 * PAGE_SIZE, RW, PRIV, 0), (long)A);
	poke(p, va, 1);
	page = page_at(p, va);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_EQ(test, walk(page, &v, NULL), 0);
	KUNIT_EXPECT_EQ(test, v.n, 1);
	KUNIT_EXPECT_TRUE(test, visited(&v, p, va));

	c1 = dup_mm(p);
	c2 = dup_mm(p);
	KUNIT_ASSERT_NOT_NULL(test, c1);
	KUNIT_ASSERT_NOT_NULL(test, c2);
	g = dup_mm(c1);
	KUNIT_ASSERT_NOT_NULL(test, g);
	KUNIT_EXPECT_EQ(test, page_mapcount(page), 4);
	KUNIT_EXPECT_EQ(test, walk(page, &v, NULL), 0);
	KUNIT_EXPECT_EQ(test, v.n, 4);
	KUNIT_EXPECT_TRUE(test, visited(&v, p, va) && visited(&v, c1, va) &&
			  visited(&v, c2, va) && visited(&v, g, va));

	/* c1 writes: it gets a copy; the original is mapped by three. */
	poke(c1, va, 2);
	copy = page_at(c1, va);
	KUNIT_ASSERT_NOT_NULL(test, copy);
	KUNIT_EXPECT_PTR_NE(test, copy, page);
	KUNIT_EXPECT_EQ(test, walk(page, &v, NULL), 0);
	KUNIT_EXPECT_EQ(test, v.n, 3);
	KUNIT_EXPECT_FALSE(test, visited(&v, c1, va));
	KUNIT_EXPECT_EQ(test, walk(copy, &v, NULL), 0);
	KUNIT_EXPECT_EQ(test, v.n, 1);
	KUNIT_EXPECT_TRUE(test, visited(&v, c1, va));

	/* munmap of part of c2's VMA (the page among it), and a split of
	 * p's VMA elsewhere: p still found at the same address. */
	KUNIT_EXPECT_EQ(test, do_munmap(c2, A, 2 * PAGE_SIZE), 0);
	KUNIT_EXPECT_EQ(test, do_mprotect(p, A + 3 * PAGE_SIZE, PAGE_SIZE, PROT_READ), 0);
	KUNIT_EXPECT_EQ(test, walk(page, &v, NULL), 0);
	KUNIT_EXPECT_EQ(test, v.n, 2);
	KUNIT_EXPECT_TRUE(test, visited(&v, p, va) && visited(&v, g, va));

	/* A busy mm is skipped and reported; the caller's own is visited. */
	mmap_write_lock(g);
	KUNIT_EXPECT_EQ(test, walk(page, &v, NULL), -EAGAIN);
	KUNIT_EXPECT_EQ(test, v.n, 1);
	KUNIT_EXPECT_EQ(test, walk(page, &v, g), 0);
	KUNIT_EXPECT_EQ(test, v.n, 2);
	mmap_write_unlock(g);
	/* page_referenced: a busy mapper with no reference seen elsewhere
	 * gives "not known" (-1); one seen elsewhere counts as it is. The
	 * first look clears the bits the walks above left. */
	{
		unsigned long flags;

		lock_page(page);
		page_referenced(page, &flags);
		mmap_write_lock(g);
		KUNIT_EXPECT_EQ(test, page_referenced(page, &flags), -1);
		peek(p, va);
		KUNIT_EXPECT_EQ(test, page_referenced(page, &flags), 1);
		mmap_write_unlock(g);
		KUNIT_EXPECT_EQ(test, page_referenced(page, &flags), 0);
		unlock_page_wake(page);
	}
	/* A mapper in a fault holds its mmap_lock as a reader: that keeps
	 * no rmap walk out (only a writer, who changes VMAs, closes the
	 * gate), so reclaim can judge and unmap the pages of a process that
	 * faults all the time. Before the gate, this was -EAGAIN and -1. */
	{
		unsigned long flags;

		lock_page(page);
		page_referenced(page, &flags);
		peek(g, va);		/* (takes g's lock itself) */
		mmap_read_lock(g);
		KUNIT_EXPECT_EQ(test, walk(page, &v, NULL), 0);
		KUNIT_EXPECT_EQ(test, v.n, 2);
		KUNIT_EXPECT_TRUE(test, visited(&v, g, va));
		/* g's use is seen, and the look clears it. */
		KUNIT_EXPECT_EQ(test, page_referenced(page, &flags), 1);
		KUNIT_EXPECT_EQ(test, page_referenced(page, &flags), 0);
		mmap_read_unlock(g);
		unlock_page_wake(page);
	}
	/* rmap_one's non-zero value stops the walk and is returned. */
	v.stop_at = 1;
	KUNIT_EXPECT_EQ(test, walk(page, &v, NULL), 1);
	KUNIT_EXPECT_EQ(test, v.n, 1);
	v.stop_at = 0;

	mmput(g);
	mmput(p);
	/* Only c1's copy is left, mapped once. */
	KUNIT_EXPECT_EQ(test, walk(copy, &v, NULL), 0);
	KUNIT_EXPECT_EQ(test, v.n, 1);
	mmput(c1);
	mmput(c2);
}

/* A page of a shared anonymous mapping is not anonymous: rmap finds its
 * PTEs through its object's mapping (mm/shared_anon.h), in every process
 * that maps it, wherever each maps it; after munmap in one, only the
 * other. */
static void shared_pages_are_found_through_their_object(struct kunit *test)
{
	struct mm_struct *p = mm_alloc_node(&arena.pgdat, &ks), *c;
	struct visits v = { 0 };
	struct page *page;

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_EQ(test, do_mmap(p, A, 4 * PAGE_SIZE, RW,
				      MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, 0), (long)A);
	poke(p, A + 2 * PAGE_SIZE, 1);
	page = page_at(p, A + 2 * PAGE_SIZE);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_FALSE(test, PageAnon(page));
	KUNIT_EXPECT_TRUE(test, page_is_shared_anon(page));
	KUNIT_EXPECT_EQ(test, page->index, 2UL);
	c = dup_mm(p);
	KUNIT_ASSERT_NOT_NULL(test, c);
	/* The child maps the same page by its own fault, and splits its
	 * VMA (mprotect of the first page): the upper half still maps it. */
	KUNIT_EXPECT_EQ(test, do_mprotect(c, A, PAGE_SIZE, PROT_READ), 0);
	KUNIT_EXPECT_PTR_EQ(test, page_at(c, A + 2 * PAGE_SIZE), page);
	KUNIT_EXPECT_EQ(test, walk(page, &v, NULL), 0);
	KUNIT_EXPECT_EQ(test, v.n, 2);
	KUNIT_EXPECT_TRUE(test, visited(&v, p, A + 2 * PAGE_SIZE));
	KUNIT_EXPECT_TRUE(test, visited(&v, c, A + 2 * PAGE_SIZE));
	KUNIT_EXPECT_EQ(test, do_munmap(p, A, 4 * PAGE_SIZE), 0);
	KUNIT_EXPECT_EQ(test, walk(page, &v, NULL), 0);
	KUNIT_EXPECT_EQ(test, v.n, 1);
	KUNIT_EXPECT_TRUE(test, visited(&v, c, A + 2 * PAGE_SIZE));
	mmput(c);
	mmput(p);
}

static struct kunit_case rmap_cases[] = {
	KUNIT_CASE(fork_tree_and_cow_breaks),
	KUNIT_CASE(shared_pages_are_found_through_their_object),
	{}
};

static struct kunit_suite rmap_suite = {
	.name = "rmap",
	.init = rmap_init,
	.exit = rmap_exit,
	.test_cases = rmap_cases,
};
kunit_test_suite(rmap_suite);
