/*
 * tests/host/blkfile.h - a host block device over a file, for host tests
 * of code above the block layer (drivers/block/blk.h): ext2 on an image
 * made by mke2fs.
 *
 * Requests are done with pread/pwrite on the file, either at once inside
 * blk_submit (queued = false) or queued and completed later by the host's
 * idle work (tests/host/sleep.c: what schedule() runs while a waiter's
 * condition is false) or the device's poll (blk_execute), so completion
 * order and "not done yet" paths are exercised. A failing sector makes
 * every request that touches it end with -EIO and transfer nothing.
 */
#ifndef TESTS_HOST_BLKFILE_H
#define TESTS_HOST_BLKFILE_H

#include "drivers/block/blk.h"

struct blkfile {
	struct block_device bdev;
	int fd;
	bool queued;			/* complete later, not in submit */
	uint64_t fail_sector;		/* ~0: none */
	/* Write requests done (bdev.nr_writes counts them too): their
	 * bytes and the largest, so a test sees how writes were batched. */
	uint64_t write_bytes, max_write_bytes;
	struct list_head pending;	/* queued requests, oldest first */
	struct list_head link;		/* in the list of open blkfiles */
};

/* Open path as block device name (registered with blk_register; the
 * size is the file's, rounded down to sectors). 0 or -errno. */
int blkfile_open(struct blkfile *bf, const char *path, const char *name,
		 bool queued);
/* Complete what is queued, then close the file (the device stays in the
 * block layer's list: tests use a static blkfile). */
void blkfile_close(struct blkfile *bf);
/* Complete every queued request of every open blkfile (the host idle
 * work): true if there was one. */
bool blkfile_complete_all(void);

#endif
