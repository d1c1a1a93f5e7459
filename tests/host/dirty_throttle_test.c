/*
 * tests/host/dirty_throttle_test.c - the IO-less dirty throttling control
 * law (mm/backing-dev.c) against the formulas of issue 15, each computed
 * here on its own: in floating point with a tolerance where the law
 * works in fixed point (<< RATELIMIT_CALC_SHIFT), exactly where the law
 * is integer arithmetic. Then a randomised run against a reference model
 * of the invariants (replay: build/host/unit dirty_throttle --seed N).
 * The simulated device is in dirty_throttle_sim_test.c.
 *
 * The numbers of the tables: a 512 MiB machine, avail 120000 pages,
 * thresh 20% = 24000, bg 10% = 12000, so freerun 18000, limit 24000,
 * setpoint 21000 and limit - setpoint 3000.
 *
 * The law departs from Linux's in five places (the "departure" comments
 * in mm/backing-dev.c); the references here are the law as documented
 * there, and each departure has a case of its own:
 *  - the position curve is 1 + (1 - w) x^3 + w x, w = dirty_pos_linear
 *    / 100 (0: Linux's, the pure cube), with x clamped to
 *    [-2, 2] before the cube: w = 0, 50 and the default 75 are
 *    checked, dirty_pos_linear restored after;
 *  - write_bandwidth weighs the old estimate by the history measured
 *    (bw_history), the first measurement sets it, and only an interval
 *    busy from its start is measured first; idle intervals are skipped;
 *    avg_write_bandwidth is write_bandwidth until the window is full,
 *    Linux's spike filter after;
 *  - dirty_ratelimit steps by ceil(gap / 8) (no shift damping) and is
 *    capped at avg_write_bandwidth;
 *  - periods are counted in us, the sub-ms remainder carried;
 *  - the global hard limit moves once an interval for the whole domain.
 *
 * Completions (a device's share) are counted per 3 s period of the
 * clock passed in, lazily; every case here runs on a clock of its own,
 * far from the others' (fresh_epoch()), so no other case's or suite's
 * completions count in its shares.
 */
#include "tests/host/host.h"
#include "kernel/errno.h"
#include "kernel/kunit.h"
#include "kernel/lib/random.h"
#include "mm/backing-dev.h"

#include <math.h>

#define ONE		(1UL << RATELIMIT_CALC_SHIFT)
#define FX(v)		((long)((v) * ONE))	/* printable: /1024 */
#define T_THRESH	24000UL
#define T_BG		12000UL
#define T_SETPOINT	21000UL

/* A clock value no other case has used (2^32 ms apart, from 2^40). */
static uint64_t fresh_epoch(void)
{
	static uint64_t next = 1ULL << 40;

	next += 1ULL << 32;
	return next;
}

/* bdi set up and registered; it gets every completion of its epoch. */
static void make_bdi(struct backing_dev_info *bdi, const char *name,
		     uint64_t now, unsigned long completions)
{
	bdi_init(bdi, name);
	bdi_register(bdi);
	for (unsigned long i = 0; i < completions; i++)
		wb_writeout_inc(&bdi->wb, now);
}

/* --------------------------------------------- the formulas, on their own */

/* The curve's linear part, in percent: Linux's (the issue's) and ours. */
static const unsigned int linear_w[] = { 0, 50, 75 };

/* Set dirty_pos_linear; the old value, for restore_linear(). */
static unsigned int set_linear(unsigned int w)
{
	unsigned int old = dirty_pos_linear;

	dirty_pos_linear = w;
	return old;
}

/*
 * Issue 15 (w = 0): 1 + ((setpoint - dirty) / (limit - setpoint))^3 in
 * [0, 2]. Our departure: 1 + (1 - w) x^3 + w x, w = dirty_pos_linear /
 * 100, x clamped to [-2, 2] (which changes nothing in reals: |x| >= 1
 * already gives 0 or 2 for any w in [0, 1]).
 */
static double ref_polynom(double setpoint, double dirty, double limit,
			  unsigned int w_pct)
{
	double x = (setpoint - dirty) / (limit - setpoint);
	double w = w_pct / 100.0;
	double r;

	if (x > 2)
		x = 2;
	if (x < -2)
		x = -2;
	r = 1 + (1 - w) * x * x * x + w * x;
	return r < 0 ? 0 : r > 2 ? 2 : r;
}

/*
 * The tolerance for the fixed point: 6/1024 (the quotient x truncated
 * costs up to 3 x^2 / 1024, the two shifts 2/1024; in the blend the
 * cube's share of that, w/1024 for x and 1/1024 for the / 100), plus
 * what the law's denominator (limit - setpoint + 1, Linux's `| 1`, so
 * it never divides by 0) changes.
 */
static double polynom_tol(double setpoint, double dirty, double limit,
			  unsigned int w)
{
	double a = ref_polynom(setpoint, dirty, limit, w);
	double b = ref_polynom(setpoint, dirty, limit + 1, w);

	return 6.0 / ONE + fabs(a - b);
}

/*
 * The global curve times the device's line (the "per-device
 * line"; Linux's wb_position_ratio), in reals.
 */
static double ref_position(unsigned long thresh, unsigned long bg,
			   unsigned long limit, unsigned long dirty,
			   unsigned long wb_thresh, unsigned long wb_dirty,
			   unsigned long write_bw, unsigned int w,
			   double *wb_setpoint)
{
	/* the setpoint in whole pages, as the formulas give it */
	double setpoint = (double)(((thresh + bg) / 2 + limit) / 2);
	double r, share, span, x_int, wbt;

	if (dirty >= limit)
		return 0;
	r = ref_polynom(setpoint, (double)dirty, (double)limit, w);
	wbt = (double)min(wb_thresh, thresh);
	if (wbt < (double)((limit - dirty) / 8))
		wbt = (double)((limit - dirty) / 8);
	share = wbt / (double)thresh;
	*wb_setpoint = setpoint * share;
	span = ((double)thresh - wbt + 8.0 * (double)write_bw) * share;
	x_int = *wb_setpoint + span;
	if ((double)wb_dirty < x_int - span / 4)
		r *= (x_int - (double)wb_dirty) / (x_int - *wb_setpoint);
	else
		r /= 4;
	if ((double)wb_dirty < wbt / 2) {
		if ((double)wb_dirty > wbt / 16)
			r *= wbt / 2 / (double)wb_dirty;
		else
			r *= 8;
	}
	return r;
}

/* ------------------------------------------------- thresholds, exactly */

static void dirty_throttle_setpoint_formulas(struct kunit *test)
{
	/* freerun = (thresh + bg) / 2, setpoint = (freerun + limit) / 2 */
	KUNIT_EXPECT_EQ(test, dirty_freerun_ceiling(T_THRESH, T_BG), 18000UL);
	KUNIT_EXPECT_EQ(test, dirty_setpoint(T_THRESH, T_BG, T_THRESH),
			T_SETPOINT);
	KUNIT_EXPECT_EQ(test, dirty_freerun_ceiling(1001, 500), 750UL);
	KUNIT_EXPECT_EQ(test, dirty_setpoint(1001, 500, 1200), 975UL);
	/* The hard limit: the higher of the followed limit and thresh. */
	KUNIT_EXPECT_EQ(test, hard_dirty_limit(30000, T_THRESH), 30000UL);
	KUNIT_EXPECT_EQ(test, hard_dirty_limit(20000, T_THRESH), T_THRESH);
}

/* ------------------------------------------------------ the global curve */

static const struct {
	unsigned long thresh, bg, limit, dirty;
} polynom_rows[] = {
	{ T_THRESH, T_BG, T_THRESH, 21000 },	/* setpoint: 1.0 */
	{ T_THRESH, T_BG, T_THRESH, 19500 },	/* x = 1/2: 1.125 */
	{ T_THRESH, T_BG, T_THRESH, 22500 },	/* x = -1/2: 0.875 */
	{ T_THRESH, T_BG, T_THRESH, 23000 },	/* x = -2/3: 0.704 */
	{ T_THRESH, T_BG, T_THRESH, 18000 },	/* freerun, x = 1: 2.0 */
	{ T_THRESH, T_BG, T_THRESH, 15000 },	/* x = 2: 9, clamped to 2 */
	{ T_THRESH, T_BG, T_THRESH, 0 },	/* far below: clamped to 2 */
	{ T_THRESH, T_BG, T_THRESH, 23999 },	/* just below the limit */
	{ T_THRESH, T_BG, T_THRESH, 24000 },	/* the limit: 0 */
	{ T_THRESH, T_BG, T_THRESH, 30000 },	/* beyond: clamped to 0 */
	{ T_THRESH, T_BG, 28000, 25000 },	/* a limit above thresh */
	{ 1000, 500, 1000, 950 },		/* small: limit - setpoint 125 */
	{ 1000, 500, 1000, 820 },
	{ 4000000, 2000000, 4000000, 3600000 },	/* 16 GiB of dirty */
};

