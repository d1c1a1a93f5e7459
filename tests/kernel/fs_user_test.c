/*
 * tests/kernel/fs_user_test.c - the file system end to end: unmodified
 * busybox applets and our pattern programs (user/bin/pattern.h) on an
 * ext2 disk that the host made with mke2fs and checks after the run with
 * e2fsck and debugfs (tools/run-tests, tools/check-ext2; docs/testing.md).
 *
 * Programs are started with process_spawn() as the console's `run` does,
 * their output captured from the console, their exit status checked; the
 * console's own commands (mount, umount, drop_caches) are run with
 * console_execute() as if typed.
 *
 * What the machine holds is promised by the harness (kunit.expect=, so a
 * disk that is missing or not mounted fails rather than skips):
 *   fs.root:vda         the ext2 disk mounted on /mnt by root=vda
 *   fs.big:SIZE         the size of the big file (at least 4x RAM: 128M)
 *   fs.big_sha:HEX      the first 32 hex digits of its pattern's sha256
 *   fs.map_sha:HEX      the same for the MAP_SHARED file (below)
 *   fs.small:vdb        a small ext2 disk, to fill to ENOSPC
 *   fs.bad:7            vda..vdf: five corrupt superblocks and a good disk;
 *                       vdg: a corrupt inode and directory entry, whose
 *                       inode numbers are fs.badptr_ino, fs.baddir_ino
 *   fs.wb_err:vdh       a good disk whose writes of sector
 *                       fs.wb_err_sector (/victim's first block) fail,
 *                       and of fs.meta_err_sector (the inode table
 *                       block that holds /meta's inode, and no other
 *                       file's)
 * Without fs.root (fs.bad), the suite fs_user (fs_user_bad) skips: the
 * configurations without these disks run it too.
 *
 * Suite fs_user runs its cases in order, each on what the one before
 * left: the big file, the shared file, the ENOSPC disk, then unmount.
 * The host check after the run reads /big, /pat, /mapped and /small's
 * /after back out of the images and runs e2fsck -fn on both.
 */
#include "fs/fs.h"
#include "kernel/console.h"
#include "kernel/errno.h"
#include "kernel/kunit.h"
#include "tests/kernel/e2e_user.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vsprintf.h"
#include "kernel/process.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/time.h"
#include "mm/backing-dev.h"
#include "mm/filemap.h"
#include "mm/lru.h"
#include "mm/mmzone.h"
#include "mm/page_alloc.h"
#include "mm/vmstat.h"

/* The seeds and sizes of the files the host checks (tools/run-tests
 * ext2_check computes the same). */
#define PAT_SEED	"2"
#define PAT_SIZE	"16M"
#define PAT_BYTES	"16777216"
#define MAP_SEED	"3"
#define MAP_FILE_KIB	"1024"		/* dd bs=1k count=1024 */
#define MAP_OFF		"65536"
#define MAP_LEN		"200000"
#define AFTER_SEED	"5"
#define AFTER_SIZE	"64K"

/* sh() (e2e_user.h), formatted. */
static __printf(2, 3) int shf(struct kunit *test, const char *fmt, ...)
{
	static char cmd[512];
	va_list ap;

	va_start(ap, fmt);
	kvsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return sh(test, cmd);
}

/* A size in bytes from "256M". */
static uint64_t size_bytes(struct kunit *test, const char *s)
{
	uint64_t v = 0;
	const char *p = s;

	while (*p >= '0' && *p <= '9')
		v = v * 10 + (uint64_t)(*p++ - '0');
	if (*p == 'K')
		v <<= 10;
	else if (*p == 'M')
		v <<= 20;
	else if (*p == 'G')
		v <<= 30;
	else if (*p)
		KUNIT_FAIL(test, "fs.big:%s is not a size", s);
	return v;
}

static unsigned long min_wmark_total(void)
{
	struct zone *zone;
	unsigned long n = 0;

	for_each_populated_zone_in(zone, &contig_page_data)
		n += min_wmark_pages(zone);
	return n;
}

/* The lowest an atomic allocation may take the zones: 3/8 of min
 * (docs/mm/page_alloc.md, "Watermarks and reserves"). */
static unsigned long atomic_floor_total(void)
{
	struct zone *zone;
	unsigned long n = 0;

	for_each_populated_zone_in(zone, &contig_page_data) {
		unsigned long min = min_wmark_pages(zone);

		min -= min / 2;
		n += min - min / 4;
	}
	return n;
}

/* Blocks taken from below the min watermarks so far (ZE_RESERVE). */
static unsigned long reserve_takes(void)
{
	struct zone *zone;
	unsigned long n = 0;

	for_each_populated_zone_in(zone, &contig_page_data)
		n += READ_ONCE(zone->events[ZE_RESERVE]);
	return n;
}

/* The disk root=vda mounted is on /mnt, as ext2, as the console says. */
static void root_disk_is_mounted_on_mnt(struct kunit *test)
{
	const char *dev = promised(test, "fs.root");
	char want[64];

	capture(test);
	KUNIT_EXPECT_EQ(test, console("mount"), 0);
	KUNIT_EXPECT_CAPTURED_REPORTS(test, DIAG_WARN, 0);
	ksnprintf(want, sizeof(want), "%s on /mnt type ext2", dev);
	KUNIT_EXPECT_STR_CONTAINS(test, out, want);
}

