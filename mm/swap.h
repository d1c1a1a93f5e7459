/*
 * mm/swap.h - swap: where anonymous pages go when memory is short, and
 * how they come back. docs/mm/swap.md tells the life of a page as a
 * picture; this header is the contract.
 *
 * A swap area is a device (a virtio-blk disk, later an NBD export) made
 * with util-linux's mkswap: page 0 is the header (mm/swap_header.h), the
 * pages after it are slots. Up to MAX_SWAPFILES areas are on at once,
 * each with a priority; a swap-out takes a slot from the highest-priority
 * area with room (areas of equal priority take turns).
 *
 * A page on its way out:
 *   1. add_to_swap(): the page gets a slot and enters the swap cache
 *      (PG_swapcache; page->private holds its swp_entry_t; the area's
 *      address_space indexes it by slot), and is marked dirty.
 *   2. try_to_unmap() (mm/rmap.h) replaces every PTE mapping it by the
 *      swap entry (one slot reference each, swap_map in mm/swap_alloc.h).
 *   3. swap_writepage_plug() writes it (asynchronously, PG_writeback),
 *      in one request with the batch's pages of the next slots.
 *   4. Once clean and unmapped, reclaim deletes it from the swap cache
 *      and frees it. The slot keeps the data; the PTEs keep the entry.
 * And back: a fault on a swap entry (do_swap_page, mm/memory.c) finds the
 * page in the swap cache or reads it (with readahead) into a new page
 * added to the cache, maps it and drops the PTE's slot reference. The
 * slot is freed when its last reference goes and the cache lets go.
 *
 * Locking. swap_lock (swapfile.c) guards the table of areas and the
 * priority list; each area's slot allocator has its own lock; the swap
 * cache uses its address_space's i_pages_lock as the page cache does. A
 * page is added to or deleted from the swap cache only with its page
 * lock held.
 *
 * Swap I/O goes through a backend (struct swap_backend): mm cannot see
 * the block layer (mm is below drivers, docs/conventions.md), so drivers
 * register a lookup that turns a device name into a backend
 * (drivers/block/blk_swap.c for virtio-blk; NBD next).
 */
#ifndef MM_SWAP_H
#define MM_SWAP_H

#include "kernel/types.h"
#include "kernel/lib/list.h"
#include "kernel/spinlock.h"
#include "mm/mm_types.h"
#include "mm/filemap.h"
#include "kernel/wait.h"
#include "mm/rmap.h"
#include "mm/swap_alloc.h"

/* ---------------------------------------------------------------- entries */

/*
 * A swap entry names one slot: the area's type (its index in the table)
 * and the slot's offset in pages from the start of the device. In a PTE
 * it is the non-present payload (mm/pgtable.h): type in the bits above
 * SWP_OFFSET_BITS, offset below. Types MAX_SWAPFILES and up are not
 * swap areas: they are reserved for migration entries (CMA, issue 17).
 */
typedef struct { unsigned long val; } swp_entry_t;

#define MAX_SWAPFILES_SHIFT	5
#define MAX_SWAPFILES		(1U << MAX_SWAPFILES_SHIFT)
#define SWP_OFFSET_BITS		48	/* 2^48 pages: more than any disk */
#define SWP_OFFSET_MASK		((1UL << SWP_OFFSET_BITS) - 1)

static inline swp_entry_t swp_entry(unsigned int type, unsigned long offset)
{
	return (swp_entry_t){ ((unsigned long)type << SWP_OFFSET_BITS) |
			      (offset & SWP_OFFSET_MASK) };
}

static inline unsigned int swp_type(swp_entry_t e)
{
	return (unsigned int)(e.val >> SWP_OFFSET_BITS);
}

static inline unsigned long swp_offset(swp_entry_t e)
{
	return e.val & SWP_OFFSET_MASK;
}

/* The PTE payload of an entry and back (pgtable_set_nonpresent). */
static inline uint64_t swp_entry_to_payload(swp_entry_t e)
{
	return e.val;
}

static inline swp_entry_t payload_to_swp_entry(uint64_t payload)
{
	return (swp_entry_t){ (unsigned long)payload };
}

/* Is this payload a swap entry (not a migration entry)? */
static inline bool is_swap_payload(uint64_t payload)
{
	return swp_type(payload_to_swp_entry(payload)) < MAX_SWAPFILES;
}

/* The entry of a page in the swap cache. */
static inline swp_entry_t page_swap_entry(const struct page *page)
{
	return (swp_entry_t){ page->private };
}

/* ---------------------------------------------------------------- backends */

/*
 * One I/O of nr pages to or from nr consecutive slots starting at slot
 * (pages of PAGE_SIZE; slot 0 is the header). submit() returns 0 and
 * calls end_io(io) later (any context, interrupts included) with
 * io->status 0 or -errno, or returns -errno at once (nothing started,
 * end_io never runs). The pages are direct-mapped (the backend maps them
 * for its device with the DMA API).
 */
