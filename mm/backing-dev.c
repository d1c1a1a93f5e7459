/*
 * mm/backing-dev.c - backing devices' writeback state and the IO-less
 * dirty throttling control law (mm/backing-dev.h has the contract;
 * docs/mm/writeback.md walks through it with plots).
 *
 * The law in one paragraph. Each device (bdi_writeback) measures how
 * fast it writes (write_bandwidth, every 200 ms while busy) and keeps a
 * rate, dirty_ratelimit, at which one writer may dirty pages when dirty
 * memory sits exactly at the setpoint. A writer that dirtied N pages
 * sleeps N / task_ratelimit seconds, where task_ratelimit =
 * dirty_ratelimit * pos_ratio and pos_ratio, the position ratio, is 1
 * at the setpoint, above 1 below it (write faster) and below 1 above it
 * (slower), reaching 0 at the hard limit. Every 200 ms dirty_ratelimit
 * moves towards balanced_dirty_ratelimit = task_ratelimit * write_bw /
 * dirty_rate: the rate that would make the writers together dirty
 * exactly as fast as the device writes. So the rate finds the device's
 * speed and the position ratio pulls dirty memory to the setpoint.
 *
 * Everything here is arithmetic on a struct dirty_throttle_control and
 * a wb with the time passed in: the kernel's balance_dirty_pages
 * (mm/page-writeback.c) sleeps on the result; the host tests run it
 * against a simulated device and clock (tests/host/dirty_throttle_test.c).
 */
#include "mm/backing-dev.h"
#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "kernel/printk.h"
#include "kernel/time.h"
#include "mm/filemap.h"
#include "mm/mm.h"

/*
 * Every bdi, noop_bdi first. noop_bdi is set up statically (mappings are
 * made before any init function could run) and registered from the
 * start: its flusher writes the mappings that have no device (tests'
 * stores, the block-device-less file systems).
 */
static struct list_head bdi_list;
struct backing_dev_info noop_bdi = {
	.name = "none",
	.max_ratio = 100,
	.registered = true,
	.bdi_list = { .next = &bdi_list, .prev = &bdi_list },
	.wb = {
		.bdi = &noop_bdi,
		.list_lock = SPINLOCK_INIT("wb list"),
		.b_dirty = LIST_HEAD_INIT(noop_bdi.wb.b_dirty),
		.bw_lock = SPINLOCK_INIT("wb bandwidth"),
		.write_bandwidth = INIT_BW,
		.avg_write_bandwidth = INIT_BW,
		.dirty_ratelimit = INIT_BW,
		.stepped_ratelimit = INIT_BW,
		.balanced_dirty_ratelimit = INIT_BW,
		.flusher_wait = WAIT_QUEUE_HEAD_INIT(noop_bdi.wb.flusher_wait),
	},
};
static struct list_head bdi_list = {
	.next = &noop_bdi.bdi_list, .prev = &noop_bdi.bdi_list
};
static spinlock_t bdi_lock = SPINLOCK_INIT("bdi list");
static unsigned int bdi_min_ratio_sum;	/* %, of every bdi; < 100 */
void (*bdi_register_hook)(struct backing_dev_info *bdi);

unsigned long global_dirty_limit;
static uint64_t dirty_limit_stamp;	/* ms of its last update */
unsigned int dirty_pos_linear = 75;

/* ------------------------------------------------------------ helpers */

static unsigned int ilog2_ul(unsigned long x)
{
	return x ? (unsigned int)(63 - __builtin_clzl(x)) : 0;
}

/* a * b / c without overflow (c > 0). */
static unsigned long mul_div(unsigned long a, unsigned long b,
			     unsigned long c)
{
	return (unsigned long)((unsigned __int128)a * b / c);
}

/* ---------------------------------------------------- the bdi registry */

void bdi_init(struct backing_dev_info *bdi, const char *name)
{
	struct bdi_writeback *wb = &bdi->wb;

	memset(bdi, 0, sizeof(*bdi));
	strlcpy(bdi->name, name, sizeof(bdi->name));
	bdi->max_ratio = 100;
	INIT_LIST_HEAD(&bdi->bdi_list);
	wb->bdi = bdi;
	spin_lock_init(&wb->list_lock, "wb list");
	spin_lock_init(&wb->bw_lock, "wb bandwidth");
	INIT_LIST_HEAD(&wb->b_dirty);
	init_waitqueue_head(&wb->flusher_wait, "flusher");
	wb->write_bandwidth = INIT_BW;
	wb->avg_write_bandwidth = INIT_BW;
	wb->dirty_ratelimit = INIT_BW;
	wb->stepped_ratelimit = INIT_BW;
	wb->balanced_dirty_ratelimit = INIT_BW;
}

void bdi_register(struct backing_dev_info *bdi)
{
	void (*hook)(struct backing_dev_info *bdi);
	unsigned long flags;

	spin_lock_irqsave(&bdi_lock, flags);
	if (bdi->registered) {
		spin_unlock_irqrestore(&bdi_lock, flags);
		return;
	}
	bdi->registered = true;
	list_add_tail(&bdi->bdi_list, &bdi_list);
	spin_unlock_irqrestore(&bdi_lock, flags);
	hook = READ_ONCE(bdi_register_hook);
	if (hook)
		hook(bdi);	/* the flushers are up: start this one's */
}

