/*
 * tests/kernel/timer_test.c - kernel timers, timeouts, completions and
 * delayed work. What the code guarantees is asserted exactly: ordering,
 * "not before its time", and the tick a timer fires on. How late a thread
 * runs after a wake-up is not guaranteed at all (a loaded host can stop a
 * virtual CPU for any time, while CPU 0 keeps ticking), so no case bounds
 * it except as a hang check, and no case relies on the test thread doing
 * two things within some number of ticks.
 */
#include "kernel/kunit.h"
#include "kernel/sched.h"
#include "kernel/smp.h"
#include "kernel/time.h"
#include "kernel/timer.h"
#include "kernel/wait.h"
#include "kernel/workqueue.h"

#define LATE_TICKS	5	/* a timer may fire this many ticks late */

struct probe {
	struct timer_list timer;
	int order;			/* position in which it fired */
	uint64_t fired_jiffies;
};

static int fire_seq;

static void probe_fire(struct timer_list *t)
{
	struct probe *p = container_of(t, struct probe, timer);

	p->order = __atomic_fetch_add(&fire_seq, 1, __ATOMIC_SEQ_CST);
	p->fired_jiffies = jiffies;
}

/*
 * Arming happens on CPU 0 with interrupts off (a cross-CPU call), because
 * CPU 0's tick is what runs timers: while it cannot come, jiffies stands
 * still and no timer can fire, however long the arming takes (a loaded
 * host may stop this virtual CPU for many ticks at any instruction).
 */
struct arm_req {
	struct probe *p;
	const unsigned int *delay;	/* NULL: del_timer() right after */
	unsigned int n;
	uint64_t base;			/* jiffies while arming */
	bool deleted;
};

static void arm_on_cpu0(void *arg)
{
	struct arm_req *r = arg;

	r->base = jiffies;
	for (unsigned int i = 0; i < r->n; i++)
		mod_timer(&r->p[i].timer, r->base + (r->delay ? r->delay[i] : 3));
	if (!r->delay)
		r->deleted = del_timer(&r->p[0].timer);
}

/* Sleep until jiffies reaches j (or, as a hang check only, 10 s). */
static void sleep_until_jiffies(uint64_t j)
{
	for (int i = 0; i < 1000 && (int64_t)(READ_ONCE(jiffies) - j) < 0; i++)
		sleep_ms(10);
}

static void timers_fire_in_expiry_order(struct kunit *test)
{
	static const unsigned int delay[] = { 5, 2, 8, 1, 3, 8, 4 };
	struct probe p[ARRAY_SIZE(delay)];
	struct arm_req r = { .p = p, .delay = delay, .n = ARRAY_SIZE(delay) };

	fire_seq = 0;
	for (unsigned int i = 0; i < ARRAY_SIZE(delay); i++) {
		p[i].order = -1;
		timer_setup(&p[i].timer, probe_fire);
	}
	KUNIT_ASSERT_EQ(test, smp_call_function_single(0, arm_on_cpu0, &r), 0);
	/* Waits for the firings; the 10 s bound is only a hang check. */
	for (int i = 0; i < 1000 && READ_ONCE(fire_seq) < (int)ARRAY_SIZE(delay); i++)
		sleep_ms(10);
	KUNIT_ASSERT_EQ(test, fire_seq, (int)ARRAY_SIZE(delay));
	for (unsigned int i = 0; i < ARRAY_SIZE(delay); i++) {
		/*
		 * All were armed at jiffies == base and CPU 0 takes one tick
		 * (jiffies++, then run_timers) an interrupt, so each fires
		 * on exactly the tick that reaches its expiry: no slack
		 * needed, even when the tick itself was late.
		 */
		KUNIT_EXPECT_EQ(test, p[i].fired_jiffies, r.base + delay[i]);
		for (unsigned int j = 0; j < ARRAY_SIZE(delay); j++)
			if (delay[j] < delay[i] || (delay[j] == delay[i] && j < i))
				KUNIT_EXPECT_LT(test, p[j].order, p[i].order);
	}
}

static volatile unsigned int periodic_count;

static void periodic_fire(struct timer_list *t)
{
	(void)t;
	periodic_count++;
}

static void periodic_timer_repeats_until_deleted(struct kunit *test)
{
	struct timer_list t;
	uint64_t j0;

	periodic_count = 0;
	timer_setup(&t, periodic_fire);
	j0 = jiffies;
	timer_start_periodic(&t, 2);
	sleep_ms(200);				/* 20 ticks: about 10 firings */
	del_timer_sync(&t);
	unsigned int n = periodic_count;
	uint64_t ticks = jiffies - j0;

	kunit_info(test, "%u firings in %llu ticks", n, (unsigned long long)ticks);
	/* One firing every 2 ticks of CPU 0, counted in ticks (sleep_ms
	 * lasts at least 20 of them): neither more nor many fewer. */
	KUNIT_EXPECT_GE(test, ticks, 20ULL);
	KUNIT_EXPECT_GE(test, (uint64_t)n + 2, ticks / 2);
	KUNIT_EXPECT_LE(test, (uint64_t)n, ticks / 2 + 1);
	sleep_ms(50);
	KUNIT_EXPECT_EQ(test, periodic_count, n);	/* stopped */
	KUNIT_EXPECT_FALSE(test, timer_pending(&t));
}

