/*
 * mm/slab.c - the slab allocator: caches of equal-sized objects.
 *
 * Where a free object can be (SLUB's slabs with Linux 6.18's sheaves):
 *
 *   CPU c's sheaves   c->main (kept open in c: c->objects, c->size),
 *                     c->spare: arrays of free objects that only
 *                     CPU c pops and pushes, lock-free, interrupts off
 *   the barn          s->barn: full and empty sheaves no CPU holds, under
 *                     s->barn.lock; traded a whole sheaf at a time
 *   slab->freelist    objects back in their slab, under s->list_lock
 *
 * slab->inuse counts the objects of a slab not on slab->freelist: those
 * allocated and those waiting in sheaves. A slab is on s->partial (some
 * free), s->full (none free) or s->empty (all free: up to min_partial are
 * kept for reuse, more go back to the page allocator), always under
 * s->list_lock with interrupts off. Per-CPU state is touched only by its
 * own CPU with interrupts off (or by kmem_cache_destroy, when no CPU may
 * use the cache). Lock order: list_lock and barn.lock are never held
 * together.
 *
 * Debug caches (mm/slab_debug.c) bypass the sheaves: every alloc and free
 * takes list_lock so it can check the object against its slab.
 */
#include "mm/slab_internal.h"
#include "kernel/console.h"
#include "kernel/lib/diag.h"
#include "kernel/lib/vsprintf.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/smp.h"
#include "mm/shrinker.h"
#include "mm/vmstat.h"

static struct list_head slab_caches = LIST_HEAD_INIT(slab_caches);
static DEFINE_SPINLOCK(slab_caches_lock);

/*
 * Every cache on the list, s each in turn; slab_caches_lock held. (Not
 * list_for_each_entry: struct kmem_cache is cache-line aligned, and its
 * container_of of the list head, which is in no cache, is misaligned,
 * which UBSan reports.)
 */
#define for_each_slab_cache(s, p)					\
	for ((p) = slab_caches.next;					\
	     (p) != &slab_caches &&					\
	     ((s) = list_entry((p), struct kmem_cache, list), 1);	\
	     (p) = (p)->next)

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
		page[i].slab_cache = s;
	}
	slab->cache = s;
	slab->page = page;
	slab->s_mem = base;
	slab->objects = (uint16_t)s->objects;
	slab->inuse = 0;
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
	if (was_full) {
		remove_from_list(s, slab);
		add_partial(s, slab);
	}
	if (slab->inuse == 0) {
		remove_from_list(s, slab);
		put_empty_slab(s, slab, discard);
	}
}

/* ---------------------------------------------------------------- sheaves */

/* What a CPU holds before its first sheaf: no object and no room, so
 * both fast paths fail their one check and take the slow path. */
static struct slab_sheaf no_sheaf;

/*
 * A new empty sheaf: one page from the cache's node, taken without
 * waiting, waking kswapd or touching the reserves (interrupts may be off,
 * and the free path calls it). NULL if there is none.
 */
static struct slab_sheaf *alloc_sheaf(struct kmem_cache *s)
{
	struct page *page = alloc_pages_node(s->node,
					     __GFP_NOWARN | __GFP_NOMEMALLOC, 0);
	struct slab_sheaf *sheaf;

	if (!page)
		return NULL;
	mod_node_page_state(page_pgdat(page), NR_SLAB_UNRECLAIMABLE_B,
			    (long)PAGE_SIZE);
	sheaf = page_address(page);
	INIT_LIST_HEAD(&sheaf->barn_list);
	sheaf->size = 0;
	sheaf->capacity = s->sheaf_capacity;
	return sheaf;
}

/* Give an empty sheaf's page back. */
static void free_sheaf(struct slab_sheaf *sheaf)
{
	struct page *page = virt_to_page(sheaf);

	mod_node_page_state(page_pgdat(page), NR_SLAB_UNRECLAIMABLE_B,
			    -(long)PAGE_SIZE);
	__free_pages(page, 0);
}

/*
 * Send every object of sheaf home to its slab (one list_lock hold for the
 * lot) and free the slabs that became empty beyond min_partial. The sheaf
 * is empty afterwards. Interrupts off; no lock held.
 */
