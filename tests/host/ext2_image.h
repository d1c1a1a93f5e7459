/*
 * tests/host/ext2_image.h - what the ext2 host tests share
 * (tests/host/ext2_test.c defines them): images made by mke2fs in a
 * temporary directory, a shell, and ext2 walks written for the tests.
 */
#ifndef TESTS_HOST_EXT2_IMAGE_H
#define TESTS_HOST_EXT2_IMAGE_H

#include "fs/ext2/ext2.h"
#include "kernel/kunit.h"

#define E2PATH "PATH=\"$PATH:/sbin:/usr/sbin\" "

struct image {
	uint8_t *data;			/* the image in memory */
	size_t size;
	char dir[64];			/* the temporary directory */
	char path[96];			/* its image file */
};

/* Run a shell command: its exit status. */
int sh(const char *fmt, ...) __printf(1, 2);
/* True if mke2fs, e2fsck and debugfs are there (else a failure naming
 * the apt-get line). */
bool have_e2fsprogs(struct kunit *test);
/* Deterministic bytes for file n. */
void fill(uint8_t *buf, size_t len, unsigned int n);
/* An image of kib KiB with bs-byte blocks (mke2fs opts) holding the test
 * tree, loaded into img->data; drop_image removes it all. */
bool make_image(struct kunit *test, struct image *img, unsigned int bs,
		const char *opts, unsigned int kib);
void drop_image(struct image *img);
/* Resolve an absolute path (no symlinks): 0, *ino and its inode. */
int lookup(struct ext2_sb_info *sbi, const char *path, uint32_t *ino,
	   struct ext2_inode *raw, char *err, size_t errlen);
/* The page cache's part of write(2), done through sbi->write: bytes
 * written (short at ENOSPC) or -errno. */
long write_data(struct ext2_sb_info *sbi, uint32_t ino, uint64_t off,
		const uint8_t *buf, size_t len, char *err, size_t errlen);
/* debugfs -R 'cat path' on img->path gives want[0..len). */
bool debugfs_matches(struct image *img, const char *path,
		     const uint8_t *want, size_t len);
long long fixed_now(void);

#endif
