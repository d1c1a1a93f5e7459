/*
 * fs/ext2/vfs.c - ext2 under the VFS (fs/fs.h): the file system type and
 * its fill_super, the super block's operations (inodes in and out of
 * memory, sync, statfs) and the directories' operations, which wrap the
 * on-disk code of namei.c and dir.c. docs/fs/ext2.md, "In the kernel".
 *
 * The disk is the truth: namei.c reads the inodes it changes from the
 * disk (through the block device's page cache) and writes them back. So
 * each operation here writes the times the VFS changed in memory to the
 * disk first, calls namei.c, and then reads every inode it touched back
 * into memory (reload), so a later write_inode never puts an old copy
 * over what namei.c wrote. An inode whose last link goes keeps its
 * blocks until its last reference does (evict_inode frees them), so an
 * open file that was removed is still there for whoever has it open.
 */
#include "fs/ext2/internal.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vsprintf.h"
#include "kernel/printk.h"
#include "mm/kmalloc.h"

int ext2_report(struct ext2_mount *m, int err)
{
	if ((err == -EUCLEAN || err == -EINVAL || err == -EFBIG) && m->err[0])
		pr_err("ext2: %s: %s\n", m->sbi.id, m->err);
	m->err[0] = '\0';
	return err;
}

/* ------------------------------------------------- the disk, through bc */

static int ext2_bc_read(void *ctx, uint64_t off, void *buf, size_t len)
{
	struct ext2_mount *m = ctx;

	return bdev_read(&m->bc, off, buf, len);
}

static int ext2_bc_write(void *ctx, uint64_t off, const void *buf, size_t len)
{
	struct ext2_mount *m = ctx;

	return bdev_write(&m->bc, off, buf, len);
}

static long long ext2_now(void)
{
	return current_time_sec();
}

/* ------------------------------------------------------------- inodes */

void ext2_raw_to_inode(struct inode *inode)
{
	const struct ext2_inode *raw = &EXT2_I(inode)->raw;

	inode->i_mode = raw->i_mode;
	inode->i_nlink = raw->i_links_count;
	inode->i_uid = raw->i_uid | (unsigned int)raw->i_uid_high << 16;
	inode->i_gid = raw->i_gid | (unsigned int)raw->i_gid_high << 16;
	inode->i_atime = raw->i_atime;
	inode->i_mtime = raw->i_mtime;
	inode->i_ctime = raw->i_ctime;
	inode->i_blocks = raw->i_blocks;
	inode->i_generation = raw->i_generation;
	i_size_write(inode, (loff_t)ext2_isize(raw));
}

/* Read inode's raw copy back from the disk (namei.c just wrote it; not
 * checked again: a removed inode has no links) and its VFS fields. */
static int reload(struct ext2_mount *m, struct inode *inode)
{
	uint64_t off = ext2_inode_offset(&m->sbi, inode->i_ino);
	int r;

	if (!off)
		return -EINVAL;
	r = m->sbi.read(m->sbi.ctx, off, &EXT2_I(inode)->raw,
			sizeof(struct ext2_inode));
	if (!r)
		ext2_raw_to_inode(inode);
	return r;
}

/* The times the VFS changed in memory, to raw and the disk. s_lock. */
static int flush_times(struct ext2_mount *m, struct inode *inode)
{
	struct ext2_inode *raw = &EXT2_I(inode)->raw;

	if (raw->i_atime == (uint32_t)inode->i_atime &&
	    raw->i_mtime == (uint32_t)inode->i_mtime &&
	    raw->i_ctime == (uint32_t)inode->i_ctime)
		return 0;
	raw->i_atime = (uint32_t)inode->i_atime;
	raw->i_mtime = (uint32_t)inode->i_mtime;
	raw->i_ctime = (uint32_t)inode->i_ctime;
	if (!m->sbi.write)
		return 0;
	return ext2_write_inode_raw(&m->sbi, inode->i_ino, raw, false);
}

static struct inode *ext2_alloc_inode(struct super_block *sb)
{
	struct ext2_inode_info *ei = kzalloc(sizeof(*ei), GFP_KERNEL);

	return ei ? &ei->vfs_inode : NULL;
}

static void ext2_free_inode_mem(struct inode *inode)
{
	kfree(EXT2_I(inode));
}

/* A directory's first block must parse ("." and ".." at least): a
 * corrupt one is refused when the directory is first met. s_lock. */
