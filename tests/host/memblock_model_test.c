/*
 * tests/host/memblock_model_test.c - mm/memblock against a reference model.
 *
 * The model is one byte of state per 512-byte unit of a 64 KiB address
 * space: is it memory (normal or NOMAP), is it reserved. Thousands of
 * random add/remove/reserve/free/nomap/alloc calls go to both; after each
 * one the region arrays must be sorted, non-overlapping and merged, and
 * must list exactly the runs the model has. Small capacities make the
 * "array full" paths common: a refused call must change nothing, and the
 * model predicts exactly when a call is refused. Host only (long runs),
 * seeded from test->seed.
 *
 * Also here: the global wrappers, on the global instance, saved and
 * restored around the test.
 */
#include "tests/host/host.h"
#include "kernel/kunit.h"
#include "kernel/printk.h"
#include "kernel/lib/random.h"
#include "kernel/lib/string.h"
#include "mm/memblock.h"
#include <arch/page.h>
#include <string.h>

#define UNIT		0x200ULL
#define NUNITS		128U		/* 64 KiB: page 0 is units 0..7 */
#define MAXCAP		128U

enum { M_NONE, M_NORMAL, M_NOMAP };

struct model {
	uint8_t mem[NUNITS];
	uint8_t rsv[NUNITS];
};

struct world {
	struct model m;
	struct memblock mb;
	struct memblock_region mem[MAXCAP], rsv[MAXCAP];
	struct prng r;
	unsigned long steps;
};

/* ---- model -> expected region list ---- */

/* Runs of units with the same non-zero value of a[]; count, and fill out. */
static unsigned int model_runs(const uint8_t *a, struct memblock_region *out)
{
	unsigned int n = 0;

	for (unsigned int u = 0; u < NUNITS; ) {
		unsigned int v = u;

		if (!a[u]) {
			u++;
			continue;
		}
		while (v < NUNITS && a[v] == a[u])
			v++;
		if (out) {
			out[n].base = u * UNIT;
			out[n].size = (v - u) * UNIT;
			out[n].flags = a[u] == M_NOMAP ? MEMBLOCK_NOMAP
						       : MEMBLOCK_NONE;
		}
		n++;
		u = v;
	}
	return n;
}

static bool same_list(const struct memblock_type *t, const uint8_t *a)
{
	struct memblock_region want[NUNITS];
	unsigned int n = model_runs(a, want);

	if (t->cnt != n)
		return false;
	for (unsigned int i = 0; i < n; i++) {
		if (t->regions[i].base != want[i].base ||
		    t->regions[i].size != want[i].size ||
		    t->regions[i].flags != want[i].flags)
			return false;
	}
	return true;
}

static void model_free_runs(const struct model *m, uint8_t *free)
{
	for (unsigned int u = 0; u < NUNITS; u++)
		free[u] = m->mem[u] == M_NORMAL && !m->rsv[u];
}