/*
 * A file four times the size of RAM written by the pattern program
 * (64 KiB write()s through the page cache: the file is the shell's
 * redirection), then sync; stat gives the size. (Not through a pipe to
 * dd: under TCG a pipe costs several times the file system's own time;
 * dd conv=fsync writes in direct_reclaim_never_writes.)
 */
static void big_file_written_and_synced(struct kunit *test)
{
	const char *size = promised(test, "fs.big");
	uint64_t bytes = size_bytes(test, size);
	char want[48];

	/* The promise the next case's "4x RAM" rests on. */
	KUNIT_ASSERT_GE(test, bytes, 4 * (uint64_t)totalram_pages() * PAGE_SIZE);
	capture(test);
	KUNIT_EXPECT_EQ(test, shf(test, "pattern 1 %s > /mnt/big && sync && "
				  "stat -c 'size %%s' /mnt/big", size), EXITED(0));
	KUNIT_EXPECT_CAPTURED_REPORTS(test, DIAG_WARN, 0);
	ksnprintf(want, sizeof(want), "size %llu\n", (unsigned long long)bytes);
	KUNIT_EXPECT_STR_CONTAINS(test, out, want);
	KUNIT_EXPECT_STR_NOT_CONTAINS(test, out, "Out of memory");
}

/*
 * drop_caches 3 empties the page cache; then sha256sum reads the whole
 * file back from the disk and must print the host's hash. The read is of
 * a file 4x RAM: memory stays bounded (free memory sampled every 5 ms
 * never under the min watermark, nobody OOM-killed) and reclaim is what
 * made room. (An allocation the reserves are for may go below min - a
 * user page table on a fault's last try, GFP_ATOMIC under
 * page_table_lock; exec's stack set-up through access_remote_vm takes
 * them only there too since session 27 - and is counted in ZE_RESERVE
 * when it does: then free must stay above the atomic floor, 3/8 of min.
 * No other
 * allocation can: the watermark is checked under zone->lock; before it
 * was, two CPUs passing the check together took the zones a page under
 * min, seen in one run in five here and in CI.) Reclaim is what made
 * room: kswapd's and direct reclaim's counters each moved (pgscan_
 * and pgsteal_kswapd, pgscan_ and pgsteal_direct). The read alone left
 * direct reclaim to chance (0 to 3800 pages over seven runs on each
 * arch, 0 in one on each: kswapd mostly keeps up with one reader), so
 * memhog allocates two thirds of RAM four times beside it, as an
 * allocating program would: its faults outrun kswapd and reclaim the
 * reader's clean pages themselves (1745 to 3928 pages in each of five
 * runs on each arch when this was written; 172 to 873 in each of the
 * fifteen runs of session 26, never 0). Its pages verify (0
 * mismatches) and it is not OOM-killed.
 */
static void big_file_read_back_after_drop_caches(struct kunit *test)
{
	const char *sha = promised(test, "fs.big_sha");
	const char *const argv[] = { "busybox", "sha256sum", "/mnt/big", NULL };
	unsigned long ram_mib = totalram_pages() >> (20 - PAGE_SHIFT);
	char hog[16];
	const char *const hogv[] = { "memhog", hog, "4", NULL };
	static const enum vm_event_item items[] = {
		PGSCAN_KSWAPD, PGSTEAL_KSWAPD, PGSCAN_DIRECT, PGSTEAL_DIRECT,
	};
	unsigned long cached_before, cached_after, min_free = ~0UL;
	unsigned long moved[ARRAY_SIZE(items)], wmin = min_wmark_total();
	unsigned long reserve;
	int pid, hog_pid, status;

	capture(test);
	cached_before = global_node_page_state(NR_FILE_PAGES);
	KUNIT_EXPECT_EQ(test, console("drop_caches 3"), 0);
	cached_after = global_node_page_state(NR_FILE_PAGES);
	/* Everything that was the big file's (clean, synced) is gone. */
	KUNIT_EXPECT_LT(test, cached_after, cached_before / 2 + 1);

	ksnprintf(hog, sizeof(hog), "%luM", ram_mib * 2 / 3);
	for (unsigned int i = 0; i < ARRAY_SIZE(items); i++)
		moved[i] = global_vm_event(items[i]);
	reserve = reserve_takes();
	pid = start(test, argv);
	hog_pid = start(test, hogv);
	while ((status = process_wait_nohang(pid)) == -EAGAIN) {
		unsigned long f = global_zone_page_state(NR_FREE_PAGES);

		if (f < min_free)
			min_free = f;
		sleep_ms(5);
	}
	KUNIT_EXPECT_EQ(test, process_wait(hog_pid), EXITED(0));
	for (unsigned int i = 0; i < ARRAY_SIZE(items); i++)
		moved[i] = global_vm_event(items[i]) - moved[i];
	reserve = reserve_takes() - reserve;
	KUNIT_EXPECT_CAPTURED_REPORTS(test, DIAG_WARN, 0);
	KUNIT_EXPECT_EQ(test, status, EXITED(0));
	KUNIT_EXPECT_STR_CONTAINS(test, out, ", 0 mismatches");
	KUNIT_EXPECT_STR_CONTAINS(test, out, sha);
	KUNIT_EXPECT_STR_CONTAINS(test, out, "  /mnt/big");
	KUNIT_EXPECT_STR_NOT_CONTAINS(test, out, "Out of memory");
	if (!reserve)
		KUNIT_EXPECT_GE(test, min_free, wmin);
	KUNIT_EXPECT_GE(test, min_free, atomic_floor_total());
	kunit_info(test, "read 4x RAM: free never below %lu pages (min "
		   "watermark %lu; %lu pages went to allocations the reserves "
		   "are for); kswapd scanned %lu, reclaimed %lu; direct "
		   "reclaim scanned %lu, reclaimed %lu", min_free, wmin,
		   reserve, moved[0], moved[1], moved[2], moved[3]);
	for (unsigned int i = 0; i < ARRAY_SIZE(items); i++)
		if (!moved[i])
			KUNIT_FAIL(test, "%s did not move",
				   vm_event_names[items[i]]);
}

