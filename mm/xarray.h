/*
 * mm/xarray.h - a sparse array of pointers indexed by unsigned long, with
 * marks: the page cache's index (Linux: lib/xarray.c; the radix tree
 * before it). docs/mm/filemap.md, "The index".
 *
 * Entries are pointers aligned to 4 bytes (struct page *), or "value
 * entries": small integers made with xa_mk_value() (bit 0 set), which the
 * page cache uses for workingset shadows of evicted pages. NULL is "no
 * entry". Storing NULL erases.
 *
 * Marks: three independent bits per entry (XA_MARK_0..2; the page cache
 * names them PAGECACHE_TAG_DIRTY, _WRITEBACK, _TOWRITE). A mark is only
 * set on a present entry and goes when the entry is erased. Each interior
 * node keeps, per mark, which of its slots lead to a marked entry, so
 * "the next dirty page from index i" costs a walk down, not a scan.
 *
 * Shape: a tree of nodes of XA_CHUNK_SIZE (64) slots; the height grows as
 * larger indices are stored and shrinks when the top node holds only its
 * first slot. An array holding only index 0 holds it with no node.
 *
 * Memory: nodes come from a slab cache (GFP given per call): the
 * kernel's "xa_node" cache over the global node, or the array's own
 * xa->node_cache when a test set one (xa_node_cache_create() over a
 * private arena; the host's global node has no memory, so host tests must
 * set one). The kernel's cache is made at the first node allocation whose
 * gfp may sleep (xa_reserve(GFP_KERNEL) is one). xa_store() and
 * xa_reserve() may allocate; the rest never allocate. A failed allocation
 * leaves the array's entries and marks as they were.
 *
 * Locking: none inside. The owner serialises every call on one array with
 * its own lock (address_space->i_pages_lock), except xa_reserve(), which
 * may run without it. Nothing here sleeps, unless gfp allows it: the page
 * cache calls xa_reserve(GFP_KERNEL) without its spinlock, then
 * xa_store(GFP_NOWAIT) under it (Linux's preload).
 */
#ifndef MM_XARRAY_H
#define MM_XARRAY_H

#include "kernel/types.h"
#include "kernel/errno.h"
#include "mm/gfp.h"

#define XA_CHUNK_SHIFT	6
#define XA_CHUNK_SIZE	(1UL << XA_CHUNK_SHIFT)

typedef unsigned int xa_mark_t;
#define XA_MARK_0	0U
#define XA_MARK_1	1U
#define XA_MARK_2	2U
#define XA_MAX_MARKS	3U
#define XA_PRESENT	8U	/* xa_find(): any entry, marked or not */

struct xa_node;
struct kmem_cache;
struct pglist_data;

struct xarray {
	void *xa_head;			/* an entry (only index 0) or a node */
	unsigned long nr_entries;	/* present entries (values included) */
	unsigned long nr_values;	/* of them, value entries */
	unsigned int marks_set;		/* bit m: some entry has mark m */
	struct kmem_cache *node_cache;	/* where nodes come from: NULL =
					 * the kernel's (tests: an arena's) */
	struct xa_node *stash;		/* nodes xa_reserve() set aside */
	unsigned int nr_stash;		/* about how many (a hint) */
	unsigned int height;		/* levels of nodes; 0: xa_head is an
					 * entry or NULL */
};

#define XARRAY_INIT	{ 0 }
static inline void xa_init(struct xarray *xa) { *xa = (struct xarray)XARRAY_INIT; }
static inline bool xa_empty(const struct xarray *xa) { return !xa->xa_head; }

/* Value entries: an integer v < LONG_MAX/2 stored in place of a pointer. */
static inline void *xa_mk_value(unsigned long v) { return (void *)((v << 1) | 1); }
static inline unsigned long xa_to_value(const void *e) { return (unsigned long)e >> 1; }
static inline bool xa_is_value(const void *e) { return (unsigned long)e & 1; }

/* The entry at index, or NULL. */
void *xa_load(const struct xarray *xa, unsigned long index);

/*
 * Put entry (NULL erases) at index. Returns the entry that was there (or
 * NULL), or XA_ERR_NOMEM when a node could not be had (nothing changed).
 * Storing over an entry keeps its marks unless entry is NULL or a value.
 * entry must be a 4-byte aligned pointer or a value entry (anything else,
 * XA_ERR_NOMEM included, is a bug: BUG_ON).
 */
