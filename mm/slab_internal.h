/*
 * mm/slab_internal.h - what mm/slab.c, mm/slab_debug.c and mm/kmalloc.c
 * share: object layout helpers and the per-CPU fast paths (inlined into
 * kmalloc/kfree as well as kmem_cache_alloc/free).
 */
#ifndef MM_SLAB_INTERNAL_H
#define MM_SLAB_INTERNAL_H

#include "kernel/lib/string.h"
#include "mm/page_alloc.h"
#include "mm/slab.h"
#include <arch/cpu.h>

enum { SLAB_LIST_NONE, SLAB_LIST_PARTIAL, SLAB_LIST_FULL, SLAB_LIST_EMPTY };

/* What debug mode records about the last allocation or free of an object. */
struct slab_track {
	unsigned long addrs[SLAB_TRACK_ADDRS];	/* caller first; 0 ends */
	unsigned int cpu;
	unsigned int pad;
};
enum { TRACK_ALLOC, TRACK_FREE };

static inline void *get_freepointer(const struct kmem_cache *s, void *obj)
{
	return *(void **)((char *)obj + s->offset);
}

static inline void set_freepointer(const struct kmem_cache *s, void *obj,
				   void *next)
{
	*(void **)((char *)obj + s->offset) = next;
}

/* Slot i of a slab: the object pointer (after the left red zone). */
static inline void *slab_object(const struct kmem_cache *s,
				const struct slab *slab, unsigned int i)
{
	return (char *)slab->s_mem + (size_t)i * s->size + s->red_left_pad;
}

static inline bool slab_debug_on(const struct kmem_cache *s)
{
	return s->flags & SLAB_DEBUG_FLAGS;
}

/* ---- mm/slab_debug.c ---- */
/* Lay out a debug cache's slot (red zones, free pointer, tracks). */
void slab_debug_layout(struct kmem_cache *s);
/* A new slab's object: poison, inactive red zones, empty tracks. */
void slab_debug_init_object(struct kmem_cache *s, void *obj);
/* Checks on taking obj off a freelist; false if it must not be used. */
bool slab_debug_check_alloc(struct kmem_cache *s, struct slab *slab,
			    void *obj, unsigned long frame);
/*
 * Checks on a free, under list_lock: double free, red zones. Returns
 * false if obj must not go back on the freelist (already free).
 */
bool slab_debug_check_free(struct kmem_cache *s, struct slab *slab,
			   void *obj, unsigned long frame);
/* Before list_lock: obj belongs to a slab of s, at a slot boundary. */
struct slab *slab_debug_check_owner(struct kmem_cache *s, void *obj,
				    unsigned long frame);
/* Report leaked objects of a slab at destroy (prints allocation tracks). */
void slab_debug_report_leaks(struct kmem_cache *s, struct slab *slab,
			     unsigned int *budget);
/* Walk one slab's objects: check each; returns problems. Under list_lock. */
unsigned long slab_debug_validate_slab(struct kmem_cache *s, struct slab *slab);
/* Mark, in map (bit per slot), the slots on slab->freelist; false if the
 * freelist is corrupt (loop, pointer outside the slab). */
bool slab_free_map(struct kmem_cache *s, struct slab *slab, uint64_t *map);
#define SLAB_MAX_OBJECTS	4096	/* 32 KiB of 8-byte objects */

/* ---------------------------------------------------------------- fast paths */

/*
 * The open main sheaf (struct kmem_cache_cpu): main_sync() writes its
 * count back so the slow paths can work on sheaves; main_open() opens
 * c->main (the same one or another) when they are done. Interrupts off,
 * on the CPU that owns c.
 */
static inline void main_sync(struct kmem_cache_cpu *c)
{
	if (c->capacity)
		c->main->size = c->size;
}

static inline void main_open(struct kmem_cache_cpu *c)
{
	c->objects = c->main->objects;
	c->size = c->main->size;
	c->capacity = c->main->capacity;
}

/*
 * The whole allocation and free, out of line in mm/slab.c: debug mode,
 * __GFP_ZERO, and an empty (full) main sheaf's trade or refill (flush).
 * `frame` is the public entry's frame address (debug mode records the
 * backtrace from it).
 */
void *slab_alloc_slow(struct kmem_cache *s, gfp_t gfp, unsigned long frame);
void slab_free_slow(struct kmem_cache *s, void *obj, unsigned long frame);

/*
 * Allocate: an object off this CPU's main sheaf with interrupts off and
 * no lock; anything more goes to slab_alloc_slow(). The fast path calls
 * nothing, so the compiler saves no register and sets up no frame for it
 * (the slow call's prologue sits on the slow branch alone).
 */
static inline __attribute__((always_inline)) void *
slab_alloc(struct kmem_cache *s, gfp_t gfp, unsigned long frame)
{
	struct kmem_cache_cpu *c;
	unsigned long flags;
	void *obj;

	if (unlikely(slab_debug_on(s) || (gfp & __GFP_ZERO)))
		return slab_alloc_slow(s, gfp, frame);
	flags = arch_irq_save();
	c = this_cpu_ptr(s->cpu_slab);
	if (unlikely(!c->size)) {
		arch_irq_restore(flags);
		return slab_alloc_slow(s, gfp, frame);
	}
	obj = c->objects[--c->size];
	c->nr_alloc++;
	arch_irq_restore(flags);
	return obj;
}

/* Free onto this CPU's main sheaf; a full one goes to slab_free_slow(). */
static inline __attribute__((always_inline)) void
slab_free(struct kmem_cache *s, void *obj, unsigned long frame)
{
	struct kmem_cache_cpu *c;
	unsigned long flags;

	if (unlikely(slab_debug_on(s))) {
		slab_free_slow(s, obj, frame);
		return;
	}
	flags = arch_irq_save();
	c = this_cpu_ptr(s->cpu_slab);
	if (unlikely(c->size >= c->capacity)) {
		arch_irq_restore(flags);
		slab_free_slow(s, obj, frame);
		return;
	}
	c->objects[c->size++] = obj;
	c->nr_free++;
	arch_irq_restore(flags);
}

/*
 * The slab of an object known to belong to s, without the memmap: a slab
 * is 2^order pages aligned to its size (buddy blocks are), its descriptor
 * in its last bytes. Only for objects the caller vouches for (or the
 * memmap does: __virt_to_slab).
 */
static inline struct slab *cache_obj_slab(const struct kmem_cache *s,
					  const void *obj)
{
	uintptr_t bytes = PAGE_SIZE << s->order;
	uintptr_t base = (uintptr_t)obj & ~(bytes - 1);

	return (struct slab *)(base + bytes - sizeof(struct slab));
}

/* The slab holding addr: its page is PageSlab and names the cache. */
static inline struct slab *__virt_to_slab(const void *addr)
{
	struct page *page = virt_to_page(addr);

	if (unlikely(!page || !PageSlab(page)))
		return NULL;
	return cache_obj_slab(page->slab_cache, addr);
}

#define _THIS_FRAME	((unsigned long)__builtin_frame_address(0))

#endif