static void flush_sheaf(struct kmem_cache *s, struct slab_sheaf *sheaf)
{
	struct list_head discard = LIST_HEAD_INIT(discard);

	spin_lock(&s->list_lock);
	for (unsigned int i = 0; i < sheaf->size; i++)
		free_to_slab_locked(s, cache_obj_slab(s, sheaf->objects[i]),
				    sheaf->objects[i], &discard);
	spin_unlock(&s->list_lock);
	sheaf->size = 0;
	discard_list(s, &discard);
}

/* One object home, when there is no sheaf to hold it. Interrupts off. */
static void free_one_home(struct kmem_cache *s, void *obj)
{
	struct list_head discard = LIST_HEAD_INIT(discard);

	spin_lock(&s->list_lock);
	free_to_slab_locked(s, cache_obj_slab(s, obj), obj, &discard);
	spin_unlock(&s->list_lock);
	discard_list(s, &discard);
}

/* ---------------------------------------------------------------- the barn */

/* An empty sheaf from the barn, else a new one; NULL if neither. */
static struct slab_sheaf *get_empty_sheaf(struct kmem_cache *s)
{
	struct slab_barn *barn = &s->barn;
	struct slab_sheaf *sheaf = NULL;

	spin_lock(&barn->lock);
	if (barn->nr_empty) {
		sheaf = list_first_entry(&barn->empty, struct slab_sheaf,
					 barn_list);
		list_del(&sheaf->barn_list);
		barn->nr_empty--;
	}
	spin_unlock(&barn->lock);
	return sheaf ? sheaf : alloc_sheaf(s);
}

/* Keep an empty sheaf in the barn, or free it if the barn has enough. */
static void put_empty_sheaf(struct kmem_cache *s, struct slab_sheaf *sheaf)
{
	struct slab_barn *barn = &s->barn;
	bool kept = false;

	spin_lock(&barn->lock);
	if (barn->nr_empty < s->barn_max) {
		list_add(&sheaf->barn_list, &barn->empty);
		barn->nr_empty++;
		kept = true;
	}
	spin_unlock(&barn->lock);
	if (!kept)
		free_sheaf(sheaf);
}

/*
 * Leave a full sheaf in the barn and get an empty one for it. NULL if the
 * barn already holds barn_max full sheaves or no empty sheaf can be had:
 * the caller then sends the objects home instead. Interrupts off.
 */
static struct slab_sheaf *barn_swap_full(struct kmem_cache *s,
					 struct slab_sheaf *full)
{
	struct slab_barn *barn = &s->barn;
	struct slab_sheaf *empty = NULL;

	spin_lock(&barn->lock);
	if (barn->nr_full >= s->barn_max) {
		spin_unlock(&barn->lock);
		return NULL;
	}
	if (barn->nr_empty) {
		empty = list_first_entry(&barn->empty, struct slab_sheaf,
					 barn_list);
		list_del(&empty->barn_list);
		barn->nr_empty--;
		goto put;
	}
	spin_unlock(&barn->lock);
	empty = alloc_sheaf(s);
	if (!empty)
		return NULL;
	spin_lock(&barn->lock);
	if (barn->nr_full >= s->barn_max) {	/* filled meanwhile */
		spin_unlock(&barn->lock);
		put_empty_sheaf(s, empty);
		return NULL;
	}
put:
	list_add(&full->barn_list, &barn->full);
	barn->nr_full++;
	spin_unlock(&barn->lock);
	return empty;
}

/*
 * Take a full sheaf from the barn, leaving the empty one in exchange (or
 * freeing it if the barn has enough empty ones; nothing is left for the
 * placeholder). NULL if the barn has no full sheaf; the empty one is then
 * kept. Interrupts off.
 */
static struct slab_sheaf *barn_swap_empty(struct kmem_cache *s,
					  struct slab_sheaf *empty)
{
	struct slab_barn *barn = &s->barn;
	struct slab_sheaf *full;