/* A device that goes away (the host tests' disk files; the kernel's
 * block devices stay): it must have nothing dirty and no flusher. */
void bdi_unregister(struct backing_dev_info *bdi)
{
	unsigned long flags;

	spin_lock_irqsave(&bdi_lock, flags);
	if (bdi->registered) {
		list_del_init(&bdi->bdi_list);
		bdi->registered = false;
	}
	spin_unlock_irqrestore(&bdi_lock, flags);
}

/* The kernel's bdis are never unregistered (block devices stay), so the
 * list is walked without the lock (fn may sleep). */
void bdi_for_each(void (*fn)(struct backing_dev_info *bdi, void *arg),
		  void *arg)
{
	struct backing_dev_info *bdi;

	list_for_each_entry(bdi, &bdi_list, bdi_list)
		fn(bdi, arg);
}

struct backing_dev_info *bdi_find(const char *name)
{
	struct backing_dev_info *bdi;

	list_for_each_entry(bdi, &bdi_list, bdi_list)
		if (!strcmp(bdi->name, name))
			return bdi;
	return NULL;
}

int bdi_set_min_ratio(struct backing_dev_info *bdi, unsigned int ratio)
{
	unsigned long flags;
	int ret = 0;

	spin_lock_irqsave(&bdi_lock, flags);
	if (ratio > bdi->max_ratio) {
		ret = -EINVAL;
	} else if (ratio > bdi->min_ratio) {
		if (bdi_min_ratio_sum + ratio - bdi->min_ratio >= 100)
			ret = -EINVAL;
		else
			bdi_min_ratio_sum += ratio - bdi->min_ratio;
	} else {
		bdi_min_ratio_sum -= bdi->min_ratio - ratio;
	}
	if (!ret)
		bdi->min_ratio = ratio;
	spin_unlock_irqrestore(&bdi_lock, flags);
	return ret;
}

int bdi_set_max_ratio(struct backing_dev_info *bdi, unsigned int ratio)
{
	unsigned long flags;
	int ret = 0;

	if (ratio > 100)
		return -EINVAL;
	spin_lock_irqsave(&bdi_lock, flags);
	if (bdi->min_ratio > ratio)
		ret = -EINVAL;
	else
		bdi->max_ratio = ratio;
	spin_unlock_irqrestore(&bdi_lock, flags);
	return ret;
}

/*
 * What Linux's debugfs bdi/NAME/stats shows, in its format (kB, kBps),
 * plus the control law's rates and the flusher's counts.
 */
void bdi_show(struct backing_dev_info *bdi)
{
	struct bdi_writeback *wb = &bdi->wb;
	unsigned long bg, thresh, wb_thresh, nr_dirty = 0, flags;
	struct address_space *m;
	uint64_t now = clock_ns() / 1000000;

	global_dirty_limits(&bg, &thresh);
	wb_thresh = wb_calc_thresh(wb, thresh, now);
	spin_lock_irqsave(&wb->list_lock, flags);
	list_for_each_entry(m, &wb->b_dirty, dirty_link)
		nr_dirty++;
	spin_unlock_irqrestore(&wb->list_lock, flags);
#define K(pages) ((pages) * (PAGE_SIZE / 1024))
	printk("bdi %s:\n", bdi->name);
	printk("BdiWriteback:       %10lu kB\n", K(wb_stat(wb, WB_WRITEBACK)));
	printk("BdiReclaimable:     %10lu kB\n", K(wb_stat(wb, WB_RECLAIMABLE)));
	printk("BdiDirtyThresh:     %10lu kB\n", K(wb_thresh));
	printk("DirtyThresh:        %10lu kB\n", K(thresh));
	printk("BackgroundThresh:   %10lu kB\n", K(bg));
	printk("BdiDirtied:         %10lu kB\n", K(wb_stat(wb, WB_DIRTIED)));
	printk("BdiWritten:         %10lu kB\n", K(wb_stat(wb, WB_WRITTEN)));
	printk("BdiWriteBandwidth:  %10lu kBps\n", K(wb->avg_write_bandwidth));
	printk("DirtyRatelimit:     %10lu kBps\n", K(wb->dirty_ratelimit));
	printk("BalancedDirtyRatelimit: %6lu kBps\n",
	       K(wb->balanced_dirty_ratelimit));
	printk("b_dirty:            %10lu\n", nr_dirty);
	printk("min_ratio:          %10u\n", bdi->min_ratio);
	printk("max_ratio:          %10u\n", bdi->max_ratio);
	printk("flusher:            %10s\n", wb->flusher ? "running" : "none");
	printk("background_passes:  %10lu\n", wb->nr_background);
	printk("periodic_passes:    %10lu\n", wb->nr_periodic);
	printk("writer_looks:       %10lu\n", wb->nr_looks);
	printk("writer_pauses:      %10lu\n", wb->nr_pauses);
#undef K
}

