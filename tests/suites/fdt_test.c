/*
 * tests/suites/fdt_test.c - the device tree reader (drivers/fdt): header and
 * structure checks against malformed blobs, lookups, address translation,
 * the typed lookups the arm64 code uses, and fdt_to_boot_info. Runs on the
 * host (ASan/UBSan) and in the kernel.
 *
 * Trees come from two places: a tiny builder below (begin_node / prop /
 * end_node into a buffer, which also writes the malformed blobs), and real
 * blobs made by dtc from the .dts files in tests/data plus QEMU's own virt
 * tree, kept as C arrays in tests/data/NAME_dtb.h (each says how to
 * regenerate it).
 */
#include "boot/boot_info.h"
#include "drivers/fdt/fdt.h"
#include "kernel/kunit.h"
#include "kernel/lib/random.h"
#include "kernel/lib/string.h"

#include "tests/data/qemu_virt_dtb.h"
#include "tests/data/rpi4_dtb.h"
#include "tests/data/virt_dtb.h"
#include "tests/suites/test_bytes.h"

/* ---------------------------------------------------------------- helpers */

/* A failed call: negative return and a message with `sub` in it. */
#define EXPECT_ERR(test, ret, err, sub) do { \
	KUNIT_EXPECT_LT(test, (int)(ret), 0); \
	KUNIT_EXPECT_STR_CONTAINS(test, err, sub); \
} while (0)

/* ---------------------------------------------------------------- builder */

#define B_STRUCT_MAX	8192
#define B_STRINGS_MAX	1024
#define B_RSV_MAX	8
#define BLOB_MAX	12288

struct builder {
	uint8_t st[B_STRUCT_MAX];
	uint32_t st_len;
	char strings[B_STRINGS_MAX];
	uint32_t str_len;
	uint64_t rsv[B_RSV_MAX][2];
	unsigned int nr_rsv;
	uint32_t version;
	bool no_rsv_terminator;
	bool overflow;
};

/* Static: kernel stacks are small, and the cases run one at a time. */
static struct builder B;
static uint8_t blob[BLOB_MAX] __aligned(8);
static char err[256];

static void b_init(void)
{
	memset(&B, 0, sizeof(B));
	B.version = 17;
}

static void b_raw(const void *p, uint32_t n)
{
	if (B.st_len + n > sizeof(B.st)) {
		B.overflow = true;
		return;
	}
	memcpy(B.st + B.st_len, p, n);
	B.st_len += n;
}

static void b_u32(uint32_t v)
{
	uint8_t b[4];

	put_be32(b, v);
	b_raw(b, 4);
}

static void b_pad(void)
{
	static const uint8_t zero[4];

	b_raw(zero, (4 - B.st_len % 4) % 4);
}

static void b_begin(const char *name)
{
	b_u32(FDT_BEGIN_NODE);
	b_raw(name, (uint32_t)strlen(name) + 1);
	b_pad();
}

static void b_end(void)
{
	b_u32(FDT_END_NODE);
}

static uint32_t b_string(const char *name)
{
	uint32_t n = (uint32_t)strlen(name) + 1;

	for (uint32_t off = 0; off + n <= B.str_len; off++)
		if (!memcmp(B.strings + off, name, n))
			return off;
	if (B.str_len + n > sizeof(B.strings)) {
		B.overflow = true;
		return 0;
	}
	memcpy(B.strings + B.str_len, name, n);
	B.str_len += n;
	return B.str_len - n;
}

static void b_prop(const char *name, const void *data, uint32_t len)
{
	b_u32(FDT_PROP);
	b_u32(len);
	b_u32(b_string(name));
	b_raw(data, len);
	b_pad();
}

static void b_prop_str(const char *name, const char *s)
{
	b_prop(name, s, (uint32_t)strlen(s) + 1);
}

/* A property of n cells. */
static void b_prop_cells(const char *name, unsigned int n, const uint32_t *v)
{
	uint8_t buf[64];

	for (unsigned int i = 0; i < n && i < 16; i++)
		put_be32(buf + 4 * i, v[i]);
	b_prop(name, buf, 4 * (n < 16 ? n : 16));
}

#define B_CELLS(name, ...) do { \
	static const uint32_t _v[] = { __VA_ARGS__ }; \
	b_prop_cells(name, ARRAY_SIZE(_v), _v); \
} while (0)

static void b_prop_u32(const char *name, uint32_t v)
{
	b_prop_cells(name, 1, &v);
}

static void b_rsv(uint64_t base, uint64_t size)
{
	if (B.nr_rsv < B_RSV_MAX) {
		B.rsv[B.nr_rsv][0] = base;
		B.rsv[B.nr_rsv][1] = size;
		B.nr_rsv++;
	}
}

/*
 * Lay out header, reservation block, structure block (ended with FDT_END)
 * and strings block in `blob`; returns totalsize. Header field offsets:
 * 0x4 totalsize, 0x8 off_dt_struct, 0xc off_dt_strings, 0x10 off_mem_rsvmap,
 * 0x14 version, 0x18 last_comp_version, 0x20 size_dt_strings,
 * 0x24 size_dt_struct.
 */
static uint32_t b_finish(void)
{
	uint32_t hdr = B.version >= 17 ? 40 : 36;
	uint32_t rsv = ALIGN_UP(hdr, 8U);
	uint32_t nrsv = B.nr_rsv + (B.no_rsv_terminator ? 0 : 1);
	uint32_t st = rsv + 16 * nrsv, strs, total;

	b_u32(FDT_END);
	strs = st + B.st_len;
	total = strs + B.str_len;
	if (B.overflow || total > sizeof(blob))
		return 0;
	memset(blob, 0, sizeof(blob));
	put_be32(blob + 0, FDT_MAGIC);
	put_be32(blob + 4, total);
	put_be32(blob + 8, st);
	put_be32(blob + 12, strs);
	put_be32(blob + 16, rsv);
	put_be32(blob + 20, B.version);
	put_be32(blob + 24, 16);
	put_be32(blob + 28, 0);
	put_be32(blob + 32, B.str_len);
	if (B.version >= 17)
		put_be32(blob + 36, B.st_len);
	for (unsigned int i = 0; i < B.nr_rsv; i++) {
		put_be64(blob + rsv + 16 * i, B.rsv[i][0]);
		put_be64(blob + rsv + 16 * i + 8, B.rsv[i][1]);
	}
	memcpy(blob + st, B.st, B.st_len);
	memcpy(blob + strs, B.strings, B.str_len);
	return total;
}

static uint32_t b_off_struct(void)
{
	return fdt_be32(blob + 8);
}

/* A small valid tree used by several cases. */
static uint32_t build_small_tree(void)
{
	b_init();
	b_rsv(0x80000000ULL, 0x1000);
	b_begin("");
	b_prop_u32("#address-cells", 2);
	b_prop_u32("#size-cells", 1);
	b_prop_str("model", "builder");
	b_begin("chosen");
	b_prop_str("bootargs", "quiet test=fdt");
	b_end();
	b_begin("memory@80000000");
	b_prop_str("device_type", "memory");
	B_CELLS("reg", 0x0, 0x80000000, 0x10000000);
	b_end();
	b_begin("memory");
	b_prop_str("device_type", "memory");
	B_CELLS("reg", 0x1, 0x0, 0x1000, 0x2, 0x0, 0x2000);
	b_end();
	b_begin("intc@1000");
	b_prop_u32("phandle", 7);
	b_prop("compatible", "vendor,x\0arm,gic-400", 21);
	b_prop_u32("#interrupt-cells", 3);
	B_CELLS("reg", 0x0, 0x1000, 0x1000, 0x0, 0x2000, 0x2000);
	b_end();
	b_end();
	return b_finish();
}

/* ---------------------------------------------------------------- header */

