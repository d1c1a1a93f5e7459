/*
 * tests/fuzz/ext2_fuzz_disk.h - what the ext2 fuzz targets share: the
 * input as the start of a disk (reads past it return zeros, up to a
 * 16 MiB disk; past that, -EIO), and a mount of it.
 */
#ifndef TESTS_FUZZ_EXT2_FUZZ_DISK_H
#define TESTS_FUZZ_EXT2_FUZZ_DISK_H

#include "fs/ext2/ext2.h"
#include "kernel/lib/string.h"
#include "tests/fuzz/fuzz.h"

#include <stdlib.h>

#define FUZZ_DISK_BYTES	(16ULL << 20)

struct fuzz_disk {
	const uint8_t *data;
	size_t size;
};

static int fuzz_disk_read(void *ctx, uint64_t off, void *buf, size_t len)
{
	const struct fuzz_disk *d = ctx;

	if (off > FUZZ_DISK_BYTES || len > FUZZ_DISK_BYTES - off)
		return -EIO;
	memset(buf, 0, len);
	if (off < d->size)
		memcpy(buf, d->data + off, min((uint64_t)len, d->size - off));
	return 0;
}

/*
 * Parse the superblock and the descriptors of disk into sbi (sbi->gd
 * malloc'ed: free it). Returns what the parsers did, after checking what
 * every outcome promises.
 */
static int fuzz_mount(struct fuzz_disk *disk, struct ext2_sb_info *sbi)
{
	uint8_t raw[1024];
	char err[256];
	int ret;

	memset(sbi, 0, sizeof(*sbi));
	sbi->read = fuzz_disk_read;
	sbi->ctx = disk;
	fuzz_disk_read(disk, EXT2_SUPER_OFFSET, raw, sizeof(raw));
	err[0] = '\0';
	ret = ext2_parse_super(sbi, raw, FUZZ_DISK_BYTES, err, sizeof(err));
	CHECK(ret == 0 || ret == 1 || ret == -EINVAL);
	CHECK(ret == 0 || strlen(err) > 0);
	if (ret < 0)
		return ret;
	CHECK(sbi->block_size == 1024 || sbi->block_size == 2048 ||
	      sbi->block_size == 4096);
	CHECK((uint64_t)sbi->blocks_count * sbi->block_size <= FUZZ_DISK_BYTES);
	CHECK(sbi->groups_count > 0 &&
	      (uint64_t)sbi->groups_count * sbi->blocks_per_group >=
	      sbi->blocks_count - sbi->first_data_block);
	CHECK(sbi->inodes_count == sbi->groups_count * sbi->inodes_per_group);
	sbi->gd = malloc(ext2_gd_bytes(sbi));
	err[0] = '\0';
	ret = ext2_load_group_desc(sbi, err, sizeof(err));
	CHECK(ret == 0 || ret == -EINVAL || ret == -EIO);
	CHECK(ret == 0 || strlen(err) > 0);
	if (ret < 0) {
		free(sbi->gd);
		sbi->gd = NULL;
	}
	return ret;
}

#endif
