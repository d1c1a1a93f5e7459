/*
 * drivers/iommu/arm-smmu-v3.h - the Arm SMMUv3 driver (stage 1 only) for
 * QEMU virt `-M virt,iommu=smmuv3` and hardware of the same kind. Arm
 * IHI 0070 (SMMUv3 architecture); walkthrough: docs/drivers/arm-smmuv3.md.
 *
 * Layers, as for VT-d:
 *  - pure encoders/decoders (arm-smmu-v3-fdt.c, arm-smmu-v3-pgtable.c):
 *    the device tree node and the PCI host's `iommu-map`, STE and CD
 *    words, commands, event records, the stage-1 descriptor format (the
 *    page-table walk over a pg_data_t is the shared io-pgtable.c).
 *    The host tests run them.
 *  - the hardware (arm-smmu-v3.c): registers, stream table, command and
 *    event queues, the iommu_domain ops, and the PCI hook: one domain (ASID
 *    + CD + tables) per device, so devices are isolated from each other.
 *    A stream with no STE (V=0) is aborted: default deny.
 */
#ifndef DRIVERS_IOMMU_ARM_SMMU_V3_H
#define DRIVERS_IOMMU_ARM_SMMU_V3_H

#include "kernel/types.h"
#include "kernel/spinlock.h"
#include "drivers/fdt/fdt.h"
#include "drivers/iommu/io-pgtable.h"
#include "drivers/iommu/iommu.h"
#include "mm/mmzone.h"

struct boot_info;

/* ------------------------------------------------------------ registers */
#define SMMU_IDR0		0x00
#define SMMU_IDR1		0x04
#define SMMU_IDR3		0x0c
#define SMMU_IDR5		0x14
#define SMMU_IIDR		0x18
#define SMMU_AIDR		0x1c
#define SMMU_CR0		0x20
#define SMMU_CR0ACK		0x24
#define SMMU_CR1		0x28
#define SMMU_CR2		0x2c
#define SMMU_GBPA		0x44
#define SMMU_IRQ_CTRL		0x50
#define SMMU_IRQ_CTRLACK	0x54
#define SMMU_GERROR		0x60
#define SMMU_GERRORN		0x64
#define SMMU_STRTAB_BASE	0x80
#define SMMU_STRTAB_BASE_CFG	0x88
#define SMMU_CMDQ_BASE		0x90
#define SMMU_CMDQ_PROD		0x98
#define SMMU_CMDQ_CONS		0x9c
#define SMMU_EVENTQ_BASE	0xa0
#define SMMU_EVENTQ_PROD	0x100a8		/* page 1 */
#define SMMU_EVENTQ_CONS	0x100ac

#define IDR0_S2P		(1u << 0)
#define IDR0_S1P		(1u << 1)
#define IDR0_TTF(r)		(((r) >> 2) & 3)	/* 2: AArch64, 3: both */
#define IDR0_COHACC		(1u << 4)
#define IDR0_ASID16		(1u << 12)
#define IDR0_TTENDIAN(r)	(((r) >> 21) & 3)	/* 0 mixed, 2 LE, 3 BE */
#define IDR0_ST_LEVEL(r)	(((r) >> 27) & 3)	/* 0 linear, 1 2-level */
#define IDR1_SIDSIZE(r)		((r) & 0x3f)
#define IDR1_EVENTQS(r)		(((r) >> 16) & 0x1f)
#define IDR1_CMDQS(r)		(((r) >> 21) & 0x1f)
#define IDR3_RIL		(1u << 10)	/* range invalidation (SMMUv3.2) */
#define IDR5_OAS(r)		((r) & 7)
#define IDR5_GRAN4K		(1u << 4)
#define IDR5_GRAN16K		(1u << 5)
#define IDR5_GRAN64K		(1u << 6)
#define IDR5_VAX(r)		(((r) >> 10) & 3)	/* 1: 52-bit VA */

