/*
 * tests/host/vmalloc_model_test.c - the vmalloc area allocator against a
 * reference model: a long random run of get_vm_area_caller/free_vm_area
 * and vmap/vunmap (of a few pages from a private arena, mapped many times
 * over: on the host mapping is bookkeeping only), checked after every
 * step. The model is a sorted array of live areas; it predicts the exact
 * first-fit address of each new area, and when the descriptor pool or
 * the address range is full it predicts a clean failure.
 *
 * Replay a failing seed: build/host/unit vmalloc_model --seed N
 */
#include "tests/host/host.h"
#include "tests/suites/test_arena.h"
#include "kernel/kunit.h"
#include "kernel/lib/random.h"
#include "kernel/lib/string.h"
#include "kernel/printk.h"
#include "mm/vmalloc.h"
#include "mm/arch_mm.h"
#include <arch/mmu.h>

#define MODEL_STEPS	10000
#define MODEL_MAX_AREAS	512	/* VMALLOC_MAX_AREAS in mm/vmalloc.c */
#define MODEL_MAX_PAGES	300	/* the largest ordinary request */
#define ARENA_PAGES	8	/* distinct pages behind every vmap */
#define RANGE_END	(VMALLOC_END + 1)	/* exclusive */

struct marea {
	struct vm_struct *vm;
	unsigned long addr;
	unsigned long size;		/* with the guard page */
	unsigned long flags;
	unsigned long caller;
	unsigned int nr_mapped;		/* vmap: pages mapped */
};

static struct {
	struct marea live[MODEL_MAX_AREAS];
	unsigned int nr;
	unsigned long used_start;	/* vmalloc_used_pages() at the start */
	unsigned long mapped;		/* pages the model has vmapped */
	unsigned long step;
	bool failed;
	struct page *pages[ARENA_PAGES];
	struct page *vec[MODEL_MAX_PAGES];
	char msg[1024];
} M;

static struct test_arena arena;

#define CHECK(test, cond, fmt, ...) do { \
	if (!(cond)) { \
		KUNIT_FAIL(test, "step %lu: " fmt, M.step, ##__VA_ARGS__); \
		M.failed = true; \
	} \
} while (0)

/* Silence and capture what the allocator prints on an expected failure. */
static int saved_loglevel;

static void quiet_start(void)
{
	M.msg[0] = '\0';
	saved_loglevel = console_loglevel;
	console_loglevel = 0;
	printk_capture_start(M.msg, sizeof(M.msg));
}

static void quiet_stop(void)
{
	printk_capture_stop();
	console_loglevel = saved_loglevel;
}

/* The model's first fit: the address a request of need bytes gets, or 0. */
static unsigned long model_fit(unsigned long need, unsigned int *slot)
{
	unsigned long addr = VMALLOC_START;
	unsigned int i;

	for (i = 0; i < M.nr; i++) {
		if (M.live[i].addr - addr >= need)
			break;
		addr = M.live[i].addr + M.live[i].size;
	}
	*slot = i;
	if (RANGE_END - addr < need)
		return 0;
	return addr;
}

static void model_insert(unsigned int slot, const struct marea *a)
{
	memmove(&M.live[slot + 1], &M.live[slot],
		(M.nr - slot) * sizeof(M.live[0]));
	M.live[slot] = *a;
	M.nr++;
}

static void model_remove(unsigned int i)
{
	memmove(&M.live[i], &M.live[i + 1], (M.nr - i - 1) * sizeof(M.live[0]));
	M.nr--;
}

static unsigned long rand_in(struct prng *rng, unsigned long lo, unsigned long hi)
{
	return lo + prng_below(rng, hi - lo + 1);
}

/* Pages [va, va + n pages) are all mapped (want) or all unmapped. */
static bool pages_are(unsigned long va, unsigned long n, bool want)
{
	for (unsigned long i = 0; i < n; i++)
		if (arch_kernel_pte_present(va + i * PAGE_SIZE) != want)
			return false;
	return true;
}

