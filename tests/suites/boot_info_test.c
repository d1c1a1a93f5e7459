/*
 * tests/suites/boot_info_test.c - the boot protocol parsers (boot/): valid
 * multiboot2 and PVH structures land in struct boot_info, and every
 * malformed one is refused with a message naming the field.
 *
 * The structures are built in static buffers by small builders and read
 * through a fake physical memory (fake_map) that only grants ranges lying
 * wholly inside a registered buffer. Each buffer is exactly as long as what
 * it holds (the MBI is moved to the end of its array), so a parser that
 * reads one byte too far trips AddressSanitizer on the host.
 */
#include "boot/boot_info.h"
#include "kernel/kunit.h"
#include "kernel/printk.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vsprintf.h"
#include "tests/suites/test_bytes.h"

/* ---------------------------------------------------------------- memory */

struct fake_region {
	uint64_t phys;
	const uint8_t *buf;
	uint64_t len;
};

static struct fake_region fake_mem[8];
static unsigned int fake_nr;

static void fake_add(uint64_t phys, const void *buf, uint64_t len)
{
	if (fake_nr < ARRAY_SIZE(fake_mem))
		fake_mem[fake_nr++] = (struct fake_region){ phys, buf, len };
}

/* The boot_map_fn over fake_mem: NULL unless [phys, phys+len) is inside one. */
static const void *fake_map(uint64_t phys, uint64_t len)
{
	for (unsigned int i = 0; i < fake_nr; i++) {
		const struct fake_region *r = &fake_mem[i];

		if (phys >= r->phys && phys - r->phys <= r->len &&
		    len <= r->len - (phys - r->phys))
			return r->buf + (phys - r->phys);
	}
	return NULL;
}

static struct boot_info bi;
static char err[256];

static int boot_test_init(struct kunit *test)
{
	fake_nr = 0;
	memset(&bi, 0, sizeof(bi));
	memset(err, 0, sizeof(err));
	return 0;
}

#define EXPECT_ERR(test, ret, want) do { \
	KUNIT_EXPECT_EQ(test, (ret), -1); \
	KUNIT_EXPECT_STR_CONTAINS(test, err, want); \
} while (0)

/* ---------------------------------------------------------------- multiboot2 */

#define MBI_PHYS	0x100000ULL
#define MBI_MAX		8192

static uint8_t mbi_build[MBI_MAX] __aligned(8);
static uint8_t mbi_mem[MBI_MAX] __aligned(8);
static uint32_t mbi_len;

static void mbi_start(void)
{
	memset(mbi_build, 0, sizeof(mbi_build));
	mbi_len = 8;
}

/* Append a tag; returns its offset. The next tag starts 8-aligned. */
static uint32_t mbi_tag(uint32_t type, const void *payload, uint32_t plen)
{
	uint32_t off = mbi_len;

	put32(mbi_build + off, type);
	put32(mbi_build + off + 4, 8 + plen);
	if (plen)
		memcpy(mbi_build + off + 8, payload, plen);
	mbi_len = ALIGN_UP(off + 8 + plen, 8);
	return off;
}

static uint32_t mbi_str(uint32_t type, const char *s)
{
	return mbi_tag(type, s, strlen(s) + 1);
}

struct range { uint64_t base, size; uint32_t type; };

/* Tag 6 with n entries of entry_size bytes (>= 24). */
static uint32_t mbi_mmap_sized(const struct range *r, unsigned int n,
			       uint32_t entry_size)
{
	static uint8_t p[MBI_MAX / 2];

	memset(p, 0, sizeof(p));
	put32(p, entry_size);
	put32(p + 4, 0);
	for (unsigned int i = 0; i < n; i++) {
		uint8_t *e = p + 8 + i * entry_size;

		put64(e, r[i].base);
		put64(e + 8, r[i].size);
		put32(e + 16, r[i].type);
	}
	return mbi_tag(6, p, 8 + n * entry_size);
}

static uint32_t mbi_mmap(const struct range *r, unsigned int n)
{
	return mbi_mmap_sized(r, n, 24);
}

static uint32_t mbi_module(uint32_t start, uint32_t end, const char *name)
{
	uint8_t p[80];
	size_t n = strlen(name) + 1;

	put32(p, start);
	put32(p + 4, end);
	memcpy(p + 8, name, n);
	return mbi_tag(3, p, 8 + n);
}

static uint32_t mbi_rsdp(uint32_t type)
{
	uint8_t p[36] = "RSD PTR ";

	return mbi_tag(type, p, type == 15 ? 36 : 20);
}

/* Append the end tag and fill in the header. */
static void mbi_end(void)
{
	mbi_tag(0, NULL, 0);
	put32(mbi_build, mbi_len);
	put32(mbi_build + 4, 0);
}

/*
 * Place the first mbi_len built bytes at MBI_PHYS: at the very end of
 * mbi_mem, so reading past them is an ASan error.
 */
static uint64_t mbi_place(void)
{
	uint8_t *at = mbi_mem + sizeof(mbi_mem) - mbi_len;

	memcpy(at, mbi_build, mbi_len);
	fake_add(MBI_PHYS, at, mbi_len);
	return MBI_PHYS;
}

static int mbi_parse(void)
{
	return multiboot2_parse(mbi_place(), fake_map, &bi, err, sizeof(err));
}

static const struct range three[] = {
	{ 0, 0x9fc00, 1 },
	{ 0xf0000, 0x10000, 2 },
	{ 0x100000, 0x7ee0000, 1 },
};

