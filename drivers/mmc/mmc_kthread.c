/*
 * drivers/mmc/mmc_kthread.c - a thread per card that runs its queue of
 * block requests (kernel only, docs/conventions.md).
 * PIO keeps a CPU busy for the whole transfer; the thread is whose CPU
 * that is, so a submitter (writeback, readahead, swap) returns at once.
 */
#include "drivers/mmc/mmc.h"
#include "kernel/kthread.h"
#include "kernel/printk.h"
#include "kernel/wait.h"

static bool queue_waiting(struct mmc_host *host)
{
	unsigned long flags;
	bool any;

	spin_lock_irqsave(&host->lock, flags);
	any = !list_empty(&host->queue);
	spin_unlock_irqrestore(&host->lock, flags);
	return any;
}

static int mmc_thread(void *arg)
{
	struct mmc_host *host = arg;

	for (;;) {
		wait_event(host->wq, queue_waiting(host));
		mmc_run_queue(host);
	}
	return 0;
}

void mmc_start_threads(void)
{
	for (unsigned int i = 0; i < mmc_nr_hosts; i++) {
		struct mmc_host *host = mmc_hosts[i];

		if (!kthread_run(mmc_thread, host, "%s", host->bdev.name)) {
			pr_err("%s: no thread: its requests run when waited for\n",
			       host->bdev.name);
			continue;
		}
		WRITE_ONCE(host->bdev.irq_driven, true);
	}
}
