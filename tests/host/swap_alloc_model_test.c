/*
 * tests/host/swap_alloc_model_test.c - the swap slot allocator
 * (mm/swap_alloc.c) against a model that is just an array of swap_map
 * values and a count of free usable slots.
 *
 * Random areas (1..5 clusters, the last one partial, a few bad slots,
 * 1..4 CPUs) take random sequences of alloc(cpu), dup, put,
 * clear_cache, set_cache and mark_bad. The model predicts every result:
 *  - alloc succeeds iff the model has a free usable slot, and returns a
 *    slot the model has free;
 *  - dup, set_cache give the errno the model's value calls for; put and
 *    clear_cache return what the model has left;
 * and after every step every slot's value, inuse and nr_slots_usable
 * must match the model, and the cluster invariants hold
 * (swap_alloc_check: each cluster on exactly one list, or current, or
 * full, with a count of its slots not free). At the end everything is
 * dropped: inuse 0 and every arena page back.
 *
 * Also: a single CPU allocating from an empty area gets strictly
 * consecutive slots within each cluster (bad ones skipped).
 *
 * One case takes its seed from the clock (printed on failure; replay
 * with build/host/unit swap_alloc_model --seed N), one a fixed seed.
 * Host only (long).
 */
#include "kernel/kunit.h"
#include "kernel/errno.h"
#include "kernel/lib/random.h"
#include "mm/swap_alloc.h"
#include "tests/suites/test_arena.h"

#define MAX_CLUSTERS	5
#define MAX_SLOTS	(MAX_CLUSTERS * SWAPFILE_CLUSTER)
#define HELD		(SWAP_COUNT_MASK | SWAP_HAS_CACHE)

struct model {
	unsigned long last_page;
	uint16_t map[MAX_SLOTS];
	unsigned long nr_free;		/* usable slots with map 0 */
	unsigned long nr_usable;
	unsigned long nr_inuse;
};

static struct model m;
static struct swap_alloc sa;
/* Where the run's allocations came from, summed over its rounds. */
static unsigned long from_current, from_nonfull, from_free, from_other_cpu;

/* A slot (1..last_page) for which want(map) holds, searched from a random
 * start; 0 if none. */
static unsigned long pick(struct prng *r, bool (*want)(uint16_t))
{
	unsigned long start = 1 + prng_below(r, m.last_page);

	for (unsigned long i = 0; i < m.last_page; i++) {
		unsigned long off = 1 + (start - 1 + i) % m.last_page;

		if (want(m.map[off]))
			return off;
	}
	return 0;
}

static bool has_refs(uint16_t v) { return v & SWAP_COUNT_MASK; }
static bool has_cache(uint16_t v) { return v & SWAP_HAS_CACHE; }

/* The model's side of a slot losing its last hold. */
static void model_released(unsigned long off)
{
	if (!(m.map[off] & HELD) && !(m.map[off] & SWAP_MAP_BAD)) {
		m.nr_free++;
		m.nr_inuse--;
	}
}

static bool matches(struct kunit *test, unsigned long step, const char *op)
{
	char why[160];

	for (unsigned long off = 1; off <= m.last_page; off++) {
		if (sa.swap_map[off] != m.map[off]) {
			KUNIT_FAIL(test, "step %lu (%s): slot %lu is %#x, model %#x",
				   step, op, off, sa.swap_map[off], m.map[off]);
			return false;
		}
	}
	if (sa.inuse != m.nr_inuse || sa.nr_slots_usable != m.nr_usable) {
		KUNIT_FAIL(test, "step %lu (%s): inuse %lu usable %lu, model %lu %lu",
			   step, op, sa.inuse, sa.nr_slots_usable, m.nr_inuse, m.nr_usable);
		return false;
	}
	if (!swap_alloc_check(&sa, why, sizeof(why))) {
		KUNIT_FAIL(test, "step %lu (%s): %s", step, op, why);
		return false;
	}
	return true;
}