/* Check everything memblock says against the model. */
static bool agrees(struct kunit *test, struct world *w, const char *op)
{
	struct memblock *mb = &w->mb;
	struct model *m = &w->m;
	struct memblock_region fr[NUNITS];
	uint8_t free[NUNITS];
	unsigned int nfree, k = 0;
	phys_addr_t s, e, msize = 0, rsize = 0;
	u64 i;

	if (memblock_check_in(mb)) {
		KUNIT_FAIL(test, "step %lu (%s): invariants broken", w->steps, op);
		return false;
	}
	if (!same_list(&mb->memory, m->mem) || !same_list(&mb->reserved, m->rsv)) {
		KUNIT_FAIL(test, "step %lu (%s): lists differ from the model",
			   w->steps, op);
		memblock_dump_in(mb);
		return false;
	}
	for (unsigned int u = 0; u < NUNITS; u++) {
		msize += m->mem[u] ? UNIT : 0;
		rsize += m->rsv[u] ? UNIT : 0;
	}
	KUNIT_EXPECT_EQ(test, memblock_phys_mem_size_in(mb), msize);
	KUNIT_EXPECT_EQ(test, memblock_reserved_size_in(mb), rsize);

	model_free_runs(m, free);
	nfree = model_runs(free, fr);
	for_each_free_mem_range_in(mb, i, &s, &e) {
		if (k >= nfree || s != fr[k].base || e != fr[k].base + fr[k].size) {
			KUNIT_FAIL(test, "step %lu (%s): free range %u [%#llx-%#llx) wrong",
				   w->steps, op, k, (unsigned long long)s,
				   (unsigned long long)e);
			return false;
		}
		k++;
	}
	KUNIT_EXPECT_EQ(test, k, nfree);
	for_each_free_mem_range_reverse_in(mb, i, &s, &e) {
		if (!k || s != fr[k - 1].base ||
		    e != fr[k - 1].base + fr[k - 1].size) {
			KUNIT_FAIL(test, "step %lu (%s): reverse free range wrong",
				   w->steps, op);
			return false;
		}
		k--;
	}
	KUNIT_EXPECT_EQ(test, k, 0U);
	for (int j = 0; j < 4; j++) {
		unsigned int u = prng_below(&w->r, NUNITS);
		unsigned int len = 1 + prng_below(&w->r, 8);
		bool any = false;

		KUNIT_EXPECT_EQ(test, memblock_is_memory_in(mb, u * UNIT + 7),
				m->mem[u] != M_NONE);
		for (unsigned int v = u; v < u + len && v < NUNITS; v++)
			any |= m->rsv[v];
		KUNIT_EXPECT_EQ(test, memblock_is_region_reserved_in(mb,
				u * UNIT + 1, len * UNIT - 2), any);
	}
	return !test->failed;
}

/* ---- random operations ---- */

/* Refusals are expected here: keep them off the console (not the log). */
#define QUIET(expr) ({ \
	int _lvl = console_loglevel; \
	console_loglevel = 2; \
	__typeof__(expr) _v = (expr); \
	console_loglevel = _lvl; \
	_v; \
})

static void rand_range(struct world *w, unsigned int *u0, unsigned int *u1)
{
	unsigned int a = prng_below(&w->r, NUNITS + 1);
	unsigned int len = prng_below(&w->r, 4) ? prng_below(&w->r, 12)
						 : prng_below(&w->r, NUNITS);

	*u0 = a;
	*u1 = min(a + len, NUNITS);
}

/* Would this model state fit the capacities? */
static bool fits(struct world *w, const struct model *nm)
{
	return model_runs(nm->mem, NULL) <= w->mb.memory.max &&
	       model_runs(nm->rsv, NULL) <= w->mb.reserved.max;
}

/* Apply op to memblock; the model said it should (not) succeed. */
static bool expect_result(struct kunit *test, struct world *w, const char *op,
			  int got, const struct model *nm, bool may_refuse)
{
	bool ok = fits(w, nm);

	if (got == 0 && ok) {
		w->m = *nm;
		return true;
	}
	if (got == -1 && (!ok || may_refuse))
		return true;	/* refused: the model stays as it was */
	KUNIT_FAIL(test, "step %lu: %s returned %d, model expected %s",
		   w->steps, op, got, ok ? "success" : "refusal");
	return false;
}

/* Highest aligned fit for an allocation, per the model; 0 if none. */
static phys_addr_t model_alloc(const struct model *m, phys_addr_t size,
			       phys_addr_t align, phys_addr_t start,
			       phys_addr_t end)
{
	phys_addr_t stride = max(align, UNIT);	/* free runs are whole units */

	if (end == MEMBLOCK_ALLOC_ACCESSIBLE)
		end = MEMBLOCK_ALLOC_ANYWHERE;	/* the limit is never set here */
	start = max(start, (phys_addr_t)PAGE_SIZE);
	end = min(end, (phys_addr_t)(NUNITS * UNIT));
	if (end <= start || end - start < size)
		return 0;
	for (phys_addr_t a = ALIGN_DOWN(end - size, align); a >= start;
	     a -= stride) {
		bool ok = true;

		for (phys_addr_t p = a; p < a + size && ok; p += UNIT)
			ok = m->mem[p / UNIT] == M_NORMAL && !m->rsv[p / UNIT];
		if (ok)
			return a;
		if (a < stride)
			break;
	}
	return 0;
}

