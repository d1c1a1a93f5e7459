/*
 * tests/kernel/vm_kernel_test.c - address spaces on several CPUs at once
 * (kernel only: threads). One parent mm and a child per CPU, forked from
 * it, share private pages copy-on-write and a shared anonymous mapping.
 * Each CPU's thread, bound to its CPU, breaks COW on random pages of its
 * own mm, writes its own slot of the shared mapping, and forks and puts
 * a grandchild now and then - so page refcounts and mapcounts, the
 * anon_vma's VMA list and the shared object's references change from
 * several CPUs at once. At the end every value is checked (the parent's
 * pages untouched, each child's its own, every slot of the shared page
 * its CPU's last value) and every page of the arena is back.
 *
 * A second case does the same for a file: each CPU's own mm maps one
 * file MAP_SHARED (tests/suites/memstore.h under the real page cache),
 * stores its own slot of every page, msyncs now and then, and CPU 0 also
 * asks reclaim's rmap questions (page_referenced, try_to_unmap) of
 * random pages - faults, page_mkwrite, page_mkclean from writeback and
 * the i_mmap walks race. At the end the store holds every CPU's last
 * value in every page.
 */
#include "tests/suites/test_arena.h"
#include "kernel/kthread.h"
#include "kernel/lib/random.h"
#include "kernel/lib/vsprintf.h"
#include "kernel/sched.h"
#include "kernel/smp.h"
#include "kernel/time.h"
#include "mm/filemap.h"
#include "mm/lru.h"
#include "mm/migrate.h"
#include "mm/mm.h"
#include "mm/rmap.h"
#include "tests/suites/memstore.h"

#define A		0x40000000UL
#define NPRIV		32
#define ITERS		400

static struct test_arena arena;

struct worker {
	struct mm_struct *mm;
	unsigned int cpu;
	unsigned long shared;
	uint64_t seed;
	uint64_t mine[NPRIV];	/* what this mm's private pages hold */
	uint64_t last_slot;
	unsigned long bad, forks;
	char why[96];		/* the first thing that went wrong */
	struct thread *t;
};

static struct worker workers[NR_CPUS];

static bool rd(struct mm_struct *mm, unsigned long va, uint64_t *v)
{
	return access_remote_vm(mm, va, v, sizeof(*v), false) == sizeof(*v);
}

static bool wr(struct mm_struct *mm, unsigned long va, uint64_t v)
{
	return access_remote_vm(mm, va, &v, sizeof(v), true) == sizeof(v);
}

/*
 * While the migrator (below) runs, a worker starts only once it has done
 * a round, and goes on past its iterations until the migrator has moved
 * a page since the worker began (for at most 10 s): on a busy host the
 * workers could otherwise finish before the migrator ran at all (seen on
 * arm64-virt-gicv2 with another machine booting beside it: "0 of 0 pages
 * moved"), and the case would not have tested what it exists for.
 */
static bool migrating;
static unsigned long migrator_moved, migrator_tried, migrator_rounds;

struct overlap {
	unsigned long moved0;
	uint64_t deadline;
};

static void worker_begin(struct overlap *o)
{
	while (READ_ONCE(migrating) && !READ_ONCE(migrator_rounds))
		yield();
	o->moved0 = READ_ONCE(migrator_moved);
	o->deadline = clock_ns() + 10ULL * 1000 * 1000 * 1000;
}

static bool worker_more(const struct overlap *o, int i, int iters)
{
	return i < iters ||
	       (READ_ONCE(migrating) && READ_ONCE(migrator_moved) == o->moved0 &&
		clock_ns() < o->deadline);
}

static int worker_fn(void *arg)
{
	struct worker *w = arg;
	struct overlap o;
	struct prng r;
	uint64_t v;

	prng_seed(&r, w->seed);
	worker_begin(&o);
	for (int i = 0; worker_more(&o, i, ITERS); i++) {
		unsigned int pg = (unsigned int)prng_below(&r, NPRIV);
		uint64_t val = ((uint64_t)w->cpu << 32) | (uint64_t)i;

		if (!wr(w->mm, A + pg * PAGE_SIZE, val) ||
		    !rd(w->mm, A + pg * PAGE_SIZE, &v) || v != val)
			w->bad++;
		w->mine[pg] = val;
		w->last_slot = val;
		if (!wr(w->mm, w->shared + w->cpu * 8, val))
			w->bad++;
		if (i % 50 == 0) {
			struct mm_struct *g = dup_mm(w->mm);

			if (!g || !wr(g, A, 0xdead) || !rd(w->mm, A, &v) ||
			    v != w->mine[0])
				w->bad++;
			if (g)
				mmput(g);
			w->forks++;
		}
	}
	return 0;
}

