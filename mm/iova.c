/*
 * mm/iova.c - the IOVA allocator: a range tree (the gap tree of
 * kernel/lib/gaptree.h, searched top-down below the device's limit),
 * per-CPU magazine caches, and the flush queue. See mm/iova.h for the
 * contract and docs/mm/dma.md for the design.
 */
#include "mm/iova.h"
#include "kernel/lib/gaptree.h"
#include "kernel/lib/string.h"
#include "kernel/printk.h"
#include "kernel/time.h"
#include "mm/page_alloc.h"

#define POOL_BLOCK_ORDER	2	/* 16 KiB blocks of nodes or magazines */
#define FQ_ORDER		1	/* one CPU's flush ring: 8 KiB */
_Static_assert(sizeof(struct iova_fq) <= (PAGE_SIZE << FQ_ORDER),
	       "flush ring fits its pages");

/* ---------------------------------------------------------------- pool */

static struct page *pages_from(pg_data_t *node, unsigned int order)
{
	gfp_t gfp = GFP_ATOMIC | __GFP_NOWARN;

	return node ? alloc_pages_node(node, gfp, order) : alloc_pages(gfp, order);
}

static void *pool_alloc(struct iova_domain *iovad, struct iova_objpool *p)
{
	unsigned long flags;
	void *obj;

	spin_lock_irqsave(&iovad->pool_lock, flags);
	if (!p->free) {
		struct page *pg = pages_from(iovad->node, POOL_BLOCK_ORDER);
		char *block, *o;

		if (!pg) {
			spin_unlock_irqrestore(&iovad->pool_lock, flags);
			return NULL;
		}
		block = page_address(pg);
		*(void **)block = p->blocks;		/* first slot: the chain */
		p->blocks = block;
		p->nr_blocks++;
		for (o = block + p->obj_size;
		     o + p->obj_size <= block + (PAGE_SIZE << POOL_BLOCK_ORDER);
		     o += p->obj_size) {
			*(void **)o = p->free;
			p->free = o;
		}
	}
	obj = p->free;
	p->free = *(void **)obj;
	p->in_use++;
	spin_unlock_irqrestore(&iovad->pool_lock, flags);
	return obj;
}

static void pool_free(struct iova_domain *iovad, struct iova_objpool *p, void *obj)
{
	unsigned long flags;

	spin_lock_irqsave(&iovad->pool_lock, flags);
	*(void **)obj = p->free;
	p->free = obj;
	p->in_use--;
	spin_unlock_irqrestore(&iovad->pool_lock, flags);
}

static void pool_destroy(struct iova_objpool *p)
{
	while (p->blocks) {
		void *next = *(void **)p->blocks;

		__free_pages(virt_to_page(p->blocks), POOL_BLOCK_ORDER);
		p->blocks = next;
	}
	p->free = NULL;
	p->nr_blocks = p->in_use = 0;
}

/* ---------------------------------------------------------------- sizes */

static inline unsigned int fls_long(unsigned long x)
{
	return x ? 64 - (unsigned int)__builtin_clzl(x) : 0;
}

/* log2 of the smallest power of two >= x (x >= 1). */
static inline unsigned int order_base_2(unsigned long x)
{
	return x > 1 ? fls_long(x - 1) : 0;
}

/* ---------------------------------------------------------------- domain */