static void mb2_valid_info(struct kunit *test)
{
	uint32_t rsdp_off;

	bi.kernel_start = 0x200000;	/* set by the arch code: kept */
	bi.kernel_end = 0x400000;
	mbi_start();
	mbi_str(1, "console=ttyS0 test=boot*");
	mbi_str(2, "GRUB 2.06");
	mbi_module(0x800000, 0x801000, "initrd.img root=x");
	mbi_tag(4, (uint32_t[]){ 639, 129920 }, 8);
	mbi_mmap(three, 3);
	rsdp_off = mbi_rsdp(14);
	mbi_end();

	KUNIT_ASSERT_EQ(test, mbi_parse(), 0);
	KUNIT_EXPECT_STREQ(test, err, "");
	KUNIT_EXPECT_STREQ(test, bi.protocol, "multiboot2");
	KUNIT_EXPECT_STREQ(test, bi.cmdline, "console=ttyS0 test=boot*");
	KUNIT_EXPECT_FALSE(test, bi.cmdline_truncated);
	KUNIT_EXPECT_STREQ(test, bi.loader, "GRUB 2.06");
	KUNIT_ASSERT_EQ(test, bi.nr_mem, 3u);	/* tag 6 wins over tag 4 */
	for (unsigned int i = 0; i < 3; i++) {
		KUNIT_EXPECT_EQ(test, bi.mem[i].base, three[i].base);
		KUNIT_EXPECT_EQ(test, bi.mem[i].size, three[i].size);
		KUNIT_EXPECT_EQ(test, bi.mem[i].type, three[i].type);
	}
	KUNIT_EXPECT_EQ(test, bi.mem_dropped, 0u);
	KUNIT_ASSERT_EQ(test, bi.nr_modules, 1u);
	KUNIT_EXPECT_EQ(test, bi.modules[0].base, 0x800000ULL);
	KUNIT_EXPECT_EQ(test, bi.modules[0].size, 0x1000ULL);
	KUNIT_EXPECT_STREQ(test, bi.modules[0].name, "initrd.img root=x");
	/* The RSDP copy inside the tag, as a physical address. */
	KUNIT_EXPECT_EQ(test, bi.acpi_rsdp, MBI_PHYS + rsdp_off + 8);
	KUNIT_EXPECT_EQ(test, bi.info_start, MBI_PHYS);
	KUNIT_EXPECT_EQ(test, bi.info_end, MBI_PHYS + mbi_len);
	KUNIT_EXPECT_EQ(test, bi.kernel_start, 0x200000ULL);
	KUNIT_EXPECT_EQ(test, bi.kernel_end, 0x400000ULL);
	KUNIT_EXPECT_EQ(test, bi.dtb, 0ULL);
}

static void mb2_new_rsdp_preferred(struct kunit *test)
{
	uint32_t new_off;

	mbi_start();
	new_off = mbi_rsdp(15);
	mbi_rsdp(14);
	mbi_mmap(three, 1);
	mbi_end();
	KUNIT_ASSERT_EQ(test, mbi_parse(), 0);
	KUNIT_EXPECT_EQ(test, bi.acpi_rsdp, MBI_PHYS + new_off + 8);
}

static void mb2_unknown_tags_skipped(struct kunit *test)
{
	mbi_start();
	mbi_tag(99, "odd-size", 5);		/* 13 bytes, then padding */
	mbi_tag(21, (uint32_t[]){ 0x200000 }, 4);
	mbi_tag(0x7fffffff, NULL, 0);
	mbi_mmap(three, 3);
	mbi_end();
	KUNIT_ASSERT_EQ(test, mbi_parse(), 0);
	KUNIT_EXPECT_EQ(test, bi.nr_mem, 3u);
	KUNIT_EXPECT_STREQ(test, bi.cmdline, "");
	KUNIT_EXPECT_EQ(test, bi.acpi_rsdp, 0ULL);
}

/* Tag 17 entries: { type, pad, PhysicalStart, VirtualStart, pages, attr }. */
static uint32_t mbi_efi_mmap(void)
{
	static const struct { uint32_t type; uint64_t base, pages; } d[] = {
		{ 7, 0, 0x9f },		/* conventional */
		{ 4, 0x100000, 0x100 },	/* boot services data */
		{ 9, 0x200000, 0x10 },	/* ACPI reclaim */
		{ 11, 0xfee00000, 1 },	/* MMIO */
	};
	uint8_t p[8 + 4 * 48];

	memset(p, 0, sizeof(p));
	put32(p, 48);		/* descriptor_size, larger than 40 as on OVMF */
	put32(p + 4, 1);
	for (unsigned int i = 0; i < ARRAY_SIZE(d); i++) {
		put32(p + 8 + i * 48, d[i].type);
		put64(p + 8 + i * 48 + 8, d[i].base);
		put64(p + 8 + i * 48 + 24, d[i].pages);
	}
	return mbi_tag(17, p, sizeof(p));
}

