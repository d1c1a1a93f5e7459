/*
 * tests/kernel/lock_test.c - spinlocks, mutexes and the lock debugger.
 *
 * Contended cases run three threads, bound to CPUs 0, 1, 0 (all on CPU 0
 * with one CPU): on one CPU they are preempted while they hold or wait for
 * a lock, on two they also spin against each other. (Not more: QEMU runs
 * each virtual CPU on a host thread, and with more spinning CPUs than host
 * cores a ticket lock crawls whenever the host deschedules the CPU whose
 * turn it is.) They start together behind a barrier, and with two CPUs
 * each CPU must prove it contended with the other: a trylock that failed
 * while the other CPU's thread was inside the critical section. A run in
 * which the CPUs took turns (one CPU doing everything) fails. Workers keep
 * going past ROUNDS until every CPU has that proof (10 s at most: a host
 * may stop a virtual CPU for a while, so the barrier alone guarantees no
 * overlap); the counter must equal the rounds they report.
 *
 * The debugger cases misuse a lock on purpose, capture the console
 * (printk_capture_start) and check the report names the lock and the
 * places involved.
 */
#include "kernel/kthread.h"
#include "kernel/kunit.h"
#include "kernel/lib/diag.h"
#include "kernel/lib/string.h"
#include "kernel/lockdebug.h"
#include "kernel/mutex.h"
#include "kernel/percpu.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/smp.h"
#include "kernel/spinlock.h"
#include "kernel/time.h"
#include "kernel/timer.h"
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

#define OVERLAP_NS	10000000000ULL	/* give up proving overlap: 10 s */

struct lock_worker {
	struct thread *t;
	unsigned int cpu;
	unsigned long rounds;		/* increments it made */
};

static struct lock_worker workers[NR_WORKERS_MAX];
static unsigned int nr_started, nr_arrived;
static bool want_overlap;		/* two CPUs: prove they overlapped */
static uint64_t overlap_deadline;
static volatile bool inside[NR_CPUS];	/* a thread of CPU c holds the lock:
					 * set just after taking it, cleared
					 * just before letting it go */
static unsigned int waiters[NR_CPUS];	/* threads of CPU c waiting for it */
static unsigned long overlaps[NR_CPUS];	/* contended while another CPU was inside */

/*
 * The start line: spin (yielding, so a co-worker on this CPU gets to run)
 * until every worker has arrived. The first one through sets the deadline.
 */
static void start_barrier(void)
{
	uint64_t zero = 0;

	__atomic_fetch_add(&nr_arrived, 1, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&nr_arrived, __ATOMIC_SEQ_CST) < nr_started)
		yield();
	__atomic_compare_exchange_n(&overlap_deadline, &zero,
				    clock_ns() + OVERLAP_NS, false,
				    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}

/*
 * Our trylock failed. While the lock stays held (for at most 2 ms: the
 * holder may be a preempted thread of this CPU), look for a thread of
 * another CPU inside: seeing one proves both CPUs were in the lock's
 * window at the same time. A mutex stays locked while it is handed to a
 * woken waiter that has not run yet, so the holder may take a while to
 * show up inside; waiting by the clock, not a spin count, lets it.
 */
static void note_contention(unsigned int me, bool (*held)(void))
{
	uint64_t until = clock_ns() + 2000000;

	__atomic_fetch_add(&waiters[me], 1, __ATOMIC_SEQ_CST);
	while (held() && clock_ns() < until) {
		for (unsigned int c = 0; c < NR_CPUS; c++) {
			if (c != me && READ_ONCE(inside[c])) {
				__atomic_fetch_add(&overlaps[me], 1, __ATOMIC_RELAXED);
				return;		/* the caller still waits */
			}
		}
		arch_cpu_relax();
	}
}

/* The wait that note_contention() began is over: we hold the lock. */
static void end_contention(unsigned int me)
{
	__atomic_fetch_sub(&waiters[me], 1, __ATOMIC_SEQ_CST);
}

/*
 * We hold the lock: mark this CPU inside, and count the other side of the
 * same event, a thread of another CPU waiting for the lock right now (a
 * mutex waiter may not see us in time: its CPU is not always run while it
 * waits, but we see it).
 */
