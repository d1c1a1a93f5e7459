/*
 * mm/filemap.h - the page cache: a file's pages in memory, found by their
 * offset, read from and written back to the file's store by its file
 * system. docs/mm/filemap.md.
 *
 * An `address_space` is one file's cache (Linux's name: it maps offsets in
 * the file to pages). Its pages sit in an xarray (mm/xarray.h) indexed by
 * page offset; a slot may instead hold a shadow (a value entry left by
 * reclaim, mm/workingset.h) so a refault can be recognised. Dirty and
 * writeback pages carry the PAGECACHE_TAG_DIRTY / _WRITEBACK marks, so
 * writeback finds them without a scan.
 *
 * The page cache sits below fs/ (mm/ never includes fs/): a file system
 * gives each inode an address_space with its address_space_operations
 * (how to read a page, write one back, prepare a buffered write), and the
 * page cache calls them. The file's size lives here (->size), because
 * every read and fault must stop at it; fs/ sets it through i_size_write.
 *
 * A page in the cache:
 *  - holds one reference for the cache (page->mapping = the mapping,
 *    page->index = its offset) and is on an LRU list (mm/lru.h);
 *  - is locked (PG_locked) while its contents or identity change: while
 *    it is read, while it is truncated or reclaimed, during a buffered
 *    write into it, while writeback starts. lock_page() sleeps;
 *  - is uptodate (PG_uptodate) once it holds the file's data;
 *  - is dirty (PG_dirty + the dirty mark) when newer than the disk, under
 *    writeback (PG_writeback + the mark) while being written.
 *
 * Locking, outermost first: the inode's own lock (fs/) > page lock >
 * mapping->i_pages_lock (a spinlock: the index, nrpages, marks) >
 * lruvec->lru_lock. i_mmap_lock (the VMAs mapping the file, for rmap) is
 * taken inside the page lock, never with i_pages_lock held. Nothing here
 * may be called with a spinlock held unless it says so: reads, writes
 * and faults sleep (I/O, lock_page, allocation with GFP_KERNEL).
 *
 * Errors: a read that fails leaves the page !uptodate with PG_error, and
 * the caller gets -EIO. A failed write-back (mapping_set_error) is
 * recorded in mapping->wb_err (an errseq_t, kernel/lib/errseq.h) and
 * reported once to each open file that calls fsync after it
 * (file_check_and_advance_wb_err); the page stays in the cache, clean,
 * uptodate and PG_error (docs/mm/filemap.md, "Write-back errors"). The
 * older AS_EIO/AS_ENOSPC bits are set too, for callers with no file
 * (sync, umount: filemap_check_errors(), reported once to whoever asks).
 */
#ifndef MM_FILEMAP_H
#define MM_FILEMAP_H

#include "kernel/file.h"
#include "kernel/lib/errseq.h"
#include "kernel/lib/list.h"
#include "kernel/spinlock.h"
#include "kernel/types.h"
#include "mm/gfp.h"
#include "mm/mm.h"
#include "mm/mm_types.h"
#include "mm/migrate.h"
#include "mm/xarray.h"

/* The xarray marks the page cache uses (Linux's names). */
#define PAGECACHE_TAG_DIRTY	XA_MARK_0
#define PAGECACHE_TAG_WRITEBACK	XA_MARK_1
#define PAGECACHE_TAG_TOWRITE	XA_MARK_2

struct address_space;
struct bdi_writeback;
struct writeback_control;

/* What to write, for ->writepage and do_writepages(). */
enum writeback_sync_modes {
	WB_SYNC_NONE,	/* start writes, do not wait (flusher) */
	WB_SYNC_ALL,	/* write and wait for every page (fsync, sync) */
};

struct writeback_control {
	long nr_to_write;		/* pages: decremented per page written */
	long pages_skipped;
	loff_t range_start, range_end;	/* bytes, inclusive; 0, LLONG_MAX: all */
	enum writeback_sync_modes sync_mode;
	bool for_reclaim;		/* never set: reclaim does not write
					 * (mm/vmscan.c; a write it caused
					 * would be counted by blk_submit as
					 * DIRECT_RECLAIM_WRITE) */
	bool for_background;		/* the flusher's background pass */
};

/*
 * What a file system provides (Linux's address_space_operations, reduced
 * to what this kernel uses). Each may sleep.
 */
