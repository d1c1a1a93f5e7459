/*
 * tests/suites/vm_test.c - address spaces (mm/mm.h) as the system calls
 * use them: mmap/munmap/mprotect/brk/madvise with the man pages' errnos,
 * VMA split and merge, demand zero, copy-on-write after dup_mm, shared
 * anonymous memory across fork, stack growth with its limit and guard
 * gap, the counters, the maps format. Memory is read and written with
 * access_remote_vm(), which faults as a user access would, so the same
 * suite runs on the host and in the kernel. Pages and bookkeeping come
 * from a private arena: every case ends with every page back.
 */
#include "tests/suites/test_arena.h"
#include "tests/suites/vfs_testfs.h"
#include "kernel/lib/string.h"
#include "kernel/printk.h"
#include "kernel/sysctl.h"
#include "kernel/lib/random.h"
#include "kernel/lib/vsprintf.h"
#include "mm/pgtable.h"
#include "mm/page_alloc.h"
#include "mm/kmalloc.h"
#include "mm/mm.h"
#include "mm/vmstat.h"

static struct test_arena arena;
static struct kmalloc_set ks;

static int vm_init(struct kunit *test)
{
	/* A shared anonymous object's index (an xarray) takes its nodes
	 * from the kernel's slab: on the host it exists once made. */
	if (!vfs_test_ensure_mm())
		return -1;
	if (!test_arena_make(test, &arena, 0))
		return -1;
	return kmalloc_set_init(&ks, &arena.pgdat, "tvm", 0);
}

static void vm_exit(struct kunit *test)
{
	kmalloc_set_destroy(&ks);
	test_arena_done(test, &arena);	/* checks every page came back */
}

/* Pages of the arena in use but not by slab (VMAs, anon_vmas come from
 * slab pages, whose number depends on what the caches hold): the user
 * pages and page tables' worth the cases count. */
static unsigned long data_pages(void)
{
	pg_data_t *n = &arena.pgdat;

	lru_add_drain_all();	/* freed pages the add batch still holds */
	return node_managed_pages(n) - node_free_pages(n) -
	       node_page_state_snapshot(n, NR_SLAB_UNRECLAIMABLE_B) -
	       node_page_state_snapshot(n, NR_SLAB_RECLAIMABLE_B);
}

static struct mm_struct *new_mm(struct kunit *test)
{
	struct mm_struct *mm = mm_alloc_node(&arena.pgdat, &ks);

	KUNIT_EXPECT_NOT_NULL(test, mm);
	return mm;
}

#define RW	(PROT_READ | PROT_WRITE)
#define PRIV	(MAP_PRIVATE | MAP_ANONYMOUS)
#define A	0x40000000UL		/* a fixed address for the cases */

static uint64_t peek(struct mm_struct *mm, unsigned long va, bool *ok)
{
	uint64_t v = 0;

	*ok = access_remote_vm(mm, va, &v, sizeof(v), false) == sizeof(v);
	return v;
}

static bool poke(struct mm_struct *mm, unsigned long va, uint64_t v)
{
	return access_remote_vm(mm, va, &v, sizeof(v), true) == sizeof(v);
}

static unsigned long nr_vmas(struct mm_struct *mm)
{
	return mm->map_count;
}

