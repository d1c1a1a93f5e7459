/*
 * drivers/iommu/arm-smmu-v3.c - SMMUv3 hardware: registers, the linear
 * stream table, the command and event queues, GERROR, the iommu_domain
 * ops of mm/dma-iommu.h, and the PCI hook (contract: arm-smmu-v3.h;
 * walkthrough: docs/drivers/arm-smmuv3.md). Offsets and layouts are Arm
 * IHI 0070's, chapters 3 (queues), 4 (commands), 5 (STE, CD), 6
 * (registers), 7 (events).
 */
#include "drivers/iommu/arm-smmu-v3.h"
#include "boot/boot_info.h"
#include "drivers/pci/pci.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vsprintf.h"
#include "kernel/printk.h"
#include "mm/kmalloc.h"
#include "mm/page_alloc.h"
#include <arch/cpu.h>
#include <arch/irq.h>
#include <arch/machine.h>
#include <arch/mmio.h>

#define TIMEOUT_NS	1000000000ULL
#define STRTAB_LOG2_MAX	8	/* 256 STEs (16 KiB): bus 0 of virt */
#define CMDQ_LOG2_MAX	8	/* 256 commands, one page */
#define EVTQ_LOG2_MAX	7	/* 128 records, one page */

static struct smmu_device smmu;
static const struct fdt *dt;	/* the boot tree (fdt_boot_tree) */
/* A device retrying a faulting burst makes one event per beat: print the
 * first of each 10 ms (they are all counted, and reported to the domain). */
static struct ratelimit event_rs = RATELIMIT_INIT(10000000ULL);

struct smmu_device *arm_smmu_v3_device(void)
{
	return smmu.enabled ? &smmu : NULL;
}

static uint32_t rd32(struct smmu_device *s, unsigned int off)
{
	return readl((char *)s->regs + off);
}
static void wr32(struct smmu_device *s, unsigned int off, uint32_t v)
{
	writel(v, (char *)s->regs + off);
}
static void wr64(struct smmu_device *s, unsigned int off, uint64_t v)
{
	writeq(v, (char *)s->regs + off);
}

static bool timed_out(uint64_t start, unsigned long n)
{
	return arch_clock_ns() - start > TIMEOUT_NS && n > 1000;
}

/* Write CR0 and wait for CR0ACK to show the same value (IHI 0070 6.3.9). */
static bool write_cr0(struct smmu_device *s, uint32_t val)
{
	uint64_t start = arch_clock_ns();

	wr32(s, SMMU_CR0, val);
	for (unsigned long n = 0; rd32(s, SMMU_CR0ACK) != val; n++) {
		if (timed_out(start, n)) {
			pr_err("smmuv3: CR0ACK stuck at %#x (wrote %#x)\n",
			       rd32(s, SMMU_CR0ACK), val);
			return false;
		}
		arch_cpu_relax();
	}
	return true;
}

/* ------------------------------------------------------------ command queue */

/* PROD/CONS hold an index and, just above it, a wrap bit. */
static uint32_t q_mask(unsigned int log2) { return (2u << log2) - 1; }
static uint32_t q_idx(uint32_t p, unsigned int log2) { return p & ((1u << log2) - 1); }
static bool q_full(uint32_t prod, uint32_t cons, unsigned int log2)
{
	return q_idx(prod, log2) == q_idx(cons, log2) &&
	       (prod ^ cons) & (1u << log2);
}

/*
 * A command failed (GERROR.CMDQ_ERR): name it, replace it by a CMD_SYNC
 * (always valid) and acknowledge, so the queue moves on (lock held).
 */
static void cmdq_error(struct smmu_device *s)
{
	uint32_t cons = rd32(s, SMMU_CMDQ_CONS);
	uint64_t *c = &s->cmdq[q_idx(cons, s->cmdq_log2) * 2];
	struct smmu_cmd sync = smmu_cmd_sync();

	pr_err("smmuv3: command %#llx %#llx rejected, CONS.ERR %u\n",
	       (unsigned long long)c[0], (unsigned long long)c[1],
	       CMDQ_CONS_ERR(cons));
	s->nr_gerrors++;
	c[0] = sync.w[0];
	c[1] = sync.w[1];
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	wr32(s, SMMU_GERRORN, rd32(s, SMMU_GERRORN) ^ GERROR_CMDQ_ERR);
}

