/*
 * tests/suites/filemap_fault_test.c - file mappings (mm/mm.h do_mmap_file,
 * do_msync) and the reverse map of page-cache pages (mm/rmap.h's file
 * part), over the real page cache (mm/filemap.h) of a small in-memory
 * file system: its "disk" is an array, read_folio copies from it and
 * writepage copies back and logs which page it wrote, so a case can ask
 * what reached the disk. Memory is touched with access_remote_vm(), which
 * faults and sets the accessed and dirty bits as a user access would.
 * Host and kernel, on a private arena: every case ends with every page
 * back and the file's reference count where it started.
 */
#include "tests/suites/test_arena.h"
#include "kernel/file.h"
#include "kernel/lib/string.h"
#include "mm/filemap.h"
#include "mm/kmalloc.h"
#include "mm/lru.h"
#include "mm/mm.h"
#include "mm/slab.h"
#include "mm/rmap.h"
#include "mm/vm_internal.h"	/* pte_update_bits: the CPU's dirty bit */
#include "mm/vmstat.h"

#define NPAGES	8			/* the file's size in pages */
#define A	0x40000000UL		/* where the cases map it */
#define B	0x50000000UL
#define RW	(PROT_READ | PROT_WRITE)
#define SHARED	(MAP_SHARED | MAP_FIXED)
#define PRIVATE	(MAP_PRIVATE | MAP_FIXED)

static struct test_arena arena;
static struct kmalloc_set ks;

/* ------------------------------------------------ the fake file system */

static struct tfs {
	struct address_space mapping;
	struct file file;
	uint8_t disk[NPAGES][PAGE_SIZE];
	int writes[64];			/* page indexes written, in order */
	int nr_writes;
	int reads;
} tfs_store, *fs;

static int tfs_read_folio(struct file *file, struct page *page)
{
	(void)file;
	fs->reads++;
	if (page->index < NPAGES)
		memcpy(page_address(page), fs->disk[page->index], PAGE_SIZE);
	else
		memset(page_address(page), 0, PAGE_SIZE);
	SetPageUptodate(page);
	unlock_page_wake(page);
	return 0;
}

static int tfs_writepage(struct page *page, struct writeback_control *wbc)
{
	(void)wbc;
	/* What clear_page_dirty_for_io does before this (Linux's, and
	 * filemap's once it calls mm/rmap.h; a second call finds nothing):
	 * write-protect the page's shared PTEs so the next store dirties it
	 * again. */
	page_mkclean(page);
	set_page_writeback(page);
	unlock_page_wake(page);
	if (page->index < NPAGES)
		memcpy(fs->disk[page->index], page_address(page), PAGE_SIZE);
	if (fs->nr_writes < (int)ARRAY_SIZE(fs->writes))
		fs->writes[fs->nr_writes] = (int)page->index;
	fs->nr_writes++;
	end_page_writeback(page);
	return 0;
}

static const struct address_space_operations tfs_aops = {
	.read_folio = tfs_read_folio,
	.writepage = tfs_writepage,
	.write_begin = simple_write_begin,
	.write_end = simple_write_end,
};

static int tfs_fsync(struct file *f, loff_t start, loff_t end, int datasync)
{
	(void)datasync;
	return filemap_write_and_wait_range(f->f_mapping, start, end);
}

static void tfs_getattr(struct file *f, struct kstat *st)
{
	(void)f;
	st->mode = S_IFREG | 0644;
	st->dev = (8 << 8) | 1;		/* 08:01 */
	st->ino = 12;
	st->size = fs->mapping.size;
}

static const struct file_operations tfs_fops = {
	.mmap = generic_file_mmap,
	.fsync = tfs_fsync,
	.getattr = tfs_getattr,
};