#define CR0_SMMUEN		(1u << 0)
#define CR0_EVENTQEN		(1u << 2)
#define CR0_CMDQEN		(1u << 3)
#define IRQ_CTRL_GERROR		(1u << 0)
#define IRQ_CTRL_EVENTQ		(1u << 2)
#define GERROR_CMDQ_ERR		(1u << 0)
#define Q_OVF			(1u << 31)	/* PROD/CONS overflow flag */
#define CMDQ_CONS_ERR(r)	(((r) >> 24) & 0x7f)

/* ------------------------------------------------------------ IDR decode */

struct smmu_features {
	bool s1, s2, aarch64_tables, coherent, asid16, linear_only;
	bool gran4k, gran16k, gran64k;
	bool range_inval;		/* IDR3.RIL: TLBI by address range */
	unsigned int sid_bits;		/* IDR1.SIDSIZE */
	unsigned int cmdq_log2, eventq_log2;	/* max entries, log2 */
	unsigned int oas_bits;		/* output (physical) address size */
	unsigned int va_bits;		/* 48, or 52 with VAX */
	unsigned int ttendian;
};

/* Decode IDR0/1/5. 0, or -1 with the reason in err (no stage 1, no
 * AArch64 tables, no 4 KiB granule, big-endian-only tables). */
int smmu_decode_idr(uint32_t idr0, uint32_t idr1, uint32_t idr5,
		    struct smmu_features *f, char *err, size_t errlen);
/* OAS/IPS code (0..6) -> bits (32, 36, 40, 42, 44, 48, 52); 0 if bad. */
unsigned int smmu_oas_bits(unsigned int code);

/* ------------------------------------------------------------ STE and CD */

#define STE_DWORDS		8	/* 64 bytes */
#define CD_DWORDS		8

#define STE0_V			(1ULL << 0)
#define STE0_CFG_ABORT		(0ULL << 1)
#define STE0_CFG_BYPASS		(4ULL << 1)
#define STE0_CFG_S1		(5ULL << 1)
#define STE0_CFG(e)		(((e) >> 1) & 7)
#define STE0_S1CTXPTR_MASK	0x000fffffffffffc0ULL	/* [51:6] */
#define STE0_S1CDMAX(e)		((unsigned int)((e) >> 59) & 0x1f)
#define STE1_S1CIR_WBRA		(1ULL << 2)
#define STE1_S1COR_WBRA		(1ULL << 4)
#define STE1_S1CSH_ISH		(3ULL << 6)

#define CD0_T0SZ(v)		((uint64_t)(v) & 0x3f)
#define CD0_TG0_4K		(0ULL << 6)
#define CD0_IRGN0_WBWA		(1ULL << 8)
#define CD0_ORGN0_WBWA		(1ULL << 10)
#define CD0_SH0_ISH		(3ULL << 12)
#define CD0_EPD0		(1ULL << 14)
#define CD0_ENDI		(1ULL << 15)	/* 1: big-endian tables */
#define CD0_EPD1		(1ULL << 30)
#define CD0_V			(1ULL << 31)
#define CD0_IPS(v)		((uint64_t)(v) << 32)
#define CD0_AA64		(1ULL << 41)
#define CD0_R			(1ULL << 45)	/* record faults as events */
#define CD0_A			(1ULL << 46)	/* abort faulting transactions */
#define CD0_ASET		(1ULL << 47)
#define CD0_ASID(v)		((uint64_t)(v) << 48)
#define CD1_TTB0_MASK		0x000ffffffffffff0ULL	/* [51:4] */

/* MAIR: attr0 normal write-back (what every IOMMU mapping uses),
 * attr1 device nGnRE, attr2 normal non-cacheable. */
#define SMMU_MAIR		0x00000000004404ffULL

/* The STE of a stage-1 stream whose single CD (S1CDMax 0) is at cd_phys. */
void smmu_ste_s1(uint64_t ste[STE_DWORDS], phys_addr_t cd_phys);
/* A CD: ias_bits input VA size (T0SZ = 64 - ias_bits), 4 KiB granule,
 * tables at ttb, ips code for the output size, asid. */
void smmu_cd_s1(uint64_t cd[CD_DWORDS], unsigned int ias_bits,
		phys_addr_t ttb, unsigned int ips, uint16_t asid);

/* ------------------------------------------------------------ commands */

