/*
 * tests/kernel/sched_test.c - threads and the scheduler: start/stop,
 * sleeping and waking, wait/wake ping-pong between two threads,
 * preemption of a thread that never yields, spreading over the CPUs,
 * a woken thread placed on an idle CPU (a sync wake-up on the waker's),
 * and a bounded stress run that checks nothing is lost (threads, stack
 * pages back in the page allocator).
 */
#include "kernel/kthread.h"
#include "kernel/kunit.h"
#include "kernel/lib/string.h"
#include "kernel/lib/random.h"
#include "kernel/percpu.h"
#include "kernel/preempt.h"
#include "kernel/sched.h"
#include "kernel/smp.h"
#include "kernel/time.h"
#include "kernel/timer.h"
#include "kernel/wait.h"
#include "mm/page_alloc.h"

static int return_arg(void *arg)
{
	return (int)(uintptr_t)arg;
}

static void thread_runs_and_is_stopped(struct kunit *test)
{
	unsigned int before = nr_threads();
	struct thread *t = kthread_run(return_arg, (void *)42, "ret42");

	KUNIT_ASSERT_NOT_NULL(test, t);
	KUNIT_EXPECT_EQ(test, nr_threads(), before + 1);
	KUNIT_EXPECT_EQ(test, kthread_stop(t), 42);
	KUNIT_EXPECT_EQ(test, nr_threads(), before);
}

static int until_stopped(void *arg)
{
	volatile unsigned long *loops = arg;

	while (!kthread_should_stop()) {
		(*loops)++;
		sleep_ms(1);
	}
	return 7;
}

static void stop_wakes_a_sleeping_thread(struct kunit *test)
{
	unsigned long loops = 0;
	struct thread *t = kthread_run(until_stopped, &loops, "sleeper");

	KUNIT_ASSERT_NOT_NULL(test, t);
	/* Until it has looped (and so sleeps between loops): its CPU may
	 * not run it for a while on a loaded host. 10 s: a hang check. */
	for (int i = 0; i < 1000 && !READ_ONCE(loops); i++)
		sleep_ms(10);
	sleep_ms(30);
	KUNIT_EXPECT_EQ(test, kthread_stop(t), 7);
	KUNIT_EXPECT_GT(test, loops, 0UL);
}

/* ---------------------------------------------------------------- ping-pong */

#define PINGS 100u

static DECLARE_WAIT_QUEUE_HEAD(pp_wq);
static volatile int pp_turn;		/* 0: ping's turn, 1: pong's */
static volatile unsigned int pp_count[2];

static int pinger(void *arg)
{
	int me = (int)(uintptr_t)arg;

	for (unsigned int i = 0; i < PINGS; i++) {
		wait_event(pp_wq, pp_turn == me);
		pp_count[me]++;
		pp_turn = !me;
		wake_up(&pp_wq);
	}
	return 0;
}

static void wait_wake_ping_pong(struct kunit *test)
{
	struct thread *a, *b;
	unsigned int ncpu = num_online_cpus();

	pp_turn = 0;
	pp_count[0] = pp_count[1] = 0;
	a = kthread_create(pinger, (void *)0, "ping");
	b = kthread_create(pinger, (void *)1, "pong");
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	kthread_bind(a, 0);
	kthread_bind(b, ncpu > 1 ? 1 : 0);	/* across CPUs when there are two */
	wake_up_process(a);
	wake_up_process(b);
	kthread_stop(a);
	kthread_stop(b);
	KUNIT_EXPECT_EQ(test, pp_count[0], PINGS);
	KUNIT_EXPECT_EQ(test, pp_count[1], PINGS);
}

/* ---------------------------------------------------------------- preemption */

static volatile bool spin_go;

static int spin_forever(void *arg)
{
	volatile unsigned long *n = arg;

	while (!READ_ONCE(spin_go))
		(*n)++;		/* never sleeps or yields */
	return 0;
}

static void busy_threads_are_preempted(struct kunit *test)
{
	unsigned long n[2] = { 0, 0 };
	struct thread *t[2];

	spin_go = false;
	for (int i = 0; i < 2; i++) {
		t[i] = kthread_create(spin_forever, &n[i], "spin%d", i);
		KUNIT_ASSERT_NOT_NULL(test, t[i]);
		kthread_bind(t[i], 0);		/* both on CPU 0, with main */
		wake_up_process(t[i]);
	}
	/* main sleeps; with time slices both spinners must make progress. */
	sleep_ms(100);
	unsigned long a = n[0], b = n[1];

	spin_go = true;
	kthread_stop(t[0]);
	kthread_stop(t[1]);
	KUNIT_EXPECT_GT(test, a, 0UL);
	KUNIT_EXPECT_GT(test, b, 0UL);
}

