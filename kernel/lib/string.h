/*
 * kernel/lib/string.h - the memory and string functions of the C library,
 * written for the kernel (kernel/lib/string.c). On the host the C library's
 * own versions are used; the prototypes are identical.
 */
#ifndef KERNEL_LIB_STRING_H
#define KERNEL_LIB_STRING_H

#include "kernel/types.h"

void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
/* The first place needle starts in hay, or NULL. */
char *strstr(const char *hay, const char *needle);

/* Copy at most size-1 bytes and always terminate; returns strlen(src). */
size_t strlcpy(char *dst, const char *src, size_t size);

/* True if name matches the shell-style pattern (`*`, `?`; no classes). */
bool glob_match(const char *pattern, const char *name);
/* Does name match any of the comma-separated globs in patterns
 * ("swap_user*,cma_user*")? */
bool glob_match_list(const char *patterns, const char *name);

/*
 * Parse an unsigned number in base 10, or base 16 with 0x, with an optional
 * K/M/G suffix (binary units) when allow_suffix. Returns false, leaving *out
 * alone, on an empty string, a stray character or overflow.
 */
bool parse_u64(const char *s, uint64_t *out, bool allow_suffix);

/* Heap sort: in place, not stable, no allocation, O(n log n) worst case. */
void sort(void *base, size_t n, size_t size,
	  int (*cmp)(const void *a, const void *b));

#endif
