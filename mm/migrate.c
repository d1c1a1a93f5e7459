/*
 * mm/migrate.c - page migration (mm/migrate.h has the contract and the
 * steps; docs/mm/migrate.md the picture): move an in-use page's data and
 * every use of it (PTEs, the page-cache or swap-cache index, the LRU) to
 * a new page frame.
 */
#include "mm/migrate.h"
#include "mm/vm_internal.h"
#include "mm/rmap.h"
#include "mm/lru.h"
#include "mm/filemap.h"
#include "mm/gup.h"
#include "mm/swap.h"
#include "mm/page_alloc.h"
#include "mm/vmstat.h"
#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/wait.h"

_Static_assert(SWP_MIGRATION_READ == MAX_SWAPFILES,
	       "migration entries take the first types past the swap areas");

/* ---------------------------------------------------------------- entries */

/*
 * The offset of a migration entry: the old page's pfn, and what the PTE
 * was beside it, so the new PTE is the same but for the page: its
 * protection (PROT_* | PROT_USER) and its accessed and dirty bits.
 */
#define MIG_PFN_BITS	36		/* 256 TiB of RAM */
#define MIG_PROT_SHIFT	MIG_PFN_BITS
#define MIG_PROT_MASK	0xffUL
#define MIG_YOUNG	(1UL << (MIG_PROT_SHIFT + 8))
#define MIG_DIRTY	(1UL << (MIG_PROT_SHIFT + 9))

static uint64_t make_migration_payload(unsigned long pfn, unsigned int prot,
				       bool young, bool dirty)
{
	unsigned long off = pfn | ((unsigned long)(prot & MIG_PROT_MASK) <<
				   MIG_PROT_SHIFT);

	if (young)
		off |= MIG_YOUNG;
	if (dirty)
		off |= MIG_DIRTY;
	return swp_entry_to_payload(swp_entry(prot & PROT_WRITE ?
					      SWP_MIGRATION_WRITE :
					      SWP_MIGRATION_READ, off));
}

bool is_migration_payload(uint64_t payload)
{
	unsigned int type = swp_type(payload_to_swp_entry(payload));

	return type == SWP_MIGRATION_READ || type == SWP_MIGRATION_WRITE;
}

unsigned long migration_payload_pfn(uint64_t payload)
{
	return swp_offset(payload_to_swp_entry(payload)) &
	       ((1UL << MIG_PFN_BITS) - 1);
}

static unsigned int migration_payload_prot(uint64_t payload)
{
	return (unsigned int)((swp_offset(payload_to_swp_entry(payload)) >>
			       MIG_PROT_SHIFT) & MIG_PROT_MASK);
}

/* ---------------------------------------------------------------- isolation */

bool isolate_movable_page(struct page *page)
{
	/* The reference only while it is on an LRU list: a scanner's page
	 * may belong to anyone, and a reference we held last on a slab or
	 * page-table page would free it the wrong way (put_page). */
	return get_and_isolate_lru_page(page);
}

void putback_movable_pages(struct list_head *list)
{
	struct page *page, *next;

	list_for_each_entry_safe(page, next, list, lru) {
		list_del(&page->lru);
		putback_lru_page(page);
		put_page(page);
	}
}

/* ---------------------------------------------------------------- the mms */

/*
 * The processes whose page tables map the page, each with a reference and
 * (once locked) its mmap_lock. A page mapped by more processes than this
 * does not move (-EBUSY, said in the failure).
 */
#define MIGRATE_MAX_MMS	32

struct mm_set {
	unsigned int n;
	struct mm_struct *mm[MIGRATE_MAX_MMS];
	bool locked[MIGRATE_MAX_MMS];	/* by us (not current's own) */
};

static void mm_set_unlock(struct mm_set *set)
{
	for (unsigned int i = 0; i < set->n; i++)
		if (set->locked[i]) {
			mmap_read_unlock(set->mm[i]);
			set->locked[i] = false;
		}
}