/*
 * Two programs at once on one file, cold from the disk: one reads it
 * with read() (pattern -c), one maps it and reads the mapping (mapread,
 * every page a filemap_fault): both see every byte.
 */
static void two_programs_read_and_map_one_file(struct kunit *test)
{
	const char *const reader[] = { "pattern", "-c", PAT_SEED, PAT_SIZE,
				       "/mnt/pat", NULL };
	const char *const mapper[] = { "mapread", PAT_SEED, "/mnt/pat", NULL };
	int p1, p2;

	promised(test, "fs.root");
	capture(test);
	KUNIT_ASSERT_EQ(test, sh(test, "pattern " PAT_SEED " " PAT_SIZE
				 " > /mnt/pat && sync"), EXITED(0));
	KUNIT_EXPECT_EQ(test, console("drop_caches 1"), 0);
	p1 = start(test, reader);
	p2 = start(test, mapper);
	KUNIT_EXPECT_EQ(test, process_wait(p1), EXITED(0));
	KUNIT_EXPECT_EQ(test, process_wait(p2), EXITED(0));
	KUNIT_EXPECT_CAPTURED_REPORTS(test, DIAG_WARN, 0);
	/* Both run at once: one's line may land inside the other's, before
	 * its newline (seen once in a full run), so no "\n" after either. */
	KUNIT_EXPECT_STR_CONTAINS(test, out, "pattern: /mnt/pat: " PAT_BYTES
				  " bytes read, 0 bad blocks");
	KUNIT_EXPECT_STR_CONTAINS(test, out, "mapread: /mnt/pat: " PAT_BYTES
				  " bytes mapped, 0 bad blocks");
}

/*
 * read(2) of a cached file copies straight into the user's buffer, so
 * the copy itself can fault: a hole in the buffer gives a short count, a
 * read-only page or a kernel address -EFAULT with the position kept, and
 * a buffer that maps the very file being read is filled correctly
 * (user/bin/readfault.c says each check). Both architectures.
 */
static void read_into_buffers_that_fault(struct kunit *test)
{
	const char *const argv[] = { "readfault", "/mnt/pat", NULL };

	promised(test, "fs.root");
	capture(test);
	KUNIT_ASSERT_EQ(test, sh(test, "test -f /mnt/pat || { pattern "
				 PAT_SEED " " PAT_SIZE " > /mnt/pat; }"),
			EXITED(0));
	KUNIT_EXPECT_EQ(test, console("drop_caches 1"), 0);
	KUNIT_EXPECT_EQ(test, process_wait(start(test, argv)), EXITED(0));
	KUNIT_EXPECT_CAPTURED_REPORTS(test, DIAG_WARN, 0);
	KUNIT_EXPECT_STR_CONTAINS(test, out,
				  "readfault: /mnt/pat: 10 checks, 0 failed\n");
}

/*
 * A MAP_SHARED write reaches the file: read() (sha256sum) sees it at
 * once, and again from the disk after drop_caches; a MAP_PRIVATE write
 * to the same file changes nothing in it. The host reads /mapped out of
 * the image afterwards.
 */
static void map_shared_write_reaches_read_and_disk(struct kunit *test)
{
	const char *sha = promised(test, "fs.map_sha");
	const char *p;

	capture(test);
	KUNIT_ASSERT_EQ(test, sh(test, "/bin/dd if=/dev/zero of=/mnt/mapped bs=1k "
				 "count=" MAP_FILE_KIB), EXITED(0));
	KUNIT_EXPECT_EQ(test, sh(test, "mapfile " MAP_SEED " /mnt/mapped "
				 MAP_OFF " " MAP_LEN), EXITED(0));
	KUNIT_EXPECT_STR_CONTAINS(test, out, "mapfile: wrote " MAP_LEN
				  " bytes at " MAP_OFF " through MAP_SHARED, msync 0\n");
	KUNIT_EXPECT_EQ(test, sh(test, "sha256sum /mnt/mapped"), EXITED(0));
	/* A private write to the same pages: the file must not change. */
	KUNIT_EXPECT_EQ(test, sh(test, "mapfile -p 4 /mnt/mapped 0 8192"),
			EXITED(0));
	KUNIT_EXPECT_STR_CONTAINS(test, out, "through MAP_PRIVATE\n");
	KUNIT_EXPECT_EQ(test, console("drop_caches 1"), 0);
	KUNIT_EXPECT_EQ(test, sh(test, "sync; sha256sum /mnt/mapped"), EXITED(0));
	KUNIT_EXPECT_CAPTURED_REPORTS(test, DIAG_WARN, 0);
	/* The hash twice: after the write, after the private write and a
	 * drop of the cache. */
	p = strstr(out, sha);
	KUNIT_EXPECT_NOT_NULL(test, p);
	if (p)
		KUNIT_EXPECT_NOT_NULL(test, strstr(p + 1, sha));
}

