/*
 * arch/arm64/include/arch/fcntl.h - the open() flags whose values differ
 * between architectures (arch/arm64/include/uapi/asm/fcntl.h). The common
 * ones are in kernel/file.h.
 */
#ifndef ARCH_ARM64_FCNTL_H
#define ARCH_ARM64_FCNTL_H

#define O_DIRECTORY	00040000
#define O_NOFOLLOW	00100000
#define O_DIRECT	00200000
#define O_LARGEFILE	00400000

#endif
