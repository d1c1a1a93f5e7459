/*
 * kernel/lib/cpio.c - the newc cpio reader (kernel/lib/cpio.h).
 */
#include "kernel/lib/cpio.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vsprintf.h"

#define NR_FIELDS	13
enum { F_INO, F_MODE, F_UID, F_GID, F_NLINK, F_MTIME, F_FILESIZE,
       F_DEVMAJOR, F_DEVMINOR, F_RDEVMAJOR, F_RDEVMINOR, F_NAMESIZE, F_CHECK };
static const char *const field_names[NR_FIELDS] = {
	"ino", "mode", "uid", "gid", "nlink", "mtime", "filesize",
	"devmajor", "devminor", "rdevmajor", "rdevminor", "namesize", "check",
};

void cpio_iter_init(struct cpio_iter *it, const void *data, size_t size)
{
	it->base = data;
	it->size = size;
	it->off = 0;
	it->done = false;
}

static int fail(const struct cpio_iter *it, size_t off, char *err,
		size_t errlen, const char *what, const char *detail)
{
	(void)it;
	if (err && errlen)
		ksnprintf(err, errlen, "cpio: offset 0x%zx: %s%s", off, what,
			  detail ? detail : "");
	return -1;
}

static int hexval(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int cpio_next(struct cpio_iter *it, struct cpio_entry *e, char *err,
	      size_t errlen)
{
	const uint8_t *h = it->base + it->off;
	size_t off = it->off;
	uint32_t f[NR_FIELDS];
	size_t name_off, data_off, end;

	if (it->done)
		return 0;
	if (it->size - off < CPIO_HEADER_SIZE) {
		if (off == it->size)
			return fail(it, off, err, errlen,
				    "archive ends without a TRAILER!!! entry", NULL);
		return fail(it, off, err, errlen,
			    "header cut short (archive truncated)", NULL);
	}
	if (memcmp(h, "07070", 5) || (h[5] != '1' && h[5] != '2')) {
		char magic[16];

		ksnprintf(magic, sizeof(magic), " (got \"%c%c%c%c%c%c\")",
			  h[0] >= 32 && h[0] < 127 ? h[0] : '?',
			  h[1] >= 32 && h[1] < 127 ? h[1] : '?',
			  h[2] >= 32 && h[2] < 127 ? h[2] : '?',
			  h[3] >= 32 && h[3] < 127 ? h[3] : '?',
			  h[4] >= 32 && h[4] < 127 ? h[4] : '?',
			  h[5] >= 32 && h[5] < 127 ? h[5] : '?');
		return fail(it, off, err, errlen,
			    "bad magic: not a newc cpio header (070701)", magic);
	}
	for (int i = 0; i < NR_FIELDS; i++) {
		uint32_t v = 0;

		for (int k = 0; k < 8; k++) {
			int d = hexval(h[6 + i * 8 + k]);

			if (d < 0) {
				char what[48];

				ksnprintf(what, sizeof(what),
					  "field %s is not 8 hex digits",
					  field_names[i]);
				return fail(it, off, err, errlen, what, NULL);
			}
			v = v << 4 | (uint32_t)d;
		}
		f[i] = v;
	}
	name_off = off + CPIO_HEADER_SIZE;
	if (f[F_NAMESIZE] == 0)
		return fail(it, off, err, errlen, "name size 0", NULL);
	if (f[F_NAMESIZE] > it->size - name_off)
		return fail(it, off, err, errlen,
			    "name runs past the end of the archive", NULL);
	if (h[CPIO_HEADER_SIZE + f[F_NAMESIZE] - 1] != '\0')
		return fail(it, off, err, errlen,
			    "name is not NUL-terminated at namesize", NULL);
	e->name = (const char *)h + CPIO_HEADER_SIZE;
	e->namelen = strlen(e->name);
	if (e->namelen + 1 != f[F_NAMESIZE])
		return fail(it, off, err, errlen,
			    "name has a NUL before namesize", NULL);
	data_off = ALIGN_UP(name_off + f[F_NAMESIZE], (size_t)4);
	if (data_off > it->size || f[F_FILESIZE] > it->size - data_off)
		return fail(it, off, err, errlen,
			    "file data runs past the end of the archive", NULL);
	if (!strcmp(e->name, "TRAILER!!!")) {
		it->done = true;
		it->off = it->size;
		return 0;
	}
	e->mode = f[F_MODE];
	e->ino = f[F_INO];
	e->nlink = f[F_NLINK];
	e->mtime = f[F_MTIME];
	e->data = it->base + data_off;
	e->size = f[F_FILESIZE];
	e->offset = off;
	end = data_off + f[F_FILESIZE];
	/* The padding after the data may be missing at the very end only if
	 * a trailer cannot follow anyway, which the next call reports. */
	it->off = min(ALIGN_UP(end, (size_t)4), it->size);
	return 1;
}