static volatile unsigned long ran_on_mask;

/* Stay busy until every CPU has run one of us (or 10 s, a hang check:
 * under TCG a virtual CPU may wait long for a host core). */
static int note_cpu(void *arg)
{
	(void)arg;
	uint64_t end = clock_ns() + 10000 * 1000000ULL;

	while (READ_ONCE(ran_on_mask) != cpu_online_mask && clock_ns() < end)
		__atomic_fetch_or(&ran_on_mask, 1UL << arch_cpu_id(), __ATOMIC_RELAXED);
	return 0;
}

static void threads_spread_over_cpus(struct kunit *test)
{
	unsigned int ncpu = num_online_cpus();
	struct thread *t[2 * NR_CPUS];

	if (ncpu < 2)
		kunit_skip(test, "one CPU");
	ran_on_mask = 0;
	for (unsigned int i = 0; i < 2 * ncpu; i++) {
		t[i] = kthread_run(note_cpu, NULL, "spread%u", i);
		KUNIT_ASSERT_NOT_NULL(test, t[i]);
	}
	for (unsigned int i = 0; i < 2 * ncpu; i++)
		kthread_stop(t[i]);
	kunit_info(test, "ran on CPUs %#lx of %#lx", ran_on_mask, cpu_online_mask);
	KUNIT_EXPECT_EQ(test, ran_on_mask, cpu_online_mask);
}

static void sleep_lasts_at_least_its_time(struct kunit *test)
{
	uint64_t t0 = clock_ns();

	sleep_ms(30);
	uint64_t ms = (clock_ns() - t0) / 1000000;

	KUNIT_EXPECT_GE(test, ms, 30ULL);
	/* How late a sleeper runs depends on the host: a hang check only. */
	KUNIT_EXPECT_LT(test, ms, 10000ULL);
}

/* ---------------------------------------------------------------- wake placement */

/*
 * A thread woken while its last CPU is busy goes to an idle CPU (if
 * there is one) at once, instead of queueing behind the busy CPU's
 * thread until that one's slice ends or the idle CPU's next tick pulls
 * it (kernel/sched.c, wake_target). The set-up: a sleeper whose last
 * CPU is 0, a spinner bound to CPU 0, the test's own thread asleep (so
 * CPU 1 idles), and a timer (its callback runs on CPU 0) that wakes the
 * sleeper and notes where wake_up queued it: CPU 0 without wake_target,
 * every time. Another thread may happen to run on CPU 1 just then (a
 * flusher), which is allowed to keep the sleeper on CPU 0; so up to
 * WP_TRIES rounds, and one placement on another CPU is asked.
 */
#define WP_TRIES 5

static DECLARE_WAIT_QUEUE_HEAD(wp_wq);
static volatile bool wp_go, wp_ready, wp_done;
static volatile int wp_queued_on, wp_ran_on;
static struct thread *wp_sleeper_thread;

static int wp_sleeper(void *arg)
{
	(void)arg;
	WRITE_ONCE(wp_ready, true);
	wait_event(wp_wq, READ_ONCE(wp_go));
	WRITE_ONCE(wp_ran_on, (int)arch_cpu_id());
	WRITE_ONCE(wp_done, true);
	return 0;
}

static void wp_fire(struct timer_list *tm)
{
	(void)tm;
	WRITE_ONCE(wp_go, true);
	wake_up(&wp_wq);
	WRITE_ONCE(wp_queued_on, (int)READ_ONCE(wp_sleeper_thread->cpu));
}

static void woken_thread_goes_to_an_idle_cpu(struct kunit *test)
{
	unsigned long spins = 0;
	struct thread *hog;
	struct timer_list tm;
	int moved = 0;

	if (num_online_cpus() < 2)
		kunit_skip(test, "one CPU");
	spin_go = false;
	hog = kthread_create(spin_forever, &spins, "wp_hog");
	KUNIT_ASSERT_NOT_NULL(test, hog);
	kthread_bind(hog, 0);
	wake_up_process(hog);
	for (int i = 0; i < 1000 && !READ_ONCE(spins); i++)
		sleep_ms(10);
	timer_setup(&tm, wp_fire);
	for (int round = 0; round < WP_TRIES && !moved; round++) {
		struct thread *t;

		wp_go = wp_ready = wp_done = false;
		wp_queued_on = wp_ran_on = -1;
		t = kthread_create(wp_sleeper, NULL, "wp_sleeper");
		KUNIT_ASSERT_NOT_NULL(test, t);
		wp_sleeper_thread = t;
		kthread_bind(t, 0);	/* its last CPU: 0, beside the hog */
		wake_up_process(t);
		for (int i = 0; i < 1000 && !(READ_ONCE(wp_ready) &&
				READ_ONCE(t->state) == THREAD_SLEEPING); i++)
			sleep_ms(10);
		WRITE_ONCE(t->bound_cpu, -1);
		mod_timer(&tm, jiffies + 3);
		/* Asleep (CPU 1 idle) until the sleeper has run. */
		for (int i = 0; i < 200 && !READ_ONCE(wp_done); i++)
			sleep_ms(50);
		KUNIT_EXPECT_TRUE(test, READ_ONCE(wp_done));
		kunit_info(test, "round %d: queued on CPU %d, ran on CPU %d",
			   round, wp_queued_on, wp_ran_on);
		if (wp_queued_on > 0)
			moved = 1;
		KUNIT_EXPECT_EQ(test, kthread_stop(t), 0);
	}
	del_timer_sync(&tm);
	spin_go = true;
	kthread_stop(hog);
	KUNIT_EXPECT_TRUE(test, moved);
}

