/*
 * drivers/acpi/acpi.c - RSDP -> RSDT/XSDT -> MADT, checked at each step
 * (contract: drivers/acpi/acpi.h). Offsets are ACPI 6.5's:
 *   RSDP (5.2.5.3): "RSD PTR " 0, checksum 8 (first 20 bytes), OEM 9,
 *     revision 15, RSDT address 16; rev >= 2: length 20, XSDT address 24,
 *     extended checksum 32 (whole length).
 *   Table header (5.2.6), 36 bytes: signature 0, length 4, revision 8,
 *     checksum 9 (whole table sums to 0), OEM ID 10.
 *   MADT (5.2.12): local APIC address 36, flags 40, entries from 44, each
 *     type 0, length 1: type 0 local APIC (UID 2, APIC ID 3, flags 4),
 *     type 1 I/O APIC (ID 2, address 4, GSI base 8), type 2 interrupt
 *     source override (bus 2, source 3, GSI 4, flags 8: MPS INTI flags),
 *     type 5 address override (address 4), type 9 x2APIC (ID 4, flags 8,
 *     UID 12).
 *   FADT (5.2.9): DSDT 40 (32-bit), X_DSDT 140 (64-bit, length >= 148).
 *   MCFG (PCI Firmware 3.2, 4.1.2): reserved 36..43, then 16-byte entries:
 *     base address 0, segment 8, start bus 10, end bus 11.
 */
#include "drivers/acpi/acpi.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vsprintf.h"

#define HDR_LEN		36
#define MAX_TABLE_LEN	(1u << 20)	/* a sanity bound, not a spec limit */

static uint32_t rd32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static uint64_t rd64(const uint8_t *p) { uint64_t v; memcpy(&v, p, 8); return v; }

static uint8_t sum(const uint8_t *p, size_t n)
{
	uint8_t s = 0;

	while (n--)
		s += *p++;
	return s;
}

uint64_t acpi_find_rsdp(boot_map_fn map)
{
	static const struct { uint64_t start, len; } areas[2] = {
		{ 0, 1024 },			/* EBDA: start filled below */
		{ 0xe0000, 0x20000 },
	};
	const uint8_t *bda = map(0x40e, 2);
	uint64_t ebda = bda ? (uint64_t)(bda[0] | bda[1] << 8) << 4 : 0;

	for (int a = 0; a < 2; a++) {
		uint64_t start = a == 0 ? ebda : areas[a].start;
		uint64_t len = areas[a].len;
		const uint8_t *p;

		if (a == 0 && (ebda < 0x80000 || ebda >= 0xa0000))
			continue;		/* no plausible EBDA */
		p = map(start, len);
		if (!p)
			continue;
		for (uint64_t off = 0; off + 20 <= len; off += 16)
			if (!memcmp(p + off, "RSD PTR ", 8) && sum(p + off, 20) == 0)
				return start + off;
	}
	return 0;
}

/* Map a whole table after checking its header; NULL with err set. */
static const uint8_t *map_table(uint64_t phys, const char *want, boot_map_fn map,
				char *err, size_t errlen)
{
	const uint8_t *h = map(phys, HDR_LEN);
	uint32_t len;

	if (!h) {
		ksnprintf(err, errlen, "acpi: table at 0x%llx cannot be mapped",
			  (unsigned long long)phys);
		return NULL;
	}
	if (want && memcmp(h, want, 4)) {
		ksnprintf(err, errlen, "acpi: table at 0x%llx has signature "
			  "'%.4s', expected '%s'", (unsigned long long)phys,
			  (const char *)h, want);
		return NULL;
	}
	len = rd32(h + 4);
	if (len < HDR_LEN || len > MAX_TABLE_LEN) {
		ksnprintf(err, errlen, "acpi: %.4s at 0x%llx: length %u is "
			  "outside [%u, %u]", (const char *)h,
			  (unsigned long long)phys, len, HDR_LEN, MAX_TABLE_LEN);
		return NULL;
	}
	const uint8_t *t = map(phys, len);

	if (!t) {
		ksnprintf(err, errlen, "acpi: %.4s at 0x%llx: its %u bytes "
			  "cannot be mapped", (const char *)h,
			  (unsigned long long)phys, len);
		return NULL;
	}
	if (sum(t, len)) {
		ksnprintf(err, errlen, "acpi: %.4s at 0x%llx: checksum byte sum "
			  "is 0x%02x, not 0", (const char *)t,
			  (unsigned long long)phys, sum(t, len));
		return NULL;
	}
	return t;
}