static void enter_locked(unsigned int me)
{
	WRITE_ONCE(inside[me], true);
	for (unsigned int c = 0; c < NR_CPUS; c++)
		if (c != me && __atomic_load_n(&waiters[c], __ATOMIC_SEQ_CST))
			__atomic_fetch_add(&overlaps[c], 1, __ATOMIC_RELAXED);
}

static bool spinlock_held(void) { return spin_is_locked(&counter_lock); }
static bool mutex_held(void) { return mutex_is_locked(&counter_mutex); }

/* Keep going: ROUNDS done, then (two CPUs) until both proved overlap. */
static bool more_rounds(unsigned long i, unsigned long rounds)
{
	if (i < rounds)
		return true;
	return want_overlap &&
	       (!__atomic_load_n(&overlaps[0], __ATOMIC_RELAXED) ||
		!__atomic_load_n(&overlaps[1], __ATOMIC_RELAXED)) &&
	       clock_ns() < __atomic_load_n(&overlap_deadline, __ATOMIC_SEQ_CST);
}

/*
 * Every HOLD_EVERY-th round holds the lock for HOLD_US: long enough that a
 * CPU running at the same time will find it held and see who is inside.
 */
#define HOLD_EVERY	16
#define HOLD_US		20

static void critical_section(unsigned int me, unsigned long round)
{
	slow_increment();
	if (!(round % HOLD_EVERY))
		udelay(HOLD_US);
}

/* Mixed waiting: worker 0 flips spin_lock_virt every FLIP_EVERY rounds
 * while the others hold and wait (spinlock_modes_agree_on_the_lock_word). */
#define FLIP_EVERY	8
static bool flip_modes;
static unsigned long flips;

static int spin_worker(void *arg)
{
	struct lock_worker *w = arg;
	unsigned long i;
	unsigned int me;

	start_barrier();
	me = arch_cpu_id();	/* where it really runs, not where it was bound */
	for (i = 0; more_rounds(i, ROUNDS); i++) {
		unsigned long flags = 0;
		bool irqsave = i & 1, got;

		if (flip_modes && w == &workers[0] && !(i % FLIP_EVERY)) {
			WRITE_ONCE(spin_lock_virt, !READ_ONCE(spin_lock_virt));
			flips++;
		}
		got = spin_trylock(&counter_lock);

		if (!got) {
			note_contention(me, spinlock_held);
			if (irqsave)
				spin_lock_irqsave(&counter_lock, flags);
			else
				spin_lock(&counter_lock);
			end_contention(me);
		}
		enter_locked(me);
		critical_section(me, i);
		WRITE_ONCE(inside[me], false);
		if (!got && irqsave)
			spin_unlock_irqrestore(&counter_lock, flags);
		else
			spin_unlock(&counter_lock);
	}
	w->rounds = i;
	return 0;
}

static int mutex_worker(void *arg)
{
	struct lock_worker *w = arg;
	unsigned long i;
	unsigned int me;

	start_barrier();
	me = arch_cpu_id();	/* where it really runs, not where it was bound */
	for (i = 0; more_rounds(i, ROUNDS / 10); i++) {
		if (!mutex_trylock(&counter_mutex)) {
			note_contention(me, mutex_held);
			mutex_lock(&counter_mutex);
			end_contention(me);
		}
		enter_locked(me);
		critical_section(me, i);
		if (!(i % 50))
			yield();	/* sleep-capable section: others queue up */
		WRITE_ONCE(inside[me], false);
		mutex_unlock(&counter_mutex);
	}
	w->rounds = i;
	return 0;
}

static unsigned int nr_workers(void)
{
	return min(num_online_cpus() + 1, (unsigned int)NR_WORKERS_MAX);
}

