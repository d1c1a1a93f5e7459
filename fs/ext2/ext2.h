/*
 * fs/ext2/ext2.h - ext2's on-disk structures and the checked parsers that
 * read them. docs/fs/ext2.md.
 *
 * The disk is an array of blocks (1, 2 or 4 KiB). Block 0 (with 1 KiB
 * blocks: the first 1 KiB of block 0 otherwise) is left to a boot loader;
 * the superblock is always the 1024 bytes at byte 1024. The blocks from
 * s_first_data_block on are cut into groups of s_blocks_per_group; each
 * group has a block bitmap, an inode bitmap and a slice of the inode table,
 * named by its group descriptor, and groups 0, 1 and the powers of 3, 5
 * and 7 (sparse_super; every group without it) start with a copy of the
 * superblock and the group descriptor table.
 *
 * Both architectures are little-endian, as ext2 is on disk, so the
 * structures are read as they are.
 *
 * Everything read from the disk is checked before it is used: a parser
 * here returns 0 or a negative errno with a one-line reason in err
 * ("inode 12: block pointer 99999 out of range (blocks 8192)"); the
 * caller prefixes "ext2: DEV: " and prints it. The parsers read the disk
 * through sbi->read (fs/buffer.h in the kernel, a file on the host, the
 * input in the fuzz targets), so they are the same code everywhere.
 */
#ifndef FS_EXT2_EXT2_H
#define FS_EXT2_EXT2_H

#include "kernel/errno.h"
#include "kernel/types.h"

#define EXT2_SUPER_OFFSET	1024	/* byte offset of the superblock */
#define EXT2_SUPER_MAGIC	0xEF53
#define EXT2_ROOT_INO		2
#define EXT2_GOOD_OLD_FIRST_INO	11	/* revision 0: first ordinary inode */
#define EXT2_GOOD_OLD_INODE_SIZE 128
#define EXT2_NDIR_BLOCKS	12	/* i_block[0..11]: direct */
#define EXT2_IND_BLOCK		12	/* i_block[12]: single indirect */
#define EXT2_DIND_BLOCK		13	/* double */
#define EXT2_TIND_BLOCK		14	/* triple */
#define EXT2_N_BLOCKS		15
#define EXT2_MIN_BLOCK_LOG	10	/* 1 KiB */
#define EXT2_MAX_BLOCK_LOG	12	/* 4 KiB: the largest we mount */
#define EXT2_NAME_LEN		255

/* Revisions. */
#define EXT2_GOOD_OLD_REV	0
#define EXT2_DYNAMIC_REV	1

/* Features: compat ones need nothing; ro_compat ones we do not know make
 * the mount read-only; incompat ones we do not know refuse it. */
#define EXT2_FEATURE_COMPAT_DIR_PREALLOC	0x0001
#define EXT2_FEATURE_COMPAT_IMAGIC_INODES	0x0002
#define EXT3_FEATURE_COMPAT_HAS_JOURNAL		0x0004
#define EXT2_FEATURE_COMPAT_EXT_ATTR		0x0008
#define EXT2_FEATURE_COMPAT_RESIZE_INODE	0x0010
#define EXT2_FEATURE_COMPAT_DIR_INDEX		0x0020

#define EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER	0x0001
#define EXT2_FEATURE_RO_COMPAT_LARGE_FILE	0x0002
#define EXT2_FEATURE_RO_COMPAT_SUPP \
	(EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER | EXT2_FEATURE_RO_COMPAT_LARGE_FILE)

#define EXT2_FEATURE_INCOMPAT_FILETYPE		0x0002
#define EXT2_FEATURE_INCOMPAT_SUPP		EXT2_FEATURE_INCOMPAT_FILETYPE

