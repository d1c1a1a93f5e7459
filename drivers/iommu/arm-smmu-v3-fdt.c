/*
 * drivers/iommu/arm-smmu-v3-fdt.c - the pure half of the SMMUv3 driver
 * (arm-smmu-v3.h): ID registers, STE and CD words, commands, event
 * records (IHI 0070 chapters 5-7), and the device tree (the `arm,smmu-v3`
 * binding and the PCI host's `iommu-map`, Linux's
 * Documentation/devicetree/bindings/pci/pci-iommu.txt). No hardware access:
 * the host tests run all of it.
 */
#include "drivers/iommu/arm-smmu-v3.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vsprintf.h"

unsigned int smmu_oas_bits(unsigned int code)
{
	static const unsigned int bits[] = { 32, 36, 40, 42, 44, 48, 52 };

	return code < ARRAY_SIZE(bits) ? bits[code] : 0;
}

static int fail(char *err, size_t errlen, const char *msg)
{
	if (err && errlen)
		ksnprintf(err, errlen, "%s", msg);
	return -1;
}

int smmu_decode_idr(uint32_t idr0, uint32_t idr1, uint32_t idr5,
		    struct smmu_features *f, char *err, size_t errlen)
{
	memset(f, 0, sizeof(*f));
	f->s1 = idr0 & IDR0_S1P;
	f->s2 = idr0 & IDR0_S2P;
	f->aarch64_tables = IDR0_TTF(idr0) & 2;
	f->coherent = idr0 & IDR0_COHACC;
	f->asid16 = idr0 & IDR0_ASID16;
	f->linear_only = IDR0_ST_LEVEL(idr0) == 0;
	f->ttendian = IDR0_TTENDIAN(idr0);
	f->sid_bits = IDR1_SIDSIZE(idr1);
	f->cmdq_log2 = IDR1_CMDQS(idr1);
	f->eventq_log2 = IDR1_EVENTQS(idr1);
	f->gran4k = idr5 & IDR5_GRAN4K;
	f->gran16k = idr5 & IDR5_GRAN16K;
	f->gran64k = idr5 & IDR5_GRAN64K;
	f->oas_bits = smmu_oas_bits(IDR5_OAS(idr5));
	f->va_bits = IDR5_VAX(idr5) == 1 ? 52 : 48;
	if (!f->s1)
		return fail(err, errlen, "no stage 1 translation (IDR0.S1P = 0)");
	if (!f->aarch64_tables)
		return fail(err, errlen, "no AArch64 table format (IDR0.TTF)");
	if (!f->gran4k)
		return fail(err, errlen, "no 4 KiB granule (IDR5.GRAN4K = 0)");
	if (f->ttendian == 3)
		return fail(err, errlen, "big-endian tables only (IDR0.TTENDIAN)");
	if (!f->oas_bits)
		return fail(err, errlen, "reserved IDR5.OAS");
	return 0;
}

void smmu_ste_s1(uint64_t ste[STE_DWORDS], phys_addr_t cd_phys)
{
	memset(ste, 0, STE_DWORDS * sizeof(uint64_t));
	/* S1FMT 0 (one CD), S1CDMax 0; CD fetches cacheable, inner shareable;
	 * STRW 0: the stream is non-secure EL1 (ASIDs tag its TLB entries). */
	ste[1] = STE1_S1CIR_WBRA | STE1_S1COR_WBRA | STE1_S1CSH_ISH;
	ste[0] = STE0_V | STE0_CFG_S1 | (cd_phys & STE0_S1CTXPTR_MASK);
}

void smmu_cd_s1(uint64_t cd[CD_DWORDS], unsigned int ias_bits,
		phys_addr_t ttb, unsigned int ips, uint16_t asid)
{
	memset(cd, 0, CD_DWORDS * sizeof(uint64_t));
	cd[1] = ttb & CD1_TTB0_MASK;
	cd[3] = SMMU_MAIR;
	/* TTB1 is never walked (EPD1); ENDI 0: little-endian tables; R and A:
	 * a fault is recorded as an event and the transaction aborted. */
	cd[0] = CD0_T0SZ(64 - ias_bits) | CD0_TG0_4K | CD0_IRGN0_WBWA |
		CD0_ORGN0_WBWA | CD0_SH0_ISH | CD0_EPD1 | CD0_V |
		CD0_IPS(ips) | CD0_AA64 | CD0_R | CD0_A | CD0_ASET |
		CD0_ASID(asid);
}