/*
 * The migrator: while the workers run, a thread moves the arena's user
 * pages (mm/migrate.h) - it scans the arena's pfns as compaction does,
 * isolates the LRU pages it finds, moves them, alternating MIGRATE_ASYNC
 * and MIGRATE_SYNC - so faults, COW breaks, forks, msync, writeback and
 * reclaim's rmap questions all meet pages that are moving. Every value
 * checked at the end must still be there.
 */
static bool migrator_stop;

static struct page *arena_page(struct page *old, unsigned long private)
{
	(void)old;
	(void)private;
	return alloc_pages_node(&arena.pgdat, GFP_HIGHUSER_MOVABLE |
				__GFP_NOWARN, 0);
}

static int migrator_fn(void *arg)
{
	unsigned long start = PHYS_PFN(virt_to_phys(arena.chunk));
	unsigned long end = start + TEST_ARENA_CHUNK / PAGE_SIZE;
	unsigned long pfn = start;
	struct prng r;

	prng_seed(&r, (uint64_t)(uintptr_t)arg);
	for (unsigned int round = 0; !READ_ONCE(migrator_stop); round++) {
		struct list_head list = LIST_HEAD_INIT(list);
		unsigned long n = 0, left;

		lru_add_drain_all();
		/* On round the arena, a random stride: every page is met. */
		for (unsigned long seen = 0; seen < 256 && n < 16;
		     seen++, pfn += 1 + prng_below(&r, 2)) {
			struct page *page;

			if (pfn >= end)
				pfn = start;
			page = pfn_to_page(pfn);
			if (page && isolate_movable_page(page)) {
				list_add_tail(&page->lru, &list);
				n++;
			}
		}
		left = migrate_pages(&list, arena_page, NULL, 0,
				     round & 1 ? MIGRATE_SYNC : MIGRATE_ASYNC,
				     MR_SYSCALL, NULL);
		putback_movable_pages(&list);
		migrator_tried += n;
		WRITE_ONCE(migrator_moved, migrator_moved + n - left);
		WRITE_ONCE(migrator_rounds, migrator_rounds + 1);
		yield();
	}
	return 0;
}

static struct thread *start_migrator(struct kunit *test)
{
	struct thread *t;

	migrator_stop = false;
	migrator_moved = migrator_tried = migrator_rounds = 0;
	t = kthread_create(migrator_fn, (void *)(uintptr_t)test->seed,
			   "migrator");
	if (t) {
		WRITE_ONCE(migrating, true);	/* only with a migrator */
		wake_up_process(t);
	}
	return t;
}

static void stop_migrator(struct kunit *test, struct thread *t)
{
	WRITE_ONCE(migrator_stop, true);
	kthread_stop(t);
	WRITE_ONCE(migrating, false);
	kunit_info(test, "migrator: %lu of %lu pages moved", migrator_moved,
		   migrator_tried);
	KUNIT_EXPECT_GT(test, migrator_moved, 0UL);
}

