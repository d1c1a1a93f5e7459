/*
 * tests/suites/swap_test.c - swap (mm/swap.h) end to end on a private
 * arena, host and kernel: a RAM "disk" registered as a swap backend
 * (ram0: a swap header like mkswap's, 127 slots, errors on demand) takes
 * the arena's anonymous pages. Each case checks what the PTEs hold (swap
 * entries with the right slot references), what the backend saw (one
 * write per page, reads by readahead window), and that every byte comes
 * back: after MADV_PAGEOUT, after fork (one slot, one page for both),
 * through write and read errors, when swap is full, across munmap and
 * exit (slots freed), and through swapoff.
 */
#include "tests/suites/test_arena.h"
#include "tests/suites/vfs_testfs.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vsprintf.h"
#include "kernel/sysctl.h"
#include "mm/gup.h"
#include "mm/kmalloc.h"
#include "mm/lru.h"
#include "mm/migrate.h"
#include "mm/mm.h"
#include "mm/pgtable.h"
#include "mm/shared_anon.h"
#include "mm/swap.h"
#include "mm/vm_internal.h"
#include "mm/vmscan.h"
#include "mm/vmstat.h"

#define RAM_SLOTS	128		/* slot 0 is the header */
#define A		0x40000000UL
#define PRIV		(MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED)
#define RW		(PROT_READ | PROT_WRITE)

struct ram_swap {
	struct swap_backend sb;
	struct page *slot[RAM_SLOTS];
	unsigned long writes, reads;	/* requests */
	unsigned long pages_written, pages_read;
	bool fail_writes, fail_reads;
	int refuse_writes;		/* submit() returns it: not started */
	unsigned int refuse_reads;	/* the next this many reads: -EAGAIN */
	unsigned long refused_reads;
	unsigned long flushes_at_write;	/* tlb_batch_flush events at the
					 * last write's submit */
	bool stalled;			/* ->stalled says so */
	void (*before_read)(void);	/* once, at the next read's submit */
	void (*at_write)(void);		/* at every write's submit */
};

static struct test_arena arena;
/* The RAM disks' slots: a second arena, so the suite needs nothing of the
 * global node (it runs alone on the host too) and the first one's counts
 * are the processes' pages only. */
static struct test_arena disk_arena;
static struct kmalloc_set ks;
static struct ram_swap ram0, ram1;

/* A header as util-linux's mkswap writes it (version 1, no bad pages). */
static void write_header(struct page *page, unsigned int last_page,
			 const char *magic)
{
	uint8_t *p = page_address(page);
	uint32_t v;

	memset(p, 0, PAGE_SIZE);
	v = 1;
	memcpy(p + 1024, &v, 4);		/* version */
	v = last_page;
	memcpy(p + 1028, &v, 4);		/* last_page */
	memcpy(p + PAGE_SIZE - 10, magic, 10);
}

/* Completes at once, in submit (end_io runs before submit returns). */
static int ram_submit(struct swap_backend *sb, struct swap_io *io)
{
	struct ram_swap *r = sb->priv;

	if (io->slot + io->nr > RAM_SLOTS)
		return -EINVAL;
	if (io->write && r->refuse_writes)
		return r->refuse_writes;
	if (!io->write && r->before_read) {
		void (*fn)(void) = r->before_read;

		r->before_read = NULL;
		fn();
	}
	if (!io->write && r->refuse_reads) {
		r->refuse_reads--;
		r->refused_reads++;
		return -EAGAIN;
	}
	if (io->write && r->at_write)
		r->at_write();
	if (io->write) {
		r->flushes_at_write = global_vm_event(TLB_BATCH_FLUSH);
		r->writes++;
		r->pages_written += io->nr;
	} else {
		r->reads++;
		r->pages_read += io->nr;
	}
	io->status = 0;
	if (io->write ? r->fail_writes : r->fail_reads)
		io->status = -EIO;
	else
		for (unsigned int i = 0; i < io->nr; i++) {
			void *slot = page_address(r->slot[io->slot + i]);
			void *mem = page_address(io->pages[i]);

			if (io->write)
				memcpy(slot, mem, PAGE_SIZE);
			else
				memcpy(mem, slot, PAGE_SIZE);
		}
	io->end_io(io);
	return 0;
}

static int ram_read_header(struct swap_backend *sb, struct page *page)
{
	struct ram_swap *r = sb->priv;

	memcpy(page_address(page), page_address(r->slot[0]), PAGE_SIZE);
	return 0;
}

static bool ram_stalled(struct swap_backend *sb)
{
	return ((struct ram_swap *)sb->priv)->stalled;
}

static void ram_release(struct swap_backend *sb)
{
	(void)sb;		/* static: nothing to free */
}

static struct swap_backend *ram_lookup(const char *name, char *why,
				       size_t whylen)
{
	(void)why;
	(void)whylen;
	if (!strcmp(name, "ram0"))
		return &ram0.sb;
	if (!strcmp(name, "ram1"))
		return &ram1.sb;
	return NULL;
}

static struct swap_backend_lookup ram_lookups = { .lookup = ram_lookup };

static bool ram_make(struct ram_swap *r, const char *name)
{
	memset(r, 0, sizeof(*r));
	for (int i = 0; i < RAM_SLOTS; i++) {
		r->slot[i] = alloc_pages_node(&disk_arena.pgdat,
					      GFP_KERNEL | __GFP_ZERO, 0);
		if (!r->slot[i])
			return false;
	}
	write_header(r->slot[0], RAM_SLOTS - 1, "SWAPSPACE2");
	strlcpy(r->sb.name, name, sizeof(r->sb.name));
	r->sb.nr_bytes = (uint64_t)RAM_SLOTS * PAGE_SIZE;
	r->sb.max_pages = SWAP_IO_MAX_PAGES;
	r->sb.submit = ram_submit;
	r->sb.read_header = ram_read_header;
	r->sb.release = ram_release;
	r->sb.stalled = ram_stalled;
	r->sb.priv = r;
	return true;
}

static void ram_free(struct ram_swap *r)
{
	for (int i = 0; i < RAM_SLOTS; i++)
		if (r->slot[i])
			__free_page(r->slot[i]);
}

static int swap_suite_init(struct kunit *test)
{
	static bool registered;
	char why[128];
	int r;

	if (!registered) {
		swap_register_backend_lookup(&ram_lookups);
		registered = true;
	}
	/* swapon's tables come from the global node: on the host it exists
	 * only once a suite has made it (this one may run alone). */
	if (!vfs_test_ensure_mm())
		return -1;
	if (!test_arena_make(test, &arena, 0) ||
	    !test_arena_make(test, &disk_arena, 0))
		return -1;
	if (kmalloc_set_init(&ks, &arena.pgdat, "tswap", 0))
		return -1;
	if (!ram_make(&ram0, "ram0") || !ram_make(&ram1, "ram1"))
		return -1;
	/* Above any disk the machine swaps to: the arena's pages go here. */
	r = swapon("ram0", SWAP_FLAG_PRIO_MASK, why, sizeof(why));
	if (r)
		kunit_info(test, "swapon ram0: %s (%d)", why, r);
	return r;
}

static void swap_suite_exit(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, swapoff("ram0"), 0);
	ram_free(&ram0);
	ram_free(&ram1);
	kmalloc_set_destroy(&ks);
	test_arena_done(test, &disk_arena);
	test_arena_done(test, &arena);
}

/* ---------------------------------------------------------------- helpers */

static uint64_t val(unsigned int i, unsigned int gen)
{
	return 0x5157a9000000ULL + ((uint64_t)gen << 16) + i;
}

static bool poke(struct mm_struct *mm, unsigned long va, uint64_t x)
{
	return access_remote_vm(mm, va, &x, sizeof(x), true) == sizeof(x);
}

static uint64_t peek(struct mm_struct *mm, unsigned long va)
{
	uint64_t x = 0;

	access_remote_vm(mm, va, &x, sizeof(x), false);
	return x;
}

/* The entry at va (0 if a page or nothing is mapped there). */
static swp_entry_t pte_entry(struct mm_struct *mm, unsigned long va)
{
	const struct pgtable_fmt *fmt = mm->arch.pgt.fmt;
	uint64_t pte = 0;

	pgtable_translate(&mm->arch.pgt, va, &pte, NULL);
	if (!pte || fmt->is_present(pte))
		return (swp_entry_t){ 0 };
	return payload_to_swp_entry(fmt->nonpresent_payload(pte));
}

