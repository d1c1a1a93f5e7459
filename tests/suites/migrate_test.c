/*
 * tests/suites/migrate_test.c - page migration (mm/migrate.h) on a
 * private arena, host and kernel: anonymous pages (one mapper, a fork
 * family, after a COW break), page-cache pages (clean and mapped by two
 * processes, dirty through a shared mapping, under writeback), what stops
 * a move (an extra reference, a pin, a busy mm, no new page) and that a
 * stopped move leaves every PTE, count and byte as it was; a mapper's own
 * held lock (direct compaction from a fault); migrate_pages' list, retry
 * and counter contract. Each case checks the PTEs map the new frame, the
 * old frame went back to the allocator, the counts (mapcount, refcount,
 * rss, the node's) are the same as before, and every byte is.
 * Swap-cache pages are moved in the swap suite (it has the swap device).
 */
#include "tests/suites/test_arena.h"
#include "tests/suites/memstore.h"
#include "kernel/file.h"
#include "kernel/wait.h"
#include "kernel/lib/string.h"
#include "mm/filemap.h"
#include "mm/kmalloc.h"
#include "mm/lru.h"
#include "mm/migrate.h"
#include "mm/mm.h"
#include "mm/rmap.h"
#include "mm/vm_internal.h"
#include "mm/vmstat.h"

#define A	0x40000000UL
#define B	0x50000000UL
#define RW	(PROT_READ | PROT_WRITE)
#define PRIV	(MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED)
#define FPAGES	4

static struct test_arena arena;
static struct kmalloc_set ks;
static struct memstore ms;
static unsigned char ms_data[FPAGES * PAGE_SIZE];
static struct file ms_f;

static const struct file_operations ms_fops = { .mmap = generic_file_mmap };

static int mig_init(struct kunit *test)
{
	if (!test_arena_make(test, &arena, 0))
		return -1;
	if (kmalloc_set_init(&ks, &arena.pgdat, "tmig", 0))
		return -1;
	memstore_init(&ms, ms_data, sizeof(ms_data), &arena.pgdat, false);
	ms.mapping.size = sizeof(ms_data);
	for (unsigned int i = 0; i < sizeof(ms_data); i++)
		ms_data[i] = (unsigned char)('A' + i / PAGE_SIZE);
	memstore_file(&ms, &ms_f);
	ms_f.f_op = &ms_fops;
	return 0;
}

static void mig_exit(struct kunit *test)
{
	truncate_inode_pages(&ms.mapping, 0);
	KUNIT_EXPECT_EQ(test, ms.mapping.nrpages, 0UL);
	memstore_destroy(&ms);
	kmalloc_set_destroy(&ks);
	test_arena_done(test, &arena);	/* every page came back */
}

/* ---------------------------------------------------------------- helpers */

static uint64_t val(unsigned int i, unsigned int gen)
{
	return 0x316a7e000000ULL + ((uint64_t)gen << 16) + i;
}

static bool poke(struct mm_struct *mm, unsigned long va, uint64_t x)
{
	return access_remote_vm(mm, va, &x, sizeof(x), true) == sizeof(x);
}

static uint64_t peek(struct mm_struct *mm, unsigned long va)
{
	uint64_t x = 0;

	access_remote_vm(mm, va, &x, sizeof(x), false);
	return x;
}

/* The page the PTE at va maps (NULL: none), and its prot. */
static struct page *mapped(struct mm_struct *mm, unsigned long va,
			   unsigned int *prot)
{
	const struct pgtable_fmt *fmt = mm->arch.pgt.fmt;
	uint64_t pte = 0;
	phys_addr_t pa = pgtable_translate(&mm->arch.pgt, va, &pte, NULL);

	if (!fmt->is_present(pte))
		return NULL;
	if (prot)
		*prot = fmt->attrs_to_prot(fmt->leaf_attrs(pte));
	return pfn_to_page(PHYS_PFN(pa));
}

static struct mm_struct *anon_mm(struct kunit *test, unsigned int n)
{
	struct mm_struct *mm = mm_alloc_node(&arena.pgdat, &ks);