static void mb2_efi_mmap_used_without_tag6(struct kunit *test)
{
	mbi_start();
	mbi_efi_mmap();
	mbi_end();
	KUNIT_ASSERT_EQ(test, mbi_parse(), 0);
	KUNIT_ASSERT_EQ(test, bi.nr_mem, 4u);
	KUNIT_EXPECT_EQ(test, bi.mem[0].size, 0x9f000ULL);
	KUNIT_EXPECT_EQ(test, bi.mem[0].type, (uint32_t)BOOT_MEM_USABLE);
	KUNIT_EXPECT_EQ(test, bi.mem[1].type, (uint32_t)BOOT_MEM_USABLE);
	KUNIT_EXPECT_EQ(test, bi.mem[2].type,
			(uint32_t)BOOT_MEM_ACPI_RECLAIMABLE);
	KUNIT_EXPECT_EQ(test, bi.mem[3].type, (uint32_t)BOOT_MEM_RESERVED);

	/* Boot services still running (tag 18, even after 17): not usable. */
	boot_test_init(test);
	mbi_start();
	mbi_efi_mmap();
	mbi_tag(18, NULL, 0);
	mbi_end();
	KUNIT_ASSERT_EQ(test, mbi_parse(), 0);
	KUNIT_EXPECT_EQ(test, bi.mem[1].type, (uint32_t)BOOT_MEM_RESERVED);

	/* With a tag 6 as well, tag 6 is the map. */
	boot_test_init(test);
	mbi_start();
	mbi_efi_mmap();
	mbi_mmap(three, 2);
	mbi_end();
	KUNIT_ASSERT_EQ(test, mbi_parse(), 0);
	KUNIT_EXPECT_EQ(test, bi.nr_mem, 2u);
}

static void mb2_meminfo_fallback(struct kunit *test)
{
	mbi_start();
	mbi_tag(4, (uint32_t[]){ 639, 129920 }, 8);
	mbi_end();
	KUNIT_ASSERT_EQ(test, mbi_parse(), 0);
	KUNIT_ASSERT_EQ(test, bi.nr_mem, 2u);
	KUNIT_EXPECT_EQ(test, bi.mem[0].base, 0ULL);
	KUNIT_EXPECT_EQ(test, bi.mem[0].size, 639ULL << 10);
	KUNIT_EXPECT_EQ(test, bi.mem[1].base, 1ULL << 20);
	KUNIT_EXPECT_EQ(test, bi.mem[1].size, 129920ULL << 10);

	boot_test_init(test);
	mbi_start();
	mbi_tag(4, (uint32_t[]){ 641, 0 }, 8);
	mbi_end();
	EXPECT_ERR(test, mbi_parse(), "mem_lower 641");
}

static void mb2_no_memory_map(struct kunit *test)
{
	mbi_start();
	mbi_str(1, "x");
	mbi_end();
	EXPECT_ERR(test, mbi_parse(), "no memory map");

	/* A memory map whose entries are all empty is no map either... */
	boot_test_init(test);
	mbi_start();
	mbi_mmap((const struct range[]){ { 0x1000, 0, 1 } }, 1);
	mbi_end();
	EXPECT_ERR(test, mbi_parse(), "no memory map");

	/* ... and basic meminfo then stands in. */
	boot_test_init(test);
	mbi_start();
	mbi_mmap(three, 0);
	mbi_tag(4, (uint32_t[]){ 639, 1024 }, 8);
	mbi_end();
	KUNIT_ASSERT_EQ(test, mbi_parse(), 0);
	KUNIT_EXPECT_EQ(test, bi.nr_mem, 2u);
}

static void mb2_header_checks(struct kunit *test)
{
	/* Nothing mapped at all. */
	EXPECT_ERR(test, multiboot2_parse(MBI_PHYS, fake_map, &bi, err,
					  sizeof(err)),
		   "is not readable");

	mbi_start();
	mbi_mmap(three, 1);
	mbi_end();
	put32(mbi_build, 8);
	EXPECT_ERR(test, mbi_parse(), "total_size 8 is smaller than 16");

	boot_test_init(test);
	put32(mbi_build, 20);
	EXPECT_ERR(test, mbi_parse(), "total_size 20 is not a multiple of 8");

	boot_test_init(test);
	put32(mbi_build, 0x80000000);
	EXPECT_ERR(test, mbi_parse(), "total_size 2147483648 is larger");

	/* total_size beyond what is readable */
	boot_test_init(test);
	put32(mbi_build, mbi_len + 8);
	EXPECT_ERR(test, mbi_parse(), "is not readable");

	boot_test_init(test);
	put32(mbi_build, mbi_len);
	put32(mbi_build + 4, 5);
	EXPECT_ERR(test, mbi_parse(), "offset 0x4: reserved is 0x5");

	/* The MBI itself must be 8-byte aligned. */
	boot_test_init(test);
	put32(mbi_build + 4, 0);
	fake_add(MBI_PHYS + 4, mbi_build, mbi_len);
	EXPECT_ERR(test, multiboot2_parse(MBI_PHYS + 4, fake_map, &bi, err,
					  sizeof(err)),
		   "not 8-byte aligned");

	/* At the top of the address space: the range wraps. */
	boot_test_init(test);
	EXPECT_ERR(test, multiboot2_parse(UINT64_MAX - 7, fake_map, &bi, err,
					  sizeof(err)),
		   "multiboot2: header");
}

static void mb2_total_size_truncates_tags(struct kunit *test)
{
	uint32_t off;

	mbi_start();
	off = mbi_str(1, "a command line longer than eight bytes");
	mbi_mmap(three, 1);
	mbi_end();
	put32(mbi_build, 24);	/* cuts the command line tag short */
	EXPECT_ERR(test, mbi_parse(), "runs past total_size 24");
	KUNIT_EXPECT_STR_CONTAINS(test, err, "tag 1 (command line)");
	(void)off;
}

static void mb2_tag_past_end(struct kunit *test)
{
	uint32_t off;

	mbi_start();
	mbi_mmap(three, 1);
	off = mbi_str(2, "loader");
	mbi_end();
	put32(mbi_build + off + 4, 4000);
	EXPECT_ERR(test, mbi_parse(), "size 4000 runs past total_size");
	KUNIT_EXPECT_STR_CONTAINS(test, err, "tag 2 (boot loader name)");
}

