/*
 * tests/suites/writeback_trace_test.c - the dirty-throttling trace's
 * ring (order, wrap-around, the count of overwritten events) and its
 * line format (mm/writeback_trace.c's grammar), on a private ring.
 * The global ring, the dump and the sampler: tests/host/
 * writeback_trace_global_test.c.
 */
#include "kernel/kunit.h"
#include "kernel/lib/string.h"
#include "mm/writeback_trace.h"

static struct wb_trace_event slots[8];

static struct wb_trace_event event(unsigned int type, unsigned long n)
{
	struct wb_trace_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.type = type;
	ev.time_ns = 1000000ULL * n + 1;
	ev.nr_dirtied = n;
	strlcpy(ev.bdi, "vda", sizeof(ev.bdi));
	return ev;
}

static void ring_keeps_events_in_order(struct kunit *test)
{
	struct wb_trace_ring r;
	struct wb_trace_event ev = event(WB_TRACE_BDP, 0), out;

	wb_trace_ring_init(&r, slots, ARRAY_SIZE(slots));
	for (unsigned long i = 0; i < 5; i++) {
		ev.nr_dirtied = i;
		wb_trace_ring_record(&r, &ev);
	}
	KUNIT_EXPECT_EQ(test, wb_trace_ring_first(&r), 0u);
	KUNIT_EXPECT_EQ(test, wb_trace_ring_head(&r), 5u);
	KUNIT_EXPECT_EQ(test, wb_trace_ring_lost(&r), 0u);
	for (uint64_t s = 0; s < 5; s++) {
		KUNIT_ASSERT_TRUE(test, wb_trace_ring_get(&r, s, &out));
		KUNIT_EXPECT_EQ(test, out.nr_dirtied, s);
	}
	KUNIT_EXPECT_FALSE(test, wb_trace_ring_get(&r, 5, &out));
}

/* Past its size the ring keeps the newest events and counts the rest. */
static void ring_wraps_and_counts_what_it_overwrote(struct kunit *test)
{
	struct wb_trace_ring r;
	struct wb_trace_event ev = event(WB_TRACE_SAMPLE, 0), out;

	wb_trace_ring_init(&r, slots, ARRAY_SIZE(slots));
	for (unsigned long i = 0; i < 21; i++) {
		ev.nr_dirtied = i;
		wb_trace_ring_record(&r, &ev);
	}
	KUNIT_EXPECT_EQ(test, wb_trace_ring_head(&r), 21u);
	KUNIT_EXPECT_EQ(test, wb_trace_ring_first(&r), 13u);
	KUNIT_EXPECT_EQ(test, wb_trace_ring_lost(&r), 13u);
	KUNIT_EXPECT_FALSE(test, wb_trace_ring_get(&r, 12, &out));
	KUNIT_EXPECT_FALSE(test, wb_trace_ring_get(&r, 0, &out));
	for (uint64_t s = 13; s < 21; s++) {
		KUNIT_ASSERT_TRUE(test, wb_trace_ring_get(&r, s, &out));
		KUNIT_EXPECT_EQ(test, out.nr_dirtied, s);
	}
	/* Exactly full: nothing lost yet. */
	wb_trace_ring_init(&r, slots, ARRAY_SIZE(slots));
	for (unsigned long i = 0; i < ARRAY_SIZE(slots); i++)
		wb_trace_ring_record(&r, &ev);
	KUNIT_EXPECT_EQ(test, wb_trace_ring_lost(&r), 0u);
	wb_trace_ring_record(&r, &ev);
	KUNIT_EXPECT_EQ(test, wb_trace_ring_lost(&r), 1u);
}

static void ring_without_memory_records_nothing(struct kunit *test)
{
	struct wb_trace_ring r;
	struct wb_trace_event ev = event(WB_TRACE_BDP, 1), out;

	wb_trace_ring_init(&r, NULL, 0);
	wb_trace_ring_record(&r, &ev);
	KUNIT_EXPECT_EQ(test, wb_trace_ring_head(&r), 0u);
	KUNIT_EXPECT_FALSE(test, wb_trace_ring_get(&r, 0, &out));
}

static void bdp_line_has_every_field_in_order(struct kunit *test)
{
	struct wb_trace_event ev = event(WB_TRACE_BDP, 0);
	char line[WB_TRACE_LINE_MAX];
	int n;

	ev.time_ns = 12345678901ULL;	/* 12.345678 s: truncated, not rounded */
	ev.who = 17;
	ev.dirty = 9312;
	ev.writeback = 512;
	ev.bg_thresh = 6000;
	ev.thresh = 12000;
	ev.limit = 12100;
	ev.setpoint = 10550;
	ev.wb_dirty = 9824;
	ev.wb_thresh = 11000;
	ev.wb_setpoint = 9700;
	ev.pos_ratio = 1037;
	ev.task_ratelimit = 2100;
	ev.dirty_ratelimit = 2074;
	ev.balanced_dirty_ratelimit = 2050;
	ev.write_bw = 2048;
	ev.avg_write_bw = 2040;
	ev.dirty_rate = 99;		/* not a bdp field */
	ev.pause_ms = 180;
	ev.period_ms = -3;
	ev.nr_dirtied = 370;
	ev.total_dirtied = 40960;
	n = wb_trace_format(&ev, line, sizeof(line));
	KUNIT_EXPECT_EQ(test, n, (int)strlen(line));
	KUNIT_EXPECT_STREQ(test, line,
		"wbt: t=12.345678 type=bdp bdi=vda who=17 dirty=9312 "
		"writeback=512 bg_thresh=6000 thresh=12000 limit=12100 "
		"setpoint=10550 wb_dirty=9824 wb_thresh=11000 wb_setpoint=9700 "
		"pos_ratio=1.0126 task_ratelimit=2100 dirty_ratelimit=2074 "
		"balanced_dirty_ratelimit=2050 write_bw=2048 avg_write_bw=2040 "
		"pause_ms=180 period_ms=-3 nr_dirtied=370 total_dirtied=40960");
}

