/*
 * mm/compaction.h - memory compaction (Linux's mm/compaction.c): move
 * in-use movable pages from the bottom of a zone to free pages at its
 * top, so that free pages meet and make blocks of high order.
 * docs/mm/compaction.md has the picture.
 *
 *   zone start                                                zone end
 *   [ migrate scanner ->                        <- free scanner      ]
 *     isolates LRU pages of movable            isolates free pages of
 *     pageblocks, 32 at a time                 movable pageblocks, as
 *                                              many as it needs
 *   migrate_pages() moves each isolated page to a free page the free
 *   scanner took; the scanners meet, and the run ends; it ends sooner
 *   when a block of the order wanted is free.
 *
 * Entry points:
 *   - direct compaction: the page allocator's slow path, for an
 *     allocation of order > 0 that may reclaim (__GFP_DIRECT_RECLAIM),
 *     through the page_alloc_try_compaction hook: MIGRATE_ASYNC only (the
 *     allocating thread may hold an mmap_lock, and an async migrator
 *     never waits for another mm's lock nor for writeback). Counted as
 *     compact_stall, then compact_success or compact_fail.
 *   - `compact` at the console (Linux's /proc/sys/vm/compact_memory):
 *     every zone of the kernel's node, whole, MIGRATE_SYNC.
 *
 * When compaction is worth it (compaction_suitable, Linux's rules): not
 * when a block of the order is free already, not when there are not
 * enough free pages to make one (2 << order above the low watermark:
 * reclaim first), and not when the fragmentation index says the
 * failure is for want of memory rather than from fragmentation (index
 * at or below vm.extfrag_threshold, default 500).
 */
#ifndef MM_COMPACTION_H
#define MM_COMPACTION_H

#include "kernel/types.h"
#include "kernel/lib/list.h"
#include "mm/migrate.h"
#include "mm/mmzone.h"

enum compact_result {
	COMPACT_SKIPPED,	/* not worth it (compaction_suitable) */
	COMPACT_CONTINUE,	/* worth a run (compaction_suitable) */
	COMPACT_SUCCESS,	/* a block of the order is free */
	COMPACT_COMPLETE,	/* the scanners met: the whole zone done */
};

struct compact_control {
	struct zone *zone;
	int order;			/* wanted; -1: the whole zone */
	unsigned int alloc_flags;	/* the allocation's (ALLOC_CMA: a free
					 * block in CMA counts), for the
					 * check that it would succeed */
	enum migrate_mode mode;
	unsigned long migrate_pfn;	/* the migrate scanner's next pfn */
	unsigned long free_pfn;		/* the free scanner's next block
					 * is the one below this */
	struct list_head migratepages;	/* isolated, waiting to move */
	struct list_head freepages;	/* isolated order-0 free pages */
	unsigned long nr_freepages;
	/* What the run did (the console and tests print it). */
	unsigned long migrate_scanned, free_scanned;
	unsigned long nr_migrated, nr_migrate_failed;
	unsigned long nr_no_target;	/* isolated when the free scanner
					 * ran out (the scanners met): put
					 * back, not failures */
	bool out_of_targets;
	struct migrate_failure fail;	/* the first page that did not move */
};

/*
 * Compact one zone with cc (zone, order, mode set; the rest is set
 * here). Returns COMPACT_SUCCESS (order >= 0 and a block of it is free
 * at the low watermark) or COMPACT_COMPLETE. Every isolated page is back
 * (moved, put back on its LRU, or freed) when it returns. Sleeps.
 */
enum compact_result compact_zone(struct compact_control *cc);

/* Should a zone be compacted for an allocation of order with alloc_flags
 * (see above)?
 * COMPACT_SUCCESS (no need: a block is free), COMPACT_SKIPPED or
 * COMPACT_CONTINUE. */
enum compact_result compaction_suitable(struct zone *zone, unsigned int order,
					unsigned int alloc_flags);

/*
 * Direct compaction for an allocation of 2^order pages with alloc_flags
 * from pgdat's zones highest and below: each where compaction is suitable,
 * asynchronously, until one has a free block of the order. true if one
 * has (compact_success; else compact_fail). The allocator's
 * page_alloc_try_compaction hook.
 */
bool try_to_compact_pages(pg_data_t *pgdat, enum zone_type highest,
			  unsigned int order, unsigned int alloc_flags);

/* The console's `compact`: every zone of pgdat, whole, MIGRATE_SYNC;
 * prints one line a zone (what the run scanned and moved). */
void compact_node(pg_data_t *pgdat);

/* Plug direct compaction into the page allocator (boot). */
void compaction_init(void);

/* vm.extfrag_threshold (Linux's name and default, 500). */
extern unsigned long sysctl_extfrag_threshold;

#endif