static void mm_set_put(struct mm_set *set)
{
	mm_set_unlock(set);
	for (unsigned int i = 0; i < set->n; i++)
		mmput(set->mm[i]);
	set->n = 0;
}

static void sort_mms(struct mm_set *set)
{
	for (unsigned int i = 1; i < set->n; i++)
		for (unsigned int j = i; j > 0 &&
		     (uintptr_t)set->mm[j - 1] > (uintptr_t)set->mm[j]; j--) {
			struct mm_struct *t = set->mm[j];

			set->mm[j] = set->mm[j - 1];
			set->mm[j - 1] = t;
		}
}

/*
 * Lock every mm of the set but the one current already holds (a fault's:
 * direct compaction), with trylocks: the page lock is held, and a fault
 * may hold its mmap_lock while it waits for that page. true when all are
 * held. false: one was busy, and none is held now; with wait
 * (MIGRATE_SYNC, no mm of our own held), the busy one was waited for
 * first, alone - the page lock let go (*page_unlocked) and no other
 * mmap_lock held - so the caller's next try is likely to get it.
 *
 * Never sleep on an mmap_lock while holding another: truncate holds a
 * page lock while it waits for an mmap_lock (unmap_mapping_pages), and a
 * fault holds its mmap_lock while it waits for a page lock, so a migrator
 * holding mm J while waiting for mm I closes the cycle J -> I (fault in I
 * waits for page P) -> P (truncate waits for J). (A review found it:
 * the first version took the locks in address order, waiting, which
 * only orders migrators among themselves.)
 */
static bool mm_set_lock(struct mm_set *set, bool wait, struct page *page,
			bool *page_unlocked)
{
	struct mm_struct *own = current_locked_mm(), *busy = NULL;

	*page_unlocked = false;
	for (unsigned int i = 0; i < set->n; i++) {
		if (set->mm[i] == own)
			continue;
		if (!mmap_read_trylock(set->mm[i])) {
			busy = set->mm[i];
			break;
		}
		set->locked[i] = true;
	}
	if (!busy)
		return true;
	mm_set_unlock(set);
	if (wait && !own) {
		unlock_page_wake(page);
		*page_unlocked = true;
		mmap_read_lock(busy);	/* holding nothing else */
		mmap_read_unlock(busy);
	}
	return false;
}

/* ---------------------------------------------------------------- PTEs */

struct migrate_walk {
	struct page *old, *new;
	const char *why;		/* unmap: what stopped it */
	unsigned int nr;		/* PTEs changed */
};

/* Replace one PTE mapping old by a migration entry; its dirty bit goes
 * to the page, its reference and mapcount go (the mm's rss stays: the
 * page comes back). */
static int unmap_to_migration(struct page *page, struct vm_area_struct *vma,
			      unsigned long va, void *arg)
{
	struct migrate_walk *w = arg;
	struct mm_struct *mm = vma->vm_mm;
	const struct pgtable_fmt *fmt = mm->arch.pgt.fmt;
	unsigned int prot;
	uint64_t pte = 0;
	bool dirty;

	pgtable_translate(&mm->arch.pgt, va, &pte, NULL);
	prot = fmt->attrs_to_prot(fmt->leaf_attrs(pte));
	/* The exchange reads the final accessed and dirty bits: a CPU that
	 * would set one now walks to the entry and faults (and waits for
	 * our mmap_lock). The prot and pfn do not change meanwhile. */
	pte = pgtable_exchange_nonpresent(&mm->arch.pgt, va,
		make_migration_payload(page_to_pfn(page), prot, true, false));
	if (!pte)
		panic("migrate: no present PTE at %#lx of a locked mm", va);
	arch_flush_tlb_mm_range(&mm->arch, va, PAGE_SIZE);
	dirty = (pte & fmt->dirty_bit) != 0;
	/* Write the real bits in (the exchange could not know them). */
	pgtable_unmap(&mm->arch.pgt, va, PAGE_SIZE);
	if (pgtable_set_nonpresent(&mm->arch.pgt, va,
				   make_migration_payload(page_to_pfn(page),
					prot, !fmt->young_bit ||
					(pte & fmt->young_bit), dirty)))
		panic("migrate: the table at %#lx went away", va);
	if (dirty) {
		/* Where it belongs now, so the copy carries it. */
		if (PageAnon(page))
			SetPageDirty(page);
		else
			set_page_dirty(page);
	}
	page_remove_rmap(page);
	put_page(page);			/* the PTE's reference */
	w->nr++;
	return 0;
}

