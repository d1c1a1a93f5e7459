/*
 * tests/host/blkfile.c - a block device over a host file (blkfile.h).
 */
#include "tests/host/blkfile.h"
#include "tests/host/host.h"
#include "kernel/lib/string.h"
#include "mm/page_alloc.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

static struct list_head open_files = LIST_HEAD_INIT(open_files);

/* Do req on the file: 0 or -EIO. */
static int do_io(struct blkfile *bf, struct blk_request *req)
{
	uint64_t pos = req->sector * SECTOR_SIZE, bytes = 0;

	if (req->op == BLK_OP_FLUSH)
		return fsync(bf->fd) ? -EIO : 0;
	for (unsigned int i = 0; i < req->nr_segs; i++)
		bytes += req->segs[i].len;
	if (bf->fail_sector >= req->sector &&
	    bf->fail_sector < req->sector + bytes / SECTOR_SIZE)
		return -EIO;
	for (unsigned int i = 0; i < req->nr_segs; i++) {
		struct blk_segment *s = &req->segs[i];
		char *mem = (char *)page_address(s->page) + s->offset;
		ssize_t n = req->op == BLK_OP_READ ?
			    pread(bf->fd, mem, s->len, pos) :
			    pwrite(bf->fd, mem, s->len, pos);

		if (n != (ssize_t)s->len)
			return -EIO;
		pos += s->len;
	}
	return 0;
}

static int blkfile_submit(struct block_device *bdev, struct blk_request *req)
{
	struct blkfile *bf = container_of(bdev, struct blkfile, bdev);

	if (bf->queued) {
		list_add_tail(&req->queue, &bf->pending);
		return 0;
	}
	blk_complete(bdev, req, do_io(bf, req));
	return 0;
}

static void blkfile_poll(struct block_device *bdev)
{
	struct blkfile *bf = container_of(bdev, struct blkfile, bdev);

	while (!list_empty(&bf->pending)) {
		struct blk_request *req = list_entry(bf->pending.next,
						     struct blk_request, queue);

		list_del(&req->queue);
		blk_complete(bdev, req, do_io(bf, req));
	}
}

static const struct block_device_ops blkfile_ops = {
	.submit = blkfile_submit,
	.poll = blkfile_poll,
};

bool blkfile_complete_all(void)
{
	struct blkfile *bf;
	bool any = false;

	list_for_each_entry(bf, &open_files, link) {
		any |= !list_empty(&bf->pending);
		blkfile_poll(&bf->bdev);
	}
	return any;
}

int blkfile_open(struct blkfile *bf, const char *path, const char *name,
		 bool queued)
{
	struct stat st;

	memset(bf, 0, sizeof(*bf));
	bf->fd = open(path, O_RDWR);
	if (bf->fd < 0 || fstat(bf->fd, &st))
		return -ENOENT;
	memcpy(bf->bdev.name, name, min(strlen(name), sizeof(bf->bdev.name) - 1));
	bf->bdev.nr_sectors = st.st_size / SECTOR_SIZE;
	bf->bdev.queue_depth = 32;
	bf->bdev.max_segments = 64;
	bf->bdev.has_flush = true;
	bf->bdev.ops = &blkfile_ops;
	bf->queued = queued;
	bf->fail_sector = ~0ULL;
	INIT_LIST_HEAD(&bf->pending);
	list_add_tail(&bf->link, &open_files);
	blk_register(&bf->bdev);
	host_set_idle_work(blkfile_complete_all);
	return 0;
}

void blkfile_close(struct blkfile *bf)
{
	blkfile_poll(&bf->bdev);
	bdi_unregister(&bf->bdev.bdi);
	list_del(&bf->link);
	close(bf->fd);
	bf->fd = -1;
}
