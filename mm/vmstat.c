/*
 * mm/vmstat.c - the zone and node counters: per-CPU differences folded
 * into shared counters at a threshold, as Linux's mm/vmstat.c does. The
 * reports that print them are in mm/show_mem.c; docs/mm/vmstat.md has
 * the items, their feeders and the error bound.
 */
#include "mm/vmstat.h"
#include "kernel/panic.h"
#include <arch/cpu.h>

const char *const zone_stat_names[NR_VM_ZONE_STAT_ITEMS] = {
	[NR_FREE_PAGES]		= "nr_free_pages",
	[NR_ZONE_INACTIVE_ANON]	= "nr_zone_inactive_anon",
	[NR_ZONE_ACTIVE_ANON]	= "nr_zone_active_anon",
	[NR_ZONE_INACTIVE_FILE]	= "nr_zone_inactive_file",
	[NR_ZONE_ACTIVE_FILE]	= "nr_zone_active_file",
	[NR_ZONE_UNEVICTABLE]	= "nr_zone_unevictable",
	[NR_ZONE_WRITE_PENDING]	= "nr_zone_write_pending",
	[NR_MLOCK]		= "nr_mlock",
	[NR_BOUNCE]		= "nr_bounce",
};

/* Linux prints the _B items without the suffix, in pages. */
const char *const node_stat_names[NR_VM_NODE_STAT_ITEMS] = {
	[NR_INACTIVE_ANON]		= "nr_inactive_anon",
	[NR_ACTIVE_ANON]		= "nr_active_anon",
	[NR_INACTIVE_FILE]		= "nr_inactive_file",
	[NR_ACTIVE_FILE]		= "nr_active_file",
	[NR_UNEVICTABLE]		= "nr_unevictable",
	[NR_SLAB_RECLAIMABLE_B]		= "nr_slab_reclaimable",
	[NR_SLAB_UNRECLAIMABLE_B]	= "nr_slab_unreclaimable",
	[NR_ISOLATED_ANON]		= "nr_isolated_anon",
	[NR_ISOLATED_FILE]		= "nr_isolated_file",
	[NR_ANON_MAPPED]		= "nr_anon_pages",
	[NR_FILE_MAPPED]		= "nr_mapped",
	[NR_FILE_PAGES]			= "nr_file_pages",
	[NR_FILE_DIRTY]			= "nr_dirty",
	[NR_WRITEBACK]			= "nr_writeback",
	[NR_SHMEM]			= "nr_shmem",
	[NR_DIRTIED]			= "nr_dirtied",
	[NR_WRITTEN]			= "nr_written",
	[NR_KERNEL_MISC_RECLAIMABLE]	= "nr_kernel_misc_reclaimable",
	[NR_KERNEL_STACK_KB]		= "nr_kernel_stack",
	[NR_PAGETABLE]			= "nr_page_table_pages",
	[NR_SECONDARY_PAGETABLE]	= "nr_sec_page_table_pages",
	[NR_SWAPCACHE]			= "nr_swapcached",
	[NR_VMALLOC]			= "nr_vmalloc",
};

/* ---------------------------------------------------------------- update */

/*
 * Add delta to this CPU's difference *diff; if the sum leaves
 * [-threshold, threshold], move all of it to *counter with one atomic
 * add. Interrupts off: nothing else on this CPU touches *diff meanwhile,
 * and other CPUs only read it.
 */
static inline void fold_or_keep(int8_t *diff, long *counter, long delta,
				int threshold)
{
	long x = delta + *diff;

	if (x > threshold || x < -threshold) {
		__atomic_fetch_add(counter, x, __ATOMIC_RELAXED);
		x = 0;
	}
	WRITE_ONCE(*diff, (int8_t)x);
}

void __mod_zone_page_state(struct zone *zone, enum zone_stat_item item,
			   long delta)
{
	struct per_cpu_zonestat *pcp = this_cpu_ptr(zone->per_cpu_zonestats);

	if (WARN_ON(item == NR_FREE_PAGES))	/* the buddy's, zone->lock */
		return;
	fold_or_keep(&pcp->vm_stat_diff[item], &zone->vm_stat[item], delta,
		     pcp->stat_threshold);
}

void mod_zone_page_state(struct zone *zone, enum zone_stat_item item,
			 long delta)
{
	unsigned long flags = arch_irq_save();

	__mod_zone_page_state(zone, item, delta);
	arch_irq_restore(flags);
}

