/*
 * tests/host/pgtable_model_test.c - the portable walker (mm/pgtable.c)
 * over the host's software entry format (tests/host/host_mmu.c), with
 * table pages from malloc so AddressSanitizer checks every access: a
 * basic case, the host kernel table vmalloc uses, and a long random run
 * of map / unmap / protect / set_nonpresent / exchange_nonpresent / walk
 * checked against a
 * reference model that predicts every return value and every page's
 * translation.
 *
 * Replay a failing seed: build/host/unit pgtable_model --seed N
 */
#include "tests/host/host.h"
#include "kernel/kunit.h"
#include "kernel/lib/random.h"
#include "kernel/lib/string.h"
#include "mm/pgtable.h"
#include "mm/arch_mm.h"
#include <arch/mmu.h>

#include <stdlib.h>

#define M2	PGTABLE_LEVEL_SIZE(2)
#define G1	PGTABLE_LEVEL_SIZE(3)
#define RW	(PROT_READ | PROT_WRITE)

/* Table pages from malloc, counted, and a way to run out. */
struct host_tables {
	long live;		/* allocated and not freed */
	long fail_after;	/* the Nth next allocation fails (0: never) */
};

static void *tables_alloc(struct pgtable *pt)
{
	struct host_tables *h = pt->private;
	void *t;

	if (h->fail_after && --h->fail_after == 0)
		return NULL;
	t = aligned_alloc(PAGE_SIZE, PAGE_SIZE);
	if (t) {
		memset(t, 0, PAGE_SIZE);
		h->live++;
	}
	return t;
}

static void tables_free(struct pgtable *pt, void *t)
{
	struct host_tables *h = pt->private;

	h->live--;
	free(t);
}

static int make(struct pgtable *pt, struct host_tables *h, unsigned int levels,
		unsigned long start, unsigned long last)
{
	memset(h, 0, sizeof(*h));
	return pgtable_init_alloc(pt, &host_pte_fmt, levels, start, last,
				  tables_alloc, tables_free, h);
}

/* Map, translate, unmap in pages; the counts follow. */
static void pages_basic(struct kunit *test)
{
	struct host_tables h;
	struct pgtable pt;
	uint64_t pte;
	unsigned int level;

	KUNIT_ASSERT_EQ(test, make(&pt, &h, 4, 0, (1UL << 47) - 1), 0);
	KUNIT_EXPECT_EQ(test, h.live, 1L);
	KUNIT_EXPECT_EQ(test, pgtable_map(&pt, 0x5000, 0x12345000, 0x3000, RW,
					  G1), 0);
	KUNIT_EXPECT_EQ(test, pt.nr_tables, 4UL);
	KUNIT_EXPECT_EQ(test, pt.nr_leaves[1], 3UL);
	KUNIT_EXPECT_EQ(test, pgtable_translate(&pt, 0x6abc, &pte, &level),
			(phys_addr_t)0x12346abc);
	KUNIT_EXPECT_EQ(test, level, 1U);
	KUNIT_EXPECT_EQ(test, host_pte_fmt.attrs_to_prot(pte), (unsigned int)RW);
	KUNIT_EXPECT_EQ(test, pgtable_translate(&pt, 0x8000, &pte, &level),
			(phys_addr_t)0);
	KUNIT_EXPECT_EQ(test, pte, 0ULL);
	KUNIT_EXPECT_EQ(test, level, 0U);
	KUNIT_EXPECT_EQ(test, pgtable_unmap(&pt, 0x4000, 0x3000), (size_t)0x2000);
	KUNIT_EXPECT_EQ(test, pt.nr_leaves[1], 1UL);
	KUNIT_EXPECT_EQ(test, pgtable_free(&pt), 4UL);
	KUNIT_EXPECT_EQ(test, h.live, 0L);
}


/* The host kernel table behind arch_map_kernel_range: pages, the
 * vmalloc range only, refused twice, fault injection. */
