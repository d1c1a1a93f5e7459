/*
 * tests/suites/vfs_testfs.h - "testfs", a tiny writable file system held
 * in memory, for the VFS's tests (host and kernel) before a disk file
 * system is there: files, directories and symlinks, with data in kmalloc
 * buffers (no page cache). Mount it with do_mount(NULL, dir, "testfs").
 */
#ifndef TESTS_SUITES_VFS_TESTFS_H
#define TESTS_SUITES_VFS_TESTFS_H

#include "fs/fs.h"

/* The largest file testfs holds (its s_maxbytes). */
#define TESTFS_MAX_BYTES	(1 << 20)

/* Register the type (once; later calls do nothing). */
void testfs_register(void);
/* Nodes alive in every testfs (leak checks: 0 once all are unmounted). */
unsigned long testfs_nr_nodes(void);
/* Inodes of testfs evicted so far (any reason). */
unsigned long testfs_nr_evicted(void);

/* Kernel memory for the VFS: the host build has none until a test
 * makes it; this gives the global node a 4 MiB arena and starts kmalloc
 * on it, once (in the kernel it is there already). False: no memory. */
bool vfs_test_ensure_mm(void);
/* The name space needs a root: mount an empty initramfs on "/" unless
 * something is there (the kernel has booted with one; a host test has
 * not). */
void vfs_test_ensure_root(void);

#endif
