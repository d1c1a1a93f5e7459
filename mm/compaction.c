/*
 * mm/compaction.c - memory compaction (mm/compaction.h has the contract
 * and the picture; docs/mm/compaction.md the story).
 */
#include "mm/compaction.h"
#include "mm/internal.h"
#include "mm/lru.h"
#include "mm/migrate.h"
#include "mm/vmstat.h"
#include "kernel/console.h"
#include "kernel/lib/string.h"
#include "kernel/printk.h"
#include "kernel/sysctl.h"
#include "kernel/thread.h"

unsigned long sysctl_extfrag_threshold = 500;

static const struct ctl_table compaction_sysctls[] = {
	{ .procname = "vm.extfrag_threshold",
	  .data = &sysctl_extfrag_threshold, .type = CTL_ULONG,
	  .min = 0, .max = 1000,
	  .unit = "fragmentation index (thousandths) above which direct "
		  "compaction is tried rather than reclaim alone" },
};
REGISTER_SYSCTL_TABLE(compaction_sysctls);

/* Pages the migrate scanner isolates before they are moved (Linux's
 * COMPACT_CLUSTER_MAX). */
#define COMPACT_CLUSTER_MAX	32

/* Pageblocks whose pages compaction moves, and whose free pages it
 * moves them to: the movable ones (Linux's is_migrate_movable: CMA
 * blocks hold only movable pages too, but taking their free pages would
 * put pages into CMA that CMA must then move out again). */
static bool block_is_movable(int mt)
{
	return mt == MIGRATE_MOVABLE;
}

static unsigned long zone_end_pfn(const struct zone *zone)
{
	return zone->zone_start_pfn + zone->spanned_pages;
}

/* ---------------------------------------------------------------- free scanner */

/*
 * Take the free pages of the pageblock at block_pfn off the free lists,
 * as order-0 pages on cc->freepages. A free block of a whole pageblock
 * or more is left alone (nothing to gain from it), and so is one of the
 * order wanted or more (it is what the run is for). zone->lock taken.
 */
static void isolate_freepages_block(struct compact_control *cc,
				    unsigned long block_pfn)
{
	struct zone *zone = cc->zone;
	unsigned long end = min(block_pfn + pageblock_nr_pages,
				zone_end_pfn(zone));
	unsigned int keep = cc->order > 0 ? (unsigned int)cc->order :
			    pageblock_order;
	unsigned long flags, pfn;

	spin_lock_irqsave(&zone->lock, flags);
	for (pfn = block_pfn; pfn < end;) {
		struct page *page = pfn_to_page(pfn);
		unsigned int order;
		int mt;

		cc->free_scanned++;
		if (!page || !PageBuddy(page)) {
			pfn++;
			continue;
		}
		order = page->order;
		if (order >= keep || pfn + (1UL << order) > end) {
			pfn += 1UL << order;
			continue;
		}
		mt = get_pfnblock_migratetype(page, pfn);
		del_page_from_free_list(page, zone, order, mt);
		for (unsigned long i = 0; i < (1UL << order); i++) {
			prep_new_page(page + i, 0, 0, MIGRATE_MOVABLE);
			list_add_tail(&page[i].lru, &cc->freepages);
		}
		cc->nr_freepages += 1UL << order;
		pfn += 1UL << order;
	}
	spin_unlock_irqrestore(&zone->lock, flags);
}

/* Fill cc->freepages from the top of the zone down, a pageblock at a
 * time, while the scanners have not met. */
static void isolate_freepages(struct compact_control *cc)
{
	while (!cc->nr_freepages &&
	       cc->free_pfn > ALIGN_UP(cc->migrate_pfn, pageblock_nr_pages)) {
		unsigned long block = cc->free_pfn - pageblock_nr_pages;
		struct page *page = pfn_to_page(block);

		cc->free_pfn = block;
		if (page && block_is_movable(get_pageblock_migratetype(page)))
			isolate_freepages_block(cc, block);
	}
}

/* migrate_pages' allocator: a page the free scanner took. */
static struct page *compaction_alloc(struct page *old, unsigned long private)
{
	struct compact_control *cc = (struct compact_control *)private;
	struct page *page;

	(void)old;
	if (list_empty(&cc->freepages))
		isolate_freepages(cc);
	if (list_empty(&cc->freepages)) {
		cc->out_of_targets = true;	/* the scanners met */
		return NULL;
	}
	page = list_first_entry(&cc->freepages, struct page, lru);
	list_del(&page->lru);
	cc->nr_freepages--;
	return page;
}

