/*
 * tests/kernel/page_alloc_kernel_test.c - the global page allocator, in
 * the kernel: every free page can be allocated and comes back (xv6's
 * countfree), high-order allocations after fragmentation, watermarks,
 * drain_all_pages(), and RAM above 4 GiB (kunit.expect=mem.above_4g:N
 * says how much the configuration has: N bytes, or 1 for "some").
 * Also provides the kernel's page_alloc_test_chunk()
 * for the portable suite (arenas nest inside global memory).
 */
#include "tests/suites/test_arena.h"
#include "kernel/kthread.h"
#include "kernel/kunit.h"
#include "kernel/sched.h"
#include "kernel/lib/string.h"
#include "mm/internal.h"
#include "mm/memblock.h"
#include "mm/vmalloc.h"
#include "mm/vmstat.h"
#include "mm/arch_mm.h"
#include <arch/mmu.h>

void *page_alloc_test_chunk(void);
void page_alloc_test_chunk_free(void *chunk);

void *page_alloc_test_chunk(void)
{
	return (void *)__get_free_pages(GFP_KERNEL | __GFP_NOWARN,
					MAX_PAGE_ORDER);
}

void page_alloc_test_chunk_free(void *chunk)
{
	free_pages((unsigned long)chunk, MAX_PAGE_ORDER);
}

static unsigned long settled_free_pages(void)
{
	drain_all_pages(NULL);
	return nr_free_pages();
}

/*
 * Free pages once nobody else is freeing or taking any: two counts 200
 * ms apart that agree (at most 5 s). The cases compare a count before
 * with one after; other threads must not move it in between. The one
 * that did: the network stack, which the net suites just before leave
 * closing connections and freeing buffers for a second or so (seen:
 * every_free_page_comes_back 2 pages over, on x86_64-virtio-blk). The
 * cases count after as they count before, quietly: with another machine
 * booting beside this one, the stack's buffers can still be in flight
 * when the case ends (seen: global_watermarks one page short).
 */
static unsigned long quiet_free_pages(void)
{
	unsigned long a = settled_free_pages(), b;

	for (int i = 0; i < 25; i++, a = b) {
		sleep_ms(200);
		b = settled_free_pages();
		if (a == b)
			break;
	}
	return a;
}

/*
 * Pages other owners hold, as the node counts them: slabs (and sheaves),
 * page tables (the CPUs' and the IOMMUs'), thread stacks, vmalloc, the
 * kernel's other reclaimable memory, the page cache and anonymous pages.
 * Other threads move them while a case counts - a kmalloc takes a slab
 * page, a kfree may take one for a sheaf (mm/slab.c), a DMA mapping an
 * IOMMU table page - and each such page comes out of, or back into, the
 * free count: the cases add the change since their start back
 * (mem_check.h counts "used" the same way). On a mismatch, owned_report
 * says which counter moved.
 */
static const struct {
	enum node_stat_item item;
	unsigned long unit;	/* bytes a count read stands for */
	const char *name;
} owners[] = {
	/* (The _B items are changed in bytes but read in pages: vmstat.h.) */
	{ NR_SLAB_RECLAIMABLE_B, PAGE_SIZE, "slab_reclaimable" },
	{ NR_SLAB_UNRECLAIMABLE_B, PAGE_SIZE, "slab_unreclaimable" },
	{ NR_PAGETABLE, PAGE_SIZE, "pagetables" },
	{ NR_SECONDARY_PAGETABLE, PAGE_SIZE, "sec_pagetables" },
	{ NR_KERNEL_STACK_KB, 1024, "kernel_stack" },
	{ NR_VMALLOC, PAGE_SIZE, "vmalloc" },
	{ NR_KERNEL_MISC_RECLAIMABLE, PAGE_SIZE, "kernel_misc_reclaimable" },
	{ NR_FILE_PAGES, PAGE_SIZE, "file" },
	{ NR_ANON_MAPPED, PAGE_SIZE, "anon" },
};

struct owned {
	long bytes[ARRAY_SIZE(owners)];
};

static void owned_now(struct owned *o)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(owners); i++)
		o->bytes[i] = (long)(node_page_state_snapshot(NODE_DATA(0),
					owners[i].item) * owners[i].unit);
}

