/*
 * mm/page_alloc_debug.c - catching page allocator misuse: bad page
 * reports, poisoning of free pages, the invariant checker buddy_check(),
 * and gfp flags in words.
 */
#include "mm/internal.h"
#include "kernel/stop_machine.h"
#include "kernel/cmdline.h"
#include "kernel/lib/string.h"
#include "kernel/lib/diag.h"
#include "kernel/lib/vsprintf.h"
#include "kernel/panic.h"

bool page_alloc_debug;
bool page_alloc_debug_all;
static unsigned int nr_debug_nodes;	/* nodes with pgdat->debug */
bool page_alloc_panic_on_bad_page;

/* ---------------------------------------------------------------- reports */

static const char *page_state(const struct page *page)
{
	if (PageReserved(page))
		return "reserved";
	if (PageBuddy(page))
		return "free (buddy)";
	if (PagePcp(page))
		return "free (per-CPU list)";
	return page_count(page) > 0 ? "allocated" : "free or a tail page";
}

/* Names of the set flags, "locked|dirty" (Linux's %pGp), into buf. */
static const char *page_flags_str(unsigned long flags, char *buf, size_t size)
{
	static const char *const names[PG_mt_shift] = {
		[PG_locked] = "locked", [PG_referenced] = "referenced",
		[PG_uptodate] = "uptodate", [PG_dirty] = "dirty",
		[PG_lru] = "lru", [PG_active] = "active",
		[PG_writeback] = "writeback", [PG_swapbacked] = "swapbacked",
		[PG_swapcache] = "swapcache", [PG_unevictable] = "unevictable",
		[PG_error] = "error", [PG_readahead] = "readahead",
		[PG_workingset] = "workingset", [PG_idle] = "idle",
		[PG_young] = "young", [PG_reclaim] = "reclaim",
		[PG_reserved] = "reserved", [PG_buddy] = "buddy",
		[PG_pcp] = "pcp", [PG_slab] = "slab",
	};
	size_t len = 0;

	buf[0] = '\0';
	for (int bit = 0; bit < PG_mt_shift; bit++)
		if (flags & (1UL << bit))
			len += kscnprintf(buf + len, size - len, "%s%s",
					  len ? "|" : "", names[bit]);
	return buf;
}

void bad_page(struct page *page, const char *reason)
{
	unsigned long pfn = page_to_pfn(page);
	unsigned long flags = READ_ONCE(page->flags);
	char names[160];

	page_pgdat(page)->nr_bad_pages++;
	diag_report(DIAG_BAD_PAGE);
	pr_err("BUG: Bad page state: pfn:%#lx %s\n", pfn, reason);
	pr_err("page: pfn:%#lx state:%s refcount:%d mapcount:%d mapping:%p index:%#lx order:%u\n",
	       pfn, page_state(page), page_count(page), page_mapcount(page),
	       (void *)page->mapping, page->index, page->order);
	pr_err("page: flags:%#lx(%s) zone:%s pageblock:%s\n",
	       flags, page_flags_str(flags, names, sizeof(names)),
	       page_zone(page)->name,
	       migratetype_names[get_pfnblock_migratetype(page, pfn)]);
	if (page_alloc_panic_on_bad_page)
		panic("bad page state (pfn %#lx): %s", pfn, reason);
}

/* ---------------------------------------------------------------- owner state */

/* Why page still carries owner state (NULL: it carries none). */
static const char *owner_state(const struct page *page)
{
	unsigned long flags = READ_ONCE(page->flags) & PAGE_FLAGS_CHECK_AT_FREE;

	if (flags & (1UL << PG_locked))
		return "page still locked (PG_locked)";
	if (flags & (1UL << PG_dirty))
		return "page still dirty (PG_dirty): its data was never written back";
	if (flags & (1UL << PG_writeback))
		return "page still under writeback (PG_writeback)";
	if (flags & (1UL << PG_lru))
		return "page still on an LRU list (PG_lru)";
	if (flags & (1UL << PG_active))
		return "page still marked active (PG_active)";
	if (flags & (1UL << PG_unevictable))
		return "page still marked unevictable (PG_unevictable)";
	if (flags & (1UL << PG_slab))
		return "page still owned by slab (PG_slab)";
	if (page_mapped(page))
		return "nonzero mapcount: page still mapped in a page table";
	if (READ_ONCE(page->mapping))
		return "non-NULL mapping: page still in the page cache or anonymous";
	if (page_pincount(page))
		return "nonzero pincount: page freed while pinned for DMA";
	return NULL;
}

