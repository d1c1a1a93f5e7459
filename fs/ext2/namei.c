/*
 * fs/ext2/namei.c - changing the name space on disk: create, mkdir,
 * symlink, unlink, rmdir, and changing a file's size. Each reads the
 * inodes it changes, changes bitmaps, directory blocks and inodes, and
 * writes them (through sbi->write); the free counts in memory are written
 * by ext2_write_super. The VFS's inode_operations call these with the
 * directories' locks held. docs/fs/ext2.md.
 *
 * On an error part-way, what was allocated is given back, so e2fsck finds
 * nothing (a crash part-way is another matter: no journal, as in ext2).
 */
#include "fs/ext2/ext2.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vsprintf.h"

#define FAIL_CORRUPT(err, errlen, ...) \
	({ ksnprintf(err, errlen, __VA_ARGS__); -EUCLEAN; })

static uint32_t now(const struct ext2_sb_info *sbi)
{
	return sbi->now ? (uint32_t)sbi->now() : 0;
}

static void set_size(struct ext2_inode *raw, uint64_t size)
{
	raw->i_size = (uint32_t)size;
	if ((raw->i_mode & 0xF000) == 0x8000)
		raw->i_size_high = size >> 32;
}

/* A fresh inode of mode (links, times) written to disk whole. */
static int init_inode(struct ext2_sb_info *sbi, uint32_t ino,
		      struct ext2_inode *raw, unsigned int mode,
		      unsigned int links)
{
	uint32_t t = now(sbi);

	memset(raw, 0, sizeof(*raw));
	raw->i_mode = mode;
	raw->i_links_count = links;
	raw->i_atime = raw->i_ctime = raw->i_mtime = t;
	return ext2_write_inode_raw(sbi, ino, raw, true);
}

/* Link a new inode (allocated, written) into dir; on failure give the
 * inode and its blocks back. */
static int link_new(struct ext2_sb_info *sbi, unsigned long dir,
		    struct ext2_inode *draw, const char *name, size_t len,
		    uint32_t ino, struct ext2_inode *raw, void *scratch,
		    char *err, size_t errlen)
{
	bool is_dir = (raw->i_mode & 0xF000) == 0x4000;
	int ret = ext2_add_entry(sbi, dir, draw, name, len, ino,
				 ext2_ftype_from_mode(raw->i_mode), scratch,
				 err, errlen);

	if (ret) {
		/* Unlinked as it was made: blocks, then a deleted inode (no
		 * links, a dtime: what e2fsck expects of a free one). */
		char e2[8];

		ext2_truncate_blocks(sbi, ino, raw, 0, e2, sizeof(e2));
		raw->i_links_count = 0;
		raw->i_dtime = now(sbi) ?: 1;
		ext2_write_inode_raw(sbi, ino, raw, false);
		ext2_free_inode(sbi, ino, is_dir, e2, sizeof(e2));
		return ret;
	}
	if (is_dir)
		draw->i_links_count++;
	draw->i_mtime = draw->i_ctime = now(sbi);
	return ext2_write_inode_raw(sbi, dir, draw, false);
}

int ext2_do_create(struct ext2_sb_info *sbi, unsigned long dir,
		   const char *name, size_t len, unsigned int mode,
		   uint32_t *ino, void *scratch, char *err, size_t errlen)
{
	struct ext2_inode draw, raw;
	int ret = ext2_read_inode_raw(sbi, dir, &draw, err, errlen);

	if (ret)
		return ret;
	ret = ext2_new_inode(sbi, dir, false, ino, err, errlen);
	if (ret)
		return ret;
	ret = init_inode(sbi, *ino, &raw, mode, 1);
	return ret ?: link_new(sbi, dir, &draw, name, len, *ino, &raw, scratch,
			       err, errlen);
}

