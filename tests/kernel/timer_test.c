/*
 * tests/kernel/timer_test.c - kernel timers, timeouts, completions and
 * delayed work. Ordering is asserted exactly; lateness only against
 * generous bounds (a few ticks plus slack), because under QEMU's TCG on a
 * busy host the guest's time is unsteady.
 */
#include "kernel/kunit.h"
#include "kernel/sched.h"
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

static void timers_fire_in_expiry_order(struct kunit *test)
{
	static const unsigned int delay[] = { 5, 2, 8, 1, 3, 8, 4 };
	struct probe p[ARRAY_SIZE(delay)];
	uint64_t now = jiffies;

	fire_seq = 0;
	for (unsigned int i = 0; i < ARRAY_SIZE(delay); i++) {
		p[i].order = -1;
		timer_setup(&p[i].timer, probe_fire);
		mod_timer(&p[i].timer, now + delay[i]);
	}
	for (int i = 0; i < 100 && READ_ONCE(fire_seq) < (int)ARRAY_SIZE(delay); i++)
		sleep_ms(10);
	KUNIT_ASSERT_EQ(test, fire_seq, (int)ARRAY_SIZE(delay));
	for (unsigned int i = 0; i < ARRAY_SIZE(delay); i++) {
		uint64_t due = now + delay[i];

		KUNIT_EXPECT_GE(test, p[i].fired_jiffies, due);
		KUNIT_EXPECT_LE(test, p[i].fired_jiffies, due + LATE_TICKS);
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
	KUNIT_EXPECT_GE(test, n, 5u);
	KUNIT_EXPECT_LE(test, (uint64_t)n, ticks / 2 + 1);
	sleep_ms(50);
	KUNIT_EXPECT_EQ(test, periodic_count, n);	/* stopped */
	KUNIT_EXPECT_FALSE(test, timer_pending(&t));
}

static void deleted_timer_does_not_fire(struct kunit *test)
{
	struct probe p = { .order = -1 };

	fire_seq = 0;
	timer_setup(&p.timer, probe_fire);
	mod_timer(&p.timer, jiffies + 3);
	KUNIT_EXPECT_TRUE(test, del_timer(&p.timer));
	sleep_ms(60);
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
	uint64_t t0 = clock_ns();

	to_flag = false;
	KUNIT_EXPECT_EQ(test, wait_event_timeout(to_wq, to_flag, 50), 0L);
	uint64_t ms = (clock_ns() - t0) / 1000000;

	KUNIT_EXPECT_GE(test, ms, 50ULL);
	KUNIT_EXPECT_LT(test, ms, 50ULL + 10 * LATE_TICKS + 200);

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

	work_runs = 0;
	INIT_DELAYED_WORK(&dw, work_fn);
	KUNIT_ASSERT_TRUE(test, schedule_delayed_work(&dw, 50));
	KUNIT_EXPECT_FALSE(test, schedule_delayed_work(&dw, 50));	/* pending */
	for (int i = 0; i < 100 && !work_runs; i++)
		sleep_ms(10);
	flush_work_on(system_wq, &dw.work);
	KUNIT_EXPECT_EQ(test, work_runs, 1);
	KUNIT_EXPECT_PTR_EQ(test, work_thread, system_wq->worker);
	KUNIT_EXPECT_GE(test, work_jiffies, j0 + 5);
	KUNIT_EXPECT_LE(test, work_jiffies, j0 + 5 + LATE_TICKS + 10);

	/* Cancelled before its time: never runs. */
	KUNIT_ASSERT_TRUE(test, schedule_delayed_work(&dw, 100));
	KUNIT_EXPECT_TRUE(test, cancel_delayed_work_sync(&dw));
	sleep_ms(150);
	KUNIT_EXPECT_EQ(test, work_runs, 1);
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