/* Replace a migration entry naming w->old at va by a PTE for w->new
 * (which may be w->old itself: a move that failed puts them back). */
static int remove_migration_pte(struct page *page, struct vm_area_struct *vma,
				unsigned long va, void *arg)
{
	struct migrate_walk *w = arg;
	struct mm_struct *mm = vma->vm_mm;
	const struct pgtable_fmt *fmt = mm->arch.pgt.fmt;
	uint64_t pte = 0, payload, bits = 0;
	unsigned int prot;

	(void)page;
	pgtable_translate(&mm->arch.pgt, va, &pte, NULL);
	if (!pte || fmt->is_present(pte))
		return 0;
	payload = fmt->nonpresent_payload(pte);
	if (!is_migration_payload(payload) ||
	    migration_payload_pfn(payload) != page_to_pfn(w->old))
		return 0;
	prot = migration_payload_prot(payload);
	pgtable_unmap(&mm->arch.pgt, va, PAGE_SIZE);
	if (arch_mm_map(&mm->arch, va, PFN_PHYS(page_to_pfn(w->new)),
			PAGE_SIZE, prot))
		panic("migrate: cannot map %#lx again (its table is there)",
		      va);
	if (swp_offset(payload_to_swp_entry(payload)) & MIG_DIRTY)
		bits |= fmt->dirty_bit;
	if (swp_offset(payload_to_swp_entry(payload)) & MIG_YOUNG)
		bits |= fmt->young_bit;
	if (bits)
		pte_update_bits(mm, va, 0, bits);
	get_page(w->new);		/* the PTE's reference */
	if (PageAnon(w->new))
		page_dup_rmap(w->new);	/* counts AnonPages on the first */
	else
		page_add_file_rmap(w->new);
	w->nr++;
	return 0;
}

/* ---------------------------------------------------------------- state */

/* The owner flags a page's state is made of, copied to the new page.
 * Not PG_locked (both are locked), PG_lru (the LRU is put right after),
 * PG_writeback and PG_reclaim (writeback was waited for). */
#define MIGRATE_FLAGS	((1UL << PG_referenced) | (1UL << PG_uptodate) | \
			 (1UL << PG_dirty) | (1UL << PG_active) | \
			 (1UL << PG_swapbacked) | (1UL << PG_swapcache) | \
			 (1UL << PG_unevictable) | (1UL << PG_error) | \
			 (1UL << PG_readahead) | (1UL << PG_workingset) | \
			 (1UL << PG_idle) | (1UL << PG_young))

/* new (locked, nobody can see it) becomes old's copy: data, flags,
 * mapping, index, private. */
void migrate_page_copy(struct page *new, struct page *old)
{
	memcpy(page_address(new), page_address(old), PAGE_SIZE);
	__atomic_fetch_or(&new->flags, READ_ONCE(old->flags) & MIGRATE_FLAGS,
			  __ATOMIC_RELEASE);
	new->mapping = old->mapping;
	new->index = old->index;
	new->private = old->private;
}

/* Undo migrate_page_copy on a new page that was not used. */
static void migrate_page_forget(struct page *new)
{
	__atomic_fetch_and(&new->flags, ~MIGRATE_FLAGS, __ATOMIC_RELAXED);
	new->mapping = NULL;
	new->index = 0;
	new->private = 0;
}

