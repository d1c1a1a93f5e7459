/*
 * mm/iova.h - I/O virtual address allocation: which device addresses of an
 * IOMMU domain are in use. The behaviour and names are Linux's
 * (drivers/iommu/iova.c); the code is our own. docs/mm/dma.md explains it.
 *
 *	struct iova_domain iovad;
 *	init_iova_domain(&iovad, PAGE_SIZE, 1);		// never hand out 0
 *	unsigned long pfn = alloc_iova_fast(&iovad, 4, DMA_BIT_MASK(32) >> PAGE_SHIFT, true);
 *	...					// map pfn..pfn+3 in the IOMMU
 *	free_iova_fast(&iovad, pfn, 4);
 *	put_iova_domain(&iovad);
 *
 * Addresses are counted in granules ("pfns" of the IOVA space, granule =
 * the IOMMU's smallest page). Three layers:
 *
 *  1. A range tree: every allocated range [pfn_lo, pfn_hi] is a node of a
 *     gap tree (kernel/lib/gaptree.h), an AVL tree ordered by address in
 *     which each node also records the free gap just below it and the
 *     largest gap anywhere in its subtree, so "the highest
 *     free, aligned range of n granules below limit" is found by walking
 *     down the tree, skipping every subtree whose largest gap is too small:
 *     O(log n) in the common case, whatever the fragmentation (Linux walks
 *     the gaps one by one from a cached position, which is O(n) when the
 *     space below a 32-bit limit is fragmented). Allocation is top-down
 *     below the limit, as Linux does, so 64-bit devices keep off the
 *     scarce space below 4 GiB.
 *
 *  2. Per-CPU magazine caches ("rcache") in front of the tree for ranges of
 *     1..256 granules (orders 0..8, up to 1 MiB of 4 KiB pages; Linux
 *     stops at 32): each CPU has a loaded and a previous
 *     magazine of IOVA_MAG_SIZE freed ranges per order, and full magazines
 *     go to a depot shared by all CPUs (IOVA_DEPOT_MAX of them up to order
 *     5, half as many for each order above, so no order's depot holds
 *     more address space than order 5's). A cache hit takes no shared lock.
 *     alloc_iova_fast rounds such sizes up to a power of two so a freed
 *     range fits any later request of its class. A cached range is only
 *     handed out if it lies entirely at or below the caller's limit: ranges
 *     freed by a 64-bit device never reach a 32-bit one.
 *
 *  3. A flush queue for lazy IOTLB invalidation: an unmapped range is not
 *     reusable until the IOMMU has forgotten every translation of it.
 *     queue_iova() parks it in a per-CPU ring; the domain's flush callback
 *     (an IOTLB invalidation of everything) runs when a ring is full or
 *     when the oldest parked range has waited fq_timeout_ns. The time
 *     bound is checked on every queue_iova() and applied by
 *     iova_flush_queue_tick(); a domain with a kick callback has
 *     queue_iova() call it when the bound falls due, and its owner runs
 *     the tick soon after in thread context (the DMA layer: a work item),
 *     so the flush and the freeing it allows stay off the unmapping
 *     caller's path; without one queue_iova() flushes there itself. A
 *     ring that is full is flushed by queue_iova() either way. Ranges are
 *     freed to the caches only after a flush that started after they were
 *     queued has finished.
 *
 * Memory: tree nodes and magazines come from pages of the domain's node
 * (the global node, or a private arena for tests), carved by a small pool
 * in the domain and all returned by put_iova_domain().
 *
 * Locking: one lock for the tree, one for each depot. A CPU's magazines
 * and its flush ring are each used with interrupts off and a "busy" flag
 * taken by one compare-and-swap, which is always free unless another CPU
 * is emptying them (see busy_lock() in mm/iova.c). Every function may
 * be called with interrupts on or off; nothing sleeps. The flush callback
 * is called with no iova lock held, except a ring's busy flag (interrupts
 * off) when that ring is full.
 */
#ifndef MM_IOVA_H
#define MM_IOVA_H

#include "kernel/types.h"
#include "kernel/lib/gaptree.h"
#include "kernel/percpu.h"
#include "kernel/spinlock.h"
#include "mm/mmzone.h"

#define IOVA_RANGE_CACHE_MAX_SIZE 9	/* cached orders 0..8: 1..256 granules */
#define IOVA_MAG_SIZE		127	/* ranges per magazine (1 KiB with size) */
#define IOVA_DEPOT_MAX		32	/* full magazines kept per order <= 5 */
#define IOVA_DEPOT_FULL_ORDER	5	/* above it, half as many per order up */
#define IOVA_FQ_SIZE		256	/* flush-queue ring entries per CPU */
#define IOVA_FQ_TIMEOUT_NS	(10ULL * 1000 * 1000)	/* 10 ms, as Linux */
#define IOVA_ANCHOR		(~0UL)	/* pfn of the sentinel above all ranges */

/*
 * One allocated range: a node of the range tree. pfn_lo and pfn_hi are
 * the node's start and last under Linux's names (the gap tree promises
 * those are its first two members); read them, never write them.
 */
