/*
 * tests/suites/cpio_test.c - the newc cpio reader (kernel/lib/cpio.h): a
 * good archive reads back entry by entry, and each malformed case is
 * refused with its reason and offset. Runs on the host and in the kernel.
 */
#include "kernel/kunit.h"
#include "kernel/lib/cpio.h"
#include "kernel/lib/random.h"
#include "kernel/lib/string.h"
#include "tests/suites/cpio_build.h"

static uint8_t arc[2048];
static char err[160];

/* dir "bin", file "bin/hello" (5 bytes), symlink "bin/hi" -> "hello". */
static size_t build_good(void)
{
	struct cpio_builder b;

	cpio_builder_init(&b, arc, sizeof(arc));
	cpio_add_dir(&b, "bin");
	cpio_add_file(&b, "bin/hello", "hello");
	cpio_add_symlink(&b, "bin/hi", "hello");
	cpio_add_trailer(&b);
	return b.overflow ? 0 : b.len;
}

/* Read every entry; the last cpio_next result (0 or -1). */
static int read_all(const void *data, size_t size, unsigned int *entries)
{
	struct cpio_iter it;
	struct cpio_entry e;
	int r;

	*entries = 0;
	err[0] = '\0';
	cpio_iter_init(&it, data, size);
	while ((r = cpio_next(&it, &e, err, sizeof(err))) == 1)
		(*entries)++;
	return r;
}

static void good_archive_reads_back(struct kunit *test)
{
	size_t len = build_good();
	struct cpio_iter it;
	struct cpio_entry e;

	KUNIT_ASSERT_GT(test, len, 0UL);
	cpio_iter_init(&it, arc, len);
	KUNIT_ASSERT_EQ(test, cpio_next(&it, &e, err, sizeof(err)), 1);
	KUNIT_EXPECT_STREQ(test, e.name, "bin");
	KUNIT_EXPECT_EQ(test, e.mode, 0040755U);
	KUNIT_EXPECT_EQ(test, e.size, 0UL);
	KUNIT_EXPECT_EQ(test, e.offset, 0UL);
	KUNIT_ASSERT_EQ(test, cpio_next(&it, &e, err, sizeof(err)), 1);
	KUNIT_EXPECT_STREQ(test, e.name, "bin/hello");
	KUNIT_EXPECT_EQ(test, e.namelen, 9UL);
	KUNIT_EXPECT_EQ(test, e.mode, 0100755U);
	KUNIT_ASSERT_EQ(test, e.size, 5UL);
	KUNIT_EXPECT_EQ(test, memcmp(e.data, "hello", 5), 0);
	/* Data starts 4-aligned from the archive's start. */
	KUNIT_EXPECT_EQ(test, ((const uint8_t *)e.data - arc) % 4, 0L);
	KUNIT_ASSERT_EQ(test, cpio_next(&it, &e, err, sizeof(err)), 1);
	KUNIT_EXPECT_STREQ(test, e.name, "bin/hi");
	KUNIT_EXPECT_EQ(test, e.mode, 0120777U);
	KUNIT_EXPECT_EQ(test, memcmp(e.data, "hello", 5), 0);
	KUNIT_EXPECT_EQ(test, cpio_next(&it, &e, err, sizeof(err)), 0);
	KUNIT_EXPECT_EQ(test, cpio_next(&it, &e, err, sizeof(err)), 0);
}

static void bytes_after_the_trailer_are_ignored(struct kunit *test)
{
	size_t len = build_good();
	unsigned int n;

	memset(arc + len, 0xee, 64);
	KUNIT_EXPECT_EQ(test, read_all(arc, len + 64, &n), 0);
	KUNIT_EXPECT_EQ(test, n, 3U);
}

static void checksum_magic_is_accepted(struct kunit *test)
{
	size_t len = build_good();
	unsigned int n;

	arc[5] = '2';		/* 070702: "with checksum" */
	KUNIT_EXPECT_EQ(test, read_all(arc, len, &n), 0);
	KUNIT_EXPECT_EQ(test, n, 3U);
}

/* Field i of the header at off. */
static uint8_t *field(size_t off, int i)
{
	return arc + off + 6 + 8 * i;
}

/* The malformed archive is refused after `good` entries with a reason
 * that contains `why`. */
static void expect_refused(struct kunit *test, size_t len, unsigned int good,
			   const char *why)
{
	unsigned int n;

	KUNIT_EXPECT_EQ(test, read_all(arc, len, &n), -1);
	KUNIT_EXPECT_EQ(test, n, good);
	KUNIT_EXPECT_STR_CONTAINS(test, err, "cpio: offset 0x");
	KUNIT_EXPECT_STR_CONTAINS(test, err, why);
}

static void empty_archive_is_refused(struct kunit *test)
{
	expect_refused(test, 0, 0, "without a TRAILER!!!");
}

