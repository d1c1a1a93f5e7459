/*
 * kernel/oom.c - the kernel side of the OOM killer (Linux: the killing
 * half of mm/oom_kill.c). mm/oom_kill.h chooses; this file supplies the
 * candidates (every live process with an address space), sends the
 * victim SIGKILL, and keeps the killer from choosing again while its
 * victim is still dying.
 *
 * Called from a user page fault that found no page (user_page_fault,
 * kernel/signal.c), interrupts on, no locks held:
 *
 *	fault -> -ENOMEM -> out_of_memory()
 *	   a victim still dying?  wait a little (it is freeing memory)
 *	   else select_bad_process() -> "Out of memory: Killed process ..."
 *	        -> SIGKILL (wakes it if it sleeps)
 *	-> back to user mode: the fault is retried; the victim dies in its
 *	   own exit_to_user_mode() and its pages go back to the allocator.
 *
 * Never a hang: every call returns after at most OOM_WAIT_MS, and a
 * faulting process that is itself the victim (or has no one to kill but
 * itself) dies on its way out instead of retrying.
 */
#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "kernel/oom.h"
#include "kernel/printk.h"
#include "kernel/process.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "mm/mm.h"
#include "mm/oom_kill.h"
#include "mm/page_alloc.h"

#define OOM_WAIT_MS	10	/* how long a fault waits for a dying victim */

static int oom_victim_pid;	/* the last victim, 0 once it is gone */

/* Every process with an address space; one already dying (a fatal
 * signal decided) is no candidate but is counted as freeing memory.
 * mm/oom_kill.c calls this with visit; process_lock is held meanwhile,
 * so each mm stays alive while it is looked at (exit drops p->mm under
 * that lock before it puts the mm). */
static void each_process(oom_visit_fn visit, void *arg)
{
	struct process *p;
	unsigned long flags;

	spin_lock_irqsave(&process_lock, flags);
	for_each_process(p) {
		struct oom_candidate c = {
			.mm = p->mm,
			.pid = p->pid,
			.name = p->name,
			.unkillable = READ_ONCE(p->signal.group_exit_sig) != 0,
			.priv = p,
		};

		if (p->state == PROCESS_ZOMBIE || !p->mm)
			continue;
		visit(&c, arg);
	}
	spin_unlock_irqrestore(&process_lock, flags);
}

/* Is the victim of the last kill still alive (not yet a zombie)? Not
 * "has it an mm": exit takes p->mm away before mmput() frees the pages,
 * and an allocation failing in between chose a second victim (the small
 * memhog of user.oom_kills_the_hog, 1 ms after the hog). A process
 * becomes a zombie only after its memory is back. */
static bool victim_still_dying(void)
{
	int pid = READ_ONCE(oom_victim_pid);
	struct process *p;
	unsigned long flags;
	bool alive;

	if (!pid)
		return false;
	spin_lock_irqsave(&process_lock, flags);
	p = find_process_by_pid(pid);
	alive = p && p->state != PROCESS_ZOMBIE && p->signal.oom_victim;
	spin_unlock_irqrestore(&process_lock, flags);
	if (!alive)
		WRITE_ONCE(oom_victim_pid, 0);
	return alive;
}

static bool candidates_registered;

void out_of_memory(void)
{
	struct process *me = current_process();
	struct oom_candidate victim;
	struct process *p;
	struct mm_struct *mm = NULL;
	unsigned long flags;

	if (!candidates_registered) {
		oom_set_candidates(each_process);
		candidates_registered = true;
	}
	if (me && fatal_signal_pending(current))
		return;			/* dying already: let it go */
	if (victim_still_dying()) {
		sleep_ms(OOM_WAIT_MS);	/* it is freeing memory: retry */
		return;
	}
	if (!select_bad_process(&victim)) {
		/* No one else to kill: the process that asked dies. */
		if (me) {
			pr_err("Out of memory: no victim; killing %s[%d], "
			       "which faulted\n", me->name, me->pid);
			send_signal(me, SIGKILL);
		}
		return;
	}
	/* Report and kill under process_lock with a reference on the
	 * victim's mm, so that neither goes away meanwhile (it may have
	 * exited since it was chosen: then there is nothing to do). */
	spin_lock_irqsave(&process_lock, flags);
	p = find_process_by_pid(victim.pid);
	if (p && p == victim.priv && p->mm && p->state != PROCESS_ZOMBIE) {
		mm = p->mm;
		mmget(mm);
		victim.mm = mm;
		victim.name = p->name;
		oom_kill_report(&victim);
		p->signal.oom_victim = true;
		WRITE_ONCE(oom_victim_pid, p->pid);
		send_signal(p, SIGKILL);
	}
	spin_unlock_irqrestore(&process_lock, flags);
	if (mm)
		show_mem();	/* what memory looked like when it chose */
	if (mm)
		mmput(mm);
	if (p != me)
		sleep_ms(OOM_WAIT_MS);	/* give the victim a moment */
}
