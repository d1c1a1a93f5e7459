/*
 * tests/kernel/arm_smmu_v3_test.c - the SMMUv3 driver on QEMU virt's
 * emulated SMMU (`-M virt,iommu=smmuv3`; tools/run-tests
 * arm64-virt-smmuv3-virtio-blk). Every case skips without an SMMU -
 * unless the configuration promises one: kunit.expect=smmu.ril:B (QEMU
 * 7.2's SMMUv3 sets IDR3.RIL, so B is 1 there). Then a missing SMMU
 * fails every case, IDR3.RIL must be B, and the invalidation counts the
 * cases expect follow B (or, without it, the register), never the
 * driver's own detection.
 *
 *  - the unit is found in the device tree and enabled (CR0/CR0ACK);
 *  - the domain ops on a domain no stream points at: map, iova_to_phys,
 *    unmap, and the invalidation counters (TLBI_NH_VA + CMD_SYNC per
 *    strict unmap, TLBI_NH_ASID for a flush);
 *  - the PCI devices were attached through iommu-map (virtio-blk's DMA
 *    goes through its own domain);
 *  - DMA isolation with QEMU's "edu" device (`-device edu`, which does DMA
 *    when told: BAR0 0x80 source, 0x88 destination, 0x90 count, 0x98
 *    command): a write through a live mapping lands (the control), the
 *    same write to the IOVA after a strict unmap is stopped, the event
 *    queue reports F_TRANSLATION with edu's stream ID and the address, and
 *    the page is unchanged.
 */
#include "tests/kernel/edu.h"
#include "tests/kernel/iommu_bench.h"
#include "tests/kernel/iommu_case.h"
#include "drivers/iommu/arm-smmu-v3.h"
#include "drivers/pci/pci.h"
#include "kernel/kunit.h"
#include "kernel/lib/string.h"
#include "kernel/time.h"
#include "mm/page_alloc.h"
#include <arch/cpu.h>
#include <arch/mmio.h>

/*
 * The SMMU the case runs on, or NULL: then the case has been marked
 * skipped (none, none promised) or failed (promised by smmu.* but the
 * driver found none) and must return.
 */
static struct smmu_device *smmu_for(struct kunit *test)
{
	struct smmu_device *s = arm_smmu_v3_device();

	if (s)
		return s;
	if (kunit_expectation("smmu.ril"))
		KUNIT_FAIL(test, "the configuration promises an SMMUv3 (kunit.expect=smmu.ril), the driver found none");
	else
		kunit_do_skip(test, "no SMMUv3 (run with -M virt,iommu=smmuv3)");
	return NULL;
}

/* Does the SMMU do range invalidation? The configuration says, or IDR3. */
static bool smmu_has_ril(struct smmu_device *s)
{
	uint64_t want;

	if (kunit_expectation_u64("smmu.ril", &want))
		return want != 0;
	return readl((char *)s->regs + SMMU_IDR3) & IDR3_RIL;
}


static void unit_found_and_enabled(struct kunit *test)
{
	struct smmu_device *s = smmu_for(test);
	uint32_t on = CR0_SMMUEN | CR0_EVENTQEN | CR0_CMDQEN;
	uint32_t idr3;

	if (!s)
		return;
	/* the hardware as promised, and the driver read it right */
	idr3 = readl((char *)s->regs + SMMU_IDR3);
	KUNIT_EXPECT_EQ(test, !!(idr3 & IDR3_RIL), smmu_has_ril(s));
	KUNIT_EXPECT_EQ(test, s->feat.range_inval, !!(idr3 & IDR3_RIL));
	KUNIT_EXPECT_TRUE(test, s->enabled);
	KUNIT_EXPECT_EQ(test, readl((char *)s->regs + SMMU_CR0) & on, on);
	KUNIT_EXPECT_EQ(test, readl((char *)s->regs + SMMU_CR0ACK) & on, on);
	KUNIT_EXPECT_NOT_NULL(test, s->strtab);
	KUNIT_EXPECT_TRUE(test, s->feat.s1);
	KUNIT_EXPECT_EQ(test, s->levels, 3u);
	kunit_info(test, "smmu at %#llx: IDR0 %#x IDR1 %#x IDR5 %#x, %u-bit SIDs, "
		   "%u-bit OAS, eventq %s", (unsigned long long)s->fdt.base,
		   s->idr0, s->idr1, s->idr5, s->feat.sid_bits,
		   s->feat.oas_bits, s->eventq_irq ? "interrupt requested" : "polled");
}