static int check_dir_start(struct ext2_mount *m, unsigned long ino,
			   const struct ext2_inode *raw)
{
	struct ext2_dirent de;
	unsigned int off = 0;
	uint32_t pblk;
	int r;

	if (!raw->i_size)
		return 0;
	r = ext2_bmap(&m->sbi, ino, raw, 0, &pblk, m->err, sizeof(m->err));
	if (r || !pblk)
		return r;
	r = m->sbi.read(m->sbi.ctx, (uint64_t)pblk << m->sbi.block_bits,
			m->scratch, m->sbi.block_size);
	if (r)
		return r;
	while ((r = ext2_dir_next(&m->sbi, ino, 0, m->scratch, &off, &de,
				  m->err, sizeof(m->err))) > 0)
		;
	return r;
}

extern const struct inode_operations ext2_dir_iops, ext2_symlink_iops;
extern const struct file_operations ext2_dir_fops;

static int ext2_read_inode(struct inode *inode)
{
	struct super_block *sb = inode->i_sb;
	struct ext2_mount *m = EXT2_SB(sb);
	struct ext2_inode_info *ei = EXT2_I(inode);
	int r;

	mutex_lock(&sb->s_lock);
	r = ext2_read_inode_raw(&m->sbi, inode->i_ino, &ei->raw, m->err,
				sizeof(m->err));
	if (!r && S_ISDIR(ei->raw.i_mode))
		r = check_dir_start(m, inode->i_ino, &ei->raw);
	ext2_report(m, r);
	mutex_unlock(&sb->s_lock);
	if (r)
		return r;
	ext2_raw_to_inode(inode);
	ksnprintf(ei->name, sizeof(ei->name), "%s:%lu", sb->s_id,
		  inode->i_ino);
	inode->i_data.name = ei->name;
	if (S_ISREG(inode->i_mode)) {
		inode->i_op = &ext2_file_iops;
		inode->i_fop = &ext2_file_fops;
		inode->i_data.a_ops = &ext2_aops;
		/* File data moves (ext2_aops.migrate_folio): it may use
		 * CMA's memory and be compacted. */
		mapping_set_gfp_mask(&inode->i_data, GFP_HIGHUSER_MOVABLE);
	} else if (S_ISDIR(inode->i_mode)) {
		inode->i_op = &ext2_dir_iops;
		inode->i_fop = &ext2_dir_fops;
	} else if (S_ISLNK(inode->i_mode)) {
		inode->i_op = &ext2_symlink_iops;
	} else {
		/* A device node: old encoding in i_block[0], new in [1]. */
		uint32_t d = ei->raw.i_block[0] ? ei->raw.i_block[0]
						: ei->raw.i_block[1];

		inode->i_rdev = ((d >> 8) & 0xfff) << 8 | (d & 0xff);
	}
	return 0;
}

/* The in-memory times to the disk; the rest of the inode is there
 * already (every change to it was written as it was made). */
static int ext2_write_inode(struct inode *inode, bool wait)
{
	struct super_block *sb = inode->i_sb;
	int r;

	if (sb->s_readonly)
		return 0;
	mutex_lock(&sb->s_lock);
	r = flush_times(EXT2_SB(sb), inode);
	mutex_unlock(&sb->s_lock);
	(void)wait;		/* sync_fs writes the block device's pages */
	return r;
}

/* The last reference went (its pages are gone): with no link left, free
 * its blocks and the inode on the disk, as namei.c's last unlink would
 * have. */
static void ext2_evict_inode(struct inode *inode)
{
	struct super_block *sb = inode->i_sb;
	struct ext2_mount *m = EXT2_SB(sb);
	int r;

	if (inode->i_nlink || !m->sbi.write)
		return;
	mutex_lock(&sb->s_lock);
	r = ext2_delete_inode(&m->sbi, (uint32_t)inode->i_ino,
			      &EXT2_I(inode)->raw, m->err, sizeof(m->err));
	if (r)
		pr_err("ext2: %s: inode %lu: not freed (error %d)%s%s\n",
		       m->sbi.id, inode->i_ino, r, m->err[0] ? ": " : "",
		       m->err);
	m->err[0] = '\0';
	mutex_unlock(&sb->s_lock);
}

/* The superblock's counts and the descriptors, then every dirty page of
 * the block device (bitmaps, inode tables, directories, indirect
 * blocks), then a flush of the disk's cache (bdev_sync). */
