/*
 * mm/vmscan_kthread.c - kswapd (one thread per node) and the throttle
 * direct reclaimers wait on. Kernel only (docs/conventions.md,
 * "Kernel-only mm code"): the step kswapd repeats, balance_pgdat(), and
 * everything it calls are in mm/vmscan.c and host-tested there.
 *
 * kswapd's life (Linux's kswapd / kswapd_try_to_sleep):
 *
 *   sleep -- wakeup_kswapd (a zone below low) --> balance_pgdat until
 *     ^                                           every zone is above high
 *     |                                                  |
 *     +-- 100 ms nap: woken again meanwhile? -------------+
 *          yes: KSWAPD_LOW_WMARK_HIT_QUICKLY, reclaim again at once
 *          no:  sleep until the next wakeup_kswapd
 *     (not balanced when it wanted to nap: KSWAPD_HIGH_WMARK_HIT_QUICKLY)
 *
 * A node where MAX_RECLAIM_RETRIES runs in a row freed nothing is
 * hopeless: wakeup_kswapd leaves it asleep until a reclaim somewhere
 * frees a page there (shrink_node resets kswapd_failures).
 *
 * The throttle: a direct reclaimer that found only dirty or writeback
 * pages waits here (reclaim_throttle) up to 100 ms, woken early by
 * end_page_writeback (reclaim_wake_throttled_hook, called by the page
 * cache) or by any reclaim that freed pages on the node.
 */
#include "kernel/kthread.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/wait.h"
#include "mm/page_alloc.h"
#include "mm/vmscan.h"
#include "mm/vmstat.h"

#define MAX_RECLAIM_RETRIES	16	/* as mm/vmscan.c */
#define KSWAPD_NAP_MS		100	/* Linux: HZ/10 */
#define THROTTLE_MS		100	/* Linux: reclaim_throttle's HZ/10 */
#define PFMEMALLOC_WAIT_MS	1000	/* Linux: HZ for callers that
					 * cannot enter the file system */

struct kswapd_state {
	struct wait_queue_head wait;		/* kswapd sleeps here */
	struct wait_queue_head throttle;	/* direct reclaimers */
	struct wait_queue_head pfmemalloc_wait;	/* held while the reserves
						 * are half used */
	bool woken;				/* wakeup_kswapd since it looked */
	unsigned long progress;			/* ticks at each wake-up of
						 * the throttled */
};

/* One node in this kernel. */
static struct kswapd_state kswapd_node0;

static struct kswapd_state *ks_of(pg_data_t *pgdat)
{
	return pgdat->reclaim.kswapd_wait;
}

static bool node_hopeless(pg_data_t *pgdat)
{
	return READ_ONCE(pgdat->reclaim.kswapd_failures) >= MAX_RECLAIM_RETRIES;
}

void wakeup_kswapd(struct zone *zone, gfp_t gfp, unsigned int order)
{
	pg_data_t *pgdat = zone->zone_pgdat;
	struct kswapd_state *ks = ks_of(pgdat);

	if (!ks || !populated_zone(zone))
		return;		/* a private arena: no kswapd */
	if (order > READ_ONCE(pgdat->reclaim.kswapd_order))
		WRITE_ONCE(pgdat->reclaim.kswapd_order, order);
	if (READ_ONCE(pgdat->reclaim.kswapd_running))
		return;
	if (node_hopeless(pgdat) || pgdat_balanced(pgdat, order))
		return;
	WRITE_ONCE(ks->woken, true);
	wake_up(&ks->wait);
}

/*
 * Direct reclaim by a user thread while the reserves are half used: wake
 * kswapd and wait until it has brought free memory above half the min
 * watermarks, or a second (mm/vmscan.h). Kernel threads go on: the one
 * that frees memory (the NBD client, a flusher) must never wait here;
 * so does everyone once kswapd has given up on the node (no one would
 * end the wait).
 */
static void pfmemalloc_throttle(pg_data_t *pgdat)
{
	struct kswapd_state *ks = ks_of(pgdat);

	/* kswapd has given up on the node (Linux's allow_direct_reclaim):
	 * nobody would wake us, and direct reclaim is what is left. */
	if (!ks || !current->mm || node_hopeless(pgdat))
		return;
	count_vm_event(PGSCAN_DIRECT_THROTTLE);
	WRITE_ONCE(ks->woken, true);
	wake_up(&ks->wait);
	wait_event_timeout(ks->pfmemalloc_wait, pfmemalloc_watermark_ok(pgdat),
			   PFMEMALLOC_WAIT_MS);
}

