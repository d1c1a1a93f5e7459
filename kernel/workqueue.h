/*
 * kernel/workqueue.h - deferred work, run by a kernel thread.
 *
 *	static void flush_dirty(struct work_struct *w) { ... }
 *	static DECLARE_WORK(w, flush_dirty);
 *	schedule_work(&w);			// runs soon, in "kworker"
 *	static struct delayed_work dw;
 *	INIT_DELAYED_WORK(&dw, flush_dirty);
 *	schedule_delayed_work(&dw, 100);	// in 100 ms
 *	cancel_delayed_work_sync(&dw);
 *
 * Work functions run in thread context, one at a time per workqueue, in
 * the order queued, and may sleep. Queuing work that is already pending
 * does nothing (returns false). Queuing is allowed from any context.
 */
#ifndef KERNEL_WORKQUEUE_H
#define KERNEL_WORKQUEUE_H

#include "kernel/types.h"
#include "kernel/timer.h"
#include "kernel/wait.h"

struct work_struct;
typedef void (*work_func_t)(struct work_struct *);

struct work_struct {
	work_func_t func;
	struct work_struct *next;
	bool pending;
};

struct workqueue_struct;

struct delayed_work {
	struct work_struct work;
	struct timer_list timer;
	struct workqueue_struct *wq;
};

struct workqueue_struct {
	spinlock_t lock;
	struct work_struct *head, *tail;
	struct work_struct *running;
	struct wait_queue_head more;	/* the worker sleeps here */
	struct wait_queue_head done;	/* flushers sleep here */
	struct thread *worker;
	const char *name;
};

#define __WORK_INIT(fn)		{ .func = (fn) }
#define DECLARE_WORK(n, fn)	struct work_struct n = __WORK_INIT(fn)
static inline void INIT_WORK(struct work_struct *w, work_func_t fn)
{
	*w = (struct work_struct)__WORK_INIT(fn);
}
void INIT_DELAYED_WORK(struct delayed_work *dw, work_func_t fn);
static inline struct delayed_work *to_delayed_work(struct work_struct *w)
{
	return container_of(w, struct delayed_work, work);
}

/* Start a workqueue with its worker thread (storage from the caller). */
int workqueue_init(struct workqueue_struct *wq, const char *name);
/* Run what is queued, stop the worker. */
void destroy_workqueue(struct workqueue_struct *wq);

extern struct workqueue_struct *system_wq;
/* Start system_wq (kernel_main, once threads exist). */
void workqueue_init_early(void);

bool queue_work(struct workqueue_struct *wq, struct work_struct *w);
bool queue_delayed_work(struct workqueue_struct *wq, struct delayed_work *dw,
			unsigned int ms);
static inline bool schedule_work(struct work_struct *w)
{
	return queue_work(system_wq, w);
}
static inline bool schedule_delayed_work(struct delayed_work *dw, unsigned int ms)
{
	return queue_delayed_work(system_wq, dw, ms);
}

/* Wait until w is neither pending nor running (on workqueue wq). May sleep. */
void flush_work_on(struct workqueue_struct *wq, struct work_struct *w);
/* Cancel a delayed work's timer and pending run; wait if it is running. */
bool cancel_delayed_work_sync(struct delayed_work *dw);

#endif
