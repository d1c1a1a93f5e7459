/*
 * fs/ext2/file.c - an ext2 file's data through the page cache
 * (mm/filemap.h): the address_space_operations that map a page's blocks
 * with the block map and move them with the block layer, and the file
 * and inode operations of a regular file. docs/fs/ext2.md, "In the
 * kernel".
 *
 * A 4 KiB page holds 1, 2 or 4 blocks. A read maps each (ext2_bmap: a
 * hole or a block past the end of the file is zeros), and the blocks that
 * follow each other on the disk, in this page and the next ones of a
 * readahead batch, go in one request (blk_submit, completed in end_io,
 * where the page is unlocked). A write allocates its blocks in
 * write_begin, so -ENOSPC reaches the writer before anything is copied;
 * write-back allocates only what a mapped store left as a hole, and
 * writes the dirty pages whose blocks follow each other on the disk in
 * one request (writepages), ended in end_io as reads are.
 */
#include "fs/ext2/internal.h"
#include "kernel/lib/string.h"
#include "kernel/printk.h"
#include "kernel/wait.h"
#include "mm/kmalloc.h"
#include "mm/lru.h"
#include "mm/page_alloc.h"

#define EXT2_MAX_PAGE_BLOCKS	(PAGE_SIZE >> EXT2_MIN_BLOCK_LOG)
#define EXT2_READ_SEGS		32	/* segments of one read request */

static struct inode *mapping_inode(struct address_space *mapping)
{
	return mapping->host;
}

/* ---------------------------------------------------------------- read */

/* One read request in flight and the page pieces it fills. */
struct ext2_rio {
	struct blk_request req;
	struct ext2_mount *m;
	unsigned int nr;
	struct blk_segment segs[];
};

/*
 * While a page is read, page->private counts the pieces still to come
 * (plus one held by the reader until every piece is submitted); the last
 * one makes it uptodate (or leaves PG_error) and unlocks it.
 */
static void page_piece_done(struct page *page)
{
	if (__atomic_sub_fetch(&page->private, 1, __ATOMIC_ACQ_REL))
		return;
	if (!PageError(page))
		SetPageUptodate(page);
	unlock_page_wake(page);
}

/* May run in interrupt context. */
static void rio_end_io(struct blk_request *req)
{
	struct ext2_rio *rio = container_of(req, struct ext2_rio, req);

	if (req->status)
		pr_err("ext2: %s: read of sector %llu failed (%d)\n",
		       rio->m->sbi.id, (unsigned long long)req->error_sector,
		       req->status);
	for (unsigned int i = 0; i < req->nr_segs; i++) {
		if (req->status)
			SetPageError(rio->segs[i].page);
		page_piece_done(rio->segs[i].page);
	}
	kfree(rio);
}

struct rio_builder {
	struct ext2_mount *m;
	struct block_device *bdev;
	struct ext2_rio *rio;		/* being filled */
	uint64_t next;			/* the sector after it */
	unsigned int max;		/* segments per request */
};

static void rio_submit(struct rio_builder *b)
{
	struct ext2_rio *rio = b->rio;

	if (!rio)
		return;
	b->rio = NULL;
	rio->req.nr_segs = rio->nr;
	if (blk_submit(b->bdev, &rio->req)) {
		rio->req.status = -EIO;
		rio->req.error_sector = rio->req.sector;
		rio_end_io(&rio->req);
	}
}

/* Read block pblk into page at off: appended to the request being built
 * if it follows on the disk, else in a new one. */
