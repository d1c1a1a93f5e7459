/*
 * mm/mm_init.c - building a node: memmap, zones, free lists, watermarks,
 * per-CPU lists. The boot builds the global node from memblock
 * (mm_core_init); tests and labs build private arenas over memory they own.
 *
 * Memory ranges are split at the DMA32 limit, so each memmap range lies in
 * one zone. Ranges of one zone separated by a hole smaller than a
 * pageblock are joined and the hole's pages marked reserved: that bounds
 * the memmap spent on holes at 512 struct pages (32 KiB) per small hole,
 * and large holes cost nothing (see docs/mm/page_alloc.md).
 */
#include "mm/internal.h"
#include "mm/cma.h"
#include "mm/lru.h"
#include "mm/memblock.h"
#include "mm/vmstat.h"
#include "kernel/lib/string.h"

#define HOLE_JOIN_PAGES	pageblock_nr_pages

static const char *const zone_names[MAX_NR_ZONES] = { "DMA32", "Normal" };

struct piece {
	unsigned long start_pfn, end_pfn;
	enum zone_type zone;
};

/* Split ranges at the DMA32 limit and join small holes. Returns count. */
static unsigned int make_pieces(const struct mem_range *ranges,
				unsigned int nr, phys_addr_t dma32_limit,
				struct piece *out)
{
	unsigned long limit_pfn = PHYS_PFN(dma32_limit);
	unsigned int n = 0;

	for (unsigned int i = 0; i < nr; i++) {
		unsigned long s = PHYS_PFN(ALIGN_UP(ranges[i].start, PAGE_SIZE));
		unsigned long e = PHYS_PFN(ALIGN_DOWN(ranges[i].end, PAGE_SIZE));

		while (s < e) {
			enum zone_type z = s < limit_pfn ? ZONE_DMA32 : ZONE_NORMAL;
			unsigned long stop = z == ZONE_DMA32 ? min(e, limit_pfn) : e;
			struct piece *last = n ? &out[n - 1] : NULL;

			if (last && last->zone == z && s >= last->end_pfn &&
			    s - last->end_pfn < HOLE_JOIN_PAGES) {
				last->end_pfn = stop;
			} else if (n < MAX_NODE_RANGES) {
				out[n++] = (struct piece){ s, stop, z };
			} else {
				pr_err("page_alloc: more than %d memory ranges; pfns %#lx-%#lx left out\n",
				       MAX_NODE_RANGES, s, stop);
			}
			s = stop;
		}
	}
	return n;
}

static unsigned long piece_bytes(const struct piece *p)
{
	return ALIGN_UP((p->end_pfn - p->start_pfn) * sizeof(struct page) +
			pageblock_bytes(p->start_pfn, p->end_pfn), 64);
}

static void pgdat_reset(pg_data_t *pgdat)
{
	memset(pgdat, 0, sizeof(*pgdat));
	pgdat->nopage_rs = (struct ratelimit)RATELIMIT_INIT(10ULL * 1000000000);
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		struct zone *zone = &pgdat->node_zones[z];

		zone->zone_pgdat = pgdat;
		zone->name = zone_names[z];
		zone->idx = (enum zone_type)z;
		zone_init_free_lists(zone);
	}
	lruvec_init(node_lruvec(pgdat));
}

/*
 * Enter one piece: its memmap lives at mem (piece_bytes() long), every
 * page starts reserved, every pageblock movable (as in Linux).
 */
static int add_piece(pg_data_t *pgdat, const struct piece *p, void *mem)
{
	unsigned long n = p->end_pfn - p->start_pfn;
	struct zone *zone = &pgdat->node_zones[p->zone];
	struct memmap_range r = {
		.start_pfn = p->start_pfn,
		.end_pfn = p->end_pfn,
		.memmap = mem,
		.pageblock_mt = (uint8_t *)mem + n * sizeof(struct page),
		.zone = zone,
	};
	int id;

	memset(r.pageblock_mt, MIGRATE_MOVABLE,
	       pageblock_bytes(p->start_pfn, p->end_pfn));
	id = memmap_range_add(&r);
	if (id < 0)
		return -1;
	for (unsigned long i = 0; i < n; i++) {
		struct page *page = &r.memmap[i];

		*page = (struct page){ .range_id = (uint8_t)id,
				       ._mapcount = -1 };
		__SetPageReserved(page);
		set_page_count(page, 1);
		INIT_LIST_HEAD(&page->lru);
	}
	pgdat->range_ids[pgdat->nr_ranges++] = (uint8_t)id;
	if (!zone->present_pages || p->start_pfn < zone->zone_start_pfn) {
		unsigned long end = zone->zone_start_pfn + zone->spanned_pages;

		if (!zone->present_pages)
			end = p->end_pfn;
		zone->zone_start_pfn = p->start_pfn;
		zone->spanned_pages = end - p->start_pfn;
	} else {
		zone->spanned_pages = p->end_pfn - zone->zone_start_pfn;
	}
	zone->present_pages += n;
	return 0;
}