/* Pages the other owners took since o (negative: gave back). */
static long owned_since(const struct owned *o)
{
	struct owned now;
	long bytes = 0;

	owned_now(&now);
	for (unsigned int i = 0; i < ARRAY_SIZE(owners); i++)
		bytes += now.bytes[i] - o->bytes[i];
	return bytes / (long)PAGE_SIZE;
}

static void owned_report(struct kunit *test, const struct owned *o)
{
	struct owned now;

	owned_now(&now);
	for (unsigned int i = 0; i < ARRAY_SIZE(owners); i++)
		if (now.bytes[i] != o->bytes[i])
			kunit_info(test, "since the start: %s %+ld bytes",
				   owners[i].name, now.bytes[i] - o->bytes[i]);
}

/* The free pages counted quietly, plus what others took since o. */
static unsigned long quiet_free_plus_owned(struct kunit *test,
					   const struct owned *o,
					   unsigned long before)
{
	unsigned long n = quiet_free_pages() + owned_since(o);

	if (n != before)
		owned_report(test, o);
	return n;
}

/* Allocate order-`order` blocks with gfp until failure, chained through
 * their first word; returns the chain. */
static void *take_all(gfp_t gfp, unsigned int order, unsigned long *n)
{
	void *head = NULL;
	unsigned long addr;

	*n = 0;
	while ((addr = __get_free_pages(gfp | __GFP_NOWARN, order))) {
		*(void **)addr = head;
		head = (void *)addr;
		(*n)++;
	}
	return head;
}

static void give_back(void *head, unsigned int order)
{
	while (head) {
		void *next = *(void **)head;

		free_pages((unsigned long)head, order);
		head = next;
	}
}

static void every_free_page_comes_back(struct kunit *test)
{
	unsigned long before = quiet_free_pages(), n;
	struct owned o;
	void *all;

	owned_now(&o);
	if (!totalram_pages())
		kunit_skip(test, "no global node");
	all = take_all(__GFP_MEMALLOC, 0, &n);
	KUNIT_EXPECT_EQ(test, n + owned_since(&o), before);
	KUNIT_EXPECT_EQ(test, nr_free_pages(), 0UL);
	give_back(all, 0);
	KUNIT_EXPECT_EQ(test, quiet_free_plus_owned(test, &o, before), before);
	KUNIT_EXPECT_TRUE(test, buddy_check(NODE_DATA(0)));
}

/* Is page a free block of exactly this order on a buddy list? */
static bool free_block_of_order(struct page *page, unsigned int order)
{
	struct zone *zone = page_zone(page);
	unsigned long flags;
	bool ok;

	spin_lock_irqsave(&zone->lock, flags);
	ok = PageBuddy(page) && page->order == order;
	spin_unlock_irqrestore(&zone->lock, flags);
	return ok;
}

/*
 * Free every other page of a MAX_PAGE_ORDER block: each comes back as an
 * order-0 block (its buddy is in use, so no order-1 block forms in the
 * region). Free the rest: the region merges back into the one block it
 * was, on the free lists as order MAX_PAGE_ORDER, and can be had again.
 */
static void high_order_after_fragmentation(struct kunit *test)
{
	unsigned long before = quiet_free_pages();
	struct page *big, *again;
	struct owned o;

	owned_now(&o);
	if (!totalram_pages())
		kunit_skip(test, "no global node");
	big = alloc_pages(GFP_KERNEL, MAX_PAGE_ORDER);
	KUNIT_ASSERT_NOT_NULL(test, big);
	/* Hand back single pages of it: split it, as a fragmented zone. */
	for (unsigned long i = 1; i < MAX_ORDER_NR_PAGES; i++) {
		set_page_count(big + i, 1);
		big[i].order = 0;
	}
	big->order = 0;
	for (unsigned long i = 0; i < MAX_ORDER_NR_PAGES; i += 2)
		__free_pages(big + i, 0);
	drain_all_pages(NULL);
	KUNIT_EXPECT_TRUE(test, buddy_check(NODE_DATA(0)));
	for (unsigned long i = 0; i < MAX_ORDER_NR_PAGES; i += 2)
		if (!free_block_of_order(big + i, 0)) {
			KUNIT_FAIL(test, "page %lu of the region: buddy %d order %u, want a free order-0 block",
				   i, PageBuddy(big + i), big[i].order);
			break;
		}
	for (unsigned long i = 1; i < MAX_ORDER_NR_PAGES; i += 2)
		__free_pages(big + i, 0);
	drain_all_pages(NULL);
	KUNIT_EXPECT_TRUE(test, buddy_check(NODE_DATA(0)));
	KUNIT_EXPECT_TRUE(test, free_block_of_order(big, MAX_PAGE_ORDER));
	if (!PageBuddy(big) || big->order != MAX_PAGE_ORDER)
		kunit_info(test, "head pfn %#lx: buddy %d order %u, want order %d",
			   page_to_pfn(big), PageBuddy(big), big->order,
			   MAX_PAGE_ORDER);
	again = alloc_pages(GFP_KERNEL, MAX_PAGE_ORDER);
	KUNIT_EXPECT_NOT_NULL(test, again);
	if (again)
		__free_pages(again, MAX_PAGE_ORDER);
	KUNIT_EXPECT_EQ(test, quiet_free_plus_owned(test, &o, before), before);
	KUNIT_EXPECT_TRUE(test, buddy_check(NODE_DATA(0)));
}

