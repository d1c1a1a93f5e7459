/*
 * mm/backing-dev.h - a backing device's writeback state and the IO-less
 * dirty throttling control law (Linux's backing-dev.h and
 * balance_dirty_pages, Fengguang Wu, 3.2). docs/mm/writeback.md.
 *
 * The contract:
 *  - Every mapping that can be written back belongs to one
 *    struct bdi_writeback (mapping->wb): its block device's, or
 *    noop_bdi's for mappings with no store of their own (tests, the
 *    initramfs). Dirty pages are counted per node (NR_FILE_DIRTY,
 *    NR_WRITEBACK) and per wb (WB_RECLAIMABLE, WB_WRITEBACK), and the
 *    wb's dirty mappings are on its list, oldest first.
 *  - One flusher thread per registered bdi writes its dirty pages: in
 *    the background when dirty memory passes the background threshold,
 *    periodically what expired, and everything when asked (sync).
 *  - A writer never issues I/O to throttle itself: after dirtying it
 *    calls balance_dirty_pages_ratelimited(), which may only sleep (a
 *    pause computed from the wb's dirty_ratelimit and the position
 *    ratio, at most MAX_PAUSE_MS). A fatal signal ends the sleep.
 *  - The control law's arithmetic (wb_position_ratio,
 *    wb_update_write_bandwidth, wb_update_dirty_ratelimit, wb_max_pause,
 *    wb_min_pause) is pure: it reads a struct dirty_throttle_control and
 *    a wb and writes results, with time passed in, so the host tests
 *    drive it with a simulated device and a simulated clock.
 *
 * Units: pages and pages per second; time in ms of clock_ns() unless the
 * name says _ns; ratios are fixed point with RATELIMIT_CALC_SHIFT bits.
 */
#ifndef MM_BACKING_DEV_H
#define MM_BACKING_DEV_H

#include "kernel/lib/list.h"
#include "kernel/spinlock.h"
#include "kernel/thread.h"
#include "kernel/types.h"
#include "kernel/wait.h"

struct address_space;

#define RATELIMIT_CALC_SHIFT	10	/* pos_ratio 1.0 = 1 << 10 */
#define BANDWIDTH_INTERVAL_MS	200	/* bandwidth and ratelimit updates */
#define MAX_PAUSE_MS		200	/* a writer's longest sleep */
#define DIRTY_POLL_THRESH	32	/* pages: 128 KiB between looks */
#define BW_PERIOD_MS		4096	/* write_bw's averaging window */
/* A bandwidth interval longer than this measures nothing (the device
 * was idle for most of it; wb_update_bandwidth): Linux's quiet period. */
#define WB_QUIET_MS	1000
#define COMPLETIONS_PERIOD_MS	3000	/* a device's share halves per period */
#define INIT_BW			(100 * 1024 * 1024 / 4096)	/* 100 MiB/s */

enum wb_stat_item {
	WB_RECLAIMABLE,		/* dirty pages of this wb's mappings */
	WB_WRITEBACK,		/* under writeback */
	WB_DIRTIED,		/* ever dirtied (the dirty rate) */
	WB_WRITTEN,		/* ever written (the write bandwidth) */
	NR_WB_STAT_ITEMS
};

/* A device's recent share of writeback completions (Linux's flex
 * proportions): events halve every COMPLETIONS_PERIOD_MS, lazily. */
struct wb_completions {
	unsigned long events;		/* this period's, decayed */
	unsigned long period;		/* the global period events is of */
};

struct bdi_writeback {
	struct backing_dev_info *bdi;
	long stat[NR_WB_STAT_ITEMS];	/* atomic */

	/* The mappings with dirty pages, oldest dirtied_when first. */
	spinlock_t list_lock;
	struct list_head b_dirty;

