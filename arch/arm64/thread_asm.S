/*
 * arch/arm64/thread_asm.S - switching kernel threads.
 *
 * void arch_context_switch(struct arch_context *prev (x0),
 *                          struct arch_context *next (x1))
 * Pushes the callee-saved registers (AAPCS64: x19-x28, fp, lr) on the
 * running thread's stack, stores sp in prev->sp, loads next->sp and pops
 * the same frame: `ret` then continues wherever next last switched out
 * (or, for a new thread, at arm64_thread_start).
 */
	.text
	.global	arch_context_switch, arm64_thread_start
arch_context_switch:
	sub	sp, sp, #96
	stp	x19, x20, [sp, #0]
	stp	x21, x22, [sp, #16]
	stp	x23, x24, [sp, #32]
	stp	x25, x26, [sp, #48]
	stp	x27, x28, [sp, #64]
	stp	x29, x30, [sp, #80]
	mov	x2, sp
	str	x2, [x0]
	ldr	x2, [x1]
	mov	sp, x2
	ldp	x19, x20, [sp, #0]
	ldp	x21, x22, [sp, #16]
	ldp	x23, x24, [sp, #32]
	ldp	x25, x26, [sp, #48]
	ldp	x27, x28, [sp, #64]
	ldp	x29, x30, [sp, #80]
	add	sp, sp, #96
	ret

/* A new thread's first instructions: entry (x19) with arg (x20). */
arm64_thread_start:
	mov	x0, x20
	blr	x19
	brk	#0x801			/* entry must not return */
