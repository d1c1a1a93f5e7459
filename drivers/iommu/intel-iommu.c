/*
 * drivers/iommu/intel-iommu.c - VT-d hardware: registers, root and context
 * tables, invalidation, faults, and the iommu_domain ops (contract:
 * intel-iommu.h, mm/dma-iommu.h; walkthrough: docs/drivers/intel-vtd.md).
 * Register offsets and bits are the VT-d specification's, chapter 11.
 */
#include "drivers/iommu/intel-iommu.h"
#include "drivers/acpi/acpi.h"
#include "kernel/cmdline.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vsprintf.h"
#include "kernel/printk.h"
#include "mm/kmalloc.h"
#include "mm/page_alloc.h"
#include <arch/cpu.h>
#include <arch/irq.h>
#include <arch/machine.h>
#include <arch/mmio.h>

/* Registers (VT-d 11.4). */
#define REG_VER		0x00
#define REG_CAP		0x08
#define REG_ECAP	0x10
#define REG_GCMD	0x18
#define REG_GSTS	0x1c
#define REG_RTADDR	0x20
#define REG_CCMD	0x28
#define REG_FSTS	0x34
#define REG_FECTL	0x38
#define REG_FEDATA	0x3c
#define REG_FEADDR	0x40
#define REG_FEUADDR	0x44
#define REG_IQH		0x80
#define REG_IQT		0x88
#define REG_IQA		0x90

/* CAP */
#define CAP_CM(c)	(((c) >> 7) & 1)
#define CAP_SAGAW(c)	(((c) >> 8) & 0x1f)
#define CAP_MGAW(c)	((unsigned int)(((c) >> 16) & 0x3f) + 1)
#define CAP_FRO(c)	((unsigned int)(((c) >> 24) & 0x3ff) * 16)
#define CAP_SLLPS(c)	(((c) >> 34) & 0xf)
#define CAP_PSI(c)	(((c) >> 39) & 1)
#define CAP_NFR(c)	((unsigned int)(((c) >> 40) & 0xff) + 1)
#define CAP_MAMV(c)	((unsigned int)(((c) >> 48) & 0x3f))
#define CAP_RWBF(c)	(((c) >> 4) & 1)
/* ECAP */
#define ECAP_C(e)	((e) & 1)
#define ECAP_QI(e)	(((e) >> 1) & 1)
#define ECAP_IRO(e)	((unsigned int)(((e) >> 8) & 0x3ff) * 16)
/* GCMD / GSTS */
#define GCMD_TE		(1u << 31)
#define GCMD_SRTP	(1u << 30)
#define GCMD_WBF	(1u << 27)
#define GCMD_QIE	(1u << 26)
#define GSTS_ONESHOT	0x96ffffffu	/* clears SRTP, SFL, WBF, SIRTP */
/* CCMD */
#define CCMD_ICC	(1ULL << 63)
#define CCMD_GLOBAL	(1ULL << 61)
#define CCMD_DEVICE	(3ULL << 61)
/* IOTLB register (at ECAP.IRO + 8) */
#define IOTLB_IVT	(1ULL << 63)
#define IOTLB_GLOBAL	(1ULL << 60)
#define IOTLB_DSI	(2ULL << 60)
#define IOTLB_PSI	(3ULL << 60)
#define IOTLB_DR	(1ULL << 49)
#define IOTLB_DW	(1ULL << 48)
/* FSTS / FECTL / fault records */
#define FSTS_PFO	(1u << 0)
#define FSTS_PPF	(1u << 1)
#define FSTS_IQE	(1u << 4)
#define FECTL_IM	(1u << 31)
#define FRCD_F		(1ULL << 63)
#define FRCD_T_READ	(1ULL << 62)
/* Queued invalidation descriptors (VT-d 6.5.2) */
#define QI_CC		0x1
#define QI_IOTLB	0x2
#define QI_WAIT		0x5
#define QI_G_GLOBAL	(1ULL << 4)
#define QI_G_DOMAIN	(2ULL << 4)
#define QI_G_DEVICE	(3ULL << 4)	/* context cache; IOTLB: page */
#define QI_IOTLB_DR	(1ULL << 7)
#define QI_IOTLB_DW	(1ULL << 6)
#define QI_WAIT_SW	(1ULL << 5)
#define QI_WAIT_FN	(1ULL << 6)
#define QI_ENTRIES	256		/* one page of 16-byte descriptors */