/* A target migrate_pages did not use: back on the list for the next. */
static void compaction_free(struct page *page, unsigned long private)
{
	struct compact_control *cc = (struct compact_control *)private;

	list_add(&page->lru, &cc->freepages);
	cc->nr_freepages++;
}

static void release_freepages(struct compact_control *cc)
{
	while (!list_empty(&cc->freepages)) {
		struct page *page = list_first_entry(&cc->freepages,
						     struct page, lru);

		list_del(&page->lru);
		__free_page(page);
	}
	cc->nr_freepages = 0;
}

/* ---------------------------------------------------------------- migrate scanner */

/*
 * Isolate up to COMPACT_CLUSTER_MAX LRU pages from the pageblocks at and
 * after cc->migrate_pfn (movable blocks only), stopping at the block the
 * free scanner has reached. Advances cc->migrate_pfn.
 */
static unsigned long isolate_migratepages(struct compact_control *cc)
{
	unsigned long n = 0;

	while (n < COMPACT_CLUSTER_MAX && cc->migrate_pfn < cc->free_pfn) {
		unsigned long pfn = cc->migrate_pfn;
		unsigned long block_end = min(ALIGN_DOWN(pfn, pageblock_nr_pages) +
					      pageblock_nr_pages, cc->free_pfn);
		struct page *page = pfn_to_page(pfn);

		if (pfn == ALIGN_DOWN(pfn, pageblock_nr_pages) &&
		    (!page ||
		     !block_is_movable(get_pageblock_migratetype(page)))) {
			cc->migrate_pfn = block_end;	/* not ours */
			continue;
		}
		for (; pfn < block_end && n < COMPACT_CLUSTER_MAX; pfn++) {
			unsigned int order;

			page = pfn_to_page(pfn);
			cc->migrate_scanned++;
			if (!page)
				continue;
			if (PageBuddy(page)) {
				/* Read without zone->lock: a sane order
				 * skips the block, any other one page. */
				order = READ_ONCE(page->order);
				if (order <= MAX_PAGE_ORDER)
					pfn += (1UL << order) - 1;
				continue;
			}
			if (isolate_movable_page(page)) {
				list_add_tail(&page->lru, &cc->migratepages);
				n++;
			}
		}
		cc->migrate_pfn = pfn;
	}
	return n;
}

/* ---------------------------------------------------------------- the run */

/* A block of cc->order free, at the low watermark? */
static bool compact_finished(struct compact_control *cc)
{
	struct zone *zone = cc->zone;

	if (cc->order < 0)
		return false;
	return zone_watermark_ok(zone, (unsigned int)cc->order,
				 low_wmark_pages(zone), zone->idx,
				 cc->alloc_flags);
}

enum compact_result compact_zone(struct compact_control *cc)
{
	struct zone *zone = cc->zone;
	enum compact_result result = COMPACT_COMPLETE;

	INIT_LIST_HEAD(&cc->migratepages);
	INIT_LIST_HEAD(&cc->freepages);
	cc->nr_freepages = 0;
	cc->migrate_scanned = cc->free_scanned = 0;
	cc->nr_migrated = cc->nr_migrate_failed = cc->nr_no_target = 0;
	cc->out_of_targets = false;
	memset(&cc->fail, 0, sizeof(cc->fail));
	cc->migrate_pfn = zone->zone_start_pfn;
	cc->free_pfn = ALIGN_DOWN(zone_end_pfn(zone), pageblock_nr_pages);
	if (cc->free_pfn < cc->migrate_pfn)
		cc->free_pfn = cc->migrate_pfn;

	lru_add_drain_all();		/* new pages wait in batches */
	drain_all_pages(zone);		/* free pages wait on CPU lists */
	for (;;) {
		unsigned long n, left;

		if (compact_finished(cc)) {
			result = COMPACT_SUCCESS;
			break;
		}
		if (cc->migrate_pfn >= cc->free_pfn)
			break;		/* the scanners met */
		n = isolate_migratepages(cc);
		if (!n)
			continue;
		left = migrate_pages(&cc->migratepages, compaction_alloc,
				     compaction_free, (unsigned long)cc,
				     cc->mode, MR_COMPACTION, &cc->fail);
		cc->nr_migrated += n - left;
		if (cc->out_of_targets)
			cc->nr_no_target += left;
		else
			cc->nr_migrate_failed += left;
		putback_movable_pages(&cc->migratepages);
		if (cc->out_of_targets)
			break;		/* nothing above to move to */
		/* The freed pages may merge with free neighbours now. */
		drain_all_pages(zone);
	}
	release_freepages(cc);
	count_vm_events(COMPACTMIGRATE_SCANNED, cc->migrate_scanned);
	count_vm_events(COMPACTFREE_SCANNED, cc->free_scanned);
	return result;
}

