/*
 * arch/arm64/board/rpi3.c - Raspberry Pi 3 (BCM2837; QEMU raspi3b).
 *
 * Peripherals sit at 0x3F000000 (the VideoCore bus address 0x7E000000).
 * RAM is the first GiB minus what the VideoCore keeps at the top (gpu_mem;
 * QEMU raspi3b gives the ARM 0x3C000000 bytes). Interrupts: the BCM2836
 * "ARM local" controller at 0x40000000 takes the per-core timer interrupts
 * (the generic timer's virtual timer is its source 3, CNTVIRQ); the GPU's
 * own controller is not used. No PSCI: the firmware parks cores 1-3 in a
 * spin table.
 *
 * Without a device tree both UARTs get the console, output and input: the
 * PL011 (QEMU's first serial port) and the mini UART (the header's GPIO
 * 14/15 pins by default on a real board, and QEMU's second serial port).
 * Their receive interrupts are GPU interrupts 57 and 29.
 */
#include "arch/arm64/board.h"

static const char *const rpi3_compatible[] = {
	"raspberrypi,3-model-b", "raspberrypi,3-model-b-plus",
	"raspberrypi,3-model-a-plus", "brcm,bcm2837", NULL
};

const struct board board_rpi3 = {
	.name = "Raspberry Pi 3",
	.compatible = rpi3_compatible,
	.ram_base = 0,
	.ram_size = 0x3c000000,
	.periph_base = 0x3f000000,
	.uart = { FDT_UART_PL011, 0x3f201000, 0x1000, 0, BCM2835_GPU_IRQ(57) },
	.uart2 = { FDT_UART_BCM2835_AUX, 0x3f215040, 0x40, 0, BCM2835_GPU_IRQ(29) },
	.intc = INTC_BCM2836,
	.intc_base = { 0x40000000, 0 },
	.timer_irq = 3,			/* CNTVIRQ */
	.uart_clock_hz = 0,		/* the firmware set the baud rate */
};
