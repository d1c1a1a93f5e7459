/*
 * mapfile [-p] SEED FILE OFF LEN - write the test pattern (pattern.h)
 * into bytes [OFF, OFF + LEN) of FILE through a file mapping: mmap the
 * pages that cover them MAP_SHARED (with -p: MAP_PRIVATE), store the
 * pattern's bytes for those file offsets, msync(MS_SYNC) (shared only),
 * check them back through the mapping, munmap.
 *
 * With MAP_SHARED the bytes reach the file (read() sees them; after a
 * sync, the disk); with MAP_PRIVATE they stay in this process's copy and
 * the file is unchanged. OFF must be a multiple of 4096; FILE must be at
 * least OFF + LEN bytes long (a mapping does not grow a file).
 * Prints "mapfile: wrote LEN bytes at OFF through MAP_SHARED, msync 0"
 * (or MAP_PRIVATE, no msync); exit 0, 1 on a failure (the call and its
 * error are printed), 2 on bad arguments.
 */
#include "libc.h"
#include "pattern.h"

#ifndef MS_SYNC
#define MS_SYNC		4
#endif

static struct pattern pat;

int main(int argc, char **argv, char **envp)
{
	int private = argc > 1 && !strcmp(argv[1], "-p");
	uint64_t seed, off, len;
	unsigned char *map;
	const char *file;
	long r = 0;
	int fd;

	argv += private;
	argc -= private;
	if (argc != 5 || !pattern_arg(argv[1], &seed) ||
	    !pattern_arg(argv[3], &off) || !pattern_arg(argv[4], &len) ||
	    off % PATTERN_BLOCK || !len) {
		dprintf(2, "usage: mapfile [-p] SEED FILE OFF LEN (OFF a multiple of 4096)\n");
		return 2;
	}
	file = argv[2];
	pattern_init(&pat, seed);
	fd = openat(AT_FDCWD, file, private ? O_RDONLY : O_RDWR, 0);
	if (fd < 0) {
		printf("mapfile: open %s: %s\n", file, strerror(errno));
		return 1;
	}
	map = mmap(NULL, len, PROT_READ | PROT_WRITE,
		   private ? MAP_PRIVATE : MAP_SHARED, fd, (long)off);
	if (map == MAP_FAILED) {
		printf("mapfile: mmap %s: %s\n", file, strerror(errno));
		return 1;
	}
	close(fd);			/* the mapping keeps the file */
	pattern_fill(&pat, off, map, len);
	if (!private) {
		r = sys_raw(__NR_msync, map, len, MS_SYNC);
		if (r) {
			printf("mapfile: msync: %s\n", strerror((int)-r));
			return 1;
		}
	}
	/* What the mapping holds now: the pattern, every byte. */
	for (uint64_t pos = 0; pos < len; pos += PATTERN_BLOCK) {
		unsigned char want[PATTERN_BLOCK];
		size_t n = len - pos < PATTERN_BLOCK ? len - pos : PATTERN_BLOCK;

		pattern_fill(&pat, off + pos, want, n);
		if (memcmp(map + pos, want, n)) {
			printf("mapfile: the mapping lost bytes at offset %llu\n",
			       (unsigned long long)(off + pos));
			return 1;
		}
	}
	if (munmap(map, len)) {
		printf("mapfile: munmap: %s\n", strerror(errno));
		return 1;
	}
	if (private)
		printf("mapfile: wrote %llu bytes at %llu through MAP_PRIVATE\n",
		       (unsigned long long)len, (unsigned long long)off);
	else
		printf("mapfile: wrote %llu bytes at %llu through MAP_SHARED, msync %ld\n",
		       (unsigned long long)len, (unsigned long long)off, r);
	return 0;
}
