/*
 * kernel/wait.c - wait queues and completions (contract: kernel/wait.h).
 *
 * A waker takes the entry off the queue as it wakes the thread
 * ("autoremove"), so wake_up_one() never picks a thread that was already
 * woken; a waiter that wakes for another reason (timeout) takes itself
 * off in finish_wait(). Lock order: a wait queue's lock, then a run
 * queue's (inside wake_up_process).
 */
#include "kernel/wait.h"
#include "kernel/signal.h"

bool can_sleep(void)
{
	return sched_running && arch_irqs_enabled() &&
	       current->preempt_count == 0;
}

bool current_killed(void)
{
	return fatal_signal_pending(current);
}

struct mm_struct *current_locked_mm(void)
{
	return sched_running ? current->fault_locked_mm : NULL;
}

void set_current_locked_mm(struct mm_struct *mm)
{
	if (sched_running)
		current->fault_locked_mm = mm;
}

bool current_fault_may_retry(void)
{
	return sched_running && current->fault_may_retry;
}

void set_current_fault_may_retry(bool may)
{
	if (sched_running)
		current->fault_may_retry = may;
}

void init_waitqueue_head(struct wait_queue_head *wq, const char *name)
{
	spin_lock_init(&wq->lock, name);
	wq->list.next = wq->list.prev = &wq->list;
}

static void entry_del(struct wait_queue_entry *e)
{
	e->prev->next = e->next;
	e->next->prev = e->prev;
	e->queued = false;
}

void prepare_to_wait(struct wait_queue_head *wq, struct wait_queue_entry *e)
{
	unsigned long flags;

	spin_lock_irqsave(&wq->lock, flags);
	e->thread = current;
	if (!e->queued) {
		e->next = &wq->list;
		e->prev = wq->list.prev;
		wq->list.prev->next = e;
		wq->list.prev = e;
		e->queued = true;
	}
	set_current_state(THREAD_SLEEPING);
	spin_unlock_irqrestore(&wq->lock, flags);
}

void finish_wait(struct wait_queue_head *wq, struct wait_queue_entry *e)
{
	unsigned long flags;

	set_current_state(THREAD_RUNNING);
	if (!READ_ONCE(e->queued))
		return;
	spin_lock_irqsave(&wq->lock, flags);
	if (e->queued)
		entry_del(e);
	spin_unlock_irqrestore(&wq->lock, flags);
}

/* Wake the first waiter of wq, or all of them; wq->lock held. */
static void wake_some_locked(struct wait_queue_head *wq, bool all, bool sync)
{
	while (wq->list.next != &wq->list) {
		struct wait_queue_entry *e = wq->list.next;
		struct thread *t = e->thread;

		entry_del(e);
		if (sync)
			wake_up_process_sync(t);
		else
			wake_up_process(t);
		if (!all)
			break;
	}
}

static void wake_some(struct wait_queue_head *wq, bool all, bool sync)
{
	unsigned long flags;

	spin_lock_irqsave(&wq->lock, flags);
	wake_some_locked(wq, all, sync);
	spin_unlock_irqrestore(&wq->lock, flags);
}

void wake_up(struct wait_queue_head *wq) { wake_some(wq, true, false); }
void wake_up_one(struct wait_queue_head *wq) { wake_some(wq, false, false); }
void wake_up_sync(struct wait_queue_head *wq) { wake_some(wq, true, true); }

bool waitqueue_active(struct wait_queue_head *wq)
{
	return READ_ONCE(wq->list.next) != &wq->list;
}

/* ---------------------------------------------------------------- completion */

#define COMPLETE_ALL	(~0U / 2)

void init_completion(struct completion *c)
{
	c->done = 0;
	init_waitqueue_head(&c->wait, "completion");
}

/*
 * The count and the wake-up under one hold of the lock, and nothing of c
 * touched after it is dropped: a waiter sees "done" only under that lock
 * (try_consume), so once it has seen it, complete() is finished with c,
 * and c may go - it is often on the waiter's stack (net_call,
 * kthread_stop). Dropping the lock between the two let a waiter that had
 * not slept yet take "done", return and reuse its stack while complete()
 * was still to wake the queue in it: a crash in wake_some seen once in
 * 35 boots of tools/bench-nbd (netd completing a net_call).
 */
void complete(struct completion *c)
{
	unsigned long flags;

	spin_lock_irqsave(&c->wait.lock, flags);
	if (c->done < COMPLETE_ALL)
		c->done++;
	wake_some_locked(&c->wait, false, false);
	spin_unlock_irqrestore(&c->wait.lock, flags);
}

void complete_all(struct completion *c)
{
	unsigned long flags;

	spin_lock_irqsave(&c->wait.lock, flags);
	c->done = COMPLETE_ALL;
	wake_some_locked(&c->wait, true, false);
	spin_unlock_irqrestore(&c->wait.lock, flags);
}

/* Take one "done" if there is one. */
static bool try_consume(struct completion *c)
{
	unsigned long flags;
	bool ok;

	spin_lock_irqsave(&c->wait.lock, flags);
	ok = c->done > 0;
	if (ok && c->done != COMPLETE_ALL)
		c->done--;
	spin_unlock_irqrestore(&c->wait.lock, flags);
	return ok;
}

void wait_for_completion(struct completion *c)
{
	wait_event(c->wait, try_consume(c));
}

bool wait_for_completion_timeout(struct completion *c, unsigned int ms)
{
	return wait_event_timeout(c->wait, try_consume(c), ms) != 0;
}

bool completion_done(struct completion *c)
{
	return READ_ONCE(c->done) > 0;
}
