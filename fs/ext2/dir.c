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
