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

#ifndef EIO
#define EIO		5	/* I/O error (the device reported one) */
#endif
#ifndef EAGAIN
#define EAGAIN		11	/* try again (no slot free now) */
#endif
#ifndef ENOMEM
#define ENOMEM		12	/* out of memory (or of address space) */
#endif
#ifndef EFAULT
#define EFAULT		14	/* bad address (a DMA fault, a bad pointer) */
#endif
#ifndef EBUSY
#define EBUSY		16	/* already in use */
#endif
#ifndef EINVAL
#define EINVAL		22	/* invalid argument */
#endif
#ifndef ENOSPC
#define ENOSPC		28	/* no space left (a table or ring is full) */
#endif
#ifndef ENOSYS
#define ENOSYS		38	/* not implemented */
#endif
#ifndef EOPNOTSUPP
#define EOPNOTSUPP	95	/* operation not supported by the device */
#endif

#endif
