/*
 * arch/setjmp.h (arm64) - save and resume an execution context, used to
 * come back from a caught fault (kernel/fault.h). The callee-saved
 * registers of the AAPCS64 (x19-x28, fp, lr), the stack pointer and the
 * interrupt mask (DAIF) make the context.
 */
#ifndef ARCH_SETJMP_H
#define ARCH_SETJMP_H

struct arch_jmp_buf {
	unsigned long x19_x28[10], fp, lr, sp, daif;
};

int arch_setjmp(struct arch_jmp_buf *b) __attribute__((returns_twice));
__attribute__((noreturn)) void arch_longjmp(struct arch_jmp_buf *b, int value);

#endif
