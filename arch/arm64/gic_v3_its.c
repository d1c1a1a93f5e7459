/*
 * arch/arm64/gic_v3_its.c - a minimal GICv3 Interrupt Translation Service
 * (Arm IHI 0069, chapters 5 and 6), so that PCI devices on a GICv3 get
 * MSIs (contract: arch/arm64/irq.h, gic_v3_its_*).
 *
 * A device raises an MSI by writing an event ID to GITS_TRANSLATER; the
 * bus adds the writer's device ID. The ITS looks the device up in its
 * device table (MAPD: device -> interrupt translation table, ITT), the
 * event in that ITT (MAPTI: event -> LPI and collection) and the
 * collection in its collection table (MAPC: collection -> redistributor),
 * and makes the LPI pending there. LPIs (INTIDs from 8192) are configured
 * by memory tables, not registers: one byte per LPI in the LPI
 * configuration table (GICR_PROPBASER; priority, enable) and one pending
 * bit per INTID in each redistributor's pending table (GICR_PENDBASER).
 *
 * Spreading: every CPU online when the ITS starts gets LPIs on its
 * redistributor (one configuration table shared by all, as the
 * architecture requires, and a pending table each) and a collection of
 * its own, collection c -> CPU c (MAPC). Each new event goes to the
 * collection with the fewest events (least-loaded; with equal loads the
 * lowest CPU, so successive vectors go round robin); a vector asked for
 * as rare (MSI_RARE: a configuration change) goes to CPU 0 uncounted. The LPI is then
 * taken by that CPU: gic_v3_handle runs on whichever CPU took it and
 * calls the vector's fn there. CPUs started after the ITS get no LPIs.
 *
 * Kept small: flat (not two-level) device table; event IDs are global
 * (event n is LPI 8192 + n, for whichever device it is mapped to), so
 * arch_msi_free(data) needs no device. Commands are issued one at a time
 * and waited for.
 */
#include "arch/arm64/irq.h"
#include "drivers/fdt/fdt.h"
#include "kernel/percpu.h"
#include "kernel/printk.h"
#include "kernel/spinlock.h"
#include "mm/gfp.h"
#include "mm/page_alloc.h"
#include <arch/cpu.h>
#include <arch/mmio.h>
#include <arch/page.h>

#define GITS_CTLR		0x0000
#define GITS_TYPER		0x0008
#define GITS_CBASER		0x0080
#define GITS_CWRITER		0x0088
#define GITS_CREADR		0x0090
#define GITS_BASER(n)		(0x0100 + 8 * (n))
#define GITS_TRANSLATER		0x10040
#define GITS_SIZE		0x20000

#define GITS_CTLR_ENABLED	(1U << 0)
#define GITS_CTLR_QUIESCENT	(1U << 31)
#define GITS_TYPER_PHYSICAL	(1ULL << 0)
#define GITS_TYPER_PTA		(1ULL << 19)
#define GITS_CREADR_STALLED	(1ULL << 0)

#define BASER_VALID		(1ULL << 63)
#define BASER_TYPE(v)		(((v) >> 56) & 7)
#define BASER_ESIZE(v)		((((v) >> 48) & 0x1f) + 1)
#define BASER_TYPE_DEVICE	1
#define BASER_TYPE_COLLECTION	4
#define BASER_PAGE_MASK		(3ULL << 8)	/* 0: 4 KiB pages */
#define BASER_ADDR_MASK		0x0000fffffffff000ULL
/* Inner-shareable, inner write-back read/write-allocate: the tables are
 * ordinary cached memory (IHI 0069: the "Shareability"/"InnerCache"
 * fields of GITS_BASER, GITS_CBASER, GICR_PROPBASER, GICR_PENDBASER). */
#define ITS_CACHE_WB		(7ULL << 59)
#define ITS_SHARE_INNER		(1ULL << 10)
#define GICR_CACHE_WB		(7ULL << 7)