static phys_addr_t pte_page(struct mm_struct *mm, unsigned long va)
{
	uint64_t pte = 0;
	phys_addr_t pa = pgtable_translate(&mm->arch.pgt, va, &pte, NULL);

	return mm->arch.pgt.fmt->is_present(pte) ? pa : (phys_addr_t)-1;
}

static unsigned int ram0_type(void)
{
	for (unsigned int t = 0; t < MAX_SWAPFILES; t++) {
		struct swap_info_struct *si = swap_info_get(swp_entry(t, 1));

		if (si && si->backend == &ram0.sb)
			return t;
	}
	return MAX_SWAPFILES;
}

/* A new mm with a mapping of n anonymous pages at A (flags: private or
 * shared), page i holding val(i, 0). */
static struct mm_struct *mm_with_mapping(struct kunit *test, unsigned int n,
					 unsigned long flags)
{
	struct mm_struct *mm = mm_alloc_node(&arena.pgdat, &ks);

	if (!mm)
		return NULL;
	if (do_mmap(mm, A, n * PAGE_SIZE, RW, flags, 0) != (long)A) {
		mmput(mm);
		return NULL;
	}
	for (unsigned int i = 0; i < n; i++)
		if (!poke(mm, A + i * PAGE_SIZE, val(i, 0)))
			KUNIT_FAIL(test, "store to page %u failed", i);
	return mm;
}

/* n private anonymous pages. */
static struct mm_struct *mm_with_pages(struct kunit *test, unsigned int n)
{
	return mm_with_mapping(test, n, PRIV);
}

/* Every anonymous page of the arena to swap, used lately or not. */
static unsigned long reclaim_all(void)
{
	struct scan_control sc = {
		.nr_to_reclaim = ~0UL, .gfp_mask = GFP_KERNEL, .priority = 0,
		.may_unmap = true, .may_swap = true,
		.ignore_references = true,
	};

	return shrink_node(&arena.pgdat, &sc);
}

static unsigned long slots_in_use(void)
{
	struct swap_info_struct *si = swap_info_get(swp_entry(ram0_type(), 1));

	return si ? si->slots.inuse : 0;
}

/* ---------------------------------------------------------------- cases */

/* MADV_PAGEOUT: each PTE becomes its page's entry (ram0, one reference);
 * the pages got consecutive slots, so they go in one write request (the
 * swap plug), and their unmapping owes one TLB flush, made before that
 * request was submitted; a touch reads them back, the same bytes. */
static void pageout_and_fault_back(struct kunit *test)
{
	unsigned long out0 = global_vm_event(PSWPOUT);
	unsigned long in0 = global_vm_event(PSWPIN);
	unsigned long flush0 = global_vm_event(TLB_BATCH_FLUSH);
	unsigned long scans0 = global_vm_event(PGSCAN_KSWAPD) +
			       global_vm_event(PGSCAN_DIRECT);
	struct mm_struct *mm = mm_with_pages(test, 4);

	KUNIT_ASSERT_NOT_NULL(test, mm);
	KUNIT_EXPECT_EQ(test, do_madvise(mm, A, 4 * PAGE_SIZE, MADV_PAGEOUT), 0);
	/* The counter is the kernel's: exact only if no other reclaim ran
	 * meanwhile (MADV_PAGEOUT itself scans no list). */
	if (global_vm_event(PGSCAN_KSWAPD) + global_vm_event(PGSCAN_DIRECT) ==
	    scans0) {
		KUNIT_EXPECT_EQ(test, global_vm_event(TLB_BATCH_FLUSH) - flush0, 1UL);
		KUNIT_EXPECT_EQ(test, ram0.flushes_at_write - flush0, 1UL);
	} else {
		KUNIT_EXPECT_GE(test, ram0.flushes_at_write - flush0, 1UL);
	}
	KUNIT_EXPECT_EQ(test, mm->rss[MM_SWAPENTS], 4L);
	KUNIT_EXPECT_EQ(test, mm->rss[MM_ANONPAGES], 0L);
	for (unsigned int i = 0; i < 4; i++) {
		swp_entry_t e = pte_entry(mm, A + i * PAGE_SIZE);

		KUNIT_EXPECT_NE(test, e.val, 0UL);
		KUNIT_EXPECT_EQ(test, swp_type(e), ram0_type());
		KUNIT_EXPECT_EQ(test, swap_count(e), 1U);
	}
	KUNIT_EXPECT_EQ(test, global_vm_event(PSWPOUT) - out0, 4UL);
	KUNIT_EXPECT_EQ(test, ram0.pages_written, 4UL);
	KUNIT_EXPECT_EQ(test, ram0.writes, 1UL);
	KUNIT_EXPECT_EQ(test, slots_in_use(), 4UL);

	for (unsigned int i = 0; i < 4; i++)
		KUNIT_EXPECT_EQ(test, peek(mm, A + i * PAGE_SIZE), val(i, 0));
	KUNIT_EXPECT_GE(test, global_vm_event(PSWPIN) - in0, 1UL);
	KUNIT_EXPECT_EQ(test, mm->rss[MM_SWAPENTS], 0L);
	KUNIT_EXPECT_EQ(test, mm->rss[MM_ANONPAGES], 4L);
	KUNIT_EXPECT_GT(test, mm->pgmajfault, 0UL);
	mmput(mm);
	KUNIT_EXPECT_EQ(test, slots_in_use(), 0UL);
}

/* A fault reads the aligned window of swap_ra_pages around its slot in
 * one request; the pages it brought count swap_ra, their use swap_ra_hit
 * and needs no more reads. */
static void readahead_reads_the_window_once(struct kunit *test)
{
	unsigned long ra0 = global_vm_event(SWAP_RA);
	unsigned long hit0 = global_vm_event(SWAP_RA_HIT);
	struct mm_struct *mm = mm_with_pages(test, 16);
	unsigned long win = swap_ra_pages, first, expect = 0;
	swp_entry_t e[16];
	unsigned long reads;

	KUNIT_ASSERT_NOT_NULL(test, mm);
	KUNIT_ASSERT_EQ(test, do_madvise(mm, A, 16 * PAGE_SIZE, MADV_PAGEOUT), 0);
	for (int i = 0; i < 16; i++)
		e[i] = pte_entry(mm, A + i * PAGE_SIZE);
	/* What must come in with page 8: our other slots in its window. */
	first = swp_offset(e[8]) & ~(win - 1);
	for (int i = 0; i < 16; i++)
		if (i != 8 && swp_offset(e[i]) >= first &&
		    swp_offset(e[i]) < first + win)
			expect++;
	reads = ram0.reads;
	KUNIT_EXPECT_EQ(test, peek(mm, A + 8 * PAGE_SIZE), val(8, 0));
	KUNIT_EXPECT_EQ(test, global_vm_event(SWAP_RA) - ra0, expect);
	KUNIT_EXPECT_EQ(test, ram0.reads - reads, 1UL);	/* one request */
	KUNIT_EXPECT_GT(test, expect, 0UL);
	/* Touch every page the window brought: no read, one hit each. */
	reads = ram0.reads;
	for (int i = 0; i < 16; i++)
		if (i != 8 && swp_offset(e[i]) >= first &&
		    swp_offset(e[i]) < first + win)
			KUNIT_EXPECT_EQ(test, peek(mm, A + i * PAGE_SIZE),
					val(i, 0));
	KUNIT_EXPECT_EQ(test, ram0.reads, reads);
	KUNIT_EXPECT_EQ(test, global_vm_event(SWAP_RA_HIT) - hit0, expect);
	for (int i = 0; i < 16; i++)
		KUNIT_EXPECT_EQ(test, peek(mm, A + i * PAGE_SIZE), val(i, 0));
	mmput(mm);
	KUNIT_EXPECT_EQ(test, slots_in_use(), 0UL);
}

/* Swap-in fault-around (mm/memory.c): a fault on page 0 maps, beside it,
 * the next pages that readahead brought into the swap cache (the slots of
 * its window, which MADV_PAGEOUT gave these pages in a row), with no I/O;
 * reading them then takes no fault. With vm.anon_fault_around_pages=1,
 * a fault per page again. */
