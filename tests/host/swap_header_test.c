/*
 * tests/host/swap_header_test.c - mm/swap_header.c against real headers:
 * images made at test time by the host's mkswap (util-linux) in a
 * temporary file, of 64 KiB to 64 MiB, with labels and UUIDs; then every
 * refusal, each made by editing one field of a good header, must give
 * -EINVAL and exactly the expected reason. Host only (it runs mkswap).
 */
#include "kernel/kunit.h"
#include "kernel/errno.h"
#include "mm/swap_header.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#define MKSWAP_PATH "PATH=\"$PATH:/sbin:/usr/sbin\" "

struct swap_image {
	uint8_t page[SWAP_HEADER_SIZE];		/* the first page */
	uint64_t size;				/* the file's size */
};

static int run_shell(const char *cmd)
{
	int st = system(cmd);

	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/*
 * An image file of file_kib KiB made by `mkswap opts FILE [area_kib]`
 * (area_kib 0: the whole file); its first page and size in img.
 */
static void make_swap(struct kunit *test, struct swap_image *img,
		      unsigned int file_kib, const char *opts,
		      unsigned int area_kib)
{
	char path[] = "/tmp/swap_header_test.XXXXXX";
	char cmd[512], area[32] = "";
	int fd = mkstemp(path);
	FILE *f;

	KUNIT_ASSERT_GE(test, fd, 0);
	close(fd);
	if (area_kib)
		snprintf(area, sizeof(area), " %u", area_kib);
	snprintf(cmd, sizeof(cmd),
		 MKSWAP_PATH "truncate -s %uK %s && mkswap -q %s %s%s >/dev/null 2>&1",
		 file_kib, path, opts, path, area);
	if (run_shell(cmd) != 0) {
		unlink(path);
		KUNIT_FAIL(test, "'%s' failed (mkswap is util-linux's: apt-get install util-linux)", cmd);
		KUNIT_ASSERT_TRUE(test, false);
	}
	f = fopen(path, "rb");
	KUNIT_ASSERT_NOT_NULL(test, f);
	KUNIT_EXPECT_EQ(test, fread(img->page, 1, sizeof(img->page), f), sizeof(img->page));
	fseek(f, 0, SEEK_END);
	img->size = (uint64_t)ftell(f);
	fclose(f);
	unlink(path);
}

static void put_le32(uint8_t *page, size_t off, uint32_t v)
{
	page[off] = (uint8_t)v;
	page[off + 1] = (uint8_t)(v >> 8);
	page[off + 2] = (uint8_t)(v >> 16);
	page[off + 3] = (uint8_t)(v >> 24);
}

static void set_bad(uint8_t *page, const uint32_t *bad, unsigned int n)
{
	put_le32(page, SWAP_OFF_NR_BADPAGES, n);
	for (unsigned int i = 0; i < n; i++)
		put_le32(page, SWAP_OFF_BADPAGES + 4 * i, bad[i]);
}

static struct swap_header_info info;	/* 2.6 KiB: off the stack */
static char why[SWAP_HEADER_REASON_LEN];

static int parse(const struct swap_image *img, uint64_t dev_bytes)
{
	memset(&info, 0x5a, sizeof(info));
	return swap_header_parse(img->page, dev_bytes, &info, why, sizeof(why));
}

/* Whole-device areas of 64 KiB .. 64 MiB: last_page is the device's last
 * page, every slot after the header is usable, no label. */
static void mkswap_sizes_parse(struct kunit *test)
{
	static const unsigned int kib[] = { 64, 256, 1024, 4096, 16384, 65536 };
	struct swap_image img;

	for (unsigned int i = 0; i < ARRAY_SIZE(kib); i++) {
		make_swap(test, &img, kib[i], "", 0);
		KUNIT_ASSERT_EQ(test, parse(&img, img.size), 0);
		KUNIT_EXPECT_STREQ(test, why, "");
		KUNIT_EXPECT_EQ(test, info.version, 1u);
		KUNIT_EXPECT_EQ(test, info.dev_pages, kib[i] / 4UL);
		KUNIT_EXPECT_EQ(test, info.last_page, kib[i] / 4UL - 1);
		KUNIT_EXPECT_EQ(test, info.nr_slots, kib[i] / 4UL - 1);
		KUNIT_EXPECT_EQ(test, info.nr_bad, 0u);
		KUNIT_EXPECT_STREQ(test, info.label, "");
	}
}

static void mkswap_label_and_uuid(struct kunit *test)
{
	struct swap_image img;
	char uuid[SWAP_UUID_STR_LEN];

	make_swap(test, &img, 1024, "-L hello -U 01234567-89ab-cdef-0123-456789abcdef", 0);
	KUNIT_ASSERT_EQ(test, parse(&img, img.size), 0);
	KUNIT_EXPECT_STREQ(test, info.label, "hello");
	KUNIT_EXPECT_EQ(test, info.uuid[0], 0x01);
	KUNIT_EXPECT_EQ(test, info.uuid[15], 0xef);
	swap_header_uuid_str(&info, uuid);
	KUNIT_EXPECT_STREQ(test, uuid, "01234567-89ab-cdef-0123-456789abcdef");

	/* mkswap cuts a long label to 15 bytes and a NUL... */
	make_swap(test, &img, 256, "-L sixteen-chars-ok", 0);
	KUNIT_ASSERT_EQ(test, parse(&img, img.size), 0);
	KUNIT_EXPECT_STREQ(test, info.label, "sixteen-chars-o");
	/* ...but a label of all 16 bytes (no NUL on disk) gets one here. */
	memcpy(img.page + SWAP_OFF_LABEL, "sixteen-chars-ok", SWAP_LABEL_LEN);
	KUNIT_ASSERT_EQ(test, parse(&img, img.size), 0);
	KUNIT_EXPECT_STREQ(test, info.label, "sixteen-chars-ok");
}

/* mkswap FILE 128 on a 256 KiB file: the area is the first 128 KiB, the
 * rest of the device is not used (as Linux). */
static void area_smaller_than_device_uses_last_page(struct kunit *test)
{
	struct swap_image img;

	make_swap(test, &img, 256, "", 128);
	KUNIT_ASSERT_EQ(test, parse(&img, img.size), 0);
	KUNIT_EXPECT_EQ(test, info.dev_pages, 64UL);
	KUNIT_EXPECT_EQ(test, info.last_page, 31UL);
	KUNIT_EXPECT_EQ(test, info.nr_slots, 31UL);
}

/* mkswap -c cannot check a file, so the bad list is written here. */
static void bad_page_list_is_read(struct kunit *test)
{
	static const uint32_t bad[] = { 7, 1, 255 };
	struct swap_image img;

	make_swap(test, &img, 1024, "", 0);		/* last_page 255 */
	set_bad(img.page, bad, ARRAY_SIZE(bad));
	KUNIT_ASSERT_EQ(test, parse(&img, img.size), 0);
	KUNIT_EXPECT_EQ(test, info.nr_bad, 3u);
	KUNIT_EXPECT_EQ(test, info.bad[0], 7u);
	KUNIT_EXPECT_EQ(test, info.bad[1], 1u);
	KUNIT_EXPECT_EQ(test, info.bad[2], 255u);
	KUNIT_EXPECT_EQ(test, info.nr_slots, 252UL);

	/* The most the page holds: 637 (slots 1..637 of a 4 MiB area). */
	static uint32_t many[SWAP_MAX_BADPAGES];

	make_swap(test, &img, 4096, "", 0);		/* last_page 1023 */
	for (unsigned int i = 0; i < SWAP_MAX_BADPAGES; i++)
		many[i] = i + 1;
	set_bad(img.page, many, SWAP_MAX_BADPAGES);
	KUNIT_ASSERT_EQ(test, parse(&img, img.size), 0);
	KUNIT_EXPECT_EQ(test, info.nr_slots, 1023UL - SWAP_MAX_BADPAGES);
	KUNIT_EXPECT_EQ(test, memcmp(img.page + SWAP_OFF_MAGIC, SWAP_MAGIC, 10), 0);
}

/* One broken header: what to change, and the reason it must give. */
enum edit { ZERO_PAGE, MAGIC, VERSION, LAST_PAGE, BAD, DEVICE };

struct refusal {
	const char *name;
	enum edit edit;
	uint32_t value;			/* the field's new value */
	uint32_t bad[4];		/* BAD: the list (nr in value) */
	uint64_t dev_bytes;		/* 0: the file's size */
	const char *reason;
};

/* The base is a 1 MiB area: 256 pages, last_page 255. */
static const struct refusal refusals[] = {
	{ "zeroed page", ZERO_PAGE, 0, {0}, 0,
	  "no swap signature at byte 4086 (found \"\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\")" },
	{ "magic wrong", MAGIC, 0, {0}, 0,
	  "no swap signature at byte 4086 (found \"SWAPSPACE3\")" },
	{ "old v0 area", MAGIC, 1, {0}, 0,
	  "old-style (v0) swap area 'SWAP-SPACE': run mkswap" },
	{ "version 2", VERSION, 2, {0}, 0,
	  "version 2 at byte 1024 (only 1 is known)" },
	{ "version 0", VERSION, 0, {0}, 0,
	  "version 0 at byte 1024 (only 1 is known)" },
	{ "big-endian", VERSION, 0x01000000, {0}, 0,
	  "header written by a big-endian machine (version 0x01000000): run mkswap here" },
	{ "last_page 0", LAST_PAGE, 0, {0}, 0,
	  "last_page 0: too small (at least 2 pages besides the header)" },
	{ "last_page 1", LAST_PAGE, 1, {0}, 0,
	  "last_page 1: too small (at least 2 pages besides the header)" },
	{ "last_page = device pages", LAST_PAGE, 256, {0}, 0,
	  "last_page 256 beyond the device (256 pages, the last is 255)" },
	{ "last_page huge", LAST_PAGE, 300000, {0}, 0,
	  "last_page 300000 beyond the device (256 pages, the last is 255)" },
	{ "truncated device", DEVICE, 0, {0}, 512 * 1024,
	  "last_page 255 beyond the device (128 pages, the last is 127)" },
	{ "device not page-sized", DEVICE, 0, {0}, 255 * 4096 + 4095,
	  "last_page 255 beyond the device (255 pages, the last is 254)" },
	{ "device shorter than the header", DEVICE, 0, {0}, 4095,
	  "device of 4095 bytes is shorter than the 4096-byte header" },
	{ "too many bad pages", BAD, 638, {0}, 0,
	  "too many bad pages (nr_badpages 638, at most 637)" },
	{ "bad page 0", BAD, 2, {5, 0}, 0,
	  "bad page 0 (badpages[1]) is the header itself" },
	{ "bad page out of range", BAD, 3, {1, 2, 256}, 0,
	  "bad page 256 (badpages[2]) out of range (last_page 255)" },
	{ "bad page twice", BAD, 4, {9, 8, 7, 8}, 0,
	  "bad page 8 listed twice (badpages[1] and [3])" },
};

static void apply(struct swap_image *img, const struct refusal *r)
{
	switch (r->edit) {
	case ZERO_PAGE:
		memset(img->page, 0, sizeof(img->page));
		break;
	case MAGIC:
		memcpy(img->page + SWAP_OFF_MAGIC, r->value ? SWAP_MAGIC_OLD : "SWAPSPACE3", 10);
		break;
	case VERSION:
		put_le32(img->page, SWAP_OFF_VERSION, r->value);
		break;
	case LAST_PAGE:
		put_le32(img->page, SWAP_OFF_LAST_PAGE, r->value);
		break;
	case BAD:
		if (r->value > ARRAY_SIZE(r->bad))
			put_le32(img->page, SWAP_OFF_NR_BADPAGES, r->value);
		else
			set_bad(img->page, r->bad, r->value);
		break;
	case DEVICE:
		break;
	}
}

static void each_refusal_gives_its_reason(struct kunit *test)
{
	struct swap_image base, img;

	make_swap(test, &base, 1024, "", 0);
	KUNIT_ASSERT_EQ(test, parse(&base, base.size), 0);
	for (unsigned int i = 0; i < ARRAY_SIZE(refusals); i++) {
		const struct refusal *r = &refusals[i];

		img = base;
		apply(&img, r);
		int ret = parse(&img, r->dev_bytes ? r->dev_bytes : img.size);

		if (ret != -EINVAL || strcmp(why, r->reason) != 0)
			KUNIT_FAIL(test, "%s: got %d \"%s\", want -EINVAL \"%s\"",
				   r->name, ret, why, r->reason);
	}
}

/* Bad pages that leave one slot: fine; all slots bad: refused. */
static void all_bad_is_refused(struct kunit *test)
{
	static const uint32_t bad[] = { 3, 1, 2 };
	struct swap_image img;

	make_swap(test, &img, 64, "", 0);
	put_le32(img.page, SWAP_OFF_LAST_PAGE, 3);
	set_bad(img.page, bad, 2);
	KUNIT_ASSERT_EQ(test, parse(&img, img.size), 0);
	KUNIT_EXPECT_EQ(test, info.nr_slots, 1UL);
	set_bad(img.page, bad, 3);
	KUNIT_EXPECT_EQ(test, parse(&img, img.size), -EINVAL);
	KUNIT_EXPECT_STREQ(test, why, "no usable slot: all 3 pages after the header are bad");
}

/* A short reason buffer gets a cut, terminated reason; none is written
 * at length 0. */
static void reason_fits_its_buffer(struct kunit *test)
{
	struct swap_image img;
	char small[12];

	memset(&img, 0, sizeof(img));
	memset(small, 'x', sizeof(small));
	KUNIT_EXPECT_EQ(test, swap_header_parse(img.page, 1 << 20, &info, small,
						sizeof(small)), -EINVAL);
	KUNIT_EXPECT_STREQ(test, small, "no swap sig");
	memset(small, 'x', sizeof(small));
	KUNIT_EXPECT_EQ(test, swap_header_parse(img.page, 1 << 20, &info, small, 0),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, small[0], 'x');
}

static struct kunit_case swap_header_cases[] = {
	KUNIT_CASE(mkswap_sizes_parse),
	KUNIT_CASE(mkswap_label_and_uuid),
	KUNIT_CASE(area_smaller_than_device_uses_last_page),
	KUNIT_CASE(bad_page_list_is_read),
	KUNIT_CASE(each_refusal_gives_its_reason),
	KUNIT_CASE(all_bad_is_refused),
	KUNIT_CASE(reason_fits_its_buffer),
	{}
};

static struct kunit_suite swap_header_suite = {
	.name = "swap_header",
	.test_cases = swap_header_cases,
};
kunit_test_suite(swap_header_suite);