static void host_kernel_table(struct kunit *test)
{
	struct pgtable *pt = arch_kernel_pgtable();
	unsigned long va = VMALLOC_END + 1 - 2 * PAGE_SIZE;
	unsigned long leaves = pt->nr_leaves[1];
	uint64_t pte;

	KUNIT_EXPECT_PTR_EQ(test, pt->fmt, &host_pte_fmt);
	KUNIT_EXPECT_EQ(test, arch_map_kernel_range(va, 0x7000, 2 * PAGE_SIZE,
						    PROT_READ | PROT_WRITE), 0);
	KUNIT_EXPECT_TRUE(test, arch_kernel_pte_present(va + PAGE_SIZE + 5));
	KUNIT_EXPECT_EQ(test, pgtable_translate(pt, va + PAGE_SIZE, &pte, NULL),
			(phys_addr_t)0x8000);
	KUNIT_EXPECT_EQ(test, pte & (HOST_PTE_R | HOST_PTE_W | HOST_PTE_X),
			HOST_PTE_R | HOST_PTE_W);
	KUNIT_EXPECT_EQ(test, pt->nr_leaves[1], leaves + 2);
	KUNIT_EXPECT_EQ(test, arch_map_kernel_range(va, 0x7000, PAGE_SIZE,
						    PROT_READ), -1);
	KUNIT_EXPECT_EQ(test, arch_map_kernel_range(va + 2 * PAGE_SIZE, 0x7000,
						    PAGE_SIZE, PROT_READ), -1);
	KUNIT_EXPECT_FALSE(test, arch_kernel_pte_present(va + 2 * PAGE_SIZE));
	KUNIT_EXPECT_FALSE(test, arch_kernel_pte_present(VMALLOC_START - PAGE_SIZE));
	arch_unmap_kernel_range(va, 2 * PAGE_SIZE);
	KUNIT_EXPECT_FALSE(test, arch_kernel_pte_present(va));
	KUNIT_EXPECT_EQ(test, pt->nr_leaves[1], leaves);
	host_mmu_fail_after = 2;
	KUNIT_EXPECT_EQ(test, arch_map_kernel_range(va, 0x7000, PAGE_SIZE, PROT_READ), 0);
	KUNIT_EXPECT_EQ(test, arch_map_kernel_range(va + PAGE_SIZE, 0x7000, PAGE_SIZE,
						    PROT_READ), -1);
	KUNIT_EXPECT_EQ(test, host_mmu_fail_after, 0U);
	KUNIT_EXPECT_FALSE(test, arch_kernel_pte_present(va + PAGE_SIZE));
	arch_unmap_kernel_range(va, PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, pt->nr_leaves[1], leaves);
}

/*
 * The model. The window is a GiB-aligned GiB and 4 MiB after it, so a
 * 1 GiB leaf fits, and small operations land in three zones of it: its
 * start, its middle, and 2 MiB before to 4 MiB after its end (crossing
 * the level-3 boundary). Every page has a state the model predicts from
 * the calls alone: empty, mapped (to pa with prot), or a payload.
 * Tables are never freed by the walker, so a GiB that once had a table
 * never gets a 1 GiB leaf again: the run is cut into epochs, each on a
 * fresh table, half of them starting with the GiB as one leaf.
 */
#define WIN_BASE	(3 * G1)
#define WIN_PAGES	((G1 + 4 * M2) / PAGE_SIZE)
#define ZONE_PAGES	(6 * M2 / PAGE_SIZE)
#define STEPS		24000
#define EPOCH_STEPS	3000

enum { EMPTY, MAPPED, PAYLOAD };

struct mpage {
	uint64_t val;		/* pa when mapped, the payload */
	uint8_t state;
	uint8_t prot;
};

static const unsigned long zone_first[] = {
	0, (G1 / 2) / PAGE_SIZE, (G1 - 2 * M2) / PAGE_SIZE,
};

