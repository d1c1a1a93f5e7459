/*
 * arch/arm64/board.h - boards kept apart from the CPU code.
 *
 * A board (board/virt.c, board/rpi3.c, board/rpi4.c) is a name, the root
 * `compatible` strings that identify it in a device tree, and the defaults
 * that apply when there is no device tree (QEMU raspi3b's -kernel passes
 * none). board_probe() turns "a device tree, or none" into a struct
 * board_config: which UART, interrupt controller, timer interrupt and PSCI
 * conduit to use, at which physical addresses. It only reads; the drivers
 * are started from the config by start.c and time.c. That split is what
 * lets a test feed a Raspberry Pi 4 device tree to the probe on any
 * machine (tests/kernel/arm64_board_test.c).
 */
#ifndef ARCH_ARM64_BOARD_H
#define ARCH_ARM64_BOARD_H

#include "drivers/fdt/fdt.h"
#include "kernel/types.h"

enum board_intc {
	INTC_NONE,
	INTC_GICV2,
	INTC_GICV3,
	INTC_BCM2836,		/* Raspberry Pi 2/3 per-core local controller */
};

struct board_uart {
	enum fdt_uart_type type;
	uint64_t base, size;	/* CPU physical */
	uint32_t clock_hz;	/* 0: keep the firmware's baud rate */
	uint32_t irq;		/* the controller's number (GIC INTID, or
				 * BCM2835_GPU_IRQ(n)); 0: none, polled */
	const char *chosen_by;	/* fdt_find_uart's rule; NULL: the board's */
};

/*
 * The Raspberry Pi 2/3's peripheral ("GPU") interrupts 0-63, as the
 * BCM2836 controller numbers them: they reach the cores through the
 * BCM2835 interrupt controller (ARM peripherals, 7.5) and the local
 * controller's source 8. Pi 3: the PL011 is 57, the AUX block 29.
 */
#define BCM2835_GPU_IRQ_BASE	64
#define BCM2835_GPU_IRQ(n)	(BCM2835_GPU_IRQ_BASE + (n))

struct board {
	const char *name;			/* "QEMU virt", "Raspberry Pi 4" */
	const char *const *compatible;		/* root compatibles, NULL-ended */
	bool under_qemu;			/* semihosting is worth trying */
	bool virtual_machine;			/* no such hardware: each CPU is
						 * a host thread (arch_cpu_virtualized) */
	/* Defaults for a boot without a device tree (0 size: none). */
	uint64_t ram_base, ram_size;
	uint64_t periph_base;			/* SoC peripherals */
	struct board_uart uart;			/* the console */
	struct board_uart uart2;		/* a second UART to echo to */
	enum board_intc intc;
	uint64_t intc_base[2];			/* GIC dist + cpu/redist; local intc */
	uint32_t timer_irq;			/* virtual timer: GIC INTID or local source */
	uint32_t uart_clock_hz;			/* for a DT UART without clock-frequency */
};

extern const struct board board_virt, board_rpi3, board_rpi4;

struct board_config {
	const struct board *board;
	bool from_dt;				/* false: the board's defaults */
	char model[64];				/* the tree's /model, or the board name */
	struct board_uart uart, uart2;
	enum board_intc intc;
	uint64_t intc_base[2], intc_size[2];
	uint32_t timer_irq;			/* virtual timer interrupt */
	enum fdt_psci_method psci;
	uint32_t psci_cpu_on;			/* CPU_ON function ID (0.1 or 0.2+) */
};

/*
 * Probe: with a device tree (fdt != NULL), the board is found from the root
 * compatible (unknown ones are treated as generic "virt"-like boards, and
 * everything comes from the tree); without one, the board is chosen from
 * where the image was loaded and the CPU: RAM at 0 means a Raspberry Pi,
 * and a Cortex-A53 (MIDR part 0xd03) a Pi 3, a Cortex-A72 (0xd08) a Pi 4.
 * Returns 0, or -1 with a message in err.
 */
int board_probe(const struct fdt *fdt, phys_addr_t kernel_phys, uint32_t midr,
		struct board_config *cfg, char *err, size_t errlen);
/*
 * The board to say a boot failure on when board_probe cannot say (a
 * device tree that cannot be read, a board it does not know): the one
 * board_probe would choose without a tree (a Raspberry Pi 3 or 4, by the
 * CPU, when loaded below 1 GiB), else QEMU virt. Its console UART is at
 * a fixed address and needs no tree.
 */
void board_fallback(phys_addr_t kernel_phys, uint32_t midr,
		    struct board_config *cfg);

/* The config start.c chose (for arch_time_init and arch_poweroff). */
extern struct board_config board_cfg;

#endif