static void deleted_timer_does_not_fire(struct kunit *test)
{
	struct probe p = { .order = -1 };
	struct arm_req r = { .p = &p, .n = 1 };

	fire_seq = 0;
	timer_setup(&p.timer, probe_fire);
	/* Armed and deleted with CPU 0's tick held off: it cannot fire in
	 * between, so del_timer() must find it pending. */
	KUNIT_ASSERT_EQ(test, smp_call_function_single(0, arm_on_cpu0, &r), 0);
	KUNIT_EXPECT_TRUE(test, r.deleted);
	sleep_until_jiffies(r.base + 3 + 2);	/* past its tick, counted in ticks */
	KUNIT_EXPECT_GE(test, jiffies, r.base + 3 + 2);
	KUNIT_EXPECT_EQ(test, p.order, -1);
}

static DECLARE_WAIT_QUEUE_HEAD(to_wq);
static volatile bool to_flag;

static void set_flag(struct timer_list *t)
{
	(void)t;
	to_flag = true;
	wake_up(&to_wq);
}

static void wait_event_timeout_times_out_and_wakes(struct kunit *test)
{
	struct timer_list t;
	uint64_t t0 = clock_ns(), j0 = jiffies;

	to_flag = false;
	KUNIT_EXPECT_EQ(test, wait_event_timeout(to_wq, to_flag, 50), 0L);
	uint64_t ms = (clock_ns() - t0) / 1000000;

	/* The promise is in ticks (kernel/wait.h). Not in clock time: if
	 * CPU 0's tick was behind when the wait began (its vCPU was not run
	 * for a while), the missed ticks come at once. Seen on raspi3b under
	 * load: 44 ms of clock for 5 ticks. */
	KUNIT_EXPECT_GE(test, jiffies - j0, msecs_to_jiffies(50));
	KUNIT_EXPECT_LT(test, ms, 10000ULL);	/* a hang check, not a latency */

	timer_setup(&t, set_flag);
	mod_timer(&t, jiffies + 2);
	KUNIT_EXPECT_GT(test, wait_event_timeout(to_wq, to_flag, 2000), 0L);
	KUNIT_EXPECT_TRUE(test, to_flag);
	del_timer_sync(&t);
}

static struct completion comp;

static void complete_it(struct timer_list *t)
{
	(void)t;
	complete(&comp);
}

static void completion_from_a_timer(struct kunit *test)
{
	struct timer_list t;

	init_completion(&comp);
	KUNIT_EXPECT_FALSE(test, wait_for_completion_timeout(&comp, 30));
	timer_setup(&t, complete_it);
	mod_timer(&t, jiffies + 1);
	wait_for_completion(&comp);
	KUNIT_EXPECT_FALSE(test, completion_done(&comp));	/* consumed */
	del_timer_sync(&t);
}

static volatile int work_runs;
static struct thread *work_thread;
static volatile uint64_t work_jiffies;

static void work_fn(struct work_struct *w)
{
	(void)w;
	work_thread = current;
	work_jiffies = jiffies;
	work_runs++;
	sleep_ms(1);		/* work may sleep */
}

static void delayed_work_runs_in_a_worker_after_its_delay(struct kunit *test)
{
	struct delayed_work dw;
	uint64_t j0 = jiffies;
	int cancelled = 0, runs;

	work_runs = 0;
	INIT_DELAYED_WORK(&dw, work_fn);
	KUNIT_ASSERT_TRUE(test, schedule_delayed_work(&dw, 50));
	KUNIT_EXPECT_FALSE(test, schedule_delayed_work(&dw, 50));	/* pending */
	for (int i = 0; i < 1000 && !work_runs; i++)	/* hang check: 10 s */
		sleep_ms(10);
	flush_work_on(system_wq, &dw.work);
	KUNIT_EXPECT_EQ(test, work_runs, 1);
	KUNIT_EXPECT_PTR_EQ(test, work_thread, system_wq->worker);
	KUNIT_EXPECT_GE(test, work_jiffies, j0 + msecs_to_jiffies(50));

	/*
	 * Cancelled before its time: never runs. The test thread may be
	 * stopped for longer than the delay between queueing and cancelling;
	 * then the work ran and cancel_delayed_work_sync() must say so. Both
	 * outcomes are checked, and the cancelled one must happen at least
	 * once in a few tries.
	 */
	for (int i = 0; i < 5 && !cancelled; i++) {
		runs = work_runs;
		KUNIT_ASSERT_TRUE(test, schedule_delayed_work(&dw, 100));
		bool was = cancel_delayed_work_sync(&dw);
		uint64_t j = jiffies;

		sleep_until_jiffies(j + msecs_to_jiffies(100) + 2);
		KUNIT_EXPECT_EQ(test, work_runs, was ? runs : runs + 1);
		cancelled += was;
	}
	KUNIT_EXPECT_EQ(test, cancelled, 1);
}

static struct kunit_case timer_cases[] = {
	KUNIT_CASE(timers_fire_in_expiry_order),
	KUNIT_CASE(periodic_timer_repeats_until_deleted),
	KUNIT_CASE(deleted_timer_does_not_fire),
	KUNIT_CASE(wait_event_timeout_times_out_and_wakes),
	KUNIT_CASE(completion_from_a_timer),
	KUNIT_CASE(delayed_work_runs_in_a_worker_after_its_delay),
	{}
};

static struct kunit_suite timer_suite = {
	.name = "timer",
	.test_cases = timer_cases,
};
kunit_test_suite(timer_suite);