static void header_checks(struct kunit *test)
{
	uint32_t total = build_small_tree();
	struct fdt f;

	KUNIT_ASSERT_GT(test, total, 0U);
	KUNIT_EXPECT_EQ(test, fdt_open(&f, blob, total, err, sizeof(err)), 0);
	KUNIT_EXPECT_STREQ(test, err, "");
	KUNIT_EXPECT_EQ(test, f.totalsize, total);
	KUNIT_EXPECT_EQ(test, f.nr_rsv, 1U);
	KUNIT_EXPECT_EQ(test, fdt_check(blob, total, NULL, 0), 0);

	EXPECT_ERR(test, fdt_check(NULL, 100, err, sizeof(err)), err, "NULL");
	EXPECT_ERR(test, fdt_check(blob, 3, err, sizeof(err)), err, "too small");
	EXPECT_ERR(test, fdt_check(blob, 39, err, sizeof(err)), err, "too small");
	EXPECT_ERR(test, fdt_check(blob, total - 1, err, sizeof(err)), err,
		   "is larger than the");

	blob[0] = 0xed;
	EXPECT_ERR(test, fdt_check(blob, total, err, sizeof(err)), err,
		   "bad magic 0xed0dfeed");
	KUNIT_EXPECT_EQ(test, fdt_open(&f, blob, total, err, sizeof(err)),
			-FDT_ERR_BADBLOB);
	KUNIT_EXPECT_EQ(test, f.root, -FDT_ERR_BADBLOB);	/* unusable */
	KUNIT_EXPECT_LT(test, fdt_path(&f, "/"), 0);
	blob[0] = 0xd0;

	put_be32(blob + 20, 15);
	EXPECT_ERR(test, fdt_check(blob, total, err, sizeof(err)), err,
		   "version 15");
	put_be32(blob + 20, 17);
	put_be32(blob + 24, 18);
	EXPECT_ERR(test, fdt_check(blob, total, err, sizeof(err)), err,
		   "last_comp_version 18");
	put_be32(blob + 24, 16);

	put_be32(blob + 4, 20);
	EXPECT_ERR(test, fdt_check(blob, total, err, sizeof(err)), err,
		   "smaller than the header");
	put_be32(blob + 4, total);

	put_be32(blob + 16, 44);	/* reservation block: not 8-aligned */
	EXPECT_ERR(test, fdt_check(blob, total, err, sizeof(err)), err,
		   "off_mem_rsvmap 0x2c (offset 0x10) is not 8-byte aligned");
	put_be32(blob + 16, 8);
	EXPECT_ERR(test, fdt_check(blob, total, err, sizeof(err)), err,
		   "inside the header");
	put_be32(blob + 16, 40);

	put_be32(blob + 8, b_off_struct() + 2);
	EXPECT_ERR(test, fdt_check(blob, total, err, sizeof(err)), err,
		   "not 4-byte aligned");
	put_be32(blob + 8, total + 4);
	EXPECT_ERR(test, fdt_check(blob, total, err, sizeof(err)), err,
		   "off_dt_struct");
	put_be32(blob + 8, 72);
	put_be32(blob + 36, total);
	EXPECT_ERR(test, fdt_check(blob, total, err, sizeof(err)), err,
		   "runs past totalsize");
	put_be32(blob + 36, B.st_len);

	put_be32(blob + 32, B.str_len + 1);
	EXPECT_ERR(test, fdt_check(blob, total, err, sizeof(err)), err,
		   "size_dt_strings");
	put_be32(blob + 32, B.str_len);
	put_be32(blob + 12, 72);	/* strings inside the structure block */
	EXPECT_ERR(test, fdt_check(blob, total, err, sizeof(err)), err,
		   "overlaps the structure block");
	put_be32(blob + 12, 72 + B.st_len);
	KUNIT_EXPECT_EQ(test, fdt_check(blob, total, err, sizeof(err)), 0);

	/* A short error buffer is still terminated. */
	blob[1] = 0;
	char small[8];

	KUNIT_EXPECT_LT(test, fdt_check(blob, total, small, sizeof(small)), 0);
	KUNIT_EXPECT_EQ(test, strlen(small), sizeof(small) - 1);
}

/* Version 16 blobs have no size_dt_struct: FDT_END ends the block. */
static void version16_blob(struct kunit *test)
{
	struct fdt f;
	uint32_t total;

	build_small_tree();
	B.version = 16;
	B.st_len -= 4;			/* b_finish adds FDT_END again */
	total = b_finish();
	KUNIT_ASSERT_GT(test, total, 0U);
	KUNIT_ASSERT_EQ(test, fdt_open(&f, blob, total, err, sizeof(err)), 0);
	KUNIT_EXPECT_EQ(test, fdt_be32(blob + 16), 40U);	/* header 36, rsv at 40 */
	KUNIT_EXPECT_GT(test, fdt_path(&f, "/memory@80000000"), 0);
	KUNIT_EXPECT_EQ(test, f.size_struct, B.st_len);
}

/* ---------------------------------------------------------------- structure */

static void struct_errors(struct kunit *test)
{
	uint32_t total;

	/* A property whose length runs past the structure block. */
	b_init();
	b_begin("");
	b_u32(FDT_PROP);
	b_u32(12);
	b_u32(b_string("reg"));
	b_u32(0);
	total = b_finish();
	EXPECT_ERR(test, fdt_check(blob, total, err, sizeof(err)), err,
		   "fdt: property 'reg' at struct offset 0x8: length 12 runs past the structure block");

	/* Name offset outside the strings block. */
	b_init();
	b_begin("");
	b_u32(FDT_PROP);
	b_u32(0);
	b_u32(0x1000);
	b_end();
	total = b_finish();
	EXPECT_ERR(test, fdt_check(blob, total, err, sizeof(err)), err,
		   "name offset 0x1000 is outside the strings block");

	/* Name not terminated inside the strings block. */
	b_init();
	b_begin("");
	b_prop_u32("abc", 1);
	b_end();
	total = b_finish();
	put_be32(blob + 32, fdt_be32(blob + 32) - 1);	/* drop the NUL */
	EXPECT_ERR(test, fdt_check(blob, total, err, sizeof(err)), err,
		   "not terminated inside the strings block");

	/* A node name running to the end of the structure block. */
	b_init();
	b_begin("");
	b_u32(FDT_BEGIN_NODE);
	b_raw("abcd", 4);
	total = b_finish();
	memset(blob + b_off_struct() + B.st_len - 4, 'x', 4);	/* FDT_END */
	EXPECT_ERR(test, fdt_check(blob, total, err, sizeof(err)), err,
		   "node name at struct offset 0x8 is not terminated");

	/* Unknown token, stray FDT_END_NODE, missing FDT_END. */
	b_init();
	b_begin("");
	b_u32(0x77);
	b_end();
	total = b_finish();
	EXPECT_ERR(test, fdt_check(blob, total, err, sizeof(err)), err,
		   "unknown token 0x77 at struct offset 0x8");
	b_init();
	b_begin("");
	b_end();
	b_end();
	total = b_finish();
	EXPECT_ERR(test, fdt_check(blob, total, err, sizeof(err)), err,
		   "FDT_END_NODE at struct offset 0xc closes no node");
	b_init();
	b_begin("");
	b_begin("a");
	b_end();
	total = b_finish();
	EXPECT_ERR(test, fdt_check(blob, total, err, sizeof(err)), err,
		   "1 node still open");
	b_init();
	b_begin("");
	b_end();
	b_u32(FDT_NOP);
	total = b_finish();
	put_be32(blob + b_off_struct() + 16, FDT_NOP);	/* FDT_END -> NOP */
	EXPECT_ERR(test, fdt_check(blob, total, err, sizeof(err)), err,
		   "no FDT_END token");
	b_init();
	b_begin("");
	b_end();
	b_u32(FDT_END);
	b_u32(FDT_NOP);
	total = b_finish();
	EXPECT_ERR(test, fdt_check(blob, total, err, sizeof(err)), err,
		   "is not the last token");

	/* Tree shape: two roots, a named root, an empty child name, a prop
	 * after a subnode, a prop outside any node, no root at all. */
	b_init();
	b_begin("");
	b_end();
	b_begin("");
	b_end();
	total = b_finish();
	EXPECT_ERR(test, fdt_check(blob, total, err, sizeof(err)), err,
		   "second root node");
	b_init();
	b_begin("root");
	b_end();
	total = b_finish();
	EXPECT_ERR(test, fdt_check(blob, total, err, sizeof(err)), err,
		   "want an empty name");
	b_init();
	b_begin("");
	b_begin("");
	b_end();
	b_end();
	total = b_finish();
	EXPECT_ERR(test, fdt_check(blob, total, err, sizeof(err)), err,
		   "has an empty name");
	b_init();
	b_begin("");
	b_begin("a/b");
	b_end();
	b_end();
	total = b_finish();
	EXPECT_ERR(test, fdt_check(blob, total, err, sizeof(err)), err,
		   "a '/' in its name");
	b_init();
	b_begin("");
	b_begin("a");
	b_end();
	b_prop_u32("late", 1);
	b_end();
	total = b_finish();
	EXPECT_ERR(test, fdt_check(blob, total, err, sizeof(err)), err,
		   "property 'late' at struct offset 0x14 follows a subnode");
	b_init();
	b_prop_u32("orphan", 1);
	total = b_finish();
	EXPECT_ERR(test, fdt_check(blob, total, err, sizeof(err)), err,
		   "outside any node");
	b_init();
	b_u32(FDT_NOP);
	total = b_finish();
	EXPECT_ERR(test, fdt_check(blob, total, err, sizeof(err)), err,
		   "no root node");

	/* Misaligned: size_dt_struct not a multiple of 4 cuts a token. */
	b_init();
	b_begin("");
	b_end();
	total = b_finish();
	put_be32(blob + 36, fdt_be32(blob + 36) - 2);
	EXPECT_ERR(test, fdt_check(blob, total, err, sizeof(err)), err,
		   "runs past the structure block");
}

