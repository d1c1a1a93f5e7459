/*
 * mm/migrate.h - page migration: move the contents and every use of an
 * in-use page to another page frame, so that the frame it leaves can be
 * given to someone else (CMA takes its region back, compaction makes
 * free blocks of high order). Linux's migrate_pages(), with Linux's
 * meaning: the page's users do not notice, but for a fault that waits.
 * docs/mm/migrate.md tells the story with a picture.
 *
 * What moves (each a page the LRU holds, isolated first):
 *   - anonymous pages, mapped by one process or by several after fork;
 *   - page-cache pages, mapped or not, clean or dirty (dirty ones move
 *     dirty); a page under writeback is waited for (MIGRATE_SYNC) or
 *     left for later (MIGRATE_ASYNC);
 *   - swap-cache pages, mapped or not.
 * What does not: pages nobody can find again through an index or rmap
 * (kernel allocations, page tables, slab, shared anonymous memory): they
 * are allocated without __GFP_MOVABLE, so they never sit in a movable or
 * CMA pageblock. Pinned pages (pin_user_pages: DMA into user memory) do
 * not move while pinned: -EBUSY, with the pin named.
 *
 * One page's move (move_page in mm/migrate.c):
 *   1. take the old page's lock (a trylock), find the processes mapping
 *      it (rmap), and take their mm->mmap_locks with trylocks;
 *   2. replace every PTE mapping it by a migration entry (a non-present
 *      payload naming the old page's pfn, and whether the PTE was
 *      writable) and flush the TLBs, moving dirty bits to the page;
 *   3. check that nobody else holds a reference (the count is what the
 *      page cache / swap cache and the migration itself hold), copy the
 *      data and the page's state to the new page, and, under the index's
 *      lock, put the new page in the index in place of the old;
 *   4. replace every migration entry by a PTE for the new page (same
 *      protection, dirty and accessed bits), put the new page on the
 *      LRU and free the old one.
 * A failure before 3's switch puts every PTE back on the old page.
 *
 * Why the mmap_lock (Linux takes only each page table's spinlock): here
 * a process's page tables are guarded by its mmap_lock alone (a mutex),
 * so the migrator holds it across the move, and a fault during the move
 * waits on it. The migration entries still mark the PTEs while the page
 * is copied: another CPU that stores through the page takes a fault and
 * waits there, instead of storing into the copy's source. A fault can
 * never find a migration entry (it would need the lock); if one does,
 * that is a bug and is reported as one.
 *
 * Locks: the migrator never sleeps on a lock while it holds another of
 * these kinds. The page lock and the mmap_locks are taken with trylocks
 * (a fault holds its mmap_lock while it waits for a page lock; truncate
 * holds a page lock while it waits for an mmap_lock; so a migrator
 * holding one mmap_lock and waiting for another could close a cycle
 * through them). When one is busy, everything is let go; MIGRATE_SYNC
 * then waits for the busy mmap_lock alone (holding nothing) and the page
 * is tried again; MIGRATE_ASYNC just reports it busy. The anon_vma /
 * i_mmap and i_pages spinlocks come inside. A caller must not hold an
 * mmap_lock other than current_locked_mm()'s (which is used, not taken
 * again).
 */
#ifndef MM_MIGRATE_H
#define MM_MIGRATE_H

#include "kernel/types.h"
#include "kernel/lib/list.h"
#include "mm/mm_types.h"

enum migrate_mode {
	MIGRATE_ASYNC,	/* never sleeps on a lock or I/O: busy -> -EAGAIN */
	MIGRATE_SYNC,	/* may wait for mmap_locks and for writeback */
};

/* Why the caller wants it moved (for reports and tracing; not counted
 * apart yet). */
enum migrate_reason {
	MR_COMPACTION,
	MR_CONTIG_RANGE,	/* alloc_contig_range: CMA */
	MR_SYSCALL,		/* tests and labs asking for one page */
	MR_LONGTERM_PIN,	/* pin_user_pages: out of a CMA block first */
	MR_TYPES
};

/*
 * The new page for old, allocated by the caller's policy (CMA: anywhere
 * outside the range being taken; compaction: a free page its free
 * scanner isolated), or NULL. Must be on old's node, refcount 1, owner
 * state clear (a fresh alloc_page). private is the caller's.
 */
typedef struct page *(*new_page_t)(struct page *old, unsigned long private);
/* Give back a new page that was not used (NULL: __free_page). */
typedef void (*free_page_t)(struct page *new, unsigned long private);

