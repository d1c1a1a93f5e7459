/*
 * tests/kernel/mm_smp_test.c - the page allocator and slab with every CPU
 * at once. Kernel only: it needs real CPUs.
 *
 * drain_another_cpus_lists: a thread bound to another CPU fills that CPU's
 * per-CPU page lists; a thread on CPU 0 drains them with drain_pages(cpu),
 * which asks that CPU (a cross-CPU call: only a list's own CPU touches
 * it); the lists must be empty, exactly their pages back in the buddy
 * lists, and the target must have taken the call.
 *
 * every_cpu_hammers_page_alloc_and_kmalloc: one thread per online CPU,
 * bound to it, started behind a barrier, allocates and frees pages of
 * orders 0..4 and kmalloc objects of 1 B..16 KiB, writes a pattern into
 * what it holds and checks it before freeing; meanwhile one more thread
 * drains every CPU's page lists again and again (drain_all_pages), so
 * drains land between and around the lists' fast-path operations (the
 * hammers keep going until it has done HAMMER_DRAINS). Each iteration
 * runs with preemption off and counts as an overlap when another CPU's
 * progress counter moved meanwhile: that CPU was working at the same
 * time, since no other thread could run on this one. Every CPU must see
 * an overlap (threads keep going past HAMMER_ITERS until all have, 20 s
 * at most: a loaded host may hold a virtual CPU back for a while). Then the
 * invariant checks: buddy_check(), kmem_cache_validate(), nothing in use,
 * and free pages back to where they were. kmalloc here is a private set
 * (kmalloc_from) over the global node, so that "nothing in use" and the
 * free count are exact whatever the rest of the kernel holds.
 *
 * Failures on worker threads are counted in shared variables and asserted
 * by the case function (kunit asserts may only run there).
 */
#include "kernel/kthread.h"
#include "kernel/kunit.h"
#include "kernel/lib/random.h"
#include "kernel/percpu.h"
#include "kernel/preempt.h"
#include "kernel/sched.h"
#include "kernel/smp.h"
#include "kernel/time.h"
#include "mm/internal.h"
#include "mm/kmalloc.h"

/* Pages of the global node on cpu's per-CPU lists, all zones. */
static unsigned long pcp_pages(unsigned int cpu)
{
	unsigned long n = 0;
	struct zone *zone;

	for_each_populated_zone_in(zone, &contig_page_data)
		n += (unsigned long)READ_ONCE(per_cpu_ptr(zone->pcp, cpu)->count);
	return n;
}

/* Pages of the global node in the buddy lists, all zones. */
static unsigned long buddy_pages(void)
{
	unsigned long n = 0;
	struct zone *zone;

	for_each_populated_zone_in(zone, &contig_page_data)
		n += READ_ONCE(zone->free_pages);
	return n;
}

/* ---------------------------------------------------------------- drain */

#define FILL_PAGES	64

static struct page *fill_pages[FILL_PAGES];
static int fill_ran_on;
static unsigned int fill_failed;

/* On the target CPU: take pages (refilling its lists), give them back. */
static int fill_pcp(void *arg)
{
	(void)arg;
	fill_ran_on = (int)arch_cpu_id();
	for (int i = 0; i < FILL_PAGES; i++) {
		fill_pages[i] = alloc_page(GFP_KERNEL);
		if (!fill_pages[i])
			fill_failed++;
	}
	for (int i = 0; i < FILL_PAGES; i++)
		if (fill_pages[i])
			__free_page(fill_pages[i]);
	return 0;
}

struct drain_req {
	unsigned int cpu;	/* whose lists */
	int ran_on;		/* where drain_pages() was called */
	unsigned long left, buddy;	/* pcp_pages(cpu), buddy_pages() after */
};

/* The counts are read here, before this thread's end frees its stack
 * (onto the lists of whichever CPU stops it, maybe the target). */
static int drain_from_here(void *arg)
{
	struct drain_req *r = arg;

	r->ran_on = (int)arch_cpu_id();
	drain_pages(r->cpu);
	r->left = pcp_pages(r->cpu);
	r->buddy = buddy_pages();
	return 0;
}