static void mb2_missing_end_tag(struct kunit *test)
{
	mbi_start();
	mbi_mmap(three, 1);
	put32(mbi_build, mbi_len);	/* no end tag, header says so */
	EXPECT_ERR(test, mbi_parse(), "end tag missing");

	/* An end tag of size 16 (total_size counting it all). */
	boot_test_init(test);
	mbi_end();
	put32(mbi_build + mbi_len - 4, 16);
	mbi_len += 8;
	put32(mbi_build, mbi_len);
	EXPECT_ERR(test, mbi_parse(), "tag 0 (end) at offset 0x30: size 16 is not 8");
}

static void mb2_zero_size_tag(struct kunit *test)
{
	uint32_t off;

	mbi_start();
	mbi_mmap(three, 1);
	off = mbi_str(1, "cmd");
	mbi_end();
	put32(mbi_build + off + 4, 0);
	EXPECT_ERR(test, mbi_parse(), "size 0 is smaller than 8");
	KUNIT_EXPECT_STR_CONTAINS(test, err, "tag 1 (command line)");
}

/*
 * A loader that forgets the padding puts the next tag at a 4-byte
 * boundary; the walk then reads the middle of that tag as a header, and
 * must refuse it rather than wander.
 */
static void mb2_misaligned_tag(struct kunit *test)
{
	mbi_start();
	mbi_tag(1, "abcd", 5);		/* size 13: next tag belongs at 24 */
	mbi_len = 8 + 13;		/* ... but goes at 21 */
	mbi_mmap(three, 1);
	mbi_end();
	EXPECT_ERR(test, mbi_parse(), "multiboot2: ");
	KUNIT_EXPECT_EQ(test, bi.nr_mem, 0u);
}

static void mb2_unterminated_strings(struct kunit *test)
{
	static const uint32_t types[] = { 1, 2 };

	for (unsigned int i = 0; i < ARRAY_SIZE(types); i++) {
		uint32_t off;

		boot_test_init(test);
		mbi_start();
		off = mbi_tag(types[i], "abcdefgh", 8);	/* no NUL */
		mbi_mmap(three, 1);
		mbi_end();
		EXPECT_ERR(test, mbi_parse(), "not NUL-terminated");
		(void)off;
	}
	KUNIT_EXPECT_STR_CONTAINS(test, err, "tag 2 (boot loader name)");

	/* An empty string tag has no room for the NUL either. */
	boot_test_init(test);
	mbi_start();
	mbi_tag(1, NULL, 0);
	mbi_mmap(three, 1);
	mbi_end();
	EXPECT_ERR(test, mbi_parse(), "not NUL-terminated");

	/* A module's string. */
	boot_test_init(test);
	mbi_start();
	mbi_tag(3, (uint32_t[]){ 0x1000, 0x2000, 0x41414141 }, 12);
	mbi_mmap(three, 1);
	mbi_end();
	EXPECT_ERR(test, mbi_parse(), "tag 3 (module)");
	KUNIT_EXPECT_STR_CONTAINS(test, err, "not NUL-terminated");
}

static void mb2_cmdline_truncated(struct kunit *test)
{
	static char longcmd[BOOT_CMDLINE_MAX + 100];

	memset(longcmd, 'x', sizeof(longcmd) - 1);
	longcmd[sizeof(longcmd) - 1] = '\0';
	mbi_start();
	mbi_str(1, longcmd);
	mbi_mmap(three, 1);
	mbi_end();
	KUNIT_ASSERT_EQ(test, mbi_parse(), 0);
	KUNIT_EXPECT_TRUE(test, bi.cmdline_truncated);
	KUNIT_EXPECT_EQ(test, strlen(bi.cmdline), (size_t)BOOT_CMDLINE_MAX - 1);
}

static void mb2_bad_entry_size(struct kunit *test)
{
	uint32_t off;
	char want[160];

	/* The message in full, once. */
	mbi_start();
	mbi_str(1, "root=/dev/sda1 console=ttyS0,115200n8 a=b");
	off = mbi_mmap(three, 2);
	mbi_end();
	put32(mbi_build + off + 8, 12);
	KUNIT_EXPECT_EQ(test, mbi_parse(), -1);
	ksnprintf(want, sizeof(want),
		  "multiboot2: tag 6 (memory map) at offset 0x%x: entry_size 12 is smaller than 24",
		  off);
	KUNIT_EXPECT_STREQ(test, err, want);

	boot_test_init(test);
	mbi_start();
	mbi_mmap_sized(three, 2, 28);
	mbi_end();
	EXPECT_ERR(test, mbi_parse(), "entry_size 28 is not a multiple of 8");

	/* entry_size 32 over entries laid out 24 apart: 48 % 32 != 0 */
	boot_test_init(test);
	mbi_start();
	off = mbi_mmap(three, 2);
	mbi_end();
	put32(mbi_build + off + 8, 32);
	EXPECT_ERR(test, mbi_parse(), "last entry runs past the tag");

	/* A tag too small for entry_size and entry_version. */
	boot_test_init(test);
	mbi_start();
	mbi_tag(6, (uint32_t[]){ 24 }, 4);
	mbi_end();
	EXPECT_ERR(test, mbi_parse(), "size 12 is smaller than 16");

	boot_test_init(test);
	mbi_start();
	off = mbi_mmap(three, 2);
	mbi_end();
	put32(mbi_build + off + 12, 1);
	EXPECT_ERR(test, mbi_parse(), "entry_version 1 is not 0");

	/* Larger entries (a future format) are fine when 8-aligned. */
	boot_test_init(test);
	mbi_start();
	mbi_mmap_sized(three, 3, 32);
	mbi_end();
	KUNIT_ASSERT_EQ(test, mbi_parse(), 0);
	KUNIT_EXPECT_EQ(test, bi.nr_mem, 3u);
	KUNIT_EXPECT_EQ(test, bi.mem[2].size, three[2].size);

	/* An EFI descriptor_size below 40. */
	boot_test_init(test);
	mbi_start();
	mbi_tag(17, (uint32_t[]){ 24, 1 }, 8);
	mbi_mmap(three, 1);
	mbi_end();
	EXPECT_ERR(test, mbi_parse(), "descriptor_size 24 is smaller than 40");
}

