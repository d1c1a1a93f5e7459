/*
 * arch/arm64/start.c - the first C code (head.S calls it with the MMU on,
 * at the kernel's virtual address): find the boot information, probe the
 * board, bring up the console, and hand over to the portable kernel_main().
 *
 * Where the boot information is:
 *   - x0 holds a device tree (Linux Image protocol: QEMU -kernel Image,
 *     U-Boot booti, the Raspberry Pi firmware);
 *   - x0 is 0 (QEMU virt -kernel kernel.elf): QEMU put the tree at the
 *     start of RAM, below the kernel (which the ELF asks to be loaded 2 MiB
 *     in, to leave it room): look for the FDT magic there;
 *   - x0 points at an ATAG list (QEMU raspi3b without -dtb): RAM size and
 *     command line from it, devices from the board's defaults.
 */
#include "arch/arm64/atags.h"
#include "arch/arm64/board.h"
#include "arch/arm64/mmu.h"
#include "arch/arm64/smp.h"
#include "arch/arm64/trap.h"
#include "boot/boot_info.h"
#include "drivers/fdt/fdt.h"
#include "drivers/firmware/rpi_mbox.h"
#include "drivers/serial/bcm2835_aux.h"
#include "drivers/serial/pl011.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vsprintf.h"
#include "kernel/errno.h"
#include "kernel/main.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "mm/memblock.h"
#include <arch/mmio.h>
#include <arch/page.h>
#include <arch/thread.h>

#define DTB_MAX_SIZE	(2UL << 20)	/* booting.rst: at most 2 MiB */
#define CONSOLE_BAUD	115200

extern char _head[], _kernel_end[];
extern uint64_t arm64_entry_count;
/* kernel/sched.c's first thread. Weak: the scheduler may not be linked in
 * every tree this builds in; when it is, this is the strong definition. */
extern struct thread boot_thread __attribute__((weak));

static struct boot_info boot_info;
/* The checked device tree; smp.c reads its cpus before arch_mm_init(). */
struct fdt arm64_boot_fdt;
static struct pl011 pl011[2];
static struct bcm2835_aux aux[2];

static bool fdt_magic_at(phys_addr_t pa)
{
	const void *p = arm64_early_map(pa, 8);

	return p && fdt_be32(p) == FDT_MAGIC;
}

/* The device tree's physical address, or 0 if there is none. */
static phys_addr_t find_dtb(uint64_t x0, phys_addr_t kbase)
{
	if (x0 && !(x0 & 7) && fdt_magic_at(x0))
		return x0;
	/* QEMU's ELF boot leaves it at the start of RAM, below the image
	 * (RAM starts on a 1 GiB boundary on every board this kernel knows). */
	for (phys_addr_t pa = ALIGN_DOWN(kbase, 1UL << 30); pa < kbase + TEXT_OFFSET;
	     pa += PAGE_SIZE)
		if (fdt_magic_at(pa))
			return pa;
	return 0;
}

static void start_uart(const struct board_uart *bu, unsigned int i, bool input)
{
	void *regs;

	if (!bu->base)
		return;
	regs = ioremap(bu->base, bu->size ? bu->size : 0x1000);
	if (!regs)
		return;
	if (bu->type == FDT_UART_PL011) {
		pl011[i].base = regs;
		pl011[i].clock_hz = bu->clock_hz;
		pl011[i].irq = bu->irq;
		pl011_init(&pl011[i], CONSOLE_BAUD);
		pl011_register_console(&pl011[i], i ? "ttyAMA1" : "ttyAMA0", input);
	} else if (bu->type == FDT_UART_BCM2835_AUX) {
		aux[i].base = regs;
		aux[i].irq = bu->irq;
		bcm2835_aux_register_console(&aux[i], i ? "ttyS1" : "ttyS0", input);
	}
}

static const char *uart_name(enum fdt_uart_type t)
{
	return t == FDT_UART_PL011 ? "PL011" :
	       t == FDT_UART_BCM2835_AUX ? "mini UART" : "UART";
}

