/*
 * arch/arm64/entry.S - the exception vector table, the way into EL0, and
 * setjmp/longjmp.
 *
 * VBAR_EL1 points at a 2 KiB-aligned table of 16 entries, 0x80 bytes each:
 * {synchronous, IRQ, FIQ, SError} taken from {EL1 using SP_EL0, EL1 using
 * SP_EL1, EL0 in AArch64, EL0 in AArch32}. The kernel always runs on
 * SP_EL1. Each entry saves all registers into a struct pt_regs
 * (<arch/user.h>) on the current stack and calls arm64_trap(regs, entry
 * number). If that returns, the registers are restored (ELR/SPSR possibly
 * changed by C) and ERET resumes.
 *
 * From EL0 the CPU switches to SP_EL1, which while a thread runs in user
 * mode sits at the very top of its kernel stack: the frame lands exactly
 * at task_pt_regs(current). Its `sp` slot holds SP_EL0 (the user's stack
 * pointer), written back on the way out, which leaves SP_EL1 at the top
 * again. Which way out is decided by the saved SPSR's mode: EL0t means a
 * return to user mode (C has checked the frame, arm64_trap).
 */
#define REGS_SIZE	304	/* sizeof(struct pt_regs), 16-aligned */

	.macro	ventry n
	.balign	0x80
	sub	sp, sp, #REGS_SIZE
	stp	x0, x1, [sp, #0]
	mov	x0, #\n
	b	trap_common
	.endm

	.text
	.balign	0x800
	.global	arm64_vectors
arm64_vectors:
	ventry	0	/* EL1t sync */
	ventry	1	/* EL1t IRQ */
	ventry	2	/* EL1t FIQ */
	ventry	3	/* EL1t SError */
	ventry	4	/* EL1h sync */
	ventry	5	/* EL1h IRQ */
	ventry	6	/* EL1h FIQ */
	ventry	7	/* EL1h SError */
	ventry	8	/* EL0 AArch64 sync */
	ventry	9	/* EL0 AArch64 IRQ */
	ventry	10	/* EL0 AArch64 FIQ */
	ventry	11	/* EL0 AArch64 SError */
	ventry	12	/* EL0 AArch32 sync */
	ventry	13	/* EL0 AArch32 IRQ */
	ventry	14	/* EL0 AArch32 FIQ */
	ventry	15	/* EL0 AArch32 SError */

trap_common:
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x19, [sp, #144]
	stp	x20, x21, [sp, #160]
	stp	x22, x23, [sp, #176]
	stp	x24, x25, [sp, #192]
	stp	x26, x27, [sp, #208]
	stp	x28, x29, [sp, #224]
	cmp	x0, #8				/* from EL0? */
	b.lo	1f
	mrs	x1, sp_el0			/* the user's sp */
	b	2f
1:	add	x1, sp, #REGS_SIZE		/* sp before the exception */
2:	stp	x30, x1, [sp, #240]
	mrs	x2, elr_el1
	mrs	x3, spsr_el1
	stp	x2, x3, [sp, #256]
	mrs	x2, esr_el1
	mrs	x3, far_el1
	stp	x2, x3, [sp, #272]
	str	x0, [sp, #288]
	mov	x1, x0
	mov	x0, sp
	bl	arm64_trap
/* Restore the frame at sp and ERET; from EL0t frames SP_EL0 too. Entered
 * with interrupts masked (ELR/SPSR must not change under us). */
ret_from_exception:
	ldp	x2, x3, [sp, #256]
	msr	elr_el1, x2
	msr	spsr_el1, x3
	tst	x3, #0xf			/* M[3:0] = 0: EL0t */
	b.ne	3f
	ldr	x2, [sp, #248]
	msr	sp_el0, x2
3:
	ldp	x0, x1, [sp, #0]
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x19, [sp, #144]
	ldp	x20, x21, [sp, #160]
	ldp	x22, x23, [sp, #176]
	ldp	x24, x25, [sp, #192]
	ldp	x26, x27, [sp, #208]
	ldp	x28, x29, [sp, #224]
	ldr	x30, [sp, #240]
	add	sp, sp, #REGS_SIZE
	eret

/*
 * void arm64_enter_user(struct pt_regs *regs): leave for EL0 with regs,
 * which is task_pt_regs(current) and has been checked (an EL0t SPSR).
 * The kernel stack restarts just below regs, so nothing of the caller's
 * frames survives.
 */
	.global	arm64_enter_user
arm64_enter_user:
	msr	daifset, #0xf
	mov	sp, x0
	b	ret_from_exception

/*
 * int arch_setjmp(struct arch_jmp_buf *b): saves x19-x28, fp, lr, sp and
 * DAIF; returns 0, or the value given to arch_longjmp when that resumes.
 */
	.global	arch_setjmp, arch_longjmp
arch_setjmp:
	stp	x19, x20, [x0, #0]
	stp	x21, x22, [x0, #16]
	stp	x23, x24, [x0, #32]
	stp	x25, x26, [x0, #48]
	stp	x27, x28, [x0, #64]
	stp	x29, x30, [x0, #80]
	mov	x1, sp
	mrs	x2, daif
	stp	x1, x2, [x0, #96]
	mov	w0, #0
	ret

/* void arch_longjmp(struct arch_jmp_buf *b, int value): never returns.
 * Also the way out of an exception handler: DAIF comes back as saved. */
arch_longjmp:
	ldp	x19, x20, [x0, #0]
	ldp	x21, x22, [x0, #16]
	ldp	x23, x24, [x0, #32]
	ldp	x25, x26, [x0, #48]
	ldp	x27, x28, [x0, #64]
	ldp	x29, x30, [x0, #80]
	ldp	x2, x3, [x0, #96]
	mov	sp, x2
	msr	daif, x3
	cmp	w1, #0
	csinc	w0, w1, wzr, ne			/* longjmp(b, 0) returns 1 */
	ret
