/*
 * mm/gup.h - pinning user pages for DMA (Linux's pin_user_pages() with
 * FOLL_LONGTERM): a driver that lets a device read or write a process's
 * memory directly must keep those page frames where they are, mapped to
 * the process, until the device is done.
 *
 * A pin is a reference (the page is not freed) and a count in
 * page->_pincount (page_maybe_dma_pinned(): migration refuses the page,
 * reclaim keeps it). Because a pinned page cannot move, it must not sit
 * where someone will want it back: a page in a CMA (or isolated)
 * pageblock is moved out first, to an unmovable pageblock, as Linux does
 * for long-term pins. So CMA fails only on a page pinned after the fact
 * by someone who bypassed this (a test setting _pincount), and then says
 * who (page_pin_describe).
 *
 * Each pin_user_pages() call is recorded (what for, which mm, where) so a
 * report about a pinned page can name the pin. fork gives the child its
 * own copy of a pinned anonymous page at once (copy_ptes), so the
 * parent's stores stay in the frame the device uses. Not yet: a read
 * pin (write false) of an anonymous page already shared copy-on-write
 * stays shared, and the parent's next store moves it to a copy.
 */
#ifndef MM_GUP_H
#define MM_GUP_H

#include "kernel/types.h"
#include "mm/mm.h"

/*
 * Pin nr pages of mm from start (page aligned), faulting each in as an
 * access would (write: writable, copy-on-write broken first). why names
 * the user in reports ("virtio-blk O_DIRECT, pid 12"). pages[] gets the
 * pages and must stay valid until unpin_user_pages(pages, ...). Returns
 * nr, or -EFAULT (an address the access may not touch), -ENOMEM, -EBUSY
 * (a page in a CMA block that could not be moved out): then nothing is
 * pinned. Sleeps; takes mm->mmap_lock.
 */
long pin_user_pages(struct mm_struct *mm, unsigned long start,
		    unsigned long nr, bool write, struct page **pages,
		    const char *why);
/* Unpin what one pin_user_pages() call pinned (the same pages array);
 * dirty: the device wrote them (file pages are marked dirty for
 * writeback; anonymous ones are dirty anyway). */
void unpin_user_pages(struct page **pages, unsigned long nr, bool dirty);
/* Who pinned page: "<why> (mm <ptr> at <address>)" into buf; false if
 * no recorded pin holds it (buf says "not pinned" or "pinned by an
 * unrecorded user"). */
bool page_pin_describe(const struct page *page, char *buf, size_t len);

#endif
