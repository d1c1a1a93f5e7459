/*
 * net/lwip/include/arch/cc.h - lwIP's compiler and platform glue (lwIP's
 * arch.h reads it first): freestanding types, no libc headers, printing
 * and assertions through printk/panic. docs/net/lwip.md.
 */
#ifndef NET_LWIP_ARCH_CC_H
#define NET_LWIP_ARCH_CC_H

#include "kernel/types.h"

/* The compiler's own freestanding headers give stddef.h and stdint.h
 * (kernel/types.h); limits.h, inttypes.h, ctype.h and unistd.h are
 * libc's: lwIP's replacements, and the limits it needs, instead. */
#define LWIP_NO_LIMITS_H	1
#define INT_MAX			__INT_MAX__
#define LWIP_NO_INTTYPES_H	1
#define LWIP_NO_CTYPE_H		1
#define LWIP_NO_UNISTD_H	1
#define X8_F	"02x"
#define U16_F	"u"
#define S16_F	"d"
#define X16_F	"x"
#define U32_F	"u"
#define S32_F	"d"
#define X32_F	"x"
#define SZT_F	"zu"

/* Both architectures are little-endian. */
#define BYTE_ORDER	LITTLE_ENDIAN

/* lwIP's errno values: its sockets layer is not compiled, so only its
 * err_t codes matter; these keep lwip/errno.h out of the way. */
#define LWIP_ERRNO_STDINCLUDE	0
#define LWIP_ERRNO_INCLUDE	"kernel/errno.h"

void lwip_port_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void lwip_port_assert(const char *msg, const char *file, int line)
	__attribute__((noreturn));
unsigned int lwip_port_rand(void);
void *lwip_port_malloc(size_t size);
void *lwip_port_calloc(size_t count, size_t size);
void lwip_port_free(void *p);

/* LWIP_PLATFORM_DIAG((fmt, args)): the argument list in parentheses. */
#define LWIP_PLATFORM_DIAG(x)	do { lwip_port_diag x; } while (0)
/* A failed lwIP assertion is a bug here or in lwIP: the crash report. */
#define LWIP_PLATFORM_ASSERT(x)	lwip_port_assert(x, __FILE__, __LINE__)

#endif
