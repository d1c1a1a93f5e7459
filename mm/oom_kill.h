/*
 * mm/oom_kill.h - choosing what to kill when memory runs out (Linux:
 * mm/oom_kill.c). The mm side only: how bad a victim an address space
 * is, which candidate is the worst, and Linux's report line. The process
 * layer knows the candidates and does the killing (kernel/signal.c): it
 * registers an iterator, since mm may not include kernel/process.h
 * (docs/conventions.md, layers).
 *
 *	static void each_process(oom_visit_fn visit, void *arg) {
 *		for each live user process p:
 *			visit(&(struct oom_candidate){ p->mm, p->pid, p->name,
 *						      false, p }, arg);
 *	}
 *	oom_set_candidates(each_process);		// once, at init
 *	...
 *	struct oom_candidate victim;
 *	if (select_bad_process(&victim)) {
 *		oom_kill_report(&victim);		// "Out of memory: ..."
 *		send SIGKILL to victim.priv
 *	}
 */
#ifndef MM_OOM_KILL_H
#define MM_OOM_KILL_H

#include "kernel/types.h"

struct mm_struct;

struct oom_candidate {
	struct mm_struct *mm;
	int pid;
	const char *name;
	bool unkillable;	/* init, or already exiting: never chosen */
	void *priv;		/* the process layer's (its struct process) */
};

typedef void (*oom_visit_fn)(const struct oom_candidate *c, void *arg);

/*
 * How much memory killing mm would free, in pages (Linux's oom_badness
 * without the oom_score_adj and swap terms, which come with swap): its
 * resident pages of every type plus its page-table pages.
 */
long oom_badness(struct mm_struct *mm);

/* The process layer's iterator over the candidates (NULL: none). It
 * calls visit once per candidate, with whatever locks it needs held. */
void oom_set_candidates(void (*for_each)(oom_visit_fn visit, void *arg));

/* The candidate with the highest oom_badness (ties: the first visited);
 * false if there is none (no iterator, no killable candidate). */
bool select_bad_process(struct oom_candidate *victim);

/* Linux's line: "Out of memory: Killed process N (name) total-vm:..kB,
 * anon-rss:..kB, file-rss:..kB, shmem-rss:..kB, pgtables:..kB". */
void oom_kill_report(const struct oom_candidate *victim);

#endif