void init_iova_domain_node(struct iova_domain *iovad, unsigned long granule,
			   unsigned long start_pfn, pg_data_t *pgdat)
{
	memset(iovad, 0, sizeof(*iovad));
	spin_lock_init(&iovad->lock, "iova_domain");
	spin_lock_init(&iovad->pool_lock, "iova_pool");
	iovad->granule = granule;
	iovad->shift = fls_long(granule) - 1;
	iovad->start_pfn = start_pfn ? start_pfn : 1;
	iovad->node = pgdat;
	iovad->node_pool.obj_size = sizeof(struct iova);
	iovad->mag_pool.obj_size = sizeof(struct iova_magazine);
	gap_tree_init(&iovad->tree, iovad->start_pfn, IOVA_ANCHOR - 1);
	for (int i = 0; i < IOVA_RANGE_CACHE_MAX_SIZE; i++) {
		spin_lock_init(&iovad->rcaches[i].lock, "iova_depot");
		iovad->rcaches[i].depot_max = i <= IOVA_DEPOT_FULL_ORDER ? IOVA_DEPOT_MAX :
			IOVA_DEPOT_MAX >> (i - IOVA_DEPOT_FULL_ORDER);
	}
	iovad->fq_timeout_ns = IOVA_FQ_TIMEOUT_NS;
	iovad->fq_max = IOVA_FQ_SIZE;
}

void init_iova_domain(struct iova_domain *iovad, unsigned long granule,
		      unsigned long start_pfn)
{
	init_iova_domain_node(iovad, granule, start_pfn, NULL);
}

void put_iova_domain(struct iova_domain *iovad)
{
	for (int c = 0; c < NR_CPUS; c++)
		if (iovad->fq[c])
			__free_pages(virt_to_page(iovad->fq[c]), FQ_ORDER);
	/* Nodes and magazines all live in the pools: drop them wholesale. */
	pool_destroy(&iovad->node_pool);
	pool_destroy(&iovad->mag_pool);
	memset(iovad, 0, sizeof(*iovad));
}

/* ---------------------------------------------------------------- tree */

static inline struct iova *to_iova(struct gap_node *n)
{
	return n ? container_of(n, struct iova, node) : NULL;
}

/* Take iova out of the tree (its node goes back to the pool). Lock held. */
static void tree_remove(struct iova_domain *iovad, struct iova *iova)
{
	gap_tree_remove(&iovad->tree, &iova->node);
	iovad->nr_ranges--;
	iovad->tree_frees++;
}

struct iova *alloc_iova(struct iova_domain *iovad, unsigned long size,
			unsigned long limit_pfn, bool size_aligned)
{
	unsigned long align = 1, flags;
	struct gap_fit fit;
	struct iova *node;

	if (!size || limit_pfn < iovad->start_pfn || limit_pfn >= IOVA_ANCHOR)
		return NULL;
	if (size_aligned)
		align <<= order_base_2(size);
	node = pool_alloc(iovad, &iovad->node_pool);
	if (!node)
		return NULL;
	spin_lock_irqsave(&iovad->lock, flags);
	if (!gap_tree_fit_highest(&iovad->tree, size, align, iovad->start_pfn,
				  limit_pfn, &fit)) {
		iovad->tree_fails++;
		spin_unlock_irqrestore(&iovad->lock, flags);
		pool_free(iovad, &iovad->node_pool, node);
		return NULL;
	}
	gap_tree_insert_fit(&iovad->tree, &node->node, &fit, size);
	iovad->nr_ranges++;
	iovad->tree_allocs++;
	spin_unlock_irqrestore(&iovad->lock, flags);
	return node;
}

struct iova *find_iova(struct iova_domain *iovad, unsigned long pfn)
{
	unsigned long flags;
	struct iova *n;

	spin_lock_irqsave(&iovad->lock, flags);
	n = to_iova(gap_tree_find(&iovad->tree, pfn));
	spin_unlock_irqrestore(&iovad->lock, flags);
	return n;
}

void __free_iova(struct iova_domain *iovad, struct iova *iova)
{
	unsigned long flags;

	spin_lock_irqsave(&iovad->lock, flags);
	tree_remove(iovad, iova);
	spin_unlock_irqrestore(&iovad->lock, flags);
	pool_free(iovad, &iovad->node_pool, iova);
}

void free_iova(struct iova_domain *iovad, unsigned long pfn)
{
	unsigned long flags;
	struct iova *n;

	spin_lock_irqsave(&iovad->lock, flags);
	n = to_iova(gap_tree_find(&iovad->tree, pfn));
	if (!n) {
		spin_unlock_irqrestore(&iovad->lock, flags);
		return;
	}
	tree_remove(iovad, n);
	spin_unlock_irqrestore(&iovad->lock, flags);
	pool_free(iovad, &iovad->node_pool, n);
}

