/*
 * drivers/block/blk.h - the block layer: disks as arrays of 512-byte
 * sectors, read and written by requests. docs/drivers/virtio-blk.md.
 *
 * A request names an operation, a first sector and a list of segments
 * (page, offset, len: memory the driver maps with the DMA API, so it
 * must be direct-mapped memory: page allocator or kmalloc, not vmalloc;
 * a segment may run over physically contiguous pages). blk_submit()
 * queues it and returns at once; when the device is done, end_io(req)
 * runs, possibly in interrupt context, with req->status 0 or a negative
 * errno (-EIO: the device reported an I/O error; -EOPNOTSUPP: no flush)
 * and req->error_sector the first sector of the failed request (virtio
 * reports errors per request, not per sector). Several requests may be
 * in flight; they complete in any order.
 *
 *	struct blk_segment seg = { page, 0, 4096 };
 *	struct blk_request rq = { .op = BLK_OP_READ, .sector = 8,
 *				  .segs = &seg, .nr_segs = 1 };
 *	int err = blk_execute(bdev, &rq);	// submit and wait
 *
 * Registered buffers: a submitter that keeps the same I/O buffers for a
 * long time (a benchmark, a driver's staging area; later swap's
 * write-out buffers) can map them once for the disk's DMA device
 * (bdev->dma_dev: dma_alloc_coherent, or dma_map_* left mapped) and put
 * the DMA address of each segment in seg.dma with seg.dma_mapped = true.
 * DMA drivers then use it as is: no map or unmap per request, so no
 * IOMMU page-table update or IOTLB invalidation either, and memory from
 * dma_alloc_coherent of 2 MiB or more is mapped with 2 MiB IOMMU pages
 * (docs/drivers/virtio-blk.md, "Registered buffers"). page/offset/len
 * still name the memory (a driver that copies uses them). The submitter
 * keeps the mapping alive until the request has completed.
 *
 * blk_read/blk_write do this for a direct-mapped buffer. Waiting spins
 * (calling the driver's poll routine when interrupts are unavailable):
 * portable code cannot sleep on a wait queue in host builds.
 */
#ifndef DRIVERS_BLOCK_BLK_H
#define DRIVERS_BLOCK_BLK_H

#include "kernel/errno.h"
#include "kernel/types.h"
#include "kernel/lib/list.h"
#include "mm/backing-dev.h"
#include "mm/dma-mapping.h"
#include "mm/mm_types.h"

#define SECTOR_SIZE	512
#define SECTOR_SHIFT	9

enum blk_op { BLK_OP_READ, BLK_OP_WRITE, BLK_OP_FLUSH };

/*
 * Request flags (Linux's REQ_*). REQ_SWAP: the request moves anonymous
 * pages to or from swap (issue 16). Swapping out is what reclaim does,
 * direct reclaim included, so a swap write is not counted as
 * DIRECT_RECLAIM_WRITE; every other write is file data or file-system
 * metadata, which direct reclaim must never write (blk_submit).
 */
#define REQ_SWAP	(1U << 0)

struct blk_segment {
	struct page *page;
	unsigned int offset;
	unsigned int len;	/* a multiple of 512 in total */
	bool dma_mapped;	/* registered: dma is this segment's DMA */
	dma_addr_t dma;		/* address for bdev->dma_dev (see above) */
};

struct blk_request {
	enum blk_op op;
	unsigned int flags;		/* REQ_* */
	uint64_t sector;
	struct blk_segment *segs;
	unsigned int nr_segs;
	void (*end_io)(struct blk_request *req);
	void *private;			/* the submitter's */
	int status;			/* set before end_io */
	uint64_t error_sector;		/* when status != 0 */
	/* driver's */
	struct list_head queue;
	void *driver_data;
	/* the block layer's: the partition it was submitted to (its
	 * sector shifted to the disk's until blk_complete), or NULL */
	struct block_device *part;
};

struct block_device;

struct block_device_ops {
	/* Start req (or queue it); end_io later. 0 or -errno (not started). */
	int (*submit)(struct block_device *bdev, struct blk_request *req);
	/* Complete what the device finished (no interrupts: polling). */
	void (*poll)(struct block_device *bdev);
};

struct block_device {
	char name[16];			/* "vda" */
	uint64_t nr_sectors;
	unsigned int queue_depth;	/* requests in flight at most */
	unsigned int max_segments;	/* per request */
	bool has_flush, read_only;
	const struct block_device_ops *ops;
	void *driver_data;
	bool irq_driven;		/* completions come by interrupt */
	struct device *dma_dev;		/* what the disk DMAs as; NULL: none */
	unsigned long nr_reads, nr_writes, nr_flushes, nr_errors;
	bool dead;			/* blk_mark_dead: requests fail */
	bool stalled;			/* blk_set_stalled: requests held */
	const char *holder;		/* blk_claim's, NULL: unclaimed */
	const struct blk_holder_ops *holder_ops;	/* the holder's, or NULL */
	/* A partition (drivers/block/partition.h): its disk and where it
	 * starts on it; NULL / 0 for a whole disk. */
	struct block_device *whole;
	uint64_t start_sect;
	unsigned int partno;
	unsigned int part_claims;	/* a disk: its partitions claimed */
	bool scanned;			/* a disk: its table was read */
	struct list_head list;
	/* Its writeback: flusher, bandwidth, dirty limits (set up by
	 * blk_register; file systems on it point their mappings here). */
	struct backing_dev_info bdi;
};