/* find_vm_area on one live area: start, interior, guard, and just after. */
static void check_find(struct kunit *test, unsigned int i, struct prng *rng)
{
	const struct marea *a = &M.live[i];
	unsigned long in = a->addr + prng_below(rng, a->size);
	unsigned long after = a->addr + a->size;
	struct vm_struct *want_after = NULL;

	CHECK(test, find_vm_area((void *)a->addr) == a->vm,
	      "find(start %#lx) is not its area", a->addr);
	CHECK(test, find_vm_area((void *)in) == a->vm,
	      "find(%#lx) inside [%#lx, %#lx) is not its area", in, a->addr, after);
	CHECK(test, find_vm_area((void *)(after - PAGE_SIZE)) == a->vm,
	      "find(guard %#lx) is not its area", after - PAGE_SIZE);
	if (i + 1 < M.nr && M.live[i + 1].addr == after)
		want_after = M.live[i + 1].vm;
	if (after < RANGE_END)
		CHECK(test, find_vm_area((void *)after) == want_after,
		      "find(%#lx) just past area %#lx is wrong", after, a->addr);
	if (a->addr > VMALLOC_START && (i == 0 ||
	    M.live[i - 1].addr + M.live[i - 1].size < a->addr))
		CHECK(test, !find_vm_area((void *)(a->addr - 1)),
		      "find(%#lx) in a gap found an area", a->addr - 1);
}

/* Every invariant; the find checks on all areas only when full. */
static void check_all(struct kunit *test, struct prng *rng, bool full)
{
	unsigned long prev_end = VMALLOC_START;

	for (unsigned int i = 0; i < M.nr; i++) {
		const struct marea *a = &M.live[i];
		const struct vm_struct *vm = a->vm;

		CHECK(test, vm->addr == a->addr && vm->size == a->size &&
		      vm->flags == a->flags && vm->caller == a->caller &&
		      vm->nr_pages == a->nr_mapped,
		      "area %#lx+%#lx changed under us (%#lx+%#lx flags %#lx pages %u)",
		      a->addr, a->size, vm->addr, vm->size, vm->flags, vm->nr_pages);
		CHECK(test, a->addr % PAGE_SIZE == 0 && a->size % PAGE_SIZE == 0,
		      "area %#lx+%#lx not page aligned", a->addr, a->size);
		CHECK(test, a->addr >= VMALLOC_START && a->addr + a->size <= RANGE_END,
		      "area %#lx+%#lx outside the vmalloc range", a->addr, a->size);
		/* prev_end includes the previous guard: guards overlap nothing. */
		CHECK(test, a->addr >= prev_end,
		      "area %#lx overlaps the one before (or its guard) ending %#lx",
		      a->addr, prev_end);
		CHECK(test, !arch_kernel_pte_present(a->addr + a->size - PAGE_SIZE),
		      "guard page of %#lx is mapped", a->addr);
		if (a->nr_mapped)
			CHECK(test, arch_kernel_pte_present(a->addr) &&
			      arch_kernel_pte_present(a->addr + (a->nr_mapped - 1) * PAGE_SIZE),
			      "vmap area %#lx is not mapped", a->addr);
		else
			CHECK(test, !arch_kernel_pte_present(a->addr),
			      "bare area %#lx has a mapping", a->addr);
		prev_end = a->addr + a->size;
		if (full)
			check_find(test, i, rng);
	}
	if (!full && M.nr)
		for (int k = 0; k < 6; k++)
			check_find(test, (unsigned int)prng_below(rng, M.nr), rng);
	/* A random address in the range: in an area exactly if the model says. */
	for (int k = 0; k < 4; k++) {
		unsigned long va = rand_in(rng, VMALLOC_START, VMALLOC_END);
		struct vm_struct *want = NULL;

		for (unsigned int i = 0; i < M.nr; i++)
			if (va >= M.live[i].addr && va < M.live[i].addr + M.live[i].size)
				want = M.live[i].vm;
		CHECK(test, find_vm_area((void *)va) == want,
		      "find(%#lx) disagrees with the model", va);
	}
	CHECK(test, !find_vm_area((void *)(VMALLOC_START - PAGE_SIZE)) &&
	      !find_vm_area((void *)RANGE_END) && !find_vm_area((void *)~0UL),
	      "find() outside the range found an area");
	CHECK(test, vmalloc_used_pages() == M.used_start + M.mapped,
	      "vmalloc_used_pages %lu, model %lu", vmalloc_used_pages(),
	      M.used_start + M.mapped);
}