struct iova *reserve_iova(struct iova_domain *iovad, unsigned long pfn_lo,
			  unsigned long pfn_hi)
{
	unsigned long flags;
	struct iova *node;

	if (pfn_lo > pfn_hi || pfn_lo < iovad->start_pfn || pfn_hi >= IOVA_ANCHOR)
		return NULL;
	node = pool_alloc(iovad, &iovad->node_pool);
	if (!node)
		return NULL;
	spin_lock_irqsave(&iovad->lock, flags);
	if (gap_tree_insert(&iovad->tree, &node->node, pfn_lo, pfn_hi)) {
		spin_unlock_irqrestore(&iovad->lock, flags);	/* not all free */
		pool_free(iovad, &iovad->node_pool, node);
		return NULL;
	}
	iovad->nr_ranges++;
	iovad->nr_reserved++;
	spin_unlock_irqrestore(&iovad->lock, flags);
	return node;
}

/* ---------------------------------------------------------------- rcache */

static bool mag_full(const struct iova_magazine *m)
{
	return m && m->size == IOVA_MAG_SIZE;
}

static bool mag_empty(const struct iova_magazine *m)
{
	return !m || m->size == 0;
}

/* Take the newest pfn <= max_lo, or 0. */
static unsigned long mag_pop(struct iova_magazine *m, unsigned long max_lo)
{
	for (long i = (long)m->size - 1; i >= 0; i--) {
		unsigned long pfn = m->pfns[i];

		if (pfn <= max_lo) {
			m->pfns[i] = m->pfns[--m->size];
			return pfn;
		}
	}
	return 0;
}

/* Give every pfn of m back to the tree and empty it. */
static void mag_free_pfns(struct iova_domain *iovad, struct iova_magazine *m)
{
	unsigned long flags;

	if (!m)
		return;
	spin_lock_irqsave(&iovad->lock, flags);
	for (unsigned long i = 0; i < m->size; i++) {
		struct iova *node = to_iova(gap_tree_find(&iovad->tree, m->pfns[i]));

		if (node) {
			tree_remove(iovad, node);
			pool_free(iovad, &iovad->node_pool, node);
		}
	}
	spin_unlock_irqrestore(&iovad->lock, flags);
	m->size = 0;
}

static struct iova_magazine *mag_alloc(struct iova_domain *iovad)
{
	struct iova_magazine *m = pool_alloc(iovad, &iovad->mag_pool);

	if (m)
		m->size = 0;
	return m;
}

/*
 * Who may touch a CPU's magazines (c->loaded, c->prev and what they hold)
 * and its flush ring.
 *
 * Nearly always that CPU itself, from alloc_iova_fast/free_iova_fast and
 * queue_iova. Interrupts off keep out everything else on the same CPU (a
 * handler that maps DMA, or a preemption that moves us away). The only
 * other users are another CPU emptying them (free_cpu_cached_iovas after
 * a failed allocation, a flush freeing every CPU's parked ranges, the
 * iova_for_each_cached walk) and tests playing several CPUs on one. For
 * those, a "busy" word is a tiny lock: whoever uses the magazines or the
 * ring sets it with one compare-and-swap and clears it with one store.
 * The owner's swap finds it free unless such a rare remote user holds it,
 * so the hit path is interrupts off, one atomic, a few loads and stores,
 * one store, interrupts back.
 *
 * Why not a spinlock_t: its preemption count and lock-debugging checks
 * cost as much as the rest of a hit, and buy nothing here (interrupts
 * are off; the sections are short). Why not no lock at all, with remote
 * emptying done by the owner through an IPI: callers may have interrupts
 * off (dma_map_* under GFP_ATOMIC), and a cross-CPU call made with
 * interrupts off can deadlock; without a fence on the owner's side
 * nothing else can stop a remote CPU reading a magazine the owner is
 * changing. The one order: a ring, then magazines (freeing a ring's
 * ranges caches them); never the other way.
 */
