/*
 * fs/internal.h - the VFS's private declarations, grouped by the file
 * that defines them (file systems use fs/fs.h only).
 */
#ifndef FS_INTERNAL_H
#define FS_INTERNAL_H

#include "fs/fs.h"

/* fs/inode.c */
void inode_cache_init(void);
unsigned long evict_sb_inodes(struct super_block *sb);
int sync_sb_inodes(struct super_block *sb, bool wait);
void iterate_sb_inodes(struct super_block *sb, void (*fn)(struct inode *));
/* Inodes hashed now, and how many of them are unused. */
unsigned long nr_cached_inodes(unsigned long *unused);

/* fs/super.c */
/* Call fn for every live super block. */
void iterate_supers(void (*fn)(struct super_block *sb, void *arg), void *arg);
/* The mount attached at (mnt, dir), the last one if stacked; NULL. A
 * reference is taken. */
struct vfsmount *lookup_mnt(struct vfsmount *mnt, struct inode *dir);
/* Mount a super block made in memory (the initramfs) as the root. */
int mount_root_sb(struct super_block *sb, const char *devname);
/* A new super block for type (s_inodes etc. initialised). */
struct super_block *alloc_super(struct file_system_type *type);
void free_super(struct super_block *sb);

/* fs/namei.c */
/* May inode's file system be changed? -EROFS if mounted read-only. */
int sb_may_write(struct super_block *sb);

/* fs/open.c */
/* Is name "." or ".."? */
bool is_dot_name(const char *name, size_t len);

#endif
