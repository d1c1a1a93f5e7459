/*
 * tests/suites/acpi_test.c - the ACPI table reader (drivers/acpi) on
 * tables built here in fake physical memory: RSDT and XSDT paths, CPU
 * entries of both kinds, the address override, and every check that
 * rejects a bad table, with the message it gives.
 */
#include "drivers/acpi/acpi.h"
#include "kernel/kunit.h"
#include "kernel/lib/string.h"

#define TABLES_PHYS	0x10000ULL
#define TABLES_SIZE	4096
#define BIOS_PHYS	0xe0000ULL
#define BIOS_SIZE	0x20000

static uint8_t tables[TABLES_SIZE];
static uint8_t bios[BIOS_SIZE];
static uint8_t bda[2];

static const void *fake_map(uint64_t phys, uint64_t len)
{
	if (phys >= TABLES_PHYS && phys + len <= TABLES_PHYS + TABLES_SIZE)
		return tables + (phys - TABLES_PHYS);
	if (phys >= BIOS_PHYS && phys + len <= BIOS_PHYS + BIOS_SIZE)
		return bios + (phys - BIOS_PHYS);
	if (phys == 0x40e && len <= 2)
		return bda;
	return NULL;
}

static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void put64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }

static void fix_sum(uint8_t *p, size_t len, size_t at)
{
	uint8_t s = 0;

	p[at] = 0;
	for (size_t i = 0; i < len; i++)
		s += p[i];
	p[at] = (uint8_t)-s;
}

static void header(uint8_t *t, const char *sig, uint32_t len)
{
	memcpy(t, sig, 4);
	put32(t + 4, len);
	t[8] = 1;
	memcpy(t + 10, "KUNIT ", 6);
}

/*
 * Layout: RSDP at +0, root table at +0x100, MADT at +0x200.
 * MADT: CPU A (APIC 0, enabled), CPU B (APIC 3, disabled, online-capable),
 * optionally an x2APIC CPU (ID 300) and an address override.
 */
#define MADT_OFF	0x200
static uint32_t build(bool xsdt, bool x2apic, bool override)
{
	uint8_t *r = tables, *root = tables + 0x100, *m = tables + MADT_OFF;
	uint32_t mlen = 44;

	memset(tables, 0, sizeof(tables));
	memcpy(r, "RSD PTR ", 8);
	memcpy(r + 9, "KUNIT ", 6);
	r[15] = xsdt ? 2 : 0;
	put32(r + 16, (uint32_t)(TABLES_PHYS + 0x100));
	if (xsdt) {
		put32(r + 20, 36);
		put64(r + 24, TABLES_PHYS + 0x100);
		fix_sum(r, 36, 32);
	}
	fix_sum(r, 20, 8);
	if (xsdt) {
		fix_sum(r, 36, 32);	/* the first checksum byte is inside */
	}

	header(m, "APIC", 0);
	put32(m + 36, 0xfee00000);
	put32(m + 40, 1);
	uint8_t *e = m + mlen;

	e[0] = 0; e[1] = 8; e[2] = 1; e[3] = 0; put32(e + 4, 1); e += 8;
	e[0] = 0; e[1] = 8; e[2] = 2; e[3] = 3; put32(e + 4, 2); e += 8;
	if (x2apic) {
		e[0] = 9; e[1] = 16; put32(e + 4, 300); put32(e + 8, 1); put32(e + 12, 7);
		e += 16;
	}
	if (override) {
		e[0] = 5; e[1] = 12; put64(e + 4, 0xfed00000ULL);
		e += 12;
	}
	mlen = (uint32_t)(e - m);
	put32(m + 4, mlen);
	fix_sum(m, mlen, 9);

	if (xsdt) {
		header(root, "XSDT", 36 + 16);
		put64(root + 36, TABLES_PHYS + 0x180);	/* some other table */
		put64(root + 44, TABLES_PHYS + MADT_OFF);
		header(tables + 0x180, "FACP", 36);
		fix_sum(tables + 0x180, 36, 9);
		fix_sum(root, 36 + 16, 9);
	} else {
		header(root, "RSDT", 36 + 4);
		put32(root + 36, (uint32_t)(TABLES_PHYS + MADT_OFF));
		fix_sum(root, 36 + 4, 9);
	}
	return mlen;
}

static struct acpi_madt_info info;
static char err[160];

static int parse(void)
{
	err[0] = '\0';
	return acpi_parse_madt(TABLES_PHYS, fake_map, &info, err, sizeof(err));
}

static void rsdt_lists_cpus(struct kunit *test)
{
	build(false, false, false);
	KUNIT_ASSERT_EQ(test, parse(), 0);
	KUNIT_EXPECT_FALSE(test, info.used_xsdt);
	KUNIT_EXPECT_EQ(test, info.lapic_phys, 0xfee00000ULL);
	KUNIT_EXPECT_TRUE(test, info.pcat_compat);
	KUNIT_ASSERT_EQ(test, info.nr_cpus, 2u);
	KUNIT_EXPECT_EQ(test, info.cpus[0].apic_id, 0u);
	KUNIT_EXPECT_TRUE(test, info.cpus[0].enabled);
	KUNIT_EXPECT_EQ(test, info.cpus[1].apic_id, 3u);
	KUNIT_EXPECT_EQ(test, info.cpus[1].uid, 2u);
	KUNIT_EXPECT_FALSE(test, info.cpus[1].enabled);
	KUNIT_EXPECT_TRUE(test, info.cpus[1].online_capable);
	KUNIT_EXPECT_STREQ(test, info.oem_id, "KUNIT ");
}

