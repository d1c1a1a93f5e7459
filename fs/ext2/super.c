/*
 * fs/ext2/super.c - the superblock and the group descriptors: read them,
 * refuse what we can not trust, and answer layout questions (where a
 * group starts, which blocks are metadata). docs/fs/ext2.md.
 */
#include "fs/ext2/ext2.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vsprintf.h"

struct feature_name {
	uint32_t mask;
	const char *name;
};

/* Linux's names (e2fsprogs' too), so a reason can be looked up. */
static const struct feature_name incompat_names[] = {
	{ 0x0001, "compression" }, { 0x0002, "filetype" },
	{ 0x0004, "needs_recovery" }, { 0x0008, "journal_dev" },
	{ 0x0010, "meta_bg" }, { 0x0040, "extent" }, { 0x0080, "64bit" },
	{ 0x0100, "mmp" }, { 0x0200, "flex_bg" }, { 0x0400, "ea_inode" },
	{ 0x1000, "dirdata" }, { 0x2000, "metadata_csum_seed" },
	{ 0x4000, "large_dir" }, { 0x8000, "inline_data" },
	{ 0x10000, "encrypt" }, { 0x20000, "casefold" },
};
static const struct feature_name ro_compat_names[] = {
	{ 0x0001, "sparse_super" }, { 0x0002, "large_file" },
	{ 0x0004, "btree_dir" }, { 0x0008, "huge_file" },
	{ 0x0010, "uninit_bg" }, { 0x0020, "dir_nlink" },
	{ 0x0040, "extra_isize" }, { 0x0100, "quota" },
	{ 0x0200, "bigalloc" }, { 0x0400, "metadata_csum" },
	{ 0x1000, "readonly" }, { 0x2000, "project" },
	{ 0x8000, "verity" },
};

/* Append the names of the bits of mask to err (at pos), unknown bits in
 * hex. */
static void name_features(char *err, size_t errlen, size_t pos,
			  uint32_t mask, const struct feature_name *names,
			  size_t n)
{
	const char *sep = "";

	for (size_t i = 0; i < n; i++) {
		if (!(mask & names[i].mask))
			continue;
		if (pos < errlen)
			pos += kscnprintf(err + pos, errlen - pos, "%s%s", sep,
					  names[i].name);
		sep = " ";
		mask &= ~names[i].mask;
	}
	if (mask && pos < errlen)
		kscnprintf(err + pos, errlen - pos, "%s0x%x", sep, mask);
}

#define FAIL(...) ({ ksnprintf(err, errlen, __VA_ARGS__); -EINVAL; })