static void swapin_maps_the_readahead_pages_around(struct kunit *test)
{
	struct ctl_set set = sysctl_registered();
	const struct ctl_table *t = sysctl_find(&set,
					       "vm.anon_fault_around_pages");
	unsigned long win = swap_ra_pages, first, faults, around0, reads;
	unsigned int expect = 0, max;
	struct mm_struct *mm;
	swp_entry_t e[8];
	char old[8];

	KUNIT_ASSERT_NOT_NULL(test, t);
	ksnprintf(old, sizeof(old), "%lu", sysctl_read(t));
	max = (unsigned int)sysctl_read(t);
	for (int off = 0; off < 2; off++) {
		mm = mm_with_pages(test, 8);
		KUNIT_ASSERT_NOT_NULL(test, mm);
		KUNIT_ASSERT_EQ(test, do_madvise(mm, A, 8 * PAGE_SIZE,
						 MADV_PAGEOUT), 0);
		for (int i = 0; i < 8; i++)
			e[i] = pte_entry(mm, A + i * PAGE_SIZE);
		first = swp_offset(e[0]) & ~(win - 1);
		/* What must be mapped around page 0: the pages after it in
		 * its window, in a row, fewer than the sysctl's maximum. */
		expect = 0;
		for (unsigned int i = 1; !off && i < 8 && i < max && i < win; i++) {
			if (swp_offset(e[i]) < first ||
			    swp_offset(e[i]) >= first + win)
				break;
			expect++;
		}
		faults = mm->pgfault;
		around0 = global_vm_event(PGFAULT_AROUND);
		reads = ram0.reads;
		KUNIT_EXPECT_EQ(test, peek(mm, A), val(0, 0));
		KUNIT_EXPECT_EQ(test, mm->pgfault - faults, 1UL);
		KUNIT_EXPECT_EQ(test, global_vm_event(PGFAULT_AROUND) - around0,
				(unsigned long)expect);
		for (unsigned int i = 1; i < 8; i++)
			KUNIT_EXPECT_EQ(test, pte_page(mm, A + i * PAGE_SIZE) !=
					(phys_addr_t)-1, i <= expect);
		for (unsigned int i = 1; i < 8; i++)
			KUNIT_EXPECT_EQ(test, peek(mm, A + i * PAGE_SIZE),
					val(i, 0));
		/* A fault for each page that was not mapped around. */
		KUNIT_EXPECT_EQ(test, mm->pgfault - faults, 8UL - expect);
		if (!off)
			KUNIT_EXPECT_GT(test, expect, 0U);
		KUNIT_EXPECT_EQ(test, ram0.reads - reads,
				swp_offset(e[7]) < first + win ? 1UL : 2UL);
		mmput(mm);
		KUNIT_EXPECT_EQ(test, slots_in_use(), 0UL);
		/* The second round with fault-around off. */
		KUNIT_ASSERT_EQ(test, sysctl_write(t, "1"), 0);
		max = 1;
	}
	sysctl_write(t, old);
}

/* A page shared after fork goes out once (one slot, two references) and
 * comes back once: the second process maps the page the first read. A
 * write then still copies. */
static void fork_shares_one_slot_and_one_page(struct kunit *test)
{
	struct mm_struct *p = mm_with_pages(test, 1), *c;
	unsigned long written, reads;
	swp_entry_t ep, ec;

	KUNIT_ASSERT_NOT_NULL(test, p);
	c = dup_mm(p);
	KUNIT_ASSERT_NOT_NULL(test, c);
	written = ram0.pages_written;
	reclaim_all();
	ep = pte_entry(p, A);
	ec = pte_entry(c, A);
	KUNIT_EXPECT_NE(test, ep.val, 0UL);
	KUNIT_EXPECT_EQ(test, ep.val, ec.val);
	KUNIT_EXPECT_EQ(test, swap_count(ep), 2U);
	KUNIT_EXPECT_EQ(test, ram0.pages_written - written, 1UL);

	reads = ram0.pages_read;
	KUNIT_EXPECT_EQ(test, peek(p, A), val(0, 0));
	KUNIT_EXPECT_EQ(test, peek(c, A), val(0, 0));
	KUNIT_EXPECT_EQ(test, ram0.pages_read - reads, 1UL);
	KUNIT_EXPECT_EQ(test, pte_page(p, A), pte_page(c, A));
	/* Copy-on-write still holds. */
	KUNIT_EXPECT_TRUE(test, poke(c, A, val(0, 1)));
	KUNIT_EXPECT_EQ(test, peek(p, A), val(0, 0));
	KUNIT_EXPECT_EQ(test, peek(c, A), val(0, 1));
	KUNIT_EXPECT_NE(test, pte_page(p, A), pte_page(c, A));
	mmput(c);
	mmput(p);
	KUNIT_EXPECT_EQ(test, slots_in_use(), 0UL);
}

/* A swap-cache page moves (mm/migrate.h) while one process maps it and
 * its fork child still has the swap entry: the cache's slot holds the
 * new page, the parent's PTE maps it, and the child's fault finds it
 * there without reading the disk; the node's swap-cache count stays. */
static struct page *arena_page(struct page *old, unsigned long private)
{
	(void)private;
	/* Swap-in pages come from the kernel's node, not the arena. */
	return alloc_pages_node(page_pgdat(old), GFP_HIGHUSER_MOVABLE, 0);
}

static void swap_cache_page_migrates(struct kunit *test)
{
	struct mm_struct *p = mm_with_pages(test, 1), *c;
	struct list_head list = LIST_HEAD_INIT(list);
	struct migrate_failure f = { 0 };
	unsigned long cached0, reads;
	struct page *old, *new;
	swp_entry_t e;

	KUNIT_ASSERT_NOT_NULL(test, p);
	c = dup_mm(p);
	KUNIT_ASSERT_NOT_NULL(test, c);
	reclaim_all();
	e = pte_entry(p, A);
	KUNIT_ASSERT_NE(test, e.val, 0UL);
	KUNIT_EXPECT_EQ(test, peek(p, A), val(0, 0));
	old = pfn_to_page(PHYS_PFN(pte_page(p, A)));
	KUNIT_ASSERT_TRUE(test, PageSwapCache(old));
	KUNIT_EXPECT_EQ(test, page_swap_entry(old).val, e.val);
	cached0 = node_page_state(page_pgdat(old), NR_SWAPCACHE);
	lru_add_drain_all();
	KUNIT_ASSERT_TRUE(test, isolate_movable_page(old));
	list_add(&old->lru, &list);
	KUNIT_EXPECT_EQ(test, migrate_pages(&list, arena_page, NULL, 0,
					    MIGRATE_SYNC, MR_SYSCALL, &f), 0UL);
	KUNIT_EXPECT_EQ(test, f.err, 0);
	new = lookup_swap_cache(e);
	KUNIT_ASSERT_NOT_NULL(test, new);
	put_page(new);
	KUNIT_EXPECT_PTR_NE(test, new, old);
	KUNIT_EXPECT_TRUE(test, PageSwapCache(new) && PageAnon(new));
	KUNIT_EXPECT_EQ(test, page_swap_entry(new).val, e.val);
	KUNIT_EXPECT_EQ(test, pte_page(p, A), PFN_PHYS(page_to_pfn(new)));
	KUNIT_EXPECT_EQ(test, pte_entry(c, A).val, e.val);
	KUNIT_EXPECT_EQ(test, node_page_state(page_pgdat(new), NR_SWAPCACHE),
			cached0);
	reads = ram0.pages_read;
	KUNIT_EXPECT_EQ(test, peek(c, A), val(0, 0));
	KUNIT_EXPECT_EQ(test, ram0.pages_read, reads);
	KUNIT_EXPECT_EQ(test, pte_page(c, A), PFN_PHYS(page_to_pfn(new)));
	KUNIT_EXPECT_EQ(test, page_mapcount(new), 2);
	KUNIT_EXPECT_TRUE(test, poke(c, A, val(0, 1)));
	KUNIT_EXPECT_EQ(test, peek(p, A), val(0, 0));
	mmput(c);
	mmput(p);
	KUNIT_EXPECT_EQ(test, slots_in_use(), 0UL);
}

/* Reclaim keeps a pinned page mapped (a device may be writing it); once
 * unpinned it goes to swap like the rest. */