/*
 * The next operation, as the threshold its branch below tests: alloc 0,
 * dup 40, put 52, clear_cache 72, set_cache 87, mark_bad 98. The run
 * fills the area until it is full, then drains it to a few slots in
 * use, and again: so clusters go through every state, free ones too,
 * not only the nearly-full states a steady mix settles in.
 */
static bool draining;
static unsigned long drain_to;

static unsigned long pick_op(struct prng *r)
{
	static const unsigned int op_at[] = { 0, 40, 52, 72, 87, 98 };
	static const unsigned int fill[] = { 56, 10, 12, 10, 12 };
	static const unsigned int drain[] = { 3, 2, 50, 43, 2 };
	const unsigned int *w;
	unsigned long x = prng_below(r, 100);

	if (!draining && m.nr_free == 0) {
		draining = true;
		drain_to = prng_below(r, 4);
	} else if (draining && m.nr_inuse <= drain_to) {
		draining = false;
	}
	w = draining ? drain : fill;
	/* Rare: every bad slot keeps its cluster from ever being free. */
	if (prng_below(r, 1000) == 0)
		return op_at[5];
	for (unsigned int i = 0; i < ARRAY_SIZE(fill); i++) {
		if (x < w[i])
			return op_at[i];
		x -= w[i];
	}
	return op_at[0];
}

