/*
 * arch/arm64/thread.c - threads (the context switch frame) and local TLB
 * flushes for arm64; starting CPUs is smp.c. See arch/thread.h.
 */
#include "kernel/percpu.h"
#include "kernel/printk.h"
#include <arch/thread.h>
#include <arch/user.h>

struct arm64_cpu_local arm64_cpu_locals[NR_CPUS];

/*
 * The switch frame arch_context_switch() pushes: x19-x28, fp, lr. A new
 * thread's frame has entry in x19, arg in x20 and lr = thread_start.
 */
struct switch_frame {
	unsigned long x19_x28[10];
	unsigned long fp, lr;
};

void arm64_thread_start(void);		/* thread_asm.S */

/*
 * The top struct pt_regs of every stack is kept free: it is where the
 * entry from EL0 saves the user registers (task_pt_regs()), so the
 * thread's kernel frames start below it.
 */
void arch_thread_init(struct arch_context *ctx, void *stack_top,
		      void (*entry)(void *), void *arg)
{
	unsigned long top = ((unsigned long)stack_top & ~15UL) -
			    sizeof(struct pt_regs);
	struct switch_frame *f = (struct switch_frame *)(top - sizeof(*f));

	for (int i = 0; i < 10; i++)
		f->x19_x28[i] = 0;
	f->x19_x28[0] = (unsigned long)entry;
	f->x19_x28[1] = (unsigned long)arg;
	f->fp = 0;				/* ends the thread's backtraces */
	f->lr = (unsigned long)arm64_thread_start;
	ctx->sp = (unsigned long)f;
}

void arch_flush_tlb_local_range(unsigned long va, size_t size)
{
	__asm__ __volatile__("dsb nshst" ::: "memory");
	for (unsigned long a = va & ~0xfffUL; a < va + size; a += 4096)
		__asm__ __volatile__("tlbi vaale1, %0" : : "r"(a >> 12) : "memory");
	__asm__ __volatile__("dsb nsh\n\tisb" ::: "memory");
}

void arch_flush_tlb_local_all(void)
{
	__asm__ __volatile__("dsb nshst\n\ttlbi vmalle1\n\tdsb nsh\n\tisb" ::: "memory");
}
