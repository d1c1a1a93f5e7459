/*
 * tests/host/cma_model_test.c - randomised model tests of CMA's region
 * bitmap and of pageblock isolation (mm/cma.c, mm/page_isolation.c) on a
 * 16 MiB private arena (eight pageblocks): longer than the portable
 * suites (tests/suites/cma_test.c) can afford in the kernel.
 *
 *  - cma_model: a region over pageblocks 1-7 (its base is 2 MiB but not
 *    4 MiB aligned, so order-10 alignment needs the bitmap's offset), at
 *    order_per_bit 0 and 2. Random cma_alloc (1 page to most of the
 *    region, alignment orders 0-10) and cma_release against a reference
 *    model: an array of chunks and the plain first-fit rule (the lowest
 *    chunk index whose pfn is aligned and whose run is free). Every call
 *    must do exactly what the model predicts: the same pfn, or NULL
 *    when the model finds no run. Pages handed out carry a pattern that
 *    is checked when they are released (two allocations sharing a page
 *    would show); the free-page count is exact after every step.
 *  - isolation_partial_failure: start_isolate_page_range over seven
 *    pageblocks whose fifth holds an unmovable page: -EBUSY naming it,
 *    and the four blocks it had isolated are given back exactly.
 *  - isolation_model: random allocations, frees, isolations and undos
 *    against a model that predicts each isolation's answer and the
 *    isolate lists' free pages exactly (below).
 *  - cma_param: cma= values, good and malformed.
 * Host only; replay: --seed N.
 */
#include "tests/host/host.h"
#include "kernel/errno.h"
#include "kernel/kunit.h"
#include "kernel/lib/random.h"
#include "kernel/lib/string.h"
#include "mm/cma.h"
#include "mm/internal.h"
#include "mm/page_isolation.h"

#include <stdlib.h>

#define ARENA_BYTES	(16UL << 20)
#define ARENA_PAGES	(ARENA_BYTES / PAGE_SIZE)
#define STEPS		20000
#define MAX_LIVE	64

static struct {
	pg_data_t pgdat;
	void *mem;
	unsigned long base_pfn;		/* the arena's first pfn */
} A;

static bool arena_make(struct kunit *test)
{
	struct mem_range r;
	struct zone *zone;

	A.mem = aligned_alloc(4UL << 20, ARENA_BYTES);
	if (!A.mem) {
		kunit_info(test, "no memory for the arena");
		return false;
	}
	r.start = virt_to_phys(A.mem);
	r.end = r.start + ARENA_BYTES;
	A.base_pfn = PHYS_PFN(r.start);
	if (page_arena_init(&A.pgdat, &r, 1, 0) < 0)
		return false;
	for_each_populated_zone_in(zone, &A.pgdat) {
		zone_set_watermarks(zone, 0);
		zone_set_pcp(zone, 0, 1);
		for (int z = 0; z < MAX_NR_ZONES; z++)
			zone->lowmem_reserve[z] = 0;
	}
	return true;
}

static void arena_done(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, buddy_check(&A.pgdat));
	KUNIT_EXPECT_EQ(test, page_arena_destroy(&A.pgdat), 0UL);
	free(A.mem);
}

/* ================================================================ bitmap */

struct live {
	struct page *page;
	unsigned long count;
	uint64_t seed;
};

static struct {
	struct cma cma;
	unsigned long bitmap[ARENA_PAGES / (8 * sizeof(long))];
	bool used[ARENA_PAGES];		/* the model: chunk taken */
	struct live live[MAX_LIVE];
	unsigned int nr_live;
	unsigned long pages_live;
} M;

/* The model's answer: the pfn cma_alloc must return, or 0 for NULL. */
static unsigned long model_find(unsigned long count, unsigned int align)
{
	const struct cma *c = &M.cma;
	unsigned long chunk = 1UL << c->order_per_bit;
	unsigned long nchunks = c->count / chunk;
	unsigned long need = (count + chunk - 1) / chunk;

	if (align > MAX_PAGE_ORDER)
		align = MAX_PAGE_ORDER;
	for (unsigned long i = 0; i + need <= nchunks; i++) {
		unsigned long pfn = c->base_pfn + i * chunk;
		bool free = true;

		if (pfn & ((1UL << align) - 1))
			continue;
		for (unsigned long j = i; j < i + need && free; j++)
			free = !M.used[j];
		if (free)
			return pfn;
	}
	return 0;
}

