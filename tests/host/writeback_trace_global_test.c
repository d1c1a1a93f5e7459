/*
 * tests/host/writeback_trace_global_test.c - the global trace ring
 * (wb_trace, start/stop/clear, marks) and its console dump: the begin
 * and end lines count what was printed and what was overwritten, so a
 * trace that lost events says so. Host only: it owns the global ring,
 * which a kernel run may be using.
 */
#include "kernel/errno.h"
#include "kernel/kunit.h"
#include "kernel/lib/string.h"
#include "kernel/printk.h"
#include "mm/writeback_trace.h"

#include <stdlib.h>

static struct wb_trace_event slots[16];
static char out[16384];

static void emit(unsigned int type, unsigned long n)
{
	struct wb_trace_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.type = type;
	ev.time_ns = 1000000000ULL + n;
	ev.who = 7;
	ev.total_dirtied = n;
	strlcpy(ev.bdi, "vda", sizeof(ev.bdi));
	wb_trace(&ev);
}

/* Dump into out, without timestamps; the number of lines. */
static int dump(void)
{
	bool saved = printk_time;
	int lines = 0;

	printk_time = false;
	printk_capture_start_quiet(out, sizeof(out));
	wb_trace_dump();
	printk_capture_stop();
	printk_time = saved;
	for (char *p = out; *p; p++)
		lines += *p == '\n';
	return lines;
}

static void nothing_is_recorded_while_off(struct kunit *test)
{
	struct wb_trace_stats s;

	wb_trace_clear();
	emit(WB_TRACE_BDP, 1);
	wb_trace_get_stats(&s);
	KUNIT_EXPECT_FALSE(test, s.on);
	KUNIT_EXPECT_EQ(test, s.size, 0u);
	KUNIT_EXPECT_EQ(test, s.recorded, 0u);

	KUNIT_ASSERT_EQ(test, wb_trace_start_buf(slots, ARRAY_SIZE(slots)), 0);
	KUNIT_EXPECT_TRUE(test, wb_trace_on());
	emit(WB_TRACE_BDP, 1);
	wb_trace_stop();
	emit(WB_TRACE_BDP, 2);
	wb_trace_get_stats(&s);
	KUNIT_EXPECT_FALSE(test, s.on);
	KUNIT_EXPECT_EQ(test, s.size, ARRAY_SIZE(slots));
	KUNIT_EXPECT_EQ(test, s.recorded, 1u);
	wb_trace_clear();
}

static void dump_prints_begin_events_end(struct kunit *test)
{
	static const char begin[] = "wbt: type=begin version=1 size=16 "
		"events=3 lost=0 on=0 sample_ms=100 page_kb=4 t=";

	KUNIT_ASSERT_EQ(test, wb_trace_start_buf(slots, ARRAY_SIZE(slots)), 0);
	emit(WB_TRACE_BDP, 1);
	emit(WB_TRACE_SAMPLE, 2);
	wb_trace_mark("dd_end");
	wb_trace_stop();
	KUNIT_EXPECT_EQ(test, dump(), 5);
	KUNIT_EXPECT_EQ(test, strncmp(out, begin, sizeof(begin) - 1), 0);
	KUNIT_EXPECT_STR_CONTAINS(test, out,
		"\nwbt: t=1.000000 type=bdp bdi=vda who=7 dirty=0 ");
	KUNIT_EXPECT_STR_CONTAINS(test, out, " total_dirtied=1\n");
	KUNIT_EXPECT_STR_CONTAINS(test, out,
		"\nwbt: t=1.000000 type=sample bdi=vda who=7 dirty=0 ");
	KUNIT_EXPECT_STR_CONTAINS(test, out, " type=mark bdi=dd_end who=0\n");
	KUNIT_EXPECT_STR_CONTAINS(test, out,
				  "\nwbt: type=end printed=3 lost=0\n");
	wb_trace_clear();
}

/* 40 events through 16 slots: the dump shows the newest 16, says 24 were
 * lost, and the stats agree. */
static void overflow_is_counted_and_reported(struct kunit *test)
{
	struct wb_trace_stats s;

	KUNIT_ASSERT_EQ(test, wb_trace_start_buf(slots, ARRAY_SIZE(slots)), 0);
	for (unsigned long i = 0; i < 40; i++)
		emit(WB_TRACE_BDP, i);
	wb_trace_get_stats(&s);
	KUNIT_EXPECT_TRUE(test, s.on);
	KUNIT_EXPECT_EQ(test, s.recorded, 40u);
	KUNIT_EXPECT_EQ(test, s.lost, 24u);
	/* Dumping while on is allowed: what came later is not printed. */
	KUNIT_EXPECT_EQ(test, dump(), 18);
	KUNIT_EXPECT_STR_CONTAINS(test, out, " events=16 lost=24 on=1 ");
	KUNIT_EXPECT_STR_NOT_CONTAINS(test, out, " total_dirtied=23\n");
	KUNIT_EXPECT_STR_CONTAINS(test, out, " total_dirtied=24\n");
	KUNIT_EXPECT_STR_CONTAINS(test, out, " total_dirtied=39\n");
	KUNIT_EXPECT_STR_CONTAINS(test, out, "wbt: type=end printed=16 lost=24\n");
	/* The oldest printed first. */
	KUNIT_EXPECT_TRUE(test, strstr(out, "total_dirtied=24\n") <
				strstr(out, "total_dirtied=25\n"));
	wb_trace_clear();
	wb_trace_get_stats(&s);
	KUNIT_EXPECT_EQ(test, s.recorded, 0u);
	KUNIT_EXPECT_EQ(test, s.lost, 0u);
	KUNIT_EXPECT_EQ(test, dump(), 2);
	KUNIT_EXPECT_STR_CONTAINS(test, out, " size=0 events=0 lost=0 on=0 ");
}