void __mod_node_page_state(pg_data_t *pgdat, enum node_stat_item item,
			   long delta)
{
	struct per_cpu_nodestat *pcp = this_cpu_ptr(pgdat->per_cpu_nodestats);

	if (vmstat_item_in_bytes(item)) {
		WARN_ON(delta % (long)PAGE_SIZE);
		delta /= (long)PAGE_SIZE;
	}
	fold_or_keep(&pcp->vm_node_stat_diff[item], &pgdat->vm_stat[item],
		     delta, pcp->stat_threshold);
}

void mod_node_page_state(pg_data_t *pgdat, enum node_stat_item item,
			 long delta)
{
	unsigned long flags = arch_irq_save();

	__mod_node_page_state(pgdat, item, delta);
	arch_irq_restore(flags);
}

void refresh_cpu_vm_stats(pg_data_t *pgdat)
{
	unsigned long flags = arch_irq_save();
	struct per_cpu_nodestat *np = this_cpu_ptr(pgdat->per_cpu_nodestats);

	for (int z = 0; z < MAX_NR_ZONES; z++) {
		struct zone *zone = &pgdat->node_zones[z];
		struct per_cpu_zonestat *zp = this_cpu_ptr(zone->per_cpu_zonestats);

		for (int i = 0; i < NR_VM_ZONE_STAT_ITEMS; i++)
			if (zp->vm_stat_diff[i]) {
				__atomic_fetch_add(&zone->vm_stat[i],
						   (long)zp->vm_stat_diff[i],
						   __ATOMIC_RELAXED);
				WRITE_ONCE(zp->vm_stat_diff[i], 0);
			}
	}
	for (int i = 0; i < NR_VM_NODE_STAT_ITEMS; i++)
		if (np->vm_node_stat_diff[i]) {
			__atomic_fetch_add(&pgdat->vm_stat[i],
					   (long)np->vm_node_stat_diff[i],
					   __ATOMIC_RELAXED);
			WRITE_ONCE(np->vm_node_stat_diff[i], 0);
		}
	arch_irq_restore(flags);
}

bool cpu_vm_stats_need_fold(pg_data_t *pgdat, unsigned int cpu)
{
	struct per_cpu_nodestat *np = per_cpu_ptr(pgdat->per_cpu_nodestats, cpu);

	for (int z = 0; z < MAX_NR_ZONES; z++) {
		struct zone *zone = &pgdat->node_zones[z];
		struct per_cpu_zonestat *zp = per_cpu_ptr(zone->per_cpu_zonestats,
							  cpu);

		for (int i = 0; i < NR_VM_ZONE_STAT_ITEMS; i++)
			if (READ_ONCE(zp->vm_stat_diff[i]))
				return true;
	}
	for (int i = 0; i < NR_VM_NODE_STAT_ITEMS; i++)
		if (READ_ONCE(np->vm_node_stat_diff[i]))
			return true;
	return false;
}

/*
 * Linux's calculate_normal_threshold(): more CPUs and more memory make
 * shared-counter updates costlier, so each CPU may drift further. Counted
 * with every CPU the kernel supports (NR_CPUS), not those online when
 * the node is built (SMP starts later). At most 125 (an int8_t diff).
 */
static int calculate_normal_threshold(unsigned long managed_pages)
{
	unsigned long mem = managed_pages >> (27 - PAGE_SHIFT);	/* 128 MiB */
	int fls_cpus = 32 - __builtin_clz(NR_CPUS);
	int fls_mem = mem ? 64 - __builtin_clzl(mem) : 0;
	int threshold = 2 * fls_cpus * (1 + fls_mem);

	return min(threshold, 125);
}

void refresh_zone_stat_thresholds(pg_data_t *pgdat)
{
	int node_threshold = 0;

	for (int z = 0; z < MAX_NR_ZONES; z++) {
		struct zone *zone = &pgdat->node_zones[z];
		int t = calculate_normal_threshold(zone->managed_pages);

		if (!populated_zone(zone))
			continue;
		node_threshold = max(node_threshold, t);
		for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
			WRITE_ONCE(per_cpu_ptr(zone->per_cpu_zonestats,
					       cpu)->stat_threshold, (int8_t)t);
	}
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
		WRITE_ONCE(per_cpu_ptr(pgdat->per_cpu_nodestats,
				       cpu)->stat_threshold,
			   (int8_t)node_threshold);
}

/* ---------------------------------------------------------------- read */

unsigned long zone_page_state_snapshot(struct zone *zone,
				       enum zone_stat_item item)
{
	long x = READ_ONCE(zone->vm_stat[item]);

	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
		x += READ_ONCE(per_cpu_ptr(zone->per_cpu_zonestats,
					   cpu)->vm_stat_diff[item]);
	return x < 0 ? 0 : (unsigned long)x;
}

