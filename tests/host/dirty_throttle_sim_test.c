/*
 * tests/host/dirty_throttle_sim_test.c - the IO-less dirty throttling law
 * (mm/backing-dev.c) driving a simulated device on a virtual clock:
 * issue 15's "a simulated device on the host whose bandwidth steps from
 * 8 to 2 to 32 MiB/s".
 *
 * The machine: 512 MiB, avail 120000 pages of dirtyable memory, thresh
 * 20% = 24000 pages, bg 10% = 12000, so freerun 18000 and the setpoint
 * 21000 (dirty + writeback). One ms a tick, no threads:
 *  - the device completes its bandwidth's pages each ms (8 MiB/s = 2048
 *    pages/s, then 2 MiB/s = 512, then 32 MiB/s = 8192, 30 s each) from
 *    a queue of QUEUE_PAGES under writeback; each completion is
 *    WB_WRITEBACK -1, WB_WRITTEN +1 and wb_writeout_inc;
 *  - the flusher, while NR_FILE_DIRTY is over bg_thresh (Linux's
 *    wb_over_bg_thresh), keeps the queue full, and after each chunk
 *    (wb_writeback_chunk: half a second of the bandwidth) calls
 *    wb_update_bandwidth(wb, NULL, now, false), as wb_do_writeback does;
 *  - N writers (1 or 2) dirty as fast as their CPU lets them
 *    (CPU_PAGES_PER_MS), WB_RECLAIMABLE and WB_DIRTIED +1 a page, and
 *    after nr_dirtied_pause pages (8 when the device is over its limit,
 *    as balance_dirty_pages_ratelimited) run balance_dirty_pages_step
 *    and sleep the pause it returns (its next run is now + pause).
 * What is asserted, per bandwidth step (the figures and bounds are in
 * the comments at the assertions and in the kunit_info lines):
 *  - dirty_ratelimit converges to bandwidth / N within a stated number
 *    of 200 ms periods and stays within the band;
 *  - the dirty pool (dirty + writeback) returns to the setpoint and stays
 *    within a stated band of it;
 *  - two writers get 0.49-0.51 of the progress each;
 *  - no pause is longer than MAX_PAUSE_MS;
 *  - after the first second the device is never idle.
 * A one-line-a-second trace (kunit_info) shows the run. A third case
 * starts the device fast (FAST_START_*: its first 400 busy ms at 10 MiB/s,
 * as QEMU's throttle lets an idle disk take a burst, which issue 15's
 * benchmark measured at 2509 pages/s in the first 200 ms) and asks the
 * estimate and the pool to be within 2% 5 s in, where the benchmark's
 * steady state begins. A fourth starts it slow (its first 400 busy ms
 * at 800 pages/s, as a loaded host measured 796) and asks the same of
 * the pool, and the rate within 10% of the device's.
 */
#include "tests/host/host.h"
#include "kernel/kunit.h"
#include "kernel/lib/string.h"
#include "mm/backing-dev.h"

#include <stdlib.h>

#define SIM_AVAIL	120000UL
#define SIM_THRESH	24000UL
#define SIM_BG		12000UL
#define SIM_SETPOINT	21000UL
#define PHASE_MS	30000UL
#define NR_PHASES	3
#define SIM_MS		(NR_PHASES * PHASE_MS)
#define PERIOD_MS	BANDWIDTH_INTERVAL_MS
#define NR_PERIODS	(SIM_MS / PERIOD_MS)
#define QUEUE_PAGES	256UL	/* 1 MiB under writeback at most */
#define CPU_PAGES_PER_MS 64	/* an unthrottled writer: 256 MiB/s */

#define FAST_START_BW	2560UL	/* 10 MiB/s: dirty_throttle_sim_fast_start */
#define SLOW_START_BW	800UL	/* 3.1 MiB/s: dirty_throttle_sim_slow_start */

/* pages/s: 8, 2, 32 MiB/s of 4 KiB pages */
static const unsigned long phase_bw[NR_PHASES] = { 2048, 512, 8192 };