/* The on-disk superblock (the first 264 of its 1024 bytes). */
struct ext2_super_block {
	uint32_t s_inodes_count;
	uint32_t s_blocks_count;
	uint32_t s_r_blocks_count;
	uint32_t s_free_blocks_count;
	uint32_t s_free_inodes_count;
	uint32_t s_first_data_block;	/* 1 with 1 KiB blocks, else 0 */
	uint32_t s_log_block_size;	/* block size = 1024 << this */
	uint32_t s_log_frag_size;
	uint32_t s_blocks_per_group;
	uint32_t s_frags_per_group;
	uint32_t s_inodes_per_group;
	uint32_t s_mtime, s_wtime;
	uint16_t s_mnt_count;
	int16_t  s_max_mnt_count;
	uint16_t s_magic;
	uint16_t s_state;		/* 1: cleanly unmounted, 2: errors */
	uint16_t s_errors;
	uint16_t s_minor_rev_level;
	uint32_t s_lastcheck, s_checkinterval;
	uint32_t s_creator_os;
	uint32_t s_rev_level;
	uint16_t s_def_resuid, s_def_resgid;
	/* EXT2_DYNAMIC_REV only (revision 0: zero, and the defaults hold) */
	uint32_t s_first_ino;
	uint16_t s_inode_size;
	uint16_t s_block_group_nr;
	uint32_t s_feature_compat;
	uint32_t s_feature_incompat;
	uint32_t s_feature_ro_compat;
	uint8_t  s_uuid[16];
	char     s_volume_name[16];
	char     s_last_mounted[64];
	uint32_t s_algorithm_usage_bitmap;
	uint8_t  s_prealloc_blocks, s_prealloc_dir_blocks;
	uint16_t s_reserved_gdt_blocks;	/* resize_inode: kept after the GDT */
	uint8_t  s_journal_uuid[16];
	uint32_t s_journal_inum, s_journal_dev, s_last_orphan;
	uint32_t s_hash_seed[4];
	uint8_t  s_def_hash_version, s_jnl_backup_type;
	uint16_t s_desc_size;
	uint32_t s_default_mount_opts;
	uint32_t s_first_meta_bg;
};

#define EXT2_VALID_FS	1
#define EXT2_ERROR_FS	2

/* One group's descriptor (32 bytes; the table follows the superblock). */
struct ext2_group_desc {
	uint32_t bg_block_bitmap;
	uint32_t bg_inode_bitmap;
	uint32_t bg_inode_table;
	uint16_t bg_free_blocks_count;
	uint16_t bg_free_inodes_count;
	uint16_t bg_used_dirs_count;
	uint16_t bg_pad;
	uint32_t bg_reserved[3];
};

/* The on-disk inode (the first 128 bytes of s_inode_size). */
struct ext2_inode {
	uint16_t i_mode;
	uint16_t i_uid;
	uint32_t i_size;		/* low 32 bits */
	uint32_t i_atime, i_ctime, i_mtime, i_dtime;
	uint16_t i_gid;
	uint16_t i_links_count;
	uint32_t i_blocks;		/* 512-byte units, indirect blocks too */
	uint32_t i_flags;
	uint32_t i_osd1;
	uint32_t i_block[EXT2_N_BLOCKS];
	uint32_t i_generation;
	uint32_t i_file_acl;		/* an xattr block (counted in i_blocks) */
	uint32_t i_size_high;		/* large_file: high 32 bits of a file */
	uint32_t i_faddr;
	uint8_t  i_frag, i_fsize;
	uint16_t i_pad1;
	uint16_t i_uid_high, i_gid_high;
	uint32_t i_reserved2;
};

/* i_flags we refuse: they mean another format of i_block. */
#define EXT2_INDEX_FL		0x00001000	/* htree dir: read as linear */
#define EXT4_EXTENTS_FL		0x00080000
#define EXT4_INLINE_DATA_FL	0x10000000

/* A directory entry: 8 bytes, then the name, rec_len to the next. */
struct ext2_dir_entry {
	uint32_t inode;			/* 0: an unused entry */
	uint16_t rec_len;		/* a multiple of 4, >= 8 + name_len */
	uint8_t  name_len;
	uint8_t  file_type;		/* filetype feature; else name_len's
					 * high byte (always 0: names < 256) */
	char     name[];
};
#define EXT2_DIR_REC_LEN(name_len)	(((name_len) + 8 + 3) & ~3U)

