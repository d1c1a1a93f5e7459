/*
 * tests/kernel/slab_kernel_test.c - slab, kmalloc and vmalloc where only
 * the kernel can test them: the global kmalloc caches and meminfo, a
 * vmalloc guard-page overrun caught as a fault whose report names the
 * area's owner, several threads on different CPUs allocating and
 * freeing from one cache at once with no object handed out twice, and
 * objects freed on one CPU reaching another through the cache's barn.
 */
#include "kernel/fault.h"
#include "kernel/kthread.h"
#include "kernel/kunit.h"
#include "kernel/lib/string.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/smp.h"
#include "kernel/time.h"
#include "mm/kmalloc.h"
#include "mm/slab_internal.h"
#include "mm/page_alloc.h"
#include "mm/vmalloc.h"
#include "mm/arch_mm.h"
#include <arch/mmu.h>

static char report[8192];

/* The global caches exist and kmalloc/kfree balance on the global node. */
static void global_kmalloc_and_meminfo(struct kunit *test)
{
	void *p[64];

	for (int i = 0; i < 64; i++)
		KUNIT_ASSERT_NOT_NULL(test, p[i] = kmalloc(8 << (i % 10), GFP_KERNEL));
	for (int i = 0; i < 64; i++)
		kfree(p[i]);
	printk_capture_start(report, sizeof(report));
	show_meminfo(&contig_page_data);
	show_slabinfo();
	printk_capture_stop();
	KUNIT_EXPECT_STR_CONTAINS(test, report, "Slab:");
	KUNIT_EXPECT_STR_CONTAINS(test, report, "SReclaimable:");
	KUNIT_EXPECT_STR_CONTAINS(test, report, "SUnreclaim:");
	KUNIT_EXPECT_STR_CONTAINS(test, report, "VmallocUsed:");
	KUNIT_EXPECT_STR_CONTAINS(test, report, "kmalloc-96 ");
	KUNIT_EXPECT_STR_CONTAINS(test, report, "kmalloc-192 ");
}

/* vmalloc memory works, its pages return, and vfree unmaps it. */
static void vmalloc_roundtrip(struct kunit *test)
{
	unsigned long before;
	char *p;

	/* The first use of the range may build page tables: kept after. */
	vfree(vmalloc(PAGE_SIZE));
	before = nr_free_pages();
	p = vmalloc(5 * PAGE_SIZE + 1);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_TRUE(test, is_vmalloc_addr(p));
	memset(p, 0x5a, 6 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, p[6 * PAGE_SIZE - 1], 0x5a);
	KUNIT_EXPECT_TRUE(test, arch_kernel_pte_present((unsigned long)p));
	KUNIT_EXPECT_FALSE(test, arch_kernel_pte_present((unsigned long)p + 6 * PAGE_SIZE));
	vfree(p);
	KUNIT_EXPECT_FALSE(test, arch_kernel_pte_present((unsigned long)p));
	KUNIT_EXPECT_EQ(test, nr_free_pages(), before);
}

static __attribute__((noinline)) void *vmalloc_owner_for_test(void)
{
	return vmalloc(2 * PAGE_SIZE);
}

static void overrun(void *arg)
{
	volatile char *p = arg;

	p[2 * PAGE_SIZE] = 1;		/* one byte past the end */
}

/* Running off the end hits the guard page; the report names the owner. */
static void guard_page_overrun_caught(struct kunit *test)
{
	struct fault_info fi = { 0 };
	char *p = vmalloc_owner_for_test();
	bool caught;

	KUNIT_ASSERT_NOT_NULL(test, p);
	printk_capture_start(report, sizeof(report));
	caught = run_catching_faults(overrun, p, &fi);
	printk_capture_stop();
	KUNIT_EXPECT_TRUE(test, caught);
	KUNIT_EXPECT_EQ(test, fi.addr, (unsigned long)p + 2 * PAGE_SIZE);
	KUNIT_EXPECT_STR_CONTAINS(test, report, "vmalloc area");
	KUNIT_EXPECT_STR_CONTAINS(test, report, "vmalloc_owner_for_test+");
	KUNIT_EXPECT_STR_CONTAINS(test, report, "guard page, an overrun past the area's end");
	vfree(p);
}

/* ---- concurrency: threads on different CPUs share one cache ---- */

#define NTHREADS	4
#define ROUNDS		300
#define HELD		64

static struct kmem_cache *shared;
static volatile bool go;
static unsigned int arrived;
static bool overlap_seen;		/* some round overlapped another CPU's */
static uint64_t overlap_deadline;	/* ...or give up looking then */