static int ext2_sync_fs(struct super_block *sb, bool wait)
{
	struct ext2_mount *m = EXT2_SB(sb);
	int r = 0;

	if (sb->s_readonly || !m->sbi.write)
		return 0;
	mutex_lock(&sb->s_lock);
	r = ext2_write_super(&m->sbi);
	mutex_unlock(&sb->s_lock);
	if (wait || !r) {
		int r2 = bdev_sync(&m->bc);

		if (!r)
			r = r2;
	}
	return r;
}

static int ext2_statfs(struct super_block *sb, struct kstatfs *st)
{
	struct ext2_mount *m = EXT2_SB(sb);
	const struct ext2_super_block *es = &m->sbi.sb;

	mutex_lock(&sb->s_lock);
	st->f_type = EXT2_SUPER_MAGIC;
	st->f_bsize = m->sbi.block_size;
	st->f_blocks = es->s_blocks_count;
	st->f_bfree = es->s_free_blocks_count;
	st->f_bavail = es->s_free_blocks_count > es->s_r_blocks_count ?
		       es->s_free_blocks_count - es->s_r_blocks_count : 0;
	st->f_files = es->s_inodes_count;
	st->f_ffree = es->s_free_inodes_count;
	st->f_namelen = EXT2_NAME_LEN;
	mutex_unlock(&sb->s_lock);
	return 0;
}

static void ext2_put_super(struct super_block *sb)
{
	struct ext2_mount *m = EXT2_SB(sb);

	bdev_cache_release(&m->bc);
	kfree(m->sbi.gd);
	kfree(m->scratch);
	kfree(m);
	sb->s_fs_info = NULL;
	sb->s_bdev_mapping = NULL;
}

static const struct super_operations ext2_sops = {
	.alloc_inode = ext2_alloc_inode,
	.free_inode = ext2_free_inode_mem,
	.read_inode = ext2_read_inode,
	.write_inode = ext2_write_inode,
	.evict_inode = ext2_evict_inode,
	.sync_fs = ext2_sync_fs,
	.put_super = ext2_put_super,
	.statfs = ext2_statfs,
};

/* ------------------------------------------------------- directories */

static int ext2_lookup(struct inode *dir, const char *name, size_t len,
		       struct inode **out)
{
	struct super_block *sb = dir->i_sb;
	struct ext2_mount *m = EXT2_SB(sb);
	struct inode *inode;
	uint32_t ino;
	int r;

	if (len > EXT2_NAME_LEN)
		return -ENAMETOOLONG;
	mutex_lock(&sb->s_lock);
	r = ext2_dir_find(&m->sbi, dir->i_ino, &EXT2_I(dir)->raw, name, len,
			  &ino, m->scratch, m->err, sizeof(m->err));
	ext2_report(m, r);
	mutex_unlock(&sb->s_lock);
	if (r)
		return r;
	inode = iget(sb, ino);
	if (IS_ERR(inode))
		return (int)PTR_ERR(inode);
	*out = inode;
	return 0;
}

/* The cached inode named name in dir, with a reference (the VFS holds
 * one too while it removes or renames it); NULL if there is none. */
static struct inode *find_child(struct inode *dir, const char *name,
				size_t len)
{
	struct inode *child = NULL;

	if (ext2_lookup(dir, name, len, &child))
		return NULL;
	return child;
}

/* Make a new inode of mode: create, mkdir or symlink (target). */
static int make_node(struct inode *dir, const char *name, size_t len,
		     unsigned int mode, const char *target, struct inode **out)
{
	struct super_block *sb = dir->i_sb;
	struct ext2_mount *m = EXT2_SB(sb);
	struct inode *inode;
	uint32_t ino = 0;
	int r;

	if (len > EXT2_NAME_LEN)
		return -ENAMETOOLONG;
	if (!m->sbi.write)
		return -EROFS;
	mutex_lock(&sb->s_lock);
	flush_times(m, dir);
	if (target)
		r = ext2_do_symlink(&m->sbi, dir->i_ino, name, len, target,
				    &ino, m->scratch, m->err, sizeof(m->err));
	else if (S_ISDIR(mode))
		r = ext2_do_mkdir(&m->sbi, dir->i_ino, name, len, mode, &ino,
				  m->scratch, m->err, sizeof(m->err));
	else
		r = ext2_do_create(&m->sbi, dir->i_ino, name, len,
				   S_IFREG | (mode & 07777), &ino, m->scratch,
				   m->err, sizeof(m->err));
	ext2_report(m, r);
	reload(m, dir);
	mutex_unlock(&sb->s_lock);
	if (r)
		return r;
	inode = iget(sb, ino);
	if (IS_ERR(inode))
		return (int)PTR_ERR(inode);
	if (out)
		*out = inode;
	else
		iput(inode);
	return 0;
}

