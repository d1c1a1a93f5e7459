/*
 * mm/vmscan.h - reclaim: taking pages back from the LRU lists and the
 * shrinkers when free memory runs low. docs/mm/reclaim.md.
 *
 * Two callers, one mechanism (shrink_node):
 *  - kswapd, one thread per node (mm/vmscan_kthread.c), woken by the
 *    allocator below a zone's low watermark, reclaims until every zone is
 *    above its high watermark, then sleeps;
 *  - direct reclaim, from the allocator's slow path
 *    (page_alloc_try_to_free_pages), when an allocation that may sleep
 *    finds nothing even at the min watermark.
 *
 * The rule the seed made: direct reclaim NEVER writes a page. Dirty file
 * pages it meets are left on the list (rotated), the flusher is woken
 * (wakeup_flusher_threads) and the reclaimer waits, throttled, for
 * writeback to make progress (reclaim_throttle) instead of issuing I/O
 * from whatever stack it is on. try_to_free_pages marks the thread
 * (PF_MEMALLOC, kernel/thread.h) while it works, and the block layer
 * counts every file-data or metadata write submitted by a thread so
 * marked (blk_submit: DIRECT_RECLAIM_WRITE): it must stay 0, and the
 * tests check it. kswapd does not write either: writeback is the
 * flushers' job.
 *
 * Anonymous pages cannot be reclaimed until there is swap (issue 16):
 * they are aged (active -> inactive) but never freed, so a node of
 * anonymous memory only reports "no progress" and the allocator goes to
 * the OOM killer. Clean file pages are unmapped (rmap) and freed; their
 * slot keeps a shadow (mm/workingset.h).
 *
 * Shrinkers are called in proportion to the LRU scan (shrink_slab's
 * priority), so slab caches and the page cache give back alike.
 */
#ifndef MM_VMSCAN_H
#define MM_VMSCAN_H

#include "kernel/types.h"
#include "mm/gfp.h"
#include "mm/mmzone.h"

/* Linux's DEF_PRIORITY: a pass scans lru_size >> priority pages. */
#define DEF_PRIORITY	12

struct scan_control {
	unsigned long nr_to_reclaim;	/* stop after this many */
	gfp_t gfp_mask;
	unsigned int order;
	int priority;			/* DEF_PRIORITY down to 0 */
	bool may_writepage;		/* false: direct reclaim and kswapd */
	bool may_unmap;			/* unmap mapped pages */
	bool may_swap;			/* anonymous pages may go to swap */
	bool is_kswapd;			/* counts PGSCAN_KSWAPD, not _DIRECT */
	bool ignore_references;		/* reclaim even recently used pages */
	/* results */
	unsigned long nr_scanned, nr_reclaimed;
	unsigned long nr_dirty, nr_writeback, nr_congested;
	unsigned long nr_activated, nr_rotated;
};

/* Linux's vm.swappiness (0-200, default 60): the weight of anonymous
 * pages against file pages in a scan (mm/vmscan.c, get_scan_count). */
extern unsigned int vm_swappiness;

/* One reclaim pass over a node's LRU lists and shrinkers (host-testable:
 * tests call it on a private node). Returns pages reclaimed. */
unsigned long shrink_node(pg_data_t *pgdat, struct scan_control *sc);

/* Reclaim the isolated pages of page_list now (MADV_PAGEOUT): see
 * mm/vmscan.c. Returns pages freed; the rest are put back. */
unsigned long reclaim_pages(struct list_head *page_list);

/* Direct reclaim (installed as page_alloc_try_to_free_pages): reclaim
 * about SWAP_CLUSTER_MAX pages, escalating priority; pages reclaimed
 * (0: nothing could be, the allocator may go OOM). */
#define SWAP_CLUSTER_MAX	32UL
unsigned long try_to_free_pages(pg_data_t *pgdat, gfp_t gfp,
				unsigned int order);

/* kswapd's work between two sleeps (one "balance_pgdat"): reclaim until
 * the node's zones are above their high watermarks or nothing more can
 * be had. Returns pages reclaimed. */
unsigned long balance_pgdat(pg_data_t *pgdat, unsigned int order);
/* Are all the node's zones above high (kswapd may sleep)? */
bool pgdat_balanced(pg_data_t *pgdat, unsigned int order);

/* Installed as page_alloc_wakeup_kswapd by vmscan_init(). */
void wakeup_kswapd(struct zone *zone, gfp_t gfp, unsigned int order);

/*
 * Wait (throttled) for writeback or reclaim progress: a direct reclaimer
 * that found only dirty or writeback pages sleeps up to ~100 ms, or until
 * end_page_writeback/kswapd wakes it. true if woken by such progress,
 * false if the wait timed out. Kernel only (the hook is set by
 * mm/vmscan_kthread.c; on the host it returns false at once).
 */
bool reclaim_throttle(pg_data_t *pgdat);
extern bool (*reclaim_throttle_hook)(pg_data_t *pgdat);
extern void (*reclaim_wake_throttled_hook)(pg_data_t *pgdat);

/*
 * The memory reserves below the min watermarks are for the work that
 * frees memory (__GFP_MEMALLOC: swap I/O, the network traffic of swap
 * over NBD). Direct reclaimers use them too (their swap writes), and many
 * at once could empty them, leaving none for the network. So, as Linux's
 * throttle_direct_reclaim: while free pages are at or below half the sum
 * of the min watermarks, a user thread entering direct reclaim waits
 * (pfmemalloc_wait, up to a second) for kswapd to bring them back.
 * Kernel threads are never held: one of them may be what frees memory.
 * pfmemalloc_watermark_ok: above that half (or no watermarks).
 */
bool pfmemalloc_watermark_ok(pg_data_t *pgdat);
extern void (*reclaim_pfmemalloc_throttle_hook)(pg_data_t *pgdat);
extern void (*reclaim_pfmemalloc_wake_hook)(pg_data_t *pgdat);

/* Install the hooks into the page allocator; start kswapd (kernel). */
void vmscan_init(void);

#endif