struct worker {
	unsigned int id;
	unsigned long errors;
	unsigned int cpus_seen;
	unsigned long progress;		/* rounds done, read by the others */
	unsigned long overlaps;		/* rounds in which a worker on another
					 * CPU made progress */
};
static struct worker w[NTHREADS];

/* Progress of the workers that have run on a CPU other than this one. */
static unsigned long others_progress(const struct worker *self)
{
	unsigned long sum = 0;
	unsigned int cpu = arch_cpu_id();

	for (unsigned int i = 0; i < NTHREADS; i++)
		if (&w[i] != self && (READ_ONCE(w[i].cpus_seen) & ~(1u << cpu)))
			sum += READ_ONCE(w[i].progress);
	return sum;
}

static int worker_fn(void *arg)
{
	struct worker *wk = arg;
	uint32_t *held[HELD];

	/* Barrier: nobody starts until every worker is here. */
	__atomic_fetch_add(&arrived, 1, __ATOMIC_SEQ_CST);
	while (!go)
		yield();
	/* ROUNDS, then on until an overlap was seen: under load the host may
	 * run the CPUs in turn for a while. */
	for (int r = 0; r < ROUNDS || (!READ_ONCE(overlap_seen) &&
				       clock_ns() < overlap_deadline); r++) {
		unsigned long others = others_progress(wk);

		unsigned int n = 1 + (unsigned int)((r * 7 + wk->id) % HELD);

		for (unsigned int i = 0; i < n; i++) {
			held[i] = kmem_cache_alloc(shared, GFP_KERNEL);
			if (!held[i]) {
				wk->errors++;
				n = i;
				break;
			}
			/* Claim it: a second owner would see a stamp not its own. */
			held[i][0] = wk->id;
			held[i][1] = (uint32_t)i;
		}
		if (r % 8 == 0)
			yield();
		for (unsigned int i = 0; i < n; i++) {
			if (held[i][0] != wk->id || held[i][1] != i)
				wk->errors++;	/* handed out twice */
			kmem_cache_free(shared, held[i]);
		}
		if (others_progress(wk) != others) {
			wk->overlaps++;		/* both CPUs were inside */
			WRITE_ONCE(overlap_seen, true);
		}
		WRITE_ONCE(wk->progress, wk->progress + 1);
		WRITE_ONCE(wk->cpus_seen, wk->cpus_seen | 1u << arch_cpu_id());
	}
	return 0;
}

/*
 * Four threads on two or more CPUs allocate and free from one cache.
 * They start behind a barrier, and the case proves they overlapped: a
 * round counts when a worker on another CPU made progress during it. A
 * run where the CPUs took turns (no overlap) fails rather than passes.
 */
static void concurrent_alloc_free_no_duplicates(struct kunit *test)
{
	struct thread *t[NTHREADS];
	unsigned int ncpu = num_online_cpus(), seen = 0;
	unsigned long before = nr_free_pages(), overlaps = 0;

	if (ncpu < 2)
		kunit_skip(test, "needs -smp 2 or more (%u CPU online)", ncpu);
	shared = kmem_cache_create("test_concurrent", 48, 0, 0, NULL);
	KUNIT_ASSERT_NOT_NULL(test, shared);
	/* White box, before first use: sheaves of 8 and a barn of 4, so
	 * that rounds of up to HELD objects trade sheaves with the barn and
	 * send objects home all the time, on every CPU at once. */
	shared->sheaf_capacity = 8;
	shared->barn_max = 4;
	go = false;
	arrived = 0;
	overlap_seen = false;
	overlap_deadline = clock_ns() + 10ULL * 1000 * 1000 * 1000;
	for (unsigned int i = 0; i < NTHREADS; i++) {
		w[i] = (struct worker){ .id = i + 1 };
		t[i] = kthread_create(worker_fn, &w[i], "slabtest%u", i);
		KUNIT_ASSERT_NOT_NULL(test, t[i]);
		kthread_bind(t[i], i % ncpu);
		wake_up_process(t[i]);
	}
	while (__atomic_load_n(&arrived, __ATOMIC_SEQ_CST) < NTHREADS)
		yield();
	go = true;
	for (unsigned int i = 0; i < NTHREADS; i++) {
		kthread_stop(t[i]);
		KUNIT_EXPECT_EQ(test, w[i].errors, 0UL);
		seen |= w[i].cpus_seen;
		overlaps += w[i].overlaps;
	}
	kunit_info(test, "%lu rounds overlapped a worker on another CPU", overlaps);
	KUNIT_EXPECT_GE(test, __builtin_popcount(seen), 2);
	KUNIT_EXPECT_GT(test, overlaps, 0UL);
	KUNIT_EXPECT_EQ(test, kmem_cache_objects_in_use(shared), 0UL);
	kmem_cache_destroy(shared);
	/* Per-CPU page lists may keep a few pages; the slabs came back. */
	KUNIT_EXPECT_GE(test, nr_free_pages() + 64, before);
}

