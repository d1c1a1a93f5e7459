/*
 * tests/kernel/swap_err_user_test.c - swap's errors on real disks (issue
 * 16: "errors lose nothing silently"), with user programs: swap areas
 * the host made with mkswap, some served through QEMU's blkdebug so that
 * chosen sectors fail (tools/e2e.sh, swap_err_setup; docs/testing.md).
 * Each case turns its own area on and off again, so slots are handed
 * out from the start of the area: cluster 0 first, slot 1 up.
 *
 * The harness promises (kunit.expect=; without them the suite skips):
 *   swerr.wr:vda      writes of slots swerr.bad_lo..swerr.bad_hi fail
 *                     (every time: blkdebug write_aio on each sector)
 *   swerr.rd:vdb      reads of slots swerr.rd_lo..swerr.rd_hi fail
 *   swerr.small:vdc   a small area (swerr.small_mib), for swap full
 *   swerr.dead:vdd    a good area whose device this suite breaks
 *   swerr.good:vdf    a good area, where the dead one's pages go
 *   swerr.slot:vdg    a good area in a PCI Express slot (behind a root
 *                     port with a power controller): the suite pulls it
 *   swerr.fs:vde      an ext2 disk, for the claim between mount and swap
 *   swerr.hotplug:vdh a good area in a hot-plug slot: the host unplugs it
 *                     (QMP device_del) when this suite prints
 *                     "swap_err: host: unplug vdh"
 * Each memhog is sized from RAM (128 MiB) plus a few MiB.
 */
#include "drivers/block/blk.h"
#include "drivers/pci/pci.h"
#include "drivers/virtio/virtio.h"
#include "kernel/abi/signal.h"
#include "kernel/console.h"
#include "kernel/kunit.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vsprintf.h"
#include "kernel/process.h"
#include "kernel/sched.h"
#include "kernel/wait.h"
#include "mm/mmzone.h"
#include "mm/page_alloc.h"
#include "mm/swap.h"
#include "mm/vmstat.h"
#include "tests/kernel/e2e_user.h"

#define MAX_RUNS	64U	/* failed requests a case may see */

static unsigned long promised_ul(struct kunit *test, const char *key)
{
	uint64_t v = 0;

	if (!parse_u64(promised(test, key), &v, false))
		KUNIT_FAIL(test, "%s is not a number", key);
	return (unsigned long)v;
}

/* RAM plus extra MiB, as a memhog size. */
static void size_over_ram(char *buf, size_t len, unsigned long extra_mib)
{
	ksnprintf(buf, len, "%luM",
		  (totalram_pages() >> (20 - PAGE_SHIFT)) + extra_mib);
}

/* The area on dev (swapon at prio, -1: automatic), or the case ends. */
static struct swap_info_struct *area_on(struct kunit *test, const char *dev,
					int prio)
{
	char line[48];

	if (prio >= 0)
		ksnprintf(line, sizeof(line), "swapon %s -p %d", dev, prio);
	else
		ksnprintf(line, sizeof(line), "swapon %s", dev);
	if (console(line)) {
		KUNIT_FAIL(test, "%s refused", line);
		kunit_end_case(test);
	}
	for (unsigned int t = 0; t < MAX_SWAPFILES; t++) {
		struct swap_info_struct *si = swap_info_get(swp_entry(t, 1));

		if (si && !strcmp(si->backend->name, dev))
			return si;
	}
	KUNIT_FAIL(test, "swapon %s said yes, but no area is on it", dev);
	kunit_end_case(test);
	return NULL;
}

static void area_off(struct kunit *test, const char *dev)
{
	char line[48];

	ksnprintf(line, sizeof(line), "swapoff %s", dev);
	KUNIT_EXPECT_EQ(test, console(line), 0);
}

/*
 * Writes of some slots fail on the disk: each of those slots is marked
 * bad (never handed out again), the write error is counted and shown by
 * `swaps`, and the page it held stays in memory: a memhog larger than
 * RAM reads every word back right.
 */
/* Join two of the *nr slot runs [first[i], last[i]] where one ends just
 * before the other begins; false if no two touch. */