static const char *intc_name(enum board_intc i)
{
	return i == INTC_GICV2 ? "GICv2" : i == INTC_GICV3 ? "GICv3" :
	       i == INTC_BCM2836 ? "BCM2836 local intc" : "none";
}

static void log_board(uint64_t x0, phys_addr_t dtb)
{
	const struct board_config *c = &board_cfg;

	if (c->from_dt)
		pr_info("board: %s (%s), device tree at 0x%llx\n", c->model,
			c->board->name, (unsigned long long)dtb);
	else
		pr_info("board: no device tree (x0 = 0x%llx): %s defaults apply: "
			"peripherals at 0x%llx, RAM %llu MiB at 0x%llx\n",
			(unsigned long long)x0, c->board->name,
			(unsigned long long)c->board->periph_base,
			(unsigned long long)(c->board->ram_size >> 20),
			(unsigned long long)c->board->ram_base);
	pr_info("board: console %s at 0x%llx (%s)%s%s%s, %s at 0x%llx, timer "
		"interrupt %u, PSCI %s\n", uart_name(c->uart.type),
		(unsigned long long)c->uart.base,
		c->uart.chosen_by ? c->uart.chosen_by : "the board's default",
		c->uart2.base ? " (and " : "", c->uart2.base ? uart_name(c->uart2.type) : "",
		c->uart2.base ? ")" : "", intc_name(c->intc),
		(unsigned long long)c->intc_base[0], c->timer_irq,
		c->psci == FDT_PSCI_HVC ? "via HVC" : c->psci == FDT_PSCI_SMC ?
		"via SMC" : "none");
}

/*
 * The firmware's UART clock (rpi_firmware_init, after the allocators):
 * a console PL011 started without one keeps the firmware's baud rate
 * until now; from here its divisor is ours. A clock below 16 x the baud
 * rate cannot give it: the firmware's setting is kept.
 */
static void uart_clock_from_firmware(uint32_t hz)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(pl011); i++) {
		if (!pl011[i].base || pl011[i].clock_hz)
			continue;
		if (hz < 16U * CONSOLE_BAUD) {
			pr_err("board: the firmware's UART clock %u Hz cannot give "
			       "%u baud; the PL011 keeps the firmware's setting\n",
			       hz, CONSOLE_BAUD);
			continue;
		}
		pl011_set_baud(&pl011[i], hz, CONSOLE_BAUD);
		pr_info("board: console PL011 at 0x%llx set to %u baud from the "
			"firmware's UART clock (%u Hz)\n",
			(unsigned long long)(i ? board_cfg.uart2.base : board_cfg.uart.base),
			CONSOLE_BAUD, hz);
	}
}

/*
 * A Raspberry Pi's VideoCore mailbox, for rpi_firmware_init(): the
 * device tree's node (read now, while the tree is mapped), else the
 * board's peripherals + 0xb880 with the Pi's bus alias. Other boards
 * have none.
 */
static void find_mailbox(phys_addr_t dtb)
{
	const struct board *b = board_cfg.board;
	struct rpi_mbox_loc l;
	char err[160];
	int r;

	if (dtb) {
		r = rpi_mbox_find_fdt(&arm64_boot_fdt, &l, err, sizeof(err));
		if (r == -EINVAL)
			pr_err("%s; the firmware will not be asked\n", err);
		if (r < 0)
			return;
	} else if (b == &board_rpi3 || b == &board_rpi4) {
		memset(&l, 0, sizeof(l));
		l.base = b->periph_base + RPI_MBOX_OFFSET;
		l.dma_offset = RPI_MBOX_VC_DMA_OFFSET;
		l.dma_limit = 1ULL << 30;
		ksnprintf(l.found_by, sizeof(l.found_by), "%s defaults", b->name);
	} else {
		return;
	}
	rpi_mbox_register(&l);
	if ((pl011[0].base && !pl011[0].clock_hz) || (pl011[1].base && !pl011[1].clock_hz))
		rpi_firmware_on_uart_clock(uart_clock_from_firmware);
}

