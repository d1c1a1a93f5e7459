/*
 * mapread SEED FILE - map all of FILE (its size from lseek SEEK_END)
 * PROT_READ, MAP_SHARED, and check every byte against the test pattern
 * (pattern.h), in order, through the mapping only: each page comes
 * through a page fault on the page cache (filemap_fault).
 * Prints "mapread: FILE: N bytes mapped, M bad blocks" (and the offset of
 * the first bad block); exit 0 only if N > 0 and M is 0; 1 on a failure
 * (the call and its error printed); 2 on bad arguments.
 */
#include "libc.h"
#include "pattern.h"

#ifndef SEEK_END
#define SEEK_END	2
#endif

static struct pattern pat;

int main(int argc, char **argv, char **envp)
{
	uint64_t seed, bad = 0, first_bad = 0;
	const unsigned char *map;
	unsigned char want[PATTERN_BLOCK];
	long size;
	int fd;

	if (argc != 3 || !pattern_arg(argv[1], &seed)) {
		dprintf(2, "usage: mapread SEED FILE\n");
		return 2;
	}
	pattern_init(&pat, seed);
	fd = openat(AT_FDCWD, argv[2], O_RDONLY, 0);
	if (fd < 0) {
		printf("mapread: open %s: %s\n", argv[2], strerror(errno));
		return 1;
	}
	size = sys_raw(__NR_lseek, fd, 0, SEEK_END);
	if (size <= 0) {
		printf("mapread: %s: size %ld\n", argv[2], size);
		return 1;
	}
	map = mmap(NULL, (size_t)size, PROT_READ, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED) {
		printf("mapread: mmap %s: %s\n", argv[2], strerror(errno));
		return 1;
	}
	close(fd);
	for (uint64_t pos = 0; pos < (uint64_t)size; pos += PATTERN_BLOCK) {
		size_t n = (uint64_t)size - pos < PATTERN_BLOCK ?
			   (size_t)((uint64_t)size - pos) : PATTERN_BLOCK;

		pattern_fill(&pat, pos, want, n);
		if (memcmp(map + pos, want, n)) {
			if (!bad)
				first_bad = pos;
			bad++;
		}
	}
	munmap((void *)map, (size_t)size);
	printf("mapread: %s: %ld bytes mapped, %llu bad blocks", argv[2], size,
	       (unsigned long long)bad);
	if (bad)
		printf(", the first at offset %llu", (unsigned long long)first_bad);
	printf("\n");
	return bad != 0;
}