static void drain_another_cpus_lists(struct kunit *test)
{
	unsigned int target = num_online_cpus() - 1;
	struct drain_req req = { .cpu = target, .ran_on = -1 };
	bool listed[FILL_PAGES];
	unsigned int on_list = 0;
	struct thread *t;

	if (target == 0)
		kunit_skip(test, "one CPU");
	KUNIT_ASSERT_TRUE(test, (cpu_online_mask >> target) & 1);
	drain_all_pages(NULL);
	unsigned long free_before = nr_free_pages();

	fill_ran_on = -1;
	fill_failed = 0;
	t = kthread_create(fill_pcp, NULL, "pcp-fill");
	KUNIT_ASSERT_NOT_NULL(test, t);
	kthread_bind(t, target);
	wake_up_process(t);
	kthread_stop(t);	/* its stack goes to this CPU's lists, not target's */
	KUNIT_ASSERT_EQ(test, fill_ran_on, (int)target);
	KUNIT_ASSERT_EQ(test, fill_failed, 0u);
	/* The drainer, a thread on CPU 0 (never the target itself), made
	 * before anything is counted: its stack comes from some CPU's lists
	 * (the target's, if this thread runs there now). */
	t = kthread_create(drain_from_here, &req, "pcp-drain");
	KUNIT_ASSERT_NOT_NULL(test, t);
	kthread_bind(t, 0);

	unsigned long filled = pcp_pages(target);

	for (int i = 0; i < FILL_PAGES; i++) {
		listed[i] = PagePcp(fill_pages[i]);
		on_list += listed[i];
	}
	kunit_info(test, "CPU %u holds %lu pages on its lists, %u of ours",
		   target, filled, on_list);
	KUNIT_ASSERT_GT(test, filled, 0UL);
	KUNIT_EXPECT_GT(test, on_list, 0u);

	unsigned long buddy = buddy_pages();
	uint64_t calls = smp_ipi_count(target, IPI_CALL_FUNC);

	wake_up_process(t);
	kthread_stop(t);
	KUNIT_EXPECT_EQ(test, req.ran_on, 0);
	KUNIT_EXPECT_GT(test, smp_ipi_count(target, IPI_CALL_FUNC), calls);
	KUNIT_EXPECT_EQ(test, req.left, 0UL);
	KUNIT_EXPECT_EQ(test, req.buddy, buddy + filled);
	unsigned int still_listed = 0;

	for (int i = 0; i < FILL_PAGES; i++)
		still_listed += listed[i] && PagePcp(fill_pages[i]);
	KUNIT_EXPECT_EQ(test, still_listed, 0u);
	KUNIT_EXPECT_TRUE(test, buddy_check(&contig_page_data));
	drain_all_pages(NULL);
	KUNIT_EXPECT_EQ(test, nr_free_pages(), free_before);
}

/* ---------------------------------------------------------------- hammer */

#define HAMMER_ITERS	400
#define HAMMER_DRAINS	20		/* drains of every CPU meanwhile, at least */
#define HAMMER_SLOTS	16
#define HAMMER_MAX_NS	20000000000ULL	/* give up proving overlap: 20 s */
#define PAGE_ORDERS	5		/* 0..3 through the per-CPU lists, 4 not */

struct slot {
	void *p;		/* NULL: empty */
	size_t len;
	unsigned int order;	/* pages */
	bool is_page;
	uint64_t tag;
};

struct hammer {
	struct thread *t;
	unsigned int cpu;
	int ran_on;
	unsigned long iters, overlaps, alloc_failed, corrupt;
	struct slot slots[HAMMER_SLOTS];
};

static struct hammer hammers[NR_CPUS];
static DEFINE_PER_CPU(unsigned long, progress);	/* iterations done */
static struct kmalloc_set hammer_set;
static unsigned int h_started, h_arrived, h_proven, h_running;
static bool h_want_overlap;
static unsigned long h_drains;
static uint64_t h_deadline, h_seed;

/* One word every 64 bytes (every word below 256 B), and the last word. */
static size_t stride(size_t len)
{
	return len <= 256 ? sizeof(uint64_t) : 64;
}

static void fill(struct slot *s)
{
	uint64_t *w = s->p;
	size_t n = s->len / sizeof(uint64_t), step = stride(s->len) / sizeof(uint64_t);

	for (size_t i = 0; i < n; i += step)
		w[i] = s->tag ^ i;
	if (n)
		w[n - 1] = s->tag ^ (n - 1);
}