static void mb2_too_many_ranges(struct kunit *test)
{
	static struct range many[BOOT_MAX_MEM_RANGES + 10];

	for (unsigned int i = 0; i < ARRAY_SIZE(many); i++)
		many[i] = (struct range){ (uint64_t)i << 20, 1 << 20, 1 };
	mbi_start();
	mbi_mmap(many, 100);
	mbi_mmap(many + 100, ARRAY_SIZE(many) - 100);
	mbi_end();
	KUNIT_ASSERT_EQ(test, mbi_parse(), 0);
	KUNIT_EXPECT_EQ(test, bi.nr_mem, (unsigned int)BOOT_MAX_MEM_RANGES);
	KUNIT_EXPECT_EQ(test, bi.mem_dropped, 10u);
	KUNIT_EXPECT_EQ(test, bi.mem[BOOT_MAX_MEM_RANGES - 1].base,
			(uint64_t)(BOOT_MAX_MEM_RANGES - 1) << 20);
}

static void mb2_too_many_modules(struct kunit *test)
{
	mbi_start();
	for (unsigned int i = 0; i < BOOT_MAX_MODULES + 3; i++)
		mbi_module(0x1000000 + i * 0x1000, 0x1000000 + i * 0x1000 + 1,
			   "m");
	mbi_mmap(three, 1);
	mbi_end();
	KUNIT_ASSERT_EQ(test, mbi_parse(), 0);
	KUNIT_EXPECT_EQ(test, bi.nr_modules, (unsigned int)BOOT_MAX_MODULES);
	KUNIT_EXPECT_EQ(test, bi.modules_dropped, 3u);
}

static void mb2_range_overflow(struct kunit *test)
{
	const struct range bad[] = {
		{ 0x1000, 0x1000, 1 },
		{ 0xfffffffffffff000ULL, 0x2000, 1 },
	};

	mbi_start();
	mbi_mmap(bad, 2);
	mbi_end();
	EXPECT_ERR(test, mbi_parse(), "entry 1");
	KUNIT_EXPECT_STR_CONTAINS(test, err, "overflows");

	/* EFI: NumberOfPages so large that the byte count overflows. */
	boot_test_init(test);
	mbi_start();
	{
		uint8_t p[8 + 40] = { 0 };

		put32(p, 40);
		put32(p + 8, 7);
		put64(p + 16, 0x1000);
		put64(p + 32, 1ULL << 60);
		mbi_tag(17, p, sizeof(p));
	}
	mbi_end();
	EXPECT_ERR(test, mbi_parse(), "NumberOfPages");

	boot_test_init(test);
	mbi_start();
	mbi_module(0x2000, 0x1000, "backwards");
	mbi_mmap(three, 1);
	mbi_end();
	EXPECT_ERR(test, mbi_parse(), "mod_end 0x1000 is below mod_start 0x2000");
}

static void mb2_bad_rsdp(struct kunit *test)
{
	uint32_t off;

	mbi_start();
	mbi_tag(15, "RSD PTR ", 8);	/* too short for 36 */
	mbi_mmap(three, 1);
	mbi_end();
	EXPECT_ERR(test, mbi_parse(), "tag 15 (ACPI new RSDP)");
	KUNIT_EXPECT_STR_CONTAINS(test, err, "too small");

	boot_test_init(test);
	mbi_start();
	off = mbi_rsdp(14);
	mbi_mmap(three, 1);
	mbi_end();
	mbi_build[off + 8] = 'X';
	EXPECT_ERR(test, mbi_parse(), "signature");
}

/* ---------------------------------------------------------------- PVH */

#define SI_PHYS		0x9000ULL
#define CMD_PHYS	0xa000ULL
#define MEMMAP_PHYS	0xb000ULL
#define MODLIST_PHYS	0xc000ULL
#define MODCMD_PHYS	0xd000ULL

static uint8_t si_buf[56] __aligned(8);
static char pvh_cmd[] = "console=ttyS0 pvh";
static char pvh_modcmd[] = "initrd";
static uint8_t pvh_memmap[(BOOT_MAX_MEM_RANGES + 5) * 24] __aligned(8);
static uint8_t pvh_modlist[(BOOT_MAX_MODULES + 2) * 32] __aligned(8);

static void pvh_set_memmap(unsigned int i, uint64_t addr, uint64_t size,
			   uint32_t type)
{
	put64(pvh_memmap + i * 24, addr);
	put64(pvh_memmap + i * 24 + 8, size);
	put32(pvh_memmap + i * 24 + 16, type);
	put32(pvh_memmap + i * 24 + 20, 0);
}

