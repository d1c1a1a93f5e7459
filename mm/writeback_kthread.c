/*
 * mm/writeback_kthread.c - the flusher thread ("flush"): writes dirty
 * page-cache pages back in the background (Linux's wb_workfn, one thread
 * here for every device).
 *
 * It wakes every dirty_writeback_ms (5 s) and writes the mappings dirty
 * for longer than dirty_expire_ms (30 s), or, when someone asks
 * (wakeup_flusher_threads: reclaim found dirty pages, sync), everything
 * dirty now. The work itself is portable and host-tested
 * (writeback_dirty_mappings, writeback_expired_mappings in
 * mm/page-writeback.c); this file is only the thread (the *_kthread.c
 * convention, docs/conventions.md). The next issue's balance_dirty_pages
 * wakes it too, when a writer crosses the background threshold.
 */
#include "kernel/kthread.h"
#include "kernel/printk.h"
#include "kernel/wait.h"
#include "mm/filemap.h"

static DECLARE_WAIT_QUEUE_HEAD(flusher_wait);
static bool flush_all_requested;

static void flusher_wakeup(void)
{
	WRITE_ONCE(flush_all_requested, true);
	wake_up(&flusher_wait);
}

static int flusher_fn(void *arg)
{
	(void)arg;
	while (!kthread_should_stop()) {
		wait_event_timeout(flusher_wait,
				   READ_ONCE(flush_all_requested) ||
				   kthread_should_stop(),
				   dirty_writeback_ms);
		if (__atomic_exchange_n(&flush_all_requested, false,
					__ATOMIC_ACQ_REL))
			writeback_dirty_mappings(0, WB_SYNC_NONE);
		else
			writeback_expired_mappings();
	}
	return 0;
}

void writeback_init(void)
{
	struct thread *t = kthread_run(flusher_fn, NULL, "flush");

	if (!t) {
		pr_err("writeback: no flusher thread: dirty pages are written "
		       "only by sync and fsync\n");
		return;
	}
	kthread_detach(t);
	writeback_wakeup_hook = flusher_wakeup;
}