int ext2_do_mkdir(struct ext2_sb_info *sbi, unsigned long dir,
		  const char *name, size_t len, unsigned int mode,
		  uint32_t *ino, void *scratch, char *err, size_t errlen)
{
	struct ext2_inode draw, raw;
	uint32_t pblk;
	bool new;
	int ret = ext2_read_inode_raw(sbi, dir, &draw, err, errlen);

	if (ret)
		return ret;
	ret = ext2_new_inode(sbi, dir, true, ino, err, errlen);
	if (ret)
		return ret;
	memset(&raw, 0, sizeof(raw));
	raw.i_mode = 0x4000 | (mode & 07777);
	ret = ext2_get_block(sbi, *ino, &raw, 0, &pblk, &new, err, errlen);
	if (ret) {
		char e2[8];

		ext2_free_inode(sbi, *ino, true, e2, sizeof(e2));
		return ret;
	}
	/* "." and "..", the second over the rest of the block. */
	memset(scratch, 0, sbi->block_size);
	struct ext2_dir_entry dot = { *ino, 12, 1, sbi->filetype ? EXT2_FT_DIR : 0 };
	struct ext2_dir_entry dotdot = { dir, sbi->block_size - 12, 2,
					 sbi->filetype ? EXT2_FT_DIR : 0 };
	memcpy(scratch, &dot, 8);
	memcpy((uint8_t *)scratch + 8, ".", 1);
	memcpy((uint8_t *)scratch + 12, &dotdot, 8);
	memcpy((uint8_t *)scratch + 20, "..", 2);
	ret = sbi->write(sbi->ctx, (uint64_t)pblk << sbi->block_bits, scratch,
			 sbi->block_size);
	uint32_t blocks = raw.i_blocks;

	if (!ret)
		ret = init_inode(sbi, *ino, &raw, 0x4000 | (mode & 07777), 2);
	raw.i_block[0] = pblk;
	raw.i_blocks = blocks;
	raw.i_size = sbi->block_size;
	if (!ret)
		ret = ext2_write_inode_raw(sbi, *ino, &raw, false);
	return ret ?: link_new(sbi, dir, &draw, name, len, *ino, &raw, scratch,
			       err, errlen);
}

int ext2_do_symlink(struct ext2_sb_info *sbi, unsigned long dir,
		    const char *name, size_t len, const char *target,
		    uint32_t *ino, void *scratch, char *err, size_t errlen)
{
	size_t tlen = strlen(target);
	struct ext2_inode draw, raw;
	uint32_t pblk;
	bool new;
	int ret;

	if (tlen == 0 || tlen >= sbi->block_size || tlen >= 4096)
		return -ENAMETOOLONG;
	ret = ext2_read_inode_raw(sbi, dir, &draw, err, errlen);
	if (ret)
		return ret;
	ret = ext2_new_inode(sbi, dir, false, ino, err, errlen);
	if (ret)
		return ret;
	ret = init_inode(sbi, *ino, &raw, 0xA000 | 0777, 1);
	if (ret)
		return ret;
	if (tlen < sizeof(raw.i_block)) {	/* fast: in i_block */
		memcpy(raw.i_block, target, tlen);
	} else {
		ret = ext2_get_block(sbi, *ino, &raw, 0, &pblk, &new, err,
				     errlen);
		if (ret) {
			char e2[8];

			ext2_free_inode(sbi, *ino, false, e2, sizeof(e2));
			return ret;
		}
		memset(scratch, 0, sbi->block_size);
		memcpy(scratch, target, tlen);
		ret = sbi->write(sbi->ctx, (uint64_t)pblk << sbi->block_bits,
				 scratch, sbi->block_size);
	}
	raw.i_size = tlen;
	if (!ret)
		ret = ext2_write_inode_raw(sbi, *ino, &raw, false);
	return ret ?: link_new(sbi, dir, &draw, name, len, *ino, &raw, scratch,
			       err, errlen);
}

int ext2_delete_inode(struct ext2_sb_info *sbi, uint32_t ino,
		      struct ext2_inode *raw, char *err, size_t errlen)
{
	bool is_dir = (raw->i_mode & 0xF000) == 0x4000;
	int ret;

	raw->i_links_count = 0;
	ret = ext2_truncate_blocks(sbi, ino, raw, 0, err, errlen);
	if (ret)
		return ret;
	raw->i_dtime = now(sbi) ?: 1;
	raw->i_size = raw->i_size_high = 0;
	ret = ext2_write_inode_raw(sbi, ino, raw, false);
	return ret ?: ext2_free_inode(sbi, ino, is_dir, err, errlen);
}

/* Drop a link of ino (raw); the last one frees its blocks and itself,
 * or with sbi->defer_delete leaves that to ext2_delete_inode. */
