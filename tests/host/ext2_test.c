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
 *    -EUCLEAN with the reason naming the field and its value; a ".."
 *    cycle is found (-EUCLEAN) when a directory is moved below it.
 *  - ext2_random_ops_match_model: random create/mkdir/write/truncate/
 *    unlink/rmdir/rename against a model of the tree (--seed N replays),
 *    then e2fsck -fn exits 0 and debugfs reads every file's bytes.
 *  - ext2_fills_to_enospc: a short write, then -ENOSPC, e2fsck clean;
 *    unlink gives all the space back.
 */
#include "tests/host/host.h"
#include "tests/host/blkfile.h"
#include "tests/host/ext2_image.h"
#include "fs/ext2/ext2.h"
#include "mm/page_alloc.h"
#include "kernel/kunit.h"
#include "kernel/lib/random.h"
#include "kernel/lib/string.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>


/* ---------------------------------------------------------- helpers */


static int mem_read(void *ctx, uint64_t off, void *buf, size_t len)
{
	struct image *img = ctx;

	if (off > img->size || len > img->size - off)
		return -EIO;
	memcpy(buf, img->data + off, len);
	return 0;
}

static int mem_write(void *ctx, uint64_t off, const void *buf, size_t len)
{
	struct image *img = ctx;

	if (off > img->size || len > img->size - off)
		return -EIO;
	memcpy(img->data + off, buf, len);
	return 0;
}

long long fixed_now(void)
{
	return 1700000000;
}

int sh(const char *fmt, ...) __printf(1, 2);
int sh(const char *fmt, ...)
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

bool have_e2fsprogs(struct kunit *test)
{
	if (sh(E2PATH "command -v mke2fs >/dev/null && command -v e2fsck "
	       ">/dev/null && command -v debugfs >/dev/null") == 0)
		return true;
	KUNIT_FAIL(test, "mke2fs/e2fsck/debugfs not found: apt-get install e2fsprogs");
	return false;
}

/* Deterministic bytes for file n. */
void fill(uint8_t *buf, size_t len, unsigned int n)
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