/* One random area and one random run over it; false on a failure. */
static bool model_round(struct kunit *test, struct prng *r, struct test_arena *arena,
			unsigned long steps, unsigned long *nr_allocs, unsigned long *nr_full)
{
	unsigned int nr_clusters = 1 + (unsigned int)prng_below(r, MAX_CLUSTERS);
	unsigned int nr_cpus = 1 + (unsigned int)prng_below(r, 4);
	unsigned int nr_bad = (unsigned int)prng_below(r, 8);
	uint32_t bad[8];
	bool ok = true;

	memset(&m, 0, sizeof(m));
	m.last_page = nr_clusters * SWAPFILE_CLUSTER - 1 - prng_below(r, SWAPFILE_CLUSTER - 2);
	m.nr_usable = m.last_page;
	for (unsigned int i = 0; i < nr_bad; i++) {
		bad[i] = 1 + (uint32_t)prng_below(r, m.last_page);	/* repeats allowed */
		if (!m.map[bad[i]]) {
			m.map[bad[i]] = SWAP_MAP_BAD;
			m.nr_usable--;
		}
	}
	m.nr_free = m.nr_usable;
	if (swap_alloc_init_node(&sa, m.last_page, bad, nr_bad, nr_cpus, &arena->pgdat)) {
		KUNIT_FAIL(test, "init of %lu slots failed", m.last_page);
		return false;
	}
	if (!matches(test, 0, "init"))
		goto out;

	steps = max(steps, 16 * m.last_page);		/* a few fills and drains */
	draining = false;
	for (unsigned long step = 1; step <= steps && ok; step++) {
		unsigned long op = pick_op(r), off;
		const char *name;

		if (op < 40) {
			unsigned int cpu = (unsigned int)prng_below(r, nr_cpus);

			name = "alloc";
			off = swap_alloc_slot(&sa, cpu);
			if (!m.nr_free != !off || off > m.last_page || (off && m.map[off])) {
				KUNIT_FAIL(test, "step %lu: alloc(cpu %u) = %lu, model has %lu free%s",
					   step, cpu, off, m.nr_free,
					   off && off <= m.last_page && m.map[off] ? ", not that one" : "");
				ok = false;
				break;
			}
			if (off) {
				m.map[off] = SWAP_HAS_CACHE;
				m.nr_free--;
				m.nr_inuse++;
				(*nr_allocs)++;
			} else {
				(*nr_full)++;
			}
		} else if (op < 52) {
			/* dup: any slot, or one past the end; free ones fail. */
			int want, got;

			name = "dup";
			off = prng_below(r, m.last_page + 2);
			if (off == 0 || off > m.last_page || !(m.map[off] & HELD))
				want = -EINVAL;
			else if ((m.map[off] & SWAP_COUNT_MASK) == SWAP_MAP_MAX)
				want = -EOVERFLOW;
			else
				want = 0;
			got = swap_slot_dup(&sa, off);
			if (got != want) {
				KUNIT_FAIL(test, "step %lu: dup(%lu) = %d, model %d", step, off, got, want);
				ok = false;
			} else if (!want) {
				m.map[off]++;
			}
		} else if (op < 72) {
			unsigned int got;

			name = "put";
			off = pick(r, has_refs);
			if (!off)
				continue;
			m.map[off]--;
			model_released(off);
			got = swap_slot_put(&sa, off);
			if (got != (m.map[off] & HELD)) {
				KUNIT_FAIL(test, "step %lu: put(%lu) = %#x, model %#x",
					   step, off, got, m.map[off] & HELD);
				ok = false;
			}
		} else if (op < 87) {
			unsigned int got;

			name = "clear_cache";
			off = pick(r, has_cache);
			if (!off)
				continue;
			m.map[off] &= (uint16_t)~SWAP_HAS_CACHE;
			model_released(off);
			got = swap_slot_clear_cache(&sa, off);
			if (got != (m.map[off] & HELD)) {
				KUNIT_FAIL(test, "step %lu: clear_cache(%lu) = %#x, model %#x",
					   step, off, got, m.map[off] & HELD);
				ok = false;
			}
		} else if (op < 98) {
			int want, got;

			name = "set_cache";
			off = 1 + prng_below(r, m.last_page);
			if (m.map[off] & SWAP_HAS_CACHE)
				want = -EEXIST;
			else if (!(m.map[off] & SWAP_COUNT_MASK))
				want = -ENOENT;
			else
				want = 0;
			got = swap_slot_set_cache(&sa, off);
			if (got != want) {
				KUNIT_FAIL(test, "step %lu: set_cache(%lu) = %d, model %d",
					   step, off, got, want);
				ok = false;
			} else if (!want) {
				m.map[off] |= SWAP_HAS_CACHE;
			}
		} else {
			name = "mark_bad";
			off = 1 + prng_below(r, m.last_page);
			if (!(m.map[off] & SWAP_MAP_BAD)) {
				if (!m.map[off])
					m.nr_free--;
				else
					m.nr_inuse--;
				m.nr_usable--;
				m.map[off] |= SWAP_MAP_BAD;
			}
			swap_slot_mark_bad(&sa, off);
		}
		if (ok && !matches(test, step, name))
			ok = false;
	}

	/* Drop everything: nothing may be left in use. */
	for (unsigned long off = 1; ok && off <= m.last_page; off++) {
		while (m.map[off] & SWAP_COUNT_MASK) {
			m.map[off]--;
			model_released(off);
			swap_slot_put(&sa, off);
		}
		if (m.map[off] & SWAP_HAS_CACHE) {
			m.map[off] &= (uint16_t)~SWAP_HAS_CACHE;
			model_released(off);
			swap_slot_clear_cache(&sa, off);
		}
	}
	if (ok) {
		KUNIT_EXPECT_EQ(test, sa.inuse, 0UL);
		KUNIT_EXPECT_EQ(test, swap_alloc_next_used(&sa, 1), 0UL);
		ok = matches(test, steps + 1, "drop all") && ok;
	}
out:
	from_current += sa.nr_alloc_current;
	from_nonfull += sa.nr_alloc_nonfull;
	from_free += sa.nr_alloc_free;
	from_other_cpu += sa.nr_alloc_other_cpu;
	swap_alloc_destroy(&sa);
	return ok;
}

