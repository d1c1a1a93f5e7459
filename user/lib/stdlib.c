/*
 * user/lib/stdlib.c - numbers from strings (C's strtoul and friends; sizes
 * with a suffix are kernel/lib/strutil.c's parse_u64). The seeded generator
 * is the kernel's kernel/lib/random.c, compiled into this library too.
 */
#include "libc.h"

static int digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return 99;
}

unsigned long strtoul(const char *s, char **end, int base)
{
	unsigned long v = 0;
	int neg = 0, any = 0;

	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '+' || *s == '-')
		neg = *s++ == '-';
	if ((base == 0 || base == 16) && s[0] == '0' &&
	    (s[1] == 'x' || s[1] == 'X') && digit(s[2]) < 16) {
		s += 2;
		base = 16;
	} else if (base == 0) {
		base = s[0] == '0' ? 8 : 10;
	}
	for (; digit(*s) < base; s++, any = 1)
		v = v * (unsigned long)base + (unsigned long)digit(*s);
	if (end)
		*end = (char *)s;
	(void)any;
	return neg ? -v : v;
}

long strtol(const char *s, char **end, int base)
{
	return (long)strtoul(s, end, base);
}

long atol(const char *s)
{
	return strtol(s, NULL, 10);
}

int atoi(const char *s)
{
	return (int)atol(s);
}

uint64_t parse_size(const char *s, int *ok)
{
	uint64_t v;

	/* The kernel's own size parser (kernel/lib/strutil.c, compiled into
	 * this library too): the console and the programs read "64M" alike. */
	*ok = parse_u64(s, &v, true);
	return *ok ? v : 0;
}