struct sim_writer {
	struct dirty_throttle_task t;
	uint64_t next_run;		/* ms, relative */
	bool again;			/* look again before dirtying */
};

struct sim {
	struct backing_dev_info bdi;
	uint64_t base;			/* the virtual clock's 0, in ms */
	unsigned long nr_dirty, nr_writeback;
	unsigned long dev_credit;	/* pages * 1000 owed by the device */
	unsigned long start_ms;		/* busy ms left at start_bw */
	unsigned long start_bw;
	unsigned long chunk_left;	/* pages until the flusher's update */
	int nr_writers;
	struct sim_writer w[2];
	long max_pause;
	unsigned long nr_pauses;
	unsigned long idle_ms;		/* device idle after the first second */
	unsigned long pool_peak;	/* the highest dirty + writeback */
	unsigned long limit_ms;		/* ms with the pool at the limit */
	unsigned long last_pos_ratio, last_task_ratelimit;
	long last_pause;
	/* per 200 ms period: dirty_ratelimit at its end, the pool's range */
	unsigned long rl[NR_PERIODS];
	unsigned long avg_bw[NR_PERIODS];	/* avg_write_bandwidth */
	unsigned long pool_min[NR_PERIODS], pool_max[NR_PERIODS];
	unsigned long progress[NR_PHASES + 1][2];	/* at phase starts */
	unsigned long bal_end[NR_PHASES];	/* balanced at a phase's end */
};

static struct sim sim;

static void sim_dirty_page(struct sim *s, struct sim_writer *w)
{
	struct bdi_writeback *wb = &s->bdi.wb;

	if (!s->nr_dirty && !s->nr_writeback)
		/* an idle device gets dirty pages: as mapping_mark_dirty */
		wb_bandwidth_estimate_start(wb, s->base);
	wb_stat_mod(wb, WB_RECLAIMABLE, 1);
	wb_stat_mod(wb, WB_DIRTIED, 1);
	s->nr_dirty++;
	w->t.nr_dirtied++;
	w->t.total_dirtied++;
}

/* One balance_dirty_pages round for writer i at rel ms now. */
static void sim_balance(struct kunit *test, struct sim *s, int i,
			uint64_t now)
{
	struct sim_writer *w = &s->w[i];
	struct dirty_throttle_control dtc = {
		.avail = SIM_AVAIL,
		.dirty = s->nr_dirty + s->nr_writeback,
		.thresh = SIM_THRESH,
		.bg_thresh = SIM_BG,
	};
	struct bdp_decision d;

	balance_dirty_pages_step(&s->bdi.wb, &w->t, &dtc, s->base + now,
				 (unsigned int)i + 1, &d);
	if (d.throttled) {
		s->last_pos_ratio = dtc.pos_ratio;
		s->last_task_ratelimit = d.task_ratelimit;
	}
	if (d.pause_ms > s->max_pause)
		s->max_pause = d.pause_ms;
	if (d.pause_ms < 0)
		KUNIT_FAIL(test, "t=%llu ms: pause %ld", (unsigned long long)now,
			   d.pause_ms);
	w->again = false;
	if (d.pause_ms > 0) {
		s->last_pause = d.pause_ms;
		s->nr_pauses++;
		w->next_run = now + (uint64_t)d.pause_ms;
		w->again = d.again;
	}
}

/* Writer i dirties one page if it is not asleep; false if it is. The
 * writers run on CPUs of their own, so the loop interleaves them page by
 * page, CPU_PAGES_PER_MS each a ms. */
static bool sim_writer_page(struct kunit *test, struct sim *s, int i,
			    uint64_t now)
{
	struct sim_writer *w = &s->w[i];
	int ratelimit = w->t.nr_dirtied_pause ? w->t.nr_dirtied_pause :
			DIRTY_POLL_THRESH;

	if (now < w->next_run)
		return false;
	if (w->again) {
		sim_balance(test, s, i, now);
		if (now < w->next_run)
			return false;
	}
	sim_dirty_page(s, w);
	if (s->bdi.wb.dirty_exceeded && ratelimit > 8)
		ratelimit = 8;	/* as balance_dirty_pages_ratelimited */
	if (w->t.nr_dirtied >= ratelimit)
		sim_balance(test, s, i, now);
	return true;
}