static void pvh_set_module(unsigned int i, uint64_t paddr, uint64_t size,
			   uint64_t cmdline)
{
	put64(pvh_modlist + i * 32, paddr);
	put64(pvh_modlist + i * 32 + 8, size);
	put64(pvh_modlist + i * 32 + 16, cmdline);
	put64(pvh_modlist + i * 32 + 24, 0);
}

/*
 * A valid version 1 start_info: command line, RSDP, the three-range map,
 * two modules (the first named). Fields are then poked by the tests.
 */
static void pvh_build(void)
{
	memset(si_buf, 0, sizeof(si_buf));
	put32(si_buf + 0, 0x336ec578);
	put32(si_buf + 4, 1);
	put32(si_buf + 8, 0);
	put32(si_buf + 12, 2);			/* nr_modules */
	put64(si_buf + 16, MODLIST_PHYS);
	put64(si_buf + 24, CMD_PHYS);
	put64(si_buf + 32, 0xf5a70);		/* rsdp_paddr */
	put64(si_buf + 40, MEMMAP_PHYS);
	put32(si_buf + 48, 3);			/* memmap_entries */
	for (unsigned int i = 0; i < 3; i++)
		pvh_set_memmap(i, three[i].base, three[i].size, three[i].type);
	pvh_set_module(0, 0x1000000, 0x5000, MODCMD_PHYS);
	pvh_set_module(1, 0x2000000, 0x100, 0);

	fake_add(SI_PHYS, si_buf, sizeof(si_buf));
	fake_add(CMD_PHYS, pvh_cmd, sizeof(pvh_cmd));
	fake_add(MEMMAP_PHYS, pvh_memmap, sizeof(pvh_memmap));
	fake_add(MODLIST_PHYS, pvh_modlist, sizeof(pvh_modlist));
	fake_add(MODCMD_PHYS, pvh_modcmd, sizeof(pvh_modcmd));
}

static int pvh_run(void)
{
	return pvh_parse(SI_PHYS, fake_map, &bi, err, sizeof(err));
}

static void pvh_valid_start_info(struct kunit *test)
{
	bi.kernel_start = 0x100000;
	pvh_build();
	KUNIT_ASSERT_EQ(test, pvh_run(), 0);
	KUNIT_EXPECT_STREQ(test, err, "");
	KUNIT_EXPECT_STREQ(test, bi.protocol, "pvh");
	KUNIT_EXPECT_STREQ(test, bi.loader, "");
	KUNIT_EXPECT_STREQ(test, bi.cmdline, "console=ttyS0 pvh");
	KUNIT_EXPECT_FALSE(test, bi.cmdline_truncated);
	KUNIT_ASSERT_EQ(test, bi.nr_mem, 3u);
	for (unsigned int i = 0; i < 3; i++) {
		KUNIT_EXPECT_EQ(test, bi.mem[i].base, three[i].base);
		KUNIT_EXPECT_EQ(test, bi.mem[i].size, three[i].size);
		KUNIT_EXPECT_EQ(test, bi.mem[i].type, three[i].type);
	}
	KUNIT_ASSERT_EQ(test, bi.nr_modules, 2u);
	KUNIT_EXPECT_EQ(test, bi.modules[0].base, 0x1000000ULL);
	KUNIT_EXPECT_EQ(test, bi.modules[0].size, 0x5000ULL);
	KUNIT_EXPECT_STREQ(test, bi.modules[0].name, "initrd");
	KUNIT_EXPECT_STREQ(test, bi.modules[1].name, "");
	KUNIT_EXPECT_EQ(test, bi.acpi_rsdp, 0xf5a70ULL);
	KUNIT_EXPECT_EQ(test, bi.info_start, SI_PHYS);
	KUNIT_EXPECT_EQ(test, bi.info_end, SI_PHYS + 56);
	KUNIT_EXPECT_EQ(test, bi.kernel_start, 0x100000ULL);

	/* No command line, no modules, unusual memory types. */
	boot_test_init(test);
	pvh_build();
	put64(si_buf + 24, 0);
	put32(si_buf + 12, 0);
	put64(si_buf + 16, 0);
	pvh_set_memmap(1, 0x100000000ULL, 0x1000, 7);	/* pmem */
	KUNIT_ASSERT_EQ(test, pvh_run(), 0);
	KUNIT_EXPECT_STREQ(test, bi.cmdline, "");
	KUNIT_EXPECT_EQ(test, bi.nr_modules, 0u);
	KUNIT_EXPECT_EQ(test, bi.mem[1].type, (uint32_t)BOOT_MEM_RESERVED);
}

static void pvh_bad_magic_and_version(struct kunit *test)
{
	pvh_build();
	put32(si_buf, 0x12345678);
	EXPECT_ERR(test, pvh_run(), "magic 0x12345678 is not 0x336ec578");

	boot_test_init(test);
	pvh_build();
	put32(si_buf + 4, 0);
	EXPECT_ERR(test, pvh_run(), "version 0 has no memory map");

	boot_test_init(test);
	pvh_build();
	put32(si_buf + 4, 2);
	EXPECT_ERR(test, pvh_run(), "version 2 is not supported");
}

