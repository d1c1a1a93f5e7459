/*
 * tests/suites/acpi_prt_test.c - the _PRT reader (drivers/acpi/acpi_prt.c)
 * on AML assembled here by hand, byte by byte (ACPI 6.5, 20.2): a static
 * _PRT with every integer encoding, a Method(_PRT) choosing between a PIC
 * and an APIC table whose links hold Extended Interrupt and IRQ
 * descriptors, names with root, parent and dual-segment prefixes, and
 * malformed AML refused with its offset. QEMU q35's own DSDT is read in
 * tests/host/acpi_prt_q35_test.c.
 */
#include "drivers/acpi/acpi_prt.h"
#include "kernel/kunit.h"
#include "kernel/lib/string.h"

static uint8_t table[2048];
static size_t tlen;
static struct acpi_prt prt;
static char err[160];

/* Append bytes. */
static void put(uint8_t *out, size_t *n, const void *p, size_t len)
{
	if (len)
		memcpy(out + *n, p, len);
	*n += len;
}

/* opcode bytes, then a PkgLength covering head + body, then head, body. */
static size_t wrap(uint8_t *out, const char *op, size_t oplen,
		   const void *head, size_t hlen, const uint8_t *body, size_t blen)
{
	size_t n = 0, inner = hlen + blen;
	unsigned int extra = inner + 1 > 63 ? (inner + 2 > 0xfff ? 2 : 1) : 0;
	size_t total = inner + 1 + extra;

	put(out, &n, op, oplen);
	if (!extra) {
		out[n++] = (uint8_t)total;
	} else {
		out[n++] = (uint8_t)(extra << 6 | (total & 0xf));
		for (unsigned int i = 0; i < extra; i++)
			out[n++] = (uint8_t)(total >> (4 + 8 * i));
	}
	put(out, &n, head, hlen);
	put(out, &n, body, blen);
	return n;
}

/* A DSDT header (checksum not needed: the caller checked it) + aml. */
static void make_table(const uint8_t *aml, size_t len)
{
	memset(table, 0, sizeof(table));
	memcpy(table, "DSDT", 4);
	memcpy(table + 36, aml, len);
	tlen = 36 + len;
}

static int parse(void)
{
	return acpi_prt_parse(table, tlen, &prt, err, sizeof(err));
}

#define S(x)	(x), sizeof(x) - 1	/* a string literal's bytes, no NUL */

/* Package(){addr, pin, 0, gsi} with the encodings given as raw bytes. */
static size_t entry(uint8_t *out, const char *raw, size_t rawlen)
{
	uint8_t body[32];
	size_t n = 0;

	body[n++] = 4;				/* NumElements */
	put(body, &n, raw, rawlen);
	return wrap(out, "\x12", 1, NULL, 0, body, n);
}

/* Scope(\_SB){ Device(PCI0){ Name(_HID, EisaId(PNP0A08)) <inner> } } */
static size_t bridge(uint8_t *out, const uint8_t *inner, size_t ilen,
		     const uint8_t *extra, size_t elen)
{
	uint8_t dev[1024], body[1200];
	size_t d = 0, b = 0;

	put(dev, &d, S("\x08_HID\x0c\x41\xd0\x0a\x08"));
	put(dev, &d, inner, ilen);
	b = wrap(body, "\x5b\x82", 2, "PCI0", 4, dev, d);
	put(body, &b, extra, elen);
	return wrap(out, "\x10", 1, "\\_SB_", 5, body, b);
}

