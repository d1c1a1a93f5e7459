/*
 * tests/host/iova_model_test.c - a randomised model test of the IOVA
 * allocator. Random allocations and frees of random sizes under random
 * masks, through the caches on random "CPUs" and through the tree, with
 * ranges parked in the flush queue; after every step the allocator is
 * checked against a model of what is live:
 *  - no two live ranges overlap, and no cached range overlaps a live one;
 *  - every range is size-aligned (power of two >= its size) and ends at or
 *    below the limit it was asked for, whether it came from a cache or not;
 *  - a tree allocation is the highest fit below the limit (the model
 *    computes it from the tree's ranges before the call), and a failure
 *    means the model finds no fit either;
 *  - the tree's own invariants (iova_check).
 * At the end everything is freed, caches and queue flushed: no range left,
 * and every arena page back. Host only (long); replay: --seed N.
 */
#include "tests/host/host.h"
#include "kernel/kunit.h"
#include "kernel/lib/random.h"
#include "kernel/lib/string.h"
#include "mm/iova.h"
#include "mm/page_alloc.h"

#include <stdlib.h>

#define ARENA_SIZE	(16UL << 20)
#define MAX_LIVE	2000
#define MAX_RANGES	(MAX_LIVE + (8 * 2 + IOVA_DEPOT_MAX) * IOVA_RANGE_CACHE_MAX_SIZE * IOVA_MAG_SIZE + 64)
#define NCPUS		4

enum kind { FAST, TREE, QUEUED };

struct live {
	unsigned long pfn, size;	/* size as held in the tree */
	unsigned long asked;		/* size passed to free_iova_fast */
	enum kind kind;
	unsigned long flushes_at;	/* QUEUED: flush_calls when queued */
};

static struct live live[MAX_LIVE];
static struct live sorted[MAX_LIVE];
static unsigned int nr_live;
static struct { unsigned long lo, hi; } ranges[MAX_RANGES];
static unsigned int nr_ranges;
static pg_data_t node;
static struct iova_domain iovad;
static unsigned long flush_calls;

/* Limits as pfns (4 KiB granule): small masks make the space run out. */
static const unsigned long limits[] = {
	(1UL << 12) - 1,	/* 24-bit: 4096 pfns */
	(1UL << 14) - 1,
	(1UL << 20) - 1,	/* 32-bit */
	(1UL << 24) - 1,	/* 36-bit */
	(1UL << 52) - 1,	/* 64-bit */
};

static unsigned long roundup_pow2(unsigned long x)
{
	unsigned long p = 1;

	while (p < x)
		p <<= 1;
	return p;
}

static void collect(const struct iova *iova, void *arg)
{
	if (nr_ranges < MAX_RANGES) {
		ranges[nr_ranges].lo = iova->pfn_lo;
		ranges[nr_ranges].hi = iova->pfn_hi;
	}
	nr_ranges++;
}

/* The highest aligned fit below limit among the tree's ranges (sorted). */
static unsigned long model_fit(unsigned long size, unsigned long limit)
{
	unsigned long align = roundup_pow2(size);
	unsigned long top = limit;

	for (int i = (int)nr_ranges; i >= 0; i--) {
		/* gap below range i (or above the last one) up to top */
		unsigned long gap_lo = i ? ranges[i - 1].hi + 1 : iovad.start_pfn;
		unsigned long gap_hi = i < (int)nr_ranges ? ranges[i].lo - 1 : ~0UL;

		if (gap_hi > top)
			gap_hi = top;
		if (gap_lo > gap_hi || gap_hi - gap_lo + 1 < size)
			continue;
		unsigned long cand = (gap_hi - size + 1) & ~(align - 1);

		if (cand >= gap_lo)
			return cand;
	}
	return 0;
}

struct cached_check {
	struct kunit *test;
	bool ok;
};