static void pinned_page_is_not_swapped(struct kunit *test)
{
	struct mm_struct *mm = mm_with_pages(test, 2);
	struct page *pages[1];

	KUNIT_ASSERT_NOT_NULL(test, mm);
	KUNIT_ASSERT_EQ(test, pin_user_pages(mm, A, 1, true, pages, "swap test"),
			1L);
	reclaim_all();
	KUNIT_EXPECT_EQ(test, pte_page(mm, A), PFN_PHYS(page_to_pfn(pages[0])));
	KUNIT_EXPECT_NE(test, pte_entry(mm, A + PAGE_SIZE).val, 0UL);
	unpin_user_pages(pages, 1, true);
	reclaim_all();
	KUNIT_EXPECT_NE(test, pte_entry(mm, A).val, 0UL);
	KUNIT_EXPECT_EQ(test, peek(mm, A), val(0, 0));
	KUNIT_EXPECT_EQ(test, peek(mm, A + PAGE_SIZE), val(1, 0));
	mmput(mm);
	KUNIT_EXPECT_EQ(test, slots_in_use(), 0UL);
}

/* A failed write loses nothing: the page stays, dirty, and its slot is
 * not used again; the next swap-out takes another slot. */
static void write_error_keeps_the_page(struct kunit *test)
{
	struct mm_struct *mm = mm_with_pages(test, 1);
	char out[512];
	unsigned long reads;
	swp_entry_t bad, next;

	KUNIT_ASSERT_NOT_NULL(test, mm);
	ram0.fail_writes = true;
	kunit_capture_start(test, out, sizeof(out));
	do_madvise(mm, A, PAGE_SIZE, MADV_PAGEOUT);
	kunit_capture_stop(test, DIAG_WARN);
	ram0.fail_writes = false;
	KUNIT_EXPECT_STR_CONTAINS(test, out, "write error");
	KUNIT_EXPECT_STR_CONTAINS(test, out, "ram0");
	bad = pte_entry(mm, A);
	KUNIT_EXPECT_NE(test, bad.val, 0UL);
	/* Back from the swap cache: no read, the bytes as written. */
	reads = ram0.reads;
	KUNIT_EXPECT_EQ(test, peek(mm, A), val(0, 0));
	KUNIT_EXPECT_EQ(test, ram0.reads, reads);
	/* Out again: a new slot, and this time it is written. */
	KUNIT_EXPECT_EQ(test, do_madvise(mm, A, PAGE_SIZE, MADV_PAGEOUT), 0);
	next = pte_entry(mm, A);
	KUNIT_EXPECT_NE(test, next.val, 0UL);
	KUNIT_EXPECT_NE(test, next.val, bad.val);
	KUNIT_EXPECT_EQ(test, peek(mm, A), val(0, 0));
	mmput(mm);
}

/* A write the backend could not even start (its queue full: submit()
 * says -EAGAIN) touched no disk: the slot stays good and is used for the
 * page's next write; the page stays in memory, dirty, nothing reported
 * as an I/O error. */
static void refused_write_keeps_the_slot(struct kunit *test)
{
	struct mm_struct *mm = mm_with_pages(test, 1);
	struct swap_info_struct *si;
	unsigned long errors, written, reads;
	char out[512];
	swp_entry_t e;

	KUNIT_ASSERT_NOT_NULL(test, mm);
	si = swap_info_get(swp_entry(ram0_type(), 1));
	KUNIT_ASSERT_NOT_NULL(test, si);
	errors = si->nr_write_errors;
	written = ram0.pages_written;
	ram0.refuse_writes = -EAGAIN;
	kunit_capture_start(test, out, sizeof(out));
	do_madvise(mm, A, PAGE_SIZE, MADV_PAGEOUT);
	kunit_capture_stop(test, DIAG_WARN);
	ram0.refuse_writes = 0;
	KUNIT_EXPECT_STR_NOT_CONTAINS(test, out, "write error");
	KUNIT_EXPECT_EQ(test, si->nr_write_errors, errors);
	KUNIT_EXPECT_EQ(test, ram0.pages_written, written);
	e = pte_entry(mm, A);
	KUNIT_ASSERT_NE(test, e.val, 0UL);
	/* The slot: one PTE, the cache, not bad; the page: dirty. */
	KUNIT_EXPECT_EQ(test, swap_slot_map(&si->slots, swp_offset(e)),
			SWAP_HAS_CACHE | 1U);
	{
		struct page *page = lookup_swap_cache(e);

		KUNIT_ASSERT_NOT_NULL(test, page);
		KUNIT_EXPECT_TRUE(test, PageDirty(page));
		KUNIT_EXPECT_FALSE(test, PageError(page));
		KUNIT_EXPECT_FALSE(test, PageWriteback(page));
		put_page(page);
	}
	/* Reclaim again: the same slot is written this time, the page
	 * freed, and a touch reads the bytes back from it. */
	reclaim_all();
	KUNIT_EXPECT_EQ(test, ram0.pages_written, written + 1);
	KUNIT_EXPECT_EQ(test, pte_entry(mm, A).val, e.val);
	reads = ram0.reads;
	KUNIT_EXPECT_EQ(test, peek(mm, A), val(0, 0));
	KUNIT_EXPECT_EQ(test, ram0.reads, reads + 1);
	mmput(mm);
	KUNIT_EXPECT_EQ(test, slots_in_use(), 0UL);
}

/* A read fault at A with ram0's reads failing, its report in out. */
static enum vm_fault_result read_fault_failing(struct kunit *test,
					       struct mm_struct *mm, char *out,
					       size_t len)
{
	enum vm_fault_result r;

	ram0.fail_reads = true;
	kunit_capture_start(test, out, len);
	mmap_read_lock(mm);
	r = __handle_mm_fault(mm, A, FAULT_READ);
	mmap_read_unlock(mm);
	kunit_capture_stop(test, DIAG_WARN);
	ram0.fail_reads = false;
	return r;
}

/* A failed read kills the process that needed the page (SIGBUS), says
 * which slot, and loses nothing: a later fault reads it. */
static void read_error_fails_the_fault_only(struct kunit *test)
{
	struct mm_struct *mm = mm_with_pages(test, 1);
	enum vm_fault_result r;
	char out[512];
	swp_entry_t e;

	KUNIT_ASSERT_NOT_NULL(test, mm);
	KUNIT_ASSERT_EQ(test, do_madvise(mm, A, PAGE_SIZE, MADV_PAGEOUT), 0);
	e = pte_entry(mm, A);
	KUNIT_ASSERT_NE(test, e.val, 0UL);
	r = read_fault_failing(test, mm, out, sizeof(out));
	KUNIT_EXPECT_EQ(test, (int)r, (int)VM_FAULT_BUS);
	KUNIT_EXPECT_STR_CONTAINS(test, out, "read error");
	KUNIT_EXPECT_STR_CONTAINS(test, out, "slot");
	KUNIT_EXPECT_EQ(test, pte_entry(mm, A).val, e.val);
	KUNIT_EXPECT_EQ(test, peek(mm, A), val(0, 0));
	mmput(mm);
}

/* Swap full: what fits goes out, the rest stays in memory, nothing is
 * lost. */
static void full_swap_keeps_the_rest(struct kunit *test)
{
	unsigned int n = RAM_SLOTS + 8;
	struct mm_struct *mm = mm_with_pages(test, n);
	unsigned long total, free;

	KUNIT_ASSERT_NOT_NULL(test, mm);
	do_madvise(mm, A, n * PAGE_SIZE, MADV_PAGEOUT);
	KUNIT_EXPECT_EQ(test, slots_in_use(), (unsigned long)(RAM_SLOTS - 1));
	KUNIT_EXPECT_EQ(test, mm->rss[MM_SWAPENTS], (long)(RAM_SLOTS - 1));
	KUNIT_EXPECT_EQ(test, mm->rss[MM_ANONPAGES], (long)(n - RAM_SLOTS + 1));
	si_swapinfo(&total, &free);
	KUNIT_EXPECT_FALSE(test, swap_has_room() && free == 0);
	for (unsigned int i = 0; i < n; i++)
		KUNIT_EXPECT_EQ(test, peek(mm, A + i * PAGE_SIZE), val(i, 0));
	mmput(mm);
	KUNIT_EXPECT_EQ(test, slots_in_use(), 0UL);
}