static void rio_add(struct rio_builder *b, struct page *page,
		    unsigned int off, uint32_t pblk)
{
	unsigned int bits = b->m->sbi.block_bits, len = 1U << bits;
	uint64_t sector = (uint64_t)pblk << (bits - SECTOR_SHIFT);
	struct ext2_rio *rio = b->rio;

	if (rio && sector == b->next) {
		struct blk_segment *last = &rio->segs[rio->nr - 1];

		b->next += len >> SECTOR_SHIFT;
		if (last->page == page && last->offset + last->len == off) {
			last->len += len;
			return;
		}
		if (rio->nr < b->max) {
			rio->segs[rio->nr++] = (struct blk_segment){
				.page = page, .offset = off, .len = len };
			__atomic_add_fetch(&page->private, 1, __ATOMIC_RELAXED);
			return;
		}
	}
	rio_submit(b);
	rio = kzalloc(sizeof(*rio) + b->max * sizeof(struct blk_segment),
		      GFP_KERNEL | __GFP_NOWARN);
	if (!rio) {
		/* No memory for a request: read this block now, waiting. */
		struct blk_segment seg = { .page = page, .offset = off,
					   .len = len };
		struct blk_request req = { .op = BLK_OP_READ, .segs = &seg,
					   .nr_segs = 1, .sector = sector };

		if (blk_execute(b->bdev, &req)) {
			pr_err("ext2: %s: read of sector %llu failed\n",
			       b->m->sbi.id, (unsigned long long)sector);
			SetPageError(page);
		}
		return;
	}
	rio->m = b->m;
	rio->req.op = BLK_OP_READ;
	rio->req.sector = sector;
	rio->req.segs = rio->segs;
	rio->req.end_io = rio_end_io;
	rio->segs[0] = (struct blk_segment){ .page = page, .offset = off,
					     .len = len };
	rio->nr = 1;
	__atomic_add_fetch(&page->private, 1, __ATOMIC_RELAXED);
	b->rio = rio;
	b->next = sector + (len >> SECTOR_SHIFT);
}

/*
 * Start reading page (locked, page->private holding the reader's count):
 * blocks past the end of the file and holes are zeroed here, the others
 * added to the request being built. A bad block pointer is PG_error
 * (-EIO to the reader) with the reason printed.
 */
static void read_page_blocks(struct rio_builder *b, struct inode *inode,
			     struct page *page)
{
	struct ext2_mount *m = b->m;
	struct ext2_inode_info *ei = EXT2_I(inode);
	unsigned int bits = m->sbi.block_bits;
	unsigned int per = PAGE_SIZE >> bits;
	uint64_t first = (uint64_t)page->index << (PAGE_SHIFT - bits);
	uint64_t end = DIV_ROUND_UP((uint64_t)i_size_read(inode),
				    m->sbi.block_size);
	uint32_t pblk[EXT2_MAX_PAGE_BLOCKS] = { 0 };
	int r = 0;

	mutex_lock(&inode->i_sb->s_lock);
	for (unsigned int i = 0; i < per && first + i < end && !r; i++)
		r = ext2_bmap(&m->sbi, inode->i_ino, &ei->raw, first + i,
			      &pblk[i], m->err, sizeof(m->err));
	if (r && !ei->read_error_reported) {
		ei->read_error_reported = true;	/* once: readahead retries */
		ext2_report(m, r);
	}
	m->err[0] = '\0';
	mutex_unlock(&inode->i_sb->s_lock);
	if (r) {
		SetPageError(page);
		return;
	}
	for (unsigned int i = 0; i < per; i++) {
		if (pblk[i])
			rio_add(b, page, i << bits, pblk[i]);
		else
			memset((char *)page_address(page) + (i << bits), 0,
			       1U << bits);
	}
}

static void rio_init(struct rio_builder *b, struct inode *inode)
{
	struct super_block *sb = inode->i_sb;

	b->m = EXT2_SB(sb);
	b->bdev = sb->s_bdev;
	b->rio = NULL;
	b->next = 0;
	b->max = min(sb->s_bdev->max_segments, (unsigned int)EXT2_READ_SEGS);
	if (!b->max)
		b->max = 1;
}

static int ext2_read_folio(struct file *file, struct page *page)
{
	struct inode *inode = mapping_inode(page->mapping);
	struct rio_builder b;

	(void)file;
	rio_init(&b, inode);
	ClearPageError(page);
	page->private = 1;
	read_page_blocks(&b, inode, page);
	rio_submit(&b);
	page_piece_done(page);
	return 0;
}

