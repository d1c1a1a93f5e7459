/*
 * mm/slab.h - the object allocator (SLUB-like): caches of equal-sized
 * objects carved from pages of the page allocator.
 *
 *	struct kmem_cache *c = kmem_cache_create("inode", sizeof(struct inode),
 *						 0, SLAB_RECLAIM_ACCOUNT, NULL);
 *	struct inode *i = kmem_cache_alloc(c, GFP_KERNEL);
 *	...
 *	kmem_cache_free(c, i);
 *	kmem_cache_destroy(c);		// every object must be freed first
 *
 * A slab is 2^order pages holding `objects` objects and, at its end, a
 * struct slab descriptor. Every page of a slab is PageSlab and names its
 * cache (page->slab_cache), so kfree() finds an object's cache from its
 * address in one load, and the descriptor is at a fixed place in the
 * slab's block. Each CPU keeps free objects in two "sheaves" (arrays of object
 * pointers, as in Linux 6.18): allocation pops from one and free pushes
 * onto it, with interrupts off and no lock. A CPU whose sheaves are full
 * or empty trades a whole sheaf with the cache's "barn" (full and empty
 * sheaves under one lock), and only then goes to the slabs themselves,
 * which sit on the cache's partial, full or empty list under list_lock.
 * docs/mm/slab.md explains the design, the debug mode and the figures.
 *
 * Context: alloc and free may be called with interrupts on or off, from
 * any CPU; nothing sleeps. create and destroy take locks and may allocate.
 */
#ifndef MM_SLAB_H
#define MM_SLAB_H

#include "kernel/types.h"
#include "kernel/percpu.h"
#include "kernel/spinlock.h"
#include "mm/gfp.h"
#include "kernel/lib/list.h"
#include "mm/mmzone.h"

typedef unsigned int slab_flags_t;

/* Flags for kmem_cache_create(). */
#define SLAB_HWCACHE_ALIGN	0x0001u	/* align objects to a cache line */
#define SLAB_RECLAIM_ACCOUNT	0x0002u	/* objects are reclaimable (a
					 * shrinker frees them): slabs come
					 * from MIGRATE_RECLAIMABLE blocks */
#define SLAB_PANIC		0x0004u	/* panic if the cache cannot be made */
/* Debug (slab_debug= on the command line sets all three). */
#define SLAB_RED_ZONE		0x0100u	/* guard bytes either side of objects */
#define SLAB_POISON		0x0200u	/* fill free objects with POISON_FREE */
#define SLAB_STORE_USER		0x0400u	/* record who allocated / freed last */
#define SLAB_DEBUG_FLAGS	(SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER)
#define SLAB_KMALLOC		0x1000u	/* internal: a kmalloc size class */

/* Byte patterns of debug mode (Linux's values, include/linux/poison.h). */
#define POISON_FREE	0x6b	/* a free object's bytes */
#define POISON_END	0xa5	/* its last byte */
#define RED_INACTIVE	0xbb	/* red zone of a free object */
#define RED_ACTIVE	0xcc	/* red zone of an allocated object */

#define SLAB_TRACK_ADDRS 4	/* return addresses kept per alloc / free */
#define SLAB_NAME_LEN	32

/*
 * A sheaf: one page holding pointers to up to `capacity` free objects of
 * one cache, objects[0..size). A CPU's sheaf is touched only by that CPU
 * with interrupts off; a sheaf in the barn is under the barn's lock.
 * capacity 0 marks the shared empty placeholder a CPU has before its
 * first sheaf (its fast paths then fail their checks and go slow).
 */
struct slab_sheaf {
	struct list_head barn_list;	/* on the barn's full or empty list */
	unsigned int size;		/* free objects held */
	unsigned int capacity;		/* room: the cache's sheaf_capacity */
	void *objects[];
};
#define SHEAF_MAX_CAPACITY \
	((unsigned int)((PAGE_SIZE - sizeof(struct slab_sheaf)) / sizeof(void *)))

/*
 * One CPU's part of a cache. Touched only by that CPU, interrupts off.
 *
 * The main sheaf is kept open here - its objects, count and room - so the
 * fast paths reach it in one step from the cache. (A free finds its cache
 * through the object's page; in a batch of frees every dependent load on
 * that way to the sheaf costs ~2.5 ns an object: docs/mm/slab.md.) While
 * a sheaf is main, `size` here is its count and its own is stale. The slow
 * paths, which work on sheaves, bracket their work with main_sync() and
 * main_open() (mm/slab_internal.h).
 */
struct kmem_cache_cpu {
	void **objects;			/* the main sheaf's objects */
	unsigned int size;		/* how many it holds */
	unsigned int capacity;		/* its room; 0: no sheaf yet */
	struct slab_sheaf *main;	/* allocations pop, frees push */
	struct slab_sheaf *spare;	/* the other: empty or full */
	unsigned long nr_alloc;		/* allocations and frees on this CPU */
	unsigned long nr_free;
};

/*
 * The barn: sheaves no CPU holds. A CPU with both sheaves full leaves one
 * here and takes an empty one; a CPU with both empty takes a full one.
 * Objects move between CPUs a sheaf at a time and never touch their slabs.
 */
struct slab_barn {
	spinlock_t lock;
	struct list_head full;		/* sheaves of `capacity` objects */
	struct list_head empty;
	unsigned int nr_full;		/* <= the cache's barn_max */
	unsigned int nr_empty;		/* <= the cache's barn_max */
};