/* old has left every index and page table: it goes back to the
 * allocator when its last reference (the isolation's) is dropped. */
static void migrate_page_retire(struct page *old)
{
	__atomic_fetch_and(&old->flags, ~MIGRATE_FLAGS, __ATOMIC_RELAXED);
	old->mapping = NULL;
	old->index = 0;
	old->private = 0;
}

/*
 * The index switch: under the index's lock, check that only the index
 * and the migration hold old (extra more: none yet), and put new in its
 * slot (the slot's marks - dirty, writeback - stay). The index's
 * reference moves to new. Lookups take their references under this
 * lock, so after the check nobody can have found old. 0 or -EAGAIN.
 */
int migrate_page_mapping(struct address_space *mapping, struct page *new,
			 struct page *old, int extra)
{
	int expected = 2 + extra;	/* the index's, the migration's */
	unsigned long flags;
	void *slot;

	spin_lock_irqsave(&mapping->i_pages_lock, flags);
	if (page_count(old) != expected) {
		spin_unlock_irqrestore(&mapping->i_pages_lock, flags);
		return -EAGAIN;
	}
	slot = xa_store(&mapping->i_pages, PageSwapCache(old) ?
			swp_offset(page_swap_entry(old)) : old->index, new,
			GFP_NOWAIT);
	BUG_ON(slot != old);	/* an existing slot: no node is needed */
	get_page(new);			/* the index's reference */
	put_page_testzero(old);		/* ours is still there */
	spin_unlock_irqrestore(&mapping->i_pages_lock, flags);
	return 0;
}

int filemap_migrate_folio(struct address_space *mapping, struct page *new,
			  struct page *old, enum migrate_mode mode)
{
	int err;

	(void)mode;
	/* Copy first: old is locked (no write(), no writeback can start),
	 * unmapped (no stores), and a reader that took a reference after
	 * this makes the switch fail. */
	migrate_page_copy(new, old);
	err = migrate_page_mapping(mapping, new, old, 0);
	if (err)
		migrate_page_forget(new);
	return err;
}

/* ---------------------------------------------------------------- one page */

static int fail_with(struct migrate_failure *f, struct page *page, int err,
		     const char *why, int expected)
{
	if (f && !f->err) {
		f->pfn = page_to_pfn(page);
		f->err = err;
		f->why = why;
		f->refcount = page_count(page);
		f->expected = expected;
		f->pincount = page_pincount(page);
		if (f->pincount)
			page_pin_describe(page, f->pin, sizeof(f->pin));
		f->flags = READ_ONCE(page->flags);
		f->anon = PageAnon(page);
	}
	return err;
}

/* Collect the processes that map page (its lock held; av: its anon_vma,
 * held, or NULL for a page-cache page). */
static int collect_mms(struct page *page, struct anon_vma *av,
		       struct mm_set *set)
{
	int n = rmap_collect_mms(page, av, set->mm, MIGRATE_MAX_MMS);

	if (n < 0)
		return n;
	set->n = (unsigned int)n;
	for (unsigned int i = 0; i < set->n; i++)
		set->locked[i] = false;
	sort_mms(set);
	return 0;
}

/*
 * The move of one locked, isolated page whose mappers' locks are held.
 * Returns 0 (old retired, new in its place and mapped) or -errno (every
 * PTE back on old).
 */
static int move_locked_page(struct page *old, struct page *new,
			    struct mm_set *set, struct anon_vma *av,
			    enum migrate_mode mode, struct migrate_failure *f)
{
	struct address_space *mapping = NULL;
	struct migrate_walk w = { .old = old, .new = old };
	struct rmap_walk_control rwc = {
		.arg = &w, .held = set->mm, .nr_held = set->n,
		.locked_mm = current_locked_mm(), .anon_vma = av,
	};
	int err = 0;

