/*
 * kernel/abi/mman.h - Linux's mmap, mprotect and madvise constants, the
 * same on x86_64 and arm64.
 *
 * ABI only: #defines and nothing else, so both sides of the system-call
 * boundary include this one file (the kernel through mm/mm.h, the user C
 * library through user/lib/libc.h) and a value is written once.
 * PROT_READ, PROT_WRITE and PROT_EXEC are also the kernel's mapping flags
 * (mm/arch_mm.h includes this file and adds PROT_DEVICE and PROT_USER).
 */
#ifndef KERNEL_ABI_MMAN_H
#define KERNEL_ABI_MMAN_H

/* mmap and mprotect's prot. */
#define PROT_NONE	0x0
#define PROT_READ	0x1
#define PROT_WRITE	0x2
#define PROT_EXEC	0x4

/* mmap's flags. */
#define MAP_SHARED	0x01
#define MAP_PRIVATE	0x02
#define MAP_SHARED_VALIDATE 0x03
#define MAP_TYPE	0x0f
#define MAP_FIXED	0x10
#define MAP_ANONYMOUS	0x20
#define MAP_GROWSDOWN	0x0100
#define MAP_DENYWRITE	0x0800
#define MAP_EXECUTABLE	0x1000
#define MAP_LOCKED	0x2000
#define MAP_NORESERVE	0x4000
#define MAP_POPULATE	0x8000
#define MAP_NONBLOCK	0x10000
#define MAP_STACK	0x20000
#define MAP_FIXED_NOREPLACE 0x100000

/* madvise's advice. */
#define MADV_NORMAL	0
#define MADV_RANDOM	1
#define MADV_SEQUENTIAL	2
#define MADV_WILLNEED	3
#define MADV_DONTNEED	4
#define MADV_FREE	8
#define MADV_COLD	20
#define MADV_PAGEOUT	21

/* msync's flags. */
#define MS_ASYNC	1
#define MS_INVALIDATE	2
#define MS_SYNC		4

#endif