static void nesting_depth(struct kunit *test)
{
	struct fdt f;
	uint32_t total;
	int node, depth = 0, deepest = 0;

	/* 64 levels (root + 63) are fine... */
	b_init();
	b_begin("");
	for (int i = 1; i < FDT_MAX_DEPTH; i++)
		b_begin("n");
	b_prop_u32("reg", 5);
	for (int i = 0; i < FDT_MAX_DEPTH; i++)
		b_end();
	total = b_finish();
	KUNIT_ASSERT_EQ(test, fdt_open(&f, blob, total, err, sizeof(err)), 0);
	for (node = fdt_next_node(&f, -1, &depth); node >= 0;
	     node = fdt_next_node(&f, node, &depth))
		deepest = depth;
	KUNIT_EXPECT_EQ(test, deepest, FDT_MAX_DEPTH - 1);
	node = fdt_node_by_compatible(&f, -1, "none");
	KUNIT_EXPECT_EQ(test, node, -FDT_ERR_NOTFOUND);
	char path[256];

	node = fdt_path(&f, "/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n/n");
	KUNIT_ASSERT_GT(test, node, 0);
	KUNIT_EXPECT_EQ(test, fdt_node_path(&f, node, path, sizeof(path)), 0);
	KUNIT_EXPECT_EQ(test, strlen(path), (size_t)(2 * 63));
	KUNIT_EXPECT_EQ(test, fdt_node_path(&f, node, path, 10),
			-FDT_ERR_BADVALUE);
	KUNIT_EXPECT_EQ(test, strlen(path), (size_t)9);
	struct fdt_reg reg;

	/* reg of 1 cell under 2+1 cells: wrong length, said so. */
	EXPECT_ERR(test, fdt_get_reg(&f, node, 0, &reg, err, sizeof(err)), err,
		   "reg length 4 is not a multiple of 12");

	/* ...65 are not. */
	b_init();
	b_begin("");
	for (int i = 1; i <= FDT_MAX_DEPTH; i++)
		b_begin("n");
	for (int i = 0; i <= FDT_MAX_DEPTH; i++)
		b_end();
	total = b_finish();
	EXPECT_ERR(test, fdt_check(blob, total, err, sizeof(err)), err,
		   "nested deeper than 64");

	/* A blob that is nothing but BEGIN_NODE tokens. */
	b_init();
	b_begin("");
	while (B.st_len + 8 < 4000)
		b_begin("x");
	total = b_finish();
	EXPECT_ERR(test, fdt_check(blob, total, err, sizeof(err)), err,
		   "nested deeper");
}

static void memreserve_block(struct kunit *test)
{
	struct fdt f;
	uint64_t base, size;
	uint32_t total;

	build_small_tree();
	b_rsv(0x1000, 0x2000);
	B.st_len -= 4;
	total = b_finish();
	KUNIT_ASSERT_EQ(test, fdt_open(&f, blob, total, err, sizeof(err)), 0);
	KUNIT_EXPECT_EQ(test, f.nr_rsv, 2U);
	KUNIT_EXPECT_EQ(test, fdt_get_mem_rsv(&f, 1, &base, &size), 0);
	KUNIT_EXPECT_EQ(test, base, 0x1000ULL);
	KUNIT_EXPECT_EQ(test, size, 0x2000ULL);
	KUNIT_EXPECT_EQ(test, fdt_get_mem_rsv(&f, 2, &base, &size),
			-FDT_ERR_NOTFOUND);

	/* No terminator: the list runs into the structure block. */
	build_small_tree();
	B.no_rsv_terminator = true;
	B.st_len -= 4;
	total = b_finish();
	EXPECT_ERR(test, fdt_check(blob, total, err, sizeof(err)), err,
		   "no (0, 0) terminator before 0x");

	/* The block moved to the end, where totalsize cuts its entry. */
	b_init();
	b_begin("");
	b_end();
	total = b_finish();
	KUNIT_ASSERT_EQ(test, total % 8, 0U);
	put_be32(blob + 16, total);
	memset(blob + total, 0xff, 8);
	put_be32(blob + 4, total + 8);
	EXPECT_ERR(test, fdt_check(blob, total + 8, err, sizeof(err)), err,
		   "no (0, 0) terminator before 0x");
	put_be32(blob + 16, b_off_struct() + 8);
	EXPECT_ERR(test, fdt_check(blob, total + 8, err, sizeof(err)), err,
		   "lies inside the structure block");

	/* An entry that wraps. */
	b_init();
	b_rsv(0xfffffffffffff000ULL, 0x2000);
	b_begin("");
	b_end();
	total = b_finish();
	EXPECT_ERR(test, fdt_check(blob, total, err, sizeof(err)), err,
		   "memreserve entry 0 at 0x28: 0xfffffffffffff000 + 0x2000 wraps");
}

/* ---------------------------------------------------------------- lookups */

static void nodes_and_props(struct kunit *test)
{
	uint32_t total = build_small_tree();
	struct fdt f;
	struct fdt_prop prop;
	char path[64];
	uint32_t v, len;
	int root, node, count;

	KUNIT_ASSERT_EQ(test, fdt_open(&f, blob, total, err, sizeof(err)), 0);
	root = fdt_path(&f, "/");
	KUNIT_EXPECT_EQ(test, root, f.root);
	KUNIT_EXPECT_STREQ(test, fdt_node_name(&f, root), "");
	KUNIT_EXPECT_EQ(test, fdt_parent(&f, root), -FDT_ERR_NOTFOUND);

	/* Unit address optional; an exact name wins over a prefix match. */
	node = fdt_path(&f, "/memory");
	KUNIT_EXPECT_STREQ(test, fdt_node_name(&f, node), "memory");
	node = fdt_path(&f, "/memory@80000000");
	KUNIT_EXPECT_STREQ(test, fdt_node_name(&f, node), "memory@80000000");
	node = fdt_path(&f, "//intc");
	KUNIT_EXPECT_STREQ(test, fdt_node_name(&f, node), "intc@1000");
	KUNIT_EXPECT_EQ(test, fdt_path(&f, "/intc@2000"), -FDT_ERR_NOTFOUND);
	KUNIT_EXPECT_EQ(test, fdt_path(&f, "/int"), -FDT_ERR_NOTFOUND);
	KUNIT_EXPECT_EQ(test, fdt_path(&f, "/chosen/x"), -FDT_ERR_NOTFOUND);
	KUNIT_EXPECT_EQ(test, fdt_path(&f, "nosuchalias"), -FDT_ERR_BADPATH);
	KUNIT_EXPECT_EQ(test, fdt_path(&f, ""), -FDT_ERR_BADPATH);
	KUNIT_EXPECT_EQ(test, fdt_path(&f, "/chosen:opts"),
			fdt_path(&f, "/chosen"));
	KUNIT_EXPECT_EQ(test, fdt_parent(&f, node), root);
	KUNIT_EXPECT_EQ(test, fdt_node_path(&f, node, path, sizeof(path)), 0);
	KUNIT_EXPECT_STREQ(test, path, "/intc@1000");
	KUNIT_EXPECT_EQ(test, fdt_node_by_phandle(&f, 7), node);
	KUNIT_EXPECT_EQ(test, fdt_node_by_phandle(&f, 8), -FDT_ERR_NOTFOUND);
	KUNIT_EXPECT_EQ(test, fdt_node_by_phandle(&f, 0), -FDT_ERR_NOTFOUND);
	KUNIT_EXPECT_EQ(test, fdt_node_by_compatible(&f, -1, "arm,gic-400"),
			node);
	KUNIT_EXPECT_EQ(test, fdt_node_by_compatible(&f, node, "arm,gic-400"),
			-FDT_ERR_NOTFOUND);
	KUNIT_EXPECT_TRUE(test, fdt_node_is_compatible(&f, node, "vendor,x"));
	KUNIT_EXPECT_FALSE(test, fdt_node_is_compatible(&f, node, "vendor"));
	KUNIT_EXPECT_TRUE(test, fdt_node_is_enabled(&f, node));
	KUNIT_EXPECT_EQ(test, fdt_stringlist_count(&f, node, "compatible"), 2);
	KUNIT_EXPECT_STREQ(test, fdt_stringlist_get(&f, node, "compatible", 1),
			   "arm,gic-400");
	KUNIT_EXPECT_NULL(test, fdt_stringlist_get(&f, node, "compatible", 2));
	KUNIT_EXPECT_NULL(test, fdt_stringlist_get(&f, node, "compatible", -1));

	/* Siblings and children in order. */
	count = 0;
	for (node = fdt_first_child(&f, root); node >= 0;
	     node = fdt_next_sibling(&f, node))
		count++;
	KUNIT_EXPECT_EQ(test, count, 4);
	KUNIT_EXPECT_EQ(test, node, -FDT_ERR_NOTFOUND);
	KUNIT_EXPECT_EQ(test, fdt_first_child(&f, fdt_path(&f, "/chosen")),
			-FDT_ERR_NOTFOUND);

	/* Properties. */
	count = 0;
	for (int r = fdt_first_prop(&f, root, &prop); r == 0;
	     r = fdt_next_prop(&f, &prop))
		count++;
	KUNIT_EXPECT_EQ(test, count, 3);
	KUNIT_EXPECT_EQ(test, fdt_getprop_u32(&f, root, "#size-cells", &v), 0);
	KUNIT_EXPECT_EQ(test, v, 1U);
	KUNIT_EXPECT_EQ(test, fdt_getprop_u32(&f, root, "model", &v),
			-FDT_ERR_BADVALUE);
	KUNIT_EXPECT_EQ(test, fdt_getprop_u32(&f, root, "nope", &v),
			-FDT_ERR_NOTFOUND);
	KUNIT_EXPECT_STREQ(test, fdt_getprop_string(&f, root, "model"),
			   "builder");
	KUNIT_EXPECT_NULL(test, fdt_getprop_string(&f, root, "#size-cells"));
	KUNIT_EXPECT_NOT_NULL(test, fdt_getprop(&f, root, "model", &len));
	KUNIT_EXPECT_EQ(test, len, 8U);

	/* Made-up offsets give errors, not reads. */
	KUNIT_EXPECT_NULL(test, fdt_node_name(&f, 2));
	KUNIT_EXPECT_NULL(test, fdt_node_name(&f, 1 << 20));
	KUNIT_EXPECT_EQ(test, fdt_first_child(&f, 4), -FDT_ERR_BADOFFSET);
	KUNIT_EXPECT_EQ(test, fdt_parent(&f, -FDT_ERR_BADPATH),
			-FDT_ERR_BADPATH);
	KUNIT_EXPECT_NULL(test, fdt_getprop(&f, -FDT_ERR_NOTFOUND, "x", NULL));
	prop.offset = 3;
	KUNIT_EXPECT_EQ(test, fdt_next_prop(&f, &prop), -FDT_ERR_BADOFFSET);
	KUNIT_EXPECT_STREQ(test, fdt_strerror(-FDT_ERR_NOTFOUND), "not found");
}

