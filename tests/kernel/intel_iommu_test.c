/*
 * tests/kernel/intel_iommu_test.c - the VT-d driver on the machine's real
 * (emulated) unit: QEMU q35 with `-device intel-iommu -device edu`
 * (tools/run-tests x86_64-vtd). Every case skips without a VT-d unit, so
 * the suite is harmless everywhere else - unless the configuration
 * promises one: kunit.expect=vtd.levels:N,vtd.caching_mode:B (x86_64-vtd:
 * 3 and 0, QEMU's default aw-bits=39; x86_64-vtd-cm48: 4 and 1). Then a
 * missing unit fails every case, and the unit must be exactly that: CAP
 * advertises it, the driver chose it, and behaves so (4-level tables
 * map IOVAs above 2^39; in caching mode a map invalidates too).
 *
 *  - the unit is found through the DMAR table and translating;
 *  - map/unmap through the domain ops of a domain made for an absent
 *    device: iova_to_phys follows, and strict and lazy unmaps move the
 *    invalidation counters (page-selective + wait, domain-selective);
 *  - DMA isolation with a device that really does DMA: QEMU's "edu"
 *    (docs/specs/edu.rst: BAR0 0x80 source, 0x88 destination, 0x90
 *    count, 0x98 command: bit 0 start, bit 1 device -> RAM; its buffer at
 *    device address 0x40000; 28-bit DMA mask). The device writes a
 *    pattern into a mapped page (it must arrive: proof the device really
 *    writes, so the next step can fail); after a strict unmap the same
 *    write to the stale IOVA must be blocked, reported as a fault naming
 *    edu's source-id and the address, and the page must be unchanged.
 */
#include "tests/kernel/edu.h"
#include "tests/kernel/iommu_bench.h"
#include "tests/kernel/iommu_case.h"
#include "drivers/iommu/intel-iommu.h"
#include "drivers/pci/pci.h"
#include "kernel/kunit.h"
#include "kernel/lib/string.h"
#include "kernel/time.h"
#include "drivers/iommu/test_iommu.h"
#include "mm/page_alloc.h"
#include <arch/cpu.h>
#include <arch/mmio.h>

#define VTD_REG_CAP	0x08
#define VTD_REG_GSTS	0x1c

/* Does the configuration promise a VT-d unit (any vtd.* expectation)? */
static bool vtd_promised(void)
{
	return kunit_expectation("vtd.levels") ||
	       kunit_expectation("vtd.caching_mode");
}

/*
 * The unit the case runs on, or NULL: then the case has been marked
 * skipped (no unit, none promised) or failed (promised, not found) and
 * must return.
 */
static struct vtd_unit *vtd_unit_for(struct kunit *test)
{
	struct vtd_unit *u = intel_iommu_unit(0);

	if (u)
		return u;
	if (vtd_promised())
		KUNIT_FAIL(test, "the configuration promises a VT-d unit (kunit.expect=vtd.*), the driver found none");
	else
		kunit_do_skip(test, "no VT-d unit (run with -device intel-iommu)");
	return NULL;
}


/*
 * The unit is on and the driver's view matches the hardware's CAP
 * register and, when given, what the configuration promises.
 */