	if (PageSwapCache(old))
		mapping = &swap_info_get(page_swap_entry(old))->cache;
	else if (!PageAnon(old))
		mapping = page_mapping(old);
	if (mapping && !PageSwapCache(old) &&
	    (!mapping->a_ops || !mapping->a_ops->migrate_folio))
		return fail_with(f, old, -EBUSY, "its file system cannot move "
				 "its pages (no migrate_folio)", 0);

	/* 2. Every PTE becomes a migration entry. */
	if (page_mapped(old)) {
		rwc.rmap_one = unmap_to_migration;
		rmap_walk(old, &rwc);
	}
	if (page_mapped(old)) {
		err = fail_with(f, old, -EAGAIN, "mapped by a process being "
				"forked or exiting", 0);
		goto restore;
	}
	if (page_maybe_dma_pinned(old)) {
		err = fail_with(f, old, -EBUSY, "pinned (pin_user_pages)",
				1 + (mapping != NULL));
		goto restore;
	}

	/* 3. Nobody else holds it: copy, and switch the index. */
	if (!mapping) {
		if (page_count(old) != 1) {
			err = fail_with(f, old, -EAGAIN, "extra reference", 1);
			goto restore;
		}
		migrate_page_copy(new, old);
	} else if (PageSwapCache(old)) {
		migrate_page_copy(new, old);
		err = migrate_page_mapping(mapping, new, old, 0);
		if (err)
			migrate_page_forget(new);
	} else {
		err = mapping->a_ops->migrate_folio(mapping, new, old, mode);
	}
	if (err) {
		fail_with(f, old, err, "extra reference", 2);
		goto restore;
	}
	w.new = new;

restore:
	/* 4. The entries become PTEs again: of new, or (failure) of old. */
	if (w.nr) {
		rwc.rmap_one = remove_migration_pte;
		rwc.any_pte = true;
		rwc.anon_vma = av;
		w.nr = 0;
		rmap_walk(w.new, &rwc);
	}
	if (!err)
		migrate_page_retire(old);
	return err;
}

/* The steps around move_locked_page: the page lock, the mms' locks,
 * writeback. Returns 0, -EAGAIN, -EBUSY. */
static int move_page(struct page *old, struct page *new,
		     enum migrate_mode mode, struct migrate_failure *f)
{
	struct mm_set set = { 0 };
	struct anon_vma *av = NULL;
	bool page_unlocked;
	int err;

	/* The node's counts (file, swap cache, dirty, isolated) would have
	 * to move with the page: not done here (no NUMA). */
	if (page_pgdat(old) != page_pgdat(new))
		return fail_with(f, old, -EINVAL, "the new page is on another "
				 "node", 0);
	if (!trylock_page(old))
		return fail_with(f, old, -EAGAIN, "locked (I/O or another "
				 "user)", 0);
	if (PageWriteback(old)) {
		unlock_page_wake(old);
		if (mode == MIGRATE_SYNC)	/* then tried again */
			wait_on_page_writeback(old);
		return fail_with(f, old, -EAGAIN, "under writeback", 0);
	}
	if (!PageAnon(old) && !PageSwapCache(old) && !page_mapping(old)) {
		unlock_page_wake(old);
		/* Truncated while isolated: nothing to move; it is freed
		 * when the isolation's reference goes. */
		if (!page_mapped(old) && page_count(old) == 1)
			return 1;
		/* Shared anonymous memory (only its object's array finds
		 * it), or a page its owner put on the LRU by mistake. */
		return fail_with(f, old, -EBUSY, "no owner that can move it "
				 "(not anonymous, page cache or swap cache)",
				 0);
	}
	if (PageAnon(old))
		av = page_get_anon_vma(old);	/* NULL: unmapped */
	err = collect_mms(old, av, &set);
	if (err) {
		unlock_page_wake(old);
		if (av)
			put_anon_vma(av);
		return fail_with(f, old, err, err == -EBUSY ?
				 "mapped by too many processes" :
				 "mapped by a process that is exiting", 0);
	}
	if (!mm_set_lock(&set, mode == MIGRATE_SYNC, old, &page_unlocked)) {
		/* Tried again by migrate_pages (SYNC: after waiting for the
		 * busy process, which is then likely free). */
		err = fail_with(f, old, -EAGAIN, "a mapping process is busy",
				0);
		if (!page_unlocked)
			unlock_page_wake(old);
		goto out;
	}
	__SetPageLocked(new);
	err = move_locked_page(old, new, &set, av, mode, f);
	unlock_page_wake(old);
	unlock_page_wake(new);
out:
	mm_set_put(&set);
	if (av)
		put_anon_vma(av);
	return err;
}

