/*
 * tests/kernel/time_test.c - the clock and the tick: monotonic, calibrated
 * consistently (the TSC clock and the APIC/arch timer tick agree), and
 * ticks keep arriving. Under QEMU's TCG on a busy host ticks may be lost
 * (never invented), so the cases say which bounds hold always and which
 * only in the best of several tries.
 */
#include "kernel/kthread.h"
#include "kernel/kunit.h"
#include "kernel/sched.h"
#include "kernel/time.h"
#include <arch/cpu.h>

static void clock_is_monotonic(struct kunit *test)
{
	uint64_t prev = clock_ns();

	KUNIT_ASSERT_GT(test, prev, 0ULL);	/* calibrated by now */
	for (int i = 0; i < 10000; i++) {
		uint64_t now = clock_ns();

		KUNIT_ASSERT_GE(test, now, prev);
		prev = now;
	}
}

static void ticks_arrive_while_waiting(struct kunit *test)
{
	KUNIT_ASSERT_TRUE(test, arch_irqs_enabled());
	uint64_t j0 = jiffies;
	uint64_t t0 = clock_ns();

	/* Sleep in hlt until at least 5 ticks have passed (or 2 s). */
	while (jiffies - j0 < 5 && clock_ns() - t0 < 2000000000ULL)
		arch_wait_for_interrupt();
	KUNIT_EXPECT_GE(test, jiffies - j0, 5ULL);
}

/*
 * Ticks are never invented: in a window of dt nanoseconds by the clock at
 * most dt/period ticks arrive, plus one at each edge (arm64 catches up one
 * late tick at once). That holds in every window. They can be lost,
 * though: a loaded host that stops CPU 0's virtual CPU for longer than a
 * period merges its ticks (under two CPU hogs half of them go). So the
 * window is measured on CPU 0, which reads the clock in a tight loop; a
 * gap of g ns between two reads (the host stopped it) may have eaten up
 * to g/period + 1 ticks. The lower bound is three quarters of the ticks
 * that the gaps cannot explain: a clock calibrated a third too fast still
 * fails it, a busy host does not. Gaps under half a period cannot lose a
 * tick (the pending one is taken before the next is due) and are not
 * counted, so a tick handler's own time is not mistaken for a stop.
 */
#define PERIOD_NS	(1000000000ULL / HZ)

static uint64_t win_dt, win_dj, win_lost, win_gaps;

static int measure_on_cpu0(void *arg)
{
	uint64_t j0 = jiffies, t0 = clock_ns(), prev = t0, now, lost = 0, gaps = 0;

	(void)arg;
	/* 200 ms by the clock: 20 ticks at HZ=100 */
	while ((now = clock_ns()) - t0 < 200000000ULL) {
		if (now - prev > PERIOD_NS / 2) {
			lost += (now - prev) / PERIOD_NS + 1;
			gaps++;
		}
		prev = now;
	}
	win_dj = jiffies - j0;
	win_dt = now - t0;
	win_lost = lost;
	win_gaps = gaps;
	return 0;
}

static void tick_rate_matches_clock(struct kunit *test)
{
	struct thread *t = kthread_create(measure_on_cpu0, NULL, "tickrate");

	KUNIT_ASSERT_NOT_NULL(test, t);
	win_dt = 0;
	kthread_bind(t, 0);		/* where jiffies is counted */
	wake_up_process(t);
	kthread_stop(t);
	KUNIT_ASSERT_GE(test, win_dt, 200000000ULL);

	uint64_t expect = win_dt / PERIOD_NS;
	uint64_t floor = expect > win_lost ? expect - win_lost : 0;

	kunit_info(test, "%llu ticks where the clock counted %llu; %llu stops of CPU 0 may explain %llu lost",
		   (unsigned long long)win_dj, (unsigned long long)expect,
		   (unsigned long long)win_gaps, (unsigned long long)win_lost);
	KUNIT_EXPECT_LE(test, win_dj, expect + 2);
	KUNIT_EXPECT_GE(test, 4 * win_dj, 3 * floor);
}

static struct kunit_case time_cases[] = {
	KUNIT_CASE(clock_is_monotonic),
	KUNIT_CASE(ticks_arrive_while_waiting),
	KUNIT_CASE(tick_rate_matches_clock),
	{}
};

static struct kunit_suite time_suite = {
	.name = "time",
	.test_cases = time_cases,
};
kunit_test_suite(time_suite);