/* ------------------------------------------- shares of the completions */

/*
 * Each device's share of the dirty limit follows its share of recent
 * writeback completions (Linux's flex proportions): a completion counts
 * 1 in the current period; when a period (COMPLETIONS_PERIOD_MS) ends,
 * every count halves. Periods are numbered by the clock, and counts are
 * decayed when next touched, so nothing needs a timer. One lock: a
 * completion takes it once a page, in interrupt context.
 */
static spinlock_t completions_lock = SPINLOCK_INIT("wb completions");
static struct wb_completions completions_all;

static void completions_age(struct wb_completions *c, unsigned long period)
{
	unsigned long gap = period - c->period;

	c->events = gap >= 64 ? 0 : c->events >> gap;
	c->period = period;
}

void wb_writeout_inc(struct bdi_writeback *wb, uint64_t now_ms)
{
	unsigned long period = (unsigned long)(now_ms / COMPLETIONS_PERIOD_MS);
	unsigned long flags;

	spin_lock_irqsave(&completions_lock, flags);
	completions_age(&completions_all, period);
	completions_age(&wb->completions, period);
	completions_all.events++;
	wb->completions.events++;
	spin_unlock_irqrestore(&completions_lock, flags);
	WRITE_ONCE(wb->last_completion, now_ms);
}

bool wb_stalled(const struct bdi_writeback *wb, uint64_t now_ms)
{
	uint64_t last = READ_ONCE(wb->last_completion);

	return wb_stat(wb, WB_WRITEBACK) && now_ms > last + WB_STALL_MS;
}

struct stalled_args {
	const struct bdi_writeback *self;
	uint64_t now_ms;
	unsigned long pages;
};

static void add_if_stalled(struct backing_dev_info *bdi, void *arg)
{
	struct stalled_args *a = arg;
	struct bdi_writeback *wb = &bdi->wb;

	if (wb != a->self && wb_stalled(wb, a->now_ms))
		a->pages += wb_stat(wb, WB_RECLAIMABLE) +
			    wb_stat(wb, WB_WRITEBACK);
}

unsigned long dirty_stalled_elsewhere(const struct bdi_writeback *wb,
				      uint64_t now_ms)
{
	struct stalled_args a = { .self = wb, .now_ms = now_ms };

	bdi_for_each(add_if_stalled, &a);
	return a.pages;
}

void wb_writeout_fraction(struct bdi_writeback *wb, uint64_t now_ms,
			  unsigned long *numerator,
			  unsigned long *denominator)
{
	unsigned long period = (unsigned long)(now_ms / COMPLETIONS_PERIOD_MS);
	unsigned long flags;

	spin_lock_irqsave(&completions_lock, flags);
	completions_age(&completions_all, period);
	completions_age(&wb->completions, period);
	*numerator = wb->completions.events;
	*denominator = completions_all.events ? completions_all.events : 1;
	if (*numerator > *denominator)
		*numerator = *denominator;
	spin_unlock_irqrestore(&completions_lock, flags);
}

/* -------------------------------------------------------- the limits */

/*
 * wb's share of thresh: what is left after every device's min_ratio, in
 * proportion to its completions, plus its own min_ratio, at most its
 * max_ratio (Linux's __wb_calc_thresh).
 */
unsigned long wb_calc_thresh(struct bdi_writeback *wb, unsigned long thresh,
			     uint64_t now_ms)
{
	struct backing_dev_info *bdi = wb->bdi;
	unsigned long num, den, wb_thresh;

	wb_writeout_fraction(wb, now_ms, &num, &den);
	wb_thresh = thresh * (100 - READ_ONCE(bdi_min_ratio_sum)) / 100;
	wb_thresh = mul_div(wb_thresh, num, den);
	wb_thresh += thresh * bdi->min_ratio / 100;
	if (wb_thresh > thresh * bdi->max_ratio / 100)
		wb_thresh = thresh * bdi->max_ratio / 100;
	return wb_thresh;
}

/* ----------------------------------------------------- position ratio */

