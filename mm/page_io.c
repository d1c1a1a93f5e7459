/*
 * mm/page_io.c - reading and writing swap slots through the area's
 * backend (mm/swap.h: struct swap_backend; virtio-blk's is
 * drivers/block/blk_swap.c). Everything is asynchronous: a write ends
 * the page's writeback in its completion, a read unlocks the page.
 *
 * Errors lose nothing silently:
 *  - a write error marks the slot bad (never handed out again) and leaves
 *    the page dirty in memory, in the swap cache: it stays there until
 *    the processes that map the entry fault it back (reclaim keeps it:
 *    PG_error), when the slot is let go for good;
 *  - a read error leaves the page !PG_uptodate with PG_error: the fault
 *    that waited for it kills its process (do_swap_page) and names the
 *    slot;
 *  - a write the backend could not start (submit() failed) touched no
 *    disk: the page is dirty again and its slot stays good; a read it
 *    could not start for want of memory or room (-ENOMEM, -EAGAIN) leaves
 *    the swap cache, and the fault reads again;
 *  - a backend that reports itself dead (->dead, or submit() failing
 *    with -ENODEV) makes the area SWP_DEAD: no more slots from it, as if
 *    full.
 */
#include "kernel/lib/string.h"
#include "kernel/printk.h"
#include "kernel/wait.h"
#include "mm/filemap.h"
#include "mm/kmalloc.h"
#include "mm/lru.h"
#include "mm/swap.h"
#include "mm/vmstat.h"

static size_t swap_io_size(const struct swap_info_struct *si)
{
	return sizeof(struct swap_io) + si->backend->io_extra;
}

int swap_io_pool_fill(struct swap_info_struct *si)
{
	spin_lock_init(&si->io_pool_lock, "swap_io_pool");
	init_waitqueue_head(&si->io_pool_wait, "swap_io_pool");
	for (si->io_pool_nr = 0; si->io_pool_nr < SWAP_IO_POOL; si->io_pool_nr++) {
		struct swap_io *io = kzalloc(swap_io_size(si), GFP_KERNEL);

		if (!io) {
			swap_io_pool_drain(si);
			return -ENOMEM;
		}
		io->pooled = true;
		si->io_pool[si->io_pool_nr] = io;
	}
	return 0;
}

void swap_io_pool_drain(struct swap_info_struct *si)
{
	while (si->io_pool_nr)
		kfree(si->io_pool[--si->io_pool_nr]);
}

static void swap_io_free(struct swap_info_struct *si, struct swap_io *io)
{
	unsigned long flags;

	if (!io->pooled) {
		kfree(io);
		return;
	}
	memset(io, 0, swap_io_size(si));
	io->pooled = true;
	spin_lock_irqsave(&si->io_pool_lock, flags);
	si->io_pool[si->io_pool_nr++] = io;
	spin_unlock_irqrestore(&si->io_pool_lock, flags);
	if (waitqueue_active(&si->io_pool_wait))
		wake_up(&si->io_pool_wait);
}

static struct swap_io *swap_io_from_pool(struct swap_info_struct *si)
{
	struct swap_io *io = NULL;
	unsigned long flags;

	spin_lock_irqsave(&si->io_pool_lock, flags);
	if (si->io_pool_nr) {
		io = si->io_pool[--si->io_pool_nr];
	}
	spin_unlock_irqrestore(&si->io_pool_lock, flags);
	return io;
}

static bool swap_io_pool_has(struct swap_info_struct *si)
{
	return READ_ONCE(si->io_pool_nr) != 0;
}