static bool cmdq_stalled_on_error(struct smmu_device *s)
{
	return (rd32(s, SMMU_GERROR) ^ rd32(s, SMMU_GERRORN)) & GERROR_CMDQ_ERR;
}

/* Put one command in the queue (lock held); waits for room. */
static void cmdq_push(struct smmu_device *s, struct smmu_cmd c)
{
	uint64_t start = arch_clock_ns();
	uint64_t *slot;

	/* Full: publish what is queued so the SMMU can make room. */
	if (q_full(s->cmdq_prod, rd32(s, SMMU_CMDQ_CONS), s->cmdq_log2))
		wr32(s, SMMU_CMDQ_PROD, s->cmdq_prod);
	for (unsigned long n = 0;
	     q_full(s->cmdq_prod, rd32(s, SMMU_CMDQ_CONS), s->cmdq_log2); n++) {
		if (cmdq_stalled_on_error(s))
			cmdq_error(s);
		if (timed_out(start, n)) {
			pr_err("smmuv3: command queue full and not moving\n");
			return;
		}
		arch_cpu_relax();
	}
	slot = &s->cmdq[q_idx(s->cmdq_prod, s->cmdq_log2) * 2];
	slot[0] = c.w[0];
	slot[1] = c.w[1];
	s->cmdq_prod = (s->cmdq_prod + 1) & q_mask(s->cmdq_log2);
	s->nr_cmds++;
}

/*
 * Close a batch with CMD_SYNC, publish PROD, and poll CONS until the
 * SMMU has consumed the sync: every command before it is then complete
 * (lock held).
 */
static void cmdq_sync(struct smmu_device *s)
{
	uint64_t start = arch_clock_ns();

	cmdq_push(s, smmu_cmd_sync());
	s->nr_syncs++;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);	/* entries before PROD */
	wr32(s, SMMU_CMDQ_PROD, s->cmdq_prod);
	for (unsigned long n = 0;
	     (rd32(s, SMMU_CMDQ_CONS) & q_mask(s->cmdq_log2)) != s->cmdq_prod;
	     n++) {
		if (cmdq_stalled_on_error(s))
			cmdq_error(s);
		if (timed_out(start, n)) {
			pr_err("smmuv3: CMD_SYNC never completed (PROD %#x CONS %#x)\n",
			       s->cmdq_prod, rd32(s, SMMU_CMDQ_CONS));
			return;
		}
		arch_cpu_relax();
	}
}

/* ------------------------------------------------------------ domain ops */

static struct smmu_domain *to_smmu(struct iommu_domain *d)
{
	return container_of(d, struct smmu_domain, domain);
}

static int smmu_map(struct iommu_domain *d, unsigned long iova,
		    phys_addr_t paddr, size_t size, int prot)
{
	struct smmu_domain *m = to_smmu(d);
	unsigned long flags;
	int ret;

	/* Invalid entries are never cached (no TLB entry for a fault), so a
	 * new mapping needs no invalidation. */
	spin_lock_irqsave(&m->lock, flags);
	ret = io_pgtable_map(&m->pt, iova, paddr, size, prot);
	spin_unlock_irqrestore(&m->lock, flags);
	return ret;
}

static size_t smmu_unmap(struct iommu_domain *d, unsigned long iova, size_t size)
{
	struct smmu_domain *m = to_smmu(d);
	unsigned long flags;
	size_t done;

	spin_lock_irqsave(&m->lock, flags);
	done = io_pgtable_unmap(&m->pt, iova, size);
	spin_unlock_irqrestore(&m->lock, flags);
	return done;
}

/*
 * Strict invalidation of [iova, iova + size). With range invalidation
 * (SMMUv3.2 IDR3.RIL, which QEMU offers) a few commands cover any range:
 * each takes the low bits of what is left, (num + 1) << scale pages, so
 * 16 pages are one command and 33 are two. Without it, page by page for
 * small ranges, else the whole ASID.
 */
