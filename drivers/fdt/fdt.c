/*
 * drivers/fdt/fdt.c - checking a device tree blob and walking it.
 *
 * Written from the Devicetree Specification v0.4 (chapter 5, the DTB
 * format). fdt_open() walks every token once and rejects anything the
 * format does not allow; the accessors then use the same bounds-checked
 * token reader (read_token), so even an offset that a caller made up can
 * only give an error, never a read outside the blob.
 */
#include "drivers/fdt/fdt.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vsprintf.h"

#define HDR_V16_SIZE	36	/* up to size_dt_strings */
#define HDR_V17_SIZE	40	/* with size_dt_struct */
#define RSV_ENTRY_SIZE	16

/* Header field offsets (spec 5.2). */
#define HDR_MAGIC		0
#define HDR_TOTALSIZE		4
#define HDR_OFF_STRUCT		8
#define HDR_OFF_STRINGS		12
#define HDR_OFF_RSVMAP		16
#define HDR_VERSION		20
#define HDR_LAST_COMP		24
#define HDR_BOOT_CPUID		28
#define HDR_SIZE_STRINGS	32
#define HDR_SIZE_STRUCT		36

static __printf(3, 4) void seterr(char *err, size_t errlen,
				  const char *fmt, ...)
{
	va_list ap;

	if (!err || !errlen)
		return;
	va_start(ap, fmt);
	kvsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

uint32_t fdt_be32(const void *p)
{
	const uint8_t *b = p;

	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	       (uint32_t)b[2] << 8 | b[3];
}

uint64_t fdt_be64(const void *p)
{
	const uint8_t *b = p;

	return (uint64_t)fdt_be32(b) << 32 | fdt_be32(b + 4);
}

const char *fdt_strerror(int err)
{
	switch (err < 0 ? -err : err) {
	case 0:				return "success";
	case FDT_ERR_NOTFOUND:		return "not found";
	case FDT_ERR_BADOFFSET:		return "not a node offset";
	case FDT_ERR_BADVALUE:		return "malformed property value";
	case FDT_ERR_BADCELLS:		return "bad #address-cells or #size-cells";
	case FDT_ERR_NOTRANSLATION:	return "address not translatable";
	case FDT_ERR_BADPATH:		return "bad path or alias";
	case FDT_ERR_BADBLOB:		return "malformed device tree blob";
	}
	return "unknown error";
}

/* Length of the string at s, or max when no NUL is in the first max bytes. */
static size_t bounded_strlen(const uint8_t *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

/* ---------------------------------------------------------------- tokens */

struct tok {
	uint32_t tag;
	uint32_t off;		/* of the token, in the structure block */
	uint32_t next;		/* of the token after this one and its data */
	const char *name;	/* BEGIN_NODE: node name; PROP: property name */
	const uint8_t *data;	/* PROP: value */
	uint32_t len;		/* PROP: value length */
};

/* The property name at nameoff, or NULL when it is not a whole string. */
static const char *string_at(const struct fdt *f, uint32_t nameoff)
{
	const uint8_t *s = f->blob + f->off_strings;

	if (nameoff >= f->size_strings)
		return NULL;
	if (bounded_strlen(s + nameoff, f->size_strings - nameoff) ==
	    f->size_strings - nameoff)
		return NULL;
	return (const char *)s + nameoff;
}

/*
 * Decode the token at structure offset off into *t, checking that it and
 * its data lie inside the structure block. Returns 0 or -FDT_ERR_BADBLOB
 * with a message.
 */
static int read_token(const struct fdt *f, uint32_t off, struct tok *t,
		      char *err, size_t errlen)
{
	const uint8_t *s = f->blob + f->off_struct;
	uint32_t size = f->size_struct;
	uint64_t end;

	t->off = off;
	t->name = NULL;
	t->data = NULL;
	t->len = 0;
	if (off % 4 || off > size || size - off < 4) {
		if (off == size)
			seterr(err, errlen, "fdt: no FDT_END token before the end of the structure block (0x%x bytes)",
			       size);
		else
			seterr(err, errlen, "fdt: token at struct offset 0x%x runs past the structure block (0x%x bytes)",
			       off, size);
		return -FDT_ERR_BADBLOB;
	}
	t->tag = fdt_be32(s + off);
	switch (t->tag) {
	case FDT_BEGIN_NODE: {
		uint32_t start = off + 4;
		size_t n = bounded_strlen(s + start, size - start);

		if (n == size - start) {
			seterr(err, errlen, "fdt: node name at struct offset 0x%x is not terminated inside the structure block",
			       off);
			return -FDT_ERR_BADBLOB;
		}
		end = ALIGN_UP((uint64_t)start + n + 1, 4);
		if (end > size) {
			seterr(err, errlen, "fdt: node name at struct offset 0x%x: padding runs past the structure block",
			       off);
			return -FDT_ERR_BADBLOB;
		}
		t->name = (const char *)s + start;
		t->next = (uint32_t)end;
		return 0;
	}
	case FDT_PROP: {
		uint32_t nameoff;

		if (size - off < 12) {
			seterr(err, errlen, "fdt: property at struct offset 0x%x: header runs past the structure block",
			       off);
			return -FDT_ERR_BADBLOB;
		}
		t->len = fdt_be32(s + off + 4);
		nameoff = fdt_be32(s + off + 8);
		t->name = string_at(f, nameoff);
		if (!t->name) {
			if (nameoff >= f->size_strings)
				seterr(err, errlen, "fdt: property at struct offset 0x%x: name offset 0x%x is outside the strings block (0x%x bytes)",
				       off, nameoff, f->size_strings);
			else
				seterr(err, errlen, "fdt: property at struct offset 0x%x: name at strings offset 0x%x is not terminated inside the strings block",
				       off, nameoff);
			return -FDT_ERR_BADBLOB;
		}
		end = (uint64_t)off + 12 + t->len;
		if (end > size) {
			seterr(err, errlen, "fdt: property '%.40s' at struct offset 0x%x: length %u runs past the structure block",
			       t->name, off, t->len);
			return -FDT_ERR_BADBLOB;
		}
		end = ALIGN_UP(end, 4);
		if (end > size) {
			seterr(err, errlen, "fdt: property '%.40s' at struct offset 0x%x: padding runs past the structure block",
			       t->name, off);
			return -FDT_ERR_BADBLOB;
		}
		t->data = s + off + 12;
		t->next = (uint32_t)end;
		return 0;
	}
	case FDT_END_NODE:
	case FDT_NOP:
	case FDT_END:
		t->next = off + 4;
		return 0;
	}
	seterr(err, errlen, "fdt: unknown token 0x%x at struct offset 0x%x",
	       t->tag, off);
	return -FDT_ERR_BADBLOB;
}

/* ---------------------------------------------------------------- open */

static int check_header(struct fdt *f, const uint8_t *b, size_t max_size,
			char *err, size_t errlen)
{
	uint32_t magic, hdr, off, size;

	if (max_size < 4) {
		seterr(err, errlen, "fdt: %zu bytes is too small for a header",
		       max_size);
		return -FDT_ERR_BADBLOB;
	}
	magic = fdt_be32(b + HDR_MAGIC);
	if (magic != FDT_MAGIC) {
		seterr(err, errlen, "fdt: bad magic 0x%08x at offset 0 (want 0xd00dfeed)",
		       magic);
		return -FDT_ERR_BADBLOB;
	}
	if (max_size < HDR_V17_SIZE) {
		seterr(err, errlen, "fdt: %zu bytes is too small for a header",
		       max_size);
		return -FDT_ERR_BADBLOB;
	}
	f->totalsize = fdt_be32(b + HDR_TOTALSIZE);
	f->version = fdt_be32(b + HDR_VERSION);
	f->boot_cpuid_phys = fdt_be32(b + HDR_BOOT_CPUID);
	if (f->totalsize > max_size) {
		seterr(err, errlen, "fdt: totalsize %u (offset 0x4) is larger than the %zu bytes available",
		       f->totalsize, max_size);
		return -FDT_ERR_BADBLOB;
	}
	if (f->totalsize < HDR_V17_SIZE) {
		seterr(err, errlen, "fdt: totalsize %u (offset 0x4) is smaller than the header",
		       f->totalsize);
		return -FDT_ERR_BADBLOB;
	}
	if (f->version < 16) {
		seterr(err, errlen, "fdt: version %u (offset 0x14) is too old: need 16 or later",
		       f->version);
		return -FDT_ERR_BADBLOB;
	}
	if (fdt_be32(b + HDR_LAST_COMP) > 17) {
		seterr(err, errlen, "fdt: last_comp_version %u (offset 0x18): this reader knows versions up to 17",
		       fdt_be32(b + HDR_LAST_COMP));
		return -FDT_ERR_BADBLOB;
	}
	hdr = f->version >= 17 ? HDR_V17_SIZE : HDR_V16_SIZE;

	/* Memory reservation block: 8-byte aligned, after the header. */
	off = fdt_be32(b + HDR_OFF_RSVMAP);
	if (off < hdr || off % 8 || off > f->totalsize) {
		seterr(err, errlen, "fdt: off_mem_rsvmap 0x%x (offset 0x10) is %s",
		       off, off % 8 ? "not 8-byte aligned" :
		       off < hdr ? "inside the header" : "past totalsize");
		return -FDT_ERR_BADBLOB;
	}
	f->off_rsvmap = off;

	/* Structure block: 4-byte aligned, inside totalsize. */
	off = fdt_be32(b + HDR_OFF_STRUCT);
	if (off < hdr || off % 4 || off > f->totalsize) {
		seterr(err, errlen, "fdt: off_dt_struct 0x%x (offset 0x8) is %s",
		       off, off % 4 ? "not 4-byte aligned" :
		       off < hdr ? "inside the header" : "past totalsize");
		return -FDT_ERR_BADBLOB;
	}
	if (f->version >= 17) {
		size = fdt_be32(b + HDR_SIZE_STRUCT);
	} else {
		/* No size_dt_struct: up to the next block (FDT_END decides). */
		uint32_t strings = fdt_be32(b + HDR_OFF_STRINGS);

		size = f->totalsize - off;
		if (strings > off && strings <= f->totalsize)
			size = min(size, strings - off);
		if (f->off_rsvmap > off)
			size = min(size, f->off_rsvmap - off);
	}
	if (size > f->totalsize - off) {
		seterr(err, errlen, "fdt: structure block 0x%x + size_dt_struct 0x%x (offset 0x24) runs past totalsize 0x%x",
		       off, size, f->totalsize);
		return -FDT_ERR_BADBLOB;
	}
	f->off_struct = off;
	f->size_struct = size;

	/* Strings block: no alignment, inside totalsize. */
	off = fdt_be32(b + HDR_OFF_STRINGS);
	size = fdt_be32(b + HDR_SIZE_STRINGS);
	if (off < hdr || off > f->totalsize || size > f->totalsize - off) {
		seterr(err, errlen, "fdt: strings block 0x%x + size_dt_strings 0x%x (offsets 0xc, 0x20) %s",
		       off, size, off < hdr ? "starts inside the header" :
		       "runs past totalsize");
		return -FDT_ERR_BADBLOB;
	}
	f->off_strings = off;
	f->size_strings = size;
	if (size && f->size_struct &&
	    off < f->off_struct + f->size_struct && f->off_struct < off + size) {
		seterr(err, errlen, "fdt: strings block 0x%x..0x%x overlaps the structure block 0x%x..0x%x",
		       off, off + size, f->off_struct,
		       f->off_struct + f->size_struct);
		return -FDT_ERR_BADBLOB;
	}
	return 0;
}

/*
 * Count the memory reservation entries. The list must end with a (0, 0)
 * entry before totalsize and before the next block that follows it.
 */
static int check_rsvmap(struct fdt *f, char *err, size_t errlen)
{
	uint32_t off = f->off_rsvmap, limit = f->totalsize;

	if (off >= f->off_struct && off < f->off_struct + f->size_struct) {
		seterr(err, errlen, "fdt: memory reservation block at 0x%x lies inside the structure block",
		       off);
		return -FDT_ERR_BADBLOB;
	}
	if (f->size_strings && off >= f->off_strings &&
	    off < f->off_strings + f->size_strings) {
		seterr(err, errlen, "fdt: memory reservation block at 0x%x lies inside the strings block",
		       off);
		return -FDT_ERR_BADBLOB;
	}
	if (f->off_struct > off)
		limit = min(limit, f->off_struct);
	if (f->size_strings && f->off_strings > off)
		limit = min(limit, f->off_strings);

	for (uint32_t i = 0;; i++, off += RSV_ENTRY_SIZE) {
		uint64_t base, size;

		if (limit - off < RSV_ENTRY_SIZE) {
			seterr(err, errlen, "fdt: memory reservation block at 0x%x: no (0, 0) terminator before 0x%x",
			       f->off_rsvmap, limit);
			return -FDT_ERR_BADBLOB;
		}
		base = fdt_be64(f->blob + off);
		size = fdt_be64(f->blob + off + 8);
		if (!base && !size) {
			f->nr_rsv = i;
			return 0;
		}
		if (base + size < base) {
			seterr(err, errlen, "fdt: memreserve entry %u at 0x%x: 0x%llx + 0x%llx wraps past 2^64",
			       i, off, (unsigned long long)base,
			       (unsigned long long)size);
			return -FDT_ERR_BADBLOB;
		}
	}
}

/* Walk the structure block once, checking its grammar (spec 5.4.2). */
static int check_struct(struct fdt *f, char *err, size_t errlen)
{
	bool child_seen[FDT_MAX_DEPTH + 1];
	uint32_t off = 0;
	int depth = 0;
	bool root_seen = false;
	struct tok t;
	int ret;

	for (;;) {
		ret = read_token(f, off, &t, err, errlen);
		if (ret < 0)
			return ret;
		switch (t.tag) {
		case FDT_BEGIN_NODE:
			if (depth == 0) {
				if (root_seen) {
					seterr(err, errlen, "fdt: second root node '%.40s' at struct offset 0x%x",
					       t.name, off);
					return -FDT_ERR_BADBLOB;
				}
				if (t.name[0]) {
					seterr(err, errlen, "fdt: root node at struct offset 0x%x is named '%.40s' (want an empty name)",
					       off, t.name);
					return -FDT_ERR_BADBLOB;
				}
				root_seen = true;
				f->root = (int)off;
			} else if (!t.name[0] || strchr(t.name, '/')) {
				seterr(err, errlen, "fdt: node at struct offset 0x%x has %s name '%.40s'",
				       off, t.name[0] ? "a '/' in its" : "an empty",
				       t.name);
				return -FDT_ERR_BADBLOB;
			}
			if (depth >= FDT_MAX_DEPTH) {
				seterr(err, errlen, "fdt: node '%.40s' at struct offset 0x%x is nested deeper than %d",
				       t.name, off, FDT_MAX_DEPTH);
				return -FDT_ERR_BADBLOB;
			}
			if (depth)
				child_seen[depth] = true;
			child_seen[++depth] = false;
			break;
		case FDT_END_NODE:
			if (depth == 0) {
				seterr(err, errlen, "fdt: FDT_END_NODE at struct offset 0x%x closes no node",
				       off);
				return -FDT_ERR_BADBLOB;
			}
			depth--;
			break;
		case FDT_PROP:
			if (depth == 0) {
				seterr(err, errlen, "fdt: property '%.40s' at struct offset 0x%x is outside any node",
				       t.name, off);
				return -FDT_ERR_BADBLOB;
			}
			if (child_seen[depth]) {
				seterr(err, errlen, "fdt: property '%.40s' at struct offset 0x%x follows a subnode (properties come first)",
				       t.name, off);
				return -FDT_ERR_BADBLOB;
			}
			break;
		case FDT_NOP:
			break;
		case FDT_END:
			if (depth) {
				seterr(err, errlen, "fdt: FDT_END at struct offset 0x%x with %d node%s still open",
				       off, depth, depth == 1 ? "" : "s");
				return -FDT_ERR_BADBLOB;
			}
			if (!root_seen) {
				seterr(err, errlen, "fdt: structure block has no root node");
				return -FDT_ERR_BADBLOB;
			}
			if (f->version >= 17 && t.next != f->size_struct) {
				seterr(err, errlen, "fdt: FDT_END at struct offset 0x%x is not the last token (size_dt_struct 0x%x)",
				       off, f->size_struct);
				return -FDT_ERR_BADBLOB;
			}
			f->size_struct = t.next;
			return 0;
		}
		off = t.next;
	}
}

int fdt_open(struct fdt *fdt, const void *blob, size_t max_size,
	     char *err, size_t errlen)
{
	struct fdt f;
	int ret;

	memset(fdt, 0, sizeof(*fdt));
	fdt->root = -FDT_ERR_BADBLOB;
	if (err && errlen)
		err[0] = '\0';
	if (!blob) {
		seterr(err, errlen, "fdt: no device tree (NULL pointer)");
		return -FDT_ERR_BADBLOB;
	}
	memset(&f, 0, sizeof(f));
	f.blob = blob;
	ret = check_header(&f, blob, max_size, err, errlen);
	if (!ret)
		ret = check_rsvmap(&f, err, errlen);
	if (!ret)
		ret = check_struct(&f, err, errlen);
	if (ret)
		return ret;
	*fdt = f;
	return 0;
}

int fdt_check(const void *blob, size_t max_size, char *err, size_t errlen)
{
	struct fdt f;

	return fdt_open(&f, blob, max_size, err, errlen);
}

/* ---------------------------------------------------------------- nodes */

/* Read the FDT_BEGIN_NODE token at node. */
static int node_tok(const struct fdt *f, int node, struct tok *t)
{
	if (node < 0)
		return node;
	if (!f->blob)
		return -FDT_ERR_BADBLOB;
	if (read_token(f, (uint32_t)node, t, NULL, 0) < 0 ||
	    t->tag != FDT_BEGIN_NODE)
		return -FDT_ERR_BADOFFSET;
	return 0;
}

const char *fdt_node_name(const struct fdt *f, int node)
{
	struct tok t;

	if (node_tok(f, node, &t) < 0)
		return NULL;
	return t.name;
}

/* The first token at or after off that is not a FDT_NOP (or PROP, if asked). */
static int skip_tokens(const struct fdt *f, uint32_t off, bool props,
		       struct tok *t)
{
	for (;;) {
		if (read_token(f, off, t, NULL, 0) < 0)
			return -FDT_ERR_BADBLOB;
		if (t->tag != FDT_NOP && !(props && t->tag == FDT_PROP))
			return 0;
		off = t->next;
	}
}

int fdt_first_child(const struct fdt *f, int node)
{
	struct tok t;
	int ret = node_tok(f, node, &t);

	if (ret < 0)
		return ret;
	ret = skip_tokens(f, t.next, true, &t);
	if (ret < 0)
		return ret;
	return t.tag == FDT_BEGIN_NODE ? (int)t.off : -FDT_ERR_NOTFOUND;
}

/* The offset just past the FDT_END_NODE that closes node. */
static int skip_subtree(const struct fdt *f, int node, uint32_t *after)
{
	uint32_t off = (uint32_t)node;
	int depth = 0;
	struct tok t;

	for (;;) {
		if (read_token(f, off, &t, NULL, 0) < 0)
			return -FDT_ERR_BADBLOB;
		if (t.tag == FDT_BEGIN_NODE) {
			depth++;
		} else if (t.tag == FDT_END_NODE) {
			if (--depth == 0) {
				*after = t.next;
				return 0;
			}
		} else if (t.tag == FDT_END) {
			return -FDT_ERR_BADBLOB;
		}
		off = t.next;
	}
}

int fdt_next_sibling(const struct fdt *f, int node)
{
	struct tok t;
	uint32_t after;
	int ret = node_tok(f, node, &t);

	if (ret < 0)
		return ret;
	ret = skip_subtree(f, node, &after);
	if (ret < 0)
		return ret;
	ret = skip_tokens(f, after, false, &t);
	if (ret < 0)
		return ret;
	return t.tag == FDT_BEGIN_NODE ? (int)t.off : -FDT_ERR_NOTFOUND;
}

int fdt_next_node(const struct fdt *f, int node, int *depth)
{
	struct tok t;
	uint32_t off;
	int d = 0, ret;

	if (node == -1) {
		if (depth)
			*depth = 0;
		return f->blob ? f->root : -FDT_ERR_BADBLOB;
	}
	ret = node_tok(f, node, &t);
	if (ret < 0)
		return ret;
	for (off = t.next;; off = t.next) {
		if (read_token(f, off, &t, NULL, 0) < 0)
			return -FDT_ERR_BADBLOB;
		switch (t.tag) {
		case FDT_BEGIN_NODE:
			if (depth)
				*depth += d + 1;
			return (int)t.off;
		case FDT_END_NODE:
			d--;
			break;
		case FDT_END:
			return -FDT_ERR_NOTFOUND;
		}
	}
}

/*
 * Fill stack[0..*depth] with the path from the root to node. Bounded by
 * FDT_MAX_DEPTH (which fdt_open enforced).
 */
static int ancestry(const struct fdt *f, int node, int *stack, int *depth)
{
	struct tok t;
	int n, d = 0;
	int ret = node_tok(f, node, &t);

	if (ret < 0)
		return ret;
	for (n = fdt_next_node(f, -1, &d); n >= 0;
	     n = fdt_next_node(f, n, &d)) {
		if (d < 0 || d > FDT_MAX_DEPTH)
			return -FDT_ERR_BADBLOB;
		stack[d] = n;
		if (n == node) {
			*depth = d;
			return 0;
		}
		if (n > node)
			break;
	}
	return -FDT_ERR_BADOFFSET;
}

int fdt_parent(const struct fdt *f, int node)
{
	int stack[FDT_MAX_DEPTH + 1], d;
	int ret = ancestry(f, node, stack, &d);

	if (ret < 0)
		return ret;
	return d ? stack[d - 1] : -FDT_ERR_NOTFOUND;
}

int fdt_node_path(const struct fdt *f, int node, char *buf, size_t len)
{
	int stack[FDT_MAX_DEPTH + 1], d;
	int ret = ancestry(f, node, stack, &d);
	size_t pos = 0;

	if (!len)
		return -FDT_ERR_BADVALUE;
	buf[0] = '\0';
	if (ret < 0)
		return ret;
	if (d == 0)
		return ksnprintf(buf, len, "/") < (int)len ? 0 : -FDT_ERR_BADVALUE;
	for (int i = 1; i <= d; i++) {
		int n = ksnprintf(buf + pos, len - pos, "/%s",
				  fdt_node_name(f, stack[i]));

		if (n < 0 || (size_t)n >= len - pos)
			return -FDT_ERR_BADVALUE;
		pos += (size_t)n;
	}
	return 0;
}

/* The node's path for a message ("?" if it cannot be had). */
static const char *path_for_msg(const struct fdt *f, int node, char *buf,
				size_t len)
{
	int ret = fdt_node_path(f, node, buf, len);

	/* A truncated path is still useful in a message. */
	if (ret == -FDT_ERR_BADVALUE && len && buf[0])
		return buf;
	return ret < 0 ? "?" : buf;
}

/* Does node name `cn` match name[0..len) (unit address optional)? */
static bool name_matches(const char *cn, const char *name, size_t len,
			 bool exact)
{
	/* cn has at least len characters before its NUL, so cn[len] is safe. */
	if (strnlen(cn, len) != len || strncmp(cn, name, len) != 0)
		return false;
	if (cn[len] == '\0')
		return true;
	if (exact || cn[len] != '@')
		return false;
	for (size_t i = 0; i < len; i++)
		if (name[i] == '@')
			return false;
	return true;
}

int fdt_subnode(const struct fdt *f, int parent, const char *name,
		size_t namelen)
{
	if (!name || !namelen)
		return -FDT_ERR_BADPATH;
	for (int pass = 0; pass < 2; pass++) {
		int n;

		for (n = fdt_first_child(f, parent); n >= 0;
		     n = fdt_next_sibling(f, n))
			if (name_matches(fdt_node_name(f, n), name, namelen,
					 pass == 0))
				return n;
		if (n != -FDT_ERR_NOTFOUND)
			return n;
	}
	return -FDT_ERR_NOTFOUND;
}

/* Follow the components of p[0..len) down from node. */
static int walk_path(const struct fdt *f, int node, const char *p, size_t len)
{
	size_t i = 0;

	while (i < len && node >= 0) {
		size_t start;

		while (i < len && p[i] == '/')
			i++;
		start = i;
		while (i < len && p[i] != '/')
			i++;
		if (i > start)
			node = fdt_subnode(f, node, p + start, i - start);
	}
	return node;
}

/* Length of a path up to the end of the string or the first ':'. */
static size_t path_len(const char *path)
{
	size_t n = 0;

	while (path[n] && path[n] != ':')
		n++;
	return n;
}

/* Forward: used by alias resolution. */
static int find_prop_n(const struct fdt *f, int node, const char *name,
		       size_t namelen, struct fdt_prop *prop);

int fdt_path(const struct fdt *f, const char *path)
{
	size_t len, alen;
	struct fdt_prop prop;
	const char *target;
	int aliases, node;

	if (!path || !f->blob)
		return -FDT_ERR_BADPATH;
	len = path_len(path);
	if (path[0] == '/')
		return walk_path(f, f->root, path, len);

	/* An alias: its value is an absolute path (aliases do not chain). */
	for (alen = 0; alen < len && path[alen] != '/'; alen++)
		;
	if (!alen)
		return -FDT_ERR_BADPATH;
	aliases = fdt_subnode(f, f->root, "aliases", 7);
	if (aliases < 0)
		return aliases == -FDT_ERR_NOTFOUND ? -FDT_ERR_BADPATH : aliases;
	if (find_prop_n(f, aliases, path, alen, &prop) < 0)
		return -FDT_ERR_BADPATH;
	target = prop.data;
	if (!prop.len || target[prop.len - 1] != '\0' || target[0] != '/')
		return -FDT_ERR_BADPATH;
	node = walk_path(f, f->root, target, path_len(target));
	return walk_path(f, node, path + alen, len - alen);
}

int fdt_node_by_compatible(const struct fdt *f, int from, const char *compat)
{
	int n;

	for (n = fdt_next_node(f, from, NULL); n >= 0;
	     n = fdt_next_node(f, n, NULL))
		if (fdt_node_is_compatible(f, n, compat))
			return n;
	return n;
}

int fdt_node_by_phandle(const struct fdt *f, uint32_t ph)
{
	int n;

	if (ph == 0 || ph == 0xffffffffU)
		return -FDT_ERR_NOTFOUND;
	for (n = fdt_next_node(f, -1, NULL); n >= 0;
	     n = fdt_next_node(f, n, NULL)) {
		uint32_t v;

		if ((fdt_getprop_u32(f, n, "phandle", &v) == 0 ||
		     fdt_getprop_u32(f, n, "linux,phandle", &v) == 0) &&
		    v == ph)
			return n;
	}
	return n;
}

bool fdt_node_is_enabled(const struct fdt *f, int node)
{
	uint32_t len;
	const char *s = fdt_getprop(f, node, "status", &len);

	if (node < 0)
		return false;
	if (!s)
		return true;
	return (len == 5 && !memcmp(s, "okay", 5)) ||
	       (len == 3 && !memcmp(s, "ok", 3));
}

bool fdt_node_is_compatible(const struct fdt *f, int node, const char *compat)
{
	const char *s;

	for (int i = 0; (s = fdt_stringlist_get(f, node, "compatible", i)); i++)
		if (!strcmp(s, compat))
			return true;
	return false;
}

/* ---------------------------------------------------------------- props */

static int prop_from(const struct fdt *f, uint32_t off, struct fdt_prop *prop)
{
	struct tok t;
	int ret = skip_tokens(f, off, false, &t);

	if (ret < 0)
		return ret;
	if (t.tag != FDT_PROP)
		return -FDT_ERR_NOTFOUND;
	prop->name = t.name;
	prop->data = t.data;
	prop->len = t.len;
	prop->offset = (int)t.off;
	return 0;
}

int fdt_first_prop(const struct fdt *f, int node, struct fdt_prop *prop)
{
	struct tok t;
	int ret = node_tok(f, node, &t);

	if (ret < 0)
		return ret;
	return prop_from(f, t.next, prop);
}

int fdt_next_prop(const struct fdt *f, struct fdt_prop *prop)
{
	struct tok t;

	if (prop->offset < 0 ||
	    read_token(f, (uint32_t)prop->offset, &t, NULL, 0) < 0 ||
	    t.tag != FDT_PROP)
		return -FDT_ERR_BADOFFSET;
	return prop_from(f, t.next, prop);
}

static int find_prop_n(const struct fdt *f, int node, const char *name,
		       size_t namelen, struct fdt_prop *prop)
{
	int ret;

	for (ret = fdt_first_prop(f, node, prop); ret == 0;
	     ret = fdt_next_prop(f, prop))
		if (strnlen(prop->name, namelen) == namelen &&
		    !strncmp(prop->name, name, namelen) &&
		    prop->name[namelen] == '\0')
			return 0;
	return ret;
}

int fdt_find_prop(const struct fdt *f, int node, const char *name,
		  struct fdt_prop *prop)
{
	return find_prop_n(f, node, name, strlen(name), prop);
}

const void *fdt_getprop(const struct fdt *f, int node, const char *name,
			uint32_t *lenp)
{
	struct fdt_prop prop;

	if (fdt_find_prop(f, node, name, &prop) < 0)
		return NULL;
	if (lenp)
		*lenp = prop.len;
	return prop.data;
}

const char *fdt_getprop_string(const struct fdt *f, int node,
			       const char *name)
{
	uint32_t len;
	const char *s = fdt_getprop(f, node, name, &len);

	if (!s || !len || s[len - 1] != '\0')
		return NULL;
	return s;
}

int fdt_getprop_u32(const struct fdt *f, int node, const char *name,
		    uint32_t *out)
{
	struct fdt_prop prop;
	int ret = fdt_find_prop(f, node, name, &prop);

	if (ret < 0)
		return ret;
	if (prop.len != 4)
		return -FDT_ERR_BADVALUE;
	*out = fdt_be32(prop.data);
	return 0;
}

int fdt_getprop_u64(const struct fdt *f, int node, const char *name,
		    uint64_t *out)
{
	struct fdt_prop prop;
	int ret = fdt_find_prop(f, node, name, &prop);

	if (ret < 0)
		return ret;
	if (prop.len == 4)
		*out = fdt_be32(prop.data);
	else if (prop.len == 8)
		*out = fdt_be64(prop.data);
	else
		return -FDT_ERR_BADVALUE;
	return 0;
}

int fdt_stringlist_count(const struct fdt *f, int node, const char *name)
{
	struct fdt_prop prop;
	const char *s;
	int ret = fdt_find_prop(f, node, name, &prop), count = 0;

	if (ret < 0)
		return ret;
	s = prop.data;
	if (prop.len && s[prop.len - 1] != '\0')
		return -FDT_ERR_BADVALUE;
	for (uint32_t i = 0; i < prop.len; i++)
		if (s[i] == '\0')
			count++;
	return count;
}

const char *fdt_stringlist_get(const struct fdt *f, int node,
			       const char *name, int index)
{
	struct fdt_prop prop;
	const char *s;
	uint32_t pos = 0;

	if (index < 0 || fdt_find_prop(f, node, name, &prop) < 0)
		return NULL;
	s = prop.data;
	if (!prop.len || s[prop.len - 1] != '\0')
		return NULL;
	while (pos < prop.len) {
		uint32_t n = (uint32_t)strnlen(s + pos, prop.len - pos);

		if (index-- == 0)
			return s + pos;
		pos += n + 1;
	}
	return NULL;
}

bool fdt_read_cells(const void *p, unsigned int n, uint64_t *out)
{
	const uint8_t *b = p;
	uint64_t v = 0;

	if (n > FDT_MAX_CELLS)
		return false;
	for (unsigned int i = 0; i < n; i++) {
		if (n - i > 2 && fdt_be32(b + 4 * i))
			return false;
		v = v << 32 | fdt_be32(b + 4 * i);
	}
	*out = v;
	return true;
}

/* ---------------------------------------------------------------- addresses */

static int cells(const struct fdt *f, int node, const char *name, int dflt)
{
	uint32_t v;
	int ret = fdt_getprop_u32(f, node, name, &v);

	if (ret == -FDT_ERR_NOTFOUND)
		return node < 0 ? node : dflt;
	if (ret == -FDT_ERR_BADVALUE || (ret == 0 && v > FDT_MAX_CELLS))
		return -FDT_ERR_BADCELLS;
	return ret < 0 ? ret : (int)v;
}

int fdt_address_cells(const struct fdt *f, int node)
{
	return cells(f, node, "#address-cells", 2);
}

int fdt_size_cells(const struct fdt *f, int node)
{
	return cells(f, node, "#size-cells", 1);
}

/* The bus cells for `node`'s reg, with a message when they are bad. */
static int bus_cells(const struct fdt *f, int bus, int node, int *ac, int *sc,
		     char *err, size_t errlen)
{
	char path[96];

	*ac = fdt_address_cells(f, bus);
	*sc = fdt_size_cells(f, bus);
	if (*ac < 0 || *sc < 0) {
		int ret = *ac < 0 ? *ac : *sc;

		if (ret == -FDT_ERR_BADCELLS)
			seterr(err, errlen, "fdt: %s: #address-cells or #size-cells is not one cell of at most %d",
			       path_for_msg(f, bus, path, sizeof(path)),
			       FDT_MAX_CELLS);
		return ret;
	}
	if (*ac == 0 && *sc == 0) {
		seterr(err, errlen, "fdt: %s: #address-cells and #size-cells are both 0, so reg of %s means nothing",
		       path_for_msg(f, bus, path, sizeof(path)),
		       fdt_node_name(f, node));
		return -FDT_ERR_BADCELLS;
	}
	return 0;
}

/* The reg property of node, checked: *entry bytes per (address, size). */
static int reg_prop(const struct fdt *f, int node, struct fdt_prop *prop,
		    int *ac, int *sc, char *err, size_t errlen)
{
	char path[96];
	int parent = fdt_parent(f, node), ret;
	uint32_t entry;

	if (parent < 0) {
		if (parent == -FDT_ERR_NOTFOUND)
			seterr(err, errlen, "fdt: the root node has no reg");
		return parent == -FDT_ERR_NOTFOUND ? -FDT_ERR_BADOFFSET : parent;
	}
	ret = bus_cells(f, parent, node, ac, sc, err, errlen);
	if (ret < 0)
		return ret;
	ret = fdt_find_prop(f, node, "reg", prop);
	if (ret < 0) {
		if (ret == -FDT_ERR_NOTFOUND)
			seterr(err, errlen, "fdt: %s has no reg",
			       path_for_msg(f, node, path, sizeof(path)));
		return ret;
	}
	entry = (uint32_t)(*ac + *sc) * 4;
	if (prop->len % entry) {
		seterr(err, errlen, "fdt: %s: reg length %u is not a multiple of %u (#address-cells %d + #size-cells %d)",
		       path_for_msg(f, node, path, sizeof(path)), prop->len,
		       entry, *ac, *sc);
		return -FDT_ERR_BADVALUE;
	}
	return 0;
}

int fdt_reg_count(const struct fdt *f, int node, char *err, size_t errlen)
{
	struct fdt_prop prop;
	int ac, sc, ret = reg_prop(f, node, &prop, &ac, &sc, err, errlen);

	if (ret < 0)
		return ret;
	return (int)(prop.len / ((uint32_t)(ac + sc) * 4));
}

int fdt_get_reg(const struct fdt *f, int node, unsigned int index,
		struct fdt_reg *reg, char *err, size_t errlen)
{
	struct fdt_prop prop;
	const uint8_t *p;
	char path[96];
	uint32_t entry;
	int ac, sc, ret = reg_prop(f, node, &prop, &ac, &sc, err, errlen);

	if (ret < 0)
		return ret;
	entry = (uint32_t)(ac + sc) * 4;
	if (index >= prop.len / entry) {
		seterr(err, errlen, "fdt: %s: reg has %u entries, no entry %u",
		       path_for_msg(f, node, path, sizeof(path)),
		       prop.len / entry, index);
		return -FDT_ERR_NOTFOUND;
	}
	p = (const uint8_t *)prop.data + index * entry;
	if (!fdt_read_cells(p, (unsigned int)ac, &reg->base) ||
	    !fdt_read_cells(p + 4 * ac, (unsigned int)sc, &reg->size)) {
		seterr(err, errlen, "fdt: %s: reg entry %u does not fit in 64 bits",
		       path_for_msg(f, node, path, sizeof(path)), index);
		return -FDT_ERR_BADVALUE;
	}
	return 0;
}

/*
 * Map addr (a region of size bytes) from the children's address space of
 * bus to that of parent through bus's `ranges` (spec 2.3.8).
 */
static int translate_one(const struct fdt *f, int bus, int parent,
			 uint64_t *addr, uint64_t size, char *err,
			 size_t errlen)
{
	struct fdt_prop prop;
	char path[96];
	int ca, pa, cs, ret;
	uint32_t entry;

	ret = fdt_find_prop(f, bus, "ranges", &prop);
	if (ret == -FDT_ERR_NOTFOUND) {
		seterr(err, errlen, "fdt: %s has no ranges: its children's addresses do not map to the CPU",
		       path_for_msg(f, bus, path, sizeof(path)));
		return -FDT_ERR_NOTRANSLATION;
	}
	if (ret < 0)
		return ret;
	if (prop.len == 0)
		return 0;		/* identity */
	ca = fdt_address_cells(f, bus);
	cs = fdt_size_cells(f, bus);
	pa = fdt_address_cells(f, parent);
	if (ca < 0 || cs < 0 || pa < 0 || ca + pa + cs == 0) {
		seterr(err, errlen, "fdt: %s: bad #address-cells or #size-cells for its ranges",
		       path_for_msg(f, bus, path, sizeof(path)));
		return -FDT_ERR_BADCELLS;
	}
	entry = (uint32_t)(ca + pa + cs) * 4;
	if (prop.len % entry) {
		seterr(err, errlen, "fdt: %s: ranges length %u is not a multiple of %u (child %d + parent %d + size %d cells)",
		       path_for_msg(f, bus, path, sizeof(path)), prop.len,
		       entry, ca, pa, cs);
		return -FDT_ERR_BADVALUE;
	}
	for (uint32_t off = 0; off < prop.len; off += entry) {
		const uint8_t *p = (const uint8_t *)prop.data + off;
		uint64_t cb, pb, len, delta;

		if (!fdt_read_cells(p, (unsigned int)ca, &cb) ||
		    !fdt_read_cells(p + 4 * ca, (unsigned int)pa, &pb) ||
		    !fdt_read_cells(p + 4 * (ca + pa), (unsigned int)cs, &len))
			continue;	/* e.g. PCI space codes: not ours */
		if (*addr < cb)
			continue;
		delta = *addr - cb;
		if (delta >= len || size > len - delta)
			continue;
		if (pb + delta < pb)
			continue;
		*addr = pb + delta;
		return 0;
	}
	seterr(err, errlen, "fdt: address 0x%llx (size 0x%llx) under %s is outside every entry of its ranges",
	       (unsigned long long)*addr, (unsigned long long)size,
	       path_for_msg(f, bus, path, sizeof(path)));
	return -FDT_ERR_NOTRANSLATION;
}

int fdt_translate(const struct fdt *f, int node, uint64_t addr,
		  uint64_t size, uint64_t *out, char *err, size_t errlen)
{
	int stack[FDT_MAX_DEPTH + 1], d;
	int ret = ancestry(f, node, stack, &d);

	if (ret < 0)
		return ret;
	for (; d > 0; d--) {
		ret = translate_one(f, stack[d], stack[d - 1], &addr, size,
				    err, errlen);
		if (ret < 0)
			return ret;
	}
	*out = addr;
	return 0;
}

int fdt_get_reg_phys(const struct fdt *f, int node, unsigned int index,
		     struct fdt_reg *reg, char *err, size_t errlen)
{
	struct fdt_reg r;
	int ret = fdt_get_reg(f, node, index, &r, err, errlen);

	if (ret < 0)
		return ret;
	ret = fdt_translate(f, fdt_parent(f, node), r.base, r.size, &r.base,
			    err, errlen);
	if (ret < 0)
		return ret;
	*reg = r;
	return 0;
}

int fdt_dma_range(const struct fdt *f, int node, struct fdt_dma_range *r,
		  char *err, size_t errlen)
{
	memset(r, 0, sizeof(*r));
	for (int bus = fdt_parent(f, node); bus >= 0; bus = fdt_parent(f, bus)) {
		int up = fdt_parent(f, bus);
		int ca = fdt_address_cells(f, bus), cs = fdt_size_cells(f, bus);
		int pa = up >= 0 ? fdt_address_cells(f, up) : 2;
		const uint8_t *p;
		uint32_t len, entry;
		char path[96];

		p = fdt_getprop(f, bus, "dma-ranges", &len);
		if (!p || !len)
			continue;		/* none, or 1:1 at this level */
		if (ca < 0 || cs < 0 || pa < 0)
			return -FDT_ERR_BADCELLS;
		fdt_node_path(f, bus, path, sizeof(path));
		entry = 4 * (uint32_t)(ca + pa + cs);
		if (len % entry) {
			ksnprintf(err, errlen, "%s: dma-ranges is %u bytes, not a "
				  "multiple of %u (%d+%d+%d cells)", path, len,
				  entry, ca, pa, cs);
			return -FDT_ERR_BADVALUE;
		}
		for (uint32_t off = 0; off < len; off += entry) {
			struct fdt_dma_range e = { .translated = true };

			fdt_read_cells(p + off, (unsigned int)ca, &e.bus);
			fdt_read_cells(p + off + 4 * ca, (unsigned int)pa, &e.cpu);
			fdt_read_cells(p + off + 4 * (ca + pa), (unsigned int)cs, &e.size);
			if (!e.size) {
				ksnprintf(err, errlen, "%s: dma-ranges entry %u has "
					  "size 0", path, off / entry);
				return -FDT_ERR_BADVALUE;
			}
			if (off == 0 || (e.cpu == 0))
				*r = e;
			if (e.cpu == 0)
				break;
		}
		return 0;
	}
	return 0;
}

int fdt_dma_limit(const struct fdt *f, uint64_t *limit, char *err,
		  size_t errlen)
{
	int ret = 0, depth = 0;

	*limit = 0;
	for (int node = fdt_next_node(f, -1, &depth); node >= 0;
	     node = fdt_next_node(f, node, &depth)) {
		int up = fdt_parent(f, node);
		int ca = fdt_address_cells(f, node), cs = fdt_size_cells(f, node);
		int pa = up >= 0 ? fdt_address_cells(f, up) : 2;
		uint64_t top = 0;
		const uint8_t *p;
		uint32_t len, entry;
		char path[96];

		p = fdt_getprop(f, node, "dma-ranges", &len);
		if (!p || !len)
			continue;
		fdt_node_path(f, node, path, sizeof(path));
		entry = 4 * (uint32_t)(ca + pa + cs);
		if (ca < 0 || cs < 0 || pa < 0 || ca > 2 || pa > 2 || cs > 2 ||
		    !entry || len % entry) {
			ksnprintf(err, errlen, "%s: dma-ranges is %u bytes, not "
				  "whole entries of %d+%d+%d cells: left out",
				  path, len, ca, pa, cs);
			ret = -FDT_ERR_BADVALUE;
			continue;
		}
		for (uint32_t off = 0; off < len; off += entry) {
			uint64_t cpu = 0, size = 0;

			fdt_read_cells(p + off + 4 * ca, (unsigned int)pa, &cpu);
			fdt_read_cells(p + off + 4 * (ca + pa), (unsigned int)cs,
				       &size);
			if (size && cpu + size > top)
				top = cpu + size;
		}
		if (top && (!*limit || top < *limit))
			*limit = top;
	}
	return ret;
}

/* ---------------------------------------------------------------- memreserve */

int fdt_get_mem_rsv(const struct fdt *f, unsigned int i, uint64_t *base,
		    uint64_t *size)
{
	const uint8_t *e;

	if (!f->blob || i >= f->nr_rsv)
		return -FDT_ERR_NOTFOUND;
	e = f->blob + f->off_rsvmap + (size_t)i * RSV_ENTRY_SIZE;
	*base = fdt_be64(e);
	*size = fdt_be64(e + 8);
	return 0;
}