static void unit_found_and_translating(struct kunit *test)
{
	struct vtd_unit *u = vtd_unit_for(test);
	uint64_t cap, want;
	unsigned int sagaw;

	if (!u)
		return;
	cap = readq((char *)u->regs + VTD_REG_CAP);
	sagaw = (unsigned int)(cap >> 8) & 0x1f;	/* bit 1: 3-level, 2: 4-level */
	KUNIT_EXPECT_TRUE(test, u->enabled);
	KUNIT_EXPECT_TRUE(test, readl((char *)u->regs + VTD_REG_GSTS) & (1u << 31));	/* TES */
	KUNIT_EXPECT_TRUE(test, u->levels == 3 || u->levels == 4);
	KUNIT_EXPECT_TRUE(test, sagaw & (1u << (u->levels - 2)));
	KUNIT_EXPECT_EQ(test, u->agaw_bits, u->levels == 4 ? 48u : 39u);
	/* CAP.CM (bit 7) is what the driver must honour. */
	KUNIT_EXPECT_EQ(test, (unsigned int)u->caching_mode, (unsigned int)((cap >> 7) & 1));
	if (kunit_expectation_u64("vtd.levels", &want)) {
		KUNIT_EXPECT_EQ(test, (uint64_t)u->levels, want);
		KUNIT_EXPECT_TRUE(test, sagaw & (1u << (want - 2)));
	}
	if (kunit_expectation_u64("vtd.caching_mode", &want)) {
		KUNIT_EXPECT_EQ(test, (uint64_t)u->caching_mode, want);
		KUNIT_EXPECT_EQ(test, (cap >> 7) & 1, want);
	}
	KUNIT_EXPECT_NOT_NULL(test, u->root);
	kunit_info(test, "vtd0: %u-level tables, %s invalidation, caching mode %d, fault %s",
		   u->levels, u->qi ? "queued" : "register", u->caching_mode,
		   u->fault_irq ? "interrupt" : "polled");
}

static void domain_ops_and_invalidation(struct kunit *test)
{
	struct vtd_unit *u = vtd_unit_for(test);
	static struct iommu_case c;
	struct iommu_domain *d;
	struct device *dev = &c.dev;
	unsigned long psi, dsi, waits, map_flushes, cm;
	unsigned int levels;
	dma_addr_t h;
	void *buf;

	if (!u)
		return;
	/* a domain of its own that no device can reach (iommu_case.h) */
	if (!iommu_case_begin(test, &c, "vtd-test", intel_iommu_domain_alloc(u),
			      intel_iommu_domain_free))
		return;
	d = c.d;
	buf = c.buf;

	/* the domain's tables have the unit's depth */
	levels = container_of(d, struct vtd_domain, domain)->pt.levels;
	KUNIT_EXPECT_EQ(test, levels, u->levels);

	/* the ops directly; when the hardware is in caching mode (CAP.CM) a
	 * map invalidates (the unit may have cached "not present"),
	 * otherwise it must not cost one */
	cm = (readq((char *)u->regs + VTD_REG_CAP) >> 7) & 1;
	map_flushes = u->nr_map_flushes;
	psi = u->nr_iotlb_psi;
	KUNIT_EXPECT_EQ(test, d->ops->map(d, 0x100000, virt_to_phys(buf), PAGE_SIZE,
					  IOMMU_READ | IOMMU_WRITE), 0);
	KUNIT_EXPECT_EQ(test, d->ops->iova_to_phys(d, 0x100123),
			virt_to_phys(buf) + 0x123);
	KUNIT_EXPECT_EQ(test, u->nr_map_flushes, map_flushes + cm);
	KUNIT_EXPECT_EQ(test, u->nr_iotlb_psi, psi + cm);

	/* 4 levels reach IOVAs above 2^39; 3 levels must refuse them */
	if (levels == 4) {
		KUNIT_EXPECT_EQ(test, d->ops->map(d, 1UL << 40, virt_to_phys(buf),
						  PAGE_SIZE, IOMMU_READ), 0);
		KUNIT_EXPECT_EQ(test, d->ops->iova_to_phys(d, (1UL << 40) + 0x45),
				virt_to_phys(buf) + 0x45);
		KUNIT_EXPECT_EQ(test, d->ops->unmap(d, 1UL << 40, PAGE_SIZE), (size_t)PAGE_SIZE);
		d->ops->iotlb_sync(d, 1UL << 40, PAGE_SIZE);
	} else {
		KUNIT_EXPECT_NE(test, d->ops->map(d, 1UL << 40, virt_to_phys(buf),
						  PAGE_SIZE, IOMMU_READ), 0);
	}
	psi = u->nr_iotlb_psi;
	waits = u->nr_waits;
	KUNIT_EXPECT_EQ(test, d->ops->unmap(d, 0x100000, PAGE_SIZE), (size_t)PAGE_SIZE);
	d->ops->iotlb_sync(d, 0x100000, PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, d->ops->iova_to_phys(d, 0x100123), (phys_addr_t)0);
	KUNIT_EXPECT_EQ(test, u->nr_iotlb_psi, psi + 1);
	if (u->qi)
		KUNIT_EXPECT_EQ(test, u->nr_waits, waits + 1);

	/* through the DMA API, strict: unmap = page-selective + wait */
	iommu_set_dma_strict(d, true);
	h = dma_map_single(dev, buf, 512, DMA_TO_DEVICE);
	KUNIT_ASSERT_FALSE(test, dma_mapping_error(dev, h));
	KUNIT_EXPECT_EQ(test, d->ops->iova_to_phys(d, h), virt_to_phys(buf));
	psi = u->nr_iotlb_psi;
	dma_unmap_single(dev, h, 512, DMA_TO_DEVICE);
	KUNIT_EXPECT_EQ(test, d->ops->iova_to_phys(d, h), (phys_addr_t)0);
	KUNIT_EXPECT_GT(test, u->nr_iotlb_psi, psi);

	/* lazy: no invalidation at unmap, one domain-selective at the flush */
	iommu_set_dma_strict(d, false);
	h = dma_map_single(dev, buf, 512, DMA_FROM_DEVICE);
	KUNIT_ASSERT_FALSE(test, dma_mapping_error(dev, h));
	psi = u->nr_iotlb_psi;
	dsi = u->nr_iotlb_dsi;
	dma_unmap_single(dev, h, 512, DMA_FROM_DEVICE);
	KUNIT_EXPECT_EQ(test, u->nr_iotlb_psi, psi);
	iova_flush_queue_flush(&d->iovad);
	KUNIT_EXPECT_GT(test, u->nr_iotlb_dsi, dsi);
	iommu_set_dma_strict(d, true);

	iommu_case_end(&c);
	KUNIT_EXPECT_NULL(test, c.dev.domain);
}