static void cells_and_reg(struct kunit *test)
{
	struct fdt f;
	struct fdt_reg reg;
	uint32_t total;
	int node;
	uint64_t v;

	b_init();
	b_begin("");
	b_begin("bus5");
	b_prop_u32("#address-cells", 5);
	b_begin("dev");
	B_CELLS("reg", 1, 2, 3, 4, 5, 6);
	b_end();
	b_end();
	b_begin("bus3");
	b_prop_u32("#address-cells", 3);
	b_prop_u32("#size-cells", 0);
	b_begin("hi@0");
	B_CELLS("reg", 1, 0, 0);
	b_end();
	b_begin("lo@0");
	B_CELLS("reg", 0, 0x12345678, 0x9abcdef0);
	b_end();
	b_end();
	b_begin("zero");
	b_prop_u32("#address-cells", 0);
	b_prop_u32("#size-cells", 0);
	b_begin("dev");
	b_prop("reg", "", 0);
	b_end();
	b_end();
	b_begin("nobus");
	b_begin("dev");
	B_CELLS("reg", 0, 0x100, 0x10);
	b_end();
	b_end();
	b_begin("bus");
	b_prop_u32("#address-cells", 1);
	b_prop_u32("#size-cells", 1);
	B_CELLS("ranges", 0x1000, 0x0, 0x80000000, 0x1000,
		0x8000, 0x1, 0x00000000, 0x100);
	b_begin("dev@1800");
	B_CELLS("reg", 0x1800, 0x100, 0x8010, 0x10, 0x2000, 0x10,
		0x1f00, 0x200);
	b_end();
	b_end();
	b_end();
	total = b_finish();
	KUNIT_EXPECT_EQ(test, fdt_open(&f, blob, total, err, sizeof(err)), 0);
	KUNIT_ASSERT_STREQ(test, err, "");

	KUNIT_EXPECT_EQ(test, fdt_address_cells(&f, fdt_path(&f, "/bus5")),
			-FDT_ERR_BADCELLS);
	EXPECT_ERR(test, fdt_get_reg(&f, fdt_path(&f, "/bus5/dev"), 0, &reg,
				     err, sizeof(err)), err,
		   "fdt: /bus5: #address-cells or #size-cells is not one cell of at most 4");
	EXPECT_ERR(test, fdt_get_reg(&f, fdt_path(&f, "/bus3/hi"), 0, &reg,
				     err, sizeof(err)), err,
		   "fdt: /bus3/hi@0: reg entry 0 does not fit in 64 bits");
	KUNIT_EXPECT_EQ(test, fdt_get_reg(&f, fdt_path(&f, "/bus3/lo"), 0, &reg,
					  err, sizeof(err)), 0);
	KUNIT_EXPECT_EQ(test, reg.base, 0x123456789abcdef0ULL);
	KUNIT_EXPECT_EQ(test, reg.size, 0ULL);
	EXPECT_ERR(test, fdt_reg_count(&f, fdt_path(&f, "/zero/dev"), err,
				       sizeof(err)), err, "both 0");
	EXPECT_ERR(test, fdt_reg_count(&f, f.root, err, sizeof(err)), err,
		   "the root node has no reg");
	EXPECT_ERR(test, fdt_reg_count(&f, fdt_path(&f, "/bus"), err,
				       sizeof(err)), err, "/bus has no reg");

	/* Translation: missing ranges, two windows, outside, straddling. */
	node = fdt_path(&f, "/nobus/dev");
	KUNIT_EXPECT_EQ(test, fdt_get_reg(&f, node, 0, &reg, NULL, 0), 0);
	EXPECT_ERR(test, fdt_get_reg_phys(&f, node, 0, &reg, err, sizeof(err)),
		   err, "fdt: /nobus has no ranges");
	node = fdt_path(&f, "/bus/dev@1800");
	KUNIT_EXPECT_EQ(test, fdt_reg_count(&f, node, NULL, 0), 4);
	KUNIT_EXPECT_EQ(test, fdt_get_reg_phys(&f, node, 0, &reg, err,
					       sizeof(err)), 0);
	KUNIT_EXPECT_EQ(test, reg.base, 0x80000800ULL);
	KUNIT_EXPECT_EQ(test, reg.size, 0x100ULL);
	KUNIT_EXPECT_EQ(test, fdt_get_reg_phys(&f, node, 1, &reg, err,
					       sizeof(err)), 0);
	KUNIT_EXPECT_EQ(test, reg.base, 0x100000010ULL);
	EXPECT_ERR(test, fdt_get_reg_phys(&f, node, 2, &reg, err, sizeof(err)),
		   err, "address 0x2000 (size 0x10) under /bus is outside");
	EXPECT_ERR(test, fdt_get_reg_phys(&f, node, 3, &reg, err, sizeof(err)),
		   err, "outside every entry");
	EXPECT_ERR(test, fdt_get_reg(&f, node, 4, &reg, err, sizeof(err)), err,
		   "reg has 4 entries, no entry 4");
	KUNIT_EXPECT_EQ(test, fdt_translate(&f, fdt_path(&f, "/bus"), 0x1fff,
					    1, &v, NULL, 0), 0);
	KUNIT_EXPECT_EQ(test, v, 0x80000fffULL);
	KUNIT_EXPECT_EQ(test, fdt_translate(&f, fdt_path(&f, "/bus"), 0x1fff,
					    2, &v, NULL, 0),
			-FDT_ERR_NOTRANSLATION);
}

/* ---------------------------------------------------------------- real trees */

/*
 * fdt_dma_range: the Pi 3's soc bus (<0xc0000000 0x0 0x3f000000>: the
 * VideoCore's alias), the Pi 4's emmc2bus beneath a 1:1 parent (an empty
 * dma-ranges goes on up; two entries: the one holding physical 0), no
 * dma-ranges at all (1:1, untranslated), a length that is no whole
 * number of entries and a size of 0 refused with the bus's path.
 */
static void dma_ranges(struct kunit *test)
{
	struct fdt f;
	struct fdt_dma_range r;
	uint32_t total;

	b_init();
	b_begin("");
	b_prop_u32("#address-cells", 2);
	b_prop_u32("#size-cells", 1);
	b_begin("soc");
	b_prop_u32("#address-cells", 1);
	b_prop_u32("#size-cells", 1);
	B_CELLS("dma-ranges", 0xc0000000, 0x0, 0x0, 0x3f000000);
	b_begin("mmc@7e202000");
	b_end();
	b_end();
	b_begin("scb");
	b_prop_u32("#address-cells", 2);
	b_prop_u32("#size-cells", 1);
	b_prop("dma-ranges", "", 0);
	b_begin("emmc2bus");
	b_prop_u32("#address-cells", 2);
	b_prop_u32("#size-cells", 1);
	B_CELLS("dma-ranges", 0x1, 0x0, 0x1, 0x0, 0x1000,
		0x0, 0xc0000000, 0x0, 0x0, 0x40000000);
	b_begin("mmc@7e340000");
	b_end();
	b_end();
	b_end();
	b_begin("plain");
	b_begin("dev");
	b_end();
	b_end();
	b_begin("bad");
	b_prop_u32("#address-cells", 1);
	b_prop_u32("#size-cells", 1);
	B_CELLS("dma-ranges", 0xc0000000, 0x0, 0x0);
	b_begin("dev");
	b_end();
	b_end();
	b_begin("empty");
	b_prop_u32("#address-cells", 1);
	b_prop_u32("#size-cells", 1);
	B_CELLS("dma-ranges", 0xc0000000, 0x0, 0x0, 0x0);
	b_begin("dev");
	b_end();
	b_end();
	b_end();
	total = b_finish();
	KUNIT_ASSERT_EQ(test, fdt_open(&f, blob, total, err, sizeof(err)), 0);

	KUNIT_EXPECT_EQ(test, fdt_dma_range(&f, fdt_path(&f, "/soc/mmc@7e202000"),
					    &r, err, sizeof(err)), 0);
	KUNIT_EXPECT_TRUE(test, r.translated);
	KUNIT_EXPECT_EQ(test, r.bus, 0xc0000000ULL);
	KUNIT_EXPECT_EQ(test, r.cpu, 0ULL);
	KUNIT_EXPECT_EQ(test, r.size, 0x3f000000ULL);
	KUNIT_EXPECT_EQ(test, fdt_dma_range(&f, fdt_path(&f, "/scb/emmc2bus/mmc@7e340000"),
					    &r, err, sizeof(err)), 0);
	KUNIT_EXPECT_EQ(test, r.bus, 0xc0000000ULL);
	KUNIT_EXPECT_EQ(test, r.cpu, 0ULL);
	KUNIT_EXPECT_EQ(test, r.size, 0x40000000ULL);
	KUNIT_EXPECT_EQ(test, fdt_dma_range(&f, fdt_path(&f, "/plain/dev"),
					    &r, err, sizeof(err)), 0);
	KUNIT_EXPECT_FALSE(test, r.translated);
	KUNIT_EXPECT_EQ(test, r.size, 0ULL);
	EXPECT_ERR(test, fdt_dma_range(&f, fdt_path(&f, "/bad/dev"), &r, err,
				       sizeof(err)), err,
		   "/bad: dma-ranges is 12 bytes, not a multiple of 16 (1+2+1 cells)");
	EXPECT_ERR(test, fdt_dma_range(&f, fdt_path(&f, "/empty/dev"), &r, err,
				       sizeof(err)), err,
		   "/empty: dma-ranges entry 0 has size 0");

	/* The tree's limit: each bus's highest reach (emmc2bus's first
	 * entry reaches above 4 GiB, so it is not the one), the lowest of
	 * those (the soc's 0x3f000000); /bad is said and left out, /empty
	 * reaches nothing and limits nothing. */
	{
		uint64_t limit = 1;

		EXPECT_ERR(test, fdt_dma_limit(&f, &limit, err, sizeof(err)), err,
			   "/bad: dma-ranges is 12 bytes, not whole entries of 1+2+1 cells: left out");
		KUNIT_EXPECT_EQ(test, limit, 0x3f000000ULL);
	}
}