static void pvh_unreadable_pointers(struct kunit *test)
{
	/* The start_info itself. */
	EXPECT_ERR(test, pvh_run(), "start_info at 0x9000");
	EXPECT_ERR(test, pvh_parse(UINT64_MAX - 8, fake_map, &bi, err,
				   sizeof(err)),
		   "not readable");

	/* Only the 40 bytes of version 0 readable, but version 1 claimed. */
	boot_test_init(test);
	pvh_build();
	fake_mem[0].len = 40;
	EXPECT_ERR(test, pvh_run(), "memmap_paddr");

	boot_test_init(test);
	pvh_build();
	put64(si_buf + 24, 0x7000);		/* nothing there */
	EXPECT_ERR(test, pvh_run(), "offset 0x18: cmdline_paddr 0x7000");

	boot_test_init(test);
	pvh_build();
	put64(si_buf + 40, 0x7000);
	EXPECT_ERR(test, pvh_run(), "offset 0x28: memmap_paddr 0x7000");

	/* More entries than the readable table holds. */
	boot_test_init(test);
	pvh_build();
	put32(si_buf + 48, ARRAY_SIZE(pvh_memmap) / 24 + 1);
	EXPECT_ERR(test, pvh_run(), "memmap_paddr");

	boot_test_init(test);
	pvh_build();
	put64(si_buf + 40, 0);
	EXPECT_ERR(test, pvh_run(), "memmap_paddr is 0");

	boot_test_init(test);
	pvh_build();
	put32(si_buf + 48, 0);
	EXPECT_ERR(test, pvh_run(), "memmap_entries is 0");

	boot_test_init(test);
	pvh_build();
	put32(si_buf + 48, 1);
	pvh_set_memmap(0, 0x1000, 0, 1);
	EXPECT_ERR(test, pvh_run(), "all 1 entries are empty");

	boot_test_init(test);
	pvh_build();
	put64(si_buf + 16, 0x7000);
	EXPECT_ERR(test, pvh_run(), "offset 0x10: modlist_paddr 0x7000");

	boot_test_init(test);
	pvh_build();
	put64(si_buf + 16, 0);
	EXPECT_ERR(test, pvh_run(), "modlist_paddr is 0 but nr_modules is 2");

	boot_test_init(test);
	pvh_build();
	put32(si_buf + 12, 0xffffffff);
	EXPECT_ERR(test, pvh_run(), "modlist_paddr");

	boot_test_init(test);
	pvh_build();
	pvh_set_module(1, 0x2000000, 0x100, 0x7000);
	EXPECT_ERR(test, pvh_run(), "module 1");
	KUNIT_EXPECT_STR_CONTAINS(test, err, "cmdline_paddr 0x7000");

	/* A pointer whose range wraps past the top of memory. */
	boot_test_init(test);
	pvh_build();
	put64(si_buf + 40, UINT64_MAX - 16);
	EXPECT_ERR(test, pvh_run(), "memmap_paddr");
}

static void pvh_unterminated_strings(struct kunit *test)
{
	static char no_nul[4] = { 'a', 'b', 'c', 'd' };

	pvh_build();
	fake_add(0x7000, no_nul, sizeof(no_nul));
	put64(si_buf + 24, 0x7000);
	EXPECT_ERR(test, pvh_run(), "cmdline_paddr 0x7000 is not readable up to its NUL");

	boot_test_init(test);
	pvh_build();
	fake_add(0x7000, no_nul, sizeof(no_nul));
	pvh_set_module(0, 0x1000000, 0x5000, 0x7000);
	EXPECT_ERR(test, pvh_run(), "module 0");
}

static void pvh_range_overflow(struct kunit *test)
{
	pvh_build();
	pvh_set_memmap(2, 0xfffffffffffff000ULL, 0x1000, 1);
	EXPECT_ERR(test, pvh_run(), "memmap entry 2");
	KUNIT_EXPECT_STR_CONTAINS(test, err, "overflows");

	boot_test_init(test);
	pvh_build();
	pvh_set_module(1, 0xffffffffffff0000ULL, 0x10000, 0);
	EXPECT_ERR(test, pvh_run(), "module 1");
	KUNIT_EXPECT_STR_CONTAINS(test, err, "overflows");

	/* Ending exactly at the top of memory is fine. */
	boot_test_init(test);
	pvh_build();
	pvh_set_memmap(2, 0xfffffffffffff000ULL, 0xfff, 2);
	KUNIT_EXPECT_EQ(test, pvh_run(), 0);
}

static void pvh_too_many(struct kunit *test)
{
	unsigned int n = ARRAY_SIZE(pvh_memmap) / 24;

	pvh_build();
	for (unsigned int i = 0; i < n; i++)
		pvh_set_memmap(i, (uint64_t)i << 21, 1 << 21, 1);
	put32(si_buf + 48, n);
	for (unsigned int i = 0; i < BOOT_MAX_MODULES + 2; i++)
		pvh_set_module(i, 0x1000000 + i * 0x1000, 0x1000,
			       i == BOOT_MAX_MODULES ? 0x7000 : 0);
	put32(si_buf + 12, BOOT_MAX_MODULES + 2);
	KUNIT_ASSERT_EQ(test, pvh_run(), 0);
	KUNIT_EXPECT_EQ(test, bi.nr_mem, (unsigned int)BOOT_MAX_MEM_RANGES);
	KUNIT_EXPECT_EQ(test, bi.mem_dropped, n - BOOT_MAX_MEM_RANGES);
	KUNIT_EXPECT_EQ(test, bi.nr_modules, (unsigned int)BOOT_MAX_MODULES);
	KUNIT_EXPECT_EQ(test, bi.modules_dropped, 2u);
}