static void check_cached(unsigned long pfn, unsigned int order,
			 unsigned int cpu, void *arg)
{
	struct cached_check *cc = arg;
	unsigned long end = pfn + (1UL << order) - 1;
	struct iova *node_of = find_iova(&iovad, pfn);

	if (!cc->ok)
		return;
	if (!node_of || node_of->pfn_lo != pfn || iova_size(node_of) != 1UL << order) {
		KUNIT_FAIL(cc->test, "cached pfn %#lx order %u is not a tree range of that size",
			   pfn, order);
		cc->ok = false;
		return;
	}
	/* The last live range starting at or below end must end below pfn. */
	unsigned int lo = 0, hi = nr_live;

	while (lo < hi) {
		unsigned int mid = (lo + hi) / 2;

		if (sorted[mid].pfn <= end)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo && sorted[lo - 1].pfn + sorted[lo - 1].size - 1 >= pfn) {
		KUNIT_FAIL(cc->test, "cached [%#lx-%#lx] (cpu %u) overlaps %s [%#lx+%lu]",
			   pfn, end, cpu, sorted[lo - 1].kind == QUEUED ? "queued" : "live",
			   sorted[lo - 1].pfn, sorted[lo - 1].size);
		cc->ok = false;
	}
}

static int cmp_live(const void *a, const void *b)
{
	const struct live *x = a, *y = b;

	return x->pfn < y->pfn ? -1 : x->pfn > y->pfn;
}

static bool check_all(struct kunit *test)
{
	struct cached_check cc = { test, true };

	if (!iova_check(&iovad)) {
		KUNIT_FAIL(test, "tree invariants broken");
		return false;
	}
	memcpy(sorted, live, nr_live * sizeof(live[0]));
	qsort(sorted, nr_live, sizeof(sorted[0]), cmp_live);
	for (unsigned int i = 0; i + 1 < nr_live; i++) {
		if (sorted[i].pfn + sorted[i].size > sorted[i + 1].pfn) {
			KUNIT_FAIL(test, "live [%#lx+%lu] overlaps [%#lx+%lu]",
				   sorted[i].pfn, sorted[i].size,
				   sorted[i + 1].pfn, sorted[i + 1].size);
			return false;
		}
	}
	for (unsigned int i = 0; i < nr_live; i++) {
		struct iova *n = find_iova(&iovad, live[i].pfn);

		if (!n || n->pfn_lo != live[i].pfn || iova_size(n) != live[i].size) {
			KUNIT_FAIL(test, "live [%#lx+%lu] not in the tree as such",
				   live[i].pfn, live[i].size);
			return false;
		}
	}
	iova_for_each_cached(&iovad, check_cached, &cc);
	return cc.ok;
}

static bool check_new(struct kunit *test, unsigned long pfn, unsigned long size,
		      unsigned long limit, const char *how)
{
	unsigned long align = roundup_pow2(size);

	if (pfn % align || pfn + size - 1 > limit || pfn < iovad.start_pfn) {
		KUNIT_FAIL(test, "%s gave [%#lx+%lu]: limit %#lx, alignment %lu",
			   how, pfn, size, limit, align);
		return false;
	}
	return true;
}

static void fq_flush_cb(struct iova_domain *d)
{
	flush_calls++;
}

static uint64_t model_clock_ns;
static uint64_t model_clock(void)
{
	return model_clock_ns;
}

static void remove_live(unsigned int i)
{
	live[i] = live[--nr_live];
}

/* Queued ranges leave the model once a flush after their queueing ran. */
static void retire_queued(void)
{
	for (unsigned int i = 0; i < nr_live; i++)
		if (live[i].kind == QUEUED && flush_calls > live[i].flushes_at)
			remove_live(i--);
}

static bool kicked;		/* the kick mode's owner was told */

static void fq_kick_cb(struct iova_domain *d)
{
	kicked = true;
}

