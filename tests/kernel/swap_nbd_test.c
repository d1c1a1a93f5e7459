/*
 * tests/kernel/swap_nbd_test.c - swap and ext2 over NBD end to end (issue
 * 18): a 128 MiB machine whose swap area is nbd0, an export of qemu-nbd
 * on the host's loopback reached through QEMU's user network
 * (tools/e2e.sh, nbd_setup: swap made by mkswap, ext2 by mke2fs -d).
 *
 * The harness promises (kunit.expect=; without them the suite skips):
 *   nbd.swap:nbd0                  the swap area, on at boot (nbd=, swap=)
 *   nbd.fs:10.0.2.100:10810        an ext2 export, "disk", holding
 *                                  pattern.bin (1 MiB, tools/e2e.sh)
 *   swap.size:192M                 what memhog touches (1.5x RAM)
 *   nbd.timeout:12                 nbd.timeout= on the command line
 *   net.dhcp:1                     (arm64) ip=dhcp: nbd= waited for the lease
 * and three services the suite asks for by printing a line the harness's
 * watcher acts on: "swap_nbd: host: flood" (unrelated UDP into the guest
 * for 20 s), "swap_nbd: host: restart the swap server" (qemu-nbd killed,
 * started again 3 s later) and "swap_nbd: host: stop the swap server"
 * (killed for good: the last case). After the run nbd_check verifies on
 * the host what the guest wrote (e2fsck, debugfs) and the swap header.
 */
#include "kernel/console.h"
#include "kernel/kunit.h"
#include "tests/kernel/e2e_user.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vsprintf.h"
#include "kernel/printk.h"
#include "kernel/process.h"
#include "kernel/sched.h"
#include "kernel/time.h"
#include "mm/page_alloc.h"
#include "mm/swap.h"
#include "mm/vmstat.h"
#include "net/lwip/port.h"

/* sha256 of tools/e2e.sh's pattern.bin: byte i is (7i + i/4096) mod 256. */
#define PATTERN_SHA256 \
	"3ed6ee444c4c2833b1fbae831778768fda7196c052b2f57562058c53407c4c66"

static uint64_t size_mib(struct kunit *test)
{
	const char *s = promised(test, "swap.size");
	uint64_t v = 0;

	while (*s >= '0' && *s <= '9')
		v = v * 10 + (uint64_t)(*s++ - '0');
	if (!v)
		KUNIT_FAIL(test, "swap.size is not a size in MiB");
	return v;
}

/* The boot made nbd0 and swaps to it. */
static void nbd_swap_area_is_on(struct kunit *test)
{
	const char *dev = promised(test, "nbd.swap");
	char want[32];

	capture(test);
	KUNIT_EXPECT_EQ(test, console("nbd"), 0);
	KUNIT_EXPECT_EQ(test, console("swaps"), 0);
	KUNIT_EXPECT_CAPTURED_REPORTS(test, DIAG_WARN, 0);
	ksnprintf(want, sizeof(want), "%s: 10.0.2.100:10809 export 'swap'", dev);
	KUNIT_EXPECT_STR_CONTAINS(test, out, want);
	KUNIT_EXPECT_STR_CONTAINS(test, out, "connected");
	ksnprintf(want, sizeof(want), "/dev/%s", dev);
	KUNIT_EXPECT_STR_CONTAINS(test, out, want);
	/* net.dhcp (arm64-virt-nbd): the address came from DHCP, and nbd=
	 * waited for it at boot rather than fail. */
	if (kunit_expectation("net.dhcp")) {
		capture(test);
		KUNIT_EXPECT_EQ(test, console("net"), 0);
		KUNIT_EXPECT_STR_CONTAINS(test, out, "10.0.2.15/24 (dhcp)");
	}
}

/*
 * A second export, connected at the console, mounted, read (a file
 * mke2fs put there, checked by its sha256), written, unmounted; the host
 * checks the image afterwards (nbd_check: e2fsck, debugfs).
 */
static void ext2_on_nbd_read_and_written(struct kunit *test)
{
	const char *server = promised(test, "nbd.fs");
	char line[96];

	capture(test);
	ksnprintf(line, sizeof(line), "nbd connect %s disk", server);
	KUNIT_ASSERT_EQ(test, console(line), 0);
	KUNIT_ASSERT_EQ(test, console("mount nbd1 /mnt"), 0);
	KUNIT_EXPECT_EQ(test, sh(test, "sha256sum /mnt/pattern.bin"),
			EXITED(0));
	KUNIT_EXPECT_STR_CONTAINS(test, out, PATTERN_SHA256);
	KUNIT_EXPECT_EQ(test, sh(test, "echo -n 'written over NBD' > /mnt/written.txt"),
			EXITED(0));
	KUNIT_EXPECT_EQ(test, console("umount /mnt"), 0);
	/* Read back through a fresh mount: from the server, not the cache. */
	KUNIT_ASSERT_EQ(test, console("mount nbd1 /mnt"), 0);
	KUNIT_EXPECT_EQ(test, sh(test, "cat /mnt/written.txt; echo; sha256sum /mnt/pattern.bin"),
			EXITED(0));
	KUNIT_EXPECT_STR_CONTAINS(test, out, "written over NBD");
	KUNIT_EXPECT_EQ(test, console("umount /mnt"), 0);
	KUNIT_EXPECT_CAPTURED_REPORTS(test, DIAG_WARN, 0);
}

