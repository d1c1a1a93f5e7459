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
 * entry's fixup. Copies go 8 bytes at a time while 8 remain; a word that
 * faults is redone byte by byte, so the count of bytes not copied is
 * exact.
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

/* size_t arch_copy_from_user(void *to (x0), const void *from (x1), size_t n (x2)) */
	.global	arch_copy_from_user
arch_copy_from_user:
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

