/*
 * kernel/lib/cpio.h - a reader for "newc" cpio archives (the format of
 * Linux's initramfs: `cpio -H newc`, our tools/mkcpio).
 *
 * An archive is a sequence of entries, each a 110-byte ASCII header
 *   "070701" (or "070702": with a checksum, not checked here), then 13
 *   fields of 8 hex digits: ino mode uid gid nlink mtime filesize
 *   devmajor devminor rdevmajor rdevminor namesize check
 * followed by the name (namesize bytes with its NUL), padded so the data
 * starts at a multiple of 4 from the archive's start, then the data
 * (filesize bytes; a symlink's target), padded to 4 again. The entry
 * named "TRAILER!!!" ends the archive; what follows it is ignored.
 *
 * The reader trusts nothing: every field is checked against the bytes
 * there are, and a malformed archive is refused with what is wrong and at
 * which offset ("cpio: offset 0x1a4: name size 0"). Portable: host-tested
 * (tests/suites/cpio_test.c) and fuzzed (tests/fuzz/cpio_fuzz.c).
 */
#ifndef KERNEL_LIB_CPIO_H
#define KERNEL_LIB_CPIO_H

#include "kernel/types.h"

#define CPIO_HEADER_SIZE	110

struct cpio_entry {
	const char *name;	/* NUL-terminated, inside the archive */
	size_t namelen;		/* strlen(name) */
	unsigned int mode;	/* S_IF* type and permission bits */
	unsigned long ino;
	unsigned int nlink;
	uint64_t mtime;
	const void *data;	/* filesize bytes inside the archive */
	size_t size;
	size_t offset;		/* of the header, for messages */
};

struct cpio_iter {
	const uint8_t *base;
	size_t size;
	size_t off;		/* of the next header */
	bool done;		/* the trailer was read */
};

void cpio_iter_init(struct cpio_iter *it, const void *data, size_t size);

/*
 * The next entry: 1 and *e filled in; 0 at the trailer (and on every
 * call after it); -1 if the archive is malformed, with the reason in err
 * ("cpio: offset 0x...: ..."), after which the iterator stays at the bad
 * entry. An archive that ends without a trailer is malformed (it was
 * probably cut short).
 */
int cpio_next(struct cpio_iter *it, struct cpio_entry *e, char *err,
	      size_t errlen);

#endif