/* kswapd, after each round and before it sleeps. */
static void pfmemalloc_wake(pg_data_t *pgdat)
{
	struct kswapd_state *ks = ks_of(pgdat);

	if (ks && waitqueue_active(&ks->pfmemalloc_wait) &&
	    pfmemalloc_watermark_ok(pgdat))
		wake_up(&ks->pfmemalloc_wait);
}

/* Nap, then sleep until woken, when the node is balanced (or hopeless). */
static void kswapd_try_to_sleep(pg_data_t *pgdat, struct kswapd_state *ks)
{
	long left = 0;

	/* Nobody may wait for a kswapd that sleeps (Linux's
	 * prepare_kswapd_sleep wakes them all). */
	if (waitqueue_active(&ks->pfmemalloc_wait))
		wake_up(&ks->pfmemalloc_wait);

	WRITE_ONCE(ks->woken, false);
	if (node_hopeless(pgdat) || pgdat_balanced(pgdat, 0)) {
		left = wait_event_timeout(ks->wait, READ_ONCE(ks->woken) ||
					  kthread_should_stop(),
					  KSWAPD_NAP_MS);
		if (left) {
			/* Woken within the nap: the low mark was hit soon
			 * after balancing. */
			count_vm_event(KSWAPD_LOW_WMARK_HIT_QUICKLY);
			return;
		}
		if (node_hopeless(pgdat) || pgdat_balanced(pgdat, 0)) {
			wait_event(ks->wait, READ_ONCE(ks->woken) ||
				   kthread_should_stop());
			return;
		}
	}
	/* Below high again already (during or right after the nap). */
	count_vm_event(KSWAPD_HIGH_WMARK_HIT_QUICKLY);
}

static int kswapd(void *arg)
{
	pg_data_t *pgdat = arg;
	struct kswapd_state *ks = ks_of(pgdat);

	/* As Linux's kswapd: reclaiming, but not direct reclaim (its writes
	 * would not count as DIRECT_RECLAIM_WRITE). */
	current->flags |= PF_MEMALLOC | PF_KSWAPD;
	for (;;) {
		unsigned int order;

		kswapd_try_to_sleep(pgdat, ks);
		if (kthread_should_stop())
			break;
		if (node_hopeless(pgdat))
			continue;
		order = __atomic_exchange_n(&pgdat->reclaim.kswapd_order, 0,
					    __ATOMIC_RELAXED);
		WRITE_ONCE(pgdat->reclaim.kswapd_running, true);
		balance_pgdat(pgdat, order);
		WRITE_ONCE(pgdat->reclaim.kswapd_running, false);
	}
	return 0;
}

static bool throttle_wait(pg_data_t *pgdat)
{
	struct kswapd_state *ks = ks_of(pgdat);
	unsigned long seen;

	if (!ks)
		return false;
	seen = READ_ONCE(ks->progress);
	wait_event_timeout(ks->throttle, READ_ONCE(ks->progress) != seen,
			   THROTTLE_MS);
	return READ_ONCE(ks->progress) != seen;
}

/* Any context (end_page_writeback runs from I/O completion). */
static void throttle_wake(pg_data_t *pgdat)
{
	struct kswapd_state *ks = ks_of(pgdat);

	if (!ks)
		return;
	__atomic_fetch_add(&ks->progress, 1, __ATOMIC_RELAXED);
	if (waitqueue_active(&ks->throttle))
		wake_up(&ks->throttle);
}

void vmscan_init(void)
{
	pg_data_t *pgdat = NODE_DATA(0);
	struct kswapd_state *ks = &kswapd_node0;
	struct thread *t;

	init_waitqueue_head(&ks->wait, "kswapd_wait");
	init_waitqueue_head(&ks->throttle, "reclaim_wait");
	init_waitqueue_head(&ks->pfmemalloc_wait, "pfmemalloc_wait");
	pgdat->reclaim.kswapd_wait = ks;
	pgdat->reclaim.reclaim_wait = &ks->throttle;
	reclaim_throttle_hook = throttle_wait;
	reclaim_wake_throttled_hook = throttle_wake;
	reclaim_pfmemalloc_throttle_hook = pfmemalloc_throttle;
	reclaim_pfmemalloc_wake_hook = pfmemalloc_wake;
	t = kthread_run(kswapd, pgdat, "kswapd%d", pgdat->node_id);
	if (!t)
		pr_err("vmscan: no kswapd thread: only direct reclaim\n");
	pgdat->reclaim.kswapd = t;
	page_alloc_wakeup_kswapd = wakeup_kswapd;
	page_alloc_try_to_free_pages = try_to_free_pages;
}