/* MADT type 1, length checked: an I/O APIC. */
static int madt_ioapic(const uint8_t *e, uint32_t off, struct acpi_madt_info *out,
		       char *err, size_t errlen)
{
	struct acpi_ioapic io = { .id = e[2], .address = rd32(e + 4),
				  .gsi_base = rd32(e + 8) };

	if (io.address == 0 || (io.address & 0xf)) {
		ksnprintf(err, errlen, "acpi: MADT entry type 1 at offset %u: "
			  "I/O APIC address 0x%x is %s", off, io.address,
			  io.address ? "not 16-byte aligned" : "0");
		return -1;
	}
	if (out->nr_ioapics < ACPI_MAX_IOAPICS)
		out->ioapics[out->nr_ioapics++] = io;
	else
		out->ioapics_dropped++;
	return 0;
}

/* MADT type 2, length checked: an ISA interrupt source override. */
static int madt_iso(const uint8_t *e, uint32_t off, struct acpi_madt_info *out,
		    char *err, size_t errlen)
{
	uint16_t flags = (uint16_t)(e[8] | e[9] << 8);
	struct acpi_iso iso = { .source = e[3], .gsi = rd32(e + 4),
				.flags = flags };
	const char *what = NULL;
	unsigned int val = 0;

	if (e[2] != 0) {
		what = "bus"; val = e[2];
	} else if (e[3] > 15) {
		what = "source"; val = e[3];
	} else if (ACPI_MPS_POLARITY(flags) == 2) {
		what = "polarity"; val = 2;
	} else if (ACPI_MPS_TRIGGER(flags) == 2) {
		what = "trigger mode"; val = 2;
	}
	if (what) {
		ksnprintf(err, errlen, "acpi: MADT entry type 2 at offset %u: "
			  "%s %u is %s", off, what, val,
			  e[2] ? "not 0 (ISA)" : e[3] > 15 ? "not an ISA IRQ (0-15)" :
			  "reserved");
		return -1;
	}
	if (out->nr_isos < ACPI_MAX_ISOS)
		out->isos[out->nr_isos++] = iso;
	else
		out->isos_dropped++;
	return 0;
}

/* Count an entry that could not be used; keep the first reason. */
static void skip_entry(struct acpi_madt_info *out, const char *why)
{
	if (!out->entries_skipped++)
		strlcpy(out->skipped_why, why, sizeof(out->skipped_why));
}

static int parse_madt(const uint8_t *t, uint64_t phys, struct acpi_madt_info *out,
		      char *err, size_t errlen)
{
	uint32_t len = rd32(t + 4);
	char why[sizeof(out->skipped_why)];

	if (len < 44) {
		ksnprintf(err, errlen, "acpi: MADT at 0x%llx: length %u is "
			  "shorter than its 44-byte fixed part",
			  (unsigned long long)phys, len);
		return -1;
	}
	out->lapic_phys = rd32(t + 36);
	out->pcat_compat = rd32(t + 40) & 1;
	for (uint32_t off = 44; off < len;) {
		uint8_t type, elen;

		if (len - off < 2) {
			ksnprintf(err, errlen, "acpi: MADT entry at offset %u: "
				  "header runs past the table end (%u)", off, len);
			return -1;
		}
		type = t[off];
		elen = t[off + 1];
		if (elen < 2 || elen > len - off) {
			ksnprintf(err, errlen, "acpi: MADT entry type %u at offset "
				  "%u: length %u %s", type, off, elen,
				  elen < 2 ? "is less than 2" : "runs past the table end");
			return -1;
		}
		static const uint8_t min_len[10] = { [0] = 8, [1] = 12, [2] = 10,
						     [5] = 12, [9] = 16 };

		if (type < 10 && min_len[type] && elen < min_len[type]) {
			ksnprintf(err, errlen, "acpi: MADT entry type %u at offset "
				  "%u: length %u is less than %u", type, off, elen,
				  min_len[type]);
			return -1;
		}
		const uint8_t *e = t + off;
		struct acpi_cpu cpu;
		bool is_cpu = false;

		if (type == 0) {
			cpu = (struct acpi_cpu){ .uid = e[2], .apic_id = e[3],
				.enabled = rd32(e + 4) & 1,
				.online_capable = rd32(e + 4) & 2 };
			is_cpu = true;
		} else if (type == 9) {
			cpu = (struct acpi_cpu){ .apic_id = rd32(e + 4),
				.uid = rd32(e + 12), .enabled = rd32(e + 8) & 1,
				.online_capable = rd32(e + 8) & 2 };
			is_cpu = true;
		} else if (type == 1 || type == 2) {
			/* A bad one is skipped, not fatal: the CPUs stay usable. */
			if ((type == 1 ? madt_ioapic : madt_iso)(e, off, out, why,
								 sizeof(why)))
				skip_entry(out, why);
		} else if (type == 5) {
			out->lapic_phys = rd64(e + 4);
		}
		if (is_cpu) {
			if (out->nr_cpus < ACPI_MAX_CPUS)
				out->cpus[out->nr_cpus++] = cpu;
			else
				out->cpus_dropped++;
		}
		off += elen;
	}
	return 0;
}

