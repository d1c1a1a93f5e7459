/*
 * fs/buffer.c - metadata through the block device's page cache
 * (fs/buffer.h).
 */
#include "fs/buffer.h"
#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vsprintf.h"
#include "kernel/printk.h"
#include "mm/kmalloc.h"
#include "mm/lru.h"

static unsigned int page_sectors(struct block_device *bdev, pgoff_t index)
{
	uint64_t first = (uint64_t)index << (PAGE_SHIFT - SECTOR_SHIFT);
	uint64_t left = bdev->nr_sectors > first ? bdev->nr_sectors - first : 0;

	return min(left, (uint64_t)(PAGE_SIZE >> SECTOR_SHIFT));
}

/*
 * Read or write page's sectors and wait (blk_execute): metadata I/O is
 * synchronous here (one page at a time, no allocation on the I/O path).
 * 0 or -errno, reported with the sector.
 */
static int bdev_page_io(struct page *page, enum blk_op op)
{
	struct bdev_cache *bc = page->mapping->host;
	unsigned int n = page_sectors(bc->bdev, page->index);
	struct blk_segment seg = { .page = page, .len = n * SECTOR_SIZE };
	struct blk_request req = {
		.op = op, .segs = &seg, .nr_segs = 1,
		.sector = (uint64_t)page->index << (PAGE_SHIFT - SECTOR_SHIFT),
	};
	int err;

	if (!n)
		return -EINVAL;
	if (n < PAGE_SIZE >> SECTOR_SHIFT && op == BLK_OP_READ)
		memset(page_address(page), 0, PAGE_SIZE);
	err = blk_execute(bc->bdev, &req);
	if (err)
		printk(KERN_ERR "buffer: %s: %s of sector %llu failed (%d)\n",
		       bc->name, op == BLK_OP_READ ? "read" : "write",
		       (unsigned long long)(req.status ? req.error_sector :
					    req.sector), err);
	return err;
}

static int bdev_read_folio(struct file *file, struct page *page)
{
	if (bdev_page_io(page, BLK_OP_READ))
		SetPageError(page);
	else
		SetPageUptodate(page);
	unlock_page_wake(page);
	return 0;
}

/*
 * page->private of a bdev page: which of its sectors bdev_write changed
 * (bit n: sector n of the page), so write-back writes those and no
 * others. The rest of the page may be a file's data block (1 KiB blocks
 * share a page with metadata), written through the file's own page cache:
 * writing the whole page would put back the stale copy cached here.
 */
static unsigned long sector_mask(unsigned int in, size_t n)
{
	unsigned int first = in >> SECTOR_SHIFT;
	unsigned int last = (unsigned int)((in + n - 1) >> SECTOR_SHIFT);

	return ((2UL << last) - 1) & ~((1UL << first) - 1);
}

/* At most one run of dirty sectors in two sectors of a page. */
#define BDEV_MAX_RUNS	((PAGE_SIZE >> SECTOR_SHIFT) / 2)

/* The write requests for the runs of dirty sectors in mask, one per run,
 * in req[] and seg[] (BDEV_MAX_RUNS each); how many. */
static unsigned int bdev_runs(struct page *page, unsigned long mask,
			      struct blk_request *req, struct blk_segment *seg)
{
	struct bdev_cache *bc = page->mapping->host;
	unsigned int n = page_sectors(bc->bdev, page->index), s = 0, nr = 0;

	while (s < n) {
		unsigned int e = s;

		if (!(mask & (1UL << s))) {
			s++;
			continue;
		}
		while (e < n && (mask & (1UL << e)))
			e++;
		seg[nr] = (struct blk_segment){ .page = page,
			.offset = s << SECTOR_SHIFT, .len = (e - s) << SECTOR_SHIFT };
		req[nr] = (struct blk_request){
			.op = BLK_OP_WRITE, .segs = &seg[nr], .nr_segs = 1,
			.sector = ((uint64_t)page->index <<
				   (PAGE_SHIFT - SECTOR_SHIFT)) + s,
		};
		nr++;
		s = e;
	}
	return nr;
}

static void bdev_write_failed(struct bdev_cache *bc,
			      const struct blk_request *req, int err)
{
	printk(KERN_ERR "buffer: %s: write of sector %llu failed (%d)\n",
	       bc->name, (unsigned long long)req->sector, err);
}

/* Write the runs of dirty sectors in mask and wait; 0 or the first
 * -errno. (The fallback of bdev_writepage when it has no memory.) */
