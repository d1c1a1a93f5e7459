/*
 * drivers/fdt/fdt_boot.c - what the kernel reads from a device tree: the
 * memory map and command line (into struct boot_info), the console UART,
 * the interrupt controller, the timer's interrupts, PSCI and the CPUs.
 * Bindings: Devicetree Specification v0.4 chapter 3 (/memory,
 * /reserved-memory, /chosen, /cpus, /aliases) and the Linux bindings for
 * the GIC, the Arm timer, PSCI and the UARTs named here.
 */
#include "boot/boot_info.h"
#include "drivers/fdt/fdt.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vsprintf.h"
#include "kernel/printk.h"
#include <arch/mmio.h>

static const char *node_path(const struct fdt *f, int node, char *buf,
			     size_t len)
{
	int ret = fdt_node_path(f, node, buf, len);

	return ret < 0 && !buf[0] ? "?" : buf;
}

/* ---------------------------------------------------------------- console */

int fdt_stdout_node(const struct fdt *f, const char **options)
{
	int chosen = fdt_path(f, "/chosen");
	const char *s, *colon;

	if (options)
		*options = "";
	s = fdt_getprop_string(f, chosen, "stdout-path");
	if (!s)
		s = fdt_getprop_string(f, chosen, "linux,stdout-path");
	if (!s)
		return -FDT_ERR_NOTFOUND;
	colon = strchr(s, ':');
	if (options && colon)
		*options = colon + 1;
	return fdt_path(f, s);
}

static const struct {
	const char *compatible;
	enum fdt_uart_type type;
} uart_types[] = {
	{ "arm,pl011",			FDT_UART_PL011 },
	{ "brcm,bcm2835-aux-uart",	FDT_UART_BCM2835_AUX },
	{ "ns16550a",			FDT_UART_NS16550 },
	{ "ns16550",			FDT_UART_NS16550 },
};

static enum fdt_uart_type uart_type(const struct fdt *f, int node)
{
	for (size_t i = 0; i < ARRAY_SIZE(uart_types); i++)
		if (fdt_node_is_compatible(f, node, uart_types[i].compatible))
			return uart_types[i].type;
	return FDT_UART_NONE;
}

/* A node that can be the console: a known UART, enabled. */
static bool usable_uart(const struct fdt *f, int node)
{
	return node >= 0 && uart_type(f, node) != FDT_UART_NONE &&
	       fdt_node_is_enabled(f, node);
}

int fdt_find_uart(const struct fdt *f, struct fdt_uart *uart, char *err,
		  size_t errlen)
{
	const char *options = "";
	struct fdt_reg reg;
	int node, ret;
	uint32_t v;

	memset(uart, 0, sizeof(*uart));
	node = fdt_stdout_node(f, &options);			/* rule 1 */
	uart->from_stdout_path = usable_uart(f, node);
	uart->chosen_by = "stdout-path";
	if (!uart->from_stdout_path) {
		options = "";
		node = fdt_path(f, "serial0");			/* rule 2 */
		uart->chosen_by = "the serial0 alias";
	}
	if (!usable_uart(f, node)) {
		for (node = fdt_next_node(f, -1, NULL); node >= 0;  /* rule 3 */
		     node = fdt_next_node(f, node, NULL))
			if (usable_uart(f, node))
				break;
		if (node < 0) {
			boot_err(err, errlen, "fdt: no usable stdout-path and no enabled pl011, bcm2835-aux-uart or ns16550 node");
			return node;
		}
		uart->chosen_by = "the first enabled UART";
	}
	ret = fdt_get_reg_phys(f, node, 0, &reg, err, errlen);
	if (ret < 0)
		return ret;
	uart->type = uart_type(f, node);
	uart->node = node;
	uart->base = reg.base;
	uart->size = reg.size;
	uart->options = options;
	uart->reg_io_width = 1;
	if (fdt_getprop_u32(f, node, "reg-shift", &v) == 0)
		uart->reg_shift = v;
	if (fdt_getprop_u32(f, node, "reg-io-width", &v) == 0)
		uart->reg_io_width = v;
	if (fdt_getprop_u32(f, node, "clock-frequency", &v) == 0)
		uart->clock_frequency = v;
	return 0;
}