#define CMD_CFGI_STE		0x03
#define CMD_CFGI_ALL		0x04
#define CMD_CFGI_CD		0x05
#define CMD_TLBI_NH_ASID	0x11
#define CMD_TLBI_NH_VA		0x12
#define CMD_TLBI_NSNH_ALL	0x30
#define CMD_SYNC		0x46

struct smmu_cmd {
	uint64_t w[2];
};

struct smmu_cmd smmu_cmd_cfgi_ste(uint32_t sid);
struct smmu_cmd smmu_cmd_cfgi_cd(uint32_t sid);
struct smmu_cmd smmu_cmd_cfgi_all(void);
struct smmu_cmd smmu_cmd_tlbi_nh_va(uint16_t asid, uint64_t va, bool leaf);
/* TLBI_NH_VA of a range (SMMUv3.2, IDR3.RIL): (num + 1) << scale 4 KiB
 * pages from va (TG = 4 KiB); num < 32, scale < 32. */
struct smmu_cmd smmu_cmd_tlbi_nh_va_range(uint16_t asid, uint64_t va,
					  unsigned int scale, unsigned int num,
					  bool leaf);
struct smmu_cmd smmu_cmd_tlbi_nh_asid(uint16_t asid);
struct smmu_cmd smmu_cmd_tlbi_nsnh_all(void);
struct smmu_cmd smmu_cmd_sync(void);	/* CS = none: completion by CONS */

/* ------------------------------------------------------------ events */

#define EVT_F_UUT		0x01
#define EVT_C_BAD_STREAMID	0x02
#define EVT_F_STE_FETCH		0x03
#define EVT_C_BAD_STE		0x04
#define EVT_F_STREAM_DISABLED	0x06
#define EVT_C_BAD_SUBSTREAMID	0x08
#define EVT_F_CD_FETCH		0x09
#define EVT_C_BAD_CD		0x0a
#define EVT_F_WALK_EABT		0x0b
#define EVT_F_TRANSLATION	0x10
#define EVT_F_ADDR_SIZE		0x11
#define EVT_F_ACCESS		0x12
#define EVT_F_PERMISSION	0x13

struct smmu_event {
	uint8_t id;
	uint32_t sid;
	bool ssv;
	uint32_t ssid;
	bool read;		/* RnW (translation-class faults) */
	bool s2;		/* stage-2 fault */
	uint64_t addr;		/* input address */
};

void smmu_decode_event(const uint64_t rec[4], struct smmu_event *ev);
/* "F_TRANSLATION", ...; "UNKNOWN" for codes it does not know. */
const char *smmu_event_name(uint8_t id);
/* One line in words ("translation fault ..."). */
const char *smmu_event_desc(uint8_t id);

/* ------------------------------------------------------------ device tree */

struct smmu_fdt {
	int node;
	uint32_t phandle;
	uint64_t base, size;		/* CPU physical */
	uint32_t eventq_irq, gerror_irq, cmdq_sync_irq, priq_irq; /* GIC IDs, 0: none */
	bool eventq_edge, gerror_edge;	/* trigger type: edge (QEMU pulses) */
	bool coherent;			/* dma-coherent */
};

/* The next enabled `arm,smmu-v3` node after from (-1: the first). 0 or a
 * negative FDT error (message in err). */
int smmu_fdt_find(const struct fdt *f, int from, struct smmu_fdt *out,
		  char *err, size_t errlen);

/*
 * Translate a PCI requester ID through the host bridge node's `iommu-map`
 * (rid-base, iommu phandle, sid-base, length entries; `iommu-map-mask`
 * applied first). 0 with *phandle and *sid, -FDT_ERR_NOTFOUND (no map, or
 * no entry covers rid: the device is not behind an IOMMU), or
 * -FDT_ERR_BADVALUE (a map whose length is not whole entries).
 */
int smmu_fdt_map_rid(const struct fdt *f, int host_node, uint32_t rid,
		     uint32_t *phandle, uint32_t *sid);

/* ------------------------------------------------------------ page tables */