unsigned long pos_ratio_polynom(unsigned long setpoint, unsigned long dirty,
				unsigned long limit)
{
	long long x, pos_ratio;

	/* x = (setpoint - dirty) / (limit - setpoint), fixed point; the
	 * cube keeps the rate flat near the setpoint and steep near the
	 * edges, so small wobbles do not move writers much. */
	x = ((long long)setpoint - (long long)dirty) *
	    (1LL << RATELIMIT_CALC_SHIFT) /
	    ((long long)limit - (long long)setpoint + 1);
	/* |x| >= 1 already gives 0 or 2: clamp so the cube cannot
	 * overflow when limit - setpoint is a few pages. */
	if (x > 2LL << RATELIMIT_CALC_SHIFT)
		x = 2LL << RATELIMIT_CALC_SHIFT;
	if (x < -(2LL << RATELIMIT_CALC_SHIFT))
		x = -(2LL << RATELIMIT_CALC_SHIFT);
	pos_ratio = x;
	pos_ratio = pos_ratio * x >> RATELIMIT_CALC_SHIFT;
	pos_ratio = pos_ratio * x >> RATELIMIT_CALC_SHIFT;
	/* Our departure (dirty_pos_linear, docs/mm/writeback.md): part of
	 * the cube is replaced by x itself. Same ends (2 at freerun, 0 at
	 * the limit) but a slope at the setpoint, so the pool is pulled
	 * back to it instead of resting wherever the rate left it. */
	pos_ratio = (pos_ratio * (100 - (long long)dirty_pos_linear) +
		     x * (long long)dirty_pos_linear) / 100;
	pos_ratio += 1LL << RATELIMIT_CALC_SHIFT;
	if (pos_ratio < 0)
		pos_ratio = 0;
	if (pos_ratio > 2LL << RATELIMIT_CALC_SHIFT)
		pos_ratio = 2LL << RATELIMIT_CALC_SHIFT;
	return (unsigned long)pos_ratio;
}

/*
 * The global curve times the device's line (Linux's wb_position_ratio):
 *
 *  global: pos_ratio_polynom(setpoint, dirty, limit), 0 at the limit.
 *  device: a line through (wb_setpoint, 1.0) falling to 0 at x_intercept
 *          = wb_setpoint + span, where wb_setpoint is the global setpoint
 *          scaled by the device's share and span is its share of
 *          (thresh - wb_thresh + 8 * write_bw): a fast device gets a
 *          shallow line (it drains quickly, so wobbles matter less),
 *          beyond x_intercept - span/4 a quarter (a floor, so a device
 *          over its share still moves). Below wb_thresh/2 the ratio is
 *          raised (up to 8x) so a device with few dirty pages gets
 *          enough to keep busy.
 */
void wb_position_ratio(struct dirty_throttle_control *dtc,
		       unsigned long write_bw)
{
	unsigned long freerun = dirty_freerun_ceiling(dtc->thresh,
						      dtc->bg_thresh);
	unsigned long limit = dtc->limit;
	unsigned long setpoint, wb_thresh, x, span, x_intercept;
	unsigned long pos_ratio;

	dtc->pos_ratio = 0;
	dtc->wb_setpoint = 0;
	if (dtc->dirty >= limit)
		return;
	setpoint = (freerun + limit) / 2;
	pos_ratio = pos_ratio_polynom(setpoint, dtc->dirty, limit);

	wb_thresh = dtc->wb_thresh;
	if (wb_thresh > dtc->thresh)
		wb_thresh = dtc->thresh;
	/* a device with little share still gets a line of some length */
	wb_thresh = max(wb_thresh, (limit - dtc->dirty) / 8);
	x = (unsigned long)(((unsigned __int128)wb_thresh << 16) /
			    (dtc->thresh | 1));
	dtc->wb_setpoint = setpoint * x >> 16;
	span = (unsigned long)((unsigned __int128)(dtc->thresh - wb_thresh +
						   8 * write_bw) * x >> 16);
	x_intercept = dtc->wb_setpoint + span;
	if (dtc->wb_dirty < x_intercept - span / 4)
		pos_ratio = mul_div(pos_ratio, x_intercept - dtc->wb_dirty,
				    (x_intercept - dtc->wb_setpoint) | 1);
	else
		pos_ratio /= 4;

	x_intercept = wb_thresh / 2;
	if (dtc->wb_dirty < x_intercept) {
		if (dtc->wb_dirty > x_intercept / 8)
			pos_ratio = mul_div(pos_ratio, x_intercept,
					    dtc->wb_dirty);
		else
			pos_ratio *= 8;
	}
	dtc->pos_ratio = pos_ratio;
}

/* ---------------------------------------------------------- bandwidth */

/*
 * write_bandwidth: the pages written in elapsed_ms, as a rate, averaged
 * with the old estimate over BW_PERIOD_MS (a 4 s window); then
 * avg_write_bandwidth follows it only when both moved the same way (a
 * filter against single spikes).
 *
 * Departure from Linux: Linux weighs its initial guess (100 MiB/s) as a
 * full window of history, so on an 8 MiB/s disk the estimate needs some
 * 20 s to come down and the writers overfill the pool meanwhile. Here
 * the old estimate weighs only as much history as was measured
 * (bw_history), so the first interval sets the estimate and the window
 * fills as Linux's from then on. And until that window is full, avg is
 * write_bandwidth itself: Linux's filter (avg moves 1/8 of its gap, and
 * only while the two move the same way) guards a long history against a
 * spike, but in the first seconds it only kept the first interval, the
 * one most likely to be a spike. Measured (issue 15's benchmark, x86_64):
 * QEMU's throttle lets an idle disk take a burst, the first 200 ms read
 * 2509 pages/s on a 2048 pages/s disk, and with the filter avg took 5 s
 * to come down to 2346 while write_bandwidth was at ~2070 within a
 * second; the rate (capped at avg) stayed 15% high and the pool sat 3-5%
 * over the setpoint for the first 4 s of the steady state.
 */
