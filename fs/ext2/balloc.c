/*
 * fs/ext2/balloc.c - block allocation with the groups' block bitmaps, and
 * the free counts kept in the descriptors and the superblock.
 * docs/fs/ext2.md ("Allocation").
 *
 * A bitmap block has one bit per block of its group (bit i: block
 * first_block(group) + i). The counts in memory (sbi->gd, sbi->sb) are
 * written by ext2_write_super; the bitmap bytes go out at once.
 */
#include "fs/ext2/ext2.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vsprintf.h"

#define CHUNK	64	/* bitmap bytes read at a time */

/*
 * The first clear bit in [from, to) of the bitmap at block bitmap, or -1;
 * -EIO as a negative below -1 is returned as is.
 */
static long find_zero_bit(struct ext2_sb_info *sbi, uint32_t bitmap,
			  uint32_t from, uint32_t to)
{
	uint8_t buf[CHUNK];
	uint64_t base = (uint64_t)bitmap << sbi->block_bits;

	while (from < to) {
		uint32_t byte0 = from / 8 / CHUNK * CHUNK;
		int ret = sbi->read(sbi->ctx, base + byte0, buf, CHUNK);

		if (ret)
			return ret;
		for (; from < to && from / 8 < byte0 + CHUNK; from++)
			if (!(buf[from / 8 - byte0] & (1 << (from % 8))))
				return from;
	}
	return -1;
}

int ext2_change_bit(struct ext2_sb_info *sbi, uint32_t bitmap, uint32_t bit,
		    bool val)
{
	uint64_t off = ((uint64_t)bitmap << sbi->block_bits) + bit / 8;
	uint8_t b, mask = 1 << (bit % 8);
	int old, ret = sbi->read(sbi->ctx, off, &b, 1);

	if (ret)
		return ret;
	old = !!(b & mask);
	b = val ? b | mask : b & ~mask;
	ret = sbi->write(sbi->ctx, off, &b, 1);
	return ret ? ret : old;
}

int ext2_new_block(struct ext2_sb_info *sbi, uint32_t goal, uint32_t *block,
		   char *err, size_t errlen)
{
	uint32_t g0 = 0, start = 0;

	if (!sbi->write)
		return -EROFS;
	if (sbi->sb.s_free_blocks_count == 0)
		return -ENOSPC;
	if (goal >= sbi->first_data_block && goal < sbi->blocks_count) {
		g0 = (goal - sbi->first_data_block) / sbi->blocks_per_group;
		start = goal - ext2_group_first_block(sbi, g0);
	}
	for (uint32_t i = 0; i < sbi->groups_count; i++) {
		uint32_t g = (g0 + i) % sbi->groups_count;
		struct ext2_group_desc *gd = &sbi->gd[g];
		uint32_t n = ext2_group_nr_blocks(sbi, g);
		uint32_t from = i == 0 ? start : 0;
		long bit;

		if (gd->bg_free_blocks_count == 0)
			continue;
		bit = find_zero_bit(sbi, gd->bg_block_bitmap, from, n);
		if (bit == -1 && from)
			bit = find_zero_bit(sbi, gd->bg_block_bitmap, 0, from);
		if (bit < -1)
			return bit;
		if (bit == -1) {
			ksnprintf(err, errlen, "group %u: bg_free_blocks_count "
				  "%u but its bitmap is full", g,
				  gd->bg_free_blocks_count);
			return -EUCLEAN;
		}
		*block = ext2_group_first_block(sbi, g) + bit;
		if (ext2_block_bad(sbi, *block)) {
			ksnprintf(err, errlen, "group %u: block bitmap says "
				  "metadata block %u is free", g, *block);
			return -EUCLEAN;
		}
		int ret = ext2_change_bit(sbi, gd->bg_block_bitmap, bit, true);

		if (ret < 0)
			return ret;
		gd->bg_free_blocks_count--;
		sbi->sb.s_free_blocks_count--;
		return 0;
	}
	ksnprintf(err, errlen, "s_free_blocks_count %u but no group has a "
		  "free block", sbi->sb.s_free_blocks_count);
	return -EUCLEAN;
}

int ext2_free_block(struct ext2_sb_info *sbi, uint32_t block, char *err,
		    size_t errlen)
{
	const char *why = ext2_block_bad(sbi, block);
	uint32_t g;
	int ret;

	if (why) {
		ksnprintf(err, errlen, "freeing block %u %s", block, why);
		return -EUCLEAN;
	}
	g = (block - sbi->first_data_block) / sbi->blocks_per_group;
	ret = ext2_change_bit(sbi, sbi->gd[g].bg_block_bitmap,
			      block - ext2_group_first_block(sbi, g), false);
	if (ret < 0)
		return ret;
	if (ret == 0) {
		ksnprintf(err, errlen, "freeing block %u: already free", block);
		return -EUCLEAN;
	}
	sbi->gd[g].bg_free_blocks_count++;
	sbi->sb.s_free_blocks_count++;
	return 0;
}

int ext2_write_super(struct ext2_sb_info *sbi)
{
	uint64_t gdt = (uint64_t)(sbi->first_data_block + 1) << sbi->block_bits;
	int ret;

	if (!sbi->write)
		return -EROFS;
	ret = sbi->write(sbi->ctx, gdt, sbi->gd, ext2_gd_bytes(sbi));
	if (!ret)
		ret = sbi->write(sbi->ctx, EXT2_SUPER_OFFSET, &sbi->sb,
				 sizeof(sbi->sb));
	return ret;
}
