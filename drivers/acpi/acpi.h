/*
 * drivers/acpi/acpi.h - the little of ACPI this kernel reads: the RSDP,
 * the RSDT or XSDT it points to, and the MADT ("APIC" table) that lists
 * the CPUs' local APICs (ACPI 6.5, sections 5.2.5 to 5.2.12).
 *
 * Like the boot parsers (boot/boot_info.h), it reads physical memory only
 * through a map(phys, len) callback, so the host tests hand it fake tables.
 * Every length and checksum is checked before a byte past the header is
 * trusted; a bad table gives -1 and a message naming the table, the field
 * and the value, e.g.
 *   "acpi: MADT at 0x7fe1234: checksum byte sum is 0x3c, not 0"
 */
#ifndef DRIVERS_ACPI_ACPI_H
#define DRIVERS_ACPI_ACPI_H

#include "kernel/types.h"
#include "boot/boot_info.h"	/* boot_map_fn */

#define ACPI_MAX_CPUS	64

struct acpi_cpu {
	uint32_t apic_id;	/* local APIC (or x2APIC) ID */
	uint32_t uid;		/* ACPI processor UID */
	bool enabled;		/* usable now (flags bit 0) */
	bool online_capable;	/* may be enabled later (flags bit 1) */
};

#define ACPI_MAX_IOAPICS	8
#define ACPI_MAX_ISOS		16

/* MADT type 1: an I/O APIC, whose inputs are GSIs gsi_base, gsi_base+1... */
struct acpi_ioapic {
	uint8_t id;		/* I/O APIC ID */
	uint32_t address;	/* its registers (physical) */
	uint32_t gsi_base;	/* GSI of its input 0 */
};

/* MPS INTI flags (ACPI 6.5 table 5.50): polarity bits 1:0, trigger 3:2. */
#define ACPI_MPS_POLARITY(f)	((unsigned int)(f) & 3)	/* 0 bus default, 1 high, 3 low */
#define ACPI_MPS_TRIGGER(f)	(((unsigned int)(f) >> 2) & 3) /* 0 bus default, 1 edge, 3 level */

/* MADT type 2: ISA IRQ `source` arrives on `gsi`, with these flags. */
struct acpi_iso {
	uint8_t source;		/* ISA IRQ 0-15 (bus is always 0, ISA) */
	uint32_t gsi;
	uint16_t flags;		/* ACPI_MPS_POLARITY / ACPI_MPS_TRIGGER */
};

struct acpi_madt_info {
	uint64_t lapic_phys;	/* local APIC registers (override applied) */
	bool pcat_compat;	/* legacy 8259 PICs present (flags bit 0) */
	struct acpi_cpu cpus[ACPI_MAX_CPUS];	/* in table order */
	unsigned int nr_cpus;
	unsigned int cpus_dropped;	/* did not fit in cpus[] */
	struct acpi_ioapic ioapics[ACPI_MAX_IOAPICS];	/* in table order */
	unsigned int nr_ioapics, ioapics_dropped;
	struct acpi_iso isos[ACPI_MAX_ISOS];
	unsigned int nr_isos, isos_dropped;
	/* I/O APIC and override entries with impossible values: skipped,
	 * counted, the first one's reason kept; the rest of the MADT still
	 * counts (a wrong length, by contrast, fails the whole table: the
	 * entries after it cannot be found). */
	unsigned int entries_skipped;
	char skipped_why[120];
	char oem_id[7];
	uint8_t rsdp_revision;
	bool used_xsdt;
};

/*
 * Look for the RSDP where BIOSes put it: the first KiB of the EBDA and
 * 0xe0000-0xfffff, on 16-byte boundaries, checksum verified. Returns its
 * physical address, or 0.
 */
uint64_t acpi_find_rsdp(boot_map_fn map);

/*
 * From the RSDP at rsdp_phys, find the MADT (through the XSDT when the
 * RSDP has one, the RSDT otherwise) and list its processors, I/O APICs
 * and interrupt source overrides. Returns 0, or -1 with the reason in
 * err: a malformed entry is named by offset, field and value, e.g.
 *   "acpi: MADT entry type 2 at offset 60: bus 1 is not 0 (ISA)"
 */
int acpi_parse_madt(uint64_t rsdp_phys, boot_map_fn map,
		    struct acpi_madt_info *out, char *err, size_t errlen);

/*
 * Find the table signed sig (4 characters, e.g. "MCFG") through the RSDP's
 * XSDT (or RSDT): its bytes, length and checksum verified, and its
 * physical address in *phys (may be NULL). NULL with the reason in err.
 */
const void *acpi_find_table(uint64_t rsdp_phys, boot_map_fn map,
			    const char *sig, uint64_t *phys,
			    char *err, size_t errlen);

/* PCI Express memory-mapped configuration (ECAM) areas, from the MCFG. */
#define ACPI_MAX_MCFG	8

struct acpi_mcfg_entry {
	uint64_t base;		/* ECAM of bus 0 of the segment (even if
				 * bus_start > 0): bus b at base + (b << 20) */
	uint16_t segment;
	uint8_t bus_start, bus_end;
};

struct acpi_mcfg_info {
	struct acpi_mcfg_entry entries[ACPI_MAX_MCFG];
	unsigned int nr;
	unsigned int dropped;	/* did not fit */
};

/* Parse the MCFG. 0, or -1 with the reason in err (no MCFG included). */
int acpi_parse_mcfg(uint64_t rsdp_phys, boot_map_fn map,
		    struct acpi_mcfg_info *out, char *err, size_t errlen);

/*
 * The DSDT (the AML of the machine's devices), through the FADT ("FACP"):
 * its X_DSDT (offset 140) when the FADT is long enough and it is set,
 * else its 32-bit DSDT (offset 40). The whole table, checksum verified,
 * with its length in *len and address in *phys (may be NULL); NULL with
 * the reason in err.
 */
const void *acpi_find_dsdt(uint64_t rsdp_phys, boot_map_fn map, uint32_t *len,
			   uint64_t *phys, char *err, size_t errlen);

#endif
