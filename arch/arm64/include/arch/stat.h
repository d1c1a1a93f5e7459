/*
 * arch/arm64/include/arch/stat.h - struct stat as arm64 Linux lays it out
 * for fstat/newfstatat: the generic layout (include/uapi/asm-generic/
 * stat.h), which differs from x86_64's. Portable code fills it by field
 * name (kernel/fs_syscalls.c).
 */
#ifndef ARCH_ARM64_STAT_H
#define ARCH_ARM64_STAT_H

#include "kernel/types.h"

struct stat {
	unsigned long st_dev;
	unsigned long st_ino;
	unsigned int st_mode;
	unsigned int st_nlink;
	unsigned int st_uid;
	unsigned int st_gid;
	unsigned long st_rdev;
	unsigned long __pad1;
	long st_size;
	int st_blksize;
	int __pad2;
	long st_blocks;
	long st_atime_sec;
	unsigned long st_atime_nsec;
	long st_mtime_sec;
	unsigned long st_mtime_nsec;
	long st_ctime_sec;
	unsigned long st_ctime_nsec;
	unsigned int __unused4;
	unsigned int __unused5;
};
_Static_assert(sizeof(struct stat) == 128, "generic struct stat is 128 bytes");

#endif