/* Readahead: the batch's pages in as few requests as the disk layout
 * allows, none waited for. */
static void ext2_readahead(struct address_space *mapping, struct page **pages,
			   unsigned int nr)
{
	struct inode *inode = mapping_inode(mapping);
	struct rio_builder b;

	rio_init(&b, inode);
	for (unsigned int i = 0; i < nr; i++) {
		ClearPageError(pages[i]);
		pages[i]->private = 1;
		read_page_blocks(&b, inode, pages[i]);
	}
	rio_submit(&b);
	for (unsigned int i = 0; i < nr; i++)
		page_piece_done(pages[i]);
}

/* --------------------------------------------------------------- write */

/*
 * Give file blocks [first, first + nr) of inode disk blocks (allocating
 * holes) into pblk[], under s_lock; the disk size grows to at least
 * new_size. A block that was free before may still have metadata changes
 * cached in the block device's cache: they are forgotten (bdev_forget),
 * the block is data now. On an error, blocks allocated past the size on
 * the disk are given back. 0 or -errno (-ENOSPC, -EUCLEAN, -EIO, -EROFS).
 */
static int map_blocks(struct inode *inode, uint64_t first, unsigned int nr,
		      uint32_t *pblk, uint64_t new_size)
{
	struct super_block *sb = inode->i_sb;
	struct ext2_mount *m = EXT2_SB(sb);
	struct ext2_inode *raw = &EXT2_I(inode)->raw;
	uint32_t blocks = raw->i_blocks;
	uint64_t size = ext2_isize(raw);
	bool changed = false;
	int r = 0;

	if (!m->sbi.write)
		return -EROFS;
	mutex_lock(&sb->s_lock);
	for (unsigned int i = 0; i < nr && !r; i++) {
		bool new = false;

		r = ext2_get_block(&m->sbi, inode->i_ino, raw, first + i,
				   &pblk[i], &new, m->err, sizeof(m->err));
		if (!r && new)
			bdev_forget(&m->bc, (uint64_t)pblk[i] <<
				    m->sbi.block_bits, m->sbi.block_size);
	}
	changed = raw->i_blocks != blocks;
	if (r && changed) {
		/* Nothing past the size on the disk may stay allocated. */
		char e2[8];

		ext2_truncate_blocks(&m->sbi, inode->i_ino, raw,
				     DIV_ROUND_UP(size, m->sbi.block_size),
				     e2, sizeof(e2));
	}
	if (!r && new_size > size) {
		raw->i_size = (uint32_t)new_size;
		raw->i_size_high = (uint32_t)(new_size >> 32);
		changed = true;
	}
	if (changed) {
		int w = ext2_write_inode_raw(&m->sbi, inode->i_ino, raw,
					     false);

		if (!r)
			r = w;
		inode->i_blocks = raw->i_blocks;
	}
	if (r != -ENOSPC)
		ext2_report(m, r);
	m->err[0] = '\0';
	mutex_unlock(&sb->s_lock);
	return r;
}

/*
 * A buffered write of [pos, pos + len) (one page): the page (read first
 * if the write covers only part of it), then its blocks allocated and the
 * size on the disk moved, so a full disk is -ENOSPC here, before any
 * byte is copied (generic_perform_write then returns what it wrote).
 */
static int ext2_write_begin(struct file *file, struct address_space *mapping,
			    loff_t pos, unsigned int len, struct page **pagep)
{
	struct inode *inode = mapping_inode(mapping);
	unsigned int bits = inode->i_sb->s_blocksize_bits;
	uint64_t first = (uint64_t)pos >> bits;
	uint64_t last = (uint64_t)(pos + len - 1) >> bits;
	uint32_t pblk[EXT2_MAX_PAGE_BLOCKS];
	struct page *page;
	int r;

	r = simple_write_begin(file, mapping, pos, len, &page);
	if (r)
		return r;
	r = map_blocks(inode, first, (unsigned int)(last - first + 1), pblk,
		       (uint64_t)(pos + len));
	if (r) {
		unlock_page_wake(page);
		put_page(page);
		return r;
	}
	*pagep = page;
	return 0;
}