static int bdev_write_sectors(struct page *page, unsigned long mask)
{
	struct bdev_cache *bc = page->mapping->host;
	struct blk_request req[BDEV_MAX_RUNS];
	struct blk_segment seg[BDEV_MAX_RUNS];
	unsigned int nr = bdev_runs(page, mask, req, seg);
	int err = 0;

	for (unsigned int i = 0; i < nr; i++) {
		int r = blk_execute(bc->bdev, &req[i]);

		if (r) {
			bdev_write_failed(bc, &req[i], r);
			if (!err)
				err = r;
		}
	}
	return err;
}

/*
 * The asynchronous write of one page's dirty sectors: the same requests,
 * completed in any order; the last completion ends the page's writeback.
 * The flusher so never sleeps behind the file data in flight for a
 * bitmap or an inode table page (half a second a page on the 8 MiB/s
 * benchmark disk), as Linux's buffer heads are written with submit_bh
 * and not waited for.
 */
struct bdev_wio {
	struct page *page;
	unsigned int pending;		/* requests not completed (atomic) */
	int err;			/* the first error */
	struct blk_request req[BDEV_MAX_RUNS];
	struct blk_segment seg[BDEV_MAX_RUNS];
};

/* Drop one count; the last ends the page's writeback (with the error,
 * if a request had one) and frees wio. */
static void bdev_wio_put(struct bdev_wio *wio)
{
	struct page *page = wio->page;

	if (__atomic_sub_fetch(&wio->pending, 1, __ATOMIC_ACQ_REL))
		return;
	if (wio->err) {
		SetPageError(page);
		mapping_set_error(page->mapping, wio->err);
	}
	end_page_writeback(page);
	kfree(wio);
}

static void bdev_wio_end_io(struct blk_request *req)
{
	struct bdev_wio *wio = req->private;

	if (req->status) {
		int none = 0;

		bdev_write_failed(wio->page->mapping->host, req, req->status);
		__atomic_compare_exchange_n(&wio->err, &none, req->status,
					    false, __ATOMIC_RELAXED,
					    __ATOMIC_RELAXED);
	}
	bdev_wio_put(wio);
}

/* Start the writes of the runs in mask; false if there was no memory
 * for them (nothing started). */
static bool bdev_write_sectors_async(struct page *page, unsigned long mask)
{
	struct bdev_cache *bc = page->mapping->host;
	struct bdev_wio *wio = kzalloc(sizeof(*wio), GFP_NOIO | __GFP_NOWARN);
	unsigned int nr;

	if (!wio)
		return false;
	wio->page = page;
	nr = bdev_runs(page, mask, wio->req, wio->seg);
	/* One count held while submitting, so no completion ends the
	 * page's writeback before every request is out. */
	wio->pending = nr + 1;
	for (unsigned int i = 0; i < nr; i++) {
		int r;

		wio->req[i].end_io = bdev_wio_end_io;
		wio->req[i].private = wio;
		r = blk_submit(bc->bdev, &wio->req[i]);
		if (r) {
			wio->req[i].status = r;
			bdev_wio_end_io(&wio->req[i]);
		}
	}
	bdev_wio_put(wio);		/* the count held while submitting */
	return true;
}

static int bdev_writepage(struct page *page, struct writeback_control *wbc)
{
	unsigned long mask = page->private;
	int err;

	page->private = 0;
	set_page_writeback(page);
	unlock_page_wake(page);
	if (bdev_write_sectors_async(page, mask))
		return 0;
	err = bdev_write_sectors(page, mask);
	if (err) {
		SetPageError(page);
		mapping_set_error(page->mapping, err);
	}
	end_page_writeback(page);
	return 0;
}

static void bdev_invalidate_folio(struct page *page)
{
	page->private = 0;
}

static const struct address_space_operations bdev_aops = {
	.read_folio = bdev_read_folio,
	.writepage = bdev_writepage,
	.invalidate_folio = bdev_invalidate_folio,
	/* page->private (the sectors bdev_write changed) is copied with
	 * the page; nothing else points at it. Its pages stay unmovable
	 * (GFP_KERNEL) all the same: compaction may still move them from
	 * a movable block a fallback put them in. */
	.migrate_folio = filemap_migrate_folio,
};

void bdev_cache_init(struct bdev_cache *bc, struct block_device *bdev,
		     pg_data_t *node)
{
	address_space_init(&bc->mapping, &bdev_aops, bc);
	bc->bdev = bdev;
	bc->mapping.wb = &bdev->bdi.wb;
	bc->mapping.node = node;
	bc->mapping.size = bdev->nr_sectors * SECTOR_SIZE;
	__atomic_fetch_or(&bc->mapping.flags, 1UL << AS_BDEV, __ATOMIC_RELAXED);
	ksnprintf(bc->name, sizeof(bc->name), "%s", bdev->name);
	bc->mapping.name = bc->name;
}

