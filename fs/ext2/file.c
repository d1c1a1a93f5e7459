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
 * writepage allocates only what a mapped store left as a hole.
 */
#include "fs/ext2/internal.h"
#include "kernel/lib/string.h"
#include "kernel/printk.h"
#include "mm/kmalloc.h"
#include "mm/lru.h"

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
 * Write page's blocks inside the file (allocating holes a shared mapping
 * filled), synchronously, one request per run of blocks that follow each
 * other on the disk. The part of the last page past the end of the file
 * is zeroed first, so the disk never gets what a mapping left there.
 */
static int ext2_writepage(struct page *page, struct writeback_control *wbc)
{
	struct address_space *mapping = page->mapping;
	struct inode *inode = mapping_inode(mapping);
	struct ext2_mount *m = EXT2_SB(inode->i_sb);
	unsigned int bits = m->sbi.block_bits;
	loff_t size = i_size_read(inode);
	loff_t start = (loff_t)page->index << PAGE_SHIFT;
	uint64_t first = (uint64_t)page->index << (PAGE_SHIFT - bits);
	uint32_t pblk[EXT2_MAX_PAGE_BLOCKS];
	unsigned int nr;
	int r, err = 0;

	(void)wbc;
	if (start >= size) {		/* truncated meanwhile */
		set_page_writeback(page);
		unlock_page_wake(page);
		end_page_writeback(page);
		return 0;
	}
	nr = (unsigned int)min((uint64_t)(PAGE_SIZE >> bits),
			       DIV_ROUND_UP((uint64_t)size, m->sbi.block_size) -
			       first);
	r = map_blocks(inode, first, nr, pblk, 0);
	if (r)
		return r;		/* still locked: do_writepages redirties */
	if (size - start < (loff_t)PAGE_SIZE)
		memset((char *)page_address(page) + (size - start), 0,
		       (size_t)(PAGE_SIZE - (size - start)));
	ClearPageError(page);	/* it tells of this write, not the last */
	set_page_writeback(page);
	unlock_page_wake(page);
	for (unsigned int i = 0; i < nr;) {
		unsigned int j = i + 1;

		while (j < nr && pblk[j] == pblk[j - 1] + 1)
			j++;
		struct blk_segment seg = { .page = page, .offset = i << bits,
					   .len = (j - i) << bits };
		struct blk_request req = {
			.op = BLK_OP_WRITE, .segs = &seg, .nr_segs = 1,
			.sector = (uint64_t)pblk[i] << (bits - SECTOR_SHIFT),
		};
		r = blk_execute(inode->i_sb->s_bdev, &req);
		if (r) {
			/* Said here, where the place is known: fsync only
			 * returns -EIO (docs/mm/filemap.md, "Write-back
			 * errors"). */
			pr_err("ext2: %s: inode %lu: write-back of page %lu "
			       "failed (%d): block %u, sector %llu\n",
			       m->sbi.id, inode->i_ino, page->index, r,
			       pblk[i], (unsigned long long)req.sector);
			if (!err)
				err = r;
		}
		i = j;
	}
	if (err) {
		SetPageError(page);
		mapping_set_error(mapping, err);
	}
	end_page_writeback(page);
	return 0;
}

const struct address_space_operations ext2_aops = {
	.read_folio = ext2_read_folio,
	.readahead = ext2_readahead,
	.writepage = ext2_writepage,
	.write_begin = ext2_write_begin,
	.write_end = simple_write_end,
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
	.write = generic_file_write,
	.llseek = generic_file_llseek,
	.mmap = generic_file_mmap,
	.fsync = generic_file_fsync,
};
