/*
 * kernel/workqueue.c - one worker thread per workqueue running queued
 * work in order (contract: kernel/workqueue.h). Delayed work is a timer
 * whose callback queues the work.
 */
#include "kernel/workqueue.h"
#include "kernel/kthread.h"
#include "kernel/panic.h"
#include "kernel/printk.h"

static struct workqueue_struct system_wq_storage;
struct workqueue_struct *system_wq;

static struct work_struct *take_first(struct workqueue_struct *wq)
{
	unsigned long flags;
	struct work_struct *w;

	spin_lock_irqsave(&wq->lock, flags);
	w = wq->head;
	if (w) {
		wq->head = w->next;
		if (!wq->head)
			wq->tail = NULL;
		w->pending = false;
		wq->running = w;
	}
	spin_unlock_irqrestore(&wq->lock, flags);
	return w;
}

static int worker_fn(void *arg)
{
	struct workqueue_struct *wq = arg;

	for (;;) {
		wait_event(wq->more, READ_ONCE(wq->head) || kthread_should_stop());
		struct work_struct *w = take_first(wq);

		if (!w)
			return 0;	/* stop asked, nothing queued */
		w->func(w);
		WRITE_ONCE(wq->running, NULL);
		wake_up(&wq->done);
	}
}

int workqueue_init(struct workqueue_struct *wq, const char *name)
{
	*wq = (struct workqueue_struct){ .name = name };
	spin_lock_init(&wq->lock, "workqueue lock");
	init_waitqueue_head(&wq->more, "workqueue more");
	init_waitqueue_head(&wq->done, "workqueue done");
	wq->worker = kthread_run(worker_fn, wq, "%s", name);
	return wq->worker ? 0 : -1;
}

void destroy_workqueue(struct workqueue_struct *wq)
{
	kthread_stop(wq->worker);
}

void workqueue_init_early(void)
{
	if (workqueue_init(&system_wq_storage, "kworker"))
		panic("workqueue: cannot start the system workqueue's thread");
	system_wq = &system_wq_storage;
}

bool queue_work(struct workqueue_struct *wq, struct work_struct *w)
{
	unsigned long flags;
	bool queued = false;

	spin_lock_irqsave(&wq->lock, flags);
	if (!w->pending) {
		w->pending = true;
		w->next = NULL;
		if (wq->tail)
			wq->tail->next = w;
		else
			wq->head = w;
		wq->tail = w;
		queued = true;
	}
	spin_unlock_irqrestore(&wq->lock, flags);
	if (queued)
		wake_up(&wq->more);
	return queued;
}

static void delayed_work_timer(struct timer_list *t)
{
	struct delayed_work *dw = container_of(t, struct delayed_work, timer);

	queue_work(dw->wq, &dw->work);
}

void INIT_DELAYED_WORK(struct delayed_work *dw, work_func_t fn)
{
	INIT_WORK(&dw->work, fn);
	timer_setup(&dw->timer, delayed_work_timer);
	dw->wq = NULL;
}

bool queue_delayed_work(struct workqueue_struct *wq, struct delayed_work *dw,
			unsigned int ms)
{
	if (dw->work.pending || timer_pending(&dw->timer))
		return false;
	dw->wq = wq;
	if (!ms)
		return queue_work(wq, &dw->work);
	mod_timer(&dw->timer, jiffies + msecs_to_jiffies(ms));
	return true;
}

void flush_work_on(struct workqueue_struct *wq, struct work_struct *w)
{
	wait_event(wq->done, !READ_ONCE(w->pending) && READ_ONCE(wq->running) != w);
}

bool cancel_delayed_work_sync(struct delayed_work *dw)
{
	struct workqueue_struct *wq = dw->wq;
	bool was = del_timer_sync(&dw->timer);
	unsigned long flags;

	if (!wq)
		return was;
	spin_lock_irqsave(&wq->lock, flags);
	if (dw->work.pending) {	/* unlink it from the queue */
		struct work_struct **p = &wq->head, *prev = NULL;

		while (*p && *p != &dw->work) {
			prev = *p;
			p = &(*p)->next;
		}
		if (*p) {
			*p = dw->work.next;
			if (wq->tail == &dw->work)
				wq->tail = prev;
		}
		dw->work.pending = false;
		was = true;
	}
	spin_unlock_irqrestore(&wq->lock, flags);
	flush_work_on(wq, &dw->work);
	return was;
}