/*
 * RSDP -> XSDT or RSDT -> the table signed sig, checked. On success the
 * table's bytes, with its physical address in *phys; the RSDP's facts go
 * to the optional out arguments. NULL with err set otherwise.
 */
static const uint8_t *find_table(uint64_t rsdp_phys, boot_map_fn map,
				 const char *sig, uint64_t *phys, char *oem_id,
				 uint8_t *revision, bool *used_xsdt,
				 char *err, size_t errlen)
{
	const uint8_t *r = map(rsdp_phys, 20);
	uint64_t root;
	unsigned int entry_size;

	if (!r) {
		ksnprintf(err, errlen, "acpi: RSDP at 0x%llx cannot be mapped",
			  (unsigned long long)rsdp_phys);
		return NULL;
	}
	if (memcmp(r, "RSD PTR ", 8)) {
		ksnprintf(err, errlen, "acpi: no 'RSD PTR ' signature at 0x%llx",
			  (unsigned long long)rsdp_phys);
		return NULL;
	}
	if (sum(r, 20)) {
		ksnprintf(err, errlen, "acpi: RSDP at 0x%llx: checksum of the "
			  "first 20 bytes is 0x%02x, not 0",
			  (unsigned long long)rsdp_phys, sum(r, 20));
		return NULL;
	}
	if (oem_id)
		memcpy(oem_id, r + 9, 6);
	if (revision)
		*revision = r[15];
	root = rd32(r + 16);
	entry_size = 4;
	if (r[15] >= 2) {
		const uint8_t *x = map(rsdp_phys, 36);
		uint32_t len = x ? rd32(x + 20) : 0;

		if (!x || len < 36 || len > 4096) {
			ksnprintf(err, errlen, "acpi: RSDP revision %u at 0x%llx: "
				  "length %u is outside [36, 4096]", r[15],
				  (unsigned long long)rsdp_phys, len);
			return NULL;
		}
		x = map(rsdp_phys, len);
		if (!x || sum(x, len)) {
			ksnprintf(err, errlen, "acpi: RSDP at 0x%llx: extended "
				  "checksum over %u bytes is not 0",
				  (unsigned long long)rsdp_phys, len);
			return NULL;
		}
		if (rd64(x + 24)) {
			root = rd64(x + 24);
			entry_size = 8;
			if (used_xsdt)
				*used_xsdt = true;
		}
	}
	const uint8_t *rt = map_table(root, entry_size == 8 ? "XSDT" : "RSDT",
				      map, err, errlen);

	if (!rt)
		return NULL;
	uint32_t n = (rd32(rt + 4) - HDR_LEN) / entry_size;

	for (uint32_t i = 0; i < n; i++) {
		const uint8_t *p = rt + HDR_LEN + i * entry_size;
		uint64_t tphys = entry_size == 8 ? rd64(p) : rd32(p);
		const uint8_t *h = map(tphys, HDR_LEN);

		if (!h || memcmp(h, sig, 4))
			continue;
		*phys = tphys;
		return map_table(tphys, sig, map, err, errlen);
	}
	ksnprintf(err, errlen, "acpi: the %s (%u entries) lists no %s",
		  entry_size == 8 ? "XSDT" : "RSDT", n,
		  memcmp(sig, "APIC", 4) ? sig : "MADT ('APIC')");
	return NULL;
}

