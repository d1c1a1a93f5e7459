/*
 * kernel/types.h - the basic types and helper macros every file may use.
 *
 * Freestanding C: <stdint.h>, <stddef.h>, <stdbool.h> and <stdarg.h> come
 * from the compiler, not from a C library, so they are safe in the kernel
 * and on the host alike.
 */
#ifndef KERNEL_TYPES_H
#define KERNEL_TYPES_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint64_t phys_addr_t;	/* a physical address */
typedef uint64_t dma_addr_t;	/* an address as a device sees it */

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define ALIGN_DOWN(x, a)	((x) & ~((__typeof__(x))(a) - 1))
#define ALIGN_UP(x, a)		ALIGN_DOWN((x) + (__typeof__(x))(a) - 1, (a))
#define IS_ALIGNED(x, a)	(((x) & ((__typeof__(x))(a) - 1)) == 0)
#define DIV_ROUND_UP(n, d)	(((n) + (d) - 1) / (d))
#define BIT(n)			(1UL << (n))

/* min/max evaluate each argument once; unique names let them nest. */
#define __PASTE2(a, b)	a##b
#define __PASTE(a, b)	__PASTE2(a, b)
#define __UNIQUE(p)	__PASTE(p, __COUNTER__)
#define __cmp_once(a, b, op, ua, ub) \
	({ __typeof__(a) ua = (a); __typeof__(b) ub = (b); ua op ub ? ua : ub; })
#define min(a, b)	__cmp_once(a, b, <, __UNIQUE(__min_a), __UNIQUE(__min_b))
#define max(a, b)	__cmp_once(a, b, >, __UNIQUE(__max_a), __UNIQUE(__max_b))

#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)

#define __unused	__attribute__((unused))
#define __used		__attribute__((used))
#define __noreturn	__attribute__((noreturn))
#define __packed	__attribute__((packed))
#define __aligned(n)	__attribute__((aligned(n)))
#define __section(s)	__attribute__((section(s)))
#define __printf(a, b)	__attribute__((format(printf, a, b)))

#define READ_ONCE(x)	(*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))
#define barrier()	__asm__ __volatile__("" ::: "memory")

#endif
