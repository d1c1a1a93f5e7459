/*
 * mm/vmstat.h - per-zone and per-node counters with Linux's names
 * (enum zone_stat_item, enum node_stat_item in mm/mmzone.h), and the
 * readers meminfo, vmstat and zoneinfo use. docs/mm/vmstat.md lists every
 * item and who feeds it.
 *
 *	mod_node_page_state(page_pgdat(page), NR_PAGETABLE, 1);   // one more
 *	mod_node_page_state(pgdat, NR_SLAB_UNRECLAIMABLE_B, PAGE_SIZE << order);
 *	unsigned long n = node_page_state(pgdat, NR_PAGETABLE);
 *
 * How an update stays cheap (as Linux's mm/vmstat.c): each CPU keeps a
 * small signed difference per item; an update changes only its own CPU's
 * difference, and when that leaves [-stat_threshold, stat_threshold] the
 * whole difference is added to the shared counter with one atomic add.
 * So node_page_state() may be off by up to stat_threshold pages per CPU;
 * the _snapshot readers add the CPUs' differences and are exact when no
 * update runs meanwhile (the reports and tests use them).
 *
 * Exception: NR_FREE_PAGES is the buddy allocator's own count
 * (zone->free_pages), changed only under zone->lock by mm/page_alloc.c.
 * The mod_/inc_/dec_ functions must not be given it.
 *
 * Units: items ending in _B are changed in bytes (a multiple of
 * PAGE_SIZE) and kept and read in pages, as Linux; NR_KERNEL_STACK_KB is
 * in KiB; every other item in pages.
 *
 * Context: mod_, inc_, dec_ from any context (they disable interrupts
 * for the few instructions they take). The __ forms need interrupts off
 * already (or a caller that no interrupt handler on this CPU can race
 * with on the same item). Readers never lock.
 */
#ifndef MM_VMSTAT_H
#define MM_VMSTAT_H

#include "kernel/types.h"
#include "mm/mmzone.h"

/* Linux's /proc/vmstat names, index by item. */
extern const char *const zone_stat_names[NR_VM_ZONE_STAT_ITEMS];
extern const char *const node_stat_names[NR_VM_NODE_STAT_ITEMS];

static inline bool vmstat_item_in_bytes(enum node_stat_item item)
{
	return item == NR_SLAB_RECLAIMABLE_B || item == NR_SLAB_UNRECLAIMABLE_B;
}

/* ---------------------------------------------------------------- update */

void __mod_zone_page_state(struct zone *zone, enum zone_stat_item item,
			   long delta);
void mod_zone_page_state(struct zone *zone, enum zone_stat_item item,
			 long delta);
void __mod_node_page_state(pg_data_t *pgdat, enum node_stat_item item,
			   long delta);
void mod_node_page_state(pg_data_t *pgdat, enum node_stat_item item,
			 long delta);

#define __inc_zone_page_state(z, i)	__mod_zone_page_state(z, i, 1)
#define __dec_zone_page_state(z, i)	__mod_zone_page_state(z, i, -1)
#define inc_zone_page_state(z, i)	mod_zone_page_state(z, i, 1)
#define dec_zone_page_state(z, i)	mod_zone_page_state(z, i, -1)
#define __inc_node_page_state(n, i)	__mod_node_page_state(n, i, 1)
#define __dec_node_page_state(n, i)	__mod_node_page_state(n, i, -1)
#define inc_node_page_state(n, i)	mod_node_page_state(n, i, 1)
#define dec_node_page_state(n, i)	mod_node_page_state(n, i, -1)

/*
 * Fold this CPU's differences of every zone and node of pgdat into the
 * shared counters (Linux's refresh_cpu_vm_stats() does every node).
 * Afterwards node_page_state() is exact for what this CPU did.
 */
void refresh_cpu_vm_stats(pg_data_t *pgdat);

/*
 * Whether `cpu` holds a difference of pgdat that no update of its own
 * may ever fold (any nonzero one: a CPU that goes quiet keeps it
 * forever). Read from another CPU, racing with updates: a hint.
 */
