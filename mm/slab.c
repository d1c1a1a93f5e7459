/*
 * mm/slab.c - the slab allocator: caches of equal-sized objects.
 *
 * Where an object can be (SLUB's scheme, with Linux 6.18's per-CPU sheaves):
 *
 *   CPU c's active slab  c->freelist: objects of one "frozen" slab that
 *                        only CPU c hands out, lock-free, interrupts off
 *   CPU c's sheaf        up to SLAB_SHEAF_SIZE objects of other slabs that
 *                        were freed on CPU c; allocated first (cache-hot)
 *   slab->freelist       objects back in their slab, under s->list_lock
 *   allocated            with the caller
 *
 * slab->inuse counts the objects of a slab not on slab->freelist: a frozen
 * slab's objects on its CPU's freelist count as in use until the slab is
 * deactivated. A slab that no CPU owns is on s->partial (some free),
 * s->full (none free) or s->empty (all free: up to min_partial are kept
 * for reuse, more go back to the page allocator). Every list change happens under s->list_lock with
 * interrupts off; per-CPU state is touched only by its own CPU with
 * interrupts off (or by kmem_cache_destroy, when no CPU may use the cache).
 *
 * Debug caches (mm/slab_debug.c) bypass the per-CPU layer: every alloc and
 * free takes list_lock so it can check the object against its slab.
 */
#include "mm/slab_internal.h"
#include "kernel/console.h"
#include "kernel/lib/diag.h"
#include "kernel/lib/vsprintf.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "mm/vmstat.h"

static struct list_head slab_caches = LIST_HEAD_INIT(slab_caches);
static DEFINE_SPINLOCK(slab_caches_lock);

/* ---------------------------------------------------------------- lists */

static void add_partial(struct kmem_cache *s, struct slab *slab)
{
	list_add(&slab->slab_list, &s->partial);
	slab->on_list = SLAB_LIST_PARTIAL;
	s->nr_partial++;
}

static void add_full(struct kmem_cache *s, struct slab *slab)
{
	list_add(&slab->slab_list, &s->full);
	slab->on_list = SLAB_LIST_FULL;
}

static void remove_from_list(struct kmem_cache *s, struct slab *slab)
{
	if (slab->on_list == SLAB_LIST_PARTIAL)
		s->nr_partial--;
	if (slab->on_list == SLAB_LIST_EMPTY)
		s->nr_empty--;
	if (slab->on_list != SLAB_LIST_NONE)
		list_del(&slab->slab_list);
	slab->on_list = SLAB_LIST_NONE;
}

/*
 * A slab no CPU owns just became empty (it is on no list): keep it on
 * s->empty for the next refill if fewer than min_partial are kept, else
 * move it to discard (freed by the caller after dropping list_lock).
 * Keeping a few saves a page allocator round trip and rebuilding the
 * freelist when a burst of frees is followed by a burst of allocations.
 */
static void put_empty_slab(struct kmem_cache *s, struct slab *slab,
			   struct list_head *discard)
{
	if (s->nr_empty < s->min_partial) {
		list_add(&slab->slab_list, &s->empty);
		slab->on_list = SLAB_LIST_EMPTY;
		s->nr_empty++;
	} else {
		s->nr_slabs--;
		list_add(&slab->slab_list, discard);
	}
}

/* Put a slab that no CPU owns on the list its inuse count calls for. */
static void place_slab(struct kmem_cache *s, struct slab *slab)
{
	if (slab->inuse == slab->objects)
		add_full(s, slab);
	else
		add_partial(s, slab);
}

/* ---------------------------------------------------------------- slabs */

/* The counter a cache's slab pages go to (Linux's cache_vmstat_idx()). */
static inline enum node_stat_item cache_vmstat_idx(const struct kmem_cache *s)
{
	return (s->flags & SLAB_RECLAIM_ACCOUNT) ? NR_SLAB_RECLAIMABLE_B :
						   NR_SLAB_UNRECLAIMABLE_B;
}

/* Slab pages: what the caller's gfp may choose, plus the cache's own. */
#define SLAB_GFP_KEEP	(__GFP_HIGH | __GFP_MEMALLOC | __GFP_NOMEMALLOC | \
			 __GFP_IO | __GFP_FS | __GFP_RECLAIM | __GFP_NOWARN | \
			 __GFP_NORETRY)

