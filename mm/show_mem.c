/*
 * mm/show_mem.c - the page allocator's reports, in Linux's /proc formats
 * (/proc/buddyinfo, /proc/pagetypeinfo, /proc/zoneinfo, /proc/meminfo),
 * the console commands that print them, and the allocation failure
 * report. Each printer takes a node, so tests can run them on an arena.
 */
#include "mm/internal.h"
#include "mm/slab.h"
#include "kernel/console.h"
#include "kernel/lib/vsprintf.h"

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
};

void show_zoneinfo(pg_data_t *pgdat)
{
	struct zone *zone;

	for_each_populated_zone_in(zone, pgdat) {
		char prot[64];
		int len = 0;

		for (int z = 0; z < MAX_NR_ZONES; z++)
			len += kscnprintf(prot + len, sizeof(prot) - len, "%s%lu",
					  z ? ", " : "", zone->lowmem_reserve[z]);
		printk("Node %d, zone %8s\n", pgdat->node_id, zone->name);
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
		printk("      %-12s %lu\n", "nr_free_pages", zone->free_pages);
		printk("      %-12s %lu\n", "nr_free_cma",
		       zone->nr_free_mt[MIGRATE_CMA]);
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
		}
		printk("  node_unreclaimable:  0\n");
		printk("  start_pfn:           %lu\n", zone->zone_start_pfn);
	}
}

static void meminfo_line(const char *name, unsigned long pages)
{
	char label[20];

	ksnprintf(label, sizeof(label), "%s:", name);
	printk("%-16s%8lu kB\n", label, K(pages));
}

void show_meminfo(pg_data_t *pgdat)
{
	unsigned long free = node_free_pages(pgdat), reserve = 0, cma = 0;
	struct zone *zone;

	/* What the allocator keeps back: Linux's totalreserve_pages. */
	for_each_populated_zone_in(zone, pgdat) {
		unsigned long max_res = 0;

		for (int z = 0; z < MAX_NR_ZONES; z++)
			max_res = max(max_res, zone->lowmem_reserve[z]);
		reserve += min(max_res + high_wmark_pages(zone),
			       zone->managed_pages);
		for (unsigned int i = 0; i < pgdat->nr_ranges; i++) {
			const struct memmap_range *r =
				&memmap_ranges[pgdat->range_ids[i]];

			if (r->zone != zone)
				continue;
			for (unsigned long b = 0;
			     b < pageblock_bytes(r->start_pfn, r->end_pfn); b++)
				if (r->pageblock_mt[b] == MIGRATE_CMA)
					cma += pageblock_nr_pages;
		}
	}
	meminfo_line("MemTotal", node_managed_pages(pgdat));
	meminfo_line("MemFree", free);
	meminfo_line("MemAvailable", free > reserve ? free - reserve : 0);
	meminfo_line("CmaTotal", cma);
	meminfo_line("CmaFree", pgdat->node_zones[ZONE_DMA32].nr_free_mt[MIGRATE_CMA] +
		     pgdat->node_zones[ZONE_NORMAL].nr_free_mt[MIGRATE_CMA]);
	meminfo_slab_lines(pgdat, meminfo_line);	/* Slab..VmallocUsed: mm/slab.c */
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

void show_free_areas(pg_data_t *pgdat)
{
	struct zone *zone;

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