/* Boot information without a device tree: ATAGs, else the board's RAM. */
static void boot_info_without_dt(uint64_t x0)
{
	const struct board *b = board_cfg.board;
	const void *list = x0 && x0 < (1UL << 30) ? arm64_early_map(x0, 4096) : NULL;
	char err[160];

	if (list && atags_present(list)) {
		if (atags_to_boot_info(list, x0, &boot_info, err, sizeof(err)) == 0) {
			pr_info("boot: RAM and command line from the ATAG list at 0x%llx\n",
				(unsigned long long)x0);
			goto reserve;
		}
		pr_warn("boot: %s; using the board's RAM size\n", err);
	}
	boot_info_reset(&boot_info, "board-defaults");
	boot_add_mem(&boot_info, b->ram_base, b->ram_size, BOOT_MEM_USABLE);
reserve:
	/* The firmware's spin table for cores 1-3 (0xd8-0xf0) and its stub. */
	boot_add_mem(&boot_info, 0, PAGE_SIZE, BOOT_MEM_RESERVED);
}

/*
 * A failure before the console exists: start the fallback board's UART
 * (board_fallback) so that the panic, and the log before it, are seen on
 * the header pins rather than only kept in the log ring.
 */
static __noreturn void early_panic(phys_addr_t kbase, uint32_t midr,
				   const char *what, const char *why)
{
	board_fallback(kbase, midr, &board_cfg);
	start_uart(&board_cfg.uart, 0, false);
	panic("%s: %s (said on the %s %s at 0x%llx, the board's default: "
	      "there is no console yet)", what, why, board_cfg.board->name,
	      uart_name(board_cfg.uart.type),
	      (unsigned long long)board_cfg.uart.base);
}

void arm64_start(uint64_t x0, uint64_t entry_count);
void arm64_start(uint64_t x0, uint64_t entry_count)
{
	phys_addr_t kbase, dtb;
	uint32_t midr;
	char err[160];
	int r;

	arm64_entry_count = entry_count;
	if (&boot_thread)
		arch_set_current(&boot_thread);
	arm64_mmu_early_init();
	kbase = arm64_kernel_phys_base();
	__asm__ __volatile__("mrs %0, midr_el1" : "=r"(midr));

	dtb = find_dtb(x0, kbase);
	if (dtb) {
		const void *hdr = arm64_early_map(dtb, 8);
		uint32_t size = fdt_be32((const uint8_t *)hdr + 4);
		const void *blob = arm64_early_map(dtb, size < DTB_MAX_SIZE ? size : DTB_MAX_SIZE);

		if (!blob || fdt_open(&arm64_boot_fdt, blob, DTB_MAX_SIZE, err, sizeof(err)) < 0) {
			char what[64];

			ksnprintf(what, sizeof(what), "the device tree at 0x%llx "
				  "is not usable", (unsigned long long)dtb);
			early_panic(kbase, midr, what, blob ? err : "cannot map it");
		}
		r = board_probe(&arm64_boot_fdt, kbase, midr, &board_cfg, err, sizeof(err));
	} else {
		r = board_probe(NULL, kbase, midr, &board_cfg, err, sizeof(err));
	}
	if (r < 0)
		early_panic(kbase, midr, "board", err);

	start_uart(&board_cfg.uart, 0, true);
	if (!board_cfg.from_dt)		/* a Pi's second UART: typed at too */
		start_uart(&board_cfg.uart2, 1, true);
	log_board(x0, dtb);
	arm64_user_cpu_init();		/* EL0 controls, FP/SIMD, PAN */
	arm64_user_report();

	if (dtb) {
		if (fdt_to_boot_info(arm64_boot_fdt.blob, arm64_boot_fdt.totalsize, dtb, &boot_info,
				     err, sizeof(err)) < 0)
			panic("cannot read the boot information from the device tree: %s", err);
	} else {
		boot_info_without_dt(x0);
	}
	boot_info.kernel_start = virt_to_phys(_head);
	boot_info.kernel_end = virt_to_phys(_kernel_end);
	arm64_smp_record_cpus();	/* while the tree is still mapped */
	find_mailbox(dtb);		/* likewise: a Pi's firmware mailbox */
	memblock_set_current_limit(kbase + EARLY_DIRECT_MAP_SIZE);
	kernel_main(&boot_info);
}