/*
 * A sync wake-up (the waker is about to sleep: a pipe's ends) queues the
 * woken thread on the waker's CPU, even when its own last CPU is idle:
 * two processes playing ping-pong stay on one CPU instead of paying a
 * wake-up IPI to a halted vCPU each way.
 */
static void sync_wake_queues_on_the_wakers_cpu(struct kunit *test)
{
	unsigned int ncpu = num_online_cpus(), me, other;
	struct thread *t;
	int queued;

	if (ncpu < 2)
		kunit_skip(test, "one CPU");
	preempt_disable();
	me = arch_cpu_id();
	preempt_enable();
	other = (me + 1) % ncpu;
	wp_go = wp_ready = wp_done = false;
	t = kthread_create(wp_sleeper, NULL, "wp_sync");
	KUNIT_ASSERT_NOT_NULL(test, t);
	kthread_bind(t, other);		/* its last CPU: another one */
	wake_up_process(t);
	/* Asleep and off its CPU: a thread that set SLEEPING but is still
	 * its CPU's current one is woken where it is (try_to_wake_up), which
	 * is not the case under test. */
	for (int i = 0; i < 1000 && !(READ_ONCE(wp_ready) &&
			READ_ONCE(t->state) == THREAD_SLEEPING &&
			!READ_ONCE(t->on_cpu)); i++)
		sleep_ms(10);
	WRITE_ONCE(t->bound_cpu, -1);
	preempt_disable();
	me = arch_cpu_id();
	WRITE_ONCE(wp_go, true);
	wake_up_process_sync(t);
	/* Not t->cpu: the other CPU is idle, and an idle CPU pulls a thread
	 * queued behind a running one (pull_one), which under a loaded host
	 * can happen before this line runs. */
	queued = READ_ONCE(t->wake_cpu);
	preempt_enable();
	KUNIT_EXPECT_EQ(test, kthread_stop(t), 0);
	kunit_info(test, "waker on CPU %u, the thread's last CPU %u: queued on %d, ran on %d",
		   me, other, queued, wp_ran_on);
	KUNIT_EXPECT_EQ(test, queued, (int)me);
}

/* ---------------------------------------------------------------- stress */

#define STRESS_MS	1500
#define STRESS_LIVE	24

static DECLARE_WAIT_QUEUE_HEAD(stress_wq);
static volatile unsigned long stress_gen;
static unsigned long stress_done;

static int stress_fn(void *arg)
{
	struct prng rng;

	prng_seed(&rng, (uint64_t)(uintptr_t)arg);
	for (int i = 0; i < 4; i++) {
		unsigned long gen = READ_ONCE(stress_gen);

		switch (prng_below(&rng, 3)) {
		case 0:
			sleep_ms((unsigned int)prng_below(&rng, 15));
			break;
		case 1:	/* woken by main's next round, or 20 ms */
			wait_event_timeout(stress_wq, READ_ONCE(stress_gen) != gen, 20);
			break;
		default:
			yield();
		}
	}
	__atomic_fetch_add(&stress_done, 1, __ATOMIC_SEQ_CST);
	return 0;
}