	if (!mm)
		return NULL;
	if (do_mmap(mm, A, n * PAGE_SIZE, RW, PRIV, 0) != (long)A) {
		mmput(mm);
		return NULL;
	}
	for (unsigned int i = 0; i < n; i++)
		if (!poke(mm, A + i * PAGE_SIZE, val(i, 0)))
			KUNIT_FAIL(test, "store to page %u failed", i);
	return mm;
}

static struct page *new_page(struct page *old, unsigned long private)
{
	(void)old;
	(void)private;
	return alloc_pages_node(&arena.pgdat, GFP_HIGHUSER_MOVABLE |
				__GFP_NOWARN, 0);
}

static struct page *no_page(struct page *old, unsigned long private)
{
	(void)old;
	(void)private;
	return NULL;
}

/* Is the frame back in the allocator (nobody holds it)? */
static bool freed(struct page *page)
{
	return page_count(page) == 0;
}

/* Move page (isolated here) to a new page; its result. */
static int move(struct kunit *test, struct page *page, enum migrate_mode mode,
		struct migrate_failure *f, struct page **newp)
{
	struct page *new = new_page(page, 0);
	int err;

	if (!new) {
		KUNIT_FAIL(test, "no page to move to");
		return -ENOMEM;
	}
	lru_add_drain_all();		/* a new page waits in a batch */
	if (!isolate_movable_page(page)) {
		__free_page(new);
		KUNIT_FAIL(test, "page %#lx could not be isolated",
			   page_to_pfn(page));
		return -EINVAL;
	}
	memset(f, 0, sizeof(*f));
	err = migrate_one_page(page, new, mode, f);
	if (err) {
		struct list_head back = LIST_HEAD_INIT(back);

		__free_page(new);
		list_add(&page->lru, &back);
		putback_movable_pages(&back);
		new = NULL;
	}
	if (newp)
		*newp = new;
	return err;
}

/* ---------------------------------------------------------------- anonymous */

/* One process's page moves: its PTE maps the new frame with the same
 * protection, the bytes are there, stores keep working without a copy,
 * the old frame is free, and the counts did not move. */
static void anon_page_moves(struct kunit *test)
{
	struct mm_struct *mm = anon_mm(test, 4);
	unsigned long va = A + PAGE_SIZE;
	unsigned long anon0 = node_page_state(&arena.pgdat, NR_ANON_MAPPED);
	unsigned long iso0 = node_page_state(&arena.pgdat, NR_ISOLATED_ANON);
	struct migrate_failure f;
	struct page *old, *new;
	unsigned int prot0 = 0, prot = 0;

	KUNIT_ASSERT_NOT_NULL(test, mm);
	old = mapped(mm, va, &prot0);
	KUNIT_ASSERT_NOT_NULL(test, old);
	lru_add_drain_all();
	KUNIT_ASSERT_EQ(test, move(test, old, MIGRATE_SYNC, &f, &new), 0);
	KUNIT_EXPECT_EQ(test, f.err, 0);
	KUNIT_EXPECT_PTR_EQ(test, mapped(mm, va, &prot), new);
	KUNIT_EXPECT_EQ(test, prot, prot0);
	KUNIT_EXPECT_TRUE(test, freed(old));
	KUNIT_EXPECT_EQ(test, page_mapcount(new), 1);
	KUNIT_EXPECT_EQ(test, page_count(new), 1);	/* the PTE's */
	KUNIT_EXPECT_TRUE(test, PageAnon(new) && PageLRU(new));
	KUNIT_EXPECT_EQ(test, new->index, linear_page_index(find_vma(mm, va), va));
	KUNIT_EXPECT_EQ(test, mm->rss[MM_ANONPAGES], 4L);
	KUNIT_EXPECT_EQ(test, node_page_state(&arena.pgdat, NR_ANON_MAPPED),
			anon0);
	KUNIT_EXPECT_EQ(test, node_page_state(&arena.pgdat, NR_ISOLATED_ANON),
			iso0);
	for (unsigned int i = 0; i < 4; i++)
		KUNIT_EXPECT_EQ(test, peek(mm, A + i * PAGE_SIZE), val(i, 0));
	/* Still writable in place: a store does not copy it. */
	KUNIT_EXPECT_TRUE(test, poke(mm, va, val(1, 1)));
	KUNIT_EXPECT_PTR_EQ(test, mapped(mm, va, NULL), new);
	KUNIT_EXPECT_EQ(test, peek(mm, va), val(1, 1));
	mmput(mm);
}