/* A file of NPAGES pages, page i filled with the byte 'a' + i. */
static int ff_init(struct kunit *test)
{
	if (!test_arena_make(test, &arena, 0))
		return -1;
	if (kmalloc_set_init(&ks, &arena.pgdat, "tff", 0))
		return -1;
	fs = &tfs_store;
	memset(fs, 0, sizeof(*fs));
	for (int i = 0; i < NPAGES; i++)
		memset(fs->disk[i], 'a' + i, PAGE_SIZE);
	address_space_init(&fs->mapping, &tfs_aops, fs);
	fs->mapping.node = &arena.pgdat;
	/* The index's nodes from the arena too (the host's global node has
	 * no memory). */
	fs->mapping.i_pages.node_cache = xa_node_cache_create(&arena.pgdat);
	if (!fs->mapping.i_pages.node_cache)
		return -1;
	fs->mapping.size = NPAGES * PAGE_SIZE;
	fs->file.f_count = 1;		/* ours, never dropped */
	fs->file.f_flags = O_RDWR;
	fs->file.f_op = &tfs_fops;
	fs->file.f_mapping = &fs->mapping;
	fs->file.f_ra.ra_pages = 0;	/* no readahead: exact read counts */
	return 0;
}

static void ff_exit(struct kunit *test)
{
	if (fs) {
		/* Every VMA gave its reference back. */
		KUNIT_EXPECT_EQ(test, fs->file.f_count, 1);
		KUNIT_EXPECT_EQ(test, fs->mapping.nr_mmaps, 0UL);
		truncate_inode_pages(&fs->mapping, 0);
		KUNIT_EXPECT_EQ(test, fs->mapping.nrpages, 0UL);
		mapping_forget_dirty(&fs->mapping);
		kmem_cache_destroy(fs->mapping.i_pages.node_cache);
		fs = NULL;
	}
	kmalloc_set_destroy(&ks);
	test_arena_done(test, &arena);	/* every page came back */
}

/* ----------------------------------------------------------- helpers */

static struct mm_struct *new_mm(struct kunit *test)
{
	struct mm_struct *mm = mm_alloc_node(&arena.pgdat, &ks);

	KUNIT_EXPECT_NOT_NULL(test, mm);
	return mm;
}

static long map(struct mm_struct *mm, unsigned long addr, unsigned long len,
		unsigned long prot, unsigned long flags, unsigned long pgoff)
{
	return do_mmap_file(mm, &fs->file, addr, len, prot, flags, pgoff);
}

/* The byte at va, or -1 when the access fails. */
static int peek(struct mm_struct *mm, unsigned long va)
{
	uint8_t c;

	return access_remote_vm(mm, va, &c, 1, false) == 1 ? c : -1;
}

static bool poke(struct mm_struct *mm, unsigned long va, uint8_t c)
{
	return access_remote_vm(mm, va, &c, 1, true) == 1;
}

/* The byte at off in the page cache (not the disk). */
static int cached(unsigned long off)
{
	struct page *page = find_get_page(&fs->mapping, off >> PAGE_SHIFT);
	int c;

	if (!page)
		return -1;
	c = ((uint8_t *)page_address(page))[off & (PAGE_SIZE - 1)];
	put_page(page);
	return c;
}

/* The page mapped at va of mm (NULL if none), and its PTE's prot. */
static struct page *mapped(struct mm_struct *mm, unsigned long va,
			   unsigned int *prot)
{
	const struct pgtable_fmt *fmt = mm->arch.pgt.fmt;
	uint64_t pte = 0;
	phys_addr_t pa = pgtable_translate(&mm->arch.pgt, va, &pte, NULL);

	if (!fmt->is_present(pte))
		return NULL;
	if (prot)
		*prot = fmt->attrs_to_prot(fmt->leaf_attrs(pte));
	return pfn_to_page(PHYS_PFN(pa));
}

/* Was page i written to the disk since the log was cleared? */
static int written(int i)
{
	int n = 0;

	for (int k = 0; k < fs->nr_writes && k < (int)ARRAY_SIZE(fs->writes); k++)
		n += fs->writes[k] == i;
	return n;
}

/* ------------------------------------------------------------- cases */