/*
 * Stores through a MAP_SHARED mapping go through the dirty throttling as
 * write() does (issue 15): a program storing 16 MiB through a mapping
 * makes balance_dirty_pages rounds on the disk's wb (writer_looks) while
 * only it dirties, and its bytes are right (mapfile checks them back).
 * Whether a round pauses depends on the disk's speed; that the law
 * pauses writers is the writeback suite's business.
 */
static void map_shared_writes_are_throttled(struct kunit *test)
{
	const char *dev = promised(test, "fs.root");
	struct backing_dev_info *bdi = bdi_find(dev);
	unsigned long l0;

	KUNIT_ASSERT_NOT_NULL(test, bdi);
	capture(test);
	KUNIT_ASSERT_EQ(test, sh(test, "/bin/dd if=/dev/zero of=/mnt/mthrottle "
				 "bs=1M count=16 && sync"), EXITED(0));
	l0 = bdi->wb.nr_looks;
	KUNIT_EXPECT_EQ(test, sh(test, "mapfile 5 /mnt/mthrottle 0 16777216"),
			EXITED(0));
	KUNIT_EXPECT_STR_CONTAINS(test, out, "mapfile: wrote 16777216 bytes at 0 "
				  "through MAP_SHARED, msync 0\n");
	kunit_info(test, "16 MiB stored through MAP_SHARED: %lu rounds of "
		   "balance_dirty_pages, %lu pauses on %s", bdi->wb.nr_looks - l0,
		   bdi->wb.nr_pauses, dev);
	KUNIT_EXPECT_GT(test, bdi->wb.nr_looks, l0);
	KUNIT_EXPECT_EQ(test, sh(test, "rm /mnt/mthrottle && sync"), EXITED(0));
}

/* The size of the file at path, or -1 if there is none. */
static long long size_of(const char *path)
{
	struct path p;
	long long size;

	if (kern_path(NULL, path, 0, &p, NULL, NULL))
		return -1;
	size = i_size_read(p.inode);
	path_put(&p);
	return size;
}

/*
 * A writer held by balance_dirty_pages dies at once on SIGKILL. vdc
 * writes at 1 MiB/s (QEMU's throttling.bps-write: tools/e2e.sh), so one
 * write(2) of 8 MiB dirties the machine's limit at once and then waits
 * in pause after pause. Killed there, the pause ends and write(2) stops
 * (generic_perform_write): the process is reaped within a second (an
 * unkillable pause would finish the call first: seconds at 1 MiB/s), and
 * the file grew by no more than a few pages after the kill (a write
 * that went on would dirty the rest of its 8 MiB, past the limit).
 */
static void throttled_writer_dies_at_once_on_sigkill(struct kunit *test)
{
	const char *dev = promised(test, "fs.slow");
	const char *const argv[] = { "dd", "if=/dev/zero", "of=/mnt/slow/f",
				     "bs=8M", "count=1", NULL };
	struct backing_dev_info *bdi = bdi_find(dev);
	unsigned long pauses;
	long long size0, size1;
	uint64_t t0, t1;
	char cmd[64];
	int pid, waited, status;

	KUNIT_ASSERT_NOT_NULL(test, bdi);
	capture(test);
	KUNIT_ASSERT_EQ(test, sh(test, "mkdir -p /mnt/slow"), EXITED(0));
	ksnprintf(cmd, sizeof(cmd), "mount %s /mnt/slow", dev);
	KUNIT_ASSERT_EQ(test, console(cmd), 0);
	pauses = bdi->wb.nr_pauses;
	pid = start(test, argv);
	/* until it has been paused a few times: held at the limit */
	for (waited = 0; waited < 20000 &&
	     bdi->wb.nr_pauses < pauses + 5; waited += 20)
		sleep_ms(20);
	KUNIT_EXPECT_GE(test, bdi->wb.nr_pauses, pauses + 5);
	size0 = size_of("/mnt/slow/f");
	t0 = clock_ns();
	KUNIT_EXPECT_EQ(test, kill_pid(pid, SIGKILL), 0);
	status = process_wait(pid);
	t1 = clock_ns();
	size1 = size_of("/mnt/slow/f");
	kunit_info(test, "killed after %lu pauses on %s with %lld KiB written: "
		   "reaped in %llu ms, the file grew %lld KiB after",
		   bdi->wb.nr_pauses - pauses, dev, size0 >> 10,
		   (unsigned long long)((t1 - t0) / 1000000),
		   (size1 - size0) >> 10);
	KUNIT_EXPECT_EQ(test, status, SIGKILL);
	KUNIT_EXPECT_GT(test, size0, 0LL);
	KUNIT_EXPECT_LT(test, size0, 8LL << 20);
	KUNIT_EXPECT_LE(test, (t1 - t0) / 1000000, 1000ULL);
	KUNIT_EXPECT_LE(test, size1 - size0, 512LL << 10);
	/* What it dirtied is dropped (rm) or written (umount syncs). */
	KUNIT_EXPECT_EQ(test, sh(test, "rm /mnt/slow/f"), EXITED(0));
	KUNIT_EXPECT_EQ(test, console("umount /mnt/slow"), 0);
	KUNIT_EXPECT_CAPTURED_REPORTS(test, DIAG_WARN, 0);
}

/*
 * The name space through busybox's applets, unmodified: mkdir, cp, cmp,
 * mv (rename), truncate (ftruncate), stat, rm (unlink), rmdir, ls
 * (getdents64), and the errors they must get (ENOTEMPTY, ENOENT, a cmp
 * that differs). The host then finds /d/e/b and /d/t with the right
 * bytes and /d/a, /d/c, /gone absent (tools/e2e.sh ext2_check).
 */