static void model_mark(unsigned long pfn, unsigned long count, bool on)
{
	unsigned long chunk = 1UL << M.cma.order_per_bit;
	unsigned long first = (pfn - M.cma.base_pfn) / chunk;

	for (unsigned long j = first; j < first + (count + chunk - 1) / chunk; j++)
		M.used[j] = on;
}

static void fill(struct page *page, unsigned long count, uint64_t seed)
{
	for (unsigned long i = 0; i < count; i++)
		*(uint64_t *)page_address(page + i) = seed + i;
}

static bool intact(struct page *page, unsigned long count, uint64_t seed)
{
	for (unsigned long i = 0; i < count; i++)
		if (*(uint64_t *)page_address(page + i) != seed + i)
			return false;
	return true;
}

static unsigned long random_count(struct prng *rng)
{
	switch (prng_below(rng, 4)) {
	case 0:	return 1 + prng_below(rng, 8);
	case 1:	return 1 + prng_below(rng, 64);
	case 2:	return 1 + prng_below(rng, 512);
	default: return 1 + prng_below(rng, M.cma.count);
	}
}

static void release_one(struct kunit *test, unsigned int k)
{
	struct live *l = &M.live[k];

	KUNIT_EXPECT_TRUE(test, intact(l->page, l->count, l->seed));
	KUNIT_EXPECT_TRUE(test, cma_release(&M.cma, l->page, l->count));
	model_mark(page_to_pfn(l->page), l->count, false);
	M.pages_live -= l->count;
	M.live[k] = M.live[--M.nr_live];
}

static void run_model(struct kunit *test, struct prng *rng,
		      unsigned int order_per_bit)
{
	unsigned long region = A.base_pfn + pageblock_nr_pages;
	unsigned long free0, nr_ok = 0, nr_refused = 0;

	memset(&M, 0, sizeof(M));
	KUNIT_ASSERT_EQ(test, cma_init_arena_region(&M.cma, "model", region,
						    7 * pageblock_nr_pages,
						    order_per_bit, M.bitmap), 0);
	free0 = node_free_pages(&A.pgdat);
	for (unsigned int step = 0; step < STEPS; step++) {
		if (M.nr_live && (M.nr_live == MAX_LIVE || prng_below(rng, 5) < 2)) {
			release_one(test, (unsigned int)prng_below(rng, M.nr_live));
		} else {
			unsigned long count = random_count(rng);
			unsigned int align = (unsigned int)prng_below(rng, 12);
			unsigned long want = model_find(count, align);
			struct page *page = cma_alloc(&M.cma, count, align);

			if (!want) {
				nr_refused++;
				KUNIT_EXPECT_NULL(test, page);
				KUNIT_EXPECT_EQ(test, M.cma.last_err, -ENOMEM);
			} else {
				KUNIT_ASSERT_NOT_NULL(test, page);
				KUNIT_ASSERT_EQ(test, page_to_pfn(page), want);
			}
			if (page) {
				struct live *l = &M.live[M.nr_live++];

				*l = (struct live){ page, count, prng_next(rng) };
				fill(page, count, l->seed);
				model_mark(want, count, true);
				M.pages_live += count;
				nr_ok++;
			}
		}
		/* Exact: cma_alloc takes count pages, not whole chunks. */
		KUNIT_ASSERT_EQ(test, node_free_pages(&A.pgdat), free0 - M.pages_live);
		KUNIT_ASSERT_EQ(test, page_zone(pfn_to_page(region))->nr_free_mt[MIGRATE_ISOLATE], 0UL);
		if (step % 500 == 0)
			KUNIT_ASSERT_TRUE(test, buddy_check(&A.pgdat));
	}
	kunit_info(test, "order_per_bit %u: %lu allocations, %lu refused as the model said",
		   order_per_bit, nr_ok, nr_refused);
	while (M.nr_live)
		release_one(test, 0);
	KUNIT_EXPECT_EQ(test, M.cma.allocated, 0UL);
	KUNIT_EXPECT_EQ(test, node_free_pages(&A.pgdat), free0);
	for (unsigned long i = 0; i < ARRAY_SIZE(M.bitmap); i++)
		KUNIT_EXPECT_EQ(test, M.bitmap[i], 0UL);
	cma_destroy_arena_region(&M.cma);
}