int ext2_parse_super(struct ext2_sb_info *sbi, const void *raw,
		     uint64_t dev_bytes, char *err, size_t errlen)
{
	const struct ext2_super_block *es = raw;
	uint32_t bs, incompat, ro, need, groups, per_block;
	int ret = 0;

	memcpy(&sbi->sb, es, sizeof(sbi->sb));
	if (es->s_magic != EXT2_SUPER_MAGIC)
		return FAIL("bad magic 0x%x at byte %u (s_magic; ext2 is 0x%x)",
			    es->s_magic, EXT2_SUPER_OFFSET + 56,
			    EXT2_SUPER_MAGIC);
	if (es->s_rev_level > EXT2_DYNAMIC_REV)
		return FAIL("unsupported revision %u (s_rev_level)",
			    es->s_rev_level);
	if (es->s_log_block_size > EXT2_MAX_BLOCK_LOG - EXT2_MIN_BLOCK_LOG)
		return FAIL("block size not supported (s_log_block_size %u: "
			    "only 1, 2 or 4 KiB)", es->s_log_block_size);
	sbi->block_bits = EXT2_MIN_BLOCK_LOG + es->s_log_block_size;
	sbi->block_size = bs = 1U << sbi->block_bits;
	sbi->addr_per_block = bs / 4;
	sbi->rev_level = es->s_rev_level;

	if (sbi->rev_level == EXT2_GOOD_OLD_REV) {
		sbi->feature_compat = sbi->feature_incompat = 0;
		sbi->feature_ro_compat = 0;
		sbi->inode_size = EXT2_GOOD_OLD_INODE_SIZE;
		sbi->first_ino = EXT2_GOOD_OLD_FIRST_INO;
	} else {
		sbi->feature_compat = es->s_feature_compat;
		sbi->feature_incompat = es->s_feature_incompat;
		sbi->feature_ro_compat = es->s_feature_ro_compat;
		sbi->inode_size = es->s_inode_size;
		sbi->first_ino = es->s_first_ino;
	}
	incompat = sbi->feature_incompat & ~EXT2_FEATURE_INCOMPAT_SUPP;
	if (incompat) {
		size_t pos = kscnprintf(err, errlen,
					"unsupported features (s_feature_incompat 0x%x): ",
					sbi->feature_incompat);
		name_features(err, errlen, pos, incompat, incompat_names,
			      ARRAY_SIZE(incompat_names));
		return -EINVAL;
	}
	sbi->filetype = sbi->feature_incompat & EXT2_FEATURE_INCOMPAT_FILETYPE;
	sbi->sparse_super = sbi->feature_ro_compat &
			    EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER;
	sbi->large_file = sbi->feature_ro_compat &
			  EXT2_FEATURE_RO_COMPAT_LARGE_FILE;

	if (sbi->inode_size < EXT2_GOOD_OLD_INODE_SIZE || sbi->inode_size > bs ||
	    (sbi->inode_size & (sbi->inode_size - 1)))
		return FAIL("bad inode size %u (s_inode_size: a power of two, "
			    "128..%u)", sbi->inode_size, bs);
	sbi->first_data_block = es->s_first_data_block;
	need = bs == 1024 ? 1 : 0;
	if (sbi->first_data_block != need)
		return FAIL("s_first_data_block %u (must be %u with %u-byte "
			    "blocks)", sbi->first_data_block, need, bs);
	sbi->blocks_count = es->s_blocks_count;
	if (sbi->blocks_count <= sbi->first_data_block + 1)
		return FAIL("s_blocks_count %u too small", sbi->blocks_count);
	if ((uint64_t)sbi->blocks_count * bs > dev_bytes)
		return FAIL("s_blocks_count %u (%llu bytes) larger than the "
			    "disk (%llu bytes)", sbi->blocks_count,
			    (unsigned long long)sbi->blocks_count * bs,
			    (unsigned long long)dev_bytes);
	sbi->blocks_per_group = es->s_blocks_per_group;
	if (sbi->blocks_per_group == 0 || sbi->blocks_per_group > 8 * bs)
		return FAIL("s_blocks_per_group %u (must be 1..%u: one bitmap "
			    "block)", sbi->blocks_per_group, 8 * bs);
	per_block = bs / sbi->inode_size;
	sbi->inodes_per_group = es->s_inodes_per_group;
	if (sbi->inodes_per_group == 0 || sbi->inodes_per_group > 8 * bs ||
	    sbi->inodes_per_group % per_block)
		return FAIL("s_inodes_per_group %u (must be 1..%u, a multiple "
			    "of %u)", sbi->inodes_per_group, 8 * bs, per_block);
	groups = DIV_ROUND_UP(sbi->blocks_count - sbi->first_data_block,
			      sbi->blocks_per_group);
	sbi->groups_count = groups;
	sbi->inodes_count = es->s_inodes_count;
	if ((uint64_t)sbi->inodes_count !=
	    (uint64_t)groups * sbi->inodes_per_group)
		return FAIL("s_inodes_count %u but %u groups of %u "
			    "(s_inodes_per_group)", sbi->inodes_count, groups,
			    sbi->inodes_per_group);
	if (sbi->first_ino < EXT2_GOOD_OLD_FIRST_INO ||
	    sbi->first_ino >= sbi->inodes_count)
		return FAIL("s_first_ino %u (must be %u..%u)", sbi->first_ino,
			    EXT2_GOOD_OLD_FIRST_INO, sbi->inodes_count - 1);
	if (es->s_free_blocks_count > sbi->blocks_count ||
	    es->s_free_inodes_count > sbi->inodes_count)
		return FAIL("free counts %u blocks, %u inodes larger than the "
			    "file system (%u, %u)", es->s_free_blocks_count,
			    es->s_free_inodes_count, sbi->blocks_count,
			    sbi->inodes_count);
	sbi->itable_blocks = sbi->inodes_per_group / per_block;
	sbi->gdt_blocks = DIV_ROUND_UP(groups, bs / sizeof(struct ext2_group_desc));
	sbi->reserved_gdt = 0;
	if (sbi->feature_compat & EXT2_FEATURE_COMPAT_RESIZE_INODE)
		sbi->reserved_gdt = es->s_reserved_gdt_blocks;
	if (sbi->reserved_gdt > sbi->addr_per_block)
		return FAIL("s_reserved_gdt_blocks %u (at most %u)",
			    sbi->reserved_gdt, sbi->addr_per_block);
	/* Group 0 holds the superblock, the table, two bitmaps, the inode
	 * table: it must fit. (Each group is checked by its descriptor.) */
	need = 1 + sbi->gdt_blocks + sbi->reserved_gdt + 2 + sbi->itable_blocks;
	if (need > ext2_group_nr_blocks(sbi, 0))
		return FAIL("group 0 has %u blocks, its metadata needs %u "
			    "(s_blocks_per_group %u, s_inodes_per_group %u)",
			    ext2_group_nr_blocks(sbi, 0), need,
			    sbi->blocks_per_group, sbi->inodes_per_group);

	ro = sbi->feature_ro_compat & ~EXT2_FEATURE_RO_COMPAT_SUPP;
	sbi->readonly = false;
	if (ro) {
		size_t pos = kscnprintf(err, errlen,
					"read-only: unsupported features (s_feature_ro_compat 0x%x): ",
					sbi->feature_ro_compat);
		name_features(err, errlen, pos, ro, ro_compat_names,
			      ARRAY_SIZE(ro_compat_names));
		sbi->readonly = true;
		ret = 1;
	} else if (es->s_state & EXT2_ERROR_FS) {
		ksnprintf(err, errlen, "read-only: the file system has errors "
			  "(s_state 0x%x): run e2fsck", es->s_state);
		sbi->readonly = true;
		ret = 1;
	}
	return ret;
}

