/*
 * tests/host/vm_model_test.c - address spaces against a model. Several
 * mms (fork relatives) over a window of NPAGES pages get thousands of
 * random operations: mmap (anonymous or of a file, private or shared,
 * MAP_FIXED or MAP_FIXED_NOREPLACE, any protection), munmap, mprotect,
 * madvise (DONTNEED), msync (MS_SYNC), fork (dup_mm), exit (mmput), and
 * reads and writes through access_remote_vm, which faults as a user
 * access would. The model says for each mm and page whether it is
 * mapped, with what protection, and what it is: private anonymous (its
 * own value, copied at fork), a page of a shared anonymous object or of
 * the file through MAP_SHARED (one value for every mm mapping it), or a
 * MAP_PRIVATE page of the file (the file's value until this mm writes
 * it, then its own; DONTNEED gives the file's back). The file lives in
 * the real page cache over an in-memory disk; the model also knows
 * which file pages are dirty, and msync must write exactly those of its
 * range, with the model's bytes. Every operation's result and every
 * value read must be the model's. Every 50 steps all
 * pages of all mms are read back, each mm's gap tree is checked and its
 * total_vm compared. At the end every mm is put and every page and
 * every byte of bookkeeping must be back (the arena's count, the
 * kmalloc set's caches empty), the file is written back and must equal
 * the model, and the file's reference count is back to one. Host only;
 * replay: --seed N.
 */
#include "tests/host/host.h"
#include "tests/suites/test_arena.h"
#include "kernel/kunit.h"
#include "kernel/lib/random.h"
#include "kernel/lib/string.h"
#include "kernel/file.h"
#include "mm/filemap.h"
#include "mm/kmalloc.h"
#include "mm/mm.h"
#include "mm/rmap.h"
#include "mm/slab.h"

#define NMM	4
#define NPAGES	48
#define MAXLEN	8
#define BASE	0x20000000UL
#define STEPS	20000
#define NOBJ	(STEPS + 1)
#define FPAGES	16		/* the file's size in pages (>= MAXLEN) */

enum kind {
	K_ANON,		/* private anonymous: val */
	K_SHM,		/* shared anonymous: objval[obj][off] */
	K_FSHARED,	/* MAP_SHARED of the file: fileval[off] */
	K_FPRIV,	/* MAP_PRIVATE of the file, not written: fileval[off] */
	K_FCOW,		/* MAP_PRIVATE of the file, written: val */
};

struct mpage {
	bool mapped;
	unsigned int prot;	/* PROT_READ | PROT_WRITE | PROT_EXEC */
	enum kind kind;
	int obj;		/* K_SHM: the shared object */
	unsigned int off;	/* page in the object or the file */
	uint64_t val;		/* K_ANON, K_FCOW: what the page holds */
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
	/* The file: the model's bytes (both ends of each page), which pages
	 * are dirty, and the fake disk with the count of pages written. */
	struct address_space mapping;
	struct file file;
	uint64_t fileval[FPAGES];
	bool dirty[FPAGES];
	uint64_t disk[FPAGES];
	int written[FPAGES];
	unsigned long syncs, pages_synced;
} s;

/* ---- the in-memory file system: page i holds disk[i] at both ends */

static int mfs_read_folio(struct file *file, struct page *page)
{
	uint64_t *w = page_address(page);

	(void)file;
	memset(w, 0, PAGE_SIZE);
	if (page->index < FPAGES)
		w[0] = w[PAGE_SIZE / 8 - 1] = s.disk[page->index];
	SetPageUptodate(page);
	unlock_page_wake(page);
	return 0;
}

static int mfs_writepage(struct page *page, struct writeback_control *wbc)
{
	uint64_t *w = page_address(page);

	(void)wbc;
	page_mkclean(page);	/* clear_page_dirty_for_io's part (rmap) */
	set_page_writeback(page);
	unlock_page_wake(page);
	if (page->index < FPAGES) {
		s.disk[page->index] = w[0];
		s.written[page->index]++;
	}
	end_page_writeback(page);
	return 0;
}

static const struct address_space_operations mfs_aops = {
	.read_folio = mfs_read_folio,
	.writepage = mfs_writepage,
};

static int mfs_fsync(struct file *f, loff_t start, loff_t end, int datasync)
{
	(void)datasync;
	return filemap_write_and_wait_range(f->f_mapping, start, end);
}

static const struct file_operations mfs_fops = {
	.mmap = generic_file_mmap,
	.fsync = mfs_fsync,
};

static unsigned long va_of(int pg)
{
	return BASE + (unsigned long)pg * PAGE_SIZE;
}