#define TIMEOUT_NS	1000000000ULL

static struct dmar_info dmar;
static struct vtd_unit units[DMAR_MAX_UNITS];
static unsigned int nr_units;
static uint64_t rsdp_phys;
static bool use_qi = true;

static int set_qi(const char *v)
{
	if (!v || (strcmp(v, "0") && strcmp(v, "1")))
		return -1;
	use_qi = v[0] == '1';
	return 0;
}
KERNEL_PARAM("intel_iommu.qi", set_qi,
	     "1|0: use queued invalidation where the unit has it (1), or the registers (0)");

const void *vtd_map_phys(uint64_t phys, uint64_t len)
{
	return ioremap(phys, len);
}

uint64_t intel_iommu_rsdp(void) { return rsdp_phys; }
unsigned int intel_iommu_nr_units(void) { return nr_units; }

struct vtd_unit *intel_iommu_unit(unsigned int i)
{
	return i < nr_units ? &units[i] : NULL;
}

static uint32_t rd32(struct vtd_unit *u, unsigned int off)
{
	return readl((char *)u->regs + off);
}
static uint64_t rd64(struct vtd_unit *u, unsigned int off)
{
	return readq((char *)u->regs + off);
}
static void wr32(struct vtd_unit *u, unsigned int off, uint32_t v)
{
	writel(v, (char *)u->regs + off);
}
static void wr64(struct vtd_unit *u, unsigned int off, uint64_t v)
{
	writeq(v, (char *)u->regs + off);
}

/* Spin until (read(off) & mask) == want, at most a second; false on timeout. */
static bool wait_reg32(struct vtd_unit *u, unsigned int off, uint32_t mask,
		       uint32_t want)
{
	uint64_t start = arch_clock_ns();

	for (unsigned long n = 0; (rd32(u, off) & mask) != want; n++) {
		if (arch_clock_ns() - start > TIMEOUT_NS && n > 1000) {
			pr_err("vtd%u: register %#x stuck at %#x (waiting for %#x under %#x)\n",
			       u->index, off, rd32(u, off), want, mask);
			return false;
		}
		arch_cpu_relax();
	}
	return true;
}

static bool wait_reg64_clear(struct vtd_unit *u, unsigned int off, uint64_t bit)
{
	uint64_t start = arch_clock_ns();

	for (unsigned long n = 0; rd64(u, off) & bit; n++) {
		if (arch_clock_ns() - start > TIMEOUT_NS && n > 1000) {
			pr_err("vtd%u: register %#x bit %#llx never cleared\n",
			       u->index, off, (unsigned long long)bit);
			return false;
		}
		arch_cpu_relax();
	}
	return true;
}

/*
 * Global command: GCMD bits are commands, GSTS reports the state. To
 * change one, write the persistent status bits back with that one
 * changed, then wait for GSTS to follow (VT-d 11.4.4).
 */
static bool gcmd(struct vtd_unit *u, uint32_t bit, bool on)
{
	uint32_t sts = rd32(u, REG_GSTS) & GSTS_ONESHOT;

	wr32(u, REG_GCMD, on ? (sts | bit) : (sts & ~bit));
	return wait_reg32(u, REG_GSTS, bit, on ? bit : 0);
}

/* ------------------------------------------------------------ invalidation */

/* Queue one descriptor (lock held; the queue is drained after every batch). */
static void qi_push(struct vtd_unit *u, uint64_t lo, uint64_t hi)
{
	uint64_t *d = &u->iq[u->iq_tail * 2];

	d[0] = lo;
	d[1] = hi;
	u->iq_tail = (u->iq_tail + 1) % QI_ENTRIES;
}

/*
 * Close a batch with a wait descriptor that makes the unit write a new
 * sequence number to iq_status once everything before it is done, move
 * the tail, and spin until the number arrives (lock held).
 */