/* Block devices as swap areas (blk_swap.c): registers the lookup
 * swapon uses. Called once at boot. */
void blk_swap_init(void);

/* Make bdev known (named by the driver). */
void blk_register(struct block_device *bdev);
struct block_device *blk_get(const char *name);
struct block_device *blk_first(void);
void blk_for_each(void (*fn)(struct block_device *bdev, void *arg), void *arg);

/*
 * Asynchronous: checks bounds, then the driver's submit. 0 or -errno.
 * Every write to a disk passes here, so here is where a write issued by
 * a thread in direct reclaim (PF_MEMALLOC, not kswapd: kernel/thread.h)
 * is counted, as vmstat's DIRECT_RECLAIM_WRITE, unless it is REQ_SWAP.
 * Submitters run in thread context (nothing submits from an interrupt
 * handler, which would be charged to the thread it interrupted).
 */
int blk_submit(struct block_device *bdev, struct blk_request *req);
/*
 * The driver gave up on the device: it was unplugged, or its queue is
 * broken (virtio's DEVICE_NEEDS_RESET). Says so once, with why; from
 * then on blk_submit fails every request with -ENODEV, and users that
 * keep a disk for long (swap: blk_swap.c's ->dead) stop using it. The
 * driver fails what it still holds with -ENODEV itself. Any context.
 * Tests call it to play a dead disk.
 */
void blk_mark_dead(struct block_device *bdev, const char *why);
static inline bool blk_dead(const struct block_device *bdev)
{
	return __atomic_load_n(&bdev->dead, __ATOMIC_RELAXED) ||
	       (bdev->whole && __atomic_load_n(&bdev->whole->dead, __ATOMIC_RELAXED));
}

/*
 * The driver holds its requests while it gets the device back (NBD: the
 * connection broke and it is reconnecting): what it holds will complete,
 * or fail when the driver gives up (blk_mark_dead), within the driver's
 * own time limit. Memory under writeback to it is on its way back, and
 * reclaim waits for it rather than call the OOM killer (mm/vmscan.c).
 * Set and cleared by the driver; any context.
 */
static inline void blk_set_stalled(struct block_device *bdev, bool stalled)
{
	__atomic_store_n(&bdev->stalled, stalled, __ATOMIC_RELAXED);
}
static inline bool blk_stalled(const struct block_device *bdev)
{
	return __atomic_load_n(&bdev->stalled, __ATOMIC_RELAXED) ||
	       (bdev->whole && __atomic_load_n(&bdev->whole->stalled, __ATOMIC_RELAXED));
}

/*
 * A whole disk for one user at a time (Linux's exclusive open): a
 * mounted file system, a swap area. blk_claim gives bdev to holder (a
 * string that lives as long as the claim, said in refusals: "swap"),
 * or returns -EBUSY with *by (may be NULL) set to the holder it has.
 * blk_unclaim gives it back. A disk and its partitions exclude each
 * other: a partition is refused while its disk is claimed (*by: the
 * disk's holder), and a disk while any partition is ("a partition's
 * user"); partitions of one disk are claimed independently.
 */
int blk_claim(struct block_device *bdev, const char *holder,
	      const char **by);
void blk_unclaim(struct block_device *bdev, const char *holder);

/*
 * What a holder is asked when its disk is about to go (Linux's
 * blk_holder_ops.mark_dead, for a removal announced in advance).
 * let_go(bdev): the disk (or the partition bdev of it) still works and
 * will not once this returns: finish with it - swap turns its area off,
 * pulling every page back into memory. A holder that cannot (no memory
 * for them) says why and keeps it; its I/O then fails (blk_mark_dead),
 * as for a disk pulled without warning. May sleep.
 */
struct blk_holder_ops {
	void (*let_go)(struct block_device *bdev);
};
/* Set bdev's holder's ops (after blk_claim; blk_unclaim clears them). */
void blk_set_holder_ops(struct block_device *bdev,
			const struct blk_holder_ops *ops);
/*
 * The driver is about to give disk up on request (its slot's attention
 * button: drivers/pci/pciehp.h): ask the holder of the disk and of each
 * of its partitions to let go, while the device still works. The driver
 * marks it dead after. May sleep.
 */
void blk_prepare_removal(struct block_device *disk);

/* A partition's ops (partition.h): its requests go to its disk. */
extern const struct block_device_ops blk_partition_ops;

/* Called by drivers when req is done (sets counters, runs end_io). */
void blk_complete(struct block_device *bdev, struct blk_request *req,
		  int status);

/* Submit and wait; returns req->status. The wait sleeps until the
 * completion interrupt when the caller may sleep (kernel/wait.h,
 * can_sleep) and the device interrupts; otherwise it polls. */
int blk_execute(struct block_device *bdev, struct blk_request *req);

/*
 * Synchronous helpers on a direct-mapped buffer of count sectors.
 * 0 or -errno; *error_sector (may be NULL) gets the failing sector.
 */
int blk_read(struct block_device *bdev, uint64_t sector, void *buf,
	     unsigned int count, uint64_t *error_sector);
int blk_write(struct block_device *bdev, uint64_t sector, const void *buf,
	      unsigned int count, uint64_t *error_sector);
int blk_flush(struct block_device *bdev);

#endif