static void dirty_throttle_pos_ratio_polynom(struct kunit *test)
{
	unsigned int saved = dirty_pos_linear;

	for (unsigned int k = 0; k < ARRAY_SIZE(linear_w); k++) {
		unsigned int w = linear_w[k];

		set_linear(w);
		for (unsigned int i = 0; i < ARRAY_SIZE(polynom_rows); i++) {
			unsigned long th = polynom_rows[i].thresh;
			unsigned long bg = polynom_rows[i].bg;
			unsigned long limit = polynom_rows[i].limit;
			unsigned long dirty = polynom_rows[i].dirty;
			unsigned long sp = dirty_setpoint(th, bg, limit);
			unsigned long got = pos_ratio_polynom(sp, dirty, limit);
			double want = ref_polynom((double)sp, (double)dirty,
						  (double)limit, w);
			double tol = polynom_tol((double)sp, (double)dirty,
						 (double)limit, w);

			KUNIT_EXPECT_LE(test, got, 2 * ONE);
			if (fabs((double)got / ONE - want) > tol)
				KUNIT_FAIL(test, "w %u%%, row %u: pos_ratio_polynom(%lu, %lu, %lu) = %lu/1024, formula %ld/1024 (tol %ld/1024)",
					   w, i, sp, dirty, limit, got,
					   FX(want), FX(tol));
		}
		/* Exact where the issue says so: 1.0 at the setpoint, 2 far
		 * below, 0 beyond the limit; the same ends for any w. */
		KUNIT_EXPECT_EQ(test, pos_ratio_polynom(21000, 21000, 24000),
				ONE);
		KUNIT_EXPECT_EQ(test, pos_ratio_polynom(21000, 0, 24000),
				2 * ONE);
		KUNIT_EXPECT_EQ(test, pos_ratio_polynom(21000, 30000, 24000),
				0UL);
		/* At the limit the polynomial is a few /1024, not 0 (the +1
		 * of its denominator); the position ratio, which is what
		 * writers use, is exactly 0 there. */
		KUNIT_EXPECT_LE(test, pos_ratio_polynom(21000, 24000, 24000),
				4UL);
		/*
		 * x clamped to [-2, 2] before the cube: with limit - setpoint
		 * a page or two, |x| is ~2^35 and its cube overflowed (signed:
		 * UBSan stops the run). Now 0 or 2 exactly.
		 */
		KUNIT_EXPECT_EQ(test,
				pos_ratio_polynom(1000, 100000000, 1002), 0UL);
		KUNIT_EXPECT_EQ(test,
				pos_ratio_polynom(100000000, 0, 100000001),
				2 * ONE);
		KUNIT_EXPECT_EQ(test, pos_ratio_polynom(1000, 1000, 1001), ONE);
	}

	/*
	 * The fixed point by hand. x = 1/2 (1.125 cubed, 1.3125 blended: 1
	 * + 0.5/8 + 0.5/2) is 1500 * 1024 / 3001 = 511; 511^2 >> 10 = 255,
	 * 255 * 511 >> 10 = 127: 1024 + 127, and with w = 50 1024 + (127 *
	 * 50 + 511 * 50) / 100 = 1024 + 319. x = -1/2: the cube -128 (the
	 * shift floors), 1024 - 128 and 1024 - (128 + 511) * 50 / 100.
	 */
	set_linear(0);
	KUNIT_EXPECT_EQ(test, pos_ratio_polynom(21000, 19500, 24000), 1151UL);
	KUNIT_EXPECT_EQ(test, pos_ratio_polynom(21000, 22500, 24000), 896UL);
	set_linear(50);
	KUNIT_EXPECT_EQ(test, pos_ratio_polynom(21000, 19500, 24000), 1343UL);
	KUNIT_EXPECT_EQ(test, pos_ratio_polynom(21000, 22500, 24000), 705UL);
	/* w = 75: 1024 + (127 * 25 + 511 * 75) / 100 = 1024 + 415, and
	 * 1024 - (128 * 25 + 511 * 75) / 100 = 1024 - 415. */
	set_linear(75);
	KUNIT_EXPECT_EQ(test, pos_ratio_polynom(21000, 19500, 24000), 1439UL);
	KUNIT_EXPECT_EQ(test, pos_ratio_polynom(21000, 22500, 24000), 609UL);
	/* The point of the departure: a slope at the setpoint. 300 pages
	 * (x = 1/10) above it the cube gives 1 - 1/1000, the blend about
	 * 1 - 0.05. */
	set_linear(0);
	KUNIT_EXPECT_GE(test, pos_ratio_polynom(21000, 21300, 24000), ONE - 2);
	set_linear(50);
	KUNIT_EXPECT_LE(test, pos_ratio_polynom(21000, 21300, 24000),
			ONE - 48);
	KUNIT_EXPECT_GE(test, pos_ratio_polynom(21000, 20700, 24000),
			ONE + 48);
	set_linear(saved);
	KUNIT_EXPECT_EQ(test, dirty_pos_linear, saved);
}

/* ------------------------------------------------------ the device line */

static const struct {
	const char *what;
	unsigned long dirty, wb_thresh, wb_dirty, write_bw;
} position_rows[] = {
	{ "one wb at the setpoint", 21000, T_THRESH, 21000, 2048 },
	{ "one wb below", 19500, T_THRESH, 19500, 2048 },
	{ "one wb above", 22500, T_THRESH, 22500, 2048 },
	{ "slow wb, just inside the line", 21500, T_THRESH, 21500, 100 },
	{ "slow wb, on the quarter floor", 21700, T_THRESH, 21700, 100 },
	{ "half share at its setpoint", 21000, 12000, 10500, 2048 },
	{ "half share over its setpoint", 21000, 12000, 14000, 2048 },
	{ "half share, boosted below wb_thresh/2", 21000, 12000, 4000, 2048 },
	{ "half share, boosted 8x", 21000, 12000, 500, 2048 },
	{ "tiny share lifted to (limit-dirty)/8", 19000, 100, 200, 2048 },
	{ "wb_thresh above thresh is thresh", 21000, 30000, 21000, 2048 },
};

static void dirty_throttle_position_ratio(struct kunit *test)
{
	unsigned int saved = dirty_pos_linear;

	for (unsigned int n = 0;
	     n < ARRAY_SIZE(linear_w) * ARRAY_SIZE(position_rows); n++) {
		unsigned int i = n % ARRAY_SIZE(position_rows);
		unsigned int w = linear_w[n / ARRAY_SIZE(position_rows)];
		struct dirty_throttle_control dtc = {
			.avail = 120000,
			.thresh = T_THRESH,
			.bg_thresh = T_BG,
			.limit = T_THRESH,
			.dirty = position_rows[i].dirty,
			.wb_thresh = position_rows[i].wb_thresh,
			.wb_dirty = position_rows[i].wb_dirty,
		};
		double wb_sp = 0, want;

		set_linear(w);
		want = ref_position(T_THRESH, T_BG, T_THRESH, dtc.dirty,
				    dtc.wb_thresh, dtc.wb_dirty,
				    position_rows[i].write_bw, w, &wb_sp);
		wb_position_ratio(&dtc, position_rows[i].write_bw);
		/* 1% for the 16-bit share and the truncated quotients, and
		 * 6/1024 for the global curve's fixed point. */
		if (fabs((double)dtc.pos_ratio / ONE - want) >
		    0.01 * want + 6.0 / ONE)
			KUNIT_FAIL(test, "w %u%%, %s: pos_ratio %lu/1024, formula %ld/1024",
				   w, position_rows[i].what, dtc.pos_ratio,
				   FX(want));
		if (fabs((double)dtc.wb_setpoint - wb_sp) > 2)
			KUNIT_FAIL(test, "w %u%%, %s: wb_setpoint %lu, formula %ld",
				   w, position_rows[i].what, dtc.wb_setpoint,
				   (long)wb_sp);
	}
	set_linear(saved);
}

/* At and past the limit the ratio is 0, whatever the device's line. */
static void dirty_throttle_position_ratio_zero_at_limit(struct kunit *test)
{
	unsigned long dirty[] = { 24000, 24001, 40000 };
	unsigned int saved = dirty_pos_linear;

	for (unsigned int n = 0; n < 2 * ARRAY_SIZE(dirty); n++) {
		unsigned int i = n % ARRAY_SIZE(dirty);
		struct dirty_throttle_control dtc = {
			.thresh = T_THRESH, .bg_thresh = T_BG,
			.limit = T_THRESH, .dirty = dirty[i],
			.wb_thresh = 12000, .wb_dirty = 100,	/* boosted */
		};

		set_linear(linear_w[n / ARRAY_SIZE(dirty)]);
		wb_position_ratio(&dtc, 2048);
		KUNIT_EXPECT_EQ(test, dtc.pos_ratio, 0UL);
	}
	set_linear(saved);
}

/* --------------------------------------------------------------- shares */

/* Two devices with completions 3:1 get thresholds 3:1; shares halve
 * together every 3 s, so the proportion stays. */
static void dirty_throttle_shares_follow_completions(struct kunit *test)
{
	static struct backing_dev_info a, b;
	uint64_t now = fresh_epoch();
	unsigned long num, den;

	make_bdi(&a, "sha", now, 300);
	make_bdi(&b, "shb", now, 100);
	KUNIT_EXPECT_EQ(test, wb_calc_thresh(&a.wb, T_THRESH, now), 18000UL);
	KUNIT_EXPECT_EQ(test, wb_calc_thresh(&b.wb, T_THRESH, now), 6000UL);
	wb_writeout_fraction(&a.wb, now, &num, &den);
	KUNIT_EXPECT_EQ(test, num, 300UL);
	KUNIT_EXPECT_EQ(test, den, 400UL);

	/* One period on: everything halved. */
	now += COMPLETIONS_PERIOD_MS;
	wb_writeout_fraction(&a.wb, now, &num, &den);
	KUNIT_EXPECT_EQ(test, num, 150UL);
	KUNIT_EXPECT_EQ(test, den, 200UL);
	KUNIT_EXPECT_EQ(test, wb_calc_thresh(&b.wb, T_THRESH, now), 6000UL);

	/* Now only b completes: after 200 of its pages b has 250 of 400. */
	for (int i = 0; i < 200; i++)
		wb_writeout_inc(&b.wb, now);
	KUNIT_EXPECT_EQ(test, wb_calc_thresh(&b.wb, T_THRESH, now),
			T_THRESH * 250 / 400);
	/* Two periods later: a quarter each. */
	now += 2 * COMPLETIONS_PERIOD_MS;
	wb_writeout_fraction(&b.wb, now, &num, &den);
	KUNIT_EXPECT_EQ(test, num, 62UL);
	KUNIT_EXPECT_EQ(test, den, 100UL);
	bdi_unregister(&a);
	bdi_unregister(&b);
}

