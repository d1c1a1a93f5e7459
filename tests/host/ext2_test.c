/*
 * tests/host/ext2_test.c - ext2's parsers against images made by the
 * host's mke2fs (e2fsprogs) at test time, in a temporary directory.
 *
 *  - ext2_reads_mke2fs_images: for 1, 2 and 4 KiB blocks and revision 0,
 *    an image populated with mke2fs -d from a directory of files (direct,
 *    single, double and (1 KiB) triple indirect blocks, a sparse file,
 *    nested directories, fast and slow symlinks): every file found by path
 *    through the directory parser and read through the block map has the
 *    bytes written to the source directory, and the image passes
 *    e2fsck -fn (the harness is sound).
 *  - ext2_refuses_malformed_images: each checked field corrupted in turn
 *    (superblock magic, block size, counts, first data block, incompat
 *    and ro_compat features, a group descriptor, an inode's mode, size
 *    and link count, a block pointer out of range and into metadata, a
 *    directory entry's rec_len and name_len): the documented refusal or
 *    -EUCLEAN with the reason naming the field and its value.
 */
#include "tests/host/host.h"
#include "fs/ext2/ext2.h"
#include "kernel/kunit.h"
#include "kernel/lib/string.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define E2PATH "PATH=\"$PATH:/sbin:/usr/sbin\" "

/* ---------------------------------------------------------- helpers */

struct image {
	uint8_t *data;
	size_t size;
	char dir[64];			/* the temporary directory */
	char path[96];			/* its image file */
};

static int mem_read(void *ctx, uint64_t off, void *buf, size_t len)
{
	struct image *img = ctx;

	if (off > img->size || len > img->size - off)
		return -EIO;
	memcpy(buf, img->data + off, len);
	return 0;
}