/* The line `nbd` prints for dev, in line (at least 256 bytes). */
static void nbd_line(struct kunit *test, const char *dev, char *line)
{
	char want[16];
	const char *l;

	ksnprintf(want, sizeof(want), "%s: ", dev);
	capture(test);
	KUNIT_EXPECT_EQ(test, console("nbd"), 0);
	l = strstr(out, want);
	line[0] = 0;
	for (size_t i = 0; l && i + 1 < 256 && l[i] && l[i] != '\n'; i++) {
		line[i] = l[i];
		line[i + 1] = 0;
	}
}

/*
 * `nbd disconnect`: refused for the swap area (in use), done for the
 * ext2 export (NBD_CMD_DISC, the connection closed); the device then
 * refuses a mount, says "disconnected", and cannot be closed twice.
 */
static void nbd_disconnect_closes_an_idle_device(struct kunit *test)
{
	char line[256];

	promised(test, "nbd.fs");
	capture(test);
	KUNIT_EXPECT_NE(test, console("nbd disconnect nbd0"), 0);
	KUNIT_EXPECT_STR_CONTAINS(test, out,
				  "nbd: nbd0: cannot disconnect: in use by swap");
	KUNIT_EXPECT_NE(test, console("nbd disconnect nbd7"), 0);
	KUNIT_EXPECT_STR_CONTAINS(test, out, "nbd7: cannot disconnect: no such NBD device");
	capture(test);
	KUNIT_ASSERT_EQ(test, console("nbd disconnect nbd1"), 0);
	KUNIT_EXPECT_STR_CONTAINS(test, out,
				  "nbd: nbd1 disconnected (the server closed the connection)");
	kunit_info(test, "%s", out);
	KUNIT_EXPECT_NE(test, console("mount nbd1 /mnt"), 0);
	KUNIT_EXPECT_STR_CONTAINS(test, out, "in use by `nbd disconnect`");
	KUNIT_EXPECT_NE(test, console("nbd disconnect nbd1"), 0);
	KUNIT_EXPECT_STR_CONTAINS(test, out, "it is disconnected, not connected");
	nbd_line(test, "nbd1", line);
	KUNIT_EXPECT_STR_CONTAINS(test, line, ", disconnected;");
	KUNIT_EXPECT_STR_CONTAINS(test, line, "; 0 in flight,");
	/* The swap device did not notice. */
	nbd_line(test, "nbd0", line);
	KUNIT_EXPECT_STR_CONTAINS(test, line, ", connected;");
	KUNIT_EXPECT_CAPTURED_REPORTS(test, DIAG_WARN, 0);
}

/* One memhog of swap.size; its pswpout/pswpin moved; 0 mismatches. */
static void run_memhog(struct kunit *test, bool restart_server)
{
	unsigned long out0 = global_vm_event(PSWPOUT);
	unsigned long in0 = global_vm_event(PSWPIN);
	char size[16];
	int pid;

	ksnprintf(size, sizeof(size), "%lluM",
		  (unsigned long long)size_mib(test));
	{
		const char *const argv[] = { "memhog", "-v", size, NULL };

		capture(test);
		pid = start(test, argv);
	}
	if (restart_server) {
		/* Once a quarter of RAM is out: the server goes away with
		 * requests in flight, and comes back. */
		KUNIT_EXPECT_TRUE(test, wait_pswpout(out0,
						     totalram_pages() / 4));
		printk("swap_nbd: host: restart the swap server\n");
	}
	KUNIT_EXPECT_EQ(test, process_wait(pid), EXITED(0));
	KUNIT_EXPECT_EQ(test, count_lines(" 0 mismatches"), 1U);
	KUNIT_EXPECT_STR_NOT_CONTAINS(test, out, "Out of memory");
	KUNIT_EXPECT_GT(test, global_vm_event(PSWPOUT) - out0, 0UL);
	KUNIT_EXPECT_GT(test, global_vm_event(PSWPIN) - in0, 0UL);
	kunit_info(test, "memhog -v %s over NBD: pswpout %lu pswpin %lu", size,
		   global_vm_event(PSWPOUT) - out0,
		   global_vm_event(PSWPIN) - in0);
}

/*
 * memhog 1.5x RAM swapping to nbd0 while the host floods the guest with
 * unrelated UDP (20 s, from the start), and the swap server is killed
 * once a quarter of RAM is out and started again 3 s later: the
 * requests in flight are kept and resent, the processes that need those
 * pages wait, memhog finds every word (0 mismatches, no hang). One run
 * for both (each alone was a case of its own, and a memhog run of make
 * test's time): the flood goes on through the reconnect, when the
 * memalloc rule matters most. What the flood did is shown (frames the
 * rule dropped), and nbd0 says it reconnected, resent and has nothing
 * left in flight.
 */