static void dirty_throttle_min_max_ratio(struct kunit *test)
{
	static struct backing_dev_info a, b;
	uint64_t now = fresh_epoch();

	make_bdi(&a, "mma", now, 300);
	make_bdi(&b, "mmb", now, 100);

	/* a is sure of 10%: the other 90% is shared 3:1. */
	KUNIT_ASSERT_EQ(test, bdi_set_min_ratio(&a, 10), 0);
	KUNIT_EXPECT_EQ(test, wb_calc_thresh(&a.wb, T_THRESH, now),
			T_THRESH * 90 / 100 * 3 / 4 + T_THRESH / 10);
	KUNIT_EXPECT_EQ(test, wb_calc_thresh(&b.wb, T_THRESH, now),
			T_THRESH * 90 / 100 / 4);
	/* b may use at most 20%: its share is cut there. */
	KUNIT_ASSERT_EQ(test, bdi_set_max_ratio(&b, 20), 0);
	KUNIT_EXPECT_EQ(test, wb_calc_thresh(&b.wb, T_THRESH, now), 4800UL);
	KUNIT_ASSERT_EQ(test, bdi_set_max_ratio(&b, 2), 0);
	KUNIT_EXPECT_EQ(test, wb_calc_thresh(&b.wb, T_THRESH, now), 480UL);
	KUNIT_ASSERT_EQ(test, bdi_set_max_ratio(&b, 100), 0);

	/* The sum of min_ratios stays below 100. */
	KUNIT_EXPECT_EQ(test, bdi_set_min_ratio(&b, 90), -EINVAL);
	KUNIT_EXPECT_EQ(test, bdi_set_min_ratio(&b, 89), 0);
	KUNIT_EXPECT_EQ(test, bdi_set_min_ratio(&a, 11), -EINVAL);
	KUNIT_EXPECT_EQ(test, a.min_ratio, 10U);
	KUNIT_EXPECT_EQ(test, bdi_set_min_ratio(&b, 0), 0);
	KUNIT_EXPECT_EQ(test, bdi_set_min_ratio(&a, 100), -EINVAL);
	/* max below min is refused, and min above max. */
	KUNIT_EXPECT_EQ(test, bdi_set_max_ratio(&a, 5), -EINVAL);
	KUNIT_EXPECT_EQ(test, a.max_ratio, 100U);
	KUNIT_EXPECT_EQ(test, bdi_set_max_ratio(&a, 101), -EINVAL);
	KUNIT_ASSERT_EQ(test, bdi_set_max_ratio(&b, 20), 0);
	KUNIT_EXPECT_EQ(test, bdi_set_min_ratio(&b, 30), -EINVAL);
	KUNIT_EXPECT_EQ(test, b.min_ratio, 0U);

	/* Put the global sum back for the other cases. */
	KUNIT_EXPECT_EQ(test, bdi_set_min_ratio(&a, 0), 0);
	KUNIT_EXPECT_EQ(test, wb_calc_thresh(&a.wb, T_THRESH, now), 18000UL);
	bdi_unregister(&a);
	bdi_unregister(&b);
}

/* ------------------------------------------------------- write bandwidth */

/*
 * Issue 15: bw = (written * 1000 / elapsed * elapsed + old * (4096 -
 * elapsed)) / 4096. Our departure: the old estimate weighs only the
 * history measured, h = min(bw_history, 4096 - elapsed), so bw = (pages
 * * 1000 + old * h) / (elapsed + h); with a full history (4096) that is
 * the issue's. An interval of the window or more resets to the measured
 * rate.
 */
static unsigned long ref_write_bw(unsigned long old, unsigned long pages,
				  unsigned long elapsed, unsigned long history)
{
	unsigned long h;

	if (elapsed >= BW_PERIOD_MS)
		return pages * 1000 / elapsed;
	h = min(history, BW_PERIOD_MS - elapsed);
	return (pages * 1000 + old * h) / (elapsed + h);
}

static void dirty_throttle_write_bandwidth(struct kunit *test)
{
	static struct backing_dev_info a;
	struct bdi_writeback *wb = &a.wb;
	unsigned long bw, avg;

	/* The first measurement (no history): it alone is the estimate,
	 * both of them; the 100 MiB/s guess weighs nothing. */
	bdi_init(&a, "bw");
	KUNIT_EXPECT_EQ(test, wb->bw_history, 0UL);
	wb->written_stamp = 5000;
	wb_update_write_bandwidth(wb, 200, 5400);
	KUNIT_EXPECT_EQ(test, wb->write_bandwidth, 2000UL);
	KUNIT_EXPECT_EQ(test, wb->avg_write_bandwidth, 2000UL);
	KUNIT_EXPECT_EQ(test, wb->bw_history, 200UL);
	/* The second weighs the 200 ms measured against its own 200 ms:
	 * (800 * 1000 + 2000 * 200) / 400. The window is not full, so
	 * avg is that average too (no filter yet: nothing old to guard). */
	wb_update_write_bandwidth(wb, 200, 5800);
	KUNIT_EXPECT_EQ(test, wb->write_bandwidth,
			ref_write_bw(2000, 800, 200, 200));
	KUNIT_EXPECT_EQ(test, wb->write_bandwidth, 3000UL);
	KUNIT_EXPECT_EQ(test, wb->avg_write_bandwidth, 3000UL);
	KUNIT_EXPECT_EQ(test, wb->bw_history, 400UL);
	/* Partway: h = min(1000, 4096 - 200); avg follows bw down as
	 * well, where the filter would have kept the 1000 it had. */
	wb->write_bandwidth = 1000;
	wb->avg_write_bandwidth = 1500;
	wb->bw_history = 1000;
	wb_update_write_bandwidth(wb, 200, 5400);
	KUNIT_EXPECT_EQ(test, wb->write_bandwidth,
			ref_write_bw(1000, 400, 200, 1000));
	KUNIT_EXPECT_EQ(test, wb->write_bandwidth, 1166UL);
	KUNIT_EXPECT_EQ(test, wb->avg_write_bandwidth, 1166UL);
	KUNIT_EXPECT_EQ(test, wb->bw_history, 1200UL);
	/* Nearly full: h = 4096 - 300 (not 4000), and the history stops
	 * at the window; this update still began with the window short,
	 * so avg is bw once more. */
	wb->write_bandwidth = wb->avg_write_bandwidth = 1000;
	wb->bw_history = 4000;
	wb_update_write_bandwidth(wb, 300, 5600);
	KUNIT_EXPECT_EQ(test, wb->write_bandwidth,
			ref_write_bw(1000, 600, 300, 4000));
	KUNIT_EXPECT_EQ(test, wb->write_bandwidth, 1073UL);
	KUNIT_EXPECT_EQ(test, wb->avg_write_bandwidth, 1073UL);
	KUNIT_EXPECT_EQ(test, wb->bw_history, (unsigned long)BW_PERIOD_MS);

	/* A full window of history: Linux's (the issue's) average. */
	wb->write_bandwidth = wb->avg_write_bandwidth = 1000;
	/* 400 pages in 200 ms (2000 pages/s) moves bw 200/4096 of the way;
	 * avg stays (bw moved, but avg was not on the other side). */
	wb_update_write_bandwidth(wb, 200, 5400);
	bw = ref_write_bw(1000, 400, 200, BW_PERIOD_MS);
	KUNIT_EXPECT_EQ(test, wb->write_bandwidth, bw);
	KUNIT_EXPECT_EQ(test, bw, 1048UL);
	KUNIT_EXPECT_EQ(test, wb->avg_write_bandwidth, 1000UL);
	/* Again: bw keeps rising, so avg follows by 1/8 of its gap. */
	wb_update_write_bandwidth(wb, 200, 5400);
	KUNIT_EXPECT_EQ(test, wb->write_bandwidth,
			ref_write_bw(1048, 400, 200, BW_PERIOD_MS));
	KUNIT_EXPECT_EQ(test, wb->avg_write_bandwidth, 1000UL + (48 >> 3));
	/* A spike: bw up at 3000 and now falling back; avg (below) does
	 * not follow, it moves only while bw keeps moving away from it. */
	avg = wb->avg_write_bandwidth;
	wb->write_bandwidth = 3000;
	wb_update_write_bandwidth(wb, 200, 5000);
	KUNIT_EXPECT_EQ(test, wb->write_bandwidth,
			ref_write_bw(3000, 0, 200, BW_PERIOD_MS));
	KUNIT_EXPECT_EQ(test, wb->avg_write_bandwidth, avg);

	/* The 4096 ms window: a longer gap replaces both estimates. */
	wb->write_bandwidth = wb->avg_write_bandwidth = 25600;
	wb->bw_history = 0;
	wb_update_write_bandwidth(wb, 5000, 5000 + 10240);
	KUNIT_EXPECT_EQ(test, wb->write_bandwidth, 2048UL);
	KUNIT_EXPECT_EQ(test, wb->avg_write_bandwidth, 2048UL);
	KUNIT_EXPECT_EQ(test, wb->bw_history, (unsigned long)BW_PERIOD_MS);
	/* Exactly the window replaces them too (Linux: only longer). */
	wb->write_bandwidth = wb->avg_write_bandwidth = 25600;
	wb_update_write_bandwidth(wb, BW_PERIOD_MS, 5000 + 4096);
	KUNIT_EXPECT_EQ(test, wb->write_bandwidth, 1000UL);
	KUNIT_EXPECT_EQ(test, wb->avg_write_bandwidth, 1000UL);
	/* Nothing written for longer than the window: 0, avg kept >= 1. */
	wb_update_write_bandwidth(wb, 6000, 5000);
	KUNIT_EXPECT_EQ(test, wb->write_bandwidth, 0UL);
	KUNIT_EXPECT_EQ(test, wb->avg_write_bandwidth, 1UL);
}

/*
 * wb_keep_busy (our departure, mm/page-writeback.c): a device with a
 * chunk dirty and less than half a chunk under writeback is written
 * below the background threshold too; the chunk is half a second of its
 * bandwidth in whole 4 MiB, at least 4 MiB, and exactly 4 MiB before
 * its first measurement (the 100 MiB/s guess would make it 48 MiB).
 */
static void dirty_throttle_keep_busy(struct kunit *test)
{
	static struct backing_dev_info a;
	struct bdi_writeback *wb = &a.wb;
	const unsigned long min = 1024;		/* 4 MiB of 4 KiB pages */
	/* half a second of 100 MiB/s, in whole 4 MiB: 48 MiB */
	const unsigned long big = INIT_BW / 2 - INIT_BW / 2 % min;

	bdi_init(&a, "busy");
	KUNIT_EXPECT_EQ(test, wb->bw_history, 0UL);
	KUNIT_EXPECT_EQ(test, wb_writeback_chunk(wb), big);
	wb_stat_mod(wb, WB_RECLAIMABLE, (long)min - 1);
	KUNIT_EXPECT_FALSE(test, wb_keep_busy(wb));
	wb_stat_mod(wb, WB_RECLAIMABLE, 1);
	KUNIT_EXPECT_TRUE(test, wb_keep_busy(wb));	/* not at 12800 */
	wb_stat_mod(wb, WB_WRITEBACK, (long)min / 2 - 1);
	KUNIT_EXPECT_TRUE(test, wb_keep_busy(wb));
	wb_stat_mod(wb, WB_WRITEBACK, 1);		/* half a chunk out */
	KUNIT_EXPECT_FALSE(test, wb_keep_busy(wb));
	wb_stat_mod(wb, WB_WRITEBACK, -(long)min / 2);

	/* Measured at 100 MiB/s: the chunk is 48 MiB, 4 MiB is not one. */
	wb->bw_history = BANDWIDTH_INTERVAL_MS;
	KUNIT_EXPECT_FALSE(test, wb_keep_busy(wb));
	wb_stat_mod(wb, WB_RECLAIMABLE, (long)(big - min) - 1);
	KUNIT_EXPECT_FALSE(test, wb_keep_busy(wb));
	wb_stat_mod(wb, WB_RECLAIMABLE, 1);
	KUNIT_EXPECT_TRUE(test, wb_keep_busy(wb));
	/* Measured at 8 MiB/s: the smallest chunk again. */
	wb->avg_write_bandwidth = 2048;
	wb_stat_mod(wb, WB_RECLAIMABLE, -(long)(big - min));
	KUNIT_EXPECT_TRUE(test, wb_keep_busy(wb));
	wb_stat_mod(wb, WB_RECLAIMABLE, -(long)min);
}