	/* The control law's state, under bw_lock; updated at most every
	 * BANDWIDTH_INTERVAL_MS, only while the device is busy. */
	spinlock_t bw_lock;
	uint64_t bw_time_stamp;		/* ms of the last update */
	unsigned long dirtied_stamp;	/* WB_DIRTIED then */
	unsigned long written_stamp;	/* WB_WRITTEN then */
	unsigned long write_bandwidth;	/* pages/s, smoothed over BW_PERIOD */
	unsigned long avg_write_bandwidth;	/* and once more (spikes) */
	unsigned long bw_history;	/* ms measured, up to BW_PERIOD_MS:
					 * the initial guess weighs nothing */
	bool bw_busy_at_stamp;		/* writing when the stamps were set:
					 * the first measurement needs it */
	bool flushing;			/* its flusher is in a background or
					 * write-all pass */
	unsigned long dirty_ratelimit;	/* pages/s a single dirtier may dirty
					 * at pos_ratio 1: stepped_ratelimit,
					 * at most avg_write_bandwidth */
	unsigned long stepped_ratelimit;	/* the rate the step rule
						 * moves, before that cap */
	unsigned long balanced_dirty_ratelimit;	/* its estimate now */
	bool dirty_exceeded;		/* over its limit: poll more often */
	uint64_t last_completion;	/* ms of its last finished page, or
					 * of the first in flight after idle */
	struct wb_completions completions;

	/* The flusher (mm/writeback_kthread.c). */
	unsigned long work;		/* WB_WORK_* bits, atomic */
	unsigned long nr_background;	/* background passes run */
	unsigned long nr_periodic;	/* expired-inode passes run */
	unsigned long nr_pauses;	/* writers paused on it */
	unsigned long nr_looks;		/* balance_dirty_pages rounds */
	void *flusher;			/* the thread; NULL: none */
	struct wait_queue_head flusher_wait;	/* it sleeps here */
	uint64_t last_old_flush;	/* ms of the last periodic pass */
};

#define WB_WORK_BACKGROUND	0	/* over the background threshold */
#define WB_WORK_ALL		1	/* write everything (sync, reclaim) */

struct backing_dev_info {
	char name[16];			/* "vda" */
	struct bdi_writeback wb;	/* one per device here (no cgroups) */
	unsigned int min_ratio;		/* % of the dirty limit it is sure of */
	unsigned int max_ratio;		/* % it may use at most (100) */
	bool registered;		/* has a flusher and counts in shares */
	struct list_head bdi_list;
};

/* Mappings without a device of their own write back through this one
 * (registered from the start; its flusher is "flush-none"). */
extern struct backing_dev_info noop_bdi;
/* Set by the flushers (mm/writeback_kthread.c): start bdi's thread. */
extern void (*bdi_register_hook)(struct backing_dev_info *bdi);

/* Set up bdi named name (its flusher starts when bdi_register runs in
 * the kernel, or now if the flushers are up). */
void bdi_init(struct backing_dev_info *bdi, const char *name);
void bdi_register(struct backing_dev_info *bdi);
/* Off the list (host tests' disks; nothing dirty, no flusher). */
void bdi_unregister(struct backing_dev_info *bdi);
void bdi_for_each(void (*fn)(struct backing_dev_info *bdi, void *arg),
		  void *arg);
struct backing_dev_info *bdi_find(const char *name);
/* Its state in Linux's debugfs bdi/NAME/stats format, on the console. */
void bdi_show(struct backing_dev_info *bdi);
/* min_ratio/max_ratio: 0 or -EINVAL (the sum of min_ratios stays < 100,
 * min <= max <= 100). */
int bdi_set_min_ratio(struct backing_dev_info *bdi, unsigned int ratio);
int bdi_set_max_ratio(struct backing_dev_info *bdi, unsigned int ratio);

static inline void wb_stat_mod(struct bdi_writeback *wb,
			       enum wb_stat_item item, long delta)
{
	__atomic_fetch_add(&wb->stat[item], delta, __ATOMIC_RELAXED);
}
static inline unsigned long wb_stat(const struct bdi_writeback *wb,
				    enum wb_stat_item item)
{
	long v = __atomic_load_n(&wb->stat[item], __ATOMIC_RELAXED);

	return v > 0 ? (unsigned long)v : 0;
}

/*
 * A device is stalled when it has pages under writeback and has finished
 * none for WB_STALL_MS (a dead disk, a server gone). Writers to other
 * devices then leave its pages out of their dirty count and out of the
 * dirtyable memory (dirty_stalled_elsewhere), so one stuck device cannot
 * hold every writer at the global limit: a departure from Linux, which
 * lets such writers through one short pause at a time.
 */
#define WB_STALL_MS	1000
bool wb_stalled(const struct bdi_writeback *wb, uint64_t now_ms);
/* The dirty + writeback pages of the stalled devices other than wb. */
unsigned long dirty_stalled_elsewhere(const struct bdi_writeback *wb,
				      uint64_t now_ms);

