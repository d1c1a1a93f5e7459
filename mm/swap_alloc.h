/*
 * mm/swap_alloc.h - the slot allocator of one swap area: which pages of
 * the swap device hold what. The design and names are Linux's
 * (mm/swapfile.c: swap_map, clusters, per-CPU clusters); the code is our
 * own. docs/mm/swap.md, "Slots and clusters", draws it.
 *
 *	struct swap_alloc sa;
 *	swap_alloc_init(&sa, info.last_page, info.bad, info.nr_bad, nr_cpus);
 *	off = swap_alloc_slot(&sa, cpu);	// reclaim: a slot for a page,
 *						// count 0 | SWAP_HAS_CACHE
 *	swap_slot_dup(&sa, off);		// try_to_unmap: a swap PTE
 *	swap_slot_clear_cache(&sa, off);	// page written and freed
 *	...
 *	swap_slot_put(&sa, off);		// the PTE is zapped: 0 = free
 *
 * Slots. Page n of the device holds slot n (offset n of a swap entry).
 * Slot 0 is the header and never used, so slots are 1..last_page. Each
 * slot has a 16-bit value in swap_map[]:
 *
 *	bits 0..13	the number of references: swap entries in page
 *			tables (and, later, in shmem) that point here
 *	bit 14		SWAP_MAP_BAD: the slot is bad, never handed out
 *	bit 15		SWAP_HAS_CACHE: the page is in the swap cache
 *
 * 0 means free. A fresh slot is SWAP_HAS_CACHE with no references (the
 * page is in the swap cache, no PTE points here yet). A bad slot from the
 * header is SWAP_MAP_BAD alone; a slot that turns bad while in use keeps
 * its references and cache bit until they are dropped, then stays
 * SWAP_MAP_BAD.
 * Why 16 bits: Linux keeps one byte per slot and, past 62 references,
 * chains "continuation" pages with the higher digits of the count. Two
 * bytes give 16383 references in place, which no test or workload here
 * comes near, and no second structure to follow: twice the memory
 * (512 KiB for a 1 GiB area) for a map a student can read.
 *
 * Clusters. The slots are grouped in clusters of SWAPFILE_CLUSTER (256)
 * slots: cluster c holds slots c*256 .. c*256+255. Each cluster counts its
 * slots that are not free (used, bad, the header, and the slots past
 * last_page in the last cluster all count) and is in one state:
 *
 *	FREE		count 0, on the free list
 *	NONFULL		0 < count < 256, on the nonfull list
 *	FULL		count 256, on no list
 *	CPU		some CPU's current cluster, on no list
 *
 * Each CPU allocates from its own current cluster, front to back (a
 * cursor, `next`), so the pages that CPU swaps out land in one
 * sequential run of the disk, and two CPUs swapping out at once write two
 * runs instead of interleaving single pages. swap_alloc_slot(cpu) tries,
 * in order:
 *  1. the CPU's current cluster, from its cursor on;
 *  2. the first nonfull cluster (it becomes the CPU's current);
 *  3. the first free cluster (likewise);
 *  4. a free slot in another CPU's current cluster (the area is nearly
 *     full: sequential runs no longer matter, finding a slot does);
 *  5. none: 0.
 * So an allocation fails only when no usable slot is free anywhere. A
 * current cluster whose cursor reaches its end is let go: to the free,
 * nonfull or full state by its count. A cluster that becomes completely
 * free goes back to the free list, unless it is some CPU's current.
 *
 * Memory. swap_map and the cluster array are sized from last_page at
 * init. They come from whole pages of a node (the global one, or a test's
 * private arena with swap_alloc_init_node) in one block each, as the
 * page allocator gives them: at most 2^MAX_PAGE_ORDER pages, so an area
 * of at most SWAP_ALLOC_MAX_SLOTS slots (8 GiB). Linux takes them from
 * kvmalloc (vmalloc when large); our vmalloc memory is not addressable
 * in the host build, where these tables must be tested.
 *
 * Locking: one spinlock, sa->lock, around every function; nothing sleeps
 * and every function may be called from any CPU. Per-CPU clusters
 * already keep each CPU's run sequential; the lock only keeps the tables
 * consistent. It is where Linux has a lock per cluster (ci->lock), so
 * that CPUs in different clusters do not contend: the next step when
 * swap_alloc_slot shows up in a profile.
 */
#ifndef MM_SWAP_ALLOC_H
#define MM_SWAP_ALLOC_H

#include "kernel/types.h"
#include "kernel/spinlock.h"
#include "kernel/lib/list.h"
#include "mm/mmzone.h"

#define SWAPFILE_CLUSTER	256		/* slots per cluster */

#define SWAP_COUNT_MASK		0x3fff		/* references */
#define SWAP_MAP_MAX		0x3fff		/* most references a slot holds */
#define SWAP_MAP_BAD		0x4000		/* bad: never handed out */
#define SWAP_HAS_CACHE		0x8000		/* the page is in the swap cache */

/* The largest area: its swap_map is one block of the page allocator. */
#define SWAP_ALLOC_MAX_SLOTS	(MAX_ORDER_NR_PAGES * PAGE_SIZE / sizeof(uint16_t))

enum swap_cluster_state {
	SWAP_CLUSTER_FREE,
	SWAP_CLUSTER_NONFULL,
	SWAP_CLUSTER_FULL,
	SWAP_CLUSTER_CPU,
};

struct swap_cluster {
	struct list_head list;		/* on free or nonfull; else empty */
	unsigned int count;		/* slots not free (0..256) */
	enum swap_cluster_state state;
};