/* A tree whose buses say nothing about DMA limits nothing. */
static void dma_limit_without_dma_ranges(struct kunit *test)
{
	struct fdt f;
	uint64_t limit = 1;
	uint32_t total;

	b_init();
	b_begin("");
	b_prop_u32("#address-cells", 2);
	b_prop_u32("#size-cells", 2);
	b_begin("soc");
	b_prop("dma-ranges", "", 0);		/* 1:1 */
	b_begin("dev");
	b_end();
	b_end();
	b_end();
	total = b_finish();
	KUNIT_ASSERT_EQ(test, fdt_open(&f, blob, total, err, sizeof(err)), 0);
	KUNIT_EXPECT_EQ(test, fdt_dma_limit(&f, &limit, err, sizeof(err)), 0);
	KUNIT_EXPECT_EQ(test, limit, 0ULL);
}

static void open_const(struct kunit *test, struct fdt *f, const void *p,
		       size_t len)
{
	KUNIT_EXPECT_EQ(test, fdt_open(f, p, len, err, sizeof(err)), 0);
	KUNIT_EXPECT_STREQ(test, err, "");
}

static void rpi4_tree(struct kunit *test)
{
	struct fdt f;
	struct fdt_uart uart;
	struct fdt_gic gic;
	struct fdt_timer timer;
	struct fdt_psci psci;
	struct fdt_cpu cpus[2];
	struct fdt_reg reg;
	const char *opts;
	int node;

	open_const(test, &f, rpi4_dtb, rpi4_dtb_len);
	node = fdt_stdout_node(&f, &opts);
	KUNIT_EXPECT_EQ(test, node, fdt_path(&f, "/soc/serial@7e215040"));
	KUNIT_EXPECT_EQ(test, node, fdt_path(&f, "serial1"));
	KUNIT_EXPECT_STREQ(test, opts, "115200n8");
	KUNIT_EXPECT_EQ(test, fdt_path(&f, "serial0"),
			fdt_path(&f, "/soc/serial"));
	KUNIT_EXPECT_FALSE(test, fdt_node_is_enabled(&f, fdt_path(&f, "serial0")));

	KUNIT_ASSERT_EQ(test, fdt_find_uart(&f, &uart, err, sizeof(err)), 0);
	KUNIT_EXPECT_EQ(test, (int)uart.type, FDT_UART_BCM2835_AUX);
	KUNIT_EXPECT_EQ(test, uart.base, 0xfe215040ULL);
	KUNIT_EXPECT_EQ(test, uart.size, 0x40ULL);
	KUNIT_EXPECT_TRUE(test, uart.from_stdout_path);
	KUNIT_EXPECT_STREQ(test, uart.options, "115200n8");

	KUNIT_ASSERT_EQ(test, fdt_find_gic(&f, &gic, err, sizeof(err)), 0);
	KUNIT_EXPECT_EQ(test, gic.version, 2);
	KUNIT_EXPECT_EQ(test, gic.dist_base, 0xff841000ULL);
	KUNIT_EXPECT_EQ(test, gic.dist_size, 0x1000ULL);
	KUNIT_EXPECT_EQ(test, gic.cpu_base, 0xff842000ULL);
	KUNIT_EXPECT_EQ(test, gic.cpu_size, 0x2000ULL);
	KUNIT_EXPECT_EQ(test, gic.interrupt_cells, 3U);

	KUNIT_ASSERT_EQ(test, fdt_find_timer(&f, &timer, err, sizeof(err)), 0);
	KUNIT_EXPECT_EQ(test, timer.nr_irqs, 4U);
	KUNIT_EXPECT_EQ(test, timer.intc, gic.node);
	KUNIT_EXPECT_EQ(test, timer.irq[FDT_TIMER_PHYS].intid, 30U);
	KUNIT_EXPECT_EQ(test, timer.irq[FDT_TIMER_VIRT].intid, 27U);
	KUNIT_EXPECT_EQ(test, timer.irq[FDT_TIMER_VIRT].cells[2], 0xf08U);

	struct fdt_irq irq;

	KUNIT_EXPECT_EQ(test, fdt_get_irq(&f, uart.node, 0, &irq, err,
					  sizeof(err)), 0);
	KUNIT_EXPECT_EQ(test, irq.intid, 32U + 93U);
	EXPECT_ERR(test, fdt_get_irq(&f, uart.node, 1, &irq, err, sizeof(err)),
		   err, "no interrupt 1");

	KUNIT_ASSERT_EQ(test, fdt_find_psci(&f, &psci, err, sizeof(err)), 0);
	KUNIT_EXPECT_EQ(test, (int)psci.method, FDT_PSCI_SMC);
	KUNIT_EXPECT_TRUE(test, psci.v0_2);

	KUNIT_EXPECT_EQ(test, fdt_find_cpus(&f, cpus, ARRAY_SIZE(cpus), err,
					    sizeof(err)), 4);
	KUNIT_EXPECT_EQ(test, cpus[1].hwid, 1ULL);
	KUNIT_EXPECT_EQ(test, (int)cpus[1].method, FDT_CPU_METHOD_SPIN_TABLE);
	KUNIT_EXPECT_EQ(test, cpus[1].release_addr, 0xe0ULL);
	KUNIT_EXPECT_TRUE(test, cpus[1].enabled);

	node = fdt_path(&f, "/reserved-memory/firmware");
	KUNIT_EXPECT_EQ(test, fdt_get_reg_phys(&f, node, 0, &reg, err,
					       sizeof(err)), 0);
	KUNIT_EXPECT_EQ(test, reg.base, 0x3b400000ULL);
	KUNIT_EXPECT_EQ(test, reg.size, 0x04c00000ULL);
}

/* Find a range in bi. */
static bool has_range(const struct boot_info *bi, uint64_t base,
		      uint64_t size, uint32_t type)
{
	for (unsigned int i = 0; i < bi->nr_mem; i++)
		if (bi->mem[i].base == base && bi->mem[i].size == size &&
		    bi->mem[i].type == type)
			return true;
	return false;
}

static struct boot_info bi;

static void rpi4_boot_info(struct kunit *test)
{
	uint64_t phys = 0x2eff8000;

	KUNIT_ASSERT_EQ(test, fdt_to_boot_info(rpi4_dtb, rpi4_dtb_len, phys,
					       &bi, err, sizeof(err)), 0);
	KUNIT_EXPECT_STREQ(test, err, "");
	KUNIT_EXPECT_STREQ(test, bi.protocol, "devicetree");
	KUNIT_EXPECT_STREQ(test, bi.cmdline, "console=ttyS0,115200 test=fdt*");
	KUNIT_EXPECT_EQ(test, bi.dtb, phys);
	KUNIT_EXPECT_EQ(test, bi.dtb_size, (uint64_t)rpi4_dtb_len);
	KUNIT_EXPECT_EQ(test, bi.nr_mem, 5U);
	KUNIT_EXPECT_EQ(test, bi.mem_dropped, 0U);
	KUNIT_EXPECT_TRUE(test, has_range(&bi, 0, 0x3b400000, BOOT_MEM_USABLE));
	KUNIT_EXPECT_TRUE(test, has_range(&bi, 0x40000000, 0xbc000000,
					  BOOT_MEM_USABLE));
	KUNIT_EXPECT_TRUE(test, has_range(&bi, 0, 0x1000, BOOT_MEM_RESERVED));
	KUNIT_EXPECT_TRUE(test, has_range(&bi, 0x3b400000, 0x04c00000,
					  BOOT_MEM_RESERVED));
	KUNIT_EXPECT_TRUE(test, has_range(&bi, phys, rpi4_dtb_len,
					  BOOT_MEM_RESERVED));
	KUNIT_EXPECT_EQ(test, bi.nr_modules, 1U);
	KUNIT_EXPECT_EQ(test, bi.modules[0].base, 0x2eff0000ULL);
	KUNIT_EXPECT_EQ(test, bi.modules[0].size, 0x10000ULL);
	KUNIT_EXPECT_STREQ(test, bi.modules[0].name, "initrd");
	/* linux,cma: reusable, so RAM lent by CMA, not a reserved range. */
	KUNIT_EXPECT_EQ(test, bi.nr_cma_pools, 1U);
	KUNIT_EXPECT_STREQ(test, bi.cma_pools[0].name, "linux,cma");
	KUNIT_EXPECT_EQ(test, bi.cma_pools[0].base, 0ULL);
	KUNIT_EXPECT_EQ(test, bi.cma_pools[0].size, 0x4000000ULL);
	KUNIT_EXPECT_FALSE(test, bi.cma_pools[0].is_default);
	KUNIT_EXPECT_STREQ(test, bi.cma_pools[0].why, "");
}

