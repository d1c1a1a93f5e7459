/*
 * tests/kernel/stop_machine_test.c - stop_machine() stops every other CPU
 * (kernel/stop_machine.h). Kernel only: it needs real CPUs.
 *
 * others_stand_still: a busy thread bound to each other CPU counts as
 * fast as it can; the function stop_machine() runs reads every count,
 * waits 2 ms with interrupts off, and reads them again: all unchanged
 * (no thread ran anywhere), its own interrupts off, and its return value
 * comes back. After the stop every counter moves again.
 *
 * survives_cross_cpu_calls: threads on every CPU send each other
 * cross-CPU calls in a loop (each waits for the answer with preemption
 * off, so a CPU cannot switch to its stopper meanwhile) while this thread
 * stops the machine STOPS times. A stopper that waited for the others with
 * its interrupts off would never answer such a call: the case would hang.
 */
#include "kernel/kthread.h"
#include "kernel/kunit.h"
#include "kernel/percpu.h"
#include "kernel/sched.h"
#include "kernel/smp.h"
#include "kernel/stop_machine.h"
#include "kernel/time.h"
#include <arch/cpu.h>

static DEFINE_PER_CPU(unsigned long, spins);
static bool spinners_stop;

static int spinner_fn(void *arg)
{
	unsigned long *count = arg;

	while (!__atomic_load_n(&spinners_stop, __ATOMIC_RELAXED))
		__atomic_fetch_add(count, 1, __ATOMIC_RELAXED);
	return 0;
}

struct still {
	unsigned int me;		/* the CPU fn ran on */
	bool irqs_were_on;
	unsigned long moved;		/* other CPUs whose count changed */
	unsigned long started;		/* other CPUs whose count was > 0 */
};

static int check_still(void *arg)
{
	struct still *st = arg;
	unsigned long before[NR_CPUS];

	st->me = arch_cpu_id();
	st->irqs_were_on = arch_irqs_enabled();
	for_each_online_cpu(cpu)
		before[cpu] = __atomic_load_n(per_cpu_ptr(spins, cpu), __ATOMIC_RELAXED);
	udelay(2000);
	for_each_online_cpu(cpu) {
		unsigned long now = __atomic_load_n(per_cpu_ptr(spins, cpu),
						    __ATOMIC_RELAXED);

		if (cpu == st->me)
			continue;
		st->started += before[cpu] > 0;
		st->moved += now != before[cpu];
	}
	return 42;
}

/* A thread bound to each online CPU running fn(that CPU's counter, zeroed). */
static void start_on_every_cpu(struct kunit *test, struct thread **t,
			       int (*fn)(void *),
			       unsigned long *(*counter)(unsigned int cpu),
			       const char *name)
{
	for_each_online_cpu(cpu) {
		unsigned long *count = counter(cpu);

		*count = 0;
		t[cpu] = kthread_create(fn, count, "%s%u", name, cpu);
		KUNIT_ASSERT_NOT_NULL(test, t[cpu]);
		kthread_bind(t[cpu], cpu);
		wake_up_process(t[cpu]);
	}
}

static unsigned long *spins_of(unsigned int cpu)
{
	return per_cpu_ptr(spins, cpu);
}

static void start_spinners(struct kunit *test, struct thread **t)
{
	spinners_stop = false;
	start_on_every_cpu(test, t, spinner_fn, spins_of, "spin");
	/* Every spinner has run a while before the stop. */
	for_each_online_cpu(cpu)
		while (__atomic_load_n(per_cpu_ptr(spins, cpu), __ATOMIC_RELAXED) < 1000)
			yield();
}

static void stop_spinners(struct thread **t)
{
	__atomic_store_n(&spinners_stop, true, __ATOMIC_RELAXED);
	for_each_online_cpu(cpu)
		if (t[cpu])
			kthread_stop(t[cpu]);
}