static void smmu_iotlb_sync(struct iommu_domain *d, unsigned long iova,
			    size_t size)
{
	struct smmu_domain *m = to_smmu(d);
	struct smmu_device *s = m->smmu;
	unsigned long flags, pages = (size + PAGE_SIZE - 1) >> PAGE_SHIFT;

	spin_lock_irqsave(&s->lock, flags);
	if (s->feat.range_inval) {
		uint64_t va = iova & ~(uint64_t)(PAGE_SIZE - 1);

		while (pages) {
			unsigned int scale = (unsigned int)__builtin_ctzl(pages);
			unsigned long num = (pages >> scale) & 31;

			s->nr_tlbi_va++;
			cmdq_push(s, smmu_cmd_tlbi_nh_va_range(m->asid, va, scale,
							       (unsigned int)num - 1, true));
			va += (uint64_t)(num << scale) << PAGE_SHIFT;
			pages -= num << scale;
		}
	} else if (pages > 16) {
		s->nr_tlbi_asid++;
		cmdq_push(s, smmu_cmd_tlbi_nh_asid(m->asid));
	} else {
		for (unsigned long i = 0; i < pages; i++) {
			s->nr_tlbi_va++;
			cmdq_push(s, smmu_cmd_tlbi_nh_va(m->asid,
				iova + i * PAGE_SIZE, true));
		}
	}
	cmdq_sync(s);
	spin_unlock_irqrestore(&s->lock, flags);
}

static void smmu_flush_all(struct iommu_domain *d)
{
	struct smmu_domain *m = to_smmu(d);
	struct smmu_device *s = m->smmu;
	unsigned long flags;

	spin_lock_irqsave(&s->lock, flags);
	s->nr_tlbi_asid++;
	cmdq_push(s, smmu_cmd_tlbi_nh_asid(m->asid));
	cmdq_sync(s);
	spin_unlock_irqrestore(&s->lock, flags);
}

static phys_addr_t smmu_iova_to_phys(struct iommu_domain *d, unsigned long iova)
{
	struct smmu_domain *m = to_smmu(d);
	unsigned long flags;
	phys_addr_t pa;

	spin_lock_irqsave(&m->lock, flags);
	pa = io_pgtable_iova_to_phys(&m->pt, iova, NULL);
	spin_unlock_irqrestore(&m->lock, flags);
	return pa;
}

static void smmu_show(struct iommu_domain *d)
{
	struct smmu_domain *m = to_smmu(d);

	printk("    smmuv3 ASID %u, %u-level stage-1 tables (%u-bit input): "
	       "%lu table pages, %lu x 4 KiB + %lu x 2 MiB mapped, %lu block "
	       "splits\n", m->asid, m->pt.levels, m->pt.ias_bits,
	       m->pt.nr_tables, m->pt.nr_pages, m->pt.nr_blocks,
	       m->pt.nr_splits);
}

static const struct iommu_domain_ops smmu_domain_ops = {
	.map = smmu_map,
	.unmap = smmu_unmap,
	.iotlb_sync = smmu_iotlb_sync,
	.flush_iotlb_all = smmu_flush_all,
	.iova_to_phys = smmu_iova_to_phys,
	.show = smmu_show,
	/* An MSI is a write like any other to the SMMU: the doorbell must be
	 * mapped (mm/dma-iommu.c, iommu_dma_prepare_msi). */
	.msi_translated = true,
};

/* ------------------------------------------------------------ events */

static void report_gerror(struct smmu_device *s)
{
	uint32_t active = (rd32(s, SMMU_GERROR) ^ rd32(s, SMMU_GERRORN)) &
			  ~GERROR_CMDQ_ERR;	/* that one: cmdq_error() */

	if (!active)
		return;
	s->nr_gerrors++;
	pr_err("smmuv3: global error GERROR %#x:%s%s%s%s\n", active,
	       active & (1u << 2) ? " EVENTQ_ABT_ERR" : "",
	       active & (1u << 8) ? " SFM_ERR (service failure mode)" : "",
	       active & 0xf0 ? " MSI_ABT" : "",
	       active & (1u << 3) ? " PRIQ_ABT_ERR" : "");
	wr32(s, SMMU_GERRORN, rd32(s, SMMU_GERRORN) ^ active);
}

