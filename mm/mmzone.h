/*
 * mm/mmzone.h - how physical memory is organised for the page allocator.
 *
 *   node (pg_data_t)   all the memory one allocator instance manages: the
 *                      global node (contig_page_data) or a private arena
 *   zone               the part of a node that suits some allocations:
 *                      ZONE_DMA32 below ARCH_DMA32_LIMIT, ZONE_NORMAL above
 *   memmap range       a run of present page frames with its own slice of
 *                      the memmap; ranges never span a hole or a zone edge
 *   pageblock          2^pageblock_order pages (2 MiB) sharing a migratetype
 *   free_area[order]   the buddy free lists of one order, one per migratetype
 *
 * Locking: zone->lock guards free_area and the free counters (taken with
 * interrupts off everywhere: a cross-CPU drain takes it in an interrupt);
 * each CPU's per_cpu_pages is touched only by that CPU with interrupts
 * off, no lock (other CPUs ask it to drain: drain_all_pages).
 */
#ifndef MM_MMZONE_H
#define MM_MMZONE_H

#include "kernel/types.h"
#include "kernel/percpu.h"
#include "kernel/printk.h"
#include "kernel/spinlock.h"
#include "kernel/lib/list.h"
#include "mm/mm_types.h"
#include <arch/page.h>

#define MAX_PAGE_ORDER		10		/* largest block: 4 MiB */
#define NR_PAGE_ORDERS		(MAX_PAGE_ORDER + 1)
#define MAX_ORDER_NR_PAGES	(1UL << MAX_PAGE_ORDER)
#define pageblock_order		9
#define pageblock_nr_pages	(1UL << pageblock_order)
#define PAGE_ALLOC_COSTLY_ORDER	3	/* orders above this are "costly" */

/* Mobility types: where a page's contents may go (see docs/mm). */
enum migratetype {
	MIGRATE_UNMOVABLE,	/* kernel data: stays where it is */
	MIGRATE_MOVABLE,	/* user pages: can be migrated */
	MIGRATE_RECLAIMABLE,	/* caches: can be freed on demand */
	MIGRATE_PCPTYPES,	/* the types with per-CPU lists (above) */
	MIGRATE_CMA = MIGRATE_PCPTYPES,	/* contiguous-allocator pool: movable only */
	MIGRATE_ISOLATE,	/* taken out of use (migration, offlining) */
	MIGRATE_TYPES
};
_Static_assert(MIGRATE_MOVABLE == 1 && MIGRATE_RECLAIMABLE == 2,
	       "gfp_migratetype() returns these numbers");

extern const char *const migratetype_names[MIGRATE_TYPES];

enum zone_type {
	ZONE_DMA32,		/* below ARCH_DMA32_LIMIT: 32-bit DMA masks */
	ZONE_NORMAL,		/* the rest */
	MAX_NR_ZONES
};

enum zone_watermarks { WMARK_MIN, WMARK_LOW, WMARK_HIGH, NR_WMARK };

/* Free blocks of one order: one list per migratetype. */
struct free_area {
	struct list_head free_list[MIGRATE_TYPES];
	unsigned long nr_free;			/* blocks, all types */
};

/* Per-CPU lists cover orders 0..PAGE_ALLOC_COSTLY_ORDER, pcp types only. */
#define NR_PCP_ORDERS	(PAGE_ALLOC_COSTLY_ORDER + 1)
#define NR_PCP_LISTS	(MIGRATE_PCPTYPES * NR_PCP_ORDERS)

/*
 * One CPU's cache of free pages for one zone: allocations and frees of
 * small orders touch only this, and reach the zone a batch at a time.
 * Only its own CPU touches it, with interrupts off (no lock); another CPU
 * reads count and writes high and batch (WRITE_ONCE), nothing more.
 * high == 0 bypasses the cache.
 */
struct per_cpu_pages {
	int count;		/* pages on the lists */
	int high;		/* free to the zone above this */
	int batch;		/* pages moved per zone visit */
	int free_rotor;		/* next list free_pcppages_bulk() takes from */
	struct list_head lists[NR_PCP_LISTS];
};

/* Event counters (vmstat-style), updated under the zone lock. */
enum zone_event {
	ZE_ALLOC_FAIL,		/* allocations that found nothing here */
	ZE_STEAL_BLOCK,		/* pageblocks converted by fallback */
	ZE_STEAL_PAGE,		/* fallback allocations that left the block */
	ZE_PCP_REFILL,		/* batches moved zone -> per-CPU list */
	ZE_PCP_SPILL,		/* batches moved per-CPU list -> zone */
	ZE_RESERVE,		/* blocks taken below the min watermark, by
				 * allocations the reserves are for */
	NR_ZONE_EVENTS
};

