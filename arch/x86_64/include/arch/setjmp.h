/*
 * arch/setjmp.h (x86_64) - save and resume an execution context, used to
 * come back from a caught fault (kernel/fault.h). Interrupt state is part
 * of the context.
 */
#ifndef ARCH_SETJMP_H
#define ARCH_SETJMP_H

struct arch_jmp_buf {
	unsigned long rbx, rbp, r12, r13, r14, r15, rsp, rip, rflags;
};

int arch_setjmp(struct arch_jmp_buf *b) __attribute__((returns_twice));
__attribute__((noreturn)) void arch_longjmp(struct arch_jmp_buf *b, int value);

#endif