static bool join_two_runs(unsigned long *first, unsigned long *last,
			  unsigned int *nr)
{
	for (unsigned int i = 0; i < *nr; i++)
		for (unsigned int j = 0; j < *nr; j++) {
			if (i == j || last[i] + 1 != first[j])
				continue;
			last[i] = last[j];
			(*nr)--;
			first[j] = first[*nr];
			last[j] = last[*nr];
			return true;
		}
	return false;
}

static void write_errors_mark_slots_bad_and_keep_pages(struct kunit *test)
{
	const char *dev = promised(test, "swerr.wr");
	unsigned long lo = promised_ul(test, "swerr.bad_lo");
	unsigned long hi = promised_ul(test, "swerr.bad_hi");
	struct swap_info_struct *si = area_on(test, dev, -1);
	char size[16], want[64];
	const char *const argv[] = { "memhog", size, NULL };
	unsigned long out0 = global_vm_event(PSWPOUT);
	unsigned int bad_in_range = 0;

	KUNIT_EXPECT_EQ(test, si->nr_write_errors, 0UL);
	size_over_ram(size, sizeof(size), 24);
	capture(test);
	KUNIT_EXPECT_EQ(test, process_wait(start(test, argv)), EXITED(0));
	KUNIT_EXPECT_EQ(test, console("swaps"), 0);
	KUNIT_EXPECT_CAPTURED_REPORTS(test, DIAG_WARN, 0);
	KUNIT_EXPECT_EQ(test, count_lines(", 0 mismatches"), 1U);
	KUNIT_EXPECT_GT(test, global_vm_event(PSWPOUT) - out0, 1000UL);
	KUNIT_EXPECT_GT(test, si->nr_write_errors, 0UL);
	/* Each failed request is reported with its slots, and each of them
	 * is bad now. Which requests failed is QEMU's to say: its
	 * virtio-blk merges requests for neighbouring sectors that arrive
	 * together (up to 32 of them), and a merged one that covers a
	 * failing sector fails whole (runs saw 1 to 4 of ours fail, slots 2
	 * to 91, for 3-5). So: the reported slots, joined where one request
	 * ends where the next begins, make runs that each cover some of
	 * lo..hi, and some request covering lo..hi failed. */
	ksnprintf(want, sizeof(want), "swap: write error -5 on %s slots ", dev);
	KUNIT_EXPECT_EQ(test, (unsigned long)count_lines(want),
			si->nr_write_errors);
	unsigned long run_first[MAX_RUNS], run_last[MAX_RUNS];
	unsigned int nr_runs = 0;

	for (const char *p = out; (p = strstr(p, want)); ) {
		unsigned long first = 0, last = 0;

		p += strlen(want);
		while (*p >= '0' && *p <= '9')
			first = first * 10 + (unsigned long)(*p++ - '0');
		if (*p == '-')
			p++;
		while (*p >= '0' && *p <= '9')
			last = last * 10 + (unsigned long)(*p++ - '0');
		KUNIT_EXPECT_LE(test, first, last);
		for (unsigned long s = first; s <= last; s++)
			if (!(swap_slot_map(&si->slots, s) & SWAP_MAP_BAD))
				KUNIT_FAIL(test, "slot %lu: its write failed, but "
					   "it is not marked bad (map %#x)", s,
					   swap_slot_map(&si->slots, s));
		if (first <= hi && last >= lo)
			bad_in_range++;
		KUNIT_ASSERT_LT(test, nr_runs, MAX_RUNS);
		run_first[nr_runs] = first;
		run_last[nr_runs++] = last;
	}
	while (join_two_runs(run_first, run_last, &nr_runs))
		;
	for (unsigned int i = 0; i < nr_runs; i++)
		if (run_first[i] > hi || run_last[i] < lo)
			KUNIT_FAIL(test, "slots %lu-%lu failed, but cover none "
				   "of the failing slots %lu-%lu", run_first[i],
				   run_last[i], lo, hi);
	KUNIT_EXPECT_GT(test, bad_in_range, 0U);
	/* An I/O error is no dead disk (virtio-blk asks the device). */
	KUNIT_EXPECT_STR_NOT_CONTAINS(test, out, "is dead");
	KUNIT_EXPECT_STR_NOT_CONTAINS(test, out, "stopped answering");
	ksnprintf(want, sizeof(want), "# /dev/%s: %lu write errors", dev,
		  si->nr_write_errors);
	KUNIT_EXPECT_STR_CONTAINS(test, out, want);
	kunit_info(test, "%lu write errors, pswpout %lu", si->nr_write_errors,
		   global_vm_event(PSWPOUT) - out0);
	area_off(test, dev);
}

