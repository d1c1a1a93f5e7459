/*
 * tests/host/acpi_prt_q35_test.c - the _PRT reader on QEMU q35's real
 * DSDT (tests/host/q35_dsdt.inc says how it was captured): the host
 * bridge \_SB_.PCI0, its Method(_PRT) choosing PRTP (8259 links LNKx)
 * or PRTA (APIC links GSIx, PNP0C0F, one Extended Interrupt each), PRTA
 * taken, 128 entries: slots 0-23 rotate over GSIE-GSIH (GSIs 20-23) by
 * slot; the chipset's own slots 24-31 do not rotate, INTA-INTD going to
 * GSIE-GSIH (24, 30) or GSIA-GSID (16-19, the others), as QEMU's ICH9
 * D<n>IR registers route them. Host-only: 8 KiB of table.
 */
#include "tests/host/host.h"
#include "drivers/acpi/acpi_prt.h"
#include "kernel/kunit.h"
#include "kernel/lib/string.h"

#include "tests/host/q35_dsdt.inc"

static struct acpi_prt prt;

static void q35_dsdt_routes_every_slot(struct kunit *test)
{
	char err[160];
	uint8_t sum = 0;

	for (size_t i = 0; i < sizeof(q35_dsdt); i++)
		sum += q35_dsdt[i];
	KUNIT_ASSERT_EQ(test, sum, 0);		/* the capture is intact */
	KUNIT_ASSERT_EQ(test, acpi_prt_parse(q35_dsdt, sizeof(q35_dsdt), &prt,
					     err, sizeof(err)), 0);
	KUNIT_EXPECT_STREQ(test, prt.bridge, "\\_SB_.PCI0");
	KUNIT_EXPECT_STREQ(test, prt.table, "PRTA");
	KUNIT_EXPECT_EQ(test, prt.nr, 128u);
	KUNIT_EXPECT_EQ(test, prt.dropped, 0u);
	for (unsigned int slot = 0; slot < 32; slot++) {
		for (unsigned int pin = 1; pin <= 4; pin++) {
			const struct acpi_prt_entry *e = acpi_prt_find(&prt, slot, pin);
			unsigned int want = slot < 24 ? 20 + (slot + pin - 1) % 4 :
				slot == 24 || slot == 30 ? 20 + pin - 1 : 16 + pin - 1;

			KUNIT_ASSERT_NOT_NULL(test, e);
			if (e->gsi != want)
				KUNIT_FAIL(test, "slot %u pin %u: GSI %u, want %u",
					   slot, pin, e->gsi, want);
			KUNIT_EXPECT_TRUE(test, e->level);
			KUNIT_EXPECT_FALSE(test, e->active_low);
		}
	}
	kunit_info(test, "%s: %u entries from %s, %u scopes cut (first at 0x%x)",
		   prt.bridge, prt.nr, prt.table, prt.scopes_cut, prt.first_cut);
}

/* Every prefix of the real table fails cleanly (ASan watches the reads). */
static void q35_dsdt_truncated(struct kunit *test)
{
	char err[160];
	unsigned int ok = 0;

	for (size_t len = 0; len < sizeof(q35_dsdt); len += 7) {
		err[0] = '\0';
		if (acpi_prt_parse(q35_dsdt, len, &prt, err, sizeof(err)) == 0)
			ok++;
		else
			KUNIT_EXPECT_NE(test, err[0], '\0');
	}
	KUNIT_EXPECT_EQ(test, ok, 0u);
}

static struct kunit_case acpi_prt_q35_cases[] = {
	KUNIT_CASE(q35_dsdt_routes_every_slot),
	KUNIT_CASE(q35_dsdt_truncated),
	{}
};

static struct kunit_suite acpi_prt_q35_suite = {
	.name = "acpi_prt_q35",
	.test_cases = acpi_prt_q35_cases,
};
kunit_test_suite(acpi_prt_q35_suite);
