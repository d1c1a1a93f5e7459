/*
 * fs/drop_caches.c - Linux's /proc/sys/vm/drop_caches: 1 drops clean
 * page-cache pages of every inode, 2 evicts unused inodes and asks every
 * shrinker (slab caches) to give memory back, 3 does both. Dirty,
 * mapped and locked pages stay: `sync` first to drop everything.
 */
#include "fs/internal.h"
#include "mm/shrinker.h"
#include "mm/vmstat.h"

static void drop_inode_pages(struct inode *inode)
{
	invalidate_mapping_pages(inode->i_mapping, 0, ~(pgoff_t)0);
}

static void drop_sb_pages(struct super_block *sb, void *arg)
{
	iterate_sb_inodes(sb, drop_inode_pages);
}

void drop_caches(int mode)
{
	if (mode & 1) {
		iterate_supers(drop_sb_pages, NULL);
		count_vm_event(DROP_PAGECACHE);
	}
	if (mode & 2) {
		prune_icache(~0UL);
		/* Until a pass frees nothing (each frees a share), at
		 * most 10 passes: a cache that refills must not spin us. */
		for (int i = 0; i < 10 && shrink_slab(GFP_KERNEL, 0) > 0; i++)
			;
		count_vm_event(DROP_SLAB);
	}
}