/*
 * bg_writeback_due (wb_over_bg_thresh's rule, mm/page-writeback.c): a
 * device over its own share of the background threshold has work; under
 * it, only while the global pool is over the threshold and with at
 * least a batch dirty (Linux: any page, once the pool is over). Nothing
 * dirty: never.
 */
static void dirty_throttle_bg_writeback_due(struct kunit *test)
{
	static const struct {
		unsigned long dirty, bg, reclaimable, wb_bg;
		bool due;
	} rows[] = {
		{ 0, 100, 0, 0, false },	/* nothing dirty */
		{ 5000, 100, 0, 0, false },	/* the pool is others' */
		{ 50, 100, 10, 5, true },	/* over its share */
		{ 50, 100, 10, 10, false },	/* at it, pool under */
		{ 150, 100, 10, 50, false },	/* pool over, a few pages */
		{ 150, 100, 1023, 2000, false },/* one short of a batch */
		{ 150, 100, 1024, 2000, true },	/* a batch */
		{ 100, 100, 1024, 2000, false },/* pool at the threshold */
		{ 150, 100, 2001, 2000, true },	/* over its share too */
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(rows); i++)
		if (bg_writeback_due(rows[i].dirty, rows[i].bg,
				     rows[i].reclaimable, rows[i].wb_bg,
				     1024) != rows[i].due)
			KUNIT_FAIL(test, "row %u: dirty %lu bg %lu reclaimable %lu wb_bg %lu: due should be %d",
				   i, rows[i].dirty, rows[i].bg,
				   rows[i].reclaimable, rows[i].wb_bg,
				   rows[i].due);
}

/*
 * Through wb_update_bandwidth: an update at most every 200 ms; the first
 * measurement only over an interval busy from its start (pages under
 * writeback or the flusher in a pass when the stamps were taken), not
 * the flusher's ramp-up; idle intervals (nothing written, nothing under
 * writeback, no pass) skipped, their stamps moved on.
 */
static void dirty_throttle_bandwidth_update(struct kunit *test)
{
	static struct backing_dev_info a;
	struct bdi_writeback *wb = &a.wb;

	bdi_init(&a, "bwu");
	wb->bw_time_stamp = 1000;
	wb_stat_mod(wb, WB_WRITTEN, 2048);
	/* Nothing before 200 ms. */
	wb_update_bandwidth(wb, NULL, 1199, false);
	KUNIT_EXPECT_EQ(test, wb->write_bandwidth, (unsigned long)INIT_BW);
	KUNIT_EXPECT_EQ(test, wb->bw_time_stamp, 1000ULL);
	/* 2048 pages written, but the interval did not start busy: the
	 * ramp-up is not measured, only the stamps move (busy now: a
	 * pass is on). */
	wb->flushing = true;
	wb_update_bandwidth(wb, NULL, 1200, false);
	KUNIT_EXPECT_EQ(test, wb->write_bandwidth, (unsigned long)INIT_BW);
	KUNIT_EXPECT_EQ(test, wb->avg_write_bandwidth, (unsigned long)INIT_BW);
	KUNIT_EXPECT_EQ(test, wb->bw_history, 0UL);
	KUNIT_EXPECT_EQ(test, wb->written_stamp, 2048UL);
	KUNIT_EXPECT_EQ(test, wb->bw_time_stamp, 1200ULL);
	KUNIT_EXPECT_TRUE(test, wb->bw_busy_at_stamp);
	/* Busy from the start: the first measurement, 400 pages in 200 ms,
	 * is the estimate. */
	wb->flushing = false;
	wb_stat_mod(wb, WB_WRITEBACK, 64);
	wb_stat_mod(wb, WB_WRITTEN, 400);
	wb_update_bandwidth(wb, NULL, 1400, false);
	KUNIT_EXPECT_EQ(test, wb->write_bandwidth, 2000UL);
	KUNIT_EXPECT_EQ(test, wb->avg_write_bandwidth, 2000UL);
	KUNIT_EXPECT_EQ(test, wb->bw_history, 200UL);
	KUNIT_EXPECT_EQ(test, wb->written_stamp, 2448UL);
	KUNIT_EXPECT_EQ(test, wb->bw_time_stamp, 1400ULL);
	/* Idle (nothing written, nothing under writeback, no pass): idle
	 * is not slow, nothing measured, the stamps move on. */
	wb_stat_mod(wb, WB_WRITEBACK, -64);
	wb_stat_mod(wb, WB_DIRTIED, 300);
	wb_update_bandwidth(wb, NULL, 2400, false);
	KUNIT_EXPECT_EQ(test, wb->write_bandwidth, 2000UL);
	KUNIT_EXPECT_EQ(test, wb->bw_history, 200UL);
	KUNIT_EXPECT_EQ(test, wb->bw_time_stamp, 2400ULL);
	KUNIT_EXPECT_EQ(test, wb->dirtied_stamp, 300UL);
	KUNIT_EXPECT_FALSE(test, wb->bw_busy_at_stamp);
	/* Nothing written while pages are under writeback is slow, not
	 * idle: measured (0 pages against the 200 ms of history). Once
	 * measured, an interval need not have started busy. */
	wb_stat_mod(wb, WB_WRITEBACK, 64);
	wb_update_bandwidth(wb, NULL, 2600, false);
	KUNIT_EXPECT_EQ(test, wb->write_bandwidth,
			ref_write_bw(2000, 0, 200, 200));
	KUNIT_EXPECT_EQ(test, wb->write_bandwidth, 1000UL);
	KUNIT_EXPECT_EQ(test, wb->bw_history, 400UL);
	wb_stat_mod(wb, WB_WRITEBACK, -64);
	/* A quiet gap: the stamp at 2600 was busy (the last pages in
	 * flight), then nothing for 3 s, then a pass that wrote 2 pages.
	 * An interval longer than WB_QUIET_MS measures nothing (it would
	 * say 0.6 pages/s); the stamps move on, busy now. */
	KUNIT_EXPECT_TRUE(test, wb->bw_busy_at_stamp);
	wb->flushing = true;
	wb_stat_mod(wb, WB_WRITTEN, 2);
	wb_update_bandwidth(wb, NULL, 5800, false);
	KUNIT_EXPECT_EQ(test, wb->write_bandwidth, 1000UL);
	KUNIT_EXPECT_EQ(test, wb->bw_history, 400UL);
	KUNIT_EXPECT_EQ(test, wb->bw_time_stamp, 5800ULL);
	KUNIT_EXPECT_TRUE(test, wb->bw_busy_at_stamp);
	/* Busy from its start: measured (400 pages in 200 ms). */
	wb_stat_mod(wb, WB_WRITTEN, 400);
	wb_update_bandwidth(wb, NULL, 6000, false);
	KUNIT_EXPECT_EQ(test, wb->write_bandwidth,
			ref_write_bw(1000, 400, 200, 400));
	/* A short gap that began idle is part of the measurement. */
	wb->flushing = false;
	wb_update_bandwidth(wb, NULL, 6200, false);
	KUNIT_EXPECT_FALSE(test, wb->bw_busy_at_stamp);
	wb->flushing = true;
	wb_stat_mod(wb, WB_WRITTEN, 100);
	wb_update_bandwidth(wb, NULL, 6500, false);
	KUNIT_EXPECT_EQ(test, wb->bw_time_stamp, 6500ULL);
	KUNIT_EXPECT_EQ(test, wb->bw_history, 900UL);
	wb->flushing = false;
}

/* ----------------------------------------------------- dirty_ratelimit */

/*
 * Issue 15's rule, written out on its own: task_ratelimit =
 * dirty_ratelimit * pos_ratio (+1, so a tiny rate can grow);
 * balanced = task_ratelimit * write_bw / dirty_rate, at most write_bw;
 * the stepped rate moves towards balanced only when balanced, the last
 * balanced and task_ratelimit all lie beyond it on the side the
 * setpoint asks for, by 1/8 of the smallest gap; never below 1.
 * Linux damps the step further where the gap is small against the rate
 * (>> rate / (2 gap + 1)); our departure steps ceil(gap / 8) always,
 * gives writers the stepped rate capped at avg_write_bandwidth (then at
 * least 1): dirty_ratelimit = max(min(stepped, write_bw), 1), and when
 * the rate comes down drops what lies over twice write_bw at once.
 */
struct rl_ref {
	unsigned long task, balanced, stepped, rate, dirty_rate;
};

static unsigned long ref_cap(unsigned long stepped, unsigned long write_bw)
{
	return max(min(stepped, write_bw), 1UL);
}

/* stepped: the stepped rate before; rate: what writers had (the cap of
 * the stepped rate at the last estimate). */
static void ref_ratelimit(unsigned long stepped, unsigned long rate,
			  unsigned long last_balanced,
			  unsigned long pos_ratio, unsigned long write_bw,
			  unsigned long dirtied, unsigned long elapsed,
			  bool below_setpoint, struct rl_ref *r)
{
	unsigned long gap = 0, x;

	r->dirty_rate = dirtied * 1000 / elapsed;
	r->task = rate * pos_ratio / ONE + 1;
	/* dirty_rate | 1: never a division by 0 (Linux's); the same here
	 * so the comparison can be exact */
	r->balanced = r->task * write_bw / (r->dirty_rate | 1);
	if (r->balanced > write_bw)
		r->balanced = write_bw;
	if (below_setpoint) {
		x = min(min(last_balanced, r->balanced), r->task);
		gap = stepped < x ? x - stepped : 0;
	} else {
		x = max(max(last_balanced, r->balanced), r->task);
		if (stepped > x) {
			/* over twice the device's rate: at once */
			stepped = min(stepped, max(2 * write_bw, x));
			gap = stepped - x;
		}
	}
	gap = (gap + 7) / 8;
	if (stepped < r->balanced)
		stepped += gap;
	else
		stepped -= min(gap, stepped);
	r->stepped = max(stepped, 1UL);
	r->rate = ref_cap(r->stepped, write_bw);
}