static bool step(struct kunit *test, struct world *w)
{
	struct memblock *mb = &w->mb;
	struct model nm = w->m;
	unsigned int u0, u1, op = prng_below(&w->r, 100);
	phys_addr_t base, size;
	int got;

	rand_range(w, &u0, &u1);
	base = u0 * UNIT;
	size = (u1 - u0) * UNIT;
	w->steps++;

	if (op < 22) {
		for (unsigned int u = u0; u < u1; u++)
			nm.mem[u] = nm.mem[u] ? nm.mem[u] : M_NORMAL;
		got = QUIET(memblock_add_in(mb, base, size));
		return expect_result(test, w, "add", got, &nm, false) &&
		       agrees(test, w, "add");
	}
	if (op < 32) {
		bool to_top = prng_below(&w->r, 8) == 0;

		if (to_top)
			u1 = NUNITS;
		for (unsigned int u = u0; u < u1; u++)
			nm.mem[u] = M_NONE;
		got = QUIET(memblock_remove_in(mb, base, to_top ? PHYS_ADDR_MAX : size));
		return expect_result(test, w, "remove", got, &nm, false) &&
		       agrees(test, w, "remove");
	}
	if (op < 52) {
		for (unsigned int u = u0; u < u1; u++)
			nm.rsv[u] = 1;
		got = QUIET(memblock_reserve_in(mb, base, size));
		return expect_result(test, w, "reserve", got, &nm, false) &&
		       agrees(test, w, "reserve");
	}
	if (op < 66) {
		bool all = true;

		for (unsigned int u = u0; u < u1; u++) {
			all &= nm.rsv[u];
			nm.rsv[u] = 0;
		}
		got = QUIET(memblock_phys_free_in(mb, base, size));
		if (!all) {
			if (got != -1) {
				KUNIT_FAIL(test, "step %lu: free of unreserved units returned %d",
					   w->steps, got);
				return false;
			}
			return agrees(test, w, "bad free");
		}
		return expect_result(test, w, "free", got, &nm, false) &&
		       agrees(test, w, "free");
	}
	if (op < 74) {
		bool set = prng_below(&w->r, 2);

		for (unsigned int u = u0; u < u1; u++)
			if (nm.mem[u])
				nm.mem[u] = set ? M_NOMAP : M_NORMAL;
		got = set ? QUIET(memblock_mark_nomap_in(mb, base, size))
			  : QUIET(memblock_clear_nomap_in(mb, base, size));
		/* May refuse when splitting needs more than the free slots. */
		return expect_result(test, w, "nomap", got, &nm,
				     mb->memory.cnt + 2 > mb->memory.max) &&
		       agrees(test, w, "nomap");
	}
	{
		static const phys_addr_t aligns[] = {
			1, 8, UNIT, 2 * UNIT, 4 * UNIT, 0x1000, 0x2000,
		};
		phys_addr_t align = aligns[prng_below(&w->r, ARRAY_SIZE(aligns))];
		phys_addr_t asize = (1 + prng_below(&w->r, 6)) * UNIT;
		phys_addr_t start = 0, end = MEMBLOCK_ALLOC_ANYWHERE, want, pa;

		if (prng_below(&w->r, 2)) {
			start = base;
			end = base + size;
		}
		if (prng_below(&w->r, 20) == 0)
			align = prng_below(&w->r, 2) ? 0 : 3 * UNIT;	/* bad */
		want = (align && !(align & (align - 1)))
			? model_alloc(&w->m, asize, align, start, end) : 0;
		for (phys_addr_t p = want; want && p < want + asize; p += UNIT)
			nm.rsv[p / UNIT] = 1;
		if (want && !fits(w, &nm))
			want = 0;	/* found, but cannot be recorded */
		pa = QUIET(memblock_phys_alloc_range_in(mb, asize, align, start, end));
		if (pa != want) {
			KUNIT_FAIL(test, "step %lu: alloc(%#llx, align %#llx, [%#llx-%#llx)) gave %#llx, model %#llx",
				   w->steps, (unsigned long long)asize,
				   (unsigned long long)align,
				   (unsigned long long)start,
				   (unsigned long long)end,
				   (unsigned long long)pa,
				   (unsigned long long)want);
			return false;
		}
		if (pa)
			w->m = nm;
		return agrees(test, w, "alloc");
	}
}

