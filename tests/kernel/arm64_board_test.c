/*
 * tests/kernel/arm64_board_test.c - the board layer, fed device trees it
 * cannot boot on here: the project's Raspberry Pi 4 and Pi 3 trees
 * (arch/arm64/board/rpi{3,4}.dts, compiled by dtc and linked in by
 * arch/arm64/dtbs.S) go through the device tree parser, fdt_to_boot_info()
 * and board_probe(), and the result must be the Pi's memory map: RAM with
 * the VideoCore's hole and memory above 4 GiB, peripherals at 0xFE000000,
 * the GIC-400 at 0xFF841000. Also: the no-device-tree defaults, chosen by
 * load address and CPU, and the ATAG list QEMU raspi3b passes.
 *
 * arm64 only: the Makefile builds tests/kernel/arm64_*.c into arm64
 * kernels alone.
 */
#include "arch/arm64/atags.h"
#include "arch/arm64/board.h"
#include "boot/boot_info.h"
#include "drivers/fdt/fdt.h"
#include "drivers/firmware/rpi_mbox.h"
#include "kernel/errno.h"
#include "kernel/kunit.h"
#include "kernel/lib/string.h"
#include "mm/dma-mapping.h"
#include "mm/memblock.h"
#include "mm/swiotlb.h"
#include <arch/page.h>

extern const uint8_t arm64_dtb_rpi3[], arm64_dtb_rpi3_end[];
extern const uint8_t arm64_dtb_rpi4[], arm64_dtb_rpi4_end[];

#define MIDR_CORTEX_A53	0x410fd034U
#define MIDR_CORTEX_A72	0x410fd083U
#define PI_LOAD_ADDR	0x80000UL

static struct fdt fdt;
static struct board_config cfg;
static struct boot_info bi;
static char err[160];

static int open_tree(const uint8_t *start, const uint8_t *end)
{
	return fdt_open(&fdt, start, (size_t)(end - start), err, sizeof(err));
}

static void rpi4_tree_gives_the_pi4_board(struct kunit *test)
{
	KUNIT_ASSERT_EQ(test, open_tree(arm64_dtb_rpi4, arm64_dtb_rpi4_end), 0);
	KUNIT_ASSERT_EQ(test, board_probe(&fdt, PI_LOAD_ADDR, MIDR_CORTEX_A72,
					  &cfg, err, sizeof(err)), 0);
	KUNIT_EXPECT_PTR_EQ(test, cfg.board, &board_rpi4);
	KUNIT_EXPECT_TRUE(test, cfg.from_dt);
	KUNIT_EXPECT_STREQ(test, cfg.model, "Raspberry Pi 4 Model B Rev 1.4");
	/* serial0 -> uart0 at bus 0x7e201000 -> CPU 0xfe201000 (soc ranges). */
	KUNIT_EXPECT_TRUE(test, cfg.uart.type == FDT_UART_PL011);
	KUNIT_EXPECT_EQ(test, cfg.uart.base, 0xfe201000ULL);
	/* GIC-400: bus 0x40041000 -> 0xff841000, CPU interface 0xff842000. */
	KUNIT_EXPECT_TRUE(test, cfg.intc == INTC_GICV2);
	KUNIT_EXPECT_EQ(test, cfg.intc_base[0], 0xff841000ULL);
	KUNIT_EXPECT_EQ(test, cfg.intc_base[1], 0xff842000ULL);
	/* Virtual timer: PPI 11 = INTID 27. */
	KUNIT_EXPECT_EQ(test, cfg.timer_irq, 27U);
	KUNIT_EXPECT_TRUE(test, cfg.psci == FDT_PSCI_NONE);
}