static const struct {
	const char *what;
	unsigned long dirty;		/* setpoint 21000 */
	unsigned long rate, last_balanced, pos_ratio, write_bw, dirtied;
	int moves;			/* +1 up, -1 down, 0 stays */
} ratelimit_rows[] = {
	{ "below, all three agree: up a little", 19500, 1000, 3000, 1152,
	  4096, 225, +1 },
	{ "below, far from balanced: up 1/8 of the gap", 18000, 100, 3000,
	  2048, 4096, 40, +1 },
	{ "below, last balanced disagrees: stays", 19500, 1000, 500, 1152,
	  4096, 225, 0 },
	{ "below, new balanced disagrees: stays", 19500, 1000, 3000, 1152,
	  4096, 2000, 0 },
	{ "above, all three agree: down", 22500, 4000, 1000, 896, 8192, 2800,
	  -1 },
	{ "above, last balanced disagrees: stays", 22500, 4000, 5000, 896,
	  8192, 700, 0 },
	{ "above, far from balanced: down 1/8 of the gap", 23500, 8000, 100,
	  300, 8192, 4000, -1 },
	{ "at the setpoint counts as above", 21000, 3000, 1000, 800, 4096,
	  938, -1 },
	/* The cap (a departure): writers get the stepped rate at most
	 * avg_write_bandwidth, also when the estimates disagree (the
	 * stepped rate does not move); "moves" is the stepped rate's. */
	{ "above write_bw, estimates disagree: capped", 19500, 3000, 500,
	  1152, 2048, 225, 0 },
	{ "above write_bw, stepping down: capped", 22500, 4000, 1000, 896,
	  2048, 700, -1 },
	{ "write_bw 0: the rate is 1", 21000, 3000, 1000, 800, 0, 469, -1 },
	{ "above, far over twice write_bw: cut to it, then a step", 22500,
	  25600, 1000, 896, 2048, 700, -1 },
	{ "below, far over twice write_bw: no cut", 19500, 25600, 3000, 1152,
	  2048, 225, 0 },
};

static void dirty_throttle_ratelimit_step_rule(struct kunit *test)
{
	static struct backing_dev_info a;
	struct bdi_writeback *wb = &a.wb;

	bdi_init(&a, "rl");
	for (unsigned int i = 0; i < ARRAY_SIZE(ratelimit_rows); i++) {
		struct dirty_throttle_control dtc = {
			.thresh = T_THRESH, .bg_thresh = T_BG,
			.limit = T_THRESH, .dirty = ratelimit_rows[i].dirty,
			.pos_ratio = ratelimit_rows[i].pos_ratio,
		};
		unsigned long rate = ratelimit_rows[i].rate;
		unsigned long capped = ref_cap(rate, ratelimit_rows[i].write_bw);
		struct rl_ref r;

		/* A wb as the update leaves it: dirty_ratelimit is the
		 * stepped rate capped at the estimate. */
		wb->stepped_ratelimit = rate;
		wb->dirty_ratelimit = capped;
		wb->balanced_dirty_ratelimit = ratelimit_rows[i].last_balanced;
		wb->avg_write_bandwidth = ratelimit_rows[i].write_bw;
		wb->dirtied_stamp = 100000;
		ref_ratelimit(rate, capped, ratelimit_rows[i].last_balanced,
			      ratelimit_rows[i].pos_ratio,
			      ratelimit_rows[i].write_bw,
			      ratelimit_rows[i].dirtied, 200,
			      ratelimit_rows[i].dirty < T_SETPOINT, &r);
		wb_update_dirty_ratelimit(wb, &dtc,
					  100000 + ratelimit_rows[i].dirtied,
					  200);
		if (wb->stepped_ratelimit != r.stepped ||
		    wb->dirty_ratelimit != r.rate ||
		    wb->balanced_dirty_ratelimit != r.balanced)
			KUNIT_FAIL(test, "%s: stepped %lu -> %lu (rule: %lu), rate %lu (rule: %lu), balanced %lu (rule: %lu)",
				   ratelimit_rows[i].what, rate,
				   wb->stepped_ratelimit, r.stepped,
				   wb->dirty_ratelimit, r.rate,
				   wb->balanced_dirty_ratelimit, r.balanced);
		/* The direction, stated, not only computed. */
		if (ratelimit_rows[i].moves > 0)
			KUNIT_EXPECT_GT(test, wb->stepped_ratelimit, rate);
		else if (ratelimit_rows[i].moves < 0)
			KUNIT_EXPECT_LT(test, wb->stepped_ratelimit, rate);
		else
			KUNIT_EXPECT_EQ(test, wb->stepped_ratelimit, rate);
		/* Never past balanced. */
		if (wb->stepped_ratelimit > rate)
			KUNIT_EXPECT_LE(test, wb->stepped_ratelimit, r.balanced);
		if (wb->stepped_ratelimit < rate)
			KUNIT_EXPECT_GE(test, wb->stepped_ratelimit, r.balanced);
		/* And writers never get more than the device writes. */
		KUNIT_EXPECT_LE(test, wb->dirty_ratelimit,
				max(ratelimit_rows[i].write_bw, 1UL));
	}

	/* The 1/8, by the numbers: gap 101 (task 201 against 100): a step
	 * of ceil(101 / 8) = 13. */
	KUNIT_EXPECT_EQ(test, ({
		struct dirty_throttle_control dtc = {
			.thresh = T_THRESH, .bg_thresh = T_BG,
			.limit = T_THRESH, .dirty = 18000, .pos_ratio = 2 * ONE,
		};
		wb->dirty_ratelimit = wb->stepped_ratelimit = 100;
		wb->balanced_dirty_ratelimit = 3000;
		wb->avg_write_bandwidth = 4096;
		wb->dirtied_stamp = 0;
		wb_update_dirty_ratelimit(wb, &dtc, 40, 200);
		wb->dirty_ratelimit; }), 113UL);
	/* A gap small against the rate: task 1000 * 1039 / 1024 + 1 = 1015
	 * against 1000, balanced 4096 (capped), last 3000: gap 15, a step
	 * of ceil(15 / 8) = 2. Linux's damping (>> 1000 / 31) made it 0. */
	KUNIT_EXPECT_EQ(test, ({
		struct dirty_throttle_control dtc = {
			.thresh = T_THRESH, .bg_thresh = T_BG,
			.limit = T_THRESH, .dirty = 20000, .pos_ratio = 1039,
		};
		wb->dirty_ratelimit = wb->stepped_ratelimit = 1000;
		wb->balanced_dirty_ratelimit = 3000;
		wb->avg_write_bandwidth = 4096;
		wb->dirtied_stamp = 0;
		wb_update_dirty_ratelimit(wb, &dtc, 200, 200);
		wb->dirty_ratelimit; }), 1002UL);
	/* The row "below, all three agree": task 1126 against 1000, gap
	 * 126, a step of 16 (Linux's: ((126 >> 3) + 7) / 8 = 2). */
	KUNIT_EXPECT_EQ(test, ({
		struct dirty_throttle_control dtc = {
			.thresh = T_THRESH, .bg_thresh = T_BG,
			.limit = T_THRESH, .dirty = 19500, .pos_ratio = 1152,
		};
		wb->dirty_ratelimit = wb->stepped_ratelimit = 1000;
		wb->balanced_dirty_ratelimit = 3000;
		wb->avg_write_bandwidth = 4096;
		wb->dirtied_stamp = 0;
		wb_update_dirty_ratelimit(wb, &dtc, 225, 200);
		wb->dirty_ratelimit; }), 1016UL);

	/* A rate cut by a low estimate comes back with the estimate. The
	 * first interval read 796 pages/s (issue 15's benchmark on a loaded
	 * host), so writers got 796 while the stepped rate was still the
	 * initial 25600; the next estimate reads 1800. The stepped rate
	 * does not move (below the setpoint it only rises), and writers get
	 * 1800 at once. Were the cut made in the stepped rate, the step
	 * rule would let it rise only to task_ratelimit (796 * 1.25), by
	 * 1/8 of that gap: 796 + 25 = 821. */
	{
		struct dirty_throttle_control dtc = {
			.thresh = T_THRESH, .bg_thresh = T_BG,
			.limit = T_THRESH, .dirty = 19500, .pos_ratio = 1280,
		};

		wb->stepped_ratelimit = INIT_BW;
		wb->dirty_ratelimit = 796;
		wb->balanced_dirty_ratelimit = 796;
		wb->avg_write_bandwidth = 1800;
		wb->dirtied_stamp = 0;
		wb_update_dirty_ratelimit(wb, &dtc, 200, 200);
		KUNIT_EXPECT_EQ(test, wb->dirty_ratelimit, 1800UL);
		KUNIT_EXPECT_EQ(test, wb->stepped_ratelimit, (unsigned long)INIT_BW);
		/* Above the setpoint, it comes down towards the estimates:
		 * the last balanced is 996 * 1800 / 1001 = 1791 (task 796 *
		 * 1280 / 1024 + 1 = 996, 1000 pages/s dirtied), now task is
		 * 1800 * 900 / 1024 + 1 = 1583 and balanced 1582, so x =
		 * 1791; what lies over 2 * 1800 goes at once, then a step of
		 * ceil((3600 - 1791) / 8) = 227. */
		dtc.dirty = 22000;
		dtc.pos_ratio = 900;
		wb->dirtied_stamp = 0;
		wb_update_dirty_ratelimit(wb, &dtc, 360, 200);
		KUNIT_EXPECT_EQ(test, wb->stepped_ratelimit,
				3600UL - 227);
		KUNIT_EXPECT_EQ(test, wb->dirty_ratelimit, 1800UL);
	}
}

/* balanced is capped at write_bw; the rate never drops below 1; no
 * time, no update. */