/* A new slab with every object free, on no list; NULL if no pages. */
static struct slab *allocate_slab(struct kmem_cache *s, gfp_t gfp)
{
	struct page *page;
	struct slab *slab;
	size_t bytes = PAGE_SIZE << s->order;
	char *base;
	void *prev = NULL;

	page = alloc_pages_node(s->node, (gfp & SLAB_GFP_KEEP) | s->allocflags,
				s->order);
	if (!page)
		return NULL;
	mod_node_page_state(page_pgdat(page), cache_vmstat_idx(s), (long)bytes);
	base = page_address(page);
	slab = (struct slab *)(base + bytes - sizeof(struct slab));
	BUG_ON(slab != cache_obj_slab(s, base));	/* blocks are aligned */
	/* A block's struct pages are consecutive (one memmap range): no
	 * pfn_to_page() lookup per page. */
	for (unsigned long i = 0; i < (1UL << s->order); i++) {
		__SetPageSlab(page + i);
		page[i].slab = slab;
	}
	slab->cache = s;
	slab->page = page;
	slab->s_mem = base;
	slab->objects = (uint16_t)s->objects;
	slab->inuse = 0;
	slab->frozen = 0;
	slab->on_list = SLAB_LIST_NONE;
	INIT_LIST_HEAD(&slab->slab_list);
	/* Freelist in address order: the first allocations are adjacent. */
	for (unsigned int i = s->objects; i-- > 0;) {
		void *obj = slab_object(s, slab, i);

		if (slab_debug_on(s))
			slab_debug_init_object(s, obj);
		if (s->ctor)
			s->ctor(obj);
		set_freepointer(s, obj, prev);
		prev = obj;
	}
	slab->freelist = prev;
	return slab;
}

/* Give a slab's pages back. Not on any list; nobody holds its objects. */
static void discard_slab(struct kmem_cache *s, struct slab *slab)
{
	struct page *page = slab->page;

	for (unsigned long i = 0; i < (1UL << s->order); i++) {
		__ClearPageSlab(page + i);
		page[i].private = 0;
	}
	mod_node_page_state(page_pgdat(page), cache_vmstat_idx(s),
			    -(long)(PAGE_SIZE << s->order));
	__free_pages(page, s->order);
}

static void discard_list(struct kmem_cache *s, struct list_head *list)
{
	while (!list_empty(list)) {
		struct slab *slab = list_first_entry(list, struct slab,
						     slab_list);

		list_del(&slab->slab_list);
		discard_slab(s, slab);
	}
}

/*
 * Put obj back on its slab's freelist; under list_lock. A slab that
 * becomes empty goes to put_empty_slab() (kept, or moved to discard for
 * the caller to free after dropping the lock).
 */
static void free_to_slab_locked(struct kmem_cache *s, struct slab *slab,
				void *obj, struct list_head *discard)
{
	bool was_full = slab->on_list == SLAB_LIST_FULL;

	set_freepointer(s, obj, slab->freelist);
	slab->freelist = obj;
	slab->inuse--;
	if (slab->frozen)
		return;			/* its CPU takes the freelist later */
	if (was_full) {
		remove_from_list(s, slab);
		add_partial(s, slab);
	}
	if (slab->inuse == 0) {
		remove_from_list(s, slab);
		put_empty_slab(s, slab, discard);
	}
}

/* ---------------------------------------------------------------- per-CPU */

/* Make slab c's active slab, taking its whole freelist; under list_lock. */
static void freeze_slab(struct kmem_cache *s, struct kmem_cache_cpu *c,
			struct slab *slab)
{
	slab->frozen = 1;
	c->slab = slab;
	c->freelist = slab->freelist;
	slab->freelist = NULL;
	slab->inuse = slab->objects;
	c->base = (uintptr_t)slab->s_mem;
	c->span = (uintptr_t)s->size * slab->objects;
}

/*
 * Return everything c holds: sheaf objects to their slabs, the active
 * slab's objects to it, and the slab to a list (or to discard). Under
 * list_lock, with c's CPU unable to run it (interrupts off on that CPU,
 * or the cache being destroyed).
 */
