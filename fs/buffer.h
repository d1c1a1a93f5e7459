/*
 * fs/buffer.h - a file system's metadata through its block device's page
 * cache. docs/fs/ext2.md.
 *
 * A mounted block device gets one address_space (AS_BDEV: its pages are
 * meminfo's Buffers), indexed by page offset in the disk. A superblock,
 * a bitmap, an inode table block or an indirect block is a range of
 * bytes in one of its pages: bdev_read reads it (the page is read from
 * the disk once, then stays cached until reclaim or drop_caches),
 * bdev_write changes it in the page and marks the page dirty, and
 * bdev_sync writes every dirty page back and flushes the disk's cache.
 * (Linux keeps buffer_heads per block on such pages; with one writer per
 * page at a time, the page's own dirty bit is all this needs.)
 *
 * Reads and writes sleep (lock_page, I/O); callers hold the file
 * system's own locks, never a spinlock. The I/O of a page is synchronous
 * (blk_execute): simple, and no allocation on the write-back path.
 */
#ifndef FS_BUFFER_H
#define FS_BUFFER_H

#include "drivers/block/blk.h"
#include "mm/filemap.h"

struct bdev_cache {
	struct address_space mapping;	/* AS_BDEV */
	struct block_device *bdev;
	char name[24];			/* "vda" (mapping.name) */
};

/* A cache of bdev; node: where its pages come from (NULL: the kernel's;
 * host tests pass an arena, and set mapping.i_pages.node_cache). */
void bdev_cache_init(struct bdev_cache *bc, struct block_device *bdev,
		     pg_data_t *node);
/* Copy len bytes at byte off of the disk to buf: 0, -EIO (the read
 * failed), -EINVAL (past the disk), -ENOMEM. */
int bdev_read(struct bdev_cache *bc, uint64_t off, void *buf, size_t len);
/* Copy buf to byte off of the disk's cached pages and mark them dirty
 * (written by bdev_sync or the flusher). 0 or -errno as bdev_read, or
 * -EROFS for a read-only disk. */
int bdev_write(struct bdev_cache *bc, uint64_t off, const void *buf,
	       size_t len);
/* Write back every dirty page, wait, and flush the disk: 0 or the first
 * -errno (a write-back error is reported once). */
int bdev_sync(struct bdev_cache *bc);
/*
 * Bytes [off, off + len) of the disk are no longer metadata (a freed
 * block that now holds a file's data, written through the file's page
 * cache): forget any change cached here for them, so write-back never
 * puts the old metadata over the new data. A page's write-back writes
 * only the sectors bdev_write changed (page->private holds them).
 */
void bdev_forget(struct bdev_cache *bc, uint64_t off, size_t len);
/* Drop every cached page and the index (after bdev_sync: unmount). */
void bdev_cache_release(struct bdev_cache *bc);

#endif