static struct smmu_cmd cmd(uint64_t w0, uint64_t w1)
{
	struct smmu_cmd c = { { w0, w1 } };

	return c;
}

struct smmu_cmd smmu_cmd_cfgi_ste(uint32_t sid)
{
	return cmd(CMD_CFGI_STE | (uint64_t)sid << 32, 1 /* leaf */);
}

struct smmu_cmd smmu_cmd_cfgi_cd(uint32_t sid)
{
	/* SSID 0 (bits 31:12), leaf */
	return cmd(CMD_CFGI_CD | (uint64_t)sid << 32, 1);
}

struct smmu_cmd smmu_cmd_cfgi_all(void)
{
	return cmd(CMD_CFGI_ALL, 31);	/* Range 31: every StreamID */
}

struct smmu_cmd smmu_cmd_tlbi_nh_va(uint16_t asid, uint64_t va, bool leaf)
{
	/* NUM/SCALE/TG 0: one address; leaf = 0 also drops walk caches. */
	return cmd(CMD_TLBI_NH_VA | (uint64_t)asid << 48,
		   (va & ~0xfffULL) | (leaf ? 1 : 0));
}

struct smmu_cmd smmu_cmd_tlbi_nh_va_range(uint16_t asid, uint64_t va,
					  unsigned int scale, unsigned int num,
					  bool leaf)
{
	/* word 0: NUM 16:12, SCALE 24:20; word 1: TG 11:10 (1: 4 KiB). */
	return cmd(CMD_TLBI_NH_VA | (uint64_t)(num & 31) << 12 |
		   (uint64_t)(scale & 31) << 20 | (uint64_t)asid << 48,
		   (va & ~0xfffULL) | 1ULL << 10 | (leaf ? 1 : 0));
}

struct smmu_cmd smmu_cmd_tlbi_nh_asid(uint16_t asid)
{
	return cmd(CMD_TLBI_NH_ASID | (uint64_t)asid << 48, 0);
}

struct smmu_cmd smmu_cmd_tlbi_nsnh_all(void)
{
	return cmd(CMD_TLBI_NSNH_ALL, 0);
}

struct smmu_cmd smmu_cmd_sync(void)
{
	return cmd(CMD_SYNC, 0);	/* CS 0: no signal, CONS tells */
}

void smmu_decode_event(const uint64_t rec[4], struct smmu_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	ev->id = (uint8_t)rec[0];
	ev->ssv = (rec[0] >> 11) & 1;
	ev->ssid = (uint32_t)(rec[0] >> 12) & 0xfffff;
	ev->sid = (uint32_t)(rec[0] >> 32);
	ev->read = (rec[1] >> 35) & 1;
	ev->s2 = (rec[1] >> 39) & 1;
	ev->addr = rec[2];
}

static const struct {
	uint8_t id;
	const char *name, *desc;
} events[] = {
	{ EVT_F_UUT, "F_UUT", "unsupported upstream transaction" },
	{ EVT_C_BAD_STREAMID, "C_BAD_STREAMID", "stream ID out of the stream table" },
	{ EVT_F_STE_FETCH, "F_STE_FETCH", "external abort fetching the STE" },
	{ EVT_C_BAD_STE, "C_BAD_STE", "invalid STE (stream not configured)" },
	{ EVT_F_STREAM_DISABLED, "F_STREAM_DISABLED", "stream disabled" },
	{ EVT_C_BAD_SUBSTREAMID, "C_BAD_SUBSTREAMID", "bad substream ID" },
	{ EVT_F_CD_FETCH, "F_CD_FETCH", "external abort fetching the CD" },
	{ EVT_C_BAD_CD, "C_BAD_CD", "invalid context descriptor" },
	{ EVT_F_WALK_EABT, "F_WALK_EABT", "external abort during the table walk" },
	{ EVT_F_TRANSLATION, "F_TRANSLATION", "translation fault: address not mapped" },
	{ EVT_F_ADDR_SIZE, "F_ADDR_SIZE", "address size fault: beyond the input or output range" },
	{ EVT_F_ACCESS, "F_ACCESS", "access flag fault" },
	{ EVT_F_PERMISSION, "F_PERMISSION", "permission fault: write to a read-only page" },
};

