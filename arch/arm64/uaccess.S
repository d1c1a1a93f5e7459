/*
 * arch/arm64/uaccess.S - copying to and from user memory (the contract:
 * kernel/uaccess.h).
 *
 * Every access to user memory is an LDTR/STTR (Arm ARM C6.2: "load/store
 * register (unprivileged)"): executed at EL1 it is checked against EL0's
 * permissions, so it works under PAN and faults where user code would.
 * Each of them has an entry in the exception table (`__ex_table`,
 * kernel/extable.h): arm64_trap() first lets mm resolve the fault (a page
 * to fault in, a COW copy) and retries; if mm cannot, it resumes at the
 * entry's fixup. Copies go 64 bytes at a time while 64 remain, then 8,
 * then 1; a block or word that faults is redone byte by byte, so the
 * count of bytes not copied is exact.
 */
#define EFAULT	14

/* One exception-table entry: the instruction at \insn may fault on
 * purpose; resume at \fixup. */
	.macro	extable insn, fixup
	.pushsection __ex_table, "a"
	.balign	8
	.quad	\insn, \fixup
	.popsection
	.endm

	.text

/* One user access of the 64-byte loops below: the instruction, and its
 * exception-table entry sending a fault to \fixup. */
	.macro	uacc fixup, insn:vararg
9998:	\insn
	extable	9998b, \fixup
	.endm

/*
 * The three routines share one shape. While 64 bytes remain, a block of
 * eight words moves with the pointers left at the block's start until
 * all of it is done (the kernel side with LDP/STP pairs; LDTR/STTR have
 * no pair form, so the user side is eight single accesses). A fault
 * anywhere in a block resumes at the byte loop at the block's start: it
 * redoes the block's first bytes (the same values) and stops exactly at
 * the first byte that faults, so the count returned is exact. Then
 * words while 8 bytes remain (a fault: the byte loop from that word),
 * then bytes. Under TCG each guest instruction costs, so the 64-byte
 * loop (about 2 instructions per word against 7) is what makes a warm
 * read(2) fast; it is also the shape of Linux's copy template.
 */

/* size_t arch_copy_from_user(void *to (x0), const void *from (x1), size_t n (x2)) */
	.global	arch_copy_from_user
arch_copy_from_user:
	cmp	x2, #64
	b.lo	.Lcfu_words
.Lcfu_block:
	uacc	.Lcfu_bytes, ldtr x3, [x1]
	uacc	.Lcfu_bytes, ldtr x4, [x1, #8]
	uacc	.Lcfu_bytes, ldtr x5, [x1, #16]
	uacc	.Lcfu_bytes, ldtr x6, [x1, #24]
	uacc	.Lcfu_bytes, ldtr x7, [x1, #32]
	uacc	.Lcfu_bytes, ldtr x8, [x1, #40]
	uacc	.Lcfu_bytes, ldtr x9, [x1, #48]
	uacc	.Lcfu_bytes, ldtr x10, [x1, #56]
	stp	x3, x4, [x0]
	stp	x5, x6, [x0, #16]
	stp	x7, x8, [x0, #32]
	stp	x9, x10, [x0, #48]
	add	x0, x0, #64
	add	x1, x1, #64
	sub	x2, x2, #64
	cmp	x2, #64
	b.hs	.Lcfu_block
.Lcfu_words:
	cmp	x2, #8
	b.lo	.Lcfu_bytes
.Lcfu_word:
	ldtr	x3, [x1]
	str	x3, [x0], #8
	add	x1, x1, #8
	sub	x2, x2, #8
	cmp	x2, #8
	b.hs	.Lcfu_word
.Lcfu_bytes:
	cbz	x2, .Lcfu_done
.Lcfu_byte:
	ldtrb	w3, [x1]
	strb	w3, [x0], #1
	add	x1, x1, #1
	subs	x2, x2, #1
	b.ne	.Lcfu_byte
.Lcfu_done:
	mov	x0, x2
	ret
	extable	.Lcfu_word, .Lcfu_bytes
	extable	.Lcfu_byte, .Lcfu_done

/* size_t arch_copy_to_user(void *to (x0), const void *from (x1), size_t n (x2)) */
	.global	arch_copy_to_user
arch_copy_to_user:
	cmp	x2, #64
	b.lo	.Lctu_words
.Lctu_block:
	ldp	x3, x4, [x1]
	ldp	x5, x6, [x1, #16]
	ldp	x7, x8, [x1, #32]
	ldp	x9, x10, [x1, #48]
	uacc	.Lctu_bytes, sttr x3, [x0]
	uacc	.Lctu_bytes, sttr x4, [x0, #8]
	uacc	.Lctu_bytes, sttr x5, [x0, #16]
	uacc	.Lctu_bytes, sttr x6, [x0, #24]
	uacc	.Lctu_bytes, sttr x7, [x0, #32]
	uacc	.Lctu_bytes, sttr x8, [x0, #40]
	uacc	.Lctu_bytes, sttr x9, [x0, #48]
	uacc	.Lctu_bytes, sttr x10, [x0, #56]
	add	x0, x0, #64
	add	x1, x1, #64
	sub	x2, x2, #64
	cmp	x2, #64
	b.hs	.Lctu_block
.Lctu_words:
	cmp	x2, #8
	b.lo	.Lctu_bytes
.Lctu_wloop:
	ldr	x3, [x1]
.Lctu_word:
	sttr	x3, [x0]
	add	x0, x0, #8
	add	x1, x1, #8
	sub	x2, x2, #8
	cmp	x2, #8
	b.hs	.Lctu_wloop
.Lctu_bytes:
	cbz	x2, .Lctu_done
.Lctu_bloop:
	ldrb	w3, [x1], #1
.Lctu_byte:
	sttrb	w3, [x0]
	add	x0, x0, #1
	subs	x2, x2, #1
	b.ne	.Lctu_bloop
.Lctu_done:
	mov	x0, x2
	ret
	extable	.Lctu_word, .Lctu_bytes
	extable	.Lctu_byte, .Lctu_done

/* size_t arch_clear_user(void *to (x0), size_t n (x1)) */
	.global	arch_clear_user
arch_clear_user:
	cmp	x1, #64
	b.lo	.Lclr_words
.Lclr_block:
	uacc	.Lclr_bytes, sttr xzr, [x0]
	uacc	.Lclr_bytes, sttr xzr, [x0, #8]
	uacc	.Lclr_bytes, sttr xzr, [x0, #16]
	uacc	.Lclr_bytes, sttr xzr, [x0, #24]
	uacc	.Lclr_bytes, sttr xzr, [x0, #32]
	uacc	.Lclr_bytes, sttr xzr, [x0, #40]
	uacc	.Lclr_bytes, sttr xzr, [x0, #48]
	uacc	.Lclr_bytes, sttr xzr, [x0, #56]
	add	x0, x0, #64
	sub	x1, x1, #64
	cmp	x1, #64
	b.hs	.Lclr_block
.Lclr_words:
	cmp	x1, #8
	b.lo	.Lclr_bytes
.Lclr_word:
	sttr	xzr, [x0]
	add	x0, x0, #8
	sub	x1, x1, #8
	cmp	x1, #8
	b.hs	.Lclr_word
.Lclr_bytes:
	cbz	x1, .Lclr_done
.Lclr_byte:
	sttrb	wzr, [x0]
	add	x0, x0, #1
	subs	x1, x1, #1
	b.ne	.Lclr_byte
.Lclr_done:
	mov	x0, x1
	ret
	extable	.Lclr_word, .Lclr_bytes
	extable	.Lclr_byte, .Lclr_done