/* ---------------------------------------------------------------- GIC */

static const char *const gic_v2_compat[] = {
	"arm,gic-400", "arm,cortex-a15-gic", "arm,cortex-a9-gic",
	"arm,cortex-a7-gic",
};

static int gic_version(const struct fdt *f, int node)
{
	if (fdt_node_is_compatible(f, node, "arm,gic-v3"))
		return 3;
	for (size_t i = 0; i < ARRAY_SIZE(gic_v2_compat); i++)
		if (fdt_node_is_compatible(f, node, gic_v2_compat[i]))
			return 2;
	return 0;
}

int fdt_find_gic(const struct fdt *f, struct fdt_gic *gic, char *err,
		 size_t errlen)
{
	struct fdt_reg r0, r1;
	int node, ret;
	uint32_t v;

	memset(gic, 0, sizeof(*gic));
	for (node = fdt_next_node(f, -1, NULL); node >= 0;
	     node = fdt_next_node(f, node, NULL))
		if (gic_version(f, node) && fdt_node_is_enabled(f, node))
			break;
	if (node < 0) {
		boot_err(err, errlen, "fdt: no enabled GIC (arm,gic-v3, arm,gic-400, arm,cortex-a15-gic, ...)");
		return node;
	}
	ret = fdt_get_reg_phys(f, node, 0, &r0, err, errlen);
	if (!ret)
		ret = fdt_get_reg_phys(f, node, 1, &r1, err, errlen);
	if (ret < 0)
		return ret;
	gic->version = gic_version(f, node);
	gic->node = node;
	gic->dist_base = r0.base;
	gic->dist_size = r0.size;
	if (gic->version == 3) {
		gic->redist_base = r1.base;
		gic->redist_size = r1.size;
		gic->nr_redist_regions = 1;
		if (fdt_getprop_u32(f, node, "#redistributor-regions", &v) == 0)
			gic->nr_redist_regions = v;
	} else {
		gic->cpu_base = r1.base;
		gic->cpu_size = r1.size;
	}
	if (fdt_getprop_u32(f, node, "#interrupt-cells", &v) == 0)
		gic->interrupt_cells = v;
	return 0;
}

/* ---------------------------------------------------------------- interrupts */

/* The interrupt parent of node: its own or an ancestor's interrupt-parent. */
static int interrupt_parent(const struct fdt *f, int node)
{
	for (int depth = 0; node >= 0 && depth <= FDT_MAX_DEPTH; depth++) {
		uint32_t ph;

		if (fdt_getprop_u32(f, node, "interrupt-parent", &ph) == 0)
			return fdt_node_by_phandle(f, ph);
		node = fdt_parent(f, node);
	}
	return -FDT_ERR_NOTFOUND;
}

int fdt_get_irq(const struct fdt *f, int node, unsigned int index,
		struct fdt_irq *irq, char *err, size_t errlen)
{
	char path[96];
	int intc = interrupt_parent(f, node);
	uint32_t ncells, len;
	const uint8_t *p;