/*
 * A read fails on the disk: the process whose page it was dies by SIGBUS
 * with a report naming the area and the slot; another process swapping
 * at the same time finishes with every word right. The victim runs
 * alone on the failing area until it has swapped out far past the bad
 * slots (its first pages out, which it reads back first, are there);
 * then a good area of higher priority takes every later slot, so no
 * page of the other process can land on the failing one.
 */
static void read_error_kills_only_the_process_that_needed_it(
	struct kunit *test)
{
	const char *dev = promised(test, "swerr.rd");
	unsigned long lo = promised_ul(test, "swerr.rd_lo");
	unsigned long hi = promised_ul(test, "swerr.rd_hi");
	const char *good = promised(test, "swerr.good");
	struct swap_info_struct *si = area_on(test, dev, 1);
	char vsize[16], bsize[16], want[64];
	const char *const victim[] = { "memhog", vsize, NULL };
	const char *const bystander[] = { "memhog", bsize, NULL };
	unsigned long out0 = global_vm_event(PSWPOUT);
	int v, b;

	size_over_ram(vsize, sizeof(vsize), 16);
	ksnprintf(bsize, sizeof(bsize), "%luM",
		  totalram_pages() >> (20 - PAGE_SHIFT) >> 1);
	int vstatus = -EAGAIN;

	capture(test);
	v = start(test, victim);
	/* 8 clusters' worth out, so the victim's data reaches the bad
	 * slots; or the victim is dead already: any page of it may be the
	 * one in a bad slot (its code, which exec copied into anonymous
	 * memory, was seen there), and then it is killed before 2048. */
	for (int i = 0; i < 3000 && global_vm_event(PSWPOUT) - out0 < 2048 &&
	     (vstatus = process_wait_nohang(v)) == -EAGAIN; i++)
		sleep_ms(100);
	KUNIT_ASSERT_TRUE(test, global_vm_event(PSWPOUT) - out0 >= 2048 ||
			  vstatus != -EAGAIN);
	area_on(test, good, 2);
	b = start(test, bystander);
	if (vstatus == -EAGAIN)
		vstatus = process_wait(v);
	KUNIT_EXPECT_EQ(test, vstatus, SIGBUS);
	KUNIT_EXPECT_EQ(test, process_wait(b), EXITED(0));
	KUNIT_EXPECT_CAPTURED_REPORTS(test, DIAG_WARN, 0);
	KUNIT_EXPECT_EQ(test, count_lines(", 0 mismatches"), 1U);
	KUNIT_EXPECT_GE(test, si->nr_read_errors, 1UL);
	/* The fault's report names the area and a slot of the failed
	 * request: the readahead windows of 8 around the bad ones. */
	ksnprintf(want, sizeof(want), "failed: read error on %s slot ", dev);
	KUNIT_EXPECT_EQ(test, count_lines(want), 1U);
	{
		const char *p = strstr(out, want);
		uint64_t slot = 0;
		char num[12];
		size_t n = 0;

		if (p) {
			p += strlen(want);
			while (n < sizeof(num) - 1 && p[n] >= '0' && p[n] <= '9') {
				num[n] = p[n];
				n++;
			}
			num[n] = '\0';
			KUNIT_EXPECT_TRUE(test, parse_u64(num, &slot, false));
			KUNIT_EXPECT_GE(test, slot, lo & ~7UL);
			KUNIT_EXPECT_LE(test, slot, hi | 7UL);
			kunit_info(test, "victim killed on slot %llu (bad "
				   "%lu-%lu)", (unsigned long long)slot, lo, hi);
		}
	}
	KUNIT_EXPECT_STR_CONTAINS(test, out,
				  "the process that needed it is killed");
	KUNIT_EXPECT_STR_NOT_CONTAINS(test, out, "is dead");
	area_off(test, good);
	area_off(test, dev);
}

/*
 * Swap full is no hang: a memhog larger than RAM and the small area
 * together is killed by the OOM killer, and its slots are all free
 * again after.
 */