static const unsigned int prots[] = {
	PROT_READ, PROT_READ | PROT_WRITE, PROT_READ | PROT_EXEC,
	PROT_READ | PROT_WRITE | PROT_EXEC, PROT_READ | PROT_USER,
	PROT_READ | PROT_WRITE | PROT_USER, PROT_READ | PROT_DEVICE,
};

struct model {
	struct kunit *test;
	struct prng r;
	struct pgtable pt;
	struct host_tables h;
	struct mpage *m;
	unsigned long bad;	/* mismatches seen */
	unsigned long max_leaves[4], ops[5], refused;
	unsigned long splits, hint_hits;	/* over all epochs */
	unsigned long exchanged, exchange_refused;
};

static unsigned long va_of(unsigned long i)
{
	return WIN_BASE + i * PAGE_SIZE;
}

/* One page as the model says it must be; false (and a message) if not. */
static bool check_page(struct model *M, unsigned long i)
{
	const struct mpage *p = &M->m[i];
	unsigned long off = prng_below(&M->r, PAGE_SIZE);
	uint64_t pte;
	unsigned int level;
	phys_addr_t got = pgtable_translate(&M->pt, va_of(i) + off, &pte, &level);
	bool ok;

	switch (p->state) {
	case MAPPED:
		ok = got == p->val + off && (pte & HOST_PTE_V) && level >= 1 &&
		     host_pte_fmt.attrs_to_prot(pte) == p->prot;
		break;
	case PAYLOAD:
		ok = !got && pte && !(pte & HOST_PTE_V) && level == 1 &&
		     host_pte_fmt.nonpresent_payload(pte) == p->val;
		break;
	default:
		ok = !got && !pte;
	}
	if (!ok && M->bad++ < 5)
		KUNIT_FAIL(M->test, "page %#lx: model %s %#llx prot %#x; table "
			   "gives %#llx, entry %#llx at level %u",
			   va_of(i), p->state == MAPPED ? "mapped to" :
			   p->state == PAYLOAD ? "payload" : "empty",
			   (unsigned long long)p->val, p->prot,
			   (unsigned long long)got, (unsigned long long)pte, level);
	return ok;
}

/* Pages [first, first + n): all of them, or for a long range its ends
 * and a sample. */
static void check_range(struct model *M, unsigned long first, unsigned long n)
{
	unsigned long from = first ? first - 1 : 0;
	unsigned long to = min(first + n + 1, (unsigned long)WIN_PAGES);

	if (to - from <= 2048) {
		for (unsigned long i = from; i < to; i++)
			check_page(M, i);
		return;
	}
	for (unsigned long i = 0; i < 512; i++) {
		check_page(M, from + i);
		check_page(M, to - 1 - i);
		check_page(M, from + prng_below(&M->r, to - from));
	}
}

/* Every page, and the walker's counts against the model's. */
static void check_all(struct model *M)
{
	unsigned long mapped = 0, payloads = 0, leaf_pages = 0;

	for (unsigned long i = 0; i < WIN_PAGES; i++) {
		check_page(M, i);
		mapped += M->m[i].state == MAPPED;
		payloads += M->m[i].state == PAYLOAD;
	}
	for (unsigned int l = 1; l <= 3; l++)
		leaf_pages += M->pt.nr_leaves[l] << (9 * (l - 1));
	KUNIT_EXPECT_EQ(M->test, leaf_pages, mapped);
	KUNIT_EXPECT_EQ(M->test, M->pt.nr_nonpresent, payloads);
}

/* A range for an operation: a few pages, one or two 2 MiB-aligned
 * 2 MiB pieces, any stretch up to two blocks long, or (rarely) the
 * whole GiB. */