/* The man page's errnos for file mappings. */
static void mmap_errnos(struct kunit *test)
{
	struct mm_struct *mm = new_mm(test);
	static const struct file_operations nommap = { .getattr = tfs_getattr };
	struct file plain = { .f_count = 1, .f_flags = O_RDWR, .f_op = &nommap };

	/* No ->mmap: the file cannot be mapped. */
	KUNIT_EXPECT_EQ(test, do_mmap_file(mm, &plain, A, PAGE_SIZE, PROT_READ,
					   SHARED, 0), -ENODEV);
	/* Opened write-only: no map at all. */
	fs->file.f_flags = O_WRONLY;
	KUNIT_EXPECT_EQ(test, map(mm, A, PAGE_SIZE, PROT_READ, PRIVATE, 0),
			-EACCES);
	/* Read-only: a shared writable map is refused, a private one is
	 * fine (its writes never reach the file)... */
	fs->file.f_flags = O_RDONLY;
	KUNIT_EXPECT_EQ(test, map(mm, A, PAGE_SIZE, RW, SHARED, 0), -EACCES);
	KUNIT_EXPECT_EQ(test, map(mm, A, PAGE_SIZE, RW, PRIVATE, 0), (long)A);
	/* ...and a shared read-only one cannot be made writable. */
	KUNIT_EXPECT_EQ(test, map(mm, B, PAGE_SIZE, PROT_READ, SHARED, 0), (long)B);
	KUNIT_EXPECT_EQ(test, do_mprotect(mm, B, PAGE_SIZE, RW), -EACCES);
	fs->file.f_flags = O_RDWR;
	/* The offset must not wrap. */
	KUNIT_EXPECT_EQ(test, map(mm, A, 2 * PAGE_SIZE, PROT_READ, SHARED,
				  ~0UL), -EOVERFLOW);
	/* No file: -EBADF; MAP_ANONYMOUS ignores the file. */
	KUNIT_EXPECT_EQ(test, do_mmap_file(mm, NULL, A, PAGE_SIZE, PROT_READ,
					   SHARED, 0), -EBADF);
	KUNIT_EXPECT_EQ(test, map(mm, 0x60000000UL, PAGE_SIZE, RW,
				  PRIVATE | MAP_ANONYMOUS, 3), 0x60000000L);
	KUNIT_EXPECT_EQ(test, fs->file.f_count, 3);	/* two file VMAs */
	/* msync's own errnos. */
	KUNIT_EXPECT_EQ(test, do_msync(mm, A + 1, PAGE_SIZE, MS_SYNC), -EINVAL);
	KUNIT_EXPECT_EQ(test, do_msync(mm, A, PAGE_SIZE, MS_SYNC | MS_ASYNC),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, do_msync(mm, A, PAGE_SIZE, 8), -EINVAL);
	KUNIT_EXPECT_EQ(test, do_msync(mm, 0x70000000UL, PAGE_SIZE, MS_SYNC),
			-ENOMEM);
	KUNIT_EXPECT_EQ(test, do_msync(mm, A, PAGE_SIZE, MS_SYNC), 0);
	mmput(mm);
}

/* Reads see the file; the maps line names offset, device and inode. */
static void shared_read_and_maps(struct kunit *test)
{
	struct mm_struct *mm = new_mm(test);
	unsigned long maj0 = mm->pgmajfault;
	char line[160];

	KUNIT_EXPECT_EQ(test, map(mm, A, 4 * PAGE_SIZE, PROT_READ, SHARED, 2),
			(long)A);
	KUNIT_EXPECT_EQ(test, peek(mm, A), 'c');
	KUNIT_EXPECT_EQ(test, peek(mm, A + 3 * PAGE_SIZE + 5), 'f');
	KUNIT_EXPECT_EQ(test, mm->pgmajfault - maj0, 2UL);	/* two reads */
	KUNIT_EXPECT_EQ(test, peek(mm, A + 1), 'c');		/* no fault */
	KUNIT_EXPECT_EQ(test, mm->pgmajfault - maj0, 2UL);
	KUNIT_EXPECT_EQ(test, mm->rss[MM_FILEPAGES], 2L);
	KUNIT_EXPECT_EQ(test, mm->rss[MM_ANONPAGES], 0L);
	describe_vma(mm, A, line, sizeof(line));
	KUNIT_EXPECT_STREQ(test, line, "40000000-40004000 r--s 00002000 08:01 12");
	mmput(mm);
}

/* MAP_SHARED: a store reaches the cache, another mapper, and (msync) the
 * disk: exactly the pages stored to, once. */
