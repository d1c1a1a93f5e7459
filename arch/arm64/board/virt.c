/*
 * arch/arm64/board/virt.c - QEMU's `virt` machine (hw/arm/virt.c). Always
 * booted with a device tree, so the defaults here are only a fallback that
 * matches QEMU 7.2's memory map: RAM at 1 GiB, PL011 at 0x09000000, GIC
 * distributor at 0x08000000.
 */
#include "arch/arm64/board.h"

static const char *const virt_compatible[] = { "linux,dummy-virt", NULL };

const struct board board_virt = {
	.name = "QEMU virt",
	.compatible = virt_compatible,
	.under_qemu = true,
	.virtual_machine = true,
	.ram_base = 0x40000000,
	.ram_size = 128UL << 20,
	.periph_base = 0x08000000,
	.uart = { FDT_UART_PL011, 0x09000000, 0x1000, 0, 32 + 1 },	/* SPI 1 */
	.intc = INTC_GICV3,
	.intc_base = { 0x08000000, 0x080a0000 },
	.timer_irq = 27,		/* PPI 11: the virtual timer */
	.uart_clock_hz = 24000000,	/* QEMU's apb-pclk */
};