static void forked_mms(struct kunit *test, bool moving)
{
	struct thread *mig = NULL;
	struct mm_struct *parent;
	unsigned int n = 0;
	long shared;
	uint64_t v;

	KUNIT_ASSERT_TRUE(test, test_arena_make(test, &arena, 0));
	parent = mm_alloc_node(&arena.pgdat, NULL);
	KUNIT_ASSERT_NOT_NULL(test, parent);
	KUNIT_ASSERT_EQ(test, do_mmap(parent, A, NPRIV * PAGE_SIZE,
				      PROT_READ | PROT_WRITE,
				      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, 0), (long)A);
	shared = do_mmap(parent, 0, PAGE_SIZE, PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_ANONYMOUS, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR_VALUE(shared));
	for (unsigned int pg = 0; pg < NPRIV; pg++)
		KUNIT_ASSERT_TRUE(test, wr(parent, A + pg * PAGE_SIZE, 1000 + pg));

	for_each_online_cpu(cpu) {
		struct worker *w = &workers[n];

		*w = (struct worker){ .cpu = cpu, .shared = (unsigned long)shared,
				      .seed = test->seed + cpu };
		w->mm = dup_mm(parent);
		KUNIT_ASSERT_NOT_NULL(test, w->mm);
		for (unsigned int pg = 0; pg < NPRIV; pg++)
			w->mine[pg] = 1000 + pg;
		w->t = kthread_create(worker_fn, w, "vmsmp%u", cpu);
		KUNIT_ASSERT_NOT_NULL(test, w->t);
		kthread_bind(w->t, cpu);
		n++;
	}
	if (moving) {
		mig = start_migrator(test);
		KUNIT_ASSERT_NOT_NULL(test, mig);
	}
	for (unsigned int i = 0; i < n; i++)
		wake_up_process(workers[i].t);
	for (unsigned int i = 0; i < n; i++)
		kthread_stop(workers[i].t);
	if (mig)
		stop_migrator(test, mig);

	for (unsigned int i = 0; i < n; i++) {
		struct worker *w = &workers[i];

		KUNIT_EXPECT_EQ(test, w->bad, 0UL);
		for (unsigned int pg = 0; pg < NPRIV; pg++) {
			KUNIT_EXPECT_TRUE(test, rd(w->mm, A + pg * PAGE_SIZE, &v));
			KUNIT_EXPECT_EQ(test, v, w->mine[pg]);
		}
		KUNIT_EXPECT_TRUE(test, rd(parent, w->shared + w->cpu * 8, &v));
		KUNIT_EXPECT_EQ(test, v, w->last_slot);
		mmput(w->mm);
	}
	for (unsigned int pg = 0; pg < NPRIV; pg++) {
		KUNIT_EXPECT_TRUE(test, rd(parent, A + pg * PAGE_SIZE, &v));
		KUNIT_EXPECT_EQ(test, v, 1000ULL + pg);
	}
	kunit_info(test, "%u CPUs, %d iterations each", n, ITERS);
	mmput(parent);
	test_arena_done(test, &arena);	/* every page back */
}

static void forked_mms_on_every_cpu(struct kunit *test)
{
	forked_mms(test, false);
}

static void forked_mms_while_pages_move(struct kunit *test)
{
	forked_mms(test, true);
}

/* ------------------------------------------------ a shared file mapping */

#define FPAGES		8
#define FITERS		300

static struct memstore fstore;
static unsigned char fdata[FPAGES * PAGE_SIZE];
static struct file ffile;
static struct address_space_operations faops;

/* The store's writepage after what clear_page_dirty_for_io will do once
 * filemap calls rmap: write-protect the page's shared PTEs. */
static int fwritepage(struct page *page, struct writeback_control *wbc)
{
	page_mkclean(page);
	return memstore_writepage(page, wbc);
}

static int ffsync(struct file *f, loff_t start, loff_t end, int datasync)
{
	(void)datasync;
	return filemap_write_and_wait_range(f->f_mapping, start, end);
}

static const struct file_operations ffops = {
	.mmap = generic_file_mmap,
	.fsync = ffsync,
};

static void __printf(2, 3) file_worker_bad(struct worker *w, const char *fmt, ...)
{
	va_list ap;

	if (!w->bad++) {
		va_start(ap, fmt);
		kvsnprintf(w->why, sizeof(w->why), fmt, ap);
		va_end(ap);
	}
}

static int file_worker_fn(void *arg)
{
	struct worker *w = arg;
	struct overlap o;
	struct prng r;
	uint64_t v;

	prng_seed(&r, w->seed);
	worker_begin(&o);
	for (int i = 0; worker_more(&o, i, FITERS); i++) {
		unsigned int pg = (unsigned int)prng_below(&r, FPAGES);
		unsigned long va = A + pg * PAGE_SIZE + w->cpu * 8;
		uint64_t val = ((uint64_t)w->cpu << 32) | (uint64_t)(i + 1);

		int err;

		v = 0;
		if (!wr(w->mm, va, val) || !rd(w->mm, va, &v) || v != val)
			file_worker_bad(w, "iteration %d: wrote %#llx at page %u, read %#llx",
					i, (unsigned long long)val, pg,
					(unsigned long long)v);
		w->mine[pg] = val;
		if (i % 40 == 0 &&
		    (err = do_msync(w->mm, A, FPAGES * PAGE_SIZE, MS_SYNC)))
			file_worker_bad(w, "iteration %d: msync returned %d", i, err);
		if (w->cpu == 0 && i % 3 == 0) {
			struct page *page = find_lock_page(&fstore.mapping,
							   prng_below(&r, FPAGES));
			unsigned long flags;

			if (page) {
				page_referenced(page, &flags);
				if (i % 2)
					try_to_unmap(page);
				unlock_page_wake(page);
				put_page(page);
			}
		}
	}
	return 0;
}