	memset(irq, 0, sizeof(*irq));
	if (intc < 0) {
		boot_err(err, errlen, "fdt: %s: no interrupt-parent names a controller",
			 node_path(f, node, path, sizeof(path)));
		return intc;
	}
	if (fdt_getprop_u32(f, intc, "#interrupt-cells", &ncells) < 0 ||
	    ncells < 1 || ncells > 3) {
		boot_err(err, errlen, "fdt: %s: #interrupt-cells missing or not 1..3",
			 node_path(f, intc, path, sizeof(path)));
		return -FDT_ERR_BADCELLS;
	}
	p = fdt_getprop(f, node, "interrupts", &len);
	if (!p) {
		boot_err(err, errlen, "fdt: %s has no interrupts",
			 node_path(f, node, path, sizeof(path)));
		return -FDT_ERR_NOTFOUND;
	}
	if (len % (ncells * 4)) {
		boot_err(err, errlen, "fdt: %s: interrupts length %u is not a multiple of %u cells",
			 node_path(f, node, path, sizeof(path)), len, ncells);
		return -FDT_ERR_BADVALUE;
	}
	if (index >= len / (ncells * 4)) {
		boot_err(err, errlen, "fdt: %s: no interrupt %u",
			 node_path(f, node, path, sizeof(path)), index);
		return -FDT_ERR_NOTFOUND;
	}
	p += index * ncells * 4;
	irq->nr_cells = ncells;
	for (uint32_t i = 0; i < ncells; i++)
		irq->cells[i] = fdt_be32(p + 4 * i);
	irq->intid = irq->cells[0];
	if (gic_version(f, intc) && ncells >= 2) {
		/* GIC binding: <type number flags>. */
		switch (irq->cells[0]) {
		case 0: irq->intid = 32 + irq->cells[1]; break;	/* SPI */
		case 1: irq->intid = 16 + irq->cells[1]; break;	/* PPI */
		case 2: irq->intid = 4096 + irq->cells[1]; break; /* ESPI */
		case 3: irq->intid = 1056 + irq->cells[1]; break; /* EPPI */
		default:
			boot_err(err, errlen, "fdt: %s: interrupt %u has GIC type %u",
				 node_path(f, node, path, sizeof(path)), index,
				 irq->cells[0]);
			return -FDT_ERR_BADVALUE;
		}
	}
	return 0;
}

int fdt_find_timer(const struct fdt *f, struct fdt_timer *timer, char *err,
		   size_t errlen)
{
	int node, ret;
	uint32_t v;

	memset(timer, 0, sizeof(*timer));
	node = fdt_node_by_compatible(f, -1, "arm,armv8-timer");
	if (node < 0)
		node = fdt_node_by_compatible(f, -1, "arm,armv7-timer");
	if (node < 0) {
		boot_err(err, errlen, "fdt: no arm,armv8-timer or arm,armv7-timer node");
		return node;
	}
	timer->node = node;
	timer->intc = interrupt_parent(f, node);
	for (unsigned int i = 0; i < FDT_TIMER_MAX_IRQS; i++) {
		ret = fdt_get_irq(f, node, i, &timer->irq[i], err, errlen);
		if (ret == -FDT_ERR_NOTFOUND && i > 0)
			break;
		if (ret < 0)
			return ret;
		timer->nr_irqs = i + 1;
	}
	if (err && errlen)
		err[0] = '\0';
	if (fdt_getprop_u32(f, node, "clock-frequency", &v) == 0)
		timer->clock_frequency = v;
	return 0;
}

/* ---------------------------------------------------------------- PSCI, CPUs */

int fdt_find_psci(const struct fdt *f, struct fdt_psci *psci, char *err,
		  size_t errlen)
{
	static const char *const compat[] = {
		"arm,psci-1.0", "arm,psci-0.2", "arm,psci",
	};
	const char *method;
	int node = -FDT_ERR_NOTFOUND;

	memset(psci, 0, sizeof(*psci));
	for (size_t i = 0; i < ARRAY_SIZE(compat) && node < 0; i++)
		node = fdt_node_by_compatible(f, -1, compat[i]);
	if (node < 0)
		node = fdt_path(f, "/psci");
	if (node < 0) {
		boot_err(err, errlen, "fdt: no /psci node");
		return node;
	}
	method = fdt_getprop_string(f, node, "method");
	if (method && !strcmp(method, "hvc")) {
		psci->method = FDT_PSCI_HVC;
	} else if (method && !strcmp(method, "smc")) {
		psci->method = FDT_PSCI_SMC;
	} else {
		boot_err(err, errlen, "fdt: /psci method is %s%.16s%s (want \"hvc\" or \"smc\")",
			 method ? "\"" : "", method ? method : "missing",
			 method ? "\"" : "");
		return -FDT_ERR_BADVALUE;
	}
	psci->v0_2 = fdt_node_is_compatible(f, node, "arm,psci-0.2") ||
		     fdt_node_is_compatible(f, node, "arm,psci-1.0");
	fdt_getprop_u32(f, node, "cpu_on", &psci->cpu_on);
	fdt_getprop_u32(f, node, "cpu_off", &psci->cpu_off);
	return 0;
}

