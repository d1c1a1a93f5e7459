/*
 * tests/host/gaptree_model_test.c - kernel/lib/gaptree against a reference
 * model: a byte per unit of a small space saying which node owns it (or
 * none). Thousands of random operations go to both: lowest-fit and
 * highest-fit searches with random sizes, alignments and [lo, hi] bounds
 * (the model predicts exactly which start each returns, or that none
 * fits), inserts at a fit and at arbitrary ranges (the model predicts
 * which are refused), removals, finds of random units, and in-order
 * iteration. After every step gap_tree_check() must pass (order, gaps,
 * subtree maxima, AVL balance, parents, count) and the tree's ranges must
 * be exactly the model's.
 *
 * Three spaces: one starting at 0 (a range may start at unit 0), one in
 * the middle, one ending at ULONG_MAX - 1 (the anchor at ULONG_MAX: the
 * arithmetic must not wrap). Host only (long); replay: --seed N.
 */
#include "tests/host/host.h"
#include "kernel/kunit.h"
#include "kernel/lib/gaptree.h"
#include "kernel/lib/random.h"
#include "kernel/lib/string.h"

#define NUNITS		600UL
#define NNODES		96
#define STEPS		6000
#define FREE		0xff		/* owner byte of a free unit */

struct mnode {
	struct gap_node node;
	bool live;
};

static struct {
	struct gap_tree t;
	struct mnode nodes[NNODES];
	uint8_t owner[NUNITS];		/* node index, or FREE */
	unsigned long run[NUNITS + 1];	/* free units from i upward */
	unsigned long first, last;
	unsigned long step;
	unsigned long found, none, refused, max_nr;	/* what the run did */
} M;

#define CHECK(test, cond, fmt, ...) ({ \
	bool _ok = (cond); \
	if (!_ok) \
		KUNIT_FAIL(test, "step %lu: " fmt, M.step, ##__VA_ARGS__); \
	_ok; \
})

static void model_runs(void)
{
	M.run[NUNITS] = 0;
	for (long i = (long)NUNITS - 1; i >= 0; i--)
		M.run[i] = M.owner[i] == FREE ? M.run[i + 1] + 1 : 0;
}

/* Does [start, start + size) lie in the space and all free? */
static bool model_free(unsigned long start, unsigned long size)
{
	if (!size || start < M.first || start > M.last ||
	    size > M.last - start + 1)
		return false;
	return M.run[start - M.first] >= size;
}

/* The model's lowest (or highest) aligned fit in [lo, hi]; false if none. */
static bool model_fit(bool highest, unsigned long size, unsigned long align,
		      unsigned long lo, unsigned long hi, unsigned long *start)
{
	unsigned long a = lo > M.first ? lo : M.first;
	unsigned long b = hi < M.last ? hi : M.last;
	unsigned long c;

	if (a > b || b - a + 1 < size)
		return false;
	if (highest) {
		c = (b - size + 1) & ~(align - 1);
		for (; c >= a; c -= align) {
			if (model_free(c, size)) {
				*start = c;
				return true;
			}
			if (c < align)
				break;
		}
		return false;
	}
	c = (a + align - 1) & ~(align - 1);
	if (c < a)			/* wrapped */
		return false;
	for (; c <= b - size + 1; c += align) {
		if (model_free(c, size)) {
			*start = c;
			return true;
		}
		if (c + align < c)
			break;
	}
	return false;
}

static void model_set(unsigned long start, unsigned long last, uint8_t who)
{
	for (unsigned long u = start; ; u++) {
		M.owner[u - M.first] = who;
		if (u == last)
			break;
	}
}

/* The tree's ranges must be exactly the model's, in order, and consistent. */
static bool same_as_model(struct kunit *test)
{
	struct gap_node *n;
	unsigned long u = M.first, count = 0;
	bool ok = CHECK(test, gap_tree_check(&M.t, "gaptree"), "gap_tree_check failed");

	gap_tree_for_each(n, &M.t) {
		struct mnode *mn = container_of(n, struct mnode, node);
		long idx = mn - M.nodes;

		ok &= CHECK(test, idx >= 0 && idx < NNODES && mn->live,
			    "iteration met a node that is not live");
		if (!ok)
			return false;
		for (; u < n->start; u++)
			if (!CHECK(test, M.owner[u - M.first] == FREE,
				   "unit %#lx: model has node %u, tree has a gap",
				   u, M.owner[u - M.first]))
				return false;
		for (; ; u++) {
			if (!CHECK(test, M.owner[u - M.first] == idx,
				   "unit %#lx: tree has node %ld, model %u",
				   u, idx, M.owner[u - M.first]))
				return false;
			if (u == n->last)
				break;
		}
		u++;
		count++;
	}
	for (; u <= M.last && u >= M.first; u++)
		if (!CHECK(test, M.owner[u - M.first] == FREE,
			   "unit %#lx: model has node %u, the tree ended",
			   u, M.owner[u - M.first]))
			return false;
	return CHECK(test, count == M.t.nr, "%lu ranges iterated, nr %lu",
		     count, M.t.nr);
}

static int free_slot(void)
{
	for (int i = 0; i < NNODES; i++)
		if (!M.nodes[i].live)
			return i;
	return -1;
}

/* A bound somewhere in or just around the space. */
static unsigned long random_unit(struct prng *r)
{
	unsigned long off = prng_below(r, NUNITS + 8);

	if (off < 4 && M.first >= 4)
		return M.first - 1 - off;
	return M.first + off - (M.first >= 4 ? 4 : 0);
}

