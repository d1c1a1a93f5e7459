/*
 * kernel/wait.h - wait queues, completions.
 *
 * A wait queue is a list of sleeping threads waiting for a condition:
 *
 *	wait_event(wq, data_ready);		// sleeps until true
 *	long left = wait_event_timeout(wq, data_ready, 100);	// ms
 *	...
 *	data_ready = true;			// the waker, then:
 *	wake_up(&wq);
 *
 * The condition is checked after the thread is on the queue and marked
 * sleeping, so a wake-up between the check and the sleep is not lost.
 * Wake-ups may be spurious; the macros re-check the condition.
 *
 * A completion is a one-way event count: complete() / complete_all() by
 * the producer, wait_for_completion() by the consumer, as in Linux.
 * Waiting may sleep (might_sleep() checks the caller may); waking may be
 * done from any context, interrupts included.
 */
#ifndef KERNEL_WAIT_H
#define KERNEL_WAIT_H

#include "kernel/types.h"
#include "kernel/sched.h"
#include "kernel/spinlock.h"
#include "kernel/timer.h"

struct wait_queue_entry {
	struct thread *thread;
	struct wait_queue_entry *next, *prev;
	bool queued;
};

struct wait_queue_head {
	spinlock_t lock;
	struct wait_queue_entry list;	/* sentinel: circular list */
};

#define WAIT_QUEUE_HEAD_INIT(name) { .lock = SPINLOCK_INIT(#name), \
	.list = { .next = &(name).list, .prev = &(name).list } }
#define DECLARE_WAIT_QUEUE_HEAD(name) \
	struct wait_queue_head name = WAIT_QUEUE_HEAD_INIT(name)

void init_waitqueue_head(struct wait_queue_head *wq, const char *name);

/* Queue e (for current) on wq and mark current sleeping. */
void prepare_to_wait(struct wait_queue_head *wq, struct wait_queue_entry *e);
/* Mark current running and take e off wq (if a waker did not). */
void finish_wait(struct wait_queue_head *wq, struct wait_queue_entry *e);
/* Wake every waiter / the first one. Any context. */
void wake_up(struct wait_queue_head *wq);
void wake_up_one(struct wait_queue_head *wq);
/* Wake every waiter, from a waker about to sleep (wake_up_process_sync):
 * a pipe's ends. */
void wake_up_sync(struct wait_queue_head *wq);
bool waitqueue_active(struct wait_queue_head *wq);
/*
 * Whether current may sleep on a wait queue now: the scheduler runs,
 * interrupts are on and preemption is not held off (no spinlock held).
 * Code that also runs where it may not (a block request at boot, or
 * from a context with interrupts off) asks first and polls instead. The
 * host build (tests/host/sleep.c) always may: its schedule() runs the
 * host's pending work.
 */
bool can_sleep(void);
/*
 * Whether current has been killed: fatal_signal_pending(current)
 * (kernel/signal.h), for portable code, which has no `current` on the
 * host. A long loop (a read of gigabytes from the page cache) stops
 * here, and the process dies on its way back to user mode. The host's
 * version says what its test asks (host_kill_after_checks,
 * tests/host/host.h).
 */
bool current_killed(void);
/*
 * The mm whose mmap_lock current holds while it handles a page fault
 * (NULL: none). Set by the fault path around its work: an allocation in
 * the fault may enter direct reclaim, and reclaim's rmap walk takes each
 * mm's lock with a trylock - which would always fail on this one, so a
 * process faulting in memory could never have its own pages reclaimed.
 * rmap visits this mm as one the caller holds (rmap_walk_control's
 * locked_mm). The host keeps one for its single thread.
 */
struct mm_struct;
struct mm_struct *current_locked_mm(void);
void set_current_locked_mm(struct mm_struct *mm);
/*
 * Whether the fault current is handling may give up for want of memory
 * and be tried again after reclaiming without the mmap_lock
 * (handle_mm_fault; mm/mm.h's fault_gfp). false outside such a fault.
 */
bool current_fault_may_retry(void);
void set_current_fault_may_retry(bool may);

#define wait_event(wq, cond) do { \
	struct wait_queue_entry __we = { 0 }; \
	might_sleep(); \
	for (;;) { \
		prepare_to_wait(&(wq), &__we); \
		if (cond) \
			break; \
		schedule(); \
	} \
	finish_wait(&(wq), &__we); \
} while (0)

/*
 * Sleep until cond or `ms` milliseconds. Returns 0 if it timed out with
 * cond still false, otherwise the ticks that were left (at least 1).
 * Time is counted in ticks, as in Linux: a timeout lasts at least
 * msecs_to_jiffies(ms) ticks of jiffies. When the tick is behind the clock
 * as the wait starts (a CPU the host did not run for a while catches up
 * its missed ticks at once), the wait in clock time is that much shorter.
 */
#define wait_event_timeout(wq, cond, ms) ({ \
	struct wait_queue_entry __we = { 0 }; \
	long __left = (long)msecs_to_jiffies(ms) + 1; \
	might_sleep(); \
	for (;;) { \
		prepare_to_wait(&(wq), &__we); \
		if (cond) { \
			if (!__left) \
				__left = 1; \
			break; \
		} \
		if (!__left) \
			break; \
		__left = schedule_timeout(__left); \
	} \
	finish_wait(&(wq), &__we); \
	__left; \
})

/* ---------------------------------------------------------------- completion */

struct completion {
	unsigned int done;
	struct wait_queue_head wait;
};

void init_completion(struct completion *c);
static inline void reinit_completion(struct completion *c) { WRITE_ONCE(c->done, 0); }
/* One waiter may proceed (now or the next to wait). */
void complete(struct completion *c);
/* Every waiter, now and later, may proceed. */
void complete_all(struct completion *c);
void wait_for_completion(struct completion *c);
/* Returns false if `ms` passed first. */
bool wait_for_completion_timeout(struct completion *c, unsigned int ms);
bool completion_done(struct completion *c);

#endif