static void cma_bitmap_matches_model(struct kunit *test)
{
	struct prng rng;

	prng_seed(&rng, test->seed);
	if (!arena_make(test))
		return;
	run_model(test, &rng, 0);
	run_model(test, &rng, 2);
	arena_done(test);
}

/* ================================================================ isolation */

static void isolation_partial_failure_undone(struct kunit *test)
{
	unsigned long first, bad_block, end, bad = 0;
	unsigned long mt[MIGRATE_TYPES], nr[NR_PAGE_ORDERS];
	struct page *p;
	struct zone *zone;

	if (!arena_make(test))
		return;
	first = A.base_pfn + pageblock_nr_pages;
	bad_block = A.base_pfn + 5 * pageblock_nr_pages;
	end = A.base_pfn + ARENA_PAGES;
	zone = page_zone(pfn_to_page(first));
	/* One page at bad_block + 7, made "unmovable". */
	KUNIT_ASSERT_EQ(test, alloc_contig_range(bad_block + 7, bad_block + 8,
						 MIGRATE_MOVABLE, NULL), 0);
	p = pfn_to_page(bad_block + 7);
	p->flags = (p->flags & ~PG_mt_mask) |
		   ((unsigned long)MIGRATE_UNMOVABLE << PG_mt_shift);
	for (int i = 0; i < MIGRATE_TYPES; i++)
		mt[i] = zone->nr_free_mt[i];
	for (unsigned int o = 0; o < NR_PAGE_ORDERS; o++)
		nr[o] = zone->free_area[o].nr_free;

	KUNIT_EXPECT_EQ(test, __start_isolate_page_range(first, end, MIGRATE_MOVABLE,
							 &bad), -EBUSY);
	KUNIT_EXPECT_EQ(test, bad, bad_block + 7);
	for (int i = 0; i < MIGRATE_TYPES; i++)
		KUNIT_EXPECT_EQ(test, zone->nr_free_mt[i], mt[i]);
	for (unsigned int o = 0; o < NR_PAGE_ORDERS; o++)
		KUNIT_EXPECT_EQ(test, zone->free_area[o].nr_free, nr[o]);
	for (unsigned long pfn = first; pfn < end; pfn += pageblock_nr_pages)
		KUNIT_EXPECT_EQ(test, get_pageblock_migratetype(pfn_to_page(pfn)),
				MIGRATE_MOVABLE);
	KUNIT_EXPECT_TRUE(test, buddy_check(&A.pgdat));

	/* Without it the whole range isolates; undo merges it all back. */
	p->flags = (p->flags & ~PG_mt_mask) |
		   ((unsigned long)MIGRATE_MOVABLE << PG_mt_shift);
	free_contig_range(bad_block + 7, 1);
	for (int i = 0; i < MIGRATE_TYPES; i++)
		mt[i] = zone->nr_free_mt[i];
	for (unsigned int o = 0; o < NR_PAGE_ORDERS; o++)
		nr[o] = zone->free_area[o].nr_free;
	KUNIT_EXPECT_EQ(test, start_isolate_page_range(first, end, MIGRATE_MOVABLE), 0);
	KUNIT_EXPECT_EQ(test, zone->nr_free_mt[MIGRATE_ISOLATE],
			7 * pageblock_nr_pages);
	KUNIT_EXPECT_EQ(test, test_pages_isolated(first, end, NULL), 0);
	KUNIT_EXPECT_TRUE(test, buddy_check(&A.pgdat));
	undo_isolate_page_range(first, end, MIGRATE_MOVABLE);
	for (int i = 0; i < MIGRATE_TYPES; i++)
		KUNIT_EXPECT_EQ(test, zone->nr_free_mt[i], mt[i]);
	for (unsigned int o = 0; o < NR_PAGE_ORDERS; o++)
		KUNIT_EXPECT_EQ(test, zone->free_area[o].nr_free, nr[o]);
	arena_done(test);
}

