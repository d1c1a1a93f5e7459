/*
 * arch/arm64/board.c - which board is this, and where are its devices:
 * from the device tree when there is one, else from the board's defaults.
 */
#include "arch/arm64/board.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vsprintf.h"

#define MIDR_PART(midr)		(((midr) >> 4) & 0xfff)
#define PART_CORTEX_A53		0xd03
#define PART_CORTEX_A72		0xd08

struct board_config board_cfg;

static const struct board *const boards[] = { &board_virt, &board_rpi3, &board_rpi4 };

static const struct board *board_from_compatible(const struct fdt *fdt)
{
	for (size_t i = 0; i < ARRAY_SIZE(boards); i++)
		for (const char *const *c = boards[i]->compatible; *c; c++)
			if (fdt_node_is_compatible(fdt, fdt->root, *c))
				return boards[i];
	return NULL;
}

static void config_from_defaults(const struct board *b, struct board_config *cfg)
{
	cfg->board = b;
	cfg->from_dt = false;
	strlcpy(cfg->model, b->name, sizeof(cfg->model));
	cfg->uart = b->uart;
	cfg->uart2 = b->uart2;
	cfg->intc = b->intc;
	cfg->intc_base[0] = b->intc_base[0];
	cfg->intc_base[1] = b->intc_base[1];
	cfg->intc_size[0] = b->intc == INTC_BCM2836 ? 0x100 : 0x10000;
	cfg->intc_size[1] = b->intc == INTC_GICV3 ? 0x20000 : 0x2000;
	cfg->timer_irq = b->timer_irq;
	cfg->psci = FDT_PSCI_NONE;
}

/* The interrupt controller the tree names: a GIC, else the BCM2836 one. */
static int intc_from_dt(const struct fdt *fdt, struct board_config *cfg,
			char *err, size_t errlen)
{
	struct fdt_gic gic;
	struct fdt_reg reg;
	int node;

	if (fdt_find_gic(fdt, &gic, NULL, 0) == 0) {
		cfg->intc = gic.version == 3 ? INTC_GICV3 : INTC_GICV2;
		cfg->intc_base[0] = gic.dist_base;
		cfg->intc_size[0] = gic.dist_size;
		cfg->intc_base[1] = gic.version == 3 ? gic.redist_base : gic.cpu_base;
		cfg->intc_size[1] = gic.version == 3 ? gic.redist_size : gic.cpu_size;
		return 0;
	}
	node = fdt_node_by_compatible(fdt, -1, "brcm,bcm2836-l1-intc");
	if (node >= 0 && fdt_get_reg_phys(fdt, node, 0, &reg, err, errlen) == 0) {
		cfg->intc = INTC_BCM2836;
		cfg->intc_base[0] = reg.base;
		cfg->intc_size[0] = reg.size;
		return 0;
	}
	ksnprintf(err, errlen, "no interrupt controller this kernel knows "
		  "(arm,gic-v3, arm,gic-400 or brcm,bcm2836-l1-intc) in the device tree");
	return -1;
}

/*
 * The UART's receive interrupt in the controller's numbering, or 0 (none,
 * or a form this kernel does not route: the console polls). A GIC takes
 * the INTID; behind the BCM2836 the BCM2835 controller's <bank n> binding
 * applies (bank 1: GPU interrupts 0-31, bank 2: 32-63).
 */
static uint32_t uart_irq_from_dt(const struct fdt *fdt, int node,
				 enum board_intc intc)
{
	struct fdt_irq irq;

	if (fdt_get_irq(fdt, node, 0, &irq, NULL, 0) < 0)
		return 0;
	if (intc == INTC_GICV2 || intc == INTC_GICV3)
		return irq.intid >= 32 ? irq.intid : 0;
	if (intc == INTC_BCM2836 && irq.nr_cells == 2 &&
	    (irq.cells[0] == 1 || irq.cells[0] == 2) && irq.cells[1] < 32)
		return BCM2835_GPU_IRQ(32 * (irq.cells[0] - 1) + irq.cells[1]);
	return 0;
}

static int config_from_dt(const struct fdt *fdt, struct board_config *cfg,
			  char *err, size_t errlen)
{
	const struct board *b = board_from_compatible(fdt);
	struct fdt_uart uart;
	struct fdt_timer timer;
	struct fdt_psci psci;
	const char *model;

	cfg->board = b ? b : &board_virt;
	cfg->from_dt = true;
	model = fdt_getprop_string(fdt, fdt->root, "model");
	strlcpy(cfg->model, model ? model : cfg->board->name, sizeof(cfg->model));

	if (fdt_find_uart(fdt, &uart, err, errlen) < 0)
		return -1;
	if (uart.type != FDT_UART_PL011 && uart.type != FDT_UART_BCM2835_AUX) {
		ksnprintf(err, errlen, "the console UART is not a PL011 or a "
			  "BCM2835 mini UART");
		return -1;
	}
	cfg->uart.type = uart.type;
	cfg->uart.base = uart.base;
	cfg->uart.size = uart.size;
	cfg->uart.chosen_by = uart.chosen_by;
	cfg->uart.clock_hz = uart.clock_frequency ? uart.clock_frequency :
			     cfg->board->uart_clock_hz;

	if (intc_from_dt(fdt, cfg, err, errlen) < 0)
		return -1;
	cfg->uart.irq = uart_irq_from_dt(fdt, uart.node, cfg->intc);

	if (fdt_find_timer(fdt, &timer, err, errlen) < 0)
		return -1;
	if (timer.nr_irqs <= FDT_TIMER_VIRT) {
		ksnprintf(err, errlen, "the timer node lists %u interrupts; "
			  "the virtual timer is the third", timer.nr_irqs);
		return -1;
	}
	cfg->timer_irq = cfg->intc == INTC_BCM2836 ?
			 timer.irq[FDT_TIMER_VIRT].cells[0] :
			 timer.irq[FDT_TIMER_VIRT].intid;

	cfg->psci = FDT_PSCI_NONE;
	if (fdt_find_psci(fdt, &psci, NULL, 0) == 0) {
		cfg->psci = psci.method;
		cfg->psci_cpu_on = psci.v0_2 ? 0xc4000003U : psci.cpu_on;
	}
	return 0;
}

int board_probe(const struct fdt *fdt, phys_addr_t kernel_phys, uint32_t midr,
		struct board_config *cfg, char *err, size_t errlen)
{
	memset(cfg, 0, sizeof(*cfg));
	if (fdt)
		return config_from_dt(fdt, cfg, err, errlen);
	if (kernel_phys >= 0x40000000) {
		ksnprintf(err, errlen, "no device tree, and loaded at 0x%llx: not "
			  "a Raspberry Pi, so there are no defaults to fall back on",
			  (unsigned long long)kernel_phys);
		return -1;
	}
	switch (MIDR_PART(midr)) {
	case PART_CORTEX_A53:
		config_from_defaults(&board_rpi3, cfg);
		return 0;
	case PART_CORTEX_A72:
		config_from_defaults(&board_rpi4, cfg);
		return 0;
	}
	ksnprintf(err, errlen, "no device tree, and CPU part 0x%x is neither a "
		  "Raspberry Pi 3's Cortex-A53 nor a Pi 4's Cortex-A72",
		  MIDR_PART(midr));
	return -1;
}

void board_fallback(phys_addr_t kernel_phys, uint32_t midr,
		    struct board_config *cfg)
{
	char err[160];

	if (board_probe(NULL, kernel_phys, midr, cfg, err, sizeof(err)) < 0) {
		memset(cfg, 0, sizeof(*cfg));
		config_from_defaults(&board_virt, cfg);
	}
}