static void sim_device(struct sim *s, uint64_t now, unsigned long bw)
{
	struct bdi_writeback *wb = &s->bdi.wb;
	unsigned long n;

	if (!s->nr_writeback) {
		s->dev_credit = 0;	/* idle time is lost */
		if (now >= 1000)
			s->idle_ms++;
		return;
	}
	if (s->start_ms) {
		s->start_ms--;
		bw = s->start_bw;
	}
	s->dev_credit += bw;
	n = min(s->dev_credit / 1000, s->nr_writeback);
	s->dev_credit -= n * 1000;
	for (unsigned long i = 0; i < n; i++) {
		s->nr_writeback--;
		wb_stat_mod(wb, WB_WRITEBACK, -1);
		wb_stat_mod(wb, WB_WRITTEN, 1);
		wb_writeout_inc(wb, s->base + now);
	}
}

static void sim_flusher(struct sim *s, uint64_t now)
{
	struct bdi_writeback *wb = &s->bdi.wb;

	while (s->nr_dirty > SIM_BG && s->nr_writeback < QUEUE_PAGES) {
		s->nr_dirty--;
		s->nr_writeback++;
		wb_stat_mod(wb, WB_RECLAIMABLE, -1);
		wb_stat_mod(wb, WB_WRITEBACK, 1);
		if (!s->chunk_left || !--s->chunk_left) {
			wb_update_bandwidth(wb, NULL, s->base + now, false);
			s->chunk_left = wb_writeback_chunk(wb);
		}
	}
}

static void sim_trace(struct kunit *test, struct sim *s, uint64_t now,
		      unsigned long bw)
{
	struct bdi_writeback *wb = &s->bdi.wb;

	kunit_info(test, "t=%2llus dev %4lu bw %4lu avg %4lu rl %4lu bal %4lu task %4lu pos %4lu pool %5lu (sp %lu) dirty %5lu wb %3lu pause %3ld w1 %6lu w2 %6lu",
		   (unsigned long long)(now / 1000), bw, wb->write_bandwidth,
		   wb->avg_write_bandwidth, wb->dirty_ratelimit,
		   wb->balanced_dirty_ratelimit, s->last_task_ratelimit,
		   s->last_pos_ratio, s->nr_dirty + s->nr_writeback,
		   SIM_SETPOINT, s->nr_dirty, s->nr_writeback, s->last_pause,
		   s->w[0].t.total_dirtied, s->w[1].t.total_dirtied);
}

/* Run the whole 90 s with nr_writers writers; fills sim. start_ms: the
 * device's first busy ms, written at start_bw pages/s. */