#define XA_ERR_NOMEM	((void *)-ENOMEM)	/* the top page of the address space: never an entry */
static inline bool xa_is_err(const void *e) { return e == XA_ERR_NOMEM; }
void *xa_store(struct xarray *xa, unsigned long index, void *entry, gfp_t gfp);
/* xa_store(xa, index, NULL, 0): never fails. */
void *xa_erase(struct xarray *xa, unsigned long index);
/*
 * Preload (Linux: radix_tree_preload, xas_nomem): set aside in the array's
 * stash the nodes a later xa_store() at index can need, so that the store
 * need not allocate. 0 or -ENOMEM (the nodes it did get stay stashed).
 *
 * The one call that may run without the owner's lock, so gfp may sleep:
 * it reads only xa->height (a hint) and pushes nodes onto the stash
 * atomically. Stores take stashed nodes before allocating. If the array
 * grew between the two (another store), a store may still need a node:
 * with GFP_NOWAIT it may then fail with XA_ERR_NOMEM, changing no entry
 * (nodes it got go to the stash), and the caller goes round again:
 *
 *	do {
 *		if (xa_reserve(&m->i_pages, index, GFP_KERNEL))
 *			return -ENOMEM;
 *		spin_lock(&m->i_pages_lock);
 *		old = xa_store(&m->i_pages, index, page, GFP_NOWAIT);
 *		spin_unlock(&m->i_pages_lock);
 *	} while (xa_is_err(old));
 *
 * Stashed nodes stay until stores use them or xa_destroy() (at most
 * XA_STASH_MAX are kept after a store; xa_nodes_in_use() counts them).
 */
#define XA_STASH_MAX	24
int xa_reserve(struct xarray *xa, unsigned long index, gfp_t gfp);

/* Marks on a present entry (set/clear on an absent index do nothing). */
void xa_set_mark(struct xarray *xa, unsigned long index, xa_mark_t mark);
void xa_clear_mark(struct xarray *xa, unsigned long index, xa_mark_t mark);
bool xa_get_mark(const struct xarray *xa, unsigned long index, xa_mark_t mark);
/* Does any entry carry mark? (O(1)) */
bool xa_marked(const struct xarray *xa, xa_mark_t mark);

/*
 * The first present entry at an index in [*index, max] (with mark, or any
 * entry for XA_PRESENT); sets *index to it. NULL when there is none
 * (*index unspecified then).
 */
void *xa_find(const struct xarray *xa, unsigned long *index,
	      unsigned long max, xa_mark_t filter);
/* The same, strictly after *index. */
void *xa_find_after(const struct xarray *xa, unsigned long *index,
		    unsigned long max, xa_mark_t filter);
/* The first index in [start, max] with no entry, or max + 1 if full (for
 * readahead: where the cached run ends). */
unsigned long xa_next_hole(const struct xarray *xa, unsigned long start,
			   unsigned long max);

#define xa_for_each_range(xa, index, entry, start, last)		\
	for (index = (start), entry = xa_find(xa, &index, last, XA_PRESENT); \
	     entry; entry = xa_find_after(xa, &index, last, XA_PRESENT))
#define xa_for_each_marked(xa, index, entry, filter)			\
	for (index = 0, entry = xa_find(xa, &index, ~0UL, filter);	\
	     entry; entry = xa_find_after(xa, &index, ~0UL, filter))

/* Free every node and the stash (the entries are the caller's); the array
 * is left empty, still using its node_cache. */
void xa_destroy(struct xarray *xa);

/* Boot (Linux's radix_tree_init): make the kernel's node cache now rather
 * than at the first node allocation that may sleep. May sleep. */
void xarray_init(void);

/*
 * A cache of nodes over a private node (a test's arena): set it in
 * xa->node_cache after xa_init(). kmem_cache_destroy() it once every array
 * using it is destroyed. NULL if it cannot be made.
 */
struct kmem_cache *xa_node_cache_create(struct pglist_data *node);

/* Nodes allocated now, in all arrays (leak checks, slabinfo's count). */
unsigned long xa_nodes_in_use(void);
/* Check every invariant of xa (counts, marks summarised correctly up the
 * tree, no empty node below the top): 0, or -EINVAL after printing what is
 * wrong and where. Host model tests call it after every operation. */
int xa_check(const struct xarray *xa);

#endif