static int sh(const char *fmt, ...) __printf(1, 2);
static int sh(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static bool have_e2fsprogs(struct kunit *test)
{
	if (sh(E2PATH "command -v mke2fs >/dev/null && command -v e2fsck "
	       ">/dev/null && command -v debugfs >/dev/null") == 0)
		return true;
	KUNIT_FAIL(test, "mke2fs/e2fsck/debugfs not found: apt-get install e2fsprogs");
	return false;
}

/* Deterministic bytes for file n. */
static void fill(uint8_t *buf, size_t len, unsigned int n)
{
	uint32_t x = 0x9e3779b9u * (n + 1);

	for (size_t i = 0; i < len; i++) {
		x ^= x << 13; x ^= x >> 17; x ^= x << 5;
		buf[i] = x;
	}
}

static void write_file(const char *dir, const char *name, size_t len,
		       unsigned int n)
{
	char path[160];
	uint8_t *buf = malloc(len ? len : 1);
	FILE *f;

	fill(buf, len, n);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	fwrite(buf, 1, len, f);
	fclose(f);
	free(buf);
}

static bool load_image(struct image *img)
{
	FILE *f = fopen(img->path, "rb");

	if (!f)
		return false;
	fseek(f, 0, SEEK_END);
	img->size = ftell(f);
	rewind(f);
	img->data = malloc(img->size);
	if (fread(img->data, 1, img->size, f) != img->size) {
		fclose(f);
		return false;
	}
	fclose(f);
	return true;
}

/*
 * Make an image of size KiB with block size bs (and mke2fs options opts)
 * from a source tree; the tree's files are listed in files[] below.
 */
static const struct { const char *name; size_t len; } files[] = {
	{ "small", 100 },
	{ "empty", 0 },
	{ "twelve", 12 * 1024 },		/* direct only with 1 KiB */
	{ "single", 13 * 4096 + 7 },		/* single indirect */
	{ "double", 300 * 1024 + 11 },		/* double with 1 KiB */
	{ "d/e/f/deep", 5000 },
};
#define SPARSE_SIZE	(70ULL << 20)		/* triple indirect with 1 KiB */
#define SPARSE_DATA	"tail"
#define SLOW_LINK	"a-symlink-target-longer-than-sixty-bytes/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

static bool make_image(struct kunit *test, struct image *img, unsigned int bs,
		       const char *opts, unsigned int kib)
{
	char src[96];

	memset(img, 0, sizeof(*img));
	strcpy(img->dir, "/tmp/ext2_test.XXXXXX");
	if (!mkdtemp(img->dir)) {
		KUNIT_FAIL(test, "mkdtemp failed");
		return false;
	}
	snprintf(img->path, sizeof(img->path), "%s/img", img->dir);
	snprintf(src, sizeof(src), "%s/src", img->dir);
	sh("mkdir -p %s/d/e/f %s/emptydir", src, src);
	for (unsigned int i = 0; i < ARRAY_SIZE(files); i++)
		write_file(src, files[i].name, files[i].len, i);
	sh("truncate -s %llu %s/sparse && printf %s | dd of=%s/sparse bs=1 "
	   "seek=%llu conv=notrunc status=none", SPARSE_SIZE, src,
	   SPARSE_DATA, src, SPARSE_SIZE - 100);
	sh("ln -s small %s/fastlink && ln -s %s %s/slowlink", src, SLOW_LINK, src);
	if (sh(E2PATH "mke2fs -q -F -t ext2 -b %u %s -N 64 -d %s %s %uk >/dev/null",
	       bs, opts, src, img->path, kib) != 0) {
		KUNIT_FAIL(test, "mke2fs -b %u %s failed", bs, opts);
		return false;
	}
	if (!load_image(img)) {
		KUNIT_FAIL(test, "cannot read %s", img->path);
		return false;
	}
	return true;
}

static void drop_image(struct image *img)
{
	free(img->data);
	img->data = NULL;
	sh("rm -rf %s", img->dir);
}

/* Mount-time parsing: superblock and descriptors. */
static int mount_image(struct image *img, struct ext2_sb_info *sbi, char *err,
		       size_t errlen)
{
	int ret;

	memset(sbi, 0, sizeof(*sbi));
	sbi->read = mem_read;
	sbi->ctx = img;
	strcpy(sbi->id, "img");
	ret = ext2_parse_super(sbi, img->data + EXT2_SUPER_OFFSET, img->size,
			       err, errlen);
	if (ret < 0)
		return ret;
	sbi->gd = malloc(ext2_gd_bytes(sbi));
	return ext2_load_group_desc(sbi, err, errlen) ?: ret;
}

static void unmount_image(struct ext2_sb_info *sbi)
{
	free(sbi->gd);
	sbi->gd = NULL;
}

/* Resolve an absolute path to an inode number (no symlinks followed). */
static int lookup(struct ext2_sb_info *sbi, const char *path, uint32_t *ino,
		  struct ext2_inode *raw, char *err, size_t errlen)
{
	uint8_t *scratch = malloc(sbi->block_size);
	uint32_t cur = EXT2_ROOT_INO;
	int ret = ext2_read_inode_raw(sbi, cur, raw, err, errlen);

	while (ret == 0 && *path) {
		const char *end;

		while (*path == '/')
			path++;
		end = path;
		while (*end && *end != '/')
			end++;
		if (end == path)
			break;
		ret = ext2_dir_find(sbi, cur, raw, path, end - path, &cur,
				    scratch, err, errlen);
		if (ret == 0)
			ret = ext2_read_inode_raw(sbi, cur, raw, err, errlen);
		path = end;
	}
	free(scratch);
	*ino = cur;
	return ret;
}

/* Read the whole file into a new buffer (holes as zeros). */
static int read_file(struct ext2_sb_info *sbi, uint32_t ino,
		     const struct ext2_inode *raw, uint8_t **out, char *err,
		     size_t errlen)
{
	uint64_t size = ext2_isize(raw);
	uint8_t *buf = calloc(1, size ? size : 1);
	uint32_t pblk;

	for (uint64_t off = 0; off < size; off += sbi->block_size) {
		size_t n = min((uint64_t)sbi->block_size, size - off);
		int ret = ext2_bmap(sbi, ino, raw, off >> sbi->block_bits,
				    &pblk, err, errlen);

		if (ret) {
			free(buf);
			return ret;
		}
		if (pblk)
			mem_read(sbi->ctx, (uint64_t)pblk << sbi->block_bits,
				 buf + off, n);
	}
	*out = buf;
	return 0;
}

/* ------------------------------------------------------------ reading */

static void check_tree(struct kunit *test, struct image *img)
{
	struct ext2_sb_info sbi;
	struct ext2_inode raw;
	char err[160] = "";
	uint8_t *data, *want;
	uint32_t ino;
	int ret;

	ret = mount_image(img, &sbi, err, sizeof(err));
	KUNIT_ASSERT_EQ(test, ret, 0);
	for (unsigned int i = 0; i < ARRAY_SIZE(files); i++) {
		char path[64];

		snprintf(path, sizeof(path), "/%s", files[i].name);
		ret = lookup(&sbi, path, &ino, &raw, err, sizeof(err));
		KUNIT_EXPECT_EQ(test, ret, 0);
		if (ret) {
			KUNIT_FAIL(test, "%s: %s", path, err);
			continue;
		}
		KUNIT_EXPECT_EQ(test, ext2_isize(&raw), (uint64_t)files[i].len);
		KUNIT_ASSERT_EQ(test, read_file(&sbi, ino, &raw, &data, err,
						sizeof(err)), 0);
		want = malloc(files[i].len + 1);
		fill(want, files[i].len, i);
		KUNIT_EXPECT_TRUE(test, memcmp(data, want, files[i].len) == 0);
		free(want);
		free(data);
	}

	/* The sparse file: zeros, then the tail, through the triple
	 * indirect block with 1 KiB blocks. */
	KUNIT_ASSERT_EQ(test, lookup(&sbi, "/sparse", &ino, &raw, err,
				     sizeof(err)), 0);
	KUNIT_EXPECT_EQ(test, ext2_isize(&raw), SPARSE_SIZE);
	if (sbi.block_size == 1024)
		KUNIT_EXPECT_NE(test, raw.i_block[EXT2_TIND_BLOCK], 0U);
	KUNIT_ASSERT_EQ(test, read_file(&sbi, ino, &raw, &data, err,
					sizeof(err)), 0);
	KUNIT_EXPECT_TRUE(test, !memcmp(data + SPARSE_SIZE - 100, SPARSE_DATA, 4));
	KUNIT_EXPECT_EQ(test, data[0], 0);
	KUNIT_EXPECT_EQ(test, data[SPARSE_SIZE / 2], 0);
	free(data);

	/* Symlinks: a fast one in i_block, a slow one in a block. */
	KUNIT_ASSERT_EQ(test, lookup(&sbi, "/fastlink", &ino, &raw, err,
				     sizeof(err)), 0);
	KUNIT_EXPECT_TRUE(test, ext2_inode_is_fast_symlink(&sbi, &raw));
	KUNIT_EXPECT_TRUE(test, !memcmp(raw.i_block, "small", 5));
	KUNIT_ASSERT_EQ(test, lookup(&sbi, "/slowlink", &ino, &raw, err,
				     sizeof(err)), 0);
	KUNIT_EXPECT_FALSE(test, ext2_inode_is_fast_symlink(&sbi, &raw));
	KUNIT_ASSERT_EQ(test, read_file(&sbi, ino, &raw, &data, err,
					sizeof(err)), 0);
	KUNIT_EXPECT_TRUE(test, !memcmp(data, SLOW_LINK, strlen(SLOW_LINK)));
	free(data);

	/* Directories: an empty one is a directory, a missing name is
	 * -ENOENT, a file is not a directory. */
	KUNIT_EXPECT_EQ(test, lookup(&sbi, "/emptydir", &ino, &raw, err,
				     sizeof(err)), 0);
	KUNIT_EXPECT_EQ(test, raw.i_mode & 0xF000, 0x4000);
	KUNIT_EXPECT_EQ(test, lookup(&sbi, "/nosuch", &ino, &raw, err,
				     sizeof(err)), -ENOENT);
	KUNIT_EXPECT_EQ(test, lookup(&sbi, "/small/x", &ino, &raw, err,
				     sizeof(err)), -ENOTDIR);
	KUNIT_EXPECT_EQ(test, lookup(&sbi, "/d/e/f/..", &ino, &raw, err,
				     sizeof(err)), 0);
	KUNIT_EXPECT_EQ(test, raw.i_mode & 0xF000, 0x4000);
	unmount_image(&sbi);
	KUNIT_EXPECT_EQ(test, sh(E2PATH "e2fsck -fn %s >/dev/null 2>&1",
				 img->path), 0);
}

static void ext2_reads_mke2fs_images(struct kunit *test)
{
	static const struct { unsigned int bs; const char *opts; } cfg[] = {
		{ 1024, "" }, { 2048, "" }, { 4096, "" },
		{ 1024, "-r 0" }, { 1024, "-O ^sparse_super,^filetype,^resize_inode" },
	};
	struct image img;

	if (!have_e2fsprogs(test))
		return;
	for (unsigned int i = 0; i < ARRAY_SIZE(cfg); i++) {
		kunit_info(test, "mke2fs -b %u %s", cfg[i].bs, cfg[i].opts);
		if (!make_image(test, &img, cfg[i].bs, cfg[i].opts, 8192))
			return;
		check_tree(test, &img);
		drop_image(&img);
	}
}

/* ------------------------------------------------------- malformed */

/* Restore the clean image, apply a corruption, and check what a mount
 * and a read of path say. */
struct corruption {
	const char *what;
	void (*apply)(struct image *img, struct ext2_sb_info *clean);
	int mount_ret;			/* ext2_parse_super/load_group_desc */
	const char *path;		/* then look this up and read it */
	int read_ret;
	const char *reason;		/* in err */
};

static struct ext2_super_block *sb_of(struct image *img)
{
	return (struct ext2_super_block *)(img->data + EXT2_SUPER_OFFSET);
}

static struct ext2_inode *inode_of(struct image *img,
				   struct ext2_sb_info *clean, const char *path)
{
	struct ext2_inode raw;
	char err[160];
	uint32_t ino;

	if (lookup(clean, path, &ino, &raw, err, sizeof(err)))
		return NULL;
	return (struct ext2_inode *)(img->data + ext2_inode_offset(clean, ino));
}

static uint8_t *root_block(struct image *img, struct ext2_sb_info *clean)
{
	struct ext2_inode *root = inode_of(img, clean, "/");

	return img->data + ((uint64_t)root->i_block[0] << clean->block_bits);
}

static void c_magic(struct image *i, struct ext2_sb_info *c) { sb_of(i)->s_magic = 0x1234; }
static void c_logbs(struct image *i, struct ext2_sb_info *c) { sb_of(i)->s_log_block_size = 5; }
static void c_bpg(struct image *i, struct ext2_sb_info *c) { sb_of(i)->s_blocks_per_group = 0; }
static void c_ipg(struct image *i, struct ext2_sb_info *c) { sb_of(i)->s_inodes_per_group = 3; }
static void c_icount(struct image *i, struct ext2_sb_info *c) { sb_of(i)->s_inodes_count += 8; }
static void c_fdb(struct image *i, struct ext2_sb_info *c) { sb_of(i)->s_first_data_block = 0; }
static void c_bcount(struct image *i, struct ext2_sb_info *c) { sb_of(i)->s_blocks_count *= 4; }
static void c_incompat(struct image *i, struct ext2_sb_info *c) { sb_of(i)->s_feature_incompat |= 0x240; }
static void c_rocompat(struct image *i, struct ext2_sb_info *c) { sb_of(i)->s_feature_ro_compat |= 0x4; }
static void c_gd(struct image *i, struct ext2_sb_info *c)
{
	struct ext2_group_desc *gd = (void *)(i->data + 2 * 1024);

	gd[0].bg_inode_table = c->blocks_count + 5;
}
static void c_mode(struct image *i, struct ext2_sb_info *c) { inode_of(i, c, "/small")->i_mode = 0644; }
static void c_size(struct image *i, struct ext2_sb_info *c) { inode_of(i, c, "/small")->i_blocks = 1000; }
static void c_links(struct image *i, struct ext2_sb_info *c) { inode_of(i, c, "/small")->i_links_count = 0; }
static void c_dirsize(struct image *i, struct ext2_sb_info *c) { inode_of(i, c, "/d")->i_size = 1000; }
static void c_ptr(struct image *i, struct ext2_sb_info *c) { inode_of(i, c, "/double")->i_block[3] = 99999; }
static void c_ind(struct image *i, struct ext2_sb_info *c) { inode_of(i, c, "/double")->i_block[EXT2_DIND_BLOCK] = c->gd[0].bg_inode_table + 1; }
static void c_reclen(struct image *i, struct ext2_sb_info *c)
{
	struct ext2_dir_entry *de = (void *)root_block(i, c);

	de->rec_len = 3;	/* "." */
}
static void c_reclen_past(struct image *i, struct ext2_sb_info *c)
{
	uint8_t *blk = root_block(i, c);
	struct ext2_dir_entry *de = (void *)(blk + 12);	/* ".." */

	de->rec_len = 2048;
}
static void c_namelen(struct image *i, struct ext2_sb_info *c)
{
	struct ext2_dir_entry *de = (void *)(root_block(i, c) + 12);

	de->name_len = 200;
}

static const struct corruption corruptions[] = {
	{ "superblock magic", c_magic, -EINVAL, NULL, 0, "bad magic 0x1234 at byte 1080" },
	{ "block size", c_logbs, -EINVAL, NULL, 0, "s_log_block_size 5" },
	{ "blocks per group", c_bpg, -EINVAL, NULL, 0, "s_blocks_per_group 0" },
	{ "inodes per group", c_ipg, -EINVAL, NULL, 0, "s_inodes_per_group 3" },
	{ "inode count", c_icount, -EINVAL, NULL, 0, "s_inodes_count 72" },
	{ "first data block", c_fdb, -EINVAL, NULL, 0, "s_first_data_block 0" },
	{ "block count", c_bcount, -EINVAL, NULL, 0, "larger than the disk" },
	{ "incompat features", c_incompat, -EINVAL, NULL, 0, "unsupported features (s_feature_incompat 0x242): extent flex_bg" },
	{ "ro_compat features", c_rocompat, 1, "/small", 0, "read-only: unsupported features (s_feature_ro_compat 0x7): btree_dir" },
	{ "group descriptor", c_gd, -EINVAL, NULL, 0, "group 0: inode table" },
	{ "inode mode", c_mode, 0, "/small", -EUCLEAN, "bad mode 0644" },
	{ "inode size vs blocks", c_size, 0, "/small", -EUCLEAN, "1000 sectors (i_blocks) but size 100" },
	{ "link count", c_links, 0, "/small", -EUCLEAN, "link count 0" },
	{ "directory size", c_dirsize, 0, "/d/e", -EUCLEAN, "directory size 1000" },
	{ "block pointer", c_ptr, 0, "/double", -EUCLEAN, "block pointer 99999 out of range (blocks 8192)" },
	{ "indirect into metadata", c_ind, 0, "/double", -EUCLEAN, "in metadata" },
	{ "dir rec_len", c_reclen, 0, "/small", -EUCLEAN, "entry at 0: bad rec_len 3" },
	{ "dir rec_len past block", c_reclen_past, 0, "/small", -EUCLEAN, "entry at 12: bad rec_len 2048" },
	{ "dir name_len", c_namelen, 0, "/small", -EUCLEAN, "entry at 12: bad name_len 200" },
};

static void ext2_refuses_malformed_images(struct kunit *test)
{
	struct image img;
	struct ext2_sb_info clean, sbi;
	struct ext2_inode raw;
	char err[200], merr[200];
	uint8_t *orig, *data;
	uint32_t ino;
	int ret;

	if (!have_e2fsprogs(test) || !make_image(test, &img, 1024, "", 8192))
		return;
	orig = malloc(img.size);
	memcpy(orig, img.data, img.size);
	KUNIT_ASSERT_EQ(test, mount_image(&img, &clean, err, sizeof(err)), 0);
	for (unsigned int i = 0; i < ARRAY_SIZE(corruptions); i++) {
		const struct corruption *c = &corruptions[i];

		memcpy(img.data, orig, img.size);
		c->apply(&img, &clean);
		err[0] = '\0';
		ret = mount_image(&img, &sbi, err, sizeof(err));
		if (ret != c->mount_ret)
			KUNIT_FAIL(test, "%s: mount gave %d (%s), expected %d",
				   c->what, ret, err, c->mount_ret);
		strcpy(merr, err);
		if (ret >= 0 && c->path) {
			err[0] = '\0';
			ret = lookup(&sbi, c->path, &ino, &raw, err, sizeof(err));
			if (ret == 0) {
				ret = read_file(&sbi, ino, &raw, &data, err,
						sizeof(err));
				if (ret == 0)
					free(data);
			}
			if (ret != c->read_ret)
				KUNIT_FAIL(test, "%s: read of %s gave %d (%s), "
					   "expected %d", c->what, c->path, ret,
					   err, c->read_ret);
		}
		if (!strstr(merr, c->reason) && !strstr(err, c->reason))
			KUNIT_FAIL(test, "%s: reason '%s' / '%s' lacks '%s'",
				   c->what, merr, err, c->reason);
		if (sbi.gd)
			unmount_image(&sbi);
	}
	unmount_image(&clean);
	free(orig);
	drop_image(&img);
}

static struct kunit_case ext2_cases[] = {
	KUNIT_CASE(ext2_reads_mke2fs_images),
	KUNIT_CASE(ext2_refuses_malformed_images),
	{}
};

static struct kunit_suite ext2_suite = {
	.name = "ext2_host",
	.test_cases = ext2_cases,
};
kunit_test_suite(ext2_suite);
