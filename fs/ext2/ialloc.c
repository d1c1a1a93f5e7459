/*
 * fs/ext2/ialloc.c - inode allocation with the groups' inode bitmaps.
 * docs/fs/ext2.md ("Allocation").
 *
 * Bit i of group g's inode bitmap is inode g * s_inodes_per_group + i + 1.
 * A new directory goes to a group with more free inodes and blocks than
 * the average (directories spread, their files then stay near them); a
 * file to its directory's group.
 */
#include "fs/ext2/ext2.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vsprintf.h"

/* The group a new directory should go to: the first (from the parent's)
 * with free inodes and blocks at or above the average. */
static uint32_t dir_group(const struct ext2_sb_info *sbi, uint32_t parent)
{
	uint32_t avg_i = sbi->sb.s_free_inodes_count / sbi->groups_count;
	uint32_t avg_b = sbi->sb.s_free_blocks_count / sbi->groups_count;

	for (uint32_t i = 0; i < sbi->groups_count; i++) {
		uint32_t g = (parent + i) % sbi->groups_count;

		if (sbi->gd[g].bg_free_inodes_count &&
		    sbi->gd[g].bg_free_inodes_count >= avg_i &&
		    sbi->gd[g].bg_free_blocks_count >= avg_b)
			return g;
	}
	return parent;
}

int ext2_new_inode(struct ext2_sb_info *sbi, unsigned long dir, bool is_dir,
		   uint32_t *ino, char *err, size_t errlen)
{
	uint32_t parent = (dir - 1) / sbi->inodes_per_group;
	uint32_t g0 = is_dir ? dir_group(sbi, parent) : parent;
	uint8_t b;

	if (!sbi->write)
		return -EROFS;
	if (sbi->sb.s_free_inodes_count == 0)
		return -ENOSPC;
	for (uint32_t i = 0; i < sbi->groups_count; i++) {
		uint32_t g = (g0 + i) % sbi->groups_count;
		struct ext2_group_desc *gd = &sbi->gd[g];
		uint64_t base = (uint64_t)gd->bg_inode_bitmap << sbi->block_bits;

		if (gd->bg_free_inodes_count == 0)
			continue;
		for (uint32_t bit = 0; bit < sbi->inodes_per_group; bit++) {
			uint32_t n = g * sbi->inodes_per_group + bit + 1;
			int ret;

			if (n < sbi->first_ino)
				continue;
			if (bit % 8 == 0 || n == sbi->first_ino) {
				ret = sbi->read(sbi->ctx, base + bit / 8, &b, 1);
				if (ret)
					return ret;
			}
			if (b & (1 << (bit % 8)))
				continue;
			ret = ext2_change_bit(sbi, gd->bg_inode_bitmap, bit,
					      true);
			if (ret < 0)
				return ret;
			gd->bg_free_inodes_count--;
			sbi->sb.s_free_inodes_count--;
			if (is_dir)
				gd->bg_used_dirs_count++;
			*ino = n;
			return 0;
		}
		ksnprintf(err, errlen, "group %u: bg_free_inodes_count %u but "
			  "its bitmap is full", g, gd->bg_free_inodes_count);
		return -EUCLEAN;
	}
	ksnprintf(err, errlen, "s_free_inodes_count %u but no group has a "
		  "free inode", sbi->sb.s_free_inodes_count);
	return -EUCLEAN;
}

int ext2_free_inode(struct ext2_sb_info *sbi, uint32_t ino, bool is_dir,
		    char *err, size_t errlen)
{
	uint32_t g = (ino - 1) / sbi->inodes_per_group;
	int ret;

	if (ino < sbi->first_ino || ino > sbi->inodes_count) {
		ksnprintf(err, errlen, "freeing reserved or out-of-range inode "
			  "%u", ino);
		return -EUCLEAN;
	}
	ret = ext2_change_bit(sbi, sbi->gd[g].bg_inode_bitmap,
			      (ino - 1) % sbi->inodes_per_group, false);
	if (ret < 0)
		return ret;
	if (ret == 0) {
		ksnprintf(err, errlen, "freeing inode %u: already free", ino);
		return -EUCLEAN;
	}
	sbi->gd[g].bg_free_inodes_count++;
	sbi->sb.s_free_inodes_count++;
	if (is_dir)
		sbi->gd[g].bg_used_dirs_count--;
	return 0;
}