	spin_lock(&barn->lock);
	if (!barn->nr_full) {
		spin_unlock(&barn->lock);
		return NULL;
	}
	full = list_first_entry(&barn->full, struct slab_sheaf, barn_list);
	list_del(&full->barn_list);
	barn->nr_full--;
	if (!empty->capacity) {
		empty = NULL;		/* the placeholder: nothing to leave */
	} else if (barn->nr_empty < s->barn_max) {
		list_add(&empty->barn_list, &barn->empty);
		barn->nr_empty++;
		empty = NULL;
	}
	spin_unlock(&barn->lock);
	if (empty)
		free_sheaf(empty);
	return full;
}

/* ---------------------------------------------------------------- slow paths */

/*
 * The free slow path: this CPU's main sheaf is full, or it has none yet.
 * Interrupts off. In order: make the empty spare the main sheaf; leave
 * the full main sheaf in the barn for an empty one (or, if this CPU has
 * no spare yet, keep it as the spare); failing those (the barn holds
 * enough, no page for a sheaf), send the main sheaf's objects home.
 */
static void __slab_free(struct kmem_cache *s, struct kmem_cache_cpu *c, void *obj)
{
	struct slab_sheaf *main = c->main, *spare = c->spare, *empty;

	if (spare->capacity && !spare->size) {
		c->main = spare;
		c->spare = main;
	} else if (!main->capacity || !spare->capacity) {
		empty = get_empty_sheaf(s);
		if (!empty) {
			if (!main->capacity) {
				free_one_home(s, obj);
				return;
			}
			flush_sheaf(s, main);
		} else {
			if (main->capacity)	/* the full one is the spare */
				c->spare = main;
			c->main = empty;
		}
	} else {
		empty = barn_swap_full(s, main);
		if (empty)
			c->main = empty;
		else
			flush_sheaf(s, main);
	}
	main = c->main;
	main->objects[main->size++] = obj;
}

/*
 * A slab with free objects, taken off its list: a partial one first
 * (finishing it lets the empty ones go), else a kept empty one; NULL if
 * neither. Under list_lock.
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
 * Take free objects out of slabs: one to return and, after it, enough to
 * fill sheaf (partial slabs first, so that empty ones can go, then the
 * kept empty ones). NULL if no slab has a free object. Under list_lock.
 */
static void *take_from_slabs_locked(struct kmem_cache *s,
				    struct slab_sheaf *sheaf)
{
	void *obj = NULL;
	struct slab *slab;

	while (!obj || sheaf->size < sheaf->capacity) {
		slab = get_reusable_slab(s);
		if (!slab)
			break;
		while (slab->freelist && (!obj || sheaf->size < sheaf->capacity)) {
			void *o = slab->freelist;

			slab->freelist = get_freepointer(s, o);
			slab->inuse++;
			if (obj)
				sheaf->objects[sheaf->size++] = o;
			else
				obj = o;
		}
		place_slab(s, slab);
	}
	return obj;
}

/*
 * The allocation slow path: this CPU's main sheaf is empty. Called and
 * returns with interrupts off (*irqflags holds the caller's state; they
 * are restored while a new slab is allocated, so the CPU may differ on
 * return). In order: a full spare becomes the main sheaf; the empty main
 * sheaf is traded in the barn for a full one; objects come from slabs
 * (filling the main sheaf on the way); a new slab is made. The CPU's
 * sheaves stay as they are when it fails.
 */
static void *__slab_alloc(struct kmem_cache *s, gfp_t gfp, unsigned long *irqflags)
{
	struct kmem_cache_cpu *c = this_cpu_ptr(s->cpu_slab);
	struct slab_sheaf *main = c->main, *spare = c->spare, *full;
	struct slab *fresh;
	void *obj;

	if (spare->size) {
		c->main = spare;
		c->spare = main;
		return spare->objects[--spare->size];
	}
	full = barn_swap_empty(s, main);
	if (full) {
		c->main = full;
		return full->objects[--full->size];
	}
	for (;;) {
		spin_lock(&s->list_lock);
		obj = take_from_slabs_locked(s, c->main);
		spin_unlock(&s->list_lock);
		if (obj) {
			/* A CPU without a sheaf gets one now that it has its
			 * object (a page taken before could have been the one
			 * the object's slab needed): its next allocations
			 * then come from slabs in bulk. */
			if (!c->main->capacity) {
				struct slab_sheaf *sheaf = get_empty_sheaf(s);

				if (sheaf)
					c->main = sheaf;
			}
			return obj;
		}
		/* Interrupts on: this CPU's fast paths may run, on its
		 * open sheaf; and the thread may move to another CPU. */
		main_open(c);
		arch_irq_restore(*irqflags);
		fresh = allocate_slab(s, gfp);
		*irqflags = arch_irq_save();
		c = this_cpu_ptr(s->cpu_slab);
		main_sync(c);
		if (!fresh)
			return NULL;
		spin_lock(&s->list_lock);
		s->nr_slabs++;
		add_partial(s, fresh);
		spin_unlock(&s->list_lock);
		if (c->main->size)	/* an interrupt freed meanwhile */
			return c->main->objects[--c->main->size];
	}
}