/* Run the workers from the barrier; returns the increments they made. */
static unsigned long run_workers(struct kunit *test, int (*fn)(void *))
{
	unsigned int n = nr_workers();
	unsigned long total = 0;

	counter = 0;
	nr_started = n;
	nr_arrived = 0;
	overlap_deadline = 0;
	want_overlap = num_online_cpus() >= 2;
	for (unsigned int c = 0; c < NR_CPUS; c++) {
		inside[c] = false;
		waiters[c] = 0;
		overlaps[c] = 0;
	}
	for (unsigned int i = 0; i < n; i++) {
		struct lock_worker *w = &workers[i];

		w->cpu = want_overlap ? i % 2 : 0;
		w->rounds = 0;
		w->t = kthread_create(fn, w, "locker%u", i);
		KUNIT_EXPECT_NOT_NULL(test, w->t);
		if (!w->t) {
			n = nr_started = i;	/* the others need not wait */
			break;
		}
		kthread_bind(w->t, w->cpu);
	}
	for (unsigned int i = 0; i < n; i++)
		wake_up_process(workers[i].t);
	for (unsigned int i = 0; i < n; i++) {
		KUNIT_EXPECT_EQ(test, kthread_stop(workers[i].t), 0);
		total += workers[i].rounds;
	}
	kunit_info(test, "%u threads, %lu increments; contended while another CPU was inside: CPU 0 %lu times, CPU 1 %lu",
		   n, total, overlaps[0], overlaps[1]);
	return total;
}

/* With two CPUs, each must have contended while the other was inside. */
static void expect_overlap(struct kunit *test)
{
	if (!want_overlap)
		kunit_skip(test, "one CPU: counted exactly; overlap needs two");
	KUNIT_EXPECT_GT(test, overlaps[0], 0UL);
	KUNIT_EXPECT_GT(test, overlaps[1], 0UL);
}

static void contended_spinlock_counts_exactly(struct kunit *test)
{
	unsigned long total = run_workers(test, spin_worker);

	KUNIT_EXPECT_GE(test, total, (unsigned long)nr_workers() * ROUNDS);
	KUNIT_EXPECT_EQ(test, counter, total);
	KUNIT_EXPECT_FALSE(test, spin_is_locked(&counter_lock));
	expect_overlap(test);
}

/*
 * Both ways of waiting (kernel/spinlock.h) exclude: tickets, test-and-set,
 * and the two mixed. In the mixed run one worker flips the mode every
 * FLIP_EVERY rounds, so ticket waiters and test-and-set waiters meet on
 * the same lock; they agree on what "free" means, so the count is exact
 * and nobody waits forever for a ticket that was never drawn.
 */
static void spinlock_modes_agree_on_the_lock_word(struct kunit *test)
{
	static const char *const names[] = { "ticket", "test-and-set", "mixed" };
	bool mode = spin_lock_virt;

	for (unsigned int m = 0; m < 3; m++) {
		unsigned long total;

		WRITE_ONCE(spin_lock_virt, m == 1);
		flip_modes = m == 2;
		flips = 0;
		total = run_workers(test, spin_worker);
		kunit_info(test, "%s: %lu increments, counter %lu, %lu flips",
			   names[m], total, counter, flips);
		KUNIT_EXPECT_GE(test, total, (unsigned long)nr_workers() * ROUNDS);
		KUNIT_EXPECT_EQ(test, counter, total);
		KUNIT_EXPECT_FALSE(test, spin_is_locked(&counter_lock));
		if (m == 2)
			KUNIT_EXPECT_GE(test, flips, (unsigned long)ROUNDS / FLIP_EVERY);
		expect_overlap(test);
	}
	flip_modes = false;
	WRITE_ONCE(spin_lock_virt, mode);
}

static void contended_mutex_counts_exactly(struct kunit *test)
{
	unsigned long total = run_workers(test, mutex_worker);

	KUNIT_EXPECT_GE(test, total, (unsigned long)nr_workers() * (ROUNDS / 10));
	KUNIT_EXPECT_EQ(test, counter, total);
	KUNIT_EXPECT_FALSE(test, mutex_is_locked(&counter_mutex));
	expect_overlap(test);
}

/*
 * A test-and-set waiter is passed over at most SPIN_STARVE_RELEASES times
 * (kernel/lib/spinlock.c). A "hammer" thread on CPU 1 takes the lock
 * back the moment it lets it go, as kswapd did with a faulting process's
 * page_table_lock; a thread on CPU 0 takes it STARVE_TAKES times, with
 * interrupts off (the loops then fall into step, the worst case), and
 * times each wait and counts the hammer's acquisitions during it.
 *
 * What is checked: no wait lasts STARVE_WAIT_NS, and the hammer never
 * runs out of time. The count of acquisitions is printed, not checked:
 * the host may stop CPU 0's thread in mid-wait for milliseconds, and the
 * hammer, running on meanwhile, gets in thousands of times before the
 * waiter runs again and queues (tests/host/spinlock_model_test.c checks
 * the bound exactly, with no host in the way). Measured on this
 * workplace's two cores with two machines booting at once: with the
 * bound, waits of at most 28 ms (three whole make tests, 24 machines
 * each; up to 13447 acquisitions in one, when the host stopped CPU 0);
 * without it, on x86_64, 0.3-3 s in every run, 36000-75000 acquisitions
 * (arm64's episodes were 30-40 ms, below the limit: the host model
 * covers them). Tickets: the same checks.
 */