/* A page of wb's finished writeback: its share of completions grows. */
void wb_writeout_inc(struct bdi_writeback *wb, uint64_t now_ms);
/* wb's share of recent completions, as numerator/denominator. */
void wb_writeout_fraction(struct bdi_writeback *wb, uint64_t now_ms,
			  unsigned long *numerator,
			  unsigned long *denominator);

/* ------------------------------------------------------ the control law */

/*
 * One look at the dirty state, as balance_dirty_pages takes it: the
 * global domain's numbers, then this wb's line within it.
 */
struct dirty_throttle_control {
	unsigned long avail;		/* dirtyable memory */
	unsigned long dirty;		/* NR_FILE_DIRTY + NR_WRITEBACK */
	unsigned long thresh;		/* dirty_ratio of avail (or _bytes) */
	unsigned long bg_thresh;	/* dirty_background_ratio of avail */
	unsigned long limit;		/* the hard limit (thresh, slowly
					 * following it down) */
	unsigned long wb_dirty;		/* this wb's dirty + writeback */
	unsigned long wb_thresh;	/* its share of thresh */
	unsigned long wb_bg_thresh;	/* its share of bg_thresh */
	unsigned long pos_ratio;	/* << RATELIMIT_CALC_SHIFT */
	unsigned long wb_setpoint;	/* where the wb line crosses 1.0 */
};

/* The global domain's hard limit: follows thresh up at once and down
 * by 1/32 of the gap per BANDWIDTH_INTERVAL (Linux's dirty_limit). */
extern unsigned long global_dirty_limit;
/*
 * Percent of the position curve that is linear instead of cubic
 * (vm.dirty_pos_linear; 0 is Linux's pure cube): pos_ratio = 1 +
 * (1 - w) x^3 + w x, x = (setpoint - dirty) / (limit - setpoint).
 */
extern unsigned int dirty_pos_linear;

static inline unsigned long dirty_freerun_ceiling(unsigned long thresh,
						  unsigned long bg_thresh)
{
	return (thresh + bg_thresh) / 2;
}
static inline unsigned long hard_dirty_limit(unsigned long limit,
					     unsigned long thresh)
{
	return limit > thresh ? limit : thresh;
}
static inline unsigned long dirty_setpoint(unsigned long thresh,
					   unsigned long bg_thresh,
					   unsigned long limit)
{
	return (dirty_freerun_ceiling(thresh, bg_thresh) + limit) / 2;
}

/* 1 + ((setpoint - dirty) / (limit - setpoint))^3, clamped to [0, 2]. */
unsigned long pos_ratio_polynom(unsigned long setpoint, unsigned long dirty,
				unsigned long limit);
/* dtc->pos_ratio from the global curve times wb's line (wb_thresh,
 * wb_dirty filled in; write_bw: wb's avg_write_bandwidth). */
void wb_position_ratio(struct dirty_throttle_control *dtc,
		       unsigned long write_bw);
/* wb's thresholds from its share of completions and min/max_ratio. */
unsigned long wb_calc_thresh(struct bdi_writeback *wb, unsigned long thresh,
			     uint64_t now_ms);
/* The bandwidth (written pages since the last update, elapsed ms). */
void wb_update_write_bandwidth(struct bdi_writeback *wb,
			       unsigned long elapsed_ms,
			       unsigned long written);
/* dirty_ratelimit one step towards balanced_dirty_ratelimit. */
void wb_update_dirty_ratelimit(struct bdi_writeback *wb,
			       const struct dirty_throttle_control *dtc,
			       unsigned long dirtied,
			       unsigned long elapsed_ms);
/* Both, and the hard limit, if BANDWIDTH_INTERVAL_MS has passed. */
void wb_update_bandwidth(struct bdi_writeback *wb,
			 struct dirty_throttle_control *dtc,
			 uint64_t now_ms, bool update_ratelimit);
/* The device went idle then busy: start the next estimate now, so idle
 * time does not read as low bandwidth. */
void wb_bandwidth_estimate_start(struct bdi_writeback *wb, uint64_t now_ms);
unsigned long wb_max_pause(const struct bdi_writeback *wb,
			   unsigned long wb_dirty);
unsigned long wb_min_pause(const struct bdi_writeback *wb,
			   unsigned long max_pause,
			   unsigned long task_ratelimit,
			   unsigned long dirty_ratelimit,
			   int *nr_dirtied_pause);
