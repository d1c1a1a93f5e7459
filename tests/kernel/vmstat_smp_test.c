/*
 * tests/kernel/vmstat_smp_test.c - the counters of mm/vmstat.h with real
 * CPUs and the kernel's own feeders. Kernel only.
 *
 * every_cpu_folds_without_loss: one thread per online CPU, bound to it,
 * started behind a barrier, changes one item of a private node by random
 * amounts (mostly around the threshold, so most changes fold; sometimes
 * far past it), counting what it added. A change counts as overlapping
 * when another CPU's progress moved meanwhile (preemption off: that CPU
 * was working at the same time); the threads go on until every CPU saw
 * FOLD_OVERLAPS of them (20 s at most) and every CPU must see at least
 * one. Afterwards the
 * snapshot must equal the sum of what the threads added; then each CPU
 * folds its own differences (a cross-CPU call) and the shared counter
 * must equal it too, with every difference 0.
 *
 * shepherd_folds_quiet_cpus: every online CPU adds one page to an item
 * nothing else changes (NR_KERNEL_MISC_RECLAIMABLE, no feeder yet), less
 * than its threshold, and then does nothing more with it: the shared
 * counter must not move at once, and must show all of it within three
 * shepherd intervals (mm/vmstat_kthread.c), then the same going back.
 *
 * thread_stacks_counted, vmalloc_counted: kthread_create() and vmalloc()
 * move NR_KERNEL_STACK_KB and NR_VMALLOC of the kernel's node by exactly
 * their size, and freeing moves them back.
 */
#include "kernel/kthread.h"
#include "kernel/kunit.h"
#include "kernel/lib/random.h"
#include "kernel/lib/string.h"
#include "kernel/percpu.h"
#include "kernel/preempt.h"
#include "kernel/sched.h"
#include "kernel/smp.h"
#include "kernel/time.h"
#include "mm/vmalloc.h"
#include "mm/vmstat.h"

#define FOLD_ITERS	20000
#define FOLD_OVERLAPS	5000		/* overlapping changes wanted per CPU */
#define FOLD_THRESHOLD	2
#define FOLD_MAX_NS	20000000000ULL	/* give up proving overlap: 20 s */
#define FOLD_ITEM	NR_PAGETABLE

static pg_data_t fold_node;	/* only its counters are used */

struct folder {
	struct thread *t;
	unsigned int cpu;
	int ran_on;
	long added;
	unsigned long iters, overlaps;
};

static struct folder folders[NR_CPUS];
static DEFINE_PER_CPU(unsigned long, fold_progress);
static unsigned int f_started, f_arrived, f_proven;
static uint64_t f_deadline, f_seed;

static unsigned long others_progress(unsigned int me)
{
	unsigned long sum = 0;

	for_each_online_cpu(c)
		if (c != me)
			sum += __atomic_load_n(per_cpu_ptr(fold_progress, c),
					       __ATOMIC_RELAXED);
	return sum;
}

static bool keep_folding(struct folder *f)
{
	if (f->iters < FOLD_ITERS)
		return true;
	return __atomic_load_n(&f_proven, __ATOMIC_SEQ_CST) < f_started &&
	       clock_ns() < __atomic_load_n(&f_deadline, __ATOMIC_SEQ_CST);
}

static int fold_fn(void *arg)
{
	struct folder *f = arg;
	struct prng rng;
	uint64_t zero = 0;

	prng_seed(&rng, f_seed + f->cpu);
	f->ran_on = (int)arch_cpu_id();
	__atomic_fetch_add(&f_arrived, 1, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&f_arrived, __ATOMIC_SEQ_CST) < f_started)
		arch_cpu_relax();
	__atomic_compare_exchange_n(&f_deadline, &zero, clock_ns() + FOLD_MAX_NS,
				    false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);

	for (; keep_folding(f); f->iters++) {
		long delta = 1 + (long)prng_below(&rng, prng_below(&rng, 16) ? 3 : 200);

		if (f->added >= delta && prng_below(&rng, 2))
			delta = -delta;
		preempt_disable();
		unsigned long before = others_progress(f->cpu);

		mod_node_page_state(&fold_node, FOLD_ITEM, delta);
		f->added += delta;
		if (others_progress(f->cpu) != before &&
		    ++f->overlaps == FOLD_OVERLAPS)
			__atomic_fetch_add(&f_proven, 1, __ATOMIC_SEQ_CST);
		__atomic_fetch_add(this_cpu_ptr(fold_progress), 1, __ATOMIC_RELAXED);
		preempt_enable();
	}
	return 0;
}