static void pvh_cmdline_truncated(struct kunit *test)
{
	static char longcmd[BOOT_CMDLINE_MAX];	/* exactly fits with NUL */

	memset(longcmd, 'y', sizeof(longcmd) - 1);
	longcmd[sizeof(longcmd) - 1] = '\0';
	pvh_build();
	fake_add(0x7000, longcmd, sizeof(longcmd));
	put64(si_buf + 24, 0x7000);
	KUNIT_ASSERT_EQ(test, pvh_run(), 0);
	KUNIT_EXPECT_FALSE(test, bi.cmdline_truncated);
	KUNIT_EXPECT_EQ(test, strlen(bi.cmdline), sizeof(longcmd) - 1);

	/* One more byte does not fit; the rest need not even be readable. */
	boot_test_init(test);
	pvh_build();
	longcmd[sizeof(longcmd) - 1] = 'y';
	fake_add(0x7000, longcmd, sizeof(longcmd));
	put64(si_buf + 24, 0x7000);
	KUNIT_ASSERT_EQ(test, pvh_run(), 0);
	KUNIT_EXPECT_TRUE(test, bi.cmdline_truncated);
	KUNIT_EXPECT_EQ(test, strlen(bi.cmdline), sizeof(longcmd) - 1);
}

/* ---------------------------------------------------------------- shared */

static void helpers(struct kunit *test)
{
	char small[4];

	KUNIT_EXPECT_FALSE(test, boot_copy_str(small, sizeof(small), "abc", 8));
	KUNIT_EXPECT_STREQ(test, small, "abc");
	KUNIT_EXPECT_TRUE(test, boot_copy_str(small, sizeof(small), "abcd", 8));
	KUNIT_EXPECT_STREQ(test, small, "abc");
	KUNIT_EXPECT_TRUE(test, boot_range_ok(0, UINT64_MAX));
	KUNIT_EXPECT_TRUE(test, boot_range_ok(UINT64_MAX, 0));
	KUNIT_EXPECT_FALSE(test, boot_range_ok(UINT64_MAX, 1));
	KUNIT_EXPECT_FALSE(test, boot_range_ok(2, UINT64_MAX - 1));

	boot_add_mem(&bi, 0x1000, 0, 1);		/* empty: ignored */
	boot_add_mem(&bi, 0x1000, 0x1000, 0);		/* type 0 */
	boot_add_mem(&bi, 0x2000, 0x1000, 0xf0000001);	/* Xen's own */
	KUNIT_EXPECT_EQ(test, bi.nr_mem, 2u);
	KUNIT_EXPECT_EQ(test, bi.mem[0].type, (uint32_t)BOOT_MEM_RESERVED);
	KUNIT_EXPECT_EQ(test, bi.mem[1].type, (uint32_t)BOOT_MEM_RESERVED);
	KUNIT_EXPECT_EQ(test, boot_err(err, sizeof(err), "x %d", 1), -1);
	KUNIT_EXPECT_STREQ(test, err, "x 1");
	KUNIT_EXPECT_EQ(test, boot_err(NULL, 0, "x"), -1);
}

static void print_looks_like_linux(struct kunit *test)
{
	static char log[4096];

	pvh_build();
	KUNIT_ASSERT_EQ(test, pvh_run(), 0);
	printk_capture_start(log, sizeof(log));
	boot_info_print(&bi);
	printk_capture_stop();
	KUNIT_EXPECT_STR_CONTAINS(test, log,
		"[mem 0x0000000000000000-0x000000000009fbff] usable");
	KUNIT_EXPECT_STR_CONTAINS(test, log,
		"[mem 0x00000000000f0000-0x00000000000fffff] reserved");
	KUNIT_EXPECT_STR_CONTAINS(test, log, "console=ttyS0 pvh");
	KUNIT_EXPECT_STR_CONTAINS(test, log, "initrd");
	KUNIT_EXPECT_STR_CONTAINS(test, log, "RSDP 0x00000000000f5a70");
}

static struct kunit_case boot_info_cases[] = {
	KUNIT_CASE(mb2_valid_info),
	KUNIT_CASE(mb2_new_rsdp_preferred),
	KUNIT_CASE(mb2_unknown_tags_skipped),
	KUNIT_CASE(mb2_efi_mmap_used_without_tag6),
	KUNIT_CASE(mb2_meminfo_fallback),
	KUNIT_CASE(mb2_no_memory_map),
	KUNIT_CASE(mb2_header_checks),
	KUNIT_CASE(mb2_total_size_truncates_tags),
	KUNIT_CASE(mb2_tag_past_end),
	KUNIT_CASE(mb2_missing_end_tag),
	KUNIT_CASE(mb2_zero_size_tag),
	KUNIT_CASE(mb2_misaligned_tag),
	KUNIT_CASE(mb2_unterminated_strings),
	KUNIT_CASE(mb2_cmdline_truncated),
	KUNIT_CASE(mb2_bad_entry_size),
	KUNIT_CASE(mb2_too_many_ranges),
	KUNIT_CASE(mb2_too_many_modules),
	KUNIT_CASE(mb2_range_overflow),
	KUNIT_CASE(mb2_bad_rsdp),
	KUNIT_CASE(pvh_valid_start_info),
	KUNIT_CASE(pvh_bad_magic_and_version),
	KUNIT_CASE(pvh_unreadable_pointers),
	KUNIT_CASE(pvh_unterminated_strings),
	KUNIT_CASE(pvh_range_overflow),
	KUNIT_CASE(pvh_too_many),
	KUNIT_CASE(pvh_cmdline_truncated),
	KUNIT_CASE(helpers),
	KUNIT_CASE(print_looks_like_linux),
	{}
};

static struct kunit_suite boot_info_suite = {
	.name = "boot_info",
	.init = boot_test_init,
	.test_cases = boot_info_cases,
};
kunit_test_suite(boot_info_suite);