void wb_update_write_bandwidth(struct bdi_writeback *wb,
			       unsigned long elapsed_ms,
			       unsigned long written)
{
	unsigned long avg = wb->avg_write_bandwidth;
	unsigned long old = wb->write_bandwidth;
	unsigned long pages = written - min(written, wb->written_stamp);
	unsigned long long bw = (unsigned long long)pages * 1000;
	unsigned long history;

	if (elapsed_ms >= BW_PERIOD_MS) {
		bw /= elapsed_ms;
		avg = (unsigned long)bw;
		wb->bw_history = BW_PERIOD_MS;
		goto out;
	}
	history = min(wb->bw_history, BW_PERIOD_MS - elapsed_ms);
	bw += (unsigned long long)old * history;
	bw /= elapsed_ms + history;
	if (wb->bw_history < BW_PERIOD_MS) {
		/* The window is still filling: bw is the plain average of
		 * all that was measured, with no old guess in it, so avg is
		 * bw (see the comment above the function). */
		avg = (unsigned long)bw;
	} else {
		if (avg > old && old >= (unsigned long)bw)
			avg -= (avg - old) >> 3;
		if (avg < old && old <= (unsigned long)bw)
			avg += (old - avg) >> 3;
	}
	wb->bw_history = min(wb->bw_history + elapsed_ms,
			     (unsigned long)BW_PERIOD_MS);
out:
	wb->write_bandwidth = (unsigned long)bw;
	wb->avg_write_bandwidth = max(avg, 1UL);
}

/* The hard limit follows thresh: up at once, down by 1/32 of the gap an
 * interval (never below what is dirty now), so a sudden fall of the
 * dirtyable memory does not stop every writer at once. */
static void update_dirty_limit(const struct dirty_throttle_control *dtc,
			       uint64_t now_ms)
{
	unsigned long thresh = dtc->thresh;
	unsigned long limit = READ_ONCE(global_dirty_limit);
	uint64_t stamp = READ_ONCE(dirty_limit_stamp);

	/* Once an interval for the whole domain, not once per device. */
	if (now_ms < stamp + BANDWIDTH_INTERVAL_MS && limit >= thresh)
		return;
	WRITE_ONCE(dirty_limit_stamp, now_ms);

	if (limit < thresh) {
		WRITE_ONCE(global_dirty_limit, thresh);
		return;
	}
	thresh = max(thresh, dtc->dirty);
	if (limit > thresh)
		WRITE_ONCE(global_dirty_limit, limit - ((limit - thresh) >> 5));
}

/* The fields both trace events take from the dirty state and the wb
 * (after an update: the rates are the new ones). */
static void trace_fill(struct wb_trace_event *ev, enum wb_trace_type type,
		       const struct bdi_writeback *wb,
		       const struct dirty_throttle_control *dtc)
{
	memset(ev, 0, sizeof(*ev));
	ev->type = (uint8_t)type;
	strlcpy(ev->bdi, wb->bdi->name, sizeof(ev->bdi));
	ev->dirty = dtc->dirty;
	ev->bg_thresh = dtc->bg_thresh;
	ev->thresh = dtc->thresh;
	ev->limit = dtc->limit;
	ev->setpoint = dirty_setpoint(dtc->thresh, dtc->bg_thresh, dtc->limit);
	ev->wb_dirty = dtc->wb_dirty;
	ev->wb_thresh = dtc->wb_thresh;
	ev->wb_setpoint = dtc->wb_setpoint;
	ev->pos_ratio = dtc->pos_ratio;
	ev->dirty_ratelimit = wb->dirty_ratelimit;
	ev->balanced_dirty_ratelimit = wb->balanced_dirty_ratelimit;
	ev->write_bw = wb->write_bandwidth;
	ev->avg_write_bw = wb->avg_write_bandwidth;
}

/*
 * One step of dirty_ratelimit (Linux's wb_update_dirty_ratelimit).
 *
 * balanced = task_ratelimit * write_bw / dirty_rate: if N writers each
 * run at task_ratelimit, dirty_rate is N * task_ratelimit, so balanced
 * is write_bw / N * (1 / pos_ratio-ish): the rate that matches the
 * device. It is noisy, so the rate does not jump to it: it moves only
 * when balanced, the last balanced and task_ratelimit all lie on the
 * same side (towards the setpoint), by 1/8 of the smallest gap (Linux
 * scales small steps down further, see below), so it settles instead of
 * chasing noise.
 *
 * Departures from Linux, both about the start, when the rate is still
 * the initial guess (100 MiB/s) and the device's estimate is young:
 *  - Writers get the stepped rate capped at the device's write
 *    bandwidth (dirty_ratelimit = min(stepped_ratelimit, avg)). One
 *    writer never needs to dirty faster than the device writes
 *    (balanced is capped so already), so the rate starts at the
 *    device's speed instead of stepping down from 100 MiB/s for 20 s;
 *    the position ratio (up to 2, and 8 for a device below half its
 *    share) still lets writers refill a pool that ran low.
 *  - The cap is not written into the stepped rate, so a rate cut by a
 *    low early estimate comes back as the estimate rises. Written into
 *    it (as this code did first), the rate could only climb back by the
 *    step rule, no further than task_ratelimit = rate * pos_ratio and
 *    1/8 of that a period: on a loaded host the benchmark's first 324 ms
 *    read 796 pages/s on a 2048 pages/s disk (4 MiB requests complete
 *    in lumps), the rate took 10 s to climb back and the pool sat 4-9%
 *    under the setpoint meanwhile. Where the estimates agree the rate
 *    must come down, what lies over twice the device's rate goes at
 *    once rather than by eighths (else two writers, each needing half
 *    the device, wait ~5 s for the guess to come down by steps). Twice:
 *    the first estimates measured on that disk were 0.39 to 1.2 of its
 *    rate, and one as low as half still leaves the stepped rate at the
 *    device's.
 */