static void sim_run(struct kunit *test, struct sim *s, int nr_writers,
		    uint64_t base, unsigned long start_ms,
		    unsigned long start_bw)
{
	unsigned long saved_limit = global_dirty_limit;
	unsigned int saved_linear = dirty_pos_linear;
	const char *linear = getenv("DIRTY_POS_LINEAR");

	/* The lab's knob (docs/labs/04-writeback.md): DIRTY_POS_LINEAR=0
	 * runs Linux's pure cube, which this test is expected to fail. */
	if (linear) {
		dirty_pos_linear = (unsigned int)atoi(linear);
		kunit_info(test, "DIRTY_POS_LINEAR: the position curve is %u%% "
			   "linear", dirty_pos_linear);
	}
	memset(s, 0, sizeof(*s));
	s->base = base;
	s->nr_writers = nr_writers;
	s->start_ms = start_ms;
	s->start_bw = start_bw;
	bdi_init(&s->bdi, nr_writers == 1 ? "sim1" : "sim2");
	bdi_register(&s->bdi);
	global_dirty_limit = SIM_THRESH;
	for (uint64_t now = 0; now < SIM_MS; now++) {
		unsigned int phase = (unsigned int)(now / PHASE_MS);
		unsigned long bw = phase_bw[phase];
		unsigned long pool, p = (unsigned long)(now / PERIOD_MS);

		if (now % PHASE_MS == 0)
			for (int i = 0; i < 2; i++)
				s->progress[phase][i] = s->w[i].t.total_dirtied;
		sim_device(s, now, bw);
		sim_flusher(s, now);
		for (int n = 0; n < CPU_PAGES_PER_MS; n++)
			for (int k = 0; k < nr_writers; k++)
				sim_writer_page(test, s, (k + n) % nr_writers,
						now);
		pool = s->nr_dirty + s->nr_writeback;
		s->pool_peak = max(s->pool_peak, pool);
		if (pool >= SIM_THRESH)
			s->limit_ms++;
		if (now % PERIOD_MS == 0 || pool < s->pool_min[p])
			s->pool_min[p] = pool;
		if (now % PERIOD_MS == 0 || pool > s->pool_max[p])
			s->pool_max[p] = pool;
		if (now % PERIOD_MS == PERIOD_MS - 1) {
			s->rl[p] = s->bdi.wb.dirty_ratelimit;
			s->avg_bw[p] = s->bdi.wb.avg_write_bandwidth;
		}
		if (now % 1000 == 999)
			sim_trace(test, s, now, bw);
		if (now % PHASE_MS == PHASE_MS - 1)
			s->bal_end[phase] = s->bdi.wb.balanced_dirty_ratelimit;
	}
	for (int i = 0; i < 2; i++)
		s->progress[NR_PHASES][i] = s->w[i].t.total_dirtied;
	/* Drain: nothing may be left accounted to the device. */
	wb_stat_mod(&s->bdi.wb, WB_RECLAIMABLE, -(long)s->nr_dirty);
	wb_stat_mod(&s->bdi.wb, WB_WRITEBACK, -(long)s->nr_writeback);
	bdi_unregister(&s->bdi);
	global_dirty_limit = saved_limit;
	dirty_pos_linear = saved_linear;
}

/*
 * The first period of phase ph from which every later period of the
 * phase has the rate within band_pct of bw / N, counted in periods from
 * the step; NR_PERIODS when it never settles.
 */
static unsigned long settle(const unsigned long *v, int ph,
			    unsigned long target, unsigned long band_pct)
{
	unsigned long first = ph * PHASE_MS / PERIOD_MS;
	unsigned long end = first + PHASE_MS / PERIOD_MS;
	unsigned long settled = end;

	for (unsigned long p = end; p-- > first;) {
		unsigned long d = v[p] > target ? v[p] - target : target - v[p];

		if (d * 100 > target * band_pct)
			break;
		settled = p;
	}
	return settled == end ? NR_PERIODS : settled - first;
}

static unsigned long rl_settle(const struct sim *s, int ph,
			       unsigned long band_pct)
{
	return settle(s->rl, ph, phase_bw[ph] / (unsigned long)s->nr_writers,
		      band_pct);
}

/* The same for the pool against the setpoint, with its whole range in
 * each period. */
static unsigned long pool_settle(const struct sim *s, int ph,
				 unsigned long band_pct)
{
	unsigned long first = ph * PHASE_MS / PERIOD_MS;
	unsigned long end = first + PHASE_MS / PERIOD_MS;
	unsigned long lo = SIM_SETPOINT - SIM_SETPOINT * band_pct / 100;
	unsigned long hi = SIM_SETPOINT + SIM_SETPOINT * band_pct / 100;
	unsigned long settled = end;

	for (unsigned long p = end; p-- > first;) {
		if (s->pool_min[p] < lo || s->pool_max[p] > hi)
			break;
		settled = p;
	}
	return settled == end ? NR_PERIODS : settled - first;
}