/* A page three processes share after fork moves once: every PTE maps the
 * new frame (read-only, as COW wants); a write then copies for the writer
 * alone. */
static void anon_fork_family_moves(struct kunit *test)
{
	struct mm_struct *p = anon_mm(test, 2), *c1, *c2;
	struct migrate_failure f;
	struct page *old, *new;

	KUNIT_ASSERT_NOT_NULL(test, p);
	c1 = dup_mm(p);
	c2 = dup_mm(p);
	KUNIT_ASSERT_NOT_NULL(test, c1);
	KUNIT_ASSERT_NOT_NULL(test, c2);
	old = mapped(p, A, NULL);
	KUNIT_ASSERT_NOT_NULL(test, old);
	KUNIT_EXPECT_EQ(test, page_mapcount(old), 3);
	KUNIT_ASSERT_EQ(test, move(test, old, MIGRATE_SYNC, &f, &new), 0);
	KUNIT_EXPECT_TRUE(test, freed(old));
	KUNIT_EXPECT_PTR_EQ(test, mapped(p, A, NULL), new);
	KUNIT_EXPECT_PTR_EQ(test, mapped(c1, A, NULL), new);
	KUNIT_EXPECT_PTR_EQ(test, mapped(c2, A, NULL), new);
	KUNIT_EXPECT_EQ(test, page_mapcount(new), 3);
	KUNIT_EXPECT_EQ(test, page_count(new), 3);
	KUNIT_EXPECT_EQ(test, peek(c2, A), val(0, 0));
	/* c1 writes: its own copy; the others keep the moved page. */
	KUNIT_EXPECT_TRUE(test, poke(c1, A, val(0, 5)));
	KUNIT_EXPECT_PTR_NE(test, mapped(c1, A, NULL), new);
	KUNIT_EXPECT_EQ(test, page_mapcount(new), 2);
	KUNIT_EXPECT_EQ(test, peek(p, A), val(0, 0));
	KUNIT_EXPECT_EQ(test, peek(c1, A), val(0, 5));
	KUNIT_EXPECT_EQ(test, peek(c2, A), val(0, 0));
	mmput(c2);
	mmput(c1);
	mmput(p);
}

/* After a COW break the parent's page and the child's copy are two pages
 * of one anon_vma: moving one leaves the other where it is. */
static void anon_after_cow_break(struct kunit *test)
{
	struct mm_struct *p = anon_mm(test, 1), *c;
	struct migrate_failure f;
	struct page *orig, *copy, *new;

	KUNIT_ASSERT_NOT_NULL(test, p);
	c = dup_mm(p);
	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_EXPECT_TRUE(test, poke(c, A, val(0, 9)));
	orig = mapped(p, A, NULL);
	copy = mapped(c, A, NULL);
	KUNIT_ASSERT_TRUE(test, orig && copy && orig != copy);
	KUNIT_ASSERT_EQ(test, move(test, copy, MIGRATE_SYNC, &f, &new), 0);
	KUNIT_EXPECT_PTR_EQ(test, mapped(c, A, NULL), new);
	KUNIT_EXPECT_PTR_EQ(test, mapped(p, A, NULL), orig);
	KUNIT_EXPECT_EQ(test, page_mapcount(orig), 1);
	KUNIT_EXPECT_EQ(test, peek(c, A), val(0, 9));
	KUNIT_EXPECT_EQ(test, peek(p, A), val(0, 0));
	mmput(c);
	mmput(p);
}

/* ---------------------------------------------------------------- what stops it */

/* Someone else holds a reference (a get_user_pages-like user, a read in
 * flight): the move stops with -EAGAIN, naming it, and every PTE, count
 * and byte is as before; once the reference goes it moves. */