static void run_model(struct kunit *test, unsigned long cap, unsigned int steps)
{
	static struct world w;	/* big */

	memset(&w, 0, sizeof(w));
	memblock_init(&w.mb, w.mem, cap, w.rsv, cap);
	prng_seed(&w.r, test->seed ^ cap);
	for (unsigned int s = 0; s < steps; s++) {
		if (!step(test, &w)) {
			kunit_info(test, "seed %llu, capacity %lu, step %lu",
				   (unsigned long long)test->seed, cap, w.steps);
			break;
		}
		if (prng_below(&w.r, 500) == 0) {	/* start over sometimes */
			memset(&w.m, 0, sizeof(w.m));
			memblock_init(&w.mb, w.mem, cap, w.rsv, cap);
		}
	}

	/* Leak check: free every reservation; the free runs become memory. */
	for (unsigned long i = w.mb.reserved.cnt; i-- > 0; ) {
		struct memblock_region r = w.mb.reserved.regions[i];

		KUNIT_EXPECT_EQ(test, memblock_phys_free_in(&w.mb, r.base, r.size), 0);
	}
	memset(w.m.rsv, 0, sizeof(w.m.rsv));
	KUNIT_EXPECT_EQ(test, memblock_reserved_size_in(&w.mb), 0ULL);
	KUNIT_EXPECT_TRUE(test, agrees(test, &w, "final free"));
}

static void model_roomy(struct kunit *test)
{
	run_model(test, MAXCAP, 20000);
}

static void model_cramped(struct kunit *test)
{
	run_model(test, 6, 20000);
}

static void model_tiny(struct kunit *test)
{
	run_model(test, 1, 5000);
}

/* ---- the global instance's wrappers ---- */