/*
 * /reserved-memory's shared-dma-pools: reusable ones (dynamic with
 * size, alignment and alloc-ranges, or fixed with reg) become CMA pools
 * and stay RAM; a no-map one stays reserved; a malformed one is kept
 * with the reason.
 */
static void reusable_pools_become_cma_pools(struct kunit *test)
{
	uint32_t total;

	b_init();
	b_begin("");
	B_CELLS("#address-cells", 2);
	B_CELLS("#size-cells", 2);
	b_begin("memory@40000000");
	b_prop_str("device_type", "memory");
	B_CELLS("reg", 0, 0x40000000, 0, 0x20000000);
	b_end();
	b_begin("reserved-memory");
	B_CELLS("#address-cells", 2);
	B_CELLS("#size-cells", 2);
	b_prop("ranges", "", 0);
	b_begin("linux,cma");
	b_prop_str("compatible", "shared-dma-pool");
	b_prop("reusable", "", 0);
	B_CELLS("size", 0, 0x4000000);
	B_CELLS("alignment", 0, 0x400000);
	B_CELLS("alloc-ranges", 0, 0x40000000, 0, 0x10000000);
	b_prop("linux,cma-default", "", 0);
	b_end();
	b_begin("pool@50000000");
	b_prop_str("compatible", "shared-dma-pool");
	b_prop("reusable", "", 0);
	B_CELLS("reg", 0, 0x50000000, 0, 0x1000000);
	b_end();
	b_begin("fw@5f000000");
	b_prop_str("compatible", "shared-dma-pool");
	b_prop("no-map", "", 0);
	B_CELLS("reg", 0, 0x5f000000, 0, 0x100000);
	b_end();
	b_begin("bad");
	b_prop_str("compatible", "shared-dma-pool");
	b_prop("reusable", "", 0);
	b_end();
	b_end();
	b_end();
	total = b_finish();
	KUNIT_ASSERT_EQ(test, fdt_to_boot_info(blob, total, 0, &bi, err,
					       sizeof(err)), 0);
	KUNIT_ASSERT_EQ(test, bi.nr_cma_pools, 3U);
	KUNIT_EXPECT_STREQ(test, bi.cma_pools[0].name, "linux,cma");
	KUNIT_EXPECT_EQ(test, bi.cma_pools[0].base, 0ULL);
	KUNIT_EXPECT_EQ(test, bi.cma_pools[0].size, 0x4000000ULL);
	KUNIT_EXPECT_EQ(test, bi.cma_pools[0].align, 0x400000ULL);
	KUNIT_EXPECT_EQ(test, bi.cma_pools[0].alloc_start, 0x40000000ULL);
	KUNIT_EXPECT_EQ(test, bi.cma_pools[0].alloc_end, 0x50000000ULL);
	KUNIT_EXPECT_TRUE(test, bi.cma_pools[0].is_default);
	KUNIT_EXPECT_STREQ(test, bi.cma_pools[0].why, "");
	KUNIT_EXPECT_STREQ(test, bi.cma_pools[1].name, "pool@50000000");
	KUNIT_EXPECT_EQ(test, bi.cma_pools[1].base, 0x50000000ULL);
	KUNIT_EXPECT_EQ(test, bi.cma_pools[1].size, 0x1000000ULL);
	KUNIT_EXPECT_FALSE(test, bi.cma_pools[1].is_default);
	KUNIT_EXPECT_FALSE(test, has_range(&bi, 0x50000000, 0x1000000,
					   BOOT_MEM_RESERVED));
	KUNIT_EXPECT_TRUE(test, has_range(&bi, 0x5f000000, 0x100000,
					  BOOT_MEM_RESERVED));
	KUNIT_EXPECT_STREQ(test, bi.cma_pools[2].name, "bad");
	KUNIT_EXPECT_STR_CONTAINS(test, bi.cma_pools[2].why, "size");
}

/* ---------------------------------------------------------------- console */

/*
 * A Raspberry Pi 3 tree as the firmware hands it over, reduced to what
 * picks the console: the mini UART (aux) and the PL011, the serial0 and
 * serial1 aliases, stdout-path. The firmware points serial0 at the UART
 * on the header pins: the mini UART by default (the PL011 drives
 * Bluetooth), the PL011 with dtoverlay=disable-bt. aux_first puts the
 * mini UART first in the tree (the real order is the PL011 first).
 */
struct pi_tree {
	const char *stdout_path;	/* NULL: none */
	const char *serial0;		/* "pl011", "aux" or NULL: no aliases */
	const char *pl011_status, *aux_status;	/* NULL: no property */
	bool aux_first;
};

static void pi_uart(const char *which, const char *status)
{
	if (!strcmp(which, "aux")) {
		b_begin("serial@7e215040");
		b_prop("compatible", "brcm,bcm2835-aux-uart", 22);
		B_CELLS("reg", 0x3f215040, 0x40);
	} else {
		b_begin("serial@7e201000");
		b_prop("compatible", "arm,pl011\0arm,primecell", 24);
		B_CELLS("reg", 0x3f201000, 0x200);
	}
	if (status)
		b_prop_str("status", status);
	b_end();
}

static void build_pi_tree(struct kunit *test, struct fdt *f,
			  const struct pi_tree *t)
{
	uint32_t len;

	b_init();
	b_begin("");
	b_prop_u32("#address-cells", 1);
	b_prop_u32("#size-cells", 1);
	if (t->serial0) {
		bool pl = !strcmp(t->serial0, "pl011");

		b_begin("aliases");
		b_prop_str("serial0", pl ? "/serial@7e201000" : "/serial@7e215040");
		b_prop_str("serial1", pl ? "/serial@7e215040" : "/serial@7e201000");
		b_end();
	}
	b_begin("chosen");
	if (t->stdout_path)
		b_prop_str("stdout-path", t->stdout_path);
	b_end();
	pi_uart(t->aux_first ? "aux" : "pl011",
		t->aux_first ? t->aux_status : t->pl011_status);
	pi_uart(t->aux_first ? "pl011" : "aux",
		t->aux_first ? t->pl011_status : t->aux_status);
	b_end();
	len = b_finish();
	KUNIT_ASSERT_EQ(test, fdt_open(f, blob, len, err, sizeof(err)), 0);
}

static void console_choice(struct kunit *test)
{
	static const struct {
		struct pi_tree t;
		uint64_t base;			/* 0: no console */
		const char *by, *options;
	} cases[] = {
		/* The firmware's default: serial0 is the mini UART. */
		{ { "serial0:115200n8", "aux", "okay", "okay", false },
		  0x3f215040, "stdout-path", "115200n8" },
		/* dtoverlay=disable-bt: serial0 is the PL011. */
		{ { "serial0:115200n8", "pl011", "okay", "okay", false },
		  0x3f201000, "stdout-path", "115200n8" },
		/* disable-bt with the mini UART disabled (enable_uart=0). */
		{ { "serial0:115200n8", "pl011", "okay", "disabled", false },
		  0x3f201000, "stdout-path", "115200n8" },
		/* No stdout-path: serial0, not the first UART in the tree. */
		{ { NULL, "pl011", "okay", "okay", true },
		  0x3f201000, "the serial0 alias", "" },
		{ { NULL, "aux", NULL, NULL, false },
		  0x3f215040, "the serial0 alias", "" },
		/* stdout-path names a disabled UART: serial0 instead. */
		{ { "/serial@7e215040", "pl011", "okay", "disabled", true },
		  0x3f201000, "the serial0 alias", "" },
		/* ... and serial0 is that same disabled one: the other. */
		{ { "serial0", "aux", "okay", "disabled", false },
		  0x3f201000, "the first enabled UART", "" },
		/* No stdout-path, no aliases: the first enabled one. */
		{ { NULL, NULL, "disabled", "okay", false },
		  0x3f215040, "the first enabled UART", "" },
		{ { NULL, NULL, "okay", "okay", true },
		  0x3f215040, "the first enabled UART", "" },
		/* stdout-path to a node that does not exist. */
		{ { "/nowhere:9600", "pl011", "okay", "okay", false },
		  0x3f201000, "the serial0 alias", "" },
		/* Nothing enabled: an error, said. */
		{ { "serial0", "aux", "disabled", "fail", false }, 0, NULL, NULL },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct fdt f;
		struct fdt_uart uart;
		int r;

		build_pi_tree(test, &f, &cases[i].t);
		err[0] = '\0';
		r = fdt_find_uart(&f, &uart, err, sizeof(err));
		if (!cases[i].base) {
			KUNIT_EXPECT_LT(test, r, 0);
			KUNIT_EXPECT_STR_CONTAINS(test, err, "no usable stdout-path");
			continue;
		}
		KUNIT_EXPECT_EQ(test, r, 0);
		if (r)
			continue;
		if (uart.base != cases[i].base ||
		    strcmp(uart.chosen_by, cases[i].by) ||
		    strcmp(uart.options, cases[i].options))
			KUNIT_FAIL(test, "case %zu: UART at 0x%llx by %s, options "
				   "'%s'; wanted 0x%llx by %s, '%s'", i,
				   (unsigned long long)uart.base, uart.chosen_by,
				   uart.options, (unsigned long long)cases[i].base,
				   cases[i].by, cases[i].options);
		KUNIT_EXPECT_EQ(test, uart.from_stdout_path,
				!strcmp(cases[i].by, "stdout-path"));
	}
}

