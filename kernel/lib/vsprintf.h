/*
 * kernel/lib/vsprintf.h - formatted output into a buffer.
 *
 * Supports the conversions the kernel uses: %d %i %u %x %X %o %c %s %p %%,
 * with flags '-', '0', ' ', '+', '#', a width and precision (numbers or '*'),
 * and the length modifiers hh h l ll z t. %p prints 0x and 16 hex digits.
 * Like snprintf, the return value is the length the whole output would have
 * had; the buffer always ends with a NUL when size > 0.
 */
#ifndef KERNEL_LIB_VSPRINTF_H
#define KERNEL_LIB_VSPRINTF_H

#include "kernel/types.h"

int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int ksnprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

/* Like ksnprintf but returns the number of characters actually stored. */
int kscnprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

#endif