enum compact_result compaction_suitable(struct zone *zone, unsigned int order,
					unsigned int alloc_flags)
{
	struct contig_page_info info;
	int index;

	/* A free block the allocation may take: nothing to do. (Without
	 * ALLOC_CMA a free block in a CMA pageblock is no use: counting it
	 * made every order-9 kernel allocation "succeed" here and fail.) */
	if (zone_watermark_ok(zone, order, low_wmark_pages(zone), zone->idx,
			      alloc_flags))
		return COMPACT_SUCCESS;
	/* Room to move pages into while a block of the order is made:
	 * twice the block above the watermark (Linux's rule; the free
	 * scanner takes free pages of movable blocks, never CMA's). */
	if (!zone_watermark_ok(zone, 0, low_wmark_pages(zone) + (2UL << order),
			       zone->idx, 0))
		return COMPACT_SKIPPED;
	fill_contig_page_info(zone, order, &info);
	index = fragmentation_index(order, &info);
	/* Near 0: the failure is for want of memory (reclaim's job). */
	if (index >= 0 && index <= (int)READ_ONCE(sysctl_extfrag_threshold))
		return COMPACT_SKIPPED;
	return COMPACT_CONTINUE;
}

static bool __try_to_compact_pages(pg_data_t *pgdat, enum zone_type highest,
				   unsigned int order, unsigned int alloc_flags);

bool try_to_compact_pages(pg_data_t *pgdat, enum zone_type highest,
			  unsigned int order, unsigned int alloc_flags)
{
	bool ok;

	/* Not from reclaim (kswapd, direct reclaim: an allocation of theirs
	 * that would compact would run a migrator inside reclaim). */
	if (current_in_reclaim())
		return false;
	count_vm_event(COMPACTSTALL);
	ok = __try_to_compact_pages(pgdat, highest, order, alloc_flags);
	count_vm_event(ok ? COMPACTSUCCESS : COMPACTFAIL);
	return ok;
}

static bool __try_to_compact_pages(pg_data_t *pgdat, enum zone_type highest,
				   unsigned int order, unsigned int alloc_flags)
{
	for (int z = (int)highest; z >= 0; z--) {
		struct zone *zone = &pgdat->node_zones[z];
		struct compact_control cc = {
			.zone = zone, .order = (int)order,
			.mode = MIGRATE_ASYNC, .alloc_flags = alloc_flags,
		};
		enum compact_result r;

		if (!populated_zone(zone))
			continue;
		r = compaction_suitable(zone, order, alloc_flags);
		if (r == COMPACT_SKIPPED)
			continue;
		if (r == COMPACT_SUCCESS || compact_zone(&cc) == COMPACT_SUCCESS)
			return true;
	}
	return false;
}

void compact_node(pg_data_t *pgdat)
{
	struct zone *zone;

	for_each_populated_zone_in(zone, pgdat) {
		struct compact_control cc = {
			.zone = zone, .order = -1, .mode = MIGRATE_SYNC,
		};

		compact_zone(&cc);
		printk("Node %d, zone %8s: migrate scanned %lu, free scanned "
		       "%lu, moved %lu, not moved %lu (busy or pinned %lu, "
		       "no free page left above %lu)\n", pgdat->node_id,
		       zone->name, cc.migrate_scanned, cc.free_scanned,
		       cc.nr_migrated, cc.nr_migrate_failed + cc.nr_no_target,
		       cc.nr_migrate_failed, cc.nr_no_target);
	}
}

void compaction_init(void)
{
	page_alloc_try_compaction = try_to_compact_pages;
}

static int cmd_compact(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	compact_node(&contig_page_data);
	return 0;
}
CONSOLE_COMMAND(compact, "move movable pages together so free memory makes "
		"large blocks (Linux's /proc/sys/vm/compact_memory)",
		cmd_compact);
