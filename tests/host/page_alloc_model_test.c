/*
 * tests/host/page_alloc_model_test.c - host-only page allocator tests:
 * a long randomised run checked against a reference model after every
 * step, and the checks that panic (with page_alloc_panic_on_bad_page).
 * The model knows which pages are free, so it knows when an allocation
 * must succeed (a free aligned run of the order, in a zone the gfp may
 * use, above that zone's min watermark and reserve: the allocator drains
 * the per-CPU lists before it gives up); a failure then is a bug. Every
 * live block holds a pattern, checked before it is freed and every
 * CHECK_EVERY steps, so a block handed out twice or written by the
 * allocator shows.
 * Also provides the host's page_alloc_test_chunk() for the portable suite.
 *
 * Replay a failing seed: build/host/unit page_alloc_model --seed N
 */
#include "tests/host/host.h"
#include "kernel/kunit.h"
#include "kernel/lib/random.h"
#include "kernel/lib/string.h"
#include "mm/internal.h"

#include <stdlib.h>

#define CHUNK_SIZE	(4UL << 20)

void *page_alloc_test_chunk(void);
void page_alloc_test_chunk_free(void *chunk);

void *page_alloc_test_chunk(void)
{
	return aligned_alloc(CHUNK_SIZE, CHUNK_SIZE);
}

void page_alloc_test_chunk_free(void *chunk)
{
	free(chunk);
}

/* ---------------------------------------------------------------- model */

#define MODEL_CHUNKS	3		/* 12 MiB: DMA32 | hole | NORMAL ... */
#define MAX_LIVE	512
#define CHECK_EVERY	5000
#define ZONE_PAGES	(CHUNK_SIZE / PAGE_SIZE)

/* M.allocated[]: what the model believes each pfn of the arena is. */
enum { PFN_FREE, PFN_OURS, PFN_UNMANAGED };

struct live {
	struct page *page;
	unsigned int order;
	gfp_t gfp;
	uint8_t tag;		/* the pattern: page i holds tag + i */
};

static struct {
	pg_data_t pgdat;
	char *mem;
	unsigned long base_pfn, npages;
	uint8_t *allocated;		/* the model: PFN_* per pfn */
	unsigned long zone_free[MAX_NR_ZONES];	/* PFN_FREE pages per zone */
	struct live live[MAX_LIVE];
	unsigned int nr_live;
	unsigned long must, may_fail;	/* failures checked: required/allowed */
} M;

static const gfp_t model_gfps[] = {
	GFP_KERNEL, GFP_KERNEL | __GFP_ZERO, GFP_HIGHUSER_MOVABLE,
	GFP_KERNEL | __GFP_RECLAIMABLE, GFP_ATOMIC, GFP_DMA32,
	GFP_DMA32 | __GFP_MOVABLE, __GFP_MEMALLOC,
};

/* Chunk 0 is DMA32, chunk 2 NORMAL; the hole between is unmanaged. */
static enum zone_type model_zone(unsigned long off)
{
	return off < ZONE_PAGES ? ZONE_DMA32 : ZONE_NORMAL;
}

static void mark_free_block(struct page *page, unsigned int order, void *arg)
{
	unsigned long off = page_to_pfn(page) - M.base_pfn;

	(void)arg;
	for (unsigned long i = 0; i < (1UL << order); i++) {
		M.allocated[off + i] = PFN_FREE;
		M.zone_free[model_zone(off + i)]++;
	}
}

/* Build a node over 3 chunks: chunk 0 DMA32, a hole, chunk 2 NORMAL. */
static bool model_make(struct kunit *test, bool grouping)
{
	struct mem_range r[2];
	phys_addr_t base;

	M.mem = aligned_alloc(CHUNK_SIZE, MODEL_CHUNKS * CHUNK_SIZE);
	if (!M.mem)
		return false;
	base = virt_to_phys(M.mem);
	r[0] = (struct mem_range){ base, base + CHUNK_SIZE };
	r[1] = (struct mem_range){ base + 2 * CHUNK_SIZE, base + 3 * CHUNK_SIZE };
	if (page_arena_init(&M.pgdat, r, 2, base + CHUNK_SIZE) < 0)
		return false;
	set_mobility_grouping(&M.pgdat, grouping);
	M.base_pfn = PHYS_PFN(base);
	M.npages = MODEL_CHUNKS * CHUNK_SIZE / PAGE_SIZE;
	M.allocated = malloc(M.npages);
	M.nr_live = 0;
	if (!M.allocated)
		return false;
	/* The one time the model asks the allocator: what starts free (all
	 * but the memmap it carved). From here on the model keeps count. */
	memset(M.allocated, PFN_UNMANAGED, M.npages);
	for (int z = 0; z < MAX_NR_ZONES; z++)
		zone_for_each_free_block(&M.pgdat.node_zones[z],
					 mark_free_block, NULL);
	return true;
}

