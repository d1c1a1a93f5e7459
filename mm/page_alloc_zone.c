/*
 * mm/page_alloc_zone.c - a zone's settings and whole-zone operations:
 * sizing and draining the per-CPU lists, computing the watermarks, the
 * node's page counters and mobility-grouping switch, and walking the free
 * blocks for reports and checks. None of it is on an allocation's fast
 * path (draining runs in the slow path only).
 */
#include "mm/internal.h"
#include "kernel/smp.h"

/* ================================================================ per-CPU */

/*
 * Only its own CPU touches a per-CPU list (mm/page_alloc.c), so pages on
 * another CPU's lists come back by asking that CPU: a cross-CPU call runs
 * the drain there, in interrupt context, and the caller waits for it
 * (Linux drained this way, by IPI and later by per-CPU work, before its
 * per-CPU lists had a lock). The waiting needs interrupts on and no
 * spinlock held (kernel/smp.h); the caller that may not wait drains only
 * its own CPU (drain_local_node_pages()).
 */
struct drain_req {
	struct zone *zone;	/* this zone, or */
	pg_data_t *pgdat;	/* every zone of this node */
};

static void drain_zone_here(struct zone *zone)
{
	struct per_cpu_pages *pcp = this_cpu_ptr(zone->pcp);

	if (pcp->count)
		free_pcppages_bulk(zone, pcp->count, pcp);
}

/* On the CPU whose lists they are, interrupts off. */
static void drain_here(void *arg)
{
	struct drain_req *req = arg;
	struct zone *zone;

	if (req->zone) {
		drain_zone_here(req->zone);
		return;
	}
	for_each_populated_zone_in(zone, req->pgdat)
		drain_zone_here(zone);
}

/* A CPU that is not online has never had pages on its lists. */
void drain_pages_zone(unsigned int cpu, struct zone *zone)
{
	struct drain_req req = { .zone = zone };

	smp_call_function_single(cpu, drain_here, &req);
}

void drain_pages(unsigned int cpu)
{
	struct drain_req req = { .pgdat = &contig_page_data };

	smp_call_function_single(cpu, drain_here, &req);
}

void drain_all_pages(struct zone *zone)
{
	struct drain_req req = { .zone = zone, .pgdat = &contig_page_data };

	on_each_cpu(drain_here, &req);
}

void drain_node_pages(pg_data_t *pgdat)
{
	struct drain_req req = { .pgdat = pgdat };

	on_each_cpu(drain_here, &req);
}

void drain_local_node_pages(pg_data_t *pgdat)
{
	struct drain_req req = { .pgdat = pgdat };
	unsigned long flags = arch_irq_save();

	drain_here(&req);
	arch_irq_restore(flags);
}

/*
 * Linux's zone_batchsize(): about a quarter of a 1/1024th of the zone, at
 * most 1 MiB, rounded to 2^n - 1 (odd batches spread over cache colours).
 * high: the low watermark shared among the CPUs, at least 4 batches.
 */
void zone_pcp_update(struct zone *zone)
{
	unsigned long batch = min(zone->managed_pages >> 10,
				  (1UL << 20) / PAGE_SIZE) / 4;
	unsigned int ncpus = (unsigned int)__builtin_popcountl(cpu_online_mask);
	unsigned long high;

	if (batch < 1)
		batch = 1;
	batch += batch / 2;
	batch = (1UL << (63 - __builtin_clzl(batch))) - 1;	/* 2^n - 1 */
	if (batch < 1)
		batch = 1;
	high = max(low_wmark_pages(zone) / (ncpus + 1), 4 * batch);
	zone_set_pcp(zone, (int)high, (int)batch);
}

/* Each CPU empties its own lists if they hold high pages or more. */
static void trim_here(void *arg)
{
	struct zone *zone = arg;
	struct per_cpu_pages *pcp = this_cpu_ptr(zone->pcp);

	if (pcp->count && pcp->count >= READ_ONCE(pcp->high))
		free_pcppages_bulk(zone, pcp->count, pcp);
}

/*
 * high and batch are written from here for every CPU: each owner reads
 * each once per operation (READ_ONCE), and an old value for one more
 * operation is harmless. Lists now at or above their high are then
 * emptied by their own CPUs.
 */