/*
 * Write-back. A page's blocks inside the file are mapped (holes a shared
 * mapping filled are allocated; the blocks of the next pages are looked
 * up at the same time, see EXT2_WB_AHEAD) and the part of the last page past the
 * end of the file zeroed (prepare_page_write); then each run of blocks
 * that follow each other on the disk is added to the write request being
 * built, which grows across pages while the disk blocks go on following
 * each other (Linux's mpage_writepages), up to EXT2_WB_MAX_BYTES or the
 * disk's segments. A request is submitted (blk_submit, not waited for)
 * when the next run does not follow it, when it is full, and at the end
 * of the pass; its end_io ends the writeback of its pages. As for reads,
 * page->private counts a page's pieces in flight (plus one held while
 * the page is being added): with 1 KiB blocks a page's blocks may lie in
 * several requests, and the last one to complete ends the writeback.
 *
 * Pages in flight are bounded per mount (one mount per disk) by
 * EXT2_WB_INFLIGHT bytes: a pass that would start a request beyond it
 * waits for completions first, so the flusher turns dirty pages into
 * writeback only as fast as the disk takes them (Linux bounds it with the
 * request queue's nr_requests). 2 MiB, a quarter second of the 8 MiB/s
 * disk of issue 15's benchmark: QEMU's throttle sometimes completes
 * nothing for ~300 ms and then everything in flight at once, and the
 * pool of dirty+writeback pages drops by that much in one 100 ms sample;
 * with 4 MiB (4.7% of the setpoint) a sample fell 2-3% below it. No
 * request memory: the run is written at once with blk_execute, so
 * write-back always makes progress.
 */
#define EXT2_WB_MAX_BYTES	(1U << 20)	/* one write request */
#define EXT2_WB_MAX_SEG		(64U << 10)	/* one segment (swiotlb) */
#define EXT2_WB_INFLIGHT	(2UL << 20)	/* a mount's writes in flight */

unsigned int ext2_wb_fail_alloc;
void (*ext2_wb_page_hook)(struct page *page);

/* One write request in flight and the pages it writes. */
struct ext2_wio {
	struct blk_request req;
	struct ext2_mount *m;
	struct address_space *mapping;
	unsigned long ino;
	unsigned int nr, bytes;
	struct blk_segment segs[];
};

/*
 * Blocks looked up ahead, under one s_lock hold, for the pages a pass
 * writes next. Without it the flusher took s_lock for every page, and a
 * writer takes it for every page it dirties: the two handed the mutex to
 * each other page by page (each hand-off a sleep and a wake-up), ~0.6
 * context switches a page for the flusher (issue 15's fast disk, 21000
 * pages/s). Only blocks that exist are kept (a hole is allocated under
 * s_lock when its page is written, as before). A block, once a file's,
 * stays at its place until ext2_truncate_blocks frees it, which bumps
 * truncate_gen: the numbers are used only while it has not moved. A page
 * truncated meanwhile is not written at all (truncate_pagecache takes
 * each page's lock and waits for its write-back before setsize frees the
 * blocks), and a page created again after a truncate is found after the
 * bump, so it is looked up afresh.
 */
#define EXT2_WB_AHEAD		64	/* blocks looked up at once */

struct wio_builder {
	struct ext2_mount *m;
	struct block_device *bdev;
	struct address_space *mapping;
	struct ext2_wio *wio;		/* being filled */
	uint64_t next;			/* the sector after it */
	unsigned int max;		/* segments per request */
	uint64_t ahead_first;		/* file block of ahead[0] */
	unsigned int ahead_nr;		/* blocks in ahead[] */
	unsigned long ahead_gen;	/* truncate_gen when looked up */
	uint32_t ahead[EXT2_WB_AHEAD];	/* their disk blocks, none 0 */
};

/* One piece of page written (or failed: PG_error set before): the last
 * one ends its writeback. Any context. */
