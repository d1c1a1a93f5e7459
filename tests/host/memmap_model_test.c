/*
 * tests/host/memmap_model_test.c - pfn_to_page() and the memmap range
 * table (mm/memmap.c) against a reference model: a list of the ranges
 * this test added, each outer (in the sorted table) or nested (inside an
 * outer one, looked at first). Random steps add ranges (the model
 * predicts which the table refuses: an overlap that is not wholly inside
 * one outer range, or any overlap with a nested one), remove them, and
 * look pfns up - most in the range looked at last, as kfree() does, so
 * the inline hint (mm/page_alloc.h) answers them, the rest anywhere in
 * the region, holes included. Every answer must be the model's: the
 * struct page at the pfn's offset in the innermost range holding it, or
 * NULL. hint_does_not_outlive_its_range plays the one order of events
 * the random steps rarely make: a hint's id given to another range, and
 * a nested range added inside that one (it fails with the hint's
 * sequence count left unchecked).
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
		} else if (op < 12 && r->id >= 0) {
			remove_range(r);
		} else {
			/* Mostly the range looked at last (the hint's case). */
			const struct mrange *h = &ranges[last];
			unsigned long pfn;
			struct page *got, *want;

			if (op < 80 && h->id >= 0)
				pfn = h->start + prng_below(&rng, h->end - h->start);
			else
				pfn = BASE - 8 + prng_below(&rng, SPAN + 16);
			if (op >= 95 && r->id >= 0)
				last = (unsigned int)(r - ranges);
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

/*
 * The hint names a range by its id, and ids are reused: a nested range
 * X is found (the hint: X's id, nested), X goes, an outer range B takes
 * its id, and a range Z nested in B is added. A lookup in Z must find Z,
 * not B through the hint's stale "nested" (which would say nothing can
 * shadow B). The table's sequence count in the hint is what stops it.
 */
static void hint_does_not_outlive_its_range(struct kunit *test)
{
	static struct mrange held[MAX_MEMMAP_RANGES];
	struct mrange a, x, b, z;
	unsigned int n = 0;
	int xid;

	KUNIT_ASSERT_TRUE(test, add(&a, BASE, 64));
	KUNIT_ASSERT_TRUE(test, add(&x, BASE + 8, 8));	/* nested in a */
	KUNIT_EXPECT_PTR_EQ(test, pfn_to_page(BASE + 9), x.memmap + 1);
	xid = x.id;
	remove_range(&x);
	/* The table gives out its lowest free id: hold every free one below
	 * X's, so that B gets X's. */
	for (;;) {
		KUNIT_ASSERT_TRUE(test, add(&held[n], BASE + 2048 + n, 1));
		if (held[n].id == xid)
			break;
		n++;
	}
	remove_range(&held[n]);
	KUNIT_ASSERT_TRUE(test, add(&b, BASE + 1024, 64));
	KUNIT_ASSERT_EQ(test, b.id, xid);
	KUNIT_ASSERT_TRUE(test, add(&z, BASE + 1024 + 16, 8));	/* nested in b */
	KUNIT_EXPECT_PTR_EQ(test, pfn_to_page(BASE + 1024 + 17), z.memmap + 1);
	KUNIT_EXPECT_PTR_EQ(test, pfn_to_page(BASE + 1024 + 1), b.memmap + 1);
	remove_range(&z);
	remove_range(&b);
	remove_range(&a);
	while (n)
		remove_range(&held[--n]);
}

static struct kunit_case memmap_model_cases[] = {
	KUNIT_CASE(memmap_random_ops_match_model),
	KUNIT_CASE(hint_does_not_outlive_its_range),
	{}
};

static struct kunit_suite memmap_model_suite = {
	.name = "memmap_model",
	.test_cases = memmap_model_cases,
};
kunit_test_suite(memmap_model_suite);