void zone_set_pcp(struct zone *zone, int high, int batch)
{
	if (batch < 1)
		batch = 1;
	if (high && high < batch)
		high = batch;
	WRITE_ONCE(zone->pcp_high, high);
	WRITE_ONCE(zone->pcp_batch, batch);
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++) {
		struct per_cpu_pages *pcp = per_cpu_ptr(zone->pcp, cpu);

		WRITE_ONCE(pcp->high, high);
		WRITE_ONCE(pcp->batch, batch);
	}
	on_each_cpu(trim_here, zone);
}

/* ================================================================ watermarks */

static unsigned long int_sqrt(unsigned long x)
{
	unsigned long r = 0;

	while ((r + 1) * (r + 1) <= x)
		r++;
	return r;
}

/*
 * Linux's rules: min_free_kbytes = sqrt(16 * lowmem kB), clamped to
 * [128 kB, 256 MiB], shared among zones by size; low and high sit a
 * quarter of min (or 0.1% of the zone) and twice that above min. A zone
 * also keeps lowmem_reserve pages from allocations that could have used a
 * higher zone (1/256 of the higher zones' size, for DMA32).
 */
void setup_per_zone_wmarks(pg_data_t *pgdat)
{
	unsigned long total = node_managed_pages(pgdat);
	unsigned long kbytes = total << (PAGE_SHIFT - 10);
	unsigned long min_kb = int_sqrt(kbytes * 16);
	struct zone *zone;

	min_kb = min(max(min_kb, 128UL), 262144UL);
	for_each_populated_zone_in(zone, pgdat) {
		unsigned long min_pages = total ? (min_kb >> (PAGE_SHIFT - 10)) *
					  zone->managed_pages / total : 0;
		unsigned long gap = max(min_pages / 4,
					zone->managed_pages * 10 / 10000);

		zone->_watermark[WMARK_MIN] = min_pages;
		zone->_watermark[WMARK_LOW] = min_pages + gap;
		zone->_watermark[WMARK_HIGH] = min_pages + 2 * gap;
		for (int z = 0; z < MAX_NR_ZONES; z++)
			zone->lowmem_reserve[z] = 0;
	}
	pgdat->node_zones[ZONE_DMA32].lowmem_reserve[ZONE_NORMAL] =
		pgdat->node_zones[ZONE_NORMAL].managed_pages / 256;
}

void zone_set_watermarks(struct zone *zone, unsigned long min_pages)
{
	zone->_watermark[WMARK_MIN] = min_pages;
	zone->_watermark[WMARK_LOW] = min_pages + min_pages / 4;
	zone->_watermark[WMARK_HIGH] = min_pages + min_pages / 2;
}

/* ================================================================ counters */

unsigned long node_free_pages(pg_data_t *pgdat)
{
	unsigned long n = 0;
	struct zone *zone;

	for_each_populated_zone_in(zone, pgdat) {
		n += READ_ONCE(zone->free_pages);
		for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
			n += (unsigned long)READ_ONCE(per_cpu_ptr(zone->pcp, cpu)->count);
	}
	return n;
}

unsigned long node_managed_pages(pg_data_t *pgdat)
{
	unsigned long n = 0;
	struct zone *zone;

	for_each_populated_zone_in(zone, pgdat)
		n += zone->managed_pages;
	return n;
}

unsigned long nr_free_pages(void)
{
	return node_free_pages(&contig_page_data);
}

unsigned long totalram_pages(void)
{
	return node_managed_pages(&contig_page_data);
}

void set_mobility_grouping(pg_data_t *pgdat, bool enabled)
{
	pgdat->mobility_grouping_disabled = !enabled;
}

void zone_for_each_free_block(struct zone *zone,
			      void (*fn)(struct page *page, unsigned int order,
					 void *arg),
			      void *arg)
{
	for (unsigned int o = 0; o < NR_PAGE_ORDERS; o++)
		for (int mt = 0; mt < MIGRATE_TYPES; mt++) {
			struct page *page;

			list_for_each_entry(page,
					    &zone->free_area[o].free_list[mt],
					    lru)
				fn(page, o, arg);
		}
}