struct kmem_cache {
	/* Read-mostly: set at creation. */
	unsigned int object_size;	/* what the creator asked for */
	unsigned int size;		/* stride between objects */
	unsigned int offset;		/* of the free pointer in a slot */
	unsigned int red_left_pad;	/* left red zone: object at slot + this */
	unsigned int align;
	unsigned int order;		/* slab = 2^order pages */
	unsigned int objects;		/* per slab */
	unsigned int min_partial;	/* empty slabs kept for reuse (Linux's
					 * name; here: the cap on s->empty) */
	slab_flags_t flags;
	gfp_t allocflags;		/* added to every slab allocation */
	void (*ctor)(void *obj);
	pg_data_t *node;		/* where slabs come from */
	unsigned int cache_order;	/* pages holding this struct */
	unsigned int sheaf_capacity;	/* objects per sheaf */
	unsigned int barn_max;		/* full (and empty) sheaves kept */
	char name[SLAB_NAME_LEN];
	struct list_head list;		/* on slab_caches */

	struct slab_barn barn;

	/* The node part: slabs no CPU owns. */
	spinlock_t list_lock;
	struct list_head partial;	/* some objects free */
	struct list_head full;		/* none free */
	struct list_head empty;		/* all free, kept to be reused */
	unsigned long nr_partial;
	unsigned long nr_empty;		/* <= min_partial */
	unsigned long nr_slabs;		/* all slabs, CPUs' active ones too */
	unsigned long debug_reports;	/* problems debug mode found */

	DEFINE_PER_CPU(struct kmem_cache_cpu, cpu_slab);
};

/*
 * The descriptor of one slab, in the slab's last bytes; under the cache's
 * list_lock. inuse counts the objects not on freelist: allocated ones and
 * those waiting in sheaves.
 */
struct slab {
	struct list_head slab_list;	/* partial, full or empty list */
	struct kmem_cache *cache;
	void *freelist;			/* free objects in the slab */
	void *s_mem;			/* first slot */
	struct page *page;		/* first page */
	uint16_t inuse;			/* objects not on freelist */
	uint16_t objects;
	uint8_t on_list;		/* SLAB_LIST_* */
};

/*
 * Make a cache of objects of `size` bytes aligned to `align` (0: the
 * word size; SLAB_HWCACHE_ALIGN: a cache line). ctor, if given, runs once
 * per object when its slab is made: objects keep their constructed state
 * across free and alloc. Slabs come from the global node; the _node form
 * takes them from any node (a private arena in tests). The name is
 * copied. Returns NULL (printed) on bad arguments or no memory.
 */
struct kmem_cache *kmem_cache_create(const char *name, unsigned int size,
				     unsigned int align, slab_flags_t flags,
				     void (*ctor)(void *));
struct kmem_cache *kmem_cache_create_node(pg_data_t *node, const char *name,
					  unsigned int size, unsigned int align,
					  slab_flags_t flags,
					  void (*ctor)(void *));
/*
 * Free the cache and its slabs. Every object must have been freed and no
 * CPU may use the cache any more. Objects still allocated are reported
 * (with their allocation backtraces in debug mode) and their slabs leaked.
 */
void kmem_cache_destroy(struct kmem_cache *s);

/* An object, or NULL (no memory for a new slab). __GFP_ZERO zeroes it. */
void *kmem_cache_alloc(struct kmem_cache *s, gfp_t gfp);
/* Give obj back to s, the cache it came from. NULL is ignored. */
void kmem_cache_free(struct kmem_cache *s, void *obj);

/*
 * Give every cached object back to its slab (every CPU's sheaves, by a
 * call on each CPU, and the barn's) and free the sheaves and every empty
 * slab. Returns the number of slabs freed. May be called only where a
 * cross-CPU call may be made: interrupts on, no spinlock held.
 */
unsigned long kmem_cache_shrink(struct kmem_cache *s);

/* The cache an object from kmalloc/kmem_cache_alloc belongs to, or NULL. */
struct kmem_cache *virt_to_cache(const void *obj);
/* The slab of a slab object, or NULL if addr is not in a slab. */
struct slab *virt_to_slab(const void *addr);

/* Objects handed out and not freed (exact when no CPU is mid-call). */
unsigned long kmem_cache_objects_in_use(struct kmem_cache *s);
/*
 * The same summed over every cache on the cache list (a cache on no list,
 * as a host test's private one before create returns, is not counted).
 * Leak checks compare it before and after: a leaked object shows even when
 * its slab's page would have stayed anyway.
 */
unsigned long kmem_objects_in_use_total(void);
/* The same cache by cache: up to max (cache, objects) pairs in out, in
 * the list's order. Returns how many caches the list holds (more than
 * max: the rest were left out). A leak check that found the total moved
 * names the cache with it. */
struct kmem_usage {
	const struct kmem_cache *cache;
	unsigned long objects;
};
unsigned int kmem_objects_in_use_each(struct kmem_usage *out, unsigned int max);

/*
 * Register the "slab-barns" shrinker: under memory pressure it sends the
 * objects waiting in every cache's barn home to their slabs (and frees
 * the sheaves), so empty slabs can go back to the page allocator.
 * kmem_cache_init() does it for the kernel; a host test that wants it
 * registers its own and frees it (shrinker_free). NULL if none is left.
 */
struct shrinker;
struct shrinker *slab_barn_shrinker_register(void);

/* Boot: the kmalloc caches and the `slab_debug=` settings. */
void kmem_cache_init(void);

/* Linux's /proc/slabinfo (the `slabinfo` console command). */
void show_slabinfo(void);

/* ---------------------------------------------------------------- debug */

/*
 * Check every free object of s (poison, red zones, free pointers) and the
 * counters of every slab; report each problem. Returns problems found.
 */
unsigned long kmem_cache_validate(struct kmem_cache *s);
/* Problems debug mode reported, all caches (tests compare before/after). */
/* Debug flags `slab_debug=` asks for a cache of this name (0: none). */
slab_flags_t slab_debug_flags_for(const char *name);

#endif