static void shared_file(struct kunit *test, bool moving)
{
	struct thread *mig = NULL;
	unsigned int n = 0;

	KUNIT_ASSERT_TRUE(test, test_arena_make(test, &arena, 0));
	memstore_init(&fstore, fdata, sizeof(fdata), &arena.pgdat, false);
	faops = *fstore.mapping.a_ops;
	faops.writepage = fwritepage;
	fstore.mapping.a_ops = &faops;
	fstore.mapping.size = sizeof(fdata);
	memstore_file(&fstore, &ffile);
	ffile.f_op = &ffops;

	for_each_online_cpu(cpu) {
		struct worker *w = &workers[n];

		*w = (struct worker){ .cpu = cpu, .seed = test->seed + cpu };
		w->mm = mm_alloc_node(&arena.pgdat, NULL);
		KUNIT_ASSERT_NOT_NULL(test, w->mm);
		KUNIT_ASSERT_EQ(test, do_mmap_file(w->mm, &ffile, A,
						   FPAGES * PAGE_SIZE,
						   PROT_READ | PROT_WRITE,
						   MAP_SHARED | MAP_FIXED, 0), (long)A);
		w->t = kthread_create(file_worker_fn, w, "vmfile%u", cpu);
		KUNIT_ASSERT_NOT_NULL(test, w->t);
		kthread_bind(w->t, cpu);
		n++;
	}
	if (moving) {
		mig = start_migrator(test);
		KUNIT_ASSERT_NOT_NULL(test, mig);
	}
	for (unsigned int i = 0; i < n; i++)
		wake_up_process(workers[i].t);
	for (unsigned int i = 0; i < n; i++)
		kthread_stop(workers[i].t);
	if (mig)
		stop_migrator(test, mig);

	KUNIT_EXPECT_EQ(test, do_msync(workers[0].mm, A, FPAGES * PAGE_SIZE,
				       MS_SYNC), 0);
	for (unsigned int i = 0; i < n; i++) {
		struct worker *w = &workers[i];

		KUNIT_EXPECT_EQ(test, w->bad, 0UL);
		if (w->bad)
			kunit_info(test, "CPU %u's worker: %s", w->cpu, w->why);
		for (unsigned int pg = 0; pg < FPAGES; pg++) {
			uint64_t v;

			memcpy(&v, fdata + pg * PAGE_SIZE + w->cpu * 8, 8);
			KUNIT_EXPECT_EQ(test, v, w->mine[pg]);
		}
		mmput(w->mm);
	}
	KUNIT_EXPECT_EQ(test, ffile.f_count, 1);
	kunit_info(test, "%u CPUs, %d iterations each, %lu pages written "
		   "back", n, FITERS, fstore.writes);
	truncate_inode_pages(&fstore.mapping, 0);
	memstore_destroy(&fstore);
	test_arena_done(test, &arena);	/* every page back */
}

static void shared_file_on_every_cpu(struct kunit *test)
{
	shared_file(test, false);
}

static void shared_file_while_pages_move(struct kunit *test)
{
	shared_file(test, true);
}

/*
 * A dirty page always carries its dirty mark, which is how every sync
 * finds it. One CPU dirties a page over and over (as a store through a
 * shared mapping does, without the page lock) while another cleans it
 * for I/O; after each clean, once the dirtier's call in flight has
 * returned, a page that is dirty must have its mark. A clean that took
 * the mark away after the dirtier had set it again (found by
 * shared_file_on_every_cpu as a lost store) broke this within 3-102
 * rounds in three runs on x86_64 -smp 2.
 *
 * Each round waits for the other CPU's calls, so a round needs both
 * vCPUs running at once on the host: 20,000 rounds took 40 ms alone,
 * 1-9 s with four machines booted beside it on two host cores, and over
 * a minute in one such run (a whole test run's time limit is 150 s; CI
 * timed out in this suite once). So the rounds stop at 20,000 or, once
 * at least 1,000 are done (ten times the most the bug needed alone),
 * after 5 s. Under that load the bug, put back, took 6, 273 and 9,119
 * rounds (the last run's kernel had booted 1.6 s before it ended).
 */
#define DIRTY_ROUNDS		20000
#define DIRTY_ROUNDS_MIN	1000
#define DIRTY_BUDGET_NS		(5ULL * 1000 * 1000 * 1000)