#define TOOLS_SEED	"7"
#define TOOLS_SIZE	"100K"
#define TOOLS_CUT	"5000"
static void busybox_tools_on_ext2(struct kunit *test)
{
	promised(test, "fs.root");
	capture(test);
	KUNIT_EXPECT_EQ(test, sh(test, "mkdir -p /mnt/d/e /mnt/gone && "
				 "pattern " TOOLS_SEED " " TOOLS_SIZE " > /mnt/d/a && "
				 "cp /mnt/d/a /mnt/d/e/b && cmp /mnt/d/a /mnt/d/e/b && "
				 "mv /mnt/d/a /mnt/d/c && cp /mnt/d/c /mnt/d/t && "
				 "truncate -s " TOOLS_CUT " /mnt/d/t && "
				 "stat -c 'size %s links %h' /mnt/d/t /mnt/d/e && "
				 "rm /mnt/d/c && rmdir /mnt/gone && "
				 "echo LS: $(ls /mnt/d) / $(ls -a /mnt/d/e) && sync"),
			EXITED(0));
	KUNIT_EXPECT_STR_CONTAINS(test, out, "size " TOOLS_CUT " links 1\n");
	KUNIT_EXPECT_STR_CONTAINS(test, out, "size 4096 links 2\n");
	KUNIT_EXPECT_STR_CONTAINS(test, out, "LS: e t / . .. b\n");
	KUNIT_EXPECT_EQ(test, sh(test, "rmdir /mnt/d"), EXITED(1));
	KUNIT_EXPECT_STR_CONTAINS(test, out, "Directory not empty");
	KUNIT_EXPECT_EQ(test, sh(test, "cat /mnt/d/c"), EXITED(1));
	KUNIT_EXPECT_STR_CONTAINS(test, out, "No such file or directory");
	KUNIT_EXPECT_EQ(test, sh(test, "cmp /mnt/d/e/b /mnt/d/t"), EXITED(1));
	KUNIT_EXPECT_STR_CONTAINS(test, out, "EOF on /mnt/d/t");
	KUNIT_EXPECT_CAPTURED_REPORTS(test, DIAG_WARN, 0);
}

/*
 * Direct reclaim never writes: dd conv=fsync dirties file pages (twice RAM) while
 * memhog allocates and touches two thirds of RAM, eight times (with the
 * dirty limit most file pages are clean, and half of RAM four times no
 * longer outran kswapd: direct reclaim did not run). Direct reclaim
 * must have run (pgscan_direct moved, or the case proves nothing), and
 * direct_reclaim_write stays where it was: the block layer counts every
 * write request submitted by a thread in direct reclaim (blk_submit,
 * docs/mm/reclaim.md). Nobody is OOM-killed. At the default dirty limits
 * the flusher writes dd's pages before they reach the inactive tail, so
 * direct reclaim meets few or no dirty pages here: the case that meets
 * them for certain is reclaim_kernel's.
 */
static void direct_reclaim_never_writes(struct kunit *test)
{
	unsigned long ram_mib = totalram_pages() >> (20 - PAGE_SHIFT);
	unsigned long w0, w1, d0, d1;
	char dd_cmd[96], hog[16], want[32];
	const char *const dd[] = { "busybox", "sh", "-c", dd_cmd, NULL };
	const char *const hogv[] = { "memhog", hog, "8", NULL };
	int p1, p2;

	promised(test, "fs.root");
	ksnprintf(dd_cmd, sizeof(dd_cmd), "/bin/dd if=/dev/zero of=/mnt/dirty bs=64k "
		  "count=%lu conv=fsync", ram_mib * 2 * 16);
	ksnprintf(hog, sizeof(hog), "%luM", ram_mib * 2 / 3);
	w0 = global_vm_event(DIRECT_RECLAIM_WRITE);
	d0 = global_vm_event(PGSCAN_DIRECT);
	/* Until direct reclaim has run (three rounds at most): whether
	 * kswapd keeps up with one round is the host's timing (arm64-virt-
	 * ext2 saw no direct reclaim in one full run of four). */
	for (int round = 0; round < 3; round++) {
		capture(test);
		p1 = start(test, dd);
		p2 = start(test, hogv);
		KUNIT_EXPECT_EQ(test, process_wait(p1), EXITED(0));
		KUNIT_EXPECT_EQ(test, process_wait(p2), EXITED(0));
		if (global_vm_event(PGSCAN_DIRECT) != d0)
			break;
	}
	w1 = global_vm_event(DIRECT_RECLAIM_WRITE);
	d1 = global_vm_event(PGSCAN_DIRECT);
	KUNIT_EXPECT_CAPTURED_REPORTS(test, DIAG_WARN, 0);
	KUNIT_EXPECT_EQ(test, w1 - w0, 0UL);
	KUNIT_EXPECT_GT(test, d1 - d0, 0UL);
	KUNIT_EXPECT_STR_CONTAINS(test, out, ", 0 mismatches");
	KUNIT_EXPECT_STR_NOT_CONTAINS(test, out, "Out of memory");
	/* Our dd (user/bin/dd.c: busybox's has no summary line): every
	 * block whole, and GNU's "N bytes (..) copied, T s, R MB/s". */
	ksnprintf(want, sizeof(want), "%lu+0 records out\n", ram_mib * 2 * 16);
	KUNIT_EXPECT_STR_CONTAINS(test, out, want);
	ksnprintf(want, sizeof(want), "%lu bytes (", ram_mib * 2 << 20);
	KUNIT_EXPECT_STR_CONTAINS(test, out, want);
	KUNIT_EXPECT_STR_CONTAINS(test, out, " copied, ");
	KUNIT_EXPECT_STR_CONTAINS(test, out, "B/s\n");
	kunit_info(test, "%lu pages scanned by direct reclaim, %lu written "
		   "from it", d1 - d0, w1 - w0);
	/* The host checks that its blocks came back (e2fsck) and it is gone. */
	capture(test);
	KUNIT_EXPECT_EQ(test, sh(test, "rm /mnt/dirty && sync"), EXITED(0));
	kunit_capture_stop(test, DIAG_WARN);
}