static void dirty_throttle_ratelimit_bounds(struct kunit *test)
{
	static struct backing_dev_info a;
	struct bdi_writeback *wb = &a.wb;
	struct dirty_throttle_control dtc = {
		.thresh = T_THRESH, .bg_thresh = T_BG, .limit = T_THRESH,
		.dirty = 19000, .pos_ratio = 2 * ONE,
	};
	unsigned long dirtied = 0;

	bdi_init(&a, "rlb");
	wb->avg_write_bandwidth = 2048;
	wb->dirty_ratelimit = wb->stepped_ratelimit = 25600;
	wb_update_dirty_ratelimit(wb, &dtc, 1, 200);	/* 5 pages/s */
	KUNIT_EXPECT_EQ(test, wb->balanced_dirty_ratelimit, 2048UL);

	/* A writer racing at the hard limit for a minute of updates: the
	 * rate falls, to 1 at the least. */
	dtc.dirty = 23990;
	dtc.pos_ratio = 0;
	for (int i = 0; i < 3000; i++) {
		dirtied += 100000;
		wb_update_dirty_ratelimit(wb, &dtc, dirtied, 200);
		wb->dirtied_stamp = dirtied;
		KUNIT_ASSERT_GE(test, wb->dirty_ratelimit, 1UL);
	}
	KUNIT_EXPECT_LE(test, wb->dirty_ratelimit, 2UL);

	/* No time passed: nothing changes. */
	wb->dirty_ratelimit = wb->stepped_ratelimit = 500;
	wb_update_dirty_ratelimit(wb, &dtc, dirtied + 1000, 0);
	KUNIT_EXPECT_EQ(test, wb->dirty_ratelimit, 500UL);
}

/* ------------------------------------------------------ the hard limit */

/* One measured interval of wb ending at now, with dtc: the bandwidth
 * and ratelimit update, and with it the hard limit's. */
static void limit_tick(struct bdi_writeback *wb, unsigned long thresh,
		       unsigned long dirty, uint64_t now)
{
	struct dirty_throttle_control dtc = {
		.avail = 120000, .thresh = thresh, .bg_thresh = T_BG,
		.limit = hard_dirty_limit(global_dirty_limit, thresh),
		.dirty = dirty, .pos_ratio = ONE,
	};

	wb->stat[WB_WRITEBACK] = 100;		/* busy */
	wb_stat_mod(wb, WB_WRITTEN, 100);
	wb->bw_history = BW_PERIOD_MS;
	wb->bw_time_stamp = now - BANDWIDTH_INTERVAL_MS;
	wb_update_bandwidth(wb, &dtc, now, true);
	wb->stat[WB_WRITEBACK] = 0;
}

/*
 * The hard limit follows thresh up at once and down by 1/32 of the gap
 * an interval (never below dirty). Our departure: once an interval for
 * the whole domain (Linux moves it at every device's update, so with
 * two devices it fell twice as fast), except that a rise of thresh
 * above it is taken at once.
 */
static void dirty_throttle_dirty_limit(struct kunit *test)
{
	static struct backing_dev_info a, b;
	uint64_t now = fresh_epoch();
	unsigned long saved = global_dirty_limit;

	bdi_init(&a, "dla");
	bdi_init(&b, "dlb");
	/* thresh above the limit: taken at once (and the domain's clock
	 * set, whatever other suites left in it). */
	global_dirty_limit = 20000;
	limit_tick(&a.wb, T_THRESH, 20000, now);
	KUNIT_EXPECT_EQ(test, global_dirty_limit, T_THRESH);

	/* thresh fell (a sudden 30000 -> 24000): an interval later the
	 * limit moves 1/32 of the gap down... */
	global_dirty_limit = 30000;
	limit_tick(&a.wb, T_THRESH, 20000, now + 200);
	KUNIT_EXPECT_EQ(test, global_dirty_limit, 30000UL - (6000 >> 5));
	/* ...and not again for the other device in the same interval */
	limit_tick(&b.wb, T_THRESH, 20000, now + 200);
	KUNIT_EXPECT_EQ(test, global_dirty_limit, 29813UL);
	limit_tick(&b.wb, T_THRESH, 20000, now + 399);
	KUNIT_EXPECT_EQ(test, global_dirty_limit, 29813UL);
	/* the next interval, whichever device */
	limit_tick(&b.wb, T_THRESH, 20000, now + 400);
	KUNIT_EXPECT_EQ(test, global_dirty_limit, 29813UL - (5813 >> 5));
	/* never below what is dirty */
	limit_tick(&a.wb, T_THRESH, 29700, now + 600);
	KUNIT_EXPECT_EQ(test, global_dirty_limit, 29632UL);
	limit_tick(&a.wb, T_THRESH, 29000, now + 800);
	KUNIT_EXPECT_EQ(test, global_dirty_limit, 29632UL - (632 >> 5));
	/* thresh rising above the limit within the interval: at once */
	limit_tick(&b.wb, 35000, 20000, now + 850);
	KUNIT_EXPECT_EQ(test, global_dirty_limit, 35000UL);

	/* Leave the domain's clock at 200 ms (a rise is taken at any
	 * time), so suites on an earlier clock than this case's update
	 * their limit as before. */
	global_dirty_limit = 0;
	limit_tick(&a.wb, T_THRESH, 0, BANDWIDTH_INTERVAL_MS);
	KUNIT_EXPECT_EQ(test, global_dirty_limit, T_THRESH);
	global_dirty_limit = saved;
}

/* ---------------------------------------------------------------- pauses */

static void dirty_throttle_max_pause(struct kunit *test)
{
	static const struct {
		unsigned long bw, wb_dirty;
	} rows[] = {
		{ 2048, 21000 }, { 25600, 3000 }, { 512, 100 }, { 1, 0 },
		{ 8192, 12000 }, { 127, 199 }, { 128, 400 },
	};
	static struct backing_dev_info a;

	bdi_init(&a, "mp");
	for (unsigned int i = 0; i < ARRAY_SIZE(rows); i++) {
		unsigned long want = rows[i].wb_dirty /
				     (1 + rows[i].bw / 128) + 1;

		a.wb.avg_write_bandwidth = rows[i].bw;
		if (want > 200)
			want = 200;
		KUNIT_EXPECT_EQ(test, wb_max_pause(&a.wb, rows[i].wb_dirty),
				want);
	}
}

/* Linux's wb_min_pause with ms for jiffies and 10 ms per doubling of
 * writers: what the next nr_dirtied_pause is and the least pause. */
static unsigned long ref_min_pause(unsigned long avg_bw, unsigned long rl,
				   unsigned long max_pause,
				   unsigned long task, unsigned long *pages)
{
	long hi = 63 - __builtin_clzl(avg_bw), lo = 63 - __builtin_clzl(rl);
	long t = 10 + (hi > lo ? (hi - lo) * 10 : 0);
	unsigned long p;

	if (t > 1 + (long)max_pause / 2)
		t = 1 + (long)max_pause / 2;
	p = rl * (unsigned long)t / 1024;
	if (p < DIRTY_POLL_THRESH) {
		t = (long)max_pause;
		p = rl * (unsigned long)t / 1024;
		if (p > DIRTY_POLL_THRESH) {
			p = DIRTY_POLL_THRESH;
			t = (long)(1000 * DIRTY_POLL_THRESH / rl);
		}
	}
	if (1000 * p / (task + 1) > max_pause) {
		t = (long)max_pause;
		p = task * (unsigned long)t / 1024;
	}
	*pages = p ? p : 1;
	return (unsigned long)(p >= DIRTY_POLL_THRESH ? 1 + t / 2 : t);
}

static void dirty_throttle_min_pause(struct kunit *test)
{
	static const struct {
		unsigned long bw, rl, task, max_pause;
		unsigned long want_min, want_pages;
	} rows[] = {
		/* one writer on an 8 MiB/s disk: 32 pages, ~15 ms each */
		{ 2048, 2048, 2048, 200, 8, 32 },
		/* two writers on 32 MiB/s: 20 ms target, 80 pages */
		{ 8192, 4096, 4096, 200, 11, 80 },
		/* task rate far below: pages cut so the pause fits */
		{ 25600, 25600, 100, 200, 200, 19 },
		/* a crawl: one page at a time */
		{ 512, 5, 5, 50, 50, 1 },
		/* fast: 10 ms worth, 250 pages */
		{ 25600, 25600, 25600, 200, 6, 250 },
	};
	static struct backing_dev_info a;

	bdi_init(&a, "mnp");
	for (unsigned int i = 0; i < ARRAY_SIZE(rows); i++) {
		unsigned long ref_pages, ref;
		int pages = -1;
		unsigned long got;

		a.wb.avg_write_bandwidth = rows[i].bw;
		a.wb.dirty_ratelimit = rows[i].rl;
		got = wb_min_pause(&a.wb, rows[i].max_pause, rows[i].task,
				   rows[i].rl, &pages);
		ref = ref_min_pause(rows[i].bw, rows[i].rl, rows[i].max_pause,
				    rows[i].task, &ref_pages);
		KUNIT_EXPECT_EQ(test, got, ref);
		KUNIT_EXPECT_EQ(test, (unsigned long)pages, ref_pages);
		KUNIT_EXPECT_EQ(test, got, rows[i].want_min);
		KUNIT_EXPECT_EQ(test, (unsigned long)pages, rows[i].want_pages);
		KUNIT_EXPECT_LE(test, got, rows[i].max_pause);
		/* Where the rates allow 32 pages within max_pause, at
		 * least the poll threshold between looks. */
		if (rows[i].rl * rows[i].max_pause / 1024 >= DIRTY_POLL_THRESH &&
		    1000 * DIRTY_POLL_THRESH / (rows[i].task + 1) <=
		    rows[i].max_pause)
			KUNIT_EXPECT_GE(test, pages, DIRTY_POLL_THRESH);
	}
}

static void dirty_throttle_poll_interval(struct kunit *test)
{
	/* 1 << (log2(thresh - dirty) / 2): the square root, a power of 2 */
	KUNIT_EXPECT_EQ(test, dirty_poll_interval(0, T_THRESH), 128UL);
	KUNIT_EXPECT_EQ(test, dirty_poll_interval(10000, T_THRESH), 64UL);
	KUNIT_EXPECT_EQ(test, dirty_poll_interval(20000, T_THRESH), 32UL);
	KUNIT_EXPECT_EQ(test, dirty_poll_interval(23996, T_THRESH), 2UL);
	KUNIT_EXPECT_EQ(test, dirty_poll_interval(23999, T_THRESH), 1UL);
	KUNIT_EXPECT_EQ(test, dirty_poll_interval(T_THRESH, T_THRESH), 1UL);
	KUNIT_EXPECT_EQ(test, dirty_poll_interval(30000, T_THRESH), 1UL);
}