bool free_page_is_bad(struct page *page, unsigned int order)
{
	for (unsigned long i = 0; i < (1UL << order); i++) {
		const char *why = owner_state(&page[i]);
		char reason[128];

		if (likely(!why))
			continue;
		ksnprintf(reason, sizeof(reason), "freeing a page with owner state: %s%s",
			  why, i ? " (a tail page of the block)" : "");
		bad_page(&page[i], reason);
		return true;
	}
	return false;
}

void check_new_page_owner_state(struct page *page, unsigned int order)
{
	for (unsigned long i = 0; i < (1UL << order); i++) {
		const char *why = owner_state(&page[i]);
		char reason[128];

		if (likely(!why))
			continue;
		ksnprintf(reason, sizeof(reason),
			  "allocating a page with owner state (written while free?): %s",
			  why);
		bad_page(&page[i], reason);
		return;
	}
}

/* ---------------------------------------------------------------- poison */

void kernel_poison_pages(struct page *page, unsigned int order)
{
	memset(page_address(page), PAGE_POISON, PAGE_SIZE << order);
}

void check_poison_pages(struct page *page, unsigned int order)
{
	const uint64_t want = 0x0101010101010101ULL * PAGE_POISON;
	const uint64_t *p = page_address(page);
	size_t n = (PAGE_SIZE << order) / sizeof(*p);

	for (size_t i = 0; i < n; i++) {
		if (likely(p[i] == want))
			continue;
		char why[96];
		size_t off = i * sizeof(*p);

		ksnprintf(why, sizeof(why),
			  "use after free: written while free, at offset %#zx of page %zu of the block",
			  off % PAGE_SIZE, off / PAGE_SIZE);
		bad_page(page + off / PAGE_SIZE, why);
		return;
	}
}

/* Poison every free page of a range (debug switched on at run time). */
static void poison_range(struct memmap_range *r, void *arg)
{
	struct zone *zone = r->zone;
	unsigned long flags;

	(void)arg;
	drain_all_pages(zone);
	spin_lock_irqsave(&zone->lock, flags);
	for (unsigned long pfn = r->start_pfn; pfn < r->end_pfn;) {
		struct page *page = r->memmap + (pfn - r->start_pfn);

		if (PageBuddy(page)) {
			kernel_poison_pages(page, page->order);
			pfn += 1UL << page->order;
		} else {
			pfn++;
		}
	}
	spin_unlock_irqrestore(&zone->lock, flags);
}

/* The fast paths' one test: are the checks on for any node? */
static void update_debug_gate(void)
{
	page_alloc_debug = page_alloc_debug_all || nr_debug_nodes;
}

/*
 * Switch DEBUG_PAGEALLOC-style checks. Switching on poisons every page
 * that is free now, so "free implies poisoned" holds from then on.
 */
void page_alloc_set_debug(bool on)
{
	if (on && !page_alloc_debug_all)
		memmap_for_each_range(poison_range, NULL);
	page_alloc_debug_all = on;
	update_debug_gate();
}

void page_arena_set_debug(pg_data_t *pgdat, bool on)
{
	if (on == pgdat->debug)
		return;
	if (on && !page_alloc_debug_all)
		for (unsigned int i = 0; i < pgdat->nr_ranges; i++)
			poison_range(&memmap_ranges[pgdat->range_ids[i]], NULL);
	pgdat->debug = on;
	nr_debug_nodes += on ? 1 : -1U;
	update_debug_gate();
}

static int param_debug(const char *value)
{
	bool on;

	if (!param_parse_bool(value, &on)) {
		pr_err("page_alloc.debug: '%s' is not on or off\n", value);
		return -1;
	}
	page_alloc_set_debug(on);
	return 0;
}
KERNEL_PARAM("page_alloc.debug", param_debug,
	     "on|off: poison free pages, check them on allocation");

/* ---------------------------------------------------------------- check */

#define CHECK(cond, fmt, ...) do {					\
	if (unlikely(!(cond))) {					\
		pr_err("buddy_check: zone %s: " fmt "\n", zone->name,	\
		       ##__VA_ARGS__);					\
		return false;						\
	}								\
} while (0)