unsigned long node_page_state_snapshot(pg_data_t *pgdat,
				       enum node_stat_item item)
{
	long x = READ_ONCE(pgdat->vm_stat[item]);

	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
		x += READ_ONCE(per_cpu_ptr(pgdat->per_cpu_nodestats,
					   cpu)->vm_node_stat_diff[item]);
	return x < 0 ? 0 : (unsigned long)x;
}

unsigned long sum_zone_node_page_state(pg_data_t *pgdat,
				       enum zone_stat_item item)
{
	unsigned long n = 0;
	struct zone *zone;

	for_each_populated_zone_in(zone, pgdat)
		n += zone_page_state_snapshot(zone, item);
	return n;
}

unsigned long global_zone_page_state(enum zone_stat_item item)
{
	unsigned long n = 0;
	struct zone *zone;

	for_each_populated_zone_in(zone, &contig_page_data)
		n += zone_page_state(zone, item);
	return n;
}

unsigned long global_node_page_state(enum node_stat_item item)
{
	return node_page_state(&contig_page_data, item);
}

/* ---------------------------------------------------------------- events */

const char *const vm_event_names[NR_VM_EVENT_ITEMS] = {
	[PGFAULT]	= "pgfault",
	[PGMAJFAULT]	= "pgmajfault",
	[PGFAULT_AROUND] = "pgfault_around",
	[PGPGIN]	= "pgpgin",
	[PGPGOUT]	= "pgpgout",
	[PSWPIN]	= "pswpin",
	[PSWPOUT]	= "pswpout",
	[PGACTIVATE]	= "pgactivate",
	[PGDEACTIVATE]	= "pgdeactivate",
	[PGREFILL]	= "pgrefill",
	[PGSCAN_KSWAPD]	= "pgscan_kswapd",
	[PGSCAN_DIRECT]	= "pgscan_direct",
	[PGSTEAL_KSWAPD] = "pgsteal_kswapd",
	[PGSTEAL_DIRECT] = "pgsteal_direct",
	[PGSTEAL_ANON]	= "pgsteal_anon",
	[PGSTEAL_FILE]	= "pgsteal_file",
	[PGROTATED]	= "pgrotated",
	[ALLOCSTALL]	= "allocstall",
	[PGSCAN_DIRECT_THROTTLE] = "pgscan_direct_throttle",
	[KSWAPD_LOW_WMARK_HIT_QUICKLY] = "kswapd_low_wmark_hit_quickly",
	[KSWAPD_HIGH_WMARK_HIT_QUICKLY] = "kswapd_high_wmark_hit_quickly",
	[DROP_PAGECACHE] = "drop_pagecache",
	[DROP_SLAB]	= "drop_slab",
	[WORKINGSET_REFAULT_ANON] = "workingset_refault_anon",
	[WORKINGSET_REFAULT_FILE] = "workingset_refault_file",
	[WORKINGSET_ACTIVATE_FILE] = "workingset_activate_file",
	[WORKINGSET_NODERECLAIM] = "workingset_nodereclaim",
	[DIRECT_RECLAIM_WRITE] = "direct_reclaim_write",
	[SWAP_RA]	= "swap_ra",
	[SWAP_RA_HIT]	= "swap_ra_hit",
	[TLB_BATCH_FLUSH] = "tlb_batch_flush",
	[RMAP_BUSY]	= "rmap_busy",
	[PGMIGRATE_SUCCESS] = "pgmigrate_success",
	[PGMIGRATE_FAIL] = "pgmigrate_fail",
	[COMPACTSTALL] = "compact_stall",
	[COMPACTFAIL] = "compact_fail",
	[COMPACTSUCCESS] = "compact_success",
	[COMPACTMIGRATE_SCANNED] = "compact_migrate_scanned",
	[COMPACTFREE_SCANNED] = "compact_free_scanned",
	[CMA_ALLOC_SUCCESS] = "cma_alloc_success",
	[CMA_ALLOC_FAIL] = "cma_alloc_fail",
	[RECLAIM_NS_KSWAPD] = "reclaim_ns_kswapd",
	[RECLAIM_NS_DIRECT] = "reclaim_ns_direct",
};

static unsigned long vm_events[NR_VM_EVENT_ITEMS];

/* One shared atomic counter per event: faults are not yet frequent
 * enough for Linux's per-CPU event counters to pay. */
void count_vm_event(enum vm_event_item item)
{
	__atomic_add_fetch(&vm_events[item], 1, __ATOMIC_RELAXED);
}

void count_vm_events(enum vm_event_item item, unsigned long n)
{
	__atomic_add_fetch(&vm_events[item], n, __ATOMIC_RELAXED);
}

unsigned long global_vm_event(enum vm_event_item item)
{
	return __atomic_load_n(&vm_events[item], __ATOMIC_RELAXED);
}