static void swap_full_ends_in_the_oom_killer(struct kunit *test)
{
	const char *dev = promised(test, "swerr.small");
	unsigned long mib = promised_ul(test, "swerr.small_mib");
	struct swap_info_struct *si = area_on(test, dev, -1);
	char size[16];
	const char *const argv[] = { "memhog", size, NULL };
	unsigned long total, free;

	size_over_ram(size, sizeof(size), mib + 32);
	capture(test);
	KUNIT_EXPECT_EQ(test, process_wait(start(test, argv)), SIGKILL);
	/* Allocations failing on the way to the kill may warn. */
	kunit_expect_reports(test, DIAG_WARN,
			     kunit_capture_stop(test, DIAG_WARN));
	KUNIT_EXPECT_STR_CONTAINS(test, out, "Out of memory: Killed process");
	KUNIT_EXPECT_STR_CONTAINS(test, out, "(memhog)");
	si_swapinfo(&total, &free);
	KUNIT_EXPECT_EQ(test, total, si->slots.nr_slots_usable);
	/* Every slot is free, or held only by a page still in the swap
	 * cache (reclaim lets it go later). */
	KUNIT_EXPECT_LE(test, total - free,
			node_page_state_snapshot(&contig_page_data,
						 NR_SWAPCACHE));
	area_off(test, dev);
}

static DECLARE_WAIT_QUEUE_HEAD(malformed_wq);

static void malformed_end_io(struct blk_request *req)
{
	WRITE_ONCE(*(bool *)req->private, true);
	wake_up(&malformed_wq);
}

/*
 * Break disk dev's device for real: a request QEMU's virtio-blk must
 * refuse (virtio_blk_submit_malformed) makes it set DEVICE_NEEDS_RESET
 * and interrupt; the driver should find that, reset the device and fail
 * the request with -ENODEV.
 */
static void break_device(struct kunit *test, const char *dev)
{
	static bool done;
	struct blk_request req = {
		.op = BLK_OP_FLUSH, .end_io = malformed_end_io,
		.private = (void *)&done,
	};

	done = false;
	KUNIT_ASSERT_EQ(test, virtio_blk_submit_malformed(blk_get(dev), &req), 0);
	KUNIT_ASSERT_GT(test, wait_event_timeout(malformed_wq, READ_ONCE(done),
						 10000), 0);
	KUNIT_EXPECT_EQ(test, req.status, -ENODEV);
	KUNIT_EXPECT_TRUE(test, blk_dead(blk_get(dev)));
}

/*
 * A dead disk's area is said once and treated as full: swap-out goes on
 * to the next area (good, priority lower), a memhog larger than RAM reads
 * every word back right, and the dead area counts for nothing in
 * SwapTotal and SwapFree. `reason` is what blk_mark_dead says.
 */
static void memhog_beside_a_dead_area(struct kunit *test, const char *dead,
				      struct swap_info_struct *dsi,
				      struct swap_info_struct *gsi,
				      const char *reason)
{
	char size[16], want[96];
	const char *const argv[] = { "memhog", size, NULL };
	unsigned long total, free, gfree;

	size_over_ram(size, sizeof(size), 24);
	KUNIT_EXPECT_EQ(test, process_wait(start(test, argv)), EXITED(0));
	KUNIT_EXPECT_EQ(test, console("swaps"), 0);
	KUNIT_EXPECT_CAPTURED_REPORTS(test, DIAG_WARN, 0);
	KUNIT_EXPECT_EQ(test, count_lines(", 0 mismatches"), 1U);
	ksnprintf(want, sizeof(want), "blk: %s is dead (%s)", dead, reason);
	KUNIT_EXPECT_EQ(test, count_lines(want), 1U);
	ksnprintf(want, sizeof(want), "swap: %s stopped answering", dead);
	KUNIT_EXPECT_EQ(test, count_lines(want), 1U);
	ksnprintf(want, sizeof(want), "# /dev/%s: ", dead);
	KUNIT_EXPECT_STR_CONTAINS(test, out, want);
	KUNIT_EXPECT_STR_CONTAINS(test, out, "dead: treated as full");
	KUNIT_EXPECT_TRUE(test, dsi->flags & SWP_DEAD);
	si_swapinfo(&total, &free);
	gfree = gsi->slots.nr_slots_usable - gsi->slots.inuse;
	KUNIT_EXPECT_EQ(test, total, gsi->slots.nr_slots_usable);
	KUNIT_EXPECT_EQ(test, free, gfree);
}