int fdt_find_cpus(const struct fdt *f, struct fdt_cpu *cpus, unsigned int max,
		  char *err, size_t errlen)
{
	int cpus_node = fdt_path(f, "/cpus"), node, count = 0;

	if (cpus_node < 0) {
		boot_err(err, errlen, "fdt: no /cpus node");
		return cpus_node;
	}
	for (node = fdt_first_child(f, cpus_node); node >= 0;
	     node = fdt_next_sibling(f, node)) {
		const char *type = fdt_getprop_string(f, node, "device_type");
		const char *method;
		struct fdt_cpu cpu;
		struct fdt_reg reg;
		int ret;

		if (!type || strcmp(type, "cpu"))
			continue;
		memset(&cpu, 0, sizeof(cpu));
		ret = fdt_get_reg(f, node, 0, &reg, err, errlen);
		if (ret < 0)
			return ret;
		cpu.node = node;
		cpu.hwid = reg.base;
		cpu.enabled = fdt_node_is_enabled(f, node);
		method = fdt_getprop_string(f, node, "enable-method");
		if (!method)
			cpu.method = FDT_CPU_METHOD_NONE;
		else if (!strcmp(method, "psci"))
			cpu.method = FDT_CPU_METHOD_PSCI;
		else if (!strcmp(method, "spin-table"))
			cpu.method = FDT_CPU_METHOD_SPIN_TABLE;
		else
			cpu.method = FDT_CPU_METHOD_OTHER;
		fdt_getprop_u64(f, node, "cpu-release-addr", &cpu.release_addr);
		if ((unsigned int)count < max)
			cpus[count] = cpu;
		count++;
	}
	return count;
}

/* ---------------------------------------------------------------- boot_info */

static int add_range(struct boot_info *bi, uint64_t base, uint64_t size,
		     uint32_t type, const char *what, char *err, size_t errlen)
{
	if (!size)
		return 0;
	if (base + size < base) {
		boot_err(err, errlen, "fdt: %s: 0x%llx + 0x%llx wraps past 2^64",
			 what, (unsigned long long)base,
			 (unsigned long long)size);
		return -1;
	}
	if (bi->nr_mem >= BOOT_MAX_MEM_RANGES) {
		bi->mem_dropped++;
		return 0;
	}
	bi->mem[bi->nr_mem].base = base;
	bi->mem[bi->nr_mem].size = size;
	bi->mem[bi->nr_mem].type = type;
	bi->nr_mem++;
	return 0;
}

/* Every reg entry of node as a range of the given type. */
static int add_reg_ranges(const struct fdt *f, int node, bool translate,
			  uint32_t type, struct boot_info *bi, char *err,
			  size_t errlen)
{
	char path[96];
	int n = fdt_reg_count(f, node, err, errlen);

	if (n < 0)
		return -1;
	for (int i = 0; i < n; i++) {
		struct fdt_reg reg;
		int ret = translate ?
			fdt_get_reg_phys(f, node, (unsigned int)i, &reg, err, errlen) :
			fdt_get_reg(f, node, (unsigned int)i, &reg, err, errlen);

		if (ret < 0)
			return -1;
		if (add_range(bi, reg.base, reg.size, type,
			      node_path(f, node, path, sizeof(path)),
			      err, errlen) < 0)
			return -1;
	}
	return 0;
}

static int memory_nodes(const struct fdt *f, struct boot_info *bi, char *err,
			size_t errlen)
{
	int node;

	for (node = fdt_first_child(f, f->root); node >= 0;
	     node = fdt_next_sibling(f, node)) {
		const char *type = fdt_getprop_string(f, node, "device_type");

		if (!type || strcmp(type, "memory") ||
		    !fdt_node_is_enabled(f, node))
			continue;
		if (add_reg_ranges(f, node, true, BOOT_MEM_USABLE, bi, err,
				   errlen) < 0)
			return -1;
	}
	return 0;
}