/* A request size: mostly small or ordinary, now and then huge. */
static unsigned long pick_size(struct prng *rng, bool small_phase)
{
	uint64_t r = prng_below(rng, 100);
	unsigned long pages;

	if (r < 3)	/* anything up to the whole range, and past it */
		return rand_in(rng, 1, RANGE_END - VMALLOC_START + PAGE_SIZE);
	if (r < 8) {	/* a gap's exact size (or a page more): the edges */
		unsigned int i = prng_below(rng, 3) ? (unsigned int)prng_below(rng, M.nr + 1)
						    : M.nr;	/* the last */
		unsigned long start = i ? M.live[i - 1].addr + M.live[i - 1].size
					: VMALLOC_START;
		unsigned long end = i < M.nr ? M.live[i].addr : RANGE_END;
		unsigned long gap = end - start + (prng_below(rng, 2) ? PAGE_SIZE : 0);

		return gap > PAGE_SIZE ? gap - PAGE_SIZE : PAGE_SIZE;
	}
	if (small_phase && r < 80)
		pages = rand_in(rng, 1, 4);
	else
		pages = rand_in(rng, 1, MODEL_MAX_PAGES);
	if (prng_below(rng, 4) == 0)	/* not a whole number of pages */
		return (pages - 1) * PAGE_SIZE + rand_in(rng, 1, PAGE_SIZE);
	return pages * PAGE_SIZE;
}