static struct page *race_page;
static unsigned long dirtier_calls;	/* set_page_dirty calls returned */
static bool dirtier_stop;

static int dirtier_fn(void *arg)
{
	(void)arg;
	while (!READ_ONCE(dirtier_stop)) {
		set_page_dirty(race_page);
		__atomic_fetch_add(&dirtier_calls, 1, __ATOMIC_RELEASE);
	}
	return 0;
}

static unsigned long cleaned, unmarked, rounds;

/* On the other CPU: clean, wait for the dirtier's call in flight, look. */
static int cleaner_fn(void *arg)
{
	uint64_t deadline = clock_ns() + DIRTY_BUDGET_NS;
	unsigned long flags;

	(void)arg;
	for (rounds = 0; rounds < DIRTY_ROUNDS && !unmarked &&
	     (rounds < DIRTY_ROUNDS_MIN || clock_ns() < deadline); rounds++) {
		unsigned long seen;
		bool marked;

		if (clear_page_dirty_for_io(race_page))
			cleaned++;
		/* Let the dirtier's call in flight finish (two returns). */
		seen = __atomic_load_n(&dirtier_calls, __ATOMIC_ACQUIRE);
		while (__atomic_load_n(&dirtier_calls, __ATOMIC_ACQUIRE) < seen + 2)
			arch_cpu_relax();
		spin_lock_irqsave(&fstore.mapping.i_pages_lock, flags);
		marked = xa_get_mark(&fstore.mapping.i_pages, 0,
				     PAGECACHE_TAG_DIRTY);
		if (PageDirty(race_page) && !marked)
			unmarked++;
		spin_unlock_irqrestore(&fstore.mapping.i_pages_lock, flags);
	}
	WRITE_ONCE(dirtier_stop, true);
	return 0;
}

static void set_dirty_beside_clear_keeps_the_mark(struct kunit *test)
{
	struct thread *dirtier, *cleaner;

	if (num_online_cpus() < 2)
		kunit_skip(test, "one CPU: the race needs two");
	KUNIT_ASSERT_TRUE(test, test_arena_make(test, &arena, 0));
	memstore_init(&fstore, fdata, sizeof(fdata), &arena.pgdat, false);
	fstore.mapping.size = sizeof(fdata);
	/* Locked for the whole case: the page lock is not what orders a
	 * store's set_page_dirty against the clean. */
	race_page = find_or_create_page(&fstore.mapping, 0, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, race_page);
	cleaned = unmarked = dirtier_calls = rounds = 0;
	dirtier_stop = false;
	dirtier = kthread_create(dirtier_fn, NULL, "dirtier");
	cleaner = kthread_create(cleaner_fn, NULL, "cleaner");
	KUNIT_ASSERT_NOT_NULL(test, dirtier);
	KUNIT_ASSERT_NOT_NULL(test, cleaner);
	kthread_bind(dirtier, 1);
	kthread_bind(cleaner, 0);
	wake_up_process(dirtier);
	wake_up_process(cleaner);
	KUNIT_EXPECT_EQ(test, kthread_stop(cleaner), 0);	/* it sets stop */
	KUNIT_EXPECT_EQ(test, kthread_stop(dirtier), 0);
	kunit_info(test, "%lu rounds, %lu cleans, %lu dirtier calls", rounds,
		   cleaned, dirtier_calls);
	KUNIT_EXPECT_EQ(test, unmarked, 0UL);
	KUNIT_EXPECT_GT(test, cleaned, 0UL);	/* they did race */
	clear_page_dirty_for_io(race_page);
	unlock_page_wake(race_page);
	put_page(race_page);
	truncate_inode_pages(&fstore.mapping, 0);
	memstore_destroy(&fstore);
	test_arena_done(test, &arena);	/* every page back */
}

static struct kunit_case vm_smp_cases[] = {
	KUNIT_CASE(forked_mms_on_every_cpu),
	KUNIT_CASE(shared_file_on_every_cpu),
	KUNIT_CASE(forked_mms_while_pages_move),
	KUNIT_CASE(shared_file_while_pages_move),
	KUNIT_CASE(set_dirty_beside_clear_keeps_the_mark),
	{}
};

static struct kunit_suite vm_smp_suite = {
	.name = "vm_smp",
	.test_cases = vm_smp_cases,
};
kunit_test_suite(vm_smp_suite);