static void page_wpiece_done(struct page *page)
{
	if (!__atomic_sub_fetch(&page->private, 1, __ATOMIC_ACQ_REL))
		end_page_writeback(page);
}

/* One line a failed request: the file, its first page, the blocks and
 * where on the disk they start. */
static void wb_report(struct ext2_mount *m, unsigned long ino, pgoff_t index,
		      uint64_t sector, unsigned int bytes, int err)
{
	unsigned int shift = m->sbi.block_bits - SECTOR_SHIFT;

	pr_err("ext2: %s: inode %lu: write-back of page %lu failed (%d): "
	       "blocks %llu-%llu, sector %llu\n", m->sbi.id, ino, index, err,
	       (unsigned long long)(sector >> shift),
	       (unsigned long long)((sector >> shift) +
				    (bytes >> m->sbi.block_bits) - 1),
	       (unsigned long long)sector);
}

/* The pages a segment covers (it may run over contiguous page frames):
 * each holds one piece of it. */
static unsigned int seg_pages(const struct blk_segment *seg)
{
	return DIV_ROUND_UP(seg->offset + seg->len, (unsigned int)PAGE_SIZE);
}

static struct page *seg_page(const struct blk_segment *seg, unsigned int k)
{
	return k ? pfn_to_page(page_to_pfn(seg->page) + k) : seg->page;
}

/*
 * May run in interrupt context (spinlocks only: end_page_writeback's
 * contract). Everything that needs the mount or the mapping is done
 * before the first page's writeback ends: an unmount or evict waiting
 * for it may free them the moment the last one does.
 */
static void wio_end_io(struct blk_request *req)
{
	struct ext2_wio *wio = container_of(req, struct ext2_wio, req);
	struct ext2_mount *m = wio->m;
	struct blk_segment *seg;

	if (req->status) {
		wb_report(m, wio->ino, wio->segs[0].page->index, req->sector,
			  wio->bytes, req->status);
		mapping_set_error(wio->mapping, req->status);
		for (seg = wio->segs; seg < wio->segs + wio->nr; seg++)
			for (unsigned int k = 0; k < seg_pages(seg); k++)
				SetPageError(seg_page(seg, k));
	}
	__atomic_sub_fetch(&m->wb_inflight, wio->bytes, __ATOMIC_RELEASE);
	wake_up(&m->wb_wait);
	for (seg = wio->segs; seg < wio->segs + wio->nr; seg++)
		for (unsigned int k = 0; k < seg_pages(seg); k++)
			page_wpiece_done(seg_page(seg, k));
	kfree(wio);
}

static void wio_submit(struct wio_builder *b)
{
	struct ext2_wio *wio = b->wio;
	int r;

	if (!wio)
		return;
	b->wio = NULL;
	wio->req.nr_segs = wio->nr;
	__atomic_add_fetch(&b->m->wb_inflight, wio->bytes, __ATOMIC_RELAXED);
	r = blk_submit(b->bdev, &wio->req);
	if (r) {
		wio->req.status = r;
		wio_end_io(&wio->req);
	}
}

/* Can [page + off, len) extend the request's last segment in memory?
 * True if it did; *new_page if it starts a page the segment did not
 * cover yet. */
static bool seg_extend(struct blk_segment *last, struct page *page,
		       unsigned int off, unsigned int len, bool *new_page)
{
	unsigned int end = last->offset + last->len;

	if (last->len + len > EXT2_WB_MAX_SEG)
		return false;
	if (end <= PAGE_SIZE && last->page == page && end == off) {
		*new_page = false;
	} else if (!off && !(end & (PAGE_SIZE - 1)) &&
		   page_to_pfn(page) == page_to_pfn(last->page) +
					end / PAGE_SIZE) {
		*new_page = true;	/* the next page frame in memory */
	} else {
		return false;
	}
	last->len += len;
	return true;
}

/* Write disk blocks [pblk, pblk + nblk) from page at off (under
 * writeback, holding a piece count): appended to the request being built
 * if they follow it on the disk and it has room, else in a new one. */
