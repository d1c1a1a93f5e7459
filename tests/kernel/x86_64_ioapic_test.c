/*
 * tests/kernel/x86_64_ioapic_test.c - the I/O APIC driver
 * (arch/x86_64/ioapic.c): the 8259s stay masked, a requested GSI's
 * redirection entry reads back as programmed (vector from the MSI pool,
 * trigger mode, boot CPU) and is masked again when freed, and, when vda
 * is a virtio-blk PCI disk without MSI-X (tools/run-tests
 * x86_64-virtio-blk-intx: vectors=0), its completions arrive as
 * interrupts on its INTx GSI: a kernel that polls fails here.
 *
 * x86_64 only: the Makefile builds tests/kernel/x86_64_*.c into x86_64
 * kernels alone.
 */
#include "arch/x86_64/io.h"
#include "arch/x86_64/ioapic.h"
#include "drivers/block/blk.h"
#include "drivers/pci/pci.h"
#include "kernel/kunit.h"
#include "mm/page_alloc.h"
#include <arch/cpu.h>
#include <arch/irq.h>
#include <arch/thread.h>

static void dummy_handler(void *arg)
{
	(void)arg;
}

static void pics_stay_masked(struct kunit *test)
{
	uint64_t rte;

	KUNIT_EXPECT_EQ(test, inb(0x21), 0xff);
	KUNIT_EXPECT_EQ(test, inb(0xa1), 0xff);
	/* GSI 1 (the ISA keyboard) is never requested here: masked. */
	KUNIT_ASSERT_EQ(test, ioapic_read_rte(1, &rte), 0);
	KUNIT_EXPECT_TRUE(test, rte & IOAPIC_RTE_MASKED);
}

static void redirection_entry_programmed(struct kunit *test)
{
	unsigned int gsi;
	uint64_t rte = 0;

	/* A PCI GSI nobody uses (still masked). */
	for (gsi = 23; gsi >= 16; gsi--)
		if (ioapic_read_rte(gsi, &rte) == 0 && (rte & IOAPIC_RTE_MASKED))
			break;
	if (gsi < 16)
		kunit_skip(test, "no free GSI in 16-23");
	KUNIT_ASSERT_EQ(test, arch_irq_request(gsi, dummy_handler, NULL), 0);
	KUNIT_ASSERT_EQ(test, ioapic_read_rte(gsi, &rte), 0);
	KUNIT_EXPECT_FALSE(test, rte & IOAPIC_RTE_MASKED);
	KUNIT_EXPECT_GE(test, rte & IOAPIC_RTE_VECTOR, 0x40ULL);
	KUNIT_EXPECT_LE(test, rte & IOAPIC_RTE_VECTOR, 0xdfULL);
	KUNIT_EXPECT_TRUE(test, rte & IOAPIC_RTE_LEVEL);	/* PCI: level */
	KUNIT_EXPECT_EQ(test, (rte >> 8) & 7, 0ULL);		/* fixed */
	KUNIT_EXPECT_EQ(test, (rte >> 11) & 1, 0ULL);		/* physical */
	KUNIT_EXPECT_EQ(test, rte >> IOAPIC_RTE_DEST_SHIFT,
			(uint64_t)arch_cpu_hwid(0));
	KUNIT_EXPECT_EQ(test, arch_irq_request(gsi, dummy_handler, NULL), -1);
	KUNIT_EXPECT_EQ(test, arch_irq_set_edge(gsi), 0);
	KUNIT_ASSERT_EQ(test, ioapic_read_rte(gsi, &rte), 0);
	KUNIT_EXPECT_FALSE(test, rte & IOAPIC_RTE_LEVEL);
	KUNIT_EXPECT_FALSE(test, rte & IOAPIC_RTE_MASKED);
	ioapic_free(gsi);
	KUNIT_ASSERT_EQ(test, ioapic_read_rte(gsi, &rte), 0);
	KUNIT_EXPECT_TRUE(test, rte & IOAPIC_RTE_MASKED);
	/* No I/O APIC input there. */
	KUNIT_EXPECT_EQ(test, arch_irq_request(1000, dummy_handler, NULL), -1);
	KUNIT_EXPECT_EQ(test, arch_irq_set_edge(1000), -1);
}

static void intx_completes_virtio_blk(struct kunit *test)
{
	struct block_device *b = blk_get("vda");
	unsigned long before;
	struct page *p;

	if (!b)
		kunit_skip(test, "no virtio-blk disk vda");
	struct pci_dev *pdev = pci_dev_of(b->dma_dev);

	if (!pdev)
		kunit_skip(test, "vda is not a PCI device");
	if (pdev->msix_cap)
		kunit_skip(test, "vda has MSI-X");
	KUNIT_ASSERT_NE(test, pdev->irq, 0u);		/* routed by the _PRT */
	KUNIT_ASSERT_TRUE(test, b->irq_driven);		/* not polled */
	KUNIT_ASSERT_TRUE(test, arch_irqs_enabled());
	p = alloc_pages(GFP_KERNEL, 0);
	KUNIT_ASSERT_NOT_NULL(test, p);
	before = ioapic_irq_count(pdev->irq);
	KUNIT_EXPECT_EQ(test, blk_read(b, 0, page_address(p), 8, NULL), 0);
	KUNIT_EXPECT_GT(test, ioapic_irq_count(pdev->irq), before);
	kunit_info(test, "%s: INTx pin %c, GSI %u, %lu interrupts so far",
		   pdev->name, 'A' + pdev->irq_pin - 1, pdev->irq,
		   ioapic_irq_count(pdev->irq));
	__free_pages(p, 0);
}

static struct kunit_case ioapic_cases[] = {
	KUNIT_CASE(pics_stay_masked),
	KUNIT_CASE(redirection_entry_programmed),
	KUNIT_CASE(intx_completes_virtio_blk),
	{}
};

static struct kunit_suite ioapic_suite = {
	.name = "ioapic",
	.test_cases = ioapic_cases,
};
kunit_test_suite(ioapic_suite);
