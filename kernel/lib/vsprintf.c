/*
 * kernel/lib/vsprintf.c - printf-style formatting into a bounded buffer.
 * See vsprintf.h for the conversions supported. No floating point.
 * The user C library's printf formats with it too (user/build.mk).
 */
#include "kernel/lib/vsprintf.h"
#include "kernel/lib/string.h"

struct out {
	char *buf;
	size_t size;	/* capacity including the NUL */
	size_t len;	/* characters produced so far (may exceed size) */
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void pad(struct out *o, char c, int n)
{
	while (n-- > 0)
		put(o, c);
}

enum { F_LEFT = 1, F_ZERO = 2, F_SPACE = 4, F_PLUS = 8, F_ALT = 16 };

static void put_number(struct out *o, uint64_t v, bool negative, int base,
		       bool upper, int flags, int width, int prec)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0;
	char sign = 0;
	const char *prefix = "";
	int prefix_len = 0;

	if (negative)
		sign = '-';
	else if (flags & F_PLUS)
		sign = '+';
	else if (flags & F_SPACE)
		sign = ' ';
	if ((flags & F_ALT) && v != 0) {
		if (base == 16) {
			prefix = upper ? "0X" : "0x";
			prefix_len = 2;
		} else if (base == 8) {
			prefix = "0";
			prefix_len = 1;
		}
	}
	if (v == 0 && prec != 0)
		tmp[n++] = '0';
	while (v) {
		tmp[n++] = digits[v % base];
		v /= base;
	}
	int zeros = prec > n ? prec - n : 0;
	int body = n + zeros + prefix_len + (sign ? 1 : 0);

	if (prec < 0 && (flags & F_ZERO) && !(flags & F_LEFT) && width > body) {
		zeros += width - body;
		body = width;
	}
	if (!(flags & F_LEFT))
		pad(o, ' ', width - body);
	if (sign)
		put(o, sign);
	for (int i = 0; i < prefix_len; i++)
		put(o, prefix[i]);
	pad(o, '0', zeros);
	while (n)
		put(o, tmp[--n]);
	if (flags & F_LEFT)
		pad(o, ' ', width - body);
}

int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { .buf = buf, .size = size, .len = 0 };

	while (*fmt) {
		if (*fmt != '%') {
			put(&o, *fmt++);
			continue;
		}
		fmt++;

		int flags = 0, width = 0, prec = -1;

		for (;; fmt++) {
			if (*fmt == '-') flags |= F_LEFT;
			else if (*fmt == '0') flags |= F_ZERO;
			else if (*fmt == ' ') flags |= F_SPACE;
			else if (*fmt == '+') flags |= F_PLUS;
			else if (*fmt == '#') flags |= F_ALT;
			else break;
		}
		if (*fmt == '*') {
			width = va_arg(ap, int);
			if (width < 0) {
				flags |= F_LEFT;
				width = -width;
			}
			fmt++;
		} else {
			while (*fmt >= '0' && *fmt <= '9')
				width = width * 10 + (*fmt++ - '0');
		}
		if (*fmt == '.') {
			fmt++;
			prec = 0;
			if (*fmt == '*') {
				prec = va_arg(ap, int);
				if (prec < 0)
					prec = -1;
				fmt++;
			} else {
				while (*fmt >= '0' && *fmt <= '9')
					prec = prec * 10 + (*fmt++ - '0');
			}
		}

		/* Length: 0 int, 1 long, 2 long long, -1 short, -2 char. */
		int len = 0;

		if (*fmt == 'h') {
			len = -1;
			if (*++fmt == 'h') {
				len = -2;
				fmt++;
			}
		} else if (*fmt == 'l') {
			len = 1;
			if (*++fmt == 'l') {
				len = 2;
				fmt++;
			}
		} else if (*fmt == 'z' || *fmt == 't') {
			len = 1;
			fmt++;
		}

		char c = *fmt ? *fmt++ : '\0';

		switch (c) {
		case 'd':
		case 'i': {
			long long v;

			if (len == 2) v = va_arg(ap, long long);
			else if (len == 1) v = va_arg(ap, long);
			else v = va_arg(ap, int);
			if (len == -1) v = (short)v;
			if (len == -2) v = (signed char)v;
			put_number(&o, v < 0 ? -(uint64_t)v : (uint64_t)v,
				   v < 0, 10, false, flags, width, prec);
			break;
		}
		case 'u':
		case 'x':
		case 'X':
		case 'o': {
			unsigned long long v;

			if (len == 2) v = va_arg(ap, unsigned long long);
			else if (len == 1) v = va_arg(ap, unsigned long);
			else v = va_arg(ap, unsigned int);
			if (len == -1) v = (unsigned short)v;
			if (len == -2) v = (unsigned char)v;
			put_number(&o, v, false,
				   c == 'u' ? 10 : c == 'o' ? 8 : 16,
				   c == 'X', flags & ~(F_PLUS | F_SPACE),
				   width, prec);
			break;
		}
		case 'p': {
			uintptr_t v = (uintptr_t)va_arg(ap, void *);

			put(&o, '0');
			put(&o, 'x');
			put_number(&o, v, false, 16, false, 0, 0, 16);
			break;
		}
		case 'c': {
			char ch = (char)va_arg(ap, int);

			if (!(flags & F_LEFT))
				pad(&o, ' ', width - 1);
			put(&o, ch);
			if (flags & F_LEFT)
				pad(&o, ' ', width - 1);
			break;
		}
		case 's': {
			const char *s = va_arg(ap, const char *);

			if (!s)
				s = "(null)";
			int n = (int)strnlen(s, prec < 0 ? (size_t)-1 : (size_t)prec);

			if (!(flags & F_LEFT))
				pad(&o, ' ', width - n);
			for (int i = 0; i < n; i++)
				put(&o, s[i]);
			if (flags & F_LEFT)
				pad(&o, ' ', width - n);
			break;
		}
		case '%':
			put(&o, '%');
			break;
		case '\0':
			fmt--;	/* a lone '%' at the end: stop at the NUL */
			break;
		default:	/* unknown conversion: show it, do not guess */
			put(&o, '%');
			put(&o, c);
			break;
		}
	}
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

int kscnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (size == 0)
		return 0;
	va_start(ap, fmt);
	n = kvsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n < (int)size ? n : (int)size - 1;
}