static int ext2_create(struct inode *dir, const char *name, size_t len,
		       unsigned int mode, struct inode **out)
{
	return make_node(dir, name, len, S_IFREG | (mode & 07777), NULL, out);
}

static int ext2_mkdir(struct inode *dir, const char *name, size_t len,
		      unsigned int mode)
{
	return make_node(dir, name, len, S_IFDIR | (mode & 07777), NULL, NULL);
}

static int ext2_symlink(struct inode *dir, const char *name, size_t len,
			const char *target)
{
	return make_node(dir, name, len, S_IFLNK | 0777, target, NULL);
}

/* unlink / rmdir: the entry goes; the inode's blocks go with its last
 * reference (ext2_evict_inode), since the VFS and this function hold
 * references to it. */
static int remove_node(struct inode *dir, const char *name, size_t len,
		       bool is_dir)
{
	struct super_block *sb = dir->i_sb;
	struct ext2_mount *m = EXT2_SB(sb);
	struct inode *victim = find_child(dir, name, len);
	int r;

	if (!victim)
		return -ENOENT;
	mutex_lock(&sb->s_lock);
	flush_times(m, dir);
	flush_times(m, victim);
	if (is_dir)
		r = ext2_do_rmdir(&m->sbi, dir->i_ino, name, len, m->scratch,
				  m->err, sizeof(m->err));
	else
		r = ext2_do_unlink(&m->sbi, dir->i_ino, name, len, m->scratch,
				   m->err, sizeof(m->err));
	ext2_report(m, r);
	reload(m, dir);
	reload(m, victim);
	mutex_unlock(&sb->s_lock);
	iput(victim);
	return r;
}

static int ext2_unlink(struct inode *dir, const char *name, size_t len)
{
	return remove_node(dir, name, len, false);
}

static int ext2_rmdir(struct inode *dir, const char *name, size_t len)
{
	return remove_node(dir, name, len, true);
}

static int ext2_rename(struct inode *old_dir, const char *old_name,
		       size_t old_len, struct inode *new_dir,
		       const char *new_name, size_t new_len)
{
	struct super_block *sb = old_dir->i_sb;
	struct ext2_mount *m = EXT2_SB(sb);
	struct inode *src = find_child(old_dir, old_name, old_len);
	struct inode *dst;
	int r;

	if (!src)
		return -ENOENT;
	if (new_len > EXT2_NAME_LEN) {
		iput(src);
		return -ENAMETOOLONG;
	}
	dst = find_child(new_dir, new_name, new_len);
	mutex_lock(&sb->s_lock);
	flush_times(m, old_dir);
	flush_times(m, new_dir);
	flush_times(m, src);
	if (dst)
		flush_times(m, dst);
	r = ext2_do_rename(&m->sbi, old_dir->i_ino, old_name, old_len,
			   new_dir->i_ino, new_name, new_len, m->scratch,
			   m->err, sizeof(m->err));
	ext2_report(m, r);
	reload(m, old_dir);
	if (new_dir != old_dir)
		reload(m, new_dir);
	reload(m, src);
	if (dst)
		reload(m, dst);
	mutex_unlock(&sb->s_lock);
	iput(dst);
	iput(src);
	return r;
}

/* A symlink's target: in i_block (fast) or in its one block. */
static int ext2_readlink(struct inode *inode, char *buf, size_t size)
{
	struct super_block *sb = inode->i_sb;
	struct ext2_mount *m = EXT2_SB(sb);
	struct ext2_inode *raw = &EXT2_I(inode)->raw;
	size_t len = raw->i_size;
	uint32_t pblk;
	int r = 0;

	if (!size)
		return -ERANGE;
	if (len >= size)
		len = size - 1;
	mutex_lock(&sb->s_lock);
	if (ext2_inode_is_fast_symlink(&m->sbi, raw)) {
		memcpy(buf, raw->i_block, len);
	} else {
		r = ext2_bmap(&m->sbi, inode->i_ino, raw, 0, &pblk, m->err,
			      sizeof(m->err));
		if (!r && !pblk)
			r = -EUCLEAN;
		if (!r)
			r = m->sbi.read(m->sbi.ctx, (uint64_t)pblk <<
					m->sbi.block_bits, buf, len);
		ext2_report(m, r);
	}
	mutex_unlock(&sb->s_lock);
	if (r)
		return r == -EUCLEAN ? -EUCLEAN : -EIO;
	buf[len] = '\0';
	return (int)len;
}