/* The man pages' errnos for bad arguments. */
static void errnos(struct kunit *test)
{
	struct mm_struct *mm = new_mm(test);

	KUNIT_ASSERT_NOT_NULL(test, mm);
	KUNIT_EXPECT_EQ(test, do_mmap(mm, 0, 0, RW, PRIV, 0), (long)-EINVAL);
	KUNIT_EXPECT_EQ(test, do_mmap(mm, 0, 4096, RW, MAP_ANONYMOUS, 0), (long)-EINVAL);
	/* Page 0 is never mappable: MAP_FIXED there is -EPERM. */
	KUNIT_EXPECT_EQ(test, do_mmap(mm, 0, 4096, RW, PRIV | MAP_FIXED, 0), (long)-EPERM);
	KUNIT_EXPECT_EQ(test, do_mmap(mm, 0, 4096, RW, PRIV | MAP_FIXED_NOREPLACE, 0),
			(long)-EPERM);
	KUNIT_EXPECT_EQ(test, do_mmap(mm, A + 1, 4096, RW, PRIV | MAP_FIXED, 0), (long)-EINVAL);
	KUNIT_EXPECT_EQ(test, do_mmap(mm, TASK_SIZE - 4096, 8192, RW, PRIV | MAP_FIXED, 0),
			(long)-ENOMEM);
	/* Without MAP_FIXED, address 0 is no hint: it works, above the floor. */
	long a = do_mmap(mm, 0, 4096, RW, PRIV, 0);

	KUNIT_EXPECT_FALSE(test, IS_ERR_VALUE(a));
	KUNIT_EXPECT_GE(test, (unsigned long)a, MMAP_MIN_ADDR);
	KUNIT_EXPECT_EQ(test, do_mmap(mm, A, 4096, RW, PRIV | MAP_FIXED, 0), (long)A);
	KUNIT_EXPECT_EQ(test, do_mmap(mm, A, 4096, RW, PRIV | MAP_FIXED_NOREPLACE, 0),
			(long)-EEXIST);
	KUNIT_EXPECT_EQ(test, do_mmap(mm, A, 4096, RW, PRIV | MAP_FIXED | MAP_FIXED_NOREPLACE, 0),
			(long)-EEXIST);
	KUNIT_EXPECT_EQ(test, do_munmap(mm, A + 1, 4096), -EINVAL);
	KUNIT_EXPECT_EQ(test, do_munmap(mm, A, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, do_munmap(mm, A + 8192, 4096), 0);	/* nothing there */
	KUNIT_EXPECT_EQ(test, do_mprotect(mm, A + 1, 4096, PROT_READ), -EINVAL);
	KUNIT_EXPECT_EQ(test, do_mprotect(mm, A, 8192, PROT_READ), -ENOMEM);	/* hole */
	KUNIT_EXPECT_EQ(test, do_mprotect(mm, A, 4096, 0x40), -EINVAL);
	KUNIT_EXPECT_EQ(test, do_mprotect(mm, A, 0, PROT_READ), 0);
	KUNIT_EXPECT_EQ(test, do_madvise(mm, A, 4096, 12345), -EINVAL);
	KUNIT_EXPECT_EQ(test, do_madvise(mm, A, 8192, MADV_DONTNEED), -ENOMEM);
	mmput(mm);
}

/* A fresh page reads zero; what is written reads back; munmap frees. */
static void demand_zero_and_munmap(struct kunit *test)
{
	struct mm_struct *mm = new_mm(test);
	unsigned long free0 = data_pages();
	bool ok;

	KUNIT_ASSERT_NOT_NULL(test, mm);
	free0 = data_pages();
	KUNIT_ASSERT_EQ(test, do_mmap(mm, A, 4 * PAGE_SIZE, RW, PRIV | MAP_FIXED, 0), (long)A);
	KUNIT_EXPECT_EQ(test, mm->rss[MM_ANONPAGES], 0L);	/* lazily */
	KUNIT_EXPECT_EQ(test, peek(mm, A + PAGE_SIZE + 8, &ok), 0ULL);
	KUNIT_EXPECT_TRUE(test, ok);
	KUNIT_EXPECT_TRUE(test, poke(mm, A + 3 * PAGE_SIZE, 0x1122334455667788ULL));
	KUNIT_EXPECT_EQ(test, peek(mm, A + 3 * PAGE_SIZE, &ok), 0x1122334455667788ULL);
	KUNIT_EXPECT_EQ(test, mm->rss[MM_ANONPAGES], 2L);
	KUNIT_EXPECT_EQ(test, data_pages(), free0 + 2);
	KUNIT_EXPECT_EQ(test, mm->total_vm, 4UL);
	KUNIT_EXPECT_EQ(test, mm->committed, 4UL);
	KUNIT_EXPECT_GE(test, mm->pgfault, 2UL);
	/* A write across a page boundary faults both pages. */
	KUNIT_EXPECT_TRUE(test, poke(mm, A + 2 * PAGE_SIZE - 4, ~0ULL));
	KUNIT_EXPECT_EQ(test, mm->rss[MM_ANONPAGES], 3L);
	KUNIT_EXPECT_EQ(test, do_munmap(mm, A, 4 * PAGE_SIZE), 0);
	KUNIT_EXPECT_EQ(test, mm->rss[MM_ANONPAGES], 0L);
	KUNIT_EXPECT_EQ(test, mm->total_vm, 0UL);
	KUNIT_EXPECT_EQ(test, mm->committed, 0UL);
	KUNIT_EXPECT_EQ(test, data_pages(), free0);
	peek(mm, A, &ok);
	KUNIT_EXPECT_FALSE(test, ok);			/* no VMA: SIGSEGV */
	mmput(mm);
}

/* mprotect and munmap of parts split VMAs; equal neighbours merge back;
 * the protection is what the access sees. */
static void split_merge_protect(struct kunit *test)
{
	struct mm_struct *mm = new_mm(test);
	uint64_t v = 7;
	bool ok;

	KUNIT_ASSERT_NOT_NULL(test, mm);
	KUNIT_ASSERT_EQ(test, do_mmap(mm, A, 4 * PAGE_SIZE, RW, PRIV | MAP_FIXED, 0), (long)A);
	for (int i = 0; i < 4; i++)
		KUNIT_EXPECT_TRUE(test, poke(mm, A + i * PAGE_SIZE, 100 + i));
	KUNIT_EXPECT_EQ(test, do_mprotect(mm, A + PAGE_SIZE, 2 * PAGE_SIZE, PROT_READ), 0);
	KUNIT_EXPECT_EQ(test, nr_vmas(mm), 3UL);
	KUNIT_EXPECT_FALSE(test, poke(mm, A + PAGE_SIZE, 1));		/* read-only */
	KUNIT_EXPECT_EQ(test, peek(mm, A + 2 * PAGE_SIZE, &ok), 102ULL);
	KUNIT_EXPECT_TRUE(test, ok);
	/* As Linux, a mapping once writable stays committed. */
	KUNIT_EXPECT_EQ(test, mm->committed, 4UL);
	KUNIT_EXPECT_EQ(test, do_mprotect(mm, A + PAGE_SIZE, PAGE_SIZE, PROT_NONE), 0);
	KUNIT_EXPECT_EQ(test, nr_vmas(mm), 4UL);
	peek(mm, A + PAGE_SIZE, &ok);
	KUNIT_EXPECT_FALSE(test, ok);			/* PROT_NONE: no access */
	/* Back to read-write: one VMA again, data kept, writable again. */
	KUNIT_EXPECT_EQ(test, do_mprotect(mm, A, 4 * PAGE_SIZE, RW), 0);
	KUNIT_EXPECT_EQ(test, nr_vmas(mm), 1UL);
	KUNIT_EXPECT_EQ(test, peek(mm, A + PAGE_SIZE, &ok), 101ULL);
	KUNIT_EXPECT_TRUE(test, poke(mm, A + PAGE_SIZE, v));
	KUNIT_EXPECT_EQ(test, mm->rss[MM_ANONPAGES], 4L);	/* reused in place */
	/* A hole in the middle: two VMAs, the pages around kept. */
	KUNIT_EXPECT_EQ(test, do_munmap(mm, A + PAGE_SIZE, PAGE_SIZE), 0);
	KUNIT_EXPECT_EQ(test, nr_vmas(mm), 2UL);
	KUNIT_EXPECT_EQ(test, mm->rss[MM_ANONPAGES], 3L);
	KUNIT_EXPECT_EQ(test, peek(mm, A + 3 * PAGE_SIZE, &ok), 103ULL);
	/* MAP_FIXED over both halves replaces them with zeros. */
	KUNIT_EXPECT_EQ(test, do_mmap(mm, A, 4 * PAGE_SIZE, RW, PRIV | MAP_FIXED, 0), (long)A);
	KUNIT_EXPECT_EQ(test, nr_vmas(mm), 1UL);
	KUNIT_EXPECT_EQ(test, peek(mm, A + 3 * PAGE_SIZE, &ok), 0ULL);
	KUNIT_EXPECT_EQ(test, mm->rss[MM_ANONPAGES], 1L);
	mmput(mm);
}

/* Fork: both see the old data; a write copies the page for the writer
 * only; the last one left writes in place. */
static void fork_copy_on_write(struct kunit *test)
{
	struct mm_struct *parent = new_mm(test), *child;
	unsigned long free0;
	bool ok;

	KUNIT_ASSERT_NOT_NULL(test, parent);
	KUNIT_ASSERT_EQ(test, do_mmap(parent, A, 2 * PAGE_SIZE, RW, PRIV | MAP_FIXED, 0), (long)A);
	KUNIT_EXPECT_TRUE(test, poke(parent, A, 1));
	KUNIT_EXPECT_TRUE(test, poke(parent, A + PAGE_SIZE, 2));
	free0 = data_pages();
	child = dup_mm(parent);
	KUNIT_ASSERT_NOT_NULL(test, child);
	KUNIT_EXPECT_EQ(test, child->rss[MM_ANONPAGES], 2L);
	KUNIT_EXPECT_EQ(test, child->committed, 2UL);
	KUNIT_EXPECT_EQ(test, peek(child, A, &ok), 1ULL);
	KUNIT_EXPECT_TRUE(test, poke(child, A, 10));		/* copies */
	KUNIT_EXPECT_EQ(test, data_pages(), free0 + 1);
	KUNIT_EXPECT_EQ(test, peek(parent, A, &ok), 1ULL);
	KUNIT_EXPECT_EQ(test, peek(child, A, &ok), 10ULL);
	KUNIT_EXPECT_TRUE(test, poke(parent, A, 11));		/* alone now: reuse */
	KUNIT_EXPECT_EQ(test, data_pages(), free0 + 1);
	KUNIT_EXPECT_EQ(test, peek(child, A, &ok), 10ULL);
	KUNIT_EXPECT_EQ(test, peek(parent, A, &ok), 11ULL);
	/* The second page is still shared; the child exits; the parent's
	 * write then reuses it. */
	mmput(child);
	KUNIT_EXPECT_EQ(test, data_pages(), free0);
	KUNIT_EXPECT_TRUE(test, poke(parent, A + PAGE_SIZE, 12));
	KUNIT_EXPECT_EQ(test, data_pages(), free0);
	KUNIT_EXPECT_EQ(test, peek(parent, A + PAGE_SIZE, &ok), 12ULL);
	mmput(parent);
}

/* MAP_SHARED|MAP_ANONYMOUS: one set of pages for parent and child. */
static void shared_anonymous_across_fork(struct kunit *test)
{
	struct mm_struct *parent = new_mm(test), *child;
	long a;
	bool ok;

	KUNIT_ASSERT_NOT_NULL(test, parent);
	a = do_mmap(parent, 0, 3 * PAGE_SIZE, RW, MAP_SHARED | MAP_ANONYMOUS, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR_VALUE(a));
	KUNIT_EXPECT_EQ(test, parent->committed, 0UL);	/* shared: not counted */
	KUNIT_EXPECT_TRUE(test, poke(parent, a, 5));
	child = dup_mm(parent);
	KUNIT_ASSERT_NOT_NULL(test, child);
	KUNIT_EXPECT_TRUE(test, poke(child, a, 6));
	KUNIT_EXPECT_TRUE(test, poke(child, a + 2 * PAGE_SIZE, 7));	/* first touch */
	KUNIT_EXPECT_EQ(test, peek(parent, a, &ok), 6ULL);
	KUNIT_EXPECT_EQ(test, peek(parent, a + 2 * PAGE_SIZE, &ok), 7ULL);
	KUNIT_EXPECT_EQ(test, parent->rss[MM_SHMEMPAGES], 2L);
	/* DONTNEED drops the mapping, not the shared data. */
	KUNIT_EXPECT_EQ(test, do_madvise(parent, a, PAGE_SIZE, MADV_DONTNEED), 0);
	KUNIT_EXPECT_EQ(test, peek(parent, a, &ok), 6ULL);
	mmput(parent);
	KUNIT_EXPECT_EQ(test, peek(child, a + 2 * PAGE_SIZE, &ok), 7ULL);
	mmput(child);
}

/* ------------------------------------------------ anonymous fault-around */

static const struct ctl_table *around_sysctl(struct kunit *test)
{
	struct ctl_set set = sysctl_registered();
	const struct ctl_table *t = sysctl_find(&set,
					       "vm.anon_fault_around_pages");

	KUNIT_EXPECT_NOT_NULL(test, t);
	return t;
}

static bool pte_present_at(struct mm_struct *mm, unsigned long va)
{
	uint64_t pte = 0;

	pgtable_translate(&mm->arch.pgt, va, &pte, NULL);
	return mm->arch.pgt.fmt->is_present(pte);
}

/* A sequential writer over 64 pages with windows up to 16: faults at
 * pages 0, 1, 3, 7, 15, 31, 47 and 63 map 1, 2, 4, 8, 16, 16, 16 and the
 * last 1 (the VMA ends); 8 faults, 56 pages mapped around, every one
 * zeroed and counted in the rss and the arena. Off (1), one fault a page. */
static void sequential_writes_fault_around(struct kunit *test)
{
	const struct ctl_table *t = around_sysctl(test);
	unsigned long old, free0, around0, faults0;
	struct mm_struct *mm = new_mm(test);
	char buf[8];
	bool ok;

	KUNIT_ASSERT_NOT_NULL(test, t);
	KUNIT_ASSERT_NOT_NULL(test, mm);
	old = sysctl_read(t);
	KUNIT_ASSERT_EQ(test, sysctl_write(t, "16"), 0);
	KUNIT_ASSERT_EQ(test, do_mmap(mm, A, 64 * PAGE_SIZE, RW,
				      PRIV | MAP_FIXED, 0), (long)A);
	free0 = data_pages();
	around0 = global_vm_event(PGFAULT_AROUND);
	faults0 = mm->pgfault;
	for (unsigned int i = 0; i < 64; i++) {
		KUNIT_EXPECT_EQ(test, peek(mm, A + i * PAGE_SIZE, &ok), 0ULL);
		KUNIT_EXPECT_TRUE(test, poke(mm, A + i * PAGE_SIZE, i));
	}
	KUNIT_EXPECT_EQ(test, mm->pgfault - faults0, 8UL);
	KUNIT_EXPECT_EQ(test, global_vm_event(PGFAULT_AROUND) - around0, 56UL);
	KUNIT_EXPECT_EQ(test, mm->rss[MM_ANONPAGES], 64L);
	KUNIT_EXPECT_GE(test, data_pages() - free0, 64UL);
	for (unsigned int i = 0; i < 64; i++)
		KUNIT_EXPECT_EQ(test, peek(mm, A + i * PAGE_SIZE, &ok),
				(uint64_t)i);

	/* Off: each page its own fault. */
	KUNIT_ASSERT_EQ(test, sysctl_write(t, "1"), 0);
	KUNIT_ASSERT_EQ(test, do_munmap(mm, A, 64 * PAGE_SIZE), 0);
	KUNIT_ASSERT_EQ(test, do_mmap(mm, A, 64 * PAGE_SIZE, RW,
				      PRIV | MAP_FIXED, 0), (long)A);
	faults0 = mm->pgfault;
	for (unsigned int i = 0; i < 64; i++)
		KUNIT_EXPECT_TRUE(test, poke(mm, A + i * PAGE_SIZE, i));
	KUNIT_EXPECT_EQ(test, mm->pgfault - faults0, 64UL);
	mmput(mm);
	ksnprintf(buf, sizeof(buf), "%lu", old);
	sysctl_write(t, buf);
}

/*
 * Random touches (runs of sequential pages, jumps, reads and writes) over
 * a VMA against a model of the window: which pages each fault maps is
 * predicted exactly (the window doubles from 2 up to the maximum at a
 * fault where the last one's pages ended, is 1 elsewhere, and stops at the
 * VMA's end and at the first PTE already present), and so are the
 * number of faults and every value read.
 */
#define AROUND_PAGES	192
static void fault_around_matches_model(struct kunit *test)
{
	const struct ctl_table *t = around_sysctl(test);
	static bool mapped[AROUND_PAGES];
	static uint64_t value[AROUND_PAGES];
	unsigned long next = ~0UL, window = 1, faults = 0, old;
	unsigned int max, last = 0;
	struct mm_struct *mm = new_mm(test);
	struct prng r;
	char buf[8];
	bool ok;

	KUNIT_ASSERT_NOT_NULL(test, t);
	KUNIT_ASSERT_NOT_NULL(test, mm);
	old = sysctl_read(t);
	prng_seed(&r, test->seed);
	max = 1U << prng_below(&r, 7);		/* 1 .. 64 */
	ksnprintf(buf, sizeof(buf), "%u", max);
	KUNIT_ASSERT_EQ(test, sysctl_write(t, buf), 0);
	KUNIT_ASSERT_EQ(test, do_mmap(mm, A, AROUND_PAGES * PAGE_SIZE, RW,
				      PRIV | MAP_FIXED, 0), (long)A);
	memset(mapped, 0, sizeof(mapped));
	memset(value, 0, sizeof(value));
	for (int step = 0; step < 600; step++) {
		unsigned long f0 = mm->pgfault;
		unsigned int p = prng_below(&r, 4) ? (last + 1) % AROUND_PAGES :
			(unsigned int)prng_below(&r, AROUND_PAGES);
		bool write = prng_below(&r, 2), fault = !mapped[p];

		if (fault) {
			unsigned long n = 1;

			if (max > 1 && p == next) {
				n = window * 2;
				if (n > max)
					n = max;
				if (n > AROUND_PAGES - p)
					n = AROUND_PAGES - p;
			}
			window = n;
			for (unsigned long i = 0; i < n; i++) {
				if (i && mapped[p + i]) {
					window = i;
					break;
				}
				mapped[p + i] = true;
			}
			next = p + window;
			faults++;
		}
		if (write) {
			value[p] = ((uint64_t)step << 8) | p;
			KUNIT_EXPECT_TRUE(test, poke(mm, A + p * PAGE_SIZE,
						     value[p]));
		} else {
			KUNIT_EXPECT_EQ(test, peek(mm, A + p * PAGE_SIZE, &ok),
					value[p]);
		}
		KUNIT_EXPECT_EQ(test, mm->pgfault - f0, fault ? 1UL : 0UL);
		last = p;
	}
	KUNIT_EXPECT_EQ(test, mm->pgfault, faults);
	for (unsigned int p = 0; p < AROUND_PAGES; p++)
		if (pte_present_at(mm, A + p * PAGE_SIZE) != mapped[p])
			KUNIT_FAIL(test, "page %u: %s, the model says %s (max %u,"
				   " seed %llu)", p,
				   mapped[p] ? "not mapped" : "mapped",
				   mapped[p] ? "mapped" : "not", max,
				   (unsigned long long)test->seed);
	/* Never past the VMA. */
	KUNIT_EXPECT_FALSE(test, pte_present_at(mm, A + AROUND_PAGES * PAGE_SIZE));
	mmput(mm);
	ksnprintf(buf, sizeof(buf), "%lu", old);
	sysctl_write(t, buf);
}

/* The stack grows down on a fault below it, to its limit, and never
 * closer than the guard gap to the mapping below. */
static void stack_growth(struct kunit *test)
{
	struct mm_struct *mm = new_mm(test);
	unsigned long top = 0x7f0000000000UL, lo = top - 4 * PAGE_SIZE;
	bool ok;

	KUNIT_ASSERT_NOT_NULL(test, mm);
	mm->start_stack = top;
	mm->stack_limit = 64 * PAGE_SIZE;
	KUNIT_ASSERT_EQ(test, mm_map_fixed(mm, lo, 4 * PAGE_SIZE, RW, VM_GROWSDOWN,
					   "[stack]"), (long)lo);
	KUNIT_EXPECT_TRUE(test, poke(mm, lo - 10 * PAGE_SIZE, 3));	/* grows */
	KUNIT_EXPECT_EQ(test, find_vma(mm, lo - 10 * PAGE_SIZE)->vm_start,
			lo - 10 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, nr_vmas(mm), 1UL);
	KUNIT_EXPECT_EQ(test, peek(mm, lo - 10 * PAGE_SIZE, &ok), 3ULL);
	KUNIT_EXPECT_TRUE(test, poke(mm, top - 64 * PAGE_SIZE, 4));	/* the limit */
	peek(mm, top - 65 * PAGE_SIZE, &ok);
	KUNIT_EXPECT_FALSE(test, ok);					/* beyond */
	/* A mapping just below: growth stops a guard gap above it. */
	mm->stack_limit = 1024 * PAGE_SIZE;
	unsigned long below = top - 64 * PAGE_SIZE - STACK_GUARD_GAP - 2 * PAGE_SIZE;

	KUNIT_ASSERT_EQ(test, do_mmap(mm, below, PAGE_SIZE, RW, PRIV | MAP_FIXED, 0),
			(long)below);
	KUNIT_EXPECT_TRUE(test, poke(mm, below + STACK_GUARD_GAP + PAGE_SIZE, 5));
	peek(mm, below + STACK_GUARD_GAP, &ok);
	KUNIT_EXPECT_FALSE(test, ok);
	char buf[128];

	describe_vma(mm, top - PAGE_SIZE, buf, sizeof(buf));
	KUNIT_EXPECT_STR_CONTAINS(test, buf, " rw-p 00000000 00:00 0 ");
	KUNIT_EXPECT_STR_CONTAINS(test, buf, "[stack]");
	KUNIT_EXPECT_EQ(test, strlen(buf), 73 + strlen("[stack]"));
	describe_vma(mm, MMAP_MIN_ADDR, buf, sizeof(buf));
	KUNIT_EXPECT_STREQ(test, buf, "no VMA");
	mmput(mm);
}

/* brk grows a [heap] VMA and shrinking gives the pages back. */
static void brk_heap(struct kunit *test)
{
	struct mm_struct *mm = new_mm(test);
	unsigned long base = 0x555555560000UL, free0;
	bool ok;

	KUNIT_ASSERT_NOT_NULL(test, mm);
	KUNIT_EXPECT_EQ(test, do_brk(mm, base), 0UL);	/* exec set none */
	mm->start_brk = mm->brk = base;
	free0 = data_pages();
	KUNIT_EXPECT_EQ(test, do_brk(mm, 0), base);	/* a query */
	KUNIT_EXPECT_EQ(test, do_brk(mm, base + 3 * PAGE_SIZE + 5), base + 3 * PAGE_SIZE + 5);
	KUNIT_EXPECT_EQ(test, find_vma(mm, base)->vm_end, base + 4 * PAGE_SIZE);
	KUNIT_EXPECT_STREQ(test, find_vma(mm, base)->name, "[heap]");
	for (int i = 0; i < 4; i++)
		KUNIT_EXPECT_TRUE(test, poke(mm, base + i * PAGE_SIZE, i + 1));
	KUNIT_EXPECT_EQ(test, do_brk(mm, base + 8 * PAGE_SIZE), base + 8 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, nr_vmas(mm), 1UL);	/* extended, not a new VMA */
	KUNIT_EXPECT_EQ(test, do_brk(mm, base + PAGE_SIZE), base + PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, data_pages(), free0 + 1);
	KUNIT_EXPECT_EQ(test, peek(mm, base, &ok), 1ULL);
	peek(mm, base + PAGE_SIZE, &ok);
	KUNIT_EXPECT_FALSE(test, ok);
	/* In the way: refused, the old break returned. */
	KUNIT_ASSERT_EQ(test, do_mmap(mm, base + 4 * PAGE_SIZE, PAGE_SIZE, RW,
				      PRIV | MAP_FIXED, 0), (long)(base + 4 * PAGE_SIZE));
	KUNIT_EXPECT_EQ(test, do_brk(mm, base + 8 * PAGE_SIZE), base + PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, do_brk(mm, base - 1), base + PAGE_SIZE);
	mmput(mm);
}

/* MADV_DONTNEED: private pages read zero afterwards, memory comes back. */
static void madvise_dontneed(struct kunit *test)
{
	struct mm_struct *mm = new_mm(test);
	unsigned long free0;
	bool ok;

	KUNIT_ASSERT_NOT_NULL(test, mm);
	KUNIT_ASSERT_EQ(test, do_mmap(mm, A, 4 * PAGE_SIZE, RW, PRIV | MAP_FIXED, 0), (long)A);
	free0 = data_pages();
	for (int i = 0; i < 4; i++)
		KUNIT_EXPECT_TRUE(test, poke(mm, A + i * PAGE_SIZE, 9));
	KUNIT_EXPECT_EQ(test, do_madvise(mm, A + PAGE_SIZE, 2 * PAGE_SIZE, MADV_DONTNEED), 0);
	KUNIT_EXPECT_EQ(test, data_pages(), free0 + 2);
	KUNIT_EXPECT_EQ(test, peek(mm, A + PAGE_SIZE, &ok), 0ULL);
	KUNIT_EXPECT_TRUE(test, ok);
	KUNIT_EXPECT_EQ(test, peek(mm, A + 3 * PAGE_SIZE, &ok), 9ULL);
	KUNIT_EXPECT_EQ(test, nr_vmas(mm), 1UL);
	mmput(mm);
}

/* Placement: top-down below mmap_base, never below MMAP_MIN_ADDR. */
static void placement_top_down(struct kunit *test)
{
	struct mm_struct *mm = new_mm(test);
	long a, b;

	KUNIT_ASSERT_NOT_NULL(test, mm);
	a = do_mmap(mm, 0, 2 * PAGE_SIZE, RW, PRIV, 0);
	b = do_mmap(mm, 0, PAGE_SIZE, PROT_READ, PRIV, 0);
	KUNIT_EXPECT_EQ(test, (unsigned long)a, mm->mmap_base - 2 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, (unsigned long)b, mm->mmap_base - 3 * PAGE_SIZE);
	/* A free hint is honoured; a taken one is not. */
	KUNIT_EXPECT_EQ(test, do_mmap(mm, A, PAGE_SIZE, RW, PRIV, 0), (long)A);
	KUNIT_EXPECT_NE(test, do_mmap(mm, A, PAGE_SIZE, RW, PRIV, 0), (long)A);
	/* Low hints are raised to the floor's side, never below it. */
	KUNIT_EXPECT_NE(test, do_mmap(mm, PAGE_SIZE, PAGE_SIZE, RW, PRIV, 0), (long)PAGE_SIZE);
	mmput(mm);
}

/* MAP_POPULATE faults every page in; pgfault and AnonPages count. */
static void populate_and_counters(struct kunit *test)
{
	struct mm_struct *mm = new_mm(test);
	unsigned long faults = global_vm_event(PGFAULT);
	unsigned long major = global_vm_event(PGMAJFAULT);
	unsigned long anon0 = node_page_state_snapshot(&arena.pgdat, NR_ANON_MAPPED);
	long a;

	KUNIT_ASSERT_NOT_NULL(test, mm);
	a = do_mmap(mm, 0, 5 * PAGE_SIZE, RW, PRIV | MAP_POPULATE, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR_VALUE(a));
	KUNIT_EXPECT_EQ(test, mm->rss[MM_ANONPAGES], 5L);
	KUNIT_EXPECT_EQ(test, global_vm_event(PGFAULT), faults + 5);
	KUNIT_EXPECT_EQ(test, node_page_state_snapshot(&arena.pgdat, NR_ANON_MAPPED),
			anon0 + 5);
	/* Anonymous faults never need I/O: none is major (file reads
	 * elsewhere, filemap_fault_test, count their own). */
	KUNIT_EXPECT_EQ(test, global_vm_event(PGMAJFAULT), major);
	mmput(mm);
	KUNIT_EXPECT_EQ(test, node_page_state_snapshot(&arena.pgdat, NR_ANON_MAPPED), anon0);
}

/* meminfo and vmstat carry the new counters with Linux's names; maps
 * lists every VMA. */
static void reports_name_the_counters(struct kunit *test)
{
	static char log[16384];
	struct mm_struct *mm = new_mm(test);
	size_t n;

	KUNIT_ASSERT_NOT_NULL(test, mm);
	mm->start_brk = mm->brk = 0x555555560000UL;
	do_brk(mm, mm->brk + PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, do_mmap(mm, A, PAGE_SIZE, PROT_READ | PROT_EXEC,
				      PRIV | MAP_FIXED, 0), (long)A);
	printk_capture_start_quiet(log, sizeof(log));
	show_meminfo(&arena.pgdat);
	show_vmstat(&arena.pgdat);
	show_maps(mm);
	n = printk_capture_stop();
	KUNIT_EXPECT_LT(test, n, sizeof(log));
	KUNIT_EXPECT_STR_CONTAINS(test, log, "AnonPages:");
	KUNIT_EXPECT_STR_CONTAINS(test, log, "PageTables:");
	KUNIT_EXPECT_STR_CONTAINS(test, log, "Committed_AS:");
	KUNIT_EXPECT_STR_CONTAINS(test, log, "] pgfault ");
	KUNIT_EXPECT_STR_CONTAINS(test, log, "] pgmajfault ");
	KUNIT_EXPECT_STR_CONTAINS(test, log, "40000000-40001000 r-xp 00000000 00:00 0\n");
	KUNIT_EXPECT_STR_CONTAINS(test, log, "555555560000-555555561000 rw-p 00000000 00:00 0");
	KUNIT_EXPECT_STR_CONTAINS(test, log, "                          [heap]\n");
	mmput(mm);
}

static struct kunit_case vm_cases[] = {
	KUNIT_CASE(errnos),
	KUNIT_CASE(demand_zero_and_munmap),
	KUNIT_CASE(split_merge_protect),
	KUNIT_CASE(fork_copy_on_write),
	KUNIT_CASE(shared_anonymous_across_fork),
	KUNIT_CASE(sequential_writes_fault_around),
	KUNIT_CASE(fault_around_matches_model),
	KUNIT_CASE(stack_growth),
	KUNIT_CASE(brk_heap),
	KUNIT_CASE(madvise_dontneed),
	KUNIT_CASE(placement_top_down),
	KUNIT_CASE(populate_and_counters),
	KUNIT_CASE(reports_name_the_counters),
	{}
};

static struct kunit_suite vm_suite = {
	.name = "vm",
	.init = vm_init,
	.exit = vm_exit,
	.test_cases = vm_cases,
};
kunit_test_suite(vm_suite);
