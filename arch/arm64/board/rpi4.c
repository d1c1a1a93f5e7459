/*
 * arch/arm64/board/rpi4.c - Raspberry Pi 4 (BCM2711), in the firmware's
 * default "low peripheral" mode: peripherals at 0xFE000000 (bus address
 * 0x7E000000), the ARM local block and the GIC-400 at 0xFF800000 (the
 * GIC's distributor at 0xFF841000, CPU interface at 0xFF842000). RAM
 * starts at 0; models with more than 1 GiB have more above, with a hole
 * for the peripherals below 4 GiB. The firmware's spin table parks cores
 * 1-3; there is no PSCI. QEMU 7.2 has no Pi 4: these paths are tested by
 * feeding arch/arm64/board/rpi4.dts to board_probe().
 */
#include "arch/arm64/board.h"

static const char *const rpi4_compatible[] = {
	"raspberrypi,4-model-b", "raspberrypi,400", "raspberrypi,4-compute-module",
	"brcm,bcm2711", NULL
};

const struct board board_rpi4 = {
	.name = "Raspberry Pi 4",
	.compatible = rpi4_compatible,
	.ram_base = 0,
	.ram_size = 0x3b400000,		/* the first GiB minus the firmware's part */
	.periph_base = 0xfe000000,
	/* BCM2711: VideoCore interrupt n is GIC SPI 64 + n (INTID 96 + n). */
	.uart = { FDT_UART_PL011, 0xfe201000, 0x200, 0, 96 + 57 },
	.uart2 = { FDT_UART_BCM2835_AUX, 0xfe215040, 0x40, 0, 96 + 29 },
	.intc = INTC_GICV2,
	.intc_base = { 0xff841000, 0xff842000 },
	.timer_irq = 27,		/* PPI 11: the virtual timer */
	.uart_clock_hz = 0,
};
