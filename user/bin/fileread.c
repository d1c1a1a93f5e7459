/*
 * fileread FILE [SIZE [BS]] - read FILE from its start with read() calls
 * of BS bytes (default 1M) until SIZE bytes (K/M/G suffixes; default: the
 * whole file) or the end of the file, and say how fast:
 *
 *   fileread: <FILE>: <bytes> bytes (<MiB> MiB) in <s.mmm> s, <rate.r> MiB/s
 *
 * What `dd if=FILE of=/dev/null bs=BS count=..` measures, with the
 * summary line Debian's busybox dd leaves out (it is built without
 * FEATURE_DD_THIRD_STATUS_LINE) and CLOCK_MONOTONIC in nanoseconds. The
 * page-cache benchmarks (tools/bench-filemap, tools/bench-linux) run it
 * on our kernel and on Linux alike: cold and warm sequential reads, and
 * the passes over a working set whose refaults they count.
 *
 * Exit 0; 1 if the file cannot be opened or a read fails (the line names
 * the error and the offset); 2 on bad arguments (with the usage line).
 */
#include "libc.h"

static void usage(void)
{
	dprintf(2, "usage: fileread FILE [SIZE[K|M|G] [BS[K|M]]]\n");
	exit(2);
}

int main(int argc, char **argv, char **envp)
{
	uint64_t limit = ~0ULL, bs = 1 << 20, done = 0, t0, ns, tenths;
	char *buf;
	int fd, ok;

	(void)envp;
	if (argc < 2 || argc > 4)
		usage();
	if (argc >= 3) {
		limit = parse_size(argv[2], &ok);
		if (!ok || limit == 0)
			usage();
	}
	if (argc == 4) {
		bs = parse_size(argv[3], &ok);
		if (!ok || bs == 0 || bs > (64 << 20))
			usage();
	}
	buf = malloc(bs);
	if (!buf) {
		printf("fileread: no memory for a %llu-byte buffer\n",
		       (unsigned long long)bs);
		return 1;
	}
	fd = openat(AT_FDCWD, argv[1], O_RDONLY, 0);
	if (fd < 0) {
		printf("fileread: %s: cannot open: %s\n", argv[1],
		       strerror(errno));
		return 1;
	}
	t0 = now_ns();
	while (done < limit) {
		uint64_t want = limit - done < bs ? limit - done : bs;
		ssize_t r = read(fd, buf, want);

		if (r < 0) {
			printf("fileread: %s: read at offset %llu failed: %s\n",
			       argv[1], (unsigned long long)done,
			       strerror(errno));
			return 1;
		}
		if (r == 0)
			break;
		done += r;
	}
	ns = now_ns() - t0;
	close(fd);
	if (ns == 0)
		ns = 1;
	/* MiB/s in tenths: bytes * 10 * 1e9 / ns / 2^20. */
	tenths = (uint64_t)((unsigned __int128)done * 10000000000ULL / ns >> 20);
	printf("fileread: %s: %llu bytes (%llu MiB) in %llu.%03llu s, %llu.%llu MiB/s\n",
	       argv[1], (unsigned long long)done,
	       (unsigned long long)(done >> 20),
	       (unsigned long long)(ns / 1000000000),
	       (unsigned long long)(ns / 1000000 % 1000),
	       (unsigned long long)(tenths / 10),
	       (unsigned long long)(tenths % 10));
	return 0;
}