/* file_type values. */
enum {
	EXT2_FT_UNKNOWN, EXT2_FT_REG_FILE, EXT2_FT_DIR, EXT2_FT_CHRDEV,
	EXT2_FT_BLKDEV, EXT2_FT_FIFO, EXT2_FT_SOCK, EXT2_FT_SYMLINK,
	EXT2_FT_MAX
};

_Static_assert(sizeof(struct ext2_super_block) == 264, "superblock layout");
_Static_assert(sizeof(struct ext2_group_desc) == 32, "group desc layout");
_Static_assert(sizeof(struct ext2_inode) == 128, "inode layout");
_Static_assert(sizeof(struct ext2_dir_entry) == 8, "dirent layout");

/*
 * One mounted ext2: the checked geometry (derived once from the
 * superblock) and the group descriptors in memory.
 */
struct ext2_sb_info {
	/* Read len bytes at byte offset off of the disk into buf: 0, or
	 * -EIO (the device failed; the reader has reported it). */
	int (*read)(void *ctx, uint64_t off, void *buf, size_t len);
	/* Write len bytes at off (the kernel: into the block device's
	 * cache, dirty, written back by sync): 0 or -EIO. NULL: read-only. */
	int (*write)(void *ctx, uint64_t off, const void *buf, size_t len);
	/* Seconds since 1970 for timestamps (NULL: 0). */
	long long (*now)(void);
	void *ctx;
	char id[16];			/* "vda": for messages */

	uint32_t block_size;		/* 1024, 2048 or 4096 */
	unsigned int block_bits;	/* log2(block_size) */
	uint32_t blocks_count, first_data_block;
	uint32_t blocks_per_group, inodes_per_group, inodes_count;
	uint32_t groups_count;
	uint32_t inode_size, first_ino;
	uint32_t rev_level;
	uint32_t gdt_blocks;		/* blocks of the descriptor table */
	uint32_t reserved_gdt;		/* resize_inode's blocks after it */
	uint32_t itable_blocks;		/* inode table blocks per group */
	uint32_t addr_per_block;	/* block numbers in a block */
	uint32_t feature_compat, feature_incompat, feature_ro_compat;
	bool filetype;			/* dir entries carry file_type */
	bool sparse_super, large_file;
	bool readonly;			/* unknown ro_compat feature */
	/* The kernel: an inode's last link going leaves its blocks and its
	 * number allocated (links 0) until its last user is gone, when the
	 * caller calls ext2_delete_inode (an open file stays readable, its
	 * number is not reused while it is in memory). false: at once. */
	bool defer_delete;
	/* Bumped each time ext2_truncate_blocks runs (blocks may be freed):
	 * a block number looked up before may belong to another file now.
	 * The kernel's write-back keeps looked-up block numbers across
	 * pages and drops them when this moved (fs/ext2/file.c). */
	unsigned long truncate_gen;
	struct ext2_super_block sb;	/* the disk's copy, as read */
	struct ext2_group_desc *gd;	/* groups_count, by the caller */
};

/* ------------------------------------------------ super.c: the layout */

/*
 * Check the 1024 bytes of superblock at raw against a disk of dev_bytes
 * bytes, and fill sbi's geometry (sbi->read and ->id are the caller's).
 * 0: mountable; 1: mountable read-only only (an unknown ro_compat
 * feature: the reason is in err); -EINVAL: refused, the reason (the field
 * and its value) in err.
 */
int ext2_parse_super(struct ext2_sb_info *sbi, const void *raw,
		     uint64_t dev_bytes, char *err, size_t errlen);
/* Bytes of the group descriptors in memory (sbi->gd's size). */
size_t ext2_gd_bytes(const struct ext2_sb_info *sbi);
/*
 * Read the group descriptor table into sbi->gd (ext2_gd_bytes of room)
 * and check each descriptor: bitmaps and inode table inside the disk and
 * inside their group, apart from each other and from the superblock
 * copy; free counts no larger than the group. 0, -EINVAL (the reason in
 * err) or -EIO.
 */
int ext2_load_group_desc(struct ext2_sb_info *sbi, char *err, size_t errlen);
/* True if group holds a copy of the superblock and descriptor table. */
bool ext2_group_has_super(const struct ext2_sb_info *sbi, uint32_t group);
/* The first block of group, and its number of blocks (the last group
 * may be short). */