/*
 * Counters with Linux's names, read by meminfo, vmstat and zoneinfo. The
 * API is in mm/vmstat.h; docs/mm/vmstat.md says who feeds each item (an
 * item no component feeds yet reads 0). Zone items count pages of one
 * zone, node items pages (or, for _B, bytes; _KB, KiB) of one node.
 */
enum zone_stat_item {
	NR_FREE_PAGES,		/* buddy lists: zone->free_pages, exact */
	NR_ZONE_LRU_BASE,	/* the LRU lists' pages in this zone */
	NR_ZONE_INACTIVE_ANON = NR_ZONE_LRU_BASE,
	NR_ZONE_ACTIVE_ANON,
	NR_ZONE_INACTIVE_FILE,
	NR_ZONE_ACTIVE_FILE,
	NR_ZONE_UNEVICTABLE,
	NR_ZONE_WRITE_PENDING,	/* dirty + writeback */
	NR_MLOCK,		/* mlock()ed pages */
	NR_BOUNCE,		/* block-layer bounce buffers */
	NR_VM_ZONE_STAT_ITEMS
};

enum node_stat_item {
	NR_LRU_BASE,
	NR_INACTIVE_ANON = NR_LRU_BASE,
	NR_ACTIVE_ANON,
	NR_INACTIVE_FILE,
	NR_ACTIVE_FILE,
	NR_UNEVICTABLE,
	NR_SLAB_RECLAIMABLE_B,	/* bytes in slabs of SLAB_RECLAIM_ACCOUNT caches */
	NR_SLAB_UNRECLAIMABLE_B,/* bytes in other slabs and cache structs */
	NR_ISOLATED_ANON,	/* taken off the LRU for migration/reclaim */
	NR_ISOLATED_FILE,
	NR_ANON_MAPPED,		/* anonymous pages mapped by a process */
	NR_FILE_MAPPED,		/* page-cache pages mapped by a process */
	NR_FILE_PAGES,		/* the page cache (shmem and swap cache too) */
	NR_FILE_DIRTY,
	NR_WRITEBACK,
	NR_SHMEM,
	NR_DIRTIED,		/* pages ever dirtied (an event count) */
	NR_WRITTEN,		/* pages ever written back (an event count) */
	NR_KERNEL_MISC_RECLAIMABLE,	/* reclaimable kernel memory, not slab */
	NR_KERNEL_STACK_KB,	/* KiB of thread stacks */
	NR_PAGETABLE,		/* page-table pages of the CPU's tables */
	NR_SECONDARY_PAGETABLE,	/* page-table pages of devices (IOMMUs) */
	NR_SWAPCACHE,		/* pages in the swap cache */
	NR_VMALLOC,		/* pages mapped by vmalloc and vmap */
	NR_VM_NODE_STAT_ITEMS
};

/*
 * One CPU's not-yet-folded changes to a zone's or a node's counters: an
 * update moves only these until one leaves [-stat_threshold,
 * stat_threshold], then the whole difference is added to the shared
 * counter (mm/vmstat.c). Both fit one cache line.
 */
struct per_cpu_zonestat {
	int8_t vm_stat_diff[NR_VM_ZONE_STAT_ITEMS];
	int8_t stat_threshold;
};

struct per_cpu_nodestat {
	int8_t stat_threshold;
	int8_t vm_node_stat_diff[NR_VM_NODE_STAT_ITEMS];
};

struct pglist_data;

struct zone {
	/* Read-mostly. */
	unsigned long _watermark[NR_WMARK];
	unsigned long lowmem_reserve[MAX_NR_ZONES];	/* protection */
	struct pglist_data *zone_pgdat;
	const char *name;
	enum zone_type idx;
	unsigned long zone_start_pfn;	/* lowest pfn in the zone */
	unsigned long spanned_pages;	/* pfns from start to end, holes too */
	unsigned long present_pages;	/* pfns with a struct page */
	unsigned long managed_pages;	/* pages ever given to the buddy lists */
	int pcp_high, pcp_batch;	/* for each CPU's per_cpu_pages */
	/* Pageblocks of type Isolate now (written under lock): while there
	 * are none, a free picks its per-CPU list without the pageblock. */
	unsigned long nr_isolate_pageblock;