/*
 * Must alloc_pages_node(gfp, order) succeed now? Yes if some zone the gfp
 * may use (its own, then lower) has, counting only what the model knows
 * is free: more than min watermark + lowmem_reserve pages left after the
 * block (__GFP_MEMALLOC ignores watermarks), and a naturally aligned run
 * of 2^order free pages (after the drain, the buddy has merged it).
 * Conservative: __GFP_HIGH's lower watermark is not counted on.
 */
static bool model_must_succeed(gfp_t gfp, unsigned int order)
{
	enum zone_type highest = (gfp & __GFP_DMA32) ? ZONE_DMA32 : ZONE_NORMAL;
	unsigned long n = 1UL << order;

	for (int z = (int)highest; z >= 0; z--) {
		struct zone *zone = &M.pgdat.node_zones[z];
		unsigned long start = z == ZONE_DMA32 ? 0 : 2 * ZONE_PAGES;

		if (!(gfp & __GFP_MEMALLOC) &&
		    (long)M.zone_free[z] - (long)(n - 1) <=
		    (long)(min_wmark_pages(zone) + zone->lowmem_reserve[highest]))
			continue;
		for (unsigned long off = start; off < start + ZONE_PAGES; off += n) {
			unsigned long i = 0;

			while (i < n && M.allocated[off + i] == PFN_FREE)
				i++;
			if (i == n)
				return true;
		}
	}
	return false;
}

static void fill_block(struct page *page, unsigned int order, uint8_t tag)
{
	for (unsigned long i = 0; i < (1UL << order); i++)
		memset((char *)page_address(page) + i * PAGE_SIZE,
		       (uint8_t)(tag + i), PAGE_SIZE);
}

/* The live block still holds its pattern. */
static bool block_intact(struct kunit *test, const struct live *l)
{
	for (unsigned long i = 0; i < (1UL << l->order); i++) {
		const uint8_t *p = (const uint8_t *)page_address(l->page) + i * PAGE_SIZE;

		for (unsigned long k = 0; k < PAGE_SIZE; k++)
			if (p[k] != (uint8_t)(l->tag + i)) {
				KUNIT_FAIL(test, "order-%u block at pfn %#lx: byte %#lx of page %lu is %#x, want %#x",
					   l->order, page_to_pfn(l->page), k, i,
					   p[k], (uint8_t)(l->tag + i));
				return false;
			}
	}
	return true;
}

static bool all_blocks_intact(struct kunit *test)
{
	for (unsigned int i = 0; i < M.nr_live; i++)
		if (!block_intact(test, &M.live[i]))
			return false;
	return true;
}

static void model_destroy(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, page_arena_destroy(&M.pgdat), 0UL);
	free(M.allocated);
	free(M.mem);
	memset(&M, 0, sizeof(M));
}

/* The model agrees with the allocator: counts, and the checker passes. */
static bool model_consistent(struct kunit *test, unsigned long step)
{
	unsigned long used = 0;

	for (unsigned int i = 0; i < M.nr_live; i++)
		used += 1UL << M.live[i].order;
	if (node_free_pages(&M.pgdat) + used != node_managed_pages(&M.pgdat)) {
		KUNIT_FAIL(test, "step %lu: free %lu + allocated %lu != managed %lu",
			   step, node_free_pages(&M.pgdat), used,
			   node_managed_pages(&M.pgdat));
		return false;
	}
	if (!buddy_check(&M.pgdat)) {
		KUNIT_FAIL(test, "step %lu: buddy_check failed", step);
		return false;
	}
	return true;
}

/*
 * A block just allocated: its head has every owner field clear, and no
 * page of it carries state the free checks forbid (docs/mm/struct-page.md).
 */
static bool owner_fields_clear(struct kunit *test, struct page *page,
			       unsigned int order, unsigned long step)
{
	if ((page->flags & PAGE_FLAGS_OWNER) || page->mapping || page->index ||
	    page->private || page->_mapcount != -1) {
		KUNIT_FAIL(test, "step %lu: order-%u block at pfn %#lx handed out with owner state: flags %#lx mapping %p index %lu private %#lx _mapcount %d",
			   step, order, page_to_pfn(page), page->flags,
			   (void *)page->mapping, page->index, page->private,
			   page->_mapcount);
		return false;
	}
	for (unsigned long i = 1; i < (1UL << order); i++)
		if ((page[i].flags & PAGE_FLAGS_CHECK_AT_FREE) ||
		    page[i].mapping || page[i]._mapcount != -1) {
			KUNIT_FAIL(test, "step %lu: page %lu of the order-%u block at pfn %#lx has owner state",
				   step, i, order, page_to_pfn(page));
			return false;
		}
	return true;
}

