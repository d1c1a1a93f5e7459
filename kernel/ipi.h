/*
 * kernel/ipi.h - the kinds of inter-processor interrupt the portable
 * kernel sends. One definition for every architecture: each arch's
 * arch_send_ipi() maps a kind to its own mechanism (an APIC vector, a GIC
 * SGI number, a mailbox bit).
 */
#ifndef KERNEL_IPI_H
#define KERNEL_IPI_H

enum ipi_kind {
	IPI_RESCHEDULE,		/* look at the run queue (need_resched set) */
	IPI_CALL_FUNC,		/* run the queued smp_call_function requests */
	NR_IPI_KINDS,
};

#endif