unsigned int arm_smmu_process_events(struct smmu_device *s)
{
	unsigned int n = 0, log2 = s->evtq_log2;
	unsigned long flags;
	uint32_t prod, cons;

	if (!s->enabled)
		return 0;
	spin_lock_irqsave(&s->lock, flags);
	prod = rd32(s, SMMU_EVENTQ_PROD);
	cons = rd32(s, SMMU_EVENTQ_CONS) & q_mask(log2);
	while ((prod & q_mask(log2)) != cons) {
		const uint64_t *rec = &s->evtq[q_idx(cons, log2) * 4];
		struct smmu_event ev;
		struct iommu_binding *b;

		smmu_decode_event(rec, &ev);
		cons = (cons + 1) & q_mask(log2);
		n++;
		s->nr_events++;
		s->last_event = ev;
		b = iommu_binding_find(&s->bind, ev.sid);
		if (__ratelimit(&event_rs))
			pr_err("smmuv3: event %s (%#x): %s: stream %#x (%s), %s, input address %#llx\n",
			       smmu_event_name(ev.id), ev.id, smmu_event_desc(ev.id),
			       ev.sid, b && b->dev->name ? b->dev->name : "not attached",
			       ev.read ? "read" : "write",
			       (unsigned long long)ev.addr);
		if (b && ev.id >= EVT_F_TRANSLATION && ev.id <= EVT_F_PERMISSION)
			report_iommu_fault(b->dom, b->dev,
					   (unsigned long)ev.addr,
					   ev.read ? IOMMU_FAULT_READ
						   : IOMMU_FAULT_WRITE);
	}
	if (prod & Q_OVF) {
		if (!((rd32(s, SMMU_EVENTQ_CONS) ^ prod) & Q_OVF))
			;	/* already acknowledged */
		else {
			s->nr_evtq_overflows++;
			pr_err("smmuv3: event queue overflowed: events were lost\n");
		}
	}
	/* CONS takes the index and, copied from PROD, the overflow ack. */
	wr32(s, SMMU_EVENTQ_CONS, cons | (prod & Q_OVF));
	report_gerror(s);
	spin_unlock_irqrestore(&s->lock, flags);
	return n;
}

static void eventq_interrupt(void *arg)
{
	struct smmu_device *s = arg;

	s->nr_event_irqs++;
	arm_smmu_process_events(s);
}

/* ------------------------------------------------------------ domains */

static void *zpages(unsigned int order)
{
	struct page *pg = alloc_pages(GFP_KERNEL | __GFP_ZERO, order);

	return pg ? page_address(pg) : NULL;
}

struct iommu_domain *arm_smmu_domain_alloc(struct smmu_device *s)
{
	struct smmu_domain *m;
	unsigned long flags;

	if (!s || !s->enabled)
		return NULL;
	m = kzalloc(sizeof(*m), GFP_KERNEL);
	if (!m)
		return NULL;
	spin_lock_init(&m->lock, "smmu_domain");
	m->smmu = s;
	m->cd = zpages(0);
	if (!m->cd || smmu_pgtable_init(&m->pt, s->levels, NULL)) {
		if (m->cd)
			__free_page(virt_to_page(m->cd));
		kfree(m);
		return NULL;
	}
	spin_lock_irqsave(&s->lock, flags);
	m->asid = s->next_asid;
	if (s->next_asid && s->next_asid < (s->feat.asid16 ? 0xffff : 0xff))
		s->next_asid++;
	else
		s->next_asid = 0;	/* out: no reuse yet */
	spin_unlock_irqrestore(&s->lock, flags);
	smmu_cd_s1(m->cd, s->ias_bits, virt_to_phys(m->pt.root), s->ips, m->asid);
	ksnprintf(m->name, sizeof(m->name), "smmu0:asid%u", m->asid);
	m->pt.blocks = true;	/* 2 MiB blocks: the 4 KiB granule has them */
	if (!m->asid ||
	    iommu_domain_init(&m->domain, &smmu_domain_ops, "arm-smmu-v3",
			      m->name, PAGE_SIZE | SMMU_BLOCK_SIZE, PAGE_SIZE,
			      DMA_BIT_MASK(s->ias_bits), NULL)) {
		io_pgtable_free(&m->pt);
		__free_page(virt_to_page(m->cd));
		kfree(m);
		return NULL;
	}
	return &m->domain;
}