#define SWAP_IO_MAX_PAGES	32
/*
 * Requests each area sets aside for swap-out when memory is out: enough
 * for this many writes of up to SWAP_IO_MAX_PAGES pages in flight at
 * once, which keeps the disk (or the network) busy while nothing else can
 * be allocated. ~1.5 KiB each with a block backend's request.
 */
#define SWAP_IO_POOL	16

struct swap_io {
	bool write;
	bool pooled;		/* from the area's io_pool (page_io.c) */
	unsigned long slot;
	unsigned int nr;
	struct page *pages[SWAP_IO_MAX_PAGES];
	void (*end_io)(struct swap_io *io);
	void *private;		/* the submitter's */
	int status;
	/* The backend's: io_extra bytes (struct swap_backend) allocated
	 * with the I/O, so submitting needs no memory of its own. */
	unsigned char backend_data[] __aligned(8);
};

struct swap_backend {
	char name[16];		/* "vda" */
	uint64_t nr_bytes;	/* the device's size */
	size_t io_extra;	/* bytes of backend_data each swap_io gets */
	unsigned int max_pages;	/* pages one swap_io may carry (>= 1) */
	int (*submit)(struct swap_backend *sb, struct swap_io *io);
	/* Read the header page synchronously (swapon). 0 or -errno. */
	int (*read_header)(struct swap_backend *sb, struct page *page);
	/* The device is gone or its queue is dead: true stops swap-out. */
	bool (*dead)(struct swap_backend *sb);
	/* The device holds its requests while it comes back (a network
	 * block device reconnecting): they will end, one way or the other,
	 * within its own time limit. May be NULL (never). */
	bool (*stalled)(struct swap_backend *sb);
	/* swapoff is done with it (may free sb). */
	void (*release)(struct swap_backend *sb);
	void *priv;
};

/*
 * Drivers register lookups; swapon asks each in turn for the device
 * name. A lookup returns a new backend (released by ->release), NULL
 * (not one of its devices), or ERR_PTR(-errno) for a device of its that
 * cannot be swapped to, with the reason in why (-EBUSY: "in use by a
 * mounted file system").
 */
struct swap_backend_lookup {
	struct swap_backend *(*lookup)(const char *name, char *why,
				       size_t whylen);
	struct list_head link;
};
void swap_register_backend_lookup(struct swap_backend_lookup *l);

/* ---------------------------------------------------------------- areas */

enum {
	SWP_USED	= 1 << 0,	/* the table entry is taken */
	SWP_WRITEOK	= 1 << 1,	/* slots may be allocated */
	SWP_DEAD	= 1 << 2,	/* the device went away: treated as full */
};

struct swap_info_struct {
	unsigned int type;		/* index in the table */
	unsigned int flags;		/* SWP_* */
	int prio;			/* higher first */
	struct swap_backend *backend;
	struct swap_alloc slots;	/* mm/swap_alloc.h: swap_map, clusters */
	struct address_space cache;	/* the swap cache: pages by slot */
	struct list_head avail;		/* on swap_avail_list, by prio */
	unsigned long nr_read_errors, nr_write_errors;
	/* I/O requests set aside at swapon for when memory is out (Linux's
	 * bio mempools): a swap-out can always be issued (page_io.c). */
	spinlock_t io_pool_lock;
	struct swap_io *io_pool[SWAP_IO_POOL];
	unsigned int io_pool_nr;
	struct wait_queue_head io_pool_wait;
};

/* Set aside / give back an area's io_pool (swapon, swapoff). 0 or
 * -ENOMEM. */
int swap_io_pool_fill(struct swap_info_struct *si);
void swap_io_pool_drain(struct swap_info_struct *si);

/* ---------------------------------------------------------------- swapon */

#define SWAP_FLAG_PREFER	0x8000	/* Linux's swapon(2) flags */
#define SWAP_FLAG_PRIO_MASK	0x7fff

/*
 * Turn swap on on the device called name at priority prio (-1: the next
 * of the automatic priorities, -2, -3, ... as Linux gives them). Reads
 * and checks the header (a bad one is refused; why gets the reason).
 * 0, -ENODEV (no such device), -EINVAL (header: see why), -EBUSY (on
 * already), -ENOSPC (table full), -ENOMEM.
 */
int swapon(const char *name, int prio, char *why, size_t whylen);
/*
 * Turn it off: bring every page in its slots back into memory (into the
 * processes that map it), then forget the area. Fails cleanly with
 * -ENOMEM, leaving the area on, when memory is short (what it holds
 * exceeds available memory and the other areas' free slots together,
 * or memory runs out while pages come back); -EINVAL when it is
 * not on; -EIO when a slot cannot be read (the processes mapping it are
 * killed, as a fault would; the area stays on); -EBUSY, naming the slot,
 * when a slot stays in use though repeated searches of every process
 * free nothing more (a reference nobody holds: a bug; the area stays
 * on). Searches again while slots remain: a slot reclaim took just
 * before, or an exiting process holds, may be found only by a later one.
 */
int swapoff(const char *name);
/* swapoff's pause between searches that freed nothing (ms; 20 such in a
 * row and it gives up). A test that makes it give up shortens it. */
