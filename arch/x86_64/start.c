/*
 * arch/x86_64/start.c - the first C code: brings up the serial console and
 * the exception table, turns the loader's boot information into struct
 * boot_info, and hands over to the portable kernel_main().
 */
#include "arch/x86_64/io.h"
#include "arch/x86_64/ioapic.h"
#include "arch/x86_64/trap.h"
#include "boot/boot_info.h"
#include "drivers/serial/ns16550.h"
#include "kernel/main.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "mm/memblock.h"
#include <arch/page.h>

#define COM1 0x3f8
#define COM1_ISA_IRQ 4
#define PROTO_MB2 1
#define PROTO_PVH 2
#define EARLY_MAP_LIMIT 0x100000000ULL	/* boot.asm direct-maps 4 GiB */

extern char _boot_start[], _kernel_end[];
extern uint64_t boot_tsc;		/* boot.asm: TSC at kernel entry */
extern uint64_t x86_entry_tsc;
extern uint64_t x86_acpi_rsdp;		/* smp.c */
void x86_percpu_init_boot(void);	/* smp.c */

static uint8_t pio_read(struct ns16550 *u, unsigned int reg)
{
	return inb((uint16_t)(u->base + reg));
}

static void pio_write(struct ns16550 *u, unsigned int reg, uint8_t v)
{
	outb((uint16_t)(u->base + reg), v);
}

/* COM1 raises ISA IRQ 4; the MADT says on which I/O APIC input. */
static int com1_irq(struct ns16550 *u)
{
	(void)u;
	return ioapic_isa_gsi(COM1_ISA_IRQ);
}

static struct ns16550 com1 = { .base = COM1, .read = pio_read, .write = pio_write,
			       .irq = com1_irq };

/* The boot tables direct-map the first 4 GiB: the loader's data is there. */
static const void *early_map(uint64_t phys, uint64_t len)
{
	if (phys + len < phys || phys + len > EARLY_MAP_LIMIT)
		return NULL;
	return phys_to_virt(phys);
}

static struct boot_info boot_info;

void x86_64_start(uint32_t protocol, uint32_t info_phys);
void x86_64_start(uint32_t protocol, uint32_t info_phys)
{
	char err[160];
	int r;

	x86_percpu_init_boot();		/* GS: CPU 0's block, current = main */
	x86_entry_tsc = boot_tsc;	/* low address: read it while mapped */
	ns16550_init(&com1, 115200, 1843200);
	ns16550_register_console(&com1, "ttyS0");
	x86_trap_init();

	if (protocol == PROTO_MB2)
		r = multiboot2_parse(info_phys, early_map, &boot_info, err, sizeof(err));
	else
		r = pvh_parse(info_phys, early_map, &boot_info, err, sizeof(err));
	if (r != 0)
		panic("cannot read the boot information at 0x%x: %s", info_phys, err);

	x86_acpi_rsdp = boot_info.acpi_rsdp;
	boot_info.kernel_start = (uintptr_t)_boot_start;	/* linked at its physical address */
	boot_info.kernel_end = virt_to_phys(_kernel_end);
	memblock_set_current_limit(EARLY_MAP_LIMIT);
	kernel_main(&boot_info);
}