#define PASSED		2000
#define PASS_CAPACITY	16

static void *passed[PASSED];
static unsigned long pass_failures;

static int alloc_passed(void *arg)
{
	for (int i = 0; i < PASSED; i++)
		if (!(passed[i] = kmem_cache_alloc(shared, GFP_KERNEL)))
			pass_failures++;
	return 0;
}

static int free_passed(void *arg)
{
	for (int i = 0; i < PASSED; i++)
		kmem_cache_free(shared, passed[i]);
	return 0;
}

/* Run fn in a thread bound to cpu and wait for it. */
static void run_on(struct kunit *test, unsigned int cpu, int (*fn)(void *))
{
	struct thread *t = kthread_create(fn, NULL, "slabpass%u", cpu);

	KUNIT_ASSERT_NOT_NULL(test, t);
	kthread_bind(t, cpu);
	wake_up_process(t);
	kthread_stop(t);
}

/*
 * Objects freed on one CPU feed allocations on another through the barn:
 * CPU 1 allocates PASSED objects, CPU 0 frees them (its two sheaves fill,
 * the other full sheaves go to the barn; no object goes home), and CPU
 * 1's next PASSED allocations take those sheaves whole, needing at most
 * one new slab for what CPU 0's own sheaves keep. Then CPU 1 frees them
 * all, and kmem_cache_shrink() from here empties CPU 1's sheaves too (a
 * call on each CPU): every slab goes back. A debug cache (slab_debug=on)
 * has no sheaves: there every free goes home at once, and the second
 * round reuses the slabs the first emptied.
 */
static void objects_cross_cpus_through_the_barn(struct kunit *test)
{
	unsigned long slabs, partial;
	bool debug;

	if (num_online_cpus() < 2)
		kunit_skip(test, "needs -smp 2 or more");
	shared = kmem_cache_create("test_barn", 64, 0, 0, NULL);
	KUNIT_ASSERT_NOT_NULL(test, shared);
	debug = slab_debug_on(shared);
	shared->sheaf_capacity = PASS_CAPACITY;	/* white box, before use */
	shared->barn_max = PASSED / PASS_CAPACITY;
	pass_failures = 0;
	run_on(test, 1, alloc_passed);
	slabs = shared->nr_slabs;
	partial = shared->nr_partial;
	KUNIT_EXPECT_EQ(test, shared->nr_empty, 0UL);
	run_on(test, 0, free_passed);
	if (debug) {
		KUNIT_EXPECT_EQ(test, shared->nr_partial + shared->barn.nr_full, 0UL);
		KUNIT_EXPECT_EQ(test, shared->nr_empty, (unsigned long)shared->min_partial);
	} else {
		KUNIT_EXPECT_EQ(test, shared->barn.nr_full,
				(unsigned int)((PASSED - 2 * PASS_CAPACITY) / PASS_CAPACITY));
		/* Nothing went home: the slab lists are as CPU 1 left them. */
		KUNIT_EXPECT_EQ(test, shared->nr_partial, partial);
		KUNIT_EXPECT_EQ(test, shared->nr_empty, 0UL);
	}
	run_on(test, 1, alloc_passed);
	KUNIT_EXPECT_EQ(test, shared->barn.nr_full, 0u);
	KUNIT_EXPECT_LE(test, shared->nr_slabs, slabs + (debug ? 0 : 1));
	run_on(test, 1, free_passed);
	KUNIT_EXPECT_EQ(test, kmem_cache_objects_in_use(shared), 0UL);
	kmem_cache_shrink(shared);
	KUNIT_EXPECT_EQ(test, shared->nr_slabs, 0UL);
	KUNIT_EXPECT_EQ(test, pass_failures, 0UL);
	kmem_cache_destroy(shared);
}

static struct kunit_case slab_kernel_cases[] = {
	KUNIT_CASE(global_kmalloc_and_meminfo),
	KUNIT_CASE(vmalloc_roundtrip),
	KUNIT_CASE(guard_page_overrun_caught),
	KUNIT_CASE(concurrent_alloc_free_no_duplicates),
	KUNIT_CASE(objects_cross_cpus_through_the_barn),
	{}
};

static struct kunit_suite slab_kernel_suite = {
	.name = "slab_kernel",
	.test_cases = slab_kernel_cases,
};
kunit_test_suite(slab_kernel_suite);
