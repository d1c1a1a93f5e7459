/*
 * drivers/fdt/fdt.h - a reader for flattened device trees (DTB, FDT).
 *
 * Written from the Devicetree Specification v0.4, chapters 2, 3 and 5.
 * A DTB comes from firmware (QEMU, the Raspberry Pi firmware, U-Boot) and
 * is treated as hostile: fdt_open() checks the whole blob once (header,
 * block bounds and alignment, every token of the structure block, every
 * property name) and only then hands out a `struct fdt`. Every accessor
 * takes that handle and still bounds-checks each read against the sizes
 * fdt_open() validated, so no input makes them read outside the blob, loop
 * or recurse without bound. Values are read byte by byte (big-endian), so
 * the blob may sit at any alignment. See docs/fdt.md.
 *
 *	struct fdt fdt;
 *	char err[128];
 *
 *	if (fdt_open(&fdt, blob, max_size, err, sizeof(err)) < 0)
 *		panic("%s", err);
 *	int node = fdt_path(&fdt, "/chosen");
 *	const char *args = fdt_getprop_string(&fdt, node, "bootargs");
 *
 * Nodes are named by an `int`: the offset of the node's FDT_BEGIN_NODE
 * token in the structure block. A negative value is an error (-FDT_ERR_*);
 * every function taking a node returns an error when given one, so lookups
 * chain without checks in between.
 */
#ifndef DRIVERS_FDT_FDT_H
#define DRIVERS_FDT_FDT_H

#include "kernel/types.h"

struct boot_info;

#define FDT_MAGIC		0xd00dfeedU
#define FDT_MAX_DEPTH		64	/* deeper nesting is rejected */
#define FDT_MAX_CELLS		4	/* largest #address-cells / #size-cells */

/* Structure block tokens (spec 5.4.1). */
#define FDT_BEGIN_NODE		0x1
#define FDT_END_NODE		0x2
#define FDT_PROP		0x3
#define FDT_NOP			0x4
#define FDT_END			0x9

/* Error codes; functions return them negated. */
enum fdt_error {
	FDT_ERR_NOTFOUND = 1,	/* no such node or property */
	FDT_ERR_BADOFFSET,	/* not a node offset of this tree */
	FDT_ERR_BADVALUE,	/* a property has the wrong length or form */
	FDT_ERR_BADCELLS,	/* #address-cells / #size-cells out of range */
	FDT_ERR_NOTRANSLATION,	/* an address outside its parent's ranges */
	FDT_ERR_BADPATH,	/* a path or alias that cannot be resolved */
	FDT_ERR_BADBLOB,	/* the blob failed fdt_open()'s checks */
};

/* A short name for an error code ("not found", ...). */
const char *fdt_strerror(int err);

/* A checked blob. Filled by fdt_open(); read-only afterwards. */
struct fdt {
	const uint8_t *blob;
	uint32_t totalsize;
	uint32_t version;
	uint32_t boot_cpuid_phys;
	uint32_t off_struct, size_struct;	/* size up to and with FDT_END */
	uint32_t off_strings, size_strings;
	uint32_t off_rsvmap;
	uint32_t nr_rsv;			/* entries before the terminator */
	int root;				/* offset of the root node */
};

/*
 * Check the blob at `blob` (readable for max_size bytes) and fill *fdt.
 * Returns 0, or -FDT_ERR_BADBLOB with a message in err naming the field
 * and offset that is wrong. Nothing past max_size or past the header's
 * totalsize is read.
 */
int fdt_open(struct fdt *fdt, const void *blob, size_t max_size,
	     char *err, size_t errlen);

/* fdt_open() without keeping the handle: 0 if the blob is well formed. */
int fdt_check(const void *blob, size_t max_size, char *err, size_t errlen);

/* ---- big-endian values (any alignment) ---- */
uint32_t fdt_be32(const void *p);
uint64_t fdt_be64(const void *p);

/* ---- nodes ---- */

/* The node's name with unit address ("memory@40000000"; "" for the root). */
const char *fdt_node_name(const struct fdt *fdt, int node);

/* First child, next sibling, parent: a node offset or -FDT_ERR_NOTFOUND. */
int fdt_first_child(const struct fdt *fdt, int node);
int fdt_next_sibling(const struct fdt *fdt, int node);
int fdt_parent(const struct fdt *fdt, int node);

/*
 * Depth-first walk: the node after `node` in document order, or
 * -FDT_ERR_NOTFOUND at the end. Pass node = -1 to start at the root. When
 * depth is given it tracks the depth (root 0) and must start at 0.
 */
int fdt_next_node(const struct fdt *fdt, int node, int *depth);

