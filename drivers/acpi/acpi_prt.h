/*
 * drivers/acpi/acpi_prt.h - PCI interrupt routing read from the DSDT: the
 * host bridge's _PRT (ACPI 6.5, 6.2.13) and the link devices it names.
 *
 * This is not an AML interpreter. It walks the DSDT's namespace
 * declarations (Scope, Device, Name, Method; Field, OperationRegion and
 * the like are stepped over) and reads the data the firmware declared
 * statically, which is how QEMU's q35 and common firmware describe PCI
 * routing:
 *   - the first Device whose _HID or _CID is PNP0A08 or PNP0A03 and that
 *     has a _PRT is the host bridge (one; its _BBN is not read: bus 0);
 *   - its _PRT is a Name(_PRT, Package(){...}), or a Method(_PRT) whose
 *     body Returns packages (inline or by name, e.g. q35's
 *     "If (PICF == 0) { Return (PRTP) } Else { Return (PRTA) }"). The
 *     method is not run: each returned package is a candidate and the
 *     first one whose every entry resolves to a GSI is taken. A table for
 *     the 8259 PICs names link devices whose _CRS is a method and whose
 *     _PRS offers several IRQs: it does not resolve, the APIC one does;
 *   - each entry is Package(){0xSSSSFFFF, pin, Source, Index}: device SSSS
 *     on the bridge's bus, pin 0-3 (INTA-INTD). Source 0: Index is the
 *     GSI (level-triggered, active low, as PCI's INTx# is). Otherwise
 *     Source names a device (e.g. q35's GSIE, a PNP0C0F link) whose
 *     static _CRS (or, when _CRS is a method, _PRS) holds an Extended
 *     Interrupt (0x89) or IRQ descriptor (6.4.2.1, 6.4.3.6): the Index-th
 *     interrupt descriptor, which must name exactly one interrupt, gives
 *     the GSI, its trigger mode and polarity.
 * AML encodings read (ACPI 6.5, 20.2): PkgLength, NameString (root and
 * parent prefixes, dual and multi segment names), ZeroOp, OneOp, OnesOp,
 * Byte/Word/DWord/QWordPrefix, StringPrefix, PackageOp, VarPackageOp,
 * BufferOp, NameOp, ScopeOp, DeviceOp, MethodOp, ReturnOp. Every byte read
 * is bounds-checked against the table and the enclosing object.
 *
 * Malformed AML (a length past its container, a bad name character, an
 * entry that is not a 4-element package...) gives -1 and a message with
 * the table offset, e.g.
 *   "acpi: DSDT offset 0x1a3: PkgLength 0x4b73 runs past the enclosing
 *    object's end 0x20fd"
 * An opcode this reader does not know, met where declarations are
 * listed, ends the reading of that one scope (the rest of the table is
 * still read); the count and the first such place are kept in the result
 * so a failure to find the bridge can say why.
 */
#ifndef DRIVERS_ACPI_ACPI_PRT_H
#define DRIVERS_ACPI_ACPI_PRT_H

#include "kernel/types.h"

#define ACPI_PRT_MAX	128	/* q35 routes 32 slots x 4 pins */

struct acpi_prt_entry {
	uint8_t slot;		/* PCI device number on the bridge's bus */
	uint8_t pin;		/* 1 = INTA .. 4 = INTD (PCI_INTERRUPT_PIN) */
	uint32_t gsi;		/* global system interrupt */
	bool level;		/* level-triggered (else edge) */
	bool active_low;
};

struct acpi_prt {
	struct acpi_prt_entry entries[ACPI_PRT_MAX];
	unsigned int nr;
	unsigned int dropped;		/* did not fit in entries[] */
	char bridge[40];		/* e.g. "\_SB_.PCI0" */
	char table[5];			/* the package used, e.g. "PRTA" */
	unsigned int scopes_cut;	/* scopes ended by an unknown opcode */
	uint32_t first_cut;		/* table offset of the first one */
};

/*
 * Read the PCI routing of the host bridge from dsdt (a whole DSDT or
 * SSDT, header included, len bytes, checksum already verified). 0 with
 * out filled, or -1 with the reason in err.
 */
int acpi_prt_parse(const void *dsdt, size_t len, struct acpi_prt *out,
		   char *err, size_t errlen);

/* The entry for device slot and pin (1-4), or NULL. */
const struct acpi_prt_entry *acpi_prt_find(const struct acpi_prt *prt,
					   unsigned int slot, unsigned int pin);

/*
 * What the firmware said about the GSIs PCI devices use, kept for the
 * interrupt controller driver (x86_64's I/O APIC, which cannot be told
 * through arch_irq_request): whoever reads a _PRT (pci_init) notes the
 * mode of each GSI it routes; the driver asks when a GSI is requested.
 * Notes are made at boot, before drivers bind; not locked. A later note
 * for the same GSI replaces the earlier one. At most 64 GSIs.
 */
void acpi_gsi_note(uint32_t gsi, bool level, bool active_low);
/* 0 with the noted mode, -1 if nothing was noted for gsi. */
int acpi_gsi_mode(uint32_t gsi, bool *level, bool *active_low);

/*
 * The standard INTx swizzle across a PCI-to-PCI bridge (PCI-to-PCI Bridge
 * Architecture 1.2, 9.1): pin (1-4) of device slot behind a bridge
 * arrives at the bridge as pin ((slot + pin - 1) % 4) + 1.
 */
static inline unsigned int pci_swizzle_pin(unsigned int slot, unsigned int pin)
{
	return ((slot + pin - 1) % 4) + 1;
}

#endif
