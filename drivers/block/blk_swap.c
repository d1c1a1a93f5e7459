/*
 * drivers/block/blk_swap.c - block devices as swap backends (mm/swap.h):
 * `swapon vdb` finds the disk by name here. A swap I/O of nr pages of
 * consecutive slots becomes one block request of nr segments at sector
 * slot * 8, submitted asynchronously; the driver maps the pages with the
 * DMA API (so swap runs behind VT-d and SMMUv3 like any disk I/O).
 */
#include "drivers/block/blk.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vsprintf.h"
#include "kernel/printk.h"
#include "mm/kmalloc.h"
#include "mm/swap.h"

#define SECTORS_PER_PAGE	(PAGE_SIZE / SECTOR_SIZE)

/* What a swap I/O carries for us (swap_io.backend_data). */
struct blk_swap_io {
	struct blk_request req;
	struct blk_segment segs[SWAP_IO_MAX_PAGES];
};

static void blk_swap_end_io(struct blk_request *req)
{
	struct swap_io *io = req->private;

	io->status = req->status;
	io->end_io(io);
}

static int blk_swap_submit(struct swap_backend *sb, struct swap_io *io)
{
	struct block_device *bdev = sb->priv;
	struct blk_swap_io *b = (struct blk_swap_io *)io->backend_data;

	for (unsigned int i = 0; i < io->nr; i++)
		b->segs[i] = (struct blk_segment){
			.page = io->pages[i], .offset = 0, .len = PAGE_SIZE };
	b->req = (struct blk_request){
		.op = io->write ? BLK_OP_WRITE : BLK_OP_READ,
		.sector = (uint64_t)io->slot * SECTORS_PER_PAGE,
		.segs = b->segs,
		.nr_segs = io->nr,
		.end_io = blk_swap_end_io,
		.private = io,
		.flags = REQ_SWAP,	/* not a file write (DIRECT_RECLAIM_WRITE) */
	};
	return blk_submit(bdev, &b->req);
}

static int blk_swap_read_header(struct swap_backend *sb, struct page *page)
{
	struct blk_segment seg = { .page = page, .offset = 0,
				   .len = PAGE_SIZE };
	struct blk_request req = { .op = BLK_OP_READ, .sector = 0,
				   .segs = &seg, .nr_segs = 1 };
	struct block_device *bdev = sb->priv;

	if (bdev->nr_sectors < SECTORS_PER_PAGE)
		return -EINVAL;
	return blk_execute(bdev, &req);
}

/* The driver gave up on the disk (blk_mark_dead): swap stops using it. */
static bool blk_swap_dead(struct swap_backend *sb)
{
	return blk_dead(sb->priv);
}

/* The driver holds its requests while it gets the disk back. */
static bool blk_swap_stalled(struct swap_backend *sb)
{
	return blk_stalled(sb->priv);
}

static const char blk_swap_holder[] = "swap";

/* The disk is about to be removed (blk_prepare_removal): turn its area
 * off while it can still be read. */
static void blk_swap_let_go(struct block_device *bdev)
{
	int err = swapoff(bdev->name);

	if (err)
		pr_err("swap: %s is being removed, and its area could not be "
		       "turned off (%s): the pages on it are lost with it\n",
		       bdev->name,
		       err == -ENOMEM ? "not enough memory to take them back" :
		       err == -EIO ? "a slot could not be read" :
		       err == -EINVAL ? "it is being turned off already" :
		       "a slot is still in use");
}

static const struct blk_holder_ops blk_swap_holder_ops = {
	.let_go = blk_swap_let_go,
};

static void blk_swap_release(struct swap_backend *sb)
{
	blk_unclaim(sb->priv, blk_swap_holder);
	kfree(sb);
}

/* The disk, claimed for swap: a mounted one is refused (and mount
 * refuses a disk swap holds, fs/super.c). */
static struct swap_backend *blk_swap_lookup(const char *name, char *why,
					    size_t whylen)
{
	struct block_device *bdev = blk_get(name);
	struct swap_backend *sb;
	const char *by = "";

	if (!bdev || bdev->read_only)
		return NULL;
	if (blk_claim(bdev, blk_swap_holder, &by)) {
		ksnprintf(why, whylen, "in use by %s", by);
		return ERR_PTR(-EBUSY);
	}
	sb = kzalloc(sizeof(*sb), GFP_KERNEL);
	if (!sb) {
		blk_unclaim(bdev, blk_swap_holder);
		return NULL;
	}
	blk_set_holder_ops(bdev, &blk_swap_holder_ops);
	strlcpy(sb->name, bdev->name, sizeof(sb->name));
	sb->nr_bytes = bdev->nr_sectors * SECTOR_SIZE;
	sb->io_extra = sizeof(struct blk_swap_io);
	sb->max_pages = bdev->max_segments < SWAP_IO_MAX_PAGES ?
			bdev->max_segments : SWAP_IO_MAX_PAGES;
	sb->submit = blk_swap_submit;
	sb->read_header = blk_swap_read_header;
	sb->dead = blk_swap_dead;
	sb->stalled = blk_swap_stalled;
	sb->release = blk_swap_release;
	sb->priv = bdev;
	return sb;
}

static struct swap_backend_lookup blk_swap_lookups = {
	.lookup = blk_swap_lookup,
};

void blk_swap_init(void)
{
	swap_register_backend_lookup(&blk_swap_lookups);
}