/* Ordinary allocations stop at min; atomic ones go lower; MEMALLOC to 0. */
static void global_watermarks(struct kunit *test)
{
	unsigned long before = quiet_free_pages(), n1, n2, n3;
	struct owned o;
	void *a, *b, *c;

	owned_now(&o);
	if (!totalram_pages())
		kunit_skip(test, "no global node");
	a = take_all(GFP_KERNEL, 0, &n1);
	drain_all_pages(NULL);
	b = take_all(GFP_ATOMIC, 0, &n2);
	drain_all_pages(NULL);
	c = take_all(__GFP_MEMALLOC, 0, &n3);
	KUNIT_EXPECT_LT(test, n1, before);
	KUNIT_EXPECT_GT(test, n2, 0UL);
	KUNIT_EXPECT_GT(test, n3, 0UL);
	KUNIT_EXPECT_EQ(test, n1 + n2 + n3 + owned_since(&o), before);
	give_back(c, 0);
	give_back(b, 0);
	give_back(a, 0);
	KUNIT_EXPECT_EQ(test, quiet_free_plus_owned(test, &o, before), before);
}

static void drain_all_cpus(struct kunit *test)
{
	unsigned long before = quiet_free_pages();
	struct page *p[64];
	struct zone *zone;
	struct owned o;

	owned_now(&o);
	if (!totalram_pages())
		kunit_skip(test, "no global node");
	for (int i = 0; i < 64; i++)
		p[i] = alloc_page(GFP_KERNEL);
	for (int i = 0; i < 64; i++)
		if (p[i])
			__free_page(p[i]);
	drain_all_pages(NULL);
	for_each_populated_zone_in(zone, NODE_DATA(0))
		for_each_online_cpu(cpu)
			KUNIT_EXPECT_EQ(test, per_cpu_ptr(zone->pcp, cpu)->count, 0);
	KUNIT_EXPECT_EQ(test, quiet_free_plus_owned(test, &o, before), before);
}

/*
 * Every CPU at once fills a private arena to its min watermark and empties
 * it again, ROUNDS times, and looks at the zone's free count after each of
 * its allocations. The look before zone->lock admits two CPUs that both
 * saw min + 1, and a per-CPU refill takes a batch after looking for one
 * page; the check made again under the lock (mm/page_alloc.c,
 * rmqueue_above) must stop both: no ordinary allocation takes the zone
 * below min, and none counts as a reserve user (ZE_RESERVE).
 */
#define RACE_ROUNDS	60

struct racer {
	pg_data_t *pgdat;
	struct zone *zone;
	unsigned long below, allocs, lowest;
	struct thread *t;
};
static struct racer racers[NR_CPUS];
static struct test_arena race_arena;

static int race_to_min(void *arg)
{
	struct racer *r = arg;
	unsigned long min = min_wmark_pages(r->zone);

	r->lowest = ~0UL;
	for (int round = 0; round < RACE_ROUNDS; round++) {
		struct page *head = NULL, *page;

		while ((page = alloc_pages_node(r->pgdat, __GFP_NOWARN, 0))) {
			unsigned long free = READ_ONCE(r->zone->free_pages);

			r->allocs++;
			if (free < min)
				r->below++;
			if (free < r->lowest)
				r->lowest = free;
			page->private = (unsigned long)head;
			head = page;
		}
		while (head) {
			page = (struct page *)head->private;
			__free_pages(head, 0);
			head = page;
		}
		yield();
	}
	return 0;
}

