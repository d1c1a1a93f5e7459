/*
 * tests/suites/acpi_test.c - the ACPI table reader (drivers/acpi) on
 * tables built here in fake physical memory: RSDT and XSDT paths, CPU
 * entries of both kinds, the address override, I/O APICs and interrupt
 * source overrides, the FADT's DSDT pointer, and every check that
 * rejects a bad table, with the message it gives.
 */
#include "drivers/acpi/acpi.h"
#include "kernel/kunit.h"
#include "kernel/lib/string.h"
#include "tests/suites/test_bytes.h"

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

/* Append an entry to the MADT build() made (mlen long); new length. */
static uint32_t madt_append(uint32_t mlen, const uint8_t *e, uint8_t len)
{
	uint8_t *m = tables + MADT_OFF;

	memcpy(m + mlen, e, len);
	mlen += len;
	put32(m + 4, mlen);
	fix_sum(m, mlen, 9);
	return mlen;
}

static void ioapics_and_overrides(struct kunit *test)
{
	uint32_t mlen = build(false, false, false);
	uint8_t io[12] = { 1, 12, 2, 0 }, iso[10] = { 2, 10, 0, 0 };

	put32(io + 4, 0xfec00000);
	put32(io + 8, 0);
	mlen = madt_append(mlen, io, 12);
	put32(iso + 4, 2);			/* IRQ 0 -> GSI 2, bus default */
	mlen = madt_append(mlen, iso, 10);
	iso[3] = 9;
	put32(iso + 4, 9);
	iso[8] = 0xd;				/* level (3 << 2), high (1) */
	madt_append(mlen, iso, 10);
	KUNIT_ASSERT_EQ(test, parse(), 0);
	KUNIT_EXPECT_EQ(test, info.nr_cpus, 2u);
	KUNIT_ASSERT_EQ(test, info.nr_ioapics, 1u);
	KUNIT_EXPECT_EQ(test, info.ioapics[0].id, 2u);
	KUNIT_EXPECT_EQ(test, info.ioapics[0].address, 0xfec00000u);
	KUNIT_EXPECT_EQ(test, info.ioapics[0].gsi_base, 0u);
	KUNIT_ASSERT_EQ(test, info.nr_isos, 2u);
	KUNIT_EXPECT_EQ(test, info.isos[0].source, 0u);
	KUNIT_EXPECT_EQ(test, info.isos[0].gsi, 2u);
	KUNIT_EXPECT_EQ(test, info.isos[1].source, 9u);
	KUNIT_EXPECT_EQ(test, ACPI_MPS_TRIGGER(info.isos[1].flags), 3u);
	KUNIT_EXPECT_EQ(test, ACPI_MPS_POLARITY(info.isos[1].flags), 1u);
}

/* The bad entry at offset 60 was skipped with this reason; the CPUs of
 * the table still count. */
static void expect_skipped(struct kunit *test, const char *why)
{
	KUNIT_EXPECT_EQ(test, info.entries_skipped, 1u);
	KUNIT_EXPECT_STREQ(test, info.skipped_why, why);
	KUNIT_EXPECT_GE(test, info.nr_cpus, 1u);
	KUNIT_EXPECT_EQ(test, info.nr_ioapics, 0u);
	KUNIT_EXPECT_EQ(test, info.nr_isos, 0u);
}

static void bad_ioapic_and_override_skipped(struct kunit *test)
{
	uint32_t mlen = build(false, false, false);
	uint8_t io[12] = { 1, 12, 2, 0 }, iso[10] = { 2, 10, 0, 0 };

	put32(io + 4, 0);
	madt_append(mlen, io, 12);
	KUNIT_EXPECT_EQ(test, parse(), 0);
	expect_skipped(test, "acpi: MADT entry type 1 at offset 60: I/O APIC address 0x0 is 0");

	mlen = build(false, false, false);
	io[1] = 10;
	madt_append(mlen, io, 10);
	KUNIT_EXPECT_EQ(test, parse(), -1);	/* a wrong length is fatal */
	KUNIT_EXPECT_STREQ(test, err, "acpi: MADT entry type 1 at offset 60: length 10 is less than 12");

	mlen = build(false, false, false);
	iso[2] = 1;
	madt_append(mlen, iso, 10);
	KUNIT_EXPECT_EQ(test, parse(), 0);
	expect_skipped(test, "acpi: MADT entry type 2 at offset 60: bus 1 is not 0 (ISA)");

	mlen = build(false, false, false);
	iso[2] = 0;
	iso[3] = 16;
	madt_append(mlen, iso, 10);
	KUNIT_EXPECT_EQ(test, parse(), 0);
	expect_skipped(test, "acpi: MADT entry type 2 at offset 60: source 16 is not an ISA IRQ (0-15)");

	mlen = build(false, false, false);
	iso[3] = 5;
	iso[8] = 0x8;				/* trigger 2: reserved */
	madt_append(mlen, iso, 10);
	KUNIT_EXPECT_EQ(test, parse(), 0);
	expect_skipped(test, "acpi: MADT entry type 2 at offset 60: trigger mode 2 is reserved");
}

/* The XSDT build() makes lists a 36-byte FACP at +0x180; give it a DSDT. */
static void dsdt_through_fadt(struct kunit *test)
{
	uint8_t *f = tables + 0x180, *d = tables + 0x400;
	uint32_t len = 0;
	uint64_t phys = 0;
	const uint8_t *t;

	build(true, false, false);
	header(d, "DSDT", 40);
	memcpy(d + 36, "AML.", 4);		/* not read here */
	fix_sum(d, 40, 9);
	t = acpi_find_dsdt(TABLES_PHYS, fake_map, &len, &phys, err, sizeof(err));
	KUNIT_EXPECT_NULL(test, t);
	KUNIT_EXPECT_STREQ(test, err, "acpi: FADT at 0x10180: length 36 is too short for its DSDT field (offset 40)");

	f = tables + 0x600;			/* a full-size FADT elsewhere */
	header(f, "FACP", 148);
	put64(tables + 0x100 + 36, TABLES_PHYS + 0x600);
	fix_sum(tables + 0x100, 36 + 16, 9);
	put32(f + 40, (uint32_t)(TABLES_PHYS + 0x400));
	fix_sum(f, 148, 9);
	t = acpi_find_dsdt(TABLES_PHYS, fake_map, &len, &phys, err, sizeof(err));
	KUNIT_ASSERT_NOT_NULL(test, t);
	KUNIT_EXPECT_EQ(test, len, 40u);
	KUNIT_EXPECT_EQ(test, phys, TABLES_PHYS + 0x400);

	put32(f + 40, 0);			/* X_DSDT wins when set */
	put64(f + 140, TABLES_PHYS + 0x400);
	fix_sum(f, 148, 9);
	KUNIT_EXPECT_NOT_NULL(test, acpi_find_dsdt(TABLES_PHYS, fake_map, &len,
						   &phys, err, sizeof(err)));
	put64(f + 140, 0);
	fix_sum(f, 148, 9);
	KUNIT_EXPECT_NULL(test, acpi_find_dsdt(TABLES_PHYS, fake_map, &len,
					       &phys, err, sizeof(err)));
	KUNIT_EXPECT_STREQ(test, err, "acpi: FADT at 0x10600: DSDT and X_DSDT are both 0");
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
	KUNIT_CASE(ioapics_and_overrides),
	KUNIT_CASE(bad_ioapic_and_override_skipped),
	KUNIT_CASE(dsdt_through_fadt),
	{}
};

static struct kunit_suite acpi_suite = {
	.name = "acpi",
	.test_cases = acpi_cases,
};
kunit_test_suite(acpi_suite);