static void run_model(struct kunit *test, uint64_t seed)
{
	struct test_arena arena;
	struct prng r;
	unsigned long allocs = 0, full = 0, rounds = 0;

	KUNIT_ASSERT_TRUE(test, test_arena_make(test, &arena, 0));
	prng_seed(&r, seed);
	from_current = from_nonfull = from_free = from_other_cpu = 0;
	for (; rounds < 40; rounds++)
		if (!model_round(test, &r, &arena, 5000, &allocs, &full)) {
			kunit_info(test, "round %lu failed; seed %llu", rounds,
				   (unsigned long long)seed);
			break;
		}
	kunit_info(test, "%lu rounds, %lu allocations (current %lu, nonfull %lu, free %lu, other CPU %lu), %lu found the area full",
		   rounds, allocs, from_current, from_nonfull, from_free,
		   from_other_cpu, full);
	/* Every path was taken, and the small areas filled up. */
	KUNIT_EXPECT_GT(test, from_current, 0UL);
	KUNIT_EXPECT_GT(test, from_nonfull, 0UL);
	KUNIT_EXPECT_GT(test, from_free, 0UL);
	KUNIT_EXPECT_GT(test, from_other_cpu, 0UL);
	KUNIT_EXPECT_GT(test, full, 0UL);
	test_arena_done(test, &arena);
}

static void swap_alloc_random_ops_match_model(struct kunit *test)
{
	run_model(test, test->seed);
}

static void swap_alloc_fixed_seed_matches_model(struct kunit *test)
{
	run_model(test, 20240616);
}

/* From an empty area, one CPU's slots run consecutively in each cluster:
 * the next slot is the first one after the last that is not bad. */
static void one_cpu_run_is_consecutive(struct kunit *test)
{
	struct test_arena arena;
	struct prng r;

	KUNIT_ASSERT_TRUE(test, test_arena_make(test, &arena, 0));
	prng_seed(&r, test->seed);
	for (int round = 0; round < 50 && !test->failed; round++) {
		unsigned long last_page = 2 + prng_below(&r, MAX_SLOTS - 2);
		unsigned int nr_bad = (unsigned int)prng_below(&r, 8);
		uint32_t bad[8];
		unsigned long prev = 0, off, n, got = 0;

		for (unsigned int i = 0; i < nr_bad; i++)
			bad[i] = 1 + (uint32_t)prng_below(&r, last_page);
		KUNIT_ASSERT_EQ(test, swap_alloc_init_node(&sa, last_page, bad, nr_bad,
							   2, &arena.pgdat), 0);
		n = sa.nr_slots_usable ? 1 + prng_below(&r, sa.nr_slots_usable) : 0;
		for (; got < n && (off = swap_alloc_slot(&sa, 1)); got++) {
			if (prev && off / SWAPFILE_CLUSTER == prev / SWAPFILE_CLUSTER) {
				bool gap_all_bad = off > prev;

				for (unsigned long s = prev + 1; s < off && gap_all_bad; s++)
					gap_all_bad = sa.swap_map[s] == SWAP_MAP_BAD;
				if (!gap_all_bad) {
					KUNIT_FAIL(test, "last_page %lu: slot %lu after %lu",
						   last_page, off, prev);
					break;
				}
			}
			prev = off;
		}
		KUNIT_EXPECT_EQ(test, got, n);
		for (off = 1; off <= last_page; off++)
			if (sa.swap_map[off] == SWAP_HAS_CACHE)
				swap_slot_clear_cache(&sa, off);
		KUNIT_EXPECT_EQ(test, sa.inuse, 0UL);
		swap_alloc_destroy(&sa);
	}
	test_arena_done(test, &arena);
}

static struct kunit_case swap_alloc_model_cases[] = {
	KUNIT_CASE(swap_alloc_random_ops_match_model),
	KUNIT_CASE(swap_alloc_fixed_seed_matches_model),
	KUNIT_CASE(one_cpu_run_is_consecutive),
	{}
};

static struct kunit_suite swap_alloc_model_suite = {
	.name = "swap_alloc_model",
	.test_cases = swap_alloc_model_cases,
};
kunit_test_suite(swap_alloc_model_suite);