#define GICR_CTLR		0x0000
#define GICR_TYPER		0x0008
#define GICR_PROPBASER		0x0070
#define GICR_PENDBASER		0x0078
#define GICR_CTLR_ENABLE_LPIS	(1U << 0)
#define GICR_TYPER_PLPIS	(1ULL << 0)
#define GICR_PENDBASER_PTZ	(1ULL << 62)
#define GICD_TYPER_LPIS		(1U << 17)

/* Command numbers (IHI 0069, 5.3). */
#define ITS_CMD_SYNC		0x05
#define ITS_CMD_MAPD		0x08
#define ITS_CMD_MAPC		0x09
#define ITS_CMD_MAPTI		0x0a
#define ITS_CMD_INV		0x0c
#define ITS_CMD_DISCARD		0x0f
#define ITS_CMDQ_BYTES		4096

#define LPI_BASE		8192
#define LPI_ID_BITS		14		/* INTIDs below 16384 */
#define ITS_NR_EVENTS		64		/* event n <-> LPI 8192 + n */
#define ITS_EVENT_BITS		6
#define ITS_MAX_DEVICES		32
#define LPI_PRIORITY		0xa0
#define LPI_PROP_RES1		(1U << 1)
#define LPI_PROP_ENABLE		(1U << 0)

static struct {
	bool up;
	volatile char *base;
	uint64_t phys;
	uint64_t typer;
	uint64_t *cmdq;
	uint64_t cwriter;
	uint8_t *prop;			/* LPI configuration table (shared) */
	struct {
		bool up;		/* LPIs on, collection cpu mapped */
		uint64_t target;	/* RDbase field of MAPC/SYNC */
		unsigned int nr_events;	/* events now in collection cpu */
	} cpu[NR_CPUS];
	uint32_t max_devices;		/* entries of the device table */
	unsigned int itt_esize;
	struct {
		bool used;
		uint32_t devid;
		void *itt;
	} dev[ITS_MAX_DEVICES];
	struct {
		void (*fn)(void *arg);
		void *arg;
		uint32_t devid;
		unsigned int cpu;	/* its collection: the CPU it targets */
		unsigned long count;	/* taken since mapped */
		unsigned int last_cpu;	/* CPU that took it last */
		bool counted;		/* in its CPU's nr_events (not rare) */
	} ev[ITS_NR_EVENTS];		/* fn NULL: free (event 0 never used) */
} its;
static DEFINE_SPINLOCK(its_lock);

/* Zeroed, naturally aligned pages, or NULL (callers hold spinlocks). */
static void *table_alloc(uint64_t bytes, unsigned int *order_out)
{
	unsigned int order = 0;

	while ((4096ULL << order) < bytes)
		order++;
	if (order_out)
		*order_out = order;
	return (void *)__get_free_pages(GFP_ATOMIC | __GFP_ZERO, order);
}

/* Issue one command and wait for the ITS to consume it. 0, or -1. */
static int its_cmd(uint64_t c0, uint64_t c1, uint64_t c2)
{
	uint64_t *slot = its.cmdq + its.cwriter / 8;
	uint64_t next = (its.cwriter + 32) % ITS_CMDQ_BYTES;

	slot[0] = c0;
	slot[1] = c1;
	slot[2] = c2;
	slot[3] = 0;
	__asm__ __volatile__("dsb ish" ::: "memory");
	writeq(next, its.base + GITS_CWRITER);
	its.cwriter = next;
	for (unsigned long spin = 0; spin < 100000000UL; spin++) {
		uint64_t r = readq(its.base + GITS_CREADR);

		if (r & GITS_CREADR_STALLED) {
			pr_err("gic-its: command 0x%llx stalled\n",
			       (unsigned long long)(c0 & 0xff));
			return -1;
		}
		if ((r & 0xfffe0) == next)
			return 0;
	}
	pr_err("gic-its: command 0x%llx timed out\n",
	       (unsigned long long)(c0 & 0xff));
	return -1;
}

/* Wait until the ITS's effects on CPU cpu's redistributor are visible. */
static int its_sync(unsigned int cpu)
{
	return its_cmd(ITS_CMD_SYNC, 0, its.cpu[cpu].target);
}