struct address_space_operations {
	/*
	 * Read page (locked, in the cache, not uptodate) from the store.
	 * When the data is in: SetPageUptodate (or SetPageError on failure),
	 * then unlock_page. It may finish before returning (synchronous) or
	 * later from I/O completion. Returns 0, or -errno when it could not
	 * even start (the page is unlocked then too). Beyond the end of the
	 * file (a hole, a partial last page) it zero-fills.
	 */
	int (*read_folio)(struct file *file, struct page *page);
	/*
	 * Optional: start reading nr locked, !uptodate pages already in the
	 * cache, at consecutive offsets from pages[0]->index (readahead:
	 * one request for many pages). Each page ends as in read_folio.
	 * Without it, read_folio is called for each.
	 */
	void (*readahead)(struct address_space *mapping, struct page **pages,
			  unsigned int nr);
	/*
	 * Write back page: locked, its dirty bit already cleared
	 * (clear_page_dirty_for_io). Calls set_page_writeback(), unlocks,
	 * and calls end_page_writeback() when the write is done (any
	 * context). On an error: mapping_set_error(mapping, err) in the
	 * completion. Returns 0, or -errno when it did not start: the page
	 * is then still locked and do_writepages dirties it again and
	 * unlocks it (the error is returned, not kept in the mapping).
	 */
	int (*writepage)(struct page *page, struct writeback_control *wbc);
	/*
	 * Optional: write back what wbc asks of mapping (Linux's
	 * writepages), usually write_cache_pages() with a callback that
	 * gathers pages contiguous on the disk into one request and
	 * submits it without waiting. Without it do_writepages calls
	 * writepage for each dirty page.
	 */
	int (*writepages)(struct address_space *mapping,
			  struct writeback_control *wbc);
	/*
	 * Buffered write of len bytes at pos (within one page): find or make
	 * the page (locked, with a reference, in *pagep), make the parts of
	 * it outside [pos, pos + len) uptodate if the page is not (read or
	 * zero), and reserve the store (allocate blocks: -ENOSPC here, before
	 * anything is copied). Then write_end: copied bytes were copied in;
	 * mark the page dirty, move the size, unlock and put the page;
	 * returns copied (or less). filemap's simple_write_begin/end do this
	 * for a file system with no blocks to reserve.
	 */
	int (*write_begin)(struct file *file, struct address_space *mapping,
			   loff_t pos, unsigned int len, struct page **pagep);
	int (*write_end)(struct file *file, struct address_space *mapping,
			 loff_t pos, unsigned int len, unsigned int copied,
			 struct page *page);
	/* Optional: page is leaving the cache (truncate, reclaim); drop what
	 * the file system keeps in page->private. */
	void (*invalidate_folio)(struct page *page);
	/*
	 * Move page old's contents and place in the index to new (both
	 * locked; old unmapped, not under writeback): mm/migrate.h. 0 or
	 * -EAGAIN (someone else holds old: nothing changed). Without it
	 * the mapping's pages never move: allocate them without
	 * __GFP_MOVABLE. filemap_migrate_folio suits a file system that
	 * keeps nothing of its own beside the page.
	 */
	int (*migrate_folio)(struct address_space *mapping, struct page *new,
			     struct page *old, enum migrate_mode mode);
};
int filemap_migrate_folio(struct address_space *mapping, struct page *new,
			  struct page *old, enum migrate_mode mode);

/* mapping->flags */
#define AS_EIO		0	/* a write-back failed with an I/O error */
#define AS_ENOSPC	1	/* a write-back failed for lack of space */
#define AS_UNEVICTABLE	2	/* never reclaim (ramfs-like) */
#define AS_BDEV		3	/* a block device's cache (file systems'
				 * metadata): its pages are meminfo's Buffers */

