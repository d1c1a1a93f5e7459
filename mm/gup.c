/*
 * mm/gup.c - pinning user pages for DMA (mm/gup.h has the contract).
 */
#include "mm/gup.h"
#include "mm/vm_internal.h"
#include "mm/filemap.h"
#include "mm/kmalloc.h"
#include "mm/lru.h"
#include "mm/migrate.h"
#include "mm/page_alloc.h"
#include "kernel/errno.h"
#include "kernel/lib/list.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vsprintf.h"
#include "kernel/spinlock.h"

/* Times a page in a CMA block is moved out before pinning gives up. */
#define PIN_MIGRATE_TRIES	3

struct pin_record {
	struct list_head node;
	struct page **pages;
	unsigned long nr;
	struct mm_struct *mm;
	unsigned long start;
	char why[48];
};

static spinlock_t pins_lock = SPINLOCK_INIT("pins");
static struct list_head pins = LIST_HEAD_INIT(pins);

/* The page mapped at va, faulted in as the access would, with a
 * reference; NULL if the access may not touch it. mmap_lock held. */
static struct page *get_user_page_locked(struct mm_struct *mm,
					 unsigned long va, bool write)
{
	const struct pgtable_fmt *fmt = mm->arch.pgt.fmt;

	for (int tries = 0; tries < 4; tries++) {
		uint64_t pte = 0;
		phys_addr_t pa;
		unsigned int have;

		/* The reference is taken while the PTE maps the page: reclaim
		 * (which needs no mmap_lock) unmaps under the same lock. */
		spin_lock(&mm->page_table_lock);
		pa = pgtable_translate(&mm->arch.pgt, va, &pte, NULL);
		have = fmt->is_present(pte) ?
			fmt->attrs_to_prot(fmt->leaf_attrs(pte)) : 0;
		if ((have & PROT_USER) && (!write || (have & PROT_WRITE))) {
			struct page *page = pfn_to_page(PHYS_PFN(pa));

			if (page && get_page_unless_zero(page)) {
				spin_unlock(&mm->page_table_lock);
				return page;
			}
			spin_unlock(&mm->page_table_lock);
			continue;
		}
		spin_unlock(&mm->page_table_lock);
		if (__handle_mm_fault(mm, va, write ? FAULT_WRITE :
				      FAULT_READ) != VM_FAULT_DONE)
			return NULL;
	}
	return NULL;
}

/*
 * Pin page if va still maps it. Under the mmap_lock: a migrator of this
 * page holds it too, so it sees the pin. Under page_table_lock, with the
 * PTE there: reclaim, which unmaps under that lock and checks for pins
 * there, either sees the pin or has unmapped the page first (then no
 * pin: the caller looks again, and the fault brings the page back).
 */
static bool pin_if_mapped(struct mm_struct *mm, unsigned long va,
			  struct page *page)
{
	const struct pgtable_fmt *fmt = mm->arch.pgt.fmt;
	uint64_t pte = 0;
	phys_addr_t pa;
	bool mapped;

	spin_lock(&mm->page_table_lock);
	pa = pgtable_translate(&mm->arch.pgt, va, &pte, NULL);
	mapped = fmt->is_present(pte) && PHYS_PFN(pa) == page_to_pfn(page);
	if (mapped)
		__atomic_add_fetch(&page->_pincount, 1, __ATOMIC_ACQ_REL);
	spin_unlock(&mm->page_table_lock);
	return mapped;
}

/* May a long-term pin stay on this page? Not in a block CMA or an
 * isolation will want back. */
static bool pinnable(const struct page *page)
{
	int mt = get_pageblock_migratetype(page);

	return mt != MIGRATE_CMA && mt != MIGRATE_ISOLATE;
}

/* The new home of a page leaving CMA for a pin: not movable, so the
 * allocator does not hand out CMA memory for it. */
static struct page *pin_target(struct page *old, unsigned long private)
{
	(void)private;
	return alloc_pages_node(page_pgdat(old), GFP_USER | __GFP_NOWARN, 0);
}