static inline unsigned long busy_lock(unsigned int *busy)
{
	unsigned long flags = arch_irq_save();
	unsigned int free = 0;

	while (unlikely(!__atomic_compare_exchange_n(busy, &free, 1, false,
						     __ATOMIC_ACQUIRE,
						     __ATOMIC_RELAXED))) {
		/* Another CPU is emptying them: wait without writing. */
		while (__atomic_load_n(busy, __ATOMIC_RELAXED))
			arch_cpu_relax();
		free = 0;
	}
	return flags;
}

static inline void busy_unlock(unsigned int *busy, unsigned long flags)
{
	__atomic_store_n(busy, 0, __ATOMIC_RELEASE);
	arch_irq_restore(flags);
}

static inline unsigned long rcache_lock(struct iova_cpu_rcache *c)
{
	return busy_lock(&c->busy);
}

static inline void rcache_unlock(struct iova_cpu_rcache *c, unsigned long flags)
{
	busy_unlock(&c->busy, flags);
}

/* Make room in c->loaded when it is missing or full. rcache_lock held. */
static struct iova_magazine *rcache_insert_slow(struct iova_domain *iovad,
						struct iova_rcache *rc,
						struct iova_cpu_rcache *c,
						struct iova_magazine **spill)
{
	struct iova_magazine *fresh;

	if (c->prev && !mag_full(c->prev)) {
		struct iova_magazine *t = c->loaded;

		c->loaded = c->prev;
		c->prev = t;
	} else if (!c->prev) {
		c->prev = c->loaded;		/* NULL on the first free */
		c->loaded = mag_alloc(iovad);
	} else if ((fresh = mag_alloc(iovad))) {
		/* Both full: the loaded one goes to the depot. */
		spin_lock(&rc->lock);
		if (c->loaded && rc->depot_size < rc->depot_max)
			rc->depot[rc->depot_size++] = c->loaded;
		else	/* NULL (an earlier mag_alloc failed): nothing to spill */
			*spill = c->loaded;
		spin_unlock(&rc->lock);
		c->loaded = fresh;
	}
	return mag_full(c->loaded) ? NULL : c->loaded;
}

/* Cache pfn (an order-sized range) on cpu; false if no magazine memory. */
static bool rcache_insert(struct iova_domain *iovad, unsigned int cpu,
			  unsigned long pfn, unsigned int order)
{
	struct iova_rcache *rc = &iovad->rcaches[order];
	struct iova_cpu_rcache *c = &rc->cpu[cpu];
	struct iova_magazine *spill = NULL, *m;
	unsigned long flags = rcache_lock(c);

	m = c->loaded;
	if (unlikely(!m || m->size == IOVA_MAG_SIZE))
		m = rcache_insert_slow(iovad, rc, c, &spill);
	if (likely(m))
		m->pfns[m->size++] = pfn;
	rcache_unlock(c, flags);
	if (spill) {			/* depot full: back to the tree */
		mag_free_pfns(iovad, spill);
		pool_free(iovad, &iovad->mag_pool, spill);
	}
	return m != NULL;
}

/*
 * Fill c->loaded when it is empty: from c->prev, else from the depot;
 * *old is an empty magazine to free after unlocking. rcache_lock held.
 */
static void rcache_get_slow(struct iova_rcache *rc, struct iova_cpu_rcache *c,
			    struct iova_magazine **old)
{
	if (!mag_empty(c->prev)) {
		struct iova_magazine *t = c->loaded;

		c->loaded = c->prev;
		c->prev = t;
	} else if (READ_ONCE(rc->depot_size)) {	/* peek before locking */
		spin_lock(&rc->lock);
		if (rc->depot_size) {
			*old = c->loaded;
			c->loaded = rc->depot[--rc->depot_size];
		}
		spin_unlock(&rc->lock);
	}
}

