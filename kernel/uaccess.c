/*
 * kernel/uaccess.c - strncpy_from_user (kernel/uaccess.h), once for every
 * architecture, on top of the arch's copy primitive.
 */
#include "kernel/errno.h"
#include "kernel/uaccess.h"
#include <arch/page.h>

/*
 * Copy a page-sized piece at a time, never across a page boundary, so a
 * string that ends just before an unmapped page is still read whole; a
 * piece that stops short is scanned for the NUL before saying -EFAULT.
 */
long strncpy_from_user(char *dst, const char *src, long n)
{
	long done = 0;

	if (n <= 0)
		return 0;
	while (done < n) {
		unsigned long a = (unsigned long)src + (unsigned long)done;
		long chunk = (long)(PAGE_SIZE - (a & (PAGE_SIZE - 1)));
		long got;

		if (chunk > n - done)
			chunk = n - done;
		if (!access_ok((const void *)a, (size_t)chunk))
			return -EFAULT;
		got = chunk - (long)arch_copy_from_user(dst + done,
							(const void *)a,
							(size_t)chunk);
		for (long i = 0; i < got; i++)
			if (dst[done + i] == '\0')
				return done + i;
		if (got < chunk)
			return -EFAULT;
		done += chunk;
	}
	return n;
}