static void flush_cpu_locked(struct kmem_cache *s, struct kmem_cache_cpu *c,
			     struct list_head *discard)
{
	struct slab *slab = c->slab;

	for (unsigned int i = 0; i < c->nr_sheaf; i++)
		free_to_slab_locked(s, cache_obj_slab(s, c->sheaf[i]),
				    c->sheaf[i], discard);
	c->nr_sheaf = 0;
	if (!slab)
		return;
	while (c->freelist) {
		void *obj = c->freelist;

		c->freelist = get_freepointer(s, obj);
		set_freepointer(s, obj, slab->freelist);
		slab->freelist = obj;
		slab->inuse--;
	}
	slab->frozen = 0;
	c->slab = NULL;
	c->base = c->span = 0;
	if (slab->inuse == 0)
		put_empty_slab(s, slab, discard);
	else
		place_slab(s, slab);
}

/*
 * A slab no CPU owns with free objects, taken off its list: a partial one
 * first (finishing it lets the empty ones go), else a kept empty one;
 * NULL if neither. Under list_lock.
 */
static struct slab *get_reusable_slab(struct kmem_cache *s)
{
	struct slab *slab;

	if (!list_empty(&s->partial))
		slab = list_first_entry(&s->partial, struct slab, slab_list);
	else if (!list_empty(&s->empty))
		slab = list_first_entry(&s->empty, struct slab, slab_list);
	else
		return NULL;
	remove_from_list(s, slab);
	return slab;
}

/*
 * The allocation slow path: this CPU's sheaf and freelist are empty.
 * Called and returns with interrupts off (*irqflags holds the caller's
 * state; they are restored while a new slab is allocated, so the CPU may
 * differ on return).
 */
void *__slab_alloc(struct kmem_cache *s, gfp_t gfp, unsigned long *irqflags)
{
	struct kmem_cache_cpu *c;
	struct slab *slab;
	void *obj;

again:
	c = this_cpu_ptr(s->cpu_slab);
	if (c->nr_sheaf)		/* an interrupt freed meanwhile */
		return c->sheaf[--c->nr_sheaf];
	if (c->freelist)
		goto pop;
	spin_lock(&s->list_lock);
	slab = c->slab;
	if (slab) {
		if (slab->freelist) {	/* objects other CPUs freed */
			freeze_slab(s, c, slab);
			spin_unlock(&s->list_lock);
			goto pop;
		}
		slab->frozen = 0;	/* full: park it */
		add_full(s, slab);
		c->slab = NULL;
		c->base = c->span = 0;
	}
	slab = get_reusable_slab(s);
	if (slab) {
		freeze_slab(s, c, slab);
		spin_unlock(&s->list_lock);
		goto pop;
	}
	spin_unlock(&s->list_lock);

	arch_irq_restore(*irqflags);
	slab = allocate_slab(s, gfp);
	*irqflags = arch_irq_save();
	if (!slab)
		return NULL;
	c = this_cpu_ptr(s->cpu_slab);
	spin_lock(&s->list_lock);
	s->nr_slabs++;
	if (c->slab || c->freelist || c->nr_sheaf) {
		/* This CPU got objects while we allocated: keep the slab. */
		add_partial(s, slab);
		spin_unlock(&s->list_lock);
		goto again;
	}
	freeze_slab(s, c, slab);
	spin_unlock(&s->list_lock);
pop:
	obj = c->freelist;
	c->freelist = get_freepointer(s, obj);
	return obj;
}

/* The sheaf is full: send its older half home, then keep obj. */
void __slab_free_sheaf(struct kmem_cache *s, struct kmem_cache_cpu *c,
		       void *obj)
{
	const unsigned int n = SLAB_SHEAF_SIZE / 2;
	struct list_head discard = LIST_HEAD_INIT(discard);

	spin_lock(&s->list_lock);
	for (unsigned int i = 0; i < n; i++)
		free_to_slab_locked(s, cache_obj_slab(s, c->sheaf[i]),
				    c->sheaf[i], &discard);
	spin_unlock(&s->list_lock);
	memmove(c->sheaf, c->sheaf + n, (c->nr_sheaf - n) * sizeof(void *));
	c->nr_sheaf -= n;
	c->sheaf[c->nr_sheaf++] = obj;
	discard_list(s, &discard);
}