/* ------------------------------------------------ balance_dirty_pages_step */

/*
 * A device that has every completion (wb_thresh = thresh), writes 8 MiB/s
 * and whose rate is 2048 pages/s; its bandwidth was just updated (no
 * update during the case). wb_dirty = dirty.
 */
static struct backing_dev_info step_bdi;
static unsigned long saved_limit;

static struct bdi_writeback *step_setup(uint64_t now, unsigned long dirty)
{
	struct bdi_writeback *wb = &step_bdi.wb;

	make_bdi(&step_bdi, "step", now, 100);
	wb->avg_write_bandwidth = wb->write_bandwidth = 2048;
	wb->dirty_ratelimit = 2048;
	wb->bw_time_stamp = now;
	wb_stat_mod(wb, WB_RECLAIMABLE, (long)dirty);
	saved_limit = global_dirty_limit;
	global_dirty_limit = T_THRESH;
	return wb;
}

static void step_done(void)
{
	global_dirty_limit = saved_limit;
	bdi_unregister(&step_bdi);
}

/*
 * The period of pages at task pages/s (our departure from Linux's whole
 * ms): counted in us, the sub-ms remainders carried in *carry_us, a ms
 * added whenever they reach one.
 */
static long ref_period(unsigned int *carry_us, unsigned long pages,
		       unsigned long task)
{
	unsigned long us = 1000000 * pages / task;
	long period = (long)(us / 1000);

	*carry_us += (unsigned int)(us % 1000);
	if (*carry_us >= 1000) {
		*carry_us -= 1000;
		period++;
	}
	return period;
}

/* One round; the position ratio it used. */
static unsigned long step(struct bdi_writeback *wb,
			  struct dirty_throttle_task *t, unsigned long dirty,
			  uint64_t now, struct bdp_decision *d)
{
	struct dirty_throttle_control dtc = {
		.avail = 120000, .dirty = dirty,
		.thresh = T_THRESH, .bg_thresh = T_BG,
	};

	balance_dirty_pages_step(wb, t, &dtc, now, 1, d);
	return dtc.pos_ratio;
}

static void dirty_throttle_step_freerun(struct kunit *test)
{
	uint64_t now = fresh_epoch();
	struct bdi_writeback *wb = step_setup(now, 10000);
	struct dirty_throttle_task t = { .nr_dirtied = 500 };
	struct bdp_decision d;

	wb->dirty_exceeded = true;
	step(wb, &t, 10000, now, &d);
	KUNIT_EXPECT_FALSE(test, d.throttled);
	KUNIT_EXPECT_EQ(test, d.pause_ms, 0L);
	KUNIT_EXPECT_EQ(test, t.nr_dirtied, 0);
	KUNIT_EXPECT_EQ(test, (unsigned long)t.nr_dirtied_pause,
			dirty_poll_interval(10000, T_THRESH));
	KUNIT_EXPECT_EQ(test, t.dirty_paused_when, now);
	KUNIT_EXPECT_FALSE(test, wb->dirty_exceeded);
	/* freerun itself is still free */
	t.nr_dirtied = 64;
	step(wb, &t, 18000, now, &d);
	KUNIT_EXPECT_FALSE(test, d.throttled);
	KUNIT_EXPECT_EQ(test, t.nr_dirtied_pause, 64);	/* sqrt(6000) */
	/* one page above is not */
	t.nr_dirtied = 32;
	step(wb, &t, 18001, now, &d);
	KUNIT_EXPECT_TRUE(test, d.throttled);
	step_done();
}

static void dirty_throttle_step_pause(struct kunit *test)
{
	uint64_t now = fresh_epoch();
	struct bdi_writeback *wb = step_setup(now, T_SETPOINT);
	struct dirty_throttle_task t = { .nr_dirtied = 32,
					 .dirty_paused_when = now };
	struct bdp_decision d;
	unsigned long pos;
	unsigned int carry = 0;
	long period;

	/* At the setpoint, 32 pages at ~2048 pages/s: ~15 ms. */
	pos = step(wb, &t, T_SETPOINT, now, &d);
	KUNIT_EXPECT_TRUE(test, d.throttled);
	/* task_ratelimit = dirty_ratelimit * pos_ratio */
	KUNIT_EXPECT_EQ(test, d.task_ratelimit, 2048 * pos / ONE);
	KUNIT_EXPECT_GE(test, d.task_ratelimit, 2048UL * 99 / 100);
	KUNIT_EXPECT_LE(test, d.task_ratelimit, 2048UL);
	period = ref_period(&carry, 32, d.task_ratelimit);
	KUNIT_EXPECT_EQ(test, d.period_ms, period);
	KUNIT_EXPECT_EQ(test, t.period_carry_us, carry);
	KUNIT_EXPECT_EQ(test, d.pause_ms, period);
	KUNIT_EXPECT_EQ(test, t.dirty_paused_when, now + (uint64_t)period);
	KUNIT_EXPECT_EQ(test, t.nr_dirtied, 0);
	KUNIT_EXPECT_EQ(test, t.nr_dirtied_pause, 32);

	/* Below the setpoint the writer may go faster: pos_ratio > 1. */
	t.nr_dirtied = 32;
	pos = step(wb, &t, 19500, now, &d);
	KUNIT_EXPECT_GT(test, pos, ONE);
	KUNIT_EXPECT_EQ(test, d.task_ratelimit, 2048 * pos / ONE);
	KUNIT_EXPECT_EQ(test, d.period_ms,
			ref_period(&carry, 32, d.task_ratelimit));
	KUNIT_EXPECT_EQ(test, t.period_carry_us, carry);

	/* Pages worth 5 s: one MAX_PAUSE sleep, and another max_pause of
	 * the debt counted as slept. */
	t.nr_dirtied = 10000;
	t.dirty_paused_when = now;
	step(wb, &t, T_SETPOINT, now, &d);
	KUNIT_EXPECT_EQ(test, d.pause_ms, (long)MAX_PAUSE_MS);
	KUNIT_EXPECT_EQ(test, t.dirty_paused_when, now + 2 * MAX_PAUSE_MS);

	/* At the hard limit: task_ratelimit 0, the longest pause, again. */
	t.nr_dirtied = 8;
	step(wb, &t, T_THRESH, now, &d);
	KUNIT_EXPECT_EQ(test, d.task_ratelimit, 0UL);
	KUNIT_EXPECT_EQ(test, (unsigned long)d.pause_ms,
			wb_max_pause(wb, T_SETPOINT));
	KUNIT_EXPECT_LE(test, d.pause_ms, (long)MAX_PAUSE_MS);
	KUNIT_EXPECT_TRUE(test, d.again);
	step_done();
}

/*
 * The period in us, the remainder carried (a departure): 64 pages at
 * 7000 pages/s are 9142 us, so ten back-to-back rounds are 91420 us:
 * 91 ms of pauses from no carry (92 at most from any), where whole ms
 * made them 90 and the writer 1.6% fast.
 */
static void dirty_throttle_step_period_carry(struct kunit *test)
{
	uint64_t now = fresh_epoch();
	struct bdi_writeback *wb = step_setup(now, T_SETPOINT);
	struct dirty_throttle_task t = { .dirty_paused_when = now };
	struct bdp_decision d;
	unsigned int carry = 0;
	unsigned long pos;
	long sum = 0, ref_sum = 0;

	/* A rate that makes task_ratelimit exactly 7000 at the setpoint
	 * (pos_ratio is a hair under 1 there: the share's 16 bits), on a
	 * device a little faster (one writer: 10 ms pauses, min_pause 6). */
	wb->avg_write_bandwidth = wb->write_bandwidth = 7100;
	t.nr_dirtied = 0;
	pos = step(wb, &t, T_SETPOINT, now, &d);
	KUNIT_ASSERT_GT(test, pos, 0UL);
	wb->dirty_ratelimit = (7000 * ONE + pos - 1) / pos;
	t = (struct dirty_throttle_task){ .dirty_paused_when = now };
	for (int i = 0; i < 10; i++) {
		t.nr_dirtied = 64;
		step(wb, &t, T_SETPOINT, now, &d);
		KUNIT_ASSERT_EQ(test, d.task_ratelimit, 7000UL);
		KUNIT_EXPECT_EQ(test, d.period_ms,
				ref_period(&carry, 64, 7000));
		KUNIT_EXPECT_EQ(test, d.pause_ms, d.period_ms);
		KUNIT_EXPECT_EQ(test, t.period_carry_us, carry);
		KUNIT_EXPECT_GE(test, d.period_ms, 9L);
		KUNIT_EXPECT_LE(test, d.period_ms, 10L);
		sum += d.period_ms;
		now = t.dirty_paused_when;	/* back when the pause ends */
	}
	KUNIT_EXPECT_EQ(test, sum, 91L);
	KUNIT_EXPECT_EQ(test, t.period_carry_us, 9142U * 10 % 1000);
	/* From any carry: 91 or 92, never 90. */
	for (unsigned int c0 = 0; c0 < 1000; c0 += 111) {
		t = (struct dirty_throttle_task){ .dirty_paused_when = now,
						  .period_carry_us = c0 };
		carry = c0;
		sum = ref_sum = 0;
		for (int i = 0; i < 10; i++) {
			t.nr_dirtied = 64;
			step(wb, &t, T_SETPOINT, now, &d);
			sum += d.period_ms;
			ref_sum += ref_period(&carry, 64, 7000);
			now = t.dirty_paused_when;
		}
		KUNIT_EXPECT_EQ(test, sum, ref_sum);
		KUNIT_EXPECT_GE(test, sum, 91L);
		KUNIT_EXPECT_LE(test, sum, 92L);
	}
	step_done();
}

/* Think time: a writer that was away longer than its pages are worth
 * owes no pause; the credit is bounded at 1000 ms. */