static void extra_reference_stops_the_move(struct kunit *test)
{
	struct mm_struct *p = anon_mm(test, 1), *c;
	struct migrate_failure f;
	struct page *old, *new;
	unsigned int prot0 = 0, prot = 0;

	KUNIT_ASSERT_NOT_NULL(test, p);
	c = dup_mm(p);
	KUNIT_ASSERT_NOT_NULL(test, c);
	old = mapped(p, A, &prot0);
	get_page(old);
	KUNIT_EXPECT_EQ(test, move(test, old, MIGRATE_ASYNC, &f, &new), -EAGAIN);
	KUNIT_EXPECT_EQ(test, f.err, -EAGAIN);
	KUNIT_EXPECT_EQ(test, f.pfn, page_to_pfn(old));
	KUNIT_EXPECT_STREQ(test, f.why, "extra reference");
	KUNIT_EXPECT_EQ(test, f.refcount, 2);
	KUNIT_EXPECT_EQ(test, f.expected, 1);
	KUNIT_EXPECT_TRUE(test, f.anon);
	KUNIT_EXPECT_PTR_EQ(test, mapped(p, A, &prot), old);
	KUNIT_EXPECT_EQ(test, prot, prot0);
	KUNIT_EXPECT_PTR_EQ(test, mapped(c, A, NULL), old);
	KUNIT_EXPECT_EQ(test, page_mapcount(old), 2);
	KUNIT_EXPECT_EQ(test, page_count(old), 3);	/* 2 PTEs + ours */
	KUNIT_EXPECT_TRUE(test, PageLRU(old));
	KUNIT_EXPECT_EQ(test, peek(c, A), val(0, 0));
	put_page(old);
	KUNIT_EXPECT_EQ(test, move(test, old, MIGRATE_ASYNC, &f, &new), 0);
	KUNIT_EXPECT_PTR_EQ(test, mapped(c, A, NULL), new);
	mmput(c);
	mmput(p);
}

/* A pinned page (DMA into user memory) is not moved: -EBUSY saying so,
 * PTEs back; unpinned, it moves. */
static void pinned_page_stays(struct kunit *test)
{
	struct mm_struct *mm = anon_mm(test, 1);
	struct migrate_failure f;
	struct page *old, *new;

	KUNIT_ASSERT_NOT_NULL(test, mm);
	old = mapped(mm, A, NULL);
	get_page(old);			/* what a pin holds: a reference */
	__atomic_add_fetch(&old->_pincount, 1, __ATOMIC_RELEASE);
	KUNIT_EXPECT_EQ(test, move(test, old, MIGRATE_SYNC, &f, &new), -EBUSY);
	KUNIT_EXPECT_STREQ(test, f.why, "pinned (pin_user_pages)");
	KUNIT_EXPECT_EQ(test, f.pincount, 1);
	KUNIT_EXPECT_PTR_EQ(test, mapped(mm, A, NULL), old);
	KUNIT_EXPECT_EQ(test, peek(mm, A), val(0, 0));
	__atomic_sub_fetch(&old->_pincount, 1, __ATOMIC_RELEASE);
	put_page(old);
	KUNIT_EXPECT_EQ(test, move(test, old, MIGRATE_SYNC, &f, &new), 0);
	KUNIT_EXPECT_PTR_EQ(test, mapped(mm, A, NULL), new);
	mmput(mm);
}

/* A mapper's lock held by someone else: MIGRATE_ASYNC gives up at once
 * without touching the PTE. The mapper's lock held by the migrator
 * itself (current_locked_mm: compaction from inside a fault) is not
 * taken again: the move goes through. */