static void wio_add(struct wio_builder *b, struct page *page,
		    unsigned int off, uint32_t pblk, unsigned int nblk)
{
	struct ext2_mount *m = b->m;
	unsigned int bits = m->sbi.block_bits, len = nblk << bits;
	uint64_t sector = (uint64_t)pblk << (bits - SECTOR_SHIFT);
	struct ext2_wio *wio = b->wio;
	bool new_page;

	if (wio && sector == b->next && wio->bytes + len <= EXT2_WB_MAX_BYTES) {
		if (seg_extend(&wio->segs[wio->nr - 1], page, off, len,
			       &new_page)) {
			if (new_page)
				__atomic_add_fetch(&page->private, 1,
						   __ATOMIC_RELAXED);
			goto added;
		}
		if (wio->nr < b->max) {
			wio->segs[wio->nr++] = (struct blk_segment){
				.page = page, .offset = off, .len = len };
			__atomic_add_fetch(&page->private, 1, __ATOMIC_RELAXED);
			goto added;
		}
	}
	wio_submit(b);
	/* Nothing of ours is unsubmitted now: wait for room, then take
	 * memory that reclaim cannot get back by writing (GFP_NOIO). */
	if (READ_ONCE(m->wb_inflight) >= EXT2_WB_INFLIGHT)
		wait_event(m->wb_wait,
			   READ_ONCE(m->wb_inflight) < EXT2_WB_INFLIGHT);
	if (ext2_wb_fail_alloc) {
		ext2_wb_fail_alloc--;
		wio = NULL;
	} else {
		wio = kzalloc(sizeof(*wio) +
			      b->max * sizeof(struct blk_segment),
			      GFP_NOIO | __GFP_NOWARN);
	}
	if (!wio) {
		struct blk_segment seg = { .page = page, .offset = off,
					   .len = len };
		struct blk_request req = { .op = BLK_OP_WRITE, .segs = &seg,
					   .nr_segs = 1, .sector = sector };
		int r = blk_execute(b->bdev, &req);

		if (r) {
			wb_report(m, mapping_inode(b->mapping)->i_ino,
				  page->index, sector, len, r);
			mapping_set_error(b->mapping, r);
			SetPageError(page);
		}
		return;
	}
	wio->m = m;
	wio->mapping = b->mapping;
	wio->ino = mapping_inode(b->mapping)->i_ino;
	wio->req.op = BLK_OP_WRITE;
	wio->req.sector = sector;
	wio->req.segs = wio->segs;
	wio->req.end_io = wio_end_io;
	wio->segs[0] = (struct blk_segment){ .page = page, .offset = off,
					     .len = len };
	wio->nr = 1;
	__atomic_add_fetch(&page->private, 1, __ATOMIC_RELAXED);
	b->wio = wio;
	b->next = sector;
added:
	wio->bytes += len;
	b->next += len >> SECTOR_SHIFT;
}

/* Fill b->ahead with the blocks from file block first on, up to a hole,
 * the last block of the file or EXT2_WB_AHEAD. */
static void look_ahead(struct wio_builder *b, struct inode *inode,
		       uint64_t first, uint64_t end)
{
	struct ext2_mount *m = b->m;
	struct ext2_inode_info *ei = EXT2_I(inode);
	char err[8];

	b->ahead_first = first;
	b->ahead_nr = 0;
	mutex_lock(&inode->i_sb->s_lock);
	b->ahead_gen = READ_ONCE(m->sbi.truncate_gen);
	while (b->ahead_nr < EXT2_WB_AHEAD && first + b->ahead_nr < end) {
		uint32_t blk;

		/* An error (a bad block map) is reported when the page
		 * itself is mapped; here it only ends the look-ahead. */
		if (ext2_bmap(&m->sbi, inode->i_ino, &ei->raw,
			      first + b->ahead_nr, &blk, err, sizeof(err)) ||
		    !blk)
			break;
		b->ahead[b->ahead_nr++] = blk;
	}
	mutex_unlock(&inode->i_sb->s_lock);
}

