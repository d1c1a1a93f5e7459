/* arch/irq.h for host builds: no interrupts; drivers poll. */
#ifndef ARCH_IRQ_H
#define ARCH_IRQ_H
#include "kernel/types.h"
static inline int arch_msi_alloc(void (*fn)(void *arg), void *arg,
				 uint64_t *addr, uint32_t *data)
{ (void)fn; (void)arg; (void)addr; (void)data; return -1; }
#define MSI_RARE	1U
static inline int arch_msi_alloc_dev(uint32_t devid, void (*fn)(void *arg),
				     void *arg, uint64_t *addr, uint32_t *data,
				     unsigned int flags)
{ (void)devid; (void)flags; return arch_msi_alloc(fn, arg, addr, data); }
static inline void arch_msi_free(uint32_t data) { (void)data; }
static inline int arch_irq_request(unsigned int irq, void (*fn)(void *arg),
				   void *arg)
{ (void)irq; (void)fn; (void)arg; return -1; }
static inline int arch_irq_set_edge(unsigned int irq) { (void)irq; return -1; }
#endif
