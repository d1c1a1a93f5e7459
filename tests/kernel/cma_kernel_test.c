/*
 * tests/kernel/cma_kernel_test.c - the boot CMA region (cma= on the
 * command line, or the device tree's pool): reserved, activated as
 * MIGRATE_CMA pageblocks whose pages are free in the buddy allocator,
 * taken and given back whole and in aligned runs. Skips without a region; tools/run-tests boots two
 * configurations with cma=16M where it must run (docs/mm/cma.md).
 */
#include "tests/suites/test_arena.h"
#include "kernel/kthread.h"
#include "kernel/kunit.h"
#include "kernel/lib/random.h"
#include "kernel/lib/string.h"
#include "kernel/sched.h"
#include "kernel/smp.h"
#include "mm/cma.h"
#include "mm/mm.h"
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

/* ---------------------------------------------- while every CPU stores */

#define VA		0x40000000UL
#define WPAGES		16
#define ROUNDS		40

static struct test_arena arena;
static struct cma acma;
static unsigned long abitmap[pageblock_nr_pages / (8 * sizeof(long))];
static bool churn_stop;

struct churner {
	struct mm_struct *mm;
	unsigned int cpu;
	uint64_t seed;
	uint64_t mine[WPAGES];
	unsigned long bad, stores;
	struct thread *t;
};
static struct churner churners[NR_CPUS];

static bool rd(struct mm_struct *mm, unsigned long va, uint64_t *v)
{
	return access_remote_vm(mm, va, v, sizeof(*v), false) == sizeof(*v);
}

static bool wr(struct mm_struct *mm, unsigned long va, uint64_t v)
{
	return access_remote_vm(mm, va, &v, sizeof(v), true) == sizeof(v);
}

/* Store, read back, now and then fork (COW copies come and go). */
static int churn_fn(void *arg)
{
	struct churner *c = arg;
	struct prng r;
	uint64_t v;

	prng_seed(&r, c->seed);
	for (uint64_t i = 1; !READ_ONCE(churn_stop); i++) {
		unsigned int pg = (unsigned int)prng_below(&r, WPAGES);
		uint64_t val = ((uint64_t)c->cpu << 40) | i;

		if (!wr(c->mm, VA + pg * PAGE_SIZE, val) ||
		    !rd(c->mm, VA + pg * PAGE_SIZE, &v) || v != val)
			c->bad++;
		c->mine[pg] = val;
		c->stores++;
		if (i % 64 == 0) {
			struct mm_struct *g = dup_mm(c->mm);

			if (!g || !wr(g, VA, 0xdead) || !rd(c->mm, VA, &v) ||
			    v != c->mine[0])
				c->bad++;
			if (g)
				mmput(g);
		}
		if (i % 16 == 0)
			yield();
	}
	return 0;
}

static void cma_alloc_while_every_cpu_stores(struct kunit *test)
{
	unsigned int n = 0, ok = 0;
	unsigned long moved0, moved;
	struct prng rng;
	uint64_t v;

	KUNIT_ASSERT_TRUE(test, test_arena_make(test, &arena, 0));
	KUNIT_ASSERT_EQ(test, cma_init_arena_region(&acma, "stress",
		PHYS_PFN(virt_to_phys(arena.chunk)) + pageblock_nr_pages,
		pageblock_nr_pages, 0, abitmap), 0);
	churn_stop = false;
	for_each_online_cpu(cpu) {
		struct churner *c = &churners[n];

		*c = (struct churner){ .cpu = cpu, .seed = test->seed + cpu };
		c->mm = mm_alloc_node(&arena.pgdat, NULL);
		KUNIT_ASSERT_NOT_NULL(test, c->mm);
		KUNIT_ASSERT_EQ(test, do_mmap(c->mm, VA, WPAGES * PAGE_SIZE,
					      PROT_READ | PROT_WRITE,
					      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
					      0), (long)VA);
		c->t = kthread_create(churn_fn, c, "cmachurn%u", cpu);
		KUNIT_ASSERT_NOT_NULL(test, c->t);
		kthread_bind(c->t, cpu);
		n++;
	}
	for (unsigned int i = 0; i < n; i++)
		wake_up_process(churners[i].t);

	/* No ASSERT until the churners stop: they use the arena. Let them
	 * get going first (all but the one sharing this CPU, which runs
	 * when this thread yields). */
	for (unsigned long spin = 0; spin < 100000; spin++) {
		unsigned int going = 0;

		for (unsigned int i = 0; i < n; i++)
			going += READ_ONCE(churners[i].stores) >= 32;
		if (going + 1 >= n)
			break;
		yield();
	}
	moved0 = global_vm_event(PGMIGRATE_SUCCESS);
	prng_seed(&rng, test->seed);
	for (int round = 0; round < ROUNDS; round++) {
		unsigned long count = round % 4 ? 1 + prng_below(&rng, 256) :
				      acma.count;
		unsigned int align = (unsigned int)prng_below(&rng, 9);
		struct page *page = cma_alloc(&acma, count, align);

		if (!page)
			continue;
		ok++;
		memset(page_address(page), 0x5a, count * PAGE_SIZE);
		KUNIT_EXPECT_TRUE(test, cma_release(&acma, page, count));
		yield();	/* the churners move in again */
	}
	moved = global_vm_event(PGMIGRATE_SUCCESS) - moved0;
	WRITE_ONCE(churn_stop, true);
	for (unsigned int i = 0; i < n; i++)
		kthread_stop(churners[i].t);

	KUNIT_EXPECT_EQ(test, ok, (unsigned int)ROUNDS);
	for (unsigned int i = 0; i < n; i++) {
		struct churner *c = &churners[i];

		KUNIT_EXPECT_EQ(test, c->bad, 0UL);
		for (unsigned int pg = 0; pg < WPAGES; pg++) {
			if (!c->mine[pg])
				continue;
			KUNIT_EXPECT_TRUE(test, rd(c->mm, VA + pg * PAGE_SIZE, &v));
			KUNIT_EXPECT_EQ(test, v, c->mine[pg]);
		}
		kunit_info(test, "cpu %u: %lu stores", c->cpu, c->stores);
		mmput(c->mm);
	}
	kunit_info(test, "%u of %d cma_alloc calls succeeded beside %u CPUs storing; %lu pages moved",
		   ok, ROUNDS, n, moved);
	/* The churners' pages were lent the region and had to move. */
	KUNIT_EXPECT_GT(test, moved, 0UL);
	cma_destroy_arena_region(&acma);
	test_arena_done(test, &arena);
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

static struct kunit_case cma_smp_cases[] = {
	KUNIT_CASE(cma_alloc_while_every_cpu_stores),
	{}
};

static struct kunit_suite cma_smp_suite = {
	.name = "cma_smp",
	.test_cases = cma_smp_cases,
};
kunit_test_suite(cma_smp_suite);