static void unpin_page(struct page *page, bool dirty)
{
	if (dirty) {
		if (PageAnon(page) || !page_mapping(page)) {
			SetPageDirty(page);
		} else {
			lock_page(page);
			set_page_dirty(page);
			unlock_page_wake(page);
		}
	}
	__atomic_sub_fetch(&page->_pincount, 1, __ATOMIC_RELEASE);
	put_page(page);
}

long pin_user_pages(struct mm_struct *mm, unsigned long start,
		    unsigned long nr, bool write, struct page **pages,
		    const char *why)
{
	struct pin_record *rec;
	unsigned long i;
	long err = 0;

	if (start & (PAGE_SIZE - 1))
		return -EINVAL;
	rec = vm_zalloc(mm, sizeof(*rec));	/* the mm's kmalloc set */
	if (!rec)
		return -ENOMEM;
	for (i = 0; i < nr; i++) {
		unsigned long va = start + i * PAGE_SIZE;

		/* moves: out of a CMA block (a look that found the page
		 * unmapped by reclaim is no move: it simply looks again). */
		for (int moves = 0;;) {
			struct list_head list = LIST_HEAD_INIT(list);
			struct page *page;

			mmap_read_lock(mm);
			page = get_user_page_locked(mm, va, write);
			if (!page) {
				mmap_read_unlock(mm);
				err = -EFAULT;
				goto undo;
			}
			if (pinnable(page)) {
				bool pinned = pin_if_mapped(mm, va, page);

				mmap_read_unlock(mm);
				if (pinned) {
					pages[i] = page;
					break;
				}
				/* Reclaim unmapped it meanwhile: fault it
				 * back and look again. */
				put_page(page);
				continue;
			}
			mmap_read_unlock(mm);
			if (moves++ == PIN_MIGRATE_TRIES) {
				put_page(page);
				err = -EBUSY;
				goto undo;
			}
			/* Move it out of the CMA block, then look again. */
			lru_add_drain_all();
			if (isolate_movable_page(page)) {
				/* The isolation's reference is the one the
				 * move expects: ours would stop it. */
				put_page(page);
				list_add(&page->lru, &list);
				migrate_pages(&list, pin_target, NULL, 0,
					      MIGRATE_SYNC, MR_LONGTERM_PIN,
					      NULL);
				putback_movable_pages(&list);
			} else {
				put_page(page);
			}
		}
	}
	rec->pages = pages;
	rec->nr = nr;
	rec->mm = mm;
	rec->start = start;
	strlcpy(rec->why, why ? why : "unnamed", sizeof(rec->why));
	spin_lock(&pins_lock);
	list_add_tail(&rec->node, &pins);
	spin_unlock(&pins_lock);
	return (long)nr;
undo:
	while (i)
		unpin_page(pages[--i], false);
	kfree(rec);
	return err;
}

void unpin_user_pages(struct page **pages, unsigned long nr, bool dirty)
{
	struct pin_record *rec, *found = NULL;

	spin_lock(&pins_lock);
	list_for_each_entry(rec, &pins, node)
		if (rec->pages == pages) {
			list_del(&rec->node);
			found = rec;
			break;
		}
	spin_unlock(&pins_lock);
	for (unsigned long i = 0; i < nr; i++)
		unpin_page(pages[i], dirty);
	kfree(found);
}

bool page_pin_describe(const struct page *page, char *buf, size_t len)
{
	struct pin_record *rec;
	bool found = false;

	spin_lock(&pins_lock);
	list_for_each_entry(rec, &pins, node) {
		for (unsigned long i = 0; i < rec->nr && !found; i++)
			if (rec->pages[i] == page) {
				ksnprintf(buf, len, "%s (mm %p at %#lx)",
					  rec->why, (void *)rec->mm,
					  rec->start + i * PAGE_SIZE);
				found = true;
			}
		if (found)
			break;
	}
	spin_unlock(&pins_lock);
	if (!found)
		ksnprintf(buf, len, page_maybe_dma_pinned(page) ?
			  "pinned by an unrecorded user" : "not pinned");
	return found;
}