void arm_smmu_domain_free(struct iommu_domain *d)
{
	struct smmu_domain *m = to_smmu(d);

	iommu_domain_exit(d);
	smmu_flush_all(d);
	io_pgtable_free(&m->pt);
	__free_page(virt_to_page(m->cd));
	kfree(m);
}

/* Write a STE: the valid word last, then make the SMMU re-read it. */
static void write_ste(struct smmu_device *s, uint32_t sid, const uint64_t *ste)
{
	uint64_t *e = &s->strtab[sid * STE_DWORDS];

	e[0] = 0;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	for (int i = 1; i < STE_DWORDS; i++)
		e[i] = ste ? ste[i] : 0;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	e[0] = ste ? ste[0] : 0;
	s->nr_cfgi_ste++;
	s->nr_cfgi_cd++;
	cmdq_push(s, smmu_cmd_cfgi_ste(sid));
	cmdq_push(s, smmu_cmd_cfgi_cd(sid));
	cmdq_sync(s);
}

struct iommu_domain *arm_smmu_attach(struct smmu_device *s,
				     struct device *dev, uint32_t sid)
{
	uint64_t ste[STE_DWORDS];
	struct iommu_domain *d;
	struct smmu_domain *m;
	unsigned long flags;
	struct iommu_binding *b;

	if (!s || !s->enabled || dev->domain || sid >= (1u << s->strtab_log2))
		return NULL;
	d = arm_smmu_domain_alloc(s);
	if (!d)
		return NULL;
	m = to_smmu(d);
	spin_lock_irqsave(&s->lock, flags);
	b = iommu_binding_add(&s->bind, sid, d, dev);
	if (!b) {
		spin_unlock_irqrestore(&s->lock, flags);
		arm_smmu_domain_free(d);
		return NULL;
	}
	smmu_ste_s1(ste, virt_to_phys(m->cd));
	write_ste(s, sid, ste);
	spin_unlock_irqrestore(&s->lock, flags);
	if (iommu_attach_device(d, dev)) {
		spin_lock_irqsave(&s->lock, flags);
		write_ste(s, sid, NULL);
		iommu_binding_del(b);
		spin_unlock_irqrestore(&s->lock, flags);
		arm_smmu_domain_free(d);
		return NULL;
	}
	return d;
}

/* ------------------------------------------------------------ bring-up */

