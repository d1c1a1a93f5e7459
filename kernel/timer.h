/*
 * kernel/timer.h - kernel timers: call a function at a tick in the future,
 * once or every `period` ticks.
 *
 *	static void fire(struct timer_list *t) { ... }
 *	struct timer_list t;
 *	timer_setup(&t, fire);
 *	mod_timer(&t, jiffies + msecs_to_jiffies(50));	// once, in 50 ms
 *	timer_start_periodic(&t, msecs_to_jiffies(10));	// every 10 ms
 *	del_timer_sync(&t);				// stopped, not running
 *
 * Resolution is the tick (HZ = 100: 10 ms). A timer fires on the first
 * tick at or after `expires`. Callbacks run on CPU 0 in interrupt context
 * (interrupts off): they must not sleep; they may wake threads, queue
 * work, and re-arm their own timer with mod_timer().
 */
#ifndef KERNEL_TIMER_H
#define KERNEL_TIMER_H

#include "kernel/types.h"
#include "kernel/time.h"

struct timer_list {
	uint64_t expires;			/* jiffies */
	void (*function)(struct timer_list *);
	uint64_t period;			/* ticks; 0: one-shot */
	struct timer_list *next;
	bool pending;				/* in the list */
	bool armed;				/* wanted: periodic re-arm */
};

static inline uint64_t msecs_to_jiffies(uint64_t ms)
{
	return DIV_ROUND_UP(ms * HZ, 1000);
}

void timer_setup(struct timer_list *t, void (*fn)(struct timer_list *));
/* Arm (or move) a one-shot timer to fire at `expires`. Returns whether it
 * was pending before. Any context. */
bool mod_timer(struct timer_list *t, uint64_t expires);
/* Fire every `period` ticks from now (period >= 1). */
void timer_start_periodic(struct timer_list *t, uint64_t period);
/* Disarm; returns whether it was pending. The callback may still be
 * running on CPU 0 when this returns. Any context. */
bool del_timer(struct timer_list *t);
/* Disarm and wait until the callback is not running. May spin; not from
 * the timer's own callback. */
bool del_timer_sync(struct timer_list *t);
static inline bool timer_pending(const struct timer_list *t)
{
	return READ_ONCE(t->pending);
}

/* Called by timer_tick() on CPU 0: run the timers that are due. */
void run_timers(void);

#endif