/*
 * A disk whose device gave up (DEVICE_NEEDS_RESET, provoked in QEMU's
 * own virtio-blk) is found by the driver through the configuration
 * interrupt, said once, and its area treated as full.
 */
static void dead_disk_is_said_once_and_treated_as_full(struct kunit *test)
{
	const char *dead = promised(test, "swerr.dead");
	const char *good = promised(test, "swerr.good");
	struct swap_info_struct *dsi = area_on(test, dead, 10);
	struct swap_info_struct *gsi = area_on(test, good, 5);
	char want[80];

	capture(test);
	break_device(test, dead);
	ksnprintf(want, sizeof(want), "virtio-blk %s: found after a "
		  "configuration change: the device needs a reset", dead);
	KUNIT_EXPECT_STR_CONTAINS(test, out, want);
	memhog_beside_a_dead_area(test, dead, dsi, gsi,
				  "the device needs a reset");
	area_off(test, good);
	area_off(test, dead);
}

/*
 * A disk pulled from its slot while swap writes to it: the device
 * vanishes (its registers read 0 on QEMU, all ones on hardware) and
 * tells nobody; requests sent
 * to it go unanswered until the driver's watchdog (virtio_blk.io_timeout=,
 * 1 s here) looks, finds it gone, and fails them. Their pages stay in
 * memory, dirty, and go to the next area: memhog still reads every word
 * back right.
 */
static void pulled_disk_is_said_once_and_treated_as_full(struct kunit *test)
{
	const char *slot = promised(test, "swerr.slot");
	const char *good = promised(test, "swerr.good");
	struct block_device *b = blk_get(slot);
	struct pci_dev *pdev = b ? pci_dev_of(b->dma_dev) : NULL;
	struct swap_info_struct *dsi, *gsi;
	char want[80];

	KUNIT_ASSERT_NOT_NULL(test, pdev);
	dsi = area_on(test, slot, 10);
	gsi = area_on(test, good, 5);
	capture(test);
	KUNIT_ASSERT_EQ(test, pcie_slot_power_off(pdev), 0);
	ksnprintf(want, sizeof(want), "virtio-blk %s: found after a stall: "
		  "the device is gone", slot);
	memhog_beside_a_dead_area(test, slot, dsi, gsi, "the device is gone");
	KUNIT_EXPECT_STR_CONTAINS(test, out, want);
	area_off(test, good);
	area_off(test, slot);
}

/*
 * A disk the host unplugs (QMP device_del: tools/qmp-device-del) while
 * memhog has pages on it. QEMU presses its slot's attention button; the
 * hot-plug thread (drivers/pci/pciehp.c) asks the driver to let go, the
 * driver asks swap, and swap turns the area off while the disk still
 * works, taking every page back (into memory, or out again to the other
 * area). Only then is the slot powered off and the disk gone. Nothing is
 * lost: memhog reads every word back right, and nobody is killed.
 */