/* pblk[0..nr) from b->ahead, if they are all there and still valid. */
static bool ahead_has(const struct wio_builder *b, uint64_t first,
		      unsigned int nr, uint32_t *pblk)
{
	if (first < b->ahead_first ||
	    first + nr > b->ahead_first + b->ahead_nr ||
	    READ_ONCE(b->m->sbi.truncate_gen) != b->ahead_gen)
		return false;
	for (unsigned int i = 0; i < nr; i++)
		pblk[i] = b->ahead[first - b->ahead_first + i];
	return true;
}

/*
 * For writing page (locked) through b: map its blocks inside the file
 * into pblk[] (from b's look-ahead if it has them, else under s_lock,
 * allocating holes a shared mapping filled, and looking up the next
 * pages' blocks) and zero the part past the end of the file, so the disk
 * never gets what a mapping left there.
 * The blocks to write (0: the page is past the end, truncated meanwhile)
 * or -errno (nothing started).
 */
static int prepare_page_write(struct wio_builder *b, struct page *page,
			      uint32_t *pblk)
{
	struct inode *inode = mapping_inode(page->mapping);
	unsigned int bits = inode->i_sb->s_blocksize_bits;
	loff_t size = i_size_read(inode);
	loff_t start = (loff_t)page->index << PAGE_SHIFT;
	uint64_t first = (uint64_t)page->index << (PAGE_SHIFT - bits);
	uint64_t end = DIV_ROUND_UP((uint64_t)size, 1ULL << bits);
	unsigned int nr;
	int r;

	if (start >= size)
		return 0;
	nr = (unsigned int)min((uint64_t)(PAGE_SIZE >> bits), end - first);
	if (ext2_wb_page_hook)
		ext2_wb_page_hook(page);
	if (!ahead_has(b, first, nr, pblk)) {
		b->m->wb_lookups++;	/* a statistic: racy is fine */
		r = map_blocks(inode, first, nr, pblk, 0);
		if (r)
			return r;
		look_ahead(b, inode, first + nr, end);
	}
	if (size - start < (loff_t)PAGE_SIZE)
		memset((char *)page_address(page) + (size - start), 0,
		       (size_t)(PAGE_SIZE - (size - start)));
	return (int)nr;
}

/* Start writing page (locked, dirty bit cleared) through b: under
 * writeback and unlocked on 0; -errno with it still locked. */
static int write_page(struct page *page, struct writeback_control *wbc,
		      void *data)
{
	struct wio_builder *b = data;
	unsigned int bits = b->m->sbi.block_bits;
	uint32_t pblk[EXT2_MAX_PAGE_BLOCKS];
	int nr = prepare_page_write(b, page, pblk);

	(void)wbc;
	if (nr < 0)
		return nr;		/* still locked: do_writepages redirties */
	ClearPageError(page);
	set_page_writeback(page);
	page->private = 1;		/* ours until every run is added */
	unlock_page_wake(page);
	for (int i = 0; i < nr;) {
		int j = i + 1;

		while (j < nr && pblk[j] == pblk[j - 1] + 1)
			j++;
		wio_add(b, page, (unsigned int)i << bits, pblk[i],
			(unsigned int)(j - i));
		i = j;
	}
	page_wpiece_done(page);
	return 0;
}

static void wio_init(struct wio_builder *b, struct address_space *mapping)
{
	struct super_block *sb = mapping_inode(mapping)->i_sb;

	b->m = EXT2_SB(sb);
	b->bdev = sb->s_bdev;
	b->mapping = mapping;
	b->wio = NULL;
	b->next = 0;
	b->max = min(sb->s_bdev->max_segments,
		     EXT2_WB_MAX_BYTES / (unsigned int)PAGE_SIZE);
	if (!b->max)
		b->max = 1;
	b->ahead_first = 0;
	b->ahead_nr = 0;
	b->ahead_gen = 0;
}

/* One page (the a_ops contract's single-page write; do_writepages uses
 * writepages): the same code, its runs submitted at once, not waited
 * for. */