static void rpi4_tree_memory_map(struct kunit *test)
{
	static struct memblock_region mem[16], rsv[16];
	struct memblock mb;

	KUNIT_ASSERT_EQ(test, fdt_to_boot_info(arm64_dtb_rpi4,
		(size_t)(arm64_dtb_rpi4_end - arm64_dtb_rpi4), 0x2000000, &bi,
		err, sizeof(err)), 0);
	KUNIT_EXPECT_STREQ(test, bi.protocol, "devicetree");
	KUNIT_EXPECT_STREQ(test, bi.cmdline, "coherent_pool=1M 8250.nr_uarts=1 "
			   "console=ttyAMA0,115200 loglevel=6");

	memblock_init(&mb, mem, ARRAY_SIZE(mem), rsv, ARRAY_SIZE(rsv));
	KUNIT_ASSERT_EQ(test, memblock_add_boot_info_in(&mb, &bi), 0);
	/* 4 GiB of RAM reaching to 8 GiB; the holes are not memory. */
	KUNIT_EXPECT_EQ(test, memblock_start_of_DRAM_in(&mb), 0x1000ULL);
	KUNIT_EXPECT_EQ(test, memblock_end_of_DRAM_in(&mb), 0x200000000ULL);
	KUNIT_EXPECT_TRUE(test, memblock_is_memory_in(&mb, 0x3b3fc000));
	KUNIT_EXPECT_FALSE(test, memblock_is_memory_in(&mb, 0x3b400000));	/* VideoCore */
	KUNIT_EXPECT_FALSE(test, memblock_is_memory_in(&mb, 0xfe201000));	/* peripherals */
	KUNIT_EXPECT_TRUE(test, memblock_is_memory_in(&mb, 0x180000000ULL));	/* above 4 GiB */
	KUNIT_EXPECT_FALSE(test, memblock_is_memory_in(&mb, 0));	/* spin table */
	/* The bootloader's nvram (reserved-memory) and the blob are kept out. */
	KUNIT_EXPECT_FALSE(test, memblock_is_memory_in(&mb, 0x3b3fd000) &&
			   !memblock_is_region_reserved_in(&mb, 0x3b3fd000, 0x1000));
	KUNIT_EXPECT_TRUE(test, memblock_is_region_reserved_in(&mb, 0x2000000, 8) ||
			  !memblock_is_memory_in(&mb, 0x2000000));
	KUNIT_EXPECT_EQ(test, memblock_check_in(&mb), 0);
	/* Below ARCH_DMA32_LIMIT there is DMA32 memory, and more above. */
	KUNIT_EXPECT_TRUE(test, memblock_start_of_DRAM_in(&mb) < ARCH_DMA32_LIMIT);
	KUNIT_EXPECT_TRUE(test, memblock_end_of_DRAM_in(&mb) > ARCH_DMA32_LIMIT);
	/* The CMA pool for the 30-bit DMA: 64 MiB somewhere in the first GiB,
	 * left RAM for CMA to lend (mm/cma.c). */
	KUNIT_ASSERT_EQ(test, bi.nr_cma_pools, 1U);
	KUNIT_EXPECT_STREQ(test, bi.cma_pools[0].name, "linux,cma");
	KUNIT_EXPECT_EQ(test, bi.cma_pools[0].size, 0x4000000ULL);
	KUNIT_EXPECT_EQ(test, bi.cma_pools[0].alloc_start, 0ULL);
	KUNIT_EXPECT_EQ(test, bi.cma_pools[0].alloc_end, 0x40000000ULL);
	KUNIT_EXPECT_TRUE(test, bi.cma_pools[0].is_default);
	/* The card's bus reaches the first GiB only: so does every device,
	 * and the bounce pool is set aside there (dma_reserve_early), not in
	 * the 3 GiB of DMA32 above it the card cannot reach. */
	KUNIT_EXPECT_EQ(test, bi.dma_limit, 0x40000000ULL);
	KUNIT_EXPECT_EQ(test, dma_bounce_limit(&bi), 0x40000000ULL);
	{
		phys_addr_t p = memblock_phys_alloc_range_in(&mb,
				IO_TLB_DEFAULT_SIZE, PAGE_SIZE, 0,
				dma_bounce_limit(&bi));

		KUNIT_EXPECT_NE(test, p, 0ULL);
		KUNIT_EXPECT_LE(test, p + IO_TLB_DEFAULT_SIZE, 0x40000000ULL);
	}
}

static void rpi4_cpus_use_the_spin_table(struct kunit *test)
{
	struct fdt_cpu cpus[8];
	int n;

	KUNIT_ASSERT_EQ(test, open_tree(arm64_dtb_rpi4, arm64_dtb_rpi4_end), 0);
	n = fdt_find_cpus(&fdt, cpus, ARRAY_SIZE(cpus), err, sizeof(err));
	KUNIT_ASSERT_EQ(test, n, 4);
	KUNIT_EXPECT_TRUE(test, cpus[1].method == FDT_CPU_METHOD_SPIN_TABLE);
	KUNIT_EXPECT_EQ(test, cpus[1].release_addr, 0xe0ULL);
	KUNIT_EXPECT_EQ(test, cpus[3].hwid, 3ULL);
}

/* The Pi 3's peripherals reach RAM through the VideoCore's alias of its
 * first 1008 MiB: the whole of the board's RAM below the peripherals. */