/* ---------------------------------------------------------------- debug paths */

/* Debug caches: every object comes straight from a slab, checked. */
void *slab_debug_alloc(struct kmem_cache *s, gfp_t gfp, unsigned long frame)
{
	unsigned long flags;
	struct slab *slab;
	void *obj;

	for (;;) {
		spin_lock_irqsave(&s->list_lock, flags);
		if (list_empty(&s->partial) && !list_empty(&s->empty)) {
			slab = list_first_entry(&s->empty, struct slab, slab_list);
			remove_from_list(s, slab);
			add_partial(s, slab);
		}
		if (!list_empty(&s->partial))
			break;
		spin_unlock_irqrestore(&s->list_lock, flags);
		slab = allocate_slab(s, gfp);
		if (!slab)
			return NULL;
		spin_lock_irqsave(&s->list_lock, flags);
		s->nr_slabs++;
		add_partial(s, slab);
		spin_unlock_irqrestore(&s->list_lock, flags);
	}
	slab = list_first_entry(&s->partial, struct slab, slab_list);
	obj = slab->freelist;
	if (!slab_debug_check_alloc(s, slab, obj, frame)) {
		/* A corrupt freelist: take the slab out of use, try again. */
		remove_from_list(s, slab);
		slab->inuse = slab->objects;
		add_full(s, slab);
		spin_unlock_irqrestore(&s->list_lock, flags);
		return slab_debug_alloc(s, gfp, frame);
	}
	slab->freelist = get_freepointer(s, obj);
	slab->inuse++;
	if (slab->inuse == slab->objects) {
		remove_from_list(s, slab);
		add_full(s, slab);
	}
	this_cpu_ptr(s->cpu_slab)->nr_alloc++;
	spin_unlock_irqrestore(&s->list_lock, flags);
	if (gfp & __GFP_ZERO)
		memset(obj, 0, s->object_size);
	return obj;
}

void slab_debug_free(struct kmem_cache *s, void *obj, unsigned long frame)
{
	unsigned long flags;
	struct slab *slab;
	struct list_head discard = LIST_HEAD_INIT(discard);

	slab = slab_debug_check_owner(s, obj, frame);
	if (!slab)
		return;			/* reported; not freed */
	spin_lock_irqsave(&s->list_lock, flags);
	if (slab_debug_check_free(s, slab, obj, frame)) {
		free_to_slab_locked(s, slab, obj, &discard);
		this_cpu_ptr(s->cpu_slab)->nr_free++;
	}
	spin_unlock_irqrestore(&s->list_lock, flags);
	discard_list(s, &discard);
}

/* ---------------------------------------------------------------- API */

void *kmem_cache_alloc(struct kmem_cache *s, gfp_t gfp)
{
	return slab_alloc(s, gfp, _THIS_FRAME);
}

void kmem_cache_free(struct kmem_cache *s, void *obj)
{
	if (unlikely(!obj))
		return;
	slab_free(s, obj, _THIS_FRAME);
}

struct slab *virt_to_slab(const void *addr)
{
	return __virt_to_slab(addr);
}

struct kmem_cache *virt_to_cache(const void *obj)
{
	struct slab *slab = __virt_to_slab(obj);

	return slab ? slab->cache : NULL;
}

unsigned long kmem_cache_objects_in_use(struct kmem_cache *s)
{
	unsigned long alloc = 0, freed = 0;

	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++) {
		alloc += READ_ONCE(per_cpu_ptr(s->cpu_slab, cpu)->nr_alloc);
		freed += READ_ONCE(per_cpu_ptr(s->cpu_slab, cpu)->nr_free);
	}
	return alloc - freed;
}

unsigned long kmem_objects_in_use_total(void)
{
	unsigned long flags, n = 0;

	spin_lock_irqsave(&slab_caches_lock, flags);
	for (struct list_head *p = slab_caches.next; p != &slab_caches; p = p->next)
		n += kmem_cache_objects_in_use(list_entry(p, struct kmem_cache,
							  list));
	spin_unlock_irqrestore(&slab_caches_lock, flags);
	return n;
}

