/*
 * user/lib/printf.c - formatted output: vsnprintf does the work, printf
 * and dprintf write its result with one write().
 */
#include "libc.h"

struct out {
	char *buf;
	size_t size;
	size_t len;		/* what the full output needs */
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

/* One converted field: sign/prefix, then padding rules of C's printf. */
static void field(struct out *o, const char *prefix, const char *digits,
		  size_t n, int width, int left, int zero)
{
	size_t plen = strlen(prefix);
	int pad = width - (int)(plen + n);

	if (!left && !zero)
		for (; pad > 0; pad--)
			put(o, ' ');
	while (*prefix)
		put(o, *prefix++);
	if (!left && zero)
		for (; pad > 0; pad--)
			put(o, '0');
	while (n--)
		put(o, *digits++);
	for (; left && pad > 0; pad--)
		put(o, ' ');
}

static size_t utoa(unsigned long long v, unsigned base, int upper, char *end)
{
	const char *d = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	size_t n = 0;

	do {
		*--end = d[v % base];
		v /= base;
		n++;
	} while (v);
	return n;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };
	char tmp[24];

	for (; *fmt; fmt++) {
		int left = 0, zero = 0, width = 0, lng = 0;
		unsigned long long u;
		const char *s;
		size_t n;

		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		for (fmt++; *fmt == '-' || *fmt == '0'; fmt++)
			*fmt == '-' ? (left = 1) : (zero = 1);
		if (*fmt == '*') {
			width = va_arg(ap, int);
			fmt++;
		}
		for (; *fmt >= '0' && *fmt <= '9'; fmt++)
			width = width * 10 + (*fmt - '0');
		for (; *fmt == 'l' || *fmt == 'z'; fmt++)
			lng++;
		switch (*fmt) {
		case 'd':
		case 'i': {
			long long v = lng ? va_arg(ap, long long) : va_arg(ap, int);

			u = v < 0 ? -(unsigned long long)v : (unsigned long long)v;
			n = utoa(u, 10, 0, tmp + sizeof(tmp));
			field(&o, v < 0 ? "-" : "", tmp + sizeof(tmp) - n, n,
			      width, left, zero);
			break;
		}
		case 'u':
		case 'x':
		case 'X':
		case 'o':
			u = lng ? va_arg(ap, unsigned long long) : va_arg(ap, unsigned);
			n = utoa(u, *fmt == 'u' ? 10 : *fmt == 'o' ? 8 : 16,
				 *fmt == 'X', tmp + sizeof(tmp));
			field(&o, "", tmp + sizeof(tmp) - n, n, width, left, zero);
			break;
		case 'p':
			u = (uintptr_t)va_arg(ap, void *);
			n = utoa(u, 16, 0, tmp + sizeof(tmp));
			field(&o, "0x", tmp + sizeof(tmp) - n, n, width, left, zero);
			break;
		case 'c':
			tmp[0] = (char)va_arg(ap, int);
			field(&o, "", tmp, 1, width, left, 0);
			break;
		case 's':
			s = va_arg(ap, const char *);
			if (!s)
				s = "(null)";
			field(&o, "", s, strlen(s), width, left, 0);
			break;
		case '%':
			put(&o, '%');
			break;
		case '\0':
			fmt--;
			break;
		default:	/* unknown: print it as written */
			put(&o, '%');
			put(&o, *fmt);
		}
	}
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

static int vdprintf(int fd, const char *fmt, va_list ap)
{
	char buf[1024];
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);

	if (n > (int)sizeof(buf) - 1)
		n = sizeof(buf) - 1;
	return write(fd, buf, (size_t)n) < 0 ? -1 : n;
}

int printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vdprintf(1, fmt, ap);
	va_end(ap);
	return n;
}

int dprintf(int fd, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vdprintf(fd, fmt, ap);
	va_end(ap);
	return n;
}

int puts(const char *s)
{
	return printf("%s\n", s);
}