static void model_alloc(struct kunit *test, struct prng *rng, bool small_phase)
{
	bool use_vmap = prng_below(rng, 3) == 0;
	unsigned long size = pick_size(rng, small_phase);
	unsigned int count = 0, fail_at = 0, slot;
	unsigned long need, addr, caller = prng_next(rng) | 1;
	unsigned long flags = prng_below(rng, 2) ? VM_MAP : 0;
	struct vm_struct *vm;
	struct marea a;

	if (use_vmap) {
		count = (unsigned int)(ALIGN_UP(size, PAGE_SIZE) / PAGE_SIZE);
		if (count > MODEL_MAX_PAGES)
			count = (unsigned int)rand_in(rng, 1, MODEL_MAX_PAGES);
		size = (unsigned long)count * PAGE_SIZE;
		for (unsigned int i = 0; i < count; i++)
			M.vec[i] = M.pages[prng_below(rng, ARENA_PAGES)];
		if (prng_below(rng, 10) == 0)	/* the mapping fails midway */
			fail_at = (unsigned int)rand_in(rng, 1, count);
		flags = VM_MAP;
	}
	need = size > VMALLOC_END - VMALLOC_START ? 0 :
	       ALIGN_UP(size, PAGE_SIZE) + PAGE_SIZE;
	addr = need ? model_fit(need, &slot) : 0;
	if (M.nr == MODEL_MAX_AREAS)
		addr = 0;

	quiet_start();
	if (use_vmap) {
		host_mmu_fail_after = fail_at;
		vm = vmap(M.vec, count, 0, PROT_READ);
		host_mmu_fail_after = 0;
		vm = vm ? find_vm_area(vm) : NULL;
	} else {
		vm = get_vm_area_caller(size, flags, caller);
	}
	quiet_stop();

	if (!addr || fail_at) {
		CHECK(test, !vm, "%s(%#lx) succeeded at %#lx; model: %s",
		      use_vmap ? "vmap" : "get_vm_area", size, vm ? vm->addr : 0,
		      fail_at ? "map fails" : M.nr == MODEL_MAX_AREAS ?
		      "no descriptors" : "no room");
		if (!addr && need && !M.failed)
			CHECK(test, strstr(M.msg, M.nr == MODEL_MAX_AREAS ?
				"all area descriptors in use" : "address range full"),
			      "failure said \"%s\"", M.msg);
		if (fail_at)
			CHECK(test, !addr || pages_are(addr, count + 1, false),
			      "a failed vmap left pages mapped at %#lx", addr);
		return;
	}
	CHECK(test, vm != NULL, "%s(%#lx) failed; model: fits at %#lx (%u areas)",
	      use_vmap ? "vmap" : "get_vm_area", size, addr, M.nr);
	if (!vm)
		return;
	CHECK(test, vm->addr == addr, "%s(%#lx) at %#lx; first fit is %#lx",
	      use_vmap ? "vmap" : "get_vm_area", size, vm->addr, addr);
	if (vm->addr != addr) {
		/* Keep the model usable for the remaining checks. */
		addr = vm->addr;
		for (slot = 0; slot < M.nr && M.live[slot].addr < addr; slot++)
			;
	}
	a = (struct marea){ .vm = vm, .addr = addr, .size = need,
			    .flags = flags, .caller = vm->caller,
			    .nr_mapped = count };
	if (!use_vmap)
		CHECK(test, vm->caller == caller, "caller %#lx, asked %#lx",
		      vm->caller, caller);
	if (use_vmap) {
		CHECK(test, pages_are(addr, count, true) &&
		      pages_are(addr + size, 1, false),
		      "vmap at %#lx: pages not mapped or guard mapped", addr);
		M.mapped += count;
	}
	model_insert(slot, &a);
}

static void model_free(struct kunit *test, struct prng *rng)
{
	unsigned int i = (unsigned int)prng_below(rng, M.nr);
	struct marea a = M.live[i];

	if (prng_below(rng, 8) == 0) {
		/* Wrong frees are refused and change nothing. */
		unsigned long in = a.addr + rand_in(rng, 1, a.size - 1);

		quiet_start();
		vunmap((void *)in);
		vfree((void *)a.addr);		/* never VM_ALLOC here */
		if (!a.nr_mapped)
			vunmap((void *)a.addr);	/* not mapped by vmap */
		quiet_stop();
		CHECK(test, strstr(M.msg, "ignored"),
		      "bad free said \"%s\"", M.msg);
		if (a.nr_mapped || a.flags != VM_MAP)
			return;
		/* A bare VM_MAP area does pass vunmap's check: it is freed. */
	} else if (a.nr_mapped) {
		vunmap((void *)a.addr);
	} else {
		free_vm_area(a.vm);
	}
	M.mapped -= a.nr_mapped;
	model_remove(i);
	/* No live area overlaps a freed one, so no address of it (the guard
	 * page included) may still be found. */
	CHECK(test, !find_vm_area((void *)a.addr) &&
	      !find_vm_area((void *)(a.addr + a.size - 1)),
	      "freed area %#lx still found (as %#lx)", a.addr,
	      find_vm_area((void *)a.addr) ?
	      find_vm_area((void *)a.addr)->addr : 0UL);
	CHECK(test, pages_are(a.addr, a.size / PAGE_SIZE, false),
	      "freed area %#lx left pages mapped", a.addr);
}

/* Every page of the range: in no area, not mapped. */
static void check_empty(struct kunit *test)
{
	for (unsigned long va = VMALLOC_START; va < RANGE_END; va += PAGE_SIZE)
		if (find_vm_area((void *)va) || arch_kernel_pte_present(va)) {
			KUNIT_FAIL(test, "%#lx is in an area or mapped", va);
			return;
		}
}