static void static_prt_integer_encodings(struct kunit *test)
{
	uint8_t ents[256], pk[300], name[320], aml[600];
	size_t e = 0, n;
	const struct acpi_prt_entry *x;

	ents[e++] = 4;					/* four entries */
	e += entry(ents + e, S("\x0b\xff\xff" "\x00" "\x00" "\x0a\x10"));
	e += entry(ents + e, S("\x0c\xff\xff\x02\x00" "\x01" "\x00" "\x0b\x11\x00"));
	e += entry(ents + e, S("\x0c\xff\xff\x1f\x00" "\x0a\x02" "\x00" "\x0c\x12\x00\x00\x00"));
	e += entry(ents + e, S("\x0e\xff\xff\x03\x00\x00\x00\x00\x00" "\x0a\x03"
			       "\x00" "\x0e\x13\x00\x00\x00\x00\x00\x00\x00"));
	n = wrap(pk, "\x12", 1, ents, 1, ents + 1, e - 1);
	size_t m = 0;

	put(name, &m, S("\x08_PRT"));
	put(name, &m, pk, n);
	make_table(aml, bridge(aml, name, m, NULL, 0));
	KUNIT_ASSERT_EQ(test, parse(), 0);
	KUNIT_EXPECT_STREQ(test, prt.bridge, "\\_SB_.PCI0");
	KUNIT_EXPECT_STREQ(test, prt.table, "_PRT");
	KUNIT_ASSERT_EQ(test, prt.nr, 4u);
	x = acpi_prt_find(&prt, 0, 1);
	KUNIT_ASSERT_NOT_NULL(test, x);
	KUNIT_EXPECT_EQ(test, x->gsi, 16u);
	KUNIT_EXPECT_TRUE(test, x->level);
	KUNIT_EXPECT_TRUE(test, x->active_low);	/* source 0: PCI's INTx# */
	KUNIT_EXPECT_EQ(test, acpi_prt_find(&prt, 2, 2)->gsi, 17u);
	KUNIT_EXPECT_EQ(test, acpi_prt_find(&prt, 31, 3)->gsi, 18u);
	KUNIT_EXPECT_EQ(test, acpi_prt_find(&prt, 3, 4)->gsi, 19u);
	KUNIT_EXPECT_NULL(test, acpi_prt_find(&prt, 3, 1));
	KUNIT_EXPECT_EQ(test, prt.scopes_cut, 0u);
}

/*
 * q35's shape: links GSIA (Extended Interrupt, GSI 16, level high) and
 * GSIB (IRQ descriptor, IRQ 11, level low) in \_SB, LNKA with a method
 * _CRS and a _PRS offering IRQs 5, 10, 11; PRTP names LNKA, PRTA names
 * GSIA (plainly), ^GSIB (parent prefix) and \_SB_.GSIA (dual name);
 * Method(_PRT){ If (PICF) { Return (PRTA) } Return (PRTP) } is reduced
 * to its two Returns, PIC table first.
 */
static void method_prt_picks_the_apic_table(struct kunit *test)
{
	uint8_t devs[400], inner[600], aml[1200], t[200], ents[200];
	size_t d = 0, in = 0, e, n;
	const struct acpi_prt_entry *x;

	/* Device(GSIA){ Name(_CRS, Buffer(){Interrupt(,Level,ActiveHigh){16}, End}) } */
	static const char crs_a[] = "\x08_CRS\x11\x0e\x0a\x0b"
		"\x89\x06\x00\x09\x01\x10\x00\x00\x00" "\x79\x00";
	/* Device(GSIB){ Name(_CRS, Buffer(){IRQ(Level,ActiveLow){11}, End}) } */
	static const char crs_b[] = "\x08_CRS\x11\x09\x0a\x06"
		"\x23\x00\x08\x18" "\x79\x00";
	/* Device(LNKA){ Method(_CRS){...}, Name(_PRS, Buffer(){IRQ{5,10,11}}) } */
	static const char lnk[] = "\x14\x06_CRS\x00"
		"\x08_PRS\x11\x09\x0a\x06" "\x23\x20\x0c\x18" "\x79\x00";

	n = wrap(t, "\x5b\x82", 2, "GSIA", 4, (const uint8_t *)crs_a, sizeof(crs_a) - 1);
	put(devs, &d, t, n);
	n = wrap(t, "\x5b\x82", 2, "GSIB", 4, (const uint8_t *)crs_b, sizeof(crs_b) - 1);
	put(devs, &d, t, n);
	n = wrap(t, "\x5b\x82", 2, "LNKA", 4, (const uint8_t *)lnk, sizeof(lnk) - 1);
	put(devs, &d, t, n);

	/* Name(PRTP, Package(){ {0x0001FFFF, 0, LNKA, 0} }) */
	e = 0;
	ents[e++] = 1;
	e += entry(ents + e, S("\x0c\xff\xff\x01\x00" "\x00" "LNKA" "\x00"));
	put(inner, &in, S("\x08PRTP"));
	in += wrap(inner + in, "\x12", 1, ents, 1, ents + 1, e - 1);
	/* Name(PRTA, Package(){ three entries }) */
	e = 0;
	ents[e++] = 3;
	e += entry(ents + e, S("\x0c\xff\xff\x01\x00" "\x00" "GSIA" "\x00"));
	e += entry(ents + e, S("\x0c\xff\xff\x01\x00" "\x01" "^GSIB" "\x00"));
	e += entry(ents + e, S("\x0c\xff\xff\x02\x00" "\x00" "\\\x2e_SB_GSIA" "\x00"));
	put(inner, &in, S("\x08PRTA"));
	in += wrap(inner + in, "\x12", 1, ents, 1, ents + 1, e - 1);
	/* Method(_PRT, 0){ Return (PRTP) Return (PRTA) } */
	in += wrap(inner + in, "\x14", 1, "_PRT\x00", 5,
		   (const uint8_t *)"\xa4PRTP\xa4PRTA", 10);

	make_table(aml, bridge(aml, inner, in, devs, d));
	KUNIT_ASSERT_EQ(test, parse(), 0);
	KUNIT_EXPECT_STREQ(test, prt.table, "PRTA");
	KUNIT_ASSERT_EQ(test, prt.nr, 3u);
	x = acpi_prt_find(&prt, 1, 1);
	KUNIT_ASSERT_NOT_NULL(test, x);
	KUNIT_EXPECT_EQ(test, x->gsi, 16u);
	KUNIT_EXPECT_TRUE(test, x->level);
	KUNIT_EXPECT_FALSE(test, x->active_low);
	x = acpi_prt_find(&prt, 1, 2);
	KUNIT_ASSERT_NOT_NULL(test, x);
	KUNIT_EXPECT_EQ(test, x->gsi, 11u);
	KUNIT_EXPECT_TRUE(test, x->level);
	KUNIT_EXPECT_TRUE(test, x->active_low);
	KUNIT_EXPECT_EQ(test, acpi_prt_find(&prt, 2, 1)->gsi, 16u);

	/* Without PRTA only the PIC table is left, and it cannot resolve. */
	for (size_t i = 0; i + 5 <= tlen; i++)
		if (!memcmp(table + i, "\xa4PRTA", 5))
			memcpy(table + i + 1, "PRTP", 4);
	KUNIT_EXPECT_EQ(test, parse(), -1);
	KUNIT_EXPECT_EQ(test, strncmp(err, "acpi: DSDT offset 0x", 20), 0);
	KUNIT_EXPECT_STR_CONTAINS(test, err, "link \\_SB_.LNKA offers several interrupts");
}