static void qi_submit_wait(struct vtd_unit *u)
{
	uint32_t seq = ++u->iq_seq;
	uint64_t start = 0;

	qi_push(u, QI_WAIT | QI_WAIT_SW | QI_WAIT_FN | (uint64_t)seq << 32,
		virt_to_phys((void *)u->iq_status));
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	wr64(u, REG_IQT, (uint64_t)u->iq_tail << 4);
	u->nr_waits++;
	/* The clock is read only if the answer is not there at once (QEMU
	 * completes the batch within the IQT write). */
	for (unsigned long n = 0; *u->iq_status != seq; n++) {
		if (!start)
			start = arch_clock_ns();
		uint32_t fsts = rd32(u, REG_FSTS);

		if (fsts & FSTS_IQE) {
			pr_err("vtd%u: invalidation queue error at head %#llx\n",
			       u->index, (unsigned long long)rd64(u, REG_IQH));
			wr32(u, REG_FSTS, FSTS_IQE);
			return;
		}
		if (arch_clock_ns() - start > TIMEOUT_NS && n > 1000) {
			pr_err("vtd%u: invalidation wait %u never completed\n",
			       u->index, seq);
			return;
		}
		arch_cpu_relax();
	}
}

/* Context cache: every entry (sid < 0) or one device's (lock held). */
static void flush_context(struct vtd_unit *u, uint16_t did, int sid)
{
	u->nr_ctx_inv++;
	if (u->qi) {
		qi_push(u, QI_CC | (sid < 0 ? QI_G_GLOBAL : QI_G_DEVICE) |
			   (uint64_t)did << 16 | (uint64_t)(sid < 0 ? 0 : sid) << 32, 0);
		qi_submit_wait(u);
		return;
	}
	wr64(u, REG_CCMD, CCMD_ICC | (sid < 0 ? CCMD_GLOBAL :
		CCMD_DEVICE | (uint64_t)sid << 16 | did));
	wait_reg64_clear(u, REG_CCMD, CCMD_ICC);
}

/* IOTLB, register interface: one invalidation (lock held). */
static void iotlb_reg(struct vtd_unit *u, uint64_t gran, uint16_t did,
		      uint64_t addr, unsigned int am)
{
	unsigned int iro = ECAP_IRO(u->ecap);

	if (gran == IOTLB_PSI)
		wr64(u, iro, addr | am);
	wr64(u, iro + 8, IOTLB_IVT | gran | IOTLB_DR | IOTLB_DW |
		 (gran == IOTLB_GLOBAL ? 0 : (uint64_t)did << 32));
	wait_reg64_clear(u, iro + 8, IOTLB_IVT);
}

static void flush_iotlb_global(struct vtd_unit *u)
{
	u->nr_iotlb_global++;
	if (u->qi) {
		qi_push(u, QI_IOTLB | QI_G_GLOBAL | QI_IOTLB_DR | QI_IOTLB_DW, 0);
		qi_submit_wait(u);
	} else {
		iotlb_reg(u, IOTLB_GLOBAL, 0, 0, 0);
	}
}

static void flush_iotlb_domain(struct vtd_unit *u, uint16_t did)
{
	u->nr_iotlb_dsi++;
	if (u->qi) {
		qi_push(u, QI_IOTLB | QI_G_DOMAIN | QI_IOTLB_DR | QI_IOTLB_DW |
			   (uint64_t)did << 16, 0);
		qi_submit_wait(u);
	} else {
		iotlb_reg(u, IOTLB_DSI, did, 0, 0);
	}
}

/*
 * Invalidate [iova, iova + size) of domain did and wait: page-selective
 * invalidations of naturally aligned power-of-two blocks (at most
 * 2^MAMV pages each), queued together behind one wait descriptor; a
 * domain-selective one if the unit has no PSI or the range needs more
 * than 8 blocks.
 */
static void flush_iotlb_range(struct vtd_unit *u, uint16_t did,
			      unsigned long iova, size_t size)
{
	unsigned long pfn = iova >> 12, end = (iova + size + PAGE_SIZE - 1) >> 12;
	unsigned int mamv = CAP_MAMV(u->cap), nblocks = 0;
	struct { unsigned long pfn; unsigned int am; } blk[8];

	if (!CAP_PSI(u->cap))
		goto domain;
	while (pfn < end) {
		unsigned int am = 0;

		while (am < mamv && !(pfn & ((2UL << am) - 1)) &&
		       pfn + (2UL << am) <= end)
			am++;
		if (nblocks == ARRAY_SIZE(blk))
			goto domain;
		blk[nblocks].pfn = pfn;
		blk[nblocks++].am = am;
		pfn += 1UL << am;
	}
	for (unsigned int i = 0; i < nblocks; i++) {
		u->nr_iotlb_psi++;
		if (u->qi)
			qi_push(u, QI_IOTLB | QI_G_DEVICE | QI_IOTLB_DR |
				   QI_IOTLB_DW | (uint64_t)did << 16,
				(uint64_t)blk[i].pfn << 12 | blk[i].am);
		else
			iotlb_reg(u, IOTLB_PSI, did, (uint64_t)blk[i].pfn << 12,
				  blk[i].am);
	}
	if (u->qi)
		qi_submit_wait(u);
	return;
domain:
	flush_iotlb_domain(u, did);
}