/*
 * The child of `parent` named name[0..namelen). Without a unit address
 * ("memory"), an exact match wins, else the first child "memory@...".
 */
int fdt_subnode(const struct fdt *fdt, int parent, const char *name,
		size_t namelen);

/*
 * Resolve a path: "/", "/soc/serial@7e201000", "/memory" (unit address
 * optional), or one starting with an alias from /aliases ("serial0",
 * "serial0/child"). The path ends at the end of the string or at the first
 * ':' (stdout-path's "serial0:115200n8" form).
 */
int fdt_path(const struct fdt *fdt, const char *path);

/* The next node after `from` (-1: from the start) compatible with compat. */
int fdt_node_by_compatible(const struct fdt *fdt, int from,
			   const char *compat);

/* The node whose `phandle` (or `linux,phandle`) is ph. */
int fdt_node_by_phandle(const struct fdt *fdt, uint32_t ph);

/* Write the node's full path into buf; returns 0 or a negative error. */
int fdt_node_path(const struct fdt *fdt, int node, char *buf, size_t len);

/* True unless the node has a `status` other than "okay" / "ok". */
bool fdt_node_is_enabled(const struct fdt *fdt, int node);

/* True if the node's `compatible` list contains compat. */
bool fdt_node_is_compatible(const struct fdt *fdt, int node,
			    const char *compat);

/* ---- properties ---- */
struct fdt_prop {
	const char *name;	/* NUL-terminated, inside the strings block */
	const void *data;	/* len bytes inside the structure block */
	uint32_t len;
	int offset;		/* of the FDT_PROP token (for messages) */
};

/* Iterate a node's properties: 0 and *prop filled, or -FDT_ERR_NOTFOUND. */
int fdt_first_prop(const struct fdt *fdt, int node, struct fdt_prop *prop);
int fdt_next_prop(const struct fdt *fdt, struct fdt_prop *prop);

/* Find a property by name: 0 and *prop filled, or -FDT_ERR_NOTFOUND. */
int fdt_find_prop(const struct fdt *fdt, int node, const char *name,
		  struct fdt_prop *prop);

/* The value of a property (NULL if absent); its length in *lenp if given. */
const void *fdt_getprop(const struct fdt *fdt, int node, const char *name,
			uint32_t *lenp);

/* A property that is one string, NUL-terminated inside its value. */
const char *fdt_getprop_string(const struct fdt *fdt, int node,
			       const char *name);

/* One u32 cell: 0, -FDT_ERR_NOTFOUND, or -FDT_ERR_BADVALUE (length != 4). */
int fdt_getprop_u32(const struct fdt *fdt, int node, const char *name,
		    uint32_t *out);

/* One or two cells (4 or 8 bytes) as a u64. */
int fdt_getprop_u64(const struct fdt *fdt, int node, const char *name,
		    uint64_t *out);

/*
 * String lists (`compatible`): the number of strings, or the index-th one.
 * A list whose last string is not terminated counts as absent (BADVALUE).
 */
int fdt_stringlist_count(const struct fdt *fdt, int node, const char *name);
const char *fdt_stringlist_get(const struct fdt *fdt, int node,
			       const char *name, int index);

/*
 * Read n big-endian cells (n <= FDT_MAX_CELLS) into *out. Returns false if
 * the value does not fit in 64 bits (a non-zero cell above the low two).
 */
bool fdt_read_cells(const void *p, unsigned int n, uint64_t *out);

/* ---- addresses ---- */

/*
 * #address-cells / #size-cells that apply to the children of `node` (the
 * node's own property, defaults 2 and 1). Values above FDT_MAX_CELLS give
 * -FDT_ERR_BADCELLS.
 */
int fdt_address_cells(const struct fdt *fdt, int node);
int fdt_size_cells(const struct fdt *fdt, int node);

struct fdt_reg {
	uint64_t base;
	uint64_t size;
};

/*
 * The number of (address, size) entries in the node's `reg`, in the
 * parent's cells; -FDT_ERR_BADVALUE if its length is not a multiple.
 * Messages about what is wrong go to err when given (err may be NULL).
 */
int fdt_reg_count(const struct fdt *fdt, int node, char *err, size_t errlen);

/* Entry `index` of `reg` as it stands, in the parent bus's address space. */
int fdt_get_reg(const struct fdt *fdt, int node, unsigned int index,
		struct fdt_reg *reg, char *err, size_t errlen);

/*
 * Entry `index` of `reg` translated through every ancestor's `ranges` into
 * a CPU physical address. An empty `ranges` maps 1:1; a missing one (below
 * the root) or an address in no range is -FDT_ERR_NOTRANSLATION.
 */