/*
 * A write of a whole page: the page, locked, filled from buf, uptodate,
 * without reading what it replaces. Measured: ext2 zeroes every new
 * indirect block (one per 4 MiB of a file with 4 KiB blocks) through
 * here, and reading the block first took 450 ms on the benchmark disk
 * (the read waited behind the 4 MiB of writes in flight) with the file
 * system's s_lock held, stalling every other writer of the disk: two
 * writers dirtied 14 MB/s where one dirtied 125. NULL: no memory.
 */
static struct page *bdev_fill_page(struct bdev_cache *bc, pgoff_t index,
				   const void *buf)
{
	struct page *page = find_or_create_page(&bc->mapping, index,
						GFP_KERNEL);

	if (!page)
		return NULL;
	memcpy(page_address(page), buf, PAGE_SIZE);
	if (!PageUptodate(page))
		SetPageUptodate(page);
	return page;
}

/* Copy between buf and the disk's bytes [off, off + len), page by page;
 * write: into locked pages, marking them dirty (a whole page is not read
 * first: bdev_fill_page). */
static int bdev_copy(struct bdev_cache *bc, uint64_t off, void *buf,
		     size_t len, bool write)
{
	if (off > (uint64_t)bc->mapping.size ||
	    len > (uint64_t)bc->mapping.size - off)
		return -EINVAL;
	if (write && bc->bdev->read_only)
		return -EROFS;
	while (len) {
		unsigned int in = off & (PAGE_SIZE - 1);
		size_t n = min(len, (size_t)(PAGE_SIZE - in));
		struct page *page;
		char *mem;

		if (write && n == PAGE_SIZE) {
			page = bdev_fill_page(bc, off >> PAGE_SHIFT, buf);
			if (!page)
				return -ENOMEM;
			page->private |= sector_mask(0, PAGE_SIZE);
			set_page_dirty(page);
			unlock_page_wake(page);
			put_page(page);
			buf = (char *)buf + n;
			off += n;
			len -= n;
			continue;
		}
		page = read_mapping_page(&bc->mapping, off >> PAGE_SHIFT, NULL);
		if (IS_ERR(page))
			return PTR_ERR(page);
		mem = (char *)page_address(page) + in;
		if (write) {
			lock_page(page);
			if (page->mapping != &bc->mapping) {	/* reclaimed */
				unlock_page_wake(page);
				put_page(page);
				continue;
			}
			/*
			 * No wait for a write-back in flight (Linux's buffer
			 * cache does not wait either, unless the device needs
			 * stable pages): the page is dirtied again below, so
			 * the next pass writes what we store now, whatever
			 * this one took. Waiting made every block allocation
			 * queue behind the file data in flight on the disk
			 * (half a second on the 8 MiB/s benchmark disk): the
			 * writer then crawled at the disk's speed, never
			 * throttled, with dirty memory stuck at the
			 * background threshold.
			 */
			memcpy(mem, buf, n);
			page->private |= sector_mask(in, n);
			set_page_dirty(page);
			unlock_page_wake(page);
		} else {
			memcpy(buf, mem, n);
		}
		put_page(page);
		buf = (char *)buf + n;
		off += n;
		len -= n;
	}
	return 0;
}

int bdev_read(struct bdev_cache *bc, uint64_t off, void *buf, size_t len)
{
	return bdev_copy(bc, off, buf, len, false);
}

int bdev_write(struct bdev_cache *bc, uint64_t off, const void *buf,
	       size_t len)
{
	return bdev_copy(bc, off, (void *)buf, len, true);
}

int bdev_sync(struct bdev_cache *bc)
{
	int err = filemap_write_and_wait(&bc->mapping);
	int ferr = bc->bdev->has_flush ? blk_flush(bc->bdev) : 0;

	return err ?: ferr;
}

void bdev_forget(struct bdev_cache *bc, uint64_t off, size_t len)
{
	while (len && off < (uint64_t)bc->mapping.size) {
		unsigned int in = off & (PAGE_SIZE - 1);
		size_t n = min(len, (size_t)(PAGE_SIZE - in));
		struct page *page = find_lock_page(&bc->mapping,
						   off >> PAGE_SHIFT);

		if (page) {
			wait_on_page_writeback(page);
			page->private &= ~sector_mask(in, n);
			unlock_page_wake(page);
			put_page(page);
		}
		off += n;
		len -= n;
	}
}

void bdev_cache_release(struct bdev_cache *bc)
{
	truncate_inode_pages(&bc->mapping, 0);
	mapping_forget_dirty(&bc->mapping);
	xa_destroy(&bc->mapping.i_pages);	/* its empty nodes */
}