static int drop_link(struct ext2_sb_info *sbi, uint32_t ino,
		     struct ext2_inode *raw, char *err, size_t errlen)
{
	raw->i_ctime = now(sbi);
	if ((raw->i_mode & 0xF000) == 0x4000)
		raw->i_links_count = 0;		/* "." goes with it */
	else
		raw->i_links_count--;
	if (raw->i_links_count || sbi->defer_delete)
		return ext2_write_inode_raw(sbi, ino, raw, false);
	return ext2_delete_inode(sbi, ino, raw, err, errlen);
}

static int remove_entry(struct ext2_sb_info *sbi, unsigned long dir,
		  const char *name, size_t len, bool want_dir, void *scratch,
		  char *err, size_t errlen)
{
	struct ext2_inode draw, raw;
	uint32_t ino;
	int ret = ext2_read_inode_raw(sbi, dir, &draw, err, errlen);

	if (ret)
		return ret;
	ret = ext2_dir_find(sbi, dir, &draw, name, len, &ino, scratch, err,
			    errlen);
	if (ret)
		return ret;
	ret = ext2_read_inode_raw(sbi, ino, &raw, err, errlen);
	if (ret)
		return ret;
	if (((raw.i_mode & 0xF000) == 0x4000) != want_dir)
		return want_dir ? -ENOTDIR : -EISDIR;
	if (want_dir) {
		ret = ext2_dir_empty(sbi, ino, &raw, scratch, err, errlen);
		if (ret <= 0)
			return ret ?: -ENOTEMPTY;
	}
	ret = ext2_delete_entry(sbi, dir, &draw, name, len, &ino, scratch,
				err, errlen);
	if (ret)
		return ret;
	if (want_dir)
		draw.i_links_count--;		/* its ".." */
	draw.i_mtime = draw.i_ctime = now(sbi);
	ret = ext2_write_inode_raw(sbi, dir, &draw, false);
	return ret ?: drop_link(sbi, ino, &raw, err, errlen);
}

int ext2_do_unlink(struct ext2_sb_info *sbi, unsigned long dir,
		   const char *name, size_t len, void *scratch, char *err,
		   size_t errlen)
{
	return remove_entry(sbi, dir, name, len, false, scratch, err, errlen);
}

int ext2_do_rmdir(struct ext2_sb_info *sbi, unsigned long dir,
		  const char *name, size_t len, void *scratch, char *err,
		  size_t errlen)
{
	return remove_entry(sbi, dir, name, len, true, scratch, err, errlen);
}

/* Whether dir is ino or below it, following ".." to the root: 1, 0,
 * -EUCLEAN (a ".." chain that loops or ends off the tree), -EIO. */
static int is_below(struct ext2_sb_info *sbi, uint32_t dir, uint32_t ino,
		    void *scratch, char *err, size_t errlen)
{
	struct ext2_inode raw;
	int ret;

	for (uint32_t steps = 0; steps <= sbi->inodes_count; steps++) {
		if (dir == ino)
			return 1;
		if (dir == EXT2_ROOT_INO)
			return 0;
		ret = ext2_read_inode_raw(sbi, dir, &raw, err, errlen);
		if (!ret)
			ret = ext2_dir_find(sbi, dir, &raw, "..", 2, &dir,
					    scratch, err, errlen);
		if (ret == -ENOENT || ret == -ENOTDIR)
			return FAIL_CORRUPT(err, errlen, "inode %u: no \"..\" "
					    "on the way to the root", dir);
		if (ret)
			return ret;
	}
	return FAIL_CORRUPT(err, errlen, "directory cycle through \"..\" "
			    "at inode %u", dir);
}