/* ------------------------------------------------------------ domain ops */

static struct vtd_domain *to_vtd(struct iommu_domain *d)
{
	return container_of(d, struct vtd_domain, domain);
}

static int vtd_map(struct iommu_domain *d, unsigned long iova,
		   phys_addr_t paddr, size_t size, int prot)
{
	struct vtd_domain *v = to_vtd(d);
	unsigned long flags;
	int ret;

	spin_lock_irqsave(&v->lock, flags);
	ret = io_pgtable_map(&v->pt, iova, paddr, size, prot);
	spin_unlock_irqrestore(&v->lock, flags);
	/*
	 * Caching mode: the unit (a virtual one, usually) may cache "not
	 * present", so a new mapping must be invalidated too. Without CM
	 * nothing caches absent entries and map costs no invalidation.
	 */
	if (!ret && v->unit->caching_mode) {
		spin_lock_irqsave(&v->unit->lock, flags);
		v->unit->nr_map_flushes++;
		flush_iotlb_range(v->unit, v->did, iova, size);
		spin_unlock_irqrestore(&v->unit->lock, flags);
	}
	return ret;
}

static size_t vtd_unmap(struct iommu_domain *d, unsigned long iova, size_t size)
{
	struct vtd_domain *v = to_vtd(d);
	unsigned long flags;
	size_t done;

	spin_lock_irqsave(&v->lock, flags);
	done = io_pgtable_unmap(&v->pt, iova, size);
	spin_unlock_irqrestore(&v->lock, flags);
	return done;
}

static void vtd_iotlb_sync(struct iommu_domain *d, unsigned long iova, size_t size)
{
	struct vtd_domain *v = to_vtd(d);
	unsigned long flags;

	spin_lock_irqsave(&v->unit->lock, flags);
	flush_iotlb_range(v->unit, v->did, iova, size);
	spin_unlock_irqrestore(&v->unit->lock, flags);
}

static void vtd_flush_all(struct iommu_domain *d)
{
	struct vtd_domain *v = to_vtd(d);
	unsigned long flags;

	spin_lock_irqsave(&v->unit->lock, flags);
	flush_iotlb_domain(v->unit, v->did);
	spin_unlock_irqrestore(&v->unit->lock, flags);
}

static phys_addr_t vtd_iova_to_phys(struct iommu_domain *d, unsigned long iova)
{
	struct vtd_domain *v = to_vtd(d);
	unsigned long flags;
	phys_addr_t pa;

	spin_lock_irqsave(&v->lock, flags);
	pa = io_pgtable_iova_to_phys(&v->pt, iova, NULL);
	spin_unlock_irqrestore(&v->lock, flags);
	return pa;
}

static void vtd_show(struct iommu_domain *d)
{
	struct vtd_domain *v = to_vtd(d);

	printk("    vtd%u DID %u, %u-level second-level tables: %lu table pages, "
	       "%lu x 4 KiB + %lu x 2 MiB entries, %lu superpage splits\n",
	       v->unit->index, v->did, v->pt.levels, v->pt.nr_tables,
	       v->pt.nr_pages, v->pt.nr_blocks, v->pt.nr_splits);
}

static const struct iommu_domain_ops vtd_domain_ops = {
	.map = vtd_map,
	.unmap = vtd_unmap,
	.iotlb_sync = vtd_iotlb_sync,
	.flush_iotlb_all = vtd_flush_all,
	.iova_to_phys = vtd_iova_to_phys,
	.show = vtd_show,
	/* Writes to 0xFEEx_xxxx are interrupt requests, never translated
	 * (VT-d spec, "Handling Requests to Interrupt Address Range"). */
	.msi_translated = false,
};

/* ------------------------------------------------------------ faults */