static void global_wrappers(struct kunit *test)
{
	static struct memblock_region save_mem[INIT_MEMBLOCK_REGIONS];
	static struct memblock_region save_rsv[INIT_MEMBLOCK_REGIONS];
	static unsigned char arena[16 * 4096] __aligned(4096);
	static struct boot_info bi;
	struct memblock saved = memblock;
	phys_addr_t base = virt_to_phys(arena), pa, s, e;
	unsigned int n = 0;
	unsigned char *p;
	u64 i;

	memcpy(save_mem, memblock.memory.regions, sizeof(save_mem));
	memcpy(save_rsv, memblock.reserved.regions, sizeof(save_rsv));
	memblock.memory.cnt = memblock.reserved.cnt = 0;
	memblock.memory.total_size = memblock.reserved.total_size = 0;
	memblock.current_limit = MEMBLOCK_ALLOC_ANYWHERE;

	KUNIT_EXPECT_EQ(test, memblock_add(base, sizeof(arena)), 0);
	KUNIT_EXPECT_EQ(test, memblock_reserve(base + 0x1000, 0x1000), 0);
	KUNIT_EXPECT_EQ(test, memblock_phys_mem_size(), (phys_addr_t)sizeof(arena));
	KUNIT_EXPECT_EQ(test, memblock_start_of_DRAM(), base);
	KUNIT_EXPECT_EQ(test, memblock_end_of_DRAM(), base + sizeof(arena));
	KUNIT_EXPECT_TRUE(test, memblock_is_memory(base));
	KUNIT_EXPECT_TRUE(test, memblock_is_region_reserved(base, 0x2000));

	memset(arena, 0xff, sizeof(arena));
	memblock_set_current_limit(base + 0x4000);
	KUNIT_EXPECT_EQ(test, memblock_get_current_limit(), base + 0x4000);
	p = memblock_alloc(0x1000, 0x1000);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_PTR_EQ(test, p, arena + 0x3000);
	KUNIT_EXPECT_EQ(test, p[0] | p[0xfff], 0);
	pa = memblock_phys_alloc(0x1000, 0x1000);
	KUNIT_EXPECT_EQ(test, pa, base + 0x2000);
	KUNIT_EXPECT_EQ(test, memblock_phys_alloc_range(0x1000, 0x1000, base,
					MEMBLOCK_ALLOC_ANYWHERE),
			base + sizeof(arena) - 0x1000);
	KUNIT_EXPECT_EQ(test, memblock_mark_nomap(base + 0x8000, 0x1000), 0);
	KUNIT_EXPECT_EQ(test, memblock_clear_nomap(base + 0x8000, 0x1000), 0);
	for_each_mem_range(i, &s, &e)
		n++;
	KUNIT_EXPECT_EQ(test, n, 1U);
	n = 0;
	for_each_free_mem_range(i, &s, &e)
		n++;
	for_each_free_mem_range_reverse(i, &s, &e)
		n--;
	KUNIT_EXPECT_EQ(test, n, 0U);
	memblock_dump();
	KUNIT_EXPECT_EQ(test, memblock_check(), 0);
	KUNIT_EXPECT_EQ(test, memblock_phys_free(pa, 0x1000), 0);
	KUNIT_EXPECT_EQ(test, memblock_phys_free(pa, 0x1000), -1);	/* twice */
	KUNIT_EXPECT_EQ(test, memblock_remove(base, sizeof(arena)), 0);
	KUNIT_EXPECT_EQ(test, memblock_phys_mem_size(), 0ULL);

	memset(&bi, 0, sizeof(bi));
	bi.mem[0] = (struct boot_mem_range){ 0x100000, 0x1000000, BOOT_MEM_USABLE };
	bi.nr_mem = 1;
	bi.kernel_start = 0x200000;
	bi.kernel_end = 0x300000;
	KUNIT_EXPECT_EQ(test, memblock_add_boot_info(&bi), 0);
	KUNIT_EXPECT_EQ(test, memblock_phys_mem_size(), 0x1000000ULL);
	KUNIT_EXPECT_TRUE(test, memblock_is_region_reserved(0x2ff000, 1));

	/* Put the global instance back as it was. */
	memblock = saved;
	memcpy(memblock.memory.regions, save_mem, sizeof(save_mem));
	memcpy(memblock.reserved.regions, save_rsv, sizeof(save_rsv));
	KUNIT_EXPECT_EQ(test, memblock_check(), 0);
}

/* A full global list: what did not fit is named, nothing is lost. */
static void refusal_is_reported(struct kunit *test)
{
	struct memblock_region mem[2], rsv[1];
	struct memblock mb;
	char log[512];

	memblock_init(&mb, mem, 2, rsv, 1);
	memblock_add_in(&mb, 0x10000, 0x1000);
	memblock_add_in(&mb, 0x20000, 0x1000);
	printk_capture_start(log, sizeof(log));
	KUNIT_EXPECT_EQ(test, memblock_add_in(&mb, 0x30000, 0x1000), -1);
	printk_capture_stop();
	KUNIT_EXPECT_STR_CONTAINS(test, log, "[0x30000-0x30fff]");
	KUNIT_EXPECT_STR_CONTAINS(test, log, "memory list full");
	KUNIT_EXPECT_EQ(test, mb.memory.cnt, 2UL);
	KUNIT_EXPECT_EQ(test, memblock_phys_mem_size_in(&mb), 0x2000ULL);
}

static struct kunit_case memblock_model_cases[] = {
	KUNIT_CASE(model_roomy),
	KUNIT_CASE(model_cramped),
	KUNIT_CASE(model_tiny),
	KUNIT_CASE(global_wrappers),
	KUNIT_CASE(refusal_is_reported),
	{}
};

static struct kunit_suite memblock_model_suite = {
	.name = "memblock_model",
	.test_cases = memblock_model_cases,
};
kunit_test_suite(memblock_model_suite);