/* Once the pages are free: watermarks, per-CPU list sizes, node span. */
static void pgdat_finish(pg_data_t *pgdat)
{
	struct zone *zone;

	setup_per_zone_wmarks(pgdat);
	for_each_populated_zone_in(zone, pgdat)
		zone_pcp_update(zone);
	refresh_zone_stat_thresholds(pgdat);
	if (pgdat->nr_ranges) {
		const struct memmap_range *first = &memmap_ranges[pgdat->range_ids[0]];
		const struct memmap_range *last =
			&memmap_ranges[pgdat->range_ids[pgdat->nr_ranges - 1]];

		pgdat->node_start_pfn = first->start_pfn;
		pgdat->node_spanned_pages = last->end_pfn - first->start_pfn;
	}
}

static void remove_ranges(pg_data_t *pgdat)
{
	for (unsigned int i = 0; i < pgdat->nr_ranges; i++)
		memmap_range_remove(pgdat->range_ids[i]);
	pgdat->nr_ranges = 0;
}

int page_arena_init(pg_data_t *pgdat, const struct mem_range *ranges,
		    unsigned int nr, phys_addr_t dma32_limit)
{
	struct piece pieces[MAX_NODE_RANGES];
	unsigned int n = make_pieces(ranges, nr, dma32_limit, pieces);
	unsigned long need = 0, carve_pfn = 0;
	bool found = false;
	char *mem;

	pgdat_reset(pgdat);
	for (unsigned int i = 0; i < n; i++)
		need += piece_bytes(&pieces[i]);
	need = ALIGN_UP(need, PAGE_SIZE);
	for (unsigned int i = 0; i < nr && !found; i++) {
		unsigned long s = PHYS_PFN(ALIGN_UP(ranges[i].start, PAGE_SIZE));
		unsigned long e = PHYS_PFN(ALIGN_DOWN(ranges[i].end, PAGE_SIZE));

		if (e > s && PFN_PHYS(e - s) > need) {
			found = true;
			carve_pfn = s;
		}
	}
	if (!n || !found) {
		pr_err("page_arena: no range can hold the memmap (%lu bytes)\n",
		       need);
		return -1;
	}
	mem = phys_to_virt(PFN_PHYS(carve_pfn));
	for (unsigned int i = 0; i < n; i++) {
		if (add_piece(pgdat, &pieces[i], mem) < 0) {
			remove_ranges(pgdat);
			return -1;
		}
		mem += piece_bytes(&pieces[i]);
	}
	/* Free all but the memmap and the holes joined into ranges. */
	for (unsigned int i = 0; i < nr; i++) {
		unsigned long s = PHYS_PFN(ALIGN_UP(ranges[i].start, PAGE_SIZE));
		unsigned long e = PHYS_PFN(ALIGN_DOWN(ranges[i].end, PAGE_SIZE));
		unsigned long m_end = carve_pfn + PHYS_PFN(need);

		if (s < m_end && carve_pfn < e) {	/* skip the memmap */
			if (s < carve_pfn)
				free_pfn_range(s, carve_pfn);
			s = m_end;
		}
		if (s < e)
			free_pfn_range(s, e);
	}
	pgdat_finish(pgdat);
	return 0;
}

unsigned long page_arena_destroy(pg_data_t *pgdat)
{
	unsigned long in_use;

	/* Pages of this node waiting in LRU add batches hold a reference
	 * (and the batches would touch them after the node is gone). */
	lru_add_drain_all();
	drain_node_pages(pgdat);
	in_use = node_managed_pages(pgdat) - node_free_pages(pgdat);
	page_arena_set_debug(pgdat, false);
	remove_ranges(pgdat);
	return in_use;
}

/*
 * Boot: one memmap range per memblock memory range (split at DMA32, small
 * holes joined), memmap from memblock, then every free memblock range
 * goes to the buddy lists. memblock is not used after this.
 */