	spinlock_t lock;
	struct free_area free_area[NR_PAGE_ORDERS];
	unsigned long nr_free_mt[MIGRATE_TYPES]; /* free_pages by list type */
	/*
	 * The zone's counters (mm/vmstat.h). NR_FREE_PAGES is the buddy's
	 * own free count, under its old name free_pages too: one word,
	 * written only under zone->lock, never through a per-CPU diff, so
	 * the watermark checks read an exact count.
	 */
	union {
		long vm_stat[NR_VM_ZONE_STAT_ITEMS];
		unsigned long free_pages;	 /* in the buddy lists */
	};
	unsigned long events[NR_ZONE_EVENTS];

	DEFINE_PER_CPU(struct per_cpu_pages, pcp);
	DEFINE_PER_CPU(struct per_cpu_zonestat, per_cpu_zonestats);
};
_Static_assert(NR_FREE_PAGES == 0, "zone->free_pages is vm_stat[NR_FREE_PAGES]");

static inline bool populated_zone(const struct zone *zone)
{
	return zone->present_pages != 0;
}

#define min_wmark_pages(z)	((z)->_watermark[WMARK_MIN])
#define low_wmark_pages(z)	((z)->_watermark[WMARK_LOW])
#define high_wmark_pages(z)	((z)->_watermark[WMARK_HIGH])

/*
 * A run of present pfns [start_pfn, end_pfn) in one zone, with the
 * struct pages for exactly those pfns and one migratetype byte per
 * pageblock overlapping it. page->range_id names the range.
 */
struct memmap_range {
	unsigned long start_pfn, end_pfn;
	struct page *memmap;		/* memmap[i] describes start_pfn + i */
	uint8_t *pageblock_mt;		/* [(pfn >> pb_order) - first block] */
	struct zone *zone;
};
#define MAX_MEMMAP_RANGES	64	/* all nodes together */
#define MAX_NODE_RANGES		16	/* per node */

/*
 * The LRU lists of one node (Linux's lruvec; mm/lru.h has the API and
 * docs/mm/reclaim.md the picture). One set per node, shared by every
 * user of the node: no per-cgroup lists here (issue 14's "the seed").
 */
enum lru_list {
	LRU_INACTIVE_ANON,
	LRU_ACTIVE_ANON,
	LRU_INACTIVE_FILE,
	LRU_ACTIVE_FILE,
	LRU_UNEVICTABLE,
	NR_LRU_LISTS,
};

struct lruvec {
	spinlock_t lru_lock;			/* the lists and nr_pages */
	struct list_head lists[NR_LRU_LISTS];	/* page->lru; head = newest */
	unsigned long nr_pages[NR_LRU_LISTS];
	/* Workingset clock (mm/workingset.c): evictions and activations,
	 * which a shadow entry records to measure a refault's distance. */
	unsigned long nonresident_age;
	/* Scan balance between anon and file (Linux's reclaim_stat). */
	unsigned long recent_scanned[2], recent_rotated[2];
};

/* kswapd's and direct reclaim's state of a node (mm/vmscan.c). */
struct reclaim_state_node {
	void *kswapd;				/* its thread (kernel only) */
	void *kswapd_wait;			/* its wait queue (kernel only) */
	unsigned int kswapd_order;		/* largest order wanted */
	int kswapd_failures;			/* runs that freed nothing */
	bool kswapd_running;			/* awake and reclaiming */
	void *reclaim_wait;			/* throttled direct reclaimers */
};

typedef struct pglist_data {
	struct zone node_zones[MAX_NR_ZONES];
	int node_id;
	unsigned long node_start_pfn, node_spanned_pages;
	unsigned int nr_ranges;
	uint8_t range_ids[MAX_NODE_RANGES];	/* ascending pfn */
	bool mobility_grouping_disabled;	/* one free list for all */
	bool debug;			/* page_arena_set_debug(): checks here */
	struct ratelimit nopage_rs;		/* allocation failure reports */
	unsigned long nr_bad_pages;		/* bad page reports */
	long vm_stat[NR_VM_NODE_STAT_ITEMS];	/* mm/vmstat.h */
	struct lruvec __lruvec;			/* mm/lru.h: node_lruvec() */
	struct reclaim_state_node reclaim;	/* mm/vmscan.c */
	DEFINE_PER_CPU(struct per_cpu_nodestat, per_cpu_nodestats);
} pg_data_t;

/* The kernel's one node (Linux's name for the !NUMA node). */
extern pg_data_t contig_page_data;
#define NODE_DATA(nid)	(&contig_page_data)

/* The memmap range table (mm/memmap.c). */
extern struct memmap_range memmap_ranges[MAX_MEMMAP_RANGES];

#define for_each_populated_zone_in(zone, pgdat)				\
	for (zone = (pgdat)->node_zones;				\
	     zone < (pgdat)->node_zones + MAX_NR_ZONES; zone++)	\
		if (populated_zone(zone))

#endif