/*
 * A request (Linux's mempool_alloc): from the allocator when it has
 * memory, else from the area's pool; the reserves below min are not for
 * this (a whole high-order slab would be taken from them for one request,
 * and the network under a swap over NBD needs them:
 * docs/mm/swap-over-network.md). While the pool is in use memory is
 * short, so the pool is asked first: a failing allocation costs a trip
 * through the allocator's slow path (drains, IPIs) for nothing. With the
 * pool empty, a caller that may sleep waits for a request in flight to
 * end (up to 100 ms at a time, a second in all) rather than fail and have
 * reclaim scan the same pages again; NULL then, or at once for one that
 * may not sleep.
 */
static struct swap_io *swap_io_alloc(struct swap_info_struct *si, gfp_t gfp)
{
	struct swap_io *io = NULL;

	if (READ_ONCE(si->io_pool_nr) < SWAP_IO_POOL)
		io = swap_io_from_pool(si);
	if (!io)
		io = kzalloc(swap_io_size(si),
			     (gfp & ~__GFP_MEMALLOC) | __GFP_NOWARN);
	if (!io)
		io = swap_io_from_pool(si);
	for (int i = 0; !io && i < 10 && can_sleep(); i++) {
		wait_event_timeout(si->io_pool_wait, swap_io_pool_has(si), 100);
		io = swap_io_from_pool(si);
	}
	return io;
}

/* A backend that has gone away: stop using its area (once). */
static void swap_area_dead(struct swap_info_struct *si)
{
	if (!(__atomic_fetch_or(&si->flags, SWP_DEAD, __ATOMIC_RELAXED) &
	      SWP_DEAD))
		pr_err("swap: %s stopped answering: no more swap-out to it "
		       "(treated as full)\n", si->backend->name);
}

/* ---------------------------------------------------------------- write */

static void end_swap_write(struct swap_io *io)
{
	struct swap_info_struct *si = io->private;

	for (unsigned int i = 0; i < io->nr; i++) {
		struct page *page = io->pages[i];

		if (io->status) {
			/* The slot may be bad: never again. The page keeps
			 * the only copy of the data: dirty, in memory. */
			swap_slot_mark_bad(&si->slots, io->slot + i);
			SetPageError(page);
			SetPageDirty(page);
			ClearPageReclaim(page);
		}
		end_page_writeback(page);
	}
	if (io->status) {
		__atomic_add_fetch(&si->nr_write_errors, 1, __ATOMIC_RELAXED);
		/* Failed as the device died: said once for the area, not
		 * for each of the (up to queue depth) writes it held. */
		if (io->status == -ENODEV)
			swap_area_dead(si);
		else
			pr_err("swap: write error %d on %s slots %lu-%lu: slot "
			       "marked bad, page kept in memory\n", io->status,
			       si->backend->name, io->slot,
			       io->slot + io->nr - 1);
	} else {
		count_vm_events(PSWPOUT, io->nr);
	}
	swap_io_free(si, io);
}

/*
 * submit() refused the write: nothing reached the device, so the slots
 * say nothing about the disk and stay usable (a full queue, -EAGAIN, or
 * no memory, -ENOMEM, pass). The pages are dirty again; reclaim tries
 * them later. -ENODEV: the device is gone, and the area with it.
 */
static void swap_write_not_started(struct swap_info_struct *si,
				   struct swap_io *io, int err)
{
	if (err == -ENODEV)
		swap_area_dead(si);
	for (unsigned int i = 0; i < io->nr; i++) {
		SetPageDirty(io->pages[i]);
		ClearPageReclaim(io->pages[i]);
		end_page_writeback(io->pages[i]);
	}
	swap_io_free(si, io);
}

/* Submit io; one the backend refuses to start is undone as above. */
static void swap_io_submit_write(struct swap_io *io)
{
	struct swap_info_struct *si = io->private;
	int err = si->backend->submit(si->backend, io);

	if (err)
		swap_write_not_started(si, io, err);
}

void swap_plug_flush(struct swap_plug *plug)
{
	struct swap_io *io = plug->io;

	/* No CPU may store into these pages once the device reads them. */
	tlb_batch_flush(&plug->tlb);
	plug->io = NULL;
	if (io)
		swap_io_submit_write(io);
}

