/*
 * tests/suites/null_blk.c - a disk that completes every request at once
 * (contract: null_blk.h).
 */
#include "tests/suites/null_blk.h"

static int null_blk_submit(struct block_device *bdev, struct blk_request *req)
{
	blk_complete(bdev, req, 0);
	return 0;
}

static void null_blk_poll(struct block_device *bdev)
{
	(void)bdev;		/* everything completed in submit */
}

static const struct block_device_ops null_blk_ops = {
	.submit = null_blk_submit,
	.poll = null_blk_poll,
};

static struct block_device null_blk_dev = {
	.name = "nullb0",
	.nr_sectors = 1ULL << 32,
	.queue_depth = 1,
	.max_segments = 1,
	.ops = &null_blk_ops,
};

struct block_device *null_blk(void)
{
	return &null_blk_dev;
}

int null_blk_write_page(struct page *page, unsigned int req_flags)
{
	struct blk_segment seg = { .page = page, .offset = 0, .len = PAGE_SIZE };
	struct blk_request req = {
		.op = BLK_OP_WRITE, .flags = req_flags,
		.sector = (page->index * (PAGE_SIZE / SECTOR_SIZE)) &
			  ((1ULL << 31) - 1),
		.segs = &seg, .nr_segs = 1,
	};

	return blk_execute(&null_blk_dev, &req);
}