static uint64_t *model_val(struct mpage *p)
{
	switch (p->kind) {
	case K_SHM:
		return &s.objval[p->obj][p->off];
	case K_FSHARED:
	case K_FPRIV:
		return &s.fileval[p->off];
	default:
		return &p->val;
	}
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
	bool file = prng_below(&s.r, 3) == 0;
	bool noreplace = prng_below(&s.r, 5) == 0;
	unsigned long flags = (file ? 0 : MAP_ANONYMOUS) |
			      (shared ? MAP_SHARED : MAP_PRIVATE) |
			      (noreplace ? MAP_FIXED_NOREPLACE : MAP_FIXED);
	unsigned int pgoff;
	long r;

	pick_range(&start, &len);
	pgoff = (unsigned int)prng_below(&s.r, FPAGES - (unsigned int)len + 1);
	r = do_mmap_file(m->mm, file ? &s.file : NULL, va_of(start),
			 (unsigned long)len * PAGE_SIZE, prot, flags, pgoff);
	if (noreplace && any_mapped(m, start, len)) {
		KUNIT_ASSERT_EQ(test, r, (long)-EEXIST);
		s.refused++;
		return;
	}
	KUNIT_ASSERT_EQ(test, r, (long)va_of(start));
	if (file) {
		for (int i = 0; i < len; i++) {
			struct mpage *p = &m->p[start + i];

			p->mapped = true;
			p->prot = prot;
			p->kind = shared ? K_FSHARED : K_FPRIV;
			p->off = pgoff + (unsigned int)i;
		}
		return;
	}
	if (shared)
		memset(s.objval[s.nobj], 0, sizeof(s.objval[0]));
	for (int i = 0; i < len; i++) {
		struct mpage *p = &m->p[start + i];

		p->mapped = true;
		p->prot = prot;
		p->kind = shared ? K_SHM : K_ANON;
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
	for (int i = start; i < start + len; i++) {
		if (!m->p[i].mapped)
			continue;
		if (m->p[i].kind == K_ANON)
			m->p[i].val = 0;	/* private: zero-filled again */
		if (m->p[i].kind == K_FCOW)
			m->p[i].kind = K_FPRIV;	/* the file's page again */
	}
}

/* MS_SYNC writes exactly the dirty file pages its range maps shared. */
static void op_msync(struct kunit *test, struct mmodel *m, int step)
{
	bool want[FPAGES] = { false };
	int start, len, r;

	pick_range(&start, &len);
	for (int i = start; i < start + len; i++)
		if (m->p[i].mapped && m->p[i].kind == K_FSHARED &&
		    s.dirty[m->p[i].off])
			want[m->p[i].off] = true;
	memset(s.written, 0, sizeof(s.written));
	r = do_msync(m->mm, va_of(start), (unsigned long)len * PAGE_SIZE,
		     MS_SYNC);
	KUNIT_ASSERT_EQ(test, r, any_unmapped(m, start, len) ? -ENOMEM : 0);
	s.syncs++;
	for (int f = 0; f < FPAGES; f++) {
		if (s.written[f] != (want[f] ? 1 : 0))
			kunit_info(test, "step %d: msync wrote file page %d %d "
				   "times, model says %d", step, f,
				   s.written[f], want[f]);
		KUNIT_ASSERT_EQ(test, s.written[f], want[f] ? 1 : 0);
		if (want[f]) {
			KUNIT_ASSERT_EQ(test, s.disk[f], s.fileval[f]);
			s.dirty[f] = false;
			s.pages_synced++;
		}
	}
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
		if (p->kind == K_FPRIV)
			p->kind = K_FCOW;	/* a copy of its own now */
		if (p->kind == K_FSHARED)
			s.dirty[p->off] = true;
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
	address_space_init(&s.mapping, &mfs_aops, &s);
	s.mapping.node = &s.arena.pgdat;
	s.mapping.i_pages.node_cache = xa_node_cache_create(&s.arena.pgdat);
	KUNIT_ASSERT_NOT_NULL(test, s.mapping.i_pages.node_cache);
	s.mapping.size = FPAGES * PAGE_SIZE;
	s.file.f_count = 1;
	s.file.f_flags = O_RDWR;
	s.file.f_op = &mfs_fops;
	s.file.f_mapping = &s.mapping;
	for (int f = 0; f < FPAGES; f++)
		s.disk[f] = s.fileval[f] = 0xf11e0000ULL + (uint64_t)f;
	s.m[0].mm = mm_alloc_node(&s.arena.pgdat, &s.ks);
	KUNIT_ASSERT_NOT_NULL(test, s.m[0].mm);
	s.nr = 1;
	for (int step = 0; step < STEPS; step++) {
		int i = (int)prng_below(&s.r, (uint64_t)s.nr);
		struct mmodel *m = &s.m[i];

		switch (prng_below(&s.r, 17)) {
		case 16: op_msync(test, m, step); break;
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
		   "/ %lu refused, %lu calls refused, %d shared objects, "
		   "%lu msyncs wrote %lu pages",
		   STEPS, s.ok_reads, s.bad_reads, s.ok_writes, s.bad_writes,
		   s.refused, s.nobj, s.syncs, s.pages_synced);
	while (s.nr)
		mmput(s.m[--s.nr].mm);
	/* Every store through a shared mapping reaches the disk. */
	KUNIT_EXPECT_EQ(test, filemap_write_and_wait(&s.mapping), 0);
	for (int f = 0; f < FPAGES; f++)
		KUNIT_EXPECT_EQ(test, s.disk[f], s.fileval[f]);
	KUNIT_EXPECT_EQ(test, s.file.f_count, 1);
	KUNIT_EXPECT_EQ(test, s.mapping.nr_mmaps, 0UL);
	truncate_inode_pages(&s.mapping, 0);
	mapping_forget_dirty(&s.mapping);
	kmem_cache_destroy(s.mapping.i_pages.node_cache);
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