static const unsigned char ext2_dtype[EXT2_FT_MAX] = {
	[EXT2_FT_UNKNOWN] = DT_UNKNOWN, [EXT2_FT_REG_FILE] = DT_REG,
	[EXT2_FT_DIR] = DT_DIR, [EXT2_FT_CHRDEV] = DT_CHR,
	[EXT2_FT_BLKDEV] = DT_BLK, [EXT2_FT_FIFO] = DT_FIFO,
	[EXT2_FT_SOCK] = DT_SOCK, [EXT2_FT_SYMLINK] = DT_LNK,
};

/*
 * getdents64: the entries from byte *pos of the directory on, block by
 * block (a block is read under s_lock into a private copy and checked
 * whole before any of it is given out, so a corrupt block fails the call
 * with -EUCLEAN and its reason, not half way). *pos is the next entry's
 * byte offset; an offset inside an entry (the directory changed) moves
 * on to the next entry.
 */
static int ext2_iterate(struct file *f, struct dir_context *ctx, loff_t *pos)
{
	struct inode *dir = f->f_inode;
	struct super_block *sb = dir->i_sb;
	struct ext2_mount *m = EXT2_SB(sb);
	uint32_t bs = m->sbi.block_size;
	void *blk = kmalloc(bs, GFP_KERNEL);
	char e[8];		/* the block was checked: no reason to come */
	int r = 0;

	if (!blk)
		return -ENOMEM;
	while (*pos >= 0 && *pos < i_size_read(dir)) {
		uint64_t lblk = (uint64_t)*pos >> m->sbi.block_bits;
		unsigned int start = (unsigned int)(*pos & (bs - 1)), off = 0;
		struct ext2_dirent de;
		uint32_t pblk;

		mutex_lock(&sb->s_lock);
		r = ext2_bmap(&m->sbi, dir->i_ino, &EXT2_I(dir)->raw, lblk,
			      &pblk, m->err, sizeof(m->err));
		if (!r && !pblk) {
			ksnprintf(m->err, sizeof(m->err), "inode %lu: a hole "
				  "at directory block %llu", dir->i_ino,
				  (unsigned long long)lblk);
			r = -EUCLEAN;
		}
		if (!r)
			r = m->sbi.read(m->sbi.ctx, (uint64_t)pblk <<
					m->sbi.block_bits, blk, bs);
		if (!r)
			while ((r = ext2_dir_next(&m->sbi, dir->i_ino, lblk,
						  blk, &off, &de, m->err,
						  sizeof(m->err))) > 0)
				;
		ext2_report(m, r);
		mutex_unlock(&sb->s_lock);
		if (r < 0)
			break;
		off = 0;
		while (ext2_dir_next(&m->sbi, dir->i_ino, lblk, blk, &off, &de,
				     e, sizeof(e)) > 0) {
			loff_t next = ((loff_t)lblk << m->sbi.block_bits) + off;

			if (de.offset < start || !de.inode)
				continue;
			if (!ctx->actor(ctx, de.name, de.name_len, next,
					de.inode, de.file_type < EXT2_FT_MAX ?
					ext2_dtype[de.file_type] : DT_UNKNOWN))
				goto out;
			*pos = next;
		}
		*pos = (loff_t)(lblk + 1) << m->sbi.block_bits;
	}
out:
	kfree(blk);
	return r < 0 ? r : 0;
}

const struct inode_operations ext2_dir_iops = {
	.lookup = ext2_lookup,
	.create = ext2_create,
	.mkdir = ext2_mkdir,
	.symlink = ext2_symlink,
	.unlink = ext2_unlink,
	.rmdir = ext2_rmdir,
	.rename = ext2_rename,
};

const struct inode_operations ext2_symlink_iops = {
	.readlink = ext2_readlink,
};

const struct file_operations ext2_dir_fops = {
	.iterate = ext2_iterate,
	.llseek = generic_file_llseek,
};

/* ------------------------------------------------------------- mount */

/* Refuse the mount: the reason in err as "ext2: DEV: reason" (do_mount
 * prints it, one line), nothing written. */
