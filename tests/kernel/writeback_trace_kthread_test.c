/*
 * tests/kernel/writeback_trace_kthread_test.c - the dirty trace's
 * sampler thread (mm/writeback_trace_kthread.c) with the real clock: it
 * samples about every 100 ms while it runs, a bdi=all line each time,
 * and stopping it ends the samples. The global ring is used over a
 * static buffer, so a trace someone started is refused, not spoiled.
 */
#include "kernel/errno.h"
#include "kernel/kunit.h"
#include "kernel/lib/string.h"
#include "kernel/sched.h"
#include "mm/writeback_trace.h"

static struct wb_trace_event slots[512];

static unsigned int count_all_samples(uint64_t *first, uint64_t *last)
{
	struct wb_trace_event ev;
	unsigned int n = 0;

	for (uint64_t s = 0; s < ARRAY_SIZE(slots); s++) {
		if (!wb_trace_get(s, &ev))
			break;
		if (ev.type != WB_TRACE_SAMPLE || strcmp(ev.bdi, "all"))
			continue;
		if (!n)
			*first = ev.time_ns;
		*last = ev.time_ns;
		n++;
	}
	return n;
}

static void sampler_samples_every_100ms_until_stopped(struct kunit *test)
{
	struct wb_trace_stats s;
	uint64_t first = 0, last = 0;
	unsigned int n, later;

	wb_trace_get_stats(&s);
	if (s.size)	/* someone's trace: not ours to spoil */
		kunit_skip(test, "a trace is in use: not touching it");
	KUNIT_ASSERT_EQ(test, wb_trace_start_buf(slots, ARRAY_SIZE(slots)), 0);
	KUNIT_ASSERT_EQ(test, wb_trace_sampler_start(), 0);
	KUNIT_EXPECT_EQ(test, wb_trace_sampler_start(), 0);	/* runs: no-op */
	sleep_ms(450);
	wb_trace_sampler_stop();
	n = count_all_samples(&first, &last);
	/* About 5 (one at once, then every 100 ms); a busy host may delay
	 * the thread, so the bounds are loose, but samples stay on their
	 * grid: on average at least 50 ms apart. (0.45 s, not longer: the
	 * suite runs in every configuration.) */
	KUNIT_EXPECT_GE(test, n, 3u);
	KUNIT_EXPECT_LE(test, n, 6u);
	if (n > 1)
		KUNIT_EXPECT_GE(test, (last - first) / (n - 1), 50000000ull);
	sleep_ms(150);
	later = count_all_samples(&first, &last);
	KUNIT_EXPECT_EQ(test, later, n);	/* stopped means stopped */
	wb_trace_clear();
}

static struct kunit_case writeback_trace_kthread_cases[] = {
	KUNIT_CASE_SLOW(sampler_samples_every_100ms_until_stopped),
	{}
};

static struct kunit_suite writeback_trace_kthread_suite = {
	.name = "writeback_trace_sampler",
	.test_cases = writeback_trace_kthread_cases,
};
kunit_test_suite(writeback_trace_kthread_suite);