unsigned int intel_iommu_process_faults(struct vtd_unit *u)
{
	unsigned int fro = CAP_FRO(u->cap), nfr = CAP_NFR(u->cap), n = 0, i;
	unsigned long flags;
	uint32_t fsts;

	spin_lock_irqsave(&u->lock, flags);
	fsts = rd32(u, REG_FSTS);
	i = (fsts >> 8) & 0xff;
	for (unsigned int k = 0; k < nfr && (fsts & FSTS_PPF); k++, i = (i + 1) % nfr) {
		unsigned int off = fro + i * 16;
		uint64_t hi = rd64(u, off + 8), lo;
		char sid_s[8];
		struct iommu_binding *b;

		if (!(hi & FRCD_F))
			continue;
		lo = rd64(u, off);
		wr32(u, off + 12, 1u << 31);	/* F is write-1-to-clear */
		n++;
		u->nr_faults++;
		u->last_fault_sid = (uint16_t)hi;
		u->last_fault_reason = (uint8_t)(hi >> 32);
		u->last_fault_write = !(hi & FRCD_T_READ);
		u->last_fault_addr = lo & ~0xfffULL;
		vtd_format_sid(u->last_fault_sid, sid_s, sizeof(sid_s));
		b = iommu_binding_find(&u->bind, u->last_fault_sid);
		pr_err("vtd%u: DMA %s fault: device %s (%s), address %#llx, reason %u: %s\n",
		       u->index, u->last_fault_write ? "write" : "read", sid_s,
		       b ? b->dev->name : "not attached",
		       (unsigned long long)u->last_fault_addr,
		       u->last_fault_reason,
		       vtd_fault_reason_str(u->last_fault_reason));
		if (b)
			report_iommu_fault(b->dom, b->dev,
					   (unsigned long)u->last_fault_addr,
					   u->last_fault_write ? IOMMU_FAULT_WRITE
							       : IOMMU_FAULT_READ);
	}
	if (fsts & FSTS_PFO) {
		u->nr_fault_overflows++;
		pr_err("vtd%u: fault records overflowed: some faults were lost\n",
		       u->index);
		wr32(u, REG_FSTS, FSTS_PFO);
	}
	spin_unlock_irqrestore(&u->lock, flags);
	return n;
}

static void fault_interrupt(void *arg)
{
	struct vtd_unit *u = arg;

	u->nr_fault_irqs++;
	intel_iommu_process_faults(u);
}

/* ------------------------------------------------------------ attach */

struct vtd_unit *intel_iommu_unit_for(uint8_t bus, uint8_t devfn)
{
	struct vtd_unit *all = NULL;

	for (unsigned int i = 0; i < nr_units; i++) {
		const struct dmar_drhd *d = units[i].drhd;

		if (d->segment != 0)
			continue;
		for (unsigned int s = 0; s < d->nr_scopes; s++)
			if (dmar_scope_matches(&d->scopes[s], bus, devfn))
				return &units[i];
		if (d->include_all)
			all = &units[i];
	}
	return all;
}

struct vtd_unit *intel_iommu_unit_for_bridge(uint8_t bus, uint8_t devfn)
{
	for (unsigned int i = 0; i < nr_units; i++) {
		const struct dmar_drhd *d = units[i].drhd;

		for (unsigned int s = 0; d->segment == 0 && s < d->nr_scopes; s++)
			if (d->scopes[s].type == DMAR_SCOPE_BRIDGE &&
			    dmar_scope_matches(&d->scopes[s], bus, devfn))
				return &units[i];
	}
	return NULL;
}

/* Identity-map the RMRRs that name bus:devfn into v (firmware's DMA). */
static void map_rmrrs(struct vtd_domain *v, uint8_t bus, uint8_t devfn)
{
	for (unsigned int i = 0; i < dmar.nr_rmrr; i++) {
		const struct dmar_rmrr *r = &dmar.rmrr[i];
		uint64_t base = ALIGN_DOWN(r->base, PAGE_SIZE);
		uint64_t end = ALIGN_UP(r->limit + 1, PAGE_SIZE);

		for (unsigned int s = 0; s < r->nr_scopes; s++) {
			if (!dmar_scope_matches(&r->scopes[s], bus, devfn))
				continue;
			reserve_iova(&v->domain.iovad, base >> PAGE_SHIFT,
				     (end >> PAGE_SHIFT) - 1);
			if (io_pgtable_map(&v->pt, base, base, end - base,
					    IOMMU_READ | IOMMU_WRITE))
				pr_err("vtd%u: RMRR %#llx-%#llx: no memory for its "
				       "identity map\n", v->unit->index,
				       (unsigned long long)r->base,
				       (unsigned long long)r->limit);
			else
				pr_info("vtd%u: RMRR %#llx-%#llx identity-mapped for %02x:%02x.%u\n",
					v->unit->index, (unsigned long long)r->base,
					(unsigned long long)r->limit, bus,
					devfn >> 3, devfn & 7);
		}
	}
}

