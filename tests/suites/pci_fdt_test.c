/*
 * tests/suites/pci_fdt_test.c - the device-tree ECAM host reader
 * (drivers/pci/pci_fdt.c) on the device tree QEMU builds for arm64 virt
 * (tests/data/qemu_virt_dtb.h), and on copies of it with the
 * interrupt-map damaged. Host and kernel.
 */
#include "drivers/fdt/fdt.h"
#include "drivers/pci/pci_fdt.h"
#include "kernel/kunit.h"
#include "kernel/lib/string.h"

#include "tests/data/qemu_virt_dtb.h"
#include "tests/suites/test_bytes.h"

static uint8_t dtb_copy[sizeof(qemu_virt_dtb)] __aligned(8);
static char err[160];

/* Open a fresh copy of the QEMU virt tree; its PCIe host node in *node. */
static void open_copy(struct kunit *test, struct fdt *f, int *node)
{
	memcpy(dtb_copy, qemu_virt_dtb, sizeof(dtb_copy));
	KUNIT_ASSERT_EQ(test, fdt_open(f, dtb_copy, sizeof(dtb_copy), err,
				       sizeof(err)), 0);
	*node = fdt_node_by_compatible(f, -1, "pci-host-ecam-generic");
	KUNIT_ASSERT_TRUE(test, *node >= 0);
}

/* Cell i of the host's interrupt-map, writable. */
static uint8_t *map_cell(const struct fdt *f, int node, unsigned int i)
{
	uint32_t len;
	const uint8_t *p = fdt_getprop(f, node, "interrupt-map", &len);

	if (!p || 4 * i + 4 > len)
		return NULL;
	return dtb_copy + (p - dtb_copy) + 4 * i;
}

static void qemu_virt_host(struct kunit *test)
{
	struct pci_host h;
	struct fdt f;
	int node;

	open_copy(test, &f, &node);
	KUNIT_ASSERT_EQ(test, pci_fdt_host(&f, node, &h, err, sizeof(err)), 0);
	KUNIT_EXPECT_EQ(test, h.ecam_phys, 0x4010000000ULL);	/* high ECAM */
	KUNIT_EXPECT_EQ(test, h.bus_start, 0);
	KUNIT_EXPECT_EQ(test, h.bus_end, 255);
	KUNIT_EXPECT_EQ(test, h.segment, 0);
	KUNIT_EXPECT_TRUE(test, h.assign_all);
	KUNIT_EXPECT_NULL(test, h.ops);
	/* ranges: I/O bus 0 at CPU 0x3eff0000, 32-bit and 64-bit memory 1:1 */
	KUNIT_EXPECT_EQ(test, h.io.cpu_base, 0x3eff0000ULL);
	KUNIT_EXPECT_EQ(test, h.io.bus_base, 0ULL);
	KUNIT_EXPECT_EQ(test, h.io.size, 0x10000ULL);
	KUNIT_EXPECT_TRUE(test, h.io.next != 0);	/* 0 means unassigned */
	KUNIT_EXPECT_EQ(test, h.mem32.cpu_base, 0x10000000ULL);
	KUNIT_EXPECT_EQ(test, h.mem32.bus_base, 0x10000000ULL);
	KUNIT_EXPECT_EQ(test, h.mem32.size, 0x2eff0000ULL);
	KUNIT_EXPECT_EQ(test, h.mem64.cpu_base, 0x8000000000ULL);
	KUNIT_EXPECT_EQ(test, h.mem64.bus_base, 0x8000000000ULL);
	KUNIT_EXPECT_EQ(test, h.mem64.size, 0x8000000000ULL);
	/* interrupt-map: slot s pin p -> SPI 3 + (s + p - 1) % 4 */
	KUNIT_EXPECT_EQ(test, h.intx_spi[0], 35u);
	KUNIT_EXPECT_EQ(test, h.intx_spi[1], 36u);
	KUNIT_EXPECT_EQ(test, h.intx_spi[2], 37u);
	KUNIT_EXPECT_EQ(test, h.intx_spi[3], 38u);
}