/* munmap and exit give the slots back. */
static void unmap_and_exit_free_the_slots(struct kunit *test)
{
	struct mm_struct *mm = mm_with_pages(test, 8);

	KUNIT_ASSERT_NOT_NULL(test, mm);
	KUNIT_ASSERT_EQ(test, do_madvise(mm, A, 8 * PAGE_SIZE, MADV_PAGEOUT), 0);
	KUNIT_EXPECT_EQ(test, slots_in_use(), 8UL);
	KUNIT_EXPECT_EQ(test, do_munmap(mm, A, 4 * PAGE_SIZE), 0);
	KUNIT_EXPECT_EQ(test, slots_in_use(), 4UL);
	KUNIT_EXPECT_EQ(test, mm->rss[MM_SWAPENTS], 4L);
	KUNIT_EXPECT_EQ(test, pte_entry(mm, A).val, 0UL);
	mmput(mm);
	KUNIT_EXPECT_EQ(test, slots_in_use(), 0UL);
}

/* swapoff brings every page back into the process that maps it, then
 * the area is gone; swapon takes it again. */
static void swapoff_brings_every_page_back(struct kunit *test)
{
	struct mm_struct *mm = mm_with_pages(test, 8), *c;
	char why[128];

	KUNIT_ASSERT_NOT_NULL(test, mm);
	c = dup_mm(mm);
	KUNIT_ASSERT_NOT_NULL(test, c);
	reclaim_all();
	KUNIT_EXPECT_EQ(test, mm->rss[MM_SWAPENTS], 8L);
	KUNIT_EXPECT_EQ(test, c->rss[MM_SWAPENTS], 8L);
	KUNIT_EXPECT_EQ(test, swapoff("ram0"), 0);
	KUNIT_EXPECT_EQ(test, ram0_type(), MAX_SWAPFILES);
	KUNIT_EXPECT_EQ(test, mm->rss[MM_SWAPENTS], 0L);
	KUNIT_EXPECT_EQ(test, c->rss[MM_SWAPENTS], 0L);
	for (unsigned int i = 0; i < 8; i++) {
		KUNIT_EXPECT_NE(test, pte_page(mm, A + i * PAGE_SIZE),
				(phys_addr_t)-1);
		KUNIT_EXPECT_EQ(test, peek(mm, A + i * PAGE_SIZE), val(i, 0));
		KUNIT_EXPECT_EQ(test, peek(c, A + i * PAGE_SIZE), val(i, 0));
	}
	KUNIT_EXPECT_EQ(test, swapoff("ram0"), -EINVAL);
	KUNIT_EXPECT_EQ(test, swapon("ram0", SWAP_FLAG_PRIO_MASK, why,
				     sizeof(why)), 0);
	mmput(c);
	mmput(mm);
}

/* Reclaim's second step for race_page, run from inside swapoff. */
static struct page *race_page;
static struct kunit *race_test;

static void finish_reclaim(void)
{
	KUNIT_EXPECT_TRUE(race_test, try_to_unmap(race_page));
	unlock_page_wake(race_page);
}

/*
 * Reclaim took a slot for a page (add_to_swap) before swapoff began, and
 * writes it into the PTE (try_to_unmap) only after swapoff's search has
 * passed that process: the search must go round again and bring it back,
 * not give up with a slot in use. Played in order here: x's page gets its
 * slot; swapoff searches x (nothing yet), then y, whose swapped page it
 * reads; that read's submit runs reclaim's unmap of x's page.
 */
static void swapoff_finds_a_slot_mapped_behind_it(struct kunit *test)
{
	struct mm_struct *x = mm_with_pages(test, 1), *y;
	char why[128], out[256];
	phys_addr_t pa;

	KUNIT_ASSERT_NOT_NULL(test, x);
	y = mm_with_pages(test, 2);		/* after x on the mm list */
	KUNIT_ASSERT_NOT_NULL(test, y);
	KUNIT_ASSERT_EQ(test, do_madvise(y, A, 2 * PAGE_SIZE, MADV_PAGEOUT),
			0);
	pa = pte_page(x, A);
	KUNIT_ASSERT_NE(test, pa, (phys_addr_t)-1);
	race_page = pfn_to_page(PHYS_PFN(pa));
	race_test = test;
	lock_page(race_page);
	KUNIT_ASSERT_EQ(test, add_to_swap(race_page), 0);
	KUNIT_EXPECT_EQ(test, slots_in_use(), 3UL);
	ram0.before_read = finish_reclaim;

	kunit_capture_start(test, out, sizeof(out));
	KUNIT_EXPECT_EQ(test, swapoff("ram0"), 0);
	kunit_capture_stop(test, DIAG_WARN);
	KUNIT_EXPECT_STR_CONTAINS(test, out, "swapoff ram0: searched 2 times");
	KUNIT_EXPECT_PTR_EQ(test, ram0.before_read, NULL);	/* it ran */
	KUNIT_EXPECT_EQ(test, ram0_type(), MAX_SWAPFILES);
	KUNIT_EXPECT_EQ(test, x->rss[MM_SWAPENTS], 0L);
	KUNIT_EXPECT_EQ(test, y->rss[MM_SWAPENTS], 0L);
	KUNIT_EXPECT_NE(test, pte_page(x, A), (phys_addr_t)-1);
	KUNIT_EXPECT_EQ(test, peek(x, A), val(0, 0));
	for (unsigned int i = 0; i < 2; i++)
		KUNIT_EXPECT_EQ(test, peek(y, A + i * PAGE_SIZE), val(i, 0));
	if (ram0_type() == MAX_SWAPFILES)
		KUNIT_EXPECT_EQ(test, swapon("ram0", SWAP_FLAG_PRIO_MASK, why,
					     sizeof(why)), 0);
	ram0.before_read = NULL;
	mmput(y);
	mmput(x);
}

/*
 * A reference no PTE holds (a bug elsewhere; made by hand here): swapoff
 * searches until its passes stop freeing slots, then gives up with
 * -EBUSY, names the slot and leaves the area on, the pages it brought
 * back staying in memory.
 */
static void swapoff_gives_up_on_a_slot_nobody_maps(struct kunit *test)
{
	struct mm_struct *mm = mm_with_pages(test, 2);
	char out[256], want[64];
	unsigned int pause;
	swp_entry_t e;

	KUNIT_ASSERT_NOT_NULL(test, mm);
	KUNIT_ASSERT_EQ(test, do_madvise(mm, A, 2 * PAGE_SIZE, MADV_PAGEOUT),
			0);
	e = pte_entry(mm, A);
	KUNIT_ASSERT_NE(test, e.val, 0UL);
	KUNIT_ASSERT_EQ(test, swap_duplicate(e), 0);	/* the stray one */
	kunit_capture_start(test, out, sizeof(out));
	pause = swapoff_idle_pause_ms;
	swapoff_idle_pause_ms = 5;	/* not 2 s of waiting in each run */
	KUNIT_EXPECT_EQ(test, swapoff("ram0"), -EBUSY);
	swapoff_idle_pause_ms = pause;
	kunit_capture_stop(test, DIAG_WARN);
	ksnprintf(want, sizeof(want), "swapoff ram0: slot %lu still in use",
		  swp_offset(e));
	KUNIT_EXPECT_STR_CONTAINS(test, out, want);
	KUNIT_EXPECT_EQ(test, ram0_type(), swp_type(e));	/* still on */
	KUNIT_EXPECT_EQ(test, mm->rss[MM_SWAPENTS], 0L);
	for (unsigned int i = 0; i < 2; i++)
		KUNIT_EXPECT_EQ(test, peek(mm, A + i * PAGE_SIZE), val(i, 0));
	swap_free(e);
	mmput(mm);
	/* The suite's exit turns it off: nothing is left in it then. */
}

/* Is the mm whose access is under way locked at a write? */
static struct mm_struct *accessed_mm;
static unsigned long writes_under_its_lock;

static void note_lock(void)
{
	if (mutex_is_locked(&accessed_mm->mmap_lock))
		writes_under_its_lock++;
}

/*
 * access_remote_vm's fault (exec's stack set-up, a debugger's store)
 * reclaims as a user fault does: with the mm's mmap_lock dropped, then
 * tries again. Here the arena sits at its min watermark, so the page a
 * store needs comes from reclaim, which writes another process's pages
 * to ram0; at each of those writes the accessed mm's lock is free, and
 * nothing is taken from below min.
 */