/* The largest deviation (per mille) over the phase's last half. */
static unsigned long rl_spread(const struct sim *s, int ph)
{
	unsigned long first = ph * PHASE_MS / PERIOD_MS + PHASE_MS / PERIOD_MS / 2;
	unsigned long end = (ph + 1) * PHASE_MS / PERIOD_MS;
	unsigned long target = phase_bw[ph] / (unsigned long)s->nr_writers;
	unsigned long worst = 0;

	for (unsigned long p = first; p < end; p++) {
		unsigned long d = s->rl[p] > target ? s->rl[p] - target :
			target - s->rl[p];

		worst = max(worst, d * 1000 / target);
	}
	return worst;
}

static unsigned long pool_spread(const struct sim *s, int ph)
{
	unsigned long first = ph * PHASE_MS / PERIOD_MS + PHASE_MS / PERIOD_MS / 2;
	unsigned long end = (ph + 1) * PHASE_MS / PERIOD_MS;
	unsigned long worst = 0;

	for (unsigned long p = first; p < end; p++) {
		unsigned long d = max(s->pool_max[p] > SIM_SETPOINT ?
				      s->pool_max[p] - SIM_SETPOINT : 0,
				      s->pool_min[p] < SIM_SETPOINT ?
				      SIM_SETPOINT - s->pool_min[p] : 0);

		worst = max(worst, d * 1000 / SIM_SETPOINT);
	}
	return worst;
}

/* Writer 0's share (per mille) of the progress made in phase ph. */
static unsigned long share(const struct sim *s, int ph)
{
	unsigned long a = s->progress[ph + 1][0] - s->progress[ph][0];
	unsigned long b = s->progress[ph + 1][1] - s->progress[ph][1];

	return a + b ? a * 1000 / (a + b) : 0;
}

/*
 * The bounds, for each bandwidth step (issue 15's "converges within a
 * stated number of 200 ms periods and the dirty pool returns to the
 * setpoint"):
 *  - RL_BAND_PCT, RL_SETTLE: dirty_ratelimit within 10% of bw / N by
 *    period 125 (25 s) after the step and until the next. Why 125: the
 *    write bandwidth estimate (4096 ms window, 200/4096 of the gap per
 *    period) alone needs ln(gap / 10%) * 4.1 s to come within 10%: 97
 *    periods for the first step (100 MiB/s initial estimate to 8), 70
 *    for 8 -> 2, 46 for 2 -> 32; 125 leaves 28 periods for the rate
 *    to follow the estimate.
 *  - POOL_BAND_PCT, POOL_SETTLE: dirty + writeback within 2% of the
 *    setpoint (issue 15's goal) by the same period, every ms after.
 *
 * What the law did when this was written (wb-core 09d9636; the lines
 * above each assertion print the same figures):
 *  - write_bw within 10% after 104, 78, 56 periods (steps 0, 1, 2);
 *  - dirty_ratelimit never within 10% of bw / N in any step: at the
 *    steps' ends 2295, 564, 6953 for bw / N 2048, 512, 8192 (one writer),
 *    1181, 285, 3637 for 1024, 256, 4096 (two);
 *  - the pool at the steps' ends 22352-22391 (+6.5%), 21617-21654
 *    (+3%), 19808-19872 (-5.5%), the same with two writers;
 *  - two writers' shares 48.6% in step 0 (both at the hard limit in
 *    turns for the first 10 s), 49.8%, 49.3%;
 *  - longest pause 167 ms (one writer), 200 ms (two); never idle.
 * Two causes, each shown by changing the law (not committed): the
 * period, 1000 * pages / task_ratelimit, is cut to whole ms, so at
 * 32 MiB/s a writer runs 67 pages in 8 ms for 8.99 and dirties 11%
 * faster than task_ratelimit: balanced settles at 7302, not 8192
 * (rounded to the nearest ms: 8167); and the step's shift stops the
 * rate ~6% from balanced (1 page/s a period), where pos_ratio has to
 * hold the pool off the setpoint (the cube is flat: 2% of the setpoint
 * is pos_ratio 1 +- 0.003). With both changed the rate settles in 81-116
 * periods and the pool within 2% in 131-135 in steps 1 and 2.
 */
#define RL_BAND_PCT	10
#define RL_SETTLE	125
#define POOL_BAND_PCT	2
#define POOL_SETTLE	125