static void random_areas_match_model(struct kunit *test)
{
	struct prng rng;
	unsigned long full_pool = 0, full_range = 0, peak = 0;
	struct vm_struct *vm;

	prng_seed(&rng, test->seed);
	memset(&M, 0, sizeof(M));
	vmalloc_init();
	check_empty(test);
	KUNIT_ASSERT_TRUE(test, test_arena_make(test, &arena, 0));
	for (int i = 0; i < ARENA_PAGES; i++)
		KUNIT_ASSERT_NOT_NULL(test, M.pages[i] =
			alloc_pages_node(&arena.pgdat, GFP_KERNEL, 0));
	M.used_start = vmalloc_used_pages();

	for (M.step = 0; M.step < MODEL_STEPS && !M.failed; M.step++) {
		/* Phases: fill with small areas (the pool runs out), fill
		 * with big ones (the range runs out), drain. */
		unsigned long phase = (M.step / 400) % 3;
		uint64_t r = prng_below(&rng, 100);
		bool alloc = M.nr == 0 || r < (phase == 2 ? 30 : 75);

		if (alloc) {
			unsigned int before = M.nr;

			model_alloc(test, &rng, phase == 0);
			if (M.nr == before && before == MODEL_MAX_AREAS)
				full_pool++;
			else if (M.nr == before && strstr(M.msg, "range full"))
				full_range++;
		} else {
			model_free(test, &rng);
		}
		if (M.nr > peak)
			peak = M.nr;
		check_all(test, &rng, M.step % 100 == 0);
	}
	kunit_info(test, "seed %llu: %lu steps, peak %lu areas, %lu refused for "
		   "descriptors, %lu for room",
		   (unsigned long long)test->seed, M.step, peak, full_pool, full_range);

	/* Free everything in random order: back to empty. */
	while (M.nr) {
		unsigned int i = (unsigned int)prng_below(&rng, M.nr);

		if (M.live[i].nr_mapped)
			vunmap((void *)M.live[i].addr);
		else
			free_vm_area(M.live[i].vm);
		M.mapped -= M.live[i].nr_mapped;
		model_remove(i);
	}
	KUNIT_EXPECT_EQ(test, vmalloc_used_pages(), M.used_start);
	check_empty(test);
	/* First fit on an empty range: the largest area starts at the start. */
	vm = get_vm_area_caller(RANGE_END - VMALLOC_START - PAGE_SIZE, 0, 1);
	KUNIT_ASSERT_NOT_NULL(test, vm);
	KUNIT_EXPECT_EQ(test, vm->addr, VMALLOC_START);
	KUNIT_EXPECT_EQ(test, vm->size, RANGE_END - VMALLOC_START);
	quiet_start();
	KUNIT_EXPECT_NULL(test, get_vm_area_caller(1, 0, 2));
	quiet_stop();
	free_vm_area(vm);
	/* And the whole descriptor pool is free again. */
	{
		static struct vm_struct *all[MODEL_MAX_AREAS];
		unsigned int n;

		for (n = 0; n < MODEL_MAX_AREAS; n++)
			if (!(all[n] = get_vm_area_caller(1, 0, 3)))
				break;
		KUNIT_EXPECT_EQ(test, n, (unsigned int)MODEL_MAX_AREAS);
		KUNIT_EXPECT_EQ(test, all[0] ? all[0]->addr : 0, VMALLOC_START);
		while (n--)
			free_vm_area(all[n]);
	}
	check_empty(test);
	for (int i = 0; i < ARENA_PAGES; i++)
		__free_page(M.pages[i]);
	test_arena_done(test, &arena);
}

static struct kunit_case vmalloc_model_cases[] = {
	KUNIT_CASE(random_areas_match_model),
	{}
};

static struct kunit_suite vmalloc_model_suite = {
	.name = "vmalloc_model",
	.test_cases = vmalloc_model_cases,
};
kunit_test_suite(vmalloc_model_suite);
