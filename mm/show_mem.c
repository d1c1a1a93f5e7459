/*
 * mm/show_mem.c - the memory reports, in Linux's /proc formats
 * (/proc/buddyinfo, /proc/pagetypeinfo, /proc/zoneinfo, /proc/meminfo,
 * /proc/vmstat), the console commands that print them, and the allocation
 * failure report. Each printer takes a node, so tests can run them on an
 * arena. Besides the page allocator's own structures they read only the
 * zone and node counters (mm/vmstat.h) and the MEMINFO_LINE registrations:
 * no other component is called by name.
 */
#include "mm/filemap.h"
#include "mm/internal.h"
#include "mm/swap.h"
#include "mm/vmstat.h"
#include "kernel/console.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vsprintf.h"
#include <arch/mmu.h>

#define K(pages)	((pages) << (PAGE_SHIFT - 10))

/* Free blocks of one order and type; zone->lock held. */
static unsigned long count_free(struct zone *zone, unsigned int order, int mt)
{
	unsigned long n = 0;
	struct list_head *pos;

	list_for_each(pos, &zone->free_area[order].free_list[mt])
		n++;
	return n;
}

void show_buddyinfo(pg_data_t *pgdat)
{
	struct zone *zone;

	for_each_populated_zone_in(zone, pgdat) {
		char line[160];
		int len = ksnprintf(line, sizeof(line), "Node %d, zone %8s ",
				    pgdat->node_id, zone->name);

		for (unsigned int o = 0; o < NR_PAGE_ORDERS; o++)
			len += kscnprintf(line + len, sizeof(line) - len, "%6lu ",
					  READ_ONCE(zone->free_area[o].nr_free));
		printk("%s\n", line);
	}
}

void fill_contig_page_info(struct zone *zone, unsigned int order,
			   struct contig_page_info *info)
{
	*info = (struct contig_page_info){ 0, 0, 0 };
	for (unsigned int o = 0; o < NR_PAGE_ORDERS; o++) {
		unsigned long blocks = READ_ONCE(zone->free_area[o].nr_free);

		info->free_blocks_total += blocks;
		info->free_pages += blocks << o;
		if (o >= order)	/* each splits into 2^(o - order) */
			info->free_blocks_suitable += blocks << (o - order);
	}
}

int unusable_free_index(unsigned int order, const struct contig_page_info *info)
{
	if (!info->free_pages)
		return 1000;	/* no free memory: none of it can serve */
	return (int)((info->free_pages -
		      (info->free_blocks_suitable << order)) * 1000 /
		     info->free_pages);
}

int fragmentation_index(unsigned int order, const struct contig_page_info *info)
{
	unsigned long requested = 1UL << order;

	if (!info->free_blocks_total)
		return 0;
	if (info->free_blocks_suitable)
		return -1000;
	/* 1 - (1 + free/requested) / blocks, in thousandths: many small
	 * blocks holding much memory give nearly 1. Clamped at 0: with one
	 * free block, smaller than the request, the formula gives
	 * -free/requested (down to -0.500, which Linux prints " 0.-500"). */
	return max(0, 1000 - (int)((1000 + info->free_pages * 1000 / requested) /
				   info->free_blocks_total));
}

/* One zone's line of an index: "Node 0, zone   Normal " then per order
 * the thousandths as Linux prints them ("%d.%03d "; extfrag_index pads
 * the units to two: "-1.000 ", " 0.490 "; only -1000 is negative). */
static void show_index_line(pg_data_t *pgdat, struct zone *zone,
			    int (*index)(unsigned int,
					 const struct contig_page_info *),
			    const char *fmt)
{
	char line[200];
	int len = ksnprintf(line, sizeof(line), "Node %d, zone %8s ",
			    pgdat->node_id, zone->name);

	for (unsigned int o = 0; o < NR_PAGE_ORDERS; o++) {
		struct contig_page_info info;
		int i;

		fill_contig_page_info(zone, o, &info);
		i = index(o, &info);
		len += kscnprintf(line + len, sizeof(line) - len, fmt,
				  i / 1000, i % 1000);
	}
	printk("%s\n", line);
}