static void remote_access_reclaims_without_the_lock(struct kunit *test)
{
	const unsigned long min = 16;
	struct mm_struct *h = mm_with_pages(test, 32), *x;
	struct page *head = NULL;
	struct zone *zone = NULL, *z;
	unsigned long writes, reserve;
	unsigned long (*saved)(pg_data_t *, gfp_t, unsigned int);

	KUNIT_ASSERT_NOT_NULL(test, h);
	x = mm_alloc_node(&arena.pgdat, &ks);
	KUNIT_ASSERT_NOT_NULL(test, x);
	KUNIT_ASSERT_EQ(test, do_mmap(x, A, 2 * PAGE_SIZE, RW, PRIV, 0),
			(long)A);
	KUNIT_ASSERT_TRUE(test, poke(x, A, val(0, 0)));	/* its tables */
	for_each_populated_zone_in(z, &arena.pgdat)
		if (!zone)
			zone = z;
	KUNIT_ASSERT_NOT_NULL(test, zone);
	lru_add_drain_all();
	zone_set_watermarks(zone, min);
	test_arena_take_all(&arena, 0, &head);
	KUNIT_EXPECT_EQ(test, zone->free_pages, min);
	reserve = zone->events[ZE_RESERVE];
	writes = ram0.pages_written;
	accessed_mm = x;
	writes_under_its_lock = 0;
	ram0.at_write = note_lock;
	/* The kernel's direct reclaim (the host runs without it). */
	saved = page_alloc_try_to_free_pages;
	page_alloc_try_to_free_pages = try_to_free_pages;

	KUNIT_EXPECT_TRUE(test, poke(x, A + PAGE_SIZE, val(1, 1)));
	page_alloc_try_to_free_pages = saved;
	ram0.at_write = NULL;
	KUNIT_EXPECT_GT(test, ram0.pages_written, writes);	/* reclaimed */
	KUNIT_EXPECT_EQ(test, writes_under_its_lock, 0UL);
	KUNIT_EXPECT_EQ(test, zone->events[ZE_RESERVE], reserve);
	KUNIT_EXPECT_EQ(test, peek(x, A + PAGE_SIZE), val(1, 1));

	test_arena_give_back(&head);
	zone_set_watermarks(zone, 0);
	for (unsigned int i = 0; i < 32; i++)
		KUNIT_EXPECT_EQ(test, peek(h, A + i * PAGE_SIZE), val(i, 0));
	mmput(x);
	mmput(h);
}

/* ------------------------------------------ shared anonymous memory */

#define SHARED	(MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED)

/* n shared anonymous pages (MAP_SHARED|MAP_ANONYMOUS). */
static struct mm_struct *mm_with_shared(struct kunit *test, unsigned int n)
{
	return mm_with_mapping(test, n, SHARED);
}

/* What the object of mm's mapping at A holds at index idx: the entry of
 * the slot its page is in (0: the page is in memory, or nothing). */
static swp_entry_t object_entry(struct mm_struct *mm, pgoff_t idx)
{
	struct vm_area_struct *vma = find_vma(mm, A);
	void *e = vma && vma->shared ?
		  xa_load(&vma->shared->mapping.i_pages, idx) : NULL;

	return (swp_entry_t){ xa_is_value(e) ? xa_to_value(e) : 0 };
}

/* Shared anonymous pages in memory: the arena's (first touches) and the
 * kernel node's (swap-ins come from there). Exact while nothing else
 * runs (snapshots); another user of shared memory in the kernel node
 * would move it, so the cases compare differences. */
static long shmem_pages(void)
{
	return (long)(node_page_state_snapshot(&arena.pgdat, NR_SHMEM) +
		      node_page_state_snapshot(&contig_page_data, NR_SHMEM));
}

/* A shared anonymous page mapped by two processes goes out once: its
 * PTEs are dropped in both (no entries in them), its object holds the
 * slot's entry (one reference), and one write carries it. A fault in
 * either process brings it back into the object, where the other finds
 * it without a read: the same page, and a store by one is seen by the
 * other, as before. The slots are free once every page is back. */
static void shared_pages_go_out_once_and_come_back(struct kunit *test)
{
	struct mm_struct *p = mm_with_shared(test, 4), *c;
	unsigned long written, reads;
	long shmem0;

	KUNIT_ASSERT_NOT_NULL(test, p);
	c = dup_mm(p);
	KUNIT_ASSERT_NOT_NULL(test, c);
	for (unsigned int i = 0; i < 4; i++)
		KUNIT_EXPECT_EQ(test, peek(c, A + i * PAGE_SIZE), val(i, 0));
	KUNIT_EXPECT_EQ(test, c->rss[MM_SHMEMPAGES], 4L);
	written = ram0.pages_written;
	shmem0 = shmem_pages();
	reclaim_all();
	KUNIT_EXPECT_EQ(test, ram0.pages_written - written, 4UL);
	KUNIT_EXPECT_EQ(test, slots_in_use(), 4UL);
	KUNIT_EXPECT_EQ(test, shmem_pages(), shmem0 - 4);
	for (unsigned int i = 0; i < 4; i++) {
		swp_entry_t e = object_entry(p, i);

		KUNIT_EXPECT_EQ(test, pte_page(p, A + i * PAGE_SIZE),
				(phys_addr_t)-1);
		KUNIT_EXPECT_EQ(test, pte_page(c, A + i * PAGE_SIZE),
				(phys_addr_t)-1);
		KUNIT_EXPECT_EQ(test, pte_entry(p, A + i * PAGE_SIZE).val, 0UL);
		KUNIT_EXPECT_EQ(test, swp_type(e), ram0_type());
		KUNIT_EXPECT_EQ(test, swap_count(e), 1U);
	}
	KUNIT_EXPECT_EQ(test, p->rss[MM_SHMEMPAGES], 0L);
	KUNIT_EXPECT_EQ(test, c->rss[MM_SHMEMPAGES], 0L);
	KUNIT_EXPECT_EQ(test, p->rss[MM_SWAPENTS], 0L);

	/* The child writes page 1: read back (with its neighbours, one
	 * request), into the object; the parent sees the child's store. */
	reads = ram0.pages_read;
	KUNIT_EXPECT_TRUE(test, poke(c, A + PAGE_SIZE, val(1, 1)));
	KUNIT_EXPECT_EQ(test, object_entry(p, 1).val, 0UL);
	KUNIT_EXPECT_EQ(test, peek(p, A + PAGE_SIZE), val(1, 1));
	KUNIT_EXPECT_EQ(test, pte_page(p, A + PAGE_SIZE),
			pte_page(c, A + PAGE_SIZE));
	KUNIT_EXPECT_GT(test, c->pgmajfault, 0UL);
	for (unsigned int i = 0; i < 4; i++) {
		KUNIT_EXPECT_EQ(test, peek(p, A + i * PAGE_SIZE),
				val(i, i == 1));
		KUNIT_EXPECT_EQ(test, peek(c, A + i * PAGE_SIZE),
				val(i, i == 1));
	}
	/* Each slot was read once, whatever readahead took together. */
	KUNIT_EXPECT_EQ(test, ram0.pages_read - reads, 4UL);
	KUNIT_EXPECT_EQ(test, slots_in_use(), 0UL);
	KUNIT_EXPECT_EQ(test, shmem_pages(), shmem0);
	mmput(c);
	mmput(p);
	KUNIT_EXPECT_EQ(test, shmem_pages(), shmem0 - 4);
}

/* MADV_PAGEOUT takes a shared page only one process maps (as Linux);
 * a write error keeps it (in the swap cache, no read needed to have it
 * back) and its slot is never used again; munmap of the last mapping
 * frees the object's slots. */