/* LPI support in CPU cpu's redistributor: the shared configuration table
 * (made by the first call) and a pending table of its own, then
 * EnableLPIs (after which neither table can move). 0, or -1. */
static int redist_lpi_init(unsigned int cpu)
{
	volatile char *rd;
	uint64_t rd_phys, typer;
	void *pend;
	unsigned int bits = gic_v3_dist_id_bits();

	if (gic_v3_rdist(cpu, &rd, &rd_phys) < 0 ||
	    !(gic_v3_dist_typer() & GICD_TYPER_LPIS))
		return -1;
	typer = readq(rd + GICR_TYPER);
	if (!(typer & GICR_TYPER_PLPIS) || bits < LPI_ID_BITS)
		return -1;
	if (readl(rd + GICR_CTLR) & GICR_CTLR_ENABLE_LPIS) {
		pr_err("gic-its: CPU %u: LPIs already enabled by firmware\n", cpu);
		return -1;
	}
	if (!its.prop)
		its.prop = table_alloc((1U << LPI_ID_BITS) - LPI_BASE, NULL);
	/* 64 KiB aligned (PENDBASER keeps address bits 51:16). */
	pend = table_alloc(0x10000, NULL);
	if (!its.prop || !pend || (virt_to_phys(pend) & 0xffff))
		return -1;
	writeq(virt_to_phys(its.prop) | ITS_SHARE_INNER | GICR_CACHE_WB |
	       (LPI_ID_BITS - 1), rd + GICR_PROPBASER);
	writeq(virt_to_phys(pend) | GICR_PENDBASER_PTZ | ITS_SHARE_INNER |
	       GICR_CACHE_WB, rd + GICR_PENDBASER);
	__asm__ __volatile__("dsb sy" ::: "memory");
	writel(readl(rd + GICR_CTLR) | GICR_CTLR_ENABLE_LPIS, rd + GICR_CTLR);
	/* MAPC/SYNC name a redistributor by address or processor number. */
	its.cpu[cpu].target = (its.typer & GITS_TYPER_PTA) ?
			      (rd_phys >> 16) << 16 : ((typer >> 8) & 0xffff) << 16;
	return 0;
}

/* Collection cpu -> CPU cpu's redistributor. 0, or -1. */
static int its_map_collection(unsigned int cpu)
{
	if (its_cmd(ITS_CMD_MAPC, 0, BASER_VALID | its.cpu[cpu].target | cpu) < 0 ||
	    its_sync(cpu) < 0)
		return -1;
	its.cpu[cpu].up = true;
	return 0;
}

/* Device and collection tables: flat, 4 KiB pages. 0, or -1 (printed). */
static int its_tables_init(void)
{
	unsigned int devbits = ((its.typer >> 13) & 0x1f) + 1;

	for (int n = 0; n < 8; n++) {
		uint64_t v = readq(its.base + GITS_BASER(n)), bytes, got;
		unsigned int type = BASER_TYPE(v), esz = BASER_ESIZE(v);
		unsigned int order;
		void *t;

		if (type == BASER_TYPE_DEVICE) {
			bytes = (uint64_t)esz << devbits;
			if (bytes > 256 * 4096ULL)	/* Size: at most 256 pages */
				bytes = 256 * 4096ULL;
			its.max_devices = (uint32_t)(bytes / esz);
		} else if (type == BASER_TYPE_COLLECTION) {
			bytes = 4096;
		} else {
			continue;
		}
		t = table_alloc(bytes, &order);
		if (!t) {
			pr_err("gic-its: no memory for table %d\n", n);
			return -1;
		}
		v = BASER_VALID | ITS_CACHE_WB | ITS_SHARE_INNER |
		    (virt_to_phys(t) & BASER_ADDR_MASK) | ((1ULL << order) - 1);
		writeq(v, its.base + GITS_BASER(n));
		got = readq(its.base + GITS_BASER(n));
		if ((got & BASER_PAGE_MASK) || !(got & BASER_VALID) ||
		    (got & BASER_ADDR_MASK) != (v & BASER_ADDR_MASK)) {
			pr_err("gic-its: table %d does not take 4 KiB pages\n", n);
			return -1;
		}
	}
	return its.max_devices ? 0 : -1;
}