static void fold_here(void *arg)
{
	refresh_cpu_vm_stats(arg);
}

static void every_cpu_folds_without_loss(struct kunit *test)
{
	unsigned int n = 0;
	long expected = 0;

	if (num_online_cpus() < 2)
		kunit_skip(test, "one CPU");
	memset(&fold_node, 0, sizeof(fold_node));
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
		per_cpu_ptr(fold_node.per_cpu_nodestats, cpu)->stat_threshold =
			FOLD_THRESHOLD;
	f_arrived = f_proven = 0;
	f_deadline = 0;
	f_seed = test->seed;
	f_started = num_online_cpus();
	for_each_online_cpu(cpu) {
		struct folder *f = &folders[n];

		*f = (struct folder){ .cpu = cpu, .ran_on = -1 };
		*per_cpu_ptr(fold_progress, cpu) = 0;
		f->t = kthread_create(fold_fn, f, "fold%u", cpu);
		KUNIT_EXPECT_NOT_NULL(test, f->t);
		if (!f->t) {
			f_started = n;
			break;
		}
		kthread_bind(f->t, cpu);
		n++;
	}
	for (unsigned int i = 0; i < n; i++)
		wake_up_process(folders[i].t);
	for (unsigned int i = 0; i < n; i++)
		kthread_stop(folders[i].t);
	for (unsigned int i = 0; i < n; i++) {
		struct folder *f = &folders[i];

		kunit_info(test, "CPU %u: %lu changes, %lu overlapping, net %ld",
			   f->cpu, f->iters, f->overlaps, f->added);
		KUNIT_EXPECT_EQ(test, f->ran_on, (int)f->cpu);
		KUNIT_EXPECT_GT(test, f->overlaps, 0UL);
		expected += f->added;
	}
	KUNIT_EXPECT_EQ(test, (long)node_page_state_snapshot(&fold_node, FOLD_ITEM),
			expected);
	/* Within the bound before folding ... */
	KUNIT_EXPECT_LE(test, (long)node_page_state(&fold_node, FOLD_ITEM),
			expected + FOLD_THRESHOLD * (long)n);
	KUNIT_EXPECT_GE(test, (long)node_page_state(&fold_node, FOLD_ITEM),
			expected - FOLD_THRESHOLD * (long)n);
	/* ... and exact after every CPU folded its own differences. */
	for_each_online_cpu(cpu) {
		if (cpu == arch_cpu_id())
			refresh_cpu_vm_stats(&fold_node);
		else
			KUNIT_EXPECT_EQ(test, smp_call_function_single(cpu, fold_here,
								       &fold_node), 0);
	}
	KUNIT_EXPECT_EQ(test, (long)node_page_state(&fold_node, FOLD_ITEM), expected);
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
		KUNIT_EXPECT_EQ(test, (int)per_cpu_ptr(fold_node.per_cpu_nodestats,
						       cpu)->vm_node_stat_diff[FOLD_ITEM], 0);
}

#define QUIET_ITEM	NR_KERNEL_MISC_RECLAIMABLE

static void quiet_add(void *arg)
{
	__mod_node_page_state(&contig_page_data, QUIET_ITEM, (long)arg);
}

/* Every online CPU adds delta (in an IPI, so on itself); the number of
 * CPUs that did. */