static void busy_and_own_mm_locks(struct kunit *test)
{
	struct mm_struct *mm = anon_mm(test, 1);
	struct mm_struct *prev = current_locked_mm();
	struct migrate_failure f;
	struct page *old, *new;

	KUNIT_ASSERT_NOT_NULL(test, mm);
	old = mapped(mm, A, NULL);
	mmap_read_lock(mm);		/* "another thread" holds it */
	KUNIT_EXPECT_EQ(test, move(test, old, MIGRATE_ASYNC, &f, &new), -EAGAIN);
	KUNIT_EXPECT_STREQ(test, f.why, "a mapping process is busy");
	KUNIT_EXPECT_PTR_EQ(test, mapped(mm, A, NULL), old);
	/* Now it is ours, as in a fault. */
	set_current_locked_mm(mm);
	KUNIT_EXPECT_EQ(test, move(test, old, MIGRATE_ASYNC, &f, &new), 0);
	KUNIT_EXPECT_PTR_EQ(test, mapped(mm, A, NULL), new);
	set_current_locked_mm(prev);
	mmap_read_unlock(mm);
	KUNIT_EXPECT_EQ(test, peek(mm, A), val(0, 0));
	mmput(mm);
}

/* ---------------------------------------------------------------- page cache */

static long map_file(struct mm_struct *mm, unsigned long addr, int flags)
{
	return do_mmap_file(mm, &ms_f, addr, FPAGES * PAGE_SIZE, RW,
			    flags | MAP_FIXED, 0);
}

/* A clean page-cache page mapped shared by two processes and privately
 * by a third moves: the index holds the new page, every PTE maps it, the
 * counts of the node and the mapping are unchanged. */
static void file_page_mapped_by_three_moves(struct kunit *test)
{
	struct mm_struct *a = mm_alloc_node(&arena.pgdat, &ks);
	struct mm_struct *b = mm_alloc_node(&arena.pgdat, &ks);
	struct mm_struct *c = mm_alloc_node(&arena.pgdat, &ks);
	unsigned long file0, mapped0, nrpages0;
	struct migrate_failure f;
	struct page *old, *new, *found;
	unsigned char x = 0;

	KUNIT_ASSERT_TRUE(test, a && b && c);
	KUNIT_ASSERT_EQ(test, map_file(a, A, MAP_SHARED), (long)A);
	KUNIT_ASSERT_EQ(test, map_file(b, B, MAP_SHARED), (long)B);
	KUNIT_ASSERT_EQ(test, map_file(c, A, MAP_PRIVATE), (long)A);
	access_remote_vm(a, A + PAGE_SIZE, &x, 1, false);
	access_remote_vm(b, B + PAGE_SIZE, &x, 1, false);
	access_remote_vm(c, A + PAGE_SIZE, &x, 1, false);
	KUNIT_EXPECT_EQ(test, x, 'B');
	old = find_get_page(&ms.mapping, 1);
	KUNIT_ASSERT_NOT_NULL(test, old);
	put_page(old);
	KUNIT_EXPECT_EQ(test, page_mapcount(old), 3);
	file0 = node_page_state(&arena.pgdat, NR_FILE_PAGES);
	nrpages0 = ms.mapping.nrpages;	/* the fault read around it */
	mapped0 = node_page_state(&arena.pgdat, NR_FILE_MAPPED);
	lru_add_drain_all();
	KUNIT_ASSERT_EQ(test, move(test, old, MIGRATE_SYNC, &f, &new), 0);
	KUNIT_EXPECT_TRUE(test, freed(old));
	found = find_get_page(&ms.mapping, 1);
	KUNIT_EXPECT_PTR_EQ(test, found, new);
	if (found)
		put_page(found);
	KUNIT_EXPECT_PTR_EQ(test, mapped(a, A + PAGE_SIZE, NULL), new);
	KUNIT_EXPECT_PTR_EQ(test, mapped(b, B + PAGE_SIZE, NULL), new);
	KUNIT_EXPECT_PTR_EQ(test, mapped(c, A + PAGE_SIZE, NULL), new);
	KUNIT_EXPECT_EQ(test, page_mapcount(new), 3);
	KUNIT_EXPECT_EQ(test, page_count(new), 4);	/* 3 PTEs + index */
	KUNIT_EXPECT_PTR_EQ(test, page_mapping(new), &ms.mapping);
	KUNIT_EXPECT_EQ(test, new->index, 1UL);
	KUNIT_EXPECT_TRUE(test, PageUptodate(new) && !PageDirty(new));
	KUNIT_EXPECT_EQ(test, ms.mapping.nrpages, nrpages0);
	KUNIT_EXPECT_EQ(test, node_page_state(&arena.pgdat, NR_FILE_PAGES),
			file0);
	KUNIT_EXPECT_EQ(test, node_page_state(&arena.pgdat, NR_FILE_MAPPED),
			mapped0);
	x = 0;
	access_remote_vm(b, B + PAGE_SIZE + 7, &x, 1, false);
	KUNIT_EXPECT_EQ(test, x, 'B');
	/* The private mapping's write still copies; the shared ones see
	 * a shared write. */
	x = 'p';
	access_remote_vm(c, A + PAGE_SIZE, &x, 1, true);
	x = 's';
	access_remote_vm(a, A + PAGE_SIZE, &x, 1, true);
	access_remote_vm(b, B + PAGE_SIZE, &x, 1, false);
	KUNIT_EXPECT_EQ(test, x, 's');
	access_remote_vm(c, A + PAGE_SIZE, &x, 1, false);
	KUNIT_EXPECT_EQ(test, x, 'p');
	mmput(c);
	mmput(b);
	mmput(a);
}

