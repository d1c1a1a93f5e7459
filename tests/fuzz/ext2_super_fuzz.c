/*
 * tests/fuzz/ext2_super_fuzz.c - libFuzzer target for ext2's superblock
 * and group descriptor checks (fs/ext2/super.c), what a mount trusts.
 *
 * The input is the start of a disk. A mount is refused with a reason or
 * succeeds; after a success every group's bitmaps and inode table lie
 * inside the disk and inside their group, are reported as metadata by
 * ext2_block_bad, and no block past the disk is accepted.
 *
 *	make fuzz FUZZ=ext2_super        (tests/fuzz/fuzz.mk)
 *
 * Seeds in tests/fuzz/corpus/ext2_super/: small mke2fs images, made by
 * tools/mkext2-corpus.
 */
#include "tests/fuzz/ext2_fuzz_disk.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_disk disk = { data, size };
	struct ext2_sb_info sbi;

	if (fuzz_mount(&disk, &sbi) < 0)
		return 0;
	for (uint32_t g = 0; g < sbi.groups_count; g++) {
		const struct ext2_group_desc *gd = &sbi.gd[g];
		uint32_t first = ext2_group_first_block(&sbi, g);
		uint32_t end = first + ext2_group_nr_blocks(&sbi, g);

		CHECK(gd->bg_block_bitmap >= first && gd->bg_block_bitmap < end);
		CHECK(gd->bg_inode_bitmap >= first && gd->bg_inode_bitmap < end);
		CHECK(gd->bg_inode_table >= first &&
		      gd->bg_inode_table + sbi.itable_blocks <= end);
		CHECK(ext2_block_bad(&sbi, gd->bg_block_bitmap) != NULL);
		CHECK(ext2_block_bad(&sbi, gd->bg_inode_bitmap) != NULL);
		CHECK(ext2_block_bad(&sbi, gd->bg_inode_table) != NULL);
		CHECK(ext2_block_bad(&sbi, first) != NULL ||
		      !ext2_group_has_super(&sbi, g));
	}
	CHECK(ext2_block_bad(&sbi, sbi.blocks_count) != NULL);
	CHECK(ext2_block_bad(&sbi, 0xffffffffu) != NULL);
	CHECK(ext2_inode_offset(&sbi, 0) == 0);
	CHECK(ext2_inode_offset(&sbi, sbi.inodes_count + 1ULL) == 0);
	CHECK(ext2_inode_offset(&sbi, sbi.inodes_count) + sbi.inode_size <=
	      (uint64_t)sbi.blocks_count * sbi.block_size);
	free(sbi.gd);
	return 0;
}