static void memhog_survives_a_flood_and_a_server_restart(struct kunit *test)
{
	unsigned long dropped0 = READ_ONCE(net_memalloc.rx_dropped);
	char line[256];

	printk("swap_nbd: host: flood\n");
	run_memhog(test, true);
	KUNIT_EXPECT_CAPTURED_REPORTS(test, DIAG_WARN, 0);
	kunit_info(test, "frames received into the reserves and dropped: %lu; "
		   "from the reserves: %lu allocations",
		   READ_ONCE(net_memalloc.rx_dropped) - dropped0,
		   READ_ONCE(lwip_mem.reserve_allocs));
	/* Nothing left hanging: every request of the old connection was
	 * resent and answered (without the resend, 14 stayed in flight).
	 * What reclaim wrote last may still be on its way: 5 s for it. */
	for (int i = 0; i < 50; i++) {
		nbd_line(test, "nbd0", line);
		if (strstr(line, "; 0 in flight,"))
			break;
		sleep_ms(100);
	}
	/* The swap device's own line: connected again, and it says so. */
	KUNIT_EXPECT_STR_CONTAINS(test, line, ", connected;");
	KUNIT_EXPECT_STR_NOT_CONTAINS(test, line, " 0 reconnects");
	KUNIT_EXPECT_STR_NOT_CONTAINS(test, line, "(0 resent");
	KUNIT_EXPECT_STR_CONTAINS(test, line, "; 0 in flight,");
}

/*
 * The last case: the server goes away for good mid-run. For nbd.timeout
 * seconds the device reconnects and everything that needs it waits;
 * then it is dead, and swap treats it as a dead disk (issue 16): said
 * once, the area full, the pages that were on it lost to the process
 * that owned them, which is killed. The kernel carries on: a program
 * runs after it.
 */
static void memhog_is_killed_when_the_server_is_gone_for_good(struct kunit *test)
{
	unsigned long out0 = global_vm_event(PSWPOUT);
	char size[16], line[256], want[64];
	uint64_t limit_s = 0, t0;
	int pid, status;

	promised(test, "nbd.timeout");
	KUNIT_ASSERT_TRUE(test, kunit_expectation_u64("nbd.timeout", &limit_s));
	ksnprintf(size, sizeof(size), "%lluM",
		  (unsigned long long)size_mib(test));
	{
		const char *const argv[] = { "memhog", "-v", size, NULL };

		capture(test);
		pid = start(test, argv);
	}
	KUNIT_EXPECT_TRUE(test, wait_pswpout(out0, totalram_pages() / 4));
	printk("swap_nbd: host: stop the swap server\n");
	t0 = clock_ns();
	status = process_wait(pid);
	kunit_info(test, "memhog ended (%#x) %llu s after the server went", status,
		   (unsigned long long)((clock_ns() - t0) / 1000000000ull));
	KUNIT_EXPECT_NE(test, status, EXITED(0));
	/* It did not end before the limit: the device waited that long. */
	KUNIT_EXPECT_GE(test, (clock_ns() - t0) / 1000000000ull, limit_s - 1);
	ksnprintf(want, sizeof(want), "unreachable for %llu s",
		  (unsigned long long)limit_s);
	KUNIT_EXPECT_STR_CONTAINS(test, out, want);
	KUNIT_EXPECT_EQ(test, count_lines("swap: nbd0 stopped answering"), 1U);
	/* Said for the area, not for each write the device held. */
	KUNIT_EXPECT_EQ(test, count_lines("swap: write error"), 0U);
	kunit_expect_reports(test, DIAG_WARN,
			     kunit_capture_stop(test, DIAG_WARN));
	capture(test);
	KUNIT_EXPECT_EQ(test, console("swaps"), 0);
	KUNIT_EXPECT_STR_CONTAINS(test, out, "dead: treated as full");
	nbd_line(test, "nbd0", line);
	KUNIT_EXPECT_STR_CONTAINS(test, line, ", dead;");
	KUNIT_EXPECT_STR_CONTAINS(test, line, "; 0 in flight,");
	{
		const char *const ok[] = { "busybox", "true", NULL };

		KUNIT_EXPECT_EQ(test, process_wait(start(test, ok)), EXITED(0));
	}
	KUNIT_EXPECT_CAPTURED_REPORTS(test, DIAG_WARN, 0);
}

static struct kunit_case swap_nbd_cases[] = {
	KUNIT_CASE(nbd_swap_area_is_on),
	KUNIT_CASE(ext2_on_nbd_read_and_written),
	KUNIT_CASE(nbd_disconnect_closes_an_idle_device),
	KUNIT_CASE(memhog_survives_a_flood_and_a_server_restart),
	KUNIT_CASE(memhog_is_killed_when_the_server_is_gone_for_good),
	{}
};

static struct kunit_suite swap_nbd_suite = {
	.name = "swap_nbd",
	.test_cases = swap_nbd_cases,
};
kunit_test_suite(swap_nbd_suite);
