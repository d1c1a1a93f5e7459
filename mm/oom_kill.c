/*
 * mm/oom_kill.c - the out-of-memory victim choice (mm/oom_kill.h).
 */
#include "mm/oom_kill.h"
#include "mm/mm.h"
#include "kernel/printk.h"

#define K(pages)	((pages) << (PAGE_SHIFT - 10))

static void (*oom_for_each)(oom_visit_fn visit, void *arg);

long oom_badness(struct mm_struct *mm)
{
	long points = 0;

	for (int i = 0; i < NR_MM_COUNTERS; i++)
		points += READ_ONCE(mm->rss[i]);
	return points + (long)READ_ONCE(mm->arch.pgt.nr_tables);
}

void oom_set_candidates(void (*for_each)(oom_visit_fn visit, void *arg))
{
	oom_for_each = for_each;
}

struct oom_choice {
	struct oom_candidate best;
	long points;
	bool found;
};

static void consider(const struct oom_candidate *c, void *arg)
{
	struct oom_choice *ch = arg;
	long points;

	if (c->unkillable || !c->mm)
		return;
	points = oom_badness(c->mm);
	if (!ch->found || points > ch->points) {
		ch->best = *c;
		ch->points = points;
		ch->found = true;
	}
}

bool select_bad_process(struct oom_candidate *victim)
{
	struct oom_choice ch = { .found = false };

	if (!oom_for_each)
		return false;
	oom_for_each(consider, &ch);
	if (ch.found)
		*victim = ch.best;
	return ch.found;
}

void oom_kill_report(const struct oom_candidate *v)
{
	struct mm_struct *mm = v->mm;

	pr_err("Out of memory: Killed process %d (%s) total-vm:%lukB, "
	       "anon-rss:%lukB, file-rss:%lukB, shmem-rss:%lukB, "
	       "pgtables:%lukB\n", v->pid, v->name, K(mm->total_vm),
	       K((unsigned long)mm->rss[MM_ANONPAGES]),
	       K((unsigned long)mm->rss[MM_FILEPAGES]),
	       K((unsigned long)mm->rss[MM_SHMEMPAGES]),
	       K(mm->arch.pgt.nr_tables));
}