static void stress_creates_and_ends_threads(struct kunit *test)
{
	struct thread *joinable[STRESS_LIVE];
	unsigned int nj = 0;
	unsigned long created = 0;
	struct prng rng;

	prng_seed(&rng, test->seed);
	drain_all_pages(NULL);
	unsigned long free_before = nr_free_pages();
	unsigned int threads_before = nr_threads();
	uint64_t end = clock_ns() + STRESS_MS * 1000000ULL;

	stress_done = 0;
	while (clock_ns() < end) {
		for (int i = 0; i < 6; i++) {
			struct thread *t = kthread_run(stress_fn,
				(void *)(uintptr_t)prng_next(&rng), "stress%lu", created);

			KUNIT_ASSERT_NOT_NULL(test, t);
			created++;
			if (nj < STRESS_LIVE && prng_below(&rng, 2))
				joinable[nj++] = t;
			else
				kthread_detach(t);
		}
		stress_gen++;
		wake_up(&stress_wq);
		sleep_ms((unsigned int)prng_below(&rng, 5));
		while (nj > STRESS_LIVE / 2)
			KUNIT_EXPECT_EQ(test, kthread_stop(joinable[--nj]), 0);
	}
	while (nj)
		KUNIT_EXPECT_EQ(test, kthread_stop(joinable[--nj]), 0);
	/* Detached ones free themselves; wait for them (10 s: a hang check). */
	for (int i = 0; i < 1000 && (READ_ONCE(stress_done) != created ||
				    nr_threads() != threads_before); i++) {
		stress_gen++;
		wake_up(&stress_wq);
		sleep_ms(10);
	}
	kunit_info(test, "%lu threads created and ended in %d ms", created, STRESS_MS);
	KUNIT_EXPECT_EQ(test, stress_done, created);
	KUNIT_EXPECT_EQ(test, nr_threads(), threads_before);
	drain_all_pages(NULL);
	KUNIT_EXPECT_EQ(test, nr_free_pages(), free_before);
}

/* ---------------------------------------------------------------- completions */

/*
 * A completion on the waiter's stack (net_call, kthread_stop) must be
 * finished with by complete() the moment the waiter can see it done:
 * the waiter returns and its frame is reused. Two threads on two CPUs
 * hand completions back and forth; the waiter watches "done" itself
 * (so it need not sleep), takes it, and scribbles over the completion as
 * the next call's frame would. complete() that touched the completion
 * after making it done (it once woke the queue after dropping the lock)
 * then takes a garbage lock and walks a garbage list: seen crashing
 * within the first few thousand rounds here with that bug put back.
 */
#define HANDOFFS	20000

static struct completion *volatile handed;	/* waiter -> completer */
static volatile unsigned long handoffs_done;

static int completer(void *arg)
{
	(void)arg;
	while (!kthread_should_stop()) {
		struct completion *c = READ_ONCE(handed);

		if (!c) {
			arch_cpu_relax();
			continue;
		}
		WRITE_ONCE(handed, NULL);
		complete(c);
	}
	return 0;
}

static __attribute__((noinline)) void one_handoff(void)
{
	struct completion c;

	init_completion(&c);
	WRITE_ONCE(handed, &c);
	while (!READ_ONCE(c.done))
		arch_cpu_relax();
	wait_for_completion(&c);
	memset(&c, 0x5a, sizeof(c));	/* the frame, reused */
	__asm__ volatile("" ::: "memory");
}

static int handoff_waiter(void *arg)
{
	(void)arg;
	for (unsigned long i = 0; i < HANDOFFS; i++) {
		one_handoff();
		WRITE_ONCE(handoffs_done, i + 1);
	}
	while (!kthread_should_stop())
		sleep_ms(1);
	return 0;
}

static void completion_on_the_stack_outlives_complete(struct kunit *test)
{
	struct thread *w, *c;

	if (num_online_cpus() < 2)
		kunit_skip(test, "needs two CPUs (the race is between them)");
	handed = NULL;
	handoffs_done = 0;
	c = kthread_create(completer, NULL, "completer");
	w = kthread_create(handoff_waiter, NULL, "waiter");
	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_ASSERT_NOT_NULL(test, w);
	kthread_bind(c, 1);
	kthread_bind(w, 0);
	wake_up_process(c);
	wake_up_process(w);
	for (int i = 0; i < 3000 && READ_ONCE(handoffs_done) < HANDOFFS; i++)
		sleep_ms(10);
	kthread_stop(w);
	kthread_stop(c);
	KUNIT_EXPECT_EQ(test, handoffs_done, (unsigned long)HANDOFFS);
}

static struct kunit_case sched_cases[] = {
	KUNIT_CASE(thread_runs_and_is_stopped),
	KUNIT_CASE(stop_wakes_a_sleeping_thread),
	KUNIT_CASE(wait_wake_ping_pong),
	KUNIT_CASE(completion_on_the_stack_outlives_complete),
	KUNIT_CASE(busy_threads_are_preempted),
	KUNIT_CASE(threads_spread_over_cpus),
	KUNIT_CASE(sleep_lasts_at_least_its_time),
	KUNIT_CASE(woken_thread_goes_to_an_idle_cpu),
	KUNIT_CASE(sync_wake_queues_on_the_wakers_cpu),
	KUNIT_CASE_SLOW(stress_creates_and_ends_threads),
	{}
};

static struct kunit_suite sched_suite = {
	.name = "sched",
	.test_cases = sched_cases,
};
kunit_test_suite(sched_suite);
