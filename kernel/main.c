/*
 * kernel/main.c - the boot story, from the arch entry code to the prompt.
 * One step a line; each step's file says what it does.
 */
#include "kernel/main.h"
#include "kernel/bench.h"
#include "kernel/cmdline.h"
#include "kernel/console.h"
#include "kernel/fault.h"
#include "kernel/file.h"
#include "fs/fs.h"
#include "net/nbd.h"
#include "net/net.h"
#include "kernel/kthread.h"
#include "kernel/stop_machine.h"
#include "kernel/kunit.h"
#include "kernel/lib/string.h"
#include "kernel/percpu.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/syscall.h"
#include "kernel/smp.h"
#include "kernel/time.h"
#include "kernel/workqueue.h"
#include "drivers/iommu/arm-smmu-v3.h"
#include "drivers/iommu/intel-iommu.h"
#include "drivers/block/blk.h"
#include "drivers/pci/pci.h"
#include "drivers/pci/pciehp.h"
#include "drivers/block/partition.h"
#include "drivers/firmware/rpi_mbox.h"
#include "drivers/mmc/mmc.h"
#include "drivers/virtio/virtio.h"
#include "mm/cma.h"
#include "mm/compaction.h"
#include "mm/dma-mapping.h"
#include "mm/memblock.h"
#include "mm/dma-iommu.h"
#include "mm/filemap.h"
#include "mm/page_alloc.h"
#include "mm/slab.h"
#include "mm/swap.h"
#include "mm/vmalloc.h"
#include "mm/vmscan.h"
#include "mm/vmstat.h"
#include "mm/xarray.h"
#include <arch/machine.h>

unsigned long cpu_online_mask = 1;	/* the boot CPU */

static char test_glob[128];
static bool tests_requested;

static int set_test(const char *v)
{
	if (!v || !*v)
		return -1;
	strlcpy(test_glob, v, sizeof(test_glob));
	tests_requested = true;
	kernel_test_mode = true;
	return 0;
}
KERNEL_PARAM("test", set_test, "GLOB: run the KTAP suites matching GLOB, then exit QEMU");

static int set_seed(const char *v)
{
	uint64_t seed;

	if (!parse_u64(v, &seed, false))
		return -1;
	kunit_set_seed(seed);
	return 0;
}
KERNEL_PARAM("kunit.seed", set_seed, "N: seed for randomised tests (replays a failure)");

static int set_loglevel(const char *v)
{
	uint64_t level;

	if (!parse_u64(v, &level, false) || level > 7)
		return -1;
	console_loglevel = (int)level;
	return 0;
}
KERNEL_PARAM("loglevel", set_loglevel, "0-7: print messages up to this level");

void kernel_main(struct boot_info *bi)
{
	pr_info("mm kernel booting on %s via %s%s%s\n", arch_machine_name(),
		bi->protocol, bi->loader[0] ? " from " : "", bi->loader);
	cmdline_parse(bi->cmdline);	/* options; unknown ones reported */
	boot_info_print(bi);		/* what the loader told us */
	memblock_add_boot_info(bi);	/* RAM, minus kernel, modules, info */
	cma_reserve_boot_regions(bi);	/* cma=: regions kept from memblock */
	dma_reserve_early(bi);		/* the bounce pool, where all DMA reaches */
	arch_mm_init();			/* page tables: direct map of all RAM */
	arch_time_init();		/* clock, timer tick, interrupts on */
	smp_early_init();		/* CPUs from firmware; AP start page */
	mm_core_init();			/* memmap, zones, buddy allocator */
	kmem_cache_init();		/* slab caches, kmalloc */
	xarray_init();			/* the page-cache index node cache */
	vmalloc_init();			/* vmalloc area allocator */
	dma_init();			/* DMA API: bounce pool (swiotlb) */
	rpi_firmware_init(bi);		/* a Pi's firmware: board, memory, clocks */
	sched_init();			/* this context becomes thread "main" */
	kthread_create_idle(0);		/* CPU 0's idle thread */
	smp_init();			/* start the other CPUs */
	stop_machine_init();		/* their stopper threads */
	vmscan_init();			/* reclaim: kswapd, direct reclaim hook */
	compaction_init();		/* direct compaction hook */
	workqueue_init_early();		/* system_wq and its kworker thread */
	dma_flush_queue_timer_init();	/* lazy IOMMU flushes bounded in time */
	vmstat_shepherd_init();		/* per-CPU counter differences folded, 1 s */
	writeback_init();		/* the flusher thread: dirty pages out */
	intel_iommu_pci_init(bi);	/* VT-d (ACPI DMAR): units on, PCI hook */
	arm_smmu_v3_pci_init(bi);	/* SMMUv3 (device tree): on, PCI hook */
	blk_swap_init();		/* disks can be swap areas (swapon) */
	virtio_pci_init();		/* virtio over PCI: virtio-blk disks */
	virtio_mmio_init(bi);		/* virtio-mmio (device tree): arm64 virt */
	mmc_init(bi);			/* SD cards (device tree): Raspberry Pi */
	sdhci_pci_init();		/* SD cards on PCI SDHCIs: ADMA2 */
	pci_init(bi);			/* PCIe: ECAM hosts, devices, drivers */
	mmc_start_threads();		/* a thread per card runs its requests */
	virtio_blk_watchdog_init();	/* disks that stop answering are looked at */
	pciehp_init();			/* hot-plug slots: cards asked out, pulled */
	blk_scan_all_partitions();	/* MBR partitions: vda1, vda2, ... */
	net_init();			/* lwIP on the network interfaces: netd */
	syscall_init();			/* the system-call table, by number */
	files_init();			/* the console's fd 0, 1, 2 */
	vfs_init();			/* initramfs on /, root=DEV on /mnt */
	nbd_boot_init();		/* nbd=ADDR:PORT/EXPORT: nbd0 */
	swap_boot_init();		/* swap=DEV[,DEV] */

	uint64_t ns = clock_ns();

	pr_info("boot: %llu.%03llu ms from kernel entry to ready\n",
		(unsigned long long)(ns / 1000000), (unsigned long long)(ns / 1000 % 1000));
	bench_run_requested();		/* bench=GLOB: figures, then exit */
	if (tests_requested) {
		bool ok = kunit_run_all(test_glob, NULL);

		arch_test_exit(ok);
	}
	console_run();			/* the mm> prompt */
}