static void each_type_prints_its_own_fields(struct kunit *test)
{
	struct wb_trace_event ev = event(WB_TRACE_SAMPLE, 0);
	char line[WB_TRACE_LINE_MAX];

	ev.time_ns = 100000000;
	ev.dirty = 1;
	ev.pause_ms = 5;
	wb_trace_format(&ev, line, sizeof(line));
	KUNIT_EXPECT_STREQ(test, line,
		"wbt: t=0.100000 type=sample bdi=vda who=0 dirty=1 writeback=0 "
		"bg_thresh=0 thresh=0 limit=0 setpoint=0 wb_dirty=0 "
		"wb_thresh=0 dirty_ratelimit=0 balanced_dirty_ratelimit=0 "
		"write_bw=0 avg_write_bw=0");

	ev.type = WB_TRACE_RATELIMIT;
	ev.dirty_rate = 2222;
	ev.pos_ratio = 2048;
	wb_trace_format(&ev, line, sizeof(line));
	KUNIT_EXPECT_STR_CONTAINS(test, line, " type=ratelimit ");
	KUNIT_EXPECT_STR_CONTAINS(test, line, " pos_ratio=2.0000 ");
	KUNIT_EXPECT_STR_CONTAINS(test, line, " dirty_rate=2222");
	KUNIT_EXPECT_STR_NOT_CONTAINS(test, line, "pause_ms");

	ev.type = WB_TRACE_MARK;
	strlcpy(ev.bdi, "dd_end", sizeof(ev.bdi));
	wb_trace_format(&ev, line, sizeof(line));
	KUNIT_EXPECT_STREQ(test, line,
			   "wbt: t=0.100000 type=mark bdi=dd_end who=0");

	ev.type = 200;
	memset(ev.bdi, 0, sizeof(ev.bdi));
	wb_trace_format(&ev, line, sizeof(line));
	KUNIT_EXPECT_STREQ(test, line,
			   "wbt: t=0.100000 type=unknown bdi=- who=0");
}

/* A bdi name never breaks the grammar: no space, no '=', all 8 bytes. */
static void bdi_names_stay_one_token(struct kunit *test)
{
	struct wb_trace_event ev = event(WB_TRACE_MARK, 0);
	char line[WB_TRACE_LINE_MAX];

	ev.time_ns = 0;
	memcpy(ev.bdi, "a b=c\tde", 8);		/* no NUL in the array */
	wb_trace_format(&ev, line, sizeof(line));
	KUNIT_EXPECT_STREQ(test, line,
			   "wbt: t=0.000000 type=mark bdi=a_b_c_de who=0");
}

static void a_line_too_long_says_so(struct kunit *test)
{
	struct wb_trace_event ev;
	char line[WB_TRACE_LINE_MAX], small[80];
	size_t n;

	memset(&ev, 0xff, sizeof(ev));	/* every number at its widest */
	ev.type = WB_TRACE_BDP;
	memcpy(ev.bdi, "vda", 4);
	n = (size_t)wb_trace_format(&ev, line, sizeof(line));
	KUNIT_EXPECT_LT(test, n, sizeof(line));
	KUNIT_EXPECT_EQ(test, n, strlen(line));
	KUNIT_EXPECT_EQ(test, strcmp(line + n - 8, " trunc=1"), 0);

	n = (size_t)wb_trace_format(&ev, small, sizeof(small));
	KUNIT_EXPECT_LT(test, n, sizeof(small));
	KUNIT_EXPECT_EQ(test, strcmp(small + n - 8, " trunc=1"), 0);

	/* Realistic widths (9 digits) fit whole. */
	ev = event(WB_TRACE_BDP, 0);
	ev.time_ns = 99999999999999ULL;
	ev.who = 99999;
	ev.dirty = ev.writeback = ev.bg_thresh = ev.thresh = ev.limit =
		ev.setpoint = ev.wb_dirty = ev.wb_thresh = ev.wb_setpoint =
		ev.task_ratelimit = ev.dirty_ratelimit =
		ev.balanced_dirty_ratelimit = ev.write_bw = ev.avg_write_bw =
		ev.nr_dirtied = ev.total_dirtied = 999999999;
	ev.pos_ratio = 2047;
	ev.pause_ms = ev.period_ms = -99999;
	wb_trace_format(&ev, line, sizeof(line));
	KUNIT_EXPECT_STR_NOT_CONTAINS(test, line, "trunc");
	KUNIT_EXPECT_STR_CONTAINS(test, line, " total_dirtied=999999999");
}

static struct kunit_case writeback_trace_cases[] = {
	KUNIT_CASE(ring_keeps_events_in_order),
	KUNIT_CASE(ring_wraps_and_counts_what_it_overwrote),
	KUNIT_CASE(ring_without_memory_records_nothing),
	KUNIT_CASE(bdp_line_has_every_field_in_order),
	KUNIT_CASE(each_type_prints_its_own_fields),
	KUNIT_CASE(bdi_names_stay_one_token),
	KUNIT_CASE(a_line_too_long_says_so),
	{}
};

static struct kunit_suite writeback_trace_suite = {
	.name = "writeback_trace",
	.test_cases = writeback_trace_cases,
};
kunit_test_suite(writeback_trace_suite);