static int smmu_probe(struct smmu_device *s)
{
	char err[128];
	uint64_t start;
	uint32_t r;

	spin_lock_init(&s->lock, "smmu");
	s->regs = ioremap(s->fdt.base, s->fdt.size);
	if (!s->regs)
		return -1;
	s->idr0 = rd32(s, SMMU_IDR0);
	s->idr1 = rd32(s, SMMU_IDR1);
	s->idr5 = rd32(s, SMMU_IDR5);
	if (smmu_decode_idr(s->idr0, s->idr1, s->idr5, &s->feat, err,
			    sizeof(err))) {
		pr_err("smmuv3: %s; not used\n", err);
		return -1;
	}
	s->feat.range_inval = rd32(s, SMMU_IDR3) & IDR3_RIL;
	/*
	 * Stage-1 input size: 39 bits, 3 levels. 512 GiB of IOVA is plenty
	 * for DMA, and every IOTLB miss costs one table read fewer than with
	 * 48 bits / 4 levels. Output: the SMMU's OAS, at most 48 bits (our
	 * descriptors hold address bits 47:12).
	 */
	s->levels = 3;
	s->ias_bits = 39;
	s->ips = IDR5_OAS(s->idr5) > 5 ? 5 : IDR5_OAS(s->idr5);
	s->next_asid = 1;
	s->strtab_log2 = min(s->feat.sid_bits, (unsigned int)STRTAB_LOG2_MAX);
	s->cmdq_log2 = min(s->feat.cmdq_log2, (unsigned int)CMDQ_LOG2_MAX);
	s->evtq_log2 = min(s->feat.eventq_log2, (unsigned int)EVTQ_LOG2_MAX);

	/* Off first (firmware may have left it on), then the tables. */
	if (rd32(s, SMMU_CR0) && !write_cr0(s, 0))
		return -1;
	s->strtab = zpages(s->strtab_log2 > 6 ? s->strtab_log2 - 6 : 0);
	s->cmdq = zpages(0);
	s->evtq = zpages(0);
	if (!s->strtab || !s->cmdq || !s->evtq)
		return -1;
	/* Tables and queues: write-back cacheable, inner shareable. */
	wr32(s, SMMU_CR1, 3u << 10 | 1u << 8 | 1u << 6 | 3u << 4 | 1u << 2 | 1u);
	wr32(s, SMMU_CR2, 1u << 1);	/* RECINVSID: record bad stream IDs */
	wr64(s, SMMU_STRTAB_BASE, 1ULL << 62 | virt_to_phys(s->strtab));
	wr32(s, SMMU_STRTAB_BASE_CFG, s->strtab_log2);	/* FMT 0: linear */
	wr64(s, SMMU_CMDQ_BASE, 1ULL << 62 | virt_to_phys(s->cmdq) | s->cmdq_log2);
	wr32(s, SMMU_CMDQ_PROD, 0);
	wr32(s, SMMU_CMDQ_CONS, 0);
	wr64(s, SMMU_EVENTQ_BASE, 1ULL << 62 | virt_to_phys(s->evtq) | s->evtq_log2);
	wr32(s, SMMU_EVENTQ_PROD, 0);
	wr32(s, SMMU_EVENTQ_CONS, 0);
	s->cmdq_prod = 0;

	/* Command queue on; forget any cached configuration and TLB entry. */
	if (!write_cr0(s, CR0_CMDQEN))
		return -1;
	s->enabled = true;	/* for the queue helpers; cleared on failure */
	cmdq_push(s, smmu_cmd_cfgi_all());
	cmdq_push(s, smmu_cmd_tlbi_nsnh_all());
	cmdq_sync(s);
	if (!write_cr0(s, CR0_CMDQEN | CR0_EVENTQEN))
		goto off;

	/* Interrupts: the event queue's wired SPI and global errors. Both
	 * pulse their line (the tree says edge): a level-triggered SPI would
	 * miss the pulse. */
	if (s->fdt.eventq_irq &&
	    (!s->fdt.eventq_edge || arch_irq_set_edge(s->fdt.eventq_irq) == 0) &&
	    arch_irq_request(s->fdt.eventq_irq, eventq_interrupt, s) == 0)
		s->eventq_irq = true;
	if (s->fdt.gerror_irq &&
	    (!s->fdt.gerror_edge || arch_irq_set_edge(s->fdt.gerror_irq) == 0))
		arch_irq_request(s->fdt.gerror_irq, eventq_interrupt, s);
	wr32(s, SMMU_IRQ_CTRL, IRQ_CTRL_GERROR | IRQ_CTRL_EVENTQ);
	start = arch_clock_ns();
	for (unsigned long n = 0; rd32(s, SMMU_IRQ_CTRLACK) !=
	     (IRQ_CTRL_GERROR | IRQ_CTRL_EVENTQ); n++) {
		if (timed_out(start, n))
			break;
		arch_cpu_relax();
	}

	/* Translation on: streams without a valid STE are now aborted. */
	if (!write_cr0(s, CR0_CMDQEN | CR0_EVENTQEN | CR0_SMMUEN))
		goto off;
	r = rd32(s, SMMU_AIDR);
	pr_info("smmuv3: at %#llx, SMMUv3.%u, stage 1%s, %u-bit stream IDs "
		"(linear table of %u), %u-bit output, %u-level tables "
		"(%u-bit IOVA), cmdq %u, eventq %u entries, %s invalidation, "
		"translation on\n",
		(unsigned long long)s->fdt.base, r & 0xf,
		s->feat.s2 ? " (and 2)" : "", s->feat.sid_bits,
		1u << s->strtab_log2, smmu_oas_bits(s->ips), s->levels,
		s->ias_bits, 1u << s->cmdq_log2, 1u << s->evtq_log2,
		s->feat.range_inval ? "range" : "page");
	pr_info("smmuv3: eventq interrupt %s (GIC %u); events also read on demand (`iommu`, tests)\n",
		s->eventq_irq ? "requested" : "not available", s->fdt.eventq_irq);
	return 0;
off:
	s->enabled = false;
	write_cr0(s, 0);
	return -1;
}