static void others_stand_still(struct kunit *test)
{
	struct thread *t[NR_CPUS] = { 0 };
	unsigned long after[NR_CPUS];
	struct still st = { 0 };
	unsigned int others = num_online_cpus() - 1;

	if (!others)
		kunit_skip(test, "one CPU");
	start_spinners(test, t);
	KUNIT_EXPECT_EQ(test, stop_machine(check_still, &st), 42);
	for_each_online_cpu(cpu)
		after[cpu] = __atomic_load_n(per_cpu_ptr(spins, cpu), __ATOMIC_RELAXED);
	/* And they run again once it is over. */
	for_each_online_cpu(cpu) {
		uint64_t end = clock_ns() + 5000000000ULL;

		while (__atomic_load_n(per_cpu_ptr(spins, cpu), __ATOMIC_RELAXED) ==
		       after[cpu] && clock_ns() < end)
			yield();
		KUNIT_EXPECT_NE(test, __atomic_load_n(per_cpu_ptr(spins, cpu),
						      __ATOMIC_RELAXED), after[cpu]);
	}
	stop_spinners(t);
	kunit_info(test, "ran on CPU %u; %lu of %u other CPUs moved while stopped",
		   st.me, st.moved, others);
	KUNIT_EXPECT_FALSE(test, st.irqs_were_on);
	KUNIT_EXPECT_EQ(test, st.started, (unsigned long)others);
	KUNIT_EXPECT_EQ(test, st.moved, 0UL);
}

#define STOPS	20	/* each waits for every CPU's caller to give way */

static bool callers_stop;
static DEFINE_PER_CPU(unsigned long, calls_made);

static void nothing(void *arg)
{
	(void)arg;
}

static unsigned long *calls_made_of(unsigned int cpu)
{
	return per_cpu_ptr(calls_made, cpu);
}

static int caller_fn(void *arg)
{
	unsigned long *made = arg;
	unsigned int n = num_online_cpus();

	while (!__atomic_load_n(&callers_stop, __ATOMIC_RELAXED)) {
		unsigned int to = (arch_cpu_id() + 1) % n;

		smp_call_function_single(to, nothing, NULL);
		__atomic_store_n(made, *made + 1, __ATOMIC_RELAXED);	/* read by the test */
	}
	return 0;
}

#define CALLS_SEEN	100	/* calls each caller makes before and after the stops */

/*
 * Wait until every CPU's caller has made CALLS_SEEN calls more than
 * from[cpu] (5 s at most: a caller stuck in a cross-CPU call makes no
 * more); false if one has not.
 */
static bool callers_made(const unsigned long *from)
{
	uint64_t t0 = clock_ns();

	for_each_online_cpu(cpu)
		while (__atomic_load_n(calls_made_of(cpu), __ATOMIC_RELAXED) <
		       from[cpu] + CALLS_SEEN) {
			if (clock_ns() - t0 > 5000000000ULL)
				return false;
			yield();
		}
	return true;
}

static int count_stops(void *arg)
{
	(*(unsigned int *)arg)++;
	return 0;
}

static void survives_cross_cpu_calls(struct kunit *test)
{
	struct thread *t[NR_CPUS] = { 0 };
	unsigned long zero[NR_CPUS] = { 0 }, after[NR_CPUS] = { 0 };
	unsigned int stops = 0;

	if (num_online_cpus() < 2)
		kunit_skip(test, "one CPU");
	callers_stop = false;
	start_on_every_cpu(test, t, caller_fn, calls_made_of, "caller");
	/* The stops must meet calls in flight: every caller is making them
	 * before the first (under load a new thread may not have run yet)... */
	KUNIT_EXPECT_TRUE(test, callers_made(zero));
	for (int i = 0; i < STOPS; i++)
		KUNIT_EXPECT_EQ(test, stop_machine(count_stops, &stops), 0);
	/* ... and goes on making them after the last: none was left stuck. */
	for_each_online_cpu(cpu)
		after[cpu] = __atomic_load_n(calls_made_of(cpu), __ATOMIC_RELAXED);
	KUNIT_EXPECT_TRUE(test, callers_made(after));
	__atomic_store_n(&callers_stop, true, __ATOMIC_RELAXED);
	unsigned long made = 0;

	for_each_online_cpu(cpu) {
		kthread_stop(t[cpu]);
		made += *per_cpu_ptr(calls_made, cpu);
	}
	kunit_info(test, "%d stops among %lu cross-CPU calls", STOPS, made);
	KUNIT_EXPECT_EQ(test, stops, (unsigned int)STOPS);
	KUNIT_EXPECT_GE(test, made, (unsigned long)(2 * CALLS_SEEN * num_online_cpus()));
}

static struct kunit_case stop_machine_cases[] = {
	KUNIT_CASE(others_stand_still),
	KUNIT_CASE(survives_cross_cpu_calls),
	{}
};

static struct kunit_suite stop_machine_suite = {
	.name = "stop_machine",
	.test_cases = stop_machine_cases,
};
kunit_test_suite(stop_machine_suite);