/*
 * Everything one CPU's sheaves hold goes home and the sheaves are freed;
 * the CPU starts again from no sheaf. Interrupts off, on that CPU or with
 * no CPU using the cache.
 */
static void release_cpu_sheaves(struct kmem_cache *s, struct kmem_cache_cpu *c)
{
	struct slab_sheaf *sheaves[2];

	main_sync(c);
	sheaves[0] = c->main;
	sheaves[1] = c->spare;
	c->main = c->spare = &no_sheaf;
	main_open(c);
	for (unsigned int i = 0; i < 2; i++)
		if (sheaves[i]->capacity) {
			flush_sheaf(s, sheaves[i]);
			free_sheaf(sheaves[i]);
		}
}

/*
 * Send home the objects of full sheaves in the barn, a sheaf at a time
 * until at least nr objects have gone (~0UL: all of them), and free
 * those sheaves and every empty one. Returns the objects sent home.
 * Interrupts off.
 */
static unsigned long shrink_barn(struct kmem_cache *s, unsigned long nr)
{
	struct slab_barn *barn = &s->barn;
	struct list_head sheaves = LIST_HEAD_INIT(sheaves);
	struct slab_sheaf *sheaf;
	unsigned long objects = 0;

	spin_lock(&barn->lock);
	while (barn->nr_full && objects < nr) {
		sheaf = list_first_entry(&barn->full, struct slab_sheaf, barn_list);
		list_del(&sheaf->barn_list);
		list_add(&sheaf->barn_list, &sheaves);
		barn->nr_full--;
		objects += sheaf->size;
	}
	list_splice_tail_init(&barn->empty, &sheaves);
	barn->nr_empty = 0;
	spin_unlock(&barn->lock);
	while (!list_empty(&sheaves)) {
		sheaf = list_first_entry(&sheaves, struct slab_sheaf, barn_list);
		list_del(&sheaf->barn_list);
		flush_sheaf(s, sheaf);
		free_sheaf(sheaf);
	}
	return objects;
}

/* ---------------------------------------------------------------- debug paths */

/* Debug caches: every object comes straight from a slab, checked. */
static void *slab_debug_alloc(struct kmem_cache *s, gfp_t gfp, unsigned long frame)
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

static void slab_debug_free(struct kmem_cache *s, void *obj, unsigned long frame)
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

/* ------------------------------------------------- the whole alloc and free */

/*
 * Everything slab_alloc()'s fast path leaves (mm/slab_internal.h): debug
 * mode, zeroing, and the sheaf trade or refill when the main sheaf is
 * empty. It looks at the sheaf again first: an interrupt may have freed
 * onto it since the fast path looked.
 */
void *slab_alloc_slow(struct kmem_cache *s, gfp_t gfp, unsigned long frame)
{
	struct kmem_cache_cpu *c;
	unsigned long flags;
	void *obj;

	if (slab_debug_on(s))
		return slab_debug_alloc(s, gfp, frame);
	flags = arch_irq_save();
	c = this_cpu_ptr(s->cpu_slab);
	if (c->size) {
		obj = c->objects[--c->size];
	} else {
		main_sync(c);
		obj = __slab_alloc(s, gfp, &flags);
		c = this_cpu_ptr(s->cpu_slab);	/* may be another CPU's */
		main_open(c);
		if (!obj) {
			arch_irq_restore(flags);
			return NULL;
		}
	}
	c->nr_alloc++;
	arch_irq_restore(flags);
	if (gfp & __GFP_ZERO)
		memset(obj, 0, s->object_size);
	return obj;
}

