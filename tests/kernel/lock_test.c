/*
 * tests/kernel/lock_test.c - spinlocks, mutexes and the lock debugger.
 *
 * Contended cases run three threads: on one CPU they are preempted while
 * they hold or wait for a lock, on two they also spin against each other.
 * (Not more: QEMU runs each virtual CPU on a host thread, and with more
 * spinning CPUs than host cores a ticket lock crawls whenever the host
 * deschedules the CPU whose turn it is.) The debugger cases misuse
 * a lock on purpose, capture the console (printk_capture_start) and check
 * the report names the lock and the places involved.
 */
#include "kernel/kthread.h"
#include "kernel/kunit.h"
#include "kernel/lib/diag.h"
#include "kernel/lib/string.h"
#include "kernel/lockdebug.h"
#include "kernel/mutex.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/smp.h"
#include "kernel/spinlock.h"
#include "kernel/wait.h"

#define NR_WORKERS_MAX	3
#define ROUNDS		1000

static DEFINE_SPINLOCK(counter_lock);
static DEFINE_MUTEX(counter_mutex);
static volatile unsigned long counter;

/* A deliberately non-atomic increment: lost updates show a broken lock. */
static void slow_increment(void)
{
	unsigned long v = counter;

	arch_cpu_relax();
	counter = v + 1;
}

static int spin_worker(void *arg)
{
	for (int i = 0; i < ROUNDS; i++) {
		unsigned long flags;

		if (i & 1) {
			spin_lock_irqsave(&counter_lock, flags);
			slow_increment();
			spin_unlock_irqrestore(&counter_lock, flags);
		} else {
			spin_lock(&counter_lock);
			slow_increment();
			spin_unlock(&counter_lock);
		}
	}
	return (int)(uintptr_t)arg;
}

static int mutex_worker(void *arg)
{
	for (int i = 0; i < ROUNDS / 10; i++) {
		mutex_lock(&counter_mutex);
		slow_increment();
		if (!(i % 50))
			yield();	/* sleep-capable section: others queue up */
		mutex_unlock(&counter_mutex);
	}
	return (int)(uintptr_t)arg;
}

static unsigned int nr_workers(void)
{
	return min(num_online_cpus() + 1, (unsigned int)NR_WORKERS_MAX);
}

static void run_workers(struct kunit *test, int (*fn)(void *))
{
	struct thread *t[NR_WORKERS_MAX];
	unsigned int n = nr_workers();

	for (unsigned int i = 0; i < n; i++) {
		t[i] = kthread_run(fn, (void *)(uintptr_t)(i + 100), "locker%u", i);
		KUNIT_ASSERT_NOT_NULL(test, t[i]);
	}
	for (unsigned int i = 0; i < n; i++)
		KUNIT_EXPECT_EQ(test, kthread_stop(t[i]), (int)(i + 100));
}

static void contended_spinlock_counts_exactly(struct kunit *test)
{
	counter = 0;
	run_workers(test, spin_worker);
	KUNIT_EXPECT_EQ(test, counter, (unsigned long)nr_workers() * ROUNDS);
	KUNIT_EXPECT_FALSE(test, spin_is_locked(&counter_lock));
}

static void contended_mutex_counts_exactly(struct kunit *test)
{
	counter = 0;
	run_workers(test, mutex_worker);
	KUNIT_EXPECT_EQ(test, counter, (unsigned long)nr_workers() * (ROUNDS / 10));
	KUNIT_EXPECT_FALSE(test, mutex_is_locked(&counter_mutex));
}

static DEFINE_MUTEX(handoff_mutex);
static volatile bool handoff_got;
static struct completion handoff_release;

static int handoff_waiter(void *arg)
{
	(void)arg;
	mutex_lock(&handoff_mutex);
	handoff_got = true;
	wait_for_completion(&handoff_release);	/* sleeps holding the mutex */
	mutex_unlock(&handoff_mutex);
	return 0;
}

static void mutex_is_handed_to_the_waiter(struct kunit *test)
{
	struct thread *t;

	handoff_got = false;
	init_completion(&handoff_release);
	mutex_lock(&handoff_mutex);
	t = kthread_run(handoff_waiter, NULL, "handoff");
	KUNIT_ASSERT_NOT_NULL(test, t);
	/* Wait until it sleeps on the mutex. */
	for (int i = 0; i < 200 && handoff_mutex.waiters.next == &handoff_mutex.waiters; i++)
		sleep_ms(1);
	KUNIT_EXPECT_TRUE(test, handoff_mutex.waiters.next != &handoff_mutex.waiters);
	mutex_unlock(&handoff_mutex);
	/* Hand-off: the waiter owns it now, before it has even run. */
	KUNIT_EXPECT_PTR_EQ(test, READ_ONCE(handoff_mutex.owner), t);
	KUNIT_EXPECT_FALSE(test, mutex_trylock(&handoff_mutex));
	complete(&handoff_release);
	kthread_stop(t);
	KUNIT_EXPECT_TRUE(test, handoff_got);
	KUNIT_EXPECT_FALSE(test, mutex_is_locked(&handoff_mutex));
}

/* ---------------------------------------------------------------- debugger */

static char report[2048];
static DEFINE_SPINLOCK(dbg_lock);
static DEFINE_MUTEX(dbg_mutex);

static void capture(void) { report[0] = '\0'; printk_capture_start(report, sizeof(report)); }
static void end_capture(void) { printk_capture_stop(); }

static bool contains(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay; hay++)
		if (!strncmp(hay, needle, n))
			return true;
	return false;
}

#define EXPECT_REPORT(test, text) do { \
	if (!contains(report, text)) \
		KUNIT_FAIL(test, "report lacks \"%s\"; it was:\n%s", text, report); \
} while (0)