void show_extfrag(pg_data_t *pgdat)
{
	struct zone *zone;

	printk("unusable_index (free pages that cannot serve the order):\n");
	for_each_populated_zone_in(zone, pgdat)
		show_index_line(pgdat, zone, unusable_free_index, "%d.%03d ");
	printk("extfrag_index (-1.000: a block is free; towards 1.000: free "
	       "memory too fragmented; towards 0: too little free memory):\n");
	for_each_populated_zone_in(zone, pgdat)
		show_index_line(pgdat, zone, fragmentation_index, "%2d.%03d ");
}

void show_pagetypeinfo(pg_data_t *pgdat)
{
	struct zone *zone;
	char line[200];
	int len;

	printk("Page block order: %d\n", pageblock_order);
	printk("Pages per block:  %lu\n", pageblock_nr_pages);
	printk("\n");
	len = ksnprintf(line, sizeof(line), "%-43s ",
			"Free pages count per migrate type at order");
	for (unsigned int o = 0; o < NR_PAGE_ORDERS; o++)
		len += kscnprintf(line + len, sizeof(line) - len, "%6u ", o);
	printk("%s\n", line);
	for_each_populated_zone_in(zone, pgdat) {
		for (int mt = 0; mt < MIGRATE_TYPES; mt++) {
			unsigned long flags;

			len = ksnprintf(line, sizeof(line),
					"Node %4d, zone %8s, type %12s ",
					pgdat->node_id, zone->name,
					migratetype_names[mt]);
			spin_lock_irqsave(&zone->lock, flags);
			for (unsigned int o = 0; o < NR_PAGE_ORDERS; o++)
				len += kscnprintf(line + len, sizeof(line) - len,
						  "%6lu ", count_free(zone, o, mt));
			spin_unlock_irqrestore(&zone->lock, flags);
			printk("%s\n", line);
		}
	}
	printk("\n");
	len = ksnprintf(line, sizeof(line), "%-23s", "Number of blocks type ");
	for (int mt = 0; mt < MIGRATE_TYPES; mt++)
		len += kscnprintf(line + len, sizeof(line) - len, "%12s ",
				  migratetype_names[mt]);
	printk("%s\n", line);
	for_each_populated_zone_in(zone, pgdat) {
		unsigned long blocks[MIGRATE_TYPES] = { 0 };

		for (unsigned int i = 0; i < pgdat->nr_ranges; i++) {
			const struct memmap_range *r =
				&memmap_ranges[pgdat->range_ids[i]];

			if (r->zone != zone)
				continue;
			for (unsigned long b = 0;
			     b < pageblock_bytes(r->start_pfn, r->end_pfn); b++)
				blocks[r->pageblock_mt[b]]++;
		}
		len = ksnprintf(line, sizeof(line), "Node %d, zone %8s ",
				pgdat->node_id, zone->name);
		for (int mt = 0; mt < MIGRATE_TYPES; mt++)
			len += kscnprintf(line + len, sizeof(line) - len,
					  "%12lu ", blocks[mt]);
		printk("%s\n", line);
	}
}

static const char *const zone_event_names[NR_ZONE_EVENTS] = {
	"alloc_fail", "steal_block", "steal_page", "pcp_refill", "pcp_spill",
	"reserve",
};

/* A node item in pages (the _B items are kept in pages) or KiB. */
static unsigned long node_stat(pg_data_t *pgdat, enum node_stat_item item)
{
	return node_page_state_snapshot(pgdat, item);
}

