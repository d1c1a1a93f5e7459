/*
 * arch/arm64/irq.h - interrupt controllers behind one small interface.
 *
 * Three controllers, chosen by board_probe(): the GICv2 (gic_v2.c; QEMU
 * virt gic-version=2, the Pi 4's GIC-400), the GICv3 (gic_v3.c; QEMU virt
 * by default) and the Raspberry Pi 3's BCM2836 per-core local controller
 * (bcm2836_intc.c). Each maps its registers, sets arm64_irq_handler, and
 * calls irq_dispatch() with its own interrupt number for each interrupt.
 */
#ifndef ARCH_ARM64_IRQ_H
#define ARCH_ARM64_IRQ_H

#include "arch/arm64/board.h"

#define NR_IRQS		1024

/* Start the controller the config names on this CPU. 0, or -1 (printed). */
int irq_init(const struct board_config *cfg);

/* Route interrupt `irq` (the controller's numbering) to fn and enable it. */
void irq_request(unsigned int irq, void (*fn)(unsigned int irq));

/* Called by the controller drivers: run irq's handler (counts strays). */
void irq_dispatch(unsigned int irq);

/* Per-controller entry points (irq.c picks one). */
int gic_v2_init(const struct board_config *cfg);
int gic_v3_init(const struct board_config *cfg);
int bcm2836_intc_init(const struct board_config *cfg);

/* GICv3 internals for the ITS driver (gic_v3.c): CPU cpu's redistributor
 * RD frame (mapped and physical), GICD_TYPER, and its IDbits + 1. */
int gic_v3_rdist(unsigned int cpu, volatile char **va, uint64_t *pa);
uint32_t gic_v3_dist_typer(void);
unsigned int gic_v3_dist_id_bits(void);

/*
 * The GICv3 ITS (gic_v3_its.c). gic_v3_its_init: find the device tree's
 * arm,gic-v3-its, enable LPIs on the redistributor of every online CPU,
 * give each CPU a collection and start the ITS; 0, or -1 (no ITS, or
 * unusable: printed). gic_v3_its_up: it started. gic_v3_its_msi_alloc:
 * an LPI for event `*data` of device devid, targeted at the CPU with the
 * fewest LPIs, where it runs fn(arg); *addr is GITS_TRANSLATER. 0, or -1.
 * gic_v3_its_msi_free: false if no ITS is up (the caller's frame owns
 * data), else unmaps event data. gic_v3_its_handle: an LPI was taken (on
 * this CPU). gic_v3_its_event_info: for the tests and diagnostics, the
 * CPU event data targets, how often it was taken and on which CPU last;
 * -1 if it is not mapped. gic_v3_its_nr_cpus: CPUs that take LPIs.
 */
struct fdt;
int gic_v3_its_init(const struct fdt *f);
bool gic_v3_its_up(void);
int gic_v3_its_msi_alloc(uint32_t devid, void (*fn)(void *arg), void *arg,
			 uint64_t *addr, uint32_t *data, bool rare);
bool gic_v3_its_msi_free(uint32_t data);
void gic_v3_its_handle(unsigned int intid);
int gic_v3_its_event_info(uint32_t data, unsigned int *cpu,
			  unsigned long *count, unsigned int *last_cpu);
unsigned int gic_v3_its_nr_cpus(void);

/* The controller in use: set by its init function. */
struct irqchip {
	void (*enable)(unsigned int irq);	/* on this CPU, for PPIs/SGIs */
	void (*cpu_init)(void);			/* a secondary CPU's own set-up */
	void (*send_ipi)(unsigned int cpu, unsigned int kind);
	/* Make SPI irq edge-triggered (they reset level); NULL if unsupported. */
	void (*set_edge)(unsigned int irq);
};
extern const struct irqchip *irqchip;

/* A secondary CPU: set up its part of the controller and re-enable every
 * per-CPU interrupt (PPI, SGI, local source) with a handler. */
void irq_cpu_init(void);

/* Deliver IPI `kind` (enum ipi_kind) to `cpu`; the controller calls
 * smp_ipi_handler(kind) there. */
void irq_send_ipi(unsigned int cpu, unsigned int kind);

/* Interrupt number of IPI kind 0 (GIC: SGI 0; BCM2836: mailbox bit 0). */
unsigned int irq_ipi_base(void);

/* Per-CPU interrupt numbers below this are enabled on each CPU. */
#define IRQ_PER_CPU_LIMIT	32

/* Interrupts with no handler, for the report. */
extern unsigned long irq_spurious_count;

#endif