/* A page dirtied through a shared mapping moves dirty (the PTE's dirty
 * bit reached the page before the copy) and what writeback writes is the
 * new page's: the store lands on the disk. */
static void dirty_file_page_moves_dirty(struct kunit *test)
{
	struct mm_struct *mm = mm_alloc_node(&arena.pgdat, &ks);
	struct migrate_failure f;
	struct page *old, *new;
	unsigned char x = 'z';

	KUNIT_ASSERT_NOT_NULL(test, mm);
	KUNIT_ASSERT_EQ(test, map_file(mm, A, MAP_SHARED), (long)A);
	KUNIT_ASSERT_EQ(test, (long)access_remote_vm(mm, A + 2 * PAGE_SIZE + 5,
						     &x, 1, true), 1L);
	old = mapped(mm, A + 2 * PAGE_SIZE, NULL);
	KUNIT_ASSERT_NOT_NULL(test, old);
	lru_add_drain_all();
	KUNIT_ASSERT_EQ(test, move(test, old, MIGRATE_SYNC, &f, &new), 0);
	KUNIT_EXPECT_TRUE(test, PageDirty(new));
	KUNIT_EXPECT_TRUE(test, xa_get_mark(&ms.mapping.i_pages, 2,
					    PAGECACHE_TAG_DIRTY));
	KUNIT_EXPECT_PTR_EQ(test, mapped(mm, A + 2 * PAGE_SIZE, NULL), new);
	KUNIT_EXPECT_EQ(test, ms_data[2 * PAGE_SIZE + 5], 'C');
	KUNIT_EXPECT_EQ(test, filemap_write_and_wait(&ms.mapping), 0);
	KUNIT_EXPECT_EQ(test, ms_data[2 * PAGE_SIZE + 5], 'z');
	KUNIT_EXPECT_FALSE(test, PageDirty(new));

	/* A clean page whose PTE the CPU marked dirty (set here by hand, as
	 * a store through a writable PTE would): the bit reaches the page
	 * before the copy, so the new page is dirty. */
	old = find_get_page(&ms.mapping, 0);
	if (!old) {
		access_remote_vm(mm, A, &x, 1, false);
		old = find_get_page(&ms.mapping, 0);
	}
	KUNIT_ASSERT_NOT_NULL(test, old);
	put_page(old);
	access_remote_vm(mm, A, &x, 1, false);
	KUNIT_ASSERT_PTR_EQ(test, mapped(mm, A, NULL), old);
	KUNIT_ASSERT_FALSE(test, PageDirty(old));
	pte_update_bits(mm, A, 0, mm->arch.pgt.fmt->dirty_bit);
	lru_add_drain_all();
	KUNIT_ASSERT_EQ(test, move(test, old, MIGRATE_SYNC, &f, &new), 0);
	KUNIT_EXPECT_TRUE(test, PageDirty(new));
	KUNIT_EXPECT_TRUE(test, xa_get_mark(&ms.mapping.i_pages, 0,
					    PAGECACHE_TAG_DIRTY));
	mmput(mm);
}

/* A page under writeback waits: MIGRATE_ASYNC leaves it (-EAGAIN, "under
 * writeback"); once the write is done it moves, clean, and the disk has
 * the data. */
