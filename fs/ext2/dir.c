/*
 * fs/ext2/dir.c - directories: blocks of linked entries (inode, rec_len,
 * name_len, file_type, name), each rec_len bytes from the next, the last
 * one reaching the end of the block. An htree directory (dir_index) is
 * read the same way: its index blocks look like one empty entry.
 * docs/fs/ext2.md.
 */
#include "fs/ext2/ext2.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vsprintf.h"

#define FAIL(...) ({ ksnprintf(err, errlen, __VA_ARGS__); -EUCLEAN; })

int ext2_dir_next(const struct ext2_sb_info *sbi, unsigned long ino,
		  uint64_t lblk, const void *blk, unsigned int *offset,
		  struct ext2_dirent *de, char *err, size_t errlen)
{
	unsigned int off = *offset, bs = sbi->block_size;
	const uint8_t *p = (const uint8_t *)blk + off;
	struct ext2_dir_entry e;

	if (off >= bs)
		return 0;
	if (bs - off < sizeof(e))
		return FAIL("inode %lu: directory block %llu: entry at %u runs "
			    "past the block", ino, (unsigned long long)lblk, off);
	memcpy(&e, p, sizeof(e));
	if (e.rec_len < sizeof(e) || e.rec_len % 4 || e.rec_len > bs - off)
		return FAIL("inode %lu: directory block %llu: entry at %u: bad "
			    "rec_len %u", ino, (unsigned long long)lblk, off,
			    e.rec_len);
	if (e.inode) {
		if (e.name_len == 0 || EXT2_DIR_REC_LEN(e.name_len) > e.rec_len)
			return FAIL("inode %lu: directory block %llu: entry at "
				    "%u: bad name_len %u (rec_len %u)", ino,
				    (unsigned long long)lblk, off, e.name_len,
				    e.rec_len);
		if (e.inode > sbi->inodes_count)
			return FAIL("inode %lu: directory block %llu: entry at "
				    "%u: inode %u out of range (s_inodes_count "
				    "%u)", ino, (unsigned long long)lblk, off,
				    e.inode, sbi->inodes_count);
		if (sbi->filetype ? e.file_type >= EXT2_FT_MAX : e.file_type)
			return FAIL("inode %lu: directory block %llu: entry at "
				    "%u: bad %s %u", ino,
				    (unsigned long long)lblk, off,
				    sbi->filetype ? "file_type" : "name_len high byte",
				    e.file_type);
	}
	de->inode = e.inode;
	de->offset = off;
	de->rec_len = e.rec_len;
	de->name_len = e.inode ? e.name_len : 0;
	de->file_type = sbi->filetype && e.inode ? e.file_type : 0;
	de->name = (const char *)p + sizeof(e);
	*offset = off + e.rec_len;
	return 1;
}

int ext2_dir_find(struct ext2_sb_info *sbi, unsigned long dir,
		  const struct ext2_inode *raw, const char *name, size_t len,
		  uint32_t *ino, void *scratch, char *err, size_t errlen)
{
	uint64_t nblocks = ext2_isize(raw) >> sbi->block_bits;
	struct ext2_dirent de;
	uint32_t pblk;
	int ret;

	if ((raw->i_mode & 0xF000) != 0x4000)
		return -ENOTDIR;
	for (uint64_t lblk = 0; lblk < nblocks; lblk++) {
		unsigned int off = 0;

		ret = ext2_bmap(sbi, dir, raw, lblk, &pblk, err, errlen);
		if (ret)
			return ret;
		if (!pblk)
			return FAIL("inode %lu: directory has a hole at block "
				    "%llu", dir, (unsigned long long)lblk);
		ret = sbi->read(sbi->ctx, (uint64_t)pblk << sbi->block_bits,
				scratch, sbi->block_size);
		if (ret) {
			ksnprintf(err, errlen, "inode %lu: cannot read "
				  "directory block %u", dir, pblk);
			return ret;
		}
		while ((ret = ext2_dir_next(sbi, dir, lblk, scratch, &off, &de,
					    err, errlen)) == 1) {
			if (de.inode && de.name_len == len &&
			    !memcmp(de.name, name, len)) {
				*ino = de.inode;
				return 0;
			}
		}
		if (ret < 0)
			return ret;
	}
	return -ENOENT;
}