/*
 * Filling a disk gives ENOSPC: dd stops with "No space left on device"
 * and exit status 1. The file system stays consistent (the host runs
 * e2fsck -fn on it): removing the file gives its blocks back, a new file
 * is written, and the disk unmounts.
 */
static void enospc_on_a_full_disk(struct kunit *test)
{
	const char *dev = promised(test, "fs.small");
	char line[64];

	capture(test);
	KUNIT_ASSERT_EQ(test, sh(test, "mkdir -p /mnt/small"), EXITED(0));
	ksnprintf(line, sizeof(line), "mount %s /mnt/small", dev);
	KUNIT_ASSERT_EQ(test, console(line), 0);
	KUNIT_EXPECT_EQ(test, sh(test, "/bin/dd if=/dev/zero of=/mnt/small/fill bs=4k"),
			EXITED(1));
	KUNIT_EXPECT_STR_CONTAINS(test, out, "No space left on device");
	KUNIT_EXPECT_STR_CONTAINS(test, out, " copied, ");	/* what was */
	KUNIT_EXPECT_EQ(test, sh(test, "sync; rm /mnt/small/fill && pattern "
				 AFTER_SEED " " AFTER_SIZE " > /mnt/small/after "
				 "&& sync"), EXITED(0));
	KUNIT_EXPECT_EQ(test, console("umount /mnt/small"), 0);
	KUNIT_EXPECT_CAPTURED_REPORTS(test, DIAG_WARN, 0);
}

/*
 * Everything reaches the disk: sync, umount /mnt, mount the disk again
 * and read a file back from it cold, umount again (the host's checks
 * then see a cleanly unmounted file system).
 */
static void sync_umount_mount_and_read_back(struct kunit *test)
{
	const char *dev = promised(test, "fs.root");
	char line[64];

	capture(test);
	KUNIT_EXPECT_EQ(test, sh(test, "sync"), EXITED(0));
	KUNIT_ASSERT_EQ(test, console("umount /mnt"), 0);
	ksnprintf(line, sizeof(line), "mount %s /mnt", dev);
	KUNIT_ASSERT_EQ(test, console(line), 0);
	KUNIT_EXPECT_EQ(test, sh(test, "pattern -c " PAT_SEED " " PAT_SIZE
				 " /mnt/pat"), EXITED(0));
	KUNIT_EXPECT_STR_CONTAINS(test, out, " bytes read, 0 bad blocks\n");
	KUNIT_EXPECT_EQ(test, console("umount /mnt"), 0);
	KUNIT_EXPECT_CAPTURED_REPORTS(test, DIAG_WARN, 0);
}

static struct kunit_case fs_user_cases[] = {
	KUNIT_CASE(root_disk_is_mounted_on_mnt),
	KUNIT_CASE(big_file_written_and_synced),
	KUNIT_CASE(big_file_read_back_after_drop_caches),
	KUNIT_CASE(two_programs_read_and_map_one_file),
	KUNIT_CASE(read_into_buffers_that_fault),
	KUNIT_CASE(map_shared_write_reaches_read_and_disk),
	KUNIT_CASE(map_shared_writes_are_throttled),
	KUNIT_CASE(throttled_writer_dies_at_once_on_sigkill),
	KUNIT_CASE(busybox_tools_on_ext2),
	KUNIT_CASE(direct_reclaim_never_writes),
	KUNIT_CASE(enospc_on_a_full_disk),
	KUNIT_CASE(sync_umount_mount_and_read_back),
	{}
};

static struct kunit_suite fs_user_suite = {
	.name = "fs_user",
	.test_cases = fs_user_cases,
};
kunit_test_suite(fs_user_suite);

/* ---------------------------------------------------------------------- */

/*
 * fs_user_bad: malformed images (tools/run-tests badfs_setup makes them
 * with mke2fs and corrupts one superblock field each). root=vda was
 * refused at boot (the host check finds the reason in the boot log);
 * each mount is refused with a reason that names the field, nothing is
 * mounted, and the kernel carries on: the good disk mounts and reads; a
 * corrupt inode and directory entry give an error and a reason.
 */
static const struct {
	const char *dev, *why;
} bad_disks[] = {
	{ "vda", "s_magic" },			/* bad magic */
	{ "vdb", "s_blocks_per_group" },	/* 0 */
	{ "vdc", "s_inodes_count" },		/* one more than the groups hold */
	{ "vdd", "s_log_block_size" },		/* 512 KiB blocks */
	{ "vde", "free" },			/* more free blocks than blocks */
};
#define GOOD_DISK	"vdf"