static bool intact(const struct slot *s)
{
	const uint64_t *w = s->p;
	size_t n = s->len / sizeof(uint64_t), step = stride(s->len) / sizeof(uint64_t);

	for (size_t i = 0; i < n; i += step)
		if (w[i] != (s->tag ^ i))
			return false;
	return !n || w[n - 1] == (s->tag ^ (n - 1));
}

static void release(struct hammer *h, struct slot *s)
{
	if (!intact(s))
		h->corrupt++;
	if (s->is_page)
		__free_pages(virt_to_page(s->p), s->order);
	else
		kfree(s->p);
	s->p = NULL;
}

static void take(struct hammer *h, struct slot *s, struct prng *rng)
{
	s->is_page = prng_below(rng, 2);
	if (s->is_page) {
		struct page *page;

		s->order = (unsigned int)prng_below(rng, PAGE_ORDERS);
		page = alloc_pages(GFP_KERNEL | __GFP_NOWARN, s->order);
		s->p = page ? page_address(page) : NULL;
		s->len = PAGE_SIZE << s->order;
	} else {
		/* 1 B .. 16 KiB, any size: every class, and pages above 8 KiB */
		s->len = 1 + (size_t)prng_below(rng, 8UL << prng_below(rng, 12));
		s->p = kmalloc_from(&hammer_set, s->len, GFP_KERNEL | __GFP_NOWARN);
	}
	if (!s->p) {
		h->alloc_failed++;
		return;
	}
	s->tag = ((uint64_t)h->cpu << 56) ^ prng_next(rng);
	fill(s);
}

static unsigned long others_progress(unsigned int me)
{
	unsigned long sum = 0;

	for_each_online_cpu(c)
		if (c != me)
			sum += __atomic_load_n(per_cpu_ptr(progress, c), __ATOMIC_RELAXED);
	return sum;
}

static bool keep_going(struct hammer *h)
{
	if (h->iters < HAMMER_ITERS)
		return true;
	return ((h_want_overlap &&
		 __atomic_load_n(&h_proven, __ATOMIC_SEQ_CST) < h_started) ||
		__atomic_load_n(&h_drains, __ATOMIC_SEQ_CST) < HAMMER_DRAINS) &&
	       clock_ns() < __atomic_load_n(&h_deadline, __ATOMIC_SEQ_CST);
}

static int hammer_fn(void *arg)
{
	struct hammer *h = arg;
	struct prng rng;
	uint64_t zero = 0;

	prng_seed(&rng, h_seed + h->cpu);
	h->ran_on = (int)arch_cpu_id();
	/* The start line: nobody begins until every CPU's thread is here. */
	__atomic_fetch_add(&h_arrived, 1, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&h_arrived, __ATOMIC_SEQ_CST) < h_started)
		arch_cpu_relax();
	__atomic_compare_exchange_n(&h_deadline, &zero, clock_ns() + HAMMER_MAX_NS,
				    false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);

	for (; keep_going(h); h->iters++) {
		struct slot *s = &h->slots[prng_below(&rng, HAMMER_SLOTS)];

		preempt_disable();	/* nothing else runs on this CPU now */
		unsigned long before = others_progress(h->cpu);

		if (s->p)
			release(h, s);
		else
			take(h, s, &rng);
		if (others_progress(h->cpu) != before && !h->overlaps++)
			__atomic_fetch_add(&h_proven, 1, __ATOMIC_SEQ_CST);
		__atomic_fetch_add(this_cpu_ptr(progress), 1, __ATOMIC_RELAXED);
		preempt_enable();
	}
	__atomic_fetch_sub(&h_running, 1, __ATOMIC_SEQ_CST);
	for (int i = 0; i < HAMMER_SLOTS; i++)
		if (h->slots[i].p)
			release(h, &h->slots[i]);
	/* This CPU's cached objects go back to their slabs (only this CPU
	 * may touch its own slab state). */
	for (int i = 0; i < KMALLOC_NR_CLASSES; i++)
		kmem_cache_shrink(hammer_set.caches[i]);
	return 0;
}