struct address_space {
	void *host;			/* the owner (fs: the inode) */
	struct xarray i_pages;		/* pages and shadows, by page offset */
	spinlock_t i_pages_lock;	/* i_pages, nrpages, nrshadows, marks */
	unsigned long nrpages;		/* pages in the cache */
	unsigned long nrshadows;	/* workingset shadows in i_pages */
	loff_t size;			/* the file's size in bytes (i_size) */
	const struct address_space_operations *a_ops;
	unsigned long flags;		/* AS_* bits, atomic */
	/* The VMAs mapping this file (vm_area_struct.shared_node): rmap
	 * for file pages walks them. */
	struct list_head i_mmap;
	spinlock_t i_mmap_lock;
	unsigned long nr_mmaps;
	/* Writeback: where the last pass stopped (cyclic writeback), and the
	 * link in the list of mappings with dirty pages (the flusher's). */
	pgoff_t writeback_index;
	gfp_t gfp_mask;			/* its pages' allocations (Linux's
					 * mapping_gfp_mask): GFP_KERNEL, or
					 * GFP_HIGHUSER_MOVABLE where the
					 * owner can migrate them */
	struct bdi_writeback *wb;	/* whose flusher writes it, whose
					 * limits its writers obey (set by
					 * the file system; noop_bdi's) */
	struct list_head dirty_link;
	unsigned long dirtied_when;	/* jiffies-like ms when first dirtied */
	unsigned int wb_passes;		/* writeback passes using it now
					 * (mapping_forget_dirty waits) */
	pg_data_t *node;		/* where its pages come from: NULL =
					 * the kernel's (tests: an arena) */
	const char *name;		/* for reports: "vda:12" (dev:ino) */
	/* Write-back errors: this file's, and its file system's (syncfs;
	 * set by fs/, NULL for a cache with no file system). */
	errseq_t wb_err;
	errseq_t *sb_wb_err;
};

/* How the mapping's pages are allocated. A mapping whose a_ops can
 * migrate its pages may say __GFP_MOVABLE (mm/migrate.h): they may then
 * be lent CMA memory and be moved by compaction. */
static inline gfp_t mapping_gfp_mask(const struct address_space *mapping)
{
	return mapping->gfp_mask;
}

static inline void mapping_set_gfp_mask(struct address_space *mapping,
					gfp_t gfp)
{
	mapping->gfp_mask = gfp;
}

/* An empty cache of a file with a_ops; host is the owner. */
void address_space_init(struct address_space *mapping,
			const struct address_space_operations *a_ops,
			void *host);

/*
 * A write-back of mapping's pages failed with err (-EIO, -ENOSPC; 0:
 * nothing): record it for every open file (wb_err), the file system
 * (*sb_wb_err) and the old-style flag. Any context (I/O completion).
 */
static inline void mapping_set_error(struct address_space *mapping, int err)
{
	if (!err)
		return;
	errseq_set(&mapping->wb_err, err);
	if (mapping->sb_wb_err)
		errseq_set(mapping->sb_wb_err, err);
	__atomic_fetch_or(&mapping->flags,
			  1UL << (err == -ENOSPC ? AS_ENOSPC : AS_EIO),
			  __ATOMIC_RELAXED);
}
/* The error a write-back hit since the last call (-EIO/-ENOSPC), and
 * clear it: reported once, to whichever caller comes first (sync,
 * umount). 0 if none. fsync uses the per-file form below. */
int filemap_check_errors(struct address_space *mapping);
/* A new open file's cursor into mapping->wb_err (errseq_sample: an error
 * no one was told of yet is reported to it too). */
static inline errseq_t filemap_sample_wb_err(struct address_space *mapping)
{
	return errseq_sample(&mapping->wb_err);
}
/*
 * The write-back error recorded on file's mapping since file last asked
 * (or was opened), or 0; moves file's cursor, so each open file is told
 * of each error once (Linux's file_check_and_advance_wb_err). Clears
 * AS_EIO/AS_ENOSPC too: the error is reported now.
 */
int file_check_and_advance_wb_err(struct file *file);
/*
 * fsync's data part for an open file: write [start, end] back and wait
 * (filemap_write_and_wait_range without its flag check), then
 * file_check_and_advance_wb_err. 0 or -errno.
 */
int file_write_and_wait_range(struct file *file, loff_t start, loff_t end);

/* --------------------------------------------------------------- lookup */

/* The page at index with a reference taken (put_page() when done), or
 * NULL (none, or a shadow). Does not wait for it to be uptodate. */
struct page *find_get_page(struct address_space *mapping, pgoff_t index);
/* The same, locked (sleeps for the lock; NULL if it was truncated
 * meanwhile). */
struct page *find_lock_page(struct address_space *mapping, pgoff_t index);
/* The page at index, locked and with a reference: the cached one, or a
 * new one (not uptodate) added to the cache and the LRU. NULL: -ENOMEM. */
struct page *find_or_create_page(struct address_space *mapping,
				 pgoff_t index, gfp_t gfp);
/*
 * Add page (new, locked by the caller with __SetPageLocked, not yet
 * visible) to the cache at index and to the LRU (active if its shadow
 * says it refaulted within the working set). Takes the cache's
 * reference. 0, -EEXIST (a page is there), -ENOMEM.
 */