static void page_under_writeback_waits(struct kunit *test)
{
	struct writeback_control wbc = {
		.nr_to_write = 16, .range_end = (loff_t)(~0ULL >> 1),
		.sync_mode = WB_SYNC_NONE,
	};
	struct migrate_failure f;
	struct page *page, *new;
	char buf[8] = "written";
	loff_t pos = 3 * PAGE_SIZE;
	struct file wf;

	memstore_file(&ms, &wf);
	KUNIT_ASSERT_EQ(test, (long)generic_perform_write(&wf, buf, 8, &pos), 8L);
	ms.queued = true;
	KUNIT_EXPECT_EQ(test, do_writepages(&ms.mapping, &wbc), 0);
	page = find_get_page(&ms.mapping, 3);
	KUNIT_ASSERT_NOT_NULL(test, page);
	put_page(page);
	KUNIT_EXPECT_TRUE(test, PageWriteback(page));
	lru_add_drain_all();
	KUNIT_EXPECT_EQ(test, move(test, page, MIGRATE_ASYNC, &f, &new), -EAGAIN);
	KUNIT_EXPECT_STREQ(test, f.why, "under writeback");
	KUNIT_EXPECT_TRUE(test, memstore_complete(&ms));
	ms.queued = false;
	KUNIT_EXPECT_EQ(test, memcmp(ms_data + 3 * PAGE_SIZE, "written", 8), 0);
	KUNIT_EXPECT_EQ(test, move(test, page, MIGRATE_ASYNC, &f, &new), 0);
	KUNIT_EXPECT_FALSE(test, PageWriteback(new) || PageDirty(new));
	KUNIT_EXPECT_EQ(test, memcmp(page_address(new), "written", 8), 0);
}

/* A page truncated from its file while isolated has nothing left to
 * move: migration frees it (and the unused new page) and reports
 * success; the isolated count is back where it was, and the arena's
 * check at the end finds every page back (a reference kept would leak
 * it: found by the CMA suite as a page that never went away). */
static void truncated_while_isolated_is_freed(struct kunit *test)
{
	struct mm_struct *mm = mm_alloc_node(&arena.pgdat, &ks);
	unsigned long iso0 = node_page_state(&arena.pgdat, NR_ISOLATED_FILE);
	unsigned long free0;
	struct migrate_failure f = { 0 };
	struct page *page, *new;
	unsigned char x;

	KUNIT_ASSERT_NOT_NULL(test, mm);
	KUNIT_ASSERT_EQ(test, map_file(mm, A, MAP_SHARED), (long)A);
	access_remote_vm(mm, A, &x, 1, false);
	mmput(mm);
	page = find_get_page(&ms.mapping, 0);
	KUNIT_ASSERT_NOT_NULL(test, page);
	put_page(page);
	lru_add_drain_all();
	KUNIT_ASSERT_TRUE(test, isolate_movable_page(page));
	truncate_inode_pages(&ms.mapping, 0);
	KUNIT_EXPECT_NULL(test, page_mapping(page));
	new = new_page(page, 0);
	KUNIT_ASSERT_NOT_NULL(test, new);
	free0 = node_free_pages(&arena.pgdat);
	KUNIT_EXPECT_EQ(test, migrate_one_page(page, new, MIGRATE_SYNC, &f), 0);
	KUNIT_EXPECT_EQ(test, node_free_pages(&arena.pgdat), free0 + 2);
	KUNIT_EXPECT_EQ(test, node_page_state(&arena.pgdat, NR_ISOLATED_FILE),
			iso0);
}

/* ---------------------------------------------------------------- lists */

/* migrate_pages moves a list, counts it, and leaves on the list exactly
 * the pages it could not move (no new page here), which
 * putback_movable_pages returns to the LRU intact. */