static unsigned long rcache_get(struct iova_domain *iovad, unsigned int cpu,
				unsigned int order, unsigned long max_lo)
{
	struct iova_rcache *rc = &iovad->rcaches[order];
	struct iova_cpu_rcache *c = &rc->cpu[cpu];
	struct iova_magazine *old = NULL, *m;
	unsigned long flags = rcache_lock(c), pfn = 0;

	if (unlikely(mag_empty(c->loaded)))
		rcache_get_slow(rc, c, &old);
	m = c->loaded;
	if (likely(!mag_empty(m))) {
		/* The newest range is almost always under the limit: try it first. */
		pfn = m->pfns[m->size - 1];
		if (likely(pfn <= max_lo))
			m->size--;
		else
			pfn = mag_pop(m, max_lo);
	}
	if (likely(pfn))
		c->hits++;
	else
		c->misses++;
	rcache_unlock(c, flags);
	if (old)
		pool_free(iovad, &iovad->mag_pool, old);
	return pfn;
}

void free_cpu_cached_iovas(unsigned int cpu, struct iova_domain *iovad)
{
	for (int i = 0; i < IOVA_RANGE_CACHE_MAX_SIZE; i++) {
		struct iova_cpu_rcache *c = &iovad->rcaches[i].cpu[cpu];
		unsigned long flags = rcache_lock(c);

		mag_free_pfns(iovad, c->loaded);
		mag_free_pfns(iovad, c->prev);
		rcache_unlock(c, flags);
	}
}

void free_global_cached_iovas(struct iova_domain *iovad)
{
	for (int i = 0; i < IOVA_RANGE_CACHE_MAX_SIZE; i++) {
		struct iova_rcache *rc = &iovad->rcaches[i];
		unsigned long flags;

		spin_lock_irqsave(&rc->lock, flags);
		while (rc->depot_size) {
			struct iova_magazine *m = rc->depot[--rc->depot_size];

			mag_free_pfns(iovad, m);
			pool_free(iovad, &iovad->mag_pool, m);
		}
		spin_unlock_irqrestore(&rc->lock, flags);
	}
}

unsigned long alloc_iova_fast_cpu(struct iova_domain *iovad, unsigned int cpu,
				  unsigned long size, unsigned long limit_pfn,
				  bool flush_rcache)
{
	unsigned int order;
	struct iova *iova;

	if (!size)
		return 0;
	if (size < (1UL << (IOVA_RANGE_CACHE_MAX_SIZE - 1)))
		size = 1UL << order_base_2(size);
	order = order_base_2(size);
	if (order < IOVA_RANGE_CACHE_MAX_SIZE && limit_pfn >= size - 1) {
		/* Only a range whose last pfn is <= limit_pfn will do. */
		unsigned long pfn = rcache_get(iovad, cpu, order,
					       limit_pfn - size + 1);

		if (pfn)
			return pfn;
	}
	iova = alloc_iova(iovad, size, limit_pfn, true);
	if (!iova && flush_rcache) {
		for (unsigned int c = 0; c < NR_CPUS; c++)
			free_cpu_cached_iovas(c, iovad);
		free_global_cached_iovas(iovad);
		iova = alloc_iova(iovad, size, limit_pfn, true);
	}
	return iova ? iova->pfn_lo : 0;
}

void free_iova_fast_cpu(struct iova_domain *iovad, unsigned int cpu,
			unsigned long pfn, unsigned long size)
{
	unsigned int order = order_base_2(size);

	if (order < IOVA_RANGE_CACHE_MAX_SIZE &&
	    rcache_insert(iovad, cpu, pfn, order))
		return;
	free_iova(iovad, pfn);
}

unsigned long alloc_iova_fast(struct iova_domain *iovad, unsigned long size,
			      unsigned long limit_pfn, bool flush_rcache)
{
	return alloc_iova_fast_cpu(iovad, arch_cpu_id(), size, limit_pfn,
				   flush_rcache);
}