static void race_once(struct kunit *test, struct zone *zone, int high,
		      int batch)
{
	unsigned long reserve = zone->events[ZE_RESERVE], below = 0, allocs = 0;
	unsigned long lowest = ~0UL;
	unsigned int n = 0;

	zone_set_pcp(zone, high, batch);
	for_each_online_cpu(cpu) {
		struct racer *r = &racers[n];

		*r = (struct racer){ .pgdat = &race_arena.pgdat, .zone = zone };
		r->t = kthread_create(race_to_min, r, "wmrace%u", cpu);
		KUNIT_ASSERT_NOT_NULL(test, r->t);
		kthread_bind(r->t, cpu);
		n++;
	}
	for (unsigned int i = 0; i < n; i++)
		wake_up_process(racers[i].t);
	for (unsigned int i = 0; i < n; i++) {
		kthread_stop(racers[i].t);
		below += racers[i].below;
		allocs += racers[i].allocs;
		lowest = min(lowest, racers[i].lowest);
	}
	drain_node_pages(&race_arena.pgdat);
	kunit_info(test, "per-CPU lists high %d batch %d: %u CPUs, %lu "
		   "allocations, free count never below %lu (min %lu)", high,
		   batch, n, allocs, lowest, min_wmark_pages(zone));
	KUNIT_EXPECT_EQ(test, below, 0UL);
	KUNIT_EXPECT_GE(test, lowest, min_wmark_pages(zone));
	KUNIT_EXPECT_EQ(test, zone->events[ZE_RESERVE], reserve);
	KUNIT_EXPECT_GT(test, allocs, 0UL);
}

static void racing_cpus_stop_at_the_watermark(struct kunit *test)
{
	struct zone *zone = NULL, *z;

	KUNIT_ASSERT_TRUE(test, test_arena_make(test, &race_arena, 0));
	for_each_populated_zone_in(z, &race_arena.pgdat)
		if (!zone)
			zone = z;
	zone_set_watermarks(zone, zone->free_pages / 2);
	race_once(test, zone, 0, 1);		/* straight to the buddy */
	race_once(test, zone, 32, 8);		/* per-CPU refills */
	zone_set_watermarks(zone, 0);
	zone_set_pcp(zone, 0, 1);
	test_arena_done(test, &race_arena);
}

#define SZ_4G	(1ULL << 32)

/* Bytes of RAM above 4 GiB that the node has struct pages for. */
static uint64_t node_ram_above_4g(void)
{
	uint64_t bytes = 0;
	pg_data_t *pgdat = NODE_DATA(0);

	for (unsigned int i = 0; i < pgdat->nr_ranges; i++) {
		const struct memmap_range *r = &memmap_ranges[pgdat->range_ids[i]];

		for (unsigned long pfn = r->start_pfn; pfn < r->end_pfn; pfn++)
			if (PFN_PHYS(pfn) >= SZ_4G && memblock_is_memory(PFN_PHYS(pfn)))
				bytes += PAGE_SIZE;
	}
	return bytes;
}

/* Page i of the block holds words (tag, pfn, i, word index). */
static uint64_t pattern_word(uint64_t tag, unsigned long pfn, unsigned long w)
{
	return tag ^ ((uint64_t)pfn << 16) ^ w;
}

static void fill_page(void *va, unsigned long pfn, uint64_t tag)
{
	uint64_t *p = va;

	for (unsigned long w = 0; w < PAGE_SIZE / 8; w++)
		p[w] = pattern_word(tag, pfn, w);
}

/* The page at va holds fill_page(pfn, tag); fails the case if not. */
static bool page_holds(struct kunit *test, const void *va, unsigned long pfn,
		       uint64_t tag, const char *through)
{
	const uint64_t *p = va;

	for (unsigned long w = 0; w < PAGE_SIZE / 8; w++)
		if (p[w] != pattern_word(tag, pfn, w)) {
			KUNIT_FAIL(test, "pfn %#lx word %lu read through %s (%p): %#llx, want %#llx",
				   pfn, w, through, va, (unsigned long long)p[w],
				   (unsigned long long)pattern_word(tag, pfn, w));
			return false;
		}
	return true;
}