struct iommu_domain *intel_iommu_domain_alloc(struct vtd_unit *u)
{
	struct vtd_domain *v;
	unsigned long flags;

	if (!u || !u->enabled)
		return NULL;
	v = kzalloc(sizeof(*v), GFP_KERNEL);
	if (!v)
		return NULL;
	spin_lock_init(&v->lock, "vtd_domain");
	v->unit = u;
	if (vtd_pgtable_init(&v->pt, u->levels, CAP_SLLPS(u->cap) & 1, NULL)) {
		kfree(v);
		return NULL;
	}
	spin_lock_irqsave(&u->lock, flags);
	v->did = u->next_did;
	if (u->next_did)
		u->next_did++;		/* 16-bit IDs: 65535 domains, no reuse */
	spin_unlock_irqrestore(&u->lock, flags);
	ksnprintf(v->name, sizeof(v->name), "vtd%u:dom%u", u->index, v->did);
	if (!v->did ||
	    iommu_domain_init(&v->domain, &vtd_domain_ops, "intel-vtd", v->name,
			      PAGE_SIZE | (CAP_SLLPS(u->cap) & 1 ? (2UL << 20) : 0),
			      PAGE_SIZE, DMA_BIT_MASK(u->agaw_bits), NULL)) {
		io_pgtable_free(&v->pt);
		kfree(v);
		return NULL;
	}
	return &v->domain;
}

void intel_iommu_domain_free(struct iommu_domain *d)
{
	struct vtd_domain *v = to_vtd(d);
	unsigned long flags;

	iommu_domain_exit(d);
	spin_lock_irqsave(&v->unit->lock, flags);
	flush_iotlb_domain(v->unit, v->did);
	spin_unlock_irqrestore(&v->unit->lock, flags);
	io_pgtable_free(&v->pt);
	kfree(v);
}

struct iommu_domain *intel_iommu_attach_pci(struct device *dev, uint8_t bus,
					    uint8_t devfn)
{
	return intel_iommu_attach(intel_iommu_unit_for(bus, devfn), dev, bus, devfn);
}

struct iommu_domain *intel_iommu_attach(struct vtd_unit *u, struct device *dev,
					uint8_t bus, uint8_t devfn)
{
	uint16_t sid = (uint16_t)(bus << 8 | devfn);
	struct iommu_domain *d;
	struct vtd_domain *v;
	unsigned long flags;
	struct iommu_binding *b;

	if (!u || dev->domain || !(d = intel_iommu_domain_alloc(u)))
		return NULL;
	v = to_vtd(d);
	map_rmrrs(v, bus, devfn);

	spin_lock_irqsave(&u->lock, flags);
	if (!u->ctx[bus]) {
		struct page *pg = alloc_pages(GFP_ATOMIC | __GFP_ZERO, 0);

		if (!pg)
			goto fail_locked;
		u->ctx[bus] = page_address(pg);
		u->root[bus * 2 + 1] = 0;
		u->root[bus * 2] = virt_to_phys(u->ctx[bus]) | 1;
	}
	b = iommu_binding_add(&u->bind, sid, d, dev);
	if (!b)
		goto fail_locked;
	/* hi: address width (1: 39-bit 3-level, 2: 48-bit 4-level), DID;
	 * lo: table, translation type 0 (untranslated requests only), P. */
	u->ctx[bus][devfn * 2 + 1] = (u->levels == 4 ? 2 : 1) | (uint64_t)v->did << 8;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	u->ctx[bus][devfn * 2] = virt_to_phys(v->pt.root) | 1;
	/* Not present -> present needs no invalidation unless the unit caches
	 * not-present entries (CM); do it always, it is once per device.
	 * With CM, such an entry is tagged with domain 0 (VT-d 6.1). */
	flush_context(u, u->caching_mode ? 0 : v->did, sid);
	flush_iotlb_domain(u, v->did);
	spin_unlock_irqrestore(&u->lock, flags);

	if (iommu_attach_device(d, dev)) {
		intel_iommu_detach_pci(dev);
		return NULL;
	}
	return d;

fail_locked:
	spin_unlock_irqrestore(&u->lock, flags);
	intel_iommu_domain_free(d);
	return NULL;
}