/* Each entry is 10 cells: addr(3) pin phandle gic-addr(2) SPI n flags. */
#define ENTRY_CELLS 10

static void bad_interrupt_map(struct kunit *test)
{
	uint32_t intx[4];
	struct fdt f;
	uint8_t *c;
	int node;

	/* Slot 1 pin 1 aimed somewhere the swizzle does not put it. */
	open_copy(test, &f, &node);
	c = map_cell(&f, node, 4 * ENTRY_CELLS + 8);
	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_EXPECT_EQ(test, fdt_be32(c), 4u);		/* SPI 4 */
	put_be32(c, 9);
	KUNIT_EXPECT_TRUE(test, pci_fdt_intx(&f, node, intx, err,
					     sizeof(err)) < 0);
	KUNIT_EXPECT_STR_CONTAINS(test, err, "swizzle");
	KUNIT_EXPECT_EQ(test, intx[0] | intx[1] | intx[2] | intx[3], 0u);

	/* A PPI instead of an SPI. */
	open_copy(test, &f, &node);
	put_be32(map_cell(&f, node, 7), 1);
	KUNIT_EXPECT_TRUE(test, pci_fdt_intx(&f, node, intx, err,
					     sizeof(err)) < 0);

	/* An interrupt parent that does not exist. */
	open_copy(test, &f, &node);
	put_be32(map_cell(&f, node, ENTRY_CELLS + 4), 0xdead);
	KUNIT_EXPECT_TRUE(test, pci_fdt_intx(&f, node, intx, err,
					     sizeof(err)) < 0);
	KUNIT_EXPECT_STR_CONTAINS(test, err, "phandle");

	/* Pin 0. */
	open_copy(test, &f, &node);
	put_be32(map_cell(&f, node, 3), 0);
	KUNIT_EXPECT_TRUE(test, pci_fdt_intx(&f, node, intx, err,
					     sizeof(err)) < 0);

	/* A broken map still leaves a usable host, without INTx. */
	struct pci_host h;

	KUNIT_EXPECT_EQ(test, pci_fdt_host(&f, node, &h, err, sizeof(err)), 0);
	KUNIT_EXPECT_EQ(test, h.intx_spi[0] | h.intx_spi[3], 0u);
	KUNIT_EXPECT_EQ(test, h.mem32.size, 0x2eff0000ULL);
}

static void bad_ranges_and_bus_range(struct kunit *test)
{
	struct pci_host h;
	struct fdt f;
	uint32_t len;
	const uint8_t *p;
	int node;

	/* bus-range beyond 255 */
	open_copy(test, &f, &node);
	p = fdt_getprop(&f, node, "bus-range", &len);
	KUNIT_ASSERT_NOT_NULL(test, p);
	put_be32(dtb_copy + (p - dtb_copy) + 4, 256);
	KUNIT_EXPECT_TRUE(test, pci_fdt_host(&f, node, &h, err,
					     sizeof(err)) < 0);

	/* A memory range of size 0 */
	open_copy(test, &f, &node);
	p = fdt_getprop(&f, node, "ranges", &len);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_EQ(test, len, 3u * 7 * 4);
	put_be32(dtb_copy + (p - dtb_copy) + 4 * (7 + 6), 0);
	KUNIT_EXPECT_TRUE(test, pci_fdt_host(&f, node, &h, err,
					     sizeof(err)) < 0);
	KUNIT_EXPECT_STR_CONTAINS(test, err, "range");
}

static struct kunit_case pci_fdt_cases[] = {
	KUNIT_CASE(qemu_virt_host),
	KUNIT_CASE(bad_interrupt_map),
	KUNIT_CASE(bad_ranges_and_bus_range),
	{}
};

static struct kunit_suite pci_fdt_suite = {
	.name = "pci_fdt",
	.test_cases = pci_fdt_cases,
};
kunit_test_suite(pci_fdt_suite);