bool cpu_vm_stats_need_fold(pg_data_t *pgdat, unsigned int cpu);

/*
 * The shepherd (Linux's vmstat_shepherd + vmstat_update): every
 * VMSTAT_INTERVAL_MS it has each CPU that holds differences fold them,
 * so a shared counter is never stale for longer than that, even for
 * counters only idle CPUs changed last. Readers that decide by a
 * counter (dirty throttling, reclaim) rely on it: without it the
 * shared dirty count can stay 32 pages a CPU too high for ever, and a
 * writer waiting for it to fall waits for ever. mm/vmstat_kthread.c,
 * started by kernel_main once system_wq exists.
 */
#define VMSTAT_INTERVAL_MS	1000
void vmstat_shepherd_init(void);

/*
 * Set every CPU's stat_threshold of pgdat's zones and of pgdat from the
 * node's size (Linux's calculate_normal_threshold()); 0 until then, which
 * folds every update at once. The page allocator calls it when it builds
 * a node.
 */
void refresh_zone_stat_thresholds(pg_data_t *pgdat);

/* ---------------------------------------------------------------- read */

/* The shared counter: off by up to stat_threshold per CPU; never < 0. */
static inline unsigned long zone_page_state(struct zone *zone,
					    enum zone_stat_item item)
{
	long x = READ_ONCE(zone->vm_stat[item]);

	return x < 0 ? 0 : (unsigned long)x;
}

static inline unsigned long node_page_state(pg_data_t *pgdat,
					    enum node_stat_item item)
{
	long x = READ_ONCE(pgdat->vm_stat[item]);

	return x < 0 ? 0 : (unsigned long)x;
}

/* The shared counter plus every CPU's difference. */
unsigned long zone_page_state_snapshot(struct zone *zone,
				       enum zone_stat_item item);
unsigned long node_page_state_snapshot(pg_data_t *pgdat,
				       enum node_stat_item item);

/* A zone item summed over the node's zones (snapshot). */
unsigned long sum_zone_node_page_state(pg_data_t *pgdat,
				       enum zone_stat_item item);

/*
 * The kernel's memory: the global node (contig_page_data). Private arenas
 * (page_arena_init) are separate machines and are not in it.
 */
unsigned long global_zone_page_state(enum zone_stat_item item);
unsigned long global_node_page_state(enum node_stat_item item);

/* ---------------------------------------------------------------- reports */

/*
 * A component's own meminfo line, for a value no counter covers (swap
 * totals, CMA totals): printed right after the line named `after` (the
 * end of meminfo if no line has that name), in kB.
 *
 *	static unsigned long cma_total_kb(pg_data_t *pgdat) { ... }
 *	MEMINFO_LINE(CmaTotal, "VmallocChunk", cma_total_kb);
 */
struct meminfo_line {
	const char *name;
	const char *after;
	unsigned long (*kb)(pg_data_t *pgdat);
};

#define MEMINFO_LINE(lname, after_line, fn) \
	static const struct meminfo_line __meminfo_##lname = { \
		.name = #lname, .after = after_line, .kb = fn }; \
	static const struct meminfo_line *const __meminfo_ptr_##lname \
	__used __section("meminfo_lines") __aligned(sizeof(void *)) = \
		&__meminfo_##lname

/* ---------------------------------------------------------------- events */

/*
 * Event counters (Linux's enum vm_event_item, /proc/vmstat's second
 * half): things that happen, never decrease, kept for the whole kernel
 * (not per node). count_vm_event() from any context.
 */
