/*
 * tests/suites/cpio_build.h - writing small newc cpio archives in memory,
 * for the cpio reader's suite, its fuzz seeds and the initramfs tests.
 */
#ifndef TESTS_SUITES_CPIO_BUILD_H
#define TESTS_SUITES_CPIO_BUILD_H

#include "kernel/lib/cpio.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vsprintf.h"
#include "kernel/types.h"

struct cpio_builder {
	uint8_t *buf;
	size_t size, len;
	bool overflow;
	unsigned long ino;
};

static inline void cpio_builder_init(struct cpio_builder *b, void *buf,
				     size_t size)
{
	b->buf = buf;
	b->size = size;
	b->len = 0;
	b->overflow = false;
	b->ino = 1;
}

static inline void cpio_builder_pad(struct cpio_builder *b)
{
	while (b->len % 4 && b->len < b->size)
		b->buf[b->len++] = 0;
}

/* Append an entry (mode: S_IF* | permissions, as octal in Linux). */
static inline void cpio_add(struct cpio_builder *b, const char *name,
			    unsigned int mode, const void *data, size_t size)
{
	char hdr[CPIO_HEADER_SIZE + 1];
	size_t namesize = strlen(name) + 1;

	ksnprintf(hdr, sizeof(hdr),
		  "070701%08lx%08x%08x%08x%08x%08x%08zx%08x%08x%08x%08x%08zx%08x",
		  b->ino++, mode, 0, 0, 1, 0, size, 0, 0, 0, 0, namesize, 0);
	if (b->len + CPIO_HEADER_SIZE + namesize + 3 + size + 3 > b->size) {
		b->overflow = true;
		return;
	}
	memcpy(b->buf + b->len, hdr, CPIO_HEADER_SIZE);
	b->len += CPIO_HEADER_SIZE;
	memcpy(b->buf + b->len, name, namesize);
	b->len += namesize;
	cpio_builder_pad(b);
	if (size)
		memcpy(b->buf + b->len, data, size);
	b->len += size;
	cpio_builder_pad(b);
}

static inline void cpio_add_file(struct cpio_builder *b, const char *name,
				 const char *text)
{
	cpio_add(b, name, 0100755, text, strlen(text));
}

static inline void cpio_add_dir(struct cpio_builder *b, const char *name)
{
	cpio_add(b, name, 0040755, NULL, 0);
}

static inline void cpio_add_symlink(struct cpio_builder *b, const char *name,
				    const char *target)
{
	cpio_add(b, name, 0120777, target, strlen(target));
}

static inline void cpio_add_trailer(struct cpio_builder *b)
{
	cpio_add(b, "TRAILER!!!", 0, NULL, 0);
}

#endif