static void dirty_throttle_step_think_time(struct kunit *test)
{
	uint64_t now = fresh_epoch();
	struct bdi_writeback *wb = step_setup(now, T_SETPOINT);
	struct dirty_throttle_task t;
	struct bdp_decision d;
	int free_rounds = 0;

	/* Paused 5 s ago: no pause now, and the 5 s are not banked. */
	t = (struct dirty_throttle_task){ .nr_dirtied = 32,
					  .dirty_paused_when = now - 5000 };
	step(wb, &t, T_SETPOINT, now, &d);
	KUNIT_EXPECT_EQ(test, d.pause_ms, 0L);
	KUNIT_EXPECT_EQ(test, t.dirty_paused_when, now);
	KUNIT_EXPECT_EQ(test, t.nr_dirtied, 0);
	t.nr_dirtied = 32;
	step(wb, &t, T_SETPOINT, now, &d);
	KUNIT_EXPECT_GT(test, d.pause_ms, 0L);

	/* Paused 500 ms ago (within the bound): about 500 ms of pages go
	 * free, 32 pages (~15 ms) at a time, then the pauses start. */
	t = (struct dirty_throttle_task){ .dirty_paused_when = now - 500 };
	for (int i = 0; i < 100; i++) {
		t.nr_dirtied = 32;
		step(wb, &t, T_SETPOINT, now, &d);
		if (d.pause_ms)
			break;
		free_rounds++;
	}
	KUNIT_EXPECT_GE(test, free_rounds, 500 / 16 - 1);
	KUNIT_EXPECT_LE(test, free_rounds, 500 / 15 + 1);
	KUNIT_EXPECT_LE(test, d.pause_ms, 16L);

	/* Paused 1001 ms ago: beyond the bound, reset to now. */
	t = (struct dirty_throttle_task){ .nr_dirtied = 32,
					  .dirty_paused_when = now - 1016 };
	step(wb, &t, T_SETPOINT, now, &d);
	KUNIT_EXPECT_EQ(test, d.pause_ms, 0L);
	KUNIT_EXPECT_EQ(test, t.dirty_paused_when, now);
	step_done();
}

/* --------------------------------------------------------- the random run */

/*
 * Random dirty states in the ranges balance_dirty_pages meets (bg <
 * thresh as dirty_limits_of makes them, limit >= thresh, dirty up to 1.5
 * limit, any device share and bandwidth) against what the formulas
 * predict exactly, in turn with Linux's pure cube (w = 0) and
 * with a blend (w = 50, and the default 75):
 *  - pos_ratio_polynom in [0, 2048] and within its tolerance of the real
 *    polynomial, for any dirty (x is clamped, so no overflow however
 *    far from the setpoint); non-increasing in dirty;
 *  - wb_position_ratio 0 iff dirty >= limit (where the real product is
 *    clear of the fixed point's last bits); non-increasing in dirty;
 *  - balance_dirty_pages_step: the pause in [0, MAX_PAUSE_MS],
 *    nr_dirtied_pause >= 1, task_ratelimit <= the rate * pos_ratio.
 */
static void dirty_throttle_random_model(struct kunit *test)
{
	static struct backing_dev_info a;
	struct bdi_writeback *wb = &a.wb;
	uint64_t now = fresh_epoch();
	unsigned long saved = global_dirty_limit;
	unsigned int saved_w = dirty_pos_linear;
	struct prng r;
	int bad = 0;

	prng_seed(&r, test->seed);
	make_bdi(&a, "rnd", now, 1000);
	for (int iter = 0; iter < 40000 && bad < 5; iter++) {
		unsigned int w = linear_w[iter % ARRAY_SIZE(linear_w)];
		unsigned long thresh = 64 + prng_below(&r, 1UL << 22);
		unsigned long bg = prng_below(&r, thresh);
		unsigned long limit = thresh + (prng_below(&r, 4) ?
				0 : prng_below(&r, thresh / 4 + 1));
		unsigned long sp = dirty_setpoint(thresh, bg, limit);
		unsigned long dirty = prng_below(&r, limit + limit / 2);
		unsigned long dirty2 = dirty + prng_below(&r, limit / 8 + 1);
		unsigned long wb_thresh = prng_below(&r, thresh + thresh / 8);
		unsigned long wb_dirty = prng_below(&r, dirty + 1);
		unsigned long bw = 1 + prng_below(&r, 1UL << 16);
		unsigned long rl = 1 + prng_below(&r, bw);
		unsigned long p1, p2;
		struct dirty_throttle_control c1 = {
			.thresh = thresh, .bg_thresh = bg, .limit = limit,
			.dirty = dirty, .wb_thresh = wb_thresh,
			.wb_dirty = wb_dirty,
		}, c2 = c1;
		double ref, wb_sp;

		set_linear(w);
		/* The global curve, wherever dirty is: |x| = |setpoint -
		 * dirty| / (limit - setpoint) is unbounded when thresh - bg
		 * is a few pages; unclamped, its cube overflowed (signed,
		 * UBSan) from |x| ~ 2^17. */
		{
			double want = ref_polynom((double)sp, (double)dirty,
						  (double)limit, w);
			double tol = polynom_tol((double)sp, (double)dirty,
						 (double)limit, w);

			p1 = pos_ratio_polynom(sp, dirty, limit);
			p2 = pos_ratio_polynom(sp, dirty2, limit);
			if (p1 > 2 * ONE || p2 > p1 ||
			    fabs((double)p1 / ONE - want) > tol) {
				KUNIT_FAIL(test, "w %u%%: polynom(%lu, %lu, %lu) = %lu (formula %ld), at %lu: %lu",
					   w, sp, dirty, limit, p1, FX(want),
					   dirty2, p2);
				bad++;
			}
		}

		if (dirty <= dirty_freerun_ceiling(thresh, bg))
			c1.dirty = c2.dirty = dirty =
				dirty_freerun_ceiling(thresh, bg) + 1;
		c2.dirty = dirty2 = max(dirty2, dirty);
		wb_position_ratio(&c1, bw);
		wb_position_ratio(&c2, bw);
		ref = ref_position(thresh, bg, limit, dirty, wb_thresh,
				   wb_dirty, bw, w, &wb_sp);
		if ((dirty >= limit) != (c1.pos_ratio == 0) &&
		    (dirty >= limit || ref > 4.0 / ONE)) {
			KUNIT_FAIL(test, "w %u%%: pos_ratio %lu at dirty %lu, limit %lu (formula %ld)",
				   w, c1.pos_ratio, dirty, limit, FX(ref));
			bad++;
		}
		if (c2.pos_ratio > c1.pos_ratio) {
			KUNIT_FAIL(test, "w %u%%: pos_ratio rises with dirty: %lu at %lu, %lu at %lu (thresh %lu bg %lu limit %lu wb_thresh %lu wb_dirty %lu bw %lu)",
				   w, c1.pos_ratio, dirty, c2.pos_ratio, dirty2,
				   thresh, bg, limit, wb_thresh, wb_dirty, bw);
			bad++;
		}

		/* One step of a writer with this state. */
		{
			struct dirty_throttle_task t = {
				.nr_dirtied = (int)prng_below(&r, 4096),
				.nr_dirtied_pause = 32,
				.dirty_paused_when = now -
					prng_below(&r, 3000),
			};
			struct dirty_throttle_control dtc = {
				.avail = thresh * 5, .dirty = dirty,
				.thresh = thresh, .bg_thresh = bg,
			};
			struct bdp_decision d;

			global_dirty_limit = limit;
			wb->avg_write_bandwidth = wb->write_bandwidth = bw;
			wb->dirty_ratelimit = rl;
			wb->bw_time_stamp = now;	/* no update */
			wb->stat[WB_RECLAIMABLE] = (long)wb_dirty;
			wb->stat[WB_WRITEBACK] = 0;
			balance_dirty_pages_step(wb, &t, &dtc, now, 1, &d);
			if (d.pause_ms < 0 || d.pause_ms > MAX_PAUSE_MS ||
			    t.nr_dirtied_pause < 1 ||
			    d.task_ratelimit >
			    (unsigned long)((unsigned __int128)rl *
					    dtc.pos_ratio >> 10)) {
				KUNIT_FAIL(test, "w %u%%: step: pause %ld, nr_dirtied_pause %d, task_ratelimit %lu (dirty %lu thresh %lu bg %lu limit %lu wb_dirty %lu bw %lu rate %lu)",
					   w, d.pause_ms, t.nr_dirtied_pause,
					   d.task_ratelimit, dirty, thresh,
					   bg, limit, wb_dirty, bw, rl);
				bad++;
			}
		}
	}
	wb->stat[WB_RECLAIMABLE] = 0;
	global_dirty_limit = saved;
	set_linear(saved_w);
	bdi_unregister(&a);
	if (test->failed)
		KUNIT_FAIL(test, "replay: build/host/unit dirty_throttle --seed %llu",
			   (unsigned long long)test->seed);
}

static struct kunit_case dirty_throttle_cases[] = {
	KUNIT_CASE(dirty_throttle_setpoint_formulas),
	KUNIT_CASE(dirty_throttle_pos_ratio_polynom),
	KUNIT_CASE(dirty_throttle_position_ratio),
	KUNIT_CASE(dirty_throttle_position_ratio_zero_at_limit),
	KUNIT_CASE(dirty_throttle_shares_follow_completions),
	KUNIT_CASE(dirty_throttle_min_max_ratio),
	KUNIT_CASE(dirty_throttle_write_bandwidth),
	KUNIT_CASE(dirty_throttle_bandwidth_update),
	KUNIT_CASE(dirty_throttle_keep_busy),
	KUNIT_CASE(dirty_throttle_bg_writeback_due),
	KUNIT_CASE(dirty_throttle_ratelimit_step_rule),
	KUNIT_CASE(dirty_throttle_ratelimit_bounds),
	KUNIT_CASE(dirty_throttle_dirty_limit),
	KUNIT_CASE(dirty_throttle_max_pause),
	KUNIT_CASE(dirty_throttle_min_pause),
	KUNIT_CASE(dirty_throttle_poll_interval),
	KUNIT_CASE(dirty_throttle_step_freerun),
	KUNIT_CASE(dirty_throttle_step_pause),
	KUNIT_CASE(dirty_throttle_step_period_carry),
	KUNIT_CASE(dirty_throttle_step_think_time),
	KUNIT_CASE(dirty_throttle_random_model),
	{}
};

static struct kunit_suite dirty_throttle_suite = {
	.name = "dirty_throttle",
	.test_cases = dirty_throttle_cases,
};
kunit_test_suite(dirty_throttle_suite);