static void missing_trailer_is_refused(struct kunit *test)
{
	struct cpio_builder b;

	cpio_builder_init(&b, arc, sizeof(arc));
	cpio_add_file(&b, "a", "x");
	expect_refused(test, b.len, 1, "without a TRAILER!!!");
}

static void cut_header_is_refused(struct kunit *test)
{
	build_good();
	expect_refused(test, 60, 0, "header cut short");
}

static void bad_magic_is_refused(struct kunit *test)
{
	size_t len = build_good();

	memcpy(arc, "070707", 6);	/* the old binary-ish "odc" format */
	expect_refused(test, len, 0, "bad magic");
	KUNIT_EXPECT_STR_CONTAINS(test, err, "070707");
}

static void non_hex_field_is_refused(struct kunit *test)
{
	size_t len = build_good();

	field(0, 6)[3] = 'g';		/* filesize */
	expect_refused(test, len, 0, "field filesize is not 8 hex digits");
}

static void zero_name_size_is_refused(struct kunit *test)
{
	size_t len = build_good();

	memcpy(field(0, 11), "00000000", 8);
	expect_refused(test, len, 0, "name size 0");
}

static void name_past_the_end_is_refused(struct kunit *test)
{
	size_t len = build_good();

	memcpy(field(0, 11), "00010000", 8);
	expect_refused(test, len, 0, "name runs past the end");
}

static void unterminated_name_is_refused(struct kunit *test)
{
	size_t len = build_good();

	memcpy(field(0, 11), "00000003", 8);	/* "bin\0" claims 3 */
	expect_refused(test, len, 0, "not NUL-terminated");
}

static void nul_inside_name_is_refused(struct kunit *test)
{
	size_t len = build_good();

	arc[CPIO_HEADER_SIZE + 1] = '\0';	/* "b\0n\0" */
	expect_refused(test, len, 0, "NUL before namesize");
}

static void data_past_the_end_is_refused(struct kunit *test)
{
	size_t len = build_good();

	memcpy(field(0, 6), "7fffffff", 8);
	expect_refused(test, len, 0, "file data runs past the end");
	memcpy(field(0, 6), "ffffffff", 8);	/* wraps a 32-bit offset */
	expect_refused(test, len, 0, "file data runs past the end");
}

static void second_entry_error_names_its_offset(struct kunit *test)
{
	size_t len = build_good();
	/* "bin": header + 4-byte name, padded to 116. */
	size_t second = ALIGN_UP((size_t)CPIO_HEADER_SIZE + 4, (size_t)4);

	memcpy(arc + second, "XXXXXX", 6);
	expect_refused(test, len, 1, "cpio: offset 0x74: bad magic");
}

/* Every truncation and random single-byte changes of a good archive are
 * read to an end: 0, or -1 with a reason. (Reads outside the archive are
 * the fuzz target's job: it gives the reader an exact-size heap copy
 * under AddressSanitizer, tests/fuzz/cpio_fuzz.c.) */
static void every_cut_and_flip_ends_cleanly(struct kunit *test)
{
	size_t len = build_good();
	static uint8_t copy[2048];
	struct prng r;
	unsigned int n;

	prng_seed(&r, test->seed);
	for (size_t cut = 0; cut < len; cut++) {
		memcpy(copy, arc, cut);
		KUNIT_ASSERT_EQ(test, read_all(copy, cut, &n), -1);
		KUNIT_ASSERT_NE(test, err[0], '\0');
	}
	for (int i = 0; i < 2000; i++) {
		size_t at = prng_below(&r, len);
		int res;

		memcpy(copy, arc, len);
		copy[at] = (uint8_t)prng_next(&r);
		res = read_all(copy, len, &n);
		KUNIT_ASSERT_TRUE(test, res == 0 || res == -1);
		if (res == -1)
			KUNIT_ASSERT_NE(test, err[0], '\0');
	}
}

static struct kunit_case cpio_cases[] = {
	KUNIT_CASE(good_archive_reads_back),
	KUNIT_CASE(bytes_after_the_trailer_are_ignored),
	KUNIT_CASE(checksum_magic_is_accepted),
	KUNIT_CASE(empty_archive_is_refused),
	KUNIT_CASE(missing_trailer_is_refused),
	KUNIT_CASE(cut_header_is_refused),
	KUNIT_CASE(bad_magic_is_refused),
	KUNIT_CASE(non_hex_field_is_refused),
	KUNIT_CASE(zero_name_size_is_refused),
	KUNIT_CASE(name_past_the_end_is_refused),
	KUNIT_CASE(unterminated_name_is_refused),
	KUNIT_CASE(nul_inside_name_is_refused),
	KUNIT_CASE(data_past_the_end_is_refused),
	KUNIT_CASE(second_entry_error_names_its_offset),
	KUNIT_CASE(every_cut_and_flip_ends_cleanly),
	{}
};

static struct kunit_suite cpio_suite = {
	.name = "cpio",
	.test_cases = cpio_cases,
};
kunit_test_suite(cpio_suite);