static void unknown_opcode_cuts_one_scope(struct kunit *test)
{
	uint8_t ents[40], inner[100], aml[300], gpe[20];
	size_t e = 0, in = 0, g;

	ents[e++] = 1;
	e += entry(ents + e, S("\x0c\xff\xff\x01\x00" "\x00" "\x00" "\x0a\x14"));
	put(inner, &in, S("\x08_PRT"));
	in += wrap(inner + in, "\x12", 1, ents, 1, ents + 1, e - 1);
	/* Scope(\_GPE){ Store(One, Local0) } : 0x70 is not a declaration */
	g = wrap(gpe, "\x10", 1, "\\_GPE", 5, (const uint8_t *)"\x70\x01\x60", 3);
	size_t n = bridge(aml + g, inner, in, NULL, 0);

	memcpy(aml, gpe, g);
	make_table(aml, g + n);
	KUNIT_ASSERT_EQ(test, parse(), 0);
	KUNIT_EXPECT_EQ(test, prt.scopes_cut, 1u);
	KUNIT_EXPECT_EQ(test, prt.first_cut, 36u + 7);
	KUNIT_EXPECT_EQ(test, acpi_prt_find(&prt, 1, 1)->gsi, 20u);

	make_table(gpe, g);			/* nothing else: no bridge */
	KUNIT_EXPECT_EQ(test, parse(), -1);
	KUNIT_EXPECT_STREQ(test, err, "acpi: DSDT: no PCI host bridge (PNP0A03/"
			   "PNP0A08) with a _PRT; 1 scope not read to the end, the "
			   "first at offset 0x2b");
}

