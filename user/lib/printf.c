/*
 * user/lib/printf.c - formatted output. The formatting is the kernel's own
 * kvsnprintf (kernel/lib/vsprintf.c, compiled into this library too:
 * user/build.mk; libc.h names it vsnprintf); this file does the write(2).
 */
#include "libc.h"

/* Format into a buffer and write it with one write(): at most 1023 bytes,
 * the rest cut. */
static int vdprintf(int fd, const char *fmt, va_list ap)
{
	char buf[1024];
	int n = kvsnprintf(buf, sizeof(buf), fmt, ap);

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
