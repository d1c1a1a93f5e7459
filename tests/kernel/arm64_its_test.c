/*
 * tests/kernel/arm64_its_test.c - the GICv3 ITS spreads LPIs over CPUs
 * (suite arm64_its; skips without an ITS, e.g. on GICv2 or the Pi):
 *  - every online CPU has LPIs and a collection, and new vectors go to
 *    the least-loaded one, so 2 per CPU land on every CPU;
 *  - a PCI device's MSI-X vectors are taken on the CPU their event
 *    targets: every virtio-blk disk reads one block by interrupt, then
 *    each disk's event was taken, and last on its target CPU.
 */
#include "arch/arm64/irq.h"
#include "drivers/block/blk.h"
#include "drivers/pci/pci.h"
#include "kernel/kunit.h"
#include "kernel/smp.h"
#include "kernel/time.h"
#include "mm/page_alloc.h"
#include <arch/cpu.h>
#include <arch/irq.h>
#include <arch/mmio.h>

static void nop_handler(void *arg)
{
	(void)arg;
}

static void first_dev(struct pci_dev *pdev, void *arg)
{
	struct pci_dev **first = arg;

	if (!*first)
		*first = pdev;
}

static void lpis_spread_over_online_cpus(struct kunit *test)
{
	unsigned int ncpu = num_online_cpus(), n, on_cpu[NR_CPUS] = { 0 };
	struct pci_dev *pdev = NULL;
	uint32_t data[2 * NR_CPUS];
	uint64_t addr;

	if (!gic_v3_its_up())
		kunit_skip(test, "no GICv3 ITS");
	KUNIT_EXPECT_EQ(test, gic_v3_its_nr_cpus(), ncpu);
	pci_for_each_dev(first_dev, &pdev);
	KUNIT_ASSERT_NOT_NULL(test, pdev);	/* for a mapped device ID */
	n = 2 * gic_v3_its_nr_cpus();
	for (unsigned int i = 0; i < n; i++) {
		unsigned int cpu, last;
		unsigned long count;

		KUNIT_ASSERT_EQ(test, arch_msi_alloc_dev(pci_msi_devid(pdev),
				nop_handler, NULL, &addr, &data[i], 0), 0);
		KUNIT_ASSERT_EQ(test, gic_v3_its_event_info(data[i], &cpu, &count,
							    &last), 0);
		KUNIT_ASSERT_LT(test, cpu, (unsigned int)NR_CPUS);
		on_cpu[cpu]++;
	}
	for (unsigned int i = 0; i < n; i++)
		arch_msi_free(data[i]);
	/* Least-loaded: whatever was there before, 2 per CPU reach them all. */
	for_each_online_cpu(cpu)
		KUNIT_EXPECT_GT(test, on_cpu[cpu], 0U);
	kunit_info(test, "%u online CPUs take LPIs; %u new vectors: %u on CPU 0, "
		   "%u on CPU 1", gic_v3_its_nr_cpus(), n, on_cpu[0], on_cpu[1]);
}

static volatile unsigned int nr_read;

static void note_read(struct blk_request *req)
{
	(void)req;
	__atomic_add_fetch(&nr_read, 1, __ATOMIC_SEQ_CST);
}

#define MAX_DISKS 4
static struct {
	unsigned int n;
	struct blk_request req[MAX_DISKS];
	struct blk_segment seg[MAX_DISKS];
} rd;

static void read_one_block(struct block_device *b, void *arg)
{
	struct page *pg = arg;

	if (rd.n == MAX_DISKS || !b->irq_driven)
		return;
	rd.seg[rd.n] = (struct blk_segment){ .page = pg, .len = 4096 };
	rd.req[rd.n] = (struct blk_request){ .op = BLK_OP_READ,
		.segs = &rd.seg[rd.n], .nr_segs = 1, .end_io = note_read };
	if (blk_submit(b, &rd.req[rd.n]) == 0)
		rd.n++;
}

static void poll_disk(struct block_device *b, void *arg)
{
	(void)arg;
	b->ops->poll(b);
}

struct its_targets {
	struct kunit *test;
	unsigned int n, cpus;		/* vectors seen, bit per target CPU */
};

static void check_virtio_vector(struct pci_dev *pdev, void *arg)
{
	struct its_targets *t = arg;
	unsigned int cpu, last;
	unsigned long count;
	uint32_t data;

	/* The disks: each read a block above. (A virtio-net NIC's vector 0,
	 * its receive queue, need not have fired yet.) */
	if (pdev->vendor != 0x1af4 || pdev->device != 0x1042 ||
	    !pdev->msix_enabled)
		return;
	data = readl((char *)pdev->msix_table + 8);	/* vector 0's event */
	if (gic_v3_its_event_info(data, &cpu, &count, &last))
		return;
	t->n++;
	t->cpus |= 1U << cpu;
	KUNIT_EXPECT_GT(t->test, count, 0UL);
	KUNIT_EXPECT_EQ(t->test, last, cpu);
	kunit_info(t->test, "%s: event %u targets CPU %u, taken %lu times, last on CPU %u",
		   pdev->name, data, cpu, count, last);
}

static void msix_taken_on_the_target_cpu(struct kunit *test)
{
	struct its_targets t = { test, 0, 0 };
	struct page *pg;
	uint64_t deadline;

	if (!gic_v3_its_up())
		kunit_skip(test, "no GICv3 ITS");
	pg = alloc_pages(GFP_KERNEL, 0);
	KUNIT_ASSERT_NOT_NULL(test, pg);
	rd.n = 0;
	nr_read = 0;
	blk_for_each(read_one_block, pg);
	deadline = clock_ns() + 2000000000ULL;
	while (nr_read < rd.n && clock_ns() < deadline)
		arch_cpu_relax();
	KUNIT_EXPECT_EQ(test, nr_read, rd.n);
	while (nr_read < rd.n)		/* reap them before pg goes */
		blk_for_each(poll_disk, NULL);
	__free_pages(pg, 0);
	pci_for_each_dev(check_virtio_vector, &t);
	if (!t.n)
		kunit_skip(test, "no virtio PCI device with MSI-X");
	/* Two disks on two CPUs: their vectors were spread. */
	if (t.n >= 2 && gic_v3_its_nr_cpus() >= 2)
		KUNIT_EXPECT_NE(test, t.cpus & (t.cpus - 1), 0U);
}

static struct kunit_case arm64_its_cases[] = {
	KUNIT_CASE(lpis_spread_over_online_cpus),
	KUNIT_CASE(msix_taken_on_the_target_cpu),
	{}
};

static struct kunit_suite arm64_its_suite = {
	.name = "arm64_its",
	.test_cases = arm64_its_cases,
};
kunit_test_suite(arm64_its_suite);