static void sim_check(struct kunit *test, const struct sim *s)
{
	for (int ph = 0; ph < NR_PHASES; ph++) {
		unsigned long first = ph * PHASE_MS / PERIOD_MS;
		unsigned long last = first + PHASE_MS / PERIOD_MS - 1;
		unsigned long k_rl = rl_settle(s, ph, RL_BAND_PCT);
		unsigned long k_pool = pool_settle(s, ph, POOL_BAND_PCT);

		kunit_info(test, "%d writer(s), step %d to %lu pages/s: write_bw within 10%% after %lu periods; dirty_ratelimit within 10%% of %lu after %lu (5%%: %lu), at the end %lu, balanced %lu",
			   s->nr_writers, ph, phase_bw[ph],
			   settle(s->avg_bw, ph, phase_bw[ph], 10),
			   phase_bw[ph] / (unsigned long)s->nr_writers, k_rl,
			   rl_settle(s, ph, 5), s->rl[last], s->bal_end[ph]);
		kunit_info(test, "  pool within 2%% of %lu after %lu periods (5%%: %lu), %lu-%lu at the end; last 15 s: rate off <= %lu.%lu%%, pool <= %lu.%lu%%; writer 1's share %lu.%lu%%",
			   SIM_SETPOINT, k_pool, pool_settle(s, ph, 5),
			   s->pool_min[last], s->pool_max[last],
			   rl_spread(s, ph) / 10, rl_spread(s, ph) % 10,
			   pool_spread(s, ph) / 10, pool_spread(s, ph) % 10,
			   share(s, ph) / 10, share(s, ph) % 10);
		if (k_rl > RL_SETTLE)
			KUNIT_FAIL(test, "step %d (%lu pages/s, %d writer(s)): dirty_ratelimit not within %d%% of %lu from period %d on (it is %lu at the end; %lu periods = never within this phase)",
				   ph, phase_bw[ph], s->nr_writers, RL_BAND_PCT,
				   phase_bw[ph] / (unsigned long)s->nr_writers,
				   RL_SETTLE, s->rl[last], (unsigned long)NR_PERIODS);
		if (k_pool > POOL_SETTLE)
			KUNIT_FAIL(test, "step %d (%lu pages/s, %d writer(s)): dirty + writeback not within %d%% of the setpoint %lu from period %d on (%lu-%lu in the last period)",
				   ph, phase_bw[ph], s->nr_writers,
				   POOL_BAND_PCT, SIM_SETPOINT, POOL_SETTLE,
				   s->pool_min[last], s->pool_max[last]);
		if (s->nr_writers == 2) {
			KUNIT_EXPECT_GE(test, share(s, ph), 490UL);
			KUNIT_EXPECT_LE(test, share(s, ph), 510UL);
		}
		(void)first;
	}
	kunit_info(test, "longest pause %ld ms (of %lu pauses); device idle %lu ms after the first second; the pool peaked at %lu (limit %lu) and was at or over the limit for %lu ms",
		   s->max_pause, s->nr_pauses, s->idle_ms, s->pool_peak,
		   SIM_THRESH, s->limit_ms);
	KUNIT_EXPECT_LE(test, s->max_pause, (long)MAX_PAUSE_MS);
	KUNIT_EXPECT_EQ(test, s->idle_ms, 0UL);
}

static void dirty_throttle_sim_one_writer(struct kunit *test)
{
	sim_run(test, &sim, 1, 1ULL << 48, 0, 0);
	sim_check(test, &sim);
}

static void dirty_throttle_sim_two_writers(struct kunit *test)
{
	sim_run(test, &sim, 2, (1ULL << 48) + (1ULL << 32), 0, 0);
	sim_check(test, &sim);
}