uint32_t ext2_group_first_block(const struct ext2_sb_info *sbi,
				uint32_t group);
uint32_t ext2_group_nr_blocks(const struct ext2_sb_info *sbi, uint32_t group);
/*
 * Why block can not hold a file's data or an indirect block: NULL if it
 * can, else "out of range" (below s_first_data_block or past the end) or
 * "in metadata" (a superblock copy, the descriptor table, a bitmap, the
 * inode table). The resize inode's reserved GDT blocks are allowed.
 */
const char *ext2_block_bad(const struct ext2_sb_info *sbi, uint32_t block);

/* ------------------------------------------- inode.c: inodes, block map */

/* Largest file size the block map can address (and 2^32-1 without
 * large_file for a regular file). */
uint64_t ext2_max_size(const struct ext2_sb_info *sbi);
/*
 * Read inode ino's on-disk copy into raw (the first 128 bytes) and check
 * it (ext2_check_inode). 0, -EUCLEAN (corrupt or out of range: reason in
 * err) or -EIO.
 */
int ext2_read_inode_raw(struct ext2_sb_info *sbi, unsigned long ino,
			struct ext2_inode *raw, char *err, size_t errlen);
/* Where inode ino lives on the disk (byte offset); 0 if ino is out of
 * range. */
uint64_t ext2_inode_offset(const struct ext2_sb_info *sbi, unsigned long ino);
/*
 * Check an inode read from disk: a known file type in i_mode, no
 * extents/inline data, a size the block map can hold (a directory: a
 * whole number of blocks), i_blocks no more than its size needs, a fast
 * symlink's target inside i_block. Block pointers are checked as they are
 * followed (ext2_bmap). 0 or -EUCLEAN with the reason.
 */
int ext2_check_inode(const struct ext2_sb_info *sbi, unsigned long ino,
		     const struct ext2_inode *raw, char *err, size_t errlen);
static inline uint64_t ext2_isize(const struct ext2_inode *raw)
{
	uint64_t size = raw->i_size;

	if ((raw->i_mode & 0xF000) == 0x8000)
		size |= (uint64_t)raw->i_size_high << 32;
	return size;
}
/* A symlink whose target is in i_block, not in a block. */
bool ext2_inode_is_fast_symlink(const struct ext2_sb_info *sbi,
				const struct ext2_inode *raw);
/*
 * The path to file block lblk through the block map: offsets[0] is the
 * i_block slot, offsets[1..] the index in each indirect block. Returns
 * the depth (1: direct, 2: single, 3: double, 4: triple indirect), or 0
 * if lblk is past what the map can address.
 */
int ext2_block_to_path(const struct ext2_sb_info *sbi, uint64_t lblk,
		       unsigned int offsets[4]);
/*
 * The disk block holding block lblk of inode ino (raw): 0 and *pblk (0:
 * a hole), -EUCLEAN (a pointer out of range or into metadata, with the
 * reason in err), -EFBIG (past the map), -EIO.
 */
int ext2_bmap(struct ext2_sb_info *sbi, unsigned long ino,
	      const struct ext2_inode *raw, uint64_t lblk, uint32_t *pblk,
	      char *err, size_t errlen);

/* ------------------------------------------------- dir.c: directories */

/* One entry as found in a directory block. */
struct ext2_dirent {
	uint32_t inode;			/* 0: unused (skip it; no name, type 0) */
	unsigned int offset;		/* in the block */
	unsigned int rec_len, name_len;
	unsigned int file_type;		/* EXT2_FT_*, 0 without filetype */
	const char *name;		/* name_len bytes, not terminated */
};
/*
 * The entry at *offset of directory block blk (sbi->block_size bytes) of
 * directory ino at file block lblk, checked: rec_len a multiple of 4,
 * large enough for its name, inside the block; name_len not zero for a
 * used entry; inode in range; a known file_type. 1 and *de (and *offset
 * moved past it), 0 at the end of the block, -EUCLEAN with the reason.
 */
int ext2_dir_next(const struct ext2_sb_info *sbi, unsigned long ino,
		  uint64_t lblk, const void *blk, unsigned int *offset,
		  struct ext2_dirent *de, char *err, size_t errlen);