static void pick_range(struct model *M, unsigned long *first, unsigned long *n)
{
	unsigned long z = zone_first[prng_below(&M->r, ARRAY_SIZE(zone_first))];
	unsigned int kind = (unsigned int)prng_below(&M->r, 100);

	if (kind < 2) {
		*first = 0;
		*n = G1 / PAGE_SIZE;
		return;
	}
	if (kind < 40) {
		*first = z + prng_below(&M->r, ZONE_PAGES / 512) * 512;
		*n = 512 * (1 + prng_below(&M->r, 2));
	} else if (kind < 55) {		/* any stretch up to 2 blocks */
		*first = z + prng_below(&M->r, ZONE_PAGES);
		*n = 1 + prng_below(&M->r, 1100);
	} else {
		*first = z + prng_below(&M->r, ZONE_PAGES);
		*n = 1 + prng_below(&M->r, 40);
	}
	*n = min(*n, z + ZONE_PAGES - *first);
}

static unsigned long count(struct model *M, unsigned long first,
			   unsigned long n, int state)
{
	unsigned long c = 0;

	for (unsigned long i = first; i < first + n; i++)
		c += M->m[i].state == state;
	return c;
}

/* Map with leaves up to ml (0: a random size). */
static void op_map(struct model *M, unsigned long first, unsigned long n,
		   size_t ml)
{
	/* pa congruent with va most of the time, so blocks can form */
	phys_addr_t pa = (phys_addr_t)(16 + prng_below(&M->r, 48)) * G1 +
			 (ml || prng_below(&M->r, 4) ? first * PAGE_SIZE :
			  prng_below(&M->r, 1 << 20) * PAGE_SIZE);
	static const size_t max_leaf[] = { PAGE_SIZE, M2, G1, G1 };

	if (!ml)
		ml = max_leaf[prng_below(&M->r, ARRAY_SIZE(max_leaf))];
	unsigned int prot = prots[prng_below(&M->r, ARRAY_SIZE(prots))];
	int want = count(M, first, n, EMPTY) == n ? 0 : -EINVAL;
	int got = pgtable_map(&M->pt, va_of(first), pa, n * PAGE_SIZE, prot, ml);

	if (got != want && M->bad++ < 5)
		KUNIT_FAIL(M->test, "map %#lx + %lu pages -> %#llx: %d, model %d",
			   va_of(first), n, (unsigned long long)pa, got, want);
	if (want) {
		M->refused++;
		return;
	}
	for (unsigned long i = 0; i < n; i++) {
		M->m[first + i].state = MAPPED;
		M->m[first + i].val = pa + i * PAGE_SIZE;
		M->m[first + i].prot = (uint8_t)prot;
	}
}

static void op_unmap(struct model *M, unsigned long first, unsigned long n)
{
	size_t want = count(M, first, n, MAPPED) * PAGE_SIZE;
	size_t got = pgtable_unmap(&M->pt, va_of(first), n * PAGE_SIZE);

	if (got != want && M->bad++ < 5)
		KUNIT_FAIL(M->test, "unmap %#lx + %lu pages: %zu bytes, model %zu",
			   va_of(first), n, got, want);
	for (unsigned long i = 0; i < n; i++)
		M->m[first + i].state = EMPTY;
}

static void op_protect(struct model *M, unsigned long first, unsigned long n)
{
	unsigned int prot = prots[prng_below(&M->r, ARRAY_SIZE(prots))];
	long want = (long)(count(M, first, n, MAPPED) * PAGE_SIZE);
	long got = pgtable_protect(&M->pt, va_of(first), n * PAGE_SIZE, prot);

	if (got != want && M->bad++ < 5)
		KUNIT_FAIL(M->test, "protect %#lx + %lu pages: %ld, model %ld",
			   va_of(first), n, got, want);
	for (unsigned long i = 0; i < n; i++)
		if (M->m[first + i].state == MAPPED)
			M->m[first + i].prot = (uint8_t)prot;
}

static void op_set_nonpresent(struct model *M, unsigned long first)
{
	uint64_t payload = prng_next(&M->r) >> HOST_PTE_PAYLOAD_SHIFT;
	int want = M->m[first].state == MAPPED ? -EINVAL : 0;
	int got = pgtable_set_nonpresent(&M->pt, va_of(first), payload);

	if (got != want && M->bad++ < 5)
		KUNIT_FAIL(M->test, "set_nonpresent %#lx: %d, model %d",
			   va_of(first), got, want);
	if (!want) {
		M->m[first].state = PAYLOAD;
		M->m[first].val = payload;
	}
}