const char *smmu_event_name(uint8_t id)
{
	for (size_t i = 0; i < ARRAY_SIZE(events); i++)
		if (events[i].id == id)
			return events[i].name;
	return "UNKNOWN";
}

const char *smmu_event_desc(uint8_t id)
{
	for (size_t i = 0; i < ARRAY_SIZE(events); i++)
		if (events[i].id == id)
			return events[i].desc;
	return "unknown event";
}

int smmu_fdt_find(const struct fdt *f, int from, struct smmu_fdt *out,
		  char *err, size_t errlen)
{
	struct fdt_reg reg;
	int node, n, ret;

	memset(out, 0, sizeof(*out));
	for (node = fdt_node_by_compatible(f, from, "arm,smmu-v3");
	     node >= 0 && !fdt_node_is_enabled(f, node);
	     node = fdt_node_by_compatible(f, node, "arm,smmu-v3"))
		;
	if (node < 0)
		return node;
	out->node = node;
	if (fdt_getprop_u32(f, node, "phandle", &out->phandle) < 0)
		fdt_getprop_u32(f, node, "linux,phandle", &out->phandle);
	ret = fdt_get_reg_phys(f, node, 0, &reg, err, errlen);
	if (ret < 0)
		return ret;
	out->base = reg.base;
	out->size = reg.size;
	out->coherent = fdt_getprop(f, node, "dma-coherent", NULL) != NULL;
	n = fdt_stringlist_count(f, node, "interrupt-names");
	for (int i = 0; i < n; i++) {
		const char *name = fdt_stringlist_get(f, node, "interrupt-names", i);
		struct fdt_irq irq;

		if (!name || fdt_get_irq(f, node, (unsigned int)i, &irq, NULL, 0) < 0)
			continue;
		/* The GIC binding's third cell: 1 or 2 = edge, 4 or 8 = level. */
		bool edge = irq.nr_cells >= 3 && (irq.cells[2] & 3);

		if (!strcmp(name, "eventq")) {
			out->eventq_irq = irq.intid;
			out->eventq_edge = edge;
		} else if (!strcmp(name, "gerror")) {
			out->gerror_irq = irq.intid;
			out->gerror_edge = edge;
		}
		else if (!strcmp(name, "cmdq-sync"))
			out->cmdq_sync_irq = irq.intid;
		else if (!strcmp(name, "priq"))
			out->priq_irq = irq.intid;
	}
	return 0;
}

int smmu_fdt_map_rid(const struct fdt *f, int host_node, uint32_t rid,
		     uint32_t *phandle, uint32_t *sid)
{
	uint32_t len, mask = 0xffffffffu;
	const uint8_t *map = fdt_getprop(f, host_node, "iommu-map", &len);

	if (!map)
		return -FDT_ERR_NOTFOUND;
	if (len % 16)
		return -FDT_ERR_BADVALUE;
	if (fdt_getprop_u32(f, host_node, "iommu-map-mask", &mask) < 0)
		mask = 0xffffffffu;
	rid &= mask;
	for (uint32_t off = 0; off < len; off += 16) {
		uint32_t base = fdt_be32(map + off);
		uint32_t ph = fdt_be32(map + off + 4);
		uint32_t sid_base = fdt_be32(map + off + 8);
		uint32_t n = fdt_be32(map + off + 12);

		if (rid >= base && (uint64_t)rid < (uint64_t)base + n) {
			*phandle = ph;
			*sid = sid_base + (rid - base);
			return 0;
		}
	}
	return -FDT_ERR_NOTFOUND;
}
