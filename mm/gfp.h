/*
 * mm/gfp.h - "get free pages" flags: what an allocation may do and where
 * its pages may come from. The names and meanings are Linux's.
 *
 * Zone modifiers pick the highest zone an allocation may use (it falls
 * back to lower ones): none means ZONE_NORMAL, __GFP_DMA32 means only
 * ZONE_DMA32. Mobility modifiers pick the migratetype, which decides which
 * pageblocks the pages come from (see mm/mmzone.h). Action modifiers say
 * how hard to try and which reserves may be used.
 */
#ifndef MM_GFP_H
#define MM_GFP_H

#include "kernel/types.h"

typedef unsigned int gfp_t;

/* Zone modifier. */
#define __GFP_DMA32		0x0001u	/* only memory below ARCH_DMA32_LIMIT */
/* Mobility: neither bit = unmovable (the kernel's own data). */
#define __GFP_MOVABLE		0x0002u	/* can be migrated (user pages) */
#define __GFP_RECLAIMABLE	0x0004u	/* can be freed on demand (caches) */
/* Watermarks and reserves. */
#define __GFP_HIGH		0x0008u	/* high priority: may dip below min */
#define __GFP_MEMALLOC		0x0010u	/* may use all reserves (reclaim itself) */
#define __GFP_NOMEMALLOC	0x0020u	/* never use the emergency reserves */
/* Reclaim. */
#define __GFP_IO		0x0040u	/* may start I/O */
#define __GFP_FS		0x0080u	/* may call into filesystems */
#define __GFP_DIRECT_RECLAIM	0x0100u	/* may sleep to reclaim: not atomic */
#define __GFP_KSWAPD_RECLAIM	0x0200u	/* may wake kswapd */
#define __GFP_RECLAIM		(__GFP_DIRECT_RECLAIM | __GFP_KSWAPD_RECLAIM)
/* Behaviour. */
#define __GFP_ZERO		0x0400u	/* return zeroed pages */
#define __GFP_NOWARN		0x0800u	/* fail silently */
#define __GFP_NORETRY		0x1000u	/* give up after one reclaim attempt */
#define __GFP_COMP		0x2000u	/* a compound page (accepted, unused yet) */
#define __GFP_BITS		14

/* The usual combinations. */
#define GFP_ATOMIC	(__GFP_HIGH | __GFP_KSWAPD_RECLAIM)
#define GFP_KERNEL	(__GFP_RECLAIM | __GFP_IO | __GFP_FS)
#define GFP_NOWAIT	(__GFP_KSWAPD_RECLAIM)
#define GFP_NOIO	(__GFP_RECLAIM)
#define GFP_NOFS	(__GFP_RECLAIM | __GFP_IO)
#define GFP_USER	(__GFP_RECLAIM | __GFP_IO | __GFP_FS)
#define GFP_DMA32	__GFP_DMA32
#define GFP_HIGHUSER_MOVABLE	(GFP_USER | __GFP_MOVABLE)

/* gfp_t -> MIGRATE_UNMOVABLE, MIGRATE_MOVABLE or MIGRATE_RECLAIMABLE. */
static inline int gfp_migratetype(gfp_t gfp)
{
	if (gfp & __GFP_MOVABLE)
		return 1;	/* MIGRATE_MOVABLE */
	if (gfp & __GFP_RECLAIMABLE)
		return 2;	/* MIGRATE_RECLAIMABLE */
	return 0;		/* MIGRATE_UNMOVABLE */
}

static inline bool gfpflags_allow_blocking(gfp_t gfp)
{
	return gfp & __GFP_DIRECT_RECLAIM;
}

/*
 * Write gfp as Linux prints it ("GFP_KERNEL|__GFP_ZERO") into buf; returns
 * buf. Combinations are named first, then the remaining single flags.
 */
char *gfp_flags_str(gfp_t gfp, char *buf, size_t size);

#endif