/* Pages that may be dirtied between looks below the freerun ceiling. */
unsigned long dirty_poll_interval(unsigned long dirty, unsigned long thresh);

/* A dirtier's state: struct dirty_throttle_task, in struct thread
 * (kernel/thread.h); the host tests keep one per simulated writer. */

/* What one balance_dirty_pages round decided (also traced). */
struct bdp_decision {
	long pause_ms;			/* sleep this long (0: none) */
	long period_ms;			/* what the pages were worth */
	unsigned long task_ratelimit;
	bool throttled;			/* above freerun: the law applied */
	bool again;			/* sleep, then look again */
};

/*
 * One round of balance_dirty_pages for a writer that dirtied
 * t->nr_dirtied pages of wb, at now_ms, with the dirty state in dtc
 * (avail, dirty, thresh, bg_thresh filled in by the caller; who names
 * the writer in the trace):
 * updates t and wb, returns the pause. Pure apart from wb's state: the
 * kernel's loop (balance_dirty_pages) sleeps on its result; the host
 * simulation advances its clock.
 */
void balance_dirty_pages_step(struct bdi_writeback *wb,
			      struct dirty_throttle_task *t,
			      struct dirty_throttle_control *dtc,
			      uint64_t now_ms, unsigned int who,
			      struct bdp_decision *d);

/* ----------------------------------------------------- the flushers */

/* Set by mm/writeback_kthread.c: ask wb's flusher for work (a WB_WORK_*
 * bit) and wake it. Any context. */
extern void (*wb_wakeup_hook)(struct bdi_writeback *wb, unsigned int work);
/* Set by mm/writeback_kthread.c: sleep ms (killable); false when a fatal
 * signal is pending. NULL (the host): balance_dirty_pages never sleeps. */
extern bool (*dirty_pause_hook)(struct bdi_writeback *wb, unsigned long ms);
/* One round of a flusher's work; pages written (mm/page-writeback.c). */
unsigned long wb_do_writeback(struct bdi_writeback *wb);
/* wb_writeback, wb_writeback_expired: mm/filemap.h (they take its
 * writeback modes). */
/* Pages of one mapping a background pass writes before the next's. */
unsigned long wb_writeback_chunk(const struct bdi_writeback *wb);
bool wb_over_bg_thresh(struct bdi_writeback *wb);
/* Its rule on numbers: dirty (global) against bg, the device's dirty
 * (reclaimable) against its share of bg (wb_bg); a device under its
 * share has work over the global threshold only with min_batch dirty. */
bool bg_writeback_due(unsigned long dirty, unsigned long bg,
		      unsigned long reclaimable, unsigned long wb_bg,
		      unsigned long min_batch);
/* A chunk dirty and under half a chunk in flight: write now anyway. */
bool wb_keep_busy(struct bdi_writeback *wb);
void wb_start_background_writeback(struct bdi_writeback *wb);

/* ---------------------------------------------------------- the trace */

enum wb_trace_type {
	WB_TRACE_BDP,		/* a balance_dirty_pages round */
	WB_TRACE_RATELIMIT,	/* a dirty_ratelimit update */
	WB_TRACE_SAMPLE,	/* the 100 ms sampler */
	WB_TRACE_MARK,		/* a label (bdi) put in from the console */
};

/* One event; every field in pages, pages/s or ms. */
struct wb_trace_event {
	uint64_t time_ns;
	uint8_t type;			/* enum wb_trace_type */
	char bdi[8];
	unsigned int who;		/* thread id (0: none) */
	unsigned long dirty, writeback;	/* global NR_FILE_DIRTY, NR_WRITEBACK */
	unsigned long bg_thresh, thresh, limit, setpoint;
	unsigned long wb_dirty, wb_thresh, wb_setpoint;
	unsigned long pos_ratio;	/* << RATELIMIT_CALC_SHIFT */
	unsigned long task_ratelimit, dirty_ratelimit;
	unsigned long balanced_dirty_ratelimit, write_bw, avg_write_bw;
	unsigned long dirty_rate;	/* RATELIMIT: measured over the interval */
	long pause_ms, period_ms;
	unsigned long nr_dirtied;	/* BDP: pages this round */
	unsigned long total_dirtied;	/* BDP: the writer's progress */
};

/* Record ev when tracing is on (a no-op otherwise): cheap, any context. */
void wb_trace(const struct wb_trace_event *ev);

#endif