static void shared_write_and_msync(struct kunit *test)
{
	struct mm_struct *mm = new_mm(test), *other = new_mm(test);
	unsigned int prot = 0;

	KUNIT_EXPECT_EQ(test, map(mm, A, NPAGES * PAGE_SIZE, RW, SHARED, 0),
			(long)A);
	KUNIT_EXPECT_EQ(test, map(other, B, NPAGES * PAGE_SIZE, PROT_READ,
				  SHARED, 0), (long)B);
	/* A read maps the page read-only: the first store must fault. */
	KUNIT_EXPECT_EQ(test, peek(mm, A + PAGE_SIZE), 'b');
	mapped(mm, A + PAGE_SIZE, &prot);
	KUNIT_EXPECT_FALSE(test, prot & PROT_WRITE);
	KUNIT_EXPECT_TRUE(test, poke(mm, A + PAGE_SIZE + 7, 'X'));
	KUNIT_EXPECT_TRUE(test, poke(mm, A + 5 * PAGE_SIZE, 'Y'));
	mapped(mm, A + PAGE_SIZE, &prot);
	KUNIT_EXPECT_TRUE(test, prot & PROT_WRITE);
	KUNIT_EXPECT_EQ(test, cached(PAGE_SIZE + 7), 'X');
	KUNIT_EXPECT_EQ(test, peek(other, B + PAGE_SIZE + 7), 'X');
	KUNIT_EXPECT_EQ(test, peek(other, B + 5 * PAGE_SIZE), 'Y');
	KUNIT_EXPECT_EQ(test, fs->disk[1][7], 'b');	/* not yet */
	KUNIT_EXPECT_TRUE(test, PageDirty(mapped(mm, A + PAGE_SIZE, NULL)));

	/* MS_ASYNC starts nothing here; MS_SYNC writes pages 1 and 5. */
	fs->nr_writes = 0;
	KUNIT_EXPECT_EQ(test, do_msync(mm, A, NPAGES * PAGE_SIZE, MS_ASYNC), 0);
	KUNIT_EXPECT_EQ(test, fs->nr_writes, 0);
	KUNIT_EXPECT_EQ(test, do_msync(mm, A, NPAGES * PAGE_SIZE, MS_SYNC), 0);
	KUNIT_EXPECT_EQ(test, fs->nr_writes, 2);
	KUNIT_EXPECT_EQ(test, written(1), 1);
	KUNIT_EXPECT_EQ(test, written(5), 1);
	KUNIT_EXPECT_EQ(test, fs->disk[1][7], 'X');
	KUNIT_EXPECT_EQ(test, fs->disk[5][0], 'Y');
	/* Clean now: the PTE was write-protected, so the next store faults
	 * and dirties the page again; an msync with nothing new writes
	 * nothing. */
	mapped(mm, A + PAGE_SIZE, &prot);
	KUNIT_EXPECT_FALSE(test, prot & PROT_WRITE);
	KUNIT_EXPECT_EQ(test, do_msync(mm, A, NPAGES * PAGE_SIZE, MS_SYNC), 0);
	KUNIT_EXPECT_EQ(test, fs->nr_writes, 2);
	KUNIT_EXPECT_TRUE(test, poke(mm, A + PAGE_SIZE, 'Z'));
	KUNIT_EXPECT_EQ(test, do_msync(mm, A + PAGE_SIZE, 1, MS_SYNC), 0);
	KUNIT_EXPECT_EQ(test, fs->nr_writes, 3);
	KUNIT_EXPECT_EQ(test, fs->disk[1][0], 'Z');
	mmput(other);
	mmput(mm);
}

/* MAP_PRIVATE: stores make a private copy; the file and other mappers
 * keep the file's bytes. munmap of a dirty shared page keeps its data. */