struct iova {
	union {
		struct gap_node node;
		struct {
			unsigned long pfn_lo, pfn_hi;	/* inclusive */
		};
	};
};
_Static_assert(offsetof(struct iova, pfn_lo) == offsetof(struct gap_node, start) &&
	       offsetof(struct iova, pfn_hi) == offsetof(struct gap_node, last),
	       "struct iova's names alias the gap node's range");

static inline unsigned long iova_size(const struct iova *iova)
{
	return iova->pfn_hi - iova->pfn_lo + 1;
}

struct iova_magazine {
	unsigned long size;
	unsigned long pfns[IOVA_MAG_SIZE];
};

struct iova_cpu_rcache {
	unsigned int busy;		/* 1: someone is using these (mm/iova.c) */
	struct iova_magazine *loaded;	/* NULL: empty, made on first free */
	struct iova_magazine *prev;
	unsigned long hits, misses;
} __aligned(CACHE_LINE);

struct iova_rcache {
	spinlock_t lock;		/* the depot */
	unsigned int depot_size;
	unsigned int depot_max;		/* <= IOVA_DEPOT_MAX, by order */
	struct iova_magazine *depot[IOVA_DEPOT_MAX];
	struct iova_cpu_rcache cpu[NR_CPUS];
};

/* A small allocator of fixed-size objects from pages of the node. */
struct iova_objpool {
	unsigned int obj_size;
	void *free;			/* free objects, chained by first word */
	void *blocks;			/* page blocks, chained by first word */
	unsigned long nr_blocks, in_use;
};

struct iova_fq_entry {
	unsigned long pfn, pages;
	uint64_t counter;		/* fq_flush_start_cnt when queued */
};

struct iova_fq {
	unsigned int busy;		/* 1: someone is using it (mm/iova.c) */
	unsigned int head, tail;	/* ring: [head, tail) queued */
	unsigned long nr_queued, nr_freed;	/* this ring's, under busy */
	struct iova_fq_entry entries[IOVA_FQ_SIZE];
};

enum iova_fq_reason { IOVA_FQ_FULL, IOVA_FQ_TIMEOUT, IOVA_FQ_EXPLICIT, IOVA_FQ_NR };

struct iova_domain {
	spinlock_t lock;		/* the tree, node pool, counters */
	struct gap_tree tree;		/* the ranges; anchor at IOVA_ANCHOR */
	unsigned long granule;		/* bytes per pfn, a power of two */
	unsigned int shift;		/* log2(granule) */
	unsigned long start_pfn;	/* lowest pfn ever handed out */
	unsigned long nr_ranges;	/* in the tree (reserved ones too) */
	unsigned long nr_reserved;
	pg_data_t *node;		/* where node/magazine pages come from */
	spinlock_t pool_lock;
	struct iova_objpool node_pool, mag_pool;
	unsigned long tree_allocs, tree_frees, tree_fails;
	struct iova_rcache rcaches[IOVA_RANGE_CACHE_MAX_SIZE];

	/* Flush queue (lazy invalidation); fq_flush NULL: not set up. */
	void (*fq_flush)(struct iova_domain *iovad);
	void (*fq_kick)(struct iova_domain *iovad);	/* NULL: flush inline */
	void *fq_cookie;		/* for the callback's owner */
	uint64_t (*fq_clock)(void);	/* NULL: clock_ns; else a test's clock
					 * (the periodic tick then skips it) */
	uint64_t fq_timeout_ns;
	unsigned int fq_max;		/* ring entries used, <= IOVA_FQ_SIZE */
	uint64_t fq_flush_start_cnt, fq_flush_finish_cnt;
	uint64_t fq_oldest_ns;		/* queue time of oldest entry; 0 none */
	uint64_t fq_freed_finish;	/* finish count at the last free-all */
	unsigned int fq_kicked;		/* fq_kick called, no tick since */
	unsigned long fq_kicks;		/* fq_kick calls, ever */
	struct iova_fq *fq[NR_CPUS];	/* made on each CPU's first use */
	unsigned long fq_flushes[IOVA_FQ_NR];	/* queued/freed: per ring */
};

/*
 * Set up an empty domain whose pfns start at start_pfn (>= 1 keeps IOVA 0
 * unused, so a DMA address is never 0), with tree nodes from the global
 * node. granule must be a power of two.
 */
void init_iova_domain(struct iova_domain *iovad, unsigned long granule,
		      unsigned long start_pfn);
/* The same with memory from pgdat (tests, benchmarks: a private arena). */
void init_iova_domain_node(struct iova_domain *iovad, unsigned long granule,
			   unsigned long start_pfn, pg_data_t *pgdat);
/* Forget every range, cached or not, and give back all memory. */
void put_iova_domain(struct iova_domain *iovad);

static inline unsigned long iova_shift(const struct iova_domain *iovad)
{
	return iovad->shift;
}
static inline unsigned long iova_pfn(const struct iova_domain *iovad,
				     uint64_t addr)
{
	return (unsigned long)(addr >> iovad->shift);
}