size_t ext2_gd_bytes(const struct ext2_sb_info *sbi)
{
	return (size_t)sbi->groups_count * sizeof(struct ext2_group_desc);
}

static bool is_power_of(uint32_t n, uint32_t base)
{
	while (n > 1 && n % base == 0)
		n /= base;
	return n == 1;
}

bool ext2_group_has_super(const struct ext2_sb_info *sbi, uint32_t group)
{
	if (group <= 1 || !sbi->sparse_super)
		return true;
	if (!(group & 1))
		return false;
	return is_power_of(group, 3) || is_power_of(group, 5) ||
	       is_power_of(group, 7);
}

uint32_t ext2_group_first_block(const struct ext2_sb_info *sbi, uint32_t group)
{
	return sbi->first_data_block + group * sbi->blocks_per_group;
}

uint32_t ext2_group_nr_blocks(const struct ext2_sb_info *sbi, uint32_t group)
{
	uint32_t first = ext2_group_first_block(sbi, group);

	return min(sbi->blocks_per_group, sbi->blocks_count - first);
}

/* Blocks at the start of group taken by the superblock copy, the table
 * and the reserved table blocks. */
static uint32_t group_super_blocks(const struct ext2_sb_info *sbi,
				   uint32_t group)
{
	if (!ext2_group_has_super(sbi, group))
		return 0;
	return 1 + sbi->gdt_blocks + sbi->reserved_gdt;
}

/* Check group's descriptor gd; 0 or -EINVAL. */
static int check_group_desc(const struct ext2_sb_info *sbi, uint32_t group,
			    const struct ext2_group_desc *gd, char *err,
			    size_t errlen)
{
	uint32_t first = ext2_group_first_block(sbi, group);
	uint32_t end = first + ext2_group_nr_blocks(sbi, group);
	uint32_t lo = first + group_super_blocks(sbi, group);
	uint32_t bb = gd->bg_block_bitmap, ib = gd->bg_inode_bitmap;
	uint32_t it = gd->bg_inode_table;

	if (bb < lo || bb >= end)
		return FAIL("group %u: block bitmap %u outside the group "
			    "(blocks %u..%u)", group, bb, lo, end - 1);
	if (ib < lo || ib >= end)
		return FAIL("group %u: inode bitmap %u outside the group "
			    "(blocks %u..%u)", group, ib, lo, end - 1);
	if (it < lo || it >= end || end - it < sbi->itable_blocks)
		return FAIL("group %u: inode table %u (+%u blocks) outside the "
			    "group (blocks %u..%u)", group, it,
			    sbi->itable_blocks, lo, end - 1);
	if (bb == ib || (bb >= it && bb < it + sbi->itable_blocks) ||
	    (ib >= it && ib < it + sbi->itable_blocks))
		return FAIL("group %u: block bitmap %u, inode bitmap %u and "
			    "inode table %u overlap", group, bb, ib, it);
	if (gd->bg_free_blocks_count > end - first ||
	    gd->bg_free_inodes_count > sbi->inodes_per_group ||
	    gd->bg_used_dirs_count > sbi->inodes_per_group)
		return FAIL("group %u: counts larger than the group (free "
			    "blocks %u, free inodes %u, dirs %u)", group,
			    gd->bg_free_blocks_count, gd->bg_free_inodes_count,
			    gd->bg_used_dirs_count);
	return 0;
}

int ext2_load_group_desc(struct ext2_sb_info *sbi, char *err, size_t errlen)
{
	uint64_t off = (uint64_t)(sbi->first_data_block + 1) * sbi->block_size;
	int ret;

	ret = sbi->read(sbi->ctx, off, sbi->gd, ext2_gd_bytes(sbi));
	if (ret) {
		ksnprintf(err, errlen, "cannot read the group descriptors at "
			  "block %u", sbi->first_data_block + 1);
		return ret;
	}
	for (uint32_t g = 0; g < sbi->groups_count; g++) {
		ret = check_group_desc(sbi, g, &sbi->gd[g], err, errlen);
		if (ret)
			return ret;
	}
	return 0;
}

const char *ext2_block_bad(const struct ext2_sb_info *sbi, uint32_t block)
{
	uint32_t group, first;
	const struct ext2_group_desc *gd;

	if (block < sbi->first_data_block || block >= sbi->blocks_count)
		return "out of range";
	group = (block - sbi->first_data_block) / sbi->blocks_per_group;
	first = ext2_group_first_block(sbi, group);
	if (ext2_group_has_super(sbi, group) &&
	    block < first + 1 + sbi->gdt_blocks)
		return "in metadata";
	gd = &sbi->gd[group];
	if (block == gd->bg_block_bitmap || block == gd->bg_inode_bitmap ||
	    (block >= gd->bg_inode_table &&
	     block - gd->bg_inode_table < sbi->itable_blocks))
		return "in metadata";
	return NULL;
}