/* Leave owner state the free checks allow, for the next owner to not see. */
static void scribble_owner_state(struct page *page, unsigned int order,
				 uint8_t tag)
{
	for (unsigned long i = 0; i < (1UL << order); i++) {
		SetPageReferenced(&page[i]);
		if (tag & 1)
			SetPageSwapBacked(&page[i]);
	}
	SetPageUptodate(page);
	page->index = tag;
	page->private = (unsigned long)tag << 8;
}

static bool model_alloc(struct kunit *test, struct prng *rng, unsigned long step)
{
	unsigned int order = prng_below(rng, 4) ? (unsigned int)prng_below(rng, 4) :
			     (unsigned int)prng_below(rng, MAX_PAGE_ORDER + 1);
	gfp_t gfp = model_gfps[prng_below(rng, ARRAY_SIZE(model_gfps))] | __GFP_NOWARN;
	struct page *page = alloc_pages_node(&M.pgdat, gfp, order);
	unsigned long pfn, off;
	uint8_t tag = (uint8_t)prng_below(rng, 256);

	if (!page) {
		if (!model_must_succeed(gfp, order)) {
			M.may_fail++;
			return true;	/* memory is finite */
		}
		M.must++;
		KUNIT_FAIL(test, "step %lu: order-%u alloc (gfp %#x) failed; the model has room (free DMA32 %lu NORMAL %lu)",
			   step, order, (unsigned int)gfp, M.zone_free[ZONE_DMA32],
			   M.zone_free[ZONE_NORMAL]);
		return false;
	}
	pfn = page_to_pfn(page);
	off = pfn - M.base_pfn;
	if (off + (1UL << order) > M.npages || (pfn & ((1UL << order) - 1)) ||
	    off / (CHUNK_SIZE / PAGE_SIZE) == 1) {
		KUNIT_FAIL(test, "step %lu: order-%u block at pfn %#lx is outside the arena or misaligned",
			   step, order, pfn);
		return false;
	}
	if ((gfp & __GFP_DMA32) && page_zone(page)->idx != ZONE_DMA32) {
		KUNIT_FAIL(test, "step %lu: GFP_DMA32 got zone %s", step,
			   page_zone(page)->name);
		return false;
	}
	for (unsigned long i = 0; i < (1UL << order); i++) {
		if (M.allocated[off + i] != PFN_FREE) {
			KUNIT_FAIL(test, "step %lu: pfn %#lx handed out while %s",
				   step, pfn + i, M.allocated[off + i] == PFN_OURS ?
				   "allocated" : "not managed");
			return false;
		}
		M.allocated[off + i] = PFN_OURS;
		M.zone_free[model_zone(off + i)]--;
	}
	if (gfp & __GFP_ZERO) {
		const unsigned char *mem = page_address(page);

		for (unsigned long i = 0; i < (PAGE_SIZE << order); i++)
			if (mem[i]) {
				KUNIT_FAIL(test, "step %lu: __GFP_ZERO page not zero", step);
				return false;
			}
	}
	if (!owner_fields_clear(test, page, order, step))
		return false;
	scribble_owner_state(page, order, tag);
	fill_block(page, order, tag);
	M.live[M.nr_live++] = (struct live){ page, order, gfp, tag };
	return true;
}

/* Free a random live block, checking its pattern first. */
static bool model_free(struct kunit *test, struct prng *rng)
{
	unsigned int i = (unsigned int)prng_below(rng, M.nr_live);
	struct live l = M.live[i];
	unsigned long off = page_to_pfn(l.page) - M.base_pfn;
	bool ok = block_intact(test, &l);

	M.live[i] = M.live[--M.nr_live];
	for (unsigned long k = 0; k < (1UL << l.order); k++) {
		M.allocated[off + k] = PFN_FREE;
		M.zone_free[model_zone(off + k)]++;
	}
	__free_pages(l.page, l.order);
	return ok;
}