int add_to_page_cache_lru(struct page *page, struct address_space *mapping,
			  pgoff_t index, gfp_t gfp);
/*
 * Take page (locked, clean, not under writeback, unmapped) out of the
 * cache and drop the cache's reference; shadow, if not NULL, is left in
 * its slot (reclaim: mm/workingset.h). Counts NR_FILE_PAGES.
 */
void __delete_from_page_cache(struct page *page, void *shadow);
void delete_from_page_cache(struct page *page);
/*
 * An uptodate page of the file at index, with a reference: from the cache
 * or read now (synchronously). file may be NULL (metadata reads). The
 * page or an ERR_PTR: -EIO (read failed), -ENOMEM.
 */
struct page *read_mapping_page(struct address_space *mapping, pgoff_t index,
			       struct file *file);

/* --------------------------------------------------------- page state */

/* Sleep until page's lock is ours (lock_page) / until it is unlocked by
 * whoever holds it (wait_on_page_locked) / until writeback ends.
 * unlock_page() (mm/mm_types.h) wakes the sleepers through
 * wake_up_page(). */
void lock_page(struct page *page);
void wait_on_page_locked(struct page *page);
void wait_on_page_writeback(struct page *page);
void wake_up_page(struct page *page, int bit);
/* unlock_page() plus the wake-up: what page-cache code calls. */
void unlock_page_wake(struct page *page);

/*
 * Mark a page-cache page dirty (Linux's set_page_dirty for a file
 * without buffers): PG_dirty, the dirty mark, NR_FILE_DIRTY and
 * NR_DIRTIED, and the mapping on the flusher's list. True if it was
 * clean. The page is locked or mapped (its mapping is stable).
 */
bool set_page_dirty(struct page *page);
/* Writeback is about to start on a locked dirty page: clear PG_dirty and
 * the dirty mark (counting NR_FILE_DIRTY down; the mark stays if a
 * set_page_dirty on another CPU got in between: a dirty page always has
 * its mark), re-arm write protection
 * of its shared mappings (mm/rmap.h page_mkclean) so a later store faults
 * and dirties it again. True if it was dirty. */
bool clear_page_dirty_for_io(struct page *page);
/* Truncation: forget a locked page's dirty state (NR_FILE_DIRTY, the
 * marks) without writing it; it is leaving the cache. */
void cancel_dirty_page(struct page *page);
/* I/O starts / ends: PG_writeback and its mark, NR_WRITEBACK, NR_WRITTEN,
 * and wake_up_page. end_page_writeback may run in interrupt context. */
void set_page_writeback(struct page *page);
void end_page_writeback(struct page *page);

/* ------------------------------------------------------- read, write */

/*
 * read(2) of a cached file: copy up to to->count bytes at *pos straight
 * from the cached pages into the iterator (a user buffer for the system
 * call: one copy, no bounce buffer), reading pages as needed with
 * readahead (the file's f_ra), marking each page accessed; stops at
 * mapping->size, and before each page once the caller has been killed
 * (current_killed: the rest would be read for nobody). Advances *pos and
 * the iterator. Bytes copied, 0 at the end, or -errno if nothing was
 * copied (-EIO; -EFAULT when the user buffer's first page cannot be
 * written; -EINTR when killed before the first). Holds only a page reference
 * while it copies, so the copy may fault (kernel/iov_iter.h).
 * filemap_read is the same into a kernel buffer of n bytes.
 */
ssize_t filemap_read_iter(struct file *file, struct iov_iter *to, loff_t *pos);
ssize_t filemap_read(struct file *file, char *buf, size_t n, loff_t *pos);
/*
 * write(2) through the cache: for each page, ->write_begin, copy, and
 * ->write_end. Advances *pos; bytes written or -errno (-ENOSPC, -EFBIG)
 * if none. The caller holds the inode's lock and has applied O_APPEND.
 */
ssize_t generic_perform_write(struct file *file, const char *buf, size_t n,
			      loff_t *pos);
/* write_begin/end for a file system with nothing to reserve. */
int simple_write_begin(struct file *file, struct address_space *mapping,
		       loff_t pos, unsigned int len, struct page **pagep);
int simple_write_end(struct file *file, struct address_space *mapping,
		     loff_t pos, unsigned int len, unsigned int copied,
		     struct page *page);

/* ---------------------------------------------------------- mappings */

