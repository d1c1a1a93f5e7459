/*
 * mm/writeback_trace_kthread.c - the dirty trace's sampler: a thread
 * ("wbtrace") that records the dirty state every WB_TRACE_SAMPLE_MS
 * while the console's `dirtytrace` is on, so the plots have a steady
 * time line even when no writer is throttled. The step it runs,
 * wb_trace_sample(), is portable and host-tested (mm/writeback_trace.c);
 * this file is only the thread (the *_kthread.c convention,
 * docs/conventions.md).
 *
 * Samples are taken on a fixed grid (start + k * 100 ms): a late wake-up
 * does not shift the ones after it, and a missed period is skipped, not
 * made up.
 */
#include "kernel/errno.h"
#include "kernel/kthread.h"
#include "kernel/printk.h"
#include "kernel/time.h"
#include "kernel/wait.h"
#include "mm/writeback_trace.h"

#define PERIOD_NS	(WB_TRACE_SAMPLE_MS * 1000000ULL)

static struct thread *sampler;
static DECLARE_WAIT_QUEUE_HEAD(sampler_wait);

static int sampler_fn(void *arg)
{
	uint64_t next = clock_ns();

	(void)arg;
	while (!kthread_should_stop()) {
		uint64_t now = clock_ns();

		if (now >= next) {
			if (wb_trace_on())
				wb_trace_sample(now);
			/* The next grid point after now. */
			next += ((now - next) / PERIOD_NS + 1) * PERIOD_NS;
		}
		wait_event_timeout(sampler_wait, kthread_should_stop(),
				   (long)((next - now + 999999) / 1000000));
	}
	return 0;
}

int wb_trace_sampler_start(void)
{
	if (sampler)
		return 0;
	sampler = kthread_run(sampler_fn, NULL, "wbtrace");
	return sampler ? 0 : -ENOMEM;
}

void wb_trace_sampler_stop(void)
{
	struct thread *t = sampler;

	if (!t)
		return;
	sampler = NULL;
	kthread_stop(t);
}