/*
 * What went wrong with the first page that could not move, for the
 * caller's report (cma_alloc names the page, its owner and the pin).
 */
struct migrate_failure {
	unsigned long pfn;		/* 0 with err 0: nothing failed */
	int err;			/* -EAGAIN, -EBUSY, -ENOMEM */
	const char *why;		/* "pinned", "extra reference", ... */
	int refcount, expected;		/* the counts that disagreed */
	int pincount;
	char pin[80];			/* who pinned it (page_pin_describe) */
	unsigned long flags;		/* page->flags when it failed */
	bool anon;			/* anonymous, else page cache or swap */
};

/*
 * Isolate page for migration (it stays allocated, off its LRU list):
 * takes a reference and takes it off the LRU, in one step under
 * lru_lock (get_and_isolate_lru_page), so page may be any page found by
 * its pfn. false: not on an LRU list now (another owner's page, already
 * isolated by reclaim or another migrator, being freed, or still in an
 * LRU add batch: lru_add_drain_all first). The page goes on the
 * caller's list through page->lru.
 */
bool isolate_movable_page(struct page *page);
/* Put every page left on list back on its LRU list and drop the
 * isolation's reference (Linux's putback_movable_pages). */
void putback_movable_pages(struct list_head *list);

/*
 * Move every page on from (isolated pages, linked through page->lru)
 * to a page from get_new_page. Pages that moved are freed (the list
 * loses them); pages that could not move stay on from for the caller to
 * try again or putback_movable_pages(). A page that was busy
 * (-EAGAIN: a lock or a reference held for a moment) is tried up to 10
 * times in MIGRATE_SYNC (a millisecond apart), once in MIGRATE_ASYNC; a
 * pinned page (-EBUSY) and a page with no new page (-ENOMEM) are not
 * tried again.
 * Returns the number of pages that did not move (0: all moved). fail,
 * if not NULL and a page did not move, gets why: the first page that
 * failed for good (-EBUSY, -ENOMEM), else the first that was still busy
 * in the last pass (a page busy once that moved later is not named).
 * Counts PGMIGRATE_SUCCESS and
 * PGMIGRATE_FAIL. Sleeps (takes mmap_locks, page locks, waits for
 * writeback in MIGRATE_SYNC); call with no spinlock held.
 */
unsigned long migrate_pages(struct list_head *from, new_page_t get_new_page,
			    free_page_t put_new_page, unsigned long private,
			    enum migrate_mode mode, enum migrate_reason reason,
			    struct migrate_failure *fail);

/*
 * Move one isolated page (not on any list) to new; what migrate_pages
 * does for each. 0 (old is freed, new is in its place; or old was
 * truncated meanwhile and both are freed), or -errno with both pages as
 * they were (new still the caller's): -EAGAIN (busy: try again), -EBUSY
 * (pinned, or nothing can move it), -EINVAL (new is on another node).
 * For tests.
 */
int migrate_one_page(struct page *old, struct page *new,
		     enum migrate_mode mode, struct migrate_failure *fail);

/*
 * For owners' migrate_folio hooks (struct address_space_operations):
 * migrate_page_copy: new (locked, unseen) becomes a copy of old - data,
 * flags, mapping, index, private. migrate_page_mapping: under the
 * index's lock, if only the index and the migration hold old (plus
 * extra references the owner accounts for), put new in old's slot
 * (marks kept) and move the index's reference; 0 or -EAGAIN.
 * filemap_migrate_folio (mm/filemap.h) is both, for a page cache with
 * nothing of its own in the page.
 */
struct address_space;
void migrate_page_copy(struct page *new, struct page *old);
int migrate_page_mapping(struct address_space *mapping, struct page *new,
			 struct page *old, int extra);

/* ---------------------------------------------------------------- entries */

/*
 * A migration entry is a non-present PTE payload in the swap entry's
 * format (mm/swap.h) with a type past the swap areas:
 * SWP_MIGRATION_READ or _WRITE (the PTE was writable), and the old
 * page's pfn as the offset. Only a migrator holding the mm's lock ever
 * sees one.
 */
#define SWP_MIGRATION_READ	32U	/* MAX_SWAPFILES */
#define SWP_MIGRATION_WRITE	33U

bool is_migration_payload(uint64_t payload);
/* The pfn a migration payload names. */
unsigned long migration_payload_pfn(uint64_t payload);

#endif