static void private_cow(struct kunit *test)
{
	struct mm_struct *mm = new_mm(test), *other = new_mm(test);
	struct page *cache_page;

	KUNIT_EXPECT_EQ(test, map(mm, A, 2 * PAGE_SIZE, RW, PRIVATE, 0), (long)A);
	KUNIT_EXPECT_EQ(test, map(other, B, 2 * PAGE_SIZE, RW, SHARED, 0), (long)B);
	KUNIT_EXPECT_EQ(test, peek(mm, A), 'a');
	cache_page = mapped(mm, A, NULL);
	KUNIT_EXPECT_TRUE(test, cache_page && !PageAnon(cache_page));
	KUNIT_EXPECT_EQ(test, mm->rss[MM_FILEPAGES], 1L);
	KUNIT_EXPECT_TRUE(test, poke(mm, A + 3, 'P'));
	KUNIT_EXPECT_TRUE(test, PageAnon(mapped(mm, A, NULL)));
	KUNIT_EXPECT_EQ(test, mm->rss[MM_FILEPAGES], 0L);
	KUNIT_EXPECT_EQ(test, mm->rss[MM_ANONPAGES], 1L);
	KUNIT_EXPECT_EQ(test, peek(mm, A + 3), 'P');
	KUNIT_EXPECT_EQ(test, peek(mm, A + 4), 'a');	/* the copy */
	KUNIT_EXPECT_EQ(test, cached(3), 'a');
	KUNIT_EXPECT_EQ(test, peek(other, B + 3), 'a');
	/* A first access that is a store copies at once. */
	KUNIT_EXPECT_TRUE(test, poke(mm, A + PAGE_SIZE, 'Q'));
	KUNIT_EXPECT_EQ(test, cached(PAGE_SIZE), 'b');
	/* A shared store after the private copy is not seen privately. */
	KUNIT_EXPECT_TRUE(test, poke(other, B + 4, 'S'));
	KUNIT_EXPECT_EQ(test, peek(mm, A + 4), 'a');
	/* munmap of the shared mapping moves nothing but keeps the dirty
	 * data in the cache, and fsync writes it. */
	KUNIT_EXPECT_EQ(test, do_munmap(other, B, 2 * PAGE_SIZE), 0);
	KUNIT_EXPECT_EQ(test, cached(4), 'S');
	fs->nr_writes = 0;
	KUNIT_EXPECT_EQ(test, filemap_write_and_wait(&fs->mapping), 0);
	KUNIT_EXPECT_EQ(test, written(0), 1);
	KUNIT_EXPECT_EQ(test, fs->disk[0][4], 'S');
	KUNIT_EXPECT_EQ(test, fs->disk[0][3], 'a');
	mmput(other);
	mmput(mm);
}

/* fork: a shared file mapping stays shared; a private one keeps the
 * cache's pages read-only in both until one of them stores. */
static void fork_file_mappings(struct kunit *test)
{
	struct mm_struct *p = new_mm(test), *c;

	KUNIT_EXPECT_EQ(test, map(p, A, PAGE_SIZE, RW, SHARED, 0), (long)A);
	KUNIT_EXPECT_EQ(test, map(p, B, PAGE_SIZE, RW, PRIVATE, 1), (long)B);
	KUNIT_EXPECT_EQ(test, peek(p, A), 'a');
	KUNIT_EXPECT_EQ(test, peek(p, B), 'b');
	c = dup_mm(p);
	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_EXPECT_EQ(test, fs->file.f_count, 5);
	KUNIT_EXPECT_EQ(test, fs->mapping.nr_mmaps, 4UL);
	KUNIT_EXPECT_TRUE(test, mapped(c, B, NULL) == mapped(p, B, NULL));
	KUNIT_EXPECT_EQ(test, page_mapcount(mapped(c, B, NULL)), 2);
	KUNIT_EXPECT_TRUE(test, poke(c, A, 'C'));
	KUNIT_EXPECT_EQ(test, peek(p, A), 'C');
	KUNIT_EXPECT_TRUE(test, poke(c, B, 'D'));
	KUNIT_EXPECT_EQ(test, peek(p, B), 'b');
	KUNIT_EXPECT_EQ(test, cached(PAGE_SIZE), 'b');
	mmput(c);
	KUNIT_EXPECT_EQ(test, fs->file.f_count, 3);
	mmput(p);
}

