/* arch/setjmp.h for host builds: the C library's. */
#ifndef ARCH_SETJMP_H
#define ARCH_SETJMP_H
#include <setjmp.h>
struct arch_jmp_buf { jmp_buf jb; };
#define arch_setjmp(b)		setjmp((b)->jb)
#define arch_longjmp(b, v)	longjmp((b)->jb, (v))
#endif