static int ext2_writepage(struct page *page, struct writeback_control *wbc)
{
	struct wio_builder b;
	int r;

	wio_init(&b, page->mapping);
	r = write_page(page, wbc, &b);
	wio_submit(&b);
	return r;
}

/* What wbc asks of mapping, in requests as large as the disk layout
 * allows; a WB_SYNC_ALL caller waits for PG_writeback afterwards
 * (filemap_fdatawait_range). */
static int ext2_writepages(struct address_space *mapping,
			   struct writeback_control *wbc)
{
	struct wio_builder b;
	int r;

	wio_init(&b, mapping);
	r = write_cache_pages(mapping, wbc, write_page, &b);
	wio_submit(&b);
	return r;
}

const struct address_space_operations ext2_aops = {
	.read_folio = ext2_read_folio,
	.readahead = ext2_readahead,
	.writepage = ext2_writepage,
	.writepages = ext2_writepages,
	.write_begin = ext2_write_begin,
	.write_end = simple_write_end,
	.migrate_folio = filemap_migrate_folio,
};

/* ---------------------------------------------------------- truncation */

/*
 * truncate/ftruncate (the VFS holds i_rwsem and has shrunk the page
 * cache): the blocks past the new end freed, the size on the disk set,
 * and the rest of the new last block zeroed through the page cache (so a
 * later grow reads zeros there, and the block device's cache never holds
 * a file's data). Growing leaves a hole.
 */
static int ext2_setsize(struct inode *inode, loff_t size)
{
	struct super_block *sb = inode->i_sb;
	struct ext2_mount *m = EXT2_SB(sb);
	struct ext2_inode *raw = &EXT2_I(inode)->raw;
	uint64_t old;
	int r = 0;

	if (!m->sbi.write)
		return -EROFS;
	if ((uint64_t)size > ext2_max_size(&m->sbi))
		return -EFBIG;
	mutex_lock(&sb->s_lock);
	old = ext2_isize(raw);
	if ((uint64_t)size < old)
		r = ext2_truncate_blocks(&m->sbi, inode->i_ino, raw,
					 DIV_ROUND_UP((uint64_t)size,
						      m->sbi.block_size),
					 m->err, sizeof(m->err));
	if (!r) {
		raw->i_size = (uint32_t)size;
		raw->i_size_high = (uint32_t)((uint64_t)size >> 32);
		raw->i_mtime = raw->i_ctime = (uint32_t)current_time_sec();
	}
	/* Written even after an error: the blocks freed are gone. */
	{
		int w = ext2_write_inode_raw(&m->sbi, inode->i_ino, raw, false);

		if (!r)
			r = w;
	}
	ext2_report(m, r);
	ext2_raw_to_inode(inode);
	mutex_unlock(&sb->s_lock);
	if (!r && (uint64_t)size < old && size & (m->sbi.block_size - 1)) {
		struct page *page = read_mapping_page(inode->i_mapping,
						      (pgoff_t)(size >> PAGE_SHIFT),
						      NULL);

		if (IS_ERR(page))
			return (int)PTR_ERR(page);
		lock_page(page);
		if (page->mapping == inode->i_mapping) {
			size_t in = (size_t)(size & (PAGE_SIZE - 1));

			memset((char *)page_address(page) + in, 0,
			       PAGE_SIZE - in);
			set_page_dirty(page);
		}
		unlock_page_wake(page);
		put_page(page);
	}
	return r;
}

const struct inode_operations ext2_file_iops = {
	.setsize = ext2_setsize,
};

/* fsync: generic_file_fsync writes the range's pages and waits, then the
 * inode (write_inode), then sync_fs: the superblock and descriptors, the
 * block device's dirty pages (bitmaps, inode table, indirect blocks) and
 * a flush of the disk's cache. Synchronous until the flushers of the next
 * issue. */
const struct file_operations ext2_file_fops = {
	.read = generic_file_read,
	.read_iter = generic_file_read_iter,
	.write = generic_file_write,
	.llseek = generic_file_llseek,
	.mmap = generic_file_mmap,
	.fsync = generic_file_fsync,
};