unsigned int kmem_objects_in_use_each(struct kmem_usage *out, unsigned int max)
{
	unsigned long flags;
	unsigned int n = 0;

	spin_lock_irqsave(&slab_caches_lock, flags);
	for (struct list_head *p = slab_caches.next; p != &slab_caches;
	     p = p->next, n++) {
		struct kmem_cache *s = list_entry(p, struct kmem_cache, list);

		if (n < max)
			out[n] = (struct kmem_usage){
				s, kmem_cache_objects_in_use(s) };
	}
	spin_unlock_irqrestore(&slab_caches_lock, flags);
	return n;
}

/* Move every kept empty slab to discard; returns how many. Under list_lock. */
static unsigned long shrink_empty_locked(struct kmem_cache *s,
					 struct list_head *discard)
{
	unsigned long n = 0;

	while (!list_empty(&s->empty)) {
		struct slab *slab = list_first_entry(&s->empty, struct slab,
						     slab_list);

		remove_from_list(s, slab);
		s->nr_slabs--;
		list_add(&slab->slab_list, discard);
		n++;
	}
	return n;
}

unsigned long kmem_cache_shrink(struct kmem_cache *s)
{
	unsigned long flags, freed = 0;
	struct list_head discard = LIST_HEAD_INIT(discard);

	spin_lock_irqsave(&s->list_lock, flags);
	flush_cpu_locked(s, this_cpu_ptr(s->cpu_slab), &discard);
	for (struct list_head *p = discard.next; p != &discard; p = p->next)
		freed++;
	freed += shrink_empty_locked(s, &discard);
	spin_unlock_irqrestore(&s->list_lock, flags);
	discard_list(s, &discard);
	return freed;
}

/* ---------------------------------------------------------------- create */

/*
 * Largest slab: 16 pages. One above PAGE_ALLOC_COSTLY_ORDER (Linux's
 * slub_max_order) so that objects of 2-8 KiB get 31/15/7 per slab instead
 * of 15/7/3: a 4096-byte batch then visits the page allocator half as
 * often (docs/mm/slab.md, "Measured", has the instruction counts). The
 * price: such slabs need a free 64 KiB block, which a fragmented node may
 * lack before smaller ones.
 */
#define SLAB_MAX_ORDER	(PAGE_ALLOC_COSTLY_ORDER + 1)

static unsigned int order_for(unsigned int size, unsigned int *objects)
{
	unsigned int best = 0, best_n = 0;
	size_t best_waste = (size_t)-1;

	for (unsigned int order = 0; order <= SLAB_MAX_ORDER; order++) {
		size_t bytes = (PAGE_SIZE << order) - sizeof(struct slab);
		size_t n = bytes / size;
		size_t waste = bytes - n * size + sizeof(struct slab);

		if (n > SLAB_MAX_OBJECTS)
			n = SLAB_MAX_OBJECTS;
		if (n == 0)
			continue;
		/* Waste as a fraction of the slab: compare w/bytes. */
		if (best_n == 0 || waste * (PAGE_SIZE << best) <
				   best_waste * (PAGE_SIZE << order)) {
			best = order;
			best_n = (unsigned int)n;
			best_waste = waste;
		}
		/* An eighth or less wasted, and enough objects that a slab
		 * is not used up (and refilled) every few allocations. */
		if (waste * 8 <= (PAGE_SIZE << order) && n >= 16)
			break;
	}
	*objects = best_n;
	return best;
}

static bool cache_layout(struct kmem_cache *s)
{
	unsigned int align = s->align;

	if (align < sizeof(void *))
		align = sizeof(void *);
	if (s->flags & SLAB_HWCACHE_ALIGN && align < CACHE_LINE)
		align = CACHE_LINE;
	/*
	 * kmalloc promises that a power-of-two size is naturally aligned
	 * (up to a page), as Linux does. Without debugging the stride alone
	 * gives that; with red zones and tracks the slot is bigger than the
	 * object, so only the cache's alignment can keep the promise.
	 */
	if ((s->flags & SLAB_KMALLOC) &&
	    (s->object_size & (s->object_size - 1)) == 0)
		align = max(align, min(s->object_size, (unsigned int)PAGE_SIZE));
	s->align = align;
	if (slab_debug_on(s)) {
		slab_debug_layout(s);
	} else {
		unsigned int size = ALIGN_UP(s->object_size, (unsigned int)sizeof(void *));

		s->red_left_pad = 0;
		/* A constructed object keeps its contents while free. */
		s->offset = s->ctor ? size : 0;
		if (s->ctor)
			size += sizeof(void *);
		s->size = ALIGN_UP(size, align);
	}
	s->order = order_for(s->size, &s->objects);
	return s->objects > 0;
}

