/*
 * arch/x86_64/include/arch/fcntl.h - the open() flags whose values differ
 * between architectures (x86_64 takes asm-generic/fcntl.h's; arm64 has
 * its own). The common ones are in kernel/file.h.
 */
#ifndef ARCH_X86_64_FCNTL_H
#define ARCH_X86_64_FCNTL_H

#define O_DIRECT	00040000
#define O_LARGEFILE	00100000
#define O_DIRECTORY	00200000
#define O_NOFOLLOW	00400000

#endif