/*
 * The vm_ops of a mapped cached file (Linux's filemap_fault and
 * filemap_page_mkwrite):
 * filemap_fault finds or reads the page at vmf->pgoff (with read-around
 * readahead on a miss) and returns it in vmf->page with a reference,
 * LOCKED (VM_FAULT_LOCKED; the caller maps it, then unlock_page_wake),
 * uptodate and still in the mapping; | VM_FAULT_MAJOR when it was read.
 * VM_FAULT_SIGBUS beyond the end of the file or on a read error,
 * VM_FAULT_ERR_OOM when no page could be had.
 * filemap_page_mkwrite: vmf->page (referenced, unlocked) is about to be
 * made writable: lock it, check it is still in the file, set_page_dirty,
 * wait for writeback in progress; returns VM_FAULT_LOCKED (the caller
 * makes the PTE writable, then unlock_page_wake: so page_mkclean, which
 * needs the page lock, cannot come in between), or VM_FAULT_NOPAGE (it
 * was truncated meanwhile: the caller retries the fault).
 */
extern const struct vm_operations_struct generic_file_vm_ops;
vm_fault_t filemap_fault(struct vm_fault *vmf);
vm_fault_t filemap_page_mkwrite(struct vm_fault *vmf);
/* file_operations.mmap of a cached file: vma->vm_ops. */
int generic_file_mmap(struct file *file, struct vm_area_struct *vma);

/* --------------------------------------------------------- readahead */

/* The window limit for new opens, in pages (boot option readahead=KB,
 * 0: off; default 128 KiB, Linux's). */
extern unsigned int readahead_max_pages;
void file_ra_state_init(struct file_ra_state *ra);
/*
 * Linux's on-demand readahead: a read of req_count pages at index missed
 * the cache (sync) or hit a PG_readahead page (async). Detects sequential
 * access (index follows the previous window or prev_pos) and grows the
 * window (x2 or x4, up to ra_pages); a random read gets no readahead.
 * Pages are added to the cache and read; nothing waits for them.
 */
void page_cache_sync_readahead(struct address_space *mapping,
			       struct file_ra_state *ra, struct file *file,
			       pgoff_t index, unsigned long req_count);
void page_cache_async_readahead(struct address_space *mapping,
				struct file_ra_state *ra, struct file *file,
				struct page *page, pgoff_t index,
				unsigned long req_count);
/* Readahead counters (vmstat-style, for the bench and tests). */
struct readahead_stats {
	unsigned long sync, async;	/* windows started */
	unsigned long pages;		/* pages read ahead */
	unsigned long hits;		/* read-ahead pages later read */
};
void readahead_get_stats(struct readahead_stats *st);
void readahead_count_hit(void);		/* filemap_read's */
/* A fault missed the cache (Linux's do_sync_mmap_readahead): read
 * ra_pages around index, or stream on if the faults are sequential. */
void page_cache_read_around(struct address_space *mapping,
			    struct file_ra_state *ra, struct file *file,
			    pgoff_t index);

/* --------------------------------------------------------- writeback */

/* Write the dirty pages of mapping as wbc says (->writepage for each,
 * from writeback_index on for WB_SYNC_NONE). 0 or the first -errno. */
int do_writepages(struct address_space *mapping,
		  struct writeback_control *wbc);
/*
 * The walk do_writepages makes (for a writepages op to reuse): each dirty
 * page of wbc's range (from writeback_index on, wrapping, for a cyclic
 * WB_SYNC_NONE pass), locked, its dirty bit cleared
 * (clear_page_dirty_for_io), goes to fn(page, wbc, data), whose contract
 * is writepage's: set_page_writeback, unlock, end_page_writeback later;
 * or -errno with the page still locked (it is dirtied again). Honors
 * nr_to_write; 0 or the first -errno.
 */
typedef int (*writepage_t)(struct page *page, struct writeback_control *wbc,
			   void *data);
int write_cache_pages(struct address_space *mapping,
		      struct writeback_control *wbc, writepage_t fn, void *data);
/* Write [start, end] (bytes, inclusive) and wait for it: fsync's data
 * part. 0 or -errno (including an earlier write-back error). */
int filemap_write_and_wait_range(struct address_space *mapping,
				 loff_t start, loff_t end);
static inline int filemap_write_and_wait(struct address_space *mapping)
{
	return filemap_write_and_wait_range(mapping, 0, (loff_t)(~0ULL >> 1));
}
/* Wait for writeback already started on [start, end]. */
int filemap_fdatawait_range(struct address_space *mapping, loff_t start,
			    loff_t end);