void free_iova_fast(struct iova_domain *iovad, unsigned long pfn,
		    unsigned long size)
{
	free_iova_fast_cpu(iovad, arch_cpu_id(), pfn, size);
}

/* ---------------------------------------------------------------- flush queue */

void iova_domain_init_flush_queue(struct iova_domain *iovad,
				  void (*flush)(struct iova_domain *iovad),
				  void (*kick)(struct iova_domain *iovad),
				  void *cookie, uint64_t (*clock)(void))
{
	iovad->fq_flush = flush;
	iovad->fq_kick = kick;
	iovad->fq_cookie = cookie;
	iovad->fq_clock = clock;
}

static uint64_t fq_now(struct iova_domain *iovad)
{
	return iovad->fq_clock ? iovad->fq_clock() : clock_ns();
}

/* Invalidate everything queued so far. */
static void fq_flush_iotlb(struct iova_domain *iovad, enum iova_fq_reason why)
{
	__atomic_store_n(&iovad->fq_oldest_ns, 0, __ATOMIC_RELAXED);
	__atomic_fetch_add(&iovad->fq_flush_start_cnt, 1, __ATOMIC_SEQ_CST);
	iovad->fq_flush(iovad);
	__atomic_fetch_add(&iovad->fq_flush_finish_cnt, 1, __ATOMIC_SEQ_CST);
	__atomic_fetch_add(&iovad->fq_flushes[why], 1, __ATOMIC_RELAXED);
}

/* Free the ring's entries that a finished flush covers. Ring lock held. */
static void fq_ring_free(struct iova_domain *iovad, unsigned int cpu,
			 struct iova_fq *fq)
{
	uint64_t done = __atomic_load_n(&iovad->fq_flush_finish_cnt, __ATOMIC_ACQUIRE);

	while (fq->head != fq->tail) {
		struct iova_fq_entry *e = &fq->entries[fq->head % IOVA_FQ_SIZE];

		if (e->counter >= done)
			break;
		free_iova_fast_cpu(iovad, cpu, e->pfn, e->pages);
		fq->head++;
		fq->nr_freed++;
	}
}

static struct iova_fq *fq_get(struct iova_domain *iovad, unsigned int cpu)
{
	struct iova_fq *fq = __atomic_load_n(&iovad->fq[cpu], __ATOMIC_ACQUIRE);
	struct page *pg;

	if (fq)
		return fq;
	pg = pages_from(iovad->node, FQ_ORDER);
	if (!pg)
		return NULL;
	fq = page_address(pg);
	memset(fq, 0, sizeof(*fq));
	struct iova_fq *expect = NULL;

