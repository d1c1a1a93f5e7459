/*
 * user/lib/arch/arm64/syscall.S - the raw system-call instruction.
 *
 * long __syscall6(long nr, long a1, long a2, long a3, long a4, long a5,
 *                 long a6): Linux's arm64 convention puts the number in
 * x8 and the arguments in x0..x5; SVC #0 returns in x0: a result, or
 * -errno (-4095..-1).
 */
	.text
	.globl	__syscall6
	.type	__syscall6, %function
__syscall6:
	mov	x8, x0
	mov	x0, x1
	mov	x1, x2
	mov	x2, x3
	mov	x3, x4
	mov	x4, x5
	mov	x5, x6
	svc	#0
	ret
	.size	__syscall6, . - __syscall6

/* void __illegal_insn(void): an instruction that is undefined (SIGILL). */
	.globl	__illegal_insn
	.type	__illegal_insn, %function
__illegal_insn:
	udf	#0
	ret
	.size	__illegal_insn, . - __illegal_insn

	.section .note.GNU-stack, "", %progbits
