/*
 * kernel/lib/strutil.c - string helpers the C library does not have (or the
 * host's lacks): strlcpy, glob_match, parse_u64, sort. Portable; built into
 * the kernel, the host tests and the user C library (user/build.mk).
 */
#include "kernel/lib/string.h"

size_t strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size) {
		size_t n = len < size - 1 ? len : size - 1;

		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}

/* Iterative matcher with one backtrack point: linear-ish, no recursion. */
bool glob_match(const char *pat, const char *name)
{
	const char *star = NULL, *resume = NULL;

	while (*name) {
		if (*pat == '*') {
			star = pat++;
			resume = name;
		} else if (*pat == '?' || *pat == *name) {
			pat++;
			name++;
		} else if (star) {
			pat = star + 1;
			name = ++resume;
		} else {
			return false;
		}
	}
	while (*pat == '*')
		pat++;
	return *pat == '\0';
}

bool glob_match_list(const char *patterns, const char *name)
{
	char one[64];

	for (const char *p = patterns;;) {
		const char *end = strchr(p, ',');
		size_t n = end ? (size_t)(end - p) : strlen(p);

		if (n < sizeof(one)) {
			memcpy(one, p, n);
			one[n] = '\0';
			if (glob_match(one, name))
				return true;
		}
		if (!end)
			return false;
		p = end + 1;
	}
}

bool parse_u64(const char *s, uint64_t *out, bool allow_suffix)
{
	uint64_t v = 0, base = 10;
	const char *p = s;
	bool any = false;

	if (!s)
		return false;	/* a bare option ("loglevel"): no number */
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	}
	for (; *p; p++) {
		unsigned int d;

		if (*p >= '0' && *p <= '9')
			d = *p - '0';
		else if (base == 16 && *p >= 'a' && *p <= 'f')
			d = *p - 'a' + 10;
		else if (base == 16 && *p >= 'A' && *p <= 'F')
			d = *p - 'A' + 10;
		else
			break;
		if (v > (UINT64_MAX - d) / base)
			return false;
		v = v * base + d;
		any = true;
	}
	if (!any)
		return false;
	if (*p && allow_suffix) {
		unsigned int shift;

		switch (*p) {
		case 'k': case 'K': shift = 10; break;
		case 'm': case 'M': shift = 20; break;
		case 'g': case 'G': shift = 30; break;
		default: return false;
		}
		if (v > (UINT64_MAX >> shift))
			return false;
		v <<= shift;
		p++;
	}
	if (*p)
		return false;
	*out = v;
	return true;
}

static void swap_bytes(char *a, char *b, size_t size)
{
	while (size--) {
		char t = *a;

		*a++ = *b;
		*b++ = t;
	}
}

static void sift_down(char *base, size_t root, size_t n, size_t size,
		      int (*cmp)(const void *, const void *))
{
	for (;;) {
		size_t child = 2 * root + 1;

		if (child >= n)
			return;
		if (child + 1 < n &&
		    cmp(base + child * size, base + (child + 1) * size) < 0)
			child++;
		if (cmp(base + root * size, base + child * size) >= 0)
			return;
		swap_bytes(base + root * size, base + child * size, size);
		root = child;
	}
}

void sort(void *base, size_t n, size_t size,
	  int (*cmp)(const void *a, const void *b))
{
	char *b = base;
	size_t i;

	if (n < 2)
		return;
	for (i = n / 2; i-- > 0;)
		sift_down(b, i, n, size, cmp);
	for (i = n - 1; i > 0; i--) {
		swap_bytes(b, b + i * size, size);
		sift_down(b, 0, i, size, cmp);
	}
}