void show_zoneinfo(pg_data_t *pgdat)
{
	struct zone *zone;
	bool node_done = false;

	for_each_populated_zone_in(zone, pgdat) {
		char prot[64];
		int len = 0;

		for (int z = 0; z < MAX_NR_ZONES; z++)
			len += kscnprintf(prot + len, sizeof(prot) - len, "%s%lu",
					  z ? ", " : "", zone->lowmem_reserve[z]);
		printk("Node %d, zone %8s\n", pgdat->node_id, zone->name);
		if (!node_done) {	/* with the node's first zone, as Linux */
			printk("  per-node stats\n");
			for (int i = 0; i < NR_VM_NODE_STAT_ITEMS; i++)
				printk("      %-12s %lu\n", node_stat_names[i],
				       node_stat(pgdat, i));
			node_done = true;
		}
		printk("  pages free     %lu\n", READ_ONCE(zone->free_pages));
		printk("        boost    0\n");
		printk("        min      %lu\n", min_wmark_pages(zone));
		printk("        low      %lu\n", low_wmark_pages(zone));
		printk("        high     %lu\n", high_wmark_pages(zone));
		printk("        spanned  %lu\n", zone->spanned_pages);
		printk("        present  %lu\n", zone->present_pages);
		printk("        managed  %lu\n", zone->managed_pages);
		printk("        cma      %lu\n", zone->nr_free_mt[MIGRATE_CMA]);
		printk("        protection: (%s)\n", prot);
		for (int i = 0; i < NR_VM_ZONE_STAT_ITEMS; i++)
			printk("      %-12s %lu\n", zone_stat_names[i],
			       zone_page_state_snapshot(zone, i));
		printk("      %-12s %lu\n", "nr_free_cma",
		       READ_ONCE(zone->nr_free_mt[MIGRATE_CMA]));
		for (int e = 0; e < NR_ZONE_EVENTS; e++)
			printk("      %-12s %lu\n", zone_event_names[e],
			       zone->events[e]);
		printk("  pagesets\n");
		for_each_online_cpu(cpu) {
			struct per_cpu_pages *pcp = per_cpu_ptr(zone->pcp, cpu);

			printk("    cpu: %u\n", cpu);
			printk("              count: %d\n", READ_ONCE(pcp->count));
			printk("              high:  %d\n", pcp->high);
			printk("              batch: %d\n", pcp->batch);
			printk("  vm stats threshold: %d\n",
			       per_cpu_ptr(zone->per_cpu_zonestats,
					   cpu)->stat_threshold);
		}
		printk("  node_unreclaimable:  0\n");
		printk("  start_pfn:           %lu\n", zone->zone_start_pfn);
	}
}

/* ---------------------------------------------------------------- meminfo */

/* The MEMINFO_LINE registrations (a linker section, as console_cmds). */
extern const struct meminfo_line *const __start_meminfo_lines[];
extern const struct meminfo_line *const __stop_meminfo_lines[];

struct meminfo_val {
	const char *name;
	unsigned long kb;
};

static void meminfo_print(const char *name, unsigned long kb)
{
	char label[24];

	ksnprintf(label, sizeof(label), "%s:", name);
	printk("%-16s%8lu kB\n", label, kb);
}

/* Registered lines placed after `after`. */
static void meminfo_registered(pg_data_t *pgdat, const char *after)
{
	for (const struct meminfo_line *const *l = __start_meminfo_lines;
	     l < __stop_meminfo_lines; l++)
		if (!strcmp((*l)->after, after)) {
			meminfo_print((*l)->name, (*l)->kb(pgdat));
			/* A line may be placed after a registered one. */
			meminfo_registered(pgdat, (*l)->name);
		}
}

/* What the allocator keeps back: Linux's totalreserve_pages. */
static unsigned long node_reserve_pages(pg_data_t *pgdat)
{
	unsigned long reserve = 0;
	struct zone *zone;

	for_each_populated_zone_in(zone, pgdat) {
		unsigned long max_res = 0;

		for (int z = 0; z < MAX_NR_ZONES; z++)
			max_res = max(max_res, zone->lowmem_reserve[z]);
		reserve += min(max_res + high_wmark_pages(zone),
			       zone->managed_pages);
	}
	return reserve;
}

/*
 * Linux's si_mem_available(): free pages above the reserves, plus the
 * part of the page cache and of reclaimable kernel memory that reclaim
 * could give back without going below the low watermarks.
 */
static unsigned long mem_available(pg_data_t *pgdat, unsigned long free,
				   unsigned long kreclaimable)
{
	unsigned long wmark_low = 0, pagecache, reserve = node_reserve_pages(pgdat);
	long available = (long)free - (long)reserve;
	struct zone *zone;

	for_each_populated_zone_in(zone, pgdat)
		wmark_low += low_wmark_pages(zone);
	pagecache = node_stat(pgdat, NR_ACTIVE_FILE) +
		    node_stat(pgdat, NR_INACTIVE_FILE);
	pagecache -= min(pagecache / 2, wmark_low);
	available += (long)pagecache;
	available += (long)(kreclaimable - min(kreclaimable / 2, wmark_low));
	return available < 0 ? 0 : (unsigned long)available;
}

unsigned long si_mem_available(void)
{
	pg_data_t *pgdat = &contig_page_data;
	unsigned long krec = node_stat(pgdat, NR_SLAB_RECLAIMABLE_B) +
			     node_stat(pgdat, NR_KERNEL_MISC_RECLAIMABLE);

	return mem_available(pgdat, sum_zone_node_page_state(pgdat,
							     NR_FREE_PAGES),
			     krec);
}