enum vm_event_item {
	PGFAULT,		/* page faults handled (handle_mm_fault) */
	PGMAJFAULT,		/* of them, needing I/O (a file read, swap-in) */
	PGFAULT_AROUND,		/* pages an anonymous fault mapped beyond the
				 * one it faulted on (a sequential writer's
				 * zeroed pages, swap-in's cached ones) */
	PGPGIN, PGPGOUT,	/* KiB read from / written to disk (page cache) */
	PSWPIN, PSWPOUT,	/* pages read from / written to swap slots */
	PGACTIVATE,		/* pages moved inactive -> active */
	PGDEACTIVATE,		/* pages moved active -> inactive */
	PGREFILL,		/* active pages scanned to refill inactive */
	PGSCAN_KSWAPD,		/* inactive pages scanned by kswapd */
	PGSCAN_DIRECT,		/* ... by direct reclaim */
	PGSTEAL_KSWAPD,		/* pages reclaimed by kswapd */
	PGSTEAL_DIRECT,		/* ... by direct reclaim */
	PGSTEAL_ANON, PGSTEAL_FILE,	/* reclaimed, by type (both reclaimers) */
	PGROTATED,		/* pages put back at the inactive tail */
	ALLOCSTALL,		/* entries into direct reclaim */
	PGSCAN_DIRECT_THROTTLE,	/* direct reclaimers held back: the reserves
				 * were half used (pfmemalloc_wait) */
	KSWAPD_LOW_WMARK_HIT_QUICKLY, KSWAPD_HIGH_WMARK_HIT_QUICKLY,
	DROP_PAGECACHE, DROP_SLAB,	/* drop_caches runs */
	WORKINGSET_REFAULT_ANON,	/* Linux keeps these per node; one */
	WORKINGSET_REFAULT_FILE,	/* node here, so an event is the same */
	WORKINGSET_ACTIVATE_FILE,	/* refaults put straight on active */
	WORKINGSET_NODERECLAIM,	/* shadow entries reclaimed */
	DIRECT_RECLAIM_WRITE,	/* write requests (file data, metadata;
				 * not REQ_SWAP) submitted to a disk by a
				 * thread in direct reclaim (blk_submit,
				 * PF_MEMALLOC): must stay 0 */
	SWAP_RA,		/* pages swap-in readahead read beside the one
				 * faulted on */
	SWAP_RA_HIT,		/* of them, later used (their first lookup) */
	TLB_BATCH_FLUSH,	/* TLB flushes reclaim owed for a batch of
				 * unmapped pages (mm/rmap.h tlb_batch) */
	RMAP_BUSY,		/* rmap walks that skipped a mapper whose mm
				 * lock was held (a process in a fault): the
				 * page could be neither judged nor unmapped.
				 * Not in Linux, whose walks take page-table
				 * locks (docs/mm/swap.md) */
	PGMIGRATE_SUCCESS,	/* pages migrated (mm/migrate.h) */
	PGMIGRATE_FAIL,		/* pages migrate_pages gave up on */
	COMPACTSTALL,		/* allocations that entered direct compaction */
	COMPACTFAIL,		/* ... and still failed after it */
	COMPACTSUCCESS,		/* ... and succeeded after it (Linux's names) */
	COMPACTMIGRATE_SCANNED,	/* pages compaction's migrate scanner looked at */
	COMPACTFREE_SCANNED,	/* pages its free scanner looked at */
	CMA_ALLOC_SUCCESS,	/* cma_alloc calls that succeeded */
	CMA_ALLOC_FAIL,		/* ... that failed */
	/* Time spent reclaiming, in ns (clock_ns), by who reclaimed: the
	 * time of each shrink_node() call, added when it returns (is_kswapd
	 * picks the counter). Not in Linux; `make bench` divides each by
	 * PGSTEAL_KSWAPD / PGSTEAL_DIRECT for the ns of reclaim per page
	 * (docs/benchmarks.md, tools/bench-filemap). */
	RECLAIM_NS_KSWAPD,
	RECLAIM_NS_DIRECT,
	NR_VM_EVENT_ITEMS,
};
extern const char *const vm_event_names[NR_VM_EVENT_ITEMS];
void count_vm_event(enum vm_event_item item);
void count_vm_events(enum vm_event_item item, unsigned long n);
unsigned long global_vm_event(enum vm_event_item item);

/* Linux's /proc/vmstat: every zone item (summed over zones), then every
 * node item, nr_dirty_threshold and nr_dirty_background_threshold (the
 * whole machine's, global_dirty_limits), then the events, one "name
 * value" per line. */
void show_vmstat(pg_data_t *pgdat);

#endif
