/*
 * fs/ext2/inode.c - inodes on disk and the block map: where inode N is,
 * whether what it says can be true, and which disk block holds block L of
 * its file. docs/fs/ext2.md ("How a path becomes blocks").
 *
 * The block map: i_block[0..11] name the file's first 12 blocks; i_block[12]
 * a block of block numbers (single indirect), i_block[13] a block of those
 * (double), i_block[14] one more level (triple). A 0 anywhere is a hole.
 */
#include "fs/ext2/ext2.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vsprintf.h"

#define FAIL(...) ({ ksnprintf(err, errlen, __VA_ARGS__); -EUCLEAN; })

/* Data blocks the map can address. */
static uint64_t map_blocks(const struct ext2_sb_info *sbi)
{
	uint64_t a = sbi->addr_per_block;

	return EXT2_NDIR_BLOCKS + a + a * a + a * a * a;
}

uint64_t ext2_max_size(const struct ext2_sb_info *sbi)
{
	/* i_blocks counts 512-byte units in 32 bits: stay below that too. */
	uint64_t size = map_blocks(sbi) << sbi->block_bits;
	uint64_t units = ((1ULL << 32) - 1) << 9;

	size = min(size, units - ((uint64_t)4 << sbi->block_bits) * sbi->addr_per_block);
	if (!sbi->large_file)
		size = min(size, (uint64_t)0x7fffffff);
	return size;
}

/* The blocks (data and indirect) a file of nr data blocks may own. */
static uint64_t blocks_for(const struct ext2_sb_info *sbi, uint64_t nr)
{
	uint64_t a = sbi->addr_per_block, total = nr, rem;

	if (nr <= EXT2_NDIR_BLOCKS)
		return total;
	rem = nr - EXT2_NDIR_BLOCKS;
	total += 1;				/* single indirect */
	if (rem <= a)
		return total;
	rem -= a;
	total += 1 + DIV_ROUND_UP(min(rem, a * a), a);	/* double */
	if (rem <= a * a)
		return total;
	rem -= a * a;
	return total + 1 + DIV_ROUND_UP(rem, a * a) + DIV_ROUND_UP(rem, a);
}

bool ext2_inode_is_fast_symlink(const struct ext2_sb_info *sbi,
				const struct ext2_inode *raw)
{
	/* No data block: i_blocks counts only an xattr block if any. */
	uint32_t acl = raw->i_file_acl ? sbi->block_size / 512 : 0;

	return (raw->i_mode & 0xF000) == 0xA000 && raw->i_blocks == acl;
}

uint64_t ext2_inode_offset(const struct ext2_sb_info *sbi, unsigned long ino)
{
	uint32_t group, index;
	uint64_t byte;

	if (ino == 0 || ino > sbi->inodes_count)
		return 0;
	group = (ino - 1) / sbi->inodes_per_group;
	index = (ino - 1) % sbi->inodes_per_group;
	byte = (uint64_t)sbi->gd[group].bg_inode_table << sbi->block_bits;
	return byte + (uint64_t)index * sbi->inode_size;
}

int ext2_check_inode(const struct ext2_sb_info *sbi, unsigned long ino,
		     const struct ext2_inode *raw, char *err, size_t errlen)
{
	unsigned int type = raw->i_mode & 0xF000;
	uint64_t size = ext2_isize(raw), allowed;
	uint32_t per_unit = sbi->block_size / 512;
	const char *why;

	switch (type) {
	case 0x1000: case 0x2000: case 0x4000: case 0x6000:
	case 0x8000: case 0xA000: case 0xC000:
		break;
	default:
		return FAIL("inode %lu: bad mode 0%o (no file type)", ino,
			    raw->i_mode);
	}
	if (raw->i_links_count == 0)
		return FAIL("inode %lu: link count 0 (deleted, dtime %u) but "
			    "reachable", ino, raw->i_dtime);
	if (raw->i_flags & (EXT4_EXTENTS_FL | EXT4_INLINE_DATA_FL))
		return FAIL("inode %lu: extents or inline data (i_flags 0x%x): "
			    "not ext2", ino, raw->i_flags);
	if (raw->i_file_acl && (why = ext2_block_bad(sbi, raw->i_file_acl)))
		return FAIL("inode %lu: xattr block %u %s (blocks %u)", ino,
			    raw->i_file_acl, why, sbi->blocks_count);
	if (size > ext2_max_size(sbi))
		return FAIL("inode %lu: size %llu larger than ext2 allows "
			    "(%llu)", ino, (unsigned long long)size,
			    (unsigned long long)ext2_max_size(sbi));
	if (type == 0x4000 && (size == 0 || size & (sbi->block_size - 1)))
		return FAIL("inode %lu: directory size %llu not a whole number "
			    "of %u-byte blocks", ino, (unsigned long long)size,
			    sbi->block_size);
	if (type == 0xA000 && (size == 0 || size >= 4096))
		return FAIL("inode %lu: symlink size %llu (must be 1..4095)",
			    ino, (unsigned long long)size);
	if (type == 0xA000 && ext2_inode_is_fast_symlink(sbi, raw) &&
	    size >= sizeof(raw->i_block))
		return FAIL("inode %lu: fast symlink of %llu bytes (at most %zu "
			    "fit in i_block)", ino, (unsigned long long)size,
			    sizeof(raw->i_block) - 1);
	if (type == 0x8000 || type == 0x4000 || type == 0xA000)
		allowed = blocks_for(sbi, DIV_ROUND_UP(size, sbi->block_size));
	else
		allowed = 0;
	allowed += raw->i_file_acl ? 1 : 0;
	if (raw->i_blocks % per_unit || raw->i_blocks / per_unit > allowed)
		return FAIL("inode %lu: %u sectors (i_blocks) but size %llu "
			    "needs at most %llu", ino, raw->i_blocks,
			    (unsigned long long)size,
			    (unsigned long long)allowed * per_unit);
	return 0;
}