static void malformed_aml_refused(struct kunit *test)
{
	uint8_t ents[40], inner[100], aml[300];
	size_t e = 0, in = 0, n;

	/* Scope whose PkgLength (0x3f) runs past the table. */
	make_table((const uint8_t *)"\x10\x3f\\_SB_", 7);
	KUNIT_EXPECT_EQ(test, parse(), -1);
	KUNIT_EXPECT_STREQ(test, err, "acpi: DSDT offset 0x25: PkgLength 0x3f runs "
			   "past the enclosing object's end 0x2b");
	/* Lead byte with bits 5:4 set and a following byte. */
	make_table((const uint8_t *)"\x10\x70\x00", 3);
	KUNIT_EXPECT_EQ(test, parse(), -1);
	KUNIT_EXPECT_STREQ(test, err, "acpi: DSDT offset 0x25: PkgLength lead byte "
			   "has bits 5:4 set with following bytes");
	/* A name with a lower-case character. */
	make_table((const uint8_t *)"\x08_sB_\x00", 6);
	KUNIT_EXPECT_EQ(test, parse(), -1);
	KUNIT_EXPECT_STREQ(test, err, "acpi: DSDT offset 0x26: byte 0x73 is not a "
			   "name character");
	/* A DWordPrefix with two bytes left. */
	make_table((const uint8_t *)"\x08X___\x0c\x01\x02", 8);
	KUNIT_EXPECT_EQ(test, parse(), -1);
	KUNIT_EXPECT_STREQ(test, err, "acpi: DSDT offset 0x29: integer runs past "
			   "the object's end");

	/* _PRT entries: three elements; then pin 4. */
	ents[e++] = 1;
	e += wrap(ents + e, "\x12", 1, "\x03", 1, (const uint8_t *)"\x0b\xff\xff\x00\x0a\x10", 6);
	put(inner, &in, S("\x08_PRT"));
	in += wrap(inner + in, "\x12", 1, ents, 1, ents + 1, e - 1);
	n = bridge(aml, inner, in, NULL, 0);
	make_table(aml, n);
	KUNIT_EXPECT_EQ(test, parse(), -1);
	KUNIT_EXPECT_STR_CONTAINS(test, err, "_PRT entry does not have 4 elements");

	e = 1;
	in = 0;
	e += entry(ents + e, S("\x0b\xff\xff" "\x0a\x04" "\x00" "\x0a\x10"));
	put(inner, &in, S("\x08_PRT"));
	in += wrap(inner + in, "\x12", 1, ents, 1, ents + 1, e - 1);
	make_table(aml, bridge(aml, inner, in, NULL, 0));
	KUNIT_EXPECT_EQ(test, parse(), -1);
	KUNIT_EXPECT_STR_CONTAINS(test, err, "{0xffff, 4, 0x0, 16}: pin is not 0-3");

	/* Every truncation of a good table fails cleanly or parses. */
	for (size_t cut = 0; cut < tlen; cut++) {
		err[0] = '\0';
		int r = acpi_prt_parse(table, cut, &prt, err, sizeof(err));

		KUNIT_EXPECT_TRUE(test, r == -1 && err[0]);
	}
}

static void swizzle_and_gsi_modes(struct kunit *test)
{
	bool level, low;

	KUNIT_EXPECT_EQ(test, pci_swizzle_pin(0, 1), 1u);
	KUNIT_EXPECT_EQ(test, pci_swizzle_pin(1, 1), 2u);
	KUNIT_EXPECT_EQ(test, pci_swizzle_pin(3, 2), 1u);
	KUNIT_EXPECT_EQ(test, pci_swizzle_pin(31, 4), 3u);
	acpi_gsi_note(1000, true, false);
	KUNIT_ASSERT_EQ(test, acpi_gsi_mode(1000, &level, &low), 0);
	KUNIT_EXPECT_TRUE(test, level);
	KUNIT_EXPECT_FALSE(test, low);
	acpi_gsi_note(1000, false, true);
	KUNIT_ASSERT_EQ(test, acpi_gsi_mode(1000, &level, &low), 0);
	KUNIT_EXPECT_FALSE(test, level);
	KUNIT_EXPECT_TRUE(test, low);
	KUNIT_EXPECT_EQ(test, acpi_gsi_mode(1001, &level, &low), -1);
}

static struct kunit_case acpi_prt_cases[] = {
	KUNIT_CASE(static_prt_integer_encodings),
	KUNIT_CASE(method_prt_picks_the_apic_table),
	KUNIT_CASE(unknown_opcode_cuts_one_scope),
	KUNIT_CASE(malformed_aml_refused),
	KUNIT_CASE(swizzle_and_gsi_modes),
	{}
};

static struct kunit_suite acpi_prt_suite = {
	.name = "acpi_prt",
	.test_cases = acpi_prt_cases,
};
kunit_test_suite(acpi_prt_suite);
