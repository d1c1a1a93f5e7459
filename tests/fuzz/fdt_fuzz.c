/*
 * tests/fuzz/fdt_fuzz.c - libFuzzer target for the device tree reader.
 *
 * Each input is copied to an exact-size heap buffer (so any read past it is
 * an ASan report) and given to fdt_open(). A rejected blob must come with a
 * message; an accepted one is walked with every accessor (nodes, paths,
 * properties, reg with translation, interrupts, the typed lookups) and
 * turned into a struct boot_info, whose contents must be consistent.
 *
 *	make fuzz FUZZ=fdt                   (tests/fuzz/fuzz.mk)
 *	build/host/fuzz-fdt -max_total_time=120 tests/fuzz/corpus/fdt
 *
 * Seeds: the .dtb forms of the trees in tests/data and QEMU's virt trees, in
 * tests/fuzz/corpus/fdt/.
 */
#include "boot/boot_info.h"
#include "drivers/fdt/fdt.h"
#include "kernel/lib/string.h"
#include "tests/fuzz/fuzz.h"

#include <stdlib.h>

static char err[200];

static void check_err(void)
{
	CHECK(strnlen(err, sizeof(err)) < sizeof(err));
}

static void walk_props(const struct fdt *f, int node)
{
	struct fdt_prop prop;
	int count = 0;

	for (int r = fdt_first_prop(f, node, &prop); r == 0;
	     r = fdt_next_prop(f, &prop)) {
		const uint8_t *b = prop.data;
		const uint8_t *lo = f->blob + f->off_struct;

		/* The value lies inside the structure block. */
		CHECK(b >= lo && b + prop.len <= lo + f->size_struct);
		CHECK(fdt_getprop(f, node, prop.name, NULL) != NULL);
		count++;
	}
	fdt_stringlist_count(f, node, "compatible");
	for (int i = 0; i < 4; i++)
		fdt_stringlist_get(f, node, "compatible", i);
	(void)count;
}

static void walk_node(const struct fdt *f, int node, int depth)
{
	char path[256];
	struct fdt_reg reg;
	struct fdt_irq irq;
	uint64_t v;
	const char *name = fdt_node_name(f, node);
	int n, parent;

	CHECK(name != NULL);
	CHECK(depth >= 0 && depth < FDT_MAX_DEPTH);
	parent = fdt_parent(f, node);
	CHECK(depth == 0 ? parent == -FDT_ERR_NOTFOUND : parent >= 0);
	/*
	 * A node's path finds it, or a node of the same name: siblings with
	 * the same name (which the spec forbids but fdt_open does not look
	 * for) make the first one win, and a ':' in a name ends the path.
	 */
	if (fdt_node_path(f, node, path, sizeof(path)) == 0 &&
	    !strchr(path, ':')) {
		int found = fdt_path(f, path);

		CHECK(found >= 0 || found == -FDT_ERR_NOTFOUND);
		if (found >= 0 && depth > 0)
			CHECK(!strcmp(fdt_node_name(f, found), name));
	}
	walk_props(f, node);
	fdt_node_is_enabled(f, node);
	fdt_address_cells(f, node);
	fdt_size_cells(f, node);
	fdt_getprop_u64(f, node, "reg", &v);
	n = fdt_reg_count(f, node, err, sizeof(err));
	check_err();
	for (int i = 0; i < n && i < 8; i++) {
		CHECK(fdt_get_reg(f, node, (unsigned int)i, &reg, err,
				  sizeof(err)) == 0 || err[0]);
		fdt_get_reg_phys(f, node, (unsigned int)i, &reg, err,
				 sizeof(err));
		check_err();
	}
	for (unsigned int i = 0; i < 4; i++)
		if (fdt_get_irq(f, node, i, &irq, err, sizeof(err)) < 0)
			break;
	check_err();
	n = fdt_first_child(f, node);
	CHECK(n == -FDT_ERR_NOTFOUND || n > node);
	if (n >= 0)
		CHECK(fdt_parent(f, n) == node);
	n = fdt_next_sibling(f, node);
	CHECK(n == -FDT_ERR_NOTFOUND || n > node);
}

static void check_boot_info(const struct boot_info *bi, uint64_t phys,
			    uint32_t totalsize)
{
	CHECK(bi->nr_mem <= BOOT_MAX_MEM_RANGES);
	CHECK(bi->nr_modules <= BOOT_MAX_MODULES);
	CHECK(strnlen(bi->cmdline, sizeof(bi->cmdline)) < sizeof(bi->cmdline));
	CHECK(!strcmp(bi->protocol, "devicetree"));
	CHECK(bi->dtb == phys && bi->dtb_size == totalsize);
	for (unsigned int i = 0; i < bi->nr_mem; i++) {
		const struct boot_mem_range *r = &bi->mem[i];

		CHECK(r->size && r->base + r->size > r->base);
		CHECK(r->type == BOOT_MEM_USABLE ||
		      r->type == BOOT_MEM_RESERVED);
	}
	for (unsigned int i = 0; i < bi->nr_modules; i++)
		CHECK(bi->modules[i].size);
}

static struct boot_info bi;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *copy = malloc(size ? size : 1);
	struct fdt f;
	int node, depth = 0, steps = 0, ret;

	memcpy(copy, data, size);
	err[0] = 'x';
	ret = fdt_open(&f, copy, size, err, sizeof(err));
	check_err();
	if (ret < 0) {
		CHECK(ret == -FDT_ERR_BADBLOB);
		CHECK(!strncmp(err, "fdt: ", 5));
		CHECK(fdt_to_boot_info(copy, size, 0x1000, &bi, err,
				       sizeof(err)) == -1);
		free(copy);
		return 0;
	}
	CHECK(err[0] == '\0');
	CHECK(f.totalsize <= size);

	for (node = fdt_next_node(&f, -1, &depth); node >= 0;
	     node = fdt_next_node(&f, node, &depth)) {
		CHECK(++steps <= (int)size);	/* each node takes >= 8 bytes */
		walk_node(&f, node, depth);
	}
	CHECK(node == -FDT_ERR_NOTFOUND);

	{
		struct fdt_uart uart;
		struct fdt_gic gic;
		struct fdt_timer timer;
		struct fdt_psci psci;
		struct fdt_cpu cpus[4];
		uint64_t base, len;
		const char *opts;

		fdt_stdout_node(&f, &opts);
		fdt_find_uart(&f, &uart, err, sizeof(err));
		fdt_find_gic(&f, &gic, err, sizeof(err));
		fdt_find_timer(&f, &timer, err, sizeof(err));
		CHECK(timer.nr_irqs <= FDT_TIMER_MAX_IRQS);
		fdt_find_psci(&f, &psci, err, sizeof(err));
		fdt_find_cpus(&f, cpus, ARRAY_SIZE(cpus), err, sizeof(err));
		check_err();
		fdt_node_by_phandle(&f, 1);
		fdt_node_by_compatible(&f, -1, "arm,pl011");
		fdt_path(&f, "serial0:115200n8");
		fdt_path(&f, "/soc/serial");
		for (unsigned int i = 0; i < f.nr_rsv; i++)
			CHECK(fdt_get_mem_rsv(&f, i, &base, &len) == 0);
	}

	ret = fdt_to_boot_info(copy, size, 0x1000, &bi, err, sizeof(err));
	check_err();
	CHECK(ret == 0 || ret == -1);
	if (ret == 0)
		check_boot_info(&bi, 0x1000, f.totalsize);
	else
		CHECK(!strncmp(err, "fdt: ", 5));
	free(copy);
	return 0;
}