static void domain_ops_and_invalidation(struct kunit *test)
{
	struct smmu_device *s = smmu_for(test);
	static struct iommu_case c;
	unsigned long va, asid, syncs;
	struct iommu_domain *d;
	struct device *dev = &c.dev;
	dma_addr_t h;
	void *buf;
	bool ril;

	if (!s)
		return;
	ril = smmu_has_ril(s);
	/* a domain of its own that no device can reach (iommu_case.h) */
	if (!iommu_case_begin(test, &c, "smmu-test", arm_smmu_domain_alloc(s),
			      arm_smmu_domain_free))
		return;
	d = c.d;
	buf = c.buf;

	KUNIT_EXPECT_EQ(test, d->ops->map(d, 0x100000, virt_to_phys(buf),
					  PAGE_SIZE, IOMMU_READ | IOMMU_WRITE), 0);
	KUNIT_EXPECT_EQ(test, d->ops->iova_to_phys(d, 0x100123),
			virt_to_phys(buf) + 0x123);
	va = s->nr_tlbi_va;
	syncs = s->nr_syncs;
	KUNIT_EXPECT_EQ(test, d->ops->unmap(d, 0x100000, PAGE_SIZE),
			(size_t)PAGE_SIZE);
	d->ops->iotlb_sync(d, 0x100000, PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, d->ops->iova_to_phys(d, 0x100123), (phys_addr_t)0);
	KUNIT_EXPECT_EQ(test, s->nr_tlbi_va, va + 1);
	KUNIT_EXPECT_EQ(test, s->nr_syncs, syncs + 1);

	/* strict through the DMA API: unmap = TLBI_NH_VA + CMD_SYNC */
	iommu_set_dma_strict(d, true);
	h = dma_map_single(dev, buf, 512, DMA_TO_DEVICE);
	KUNIT_ASSERT_FALSE(test, dma_mapping_error(dev, h));
	KUNIT_EXPECT_EQ(test, d->ops->iova_to_phys(d, h), virt_to_phys(buf));
	va = s->nr_tlbi_va;
	dma_unmap_single(dev, h, 512, DMA_TO_DEVICE);
	KUNIT_EXPECT_EQ(test, d->ops->iova_to_phys(d, h), (phys_addr_t)0);
	KUNIT_EXPECT_GT(test, s->nr_tlbi_va, va);

	/* 16 pages: one range command when the SMMU has them, 16 if not
	 * (what the SMMU has: the configuration's word, else IDR3) */
	KUNIT_EXPECT_EQ(test, d->ops->map(d, 0x200000, virt_to_phys(buf) & ~0xfffffULL,
					  16 * PAGE_SIZE, IOMMU_READ), 0);
	KUNIT_EXPECT_EQ(test, d->ops->unmap(d, 0x200000, 16 * PAGE_SIZE),
			(size_t)(16 * PAGE_SIZE));
	va = s->nr_tlbi_va;
	d->ops->iotlb_sync(d, 0x200000, 16 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, s->nr_tlbi_va, va + (ril ? 1 : 16));
	KUNIT_EXPECT_EQ(test, d->ops->iova_to_phys(d, 0x20f000), (phys_addr_t)0);
	kunit_info(test, "16-page strict invalidation: %lu TLBI_NH_VA (the SMMU %s range invalidation)",
		   s->nr_tlbi_va - va, ril ? "has" : "lacks");

	/* lazy: nothing at unmap, TLBI_NH_ASID at the flush */
	iommu_set_dma_strict(d, false);
	h = dma_map_single(dev, buf, 512, DMA_FROM_DEVICE);
	KUNIT_ASSERT_FALSE(test, dma_mapping_error(dev, h));
	va = s->nr_tlbi_va;
	asid = s->nr_tlbi_asid;
	dma_unmap_single(dev, h, 512, DMA_FROM_DEVICE);
	KUNIT_EXPECT_EQ(test, s->nr_tlbi_va, va);
	iova_flush_queue_flush(&d->iovad);
	KUNIT_EXPECT_GT(test, s->nr_tlbi_asid, asid);
	iommu_set_dma_strict(d, true);

	iommu_case_end(&c);
	KUNIT_EXPECT_NULL(test, c.dev.domain);
}

struct find_attached {
	unsigned int n, virtio;
	unsigned long virtio_maps;
};

static void count_attached(struct pci_dev *pdev, void *arg)
{
	struct find_attached *fa = arg;

	if (pdev->dev.domain && !strcmp(pdev->dev.domain->driver, "arm-smmu-v3")) {
		fa->n++;
		if (pdev->vendor == 0x1af4 && pdev->driver) {
			fa->virtio++;
			struct iommu_dma_stats st;

			iommu_dma_get_stats(pdev->dev.domain, &st);
			fa->virtio_maps += st.maps;
		}
	}
}

static void pci_devices_attached(struct kunit *test)
{
	struct smmu_device *s = smmu_for(test);
	struct find_attached fa = { 0, 0, 0 };

	if (!s)
		return;
	pci_for_each_dev(count_attached, &fa);
	KUNIT_EXPECT_GT(test, fa.n, 0u);
	/* a bound virtio device mapped its rings through its domain */
	if (fa.virtio)
		KUNIT_EXPECT_GT(test, fa.virtio_maps, 0UL);
	kunit_info(test, "%u PCI devices behind the SMMU, %u of them virtio "
		   "with a driver (%lu IOMMU maps so far)", fa.n, fa.virtio,
		   fa.virtio_maps);
}