static void restart_appends_and_clear_forgets(struct kunit *test)
{
	struct wb_trace_event other[4];
	struct wb_trace_stats s;

	KUNIT_ASSERT_EQ(test, wb_trace_start_buf(slots, ARRAY_SIZE(slots)), 0);
	emit(WB_TRACE_BDP, 1);
	wb_trace_stop();
	/* A stopped ring of another size, or a second buffer: clear first. */
	KUNIT_EXPECT_EQ(test, wb_trace_start(4), -EBUSY);
	KUNIT_EXPECT_EQ(test, wb_trace_start_buf(other, 4), -EBUSY);
	KUNIT_EXPECT_EQ(test, wb_trace_start(WB_TRACE_MAX_EVENTS + 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, wb_trace_start_buf(NULL, 4), -EINVAL);
	/* The same ring goes on. */
	KUNIT_EXPECT_EQ(test, wb_trace_start(0), 0);
	emit(WB_TRACE_BDP, 2);
	wb_trace_get_stats(&s);
	KUNIT_EXPECT_EQ(test, s.recorded, 2u);
	KUNIT_EXPECT_NE(test, s.start_ns, 0u);
	wb_trace_clear();
	KUNIT_EXPECT_FALSE(test, wb_trace_on());
	KUNIT_EXPECT_EQ(test, wb_trace_start_buf(other, 4), 0);
	wb_trace_get_stats(&s);
	KUNIT_EXPECT_EQ(test, s.size, 4u);
	KUNIT_EXPECT_EQ(test, s.recorded, 0u);
	wb_trace_clear();
}

/* An event without a time is stamped when recorded. */
static void time_zero_means_now(struct kunit *test)
{
	struct wb_trace_event ev;
	memset(&ev, 0, sizeof(ev));
	ev.type = WB_TRACE_RATELIMIT;
	KUNIT_ASSERT_EQ(test, wb_trace_start_buf(slots, ARRAY_SIZE(slots)), 0);
	wb_trace(&ev);
	wb_trace_stop();
	dump();
	KUNIT_EXPECT_STR_CONTAINS(test, out, "type=ratelimit");
	KUNIT_EXPECT_STR_NOT_CONTAINS(test, out, "wbt: t=0.000000 ");
	wb_trace_clear();
}

/*
 * The sampler's step: a line per registered device with its own
 * counters and rates, and the bdi=all line with the global pool, after
 * them. A device that is not registered is not sampled.
 */
static void sample_has_a_line_per_device_and_one_for_all(struct kunit *test)
{
	static struct backing_dev_info fast, idle;
	const char *f, *a;

	bdi_init(&fast, "tstfast");
	bdi_init(&idle, "tstidle");	/* never registered */
	bdi_register(&fast);
	wb_stat_mod(&fast.wb, WB_RECLAIMABLE, 300);
	wb_stat_mod(&fast.wb, WB_WRITEBACK, 20);
	fast.wb.write_bandwidth = 2048;
	fast.wb.avg_write_bandwidth = 2000;
	fast.wb.dirty_ratelimit = 1500;
	fast.wb.balanced_dirty_ratelimit = 1400;

	KUNIT_ASSERT_EQ(test, wb_trace_start_buf(slots, ARRAY_SIZE(slots)), 0);
	wb_trace_sample(2500000000ULL);
	wb_trace_stop();
	dump();
	f = strstr(out, "wbt: t=2.500000 type=sample bdi=tstfast who=0 ");
	a = strstr(out, "wbt: t=2.500000 type=sample bdi=all who=0 ");
	KUNIT_ASSERT_NOT_NULL(test, f);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_EXPECT_TRUE(test, f < a);
	KUNIT_EXPECT_STR_NOT_CONTAINS(test, out, "tstidle");
	*strchr(f, '\n') = '\0';
	KUNIT_EXPECT_STR_CONTAINS(test, f, " wb_dirty=320 ");
	KUNIT_EXPECT_STR_CONTAINS(test, f, " dirty_ratelimit=1500 "
				  "balanced_dirty_ratelimit=1400 write_bw=2048 "
				  "avg_write_bw=2000");
	/* all: the sum of the devices' bandwidths (others may be registered
	 * by other suites, each at INIT_BW), the pool's dirty + writeback. */
	KUNIT_ASSERT_NOT_NULL(test, strstr(a, " write_bw="));
	KUNIT_EXPECT_GE(test, strtoul(strstr(a, " write_bw=") + 10, NULL, 10),
			2048ul);
	wb_trace_clear();
	wb_stat_mod(&fast.wb, WB_RECLAIMABLE, -300);
	wb_stat_mod(&fast.wb, WB_WRITEBACK, -20);
	bdi_unregister(&fast);
}

static struct kunit_case writeback_trace_global_cases[] = {
	KUNIT_CASE(nothing_is_recorded_while_off),
	KUNIT_CASE(dump_prints_begin_events_end),
	KUNIT_CASE(overflow_is_counted_and_reported),
	KUNIT_CASE(restart_appends_and_clear_forgets),
	KUNIT_CASE(time_zero_means_now),
	KUNIT_CASE(sample_has_a_line_per_device_and_one_for_all),
	{}
};

static struct kunit_suite writeback_trace_global_suite = {
	.name = "writeback_trace_global",
	.test_cases = writeback_trace_global_cases,
};
kunit_test_suite(writeback_trace_global_suite);