/*
 * The flusher's work: write back dirty pages of every mapping on the
 * dirty list (oldest first), up to nr_pages (0: all); returns pages
 * written. wakeup_flusher_threads() asks the flusher thread
 * (mm/writeback_kthread.c) to do it soon; the page cache works without
 * the thread (host tests call writeback_dirty_mappings directly).
 */
unsigned long writeback_dirty_mappings(unsigned long nr_pages,
				       enum writeback_sync_modes mode);
void wakeup_flusher_threads(void);
/* The same for one device: wb's mappings dirtied at or before older_than
 * (ms; ~0UL: all), oldest first, a chunk of each in turn (WB_SYNC_NONE),
 * up to nr_pages (0: all). Pages written. */
unsigned long wb_writeback(struct bdi_writeback *wb, unsigned long older_than,
			   unsigned long nr_pages,
			   enum writeback_sync_modes mode);
unsigned long wb_writeback_expired(struct bdi_writeback *wb);
/* The same for the mappings first dirtied at or before older_than (ms
 * of clock_ns(); ~0UL: all). */
unsigned long writeback_mappings_older_than(unsigned long older_than,
					    unsigned long nr_pages,
					    enum writeback_sync_modes mode);
/* The flusher's periodic pass: mappings dirty longer than
 * dirty_expire_ms (Linux's dirty_expire_centisecs, 30 s). */
unsigned long writeback_expired_mappings(void);
extern unsigned int dirty_writeback_ms;	/* flusher period, 5 s */
extern unsigned int dirty_expire_ms;		/* 30 s */
/*
 * The dirty limits (Linux's vm.dirty_ratio and dirty_background_ratio, of
 * the dirtyable memory: free pages above the zones' high watermarks plus
 * the file LRU, Linux's global_dirtyable_memory). A writer that dirtied
 * pages calls balance_dirty_pages_ratelimited(), where the IO-less
 * control law may make it sleep (mm/backing-dev.h, docs/mm/writeback.md).
 */
extern unsigned int dirty_ratio;		/* %, 20 */
extern unsigned int dirty_background_ratio;	/* %, 10 */
/* In bytes instead (Linux's vm.dirty_bytes, dirty_background_bytes): when
 * not 0 they apply and their ratio is 0 (the console's sysctl keeps one
 * of each pair 0). */
extern unsigned long dirty_bytes;
extern unsigned long dirty_background_bytes;
unsigned long global_dirtyable_memory(void);
/* The background and hard limits, in pages, for `dirtyable` pages: the
 * bytes when set (rounded up to pages), else the ratios; a background
 * limit at or above the hard one is cut to half of it. */
void dirty_limits_for(unsigned long dirtyable, unsigned long *background,
		      unsigned long *limit);
/* The same for global_dirtyable_memory() (vmstat's nr_dirty_threshold,
 * nr_dirty_background_threshold). */
void global_dirty_limits(unsigned long *background, unsigned long *limit);
/* 0, or -EINTR: the writer was throttled and a fatal signal ended its
 * pause; it must dirty nothing more (generic_perform_write stops, so a
 * killed writer never runs past the limit on its way out). */
int balance_dirty_pages_ratelimited(struct address_space *mapping);
/* The limits changed (a tunable): every writer looks again within 1/64
 * of the threshold (Linux's writeback_set_ratelimit). */
void writeback_set_ratelimit(void);
/* Start the flusher threads (kernel only: mm/writeback_kthread.c). */
void writeback_init(void);
/* A mapping is going away (its inode is evicted): off the dirty list. */
void mapping_forget_dirty(struct address_space *mapping);

/* --------------------------------------------------------- truncation */

/* Drop every page at byte offset >= lstart (the part of a partial page
 * beyond lstart is zeroed), waiting for writeback and removing mappings
 * of them (mm/rmap.h). Shadows go too. The inode's lock is held. */
void truncate_inode_pages(struct address_space *mapping, loff_t lstart);
/* truncate(2)'s page-cache part: size = newsize, unmap and drop pages
 * beyond it. */
void truncate_pagecache(struct address_space *mapping, loff_t newsize);
/* Drop clean, unlocked, unmapped pages of [start, end] (page offsets):
 * drop_caches. Returns pages dropped. */
unsigned long invalidate_mapping_pages(struct address_space *mapping,
				       pgoff_t start, pgoff_t end);

/* ------------------------------------------------------ accounting */

/* Pages now in AS_BDEV mappings (meminfo's Buffers; Cached excludes
 * them, as Linux). */
unsigned long nr_blockdev_pages(void);

#endif