static int cache_struct_order(void)
{
	return (int)get_order(sizeof(struct kmem_cache));
}

struct kmem_cache *kmem_cache_create_node(pg_data_t *node, const char *name,
					  unsigned int size, unsigned int align,
					  slab_flags_t flags,
					  void (*ctor)(void *))
{
	struct kmem_cache *s;
	struct page *page;
	unsigned long irq;
	int order = cache_struct_order();

	if (!name || !*name || size == 0 || size > (PAGE_SIZE << PAGE_ALLOC_COSTLY_ORDER) / 2 ||
	    (align & (align - 1)) || align > PAGE_SIZE) {
		pr_err("kmem_cache_create(%s): bad size %u or align %u (size "
		       "1..%lu, align a power of two up to a page)\n",
		       name ? name : "(null)", size, align,
		       (PAGE_SIZE << PAGE_ALLOC_COSTLY_ORDER) / 2);
		goto fail;
	}
	page = alloc_pages_node(node, GFP_KERNEL | __GFP_ZERO, (unsigned int)order);
	if (!page) {
		pr_err("kmem_cache_create(%s): no memory for the cache\n", name);
		goto fail;
	}
	/* Linux keeps cache structs in the (unreclaimable) kmem_cache cache. */
	mod_node_page_state(node, NR_SLAB_UNRECLAIMABLE_B, (long)PAGE_SIZE << order);
	s = page_address(page);
	strlcpy(s->name, name, sizeof(s->name));
	s->object_size = size;
	s->align = align;
	s->ctor = ctor;
	s->node = node;
	s->cache_order = (unsigned int)order;
	s->flags = flags | slab_debug_flags_for(name);
	if (ctor)	/* poisoning would destroy the constructed state */
		s->flags &= ~SLAB_POISON;
	s->allocflags = (flags & SLAB_RECLAIM_ACCOUNT) ? __GFP_RECLAIMABLE : 0;
	if (!cache_layout(s)) {
		pr_err("kmem_cache_create(%s): object of %u bytes does not fit a slab\n",
		       name, size);
		mod_node_page_state(node, NR_SLAB_UNRECLAIMABLE_B,
				    -((long)PAGE_SIZE << order));
		__free_pages(page, (unsigned int)order);
		goto fail;
	}
	/* Keep a few empty slabs: more for big objects (Linux: log2(size)/2). */
	s->min_partial = 2;
	for (unsigned int sz = s->size; sz >= 256; sz >>= 2)
		s->min_partial++;
	spin_lock_init(&s->list_lock, "kmem_cache.list_lock");
	INIT_LIST_HEAD(&s->partial);
	INIT_LIST_HEAD(&s->full);
	INIT_LIST_HEAD(&s->empty);
	spin_lock_irqsave(&slab_caches_lock, irq);
	list_add_tail(&s->list, &slab_caches);
	spin_unlock_irqrestore(&slab_caches_lock, irq);
	return s;
fail:
	if (flags & SLAB_PANIC)
		panic("kmem_cache_create(%s) failed", name ? name : "(null)");
	return NULL;
}

struct kmem_cache *kmem_cache_create(const char *name, unsigned int size,
				     unsigned int align, slab_flags_t flags,
				     void (*ctor)(void *))
{
	return kmem_cache_create_node(&contig_page_data, name, size, align,
				      flags, ctor);
}