static void debugger_catches_recursion(struct kunit *test)
{
	unsigned long before = diag_count(DIAG_LOCKDEP);

	kunit_expect_reports(test, DIAG_LOCKDEP, 1);
	KUNIT_ASSERT_TRUE(test, lock_debug);
	capture();
	spin_lock(&dbg_lock);
	spin_lock(&dbg_lock);		/* the misuse: would hang without the debugger */
	spin_unlock(&dbg_lock);
	end_capture();
	KUNIT_EXPECT_EQ(test, diag_count(DIAG_LOCKDEP), before + 1);
	EXPECT_REPORT(test, "BUG: lock debug: recursive locking of spinlock 'dbg_lock'");
	EXPECT_REPORT(test, "thread 'main'");
	EXPECT_REPORT(test, "held by this thread since tests/kernel/lock_test.c:");
	KUNIT_EXPECT_FALSE(test, spin_is_locked(&dbg_lock));
	KUNIT_EXPECT_EQ(test, current->preempt_count, 0);
}

static void debugger_catches_unlock_of_free_lock(struct kunit *test)
{
	kunit_expect_reports(test, DIAG_LOCKDEP, 1);
	capture();
	spin_unlock(&dbg_lock);
	end_capture();
	EXPECT_REPORT(test, "BUG: lock debug: unlock of spinlock 'dbg_lock'");
	EXPECT_REPORT(test, "not held");
	KUNIT_EXPECT_FALSE(test, spin_is_locked(&dbg_lock));
}

static struct completion holder_has_it, holder_may_go;

static int holder(void *arg)
{
	(void)arg;
	spin_lock(&dbg_lock);
	complete(&holder_has_it);
	while (!completion_done(&holder_may_go))
		arch_cpu_relax();	/* holding a spinlock: no sleeping */
	spin_unlock(&dbg_lock);
	return 0;
}

static void debugger_catches_unlock_by_non_owner(struct kunit *test)
{
	struct thread *t;

	if (num_online_cpus() < 2)
		kunit_skip(test, "needs two CPUs (the holder spins with the lock)");
	kunit_expect_reports(test, DIAG_LOCKDEP, 1);
	init_completion(&holder_has_it);
	init_completion(&holder_may_go);
	t = kthread_run(holder, NULL, "holder");
	KUNIT_ASSERT_NOT_NULL(test, t);
	wait_for_completion(&holder_has_it);
	capture();
	spin_unlock(&dbg_lock);		/* the misuse: main does not hold it */
	end_capture();
	KUNIT_EXPECT_TRUE(test, spin_is_locked(&dbg_lock));	/* left held */
	complete(&holder_may_go);
	kthread_stop(t);
	EXPECT_REPORT(test, "BUG: lock debug: unlock by a non-owner of spinlock 'dbg_lock'");
	EXPECT_REPORT(test, "held by thread 'holder' since tests/kernel/lock_test.c:");
	KUNIT_EXPECT_FALSE(test, spin_is_locked(&dbg_lock));
}

static void debugger_catches_sleep_with_spinlock(struct kunit *test)
{
	kunit_expect_reports(test, DIAG_LOCKDEP, 1);
	capture();
	spin_lock(&dbg_lock);
	sleep_ms(10);			/* the misuse */
	spin_unlock(&dbg_lock);
	end_capture();
	EXPECT_REPORT(test, "BUG: lock debug: sleeping function called while holding spinlock 'dbg_lock'");
	EXPECT_REPORT(test, "taken at tests/kernel/lock_test.c:");
}

static void debugger_catches_sleep_with_irqs_off(struct kunit *test)
{
	kunit_expect_reports(test, DIAG_LOCKDEP, 1);
	capture();
	arch_irq_disable();
	mutex_lock(&dbg_mutex);		/* the misuse (free mutex: no real sleep) */
	mutex_unlock(&dbg_mutex);
	arch_irq_enable();
	end_capture();
	EXPECT_REPORT(test, "BUG: lock debug: sleeping function called with interrupts 'disabled'");
	EXPECT_REPORT(test, "at tests/kernel/lock_test.c:");
}

static void debugger_catches_mutex_misuse(struct kunit *test)
{
	kunit_expect_reports(test, DIAG_LOCKDEP, 2);
	capture();
	mutex_lock(&dbg_mutex);
	mutex_lock(&dbg_mutex);		/* recursion */
	mutex_unlock(&dbg_mutex);
	mutex_unlock(&dbg_mutex);	/* not held any more */
	end_capture();
	EXPECT_REPORT(test, "BUG: lock debug: recursive locking of mutex 'dbg_mutex'");
	EXPECT_REPORT(test, "held by this thread since tests/kernel/lock_test.c:");
	EXPECT_REPORT(test, "BUG: lock debug: unlock of mutex 'dbg_mutex'");
	KUNIT_EXPECT_FALSE(test, mutex_is_locked(&dbg_mutex));
}

static struct kunit_case lock_cases[] = {
	KUNIT_CASE(contended_spinlock_counts_exactly),
	KUNIT_CASE(contended_mutex_counts_exactly),
	KUNIT_CASE(mutex_is_handed_to_the_waiter),
	KUNIT_CASE(debugger_catches_recursion),
	KUNIT_CASE(debugger_catches_unlock_of_free_lock),
	KUNIT_CASE(debugger_catches_unlock_by_non_owner),
	KUNIT_CASE(debugger_catches_sleep_with_spinlock),
	KUNIT_CASE(debugger_catches_sleep_with_irqs_off),
	KUNIT_CASE(debugger_catches_mutex_misuse),
	{}
};

static struct kunit_suite lock_suite = {
	.name = "lock",
	.test_cases = lock_cases,
};
kunit_test_suite(lock_suite);