/*
 * isolation_model: random allocations (orders 0-3, movable and
 * unmovable), frees, pageblock isolations and undos on blocks 1-7,
 * against a model of which pages each live allocation holds and which
 * blocks are isolated. The model predicts exactly: whether an isolation
 * succeeds (the block is movable and holds no unmovable allocation),
 * the free pages on the isolate lists (every free page of every isolated
 * block), the arena's free count, test_pages_isolated's answer (an
 * isolated block with no live page); and no allocation may come from an
 * isolated block. (Unmovable allocations claim their whole pageblock,
 * so a refusal here is for the block's type; an unmovable page inside a
 * movable block is isolation_partial_failure_undone's case. Seen
 * failing with the isolation check refusing every block; not with it
 * accepting unmovable pages, which only the other case catches.)
 */
#define ISO_STEPS	4000
#define ISO_LIVE	256

static struct {
	unsigned long pfn;
	unsigned int order;
	bool movable;
} iso_live[ISO_LIVE];
static unsigned int nr_iso_live;
static bool iso_isolated[8];

static unsigned long block_of(unsigned long pfn)
{
	return (pfn - A.base_pfn) / pageblock_nr_pages;
}

/* Live pages in block b, and whether one of them is unmovable. */
static unsigned long live_in_block(unsigned long b, bool *unmovable)
{
	unsigned long n = 0;

	*unmovable = false;
	for (unsigned int i = 0; i < nr_iso_live; i++)
		if (block_of(iso_live[i].pfn) == b) {
			n += 1UL << iso_live[i].order;
			*unmovable |= !iso_live[i].movable;
		}
	return n;
}

static void isolation_matches_model(struct kunit *test)
{
	struct prng rng;
	struct zone *zone;
	unsigned long free0;
	bool um;

	if (!arena_make(test))
		return;
	prng_seed(&rng, test->seed);
	zone = page_zone(pfn_to_page(A.base_pfn + pageblock_nr_pages));
	free0 = node_free_pages(&A.pgdat);
	nr_iso_live = 0;
	memset(iso_isolated, 0, sizeof(iso_isolated));
	for (unsigned int step = 0; step < ISO_STEPS; step++) {
		unsigned int op = (unsigned int)prng_below(&rng, 10);
		unsigned long b = 1 + prng_below(&rng, 7), want_iso = 0, used = 0;
		unsigned long first = A.base_pfn + b * pageblock_nr_pages;

		if (op < 4 && nr_iso_live < ISO_LIVE) {
			bool movable = prng_below(&rng, 4) != 0;
			unsigned int order = (unsigned int)prng_below(&rng, 4);
			struct page *p = alloc_pages_node(&A.pgdat, (movable ?
					GFP_HIGHUSER_MOVABLE : GFP_KERNEL) |
					__GFP_NOWARN, order);

			if (p) {
				unsigned long pfn = page_to_pfn(p);

				if (iso_isolated[block_of(pfn)])
					KUNIT_FAIL(test, "step %u: pfn %#lx handed "
						   "out from an isolated block",
						   step, pfn);
				iso_live[nr_iso_live++] = (typeof(iso_live[0])){
					pfn, order, movable };
			}
		} else if (op < 7 && nr_iso_live) {
			unsigned int k = (unsigned int)prng_below(&rng, nr_iso_live);

			__free_pages(pfn_to_page(iso_live[k].pfn), iso_live[k].order);
			iso_live[k] = iso_live[--nr_iso_live];
		} else if (op < 9 && !iso_isolated[b]) {
			int mt = get_pageblock_migratetype(pfn_to_page(first));
			bool ok;

			live_in_block(b, &um);
			ok = mt == MIGRATE_MOVABLE && !um;
			KUNIT_EXPECT_EQ(test, start_isolate_page_range(first,
					first + pageblock_nr_pages,
					MIGRATE_MOVABLE), ok ? 0 : -EBUSY);
			iso_isolated[b] = ok;
		} else if (iso_isolated[b]) {
			undo_isolate_page_range(first, first + pageblock_nr_pages,
						MIGRATE_MOVABLE);
			iso_isolated[b] = false;
		}
		/* The model's counts. */
		for (unsigned long k = 1; k < 8; k++) {
			unsigned long n = live_in_block(k, &um);

			if (iso_isolated[k])
				want_iso += pageblock_nr_pages - n;
		}
		for (unsigned int i = 0; i < nr_iso_live; i++)
			used += 1UL << iso_live[i].order;
		if (zone->nr_free_mt[MIGRATE_ISOLATE] != want_iso ||
		    node_free_pages(&A.pgdat) != free0 - used) {
			KUNIT_FAIL(test, "step %u (op %u, block %lu): isolated "
				   "free %lu, model %lu; free %lu, model %lu",
				   step, op, b, zone->nr_free_mt[MIGRATE_ISOLATE],
				   want_iso, node_free_pages(&A.pgdat),
				   free0 - used);
			break;
		}
		if (iso_isolated[b])
			KUNIT_EXPECT_EQ(test, test_pages_isolated(first,
					first + pageblock_nr_pages, NULL),
					live_in_block(b, &um) ? -EBUSY : 0);
	}
	for (unsigned long k = 1; k < 8; k++)
		if (iso_isolated[k])
			undo_isolate_page_range(A.base_pfn + k * pageblock_nr_pages,
				A.base_pfn + (k + 1) * pageblock_nr_pages,
				MIGRATE_MOVABLE);
	while (nr_iso_live) {
		nr_iso_live--;
		__free_pages(pfn_to_page(iso_live[nr_iso_live].pfn),
			     iso_live[nr_iso_live].order);
	}
	KUNIT_EXPECT_EQ(test, node_free_pages(&A.pgdat), free0);
	arena_done(test);
}