/* Splits keep each page at its file offset; merge joins them back. */
static void split_and_merge(struct kunit *test)
{
	struct mm_struct *mm = new_mm(test);

	KUNIT_EXPECT_EQ(test, map(mm, A, 6 * PAGE_SIZE, RW, SHARED, 1), (long)A);
	KUNIT_EXPECT_EQ(test, do_mprotect(mm, A + 2 * PAGE_SIZE, PAGE_SIZE,
					  PROT_READ), 0);
	KUNIT_EXPECT_EQ(test, mm->map_count, 3UL);
	KUNIT_EXPECT_EQ(test, fs->mapping.nr_mmaps, 3UL);
	KUNIT_EXPECT_EQ(test, peek(mm, A + 2 * PAGE_SIZE), 'd');
	KUNIT_EXPECT_FALSE(test, poke(mm, A + 2 * PAGE_SIZE, 'x'));
	KUNIT_EXPECT_TRUE(test, poke(mm, A + 4 * PAGE_SIZE, 'x'));
	KUNIT_EXPECT_EQ(test, cached(5 * PAGE_SIZE), 'x');
	KUNIT_EXPECT_EQ(test, do_mprotect(mm, A + 2 * PAGE_SIZE, PAGE_SIZE,
					  RW), 0);
	KUNIT_EXPECT_EQ(test, mm->map_count, 1UL);
	KUNIT_EXPECT_EQ(test, fs->mapping.nr_mmaps, 1UL);
	/* Part of it unmapped: the rest keeps its offsets. */
	KUNIT_EXPECT_EQ(test, do_munmap(mm, A, 3 * PAGE_SIZE), 0);
	KUNIT_EXPECT_EQ(test, peek(mm, A + 3 * PAGE_SIZE), 'e');
	KUNIT_EXPECT_EQ(test, fs->file.f_count, 2);
	mmput(mm);
}

/* Beyond the end of the file: SIGBUS; truncate unmaps what it drops. */
static void truncate_and_sigbus(struct kunit *test)
{
	struct mm_struct *mm = new_mm(test);
	struct page *page;

	KUNIT_EXPECT_EQ(test, map(mm, A, (NPAGES + 2) * PAGE_SIZE, RW, SHARED, 0),
			(long)A);
	KUNIT_EXPECT_EQ(test, (int)handle_mm_fault(mm, A + NPAGES * PAGE_SIZE,
					      FAULT_READ), (int)VM_FAULT_BUS);
	KUNIT_EXPECT_EQ(test, peek(mm, A + (NPAGES - 1) * PAGE_SIZE), 'h');
	KUNIT_EXPECT_TRUE(test, poke(mm, A + (NPAGES - 2) * PAGE_SIZE, 'T'));
	page = mapped(mm, A + (NPAGES - 1) * PAGE_SIZE, NULL);
	KUNIT_ASSERT_NOT_NULL(test, page);
	/* Linux's truncate_pagecache: the new size, unmap, drop the pages
	 * (filemap's calls unmap_mapping_pages itself once file mappings are
	 * merged; doing it here too is harmless). */
	fs->mapping.size = (NPAGES - 2) * PAGE_SIZE;
	unmap_mapping_pages(&fs->mapping, NPAGES - 2, ~0UL - (NPAGES - 2));
	truncate_pagecache(&fs->mapping, (NPAGES - 2) * PAGE_SIZE);
	KUNIT_EXPECT_NULL(test, mapped(mm, A + (NPAGES - 1) * PAGE_SIZE, NULL));
	KUNIT_EXPECT_NULL(test, mapped(mm, A + (NPAGES - 2) * PAGE_SIZE, NULL));
	KUNIT_EXPECT_EQ(test, (int)handle_mm_fault(mm, A + (NPAGES - 2) * PAGE_SIZE,
					      FAULT_READ), (int)VM_FAULT_BUS);
	KUNIT_EXPECT_EQ(test, peek(mm, A), 'a');
	KUNIT_EXPECT_EQ(test, mm->rss[MM_FILEPAGES], 1L);
	mmput(mm);
}

/* ------------------------------------------------------- rmap of files */

/* page_referenced counts the PTEs whose accessed bit was set, and clears
 * them; every PTE of every mapper is found. */