/* How the isolation cases (edu.h) see a VT-d unit's faults. */
static unsigned long vtd_faults(void *unit)
{
	return ((struct vtd_unit *)unit)->nr_faults;
}

static void vtd_drain(void *unit)
{
	intel_iommu_process_faults(unit);
}

static void edu_dma_isolation(struct kunit *test)
{
	struct vtd_unit *u = vtd_unit_for(test);
	struct edu_iommu ops;
	unsigned long irqs;
	struct edu_case c;
	dma_addr_t hd;

	if (!u)
		return;
	ops = (struct edu_iommu){ u, vtd_faults, vtd_drain, u->fault_irq != 0 };
	if (!edu_begin(test, &c))
		return;
	hd = edu_stale_iova(test, &c, 0xa0);	/* steps 1 and 2 (edu.h) */
	if (!hd) {
		edu_end(&c);
		return;
	}

	/* 3. the same write to the stale IOVA after a strict unmap */
	irqs = u->nr_fault_irqs;
	if (!edu_expect_blocked(test, &c, hd, &ops)) {
		edu_end(&c);
		return;
	}
	KUNIT_EXPECT_EQ(test, u->last_fault_sid, pci_source_id(c.pdev));
	KUNIT_EXPECT_EQ(test, u->last_fault_addr, hd & ~0xfffULL);
	KUNIT_EXPECT_TRUE(test, u->last_fault_write);
	KUNIT_EXPECT_EQ(test, u->last_fault_reason, 5);	/* write not allowed */
	if (u->fault_irq)
		KUNIT_EXPECT_GT(test, u->nr_fault_irqs, irqs);
	kunit_info(test, "blocked: edu %s write to stale IOVA %#llx, reason %u (%s)",
		   c.pdev->name, (unsigned long long)hd, u->last_fault_reason,
		   vtd_fault_reason_str(u->last_fault_reason));
	edu_end(&c);
}