static void corrupt_superblocks_are_refused_with_the_reason(struct kunit *test)
{
	char line[64];

	promised(test, "fs.bad");
	for (size_t i = 0; i < ARRAY_SIZE(bad_disks); i++) {
		capture(test);
		ksnprintf(line, sizeof(line), "mount %s /mnt", bad_disks[i].dev);
		KUNIT_EXPECT_NE(test, console(line), 0);
		KUNIT_EXPECT_CAPTURED_REPORTS(test, DIAG_WARN, 0);
		KUNIT_EXPECT_STR_CONTAINS(test, out, bad_disks[i].dev);
		KUNIT_EXPECT_STR_CONTAINS(test, out, bad_disks[i].why);
		/* Nothing is mounted there. */
		capture(test);
		KUNIT_EXPECT_EQ(test, console("mount"), 0);
		kunit_capture_stop(test, DIAG_WARN);
		ksnprintf(line, sizeof(line), "%s on ", bad_disks[i].dev);
		KUNIT_EXPECT_STR_NOT_CONTAINS(test, out, line);
	}
}

static void the_kernel_carries_on_with_a_good_disk(struct kunit *test)
{
	promised(test, "fs.bad");
	capture(test);
	KUNIT_EXPECT_EQ(test, sh(test, "ls /bin/busybox"), EXITED(0));
	KUNIT_ASSERT_EQ(test, console("mount " GOOD_DISK " /mnt"), 0);
	KUNIT_EXPECT_EQ(test, sh(test, "pattern -c 6 64K /mnt/ok"), EXITED(0));
	KUNIT_EXPECT_STR_CONTAINS(test, out, "pattern: /mnt/ok: 65536 bytes "
				  "read, 0 bad blocks\n");
	KUNIT_EXPECT_EQ(test, console("umount /mnt"), 0);
	KUNIT_EXPECT_CAPTURED_REPORTS(test, DIAG_WARN, 0);
}

/*
 * vdg mounts (its superblock is good), but reading a file whose block
 * pointer is out of range, and listing a directory with a malformed entry,
 * fail with EIO (or EUCLEAN, Linux's EFSCORRUPTED) and a reason on the
 * console naming the inode; then the disk unmounts.
 */
static void corrupt_inode_and_directory_fail_with_the_reason(struct kunit *test)
{
	const char *ptr_ino = promised(test, "fs.badptr_ino");
	const char *dir_ino = promised(test, "fs.baddir_ino");
	char want[32];
	int status;

	capture(test);
	KUNIT_ASSERT_EQ(test, console("mount vdg /mnt"), 0);
	status = sh(test, "cat /mnt/badptr > /dev/null");
	KUNIT_EXPECT_NE(test, status, EXITED(0));
	KUNIT_EXPECT_EQ(test, status & 0x7f, 0);	/* an error, not a signal */
	ksnprintf(want, sizeof(want), "inode %s", ptr_ino);
	KUNIT_EXPECT_STR_CONTAINS(test, out, want);
	status = sh(test, "ls /mnt/baddir");
	KUNIT_EXPECT_NE(test, status, EXITED(0));
	ksnprintf(want, sizeof(want), "inode %s", dir_ino);
	KUNIT_EXPECT_STR_CONTAINS(test, out, want);
	KUNIT_EXPECT_TRUE(test, strstr(out, "Input/output error") ||
			  strstr(out, "Structure needs cleaning"));
	KUNIT_EXPECT_EQ(test, console("umount /mnt"), 0);
	KUNIT_EXPECT_CAPTURED_REPORTS(test, DIAG_WARN, 0);
}

/*
 * A disk that fails writes (vdh, QEMU blkdebug: every write of /victim's
 * first block is an EIO): two files open on /victim, one writes its first
 * page, the console's `sync` writes it back and says nothing, then each
 * file hears of the error from fsync once (fdatasync and syncfs too, on
 * their own cursors), and a file opened after the reports hears nothing.
 * The page keeps what was written (clean, PG_error: a read returns it),
 * and the console names the disk, the inode, the page and the sector.
 * The host check runs e2fsck -fn on vdh afterwards.
 */
