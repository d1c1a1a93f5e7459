/*
 * arch/x86_64/include/arch/stat.h - struct stat as x86_64 Linux lays it
 * out for fstat/stat/newfstatat (arch/x86/include/uapi/asm/stat.h: its
 * own layout, not the generic one arm64 uses). Portable code fills it by
 * field name (kernel/fs_syscalls.c).
 */
#ifndef ARCH_X86_64_STAT_H
#define ARCH_X86_64_STAT_H

#include "kernel/types.h"

struct stat {
	unsigned long st_dev;
	unsigned long st_ino;
	unsigned long st_nlink;
	unsigned int st_mode;
	unsigned int st_uid;
	unsigned int st_gid;
	unsigned int __pad0;
	unsigned long st_rdev;
	long st_size;
	long st_blksize;
	long st_blocks;
	unsigned long st_atime_sec, st_atime_nsec;
	unsigned long st_mtime_sec, st_mtime_nsec;
	unsigned long st_ctime_sec, st_ctime_nsec;
	long __reserved[3];
};
_Static_assert(sizeof(struct stat) == 144, "x86_64 struct stat is 144 bytes");

#endif
