/*
 * mm/shrinker.h - how caches give memory back when reclaim asks: the
 * shrinker API, shaped like Linux's after its 6.7 rework.
 *
 *	struct shrinker *s = shrinker_alloc(0, "inode-cache");
 *	s->count_objects = inode_count;	// how many could be freed now
 *	s->scan_objects = inode_scan;	// free up to sc->nr_to_scan
 *	s->seeks = DEFAULT_SEEKS;
 *	s->private_data = my_cache;
 *	shrinker_register(s);
 *	...
 *	shrinker_free(s);		// unregisters, waits for calls to end
 *
 * shrink_slab() (called by reclaim) asks every registered shrinker how
 * many objects it could free and scans a share of them that grows as
 * priority falls from DEF_PRIORITY (12, gentle) to 0 (everything).
 */
#ifndef MM_SHRINKER_H
#define MM_SHRINKER_H

#include "kernel/types.h"
#include "mm/gfp.h"
#include "kernel/lib/list.h"

#define DEF_PRIORITY	12
#define DEFAULT_SEEKS	2	/* cost to recreate an object: a seek + a read */
#define SHRINK_BATCH	128	/* objects per scan_objects call by default */
#define SHRINK_STOP	(~0UL)		/* scan_objects: cannot make progress */
#define SHRINK_EMPTY	(~0UL - 1)	/* count_objects: nothing at all */

struct shrink_control {
	gfp_t gfp_mask;			/* the allocation that needs memory */
	int nid;			/* node (always 0 here) */
	unsigned long nr_to_scan;	/* scan_objects: how many to look at */
	unsigned long nr_scanned;	/* scan_objects may lower it */
};

struct shrinker {
	/* How many objects could be freed now (0 or SHRINK_EMPTY: none). */
	unsigned long (*count_objects)(struct shrinker *, struct shrink_control *sc);
	/* Free up to sc->nr_to_scan objects; return how many were freed,
	 * or SHRINK_STOP if it cannot (e.g. locks it may not take now). */
	unsigned long (*scan_objects)(struct shrinker *, struct shrink_control *sc);
	long batch;			/* 0: SHRINK_BATCH */
	int seeks;			/* 0: free half of what count says */
	unsigned int flags;
	void *private_data;		/* the owner's */

	/* Internal. */
	char name[32];
	struct list_head list;
	unsigned long nr_deferred;	/* work owed from earlier calls */
	unsigned int refcount;		/* 1 while registered + calls running */
	bool registered;
};

/* A zeroed shrinker named name (printf-style), or NULL. Not yet active. */
struct shrinker *shrinker_alloc(unsigned int flags, const char *fmt, ...)
	__printf(2, 3);
/* Make it visible to shrink_slab(). Set the callbacks first. */
void shrinker_register(struct shrinker *shrinker);
/* Unregister (if registered), wait for running calls, free. NULL is fine.
 * Not from the shrinker's own callbacks (it would wait for itself). */
void shrinker_free(struct shrinker *shrinker);

/*
 * Ask every shrinker to free a share of its objects: for each, scan
 * (count >> priority) * 4 / seeks objects plus work deferred from before,
 * in batches. Returns the number of objects freed.
 */
unsigned long shrink_slab(gfp_t gfp, int priority);

#endif