/* A CPU's current cluster and its cursor. */
struct swap_cpu_cluster {
	unsigned long cluster;		/* SWAP_NO_CLUSTER: none */
	unsigned long next;		/* next slot to try in it */
};
#define SWAP_NO_CLUSTER		(~0UL)

struct swap_alloc {
	/* Everything below. Taken with interrupts off: a swap write that
	 * fails marks its slots bad from its end_io, which may run in the
	 * disk's interrupt handler (mm/page_io.c end_swap_write); a plain
	 * spin_lock here deadlocked a CPU on itself when that interrupt
	 * came while the CPU held the lock allocating slots. */
	spinlock_t lock;
	unsigned long last_page;	/* slots are 1..last_page */
	unsigned long nr_slots;		/* swap_map's length: whole clusters */
	uint16_t *swap_map;
	unsigned long nr_clusters;
	struct swap_cluster *clusters;
	struct list_head free_clusters;
	struct list_head nonfull_clusters;
	unsigned int nr_cpus;
	struct swap_cpu_cluster *cpu;	/* [nr_cpus] */
	unsigned long nr_slots_usable;	/* 1..last_page less the bad */
	unsigned long inuse;		/* usable slots not free */
	/* Where allocations came from (steps 1-4 above) and failures. */
	unsigned long nr_alloc_current, nr_alloc_nonfull, nr_alloc_free,
		      nr_alloc_other_cpu, nr_alloc_failed;
	pg_data_t *node;		/* the tables' pages (NULL: global) */
	unsigned int map_order, cluster_order, cpu_order;
};

/*
 * Set up sa for an area of slots 1..last_page, with the nr_bad slots in
 * bad[] never to be handed out (a slot listed twice counts once), for CPUs
 * 0..nr_cpus-1. 0; -EINVAL if last_page is 0 or above
 * SWAP_ALLOC_MAX_SLOTS - 1, a bad slot is 0 or past last_page, or nr_cpus
 * is 0; -ENOMEM if the tables do not fit (sa is then empty: nothing to
 * destroy).
 */
int swap_alloc_init(struct swap_alloc *sa, unsigned long last_page,
		    const uint32_t *bad, unsigned int nr_bad, unsigned int nr_cpus);
/* The same, with the tables from node's pages (tests: a private arena). */
int swap_alloc_init_node(struct swap_alloc *sa, unsigned long last_page,
			 const uint32_t *bad, unsigned int nr_bad,
			 unsigned int nr_cpus, pg_data_t *node);
/* Free the tables. What the slots held is forgotten: swapoff empties the
 * area first (swap_alloc_next_used finds what is left). */
void swap_alloc_destroy(struct swap_alloc *sa);

/*
 * A free slot for a page going to swap, chosen as above for cpu (below
 * nr_cpus): its offset, now SWAP_HAS_CACHE with no references; 0 if no
 * usable slot is free.
 */
unsigned long swap_alloc_slot(struct swap_alloc *sa, unsigned int cpu);

/*
 * One more reference to slot off (a swap PTE is made: try_to_unmap, or
 * fork copying one). 0; -EINVAL if off is not a slot or the slot is free
 * (no references, no cache: the entry is stale) or bad and unused;
 * -EOVERFLOW if it already holds SWAP_MAP_MAX references.
 */
int swap_slot_dup(struct swap_alloc *sa, unsigned long off);

/*
 * One reference fewer (a swap PTE is gone). Returns what is left of the
 * slot's references and cache bit: 0 means nobody holds the slot any
 * more, and it is free (or, if bad, out of use for good). Dropping a
 * reference the slot does not have is a bug: WARN, nothing changes.
 */
unsigned int swap_slot_put(struct swap_alloc *sa, unsigned long off);

/*
 * Drop SWAP_HAS_CACHE (the page left the swap cache). Returns what is left,
 * as swap_slot_put. Without the bit: WARN, nothing changes.
 */
unsigned int swap_slot_clear_cache(struct swap_alloc *sa, unsigned long off);

/*
 * Swap-in: take SWAP_HAS_CACHE for a slot that has references, so one
 * thread reads it into the swap cache. 0; -EEXIST if someone holds the
 * bit (the page is in the swap cache or being read: look there);
 * -ENOENT if the slot has no references (the entry went stale: the page
 * was freed meanwhile); -EINVAL if off is not a slot.
 */
int swap_slot_set_cache(struct swap_alloc *sa, unsigned long off);

/*
 * A write to slot off failed: never hand it out again. Its references and
 * cache bit stay until dropped; from then on it is bad. It leaves
 * nr_slots_usable and inuse at once. Marking a bad slot again does nothing.
 */
void swap_slot_mark_bad(struct swap_alloc *sa, unsigned long off);

/* References to slot off (without the cache bit); 0 if not a slot. */
unsigned int swap_slot_count(struct swap_alloc *sa, unsigned long off);

/* The whole swap_map value of slot off (tests, reports); 0 if not a slot. */
unsigned int swap_slot_map(struct swap_alloc *sa, unsigned long off);

/*
 * The first slot at or after from that has references or the cache bit,
 * 0 if none (swapoff walks the area with it).
 */
unsigned long swap_alloc_next_used(struct swap_alloc *sa, unsigned long from);

/*
 * Check every invariant: each cluster's count is its slots not free, its
 * state matches its count and where it is (the free list, the nonfull
 * list, one CPU's current, or none when full), and inuse and
 * nr_slots_usable match the map. true if all hold; else false, with the
 * first broken one in why (tests, like buddy_check).
 */
bool swap_alloc_check(struct swap_alloc *sa, char *why, size_t len);

#endif