void mm_core_init(void)
{
	pg_data_t *pgdat = &contig_page_data;
	struct mem_range ranges[MAX_NODE_RANGES];
	struct piece pieces[MAX_NODE_RANGES];
	unsigned long memmap_bytes = 0;
	phys_addr_t start, end;
	unsigned int nr = 0, n;
	struct zone *zone;
	u64 i;

	pgdat_reset(pgdat);
	for_each_mem_range(i, &start, &end) {
		if (nr == MAX_NODE_RANGES) {
			pr_err("mm: more than %d memory ranges; [%#llx-%#llx) left out\n",
			       MAX_NODE_RANGES, (unsigned long long)start,
			       (unsigned long long)end);
			continue;
		}
		ranges[nr++] = (struct mem_range){ start, end };
	}
	n = make_pieces(ranges, nr, ARCH_DMA32_LIMIT, pieces);
	for (unsigned int k = 0; k < n; k++) {
		unsigned long bytes = piece_bytes(&pieces[k]);
		void *mem = memblock_alloc(bytes, PAGE_SIZE);

		if (!mem || add_piece(pgdat, &pieces[k], mem) < 0) {
			pr_err("mm: no memmap for pfns %#lx-%#lx (%lu bytes); that memory is not used\n",
			       pieces[k].start_pfn, pieces[k].end_pfn, bytes);
			continue;
		}
		memmap_bytes += bytes;
	}
	for_each_free_mem_range(i, &start, &end)
		free_pfn_range(PHYS_PFN(ALIGN_UP(start, PAGE_SIZE)),
			       PHYS_PFN(ALIGN_DOWN(end, PAGE_SIZE)));
	/* CMA regions (still reserved in memblock): MIGRATE_CMA pageblocks,
	 * their pages free, before the watermarks count the managed pages. */
	cma_init_reserved_areas();
	pgdat_finish(pgdat);

	for_each_populated_zone_in(zone, pgdat)
		pr_info("mm: zone %-6s pfns %#lx-%#lx, %lu pages managed, watermarks min %lu low %lu high %lu, pcp high %d batch %d\n",
			zone->name, zone->zone_start_pfn,
			zone->zone_start_pfn + zone->spanned_pages,
			zone->managed_pages, min_wmark_pages(zone),
			low_wmark_pages(zone), high_wmark_pages(zone),
			zone->pcp_high, zone->pcp_batch);
	pr_info("Memory: %luK/%lluK available (%luK memmap)\n",
		totalram_pages() << (PAGE_SHIFT - 10),
		(unsigned long long)(memblock_phys_mem_size() >> 10),
		memmap_bytes >> 10);
}

/* ================================================================ free lists */

void zone_init_free_lists(struct zone *zone)
{
	spin_lock_init(&zone->lock, "zone->lock");
	for (unsigned int o = 0; o < NR_PAGE_ORDERS; o++) {
		for (int mt = 0; mt < MIGRATE_TYPES; mt++)
			INIT_LIST_HEAD(&zone->free_area[o].free_list[mt]);
		zone->free_area[o].nr_free = 0;
	}
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++) {
		struct per_cpu_pages *pcp = per_cpu_ptr(zone->pcp, cpu);

		for (int i = 0; i < NR_PCP_LISTS; i++)
			INIT_LIST_HEAD(&pcp->lists[i]);
	}
}

/* Largest order a block at pfn may have and still end by end_pfn. */
static unsigned int max_block_order(unsigned long pfn, unsigned long end_pfn)
{
	unsigned int order = MAX_PAGE_ORDER;

	while (order && ((pfn & ((1UL << order) - 1)) ||
			 pfn + (1UL << order) > end_pfn))
		order--;
	return order;
}

void free_pfn_range(unsigned long start_pfn, unsigned long end_pfn)
{
	unsigned long pfn = start_pfn;

	while (pfn < end_pfn) {
		struct page *page = pfn_to_page(pfn);
		const struct memmap_range *r;
		unsigned long stop, flags;

		if (!page) {	/* a hole: skip to the next range, if any */
			pfn++;
			continue;
		}
		r = page_range(page);
		stop = min(end_pfn, r->end_pfn);
		while (pfn < stop) {
			unsigned int order = max_block_order(pfn, stop);
			struct zone *zone = r->zone;

			page = r->memmap + (pfn - r->start_pfn);
			for (unsigned long i = 0; i < (1UL << order); i++) {
				__ClearPageReserved(&page[i]);
				set_page_count(&page[i], 0);
			}
			if (page_alloc_debug && page_debug_on(page))
				kernel_poison_pages(page, order);
			spin_lock_irqsave(&zone->lock, flags);
			zone->managed_pages += 1UL << order;
			__free_one_page(page, pfn, zone, order,
					get_pfnblock_migratetype(page, pfn));
			spin_unlock_irqrestore(&zone->lock, flags);
			pfn += 1UL << order;
		}
	}
}