static void virt_tree(struct kunit *test)
{
	struct fdt f;
	struct fdt_uart uart;
	struct fdt_gic gic;
	struct fdt_psci psci;
	struct fdt_cpu cpus[4];
	struct fdt_reg reg;
	int node;

	open_const(test, &f, virt_dtb, virt_dtb_len);
	KUNIT_ASSERT_EQ(test, fdt_find_uart(&f, &uart, err, sizeof(err)), 0);
	KUNIT_EXPECT_EQ(test, (int)uart.type, FDT_UART_PL011);
	KUNIT_EXPECT_EQ(test, uart.base, 0x9000000ULL);
	KUNIT_EXPECT_STREQ(test, uart.options, "");
	KUNIT_ASSERT_EQ(test, fdt_find_gic(&f, &gic, err, sizeof(err)), 0);
	KUNIT_EXPECT_EQ(test, gic.version, 3);
	KUNIT_EXPECT_EQ(test, gic.dist_base, 0x8000000ULL);
	KUNIT_EXPECT_EQ(test, gic.redist_base, 0x80a0000ULL);
	KUNIT_EXPECT_EQ(test, gic.redist_size, 0xf60000ULL);
	KUNIT_EXPECT_EQ(test, gic.nr_redist_regions, 1U);
	KUNIT_ASSERT_EQ(test, fdt_find_psci(&f, &psci, err, sizeof(err)), 0);
	KUNIT_EXPECT_EQ(test, (int)psci.method, FDT_PSCI_HVC);
	KUNIT_EXPECT_EQ(test, psci.cpu_on, 0xc4000003U);
	KUNIT_EXPECT_EQ(test, fdt_find_cpus(&f, cpus, ARRAY_SIZE(cpus), err,
					    sizeof(err)), 2);
	KUNIT_EXPECT_EQ(test, (int)cpus[0].method, FDT_CPU_METHOD_PSCI);

	/* Two levels of ranges: leaf 0x80 -> bridge 0x10080 -> 0xc010080. */
	node = fdt_node_by_compatible(&f, -1, "test,leaf");
	KUNIT_EXPECT_EQ(test, fdt_get_reg_phys(&f, node, 0, &reg, err,
					       sizeof(err)), 0);
	KUNIT_EXPECT_EQ(test, reg.base, 0xc010080ULL);
	/* The ITS under the GIC's empty ranges maps 1:1. */
	node = fdt_node_by_compatible(&f, -1, "arm,gic-v3-its");
	KUNIT_EXPECT_EQ(test, fdt_get_reg_phys(&f, node, 0, &reg, err,
					       sizeof(err)), 0);
	KUNIT_EXPECT_EQ(test, reg.base, 0x8080000ULL);

	KUNIT_ASSERT_EQ(test, fdt_to_boot_info(virt_dtb, virt_dtb_len,
					       0x40000000, &bi, err,
					       sizeof(err)), 0);
	KUNIT_EXPECT_STREQ(test, bi.cmdline, "console=ttyAMA0");
	KUNIT_EXPECT_TRUE(test, has_range(&bi, 0x40000000, 0x80000000,
					  BOOT_MEM_USABLE));
	KUNIT_EXPECT_TRUE(test, has_range(&bi, 0x100000000ULL, 0x40000000,
					  BOOT_MEM_USABLE));
	KUNIT_EXPECT_TRUE(test, has_range(&bi, 0x48000000, 0x100000,
					  BOOT_MEM_RESERVED));
	KUNIT_EXPECT_EQ(test, bi.nr_mem, 4U);
	KUNIT_EXPECT_EQ(test, bi.nr_modules, 0U);
}

/* The tree QEMU itself builds for the standard arm64 machine. */
static void qemu_virt_tree(struct kunit *test)
{
	struct fdt f;
	struct fdt_uart uart;
	struct fdt_gic gic;
	struct fdt_timer timer;
	struct fdt_psci psci;
	struct fdt_cpu cpu;

	open_const(test, &f, qemu_virt_dtb, qemu_virt_dtb_len);
	KUNIT_ASSERT_EQ(test, fdt_find_uart(&f, &uart, err, sizeof(err)), 0);
	KUNIT_EXPECT_EQ(test, (int)uart.type, FDT_UART_PL011);
	KUNIT_EXPECT_EQ(test, uart.base, 0x9000000ULL);
	KUNIT_EXPECT_TRUE(test, uart.from_stdout_path);
	KUNIT_ASSERT_EQ(test, fdt_find_gic(&f, &gic, err, sizeof(err)), 0);
	KUNIT_EXPECT_EQ(test, gic.version, 3);
	KUNIT_EXPECT_EQ(test, gic.dist_base, 0x8000000ULL);
	KUNIT_EXPECT_EQ(test, gic.redist_base, 0x80a0000ULL);
	KUNIT_ASSERT_EQ(test, fdt_find_timer(&f, &timer, err, sizeof(err)), 0);
	KUNIT_EXPECT_EQ(test, timer.nr_irqs, 4U);
	KUNIT_EXPECT_EQ(test, timer.irq[FDT_TIMER_SEC_PHYS].intid, 29U);
	KUNIT_EXPECT_EQ(test, timer.irq[FDT_TIMER_PHYS].intid, 30U);
	KUNIT_EXPECT_EQ(test, timer.irq[FDT_TIMER_VIRT].intid, 27U);
	KUNIT_EXPECT_EQ(test, timer.irq[FDT_TIMER_HYP_PHYS].intid, 26U);
	KUNIT_ASSERT_EQ(test, fdt_find_psci(&f, &psci, err, sizeof(err)), 0);
	KUNIT_EXPECT_EQ(test, (int)psci.method, FDT_PSCI_HVC);
	KUNIT_EXPECT_EQ(test, fdt_find_cpus(&f, &cpu, 1, err, sizeof(err)), 1);
	KUNIT_EXPECT_EQ(test, (int)cpu.method, FDT_CPU_METHOD_NONE);	/* -smp 1 */
	KUNIT_ASSERT_EQ(test, fdt_to_boot_info(qemu_virt_dtb, qemu_virt_dtb_len,
					       0x40000000, &bi, err,
					       sizeof(err)), 0);
	KUNIT_EXPECT_TRUE(test, has_range(&bi, 0x40000000, 512 << 20,
					  BOOT_MEM_USABLE));
	KUNIT_EXPECT_EQ(test, bi.nr_mem, 2U);
	KUNIT_EXPECT_STREQ(test, bi.cmdline, "");
}

/* ---------------------------------------------------------------- boot_info */