static void unplugged_disk_is_turned_off_first(struct kunit *test)
{
	const char *hp = promised(test, "swerr.hotplug");
	const char *good = promised(test, "swerr.good");
	struct block_device *b = blk_get(hp);
	struct pci_dev *pdev = b ? pci_dev_of(b->dma_dev) : NULL;
	struct swap_info_struct *hsi;
	char size[16], want[96];
	const char *const argv[] = { "memhog", size, NULL };
	unsigned long quarter;
	int pid, i;

	KUNIT_ASSERT_NOT_NULL(test, pdev);
	hsi = area_on(test, hp, 10);
	area_on(test, good, 5);
	quarter = hsi->slots.nr_slots_usable / 4;
	capture(test);
	size_over_ram(size, sizeof(size), 24);
	pid = start(test, argv);
	/* Once a quarter of the disk holds pages, the host unplugs it. */
	for (i = 0; i < 600 && READ_ONCE(hsi->slots.inuse) < quarter; i++)
		sleep_ms(50);
	KUNIT_EXPECT_GE(test, READ_ONCE(hsi->slots.inuse), quarter);
	kunit_info(test, "%lu pages on %s when the host unplugs it",
		   READ_ONCE(hsi->slots.inuse), hp);
	printk("swap_err: host: unplug %s\n", hp);
	KUNIT_EXPECT_EQ(test, process_wait(pid), EXITED(0));
	/* The removal ends with the power-off; give it time to. */
	for (i = 0; i < 200 && !READ_ONCE(pdev->removed); i++)
		sleep_ms(50);
	KUNIT_EXPECT_TRUE(test, READ_ONCE(pdev->removed));
	KUNIT_EXPECT_EQ(test, count_lines(", 0 mismatches"), 1U);
	KUNIT_EXPECT_STR_NOT_CONTAINS(test, out, "Out of memory");
	KUNIT_EXPECT_STR_CONTAINS(test, out, "attention button: removing its 1 function");
	ksnprintf(want, sizeof(want), "blk: %s is being removed: asking swap "
		  "to let go", hp);
	KUNIT_EXPECT_EQ(test, count_lines(want), 1U);
	ksnprintf(want, sizeof(want), "swap: off %s", hp);
	KUNIT_EXPECT_EQ(test, count_lines(want), 1U);
	ksnprintf(want, sizeof(want), "blk: %s is dead (the device was removed)",
		  hp);
	KUNIT_EXPECT_EQ(test, count_lines(want), 1U);
	KUNIT_EXPECT_STR_CONTAINS(test, out, "powered off: the card may be pulled");
	/* Off before it went: never a dead area. */
	ksnprintf(want, sizeof(want), "swap: %s stopped answering", hp);
	KUNIT_EXPECT_EQ(test, count_lines(want), 0U);
	KUNIT_EXPECT_CAPTURED_REPORTS(test, DIAG_WARN, 0);
	capture(test);
	KUNIT_EXPECT_EQ(test, console("swaps"), 0);
	ksnprintf(want, sizeof(want), "/dev/%s ", hp);
	KUNIT_EXPECT_STR_NOT_CONTAINS(test, out, want);
	KUNIT_EXPECT_EQ(test, console("lspci"), 0);
	KUNIT_EXPECT_STR_CONTAINS(test, out, "(removed from its slot)");
	area_off(test, good);
}

/*
 * One user a disk: a mounted disk is refused as swap, and a swap area
 * cannot be mounted; each refusal names who has the disk.
 */
static void mounted_disk_and_swap_area_refuse_each_other(struct kunit *test)
{
	const char *fs = promised(test, "swerr.fs");
	const char *sw = promised(test, "swerr.small");
	char line[64], want[80];

	capture(test);
	ksnprintf(line, sizeof(line), "mount %s /mnt", fs);
	KUNIT_ASSERT_EQ(test, console(line), 0);
	ksnprintf(line, sizeof(line), "swapon %s", fs);
	KUNIT_EXPECT_NE(test, console(line), 0);
	KUNIT_EXPECT_EQ(test, console("umount /mnt"), 0);
	area_on(test, sw, -1);
	ksnprintf(line, sizeof(line), "mount %s /mnt", sw);
	KUNIT_EXPECT_NE(test, console(line), 0);
	KUNIT_EXPECT_CAPTURED_REPORTS(test, DIAG_WARN, 0);
	ksnprintf(want, sizeof(want), "swapon: %s: in use by a mounted file "
		  "system", fs);
	KUNIT_EXPECT_STR_CONTAINS(test, out, want);
	ksnprintf(want, sizeof(want), "mount: %s: refused: in use by swap", sw);
	KUNIT_EXPECT_STR_CONTAINS(test, out, want);
	area_off(test, sw);
}

static struct kunit_case swap_err_user_cases[] = {
	KUNIT_CASE(write_errors_mark_slots_bad_and_keep_pages),
	KUNIT_CASE(read_error_kills_only_the_process_that_needed_it),
	KUNIT_CASE(swap_full_ends_in_the_oom_killer),
	KUNIT_CASE(mounted_disk_and_swap_area_refuse_each_other),
	KUNIT_CASE(dead_disk_is_said_once_and_treated_as_full),
	KUNIT_CASE(pulled_disk_is_said_once_and_treated_as_full),
	KUNIT_CASE(unplugged_disk_is_turned_off_first),
	{}
};

static struct kunit_suite swap_err_user_suite = {
	.name = "swap_err_user",
	.test_cases = swap_err_user_cases,
};
kunit_test_suite(swap_err_user_suite);