/* Read directory block lblk of dir into scratch: 0 and *pblk, or -errno. */
static int read_dir_block(struct ext2_sb_info *sbi, unsigned long dir,
			  const struct ext2_inode *raw, uint64_t lblk,
			  uint32_t *pblk, void *scratch, char *err,
			  size_t errlen)
{
	int ret = ext2_bmap(sbi, dir, raw, lblk, pblk, err, errlen);

	if (ret)
		return ret;
	if (!*pblk)
		return FAIL("inode %lu: directory has a hole at block %llu",
			    dir, (unsigned long long)lblk);
	ret = sbi->read(sbi->ctx, (uint64_t)*pblk << sbi->block_bits, scratch,
			sbi->block_size);
	if (ret)
		ksnprintf(err, errlen, "inode %lu: cannot read directory "
			  "block %u", dir, *pblk);
	return ret;
}

/* Write entry (ino, name, ftype) with rec_len at offset of block buf. */
static void put_entry(const struct ext2_sb_info *sbi, uint8_t *buf,
		      unsigned int offset, uint32_t ino, unsigned int rec_len,
		      const char *name, size_t len, unsigned int ftype)
{
	struct ext2_dir_entry e = {
		.inode = ino, .rec_len = rec_len, .name_len = len,
		.file_type = sbi->filetype ? ftype : 0,
	};

	memcpy(buf + offset, &e, sizeof(e));
	memcpy(buf + offset + sizeof(e), name, len);
}

int ext2_add_entry(struct ext2_sb_info *sbi, unsigned long dir,
		   struct ext2_inode *raw, const char *name, size_t len,
		   uint32_t ino, unsigned int ftype, void *scratch, char *err,
		   size_t errlen)
{
	uint64_t nblocks = ext2_isize(raw) >> sbi->block_bits;
	unsigned int need = EXT2_DIR_REC_LEN(len);
	struct ext2_dirent de;
	uint32_t pblk;
	bool new;
	int ret;

	if (len == 0 || len > EXT2_NAME_LEN)
		return -EINVAL;
	/* An htree index would not know the new name: the directory
	 * becomes a plain linear one, which e2fsck accepts. */
	raw->i_flags &= ~EXT2_INDEX_FL;
	for (uint64_t lblk = 0; lblk < nblocks; lblk++) {
		unsigned int off = 0;

		ret = read_dir_block(sbi, dir, raw, lblk, &pblk, scratch, err,
				     errlen);
		if (ret)
			return ret;
		while ((ret = ext2_dir_next(sbi, dir, lblk, scratch, &off, &de,
					    err, errlen)) == 1) {
			unsigned int used = de.inode ?
					    EXT2_DIR_REC_LEN(de.name_len) : 0;

			if (de.rec_len - used < need)
				continue;
			if (used) {
				/* Shorten this entry; ours takes the rest. */
				uint16_t rl = used;

				memcpy((uint8_t *)scratch + de.offset + 4, &rl, 2);
			}
			put_entry(sbi, scratch, de.offset + used, ino,
				  de.rec_len - used, name, len, ftype);
			return sbi->write(sbi->ctx, (uint64_t)pblk <<
					  sbi->block_bits, scratch,
					  sbi->block_size);
		}
		if (ret < 0)
			return ret;
	}
	/* No room: a new block, one entry over all of it. */
	ret = ext2_get_block(sbi, dir, raw, nblocks, &pblk, &new, err, errlen);
	if (ret)
		return ret;
	memset(scratch, 0, sbi->block_size);
	put_entry(sbi, scratch, 0, ino, sbi->block_size, name, len, ftype);
	ret = sbi->write(sbi->ctx, (uint64_t)pblk << sbi->block_bits, scratch,
			 sbi->block_size);
	if (!ret)
		raw->i_size += sbi->block_size;
	return ret;
}