int gic_v3_its_init(const struct fdt *f)
{
	struct fdt_reg reg;
	int node;

	node = fdt_node_by_compatible(f, -1, "arm,gic-v3-its");
	if (node < 0 || !fdt_node_is_enabled(f, node) ||
	    fdt_get_reg_phys(f, node, 0, &reg, NULL, 0) < 0)
		return -1;
	its.base = ioremap(reg.base, GITS_SIZE);
	if (!its.base)
		return -1;
	its.phys = reg.base;
	its.typer = readq(its.base + GITS_TYPER);
	its.itt_esize = ((its.typer >> 4) & 0xf) + 1;
	if (!(its.typer & GITS_TYPER_PHYSICAL) ||
	    ((its.typer >> 8) & 0x1f) + 1 < ITS_EVENT_BITS) {
		pr_err("gic-its: ITS at 0x%llx cannot take our LPIs\n",
		       (unsigned long long)reg.base);
		return -1;
	}
	/* Off and quiescent before its tables are set. */
	writel(readl(its.base + GITS_CTLR) & ~GITS_CTLR_ENABLED,
	       its.base + GITS_CTLR);
	while (!(readl(its.base + GITS_CTLR) & GITS_CTLR_QUIESCENT))
		;
	if (its_tables_init() < 0 || redist_lpi_init(0) < 0) {
		pr_err("gic-its: ITS at 0x%llx not usable\n",
		       (unsigned long long)reg.base);
		return -1;
	}
	its.cmdq = table_alloc(ITS_CMDQ_BYTES, NULL);
	if (!its.cmdq)
		return -1;
	writeq(BASER_VALID | ITS_CACHE_WB | ITS_SHARE_INNER |
	       virt_to_phys(its.cmdq) | (ITS_CMDQ_BYTES / 4096 - 1),
	       its.base + GITS_CBASER);
	writeq(0, its.base + GITS_CWRITER);
	its.cwriter = 0;
	writel(readl(its.base + GITS_CTLR) | GITS_CTLR_ENABLED,
	       its.base + GITS_CTLR);
	/* Collection 0 -> the boot CPU; then each other online CPU. */
	if (its_map_collection(0) < 0)
		return -1;
	unsigned int nr_cpus = 1;

	for_each_online_cpu(cpu)
		if (cpu != 0 && redist_lpi_init(cpu) == 0 &&
		    its_map_collection(cpu) == 0)
			nr_cpus++;
	its.up = true;
	pr_info("gic-its: ITS at 0x%llx, %u device IDs, LPIs %u-%u over %u CPUs\n",
		(unsigned long long)reg.base, its.max_devices, LPI_BASE + 1,
		LPI_BASE + ITS_NR_EVENTS - 1, nr_cpus);
	return 0;
}

/* The CPU whose collection has the fewest events (lowest on a tie). */
static unsigned int its_pick_cpu(void)
{
	unsigned int best = 0;

	for (unsigned int cpu = 1; cpu < NR_CPUS; cpu++)
		if (its.cpu[cpu].up &&
		    its.cpu[cpu].nr_events < its.cpu[best].nr_events)
			best = cpu;
	return best;
}

bool gic_v3_its_up(void)
{
	return its.up;
}

/* The ITT of devid, mapped with MAPD on first use; NULL if none left. */
static void *its_device(uint32_t devid)
{
	int free = -1;

	for (int i = 0; i < ITS_MAX_DEVICES; i++) {
		if (its.dev[i].used && its.dev[i].devid == devid)
			return its.dev[i].itt;
		if (!its.dev[i].used && free < 0)
			free = i;
	}
	if (free < 0 || devid >= its.max_devices)
		return NULL;
	/* 2^ITS_EVENT_BITS entries; a page is 256-byte aligned. */
	void *itt = table_alloc((uint64_t)its.itt_esize << ITS_EVENT_BITS, NULL);

	if (!itt)
		return NULL;
	if (its_cmd(ITS_CMD_MAPD | (uint64_t)devid << 32, ITS_EVENT_BITS - 1,
		    BASER_VALID | virt_to_phys(itt)) < 0 || its_sync(0) < 0) {
		free_pages((unsigned long)itt, 0);
		return NULL;
	}
	its.dev[free].used = true;
	its.dev[free].devid = devid;
	its.dev[free].itt = itt;
	return itt;
}