	if (!__atomic_compare_exchange_n(&iovad->fq[cpu], &expect, fq, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		__free_pages(pg, FQ_ORDER);
		fq = expect;
	}
	return fq;
}

static bool fq_timed_out(struct iova_domain *iovad, uint64_t now)
{
	uint64_t oldest = __atomic_load_n(&iovad->fq_oldest_ns, __ATOMIC_RELAXED);

	return oldest && now - oldest >= iovad->fq_timeout_ns;
}

static void fq_free_all_rings(struct iova_domain *iovad)
{
	for (unsigned int c = 0; c < NR_CPUS; c++) {
		struct iova_fq *fq = __atomic_load_n(&iovad->fq[c], __ATOMIC_ACQUIRE);
		unsigned long flags;

		if (!fq)
			continue;
		flags = busy_lock(&fq->busy);
		fq_ring_free(iovad, c, fq);
		busy_unlock(&fq->busy, flags);
	}
}

void queue_iova_cpu(struct iova_domain *iovad, unsigned int cpu,
		    unsigned long pfn, unsigned long pages)
{
	struct iova_fq *fq = fq_get(iovad, cpu);
	uint64_t now = fq_now(iovad);
	unsigned long flags;

	if (!fq) {			/* no ring: be strict for this one */
		fq_flush_iotlb(iovad, IOVA_FQ_FULL);
		free_iova_fast_cpu(iovad, cpu, pfn, pages);
		return;
	}
	flags = busy_lock(&fq->busy);
	fq_ring_free(iovad, cpu, fq);
	if (fq->tail - fq->head >= iovad->fq_max) {
		fq_flush_iotlb(iovad, IOVA_FQ_FULL);
		fq_ring_free(iovad, cpu, fq);
	}
	fq->entries[fq->tail % IOVA_FQ_SIZE] = (struct iova_fq_entry){
		.pfn = pfn, .pages = pages,
		.counter = __atomic_load_n(&iovad->fq_flush_start_cnt, __ATOMIC_ACQUIRE),
	};
	fq->tail++;
	fq->nr_queued++;
	/* The first entry since a flush starts the clock. Look before the
	 * compare-and-swap: it is a locked write to a line every CPU reads,
	 * and nearly always the clock is running already. */
	if (!__atomic_load_n(&iovad->fq_oldest_ns, __ATOMIC_RELAXED)) {
		uint64_t zero = 0;

		__atomic_compare_exchange_n(&iovad->fq_oldest_ns, &zero,
					    now ? now : 1, false,
					    __ATOMIC_RELAXED, __ATOMIC_RELAXED);
	}
	busy_unlock(&fq->busy, flags);
	if (fq_timed_out(iovad, now)) {
		/* Due. The flush waits for the IOMMU and the freeing after
		 * it walks every CPU's ring: hand both to the owner's thread
		 * when there is one, so this unmap (often on a request's
		 * completion path) does not pay for them. */
		if (iovad->fq_kick) {
			if (!__atomic_load_n(&iovad->fq_kicked, __ATOMIC_RELAXED) &&
			    !__atomic_exchange_n(&iovad->fq_kicked, 1, __ATOMIC_RELAXED)) {
				__atomic_fetch_add(&iovad->fq_kicks, 1, __ATOMIC_RELAXED);
				iovad->fq_kick(iovad);
			}
			return;
		}
		fq_flush_iotlb(iovad, IOVA_FQ_TIMEOUT);
		fq_free_all_rings(iovad);
	}
}

void queue_iova(struct iova_domain *iovad, unsigned long pfn,
		unsigned long pages)
{
	queue_iova_cpu(iovad, arch_cpu_id(), pfn, pages);
}

void iova_flush_queue_tick(struct iova_domain *iovad)
{
	uint64_t fin;

	if (!iovad->fq_flush)
		return;
	/* Before looking: a kick from here on asks for another tick. */
	__atomic_store_n(&iovad->fq_kicked, 0, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&iovad->fq_oldest_ns, __ATOMIC_RELAXED) &&
	    fq_timed_out(iovad, fq_now(iovad)))
		fq_flush_iotlb(iovad, IOVA_FQ_TIMEOUT);
	/* Free what any flush since the last look made free. */
	fin = __atomic_load_n(&iovad->fq_flush_finish_cnt, __ATOMIC_ACQUIRE);
	if (fin == READ_ONCE(iovad->fq_freed_finish))
		return;
	WRITE_ONCE(iovad->fq_freed_finish, fin);
	fq_free_all_rings(iovad);
}

void iova_flush_queue_flush(struct iova_domain *iovad)
{
	if (!iovad->fq_flush)
		return;
	fq_flush_iotlb(iovad, IOVA_FQ_EXPLICIT);
	fq_free_all_rings(iovad);
}

unsigned long iova_fq_pending(struct iova_domain *iovad)
{
	unsigned long n = 0;

	for (unsigned int c = 0; c < NR_CPUS; c++) {
		struct iova_fq *fq = __atomic_load_n(&iovad->fq[c], __ATOMIC_ACQUIRE);

		if (fq)
			n += fq->tail - fq->head;
	}
	return n;
}