/* Exchange a mapped 4 KiB page for a payload: the old leaf comes back
 * (what translate showed), and the model's page becomes the payload.
 * Nothing changes where the model has no page, or a payload, or where the
 * page lies in a block (a reclaim exchange is for 4 KiB leaves only). */
static void op_exchange_nonpresent(struct model *M, unsigned long first)
{
	uint64_t payload = prng_next(&M->r) >> HOST_PTE_PAYLOAD_SHIFT;
	uint64_t pte = 0, want = 0, got;
	unsigned int level = 0;

	pgtable_translate(&M->pt, va_of(first), &pte, &level);
	if (M->m[first].state == MAPPED && level == 1)
		want = pte;
	else
		M->exchange_refused++;
	got = pgtable_exchange_nonpresent(&M->pt, va_of(first), payload);
	if (got != want && M->bad++ < 5)
		KUNIT_FAIL(M->test, "exchange_nonpresent %#lx: %#llx, model %#llx",
			   va_of(first), (unsigned long long)got,
			   (unsigned long long)want);
	if (want) {
		M->m[first].state = PAYLOAD;
		M->m[first].val = payload;
		M->exchanged++;
	}
}

/* The walk: ascending, each visit what the model has there, and every
 * page the model has in the range visited. */
struct walk_check {
	struct model *M;
	unsigned long first, last;	/* pages */
	unsigned long next_va;		/* visits must not go back */
	unsigned long seen;		/* model pages covered by visits */
	bool ok;
};

static int walk_visit(unsigned long va, uint64_t *e, unsigned int level, void *arg)
{
	struct walk_check *w = arg;
	unsigned long size = PGTABLE_LEVEL_SIZE(level);
	unsigned long first = (va - WIN_BASE) / PAGE_SIZE;

	if (va < w->next_va || va < WIN_BASE || (va & (size - 1)))
		w->ok = false;
	w->next_va = va + size;
	for (unsigned long i = max(first, w->first);
	     i < first + size / PAGE_SIZE && i <= w->last; i++) {
		const struct mpage *p = &w->M->m[i];

		if ((*e & HOST_PTE_V) ? p->state != MAPPED ||
		    p->val != (*e & HOST_PTE_ADDR) + (i - first) * PAGE_SIZE :
		    p->state != PAYLOAD)
			w->ok = false;
		w->seen++;
	}
	return 0;
}

static void op_walk(struct model *M, unsigned long first, unsigned long n)
{
	struct walk_check w = { .M = M, .first = first, .last = first + n - 1,
				.ok = true };
	unsigned long want = n - count(M, first, n, EMPTY);

	KUNIT_EXPECT_EQ(M->test, pgtable_walk(&M->pt, va_of(first), n * PAGE_SIZE,
					      walk_visit, &w), 0);
	if ((!w.ok || w.seen != want) && M->bad++ < 5)
		KUNIT_FAIL(M->test, "walk %#lx + %lu pages: %s, %lu pages seen, "
			   "model %lu", va_of(first), n,
			   w.ok ? "visits match" : "a visit does not match",
			   w.seen, want);
}

/*
 * Every other epoch starts with a 1 GiB leaf, so each run splits one and
 * its coverage checks below hold whatever the seed (a coin flip here let
 * 1 seed in 256 start no epoch with one: CI met such a seed).
 */
static void epoch_start(struct model *M, unsigned int levels,
			unsigned int epoch)
{
	unsigned long last = (1UL << (12 + 9 * levels)) - 1;

	KUNIT_ASSERT_EQ(M->test, make(&M->pt, &M->h, levels, 0, last), 0);
	memset(M->m, 0, WIN_PAGES * sizeof(*M->m));
	if (epoch % 2 == 0) {
		op_map(M, 0, G1 / PAGE_SIZE, G1);
		M->max_leaves[3] = max(M->max_leaves[3], M->pt.nr_leaves[3]);
	}
}