/*
 * The range tree. alloc_iova: the highest free range of size granules
 * whose last pfn is <= limit_pfn (inclusive), aligned to size rounded up
 * to a power of two when size_aligned; NULL if none. free_iova: free the
 * range containing pfn (ignored if none). find_iova: the range containing
 * pfn, or NULL. reserve_iova: mark [pfn_lo, pfn_hi] used forever (an MSI
 * window, a firmware region); it must be free; NULL otherwise.
 */
struct iova *alloc_iova(struct iova_domain *iovad, unsigned long size,
			unsigned long limit_pfn, bool size_aligned);
void free_iova(struct iova_domain *iovad, unsigned long pfn);
void __free_iova(struct iova_domain *iovad, struct iova *iova);
struct iova *find_iova(struct iova_domain *iovad, unsigned long pfn);
struct iova *reserve_iova(struct iova_domain *iovad, unsigned long pfn_lo,
			  unsigned long pfn_hi);

/*
 * With the caches: the first pfn of a size-aligned range of size
 * granules (sizes up to 32 rounded up to a power of two) at or below
 * limit_pfn, or 0 if none. flush_rcache: on failure, return every cached
 * range to the tree and try once more. Free with free_iova_fast() and the
 * same size; only ranges from alloc_iova_fast may be freed that way.
 */
unsigned long alloc_iova_fast(struct iova_domain *iovad, unsigned long size,
			      unsigned long limit_pfn, bool flush_rcache);
void free_iova_fast(struct iova_domain *iovad, unsigned long pfn,
		    unsigned long size);
/* The same on a given CPU's caches (tests and the flush queue). */
unsigned long alloc_iova_fast_cpu(struct iova_domain *iovad, unsigned int cpu,
				  unsigned long size, unsigned long limit_pfn,
				  bool flush_rcache);
void free_iova_fast_cpu(struct iova_domain *iovad, unsigned int cpu,
			unsigned long pfn, unsigned long size);
/* Return one CPU's cached ranges (loaded and previous magazines) to the tree. */
void free_cpu_cached_iovas(unsigned int cpu, struct iova_domain *iovad);
/* Return the depots' ranges to the tree and free the depot magazines. */
void free_global_cached_iovas(struct iova_domain *iovad);

/*
 * Flush queue. iova_domain_init_flush_queue: lazy mode for this domain;
 * flush must invalidate every IOTLB entry of the domain (it may be called
 * with a ring lock held and interrupts off: it must not sleep); clock NULL
 * means clock_ns. kick NULL: queue_iova flushes itself when the time bound
 * falls due. Otherwise queue_iova calls kick instead (interrupts possibly
 * off, no iova lock held; it must not sleep) and the owner must then call
 * iova_flush_queue_tick soon, which flushes: from a thread, or from kick
 * itself when it has none; kick is not called again until that tick has
 * begun. queue_iova: the caller has unmapped [pfn, pfn+pages) but not
 * invalidated; it is freed (free_iova_fast) after the next flush.
 * iova_flush_queue_tick: apply the time bound now (flush if the oldest
 * entry is older than fq_timeout_ns) and free what earlier flushes made
 * free. iova_flush_queue_flush: flush and free everything queued now.
 */
void iova_domain_init_flush_queue(struct iova_domain *iovad,
				  void (*flush)(struct iova_domain *iovad),
				  void (*kick)(struct iova_domain *iovad),
				  void *cookie, uint64_t (*clock)(void));
void queue_iova(struct iova_domain *iovad, unsigned long pfn,
		unsigned long pages);
void queue_iova_cpu(struct iova_domain *iovad, unsigned int cpu,
		    unsigned long pfn, unsigned long pages);
void iova_flush_queue_tick(struct iova_domain *iovad);
void iova_flush_queue_flush(struct iova_domain *iovad);
/* Ranges parked in the flush queues now. */
unsigned long iova_fq_pending(struct iova_domain *iovad);

/* ---------------------------------------------------------------- checks */

struct iova_stats {
	unsigned long ranges, reserved;		/* in the tree */
	unsigned long cached;			/* in magazines, all CPUs */
	unsigned long depot_mags;
	unsigned long hits, misses;		/* cache, all CPUs and orders */
	unsigned long pool_pages;		/* pages holding nodes/magazines */
	unsigned long fq_pending;
	unsigned long fq_queued, fq_freed;	/* flush queue, all CPUs */
};
void iova_get_stats(struct iova_domain *iovad, struct iova_stats *st);

/*
 * Check every invariant of the tree (order, no overlap, gaps, subtree
 * maxima, AVL balance, count). Prints the first problem and returns false.
 */
bool iova_check(struct iova_domain *iovad);

/* Call fn on each range in ascending order (under the tree lock). */
void iova_for_each(struct iova_domain *iovad,
		   void (*fn)(const struct iova *iova, void *arg), void *arg);

/* Call fn on each cached pfn with its order (under the cache locks). */
void iova_for_each_cached(struct iova_domain *iovad,
			  void (*fn)(unsigned long pfn, unsigned int order,
				     unsigned int cpu, void *arg), void *arg);

#endif