/*
 * The device's first 400 busy ms at 10 MiB/s, then 8. The estimate must
 * not keep the fast start: by FAST_START_SETTLE periods (5 s, where the
 * benchmark's steady state begins) avg_write_bandwidth is within 2% of
 * the device's rate and the pool within 2% of the setpoint, both for the
 * rest of the step. Before avg_write_bandwidth followed write_bandwidth
 * while the window filled, Linux's spike filter kept the start's rate in
 * it for seconds (the benchmark: the pool 3-5% high for the first 4 s
 * of the steady state); here that was 34 periods for the estimate and 30
 * for the pool, now 19 and 25.
 */
#define FAST_START_MS		400UL
#define FAST_START_SETTLE	25UL

static void dirty_throttle_sim_fast_start(struct kunit *test)
{
	unsigned long k, k_avg;

	sim_run(test, &sim, 1, (1ULL << 48) + (2ULL << 32), FAST_START_MS,
		FAST_START_BW);
	k = pool_settle(&sim, 0, POOL_BAND_PCT);
	k_avg = settle(sim.avg_bw, 0, phase_bw[0], 2);
	kunit_info(test, "first busy %lu ms at %lu pages/s, then %lu: avg_write_bandwidth within 2%% after %lu periods, the pool within 2%% of %lu after %lu",
		   FAST_START_MS, (unsigned long)FAST_START_BW, phase_bw[0],
		   k_avg, SIM_SETPOINT, k);
	KUNIT_EXPECT_LE(test, k_avg, FAST_START_SETTLE);
	KUNIT_EXPECT_LE(test, k, FAST_START_SETTLE);
	sim_check(test, &sim);
}

/*
 * The other way: the device's first 400 busy ms at 800 pages/s, then
 * 2048. The first measurement sets the estimate alone (no old guess in
 * it), so it reads ~800, and the rate, capped at the estimate, is cut to
 * it. Issue 15's benchmark on a loaded host did this: the first 324 ms
 * measured 796 pages/s (4 MiB requests completing in lumps), the rate
 * was cut to 796, and from there Linux's step rule (the rate goes up
 * only as far as task_ratelimit = rate * pos_ratio, by 1/8 of the gap)
 * needed 10 s to climb back: the pool sat 4-9% below the setpoint until
 * 11 s. Asked: the pool within 2% of the setpoint by FAST_START_SETTLE
 * periods, as for the fast start, and the rate within RL_BAND_PCT of
 * the device's by then (within 5% it cannot be so soon: the estimate's
 * window still holds the slow start, 1948 pages/s at 5 s). With the cut
 * written into the rate: the pool 57 periods, the rate 38; now 15 and
 * 12 (docs/mm/writeback.md, "Departures").
 */
static void dirty_throttle_sim_slow_start(struct kunit *test)
{
	unsigned long k, k_rl;

	sim_run(test, &sim, 1, (1ULL << 48) + (3ULL << 32), FAST_START_MS,
		SLOW_START_BW);
	k = pool_settle(&sim, 0, POOL_BAND_PCT);
	k_rl = rl_settle(&sim, 0, RL_BAND_PCT);
	kunit_info(test, "first busy %lu ms at %lu pages/s, then %lu: dirty_ratelimit within %d%% after %lu periods, the pool within 2%% of %lu after %lu",
		   FAST_START_MS, (unsigned long)SLOW_START_BW, phase_bw[0],
		   RL_BAND_PCT, k_rl, SIM_SETPOINT, k);
	KUNIT_EXPECT_LE(test, k_rl, FAST_START_SETTLE);
	KUNIT_EXPECT_LE(test, k, FAST_START_SETTLE);
	sim_check(test, &sim);
}

static struct kunit_case dirty_throttle_sim_cases[] = {
	KUNIT_CASE(dirty_throttle_sim_one_writer),
	KUNIT_CASE(dirty_throttle_sim_two_writers),
	KUNIT_CASE(dirty_throttle_sim_fast_start),
	KUNIT_CASE(dirty_throttle_sim_slow_start),
	{}
};

static struct kunit_suite dirty_throttle_sim_suite = {
	.name = "dirty_throttle_sim",
	.test_cases = dirty_throttle_sim_cases,
};
kunit_test_suite(dirty_throttle_sim_suite);