bool make_image(struct kunit *test, struct image *img, unsigned int bs,
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

void drop_image(struct image *img)
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
	sbi->write = mem_write;
	sbi->now = fixed_now;
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
int lookup(struct ext2_sb_info *sbi, const char *path, uint32_t *ino,
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
		if (pblk && (ret = sbi->read(sbi->ctx, (uint64_t)pblk <<
					     sbi->block_bits, buf + off, n))) {
			free(buf);
			return ret;
		}
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

	/* A ".." cycle: /d/e's ".." names /d/e/f, whose ".." is /d/e.
	 * Moving a directory under /d/e/f must not loop, nor trust it. */
	uint32_t e, f, root_ino;
	struct ext2_inode eraw;
	uint8_t *scratch = malloc(clean.block_size);

	memcpy(img.data, orig, img.size);
	KUNIT_ASSERT_EQ(test, lookup(&clean, "/d/e/f", &f, &raw, err,
				     sizeof(err)), 0);
	KUNIT_ASSERT_EQ(test, lookup(&clean, "/d/e", &e, &eraw, err,
				     sizeof(err)), 0);
	KUNIT_ASSERT_EQ(test, ext2_set_entry(&clean, e, &eraw, "..", 2, f,
					     EXT2_FT_DIR, scratch, err,
					     sizeof(err)), 0);
	KUNIT_ASSERT_EQ(test, mount_image(&img, &sbi, err, sizeof(err)), 0);
	KUNIT_ASSERT_EQ(test, lookup(&sbi, "/", &root_ino, &raw, err,
				     sizeof(err)), 0);
	err[0] = '\0';
	KUNIT_EXPECT_EQ(test, ext2_do_rename(&sbi, root_ino, "emptydir", 8, f,
					     "x", 1, scratch, err, sizeof(err)),
			-EUCLEAN);
	KUNIT_EXPECT_STR_CONTAINS(test, err, "directory cycle through \"..\"");
	/* Into its own subtree (no corruption): -EINVAL. */
	memcpy(img.data, orig, img.size);
	KUNIT_EXPECT_EQ(test, ext2_do_rename(&sbi, root_ino, "d", 1, f, "x", 1,
					     scratch, err, sizeof(err)),
			-EINVAL);
	unmount_image(&sbi);
	free(scratch);
	unmount_image(&clean);
	free(orig);
	drop_image(&img);
}

/* ------------------------------------------------------------ writing */

/* Save the image and ask e2fsck -fn about it: its exit status. */
static int fsck(struct ext2_sb_info *sbi, struct image *img)
{
	FILE *f;

	ext2_write_super(sbi);
	f = fopen(img->path, "wb");
	fwrite(img->data, 1, img->size, f);
	fclose(f);
	return sh(E2PATH "e2fsck -fn %s > %s/fsck.log 2>&1 || "
		  "{ cat %s/fsck.log; exit 1; }", img->path, img->dir, img->dir);
}

/* debugfs's bytes of path equal want[0..len). */
bool debugfs_matches(struct image *img, const char *path,
			    const uint8_t *want, size_t len)
{
	char out[128];
	struct image got = { 0 };
	bool same;

	snprintf(out, sizeof(out), "%s/cat.out", img->dir);
	if (sh(E2PATH "debugfs -R 'cat %s' %s > %s 2>/dev/null", path,
	       img->path, out))
		return false;
	strcpy(got.path, out);
	if (!load_image(&got))
		return false;
	same = got.size == len && (!len || !memcmp(got.data, want, len));
	free(got.data);
	return same;
}

/*
 * The page cache's part in a write(2), done directly: allocate the
 * blocks of [off, off + len) (zeroing the rest of a new block), copy,
 * move the size. Bytes written (short at ENOSPC) or -errno.
 */
long write_data(struct ext2_sb_info *sbi, uint32_t ino, uint64_t off,
		       const uint8_t *buf, size_t len, char *err,
		       size_t errlen)
{
	static const uint8_t zeros[4096];
	struct ext2_inode raw;
	size_t done = 0;
	int ret = ext2_read_inode_raw(sbi, ino, &raw, err, errlen);

	while (!ret && done < len) {
		uint64_t pos = off + done;
		uint32_t in = pos % sbi->block_size, pblk;
		size_t n = min((size_t)(sbi->block_size - in), len - done);
		bool new;

		ret = ext2_get_block(sbi, ino, &raw, pos >> sbi->block_bits,
				     &pblk, &new, err, errlen);
		if (ret)
			break;
		if (new && (ret = sbi->write(sbi->ctx, (uint64_t)pblk <<
					     sbi->block_bits, zeros,
					     sbi->block_size)))
			break;
		ret = sbi->write(sbi->ctx, ((uint64_t)pblk << sbi->block_bits) +
				 in, buf + done, n);
		if (ret)
			break;
		done += n;
	}
	if (off + done > ext2_isize(&raw)) {
		raw.i_size = off + done;
		raw.i_size_high = (off + done) >> 32;
	}
	ext2_write_inode_raw(sbi, ino, &raw, false);
	return done ? (long)done : ret;
}

/* A model of the tree: every file and directory by path. */
#define MAX_NODES	96
struct node {
	char path[64];
	bool used, dir;
	uint32_t ino;
	uint8_t *data;
	size_t size;
};

/* The model holds a file's first CAP bytes (files are compared if no
 * larger; a far write is checked by e2fsck only). */
#define CAP	(3U << 20)

static void model_resize(struct node *n, size_t size)
{
	size_t have = min(n->size, (size_t)CAP), want = min(size, (size_t)CAP);

	n->data = realloc(n->data, want + 1);
	if (want > have)
		memset(n->data + have, 0, want - have);
	n->size = size;
}

static void model_write(struct node *n, uint64_t off, const uint8_t *buf,
			size_t len)
{
	if (off + len > n->size)
		model_resize(n, off + len);
	if (off < CAP)
		memcpy(n->data + off, buf, min(len, (size_t)(CAP - off)));
}

static int pick(struct prng *r, struct node *nodes, bool dir, bool used)
{
	int n = 0, cand[MAX_NODES];

	for (int i = 0; i < MAX_NODES; i++)
		if (nodes[i].used == used && (!used || nodes[i].dir == dir))
			cand[n++] = i;
	return n ? cand[prng_below(r, n)] : -1;
}

/* The directory part of path (its inode), and the last name. */
static uint32_t parent_of(struct ext2_sb_info *sbi, const char *path,
			  const char **name)
{
	char dir[64];
	struct ext2_inode raw;
	char err[160];
	uint32_t ino;
	const char *slash = strrchr(path, '/');

	memcpy(dir, path, slash - path);
	dir[slash - path] = '\0';
	*name = slash + 1;
	if (lookup(sbi, dir[0] ? dir : "/", &ino, &raw, err, sizeof(err)))
		return 0;
	return ino;
}

static bool dir_has_children(struct node *nodes, const char *path)
{
	size_t len = strlen(path);

	for (int i = 0; i < MAX_NODES; i++)
		if (nodes[i].used && !strncmp(nodes[i].path, path, len) &&
		    nodes[i].path[len] == '/')
			return true;
	return false;
}

/* The longest path at or below path. */
static size_t deepest_below(struct node *nodes, const char *path)
{
	size_t len = strlen(path), deepest = len;

	for (int i = 0; i < MAX_NODES; i++)
		if (nodes[i].used && !strncmp(nodes[i].path, path, len) &&
		    nodes[i].path[len] == '/')
			deepest = max(deepest, strlen(nodes[i].path));
	return deepest;
}

static void ext2_random_ops_match_model(struct kunit *test)
{
	struct node nodes[MAX_NODES];
	struct ext2_sb_info sbi;
	struct image img;
	struct prng r;
	char err[200];
	uint8_t *scratch, *buf;
	unsigned int serial = 0, compared = 0;

	if (!have_e2fsprogs(test) || !make_image(test, &img, 1024, "", 8192))
		return;
	KUNIT_ASSERT_EQ(test, mount_image(&img, &sbi, err, sizeof(err)), 0);
	prng_seed(&r, test->seed);
	memset(nodes, 0, sizeof(nodes));
	scratch = malloc(sbi.block_size);
	buf = malloc(64 * 1024);
	for (int step = 0; step < 600; step++) {
		int op = prng_below(&r, 15), i, d;
		const char *name;
		uint32_t dir;
		int ret = 0;

		err[0] = '\0';
		if (op <= 1 || op >= 12 || op == 9) {	/* create, mkdir */
			i = pick(&r, nodes, false, false);
			d = pick(&r, nodes, true, true);
			if (i < 0)
				continue;
			snprintf(nodes[i].path, sizeof(nodes[i].path), "%s/%c%u",
				 d >= 0 && strlen(nodes[d].path) < 40 ?
				 nodes[d].path : "", op == 9 ? 'd' : 'f',
				 serial++);
			dir = parent_of(&sbi, nodes[i].path, &name);
			KUNIT_ASSERT_NE(test, dir, 0U);
			if (op == 9)
				ret = ext2_do_mkdir(&sbi, dir, name, strlen(name),
						    0755, &nodes[i].ino, scratch,
						    err, sizeof(err));
			else
				ret = ext2_do_create(&sbi, dir, name, strlen(name),
						     0x8000 | 0644, &nodes[i].ino,
						     scratch, err, sizeof(err));
			if (ret == 0) {
				nodes[i].used = true;
				nodes[i].dir = op == 9;
				nodes[i].size = 0;
			}
		} else if (op <= 4) {			/* write */
			i = pick(&r, nodes, false, true);
			if (i < 0)
				continue;
			uint64_t off = prng_below(&r, 4) ? prng_below(&r, 300 * 1024)
					: prng_below(&r, 70ULL << 20);
			size_t len = 1 + prng_below(&r, 64 * 1024);
			long n;

			if (off > (2U << 20))		/* far: a little */
				len = min(len, (size_t)3000);
			for (size_t k = 0; k < len; k++)
				buf[k] = prng_next(&r);
			n = write_data(&sbi, nodes[i].ino, off, buf, len, err,
				       sizeof(err));
			if (n < 0 && n != -ENOSPC)
				ret = n;
			if (n > 0)
				model_write(&nodes[i], off, buf, n);
		} else if (op <= 6) {			/* truncate */
			i = pick(&r, nodes, false, true);
			if (i < 0)
				continue;
			size_t size = prng_below(&r, nodes[i].size + 20000);

			if (nodes[i].size > CAP && size > CAP)
				size = prng_below(&r, CAP);
			ret = ext2_do_setsize(&sbi, nodes[i].ino, size, err,
					      sizeof(err));
			if (ret == 0)
				model_resize(&nodes[i], size);
		} else if (op <= 8) {			/* unlink or rmdir */
			bool isdir = op == 8;

			i = pick(&r, nodes, isdir, true);
			if (i < 0 || (isdir && dir_has_children(nodes,
								nodes[i].path)))
				continue;
			dir = parent_of(&sbi, nodes[i].path, &name);
			KUNIT_ASSERT_NE(test, dir, 0U);
			ret = (isdir ? ext2_do_rmdir : ext2_do_unlink)(&sbi, dir,
					name, strlen(name), scratch, err,
					sizeof(err));
			if (ret == 0) {
				nodes[i].used = false;
				free(nodes[i].data);
				nodes[i].data = NULL;
			}
		} else if (op == 10) {			/* rename to a new name */
			i = pick(&r, nodes, prng_below(&r, 2), true);
			d = pick(&r, nodes, true, true);
			if (i < 0)
				continue;
			const char *dpath = d >= 0 && strlen(nodes[d].path) < 40 ?
					    nodes[d].path : "";
			char to[64];
			const char *oname, *nname;
			uint32_t odir, ndir;
			size_t plen = strlen(nodes[i].path);
			bool into_self = nodes[i].dir &&
					 !strncmp(dpath, nodes[i].path, plen) &&
					 (dpath[plen] == '/' || !dpath[plen]);

			snprintf(to, sizeof(to), "%s/%c%u", dpath,
				 nodes[i].dir ? 'd' : 'f', serial++);
			if (deepest_below(nodes, nodes[i].path) - plen +
			    strlen(to) > 60)
				continue;	/* the model's paths are short */
			odir = parent_of(&sbi, nodes[i].path, &oname);
			ndir = parent_of(&sbi, to, &nname);
			ret = ext2_do_rename(&sbi, odir, oname, strlen(oname),
					     ndir, nname, strlen(nname), scratch,
					     err, sizeof(err));
			if (into_self) {
				KUNIT_EXPECT_EQ(test, ret, -EINVAL);
				ret = 0;
			} else if (ret == 0) {
				/* The node and everything below it move. */
				char old[64];

				strcpy(old, nodes[i].path);
				for (int k = 0; k < MAX_NODES; k++) {
					char *p = nodes[k].path;

					if (!nodes[k].used || strncmp(p, old, plen) ||
					    (p[plen] && p[plen] != '/'))
						continue;
					char rest[64];

					strcpy(rest, p + plen);
					snprintf(p, sizeof(nodes[k].path), "%s%s",
						 to, rest);
				}
			}
		} else if (op == 11) {			/* rename over a file */
			i = pick(&r, nodes, false, true);
			d = pick(&r, nodes, false, true);
			if (i < 0 || d < 0 || i == d)
				continue;
			const char *oname, *nname;
			uint32_t odir = parent_of(&sbi, nodes[i].path, &oname);
			uint32_t ndir = parent_of(&sbi, nodes[d].path, &nname);

			ret = ext2_do_rename(&sbi, odir, oname, strlen(oname),
					     ndir, nname, strlen(nname), scratch,
					     err, sizeof(err));
			if (ret == 0) {
				free(nodes[d].data);
				strcpy(nodes[i].path, nodes[d].path);
				nodes[d].used = false;
				nodes[d].data = NULL;
			}
		}
		if (ret && ret != -ENOSPC) {
			KUNIT_FAIL(test, "step %d op %d: %d (%s)", step, op, ret,
				   err);
			break;
		}
	}
	KUNIT_EXPECT_EQ(test, fsck(&sbi, &img), 0);
	for (int i = 0; i < MAX_NODES; i++) {
		if (!nodes[i].used || nodes[i].dir || nodes[i].size > CAP)
			continue;
		compared++;
		if (!debugfs_matches(&img, nodes[i].path, nodes[i].data,
				     nodes[i].size))
			KUNIT_FAIL(test, "%s: debugfs reads other bytes (%zu "
				   "expected)", nodes[i].path, nodes[i].size);
	}
	kunit_info(test, "%u files compared, %u of %u blocks free", compared,
		   sbi.sb.s_free_blocks_count, sbi.blocks_count);
	KUNIT_EXPECT_GE(test, compared, 3U);
	for (int i = 0; i < MAX_NODES; i++)
		free(nodes[i].data);
	free(scratch);
	free(buf);
	unmount_image(&sbi);
	drop_image(&img);
}

/* Writing until the disk is full: ENOSPC with the bytes written so far,
 * nothing half-allocated (e2fsck clean); freeing gives the space back. */
static void ext2_fills_to_enospc(struct kunit *test)
{
	struct ext2_sb_info sbi;
	struct image img;
	char err[200];
	uint8_t *scratch, *buf;
	uint32_t ino, free0;
	long n, total = 0;

	if (!have_e2fsprogs(test) || !make_image(test, &img, 4096, "", 4096))
		return;
	KUNIT_ASSERT_EQ(test, mount_image(&img, &sbi, err, sizeof(err)), 0);
	scratch = malloc(sbi.block_size);
	buf = malloc(1 << 20);
	fill(buf, 1 << 20, 77);
	free0 = sbi.sb.s_free_blocks_count;
	KUNIT_ASSERT_EQ(test, ext2_do_create(&sbi, EXT2_ROOT_INO, "big", 3,
					     0x8000 | 0644, &ino, scratch, err,
					     sizeof(err)), 0);
	while ((n = write_data(&sbi, ino, total, buf, 1 << 20, err,
			       sizeof(err))) == 1 << 20)
		total += n;
	KUNIT_EXPECT_GT(test, n, 0L);		/* a short write first */
	total += n;
	KUNIT_EXPECT_LT(test, n, 1L << 20);
	KUNIT_EXPECT_EQ(test, sbi.sb.s_free_blocks_count, 0U);
	KUNIT_EXPECT_EQ(test, write_data(&sbi, ino, total, buf, 100, err,
					 sizeof(err)), (long)-ENOSPC);
	KUNIT_EXPECT_EQ(test, ext2_do_create(&sbi, EXT2_ROOT_INO, "z", 1,
					     0x8000, &ino, scratch, err,
					     sizeof(err)) == 0 ? 0 : 1, 0);
	/* A new directory needs a block: none. */
	KUNIT_EXPECT_EQ(test, ext2_do_mkdir(&sbi, EXT2_ROOT_INO, "dd", 2, 0755,
					    &ino, scratch, err, sizeof(err)),
			-ENOSPC);
	/* Entries until the root directory needs a block: the new inode is
	 * given back (free count and a deleted inode on disk). */
	char name[201];
	uint32_t ifree = 0;
	int i, ret = 0;

	for (i = 0; i < 40 && !ret; i++) {
		memset(name, 'a' + i % 26, 200);
		name[0] = 'A' + i;
		ifree = sbi.sb.s_free_inodes_count;
		ret = ext2_do_create(&sbi, EXT2_ROOT_INO, name, 200, 0x8000 | 0644,
				     &ino, scratch, err, sizeof(err));
	}
	KUNIT_EXPECT_EQ(test, ret, -ENOSPC);
	KUNIT_EXPECT_LT(test, i, 40);
	KUNIT_EXPECT_EQ(test, sbi.sb.s_free_inodes_count, ifree);
	KUNIT_EXPECT_EQ(test, fsck(&sbi, &img), 0);
	KUNIT_EXPECT_EQ(test, ext2_do_unlink(&sbi, EXT2_ROOT_INO, "big", 3,
					     scratch, err, sizeof(err)), 0);
	KUNIT_EXPECT_EQ(test, sbi.sb.s_free_blocks_count, free0);
	KUNIT_EXPECT_EQ(test, fsck(&sbi, &img), 0);
	free(scratch);
	free(buf);
	unmount_image(&sbi);
	drop_image(&img);
}

/* An htree directory (made by e2fsck -D) reads as a linear one, and
 * adding to it leaves a linear directory that e2fsck accepts. */
static void ext2_htree_dir_reads_linear(struct kunit *test)
{
	struct ext2_sb_info sbi;
	struct ext2_inode raw;
	struct image img;
	char err[200], name[64];
	uint8_t *scratch, *data;
	uint32_t big, ino;

	if (!have_e2fsprogs(test) || !make_image(test, &img, 1024, "", 8192))
		return;
	sh("mkdir -p %s/src2/big", img.dir);
	for (int i = 0; i < 300; i++) {
		snprintf(name, sizeof(name), "big/a-fairly-long-file-name-%d", i);
		char dir[96];

		snprintf(dir, sizeof(dir), "%s/src2", img.dir);
		write_file(dir, name, 10 + i, i);
	}
	free(img.data);
	KUNIT_ASSERT_EQ(test, sh(E2PATH "mke2fs -q -F -t ext2 -b 1024 -d %s/src2 "
				 "%s 8192k >/dev/null && e2fsck -fyD %s "
				 ">/dev/null 2>&1; e2fsck -fn %s >/dev/null 2>&1",
				 img.dir, img.path, img.path, img.path), 0);
	KUNIT_ASSERT_TRUE(test, load_image(&img));
	KUNIT_ASSERT_EQ(test, mount_image(&img, &sbi, err, sizeof(err)), 0);
	KUNIT_ASSERT_EQ(test, lookup(&sbi, "/big", &big, &raw, err,
				     sizeof(err)), 0);
	KUNIT_EXPECT_TRUE(test, raw.i_flags & EXT2_INDEX_FL);
	for (int i = 0; i < 300; i += 37) {
		uint8_t want[400];

		snprintf(name, sizeof(name), "/big/a-fairly-long-file-name-%d", i);
		KUNIT_ASSERT_EQ(test, lookup(&sbi, name, &ino, &raw, err,
					     sizeof(err)), 0);
		KUNIT_ASSERT_EQ(test, read_file(&sbi, ino, &raw, &data, err,
						sizeof(err)), 0);
		fill(want, 10 + i, i);
		KUNIT_EXPECT_TRUE(test, !memcmp(data, want, 10 + i));
		free(data);
	}
	scratch = malloc(sbi.block_size);
	for (int i = 0; i < 40; i++) {
		snprintf(name, sizeof(name), "new-%d", i);
		KUNIT_ASSERT_EQ(test, ext2_do_create(&sbi, big, name,
						     strlen(name), 0x8000 | 0644,
						     &ino, scratch, err,
						     sizeof(err)), 0);
	}
	KUNIT_ASSERT_EQ(test, ext2_do_unlink(&sbi, big,
					     "a-fairly-long-file-name-7", 25,
					     scratch, err, sizeof(err)), 0);
	KUNIT_EXPECT_EQ(test, fsck(&sbi, &img), 0);
	KUNIT_EXPECT_EQ(test, sh(E2PATH "debugfs -R 'stat /big/new-39' %s 2>&1 | "
				 "grep -q 'Type: regular'", img.path), 0);
	free(scratch);
	unmount_image(&sbi);
	drop_image(&img);
}

/* ext2 over the block layer: a bounce page read by blk_read. */
struct bdev_ctx {
	struct block_device *bdev;
	struct page *bounce;
};

static int bdev_read(void *ctx, uint64_t off, void *buf, size_t len)
{
	struct bdev_ctx *c = ctx;
	uint8_t *mem = page_address(c->bounce);

	while (len) {
		uint64_t sector = off / SECTOR_SIZE;
		unsigned int in = off % SECTOR_SIZE;
		size_t n = min(len, (size_t)(PAGE_SIZE - in));
		unsigned int count = DIV_ROUND_UP(in + n, SECTOR_SIZE);
		int ret = blk_read(c->bdev, sector, mem, count, NULL);

		if (ret)
			return ret;
		memcpy(buf, mem + in, n);
		buf = (uint8_t *)buf + n;
		off += n;
		len -= n;
	}
	return 0;
}

static void ext2_reads_through_block_layer(struct kunit *test)
{
	static struct blkfile bf;	/* stays in the block layer's list */
	static pg_data_t node;
	size_t arena = 1 << 20;
	void *mem = aligned_alloc(arena, arena);
	struct mem_range r = { virt_to_phys(mem), virt_to_phys(mem) + arena };
	struct bdev_ctx ctx;
	struct ext2_sb_info sbi;
	struct ext2_inode raw;
	struct image img;
	uint8_t raw_sb[1024], *data, *want;
	char err[200];
	uint32_t ino, pblk;

	if (!have_e2fsprogs(test) || !make_image(test, &img, 1024, "", 8192))
		return;
	KUNIT_ASSERT_EQ(test, page_arena_init(&node, &r, 1, 0), 0);
	ctx.bounce = alloc_pages_node(&node, GFP_KERNEL, 0);
	KUNIT_ASSERT_NOT_NULL(test, ctx.bounce);
	KUNIT_ASSERT_EQ(test, blkfile_open(&bf, img.path, "ext2t", true), 0);
	ctx.bdev = &bf.bdev;

	memset(&sbi, 0, sizeof(sbi));
	sbi.read = bdev_read;
	sbi.ctx = &ctx;
	KUNIT_ASSERT_EQ(test, bdev_read(&ctx, EXT2_SUPER_OFFSET, raw_sb,
					sizeof(raw_sb)), 0);
	KUNIT_ASSERT_EQ(test, ext2_parse_super(&sbi, raw_sb,
					       bf.bdev.nr_sectors * SECTOR_SIZE,
					       err, sizeof(err)), 0);
	sbi.gd = malloc(ext2_gd_bytes(&sbi));
	KUNIT_ASSERT_EQ(test, ext2_load_group_desc(&sbi, err, sizeof(err)), 0);
	KUNIT_ASSERT_EQ(test, lookup(&sbi, "/double", &ino, &raw, err,
				     sizeof(err)), 0);
	KUNIT_ASSERT_EQ(test, read_file(&sbi, ino, &raw, &data, err,
					sizeof(err)), 0);
	want = malloc(files[4].len);
	fill(want, files[4].len, 4);
	KUNIT_EXPECT_TRUE(test, !memcmp(data, want, files[4].len));
	KUNIT_EXPECT_GT(test, bf.bdev.nr_reads, 300UL);
	free(data);

	/* A failing data block: -EIO, nothing else. */
	KUNIT_ASSERT_EQ(test, ext2_bmap(&sbi, ino, &raw, 100, &pblk, err,
					sizeof(err)), 0);
	bf.fail_sector = (uint64_t)pblk * 2;
	KUNIT_EXPECT_EQ(test, read_file(&sbi, ino, &raw, &data, err,
					sizeof(err)), -EIO);
	/* A failing indirect block: -EIO with its number. */
	bf.fail_sector = (uint64_t)raw.i_block[EXT2_DIND_BLOCK] * 2; /* entry 0 */
	err[0] = '\0';
	KUNIT_EXPECT_EQ(test, ext2_bmap(&sbi, ino, &raw, 300, &pblk, err,
					sizeof(err)), -EIO);
	KUNIT_EXPECT_STR_CONTAINS(test, err, "cannot read indirect block");
	KUNIT_EXPECT_GT(test, bf.bdev.nr_errors, 1UL);
	bf.fail_sector = ~0ULL;
	KUNIT_EXPECT_EQ(test, ext2_bmap(&sbi, ino, &raw, 300, &pblk, err,
					sizeof(err)), 0);
	KUNIT_EXPECT_NE(test, pblk, 0U);

	blkfile_close(&bf);
	free(want);
	free(sbi.gd);
	__free_pages(ctx.bounce, 0);
	KUNIT_EXPECT_EQ(test, page_arena_destroy(&node), 0UL);
	free(mem);
	drop_image(&img);
}

static struct kunit_case ext2_cases[] = {
	KUNIT_CASE(ext2_reads_through_block_layer),
	KUNIT_CASE(ext2_htree_dir_reads_linear),
	KUNIT_CASE(ext2_random_ops_match_model),
	KUNIT_CASE(ext2_fills_to_enospc),
	KUNIT_CASE(ext2_reads_mke2fs_images),
	KUNIT_CASE(ext2_refuses_malformed_images),
	{}
};

static struct kunit_suite ext2_suite = {
	.name = "ext2_host",
	.test_cases = ext2_cases,
};
kunit_test_suite(ext2_suite);