static void a_failed_write_back_is_reported_to_each_file(struct kunit *test)
{
	const char *dev = promised(test, "fs.wb_err");
	const char *sector = promised(test, "fs.wb_err_sector");
	static char data[4096], got[4096];
	struct file *f1, *f2, *f3;
	struct page *page;
	char line[64];
	loff_t pos = 0;

	capture(test);
	ksnprintf(line, sizeof(line), "mount %s /mnt", dev);
	KUNIT_ASSERT_EQ(test, console(line), 0);
	f1 = file_open_at(NULL, "/mnt/victim", O_RDWR, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(f1));
	f2 = file_open_at(NULL, "/mnt/victim", O_RDWR, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(f2));
	memset(data, 0x5a, sizeof(data));
	KUNIT_EXPECT_EQ(test, kernel_write(f1, data, sizeof(data), &pos),
			(ssize_t)sizeof(data));
	KUNIT_EXPECT_EQ(test, console("sync"), 0);	/* tells no one */

	KUNIT_EXPECT_EQ(test, f1->f_op->fsync(f1, 0, (loff_t)(~0ULL >> 1), 0), -EIO);
	KUNIT_EXPECT_EQ(test, f1->f_op->fsync(f1, 0, (loff_t)(~0ULL >> 1), 0), 0);
	KUNIT_EXPECT_EQ(test, f2->f_op->fsync(f2, 0, (loff_t)(~0ULL >> 1), 1), -EIO);
	KUNIT_EXPECT_EQ(test, f2->f_op->fsync(f2, 0, (loff_t)(~0ULL >> 1), 0), 0);
	KUNIT_EXPECT_EQ(test, vfs_syncfs(f1), -EIO);
	KUNIT_EXPECT_EQ(test, vfs_syncfs(f1), 0);
	KUNIT_EXPECT_EQ(test, vfs_syncfs(f2), -EIO);
	f3 = file_open_at(NULL, "/mnt/victim", O_RDONLY, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(f3));
	KUNIT_EXPECT_EQ(test, f3->f_op->fsync(f3, 0, (loff_t)(~0ULL >> 1), 0), 0);
	KUNIT_EXPECT_EQ(test, vfs_syncfs(f3), 0);

	page = find_get_page(f1->f_mapping, 0);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_FALSE(test, PageDirty(page));
	KUNIT_EXPECT_TRUE(test, PageUptodate(page));
	KUNIT_EXPECT_TRUE(test, PageError(page));
	put_page(page);
	pos = 0;
	KUNIT_EXPECT_EQ(test, kernel_read(f3, got, sizeof(got), &pos),
			(ssize_t)sizeof(got));
	KUNIT_EXPECT_EQ(test, memcmp(got, data, sizeof(got)), 0);

	fput(f1);
	fput(f2);
	fput(f3);
	KUNIT_EXPECT_EQ(test, console("umount /mnt"), 0);
	ksnprintf(line, sizeof(line), "ext2: %s: inode ", dev);
	KUNIT_EXPECT_STR_CONTAINS(test, out, line);
	KUNIT_EXPECT_STR_CONTAINS(test, out, "write-back of page 0 failed (-5)");
	ksnprintf(line, sizeof(line), "sector %s\n", sector);
	KUNIT_EXPECT_STR_CONTAINS(test, out, line);
	KUNIT_EXPECT_CAPTURED_REPORTS(test, DIAG_WARN, 0);
}

/*
 * The same disk, a failed write of metadata: /meta's inode table block
 * fails every write. Two files open on /meta; one byte written changes
 * its mtime, so the console's `sync` writes the inode and the block's
 * write fails (the buffer cache writes it asynchronously: the error
 * comes back in its completion). Nobody was told at `sync`; then syncfs
 * tells each file once, as for data, and a file opened later hears
 * nothing. The console names the disk and the sector. The data write
 * itself worked: the page is clean with no error. The host's e2fsck -fn
 * afterwards finds vdh consistent (the old inode is whole).
 */
static void a_failed_metadata_write_is_reported_by_syncfs(struct kunit *test)
{
	const char *dev = promised(test, "fs.wb_err");
	const char *sector = promised(test, "fs.meta_err_sector");
	struct file *f1, *f2, *f3;
	struct page *page;
	char line[64];
	loff_t pos = 0;

	capture(test);
	ksnprintf(line, sizeof(line), "mount %s /mnt", dev);
	KUNIT_ASSERT_EQ(test, console(line), 0);
	f1 = file_open_at(NULL, "/mnt/meta", O_RDWR, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(f1));
	f2 = file_open_at(NULL, "/mnt/meta", O_RDONLY, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(f2));
	sleep_ms(1100);		/* a second later: mtime moves */
	KUNIT_EXPECT_EQ(test, kernel_write(f1, "M", 1, &pos), (ssize_t)1);
	KUNIT_EXPECT_EQ(test, console("sync"), 0);	/* tells no one */

	KUNIT_EXPECT_EQ(test, vfs_syncfs(f1), -EIO);
	KUNIT_EXPECT_EQ(test, vfs_syncfs(f1), 0);
	KUNIT_EXPECT_EQ(test, vfs_syncfs(f2), -EIO);
	KUNIT_EXPECT_EQ(test, vfs_syncfs(f2), 0);
	f3 = file_open_at(NULL, "/mnt/meta", O_RDONLY, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(f3));
	KUNIT_EXPECT_EQ(test, vfs_syncfs(f3), 0);
	/* The data's own write-back worked. */
	KUNIT_EXPECT_EQ(test, f1->f_op->fsync(f1, 0, (loff_t)(~0ULL >> 1), 1), 0);
	page = find_get_page(f1->f_mapping, 0);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_FALSE(test, PageDirty(page));
	KUNIT_EXPECT_FALSE(test, PageError(page));
	put_page(page);

	fput(f1);
	fput(f2);
	fput(f3);
	KUNIT_EXPECT_EQ(test, console("umount /mnt"), 0);
	ksnprintf(line, sizeof(line), "buffer: %s: write of sector %s failed (-5)",
		  dev, sector);
	KUNIT_EXPECT_STR_CONTAINS(test, out, line);
	KUNIT_EXPECT_CAPTURED_REPORTS(test, DIAG_WARN, 0);
}

static struct kunit_case fs_user_bad_cases[] = {
	KUNIT_CASE(corrupt_superblocks_are_refused_with_the_reason),
	KUNIT_CASE(the_kernel_carries_on_with_a_good_disk),
	KUNIT_CASE(corrupt_inode_and_directory_fail_with_the_reason),
	KUNIT_CASE(a_failed_write_back_is_reported_to_each_file),
	KUNIT_CASE(a_failed_metadata_write_is_reported_by_syncfs),
	{}
};

static struct kunit_suite fs_user_bad_suite = {
	.name = "fs_user_bad",
	.test_cases = fs_user_bad_cases,
};
kunit_test_suite(fs_user_bad_suite);
