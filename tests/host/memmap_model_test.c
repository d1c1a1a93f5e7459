/*
 * tests/host/memmap_model_test.c - pfn_to_page() and the memmap range
 * table (mm/memmap.c) against a reference model: a list of the ranges
 * this test added, each outer (in the sorted table) or nested (inside an
 * outer one, looked at first). Random steps add ranges (the model
 * predicts which the table refuses: an overlap that is not wholly inside
 * one outer range, or any overlap with a nested one), remove them, and
 * look pfns up - half in the main range, which the inline path of
 * pfn_to_page() (mm/page_alloc.h) answers, most of the rest in the range
 * added last, the rest anywhere in the region, holes included. Every
 * answer must be the model's: the struct page at the pfn's offset in the
 * innermost range holding it, or NULL. After every change the main range
 * must be the model's: the largest outer range with nothing nested in it.
 * main_range_follows_the_table plays the orders of events that matter to
 * the inline path one by one.
 *
 * The pfns are far above any host address (other suites' arenas), so the
 * table's other ranges never answer here. Host only; replay: --seed N.
 */
#include "tests/host/host.h"
#include "kernel/kunit.h"
#include "kernel/lib/random.h"
#include "mm/internal.h"

#include <stdlib.h>

#define BASE		(1UL << 44)	/* pfns: above any host address */
#define SPAN		4096UL		/* the region the ranges live in */
#define NRANGES		12
#define STEPS		20000

struct mrange {
	unsigned long start, end;
	struct page *memmap;
	int id;				/* the table's; -1: not in it */
	bool nested;
};

static struct mrange ranges[NRANGES];

static bool overlap(unsigned long s, unsigned long e, const struct mrange *r)
{
	return r->id >= 0 && s < r->end && r->start < e;
}

/* What memmap_range_add must do with [s, e): -1 refuse, 0 outer, 1 nested. */
static int model_add(unsigned long s, unsigned long e)
{
	bool nest = false;

	for (unsigned int i = 0; i < NRANGES; i++) {
		const struct mrange *r = &ranges[i];

		if (!overlap(s, e, r))
			continue;
		if (r->nested || s < r->start || e > r->end)
			return -1;
		nest = true;
	}
	return nest;
}

static struct page *model_lookup(unsigned long pfn)
{
	struct page *outer = NULL;

	for (unsigned int i = 0; i < NRANGES; i++) {
		const struct mrange *r = &ranges[i];

		if (r->id < 0 || pfn < r->start || pfn >= r->end)
			continue;
		if (r->nested)
			return r->memmap + (pfn - r->start);
		outer = r->memmap + (pfn - r->start);
	}
	return outer;
}

/* The main range the model predicts: the largest outer range with no
 * nested range inside, the lowest of equal ones; NULL if none. */
static const struct mrange *model_main(void)
{
	const struct mrange *best = NULL;

	for (unsigned int i = 0; i < NRANGES; i++) {
		const struct mrange *r = &ranges[i];
		bool shadowed = false;

		if (r->id < 0 || r->nested)
			continue;
		for (unsigned int j = 0; j < NRANGES; j++)
			shadowed |= ranges[j].id >= 0 && ranges[j].nested &&
				    ranges[j].start >= r->start &&
				    ranges[j].end <= r->end;
		if (shadowed)
			continue;
		if (!best || r->end - r->start > best->end - best->start ||
		    (r->end - r->start == best->end - best->start &&
		     r->start < best->start))
			best = r;
	}
	return best;
}

/*
 * memmap_main must be the model's main range. Other suites' ranges (host
 * addresses, far below these pfns) may still be in the table: one of
 * them may be main only if it is at least as large as the model's.
 */
static bool main_matches_model(struct kunit *test, unsigned long step)
{
	const struct mrange *m = model_main();
	unsigned long start = memmap_main.start_pfn, n = memmap_main.nr_pages;

	if (memmap_main.seq & 1) {
		KUNIT_FAIL(test, "step %lu: the table's sequence count is odd (%u) "
			   "with no change under way", step, memmap_main.seq);
		return false;
	}
	if (n && start < BASE) {
		if (!m || n >= m->end - m->start)
			return true;
	} else if (m ? start == m->start && n == m->end - m->start &&
		       memmap_main.memmap == m->memmap : n == 0) {
		return true;
	}
	KUNIT_FAIL(test, "step %lu: the main range is pfns %#lx-%#lx (memmap %p); "
		   "the model says %#lx-%#lx (memmap %p)", step, start, start + n,
		   (void *)memmap_main.memmap, m ? m->start : 0, m ? m->end : 0,
		   m ? (void *)m->memmap : NULL);
	return false;
}

static void remove_range(struct mrange *r)
{
	memmap_range_remove((unsigned int)r->id);
	free(r->memmap);
	r->id = -1;
}