void intel_iommu_detach_pci(struct device *dev)
{
	for (unsigned int i = 0; i < nr_units; i++) {
		struct vtd_unit *u = &units[i];

		for (int k = 0; k < IOMMU_MAX_BINDINGS; k++) {
			struct iommu_binding *b = &u->bind.b[k];
			uint16_t sid = (uint16_t)b->sid;
			struct vtd_domain *v;
			unsigned long flags;

			if (!b->dom || b->dev != dev)
				continue;
			v = to_vtd(b->dom);
			spin_lock_irqsave(&u->lock, flags);
			u->ctx[sid >> 8][(sid & 0xff) * 2] = 0;
			u->ctx[sid >> 8][(sid & 0xff) * 2 + 1] = 0;
			flush_context(u, v->did, sid);
			iommu_binding_del(b);
			spin_unlock_irqrestore(&u->lock, flags);
			iommu_detach_device(&v->domain, dev);
			intel_iommu_domain_free(&v->domain);
			return;
		}
	}
}

/* ------------------------------------------------------------ bring-up */

static void *zpage(void)
{
	struct page *pg = alloc_pages(GFP_KERNEL | __GFP_ZERO, 0);

	return pg ? page_address(pg) : NULL;
}

static int unit_init(struct vtd_unit *u, unsigned int index,
		     const struct dmar_drhd *d)
{
	unsigned int sagaw;
	uint64_t addr;
	uint32_t data;

	memset(u, 0, sizeof(*u));
	u->index = index;
	u->drhd = d;
	spin_lock_init(&u->lock, "vtd_unit");
	u->regs = ioremap(d->reg_base, d->reg_size);
	if (!u->regs)
		return -1;
	u->ver = rd32(u, REG_VER);
	u->cap = rd64(u, REG_CAP);
	u->ecap = rd64(u, REG_ECAP);
	u->caching_mode = CAP_CM(u->cap);
	u->next_did = 1;	/* 0 is reserved with caching mode */
	sagaw = (unsigned int)CAP_SAGAW(u->cap);
	if (sagaw & 4) {
		u->levels = 4;
		u->agaw_bits = 48;
	} else if (sagaw & 2) {
		u->levels = 3;
		u->agaw_bits = 39;
	} else {
		pr_err("vtd%u: SAGAW %#x offers neither 3- nor 4-level tables\n",
		       index, sagaw);
		return -1;
	}
	if (CAP_MGAW(u->cap) < u->agaw_bits)
		u->agaw_bits = CAP_MGAW(u->cap);
	if (rd32(u, REG_GSTS) & GCMD_TE) {
		pr_warn("vtd%u: translation was left on by firmware; turning it off\n",
			index);
		gcmd(u, GCMD_TE, false);
	}

	/* Root table: 256 entries, one per bus, each pointing at a context table. */
	u->root = zpage();
	if (!u->root)
		return -1;
	wr64(u, REG_RTADDR, virt_to_phys(u->root));	/* legacy mode (TTM 00) */
	if (!gcmd(u, GCMD_SRTP, true))
		return -1;

	/* Queued invalidation: a ring of descriptors the unit consumes. */
	if (ECAP_QI(u->ecap) && use_qi) {
		u->iq = zpage();
		u->iq_status = zpage();
		if (!u->iq || !u->iq_status)
			return -1;
		wr64(u, REG_IQT, 0);
		wr64(u, REG_IQA, virt_to_phys(u->iq));	/* QS 0: 256 entries */
		if (!gcmd(u, GCMD_QIE, true))
			return -1;
		u->qi = true;
	}
	flush_context(u, 0, -1);
	flush_iotlb_global(u);

	/* Faults: clear old records, then aim the fault event at a vector. */
	wr32(u, REG_FSTS, FSTS_PFO | FSTS_IQE);
	wr32(u, REG_FECTL, FECTL_IM);
	if (arch_msi_alloc(fault_interrupt, u, &addr, &data) == 0) {
		wr32(u, REG_FEDATA, data);
		wr32(u, REG_FEADDR, (uint32_t)addr);
		wr32(u, REG_FEUADDR, (uint32_t)(addr >> 32));
		u->fault_irq = data & 0xff;
		wr32(u, REG_FECTL, 0);		/* unmask */
	}
	intel_iommu_process_faults(u);

	if (!gcmd(u, GCMD_TE, true))
		return -1;
	u->enabled = true;
	pr_info("vtd%u: at %#llx, version %u.%u, %u-level tables (%u-bit IOVA), "
		"%s invalidation%s%s, %u fault record%s, translation on\n",
		index, (unsigned long long)d->reg_base, (u->ver >> 4) & 0xf,
		u->ver & 0xf, u->levels, u->agaw_bits,
		u->qi ? "queued" : "register", u->caching_mode ? ", caching mode" : "",
		CAP_SLLPS(u->cap) & 1 ? ", 2 MiB pages" : "", CAP_NFR(u->cap),
		CAP_NFR(u->cap) == 1 ? "" : "s");
	if (u->fault_irq)
		pr_info("vtd%u: fault events interrupt on vector %#x\n", index,
			u->fault_irq);
	else
		pr_info("vtd%u: no MSI vector: faults are polled\n", index);
	return 0;
}

