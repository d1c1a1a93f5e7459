/*
 * arch/arm64/thread_asm.S - switching threads, and the FP/SIMD registers
 * of threads that run in user mode.
 *
 * void arch_context_switch(struct arch_context *prev (x0),
 *                          struct arch_context *next (x1))
 * Pushes the callee-saved registers (AAPCS64: x19-x28, fp, lr) on the
 * running thread's stack, stores sp in prev->sp, loads next->sp and pops
 * the same frame: `ret` then continues wherever next last switched out
 * (or, for a new thread, at arm64_thread_start). A thread with user state
 * (ctx->user, <arch/thread.h>) also has its FP/SIMD registers and
 * TPIDR_EL0 saved in its context and loaded back: user code may use them
 * at any time, the kernel never does (-mgeneral-regs-only), so they are
 * still the user's when the switch happens.
 */
#define CTX_SP		0
#define CTX_TPIDR	8
#define CTX_USER	16
#define CTX_FPSIMD	32

	.arch_extension	fp
	.arch_extension	simd

/* Store q0-q31, FPSR, FPCR at \base (a struct arch_fpsimd_state). */
	.macro	fpsimd_save base, t1, t2
	stp	q0, q1, [\base, #0]
	stp	q2, q3, [\base, #32]
	stp	q4, q5, [\base, #64]
	stp	q6, q7, [\base, #96]
	stp	q8, q9, [\base, #128]
	stp	q10, q11, [\base, #160]
	stp	q12, q13, [\base, #192]
	stp	q14, q15, [\base, #224]
	stp	q16, q17, [\base, #256]
	stp	q18, q19, [\base, #288]
	stp	q20, q21, [\base, #320]
	stp	q22, q23, [\base, #352]
	stp	q24, q25, [\base, #384]
	stp	q26, q27, [\base, #416]
	stp	q28, q29, [\base, #448]
	stp	q30, q31, [\base, #480]
	mrs	x\t1, fpsr
	mrs	x\t2, fpcr
	str	w\t1, [\base, #512]
	str	w\t2, [\base, #516]
	.endm

	.macro	fpsimd_load base, t1, t2
	ldp	q0, q1, [\base, #0]
	ldp	q2, q3, [\base, #32]
	ldp	q4, q5, [\base, #64]
	ldp	q6, q7, [\base, #96]
	ldp	q8, q9, [\base, #128]
	ldp	q10, q11, [\base, #160]
	ldp	q12, q13, [\base, #192]
	ldp	q14, q15, [\base, #224]
	ldp	q16, q17, [\base, #256]
	ldp	q18, q19, [\base, #288]
	ldp	q20, q21, [\base, #320]
	ldp	q22, q23, [\base, #352]
	ldp	q24, q25, [\base, #384]
	ldp	q26, q27, [\base, #416]
	ldp	q28, q29, [\base, #448]
	ldp	q30, q31, [\base, #480]
	ldr	w\t1, [\base, #512]
	ldr	w\t2, [\base, #516]
	msr	fpsr, x\t1
	msr	fpcr, x\t2
	.endm

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
	str	x2, [x0, #CTX_SP]
	ldr	x2, [x0, #CTX_USER]
	cbz	x2, 1f
	mrs	x3, tpidr_el0
	str	x3, [x0, #CTX_TPIDR]
	add	x2, x0, #CTX_FPSIMD
	fpsimd_save x2, 3, 4
1:	ldr	x2, [x1, #CTX_USER]
	cbz	x2, 2f
	ldr	x3, [x1, #CTX_TPIDR]
	msr	tpidr_el0, x3
	add	x2, x1, #CTX_FPSIMD
	fpsimd_load x2, 3, 4
2:	ldr	x2, [x1, #CTX_SP]
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

/* void arm64_fpsimd_save(struct arch_fpsimd_state *s): the live registers
 * into s. void arm64_fpsimd_load(const struct arch_fpsimd_state *s): s
 * into the registers. Leaf functions; clobber x2, x3. */
	.global	arm64_fpsimd_save, arm64_fpsimd_load
arm64_fpsimd_save:
	fpsimd_save x0, 2, 3
	ret
arm64_fpsimd_load:
	fpsimd_load x0, 2, 3
	ret
