/*
 * mm/writeback_kthread.c - the flusher threads ("flush-vda"), one per
 * backing device (Linux's wb_workfn), and the sleep of a throttled
 * writer.
 *
 * A flusher sleeps until asked (wb_wakeup_hook: a writer crossed the
 * background threshold, reclaim met dirty pages, sync) or until
 * dirty_writeback_ms (5 s) pass, then runs one round of wb_do_writeback
 * (mm/page-writeback.c): what was asked, background writeback while over
 * the threshold, the periodic pass of what expired. The work itself is
 * portable and host-tested; this file is only the threads (the
 * *_kthread.c convention, docs/conventions.md).
 */
#include "kernel/kthread.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/wait.h"
#include "mm/backing-dev.h"
#include "mm/filemap.h"

static void flusher_wakeup(struct bdi_writeback *wb, unsigned int work)
{
	__atomic_fetch_or(&wb->work, 1UL << work, __ATOMIC_ACQ_REL);
	wake_up(&wb->flusher_wait);
}

static int flusher_fn(void *arg)
{
	struct bdi_writeback *wb = arg;

	while (!kthread_should_stop()) {
		wait_event_timeout(wb->flusher_wait,
				   __atomic_load_n(&wb->work, __ATOMIC_ACQUIRE) ||
				   kthread_should_stop(),
				   dirty_writeback_ms);
		wb_do_writeback(wb);
	}
	return 0;
}

static void flusher_start(struct backing_dev_info *bdi)
{
	struct thread *t;

	if (bdi->wb.flusher)
		return;
	t = kthread_run(flusher_fn, &bdi->wb, "flush-%s", bdi->name);
	if (!t) {
		pr_err("writeback: no flusher thread for %s: its dirty pages "
		       "are written only by sync and fsync\n", bdi->name);
		return;
	}
	kthread_detach(t);
	bdi->wb.flusher = t;
}

static void flusher_start_one(struct backing_dev_info *bdi, void *arg)
{
	(void)arg;
	if (!bdi->wb.flusher)
		flusher_start(bdi);
}

/*
 * A throttled writer's pause: a killable sleep (the wait queue is never
 * woken; a signal wakes the thread itself, and wait_event_timeout then
 * sees the condition).
 */
static DECLARE_WAIT_QUEUE_HEAD(dirty_pause_wait);

static bool dirty_pause(struct bdi_writeback *wb, unsigned long ms)
{
	(void)wb;
	if (fatal_signal_pending(current))
		return false;
	wait_event_timeout(dirty_pause_wait, fatal_signal_pending(current),
			   ms);
	return !fatal_signal_pending(current);
}

void writeback_init(void)
{
	writeback_set_ratelimit();
	wb_wakeup_hook = flusher_wakeup;
	dirty_pause_hook = dirty_pause;
	bdi_register_hook = flusher_start;
	bdi_for_each(flusher_start_one, NULL);
}