/* Lines for the `iommu` command: units, their capabilities, counters. */
static void intel_iommu_show(void);
static struct iommu_report vtd_report = {
	.name = "intel-vtd",
	.show = intel_iommu_show,
};

int intel_iommu_init(const struct boot_info *bi)
{
	const uint8_t *t;
	uint64_t phys = 0;
	uint32_t len;
	char err[160];

	iommu_register_report(&vtd_report);
	if (bi->dtb || !bi->acpi_rsdp) {
		/* No ACPI from the loader: device-tree machines have no DMAR. */
		if (bi->dtb)
			return 0;
		rsdp_phys = acpi_find_rsdp(vtd_map_phys);
	} else {
		rsdp_phys = bi->acpi_rsdp;
	}
	if (!rsdp_phys)
		return 0;
	t = acpi_find_table(rsdp_phys, vtd_map_phys, "DMAR", &phys, err,
			    sizeof(err));
	if (!t)
		return 0;		/* no VT-d: the usual case */
	memcpy(&len, t + 4, 4);		/* checked by acpi_find_table */
	if (dmar_parse(t, len, &dmar, err, sizeof(err))) {
		pr_err("%s; VT-d not used\n", err);
		return 0;
	}
	pr_info("dmar: table at %#llx: host address width %u, %u unit%s, %u RMRR%s%s\n",
		(unsigned long long)phys, dmar.haw, dmar.nr_drhd,
		dmar.nr_drhd == 1 ? "" : "s", dmar.nr_rmrr,
		dmar.nr_rmrr == 1 ? "" : "s",
		dmar.flags & 1 ? ", interrupt remapping offered (not used)" : "");
	for (unsigned int i = 0; i < dmar.nr_drhd; i++) {
		if (unit_init(&units[nr_units], nr_units, &dmar.drhd[i])) {
			pr_err("vtd%u: bring-up failed; its devices use direct DMA\n",
			       nr_units);
			continue;
		}
		nr_units++;
	}
	return (int)nr_units;
}

static void intel_iommu_show(void)
{
	for (unsigned int i = 0; i < nr_units; i++) {
		struct vtd_unit *u = &units[i];
		char sid[8];

		printk("intel-vtd unit vtd%u at %#llx: %s, %u-level tables, %s invalidation%s, fault %s\n",
		       u->index, (unsigned long long)u->drhd->reg_base,
		       u->enabled ? "translating" : "off", u->levels,
		       u->qi ? "queued" : "register",
		       u->caching_mode ? ", caching mode (maps invalidate)" : "",
		       u->fault_irq ? "interrupt" : "polled");
		printk("  invalidations: %lu context, %lu page-selective, %lu domain, %lu global, %lu waits, %lu on map\n",
		       u->nr_ctx_inv, u->nr_iotlb_psi, u->nr_iotlb_dsi,
		       u->nr_iotlb_global, u->nr_waits, u->nr_map_flushes);
		vtd_format_sid(u->last_fault_sid, sid, sizeof(sid));
		printk("  faults: %lu (%lu interrupts, %lu overflows)", u->nr_faults,
		       u->nr_fault_irqs, u->nr_fault_overflows);
		if (u->nr_faults)
			pr_cont("; last: %s %s %#llx reason %u (%s)", sid,
				u->last_fault_write ? "write" : "read",
				(unsigned long long)u->last_fault_addr,
				u->last_fault_reason,
				vtd_fault_reason_str(u->last_fault_reason));
		pr_cont("\n");
	}
}
