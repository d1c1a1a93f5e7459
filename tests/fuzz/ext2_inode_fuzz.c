/*
 * tests/fuzz/ext2_inode_fuzz.c - libFuzzer target for ext2's inode check
 * and block map (fs/ext2/inode.c) and the directory lookup over them
 * (fs/ext2/dir.c).
 *
 * The input is the start of a disk; when it mounts, the first inodes are
 * read and checked, and each accepted one's block map is walked: every
 * block it yields is a hole or a block inside the disk that is not
 * metadata, whatever the indirect blocks hold. A few names are looked up
 * in the root directory: found, not found, or a reason.
 *
 *	make fuzz FUZZ=ext2_inode        (tests/fuzz/fuzz.mk)
 *
 * Seeds in tests/fuzz/corpus/ext2_inode/: small mke2fs images, made by
 * tools/mkext2-corpus.
 */
#include "tests/fuzz/ext2_fuzz_disk.h"

static const char *const names[] = { "hello", "sub", "link", "lost+found",
				     ".", ".." };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_disk disk = { data, size };
	struct ext2_sb_info sbi;
	struct ext2_inode raw;
	char err[256];
	uint8_t *scratch;

	if (fuzz_mount(&disk, &sbi) < 0)
		return 0;
	for (unsigned long ino = 1; ino <= min(sbi.inodes_count, 32U); ino++) {
		uint64_t nblocks;
		uint32_t pblk;
		int ret;

		err[0] = '\0';
		ret = ext2_read_inode_raw(&sbi, ino, &raw, err, sizeof(err));
		CHECK(ret == 0 || ret == -EUCLEAN || ret == -EIO);
		CHECK(ret == 0 || strlen(err) > 0);
		if (ret)
			continue;
		CHECK(ext2_isize(&raw) <= ext2_max_size(&sbi));
		nblocks = DIV_ROUND_UP(ext2_isize(&raw), sbi.block_size);
		for (uint64_t l = 0; l < min(nblocks, (uint64_t)300); l++) {
			ret = ext2_bmap(&sbi, ino, &raw, l, &pblk, err,
					sizeof(err));
			CHECK(ret == 0 || ret == -EUCLEAN || ret == -EIO);
			CHECK(ret == 0 ? pblk == 0 || !ext2_block_bad(&sbi, pblk)
				       : pblk == 0);
		}
		/* The far end of the map (triple indirect) and past it. */
		ret = ext2_bmap(&sbi, ino, &raw, nblocks ? nblocks - 1 : 0,
				&pblk, err, sizeof(err));
		CHECK(ret != 0 || pblk == 0 || !ext2_block_bad(&sbi, pblk));
		ret = ext2_bmap(&sbi, ino, &raw, ~0ULL >> 1, &pblk, err,
				sizeof(err));
		CHECK(ret == -EFBIG && pblk == 0);
	}
	scratch = malloc(sbi.block_size);
	if (ext2_read_inode_raw(&sbi, EXT2_ROOT_INO, &raw, err, sizeof(err)) == 0) {
		for (unsigned int i = 0; i < ARRAY_SIZE(names); i++) {
			uint32_t ino = 0;
			int ret = ext2_dir_find(&sbi, EXT2_ROOT_INO, &raw,
						names[i], strlen(names[i]),
						&ino, scratch, err,
						sizeof(err));

			CHECK(ret == 0 || ret == -ENOENT || ret == -ENOTDIR ||
			      ret == -EUCLEAN || ret == -EIO || ret == -EFBIG);
			CHECK(ret != 0 || (ino >= 1 && ino <= sbi.inodes_count));
		}
	}
	free(scratch);
	free(sbi.gd);
	return 0;
}
