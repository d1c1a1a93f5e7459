/*
 * tests/host/vm_model_test.c - address spaces against a model. Several
 * mms (fork relatives) over a window of NPAGES pages get thousands of
 * random operations: mmap (private or shared, MAP_FIXED or
 * MAP_FIXED_NOREPLACE, any protection), munmap, mprotect, madvise
 * (DONTNEED), fork (dup_mm), exit (mmput), and reads and writes through
 * access_remote_vm, which faults as a user access would. The model says
 * for each mm and page whether it is mapped, with what protection,
 * whether it is private (its own value, copied at fork) or a page of a
 * shared object (one value for every mm mapping it); every operation's
 * result and every value read must be the model's. Every 50 steps all
 * pages of all mms are read back, each mm's gap tree is checked and its
 * total_vm compared. At the end every mm is put and every page and
 * every byte of bookkeeping must be back (the arena's count, the
 * kmalloc set's caches empty). Host only; replay: --seed N.
 */
#include "tests/host/host.h"
#include "tests/suites/test_arena.h"
#include "kernel/kunit.h"
#include "kernel/lib/random.h"
#include "kernel/lib/string.h"
#include "mm/kmalloc.h"
#include "mm/mm.h"

#define NMM	4
#define NPAGES	48
#define MAXLEN	8
#define BASE	0x20000000UL
#define STEPS	20000
#define NOBJ	(STEPS + 1)

struct mpage {
	bool mapped;
	unsigned int prot;	/* PROT_READ | PROT_WRITE | PROT_EXEC */
	int obj;		/* shared object, or -1: private */
	unsigned int off;	/* page in the object */
	uint64_t val;		/* private: what the page holds */
};

struct mmodel {
	struct mm_struct *mm;
	struct mpage p[NPAGES];
};

static struct {
	struct test_arena arena;
	struct kmalloc_set ks;
	struct mmodel m[NMM];
	int nr;
	uint64_t objval[NOBJ][MAXLEN];
	int nobj;
	uint64_t counter;
	struct prng r;
	unsigned long ok_reads, bad_reads, ok_writes, bad_writes, refused;
} s;

static unsigned long va_of(int pg)
{
	return BASE + (unsigned long)pg * PAGE_SIZE;
}

static uint64_t *model_val(struct mpage *p)
{
	return p->obj < 0 ? &p->val : &s.objval[p->obj][p->off];
}

static void pick_range(int *start, int *len)
{
	*start = (int)prng_below(&s.r, NPAGES);
	*len = 1 + (int)prng_below(&s.r, MAXLEN);
	if (*start + *len > NPAGES)
		*len = NPAGES - *start;
}

static bool any_unmapped(struct mmodel *m, int start, int len)
{
	for (int i = start; i < start + len; i++)
		if (!m->p[i].mapped)
			return true;
	return false;
}

static bool any_mapped(struct mmodel *m, int start, int len)
{
	for (int i = start; i < start + len; i++)
		if (m->p[i].mapped)
			return true;
	return false;
}

/* Read both ends of the page; both must be the model's value. */
static void check_read(struct kunit *test, struct mmodel *m, int pg, int step)
{
	struct mpage *p = &m->p[pg];
	bool want = p->mapped && (p->prot & (PROT_READ | PROT_WRITE | PROT_EXEC));
	uint64_t a = ~0ULL, b = ~0ULL;
	size_t na = access_remote_vm(m->mm, va_of(pg), &a, 8, false);
	size_t nb = access_remote_vm(m->mm, va_of(pg) + PAGE_SIZE - 8, &b, 8, false);

	if ((na == 8) != want || (nb == 8) != want)
		kunit_info(test, "step %d: read of page %d: %zu bytes, model says %s",
			   step, pg, na, want ? "readable" : "not");
	KUNIT_ASSERT_EQ(test, na == 8, want);
	KUNIT_ASSERT_EQ(test, nb == 8, want);
	if (!want) {
		s.bad_reads++;
		return;
	}
	s.ok_reads++;
	if (a != *model_val(p) || b != *model_val(p))
		kunit_info(test, "step %d: page %d holds %llx/%llx, model %llx",
			   step, pg, (unsigned long long)a,
			   (unsigned long long)b,
			   (unsigned long long)*model_val(p));
	KUNIT_ASSERT_EQ(test, a, *model_val(p));
	KUNIT_ASSERT_EQ(test, b, *model_val(p));
}

static void check_mm(struct kunit *test, struct mmodel *m, int step)
{
	unsigned long mapped = 0;

	KUNIT_ASSERT_TRUE(test, gap_tree_check(&m->mm->vmas, "vm_model"));
	for (int pg = 0; pg < NPAGES; pg++) {
		mapped += m->p[pg].mapped;
		check_read(test, m, pg, step);
	}
	KUNIT_ASSERT_EQ(test, m->mm->total_vm, mapped);
}

static void op_mmap(struct kunit *test, struct mmodel *m)
{
	int start, len;
	unsigned int prot = (unsigned int)prng_below(&s.r, 8);
	bool shared = prng_below(&s.r, 4) == 0;
	bool noreplace = prng_below(&s.r, 5) == 0;
	unsigned long flags = MAP_ANONYMOUS | (shared ? MAP_SHARED : MAP_PRIVATE) |
			      (noreplace ? MAP_FIXED_NOREPLACE : MAP_FIXED);
	long r;

	pick_range(&start, &len);
	r = do_mmap(m->mm, va_of(start), (unsigned long)len * PAGE_SIZE, prot,
		    flags, 0);
	if (noreplace && any_mapped(m, start, len)) {
		KUNIT_ASSERT_EQ(test, r, (long)-EEXIST);
		s.refused++;
		return;
	}
	KUNIT_ASSERT_EQ(test, r, (long)va_of(start));
	if (shared)
		memset(s.objval[s.nobj], 0, sizeof(s.objval[0]));
	for (int i = 0; i < len; i++) {
		struct mpage *p = &m->p[start + i];

		p->mapped = true;
		p->prot = prot;
		p->obj = shared ? s.nobj : -1;
		p->off = (unsigned int)i;
		p->val = 0;
	}
	if (shared)
		s.nobj++;
}

