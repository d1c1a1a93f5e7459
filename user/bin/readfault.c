/*
 * readfault FILE - read(2) of a cached file into buffers that fault.
 *
 * read(2) of a regular file copies straight from the page cache into
 * the caller's buffer (kernel/iov_iter.h), so the copy can fault in the
 * middle of a read. Each check compares the result with what Linux
 * gives (FILE must be at least 3 pages long):
 *  - a buffer whose second page is not mapped: the read stops exactly
 *    at the hole (a short count), the bytes before it are right, and
 *    the file position moved by that count only;
 *  - a buffer that is not writable (PROT_READ), or a kernel address:
 *    -EFAULT, nothing read, the position unchanged;
 *  - a buffer that is a MAP_PRIVATE or a MAP_SHARED mapping of FILE
 *    itself: the copy faults in a page of the very file being read; it
 *    succeeds with the right bytes (a private copy for MAP_PRIVATE; for
 *    MAP_SHARED, page 1 read onto itself changes nothing).
 * Prints "readfault: FILE: N checks, M failed" and exits 0 only if M is 0;
 * 1 on a failed check or call, 2 on bad arguments.
 */
#include "libc.h"

#define PAGE	4096

static int failed, checks;

static void check(bool ok, const char *what, long got, long want)
{
	checks++;
	if (!ok) {
		failed++;
		printf("readfault: %s: got %ld, want %ld\n", what, got, want);
	}
}

/* What the file holds at [off, off + n), through a plain buffer. */
static void reference(int fd, long off, unsigned char *to, size_t n)
{
	lseek(fd, off, SEEK_SET);
	if (read(fd, to, n) != (ssize_t)n) {
		printf("readfault: reference read at %ld failed\n", off);
		exit(1);
	}
}

int main(int argc, char **argv, char **envp)
{
	static unsigned char want[2 * PAGE];
	unsigned char *buf, *map;
	long size, r;
	int fd;

	(void)envp;
	if (argc != 2) {
		dprintf(2, "usage: readfault FILE\n");
		return 2;
	}
	fd = openat(AT_FDCWD, argv[1], O_RDWR, 0);
	size = fd < 0 ? -1 : lseek(fd, 0, SEEK_END);
	if (size < 3 * PAGE) {
		printf("readfault: %s: cannot open, or shorter than 3 pages\n",
		       argv[1]);
		return 1;
	}
	reference(fd, 0, want, 2 * PAGE);

	/* Two pages, the second unmapped: 100 bytes fit before the hole. */
	buf = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED || munmap(buf + PAGE, PAGE)) {
		printf("readfault: mmap: %s\n", strerror(errno));
		return 1;
	}
	lseek(fd, 0, SEEK_SET);
	r = read(fd, buf + PAGE - 100, 2 * PAGE);
	check(r == 100, "read into a buffer with a hole after 100 bytes", r, 100);
	check(!memcmp(buf + PAGE - 100, want, 100),
	      "bytes before the hole", 0, 0);
	r = lseek(fd, 0, SEEK_CUR);
	check(r == 100, "position after the short read", r, 100);

	/* Not writable: nothing read, the position stays. */
	if (mprotect(buf, PAGE, PROT_READ)) {
		printf("readfault: mprotect: %s\n", strerror(errno));
		return 1;
	}
	r = read(fd, buf, PAGE);
	check(r == -1 && errno == EFAULT, "read into a PROT_READ page",
	      r == -1 ? -errno : r, -EFAULT);
	r = lseek(fd, 0, SEEK_CUR);
	check(r == 100, "position after -EFAULT", r, 100);

	/* A kernel address: refused before any copy. */
	r = read(fd, (void *)UARCH_KERNEL_DATA, PAGE);
	check(r == -1 && errno == EFAULT, "read into the kernel",
	      r == -1 ? -errno : r, -EFAULT);
	munmap(buf, PAGE);

	/* Into a private mapping of the file itself: page 0 of the file
	 * lands on the mapping's page 2 (its own copy-on-write copy). */
	map = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	if (map == MAP_FAILED) {
		printf("readfault: mmap %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	lseek(fd, 0, SEEK_SET);
	r = read(fd, map + 2 * PAGE, PAGE);
	check(r == PAGE, "read into a MAP_PRIVATE mapping of the file", r, PAGE);
	check(!memcmp(map + 2 * PAGE, want, PAGE),
	      "bytes in the MAP_PRIVATE copy", 0, 0);
	munmap(map, 3 * PAGE);

	/* Into a shared mapping of the file, page 1 onto itself. */
	map = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED) {
		printf("readfault: mmap %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	lseek(fd, PAGE, SEEK_SET);
	r = read(fd, map + PAGE, PAGE);
	check(r == PAGE, "read of page 1 onto its MAP_SHARED mapping", r, PAGE);
	check(!memcmp(map + PAGE, want + PAGE, PAGE),
	      "page 1 after reading it onto itself", 0, 0);
	munmap(map, 2 * PAGE);
	close(fd);

	printf("readfault: %s: %d checks, %d failed\n", argv[1], checks,
	       failed);
	return failed ? 1 : 0;
}