/* Every block on the free lists is where its header says. */
static bool check_free_lists(struct zone *zone, unsigned long *blocks)
{
	unsigned long pages_mt[MIGRATE_TYPES] = { 0 };
	unsigned long total = 0;

	*blocks = 0;
	for (unsigned int o = 0; o < NR_PAGE_ORDERS; o++) {
		unsigned long n = 0;

		for (int mt = 0; mt < MIGRATE_TYPES; mt++) {
			struct page *page;

			list_for_each_entry(page, &zone->free_area[o].free_list[mt], lru) {
				unsigned long pfn = page_to_pfn(page);
				const struct memmap_range *r = page_range(page);

				CHECK(page_zone(page) == zone,
				      "pfn %#lx on this zone's list belongs to zone %s",
				      pfn, page_zone(page)->name);
				CHECK(PageBuddy(page) && page->order == o,
				      "pfn %#lx on the order-%u list has buddy=%d order=%u",
				      pfn, o, PageBuddy(page), page->order);
				CHECK(!(pfn & ((1UL << o) - 1)),
				      "pfn %#lx misaligned for order %u", pfn, o);
				CHECK(pfn + (1UL << o) <= r->end_pfn,
				      "order-%u block at pfn %#lx runs past its range",
				      o, pfn);
				for (unsigned long p = pfn; p < pfn + (1UL << o);
				     p += pageblock_nr_pages)
					CHECK(get_pfnblock_migratetype(page, p) == mt,
					      "block at pfn %#lx on the %s list lies in a %s pageblock",
					      pfn, migratetype_names[mt],
					      migratetype_names[get_pfnblock_migratetype(page, p)]);
				CHECK(++n <= zone->present_pages,
				      "order-%u list loops", o);
				pages_mt[mt] += 1UL << o;
			}
		}
		CHECK(n == zone->free_area[o].nr_free,
		      "order %u: %lu blocks on the lists, nr_free says %lu",
		      o, n, zone->free_area[o].nr_free);
		*blocks += n;
	}
	for (int mt = 0; mt < MIGRATE_TYPES; mt++) {
		CHECK(pages_mt[mt] == zone->nr_free_mt[mt],
		      "%s: %lu free pages on the lists, counter says %lu",
		      migratetype_names[mt], pages_mt[mt], zone->nr_free_mt[mt]);
		total += pages_mt[mt];
	}
	CHECK(total == zone->free_pages, "%lu free pages, counter says %lu",
	      total, zone->free_pages);
	return true;
}

/* Per-CPU lists hold what their counts say, and only free pages. */
static bool check_pcp(struct zone *zone, unsigned long *pcp_blocks)
{
	*pcp_blocks = 0;
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++) {
		struct per_cpu_pages *pcp = per_cpu_ptr(zone->pcp, cpu);
		long pages = 0;

		for (int i = 0; i < NR_PCP_LISTS; i++) {
			unsigned int order = (unsigned int)i / MIGRATE_PCPTYPES;
			struct page *page;

			list_for_each_entry(page, &pcp->lists[i], lru) {
				CHECK(PagePcp(page) && !PageBuddy(page) &&
				      page_count(page) == 0 && page->order == order &&
				      page_zone(page) == zone,
				      "cpu %u: bad page pfn %#lx on the order-%u per-CPU list",
				      cpu, page_to_pfn(page), order);
				pages += 1L << order;
				(*pcp_blocks)++;
			}
		}
		CHECK(pages == pcp->count, "cpu %u: %ld per-CPU pages, count says %d",
		      cpu, pages, pcp->count);
	}
	return true;
}

/* Walk the memmap: free blocks do not overlap and are fully merged. */
static bool check_memmap(struct zone *zone, const struct memmap_range *r,
			 unsigned long *blocks, unsigned long *pcp_blocks)
{
	for (unsigned long pfn = r->start_pfn; pfn < r->end_pfn;) {
		struct page *page = r->memmap + (pfn - r->start_pfn);
		unsigned int o = page->order;

		if (PagePcp(page)) {
			(*pcp_blocks)++;
			pfn += 1UL << o;
			continue;
		}
		if (!PageBuddy(page)) {
			pfn++;
			continue;
		}
		(*blocks)++;
		if (o < MAX_PAGE_ORDER) {
			unsigned long bpfn = pfn ^ (1UL << o);
			struct page *buddy = r->memmap + (bpfn - r->start_pfn);
			int mt = get_pfnblock_migratetype(page, pfn);

			if (bpfn >= r->start_pfn && bpfn < r->end_pfn &&
			    PageBuddy(buddy) && buddy->order == o) {
				int bmt = get_pfnblock_migratetype(buddy, bpfn);

				CHECK(o >= pageblock_order && mt != bmt &&
				      (mt >= MIGRATE_PCPTYPES || bmt >= MIGRATE_PCPTYPES),
				      "free order-%u blocks at pfn %#lx and %#lx were not merged",
				      o, pfn, bpfn);
			}
		}
		pfn += 1UL << o;
	}
	return true;
}

