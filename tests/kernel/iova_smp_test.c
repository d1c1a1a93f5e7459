/*
 * tests/kernel/iova_smp_test.c - a CPU's IOVA magazines used by that CPU
 * and emptied by another at the same time (mm/iova.c, rcache_lock()).
 *
 * A thread bound to CPU 1 allocates and frees through alloc_iova_fast /
 * free_iova_fast (its own magazines, the hit path) and keeps a window of
 * ranges live, while this thread on CPU 0 keeps emptying CPU 1's
 * magazines (free_cpu_cached_iovas) and walking them. A lost update shows
 * up as a range handed out twice, a broken tree, or a range left in the
 * tree once everything is freed and drained. Both sides start behind a
 * barrier, and the case proves they raced: a drain counts as overlapping
 * when the worker finished a round while it ran. It goes on past RUN_NS
 * until MIN_OVERLAPS drains overlapped (under load the host may run the
 * two CPUs in turn for a while), and fails if they never did. Kernel
 * only: it needs two real CPUs.
 */
#include "kernel/kthread.h"
#include "kernel/kunit.h"
#include "kernel/percpu.h"
#include "kernel/sched.h"
#include "kernel/smp.h"
#include "kernel/time.h"
#include "mm/iova.h"

#define PFN32		(0xffffffffUL >> 12)
#define WINDOW		64		/* ranges the worker keeps live */
#define RUN_NS		(100ULL * 1000 * 1000)
#define MIN_OVERLAPS	100
#define GIVE_UP_NS	(10ULL * 1000 * 1000 * 1000)

static struct iova_domain smp_iovad;
static volatile bool worker_stop, worker_ready, worker_go;

struct worker_result {
	unsigned long rounds, duplicates, failures;	/* rounds: read live */
	unsigned int cpu_changes;
};

static int iova_worker(void *arg)
{
	struct worker_result *res = arg;
	unsigned long live[WINDOW] = { 0 }, live_size[WINDOW] = { 0 };
	unsigned int cpu = arch_cpu_id();

	WRITE_ONCE(worker_ready, true);
	while (!READ_ONCE(worker_go))
		arch_cpu_relax();
	while (!READ_ONCE(worker_stop)) {
		unsigned int slot = res->rounds % WINDOW;
		unsigned long size = 1UL << (res->rounds % 3);	/* orders 0..2 */
		unsigned long pfn;

		if (live[slot])
			free_iova_fast(&smp_iovad, live[slot], live_size[slot]);
		live[slot] = 0;
		pfn = alloc_iova_fast(&smp_iovad, size, PFN32, true);
		if (!pfn) {
			res->failures++;
		} else {
			/* No live range may overlap the new one. */
			for (unsigned int i = 0; i < WINDOW; i++)
				if (live[i] && live[i] < pfn + size &&
				    pfn < live[i] + live_size[i])
					res->duplicates++;
			live[slot] = pfn;
			live_size[slot] = size;
		}
		if (arch_cpu_id() != cpu)
			res->cpu_changes++;
		WRITE_ONCE(res->rounds, res->rounds + 1);
	}
	for (unsigned int i = 0; i < WINDOW; i++)
		if (live[i])
			free_iova_fast(&smp_iovad, live[i], live_size[i]);
	return 0;
}

static void count_cached(unsigned long pfn, unsigned int order,
			 unsigned int cpu, void *arg)
{
	(void)pfn;
	(void)order;
	(void)cpu;
	(*(unsigned long *)arg)++;
}

static void remote_drain_races_owner_hits(struct kunit *test)
{
	struct worker_result res = { 0 };
	unsigned long drains = 0, seen = 0, overlaps = 0;
	struct thread *t;
	uint64_t start, now;

	if (num_online_cpus() < 2 || !(cpu_online_mask & 2))
		kunit_skip(test, "needs CPU 1 online");
	init_iova_domain(&smp_iovad, 4096, 1);
	worker_stop = worker_ready = worker_go = false;
	t = kthread_create(iova_worker, &res, "iova_smp");
	KUNIT_ASSERT_NOT_NULL(test, t);
	kthread_bind(t, 1);
	wake_up_process(t);

	while (!READ_ONCE(worker_ready))	/* the barrier */
		yield();
	WRITE_ONCE(worker_go, true);
	start = clock_ns();
	do {
		unsigned long before = READ_ONCE(res.rounds);

		free_cpu_cached_iovas(1, &smp_iovad);
		iova_for_each_cached(&smp_iovad, count_cached, &seen);
		drains++;
		if (READ_ONCE(res.rounds) != before)
			overlaps++;		/* the worker ran meanwhile */
		now = clock_ns();
	} while (now - start < GIVE_UP_NS &&
		 (now - start < RUN_NS || overlaps < MIN_OVERLAPS));
	WRITE_ONCE(worker_stop, true);
	KUNIT_EXPECT_EQ(test, kthread_stop(t), 0);
	kunit_info(test, "%lu worker rounds, %lu remote drains, %lu of them during a round",
		   res.rounds, drains, overlaps);

	KUNIT_EXPECT_GT(test, res.rounds, 0UL);
	KUNIT_EXPECT_GE(test, overlaps, (unsigned long)MIN_OVERLAPS);
	KUNIT_EXPECT_EQ(test, res.cpu_changes, 0U);
	KUNIT_EXPECT_EQ(test, res.duplicates, 0UL);
	KUNIT_EXPECT_EQ(test, res.failures, 0UL);
	KUNIT_EXPECT_TRUE(test, iova_check(&smp_iovad));
	/* Everything freed: once the caches are emptied the tree is empty. */
	for (unsigned int c = 0; c < NR_CPUS; c++)
		free_cpu_cached_iovas(c, &smp_iovad);
	free_global_cached_iovas(&smp_iovad);
	KUNIT_EXPECT_EQ(test, smp_iovad.nr_ranges, 0UL);
	KUNIT_EXPECT_TRUE(test, iova_check(&smp_iovad));
	put_iova_domain(&smp_iovad);
}

static struct kunit_case iova_smp_cases[] = {
	KUNIT_CASE(remote_drain_races_owner_hits),
	{}
};

static struct kunit_suite iova_smp_suite = {
	.name = "iova_smp",
	.test_cases = iova_smp_cases,
};
kunit_test_suite(iova_smp_suite);