/* A property of `cells` cells (the reserved-memory node's) as a u64. */
static bool pool_cells(const struct fdt *f, int node, const char *name,
		       int cells, uint64_t *out)
{
	uint32_t len;
	const void *p = fdt_getprop(f, node, name, &len);

	return p && cells > 0 && len >= 4 * (uint32_t)cells &&
	       fdt_read_cells(p, (unsigned int)cells, out);
}

/*
 * A reusable shared-dma-pool (Linux's CMA binding): record it in
 * bi->cma_pools for mm/cma.c; it stays RAM. A malformed one is recorded
 * with why set, so the kernel can say what is wrong once it can print.
 */
static void cma_pool(const struct fdt *f, int rm, int node, bool translate,
		     struct boot_info *bi)
{
	int ac = fdt_address_cells(f, rm), sc = fdt_size_cells(f, rm);
	struct boot_cma_pool *pool;
	uint32_t len;
	const void *ranges;

	if (bi->nr_cma_pools == BOOT_MAX_CMA_POOLS) {
		bi->cma_pools_dropped++;
		return;
	}
	pool = &bi->cma_pools[bi->nr_cma_pools++];
	memset(pool, 0, sizeof(*pool));
	strlcpy(pool->name, fdt_node_name(f, node), sizeof(pool->name));
	pool->is_default = fdt_getprop(f, node, "linux,cma-default", NULL);
	if (fdt_getprop(f, node, "reg", NULL)) {
		struct fdt_reg reg;
		char e[64];
		int ret = translate ? fdt_get_reg_phys(f, node, 0, &reg, e, sizeof(e)) :
				      fdt_get_reg(f, node, 0, &reg, e, sizeof(e));

		if (ret < 0 || !reg.size || !reg.base) {
			strlcpy(pool->why, ret < 0 ? e : "reg: empty or at 0",
				sizeof(pool->why));
			return;
		}
		pool->base = reg.base;
		pool->size = reg.size;
		return;
	}
	if (!pool_cells(f, node, "size", sc, &pool->size) || !pool->size) {
		strlcpy(pool->why, "neither reg nor a non-zero size",
			sizeof(pool->why));
		return;
	}
	if (fdt_getprop(f, node, "alignment", NULL) &&
	    !pool_cells(f, node, "alignment", sc, &pool->align)) {
		strlcpy(pool->why, "alignment: bad length", sizeof(pool->why));
		return;
	}
	ranges = fdt_getprop(f, node, "alloc-ranges", &len);
	if (ranges) {
		uint64_t start, size;

		/* The first range; Linux tries the others in turn. */
		if (ac <= 0 || sc <= 0 || len < 4 * (uint32_t)(ac + sc) ||
		    !fdt_read_cells(ranges, (unsigned int)ac, &start) ||
		    !fdt_read_cells((const uint8_t *)ranges + 4 * ac,
				    (unsigned int)sc, &size) || !size) {
			strlcpy(pool->why, "alloc-ranges: bad length or empty",
				sizeof(pool->why));
			return;
		}
		pool->alloc_start = start;
		pool->alloc_end = start + size;
	}
}

static int reserved_memory(const struct fdt *f, struct boot_info *bi,
			   char *err, size_t errlen)
{
	int rm = fdt_subnode(f, f->root, "reserved-memory", 15), node;
	bool translate;

	for (unsigned int i = 0; i < f->nr_rsv; i++) {
		uint64_t base, size;

		fdt_get_mem_rsv(f, i, &base, &size);
		if (add_range(bi, base, size, BOOT_MEM_RESERVED, "/memreserve/",
			      err, errlen) < 0)
			return -1;
	}
	if (rm < 0)
		return 0;
	/* The spec asks for `ranges`; without it, take reg as it stands. */
	translate = fdt_getprop(f, rm, "ranges", NULL) != NULL;
	for (node = fdt_first_child(f, rm); node >= 0;
	     node = fdt_next_sibling(f, node)) {
		if (!fdt_node_is_enabled(f, node))
			continue;
		/* Reusable pools stay RAM: CMA lends them out. */
		if (fdt_node_is_compatible(f, node, "shared-dma-pool") &&
		    fdt_getprop(f, node, "reusable", NULL)) {
			cma_pool(f, rm, node, translate, bi);
			continue;
		}
		if (!fdt_getprop(f, node, "reg", NULL))
			continue;	/* dynamic (size/alloc-ranges): not ours */
		if (add_reg_ranges(f, node, translate, BOOT_MEM_RESERVED, bi,
				   err, errlen) < 0)
			return -1;
	}
	return 0;
}