int ext2_do_rename(struct ext2_sb_info *sbi, unsigned long old_dir,
		   const char *old_name, size_t old_len, unsigned long new_dir,
		   const char *new_name, size_t new_len, void *scratch,
		   char *err, size_t errlen)
{
	struct ext2_inode odraw, ndraw, raw, traw;
	struct ext2_inode *nd = old_dir == new_dir ? &odraw : &ndraw;
	uint32_t ino, target = 0, unused;
	bool is_dir;
	int ret;

	ret = ext2_read_inode_raw(sbi, old_dir, &odraw, err, errlen);
	if (!ret && nd != &odraw)
		ret = ext2_read_inode_raw(sbi, new_dir, nd, err, errlen);
	if (!ret)
		ret = ext2_dir_find(sbi, old_dir, &odraw, old_name, old_len,
				    &ino, scratch, err, errlen);
	if (!ret)
		ret = ext2_read_inode_raw(sbi, ino, &raw, err, errlen);
	if (ret)
		return ret;
	is_dir = (raw.i_mode & 0xF000) == 0x4000;
	if (is_dir && old_dir != new_dir) {
		ret = is_below(sbi, new_dir, ino, scratch, err, errlen);
		if (ret)
			return ret < 0 ? ret : -EINVAL;
	}
	ret = ext2_dir_find(sbi, new_dir, nd, new_name, new_len, &target,
			    scratch, err, errlen);
	if (ret && ret != -ENOENT)
		return ret;
	if (target == ino)
		return 0;			/* two names of one file */
	if (target) {
		ret = ext2_read_inode_raw(sbi, target, &traw, err, errlen);
		if (ret)
			return ret;
		if (((traw.i_mode & 0xF000) == 0x4000) != is_dir)
			return is_dir ? -ENOTDIR : -EISDIR;
		if (is_dir) {
			ret = ext2_dir_empty(sbi, target, &traw, scratch, err,
					     errlen);
			if (ret <= 0)
				return ret ?: -ENOTEMPTY;
		}
		ret = ext2_set_entry(sbi, new_dir, nd, new_name, new_len, ino,
				     ext2_ftype_from_mode(raw.i_mode), scratch,
				     err, errlen);
	} else {
		ret = ext2_add_entry(sbi, new_dir, nd, new_name, new_len, ino,
				     ext2_ftype_from_mode(raw.i_mode), scratch,
				     err, errlen);
	}
	if (ret)
		return ret;
	ret = ext2_delete_entry(sbi, old_dir, &odraw, old_name, old_len,
				&unused, scratch, err, errlen);
	if (ret)
		return ret;
	if (is_dir && old_dir != new_dir) {
		ret = ext2_set_entry(sbi, ino, &raw, "..", 2, new_dir,
				     EXT2_FT_DIR, scratch, err, errlen);
		if (ret)
			return ret;
		odraw.i_links_count--;
		nd->i_links_count++;
	}
	if (target && is_dir)
		nd->i_links_count--;		/* the target's ".." */
	odraw.i_mtime = odraw.i_ctime = nd->i_mtime = nd->i_ctime = now(sbi);
	raw.i_ctime = now(sbi);
	ret = ext2_write_inode_raw(sbi, ino, &raw, false);
	if (!ret)
		ret = ext2_write_inode_raw(sbi, old_dir, &odraw, false);
	if (!ret && nd != &odraw)
		ret = ext2_write_inode_raw(sbi, new_dir, nd, false);
	if (!ret && target)
		ret = drop_link(sbi, target, &traw, err, errlen);
	return ret;
}

int ext2_do_setsize(struct ext2_sb_info *sbi, uint32_t ino, uint64_t size,
		    char *err, size_t errlen)
{
	struct ext2_inode raw;
	uint64_t old, keep;
	uint32_t pblk;
	int ret = ext2_read_inode_raw(sbi, ino, &raw, err, errlen);

	if (ret)
		return ret;
	if ((raw.i_mode & 0xF000) != 0x8000)
		return -EINVAL;
	if (size > ext2_max_size(sbi))
		return -EFBIG;
	old = ext2_isize(&raw);
	if (size < old) {
		/* Free the blocks past the new end; zero the rest of the
		 * last block, so a later grow reads zeros there. */
		keep = DIV_ROUND_UP(size, sbi->block_size);
		ret = ext2_truncate_blocks(sbi, ino, &raw, keep, err, errlen);
		if (ret)
			return ret;
		if (size % sbi->block_size &&
		    !ext2_bmap(sbi, ino, &raw, size >> sbi->block_bits, &pblk,
			       err, errlen) && pblk) {
			static const uint8_t z[1 << EXT2_MAX_BLOCK_LOG];
			uint32_t in = size % sbi->block_size;

			ret = sbi->write(sbi->ctx, ((uint64_t)pblk <<
					 sbi->block_bits) + in, z,
					 sbi->block_size - in);
			if (ret)
				return ret;
		}
	}
	set_size(&raw, size);
	raw.i_mtime = raw.i_ctime = now(sbi);
	return ext2_write_inode_raw(sbi, ino, &raw, false);
}