static void shared_page_write_error_and_unmap(struct kunit *test)
{
	struct mm_struct *mm = mm_with_shared(test, 3);
	unsigned long reads;
	swp_entry_t bad;
	char out[512];

	KUNIT_ASSERT_NOT_NULL(test, mm);
	ram0.fail_writes = true;
	kunit_capture_start(test, out, sizeof(out));
	KUNIT_EXPECT_EQ(test, do_madvise(mm, A, PAGE_SIZE, MADV_PAGEOUT), 0);
	kunit_capture_stop(test, DIAG_WARN);
	ram0.fail_writes = false;
	KUNIT_EXPECT_STR_CONTAINS(test, out, "write error");
	bad = object_entry(mm, 0);
	KUNIT_EXPECT_NE(test, bad.val, 0UL);
	reads = ram0.reads;
	KUNIT_EXPECT_EQ(test, peek(mm, A), val(0, 0));
	KUNIT_EXPECT_EQ(test, ram0.reads, reads);
	KUNIT_EXPECT_EQ(test, object_entry(mm, 0).val, 0UL);
	/* Out again, to another slot; and the two others. */
	KUNIT_EXPECT_EQ(test, do_madvise(mm, A, 3 * PAGE_SIZE, MADV_PAGEOUT), 0);
	KUNIT_EXPECT_NE(test, object_entry(mm, 0).val, 0UL);
	KUNIT_EXPECT_NE(test, object_entry(mm, 0).val, bad.val);
	KUNIT_EXPECT_NE(test, object_entry(mm, 2).val, 0UL);
	KUNIT_EXPECT_EQ(test, slots_in_use(), 3UL);
	KUNIT_EXPECT_EQ(test, do_munmap(mm, A, 3 * PAGE_SIZE), 0);
	KUNIT_EXPECT_EQ(test, slots_in_use(), 0UL);
	mmput(mm);
}

/* A read error fails the fault (SIGBUS for its process, reported with
 * the slot); the entry stays in the object and a later fault reads it. */
static void shared_page_read_error_fails_the_fault(struct kunit *test)
{
	struct mm_struct *mm = mm_with_shared(test, 1);
	enum vm_fault_result r;
	char out[512];
	swp_entry_t e;

	KUNIT_ASSERT_NOT_NULL(test, mm);
	KUNIT_ASSERT_EQ(test, do_madvise(mm, A, PAGE_SIZE, MADV_PAGEOUT), 0);
	e = object_entry(mm, 0);
	KUNIT_ASSERT_NE(test, e.val, 0UL);
	r = read_fault_failing(test, mm, out, sizeof(out));
	KUNIT_EXPECT_EQ(test, (int)r, (int)VM_FAULT_BUS);
	KUNIT_EXPECT_STR_CONTAINS(test, out, "read error on ram0 slot");
	KUNIT_EXPECT_EQ(test, object_entry(mm, 0).val, e.val);
	KUNIT_EXPECT_EQ(test, peek(mm, A), val(0, 0));
	mmput(mm);
	KUNIT_EXPECT_EQ(test, slots_in_use(), 0UL);
}

/* swapoff brings a shared object's pages back into the object (no
 * process maps them until it touches them: no read then). */
static void swapoff_brings_shared_pages_back(struct kunit *test)
{
	struct mm_struct *mm = mm_with_shared(test, 8), *c;
	unsigned long reads;
	char why[128];

	KUNIT_ASSERT_NOT_NULL(test, mm);
	c = dup_mm(mm);
	KUNIT_ASSERT_NOT_NULL(test, c);
	reclaim_all();
	KUNIT_EXPECT_EQ(test, slots_in_use(), 8UL);
	KUNIT_EXPECT_EQ(test, swapoff("ram0"), 0);
	KUNIT_EXPECT_EQ(test, ram0_type(), MAX_SWAPFILES);
	reads = ram0.pages_read;
	for (unsigned int i = 0; i < 8; i++) {
		KUNIT_EXPECT_EQ(test, object_entry(mm, i).val, 0UL);
		KUNIT_EXPECT_EQ(test, peek(c, A + i * PAGE_SIZE), val(i, 0));
		KUNIT_EXPECT_EQ(test, peek(mm, A + i * PAGE_SIZE), val(i, 0));
	}
	KUNIT_EXPECT_EQ(test, ram0.pages_read, reads);
	KUNIT_EXPECT_EQ(test, swapon("ram0", SWAP_FLAG_PRIO_MASK, why,
				     sizeof(why)), 0);
	mmput(c);
	mmput(mm);
}

/* A shared page moves (CMA's migration, mm/migrate.h): the object's
 * index and both processes' PTEs name the new page. */
static void shared_page_migrates(struct kunit *test)
{
	struct mm_struct *p = mm_with_shared(test, 1), *c;
	struct list_head list = LIST_HEAD_INIT(list);
	struct migrate_failure f = { 0 };
	struct page *old, *new;

	KUNIT_ASSERT_NOT_NULL(test, p);
	c = dup_mm(p);
	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_EXPECT_EQ(test, peek(c, A), val(0, 0));
	old = pfn_to_page(PHYS_PFN(pte_page(p, A)));
	lru_add_drain_all();
	KUNIT_ASSERT_TRUE(test, isolate_movable_page(old));
	list_add(&old->lru, &list);
	KUNIT_EXPECT_EQ(test, migrate_pages(&list, arena_page, NULL, 0,
					    MIGRATE_SYNC, MR_SYSCALL, &f), 0UL);
	KUNIT_EXPECT_EQ(test, f.err, 0);
	new = xa_load(&find_vma(p, A)->shared->mapping.i_pages, 0);
	KUNIT_ASSERT_NOT_NULL(test, new);
	KUNIT_EXPECT_PTR_NE(test, new, old);
	KUNIT_EXPECT_TRUE(test, page_is_shared_anon(new));
	KUNIT_EXPECT_EQ(test, pte_page(p, A), PFN_PHYS(page_to_pfn(new)));
	KUNIT_EXPECT_EQ(test, pte_page(c, A), PFN_PHYS(page_to_pfn(new)));
	KUNIT_EXPECT_TRUE(test, poke(c, A, val(0, 1)));
	KUNIT_EXPECT_EQ(test, peek(p, A), val(0, 1));
	mmput(c);
	mmput(p);
}

/* A bad header is refused with its reason; a second swapon of the same
 * device is refused too. */
static void bad_header_is_refused(struct kunit *test)
{
	char why[128];

	write_header(ram1.slot[0], RAM_SLOTS - 1, "SWAP-SPACE");
	KUNIT_EXPECT_EQ(test, swapon("ram1", 1, why, sizeof(why)), -EINVAL);
	KUNIT_EXPECT_NE(test, why[0], '\0');
	kunit_info(test, "refused: %s", why);
	KUNIT_EXPECT_EQ(test, swapon("ram0", 1, why, sizeof(why)), -EBUSY);
	KUNIT_EXPECT_EQ(test, swapon("nosuchdisk", 1, why, sizeof(why)),
			-ENODEV);
}

/* try_to_unmap_batch: the PTE is a swap entry at once, the flush is owed
 * by the batch, which holds the mm (a reference, and the mark that makes
 * the mm's next munmap, mprotect or fork flush first); its flush pays
 * both back. An mm already on its way out is not batched: its PTE is
 * flushed at once. */
static void batched_unmap_owes_the_mm_a_flush(struct kunit *test)
{
	struct mm_struct *mm = mm_with_pages(test, 1);
	struct tlb_batch b = { 0 };
	struct page *page;
	phys_addr_t pa;
	int users;

	KUNIT_ASSERT_NOT_NULL(test, mm);
	pa = pte_page(mm, A);
	KUNIT_ASSERT_NE(test, pa, (phys_addr_t)-1);
	page = pfn_to_page(PHYS_PFN(pa));
	users = mm->users;
	lock_page(page);
	KUNIT_ASSERT_EQ(test, add_to_swap(page), 0);
	KUNIT_EXPECT_TRUE(test, try_to_unmap_batch(page, &b));
	KUNIT_EXPECT_NE(test, pte_entry(mm, A).val, 0UL);
	KUNIT_EXPECT_EQ(test, b.nr_mms, 1U);
	KUNIT_EXPECT_PTR_EQ(test, b.mms[0].mm, mm);
	KUNIT_EXPECT_EQ(test, b.nr, 1U);
	KUNIT_EXPECT_EQ(test, mm->users, users + 1);
	KUNIT_EXPECT_EQ(test, mm->tlb_batched, 1);
	tlb_batch_flush(&b);
	KUNIT_EXPECT_EQ(test, b.nr_mms, 0U);
	KUNIT_EXPECT_EQ(test, mm->users, users);
	KUNIT_EXPECT_EQ(test, mm->tlb_batched, 0);
	/* users 0 (mmput under way): refused, the caller flushes now. */
	mm->users = 0;
	KUNIT_EXPECT_FALSE(test, tlb_batch_add(&b, mm, A));
	KUNIT_EXPECT_EQ(test, b.nr_mms, 0U);
	mm->users = users;
	unlock_page_wake(page);
	/* The page is in the swap cache: a touch maps it back. */
	KUNIT_EXPECT_EQ(test, peek(mm, A), val(0, 0));
	mmput(mm);
}