#define STARVE_TAKES		200
#define HAMMER_HOLD		32
#define STARVE_HAMMER_NS	10000000000ULL	/* the hammer gives up: 10 s */
#define STARVE_WAIT_NS		250000000ULL	/* 9x the worst seen with the bound */

static DEFINE_SPINLOCK(starve_lock);
static volatile unsigned long hammer_count;
static volatile bool hammer_stop, hammer_running, hammer_gave_up;
static unsigned long starve_worst, starve_long;
static uint64_t starve_ns;

static int hammer(void *arg)
{
	uint64_t until = clock_ns() + STARVE_HAMMER_NS;

	(void)arg;
	WRITE_ONCE(hammer_running, true);
	while (!READ_ONCE(hammer_stop)) {
		if (clock_ns() > until) {
			hammer_gave_up = true;
			break;
		}
		for (unsigned int i = 0; i < 256; i++) {
			spin_lock(&starve_lock);
			hammer_count++;
			for (unsigned int j = 0; j < HAMMER_HOLD; j++)
				arch_cpu_relax();
			spin_unlock(&starve_lock);
		}
	}
	return 0;
}

static int starved_waiter(void *arg)
{
	(void)arg;
	while (!READ_ONCE(hammer_running))
		arch_cpu_relax();
	for (unsigned int i = 0; i < STARVE_TAKES; i++) {
		/* Interrupts off: a handler run between the look at the
		 * count and the wait would count as waiting. */
		unsigned long flags = arch_irq_save();
		unsigned long before = READ_ONCE(hammer_count), passed;
		uint64_t t0 = clock_ns(), ns;

		spin_lock(&starve_lock);
		passed = hammer_count - before;
		ns = clock_ns() - t0;
		spin_unlock(&starve_lock);
		arch_irq_restore(flags);
		if (passed > starve_worst)
			starve_worst = passed;
		if (ns > starve_ns)
			starve_ns = ns;
		/* One in progress when the wait began, then the bound. */
		if (passed > SPIN_STARVE_RELEASES + 1)
			starve_long++;
		udelay(5);
	}
	WRITE_ONCE(hammer_stop, true);
	return 0;
}

static void run_starve(struct kunit *test, const char *mode)
{
	struct thread *h, *w;

	hammer_count = 0;
	hammer_stop = hammer_running = hammer_gave_up = false;
	starve_worst = starve_long = 0;
	starve_ns = 0;
	h = kthread_create(hammer, NULL, "hammer");
	w = kthread_create(starved_waiter, NULL, "starved");
	KUNIT_ASSERT_NOT_NULL(test, h);
	KUNIT_ASSERT_NOT_NULL(test, w);
	kthread_bind(h, 1);
	kthread_bind(w, 0);
	wake_up_process(h);
	wake_up_process(w);
	kthread_stop(w);
	kthread_stop(h);
	kunit_info(test, "%s: hammer took the lock %lu times; %lu of %u waits let it in more than %u times, at most %lu; the longest wait %lu us",
		   mode, hammer_count, starve_long, STARVE_TAKES,
		   SPIN_STARVE_RELEASES + 1, starve_worst,
		   (unsigned long)(starve_ns / 1000));
	KUNIT_EXPECT_LT(test, starve_ns, STARVE_WAIT_NS);
	KUNIT_EXPECT_FALSE(test, hammer_gave_up);
	KUNIT_EXPECT_FALSE(test, spin_is_locked(&starve_lock));
}