static void xsdt_x2apic_and_override(struct kunit *test)
{
	build(true, true, true);
	KUNIT_ASSERT_EQ(test, parse(), 0);
	KUNIT_EXPECT_TRUE(test, info.used_xsdt);
	KUNIT_EXPECT_EQ(test, info.lapic_phys, 0xfed00000ULL);
	KUNIT_ASSERT_EQ(test, info.nr_cpus, 3u);
	KUNIT_EXPECT_EQ(test, info.cpus[2].apic_id, 300u);
	KUNIT_EXPECT_EQ(test, info.cpus[2].uid, 7u);
	KUNIT_EXPECT_TRUE(test, info.cpus[2].enabled);
}

static void bad_rsdp_rejected(struct kunit *test)
{
	build(false, false, false);
	tables[0] = 'X';
	KUNIT_EXPECT_EQ(test, parse(), -1);
	KUNIT_EXPECT_STREQ(test, err, "acpi: no 'RSD PTR ' signature at 0x10000");

	build(false, false, false);
	tables[8]++;
	KUNIT_EXPECT_EQ(test, parse(), -1);
	KUNIT_EXPECT_EQ(test, strncmp(err, "acpi: RSDP at 0x10000: checksum", 31), 0);

	build(true, false, false);
	tables[30]++;				/* inside the extended part */
	KUNIT_EXPECT_EQ(test, parse(), -1);
	KUNIT_EXPECT_EQ(test, strncmp(err, "acpi: RSDP at 0x10000: extended checksum", 40), 0);
}

static void bad_madt_rejected(struct kunit *test)
{
	uint32_t mlen = build(false, false, false);

	tables[MADT_OFF + 50]++;		/* checksum now wrong */
	KUNIT_EXPECT_EQ(test, parse(), -1);
	KUNIT_EXPECT_STREQ(test, err, "acpi: APIC at 0x10200: checksum byte sum is 0x01, not 0");

	build(false, false, false);
	tables[MADT_OFF + 44 + 1] = 200;	/* entry runs past the end */
	fix_sum(tables + MADT_OFF, mlen, 9);
	KUNIT_EXPECT_EQ(test, parse(), -1);
	KUNIT_EXPECT_STREQ(test, err, "acpi: MADT entry type 0 at offset 44: length 200 runs past the table end");

	build(false, false, false);
	tables[MADT_OFF + 44 + 1] = 4;		/* too short for a local APIC */
	fix_sum(tables + MADT_OFF, mlen, 9);
	KUNIT_EXPECT_EQ(test, parse(), -1);
	KUNIT_EXPECT_STREQ(test, err, "acpi: MADT entry type 0 at offset 44: length 4 is less than 8");

	build(false, false, false);
	put32(tables + MADT_OFF + 4, 20);	/* shorter than a header */
	KUNIT_EXPECT_EQ(test, parse(), -1);
	KUNIT_EXPECT_STREQ(test, err, "acpi: APIC at 0x10200: length 20 is outside [36, 1048576]");
}

static void missing_madt_reported(struct kunit *test)
{
	build(false, false, false);
	memcpy(tables + MADT_OFF, "FACP", 4);
	fix_sum(tables + MADT_OFF, 44 + 16, 9);
	KUNIT_EXPECT_EQ(test, parse(), -1);
	KUNIT_EXPECT_STREQ(test, err, "acpi: the RSDT (1 entries) lists no MADT ('APIC')");

	build(false, false, false);
	put32(tables + 16, 0x7000000);		/* RSDT outside mapped memory */
	fix_sum(tables, 20, 8);
	KUNIT_EXPECT_EQ(test, parse(), -1);
	KUNIT_EXPECT_STREQ(test, err, "acpi: table at 0x7000000 cannot be mapped");
}

static void rsdp_found_by_scanning(struct kunit *test)
{
	memset(bios, 0, sizeof(bios));
	bda[0] = bda[1] = 0;
	KUNIT_EXPECT_EQ(test, acpi_find_rsdp(fake_map), 0ULL);
	memcpy(bios + 0x15a31, "RSD PTR ", 8);	/* not 16-byte aligned: ignored */
	KUNIT_EXPECT_EQ(test, acpi_find_rsdp(fake_map), 0ULL);
	memcpy(bios + 0x159e0, "RSD PTR ", 8);
	fix_sum(bios + 0x159e0, 20, 8);
	KUNIT_EXPECT_EQ(test, acpi_find_rsdp(fake_map), 0xf59e0ULL);
}

static struct kunit_case acpi_cases[] = {
	KUNIT_CASE(rsdt_lists_cpus),
	KUNIT_CASE(xsdt_x2apic_and_override),
	KUNIT_CASE(bad_rsdp_rejected),
	KUNIT_CASE(bad_madt_rejected),
	KUNIT_CASE(missing_madt_reported),
	KUNIT_CASE(rsdp_found_by_scanning),
	{}
};

static struct kunit_suite acpi_suite = {
	.name = "acpi",
	.test_cases = acpi_cases,
};
kunit_test_suite(acpi_suite);
