/*
 * mm/kmalloc.h - general-purpose kernel memory: kmalloc and friends.
 *
 *	struct foo *f = kzalloc(sizeof(*f), GFP_KERNEL);
 *	if (!f)
 *		return -ENOMEM;
 *	...
 *	kfree(f);
 *
 * Sizes up to KMALLOC_MAX_CACHE_SIZE come from slab caches of size classes
 * 8, 16, 32, 64, 96, 128, 192, 256, 512, ... 8192 (the next class up; 96
 * and 192 cut the waste between 64/128 and 128/256). Bigger sizes take
 * whole pages from the page allocator (2^order pages, order as small as
 * fits). Memory is aligned to its size class's alignment: at least 8
 * bytes, and a power-of-two size is aligned to itself up to a page.
 *
 * A kmalloc_set is one instance of the size-class caches over one node:
 * the kernel's is over the global node (kmalloc); tests and benchmarks
 * build their own over a private arena (kmalloc_from). kfree, ksize and
 * krealloc work on memory from any set.
 */
#ifndef MM_KMALLOC_H
#define MM_KMALLOC_H

#include "mm/slab.h"

#define KMALLOC_MIN_SIZE	8
#define KMALLOC_MAX_CACHE_SIZE	(2 * PAGE_SIZE)
#define KMALLOC_NR_CLASSES	13	/* 8 .. 8192 */

/* kmalloc(0) returns this: not NULL, but any access faults. */
#define ZERO_SIZE_PTR		((void *)16)
#define ZERO_OR_NULL_PTR(p)	((uintptr_t)(p) <= (uintptr_t)ZERO_SIZE_PTR)

struct kmalloc_set {
	pg_data_t *node;
	struct kmem_cache *caches[KMALLOC_NR_CLASSES];
};

/* size bytes (uninitialised; kzalloc: zeroed), or NULL. */
void *kmalloc(size_t size, gfp_t gfp);
void *kzalloc(size_t size, gfp_t gfp);
/*
 * Resize p (from kmalloc; NULL means allocate) keeping its contents up to
 * the smaller size. Returns p itself when it already has room, else new
 * memory (p is then freed); NULL on failure, p untouched. new_size 0
 * frees p and returns ZERO_SIZE_PTR.
 */
void *krealloc(const void *p, size_t new_size, gfp_t gfp);
/*
 * size bytes from whole pages of their own (the smallest order that
 * holds them), never from a slab; freed by kfree. For an allocation that
 * may take the reserves below the min watermark (__GFP_MEMALLOC): from a
 * slab it would take a whole slab (up to 16 pages) of them for one
 * object and give the rest to anyone; this takes what it uses.
 */
void *kmalloc_pages(size_t size, gfp_t gfp);
/* Free memory from any kmalloc set. NULL and ZERO_SIZE_PTR are ignored. */
void kfree(const void *p);
/* The usable size of p: its size class or its pages (>= what was asked). */
size_t ksize(const void *p);
/* Is p an object in a slab (one of kmem_objects_in_use_total's), rather
 * than pages of its own (a large kmalloc, kmalloc_pages)? */
bool kmalloc_in_slab(const void *p);

/* The size class kmalloc uses for size (its object size); 0 if pages. */
size_t kmalloc_size_class(size_t size);

/*
 * A set of size-class caches named PREFIX-SIZE over node, with extra
 * cache flags (SLAB_DEBUG_FLAGS for a debug set). Returns 0 or -1.
 */
int kmalloc_set_init(struct kmalloc_set *ks, pg_data_t *node,
		     const char *prefix, slab_flags_t flags);
/* Destroy the set's caches (everything from it must be freed). */
void kmalloc_set_destroy(struct kmalloc_set *ks);
void *kmalloc_from(struct kmalloc_set *ks, size_t size, gfp_t gfp);
/* krealloc whose new memory, when p must move, comes from ks. */
void *krealloc_from(struct kmalloc_set *ks, const void *p, size_t new_size,
		    gfp_t gfp);

#endif