int ext2_delete_entry(struct ext2_sb_info *sbi, unsigned long dir,
		      const struct ext2_inode *raw, const char *name,
		      size_t len, uint32_t *ino, void *scratch, char *err,
		      size_t errlen)
{
	uint64_t nblocks = ext2_isize(raw) >> sbi->block_bits;
	struct ext2_dirent de;
	uint32_t pblk;
	int ret;

	for (uint64_t lblk = 0; lblk < nblocks; lblk++) {
		unsigned int off = 0, prev = ~0U;

		ret = read_dir_block(sbi, dir, raw, lblk, &pblk, scratch, err,
				     errlen);
		if (ret)
			return ret;
		while ((ret = ext2_dir_next(sbi, dir, lblk, scratch, &off, &de,
					    err, errlen)) == 1) {
			if (!de.inode || de.name_len != len ||
			    memcmp(de.name, name, len)) {
				prev = de.offset;
				continue;
			}
			*ino = de.inode;
			if (prev != ~0U) {
				/* The previous entry swallows this one. */
				uint16_t rl;

				memcpy(&rl, (uint8_t *)scratch + prev + 4, 2);
				rl += de.rec_len;
				memcpy((uint8_t *)scratch + prev + 4, &rl, 2);
			} else {
				memset((uint8_t *)scratch + de.offset, 0, 4);
			}
			return sbi->write(sbi->ctx, (uint64_t)pblk <<
					  sbi->block_bits, scratch,
					  sbi->block_size);
		}
		if (ret < 0)
			return ret;
	}
	return -ENOENT;
}

int ext2_set_entry(struct ext2_sb_info *sbi, unsigned long dir,
		   const struct ext2_inode *raw, const char *name, size_t len,
		   uint32_t ino, unsigned int ftype, void *scratch, char *err,
		   size_t errlen)
{
	uint64_t nblocks = ext2_isize(raw) >> sbi->block_bits;
	struct ext2_dirent de;
	uint32_t pblk;
	int ret;

	for (uint64_t lblk = 0; lblk < nblocks; lblk++) {
		unsigned int off = 0;

		ret = read_dir_block(sbi, dir, raw, lblk, &pblk, scratch, err,
				     errlen);
		if (ret)
			return ret;
		while ((ret = ext2_dir_next(sbi, dir, lblk, scratch, &off, &de,
					    err, errlen)) == 1) {
			if (!de.inode || de.name_len != len ||
			    memcmp(de.name, name, len))
				continue;
			put_entry(sbi, scratch, de.offset, ino, de.rec_len,
				  name, len, ftype);
			return sbi->write(sbi->ctx, (uint64_t)pblk <<
					  sbi->block_bits, scratch,
					  sbi->block_size);
		}
		if (ret < 0)
			return ret;
	}
	return -ENOENT;
}

int ext2_dir_empty(struct ext2_sb_info *sbi, unsigned long dir,
		   const struct ext2_inode *raw, void *scratch, char *err,
		   size_t errlen)
{
	uint64_t nblocks = ext2_isize(raw) >> sbi->block_bits;
	struct ext2_dirent de;
	uint32_t pblk;
	int ret;

	for (uint64_t lblk = 0; lblk < nblocks; lblk++) {
		unsigned int off = 0;

		ret = read_dir_block(sbi, dir, raw, lblk, &pblk, scratch, err,
				     errlen);
		if (ret)
			return ret;
		while ((ret = ext2_dir_next(sbi, dir, lblk, scratch, &off, &de,
					    err, errlen)) == 1) {
			if (!de.inode)
				continue;
			if ((de.name_len == 1 && de.name[0] == '.') ||
			    (de.name_len == 2 && !memcmp(de.name, "..", 2)))
				continue;
			return 0;
		}
		if (ret < 0)
			return ret;
	}
	return 1;
}

unsigned int ext2_ftype_from_mode(unsigned int mode)
{
	switch (mode & 0xF000) {
	case 0x8000: return EXT2_FT_REG_FILE;
	case 0x4000: return EXT2_FT_DIR;
	case 0x2000: return EXT2_FT_CHRDEV;
	case 0x6000: return EXT2_FT_BLKDEV;
	case 0x1000: return EXT2_FT_FIFO;
	case 0xC000: return EXT2_FT_SOCK;
	case 0xA000: return EXT2_FT_SYMLINK;
	}
	return EXT2_FT_UNKNOWN;
}