/* Every CPU's lists back to the zones, for as long as hammers run. */
static int drainer_fn(void *arg)
{
	(void)arg;
	while (__atomic_load_n(&h_arrived, __ATOMIC_SEQ_CST) < h_started &&
	       !kthread_should_stop())
		yield();
	while (__atomic_load_n(&h_running, __ATOMIC_SEQ_CST)) {
		drain_all_pages(NULL);
		__atomic_fetch_add(&h_drains, 1, __ATOMIC_SEQ_CST);
	}
	return 0;
}

static void every_cpu_hammers_page_alloc_and_kmalloc(struct kunit *test)
{
	unsigned int n = 0;
	struct thread *drainer;

	KUNIT_ASSERT_EQ(test, kmalloc_set_init(&hammer_set, &contig_page_data,
					       "mm_smp", 0), 0);
	drain_all_pages(NULL);
	unsigned long free_before = nr_free_pages();

	h_want_overlap = num_online_cpus() >= 2;
	h_arrived = h_proven = 0;
	h_drains = 0;
	h_deadline = 0;
	h_seed = test->seed;
	h_started = num_online_cpus();
	for_each_online_cpu(cpu) {
		struct hammer *h = &hammers[n];

		*h = (struct hammer){ .cpu = cpu, .ran_on = -1 };
		*per_cpu_ptr(progress, cpu) = 0;
		h->t = kthread_create(hammer_fn, h, "hammer%u", cpu);
		KUNIT_EXPECT_NOT_NULL(test, h->t);
		if (!h->t) {
			h_started = n;	/* the others need not wait */
			break;
		}
		kthread_bind(h->t, cpu);
		n++;
	}
	h_running = n;
	drainer = kthread_create(drainer_fn, NULL, "pcp-drainer");
	KUNIT_EXPECT_NOT_NULL(test, drainer);
	for (unsigned int i = 0; i < n; i++)
		wake_up_process(hammers[i].t);
	if (drainer)
		wake_up_process(drainer);
	for (unsigned int i = 0; i < n; i++)
		kthread_stop(hammers[i].t);
	if (drainer)
		kthread_stop(drainer);
	kunit_info(test, "%lu drains of every CPU's lists meanwhile", h_drains);
	KUNIT_EXPECT_GE(test, h_drains, (unsigned long)HAMMER_DRAINS);

	for (unsigned int i = 0; i < n; i++) {
		struct hammer *h = &hammers[i];

		kunit_info(test, "CPU %u: %lu iterations, %lu with another CPU working",
			   h->cpu, h->iters, h->overlaps);
		KUNIT_EXPECT_EQ(test, h->ran_on, (int)h->cpu);
		KUNIT_EXPECT_GE(test, h->iters, (unsigned long)HAMMER_ITERS);
		KUNIT_EXPECT_EQ(test, h->corrupt, 0UL);
		KUNIT_EXPECT_EQ(test, h->alloc_failed, 0UL);
		if (h_want_overlap)
			KUNIT_EXPECT_GT(test, h->overlaps, 0UL);
	}
	KUNIT_EXPECT_EQ(test, n, num_online_cpus());

	for (int i = 0; i < KMALLOC_NR_CLASSES; i++) {
		struct kmem_cache *s = hammer_set.caches[i];

		kmem_cache_shrink(s);	/* slabs emptied by other CPUs */
		KUNIT_EXPECT_EQ(test, kmem_cache_objects_in_use(s), 0UL);
		KUNIT_EXPECT_EQ(test, kmem_cache_validate(s), 0UL);
	}
	drain_all_pages(NULL);
	KUNIT_EXPECT_TRUE(test, buddy_check(&contig_page_data));
	KUNIT_EXPECT_EQ(test, nr_free_pages(), free_before);
	kmalloc_set_destroy(&hammer_set);
	if (!h_want_overlap)
		kunit_skip(test, "one CPU: checked, but no overlap to prove");
}

static struct kunit_case mm_smp_cases[] = {
	KUNIT_CASE(drain_another_cpus_lists),
	KUNIT_CASE(every_cpu_hammers_page_alloc_and_kmalloc),
	{}
};

static struct kunit_suite mm_smp_suite = {
	.name = "mm_smp",
	.test_cases = mm_smp_cases,
};
kunit_test_suite(mm_smp_suite);