static void boot_info_edges(struct kunit *test)
{
	uint32_t total;

	/* More memory ranges than boot_info holds: counted as dropped. */
	b_init();
	b_begin("");
	b_prop_u32("#address-cells", 1);
	b_prop_u32("#size-cells", 1);
	b_begin("memory@0");
	b_prop_str("device_type", "memory");
	{
		static uint32_t cells[2 * 200];

		for (unsigned int i = 0; i < 200; i++) {
			cells[2 * i] = i * 0x10000;
			cells[2 * i + 1] = 0x8000;
		}
		b_u32(FDT_PROP);
		b_u32(sizeof(cells));
		b_u32(b_string("reg"));
		for (unsigned int i = 0; i < ARRAY_SIZE(cells); i++)
			b_u32(cells[i]);
	}
	b_end();
	b_begin("memory@f0000000");
	b_prop_str("device_type", "memory");
	b_prop_str("status", "disabled");
	B_CELLS("reg", 0xf0000000, 0x1000);
	b_end();
	b_begin("chosen");
	b_prop_u32("linux,initrd-start", 0x2000);
	b_end();
	b_end();
	total = b_finish();
	EXPECT_ERR(test, fdt_to_boot_info(blob, total, 0, &bi, err,
					  sizeof(err)), err,
		   "only one of the pair");
	KUNIT_EXPECT_EQ(test, bi.nr_mem, (unsigned int)BOOT_MAX_MEM_RANGES);
	KUNIT_EXPECT_EQ(test, bi.mem_dropped, 201U - BOOT_MAX_MEM_RANGES);
	KUNIT_EXPECT_FALSE(test, has_range(&bi, 0xf0000000, 0x1000,
					   BOOT_MEM_USABLE));

	/* initrd end below start; a 64-bit pair; a wrapping memory reg. */
	b_init();
	b_begin("");
	b_begin("chosen");
	b_prop_u32("linux,initrd-start", 0x3000);
	b_prop_u32("linux,initrd-end", 0x2000);
	b_end();
	b_end();
	total = b_finish();
	EXPECT_ERR(test, fdt_to_boot_info(blob, total, 0, &bi, err,
					  sizeof(err)), err,
		   "linux,initrd-end 0x2000 is below linux,initrd-start 0x3000");
	b_init();
	b_begin("");
	b_begin("chosen");
	B_CELLS("linux,initrd-start", 0x1, 0x0);
	B_CELLS("linux,initrd-end", 0x1, 0x8000);
	b_prop("bootargs", "", 1);
	b_end();
	b_end();
	total = b_finish();
	KUNIT_EXPECT_EQ(test, fdt_to_boot_info(blob, total, 0, &bi, err,
					       sizeof(err)), 0);
	KUNIT_EXPECT_EQ(test, bi.modules[0].base, 0x100000000ULL);
	KUNIT_EXPECT_EQ(test, bi.modules[0].size, 0x8000ULL);
	KUNIT_EXPECT_STREQ(test, bi.cmdline, "");
	b_init();
	b_begin("");
	b_begin("memory@0");
	b_prop_str("device_type", "memory");
	B_CELLS("reg", 0xffffffff, 0xfffff000, 0x2000);
	b_end();
	b_end();
	total = b_finish();
	EXPECT_ERR(test, fdt_to_boot_info(blob, total, 0, &bi, err,
					  sizeof(err)), err,
		   "fdt: /memory@0: 0xfffffffffffff000 + 0x2000 wraps");

	/* bootargs that is not a string; a bad blob leaves bi cleared. */
	b_init();
	b_begin("");
	b_begin("chosen");
	b_prop("bootargs", "abc", 3);
	b_end();
	b_end();
	total = b_finish();
	EXPECT_ERR(test, fdt_to_boot_info(blob, total, 0, &bi, err,
					  sizeof(err)), err,
		   "bootargs is not a NUL-terminated string");
	blob[0] = 0;
	EXPECT_ERR(test, fdt_to_boot_info(blob, total, 0, &bi, err,
					  sizeof(err)), err, "bad magic");
	KUNIT_EXPECT_NULL(test, bi.protocol);
	KUNIT_EXPECT_EQ(test, bi.nr_mem, 0U);
}

/* ---------------------------------------------------------------- hostile */

/* Call every accessor on a checked blob; none may fail unsafely. */
static void exercise(const struct fdt *f)
{
	struct fdt_uart uart;
	struct fdt_gic gic;
	struct fdt_timer timer;
	struct fdt_psci psci;
	struct fdt_cpu cpus[4];
	struct fdt_prop prop;
	struct fdt_reg reg;
	char path[128];
	int node, depth = 0, steps = 0;

	for (node = fdt_next_node(f, -1, &depth); node >= 0 && steps < 4096;
	     node = fdt_next_node(f, node, &depth), steps++) {
		fdt_node_path(f, node, path, sizeof(path));
		fdt_parent(f, node);
		fdt_first_child(f, node);
		fdt_node_is_enabled(f, node);
		for (int r = fdt_first_prop(f, node, &prop); r == 0;
		     r = fdt_next_prop(f, &prop))
			;
		for (int i = fdt_reg_count(f, node, NULL, 0) - 1; i >= 0; i--)
			fdt_get_reg_phys(f, node, (unsigned int)i, &reg, path,
					 sizeof(path));
	}
	fdt_find_uart(f, &uart, path, sizeof(path));
	fdt_find_gic(f, &gic, path, sizeof(path));
	fdt_find_timer(f, &timer, path, sizeof(path));
	fdt_find_psci(f, &psci, path, sizeof(path));
	fdt_find_cpus(f, cpus, ARRAY_SIZE(cpus), path, sizeof(path));
	fdt_path(f, "serial0:115200");
}

/* The end of this buffer is the end of a global: ASan sees any overread. */
static uint8_t tail_buf[4096];

/* Shrink the structure and strings blocks to end by len. */
static void clamp_blocks(uint8_t *p, uint32_t len)
{
	for (int i = 0; i < 2; i++) {
		uint32_t off = fdt_be32(p + (i ? 12 : 8));
		uint32_t size_at = i ? 32 : 36;

		if (off >= len)
			put_be32(p + size_at, 0);
		else if (fdt_be32(p + size_at) > len - off)
			put_be32(p + size_at, len - off);
	}
}

/*
 * Every prefix of a real blob, placed so it ends where tail_buf ends: as
 * is (totalsize too large), with totalsize patched to the prefix length
 * (the block checks must catch it), and with the blocks' sizes shrunk to
 * fit as well (the token and name checks must catch it).
 */
static void truncated_prefixes(struct kunit *test)
{
	size_t n = rpi4_dtb_len;
	unsigned int failed = 0;

	KUNIT_ASSERT_LE(test, n, sizeof(tail_buf));
	for (size_t len = 0; len <= n; len++) {
		uint8_t *p = tail_buf + sizeof(tail_buf) - len;

		for (int patch = 0; patch < 3; patch++) {
			int ret;

			memcpy(p, rpi4_dtb, len);
			if (patch && len >= 8)
				put_be32(p + 4, (uint32_t)len);
			if (patch == 2 && len >= 40)
				clamp_blocks(p, (uint32_t)len);
			err[0] = 'x';
			ret = fdt_to_boot_info(p, len, 0, &bi, err, sizeof(err));
			if (len == n) {
				KUNIT_EXPECT_EQ(test, ret, 0);
				continue;
			}
			if (ret != -1 || strncmp(err, "fdt: ", 5)) {
				if (failed++ < 3)
					KUNIT_FAIL(test, "prefix %zu (patch %d): ret %d err '%s'",
						   len, patch, ret, err);
			}
		}
	}
	KUNIT_EXPECT_EQ(test, failed, 0U);
}

/* The whole tree at an odd address: every read is byte-wise. */
static void unaligned_blob(struct kunit *test)
{
	struct fdt f;
	struct fdt_gic gic;
	uint8_t *p = tail_buf + 1;

	KUNIT_ASSERT_LE(test, (size_t)rpi4_dtb_len + 1, sizeof(tail_buf));
	memcpy(p, rpi4_dtb, rpi4_dtb_len);
	KUNIT_ASSERT_EQ(test, fdt_open(&f, p, rpi4_dtb_len, err, sizeof(err)),
			0);
	exercise(&f);
	KUNIT_EXPECT_EQ(test, fdt_find_gic(&f, &gic, err, sizeof(err)), 0);
	KUNIT_EXPECT_EQ(test, gic.dist_base, 0xff841000ULL);
	KUNIT_EXPECT_EQ(test, fdt_to_boot_info(p, rpi4_dtb_len, 1, &bi, err,
					       sizeof(err)), 0);
}

/* Random byte changes to a real blob: each fails cleanly or parses. */
static void random_mutations(struct kunit *test)
{
	size_t n = virt_dtb_len;
	uint8_t *p = tail_buf + sizeof(tail_buf) - n;
	unsigned int passed = 0;
	struct prng r;

	prng_seed(&r, test->seed);
	for (int round = 0; round < 300; round++) {
		struct fdt f;
		int ret;

		memcpy(p, virt_dtb, n);
		for (int k = 1 + (int)prng_below(&r, 4); k > 0; k--) {
			size_t at = prng_below(&r, n);

			/* Favour the header and small values. */
			if (prng_below(&r, 4) == 0)
				at = prng_below(&r, 40);
			p[at] = (uint8_t)(prng_below(&r, 3) ?
					  prng_below(&r, 8) : prng_next(&r));
		}
		ret = fdt_open(&f, p, n, err, sizeof(err));
		if (ret == 0) {
			passed++;
			exercise(&f);
			fdt_to_boot_info(p, n, 0, &bi, err, sizeof(err));
		} else {
			KUNIT_ASSERT_EQ(test, strncmp(err, "fdt: ", 5), 0);
		}
	}
	kunit_info(test, "%u of 300 mutated blobs still parsed", passed);
}

static struct kunit_case fdt_cases[] = {
	KUNIT_CASE(header_checks),
	KUNIT_CASE(version16_blob),
	KUNIT_CASE(struct_errors),
	KUNIT_CASE(nesting_depth),
	KUNIT_CASE(memreserve_block),
	KUNIT_CASE(nodes_and_props),
	KUNIT_CASE(cells_and_reg),
	KUNIT_CASE(dma_ranges),
	KUNIT_CASE(dma_limit_without_dma_ranges),
	KUNIT_CASE(rpi4_tree),
	KUNIT_CASE(console_choice),
	KUNIT_CASE(rpi4_boot_info),
	KUNIT_CASE(reusable_pools_become_cma_pools),
	KUNIT_CASE(virt_tree),
	KUNIT_CASE(qemu_virt_tree),
	KUNIT_CASE(boot_info_edges),
	KUNIT_CASE(truncated_prefixes),
	KUNIT_CASE(unaligned_blob),
	KUNIT_CASE(random_mutations),
	{}
};

static struct kunit_suite fdt_suite = {
	.name = "fdt",
	.test_cases = fdt_cases,
};
kunit_test_suite(fdt_suite);