static void rpi3_tree_dma_limit(struct kunit *test)
{
	KUNIT_ASSERT_EQ(test, fdt_to_boot_info(arm64_dtb_rpi3,
		(size_t)(arm64_dtb_rpi3_end - arm64_dtb_rpi3), 0x2000000, &bi,
		err, sizeof(err)), 0);
	KUNIT_EXPECT_EQ(test, bi.dma_limit, 0x3f000000ULL);
	KUNIT_EXPECT_EQ(test, dma_bounce_limit(&bi), 0x3f000000ULL);
}

static void rpi3_tree_gives_the_local_intc(struct kunit *test)
{
	KUNIT_ASSERT_EQ(test, open_tree(arm64_dtb_rpi3, arm64_dtb_rpi3_end), 0);
	KUNIT_ASSERT_EQ(test, board_probe(&fdt, PI_LOAD_ADDR, MIDR_CORTEX_A53,
					  &cfg, err, sizeof(err)), 0);
	KUNIT_EXPECT_PTR_EQ(test, cfg.board, &board_rpi3);
	KUNIT_EXPECT_EQ(test, cfg.uart.base, 0x3f201000ULL);
	KUNIT_EXPECT_TRUE(test, cfg.intc == INTC_BCM2836);
	KUNIT_EXPECT_EQ(test, cfg.intc_base[0], 0x40000000ULL);
	/* The virtual timer is the third interrupt: local source 3, CNTVIRQ. */
	KUNIT_EXPECT_EQ(test, cfg.timer_irq, 3U);
}

static void no_tree_defaults_by_cpu(struct kunit *test)
{
	KUNIT_ASSERT_EQ(test, board_probe(NULL, PI_LOAD_ADDR, MIDR_CORTEX_A72,
					  &cfg, err, sizeof(err)), 0);
	KUNIT_EXPECT_PTR_EQ(test, cfg.board, &board_rpi4);
	KUNIT_EXPECT_FALSE(test, cfg.from_dt);
	KUNIT_EXPECT_EQ(test, cfg.board->periph_base, 0xfe000000ULL);
	KUNIT_EXPECT_EQ(test, cfg.uart.base, 0xfe201000ULL);
	KUNIT_EXPECT_TRUE(test, cfg.intc == INTC_GICV2);
	KUNIT_EXPECT_EQ(test, cfg.intc_base[0], 0xff841000ULL);
	KUNIT_EXPECT_EQ(test, cfg.timer_irq, 27U);

	KUNIT_ASSERT_EQ(test, board_probe(NULL, PI_LOAD_ADDR, MIDR_CORTEX_A53,
					  &cfg, err, sizeof(err)), 0);
	KUNIT_EXPECT_PTR_EQ(test, cfg.board, &board_rpi3);
	KUNIT_EXPECT_EQ(test, cfg.board->periph_base, 0x3f000000ULL);
	KUNIT_EXPECT_EQ(test, cfg.uart.base, 0x3f201000ULL);
	KUNIT_EXPECT_TRUE(test, cfg.intc == INTC_BCM2836);

	/* Loaded high without a tree: not a Pi, and the reason says so. */
	KUNIT_EXPECT_EQ(test, board_probe(NULL, 0x40200000, MIDR_CORTEX_A72,
					  &cfg, err, sizeof(err)), -1);
	KUNIT_EXPECT_TRUE(test, strncmp(err, "no device tree, and loaded at 0x40200000", 40) == 0);
}

static void atag_list_from_qemu_raspi3b(struct kunit *test)
{
	/* What QEMU raspi3b -append "test=x y" writes at 0x100. */
	static const uint32_t list[] = {
		5, 0x54410001, 1, 0x1000, 0,		/* ATAG_CORE */
		4, 0x54410002, 0x3c000000, 0,		/* ATAG_MEM: size, start */
		4, 0x54410009, 0x74736574, 0x7920783d,	/* ATAG_CMDLINE "test=x y" */
		0, 0,					/* (string's NUL) ATAG_NONE */
	};

	KUNIT_ASSERT_EQ(test, atags_to_boot_info(list, 0x100, &bi, err, sizeof(err)), 0);
	KUNIT_ASSERT_EQ(test, bi.nr_mem, 1U);
	KUNIT_EXPECT_EQ(test, bi.mem[0].base, 0ULL);
	KUNIT_EXPECT_EQ(test, bi.mem[0].size, 0x3c000000ULL);
	KUNIT_EXPECT_STREQ(test, bi.cmdline, "test=x y");

	/* A tag running past the list is an error, not a wild read. */
	static uint32_t bad[8] = { 5, 0x54410001, 1, 0x1000, 0, 0x4000, 0x54410002, 0 };

	KUNIT_EXPECT_EQ(test, atags_to_boot_info(bad, 0x100, &bi, err, sizeof(err)), -1);
}