static void memmap_random_ops_match_model(struct kunit *test)
{
	unsigned long adds = 0, refused = 0, lookups = 0, found = 0, nested = 0;
	struct prng rng;
	unsigned int last = 0;

	prng_seed(&rng, test->seed);
	for (unsigned int i = 0; i < NRANGES; i++)
		ranges[i].id = -1;
	for (unsigned long step = 0; step < STEPS; step++) {
		uint64_t op = prng_below(&rng, 100);
		struct mrange *r = &ranges[prng_below(&rng, NRANGES)];

		if (op < 8 && r->id < 0) {
			unsigned long len = 1 + prng_below(&rng, 256);
			unsigned long s = BASE + prng_below(&rng, SPAN - len);
			int want = model_add(s, s + len);
			struct memmap_range mr = { .start_pfn = s, .end_pfn = s + len };
			int id;

			mr.memmap = calloc(len, sizeof(struct page));
			KUNIT_ASSERT_NOT_NULL(test, mr.memmap);
			id = memmap_range_add(&mr);
			if ((id < 0) != (want < 0)) {
				KUNIT_FAIL(test, "step %lu: adding pfns %#lx-%#lx returned %d; the model says %s",
					   step, s, s + len, id, want < 0 ? "refused" : "added");
				free(mr.memmap);
				break;
			}
			if (id < 0) {
				free(mr.memmap);
				refused++;
				continue;
			}
			*r = (struct mrange){ s, s + len, mr.memmap, id, want == 1 };
			adds++;
			nested += want == 1;
			last = (unsigned int)(r - ranges);
			if (!main_matches_model(test, step))
				break;
		} else if (op < 12 && r->id >= 0) {
			remove_range(r);
			if (!main_matches_model(test, step))
				break;
		} else {
			/* Half in the main range (the inline path's case),
			 * most of the rest in the range added last. */
			const struct mrange *h = &ranges[last], *m = model_main();
			unsigned long pfn;
			struct page *got, *want;

			if (op < 56 && m)
				pfn = m->start + prng_below(&rng, m->end - m->start);
			else if (op < 85 && h->id >= 0)
				pfn = h->start + prng_below(&rng, h->end - h->start);
			else
				pfn = BASE - 8 + prng_below(&rng, SPAN + 16);
			got = pfn_to_page(pfn);
			want = model_lookup(pfn);
			lookups++;
			found += want != NULL;
			if (got != want) {
				KUNIT_FAIL(test, "step %lu: pfn_to_page(%#lx) = %p; the model says %p",
					   step, pfn, (void *)got, (void *)want);
				break;
			}
		}
	}
	for (unsigned int i = 0; i < NRANGES; i++)
		if (ranges[i].id >= 0)
			remove_range(&ranges[i]);
	kunit_info(test, "%lu ranges added (%lu nested), %lu refused, %lu lookups (%lu in a range)",
		   adds, nested, refused, lookups, found);
	/* Each kind of step must have happened, or it went untested. */
	KUNIT_EXPECT_GT(test, nested, 0UL);
	KUNIT_EXPECT_GT(test, refused, 0UL);
	KUNIT_EXPECT_GT(test, found, lookups / 4);
	KUNIT_EXPECT_LT(test, found, lookups);
	if (test->failed)
		KUNIT_FAIL(test, "replay: build/host/unit memmap_model --seed %llu",
			   (unsigned long long)test->seed);
}

/* Add [s, s + len) with a fresh memmap into r; false if refused. */
static bool add(struct mrange *r, unsigned long s, unsigned long len)
{
	struct memmap_range mr = { .start_pfn = s, .end_pfn = s + len };

	mr.memmap = calloc(len, sizeof(struct page));
	r->id = mr.memmap ? memmap_range_add(&mr) : -1;
	r->start = s;
	r->end = s + len;
	r->memmap = mr.memmap;
	if (r->id < 0)
		free(mr.memmap);
	return r->id >= 0;
}

static bool is_main(const struct mrange *r)
{
	return memmap_main.start_pfn == r->start &&
	       memmap_main.nr_pages == r->end - r->start &&
	       memmap_main.memmap == r->memmap;
}

/*
 * What the inline path relies on, one event at a time: the main range is
 * the largest; a range nested inside it takes it out of the inline path
 * (or a lookup in the nested range would find the outer one's page); it
 * comes back when the nested one goes; a removed range stops answering.
 */
static void note_largest(struct memmap_range *r, void *arg)
{
	unsigned long *big = arg;

	if (r->end_pfn - r->start_pfn > *big)
		*big = r->end_pfn - r->start_pfn;
}

static void main_range_follows_the_table(struct kunit *test)
{
	unsigned long big = 0, na, nb, bs;
	struct mrange a, b, z;

	/* Larger than any range another suite left in the table. */
	memmap_for_each_range(note_largest, &big);
	na = big + 64;
	nb = big + 128;
	bs = BASE + na + 1024;
	KUNIT_ASSERT_TRUE(test, add(&a, BASE, na));
	KUNIT_ASSERT_TRUE(test, add(&b, bs, nb));
	KUNIT_EXPECT_TRUE(test, is_main(&b));
	KUNIT_EXPECT_PTR_EQ(test, pfn_to_page(bs + 17), b.memmap + 17);
	KUNIT_EXPECT_PTR_EQ(test, pfn_to_page(BASE + 5), a.memmap + 5);

	KUNIT_ASSERT_TRUE(test, add(&z, bs + 16, 8));	/* nested in b */
	KUNIT_EXPECT_TRUE(test, is_main(&a));
	KUNIT_EXPECT_PTR_EQ(test, pfn_to_page(bs + 17), z.memmap + 1);
	KUNIT_EXPECT_PTR_EQ(test, pfn_to_page(bs + 1), b.memmap + 1);

	remove_range(&z);
	KUNIT_EXPECT_TRUE(test, is_main(&b));
	KUNIT_EXPECT_PTR_EQ(test, pfn_to_page(bs + 17), b.memmap + 17);

	remove_range(&b);
	KUNIT_EXPECT_TRUE(test, is_main(&a));
	KUNIT_EXPECT_NULL(test, pfn_to_page(bs + 17));
	remove_range(&a);
	KUNIT_EXPECT_NULL(test, pfn_to_page(BASE + 5));
}

static struct kunit_case memmap_model_cases[] = {
	KUNIT_CASE(memmap_random_ops_match_model),
	KUNIT_CASE(main_range_follows_the_table),
	{}
};

static struct kunit_suite memmap_model_suite = {
	.name = "memmap_model",
	.test_cases = memmap_model_cases,
};
kunit_test_suite(memmap_model_suite);
