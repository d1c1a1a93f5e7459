/*
 * pattern SEED SIZE           write SIZE bytes (K/M/G) of the test
 *                             pattern (pattern.h) to standard output
 * pattern -c SEED SIZE FILE   read FILE with read() and check that it is
 *                             exactly SIZE bytes of that pattern
 *
 * The writer prints nothing else (its output is the data: `pattern 7 64M
 * | dd of=/mnt/f bs=64k`); a failed write: "pattern: write: ERROR", exit 1.
 * The checker prints "pattern: FILE: N bytes read, M bad blocks" (and the
 * offset of the first bad block), exit 0 only if M is 0 and N is SIZE.
 * The host makes the same bytes with `tools/check-ext2 pattern SEED SIZE`.
 * Bad arguments: usage, exit 2.
 */
#include "libc.h"
#include "pattern.h"

#define CHUNK	(64 * 1024)
static unsigned char buf[CHUNK], want[CHUNK];
static struct pattern pat;

static int write_all(int fd, const unsigned char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int generate(uint64_t size)
{
	for (uint64_t pos = 0; pos < size; ) {
		size_t n = size - pos < CHUNK ? (size_t)(size - pos) : CHUNK;

		pattern_fill(&pat, pos, buf, n);
		if (write_all(1, buf, n)) {
			dprintf(2, "pattern: write: %s\n", strerror(errno));
			return 1;
		}
		pos += n;
	}
	return 0;
}

static int check(uint64_t size, const char *file)
{
	uint64_t pos = 0, bad = 0, first_bad = 0, last_bad_block = ~0ULL;
	int fd = openat(AT_FDCWD, file, O_RDONLY, 0);

	if (fd < 0) {
		printf("pattern: %s: %s\n", file, strerror(errno));
		return 1;
	}
	for (;;) {
		ssize_t r = read(fd, buf, CHUNK);

		if (r < 0) {
			printf("pattern: %s: read at %llu: %s\n", file,
			       (unsigned long long)pos, strerror(errno));
			close(fd);
			return 1;
		}
		if (r == 0)
			break;
		pattern_fill(&pat, pos, want, (size_t)r);
		for (ssize_t i = 0; i < r; i++) {
			uint64_t blk = (pos + (uint64_t)i) / PATTERN_BLOCK;

			if (buf[i] == want[i] || blk == last_bad_block)
				continue;
			if (!bad)
				first_bad = blk * PATTERN_BLOCK;
			bad++;
			last_bad_block = blk;
		}
		pos += (uint64_t)r;
	}
	close(fd);
	printf("pattern: %s: %llu bytes read, %llu bad blocks", file,
	       (unsigned long long)pos, (unsigned long long)bad);
	if (bad)
		printf(", the first at offset %llu", (unsigned long long)first_bad);
	if (pos != size)
		printf(", expected %llu bytes", (unsigned long long)size);
	printf("\n");
	return bad || pos != size;
}

int main(int argc, char **argv, char **envp)
{
	uint64_t seed, size;

	if (argc == 3 && pattern_arg(argv[1], &seed) &&
	    pattern_arg(argv[2], &size)) {
		pattern_init(&pat, seed);
		return generate(size);
	}
	if (argc == 5 && !strcmp(argv[1], "-c") &&
	    pattern_arg(argv[2], &seed) && pattern_arg(argv[3], &size)) {
		pattern_init(&pat, seed);
		return check(size, argv[4]);
	}
	dprintf(2, "usage: pattern SEED SIZE | pattern -c SEED SIZE FILE\n");
	return 2;
}