int ext2_read_inode_raw(struct ext2_sb_info *sbi, unsigned long ino,
			struct ext2_inode *raw, char *err, size_t errlen)
{
	uint64_t off = ext2_inode_offset(sbi, ino);
	int ret;

	if (!off)
		return FAIL("inode %lu out of range (s_inodes_count %u)", ino,
			    sbi->inodes_count);
	ret = sbi->read(sbi->ctx, off, raw, sizeof(*raw));
	if (ret) {
		ksnprintf(err, errlen, "inode %lu: cannot read block %llu",
			  ino, (unsigned long long)(off >> sbi->block_bits));
		return ret;
	}
	return ext2_check_inode(sbi, ino, raw, err, errlen);
}

int ext2_block_to_path(const struct ext2_sb_info *sbi, uint64_t lblk,
		       unsigned int offsets[4])
{
	uint64_t a = sbi->addr_per_block;

	if (lblk < EXT2_NDIR_BLOCKS) {
		offsets[0] = lblk;
		return 1;
	}
	lblk -= EXT2_NDIR_BLOCKS;
	if (lblk < a) {
		offsets[0] = EXT2_IND_BLOCK;
		offsets[1] = lblk;
		return 2;
	}
	lblk -= a;
	if (lblk < a * a) {
		offsets[0] = EXT2_DIND_BLOCK;
		offsets[1] = lblk / a;
		offsets[2] = lblk % a;
		return 3;
	}
	lblk -= a * a;
	if (lblk < a * a * a) {
		offsets[0] = EXT2_TIND_BLOCK;
		offsets[1] = lblk / (a * a);
		offsets[2] = (lblk / a) % a;
		offsets[3] = lblk % a;
		return 4;
	}
	return 0;
}

int ext2_bmap(struct ext2_sb_info *sbi, unsigned long ino,
	      const struct ext2_inode *raw, uint64_t lblk, uint32_t *pblk,
	      char *err, size_t errlen)
{
	unsigned int offsets[4];
	int depth = ext2_block_to_path(sbi, lblk, offsets);
	uint32_t block;
	const char *why;

	*pblk = 0;
	if (!depth) {
		ksnprintf(err, errlen, "inode %lu: block %llu past the block map",
			  ino, (unsigned long long)lblk);
		return -EFBIG;
	}
	block = raw->i_block[offsets[0]];
	for (int level = 1; ; level++) {
		if (block == 0)
			return 0;	/* a hole */
		why = ext2_block_bad(sbi, block);
		if (why)
			return FAIL("inode %lu: block pointer %u %s (blocks %u)",
				    ino, block, why, sbi->blocks_count);
		if (level == depth)
			break;
		uint64_t off = ((uint64_t)block << sbi->block_bits) +
			       offsets[level] * 4ULL;
		int ret = sbi->read(sbi->ctx, off, &block, sizeof(block));

		if (ret) {
			ksnprintf(err, errlen, "inode %lu: cannot read "
				  "indirect block %llu", ino,
				  (unsigned long long)(off >> sbi->block_bits));
			return ret;
		}
	}
	*pblk = block;
	return 0;
}

/* ------------------------------------------------------------ writing */

static const uint8_t zeros[1 << EXT2_MAX_BLOCK_LOG];

int ext2_write_inode_raw(struct ext2_sb_info *sbi, unsigned long ino,
			 const struct ext2_inode *raw, bool whole)
{
	uint64_t off = ext2_inode_offset(sbi, ino);
	int ret = 0;

	if (!sbi->write)
		return -EROFS;
	if (!off)
		return -EUCLEAN;
	if (whole && sbi->inode_size > sizeof(*raw))
		ret = sbi->write(sbi->ctx, off, zeros, sbi->inode_size);
	return ret ?: sbi->write(sbi->ctx, off, raw, sizeof(*raw));
}