/*
 * Look name[0..len) up in directory dir (raw), reading its blocks into
 * scratch (sbi->block_size bytes): 0 and *ino, -ENOENT, -ENOTDIR,
 * -EUCLEAN (reason in err), -EIO.
 */
int ext2_dir_find(struct ext2_sb_info *sbi, unsigned long dir,
		  const struct ext2_inode *raw, const char *name, size_t len,
		  uint32_t *ino, void *scratch, char *err, size_t errlen);
/* The dir entry file_type (EXT2_FT_*) for an i_mode. */
unsigned int ext2_ftype_from_mode(unsigned int mode);
/*
 * Add the entry name -> ino (of type ftype) to directory dir (raw, which
 * may grow by a block: the caller writes raw back): in the first gap
 * large enough, else in a new block. 0, -ENOSPC, -EUCLEAN, -EIO.
 */
int ext2_add_entry(struct ext2_sb_info *sbi, unsigned long dir,
		   struct ext2_inode *raw, const char *name, size_t len,
		   uint32_t ino, unsigned int ftype, void *scratch, char *err,
		   size_t errlen);
/* Remove the entry name from dir: 0 and *ino, -ENOENT, -EUCLEAN, -EIO. */
int ext2_delete_entry(struct ext2_sb_info *sbi, unsigned long dir,
		      const struct ext2_inode *raw, const char *name,
		      size_t len, uint32_t *ino, void *scratch, char *err,
		      size_t errlen);
/* Point the entry name of dir at ino (of type ftype) instead: rename's
 * replace, and a moved directory's "..". 0, -ENOENT, -EUCLEAN, -EIO. */
int ext2_set_entry(struct ext2_sb_info *sbi, unsigned long dir,
		   const struct ext2_inode *raw, const char *name, size_t len,
		   uint32_t ino, unsigned int ftype, void *scratch, char *err,
		   size_t errlen);
/* True if dir holds only "." and "..": 1, 0, or -errno. */
int ext2_dir_empty(struct ext2_sb_info *sbi, unsigned long dir,
		   const struct ext2_inode *raw, void *scratch, char *err,
		   size_t errlen);

/* -------------------------------- balloc.c, ialloc.c: the group bitmaps */

/*
 * Allocate a free block, the first at or after goal in goal's group, else
 * in the next group with free blocks: its bit set, the group's and the
 * superblock's free counts down. 0 and *block, -ENOSPC (no free block),
 * -EUCLEAN (a bitmap that offers metadata), -EIO.
 */
int ext2_new_block(struct ext2_sb_info *sbi, uint32_t goal, uint32_t *block,
		   char *err, size_t errlen);
/* Free block: its bit cleared, the counts up. -EUCLEAN if it was free. */
int ext2_free_block(struct ext2_sb_info *sbi, uint32_t block, char *err,
		    size_t errlen);
/*
 * Allocate an inode: a directory in the group with the most free inodes
 * and blocks above average (spreading directories), anything else in its
 * parent's group, else the next with a free inode. Counts (and used_dirs)
 * updated; the caller writes the inode. 0 and *ino, -ENOSPC, -EIO.
 */
int ext2_new_inode(struct ext2_sb_info *sbi, unsigned long dir, bool is_dir,
		   uint32_t *ino, char *err, size_t errlen);
int ext2_free_inode(struct ext2_sb_info *sbi, uint32_t ino, bool is_dir,
		    char *err, size_t errlen);
/* Set (val) or clear bit of the bitmap in block bitmap: the bit's old
 * value (0/1) or -EIO. */
int ext2_change_bit(struct ext2_sb_info *sbi, uint32_t bitmap, uint32_t bit,
		    bool val);
/* Write the superblock's free counts and the group descriptors. */
int ext2_write_super(struct ext2_sb_info *sbi);

/* ------------------------------------- inode.c: writing inodes and maps */

/* Write raw to inode ino's place on disk (the first 128 bytes; whole:
 * zero the rest of s_inode_size too, for a new inode). */
