/*
 * user/lib/arch/x86_64/crt0.S - the first user instructions of a program.
 *
 * The kernel enters _start with %rsp at the initial stack the System V
 * AMD64 ABI (3.4.1) lays out: argc, argv[0..argc-1], NULL, envp[...], NULL,
 * the auxiliary vector (type, value pairs ending with AT_NULL), then the
 * strings. Everything else is undefined, so clear %rbp (the end of the
 * frame-pointer chain) and hand the stack to C.
 */
	.text
	.globl	_start
	.type	_start, @function
_start:
	xor	%ebp, %ebp
	mov	%rsp, %rdi		/* __libc_start(initial stack) */
	and	$-16, %rsp		/* the ABI: 16-byte aligned at a call */
	call	__libc_start
	ud2				/* __libc_start never returns */
	.size	_start, . - _start

	.section .note.GNU-stack, "", @progbits
