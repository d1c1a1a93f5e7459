/*
 * tests/fuzz/cpio_fuzz.c - libFuzzer target for the newc cpio reader
 * (kernel/lib/cpio.h), which parses the initramfs at boot.
 *
 * Each input is copied to an exact-size heap buffer (a read past it is an
 * ASan report) and read entry by entry. Every entry must lie inside the
 * archive (its name NUL-terminated at namelen, its data in bounds, its
 * header before its data), entries must move forward, and the reader must
 * end with 0 (trailer) or -1 with a "cpio: offset 0x" reason.
 *
 *	make fuzz FUZZ=cpio                   (tests/fuzz/fuzz.mk)
 *
 * Seeds in tests/fuzz/corpus/cpio/: small good archives (files, a
 * directory, a symlink, the trailer) written by tools/mkcpio-like code.
 */
#include "kernel/lib/cpio.h"
#include "kernel/lib/string.h"
#include "tests/fuzz/fuzz.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *copy = malloc(size ? size : 1);
	struct cpio_iter it;
	struct cpio_entry e;
	char err[160];
	size_t last = 0;
	unsigned int n = 0;
	int r;

	memcpy(copy, data, size);
	cpio_iter_init(&it, copy, size);
	err[0] = '\0';
	while ((r = cpio_next(&it, &e, err, sizeof(err))) == 1) {
		const uint8_t *name = (const uint8_t *)e.name;
		const uint8_t *d = e.data;

		CHECK(name >= copy + CPIO_HEADER_SIZE);
		CHECK(name + e.namelen < copy + size);
		CHECK(e.name[e.namelen] == '\0');
		CHECK(strlen(e.name) == e.namelen);
		CHECK(d >= name + e.namelen + 1 && d <= copy + size);
		CHECK(e.size <= (size_t)(copy + size - d));
		CHECK(n == 0 || e.offset > last);
		CHECK(e.offset % 4 == 0);
		last = e.offset;
		CHECK(++n <= size / CPIO_HEADER_SIZE);
	}
	CHECK(r == 0 || r == -1);
	if (r < 0)
		CHECK(!strncmp(err, "cpio: offset 0x", 15));
	CHECK(cpio_next(&it, &e, err, sizeof(err)) == r);
	free(copy);
	return 0;
}