static void op_munmap(struct kunit *test, struct mmodel *m)
{
	int start, len;

	pick_range(&start, &len);
	KUNIT_ASSERT_EQ(test, do_munmap(m->mm, va_of(start),
					(unsigned long)len * PAGE_SIZE), 0);
	for (int i = start; i < start + len; i++)
		m->p[i].mapped = false;
}

static void op_mprotect(struct kunit *test, struct mmodel *m)
{
	int start, len;
	unsigned int prot = (unsigned int)prng_below(&s.r, 8);
	int r;

	pick_range(&start, &len);
	r = do_mprotect(m->mm, va_of(start), (unsigned long)len * PAGE_SIZE, prot);
	if (any_unmapped(m, start, len)) {
		KUNIT_ASSERT_EQ(test, r, -ENOMEM);	/* nothing changed */
		s.refused++;
		return;
	}
	KUNIT_ASSERT_EQ(test, r, 0);
	for (int i = start; i < start + len; i++)
		m->p[i].prot = prot;
}

static void op_madvise(struct kunit *test, struct mmodel *m)
{
	int start, len, r;

	pick_range(&start, &len);
	r = do_madvise(m->mm, va_of(start), (unsigned long)len * PAGE_SIZE,
		       MADV_DONTNEED);
	KUNIT_ASSERT_EQ(test, r, any_unmapped(m, start, len) ? -ENOMEM : 0);
	for (int i = start; i < start + len; i++)
		if (m->p[i].mapped && m->p[i].obj < 0)
			m->p[i].val = 0;	/* private: zero-filled again */
}

static void op_write(struct kunit *test, struct mmodel *m, int step)
{
	int pg = (int)prng_below(&s.r, NPAGES);
	struct mpage *p = &m->p[pg];
	bool want = p->mapped && (p->prot & PROT_WRITE);
	uint64_t v = ++s.counter;
	size_t na = access_remote_vm(m->mm, va_of(pg), &v, 8, true);
	size_t nb = access_remote_vm(m->mm, va_of(pg) + PAGE_SIZE - 8, &v, 8, true);

	if ((na == 8) != want)
		kunit_info(test, "step %d: write to page %d: %zu bytes, model "
			   "says %s", step, pg, na, want ? "writable" : "not");
	KUNIT_ASSERT_EQ(test, na == 8, want);
	KUNIT_ASSERT_EQ(test, nb == 8, want);
	if (want) {
		*model_val(p) = v;
		s.ok_writes++;
	} else {
		s.bad_writes++;
	}
}

static void op_fork(struct kunit *test, struct mmodel *m)
{
	struct mmodel *c;

	if (s.nr == NMM)
		return;
	c = &s.m[s.nr];
	*c = *m;
	c->mm = dup_mm(m->mm);
	KUNIT_ASSERT_NOT_NULL(test, c->mm);
	s.nr++;
}

static void op_exit(int i)
{
	if (s.nr == 1)
		return;
	mmput(s.m[i].mm);
	s.m[i] = s.m[--s.nr];
}

static void vm_random_ops_match_model(struct kunit *test)
{
	memset(&s, 0, sizeof(s));
	prng_seed(&s.r, test->seed);
	KUNIT_ASSERT_TRUE(test, test_arena_make(test, &s.arena, 0));
	KUNIT_ASSERT_EQ(test, kmalloc_set_init(&s.ks, &s.arena.pgdat, "vmm", 0), 0);
	s.m[0].mm = mm_alloc_node(&s.arena.pgdat, &s.ks);
	KUNIT_ASSERT_NOT_NULL(test, s.m[0].mm);
	s.nr = 1;
	for (int step = 0; step < STEPS; step++) {
		int i = (int)prng_below(&s.r, (uint64_t)s.nr);
		struct mmodel *m = &s.m[i];

		switch (prng_below(&s.r, 16)) {
		case 0: case 1: op_mmap(test, m); break;
		case 2: op_munmap(test, m); break;
		case 3: case 4: op_mprotect(test, m); break;
		case 5: op_madvise(test, m); break;
		case 6: op_fork(test, m); break;
		case 7: op_exit(i); break;
		case 8: case 9: case 10: case 11: op_write(test, m, step); break;
		default:
			check_read(test, m, (int)prng_below(&s.r, NPAGES), step);
			break;
		}
		if (step % 50 == 0)
			for (int j = 0; j < s.nr; j++)
				check_mm(test, &s.m[j], step);
	}
	kunit_info(test, "%d steps: reads %lu ok / %lu refused, writes %lu ok "
		   "/ %lu refused, %lu calls refused, %d shared objects",
		   STEPS, s.ok_reads, s.bad_reads, s.ok_writes, s.bad_writes,
		   s.refused, s.nobj);
	while (s.nr)
		mmput(s.m[--s.nr].mm);
	kmalloc_set_destroy(&s.ks);
	test_arena_done(test, &s.arena);	/* every page back */
}

static struct kunit_case vm_model_cases[] = {
	KUNIT_CASE(vm_random_ops_match_model),
	{}
};

static struct kunit_suite vm_model_suite = {
	.name = "vm_model",
	.test_cases = vm_model_cases,
};
kunit_test_suite(vm_model_suite);