/*
 * The lazy window, on the emulated unit: after a lazy unmap the entry is
 * gone from the table but the IOTLB may still hold it, so the device may
 * still write (QEMU's IOTLB does keep it: the write usually lands, and
 * the case says so). After the flush queue's invalidation the same write
 * must be blocked. This is what iommu.strict=1 buys.
 */
static void edu_lazy_window(struct kunit *test)
{
	struct vtd_unit *u = vtd_unit_for(test);
	struct edu_iommu ops;

	if (!u)
		return;
	ops = (struct edu_iommu){ u, vtd_faults, vtd_drain, u->fault_irq != 0 };
	edu_lazy_window_case(test, &ops);
}

/*
 * Not a check but a figure (docs/drivers/intel-vtd.md "Measured"): ns per
 * dma_map_single + dma_unmap_single of one page through VT-d, strict
 * (a page-selective invalidation and a wait per unmap) and lazy (batched
 * domain-selective invalidations from the flush queue).
 */
#define BENCH_ROUNDS	2000

static void map_unmap_cost(struct kunit *test)
{
	struct vtd_unit *u = vtd_unit_for(test);
	static struct iommu_case c;
	uint64_t ns[2];

	if (!u)
		return;
	if (!iommu_case_begin(test, &c, "vtd-bench", intel_iommu_domain_alloc(u),
			      intel_iommu_domain_free))
		return;
	for (int strict = 1; strict >= 0; strict--) {
		unsigned long waits = u->nr_waits;

		iommu_set_dma_strict(c.d, strict);
		ns[strict] = iommu_bench_pair(c.d, &c.dev, c.buf, BENCH_ROUNDS);
		kunit_info(test, "bench: vtd dma_map_single+dma_unmap_single %s: %llu ns (%lu invalidation waits for %d pairs)",
			   strict ? "strict" : "lazy", (unsigned long long)ns[strict],
			   u->nr_waits - waits, (IOMMU_BENCH_RUNS + 1) * BENCH_ROUNDS);
	}
	iommu_set_dma_strict(c.d, true);
	iommu_bench_pieces(test, "vtd", c.d, &c.dev, c.buf, BENCH_ROUNDS);
	iommu_case_end(&c);

	/* The same loop over the software IOMMU (drivers/iommu/test_iommu.c): what the
	 * generic DMA-API path costs here without any hardware. */
	if (!iommu_case_begin(test, &c, "vtd-bench", test_iommu_domain_alloc(NULL, 39),
			      test_iommu_domain_free))
		return;
	for (int strict = 1; strict >= 0; strict--) {
		iommu_set_dma_strict(c.d, strict);
		kunit_info(test, "bench: software test IOMMU, same loop, %s: %llu ns",
			   strict ? "strict" : "lazy",
			   (unsigned long long)iommu_bench_pair(c.d, &c.dev, c.buf,
								BENCH_ROUNDS));
	}
	iommu_set_dma_strict(c.d, true);
	iommu_bench_pieces(test, "software", c.d, &c.dev, c.buf, BENCH_ROUNDS);
	iommu_case_end(&c);
}

static struct kunit_case intel_vtd_cases[] = {
	KUNIT_CASE(unit_found_and_translating),
	KUNIT_CASE(domain_ops_and_invalidation),
	KUNIT_CASE(edu_dma_isolation),
	KUNIT_CASE(edu_lazy_window),
	KUNIT_CASE(map_unmap_cost),
	{}
};

static struct kunit_suite intel_vtd_suite = {
	.name = "intel_vtd",
	.test_cases = intel_vtd_cases,
};
kunit_test_suite(intel_vtd_suite);