/*
 * Everything slab_free()'s fast path leaves: debug mode, and a full main
 * sheaf, which __slab_free trades for an empty one or sends home.
 */
void slab_free_slow(struct kmem_cache *s, void *obj, unsigned long frame)
{
	struct kmem_cache_cpu *c;
	unsigned long flags;

	if (slab_debug_on(s)) {
		slab_debug_free(s, obj, frame);
		return;
	}
	flags = arch_irq_save();
	c = this_cpu_ptr(s->cpu_slab);
	if (c->size < c->capacity) {
		c->objects[c->size++] = obj;
	} else {
		main_sync(c);
		__slab_free(s, c, obj);
		main_open(c);
	}
	c->nr_free++;
	arch_irq_restore(flags);
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
	struct kmem_cache *s;
	struct list_head *p;

	spin_lock_irqsave(&slab_caches_lock, flags);
	for_each_slab_cache(s, p)
		n += kmem_cache_objects_in_use(s);
	spin_unlock_irqrestore(&slab_caches_lock, flags);
	return n;
}

unsigned int kmem_objects_in_use_each(struct kmem_usage *out, unsigned int max)
{
	unsigned long flags;
	unsigned int n = 0;
	struct kmem_cache *s;
	struct list_head *p;

	spin_lock_irqsave(&slab_caches_lock, flags);
	for_each_slab_cache(s, p) {
		if (n < max)
			out[n] = (struct kmem_usage){
				s, kmem_cache_objects_in_use(s) };
		n++;
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

/* on_each_cpu: this CPU's sheaves go home and are freed. */
static void release_this_cpu(void *arg)
{
	struct kmem_cache *s = arg;

	release_cpu_sheaves(s, this_cpu_ptr(s->cpu_slab));
}

unsigned long kmem_cache_shrink(struct kmem_cache *s)
{
	unsigned long flags, before = READ_ONCE(s->nr_slabs), after;
	struct list_head discard = LIST_HEAD_INIT(discard);

	if (!slab_debug_on(s)) {
		on_each_cpu(release_this_cpu, s);
		flags = arch_irq_save();
		shrink_barn(s, ~0UL);
		arch_irq_restore(flags);
	}
	spin_lock_irqsave(&s->list_lock, flags);
	shrink_empty_locked(s, &discard);
	after = s->nr_slabs;
	spin_unlock_irqrestore(&s->list_lock, flags);
	discard_list(s, &discard);
	return before > after ? before - after : 0;
}

/* ---------------------------------------------------------------- the barns' shrinker */

/* Objects in full sheaves in every cache's barn. */
static unsigned long barns_count(struct shrinker *sh, struct shrink_control *sc)
{
	unsigned long flags, n = 0;
	struct kmem_cache *s;
	struct list_head *p;

	spin_lock_irqsave(&slab_caches_lock, flags);
	for_each_slab_cache(s, p)
		n += (unsigned long)READ_ONCE(s->barn.nr_full) * s->sheaf_capacity;
	spin_unlock_irqrestore(&slab_caches_lock, flags);
	return n ? n : SHRINK_EMPTY;
}

/*
 * Send barn objects home until nr_to_scan have gone. The cache list stays
 * locked meanwhile, so no cache can be destroyed under the scan (destroy
 * takes its cache off the list first).
 */
static unsigned long barns_scan(struct shrinker *sh, struct shrink_control *sc)
{
	unsigned long flags, freed = 0;
	struct kmem_cache *s;
	struct list_head *p;

	spin_lock_irqsave(&slab_caches_lock, flags);
	for_each_slab_cache(s, p) {
		if (freed >= sc->nr_to_scan)
			break;
		if (READ_ONCE(s->barn.nr_full) || READ_ONCE(s->barn.nr_empty))
			freed += shrink_barn(s, sc->nr_to_scan - freed);
	}
	spin_unlock_irqrestore(&slab_caches_lock, flags);
	return freed;
}

struct shrinker *slab_barn_shrinker_register(void)
{
	struct shrinker *sh = shrinker_alloc(0, "slab-barns");

	if (!sh)
		return NULL;
	sh->count_objects = barns_count;
	sh->scan_objects = barns_scan;
	sh->seeks = DEFAULT_SEEKS;
	shrinker_register(sh);
	return sh;
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

/*
 * How many objects a sheaf holds and how many full sheaves the barn keeps.
 * A sheaf holds about SHEAF_BYTES of objects (a CPU has two), at least
 * SHEAF_MIN_OBJECTS of big ones and at most a page of pointers of small
 * ones. The barn keeps up to BARN_BYTES of objects in full sheaves (a
 * 64th of the node on nodes under 256 MiB), between BARN_MIN_SHEAVES and
 * BARN_MAX_SHEAVES of them, and as many empty ones: enough for a burst of
 * frees to come back as the next burst of allocations without their slabs
 * being touched. What the barns hold is memory only the cache can use:
 * the "slab-barns" shrinker sends it home under memory pressure, and
 * kmem_cache_shrink() does at once.
 */
#define SHEAF_BYTES		(32UL << 10)
#define SHEAF_MIN_OBJECTS	32u
#define BARN_BYTES		(4UL << 20)
#define BARN_NODE_SHARE		64
#define BARN_MIN_SHEAVES	4u
#define BARN_MAX_SHEAVES	64u

static void sheaf_sizes(struct kmem_cache *s)
{
	unsigned long cap = SHEAF_BYTES / s->size, barn;
	unsigned long bytes = min(BARN_BYTES, node_managed_pages(s->node) *
					      PAGE_SIZE / BARN_NODE_SHARE);

	cap = min(max(cap, (unsigned long)SHEAF_MIN_OBJECTS),
		  (unsigned long)SHEAF_MAX_CAPACITY);
	barn = bytes / (cap * s->size);
	s->sheaf_capacity = (unsigned int)cap;
	s->barn_max = (unsigned int)min(max(barn, (unsigned long)BARN_MIN_SHEAVES),
					(unsigned long)BARN_MAX_SHEAVES);
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
	sheaf_sizes(s);
	spin_lock_init(&s->barn.lock, "kmem_cache.barn.lock");
	INIT_LIST_HEAD(&s->barn.full);
	INIT_LIST_HEAD(&s->barn.empty);
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++) {
		per_cpu_ptr(s->cpu_slab, cpu)->main = &no_sheaf;
		per_cpu_ptr(s->cpu_slab, cpu)->spare = &no_sheaf;
		main_open(per_cpu_ptr(s->cpu_slab, cpu));
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
	/* Off the list first: the barns' shrinker walks it. */
	spin_lock_irqsave(&slab_caches_lock, flags);
	list_del(&s->list);
	spin_unlock_irqrestore(&slab_caches_lock, flags);
	/* No CPU uses s any more (the contract): its sheaves can be taken. */
	flags = arch_irq_save();
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
		release_cpu_sheaves(s, per_cpu_ptr(s->cpu_slab, cpu));
	shrink_barn(s, ~0UL);
	arch_irq_restore(flags);
	spin_lock_irqsave(&s->list_lock, flags);
	list_for_each_entry(slab, &s->partial, slab_list)
		leaked += slab->inuse;
	list_for_each_entry(slab, &s->full, slab_list)
		leaked += slab->inuse;
	if (leaked) {
		spin_unlock_irqrestore(&s->list_lock, flags);
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
		/* Kept, and counted again, for a later destroy. */
		spin_lock_irqsave(&slab_caches_lock, flags);
		list_add_tail(&s->list, &slab_caches);
		spin_unlock_irqrestore(&slab_caches_lock, flags);
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
	struct list_head *p;
	unsigned long flags;

	printk("slabinfo - version: 2.1\n");
	printk("# name            <active_objs> <num_objs> <objsize> <objperslab> "
	       "<pagesperslab> : tunables <limit> <batchcount> <sharedfactor> "
	       ": slabdata <active_slabs> <num_slabs> <sharedavail>\n");
	spin_lock_irqsave(&slab_caches_lock, flags);
	for_each_slab_cache(s, p) {
		unsigned long active, total, slabs;

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