static bool check_zone(pg_data_t *pgdat, struct zone *zone)
{
	unsigned long blocks, pcp_blocks, seen = 0, seen_pcp = 0, isolated = 0;

	if (!check_free_lists(zone, &blocks) || !check_pcp(zone, &pcp_blocks))
		return false;
	for (unsigned int i = 0; i < pgdat->nr_ranges; i++) {
		const struct memmap_range *r = &memmap_ranges[pgdat->range_ids[i]];

		if (r->zone != zone)
			continue;
		if (!check_memmap(zone, r, &seen, &seen_pcp))
			return false;
		for (unsigned long b = 0; b < pageblock_bytes(r->start_pfn, r->end_pfn); b++)
			isolated += r->pageblock_mt[b] == MIGRATE_ISOLATE;
	}
	CHECK(isolated == zone->nr_isolate_pageblock,
	      "%lu Isolate pageblocks in the memmap, nr_isolate_pageblock says %lu",
	      isolated, zone->nr_isolate_pageblock);
	CHECK(seen == blocks,
	      "%lu free block heads in the memmap, %lu on the lists (overlap or lost block)",
	      seen, blocks);
	CHECK(seen_pcp == pcp_blocks,
	      "%lu per-CPU block heads in the memmap, %lu on per-CPU lists",
	      seen_pcp, pcp_blocks);
	return true;
}

/*
 * The per-CPU lists change without a lock on their own CPUs, so the check
 * runs with every other CPU stopped (kernel/stop_machine.h): a still
 * picture of the lists, the zone and the memmap together.
 */
static int check_node_stopped(void *arg)
{
	pg_data_t *pgdat = arg;
	struct zone *zone;

	for_each_populated_zone_in(zone, pgdat) {
		spin_lock(&zone->lock);
		bool ok = check_zone(pgdat, zone);

		spin_unlock(&zone->lock);
		if (!ok)
			return 0;
	}
	return 1;
}

bool buddy_check(pg_data_t *pgdat)
{
	int ret = stop_machine(check_node_stopped, pgdat);

	if (ret < 0)
		pr_err("buddy_check: could not stop the other CPUs (%d); nothing checked\n",
		       ret);
	return ret == 1;
}

/* ---------------------------------------------------------------- gfp */

static const struct { gfp_t mask; const char *name; } gfp_names[] = {
	/* Combinations first, most bits first. */
	{ GFP_HIGHUSER_MOVABLE, "GFP_HIGHUSER_MOVABLE" },
	{ GFP_KERNEL, "GFP_KERNEL" },
	{ GFP_NOFS, "GFP_NOFS" },
	{ GFP_ATOMIC, "GFP_ATOMIC" },
	{ GFP_NOIO, "GFP_NOIO" },
	{ GFP_NOWAIT, "GFP_NOWAIT" },
	{ __GFP_DMA32, "GFP_DMA32" },
	{ __GFP_MOVABLE, "__GFP_MOVABLE" },
	{ __GFP_RECLAIMABLE, "__GFP_RECLAIMABLE" },
	{ __GFP_HIGH, "__GFP_HIGH" },
	{ __GFP_MEMALLOC, "__GFP_MEMALLOC" },
	{ __GFP_NOMEMALLOC, "__GFP_NOMEMALLOC" },
	{ __GFP_IO, "__GFP_IO" },
	{ __GFP_FS, "__GFP_FS" },
	{ __GFP_DIRECT_RECLAIM, "__GFP_DIRECT_RECLAIM" },
	{ __GFP_KSWAPD_RECLAIM, "__GFP_KSWAPD_RECLAIM" },
	{ __GFP_ZERO, "__GFP_ZERO" },
	{ __GFP_NOWARN, "__GFP_NOWARN" },
	{ __GFP_NORETRY, "__GFP_NORETRY" },
	{ __GFP_COMP, "__GFP_COMP" },
};

char *gfp_flags_str(gfp_t gfp, char *buf, size_t size)
{
	size_t len = 0;
	gfp_t left = gfp;

	buf[0] = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(gfp_names); i++) {
		if ((left & gfp_names[i].mask) != gfp_names[i].mask)
			continue;
		len += kscnprintf(buf + len, size - len, "%s%s",
				  len ? "|" : "", gfp_names[i].name);
		left &= ~gfp_names[i].mask;
	}
	if (left || !gfp)
		kscnprintf(buf + len, size - len, "%s%#x", len ? "|" : "", left);
	return buf;
}