/* How the isolation cases (edu.h) see the SMMU's events. */
static unsigned long smmu_events(void *unit)
{
	return ((struct smmu_device *)unit)->nr_events;
}

static void smmu_drain(void *unit)
{
	arm_smmu_process_events(unit);
}

static void edu_dma_isolation(struct kunit *test)
{
	struct smmu_device *s = smmu_for(test);
	struct edu_iommu ops;
	unsigned long irqs;
	struct edu_case c;
	dma_addr_t hd;

	if (!s)
		return;
	ops = (struct edu_iommu){ s, smmu_events, smmu_drain, s->eventq_irq };
	if (!edu_begin(test, &c))
		return;
	arm_smmu_process_events(s);		/* start from an empty queue */
	hd = edu_stale_iova(test, &c, 0xc0);	/* steps 1 and 2 (edu.h) */
	if (!hd) {
		edu_end(&c);
		return;
	}

	/* 3. the same write to the stale IOVA after the strict unmap */
	irqs = s->nr_event_irqs;
	if (!edu_expect_blocked(test, &c, hd, &ops)) {
		edu_end(&c);
		return;
	}
	/* The fault was signalled, not only found by polling the queue. */
	if (s->eventq_irq)
		KUNIT_EXPECT_GT(test, s->nr_event_irqs, irqs);
	KUNIT_EXPECT_EQ(test, s->last_event.id, EVT_F_TRANSLATION);
	KUNIT_EXPECT_EQ(test, s->last_event.sid, (uint32_t)pci_source_id(c.pdev));
	KUNIT_EXPECT_EQ(test, s->last_event.addr & ~0xfffULL, hd & ~0xfffULL);
	KUNIT_EXPECT_FALSE(test, s->last_event.read);
	kunit_info(test, "blocked: edu %s write to stale IOVA %#llx: %s, %lu event interrupts",
		   c.pdev->name, (unsigned long long)hd,
		   smmu_event_name(s->last_event.id), s->nr_event_irqs);
	edu_end(&c);
}

/*
 * The lazy window on the emulated SMMU: after a lazy unmap the table entry
 * is gone but the SMMU's TLB may still hold it, so edu's write may still
 * land (reported, not required); after the flush queue's TLBI_NH_ASID the
 * same write must be stopped. This is what iommu.strict=1 buys.
 */
static void edu_lazy_window(struct kunit *test)
{
	struct smmu_device *s = smmu_for(test);
	struct edu_iommu ops;

	if (!s)
		return;
	ops = (struct edu_iommu){ s, smmu_events, smmu_drain, s->eventq_irq };
	edu_lazy_window_case(test, &ops);
	KUNIT_EXPECT_EQ(test, s->last_event.id, EVT_F_TRANSLATION);
}

/*
 * Not a check but a figure (docs/benchmarks.md, "DMA mapping in the
 * kernel, per policy"): ns per dma_map_single + dma_unmap_single of one
 * page through the SMMU, both policies, and the pieces of such a pair.
 */
#define BENCH_ROUNDS	2000

static void map_unmap_cost(struct kunit *test)
{
	struct smmu_device *s = smmu_for(test);
	static struct iommu_case c;

	if (!s)
		return;
	if (!iommu_case_begin(test, &c, "smmu-bench", arm_smmu_domain_alloc(s),
			      arm_smmu_domain_free))
		return;
	for (int strict = 1; strict >= 0; strict--) {
		unsigned long syncs = s->nr_syncs;
		uint64_t ns;

		iommu_set_dma_strict(c.d, strict);
		ns = iommu_bench_pair(c.d, &c.dev, c.buf, BENCH_ROUNDS);
		kunit_info(test, "bench: smmu dma_map_single+dma_unmap_single %s: %llu ns (%lu CMD_SYNCs for %d pairs)",
			   strict ? "strict" : "lazy", (unsigned long long)ns,
			   s->nr_syncs - syncs, (IOMMU_BENCH_RUNS + 1) * BENCH_ROUNDS);
	}
	iommu_set_dma_strict(c.d, true);
	iommu_bench_pieces(test, "smmu", c.d, &c.dev, c.buf, BENCH_ROUNDS);
	iommu_case_end(&c);
}

static struct kunit_case arm_smmu_v3_hw_cases[] = {
	KUNIT_CASE(unit_found_and_enabled),
	KUNIT_CASE(domain_ops_and_invalidation),
	KUNIT_CASE(pci_devices_attached),
	KUNIT_CASE(edu_dma_isolation),
	KUNIT_CASE(edu_lazy_window),
	KUNIT_CASE(map_unmap_cost),
	{}
};

static struct kunit_suite arm_smmu_v3_hw_suite = {
	.name = "arm_smmu_v3_hw",
	.test_cases = arm_smmu_v3_hw_cases,
};
kunit_test_suite(arm_smmu_v3_hw_suite);