/*
 * The model, with the time bound applied inline by queue_iova (kick NULL,
 * the host's DMA layer) or handed to an owner (with_kick: the kernel's
 * work item), whose tick here comes a few random steps after the kick.
 * Either way a queued range must not come back before a flush.
 */
static void random_ops_match_model(struct kunit *test, bool with_kick)
{
	struct prng rng;
	struct mem_range r;
	void *mem = aligned_alloc(ARENA_SIZE, ARENA_SIZE);
	unsigned long free_at_start, steps = 60000, fits = 0, fails = 0, hits;
	struct iova_stats st;

	KUNIT_ASSERT_NOT_NULL(test, mem);
	r.start = virt_to_phys(mem);
	r.end = r.start + ARENA_SIZE;
	KUNIT_ASSERT_EQ(test, page_arena_init(&node, &r, 1, 0), 0);
	free_at_start = node_free_pages(&node);
	prng_seed(&rng, test->seed);
	init_iova_domain_node(&iovad, 4096, 1, &node);
	iova_domain_init_flush_queue(&iovad, fq_flush_cb,
				     with_kick ? fq_kick_cb : NULL, NULL, model_clock);
	iovad.fq_max = 16;
	nr_live = 0;
	kicked = false;

	for (unsigned long step = 0; step < steps && !test->failed; step++) {
		unsigned long op = prng_below(&rng, 100);
		unsigned int cpu = (unsigned int)prng_below(&rng, NCPUS);

		model_clock_ns += prng_below(&rng, 200000);	/* up to 0.2 ms */
		if (kicked && prng_below(&rng, 4) == 0) {	/* the owner's thread runs */
			kicked = false;
			iova_flush_queue_tick(&iovad);
		}
		if (op < 55 && nr_live < MAX_LIVE) {
			unsigned long limit = limits[prng_below(&rng, ARRAY_SIZE(limits))];
			unsigned long size = prng_below(&rng, 8) ? 1 + prng_below(&rng, 40)
							       : 1 + prng_below(&rng, 600);
			bool tree = prng_below(&rng, 10) == 0;

			if (tree) {
				nr_ranges = 0;
				iova_for_each(&iovad, collect, NULL);
				KUNIT_ASSERT_LE(test, nr_ranges, (unsigned int)MAX_RANGES);
				unsigned long want = model_fit(size, limit);
				struct iova *n = alloc_iova(&iovad, size, limit, true);

				if (!n) {
					if (want)
						KUNIT_FAIL(test, "alloc_iova(%lu, %#lx) failed, model fits at %#lx",
							   size, limit, want);
					fails++;
					continue;
				}
				if (n->pfn_lo != want)
					KUNIT_FAIL(test, "alloc_iova(%lu, %#lx) = %#lx, highest fit is %#lx",
						   size, limit, n->pfn_lo, want);
				check_new(test, n->pfn_lo, size, limit, "alloc_iova");
				live[nr_live++] = (struct live){ n->pfn_lo, size, size, TREE, 0 };
				fits++;
			} else {
				unsigned long held = size < (1UL << (IOVA_RANGE_CACHE_MAX_SIZE - 1)) ?
					roundup_pow2(size) : size;
				unsigned long pfn = alloc_iova_fast_cpu(&iovad, cpu, size, limit, true);

				if (!pfn) {
					/* With every cache flushed, the model must agree. */
					nr_ranges = 0;
					iova_for_each(&iovad, collect, NULL);
					if (model_fit(held, limit))
						KUNIT_FAIL(test, "alloc_iova_fast(%lu, %#lx) failed, a fit exists",
							   size, limit);
					fails++;
					continue;
				}
				check_new(test, pfn, held, limit, "alloc_iova_fast");
				live[nr_live++] = (struct live){ pfn, held, size, FAST, 0 };
				fits++;
			}
		} else if (op < 90 && nr_live) {
			unsigned int i = (unsigned int)prng_below(&rng, nr_live);

			if (live[i].kind == QUEUED)
				continue;
			if (live[i].kind == TREE) {
				free_iova(&iovad, live[i].pfn);
				remove_live(i);
			} else if (prng_below(&rng, 3) == 0) {
				/* Still reserved until a flush: stays in the model. */
				live[i].kind = QUEUED;
				unsigned long timeouts = iovad.fq_flushes[IOVA_FQ_TIMEOUT];

				live[i].flushes_at = flush_calls;
				queue_iova_cpu(&iovad, cpu, live[i].pfn, live[i].asked);
				if (with_kick && iovad.fq_flushes[IOVA_FQ_TIMEOUT] != timeouts)
					KUNIT_FAIL(test, "queue_iova flushed for time with an owner to kick");
			} else {
				free_iova_fast_cpu(&iovad, cpu, live[i].pfn, live[i].asked);
				remove_live(i);
			}
		} else if (op < 95) {
			iova_flush_queue_tick(&iovad);
		} else if (op < 97) {
			free_cpu_cached_iovas(cpu, &iovad);
		} else if (op < 98) {
			free_global_cached_iovas(&iovad);
		}
		retire_queued();
		/* Full check often at first, then every 16 steps (it is O(n^2)). */
		if ((step < 2000 || step % 16 == 0) && !check_all(test))
			break;
	}
	iova_get_stats(&iovad, &st);
	hits = st.hits;
	kunit_info(test, "%lu allocations, %lu failed (space full), cache hits %lu, misses %lu, flushes %lu (%lu for time), kicks %lu",
		   fits, fails, hits, st.misses, flush_calls,
		   iovad.fq_flushes[IOVA_FQ_TIMEOUT], iovad.fq_kicks);
	KUNIT_EXPECT_GT(test, hits, 0UL);
	KUNIT_EXPECT_GT(test, iovad.fq_flushes[IOVA_FQ_TIMEOUT], 0UL);
	if (with_kick)
		KUNIT_EXPECT_GT(test, iovad.fq_kicks, 0UL);
	KUNIT_EXPECT_GT(test, fails, 0UL);	/* the small masks ran out */

	/* Free everything; nothing may be left. */
	while (nr_live) {
		if (live[0].kind == QUEUED)
			;			/* the flush below frees it */
		else if (live[0].kind == TREE)
			free_iova(&iovad, live[0].pfn);
		else
			free_iova_fast_cpu(&iovad, 0, live[0].pfn, live[0].asked);
		remove_live(0);
	}
	iova_flush_queue_flush(&iovad);
	for (unsigned int c = 0; c < NR_CPUS; c++)
		free_cpu_cached_iovas(c, &iovad);
	free_global_cached_iovas(&iovad);
	KUNIT_EXPECT_TRUE(test, iova_check(&iovad));
	KUNIT_EXPECT_EQ(test, iovad.nr_ranges, 0UL);
	KUNIT_EXPECT_EQ(test, iova_fq_pending(&iovad), 0UL);
	iova_get_stats(&iovad, &st);
	KUNIT_EXPECT_EQ(test, st.cached, 0UL);
	put_iova_domain(&iovad);
	KUNIT_EXPECT_EQ(test, node_free_pages(&node), free_at_start);
	KUNIT_EXPECT_EQ(test, page_arena_destroy(&node), 0UL);
	free(mem);
}

static void iova_random_ops_match_model(struct kunit *test)
{
	random_ops_match_model(test, false);
}

static void iova_random_ops_match_model_with_kick(struct kunit *test)
{
	random_ops_match_model(test, true);
}

static struct kunit_case iova_model_cases[] = {
	KUNIT_CASE(iova_random_ops_match_model),
	KUNIT_CASE(iova_random_ops_match_model_with_kick),
	{}
};

static struct kunit_suite iova_model_suite = {
	.name = "iova_model",
	.test_cases = iova_model_cases,
};
kunit_test_suite(iova_model_suite);