static void run_model(struct kunit *test, bool grouping, unsigned long steps,
		      bool checks)
{
	struct prng rng;
	bool debug = page_alloc_debug;

	page_alloc_set_debug(checks);
	prng_seed(&rng, test->seed);
	KUNIT_ASSERT_TRUE(test, model_make(test, grouping));
	for (unsigned long step = 0; step < steps; step++) {
		uint64_t op = prng_below(&rng, 100);

		if (op < 2) {
			drain_node_pages(&M.pgdat);
		} else if (op < 4) {
			struct zone *z = &M.pgdat.node_zones[prng_below(&rng, 2)];

			zone_set_pcp(z, (int)prng_below(&rng, 64), 1 + (int)prng_below(&rng, 16));
		} else if (op < 6) {
			zone_set_watermarks(&M.pgdat.node_zones[prng_below(&rng, 2)],
					    prng_below(&rng, 128));
		} else if (M.nr_live == MAX_LIVE || (M.nr_live && op < 50)) {
			if (!model_free(test, &rng))
				break;
		} else if (!model_alloc(test, &rng, step)) {
			break;
		}
		if (!model_consistent(test, step))
			break;
		if (step % CHECK_EVERY == 0 && !all_blocks_intact(test))
			break;
	}
	kunit_info(test, "%lu failed allocations the model allowed, %lu it did not",
		   M.may_fail, M.must);
	/* The run must reach exhaustion, or the prediction went untested. */
	KUNIT_EXPECT_GT(test, M.may_fail, 0UL);
	while (M.nr_live)
		model_free(test, &rng);
	KUNIT_EXPECT_TRUE(test, model_consistent(test, steps));
	KUNIT_EXPECT_EQ(test, M.pgdat.nr_bad_pages, 0UL);
	model_destroy(test);
	page_alloc_set_debug(debug);
}

static void random_ops_match_model(struct kunit *test)
{
	run_model(test, true, 100000, true);
}

/* The same with the debug checks off, as a production kernel runs: the
 * fast paths (pcp_alloc_fast, free_pcp_fast) take the order-0 pages,
 * which they leave to the general path under debugging. */
static void random_ops_match_model_production(struct kunit *test)
{
	run_model(test, true, 100000, false);
}

static void random_ops_match_model_no_grouping(struct kunit *test)
{
	run_model(test, false, 30000, true);
}

/* ---------------------------------------------------------------- panics */

static void bad_frees_panic_when_asked(struct kunit *test)
{
	struct page *page;
	bool panicked;

	KUNIT_ASSERT_TRUE(test, model_make(test, true));
	page = alloc_pages_node(&M.pgdat, GFP_KERNEL, 1);
	KUNIT_ASSERT_NOT_NULL(test, page);
	page_alloc_panic_on_bad_page = true;
	panicked = HOST_EXPECT_PANIC(__free_pages(page, 0));
	KUNIT_EXPECT_TRUE(test, panicked);
	KUNIT_EXPECT_TRUE(test, strncmp(host_panic_msg, "bad page state", 14) == 0);
	__free_pages(page, 1);
	panicked = HOST_EXPECT_PANIC(__free_pages(page, 1));
	KUNIT_EXPECT_TRUE(test, panicked);
	page_alloc_panic_on_bad_page = false;
	kunit_expect_reports(test, DIAG_BAD_PAGE, 2);
	KUNIT_EXPECT_EQ(test, M.pgdat.nr_bad_pages, 2UL);
	model_destroy(test);
}

/* Two arenas at once, and a range table that refuses overlap. */
static void arenas_are_independent(struct kunit *test)
{
	static pg_data_t other;
	struct mem_range r;
	struct page *a, *b;

	KUNIT_ASSERT_TRUE(test, model_make(test, true));
	r.start = virt_to_phys(M.mem) + CHUNK_SIZE / 2;
	r.end = r.start + 2 * CHUNK_SIZE;		/* straddles a range */
	KUNIT_EXPECT_EQ(test, page_arena_init(&other, &r, 1, 0), -1);
	r.start = virt_to_phys(M.mem) + CHUNK_SIZE;	/* the model's hole */
	r.end = r.start + CHUNK_SIZE;
	KUNIT_ASSERT_EQ(test, page_arena_init(&other, &r, 1, 0), 0);
	zone_set_watermarks(&other.node_zones[ZONE_NORMAL], 0);
	a = alloc_pages_node(&M.pgdat, GFP_KERNEL, 0);
	b = alloc_pages_node(&other, GFP_KERNEL, 0);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_EXPECT_PTR_EQ(test, page_pgdat(a), &M.pgdat);
	KUNIT_EXPECT_PTR_EQ(test, page_pgdat(b), &other);
	KUNIT_EXPECT_PTR_EQ(test, pfn_to_page(page_to_pfn(b)), b);
	__free_pages(b, 0);
	__free_pages(a, 0);
	KUNIT_EXPECT_TRUE(test, buddy_check(&other));
	KUNIT_EXPECT_EQ(test, page_arena_destroy(&other), 0UL);
	model_destroy(test);
}

static struct kunit_case page_alloc_model_cases[] = {
	KUNIT_CASE(random_ops_match_model),
	KUNIT_CASE(random_ops_match_model_no_grouping),
	KUNIT_CASE(random_ops_match_model_production),
	KUNIT_CASE(bad_frees_panic_when_asked),
	KUNIT_CASE(arenas_are_independent),
	{}
};

static struct kunit_suite page_alloc_model_suite = {
	.name = "page_alloc_model",
	.test_cases = page_alloc_model_cases,
};
kunit_test_suite(page_alloc_model_suite);