/* Reclaim's list mixes processes: a batch owes flushes to up to
 * TLB_BATCH_MMS mms at once (each held and marked), a page of the same mm
 * joins its range, one mm more is refused (the caller flushes it now),
 * and the flush pays every one back. */
static void batch_owes_several_mms(struct kunit *test)
{
	struct mm_struct *mms[TLB_BATCH_MMS + 1];
	struct tlb_batch b = { 0 };
	int users[TLB_BATCH_MMS + 1];

	for (unsigned int i = 0; i <= TLB_BATCH_MMS; i++) {
		mms[i] = mm_with_pages(test, 1);
		KUNIT_ASSERT_NOT_NULL(test, mms[i]);
		users[i] = mms[i]->users;
	}
	for (unsigned int i = 0; i < TLB_BATCH_MMS; i++)
		KUNIT_EXPECT_TRUE(test, tlb_batch_add(&b, mms[i], A));
	KUNIT_EXPECT_TRUE(test, tlb_batch_add(&b, mms[0], A + PAGE_SIZE));
	KUNIT_EXPECT_FALSE(test, tlb_batch_add(&b, mms[TLB_BATCH_MMS], A));
	KUNIT_EXPECT_EQ(test, b.nr_mms, (unsigned int)TLB_BATCH_MMS);
	KUNIT_EXPECT_EQ(test, b.nr, TLB_BATCH_MMS + 1U);
	KUNIT_EXPECT_EQ(test, b.mms[0].end - b.mms[0].start, 2 * PAGE_SIZE);
	for (unsigned int i = 0; i <= TLB_BATCH_MMS; i++) {
		bool in = i < TLB_BATCH_MMS;

		KUNIT_EXPECT_EQ(test, mms[i]->users, users[i] + in);
		KUNIT_EXPECT_EQ(test, mms[i]->tlb_batched, (int)in);
	}
	tlb_batch_flush(&b);
	KUNIT_EXPECT_EQ(test, b.nr_mms, 0U);
	for (unsigned int i = 0; i <= TLB_BATCH_MMS; i++) {
		KUNIT_EXPECT_EQ(test, mms[i]->users, users[i]);
		KUNIT_EXPECT_EQ(test, mms[i]->tlb_batched, 0);
		mmput(mms[i]);
	}
}

/* Direct reclaim facing only pages under writeback, for the OOM killer
 * to wait on: 16 waits with nothing freed end it (no memory, then). While
 * a swap device says it holds its writes to get itself back (->stalled:
 * an NBD server restarting), those waits do not count, up to the bound
 * on all of them (256): what it holds comes back, or fails when its
 * driver gives up. The arena has no kswapd, so each wait is at once. */
/* One direct reclaim that frees nothing, ram0 stalled or not: the pages
 * it looked at. */
static unsigned long direct_reclaim_looks(struct kunit *test, bool stalled)
{
	unsigned long scan0 = global_vm_event(PGSCAN_DIRECT);

	ram0.stalled = stalled;
	KUNIT_EXPECT_EQ(test, swap_writes_stalled(), stalled);
	KUNIT_EXPECT_EQ(test, try_to_free_pages(&arena.pgdat, GFP_KERNEL, 0),
			0UL);
	ram0.stalled = false;
	return global_vm_event(PGSCAN_DIRECT) - scan0;
}

static void stalled_swap_keeps_direct_reclaim_waiting(struct kunit *test)
{
	struct mm_struct *mm = mm_with_pages(test, 8);
	struct page *pages[8];
	unsigned long stalled, answering;

	KUNIT_ASSERT_NOT_NULL(test, mm);
	for (unsigned int i = 0; i < 8; i++) {
		phys_addr_t pa = pte_page(mm, A + i * PAGE_SIZE);

		KUNIT_ASSERT_NE(test, pa, (phys_addr_t)-1);
		pages[i] = pfn_to_page(PHYS_PFN(pa));
		set_page_writeback(pages[i]);
	}
	stalled = direct_reclaim_looks(test, true);
	answering = direct_reclaim_looks(test, false);
	kunit_info(test, "pages looked at: %lu with the device stalled, %lu "
		   "with it answering", stalled, answering);
	KUNIT_EXPECT_GT(test, answering, 0UL);
	KUNIT_EXPECT_GT(test, stalled, 8 * answering);
	for (unsigned int i = 0; i < 8; i++)
		end_page_writeback(pages[i]);
	mmput(mm);
}

/* A read the backend could not start (-EAGAIN: its queue full) is no
 * read error: the page leaves the swap cache unread, the fault looks
 * again and the next read brings the bytes; the process lives. */
static void refused_read_is_tried_again(struct kunit *test)
{
	struct mm_struct *mm = mm_with_pages(test, 1);
	struct swap_info_struct *si;
	unsigned long errors, reads, refused;
	char out[512];

	KUNIT_ASSERT_NOT_NULL(test, mm);
	si = swap_info_get(swp_entry(ram0_type(), 1));
	KUNIT_ASSERT_NOT_NULL(test, si);
	KUNIT_EXPECT_EQ(test, do_madvise(mm, A, PAGE_SIZE, MADV_PAGEOUT), 0);
	KUNIT_ASSERT_NE(test, pte_entry(mm, A).val, 0UL);
	errors = si->nr_read_errors;
	reads = ram0.reads;
	refused = ram0.refused_reads;
	ram0.refuse_reads = 1;
	kunit_capture_start(test, out, sizeof(out));
	KUNIT_EXPECT_EQ(test, peek(mm, A), val(0, 0));
	kunit_capture_stop(test, DIAG_WARN);
	ram0.refuse_reads = 0;
	KUNIT_EXPECT_EQ(test, ram0.refused_reads - refused, 1UL);
	KUNIT_EXPECT_EQ(test, ram0.reads - reads, 1UL);
	KUNIT_EXPECT_EQ(test, si->nr_read_errors, errors);
	KUNIT_EXPECT_STR_NOT_CONTAINS(test, out, "read error");
	KUNIT_EXPECT_EQ(test, pte_entry(mm, A).val, 0UL);	/* mapped again */
	mmput(mm);
}

static struct kunit_case swap_cases[] = {
	KUNIT_CASE(pageout_and_fault_back),
	KUNIT_CASE(readahead_reads_the_window_once),
	KUNIT_CASE(swapin_maps_the_readahead_pages_around),
	KUNIT_CASE(fork_shares_one_slot_and_one_page),
	KUNIT_CASE(swap_cache_page_migrates),
	KUNIT_CASE(pinned_page_is_not_swapped),
	KUNIT_CASE(write_error_keeps_the_page),
	KUNIT_CASE(refused_write_keeps_the_slot),
	KUNIT_CASE(read_error_fails_the_fault_only),
	KUNIT_CASE(refused_read_is_tried_again),
	KUNIT_CASE(batched_unmap_owes_the_mm_a_flush),
	KUNIT_CASE(batch_owes_several_mms),
	KUNIT_CASE(stalled_swap_keeps_direct_reclaim_waiting),
	KUNIT_CASE(full_swap_keeps_the_rest),
	KUNIT_CASE(unmap_and_exit_free_the_slots),
	KUNIT_CASE(swapoff_brings_every_page_back),
	KUNIT_CASE(swapoff_finds_a_slot_mapped_behind_it),
	KUNIT_CASE(swapoff_gives_up_on_a_slot_nobody_maps),
	KUNIT_CASE(remote_access_reclaims_without_the_lock),
	KUNIT_CASE(shared_pages_go_out_once_and_come_back),
	KUNIT_CASE(shared_page_write_error_and_unmap),
	KUNIT_CASE(shared_page_read_error_fails_the_fault),
	KUNIT_CASE(swapoff_brings_shared_pages_back),
	KUNIT_CASE(shared_page_migrates),
	KUNIT_CASE(bad_header_is_refused),
	{}
};

static struct kunit_suite swap_suite = {
	.name = "swap",
	.init = swap_suite_init,
	.exit = swap_suite_exit,
	.test_cases = swap_cases,
};
kunit_test_suite(swap_suite);