static void epoch_end(struct model *M)
{
	check_all(M);
	for (unsigned int l = 1; l <= 3; l++)
		M->max_leaves[l] = max(M->max_leaves[l], M->pt.nr_leaves[l]);
	M->splits += M->pt.nr_splits;
	M->hint_hits += M->pt.nr_hint_hits;
	pgtable_free(&M->pt);
	KUNIT_EXPECT_EQ(M->test, M->h.live, 0L);
}

static void run_model(struct kunit *test, unsigned int levels)
{
	struct model *M = calloc(1, sizeof(*M));

	KUNIT_ASSERT_NOT_NULL(test, M);
	M->m = calloc(WIN_PAGES, sizeof(*M->m));
	KUNIT_ASSERT_NOT_NULL(test, M->m);
	M->test = test;
	prng_seed(&M->r, test->seed + levels);
	for (unsigned int step = 0; step < STEPS && M->bad < 5; step++) {
		unsigned long first, n;
		unsigned int op = (unsigned int)prng_below(&M->r, 100);

		if (step % EPOCH_STEPS == 0) {
			if (step)
				epoch_end(M);
			epoch_start(M, levels, step / EPOCH_STEPS);
		}
		pick_range(M, &first, &n);
		if (op < 35) {
			op_map(M, first, n, 0);
		} else if (op < 65) {
			op_unmap(M, first, n);
		} else if (op < 82) {
			op_protect(M, first, n);
		} else if (op < 89) {
			op_set_nonpresent(M, first);
			n = 1;
		} else if (op < 95) {
			op_exchange_nonpresent(M, first);
			n = 1;
		} else {
			op_walk(M, first, n);
		}
		M->ops[op < 35 ? 0 : op < 65 ? 1 : op < 82 ? 2 : op < 95 ? 3 : 4]++;
		for (unsigned int l = 1; l <= 3; l++)
			M->max_leaves[l] = max(M->max_leaves[l], M->pt.nr_leaves[l]);
		check_range(M, first, n);
	}
	epoch_end(M);
	/* the run made every leaf size, split blocks and used the hint */
	KUNIT_EXPECT_GT(test, M->max_leaves[3], 0UL);
	KUNIT_EXPECT_GT(test, M->max_leaves[2], 0UL);
	KUNIT_EXPECT_GT(test, M->splits, 0UL);
	KUNIT_EXPECT_GT(test, M->hint_hits, 0UL);
	/* ... and exchanged 4 KiB pages, and refused to where it must not */
	KUNIT_EXPECT_GT(test, M->exchanged, 0UL);
	KUNIT_EXPECT_GT(test, M->exchange_refused, 0UL);
	kunit_info(test, "%u levels, seed %llu: %lu maps (%lu refused), %lu unmaps, "
		   "%lu protects, %lu payloads (%lu by exchange, %lu refused), "
		   "%lu walks, %lu splits%s", levels,
		   (unsigned long long)test->seed, M->ops[0], M->refused, M->ops[1],
		   M->ops[2], M->ops[3], M->exchanged, M->exchange_refused,
		   M->ops[4], M->splits,
		   M->bad ? "; replay: build/host/unit pgtable_model --seed N" : "");
	free(M->m);
	free(M);
}

static void random_against_model_4_levels(struct kunit *test)
{
	run_model(test, 4);
}

/* Three levels: the 1 GiB leaves sit in the root. */
static void random_against_model_3_levels(struct kunit *test)
{
	run_model(test, 3);
}

static struct kunit_case pgtable_model_cases[] = {
	KUNIT_CASE(pages_basic),
	KUNIT_CASE(host_kernel_table),
	KUNIT_CASE(random_against_model_4_levels),
	KUNIT_CASE(random_against_model_3_levels),
	{}
};

static struct kunit_suite pgtable_model_suite = {
	.name = "pgtable_model",
	.test_cases = pgtable_model_cases,
};
kunit_test_suite(pgtable_model_suite);
