/*
 * tests/kernel/time_test.c - the clock and the tick: monotonic, calibrated
 * consistently (the TSC clock and the APIC/arch timer tick agree), and
 * ticks keep arriving. Bounds are loose on purpose: under QEMU's TCG the
 * guest's view of time depends on a busy host.
 */
#include "kernel/kunit.h"
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

static void tick_rate_matches_clock(struct kunit *test)
{
	uint64_t j0 = jiffies;
	uint64_t t0 = clock_ns();

	udelay(200000);		/* 200 ms by the clock: 20 ticks at HZ=100 */
	uint64_t dt = clock_ns() - t0;
	uint64_t dj = jiffies - j0;

	KUNIT_EXPECT_GE(test, dt, 200000000ULL);
	kunit_info(test, "200 ms by the clock gave %llu ticks (expect ~%d)",
		   (unsigned long long)dj, HZ / 5);
	/* Loose: a busy host can stall the guest, but not by a factor of 2. */
	KUNIT_EXPECT_GE(test, dj, (uint64_t)(HZ / 5) / 2);
	KUNIT_EXPECT_LE(test, dj, (uint64_t)(HZ / 5) * 2 + 2);
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