int fdt_get_reg_phys(const struct fdt *fdt, int node, unsigned int index,
		     struct fdt_reg *reg, char *err, size_t errlen);

/*
 * Translate a bus address of `node`'s children (a region of `size` bytes)
 * to a CPU physical address.
 */
int fdt_translate(const struct fdt *fdt, int node, uint64_t addr,
		  uint64_t size, uint64_t *out, char *err, size_t errlen);

/*
 * What a device's DMA sees (the `dma-ranges` of the buses above it): bus
 * address `bus` is CPU physical `cpu`, for `size` bytes. The nearest
 * ancestor bus with a non-empty `dma-ranges` decides (an empty one maps
 * 1:1 and the search goes on up); of its entries, the one holding CPU
 * physical 0, else the first. None anywhere: 1:1 with no limit
 * (translated false, size 0). The Raspberry Pi 3's soc bus says
 * <0xc0000000 0x0 0x3f000000>: the VideoCore's alias of the first GiB.
 * 0, or -FDT_ERR_BADVALUE / -FDT_ERR_BADCELLS with why in err.
 */
struct fdt_dma_range {
	uint64_t cpu, bus, size;
	bool translated;
};

int fdt_dma_range(const struct fdt *fdt, int node, struct fdt_dma_range *r,
		  char *err, size_t errlen);

/*
 * How far up RAM every DMA-capable device of the tree can reach: over each
 * bus with a non-empty `dma-ranges`, the highest CPU physical address its
 * entries cover (cpu + size); the lowest of those (Linux's
 * of_dma_get_max_cpu_address, which sizes arm64's ZONE_DMA). Memory below
 * it suits every device, so the bounce pool goes there. 0: no bus limits
 * its devices (no dma-ranges, or only empty ones). A malformed dma-ranges
 * is reported through err and left out (-FDT_ERR_BADVALUE returned with
 * the limit of the rest in *limit).
 * The Raspberry Pi 4's emmc2bus reaches the first GiB: 0x40000000; the
 * Pi 3's soc bus 0x3f000000.
 */
int fdt_dma_limit(const struct fdt *fdt, uint64_t *limit, char *err,
		  size_t errlen);

/* ---- memory reservation block (/memreserve/) ---- */

/* Entry i (0 .. fdt->nr_rsv - 1): 0, or -FDT_ERR_NOTFOUND past the end. */
int fdt_get_mem_rsv(const struct fdt *fdt, unsigned int i,
		    uint64_t *base, uint64_t *size);

/* ---- what the kernel looks up ---- */

/*
 * The /chosen stdout-path (or linux,stdout-path) node, alias resolved.
 * *options (may be NULL) gets what follows ':' ("115200n8"), or "".
 */
int fdt_stdout_node(const struct fdt *fdt, const char **options);

enum fdt_uart_type {
	FDT_UART_NONE,
	FDT_UART_PL011,		/* arm,pl011 */
	FDT_UART_BCM2835_AUX,	/* brcm,bcm2835-aux-uart (the Pi's mini UART) */
	FDT_UART_NS16550,	/* ns16550a, ns16550 */
};

struct fdt_uart {
	enum fdt_uart_type type;
	int node;
	uint64_t base, size;		/* CPU physical */
	uint32_t reg_shift;		/* 0 when not given */
	uint32_t reg_io_width;		/* 1 when not given */
	uint32_t clock_frequency;	/* 0 when not given */
	const char *options;		/* after ':' in stdout-path, or "" */
	bool from_stdout_path;		/* chosen by rule 1 below */
	const char *chosen_by;		/* the rule, in words, for the log */
};

/*
 * The console UART, by the first rule that gives an enabled node
 * (status absent or "okay") compatible with a known UART:
 *   1. /chosen stdout-path (or linux,stdout-path; a path or an alias,
 *      options after ':');
 *   2. the serial0 alias: what the Raspberry Pi firmware points at the
 *      UART on the header pins (the mini UART, or the PL011 with the
 *      disable-bt overlay), while the other may drive Bluetooth;
 *   3. the first such node in the tree.
 * A disabled node is never taken: writing to a UART that is not clocked
 * or not on the pins is how a board stays silent. 0, -FDT_ERR_NOTFOUND,
 * or another error with a message.
 */
int fdt_find_uart(const struct fdt *fdt, struct fdt_uart *uart,
		  char *err, size_t errlen);

struct fdt_gic {
	int version;			/* 2 or 3 */
	int node;
	uint64_t dist_base, dist_size;
	uint64_t cpu_base, cpu_size;	/* GICv2 CPU interface */
	uint64_t redist_base, redist_size; /* GICv3, first region */
	uint32_t nr_redist_regions;	/* GICv3 */
	uint32_t interrupt_cells;
};