void show_meminfo(pg_data_t *pgdat)
{
#define P(item)	K(node_stat(pgdat, item))
	unsigned long free = sum_zone_node_page_state(pgdat, NR_FREE_PAGES);
	unsigned long file = node_stat(pgdat, NR_FILE_PAGES);
	unsigned long swapcached = node_stat(pgdat, NR_SWAPCACHE);
	/* Buffers: the block devices' caches (file systems' metadata),
	 * counted for every node: there is one node (mm/filemap.c). */
	unsigned long buffers = min(nr_blockdev_pages(), file);
	unsigned long cached = file > swapcached + buffers ?
			       file - swapcached - buffers : 0;
	unsigned long srec = node_stat(pgdat, NR_SLAB_RECLAIMABLE_B);
	unsigned long sunrec = node_stat(pgdat, NR_SLAB_UNRECLAIMABLE_B);
	unsigned long krec = srec + node_stat(pgdat, NR_KERNEL_MISC_RECLAIMABLE);
	const struct meminfo_val v[] = {
		{ "MemTotal",		K(node_managed_pages(pgdat)) },
		{ "MemFree",		K(free) },
		{ "MemAvailable",	K(mem_available(pgdat, free, krec)) },
		{ "Buffers",		K(buffers) },
		{ "Cached",		K(cached) },
		{ "SwapCached",		K(swapcached) },
		{ "Active",		P(NR_ACTIVE_ANON) + P(NR_ACTIVE_FILE) },
		{ "Inactive",		P(NR_INACTIVE_ANON) + P(NR_INACTIVE_FILE) },
		{ "Active(anon)",	P(NR_ACTIVE_ANON) },
		{ "Inactive(anon)",	P(NR_INACTIVE_ANON) },
		{ "Active(file)",	P(NR_ACTIVE_FILE) },
		{ "Inactive(file)",	P(NR_INACTIVE_FILE) },
		{ "Unevictable",	P(NR_UNEVICTABLE) },
		{ "Mlocked",		K(sum_zone_node_page_state(pgdat, NR_MLOCK)) },
		{ "Dirty",		P(NR_FILE_DIRTY) },
		{ "Writeback",		P(NR_WRITEBACK) },
		{ "AnonPages",		P(NR_ANON_MAPPED) },
		{ "Mapped",		P(NR_FILE_MAPPED) },
		{ "Shmem",		P(NR_SHMEM) },
		{ "KReclaimable",	K(krec) },
		{ "Slab",		K(srec + sunrec) },
		{ "SReclaimable",	K(srec) },
		{ "SUnreclaim",		K(sunrec) },
		{ "KernelStack",	node_stat(pgdat, NR_KERNEL_STACK_KB) },
		{ "PageTables",		P(NR_PAGETABLE) },
		{ "SecPageTables",	P(NR_SECONDARY_PAGETABLE) },
		{ "Bounce",		K(sum_zone_node_page_state(pgdat, NR_BOUNCE)) },
		{ "VmallocTotal",	(VMALLOC_END - VMALLOC_START + 1) >> 10 },
		{ "VmallocUsed",	P(NR_VMALLOC) },
		{ "VmallocChunk",	0 },	/* Linux prints 0 too */
	};
#undef P

	for (unsigned int i = 0; i < ARRAY_SIZE(v); i++) {
		meminfo_print(v[i].name, v[i].kb);
		meminfo_registered(pgdat, v[i].name);
	}
	/* Registrations whose `after` names no line go last (one placed
	 * after a registered line, CmaFree after CmaTotal, came with it). */
	for (const struct meminfo_line *const *l = __start_meminfo_lines;
	     l < __stop_meminfo_lines; l++) {
		bool placed = false;

		for (unsigned int i = 0; i < ARRAY_SIZE(v); i++)
			placed |= !strcmp((*l)->after, v[i].name);
		for (const struct meminfo_line *const *o = __start_meminfo_lines;
		     o < __stop_meminfo_lines; o++)
			placed |= o != l && !strcmp((*l)->after, (*o)->name);
		if (!placed)
			meminfo_print((*l)->name, (*l)->kb(pgdat));
	}
}