int gic_v3_its_msi_alloc(uint32_t devid, void (*fn)(void *arg), void *arg,
			 uint64_t *addr, uint32_t *data, bool rare)
{
	unsigned long flags;
	unsigned int ev, cpu;
	int ret = -1;

	if (!its.up || !fn)
		return -1;
	spin_lock_irqsave(&its_lock, flags);
	for (ev = 1; ev < ITS_NR_EVENTS; ev++)
		if (!its.ev[ev].fn)
			break;
	if (ev == ITS_NR_EVENTS || !its_device(devid))
		goto out;
	cpu = rare ? 0 : its_pick_cpu();	/* CPU 0 is always up */
	its.ev[ev].arg = arg;
	its.ev[ev].fn = fn;
	its.ev[ev].devid = devid;
	its.ev[ev].cpu = cpu;
	its.ev[ev].count = 0;
	its.prop[ev] = LPI_PRIORITY | LPI_PROP_RES1 | LPI_PROP_ENABLE;
	__asm__ __volatile__("dsb ish" ::: "memory");
	/* MAPTI: device event -> LPI in collection cpu; INV: reread its
	 * configuration byte. */
	if (its_cmd(ITS_CMD_MAPTI | (uint64_t)devid << 32,
		    (uint64_t)(LPI_BASE + ev) << 32 | ev, cpu) < 0 ||
	    its_cmd(ITS_CMD_INV | (uint64_t)devid << 32, ev, 0) < 0 ||
	    its_sync(cpu) < 0) {
		its.prop[ev] = 0;
		its.ev[ev].fn = NULL;
		goto out;
	}
	its.ev[ev].counted = !rare;
	if (!rare)
		its.cpu[cpu].nr_events++;
	*addr = its.phys + GITS_TRANSLATER;
	*data = ev;
	ret = 0;
out:
	spin_unlock_irqrestore(&its_lock, flags);
	return ret;
}

bool gic_v3_its_msi_free(uint32_t data)
{
	unsigned long flags;

	if (!its.up)
		return false;
	if (data == 0 || data >= ITS_NR_EVENTS)
		return true;
	spin_lock_irqsave(&its_lock, flags);
	if (its.ev[data].fn) {
		uint32_t devid = its.ev[data].devid;

		its_cmd(ITS_CMD_DISCARD | (uint64_t)devid << 32, data, 0);
		its_sync(its.ev[data].cpu);
		if (its.ev[data].counted)
			its.cpu[its.ev[data].cpu].nr_events--;
		its.prop[data] = 0;
		its.ev[data].fn = NULL;
		its.ev[data].arg = NULL;
	}
	spin_unlock_irqrestore(&its_lock, flags);
	return true;
}

void gic_v3_its_handle(unsigned int intid)
{
	unsigned int ev = intid - LPI_BASE;
	void (*fn)(void *arg);

	if (intid < LPI_BASE || ev >= ITS_NR_EVENTS || !(fn = its.ev[ev].fn)) {
		irq_spurious_count++;
		return;
	}
	its.ev[ev].count++;
	its.ev[ev].last_cpu = arch_cpu_id();
	fn(its.ev[ev].arg);
}

int gic_v3_its_event_info(uint32_t data, unsigned int *cpu,
			  unsigned long *count, unsigned int *last_cpu)
{
	if (!its.up || data == 0 || data >= ITS_NR_EVENTS || !its.ev[data].fn)
		return -1;
	*cpu = its.ev[data].cpu;
	*count = its.ev[data].count;
	*last_cpu = its.ev[data].last_cpu;
	return 0;
}

unsigned int gic_v3_its_nr_cpus(void)
{
	unsigned int n = 0;

	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
		n += its.cpu[cpu].up;
	return n;
}
