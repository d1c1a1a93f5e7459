/*
 * arch/x86_64/irq_vector.h - the pool of device interrupt vectors
 * (0x40-0xdf, msi.c), shared by MSIs and the I/O APIC's wired lines.
 *
 * x86_vector_alloc(fn, arg): take a free vector whose interrupts run
 *	fn(arg) (interrupts off) and then EOI the local APIC. Returns the
 *	vector, or -1 when none is left. Any context.
 * x86_vector_free(v): give it back; the source must no longer raise it.
 */
#ifndef ARCH_X86_64_IRQ_VECTOR_H
#define ARCH_X86_64_IRQ_VECTOR_H

int x86_vector_alloc(void (*fn)(void *arg), void *arg);
void x86_vector_free(unsigned int v);

#endif
