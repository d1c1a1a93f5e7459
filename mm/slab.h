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
 * struct slab descriptor. Every page of a slab is PageSlab and points to
 * the descriptor (page->slab), so freeing finds an object's slab from its
 * address. Each CPU has an active slab whose free objects it hands out
 * with interrupts off and no lock, and a small array (a "sheaf", as in
 * Linux 6.18) of objects freed on that CPU. Slabs no CPU owns sit on the
 * cache's partial, full or empty list under the cache's list_lock.
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

#define SLAB_SHEAF_SIZE	30	/* objects a CPU keeps freed from other slabs */
#define SLAB_TRACK_ADDRS 4	/* return addresses kept per alloc / free */
#define SLAB_NAME_LEN	32

/* One CPU's part of a cache. Touched only by that CPU, interrupts off. */
struct kmem_cache_cpu {
	void *freelist;		/* free objects of the active slab */
	struct slab *slab;	/* the active slab (frozen), or NULL */
	uintptr_t base;		/* its first object slot ... */
	uintptr_t span;		/* ... and bytes of slots: free fast path */
	unsigned long nr_alloc;	/* allocations and frees on this CPU */
	unsigned long nr_free;
	unsigned int nr_sheaf;
	void *sheaf[SLAB_SHEAF_SIZE];	/* freed objects of other slabs */
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
	char name[SLAB_NAME_LEN];
	struct list_head list;		/* on slab_caches */

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
 * The descriptor of one slab, in the slab's last bytes. freelist and inuse
 * are under the cache's list_lock; a frozen slab belongs to one CPU, whose
 * kmem_cache_cpu holds the objects it took from freelist.
 */
struct slab {
	struct list_head slab_list;	/* partial, full or empty list */
	struct kmem_cache *cache;
	void *freelist;			/* free objects no CPU holds */
	void *s_mem;			/* first slot */
	struct page *page;		/* first page */
	uint16_t inuse;			/* objects not on freelist */
	uint16_t objects;
	uint8_t frozen;			/* a CPU's active slab */
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
 * Give this CPU's cached objects back to their slabs and free every empty
 * slab. Returns the number of slabs freed. (Other CPUs keep theirs until
 * an IPI can ask them: see docs/mm/slab.md.)
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