static int chosen(const struct fdt *f, struct boot_info *bi, char *err,
		  size_t errlen)
{
	int node = fdt_path(f, "/chosen");
	const char *args;
	uint64_t start, end;
	int rs, re;

	if (node < 0)
		return 0;
	args = fdt_getprop_string(f, node, "bootargs");
	if (args) {
		strlcpy(bi->cmdline, args, sizeof(bi->cmdline));
	} else if (fdt_getprop(f, node, "bootargs", NULL)) {
		boot_err(err, errlen, "fdt: /chosen bootargs is not a NUL-terminated string");
		return -1;
	}

	rs = fdt_getprop_u64(f, node, "linux,initrd-start", &start);
	re = fdt_getprop_u64(f, node, "linux,initrd-end", &end);
	if (rs == -FDT_ERR_NOTFOUND && re == -FDT_ERR_NOTFOUND)
		return 0;
	if (rs < 0 || re < 0) {
		boot_err(err, errlen, "fdt: /chosen linux,initrd-start/end: %s",
			 rs == -FDT_ERR_NOTFOUND || re == -FDT_ERR_NOTFOUND ?
			 "only one of the pair is given" :
			 "not one or two cells");
		return -1;
	}
	if (end < start) {
		boot_err(err, errlen, "fdt: /chosen linux,initrd-end 0x%llx is below linux,initrd-start 0x%llx",
			 (unsigned long long)end, (unsigned long long)start);
		return -1;
	}
	if (end > start) {
		struct boot_module *m = &bi->modules[bi->nr_modules++];

		m->base = start;
		m->size = end - start;
		strlcpy(m->name, "initrd", sizeof(m->name));
	}
	return 0;
}

int fdt_to_boot_info(const void *blob, size_t max, uint64_t blob_phys,
		     struct boot_info *bi, char *err, size_t errlen)
{
	struct fdt f;

	memset(bi, 0, sizeof(*bi));
	if (err && errlen)
		err[0] = '\0';
	if (fdt_open(&f, blob, max, err, errlen) < 0)
		return -1;
	bi->protocol = "devicetree";
	bi->dtb = blob_phys;
	bi->dtb_size = f.totalsize;
	if (add_range(bi, blob_phys, f.totalsize, BOOT_MEM_RESERVED,
		      "the device tree blob", err, errlen) < 0 ||
	    memory_nodes(&f, bi, err, errlen) < 0 ||
	    reserved_memory(&f, bi, err, errlen) < 0 ||
	    chosen(&f, bi, err, errlen) < 0)
		return -1;
	{
		/* A malformed dma-ranges is left out of the limit here; the
		 * driver of a device below it says so when it probes
		 * (fdt_dma_range). */
		char derr[128];

		fdt_dma_limit(&f, &bi->dma_limit, derr, sizeof(derr));
	}
	return 0;
}

const struct fdt *fdt_boot_tree(const struct boot_info *bi)
{
	static struct fdt tree;
	static uint64_t opened_at;	/* the blob tree holds, 0: none yet */
	static bool failed;
	const void *blob;
	char err[128];

	if (!bi->dtb || !bi->dtb_size)
		return NULL;
	if (opened_at == bi->dtb)
		return &tree;
	if (failed)
		return NULL;
	blob = ioremap(bi->dtb, bi->dtb_size);
	if (!blob || fdt_open(&tree, blob, bi->dtb_size, err, sizeof(err)) < 0) {
		pr_err("fdt: the boot device tree at 0x%llx does not open: %s\n",
		       (unsigned long long)bi->dtb, blob ? err : "not mapped");
		failed = true;
		return NULL;
	}
	opened_at = bi->dtb;
	return &tree;
}