/* ---------------------------------------------------------------- checks */

void iova_get_stats(struct iova_domain *iovad, struct iova_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->ranges = iovad->nr_ranges;
	st->reserved = iovad->nr_reserved;
	for (int i = 0; i < IOVA_RANGE_CACHE_MAX_SIZE; i++) {
		struct iova_rcache *rc = &iovad->rcaches[i];

		st->depot_mags += rc->depot_size;
		for (unsigned int d = 0; d < rc->depot_size; d++)
			st->cached += rc->depot[d]->size;
		for (int c = 0; c < NR_CPUS; c++) {
			struct iova_cpu_rcache *cc = &rc->cpu[c];

			st->cached += (cc->loaded ? cc->loaded->size : 0) +
				      (cc->prev ? cc->prev->size : 0);
			st->hits += cc->hits;
			st->misses += cc->misses;
		}
	}
	st->pool_pages = (iovad->node_pool.nr_blocks + iovad->mag_pool.nr_blocks)
			 << POOL_BLOCK_ORDER;
	st->fq_pending = iova_fq_pending(iovad);
	for (unsigned int c = 0; c < NR_CPUS; c++) {
		struct iova_fq *fq = __atomic_load_n(&iovad->fq[c], __ATOMIC_ACQUIRE);

		if (fq) {
			st->fq_queued += READ_ONCE(fq->nr_queued);
			st->fq_freed += READ_ONCE(fq->nr_freed);
		}
	}
}

bool iova_check(struct iova_domain *iovad)
{
	unsigned long flags;
	bool ok;

	spin_lock_irqsave(&iovad->lock, flags);
	ok = gap_tree_check(&iovad->tree, "iova");
	if (ok && iovad->tree.nr != iovad->nr_ranges) {
		pr_err("iova: %lu ranges in the tree, %lu counted\n",
		       iovad->tree.nr, iovad->nr_ranges);
		ok = false;
	}
	if (ok && iovad->node_pool.in_use != iovad->nr_ranges) {
		pr_err("iova: %lu nodes in use, %lu ranges\n",
		       iovad->node_pool.in_use, iovad->nr_ranges);
		ok = false;
	}
	spin_unlock_irqrestore(&iovad->lock, flags);
	return ok;
}

void iova_for_each(struct iova_domain *iovad,
		   void (*fn)(const struct iova *iova, void *arg), void *arg)
{
	unsigned long flags;
	struct gap_node *n;

	spin_lock_irqsave(&iovad->lock, flags);
	gap_tree_for_each(n, &iovad->tree)
		fn(to_iova(n), arg);
	spin_unlock_irqrestore(&iovad->lock, flags);
}

void iova_for_each_cached(struct iova_domain *iovad,
			  void (*fn)(unsigned long pfn, unsigned int order,
				     unsigned int cpu, void *arg), void *arg)
{
	for (unsigned int o = 0; o < IOVA_RANGE_CACHE_MAX_SIZE; o++) {
		struct iova_rcache *rc = &iovad->rcaches[o];
		unsigned long flags;

		for (unsigned int c = 0; c < NR_CPUS; c++) {
			struct iova_cpu_rcache *cc = &rc->cpu[c];

			flags = rcache_lock(cc);
			for (unsigned long i = 0; cc->loaded && i < cc->loaded->size; i++)
				fn(cc->loaded->pfns[i], o, c, arg);
			for (unsigned long i = 0; cc->prev && i < cc->prev->size; i++)
				fn(cc->prev->pfns[i], o, c, arg);
			rcache_unlock(cc, flags);
		}
		spin_lock_irqsave(&rc->lock, flags);
		for (unsigned int d = 0; d < rc->depot_size; d++)
			for (unsigned long i = 0; i < rc->depot[d]->size; i++)
				fn(rc->depot[d]->pfns[i], o, NR_CPUS, arg);
		spin_unlock_irqrestore(&rc->lock, flags);
	}
}