void kmem_cache_destroy(struct kmem_cache *s)
{
	unsigned long flags, leaked = 0;
	unsigned int budget = 8;
	struct slab *slab;
	struct list_head discard = LIST_HEAD_INIT(discard);

	if (!s)
		return;
	spin_lock_irqsave(&s->list_lock, flags);
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
		flush_cpu_locked(s, per_cpu_ptr(s->cpu_slab, cpu), &discard);
	list_for_each_entry(slab, &s->partial, slab_list)
		leaked += slab->inuse;
	list_for_each_entry(slab, &s->full, slab_list)
		leaked += slab->inuse;
	if (leaked) {
		spin_unlock_irqrestore(&s->list_lock, flags);
		discard_list(s, &discard);
		s->debug_reports++;
		diag_report(DIAG_SLAB);
		pr_err("kmem_cache_destroy %s: Slab cache still has objects: "
		       "%lu in use; cache and its slabs leaked\n", s->name, leaked);
		spin_lock_irqsave(&s->list_lock, flags);
		list_for_each_entry(slab, &s->partial, slab_list)
			slab_debug_report_leaks(s, slab, &budget);
		list_for_each_entry(slab, &s->full, slab_list)
			slab_debug_report_leaks(s, slab, &budget);
		spin_unlock_irqrestore(&s->list_lock, flags);
		return;
	}
	if (slab_debug_on(s)) {
		list_for_each_entry(slab, &s->partial, slab_list)
			slab_debug_validate_slab(s, slab);
		list_for_each_entry(slab, &s->empty, slab_list)
			slab_debug_validate_slab(s, slab);
	}
	while (!list_empty(&s->partial)) {
		slab = list_first_entry(&s->partial, struct slab, slab_list);
		remove_from_list(s, slab);
		s->nr_slabs--;
		list_add(&slab->slab_list, &discard);
	}
	shrink_empty_locked(s, &discard);
	spin_unlock_irqrestore(&s->list_lock, flags);
	discard_list(s, &discard);

	spin_lock_irqsave(&slab_caches_lock, flags);
	list_del(&s->list);
	spin_unlock_irqrestore(&slab_caches_lock, flags);
	mod_node_page_state(s->node, NR_SLAB_UNRECLAIMABLE_B,
			    -((long)PAGE_SIZE << s->cache_order));
	__free_pages(virt_to_page(s), s->cache_order);
}

/* ---------------------------------------------------------------- reports */

/* Objects free in a cache's slabs and CPU caches (a racy snapshot). */
static void cache_counts(struct kmem_cache *s, unsigned long *active,
			 unsigned long *total, unsigned long *slabs)
{
	*slabs = READ_ONCE(s->nr_slabs);
	*total = *slabs * s->objects;
	*active = kmem_cache_objects_in_use(s);
	if (*active > *total)
		*active = *total;
}

void show_slabinfo(void)
{
	struct kmem_cache *s;
	unsigned long flags;

	printk("slabinfo - version: 2.1\n");
	printk("# name            <active_objs> <num_objs> <objsize> <objperslab> "
	       "<pagesperslab> : tunables <limit> <batchcount> <sharedfactor> "
	       ": slabdata <active_slabs> <num_slabs> <sharedavail>\n");
	spin_lock_irqsave(&slab_caches_lock, flags);
	for (struct list_head *p = slab_caches.next; p != &slab_caches; p = p->next) {
		unsigned long active, total, slabs;

		s = list_entry(p, struct kmem_cache, list);
		cache_counts(s, &active, &total, &slabs);
		printk("%-17s %6lu %6lu %6u %4u %4lu : tunables %4u %4u %4u : "
		       "slabdata %6lu %6lu %6u\n", s->name, active, total,
		       s->size, s->objects, 1UL << s->order, 0u, 0u, 0u,
		       slabs, slabs, 0u);
	}
	spin_unlock_irqrestore(&slab_caches_lock, flags);
}

static int cmd_slabinfo(int argc, char **argv)
{
	show_slabinfo();
	return 0;
}
CONSOLE_COMMAND(slabinfo, "object caches (/proc/slabinfo)", cmd_slabinfo);

unsigned long kmem_cache_validate(struct kmem_cache *s)
{
	unsigned long flags, problems = 0;
	struct slab *slab;

	spin_lock_irqsave(&s->list_lock, flags);
	list_for_each_entry(slab, &s->partial, slab_list)
		problems += slab_debug_validate_slab(s, slab);
	list_for_each_entry(slab, &s->full, slab_list)
		problems += slab_debug_validate_slab(s, slab);
	list_for_each_entry(slab, &s->empty, slab_list)
		problems += slab_debug_validate_slab(s, slab);
	spin_unlock_irqrestore(&s->list_lock, flags);
	return problems;
}