static void rmap_referenced(struct kunit *test)
{
	struct mm_struct *m1 = new_mm(test), *m2 = new_mm(test);
	unsigned long flags;
	struct page *page;

	KUNIT_EXPECT_EQ(test, map(m1, A, 2 * PAGE_SIZE, PROT_READ, SHARED, 0),
			(long)A);
	KUNIT_EXPECT_EQ(test, map(m1, B, PAGE_SIZE, PROT_READ, PRIVATE, 1),
			(long)B);
	KUNIT_EXPECT_EQ(test, map(m2, A, PAGE_SIZE, PROT_READ, SHARED, 1),
			(long)A);
	KUNIT_EXPECT_EQ(test, peek(m1, A + PAGE_SIZE), 'b');
	KUNIT_EXPECT_EQ(test, peek(m1, B), 'b');
	KUNIT_EXPECT_EQ(test, peek(m2, A), 'b');
	page = mapped(m1, B, NULL);
	KUNIT_EXPECT_EQ(test, page_mapcount(page), 3);
	lock_page(page);
	KUNIT_EXPECT_EQ(test, page_referenced(page, &flags), 3);
	KUNIT_EXPECT_TRUE(test, flags & VM_SHARED);
	KUNIT_EXPECT_EQ(test, page_referenced(page, &flags), 0);
	unlock_page_wake(page);
	KUNIT_EXPECT_EQ(test, peek(m2, A), 'b');	/* one new access */
	lock_page(page);
	KUNIT_EXPECT_EQ(test, page_referenced(page, &flags), 1);
	/* Idle tracking's PG_young counts once, and goes; a reference
	 * found ends PG_idle. */
	SetPageYoung(page);
	SetPageIdle(page);
	KUNIT_EXPECT_EQ(test, page_referenced(page, &flags), 1);
	KUNIT_EXPECT_FALSE(test, PageYoung(page));
	KUNIT_EXPECT_EQ(test, page_referenced(page, &flags), 0);
	KUNIT_EXPECT_TRUE(test, PageIdle(page));
	KUNIT_EXPECT_EQ(test, peek(m2, A), 'b');
	KUNIT_EXPECT_EQ(test, page_referenced(page, &flags), 1);
	KUNIT_EXPECT_FALSE(test, PageIdle(page));
	unlock_page_wake(page);
	mmput(m2);
	mmput(m1);
}

/* try_to_unmap leaves no PTE, moves dirty bits to the page and drops the
 * rss; page_mkclean write-protects so the next store faults. */
static void rmap_unmap_and_mkclean(struct kunit *test)
{
	struct mm_struct *m1 = new_mm(test), *m2 = new_mm(test);
	unsigned long faults;
	unsigned int prot = 0;
	struct page *page;

	KUNIT_EXPECT_EQ(test, map(m1, A, PAGE_SIZE, RW, SHARED, 3), (long)A);
	KUNIT_EXPECT_EQ(test, map(m2, B, PAGE_SIZE, RW, SHARED, 3), (long)B);
	KUNIT_EXPECT_TRUE(test, poke(m1, A, 'M'));
	KUNIT_EXPECT_TRUE(test, poke(m2, B + 1, 'N'));
	page = mapped(m1, A, NULL);
	KUNIT_ASSERT_NOT_NULL(test, page);

	/* mkclean: both PTEs were dirty; both now read-only and clean. */
	lock_page(page);
	KUNIT_EXPECT_EQ(test, page_mkclean(page), 2);
	KUNIT_EXPECT_EQ(test, page_mkclean(page), 0);
	unlock_page_wake(page);
	mapped(m2, B, &prot);
	KUNIT_EXPECT_FALSE(test, prot & PROT_WRITE);
	faults = m2->pgfault;
	KUNIT_EXPECT_TRUE(test, poke(m2, B + 2, 'O'));
	KUNIT_EXPECT_EQ(test, m2->pgfault - faults, 1UL);

	/* try_to_unmap: none left, the rss follows, the data stays. The
	 * page is cleaned first (as writeback would) and the CPU then sets
	 * one PTE's dirty bit: it must reach the page. */
	lock_page(page);
	KUNIT_EXPECT_TRUE(test, clear_page_dirty_for_io(page));
	KUNIT_EXPECT_FALSE(test, PageDirty(page));
	pte_update_bits(m2, B, 0, m2->arch.pgt.fmt->dirty_bit);
	KUNIT_EXPECT_TRUE(test, try_to_unmap(page));
	KUNIT_EXPECT_TRUE(test, PageDirty(page));
	unlock_page_wake(page);
	KUNIT_EXPECT_FALSE(test, page_mapped(page));
	KUNIT_EXPECT_NULL(test, mapped(m1, A, NULL));
	KUNIT_EXPECT_NULL(test, mapped(m2, B, NULL));
	KUNIT_EXPECT_EQ(test, m1->rss[MM_FILEPAGES], 0L);
	KUNIT_EXPECT_EQ(test, m2->rss[MM_FILEPAGES], 0L);
	KUNIT_EXPECT_EQ(test, peek(m1, A + 2), 'O');
	/* A private COW copy is anonymous: try_to_unmap does not take it
	 * (no swap yet). */
	KUNIT_EXPECT_EQ(test, map(m1, 0x60000000UL, PAGE_SIZE, RW, PRIVATE, 0),
			0x60000000L);
	KUNIT_EXPECT_TRUE(test, poke(m1, 0x60000000UL, 'p'));
	KUNIT_EXPECT_FALSE(test, try_to_unmap(mapped(m1, 0x60000000UL, NULL)));
	mmput(m2);
	mmput(m1);
}