/*
 * The VideoCore mailbox of each Pi tree: its reg through the soc's ranges
 * (bus 0x7e00b880) and the soc's dma-ranges (bus 0xc0000000 = physical 0;
 * the Pi 3's up to the peripherals, as Linux's bcm2837 tree says, the
 * Pi 4's 1 GiB; one address cell for the parent on the Pi 3, two on the
 * Pi 4).
 */
static void mailbox_found_in_the_pi_trees(struct kunit *test)
{
	struct rpi_mbox_loc l;

	KUNIT_ASSERT_EQ(test, open_tree(arm64_dtb_rpi3, arm64_dtb_rpi3_end), 0);
	KUNIT_ASSERT_EQ(test, rpi_mbox_find_fdt(&fdt, &l, err, sizeof(err)), 0);
	KUNIT_EXPECT_EQ(test, l.base, 0x3f00b880ULL);
	KUNIT_EXPECT_EQ(test, l.dma_offset, 0xc0000000ULL);
	KUNIT_EXPECT_EQ(test, l.dma_limit, 0x3f000000ULL);
	KUNIT_EXPECT_STREQ(test, l.found_by, "device tree");
	KUNIT_ASSERT_EQ(test, open_tree(arm64_dtb_rpi4, arm64_dtb_rpi4_end), 0);
	KUNIT_ASSERT_EQ(test, rpi_mbox_find_fdt(&fdt, &l, err, sizeof(err)), 0);
	KUNIT_EXPECT_EQ(test, l.base, 0xfe00b880ULL);
	KUNIT_EXPECT_EQ(test, l.dma_offset, 0xc0000000ULL);
	KUNIT_EXPECT_EQ(test, l.dma_limit, 0x40000000ULL);
}

/* The DMA windows of the Pi trees' SD controllers: the Pi 3's SDHOST on
 * the soc bus (the VideoCore alias, 1008 MiB), the Pi 4's EMMC2 on its
 * own bus (the first GiB only, 30 bits), its registers where Linux has
 * them. */
static void sd_controllers_dma_windows(struct kunit *test)
{
	struct fdt_dma_range r;
	struct fdt_reg reg;
	int node;

	KUNIT_ASSERT_EQ(test, open_tree(arm64_dtb_rpi3, arm64_dtb_rpi3_end), 0);
	node = fdt_node_by_compatible(&fdt, -1, "brcm,bcm2835-sdhost");
	KUNIT_ASSERT_GE(test, node, 0);
	KUNIT_ASSERT_EQ(test, fdt_dma_range(&fdt, node, &r, err, sizeof(err)), 0);
	KUNIT_EXPECT_TRUE(test, r.translated);
	KUNIT_EXPECT_EQ(test, r.bus, 0xc0000000ULL);
	KUNIT_EXPECT_EQ(test, r.cpu, 0ULL);
	KUNIT_EXPECT_EQ(test, r.size, 0x3f000000ULL);
	KUNIT_ASSERT_EQ(test, open_tree(arm64_dtb_rpi4, arm64_dtb_rpi4_end), 0);
	node = fdt_node_by_compatible(&fdt, -1, "brcm,bcm2711-emmc2");
	KUNIT_ASSERT_GE(test, node, 0);
	KUNIT_ASSERT_EQ(test, fdt_get_reg_phys(&fdt, node, 0, &reg, err, sizeof(err)), 0);
	KUNIT_EXPECT_EQ(test, reg.base, 0xfe340000ULL);
	KUNIT_ASSERT_EQ(test, fdt_dma_range(&fdt, node, &r, err, sizeof(err)), 0);
	KUNIT_EXPECT_EQ(test, r.bus, 0xc0000000ULL);
	KUNIT_EXPECT_EQ(test, r.cpu, 0ULL);
	KUNIT_EXPECT_EQ(test, r.size, 0x40000000ULL);
}

static struct kunit_case arm64_board_cases[] = {
	KUNIT_CASE(rpi4_tree_gives_the_pi4_board),
	KUNIT_CASE(rpi4_tree_memory_map),
	KUNIT_CASE(rpi4_cpus_use_the_spin_table),
	KUNIT_CASE(rpi3_tree_dma_limit),
	KUNIT_CASE(rpi3_tree_gives_the_local_intc),
	KUNIT_CASE(no_tree_defaults_by_cpu),
	KUNIT_CASE(atag_list_from_qemu_raspi3b),
	KUNIT_CASE(mailbox_found_in_the_pi_trees),
	KUNIT_CASE(sd_controllers_dma_windows),
	{}
};

static struct kunit_suite arm64_board_suite = {
	.name = "arm64_board",
	.test_cases = arm64_board_cases,
};
kunit_test_suite(arm64_board_suite);