static void run_space(struct kunit *test, struct prng *r, unsigned long first)
{
	static const unsigned long aligns[] = { 1, 1, 1, 2, 4, 8, 16, 64 };

	memset(&M, 0, sizeof(M));
	memset(M.owner, FREE, sizeof(M.owner));
	M.first = first;
	M.last = first + NUNITS - 1;
	gap_tree_init(&M.t, M.first, M.last);
	for (M.step = 0; M.step < STEPS; M.step++) {
		unsigned long op = prng_below(r, 100), start, want, size, align;
		unsigned long lo, hi, u;
		struct gap_fit fit;
		int slot;

		model_runs();
		if (op < 45) {			/* fit (and usually insert) */
			bool highest = prng_below(r, 2);
			bool got, predicted;

			size = prng_below(r, 10) ? 1 + prng_below(r, 24)
						 : 1 + prng_below(r, NUNITS);
			align = aligns[prng_below(r, ARRAY_SIZE(aligns))];
			lo = prng_below(r, 4) ? M.first : random_unit(r);
			hi = prng_below(r, 4) ? M.last : random_unit(r);
			predicted = model_fit(highest, size, align, lo, hi, &want);
			got = highest ? gap_tree_fit_highest(&M.t, size, align, lo, hi, &fit)
				      : gap_tree_fit_lowest(&M.t, size, align, lo, hi, &fit);
			if (!CHECK(test, got == predicted,
				   "%s fit of %lu (align %lu) in [%#lx, %#lx]: tree %s, model %s",
				   highest ? "highest" : "lowest", size, align, lo, hi,
				   got ? "found" : "none", predicted ? "found" : "none"))
				return;
			if (!got) {
				M.none++;
				continue;
			}
			M.found++;
			if (!CHECK(test, fit.start == want,
				   "%s fit of %lu (align %lu) in [%#lx, %#lx]: tree %#lx, model %#lx",
				   highest ? "highest" : "lowest", size, align, lo, hi,
				   fit.start, want))
				return;
			slot = free_slot();
			if (slot < 0 || prng_below(r, 8) == 0)
				continue;	/* looked, did not insert */
			gap_tree_insert_fit(&M.t, &M.nodes[slot].node, &fit, size);
			M.nodes[slot].live = true;
			model_set(want, want + size - 1, (uint8_t)slot);
		} else if (op < 55) {		/* insert anywhere */
			int rc;

			slot = free_slot();
			if (slot < 0)
				continue;
			start = random_unit(r);
			size = 1 + prng_below(r, 16);
			u = start + size - 1;
			if (prng_below(r, 16) == 0)
				u = start - 1;	/* empty: refused */
			rc = gap_tree_insert(&M.t, &M.nodes[slot].node, start, u);
			want = u >= start && model_free(start, u - start + 1);
			if (!CHECK(test, (rc == 0) == want,
				   "insert [%#lx, %#lx]: tree %d, model %s", start, u,
				   rc, want ? "fits" : "refused"))
				return;
			if (rc == 0) {
				M.nodes[slot].live = true;
				model_set(start, u, (uint8_t)slot);
			} else {
				M.refused++;
			}
		} else if (op < 90) {		/* remove */
			slot = (int)prng_below(r, NNODES);
			if (!M.nodes[slot].live)
				continue;
			model_set(M.nodes[slot].node.start, M.nodes[slot].node.last, FREE);
			gap_tree_remove(&M.t, &M.nodes[slot].node);
			M.nodes[slot].live = false;
		} else {			/* find */
			for (int k = 0; k < 8; k++) {
				struct gap_node *n;

				u = random_unit(r);
				n = gap_tree_find(&M.t, u);
				want = u >= M.first && u <= M.last ? M.owner[u - M.first] : FREE;
				if (!CHECK(test, want == FREE ? n == NULL :
					   n == &M.nodes[want].node,
					   "find(%#lx): tree %s, model node %lu", u,
					   n ? "a node" : "none", want))
					return;
			}
		}
		if (!same_as_model(test))
			return;
		if (M.t.nr > M.max_nr)
			M.max_nr = M.t.nr;
	}
	/* The run went where it should: full-ish trees, both outcomes. */
	KUNIT_EXPECT_GT(test, M.found, 1000UL);
	KUNIT_EXPECT_GT(test, M.none, 100UL);
	KUNIT_EXPECT_GT(test, M.refused, 50UL);
	KUNIT_EXPECT_GT(test, M.max_nr, (unsigned long)NNODES / 2);
	/* Empty it again: every gap merges back into the anchor's. */
	for (int i = 0; i < NNODES; i++)
		if (M.nodes[i].live) {
			gap_tree_remove(&M.t, &M.nodes[i].node);
			M.nodes[i].live = false;
		}
	KUNIT_EXPECT_TRUE(test, gap_tree_check(&M.t, "gaptree"));
	KUNIT_EXPECT_EQ(test, M.t.nr, 0UL);
	KUNIT_EXPECT_EQ(test, M.t.root->max_gap, NUNITS);
	KUNIT_EXPECT_NULL(test, gap_tree_first(&M.t));
}

static void gaptree_random_ops_match_model(struct kunit *test)
{
	struct prng r;

	prng_seed(&r, test->seed);
	run_space(test, &r, 0);
	if (test->failed)
		return;
	run_space(test, &r, 0x10000);
	if (test->failed)
		return;
	run_space(test, &r, ~0UL - NUNITS);	/* last = ULONG_MAX - 1 */
	if (test->failed)
		KUNIT_FAIL(test, "replay: build/host/unit gaptree_model --seed %llu",
			   (unsigned long long)test->seed);
}

static struct kunit_case gaptree_model_cases[] = {
	KUNIT_CASE(gaptree_random_ops_match_model),
	{}
};

static struct kunit_suite gaptree_model_suite = {
	.name = "gaptree_model",
	.test_cases = gaptree_model_cases,
};
kunit_test_suite(gaptree_model_suite);