/*
 * Free pages on the CMA lists (Linux's NR_FREE_CMA_PAGES): what movable
 * allocations may still borrow. CmaTotal, the regions' size, is
 * mm/cma.c's line; this one is the allocator's count.
 */
static unsigned long cma_free_kb(pg_data_t *pgdat)
{
	unsigned long n = 0;
	struct zone *zone;

	for_each_populated_zone_in(zone, pgdat)
		n += READ_ONCE(zone->nr_free_mt[MIGRATE_CMA]);
	return K(n);
}
MEMINFO_LINE(CmaFree, "CmaTotal", cma_free_kb);

/* ---------------------------------------------------------------- vmstat */

void show_vmstat(pg_data_t *pgdat)
{
	unsigned long background, limit;

	for (int i = 0; i < NR_VM_ZONE_STAT_ITEMS; i++)
		printk("%s %lu\n", zone_stat_names[i],
		       sum_zone_node_page_state(pgdat, i));
	printk("nr_free_cma %lu\n", cma_free_kb(pgdat) >> (PAGE_SHIFT - 10));
	for (int i = 0; i < NR_VM_NODE_STAT_ITEMS; i++)
		printk("%s %lu\n", node_stat_names[i], node_stat(pgdat, i));
	/* Where Linux puts them: computed now, for the whole machine. */
	global_dirty_limits(&background, &limit);
	printk("nr_dirty_threshold %lu\n", limit);
	printk("nr_dirty_background_threshold %lu\n", background);
	for (int i = 0; i < NR_VM_EVENT_ITEMS; i++)
		printk("%s %lu\n", vm_event_names[i], global_vm_event(i));
}

/* "(UM) ": the types that have free blocks of some order. */
static int migration_types(char *buf, size_t size, unsigned int types)
{
	static const char letters[MIGRATE_TYPES] = { 'U', 'M', 'E', 'C', 'I' };
	char s[MIGRATE_TYPES + 1];
	int n = 0;

	for (int mt = 0; mt < MIGRATE_TYPES; mt++)
		if (types & (1u << mt))
			s[n++] = letters[mt];
	s[n] = '\0';
	return kscnprintf(buf, size, "(%s) ", s);
}

/* Pages on the node's per-CPU lists (free, but not in NR_FREE_PAGES). */
static unsigned long node_pcp_pages(pg_data_t *pgdat)
{
	unsigned long n = 0;
	struct zone *zone;

	for_each_populated_zone_in(zone, pgdat)
		for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
			n += (unsigned long)READ_ONCE(per_cpu_ptr(zone->pcp, cpu)->count);
	return n;
}