void wb_update_dirty_ratelimit(struct bdi_writeback *wb,
			       const struct dirty_throttle_control *dtc,
			       unsigned long dirtied,
			       unsigned long elapsed_ms)
{
	unsigned long freerun = dirty_freerun_ceiling(dtc->thresh,
						      dtc->bg_thresh);
	unsigned long setpoint = (freerun + dtc->limit) / 2;
	unsigned long write_bw = wb->avg_write_bandwidth;
	unsigned long stepped = wb->stepped_ratelimit;
	unsigned long dirty_rate, task_ratelimit, balanced, step = 0, x;
	struct wb_trace_event ev;

	if (!elapsed_ms)
		return;
	dirty_rate = (dirtied - min(dirtied, wb->dirtied_stamp)) * 1000 /
		     elapsed_ms;
	task_ratelimit = (unsigned long)((unsigned __int128)wb->dirty_ratelimit *
					 dtc->pos_ratio >> RATELIMIT_CALC_SHIFT);
	task_ratelimit++;	/* lets a tiny rate grow again */
	balanced = mul_div(task_ratelimit, write_bw, dirty_rate | 1);
	if (balanced > write_bw)
		balanced = write_bw;	/* one writer cannot beat the disk */

	if (dtc->dirty < setpoint) {
		x = min(min(wb->balanced_dirty_ratelimit, balanced),
			task_ratelimit);
		if (stepped < x)
			step = x - stepped;
	} else {
		x = max(max(wb->balanced_dirty_ratelimit, balanced),
			task_ratelimit);
		if (stepped > x) {
			/* Coming down, what lies over twice the device's rate
			 * goes at once (see above). */
			stepped = min(stepped, max(2 * write_bw, x));
			step = stepped - x;
		}
	}
	/* Linux damps small steps further (step >> (rate / (2 step + 1)))
	 * "not to pursue 100% rate matching", which leaves the rate some 6%
	 * off and the pool held off the setpoint (host simulation, 8 and
	 * 32 MiB/s). Our departure: 1/8 of the gap always, when the three
	 * estimates agree; that agreement is the noise filter. */
	step = (step + 7) / 8;
	if (stepped < balanced)
		stepped += step;
	else
		stepped -= min(step, stepped);
	stepped = max(stepped, 1UL);
	wb->stepped_ratelimit = stepped;
	wb->dirty_ratelimit = max(min(stepped, write_bw), 1UL);
	wb->balanced_dirty_ratelimit = balanced;

	trace_fill(&ev, WB_TRACE_RATELIMIT, wb, dtc);
	ev.task_ratelimit = task_ratelimit;
	ev.dirty_rate = dirty_rate;
	ev.period_ms = (long)elapsed_ms;
	wb_trace(&ev);
}

void wb_update_bandwidth(struct bdi_writeback *wb,
			 struct dirty_throttle_control *dtc,
			 uint64_t now_ms, bool update_ratelimit)
{
	unsigned long flags, elapsed, dirtied, written;
	bool busy;

	spin_lock_irqsave(&wb->bw_lock, flags);
	elapsed = (unsigned long)(now_ms - wb->bw_time_stamp);
	if (now_ms < wb->bw_time_stamp || elapsed < BANDWIDTH_INTERVAL_MS) {
		spin_unlock_irqrestore(&wb->bw_lock, flags);
		return;
	}
	dirtied = wb_stat(wb, WB_DIRTIED);
	written = wb_stat(wb, WB_WRITTEN);
	busy = READ_ONCE(wb->flushing) || wb_stat(wb, WB_WRITEBACK);
	if ((written == wb->written_stamp && !busy) ||
	    (!wb->bw_history && !wb->bw_busy_at_stamp) ||
	    elapsed > WB_QUIET_MS) {
		/* Idle: nothing to measure (idle is not slow). The first
		 * measurement, which sets the estimate alone, must cover an
		 * interval busy from its start, not the flusher's ramp-up.
		 * And an interval longer than a second (Linux's "quiet
		 * period"): a busy device is looked at every 200 ms (its
		 * writers, its flusher between chunks), so the device was
		 * idle for most of it, and a few pages written somewhere in
		 * seconds of nothing (an inode's periodic write-back, the
		 * last completions of a sync) are not its speed. Measured
		 * over the whole gap they were: a disk that had just written
		 * 95 MB/s was estimated at 1.4-2.7 MB/s, and its next writer
		 * was throttled to that while the estimate climbed back (the
		 * fast disk beside the slow one, docs/benchmarks.md). */
		wb->dirtied_stamp = dirtied;
		wb->written_stamp = written;
		wb->bw_time_stamp = now_ms;
		wb->bw_busy_at_stamp = busy;
		spin_unlock_irqrestore(&wb->bw_lock, flags);
		return;
	}
	if (update_ratelimit && dtc) {
		update_dirty_limit(dtc, now_ms);
		wb_update_dirty_ratelimit(wb, dtc, dirtied, elapsed);
	}
	wb_update_write_bandwidth(wb, elapsed, written);
	wb->dirtied_stamp = dirtied;
	wb->written_stamp = written;
	wb->bw_time_stamp = now_ms;
	wb->bw_busy_at_stamp = busy;
	spin_unlock_irqrestore(&wb->bw_lock, flags);
}

