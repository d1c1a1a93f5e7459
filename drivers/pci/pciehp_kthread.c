/*
 * drivers/pci/pciehp_kthread.c - the thread that looks at the hot-plug
 * slots every PCIEHP_POLL_MS (kernel only, docs/conventions.md); what a
 * look does is pciehp.c's.
 */
#include "drivers/pci/pciehp.h"
#include "kernel/kthread.h"
#include "kernel/printk.h"
#include "kernel/sched.h"

static int pciehp_thread(void *arg)
{
	(void)arg;
	for (;;) {
		sleep_ms(PCIEHP_POLL_MS);
		pciehp_poll();
	}
	return 0;
}

void pciehp_init(void)
{
	unsigned int n = pciehp_count_slots();

	if (!n)
		return;
	if (!kthread_run(pciehp_thread, NULL, "pciehp"))
		pr_err("pciehp: no thread: the %u hot-plug slot%s are not "
		       "watched\n", n, n == 1 ? "" : "s");
}