void show_free_areas(pg_data_t *pgdat)
{
	struct zone *zone;

	/* Linux's summary of the node's counters, in pages. */
	printk("active_anon:%lu inactive_anon:%lu isolated_anon:%lu\n"
	       " active_file:%lu inactive_file:%lu isolated_file:%lu\n"
	       " unevictable:%lu dirty:%lu writeback:%lu\n"
	       " slab_reclaimable:%lu slab_unreclaimable:%lu\n"
	       " mapped:%lu shmem:%lu pagetables:%lu\n"
	       " kernel_misc_reclaimable:%lu\n"
	       " free:%lu free_pcp:%lu free_cma:%lu\n",
	       node_stat(pgdat, NR_ACTIVE_ANON), node_stat(pgdat, NR_INACTIVE_ANON),
	       node_stat(pgdat, NR_ISOLATED_ANON),
	       node_stat(pgdat, NR_ACTIVE_FILE), node_stat(pgdat, NR_INACTIVE_FILE),
	       node_stat(pgdat, NR_ISOLATED_FILE),
	       node_stat(pgdat, NR_UNEVICTABLE), node_stat(pgdat, NR_FILE_DIRTY),
	       node_stat(pgdat, NR_WRITEBACK),
	       node_stat(pgdat, NR_SLAB_RECLAIMABLE_B),
	       node_stat(pgdat, NR_SLAB_UNRECLAIMABLE_B),
	       node_stat(pgdat, NR_FILE_MAPPED), node_stat(pgdat, NR_SHMEM),
	       node_stat(pgdat, NR_PAGETABLE),
	       node_stat(pgdat, NR_KERNEL_MISC_RECLAIMABLE),
	       sum_zone_node_page_state(pgdat, NR_FREE_PAGES),
	       node_pcp_pages(pgdat), cma_free_kb(pgdat) >> (PAGE_SHIFT - 10));
	printk("Node %d kernel_stack:%lukB pagetables:%lukB vmalloc:%lukB\n",
	       pgdat->node_id, node_stat(pgdat, NR_KERNEL_STACK_KB),
	       K(node_stat(pgdat, NR_PAGETABLE)), K(node_stat(pgdat, NR_VMALLOC)));
	for_each_populated_zone_in(zone, pgdat) {
		unsigned long nr[NR_PAGE_ORDERS], total = 0, flags;
		unsigned int types[NR_PAGE_ORDERS];
		char line[400];
		int len;

		printk("Node %d %s free:%lukB min:%lukB low:%lukB high:%lukB present:%lukB managed:%lukB\n",
		       pgdat->node_id, zone->name, K(zone->free_pages),
		       K(min_wmark_pages(zone)), K(low_wmark_pages(zone)),
		       K(high_wmark_pages(zone)), K(zone->present_pages),
		       K(zone->managed_pages));
		spin_lock_irqsave(&zone->lock, flags);
		for (unsigned int o = 0; o < NR_PAGE_ORDERS; o++) {
			nr[o] = zone->free_area[o].nr_free;
			types[o] = 0;
			for (int mt = 0; mt < MIGRATE_TYPES; mt++)
				if (!list_empty(&zone->free_area[o].free_list[mt]))
					types[o] |= 1u << mt;
		}
		spin_unlock_irqrestore(&zone->lock, flags);
		len = ksnprintf(line, sizeof(line), "Node %d %s: ",
				pgdat->node_id, zone->name);
		for (unsigned int o = 0; o < NR_PAGE_ORDERS; o++) {
			len += kscnprintf(line + len, sizeof(line) - len,
					  "%lu*%lukB ", nr[o], K(1UL) << o);
			if (nr[o])
				len += migration_types(line + len,
						       sizeof(line) - len,
						       types[o]);
			total += nr[o] << o;
		}
		printk("%s= %lukB\n", line, K(total));
	}
}

void show_mem(void)
{
	unsigned long total, free;

	show_free_areas(&contig_page_data);
	si_swapinfo(&total, &free);
	printk("Free swap  = %lukB\nTotal swap = %lukB\n", K(free), K(total));
}

void warn_alloc(pg_data_t *pgdat, gfp_t gfp, unsigned int order)
{
	char flags[160];

	if ((gfp & __GFP_NOWARN) || !__ratelimit(&pgdat->nopage_rs))
		return;
	pr_warn("page allocation failure: order:%u, mode:%#x(%s), node %d\n",
		order, gfp, gfp_flags_str(gfp, flags, sizeof(flags)),
		pgdat->node_id);
	show_free_areas(pgdat);
}

/* ---------------------------------------------------------------- console */

static int cmd_buddyinfo(int argc, char **argv)
{
	show_buddyinfo(&contig_page_data);
	return 0;
}
CONSOLE_COMMAND(buddyinfo, "free blocks per order, per zone (/proc/buddyinfo)",
		cmd_buddyinfo);

static int cmd_pagetypeinfo(int argc, char **argv)
{
	show_pagetypeinfo(&contig_page_data);
	return 0;
}
CONSOLE_COMMAND(pagetypeinfo, "free blocks per order and migratetype; pageblocks per type",
		cmd_pagetypeinfo);

static int cmd_extfrag(int argc, char **argv)
{
	show_extfrag(&contig_page_data);
	return 0;
}
CONSOLE_COMMAND(extfrag, "fragmentation indices per zone and order (debugfs extfrag/)",
		cmd_extfrag);

static int cmd_zoneinfo(int argc, char **argv)
{
	show_zoneinfo(&contig_page_data);
	return 0;
}
CONSOLE_COMMAND(zoneinfo, "watermarks, sizes, counters and per-CPU lists per zone",
		cmd_zoneinfo);

static int cmd_meminfo(int argc, char **argv)
{
	show_meminfo(&contig_page_data);
	return 0;
}
CONSOLE_COMMAND(meminfo, "memory totals (/proc/meminfo)", cmd_meminfo);

static int cmd_vmstat(int argc, char **argv)
{
	show_vmstat(&contig_page_data);
	return 0;
}
CONSOLE_COMMAND(vmstat, "zone and node counters (/proc/vmstat)", cmd_vmstat);
