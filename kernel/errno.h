/*
 * kernel/errno.h - error numbers, with Linux's names and values (what a
 * student meets in Linux, and what the system-call ABI will return).
 * Functions return 0 or a negative errno: `return -ENOMEM;`.
 *
 * Each is guarded because host builds may also see the C library's
 * <errno.h>, whose values on Linux are the same.
 */
#ifndef KERNEL_ERRNO_H
#define KERNEL_ERRNO_H

#include "kernel/types.h"

#ifndef EPERM
#define EPERM		1	/* operation not permitted */
#endif
#ifndef ENOENT
#define ENOENT		2	/* no such file or directory */
#endif
#ifndef ESRCH
#define ESRCH		3	/* no such process */
#endif
#ifndef EINTR
#define EINTR		4	/* interrupted by a signal */
#endif
#ifndef EIO
#define EIO		5	/* I/O error (the device reported one) */
#endif
#ifndef ENXIO
#define ENXIO		6	/* no such device or address */
#endif
#ifndef E2BIG
#define E2BIG		7	/* argument list too long */
#endif
#ifndef ENOEXEC
#define ENOEXEC		8	/* not an executable format the kernel loads */
#endif
#ifndef EBADF
#define EBADF		9	/* bad file descriptor */
#endif
#ifndef ECHILD
#define ECHILD		10	/* no child process to wait for */
#endif
#ifndef EAGAIN
#define EAGAIN		11	/* try again (no slot free now) */
#endif
#ifndef ENOMEM
#define ENOMEM		12	/* out of memory (or of address space) */
#endif
#ifndef EACCES
#define EACCES		13	/* permission denied */
#endif
#ifndef EFAULT
#define EFAULT		14	/* bad address (a DMA fault, a bad pointer) */
#endif
#ifndef EBUSY
#define EBUSY		16	/* already in use */
#endif
#ifndef EEXIST
#define EEXIST		17	/* already exists */
#endif
#ifndef EXDEV
#define EXDEV		18	/* cross-device link */
#endif
#ifndef ENODEV
#define ENODEV		19	/* no such device (or mapping type) */
#endif
#ifndef ENOTDIR
#define ENOTDIR		20	/* not a directory */
#endif
#ifndef EISDIR
#define EISDIR		21	/* is a directory */
#endif
#ifndef EINVAL
#define EINVAL		22	/* invalid argument */
#endif
#ifndef ENFILE
#define ENFILE		23	/* too many open files in the system */
#endif
#ifndef EMFILE
#define EMFILE		24	/* too many open files */
#endif
#ifndef ENOTTY
#define ENOTTY		25	/* not a terminal */
#endif
#ifndef EFBIG
#define EFBIG		27	/* file too large */
#endif
#ifndef ENOSPC
#define ENOSPC		28	/* no space left (a table or ring is full) */
#endif
#ifndef ESPIPE
#define ESPIPE		29	/* illegal seek (a pipe) */
#endif
#ifndef EROFS
#define EROFS		30	/* read-only file system */
#endif
#ifndef EPIPE
#define EPIPE		32	/* broken pipe */
#endif
#ifndef EDOM
#define EDOM		33	/* argument out of domain */
#endif
#ifndef ERANGE
#define ERANGE		34	/* result out of range */
#endif
#ifndef ENAMETOOLONG
#define ENAMETOOLONG	36	/* file name too long */
#endif
#ifndef ENOSYS
#define ENOSYS		38	/* not implemented */
#endif
#ifndef ENOTEMPTY
#define ENOTEMPTY	39	/* directory not empty */
#endif
#ifndef ELOOP
#define ELOOP		40	/* too many symbolic links */
#endif
#ifndef EILSEQ
#define EILSEQ		84	/* illegal byte sequence (an SD CRC error) */
#endif
#ifndef EPROTO
#define EPROTO		71	/* protocol error (a peer broke its protocol) */
#endif
#ifndef EOVERFLOW
#define EOVERFLOW	75	/* value too large for its type */
#endif
#ifndef EOPNOTSUPP
#define EOPNOTSUPP	95	/* operation not supported by the device */
#endif

#ifndef EMLINK
#define EMLINK		31	/* too many links */
#endif
#ifndef EUCLEAN
#define EUCLEAN		117	/* structure needs cleaning (a corrupt file system) */
#endif
#define EFSCORRUPTED	EUCLEAN	/* Linux's name in file systems */

/* The network's (net/): Linux's numbers. */
#ifndef EMSGSIZE
#define EMSGSIZE	90	/* message too long */
#endif
#ifndef ENETUNREACH
#define ENETUNREACH	101	/* network unreachable (no route, no address) */
#endif
#ifndef ECONNABORTED
#define ECONNABORTED	103	/* connection aborted */
#endif
#ifndef ECONNRESET
#define ECONNRESET	104	/* connection reset by peer */
#endif
#ifndef ENOTCONN
#define ENOTCONN	107	/* not connected */
#endif
#ifndef ESHUTDOWN
#define ESHUTDOWN	108	/* cannot send after shutdown */
#endif
#ifndef ETIMEDOUT
#define ETIMEDOUT	110	/* timed out */
#endif
#ifndef ECONNREFUSED
#define ECONNREFUSED	111	/* connection refused */
#endif
#ifndef EHOSTUNREACH
#define EHOSTUNREACH	113	/* host unreachable */
#endif
#ifndef EINPROGRESS
#define EINPROGRESS	115	/* operation in progress */
#endif

/*
 * A pointer or an errno in one return value (Linux's ERR_PTR): the top
 * 4095 addresses are never valid pointers, so -errno cast to a pointer
 * cannot be mistaken for one.
 */
#define MAX_ERRNO	4095
static inline void *ERR_PTR(long error) { return (void *)error; }
static inline long PTR_ERR(const void *ptr) { return (long)ptr; }
static inline bool IS_ERR(const void *ptr)
{
	return (unsigned long)ptr >= (unsigned long)-MAX_ERRNO;
}
static inline bool IS_ERR_OR_NULL(const void *ptr) { return !ptr || IS_ERR(ptr); }

#endif