/*
 * The first enabled interrupt controller compatible with arm,gic-v3 (v3)
 * or arm,gic-400 / arm,cortex-a15-gic / arm,cortex-a9-gic / arm,cortex-a7-gic
 * (v2), its registers translated to CPU addresses.
 */
int fdt_find_gic(const struct fdt *fdt, struct fdt_gic *gic,
		 char *err, size_t errlen);

/* One interrupt specifier, as the controller's #interrupt-cells gives it. */
struct fdt_irq {
	uint32_t cells[3];
	uint32_t nr_cells;
	uint32_t intid;		/* GIC: SPI n -> 32+n, PPI n -> 16+n; else cells[0] */
};

/* Which timer interrupt is which (the binding's order). */
enum {
	FDT_TIMER_SEC_PHYS,
	FDT_TIMER_PHYS,
	FDT_TIMER_VIRT,
	FDT_TIMER_HYP_PHYS,
	FDT_TIMER_MAX_IRQS = 4,
};

struct fdt_timer {
	int node;
	int intc;			/* the interrupt parent's node */
	unsigned int nr_irqs;
	struct fdt_irq irq[FDT_TIMER_MAX_IRQS];
	uint32_t clock_frequency;	/* 0 when not given (read CNTFRQ) */
};

/* The Arm generic timer (arm,armv8-timer / arm,armv7-timer). */
int fdt_find_timer(const struct fdt *fdt, struct fdt_timer *timer,
		   char *err, size_t errlen);

/*
 * Decode interrupt specifier `index` of the node's `interrupts`, using the
 * interrupt parent (own or inherited `interrupt-parent`) #interrupt-cells.
 */
int fdt_get_irq(const struct fdt *fdt, int node, unsigned int index,
		struct fdt_irq *irq, char *err, size_t errlen);

enum fdt_psci_method {
	FDT_PSCI_NONE,
	FDT_PSCI_HVC,
	FDT_PSCI_SMC,
};

struct fdt_psci {
	enum fdt_psci_method method;
	bool v0_2;		/* arm,psci-0.2 or later: standard function IDs */
	uint32_t cpu_on;	/* PSCI 0.1 function IDs (0 when not given) */
	uint32_t cpu_off;
};

/* The /psci node (or one compatible with arm,psci*): its conduit. */
int fdt_find_psci(const struct fdt *fdt, struct fdt_psci *psci,
		  char *err, size_t errlen);

enum fdt_cpu_method {
	FDT_CPU_METHOD_NONE,
	FDT_CPU_METHOD_PSCI,
	FDT_CPU_METHOD_SPIN_TABLE,
	FDT_CPU_METHOD_OTHER,
};

struct fdt_cpu {
	int node;
	uint64_t hwid;			/* reg: MPIDR affinity bits on arm64 */
	enum fdt_cpu_method method;
	uint64_t release_addr;		/* spin-table cpu-release-addr */
	bool enabled;
};

/*
 * The children of /cpus with device_type "cpu", in tree order: fills up to
 * max entries and returns how many there are (may be more than max), or a
 * negative error with a message.
 */
int fdt_find_cpus(const struct fdt *fdt, struct fdt_cpu *cpus,
		  unsigned int max, char *err, size_t errlen);

/*
 * Fill *bi (cleared first) from the device tree at `blob` (readable for max
 * bytes, at physical address blob_phys): every enabled memory node's `reg`
 * entries as BOOT_MEM_USABLE; /memreserve/ entries, /reserved-memory
 * children with `reg`, and the blob itself as BOOT_MEM_RESERVED, but
 * reusable shared-dma-pool children, which go to bi->cma_pools and stay
 * RAM (CMA lends them out); /chosen
 * bootargs as the command line; linux,initrd-start/end as module "initrd";
 * dtb/dtb_size; dma_limit (fdt_dma_limit); protocol "devicetree".
 * Returns 0, or -1 with a message.
 */
int fdt_to_boot_info(const void *blob, size_t max, uint64_t blob_phys,
		     struct boot_info *bi, char *err, size_t errlen);

/*
 * The device tree the kernel booted with (bi->dtb), mapped and opened once
 * for every driver that finds its devices in it (virtio-mmio, PCI hosts,
 * the SMMU, the SD controllers). ioremap: the blob need not be in the
 * direct map (arm64 keeps it out); the reader goes byte by byte, which
 * device memory allows. NULL when the boot had no tree, or it does not
 * open (said once, with why).
 */
const struct fdt *fdt_boot_tree(const struct boot_info *bi);

#endif