/* ================================================================ cma= */

static void cma_param_good_and_malformed(struct kunit *test)
{
	phys_addr_t size = 1, base = 1;

	KUNIT_EXPECT_EQ(test, cma_parse_param("64M", &size, &base), 0);
	KUNIT_EXPECT_EQ(test, size, (phys_addr_t)64 << 20);
	KUNIT_EXPECT_EQ(test, base, (phys_addr_t)0);
	KUNIT_EXPECT_EQ(test, cma_parse_param("16M@0x20000000", &size, &base), 0);
	KUNIT_EXPECT_EQ(test, size, (phys_addr_t)16 << 20);
	KUNIT_EXPECT_EQ(test, base, (phys_addr_t)0x20000000);
	KUNIT_EXPECT_EQ(test, cma_parse_param("1G@2G", &size, &base), 0);
	KUNIT_EXPECT_EQ(test, base, (phys_addr_t)2 << 30);
	size = base = 7;
	KUNIT_EXPECT_EQ(test, cma_parse_param("12Q", &size, &base), -1);
	KUNIT_EXPECT_EQ(test, cma_parse_param("", &size, &base), -1);
	KUNIT_EXPECT_EQ(test, cma_parse_param(NULL, &size, &base), -1);
	KUNIT_EXPECT_EQ(test, cma_parse_param("0", &size, &base), -1);
	KUNIT_EXPECT_EQ(test, cma_parse_param("64M@", &size, &base), -1);
	KUNIT_EXPECT_EQ(test, cma_parse_param("64M@zz", &size, &base), -1);
	KUNIT_EXPECT_EQ(test, cma_parse_param("@0x1000", &size, &base), -1);
	KUNIT_EXPECT_EQ(test, size, (phys_addr_t)7);
}

static struct kunit_case cma_model_cases[] = {
	KUNIT_CASE(cma_bitmap_matches_model),
	KUNIT_CASE(isolation_partial_failure_undone),
	KUNIT_CASE(isolation_matches_model),
	KUNIT_CASE(cma_param_good_and_malformed),
	{}
};

static struct kunit_suite cma_model_suite = {
	.name = "cma_model",
	.test_cases = cma_model_cases,
};
kunit_test_suite(cma_model_suite);