/* Stage-1 VMSAv8-64 descriptors, 4 KiB granule. */
#define S1_PTE_VALID		(1ULL << 0)
#define S1_PTE_TABLE		(1ULL << 1)	/* table (level < 3) / page (3) */
#define S1_PTE_ATTRIDX(i)	((uint64_t)(i) << 2)
#define S1_PTE_AP_UNPRIV	(1ULL << 6)
#define S1_PTE_AP_RDONLY	(1ULL << 7)
#define S1_PTE_SH_ISH		(3ULL << 8)
#define S1_PTE_AF		(1ULL << 10)
#define S1_PTE_NG		(1ULL << 11)
#define S1_PTE_XN		(1ULL << 54)
#define S1_PTE_ADDR		0x0000fffffffff000ULL

#define SMMU_BLOCK_SIZE		IO_PGTABLE_BLOCK_SIZE	/* a level-2 block */

/*
 * The tables themselves are the shared radix table of io-pgtable.h; this
 * format (arm-smmu-v3-pgtable.c) says what the bits of a descriptor mean.
 * smmu_pgtable_init makes a table of this format.
 */
extern const struct pgtable_fmt smmu_s1_fmt;

/* 0, -EINVAL (levels not 3 or 4) or -ENOMEM; blocks off until pt->blocks. */
static inline int smmu_pgtable_init(struct io_pgtable *pt, unsigned int levels,
				    pg_data_t *node)
{
	return io_pgtable_init(pt, &smmu_s1_fmt, levels, false, node);
}
/* Then io_pgtable_map/unmap/iova_to_phys/free (io-pgtable.h) on it. Stage
 * 1 cannot express write-only: IOMMU_WRITE alone maps read-write. */

/* ------------------------------------------------------------ hardware */


struct smmu_domain;

struct smmu_device {
	void *regs;
	struct smmu_fdt fdt;
	struct smmu_features feat;
	uint32_t idr0, idr1, idr5;
	bool enabled;
	unsigned int levels, ias_bits, ips;
	spinlock_t lock;		/* queues, stream table */
	uint64_t *strtab;		/* linear, 1 << strtab_log2 STEs */
	unsigned int strtab_log2;
	uint64_t *cmdq;			/* 2 dwords an entry */
	unsigned int cmdq_log2;
	uint32_t cmdq_prod;		/* index | wrap bit */
	uint64_t *evtq;			/* 4 dwords an entry */
	unsigned int evtq_log2;
	uint16_t next_asid;
	bool eventq_irq;		/* the wired interrupt was requested */
	struct iommu_bindings bind;	/* StreamID -> domain, device */
	/* counters for `iommu` and the tests */
	unsigned long nr_cmds, nr_syncs, nr_cfgi_ste, nr_cfgi_cd;
	unsigned long nr_tlbi_va, nr_tlbi_asid, nr_events, nr_event_irqs;
	unsigned long nr_gerrors, nr_evtq_overflows;
	struct smmu_event last_event;
};

struct smmu_domain {
	struct iommu_domain domain;
	struct smmu_device *smmu;
	struct io_pgtable pt;
	spinlock_t lock;		/* the page tables */
	uint64_t *cd;			/* its context descriptor */
	uint16_t asid;
	char name[24];
};

/* Find the SMMU in the device tree, probe, tables and queues, enable.
 * Then register the PCI hook (call before pci_init()). Returns 1 if an
 * SMMU is on, 0 if there is none (or it failed, printed). */
int arm_smmu_v3_pci_init(const struct boot_info *bi);

/* The unit (NULL if none is enabled). */
struct smmu_device *arm_smmu_v3_device(void);

/* A domain (ASID, CD, tables) attached to nothing; free with _free. */
struct iommu_domain *arm_smmu_domain_alloc(struct smmu_device *s);
void arm_smmu_domain_free(struct iommu_domain *d);
/* Point stream sid at a new domain and route dev's DMA API through it. */
struct iommu_domain *arm_smmu_attach(struct smmu_device *s,
				     struct device *dev, uint32_t sid);

/* Read the event queue now (the interrupt's work; tests call it).
 * Returns the records consumed. Also reports GERROR. */
unsigned int arm_smmu_process_events(struct smmu_device *s);

#endif