int ext2_get_block(struct ext2_sb_info *sbi, unsigned long ino,
		   struct ext2_inode *raw, uint64_t lblk, uint32_t *pblk,
		   bool *new, char *err, size_t errlen)
{
	unsigned int offsets[4];
	int depth = ext2_block_to_path(sbi, lblk, offsets);
	uint32_t cur, goal, parent = 0;
	uint64_t slot = 0;
	int ret;

	*new = false;
	*pblk = 0;
	if (!depth) {
		ksnprintf(err, errlen, "inode %lu: block %llu past the block map",
			  ino, (unsigned long long)lblk);
		return -EFBIG;
	}
	/* Goal: just after the file's previous block, else the start of
	 * the inode's group. */
	goal = ext2_group_first_block(sbi, (ino - 1) / sbi->inodes_per_group);
	if (lblk && ext2_bmap(sbi, ino, raw, lblk - 1, &cur, err, errlen) == 0 &&
	    cur)
		goal = cur + 1;
	for (int level = 0; level < depth; level++) {
		if (level == 0) {
			cur = raw->i_block[offsets[0]];
		} else {
			slot = ((uint64_t)parent << sbi->block_bits) +
			       offsets[level] * 4ULL;
			ret = sbi->read(sbi->ctx, slot, &cur, sizeof(cur));
			if (ret)
				return ret;
		}
		if (cur == 0) {
			ret = ext2_new_block(sbi, goal, &cur, err, errlen);
			if (ret)
				return ret;
			if (level < depth - 1) {
				ret = sbi->write(sbi->ctx, (uint64_t)cur <<
						 sbi->block_bits, zeros,
						 sbi->block_size);
				if (ret)
					return ret;
			} else {
				*new = true;
			}
			if (level == 0)
				raw->i_block[offsets[0]] = cur;
			else if ((ret = sbi->write(sbi->ctx, slot, &cur,
						   sizeof(cur))))
				return ret;
			raw->i_blocks += sbi->block_size / 512;
			goal = cur + 1;
		} else if (ext2_block_bad(sbi, cur)) {
			return FAIL("inode %lu: block pointer %u %s (blocks %u)",
				    ino, cur, ext2_block_bad(sbi, cur),
				    sbi->blocks_count);
		}
		parent = cur;
	}
	*pblk = cur;
	return 0;
}

struct trunc {
	struct ext2_sb_info *sbi;
	unsigned long ino;
	struct ext2_inode *raw;
	uint64_t from;
	char *err;
	size_t errlen;
};

/* Free the part at or after t->from of the subtree under *blk (level 0:
 * a data block; 1..3: indirect) whose first file block is start; *blk
 * becomes 0 if the whole subtree went. */
static int free_branch(struct trunc *t, uint32_t *blk, int level,
		       uint64_t start)
{
	struct ext2_sb_info *sbi = t->sbi;
	uint64_t a = sbi->addr_per_block, span = 1;
	char *err = t->err;
	size_t errlen = t->errlen;
	int ret;

	for (int l = 0; l < level; l++)
		span *= a;
	if (*blk == 0 || start + span <= t->from)
		return 0;
	if (ext2_block_bad(sbi, *blk))
		return FAIL("inode %lu: block pointer %u %s (blocks %u)",
			    t->ino, *blk, ext2_block_bad(sbi, *blk),
			    sbi->blocks_count);
	if (level > 0) {
		uint64_t child = span / a;

		for (uint64_t i = 0; i < a; i++) {
			uint64_t cs = start + i * child;
			uint64_t off = ((uint64_t)*blk << sbi->block_bits) + i * 4;
			uint32_t c;

			if (cs + child <= t->from)
				continue;
			ret = sbi->read(sbi->ctx, off, &c, sizeof(c));
			if (ret)
				return ret;
			if (!c)
				continue;
			ret = free_branch(t, &c, level - 1, cs);
			if (ret)
				return ret;
			if (!c && (ret = sbi->write(sbi->ctx, off, &c, sizeof(c))))
				return ret;
		}
		if (start < t->from)
			return 0;	/* blocks before from stay under it */
	}
	ret = ext2_free_block(sbi, *blk, err, errlen);
	if (ret)
		return ret;
	t->raw->i_blocks -= sbi->block_size / 512;
	*blk = 0;
	return 0;
}

int ext2_truncate_blocks(struct ext2_sb_info *sbi, unsigned long ino,
			 struct ext2_inode *raw, uint64_t from, char *err,
			 size_t errlen)
{
	struct trunc t = { sbi, ino, raw, from, err, errlen };
	uint64_t a = sbi->addr_per_block;
	int ret = 0;

	__atomic_add_fetch(&sbi->truncate_gen, 1, __ATOMIC_SEQ_CST);

	if (ext2_inode_is_fast_symlink(sbi, raw))
		return 0;
	for (int i = 0; i < EXT2_NDIR_BLOCKS && !ret; i++)
		ret = free_branch(&t, &raw->i_block[i], 0, i);
	if (!ret)
		ret = free_branch(&t, &raw->i_block[EXT2_IND_BLOCK], 1,
				  EXT2_NDIR_BLOCKS);
	if (!ret)
		ret = free_branch(&t, &raw->i_block[EXT2_DIND_BLOCK], 2,
				  EXT2_NDIR_BLOCKS + a);
	if (!ret)
		ret = free_branch(&t, &raw->i_block[EXT2_TIND_BLOCK], 3,
				  EXT2_NDIR_BLOCKS + a + a * a);
	return ret;
}