static int refuse(struct super_block *sb, struct ext2_mount *m, int r,
		  char *err, size_t errlen)
{
	ksnprintf(err, errlen, "ext2: %s: %s", sb->s_id,
		  m->err[0] ? m->err : "unreadable");
	bdev_cache_release(&m->bc);
	kfree(m->sbi.gd);
	kfree(m->scratch);
	kfree(m);
	sb->s_fs_info = NULL;
	sb->s_bdev_mapping = NULL;
	return r;
}

/*
 * Read and check the superblock and the group descriptors of sb->s_bdev
 * through its page cache (nothing is written), then the root inode. An
 * unknown ro_compat feature mounts read-only with a message.
 */
static int ext2_fill_super(struct super_block *sb, char *err, size_t errlen)
{
	struct block_device *bdev = sb->s_bdev;
	struct ext2_mount *m;
	uint8_t raw[1024];
	struct inode *root;
	int r;

	if (!bdev)
		return -ENODEV;
	m = kzalloc(sizeof(*m), GFP_KERNEL);
	if (!m)
		return -ENOMEM;
	m->sb = sb;
	init_waitqueue_head(&m->wb_wait, "ext2 writeback");
	bdev_cache_init(&m->bc, bdev, NULL);
	/* A failed write of metadata (a bitmap, an inode table block) is
	 * this file system's error: syncfs tells each open file of it once,
	 * as for its files' data. (Linux: the block device's own inode
	 * records it, and only sync_blockdev's return carries it, to the
	 * first caller, which for a `sync` is nobody.) */
	m->bc.mapping.sb_wb_err = &sb->s_wb_err;
	sb->s_fs_info = m;
	sb->s_bdev_mapping = &m->bc.mapping;
	m->sbi.read = ext2_bc_read;
	m->sbi.now = ext2_now;
	m->sbi.ctx = m;
	ksnprintf(m->sbi.id, sizeof(m->sbi.id), "%s", sb->s_id);

	r = bdev_read(&m->bc, EXT2_SUPER_OFFSET, raw, sizeof(raw));
	if (r) {
		ksnprintf(m->err, sizeof(m->err), "cannot read the "
			  "superblock (error %d)", r);
		return refuse(sb, m, r == -EINVAL ? -EINVAL : -EIO, err, errlen);
	}
	r = ext2_parse_super(&m->sbi, raw, bdev->nr_sectors * SECTOR_SIZE,
			     m->err, sizeof(m->err));
	if (r < 0)
		return refuse(sb, m, r, err, errlen);
	if (r == 1) {
		pr_warn("ext2: %s: %s; mounted read-only\n", sb->s_id, m->err);
		m->err[0] = '\0';
		sb->s_readonly = true;
	}
	m->sbi.gd = kmalloc(ext2_gd_bytes(&m->sbi), GFP_KERNEL);
	m->scratch = kmalloc(m->sbi.block_size, GFP_KERNEL);
	if (!m->sbi.gd || !m->scratch)
		return refuse(sb, m, -ENOMEM, err, errlen);
	r = ext2_load_group_desc(&m->sbi, m->err, sizeof(m->err));
	if (r)
		return refuse(sb, m, r, err, errlen);
	if (m->sbi.readonly)
		sb->s_readonly = true;
	vfs_clock_advance(max(m->sbi.sb.s_wtime, m->sbi.sb.s_mtime));
	if (!sb->s_readonly)
		m->sbi.write = ext2_bc_write;
	m->sbi.defer_delete = true;	/* ext2_evict_inode frees */

	sb->s_op = &ext2_sops;
	sb->s_blocksize = m->sbi.block_size;
	sb->s_blocksize_bits = m->sbi.block_bits;
	sb->s_maxbytes = (loff_t)ext2_max_size(&m->sbi);
	/* virtio disks as Linux numbers them: major 254, 16 minors each. */
	sb->s_dev = 254 << 8 | (unsigned long)((sb->s_id[2] - 'a') & 0xf) << 4;

	root = iget(sb, EXT2_ROOT_INO);
	if (IS_ERR(root)) {
		ksnprintf(m->err, sizeof(m->err), "the root directory "
			  "(inode 2) is unreadable (error %ld)", PTR_ERR(root));
		sb->s_op = NULL;
		return refuse(sb, m, -EINVAL, err, errlen);
	}
	sb->s_root = root;
	return 0;
}

static struct file_system_type ext2_fs_type = {
	.name = "ext2",
	.requires_dev = true,
	.fill_super = ext2_fill_super,
};

void init_ext2_fs(void)
{
	int r = register_filesystem(&ext2_fs_type);

	if (r)
		pr_err("ext2: not registered (error %d)\n", r);
}