static void migrate_pages_list_contract(struct kunit *test)
{
	struct mm_struct *mm = anon_mm(test, 8);
	unsigned long ok0 = global_vm_event(PGMIGRATE_SUCCESS);
	unsigned long fail0 = global_vm_event(PGMIGRATE_FAIL);
	unsigned long free0;
	struct migrate_failure f = { 0 };
	struct page *old[8];
	struct list_head list = LIST_HEAD_INIT(list);
	unsigned int n = 0;

	KUNIT_ASSERT_NOT_NULL(test, mm);
	lru_add_drain_all();
	for (unsigned int i = 0; i < 8; i++) {
		old[i] = mapped(mm, A + i * PAGE_SIZE, NULL);
		KUNIT_ASSERT_TRUE(test, isolate_movable_page(old[i]));
		list_add_tail(&old[i]->lru, &list);
	}
	/* Nowhere to go: all stay, nothing changed. */
	KUNIT_EXPECT_EQ(test, migrate_pages(&list, no_page, NULL, 0,
					    MIGRATE_SYNC, MR_SYSCALL, &f), 8UL);
	KUNIT_EXPECT_EQ(test, f.err, -ENOMEM);
	KUNIT_EXPECT_EQ(test, global_vm_event(PGMIGRATE_FAIL) - fail0, 8UL);
	{
		struct page *p;

		list_for_each_entry(p, &list, lru)
			n++;
	}
	KUNIT_EXPECT_EQ(test, n, 8U);
	for (unsigned int i = 0; i < 8; i++)
		KUNIT_EXPECT_PTR_EQ(test, mapped(mm, A + i * PAGE_SIZE, NULL),
				    old[i]);
	/* Now they go (each old frame back to the allocator: the later
	 * moves may take them as new pages, so count rather than look). */
	free0 = node_free_pages(&arena.pgdat);
	KUNIT_EXPECT_EQ(test, migrate_pages(&list, new_page, NULL, 0,
					    MIGRATE_SYNC, MR_SYSCALL, NULL), 0UL);
	KUNIT_EXPECT_TRUE(test, list_empty(&list));
	KUNIT_EXPECT_EQ(test, global_vm_event(PGMIGRATE_SUCCESS) - ok0, 8UL);
	KUNIT_EXPECT_EQ(test, node_free_pages(&arena.pgdat), free0);
	for (unsigned int i = 0; i < 8; i++) {
		struct page *now = mapped(mm, A + i * PAGE_SIZE, NULL);

		KUNIT_EXPECT_TRUE(test, now && now != old[i]);
		KUNIT_EXPECT_EQ(test, peek(mm, A + i * PAGE_SIZE), val(i, 0));
	}
	/* And back: a failed list goes home with putback. */
	for (unsigned int i = 0; i < 2; i++) {
		old[i] = mapped(mm, A + i * PAGE_SIZE, NULL);
		KUNIT_ASSERT_TRUE(test, isolate_movable_page(old[i]));
		list_add_tail(&old[i]->lru, &list);
	}
	KUNIT_EXPECT_EQ(test, migrate_pages(&list, no_page, NULL, 0,
					    MIGRATE_ASYNC, MR_SYSCALL, NULL), 2UL);
	putback_movable_pages(&list);
	KUNIT_EXPECT_TRUE(test, PageLRU(old[0]) && PageLRU(old[1]));
	KUNIT_EXPECT_EQ(test, page_count(old[0]), 1);
	mmput(mm);
}

static struct kunit_case migrate_cases[] = {
	KUNIT_CASE(anon_page_moves),
	KUNIT_CASE(anon_fork_family_moves),
	KUNIT_CASE(anon_after_cow_break),
	KUNIT_CASE(extra_reference_stops_the_move),
	KUNIT_CASE(pinned_page_stays),
	KUNIT_CASE(busy_and_own_mm_locks),
	KUNIT_CASE(file_page_mapped_by_three_moves),
	KUNIT_CASE(dirty_file_page_moves_dirty),
	KUNIT_CASE(page_under_writeback_waits),
	KUNIT_CASE(truncated_while_isolated_is_freed),
	KUNIT_CASE(migrate_pages_list_contract),
	{}
};

static struct kunit_suite migrate_suite = {
	.name = "migrate",
	.init = mig_init,
	.exit = mig_exit,
	.test_cases = migrate_cases,
};
kunit_test_suite(migrate_suite);
