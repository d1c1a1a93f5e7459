/*
 * user/lib/arch/x86_64/syscall.S - the raw system-call instruction.
 *
 * long __syscall6(long nr, long a1, long a2, long a3, long a4, long a5,
 *                 long a6): Linux's x86_64 convention puts the number in
 * %rax and the arguments in %rdi, %rsi, %rdx, %r10, %r8, %r9; SYSCALL
 * clobbers %rcx and %r11 and returns in %rax: a result, or -errno
 * (-4095..-1).
 */
	.text
	.globl	__syscall6
	.type	__syscall6, @function
__syscall6:
	mov	%rdi, %rax
	mov	%rsi, %rdi
	mov	%rdx, %rsi
	mov	%rcx, %rdx
	mov	%r8, %r10
	mov	%r9, %r8
	mov	8(%rsp), %r9		/* the 7th C argument is on the stack */
	syscall
	ret
	.size	__syscall6, . - __syscall6

/* void __illegal_insn(void): an instruction that is undefined (SIGILL). */
	.globl	__illegal_insn
	.type	__illegal_insn, @function
__illegal_insn:
	ud2
	ret
	.size	__illegal_insn, . - __illegal_insn

	.section .note.GNU-stack, "", @progbits
