/*
 * tests/kernel/pci_intx_test.c - wired PCI interrupts (INTx), shared
 * lines included, on both architectures (drivers/pci/pci.c
 * pci_request_intx). The configurations x86_64-virtio-blk-intx and
 * arm64-virt-virtio-blk-intx give both disks no MSI-X (vectors=0) and put
 * them in slots 4 and 8, which q35's _PRT and virt's interrupt-map wire
 * to the same line: each disk must still complete a read by interrupt
 * alone, so a line that calls only its first sharer fails here. The
 * harness also checks the log says the line was shared (tools/run-tests
 * intx_check), so the case cannot pass by skipping. Skipped where no disk
 * uses INTx.
 */
#include "drivers/block/blk.h"
#include "drivers/pci/pci.h"
#include "kernel/kunit.h"
#include "kernel/time.h"
#include "mm/page_alloc.h"
#include <arch/cpu.h>

#define MAX_DISKS	8

struct intx_disk {
	struct block_device *b;
	struct pci_dev *pdev;
};

struct intx_disks {
	struct intx_disk d[MAX_DISKS];
	unsigned int nr;
};

/* Block devices on PCI functions that take their interrupts by INTx. */
static void collect(struct block_device *b, void *arg)
{
	struct intx_disks *all = arg;
	struct pci_dev *pdev = b->dma_dev ? pci_dev_of(b->dma_dev) : NULL;

	if (pdev && !pdev->msix_enabled && pdev->irq && all->nr < MAX_DISKS)
		all->d[all->nr++] = (struct intx_disk){ b, pdev };
}

static volatile bool read_done;

static void note_done(struct blk_request *req)
{
	(void)req;
	read_done = true;
}

/* One 4 KiB read of sector 0 that only the disk's interrupt can finish. */
static bool read_by_interrupt(struct block_device *b, struct page *pg)
{
	struct blk_segment seg = { .page = pg, .len = 4096 };
	struct blk_request req = { .op = BLK_OP_READ, .sector = 0, .segs = &seg,
				   .nr_segs = 1, .end_io = note_done };
	uint64_t deadline;
	bool ok;

	read_done = false;
	if (blk_submit(b, &req))
		return false;
	deadline = clock_ns() + 2000000000ULL;
	while (!read_done && clock_ns() < deadline)
		arch_cpu_relax();
	ok = read_done && req.status == 0;
	while (!read_done)		/* reap it anyway */
		b->ops->poll(b);
	return ok;
}

static void shared_intx_line_serves_every_device(struct kunit *test)
{
	struct intx_disks all = { .nr = 0 };
	unsigned int shared = 0;
	struct page *pg;

	blk_for_each(collect, &all);
	if (!all.nr)
		kunit_skip(test, "no disk takes its interrupts by INTx");
	KUNIT_ASSERT_TRUE(test, arch_irqs_enabled());
	pg = alloc_pages(GFP_KERNEL, 0);
	KUNIT_ASSERT_NOT_NULL(test, pg);
	for (unsigned int i = 0; i < all.nr; i++) {
		struct intx_disk *d = &all.d[i];
		unsigned int sharers = pci_intx_sharers(d->pdev->irq);

		KUNIT_EXPECT_TRUE(test, d->b->irq_driven);
		KUNIT_EXPECT_GE(test, sharers, 1u);
		if (!read_by_interrupt(d->b, pg))
			KUNIT_FAIL(test, "%s (%s, line %u shared by %u): a read did not complete by interrupt within 2 s",
				   d->b->name, d->pdev->name, d->pdev->irq, sharers);
		if (sharers > shared)
			shared = sharers;
		kunit_info(test, "%s: %s INTx pin %c, line %u shared by %u device(s)",
			   d->b->name, d->pdev->name, 'A' + d->pdev->irq_pin - 1,
			   d->pdev->irq, sharers);
	}
	kunit_info(test, "INTx: %u disk(s), at most %u on one line", all.nr, shared);
	__free_pages(pg, 0);
}

static struct kunit_case pci_intx_cases[] = {
	KUNIT_CASE(shared_intx_line_serves_every_device),
	{}
};

static struct kunit_suite pci_intx_suite = {
	.name = "pci_intx",
	.test_cases = pci_intx_cases,
};
kunit_test_suite(pci_intx_suite);