/*
 * RAM above 4 GiB is there (as much as the configuration promises), the
 * allocator hands it out (GFP_KERNEL takes ZONE_NORMAL first; lower
 * pages are set aside until a high one comes), and it is usable: a
 * pattern written through the direct map reads back through it and
 * through a vmap alias, and the other way round. GFP_DMA32 never gets it.
 */
static void memory_above_4g_is_used(struct kunit *test)
{
	uint64_t want = 0, have = node_ram_above_4g();
	bool expected = kunit_expectation_u64("mem.above_4g", &want);
	struct page *high = NULL, *block, *low_chain = NULL, *dma, *vpages[3];
	unsigned long tries = 0, pfn;
	void *va;
	uint8_t *v;

	if (expected) {
		if (want == 1)
			KUNIT_ASSERT_GT(test, have, 0ULL);
		else
			KUNIT_ASSERT_EQ(test, have, want);
	} else if (!have) {
		kunit_skip(test, "no RAM above 4 GiB here");
	}
	kunit_info(test, "%llu MiB of RAM above 4 GiB", (unsigned long long)(have >> 20));

	/* Take pages until one is above 4 GiB; keep the low ones aside. */
	while ((high = alloc_page(GFP_KERNEL | __GFP_NOWARN)) &&
	       PFN_PHYS(page_to_pfn(high)) < SZ_4G) {
		high->private = (unsigned long)low_chain;
		low_chain = high;
		tries++;
	}
	while (low_chain) {
		struct page *next = (struct page *)low_chain->private;

		low_chain->private = 0;
		__free_page(low_chain);
		low_chain = next;
	}
	KUNIT_ASSERT_NOT_NULL(test, high);
	kunit_info(test, "pfn %#lx after %lu pages below 4 GiB", page_to_pfn(high), tries);

	/* A high-order block up there too, every page of it written. */
	block = alloc_pages(GFP_KERNEL | __GFP_NOWARN, MAX_PAGE_ORDER);
	if (block && PFN_PHYS(page_to_pfn(block)) < SZ_4G) {
		__free_pages(block, MAX_PAGE_ORDER);
		block = NULL;
	}
	if (block) {
		pfn = page_to_pfn(block);
		for (unsigned long i = 0; i < MAX_ORDER_NR_PAGES; i++)
			fill_page(page_address(block + i), pfn + i, 0x4b4b);
		for (unsigned long i = 0; i < MAX_ORDER_NR_PAGES; i++)
			if (!page_holds(test, page_address(block + i), pfn + i,
					0x4b4b, "the direct map"))
				break;
		__free_pages(block, MAX_PAGE_ORDER);
	} else {
		kunit_info(test, "no order-%d block above 4 GiB", MAX_PAGE_ORDER);
	}

	/* The high page through two aliases: direct map and a vmap. */
	pfn = page_to_pfn(high);
	dma = alloc_page(GFP_DMA32);
	KUNIT_EXPECT_NOT_NULL(test, dma);
	if (dma)
		KUNIT_EXPECT_LT(test, PFN_PHYS(page_to_pfn(dma)), ARCH_DMA32_LIMIT);
	vpages[0] = dma ? dma : high;
	vpages[1] = high;
	vpages[2] = dma ? dma : high;
	fill_page(page_address(high), pfn, 0x1234);
	va = vmap(vpages, 3, 0, PROT_READ | PROT_WRITE);
	KUNIT_EXPECT_NOT_NULL(test, va);
	if (va) {
		v = (uint8_t *)va + PAGE_SIZE;
		page_holds(test, v, pfn, 0x1234, "a vmap");
		fill_page(v, pfn, 0x5678);
		page_holds(test, page_address(high), pfn, 0x5678, "the direct map");
		vunmap(va);
	}
	if (dma)
		__free_page(dma);
	__free_page(high);
}

static struct kunit_case page_alloc_kernel_cases[] = {
	KUNIT_CASE(every_free_page_comes_back),
	KUNIT_CASE(high_order_after_fragmentation),
	KUNIT_CASE(global_watermarks),
	KUNIT_CASE(drain_all_cpus),
	KUNIT_CASE(racing_cpus_stop_at_the_watermark),
	KUNIT_CASE(memory_above_4g_is_used),
	{}
};

static struct kunit_suite page_alloc_kernel_suite = {
	.name = "page_alloc_kernel",
	.test_cases = page_alloc_kernel_cases,
};
kunit_test_suite(page_alloc_kernel_suite);
