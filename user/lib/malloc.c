/*
 * user/lib/malloc.c - malloc and free on mmap.
 *
 * Small blocks (up to 2048 bytes with their header) come in power-of-two
 * size classes of 16..2048 bytes; each class keeps a free list, refilled
 * by cutting a fresh 64 KiB mapping into blocks. Larger blocks are a
 * mapping of their own, returned with munmap. Every block starts with a
 * 16-byte header saying which kind it is, so free() needs no size. Not
 * thread-safe (our programs have one thread); fork copies the lists with
 * the rest of memory.
 */
#include "libc.h"

#define MIN_SHIFT	4		/* 16 bytes */
#define MAX_SHIFT	11		/* 2048 bytes */
#define NCLASSES	(MAX_SHIFT - MIN_SHIFT + 1)
#define CHUNK		(64 * 1024)
#define PAGE		4096UL
#define MAGIC		0x6d616c6cUL	/* "mall" */

struct header {
	uint32_t magic;
	uint32_t shift;			/* size class, or 0: a big block */
	uint64_t size;			/* big: the mapping's length */
};

struct free_block {
	struct header h;
	struct free_block *next;
};

static struct free_block *free_lists[NCLASSES];

static int class_of(size_t total)
{
	int shift = MIN_SHIFT;

	while ((1UL << shift) < total)
		shift++;
	return shift;
}

static int refill(int shift)
{
	char *chunk = mmap(NULL, CHUNK, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	size_t bsize = 1UL << shift, off;

	if (chunk == MAP_FAILED)
		return -1;
	for (off = 0; off + bsize <= CHUNK; off += bsize) {
		struct free_block *b = (struct free_block *)(chunk + off);

		b->next = free_lists[shift - MIN_SHIFT];
		free_lists[shift - MIN_SHIFT] = b;
	}
	return 0;
}

void *malloc(size_t n)
{
	size_t total = n + sizeof(struct header);
	struct header *h;

	if (n > (1UL << 46))
		goto nomem;
	if (total <= (1UL << MAX_SHIFT)) {
		int shift = class_of(total);
		struct free_block *b = free_lists[shift - MIN_SHIFT];

		if (!b) {
			if (refill(shift) < 0)
				goto nomem;
			b = free_lists[shift - MIN_SHIFT];
		}
		free_lists[shift - MIN_SHIFT] = b->next;
		h = &b->h;
		h->shift = (uint32_t)shift;
		h->size = 0;
	} else {
		total = (total + PAGE - 1) & ~(PAGE - 1);
		h = mmap(NULL, total, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (h == MAP_FAILED)
			goto nomem;
		h->shift = 0;
		h->size = total;
	}
	h->magic = MAGIC;
	return h + 1;
nomem:
	errno = ENOMEM;
	return NULL;
}

static struct header *header_of(void *p)
{
	struct header *h = (struct header *)p - 1;

	if (h->magic != MAGIC) {
		dprintf(2, "free: %p was not given by malloc (or freed twice)\n", p);
		_exit(127);
	}
	return h;
}

void free(void *p)
{
	struct header *h;

	if (!p)
		return;
	h = header_of(p);
	h->magic = 0;		/* a second free is caught above */
	if (h->shift == 0) {
		munmap(h, h->size);
	} else {
		struct free_block *b = (struct free_block *)h;

		b->next = free_lists[h->shift - MIN_SHIFT];
		free_lists[h->shift - MIN_SHIFT] = b;
	}
}

void *calloc(size_t n, size_t size)
{
	void *p;

	if (size && n > ~(size_t)0 / size) {
		errno = ENOMEM;
		return NULL;
	}
	p = malloc(n * size);
	if (p)
		memset(p, 0, n * size);
	return p;
}

void *realloc(void *p, size_t n)
{
	struct header *h;
	size_t have;
	void *q;

	if (!p)
		return malloc(n);
	h = header_of(p);
	have = h->shift ? (1UL << h->shift) : h->size;
	have -= sizeof(struct header);
	if (n <= have)
		return p;
	q = malloc(n);
	if (q) {
		memcpy(q, p, have);
		free(p);
	}
	return q;
}