static long quiet_add_everywhere(struct kunit *test, long delta)
{
	long n = 0;

	for_each_online_cpu(cpu) {
		KUNIT_EXPECT_EQ(test, smp_call_function_single(cpu, quiet_add,
							       (void *)delta), 0);
		n++;
	}
	return n;
}

static bool shared_reaches(unsigned long want)
{
	uint64_t deadline = clock_ns() + 3ULL * VMSTAT_INTERVAL_MS * 1000000;

	while (clock_ns() < deadline) {
		if (node_page_state(&contig_page_data, QUIET_ITEM) == want)
			return true;
		sleep_ms(10);
	}
	return false;
}

static void shepherd_folds_quiet_cpus(struct kunit *test)
{
	unsigned long before = node_page_state_snapshot(&contig_page_data,
							QUIET_ITEM);
	long n;

	for_each_online_cpu(cpu)
		KUNIT_ASSERT_GT(test, (int)per_cpu_ptr(contig_page_data.per_cpu_nodestats,
						       cpu)->stat_threshold, 1);
	KUNIT_ASSERT_TRUE(test, shared_reaches(before));
	n = quiet_add_everywhere(test, 1);
	/* Under every threshold: nothing reached the shared counter yet. */
	KUNIT_EXPECT_EQ(test, node_page_state(&contig_page_data, QUIET_ITEM),
			before);
	KUNIT_EXPECT_EQ(test, node_page_state_snapshot(&contig_page_data,
						       QUIET_ITEM),
			before + (unsigned long)n);
	KUNIT_EXPECT_TRUE(test, shared_reaches(before + (unsigned long)n));
	quiet_add_everywhere(test, -1);
	KUNIT_EXPECT_TRUE(test, shared_reaches(before));
	for_each_online_cpu(cpu)
		KUNIT_EXPECT_EQ(test, (int)per_cpu_ptr(contig_page_data.per_cpu_nodestats,
						       cpu)->vm_node_stat_diff[QUIET_ITEM], 0);
}

static int idle_fn(void *arg)
{
	while (!kthread_should_stop())
		sleep_ms(1);
	return 0;
}

static void thread_stacks_counted(struct kunit *test)
{
	unsigned long before = node_page_state_snapshot(&contig_page_data,
							NR_KERNEL_STACK_KB);
	struct thread *t = kthread_run(idle_fn, NULL, "vmstat-stack");

	KUNIT_ASSERT_NOT_NULL(test, t);
	KUNIT_EXPECT_GT(test, before, 0UL);	/* main's peers: idle threads */
	KUNIT_EXPECT_EQ(test, node_page_state_snapshot(&contig_page_data,
						       NR_KERNEL_STACK_KB),
			before + THREAD_STACK_SIZE / 1024);
	kthread_stop(t);
	KUNIT_EXPECT_EQ(test, node_page_state_snapshot(&contig_page_data,
						       NR_KERNEL_STACK_KB), before);
}

static void vmalloc_counted(struct kunit *test)
{
	unsigned long before = node_page_state_snapshot(&contig_page_data,
							NR_VMALLOC);
	void *p = vmalloc(3 * PAGE_SIZE + 1);

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, node_page_state_snapshot(&contig_page_data,
						       NR_VMALLOC), before + 4);
	vfree(p);
	KUNIT_EXPECT_EQ(test, node_page_state_snapshot(&contig_page_data,
						       NR_VMALLOC), before);
}

static struct kunit_case vmstat_smp_cases[] = {
	KUNIT_CASE(every_cpu_folds_without_loss),
	KUNIT_CASE_SLOW(shepherd_folds_quiet_cpus),
	KUNIT_CASE(thread_stacks_counted),
	KUNIT_CASE(vmalloc_counted),
	{}
};

static struct kunit_suite vmstat_smp_suite = {
	.name = "vmstat_smp",
	.test_cases = vmstat_smp_cases,
};
kunit_test_suite(vmstat_smp_suite);