/* Called when a device that was idle gets dirty pages: idle time is not
 * slow writing, so the next estimate starts now (only after more than a
 * second idle; a short gap is part of the measurement). */
void wb_bandwidth_estimate_start(struct bdi_writeback *wb, uint64_t now_ms)
{
	unsigned long flags;

	spin_lock_irqsave(&wb->bw_lock, flags);
	if (now_ms > wb->bw_time_stamp + 1000 &&
	    !wb_stat(wb, WB_WRITEBACK)) {
		wb->dirtied_stamp = wb_stat(wb, WB_DIRTIED);
		wb->written_stamp = wb_stat(wb, WB_WRITTEN);
		wb->bw_time_stamp = now_ms;
		wb->bw_busy_at_stamp = false;
	}
	spin_unlock_irqrestore(&wb->bw_lock, flags);
}

/* ------------------------------------------------------------- pauses */

/*
 * The longest pause: 1/8 of the time the device needs to write what this
 * device has dirty, at most MAX_PAUSE_MS. With a small dirty pool a long
 * sleep would let it run dry and the disk idle.
 */
unsigned long wb_max_pause(const struct bdi_writeback *wb,
			   unsigned long wb_dirty)
{
	unsigned long bw = wb->avg_write_bandwidth;
	unsigned long t = wb_dirty / (1 + bw / 128) + 1;

	return min(t, (unsigned long)MAX_PAUSE_MS);
}

/*
 * The shortest pause worth sleeping, and how many pages to dirty before
 * the next look (*nr_dirtied_pause): aim at 10 ms pauses (more with
 * many writers: hi - lo is about log2 of their number), sized from the
 * steady dirty_ratelimit; at least DIRTY_POLL_THRESH pages between looks.
 */
unsigned long wb_min_pause(const struct bdi_writeback *wb,
			   unsigned long max_pause,
			   unsigned long task_ratelimit,
			   unsigned long dirty_ratelimit,
			   int *nr_dirtied_pause)
{
	long hi = (long)ilog2_ul(wb->avg_write_bandwidth);
	long lo = (long)ilog2_ul(wb->dirty_ratelimit);
	long t = 10;		/* ms: the target pause with one writer */
	long pause;
	long pages;

	if (hi > lo)
		t += (hi - lo) * 10;
	t = min(t, 1 + (long)max_pause / 2);
	pages = (long)(dirty_ratelimit * (unsigned long)t / 1024);
	if (pages < DIRTY_POLL_THRESH) {
		t = (long)max_pause;
		pages = (long)(dirty_ratelimit * (unsigned long)t / 1024);
		if (pages > DIRTY_POLL_THRESH) {
			pages = DIRTY_POLL_THRESH;
			t = (long)(1000UL * DIRTY_POLL_THRESH /
				   (dirty_ratelimit | 1));
		}
	}
	pause = (long)(1000UL * (unsigned long)pages / (task_ratelimit + 1));
	if (pause > (long)max_pause) {
		t = (long)max_pause;
		pages = (long)(task_ratelimit * (unsigned long)t / 1024);
	}
	*nr_dirtied_pause = (int)max(pages, 1L);
	return (unsigned long)(pages >= DIRTY_POLL_THRESH ? 1 + t / 2 : t);
}

unsigned long dirty_poll_interval(unsigned long dirty, unsigned long thresh)
{
	if (thresh > dirty)
		return 1UL << (ilog2_ul(thresh - dirty) >> 1);
	return 1;
}

/* ------------------------------------------------ balance_dirty_pages */