/* MADV_COLD moves the range's pages, file and anonymous, to the
 * inactive lists. */
static void madv_cold(struct kunit *test)
{
	struct mm_struct *mm = new_mm(test);
	struct page *page;

	KUNIT_EXPECT_EQ(test, map(mm, A, PAGE_SIZE, PROT_READ, PRIVATE, 0), (long)A);
	KUNIT_EXPECT_EQ(test, peek(mm, A), 'a');
	page = mapped(mm, A, NULL);
	KUNIT_ASSERT_NOT_NULL(test, page);
	mark_page_accessed(page);
	mark_page_accessed(page);
	KUNIT_EXPECT_TRUE(test, PageActive(page));
	KUNIT_EXPECT_EQ(test, do_madvise(mm, A, PAGE_SIZE, MADV_COLD), 0);
	KUNIT_EXPECT_FALSE(test, PageActive(page));
	KUNIT_EXPECT_TRUE(test, PageLRU(page));
	/* A private anonymous page goes to the (anon) LRU from its fault on
	 * (through this CPU's add batch), and MADV_COLD moves it too. */
	KUNIT_EXPECT_EQ(test, map(mm, B, PAGE_SIZE, RW, PRIVATE | MAP_ANONYMOUS,
				  0), (long)B);
	KUNIT_EXPECT_TRUE(test, poke(mm, B, 1));
	page = mapped(mm, B, NULL);
	KUNIT_ASSERT_NOT_NULL(test, page);
	lru_add_drain_all();
	KUNIT_EXPECT_TRUE(test, PageLRU(page) && PageSwapBacked(page));
	mark_page_accessed(page);
	mark_page_accessed(page);
	KUNIT_EXPECT_TRUE(test, PageActive(page));
	KUNIT_EXPECT_EQ(test, do_madvise(mm, B, PAGE_SIZE, MADV_COLD), 0);
	KUNIT_EXPECT_FALSE(test, PageActive(page));
	mmput(mm);
}

static struct kunit_case filemap_fault_cases[] = {
	KUNIT_CASE(mmap_errnos),
	KUNIT_CASE(shared_read_and_maps),
	KUNIT_CASE(shared_write_and_msync),
	KUNIT_CASE(private_cow),
	KUNIT_CASE(fork_file_mappings),
	KUNIT_CASE(split_and_merge),
	KUNIT_CASE(truncate_and_sigbus),
	KUNIT_CASE(rmap_referenced),
	KUNIT_CASE(rmap_unmap_and_mkclean),
	KUNIT_CASE(madv_cold),
	{}
};

static struct kunit_suite filemap_fault_suite = {
	.name = "filemap_fault",
	.init = ff_init,
	.exit = ff_exit,
	.test_cases = filemap_fault_cases,
};
kunit_test_suite(filemap_fault_suite);