int migrate_one_page(struct page *old, struct page *new,
		     enum migrate_mode mode, struct migrate_failure *fail)
{
	int err = move_page(old, new, mode, fail);

	if (err == 1) {			/* nothing to move: old goes */
		__free_page(new);
		/* Back on its list (the isolated count), then the
		 * isolation's reference: the last, which frees it. */
		putback_lru_page(old);
		put_page(old);
		return 0;
	}
	if (err)
		return err;
	/* new takes old's place on the LRU (and in NR_ISOLATED's count:
	 * putback uncounts new as old was counted). */
	putback_lru_page(new);
	put_page(new);			/* the allocation's reference */
	put_page(old);			/* the isolation's: old is freed */
	return 0;
}

/* ---------------------------------------------------------------- lists */

#define MIGRATE_SYNC_PASSES	10

static DECLARE_WAIT_QUEUE_HEAD(migrate_backoff);

unsigned long migrate_pages(struct list_head *from, new_page_t get_new_page,
			    free_page_t put_new_page, unsigned long private,
			    enum migrate_mode mode, enum migrate_reason reason,
			    struct migrate_failure *fail)
{
	struct list_head failed = LIST_HEAD_INIT(failed);
	unsigned int passes = mode == MIGRATE_SYNC ? MIGRATE_SYNC_PASSES : 1;
	unsigned long moved = 0, left = 0;
	/* The first page that failed for good, and the first that was busy
	 * in the last pass: a page busy once that moved later is nobody's
	 * reason (the caller acts on the pfn: CMA's next run). */
	struct migrate_failure perm = { 0 }, busy = { 0 };
	struct page *page, *next;

	(void)reason;
	for (unsigned int pass = 0; pass < passes && !list_empty(from);
	     pass++) {
		struct list_head retry = LIST_HEAD_INIT(retry);

		if (pass)	/* let the busy moment pass */
			wait_event_timeout(migrate_backoff, false, 1);
		memset(&busy, 0, sizeof(busy));
		list_for_each_entry_safe(page, next, from, lru) {
			struct page *new = get_new_page(page, private);
			struct migrate_failure f = { 0 };
			int err;

			if (!new) {
				fail_with(&perm, page, -ENOMEM,
					  "no page to move it to", 0);
				list_move_tail(&page->lru, &failed);
				continue;
			}
			list_del(&page->lru);
			err = migrate_one_page(page, new, mode, &f);
			if (!err) {
				moved++;
				continue;
			}
			if (put_new_page)
				put_new_page(new, private);
			else
				__free_page(new);
			if (err == -EAGAIN) {
				if (!busy.err)
					busy = f;
				list_add_tail(&page->lru, &retry);
			} else {
				if (!perm.err)
					perm = f;
				list_add_tail(&page->lru, &failed);
			}
		}
		list_splice_tail_init(&retry, from);
	}
	list_splice_tail_init(&failed, from);
	list_for_each_entry(page, from, lru)
		left++;
	if (fail && left)
		*fail = perm.err ? perm : busy;
	count_vm_events(PGMIGRATE_SUCCESS, moved);
	count_vm_events(PGMIGRATE_FAIL, left);
	return left;
}