static void test_and_set_waiter_is_not_starved(struct kunit *test)
{
	bool mode = spin_lock_virt;

	if (num_online_cpus() < 2)
		kunit_skip(test, "one CPU: nobody to be starved by");
	WRITE_ONCE(spin_lock_virt, true);
	run_starve(test, "test-and-set");
	WRITE_ONCE(spin_lock_virt, false);
	run_starve(test, "ticket");
	WRITE_ONCE(spin_lock_virt, mode);
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
	for (int i = 0; i < 1000 && handoff_mutex.waiters.next == &handoff_mutex.waiters; i++)
		sleep_ms(10);	/* 10 s, a hang check: its CPU may be slow to run it */
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

#define EXPECT_REPORT(test, text)	KUNIT_EXPECT_STR_CONTAINS(test, report, text)

static void debugger_catches_recursion(struct kunit *test)
{
	KUNIT_ASSERT_TRUE(test, lock_debug);
	kunit_capture_start(test, report, sizeof(report));
	spin_lock(&dbg_lock);
	spin_lock(&dbg_lock);		/* the misuse: would hang without the debugger */
	spin_unlock(&dbg_lock);
	KUNIT_EXPECT_CAPTURED_REPORTS(test, DIAG_LOCKDEP, 1);
	EXPECT_REPORT(test, "BUG: lock debug: recursive locking of spinlock 'dbg_lock'");
	EXPECT_REPORT(test, "thread 'main'");
	EXPECT_REPORT(test, "held by this thread since tests/kernel/lock_test.c:");
	KUNIT_EXPECT_FALSE(test, spin_is_locked(&dbg_lock));
	KUNIT_EXPECT_EQ(test, current->preempt_count, 0);
}

static void debugger_catches_unlock_of_free_lock(struct kunit *test)
{
	kunit_capture_start(test, report, sizeof(report));
	spin_unlock(&dbg_lock);
	KUNIT_EXPECT_CAPTURED_REPORTS(test, DIAG_LOCKDEP, 1);
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
	init_completion(&holder_has_it);
	init_completion(&holder_may_go);
	t = kthread_run(holder, NULL, "holder");
	KUNIT_ASSERT_NOT_NULL(test, t);
	wait_for_completion(&holder_has_it);
	kunit_capture_start(test, report, sizeof(report));
	spin_unlock(&dbg_lock);		/* the misuse: main does not hold it */
	KUNIT_EXPECT_CAPTURED_REPORTS(test, DIAG_LOCKDEP, 1);
	KUNIT_EXPECT_TRUE(test, spin_is_locked(&dbg_lock));	/* left held */
	complete(&holder_may_go);
	kthread_stop(t);
	EXPECT_REPORT(test, "BUG: lock debug: unlock by a non-owner of spinlock 'dbg_lock'");
	EXPECT_REPORT(test, "held by thread 'holder' since tests/kernel/lock_test.c:");
	KUNIT_EXPECT_FALSE(test, spin_is_locked(&dbg_lock));
}

/*
 * Holds dbg_lock, spinning (no sleeping with a spinlock), until the lock
 * debugger has reported the waiter's lockup, or 10 s. (A fixed 300 ms
 * was not enough: on -smp 8 under a busy host the waiter's vCPU could
 * start waiting only after the holder had let go, and nothing was
 * reported.)
 */
static int slow_holder(void *arg)
{
	unsigned long reports = diag_count(DIAG_LOCKDEP);
	uint64_t until;

	(void)arg;
	spin_lock(&dbg_lock);
	complete(&holder_has_it);
	until = clock_ns() + 10000000000ull;
	while (diag_count(DIAG_LOCKDEP) == reports && clock_ns() < until)
		arch_cpu_relax();
	spin_unlock(&dbg_lock);
	return 0;
}

/*
 * A wait for a spinlock past the lockup limit (lowered here from 10 s to
 * 100 ms) is reported once, naming the holder and where it took the
 * lock; the wait goes on and gets the lock when the holder lets go.
 */
static void debugger_catches_a_spinlock_lockup(struct kunit *test)
{
	uint64_t old = spin_lockup_ns;
	struct thread *t;

	if (num_online_cpus() < 2)
		kunit_skip(test, "needs two CPUs (the holder spins with the lock)");
	init_completion(&holder_has_it);
	t = kthread_run(slow_holder, NULL, "holder");
	KUNIT_ASSERT_NOT_NULL(test, t);
	wait_for_completion(&holder_has_it);
	kunit_capture_start(test, report, sizeof(report));
	WRITE_ONCE(spin_lockup_ns, 100000000ull);
	spin_lock(&dbg_lock);		/* waits until reported */
	spin_unlock(&dbg_lock);
	WRITE_ONCE(spin_lockup_ns, old);
	KUNIT_EXPECT_CAPTURED_REPORTS(test, DIAG_LOCKDEP, 1);
	kthread_stop(t);
	EXPECT_REPORT(test, "BUG: lock debug: lockup waiting for spinlock 'dbg_lock'");
	EXPECT_REPORT(test, "held by thread 'holder' (id ");
	EXPECT_REPORT(test, "since tests/kernel/lock_test.c:");
	EXPECT_REPORT(test, "still waiting");
	/* One long hold, not a starved waiter. */
	EXPECT_REPORT(test, "releases during the wait: 0 ");
	KUNIT_EXPECT_FALSE(test, spin_is_locked(&dbg_lock));
}

static void debugger_catches_sleep_with_spinlock(struct kunit *test)
{
	kunit_capture_start(test, report, sizeof(report));
	spin_lock(&dbg_lock);
	sleep_ms(10);			/* the misuse */
	spin_unlock(&dbg_lock);
	KUNIT_EXPECT_CAPTURED_REPORTS(test, DIAG_LOCKDEP, 1);
	EXPECT_REPORT(test, "BUG: lock debug: sleeping function called while holding spinlock 'dbg_lock'");
	EXPECT_REPORT(test, "taken at tests/kernel/lock_test.c:");
}

static void debugger_catches_sleep_with_irqs_off(struct kunit *test)
{
	kunit_capture_start(test, report, sizeof(report));
	arch_irq_disable();
	mutex_lock(&dbg_mutex);		/* the misuse (free mutex: no real sleep) */
	mutex_unlock(&dbg_mutex);
	arch_irq_enable();
	KUNIT_EXPECT_CAPTURED_REPORTS(test, DIAG_LOCKDEP, 1);
	EXPECT_REPORT(test, "BUG: lock debug: sleeping function called with interrupts 'disabled'");
	EXPECT_REPORT(test, "at tests/kernel/lock_test.c:");
}

static void debugger_catches_mutex_misuse(struct kunit *test)
{
	kunit_capture_start(test, report, sizeof(report));
	mutex_lock(&dbg_mutex);
	mutex_lock(&dbg_mutex);		/* recursion */
	mutex_unlock(&dbg_mutex);
	mutex_unlock(&dbg_mutex);	/* not held any more */
	KUNIT_EXPECT_CAPTURED_REPORTS(test, DIAG_LOCKDEP, 2);
	EXPECT_REPORT(test, "BUG: lock debug: recursive locking of mutex 'dbg_mutex'");
	EXPECT_REPORT(test, "held by this thread since tests/kernel/lock_test.c:");
	EXPECT_REPORT(test, "BUG: lock debug: unlock of mutex 'dbg_mutex'");
	KUNIT_EXPECT_FALSE(test, mutex_is_locked(&dbg_mutex));
}

/*
 * A lock a timer callback takes (interrupt context: kernel/timer.h) and a
 * thread takes with plain spin_lock: reported once, naming both places,
 * though the interrupt never came while the thread held it. A lock the
 * thread takes with spin_lock_irqsave is fine. (The bug it would have
 * caught at once: mm/swap_alloc.c's slot lock, taken in a failed swap
 * write's end_io, deadlocked a CPU on itself once in a loaded full run.)
 */
static DEFINE_SPINLOCK(irq_unsafe_lock);
static DEFINE_SPINLOCK(irq_safe_lock);
static volatile bool irq_taken;

static void take_in_irq(struct timer_list *t)
{
	(void)t;
	spin_lock(&irq_unsafe_lock);
	spin_unlock(&irq_unsafe_lock);
	spin_lock(&irq_safe_lock);
	spin_unlock(&irq_safe_lock);
	irq_taken = true;
}

static void debugger_catches_a_lock_unsafe_against_its_interrupt(struct kunit *test)
{
	struct timer_list t;
	unsigned long flags;
	uint64_t end = clock_ns() + 5000000000ull;

	KUNIT_ASSERT_TRUE(test, lock_debug);
	irq_taken = false;
	timer_setup(&t, take_in_irq);
	mod_timer(&t, jiffies + 1);
	while (!irq_taken && clock_ns() < end)
		sleep_ms(1);
	KUNIT_ASSERT_TRUE(test, irq_taken);
	kunit_capture_start(test, report, sizeof(report));
	spin_lock_irqsave(&irq_safe_lock, flags);	/* right: no report */
	spin_unlock_irqrestore(&irq_safe_lock, flags);
	spin_lock(&irq_unsafe_lock);			/* the misuse */
	spin_unlock(&irq_unsafe_lock);
	spin_lock(&irq_unsafe_lock);			/* said once only */
	spin_unlock(&irq_unsafe_lock);
	KUNIT_EXPECT_CAPTURED_REPORTS(test, DIAG_LOCKDEP, 1);
	EXPECT_REPORT(test, "BUG: lock debug: interrupt-unsafe use of spinlock 'irq_unsafe_lock'");
	EXPECT_REPORT(test, "taken in an interrupt handler at tests/kernel/lock_test.c:");
	EXPECT_REPORT(test, "and with interrupts on at tests/kernel/lock_test.c:");
	EXPECT_REPORT(test, "take it there with spin_lock_irqsave");
	KUNIT_EXPECT_EQ(test, strstr(report, "irq_safe_lock'") == NULL, true);
}

/*
 * arch_irq_save/arch_irq_restore nest (docs/arch-boundary.md): a restore
 * inside another saved section leaves interrupts off, only the outermost
 * turns them back on, and spin_lock_irqsave inside keeps to the same.
 * A restore that turned interrupts on whatever it was given, or one that
 * never turned them on, fails here.
 */
static DEFINE_SPINLOCK(nest_lock);

static void irq_save_and_restore_nest(struct kunit *test)
{
	unsigned long outer, inner, flags;
	bool off_in_inner, off_after_inner, off_after_lock;

	KUNIT_ASSERT_TRUE(test, arch_irqs_enabled());
	outer = arch_irq_save();
	inner = arch_irq_save();
	off_in_inner = !arch_irqs_enabled();
	spin_lock_irqsave(&nest_lock, flags);
	spin_unlock_irqrestore(&nest_lock, flags);
	off_after_lock = !arch_irqs_enabled();
	arch_irq_restore(inner);
	off_after_inner = !arch_irqs_enabled();
	arch_irq_restore(outer);
	KUNIT_EXPECT_TRUE(test, off_in_inner);
	KUNIT_EXPECT_TRUE(test, off_after_lock);
	KUNIT_EXPECT_TRUE(test, off_after_inner);
	KUNIT_EXPECT_TRUE(test, arch_irqs_enabled());
	/* And again from a section entered with interrupts off. */
	arch_irq_disable();
	outer = arch_irq_save();
	arch_irq_restore(outer);
	off_after_inner = !arch_irqs_enabled();
	arch_irq_enable();
	KUNIT_EXPECT_TRUE(test, off_after_inner);
	KUNIT_EXPECT_TRUE(test, arch_irqs_enabled());
}

static struct kunit_case lock_cases[] = {
	KUNIT_CASE(contended_spinlock_counts_exactly),
	KUNIT_CASE(spinlock_modes_agree_on_the_lock_word),
	KUNIT_CASE(test_and_set_waiter_is_not_starved),
	KUNIT_CASE(contended_mutex_counts_exactly),
	KUNIT_CASE(mutex_is_handed_to_the_waiter),
	KUNIT_CASE(debugger_catches_recursion),
	KUNIT_CASE(debugger_catches_unlock_of_free_lock),
	KUNIT_CASE(debugger_catches_unlock_by_non_owner),
	KUNIT_CASE(debugger_catches_a_spinlock_lockup),
	KUNIT_CASE(debugger_catches_sleep_with_spinlock),
	KUNIT_CASE(debugger_catches_sleep_with_irqs_off),
	KUNIT_CASE(debugger_catches_mutex_misuse),
	KUNIT_CASE(debugger_catches_a_lock_unsafe_against_its_interrupt),
	KUNIT_CASE(irq_save_and_restore_nest),
	{}
};

static struct kunit_suite lock_suite = {
	.name = "lock",
	.test_cases = lock_cases,
};
kunit_test_suite(lock_suite);