static void trace_bdp(struct bdi_writeback *wb,
		      const struct dirty_throttle_task *t,
		      const struct dirty_throttle_control *dtc,
		      unsigned long pages, const struct bdp_decision *d,
		      unsigned int who)
{
	struct wb_trace_event ev;

	trace_fill(&ev, WB_TRACE_BDP, wb, dtc);
	ev.who = who;
	ev.task_ratelimit = d->task_ratelimit;
	ev.pause_ms = d->pause_ms;
	ev.period_ms = d->period_ms;
	ev.nr_dirtied = pages;
	ev.total_dirtied = t->total_dirtied;
	wb_trace(&ev);
}

void balance_dirty_pages_step(struct bdi_writeback *wb,
			      struct dirty_throttle_task *t,
			      struct dirty_throttle_control *dtc,
			      uint64_t now_ms, unsigned int who,
			      struct bdp_decision *d)
{
	unsigned long pages = (unsigned long)max(t->nr_dirtied, 0);
	unsigned long max_pause, min_pause, dirty_ratelimit;
	int nr_dirtied_pause;
	long period, pause;
	bool exceeded;

	memset(d, 0, sizeof(*d));
	dtc->limit = hard_dirty_limit(READ_ONCE(global_dirty_limit),
				      dtc->thresh);
	/* Below the freerun ceiling nobody is throttled: look again after
	 * a number of pages that shrinks as dirty nears the threshold. */
	if (dtc->dirty <= dirty_freerun_ceiling(dtc->thresh, dtc->bg_thresh)) {
		t->dirty_paused_when = now_ms;
		t->nr_dirtied = 0;
		t->nr_dirtied_pause = (int)dirty_poll_interval(dtc->dirty,
							       dtc->thresh);
		wb->dirty_exceeded = false;
		return;
	}
	d->throttled = true;
	dtc->wb_thresh = wb_calc_thresh(wb, dtc->thresh, now_ms);
	dtc->wb_bg_thresh = dtc->thresh ?
		mul_div(dtc->wb_thresh, dtc->bg_thresh, dtc->thresh) : 0;
	dtc->wb_dirty = wb_stat(wb, WB_RECLAIMABLE) + wb_stat(wb, WB_WRITEBACK);
	wb_position_ratio(dtc, wb->avg_write_bandwidth);
	exceeded = dtc->wb_dirty > dtc->wb_thresh && dtc->dirty > dtc->thresh;
	wb->dirty_exceeded = exceeded;
	wb_update_bandwidth(wb, dtc, now_ms, true);

	dirty_ratelimit = wb->dirty_ratelimit;
	d->task_ratelimit = (unsigned long)((unsigned __int128)dirty_ratelimit *
					    dtc->pos_ratio >>
					    RATELIMIT_CALC_SHIFT);
	max_pause = wb_max_pause(wb, dtc->wb_dirty);
	min_pause = wb_min_pause(wb, max_pause, d->task_ratelimit,
				 dirty_ratelimit, &nr_dirtied_pause);
	if (d->task_ratelimit == 0) {
		/* At or past the hard limit: the longest pause, then look
		 * again (the caller loops while the device drains). */
		period = (long)max_pause;
		pause = (long)max_pause;
		d->again = dtc->wb_dirty > 0;
		goto pause;
	}
	/* In µs, the remainders carried: cut to whole ms, a writer at
	 * 32 MiB/s dirtied 11% faster than its rate (67 pages in 8 ms,
	 * not 8.99), and the rate settled 11% off (host simulation). */
	{
		unsigned long us = 1000000UL * pages / d->task_ratelimit;

		t->period_carry_us += (unsigned int)(us % 1000);
		period = (long)(us / 1000);
		if (t->period_carry_us >= 1000) {
			t->period_carry_us -= 1000;
			period++;
		}
	}
	pause = period;
	/* Think-time credit: time since the last pause ended was spent
	 * not dirtying, so it counts towards this period. */
	if (t->dirty_paused_when)
		pause -= (long)(now_ms - t->dirty_paused_when);
	if (pause < (long)min_pause) {
		/* Too short to sleep: carry the debt (or the credit, up to
		 * a second) into the next round instead. */
		d->period_ms = period;
		trace_bdp(wb, t, dtc, pages, d, who);
		if (pause < -1000) {
			t->dirty_paused_when = now_ms;
			t->nr_dirtied = 0;
		} else if (period) {
			t->dirty_paused_when += (uint64_t)period;
			t->nr_dirtied = 0;
		} else if (t->nr_dirtied_pause <= (int)pages) {
			t->nr_dirtied_pause += (int)pages;
		}
		return;
	}
	if (pause > (long)max_pause) {
		/* A rate that dropped for a moment: sleep max_pause, count
		 * the rest as if slept (up to another max_pause). */
		now_ms += (uint64_t)min(pause - (long)max_pause,
					(long)max_pause);
		pause = (long)max_pause;
	}
pause:
	d->pause_ms = pause;
	d->period_ms = period;
	trace_bdp(wb, t, dtc, pages, d, who);
	wb->nr_pauses++;
	t->dirty_paused_when = now_ms + (uint64_t)pause;
	t->nr_dirtied = 0;
	t->nr_dirtied_pause = nr_dirtied_pause;
}