int swap_writepage_plug(struct page *page, struct swap_plug *plug)
{
	swp_entry_t entry = page_swap_entry(page);
	struct swap_info_struct *si = swap_info_get(entry);
	struct swap_backend *sb = si->backend;
	struct swap_io *io = plug->io;
	int err;

	if ((si->flags & SWP_DEAD) || (sb->dead && sb->dead(sb))) {
		swap_area_dead(si);
		err = -EIO;
		goto redirty;
	}
	/* Joins the queued request only as its next slot, on its area. */
	if (io && (io->private != si || io->nr >= sb->max_pages ||
		   io->slot + io->nr != swp_offset(entry))) {
		swap_plug_flush(plug);
		io = NULL;
	}
	if (!io) {
		/* Called from reclaim, which is making memory: no waiting. */
		io = swap_io_alloc(si, GFP_NOWAIT);
		if (!io) {
			err = -ENOMEM;
			goto redirty;
		}
		io->write = true;
		io->slot = swp_offset(entry);
		io->end_io = end_swap_write;
		io->private = si;
		plug->io = io;
	}
	io->pages[io->nr++] = page;
	set_page_writeback(page);
	unlock_page_wake(page);
	return 0;

redirty:
	SetPageDirty(page);
	tlb_batch_flush(&plug->tlb);	/* it is out of our hands now */
	unlock_page_wake(page);
	return err;
}

/* ---------------------------------------------------------------- read */

static void end_swap_read(struct swap_io *io)
{
	struct swap_info_struct *si = io->private;

	for (unsigned int i = 0; i < io->nr; i++) {
		struct page *page = io->pages[i];

		if (io->status)
			SetPageError(page);
		else
			SetPageUptodate(page);
		unlock_page_wake(page);
	}
	if (io->status) {
		__atomic_add_fetch(&si->nr_read_errors, 1, __ATOMIC_RELAXED);
		pr_err("swap: read error %d on %s slots %lu-%lu\n", io->status,
		       si->backend->name, io->slot, io->slot + io->nr - 1);
	} else {
		count_vm_events(PSWPIN, io->nr);
	}
	swap_io_free(si, io);
}

/*
 * A read that never started (no memory for the request, or the backend
 * refused it: -ENOMEM, -EAGAIN): take the pages out of the swap cache
 * again. The data is still in the slots and the PTEs still name them, so
 * this is no error: a fault waiting on one finds it gone and looks again.
 */
static void swap_read_not_started(struct page **pages, unsigned int nr)
{
	for (unsigned int i = 0; i < nr; i++) {
		delete_from_swap_cache(pages[i]);
		unlock_page_wake(pages[i]);
	}
}

void swap_readpages(struct page **pages, unsigned int nr)
{
	struct swap_info_struct *si;
	struct swap_io *io;
	int err;

	if (!nr)
		return;
	si = swap_info_get(page_swap_entry(pages[0]));
	io = swap_io_alloc(si, GFP_KERNEL);
	if (!io) {
		swap_read_not_started(pages, nr);
		return;
	}
	io->slot = swp_offset(page_swap_entry(pages[0]));
	io->nr = nr;
	for (unsigned int i = 0; i < nr; i++)
		io->pages[i] = pages[i];
	io->end_io = end_swap_read;
	io->private = si;
	count_vm_events(PGPGIN, nr * (PAGE_SIZE / 1024));
	err = si->backend->submit(si->backend, io);
	if (err == -ENOMEM || err == -EAGAIN) {
		swap_io_free(si, io);
		swap_read_not_started(pages, nr);
	} else if (err) {
		/* -ENODEV (a dead device) and the rest: the data cannot be
		 * had, a read error (the process that needs it is killed). */
		if (err == -ENODEV)
			swap_area_dead(si);
		io->status = err;
		end_swap_read(io);
	}
}
