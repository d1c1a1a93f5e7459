/*
 * user/lib/arch/arm64/crt0.S - the first user instructions of a program.
 *
 * The kernel enters _start with sp at the initial stack the AArch64
 * System V ABI lays out as on x86_64: argc, argv[0..argc-1], NULL,
 * envp[...], NULL, the auxiliary vector (type, value pairs ending with
 * AT_NULL), then the strings. sp is 16-byte aligned. Clear the frame
 * pointer and link register (the end of the frame chain) and hand the
 * stack to C.
 */
	.text
	.globl	_start
	.type	_start, %function
_start:
	mov	x29, #0
	mov	x30, #0
	mov	x0, sp			/* __libc_start(initial stack) */
	bl	__libc_start
	udf	#0			/* __libc_start never returns */
	.size	_start, . - _start

	.section .note.GNU-stack, "", %progbits