extern unsigned int swapoff_idle_pause_ms;
/* swap=DEV[,DEV...] at boot: swapon each (kernel/swap_console.c; after
 * the disks are found). */
void swap_boot_init(void);
/* Linux's /proc/swaps, one line per area, through printk. */
void show_swaps(void);

/* Totals over every area, in pages: usable slots and free ones. */
void si_swapinfo(unsigned long *total, unsigned long *free);
/* More than half the swap in use (Linux's vm_swap_full): swap-ins then
 * free their slot at once instead of keeping the swap cache copy. */
bool vm_swap_full(void);
/* Is an area's device holding its writes while it comes back (backend
 * ->stalled)? Reclaim then waits for them without counting the wait
 * towards the OOM killer (try_to_free_pages). */
bool swap_writes_stalled(void);
/* Is any swap area on with free slots? (Reclaim scans anonymous pages
 * only then.) */
bool swap_has_room(void);

struct swap_info_struct *swap_info_get(swp_entry_t entry);

/* ---------------------------------------------------------------- slots */

/* A slot for a page going out (count 0 | cache); entry.val 0 if none. */
swp_entry_t get_swap_page(void);
/* One more reference (a PTE copied by fork or set by unmap). 0 or -errno
 * (-EINVAL: not a live slot; -EOVERFLOW). */
int swap_duplicate(swp_entry_t entry);
/* One reference less (a PTE that held it went). */
void swap_free(swp_entry_t entry);
/* References from PTEs (without the cache's). */
unsigned int swap_count(swp_entry_t entry);
/* A zapped PTE's entry: drop its reference and, when only the swap cache
 * holds the slot and nobody uses the page, free the cache page too. */
void free_swap_and_cache(swp_entry_t entry);

/* ---------------------------------------------------------------- cache */

/*
 * Reclaim's step 1 for a locked anonymous page: a slot, into the swap
 * cache, dirty. 0; -ENOSPC (no room), -ENOMEM.
 */
int add_to_swap(struct page *page);
/* Take a locked page out of the swap cache, freeing its slot's cache
 * reference (the page's data in the slot is lost if no PTE holds it). */
void delete_from_swap_cache(struct page *page);
/* A locked swap cache page whose slot no PTE references any more: out of
 * the cache (the page keeps its data, now the only copy: it is dirtied).
 * true if it was removed. */
bool try_to_free_swap(struct page *page);
/* An unmapped page whose last PTE just went (zap): if the swap cache
 * holds it and no PTE names its slot, let both go (Linux's
 * free_swap_cache). Any page; does nothing otherwise. */
void free_swap_cache(struct page *page);
/* The page caching entry with a reference, or NULL. */
struct page *lookup_swap_cache(swp_entry_t entry);

/*
 * The page for entry, for a fault at addr of vma: from the swap cache or
 * read from the slot (and readahead around it). Returns it with a
 * reference, not locked, perhaps still being read (lock it to wait); NULL
 * when out of memory or the entry is stale (the slot was freed: the
 * caller looks at the PTE again). *major: I/O was needed.
 */
struct vm_area_struct;
struct page *swapin_readahead(swp_entry_t entry, struct vm_area_struct *vma,
			      unsigned long addr, bool *major);

/*
 * Writing swap cache pages to their slots, asynchronously. Writes of
 * consecutive slots are gathered into one request, as Linux's block plug
 * merges them: reclaim gives each batch of pages a plug, and the pages it
 * writes in a row got their slots in a row (one CPU's cluster).
 *
 * swap_writepage_plug() takes a locked, dirty swap cache page (cleared for
 * I/O by the caller: clear_page_dirty_for_io), puts it under writeback,
 * unlocks it and queues it; a page whose slot does not follow the queued
 * ones, or a full request, submits those first. 0, or -errno (the page is
 * dirty again, unlocked: a dead area, no memory for a request).
 * swap_plug_flush() submits what is queued; call it before the plug goes
 * out of scope, and before waiting on anything (a page in a plug is under
 * writeback until the flush). A write error marks every slot of its
 * request bad; a request the backend refuses to start leaves its pages
 * dirty and its slots good.
 *
 * The plug also carries the TLB flushes its pages' unmapping owes
 * (try_to_unmap_batch, mm/rmap.h): every submit flushes them first, so
 * no CPU can store into a page the device is reading; so does a page
 * given back dirty.
 */
struct swap_plug {
	struct swap_io *io;	/* the request being filled; NULL: none */
	struct tlb_batch tlb;	/* flushes owed by the queued pages */
};
int swap_writepage_plug(struct page *page, struct swap_plug *plug);
void swap_plug_flush(struct swap_plug *plug);
/* Read locked new swap cache pages of nr consecutive slots (nr <=
 * SWAP_IO_MAX_PAGES) in one request; each is unlocked when done:
 * PG_uptodate, or PG_error on a read error. With no memory for the
 * request they leave the swap cache unread (a fault looks again). */
void swap_readpages(struct page **pages, unsigned int nr);

/* Readahead window (pages, a power of 2: 1 turns it off) and counters. */
extern unsigned int swap_ra_pages;

#endif
