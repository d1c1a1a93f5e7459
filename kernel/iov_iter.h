/*
 * kernel/iov_iter.h - where the bytes of a read go: one buffer, in user
 * memory or in kernel memory.
 *
 * read(2) of a cached file copies each page straight into the caller's
 * buffer. The page cache does not care whose buffer that is, so the
 * destination travels as a struct iov_iter: the system call makes a user
 * one (iov_iter_ubuf: every copy goes through copy_to_user, and a bad
 * page stops it short instead of faulting the kernel), kernel code that
 * reads a file into its own memory makes a kernel one (iov_iter_kbuf:
 * plain memcpy). Linux's struct iov_iter has many kinds (several
 * segments, pages, pipes); this is its ITER_UBUF plus a one-segment
 * ITER_KVEC, which is all our readers need.
 *
 *	struct iov_iter to;
 *
 *	iov_iter_ubuf(&to, ubuf, count);
 *	n = filemap_read_iter(file, &to, &pos);
 *
 * Contract:
 *   copy_to_iter(from, n, i): copies min(n, i->count) bytes of from to
 *     the iterator's next byte and advances it; returns the bytes copied.
 *     Fewer than asked (with room left) only when a user page could not
 *     be written: the caller stops and reports the bytes it moved, or
 *     -EFAULT if none. May sleep (the user page may have to be faulted
 *     in); the caller must hold no spinlock and no page lock.
 */
#ifndef KERNEL_IOV_ITER_H
#define KERNEL_IOV_ITER_H

#include "kernel/lib/string.h"
#include "kernel/types.h"
#include "kernel/uaccess.h"

struct iov_iter {
	char *base;	/* the next byte to fill */
	size_t count;	/* bytes still wanted */
	bool user;	/* base is a user address (copy_to_user) */
};

/* A destination of n bytes at the user address ubuf (the caller has
 * checked nothing: copy_to_user does, at every copy). */
static inline void iov_iter_ubuf(struct iov_iter *i, char *ubuf, size_t n)
{
	i->base = ubuf;
	i->count = n;
	i->user = true;
}

/* A destination of n bytes of kernel memory at buf. */
static inline void iov_iter_kbuf(struct iov_iter *i, char *buf, size_t n)
{
	i->base = buf;
	i->count = n;
	i->user = false;
}

static inline size_t copy_to_iter(const void *from, size_t n,
				  struct iov_iter *i)
{
	size_t left = 0;

	if (n > i->count)
		n = i->count;
	if (i->user)
		left = copy_to_user(i->base, from, n);
	else
		memcpy(i->base, from, n);
	n -= left;
	i->base += n;
	i->count -= n;
	return n;
}

#endif