/* The host bridge node whose linux,pci-domain is segment (or the only one). */
static int host_node_for(uint16_t segment)
{
	for (int node = fdt_node_by_compatible(dt, -1, "pci-host-ecam-generic");
	     node >= 0;
	     node = fdt_node_by_compatible(dt, node, "pci-host-ecam-generic")) {
		uint32_t seg = 0;

		fdt_getprop_u32(dt, node, "linux,pci-domain", &seg);
		if (seg == segment && fdt_node_is_enabled(dt, node))
			return node;
	}
	return -FDT_ERR_NOTFOUND;
}

static int smmu_pci_hook(struct pci_dev *pdev)
{
	uint32_t rid = (uint32_t)pdev->bus << 8 | pdev->devfn, ph, sid;
	int host = host_node_for(pdev->segment);

	if (host < 0 || smmu_fdt_map_rid(dt, host, rid, &ph, &sid) < 0)
		return 0;		/* not behind an SMMU: direct DMA */
	if (ph != smmu.fdt.phandle)
		return 0;		/* another IOMMU (not ours) */
	if (!arm_smmu_attach(&smmu, &pdev->dev, sid)) {
		pr_err("smmuv3: %s: stream %#x: no domain\n", pdev->name, sid);
		return -1;
	}
	pdev->iommu_priv = &smmu;
	return 0;
}

/* Lines for the `iommu` command: the unit, its counters and bindings. */
static void arm_smmu_v3_show(void);
static struct iommu_report smmu_report = {
	.name = "arm-smmu-v3",
	.show = arm_smmu_v3_show,
};

int arm_smmu_v3_pci_init(const struct boot_info *bi)
{
	char err[128];

	iommu_register_report(&smmu_report);
	dt = fdt_boot_tree(bi);
	if (!dt)
		return 0;
	err[0] = '\0';
	if (smmu_fdt_find(dt, -1, &smmu.fdt, err, sizeof(err)) < 0) {
		if (err[0])
			pr_err("smmuv3: %s\n", err);
		return 0;		/* no SMMU: the usual case */
	}
	if (smmu_probe(&smmu)) {
		pr_err("smmuv3: bring-up failed; devices use direct DMA\n");
		return 0;
	}
	if (pci_register_iommu_hook(smmu_pci_hook))
		pr_err("smmuv3: another IOMMU hook is registered; PCI devices are not attached\n");
	return 1;
}

static void arm_smmu_v3_show(void)
{
	struct smmu_device *s = &smmu;

	if (!s->enabled)
		return;
	arm_smmu_process_events(s);
	printk("arm-smmu-v3 at %#llx: translating, %u-level stage-1 tables, "
	       "%u STEs, eventq interrupt %s\n", (unsigned long long)s->fdt.base,
	       s->levels, 1u << s->strtab_log2,
	       s->eventq_irq ? "requested" : "not available");
	printk("  commands %lu (syncs %lu, CFGI_STE %lu, CFGI_CD %lu, "
	       "TLBI_NH_VA %lu, TLBI_NH_ASID %lu)\n", s->nr_cmds, s->nr_syncs,
	       s->nr_cfgi_ste, s->nr_cfgi_cd, s->nr_tlbi_va, s->nr_tlbi_asid);
	printk("  events %lu (%lu interrupts, %lu overflows), global errors %lu\n",
	       s->nr_events, s->nr_event_irqs, s->nr_evtq_overflows,
	       s->nr_gerrors);
	for (int i = 0; i < IOMMU_MAX_BINDINGS; i++) {
		const struct iommu_binding *b = &s->bind.b[i];

		if (b->dom)
			printk("  stream %#x -> %s (%s)\n", b->sid, b->dom->name,
			       b->dev->name ? b->dev->name : "?");
	}
}