const void *acpi_find_table(uint64_t rsdp_phys, boot_map_fn map,
			    const char *sig, uint64_t *phys,
			    char *err, size_t errlen)
{
	uint64_t p = 0;
	const uint8_t *t = find_table(rsdp_phys, map, sig, &p, NULL, NULL,
				      NULL, err, errlen);

	if (t && phys)
		*phys = p;
	return t;
}

int acpi_parse_madt(uint64_t rsdp_phys, boot_map_fn map,
		    struct acpi_madt_info *out, char *err, size_t errlen)
{
	uint64_t phys = 0;
	const uint8_t *madt;

	memset(out, 0, sizeof(*out));
	madt = find_table(rsdp_phys, map, "APIC", &phys, out->oem_id,
			  &out->rsdp_revision, &out->used_xsdt, err, errlen);
	if (!madt)
		return -1;
	return parse_madt(madt, phys, out, err, errlen);
}

int acpi_parse_mcfg(uint64_t rsdp_phys, boot_map_fn map,
		    struct acpi_mcfg_info *out, char *err, size_t errlen)
{
	uint64_t phys = 0;
	const uint8_t *t;
	uint32_t len;

	memset(out, 0, sizeof(*out));
	t = find_table(rsdp_phys, map, "MCFG", &phys, NULL, NULL, NULL,
		       err, errlen);
	if (!t)
		return -1;
	len = rd32(t + 4);
	if (len < 44 || (len - 44) % 16) {
		ksnprintf(err, errlen, "acpi: MCFG at 0x%llx: length %u is not "
			  "44 + a multiple of 16", (unsigned long long)phys, len);
		return -1;
	}
	for (uint32_t off = 44; off < len; off += 16) {
		const uint8_t *e = t + off;
		struct acpi_mcfg_entry m = {
			.base = rd64(e), .segment = (uint16_t)(e[8] | e[9] << 8),
			.bus_start = e[10], .bus_end = e[11],
		};

		if (m.bus_end < m.bus_start || (m.base & 0xfffff)) {
			ksnprintf(err, errlen, "acpi: MCFG entry at offset %u: "
				  "base 0x%llx, buses %u-%u: %s", off,
				  (unsigned long long)m.base, m.bus_start,
				  m.bus_end, m.bus_end < m.bus_start ?
				  "end bus below start bus" :
				  "base not 1 MiB aligned");
			return -1;
		}
		if (out->nr < ACPI_MAX_MCFG)
			out->entries[out->nr++] = m;
		else
			out->dropped++;
	}
	return 0;
}

const void *acpi_find_dsdt(uint64_t rsdp_phys, boot_map_fn map, uint32_t *len,
			   uint64_t *phys, char *err, size_t errlen)
{
	uint64_t fphys = 0, dphys;
	const uint8_t *f, *d;
	uint32_t flen;

	f = find_table(rsdp_phys, map, "FACP", &fphys, NULL, NULL, NULL,
		       err, errlen);
	if (!f)
		return NULL;
	flen = rd32(f + 4);
	if (flen < 44) {
		ksnprintf(err, errlen, "acpi: FADT at 0x%llx: length %u is too "
			  "short for its DSDT field (offset 40)",
			  (unsigned long long)fphys, flen);
		return NULL;
	}
	dphys = rd32(f + 40);
	if (flen >= 148 && rd64(f + 140))
		dphys = rd64(f + 140);
	if (!dphys) {
		ksnprintf(err, errlen, "acpi: FADT at 0x%llx: DSDT and X_DSDT "
			  "are both 0", (unsigned long long)fphys);
		return NULL;
	}
	d = map_table(dphys, "DSDT", map, err, errlen);
	if (!d)
		return NULL;
	if (len)
		*len = rd32(d + 4);
	if (phys)
		*phys = dphys;
	return d;
}
