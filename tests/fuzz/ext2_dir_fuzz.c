/*
 * tests/fuzz/ext2_dir_fuzz.c - libFuzzer target for ext2's directory
 * block parser (fs/ext2/dir.c: ext2_dir_next).
 *
 * The first input byte picks the block size (1, 2 or 4 KiB: byte % 3)
 * and whether entries carry a file type (byte & 4); the rest is the
 * block (zero-padded). Every entry the parser returns lies inside the
 * block, starts after the previous one, holds its name inside its
 * rec_len, names an inode in range; the walk ends at the block's end
 * (0) or with a reason (-EUCLEAN).
 *
 *	make fuzz FUZZ=ext2_dir          (tests/fuzz/fuzz.mk)
 *
 * Seeds in tests/fuzz/corpus/ext2_dir/: directory blocks of mke2fs
 * images, made by tools/mkext2-corpus.
 */
#include "fs/ext2/ext2.h"
#include "kernel/lib/string.h"
#include "tests/fuzz/fuzz.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ext2_sb_info sbi;
	struct ext2_dirent de;
	unsigned int off = 0, last = 0, n = 0;
	uint8_t *blk;
	char err[256];
	int ret;

	if (size < 1)
		return 0;
	memset(&sbi, 0, sizeof(sbi));
	sbi.block_bits = 10 + data[0] % 3;
	sbi.block_size = 1U << sbi.block_bits;
	sbi.filetype = data[0] & 4;
	sbi.inodes_count = 1000;
	blk = calloc(1, sbi.block_size);
	memcpy(blk, data + 1, min(size - 1, (size_t)sbi.block_size));
	err[0] = '\0';
	while ((ret = ext2_dir_next(&sbi, 12, 0, blk, &off, &de, err,
				    sizeof(err))) == 1) {
		CHECK(de.offset == last && off > de.offset);
		CHECK(off <= sbi.block_size);
		CHECK(de.rec_len >= 8 && de.rec_len % 4 == 0);
		CHECK(de.offset + de.rec_len == off);
		CHECK(de.name == (const char *)blk + de.offset + 8);
		CHECK(de.inode == 0 ||
		      (de.name_len > 0 && 8 + de.name_len <= de.rec_len));
		CHECK(de.inode <= sbi.inodes_count);
		CHECK(de.file_type < EXT2_FT_MAX);
		last = off;
		CHECK(++n <= sbi.block_size / 8);
	}
	CHECK(ret == 0 || ret == -EUCLEAN);
	CHECK(ret == 0 ? off == sbi.block_size : strlen(err) > 0);
	free(blk);
	return 0;
}