int ext2_write_inode_raw(struct ext2_sb_info *sbi, unsigned long ino,
			 const struct ext2_inode *raw, bool whole);
/*
 * ext2_bmap that allocates: a hole at lblk gets a new block (and the
 * indirect blocks on its way, zeroed), near the previous block of the
 * file (goal) or the inode's group; raw's i_block and i_blocks change
 * (the caller writes raw). 0 and *pblk, *new true if it was a hole;
 * -ENOSPC (nothing changed but indirect blocks already linked), -EUCLEAN,
 * -EFBIG, -EIO.
 */
int ext2_get_block(struct ext2_sb_info *sbi, unsigned long ino,
		   struct ext2_inode *raw, uint64_t lblk, uint32_t *pblk,
		   bool *new, char *err, size_t errlen);
/*
 * Free every block of the file from block from on (data and the indirect
 * blocks left empty), updating raw's i_block and i_blocks. 0, -EUCLEAN,
 * -EIO.
 */
int ext2_truncate_blocks(struct ext2_sb_info *sbi, unsigned long ino,
			 struct ext2_inode *raw, uint64_t from, char *err,
			 size_t errlen);

/* ------------------------------------------- namei.c: name space changes */

/*
 * Each takes directory dir by number, a scratch block (sbi->block_size
 * bytes), and returns 0 or -errno with any corruption's reason in err.
 * The VFS has checked that a new name does not exist yet and that the
 * directories are locked. create/mkdir/symlink give the new inode in
 * *ino; -ENOSPC leaves nothing allocated.
 */
int ext2_do_create(struct ext2_sb_info *sbi, unsigned long dir,
		   const char *name, size_t len, unsigned int mode,
		   uint32_t *ino, void *scratch, char *err, size_t errlen);
int ext2_do_mkdir(struct ext2_sb_info *sbi, unsigned long dir,
		  const char *name, size_t len, unsigned int mode,
		  uint32_t *ino, void *scratch, char *err, size_t errlen);
int ext2_do_symlink(struct ext2_sb_info *sbi, unsigned long dir,
		    const char *name, size_t len, const char *target,
		    uint32_t *ino, void *scratch, char *err, size_t errlen);
/* Remove a non-directory (-EISDIR) / an empty directory (-ENOTDIR,
 * -ENOTEMPTY); the last link frees the inode and its blocks. */
int ext2_do_unlink(struct ext2_sb_info *sbi, unsigned long dir,
		   const char *name, size_t len, void *scratch, char *err,
		   size_t errlen);
int ext2_do_rmdir(struct ext2_sb_info *sbi, unsigned long dir,
		  const char *name, size_t len, void *scratch, char *err,
		  size_t errlen);
/*
 * Move old_dir/old_name to new_dir/new_name, replacing a target there (a
 * non-directory by a non-directory, an empty directory by a directory:
 * else -EISDIR, -ENOTDIR, -ENOTEMPTY). A directory moved to another
 * parent gets its ".." changed and the parents' link counts moved; one
 * moved into its own subtree is -EINVAL, and a ".." chain that loops on
 * disk is -EUCLEAN ("directory cycle through '..'").
 */
int ext2_do_rename(struct ext2_sb_info *sbi, unsigned long old_dir,
		   const char *old_name, size_t old_len, unsigned long new_dir,
		   const char *new_name, size_t new_len, void *scratch,
		   char *err, size_t errlen);
/* Free an inode whose last link went (raw: its copy; with
 * defer_delete, what unlink/rmdir/rename left): its blocks, a dtime, its
 * bit. 0, -EUCLEAN, -EIO. */
int ext2_delete_inode(struct ext2_sb_info *sbi, uint32_t ino,
		      struct ext2_inode *raw, char *err, size_t errlen);
/* A regular file's new size: blocks past it freed (indirect ones too),
 * the tail of its last block zeroed; growing leaves a hole. */
int ext2_do_setsize(struct ext2_sb_info *sbi, uint32_t ino, uint64_t size,
		    char *err, size_t errlen);

/* ------------------------------------------- vfs.c: ext2 under the VFS */

/* Register the "ext2" file system type (fs/fs.h): once, from vfs_init. */
void init_ext2_fs(void);

#endif
